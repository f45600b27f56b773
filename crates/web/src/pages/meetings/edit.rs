//! Correcting and deleting a meeting record. The same form as recording one, filled in from the
//! record, checked the same way; deleting asks first and says what goes with the record.
//!
//! Who may: those who may record meetings of the organization. A record the user cannot read
//! answers 404 (as everywhere); one they read but may not change answers 403, audited.

use super::{
    compliance_report, derive_absentees, form_page, read_form, year_of, Choices, FormInput,
    FormPage,
};
use crate::auth::{urlencode, CurrentUser};
use crate::error::AppError;
use crate::pages::orgs::not_found_logged;
use crate::state::AppState;
use crate::view::Layout;
use askama::Template;
use askama_web::WebTemplate;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use ronghe_core::access::Permission;
use ronghe_core::meeting::MeetingForm;
use ronghe_core::org::OrgKind;
use ronghe_core::text::FieldErrors;
use ronghe_store::{MeetingDetail, Org, StoreError};
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/meetings/{id}/edit", get(edit_page).post(edit_submit))
        .route(
            "/meetings/{id}/delete",
            get(delete_page).post(delete_submit),
        )
}

/// The record and its organization, if the user may change it.
async fn writable_meeting(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
) -> Result<(MeetingDetail, Org), AppError> {
    let m = match state
        .store
        .meeting_get(&user.scope(Permission::ViewMembers), id)
        .await
    {
        Ok(m) => m,
        Err(StoreError::NotFound) => return Err(not_found_logged(state, user, "meeting", id).await),
        Err(e) => return Err(e.into()),
    };
    let write = user.scope(Permission::EditMembers);
    if !write.sees_members_of(&m.org_path) {
        state
            .store
            .audit_event(
                &user.actor(),
                "denied",
                &format!("meeting:{id}"),
                "denied",
                "无权修改或删除该组织的会议记录",
            )
            .await;
        return Err(AppError::Forbidden);
    }
    let org = state.store.org_get(&write, m.org_id).await?;
    Ok((m, org))
}

/// The recording form, aimed at the record.
fn edit_form(
    user: &CurrentUser,
    org: Org,
    id: i64,
    form: MeetingForm,
    reasons: &HashMap<String, String>,
    errors: FieldErrors,
    c: &Choices,
) -> FormPage {
    let title = format!("修改会议记录 · {}", org.name);
    let mut page = form_page(user, org, form, reasons, errors, c);
    page.layout = Layout::new(user, title, "/orgs");
    page.action = format!("/meetings/{id}/edit");
    page.editing = Some(id);
    page
}

async fn edit_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<FormPage, AppError> {
    let (m, org) = writable_meeting(&state, &user, id).await?;
    let scope = user.scope(Permission::EditMembers);
    let roster = state.store.meeting_edit_roster(&scope, &org, id).await?;
    let c = Choices::load(&state, &user, &org, roster, year_of(&m.held_on)).await?;
    let reasons = m
        .absentees
        .iter()
        .map(|a| (a.member_id.to_string(), a.reason.clone()))
        .collect();
    let member = |p: &Option<ronghe_store::Attendee>| {
        p.as_ref()
            .map(|a| a.member_id.to_string())
            .unwrap_or_default()
    };
    let form = MeetingForm {
        org_id: org.id.to_string(),
        kind: m.kind.clone(),
        date: m.held_on.clone(),
        starts_at: m.starts_at.clone().unwrap_or_default(),
        place: m.place.clone().unwrap_or_default(),
        topic: m.topic.clone(),
        chair_member_id: member(&m.chair),
        recorder_member_id: member(&m.recorder),
        guests: m.guests.clone().unwrap_or_default(),
        content: m.content.clone().unwrap_or_default(),
        decisions: m.decisions.clone().unwrap_or_default(),
        attendees: m
            .attendees
            .iter()
            .map(|a| a.member_id.to_string())
            .collect(),
        absentees: Vec::new(),
        goals: m.goals.iter().map(|g| g.id.to_string()).collect(),
        items: m.items.iter().map(|i| i.id.to_string()).collect(),
    };
    Ok(edit_form(
        &user,
        org,
        id,
        form,
        &reasons,
        FieldErrors::new(),
        &c,
    ))
}

