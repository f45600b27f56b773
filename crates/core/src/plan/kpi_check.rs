//! Checks on KPI definitions and on values typed or pushed by business systems, so a value
//! in the wrong unit or of the wrong sign is refused with a clear message.

use super::kpi::{Direction, Kpi};

/// Units that count things or give a share: negative values make no sense for them.
const COUNT_UNITS: [&str; 12] = [
    "次", "个", "项", "人", "人次", "件", "篇", "家", "台", "名", "门", "套",
];
const PERCENT: &str = "%";

/// Checks a KPI definition as entered by the business leader.
pub fn validate_kpi(kpi: &Kpi) -> Result<(), String> {
    if kpi.unit.trim().is_empty() {
        return Err("请填写指标单位，例如 %、次、项".to_string());
    }
    if !kpi.baseline.is_finite() || !kpi.target.is_finite() {
        return Err("基线值和目标值应为有效数字".to_string());
    }
    if kpi.baseline.abs().max(kpi.target.abs()) > MAX_MAGNITUDE {
        return Err("基线值和目标值的绝对值不应超过 1 万亿，请核对位数".to_string());
    }
    match kpi.direction {
        Direction::HigherBetter if kpi.target < kpi.baseline => {
            Err("指标越高越好时，目标值不应低于基线值".to_string())
        }
        Direction::LowerBetter if kpi.target > kpi.baseline => {
            Err("指标越低越好时，目标值不应高于基线值".to_string())
        }
        Direction::WithinRange { low, high } if !(low.is_finite() && high.is_finite()) => {
            Err("区间上下限应为有效数字".to_string())
        }
        Direction::WithinRange { low, high } if low > high => {
            Err("区间下限不能大于上限".to_string())
        }
        _ => validate_kpi_value(kpi, kpi.baseline)
            .and_then(|()| validate_kpi_value(kpi, kpi.target))
            .map_err(|m| format!("基线值或目标值有误：{m}")),
    }
}

/// Whether the KPI's own figures go above 100, which makes a percentage over 100 (a growth
/// rate, an over-fulfilled quota) legitimate for it.
fn percent_may_exceed_100(kpi: &Kpi) -> bool {
    let range_high = match kpi.direction {
        Direction::WithinRange { high, .. } => high,
        _ => f64::MIN,
    };
    kpi.target.max(kpi.baseline).max(range_high) > 100.0
}

/// No figure a unit reports is this large (a province's yearly budget in yuan is ~1e12).
pub const MAX_MAGNITUDE: f64 = 1e12;
/// An actual value may be this many times the KPI's own largest figure before it is taken
/// for a typing error (an extra few zeros, "1e308").
const MAGNITUDE_FACTOR: f64 = 1000.0;

/// The largest magnitude a value of `kpi` may have: [`MAGNITUDE_FACTOR`] times its largest
/// stated figure (baseline, target, range), at least 1,000 and at most [`MAX_MAGNITUDE`].
/// Fixed by the KPI's own figures, so the bound does not move with what was entered before.
pub fn value_bound(kpi: &Kpi) -> f64 {
    let range = match kpi.direction {
        Direction::WithinRange { low, high } => low.abs().max(high.abs()),
        _ => 0.0,
    };
    let largest = kpi.baseline.abs().max(kpi.target.abs()).max(range);
    (largest * MAGNITUDE_FACTOR).clamp(1000.0, MAX_MAGNITUDE)
}

/// Checks one actual value for the KPI: finite and of a plausible magnitude
/// ([`value_bound`]); not negative for counts and percentages; a percentage at most 100
/// unless the KPI itself goes above 100.
pub fn validate_kpi_value(kpi: &Kpi, value: f64) -> Result<(), String> {
    let unit = kpi.unit.trim();
    if !value.is_finite() {
        return Err("请输入有效的数字".to_string());
    }
    let bound = value_bound(kpi);
    if value.abs() > bound {
        return Err(format!(
            "数值过大：该指标基线 {}、目标 {}，实际值的绝对值不应超过 {}，请核对是否多输入了位数",
            super::kpi::fmt_num(kpi.baseline),
            super::kpi::fmt_num(kpi.target),
            super::kpi::fmt_num(bound)
        ));
    }
    let is_percent = unit == PERCENT || unit == "％";
    if (is_percent || COUNT_UNITS.contains(&unit)) && value < 0.0 {
        return Err(format!("单位为“{unit}”的指标，数值不能为负数"));
    }
    if is_percent && value > 100.0 && !percent_may_exceed_100(kpi) {
        return Err("百分比指标的数值应在 0 到 100 之间".to_string());
    }
    Ok(())
}

