//! 同步考核 in the JSON API: templates (saved as versions), runs over a committee's subtree,
//! results with their explanation line by line, manual values with a reason, confirmation;
//! and the integration index of a subtree. The same store calls and core rules as the pages.

use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::forms::strict_json;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{Path, Query, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use ronghe_core::access::Permission;
use ronghe_core::evaluation::facts::measure;
use ronghe_core::evaluation::form::ManualForm;
use ronghe_core::evaluation::Template;
use ronghe_core::integration::IndexConfig;
use ronghe_core::scope::Scope;
use ronghe_store::{explain_result, EvalRun, Org, RunBasis, StoreError};
use serde::Deserialize;
use serde_json::{json, Value};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/orgs/{id}/evaluation/templates",
            get(templates).post(template_create),
        )
        .route(
            "/api/v1/evaluation/templates/{id}",
            get(template_get).put(template_save),
        )
        .route(
            "/api/v1/orgs/{id}/evaluation/runs",
            get(runs).post(run_create),
        )
        .route("/api/v1/evaluation/runs/{id}", get(run_get))
        .route("/api/v1/evaluation/runs/{id}/confirm", post(run_confirm))
        .route(
            "/api/v1/evaluation/runs/{id}/results/{org}",
            get(result_get),
        )
        .route(
            "/api/v1/evaluation/runs/{id}/results/{org}/manual",
            post(manual_set),
        )
        .route("/api/v1/orgs/{id}/integration", get(integration))
}

/// The organization, if the user sees its whole subtree; 404 otherwise.
async fn overseen(state: &AppState, user: &CurrentUser, id: i64) -> Result<(Org, Scope), ApiError> {
    let scope = user.scope(Permission::ViewOrgs);
    let org = state.store.org_get(&scope, id).await?;
    if !scope.sees_members_of(&org.path) {
        return Err(ApiError::NotFound);
    }
    let mut sub = Scope::none();
    sub.add_subtree(&org.path);
    Ok((org, sub))
}

fn may_evaluate(user: &CurrentUser, org: &Org) -> Result<(), ApiError> {
    if user.scope(Permission::Evaluate).sees_members_of(&org.path) {
        Ok(())
    } else {
        Err(ApiError::Forbidden)
    }
}

