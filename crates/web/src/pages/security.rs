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
        .route("/admin/security/reset", post(reset))
}

#[derive(Template, WebTemplate)]
#[template(path = "security.html")]
struct SecurityPage {
    layout: Layout,
    policy: PasswordPolicy,
    locked: Vec<(Account, String)>,
    error: Option<String>,
    saved: bool,
    /// A password just reset: (username, one-time password), shown this once.
    reset: Option<(String, String)>,
    reset_error: Option<String>,
    reset_username: String,
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
        reset: None,
        reset_error: None,
        reset_username: String::new(),
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

#[derive(Deserialize, Default)]
#[serde(default)]
struct ResetForm {
    username: String,
}

/// The security administrator resets a forgotten password: a one-time password shown once,
/// to be changed at the next login (audited; the account's sessions end).
async fn reset(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(f): Form<ResetForm>,
) -> Result<SecurityPage, AppError> {
    require(&state, &user, Permission::ManageSecurity, "/admin/security").await?;
    let mut p = page(&state, &user, None, None, false).await?;
    let username = f.username.trim().to_lowercase();
    p.reset_username = username.clone();
    match state.store.account_by_username(&username).await? {
        None => p.reset_error = Some(format!("找不到用户名为“{username}”的账号，请核对")),
        Some(a) if a.id == user.account().id => {
            p.reset_error = Some("不能重置自己的密码，请在“修改密码”中修改".into())
        }
        Some(a) => {
            let pw = state
                .store
                .account_reset_password(&user.actor(), a.id)
                .await?;
            p.reset = Some((a.username, pw));
            p.reset_username.clear();
        }
    }
    Ok(p)
}
