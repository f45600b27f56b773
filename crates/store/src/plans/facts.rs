//! A stored plan as the plain facts core's evaluation measures.

use super::{PlanView, Task};
use ronghe_core::evaluation::facts::{GoalFact, KpiFact, PlanFacts, TaskFact};

/// The local day of a stored millisecond timestamp.
pub(crate) fn local_day(ms: i64) -> Option<ronghe_core::Date> {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.with_timezone(&chrono::Local).date_naive())
}

impl Task {
    /// The task as a fact, with its milestones (done, in all); `None` if its deadline is
    /// unreadable.
    pub fn fact(&self, milestones: (usize, usize)) -> Option<TaskFact> {
        Some(TaskFact {
            item_id: self.item_id,
            goal_id: self.goal_id,
            status: self.status(),
            deadline: self.deadline.parse().ok()?,
            reported: self.reported_percent(),
            milestones,
            changed_on: local_day(self.updated_at)?,
        })
    }
}

impl PlanView {
    /// The plan's facts with the organization's meeting counts (in all, serving a goal) and,
    /// for a 党支部, its compliance (windows met, due so far).
    pub fn facts(&self, meetings: (i64, i64), compliance: Option<(u32, u32)>) -> PlanFacts {
        let latest = |kpi: i64| {
            self.values
                .iter()
                .filter(|v| v.kpi_id == kpi)
                .max_by(|a, b| a.month.cmp(&b.month))
                .map(|v| v.value)
        };
        PlanFacts {
            year: self.plan.year as i32,
            goals: self
                .goals
                .iter()
                .map(|g| GoalFact {
                    id: g.id,
                    title: g.title.clone(),
                    weight: g.weight,
                    is_key: g.is_key != 0,
                })
                .collect(),
            kpis: self
                .kpis
                .iter()
                .map(|k| KpiFact {
                    goal_id: k.goal_id,
                    kpi: k.kpi(),
                    cadence: k.cadence(),
                    latest: latest(k.id),
                })
                .collect(),
            items: self.items.iter().map(|i| i.id).collect(),
            links: self.links.iter().map(|l| (l.item_id, l.goal_id)).collect(),
            tasks: self
                .tasks
                .iter()
                .filter_map(|t| {
                    let ms = self.milestones.iter().filter(|m| m.task_id == t.id);
                    let counts = ms.fold((0, 0), |(d, n), m| (d + usize::from(m.is_done()), n + 1));
                    t.fact(counts)
                })
                .collect(),
            meetings: (meetings.0.max(0) as u32, meetings.1.max(0) as u32),
            compliance,
            rectifications_overdue: 0,
        }
    }
}

impl super::KpiRow {
    /// The row from [`KPI_COLS`] starting at column `at`, for whole-table reads.
    pub(crate) fn from_cells(
        r: &dyn crate::rows::Cells,
        at: usize,
    ) -> crate::error::StoreResult<super::KpiRow> {
        Ok(super::KpiRow {
            id: r.int(at)?,
            goal_id: r.int(at + 1)?,
            name: r.text(at + 2)?,
            unit: r.text(at + 3)?,
            direction: r.text(at + 4)?,
            range_low: r.opt_real(at + 5)?,
            range_high: r.opt_real(at + 6)?,
            baseline: r.real(at + 7)?,
            target: r.real(at + 8)?,
            accumulation: r.text(at + 9)?,
            cadence: r.text(at + 10)?,
        })
    }
}
