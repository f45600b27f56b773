use ronghe_store::Store;
use std::sync::Arc;

/// Deployment settings the web layer needs.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Mark cookies Secure (the deployment is behind TLS).
    pub secure_cookies: bool,
    /// Shown in the page header, e.g. "演示环境".
    pub banner: Option<String>,
}

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<Config>,
    /// Committee dashboards computed in the last minute, by (organization, year); cleared
    /// whenever an evaluation run, a manual value or an inspection changes.
    pub dashboards: Arc<crate::pages::DashboardCache>,
}

impl AppState {
    pub fn new(store: Store, config: Config) -> Self {
        AppState {
            store,
            config: Arc::new(config),
            dashboards: Arc::default(),
        }
    }
}