/// A JSON body read strictly: unknown fields and wrong types are refused with where.
fn body<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(bytes).map_err(|e| {
        ApiError::BadRequest(format!(
            "请求体有误（第 {} 行第 {} 列）：{}",
            e.line(),
            e.column(),
            e
        ))
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewTemplate {
    year: i32,
    template: Template,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SaveTemplate {
    template: Template,
    #[serde(default)]
    note: Option<String>,
}

fn template_json(t: &ronghe_store::EvalTemplate) -> Value {
    json!({
        "id": t.id, "org_id": t.org_id, "name": t.name, "year": t.year,
        "version": t.version, "version_id": t.version_id,
        "saved_at": t.saved_at, "saved_by": t.saved_by, "template": t.body,
    })
}

async fn templates(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    let (org, _) = overseen(&state, &user, id).await?;
    let list = state.store.eval_templates_of(org.id).await?;
    Ok(Json(
        json!({ "templates": list.iter().map(template_json).collect::<Vec<_>>() }),
    ))
}

async fn template_create(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let (org, _) = overseen(&state, &user, id).await?;
    may_evaluate(&user, &org)?;
    let b: NewTemplate = body(&bytes)?;
    if !(2000..=2100).contains(&b.year) {
        return Err(StoreError::field("year", "年度应为 2000 到 2100 之间的四位年份").into());
    }
    let scope = user.scope(Permission::Evaluate);
    let tid = state
        .store
        .eval_template_create(&user.actor(), &scope, &org, b.year, &b.template)
        .await?;
    let t = state.store.eval_template_get(&scope, tid).await?;
    Ok((StatusCode::CREATED, Json(template_json(&t))).into_response())
}

async fn template_get(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    let t = state
        .store
        .eval_template_get(&user.scope(Permission::ViewOrgs), id)
        .await?;
    let versions = state.store.eval_template_versions(id).await?;
    let mut v = template_json(&t);
    v["versions"] = json!(versions);
    Ok(Json(v))
}

async fn template_save(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    bytes: Bytes,
) -> Result<Json<Value>, ApiError> {
    let scope = user.scope(Permission::Evaluate);
    // Visible but not the user's to change: 403; not visible: 404.
    let t = state
        .store
        .eval_template_get(&user.scope(Permission::ViewOrgs), id)
        .await?;
    let org = state
        .store
        .org_get(&user.scope(Permission::ViewOrgs), t.org_id)
        .await?;
    may_evaluate(&user, &org)?;
    let b: SaveTemplate = body(&bytes)?;
    state
        .store
        .eval_template_save(&user.actor(), &scope, id, &b.template, b.note.as_deref())
        .await?;
    let t = state.store.eval_template_get(&scope, id).await?;
    Ok(Json(template_json(&t)))
}

fn run_json(r: &EvalRun) -> Value {
    json!({
        "id": r.id, "template_id": r.template_id, "template_name": r.template_name,
        "version": r.version, "org_id": r.org_id, "year": r.year, "as_of": r.as_of,
        "status": r.status, "supersedes_id": r.supersedes_id, "superseded_by": r.superseded_by,
        "note": r.note, "created_at": r.created_at, "created_by": r.created_by,
        "confirmed_at": r.confirmed_at, "confirmed_by": r.confirmed_by, "results": r.results,
    })
}

async fn runs(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    let (org, _) = overseen(&state, &user, id).await?;
    let list = state.store.eval_runs_of(org.id).await?;
    Ok(Json(
        json!({ "runs": list.iter().map(run_json).collect::<Vec<_>>() }),
    ))
}

#[derive(Deserialize, serde::Serialize, Default)]
#[serde(default)]
struct NewRun {
    template_id: String,
    supersedes: String,
    note: String,
}

async fn run_create(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let (org, _) = overseen(&state, &user, id).await?;
    may_evaluate(&user, &org)?;
    let b: NewRun = strict_json(&bytes)?;
    let scope = user.scope(Permission::Evaluate);
    let basis = match (b.supersedes.trim(), b.template_id.trim()) {
        ("", "") => return Err(StoreError::field("template_id", "请选择考核方案").into()),
        ("", t) => RunBasis::Template(
            t.parse()
                .map_err(|_| StoreError::field("template_id", "应为考核方案编号"))?,
        ),
        (s, _) => RunBasis::Corrects(
            s.parse()
                .map_err(|_| StoreError::field("supersedes", "应为考核编号"))?,
        ),
    };
    let run_id = state
        .store
        .eval_run_start(
            &user.actor(),
            &scope,
            &org,
            basis,
            Some(b.note.as_str()),
            ronghe_store::today(),
        )
        .await
        .inspect(|_| state.dashboards.clear())
        // The store names the page's field; the API's is `template_id`.
        .map_err(|e| match e {
            StoreError::Invalid(mut f) => {
                for x in &mut f.0 {
                    if x.field == "template" {
                        x.field = "template_id".into();
                    }
                }
                StoreError::Invalid(f)
            }
            e => e,
        })?;
    let run = state.store.eval_run_get(&scope, run_id).await?;
    Ok((StatusCode::CREATED, Json(run_json(&run))).into_response())
}

async fn run_get(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    let run = state
        .store
        .eval_run_get(&user.scope(Permission::ViewOrgs), id)
        .await?;
    let results = state.store.eval_results(id).await?;
    let mut v = run_json(&run);
    v["results_list"] = json!(results
        .iter()
        .map(|r| json!({
            "org_id": r.org_id, "org_name": r.org_name, "plan_id": r.plan_id, "peer": r.peer,
            "score": r.score, "grade": r.grade, "integration_index": r.index,
            "g": r.g, "s": r.s, "e": r.e, "u1": r.u1, "u2": r.u2,
        }))
        .collect::<Vec<_>>());
    Ok(Json(v))
}

async fn run_confirm(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    let view = user.scope(Permission::ViewOrgs);
    let run = state.store.eval_run_get(&view, id).await?;
    let root = state.store.org_get(&view, run.org_id).await?;
    may_evaluate(&user, &root)?;
    state
        .store
        .eval_run_confirm(&user.actor(), &run)
        .await
        .inspect(|_| state.dashboards.clear())?;
    Ok(Json(run_json(&state.store.eval_run_get(&view, id).await?)))
}

async fn result_json(
    state: &AppState,
    run: &EvalRun,
    template: &Template,
    org: i64,
) -> Result<Value, ApiError> {
    let r = state.store.eval_result(run.id, org).await?;
    let manual = state.store.eval_manual(run.id, Some(org)).await?;
    let ev = explain_result(template, &r, &manual);
    Ok(json!({
        "run_id": run.id, "org_id": r.org_id, "org_name": r.org_name, "plan_id": r.plan_id,
        "peer": r.peer, "score": ev.score, "grade": ev.grade, "lines": ev.lines,
        "grade_notes": ev.grade_notes, "clamped": ev.clamped,
        "integration_index": r.index, "g": r.g, "s": r.s, "e": r.e, "u1": r.u1, "u2": r.u2,
        "inputs": r.inputs, "manual": manual,
    }))
}

async fn result_get(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, org)): Path<(i64, i64)>,
) -> Result<Json<Value>, ApiError> {
    let view = user.scope(Permission::ViewOrgs);
    let run = state.store.eval_run_get(&view, id).await?;
    let t = state
        .store
        .eval_template_version(&view, run.version_id)
        .await?;
    Ok(Json(result_json(&state, &run, &t.body, org).await?))
}

async fn manual_set(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, org)): Path<(i64, i64)>,
    bytes: Bytes,
) -> Result<Json<Value>, ApiError> {
    let view = user.scope(Permission::ViewOrgs);
    let run = state.store.eval_run_get(&view, id).await?;
    let root = state.store.org_get(&view, run.org_id).await?;
    may_evaluate(&user, &root)?;
    let form: ManualForm = strict_json(&bytes)?;
    let t = state
        .store
        .eval_template_version(&view, run.version_id)
        .await?;
    let Some(ind) = t
        .body
        .indicators
        .iter()
        .find(|i| i.code == form.code.trim())
    else {
        return Err(StoreError::field("code", "方案中没有这个指标").into());
    };
    let input = form.to_input(ind).map_err(ApiError::Invalid)?;
    state
        .store
        .eval_manual_enter(
            &user.actor(),
            &run,
            &t.body,
            org,
            &ind.code,
            input,
            &form.reason,
            &user.account().display_name,
        )
        .await
        .inspect(|_| state.dashboards.clear())?;
    Ok(Json(result_json(&state, &run, &t.body, org).await?))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct YearQuery {
    #[serde(deserialize_with = "ronghe_store::lenient_number")]
    year: Option<i32>,
}

/// The integration index of every organization with a plan below `id` for a year, the
/// lowest first, each with its parts, its warning and the obstacles ordered by gain.
async fn integration(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    RawQuery(raw): RawQuery,
    Query(q): Query<YearQuery>,
) -> Result<Json<Value>, ApiError> {
    use super::query::{self, YEAR};
    query::check(raw.as_deref(), &[("year", YEAR)])?;
    let (org, _) = overseen(&state, &user, id).await?;
    let today = ronghe_store::today();
    let year = q.year.unwrap_or_else(|| chrono::Datelike::year(&today));
    let facts = state.store.eval_facts(&org, year, today).await?;
    let mut rows = tokio::task::spawn_blocking(move || {
        let cfg = IndexConfig::default();
        facts
            .subjects
            .iter()
            .map(|s| {
                let m = measure(&s.facts, today, &cfg);
                (
                    m.index.index,
                    json!({
                        "org_id": s.org_id, "org_name": s.org_name, "plan_id": s.plan_id,
                        "peer": s.unit_kind, "index": m.index, "u1": m.u1, "u2": m.u2,
                    }),
                )
            })
            .collect::<Vec<_>>()
    })
    .await
    .map_err(|e| ApiError::Internal(e.to_string()))?;
    rows.sort_by(|a, b| a.0.total_cmp(&b.0));
    Ok(Json(json!({
        "org_id": org.id, "year": year,
        "organizations": rows.into_iter().map(|(_, v)| v).collect::<Vec<_>>(),
    })))
}
