//! The task form as the pages post it (deploying on the plan page, correcting on its own
//! page): the lead, the co-assignees (承办人) ticked on the organization's roster like the
//! attendees of a meeting, and the milestones typed one per line.

use super::tasks::writable_task;
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::state::AppState;
use crate::view::Layout;
use askama::Template;
use askama_web::WebTemplate;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use ronghe_core::access::Permission;
use ronghe_core::plan::forms::TaskForm;
use ronghe_core::plan::milestone::format_milestones;
use ronghe_core::text::FieldErrors;
use ronghe_store::{Plan, StoreError, Task};
use std::collections::HashSet;

/// Reads a posted task form. Co-assignees are repeated `assignee_ids` keys, which axum's
/// `Form` cannot collect, so the pairs are read in order; other keys (the CSRF token) are
/// ignored.
pub fn read_task_form(body: &[u8]) -> Result<TaskForm, AppError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body)
        .map_err(|_| AppError::BadRequest("提交的内容格式有误，请返回重新填写。".into()))?;
    let mut f = TaskForm::default();
    for (k, v) in pairs {
        match k.as_str() {
            "title" => f.title = v,
            "item_id" => f.item_id = v,
            "goal_id" => f.goal_id = v,
            "assignee_member_id" => f.assignee_member_id = v,
            "assignee_ids" => f.assignee_ids.push(v),
            "business_owner" => f.business_owner = v,
            "deadline" => f.deadline = v,
            "milestones" => f.milestones = v,
            _ => {}
        }
    }
    Ok(f)
}

/// One person on the co-assignee picker.
pub struct PersonChoice {
    pub id: String,
    pub name: String,
    pub ticked: bool,
}

/// The picker: `people` as (id, name), ticked as in `form`.
pub fn choices(people: &[(String, String)], form: &TaskForm) -> Vec<PersonChoice> {
    let ticked: HashSet<&str> = form.assignee_ids.iter().map(|s| s.trim()).collect();
    people
        .iter()
        .map(|(id, name)| PersonChoice {
            ticked: ticked.contains(id.as_str()),
            id: id.clone(),
            name: name.clone(),
        })
        .collect()
}

#[derive(Template, WebTemplate)]
#[template(path = "task_edit.html")]
pub(super) struct EditPage {
    layout: Layout,
    task: Task,
    plan: Plan,
    form: TaskForm,
    errors: FieldErrors,
    /// (id, title) of the plan's Party work items and business goals.
    items: Vec<(String, String)>,
    goals: Vec<(String, String)>,
    /// (id, name) of those who may lead it.
    people: Vec<(String, String)>,
    /// The co-assignee picker.
    co: Vec<PersonChoice>,
}

async fn edit_form(
    state: &AppState,
    user: &CurrentUser,
    task: Task,
    plan: Plan,
    form: TaskForm,
    errors: FieldErrors,
) -> Result<EditPage, AppError> {
    let v = state
        .store
        .plan_view(&user.scope(Permission::ViewOrgs), plan.id)
        .await?;
    let mut people: Vec<(String, String)> = state
        .store
        .member_roster(&user.scope(Permission::ViewMembers), plan.org_id)
        .await?
        .into_iter()
        .map(|m| (m.id.to_string(), m.name))
        .collect();
    // Those on the task stay choosable even if no longer on this roster.
    let on_task = task
        .assignee_member_id
        .zip(task.assignee_name.clone())
        .into_iter()
        .chain(
            v.assignees
                .iter()
                .filter(|a| a.task_id == task.id)
                .map(|a| (a.member_id, a.name.clone())),
        );
    for (id, name) in on_task {
        let id = id.to_string();
        if !people.iter().any(|(p, _)| *p == id) {
            people.insert(0, (id, name));
        }
    }
    Ok(EditPage {
        layout: Layout::new(user, format!("修改任务：{}", task.title), "/plans"),
        items: v
            .items
            .iter()
            .map(|i| (i.id.to_string(), i.title.clone()))
            .collect(),
        goals: v
            .goals
            .iter()
            .map(|g| (g.id.to_string(), g.title.clone()))
            .collect(),
        co: choices(&people, &form),
        people,
        task,
        plan,
        form,
        errors,
    })
}

fn id_text(id: Option<i64>) -> String {
    id.map(|i| i.to_string()).unwrap_or_default()
}

pub(super) async fn edit_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<EditPage, AppError> {
    let (task, plan) = writable_task(&state, &user, id).await?;
    let milestones = state.store.task_milestones(id).await?;
    let form = TaskForm {
        title: task.title.clone(),
        item_id: id_text(task.item_id),
        goal_id: id_text(task.goal_id),
        assignee_member_id: id_text(task.assignee_member_id),
        assignee_ids: state
            .store
            .task_assignees(id)
            .await?
            .iter()
            .map(|a| a.member_id.to_string())
            .collect(),
        business_owner: task.business_owner.clone().unwrap_or_default(),
        deadline: task.deadline.clone(),
        milestones: format_milestones(
            milestones
                .iter()
                .map(|m| (m.due_on.as_str(), m.title.as_str())),
        ),
    };
    edit_form(&state, &user, task, plan, form, FieldErrors::new()).await
}

pub(super) async fn edit_submit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, AppError> {
    let (task, plan) = writable_task(&state, &user, id).await?;
    let form = read_task_form(&body)?;
    let result = match form.validate(plan.period()) {
        Ok(t) => state
            .store
            .task_edit(&user.actor(), &user.scope(Permission::EditPlans), id, &t)
            .await
            .map(|_| ()),
        Err(e) => Err(StoreError::Invalid(e)),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/tasks/{id}?saved=1")).into_response()),
        Err(StoreError::Invalid(errors)) => Ok(edit_form(&state, &user, task, plan, form, errors)
            .await?
            .into_response()),
        Err(e) => Err(e.into()),
    }
}
