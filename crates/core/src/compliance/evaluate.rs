//! Evaluating the rule table against the meetings one organization held.
//!
//! Cost is O(rules × windows + meetings · log meetings): meetings are bucketed once by kind,
//! and each meeting finds its window by subtracting window ordinals, never by scanning.

use super::report::{
    ComplianceReport, MeetingFact, OrgProfile, SkippedRule, Status, Tally, WindowStatus,
};
use super::window::{ordinal, period_of, windows};
use super::ComplianceRule;
use crate::meeting::MeetingKind;
use crate::plan::period::{quarter_label, quarter_of};
use crate::Date;

fn not_applicable(rule: &ComplianceRule, org: &OrgProfile) -> Option<String> {
    if rule.needs_committee && !org.has_committee {
        Some("本组织未设支部委员会（正式党员不足 7 名或支委不足 3 名），不适用".to_string())
    } else if rule.needs_groups && !org.has_groups {
        Some("本组织未划分党小组，不适用".to_string())
    } else {
        None
    }
}

fn explain(rule: &ComplianceRule, w: &WindowStatus, meetings_in_preferred: bool) -> String {
    let win = &w.window;
    let mut s = win.label.clone();
    if win.is_clipped() {
        s += &format!("（统计区间 {} 至 {}）", win.start, win.end);
    }
    s += &format!(
        "应{}{}至少 {} 次，实际 {} 次，",
        rule.kind.verb(),
        rule.kind.label(),
        w.expected,
        w.counted.len()
    );
    s += &match w.status {
        Status::Met => "已完成".to_string(),
        Status::Upcoming { due } => format!("尚未完成（截止 {due}）"),
        Status::Overdue { due } => format!("已逾期（截止 {due}）"),
    };
    if !w.not_counted.is_empty() {
        s += &format!(
            "；另有 {} 次因到会人数未超过应到人数的半数而无效，不计入",
            w.not_counted.len()
        );
    }
    if let Some(q) = rule.preferred_quarter.filter(|q| (1..=4).contains(q)) {
        let q = quarter_label(q);
        match w.status {
            Status::Met if !meetings_in_preferred => s += &format!("；规定一般安排在{q}"),
            Status::Met => {}
            _ => s += &format!("；一般安排在{q}"),
        }
    }
    s += &format!("。依据{}", rule.citation);
    s
}

/// The state of one window: met once `held` reaches the rule's count, overdue once `today`
/// is past the calendar window's end (its due date), upcoming before that.
fn window_status(held: usize, min_count: u32, due: Date, today: Date) -> Status {
    if held as u64 >= u64::from(min_count) {
        Status::Met
    } else if today > due {
        Status::Overdue { due }
    } else {
        Status::Upcoming { due }
    }
}

/// The counts of [`evaluate`] without its words: for reports over a whole province, where
/// only how many windows are met, overdue and upcoming is shown per organization. Same
/// rules, same windows, same quorum rule; a property test holds the two together.
pub fn tally(
    rules: &[ComplianceRule],
    org: &OrgProfile,
    meetings: &[MeetingFact],
    from: Date,
    to: Date,
    today: Date,
) -> Tally {
    let mut t = Tally::default();
    for rule in rules.iter().filter(|r| not_applicable(r, org).is_none()) {
        let first = ordinal(rule.frequency, from);
        let Ok(n) = usize::try_from(ordinal(rule.frequency, to) - first + 1) else {
            continue; // from > to: no window
        };
        let mut held = vec![0usize; n];
        for m in meetings.iter().filter(|m| {
            m.kind == rule.kind && from <= m.date && m.date <= to && m.quorum_met != Some(false)
        }) {
            let k = usize::try_from(ordinal(rule.frequency, m.date) - first).unwrap_or(usize::MAX);
            if let Some(h) = held.get_mut(k) {
                *h += 1;
            }
        }
        let mut cursor = from;
        for h in held {
            let (_, period_end) = period_of(rule.frequency, cursor);
            match window_status(h, rule.min_count, period_end, today) {
                Status::Met => t.met += 1,
                Status::Overdue { .. } => t.overdue += 1,
                Status::Upcoming { .. } => t.upcoming += 1,
            }
            match period_end.succ_opt() {
                Some(next) => cursor = next,
                None => break,
            }
        }
    }
    t
}

