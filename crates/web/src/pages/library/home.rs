//! The library's home (the reader's own organization's cases, what waits for review, the
//! newest cases and those like the organization's own work) and the search page.

use super::Reader;
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::library_search::readers_of;
use crate::state::AppState;
use crate::view::Layout;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use ronghe_core::access::Permission;
use ronghe_core::library::{clean_query, CaseKind};
use ronghe_core::scope::path_ids;
use ronghe_search::{Hit, SearchQuery};
use ronghe_store::{CaseLine, Org};
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "library.html")]
pub(super) struct HomePage {
    layout: Layout,
    /// The organization the reader writes for, with its cases.
    own: Option<(Org, Vec<CaseLine>)>,
    waiting: usize,
    reported: usize,
    recent: Vec<CaseLine>,
    like_ours: Vec<Hit>,
    tags: Vec<String>,
    form: SearchForm,
    kinds: Vec<(&'static str, &'static str)>,
    indexed: u64,
}

pub(super) async fn home(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<HomePage, AppError> {
    let reader = Reader::of(&user);
    let own_org = match (&reader.home, user.can(Permission::WriteCases)) {
        (Some(h), true) => {
            let id = path_ids(h).last().copied().unwrap_or(0);
            state
                .store
                .org_get(&user.scope(Permission::WriteCases), id)
                .await
                .ok()
        }
        _ => None,
    };
    let mut own = None;
    let mut like_ours = Vec::new();
    if let Some(org) = own_org {
        let lines = state
            .store
            .case_lines_of_org(&user.scope(Permission::WriteCases), &org)
            .await?;
        // Cases like the organization's own goals and Party work, from elsewhere.
        let choices = state.store.case_choices(&org).await?;
        let text: String = choices
            .goals
            .iter()
            .map(|g| g.1.as_str())
            .chain(choices.items.iter().map(|i| i.1.as_str()))
            .collect::<Vec<_>>()
            .join("。");
        let (readers, oid) = (readers_of(&reader.ctx()), org.id);
        like_ours = state
            .library
            .run(move |ix| ix.like_text(&text, &readers, Some(oid), 6))
            .await
            .map_err(AppError::Internal)?
            .unwrap_or_default();
        own = Some((org, lines));
    }
    let (mut waiting, mut reported) = (0, 0);
    if user.can(Permission::ReviewCases) {
        let scope = user.scope(Permission::ReviewCases);
        waiting = state.store.case_review_queue(&scope).await?.len();
        reported = state.store.case_reported(&scope).await?.len();
    }
    let recent = state.store.case_lines_recent(&reader.ctx(), 10).await?;
    Ok(HomePage {
        layout: Layout::new(&user, "案例库", "/library"),
        own,
        waiting,
        reported,
        recent,
        like_ours,
        tags: state.store.library_tags().await?,
        form: SearchForm::default(),
        kinds: kinds(),
        indexed: state.library.index.len(),
    })
}

pub(super) fn kinds() -> Vec<(&'static str, &'static str)> {
    CaseKind::ALL
        .iter()
        .map(|k| (k.code(), k.label()))
        .collect()
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub(super) struct SearchForm {
    pub q: String,
    pub tag: String,
    pub kind: String,
    pub year: String,
    pub brand: String,
    pub org: String,
    pub sort: String,
    pub page: String,
}

impl SearchForm {
    /// The same search on another page (for the pager's links).
    pub fn href(&self, page: usize) -> String {
        let mut s = String::from("/library/search?");
        for (k, v) in [
            ("q", &self.q),
            ("tag", &self.tag),
            ("kind", &self.kind),
            ("year", &self.year),
            ("brand", &self.brand),
            ("org", &self.org),
            ("sort", &self.sort),
        ] {
            if !v.is_empty() {
                s.push_str(&format!("{k}={}&", crate::auth::urlencode(v)));
            }
        }
        s.push_str(&format!("page={page}"));
        s
    }
}

pub(super) const PAGE: usize = 10;

#[derive(Template, WebTemplate)]
#[template(path = "library_search.html")]
pub(super) struct SearchPage {
    layout: Layout,
    form: SearchForm,
    error: Option<String>,
    total: usize,
    hits: Vec<Hit>,
    page: usize,
    pages: usize,
    tags: Vec<String>,
    kinds: Vec<(&'static str, &'static str)>,
    /// The organizations the reader may narrow to (their own subtrees' roots).
    orgs: Vec<Org>,
}

pub(super) async fn search(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(form): Query<SearchForm>,
) -> Result<SearchPage, AppError> {
    let reader = Reader::of(&user);
    let tags = state.store.library_tags().await?;
    let mut orgs = Vec::new();
    let view = user.scope(Permission::ViewOrgs);
    for root in view.subtrees.iter().chain(view.orgs.iter()) {
        if let Some(id) = path_ids(root).last() {
            if let Ok(o) = state.store.org_get(&view, *id).await {
                orgs.push(o);
            }
        }
    }
    let mut page = SearchPage {
        layout: Layout::new(&user, "搜索案例", "/library"),
        form: form.clone(),
        error: None,
        total: 0,
        hits: Vec::new(),
        page: 1,
        pages: 0,
        tags,
        kinds: kinds(),
        orgs,
    };
    let text = match clean_query(&form.q) {
        Ok(t) => t,
        Err(m) => {
            page.error = Some(m);
            return Ok(page);
        }
    };
    let num = |s: &str| s.trim().parse::<i64>().ok();
    let at = form.page.trim().parse::<usize>().unwrap_or(1).clamp(1, 100);
    let q = SearchQuery {
        text,
        readers: readers_of(&reader.ctx()),
        within_org: num(&form.org),
        tag: Some(form.tag.trim().to_string()).filter(|t| !t.is_empty()),
        kind: CaseKind::from_code(form.kind.trim()).map(|k| k.code().to_string()),
        year: num(&form.year),
        brand_id: num(&form.brand),
        by_date: form.sort == "date",
        limit: PAGE,
        offset: (at - 1) * PAGE,
    };
    let (total, hits) = state
        .library
        .run(move |ix| ix.search_page(&q))
        .await
        .map_err(AppError::Internal)?
        .map_err(|e| AppError::Internal(e.to_string()))?;
    page.total = total;
    page.hits = hits;
    page.page = at;
    page.pages = total.div_ceil(PAGE).min(100);
    Ok(page)
}
