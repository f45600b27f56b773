//! The rows of a generated year: plans with their goals, KPIs, values, items, links, tasks
//! and progress reports, and the branches' meetings.
//!
//! Dates are days of the year (0-based) and months 1–12, turned into text from [`Texts`]
//! when bound: a year's rows hold no date strings of their own.

use super::sql::{AnyQuery, Bind};
use ronghe_core::meeting::MeetingKind;
use ronghe_core::Date;
use std::borrow::Cow;

/// Bound parameters per statement: under SQLite's 32,766.
const PARAMS: usize = 30_000;

pub const DAY_MS: i64 = 86_400_000;

/// The texts rows refer to by index, and the year's first noon in milliseconds.
#[derive(Debug, Clone, Default)]
pub struct Texts {
    /// `YYYY-MM-DD` of every day of the year.
    pub days: Vec<String>,
    /// `YYYY-MM` of months 1–12.
    pub months: Vec<String>,
    /// Noon (UTC) of January 1st, in milliseconds: timestamps are this plus whole days.
    pub year_ms: i64,
}

impl Texts {
    /// The texts of `year` (2000–2100).
    pub fn for_year(year: i32) -> Texts {
        let start = Date::from_ymd_opt(year, 1, 1).expect("valid year");
        let days: u16 = if start.leap_year() { 366 } else { 365 };
        Texts {
            days: (0..days)
                .map(|i| (start + chrono::Days::new(u64::from(i))).to_string())
                .collect(),
            months: (1..=12).map(|m| format!("{year}-{m:02}")).collect(),
            year_ms: start
                .and_hms_opt(12, 0, 0)
                .expect("noon")
                .and_utc()
                .timestamp_millis(),
        }
    }

    pub fn day(&self, day: u16) -> &str {
        &self.days[usize::from(day)]
    }
}

/// The next free id of every table a year writes (one above the current maximum).
#[derive(Debug, Clone, Copy)]
pub struct YearIds {
    pub plan: i64,
    pub goal: i64,
    pub kpi: i64,
    pub value: i64,
    pub item: i64,
    pub link: i64,
    pub task: i64,
    pub update: i64,
    pub meeting: i64,
}

/// Tables with an id, in the order of [`YearIds`]; their PostgreSQL sequences are reset
/// afterwards.
pub(super) const ID_TABLES: [&str; 9] = [
    "plans",
    "goals",
    "kpis",
    "kpi_values",
    "items",
    "links",
    "tasks",
    "task_updates",
    "meetings",
];

/// Implements [`Bind`] for a year's row: head, bound columns, literal columns.
macro_rules! year_row {
    ($row:ty, $head:expr, $cols:expr, |$now:ident, $year:ident| $literals:expr,
     |$s:ident, $q:ident, $x:ident| $bind:expr) => {
        impl $row {
            /// Rows per INSERT statement.
            pub const PER_INSERT: usize = PARAMS / $cols;
        }

        impl Bind for $row {
            const HEAD: &'static str = $head;
            const COLS: usize = $cols;
            const PER_INSERT: usize = PARAMS / $cols;

            #[allow(unused_variables)]
            fn literals($now: i64, $year: i32) -> String {
                $literals
            }

            #[allow(unused_variables)]
            fn bind<'q>(&'q self, $q: AnyQuery<'q>, $x: &'q super::Texts) -> AnyQuery<'q> {
                let $s = self;
                $bind
            }
        }
    };
}

/// A plan, titled `{year}年度党建与业务工作融合计划`.
pub struct PlanRow {
    pub id: i64,
    pub org_id: i64,
    /// Plan status code.
    pub status: &'static str,
}
year_row!(
    PlanRow,
    "INSERT INTO plans (id, org_id, status, year, title, created_at, updated_at)",
    3,
    |now, year| format!(",{year},'{year}年度党建与业务工作融合计划',{now},{now}"),
    |s, q, x| q.bind(s.id).bind(s.org_id).bind(s.status)
);

pub struct GoalRow {
    pub id: i64,
    pub plan_id: i64,
    pub title: &'static str,
    pub department: &'static str,
    pub is_key: bool,
    pub weight: f64,
    /// The parent's goal this one aligns to.
    pub parent: Option<i64>,
    pub stated_by: &'static str,
}
year_row!(
    GoalRow,
    "INSERT INTO goals (id, plan_id, title, department, is_key, weight, parent_goal_id, \
     stated_by, created_at)",
    8,
    |now, year| format!(",{now}"),
    |s, q, x| q
        .bind(s.id)
        .bind(s.plan_id)
        .bind(s.title)
        .bind(s.department)
        .bind(i64::from(s.is_key))
        .bind(s.weight)
        .bind(s.parent)
        .bind(s.stated_by)
);

pub struct KpiRow {
    pub id: i64,
    pub goal_id: i64,
    pub name: &'static str,
    pub unit: &'static str,
    /// Direction code.
    pub direction: &'static str,
    pub baseline: f64,
    pub target: f64,
    /// `cumulative` (a year-to-date count) or `monthly`.
    pub accumulation: &'static str,
}
year_row!(
    KpiRow,
    "INSERT INTO kpis (id, goal_id, name, unit, direction, baseline, target, accumulation)",
    8,
    |now, year| String::new(),
    |s, q, x| q
        .bind(s.id)
        .bind(s.goal_id)
        .bind(s.name)
        .bind(s.unit)
        .bind(s.direction)
        .bind(s.baseline)
        .bind(s.target)
        .bind(s.accumulation)
);

