//! Organizational life (组织生活): the kinds of meetings a 党支部 holds, the quorum rule of
//! 《中国共产党支部工作条例（试行）》 and validation of a meeting record as typed.
//!
//! A meeting record is entered once and used everywhere: compliance counts it, and the
//! business goals it served count it for task unity.

use serde::{Deserialize, Serialize};

/// The forms of organizational life the 支部工作条例 names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeetingKind {
    /// 党员大会
    GeneralAssembly,
    /// 支委会（党支部委员会会议）
    CommitteeMeeting,
    /// 党小组会
    GroupMeeting,
    /// 党课
    PartyLecture,
    /// 主题党日
    ThemeDay,
    /// 组织生活会
    LifeMeeting,
    /// 民主评议党员
    DemocraticReview,
    /// 谈心谈话
    HeartTalk,
}

impl MeetingKind {
    pub const ALL: [MeetingKind; 8] = [
        Self::GeneralAssembly,
        Self::CommitteeMeeting,
        Self::GroupMeeting,
        Self::PartyLecture,
        Self::ThemeDay,
        Self::LifeMeeting,
        Self::DemocraticReview,
        Self::HeartTalk,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::GeneralAssembly => "general_assembly",
            Self::CommitteeMeeting => "committee_meeting",
            Self::GroupMeeting => "group_meeting",
            Self::PartyLecture => "party_lecture",
            Self::ThemeDay => "theme_day",
            Self::LifeMeeting => "life_meeting",
            Self::DemocraticReview => "democratic_review",
            Self::HeartTalk => "heart_talk",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::GeneralAssembly => "党员大会",
            Self::CommitteeMeeting => "支委会",
            Self::GroupMeeting => "党小组会",
            Self::PartyLecture => "党课",
            Self::ThemeDay => "主题党日",
            Self::LifeMeeting => "组织生活会",
            Self::DemocraticReview => "民主评议党员",
            Self::HeartTalk => "谈心谈话",
        }
    }

    /// The verb Chinese uses with this kind ("召开党员大会", "开展主题党日"), so generated
    /// sentences read naturally.
    pub fn verb(self) -> &'static str {
        match self {
            Self::GeneralAssembly
            | Self::CommitteeMeeting
            | Self::GroupMeeting
            | Self::LifeMeeting => "召开",
            Self::PartyLecture | Self::ThemeDay | Self::DemocraticReview | Self::HeartTalk => {
                "开展"
            }
        }
    }

    /// Whether the meeting is only valid with more than half of those entitled present:
    /// 党员大会 (第十一条, votes) and 支委会 (第十二条, "须有半数以上委员到会方可进行").
    pub fn needs_quorum(self) -> bool {
        matches!(self, Self::GeneralAssembly | Self::CommitteeMeeting)
    }

    /// A 谈心谈话 is between two people at least; every other kind needs one attendee.
    pub fn min_attendees(self) -> usize {
        match self {
            Self::HeartTalk => 2,
            _ => 1,
        }
    }
}

/// The quorum check of one meeting, with the numbers spelled out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Quorum {
    pub entitled: u32,
    pub present: u32,
    /// More than half of `entitled`: `entitled / 2 + 1`.
    pub required: u32,
    pub met: bool,
    pub explanation: String,
}

/// Quorum per 《中国共产党支部工作条例（试行）》第十一条: more than half of those entitled must
/// attend. The caller decides who is entitled (e.g. members minus those excused under the
/// rules), because that depends on facts core does not see.
pub fn quorum(entitled: u32, present: u32) -> Quorum {
    let required = entitled / 2 + 1;
    let (met, explanation) = if entitled == 0 {
        (
            false,
            "应到人数为 0，无法判断是否超过半数，请核对应到人数".to_string(),
        )
    } else if present > entitled {
        (
            false,
            format!("实到 {present} 人多于应到 {entitled} 人，请核对应到人数和参会人员"),
        )
    } else if present >= required {
        (
            true,
            format!(
                "应到 {entitled} 人，实到 {present} 人，超过半数（至少 {required} 人），会议有效"
            ),
        )
    } else {
        (
            false,
            format!(
                "应到 {entitled} 人，实到 {present} 人，未超过半数（至少 {required} 人），会议无效，不能进行表决"
            ),
        )
    };
    Quorum {
        entitled,
        present,
        required,
        met,
        explanation,
    }
}

