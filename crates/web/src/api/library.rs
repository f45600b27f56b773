//! 品牌化 in the JSON API: search and read cases, write and take them through review, report
//! them; brands with their evidence and stage moves. The same store calls and core rules as
//! the pages (a Word document is uploaded through the page's form).

use super::library_schemas::{ACTIONS, ACTION_TEXT_MAX};
use super::query::{check, Param, ID, YEAR};
use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::library_search::readers_of;
use crate::pages::LibraryReader as Reader;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{Path, Query, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use ronghe_core::access::Permission;
use ronghe_core::library::{
    clean_query, reviewing_org, BrandForm, BrandStage, CaseAction, CaseForm, CaseKind, Reach,
    QUERY_MAX,
};
use ronghe_core::scope::{path_ids, Scope};
use ronghe_search::SearchQuery;
use serde::Deserialize;
use serde_json::{json, Value};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/library/cases", get(search).post(create))
        .route("/api/v1/library/cases/{id}", get(show))
        .route("/api/v1/library/cases/{id}/related", get(related))
        .route("/api/v1/library/cases/{id}/actions", post(act))
        .route("/api/v1/library/review", get(review))
        .route("/api/v1/library/brands", get(brands).post(brand_create))
        .route("/api/v1/library/brands/{id}", get(brand_show))
        .route("/api/v1/library/brands/{id}/stage", post(brand_stage))
}

const KINDS: [&str; 2] = ["experience", "achievement"];
const SORTS: [&str; 2] = ["relevance", "date"];

#[derive(Deserialize, Default)]
#[serde(default)]
struct SearchParams {
    q: String,
    tag: Option<String>,
    kind: Option<String>,
    year: Option<i64>,
    brand: Option<i64>,
    org: Option<i64>,
    sort: Option<String>,
    page: Option<usize>,
}

const PER_PAGE: usize = 20;

async fn search(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Json<Value>, ApiError> {
    check(
        raw.as_deref(),
        &[
            ("q", Param::Text(2 * QUERY_MAX)),
            ("tag", Param::Text(20)),
            ("kind", Param::OneOf(&KINDS)),
            ("year", YEAR),
            ("brand", ID),
            ("org", ID),
            ("sort", Param::OneOf(&SORTS)),
            ("page", Param::Int(1, 100)),
        ],
    )?;
    let p: SearchParams = serde_urlencoded::from_str(raw.as_deref().unwrap_or(""))
        .map_err(|_| ApiError::BadRequest("查询参数格式有误".into()))?;
    let text = clean_query(&p.q).map_err(|m| ApiError::BadRequest(format!("参数 q {m}")))?;
    let reader = Reader::of(&user);
    let page = p.page.unwrap_or(1).clamp(1, 100);
    let q = SearchQuery {
        text,
        readers: readers_of(&reader.ctx()),
        within_org: p.org,
        tag: p
            .tag
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty()),
        kind: p.kind,
        year: p.year,
        brand_id: p.brand,
        by_date: p.sort.as_deref() == Some("date"),
        limit: PER_PAGE,
        offset: (page - 1) * PER_PAGE,
    };
    let (total, hits) = state
        .library
        .run(move |ix| ix.search_page(&q))
        .await
        .map_err(ApiError::Internal)?
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let items: Vec<Value> = hits
        .iter()
        .map(|h| json!({ "id": h.id, "title": h.title, "org_name": h.org_name, "snippet_html": h.snippet, "score": h.score }))
        .collect();
    Ok(Json(
        json!({ "total": total, "page": page, "per_page": PER_PAGE, "items": items }),
    ))
}

/// A case as the API gives it: what the page shows, without the workflow's buttons.
async fn case_json(state: &AppState, user: &CurrentUser, id: i64) -> Result<Value, ApiError> {
    let reader = Reader::of(user);
    let case = state.store.case_get(&reader.ctx(), id).await?;
    let insider = reader.scope.sees_org(&case.org_path);
    let events = if insider {
        state.store.case_events(&case).await?
    } else {
        Vec::new()
    };
    let original = case
        .original
        .as_ref()
        .map(|(_, name, size)| json!({ "filename": name, "size": size, "download": format!("/library/cases/{id}/download") }));
    Ok(json!({
        "id": case.id,
        "number": case.number,
        "org_id": case.org_id,
        "org_name": case.org_name,
        "year": case.year,
        "kind": case.kind.code(),
        "title": case.title,
        "summary": case.summary,
        "body": case.body,
        "tags": case.tags,
        "status": case.status.code(),
        "reach": case.reach.map(Reach::code),
        "brand_id": case.brand_id,
        "goal_ids": case.goal_ids,
        "item_ids": case.item_ids,
        "author_ids": case.author_ids,
        "pages": case.pages,
        "preview_html": case.preview,
        "original": original,
        "published_at": case.published_at,
        "decision_note": if insider { case.decision_note.clone() } else { None },
        "events": events.iter().map(|e| json!({ "kind": e.kind, "note": e.note, "by": e.by_username, "at": e.at })).collect::<Vec<_>>(),
    }))
}

