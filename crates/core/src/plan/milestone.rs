//! Milestones (里程碑/节点) of a task: the dated steps on the way to its deadline.
//!
//! A task may carry up to [`MILESTONES_MAX`] of them. Each has a name and a due date inside the
//! plan's year and not after the task's deadline. They are typed one per line ("2026-03-31
//! 完成方案"), which works on a phone as well as on a desk; [`parse_milestones`] reads those
//! lines and names the line of every mistake. Marking one done records the day.
//!
//! Progress: a task with milestones and no reported percentage counts the share of milestones
//! done (see [`super::rollup::task_progress_with_milestones`]).

use super::{Period, TaskStatus};
use crate::text::{parse_date, required};
use crate::Date;
use serde::Serialize;

/// At most this many milestones per task: more is a plan of its own.
pub const MILESTONES_MAX: usize = 12;
/// Characters in a milestone's name.
pub const MILESTONE_TITLE_MAX: usize = 100;

/// A milestone, valid under [`Milestone::new`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Milestone {
    pub title: String,
    pub due_on: Date,
    /// The day it was marked done; `None` while open.
    pub done_on: Option<Date>,
}

impl Milestone {
    /// An open milestone of a task due by `deadline` (when known) in a plan of `period`.
    pub fn new(
        title: &str,
        due_on: Date,
        period: Period,
        deadline: Option<Date>,
    ) -> Result<Milestone, String> {
        let title = required("节点名称", title, MILESTONE_TITLE_MAX)?;
        check_due(due_on, period, deadline)?;
        Ok(Milestone {
            title,
            due_on,
            done_on: None,
        })
    }

    pub fn is_done(&self) -> bool {
        self.done_on.is_some()
    }

    /// Overdue: still open, its task still open, and its due day has passed (the due day
    /// itself is still on time, as for tasks).
    pub fn is_overdue(&self, task: TaskStatus, today: Date) -> bool {
        self.done_on.is_none() && !task.is_closed() && today > self.due_on
    }
}

/// A milestone's due date lies in the plan's year and not after the task's deadline.
pub fn check_due(due_on: Date, period: Period, deadline: Option<Date>) -> Result<(), String> {
    period.check_in_period("节点日期", due_on)?;
    match deadline {
        Some(d) if due_on > d => Err(format!(
            "节点日期 {due_on} 晚于任务截止日期 {d}，请提前或推迟任务截止日期"
        )),
        _ => Ok(()),
    }
}

/// The day a milestone is marked done: not in the future.
pub fn check_done_on(done_on: Date, today: Date) -> Result<(), String> {
    if done_on > today {
        Err(format!("完成日期 {done_on} 晚于今天，请填写实际完成的日期"))
    } else {
        Ok(())
    }
}

/// Share of milestones done, in [0, 1]; `None` without milestones.
pub fn milestone_share(done: usize, total: usize) -> Option<f64> {
    (total > 0).then(|| done.min(total) as f64 / total as f64)
}

/// Splits a typed line into its date and its name: the date first ("2026-03-31 完成方案",
/// also "2026-03-31：完成方案"), or last ("完成方案 2026-03-31").
fn split_line(line: &str) -> Option<(Date, &str)> {
    let seps = |c: char| c.is_whitespace() || matches!(c, '，' | ',' | '：' | ':' | '、');
    let first_end = line.find(seps).unwrap_or(line.len());
    if let Ok(d) = parse_date("节点日期", &line[..first_end]) {
        return Some((d, line[first_end..].trim_matches(seps)));
    }
    let last_start = line.rfind(seps).map_or(0, |i| {
        i + line[i..].chars().next().map_or(1, char::len_utf8)
    });
    parse_date("节点日期", &line[last_start..])
        .ok()
        .map(|d| (d, line[..last_start].trim_matches(seps)))
}

/// Reads milestones typed one per line, "日期 名称" (blank lines skipped), for a task due by
/// `deadline` (`None` when the deadline itself is invalid: that is reported on its own field)
/// in a plan of `period`. Every mistake is reported with its line number, all at once, in one
/// message.
pub fn parse_milestones(
    text: &str,
    period: Period,
    deadline: Option<Date>,
) -> Result<Vec<Milestone>, String> {
    let mut out: Vec<(usize, Milestone)> = Vec::new();
    let mut errors = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let Some((due_on, title)) = split_line(line) else {
            errors.push(format!(
                "第 {n} 行：没有找到日期，请按“日期 名称”填写，例如 {}-03-31 完成方案",
                period.year
            ));
            continue;
        };
        match Milestone::new(title, due_on, period, deadline) {
            Ok(m) => {
                if let Some((first, _)) = out.iter().find(|(_, o)| o.title == m.title) {
                    errors.push(format!("第 {n} 行：与第 {first} 行的节点名称相同"));
                } else {
                    out.push((n, m));
                }
            }
            Err(e) => errors.push(format!("第 {n} 行：{e}")),
        }
    }
    let count = out.len() + errors.len();
    if count > MILESTONES_MAX {
        errors.insert(
            0,
            format!("一项任务最多 {MILESTONES_MAX} 个里程碑，当前 {count} 个"),
        );
    }
    if errors.is_empty() {
        Ok(out.into_iter().map(|(_, m)| m).collect())
    } else {
        Err(errors.join("；"))
    }
}

