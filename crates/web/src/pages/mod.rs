//! HTML pages, one module per feature, merged here.

mod accounts;
mod audit;
mod compliance_settings;
pub(crate) mod compliance_view;
mod dashboard;
mod evaluation;
mod home;
mod inspections;
mod integration_report;
mod library;
mod login;
pub(crate) mod meetings;
mod members;
mod orgs;
mod plans;
mod reports;

pub(crate) use dashboard::DashboardCache;
pub(crate) use evaluation::results_peer_label as evaluation_peer_label;
pub(crate) use library::Reader as LibraryReader;
pub(crate) use plans::integration::index_of as plan_integration;
pub(crate) use plans::view::picture as plan_picture;
mod security;

use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/static/{file}", get(crate::assets::serve))
        .route("/favicon.ico", get(crate::assets::favicon))
        .merge(login::router())
        .merge(home::router())
        .merge(orgs::router())
        .merge(members::router())
        .merge(meetings::router())
        .merge(plans::router())
        .merge(reports::router())
        .merge(integration_report::router())
        .merge(evaluation::router())
        .merge(dashboard::router())
        .merge(inspections::router())
        .merge(library::router())
        .merge(accounts::router())
        .merge(security::router())
        .merge(compliance_settings::router())
        .merge(audit::router())
}

async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    if state.store.healthy().await {
        (StatusCode::OK, "ok")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
    }
}

/// Refuses (and records) a request for a page the user's roles do not allow.
pub(crate) async fn require(
    state: &AppState,
    user: &crate::auth::CurrentUser,
    perm: ronghe_core::access::Permission,
    what: &str,
) -> Result<(), crate::error::AppError> {
    if user.can(perm) {
        return Ok(());
    }
    state
        .store
        .audit_event(&user.actor(), "denied", what, "denied", "角色无此权限")
        .await;
    Err(crate::error::AppError::Forbidden)
}
