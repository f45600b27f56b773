//! The audit log (who did what, when, from where, with what result) and the change history.

use crate::error::StoreResult;
use crate::q::Q;
use crate::{now_ms, Actor, Page, Store};
use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;
use sqlx::FromRow;

/// An event to record.
#[derive(Debug, Clone)]
pub struct AuditEntry<'a> {
    pub action: &'a str,
    pub target: &'a str,
    pub result: &'a str,
    pub detail: &'a str,
}

#[derive(Debug, Clone, Serialize, FromRow)]
pub struct AuditRow {
    pub id: i64,
    pub at: i64,
    pub account_id: Option<i64>,
    pub username: String,
    pub ip: String,
    pub action: String,
    pub target: String,
    pub result: String,
    pub detail: String,
}

impl AuditRow {
    pub fn action_label(&self) -> &str {
        match self.action.as_str() {
            "login" => "登录",
            "logout" => "退出",
            "lockout" => "账号锁定",
            "denied" => "越权访问被拒绝",
            "reveal" => "查看完整个人信息",
            "export" => "导出",
            "create" => "新增",
            "update" => "修改",
            "delete" => "删除",
            "write" => "修改数据",
            "password" => "修改密码",
            "account" => "账号管理",
            "security" => "安全策略",
            other => other,
        }
    }
    pub fn result_label(&self) -> &str {
        match self.result.as_str() {
            "ok" => "成功",
            "fail" => "失败",
            "denied" => "拒绝",
            other => other,
        }
    }
    pub fn at_text(&self) -> String {
        fmt_ms(self.at)
    }
}

/// Formats epoch milliseconds as local "YYYY-MM-DD HH:MM:SS".
pub fn fmt_ms(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| {
            t.with_timezone(&chrono::Local)
                .format("%Y-%m-%d %H:%M:%S")
                .to_string()
        })
        .unwrap_or_default()
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct AuditFilter {
    pub action: Option<String>,
    pub username: Option<String>,
    /// Days, inclusive ("2026-11-01"); unparseable ones are ignored by the page, which says so.
    pub from: Option<String>,
    pub to: Option<String>,
    /// An object ("meeting:200") or a kind of object ("meeting").
    pub target: Option<String>,
    #[serde(deserialize_with = "crate::members::lenient_number")]
    pub page: Option<u32>,
}

impl AuditFilter {
    fn day(v: &Option<String>) -> Option<chrono::NaiveDate> {
        v.as_deref().map(str::trim).and_then(|d| d.parse().ok())
    }
    /// The first millisecond of `from` and the first after `to`, local time.
    pub fn range_ms(&self) -> (Option<i64>, Option<i64>) {
        let ms = |d: chrono::NaiveDate| {
            d.and_hms_opt(0, 0, 0)
                .and_then(|t| t.and_local_timezone(chrono::Local).earliest())
                .map(|t| t.timestamp_millis())
        };
        (
            Self::day(&self.from).and_then(ms),
            Self::day(&self.to).and_then(|d| d.succ_opt()).and_then(ms),
        )
    }
    /// A typed day that is not one, for the page to point at.
    pub fn bad_day(&self) -> Option<&'static str> {
        let bad = |v: &Option<String>| {
            v.as_deref().is_some_and(|d| !d.trim().is_empty()) && Self::day(v).is_none()
        };
        if bad(&self.from) {
            Some("from")
        } else if bad(&self.to) {
            Some("to")
        } else {
            None
        }
    }
}

/// What a write did, told from the first words of its summary ("删除会议记录…" is a deletion),
/// so the log says 新增 / 修改 / 删除 rather than one "修改数据" for all.
pub fn write_kind(summary: &str) -> &'static str {
    const DELETE: [&str; 4] = ["删除", "撤销", "撤回", "移除"];
    const CREATE: [&str; 10] = [
        "新建", "新增", "登记", "创建", "建立", "记录", "部署", "添加", "录入", "授予",
    ];
    let s = summary.trim_start();
    if DELETE.iter().any(|v| s.starts_with(v)) {
        "delete"
    } else if CREATE.iter().any(|v| s.starts_with(v)) {
        "create"
    } else {
        "update"
    }
}

/// The names of the objects a page of the log names ("meeting:200" → "会议「主题党日」"),
/// read in one statement per kind; deleted objects have none and show their id.
const NAMED: [(&str, &str, &str); 7] = [
    ("org", "党组织", "SELECT id, name FROM orgs WHERE id IN "),
    (
        "member",
        "党员",
        "SELECT id, name FROM members WHERE id IN ",
    ),
    (
        "account",
        "账号",
        "SELECT id, display_name || '（' || username || '）' FROM accounts WHERE id IN ",
    ),
    ("plan", "计划", "SELECT id, title FROM plans WHERE id IN "),
    (
        "meeting",
        "会议",
        "SELECT id, topic FROM meetings WHERE id IN ",
    ),
    ("task", "任务", "SELECT id, title FROM tasks WHERE id IN "),
    ("kpi", "指标", "SELECT id, name FROM kpis WHERE id IN "),
];

#[derive(Debug, Clone, Serialize, FromRow)]
pub struct ChangeRow {
    pub at: i64,
    pub username: String,
    pub summary: String,
}

impl ChangeRow {
    pub fn at_text(&self) -> String {
        fmt_ms(self.at)
    }
}

