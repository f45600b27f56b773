//! Organizational life (组织生活): an organization's meetings, recording one, a record's page,
//! and the compliance view the organization page shows.
//!
//! The form assumes the common case: everyone on the roster was there. The secretary unticks
//! those absent and writes each one's reason beside the name; nothing else is asked for (no
//! photo, location or check-in).

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
use ronghe_core::compliance::{self, ComplianceReport, Status};
use ronghe_core::meeting::{AbsenteeForm, MeetingForm, MeetingKind};
use ronghe_core::text::{parse_date, FieldErrors};
use ronghe_core::Date;
use ronghe_store::{
    meeting_kinds_for, ChangeRow, GoalChoice, MeetingDetail, MeetingRow, MemberRow, Org, Seat,
    Store, StoreError,
};
use serde::Deserialize;
use std::collections::{HashMap, HashSet};

mod edit;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/orgs/{id}/meetings", get(list))
        .route("/meetings/new", get(new_page).post(new_submit))
        .route("/meetings/{id}", get(show))
        .merge(edit::router())
}

// ---------------------------------------------------------------------------------------------
// Compliance, shared with the organization page and the API.

/// Windows still owing meetings are listed when overdue or due within this many days.
pub(crate) const DUE_HORIZON_DAYS: u32 = 45;

/// The year asked for in a query string: four digits in a sensible range, else `None`.
pub(crate) fn parse_year(s: &str) -> Option<i32> {
    s.trim()
        .parse::<i32>()
        .ok()
        .filter(|y| (2000..=2100).contains(y))
}

/// Evaluates the compliance rules for one 党支部 over `year` as of `today`.
pub(crate) async fn compliance_report(
    store: &Store,
    org: &Org,
    year: i32,
    today: Date,
) -> Result<ComplianceReport, StoreError> {
    let from = Date::from_ymd_opt(year, 1, 1).unwrap_or(today);
    let to = Date::from_ymd_opt(year, 12, 31).unwrap_or(today);
    let config = store.compliance_config().await?;
    let (profile, facts) = store.branch_compliance_facts(org.id, from, to).await?;
    Ok(compliance::evaluate(
        &config.rules(),
        &profile,
        &facts,
        from,
        to,
        today,
    ))
}

/// One window not met, as the organization page lists it.
pub(crate) struct ComplianceRow {
    pub kind_code: &'static str,
    pub kind_label: &'static str,
    pub overdue: bool,
    pub status_label: &'static str,
    pub due: String,
    /// The engine's explanation without its trailing citation (shown on its own line).
    pub explanation: String,
    pub citation: &'static str,
}

/// The compliance section of the organization page.
pub(crate) struct ComplianceView {
    pub year: i32,
    pub met: u32,
    pub overdue: u32,
    pub upcoming: u32,
    /// Overdue windows first, then those due within [`DUE_HORIZON_DAYS`], by due date.
    pub rows: Vec<ComplianceRow>,
    /// Windows still owing meetings whose deadline is further away (not listed).
    pub later: u32,
    pub skipped: Vec<String>,
    pub horizon_days: u32,
}

pub(crate) fn compliance_view(report: &ComplianceReport, year: i32) -> ComplianceView {
    let mut soon = compliance::due_soon(report, report.today, DUE_HORIZON_DAYS);
    // `due_soon` orders by deadline; overdue ones come first (stable sort keeps the order).
    soon.sort_by_key(|w| !matches!(w.status, Status::Overdue { .. }));
    let rows: Vec<ComplianceRow> = soon
        .iter()
        .map(|w| {
            let text = w
                .explanation
                .split_once("。依据")
                .map_or(w.explanation.as_str(), |(head, _)| head);
            ComplianceRow {
                kind_code: w.kind.code(),
                kind_label: w.kind.label(),
                overdue: matches!(w.status, Status::Overdue { .. }),
                status_label: w.status.label(),
                due: w.status.due().map(|d| d.to_string()).unwrap_or_default(),
                explanation: format!("{text}。"),
                citation: w.citation,
            }
        })
        .collect();
    let listed_upcoming = rows.iter().filter(|r| !r.overdue).count() as u32;
    ComplianceView {
        year,
        met: report.met,
        overdue: report.overdue,
        upcoming: report.upcoming,
        later: report.upcoming.saturating_sub(listed_upcoming),
        rows,
        skipped: report
            .skipped
            .iter()
            .map(|s| format!("{}：{}", s.kind.label(), s.reason))
            .collect(),
        horizon_days: DUE_HORIZON_DAYS,
    }
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
// Recording a meeting.

/// One person on the form.
struct PersonRow {
    id: i64,
    name: String,
    note: String,
    ticked: bool,
    reason: String,
    error: Option<String>,
    /// Expected at this kind of meeting (an absence needs a reason); others may sit in (列席).
    expected: bool,
}

struct GoalRow {
    id: i64,
    title: String,
    org_name: String,
    is_key: bool,
    ticked: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "meeting_form.html")]
