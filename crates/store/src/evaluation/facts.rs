//! The facts of every plan below a committee for a year, read in a handful of statements
//! (one per table, side by side on separate connections) instead of one plan page each, so a
//! province is evaluated in one pass. The same [`PlanFacts`] the plan page builds from its
//! own view: core measures both alike.

use crate::error::StoreResult;
use crate::plans::KpiRow;
use crate::{evaluate_branches, Org, Store};
use ronghe_core::evaluation::facts::{GoalFact, KpiFact, PlanFacts};
use ronghe_core::plan::TaskStatus;
use ronghe_core::scope::{subtree_range, Scope};
use ronghe_core::Date;
use std::collections::HashMap;

/// One organization to evaluate: its plan for the year and what it holds.
#[derive(Debug, Clone)]
pub struct EvalSubject {
    pub org_id: i64,
    pub plan_id: i64,
    pub org_name: String,
    pub org_kind: String,
    pub unit_kind: String,
    pub facts: PlanFacts,
}

#[derive(Debug, Clone, Default)]
pub struct SubtreeEvalFacts {
    /// By plan id.
    pub subjects: Vec<EvalSubject>,
}

struct KpiFactRow {
    plan_id: i64,
    kpi: KpiRow,
    latest: Option<f64>,
}

/// " FROM plans p JOIN orgs o … WHERE …" for the plans of the year strictly below the root.
fn below(year: i32, root: &Org) -> String {
    let (lo, hi) = subtree_range(&root.path);
    // Paths are digits and slashes only: safe to inline, and the statements stay simple.
    debug_assert!(root.path.chars().all(|c| c.is_ascii_digit() || c == '/'));
    format!(
        " JOIN plans p ON p.id = {{plan}} JOIN orgs o ON o.id = p.org_id WHERE p.year = {year} \
         AND o.path >= '{lo}' AND o.path < '{hi}' AND o.id <> {}",
        root.id
    )
}

/// The number of columns of each of [`statements`].
const COLUMNS: [usize; 8] = [5, 5, 13, 2, 4, 8, 3, 3];

/// The statements [`Store::eval_facts`] reads, one per table, for the plans of `year`
/// strictly below `root`: plans, goals, KPIs with their latest value, items, links, tasks,
/// milestones per task, meetings per organization.
fn statements(root: &Org, year: i32) -> [String; 8] {
    let w = |plan_col: &str| below(year, root).replace("{plan}", plan_col);
    let plans_sql = format!(
        "SELECT p.id, p.org_id, o.name, o.kind, o.unit_kind FROM plans p{} ORDER BY p.id",
        w("p.id").replacen(" JOIN plans p ON p.id = p.id", "", 1)
    );
    let goals_sql = format!(
        "SELECT g.id, g.plan_id, g.title, g.weight, g.is_key FROM goals g{}",
        w("g.plan_id")
    );
    let kpis_sql = format!(
            "SELECT g.plan_id, {}, (SELECT v.value FROM kpi_values v WHERE v.kpi_id = k.id \
             ORDER BY v.month DESC LIMIT 1) AS latest FROM kpis k JOIN goals g ON g.id = k.goal_id{}",
            crate::plans::KPI_COLS,
            w("g.plan_id")
        );
    let items_sql = format!("SELECT i.id, i.plan_id FROM items i{}", w("i.plan_id"));
    let links_sql = format!(
            "SELECT l.id, i.plan_id, l.item_id, l.goal_id FROM links l JOIN items i ON i.id = l.item_id{}",
            w("i.plan_id")
        );
    let tasks_sql = format!(
            "SELECT t.id, t.plan_id, t.item_id, t.goal_id, t.status, t.deadline, t.percent, t.updated_at \
             FROM tasks t{}",
            w("t.plan_id")
        );
    let milestones_sql = format!(
        "SELECT x.task_id, COUNT(*), SUM(CASE WHEN x.done_on IS NOT NULL THEN 1 ELSE 0 END) \
             FROM task_milestones x JOIN tasks t ON t.id = x.task_id{} GROUP BY x.task_id",
        w("t.plan_id")
    );
    let (lo, hi) = subtree_range(&root.path);
    // Meetings of an organization and of its 党小组; serving: linked to a business goal,
    // or to an item of the organization's plan of the year that has a junction point.
    let meetings_sql = format!(
            "SELECT c.owner, COUNT(*), SUM(c.serving) FROM (SELECT \
             CASE WHEN mo.kind = 'group' THEN mo.parent_id ELSE mo.id END AS owner, \
             CASE WHEN EXISTS (SELECT 1 FROM meeting_goals mg WHERE mg.meeting_id = m.id) \
             OR EXISTS (SELECT 1 FROM meeting_items mi CROSS JOIN items i CROSS JOIN plans ip \
             WHERE mi.meeting_id = m.id AND i.id = mi.item_id AND ip.id = i.plan_id AND ip.year = {year} \
             AND ip.org_id = CASE WHEN mo.kind = 'group' THEN mo.parent_id ELSE mo.id END \
             AND EXISTS (SELECT 1 FROM links l WHERE l.item_id = i.id)) THEN 1 ELSE 0 END AS serving \
             FROM meetings m JOIN orgs mo ON mo.id = m.org_id WHERE m.held_on >= '{year:04}-01-01' \
             AND m.held_on <= '{year:04}-12-31' AND mo.path >= '{lo}' AND mo.path < '{hi}') c \
             GROUP BY c.owner"
        );
    [
        plans_sql,
        goals_sql,
        kpis_sql,
        items_sql,
        links_sql,
        tasks_sql,
        milestones_sql,
        meetings_sql,
    ]
}

