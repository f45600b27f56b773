//! The JSON API under /api/v1, calling the same store and core rules as the pages.

mod eval_schemas;
mod evaluation;
mod library;
mod library_schemas;
mod meetings;
mod milestones;
mod openapi;
mod plan_schemas;
mod plans;
mod query;
mod schema;

use crate::auth::{Ctx, CurrentUser};
use crate::error::ApiError;
use crate::forms::strict_json;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{Path, Query, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use ronghe_core::access::Permission;
use ronghe_core::forms::{MemberForm, OrgForm};
use ronghe_core::org::formation::warnings;
use ronghe_store::{LoginOutcome, MemberFilter, StoreError};
use serde::{Deserialize, Serialize};
use serde_json::json;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/openapi.json", get(openapi::document))
        .route("/api/v1/session", post(login).delete(logout))
        .route("/api/v1/orgs", get(org_roots).post(org_create))
        .route("/api/v1/orgs/{id}", get(org_get).put(org_update))
        .route("/api/v1/orgs/{id}/children", get(org_children))
        .route("/api/v1/members", get(member_list).post(member_create))
        .route("/api/v1/members/{id}", get(member_get).put(member_update))
        .merge(meetings::router())
        .merge(plans::router())
        .merge(milestones::router())
        .merge(evaluation::router())
        .merge(library::router())
}

#[derive(Deserialize, Serialize, Default)]
#[serde(default)]
struct LoginBody {
    username: String,
    password: String,
}

async fn login(State(state): State<AppState>, ctx: Ctx, body: Bytes) -> Result<Response, ApiError> {
    let b: LoginBody = strict_json(&body)?;
    let username = b.username.trim().to_lowercase();
    match state.store.login(&username, &b.password, &ctx.ip).await? {
        LoginOutcome::Ok {
            account,
            password_expired,
        } => {
            let (token, csrf) = state.store.session_create(account.id, &ctx.ip).await?;
            let policy = state.store.password_policy().await?;
            Ok(Json(json!({
                "token": token,
                "csrf": csrf,
                "username": account.username,
                "display_name": account.display_name,
                "must_change_password": password_expired || account.must_change != 0,
                "idle_timeout_minutes": policy.idle_timeout_minutes,
            }))
            .into_response())
        }
        LoginOutcome::BadCredentials => Err(ApiError::Unauthorized("用户名或密码不正确".into())),
        LoginOutcome::Locked { until_ms } => Err(ApiError::Locked(format!(
            "账号已锁定，请于 {} 后再试",
            ronghe_store::fmt_ms(until_ms)
        ))),
        LoginOutcome::Disabled => Err(ApiError::Unauthorized("该账号已停用".into())),
    }
}

async fn logout(State(state): State<AppState>, user: CurrentUser) -> Result<StatusCode, ApiError> {
    state.store.session_delete(&user.token).await?;
    Ok(StatusCode::NO_CONTENT)
}

fn deny_unless(user: &CurrentUser, perm: Permission) -> Result<(), ApiError> {
    if user.can(perm) {
        Ok(())
    } else {
        Err(ApiError::Forbidden)
    }
}

async fn org_json(state: &AppState, org: ronghe_store::Org) -> Result<serde_json::Value, ApiError> {
    let committee = state.store.committee(org.id).await?;
    let facts = state.store.org_facts(&org, &committee).await?;
    Ok(json!({
        "org": org,
        "kind_label": org.kind_label(),
        "warnings": warnings(&facts, ronghe_store::today()),
        "committee": committee,
    }))
}

