//! Organizational life (组织生活): an organization's meetings, recording one ([`form`]), a
//! record's page, and correcting or deleting it ([`edit`]).

use super::orgs::not_found_logged;
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::state::AppState;
use crate::view::Layout;
use askama::Template;
use askama_web::WebTemplate;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use chrono::Datelike;
use ronghe_core::access::Permission;
use ronghe_core::meeting::{AbsenteeForm, MeetingForm, MeetingKind};
use ronghe_core::text::{parse_date, FieldErrors};
use ronghe_core::Date;
use ronghe_store::{
    meeting_kinds_for, ChangeRow, GoalChoice, MeetingDetail, MeetingRow, MemberRow, Org, Seat,
    StoreError,
};
use serde::Deserialize;
use std::collections::{HashMap, HashSet};

mod edit;
mod form;

pub(crate) use super::compliance_view::{compliance_report, parse_year};
use form::{
    derive_absentees, form_page, new_page, new_submit, read_form, year_of, Choices, FormInput,
    FormPage,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/orgs/{id}/meetings", get(list))
        .route("/meetings/new", get(new_page).post(new_submit))
        .route("/meetings/{id}", get(show))
        .merge(edit::router())
}

// ---------------------------------------------------------------------------------------------
// Access.

/// The organization, if the user may read its meeting records (they name people, so this
/// takes the member scope of whole subtrees).
async fn readable_org(state: &AppState, user: &CurrentUser, id: i64) -> Result<Org, AppError> {
    let scope = user.scope(Permission::ViewMembers);
    match state.store.org_get(&scope, id).await {
        Ok(o) if scope.sees_members_of(&o.path) => Ok(o),
        Ok(_) | Err(StoreError::NotFound) => Err(not_found_logged(state, user, "org", id).await),
        Err(e) => Err(e.into()),
    }
}

/// The organization, if the user may record its meetings: those who may edit its members.
pub(crate) async fn writable_org(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
) -> Result<Org, AppError> {
    let scope = user.scope(Permission::EditMembers);
    let org = match state.store.org_get(&scope, id).await {
        Ok(o) if scope.sees_members_of(&o.path) => o,
        Ok(_) | Err(StoreError::NotFound) => {
            let seen = state
                .store
                .org_get(&user.scope(Permission::ViewOrgs), id)
                .await
                .is_ok();
            if seen {
                state
                    .store
                    .audit_event(
                        &user.actor(),
                        "denied",
                        &format!("org:{id}"),
                        "denied",
                        "无权记录该组织的会议",
                    )
                    .await;
                return Err(AppError::Forbidden);
            }
            return Err(not_found_logged(state, user, "org", id).await);
        }
        Err(e) => return Err(e.into()),
    };
    if meeting_kinds_for(org.kind()).is_empty() {
        return Err(AppError::BadRequest(format!(
            "{}的组织生活按所属党支部分别记录，请进入下属党支部记录会议。",
            org.kind_label()
        )));
    }
    Ok(org)
}

/// Whether the user may record meetings of `org` (for showing the button).
/// Whether `user` may open the meeting records of the organization at `org_path` (the same
/// scope as [`Store::meeting_get`](ronghe_store::Store::meeting_get) asks for).
pub(crate) fn can_read_records(user: &CurrentUser, org_path: &str) -> bool {
    user.scope(Permission::ViewMembers)
        .sees_members_of(org_path)
}

pub(crate) fn can_record(user: &CurrentUser, org: &Org) -> bool {
    user.scope(Permission::EditMembers)
        .sees_members_of(&org.path)
        && !meeting_kinds_for(org.kind()).is_empty()
}

// ---------------------------------------------------------------------------------------------
// The list.

#[derive(Deserialize, Default)]
#[serde(default)]
struct ListQuery {
    year: String,
    kind: String,
    /// Set after a record was deleted: the topic, for the notice.
    deleted: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "meetings.html")]
struct ListPage {
    layout: Layout,
    org: Org,
    year: i32,
    years: Vec<i32>,
    kind: String,
    kinds: Vec<(&'static str, &'static str)>,
    rows: Vec<MeetingRow>,
    can_record: bool,
    deleted: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let org = match readable_org(&state, &user, id).await {
        Ok(org) => org,
        // A member reads their own organizational life on their record, not the branch's:
        // asking for the list of their own organization takes them there.
        Err(AppError::NotFound) => {
            let me = match user.account().member_id {
                Some(me) => state
                    .store
                    .member_get(&user.scope(Permission::ViewMembers), me)
                    .await
                    .ok(),
                None => None,
            };
            return match me {
                Some(m) if ronghe_core::scope::path_ids(&m.org_path).contains(&id) => {
                    Ok(Redirect::to(&format!("/members/{}#attendance", m.id)).into_response())
                }
                _ => Err(AppError::NotFound),
            };
        }
        Err(e) => return Err(e),
    };
    let today = ronghe_store::today();
    let year = parse_year(&q.year).unwrap_or(today.year());
    let from = Date::from_ymd_opt(year, 1, 1).unwrap_or(today);
    let to = Date::from_ymd_opt(year, 12, 31).unwrap_or(today);
    let mut rows = state
        .store
        .meeting_list(&user.scope(Permission::ViewMembers), id, from, to)
        .await?;
    let kind = MeetingKind::from_code(q.kind.trim());
    if let Some(k) = kind {
        rows.retain(|r| r.kind == k.code());
    }
    let mut years: Vec<i32> = (0..5).map(|i| today.year() - i).collect();
    if !years.contains(&year) {
        years.push(year);
    }
    Ok(ListPage {
        layout: Layout::new(&user, format!("{} · 组织生活", org.name), "/orgs"),
        can_record: can_record(&user, &org),
        kinds: meeting_kinds_for(org.kind())
            .into_iter()
            .map(|k| (k.code(), k.label()))
            .collect(),
        kind: kind.map(|k| k.code().to_string()).unwrap_or_default(),
        deleted: Some(q.deleted.trim().to_string()).filter(|d| !d.is_empty()),
        org,
        year,
        years,
        rows,
    }
    .into_response())
}

// ---------------------------------------------------------------------------------------------
// A record.

#[derive(Template, WebTemplate)]
#[template(path = "meeting.html")]
struct ShowPage {
    layout: Layout,
    m: MeetingDetail,
    /// "1" just recorded, "edited" just corrected.
    saved: String,
    can_record: bool,
    year: String,
    /// Who recorded and corrected it, in words (shown to those who may correct it).
    history: Vec<ChangeRow>,
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
    let scope = user.scope(Permission::ViewMembers);
    let m = match state.store.meeting_get(&scope, id).await {
        Ok(m) => m,
        Err(StoreError::NotFound) => {
            if state.store.meeting_exists(id).await.unwrap_or(false) {
                state
                    .store
                    .audit_event(
                        &user.actor(),
                        "denied",
                        &format!("meeting:{id}"),
                        "denied",
                        "访问权限范围以外的数据",
                    )
                    .await;
            }
            return Err(AppError::NotFound);
        }
        Err(e) => return Err(e.into()),
    };
    let can_record = user
        .scope(Permission::EditMembers)
        .sees_members_of(&m.org_path);
    let history = if can_record {
        state.store.history("meeting", id).await?
    } else {
        Vec::new()
    };
    Ok(ShowPage {
        layout: Layout::new(&user, format!("{}：{}", m.kind_label, m.topic), "/orgs"),
        saved: q.saved,
        can_record,
        history,
        year: m.held_on.get(..4).unwrap_or_default().to_string(),
        m,
    })
}
