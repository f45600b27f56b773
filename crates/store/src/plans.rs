//! Plans: business goals with KPIs, Party work items, the links between them, and tasks.
//! Every read goes through the caller's scope via the plan's organization.

use crate::error::{StoreError, StoreResult};
use crate::q::Q;
use crate::{audit, now_ms, Actor, Store};
use ronghe_core::org::UnitKind;
use ronghe_core::plan::forms::{
    GoalInput, ItemInput, KpiInput, LinkInput, PlanInput, TaskInput, TaskUpdateInput,
};
use ronghe_core::plan::{
    transition, Direction, Kpi, LinkKind, PartyItemKind, Period, PlanStatus, TaskStatus,
};
use ronghe_core::scope::Scope;
use serde::Serialize;
use sqlx::FromRow;

#[derive(Debug, Clone, Serialize, FromRow)]
pub struct Plan {
    pub id: i64,
    pub org_id: i64,
    pub org_name: String,
    #[serde(skip)]
    pub org_path: String,
    pub unit_kind: String,
    pub year: i64,
    pub title: String,
    pub status: String,
    pub summary: Option<String>,
    pub updated_at: i64,
}

const PLAN_COLS: &str = "p.id, p.org_id, o.name AS org_name, o.path AS org_path, o.unit_kind, \
    p.year, p.title, p.status, p.summary, p.updated_at";

impl Plan {
    pub fn status(&self) -> PlanStatus {
        PlanStatus::from_code(&self.status).unwrap_or(PlanStatus::Draft)
    }
    pub fn status_label(&self) -> &'static str {
        self.status().label()
    }
    pub fn period(&self) -> Period {
        Period {
            year: self.year as i32,
        }
    }
    pub fn unit(&self) -> UnitKind {
        UnitKind::from_code(&self.unit_kind).unwrap_or(UnitKind::Other)
    }
}

#[derive(Debug, Clone, Serialize, FromRow)]
pub struct Goal {
    pub id: i64,
    pub plan_id: i64,
    pub title: String,
    pub department: Option<String>,
    pub is_key: i64,
    pub weight: f64,
    pub parent_goal_id: Option<i64>,
    pub stated_by: Option<String>,
}

#[derive(Debug, Clone, Serialize, FromRow)]
pub struct KpiRow {
    pub id: i64,
    pub goal_id: i64,
    pub name: String,
    pub unit: String,
    pub direction: String,
    pub range_low: Option<f64>,
    pub range_high: Option<f64>,
    pub baseline: f64,
    pub target: f64,
}

impl KpiRow {
    pub fn kpi(&self) -> Kpi {
        let direction = Direction::parse(&self.direction, self.range_low, self.range_high)
            .unwrap_or(Direction::HigherBetter);
        Kpi {
            unit: self.unit.clone(),
            direction,
            baseline: self.baseline,
            target: self.target,
        }
    }
}

#[derive(Debug, Clone, Serialize, FromRow)]
pub struct KpiValue {
    pub kpi_id: i64,
    pub month: String,
    pub value: f64,
    pub source: String,
    pub entered_by: String,
}

#[derive(Debug, Clone, Serialize, FromRow)]
pub struct Item {
    pub id: i64,
    pub plan_id: i64,
    pub kind: String,
    pub title: String,
    pub description: Option<String>,
    pub owner_member_id: Option<i64>,
    pub owner_name: Option<String>,
    pub starts_on: Option<String>,
    pub ends_on: Option<String>,
}

impl Item {
    pub fn kind_label(&self) -> &'static str {
        PartyItemKind::from_code(&self.kind).map_or("其他", PartyItemKind::label)
    }
}

#[derive(Debug, Clone, Serialize, FromRow)]
pub struct Link {
    pub id: i64,
    pub item_id: i64,
    pub goal_id: i64,
    pub junction: String,
    pub kind: String,
}

impl Link {
    pub fn kind(&self) -> LinkKind {
        LinkKind::from_code(&self.kind).unwrap_or(LinkKind::Support)
    }
}

#[derive(Debug, Clone, Serialize, FromRow)]
pub struct Task {
    pub id: i64,
    pub plan_id: i64,
    pub item_id: Option<i64>,
    pub goal_id: Option<i64>,
    pub title: String,
    pub assignee_member_id: Option<i64>,
    pub assignee_name: Option<String>,
    pub business_owner: Option<String>,
    pub deadline: String,
    pub status: String,
    pub percent: i64,
    pub updated_at: i64,
}