impl Store {
    /// The same rows as [`Store::eval_facts`] reads, only aggregated, side by side the same
    /// way: the bare aggregate the benchmark compares a whole evaluation run with. With
    /// `values`, each statement's rows and every value of its columns are counted, so no
    /// planner skips a column or the table behind it (a bare `COUNT(*)` lets PostgreSQL drop
    /// the latest KPI value and the meeting-serves-a-goal test, and with them two tables);
    /// without, the rows only. Returns the rows counted.
    pub async fn eval_bare_aggregate(
        &self,
        root: &Org,
        year: i32,
        values: bool,
    ) -> StoreResult<i64> {
        // The compliance inputs of the subtree are read too, side by side with the rest.
        let mut sub = Scope::none();
        sub.add_subtree(&root.path);
        let statements = statements(root, year);
        // Read the way the run reads (see `rows`), so the two differ only in what comes back.
        let counting = futures_util::future::try_join_all(statements.iter().zip(COLUMNS).map(
            |(sql, columns)| {
                let wrapped = crate::q::aggregate_all(sql, if values { columns } else { 0 });
                async move { self.rows_of(&wrapped, |r| r.int(0)).await }
            },
        ));
        let (counts, compliance) =
            tokio::try_join!(counting, self.compliance_bare_count(&sub, year, values))?;
        Ok(counts.into_iter().flatten().sum::<i64>() + compliance)
    }

