//! The two performances the integration index couples, from what the plan and the records
//! already hold: Party-building performance U1 and business performance U2, each in [0, 1]
//! with its sentence. Nothing here counts activity volume: a record counts for the rule it
//! meets, never for how many there are.

use super::coupling::unit;
use crate::plan::Rollup;

fn f2(x: f64) -> String {
    format!("{x:.2}")
}

/// U2: the KPIs of the plan's goals. `goals` holds each goal's weight and the progress of its
/// KPIs in [0, 1] (a KPI without any value yet counts 0); goals without KPIs are left out.
pub fn business_performance(goals: &[(f64, Vec<f64>)]) -> Rollup {
    let measured: Vec<(f64, f64)> = goals
        .iter()
        .filter(|(_, kpis)| !kpis.is_empty())
        .map(|(w, kpis)| {
            let w = if w.is_finite() && *w > 0.0 { *w } else { 1.0 };
            let p = kpis.iter().map(|p| unit(*p)).sum::<f64>() / kpis.len() as f64;
            (w, p)
        })
        .collect();
    if measured.is_empty() {
        return Rollup {
            value: 0.0,
            explanation:
                "业务绩效 U2 = 0：计划的业务目标还没有设置指标，或指标还没到报送期（尚无可比数据）"
                    .into(),
        };
    }
    let total: f64 = measured.iter().map(|(w, _)| w).sum();
    let value = unit(measured.iter().map(|(w, p)| w * p).sum::<f64>() / total);
    Rollup {
        value,
        explanation: format!(
            "业务绩效 U2 = {}：{} 个有指标的业务目标按权重平均的指标完成度",
            f2(value),
            measured.len()
        ),
    }
}

/// U1: the Party work of the plan, carried out (its items' progress) and, for a 党支部, the
/// organizational life the regulations require (windows met of those due so far).
pub fn party_performance(item_progress: &[f64], compliance: Option<(u32, u32)>) -> Rollup {
    let items = (!item_progress.is_empty())
        .then(|| item_progress.iter().map(|p| unit(*p)).sum::<f64>() / item_progress.len() as f64);
    let life = compliance
        .filter(|(_, due)| *due > 0)
        .map(|(met, due)| unit(f64::from(met.min(due)) / f64::from(due)));
    let (value, explanation) = match (items, life) {
        (Some(i), Some(l)) => (
            (i + l) / 2.0,
            format!(
                "党建绩效 U1 = {}：党建工作项平均进度 {} 与组织生活按规定完成率 {} 的平均",
                f2((i + l) / 2.0),
                f2(i),
                f2(l)
            ),
        ),
        (Some(i), None) => (i, format!("党建绩效 U1 = {}：党建工作项的平均进度", f2(i))),
        (None, Some(l)) => (
            l,
            format!(
                "党建绩效 U1 = {}：组织生活按规定完成率（计划中还没有党建工作项）",
                f2(l)
            ),
        ),
        (None, None) => (0.0, "党建绩效 U1 = 0：计划中还没有党建工作项".into()),
    };
    Rollup {
        value: unit(value),
        explanation,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn business_is_the_weighted_kpi_progress() {
        let u2 = business_performance(&[(2.0, vec![1.0, 0.5]), (1.0, vec![0.0]), (5.0, vec![])]);
        assert!((u2.value - (2.0 * 0.75) / 3.0).abs() < 1e-12, "{u2:?}");
        assert!(u2.explanation.contains("2 个有指标"));
        assert_eq!(business_performance(&[]).value, 0.0);
    }

    #[test]
    fn party_work_and_organizational_life_count_together() {
        let u1 = party_performance(&[0.5, 1.0], Some((6, 8)));
        assert!((u1.value - (0.75 + 0.75) / 2.0).abs() < 1e-12);
        assert!(u1.explanation.contains("组织生活"));
        assert_eq!(party_performance(&[0.4], None).value, 0.4);
        assert_eq!(party_performance(&[], Some((0, 0))).value, 0.0);
    }

    proptest! {
        #[test]
        fn both_stay_in_the_unit_interval(
            goals in proptest::collection::vec((-1.0f64..5.0, proptest::collection::vec(-0.5f64..1.5, 0..4)), 0..6),
            items in proptest::collection::vec(-0.5f64..1.5, 0..6),
            met in 0u32..20, due in 0u32..20,
        ) {
            let u2 = business_performance(&goals).value;
            let u1 = party_performance(&items, Some((met, due))).value;
            prop_assert!((0.0..=1.0).contains(&u1) && (0.0..=1.0).contains(&u2));
        }
    }
}
