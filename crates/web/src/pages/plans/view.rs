//! Turns a stored plan into what the plan page shows: each goal with its KPIs, progress and the
//! Party work serving it, the orphans on each side, and the goals × items matrix. Every number
//! comes from a core function and carries its explanation.

use ronghe_core::plan::{self, kpi_rhythm, GoalRef, LinkRef, Rollup, TaskProgress, TaskStatus};
use ronghe_store::{Goal, Item, KpiRow, KpiValue, Link, PlanView, Task};

pub struct KpiLine {
    pub kpi: KpiRow,
    pub latest: Option<KpiValue>,
    pub progress: Option<Rollup>,
    pub direction_label: &'static str,
    pub accumulation_label: &'static str,
    pub accumulation_hint: &'static str,
    pub cadence_label: &'static str,
    /// The month its value form starts with: the one now due under its cadence.
    pub entry_month: String,
    /// Said when the latest value is older than its cadence allows.
    pub stale: Option<String>,
}

impl KpiLine {
    pub fn percent(&self) -> i64 {
        self.progress
            .as_ref()
            .map_or(0, |p| (p.value * 100.0).round() as i64)
    }
}

pub struct Served {
    pub item: Item,
    pub link: Link,
    pub link_label: &'static str,
}

pub struct GoalCard {
    pub goal: Goal,
    pub kpis: Vec<KpiLine>,
    pub served_by: Vec<Served>,
    pub progress: Rollup,
    pub meetings: i64,
    pub open_tasks: usize,
}

impl GoalCard {
    pub fn percent(&self) -> i64 {
        (self.progress.value * 100.0).round() as i64
    }
}

