//! A task's page: its progress reports and the form to add one, with optional evidence.
//! The assignee may report on their own task; nothing asks for a photo or a location.
//!
//! Those who edit the plan may also correct a task (name, source, lead and co-assignees,
//! business co-owner, deadline, milestones: see [`super::task_edit`]) and delete one deployed
//! by mistake. A task somebody has reported on is a record of work and is not deleted: it can
//! be cancelled (已取消) instead.
//!
//! Milestones are marked done (or open again) from the task page by those who may report on
//! it, one button each; progress then follows them while no percentage was reported.

use super::task_edit::{edit_page, edit_submit};
use super::view::next_task_statuses;
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::pages::orgs::not_found_logged;
use crate::state::AppState;
use crate::view::Layout;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use ronghe_core::access::Permission;
use ronghe_core::plan::forms::TaskUpdateForm;
use ronghe_core::plan::{can_transition_task, transition_task, TaskProgress, TaskStatus};
use ronghe_core::text::FieldErrors;
use ronghe_store::{
    NewAttachment, Plan, StoreError, Task, TaskAssignee, TaskMilestone, TaskUpdate,
};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/tasks/{id}",
            get(show).post(update).layer(DefaultBodyLimit::max(
                ronghe_core::attachment::MAX_BYTES + 64 * 1024,
            )),
        )
        .route("/attachments/{id}", get(download))
        .route("/tasks/{id}/edit", get(edit_page).post(edit_submit))
        .route("/tasks/{id}/delete", get(delete_page).post(delete_submit))
        .route("/tasks/{id}/cancel", post(cancel))
        .route("/tasks/{id}/milestones/{mid}/done", post(milestone_done))
        .route("/tasks/{id}/milestones/{mid}/undo", post(milestone_undo))
}

/// A milestone as the task page shows it.
struct MilestoneLine {
    m: TaskMilestone,
    overdue: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "task.html")]
struct TaskPage {
    layout: Layout,
    task: Task,
    plan: Plan,
    updates: Vec<TaskUpdate>,
    overdue: bool,
    /// Co-assignees (承办人).
    assignees: Vec<TaskAssignee>,
    milestones: Vec<MilestoneLine>,
    overdue_milestones: usize,
    progress: TaskProgress,
    can_report: bool,
    statuses: Vec<(&'static str, &'static str)>,
    form: TaskUpdateForm,
    errors: FieldErrors,
    /// May correct or delete the task (edits the plan).
    can_edit: bool,
    /// "1" just corrected, "cancelled" just cancelled.
    saved: String,
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
    let can_report = state
        .store
        .task_may_report(
            &user.scope(Permission::EditPlans),
            user.account().member_id,
            &task,
            &plan,
        )
        .await?;
    let today = ronghe_store::today();
    let milestones: Vec<MilestoneLine> = state
        .store
        .task_milestones(id)
        .await?
        .into_iter()
        .map(|m| MilestoneLine {
            overdue: m.is_overdue(task.status(), today),
            m,
        })
        .collect();
    let done = milestones.iter().filter(|m| m.m.is_done()).count();
    let progress = task.progress(done, milestones.len());
    let form = form.unwrap_or_else(|| TaskUpdateForm {
        percent: task.percent.to_string(),
        status: task.status.clone(),
        note: String::new(),
    });
    let can_edit = user
        .scope(Permission::EditPlans)
        .sees_members_of(&plan.org_path);
    Ok(TaskPage {
        layout: Layout::new(user, task.title.clone(), "/plans"),
        can_edit,
        saved: String::new(),
        updates: state.store.task_updates(id).await?,
        overdue: task.is_overdue(today),
        assignees: state.store.task_assignees(id).await?,
        overdue_milestones: milestones.iter().filter(|m| m.overdue).count(),
        milestones,
        progress,
        statuses: next_task_statuses(task.status()),
        can_report,
        task,
        plan,
        form,
        errors,
    })
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
) -> Result<TaskPage, AppError> {
    let mut p = page(&state, &user, id, None, FieldErrors::new()).await?;
    p.saved = q.saved;
    Ok(p)
}