/// A KPI's actual value for a month, entered by 合成数据.
pub struct ValueRow {
    pub id: i64,
    pub kpi_id: i64,
    /// 1–12.
    pub month: u8,
    pub value: f64,
    /// `页面` or `接口`.
    pub source: &'static str,
}
year_row!(
    ValueRow,
    "INSERT INTO kpi_values (id, kpi_id, month, value, source, entered_by, entered_at)",
    5,
    |now, year| format!(",'合成数据',{now}"),
    |s, q, x| q
        .bind(s.id)
        .bind(s.kpi_id)
        .bind(x.months[usize::from(s.month) - 1].as_str())
        .bind(s.value)
        .bind(s.source)
);

pub struct ItemRow {
    pub id: i64,
    pub plan_id: i64,
    /// Item kind code.
    pub kind: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub owner: Option<i64>,
    /// First and last day (days of the year).
    pub from: u16,
    pub to: u16,
}
year_row!(
    ItemRow,
    "INSERT INTO items (id, plan_id, kind, title, description, owner_member_id, starts_on, \
     ends_on, created_at)",
    8,
    |now, year| format!(",{now}"),
    |s, q, x| q
        .bind(s.id)
        .bind(s.plan_id)
        .bind(s.kind)
        .bind(s.title)
        .bind(s.description)
        .bind(s.owner)
        .bind(x.day(s.from))
        .bind(x.day(s.to))
);

pub struct LinkRow {
    pub id: i64,
    pub item_id: i64,
    pub goal_id: i64,
    pub junction: String,
    /// Link kind code.
    pub kind: &'static str,
}
year_row!(
    LinkRow,
    "INSERT INTO links (id, item_id, goal_id, junction, kind)",
    5,
    |now, year| String::new(),
    |s, q, x| q
        .bind(s.id)
        .bind(s.item_id)
        .bind(s.goal_id)
        .bind(s.junction.as_str())
        .bind(s.kind)
);

pub struct TaskRow {
    pub id: i64,
    pub plan_id: i64,
    pub item_id: Option<i64>,
    pub goal_id: Option<i64>,
    pub title: &'static str,
    pub assignee: Option<i64>,
    /// The business owner working with the assignee.
    pub partner: Option<&'static str>,
    /// Day of the year.
    pub deadline: u16,
    /// Task status code.
    pub status: &'static str,
    pub percent: i64,
    /// Milliseconds of its last change (its last progress report, or its creation).
    pub updated_at: i64,
}
year_row!(
    TaskRow,
    "INSERT INTO tasks (id, plan_id, item_id, goal_id, title, assignee_member_id, \
     business_owner, deadline, status, percent, updated_at, created_at)",
    11,
    |now, year| format!(",{now}"),
    |s, q, x| q
        .bind(s.id)
        .bind(s.plan_id)
        .bind(s.item_id)
        .bind(s.goal_id)
        .bind(s.title)
        .bind(s.assignee)
        .bind(s.partner)
        .bind(x.day(s.deadline))
        .bind(s.status)
        .bind(s.percent)
        .bind(s.updated_at)
);

/// A progress report, by 合成数据.
pub struct UpdateRow {
    pub id: i64,
    pub task_id: i64,
    /// Milliseconds.
    pub at: i64,
    pub percent: i64,
    pub note: &'static str,
}
year_row!(
    UpdateRow,
    "INSERT INTO task_updates (id, task_id, at, percent, note, username)",
    5,
    |now, year| ",'合成数据'".to_string(),
    |s, q, x| q
        .bind(s.id)
        .bind(s.task_id)
        .bind(s.at)
        .bind(s.percent)
        .bind(s.note)
);

/// A meeting, created by 合成数据 at noon of the day it was held.
pub struct MeetingRow {
    pub id: i64,
    pub org_id: i64,
    pub kind: MeetingKind,
    /// Day of the year it was held.
    pub day: u16,
    pub topic: Cow<'static, str>,
    pub content: &'static str,
    pub decisions: Option<&'static str>,
    pub entitled: i64,
    pub present: i64,
    pub quorum_met: Option<i64>,
}
year_row!(
    MeetingRow,
    "INSERT INTO meetings (id, org_id, kind, held_on, topic, content, decisions, entitled, \
     present, quorum_met, created_at, created_by)",
    11,
    |now, year| ",'合成数据'".to_string(),
    |s, q, x| q
        .bind(s.id)
        .bind(s.org_id)
        .bind(s.kind.code())
        .bind(x.day(s.day))
        .bind(s.topic.as_ref())
        .bind(s.content)
        .bind(s.decisions)
        .bind(s.entitled)
        .bind(s.present)
        .bind(s.quorum_met)
        .bind(x.year_ms + i64::from(s.day) * DAY_MS)
);

/// A goal a meeting served.
pub struct MeetingGoalRow {
    pub meeting_id: i64,
    pub goal_id: i64,
}
year_row!(
    MeetingGoalRow,
    "INSERT INTO meeting_goals (meeting_id, goal_id)",
    2,
    |now, year| String::new(),
    |s, q, x| q.bind(s.meeting_id).bind(s.goal_id)
);

/// Someone recorded at a meeting: an absentee with the reason, or a side of a 谈心谈话.
pub struct PersonRow {
    pub meeting_id: i64,
    pub member_id: i64,
    pub present: i64,
    pub reason: Option<&'static str>,
}
year_row!(
    PersonRow,
    "INSERT INTO meeting_people (meeting_id, member_id, present, reason)",
    4,
    |now, year| String::new(),
    |s, q, x| q
        .bind(s.meeting_id)
        .bind(s.member_id)
        .bind(s.present)
        .bind(s.reason)
);