pub struct ItemLine {
    pub item: Item,
    pub goals: Vec<(String, String, &'static str)>,
    pub progress: f64,
    pub tasks: usize,
}

impl ItemLine {
    pub fn percent(&self) -> i64 {
        (self.progress * 100.0).round() as i64
    }
}

pub struct MatrixRow {
    pub goal: String,
    pub is_key: bool,
    pub cells: Vec<&'static str>,
}

pub struct TaskLine {
    pub task: Task,
    pub overdue: bool,
    pub source: String,
    /// Names of the co-assignees (承办人).
    pub assignees: Vec<String>,
    /// Progress aware of milestones, explained.
    pub progress: TaskProgress,
    /// Milestones done and in all, and those overdue.
    pub milestones_done: usize,
    pub milestones_total: usize,
    pub milestones_overdue: usize,
}

pub struct PlanPicture {
    pub goals: Vec<GoalCard>,
    pub items: Vec<ItemLine>,
    pub orphan_items: Vec<ItemLine>,
    pub uncovered_key_goals: Vec<String>,
    pub coverage: plan::Coverage,
    pub matrix_items: Vec<String>,
    pub matrix: Vec<MatrixRow>,
    pub tasks: Vec<TaskLine>,
    pub overdue_tasks: usize,
}

/// (done, total, overdue) milestones of a task.
fn milestone_counts(v: &PlanView, t: &Task, today: ronghe_core::Date) -> (usize, usize, usize) {
    let ms = v.milestones.iter().filter(|m| m.task_id == t.id);
    ms.fold((0, 0, 0), |(d, n, o), m| {
        (
            d + usize::from(m.is_done()),
            n + 1,
            o + usize::from(m.is_overdue(t.status(), today)),
        )
    })
}

pub fn picture(v: &PlanView, today: ronghe_core::Date) -> PlanPicture {
    let unit = v.plan.unit();
    // Each task's progress once, aware of its milestones.
    let progress: Vec<TaskProgress> = v
        .tasks
        .iter()
        .map(|t| {
            let (done, total, _) = milestone_counts(v, t, today);
            t.progress(done, total)
        })
        .collect();
    let item_progress = |item_id: i64| -> (f64, usize) {
        let ts: Vec<(f64, f64)> = v
            .tasks
            .iter()
            .zip(&progress)
            .filter(|(t, _)| t.item_id == Some(item_id))
            .filter_map(|(_, p)| p.value)
            .map(|p| (p, 1.0))
            .collect();
        (plan::rollup_item(&ts), ts.len())
    };
    let items: Vec<ItemLine> = v
        .items
        .iter()
        .map(|i| {
            let goals = v
                .links
                .iter()
                .filter(|l| l.item_id == i.id)
                .filter_map(|l| {
                    let g = v.goals.iter().find(|g| g.id == l.goal_id)?;
                    Some((
                        g.title.clone(),
                        l.junction.clone(),
                        l.kind().label_for(unit),
                    ))
                })
                .collect();
            let (progress, tasks) = item_progress(i.id);
            ItemLine {
                item: i.clone(),
                goals,
                progress,
                tasks,
            }
        })
        .collect();
    let goals: Vec<GoalCard> = v
        .goals
        .iter()
        .map(|g| {
            let kpis: Vec<KpiLine> = v
                .kpis
                .iter()
                .filter(|k| k.goal_id == g.id)
                .map(|k| {
                    let latest = v
                        .values
                        .iter()
                        .filter(|x| x.kpi_id == k.id)
                        .max_by(|a, b| a.month.cmp(&b.month))
                        .cloned();
                    let kpi = k.kpi();
                    let progress = latest
                        .as_ref()
                        .map(|l| plan::kpi_progress_explained(&kpi, l.value));
                    let (cadence, year) = (k.cadence(), v.plan.year as i32);
                    let stale = kpi_rhythm::staleness(
                        cadence,
                        latest.as_ref().map(|l| l.month.as_str()),
                        today,
                        year,
                    );
                    KpiLine {
                        direction_label: kpi.direction.label(),
                        accumulation_label: k.accumulation().label(),
                        accumulation_hint: k.accumulation().hint(),
                        cadence_label: cadence.label(),
                        entry_month: cadence.due_month(today, year).unwrap_or_else(|| {
                            match cadence {
                                plan::Cadence::Monthly => plan::period::entry_month(today, year),
                                // Nothing due yet: the first quarter's end.
                                plan::Cadence::Quarterly => format!("{year:04}-03"),
                            }
                        }),
                        stale,
                        kpi: k.clone(),
                        latest,
                        progress,
                    }
                })
                .collect();
            let served_by: Vec<Served> = v
                .links
                .iter()
                .filter(|l| l.goal_id == g.id)
                .filter_map(|l| {
                    let item = v.items.iter().find(|i| i.id == l.item_id)?.clone();
                    Some(Served {
                        item,
                        link: l.clone(),
                        link_label: l.kind().label_for(unit),
                    })
                })
                .collect();
            let kpi_progress: Vec<f64> = kpis
                .iter()
                .filter_map(|k| k.progress.as_ref().map(|p| p.value))
                .collect();
            let item_progress: Vec<f64> = served_by
                .iter()
                .map(|s| item_progress(s.item.id).0)
                .collect();
            let progress = plan::goal_progress(kpis.len(), &kpi_progress, &item_progress);
            let meetings = v
                .meetings_per_goal
                .iter()
                .find(|(id, _)| *id == g.id)
                .map_or(0, |(_, n)| *n);
            let open_tasks = v
                .tasks
                .iter()
                .filter(|t| t.goal_id == Some(g.id) && !t.status().is_closed())
                .count();
            GoalCard {
                goal: g.clone(),
                kpis,
                served_by,
                progress,
                meetings,
                open_tasks,
            }
        })
        .collect();
    let coverage = plan::coverage(
        &v.goals
            .iter()
            .map(|g| GoalRef {
                id: g.id,
                is_key: g.is_key != 0,
                weight: g.weight,
            })
            .collect::<Vec<_>>(),
        &v.items.iter().map(|i| i.id).collect::<Vec<_>>(),
        &v.links
            .iter()
            .map(|l| LinkRef {
                item_id: l.item_id,
                goal_id: l.goal_id,
            })
            .collect::<Vec<_>>(),
    );
    let (orphan_items, items): (Vec<ItemLine>, Vec<ItemLine>) = items
        .into_iter()
        .partition(|i| coverage.orphan_items.contains(&i.item.id));
    let uncovered_key_goals = v
        .goals
        .iter()
        .filter(|g| coverage.uncovered_key_goals.contains(&g.id))
        .map(|g| g.title.clone())
        .collect();
    let matrix_items = v.items.iter().map(|i| i.title.clone()).collect();
    let matrix = v
        .goals
        .iter()
        .map(|g| MatrixRow {
            goal: g.title.clone(),
            is_key: g.is_key != 0,
            cells: v
                .items
                .iter()
                .map(|i| {
                    v.links
                        .iter()
                        .find(|l| l.item_id == i.id && l.goal_id == g.id)
                        .map_or("", |l| l.kind().label_for(unit))
                })
                .collect(),
        })
        .collect();
    let tasks: Vec<TaskLine> = v
        .tasks
        .iter()
        .zip(progress)
        .map(|(t, progress)| {
            let source = match (
                t.item_id.and_then(|i| v.items.iter().find(|x| x.id == i)),
                t.goal_id.and_then(|g| v.goals.iter().find(|x| x.id == g)),
            ) {
                (Some(i), Some(g)) => format!("{} · {}", i.title, g.title),
                (Some(i), None) => i.title.clone(),
                (None, Some(g)) => g.title.clone(),
                (None, None) => String::new(),
            };
            let (milestones_done, milestones_total, milestones_overdue) =
                milestone_counts(v, t, today);
            TaskLine {
                overdue: t.is_overdue(today),
                task: t.clone(),
                source,
                assignees: v
                    .assignees
                    .iter()
                    .filter(|a| a.task_id == t.id)
                    .map(|a| a.name.clone())
                    .collect(),
                progress,
                milestones_done,
                milestones_total,
                milestones_overdue,
            }
        })
        .collect();
    let overdue_tasks = tasks.iter().filter(|t| t.overdue).count();
    PlanPicture {
        goals,
        items,
        orphan_items,
        uncovered_key_goals,
        coverage,
        matrix_items,
        matrix,
        tasks,
        overdue_tasks,
    }
}

/// Statuses a task may move to from `from`, for the progress form.
pub fn next_task_statuses(from: TaskStatus) -> Vec<(&'static str, &'static str)> {
    TaskStatus::ALL
        .into_iter()
        .filter(|s| *s == from || plan::can_transition_task(from, *s))
        .map(|s| (s.code(), s.label()))
        .collect()
}
