//! Task forms: deploying or correcting a task (with its co-assignees and milestones), and
//! reporting progress on one. Re-exported from [`super::forms`], where the other plan forms are.

use super::forms::{optional_id, take, NOTE_MAX, TITLE_MAX};
use super::milestone::{parse_milestones, Milestone};
use super::{Period, TaskStatus};
use crate::text::{optional, required, FieldErrors};
use crate::Date;
use serde::{Deserialize, Serialize};

/// At most this many people carry out a task besides its lead (牵头人).
pub const ASSIGNEES_MAX: usize = 30;

/// A task deployed from an item or a goal.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct TaskForm {
    pub title: String,
    pub item_id: String,
    pub goal_id: String,
    /// The lead (牵头人).
    pub assignee_member_id: String,
    /// The others who carry it out (承办人), member ids as typed.
    pub assignee_ids: Vec<String>,
    pub business_owner: String,
    pub deadline: String,
    /// Milestones, one per line: "2026-03-31 完成方案".
    pub milestones: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TaskInput {
    pub title: String,
    pub item_id: Option<i64>,
    pub goal_id: Option<i64>,
    pub assignee_member_id: Option<i64>,
    /// Co-assignees: no duplicates, never the lead, in the order chosen.
    pub assignee_ids: Vec<i64>,
    pub business_owner: Option<String>,
    pub deadline: Date,
    /// Open milestones as typed (the store keeps the done day of those it already has).
    pub milestones: Vec<Milestone>,
}

impl TaskForm {
    pub fn validate(&self, period: Period) -> Result<TaskInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let title = take(
            &mut e,
            "title",
            required("任务名称", &self.title, TITLE_MAX),
        );
        let item_id = optional_id(&mut e, "item_id", &self.item_id);
        let goal_id = optional_id(&mut e, "goal_id", &self.goal_id);
        if matches!((item_id, goal_id), (Some(None), Some(None))) {
            e.add(
                "item_id",
                "任务应来自一项党建工作或一个业务目标，请至少选择一个",
            );
        }
        let assignee = optional_id(&mut e, "assignee_member_id", &self.assignee_member_id);
        let assignee_ids = co_assignees(&mut e, &self.assignee_ids, assignee.flatten());
        let business_owner = take(
            &mut e,
            "business_owner",
            optional("业务协同负责人", &self.business_owner, 30),
        );
        let deadline = take(
            &mut e,
            "deadline",
            crate::text::parse_date("截止日期", &self.deadline),
        )
        .and_then(|d| {
            take(
                &mut e,
                "deadline",
                period.check_in_period("截止日期", d).map(|_| d),
            )
        });
        let milestones = take(
            &mut e,
            "milestones",
            parse_milestones(&self.milestones, period, deadline),
        );
        e.into_result()?;
        Ok(TaskInput {
            title: title.expect("checked"),
            item_id: item_id.flatten(),
            goal_id: goal_id.flatten(),
            assignee_member_id: assignee.flatten(),
            assignee_ids: assignee_ids.expect("checked"),
            business_owner: business_owner.flatten(),
            deadline: deadline.expect("checked"),
            milestones: milestones.expect("checked"),
        })
    }
}

/// Co-assignee ids: blanks skipped, duplicates and the lead dropped (they lead already).
fn co_assignees(e: &mut FieldErrors, typed: &[String], lead: Option<i64>) -> Option<Vec<i64>> {
    let mut ids: Vec<i64> = Vec::new();
    for t in typed.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
        match t.parse::<i64>() {
            Ok(id) if Some(id) != lead && !ids.contains(&id) => ids.push(id),
            Ok(_) => {}
            Err(_) => {
                e.add("assignee_ids", "承办人选择无效，请重新选择");
                return None;
            }
        }
    }
    if ids.len() > ASSIGNEES_MAX {
        e.add(
            "assignee_ids",
            format!(
                "承办人最多 {ASSIGNEES_MAX} 人，当前 {} 人；人多的工作请分成几项任务",
                ids.len()
            ),
        );
        return None;
    }
    Some(ids)
}

/// A progress report on a task.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct TaskUpdateForm {
    pub percent: String,
    pub status: String,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TaskUpdateInput {
    pub percent: u8,
    pub status: TaskStatus,
    pub note: Option<String>,
}

impl TaskUpdateForm {
    pub fn validate(&self, current: TaskStatus) -> Result<TaskUpdateInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let percent = take(
            &mut e,
            "percent",
            self.percent
                .trim()
                .trim_end_matches('%')
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= 100)
                .ok_or_else(|| "进度应为 0 到 100 的整数".to_string()),
        );
        let status = match self.status.trim() {
            "" => Some(current),
            s => take(
                &mut e,
                "status",
                TaskStatus::from_code(s).ok_or_else(|| "请选择任务状态".to_string()),
            ),
        };
        let status = status.and_then(|s| {
            if s == current {
                Some(s)
            } else {
                take(&mut e, "status", super::transition_task(current, s))
            }
        });
        let note = take(
            &mut e,
            "note",
            crate::meeting::optional_multiline("进展说明", &self.note, NOTE_MAX),
        );
        e.into_result()?;
        let status = status.expect("checked");
        // Finishing a task means it is complete, whatever percentage was typed.
        let percent = if status == TaskStatus::Done {
            100
        } else {
            percent.expect("checked")
        };
        Ok(TaskUpdateInput {
            percent,
            status,
            note: note.flatten(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p() -> Period {
        Period { year: 2026 }
    }

    fn form() -> TaskForm {
        TaskForm {
            title: "电能表检定装置建标".into(),
            goal_id: "3".into(),
            assignee_member_id: "7".into(),
            deadline: "2026-09-30".into(),
            ..Default::default()
        }
    }

    #[test]
    fn co_assignees_are_deduplicated_without_the_lead() {
        let f = TaskForm {
            assignee_ids: vec!["8".into(), " 7".into(), "".into(), "9".into(), "8".into()],
            ..form()
        };
        assert_eq!(f.validate(p()).unwrap().assignee_ids, vec![8, 9]);
        let bad = TaskForm {
            assignee_ids: vec!["张三".into()],
            ..form()
        };
        assert!(bad.validate(p()).unwrap_err().get("assignee_ids").is_some());
        let many = TaskForm {
            assignee_ids: (100..131).map(|i| i.to_string()).collect(),
            ..form()
        };
        let e = many.validate(p()).unwrap_err();
        assert!(e.get("assignee_ids").unwrap().contains("最多 30 人"));
    }

    #[test]
    fn milestones_are_checked_against_the_deadline() {
        let f = TaskForm {
            milestones: "2026-06-30 装置到货\n2026-08-31 不确定度评定".into(),
            ..form()
        };
        let t = f.validate(p()).unwrap();
        assert_eq!(t.milestones.len(), 2);
        assert_eq!(t.milestones[1].title, "不确定度评定");
        let late = TaskForm {
            milestones: "2026-06-30 装置到货\n2026-10-31 建标考核".into(),
            ..form()
        };
        let e = late.validate(p()).unwrap_err();
        assert!(e.get("milestones").unwrap().starts_with("第 2 行："));
        // A bad deadline is reported on its own; milestones are still checked for the year.
        let both = TaskForm {
            deadline: "2027-01-01".into(),
            milestones: "2025-12-01 启动".into(),
            ..form()
        };
        let e = both.validate(p()).unwrap_err();
        assert!(e.get("deadline").is_some());
        assert!(e.get("milestones").unwrap().contains("应在 2026 年内"));
    }
}
