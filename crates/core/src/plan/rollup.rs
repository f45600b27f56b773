//! Progress roll-up (task → item → goal) and coverage of goals by Party work (goal agreement).
//!
//! The rule the essay sets: Party-building is judged by development results. So a business
//! goal's progress is its KPIs' progress; the progress of the Party work serving it is shown
//! beside it, and only stands in when the goal has no KPI yet.

use super::kpi::{fmt_num, fmt_pct, unit_interval, Rollup};
use super::status::TaskStatus;
use serde::Serialize;
use std::collections::HashSet;

/// The weight [`rollup_goal`] gives KPIs by default: items are shown, not mixed in.
pub const DEFAULT_KPI_WEIGHT: f64 = 1.0;

/// A task's progress in [0, 1] for roll-up: 已完成 is 1, 已取消 is left out (`None`, so it
/// neither helps nor hurts), otherwise the last reported percentage (none yet: 0).
pub fn task_progress(status: TaskStatus, last_percent: Option<u8>) -> Option<f64> {
    match status {
        TaskStatus::Done => Some(1.0),
        TaskStatus::Cancelled => None,
        TaskStatus::NotStarted | TaskStatus::InProgress => {
            Some(f64::from(last_percent.unwrap_or(0).min(100)) / 100.0)
        }
    }
}

/// A task's progress with its explanation; `value` is `None` for a cancelled task.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaskProgress {
    pub value: Option<f64>,
    /// Whether the value is the share of milestones done.
    pub from_milestones: bool,
    pub explanation: String,
}

impl TaskProgress {
    /// Whole percent for display (a cancelled task shows 0).
    pub fn percent(&self) -> i64 {
        (self.value.unwrap_or(0.0) * 100.0).round() as i64
    }
}

/// A task's progress aware of its milestones. `reported` is the percentage reported on the
/// task, `None` when nobody reported one. As [`task_progress`], except that a task still open
/// with milestones and nothing reported counts the share of its milestones done
/// (`done` of `total`). A reported percentage wins: the people doing the work know best.
pub fn task_progress_with_milestones(
    status: TaskStatus,
    reported: Option<u8>,
    done: usize,
    total: usize,
) -> TaskProgress {
    let plain = task_progress(status, reported);
    let share = super::milestone::milestone_share(done, total);
    let of = format!("里程碑完成 {}/{total}", done.min(total));
    let (value, from_milestones, explanation) = match (status, reported, share) {
        (TaskStatus::Done, ..) => (plain, false, "任务已完成，计 100%".to_string()),
        (TaskStatus::Cancelled, ..) => (None, false, "任务已取消，不计入进度".to_string()),
        (_, Some(p), Some(_)) => (
            plain,
            false,
            format!("已报告进度 {}%（{of}，以报告的进度为准）", p.min(100)),
        ),
        (_, Some(p), None) => (plain, false, format!("已报告进度 {}%", p.min(100))),
        (_, None, Some(s)) => (
            Some(s),
            true,
            format!("尚未报告进度，按{of} 计：{}", fmt_pct(s)),
        ),
        (_, None, None) => (plain, false, "尚未报告进度，计 0".to_string()),
    };
    TaskProgress {
        value,
        from_milestones,
        explanation,
    }
}

fn usable_weight(w: f64) -> f64 {
    if w.is_finite() && w > 0.0 {
        w
    } else {
        0.0
    }
}

fn mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty())
        .then(|| values.iter().map(|v| unit_interval(*v)).sum::<f64>() / values.len() as f64)
}

/// An item's progress: the weighted mean of its tasks' (progress, weight), progress clamped
/// to [0, 1]. Weights that are not positive numbers count as 0; if no task has a usable
/// weight, tasks count equally (nobody should lose progress for leaving weights blank).
/// No tasks: 0.
pub fn rollup_item(task_progresses: &[(f64, f64)]) -> f64 {
    let total: f64 = task_progresses.iter().map(|(_, w)| usable_weight(*w)).sum();
    if total > 0.0 && total.is_finite() {
        let sum: f64 = task_progresses
            .iter()
            .map(|(p, w)| unit_interval(*p) * (usable_weight(*w) / total))
            .sum();
        unit_interval(sum)
    } else {
        let plain: Vec<f64> = task_progresses.iter().map(|(p, _)| *p).collect();
        mean(&plain).unwrap_or(0.0)
    }
}

