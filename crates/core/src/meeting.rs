//! Organizational life (组织生活): the kinds of meetings a 党支部 holds, the quorum rule of
//! 《中国共产党支部工作条例（试行）》 and validation of a meeting record as typed.
//!
//! A meeting record is entered once and used everywhere: compliance counts it, and the
//! business goals it served count it for task unity.

use crate::member::PartyStatus;
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
    /// The regulation the check follows, shown beside the explanation.
    pub rule: &'static str,
}

/// Why probationary members and members under 留党察看 have no vote, and the quorum and vote
/// rule of a 党员大会.
pub const ASSEMBLY_RULE: &str = "《中国共产党章程》第七条（预备党员没有表决权）、第四十条（留党察看期间没有表决权），《中国共产党支部工作条例（试行）》第十一条";
/// The quorum of a 支委会: more than half of its members.
pub const COMMITTEE_RULE: &str = "《中国共产党支部工作条例（试行）》第十二条";

/// Whether a member votes at a 党员大会 and counts among those entitled to attend it: a
/// 正式党员 whose rights are not suspended (留党察看). Probationary members attend but have no
/// vote (党章 第七条), and applicants, activists and candidates are not members yet.
pub fn has_vote(status: PartyStatus, rights_suspended: bool) -> bool {
    status == PartyStatus::Full && !rights_suspended
}

/// Quorum: more than half of those entitled must attend. The caller decides who is entitled
/// ([`has_vote`] for a 党员大会, the committee seats for a 支委会), because that depends on facts
/// core does not see. `present` counts only those entitled who attended.
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
        rule: ASSEMBLY_RULE,
    }
}

/// The quorum of a meeting of `kind`: `entitled` and `present` count only those with a vote
/// there (正式党员 with a vote at a 党员大会, committee members at a 支委会); `others` attended
/// without one (probationary members, 列席). The explanation names who counts and cites the rule.
pub fn kind_quorum(kind: MeetingKind, entitled: u32, present: u32, others: u32) -> Quorum {
    let mut q = quorum(entitled, present);
    let (who, others_text, rule) = match kind {
        MeetingKind::CommitteeMeeting => (
            "应到委员 ",
            format!("另有 {others} 人列席，不计入到会人数"),
            COMMITTEE_RULE,
        ),
        _ => (
            "应到（有表决权的正式党员）",
            format!("另有 {others} 人参加但没有表决权（预备党员或留党察看期间的党员），不计入应到和实到人数"),
            ASSEMBLY_RULE,
        ),
    };
    if let Some(rest) = q.explanation.strip_prefix("应到") {
        q.explanation = format!("{who}{}", rest.trim_start());
    }
    if others > 0 {
        q.explanation = format!("{}；{others_text}", q.explanation);
    }
    q.rule = rule;
    q
}

/// The outcome of a vote at a 党员大会 (e.g. admitting a member).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Vote {
    pub entitled: u32,
    pub yes: u32,
    /// More than half of those entitled: `entitled / 2 + 1`.
    pub required: u32,
    pub passed: bool,
    pub explanation: String,
    pub rule: &'static str,
}

/// A vote passes when the yes votes exceed half of those entitled to vote (not of those
/// present): 8 entitled, 5 present voting yes 4 to 1, fails. A vote at a meeting without its
/// quorum fails whatever the count.
pub fn vote(q: &Quorum, yes: u32, no: u32, abstain: u32) -> Vote {
    let entitled = q.entitled;
    let required = entitled / 2 + 1;
    let cast = yes.saturating_add(no).saturating_add(abstain);
    let (passed, explanation) = if !q.met {
        (false, format!("{}，表决无效", q.explanation))
    } else if cast > q.present {
        (
            false,
            format!(
                "赞成 {yes}、反对 {no}、弃权 {abstain}，共 {cast} 票，多于到会有表决权的 {} 人，请核对票数",
                q.present
            ),
        )
    } else if yes >= required {
        (
            true,
            format!("应到有表决权的党员 {entitled} 人，赞成 {yes} 票，超过应到人数的半数（至少 {required} 票），通过"),
        )
    } else {
        (
            false,
            format!("应到有表决权的党员 {entitled} 人，赞成 {yes} 票，未超过应到人数的半数（至少 {required} 票），未通过"),
        )
    };
    Vote {
        entitled,
        yes,
        required,
        passed,
        explanation,
        rule: ASSEMBLY_RULE,
    }
}

