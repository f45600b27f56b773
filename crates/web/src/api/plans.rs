//! Plans in the JSON API: the same store calls and core rules as the plan pages. Business
//! systems push KPI actuals here (recorded with source "接口").

use super::milestones::{task_json, task_view};
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
use ronghe_core::plan::forms::{
    GoalForm, ItemForm, KpiValueForm, LinkForm, PlanForm, TaskUpdateForm,
};
use ronghe_core::plan::PlanStatus;
use ronghe_core::text::FieldErrors;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/plans", get(list).post(create))
        .route("/api/v1/plans/{id}", get(show))
        .route("/api/v1/plans/{id}/status", post(status))
        .route("/api/v1/plans/{id}/goals", post(goal))
        .route("/api/v1/plans/{id}/items", post(item))
        .route("/api/v1/plans/{id}/links", post(link))
        .route("/api/v1/plans/{id}/tasks", post(task))
        .route("/api/v1/kpis/{id}/values", post(kpi_value))
        .route(
            "/api/v1/tasks/{id}",
            get(task_get).put(task_put).delete(task_delete),
        )
        .route("/api/v1/tasks/{id}/updates", post(task_update))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ListQuery {
    #[serde(deserialize_with = "ronghe_store::lenient_number")]
    year: Option<i64>,
    #[serde(deserialize_with = "ronghe_store::lenient_number")]
    org: Option<i64>,
}

async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
    Query(q): Query<ListQuery>,
) -> Result<Json<Value>, ApiError> {
    use super::query::{self, ID, PAGE, PER_PAGE, YEAR};
    query::check(
        raw.as_deref(),
        &[("year", YEAR), ("org", ID), ("page", PAGE)],
    )?;
    let page = state
        .store
        .plan_page(
            &user.scope(Permission::ViewOrgs),
            q.year,
            q.org,
            query::page_of(raw.as_deref()) as u32,
            PER_PAGE as u32,
        )
        .await?;
    Ok(Json(json!(page)))
}

/// 201 with the new object's id and its plan.
fn created(plan_id: i64, id: i64) -> Response {
    (
        StatusCode::CREATED,
        Json(json!({ "id": id, "plan_id": plan_id })),
    )
        .into_response()
}

async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    body: Bytes,
) -> Result<Response, ApiError> {
    let form: PlanForm = strict_json(&body)?;
    let input = form.validate().map_err(ApiError::Invalid)?;
    let id = state
        .store
        .plan_create(&user.actor(), &user.scope(Permission::EditPlans), &input)
        .await?;
    Ok(created(id, id))
}

async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    let v = state
        .store
        .plan_view(&user.scope(Permission::ViewOrgs), id)
        .await?;
    let today = ronghe_store::today();
    let p = crate::pages::plan_picture(&v, today);
    let index = crate::pages::plan_integration(&state, &v, today).await?;
    let progress: Vec<Value> = p
        .goals
        .iter()
        .map(|g| json!({ "goal_id": g.goal.id, "progress": g.progress.value, "explanation": g.progress.explanation }))
        .collect();
    Ok(Json(json!({
        "plan": v.plan,
        "status_label": v.plan.status_label(),
        "integration": {
            "index": index.x,
            "u1_explanation": index.u1,
            "u2_explanation": index.u2,
        },
        "goals": v.goals,
        "kpis": v.kpis,
        "kpi_values": v.values,
        "items": v.items,
        "links": v.links,
        "tasks": v.tasks,
        "task_assignees": v.assignees,
        "task_milestones": v.milestones,
        "task_progress": p.tasks.iter().map(|t| json!({ "task_id": t.task.id, "percent": t.progress.percent(), "explanation": t.progress.explanation })).collect::<Vec<_>>(),
        "goal_progress": progress,
        "coverage": {
            "orphan_items": p.coverage.orphan_items,
            "uncovered_key_goals": p.coverage.uncovered_key_goals,
            "item_link_share": p.coverage.item_link_share,
            "weighted_goal_support": p.coverage.weighted_goal_support,
            "explanation": p.coverage.explanation,
        },
    })))
}

#[derive(Deserialize, Serialize, Default)]
#[serde(default)]
struct StatusBody {
    status: String,
    /// The year's summary, required when closing (summarized).
    summary: Option<String>,
}

async fn status(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let b: StatusBody = strict_json(&body)?;
    let to = PlanStatus::from_code(b.status.trim()).ok_or_else(|| {
        let mut e = FieldErrors::new();
        e.add("status", "应为 draft、deployed、in_progress 或 summarized");
        ApiError::Invalid(e)
    })?;
    state
        .store
        .plan_set_status(
            &user.actor(),
            &user.scope(Permission::EditPlans),
            id,
            to,
            b.summary,
        )
        .await?;
    let plan = state
        .store
        .plan_get(&user.scope(Permission::ViewOrgs), id)
        .await?;
    Ok(Json(
        json!({ "plan": plan, "status_label": plan.status_label() }),
    ))
}

