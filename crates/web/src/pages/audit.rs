//! The audit log, readable by the audit administrator alone: filtered by time, person, action
//! and object, objects named rather than numbered, and exported as CSV or XLSX (the export is
//! itself audited; formula-like cells are written as text).

use super::require;
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::state::AppState;
use crate::view::Layout;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use ronghe_core::access::Permission;
use ronghe_core::text::{csv_safe, looks_like_formula};
use ronghe_store::{AuditFilter, AuditRow, Page};
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/audit", get(show))
        .route("/admin/audit/export.csv", get(export_csv))
        .route("/admin/audit/export.xlsx", get(export_xlsx))
}

/// The most entries one export holds; a larger range is refused with a request to narrow it.
const EXPORT_MAX: i64 = 100_000;

const ACTIONS: [(&str, &str); 12] = [
    ("login", "登录"),
    ("logout", "退出"),
    ("lockout", "账号锁定"),
    ("denied", "越权访问被拒绝"),
    ("reveal", "查看完整个人信息"),
    ("export", "导出"),
    ("create", "新增"),
    ("update", "修改"),
    ("delete", "删除"),
    ("password", "修改密码"),
    ("account", "账号管理"),
    ("security", "安全策略"),
];

const OBJECTS: [(&str, &str); 7] = [
    ("org", "党组织"),
    ("member", "党员"),
    ("account", "账号"),
    ("plan", "计划"),
    ("meeting", "会议"),
    ("task", "任务"),
    ("settings", "系统设置"),
];

#[derive(Template, WebTemplate)]
#[template(path = "audit.html")]
struct AuditPage {
    layout: Layout,
    page: Page<AuditRow>,
    f: AuditFilter,
    names: HashMap<String, String>,
    actions: &'static [(&'static str, &'static str)],
    objects: &'static [(&'static str, &'static str)],
    query_base: String,
    bad_day: Option<&'static str>,
}

impl AuditPage {
    fn value<'a>(&self, v: &'a Option<String>) -> &'a str {
        v.as_deref().unwrap_or("")
    }
    /// The object as a person reads it, with its code for searching.
    fn object(&self, r: &AuditRow) -> String {
        match self.names.get(&r.target) {
            Some(name) => name.clone(),
            None => r.target.clone(),
        }
    }
}

fn query_of(f: &AuditFilter) -> String {
    let v = |o: &Option<String>| o.clone().unwrap_or_default();
    serde_urlencoded::to_string([
        ("from", v(&f.from)),
        ("to", v(&f.to)),
        ("username", v(&f.username)),
        ("action", v(&f.action)),
        ("target", v(&f.target)),
    ])
    .unwrap_or_default()
}

async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(f): Query<AuditFilter>,
) -> Result<AuditPage, AppError> {
    require(&state, &user, Permission::ReadAudit, "/admin/audit").await?;
    let page = state.store.audit_list(&f).await?;
    let names = state.store.audit_target_names(&page.items).await?;
    Ok(AuditPage {
        layout: Layout::new(&user, "审计日志", "/admin/audit"),
        page,
        names,
        actions: &ACTIONS,
        objects: &OBJECTS,
        query_base: query_of(&f),
        bad_day: f.bad_day(),
        f,
    })
}

/// The rows of an export, with their names, after the checks every export makes.
async fn export_rows(
    state: &AppState,
    user: &CurrentUser,
    f: &AuditFilter,
    format: &str,
) -> Result<(Vec<AuditRow>, HashMap<String, String>), AppError> {
    require(state, user, Permission::ReadAudit, "/admin/audit/export").await?;
    if f.bad_day().is_some() {
        return Err(AppError::BadRequest(
            "日期格式应为 年-月-日，例如 2026-11-01".into(),
        ));
    }
    let rows = state.store.audit_export(f, EXPORT_MAX + 1).await?;
    if rows.len() as i64 > EXPORT_MAX {
        return Err(AppError::BadRequest(format!(
            "所选范围超过 {EXPORT_MAX} 条，请缩小时间范围或加上筛选条件后再导出"
        )));
    }
    let names = state.store.audit_target_names(&rows).await?;
    let detail = format!(
        "导出审计日志（{format}），{} 条；条件：{}",
        rows.len(),
        query_of(f)
    );
    state
        .store
        .audit_event(&user.actor(), "export", "audit_log", "ok", &detail)
        .await;
    Ok((rows, names))
}

