//! 融合度一览: the integration index of every plan in a committee's subtree for a year, the
//! lowest first, so a committee sees where the two plans have not met ("两张皮") and what
//! would help most. Organizations, not people, are compared.

use super::plans::integration::index_of;
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::state::AppState;
use crate::view::Layout;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::routing::get;
use axum::Router;
use ronghe_core::integration::IntegrationIndex;
use ronghe_store::{Org, Plan};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new().route("/orgs/{id}/integration", get(show))
}

/// How many plans the page computes: each reads its plan, records and compliance. Larger
/// subtrees are listed on each committee's own page below (a bulk computation is to come).
const PLANS: usize = 60;

struct Line {
    plan: Plan,
    x: IntegrationIndex,
}

#[derive(Template, WebTemplate)]
#[template(path = "integration_report.html")]
struct ReportPage {
    layout: Layout,
    org: Org,
    year: i32,
    lines: Vec<Line>,
    drifting: usize,
    /// Plans of the subtree for the year not computed (beyond [`PLANS`]).
    more: usize,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct YearQuery {
    #[serde(deserialize_with = "ronghe_store::lenient_number")]
    year: Option<i32>,
}

async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Query(q): Query<YearQuery>,
) -> Result<ReportPage, AppError> {
    let (org, sub) = super::reports::overseen(&state, &user, id).await?;
    let today = ronghe_store::today();
    let year = super::reports::report_year(q.year, today);
    let plans = state.store.plan_list(&sub, Some(year.into()), None).await?;
    let more = plans.len().saturating_sub(PLANS);
    let mut lines = Vec::new();
    for plan in plans.into_iter().take(PLANS) {
        let v = state.store.plan_view_latest(&sub, plan.id).await?;
        let x = index_of(&state, &v, today).await?.x;
        lines.push(Line { plan, x });
    }
    lines.sort_by(|a, b| a.x.index.total_cmp(&b.x.index));
    Ok(ReportPage {
        layout: Layout::new(&user, format!("{} · 融合度一览", org.name), "/orgs"),
        drifting: lines.iter().filter(|l| l.x.warning.is_some()).count(),
        org,
        year,
        lines,
        more,
    })
}