/// Evaluates `rules` for one organization over [`from`, `to`] as of `today`.
///
/// Every applicable rule gets one entry per calendar window overlapping the range (partial
/// windows included); only meetings inside the range count, and a meeting whose quorum was
/// not met does not count. A window is overdue once `today` is past its calendar end.
pub fn evaluate(
    rules: &[ComplianceRule],
    org: &OrgProfile,
    meetings: &[MeetingFact],
    from: Date,
    to: Date,
    today: Date,
) -> ComplianceReport {
    let mut by_kind: Vec<Vec<&MeetingFact>> = vec![Vec::new(); MeetingKind::ALL.len()];
    for m in meetings.iter().filter(|m| from <= m.date && m.date <= to) {
        by_kind[m.kind as usize].push(m);
    }
    for bucket in &mut by_kind {
        bucket.sort_by_key(|m| (m.date, m.id));
    }

    let mut out = Vec::new();
    let mut skipped = Vec::new();
    for (index, rule) in rules.iter().enumerate() {
        if let Some(reason) = not_applicable(rule, org) {
            skipped.push(SkippedRule {
                rule: index,
                kind: rule.kind,
                reason,
            });
            continue;
        }
        let ws = windows(rule.frequency, from, to);
        let first = ordinal(rule.frequency, from);
        let mut counted: Vec<Vec<&MeetingFact>> = vec![Vec::new(); ws.len()];
        let mut rejected: Vec<Vec<i64>> = vec![Vec::new(); ws.len()];
        for m in &by_kind[rule.kind as usize] {
            // In range, so the offset is a valid window index; `get_mut` guards anyway.
            let k = usize::try_from(ordinal(rule.frequency, m.date) - first).unwrap_or(usize::MAX);
            let bucket = if m.quorum_met == Some(false) {
                rejected.get_mut(k).map(|b| b.push(m.id))
            } else {
                counted.get_mut(k).map(|b| b.push(m))
            };
            debug_assert!(bucket.is_some(), "meeting outside every window");
        }
        for ((window, held), not_counted) in ws.into_iter().zip(counted).zip(rejected) {
            let status = window_status(held.len(), rule.min_count, window.period_end, today);
            let in_preferred = rule
                .preferred_quarter
                .is_some_and(|q| held.iter().any(|m| quarter_of(m.date) == q));
            let mut ws = WindowStatus {
                rule: index,
                kind: rule.kind,
                window,
                expected: rule.min_count,
                counted: held.iter().map(|m| m.id).collect(),
                not_counted,
                status,
                citation: rule.citation,
                explanation: String::new(),
            };
            ws.explanation = explain(rule, &ws, in_preferred);
            out.push(ws);
        }
    }

    let count = |f: fn(&Status) -> bool| out.iter().filter(|w| f(&w.status)).count() as u32;
    let met = count(|s| matches!(s, Status::Met));
    let overdue = count(|s| matches!(s, Status::Overdue { .. }));
    let upcoming = count(|s| matches!(s, Status::Upcoming { .. }));
    let mut summary = if from > to {
        "起止日期有误：开始日期晚于结束日期，没有可检查的时段".to_string()
    } else {
        format!(
            "{from} 至 {to} 共 {} 项检查：已完成 {met} 项，已逾期 {overdue} 项，待完成 {upcoming} 项",
            out.len()
        )
    };
    if !skipped.is_empty() {
        let list: Vec<String> = skipped
            .iter()
            .map(|s| format!("{}（{}）", s.kind.label(), s.reason))
            .collect();
        summary += &format!("；不适用：{}", list.join("、"));
    }
    ComplianceReport {
        from,
        to,
        today,
        windows: out,
        skipped,
        met,
        overdue,
        upcoming,
        summary,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compliance::{default_rules, due_soon, ComplianceConfig};
    use MeetingKind::*;

    fn d(y: i32, m: u32, day: u32) -> Date {
        Date::from_ymd_opt(y, m, day).unwrap()
    }

    fn fact(id: i64, kind: MeetingKind, date: Date, quorum_met: Option<bool>) -> MeetingFact {
        MeetingFact {
            id,
            kind,
            date,
            quorum_met,
        }
    }

    const FULL: OrgProfile = OrgProfile {
        has_committee: true,
        has_groups: true,
    };

    fn of_kind(r: &ComplianceReport, kind: MeetingKind) -> Vec<&WindowStatus> {
        r.windows.iter().filter(|w| w.kind == kind).collect()
    }

    #[test]
    fn missing_third_quarter_assembly_is_overdue() {
        let meetings = [
            fact(1, GeneralAssembly, d(2026, 3, 20), Some(true)),
            fact(2, GeneralAssembly, d(2026, 6, 18), Some(true)),
            fact(3, GeneralAssembly, d(2026, 12, 10), Some(true)),
        ];
        let r = evaluate(
            &default_rules(),
            &FULL,
            &meetings,
            d(2026, 1, 1),
            d(2026, 12, 31),
            d(2027, 1, 5),
        );
        let ga = of_kind(&r, GeneralAssembly);
        assert_eq!(ga.len(), 4);
        assert_eq!(ga[0].counted, vec![1]);
        assert_eq!(
            ga[2].status,
            Status::Overdue {
                due: d(2026, 9, 30)
            }
        );
        assert_eq!(
            ga[2].explanation,
            "2026年第三季度应召开党员大会至少 1 次，实际 0 次，已逾期（截止 2026-09-30）。依据《中国共产党支部工作条例（试行）》第十一条"
        );
        assert_eq!(ga[3].status, Status::Met);
        // 12 + 12 + 12 monthly windows, 4 quarterly, 4 yearly.
        assert_eq!(r.windows.len(), 44);
        assert_eq!(r.met, 3);
        assert_eq!(r.overdue, 41);
        assert_eq!(r.upcoming, 0);
    }

    #[test]
    fn an_assembly_without_quorum_does_not_count() {
        let meetings = [
            fact(7, GeneralAssembly, d(2026, 5, 8), Some(false)),
            fact(8, ThemeDay, d(2026, 5, 8), None),
        ];
        let r = evaluate(
            &default_rules(),
            &FULL,
            &meetings,
            d(2026, 4, 1),
            d(2026, 6, 30),
            d(2026, 7, 15),
        );
        let ga = of_kind(&r, GeneralAssembly);
        assert_eq!(ga.len(), 1, "April–June is exactly one quarter");
        assert!(ga[0].counted.is_empty());
        assert_eq!(ga[0].not_counted, vec![7]);
        assert!(matches!(ga[0].status, Status::Overdue { .. }));
        assert!(ga[0]
            .explanation
            .contains("另有 1 次因到会人数未超过应到人数的半数而无效，不计入"));
        let may = of_kind(&r, ThemeDay)[1];
        assert_eq!(
            (may.window.label.as_str(), may.status),
            ("2026年5月", Status::Met)
        );
    }

    #[test]
    fn rules_needing_a_committee_or_groups_are_skipped() {
        let none = OrgProfile::default();
        let r = evaluate(
            &default_rules(),
            &none,
            &[],
            d(2026, 1, 1),
            d(2026, 12, 31),
            d(2026, 1, 1),
        );
        assert!(of_kind(&r, CommitteeMeeting).is_empty());
        assert!(of_kind(&r, GroupMeeting).is_empty());
        assert_eq!(r.skipped.len(), 2);
        assert_eq!(
            r.skipped[0].reason,
            "本组织未设支部委员会（正式党员不足 7 名或支委不足 3 名），不适用"
        );
        assert!(r.summary.contains(
            "不适用：支委会（本组织未设支部委员会（正式党员不足 7 名或支委不足 3 名），不适用）"
        ));
        assert_eq!(
            r.upcoming as usize,
            r.windows.len(),
            "nothing due yet on 1 Jan"
        );
    }

    #[test]
    fn quarterly_lecture_config() {
        let rules = ComplianceConfig::with_quarterly_lecture().rules();
        let meetings = [fact(1, PartyLecture, d(2026, 2, 1), None)];
        let r = evaluate(
            &rules,
            &FULL,
            &meetings,
            d(2026, 1, 1),
            d(2026, 12, 31),
            d(2026, 8, 1),
        );
        let lectures = of_kind(&r, PartyLecture);
        assert_eq!(lectures.len(), 4);
        let states: Vec<&str> = lectures.iter().map(|w| w.status.code()).collect();
        assert_eq!(states, ["met", "overdue", "upcoming", "upcoming"]);
        let yearly = evaluate(
            &default_rules(),
            &FULL,
            &meetings,
            d(2026, 1, 1),
            d(2026, 12, 31),
            d(2026, 8, 1),
        );
        assert_eq!(of_kind(&yearly, PartyLecture).len(), 1);
        assert_eq!(of_kind(&yearly, PartyLecture)[0].status, Status::Met);
    }

    #[test]
    fn life_meeting_prefers_the_fourth_quarter() {
        let rules = default_rules();
        let run = |meetings: &[MeetingFact]| {
            let r = evaluate(
                &rules,
                &FULL,
                meetings,
                d(2026, 1, 1),
                d(2026, 12, 31),
                d(2026, 6, 1),
            );
            of_kind(&r, LifeMeeting)[0].explanation.clone()
        };
        assert!(run(&[]).contains("尚未完成（截止 2026-12-31）；一般安排在第四季度"));
        assert!(run(&[fact(1, LifeMeeting, d(2026, 5, 1), None)])
            .contains("已完成；规定一般安排在第四季度"));
        assert!(!run(&[fact(1, LifeMeeting, d(2026, 11, 1), None)]).contains("安排在"));
    }

    #[test]
    fn clipped_windows_say_so_and_keep_the_calendar_due_date() {
        let r = evaluate(
            &default_rules(),
            &FULL,
            &[],
            d(2026, 3, 10),
            d(2026, 3, 20),
            d(2026, 3, 25),
        );
        let td = of_kind(&r, ThemeDay);
        assert_eq!(td.len(), 1);
        assert_eq!(
            td[0].status,
            Status::Upcoming {
                due: d(2026, 3, 31)
            }
        );
        assert!(td[0]
            .explanation
            .starts_with("2026年3月（统计区间 2026-03-10 至 2026-03-20）应开展主题党日"));
        let bad = evaluate(
            &default_rules(),
            &FULL,
            &[],
            d(2026, 3, 20),
            d(2026, 3, 10),
            d(2026, 3, 25),
        );
        assert!(bad.windows.is_empty());
        assert!(bad.summary.starts_with("起止日期有误"));
    }

    #[test]
    fn due_soon_lists_open_windows_by_deadline() {
        let meetings = [fact(1, ThemeDay, d(2026, 1, 5), None)];
        let r = evaluate(
            &default_rules(),
            &FULL,
            &meetings,
            d(2026, 1, 1),
            d(2026, 12, 31),
            d(2026, 3, 20),
        );
        let soon = due_soon(&r, d(2026, 3, 20), 15);
        assert!(!soon.is_empty());
        assert!(soon.iter().all(|w| w.status != Status::Met));
        assert!(soon.iter().all(|w| w.status.due() <= Some(d(2026, 4, 4))));
        assert!(soon
            .windows(2)
            .all(|p| p[0].status.due() <= p[1].status.due()));
        // February's 主题党日 is overdue and listed; March's is due in 11 days; April's is not.
        let td: Vec<&str> = soon
            .iter()
            .filter(|w| w.kind == ThemeDay)
            .map(|w| w.window.label.as_str())
            .collect();
        assert_eq!(td, ["2026年2月", "2026年3月"]);
        assert!(soon
            .iter()
            .any(|w| w.kind == GeneralAssembly && w.window.label == "2026年第一季度"));
        assert!(due_soon(&r, d(2026, 3, 20), u32::MAX).len() >= soon.len());
    }

    #[test]
    fn a_year_of_meetings_in_one_pass() {
        // ≈ 60 meetings: monthly 支委会, 主题党日 and 党小组会, quarterly 党员大会, the yearly ones.
        let mut meetings = Vec::new();
        for m in 1..=12 {
            for (i, kind) in [CommitteeMeeting, ThemeDay, GroupMeeting]
                .into_iter()
                .enumerate()
            {
                meetings.push(fact(
                    meetings.len() as i64,
                    kind,
                    d(2026, m, 5 + i as u32),
                    None,
                ));
            }
            // Heart talks are recorded one conversation at a time.
            meetings.push(fact(meetings.len() as i64, HeartTalk, d(2026, m, 25), None));
            if m % 3 == 0 {
                meetings.push(fact(
                    meetings.len() as i64,
                    GeneralAssembly,
                    d(2026, m, 20),
                    Some(true),
                ));
            }
        }
        for kind in [PartyLecture, LifeMeeting, DemocraticReview] {
            meetings.push(fact(meetings.len() as i64, kind, d(2026, 11, 15), None));
        }
        let rules = default_rules();
        let run = || {
            evaluate(
                &rules,
                &FULL,
                &meetings,
                d(2026, 1, 1),
                d(2026, 12, 31),
                d(2027, 1, 10),
            )
        };
        let r = run();
        assert_eq!(meetings.len(), 55);
        assert_eq!((r.met, r.overdue, r.upcoming), (44, 0, 0), "{}", r.summary);
        // A figure for the reader, not an assertion: timing belongs in benchmarks.
        let start = std::time::Instant::now();
        for _ in 0..100 {
            std::hint::black_box(run());
        }
        eprintln!(
            "compliance, one organization, one year: {:?} per run",
            start.elapsed() / 100
        );
    }
}
