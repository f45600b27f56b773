//! Account administration (system administrator): accounts, roles and where they apply.

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
use ronghe_core::access::{Permission, Role};
use ronghe_core::text::FieldErrors;
use ronghe_store::{Account, AccountInput, GrantRow, StoreError};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/accounts", get(list).post(create))
        .route("/admin/accounts/{id}/grants", post(grant_add))
        .route(
            "/admin/accounts/{id}/grants/{grant}/delete",
            post(grant_remove),
        )
        .route("/admin/accounts/{id}/disable", post(disable))
        .route("/admin/accounts/{id}/enable", post(enable))
}

pub struct AccountLine {
    pub account: Account,
    pub grants: Vec<GrantRow>,
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
struct CreateForm {
    username: String,
    display_name: String,
    member_id: String,
    role: String,
    org_id: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "accounts.html")]
struct ListPage {
    layout: Layout,
    lines: Vec<AccountLine>,
    form: CreateForm,
    errors: FieldErrors,
    created: Option<(String, String)>,
    roles: Vec<(&'static str, &'static str)>,
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    form: CreateForm,
    errors: FieldErrors,
    created: Option<(String, String)>,
) -> Result<ListPage, AppError> {
    let mut lines = Vec::new();
    for account in state.store.account_list().await? {
        let grants = state.store.grant_rows(account.id).await?;
        lines.push(AccountLine { account, grants });
    }
    Ok(ListPage {
        layout: Layout::new(user, "账号管理", "/admin/accounts"),
        lines,
        form,
        errors,
        created,
        roles: Role::ALL.iter().map(|r| (r.code(), r.label())).collect(),
    })
}

async fn list(State(state): State<AppState>, user: CurrentUser) -> Result<ListPage, AppError> {
    require(&state, &user, Permission::ManageAccounts, "/admin/accounts").await?;
    page(
        &state,
        &user,
        CreateForm::default(),
        FieldErrors::new(),
        None,
    )
    .await
}

fn parse_role_org(
    role: &str,
    org_id: &str,
    errors: &mut FieldErrors,
) -> Option<(Role, Option<i64>)> {
    let role = Role::from_code(role.trim());
    if role.is_none() {
        errors.add("role", "请选择角色");
    }
    let org = match org_id.trim() {
        "" => Some(None),
        s => match s.parse::<i64>() {
            Ok(v) => Some(Some(v)),
            Err(_) => {
                errors.add("org_id", "组织编号应为数字（见组织页面地址 /orgs/编号）");
                None
            }
        },
    };
    Some((role?, org?))
}

async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<CreateForm>,
) -> Result<Response, AppError> {
    require(&state, &user, Permission::ManageAccounts, "/admin/accounts").await?;
    let mut errors = FieldErrors::new();
    let member_id = match form.member_id.trim() {
        "" => None,
        s => match s.parse::<i64>() {
            Ok(v) if state.store.exists("member", v).await? => Some(v),
            _ => {
                errors.add("member_id", "找不到该党员编号");
                None
            }
        },
    };
    let grant = parse_role_org(&form.role, &form.org_id, &mut errors);
    if !errors.is_empty() {
        return Ok(page(&state, &user, form, errors, None)
            .await?
            .into_response());
    }
    let (role, org_id) = grant.expect("no errors");
    let password = ronghe_store::one_time_password();
    let input = AccountInput {
        username: form.username.trim().to_lowercase(),
        display_name: form.display_name.clone(),
        password: password.clone(),
        member_id,
        must_change: true,
    };
    let actor = user.actor();
    // Check the grant before creating, so a bad grant leaves no half-made account behind.
    if role.is_admin() != org_id.is_none() {
        errors.add(
            "org_id",
            if role.is_admin() {
                "管理员角色作用于全系统，请不要填写组织"
            } else {
                "请填写该角色所作用的组织编号"
            },
        );
        return Ok(page(&state, &user, form, errors, None)
            .await?
            .into_response());
    }
    if let Some(org) = org_id {
        if !state.store.exists("org", org).await? {
            errors.add("org_id", "找不到该组织编号");
            return Ok(page(&state, &user, form, errors, None)
                .await?
                .into_response());
        }
    }
    if role == Role::Member && member_id.is_none() {
        errors.add("member_id", "党员角色需要填写对应的党员编号");
        return Ok(page(&state, &user, form, errors, None)
            .await?
            .into_response());
    }
    match state.store.account_create(&actor, &input).await {
        Ok(id) => {
            state.store.grant_add(&actor, id, role, org_id).await?;
            let created = Some((input.username.clone(), password));
            Ok(page(
                &state,
                &user,
                CreateForm::default(),
                FieldErrors::new(),
                created,
            )
            .await?
            .into_response())
        }
        Err(StoreError::Invalid(e)) => {
            Ok(page(&state, &user, form, e, None).await?.into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct GrantForm {
    role: String,
    org_id: String,
}

async fn grant_add(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(f): Form<GrantForm>,
) -> Result<Response, AppError> {
    require(&state, &user, Permission::ManageAccounts, "/admin/accounts").await?;
    let mut errors = FieldErrors::new();
    let Some((role, org)) = parse_role_org(&f.role, &f.org_id, &mut errors) else {
        return Err(AppError::BadRequest(
            errors
                .0
                .iter()
                .map(|e| e.message.clone())
                .collect::<Vec<_>>()
                .join("；"),
        ));
    };
    state.store.grant_add(&user.actor(), id, role, org).await?;
    Ok(Redirect::to("/admin/accounts").into_response())
}

async fn grant_remove(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, grant)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    require(&state, &user, Permission::ManageAccounts, "/admin/accounts").await?;
    state.store.grant_remove(&user.actor(), id, grant).await?;
    Ok(Redirect::to("/admin/accounts").into_response())
}

async fn disable(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    require(&state, &user, Permission::ManageAccounts, "/admin/accounts").await?;
    if id == user.account().id {
        return Err(AppError::BadRequest("不能停用自己正在使用的账号".into()));
    }
    state
        .store
        .account_set_disabled(&user.actor(), id, true)
        .await?;
    Ok(Redirect::to("/admin/accounts").into_response())
}

async fn enable(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    require(&state, &user, Permission::ManageAccounts, "/admin/accounts").await?;
    state
        .store
        .account_set_disabled(&user.actor(), id, false)
        .await?;
    Ok(Redirect::to("/admin/accounts").into_response())
}