    /// The facts of every plan of `year` strictly below `root`, measured as of `today` (for
    /// the compliance windows due so far).
    pub async fn eval_facts(
        &self,
        root: &Org,
        year: i32,
        today: Date,
    ) -> StoreResult<SubtreeEvalFacts> {
        let [plans_sql, goals_sql, kpis_sql, items_sql, links_sql, tasks_sql, milestones_sql, meetings_sql] =
            statements(root, year);
        let mut sub = Scope::none();
        sub.add_subtree(&root.path);
        let (
            plans,
            mut goals,
            mut kpis,
            mut items,
            mut links,
            mut tasks,
            milestones,
            meetings,
            branches,
        ) = tokio::try_join!(
            self.rows_of(&plans_sql, |r| Ok((
                r.int(0)?,
                r.int(1)?,
                r.text(2)?,
                r.text(3)?,
                r.text(4)?
            ))),
            self.rows_of(&goals_sql, |r| Ok((
                r.int(0)?,
                r.int(1)?,
                r.text(2)?,
                r.real(3)?,
                r.int(4)?
            ))),
            self.rows_of(&kpis_sql, |r| Ok(KpiFactRow {
                plan_id: r.int(0)?,
                kpi: KpiRow::from_cells(r, 1)?,
                latest: r.opt_real(12)?,
            })),
            self.rows_of(&items_sql, |r| Ok((r.int(0)?, r.int(1)?))),
            self.rows_of(&links_sql, |r| Ok((
                r.int(0)?,
                r.int(1)?,
                r.int(2)?,
                r.int(3)?
            ))),
            self.rows_of(&tasks_sql, |r| Ok((
                r.int(0)?,
                r.int(1)?,
                r.opt_int(2)?,
                r.opt_int(3)?,
                r.text(4)?,
                r.text(5)?,
                r.int(6)?,
                r.int(7)?
            ))),
            self.rows_of(&milestones_sql, |r| Ok((r.int(0)?, r.int(1)?, r.int(2)?))),
            self.rows_of(&meetings_sql, |r| Ok((r.int(0)?, r.int(1)?, r.int(2)?))),
            self.compliance_inputs(&sub, year),
        )?;
        // In the plan page's order (goals key first, then by id; tasks by deadline), so the
        // sums come out the same to the last bit.
        goals.sort_unstable_by_key(|g| (g.4 == 0, g.0));
        kpis.sort_unstable_by_key(|k| k.kpi.id);
        items.sort_unstable();
        links.sort_unstable();
        tasks.sort_unstable_by(|a, b| (a.5.as_str(), a.0).cmp(&(b.5.as_str(), b.0)));
        let rules = self.compliance_config().await?.rules();
        let compliance: HashMap<i64, (u32, u32)> = tokio::task::spawn_blocking(move || {
            evaluate_branches(&rules, &branches, year, today)
                .into_iter()
                .map(|b| (b.org_id, (b.met, b.met + b.overdue)))
                .collect()
        })
        .await
        .unwrap_or_default();
        let meetings: HashMap<i64, (u32, u32)> = meetings
            .into_iter()
            .map(|(o, n, s)| (o, (n.max(0) as u32, s.clamp(0, n) as u32)))
            .collect();
        let milestones: HashMap<i64, (usize, usize)> = milestones
            .into_iter()
            .map(|(t, n, d)| (t, (d.max(0) as usize, n.max(0) as usize)))
            .collect();
        let mut subjects: Vec<EvalSubject> = plans
            .into_iter()
            .map(
                |(plan_id, org_id, org_name, org_kind, unit_kind)| EvalSubject {
                    facts: PlanFacts {
                        year,
                        meetings: meetings.get(&org_id).copied().unwrap_or_default(),
                        compliance: (org_kind == "branch")
                            .then(|| compliance.get(&org_id).copied())
                            .flatten(),
                        ..Default::default()
                    },
                    org_id,
                    plan_id,
                    org_name,
                    org_kind,
                    unit_kind,
                },
            )
            .collect();
        let at: HashMap<i64, usize> = subjects
            .iter()
            .enumerate()
            .map(|(i, s)| (s.plan_id, i))
            .collect();
        let of = |plan: i64| at.get(&plan).copied();
        for (id, plan, title, weight, is_key) in goals {
            if let Some(i) = of(plan) {
                subjects[i].facts.goals.push(GoalFact {
                    id,
                    title,
                    weight,
                    is_key: is_key != 0,
                });
            }
        }
        for r in kpis {
            if let Some(i) = of(r.plan_id) {
                subjects[i].facts.kpis.push(KpiFact {
                    goal_id: r.kpi.goal_id,
                    kpi: r.kpi.kpi(),
                    cadence: r.kpi.cadence(),
                    latest: r.latest,
                });
            }
        }
        for (id, plan) in items {
            if let Some(i) = of(plan) {
                subjects[i].facts.items.push(id);
            }
        }
        for (_, plan, item, goal) in links {
            if let Some(i) = of(plan) {
                subjects[i].facts.links.push((item, goal));
            }
        }
        for (id, plan, item_id, goal_id, status, deadline, percent, updated_at) in tasks {
            let Some(i) = of(plan) else { continue };
            let (Ok(deadline), Some(changed_on)) = (
                deadline.parse::<Date>(),
                crate::plans::local_day(updated_at),
            ) else {
                continue;
            };
            subjects[i]
                .facts
                .tasks
                .push(ronghe_core::evaluation::facts::TaskFact {
                    item_id,
                    goal_id,
                    status: TaskStatus::from_code(&status).unwrap_or(TaskStatus::NotStarted),
                    deadline,
                    reported: crate::plans::reported_percent(percent),
                    milestones: milestones.get(&id).copied().unwrap_or_default(),
                    changed_on,
                });
        }
        let as_of = today.min(Date::from_ymd_opt(year, 12, 31).unwrap_or(today));
        let overdue = self.rectifications_overdue(root, year, as_of).await?;
        for s in &mut subjects {
            s.facts.rectifications_overdue = overdue.get(&s.org_id).copied().unwrap_or(0);
        }
        Ok(SubtreeEvalFacts { subjects })
    }
}