struct FormPage {
    layout: Layout,
    /// Where the form posts: `/meetings/new`, or `/meetings/{id}/edit`.
    action: String,
    /// The record being corrected, if any.
    editing: Option<i64>,
    org: Org,
    form: MeetingForm,
    errors: FieldErrors,
    kinds: Vec<(&'static str, &'static str)>,
    people: Vec<PersonRow>,
    goals: Vec<GoalRow>,
    goals_year: i32,
    today: String,
    /// Names of those unticked without a reason, listed above the roster (each one's own
    /// message sits beside the name).
    missing_reasons: Vec<String>,
}

impl FormPage {
    /// Whom this kind of meeting expects, for the attendance legend.
    fn expected_label(&self) -> &'static str {
        match MeetingKind::from_code(self.form.kind.trim()) {
            Some(MeetingKind::CommitteeMeeting) => "应到：支部委员",
            Some(MeetingKind::GroupMeeting) => "应到：党小组成员",
            Some(MeetingKind::HeartTalk) => "参加谈话的人员（请勾选，至少 2 人）",
            _ => "应到：本组织党员",
        }
    }
    fn has_expected(&self) -> bool {
        self.people.iter().any(|p| p.expected)
    }
    fn has_others(&self) -> bool {
        self.people.iter().any(|p| !p.expected)
    }
    /// Others who sat in (列席) are shown open when any is ticked.
    fn others_ticked(&self) -> bool {
        self.people.iter().any(|p| !p.expected && p.ticked)
    }
}

/// Who is expected at a meeting of `kind`: an unticked expected person needs a reason.
/// Everyone for most kinds; the committee for a 支委会; nobody in particular for a 谈心谈话
/// (a conversation between two or a few people).
fn expected(kind: Option<MeetingKind>, roster: &[MemberRow], seats: &[Seat]) -> HashSet<i64> {
    match kind {
        Some(MeetingKind::HeartTalk) => HashSet::new(),
        Some(MeetingKind::CommitteeMeeting) => seats.iter().map(|s| s.member_id).collect(),
        _ => roster.iter().map(|r| r.id).collect(),
    }
}

struct FormInput {
    form: MeetingForm,
    /// Reasons typed beside each member, by member id as typed.
    reasons: HashMap<String, String>,
}

/// Reads the posted form. Attendees and goals are repeated keys, which axum's `Form` cannot
/// collect, so the pairs are read in order.
fn read_form(body: &[u8]) -> Result<FormInput, AppError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body)
        .map_err(|_| AppError::BadRequest("提交的内容格式有误，请返回重新填写。".into()))?;
    let mut form = MeetingForm::default();
    let mut reasons = HashMap::new();
    for (k, v) in pairs {
        match k.as_str() {
            "org_id" => form.org_id = v,
            "kind" => form.kind = v,
            "date" => form.date = v,
            "topic" => form.topic = v,
            "content" => form.content = v,
            "decisions" => form.decisions = v,
            "attendees" => form.attendees.push(v),
            "goals" => form.goals.push(v),
            _ => {
                if let Some(id) = k.strip_prefix("reason_") {
                    reasons.insert(id.to_string(), v);
                }
            }
        }
    }
    Ok(FormInput { form, reasons })
}

