//! The audit log (who did what, when, from where, with what result) and the change history.

use crate::error::StoreResult;
use crate::q::Q;
use crate::{now_ms, Actor, Page, Store, COUNT_CAP};
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
    #[serde(deserialize_with = "crate::members::lenient_number")]
    pub page: Option<u32>,
}

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
        "write",
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
        let mut q = Q::new(" FROM audit_log WHERE 1=1");
        if let Some(a) = f.action.as_deref().filter(|a| !a.is_empty()) {
            q.push(" AND action = ").bind(a);
        }
        if let Some(u) = f
            .username
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
        {
            q.push(" AND username = ").bind(u);
        }
        let mut count = q.clone();
        count.sql = format!(
            "SELECT COUNT(*) FROM (SELECT 1{} LIMIT {}) t",
            count.sql,
            COUNT_CAP + 1
        );
        let total: i64 = count.scalar().fetch_one(&self.pool).await?;
        q.sql = format!(
            "SELECT id, at, account_id, username, ip, action, target, result, detail{} \
             ORDER BY id DESC LIMIT 50 OFFSET {}",
            q.sql,
            (page - 1) as i64 * 50
        );
        let items = q.query_as::<AuditRow>().fetch_all(&self.pool).await?;
        Ok(Page {
            items,
            page,
            per_page: 50,
            total: total.min(COUNT_CAP),
            total_capped: total > COUNT_CAP,
        })
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
