//! Server-side sessions. The cookie carries a random token; the database keeps only its
//! SHA-256, so a copy of the database cannot be used to log in.

use crate::accounts::Account;
use crate::error::StoreResult;
use crate::{now_ms, Store};
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use rand::RngCore;
use ronghe_core::access::Grant;
use ronghe_core::password::PasswordPolicy;
use sha2::{Digest, Sha256};
use sqlx::FromRow;

#[derive(Debug, Clone, FromRow)]
pub struct Session {
    pub account_id: i64,
    pub csrf: String,
    pub created_at: i64,
    pub last_seen: i64,
}

#[derive(FromRow)]
struct SessionRow {
    account_id: i64,
    csrf: String,
    session_created_at: i64,
    last_seen: i64,
    #[sqlx(flatten)]
    account: Account,
    /// One row per grant of the account (NULL when it has none).
    grant_role: Option<String>,
    grant_path: Option<String>,
}

/// A live session with everything a request needs to decide what the user may see.
#[derive(Debug, Clone)]
pub struct SessionInfo {
    pub session: Session,
    pub account: Account,
    pub grants: Vec<Grant>,
}

pub fn random_token() -> String {
    let mut b = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut b);
    B64.encode(b)
}

fn digest(token: &str) -> String {
    let d = Sha256::digest(token.as_bytes());
    d.iter().map(|b| format!("{b:02x}")).collect()
}

/// Writing last_seen on every request would turn every page view into a write; a minute's
/// precision is plenty for a 30-minute idle timeout.
const TOUCH_EVERY_MS: i64 = 60_000;

impl Store {
    /// Starts a new session (always a new id: no fixation). Returns (token, csrf).
    pub async fn session_create(&self, account_id: i64, ip: &str) -> StoreResult<(String, String)> {
        let (token, csrf) = (random_token(), random_token());
        let now = now_ms();
        sqlx::query(
            "INSERT INTO sessions (id_hash, account_id, csrf, created_at, last_seen, ip) \
             VALUES ($1, $2, $3, $4, $4, $5)",
        )
        .bind(digest(&token))
        .bind(account_id)
        .bind(&csrf)
        .bind(now)
        .bind(ip)
        .execute(&self.pool)
        .await?;
        Ok((token, csrf))
    }

    /// The session for `token` if it is still valid under the policy's timeouts.
    pub async fn session_get(
        &self,
        token: &str,
        policy: &PasswordPolicy,
    ) -> StoreResult<Option<SessionInfo>> {
        let hash = digest(token);
        // One round trip for the session and its account: this runs on every request.
        // The session, its account and the account's grants in one statement: every request
        // starts here, so it costs one round trip to the database, not two.
        let rows = sqlx::query_as::<_, SessionRow>(
            "SELECT s.account_id, s.csrf, s.created_at AS session_created_at, s.last_seen, \
             a.id, a.username, a.display_name, a.password_hash, a.password_changed_at, a.must_change, \
             a.failed_count, a.last_failed_at, a.member_id, a.disabled, a.created_at, \
             g.role AS grant_role, o.path AS grant_path \
             FROM sessions s JOIN accounts a ON a.id = s.account_id \
             LEFT JOIN grants g ON g.account_id = a.id LEFT JOIN orgs o ON o.id = g.org_id \
             WHERE s.id_hash = $1 ORDER BY g.id",
        )
        .bind(&hash)
        .fetch_all(&self.pool)
        .await?;
        let grants: Vec<Grant> = rows
            .iter()
            .filter_map(|r| {
                Some(Grant {
                    role: ronghe_core::access::Role::from_code(r.grant_role.as_deref()?)?,
                    org_path: r.grant_path.clone(),
                    member_id: r.account.member_id,
                })
            })
            .collect();
        let Some(row) = rows.into_iter().next() else {
            return Ok(None);
        };
        let session = Session {
            account_id: row.account_id,
            csrf: row.csrf,
            created_at: row.session_created_at,
            last_seen: row.last_seen,
        };
        let account = row.account;
        let now = now_ms();
        let idle = i64::from(policy.idle_timeout_minutes) * 60_000;
        let absolute = i64::from(policy.absolute_timeout_hours) * 3_600_000;
        if now - session.last_seen > idle || now - session.created_at > absolute {
            self.session_delete(token).await?;
            return Ok(None);
        }
        if account.disabled != 0 {
            return Ok(None);
        }
        if now - session.last_seen > TOUCH_EVERY_MS {
            sqlx::query("UPDATE sessions SET last_seen = $1 WHERE id_hash = $2")
                .bind(now)
                .bind(&hash)
                .execute(&self.pool)
                .await?;
        }
        Ok(Some(SessionInfo {
            session,
            account,
            grants,
        }))
    }

    pub async fn session_delete(&self, token: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(digest(token))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn sessions_end_for(&self, account_id: i64) -> StoreResult<()> {
        sqlx::query("DELETE FROM sessions WHERE account_id = $1")
            .bind(account_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
