//! The audit log, readable by the audit administrator alone.

use super::require;
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::state::AppState;
use crate::view::Layout;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::routing::get;
use axum::Router;
use ronghe_core::access::Permission;
use ronghe_store::{AuditFilter, AuditRow, Page};

pub fn router() -> Router<AppState> {
    Router::new().route("/admin/audit", get(show))
}

#[derive(Template, WebTemplate)]
#[template(path = "audit.html")]
struct AuditPage {
    layout: Layout,
    page: Page<AuditRow>,
    action: String,
    username: String,
    actions: Vec<(&'static str, &'static str)>,
    query_base: String,
}

async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(f): Query<AuditFilter>,
) -> Result<AuditPage, AppError> {
    require(&state, &user, Permission::ReadAudit, "/admin/audit").await?;
    let page = state.store.audit_list(&f).await?;
    let action = f.action.clone().unwrap_or_default();
    let username = f.username.clone().unwrap_or_default();
    let query_base =
        serde_urlencoded::to_string([("action", action.clone()), ("username", username.clone())])
            .unwrap_or_default();
    Ok(AuditPage {
        layout: Layout::new(&user, "审计日志", "/admin/audit"),
        page,
        action,
        username,
        actions: vec![
            ("login", "登录"),
            ("logout", "退出"),
            ("lockout", "账号锁定"),
            ("denied", "越权访问被拒绝"),
            ("reveal", "查看完整个人信息"),
            ("write", "修改数据"),
            ("password", "修改密码"),
            ("account", "账号管理"),
            ("security", "安全策略"),
        ],
        query_base,
    })
}
