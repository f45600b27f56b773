//! The organization tree, an organization's page, its editing and its committee.

use super::home::{org_card, OrgCard};
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
use ronghe_core::forms::{OrgForm, SeatForm};
use ronghe_core::org::{CommitteeRole, OrgKind, UnitKind};
use ronghe_core::text::FieldErrors;
use ronghe_store::{MemberRow, Org, StoreError};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/orgs", get(tree))
        .route("/orgs/{id}", get(show))
        .route("/orgs/{id}/edit", get(edit_page).post(edit_submit))
        .route("/orgs/{id}/new", get(new_page).post(new_submit))
        .route("/orgs/{id}/seats", post(seat_add))
        .route("/orgs/{id}/seats/{seat}/delete", post(seat_remove))
}

/// Logs an attempt to open something that exists but lies outside the caller's scope, then
/// answers exactly as for a missing one.
pub async fn not_found_logged(
    state: &AppState,
    user: &CurrentUser,
    what: &str,
    id: i64,
) -> AppError {
    if state.store.exists(what, id).await.unwrap_or(false) {
        state
            .store
            .audit_event(
                &user.actor(),
                "denied",
                &format!("{what}:{id}"),
                "denied",
                "访问权限范围以外的数据",
            )
            .await;
    }
    AppError::NotFound
}

pub struct TreeNode {
    pub org: Org,
    pub children: Vec<Org>,
}

#[derive(Template, WebTemplate)]
#[template(path = "org_tree.html")]
struct TreePage {
    layout: Layout,
    nodes: Vec<TreeNode>,
}

