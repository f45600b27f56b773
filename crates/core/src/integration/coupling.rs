//! The coupling coordination model of two systems: Party-building performance U1 and business
//! performance U2, each in [0, 1].
//!
//! - coupling C: how well the two move together. The traditional two-system formula
//!   C = 2·sqrt(U1·U2)/(U1+U2) hardly sees imbalance (U1 = 0.2, U2 = 0.8 still gives 0.8).
//!   王淑佳 等《国内耦合协调度模型的误区及修正》（自然资源学报, 2021, 36(3): 793–810) give a
//!   corrected C that does; for two systems it reads C = sqrt((1 − |U1 − U2|) · min/max), 0.32
//!   for the same pair. The corrected C is used; the traditional one is shown beside it.
//! - comprehensive T = a·U1 + b·U2 (a = b = 0.5 by default): how far both have come;
//! - coordination D = sqrt(C·T), read in ten bands 0.1 wide, from 极度失调 to 优质协调.

use serde::Serialize;

/// The weights of U1 and U2 in T.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Weights {
    pub a: f64,
    pub b: f64,
}

impl Default for Weights {
    fn default() -> Self {
        Weights { a: 0.5, b: 0.5 }
    }
}

/// Clamps to [0, 1]; not-a-number counts as 0.
pub fn unit(x: f64) -> f64 {
    if x.is_nan() {
        0.0
    } else {
        x.clamp(0.0, 1.0)
    }
}

/// The traditional coupling degree, 2·sqrt(U1·U2)/(U1+U2); 0 when both are 0.
pub fn coupling_traditional(u1: f64, u2: f64) -> f64 {
    let (u1, u2) = (unit(u1), unit(u2));
    if u1 + u2 == 0.0 {
        return 0.0;
    }
    unit(2.0 * (u1 * u2).sqrt() / (u1 + u2))
}

/// The corrected coupling degree of 王淑佳 et al. (2021) for two systems:
/// sqrt((1 − |U1 − U2|) · min(U1, U2) / max(U1, U2)); 0 when both are 0.
pub fn coupling_corrected(u1: f64, u2: f64) -> f64 {
    let (u1, u2) = (unit(u1), unit(u2));
    let (lo, hi) = if u1 <= u2 { (u1, u2) } else { (u2, u1) };
    if hi == 0.0 {
        return 0.0;
    }
    unit(((1.0 - (hi - lo)) * (lo / hi)).sqrt())
}

/// The comprehensive development index T = a·U1 + b·U2 (weights normalized to sum to 1).
pub fn comprehensive(u1: f64, u2: f64, w: Weights) -> f64 {
    let (a, b) = (w.a.max(0.0), w.b.max(0.0));
    if a + b == 0.0 {
        return unit((unit(u1) + unit(u2)) / 2.0);
    }
    unit((a * unit(u1) + b * unit(u2)) / (a + b))
}

/// The coordination degree D = sqrt(C·T).
pub fn coordination(c: f64, t: f64) -> f64 {
    unit((unit(c) * unit(t)).sqrt())
}

/// The ten bands of D, 0.1 wide, lowest first.
pub const BANDS: [&str; 10] = [
    "极度失调",
    "严重失调",
    "中度失调",
    "轻度失调",
    "濒临失调",
    "勉强协调",
    "初级协调",
    "中级协调",
    "良好协调",
    "优质协调",
];

/// The band of a coordination degree: [0, 0.1) 极度失调 … [0.9, 1] 优质协调.
pub fn band(d: f64) -> &'static str {
    let i = ((unit(d) * 10.0).floor() as usize).min(9);
    BANDS[i]
}

/// When one side lags the other by more than this, the pair is flagged as unbalanced on its
/// own, whatever D says.
pub const IMBALANCE_GAP: f64 = 0.2;

/// The whole model for one organization and period, every figure with its sentence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coupling {
    pub u1: f64,
    pub u2: f64,
    /// Corrected C (used).
    pub c: f64,
    /// Traditional C (shown beside it).
    pub c_traditional: f64,
    pub t: f64,
    pub d: f64,
    pub band: &'static str,
    /// Set when |U1 − U2| > [`IMBALANCE_GAP`]: which side lags, in words.
    pub imbalance: Option<String>,
    pub explanation: String,
}

fn f2(x: f64) -> String {
    format!("{x:.2}")
}

