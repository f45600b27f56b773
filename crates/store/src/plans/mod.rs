//! Plans: business goals with KPIs, Party work items, the links between them, and tasks.
//! Every read goes through the caller's scope via the plan's organization.

use crate::error::{StoreError, StoreResult};
use crate::q::Q;
use crate::{audit, now_ms, Actor, Store};
use goals::INSERT_KPI;
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

mod facts;
mod goals;
mod integration;
mod items;
mod milestones;
mod tasks;

pub(crate) use facts::local_day;
pub use goals::KpiEntry;
pub(crate) use milestones::reported_percent;
pub use milestones::{TaskAssignee, TaskMilestone};

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
    /// When the plan was closed (ms), if it is.
    pub summarized_at: Option<i64>,
    pub updated_at: i64,
}

pub(crate) const PLAN_COLS: &str =
    "p.id, p.org_id, o.name AS org_name, o.path AS org_path, o.unit_kind, \
    p.year, p.title, p.status, p.summary, p.summarized_at, p.updated_at";

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
    /// Who a plan-editing `scope` is for this plan when reopening it: the committee above
    /// (it sees the parent organization), the plan's own editors, or nobody.
    pub fn reopener(&self, scope: &Scope) -> Option<ronghe_core::plan::Reopener> {
        use ronghe_core::plan::Reopener;
        if parent_path(&self.org_path).is_some_and(|p| scope.sees_members_of(p)) {
            Some(Reopener::CommitteeAbove)
        } else if scope.sees_members_of(&self.org_path) {
            Some(Reopener::Editor)
        } else {
            None
        }
    }

    /// The day the plan was closed, if it is.
    pub fn closed_on(&self) -> Option<ronghe_core::Date> {
        self.summarized_at
            .and_then(chrono::DateTime::from_timestamp_millis)
            .map(|t| t.with_timezone(&chrono::Local).date_naive())
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
    /// `cumulative` (累计值) or `monthly` (当月值).
    pub accumulation: String,
    /// `monthly` or `quarterly`.
    pub cadence: String,
}

/// A KPI's columns, in [`KpiRow`]'s order, from `kpis k`.
pub(crate) const KPI_COLS: &str = "k.id, k.goal_id, k.name, k.unit, k.direction, k.range_low, \
    k.range_high, k.baseline, k.target, k.accumulation, k.cadence";

impl KpiRow {
    pub fn accumulation(&self) -> ronghe_core::plan::Accumulation {
        ronghe_core::plan::Accumulation::from_code(&self.accumulation)
            .unwrap_or(ronghe_core::plan::Accumulation::Monthly)
    }
    pub fn cadence(&self) -> ronghe_core::plan::Cadence {
        ronghe_core::plan::Cadence::from_code(&self.cadence)
            .unwrap_or(ronghe_core::plan::Cadence::Monthly)
    }

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

pub(crate) const TASK_COLS: &str =
    "t.id, t.plan_id, t.item_id, t.goal_id, t.title, t.assignee_member_id, \
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

#[derive(FromRow)]
struct GoalWithMeetings {
    #[sqlx(flatten)]
    goal: Goal,
    meetings: i64,
}

#[derive(FromRow)]
struct KpiWithValue {
    #[sqlx(flatten)]
    kpi: KpiRow,
    v_month: Option<String>,
    v_value: Option<f64>,
    v_source: Option<String>,
    v_entered_by: Option<String>,
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
    /// Co-assignees of the tasks.
    pub assignees: Vec<TaskAssignee>,
    /// Milestones of the tasks, in each task's order.
    pub milestones: Vec<TaskMilestone>,
    /// (goal id, meetings recorded as serving it)
    pub meetings_per_goal: Vec<(i64, i64)>,
}

pub(crate) fn date(d: Option<ronghe_core::Date>) -> Option<String> {
    d.map(|d| d.to_string())
}

pub(crate) fn conflict(e: sqlx::Error, field: &str, message: &str) -> StoreError {
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
        let mut q = plans_where(scope, year, org_id).select(PLAN_COLS);
        q.push(" ORDER BY p.year DESC, o.path LIMIT 300");
        Ok(q.query_as::<Plan>().fetch_all(&self.pool).await?)
    }

    /// One page of [`Store::plan_list`] with the total, for the API.
    pub async fn plan_page(
        &self,
        scope: &Scope,
        year: Option<i64>,
        org_id: Option<i64>,
        page: u32,
        per_page: u32,
    ) -> StoreResult<crate::Page<Plan>> {
        let base = plans_where(scope, year, org_id);
        self.fetch_page(base, PLAN_COLS, "p.year DESC, o.path, p.id", page, per_page)
            .await
    }

    /// The plan with everything in it, every monthly KPI value included (the API's answer).
    pub async fn plan_view(&self, scope: &Scope, id: i64) -> StoreResult<PlanView> {
        self.plan_view_with(scope, id, false).await
    }

    /// The plan as its page shows it: only the latest value of each KPI.
    pub async fn plan_view_latest(&self, scope: &Scope, id: i64) -> StoreResult<PlanView> {
        self.plan_view_with(scope, id, true).await
    }

