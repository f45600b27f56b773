//! Business goals, their KPIs and the monthly actual values.

use super::*;

impl Store {
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
        let kpi =
            sqlx::query_as::<_, KpiRow>(&format!("SELECT {KPI_COLS} FROM kpis k WHERE k.id = $1"))
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
        ronghe_core::plan::kpi_rhythm::check_month(kpi.cadence(), month)
            .map_err(|e| StoreError::field("month", &e))?;
        let mut tx = self.pool.begin().await?;
        // The other months, read inside the transaction the write commits in.
        let others: Vec<(String, f64)> =
            sqlx::query_as("SELECT month, value FROM kpi_values WHERE kpi_id = $1 AND month <> $2")
                .bind(kpi_id)
                .bind(month)
                .fetch_all(&mut *tx)
                .await?;
        ronghe_core::plan::kpi_rhythm::check_value_against_history(
            kpi.accumulation(),
            month,
            value,
            &others,
        )
        .map_err(|e| StoreError::field("value", &e))?;
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

    /// Every value entered for a KPI, oldest month first, with who entered it (their name
    /// where the account belongs to a member) and when.
    /// Also the title of the goal the KPI measures.
    pub async fn kpi_history(
        &self,
        scope: &Scope,
        kpi_id: i64,
    ) -> StoreResult<(String, Vec<KpiEntry>)> {
        let (kpi, _) = self.kpi_get(scope, kpi_id).await?;
        let goal: String = sqlx::query_scalar("SELECT title FROM goals WHERE id = $1")
            .bind(kpi.goal_id)
            .fetch_one(&self.pool)
            .await?;
        let entries = sqlx::query_as::<_, KpiEntry>(
            "SELECT v.month, v.value, v.source, v.entered_by, m.name AS entered_by_name, v.entered_at \
             FROM kpi_values v LEFT JOIN accounts a ON a.username = v.entered_by \
             LEFT JOIN members m ON m.id = a.member_id WHERE v.kpi_id = $1 ORDER BY v.month",
        )
        .bind(kpi_id)
        .fetch_all(&self.pool)
        .await?;
        Ok((goal, entries))
    }

    /// Says what a KPI's figures mean and how often they are due. Turning a KPI into a
    /// running total is refused while its entered values fall somewhere.
    pub async fn kpi_set_rhythm(
        &self,
        actor: &Actor,
        scope: &Scope,
        kpi_id: i64,
        accumulation: ronghe_core::plan::Accumulation,
        cadence: ronghe_core::plan::Cadence,
    ) -> StoreResult<()> {
        use ronghe_core::plan::kpi_rhythm::check_value_against_history;
        let (kpi, plan) = self.kpi_get(scope, kpi_id).await?;
        let plan = self.plan_for_write(scope, plan.id).await?;
        let mut tx = self.pool.begin().await?;
        let values: Vec<(String, f64)> =
            sqlx::query_as("SELECT month, value FROM kpi_values WHERE kpi_id = $1 ORDER BY month")
                .bind(kpi_id)
                .fetch_all(&mut *tx)
                .await?;
        for (i, (month, value)) in values.iter().enumerate() {
            let others: Vec<_> = values[..i].to_vec();
            check_value_against_history(accumulation, month, *value, &others).map_err(|_| {
                StoreError::field(
                    "accumulation",
                    "已录入的数有月份比前一个月小，不像累计值；请先核对这些月份的数",
                )
            })?;
        }
        sqlx::query("UPDATE kpis SET accumulation = $1, cadence = $2 WHERE id = $3")
            .bind(accumulation.code())
            .bind(cadence.code())
            .bind(kpi_id)
            .execute(&mut *tx)
            .await?;
        let what = format!(
            "指标「{}」改为{}、{}",
            kpi.name,
            accumulation.label(),
            cadence.label()
        );
        audit::change(&mut tx, actor, "plan", plan.id, &what).await?;
        tx.commit().await?;
        Ok(())
    }

