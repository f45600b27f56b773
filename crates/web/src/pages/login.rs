//! Login, logout and the password change.

use crate::auth::{self, Ctx, CurrentUser};
use crate::error::AppError;
use crate::state::AppState;
use crate::view::Layout;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use ronghe_store::{LoginOutcome, StoreError};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/login", get(login_page).post(login_submit))
        .route("/logout", post(logout))
        .route("/password", get(password_page).post(password_submit))
}

#[derive(Template, WebTemplate)]
#[template(path = "login.html")]
struct LoginPage {
    layout: Layout,
    username: String,
    next: String,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct NextQuery {
    next: String,
}

/// Only same-site paths, so the login page cannot be used to send people elsewhere.
fn safe_next(next: &str) -> String {
    if next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') {
        next.to_string()
    } else {
        "/".to_string()
    }
}

async fn login_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<NextQuery>,
) -> Response {
    if ctx.user.is_some() {
        return Redirect::to(&safe_next(&q.next)).into_response();
    }
    render_login(&state, &ctx, String::new(), q.next, None)
}

fn render_login(
    state: &AppState,
    ctx: &Ctx,
    username: String,
    next: String,
    error: Option<String>,
) -> Response {
    let token = ctx
        .pre_token
        .clone()
        .filter(|t| t.len() >= 32)
        .unwrap_or_else(ronghe_store::random_token);
    let page = LoginPage {
        layout: Layout::anonymous("登录", token.clone()),
        username,
        next,
        error,
    };
    let mut res = page.into_response();
    if let Ok(v) = auth::pre_cookie(&token, state.config.secure_cookies).parse() {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct LoginForm {
    username: String,
    password: String,
    next: String,
}

async fn login_submit(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(f): Form<LoginForm>,
) -> Result<Response, AppError> {
    let username = f.username.trim().to_lowercase();
    if username.is_empty() || f.password.is_empty() {
        return Ok(render_login(
            &state,
            &ctx,
            username,
            f.next,
            Some("请输入用户名和密码".into()),
        ));
    }
    let outcome = state.store.login(&username, &f.password, &ctx.ip).await?;
    let message = match outcome {
        LoginOutcome::Ok { account, .. } => {
            // A fresh session id at every login; any session the browser had is ended.
            if let Some(old) = ctx.user.as_ref() {
                state.store.session_delete(&old.token).await?;
            }
            let (token, _csrf) = state.store.session_create(account.id, &ctx.ip).await?;
            let mut res = Redirect::to(&safe_next(&f.next)).into_response();
            let cookie = auth::session_cookie(&token, state.config.secure_cookies);
            res.headers_mut()
                .append(header::SET_COOKIE, cookie.parse().expect("ascii cookie"));
            return Ok(res);
        }
        LoginOutcome::BadCredentials => "用户名或密码不正确".to_string(),
        LoginOutcome::Locked { until_ms } => format!(
            "连续输错密码次数过多，账号已锁定，请于 {} 后再试，或联系安全管理员解锁",
            ronghe_store::fmt_ms(until_ms)
        ),
        LoginOutcome::Disabled => "该账号已停用，请联系系统管理员".to_string(),
    };
    Ok(render_login(&state, &ctx, username, f.next, Some(message)))
}

async fn logout(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    if let Some(u) = &ctx.user {
        state.store.session_delete(&u.token).await?;
        state
            .store
            .audit_event(
                &u.actor(),
                "logout",
                &format!("account:{}", u.account().id),
                "ok",
                "",
            )
            .await;
    }
    let mut res = Redirect::to("/login").into_response();
    let cookie = auth::clear_session_cookie(state.config.secure_cookies);
    res.headers_mut()
        .append(header::SET_COOKIE, cookie.parse().expect("ascii cookie"));
    Ok(res)
}

#[derive(Template, WebTemplate)]
#[template(path = "password.html")]
struct PasswordPage {
    layout: Layout,
    forced: bool,
    error: Option<String>,
    field_error: Option<String>,
    rules: String,
}

async fn password_page(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<PasswordPage, AppError> {
    password_view(&state, &user, None, None).await
}

async fn password_view(
    state: &AppState,
    user: &CurrentUser,
    error: Option<String>,
    field_error: Option<String>,
) -> Result<PasswordPage, AppError> {
    let p = state.store.password_policy().await?;
    let rules = format!(
        "至少 {} 位，包含大写字母、小写字母、数字、符号中的至少 {} 种；不能包含用户名；不能与最近 {} 次的密码相同；每 {} 天需更换一次。",
        p.min_length, p.min_classes, p.history, p.expiry_days
    );
    Ok(PasswordPage {
        layout: Layout::new(user, "修改密码", ""),
        forced: user.must_change_password,
        error,
        field_error,
        rules,
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PasswordForm {
    current_password: String,
    new_password: String,
    confirm_password: String,
}

async fn password_submit(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(f): Form<PasswordForm>,
) -> Result<Response, AppError> {
    let account = user.account().clone();
    let hash = account.password_hash.clone();
    let current = f.current_password.clone();
    let current_ok =
        tokio::task::spawn_blocking(move || ronghe_store::verify_password(&current, &hash))
            .await
            .unwrap_or(false);
    if !current_ok {
        return Ok(
            password_view(&state, &user, Some("当前密码不正确".into()), None)
                .await?
                .into_response(),
        );
    }
    if f.new_password != f.confirm_password {
        return Ok(
            password_view(&state, &user, None, Some("两次输入的新密码不一致".into()))
                .await?
                .into_response(),
        );
    }
    match state
        .store
        .account_set_password(&user.actor(), account.id, &f.new_password)
        .await
    {
        Ok(()) => {
            // End every session of this account, then start a fresh one for this browser.
            state.store.sessions_end_for(account.id).await?;
            let (token, _) = state.store.session_create(account.id, &user.ip).await?;
            let mut res = Redirect::to("/?password=changed").into_response();
            let cookie = auth::session_cookie(&token, state.config.secure_cookies);
            res.headers_mut()
                .append(header::SET_COOKIE, cookie.parse().expect("ascii cookie"));
            Ok(res)
        }
        Err(StoreError::Invalid(e)) => {
            let msg =
                e.0.iter()
                    .map(|e| e.message.clone())
                    .collect::<Vec<_>>()
                    .join("；");
            Ok(password_view(&state, &user, None, Some(msg))
                .await?
                .into_response())
        }
        Err(e) => Err(e.into()),
    }
}