/// Parses a value as typed ("92.5", "92.5%", "1,200 次") and validates it. A unit typed after
/// the number must be the KPI's unit, so a value pushed in the wrong unit is refused rather
/// than silently misread.
pub fn parse_kpi_value(kpi: &Kpi, typed: &str) -> Result<f64, String> {
    let unit = kpi.unit.trim();
    let v = typed.trim().replace(['，', ','], "").replace('％', "%");
    if v.is_empty() {
        return Err("请填写实际值".to_string());
    }
    let split = v
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E')))
        .unwrap_or(v.len());
    let (number, typed_unit) = (v[..split].trim(), v[split..].trim());
    if number.is_empty() {
        return Err(format!(
            "请填写数字，例如 3 或 92.5（填写的是“{}”）",
            typed.trim()
        ));
    }
    if !typed_unit.is_empty() && typed_unit != unit.replace('％', "%") {
        return Err(format!(
            "该指标的单位是“{unit}”，填写的单位“{typed_unit}”不符"
        ));
    }
    let value: f64 = number
        .parse()
        .map_err(|_| "实际值应为数字，例如 92.5".to_string())?;
    validate_kpi_value(kpi, value)?;
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kpi(unit: &str, direction: Direction, baseline: f64, target: f64) -> Kpi {
        Kpi {
            unit: unit.into(),
            direction,
            baseline,
            target,
        }
    }

    #[test]
    fn definitions_are_checked() {
        assert!(validate_kpi(&kpi("%", Direction::HigherBetter, 80.0, 95.0)).is_ok());
        assert!(validate_kpi(&kpi(" ", Direction::HigherBetter, 80.0, 95.0)).is_err());
        assert!(validate_kpi(&kpi("%", Direction::HigherBetter, 95.0, 80.0))
            .unwrap_err()
            .contains("不应低于基线"));
        assert!(validate_kpi(&kpi("天", Direction::LowerBetter, 5.0, 10.0)).is_err());
        let bad_range = Direction::WithinRange {
            low: 5.0,
            high: 1.0,
        };
        assert!(validate_kpi(&kpi("人", bad_range, 0.0, 0.0)).is_err());
        assert!(validate_kpi(&kpi("次", Direction::HigherBetter, -1.0, 5.0))
            .unwrap_err()
            .contains("不能为负数"));
        assert!(validate_kpi(&kpi("%", Direction::HigherBetter, f64::NAN, 5.0)).is_err());
    }

    #[test]
    fn values_are_checked_against_the_unit() {
        let pct = kpi("%", Direction::HigherBetter, 80.0, 95.0);
        assert_eq!(validate_kpi_value(&pct, 100.0), Ok(()));
        assert_eq!(
            validate_kpi_value(&pct, 101.0),
            Err("百分比指标的数值应在 0 到 100 之间".to_string())
        );
        assert!(validate_kpi_value(&pct, -1.0).is_err());
        assert!(validate_kpi_value(&pct, f64::INFINITY).is_err());
        let growth = kpi("%", Direction::HigherBetter, 100.0, 120.0);
        assert_eq!(validate_kpi_value(&growth, 115.0), Ok(()));
        let count = kpi("次", Direction::HigherBetter, 0.0, 12.0);
        assert!(validate_kpi_value(&count, -3.0)
            .unwrap_err()
            .contains("“次”"));
        let money = kpi("万元", Direction::HigherBetter, 0.0, 50.0);
        assert_eq!(
            validate_kpi_value(&money, -3.0),
            Ok(()),
            "a loss may be negative"
        );
    }

    #[test]
    fn typed_values_with_units() {
        let pct = kpi("%", Direction::HigherBetter, 80.0, 95.0);
        assert_eq!(parse_kpi_value(&pct, " 92.5% "), Ok(92.5));
        assert_eq!(parse_kpi_value(&pct, "92.5％"), Ok(92.5));
        assert_eq!(parse_kpi_value(&pct, "92"), Ok(92.0));
        assert_eq!(
            parse_kpi_value(&pct, "92次"),
            Err("该指标的单位是“%”，填写的单位“次”不符".to_string())
        );
        assert!(parse_kpi_value(&pct, "").is_err());
        assert!(parse_kpi_value(&pct, "abc").is_err());
        assert!(parse_kpi_value(&pct, "NaN").is_err());
        assert!(parse_kpi_value(&pct, "1e400").is_err(), "infinite");
        let count = kpi("台件", Direction::HigherBetter, 12000.0, 15000.0);
        let e = parse_kpi_value(&count, "1e308").unwrap_err();
        assert!(e.contains("数值过大") && e.contains("15000"), "{e}");
        assert!(parse_kpi_value(&count, "15000000").is_ok(), "1000 × target");
        assert!(parse_kpi_value(&count, "15000001").is_err());
        let e = parse_kpi_value(&count, "三项").unwrap_err();
        assert!(e.starts_with("请填写数字") && e.contains("三项"), "{e}");
        let tiny = kpi("%", Direction::HigherBetter, 0.0, 1.0);
        assert_eq!(value_bound(&tiny), 1000.0);
        assert!(
            validate_kpi(&kpi("元", Direction::HigherBetter, 0.0, 1e13)).is_err(),
            "overflows to infinity"
        );
        let count = kpi("台", Direction::HigherBetter, 0.0, 2000.0);
        assert_eq!(parse_kpi_value(&count, "1,200 台"), Ok(1200.0));
    }
}
