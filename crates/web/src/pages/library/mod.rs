//! 品牌化 pages: the case library (home, search, a case's page with its paged preview, the
//! form and Word upload, the committee's review queue) and the brands by stage.
//!
//! Who may do what: the organization's secretary (or committee) writes and submits its cases
//! and brands ([`Permission::WriteCases`]); the committee above reviews, publishes, takes
//! down, moves brand stages and adds tags ([`Permission::ReviewCases`]); everyone reads what
//! was published within their reach. No page counts readers.

mod brands;
mod case;
mod home;
mod review;
mod write;

use crate::auth::CurrentUser;
use crate::state::AppState;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;
use ronghe_core::access::Permission;
use ronghe_core::library::ReadContext;
use ronghe_core::scope::Scope;

/// The largest Word document read (the office crate's own limit is checked again inside).
pub(crate) const UPLOAD_MAX: usize = ronghe_core::attachment::MAX_BYTES;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/library", get(home::home))
        .route("/library/search", get(home::search))
        .route(
            "/library/new",
            get(write::new_page)
                .post(write::create)
                .layer(DefaultBodyLimit::max(UPLOAD_MAX + 256 * 1024)),
        )
        .route("/library/cases/{id}", get(case::show))
        .route(
            "/library/cases/{id}/edit",
            get(write::edit_page).post(write::edit),
        )
        .route("/library/cases/{id}/download", get(case::download))
        .route("/library/cases/{id}/files/{att}", get(case::file))
        .route(
            "/library/cases/{id}/attach",
            post(case::attach).layer(DefaultBodyLimit::max(
                ronghe_core::attachment::MAX_BYTES + 64 * 1024,
            )),
        )
        .route("/library/cases/{id}/{action}", post(case::act))
        .route("/library/review", get(review::queue))
        .route("/library/tags", post(review::add_tag))
        .route("/library/brands", get(brands::list).post(brands::create))
        .route("/library/brands/{id}", get(brands::show))
        .route("/library/brands/{id}/stage", post(brands::move_stage))
}

/// Who reads: the account's reach over cases and the organization it belongs to.
pub(crate) struct Reader {
    pub scope: Scope,
    pub home: Option<String>,
}

impl Reader {
    pub fn of(user: &CurrentUser) -> Reader {
        let mut scope = user.scope(Permission::WriteCases);
        for s in user.scope(Permission::ReviewCases).subtrees {
            scope.add_subtree(&s);
        }
        scope.all |= user.scope(Permission::ReviewCases).all;
        // The organization of the account's first grant (a member's branch, a secretary's
        // branch, a committee's own organization).
        let home = user.info.grants.iter().find_map(|g| g.org_path.clone());
        Reader { scope, home }
    }

    pub fn ctx(&self) -> ReadContext<'_> {
        ReadContext {
            scope: &self.scope,
            home: self.home.as_deref(),
        }
    }
}

/// A store time in milliseconds as a date (年-月-日).
pub(crate) fn day(ms: &i64) -> String {
    crate::view::when(ms).chars().take(10).collect()
}

pub(crate) fn day_opt(ms: &Option<i64>) -> String {
    ms.as_ref().map(day).unwrap_or_default()
}

/// A size in bytes as the seed's page shows it (KB or MB).
pub(crate) fn size_label(bytes: &i64) -> String {
    if *bytes >= 1024 * 1024 {
        format!("{:.1} MB", *bytes as f64 / 1048576.0)
    } else {
        format!("{} KB", (*bytes + 1023) / 1024)
    }
}

/// A step of a case's history, as its page names it.
pub(crate) fn event_label(kind: &str) -> &'static str {
    match kind {
        "created" => "创建",
        "edited" => "修改",
        "submitted" => "提交审核",
        "published" => "审核通过并发布",
        "returned" => "退回修改",
        "taken_down" => "下架",
        _ => "办理",
    }
}
