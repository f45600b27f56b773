//! Over periods: does Party-building performance in one year go with business performance in
//! the next, across a subtree's organizations? The Pearson correlation of U1(t−1) with U2(t),
//! with its sample size and a 95% interval (Fisher's z). An association, not a cause: the
//! sentence says so, and says when the sample is too small to say anything.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Association {
    /// Organizations with both figures.
    pub n: usize,
    /// Pearson's r, when it can be computed (n ≥ 3 and both vary).
    pub r: Option<f64>,
    /// The 95% interval of r (n ≥ 4).
    pub interval: Option<(f64, f64)>,
    pub sentence: String,
}

/// The smallest sample the sentence draws a conclusion from.
pub const MIN_N: usize = 10;

/// `pairs` are (U1 of year t−1, U2 of year t), one per organization.
pub fn lagged_association(pairs: &[(f64, f64)], year: i32) -> Association {
    let pairs: Vec<(f64, f64)> = pairs
        .iter()
        .copied()
        .filter(|(a, b)| a.is_finite() && b.is_finite())
        .collect();
    let n = pairs.len();
    let prev = year - 1;
    let r = pearson(&pairs);
    let interval = r.filter(|_| n >= 4).map(|r| {
        // Fisher's z; r = ±1 exactly would be infinite, held just inside.
        let z = r.clamp(-0.999_999, 0.999_999).atanh();
        let se = 1.0 / ((n - 3) as f64).sqrt();
        ((z - 1.96 * se).tanh(), (z + 1.96 * se).tanh())
    });
    let sentence = match (r, interval) {
        (None, _) => format!(
            "{n} 个组织同时有 {prev} 年的党建绩效和 {year} 年的业务绩效，数据不足或没有差异，无法计算关联"
        ),
        (Some(r), Some((lo, hi))) if n >= MIN_N => {
            let strength = match r.abs() {
                x if x >= 0.5 => "较强的",
                x if x >= 0.3 => "中等的",
                x if x >= 0.1 => "较弱的",
                _ => "几乎没有",
            };
            let direction = if r.abs() < 0.1 {
                String::new()
            } else if r > 0.0 {
                "正".into()
            } else {
                "负".into()
            };
            let sure = if lo > 0.0 || hi < 0.0 {
                "区间不含 0"
            } else {
                "区间含 0，不能排除没有关联"
            };
            format!(
                "{n} 个组织：{prev} 年党建绩效 U1 与 {year} 年业务绩效 U2 的相关系数 r = {r:.2}（95% 区间 {lo:.2} 至 {hi:.2}，{sure}），{strength}{direction}关联。这是关联，不是因果：两者可能都受单位条件等其他因素影响"
            )
        }
        (Some(r), _) => format!(
            "只有 {n} 个组织同时有两年的数据（r = {r:.2}），样本太少，不作结论（至少需要 {MIN_N} 个）"
        ),
    };
    Association {
        n,
        r,
        interval,
        sentence,
    }
}

fn pearson(p: &[(f64, f64)]) -> Option<f64> {
    let n = p.len();
    if n < 3 {
        return None;
    }
    let (mx, my) = (
        p.iter().map(|x| x.0).sum::<f64>() / n as f64,
        p.iter().map(|x| x.1).sum::<f64>() / n as f64,
    );
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (x, y) in p {
        sxy += (x - mx) * (y - my);
        sxx += (x - mx).powi(2);
        syy += (y - my).powi(2);
    }
    (sxx > 1e-12 && syy > 1e-12).then(|| (sxy / (sxx * syy).sqrt()).clamp(-1.0, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_perfect_line_and_no_variation() {
        let line: Vec<(f64, f64)> = (0..12)
            .map(|i| (i as f64 / 12.0, 0.2 + i as f64 / 24.0))
            .collect();
        let a = lagged_association(&line, 2026);
        assert!((a.r.unwrap() - 1.0).abs() < 1e-9);
        assert!(
            a.sentence.contains("不是因果") && a.sentence.contains("区间不含 0"),
            "{}",
            a.sentence
        );
        let flat: Vec<(f64, f64)> = (0..12).map(|i| (0.5, i as f64 / 12.0)).collect();
        assert_eq!(lagged_association(&flat, 2026).r, None);
    }

    #[test]
    fn a_small_sample_draws_no_conclusion() {
        let few = [(0.1, 0.2), (0.5, 0.4), (0.9, 0.95), (0.3, 0.5)];
        let a = lagged_association(&few, 2026);
        assert_eq!(a.n, 4);
        assert!(a.sentence.contains("样本太少"), "{}", a.sentence);
    }

    #[test]
    fn a_known_correlation() {
        // x = 1..5, y = 2, 4, 5, 4, 5: r = 0.7746 (worked by hand).
        let p = [(1.0, 2.0), (2.0, 4.0), (3.0, 5.0), (4.0, 4.0), (5.0, 5.0)];
        assert!((pearson(&p).unwrap() - 0.774_596_669).abs() < 1e-6);
    }

    proptest! {
        #[test]
        fn r_and_its_interval_are_in_range(v in proptest::collection::vec((0.0f64..1.0, 0.0f64..1.0), 0..60)) {
            let a = lagged_association(&v, 2026);
            if let Some(r) = a.r {
                prop_assert!((-1.0..=1.0).contains(&r));
                if let Some((lo, hi)) = a.interval {
                    prop_assert!(lo <= r + 1e-9 && r <= hi + 1e-9 && -1.0 <= lo && hi <= 1.0);
                }
            }
        }
    }
}
