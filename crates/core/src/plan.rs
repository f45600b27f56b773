//! Plans (同步规划·同步部署·同步落实): one plan per organization and year holds the business
//! goals with their KPIs, the Party work items that serve them, the links (结合点) between
//! the two, and the tasks that carry both out.
//!
//! - [`period`]: the plan's year, its quarters and months, and date checks.
//! - [`status`]: the plan and task state machines and overdue tasks.
//! - [`item`]: kinds of Party work items and of links, with wording per unit kind.
//! - [`kpi`]: KPI directions and progress towards targets.
//! - [`kpi_check`]: checks on KPI definitions and values.
//! - [`rollup`]: progress from tasks to items to goals, and coverage (goal agreement).
//! - [`milestone`]: a task's dated milestones, typed one per line.

pub mod forms;
pub mod item;
pub mod kpi;
pub mod kpi_check;
pub mod kpi_rhythm;
pub mod milestone;
pub mod period;
pub mod rollup;
pub mod status;
pub mod task_forms;

pub use item::{LinkKind, PartyItemKind};
pub use kpi::{kpi_progress, kpi_progress_explained, Direction, Kpi, Rollup};
pub use kpi_check::{parse_kpi_value, validate_kpi, validate_kpi_value};
pub use kpi_rhythm::{Accumulation, Cadence};
pub use milestone::{parse_milestones, Milestone, MILESTONES_MAX};
pub use period::Period;
pub use rollup::{
    coverage, goal_progress, rollup_goal, rollup_item, task_progress,
    task_progress_with_milestones, Coverage, GoalRef, LinkRef, TaskProgress, DEFAULT_KPI_WEIGHT,
};
pub use status::{
    can_reopen, can_transition, can_transition_task, is_overdue, reopen_until, transition,
    transition_task, validate_summary, PlanStatus, Reopener, TaskStatus, REOPEN_DAYS,
};