async fn org_roots(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<serde_json::Value>, ApiError> {
    deny_unless(&user, Permission::ViewOrgs)?;
    let orgs = state
        .store
        .org_roots(&user.scope(Permission::ViewOrgs))
        .await?;
    Ok(Json(json!({ "items": orgs })))
}

async fn org_get(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let org = state
        .store
        .org_get(&user.scope(Permission::ViewOrgs), id)
        .await?;
    Ok(Json(org_json(&state, org).await?))
}

async fn org_children(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let scope = user.scope(Permission::ViewOrgs);
    state.store.org_get(&scope, id).await?;
    Ok(Json(
        json!({ "items": state.store.org_children(&scope, id).await? }),
    ))
}

async fn org_create(
    State(state): State<AppState>,
    user: CurrentUser,
    body: Bytes,
) -> Result<Response, ApiError> {
    deny_unless(&user, Permission::EditOrgs)?;
    let form: OrgForm = strict_json(&body)?;
    let input = form
        .validate(ronghe_store::today())
        .map_err(ApiError::Invalid)?;
    let id = state
        .store
        .org_create(&user.actor(), &user.scope(Permission::EditOrgs), &input)
        .await?;
    let org = state
        .store
        .org_get(&user.scope(Permission::ViewOrgs), id)
        .await?;
    Ok((StatusCode::CREATED, Json(org_json(&state, org).await?)).into_response())
}

async fn org_update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Json<serde_json::Value>, ApiError> {
    deny_unless(&user, Permission::EditOrgs)?;
    let scope = user.scope(Permission::EditOrgs);
    let old = state
        .store
        .org_get(&user.scope(Permission::ViewOrgs), id)
        .await?;
    if !scope.sees_members_of(&old.path) {
        return Err(ApiError::Forbidden);
    }
    let mut form: OrgForm = strict_json(&body)?;
    form.parent_id = old.parent_id.map(|p| p.to_string()).unwrap_or_default();
    form.kind = old.kind.clone();
    let input = form
        .validate(ronghe_store::today())
        .map_err(ApiError::Invalid)?;
    state
        .store
        .org_update(&user.actor(), &scope, id, &input)
        .await?;
    let org = state
        .store
        .org_get(&user.scope(Permission::ViewOrgs), id)
        .await?;
    Ok(Json(org_json(&state, org).await?))
}

async fn member_list(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
    Query(f): Query<MemberFilter>,
) -> Result<Json<serde_json::Value>, ApiError> {
    use query::{Param, ID, PAGE};
    let statuses: &'static [&'static str] =
        &["applicant", "activist", "candidate", "probationary", "full"];
    query::check(
        raw.as_deref(),
        &[
            ("org", ID),
            ("status", Param::OneOf(statuses)),
            ("q", Param::Text(60)),
            ("active", Param::OneOf(&["1", "0", "all"])),
            ("page", PAGE),
        ],
    )?;
    let page = state
        .store
        .member_list(&user.scope(Permission::ViewMembers), &f)
        .await?;
    Ok(Json(json!(page)))
}

async fn member_get(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<ronghe_store::Member>, ApiError> {
    Ok(Json(
        state
            .store
            .member_get(&user.scope(Permission::ViewMembers), id)
            .await?,
    ))
}

async fn member_create(
    State(state): State<AppState>,
    user: CurrentUser,
    body: Bytes,
) -> Result<Response, ApiError> {
    let scope = user.scope(Permission::EditMembers);
    if scope.is_empty() {
        return Err(ApiError::Forbidden);
    }
    let form: MemberForm = strict_json(&body)?;
    let input = form
        .validate(ronghe_store::today())
        .map_err(ApiError::Invalid)?;
    let id = state
        .store
        .member_create(&user.actor(), &scope, &input)
        .await?;
    let m = state
        .store
        .member_get(&user.scope(Permission::ViewMembers), id)
        .await?;
    Ok((StatusCode::CREATED, Json(m)).into_response())
}

async fn member_update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Json<ronghe_store::Member>, ApiError> {
    let scope = user.scope(Permission::EditMembers);
    let current = state
        .store
        .member_get(&user.scope(Permission::ViewMembers), id)
        .await?;
    if !scope.sees_members_of(&current.org_path) {
        return Err(ApiError::Forbidden);
    }
    let form: MemberForm = strict_json(&body)?;
    let input = form
        .validate(ronghe_store::today())
        .map_err(ApiError::Invalid)?;
    match state
        .store
        .member_update(&user.actor(), &scope, id, &input)
        .await
    {
        Ok(()) => {}
        Err(StoreError::NotFound) => return Err(ApiError::NotFound),
        Err(e) => return Err(e.into()),
    }
    Ok(Json(
        state
            .store
            .member_get(&user.scope(Permission::ViewMembers), id)
            .await?,
    ))
}
