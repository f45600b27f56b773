//! Plans: the list, the plan page ("one picture" of business goals and the Party work serving
//! them), and the forms that add goals, KPIs, items, links and tasks.

mod close;
mod glance;
pub(crate) mod integration;
pub mod kpi;
mod task_edit;
mod tasks;
pub mod view;

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
use axum::routing::{get, post};
use axum::{Form, Router};
use ronghe_core::access::Permission;
use ronghe_core::plan::forms::{
    parse_month, GoalForm, ItemForm, KpiValueForm, LinkForm, PlanForm, TaskForm,
};
use ronghe_core::plan::{Accumulation, Cadence, Direction, LinkKind, PartyItemKind, PlanStatus};
use ronghe_core::text::FieldErrors;
use ronghe_store::{MemberName, Org, Plan, PlanView, StoreError};
use serde::Deserialize;
use view::PlanPicture;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/plans", get(list).post(create))
        .route("/plans/{id}", get(show))
        .route("/plans/{id}/goals", post(add_goal))
        .route("/plans/{id}/items", post(add_item))
        .route("/plans/{id}/links", post(add_link))
        .route("/plans/{id}/tasks", post(add_task))
        .route("/plans/{id}/status", post(set_status))
        .merge(close::router())
        .merge(kpi::router())
        .route("/plans/{id}/copy", post(copy))
        .route("/kpis/{id}/values", post(add_value))
        .merge(tasks::router())
        .merge(glance::router())
}

#[derive(Template, WebTemplate)]
#[template(path = "plans.html")]
struct ListPage {
    layout: Layout,
    plans: Vec<Plan>,
    year: i64,
    orgs: Vec<Org>,
    form: PlanForm,
    errors: FieldErrors,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct YearQuery {
    #[serde(deserialize_with = "ronghe_store::lenient_number")]
    year: Option<i64>,
}

fn this_year() -> i64 {
    i64::from(chrono::Datelike::year(&ronghe_store::today()))
}

async fn list_page(
    state: &AppState,
    user: &CurrentUser,
    year: i64,
    form: PlanForm,
    errors: FieldErrors,
) -> Result<ListPage, AppError> {
    let plans = state
        .store
        .plan_list(&user.scope(Permission::ViewOrgs), Some(year), None)
        .await?;
    let write = user.scope(Permission::EditPlans);
    let orgs = if write.is_empty() {
        Vec::new()
    } else {
        state.store.org_search(&write, "", 300).await?
    };
    Ok(ListPage {
        layout: Layout::new(user, "工作计划", "/plans"),
        plans,
        year,
        orgs,
        form,
        errors,
    })
}

async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<YearQuery>,
) -> Result<ListPage, AppError> {
    let year = q.year.unwrap_or_else(this_year);
    let form = PlanForm {
        year: year.to_string(),
        ..PlanForm::default()
    };
    list_page(&state, &user, year, form, FieldErrors::new()).await
}

