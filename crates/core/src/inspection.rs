//! 同步检查: a committee's inspection rounds over its subtree. Each finding names the
//! organization, its severity and what was found, and carries one rectification (整改): what
//! is to be done, by whom, by when. The inspected organization submits the evidence of closure;
//! the inspector verifies it or returns it with a reason. A rectification past its deadline
//! and not verified is overdue: on the 待办 of both sides, and a deduction where the
//! evaluation template counts it.

use crate::text::{self, FieldErrors};

fn clean(s: &str) -> String {
    s.trim().to_string()
}
use crate::Date;
use serde::{Deserialize, Serialize};

pub const DESCRIPTION_MAX: usize = 1000;
pub const ACTION_MAX: usize = 500;
pub const OWNER_MAX: usize = 30;
pub const TITLE_MAX: usize = 60;
pub const EVIDENCE_MAX: usize = 2000;
/// The longest a rectification may be given: a year from the finding.
pub const DEADLINE_DAYS_MAX: i64 = 366;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Minor,
    Major,
    Serious,
}

impl Severity {
    pub const ALL: [Severity; 3] = [Self::Minor, Self::Major, Self::Serious];
    pub fn code(self) -> &'static str {
        match self {
            Self::Minor => "minor",
            Self::Major => "major",
            Self::Serious => "serious",
        }
    }
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::Minor => "一般",
            Self::Major => "较重",
            Self::Serious => "严重",
        }
    }
}

/// Where a rectification stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RectifyStatus {
    /// Being rectified (also after the inspector returned the evidence).
    Open,
    /// Evidence submitted, awaiting the inspector.
    Submitted,
    /// Verified closed by the inspector.
    Verified,
}

impl RectifyStatus {
    pub const ALL: [RectifyStatus; 3] = [Self::Open, Self::Submitted, Self::Verified];
    pub fn code(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Submitted => "submitted",
            Self::Verified => "verified",
        }
    }
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::Open => "整改中",
            Self::Submitted => "已报送整改情况，待检查组验证",
            Self::Verified => "已验证销号",
        }
    }
}

/// Past its deadline and not verified closed. Evidence submitted on time but not yet verified
/// is not the organization's delay: it is not overdue.
pub fn is_overdue(
    status: RectifyStatus,
    deadline: Date,
    submitted_on: Option<Date>,
    today: Date,
) -> bool {
    match status {
        RectifyStatus::Verified => false,
        RectifyStatus::Submitted => submitted_on.is_some_and(|d| d > deadline),
        RectifyStatus::Open => today > deadline,
    }
}

/// A finding with its rectification, as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FindingForm {
    pub org_id: String,
    pub severity: String,
    /// The checklist item (an indicator code of the round's template), optional.
    pub item: String,
    pub description: String,
    pub action: String,
    pub owner: String,
    pub deadline: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FindingInput {
    pub org_id: i64,
    pub severity: Severity,
    pub item: Option<String>,
    pub description: String,
    pub action: String,
    pub owner: String,
    pub deadline: Date,
}

impl FindingForm {
    /// Checks the form as of `today`, every problem at its field.
    pub fn validate(&self, today: Date) -> Result<FindingInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let org_id = self.org_id.trim().parse::<i64>().ok().filter(|i| *i > 0);
        if org_id.is_none() {
            e.add("org_id", "请选择被检查的组织");
        }
        let severity = Severity::from_code(self.severity.trim());
        if severity.is_none() {
            e.add("severity", "请选择问题的程度：一般、较重或严重");
        }
        let description = clean(&self.description);
        if description.chars().count() < 4 {
            e.add("description", "请写明发现的问题（至少 4 个字）");
        } else if description.chars().count() > DESCRIPTION_MAX {
            e.add(
                "description",
                format!("问题描述不超过 {DESCRIPTION_MAX} 字"),
            );
        }
        let action = clean(&self.action);
        if action.chars().count() < 4 {
            e.add("action", "请写明整改要求（至少 4 个字）");
        } else if action.chars().count() > ACTION_MAX {
            e.add("action", format!("整改要求不超过 {ACTION_MAX} 字"));
        }
        let owner = clean(&self.owner);
        if owner.is_empty() {
            e.add("owner", "请填写整改责任人");
        } else if owner.chars().count() > OWNER_MAX {
            e.add("owner", format!("责任人不超过 {OWNER_MAX} 字"));
        }
        let deadline = match text::parse_date("整改期限", &self.deadline) {
            Ok(d) if d < today => {
                e.add("deadline", "整改期限不能早于今天");
                None
            }
            Ok(d) if (d - today).num_days() > DEADLINE_DAYS_MAX => {
                e.add("deadline", "整改期限最长一年");
                None
            }
            Ok(d) => Some(d),
            Err(m) => {
                e.add("deadline", m);
                None
            }
        };
        let item = Some(self.item.trim().to_string()).filter(|s| !s.is_empty());
        e.into_result()?;
        Ok(FindingInput {
            org_id: org_id.unwrap_or_default(),
            severity: severity.unwrap_or(Severity::Minor),
            item,
            description,
            action,
            owner,
            deadline: deadline.unwrap_or(today),
        })
    }
}

