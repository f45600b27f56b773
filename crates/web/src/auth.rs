//! Who is asking: sessions from the cookie or a bearer token, the CSRF check on every
//! state-changing request, and the `CurrentUser` extractor handlers take.

use crate::error::ApiError;
use crate::state::AppState;
use axum::body::Body;
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use ronghe_core::access::{has, scope_for, Permission};
use ronghe_core::scope::Scope;
use ronghe_store::{Account, Actor, SessionInfo};
use std::net::SocketAddr;
use std::sync::Arc;

pub const SESSION_COOKIE: &str = "ronghe_sid";
/// Double-submit token for forms shown before login.
pub const PRE_COOKIE: &str = "ronghe_pre";

/// What the session layer learned about the request.
#[derive(Clone)]
pub struct Ctx {
    pub ip: String,
    pub user: Option<CurrentUser>,
    pub pre_token: Option<String>,
}

#[derive(Clone)]
pub struct CurrentUser {
    pub info: Arc<SessionInfo>,
    pub token: String,
    pub via_bearer: bool,
    pub ip: String,
    pub must_change_password: bool,
}

impl CurrentUser {
    pub fn account(&self) -> &Account {
        &self.info.account
    }
    pub fn scope(&self, perm: Permission) -> Scope {
        scope_for(&self.info.grants, perm)
    }
    pub fn can(&self, perm: Permission) -> bool {
        has(&self.info.grants, perm)
    }
    pub fn csrf(&self) -> &str {
        &self.info.session.csrf
    }
    pub fn actor(&self) -> Actor {
        Actor {
            account_id: Some(self.info.account.id),
            username: self.info.account.username.clone(),
            ip: self.ip.clone(),
        }
    }
}

pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

fn bearer(headers: &HeaderMap) -> Option<String> {
    let v = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    v.strip_prefix("Bearer ").map(|t| t.trim().to_string())
}

pub fn is_api(path: &str) -> bool {
    path.starts_with("/api/")
}

/// Pages a user who must change their password may still open.
fn allowed_before_password_change(path: &str) -> bool {
    path == "/password"
        || path == "/logout"
        || path.starts_with("/static/")
        || path == "/favicon.ico"
        || path == "/api/v1/session"
        || path == "/healthz"
}

pub async fn session_layer(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    let ip = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "-".to_string());
    let headers = req.headers();
    let (token, via_bearer) = match bearer(headers) {
        Some(t) => (Some(t), true),
        None => (cookie(headers, SESSION_COOKIE), false),
    };
    let pre_token = cookie(headers, PRE_COOKIE);
    let mut user = None;
    if let Some(token) = token.filter(|t| t.len() < 100) {
        let policy = match state.store.password_policy().await {
            Ok(p) => p,
            Err(e) => return crate::error::AppError::from(e).into_response(),
        };
        match state.store.session_get(&token, &policy).await {
            Ok(Some(info)) => {
                let now = ronghe_store::now_ms();
                let must_change = info.account.must_change != 0
                    || policy.is_expired(info.account.password_changed_at, now);
                user = Some(CurrentUser {
                    info: Arc::new(info),
                    token,
                    via_bearer,
                    ip: ip.clone(),
                    must_change_password: must_change,
                });
            }
            Ok(None) => {}
            Err(e) => return crate::error::AppError::from(e).into_response(),
        }
    }
    let path = req.uri().path().to_string();
    if let Some(u) = &user {
        if u.must_change_password && !allowed_before_password_change(&path) {
            if is_api(&path) {
                return ApiError::Unauthorized("请先在网页上修改初始密码或已过期的密码".into())
                    .into_response();
            }
            return Redirect::to("/password").into_response();
        }
    }
    req.extensions_mut().insert(Ctx {
        ip,
        user,
        pre_token,
    });
    next.run(req).await
}

