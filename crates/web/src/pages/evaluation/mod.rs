//! 同步考核 pages: a committee's indicator templates (考核方案) and evaluation runs over its
//! subtree. Organizations are evaluated; people never are.

mod export;
pub(crate) mod peers;
mod results;
mod template;

pub(crate) use results::peer_label as results_peer_label;

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
use ronghe_core::evaluation::templates::{hundred_points, star_rating};
use ronghe_core::text::FieldErrors;
use ronghe_store::{EvalRun, EvalTemplate, Org, StoreError};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/evaluation", get(mine))
        .route("/orgs/{id}/evaluation", get(show))
        .route("/orgs/{id}/evaluation/templates", post(create_template))
        .route("/orgs/{id}/evaluation/runs", post(create_run))
        .route(
            "/evaluation/runs/{id}/export.xlsx",
            get(export::export_xlsx),
        )
        .merge(template::router())
        .merge(results::router())
}

#[derive(Template, WebTemplate)]
#[template(path = "evaluation.html")]
struct HomePage {
    layout: Layout,
    org: Org,
    can_evaluate: bool,
    templates: Vec<EvalTemplate>,
    runs: Vec<EvalRun>,
    new_template: NewTemplateForm,
    new_run: NewRunForm,
    rounds: Vec<ronghe_store::Round>,
    can_inspect: bool,
    new_round: super::inspections::RoundForm,
    errors: FieldErrors,
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub(super) struct NewTemplateForm {
    base: String,
    name: String,
    year: String,
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub(super) struct NewRunForm {
    template: String,
    /// The run this one corrects, if any.
    supersedes: String,
    note: String,
}

/// The organization whose evaluation pages the user may change: in their Evaluate scope.
pub(super) fn may_evaluate(user: &CurrentUser, org: &Org) -> bool {
    user.scope(Permission::Evaluate).sees_members_of(&org.path)
}

/// The page with a refused inspection round form.
pub(super) async fn home_page(
    state: &AppState,
    user: &CurrentUser,
    org: Org,
    round: Option<super::inspections::RoundForm>,
    errors: FieldErrors,
) -> Result<impl IntoResponse, AppError> {
    let mut p = page(state, user, org, None, None, errors).await?;
    if let Some(r) = round {
        p.new_round = r;
    }
    Ok(p)
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    org: Org,
    new_template: Option<NewTemplateForm>,
    new_run: Option<NewRunForm>,
    errors: FieldErrors,
) -> Result<HomePage, AppError> {
    let today = ronghe_store::today();
    let (rounds, can_inspect) = super::inspections::rounds_of(state, user, &org).await?;
    let templates = state.store.eval_templates_of(org.id).await?;
    let runs = state.store.eval_runs_of(org.id).await?;
    let year = report_year(None, today);
    Ok(HomePage {
        layout: Layout::new(user, format!("{} · 同步考核", org.name), "/evaluation"),
        can_evaluate: may_evaluate(user, &org),
        new_template: new_template.unwrap_or(NewTemplateForm {
            base: "hundred".into(),
            name: String::new(),
            year: year.to_string(),
        }),
        new_run: new_run.unwrap_or_else(|| NewRunForm {
            template: templates
                .first()
                .map(|t| t.id.to_string())
                .unwrap_or_default(),
            ..Default::default()
        }),
        new_round: super::inspections::default_round(today),
        rounds,
        can_inspect,
        templates,
        runs,
        errors,
        org,
    })
}

/// `/evaluation`: the user's own committee (the first one they may evaluate), or the list of
/// organizations when there is none.
async fn mine(State(state): State<AppState>, user: CurrentUser) -> Result<Response, AppError> {
    let scope = user.scope(Permission::Evaluate);
    for path in &scope.subtrees {
        if let Some(id) = ronghe_core::scope::path_ids(path).last() {
            if state.store.org_get(&scope, *id).await.is_ok() {
                return Ok(Redirect::to(&format!("/orgs/{id}/evaluation")).into_response());
            }
        }
    }
    Ok(Redirect::to("/orgs").into_response())
}

async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<HomePage, AppError> {
    let (org, _) = overseen(&state, &user, id).await?;
    page(&state, &user, org, None, None, FieldErrors::new()).await
}

async fn create_template(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(form): Form<NewTemplateForm>,
) -> Result<Response, AppError> {
    let (org, _) = overseen(&state, &user, id).await?;
    super::require(&state, &user, Permission::Evaluate, "eval_template").await?;
    let mut errors = FieldErrors::new();
    let year = super::compliance_view::parse_year(&form.year);
    if year.is_none() {
        errors.add("year", "请填写 2000 到 2100 之间的年度");
    }
    let mut base = match form.base.as_str() {
        "hundred" => Some(hundred_points()),
        "star" => Some(star_rating()),
        other => match other.strip_prefix("copy:").and_then(|s| s.parse().ok()) {
            Some(tid) => state
                .store
                .eval_template_get(&user.scope(Permission::Evaluate), tid)
                .await
                .ok()
                .map(|t| t.body),
            None => None,
        },
    };
    if base.is_none() {
        errors.add("base", "请选择从哪个方案开始");
    }
    if let Some(b) = base.as_mut() {
        if !form.name.trim().is_empty() {
            b.name = form.name.trim().to_string();
        }
    }
    let result = match (base, year) {
        (Some(t), Some(y)) if errors.is_empty() => {
            state
                .store
                .eval_template_create(
                    &user.actor(),
                    &user.scope(Permission::Evaluate),
                    &org,
                    y,
                    &t,
                )
                .await
        }
        _ => Err(StoreError::Invalid(errors)),
    };
    match result {
        Ok(tid) => {
            Ok(Redirect::to(&format!("/evaluation/templates/{tid}?created=1")).into_response())
        }
        Err(StoreError::Invalid(errors)) => Ok(page(&state, &user, org, Some(form), None, errors)
            .await?
            .into_response()),
        Err(e) => Err(e.into()),
    }
}

async fn create_run(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(form): Form<NewRunForm>,
) -> Result<Response, AppError> {
    let (org, _) = overseen(&state, &user, id).await?;
    super::require(&state, &user, Permission::Evaluate, "eval_run").await?;
    if !may_evaluate(&user, &org) {
        return Err(AppError::Forbidden);
    }
    let scope = user.scope(Permission::Evaluate);
    let today = ronghe_store::today();
    let basis = match (
        form.supersedes.trim().parse::<i64>(),
        form.template.trim().parse::<i64>(),
    ) {
        (Ok(old), _) => Some(ronghe_store::RunBasis::Corrects(old)),
        (_, Ok(tid)) => Some(ronghe_store::RunBasis::Template(tid)),
        _ => None,
    };
    let result = match basis {
        Some(basis) => state
            .store
            .eval_run_start(
                &user.actor(),
                &scope,
                &org,
                basis,
                Some(form.note.as_str()),
                today,
            )
            .await
            .inspect(|_| state.dashboards.clear()),
        None => Err(StoreError::field("template", "请选择考核方案")),
    };
    match result {
        Ok(run) => Ok(Redirect::to(&format!("/evaluation/runs/{run}")).into_response()),
        Err(StoreError::Invalid(errors)) => Ok(page(&state, &user, org, None, Some(form), errors)
            .await?
            .into_response()),
        Err(e) => Err(e.into()),
    }
}
