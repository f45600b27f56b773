//! A task's page: its progress reports and the form to add one, with optional evidence.
//! The assignee may report on their own task; nothing asks for a photo or a location.

use super::view::next_task_statuses;
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::pages::orgs::not_found_logged;
use crate::state::AppState;
use crate::view::Layout;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use ronghe_core::access::Permission;
use ronghe_core::plan::forms::TaskUpdateForm;
use ronghe_core::text::FieldErrors;
use ronghe_store::{NewAttachment, Plan, StoreError, Task, TaskUpdate};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/tasks/{id}",
            get(show).post(update).layer(DefaultBodyLimit::max(
                ronghe_core::attachment::MAX_BYTES + 64 * 1024,
            )),
        )
        .route("/attachments/{id}", get(download))
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
        Ok(()) => Ok(Redirect::to(&format!("/tasks/{id}")).into_response()),
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
