//! The integration index (融合度) of one organization for one period: how far its Party work
//! and its business work are one body of work, every number explained, and the obstacles that
//! pull it down, each with what fixing it would add.
//!
//! Three parts, each in [0, 1]:
//! - goal agreement G: the share of Party work items linked to a goal, and the weighted share of
//!   goals some item supports (both directions), averaged;
//! - task unity S: the share of tasks and meeting records that serve a goal of the plan;
//! - effect reinforcement E: the coordination degree D of Party-building performance U1 and
//!   business performance U2 ([`coupling`]).
//!
//! The index is their weighted mean (equal weights by default). Below a threshold (0.5 by
//! default) the organization is flagged as drifting into "两张皮".

pub mod coupling;
pub mod lagged;
pub mod performance;

use coupling::{couple, Coupling, Weights};
use serde::Serialize;

/// The plain counts the index is computed from (the store reads them; nothing here is typed).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct IntegrationInputs {
    pub items_total: u32,
    /// Items linked to at least one goal of the plan.
    pub items_linked: u32,
    /// Sum of the goals' weights, and of those some item supports.
    pub goal_weight_total: f64,
    pub goal_weight_supported: f64,
    /// Goals no item supports.
    pub goals_unsupported: u32,
    pub tasks_total: u32,
    /// Tasks that serve a goal of the plan (directly or through their item).
    pub tasks_serving: u32,
    pub meetings_total: u32,
    /// Meeting records that serve a goal of the plan.
    pub meetings_serving: u32,
    /// Party-building performance in [0, 1].
    pub u1: f64,
    /// Business performance in [0, 1] (the KPIs of the plan's goals).
    pub u2: f64,
}

/// The deployment's choices: weights of G, S and E, of U1 and U2 in T, and the "两张皮" line.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct IndexConfig {
    pub weight_g: f64,
    pub weight_s: f64,
    pub weight_e: f64,
    pub coupling: Weights,
    pub warn_below: f64,
}

impl Default for IndexConfig {
    fn default() -> Self {
        IndexConfig {
            weight_g: 1.0,
            weight_s: 1.0,
            weight_e: 1.0,
            coupling: Weights::default(),
            warn_below: 0.5,
        }
    }
}

/// One thing that pulls the index down, with what fixing it would add.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Obstacle {
    /// Stable code: `orphan_items`, `unsupported_goals`, `tasks_unlinked`,
    /// `meetings_unlinked`, `party_lags`, `business_lags`.
    pub code: &'static str,
    /// What to do, with the part it moves: "为 3 项党建工作找到结合点，G 由 0.55 升至 0.80".
    pub action: String,
    /// The index after the fix minus the index now.
    pub gain: f64,
}

/// The index with its parts and explanation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IntegrationIndex {
    pub g: f64,
    pub s: f64,
    pub e: f64,
    pub coupling: Coupling,
    pub index: f64,
    pub band: &'static str,
    /// Set below [`IndexConfig::warn_below`].
    pub warning: Option<String>,
    /// One sentence per part, then the index.
    pub explanation: Vec<String>,
    /// Largest gain first; those that would add nothing are left out.
    pub obstacles: Vec<Obstacle>,
}

/// The bands of the index.
pub fn index_band(x: f64) -> &'static str {
    match x {
        x if x >= 0.8 => "深度融合",
        x if x >= 0.6 => "基本融合",
        x if x >= 0.4 => "融合不足",
        _ => "两张皮",
    }
}

fn share(part: f64, whole: f64) -> f64 {
    if whole > 0.0 {
        coupling::unit(part / whole)
    } else {
        0.0
    }
}

/// G: the two directions of goal agreement, averaged.
fn goal_agreement(i: &IntegrationInputs) -> (f64, f64, f64) {
    let items = share(f64::from(i.items_linked), f64::from(i.items_total));
    let goals = share(i.goal_weight_supported, i.goal_weight_total);
    (items, goals, (items + goals) / 2.0)
}

