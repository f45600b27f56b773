//! A task's page: its progress reports and the form to add one. The assignee may report on
//! their own task; nothing asks for a photo or a location.

use super::view::next_task_statuses;
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::pages::orgs::not_found_logged;
use crate::state::AppState;
use crate::view::Layout;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use ronghe_core::access::Permission;
use ronghe_core::plan::forms::TaskUpdateForm;
use ronghe_core::text::FieldErrors;
use ronghe_store::{Plan, StoreError, Task, TaskUpdate};

pub fn router() -> Router<AppState> {
    Router::new().route("/tasks/{id}", get(show).post(update))
}

#[derive(Template, WebTemplate)]
#[template(path = "task.html")]
struct TaskPage {
    layout: Layout,
    task: Task,
    plan: Plan,
    updates: Vec<TaskUpdate>,
    overdue: bool,
    can_report: bool,
    statuses: Vec<(&'static str, &'static str)>,
    form: TaskUpdateForm,
    errors: FieldErrors,
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    form: Option<TaskUpdateForm>,
    errors: FieldErrors,
) -> Result<TaskPage, AppError> {
    let (task, plan) = match state
        .store
        .task_get(&user.scope(Permission::ViewOrgs), id)
        .await
    {
        Ok(x) => x,
        Err(StoreError::NotFound) => return Err(not_found_logged(state, user, "task", id).await),
        Err(e) => return Err(e.into()),
    };
    let can_report = user
        .scope(Permission::EditPlans)
        .sees_members_of(&plan.org_path)
        || (user.account().member_id.is_some()
            && user.account().member_id == task.assignee_member_id);
    let form = form.unwrap_or_else(|| TaskUpdateForm {
        percent: task.percent.to_string(),
        status: task.status.clone(),
        note: String::new(),
    });
    Ok(TaskPage {
        layout: Layout::new(user, task.title.clone(), "/plans"),
        updates: state.store.task_updates(id).await?,
        overdue: task.is_overdue(ronghe_store::today()),
        statuses: next_task_statuses(task.status()),
        can_report,
        task,
        plan,
        form,
        errors,
    })
}

async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<TaskPage, AppError> {
    page(&state, &user, id, None, FieldErrors::new()).await
}

async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(form): Form<TaskUpdateForm>,
) -> Result<Response, AppError> {
    let view = user.scope(Permission::ViewOrgs);
    let (task, _) = state.store.task_get(&view, id).await?;
    let result = match form.validate(task.status()) {
        Ok(u) => {
            let write = user.scope(Permission::EditPlans);
            state
                .store
                .task_update(
                    &user.actor(),
                    &write,
                    &view,
                    user.account().member_id,
                    id,
                    &u,
                    None,
                )
                .await
        }
        Err(e) => Err(StoreError::Invalid(e)),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/tasks/{id}")).into_response()),
        Err(StoreError::Invalid(errors)) => Ok(page(&state, &user, id, Some(form), errors)
            .await?
            .into_response()),
        Err(e) => Err(e.into()),
    }
}