const TASK_COLS: &str = "t.id, t.plan_id, t.item_id, t.goal_id, t.title, t.assignee_member_id, \
    m.name AS assignee_name, t.business_owner, t.deadline, t.status, t.percent, t.updated_at";

impl Task {
    pub fn status(&self) -> TaskStatus {
        TaskStatus::from_code(&self.status).unwrap_or(TaskStatus::NotStarted)
    }
    pub fn status_label(&self) -> &'static str {
        self.status().label()
    }
    pub fn is_overdue(&self, today: ronghe_core::Date) -> bool {
        self.deadline
            .parse()
            .is_ok_and(|d| ronghe_core::plan::is_overdue(self.status(), d, today))
    }
}

#[derive(Debug, Clone, Serialize, FromRow)]
pub struct TaskUpdate {
    pub at: i64,
    pub username: String,
    pub percent: i64,
    pub note: Option<String>,
    pub attachment_id: Option<i64>,
    pub attachment_name: Option<String>,
}

/// Everything one plan page shows.
#[derive(Debug, Clone, Serialize)]
pub struct PlanView {
    pub plan: Plan,
    pub goals: Vec<Goal>,
    pub kpis: Vec<KpiRow>,
    pub values: Vec<KpiValue>,
    pub items: Vec<Item>,
    pub links: Vec<Link>,
    pub tasks: Vec<Task>,
    /// (goal id, meetings recorded as serving it)
    pub meetings_per_goal: Vec<(i64, i64)>,
}

fn date(d: Option<ronghe_core::Date>) -> Option<String> {
    d.map(|d| d.to_string())
}

fn conflict(e: sqlx::Error, field: &str, message: &str) -> StoreError {
    if StoreError::is_unique_violation(&e) {
        StoreError::field(field, message)
    } else {
        e.into()
    }
}

impl Store {
    pub async fn plan_get(&self, scope: &Scope, id: i64) -> StoreResult<Plan> {
        let mut q = Q::new(&format!(
            "SELECT {PLAN_COLS} FROM plans p JOIN orgs o ON o.id = p.org_id WHERE p.id = "
        ));
        q.bind(id).push(" AND ").org_scope(scope, "o.path", true);
        q.query_as::<Plan>()
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// Plans of organizations in scope for a year (or all years), newest first.
    pub async fn plan_list(
        &self,
        scope: &Scope,
        year: Option<i64>,
        org_id: Option<i64>,
    ) -> StoreResult<Vec<Plan>> {
        let mut q = Q::new(&format!(
            "SELECT {PLAN_COLS} FROM plans p JOIN orgs o ON o.id = p.org_id WHERE "
        ));
        q.org_scope(scope, "o.path", true);
        if let Some(y) = year {
            q.push(" AND p.year = ").bind(y);
        }
        if let Some(o) = org_id {
            q.push(" AND p.org_id = ").bind(o);
        }
        q.push(" ORDER BY p.year DESC, o.path LIMIT 300");
        Ok(q.query_as::<Plan>().fetch_all(&self.pool).await?)
    }

    pub async fn plan_view(&self, scope: &Scope, id: i64) -> StoreResult<PlanView> {
        let plan = self.plan_get(scope, id).await?;
        let goals = sqlx::query_as::<_, Goal>(
            "SELECT id, plan_id, title, department, is_key, weight, parent_goal_id, stated_by FROM goals WHERE plan_id = $1 ORDER BY is_key DESC, id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let kpis = sqlx::query_as::<_, KpiRow>(
            "SELECT k.id, k.goal_id, k.name, k.unit, k.direction, k.range_low, k.range_high, k.baseline, k.target \
             FROM kpis k JOIN goals g ON g.id = k.goal_id WHERE g.plan_id = $1 ORDER BY k.id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let values = sqlx::query_as::<_, KpiValue>(
            "SELECT v.kpi_id, v.month, v.value, v.source, v.entered_by FROM kpi_values v \
             JOIN kpis k ON k.id = v.kpi_id JOIN goals g ON g.id = k.goal_id WHERE g.plan_id = $1 ORDER BY v.month",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let items = sqlx::query_as::<_, Item>(
            "SELECT i.id, i.plan_id, i.kind, i.title, i.description, i.owner_member_id, m.name AS owner_name, i.starts_on, i.ends_on \
             FROM items i LEFT JOIN members m ON m.id = i.owner_member_id WHERE i.plan_id = $1 ORDER BY i.id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let links = sqlx::query_as::<_, Link>(
            "SELECT l.id, l.item_id, l.goal_id, l.junction, l.kind FROM links l JOIN items i ON i.id = l.item_id \
             WHERE i.plan_id = $1 ORDER BY l.id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let tasks = sqlx::query_as::<_, Task>(&format!(
            "SELECT {TASK_COLS} FROM tasks t LEFT JOIN members m ON m.id = t.assignee_member_id \
             WHERE t.plan_id = $1 ORDER BY t.deadline, t.id"
        ))
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let meetings_per_goal = sqlx::query_as::<_, (i64, i64)>(
            "SELECT mg.goal_id, COUNT(*) FROM meeting_goals mg JOIN goals g ON g.id = mg.goal_id \
             WHERE g.plan_id = $1 GROUP BY mg.goal_id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        Ok(PlanView {
            plan,
            goals,
            kpis,
            values,
            items,
            links,
            tasks,
            meetings_per_goal,
        })
    }

