//! Calendar windows: the months, quarters or years overlapping a date range, clipped to it.
//! Partial first and last windows are windows too: an organization founded on 10 March still
//! owes a 主题党日 for March.

use super::Frequency;
use crate::plan::period::{month_end, quarter_end, quarter_label, quarter_of, quarter_start};
use crate::Date;
use chrono::Datelike;
use serde::Serialize;

/// One window of a rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Window {
    pub frequency: Frequency,
    /// "2026年3月", "2026年第三季度", "2026年".
    pub label: String,
    /// The window clipped to the evaluated range: meetings are counted in here.
    pub start: Date,
    pub end: Date,
    /// The whole calendar window; `period_end` is the due date, because the rule's deadline
    /// does not move when the range asked for stops mid-window.
    pub period_start: Date,
    pub period_end: Date,
}

impl Window {
    pub fn is_clipped(&self) -> bool {
        self.start != self.period_start || self.end != self.period_end
    }
}

/// The calendar window of `freq` containing `date`.
pub(crate) fn period_of(freq: Frequency, date: Date) -> (Date, Date) {
    let y = date.year();
    match freq {
        Frequency::Monthly => (date.with_day(1).unwrap_or(date), month_end(y, date.month())),
        Frequency::Quarterly => {
            let q = quarter_of(date);
            (quarter_start(y, q), quarter_end(y, q))
        }
        Frequency::Yearly => (date.with_ordinal(1).unwrap_or(date), month_end(y, 12)),
    }
}

/// Ordinal of the window containing `date`, so two dates' windows can be compared by
/// subtraction (used to bucket meetings in O(1)).
pub(crate) fn ordinal(freq: Frequency, date: Date) -> i64 {
    let y = i64::from(date.year());
    match freq {
        Frequency::Monthly => y * 12 + i64::from(date.month0()),
        Frequency::Quarterly => y * 4 + i64::from(quarter_of(date)) - 1,
        Frequency::Yearly => y,
    }
}

fn label(freq: Frequency, period_start: Date) -> String {
    let y = period_start.year();
    match freq {
        Frequency::Monthly => format!("{y}年{}月", period_start.month()),
        Frequency::Quarterly => format!("{y}年{}", quarter_label(quarter_of(period_start))),
        Frequency::Yearly => format!("{y}年"),
    }
}

/// The windows of `freq` overlapping [`from`, `to`], in order, each clipped to the range.
/// Empty when `from` is after `to`.
pub fn windows(freq: Frequency, from: Date, to: Date) -> Vec<Window> {
    let mut out = Vec::new();
    let mut cursor = from;
    while cursor <= to {
        let (period_start, period_end) = period_of(freq, cursor);
        let end = period_end.min(to);
        out.push(Window {
            frequency: freq,
            label: label(freq, period_start),
            start: cursor,
            end,
            period_start,
            period_end,
        });
        match end.succ_opt() {
            Some(next) => cursor = next,
            None => break,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Date {
        Date::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_year_has_12_4_1_windows() {
        let (from, to) = (d(2026, 1, 1), d(2026, 12, 31));
        assert_eq!(windows(Frequency::Monthly, from, to).len(), 12);
        assert_eq!(windows(Frequency::Quarterly, from, to).len(), 4);
        let y = windows(Frequency::Yearly, from, to);
        assert_eq!(y.len(), 1);
        assert_eq!(y[0].label, "2026年");
        assert!(!y[0].is_clipped());
    }

    #[test]
    fn april_to_june_is_one_quarter() {
        let q = windows(Frequency::Quarterly, d(2026, 4, 1), d(2026, 6, 30));
        assert_eq!(q.len(), 1);
        assert_eq!(q[0].label, "2026年第二季度");
        assert_eq!((q[0].start, q[0].end), (d(2026, 4, 1), d(2026, 6, 30)));
    }

    #[test]
    fn partial_windows_are_clipped_but_keep_their_calendar_end() {
        let m = windows(Frequency::Monthly, d(2026, 3, 10), d(2026, 5, 15));
        assert_eq!(m.len(), 3);
        assert_eq!(m[0].label, "2026年3月");
        assert_eq!((m[0].start, m[0].end), (d(2026, 3, 10), d(2026, 3, 31)));
        assert!(m[0].is_clipped());
        assert_eq!(
            (m[2].end, m[2].period_end),
            (d(2026, 5, 15), d(2026, 5, 31))
        );
        let y = windows(Frequency::Yearly, d(2025, 11, 1), d(2026, 2, 1));
        assert_eq!(y.len(), 2, "a range across new year touches two years");
        assert!(windows(Frequency::Monthly, d(2026, 2, 1), d(2026, 1, 1)).is_empty());
        let one_day = windows(Frequency::Quarterly, d(2026, 9, 30), d(2026, 9, 30));
        assert_eq!(one_day.len(), 1);
    }

    #[test]
    fn ordinals_step_by_one_between_windows() {
        let m = windows(Frequency::Monthly, d(2025, 11, 1), d(2026, 2, 28));
        let ords: Vec<i64> = m
            .iter()
            .map(|w| ordinal(Frequency::Monthly, w.start))
            .collect();
        assert!(ords.windows(2).all(|p| p[1] - p[0] == 1), "{ords:?}");
        assert_eq!(
            ordinal(Frequency::Quarterly, d(2026, 12, 31))
                - ordinal(Frequency::Quarterly, d(2026, 1, 1)),
            3
        );
    }

    #[test]
    fn does_not_overflow_at_the_end_of_time() {
        let w = windows(Frequency::Yearly, Date::MAX, Date::MAX);
        assert_eq!(w.len(), 1);
    }
}