/// S: tasks and meetings serving a goal, over all of them.
fn task_unity(i: &IntegrationInputs) -> f64 {
    share(
        f64::from(i.tasks_serving.min(i.tasks_total) + i.meetings_serving.min(i.meetings_total)),
        f64::from(i.tasks_total + i.meetings_total),
    )
}

/// The index alone (no sentences), for recomputing it with a fix applied.
pub fn index_value(i: &IntegrationInputs, cfg: &IndexConfig) -> f64 {
    let (_, _, g) = goal_agreement(i);
    let s = task_unity(i);
    let e = couple(i.u1, i.u2, cfg.coupling).d;
    combine(g, s, e, cfg)
}

fn combine(g: f64, s: f64, e: f64, cfg: &IndexConfig) -> f64 {
    let (wg, ws, we) = (
        cfg.weight_g.max(0.0),
        cfg.weight_s.max(0.0),
        cfg.weight_e.max(0.0),
    );
    let total = wg + ws + we;
    if total == 0.0 {
        return coupling::unit((g + s + e) / 3.0);
    }
    coupling::unit((wg * g + ws * s + we * e) / total)
}

fn f2(x: f64) -> String {
    format!("{x:.2}")
}

/// The fixes worth proposing for `i`, each as changed inputs and the sentence saying it.
fn fixes(i: &IntegrationInputs) -> Vec<(&'static str, IntegrationInputs, String)> {
    let mut out = Vec::new();
    let (_, _, g) = goal_agreement(i);
    let orphans = i.items_total.saturating_sub(i.items_linked);
    if orphans > 0 {
        let fixed = IntegrationInputs {
            items_linked: i.items_total,
            ..*i
        };
        let g2 = goal_agreement(&fixed).2;
        out.push((
            "orphan_items",
            fixed,
            format!(
                "为 {orphans} 项党建工作找到结合点，G 由 {} 升至 {}",
                f2(g),
                f2(g2)
            ),
        ));
    }
    if i.goals_unsupported > 0 && i.goal_weight_supported < i.goal_weight_total {
        let fixed = IntegrationInputs {
            goal_weight_supported: i.goal_weight_total,
            goals_unsupported: 0,
            ..*i
        };
        let g2 = goal_agreement(&fixed).2;
        out.push((
            "unsupported_goals",
            fixed,
            format!(
                "为 {} 个尚无党建工作支撑的业务目标安排党建工作，G 由 {} 升至 {}",
                i.goals_unsupported,
                f2(g),
                f2(g2)
            ),
        ));
    }
    let s = task_unity(i);
    let loose_tasks = i.tasks_total.saturating_sub(i.tasks_serving);
    if loose_tasks > 0 {
        let fixed = IntegrationInputs {
            tasks_serving: i.tasks_total,
            ..*i
        };
        out.push((
            "tasks_unlinked",
            fixed,
            format!(
                "让 {loose_tasks} 项任务对应到业务目标（或已找到结合点的党建工作项），S 由 {} 升至 {}",
                f2(s),
                f2(task_unity(&fixed))
            ),
        ));
    }
    let loose_meetings = i.meetings_total.saturating_sub(i.meetings_serving);
    if loose_meetings > 0 {
        let fixed = IntegrationInputs {
            meetings_serving: i.meetings_total,
            ..*i
        };
        out.push((
            "meetings_unlinked",
            fixed,
            format!(
                "组织生活围绕业务目标开展：{loose_meetings} 次会议尚未关联目标，S 由 {} 升至 {}",
                f2(s),
                f2(task_unity(&fixed))
            ),
        ));
    }
    let (u1, u2) = (coupling::unit(i.u1), coupling::unit(i.u2));
    if u1 < u2 {
        let fixed = IntegrationInputs { u1: u2, ..*i };
        out.push((
            "party_lags",
            fixed,
            format!("党建绩效 U1 由 {} 提高到业务绩效的水平 {}", f2(u1), f2(u2)),
        ));
    } else if u2 < u1 {
        let fixed = IntegrationInputs { u2: u1, ..*i };
        out.push((
            "business_lags",
            fixed,
            format!(
                "服务的业务目标完成度 U2 由 {} 提高到党建绩效的水平 {}",
                f2(u2),
                f2(u1)
            ),
        ));
    }
    out
}