/// A goal's progress, explained.
///
/// `kpi_weight` (clamped to [0, 1]) is the share KPIs take when both KPIs and items exist;
/// the product uses [`DEFAULT_KPI_WEIGHT`] = 1, i.e. the goal's progress is the mean of its
/// KPIs' progress and the Party work items' mean is shown beside it without being mixed in.
/// A goal without KPIs takes the items' mean; with neither it is 0.
pub fn rollup_goal(kpi_progresses: &[f64], item_progresses: &[f64], kpi_weight: f64) -> Rollup {
    let w = if kpi_weight.is_nan() {
        DEFAULT_KPI_WEIGHT
    } else {
        kpi_weight.clamp(0.0, 1.0)
    };
    let (nk, ni) = (kpi_progresses.len(), item_progresses.len());
    match (mean(kpi_progresses), mean(item_progresses)) {
        (None, None) => Rollup {
            value: 0.0,
            explanation: "尚无业务指标和党建工作项，进度记为 0".to_string(),
        },
        (None, Some(i)) => Rollup {
            value: i,
            explanation: format!(
                "尚无业务指标，按 {ni} 个党建工作项的平均进度计：{}",
                fmt_pct(i)
            ),
        },
        (Some(k), None) => Rollup {
            value: k,
            explanation: format!(
                "{nk} 项业务指标平均完成 {}；尚无党建工作项支撑",
                fmt_pct(k)
            ),
        },
        (Some(k), Some(i)) if w >= 1.0 => Rollup {
            value: k,
            explanation: format!(
                "{nk} 项业务指标平均完成 {}，即目标进度；{ni} 个党建工作项平均进度 {}（并列显示，不计入目标进度）",
                fmt_pct(k),
                fmt_pct(i)
            ),
        },
        (Some(k), Some(i)) => {
            let value = unit_interval(w * k + (1.0 - w) * i);
            Rollup {
                value,
                explanation: format!(
                    "业务指标平均完成 {}（权重 {}），党建工作项平均进度 {}（权重 {}），目标进度 {}",
                    fmt_pct(k),
                    fmt_num(w),
                    fmt_pct(i),
                    fmt_num(1.0 - w),
                    fmt_pct(value)
                ),
            }
        }
    }
}

/// A goal's progress when some of its KPIs may still lack an actual value: KPIs without a
/// value are named, not counted as zero, and a goal whose KPIs all wait for values says so
/// instead of falling back to the items as if it had no KPIs.
pub fn goal_progress(kpis_total: usize, kpi_progresses: &[f64], item_progresses: &[f64]) -> Rollup {
    let waiting = kpis_total.saturating_sub(kpi_progresses.len());
    if kpis_total > 0 && kpi_progresses.is_empty() {
        let items = mean(item_progresses)
            .map(|i| {
                format!(
                    "；{} 个党建工作项平均进度 {}",
                    item_progresses.len(),
                    fmt_pct(i)
                )
            })
            .unwrap_or_default();
        return Rollup {
            value: 0.0,
            explanation: format!(
                "{kpis_total} 项业务指标尚未录入实际值，暂无法计算目标进度{items}"
            ),
        };
    }
    let mut r = rollup_goal(kpi_progresses, item_progresses, DEFAULT_KPI_WEIGHT);
    if waiting > 0 {
        r.explanation
            .push_str(&format!("（另有 {waiting} 项指标尚未录入实际值，未计入）"));
    }
    r
}

/// A business goal as coverage needs it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct GoalRef {
    pub id: i64,
    /// 重点目标
    pub is_key: bool,
    pub weight: f64,
}

/// A link between a Party work item and a business goal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LinkRef {
    pub item_id: i64,
    pub goal_id: i64,
}

/// Goal agreement (目标上的一致性), measured both ways, with orphans named on each side.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coverage {
    /// Items linked to no goal of the plan: "未找到结合点".
    pub orphan_items: Vec<i64>,
    /// Goals no item serves.
    pub unsupported_goals: Vec<i64>,
    /// The 重点 goals among them: shown as uncovered.
    pub uncovered_key_goals: Vec<i64>,
    /// Share of items linked to at least one goal, in [0, 1] (0 without items).
    pub item_link_share: f64,
    /// Weighted share of goals served by at least one item, in [0, 1] (0 without goals).
    pub weighted_goal_support: f64,
    pub explanation: String,
}