    async fn plan_view_with(&self, scope: &Scope, id: i64, latest: bool) -> StoreResult<PlanView> {
        let plan = self.plan_get(scope, id).await?;
        // Goals with how many meeting records served each; KPIs with their monthly values
        // (one row per value): two statements where there were four.
        let goal_rows = sqlx::query_as::<_, GoalWithMeetings>(
            "SELECT g.id, g.plan_id, g.title, g.department, g.is_key, g.weight, g.parent_goal_id, g.stated_by, \
             (SELECT COUNT(*) FROM meeting_goals mg WHERE mg.goal_id = g.id) AS meetings \
             FROM goals g WHERE g.plan_id = $1 ORDER BY g.is_key DESC, g.id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let meetings_per_goal = goal_rows
            .iter()
            .filter(|r| r.meetings > 0)
            .map(|r| (r.goal.id, r.meetings))
            .collect();
        let goals = goal_rows.into_iter().map(|r| r.goal).collect();
        let kpi_rows = sqlx::query_as::<_, KpiWithValue>(&format!(
            "SELECT {KPI_COLS}, \
             v.month AS v_month, v.value AS v_value, v.source AS v_source, v.entered_by AS v_entered_by \
             FROM goals g JOIN kpis k ON k.goal_id = g.id LEFT JOIN kpi_values v ON v.kpi_id = k.id{} \
             WHERE g.plan_id = $1 ORDER BY k.id, v.month",
            if latest {
                " AND v.month = (SELECT MAX(x.month) FROM kpi_values x WHERE x.kpi_id = k.id)"
            } else {
                ""
            },
            KPI_COLS = KPI_COLS,
        ))
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let mut kpis: Vec<KpiRow> = Vec::new();
        let mut values = Vec::new();
        for r in kpi_rows {
            if let (Some(month), Some(value), Some(source), Some(entered_by)) =
                (r.v_month, r.v_value, r.v_source, r.v_entered_by)
            {
                values.push(KpiValue {
                    kpi_id: r.kpi.id,
                    month,
                    value,
                    source,
                    entered_by,
                });
            }
            if kpis.last().map(|k| k.id) != Some(r.kpi.id) {
                kpis.push(r.kpi);
            }
        }
        values.sort_by(|a, b| a.month.cmp(&b.month));
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
        Ok(PlanView {
            plan,
            goals,
            kpis,
            values,
            items,
            links,
            tasks,
            assignees: self.plan_task_assignees(id).await?,
            milestones: self.plan_task_milestones(id).await?,
            meetings_per_goal,
        })
    }

    /// A plan the caller may change: visible, and inside the subtree the write scope covers.
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
        let summary = match (to, summary) {
            (PlanStatus::Summarized, Some(text)) => Some(
                ronghe_core::plan::validate_summary(&text)
                    .map_err(|m| StoreError::field("summary", m))?,
            ),
            (PlanStatus::Summarized, None) => {
                return Err(StoreError::field("summary", "转为“已总结”需要填写年度总结"))
            }
            (_, s) => s,
        };
        let now = now_ms();
        let closed_at = (to == PlanStatus::Summarized).then_some(now);
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "UPDATE plans SET status = $1, summary = COALESCE($2, summary), updated_at = $3, \
             summarized_at = $5 WHERE id = $4",
        )
        .bind(to.code())
        .bind(summary)
        .bind(now)
        .bind(id)
        .bind(closed_at)
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

    /// Reopens a closed plan (已总结 → 执行中) for `reason`: by the committee above at any time
    /// (`above` is its plan-editing scope), or by the plan's own editors within
    /// [`REOPEN_DAYS`](ronghe_core::plan::REOPEN_DAYS) of closing. The summary is kept.
    pub async fn plan_reopen(
        &self,
        actor: &Actor,
        scope: &Scope,
        id: i64,
        reason: &str,
    ) -> StoreResult<()> {
        let plan = self.plan_get(scope, id).await?;
        if plan.status() != PlanStatus::Summarized {
            return Err(StoreError::field("reopen", "计划尚未总结，不需要重新打开"));
        }
        let who = plan.reopener(scope).ok_or(StoreError::NotFound)?;
        ronghe_core::plan::can_reopen(plan.closed_on(), crate::today(), who)
            .map_err(|m| StoreError::field("reopen", m))?;
        let reason = ronghe_core::text::required("重新打开的理由", reason, 200)
            .map_err(|m| StoreError::field("reopen", m))?;
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "UPDATE plans SET status = 'in_progress', summarized_at = NULL, updated_at = $1 \
             WHERE id = $2",
        )
        .bind(now_ms())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        audit::change(
            &mut tx,
            actor,
            "plan",
            id,
            &format!("重新打开已总结的计划（已总结 → 执行中），理由：{reason}"),
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
                .bind(&k.accumulation)
                .bind(&k.cadence)
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
}

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
}

/// The path of the organization above the one at `path` ("/1/4/" for "/1/4/12/").
fn parent_path(path: &str) -> Option<&str> {
    let trimmed = path.strip_suffix('/')?;
    let cut = trimmed.rfind('/')?;
    (cut > 0).then(|| &path[..=cut])
}

/// " FROM … WHERE …" of the plans in `scope`, of `year` and `org_id` when given.
fn plans_where(scope: &Scope, year: Option<i64>, org_id: Option<i64>) -> Q {
    let mut q = Q::new(" FROM plans p JOIN orgs o ON o.id = p.org_id WHERE ");
    q.org_scope(scope, "o.path", true);
    if let Some(y) = year {
        q.push(" AND p.year = ").bind(y);
    }
    if let Some(o) = org_id {
        q.push(" AND p.org_id = ").bind(o);
    }
    q
}
