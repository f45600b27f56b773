//! What one organization's plan and records measure for a period: the shares the evaluation
//! sources read and the integration index, from plain facts. The plan page and the bulk
//! evaluation of a whole subtree both call [`measure`], so they can never disagree.

use crate::integration::performance::{business_performance, party_performance};
use crate::integration::{integration_index, IndexConfig, IntegrationIndex, IntegrationInputs};
use crate::plan::{
    self, kpi_progress, task_progress_with_milestones, Cadence, GoalRef, Kpi, LinkRef, Rollup,
    TaskStatus,
};
use crate::Date;
use serde::Serialize;

#[derive(Debug, Clone)]
pub struct GoalFact {
    pub id: i64,
    pub title: String,
    pub weight: f64,
    pub is_key: bool,
}

#[derive(Debug, Clone)]
pub struct KpiFact {
    pub goal_id: i64,
    pub kpi: Kpi,
    pub cadence: Cadence,
    /// The value of the latest month entered, if any.
    pub latest: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct TaskFact {
    pub item_id: Option<i64>,
    pub goal_id: Option<i64>,
    pub status: TaskStatus,
    pub deadline: Date,
    /// The percentage reported, if any.
    pub reported: Option<u8>,
    /// Milestones done, and in all.
    pub milestones: (usize, usize),
    /// The day of its last change (for a done task: when it was marked done).
    pub changed_on: Date,
}

/// One plan with what the evaluation reads of it.
#[derive(Debug, Clone, Default)]
pub struct PlanFacts {
    pub year: i32,
    pub goals: Vec<GoalFact>,
    pub kpis: Vec<KpiFact>,
    pub items: Vec<i64>,
    /// (item id, goal id)
    pub links: Vec<(i64, i64)>,
    pub tasks: Vec<TaskFact>,
    /// Meeting records of the organization in the period, and those serving a goal of the plan.
    pub meetings: (u32, u32),
    /// Windows met and due so far, for a 党支部.
    pub compliance: Option<(u32, u32)>,
    /// Rectifications past their deadline and not verified closed.
    pub rectifications_overdue: u32,
}

/// What the evaluation sources read. Each share is in [0, 1]; `None`: does not apply.
#[derive(Debug, Clone, Serialize)]
pub struct Measures {
    pub life: Option<f64>,
    pub tasks_due: u32,
    pub tasks_on_time_count: u32,
    pub tasks_on_time: Option<f64>,
    pub items_progress: Option<f64>,
    pub kpis: Option<f64>,
    pub served_kpis: Option<f64>,
    pub u1: Rollup,
    pub u2: Rollup,
    pub index: IntegrationIndex,
    pub rectifications_overdue: u32,
    /// Titles of key goals whose KPIs were not reached, once the period ended.
    pub key_targets_missed: Vec<String>,
}

fn mean(xs: &[f64]) -> Option<f64> {
    (!xs.is_empty()).then(|| xs.iter().sum::<f64>() / xs.len() as f64)
}

/// Measures `f` as of `today` (a day after the period counts as its last day).
pub fn measure(f: &PlanFacts, today: Date, cfg: &IndexConfig) -> Measures {
    let year_end = Date::from_ymd_opt(f.year, 12, 31).unwrap_or(today);
    let as_of = today.min(year_end);
    let coverage = plan::coverage(
        &f.goals
            .iter()
            .map(|g| GoalRef {
                id: g.id,
                is_key: g.is_key,
                weight: g.weight,
            })
            .collect::<Vec<_>>(),
        &f.items,
        &f.links
            .iter()
            .map(|&(item_id, goal_id)| LinkRef { item_id, goal_id })
            .collect::<Vec<_>>(),
    );
    let linked = |item: i64| !coverage.orphan_items.contains(&item);
    // Each item's progress: its tasks' progress, aware of milestones, as on the plan page.
    let item_progress: Vec<f64> = f
        .items
        .iter()
        .map(|&id| {
            let ts: Vec<(f64, f64)> = f
                .tasks
                .iter()
                .filter(|t| t.item_id == Some(id))
                .filter_map(|t| {
                    task_progress_with_milestones(
                        t.status,
                        t.reported,
                        t.milestones.0,
                        t.milestones.1,
                    )
                    .value
                })
                .map(|p| (p, 1.0))
                .collect();
            plan::rollup_item(&ts)
        })
        .collect();
    let live: Vec<&TaskFact> = f
        .tasks
        .iter()
        .filter(|t| t.status != TaskStatus::Cancelled)
        .collect();
    let serving = live
        .iter()
        .filter(|t| t.goal_id.is_some() || t.item_id.is_some_and(linked))
        .count();
    let due: Vec<&&TaskFact> = live.iter().filter(|t| t.deadline <= as_of).collect();
    let on_time = due
        .iter()
        .filter(|t| t.status == TaskStatus::Done && t.changed_on <= t.deadline)
        .count();
    // A KPI without a value counts 0 once a value is due; before, it is left out.
    let kpi_shares = |goal: i64| -> Vec<f64> {
        f.kpis
            .iter()
            .filter(|k| k.goal_id == goal)
            .filter_map(|k| match k.latest {
                Some(v) => Some(kpi_progress(&k.kpi, v)),
                None => k.cadence.due_month(today, f.year).map(|_| 0.0),
            })
            .collect()
    };
    let goals: Vec<(f64, Vec<f64>)> = f
        .goals
        .iter()
        .map(|g| (g.weight, kpi_shares(g.id)))
        .collect();
    let u2 = business_performance(&goals);
    let served: Vec<(f64, Vec<f64>)> = f
        .goals
        .iter()
        .zip(&goals)
        .filter(|(g, _)| f.links.iter().any(|l| l.1 == g.id))
        .map(|(_, x)| x.clone())
        .collect();
    let measured = |gs: &[(f64, Vec<f64>)]| gs.iter().any(|(_, k)| !k.is_empty());
    // Party work that serves no goal with measured KPIs scores 0 here, not "does not apply":
    // a plan whose goals are measured but served by nothing is what this indicator is for.
    let served_kpis = if measured(&served) {
        Some(business_performance(&served).value)
    } else {
        measured(&goals).then_some(0.0)
    };
    let kpis = measured(&goals).then_some(u2.value);
    let u1 = party_performance(&item_progress, f.compliance);
    let inputs = IntegrationInputs {
        items_total: f.items.len() as u32,
        items_linked: f.items.iter().filter(|&&i| linked(i)).count() as u32,
        goal_weight_total: if f.goals.is_empty() { 0.0 } else { 1.0 },
        goal_weight_supported: coverage.weighted_goal_support,
        goals_unsupported: coverage.unsupported_goals.len() as u32,
        tasks_total: live.len() as u32,
        tasks_serving: serving as u32,
        meetings_total: f.meetings.0,
        meetings_serving: f.meetings.1,
        u1: u1.value,
        u2: u2.value,
    };
    let key_targets_missed = if today > year_end {
        f.goals
            .iter()
            .filter(|g| g.is_key)
            .filter(|g| {
                let shares = kpi_shares(g.id);
                !shares.is_empty() && shares.iter().any(|s| *s < 1.0 - 1e-9)
            })
            .map(|g| g.title.clone())
            .collect()
    } else {
        Vec::new()
    };
    Measures {
        life: f
            .compliance
            .filter(|(_, due)| *due > 0)
            .map(|(met, due)| f64::from(met.min(due)) / f64::from(due)),
        tasks_due: due.len() as u32,
        tasks_on_time_count: on_time as u32,
        tasks_on_time: (!due.is_empty()).then(|| on_time as f64 / due.len() as f64),
        items_progress: mean(&item_progress),
        kpis,
        served_kpis,
        index: integration_index(&inputs, cfg),
        u1,
        u2,
        rectifications_overdue: f.rectifications_overdue,
        key_targets_missed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::Direction;

    fn day(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn facts() -> PlanFacts {
        let kpi = Kpi {
            unit: "台件".into(),
            direction: Direction::HigherBetter,
            baseline: 0.0,
            target: 100.0,
        };
        let task = |item, goal, status, deadline: &str, changed: &str| TaskFact {
            item_id: item,
            goal_id: goal,
            status,
            deadline: day(deadline),
            reported: None,
            milestones: (0, 0),
            changed_on: day(changed),
        };
        PlanFacts {
            year: 2026,
            goals: vec![
                GoalFact {
                    id: 1,
                    title: "检定能力".into(),
                    weight: 0.6,
                    is_key: true,
                },
                GoalFact {
                    id: 2,
                    title: "服务企业".into(),
                    weight: 0.4,
                    is_key: false,
                },
            ],
            kpis: vec![
                KpiFact {
                    goal_id: 1,
                    kpi: kpi.clone(),
                    cadence: Cadence::Monthly,
                    latest: Some(80.0),
                },
                KpiFact {
                    goal_id: 2,
                    kpi,
                    cadence: Cadence::Monthly,
                    latest: Some(50.0),
                },
            ],
            items: vec![10, 11],
            links: vec![(10, 1)],
            tasks: vec![
                task(Some(10), None, TaskStatus::Done, "2026-03-31", "2026-03-20"),
                task(Some(11), None, TaskStatus::Done, "2026-04-30", "2026-05-10"),
                task(
                    None,
                    Some(2),
                    TaskStatus::InProgress,
                    "2026-12-31",
                    "2026-06-01",
                ),
            ],
            meetings: (10, 4),
            compliance: Some((6, 8)),
            rectifications_overdue: 1,
        }
    }

    #[test]
    fn tasks_on_time_count_only_those_due_and_done_by_their_deadline() {
        let m = measure(&facts(), day("2026-06-30"), &IndexConfig::default());
        assert_eq!((m.tasks_due, m.tasks_on_time_count), (2, 1));
        assert_eq!(m.tasks_on_time, Some(0.5));
        assert_eq!(m.life, Some(0.75));
    }

    #[test]
    fn served_kpis_read_only_the_goals_party_work_serves() {
        let m = measure(&facts(), day("2026-06-30"), &IndexConfig::default());
        // Only goal 1 is linked: its KPI is at 80%.
        assert!((m.served_kpis.unwrap() - 0.8).abs() < 1e-9);
        // U2 weighs both goals: 0.6 × 0.8 + 0.4 × 0.5.
        assert!((m.kpis.unwrap() - 0.68).abs() < 1e-9);
        // Half the items have a junction point.
        assert!(m.index.g < 1.0 && m.index.obstacles.iter().any(|o| o.code == "orphan_items"));
    }

    #[test]
    fn party_work_serving_no_measured_goal_scores_nothing_for_served_kpis() {
        let mut f = facts();
        f.links.clear();
        let m = measure(&f, day("2026-06-30"), &IndexConfig::default());
        assert_eq!(m.served_kpis, Some(0.0));
    }

    #[test]
    fn a_missed_key_target_is_known_only_after_the_period() {
        let f = facts();
        let cfg = IndexConfig::default();
        assert!(measure(&f, day("2026-12-31"), &cfg)
            .key_targets_missed
            .is_empty());
        assert_eq!(
            measure(&f, day("2027-01-05"), &cfg).key_targets_missed,
            vec!["检定能力".to_string()]
        );
    }

    #[test]
    fn an_empty_plan_measures_nothing_that_does_not_apply() {
        let f = PlanFacts {
            year: 2026,
            ..Default::default()
        };
        let m = measure(&f, day("2026-06-30"), &IndexConfig::default());
        assert_eq!((m.life, m.tasks_on_time, m.kpis), (None, None, None));
        assert_eq!(m.items_progress, None);
    }
}