async fn goal(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let form: GoalForm = strict_json(&body)?;
    let input = form.validate().map_err(ApiError::Invalid)?;
    let gid = state
        .store
        .goal_create(
            &user.actor(),
            &user.scope(Permission::EditGoals),
            id,
            &input,
        )
        .await?;
    Ok(created(id, gid))
}

async fn item(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let plan = state
        .store
        .plan_get(&user.scope(Permission::ViewOrgs), id)
        .await?;
    let form: ItemForm = strict_json(&body)?;
    let input = form.validate(plan.period()).map_err(ApiError::Invalid)?;
    let iid = state
        .store
        .item_create(
            &user.actor(),
            &user.scope(Permission::EditPlans),
            id,
            &input,
        )
        .await?;
    Ok(created(id, iid))
}

async fn link(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let form: LinkForm = strict_json(&body)?;
    let input = form.validate().map_err(ApiError::Invalid)?;
    let lid = state
        .store
        .link_create(
            &user.actor(),
            &user.scope(Permission::EditPlans),
            id,
            &input,
        )
        .await?;
    Ok(created(id, lid))
}

async fn task(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let plan = state
        .store
        .plan_get(&user.scope(Permission::ViewOrgs), id)
        .await?;
    let form = task_json(&body)?.form;
    let input = form.validate(plan.period()).map_err(ApiError::Invalid)?;
    let tid = state
        .store
        .task_create(
            &user.actor(),
            &user.scope(Permission::EditPlans),
            id,
            &input,
        )
        .await?;
    Ok(created(id, tid))
}

async fn kpi_value(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let form: KpiValueForm = strict_json(&body)?;
    let (kpi, plan) = state
        .store
        .kpi_get(&user.scope(Permission::ViewOrgs), id)
        .await?;
    let (month, value) = form
        .validate(&kpi.kpi(), plan.period())
        .map_err(ApiError::Invalid)?;
    state
        .store
        .kpi_value_set(
            &user.actor(),
            &user.scope(Permission::EditGoals),
            id,
            &month,
            value,
            "接口",
        )
        .await?;
    let progress = ronghe_core::plan::kpi_progress_explained(&kpi.kpi(), value);
    Ok(Json(
        json!({ "kpi_id": id, "month": month, "value": value, "progress": progress.value, "explanation": progress.explanation }),
    ))
}

async fn task_get(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    let mut v = task_view(&state.store, &user.scope(Permission::ViewOrgs), id).await?;
    v["updates"] = json!(state.store.task_updates(id).await?);
    Ok(Json(v))
}

async fn task_update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let view = user.scope(Permission::ViewOrgs);
    let (task, _) = state.store.task_get(&view, id).await?;
    let form: TaskUpdateForm = strict_json(&body)?;
    let input = form.validate(task.status()).map_err(ApiError::Invalid)?;
    let write = user.scope(Permission::EditPlans);
    state
        .store
        .task_update(
            &user.actor(),
            &write,
            &view,
            user.account().member_id,
            id,
            &input,
            None,
        )
        .await?;
    Ok(Json(task_view(&state.store, &view, id).await?))
}

/// A task the user may change (those who edit its plan): 404 when they cannot see it, 403
/// (audited) when they see it but may not change it.
async fn task_writable(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
) -> Result<(ronghe_store::Task, ronghe_store::Plan), ApiError> {
    Ok(crate::guard::task_for_edit(state, user, id).await?)
}

/// `PUT /api/v1/tasks/{id}`: what the task is, in the shape of deploying one; the deadline must
/// lie in the plan's year. Progress and status change through `/updates`.
async fn task_put(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let (_, plan) = task_writable(&state, &user, id).await?;
    let mut b = task_json(&body)?;
    b.keep_missing(&state.store, id).await?;
    let input = b.form.validate(plan.period()).map_err(ApiError::Invalid)?;
    state
        .store
        .task_edit(
            &user.actor(),
            &user.scope(Permission::EditPlans),
            id,
            &input,
        )
        .await?;
    Ok(Json(
        task_view(&state.store, &user.scope(Permission::ViewOrgs), id).await?,
    ))
}

/// `DELETE /api/v1/tasks/{id}`: 204 for a task nobody has reported on; 409 with the reason for
/// one with progress reports (cancel it instead through `/updates` with status `cancelled`).
async fn task_delete(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let (task, _) = task_writable(&state, &user, id).await?;
    let refused = |message: String| {
        let body = json!({ "error": message, "fields": [] });
        (StatusCode::CONFLICT, Json(body)).into_response()
    };
    let n = state.store.task_update_count(id).await?;
    if let Some(why) = task.delete_refusal(n) {
        return Ok(refused(why));
    }
    match state
        .store
        .task_delete(&user.actor(), &user.scope(Permission::EditPlans), id)
        .await
    {
        Ok(_) => Ok(StatusCode::NO_CONTENT.into_response()),
        // A progress report arrived in between.
        Err(ronghe_store::StoreError::Invalid(e)) => Ok(refused(
            e.0.first().map(|f| f.message.clone()).unwrap_or_default(),
        )),
        Err(e) => Err(e.into()),
    }
}