/// The coupling coordination of Party-building `u1` and business `u2`.
pub fn couple(u1: f64, u2: f64, w: Weights) -> Coupling {
    let (u1, u2) = (unit(u1), unit(u2));
    let c = coupling_corrected(u1, u2);
    let c_traditional = coupling_traditional(u1, u2);
    let t = comprehensive(u1, u2, w);
    let d = coordination(c, t);
    let gap = (u1 - u2).abs();
    let imbalance = (gap > IMBALANCE_GAP).then(|| {
        if u1 < u2 {
            format!(
                "党建绩效 U1 = {} 落后于业务绩效 U2 = {}（差 {}）：党建工作没有跟上业务发展",
                f2(u1),
                f2(u2),
                f2(gap)
            )
        } else {
            format!(
                "业务绩效 U2 = {} 落后于党建绩效 U1 = {}（差 {}）：党建工作没有转化为业务成效",
                f2(u2),
                f2(u1),
                f2(gap)
            )
        }
    });
    let difference = if (c - c_traditional).abs() >= 0.05 {
        format!(
            "；传统公式的耦合度为 {}，对两者的差距不敏感，此处采用修正公式（王淑佳 等，2021）",
            f2(c_traditional)
        )
    } else {
        format!("；传统公式的耦合度为 {}，与修正公式相近", f2(c_traditional))
    };
    let explanation = format!(
        "党建绩效 U1 = {}，业务绩效 U2 = {}；耦合度 C = √((1 − |U1 − U2|) × 较小值/较大值) = {}{}；\
         综合发展指数 T = {}×U1 + {}×U2 = {}；协调度 D = √(C × T) = {}，{}",
        f2(u1),
        f2(u2),
        f2(c),
        difference,
        w.a,
        w.b,
        f2(t),
        f2(d),
        band(d)
    );
    Coupling {
        u1,
        u2,
        c,
        c_traditional,
        t,
        d,
        band: band(d),
        imbalance,
        explanation,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-3
    }

    #[test]
    fn the_worked_examples() {
        // U1 = 0.2, U2 = 0.8: the traditional C is 0.8, the corrected one sees the gap.
        let k = couple(0.2, 0.8, Weights::default());
        assert!(close(k.c_traditional, 0.8), "{k:?}");
        assert!(close(k.c, (0.4f64 * 0.25).sqrt()), "{k:?}"); // 0.316
        assert!(close(k.t, 0.5));
        assert!(close(k.d, (k.c * 0.5).sqrt())); // 0.398
        assert_eq!(k.band, "轻度失调");
        assert!(k
            .imbalance
            .as_deref()
            .unwrap()
            .contains("党建绩效 U1 = 0.20 落后"));
        assert!(k.explanation.contains("0.80") && k.explanation.contains("修正公式"));
        // U1 = U2 = 0.9: both formulas give 1, D = sqrt(0.9) = 0.949.
        let k = couple(0.9, 0.9, Weights::default());
        assert!(close(k.c, 1.0) && close(k.c_traditional, 1.0));
        assert!(close(k.d, 0.9f64.sqrt()));
        assert_eq!(k.band, "优质协调");
        assert!(k.imbalance.is_none());
        // Nothing on either side.
        let k = couple(0.0, 0.0, Weights::default());
        assert_eq!((k.c, k.d, k.band), (0.0, 0.0, "极度失调"));
    }

    #[test]
    fn bands_are_a_tenth_wide() {
        assert_eq!(band(0.0), "极度失调");
        assert_eq!(band(0.099), "极度失调");
        assert_eq!(band(0.1), "严重失调");
        assert_eq!(band(0.55), "勉强协调");
        assert_eq!(band(0.9), "优质协调");
        assert_eq!(band(1.0), "优质协调");
    }

    proptest! {
        #[test]
        fn every_figure_stays_in_the_unit_interval(u1 in -0.5f64..1.5, u2 in -0.5f64..1.5) {
            let k = couple(u1, u2, Weights::default());
            for x in [k.u1, k.u2, k.c, k.c_traditional, k.t, k.d] {
                prop_assert!((0.0..=1.0).contains(&x), "{k:?}");
            }
        }

        /// The corrected C never exceeds the traditional one, equals it (1) when the two sides
        /// are equal, and is symmetric.
        #[test]
        fn the_corrected_coupling_is_stricter(u1 in 0.01f64..1.0, u2 in 0.01f64..1.0) {
            let c = coupling_corrected(u1, u2);
            prop_assert!(c <= coupling_traditional(u1, u2) + 1e-9);
            prop_assert!((c - coupling_corrected(u2, u1)).abs() < 1e-12);
            prop_assert!((coupling_corrected(u1, u1) - 1.0).abs() < 1e-9);
        }

        /// Raising the lagging side never lowers D.
        #[test]
        fn helping_the_weaker_side_never_hurts(lo in 0.0f64..1.0, hi in 0.0f64..1.0, step in 0.0f64..0.5) {
            let (lo, hi) = if lo <= hi { (lo, hi) } else { (hi, lo) };
            let raised = (lo + step).min(hi);
            let before = couple(lo, hi, Weights::default()).d;
            let after = couple(raised, hi, Weights::default()).d;
            prop_assert!(after + 1e-12 >= before, "{before} -> {after}");
        }
    }
}