/// Reads the progress form: the text fields, and the file if one was chosen.
async fn read_form(
    mut m: Multipart,
) -> Result<(TaskUpdateForm, Option<(String, Vec<u8>)>), AppError> {
    let mut form = TaskUpdateForm::default();
    let mut file = None;
    let too_large = || {
        AppError::BadRequest(format!(
            "附件不能超过 {} MB",
            ronghe_core::attachment::MAX_BYTES / 1024 / 1024
        ))
    };
    while let Some(field) = m.next_field().await.map_err(|_| too_large())? {
        let name = field.name().unwrap_or("").to_string();
        match name.as_str() {
            "attachment" => {
                let filename = field.file_name().unwrap_or("").to_string();
                let bytes = field.bytes().await.map_err(|_| too_large())?;
                if !filename.is_empty() || !bytes.is_empty() {
                    file = Some((filename, bytes.to_vec()));
                }
            }
            "status" | "percent" | "note" => {
                let text = field
                    .text()
                    .await
                    .map_err(|_| AppError::BadRequest("表单内容无法读取".into()))?;
                match name.as_str() {
                    "status" => form.status = text,
                    "percent" => form.percent = text,
                    _ => form.note = text,
                }
            }
            _ => {}
        }
    }
    Ok((form, file))
}

async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    body: Multipart,
) -> Result<Response, AppError> {
    let view = user.scope(Permission::ViewOrgs);
    let (task, _) = state.store.task_get(&view, id).await?;
    let (form, file) = read_form(body).await?;
    let mut errors = match form.validate(task.status()) {
        Ok(_) => FieldErrors::new(),
        Err(e) => e,
    };
    let attachment = match file {
        Some((name, bytes)) => match NewAttachment::new(&name, bytes) {
            Ok(a) => Some(a),
            Err(m) => {
                errors.add("attachment", m);
                None
            }
        },
        None => None,
    };
    let result = match form.validate(task.status()) {
        Ok(u) if errors.is_empty() => {
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
                    attachment.as_ref(),
                )
                .await
        }
        _ => Err(StoreError::Invalid(errors)),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/tasks/{id}?saved=progress")).into_response()),
        Err(StoreError::Invalid(errors)) => Ok(page(&state, &user, id, Some(form), errors)
            .await?
            .into_response()),
        Err(e) => Err(e.into()),
    }
}