/// Multi-line free text (meeting content, decisions, summaries).
///
/// Unlike [`crate::text::optional`] this keeps line breaks and tabs, because minutes are
/// paragraphs. Browsers send CRLF from a textarea, so line ends are normalized to `\n` first
/// and the length is counted as the user sees it. Trailing whitespace and leading blank lines
/// are dropped, but the first line keeps its indentation ("　　" opens Chinese paragraphs).
/// Other control characters are refused: they break exports and logs.
pub fn optional_multiline(
    label: &str,
    value: &str,
    max_chars: usize,
) -> Result<Option<String>, String> {
    let normalized = value.replace("\r\n", "\n").replace('\r', "\n");
    let v = normalized.trim_end();
    let Some(first) = v.find(|c: char| !c.is_whitespace()) else {
        return Ok(None);
    };
    let v = &v[v[..first].rfind('\n').map_or(0, |i| i + 1)..];
    if v.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err(format!("{label}不能包含控制字符（换行和制表符除外）"));
    }
    let n = v.chars().count();
    if n > max_chars {
        return Err(format!(
            "{label}不能超过 {max_chars} 个字（含换行），当前 {n} 个字"
        ));
    }
    Ok(Some(v.to_string()))
}

pub mod form;

pub use form::{
    AbsenteeForm, MeetingForm, MeetingInput, CONTENT_MAX, DECISIONS_MAX, REASON_MAX, TOPIC_MAX,
};

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashSet;

    #[test]
    fn codes_round_trip_and_labels_are_distinct() {
        let mut labels = HashSet::new();
        for k in MeetingKind::ALL {
            assert_eq!(MeetingKind::from_code(k.code()), Some(k));
            assert!(labels.insert(k.label()));
        }
        assert_eq!(MeetingKind::from_code("party_day"), None);
        assert!(MeetingKind::GeneralAssembly.needs_quorum());
        assert!(!MeetingKind::ThemeDay.needs_quorum());
    }

    #[test]
    fn quorum_is_more_than_half() {
        let q = quorum(20, 11);
        assert_eq!((q.required, q.met), (11, true));
        assert_eq!(
            q.explanation,
            "应到 20 人，实到 11 人，超过半数（至少 11 人），会议有效"
        );
        assert!(!quorum(20, 10).met, "exactly half is not more than half");
        assert!(quorum(20, 10).explanation.contains("会议无效"));
        assert_eq!(quorum(21, 11).required, 11);
        assert!(quorum(21, 11).met);
        assert!(!quorum(21, 10).met);
        assert_eq!((quorum(1, 1).required, quorum(1, 1).met), (1, true));
        assert_eq!((quorum(2, 1).required, quorum(2, 1).met), (2, false));
        let zero = quorum(0, 0);
        assert_eq!((zero.required, zero.met), (1, false));
        assert!(zero.explanation.contains("核对应到人数"));
        let over = quorum(10, 12);
        assert!(!over.met && over.explanation.contains("多于应到"));
    }

    #[test]
    fn multiline_keeps_lines_and_refuses_other_controls() {
        let got = optional_multiline("会议内容", "\r\n\n　　第一段\r\n\t第二段  \n\n", 100);
        assert_eq!(got, Ok(Some("　　第一段\n\t第二段".to_string())));
        assert_eq!(optional_multiline("会议内容", " \n\t\r\n", 100), Ok(None));
        assert!(optional_multiline("会议内容", "a\u{7}b", 100)
            .unwrap_err()
            .contains("控制字符"));
        assert!(optional_multiline("会议内容", "ab\ncd", 5).is_ok());
        assert_eq!(
            optional_multiline("会议内容", "ab\r\ncde", 5),
            Err("会议内容不能超过 5 个字（含换行），当前 6 个字".to_string())
        );
    }

    proptest! {
        #[test]
        fn quorum_matches_more_than_half(entitled in 0u32..10_000, present in 0u32..10_000) {
            let q = quorum(entitled, present);
            prop_assert!(q.required * 2 > entitled);
            prop_assert!((q.required - 1) * 2 <= entitled);
            prop_assert_eq!(q.met, entitled > 0 && present <= entitled && present * 2 > entitled);
        }

        #[test]
        fn multiline_output_is_bounded_and_clean(s in "[\\PC\n\r\t]{0,60}", max in 1usize..40) {
            if let Ok(Some(v)) = optional_multiline("内容", &s, max) {
                prop_assert!(v.chars().count() <= max);
                prop_assert!(!v.contains('\r'));
                prop_assert_eq!(v.trim_end(), v.as_str());
                prop_assert!(!v.starts_with('\n'));
            }
        }
    }
}
