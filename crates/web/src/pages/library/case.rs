//! A case's page, laid out like the document sites secretaries know (organization, authors,
//! number, time, format, pages, size; a paged preview; 下载; 相关; 举报; related searches; a
//! category path), with the workflow's buttons for those who may press them.

use super::{Reader, UPLOAD_MAX};
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::library_search::readers_of;
use crate::state::AppState;
use crate::view::Layout;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use ronghe_core::access::Permission;
use ronghe_core::library::{reviewing_org, CaseAction, CaseStatus, Reach};
use ronghe_core::scope::Scope;
use ronghe_core::text::FieldErrors;
use ronghe_search::Hit;
use ronghe_store::{Case, CaseEvent, CaseFile, Org, StoreError};
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "library_case.html")]
pub(super) struct CasePage {
    layout: Layout,
    case: Case,
    authors: Vec<String>,
    brand: Option<(i64, String)>,
    goals: Vec<String>,
    items: Vec<String>,
    /// 格式 and 大小 as the seed's page shows them.
    format: &'static str,
    size: String,
    at: usize,
    pages: usize,
    page_html: String,
    related: Vec<Hit>,
    terms: Vec<String>,
    /// The author organization (or a committee above): the steps and the reviewer's words.
    insider: bool,
    can_write: bool,
    /// The committee that would review, publish or take it down, if the reader is one.
    reviewer: Option<Org>,
    events: Vec<CaseEvent>,
    files: Vec<CaseFile>,
    reports: Vec<(String, String, i64)>,
    form: ActForm,
    errors: FieldErrors,
    done: String,
    reaches: Vec<(&'static str, &'static str)>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct ShowQuery {
    page: usize,
    done: String,
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub(super) struct ActForm {
    pub reach: String,
    pub comment: String,
    pub reason: String,
    pub note: String,
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    at: usize,
    form: ActForm,
    errors: FieldErrors,
    done: String,
) -> Result<CasePage, AppError> {
    let reader = Reader::of(user);
    let case = state.store.case_get(&reader.ctx(), id).await?;
    let everything = Scope::everything();
    let org = state.store.org_get(&everything, case.org_id).await?;
    let choices = state.store.case_choices(&org).await?;
    let authors = choices
        .members
        .iter()
        .filter(|m| case.author_ids.contains(&m.0))
        .map(|m| m.1.clone())
        .collect();
    let brand = choices
        .brands
        .iter()
        .find(|b| Some(b.0) == case.brand_id)
        .cloned();
    let goals = choices
        .goals
        .iter()
        .filter(|g| case.goal_ids.contains(&g.0))
        .map(|g| format!("{}（{} 年计划）", g.1, g.2))
        .collect();
    let items = choices
        .items
        .iter()
        .filter(|i| case.item_ids.contains(&i.0))
        .map(|i| format!("{}（{} 年计划）", i.1, i.2))
        .collect();
    let pages = case.preview.len().max(1);
    let at = at.clamp(1, pages);
    let page_html = case.preview.get(at - 1).cloned().unwrap_or_default();
    let (format, size) = match &case.original {
        Some((_, _, bytes)) => ("DOCX", super::size_label(bytes)),
        None => ("在线撰写", super::size_label(&(case.body.len() as i64))),
    };
    let (related, terms) = if case.status == CaseStatus::Published {
        let readers = readers_of(&reader.ctx());
        state
            .library
            .run(move |ix| {
                (
                    ix.related(id, &readers, 6).unwrap_or_default(),
                    ix.key_terms(id, 6).unwrap_or_default(),
                )
            })
            .await
            .map_err(AppError::Internal)?
    } else {
        (Vec::new(), Vec::new())
    };
    let insider = reader.scope.sees_org(&case.org_path);
    let can_write = user.scope(Permission::WriteCases).sees_org(&case.org_path);
    let reviewer = match reviewing_org(&user.scope(Permission::ReviewCases), &case.org_path) {
        Some(r) => Some(state.store.org_get(&everything, r).await?),
        None => None,
    };
    let (events, reports) = if insider {
        (
            state.store.case_events(&case).await?,
            if reviewer.is_some() {
                state.store.case_reports_open(&case).await?
            } else {
                Vec::new()
            },
        )
    } else {
        (Vec::new(), Vec::new())
    };
    let files = state.store.case_files(&case).await?;
    Ok(CasePage {
        layout: Layout::new(user, case.title.clone(), "/library"),
        files,
        authors,
        brand,
        goals,
        items,
        format,
        size,
        at,
        pages,
        page_html,
        related,
        terms,
        insider,
        can_write,
        reviewer,
        events,
        reports,
        form,
        errors,
        done,
        reaches: [Reach::Subtree, Reach::All]
            .iter()
            .map(|r| (r.code(), r.label()))
            .collect(),
        case,
    })
}

pub(super) async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Query(q): Query<ShowQuery>,
) -> Result<CasePage, AppError> {
    page(
        &state,
        &user,
        id,
        q.page.max(1),
        ActForm::default(),
        FieldErrors::new(),
        q.done,
    )
    .await
}

/// A step of the workflow, a report, or a report found unfounded.
pub(super) async fn act(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, action)): Path<(i64, String)>,
    Form(form): Form<ActForm>,
) -> Result<Response, AppError> {
    let reader = Reader::of(&user);
    let case = state.store.case_get(&reader.ctx(), id).await?;
    let actor = user.actor();
    let everything = Scope::everything();
    let review_scope = user.scope(Permission::ReviewCases);
    let step = match action.as_str() {
        "submit" => Some(CaseAction::Submit),
        "publish" => match Reach::from_code(form.reach.trim()) {
            Some(r) => Some(CaseAction::Publish(r)),
            None => {
                let mut e = FieldErrors::new();
                e.add("reach", "请选择发布范围");
                return rerender(&state, &user, id, form, e).await;
            }
        },
        "return" => Some(CaseAction::Return {
            comment: form.comment.clone(),
        }),
        "takedown" => Some(CaseAction::TakeDown {
            reason: form.reason.clone(),
        }),
        "report" | "dismiss" => None,
        _ => return Err(AppError::NotFound),
    };
    let result = match (&step, action.as_str()) {
        (Some(s), _) => {
            let (scope, by) = if s.by_reviewer() {
                super::super::require(&state, &user, Permission::ReviewCases, "case_review")
                    .await?;
                let by = reviewing_org(&review_scope, &case.org_path).ok_or(AppError::Forbidden)?;
                (review_scope.clone(), by)
            } else {
                super::super::require(&state, &user, Permission::WriteCases, "case_submit").await?;
                (user.scope(Permission::WriteCases), case.org_id)
            };
            let by = state.store.org_get(&everything, by).await?;
            state
                .store
                .case_act(&actor, &scope, &case, &by, s)
                .await
                .map(|_| ())
        }
        (None, "report") => state.store.case_report(&actor, &case, &form.reason).await,
        (None, _) => state
            .store
            .case_reports_dismiss(&actor, &review_scope, &case, &form.note)
            .await
            .map(|_| ()),
    };
    match result {
        Ok(()) => {
            state.library_changed().await;
            Ok(Redirect::to(&format!("/library/cases/{id}?done={action}")).into_response())
        }
        Err(StoreError::Invalid(e)) => rerender(&state, &user, id, form, e).await,
        Err(e) => Err(e.into()),
    }
}

