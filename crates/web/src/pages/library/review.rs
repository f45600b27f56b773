//! The committee's desk: cases submitted by the organizations below, published cases that
//! readers reported, and the tags the library offers (a committee may add one).

use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::state::AppState;
use crate::view::Layout;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use ronghe_core::access::Permission;
use ronghe_core::scope::{path_ids, Scope};
use ronghe_core::text::FieldErrors;
use ronghe_store::{CaseLine, StoreError};
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "library_review.html")]
pub(super) struct ReviewPage {
    layout: Layout,
    waiting: Vec<CaseLine>,
    reported: Vec<CaseLine>,
    tags: Vec<String>,
    tag: String,
    errors: FieldErrors,
}

async fn review_page(
    state: &AppState,
    user: &CurrentUser,
    tag: String,
    errors: FieldErrors,
) -> Result<ReviewPage, AppError> {
    super::super::require(state, user, Permission::ReviewCases, "case_review").await?;
    let scope = user.scope(Permission::ReviewCases);
    Ok(ReviewPage {
        layout: Layout::new(user, "案例审核", "/library"),
        waiting: state.store.case_review_queue(&scope).await?,
        reported: state.store.case_reported(&scope).await?,
        tags: state.store.library_tags().await?,
        tag,
        errors,
    })
}

pub(super) async fn queue(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<ReviewPage, AppError> {
    review_page(&state, &user, String::new(), FieldErrors::new()).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TagForm {
    tag: String,
}

pub(super) async fn add_tag(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<TagForm>,
) -> Result<Response, AppError> {
    super::super::require(&state, &user, Permission::ReviewCases, "library_tag").await?;
    let scope = user.scope(Permission::ReviewCases);
    let root = scope
        .subtrees
        .first()
        .and_then(|r| path_ids(r).last().copied())
        .ok_or(AppError::Forbidden)?;
    let by = state.store.org_get(&Scope::everything(), root).await?;
    match state
        .store
        .library_tag_add(&user.actor(), &by, &form.tag)
        .await
    {
        Ok(_) => Ok(Redirect::to("/library/review#tags").into_response()),
        Err(StoreError::Invalid(e)) => Ok(review_page(&state, &user, form.tag, e)
            .await?
            .into_response()),
        Err(e) => Err(e.into()),
    }
}