    /// A plan the caller may change: visible, and inside the subtree the write scope covers.
    async fn plan_for_write(&self, scope: &Scope, id: i64) -> StoreResult<Plan> {
        let plan = self.plan_get(scope, id).await?;
        if !scope.sees_members_of(&plan.org_path) {
            return Err(StoreError::NotFound);
        }
        Ok(plan)
    }

    pub async fn plan_create(
        &self,
        actor: &Actor,
        scope: &Scope,
        p: &PlanInput,
    ) -> StoreResult<i64> {
        let org = self
            .org_get(scope, p.org_id)
            .await
            .ok()
            .filter(|o| scope.sees_members_of(&o.path));
        let org =
            org.ok_or_else(|| StoreError::field("org_id", "所选党组织不存在或不在您的管理范围内"))?;
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO plans (org_id, year, title, status, created_at, updated_at) VALUES ($1, $2, $3, 'draft', $4, $4) RETURNING id",
        )
        .bind(p.org_id)
        .bind(i64::from(p.period.year))
        .bind(&p.title)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| conflict(e, "year", "该组织这一年度已有计划，请直接打开它"))?;
        audit::change(
            &mut tx,
            actor,
            "plan",
            id,
            &format!("{}新建{}年度计划「{}」", org.name, p.period.year, p.title),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn plan_set_status(
        &self,
        actor: &Actor,
        scope: &Scope,
        id: i64,
        to: PlanStatus,
        summary: Option<String>,
    ) -> StoreResult<()> {
        let plan = self.plan_for_write(scope, id).await?;
        let to = transition(plan.status(), to).map_err(|m| StoreError::field("status", m))?;
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE plans SET status = $1, summary = COALESCE($2, summary), updated_at = $3 WHERE id = $4")
            .bind(to.code())
            .bind(summary)
            .bind(now_ms())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        audit::change(
            &mut tx,
            actor,
            "plan",
            id,
            &format!("计划状态：{} → {}", plan.status_label(), to.label()),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Copies goals (with KPIs), items and links into the next year's plan; no actual values,
    /// no tasks, no progress.
    pub async fn plan_copy_to_next_year(
        &self,
        actor: &Actor,
        scope: &Scope,
        id: i64,
    ) -> StoreResult<i64> {
        let v = self.plan_view(scope, id).await?;
        let plan = self.plan_for_write(scope, id).await?;
        let next = plan.period().next();
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        let new_id: i64 = sqlx::query_scalar(
            "INSERT INTO plans (org_id, year, title, status, created_at, updated_at) VALUES ($1, $2, $3, 'draft', $4, $4) RETURNING id",
        )
        .bind(plan.org_id)
        .bind(i64::from(next.year))
        .bind(plan.title.replace(&plan.year.to_string(), &next.year.to_string()))
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| conflict(e, "year", &format!("{} 年度的计划已经存在", next.year)))?;
        let mut goal_map = std::collections::HashMap::new();
        for g in &v.goals {
            let gid: i64 = sqlx::query_scalar(
                "INSERT INTO goals (plan_id, title, department, is_key, weight, stated_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(new_id)
            .bind(&g.title)
            .bind(g.department.clone())
            .bind(g.is_key)
            .bind(g.weight)
            .bind(g.stated_by.clone())
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            goal_map.insert(g.id, gid);
        }
        for k in &v.kpis {
            sqlx::query_scalar::<_, i64>(INSERT_KPI)
                .bind(goal_map[&k.goal_id])
                .bind(&k.name)
                .bind(&k.unit)
                .bind(&k.direction)
                .bind(k.range_low.unwrap_or(0.0))
                .bind(k.range_high.unwrap_or(0.0))
                .bind(k.baseline)
                .bind(k.target)
                .fetch_one(&mut *tx)
                .await?;
        }
        let mut item_map = std::collections::HashMap::new();
        for i in &v.items {
            let iid: i64 = sqlx::query_scalar(
                "INSERT INTO items (plan_id, kind, title, description, owner_member_id, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(new_id)
            .bind(&i.kind)
            .bind(&i.title)
            .bind(i.description.clone())
            .bind(i.owner_member_id)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            item_map.insert(i.id, iid);
        }
        for l in &v.links {
            sqlx::query(
                "INSERT INTO links (item_id, goal_id, junction, kind) VALUES ($1, $2, $3, $4)",
            )
            .bind(item_map[&l.item_id])
            .bind(goal_map[&l.goal_id])
            .bind(&l.junction)
            .bind(&l.kind)
            .execute(&mut *tx)
            .await?;
        }
        let what = format!(
            "由 {} 年度计划复制：{} 个目标、{} 项工作、{} 个结合点",
            plan.year,
            v.goals.len(),
            v.items.len(),
            v.links.len()
        );
        audit::change(&mut tx, actor, "plan", new_id, &what).await?;
        tx.commit().await?;
        Ok(new_id)
    }

    pub async fn goal_create(
        &self,
        actor: &Actor,
        scope: &Scope,
        plan_id: i64,
        g: &GoalInput,
    ) -> StoreResult<i64> {
        let plan = self.plan_for_write(scope, plan_id).await?;
        if let Some(parent) = g.parent_goal_id {
            // Alignment only to a goal of an ancestor organization's plan for the same year.
            let ok: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM goals g JOIN plans p ON p.id = g.plan_id JOIN orgs o ON o.id = p.org_id \
                 WHERE g.id = $1 AND p.year = $2 AND o.id <> $3",
            )
            .bind(parent)
            .bind(plan.year)
            .bind(plan.org_id)
            .fetch_one(&self.pool)
            .await?;
            let ancestors = ronghe_core::scope::path_ids(&plan.org_path);
            let parent_org: Option<i64> = sqlx::query_scalar(
                "SELECT p.org_id FROM goals g JOIN plans p ON p.id = g.plan_id WHERE g.id = $1",
            )
            .bind(parent)
            .fetch_optional(&self.pool)
            .await?;
            if ok == 0 || !parent_org.is_some_and(|o| ancestors.contains(&o)) {
                return Err(StoreError::field(
                    "parent_goal_id",
                    "只能对齐上级组织同一年度计划中的目标",
                ));
            }
        }
        let mut tx = self.pool.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO goals (plan_id, title, department, is_key, weight, parent_goal_id, stated_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(plan_id)
        .bind(&g.title)
        .bind(g.department.clone())
        .bind(i64::from(g.is_key))
        .bind(g.weight)
        .bind(g.parent_goal_id)
        .bind(g.stated_by.clone())
        .bind(now_ms())
        .fetch_one(&mut *tx)
        .await?;
        if let Some(k) = &g.kpi {
            insert_kpi(&mut tx, id, k).await?;
        }
        audit::change(
            &mut tx,
            actor,
            "plan",
            plan_id,
            &format!(
                "新增业务目标「{}」{}",
                g.title,
                if g.is_key { "（重点）" } else { "" }
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn goal_in_plan(&self, goal_id: i64, plan_id: i64) -> StoreResult<bool> {
        let n: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM goals WHERE id = $1 AND plan_id = $2")
                .bind(goal_id)
                .bind(plan_id)
                .fetch_one(&self.pool)
                .await?;
        Ok(n > 0)
    }

    async fn item_in_plan(&self, item_id: i64, plan_id: i64) -> StoreResult<bool> {
        let n: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM items WHERE id = $1 AND plan_id = $2")
                .bind(item_id)
                .bind(plan_id)
                .fetch_one(&self.pool)
                .await?;
        Ok(n > 0)
    }

    async fn member_of_plan_org(&self, member_id: i64, plan: &Plan) -> StoreResult<bool> {
        let (lo, hi) = ronghe_core::scope::subtree_range(&plan.org_path);
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM members m JOIN orgs o ON o.id = m.org_id WHERE m.id = $1 AND m.active = 1 AND o.path >= $2 AND o.path < $3",
        )
        .bind(member_id)
        .bind(lo)
        .bind(hi)
        .fetch_one(&self.pool)
        .await?;
        Ok(n > 0)
    }

    pub async fn kpi_add(
        &self,
        actor: &Actor,
        scope: &Scope,
        plan_id: i64,
        goal_id: i64,
        k: &KpiInput,
    ) -> StoreResult<i64> {
        self.plan_for_write(scope, plan_id).await?;
        if !self.goal_in_plan(goal_id, plan_id).await? {
            return Err(StoreError::NotFound);
        }
        let mut tx = self.pool.begin().await?;
        let id = insert_kpi(&mut tx, goal_id, k).await?;
        audit::change(
            &mut tx,
            actor,
            "plan",
            plan_id,
            &format!("新增指标「{}」", k.name),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The KPI with its plan, if the plan is visible.
    pub async fn kpi_get(&self, scope: &Scope, kpi_id: i64) -> StoreResult<(KpiRow, Plan)> {
        let row = sqlx::query_as::<_, (i64, i64)>(
            "SELECT g.plan_id, k.id FROM kpis k JOIN goals g ON g.id = k.goal_id WHERE k.id = $1",
        )
        .bind(kpi_id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)?;
        let plan = self.plan_get(scope, row.0).await?;
        let kpi = sqlx::query_as::<_, KpiRow>(
            "SELECT id, goal_id, name, unit, direction, range_low, range_high, baseline, target FROM kpis WHERE id = $1",
        )
        .bind(kpi_id)
        .fetch_one(&self.pool)
        .await?;
        Ok((kpi, plan))
    }

    /// Records (or replaces) the actual value of a KPI for a month. `source` says where it came
    /// from ("页面", "接口"), so a number pushed by a business system is told apart.
    pub async fn kpi_value_set(
        &self,
        actor: &Actor,
        scope: &Scope,
        kpi_id: i64,
        month: &str,
        value: f64,
        source: &str,
    ) -> StoreResult<()> {
        let (kpi, plan) = self.kpi_get(scope, kpi_id).await?;
        if !scope.sees_members_of(&plan.org_path) {
            return Err(StoreError::NotFound);
        }
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM kpi_values WHERE kpi_id = $1 AND month = $2")
            .bind(kpi_id)
            .bind(month)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO kpi_values (kpi_id, month, value, source, entered_by, entered_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(kpi_id)
            .bind(month)
            .bind(value)
            .bind(source)
            .bind(&actor.username)
            .bind(now_ms())
            .execute(&mut *tx)
            .await?;
        let what = format!(
            "指标「{}」{month} 实际值 {} {}（{source}）",
            kpi.name,
            ronghe_core::plan::kpi::fmt_num(value),
            kpi.unit
        );
        audit::change(&mut tx, actor, "plan", plan.id, &what).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn item_create(
        &self,
        actor: &Actor,
        scope: &Scope,
        plan_id: i64,
        i: &ItemInput,
    ) -> StoreResult<i64> {
        let plan = self.plan_for_write(scope, plan_id).await?;
        if let Some(m) = i.owner_member_id {
            if !self.member_of_plan_org(m, &plan).await? {
                return Err(StoreError::field(
                    "owner_member_id",
                    "负责人应是本组织的在册党员",
                ));
            }
        }
        let mut tx = self.pool.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO items (plan_id, kind, title, description, owner_member_id, starts_on, ends_on, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(plan_id)
        .bind(i.kind.code())
        .bind(&i.title)
        .bind(i.description.clone())
        .bind(i.owner_member_id)
        .bind(date(i.starts_on))
        .bind(date(i.ends_on))
        .bind(now_ms())
        .fetch_one(&mut *tx)
        .await?;
        audit::change(
            &mut tx,
            actor,
            "plan",
            plan_id,
            &format!("新增党建工作项「{}」（{}）", i.title, i.kind.label()),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn link_create(
        &self,
        actor: &Actor,
        scope: &Scope,
        plan_id: i64,
        l: &LinkInput,
    ) -> StoreResult<i64> {
        self.plan_for_write(scope, plan_id).await?;
        if !self.item_in_plan(l.item_id, plan_id).await? {
            return Err(StoreError::field("item_id", "所选党建工作项不在本计划中"));
        }
        if !self.goal_in_plan(l.goal_id, plan_id).await? {
            return Err(StoreError::field(
                "goal_id",
                "所选业务目标不在本计划中，或不在您的权限范围内",
            ));
        }
        let mut tx = self.pool.begin().await?;
        let id: i64 = sqlx::query_scalar("INSERT INTO links (item_id, goal_id, junction, kind) VALUES ($1, $2, $3, $4) RETURNING id")
            .bind(l.item_id)
            .bind(l.goal_id)
            .bind(&l.junction)
            .bind(l.kind.code())
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| conflict(e, "goal_id", "这项工作与该目标已经建立了结合点"))?;
        audit::change(
            &mut tx,
            actor,
            "plan",
            plan_id,
            &format!("建立结合点：{}", l.junction),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn task_create(
        &self,
        actor: &Actor,
        scope: &Scope,
        plan_id: i64,
        t: &TaskInput,
    ) -> StoreResult<i64> {
        let plan = self.plan_for_write(scope, plan_id).await?;
        if let Some(i) = t.item_id {
            if !self.item_in_plan(i, plan_id).await? {
                return Err(StoreError::field("item_id", "所选党建工作项不在本计划中"));
            }
        }
        if let Some(g) = t.goal_id {
            if !self.goal_in_plan(g, plan_id).await? {
                return Err(StoreError::field("goal_id", "所选业务目标不在本计划中"));
            }
        }
        if let Some(m) = t.assignee_member_id {
            if !self.member_of_plan_org(m, &plan).await? {
                return Err(StoreError::field(
                    "assignee_member_id",
                    "承担人应是本组织的在册党员",
                ));
            }
        }
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO tasks (plan_id, item_id, goal_id, title, assignee_member_id, business_owner, deadline, status, percent, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'not_started', 0, $8, $8) RETURNING id",
        )
        .bind(plan_id)
        .bind(t.item_id)
        .bind(t.goal_id)
        .bind(&t.title)
        .bind(t.assignee_member_id)
        .bind(t.business_owner.clone())
        .bind(t.deadline.to_string())
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        audit::change(
            &mut tx,
            actor,
            "plan",
            plan_id,
            &format!("部署任务「{}」，截止 {}", t.title, t.deadline),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// A task, if its plan is visible.
    pub async fn task_get(&self, scope: &Scope, id: i64) -> StoreResult<(Task, Plan)> {
        let task = sqlx::query_as::<_, Task>(&format!(
            "SELECT {TASK_COLS} FROM tasks t LEFT JOIN members m ON m.id = t.assignee_member_id WHERE t.id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)?;
        let plan = self.plan_get(scope, task.plan_id).await?;
        Ok((task, plan))
    }

    pub async fn task_updates(&self, task_id: i64) -> StoreResult<Vec<TaskUpdate>> {
        Ok(sqlx::query_as::<_, TaskUpdate>(
            "SELECT u.at, u.username, u.percent, u.note, u.attachment_id, a.filename AS attachment_name \
             FROM task_updates u LEFT JOIN attachments a ON a.id = u.attachment_id \
             WHERE u.task_id = $1 ORDER BY u.at DESC, u.id DESC",
        )
        .bind(task_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Records progress, with an optional attachment, all or nothing. Allowed to those who
    /// edit the plan and to the task's own assignee.
    #[allow(clippy::too_many_arguments)]
    pub async fn task_update(
        &self,
        actor: &Actor,
        write: &Scope,
        view: &Scope,
        own_member: Option<i64>,
        id: i64,
        u: &TaskUpdateInput,
        attachment: Option<&crate::NewAttachment>,
    ) -> StoreResult<()> {
        let (task, plan) = self.task_get(view, id).await?;
        let allowed = write.sees_members_of(&plan.org_path)
            || (own_member.is_some() && own_member == task.assignee_member_id);
        if !allowed {
            return Err(StoreError::Forbidden);
        }
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        let stored = match attachment {
            Some(a) => Some(
                self.attachment_insert(&mut tx, actor, plan.org_id, a)
                    .await?,
            ),
            None => None,
        };
        let result = async {
            sqlx::query("UPDATE tasks SET status = $1, percent = $2, updated_at = $3 WHERE id = $4")
                .bind(u.status.code())
                .bind(i64::from(u.percent))
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO task_updates (task_id, at, username, percent, note, attachment_id) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(id)
            .bind(now)
            .bind(&actor.username)
            .bind(i64::from(u.percent))
            .bind(u.note.clone())
            .bind(stored.as_ref().map(|s| s.0))
            .execute(&mut *tx)
            .await?;
            let what = format!("任务「{}」进展：{}，{}%", task.title, u.status.label(), u.percent);
            audit::change(&mut tx, actor, "plan", plan.id, &what).await?;
            tx.commit().await?;
            Ok::<(), StoreError>(())
        }
        .await;
        if result.is_err() {
            if let Some((_, path)) = stored {
                let _ = tokio::fs::remove_file(path).await;
            }
        }
        result
    }

    /// Open tasks due by `until` (overdue ones included) in plans the scope covers, or assigned
    /// to `member`: the 待办 list.
    pub async fn tasks_due(
        &self,
        scope: &Scope,
        member: Option<i64>,
        until: ronghe_core::Date,
        limit: i64,
    ) -> StoreResult<Vec<(Task, String)>> {
        // Two index-driven queries instead of one with an OR (which scans every task): the
        // plans of the organizations in scope, and the tasks assigned to the member.
        let year = i64::from(chrono::Datelike::year(&until));
        let open = "t.status IN ('not_started', 'in_progress') AND t.deadline <= ";
        let mut q = Q::new(&format!(
            "SELECT {TASK_COLS}, o.name AS org_name FROM orgs o JOIN plans p ON p.org_id = o.id \
             JOIN tasks t ON t.plan_id = p.id LEFT JOIN members m ON m.id = t.assignee_member_id WHERE "
        ));
        q.org_scope(scope, "o.path", false)
            .push(" AND p.year >= ")
            .bind(year - 1);
        q.push(" AND p.year <= ")
            .bind(year)
            .push(&format!(" AND {open}"))
            .bind(until.to_string());
        q.push(" ORDER BY t.deadline, t.id LIMIT ").bind(limit);
        let mut rows = if scope.is_empty() {
            Vec::new()
        } else {
            q.query_as::<TaskWithOrg>().fetch_all(&self.pool).await?
        };
        if let Some(mid) = member {
            let mut q = Q::new(&format!(
                "SELECT {TASK_COLS}, o.name AS org_name FROM tasks t LEFT JOIN members m ON m.id = t.assignee_member_id \
                 JOIN plans p ON p.id = t.plan_id JOIN orgs o ON o.id = p.org_id WHERE t.assignee_member_id = "
            ));
            q.bind(mid)
                .push(&format!(" AND {open}"))
                .bind(until.to_string());
            q.push(" ORDER BY t.deadline, t.id LIMIT ").bind(limit);
            for r in q.query_as::<TaskWithOrg>().fetch_all(&self.pool).await? {
                if !rows.iter().any(|x| x.task.id == r.task.id) {
                    rows.push(r);
                }
            }
            rows.sort_by(|a, b| (&a.task.deadline, a.task.id).cmp(&(&b.task.deadline, b.task.id)));
            rows.truncate(limit as usize);
        }
        Ok(rows.into_iter().map(|r| (r.task, r.org_name)).collect())
    }

    /// KPIs in plans the scope covers that have no value for a finished month.
    pub async fn kpis_missing_values(
        &self,
        scope: &Scope,
        year: i64,
        month: &str,
        limit: i64,
    ) -> StoreResult<Vec<(KpiRow, Plan)>> {
        // The scope's deployed plans first (an index range on paths), then their KPIs: joined in
        // one statement, SQLite started from the 765k KPIs of a province and took ~0.9 s.
        let mut q = Q::new("SELECT p.id FROM orgs o JOIN plans p ON p.org_id = o.id WHERE ");
        q.org_scope(scope, "o.path", false)
            .push(" AND p.year = ")
            .bind(year);
        q.push(" AND p.status IN ('deployed', 'in_progress') ORDER BY p.id LIMIT ")
            .bind(PLANS_CHECKED);
        let plans: Vec<i64> = q.scalar().fetch_all(&self.pool).await?;
        if plans.is_empty() {
            return Ok(Vec::new());
        }
        let list = plans
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",");
        let mut q = Q::new(&format!(
            "SELECT k.id, k.goal_id, k.name, k.unit, k.direction, k.range_low, k.range_high, k.baseline, k.target, g.plan_id \
             FROM goals g JOIN kpis k ON k.goal_id = g.id WHERE g.plan_id IN ({list}) AND NOT EXISTS \
             (SELECT 1 FROM kpi_values v WHERE v.kpi_id = k.id AND v.month = "
        ));
        q.bind(month).push(") ORDER BY k.id LIMIT ").bind(limit);
        let rows = q.query_as::<KpiWithPlan>().fetch_all(&self.pool).await?;
        let mut out = Vec::new();
        for r in rows {
            let plan = self.plan_get(scope, r.plan_id).await?;
            out.push((r.kpi, plan));
        }
        Ok(out)
    }
}

/// How many plans the 待办 looks into for missing KPI values (a secretary has one; a large
/// committee sees its own list on each plan page).
const PLANS_CHECKED: i64 = 500;

impl Store {
    /// The year's plans of the organizations above those the scope sees (the unit's goals a
    /// branch serves). Read-only context for 胸中有数; nothing below those plans is exposed.
    pub async fn ancestor_plans(&self, scope: &Scope, year: i64) -> StoreResult<Vec<Plan>> {
        let mut ids: Vec<i64> = Vec::new();
        for root in scope.subtrees.iter().chain(scope.orgs.iter()) {
            let path_ids = ronghe_core::scope::path_ids(root);
            ids.extend(&path_ids[..path_ids.len().saturating_sub(1)]);
        }
        ids.sort_unstable();
        ids.dedup();
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        let q = Q::new(&format!(
            "SELECT {PLAN_COLS} FROM plans p JOIN orgs o ON o.id = p.org_id WHERE p.year = {year} AND p.org_id IN ({list}) ORDER BY o.path"
        ));
        Ok(q.query_as::<Plan>().fetch_all(&self.pool).await?)
    }

    /// Party work items of a year's plans in scope that serve no business goal (未找到结合点).
    pub async fn orphan_items(
        &self,
        scope: &Scope,
        year: i64,
        limit: i64,
    ) -> StoreResult<Vec<(Item, i64, String)>> {
        let mut q = Q::new(
            "SELECT i.id, i.plan_id, i.kind, i.title, i.description, i.owner_member_id, NULL AS owner_name, \
             i.starts_on, i.ends_on, o.name AS org_name FROM items i JOIN plans p ON p.id = i.plan_id \
             JOIN orgs o ON o.id = p.org_id WHERE p.year = ",
        );
        q.bind(year)
            .push(" AND NOT EXISTS (SELECT 1 FROM links l WHERE l.item_id = i.id) AND ");
        q.org_scope(scope, "o.path", false)
            .push(" ORDER BY i.id LIMIT ")
            .bind(limit);
        let rows = q.query_as::<ItemWithOrg>().fetch_all(&self.pool).await?;
        Ok(rows
            .into_iter()
            .map(|r| (r.item.clone(), r.item.plan_id, r.org_name))
            .collect())
    }
}

#[derive(FromRow)]
struct ItemWithOrg {
    #[sqlx(flatten)]
    item: Item,
    org_name: String,
}

#[derive(FromRow)]
struct TaskWithOrg {
    #[sqlx(flatten)]
    task: Task,
    org_name: String,
}

#[derive(FromRow)]
struct KpiWithPlan {
    #[sqlx(flatten)]
    kpi: KpiRow,
    plan_id: i64,
}

/// The range bounds are always bound as numbers and nulled in SQL: sqlx's Any driver sends a
/// NULL f64 as float4 on PostgreSQL, and the cached statement then refuses a real float8.
const INSERT_KPI: &str =
    "INSERT INTO kpis (goal_id, name, unit, direction, range_low, range_high, baseline, target) \
     VALUES ($1, $2, $3, $4, CASE WHEN $4 = 'within_range' THEN $5 END, \
     CASE WHEN $4 = 'within_range' THEN $6 END, $7, $8) RETURNING id";

async fn insert_kpi(
    conn: &mut sqlx::AnyConnection,
    goal_id: i64,
    k: &KpiInput,
) -> StoreResult<i64> {
    let (code, low, high) = match k.kpi.direction {
        Direction::HigherBetter => ("higher_better", None, None),
        Direction::LowerBetter => ("lower_better", None, None),
        Direction::WithinRange { low, high } => ("within_range", Some(low), Some(high)),
    };
    Ok(sqlx::query_scalar(INSERT_KPI)
        .bind(goal_id)
        .bind(&k.name)
        .bind(&k.kpi.unit)
        .bind(code)
        .bind(low.unwrap_or(0.0))
        .bind(high.unwrap_or(0.0))
        .bind(k.kpi.baseline)
        .bind(k.kpi.target)
        .fetch_one(conn)
        .await?)
}
