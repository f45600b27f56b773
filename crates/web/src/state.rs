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
}

impl AppState {
    pub fn new(store: Store, config: Config) -> Self {
        AppState {
            store,
            config: Arc::new(config),
        }
    }
}
