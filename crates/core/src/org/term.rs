//! Terms of office (届) and when re-election (换届) is due.

use crate::Date;
use chrono::Months;
use serde::{Deserialize, Serialize};

/// How many days before expiry the platform starts reminding about re-election; leaves time
/// for the request to the higher organization, nomination and the election meeting.
pub const TERM_WARNING_DAYS: i64 = 90;

/// One term of a committee (or of a secretary where no committee is set up).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Term {
    pub start: Date,
    pub years: u8,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TermStatus {
    Current {
        days_left: i64,
    },
    EndingSoon {
        days_left: i64,
    },
    /// The term is over from its expiry date on; `days_over` is 0 on that date.
    Expired {
        days_over: i64,
    },
}

impl Term {
    /// `start` plus `years` calendar years. A term starting on Feb 29 ends on Feb 28 when the
    /// target year is not a leap year (chrono clamps to the month's last day).
    pub fn expiry(&self) -> Date {
        self.start
            .checked_add_months(Months::new(u32::from(self.years) * 12))
            .unwrap_or(Date::MAX)
    }

    pub fn status(&self, today: Date) -> TermStatus {
        let days_left = (self.expiry() - today).num_days();
        if days_left <= 0 {
            TermStatus::Expired {
                days_over: -days_left,
            }
        } else if days_left <= TERM_WARNING_DAYS {
            TermStatus::EndingSoon { days_left }
        } else {
            TermStatus::Current { days_left }
        }
    }
}

impl TermStatus {
    pub fn label(self) -> &'static str {
        match self {
            Self::Current { .. } => "任期内",
            Self::EndingSoon { .. } => "即将届满",
            Self::Expired { .. } => "已届满",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> Date {
        Date::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn expiry_adds_calendar_years() {
        assert_eq!(
            Term {
                start: d(2021, 6, 15),
                years: 3
            }
            .expiry(),
            d(2024, 6, 15)
        );
        assert_eq!(
            Term {
                start: d(2020, 2, 29),
                years: 3
            }
            .expiry(),
            d(2023, 2, 28)
        );
        assert_eq!(
            Term {
                start: d(2020, 2, 29),
                years: 4
            }
            .expiry(),
            d(2024, 2, 29)
        );
        assert_eq!(
            Term {
                start: d(2020, 1, 1),
                years: 0
            }
            .expiry(),
            d(2020, 1, 1)
        );
        assert_eq!(
            Term {
                start: Date::MAX,
                years: 5
            }
            .expiry(),
            Date::MAX
        );
    }

    #[test]
    fn status_boundaries() {
        let t = Term {
            start: d(2021, 1, 1),
            years: 3,
        };
        let exp = t.expiry();
        let at = |days_before: i64| t.status(exp - chrono::Duration::days(days_before));
        assert_eq!(at(91), TermStatus::Current { days_left: 91 });
        assert_eq!(at(90), TermStatus::EndingSoon { days_left: 90 });
        assert_eq!(at(89), TermStatus::EndingSoon { days_left: 89 });
        assert_eq!(at(1), TermStatus::EndingSoon { days_left: 1 });
        assert_eq!(at(0), TermStatus::Expired { days_over: 0 });
        assert_eq!(at(-10), TermStatus::Expired { days_over: 10 });
        assert_eq!(at(0).label(), "已届满");
    }

    proptest! {
        #[test]
        fn status_is_consistent(start_n in 0u64..60_000, years in 1u8..=10, today_n in 0u64..70_000) {
            let base = d(1950, 1, 1);
            let t = Term { start: base + chrono::Days::new(start_n), years };
            let today = base + chrono::Days::new(today_n);
            prop_assert!(t.expiry() > t.start);
            match t.status(today) {
                TermStatus::Current { days_left } => prop_assert!(days_left > TERM_WARNING_DAYS),
                TermStatus::EndingSoon { days_left } => {
                    prop_assert!((1..=TERM_WARNING_DAYS).contains(&days_left))
                }
                TermStatus::Expired { days_over } => {
                    prop_assert!(days_over >= 0);
                    prop_assert!(today >= t.expiry());
                }
            }
        }
    }
}
