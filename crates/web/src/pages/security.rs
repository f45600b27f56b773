//! Password and lockout policy, and unlocking accounts (security administrator).

use super::require;
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::state::AppState;
use crate::view::Layout;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use ronghe_core::access::Permission;
use ronghe_core::password::PasswordPolicy;
use ronghe_store::{Account, StoreError};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/security", get(show).post(save))
        .route("/admin/security/unlock/{id}", post(unlock))
}

#[derive(Template, WebTemplate)]
#[template(path = "security.html")]
struct SecurityPage {
    layout: Layout,
    policy: PasswordPolicy,
    locked: Vec<(Account, String)>,
    error: Option<String>,
    saved: bool,
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    policy: Option<PasswordPolicy>,
    error: Option<String>,
    saved: bool,
) -> Result<SecurityPage, AppError> {
    let current = state.store.password_policy().await?;
    let now = ronghe_store::now_ms();
    let locked = state
        .store
        .account_list()
        .await?
        .into_iter()
        .filter_map(|a| {
            let until =
                current.locked_until(a.failed_count as u32, a.last_failed_at.unwrap_or(0), now)?;
            Some((a, ronghe_store::fmt_ms(until)))
        })
        .collect();
    Ok(SecurityPage {
        layout: Layout::new(user, "安全策略", "/admin/security"),
        policy: policy.unwrap_or(current),
        locked,
        error,
        saved,
    })
}

async fn show(State(state): State<AppState>, user: CurrentUser) -> Result<SecurityPage, AppError> {
    require(&state, &user, Permission::ManageSecurity, "/admin/security").await?;
    page(&state, &user, None, None, false).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PolicyForm {
    min_length: String,
    min_classes: String,
    expiry_days: String,
    history: String,
    max_failures: String,
    lockout_minutes: String,
    idle_timeout_minutes: String,
    absolute_timeout_hours: String,
}

async fn save(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(f): Form<PolicyForm>,
) -> Result<Response, AppError> {
    require(&state, &user, Permission::ManageSecurity, "/admin/security").await?;
    let num = |s: &str| s.trim().parse::<u32>().ok();
    let fields = [
        &f.min_length,
        &f.min_classes,
        &f.expiry_days,
        &f.history,
        &f.max_failures,
        &f.lockout_minutes,
        &f.idle_timeout_minutes,
        &f.absolute_timeout_hours,
    ];
    let values: Vec<Option<u32>> = fields.iter().map(|s| num(s)).collect();
    if values.iter().any(Option::is_none) {
        return Ok(page(
            &state,
            &user,
            None,
            Some("每一项都应填写整数".into()),
            false,
        )
        .await?
        .into_response());
    }
    let v: Vec<u32> = values.into_iter().flatten().collect();
    let policy = PasswordPolicy {
        min_length: v[0],
        min_classes: v[1],
        expiry_days: v[2],
        history: v[3],
        max_failures: v[4],
        lockout_minutes: v[5],
        idle_timeout_minutes: v[6],
        absolute_timeout_hours: v[7],
    };
    match state
        .store
        .set_password_policy(&user.actor(), &policy)
        .await
    {
        Ok(()) => Ok(page(&state, &user, None, None, true).await?.into_response()),
        Err(StoreError::Invalid(e)) => {
            let msg =
                e.0.iter()
                    .map(|e| e.message.clone())
                    .collect::<Vec<_>>()
                    .join("；");
            Ok(page(&state, &user, Some(policy), Some(msg), false)
                .await?
                .into_response())
        }
        Err(e) => Err(e.into()),
    }
}

async fn unlock(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    require(&state, &user, Permission::ManageSecurity, "/admin/security").await?;
    state.store.account_unlock(&user.actor(), id).await?;
    Ok(Redirect::to("/admin/security").into_response())
}