/// Records a write in the entity's history and in the audit log, inside the write's transaction.
pub(crate) async fn change(
    conn: &mut AnyConnection,
    actor: &Actor,
    entity: &str,
    id: i64,
    summary: &str,
) -> StoreResult<()> {
    let now = now_ms();
    sqlx::query(
        "INSERT INTO changes (entity, entity_id, at, account_id, username, summary) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(entity)
    .bind(id)
    .bind(now)
    .bind(actor.account_id)
    .bind(&actor.username)
    .bind(summary)
    .execute(&mut *conn)
    .await?;
    insert(
        conn,
        actor,
        now,
        write_kind(summary),
        &format!("{entity}:{id}"),
        "ok",
        summary,
    )
    .await
}

async fn insert(
    conn: &mut AnyConnection,
    actor: &Actor,
    at: i64,
    action: &str,
    target: &str,
    result: &str,
    detail: &str,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO audit_log (at, account_id, username, ip, action, target, result, detail) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(at)
    .bind(actor.account_id)
    .bind(&actor.username)
    .bind(&actor.ip)
    .bind(action)
    .bind(target)
    .bind(result)
    .bind(detail)
    .execute(conn)
    .await?;
    Ok(())
}

impl Store {
    /// Records an event outside any write (login, denial, reveal). A failure to record is
    /// logged, not returned: the caller's answer must not depend on it.
    pub async fn audit_event(
        &self,
        actor: &Actor,
        action: &str,
        target: &str,
        result: &str,
        detail: &str,
    ) {
        let res = async {
            let mut conn = self.pool.acquire().await?;
            insert(&mut conn, actor, now_ms(), action, target, result, detail).await
        }
        .await;
        if let Err(e) = res {
            tracing::error!(error = %e, action, target, "could not write the audit log");
        }
    }

    pub async fn audit(&self, actor: &Actor, e: AuditEntry<'_>) {
        self.audit_event(actor, e.action, e.target, e.result, e.detail)
            .await
    }

    /// The audit log, newest first. Only the audit administrator's handlers call this.
    pub async fn audit_list(&self, f: &AuditFilter) -> StoreResult<Page<AuditRow>> {
        let page = f.page.unwrap_or(1).clamp(1, 100_000);
        self.fetch_page(audit_where(f), AUDIT_COLS, "id DESC", page, 50)
            .await
    }

    /// Every entry the filter selects, oldest first, at most `limit`, for an export.
    pub async fn audit_export(&self, f: &AuditFilter, limit: i64) -> StoreResult<Vec<AuditRow>> {
        let mut q = audit_where(f);
        q.sql = format!("SELECT {AUDIT_COLS}{} ORDER BY id LIMIT {limit}", q.sql);
        Ok(q.query_as::<AuditRow>().fetch_all(&self.pool).await?)
    }

    /// Names of the objects `rows` name, keyed by target ("meeting:200" → "会议「主题党日」").
    pub async fn audit_target_names(
        &self,
        rows: &[AuditRow],
    ) -> StoreResult<std::collections::HashMap<String, String>> {
        let mut out = std::collections::HashMap::new();
        for (kind, label, select) in NAMED {
            let ids: std::collections::BTreeSet<i64> = rows
                .iter()
                .filter_map(|r| r.target.split_once(':'))
                .filter(|(k, _)| *k == kind)
                .filter_map(|(_, id)| id.parse().ok())
                .collect();
            if ids.is_empty() {
                continue;
            }
            // Integers parsed above: safe to list inline.
            let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
            let names: Vec<(i64, String)> = sqlx::query_as(&format!("{select}({list})"))
                .fetch_all(&self.pool)
                .await?;
            for (id, name) in names {
                out.insert(format!("{kind}:{id}"), format!("{label}「{name}」"));
            }
            for id in ids {
                out.entry(format!("{kind}:{id}"))
                    .or_insert_with(|| format!("{label}（编号 {id}，已删除）"));
            }
        }
        Ok(out)
    }

    /// The change history of one entity. Callers first fetch the entity through the scope.
    pub async fn history(&self, entity: &str, id: i64) -> StoreResult<Vec<ChangeRow>> {
        Ok(sqlx::query_as::<_, ChangeRow>(
            "SELECT at, username, summary FROM changes WHERE entity = $1 AND entity_id = $2 \
             ORDER BY at DESC, id DESC LIMIT 200",
        )
        .bind(entity)
        .bind(id)
        .fetch_all(&self.pool)
        .await?)
    }
}

const AUDIT_COLS: &str = "id, at, account_id, username, ip, action, target, result, detail";

/// The WHERE clause of a filter, after " FROM audit_log".
fn audit_where(f: &AuditFilter) -> Q {
    let mut q = Q::new(" FROM audit_log WHERE 1=1");
    let given = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    };
    if let Some(a) = given(&f.action) {
        if a == "update" {
            // Entries written before writes were told apart read "write".
            q.push(" AND action IN ('update', 'write')");
        } else {
            q.push(" AND action = ").bind(a);
        }
    }
    if let Some(u) = given(&f.username) {
        q.push(" AND username = ").bind(u);
    }
    if let Some(t) = given(&f.target) {
        if t.contains(':') {
            q.push(" AND target = ").bind(t);
        } else {
            q.push(" AND target LIKE ")
                .bind(format!("{}:%", t.replace(['%', '_'], "")));
        }
    }
    let (from, to) = f.range_ms();
    if let Some(from) = from {
        q.push(" AND at >= ").bind(from);
    }
    if let Some(to) = to {
        q.push(" AND at < ").bind(to);
    }
    q
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_are_told_apart_by_their_first_words() {
        assert_eq!(write_kind("删除会议记录「主题党日」"), "delete");
        assert_eq!(write_kind("撤销角色：支部书记"), "delete");
        assert_eq!(write_kind("登记党员「张三」（正式党员）"), "create");
        assert_eq!(write_kind("新建账号 zhibu"), "create");
        assert_eq!(write_kind("计划状态：执行中 → 已总结"), "update");
        assert_eq!(write_kind("修改任务"), "update");
    }
}