async fn edit_submit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, AppError> {
    let (_, org) = writable_meeting(&state, &user, id).await?;
    let FormInput { mut form, reasons } = read_form(&body)?;
    // The record stays with its organization, whatever the form says.
    form.org_id = org.id.to_string();
    let scope = user.scope(Permission::EditMembers);
    let roster = state.store.meeting_edit_roster(&scope, &org, id).await?;
    let c = Choices::load(&state, &user, &org, roster, year_of(&form.date)).await?;
    let (extra, missing) = derive_absentees(&mut form, &reasons, &c);
    let result = match c.validate(&form) {
        Ok(input) if extra.is_empty() => state
            .store
            .meeting_update(&user.actor(), &scope, id, &input)
            .await
            .map(|_| ()),
        Ok(_) => Err(StoreError::Invalid(extra)),
        Err(mut e) => {
            e.0.extend(extra.0);
            Err(StoreError::Invalid(e))
        }
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/meetings/{id}?saved=edited")).into_response()),
        Err(StoreError::Invalid(errors)) => {
            form.absentees.clear();
            let mut page = edit_form(&user, org, id, form, &reasons, errors, &c);
            page.missing_reasons = missing;
            Ok(page.into_response())
        }
        Err(e) => Err(e.into()),
    }
}

// ---------------------------------------------------------------------------------------------
// Deleting.

#[derive(Template, WebTemplate)]
#[template(path = "meeting_delete.html")]
struct DeletePage {
    layout: Layout,
    m: MeetingDetail,
    /// What the compliance check loses, one sentence per window the record counts in.
    effects: Vec<String>,
}

/// The 党支部 whose compliance a record of `org` counts for (a 党小组's meetings count for
/// its branch), if any.
async fn branch_of(state: &AppState, user: &CurrentUser, org: &Org) -> Option<Org> {
    match org.kind() {
        OrgKind::Branch => Some(org.clone()),
        OrgKind::Group => {
            let parent = org.parent_id?;
            let scope = user.scope(Permission::ViewOrgs);
            let b = state.store.org_get(&scope, parent).await.ok()?;
            (b.kind() == OrgKind::Branch).then_some(b)
        }
        _ => None,
    }
}

/// What deleting the record does to the compliance check of its year, in words.
async fn compliance_effects(
    state: &AppState,
    user: &CurrentUser,
    org: &Org,
    m: &MeetingDetail,
) -> Result<Vec<String>, AppError> {
    let Some(branch) = branch_of(state, user, org).await else {
        return Ok(Vec::new());
    };
    let today = ronghe_store::today();
    let report = compliance_report(&state.store, &branch, year_of(&m.held_on), today).await?;
    let mut out = Vec::new();
    for w in report.windows.iter().filter(|w| w.counted.contains(&m.id)) {
        let left = w.counted.len() as u32 - 1;
        out.push(if left < w.expected {
            format!(
                "{}的{}将由“已完成”变为未完成（该时段应开展 {} 次，删除后只剩 {} 次）。",
                w.window.label,
                w.kind.label(),
                w.expected,
                left
            )
        } else {
            format!(
                "{}的{}仍为“已完成”：该时段另有 {} 次记录。",
                w.window.label,
                w.kind.label(),
                left
            )
        });
    }
    if out.is_empty() {
        out.push(if m.quorum_met == Some(false) {
            "这次会议到会人数未过半数，本来就不计入组织生活检查。".to_string()
        } else {
            "这次会议目前没有单独决定任何一项检查结果（同一时段另有记录，或该项不在检查范围内）。"
                .to_string()
        });
    }
    Ok(out)
}

async fn delete_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<DeletePage, AppError> {
    let (m, org) = writable_meeting(&state, &user, id).await?;
    let effects = compliance_effects(&state, &user, &org, &m).await?;
    Ok(DeletePage {
        layout: Layout::new(&user, format!("删除会议记录：{}", m.topic), "/orgs"),
        m,
        effects,
    })
}

async fn delete_submit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    writable_meeting(&state, &user, id).await?;
    let m = state
        .store
        .meeting_delete(&user.actor(), &user.scope(Permission::EditMembers), id)
        .await?;
    let year = m.held_on.get(..4).unwrap_or_default();
    let to = format!(
        "/orgs/{}/meetings?year={year}&deleted={}",
        m.org_id,
        urlencode(&format!("{}「{}」（{}）", m.kind_label, m.topic, m.held_on))
    );
    Ok(Redirect::to(&to).into_response())
}
