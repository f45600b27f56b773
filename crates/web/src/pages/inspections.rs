//! 同步检查 pages: a committee opens a round over its subtree (the checklist is a template's
//! indicators), records findings with their rectification; the inspected organization
//! reports what it did; the inspector verifies or returns it with a reason.

use super::reports::{overseen, report_year};
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
use ronghe_core::evaluation::Indicator;
use ronghe_core::inspection::{self, FindingForm, RectifyStatus, Severity};
use ronghe_core::text::FieldErrors;
use ronghe_store::{Finding, Org, Round, StoreError};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/orgs/{id}/inspections", post(open_round))
        .route("/inspections/{id}", get(show_round))
        .route("/inspections/{id}/findings", post(add_finding))
        .route("/findings/{id}", get(show_finding))
        .route("/findings/{id}/submit", post(submit))
        .route("/findings/{id}/verify", post(verify))
        .route("/findings/{id}/return", post(return_back))
}

fn may_inspect(user: &CurrentUser, path: &str) -> bool {
    user.scope(Permission::Inspect).sees_members_of(path)
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub(super) struct RoundForm {
    pub title: String,
    pub year: String,
    pub template: String,
}

async fn open_round(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(form): Form<RoundForm>,
) -> Result<Response, AppError> {
    let (org, _) = overseen(&state, &user, id).await?;
    super::require(&state, &user, Permission::Inspect, "inspection").await?;
    if !may_inspect(&user, &org.path) {
        return Err(AppError::Forbidden);
    }
    let mut errors = FieldErrors::new();
    let title = inspection::validate_title(&form.title)
        .map_err(|m| errors.add("round_title", m))
        .ok();
    let year = super::compliance_view::parse_year(&form.year);
    if year.is_none() {
        errors.add("round_year", "请填写 2000 到 2100 之间的年度");
    }
    let template = form.template.trim().parse::<i64>().ok();
    let result = match (title, year) {
        (Some(t), Some(y)) if errors.is_empty() => state
            .store
            .round_create(
                &user.actor(),
                &user.scope(Permission::Inspect),
                &org,
                y,
                &t,
                template,
            )
            .await
            .inspect(|_| state.dashboards.clear()),
        _ => Err(StoreError::Invalid(errors)),
    };
    match result {
        Ok(rid) => Ok(Redirect::to(&format!("/inspections/{rid}")).into_response()),
        Err(StoreError::Invalid(errors)) => {
            Ok(
                super::evaluation::home_page(&state, &user, org, Some(form), errors)
                    .await?
                    .into_response(),
            )
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "inspection.html")]
struct RoundPage {
    layout: Layout,
    round: Round,
    findings: Vec<(Finding, bool)>,
    checklist: Vec<Indicator>,
    orgs: Vec<Org>,
    can_inspect: bool,
    form: FindingForm,
    errors: FieldErrors,
    severities: Vec<(&'static str, &'static str)>,
    overdue: usize,
}

async fn round_page(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    form: Option<FindingForm>,
    errors: FieldErrors,
) -> Result<RoundPage, AppError> {
    let view = user.scope(Permission::ViewOrgs);
    let round = state.store.round_get(&view, id).await?;
    let today = ronghe_store::today();
    let findings: Vec<(Finding, bool)> = state
        .store
        .round_findings(id)
        .await?
        .into_iter()
        .map(|f| {
            let late = f.is_overdue(today);
            (f, late)
        })
        .collect();
    let checklist = match round.template_id {
        Some(t) => state
            .store
            .eval_template_get(&view, t)
            .await
            .map(|t| t.body.indicators)
            .unwrap_or_default(),
        None => Vec::new(),
    };
    // The organizations that can be inspected: those with a plan for the round's year.
    let root = state.store.org_get(&view, round.org_id).await?;
    let mut orgs: Vec<Org> = Vec::new();
    for s in state
        .store
        .eval_facts(&root, round.year as i32, today)
        .await?
        .subjects
    {
        if let Ok(o) = state.store.org_get(&view, s.org_id).await {
            orgs.push(o);
        }
        if orgs.len() >= 300 {
            break;
        }
    }
    Ok(RoundPage {
        layout: Layout::new(user, format!("同步检查：{}", round.title), "/evaluation"),
        can_inspect: may_inspect(user, &round.org_path) && round.status == "open",
        form: form.unwrap_or_else(|| FindingForm {
            severity: "minor".into(),
            deadline: (today + chrono::Duration::days(30)).to_string(),
            ..Default::default()
        }),
        overdue: findings.iter().filter(|(_, l)| *l).count(),
        severities: Severity::ALL
            .iter()
            .map(|s| (s.code(), s.label()))
            .collect(),
        errors,
        findings,
        checklist,
        orgs,
        round,
    })
}

async fn show_round(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<RoundPage, AppError> {
    round_page(&state, &user, id, None, FieldErrors::new()).await
}

async fn add_finding(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(form): Form<FindingForm>,
) -> Result<Response, AppError> {
    super::require(&state, &user, Permission::Inspect, "inspection").await?;
    let round = state
        .store
        .round_get(&user.scope(Permission::ViewOrgs), id)
        .await?;
    if !may_inspect(&user, &round.org_path) {
        return Err(AppError::Forbidden);
    }
    let result = match form.validate(ronghe_store::today()) {
        Ok(input) => state
            .store
            .finding_create(&user.actor(), &round, &input)
            .await
            .inspect(|_| state.dashboards.clear()),
        Err(e) => Err(StoreError::Invalid(e)),
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/inspections/{id}#findings")).into_response()),
        Err(StoreError::Invalid(errors)) => Ok(round_page(&state, &user, id, Some(form), errors)
            .await?
            .into_response()),
        Err(e) => Err(e.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "finding.html")]
struct FindingPage {
    layout: Layout,
    f: Finding,
    overdue: bool,
    /// The inspected organization's editors report their rectification.
    can_submit: bool,
    /// The inspector verifies or returns.
    can_verify: bool,
    evidence: String,
    note: String,
    errors: FieldErrors,
    done: Option<&'static str>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct DoneQuery {
    done: String,
}

async fn finding_page(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    typed: (String, String),
    errors: FieldErrors,
) -> Result<FindingPage, AppError> {
    let f = state
        .store
        .finding_get(&user.scope(Permission::ViewOrgs), id)
        .await?;
    let today = ronghe_store::today();
    Ok(FindingPage {
        layout: Layout::new(user, format!("整改事项：{}", f.org_name), "/"),
        overdue: f.is_overdue(today),
        can_submit: f.status() == RectifyStatus::Open
            && user
                .scope(Permission::EditPlans)
                .sees_members_of(&f.org_path),
        can_verify: f.status() == RectifyStatus::Submitted && may_inspect(user, &f.committee_path),
        evidence: typed.0,
        note: typed.1,
        errors,
        done: None,
        f,
    })
}

async fn show_finding(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    axum::extract::Query(q): axum::extract::Query<DoneQuery>,
) -> Result<FindingPage, AppError> {
    let mut p = finding_page(&state, &user, id, Default::default(), FieldErrors::new()).await?;
    p.done = match q.done.as_str() {
        "submitted" => Some("整改情况已报送，等待检查组验证。"),
        "verified" => Some("已验证销号。"),
        "returned" => Some("已退回，整改单位会在待办中看到退回原因。"),
        _ => None,
    };
    Ok(p)
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct EvidenceForm {
    evidence: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct NoteForm {
    note: String,
}

async fn submit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(form): Form<EvidenceForm>,
) -> Result<Response, AppError> {
    let f = state
        .store
        .finding_get(&user.scope(Permission::ViewOrgs), id)
        .await?;
    if !user
        .scope(Permission::EditPlans)
        .sees_members_of(&f.org_path)
    {
        return Err(AppError::Forbidden);
    }
    let result = match inspection::validate_evidence(&form.evidence) {
        Ok(e) => state
            .store
            .finding_submit(&user.actor(), &f, &e, ronghe_store::today())
            .await
            .inspect(|_| state.dashboards.clear()),
        Err(m) => Err(StoreError::field("evidence", m)),
    };
    finish(
        &state,
        &user,
        id,
        result,
        "submitted",
        (form.evidence, String::new()),
    )
    .await
}

async fn verify(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let f = state
        .store
        .finding_get(&user.scope(Permission::ViewOrgs), id)
        .await?;
    if !may_inspect(&user, &f.committee_path) {
        return Err(AppError::Forbidden);
    }
    let result = state
        .store
        .finding_verify(&user.actor(), &f, ronghe_store::today())
        .await
        .inspect(|_| state.dashboards.clear());
    finish(&state, &user, id, result, "verified", Default::default()).await
}

async fn return_back(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(form): Form<NoteForm>,
) -> Result<Response, AppError> {
    let f = state
        .store
        .finding_get(&user.scope(Permission::ViewOrgs), id)
        .await?;
    if !may_inspect(&user, &f.committee_path) {
        return Err(AppError::Forbidden);
    }
    let result = match inspection::validate_return_note(&form.note) {
        Ok(n) => state
            .store
            .finding_return(&user.actor(), &f, &n)
            .await
            .inspect(|_| state.dashboards.clear()),
        Err(m) => Err(StoreError::field("note", m)),
    };
    finish(
        &state,
        &user,
        id,
        result,
        "returned",
        (String::new(), form.note),
    )
    .await
}

async fn finish(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    result: Result<(), StoreError>,
    done: &str,
    typed: (String, String),
) -> Result<Response, AppError> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/findings/{id}?done={done}")).into_response()),
        Err(StoreError::Invalid(errors)) => Ok(finding_page(state, user, id, typed, errors)
            .await?
            .into_response()),
        Err(e) => Err(e.into()),
    }
}

/// The rounds section of the 同步考核 page: the rounds of `org`, and whether the user may
/// open one.
pub(super) async fn rounds_of(
    state: &AppState,
    user: &CurrentUser,
    org: &Org,
) -> Result<(Vec<Round>, bool), AppError> {
    Ok((
        state.store.rounds_of(org.id).await?,
        may_inspect(user, &org.path),
    ))
}

pub(super) fn default_round(today: ronghe_core::Date) -> RoundForm {
    let year = report_year(None, today);
    RoundForm {
        title: format!("{year} 年党建与业务工作同步检查"),
        year: year.to_string(),
        template: String::new(),
    }
}
