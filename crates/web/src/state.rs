use crate::library_search::SearchFollower;
use ronghe_store::Store;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// Deployment settings the web layer needs.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Mark cookies Secure (the deployment is behind TLS).
    pub secure_cookies: bool,
    /// Shown in the page header, e.g. "演示环境".
    pub banner: Option<String>,
    /// Where this instance keeps its search index of the case library (in memory without
    /// one: rebuilt from the database at every start either way).
    pub index_dir: Option<PathBuf>,
}

/// How often an instance reads the case library's change log (cases published, changed or
/// taken down through another instance).
pub const FOLLOW_EVERY: Duration = Duration::from_secs(2);

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<Config>,
    /// Committee dashboards computed in the last minute, by (organization, year); cleared
    /// whenever an evaluation run, a manual value or an inspection changes.
    pub dashboards: Arc<crate::pages::DashboardCache>,
    /// This instance's search index of the case library.
    pub library: Arc<SearchFollower>,
}

impl AppState {
    pub fn new(store: Store, config: Config, library: Arc<SearchFollower>) -> Self {
        AppState {
            store,
            config: Arc::new(config),
            dashboards: Arc::default(),
            library,
        }
    }

    /// Brings this instance's index up to date after a change made here, so the next page
    /// already shows it (other instances catch up within [`FOLLOW_EVERY`]).
    pub async fn library_changed(&self) {
        if let Err(e) = self.library.follow(&self.store).await {
            tracing::warn!("case index: {e}");
        }
    }
}
