//! Business KPIs (业务指标): direction and progress towards the target. Every progress figure
//! comes with its sentence; checks on typed values live in [`super::kpi_check`].

use serde::{Deserialize, Serialize};

/// Which way is good for a KPI.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// 越高越好 (pass rate, number of calibrations)
    HigherBetter,
    /// 越低越好 (complaints, turnaround days)
    LowerBetter,
    /// 保持在区间内 (class size, budget execution pace)
    WithinRange { low: f64, high: f64 },
}

impl Direction {
    pub fn code(self) -> &'static str {
        match self {
            Self::HigherBetter => "higher_better",
            Self::LowerBetter => "lower_better",
            Self::WithinRange { .. } => "within_range",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::HigherBetter => "越高越好",
            Self::LowerBetter => "越低越好",
            Self::WithinRange { .. } => "保持在区间内",
        }
    }

    /// From a form: the code plus the bounds, which only a range uses.
    pub fn parse(code: &str, low: Option<f64>, high: Option<f64>) -> Result<Direction, String> {
        match code.trim() {
            "higher_better" => Ok(Self::HigherBetter),
            "lower_better" => Ok(Self::LowerBetter),
            "within_range" => match (low, high) {
                (Some(l), Some(h)) if l.is_finite() && h.is_finite() && l <= h => {
                    Ok(Self::WithinRange { low: l, high: h })
                }
                (Some(l), Some(h)) if l > h => Err("区间下限不能大于上限".to_string()),
                _ => Err("保持在区间内的指标请填写区间下限和上限".to_string()),
            },
            _ => Err("请选择指标方向".to_string()),
        }
    }
}

/// One KPI of a business goal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Kpi {
    pub unit: String,
    pub direction: Direction,
    pub baseline: f64,
    pub target: f64,
}

/// A number with the sentence that explains it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rollup {
    pub value: f64,
    pub explanation: String,
}