const HEADERS: [&str; 8] = [
    "时间",
    "用户",
    "来源地址",
    "操作",
    "对象",
    "对象编号",
    "结果",
    "说明",
];

fn cells(r: &AuditRow, names: &HashMap<String, String>) -> [String; 8] {
    [
        r.at_text(),
        r.username.clone(),
        r.ip.clone(),
        r.action_label().to_string(),
        names.get(&r.target).cloned().unwrap_or_default(),
        r.target.clone(),
        r.result_label().to_string(),
        r.detail.clone(),
    ]
}

fn file_name(f: &AuditFilter, ext: &str) -> String {
    let part = |v: &Option<String>, d: &str| {
        v.as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .unwrap_or(d)
            .to_string()
    };
    format!(
        "audit-{}-{}.{ext}",
        part(&f.from, "start"),
        part(&f.to, "now")
    )
    .replace(
        |c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '.'),
        "",
    )
}

async fn export_csv(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(f): Query<AuditFilter>,
) -> Result<Response, AppError> {
    let (rows, names) = export_rows(&state, &user, &f, "CSV").await?;
    // A byte-order mark, so spreadsheet programs read the Chinese as UTF-8.
    let mut out = String::from("\u{feff}");
    let line = |cells: &[String]| {
        cells
            .iter()
            .map(|c| format!("\"{}\"", csv_safe(c).replace('"', "\"\"")))
            .collect::<Vec<_>>()
            .join(",")
            + "\r\n"
    };
    out += &line(&HEADERS.map(String::from));
    for r in &rows {
        out += &line(&cells(r, &names));
    }
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", file_name(&f, "csv")),
            ),
        ],
        out,
    )
        .into_response())
}

/// An .xlsx of the rows: a frozen header, Chinese column widths, times as text in the
/// log's own format, every cell text (formula-like ones marked so, not evaluated).
fn xlsx(rows: &[AuditRow], names: &HashMap<String, String>) -> Result<Vec<u8>, String> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("审计日志").map_err(|e| e.to_string())?;
    let bold = Format::new().set_bold();
    let text = Format::new().set_quote_prefix();
    let widths = [20.0, 14.0, 16.0, 14.0, 30.0, 16.0, 8.0, 60.0];
    for (col, (h, w)) in HEADERS.iter().zip(widths).enumerate() {
        let col = col as u16;
        sheet
            .write_string_with_format(0, col, *h, &bold)
            .map_err(|e| e.to_string())?;
        sheet.set_column_width(col, w).map_err(|e| e.to_string())?;
    }
    sheet.set_freeze_panes(1, 0).map_err(|e| e.to_string())?;
    for (i, r) in rows.iter().enumerate() {
        let row = i as u32 + 1;
        for (col, cell) in cells(r, names).iter().enumerate() {
            let col = col as u16;
            if looks_like_formula(cell) {
                sheet.write_string_with_format(row, col, cell, &text)
            } else {
                sheet.write_string(row, col, cell)
            }
            .map_err(|e| e.to_string())?;
        }
    }
    book.save_to_buffer().map_err(|e| e.to_string())
}

async fn export_xlsx(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(f): Query<AuditFilter>,
) -> Result<Response, AppError> {
    let (rows, names) = export_rows(&state, &user, &f, "XLSX").await?;
    let bytes = tokio::task::spawn_blocking(move || xlsx(&rows, &names))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(AppError::Internal)?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", file_name(&f, "xlsx")),
            ),
        ],
        bytes,
    )
        .into_response())
}
