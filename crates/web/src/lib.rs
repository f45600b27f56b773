//! ronghe-web: HTML pages and the JSON API over the same store and core rules.
//!
//! Routes live per feature (`pages::*`, `api::*`), each with its own `router()`, merged in
//! [`app`]. Every request passes the session layer (who is asking), then the CSRF check,
//! then the security headers.

mod api;
mod assets;
mod auth;
mod charts;
mod error;
mod forms;
mod guard;
pub mod library_search;
mod pages;
mod security;
mod state;
mod view;

pub use state::{AppState, Config};

use axum::middleware;
use axum::Router;
use library_search::SearchFollower;
use ronghe_store::Store;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;
use tower_http::set_header::SetResponseHeaderLayer;

/// The largest form or JSON body read. Far above any form's field limits (a 5,000-character
/// 会议内容 is 45 KB encoded), so a field typed or pasted past its limit still reaches the
/// validation that names it and keeps what was typed; upload routes set their own limits.
pub(crate) const FORM_BODY_MAX: usize = 4 * 1024 * 1024;

/// The whole application as one router.
pub fn app(state: AppState) -> Router {
    let hsts = state.config.secure_cookies;
    let app = Router::new()
        .merge(pages::router())
        .merge(api::router())
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            auth::csrf_layer,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            auth::session_layer,
        ))
        .layer(middleware::from_fn(security::friendly_rejections))
        .layer(middleware::from_fn(security::headers))
        .layer(axum::extract::DefaultBodyLimit::max(FORM_BODY_MAX))
        // Pages and stylesheets are text: gzip or brotli, as the browser accepts.
        .layer(tower_http::compression::CompressionLayer::new())
        .with_state(state);
    if hsts {
        // Served behind TLS (secure cookies): browsers keep to HTTPS for a year.
        app.layer(SetResponseHeaderLayer::overriding(
            axum::http::header::STRICT_TRANSPORT_SECURITY,
            axum::http::HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        ))
    } else {
        app
    }
}

async fn not_found(uri: axum::http::Uri) -> axum::response::Response {
    use axum::response::IntoResponse;
    if auth::is_api(uri.path()) {
        error::ApiError::NotFound.into_response()
    } else {
        error::AppError::NotFound.into_response()
    }
}

/// Binds `addr` and serves until the process is stopped. Returns the bound address first
/// through `on_bound` (port 0 in tests).
pub async fn serve(
    store: Store,
    config: Config,
    addr: SocketAddr,
    on_bound: impl FnOnce(SocketAddr),
) -> anyhow::Result<()> {
    let listener = TcpListener::bind(addr).await?;
    let library = Arc::new(SearchFollower::open(config.index_dir.as_deref())?);
    // The index is derived: followed from where it stopped, or read again from the database.
    let (rebuilt, n) = library.start(&store).await?;
    tracing::info!("case index: {n} published cases (rebuilt: {rebuilt})");
    let (follower, follow_store) = (library.clone(), store.clone());
    let following = tokio::spawn(async move {
        let mut tick = tokio::time::interval(state::FOLLOW_EVERY);
        loop {
            tick.tick().await;
            if let Err(e) = follower.follow(&follow_store).await {
                tracing::warn!("case index: {e}");
            }
        }
    });
    on_bound(listener.local_addr()?);
    let app = app(AppState::new(store, config, library));
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await?;
    following.abort();
    Ok(())
}
