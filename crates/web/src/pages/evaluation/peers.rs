//! The peer groups of a run (the same kind of unit) as the run page and the dashboard draw
//! them. The computing itself is the store's (`Store::eval_compute`), over core's rules.

use crate::charts::{self, Bar};
use ronghe_store::EvalResult;

/// One peer group of a run: how many, the mean, the lowest and highest, and the scores by
/// ten-point bins for the chart.
pub struct PeerGroup {
    pub label: &'static str,
    pub n: usize,
    pub mean: f64,
    pub min: f64,
    pub max: f64,
    pub chart: String,
}

pub fn peer_groups_of(results: &[EvalResult]) -> Vec<PeerGroup> {
    let mut codes: Vec<&str> = results.iter().map(|r| r.peer.as_str()).collect();
    codes.sort_unstable();
    codes.dedup();
    codes
        .into_iter()
        .map(|code| {
            let scores: Vec<f64> = results
                .iter()
                .filter(|r| r.peer == code)
                .map(|r| r.score)
                .collect();
            let mut bins = [0usize; 10];
            for s in &scores {
                bins[((s / 10.0).floor() as usize).min(9)] += 1;
            }
            let bars: Vec<Bar> = bins
                .iter()
                .enumerate()
                .map(|(i, n)| Bar {
                    label: if i == 9 {
                        "90–100".into()
                    } else {
                        format!("{}–{}", i * 10, i * 10 + 10)
                    },
                    value: *n as f64,
                    text: format!("{n} 个"),
                    href: None,
                })
                .collect();
            PeerGroup {
                label: super::results_peer_label(code),
                n: scores.len(),
                mean: scores.iter().sum::<f64>() / scores.len().max(1) as f64,
                min: scores.iter().copied().fold(f64::INFINITY, f64::min),
                max: scores.iter().copied().fold(f64::NEG_INFINITY, f64::max),
                chart: charts::columns(&bars, "得分分布（个组织）"),
            }
        })
        .collect()
}
