//! The compliance engine for organizational life (组织生活): what the rules of
//! 《中国共产党支部工作条例（试行）》 expect of a 党支部 in a date range, what was held, and
//! what is missing, each with its due date and the article it comes from.
//!
//! The rule table is data ([`ComplianceRule`]), built from [`ComplianceConfig`] so a
//! deployment can follow local practice (e.g. a quarterly 党课) without code changes.
//! Article numbers were checked against published texts of the 条例; verify them again
//! before relying on them in an inspection.
//!
//! - [`window`]: the calendar windows (months, quarters, years) clipped to a range.
//! - [`mod@evaluate`]: the evaluation itself.
//! - [`report`]: what it reports, and the 待办 view of it.

pub mod evaluate;
pub mod report;
pub mod window;

#[cfg(test)]
mod proptests;

pub use evaluate::{evaluate, tally};
pub use report::tally_by_kind;
pub use report::{
    due_soon, overdue_kinds, ComplianceReport, MeetingFact, OrgProfile, OverdueKind, SkippedRule,
    Status, Tally, WindowStatus,
};
pub use window::{windows, Window};

use crate::meeting::MeetingKind;
use serde::{Deserialize, Serialize};

const ART_11: &str = "《中国共产党支部工作条例（试行）》第十一条";
const ART_12: &str = "《中国共产党支部工作条例（试行）》第十二条";
const ART_13: &str = "《中国共产党支部工作条例（试行）》第十三条";
const ART_16: &str = "《中国共产党支部工作条例（试行）》第十六条";
const ART_17: &str = "《中国共产党支部工作条例（试行）》第十七条";
const ART_18: &str = "《中国共产党支部工作条例（试行）》第十八条";
const ART_19: &str = "《中国共产党支部工作条例（试行）》第十九条";
/// Quarterly 党课 is local practice, not the 条例's minimum; say so rather than cite it alone.
const LECTURE_LOCAL: &str = "《中国共产党支部工作条例（试行）》第十六条及本地区党课安排要求";

/// How often a rule expects something.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    Monthly,
    Quarterly,
    Yearly,
}

impl Frequency {
    pub const ALL: [Frequency; 3] = [Self::Monthly, Self::Quarterly, Self::Yearly];

    pub fn code(self) -> &'static str {
        match self {
            Self::Monthly => "monthly",
            Self::Quarterly => "quarterly",
            Self::Yearly => "yearly",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Monthly => "每月",
            Self::Quarterly => "每季度",
            Self::Yearly => "每年",
        }
    }
}

/// One row of the rule table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ComplianceRule {
    pub kind: MeetingKind,
    pub frequency: Frequency,
    /// Meetings expected per window.
    pub min_count: u32,
    /// Quarter (1–4) in which a yearly activity is usually held (组织生活会: Q4); shown as a
    /// hint, a meeting in another quarter still counts.
    pub preferred_quarter: Option<u8>,
    /// Applies only where the branch has a 支部委员会 (≥ 7 full members).
    pub needs_committee: bool,
    /// Applies only where the branch has 党小组.
    pub needs_groups: bool,
    pub citation: &'static str,
    /// What the rule says, in Chinese, for the rule page.
    pub note: &'static str,
}

/// Per-deployment choices that shape the rule table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ComplianceConfig {
    /// Expect a 党课 every quarter (common local practice) instead of the 条例's one a year.
    pub lecture_quarterly: bool,
    /// Quarter in which the 组织生活会 is usually held; `None` for no preference.
    pub life_meeting_quarter: Option<u8>,
}

impl Default for ComplianceConfig {
    fn default() -> Self {
        Self {
            lecture_quarterly: false,
            life_meeting_quarter: Some(4),
        }
    }
}

impl ComplianceConfig {
    /// The config most provinces use: the 条例 plus a quarterly 党课.
    pub fn with_quarterly_lecture() -> Self {
        Self {
            lecture_quarterly: true,
            ..Self::default()
        }
    }

