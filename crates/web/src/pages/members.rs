//! The member list, a member's page, adding and editing members, and revealing personal data.

use super::orgs::not_found_logged;
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::state::AppState;
use crate::view::Layout;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use ronghe_core::access::Permission;
use ronghe_core::forms::MemberForm;
use ronghe_core::member::PartyStatus;
use ronghe_core::text::FieldErrors;
use ronghe_store::{
    ChangeRow, Member, MemberFilter, MemberRow, Org, Page, RevealField, StoreError,
};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/members", get(list))
        .route("/members/new", get(new_page).post(new_submit))
        .route("/members/{id}", get(show))
        .route("/members/{id}/edit", get(edit_page).post(edit_submit))
        .route("/members/{id}/reveal", post(reveal))
        .route("/members/{id}/transfer", post(transfer))
}

#[derive(Template, WebTemplate)]
#[template(path = "members.html")]
struct ListPage {
    layout: Layout,
    page: Page<MemberRow>,
    filter_org: Option<Org>,
    status: String,
    q: String,
    active: String,
    statuses: Vec<(&'static str, &'static str)>,
    can_add: bool,
    query_base: String,
    /// Organizations to filter by (the first ones of the scope, by tree order).
    org_choices: Vec<Org>,
}

async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(f): Query<MemberFilter>,
) -> Result<ListPage, AppError> {
    let scope = user.scope(Permission::ViewMembers);
    let filter_org = match f.org {
        Some(id) => Some(
            state
                .store
                .org_get(&user.scope(Permission::ViewOrgs), id)
                .await
                .map_err(AppError::from)?,
        ),
        None => None,
    };
    let page = state.store.member_list(&scope, &f).await?;
    let org_scope = user.scope(Permission::ViewOrgs);
    // Narrowing choices: the user's top organizations and the level below the current filter
    // (a few dozen at most, even for a province-wide account).
    let mut org_choices = state.store.org_roots(&org_scope).await?;
    let below = match &filter_org {
        Some(o) => Some(o.id),
        None => org_choices
            .first()
            .map(|o| o.id)
            .filter(|_| org_choices.len() == 1),
    };
    if let Some(parent) = below {
        if let Some(o) = &filter_org {
            if !org_choices.iter().any(|c| c.id == o.id) {
                org_choices.push(o.clone());
            }
        }
        org_choices.extend(
            state
                .store
                .org_children(&org_scope, parent)
                .await?
                .into_iter()
                .take(100),
        );
    }
    org_choices.retain(|o| scope.sees_members_of(&o.path));
    let (status, q, active) = (
        f.status.clone().unwrap_or_default(),
        f.q.clone().unwrap_or_default(),
        f.active.clone().unwrap_or_else(|| "1".into()),
    );
    let query_base = serde_urlencoded::to_string([
        ("org", f.org.map(|o| o.to_string()).unwrap_or_default()),
        ("status", status.clone()),
        ("q", q.clone()),
        ("active", active.clone()),
    ])
    .unwrap_or_default();
    Ok(ListPage {
        layout: Layout::new(&user, "党员名册", "/members"),
        can_add: !user.scope(Permission::EditMembers).is_empty(),
        page,
        filter_org,
        status,
        q,
        active,
        statuses: PartyStatus::ALL
            .iter()
            .map(|s| (s.code(), s.label()))
            .collect(),
        query_base,
        org_choices,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "member.html")]
struct ShowPage {
    layout: Layout,
    m: Member,
    history: Vec<ChangeRow>,
    can_edit: bool,
    can_reveal: bool,
    revealed_id: Option<String>,
    revealed_phone: Option<String>,
    saved: bool,
    /// The member's organizational life this year and last: entered once by the secretary,
    /// readable by the member.
    attendance: Vec<ronghe_store::Attendance>,
    attendance_from: i32,
    attended: usize,
    /// Whether the reader may open the meeting records themselves.
    can_open_meetings: bool,
}

async fn load(state: &AppState, user: &CurrentUser, id: i64) -> Result<Member, AppError> {
    match state
        .store
        .member_get(&user.scope(Permission::ViewMembers), id)
        .await
    {
        Ok(m) => Ok(m),
        Err(StoreError::NotFound) => Err(not_found_logged(state, user, "member", id).await),
        Err(e) => Err(e.into()),
    }
}

async fn show_page(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    revealed: Option<(RevealField, String)>,
) -> Result<ShowPage, AppError> {
    let m = load(state, user, id).await?;
    let (mut revealed_id, mut revealed_phone) = (None, None);
    match revealed {
        Some((RevealField::IdNumber, v)) => revealed_id = Some(v),
        Some((RevealField::Phone, v)) => revealed_phone = Some(v),
        None => {}
    }
    let today = ronghe_store::today();
    let from_year = chrono::Datelike::year(&today) - 1;
    let from = ronghe_core::Date::from_ymd_opt(from_year, 1, 1).unwrap_or(today);
    let attendance = state.store.member_attendance(m.id, from, today).await?;
    Ok(ShowPage {
        attended: attendance.iter().filter(|a| a.present == 1).count(),
        attendance,
        attendance_from: from_year,
        can_open_meetings: super::meetings::can_read_records(user, &m.org_path),
        layout: Layout::new(user, m.name.clone(), "/members"),
        history: state.store.history("member", id).await?,
        can_edit: user
            .scope(Permission::EditMembers)
            .sees_members_of(&m.org_path),
        can_reveal: user
            .scope(Permission::RevealPersonal)
            .sees_members_of(&m.org_path),
        revealed_id,
        revealed_phone,
        saved: false,
        m,
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ShowQuery {
    saved: String,
}

async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Query(q): Query<ShowQuery>,
) -> Result<ShowPage, AppError> {
    let mut page = show_page(&state, &user, id, None).await?;
    page.saved = q.saved == "1";
    Ok(page)
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RevealForm {
    field: String,
}

async fn reveal(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(f): Form<RevealForm>,
) -> Result<ShowPage, AppError> {
    let field = if f.field == "phone" {
        RevealField::Phone
    } else {
        RevealField::IdNumber
    };
    let scope = user.scope(Permission::RevealPersonal);
    let m = load(&state, &user, id).await?;
    if !scope.sees_members_of(&m.org_path) {
        state
            .store
            .audit_event(
                &user.actor(),
                "denied",
                &format!("member:{id}"),
                "denied",
                "无权查看完整个人信息",
            )
            .await;
        return Err(AppError::Forbidden);
    }
    let value = state
        .store
        .member_reveal(&user.actor(), &scope, id, field)
        .await?;
    show_page(&state, &user, id, Some((field, value))).await
}

#[derive(Template, WebTemplate)]
#[template(path = "member_form.html")]
struct FormPage {
    layout: Layout,
    heading: String,
    action: String,
    form: MemberForm,
    errors: FieldErrors,
    orgs: Vec<Org>,
    statuses: Vec<(&'static str, &'static str)>,
    cancel: String,
}

/// Organizations the user may put members in (a secretary: their branch; a committee: the
/// branches of its subtree, first 500 by path).
async fn member_orgs(state: &AppState, user: &CurrentUser) -> Result<Vec<Org>, AppError> {
    let scope = user.scope(Permission::EditMembers);
    let orgs = state.store.org_search(&scope, "", 500).await?;
    Ok(orgs
        .into_iter()
        .filter(|o| scope.sees_members_of(&o.path) && o.kind != "committee")
        .collect())
}

async fn form_page(
    state: &AppState,
    user: &CurrentUser,
    heading: String,
    action: String,
    form: MemberForm,
    errors: FieldErrors,
    cancel: String,
) -> Result<FormPage, AppError> {
    Ok(FormPage {
        layout: Layout::new(user, heading.clone(), "/members"),
        heading,
        action,
        form,
        errors,
        orgs: member_orgs(state, user).await?,
        statuses: PartyStatus::ALL
            .iter()
            .map(|s| (s.code(), s.label()))
            .collect(),
        cancel,
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct NewQuery {
    org: String,
}

async fn new_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<NewQuery>,
) -> Result<FormPage, AppError> {
    if user.scope(Permission::EditMembers).is_empty() {
        return Err(AppError::Forbidden);
    }
    let form = MemberForm {
        org_id: q.org,
        status: "full".into(),
        ..MemberForm::default()
    };
    form_page(
        &state,
        &user,
        "登记党员".into(),
        "/members/new".into(),
        form,
        FieldErrors::new(),
        "/members".into(),
    )
    .await
}

async fn new_submit(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<MemberForm>,
) -> Result<Response, AppError> {
    let scope = user.scope(Permission::EditMembers);
    if scope.is_empty() {
        return Err(AppError::Forbidden);
    }
    let result = match form.validate(ronghe_store::today()) {
        Ok(input) => {
            state
                .store
                .member_create(&user.actor(), &scope, &input)
                .await
        }
        Err(e) => Err(StoreError::Invalid(e)),
    };
    match result {
        Ok(id) => Ok(Redirect::to(&format!("/members/{id}?saved=1")).into_response()),
        Err(StoreError::Invalid(errors)) => Ok(form_page(
            &state,
            &user,
            "登记党员".into(),
            "/members/new".into(),
            form,
            errors,
            "/members".into(),
        )
        .await?
        .into_response()),
        Err(e) => Err(e.into()),
    }
}

async fn edit_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<FormPage, AppError> {
    let m = editable(&state, &user, id).await?;
    let scope = user.scope(Permission::EditMembers);
    // The form shows the full values being edited; opening it is a reveal, and is audited.
    let id_number = state
        .store
        .member_reveal(&user.actor(), &scope, id, RevealField::IdNumber)
        .await?;
    let phone = state
        .store
        .member_reveal(&user.actor(), &scope, id, RevealField::Phone)
        .await
        .unwrap_or_default();
    let form = MemberForm {
        org_id: m.org_id.to_string(),
        name: m.name.clone(),
        gender: m.gender.clone(),
        birth_date: m.birth_date.clone().unwrap_or_default(),
        id_number,
        phone,
        status: m.status.clone(),
        joined_on: m.joined_on.clone().unwrap_or_default(),
        full_on: m.full_on.clone().unwrap_or_default(),
        department: m.department.clone().unwrap_or_default(),
        post: m.post.clone().unwrap_or_default(),
        party_duty: m.party_duty.clone().unwrap_or_default(),
        rights_suspended: if m.rights_suspended != 0 { "1" } else { "" }.to_string(),
    };
    form_page(
        &state,
        &user,
        format!("修改 {} 的信息", m.name),
        format!("/members/{id}/edit"),
        form,
        FieldErrors::new(),
        format!("/members/{id}"),
    )
    .await
}

async fn editable(state: &AppState, user: &CurrentUser, id: i64) -> Result<Member, AppError> {
    let m = load(state, user, id).await?;
    if !user
        .scope(Permission::EditMembers)
        .sees_members_of(&m.org_path)
    {
        return Err(AppError::Forbidden);
    }
    Ok(m)
}

async fn edit_submit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(form): Form<MemberForm>,
) -> Result<Response, AppError> {
    let m = editable(&state, &user, id).await?;
    let result = match form.validate(ronghe_store::today()) {
        Ok(input) => {
            state
                .store
                .member_update(
                    &user.actor(),
                    &user.scope(Permission::EditMembers),
                    id,
                    &input,
                )
                .await
        }
        Err(e) => Err(StoreError::Invalid(e)),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/members/{id}?saved=1")).into_response()),
        Err(StoreError::Invalid(errors)) => Ok(form_page(
            &state,
            &user,
            format!("修改 {} 的信息", m.name),
            format!("/members/{id}/edit"),
            form,
            errors,
            format!("/members/{id}"),
        )
        .await?
        .into_response()),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TransferForm {
    left_on: String,
}

async fn transfer(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(f): Form<TransferForm>,
) -> Result<Response, AppError> {
    editable(&state, &user, id).await?;
    let on = match f.left_on.trim() {
        "" => ronghe_store::today(),
        d => ronghe_core::text::parse_date("转出日期", d).map_err(AppError::BadRequest)?,
    };
    state
        .store
        .member_transfer_out(&user.actor(), &user.scope(Permission::EditMembers), id, on)
        .await?;
    Ok(Redirect::to(&format!("/members/{id}")).into_response())
}