/// The integration index of one organization and period.
pub fn integration_index(i: &IntegrationInputs, cfg: &IndexConfig) -> IntegrationIndex {
    let (items, goals, g) = goal_agreement(i);
    let s = task_unity(i);
    let k = couple(i.u1, i.u2, cfg.coupling);
    let e = k.d;
    let index = combine(g, s, e, cfg);
    let mut explanation = Vec::new();
    explanation.push(if i.items_total == 0 && i.goal_weight_total == 0.0 {
        "目标一致 G = 0：计划中还没有业务目标和党建工作".to_string()
    } else {
        format!(
            "目标一致 G = {}：{} 项党建工作中 {} 项找到结合点（{}），业务目标按权重有 {} 得到党建工作支撑，两者平均",
            f2(g),
            i.items_total,
            i.items_linked.min(i.items_total),
            crate::plan::kpi::fmt_pct(items),
            crate::plan::kpi::fmt_pct(goals)
        )
    });
    explanation.push(if i.tasks_total + i.meetings_total == 0 {
        "任务统一 S = 0：还没有部署任务，也没有组织生活记录".to_string()
    } else {
        format!(
            "任务统一 S = {}：{} 项任务中 {} 项、{} 次会议中 {} 次服务于计划中的业务目标",
            f2(s),
            i.tasks_total,
            i.tasks_serving.min(i.tasks_total),
            i.meetings_total,
            i.meetings_serving.min(i.meetings_total)
        )
    });
    explanation.push(format!("效果互促 E = D = {}：{}", f2(e), k.explanation));
    explanation.push(format!(
        "融合度 = ({}×G + {}×S + {}×E) / {} = {}，{}",
        cfg.weight_g,
        cfg.weight_s,
        cfg.weight_e,
        cfg.weight_g + cfg.weight_s + cfg.weight_e,
        f2(index),
        index_band(index)
    ));
    let mut obstacles: Vec<Obstacle> = fixes(i)
        .into_iter()
        .map(|(code, fixed, what)| {
            let gain = index_value(&fixed, cfg) - index;
            Obstacle {
                code,
                action: format!("{what}，融合度 +{}", f2(gain)),
                gain,
            }
        })
        .filter(|o| o.gain > 1e-9)
        .collect();
    obstacles.sort_by(|a, b| b.gain.total_cmp(&a.gain));
    let warning = (index < cfg.warn_below).then(|| {
        let first = obstacles
            .first()
            .map(|o| format!("；最见效的是：{}", o.action))
            .unwrap_or_default();
        format!(
            "融合度 {} 低于 {}，党建工作与业务工作有“两张皮”的倾向{first}",
            f2(index),
            f2(cfg.warn_below)
        )
    });
    IntegrationIndex {
        g,
        s,
        e,
        coupling: k,
        index,
        band: index_band(index),
        warning,
        explanation,
        obstacles,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn drifting() -> IntegrationInputs {
        IntegrationInputs {
            items_total: 4,
            items_linked: 1,
            goal_weight_total: 4.0,
            goal_weight_supported: 1.0,
            goals_unsupported: 2,
            tasks_total: 5,
            tasks_serving: 2,
            meetings_total: 10,
            meetings_serving: 3,
            u1: 0.2,
            u2: 0.8,
        }
    }

    #[test]
    fn a_drifting_branch_is_warned_with_its_best_fix_first() {
        let x = integration_index(&drifting(), &IndexConfig::default());
        assert!((x.g - 0.25).abs() < 1e-9, "{x:?}");
        assert!((x.s - 5.0 / 15.0).abs() < 1e-9);
        assert_eq!(x.band, "两张皮");
        let w = x.warning.as_deref().unwrap();
        assert!(w.contains("两张皮") && w.contains("最见效"), "{w}");
        assert!(x.obstacles.len() >= 4);
        assert!(x.obstacles.windows(2).all(|p| p[0].gain >= p[1].gain));
        let orphan = x
            .obstacles
            .iter()
            .find(|o| o.code == "orphan_items")
            .unwrap();
        assert!(
            orphan
                .action
                .contains("为 3 项党建工作找到结合点，G 由 0.25 升至 0.62"),
            "{}",
            orphan.action
        );
        assert_eq!(x.explanation.len(), 4);
        assert!(x.explanation[3].contains("两张皮"));
    }

    #[test]
    fn a_united_branch_has_nothing_to_fix() {
        let i = IntegrationInputs {
            items_total: 3,
            items_linked: 3,
            goal_weight_total: 3.0,
            goal_weight_supported: 3.0,
            tasks_total: 4,
            tasks_serving: 4,
            meetings_total: 12,
            meetings_serving: 12,
            u1: 0.9,
            u2: 0.9,
            ..Default::default()
        };
        let x = integration_index(&i, &IndexConfig::default());
        assert!(
            x.index > 0.95 && x.warning.is_none() && x.obstacles.is_empty(),
            "{x:?}"
        );
        assert_eq!(x.band, "深度融合");
    }

    #[test]
    fn an_empty_plan_says_so() {
        let x = integration_index(&IntegrationInputs::default(), &IndexConfig::default());
        assert_eq!(x.index, 0.0);
        assert!(
            x.explanation[0].contains("还没有业务目标")
                && x.explanation[1].contains("还没有部署任务")
        );
    }

    fn inputs() -> impl Strategy<Value = IntegrationInputs> {
        (
            0u32..20,
            0u32..20,
            0u32..30,
            0u32..30,
            0u32..10,
            0.0f64..1.0,
            0.0f64..1.0,
            0u32..8,
        )
            .prop_flat_map(
                |(items, tasks, meetings, goals_w, unsupported, u1, u2, _)| {
                    (0..=items, 0..=tasks, 0..=meetings, 0..=goals_w).prop_map(
                        move |(linked, serving, m_serving, supported)| IntegrationInputs {
                            items_total: items,
                            items_linked: linked,
                            goal_weight_total: f64::from(goals_w),
                            goal_weight_supported: f64::from(supported),
                            goals_unsupported: if supported < goals_w {
                                unsupported.max(1)
                            } else {
                                0
                            },
                            tasks_total: tasks,
                            tasks_serving: serving,
                            meetings_total: meetings,
                            meetings_serving: m_serving,
                            u1,
                            u2,
                        },
                    )
                },
            )
    }

    proptest! {
        #[test]
        fn the_index_and_its_parts_stay_in_the_unit_interval(i in inputs()) {
            let x = integration_index(&i, &IndexConfig::default());
            for v in [x.g, x.s, x.e, x.index] {
                prop_assert!((0.0..=1.0).contains(&v), "{x:?}");
            }
            prop_assert_eq!(x.warning.is_some(), x.index < 0.5);
        }

        /// Each obstacle's stated gain is exactly the index recomputed with it fixed.
        #[test]
        fn every_stated_gain_is_the_index_recomputed(i in inputs()) {
            let cfg = IndexConfig::default();
            let x = integration_index(&i, &cfg);
            let fixes = fixes(&i);
            for o in &x.obstacles {
                let (_, fixed, _) = fixes.iter().find(|f| f.0 == o.code).unwrap();
                prop_assert!((index_value(fixed, &cfg) - x.index - o.gain).abs() < 1e-12);
                prop_assert!(o.gain > 0.0);
            }
        }

        /// Linking one more item, or one more task, never lowers the index.
        #[test]
        fn more_links_never_lower_the_index(i in inputs()) {
            let cfg = IndexConfig::default();
            let before = index_value(&i, &cfg);
            if i.items_linked < i.items_total {
                let more = IntegrationInputs { items_linked: i.items_linked + 1, ..i };
                prop_assert!(index_value(&more, &cfg) + 1e-12 >= before);
            }
            if i.tasks_serving < i.tasks_total {
                let more = IntegrationInputs { tasks_serving: i.tasks_serving + 1, ..i };
                prop_assert!(index_value(&more, &cfg) + 1e-12 >= before);
            }
        }
    }
}
