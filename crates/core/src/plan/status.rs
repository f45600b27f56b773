//! The plan and task state machines. Each refusal says in Chinese why and what to do instead,
//! so the page can show it as is.

use crate::Date;
use serde::{Deserialize, Serialize};

/// Where a plan stands: written together (草稿), deployed together (已部署), carried out
/// together (执行中), checked and evaluated together (已总结).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanStatus {
    Draft,
    Deployed,
    InProgress,
    Summarized,
}

impl PlanStatus {
    pub const ALL: [PlanStatus; 4] = [
        Self::Draft,
        Self::Deployed,
        Self::InProgress,
        Self::Summarized,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Deployed => "deployed",
            Self::InProgress => "in_progress",
            Self::Summarized => "summarized",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Draft => "草稿",
            Self::Deployed => "已部署",
            Self::InProgress => "执行中",
            Self::Summarized => "已总结",
        }
    }

    /// The one forward step from here.
    pub fn next(self) -> Option<Self> {
        match self {
            Self::Draft => Some(Self::Deployed),
            Self::Deployed => Some(Self::InProgress),
            Self::InProgress => Some(Self::Summarized),
            Self::Summarized => None,
        }
    }
}

/// Plans move forward one step at a time, so nothing is deployed that was not planned and
/// nothing summarized that was not carried out. The only way back is withdrawing a deployed
/// plan to draft (撤回部署), before execution has started.
pub fn can_transition(from: PlanStatus, to: PlanStatus) -> bool {
    from.next() == Some(to) || (from, to) == (PlanStatus::Deployed, PlanStatus::Draft)
}

/// The year's summary asked for when a plan is closed (转为“已总结”): a few sentences at least,
/// since it is what the committee above reads.
pub const SUMMARY_MIN: usize = 20;
pub const SUMMARY_MAX: usize = 5000;
/// How long after closing the plan's own editors may reopen it; later only the committee
/// above can.
pub const REOPEN_DAYS: i64 = 30;

/// Checks the summary typed when closing a plan.
pub fn validate_summary(typed: &str) -> Result<String, String> {
    let text =
        crate::meeting::optional_multiline("年度总结", typed, SUMMARY_MAX)?.ok_or_else(|| {
            "请填写年度总结：目标完成情况、党建工作如何服务业务、存在的问题".to_string()
        })?;
    let n = text.chars().filter(|c| !c.is_whitespace()).count();
    if n < SUMMARY_MIN {
        return Err(format!(
            "年度总结至少 {SUMMARY_MIN} 个字（不含空格），当前 {n} 个字"
        ));
    }
    Ok(text)
}

/// Who asks to reopen a closed plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reopener {
    /// The committee above the plan's organization: at any time.
    CommitteeAbove,
    /// The plan's own editors: within [`REOPEN_DAYS`] of closing.
    Editor,
}

/// Whether a plan closed on `closed_on` may be reopened on `today` by `who`, with the reason
/// otherwise. A plan closed before the date was kept counts as closed long ago.
pub fn can_reopen(closed_on: Option<Date>, today: Date, who: Reopener) -> Result<(), String> {
    match who {
        Reopener::CommitteeAbove => Ok(()),
        Reopener::Editor => {
            let days = closed_on.map(|d| (today - d).num_days());
            match days {
                Some(d) if d <= REOPEN_DAYS => Ok(()),
                _ => Err(format!(
                    "计划总结已超过 {REOPEN_DAYS} 天，本组织不能再重新打开；如确需修改，请联系上级党组织"
                )),
            }
        }
    }
}

/// The last day the plan's editors may reopen a plan closed on `closed_on`.
pub fn reopen_until(closed_on: Date) -> Date {
    closed_on + chrono::Duration::days(REOPEN_DAYS)
}

