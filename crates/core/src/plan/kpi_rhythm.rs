//! What a KPI's monthly figure stands for, how often it is reported, and when the latest
//! figure is out of date. Everything here is about months written "YYYY-MM".

use super::kpi::{Direction, Kpi};
use super::period::reporting_month;
use crate::Date;
use serde::{Deserialize, Serialize};

/// What the value entered for a month means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Accumulation {
    /// 累计值: the total from the start of the year to the end of that month (台件数, 项目数).
    /// A running total never falls: each month's figure is at least the one before.
    Cumulative,
    /// 当月值: the month's own figure (a rate, a duration, a level); the latest stands.
    Monthly,
}

impl Accumulation {
    pub const ALL: [Accumulation; 2] = [Self::Cumulative, Self::Monthly];

    pub fn code(self) -> &'static str {
        match self {
            Self::Cumulative => "cumulative",
            Self::Monthly => "monthly",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.code() == code.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Cumulative => "累计值",
            Self::Monthly => "当月值",
        }
    }

    /// What to type, said at the value field.
    pub fn hint(self) -> &'static str {
        match self {
            Self::Cumulative => "填年初至该月底的累计数",
            Self::Monthly => "填该月当月的数（如当月比率、时长）",
        }
    }

    /// The likely meaning when nobody said: a count starting from 0 and growing towards its
    /// annual target is a running total; rates, durations and levels are monthly figures.
    pub fn infer(kpi: &Kpi) -> Self {
        let rate = ['%', '％', '‰', '率'].iter().any(|c| kpi.unit.contains(*c));
        if !rate
            && kpi.baseline == 0.0
            && kpi.target > 0.0
            && kpi.direction == Direction::HigherBetter
        {
            Self::Cumulative
        } else {
            Self::Monthly
        }
    }
}

/// How often a KPI's actual value is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cadence {
    /// 按月报送: a value for every finished month.
    Monthly,
    /// 按季报送: a value for March, June, September and December.
    Quarterly,
}

impl Cadence {
    pub const ALL: [Cadence; 2] = [Self::Monthly, Self::Quarterly];

    pub fn code(self) -> &'static str {
        match self {
            Self::Monthly => "monthly",
            Self::Quarterly => "quarterly",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Monthly => "按月报送",
            Self::Quarterly => "按季报送",
        }
    }

    /// Months between two reports.
    pub fn months(self) -> u32 {
        match self {
            Self::Monthly => 1,
            Self::Quarterly => 3,
        }
    }

    /// Whether a value for month `m` (1–12) is one this cadence asks for.
    pub fn reports_in(self, m: u32) -> bool {
        match self {
            Self::Monthly => (1..=12).contains(&m),
            Self::Quarterly => matches!(m, 3 | 6 | 9 | 12),
        }
    }

    /// The latest month of a plan of `year` whose value is due on `today` ("2026-09" for a
    /// quarterly KPI on 2026-12-01, "2026-11" for a monthly one), or `None` when nothing is
    /// due yet. A past year owes its December; a future year owes nothing.
    pub fn due_month(self, today: Date, year: i32) -> Option<String> {
        let (y, m) = reporting_month(today);
        let last = match y.cmp(&year) {
            std::cmp::Ordering::Less => return None,
            std::cmp::Ordering::Equal => m,
            std::cmp::Ordering::Greater => 12,
        };
        let m = (1..=last).rev().find(|&m| self.reports_in(m))?;
        Some(format!("{year:04}-{m:02}"))
    }
}

/// A value's month against the cadence: a quarterly KPI takes quarter-end months only.
pub fn check_month(cadence: Cadence, month: &str) -> Result<(), String> {
    match (month_of(month), cadence) {
        (Some(m), _) if cadence.reports_in(m) => Ok(()),
        (_, Cadence::Quarterly) => Err("这个指标按季报送，请填季末月份（3、6、9、12 月）".into()),
        (_, Cadence::Monthly) => Err("月份格式应为 年-月，例如 2026-03".into()),
    }
}

/// The months of `year` up to `due` that the cadence asks for and that have no value.
pub fn missing_months(
    cadence: Cadence,
    year: i32,
    due: Option<&str>,
    entered: &[&str],
) -> Vec<String> {
    let Some(last) = due.and_then(month_of) else {
        return Vec::new();
    };
    (1..=last)
        .filter(|&m| cadence.reports_in(m))
        .map(|m| format!("{year:04}-{m:02}"))
        .filter(|m| !entered.contains(&m.as_str()))
        .collect()
}

/// The month part (1–12) of "YYYY-MM".
pub fn month_of(month: &str) -> Option<u32> {
    month.get(5..7)?.parse().ok()
}