/// A meeting cannot have been held before its organization was founded: such a date is a
/// typing error (1921-07-01 for 2021-07-01), and counting it would credit a year the
/// organization did not exist in.
pub fn check_held_on(held_on: crate::Date, founded_on: Option<crate::Date>) -> Result<(), String> {
    match founded_on {
        Some(f) if held_on < f => Err(format!(
            "会议日期 {held_on} 早于本组织的成立日期 {f}，请核对日期"
        )),
        _ => Ok(()),
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
    parse_time, AbsenteeForm, MeetingChoices, MeetingForm, MeetingInput, CONTENT_MAX,
    DECISIONS_MAX, GUESTS_MAX, PLACE_MAX, REASON_MAX, TOPIC_MAX,
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
    fn no_meeting_before_the_organization_was_founded() {
        let d = |s: &str| s.parse::<crate::Date>().unwrap();
        let founded = Some(d("2015-03-01"));
        assert_eq!(
            check_held_on(d("1921-07-01"), founded),
            Err("会议日期 1921-07-01 早于本组织的成立日期 2015-03-01，请核对日期".to_string())
        );
        assert!(check_held_on(d("2015-02-28"), founded).is_err());
        assert!(check_held_on(d("2015-03-01"), founded).is_ok());
        assert!(check_held_on(d("1990-01-01"), None).is_ok());
    }

    #[test]
    fn only_full_members_with_their_rights_vote() {
        assert!(has_vote(PartyStatus::Full, false));
        assert!(!has_vote(PartyStatus::Full, true), "留党察看");
        for s in [
            PartyStatus::Probationary,
            PartyStatus::Candidate,
            PartyStatus::Activist,
            PartyStatus::Applicant,
        ] {
            assert!(!has_vote(s, false), "{s:?}");
        }
    }

    #[test]
    fn probationary_members_do_not_make_an_assembly_quorum() {
        // The walkthrough's case: 8 full members, 4 of them and 2 probationary ones present.
        let q = kind_quorum(MeetingKind::GeneralAssembly, 8, 4, 2);
        assert!(!q.met);
        assert_eq!(q.required, 5);
        assert_eq!(
            q.explanation,
            "应到（有表决权的正式党员）8 人，实到 4 人，未超过半数（至少 5 人），会议无效，不能进行表决；\
             另有 2 人参加但没有表决权（预备党员或留党察看期间的党员），不计入应到和实到人数"
        );
        assert!(q.rule.contains("第七条") && q.rule.contains("第十一条"));
        assert!(kind_quorum(MeetingKind::GeneralAssembly, 8, 5, 0).met);
        let c = kind_quorum(MeetingKind::CommitteeMeeting, 5, 3, 1);
        assert!(
            c.met
                && c.explanation.starts_with("应到委员 5 人")
                && c.explanation.contains("1 人列席")
        );
        assert_eq!(c.rule, COMMITTEE_RULE);
    }

    #[test]
    fn votes_pass_on_more_than_half_of_those_entitled() {
        let q = kind_quorum(MeetingKind::GeneralAssembly, 8, 5, 0);
        // Yes votes are counted against those entitled (8), not those present (5).
        assert!(!vote(&q, 4, 1, 0).passed);
        assert!(vote(&q, 4, 1, 0).explanation.contains("至少 5 票"));
        assert!(vote(&q, 5, 0, 0).passed);
        let q9 = kind_quorum(MeetingKind::GeneralAssembly, 9, 9, 0);
        assert!(!vote(&q9, 4, 5, 0).passed);
        assert!(vote(&q9, 5, 4, 0).passed);
        // Without a quorum nothing passes; more ballots than voters is a typing error.
        let short = kind_quorum(MeetingKind::GeneralAssembly, 8, 4, 3);
        assert!(!vote(&short, 4, 0, 0).passed);
        assert!(vote(&short, 4, 0, 0).explanation.contains("表决无效"));
        assert!(vote(&q, 5, 1, 0).explanation.contains("请核对票数"));
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
        fn a_vote_passes_only_with_more_than_half_of_all_entitled(
            entitled in 0u32..500, present in 0u32..500, yes in 0u32..500, no in 0u32..500,
        ) {
            let q = kind_quorum(MeetingKind::GeneralAssembly, entitled, present, 0);
            let v = vote(&q, yes, no, 0);
            prop_assert_eq!(
                v.passed,
                q.met && yes + no <= present && yes * 2 > entitled
            );
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
