//! Plan periods and calendar helpers. A plan covers one calendar year; quarters and months
//! inside it are the windows the compliance engine and KPI entry use.

use crate::Date;
use chrono::Datelike;
use serde::{Deserialize, Serialize};

/// Plan years outside this range are typos in this domain ("226", "20026").
pub const MIN_PLAN_YEAR: i32 = 2000;
pub const MAX_PLAN_YEAR: i32 = 2100;

/// A date, saturating to chrono's limits instead of panicking for absurd years; callers
/// pass years from validated input, so saturation only guards against misuse.
fn ymd(y: i32, m: u32, d: u32) -> Date {
    Date::from_ymd_opt(y, m, d).unwrap_or(if y < 0 { Date::MIN } else { Date::MAX })
}

/// Last day of month `m` (1–12) of year `y`.
pub fn month_end(y: i32, m: u32) -> Date {
    if m >= 12 {
        ymd(y, 12, 31)
    } else {
        ymd(y, m + 1, 1).pred_opt().unwrap_or(Date::MIN)
    }
}

/// The month just finished on `today`, whose KPI actuals are due ("2026-11" on 2026-12-01).
pub fn reporting_month(today: Date) -> (i32, u32) {
    let last = today
        .with_day(1)
        .and_then(|d| d.pred_opt())
        .unwrap_or(today);
    (last.year(), last.month())
}

/// The month a KPI value form starts with on `today` for a plan of `year`: the reporting
/// month, moved into the plan's year (January of a future plan, December of a past one).
pub fn entry_month(today: Date, year: i32) -> String {
    let (y, m) = reporting_month(today);
    let m = match y.cmp(&year) {
        std::cmp::Ordering::Less => 1,
        std::cmp::Ordering::Equal => m,
        std::cmp::Ordering::Greater => 12,
    };
    format!("{year:04}-{m:02}")
}

/// Quarter (1–4) of a date.
pub fn quarter_of(date: Date) -> u8 {
    // month0 is 0..=11, so the quotient is 0..=3.
    (date.month0() / 3) as u8 + 1
}

/// First day of quarter `q` (1–4) of year `y`.
pub fn quarter_start(y: i32, q: u8) -> Date {
    ymd(y, u32::from(q.clamp(1, 4)) * 3 - 2, 1)
}

/// Last day of quarter `q` (1–4) of year `y`.
pub fn quarter_end(y: i32, q: u8) -> Date {
    month_end(y, u32::from(q.clamp(1, 4)) * 3)
}

/// "第一季度" … "第四季度".
pub fn quarter_label(q: u8) -> &'static str {
    match q {
        1 => "第一季度",
        2 => "第二季度",
        3 => "第三季度",
        _ => "第四季度",
    }
}

/// One calendar year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Period {
    pub year: i32,
}

impl Period {
    pub fn new(year: i32) -> Self {
        Self { year }
    }

    /// The period containing `date`.
    pub fn of(date: Date) -> Self {
        Self { year: date.year() }
    }