async fn download(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (a, bytes) = state
        .store
        .attachment_get(&user.actor(), &user.scope(Permission::ViewOrgs), id)
        .await?;
    let disposition = format!(
        "attachment; filename=\"attachment\"; filename*=UTF-8''{}",
        crate::auth::urlencode(&a.filename).replace('+', "%20")
    );
    Ok((
        [
            (header::CONTENT_TYPE, a.content_type.clone()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        bytes,
    )
        .into_response())
}

// ---------------------------------------------------------------------------------------------
// Correcting, deleting and cancelling.

/// The task and its plan, if the user may change them (those who edit the plan): 404 when the
/// task is not visible (logged when it exists), 403 (audited) when visible but not theirs to
/// change.
pub(super) async fn writable_task(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
) -> Result<(Task, Plan), AppError> {
    match crate::guard::task_for_edit(state, user, id).await {
        Ok(x) => Ok(x),
        Err(StoreError::NotFound) => Err(not_found_logged(state, user, "task", id).await),
        Err(e) => Err(e.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "task_delete.html")]
struct DeletePage {
    layout: Layout,
    task: Task,
    plan: Plan,
    /// Progress reports on the task; with any, it is not deleted.
    updates: i64,
    /// Why deleting is refused and what to do instead.
    refusal: Option<String>,
    /// Whether the task can move to 已取消 from where it stands.
    can_cancel: bool,
    note: String,
    errors: FieldErrors,
}

async fn delete_view(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    note: String,
    errors: FieldErrors,
) -> Result<DeletePage, AppError> {
    let (task, plan) = writable_task(state, user, id).await?;
    let updates = state.store.task_update_count(id).await?;
    Ok(DeletePage {
        layout: Layout::new(user, format!("删除任务：{}", task.title), "/plans"),
        refusal: task.delete_refusal(updates),
        can_cancel: can_transition_task(task.status(), TaskStatus::Cancelled),
        updates,
        task,
        plan,
        note,
        errors,
    })
}

async fn delete_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<DeletePage, AppError> {
    delete_view(&state, &user, id, String::new(), FieldErrors::new()).await
}

async fn delete_submit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (_, plan) = writable_task(&state, &user, id).await?;
    match state
        .store
        .task_delete(&user.actor(), &user.scope(Permission::EditPlans), id)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/plans/{}#tasks", plan.id)).into_response()),
        // Progress was reported: the page explains why and offers cancelling.
        Err(StoreError::Invalid(_)) => {
            Ok(
                delete_view(&state, &user, id, String::new(), FieldErrors::new())
                    .await?
                    .into_response(),
            )
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CancelForm {
    note: String,
}

/// Sets a task to 已取消, recorded as a progress report with the reason given (if any), so
/// its history stays complete.
async fn cancel(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(f): Form<CancelForm>,
) -> Result<Response, AppError> {
    let (task, _) = writable_task(&state, &user, id).await?;
    let note = match f.note.trim() {
        "" => "取消任务".to_string(),
        r => format!("取消任务：{r}"),
    };
    let form = TaskUpdateForm {
        percent: task.percent.to_string(),
        status: TaskStatus::Cancelled.code().to_string(),
        note,
    };
    let write = user.scope(Permission::EditPlans);
    // A progress report may keep the status it has; cancelling must change it (a second
    // click on 取消 is not a new cancellation).
    let result = match transition_task(task.status(), TaskStatus::Cancelled)
        .map_err(|m| {
            let mut e = FieldErrors::new();
            e.add("note", m);
            e
        })
        .and_then(|_| form.validate(task.status()))
    {
        Ok(u) => {
            state
                .store
                .task_update(&user.actor(), &write, &write, None, id, &u, None)
                .await
        }
        Err(e) => Err(StoreError::Invalid(e)),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/tasks/{id}?saved=cancelled")).into_response()),
        Err(StoreError::Invalid(mut errors)) => {
            // The reason box is named "note" on both forms; a status refusal is shown there too.
            if let Some(e) = errors.0.iter_mut().find(|e| e.field == "status") {
                e.field = "note".into();
            }
            Ok(delete_view(&state, &user, id, f.note, errors)
                .await?
                .into_response())
        }
        Err(e) => Err(e.into()),
    }
}

// ---------------------------------------------------------------------------------------------
// Milestones.

async fn milestone_done(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, mid)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    set_milestone(&state, &user, id, mid, Some(ronghe_store::today())).await
}

async fn milestone_undo(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, mid)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    set_milestone(&state, &user, id, mid, None).await
}

/// Marks a milestone done today (or open again), for those who may report on the task: 404
/// when the task or milestone is not visible, 403 (audited) for others.
async fn set_milestone(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    mid: i64,
    done_on: Option<ronghe_core::Date>,
) -> Result<Response, AppError> {
    let result = state
        .store
        .milestone_set_done(
            &user.actor(),
            &user.scope(Permission::EditPlans),
            &user.scope(Permission::ViewOrgs),
            user.account().member_id,
            id,
            mid,
            done_on,
        )
        .await;
    match result {
        Ok(_) => {
            Ok(Redirect::to(&format!("/tasks/{id}?saved=milestone#milestones")).into_response())
        }
        Err(StoreError::NotFound) => Err(not_found_logged(state, user, "task", id).await),
        Err(StoreError::Forbidden) => {
            state
                .store
                .audit_event(
                    &user.actor(),
                    "denied",
                    &format!("task:{id}"),
                    "denied",
                    "无权标记该任务的里程碑",
                )
                .await;
            Err(AppError::Forbidden)
        }
        Err(StoreError::Invalid(errors)) => {
            Ok(page(state, user, id, None, errors).await?.into_response())
        }
        Err(e) => Err(e.into()),
    }
}
