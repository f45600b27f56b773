//! 党建品牌 pages: a subtree's brands by stage (培育, 创建, 命名), a brand with the evidence
//! drawn from its goals, items and tasks, its stage history, and the committee's stage move.

use super::Reader;
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::state::AppState;
use crate::view::Layout;
use askama::Template;
use askama_web::WebTemplate;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use ronghe_core::access::Permission;
use ronghe_core::library::{reviewing_org, BrandForm, BrandStage};
use ronghe_core::scope::{path_ids, Scope};
use ronghe_core::text::FieldErrors;
use ronghe_store::{Brand, CaseLine, GoalEvidence, Org, StageStep, StoreError};
use serde::Deserialize;

/// A goal a brand may serve: (id, title, year).
type Goal = (i64, String, i64);

#[derive(Template, WebTemplate)]
#[template(path = "library_brands.html")]
pub(super) struct ListPage {
    layout: Layout,
    root: Org,
    /// 命名, 创建, 培育: each stage with its brands.
    stages: Vec<(&'static str, Vec<Brand>)>,
    /// The organization a new brand would be of, with its goals, when the reader writes.
    new_for: Option<(Org, Vec<Goal>)>,
    form: BrandForm,
    errors: FieldErrors,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct ListQuery {
    org: Option<i64>,
}

fn home_id(user: &CurrentUser) -> Option<i64> {
    Reader::of(user)
        .home
        .and_then(|h| path_ids(&h).last().copied())
}

async fn list_page(
    state: &AppState,
    user: &CurrentUser,
    org: Option<i64>,
    form: BrandForm,
    errors: FieldErrors,
) -> Result<ListPage, AppError> {
    let view = user.scope(Permission::ViewOrgs);
    let id = org.or_else(|| home_id(user)).ok_or(AppError::NotFound)?;
    let root = state.store.org_get(&view, id).await?;
    let brands = state.store.brand_list(&view, &root).await?;
    let stages = [
        BrandStage::Named,
        BrandStage::Building,
        BrandStage::Cultivating,
    ]
    .into_iter()
    .map(|s| {
        (
            s.label(),
            brands.iter().filter(|b| b.stage == s).cloned().collect(),
        )
    })
    .collect();
    let new_for = if user.scope(Permission::WriteCases).sees_org(&root.path) {
        let goals = state.store.case_choices(&root).await?.goals;
        Some((root.clone(), goals))
    } else {
        None
    };
    Ok(ListPage {
        layout: Layout::new(user, format!("{}的党建品牌", root.name), "/library"),
        root,
        stages,
        new_for,
        form,
        errors,
    })
}

pub(super) async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<ListQuery>,
) -> Result<ListPage, AppError> {
    list_page(
        &state,
        &user,
        q.org,
        BrandForm::default(),
        FieldErrors::new(),
    )
    .await
}

/// A brand form: `goal_ids` repeats, which axum's `Form` does not read into a list.
fn read_brand(body: &[u8]) -> (Option<i64>, BrandForm) {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body).unwrap_or_default();
    let mut f = BrandForm::default();
    let mut org = None;
    for (k, v) in pairs {
        match k.as_str() {
            "org" => org = v.trim().parse().ok(),
            "name" => f.name = v,
            "slogan" => f.slogan = v,
            "description" => f.description = v,
            "goal_ids" => f.goal_ids.extend(v.trim().parse::<i64>().ok()),
            _ => {}
        }
    }
    (org, f)
}

pub(super) async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    body: Bytes,
) -> Result<Response, AppError> {
    super::super::require(&state, &user, Permission::WriteCases, "brand").await?;
    let (org, form) = read_brand(&body);
    let scope = user.scope(Permission::WriteCases);
    let id = org.or_else(|| home_id(&user)).ok_or(AppError::NotFound)?;
    let target = state.store.org_get(&scope, id).await?;
    match state
        .store
        .brand_create(&user.actor(), &scope, &target, &form)
        .await
    {
        Ok(b) => Ok(Redirect::to(&format!("/library/brands/{b}")).into_response()),
        Err(StoreError::Invalid(e)) => Ok(list_page(&state, &user, Some(id), form, e)
            .await?
            .into_response()),
        Err(e) => Err(e.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "library_brand.html")]
pub(super) struct BrandPage {
    layout: Layout,
    brand: Brand,
    evidence: Vec<GoalEvidence>,
    steps: Vec<StageStep>,
    cases: Vec<CaseLine>,
    /// The committee of the reader's that may move the stage, and the stages it may move to.
    mover: Option<(Org, Vec<(&'static str, &'static str)>)>,
    reason: String,
    errors: FieldErrors,
}

fn stage_label(code: &str) -> &'static str {
    BrandStage::from_code(code).map_or("", BrandStage::label)
}

async fn brand_page(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    reason: String,
    errors: FieldErrors,
) -> Result<BrandPage, AppError> {
    let brand = state
        .store
        .brand_get(&user.scope(Permission::ViewOrgs), id)
        .await?;
    let review = user.scope(Permission::ReviewCases);
    let mover_id = reviewing_org(&review, &brand.org_path);
    let mover = match mover_id {
        Some(m) => {
            let org = state.store.org_get(&Scope::everything(), m).await?;
            let to: Vec<_> = [brand.stage.next(), brand.stage.previous()]
                .into_iter()
                .flatten()
                .map(|s| (s.code(), s.label()))
                .collect();
            Some((org, to))
        }
        None => None,
    };
    let reader = Reader::of(user);
    Ok(BrandPage {
        layout: Layout::new(user, brand.name.clone(), "/library"),
        evidence: state.store.brand_evidence(&brand).await?,
        steps: state.store.brand_stages(&brand).await?,
        cases: state.store.case_lines_of_brand(&reader.ctx(), id).await?,
        mover,
        reason,
        errors,
        brand,
    })
}

pub(super) async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<BrandPage, AppError> {
    brand_page(&state, &user, id, String::new(), FieldErrors::new()).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct StageForm {
    to: String,
    reason: String,
}

pub(super) async fn move_stage(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(form): Form<StageForm>,
) -> Result<Response, AppError> {
    super::super::require(&state, &user, Permission::ReviewCases, "brand_stage").await?;
    let page = brand_page(&state, &user, id, String::new(), FieldErrors::new()).await?;
    let Some((by, _)) = &page.mover else {
        return Err(AppError::Forbidden);
    };
    let Some(to) = BrandStage::from_code(form.to.trim()) else {
        let mut e = FieldErrors::new();
        e.add("to", "请选择要调整到的阶段");
        return Ok(brand_page(&state, &user, id, form.reason, e)
            .await?
            .into_response());
    };
    match state
        .store
        .brand_stage_move(
            &user.actor(),
            &user.scope(Permission::ReviewCases),
            &page.brand,
            by,
            to,
            &form.reason,
        )
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!("/library/brands/{id}")).into_response()),
        Err(StoreError::Invalid(e)) => Ok(brand_page(&state, &user, id, form.reason, e)
            .await?
            .into_response()),
        Err(e) => Err(e.into()),
    }
}

impl BrandPage {
    fn step_label(&self, code: &str) -> &'static str {
        stage_label(code)
    }
}
