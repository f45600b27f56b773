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
    /// The organization as typed (a name or part of one, or its number) …
    org: String,
    /// … or as chosen among the matches the page offered.
    org_id: String,
    member: String,
    member_id: String,
    role: String,
}

/// Matches offered when a typed name fits several: (id, label).
#[derive(Default)]
struct Choices {
    orgs: Vec<(i64, String)>,
    members: Vec<(i64, String)>,
}

/// How many matches a picker offers.
const MATCHES: i64 = 20;

#[derive(Template, WebTemplate)]
#[template(path = "accounts.html")]
struct ListPage {
    layout: Layout,
    lines: Vec<AccountLine>,
    form: CreateForm,
    errors: FieldErrors,
    created: Option<(String, String)>,
    roles: Vec<(&'static str, &'static str)>,
    choices: Choices,
    /// A refused change to one account: (account id, why).
    line_error: Option<(i64, String)>,
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
        choices: Choices::default(),
        line_error: None,
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

/// Finds the organization a form names: the one chosen from offered matches, a number, or
/// a (part of a) name that fits exactly one; several fits are offered to choose from.
async fn pick_org(
    state: &AppState,
    typed: &str,
    chosen: &str,
    errors: &mut FieldErrors,
    choices: &mut Choices,
) -> Result<Option<ronghe_store::Org>, AppError> {
    let all = ronghe_core::scope::Scope::everything();
    let text = typed.trim();
    if let Ok(id) = chosen.trim().parse::<i64>() {
        if let Ok(o) = state.store.org_get(&all, id).await {
            return Ok(Some(o));
        }
    }
    if text.is_empty() {
        return Ok(None);
    }
    if let Ok(id) = text.parse::<i64>() {
        return match state.store.org_get(&all, id).await {
            Ok(o) => Ok(Some(o)),
            Err(_) => {
                errors.add("org", format!("找不到编号为 {id} 的党组织"));
                Ok(None)
            }
        };
    }
    let found = state.store.org_search(&all, text, MATCHES + 1).await?;
    match found.as_slice() {
        [] => errors.add("org", format!("找不到名称含“{text}”的党组织")),
        [one] => return Ok(Some(one.clone())),
        many => {
            errors.add(
                "org",
                format!(
                    "有{} {} 个党组织名称含“{text}”，请在下面选择",
                    if many.len() as i64 > MATCHES {
                        "超过"
                    } else {
                        ""
                    },
                    many.len().min(MATCHES as usize)
                ),
            );
            choices.orgs = many
                .iter()
                .take(MATCHES as usize)
                .map(|o| (o.id, format!("{}（{}）", o.name, o.kind_label())))
                .collect();
        }
    }
    Ok(None)
}

/// Finds the member a form names, inside `org` when one is given, the same way.
async fn pick_member(
    state: &AppState,
    typed: &str,
    chosen: &str,
    org: Option<&ronghe_store::Org>,
    errors: &mut FieldErrors,
    choices: &mut Choices,
) -> Result<Option<ronghe_store::MemberRow>, AppError> {
    let all = ronghe_core::scope::Scope::everything();
    let text = typed.trim();
    let chosen = chosen.trim().parse::<i64>().ok();
    if text.is_empty() && chosen.is_none() {
        return Ok(None);
    }
    let filter = ronghe_store::MemberFilter {
        org: org.map(|o| o.id),
        q: (!text.is_empty()).then(|| text.to_string()),
        ..Default::default()
    };
    let found = state.store.member_list(&all, &filter).await?.items;
    if let Some(id) = chosen {
        if let Some(m) = found.iter().find(|m| m.id == id) {
            return Ok(Some(m.clone()));
        }
    }
    let within = org.map_or(String::new(), |o| format!("「{}」中", o.name));
    match found.as_slice() {
        [] => errors.add("member", format!("{within}找不到名为“{text}”的党员")),
        [one] => return Ok(Some(one.clone())),
        many => {
            errors.add(
                "member",
                format!("{within}有 {} 名党员符合“{text}”，请在下面选择", many.len()),
            );
            choices.members = many
                .iter()
                .take(MATCHES as usize)
                .map(|m| (m.id, format!("{}（{}）", m.name, m.org_name)))
                .collect();
        }
    }
    Ok(None)
}

async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<CreateForm>,
) -> Result<Response, AppError> {
    require(&state, &user, Permission::ManageAccounts, "/admin/accounts").await?;
    // Every check first, all problems reported at once; nothing is created until all pass.
    let mut errors = FieldErrors::new();
    let mut choices = Choices::default();
    let role = Role::from_code(form.role.trim());
    if role.is_none() {
        errors.add("role", "请选择角色");
    }
    let org = pick_org(&state, &form.org, &form.org_id, &mut errors, &mut choices).await?;
    let member = pick_member(
        &state,
        &form.member,
        &form.member_id,
        org.as_ref(),
        &mut errors,
        &mut choices,
    )
    .await?;
    if let Some(r) = role {
        if r.is_admin() && org.is_some() {
            errors.add("org", "管理员角色作用于全系统，请不要填写组织");
        }
        if !r.is_admin() && org.is_none() && errors.get("org").is_none() {
            errors.add("org", "请填写该角色所作用的党组织（输入名称即可搜索）");
        }
        if r == Role::Member && member.is_none() && errors.get("member").is_none() {
            errors.add(
                "member",
                "党员角色需要关联本人的党员信息（输入姓名即可搜索）",
            );
        }
        if let (Some(m), Some(o)) = (&member, &org) {
            if let Some(why) = state.store.member_outside_grant(m.id, o.id, r).await? {
                errors.add("member", why);
            }
        }
    }
    if let Some(m) = &member {
        if let Some(other) = state.store.account_of_member(m.id).await? {
            errors.add(
                "member",
                format!("{}已有账号 {other}，一名党员只能有一个账号", m.name),
            );
        }
    }
    let username = form.username.trim().to_lowercase();
    if !ronghe_store::valid_username(&username) {
        errors.add("username", "用户名应为 3–32 位小写字母、数字、下划线或点");
    } else if state.store.account_by_username(&username).await?.is_some() {
        errors.add("username", "该用户名已被使用");
    }
    if let Err(m) = ronghe_core::text::required("姓名", &form.display_name, 30) {
        errors.add("display_name", m);
    }
    let mut form = form;
    if let Some(o) = &org {
        form.org = o.name.clone();
        form.org_id = o.id.to_string();
    }
    if let Some(m) = &member {
        form.member = m.name.clone();
        form.member_id = m.id.to_string();
    }
    if !errors.is_empty() {
        let mut p = page(&state, &user, form, errors, None).await?;
        p.choices = choices;
        return Ok(p.into_response());
    }
    let role = role.expect("checked");
    let password = ronghe_store::one_time_password();
    let input = AccountInput {
        username,
        display_name: form.display_name.clone(),
        password: password.clone(),
        member_id: member.as_ref().map(|m| m.id),
        must_change: true,
    };
    let actor = user.actor();
    match state.store.account_create(&actor, &input).await {
        Ok(id) => {
            state
                .store
                .grant_add(&actor, id, role, org.map(|o| o.id))
                .await?;
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
    org: String,
    org_id: String,
}

/// Adds a role to an existing account; problems are shown on the accounts page.
async fn grant_add(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(f): Form<GrantForm>,
) -> Result<Response, AppError> {
    require(&state, &user, Permission::ManageAccounts, "/admin/accounts").await?;
    let mut errors = FieldErrors::new();
    let mut choices = Choices::default();
    let role = Role::from_code(f.role.trim());
    if role.is_none() {
        errors.add("grant", "请选择要添加的角色");
    }
    let org = pick_org(&state, &f.org, &f.org_id, &mut errors, &mut choices).await?;
    if let Some(e) = errors.get("org").map(str::to_string) {
        errors.add("grant", e);
    }
    if let (Some(role), true) = (role, errors.get("grant").is_none()) {
        match state
            .store
            .grant_add(&user.actor(), id, role, org.map(|o| o.id))
            .await
        {
            Ok(()) => return Ok(Redirect::to("/admin/accounts").into_response()),
            Err(StoreError::Invalid(e)) => {
                for fe in e.0 {
                    errors.add("grant", fe.message);
                }
            }
            Err(e) => return Err(e.into()),
        }
    }
    account_error(&state, &user, id, errors, choices).await
}

/// The accounts page with a problem shown beside account `id`.
async fn account_error(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    errors: FieldErrors,
    choices: Choices,
) -> Result<Response, AppError> {
    let mut p = page(state, user, CreateForm::default(), FieldErrors::new(), None).await?;
    p.line_error = Some((
        id,
        errors
            .0
            .iter()
            .filter(|e| e.field == "grant" || e.field == "role")
            .map(|e| e.message.clone())
            .collect::<Vec<_>>()
            .join("；"),
    ));
    p.choices = choices;
    Ok(p.into_response())
}

async fn grant_remove(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, grant)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    require(&state, &user, Permission::ManageAccounts, "/admin/accounts").await?;
    match state.store.grant_remove(&user.actor(), id, grant).await {
        Ok(()) => Ok(Redirect::to("/admin/accounts").into_response()),
        Err(StoreError::Invalid(e)) => {
            account_error(&state, &user, id, e, Choices::default()).await
        }
        Err(e) => Err(e.into()),
    }
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
    match state
        .store
        .account_set_disabled(&user.actor(), id, true)
        .await
    {
        Ok(()) => Ok(Redirect::to("/admin/accounts").into_response()),
        Err(StoreError::Invalid(e)) => {
            account_error(&state, &user, id, e, Choices::default()).await
        }
        Err(e) => Err(e.into()),
    }
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
