//! The integration index (融合度) of a plan's organization for the plan's year, from what the
//! plan page already holds plus the organization's meeting records and, for a 党支部, its
//! compliance with the regulations. Every figure comes from core with its sentence.

use crate::state::AppState;
use ronghe_core::evaluation::facts::measure;
use ronghe_core::integration::{IndexConfig, IntegrationIndex};
use ronghe_core::org::OrgKind;
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
    today: Date,
) -> ronghe_store::StoreResult<IndexView> {
    let meetings = state.store.plan_meeting_counts(&v.plan).await?;
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
    let m = measure(
        &v.facts(meetings, compliance),
        today,
        &IndexConfig::default(),
    );
    Ok(IndexView {
        x: m.index,
        u1: m.u1.explanation,
        u2: m.u2.explanation,
    })
}