async fn tree(State(state): State<AppState>, user: CurrentUser) -> Result<TreePage, AppError> {
    let scope = user.scope(Permission::ViewOrgs);
    let mut nodes = Vec::new();
    for org in state.store.org_roots(&scope).await?.into_iter().take(50) {
        let children = state.store.org_children(&scope, org.id).await?;
        nodes.push(TreeNode { org, children });
    }
    Ok(TreePage {
        layout: Layout::new(&user, "组织架构", "/orgs"),
        nodes,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "org.html")]
struct OrgPage {
    layout: Layout,
    card: OrgCard,
    ancestors: Vec<Org>,
    children: Vec<Org>,
    roster: Vec<MemberRow>,
    /// 正式党员, 预备党员, and those on the way in (申请人, 积极分子, 发展对象) on the roster.
    roster_counts: (usize, usize, usize),
    seat_choices: Vec<MemberRow>,
    can_edit: bool,
    can_members: bool,
    can_add_child: bool,
    term_text: String,
    seat_form: SeatForm,
    seat_errors: FieldErrors,
    roles: Vec<(&'static str, &'static str)>,
    /// Organizational life for the current year (党支部 only).
    compliance: Option<super::compliance_view::ComplianceView>,
    can_record: bool,
}

async fn org_page(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    seat_form: SeatForm,
    seat_errors: FieldErrors,
) -> Result<OrgPage, AppError> {
    let scope = user.scope(Permission::ViewOrgs);
    let org = match state.store.org_get(&scope, id).await {
        Ok(o) => o,
        Err(StoreError::NotFound) => return Err(not_found_logged(state, user, "org", id).await),
        Err(e) => return Err(e.into()),
    };
    let can_edit = user.scope(Permission::EditOrgs).sees_members_of(&org.path);
    let member_scope = user.scope(Permission::ViewMembers);
    let can_members = member_scope.sees_members_of(&org.path);
    let roster = if can_members {
        state.store.member_roster(&member_scope, org.id).await?
    } else {
        Vec::new()
    };
    // Committee seats of a 党委 or 党总支 go to members of its branches.
    let seat_choices = if can_edit && roster.is_empty() {
        state.store.member_picker(&member_scope, &org, 500).await?
    } else {
        roster.clone()
    };
    let term_text = match org.term() {
        Some(t) => format!(
            "{} 起，任期 {} 年，{} 届满（{}）",
            t.start,
            t.years,
            t.expiry(),
            t.status(ronghe_store::today()).label()
        ),
        None => "未登记".to_string(),
    };
    let can_add_child = can_edit && OrgKind::ALL.iter().any(|k| org.kind().may_contain(*k));
    let compliance = if org.kind() == OrgKind::Branch {
        let today = ronghe_store::today();
        let year = chrono::Datelike::year(&today);
        let report =
            super::compliance_view::compliance_report(&state.store, &org, year, today).await?;
        Some(super::compliance_view::compliance_view(&report, year))
    } else {
        None
    };
    let count = |s: &str| roster.iter().filter(|m| m.status == s).count();
    let (full, probationary) = (count("full"), count("probationary"));
    let roster_counts = (full, probationary, roster.len() - full - probationary);
    Ok(OrgPage {
        roster_counts,
        layout: Layout::new(user, org.name.clone(), "/orgs"),
        ancestors: state.store.org_ancestors(&scope, &org).await?,
        children: state.store.org_children(&scope, org.id).await?,
        roster,
        seat_choices,
        can_edit,
        can_members,
        can_add_child,
        compliance,
        can_record: super::meetings::can_record(user, &org),
        term_text,
        seat_form,
        seat_errors,
        roles: CommitteeRole::ALL
            .iter()
            .map(|r| (r.code(), r.label()))
            .collect(),
        card: org_card(&state.store, org).await?,
    })
}

async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<OrgPage, AppError> {
    org_page(&state, &user, id, SeatForm::default(), FieldErrors::new()).await
}

#[derive(Template, WebTemplate)]
#[template(path = "org_form.html")]
struct OrgFormPage {
    layout: Layout,
    heading: String,
    action: String,
    form: OrgForm,
    errors: FieldErrors,
    kinds: Vec<(&'static str, &'static str)>,
    unit_kinds: Vec<(&'static str, &'static str)>,
    is_new: bool,
    cancel: String,
}

fn form_page(
    user: &CurrentUser,
    heading: String,
    action: String,
    form: OrgForm,
    errors: FieldErrors,
    kinds: Vec<OrgKind>,
    cancel: String,
) -> OrgFormPage {
    OrgFormPage {
        layout: Layout::new(user, heading.clone(), "/orgs"),
        heading,
        is_new: action.ends_with("/new"),
        action,
        form,
        errors,
        kinds: kinds.iter().map(|k| (k.code(), k.label())).collect(),
        unit_kinds: UnitKind::ALL
            .iter()
            .map(|k| (k.code(), k.label()))
            .collect(),
        cancel,
    }
}

fn org_to_form(o: &Org) -> OrgForm {
    OrgForm {
        parent_id: o.parent_id.map(|p| p.to_string()).unwrap_or_default(),
        kind: o.kind.clone(),
        name: o.name.clone(),
        unit_name: o.unit_name.clone(),
        unit_kind: o.unit_kind.clone(),
        founded_on: o.founded_on.clone().unwrap_or_default(),
        term_start: o.term_start.clone().unwrap_or_default(),
        term_years: o.term_years.map(|y| y.to_string()).unwrap_or_default(),
    }
}

async fn editable(state: &AppState, user: &CurrentUser, id: i64) -> Result<Org, AppError> {
    let scope = user.scope(Permission::EditOrgs);
    match state.store.org_get(&scope, id).await {
        Ok(o) if scope.sees_members_of(&o.path) => Ok(o),
        Ok(_) => Err(AppError::Forbidden),
        Err(StoreError::NotFound) => {
            if state
                .store
                .org_get(&user.scope(Permission::ViewOrgs), id)
                .await
                .is_ok()
            {
                Err(AppError::Forbidden)
            } else {
                Err(not_found_logged(state, user, "org", id).await)
            }
        }
        Err(e) => Err(e.into()),
    }
}

async fn edit_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<OrgFormPage, AppError> {
    let org = editable(&state, &user, id).await?;
    Ok(form_page(
        &user,
        format!("修改 {}", org.name),
        format!("/orgs/{id}/edit"),
        org_to_form(&org),
        FieldErrors::new(),
        vec![org.kind()],
        format!("/orgs/{id}"),
    ))
}

async fn edit_submit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(mut form): Form<OrgForm>,
) -> Result<Response, AppError> {
    let org = editable(&state, &user, id).await?;
    // The place in the tree and the level are not edited here.
    form.parent_id = org.parent_id.map(|p| p.to_string()).unwrap_or_default();
    form.kind = org.kind.clone();
    let result = match form.validate(ronghe_store::today()) {
        Ok(input) => {
            state
                .store
                .org_update(&user.actor(), &user.scope(Permission::EditOrgs), id, &input)
                .await
        }
        Err(e) => Err(StoreError::Invalid(e)),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/orgs/{id}")).into_response()),
        Err(StoreError::Invalid(errors)) => Ok(form_page(
            &user,
            format!("修改 {}", org.name),
            format!("/orgs/{id}/edit"),
            form,
            errors,
            vec![org.kind()],
            format!("/orgs/{id}"),
        )
        .into_response()),
        Err(e) => Err(e.into()),
    }
}