/// Months from `from` to `to` ("2026-08" to "2026-10" is 2), both "YYYY-MM".
fn months_between(from: &str, to: &str) -> Option<i64> {
    let (fy, fm): (i64, i64) = (from.get(..4)?.parse().ok()?, month_of(from)?.into());
    let (ty, tm): (i64, i64) = (to.get(..4)?.parse().ok()?, month_of(to)?.into());
    Some((ty - fy) * 12 + (tm - fm))
}

/// When the latest value is older than the cadence allows: the sentence shown beside it.
/// The value now due is only awaited (the 待办 asks for it); a value is stale once a whole
/// reporting period more has gone by without one (on 2026-12-01 a monthly KPI last reported
/// for September is stale, one reported for October is awaited). Nothing when no value is
/// due yet, or when there is no value at all (that is "尚未录入", said elsewhere).
pub fn staleness(cadence: Cadence, latest: Option<&str>, today: Date, year: i32) -> Option<String> {
    let latest = latest?;
    let due = cadence.due_month(today, year)?;
    let behind = months_between(latest, &due)?;
    if behind <= i64::from(cadence.months()) {
        return None;
    }
    Some(format!(
        "数据滞后 {behind} 个月：最近一次是 {latest} 的数，{}应已有 {due} 的数",
        cadence.label()
    ))
}

