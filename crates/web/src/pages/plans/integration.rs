//! The integration index (融合度) of a plan's organization for the plan's year, from what the
//! plan page already holds plus the organization's meeting records and, for a 党支部, its
//! compliance with the regulations. Every figure comes from core with its sentence.

use super::view::PlanPicture;
use crate::state::AppState;
use ronghe_core::integration::performance::{business_performance, party_performance};
use ronghe_core::integration::{
    integration_index, IndexConfig, IntegrationIndex, IntegrationInputs,
};
use ronghe_core::org::OrgKind;
use ronghe_core::plan::TaskStatus;
use ronghe_core::Date;
use ronghe_store::PlanView;

/// The index with the two performances' own sentences.
pub struct IndexView {
    pub x: IntegrationIndex,
    pub u1: String,
    pub u2: String,
}

pub async fn index_of(
    state: &AppState,
    v: &PlanView,
    p: &PlanPicture,
    today: Date,
) -> ronghe_store::StoreResult<IndexView> {
    let linked_items: Vec<i64> = v
        .items
        .iter()
        .map(|i| i.id)
        .filter(|id| !p.coverage.orphan_items.contains(id))
        .collect();
    let live: Vec<_> = v
        .tasks
        .iter()
        .filter(|t| t.status() != TaskStatus::Cancelled)
        .collect();
    let serving = live
        .iter()
        .filter(|t| t.goal_id.is_some() || t.item_id.is_some_and(|i| linked_items.contains(&i)))
        .count();
    let (meetings, meetings_serving) = state.store.plan_meeting_counts(&v.plan).await?;
    // A 党支部's organizational life counts for its Party-building performance.
    let org = state
        .store
        .org_get(&ronghe_core::scope::Scope::everything(), v.plan.org_id)
        .await?;
    let compliance = if org.kind() == OrgKind::Branch {
        let report = crate::pages::compliance_view::compliance_report(
            &state.store,
            &org,
            v.plan.year as i32,
            today,
        )
        .await?;
        Some((report.met, report.met + report.overdue))
    } else {
        None
    };
    let progress: Vec<f64> = p
        .items
        .iter()
        .chain(&p.orphan_items)
        .map(|i| i.progress)
        .collect();
    let u1 = party_performance(&progress, compliance);
    let goals: Vec<(f64, Vec<f64>)> = p
        .goals
        .iter()
        .map(|g| {
            (
                g.goal.weight,
                // A KPI without a value counts 0 once a value is due; before, it is left out
                // (nothing to compare yet, not a poor result).
                g.kpis
                    .iter()
                    .filter_map(|k| match &k.progress {
                        Some(r) => Some(r.value),
                        None => k
                            .kpi
                            .cadence()
                            .due_month(today, v.plan.year as i32)
                            .map(|_| 0.0),
                    })
                    .collect(),
            )
        })
        .collect();
    let u2 = business_performance(&goals);
    let inputs = IntegrationInputs {
        items_total: v.items.len() as u32,
        items_linked: linked_items.len() as u32,
        goal_weight_total: if v.goals.is_empty() { 0.0 } else { 1.0 },
        goal_weight_supported: p.coverage.weighted_goal_support,
        goals_unsupported: p.coverage.unsupported_goals.len() as u32,
        tasks_total: live.len() as u32,
        tasks_serving: serving as u32,
        meetings_total: meetings as u32,
        meetings_serving: meetings_serving as u32,
        u1: u1.value,
        u2: u2.value,
    };
    Ok(IndexView {
        x: integration_index(&inputs, &IndexConfig::default()),
        u1: u1.explanation,
        u2: u2.explanation,
    })
}