/// The evidence of closure an organization submits.
pub fn validate_evidence(typed: &str) -> Result<String, String> {
    let t = clean(typed);
    match t.chars().count() {
        n if n < 10 => {
            Err("请写明整改了什么、怎样整改的（至少 10 个字），可附上会议记录或文件的名称".into())
        }
        n if n > EVIDENCE_MAX => Err(format!("整改情况不超过 {EVIDENCE_MAX} 字")),
        _ => Ok(t),
    }
}

/// The inspector's reason for returning the evidence.
pub fn validate_return_note(typed: &str) -> Result<String, String> {
    let t = clean(typed);
    match t.chars().count() {
        n if n < 4 => Err("退回须写明原因（至少 4 个字），整改单位会看到".into()),
        n if n > ACTION_MAX => Err(format!("退回原因不超过 {ACTION_MAX} 字")),
        _ => Ok(t),
    }
}

/// A round's title.
pub fn validate_title(typed: &str) -> Result<String, String> {
    let t = clean(typed);
    match t.chars().count() {
        0 => Err("请填写检查的名称，如“2026 年上半年党建工作同步检查”".into()),
        n if n > TITLE_MAX => Err(format!("名称不超过 {TITLE_MAX} 字")),
        _ => Ok(t),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn overdue_means_late_and_not_closed() {
        let deadline = day("2026-06-30");
        let after = day("2026-07-01");
        assert!(is_overdue(RectifyStatus::Open, deadline, None, after));
        assert!(!is_overdue(RectifyStatus::Open, deadline, None, deadline));
        // Submitted on time and waiting for the inspector: not the organization's delay.
        assert!(!is_overdue(
            RectifyStatus::Submitted,
            deadline,
            Some(deadline),
            after
        ));
        assert!(is_overdue(
            RectifyStatus::Submitted,
            deadline,
            Some(after),
            after
        ));
        assert!(!is_overdue(
            RectifyStatus::Verified,
            deadline,
            Some(after),
            after
        ));
    }

    #[test]
    fn a_finding_needs_what_who_and_by_when() {
        let today = day("2026-06-01");
        let e = FindingForm {
            org_id: "x".into(),
            deadline: "2026-05-01".into(),
            ..Default::default()
        }
        .validate(today)
        .unwrap_err();
        for f in [
            "org_id",
            "severity",
            "description",
            "action",
            "owner",
            "deadline",
        ] {
            assert!(e.get(f).is_some(), "{f}: {e:?}");
        }
        assert!(e.get("deadline").unwrap().contains("不能早于今天"));
        let ok = FindingForm {
            org_id: "6".into(),
            severity: "major".into(),
            description: "党建工作项均未找到结合点".into(),
            action: "为每项党建工作明确服务的业务目标".into(),
            owner: "李书记".into(),
            deadline: "2026-07-31".into(),
            item: "links".into(),
        }
        .validate(today)
        .unwrap();
        assert_eq!((ok.org_id, ok.severity), (6, Severity::Major));
        assert_eq!(ok.item.as_deref(), Some("links"));
    }

    #[test]
    fn evidence_and_returns_say_enough() {
        assert!(validate_evidence("已整改").is_err());
        assert!(validate_evidence("已召开支委会研究，为四项党建工作明确了结合点").is_ok());
        assert!(validate_return_note("不行").is_err());
        assert!(validate_return_note("未见会议记录").is_ok());
    }
}