/// Unticked people with a reason are absent; an expected person unticked without one is a
/// mistake to point at, beside the name. Returns those errors and the names missing a reason.
fn derive_absentees(
    form: &mut MeetingForm,
    reasons: &HashMap<String, String>,
    roster: &[MemberRow],
    seats: &[Seat],
) -> (FieldErrors, Vec<String>) {
    let kind = MeetingKind::from_code(form.kind.trim());
    let must_explain = expected(kind, roster, seats);
    let ticked: HashSet<String> = form
        .attendees
        .iter()
        .map(|s| s.trim().to_string())
        .collect();
    let mut extra = FieldErrors::new();
    let mut missing = Vec::new();
    for m in roster {
        let id = m.id.to_string();
        if ticked.contains(&id) {
            continue;
        }
        let reason = reasons.get(&id).map_or("", |r| r.trim());
        if !reason.is_empty() {
            form.absentees.push(AbsenteeForm {
                member_id: id,
                reason: reason.to_string(),
            });
        } else if must_explain.contains(&m.id) {
            extra.add(&format!("reason_{id}"), "请填写缺席原因");
            missing.push(m.name.clone());
        }
    }
    (extra, missing)
}

#[allow(clippy::too_many_arguments)]
fn form_page(
    user: &CurrentUser,
    org: Org,
    form: MeetingForm,
    reasons: &HashMap<String, String>,
    errors: FieldErrors,
    roster: &[MemberRow],
    seats: &[Seat],
    goals: Vec<GoalChoice>,
    goals_year: i32,
) -> FormPage {
    let ticked: HashSet<&str> = form.attendees.iter().map(|s| s.trim()).collect();
    let kind = MeetingKind::from_code(form.kind.trim());
    let expected_ids = expected(kind, roster, seats);
    let people = roster
        .iter()
        .map(|m| {
            let id = m.id.to_string();
            let seat = seats.iter().find(|s| s.member_id == m.id);
            let mut note = vec![m.status_label().to_string()];
            if let Some(s) = seat {
                note.push(s.duty.clone().unwrap_or_else(|| s.role_label().to_string()));
            }
            if m.org_id != org.id {
                note.push(m.org_name.clone());
            }
            PersonRow {
                id: m.id,
                name: m.name.clone(),
                note: note.join("，"),
                ticked: ticked.contains(id.as_str()),
                reason: reasons.get(&id).cloned().unwrap_or_default(),
                error: errors.get(&format!("reason_{id}")).map(str::to_string),
                expected: expected_ids.contains(&m.id),
            }
        })
        .collect();
    let chosen: HashSet<&str> = form.goals.iter().map(|s| s.trim()).collect();
    let goals = goals
        .into_iter()
        .map(|g| GoalRow {
            ticked: chosen.contains(g.id.to_string().as_str()),
            id: g.id,
            title: g.title,
            org_name: g.org_name,
            is_key: g.is_key != 0,
        })
        .collect();
    FormPage {
        layout: Layout::new(user, format!("记录会议 · {}", org.name), "/orgs"),
        action: "/meetings/new".to_string(),
        editing: None,
        kinds: meeting_kinds_for(org.kind())
            .into_iter()
            .map(|k| (k.code(), k.label()))
            .collect(),
        org,
        form,
        errors,
        people,
        goals,
        goals_year,
        today: ronghe_store::today().to_string(),
        missing_reasons: Vec::new(),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct NewQuery {
    org: String,
    kind: String,
    /// A day inside a missed period, from a 待办 line (补录).
    date: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "meeting_choose.html")]
struct ChoosePage {
    layout: Layout,
    orgs: Vec<Org>,
    more: bool,
}

/// How many organizations the chooser lists.
const CHOICES: usize = 50;

/// `/meetings/new` without an organization: the branches (and 党小组) the user records for,
/// their roots and one level below; a single one opens its form at once.
async fn choose_org(state: &AppState, user: &CurrentUser) -> Result<Response, AppError> {
    let scope = user.scope(Permission::EditMembers);
    let mut orgs = Vec::new();
    let records = |o: &Org| !meeting_kinds_for(o.kind()).is_empty() && o.kind != "committee";
    if !scope.is_empty() {
        for root in state.store.org_roots(&scope).await? {
            if orgs.len() > CHOICES {
                break;
            }
            let children = state.store.org_children(&scope, root.id).await?;
            if records(&root) {
                orgs.push(root);
            }
            orgs.extend(children.into_iter().filter(|c| records(c)));
        }
    }
    if let [only] = orgs.as_slice() {
        return Ok(Redirect::to(&format!("/meetings/new?org={}", only.id)).into_response());
    }
    let more = orgs.len() > CHOICES;
    orgs.truncate(CHOICES);
    Ok(ChoosePage {
        layout: Layout::new(user, "记录组织生活", "/orgs"),
        orgs,
        more,
    }
    .into_response())
}

async fn new_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<NewQuery>,
) -> Result<Response, AppError> {
    if q.org.trim().is_empty() {
        return choose_org(&state, &user).await;
    }
    let id = q.org.trim().parse::<i64>().map_err(|_| {
        AppError::BadRequest("请从党组织页面的“记录组织生活”进入，以确定是哪个组织的会议。".into())
    })?;
    let org = writable_org(&state, &user, id).await?;
    let scope = user.scope(Permission::EditMembers);
    let allowed = meeting_kinds_for(org.kind());
    let kind = MeetingKind::from_code(q.kind.trim())
        .filter(|k| allowed.contains(k))
        .or(allowed.first().copied());
    let roster = state.store.meeting_roster(&scope, &org).await?;
    let seats = state.store.committee(org.id).await?;
    let today = ronghe_store::today();
    let ticked = expected(kind, &roster, &seats);
    let date = q
        .date
        .trim()
        .parse::<Date>()
        .ok()
        .filter(|d| *d <= today)
        .unwrap_or(today);
    let form = MeetingForm {
        org_id: org.id.to_string(),
        kind: kind.map(|k| k.code().to_string()).unwrap_or_default(),
        date: date.to_string(),
        attendees: roster
            .iter()
            .filter(|m| ticked.contains(&m.id))
            .map(|m| m.id.to_string())
            .collect(),
        ..MeetingForm::default()
    };
    let goals = state
        .store
        .goals_for_org(&scope, org.id, date.year())
        .await?;
    Ok(form_page(
        &user,
        org,
        form,
        &HashMap::new(),
        FieldErrors::new(),
        &roster,
        &seats,
        goals,
        date.year(),
    )
    .into_response())
}