/// The plan endpoints for the OpenAPI document.
pub fn openapi_paths() -> Value {
    use super::plan_schemas as schemas;
    let id = json!([{ "name": "id", "in": "path", "required": true, "schema": { "type": "integer", "format": "int64" } }]);
    let body = |schema: Value| json!({ "required": true, "content": { "application/json": { "schema": schema } } });
    let ok = |what: &str| {
        let mut r = super::openapi::errors();
        if let Some(o) = r.as_object_mut() {
            o.insert("200".into(), json!({ "description": what }));
            o.insert("201".into(), json!({ "description": what }));
        }
        r
    };
    let mut deleted = super::openapi::errors();
    if let Some(o) = deleted.as_object_mut() {
        o.insert("204".into(), json!({ "description": "已删除" }));
        o.insert(
            "409".into(),
            json!({ "description": "已有进展记录，不能删除" }),
        );
    }
    let task_body = json!({ "required": true, "content": { "application/json": { "schema": super::milestones::openapi_task_schema() } } });
    let mut paths = json!({
        "/api/v1/plans": {
            "get": { "summary": "权限范围内的计划（分页，每页 100 个，附 total、page、per_page）", "parameters": [{ "name": "year", "in": "query", "schema": { "type": "integer", "minimum": 2000, "maximum": 2100 } }, { "name": "org", "in": "query", "schema": { "type": "integer", "minimum": 1 } }, { "name": "page", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": 100000 } }], "responses": ok("一页计划") },
            "post": { "summary": "新建计划（组织、年度、名称）", "requestBody": body(schemas::plan()), "responses": ok("新计划") }
        },
        "/api/v1/plans/{id}": { "get": { "summary": "计划全貌：目标、指标、工作项、结合点、任务、覆盖情况与目标进度（附说明），以及所属组织本年度的融合度（integration：G、S、E、耦合协调各项、“两张皮”提示、按提升幅度排列的改进事项，均附说明）", "parameters": id, "responses": ok("计划") } },
        "/api/v1/plans/{id}/status": { "post": { "summary": "计划状态：草稿 → 已部署 → 执行中 → 已总结（转为已总结时须附 summary 年度总结，至少 20 字）", "parameters": id, "requestBody": body(schemas::status()), "responses": ok("新状态") } },
        "/api/v1/plans/{id}/goals": { "post": { "summary": "新增业务目标（可带一个指标）", "parameters": id, "requestBody": body(schemas::goal()), "responses": ok("新目标") } },
        "/api/v1/plans/{id}/items": { "post": { "summary": "新增党建工作项", "parameters": id, "requestBody": body(schemas::item()), "responses": ok("新工作项") } },
        "/api/v1/plans/{id}/links": { "post": { "summary": "建立结合点", "parameters": id, "requestBody": body(schemas::link()), "responses": ok("新结合点") } },
        "/api/v1/plans/{id}/tasks": { "post": { "summary": "部署任务：牵头人、承办人（assignee_ids）、业务协同负责人、截止日期和里程碑", "parameters": id, "requestBody": task_body, "responses": ok("新任务") } },
        "/api/v1/kpis/{id}/values": { "post": { "summary": "业务系统推送指标月度实际值", "parameters": id, "requestBody": body(schemas::kpi_value()), "responses": ok("已记录，含完成度说明") } },
        "/api/v1/tasks/{id}": {
            "get": { "summary": "任务、承办人、里程碑（含是否逾期）、进度及其说明、进展记录", "parameters": id, "responses": ok("任务") },
            "put": { "summary": "修改任务：名称、来源（工作项、目标）、牵头人、承办人、业务协同负责人、截止日期（须在计划年度内）、里程碑。校验同部署任务；省略 assignee_ids 或 milestones 时保留原有的。修改写入审计日志。进度和状态通过 /updates 报告", "parameters": id, "requestBody": task_body, "responses": ok("修改后的任务") },
            "delete": { "summary": "删除尚无进展记录的任务；已有进展记录的任务不能删除（409，说明原因），可通过 /updates 改为已取消（cancelled）", "parameters": id, "responses": deleted }
        },
        "/api/v1/tasks/{id}/updates": { "post": { "summary": "报告任务进展（牵头人、承办人和计划编辑者）。有里程碑的任务报告进度 0 时按里程碑计算", "parameters": id, "requestBody": body(schemas::task_update()), "responses": ok("任务") } }
    });
    if let (Some(p), Value::Object(more)) = (
        paths.as_object_mut(),
        super::milestones::openapi_paths(&id, &ok("任务，含里程碑与进度")),
    ) {
        p.extend(more);
    }
    paths
}
