//! A run's results: every organization's score and grade, the distribution by peer group (the
//! same kind of unit), the "两张皮" organizations; one organization's explanation line by
//! line, its manual values and its earlier results. Confirming locks a run.

use super::may_evaluate;
use super::peers::{peer_groups_of, PeerGroup};
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
use ronghe_core::evaluation::form::ManualForm;
use ronghe_core::evaluation::{Evaluation, Indicator, Input};
use ronghe_core::org::UnitKind;
use ronghe_core::text::FieldErrors;
use ronghe_store::explain_result;
use ronghe_store::{EvalResult, EvalRun, EvalTemplate, ManualRow, Org, RunStatus, StoreError};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/evaluation/runs/{id}", get(show_run))
        .route("/evaluation/runs/{id}/confirm", post(confirm))
        .route("/evaluation/runs/{id}/orgs/{org}", get(show_result))
        .route(
            "/evaluation/runs/{id}/orgs/{org}/manual",
            post(enter_manual),
        )
}

pub(crate) fn peer_label(code: &str) -> &'static str {
    UnitKind::from_code(code).map_or("其他", UnitKind::label)
}

#[derive(Template, WebTemplate)]
#[template(path = "evaluation_run.html")]
struct RunPage {
    layout: Layout,
    run: EvalRun,
    root: Org,
    results: Vec<EvalResult>,
    total: usize,
    grades: Vec<(String, usize)>,
    peers: Vec<PeerGroup>,
    drifting: Vec<EvalResult>,
    can_evaluate: bool,
    mean: f64,
    sort: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RunQuery {
    sort: String,
}

/// Rows the run page lists; the summaries cover every result.
const SHOW: usize = 500;

async fn run_and_template(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
) -> Result<(EvalRun, EvalTemplate, Org), AppError> {
    let scope = user.scope(Permission::ViewOrgs);
    let run = state.store.eval_run_get(&scope, id).await?;
    let t = state
        .store
        .eval_template_version(&scope, run.version_id)
        .await?;
    let root = state.store.org_get(&scope, run.org_id).await?;
    Ok((run, t, root))
}

async fn show_run(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Query(q): Query<RunQuery>,
) -> Result<RunPage, AppError> {
    let (run, t, root) = run_and_template(&state, &user, id).await?;
    let mut results = state.store.eval_results(id).await?;
    let mut grades: Vec<(String, usize)> = t
        .body
        .bands
        .iter()
        .rev()
        .map(|b| (b.label.clone(), 0))
        .collect();
    grades.push((t.body.ungraded.clone(), 0));
    for r in &results {
        if let Some(g) = grades.iter_mut().find(|(l, _)| *l == r.grade) {
            g.1 += 1;
        }
    }
    grades.retain(|(l, n)| *n > 0 || *l != t.body.ungraded);
    let mut drifting: Vec<EvalResult> = results.iter().filter(|r| r.index < 0.5).cloned().collect();
    drifting.sort_by(|a, b| a.index.total_cmp(&b.index));
    let total = results.len();
    let mean = results.iter().map(|r| r.score).sum::<f64>() / total.max(1) as f64;
    let peers = peer_groups_of(&results);
    match q.sort.as_str() {
        "org" => {}
        "high" => results.sort_by(|a, b| b.score.total_cmp(&a.score)),
        _ => results.sort_by(|a, b| a.score.total_cmp(&b.score)),
    }
    results.truncate(SHOW);
    Ok(RunPage {
        layout: Layout::new(&user, format!("{} 年考核结果", run.year), "/evaluation"),
        can_evaluate: may_evaluate(&user, &root),
        sort: q.sort,
        run,
        root,
        results,
        total,
        grades,
        peers,
        drifting,
        mean,
    })
}

async fn confirm(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    super::super::require(&state, &user, Permission::Evaluate, "eval_run").await?;
    let (run, _, root) = run_and_template(&state, &user, id).await?;
    if !may_evaluate(&user, &root) {
        return Err(AppError::Forbidden);
    }
    match state
        .store
        .eval_run_confirm(&user.actor(), &run)
        .await
        .inspect(|_| state.dashboards.clear())
    {
        Ok(()) | Err(StoreError::Invalid(_)) => {
            Ok(Redirect::to(&format!("/evaluation/runs/{id}")).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// One line of the explanation with its indicator's dimension.
pub struct ResultLine {
    pub dimension: &'static str,
    pub line: ronghe_core::evaluation::Line,
    pub manual: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "evaluation_result.html")]
struct ResultPage {
    layout: Layout,
    run: EvalRun,
    root: Org,
    r: EvalResult,
    ev: Evaluation,
    lines: Vec<ResultLine>,
    /// Points by dimension: (label, points).
    by_dimension: Vec<(&'static str, f64)>,
    manual: Vec<ManualRow>,
    /// Indicators that take a value by hand, with their rule kind for the form.
    enterable: Vec<(Indicator, &'static str)>,
    can_enter: bool,
    form: ManualForm,
    errors: FieldErrors,
    peer: Option<(usize, f64)>,
    earlier: Vec<(EvalRun, EvalResult)>,
    saved: bool,
}

fn rule_kind(i: &Indicator) -> &'static str {
    use ronghe_core::evaluation::Rule;
    match i.rule {
        Rule::Graded { .. } => "grade",
        Rule::Deduction { .. } | Rule::Bonus { .. } => "count",
        Rule::Quantitative { .. } => "value",
        Rule::Share => "share",
        Rule::Veto { .. } | Rule::Honour { .. } => "event",
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ResultQuery {
    saved: String,
}

async fn result_page(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    org_id: i64,
    form: Option<ManualForm>,
    errors: FieldErrors,
) -> Result<ResultPage, AppError> {
    let (run, t, root) = run_and_template(state, user, id).await?;
    let r = state.store.eval_result(id, org_id).await?;
    let manual = state.store.eval_manual(id, Some(org_id)).await?;
    let ev = explain_result(&t.body, &r, &manual);
    let lines: Vec<ResultLine> = ev
        .lines
        .iter()
        .map(|l| {
            let ind = t.body.indicators.iter().find(|i| i.code == l.code);
            ResultLine {
                dimension: ind.map_or("", |i| i.dimension.label()),
                manual: manual.iter().any(|m| m.code == l.code),
                line: l.clone(),
            }
        })
        .collect();
    let mut by_dimension: Vec<(&'static str, f64)> = Vec::new();
    for l in &lines {
        match by_dimension.iter_mut().find(|(d, _)| *d == l.dimension) {
            Some(d) => d.1 += l.line.points,
            None => by_dimension.push((l.dimension, l.line.points)),
        }
    }
    let (n, mean) = state.store.eval_peer_mean(id, &r.peer).await?;
    let peer = (n > 0).then_some((n as usize, mean));
    let earlier = state
        .store
        .eval_runs_about(org_id)
        .await?
        .into_iter()
        .filter(|(x, _)| x.id != id)
        .collect();
    let enterable = t
        .body
        .indicators
        .iter()
        .map(|i| (i.clone(), rule_kind(i)))
        .collect();
    Ok(ResultPage {
        layout: Layout::new(user, format!("{} · 考核结果", r.org_name), "/evaluation"),
        can_enter: run.status == RunStatus::Draft && may_evaluate(user, &root),
        form: form.unwrap_or_else(|| ManualForm {
            code: t
                .body
                .indicators
                .iter()
                .find(|i| i.source == ronghe_core::evaluation::Source::Manual)
                .map(|i| i.code.clone())
                .unwrap_or_default(),
            ..Default::default()
        }),
        saved: false,
        errors,
        enterable,
        by_dimension,
        peer,
        earlier,
        manual,
        lines,
        ev,
        r,
        root,
        run,
    })
}

async fn show_result(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, org)): Path<(i64, i64)>,
    Query(q): Query<ResultQuery>,
) -> Result<ResultPage, AppError> {
    let mut p = result_page(&state, &user, id, org, None, FieldErrors::new()).await?;
    p.saved = q.saved == "1";
    Ok(p)
}

async fn enter_manual(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, org_id)): Path<(i64, i64)>,
    Form(form): Form<ManualForm>,
) -> Result<Response, AppError> {
    super::super::require(&state, &user, Permission::Evaluate, "eval_run").await?;
    let (run, t, root) = run_and_template(&state, &user, id).await?;
    if !may_evaluate(&user, &root) {
        return Err(AppError::Forbidden);
    }
    let result = async {
        let Some(ind) = t.body.indicators.iter().find(|i| i.code == form.code) else {
            return Err(StoreError::field("code", "请选择要录入的指标"));
        };
        let input: Input = form.to_input(ind).map_err(StoreError::Invalid)?;
        state
            .store
            .eval_manual_enter(
                &user.actor(),
                &run,
                &t.body,
                org_id,
                &ind.code,
                input,
                &form.reason,
                &user.account().display_name,
            )
            .await
            .inspect(|_| state.dashboards.clear())
    }
    .await;
    match result {
        Ok(()) => Ok(Redirect::to(&format!(
            "/evaluation/runs/{id}/orgs/{org_id}?saved=1#lines"
        ))
        .into_response()),
        Err(StoreError::Invalid(errors)) => {
            Ok(result_page(&state, &user, id, org_id, Some(form), errors)
                .await?
                .into_response())
        }
        Err(e) => Err(e.into()),
    }
}
