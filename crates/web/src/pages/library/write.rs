//! Writing a case: typed, or made from an uploaded Word document (title, headings,
//! paragraphs, lists and tables read into a paged preview, the original kept). The document is
//! read off the async threads within the office crate's limits; a refused file names why, and
//! what was typed stays in the form.

use super::{Reader, UPLOAD_MAX};
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::state::AppState;
use crate::view::Layout;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Multipart, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use ronghe_core::access::Permission;
use ronghe_core::library::{CaseForm, CaseKind};
use ronghe_core::scope::{path_ids, Scope};
use ronghe_core::text::FieldErrors;
use ronghe_office::docx::{self, Limits};
use ronghe_store::{CaseChoices, CaseOriginal, NewAttachment, Org, StoreError};
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "library_form.html")]
pub(super) struct FormPage {
    layout: Layout,
    org: Org,
    /// Editing this case (else a new one).
    case_id: Option<i64>,
    has_original: bool,
    form: CaseForm,
    choices: CaseChoices,
    tags: Vec<String>,
    kinds: Vec<(&'static str, &'static str)>,
    errors: FieldErrors,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct NewQuery {
    org: Option<i64>,
}

/// The organization a new case is for: the one asked, else the reader's own.
async fn writable_org(
    state: &AppState,
    user: &CurrentUser,
    asked: Option<i64>,
) -> Result<Org, AppError> {
    super::super::require(state, user, Permission::WriteCases, "case_write").await?;
    let home = Reader::of(user)
        .home
        .and_then(|h| path_ids(&h).last().copied());
    let id = asked.or(home).ok_or(AppError::NotFound)?;
    Ok(state
        .store
        .org_get(&user.scope(Permission::WriteCases), id)
        .await?)
}

async fn form_page(
    state: &AppState,
    user: &CurrentUser,
    org: Org,
    case_id: Option<i64>,
    has_original: bool,
    form: CaseForm,
    errors: FieldErrors,
) -> Result<FormPage, AppError> {
    let title = match case_id {
        Some(_) => "修改案例",
        None => "写案例",
    };
    Ok(FormPage {
        layout: Layout::new(user, title, "/library"),
        choices: state.store.case_choices(&org).await?,
        tags: state.store.library_tags().await?,
        kinds: super::home::kinds(),
        org,
        case_id,
        has_original,
        form,
        errors,
    })
}

pub(super) async fn new_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<NewQuery>,
) -> Result<FormPage, AppError> {
    let org = writable_org(&state, &user, q.org).await?;
    form_page(
        &state,
        &user,
        org,
        None,
        false,
        CaseForm::default(),
        FieldErrors::new(),
    )
    .await
}

/// What the multipart form carried: the fields, the Word document if one was chosen, and
/// why the upload could not be read whole.
struct Posted {
    org: Option<i64>,
    form: CaseForm,
    file: Option<(String, Vec<u8>)>,
    refused: Option<String>,
}

async fn read_posted(mut m: Multipart) -> Result<Posted, AppError> {
    let mut p = Posted {
        org: None,
        form: CaseForm::default(),
        file: None,
        refused: None,
    };
    let too_large = format!(
        "文件不能超过 {} MB，请压缩图片或拆分后再上传",
        UPLOAD_MAX / 1024 / 1024
    );
    loop {
        let field = match m.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(_) => {
                p.refused = Some(too_large.clone());
                break;
            }
        };
        let name = field.name().unwrap_or("").to_string();
        if name == "document" {
            let filename = field.file_name().unwrap_or("").to_string();
            match field.bytes().await {
                Ok(b) if !b.is_empty() || !filename.is_empty() => {
                    if b.len() > UPLOAD_MAX {
                        p.refused = Some(too_large.clone());
                    } else {
                        p.file = Some((filename, b.to_vec()));
                    }
                }
                Ok(_) => {}
                Err(_) => {
                    p.refused = Some(too_large.clone());
                    break;
                }
            }
            continue;
        }
        let Ok(text) = field.text().await else {
            p.refused = Some(too_large.clone());
            break;
        };
        let f = &mut p.form;
        let id = || text.trim().parse::<i64>().ok();
        match name.as_str() {
            "org" => p.org = id(),
            "kind" => f.kind = CaseKind::from_code(text.trim()).unwrap_or_default(),
            "title" => f.title = text,
            "summary" => f.summary = text,
            "body" => f.body = text,
            "tags" => f.tags.push(text),
            "author_ids" => f.author_ids.extend(id()),
            "goal_ids" => f.goal_ids.extend(id()),
            "item_ids" => f.item_ids.extend(id()),
            "brand_id" => f.brand_id = id(),
            _ => {}
        }
    }
    Ok(p)
}

/// Reads an uploaded Word document within the limits, off the async threads.
pub(crate) async fn read_word(filename: &str, bytes: Vec<u8>) -> Result<CaseOriginal, String> {
    if !filename.to_lowercase().ends_with(".docx") {
        return Err("请上传 Word 文档（.docx）；旧版 .doc 或 WPS 文件请先“另存为 .docx”".into());
    }
    let limits = Limits {
        file_bytes: UPLOAD_MAX,
        ..Limits::default()
    };
    let (document, bytes) = tokio::task::spawn_blocking(move || {
        let d = docx::read(&bytes, &limits);
        (d, bytes)
    })
    .await
    .map_err(|_| "读取文件时出错，请重新保存后再上传".to_string())?;
    let document = document.map_err(|e| e.to_string())?;
    let file = NewAttachment::new(filename, bytes)?;
    Ok(CaseOriginal { file, document })
}