/// The lines [`parse_milestones`] reads back, for filling in an edit form.
pub fn format_milestones<'a>(milestones: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    milestones
        .into_iter()
        .map(|(due_on, title)| format!("{due_on} {title}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn p() -> Period {
        Period { year: 2026 }
    }

    fn d(m: u32, day: u32) -> Date {
        Date::from_ymd_opt(2026, m, day).unwrap()
    }

    #[test]
    fn a_milestone_lies_in_the_year_and_before_the_deadline() {
        let m = Milestone::new(" 完成方案 ", d(3, 31), p(), Some(d(6, 30))).unwrap();
        assert_eq!((m.title.as_str(), m.done_on), ("完成方案", None));
        assert_eq!(
            Milestone::new("x", d(6, 30), p(), Some(d(6, 30)))
                .unwrap()
                .due_on,
            d(6, 30),
            "on the deadline is fine"
        );
        let late = Milestone::new("验收", d(7, 1), p(), Some(d(6, 30))).unwrap_err();
        assert!(late.contains("晚于任务截止日期 2026-06-30"), "{late}");
        let other_year = Date::from_ymd_opt(2027, 1, 5).unwrap();
        assert!(Milestone::new("验收", other_year, p(), None)
            .unwrap_err()
            .contains("应在 2026 年内"));
        assert!(Milestone::new("  ", d(3, 1), p(), None)
            .unwrap_err()
            .contains("请填写节点名称"));
        let long = "长".repeat(101);
        assert!(Milestone::new(&long, d(3, 1), p(), None)
            .unwrap_err()
            .contains("不能超过 100 个字"));
        assert!(Milestone::new(&"长".repeat(100), d(3, 1), p(), None).is_ok());
    }

    #[test]
    fn lines_are_read_with_their_numbers_in_every_error() {
        let text = "2026-03-31 完成方案\n\n2026/6/30：中期检查\n专家验收 2026-09-30\n";
        let ms = parse_milestones(text, p(), Some(d(9, 30))).unwrap();
        let got: Vec<(&str, Date)> = ms.iter().map(|m| (m.title.as_str(), m.due_on)).collect();
        assert_eq!(
            got,
            vec![
                ("完成方案", d(3, 31)),
                ("中期检查", d(6, 30)),
                ("专家验收", d(9, 30))
            ]
        );
        assert_eq!(parse_milestones("  \n", p(), None).unwrap(), vec![]);

        let bad = "2026-03-31 完成方案\n完成方案没有日期\n2027-01-05 验收\n2026-03-01 完成方案\n2026-05-01";
        let e = parse_milestones(bad, p(), Some(d(12, 31))).unwrap_err();
        assert!(e.contains("第 2 行：没有找到日期"), "{e}");
        assert!(e.contains("第 3 行：节点日期应在 2026 年内"), "{e}");
        assert!(e.contains("第 4 行：与第 1 行的节点名称相同"), "{e}");
        assert!(e.contains("第 5 行：请填写节点名称"), "{e}");
        let e = parse_milestones("2026-10-01 验收", p(), Some(d(9, 30))).unwrap_err();
        assert!(
            e.starts_with("第 1 行：节点日期 2026-10-01 晚于任务截止日期"),
            "{e}"
        );
        let full_width = parse_milestones("2026-04-01　启动", p(), None).unwrap();
        assert_eq!(full_width[0].title, "启动");
    }

    #[test]
    fn at_most_twelve() {
        let ok: Vec<String> = (1..=12)
            .map(|i| format!("2026-{i:02}-01 第{i}步"))
            .collect();
        assert_eq!(
            parse_milestones(&ok.join("\n"), p(), None).unwrap().len(),
            12
        );
        let mut more = ok.clone();
        more.push("2026-12-20 第13步".into());
        let e = parse_milestones(&more.join("\n"), p(), None).unwrap_err();
        assert!(e.starts_with("一项任务最多 12 个里程碑，当前 13 个"), "{e}");
    }

    #[test]
    fn overdue_and_done() {
        let mut m = Milestone::new("方案", d(3, 31), p(), None).unwrap();
        assert!(
            !m.is_overdue(TaskStatus::InProgress, d(3, 31)),
            "due day on time"
        );
        assert!(m.is_overdue(TaskStatus::InProgress, d(4, 1)));
        assert!(m.is_overdue(TaskStatus::NotStarted, d(4, 1)));
        assert!(!m.is_overdue(TaskStatus::Done, d(4, 1)), "task closed");
        assert!(!m.is_overdue(TaskStatus::Cancelled, d(4, 1)));
        m.done_on = Some(d(4, 2));
        assert!(m.is_done() && !m.is_overdue(TaskStatus::InProgress, d(5, 1)));
        assert!(check_done_on(d(4, 2), d(4, 2)).is_ok());
        assert!(check_done_on(d(4, 3), d(4, 2))
            .unwrap_err()
            .contains("晚于今天"));
        assert_eq!(milestone_share(1, 4), Some(0.25));
        assert_eq!(milestone_share(5, 4), Some(1.0));
        assert_eq!(milestone_share(0, 0), None);
    }

    proptest! {
        #[test]
        fn formatted_milestones_read_back(days in prop::collection::btree_set(0u32..365, 0..12)) {
            let ms: Vec<(String, String)> = days
                .iter()
                .map(|n| {
                    let due = p().start() + chrono::Duration::days(i64::from(*n));
                    (due.to_string(), format!("节点 {n} 号"))
                })
                .collect();
            let text = format_milestones(ms.iter().map(|(a, b)| (a.as_str(), b.as_str())));
            let back = parse_milestones(&text, p(), None).unwrap();
            prop_assert_eq!(back.len(), ms.len());
            for (m, (due, title)) in back.iter().zip(&ms) {
                prop_assert_eq!(&m.due_on.to_string(), due);
                prop_assert_eq!(&m.title, title);
            }
        }
    }
}
