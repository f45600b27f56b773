//! Closing a plan (转为“已总结”) and reopening it. Closing asks for confirmation and the year's
//! summary, drafted from the plan's own figures for the secretary to edit, and says which KPI
//! actuals are still missing (the 待办 keeps reminding about them). Reopening is for the
//! committee above at any time, or the plan's editors within 30 days, with a reason; both are
//! audited.

use super::view::{self, PlanPicture};
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
use ronghe_core::plan::{PlanStatus, TaskStatus};
use ronghe_core::text::FieldErrors;
use ronghe_store::{PlanView, StoreError};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/plans/{id}/close", get(close_page).post(close_submit))
        .route("/plans/{id}/reopen", post(reopen))
}

#[derive(Template, WebTemplate)]
#[template(path = "plan_close.html")]
struct ClosePage {
    layout: Layout,
    v: PlanView,
    summary: String,
    errors: FieldErrors,
    /// KPIs whose actuals stop before the month now due: name, the month due, the last
    /// month entered.
    missing: Vec<(String, String, String)>,
    open_tasks: usize,
    reopen_days: i64,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CloseForm {
    summary: String,
}

/// A first draft of the summary from what the plan holds, every figure computed.
fn draft(v: &PlanView, p: &PlanPicture) -> String {
    let done = v
        .tasks
        .iter()
        .filter(|t| t.status() == TaskStatus::Done)
        .count();
    let mut s = format!(
        "{}年，{}围绕 {} 个业务目标安排了 {} 项党建工作，建立 {} 个结合点，部署任务 {} 项，已完成 {} 项。\n",
        v.plan.year,
        v.plan.org_name,
        v.goals.len(),
        v.items.len(),
        v.links.len(),
        v.tasks.len(),
        done
    );
    for g in &p.goals {
        for k in &g.kpis {
            let line = match (&k.latest, &k.progress) {
                (Some(l), Some(pr)) => format!(
                    "「{}」{}：{}（截至 {}）。\n",
                    g.goal.title, k.kpi.name, pr.explanation, l.month
                ),
                _ => format!("「{}」{}：尚无实际值。\n", g.goal.title, k.kpi.name),
            };
            s += &line;
        }
    }
    if !p.orphan_items.is_empty() {
        s += &format!(
            "存在的问题：{} 项党建工作未找到与业务的结合点。\n",
            p.orphan_items.len()
        );
    }
    s
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    typed: Option<String>,
    errors: FieldErrors,
) -> Result<ClosePage, AppError> {
    let v = state
        .store
        .plan_view_latest(&user.scope(Permission::EditPlans), id)
        .await?;
    if !user
        .scope(Permission::EditPlans)
        .sees_members_of(&v.plan.org_path)
    {
        return Err(AppError::NotFound);
    }
    let today = ronghe_store::today();
    let p = view::picture(&v, today);
    let year = v.plan.year as i32;
    let missing = p
        .goals
        .iter()
        .flat_map(|g| g.kpis.iter())
        .filter_map(|k| {
            let due = k.kpi.cadence().due_month(today, year)?;
            if k.latest.as_ref().is_some_and(|l| l.month >= due) {
                return None;
            }
            let last = k.latest.as_ref().map_or("尚未录入".to_string(), |l| {
                format!("最新为 {}", l.month)
            });
            Some((k.kpi.name.clone(), due, last))
        })
        .collect();
    let open_tasks = v
        .tasks
        .iter()
        .filter(|t| !matches!(t.status(), TaskStatus::Done | TaskStatus::Cancelled))
        .count();
    let summary = typed
        .or_else(|| v.plan.summary.clone())
        .unwrap_or_else(|| draft(&v, &p));
    Ok(ClosePage {
        layout: Layout::new(user, format!("总结 {}", v.plan.title), "/plans"),
        v,
        summary,
        errors,
        missing,
        open_tasks,
        reopen_days: ronghe_core::plan::REOPEN_DAYS,
    })
}

async fn close_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<ClosePage, AppError> {
    page(&state, &user, id, None, FieldErrors::new()).await
}

async fn close_submit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(f): Form<CloseForm>,
) -> Result<Response, AppError> {
    let result = state
        .store
        .plan_set_status(
            &user.actor(),
            &user.scope(Permission::EditPlans),
            id,
            PlanStatus::Summarized,
            Some(f.summary.clone()),
        )
        .await;
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/plans/{id}?saved=closed#top")).into_response()),
        Err(StoreError::Invalid(errors)) => Ok(page(&state, &user, id, Some(f.summary), errors)
            .await?
            .into_response()),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ReopenForm {
    reason: String,
}

async fn reopen(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(f): Form<ReopenForm>,
) -> Result<Response, AppError> {
    let result = state
        .store
        .plan_reopen(
            &user.actor(),
            &user.scope(Permission::EditPlans),
            id,
            &f.reason,
        )
        .await
        .map(|()| id);
    let forms = super::Forms {
        open: "reopen",
        ..super::Forms::default()
    };
    super::finish(&state, &user, id, result, "top", forms).await
}
