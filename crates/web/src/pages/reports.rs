//! Compliance over a 党委's or 党总支's whole subtree: every branch evaluated by the core
//! engine from its records. Organizations, not people, are listed; the list is ordered by
//! what needs attention, and nothing here scores a person.

use super::orgs::not_found_logged;
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::state::AppState;
use crate::view::Layout;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::routing::get;
use axum::Router;
use chrono::Datelike;
use ronghe_core::access::Permission;
use ronghe_core::scope::Scope;
use ronghe_store::{BranchSummary, Org, StoreError};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new().route("/orgs/{id}/compliance", get(show))
}

#[derive(Template, WebTemplate)]
#[template(path = "compliance_report.html")]
struct ReportPage {
    layout: Layout,
    org: Org,
    year: i32,
    lines: Vec<Line>,
    branches: usize,
    with_overdue: usize,
    met: u64,
    overdue: u64,
    upcoming: u64,
    shown: usize,
}

/// One branch of the report with the kinds it is behind on ("支委会 3 期（自 2026年3月起）").
struct Line {
    l: BranchSummary,
    behind: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct YearQuery {
    #[serde(deserialize_with = "ronghe_store::lenient_number")]
    year: Option<i32>,
}

/// The organization a subtree report is about, if the user sees its members (the whole
/// subtree), with the scope of that subtree; 404 (audited when it exists) otherwise.
pub(super) async fn overseen(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
) -> Result<(Org, Scope), AppError> {
    let scope = user.scope(Permission::ViewOrgs);
    let org = match state.store.org_get(&scope, id).await {
        Ok(o) if scope.sees_members_of(&o.path) => o,
        Ok(_) | Err(StoreError::NotFound) => {
            return Err(not_found_logged(state, user, "org", id).await)
        }
        Err(e) => return Err(e.into()),
    };
    let mut sub = Scope::none();
    sub.add_subtree(&org.path);
    Ok((org, sub))
}

/// The year a report asks for, or the current one.
pub(super) fn report_year(asked: Option<i32>, today: ronghe_core::Date) -> i32 {
    asked
        .filter(|y| (2000..=2100).contains(y))
        .unwrap_or(today.year())
}

/// Lines shown on the page; totals always cover every branch.
const SHOW: usize = 300;

async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Query(q): Query<YearQuery>,
) -> Result<ReportPage, AppError> {
    let started = std::time::Instant::now();
    let (org, sub) = overseen(&state, &user, id).await?;
    let today = ronghe_store::today();
    let year = report_year(q.year, today);
    let inputs = state.store.compliance_inputs(&sub, year).await?;
    let rules = state.store.compliance_config().await?.rules();
    // A province-wide report evaluates a hundred thousand branches: off the async threads.
    let summary = tokio::task::spawn_blocking(move || {
        let mut lines = ronghe_store::evaluate_branches(&rules, &inputs, year, today);
        let totals = lines.iter().fold((0u64, 0u64, 0u64), |(a, b, c), l| {
            (
                a + u64::from(l.met),
                b + u64::from(l.overdue),
                c + u64::from(l.upcoming),
            )
        });
        let with_overdue = lines.iter().filter(|l| l.overdue > 0).count();
        let branches = lines.len();
        lines.sort_by(|a, b| b.overdue.cmp(&a.overdue).then(a.org_id.cmp(&b.org_id)));
        lines.truncate(SHOW);
        // Inputs are in org id order, as the store reads them.
        let lines = lines
            .into_iter()
            .map(|l| {
                let behind = match inputs.binary_search_by_key(&l.org_id, |b| b.org_id) {
                    Ok(i) if l.overdue > 0 => {
                        ronghe_store::overdue_detail(&rules, &inputs[i], year, today)
                            .iter()
                            .map(|o| o.sentence())
                            .collect()
                    }
                    _ => Vec::new(),
                };
                Line { l, behind }
            })
            .collect::<Vec<_>>();
        (lines, totals, with_overdue, branches)
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?;
    let (lines, (met, overdue, upcoming), with_overdue, branches) = summary;
    tracing::debug!(
        org = org.id,
        branches,
        millis = started.elapsed().as_millis() as u64,
        "compliance report"
    );
    Ok(ReportPage {
        layout: Layout::new(&user, format!("{} 组织生活情况", org.name), "/orgs"),
        shown: lines.len(),
        org,
        year,
        lines,
        branches,
        with_overdue,
        met,
        overdue,
        upcoming,
    })
}