pub fn transition(from: PlanStatus, to: PlanStatus) -> Result<PlanStatus, String> {
    if can_transition(from, to) {
        return Ok(to);
    }
    let (f, t) = (from.label(), to.label());
    Err(if from == to {
        format!("计划已是“{f}”状态")
    } else if from == PlanStatus::Summarized {
        "计划已总结；如需修改，请用“重新打开”（本组织在总结后 30 天内，或由上级党组织），或复制到下一年度".to_string()
    } else if to > from {
        // Forward but skipping: name the step that must come first.
        let step = from.next().map_or("", PlanStatus::label);
        format!("计划需先变为“{step}”，不能从“{f}”直接变为“{t}”")
    } else {
        format!("计划已处于“{f}”，不能退回“{t}”")
    })
}

/// Where a task stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    NotStarted,
    InProgress,
    Done,
    Cancelled,
}

impl TaskStatus {
    pub const ALL: [TaskStatus; 4] = [
        Self::NotStarted,
        Self::InProgress,
        Self::Done,
        Self::Cancelled,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::NotStarted => "not_started",
            Self::InProgress => "in_progress",
            Self::Done => "done",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::NotStarted => "未开始",
            Self::InProgress => "进行中",
            Self::Done => "已完成",
            Self::Cancelled => "已取消",
        }
    }

    /// Done and cancelled tasks need nothing more from anyone.
    pub fn is_closed(self) -> bool {
        matches!(self, Self::Done | Self::Cancelled)
    }
}

/// Task transitions. A small task may go straight from 未开始 to 已完成 (members are not made
/// to click through steps); a finished task may be reopened and a cancelled one restored, so a
/// mistaken click is never final.
pub fn can_transition_task(from: TaskStatus, to: TaskStatus) -> bool {
    use TaskStatus::*;
    matches!(
        (from, to),
        (NotStarted, InProgress | Done | Cancelled)
            | (InProgress, Done | Cancelled)
            | (Done, InProgress)
            | (Cancelled, NotStarted)
    )
}

pub fn transition_task(from: TaskStatus, to: TaskStatus) -> Result<TaskStatus, String> {
    use TaskStatus::*;
    if can_transition_task(from, to) {
        return Ok(to);
    }
    let (f, t) = (from.label(), to.label());
    Err(match (from, to) {
        _ if from == to => format!("任务已是“{f}”状态"),
        (Cancelled, _) => "任务已取消，请先恢复为“未开始”".to_string(),
        (Done, _) => "任务已完成，如需修改请先重新打开（改为“进行中”）".to_string(),
        _ => format!("任务不能从“{f}”改为“{t}”"),
    })
}

