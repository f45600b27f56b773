//! The compliance rules in force (/admin/compliance), and the one choice a deployment makes
//! about them: a quarterly 党课 as local practice instead of the 条例's once a year.
//!
//! Who may: the system administrator (`Permission::ManageAccounts`, the permission of the
//! system administrator's pages). Under the separation of duties (三权分立) the security
//! administrator (`ManageSecurity`) keeps to security controls (passwords, lockout, sessions)
//! and the audit administrator to the log; how often a branch must hold a 党课 is a setting of
//! the deployment's business rules, which is the system administrator's configuration work.
//! The page shows no personal data, so it fits the system administrator's view.

use super::require;
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::state::AppState;
use crate::view::Layout;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use ronghe_core::access::Permission;
use ronghe_core::compliance::ComplianceConfig;
use serde::Deserialize;

/// The permission this page needs (see the module comment for why).
const PERMISSION: Permission = Permission::ManageAccounts;
const PATH: &str = "/admin/compliance";

pub fn router() -> Router<AppState> {
    Router::new().route(PATH, get(show).post(save))
}

/// One row of the rule table as shown.
struct RuleRow {
    kind: &'static str,
    frequency: &'static str,
    min_count: u32,
    applies: &'static str,
    note: &'static str,
    preferred_quarter: Option<u8>,
    citation: &'static str,
}

#[derive(Template, WebTemplate)]
#[template(path = "compliance_settings.html")]
struct SettingsPage {
    layout: Layout,
    config: ComplianceConfig,
    rules: Vec<RuleRow>,
    /// "on" / "off" just saved, "same" nothing changed.
    saved: String,
}

fn rows(config: &ComplianceConfig) -> Vec<RuleRow> {
    config
        .rules()
        .into_iter()
        .map(|r| RuleRow {
            kind: r.kind.label(),
            frequency: r.frequency.label(),
            min_count: r.min_count,
            applies: if r.needs_committee {
                "设立支部委员会的党支部"
            } else if r.needs_groups {
                "划分党小组的党支部"
            } else {
                "所有党支部"
            },
            note: r.note,
            preferred_quarter: r.preferred_quarter,
            citation: r.citation,
        })
        .collect()
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ShowQuery {
    saved: String,
}

async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<ShowQuery>,
) -> Result<SettingsPage, AppError> {
    require(&state, &user, PERMISSION, PATH).await?;
    let config = state.store.compliance_config().await?;
    Ok(SettingsPage {
        layout: Layout::new(&user, "组织生活规则", PATH),
        rules: rows(&config),
        config,
        saved: q.saved,
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SettingsForm {
    /// Present ("on") when the box is ticked; browsers send nothing for an unticked box.
    lecture_quarterly: String,
}

async fn save(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(f): Form<SettingsForm>,
) -> Result<Response, AppError> {
    require(&state, &user, PERMISSION, PATH).await?;
    let on = matches!(f.lecture_quarterly.trim(), "on" | "1" | "true");
    let current = state.store.compliance_config().await?;
    if current.lecture_quarterly == on {
        return Ok(Redirect::to(&format!("{PATH}?saved=same")).into_response());
    }
    let config = ComplianceConfig {
        lecture_quarterly: on,
        ..current
    };
    state
        .store
        .set_compliance_config(&user.actor(), &config)
        .await?;
    let saved = if on { "on" } else { "off" };
    Ok(Redirect::to(&format!("{PATH}?saved={saved}")).into_response())
}