/// A value of month `month` against the other months already entered (the month itself
/// excluded): a running total must not fall below an earlier month's nor rise above a
/// later month's. Monthly figures may move freely.
pub fn check_value_against_history(
    accumulation: Accumulation,
    month: &str,
    value: f64,
    others: &[(String, f64)],
) -> Result<(), String> {
    if accumulation != Accumulation::Cumulative {
        return Ok(());
    }
    let fmt = super::kpi::fmt_num;
    let earlier = others
        .iter()
        .filter(|(m, _)| m.as_str() < month)
        .max_by(|a, b| a.1.total_cmp(&b.1));
    if let Some((m, v)) = earlier.filter(|(_, v)| value < *v) {
        return Err(format!(
            "这是累计值（年初至该月底），不应小于 {m} 已录入的累计 {}；若填的是当月数，请加上此前的累计后再录入",
            fmt(*v)
        ));
    }
    let later = others
        .iter()
        .filter(|(m, _)| m.as_str() > month)
        .min_by(|a, b| a.1.total_cmp(&b.1));
    if let Some((m, v)) = later.filter(|(_, v)| value > *v) {
        return Err(format!(
            "这是累计值，不应大于 {m} 已录入的累计 {}；请先更正后面的月份",
            fmt(*v)
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> Date {
        Date::from_ymd_opt(y, m, day).unwrap()
    }

    fn kpi(unit: &str, baseline: f64, target: f64, direction: Direction) -> Kpi {
        Kpi {
            unit: unit.into(),
            direction,
            baseline,
            target,
        }
    }

    #[test]
    fn due_months_follow_the_cadence() {
        let today = d(2026, 12, 1);
        assert_eq!(
            Cadence::Monthly.due_month(today, 2026).as_deref(),
            Some("2026-11")
        );
        assert_eq!(
            Cadence::Quarterly.due_month(today, 2026).as_deref(),
            Some("2026-09")
        );
        // In January nothing of this year is due; a past year owes December.
        assert_eq!(Cadence::Monthly.due_month(d(2026, 1, 15), 2026), None);
        assert_eq!(
            Cadence::Quarterly
                .due_month(d(2026, 1, 15), 2025)
                .as_deref(),
            Some("2025-12")
        );
        assert_eq!(Cadence::Quarterly.due_month(d(2026, 3, 31), 2026), None);
        assert_eq!(
            Cadence::Quarterly.due_month(d(2026, 4, 1), 2026).as_deref(),
            Some("2026-03")
        );
        assert_eq!(Cadence::Monthly.due_month(today, 2027), None);
    }

    #[test]
    fn a_value_older_than_the_cadence_is_stale() {
        let today = d(2026, 12, 1);
        let s = staleness(Cadence::Monthly, Some("2026-08"), today, 2026).unwrap();
        assert!(
            s.contains("2026-08") && s.contains("2026-11") && s.contains("3 个月"),
            "{s}"
        );
        // The month now due is awaited, not stale; up to date is up to date.
        assert_eq!(
            staleness(Cadence::Monthly, Some("2026-10"), today, 2026),
            None
        );
        assert_eq!(
            staleness(Cadence::Monthly, Some("2026-11"), today, 2026),
            None
        );
        assert!(staleness(Cadence::Monthly, Some("2026-09"), today, 2026).is_some());
        // Quarterly: September is current in December, June is awaited, March is stale.
        assert_eq!(
            staleness(Cadence::Quarterly, Some("2026-09"), today, 2026),
            None
        );
        assert_eq!(
            staleness(Cadence::Quarterly, Some("2026-06"), today, 2026),
            None
        );
        assert!(staleness(Cadence::Quarterly, Some("2026-03"), today, 2026).is_some());
        assert_eq!(staleness(Cadence::Monthly, None, today, 2026), None);
    }

    #[test]
    fn running_totals_do_not_fall() {
        let history = vec![
            ("2026-09".to_string(), 40_000.0),
            ("2026-11".to_string(), 52_000.0),
        ];
        let c = Accumulation::Cumulative;
        assert!(check_value_against_history(c, "2026-10", 48_800.0, &history).is_ok());
        let low = check_value_against_history(c, "2026-10", 96.0, &history).unwrap_err();
        assert!(low.contains("2026-09") && low.contains("40000"), "{low}");
        let high = check_value_against_history(c, "2026-10", 60_000.0, &history).unwrap_err();
        assert!(high.contains("2026-11"), "{high}");
        // Equal to its neighbours is fine (a month with no work); monthly figures move freely.
        assert!(check_value_against_history(c, "2026-10", 40_000.0, &history).is_ok());
        let m = Accumulation::Monthly;
        assert!(check_value_against_history(m, "2026-10", 1.0, &history).is_ok());
    }

    #[test]
    fn gaps_are_listed_by_cadence() {
        let entered = ["2026-01", "2026-02", "2026-04"];
        assert_eq!(
            missing_months(Cadence::Monthly, 2026, Some("2026-05"), &entered),
            vec!["2026-03", "2026-05"]
        );
        assert_eq!(
            missing_months(Cadence::Quarterly, 2026, Some("2026-09"), &["2026-06"]),
            vec!["2026-03", "2026-09"]
        );
        assert!(missing_months(Cadence::Monthly, 2026, None, &[]).is_empty());
    }

    #[test]
    fn quarterly_kpis_take_quarter_ends() {
        assert!(check_month(Cadence::Quarterly, "2026-09").is_ok());
        assert!(check_month(Cadence::Quarterly, "2026-10").is_err());
        assert!(check_month(Cadence::Monthly, "2026-10").is_ok());
    }

    #[test]
    fn the_meaning_is_inferred_from_the_kpi() {
        let hb = Direction::HigherBetter;
        assert_eq!(
            Accumulation::infer(&kpi("台件", 0.0, 60_000.0, hb)),
            Accumulation::Cumulative
        );
        assert_eq!(
            Accumulation::infer(&kpi("%", 95.0, 100.0, hb)),
            Accumulation::Monthly
        );
        assert_eq!(
            Accumulation::infer(&kpi("%", 0.0, 100.0, hb)),
            Accumulation::Monthly
        );
        assert_eq!(
            Accumulation::infer(&kpi("天", 10.0, 5.0, Direction::LowerBetter)),
            Accumulation::Monthly
        );
        for a in Accumulation::ALL {
            assert_eq!(Accumulation::from_code(a.code()), Some(a));
        }
        for c in Cadence::ALL {
            assert_eq!(Cadence::from_code(c.code()), Some(c));
        }
    }

    proptest! {
        /// Any non-decreasing series of running totals is accepted month by month, in any
        /// order of entry.
        #[test]
        fn growing_totals_are_always_accepted(steps in proptest::collection::vec(0u32..5_000, 1..12)) {
            let mut total = 0.0;
            let series: Vec<(String, f64)> = steps
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    total += f64::from(*s);
                    (format!("2026-{:02}", i + 1), total)
                })
                .collect();
            for (i, (m, v)) in series.iter().enumerate() {
                let others: Vec<_> = series.iter().enumerate().filter(|(j, _)| *j != i).map(|(_, x)| x.clone()).collect();
                prop_assert!(check_value_against_history(Accumulation::Cumulative, m, *v, &others).is_ok());
            }
        }

        /// A due month is always one the cadence reports in, inside the plan's year and not
        /// after the month just finished.
        #[test]
        fn due_months_are_reported_months(day in 0u32..(365 * 3), year in 2025i32..2028) {
            let today = d(2025, 1, 1) + chrono::Days::new(u64::from(day));
            for c in Cadence::ALL {
                if let Some(m) = c.due_month(today, year) {
                    prop_assert!(m.starts_with(&year.to_string()));
                    prop_assert!(c.reports_in(month_of(&m).unwrap()));
                    let (ry, rm) = reporting_month(today);
                    let reported = format!("{ry:04}-{rm:02}");
                    prop_assert!(m <= reported);
                }
            }
        }
    }
}