    /// Parses "2026", "2026年" or "2026年度".
    pub fn parse(label: &str, value: &str) -> Result<Period, String> {
        let v = value.trim();
        if v.is_empty() {
            return Err(format!("请填写{label}"));
        }
        let v = v.strip_suffix('度').unwrap_or(v);
        let v = v.strip_suffix('年').unwrap_or(v);
        if v.len() != 4 || !v.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("{label}应为四位年份，例如 2026"));
        }
        let year: i32 = v.parse().unwrap_or(0);
        if !(MIN_PLAN_YEAR..=MAX_PLAN_YEAR).contains(&year) {
            return Err(format!(
                "{label}应在 {MIN_PLAN_YEAR} 到 {MAX_PLAN_YEAR} 年之间"
            ));
        }
        Ok(Period { year })
    }

    /// "2026年度".
    pub fn label(self) -> String {
        format!("{}年度", self.year)
    }

    pub fn start(self) -> Date {
        ymd(self.year, 1, 1)
    }

    pub fn end(self) -> Date {
        ymd(self.year, 12, 31)
    }

    pub fn contains(self, date: Date) -> bool {
        date.year() == self.year
    }

    /// The following year, for copying a plan into the next period.
    pub fn next(self) -> Period {
        Period {
            year: self.year.saturating_add(1),
        }
    }

    /// Quarters as (quarter 1–4, first day, last day).
    pub fn quarters(self) -> impl Iterator<Item = (u8, Date, Date)> {
        let y = self.year;
        (1..=4u8).map(move |q| (q, quarter_start(y, q), quarter_end(y, q)))
    }

    /// Months as (month 1–12, first day, last day).
    pub fn months(self) -> impl Iterator<Item = (u32, Date, Date)> {
        let y = self.year;
        (1..=12u32).map(move |m| (m, ymd(y, m, 1), month_end(y, m)))
    }

    /// A date typed into a plan (deadline, milestone, KPI month) must lie in the plan's year.
    pub fn check_in_period(self, label: &str, date: Date) -> Result<(), String> {
        if self.contains(date) {
            Ok(())
        } else {
            Err(format!("{label}应在 {} 年内", self.year))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reporting_month_is_the_one_just_finished_inside_the_plan_year() {
        let d = |s: &str| s.parse::<Date>().unwrap();
        assert_eq!(reporting_month(d("2026-12-01")), (2026, 11));
        assert_eq!(reporting_month(d("2026-12-31")), (2026, 11));
        assert_eq!(reporting_month(d("2027-01-15")), (2026, 12));
        assert_eq!(entry_month(d("2026-12-01"), 2026), "2026-11");
        assert_eq!(entry_month(d("2027-01-15"), 2026), "2026-12");
        assert_eq!(entry_month(d("2026-01-10"), 2026), "2026-01");
        assert_eq!(entry_month(d("2026-06-10"), 2027), "2027-01");
        assert_eq!(entry_month(d("2028-06-10"), 2026), "2026-12");
    }
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> Date {
        Date::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn calendar_helpers() {
        assert_eq!(month_end(2024, 2), d(2024, 2, 29));
        assert_eq!(month_end(2026, 2), d(2026, 2, 28));
        assert_eq!(month_end(2026, 12), d(2026, 12, 31));
        assert_eq!(quarter_of(d(2026, 3, 31)), 1);
        assert_eq!(quarter_of(d(2026, 4, 1)), 2);
        assert_eq!(quarter_of(d(2026, 12, 31)), 4);
        assert_eq!(quarter_start(2026, 3), d(2026, 7, 1));
        assert_eq!(quarter_end(2026, 3), d(2026, 9, 30));
        assert_eq!(quarter_end(2026, 1), d(2026, 3, 31));
        assert_eq!(quarter_label(4), "第四季度");
    }

    #[test]
    fn period_bounds_and_membership() {
        let p = Period::new(2026);
        assert_eq!((p.start(), p.end()), (d(2026, 1, 1), d(2026, 12, 31)));
        assert!(p.contains(d(2026, 12, 31)));
        assert!(!p.contains(d(2027, 1, 1)));
        assert_eq!(p.label(), "2026年度");
        assert_eq!(p.next(), Period::new(2027));
        assert_eq!(Period::of(d(2026, 5, 4)), p);
        assert_eq!(p.check_in_period("截止日期", d(2026, 6, 30)), Ok(()));
        assert_eq!(
            p.check_in_period("截止日期", d(2027, 1, 1)),
            Err("截止日期应在 2026 年内".to_string())
        );
    }

    #[test]
    fn quarters_and_months_tile_the_year() {
        let p = Period::new(2024);
        let q: Vec<_> = p.quarters().collect();
        assert_eq!(q.len(), 4);
        assert_eq!(q[0], (1, d(2024, 1, 1), d(2024, 3, 31)));
        assert_eq!(q[3], (4, d(2024, 10, 1), d(2024, 12, 31)));
        let m: Vec<_> = p.months().collect();
        assert_eq!(m.len(), 12);
        assert_eq!(m[1], (2, d(2024, 2, 1), d(2024, 2, 29)));
        for w in m.windows(2) {
            assert_eq!(w[0].2.succ_opt(), Some(w[1].1));
        }
    }

    #[test]
    fn parsing_years() {
        assert_eq!(Period::parse("年度", "2026"), Ok(Period::new(2026)));
        assert_eq!(Period::parse("年度", " 2026年度 "), Ok(Period::new(2026)));
        assert_eq!(Period::parse("年度", "2026年"), Ok(Period::new(2026)));
        assert_eq!(Period::parse("年度", ""), Err("请填写年度".to_string()));
        assert!(Period::parse("年度", "26").unwrap_err().contains("四位"));
        assert!(Period::parse("年度", "1999").unwrap_err().contains("2000"));
    }

    proptest! {
        #[test]
        fn every_day_is_in_exactly_one_quarter_and_month(n in 0u64..(200 * 366)) {
            let date = d(1950, 1, 1) + chrono::Days::new(n);
            let p = Period::of(date);
            prop_assert!(p.contains(date));
            prop_assert_eq!(p.quarters().filter(|(_, s, e)| *s <= date && date <= *e).count(), 1);
            prop_assert_eq!(p.months().filter(|(_, s, e)| *s <= date && date <= *e).count(), 1);
            let q = quarter_of(date);
            prop_assert!(quarter_start(date.year(), q) <= date && date <= quarter_end(date.year(), q));
        }
    }
}