/// Reads an attachment of a case: its kind checked by content; the words of a Word document or
/// an Excel workbook read for search (within the same limits, off the async threads); a PDF or
/// a picture is kept without words.
pub(crate) async fn read_attachment(
    filename: &str,
    bytes: Vec<u8>,
) -> Result<(NewAttachment, String), String> {
    use ronghe_core::attachment::AttachmentKind;
    let file = NewAttachment::new(filename, bytes)?;
    let kind = file.kind;
    if !matches!(kind, AttachmentKind::Docx | AttachmentKind::Xlsx) {
        return Ok((file, String::new()));
    }
    let limits = Limits {
        file_bytes: UPLOAD_MAX,
        ..Limits::default()
    };
    let (text, file) = tokio::task::spawn_blocking(move || {
        let text = match kind {
            AttachmentKind::Docx => docx::read(&file.bytes, &limits).map(|d| d.plain_text()),
            _ => ronghe_office::xlsx::text(&file.bytes, &limits),
        };
        (text, file)
    })
    .await
    .map_err(|_| "读取文件时出错，请重新保存后再上传".to_string())?;
    match text {
        Ok(t) => Ok((file, t)),
        // A document without words is kept; it just adds nothing to search.
        Err(ronghe_office::docx::DocxError::Empty) => Ok((file, String::new())),
        Err(e) => Err(e.to_string()),
    }
}

pub(super) async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    body: Multipart,
) -> Result<Response, AppError> {
    let posted = read_posted(body).await?;
    let org = writable_org(&state, &user, posted.org).await?;
    let mut errors = FieldErrors::new();
    if let Some(m) = &posted.refused {
        errors.add("document", m.clone());
    }
    let original = match posted.file {
        Some((name, bytes)) if errors.is_empty() => match read_word(&name, bytes).await {
            Ok(o) => Some(o),
            Err(m) => {
                errors.add("document", m);
                None
            }
        },
        _ => None,
    };
    if !errors.is_empty() {
        return Ok(
            form_page(&state, &user, org, None, false, posted.form, errors)
                .await?
                .into_response(),
        );
    }
    let year = ronghe_store::today().format("%Y").to_string();
    let year = year.parse::<i32>().unwrap_or(2026);
    match state
        .store
        .case_create(
            &user.actor(),
            &user.scope(Permission::WriteCases),
            &org,
            &posted.form,
            original,
            year,
        )
        .await
    {
        Ok(id) => Ok(Redirect::to(&format!("/library/cases/{id}?done=created")).into_response()),
        Err(StoreError::Invalid(e)) => {
            Ok(form_page(&state, &user, org, None, false, posted.form, e)
                .await?
                .into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn edit_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<FormPage, AppError> {
    let scope = user.scope(Permission::WriteCases);
    let case = state.store.case_get(&Reader::of(&user).ctx(), id).await?;
    if !scope.sees_org(&case.org_path) {
        return Err(AppError::Forbidden);
    }
    let org = state
        .store
        .org_get(&Scope::everything(), case.org_id)
        .await?;
    let form = CaseForm {
        kind: case.kind,
        title: case.title.clone(),
        summary: case.summary.clone(),
        body: case.body.clone(),
        tags: case.tags.clone(),
        author_ids: case.author_ids.clone(),
        brand_id: case.brand_id,
        goal_ids: case.goal_ids.clone(),
        item_ids: case.item_ids.clone(),
    };
    let mut errors = FieldErrors::new();
    if !case.status.editable() {
        errors.add(
            "status",
            format!("案例当前为“{}”，不能修改", case.status.label()),
        );
    }
    form_page(
        &state,
        &user,
        org,
        Some(id),
        case.original.is_some(),
        form,
        errors,
    )
    .await
}

pub(super) async fn edit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    body: Multipart,
) -> Result<Response, AppError> {
    let scope = user.scope(Permission::WriteCases);
    let case = state.store.case_get(&Reader::of(&user).ctx(), id).await?;
    if !scope.sees_org(&case.org_path) {
        return Err(AppError::Forbidden);
    }
    let posted = read_posted(body).await?;
    match state
        .store
        .case_update(&user.actor(), &scope, &case, &posted.form)
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!("/library/cases/{id}?done=edited")).into_response()),
        Err(StoreError::Invalid(e)) => {
            let org = state
                .store
                .org_get(&Scope::everything(), case.org_id)
                .await?;
            Ok(form_page(
                &state,
                &user,
                org,
                Some(id),
                case.original.is_some(),
                posted.form,
                e,
            )
            .await?
            .into_response())
        }
        Err(e) => Err(e.into()),
    }
}

impl FormPage {
    fn has_tag(&self, t: &str) -> bool {
        self.form.tags.iter().any(|x| x == t)
    }
}

impl FormPage {
    fn brand_is(&self, id: &i64) -> bool {
        self.form.brand_id == Some(*id)
    }
}
