//! Property tests of the compliance engine: it never panics, and every window of every
//! applicable rule is reported exactly once, tiling the range.

use super::window::windows;
use super::*;
use crate::meeting::MeetingKind;
use crate::Date;
use chrono::Datelike;
use proptest::prelude::*;

fn day(n: u64) -> Date {
    Date::from_ymd_opt(2020, 1, 1).unwrap() + chrono::Days::new(n)
}

fn meetings() -> impl Strategy<Value = Vec<MeetingFact>> {
    prop::collection::vec(
        (0usize..8, 0u64..3000, prop::option::of(any::<bool>())),
        0..120,
    )
    .prop_map(|v| {
        v.into_iter()
            .enumerate()
            .map(|(i, (k, n, q))| MeetingFact {
                id: i as i64,
                kind: MeetingKind::ALL[k],
                date: day(n),
                quorum_met: q,
            })
            .collect()
    })
}

proptest! {
    #[test]
    fn every_window_is_reported_exactly_once(
        meetings in meetings(),
        from_n in 0u64..3000, len in 0u64..1200, today_n in 0u64..3500,
        has_committee in any::<bool>(), has_groups in any::<bool>(), quarterly in any::<bool>(),
    ) {
        let (from, to, today) = (day(from_n), day(from_n + len), day(today_n));
        let cfg = ComplianceConfig { lecture_quarterly: quarterly, ..Default::default() };
        let rules = cfg.rules();
        let org = OrgProfile { has_committee, has_groups };
        let r = evaluate(&rules, &org, &meetings, from, to, today);

        prop_assert_eq!(r.windows.len(), (r.met + r.overdue + r.upcoming) as usize);
        prop_assert_eq!(r.skipped.len(), usize::from(!has_committee) + usize::from(!has_groups));
        for (i, rule) in rules.iter().enumerate() {
            let mine: Vec<&WindowStatus> = r.windows.iter().filter(|w| w.rule == i).collect();
            if r.skipped.iter().any(|s| s.rule == i) {
                prop_assert!(mine.is_empty());
                continue;
            }
            let expected = windows(rule.frequency, from, to);
            prop_assert_eq!(mine.len(), expected.len());
            prop_assert_eq!(mine.first().map(|w| w.window.start), Some(from));
            prop_assert_eq!(mine.last().map(|w| w.window.end), Some(to));
            for pair in mine.windows(2) {
                prop_assert_eq!(pair[0].window.end.succ_opt(), Some(pair[1].window.start));
                prop_assert!(pair[0].window.label != pair[1].window.label);
            }
            // Every meeting of the kind in range is either counted or rejected, exactly once.
            let in_range = meetings.iter()
                .filter(|m| m.kind == rule.kind && from <= m.date && m.date <= to)
                .count();
            let seen: usize = mine.iter().map(|w| w.counted.len() + w.not_counted.len()).sum();
            prop_assert_eq!(seen, in_range);
            for w in &mine {
                prop_assert_eq!(w.status == Status::Met, w.counted.len() as u32 >= w.expected);
                if let Some(due) = w.status.due() {
                    prop_assert_eq!(due, w.window.period_end);
                    prop_assert_eq!(matches!(w.status, Status::Overdue { .. }), today > due);
                }
                prop_assert!(w.explanation.contains(rule.citation));
            }
        }
        for w in due_soon(&r, today, 30) {
            prop_assert!(w.status != Status::Met);
        }
    }

    #[test]
    fn tally_counts_what_evaluate_reports(
        meetings in meetings(),
        from_n in 0u64..3000, len in 0u64..1200, today_n in 0u64..3500,
        has_committee in any::<bool>(), has_groups in any::<bool>(), quarterly in any::<bool>(),
    ) {
        let (from, to, today) = (day(from_n), day(from_n + len), day(today_n));
        let rules = ComplianceConfig { lecture_quarterly: quarterly, ..Default::default() }.rules();
        let org = OrgProfile { has_committee, has_groups };
        let r = evaluate(&rules, &org, &meetings, from, to, today);
        let t = tally(&rules, &org, &meetings, from, to, today);
        prop_assert_eq!(t, Tally { met: r.met, overdue: r.overdue, upcoming: r.upcoming });
    }

    /// Over a calendar year every window is whole months, so the day of a meeting within its
    /// month does not matter: reports may count meetings per month (as the store does).
    #[test]
    fn over_a_year_only_the_month_of_a_meeting_matters(
        meetings in meetings(), year in 2020i32..2028, today_n in 0u64..3500,
        has_committee in any::<bool>(), has_groups in any::<bool>(), quarterly in any::<bool>(),
    ) {
        let from = Date::from_ymd_opt(year, 1, 1).unwrap();
        let to = Date::from_ymd_opt(year, 12, 31).unwrap();
        let today = day(today_n);
        let rules = ComplianceConfig { lecture_quarterly: quarterly, ..Default::default() }.rules();
        let org = OrgProfile { has_committee, has_groups };
        let firsts: Vec<MeetingFact> = meetings
            .iter()
            .map(|m| MeetingFact { date: m.date.with_day(1).unwrap(), ..*m })
            .collect();
        prop_assert_eq!(
            tally(&rules, &org, &meetings, from, to, today),
            tally(&rules, &org, &firsts, from, to, today)
        );
    }

    #[test]
    fn never_panics_on_any_range(a in any::<i32>(), b in any::<i32>(), t in any::<i32>(), meetings in meetings()) {
        let at = |n: i32| Date::from_num_days_from_ce_opt(n).unwrap_or(Date::MIN);
        let r = evaluate(&default_rules(), &OrgProfile::default(), &meetings, at(a % 800_000), at(a % 800_000 + (b % 400).abs()), at(t));
        let _ = due_soon(&r, at(t), u32::MAX);
        let _ = tally(&default_rules(), &OrgProfile::default(), &meetings, at(a % 800_000), at(b % 800_000), at(t));
    }
}