    /// KPIs in plans the scope covers that have no value for the month now due: `monthly`
    /// for KPIs reported every month, `quarterly` for those reported each quarter (`None`:
    /// nothing of that cadence is due yet).
    pub async fn kpis_missing_values(
        &self,
        scope: &Scope,
        year: i64,
        monthly: Option<&str>,
        quarterly: Option<&str>,
        limit: i64,
    ) -> StoreResult<Vec<(KpiRow, Plan)>> {
        if monthly.is_none() && quarterly.is_none() {
            return Ok(Vec::new());
        }
        // The scope's deployed plans first (an index range on paths), then their KPIs: joined in
        // one statement, SQLite started from the 765k KPIs of a province and took ~0.9 s.
        let mut q = Q::new("SELECT p.id FROM orgs o JOIN plans p ON p.org_id = o.id WHERE ");
        q.org_scope(scope, "o.path", false)
            .push(" AND p.year = ")
            .bind(year);
        q.push(" AND p.status IN ('deployed', 'in_progress', 'summarized') ORDER BY p.id LIMIT ")
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
            "SELECT {KPI_COLS}, g.plan_id \
             FROM goals g JOIN kpis k ON k.goal_id = g.id WHERE g.plan_id IN ({list}) AND ("
        ));
        let missing = "NOT EXISTS (SELECT 1 FROM kpi_values v WHERE v.kpi_id = k.id AND v.month = ";
        let mut or = "";
        for (cadence, month) in [("monthly", monthly), ("quarterly", quarterly)] {
            if let Some(month) = month {
                q.push(&format!("{or}(k.cadence = '{cadence}' AND {missing}"))
                    .bind(month)
                    .push("))");
                or = " OR ";
            }
        }
        q.push(") ORDER BY k.id LIMIT ").bind(limit);
        let rows = q.query_as::<KpiWithPlan>().fetch_all(&self.pool).await?;
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        // Their plans in one read (all in scope: they came from the scoped list above).
        let mut ids: Vec<i64> = rows.iter().map(|r| r.plan_id).collect();
        ids.sort_unstable();
        ids.dedup();
        let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        let plans: std::collections::HashMap<i64, Plan> = Q::new(&format!(
            "SELECT {PLAN_COLS} FROM plans p JOIN orgs o ON o.id = p.org_id WHERE p.id IN ({list})"
        ))
        .query_as::<Plan>()
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
        Ok(rows
            .into_iter()
            .filter_map(|r| Some((r.kpi, plans.get(&r.plan_id)?.clone())))
            .collect())
    }
}

/// How many plans the 待办 looks into for missing KPI values (a secretary has one; a large
/// committee sees its own list on each plan page).
const PLANS_CHECKED: i64 = 500;

/// One month's value of a KPI as entered.
#[derive(Debug, Clone, Serialize, FromRow)]
pub struct KpiEntry {
    pub month: String,
    pub value: f64,
    pub source: String,
    pub entered_by: String,
    pub entered_by_name: Option<String>,
    pub entered_at: i64,
}

#[derive(FromRow)]
struct KpiWithPlan {
    #[sqlx(flatten)]
    kpi: KpiRow,
    plan_id: i64,
}

/// The range bounds are always bound as numbers and nulled in SQL: sqlx's Any driver sends a
/// NULL f64 as float4 on PostgreSQL, and the cached statement then refuses a real float8.
pub(super) const INSERT_KPI: &str =
    "INSERT INTO kpis (goal_id, name, unit, direction, range_low, range_high, baseline, target, \
     accumulation, cadence) \
     VALUES ($1, $2, $3, $4, CASE WHEN $4 = 'within_range' THEN $5 END, \
     CASE WHEN $4 = 'within_range' THEN $6 END, $7, $8, $9, $10) RETURNING id";

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
        .bind(k.accumulation.code())
        .bind(k.cadence.code())
        .fetch_one(conn)
        .await?)
}