async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(case_json(&state, &user, id).await?))
}

async fn related(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    let reader = Reader::of(&user);
    state.store.case_get(&reader.ctx(), id).await?;
    let readers = readers_of(&reader.ctx());
    let (hits, terms) = state
        .library
        .run(move |ix| {
            (
                ix.related(id, &readers, 6).unwrap_or_default(),
                ix.key_terms(id, 6).unwrap_or_default(),
            )
        })
        .await
        .map_err(ApiError::Internal)?;
    let items: Vec<Value> = hits
        .iter()
        .map(|h| json!({ "id": h.id, "title": h.title, "org_name": h.org_name }))
        .collect();
    Ok(Json(json!({ "items": items, "related_searches": terms })))
}

/// The JSON of a new case: core's form and the organization, unknown fields refused.
#[derive(Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
struct NewCase {
    org_id: i64,
    kind: Option<CaseKind>,
    title: String,
    summary: Option<String>,
    body: String,
    tags: Vec<String>,
    author_ids: Vec<i64>,
    brand_id: Option<i64>,
    goal_ids: Vec<i64>,
    item_ids: Vec<i64>,
}

fn parse<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|e| {
        let mut f = ronghe_core::text::FieldErrors::new();
        f.add("body", format!("请求体不符合要求：{e}"));
        ApiError::Invalid(f)
    })
}