/// Coverage of `goals` by `items` through `links`. Links to goals or items not given are
/// ignored: they belong to another plan or scope and must not make an orphan look linked.
/// Goal weights that are not positive numbers count as 0; if no goal has a usable weight,
/// goals count equally.
pub fn coverage(goals: &[GoalRef], items: &[i64], links: &[LinkRef]) -> Coverage {
    let goal_ids: HashSet<i64> = goals.iter().map(|g| g.id).collect();
    let item_ids: HashSet<i64> = items.iter().copied().collect();
    let valid = || {
        links
            .iter()
            .filter(|l| goal_ids.contains(&l.goal_id) && item_ids.contains(&l.item_id))
    };
    let linked_items: HashSet<i64> = valid().map(|l| l.item_id).collect();
    let served_goals: HashSet<i64> = valid().map(|l| l.goal_id).collect();

    let mut seen = HashSet::new();
    let unique_items: Vec<i64> = items.iter().copied().filter(|i| seen.insert(*i)).collect();
    let orphan_items: Vec<i64> = unique_items
        .iter()
        .copied()
        .filter(|i| !linked_items.contains(i))
        .collect();
    let unsupported: Vec<&GoalRef> = goals
        .iter()
        .filter(|g| !served_goals.contains(&g.id))
        .collect();
    let unsupported_goals: Vec<i64> = unsupported.iter().map(|g| g.id).collect();
    let uncovered_key_goals: Vec<i64> = unsupported
        .iter()
        .filter(|g| g.is_key)
        .map(|g| g.id)
        .collect();

    let n_items = unique_items.len();
    let n_linked = n_items - orphan_items.len();
    let item_link_share = if n_items == 0 {
        0.0
    } else {
        n_linked as f64 / n_items as f64
    };

    let total_w: f64 = goals.iter().map(|g| usable_weight(g.weight)).sum();
    let equal = !(total_w > 0.0 && total_w.is_finite());
    let weight = |g: &GoalRef| if equal { 1.0 } else { usable_weight(g.weight) };
    let all_w: f64 = goals.iter().map(weight).sum();
    let served_w: f64 = goals
        .iter()
        .filter(|g| served_goals.contains(&g.id))
        .map(weight)
        .sum();
    let weighted_goal_support = if all_w > 0.0 {
        unit_interval(served_w / all_w)
    } else {
        0.0
    };

    let mut parts = Vec::new();
    parts.push(if n_items == 0 {
        "尚无党建工作项".to_string()
    } else {
        format!(
            "党建工作项 {n_items} 项，其中 {n_linked} 项找到结合点（{}），{} 项未找到结合点",
            fmt_pct(item_link_share),
            orphan_items.len()
        )
    });
    parts.push(if goals.is_empty() {
        "尚无业务目标".to_string()
    } else if equal {
        format!(
            "业务目标 {} 个（未设权重，按同等权重计），其中 {} 个有党建工作支撑（{}）",
            goals.len(),
            goals.len() - unsupported_goals.len(),
            fmt_pct(weighted_goal_support)
        )
    } else {
        format!(
            "业务目标 {} 个，权重合计 {}，有党建工作支撑的权重 {}（{}）",
            goals.len(),
            fmt_num(all_w),
            fmt_num(served_w),
            fmt_pct(weighted_goal_support)
        )
    });
    if !uncovered_key_goals.is_empty() {
        parts.push(format!(
            "重点目标中有 {} 个尚无党建工作支撑",
            uncovered_key_goals.len()
        ));
    }
    Coverage {
        orphan_items,
        unsupported_goals,
        uncovered_key_goals,
        item_link_share,
        weighted_goal_support,
        explanation: parts.join("；"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kpis_waiting_for_values_are_named_not_counted() {
        let r = goal_progress(1, &[], &[0.5]);
        assert_eq!(r.value, 0.0);
        assert!(r.explanation.contains("尚未录入实际值") && r.explanation.contains("50"));
        let r = goal_progress(2, &[0.8], &[]);
        assert!((r.value - 0.8).abs() < 1e-9 && r.explanation.contains("另有 1 项"));
        assert_eq!(goal_progress(0, &[], &[0.4]).value, 0.4);
    }
    use proptest::prelude::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn task_progress_from_status() {
        assert_eq!(task_progress(TaskStatus::Done, Some(40)), Some(1.0));
        assert_eq!(task_progress(TaskStatus::Cancelled, Some(40)), None);
        assert_eq!(task_progress(TaskStatus::InProgress, Some(40)), Some(0.4));
        assert_eq!(task_progress(TaskStatus::InProgress, Some(250)), Some(1.0));
        assert_eq!(task_progress(TaskStatus::NotStarted, None), Some(0.0));
    }

    #[test]
    fn milestones_count_when_no_percent_was_reported() {
        let t = task_progress_with_milestones(TaskStatus::InProgress, None, 1, 4);
        assert_eq!(
            (t.value, t.from_milestones, t.percent()),
            (Some(0.25), true, 25)
        );
        assert_eq!(t.explanation, "尚未报告进度，按里程碑完成 1/4 计：25.0%");
        let t = task_progress_with_milestones(TaskStatus::NotStarted, None, 0, 2);
        assert_eq!(t.value, Some(0.0));
        let t = task_progress_with_milestones(TaskStatus::InProgress, Some(60), 1, 4);
        assert_eq!((t.value, t.from_milestones), (Some(0.6), false));
        assert!(
            t.explanation.contains("以报告的进度为准"),
            "{}",
            t.explanation
        );
        let t = task_progress_with_milestones(TaskStatus::Done, None, 1, 4);
        assert_eq!(t.value, Some(1.0));
        let t = task_progress_with_milestones(TaskStatus::Cancelled, None, 4, 4);
        assert_eq!((t.value, t.percent()), (None, 0));
        let t = task_progress_with_milestones(TaskStatus::InProgress, None, 0, 0);
        assert_eq!(
            (t.value, t.explanation.as_str()),
            (Some(0.0), "尚未报告进度，计 0")
        );
    }

    #[test]
    fn milestones_roll_up_through_items_to_goals() {
        let half = task_progress_with_milestones(TaskStatus::InProgress, None, 1, 2);
        let item = rollup_item(&[(half.value.unwrap(), 1.0)]);
        let goal = goal_progress(0, &[], &[item]);
        assert!(close(goal.value, 0.5), "{}", goal.explanation);
        assert!(goal.explanation.contains("50.0%"));
    }

    #[test]
    fn item_rollup_is_a_weighted_mean() {
        assert_eq!(rollup_item(&[]), 0.0);
        assert!(close(rollup_item(&[(1.0, 3.0), (0.0, 1.0)]), 0.75));
        assert!(
            close(rollup_item(&[(1.0, 0.0), (0.5, 0.0)]), 0.75),
            "no weights: equal"
        );
        assert!(
            close(rollup_item(&[(1.0, f64::NAN), (0.5, 2.0)]), 0.5),
            "bad weight is 0"
        );
        assert_eq!(rollup_item(&[(7.0, 1.0)]), 1.0, "progress clamps");
    }

    #[test]
    fn goal_rollup_prefers_business_results() {
        let r = rollup_goal(&[0.5, 1.0], &[0.2], DEFAULT_KPI_WEIGHT);
        assert!(close(r.value, 0.75));
        assert!(
            r.explanation.contains("不计入目标进度"),
            "{}",
            r.explanation
        );
        let r = rollup_goal(&[], &[0.2, 0.4], DEFAULT_KPI_WEIGHT);
        assert!(close(r.value, 0.3));
        assert!(r.explanation.starts_with("尚无业务指标"));
        let r = rollup_goal(&[], &[], DEFAULT_KPI_WEIGHT);
        assert_eq!(r.value, 0.0);
        let r = rollup_goal(&[0.4], &[], 1.0);
        assert!(r.explanation.contains("尚无党建工作项支撑"));
        let r = rollup_goal(&[1.0], &[0.0], 0.7);
        assert!(close(r.value, 0.7));
        assert!(r.explanation.contains("权重 0.7"), "{}", r.explanation);
        assert!(close(rollup_goal(&[1.0], &[0.0], f64::NAN).value, 1.0));
    }

    fn g(id: i64, is_key: bool, weight: f64) -> GoalRef {
        GoalRef { id, is_key, weight }
    }

    fn l(item_id: i64, goal_id: i64) -> LinkRef {
        LinkRef { item_id, goal_id }
    }

    #[test]
    fn coverage_both_ways() {
        let goals = [g(1, true, 3.0), g(2, true, 1.0), g(3, false, 1.0)];
        let items = [10, 11, 12, 13];
        let links = [l(10, 1), l(11, 1), l(12, 3), l(13, 99), l(77, 2)];
        let c = coverage(&goals, &items, &links);
        assert_eq!(
            c.orphan_items,
            vec![13],
            "a link out of scope does not count"
        );
        assert_eq!(c.unsupported_goals, vec![2]);
        assert_eq!(c.uncovered_key_goals, vec![2]);
        assert!(close(c.item_link_share, 0.75));
        assert!(close(c.weighted_goal_support, 0.8));
        assert_eq!(
            c.explanation,
            "党建工作项 4 项，其中 3 项找到结合点（75.0%），1 项未找到结合点；业务目标 3 个，权重合计 5，有党建工作支撑的权重 4（80.0%）；重点目标中有 1 个尚无党建工作支撑"
        );
    }

    #[test]
    fn coverage_edge_cases() {
        let c = coverage(&[], &[], &[]);
        assert_eq!((c.item_link_share, c.weighted_goal_support), (0.0, 0.0));
        assert_eq!(c.explanation, "尚无党建工作项；尚无业务目标");
        let c = coverage(&[g(1, false, 0.0), g(2, false, 0.0)], &[5, 5], &[l(5, 1)]);
        assert!(close(c.weighted_goal_support, 0.5), "no weights: equal");
        assert_eq!(c.item_link_share, 1.0, "a duplicated item counts once");
        assert!(c.explanation.contains("按同等权重计"));
    }

    proptest! {
        #[test]
        fn without_milestones_task_progress_is_unchanged(
            status in prop::sample::select(TaskStatus::ALL.to_vec()),
            reported in prop::option::of(0u8..=255),
            done in 0usize..20, total in 0usize..20,
        ) {
            let t = task_progress_with_milestones(status, reported, done, 0);
            prop_assert_eq!(t.value, task_progress(status, reported));
            let t = task_progress_with_milestones(status, reported, done, total);
            if let Some(v) = t.value {
                prop_assert!((0.0..=1.0).contains(&v));
            }
            if reported.is_some() {
                prop_assert_eq!(t.value, task_progress(status, reported));
            }
        }

        #[test]
        fn coverage_shares_are_bounded_and_orphans_consistent(
            n_goals in 0usize..8, n_items in 0usize..8,
            weights in prop::collection::vec(-2.0f64..5.0, 8),
            links in prop::collection::vec((0i64..10, 0i64..10), 0..20),
        ) {
            let goals: Vec<GoalRef> = (0..n_goals).map(|i| g(i as i64, i % 2 == 0, weights[i])).collect();
            let items: Vec<i64> = (0..n_items as i64).collect();
            let links: Vec<LinkRef> = links.into_iter().map(|(i, g)| l(i, g)).collect();
            let c = coverage(&goals, &items, &links);
            prop_assert!((0.0..=1.0).contains(&c.item_link_share));
            prop_assert!((0.0..=1.0).contains(&c.weighted_goal_support));
            prop_assert!(c.orphan_items.len() <= n_items);
            prop_assert!(c.uncovered_key_goals.iter().all(|k| c.unsupported_goals.contains(k)));
        }

        #[test]
        fn rollups_stay_in_unit_interval(
            tasks in prop::collection::vec((-1.0f64..2.0, -1.0f64..5.0), 0..10),
            kpis in prop::collection::vec(0.0f64..=1.0, 0..5),
            items in prop::collection::vec(0.0f64..=1.0, 0..5),
            w in -1.0f64..2.0,
        ) {
            prop_assert!((0.0..=1.0).contains(&rollup_item(&tasks)));
            prop_assert!((0.0..=1.0).contains(&rollup_goal(&kpis, &items, w).value));
        }
    }
}