async fn rerender(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    form: ActForm,
    errors: FieldErrors,
) -> Result<Response, AppError> {
    Ok(page(state, user, id, 1, form, errors, String::new())
        .await?
        .into_response())
}

/// The original Word document, for whoever may open the case; the download is audited.
pub(super) async fn download(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let reader = Reader::of(&user);
    let case = state.store.case_get(&reader.ctx(), id).await?;
    let (a, bytes) = state.store.case_original(&user.actor(), &case).await?;
    debug_assert!(bytes.len() <= UPLOAD_MAX);
    Ok(send(&a, bytes))
}

/// The author organization adds an attachment (PDF, Word, Excel, a picture) while the case can
/// still change.
pub(super) async fn attach(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    mut body: Multipart,
) -> Result<Response, AppError> {
    super::super::require(&state, &user, Permission::WriteCases, "case_attach").await?;
    let reader = Reader::of(&user);
    let case = state.store.case_get(&reader.ctx(), id).await?;
    let too_large = format!(
        "附件不能超过 {} MB",
        ronghe_core::attachment::MAX_BYTES / 1024 / 1024
    );
    let mut file = None;
    let mut refused = None;
    loop {
        match body.next_field().await {
            Ok(Some(f)) if f.name() == Some("attachment") => {
                let name = f.file_name().unwrap_or("").to_string();
                match f.bytes().await {
                    Ok(b) if !b.is_empty() => file = Some((name, b.to_vec())),
                    Ok(_) => {}
                    Err(_) => {
                        refused = Some(too_large.clone());
                        break;
                    }
                }
            }
            Ok(Some(_)) => {}
            Ok(None) => break,
            Err(_) => {
                refused = Some(too_large.clone());
                break;
            }
        }
    }
    let mut errors = FieldErrors::new();
    let result = match (refused, file) {
        (Some(m), _) => Err(m),
        (None, None) => Err("请选择要添加的文件".to_string()),
        (None, Some((name, bytes))) => super::write::read_attachment(&name, bytes).await,
    };
    match result {
        Ok((f, text)) => match state
            .store
            .case_attach(
                &user.actor(),
                &user.scope(Permission::WriteCases),
                &case,
                &f,
                &text,
            )
            .await
        {
            Ok(()) => Ok(
                Redirect::to(&format!("/library/cases/{id}?done=attached#files")).into_response(),
            ),
            Err(StoreError::Invalid(e)) => rerender(&state, &user, id, ActForm::default(), e).await,
            Err(e) => Err(e.into()),
        },
        Err(m) => {
            errors.add("attachment", m);
            rerender(&state, &user, id, ActForm::default(), errors).await
        }
    }
}

/// An attachment of a case, for whoever may open the case; the download is audited.
pub(super) async fn file(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, att)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let reader = Reader::of(&user);
    let case = state.store.case_get(&reader.ctx(), id).await?;
    let (a, bytes) = state.store.case_file(&user.actor(), &case, att).await?;
    Ok(send(&a, bytes))
}

fn send(a: &ronghe_store::Attachment, bytes: Vec<u8>) -> Response {
    let disposition = format!(
        "attachment; filename=\"file\"; filename*=UTF-8''{}",
        crate::auth::urlencode(&a.filename).replace('+', "%20")
    );
    (
        [
            (header::CONTENT_TYPE, a.content_type.clone()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        bytes,
    )
        .into_response()
}