fn child_kinds(parent: &Org) -> Vec<OrgKind> {
    OrgKind::ALL
        .into_iter()
        .filter(|k| parent.kind().may_contain(*k))
        .collect()
}

async fn new_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<OrgFormPage, AppError> {
    let parent = editable(&state, &user, id).await?;
    let kinds = child_kinds(&parent);
    let form = OrgForm {
        parent_id: id.to_string(),
        kind: kinds
            .iter()
            .find(|k| **k == OrgKind::Branch)
            .or(kinds.first())
            .map(|k| k.code().to_string())
            .unwrap_or_default(),
        unit_name: parent.unit_name.clone(),
        unit_kind: parent.unit_kind.clone(),
        ..OrgForm::default()
    };
    Ok(form_page(
        &user,
        format!("在 {} 下新建组织", parent.name),
        format!("/orgs/{id}/new"),
        form,
        FieldErrors::new(),
        kinds,
        format!("/orgs/{id}"),
    ))
}

async fn new_submit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(mut form): Form<OrgForm>,
) -> Result<Response, AppError> {
    let parent = editable(&state, &user, id).await?;
    form.parent_id = id.to_string();
    let result = match form.validate(ronghe_store::today()) {
        Ok(input) => {
            state
                .store
                .org_create(&user.actor(), &user.scope(Permission::EditOrgs), &input)
                .await
        }
        Err(e) => Err(StoreError::Invalid(e)),
    };
    match result {
        Ok(new_id) => Ok(Redirect::to(&format!("/orgs/{new_id}")).into_response()),
        Err(StoreError::Invalid(errors)) => Ok(form_page(
            &user,
            format!("在 {} 下新建组织", parent.name),
            format!("/orgs/{id}/new"),
            form,
            errors,
            child_kinds(&parent),
            format!("/orgs/{id}"),
        )
        .into_response()),
        Err(e) => Err(e.into()),
    }
}

async fn seat_add(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(form): Form<SeatForm>,
) -> Result<Response, AppError> {
    editable(&state, &user, id).await?;
    let result = match form.validate() {
        Ok(seat) => {
            state
                .store
                .seat_add(&user.actor(), &user.scope(Permission::EditOrgs), id, &seat)
                .await
        }
        Err(e) => Err(StoreError::Invalid(e)),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/orgs/{id}#committee")).into_response()),
        Err(StoreError::Invalid(errors)) => Ok(org_page(&state, &user, id, form, errors)
            .await?
            .into_response()),
        Err(e) => Err(e.into()),
    }
}

async fn seat_remove(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, seat)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    editable(&state, &user, id).await?;
    state
        .store
        .seat_remove(&user.actor(), &user.scope(Permission::EditOrgs), id, seat)
        .await?;
    Ok(Redirect::to(&format!("/orgs/{id}#committee")).into_response())
}
