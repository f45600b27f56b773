//! Formation rules (组织设置): size, committee and term checks for one organization, shown as
//! warnings on its page. Each warning cites the regulation it comes from so the secretary can
//! look it up rather than trust the software.

use super::term::{self, TermStatus};
use crate::org::{CommitteeRole, OrgKind};
use crate::Date;
use serde::Serialize;

const BRANCH_SETUP: &str = "《中国共产党支部工作条例（试行）》第四条、第五条";
const BRANCH_SIZE: &str = "《中国共产党支部工作条例（试行）》第四条";
const BRANCH_COMMITTEE: &str = "《中国共产党支部工作条例（试行）》第二十条";
const ELECTION: &str = "《中国共产党基层组织选举工作条例》第三条";
const SECRETARY_ELECTION: &str = "《中国共产党基层组织选举工作条例》";
const GENERAL_BRANCH_SIZE: &str = "《中国共产党党和国家机关基层组织工作条例》第六条";
const COMMITTEE_SIZE: &str = "《中国共产党党和国家机关基层组织工作条例》第五条";

/// Plain facts about one organization, gathered by the store.
///
/// For a 党支部, members filed under its 党小组 belong to the branch and should be counted in
/// `full_members` / `probationary_members`: a 党小组 is not a separate level of organization.
#[derive(Debug, Clone, Default)]
pub struct OrgFacts {
    /// Always `Some` in practice; `Option` only so the struct can derive `Default`.
    pub kind: Option<OrgKind>,
    /// 正式党员 (direct, active members of this organization).
    pub full_members: u32,
    /// 预备党员 (direct, active members of this organization).
    pub probationary_members: u32,
    /// Full + probationary members in the whole subtree (size rules of 党委 / 党总支).
    pub subtree_party_members: u32,
    /// Committee seats currently filled.
    pub committee: Vec<CommitteeRole>,
    pub term: Option<term::Term>,
    /// Direct child 党支部 count.
    pub child_branches: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Info,
    Warning,
    Violation,
}