/// Refuses every state-changing request that does not carry the session's CSRF token (or,
/// before login, the double-submit token). Bearer-token API calls carry no ambient
/// credentials and need none; the JSON login cannot be sent cross-site without CORS.
pub async fn csrf_layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let ctx = req
        .extensions()
        .get::<Ctx>()
        .cloned()
        .expect("session layer runs first");
    if let Some(refused) = api_write_refusal(&req, &ctx) {
        return refused;
    }
    if ctx.user.as_ref().is_some_and(|u| u.via_bearer) {
        return next.run(req).await;
    }
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let path = req.uri().path().to_string();
    if path == "/api/v1/session"
        && content_type.starts_with("application/json")
        && ctx.user.is_none()
    {
        return next.run(req).await;
    }
    let expected = match &ctx.user {
        Some(u) => Some(u.csrf().to_string()),
        None => ctx.pre_token.clone(),
    };
    let mut provided = req
        .headers()
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    if provided.is_none() && content_type.starts_with("multipart/form-data") {
        // Upload forms carry the token in their action URL; the body is not read here.
        provided = req
            .uri()
            .query()
            .and_then(|q| form_urlencoded_field(q.as_bytes(), "csrf"));
    }
    let req = if provided.is_none() && content_type.starts_with("application/x-www-form-urlencoded")
    {
        let (parts, body) = req.into_parts();
        let Ok(bytes) = axum::body::to_bytes(body, crate::FORM_BODY_MAX).await else {
            return (StatusCode::PAYLOAD_TOO_LARGE, "提交的内容过大").into_response();
        };
        provided = form_urlencoded_field(&bytes, "csrf");
        Request::from_parts(parts, Body::from(bytes))
    } else {
        req
    };
    let ok =
        matches!((&expected, &provided), (Some(e), Some(p)) if !e.is_empty() && constant_eq(e, p));
    if ok {
        return next.run(req).await;
    }
    let actor = ctx.user.as_ref().map(CurrentUser::actor).unwrap_or(Actor {
        account_id: None,
        username: "-".into(),
        ip: ctx.ip.clone(),
    });
    state
        .store
        .audit_event(&actor, "denied", &path, "denied", "CSRF 校验失败")
        .await;
    if is_api(&path) {
        return (StatusCode::FORBIDDEN, axum::Json(serde_json::json!({"error": "缺少或错误的 CSRF 令牌（请求头 X-CSRF-Token）", "fields": []}))).into_response();
    }
    (
        StatusCode::FORBIDDEN,
        crate::view::ErrorPage {
            title: "页面已过期",
            message: "为保护您的账号，这次提交未被受理。请返回上一页，刷新后重新提交。".into(),
        },
    )
        .into_response()
}

/// A write to the JSON API answered before anything else: 401 without a login (not a CSRF
/// complaint), 415 when the body is not JSON.
fn api_write_refusal(req: &Request, ctx: &Ctx) -> Option<Response> {
    let path = req.uri().path();
    if !is_api(path) {
        return None;
    }
    let json_error = |status: StatusCode, msg: &str| {
        Some(
            (
                status,
                axum::Json(serde_json::json!({"error": msg, "fields": []})),
            )
                .into_response(),
        )
    };
    if ctx.user.is_none() && path != "/api/v1/session" {
        return json_error(
            StatusCode::UNAUTHORIZED,
            "请先登录：用 POST /api/v1/session 取得令牌，放在请求头 Authorization: Bearer 令牌 中",
        );
    }
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    // A body is announced by its length or by chunked transfer; a bare POST (an action such
    // as marking a milestone done) has neither.
    let has_body = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|n| n.trim() != "0")
        || req.headers().contains_key(header::TRANSFER_ENCODING);
    let is_json = content_type.is_some_and(|t| {
        let t = t
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        t == "application/json" || t.ends_with("+json")
    });
    let wrong = match content_type {
        Some(_) => !is_json,
        None => has_body,
    };
    if wrong {
        return json_error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "请求体应为 JSON，请设置请求头 Content-Type: application/json",
        );
    }
    None
}

fn form_urlencoded_field(body: &[u8], name: &str) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

fn constant_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

impl<S: Send + Sync> FromRequestParts<S> for CurrentUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let ctx = parts.extensions.get::<Ctx>();
        if let Some(user) = ctx.and_then(|c| c.user.clone()) {
            return Ok(user);
        }
        if is_api(parts.uri.path()) {
            return Err(
                ApiError::Unauthorized("请先登录（POST /api/v1/session）".into()).into_response(),
            );
        }
        let next = parts
            .uri
            .path_and_query()
            .map(|p| p.as_str())
            .unwrap_or("/");
        let target = format!("/login?next={}", urlencode(next));
        Err(Redirect::to(&target).into_response())
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(parts.extensions.get::<Ctx>().cloned().unwrap_or(Ctx {
            ip: "-".into(),
            user: None,
            pre_token: None,
        }))
    }
}

pub fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)])
        .map(|e| e[1..].to_string())
        .unwrap_or_default()
}

/// The session cookie header value.
pub fn session_cookie(token: &str, secure: bool) -> String {
    format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax{}",
        if secure { "; Secure" } else { "" }
    )
}

pub fn clear_session_cookie(secure: bool) -> String {
    format!(
        "{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{}",
        if secure { "; Secure" } else { "" }
    )
}

pub fn pre_cookie(token: &str, secure: bool) -> String {
    format!(
        "{PRE_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict{}",
        if secure { "; Secure" } else { "" }
    )
}