    /// The rule table for this configuration.
    pub fn rules(&self) -> Vec<ComplianceRule> {
        let rule = |kind, frequency, citation, note| ComplianceRule {
            kind,
            frequency,
            min_count: 1,
            preferred_quarter: None,
            needs_committee: false,
            needs_groups: false,
            citation,
            note,
        };
        use Frequency::*;
        use MeetingKind::*;
        let lecture = if self.lecture_quarterly {
            rule(
                PartyLecture,
                Quarterly,
                LECTURE_LOCAL,
                "按本地区要求，党支部每季度至少开展 1 次党课；条例要求党支部书记每年至少讲 1 次党课",
            )
        } else {
            rule(
                PartyLecture,
                Yearly,
                ART_16,
                "党支部书记每年至少讲 1 次党课",
            )
        };
        vec![
            rule(
                GeneralAssembly,
                Quarterly,
                ART_11,
                "党员大会一般每季度召开 1 次；表决须有半数以上有表决权的党员到会，到会人数不足的会议不计入",
            ),
            ComplianceRule {
                needs_committee: true,
                ..rule(
                    CommitteeMeeting,
                    Monthly,
                    ART_12,
                    "支部委员会会议一般每月召开 1 次，须有半数以上委员到会；未设支部委员会的党支部不适用",
                )
            },
            ComplianceRule {
                needs_groups: true,
                ..rule(
                    GroupMeeting,
                    Monthly,
                    ART_13,
                    "党小组会一般每月召开 1 次；未划分党小组的党支部不适用",
                )
            },
            lecture,
            rule(
                ThemeDay,
                Monthly,
                ART_16,
                "党支部每月相对固定 1 天开展主题党日",
            ),
            ComplianceRule {
                preferred_quarter: self.life_meeting_quarter.filter(|q| (1..=4).contains(q)),
                ..rule(
                    LifeMeeting,
                    Yearly,
                    ART_17,
                    "党支部每年至少召开 1 次组织生活会，一般安排在第四季度",
                )
            },
            rule(
                DemocraticReview,
                Yearly,
                ART_18,
                "党支部一般每年开展 1 次民主评议党员，可以结合组织生活会一并进行",
            ),
            rule(
                HeartTalk,
                Yearly,
                ART_19,
                "支部委员之间、支部委员和党员之间、党员和党员之间每年谈心谈话一般不少于 1 次；系统只核对本年度是否有谈心谈话记录，不核对每一对人员",
            ),
        ]
    }
}

/// The rule table of the domain file with the 条例's minimum (党课 once a year).
pub fn default_rules() -> Vec<ComplianceRule> {
    ComplianceConfig::default().rules()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(rules: &[ComplianceRule], kind: MeetingKind) -> &ComplianceRule {
        rules.iter().find(|r| r.kind == kind).unwrap()
    }

    #[test]
    fn default_table_matches_the_domain_file() {
        use Frequency::*;
        use MeetingKind::*;
        let rules = default_rules();
        assert_eq!(rules.len(), MeetingKind::ALL.len(), "one rule per kind");
        let expect = [
            (GeneralAssembly, Quarterly),
            (CommitteeMeeting, Monthly),
            (GroupMeeting, Monthly),
            (PartyLecture, Yearly),
            (ThemeDay, Monthly),
            (LifeMeeting, Yearly),
            (DemocraticReview, Yearly),
            (HeartTalk, Yearly),
        ];
        for (kind, freq) in expect {
            let r = find(&rules, kind);
            assert_eq!(r.frequency, freq, "{kind:?}");
            assert_eq!(r.min_count, 1, "{kind:?}");
            assert!(r
                .citation
                .starts_with("《中国共产党支部工作条例（试行）》第"));
            assert!(!r.note.is_empty());
        }
        assert!(find(&rules, CommitteeMeeting).needs_committee);
        assert!(find(&rules, GroupMeeting).needs_groups);
        assert_eq!(
            rules
                .iter()
                .filter(|r| r.needs_committee || r.needs_groups)
                .count(),
            2
        );
        assert_eq!(find(&rules, LifeMeeting).preferred_quarter, Some(4));
    }

    #[test]
    fn configurable_lecture_and_life_meeting_quarter() {
        let rules = ComplianceConfig::with_quarterly_lecture().rules();
        let lecture = find(&rules, MeetingKind::PartyLecture);
        assert_eq!(lecture.frequency, Frequency::Quarterly);
        assert!(lecture.citation.contains("本地区"));
        let cfg = ComplianceConfig {
            life_meeting_quarter: Some(9),
            ..Default::default()
        };
        assert_eq!(
            find(&cfg.rules(), MeetingKind::LifeMeeting).preferred_quarter,
            None,
            "an impossible quarter is dropped"
        );
    }

    #[test]
    fn frequency_codes() {
        for f in Frequency::ALL {
            assert_eq!(Frequency::from_code(f.code()), Some(f));
        }
        assert_eq!(Frequency::Quarterly.label(), "每季度");
    }
}