/// Formats a number for a sentence: integers without decimals, others with up to two.
pub fn fmt_num(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{x:.0}")
    } else {
        let s = format!("{x:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// A share in [0, 1] as "66.7%".
pub fn fmt_pct(share: f64) -> String {
    format!("{:.1}%", share * 100.0)
}

/// Clamps to [0, 1]; NaN (only from absurd inputs) counts as no progress.
pub(crate) fn unit_interval(x: f64) -> f64 {
    if x.is_nan() {
        0.0
    } else {
        x.clamp(0.0, 1.0)
    }
}

/// Progress of `actual` towards the KPI's target, in [0, 1].
///
/// - 越高越好: (actual − baseline) / (target − baseline), clamped; 越低越好 the mirror image.
/// - When the target equals the baseline (or lies on the wrong side of it), the target is a
///   threshold to hold: 1 if reached, 0 if not, since there is no distance to measure.
/// - 区间: 1 inside the range; outside it falls linearly, reaching 0 one range-width away
///   (a zero-width range uses the bound's own magnitude, or 1, as the scale).
///
/// Non-finite actual values give 0. Differences are taken on halves so no finite input
/// overflows to infinity.
pub fn kpi_progress(kpi: &Kpi, actual: f64) -> f64 {
    if !actual.is_finite() {
        return 0.0;
    }
    let (a, b, t) = (actual / 2.0, kpi.baseline / 2.0, kpi.target / 2.0);
    let value = match kpi.direction {
        Direction::HigherBetter if t - b > 0.0 => (a - b) / (t - b),
        Direction::LowerBetter if b - t > 0.0 => (b - a) / (b - t),
        Direction::HigherBetter => f64::from(u8::from(actual >= kpi.target)),
        Direction::LowerBetter => f64::from(u8::from(actual <= kpi.target)),
        Direction::WithinRange { low, high } => {
            let (l, h) = (low / 2.0, high / 2.0);
            let distance = if a < l {
                l - a
            } else if a > h {
                a - h
            } else {
                0.0
            };
            let width = h - l;
            let scale = if width > 0.0 {
                width
            } else if l != 0.0 {
                l.abs()
            } else {
                0.5
            };
            1.0 - distance / scale
        }
    };
    unit_interval(value)
}

/// [`kpi_progress`] with its sentence, e.g. "实际 90%，目标 95%；从基线 80% 到目标，已走完 66.7%".
pub fn kpi_progress_explained(kpi: &Kpi, actual: f64) -> Rollup {
    let value = kpi_progress(kpi, actual);
    let u = &kpi.unit;
    let (b, t, a) = (fmt_num(kpi.baseline), fmt_num(kpi.target), fmt_num(actual));
    let pct = fmt_pct(value);
    let explanation = match kpi.direction {
        _ if !actual.is_finite() => "实际值无效，完成度记为 0".to_string(),
        Direction::WithinRange { low, high } => {
            let (l, h) = (fmt_num(low), fmt_num(high));
            if value >= 1.0 {
                format!("目标区间 {l}–{h}{u}，实际 {a}{u}：在区间内，完成 100.0%")
            } else {
                format!("目标区间 {l}–{h}{u}，实际 {a}{u}：偏离区间，完成 {pct}")
            }
        }
        Direction::HigherBetter if kpi.target <= kpi.baseline => format!(
            "目标为保持不低于 {t}{u}，实际 {a}{u}：{}",
            if value >= 1.0 {
                "已达到"
            } else {
                "未达到"
            }
        ),
        Direction::LowerBetter if kpi.target >= kpi.baseline => format!(
            "目标为保持不高于 {t}{u}，实际 {a}{u}：{}",
            if value >= 1.0 {
                "已达到"
            } else {
                "未达到"
            }
        ),
        // Actual against target first; the share of the way from the baseline explains the
        // bar (a 满意率 of 96.5% against 100% from 95% is 30% of the way, not "完成 30%").
        _ => format!("实际 {a}{u}，目标 {t}{u}；从基线 {b}{u} 到目标，已走完 {pct}"),
    };
    Rollup { value, explanation }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn kpi(unit: &str, direction: Direction, baseline: f64, target: f64) -> Kpi {
        Kpi {
            unit: unit.into(),
            direction,
            baseline,
            target,
        }
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn higher_better_progress_and_clamping() {
        let k = kpi("%", Direction::HigherBetter, 80.0, 95.0);
        assert!(close(kpi_progress(&k, 90.0), 10.0 / 15.0));
        assert_eq!(kpi_progress(&k, 80.0), 0.0);
        assert_eq!(kpi_progress(&k, 70.0), 0.0, "below baseline clamps to 0");
        assert_eq!(kpi_progress(&k, 99.0), 1.0, "above target clamps to 1");
        assert_eq!(
            kpi_progress_explained(&k, 90.0).explanation,
            "实际 90%，目标 95%；从基线 80% 到目标，已走完 66.7%"
        );
    }

    #[test]
    fn lower_better_is_the_mirror() {
        let k = kpi("天", Direction::LowerBetter, 10.0, 5.0);
        assert!(close(kpi_progress(&k, 7.0), 0.6));
        assert_eq!(kpi_progress(&k, 12.0), 0.0);
        assert_eq!(kpi_progress(&k, 4.0), 1.0);
        assert_eq!(
            kpi_progress_explained(&k, 7.5).explanation,
            "实际 7.5天，目标 5天；从基线 10天 到目标，已走完 50.0%"
        );
    }

    #[test]
    fn equal_target_and_baseline_is_a_threshold() {
        let k = kpi("%", Direction::HigherBetter, 98.0, 98.0);
        assert_eq!(kpi_progress(&k, 98.0), 1.0);
        assert_eq!(kpi_progress(&k, 97.9), 0.0);
        assert!(kpi_progress_explained(&k, 97.0)
            .explanation
            .contains("未达到"));
        let k = kpi("起", Direction::LowerBetter, 0.0, 0.0);
        assert_eq!(kpi_progress(&k, 0.0), 1.0);
        assert_eq!(kpi_progress(&k, 1.0), 0.0);
        assert!(kpi_progress_explained(&k, 0.0)
            .explanation
            .contains("不高于 0起"));
    }

    #[test]
    fn within_range_decays_by_width() {
        let k = kpi(
            "人",
            Direction::WithinRange {
                low: 40.0,
                high: 45.0,
            },
            0.0,
            0.0,
        );
        assert_eq!(kpi_progress(&k, 42.0), 1.0);
        assert_eq!(kpi_progress(&k, 40.0), 1.0);
        assert!(close(kpi_progress(&k, 47.0), 0.6));
        assert!(close(kpi_progress(&k, 38.0), 0.6));
        assert_eq!(kpi_progress(&k, 60.0), 0.0);
        assert!(kpi_progress_explained(&k, 47.0)
            .explanation
            .contains("偏离区间，完成 60.0%"));
        let point = kpi(
            "%",
            Direction::WithinRange {
                low: 50.0,
                high: 50.0,
            },
            0.0,
            0.0,
        );
        assert_eq!(kpi_progress(&point, 50.0), 1.0);
        assert!(close(kpi_progress(&point, 45.0), 0.9));
        let zero = kpi(
            "%",
            Direction::WithinRange {
                low: 0.0,
                high: 0.0,
            },
            0.0,
            0.0,
        );
        assert!(close(kpi_progress(&zero, 0.5), 0.5));
    }

    #[test]
    fn non_finite_actual_is_zero() {
        let k = kpi("%", Direction::HigherBetter, 0.0, 10.0);
        assert_eq!(kpi_progress(&k, f64::NAN), 0.0);
        assert_eq!(kpi_progress(&k, f64::INFINITY), 0.0);
        assert!(kpi_progress_explained(&k, f64::NAN)
            .explanation
            .contains("无效"));
    }

    #[test]
    fn direction_from_a_form() {
        assert_eq!(
            Direction::parse("higher_better", None, None),
            Ok(Direction::HigherBetter)
        );
        assert_eq!(
            Direction::parse("within_range", Some(1.0), Some(2.0)),
            Ok(Direction::WithinRange {
                low: 1.0,
                high: 2.0
            })
        );
        assert!(Direction::parse("within_range", Some(3.0), Some(2.0)).is_err());
        assert!(Direction::parse("within_range", None, Some(2.0)).is_err());
        assert!(Direction::parse("up", None, None).is_err());
        assert_eq!(Direction::LowerBetter.label(), "越低越好");
        assert_eq!(
            Direction::WithinRange {
                low: 0.0,
                high: 1.0
            }
            .code(),
            "within_range"
        );
    }

    #[test]
    fn number_formatting() {
        assert_eq!(fmt_num(80.0), "80");
        assert_eq!(fmt_num(92.5), "92.5");
        assert_eq!(fmt_num(1.0 / 3.0), "0.33");
        assert_eq!(fmt_num(-2.0), "-2");
        assert_eq!(fmt_pct(2.0 / 3.0), "66.7%");
    }

    fn finite() -> impl Strategy<Value = f64> {
        prop::num::f64::NORMAL | prop::num::f64::SUBNORMAL | prop::num::f64::ZERO
    }

    proptest! {
        #[test]
        fn progress_is_always_in_unit_interval(
            b in finite(), t in finite(), a in finite(), l in finite(), h in finite(), dir in 0u8..3,
        ) {
            let direction = match dir {
                0 => Direction::HigherBetter,
                1 => Direction::LowerBetter,
                _ => Direction::WithinRange { low: l.min(h), high: l.max(h) },
            };
            let p = kpi_progress(&kpi("%", direction, b, t), a);
            prop_assert!((0.0..=1.0).contains(&p), "{p}");
        }

        #[test]
        fn progress_is_monotone_for_higher_better(b in -1e6f64..1e6, span in 0.001f64..1e6, x in -2e6f64..2e6, dx in 0.0f64..1e6) {
            let k = kpi("万元", Direction::HigherBetter, b, b + span);
            prop_assert!(kpi_progress(&k, x) <= kpi_progress(&k, x + dx));
        }
    }
}