/// A task is overdue when it still needs doing and its deadline has passed (the deadline day
/// itself still counts as on time).
pub fn is_overdue(status: TaskStatus, deadline: Date, today: Date) -> bool {
    !status.is_closed() && today > deadline
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closing_asks_for_a_summary_and_reopening_has_a_window() {
        assert!(validate_summary("  ")
            .unwrap_err()
            .starts_with("请填写年度总结"));
        assert!(validate_summary("完成了。")
            .unwrap_err()
            .contains("至少 20 个字"));
        let text = "全年检定校准任务完成 98%，党员先锋岗承担急难任务 12 项，存在问题是党课与业务结合不够。";
        assert_eq!(validate_summary(text).as_deref(), Ok(text));
        let d = |s: &str| s.parse::<Date>().unwrap();
        let closed = Some(d("2026-12-01"));
        assert!(can_reopen(closed, d("2026-12-31"), Reopener::Editor).is_ok());
        assert!(can_reopen(closed, d("2027-01-01"), Reopener::Editor)
            .unwrap_err()
            .contains("上级党组织"));
        assert!(can_reopen(closed, d("2030-01-01"), Reopener::CommitteeAbove).is_ok());
        assert!(can_reopen(None, d("2026-12-02"), Reopener::Editor).is_err());
        assert_eq!(reopen_until(d("2026-12-01")), d("2026-12-31"));
    }
    use proptest::prelude::*;

    #[test]
    fn plan_transitions_all_pairs() {
        use PlanStatus::*;
        let allowed = [
            (Draft, Deployed),
            (Deployed, InProgress),
            (InProgress, Summarized),
            (Deployed, Draft),
        ];
        for from in PlanStatus::ALL {
            for to in PlanStatus::ALL {
                let ok = allowed.contains(&(from, to));
                assert_eq!(can_transition(from, to), ok, "{from:?} -> {to:?}");
                assert_eq!(transition(from, to).is_ok(), ok, "{from:?} -> {to:?}");
            }
            assert_eq!(PlanStatus::from_code(from.code()), Some(from));
        }
    }

    #[test]
    fn plan_refusals_explain() {
        use PlanStatus::*;
        assert_eq!(
            transition(Draft, InProgress),
            Err("计划需先变为“已部署”，不能从“草稿”直接变为“执行中”".to_string())
        );
        assert_eq!(
            transition(InProgress, Draft),
            Err("计划已处于“执行中”，不能退回“草稿”".to_string())
        );
        assert!(transition(Summarized, InProgress)
            .unwrap_err()
            .contains("复制到下一年度"));
        assert_eq!(
            transition(Draft, Draft),
            Err("计划已是“草稿”状态".to_string())
        );
        assert_eq!(transition(Deployed, Draft), Ok(Draft));
    }

    #[test]
    fn task_transitions_all_pairs() {
        use TaskStatus::*;
        let allowed = [
            (NotStarted, InProgress),
            (NotStarted, Done),
            (NotStarted, Cancelled),
            (InProgress, Done),
            (InProgress, Cancelled),
            (Done, InProgress),
            (Cancelled, NotStarted),
        ];
        for from in TaskStatus::ALL {
            for to in TaskStatus::ALL {
                let ok = allowed.contains(&(from, to));
                assert_eq!(can_transition_task(from, to), ok, "{from:?} -> {to:?}");
                assert_eq!(transition_task(from, to).is_ok(), ok, "{from:?} -> {to:?}");
            }
            assert_eq!(TaskStatus::from_code(from.code()), Some(from));
        }
        assert!(transition_task(Cancelled, Done)
            .unwrap_err()
            .contains("恢复"));
        assert!(transition_task(Done, Cancelled)
            .unwrap_err()
            .contains("重新打开"));
        assert_eq!(
            transition_task(InProgress, NotStarted),
            Err("任务不能从“进行中”改为“未开始”".to_string())
        );
    }

    #[test]
    fn overdue_only_after_the_deadline_and_while_open() {
        let deadline = Date::from_ymd_opt(2026, 6, 30).unwrap();
        let next = Date::from_ymd_opt(2026, 7, 1).unwrap();
        assert!(!is_overdue(TaskStatus::InProgress, deadline, deadline));
        assert!(is_overdue(TaskStatus::InProgress, deadline, next));
        assert!(is_overdue(TaskStatus::NotStarted, deadline, next));
        assert!(!is_overdue(TaskStatus::Done, deadline, next));
        assert!(!is_overdue(TaskStatus::Cancelled, deadline, next));
    }

    proptest! {
        #[test]
        fn plan_walks_never_skip(steps in prop::collection::vec(0usize..4, 0..40)) {
            let mut s = PlanStatus::Draft;
            for i in steps {
                let to = PlanStatus::ALL[i];
                match transition(s, to) {
                    Ok(next) => {
                        let (a, b) = (s as i32, next as i32);
                        prop_assert!(b - a == 1 || (s, next) == (PlanStatus::Deployed, PlanStatus::Draft));
                        s = next;
                    }
                    Err(msg) => prop_assert!(!msg.is_empty()),
                }
            }
        }

        #[test]
        fn task_transition_agrees_with_can_transition(a in 0usize..4, b in 0usize..4) {
            let (from, to) = (TaskStatus::ALL[a], TaskStatus::ALL[b]);
            let r = transition_task(from, to);
            prop_assert_eq!(r.is_ok(), can_transition_task(from, to));
            if let Ok(s) = r { prop_assert_eq!(s, to); }
            // Nothing closed jumps straight to the other closed state.
            prop_assert!(!(from.is_closed() && to.is_closed() && r.is_ok()));
        }
    }
}