async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<PlanForm>,
) -> Result<Response, AppError> {
    let scope = user.scope(Permission::EditPlans);
    if scope.is_empty() {
        return Err(AppError::Forbidden);
    }
    let result = match form.validate() {
        Ok(p) => state.store.plan_create(&user.actor(), &scope, &p).await,
        Err(e) => Err(StoreError::Invalid(e)),
    };
    match result {
        Ok(id) => Ok(Redirect::to(&format!("/plans/{id}")).into_response()),
        Err(StoreError::Invalid(e)) => {
            let year = form.year.trim().parse().unwrap_or_else(|_| this_year());
            Ok(list_page(&state, &user, year, form, e)
                .await?
                .into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// Forms on the plan page, with what was typed and the errors of the one submitted.
#[derive(Default)]
pub(super) struct Forms {
    open: &'static str,
    goal: GoalForm,
    item: ItemForm,
    link: LinkForm,
    task: TaskForm,
    value: KpiValueForm,
    value_kpi: i64,
    errors: FieldErrors,
}

#[derive(Template, WebTemplate)]
#[template(path = "plan.html")]
struct PlanPage {
    layout: Layout,
    v: PlanView,
    p: PlanPicture,
    f: Forms,
    can_edit: bool,
    can_goals: bool,
    roster: Vec<MemberName>,
    /// The co-assignee picker of the task form.
    co: Vec<task_edit::PersonChoice>,
    item_kinds: Vec<(&'static str, &'static str)>,
    link_kinds: Vec<(&'static str, &'static str, &'static str)>,
    directions: Vec<(&'static str, &'static str)>,
    next_status: Option<(&'static str, &'static str)>,
    can_withdraw: bool,
    accumulations: Vec<(&'static str, &'static str)>,
    cadences: Vec<(&'static str, &'static str)>,
    saved: Option<&'static str>,
    /// For a closed plan: whether this user may reopen it, and until when its own editors may.
    can_reopen: bool,
    reopen_until: Option<ronghe_core::Date>,
    /// 融合度 of the plan's organization for the plan's year.
    index: integration::IndexView,
}

async fn plan_page(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    f: Forms,
) -> Result<PlanPage, AppError> {
    let v = match state
        .store
        .plan_view_latest(&user.scope(Permission::ViewOrgs), id)
        .await
    {
        Ok(v) => v,
        Err(StoreError::NotFound) => return Err(not_found_logged(state, user, "plan", id).await),
        Err(e) => return Err(e.into()),
    };
    let today = ronghe_store::today();
    let can_edit = user
        .scope(Permission::EditPlans)
        .sees_members_of(&v.plan.org_path);
    let can_goals = user
        .scope(Permission::EditGoals)
        .sees_members_of(&v.plan.org_path);
    let roster = if can_edit {
        state
            .store
            .roster_names(&user.scope(Permission::ViewMembers), v.plan.org_id)
            .await?
    } else {
        Vec::new()
    };
    let unit = v.plan.unit();
    let status = v.plan.status();
    let people: Vec<(String, String)> = roster
        .iter()
        .map(|m| (m.id.to_string(), m.name.clone()))
        .collect();
    let p = view::picture(&v, today);
    let index = integration::index_of(state, &v, today).await?;
    Ok(PlanPage {
        co: task_edit::choices(&people, &f.task),
        layout: Layout::new(user, v.plan.title.clone(), "/plans"),
        p,
        index,
        f,
        can_edit,
        can_goals,
        roster,
        item_kinds: PartyItemKind::ALL
            .iter()
            .map(|k| (k.code(), k.label()))
            .collect(),
        link_kinds: LinkKind::ALL
            .iter()
            .map(|k| (k.code(), k.label_for(unit), k.hint_for(unit)))
            .collect(),
        directions: vec![
            ("higher_better", Direction::HigherBetter.label()),
            ("lower_better", Direction::LowerBetter.label()),
            ("within_range", "保持在区间内"),
        ],
        next_status: status.next().map(|s| (s.code(), s.label())),
        can_withdraw: status == PlanStatus::Deployed,
        accumulations: Accumulation::ALL
            .iter()
            .map(|a| (a.code(), a.label()))
            .collect(),
        cadences: Cadence::ALL.iter().map(|c| (c.code(), c.label())).collect(),
        saved: None,
        can_reopen: status == PlanStatus::Summarized && may_reopen(user, &v.plan, today),
        reopen_until: v.plan.closed_on().map(ronghe_core::plan::reopen_until),
        v,
    })
}

/// What a link to a plan page may say: the month a KPI value is for (from a 待办 line), and
/// which form just saved.
#[derive(Deserialize, Default)]
struct ShowQuery {
    #[serde(default)]
    month: String,
    #[serde(default)]
    saved: String,
}

async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Query(q): Query<ShowQuery>,
) -> Result<PlanPage, AppError> {
    let mut page = plan_page(&state, &user, id, Forms::default()).await?;
    // The month a 待办 link asks for, on the KPIs whose cadence reports in it.
    if let Ok(month) = parse_month(&q.month, page.v.plan.period()) {
        let m = ronghe_core::plan::kpi_rhythm::month_of(&month).unwrap_or(0);
        for k in page.p.goals.iter_mut().flat_map(|g| g.kpis.iter_mut()) {
            if k.kpi.cadence().reports_in(m) {
                k.entry_month = month.clone();
            }
        }
    }
    page.saved = saved_label(&q.saved);
    Ok(page)
}

/// The confirmation shown after a save on the plan page ("已保存"), by the form that saved.
fn saved_label(code: &str) -> Option<&'static str> {
    Some(match code {
        "value" => "指标实际值已保存",
        "goal" => "业务目标已保存",
        "item" => "党建工作项已保存",
        "link" => "结合点已保存",
        "task" => "任务已部署",
        "status" => "计划状态已更新",
        "closed" => "计划已转为“已总结”",
        "reopen" => "计划已重新打开，回到“执行中”",
        "" => return None,
        _ => "已保存",
    })
}

/// Runs a write and either goes back to the plan or shows the page again with the errors.
pub(super) async fn finish(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    result: Result<i64, StoreError>,
    anchor: &str,
    forms: Forms,
) -> Result<Response, AppError> {
    match result {
        Ok(_) => {
            let saved = if forms.open.is_empty() {
                "status"
            } else {
                forms.open
            };
            Ok(Redirect::to(&format!("/plans/{id}?saved={saved}#{anchor}")).into_response())
        }
        Err(StoreError::Invalid(errors)) => {
            Ok(plan_page(state, user, id, Forms { errors, ..forms })
                .await?
                .into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// Whether `user` may reopen the closed `plan` today: the committee above always, its own
/// editors within the window (the store checks again).
fn may_reopen(user: &CurrentUser, plan: &Plan, today: ronghe_core::Date) -> bool {
    plan.reopener(&user.scope(Permission::EditPlans))
        .is_some_and(|who| ronghe_core::plan::can_reopen(plan.closed_on(), today, who).is_ok())
}

async fn visible_plan(state: &AppState, user: &CurrentUser, id: i64) -> Result<Plan, AppError> {
    Ok(state
        .store
        .plan_get(&user.scope(Permission::ViewOrgs), id)
        .await?)
}

async fn add_goal(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(form): Form<GoalForm>,
) -> Result<Response, AppError> {
    let result = match form.validate() {
        Ok(g) => {
            state
                .store
                .goal_create(&user.actor(), &user.scope(Permission::EditGoals), id, &g)
                .await
        }
        Err(e) => Err(StoreError::Invalid(e)),
    };
    finish(
        &state,
        &user,
        id,
        result,
        "goals",
        Forms {
            open: "goal",
            goal: form,
            ..Forms::default()
        },
    )
    .await
}

async fn add_item(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(form): Form<ItemForm>,
) -> Result<Response, AppError> {
    let plan = visible_plan(&state, &user, id).await?;
    let result = match form.validate(plan.period()) {
        Ok(i) => {
            state
                .store
                .item_create(&user.actor(), &user.scope(Permission::EditPlans), id, &i)
                .await
        }
        Err(e) => Err(StoreError::Invalid(e)),
    };
    finish(
        &state,
        &user,
        id,
        result,
        "items",
        Forms {
            open: "item",
            item: form,
            ..Forms::default()
        },
    )
    .await
}

async fn add_link(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(form): Form<LinkForm>,
) -> Result<Response, AppError> {
    let result = match form.validate() {
        Ok(l) => {
            state
                .store
                .link_create(&user.actor(), &user.scope(Permission::EditPlans), id, &l)
                .await
        }
        Err(e) => Err(StoreError::Invalid(e)),
    };
    finish(
        &state,
        &user,
        id,
        result,
        "picture",
        Forms {
            open: "link",
            link: form,
            ..Forms::default()
        },
    )
    .await
}

async fn add_task(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, AppError> {
    let plan = visible_plan(&state, &user, id).await?;
    let form: TaskForm = task_edit::read_task_form(&body)?;
    let result = match form.validate(plan.period()) {
        Ok(t) => {
            state
                .store
                .task_create(&user.actor(), &user.scope(Permission::EditPlans), id, &t)
                .await
        }
        Err(e) => Err(StoreError::Invalid(e)),
    };
    finish(
        &state,
        &user,
        id,
        result,
        "tasks",
        Forms {
            open: "task",
            task: form,
            ..Forms::default()
        },
    )
    .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct StatusForm {
    status: String,
}

async fn set_status(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(f): Form<StatusForm>,
) -> Result<Response, AppError> {
    let to = PlanStatus::from_code(&f.status)
        .ok_or_else(|| AppError::BadRequest("未知的计划状态".into()))?;
    let result = state
        .store
        .plan_set_status(
            &user.actor(),
            &user.scope(Permission::EditPlans),
            id,
            to,
            None,
        )
        .await
        .map(|_| id);
    finish(&state, &user, id, result, "top", Forms::default()).await
}

async fn copy(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    match state
        .store
        .plan_copy_to_next_year(&user.actor(), &user.scope(Permission::EditPlans), id)
        .await
    {
        Ok(new_id) => Ok(Redirect::to(&format!("/plans/{new_id}")).into_response()),
        Err(StoreError::Invalid(errors)) => Ok(plan_page(
            &state,
            &user,
            id,
            Forms {
                errors,
                ..Forms::default()
            },
        )
        .await?
        .into_response()),
        Err(e) => Err(e.into()),
    }
}

async fn add_value(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(kpi_id): Path<i64>,
    Form(form): Form<KpiValueForm>,
) -> Result<Response, AppError> {
    let scope = user.scope(Permission::EditGoals);
    let (kpi, plan) = state
        .store
        .kpi_get(&user.scope(Permission::ViewOrgs), kpi_id)
        .await?;
    let result = match form.validate(&kpi.kpi(), plan.period()) {
        Ok((month, value)) => state
            .store
            .kpi_value_set(&user.actor(), &scope, kpi_id, &month, value, "页面")
            .await
            .map(|_| plan.id),
        Err(e) => Err(StoreError::Invalid(e)),
    };
    finish(
        &state,
        &user,
        plan.id,
        result,
        &format!("kpi-{kpi_id}"),
        Forms {
            open: "value",
            value: form,
            value_kpi: kpi_id,
            ..Forms::default()
        },
    )
    .await
}