async fn new_submit(
    State(state): State<AppState>,
    user: CurrentUser,
    body: Bytes,
) -> Result<Response, AppError> {
    let FormInput { mut form, reasons } = read_form(&body)?;
    let id = form.org_id.trim().parse::<i64>().map_err(|_| {
        AppError::BadRequest("请从党组织页面的“记录会议”进入，以确定是哪个组织的会议。".into())
    })?;
    let org = writable_org(&state, &user, id).await?;
    let scope = user.scope(Permission::EditMembers);
    let roster = state.store.meeting_roster(&scope, &org).await?;
    let seats = state.store.committee(org.id).await?;
    let today = ronghe_store::today();

    let (extra, missing) = derive_absentees(&mut form, &reasons, &roster, &seats);
    let goals_year = parse_date("会议日期", &form.date).map_or(today.year(), |d| d.year());
    let goals = state
        .store
        .goals_for_org(&scope, org.id, goals_year)
        .await?;
    let roster_ids: Vec<i64> = roster.iter().map(|m| m.id).collect();
    let goal_ids: Vec<i64> = goals.iter().map(|g| g.id).collect();
    let result = match form.validate(today, &roster_ids, &goal_ids) {
        Ok(input) if extra.is_empty() => {
            let entitled = state.store.meeting_entitled(&org, input.kind).await?;
            state
                .store
                .meeting_create(&user.actor(), &scope, &input, entitled)
                .await
        }
        Ok(_) => Err(StoreError::Invalid(extra)),
        Err(mut e) => {
            e.0.extend(extra.0);
            Err(StoreError::Invalid(e))
        }
    };
    match result {
        Ok(id) => Ok(Redirect::to(&format!("/meetings/{id}?saved=1")).into_response()),
        Err(StoreError::Invalid(errors)) => {
            // Absentees were derived from the ticks; the form shows ticks and reasons again.
            form.absentees.clear();
            let mut page = form_page(
                &user, org, form, &reasons, errors, &roster, &seats, goals, goals_year,
            );
            page.missing_reasons = missing;
            Ok(page.into_response())
        }
        Err(e) => Err(e.into()),
    }
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