async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    body: Bytes,
) -> Result<Response, ApiError> {
    super::deny_unless(&user, Permission::WriteCases)?;
    let n: NewCase = parse(&body)?;
    let scope = user.scope(Permission::WriteCases);
    let org = state.store.org_get(&scope, n.org_id).await?;
    let f = n;
    let form = CaseForm {
        kind: f.kind.unwrap_or_default(),
        title: f.title,
        summary: f.summary.unwrap_or_default(),
        body: f.body,
        tags: f.tags,
        author_ids: f.author_ids,
        brand_id: f.brand_id,
        goal_ids: f.goal_ids,
        item_ids: f.item_ids,
    };
    let year = ronghe_store::today().format("%Y").to_string();
    let id = state
        .store
        .case_create(
            &user.actor(),
            &scope,
            &org,
            &form,
            None,
            year.parse().unwrap_or(2026),
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(case_json(&state, &user, id).await?),
    )
        .into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ActionJson {
    action: String,
    #[serde(default)]
    reach: Option<Reach>,
    #[serde(default)]
    text: Option<String>,
}

async fn act(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let a: ActionJson = parse(&body)?;
    let reader = Reader::of(&user);
    let case = state.store.case_get(&reader.ctx(), id).await?;
    let text = a.text.unwrap_or_default();
    if text.chars().count() > ACTION_TEXT_MAX {
        let mut f = ronghe_core::text::FieldErrors::new();
        f.add("text", format!("不能超过 {ACTION_TEXT_MAX} 字"));
        return Err(ApiError::Invalid(f));
    }
    if !ACTIONS.contains(&a.action.as_str()) {
        let mut f = ronghe_core::text::FieldErrors::new();
        f.add(
            "action",
            "应为 submit、publish、return、take_down、report 或 dismiss_reports",
        );
        return Err(ApiError::Invalid(f));
    }
    let actor = user.actor();
    let everything = Scope::everything();
    let review = user.scope(Permission::ReviewCases);
    let step = match a.action.as_str() {
        "submit" => Some(CaseAction::Submit),
        "publish" => Some(CaseAction::Publish(a.reach.ok_or_else(|| {
            let mut f = ronghe_core::text::FieldErrors::new();
            f.add("reach", "请选择发布范围：subtree 或 all");
            ApiError::Invalid(f)
        })?)),
        "return" => Some(CaseAction::Return {
            comment: text.clone(),
        }),
        "take_down" => Some(CaseAction::TakeDown {
            reason: text.clone(),
        }),
        "report" | "dismiss_reports" => None,
        _ => {
            let mut f = ronghe_core::text::FieldErrors::new();
            f.add(
                "action",
                "应为 submit、publish、return、take_down、report 或 dismiss_reports",
            );
            return Err(ApiError::Invalid(f));
        }
    };
    match step {
        Some(s) => {
            let (scope, by) = if s.by_reviewer() {
                super::deny_unless(&user, Permission::ReviewCases)?;
                let by = reviewing_org(&review, &case.org_path).ok_or(ApiError::Forbidden)?;
                (review.clone(), by)
            } else {
                super::deny_unless(&user, Permission::WriteCases)?;
                (user.scope(Permission::WriteCases), case.org_id)
            };
            let by = state.store.org_get(&everything, by).await?;
            state.store.case_act(&actor, &scope, &case, &by, &s).await?;
        }
        None if a.action == "report" => state.store.case_report(&actor, &case, &text).await?,
        None => {
            state
                .store
                .case_reports_dismiss(&actor, &review, &case, &text)
                .await?;
        }
    }
    state.library_changed().await;
    Ok(Json(case_json(&state, &user, id).await?))
}

async fn review(State(state): State<AppState>, user: CurrentUser) -> Result<Json<Value>, ApiError> {
    super::deny_unless(&user, Permission::ReviewCases)?;
    let scope = user.scope(Permission::ReviewCases);
    Ok(Json(json!({
        "submitted": state.store.case_review_queue(&scope).await?,
        "reported": state.store.case_reported(&scope).await?,
    })))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct BrandsParams {
    org: Option<i64>,
}

async fn brands(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
    Query(p): Query<BrandsParams>,
) -> Result<Json<Value>, ApiError> {
    check(raw.as_deref(), &[("org", ID)])?;
    let view = user.scope(Permission::ViewOrgs);
    let home = Reader::of(&user)
        .home
        .and_then(|h| path_ids(&h).last().copied());
    let root = p.org.or(home).ok_or(ApiError::NotFound)?;
    let root = state.store.org_get(&view, root).await?;
    let list = state.store.brand_list(&view, &root).await?;
    let items: Vec<Value> = list
        .iter()
        .map(|b| json!({ "id": b.id, "org_id": b.org_id, "org_name": b.org_name, "name": b.name, "slogan": b.slogan, "stage": b.stage.code() }))
        .collect();
    Ok(Json(json!({ "org_id": root.id, "items": items })))
}

async fn brand_show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    let brand = state
        .store
        .brand_get(&user.scope(Permission::ViewOrgs), id)
        .await?;
    Ok(Json(json!({
        "evidence": state.store.brand_evidence(&brand).await?,
        "stages": state.store.brand_stages(&brand).await?,
        "brand": brand,
    })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewBrand {
    org_id: i64,
    name: String,
    #[serde(default)]
    slogan: Option<String>,
    description: String,
    #[serde(default)]
    goal_ids: Vec<i64>,
}

async fn brand_create(
    State(state): State<AppState>,
    user: CurrentUser,
    body: Bytes,
) -> Result<Response, ApiError> {
    super::deny_unless(&user, Permission::WriteCases)?;
    let n: NewBrand = parse(&body)?;
    let scope = user.scope(Permission::WriteCases);
    let org = state.store.org_get(&scope, n.org_id).await?;
    let form = BrandForm {
        name: n.name,
        slogan: n.slogan.unwrap_or_default(),
        description: n.description,
        goal_ids: n.goal_ids,
    };
    let id = state
        .store
        .brand_create(&user.actor(), &scope, &org, &form)
        .await?;
    let brand = state.store.brand_get(&scope, id).await?;
    Ok((StatusCode::CREATED, Json(json!({ "brand": brand }))).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StageJson {
    to: BrandStage,
    reason: String,
}

async fn brand_stage(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    super::deny_unless(&user, Permission::ReviewCases)?;
    let s: StageJson = parse(&body)?;
    let review = user.scope(Permission::ReviewCases);
    let brand = state
        .store
        .brand_get(&user.scope(Permission::ViewOrgs), id)
        .await?;
    let by = reviewing_org(&review, &brand.org_path).ok_or(ApiError::Forbidden)?;
    let by = state.store.org_get(&Scope::everything(), by).await?;
    state
        .store
        .brand_stage_move(&user.actor(), &review, &brand, &by, s.to, &s.reason)
        .await?;
    let brand = state
        .store
        .brand_get(&user.scope(Permission::ViewOrgs), id)
        .await?;
    Ok(Json(json!({ "brand": brand })))
}