impl Severity {
    /// Stable code for styling and the API.
    pub fn code(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Violation => "violation",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Info => "提示",
            Self::Warning => "注意",
            Self::Violation => "不符合规定",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// Stable machine code, e.g. "too_few_full".
    pub code: &'static str,
    pub severity: Severity,
    /// Chinese sentence with the actual numbers.
    pub message: String,
    /// Citation of the regulation.
    pub rule: &'static str,
}

/// Code, severity and citation of one rule; each finding adds a message with its numbers.
struct Rule(&'static str, Severity, &'static str);

impl Rule {
    fn with(&self, message: String) -> Warning {
        Warning {
            code: self.0,
            severity: self.1,
            message,
            rule: self.2,
        }
    }
}

use Severity::{Info, Violation, Warning as Warn};
/// The fewest seats that make a 支部委员会 (one is set up with 3 to 5 members); a secretary
/// and a deputy alone are not a committee.
pub const MIN_COMMITTEE_SEATS: usize = 3;
/// A 支部委员会 is set up where a branch has at least this many 正式党员; below it the branch
/// has a 书记 (and a 副书记 if needed) and no committee (支部工作条例 第二十条).
pub const MIN_FULL_FOR_COMMITTEE: u32 = 7;

/// Whether a branch with `full_members` 正式党员 and `seats` filled committee seats has a
/// 支部委员会: both numbers must be reached. Three seats in a branch of five full members are a
/// 书记, a 副书记 and a 委员 of no committee: no monthly 支委会 is due there.
pub fn committee_constituted(full_members: u32, seats: usize) -> bool {
    full_members >= MIN_FULL_FOR_COMMITTEE && seats >= MIN_COMMITTEE_SEATS
}

const TOO_FEW_FULL: Rule = Rule("too_few_full", Violation, BRANCH_SETUP);
const TOO_LARGE: Rule = Rule("too_large", Warn, BRANCH_SIZE);
const COMMITTEE_REQUIRED: Rule = Rule("committee_required", Warn, BRANCH_COMMITTEE);
const NO_COMMITTEE_BELOW_SEVEN: Rule = Rule("no_committee_below_seven", Warn, BRANCH_COMMITTEE);
const COMMITTEE_TOO_LARGE: Rule = Rule("committee_too_large", Warn, BRANCH_COMMITTEE);
const GENERAL_BRANCH_SMALL: Rule = Rule("general_branch_small", Info, GENERAL_BRANCH_SIZE);
const GENERAL_BRANCH_LARGE: Rule = Rule("general_branch_large", Info, COMMITTEE_SIZE);
const COMMITTEE_SMALL: Rule = Rule("committee_small", Info, COMMITTEE_SIZE);
const NO_TERM: Rule = Rule("no_term", Info, ELECTION);
const TERM_ENDING: Rule = Rule("term_ending", Warn, ELECTION);
const TERM_EXPIRED: Rule = Rule("term_expired", Violation, ELECTION);

/// All formation warnings for one organization, most severe first (stable within a severity).
pub fn warnings(facts: &OrgFacts, today: Date) -> Vec<Warning> {
    let mut out = Vec::new();
    let n = facts.subtree_party_members;
    match facts.kind {
        Some(OrgKind::Branch) => branch_rules(facts, &mut out),
        Some(OrgKind::GeneralBranch) if n < 50 => out.push(GENERAL_BRANCH_SMALL.with(format!(
            "党员共 {n} 名，党总支一般在党员 50 至 100 名时设立，不足 50 名须经上级党组织批准"
        ))),
        Some(OrgKind::GeneralBranch) if n > 100 => out.push(GENERAL_BRANCH_LARGE.with(format!(
            "党员共 {n} 名，超过 100 名的一般设立党的基层委员会"
        ))),
        Some(OrgKind::Committee) if n < 100 => out.push(COMMITTEE_SMALL.with(format!(
            "党员共 {n} 名，党委一般在党员 100 名以上时设立，不足 100 名须经上级党组织批准"
        ))),
        // A 党小组 has a 组长 appointed by its branch, no committee and no term.
        Some(OrgKind::Group) => return out,
        _ => {}
    }
    secretary_rule(facts, &mut out);
    term_rules(facts, today, &mut out);
    out.sort_by_key(|w| std::cmp::Reverse(w.severity));
    out
}

fn branch_rules(f: &OrgFacts, out: &mut Vec<Warning>) {
    let full = f.full_members;
    if full < 3 {
        out.push(TOO_FEW_FULL.with(format!(
            "正式党员仅 {full} 名，党支部至少需要 3 名正式党员；不足 3 名的应与邻近单位党员成立联合党支部"
        )));
    }
    // The subtree count also covers members the store filed under the branch's 党小组.
    let members = full
        .saturating_add(f.probationary_members)
        .max(f.subtree_party_members);
    if members > 50 {
        out.push(TOO_LARGE.with(format!(
            "党员共 {members} 名，党支部党员人数一般不超过 50 名，可考虑分设党支部或成立党总支"
        )));
    }
    let seats = f.committee.len();
    if full < MIN_FULL_FOR_COMMITTEE && seats >= MIN_COMMITTEE_SEATS {
        out.push(NO_COMMITTEE_BELOW_SEVEN.with(format!(
            "正式党员仅 {full} 名，不足 7 名的党支部不设支部委员会，设书记、副书记；\
             目前登记了 {seats} 名支部委员，不构成支部委员会，不需召开支委会"
        )));
    }
    if full >= MIN_FULL_FOR_COMMITTEE && seats < MIN_COMMITTEE_SEATS {
        out.push(COMMITTEE_REQUIRED.with(format!(
            "正式党员 {full} 名，应设立支部委员会（一般 3 至 5 人），目前仅 {seats} 人"
        )));
    }
    if seats > 7 {
        out.push(COMMITTEE_TOO_LARGE.with(format!("支部委员会共 {seats} 人，一般不超过 7 人")));
    }
}

fn secretary_rule(f: &OrgFacts, out: &mut Vec<Warning>) {
    if f.committee.contains(&CommitteeRole::Secretary) {
        return;
    }
    let (message, rule) = match f.kind {
        Some(OrgKind::Branch) if f.full_members < 7 => (
            "尚未配备书记；正式党员不足 7 名的党支部不设支部委员会，应设书记 1 名".to_string(),
            BRANCH_COMMITTEE,
        ),
        Some(OrgKind::Branch) => ("尚未配备党支部书记".to_string(), BRANCH_COMMITTEE),
        Some(kind) => (format!("尚未配备{}书记", kind.label()), SECRETARY_ELECTION),
        None => ("尚未配备书记".to_string(), SECRETARY_ELECTION),
    };
    out.push(Rule("no_secretary", Warn, rule).with(message));
}

fn term_rules(f: &OrgFacts, today: Date, out: &mut Vec<Warning>) {
    let Some(term) = f.term else {
        let hint = f
            .kind
            .map(|k| format!("（每届任期一般为 {} 年）", k.default_term_years()));
        let hint = hint.unwrap_or_default();
        out.push(NO_TERM.with(format!("尚未登记本届任期{hint}，系统无法提醒换届")));
        return;
    };
    let expiry = term.expiry().format("%Y-%m-%d");
    match term.status(today) {
        TermStatus::Current { .. } => {}
        TermStatus::EndingSoon { days_left } => out.push(TERM_ENDING.with(format!(
            "本届任期将于 {expiry} 届满，还剩 {days_left} 天，请提前筹备换届选举"
        ))),
        TermStatus::Expired { days_over } => {
            let when = if days_over == 0 {
                format!("本届任期于今天（{expiry}）届满")
            } else {
                format!("本届任期已于 {expiry} 届满，已超期 {days_over} 天")
            };
            out.push(TERM_EXPIRED.with(format!(
                "{when}，应按期换届选举；如需延期须报上级党组织批准，一般不超过 1 年"
            )));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::org::term::Term;
    use proptest::prelude::*;
    use CommitteeRole::{DeputySecretary as Deputy, Member, Secretary};

    fn d(y: i32, m: u32, day: u32) -> Date {
        Date::from_ymd_opt(y, m, day).unwrap()
    }

    fn today() -> Date {
        d(2025, 6, 1)
    }

    /// A healthy branch: 5 full members, a secretary, a term well within its span.
    fn branch() -> OrgFacts {
        OrgFacts {
            kind: Some(OrgKind::Branch),
            full_members: 5,
            probationary_members: 1,
            subtree_party_members: 6,
            committee: vec![Secretary],
            term: Some(Term {
                start: d(2024, 1, 1),
                years: 3,
            }),
            child_branches: 0,
        }
    }

    fn codes(f: &OrgFacts) -> Vec<&'static str> {
        warnings(f, today()).iter().map(|w| w.code).collect()
    }

    fn find(f: &OrgFacts, code: &str) -> Warning {
        let ws = warnings(f, today());
        ws.into_iter().find(|w| w.code == code).expect(code)
    }

    /// A healthy branch changed by `edit`.
    fn with(edit: impl FnOnce(&mut OrgFacts)) -> OrgFacts {
        let mut f = branch();
        edit(&mut f);
        f
    }

    /// A branch of `full` full members (plus `prob`) with `n` seats, the first the secretary.
    fn br(full: u32, prob: u32, n: usize) -> OrgFacts {
        let mut committee = [vec![Secretary], vec![Member; n.saturating_sub(1)]].concat();
        committee.truncate(n);
        with(|f| (f.full_members, f.probationary_members, f.committee) = (full, prob, committee))
    }

    fn sized(kind: OrgKind, n: u32) -> OrgFacts {
        with(|f| (f.kind, f.subtree_party_members) = (Some(kind), n))
    }

    #[test]
    fn each_rule_at_its_boundaries() {
        let none: &[&str] = &[];
        let cases: Vec<(OrgFacts, &[&str])> = vec![
            (branch(), none),
            (br(2, 0, 1), &["too_few_full"]),
            (br(3, 0, 1), none),
            (br(6, 0, 1), none),
            (br(6, 0, 2), none),
            (br(6, 3, 3), &["no_committee_below_seven"]),
            (br(5, 0, 5), &["no_committee_below_seven"]),
            (br(7, 0, 2), &["committee_required"]),
            (br(7, 0, 3), none),
            (br(45, 5, 3), none),
            (br(45, 6, 3), &["too_large"]),
            (br(30, 0, 7), none),
            (br(30, 0, 8), &["committee_too_large"]),
            (with(|f| f.term = None), &["no_term"]),
            (sized(OrgKind::GeneralBranch, 49), &["general_branch_small"]),
            (sized(OrgKind::GeneralBranch, 50), none),
            (sized(OrgKind::GeneralBranch, 100), none),
            (
                sized(OrgKind::GeneralBranch, 101),
                &["general_branch_large"],
            ),
            (sized(OrgKind::Committee, 99), &["committee_small"]),
            (sized(OrgKind::Committee, 100), none),
            (
                with(|f| {
                    *f = OrgFacts {
                        kind: Some(OrgKind::Group),
                        ..Default::default()
                    }
                }),
                none,
            ),
        ];
        for (facts, want) in cases {
            assert_eq!(codes(&facts), want, "{facts:?}");
        }
        // Members filed under the branch's groups show up only in the subtree count.
        let mut grouped = br(10, 0, 3);
        grouped.subtree_party_members = 51;
        assert_eq!(codes(&grouped), ["too_large"]);
    }

    #[test]
    fn messages_carry_the_numbers() {
        let w = find(&br(2, 0, 1), "too_few_full");
        assert_eq!(w.severity, Severity::Violation);
        assert!(w
            .message
            .starts_with("正式党员仅 2 名，党支部至少需要 3 名"));
        assert!(w.rule.contains("支部工作条例"));
        assert!(find(&br(46, 5, 3), "too_large").message.contains("51 名"));
        let w = find(&br(7, 0, 1), "committee_required");
        assert!(w.message.contains("正式党员 7 名") && w.message.contains("目前仅 1 人"));
        let w = find(&br(5, 0, 3), "no_committee_below_seven");
        assert!(w.message.contains("正式党员仅 5 名") && w.message.contains("设书记、副书记"));
        assert!(w.message.contains("不需召开支委会"));
        let w = find(&br(30, 0, 8), "committee_too_large");
        assert!(w.message.contains("8 人"));
        let w = find(&with(|f| f.term = None), "no_term");
        assert!(w.message.contains("3 年"));
        let w = find(&sized(OrgKind::GeneralBranch, 49), "general_branch_small");
        assert!(w.message.contains("49 名"));
    }

    #[test]
    fn a_committee_needs_seven_full_members_and_three_seats() {
        assert!(!committee_constituted(6, 5));
        assert!(!committee_constituted(7, 2));
        assert!(committee_constituted(7, 3));
        assert!(committee_constituted(50, 7));
        assert!(!committee_constituted(0, 0));
    }

    #[test]
    fn no_secretary_exactly_once_except_groups() {
        for kind in [OrgKind::Branch, OrgKind::GeneralBranch, OrgKind::Committee] {
            for full in [2, 6, 7, 20] {
                let c = vec![Deputy, Member];
                let f = with(|f| (f.kind, f.full_members, f.committee) = (Some(kind), full, c));
                let n = codes(&f).iter().filter(|&&c| c == "no_secretary").count();
                assert_eq!(n, 1, "{kind:?} {full}");
            }
        }
        let small = br(6, 0, 0);
        assert!(find(&small, "no_secretary").message.contains("不足 7 名"));
        let mut gb = sized(OrgKind::GeneralBranch, 60);
        gb.committee.clear();
        assert!(find(&gb, "no_secretary").message.contains("党总支书记"));
        let group = with(|f| (f.kind, f.committee) = (Some(OrgKind::Group), vec![]));
        assert!(codes(&group).is_empty());
    }

    #[test]
    fn term_boundaries() {
        // A 3-year term expiring exactly `days` after today.
        let ending = |days: i64| {
            let expiry = today() + chrono::Duration::days(days);
            let start = expiry.checked_sub_months(chrono::Months::new(36)).unwrap();
            with(|f| f.term = Some(Term { start, years: 3 }))
        };
        assert!(codes(&ending(91)).is_empty());
        for days in [90, 89, 1] {
            let w = find(&ending(days), "term_ending");
            assert_eq!(w.severity, Severity::Warning);
            assert!(w.message.contains(&format!("还剩 {days} 天")));
        }
        let w = find(&ending(0), "term_expired");
        assert!(w.message.contains("今天（2025-06-01）"));
        let w = find(&ending(-30), "term_expired");
        assert_eq!(w.severity, Severity::Violation);
        assert!(w.message.contains("2025-05-02") && w.message.contains("超期 30 天"));
        assert_eq!(w.rule, ELECTION);
    }

    #[test]
    fn sorted_by_severity_descending() {
        let mut f = br(1, 0, 0);
        f.term = Some(Term {
            start: d(2020, 1, 1),
            years: 3,
        });
        let ws = warnings(&f, today());
        let got: Vec<_> = ws.iter().map(|w| (w.severity, w.code)).collect();
        let want = [
            (Severity::Violation, "too_few_full"),
            (Severity::Violation, "term_expired"),
            (Severity::Warning, "no_secretary"),
        ];
        assert_eq!(got, want);
    }

    fn arb_kind() -> impl Strategy<Value = Option<OrgKind>> {
        prop_oneof![
            Just(None),
            proptest::sample::select(OrgKind::ALL.to_vec()).prop_map(Some)
        ]
    }

    proptest! {
        #[test]
        fn never_panics_and_sorted(
            kind in arb_kind(),
            (full, prob, sub) in any::<(u32, u32, u32)>(),
            committee in proptest::collection::vec(
                proptest::sample::select(CommitteeRole::ALL.to_vec()), 0..12),
            term in proptest::option::of((0u64..40_000, any::<u8>())),
            today_n in 0u64..60_000,
        ) {
            let base = d(1950, 1, 1);
            let term = term.map(|(s, years)| Term { start: base + chrono::Days::new(s), years });
            let facts = OrgFacts { kind, committee, term, ..Default::default() };
            let facts = OrgFacts { full_members: full, probationary_members: prob, ..facts };
            let facts = OrgFacts { subtree_party_members: sub, ..facts };
            let ws = warnings(&facts, base + chrono::Days::new(today_n));
            prop_assert!(ws.windows(2).all(|p| p[0].severity >= p[1].severity));
            let mut seen: Vec<_> = ws.iter().map(|w| w.code).collect();
            seen.sort_unstable();
            seen.dedup();
            prop_assert_eq!(seen.len(), ws.len());
            prop_assert!(ws.iter().all(|w| !w.message.is_empty() && w.rule.starts_with('《')));
        }
    }
}
