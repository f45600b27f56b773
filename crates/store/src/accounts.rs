//! Accounts, their roles, passwords, lockout and the password policy.

use crate::error::{StoreError, StoreResult};
use crate::{audit, now_ms, Actor, Store};
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use ronghe_core::access::{Grant, Role};
use ronghe_core::password::PasswordPolicy;
use serde::Serialize;
use sqlx::FromRow;

mod grants;

/// The policy as last read, and when. Several server processes on one database see a change
/// within [`POLICY_TTL`].
#[derive(Debug, Clone, Serialize, FromRow)]
pub struct Account {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    #[serde(skip)]
    pub password_hash: String,
    pub password_changed_at: i64,
    pub must_change: i64,
    pub failed_count: i64,
    pub last_failed_at: Option<i64>,
    pub member_id: Option<i64>,
    pub disabled: i64,
    pub created_at: i64,
}

const ACCOUNT_COLS: &str = "id, username, display_name, password_hash, password_changed_at, \
    must_change, failed_count, last_failed_at, member_id, disabled, created_at";

/// A role grant with the organization it is on.
#[derive(Debug, Clone, Serialize, FromRow)]
pub struct GrantRow {
    pub id: i64,
    pub account_id: i64,
    pub role: String,
    pub org_id: Option<i64>,
    pub org_name: Option<String>,
    pub org_path: Option<String>,
}

impl GrantRow {
    pub fn role(&self) -> Option<Role> {
        Role::from_code(&self.role)
    }
    pub fn role_label(&self) -> &'static str {
        self.role().map_or("未知角色", Role::label)
    }
}

/// A new account as validated by the caller.
#[derive(Debug, Clone)]
pub struct AccountInput {
    pub username: String,
    pub display_name: String,
    pub password: String,
    pub member_id: Option<i64>,
    pub must_change: bool,
}

#[derive(Debug)]
pub enum LoginOutcome {
    Ok {
        account: Account,
        password_expired: bool,
    },
    BadCredentials,
    Locked {
        until_ms: i64,
    },
    Disabled,
}

pub fn hash_password(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 hashing of an in-memory password")
        .to_string()
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Hashing is slow on purpose; keep it off the async threads.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    tokio::task::spawn_blocking(f)
        .await
        .expect("password hashing task panicked")
}

pub fn valid_username(u: &str) -> bool {
    (3..=32).contains(&u.len())
        && u.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.')
}

impl Store {
    pub async fn account_by_username(&self, username: &str) -> StoreResult<Option<Account>> {
        Ok(sqlx::query_as::<_, Account>(&format!(
            "SELECT {ACCOUNT_COLS} FROM accounts WHERE username = $1"
        ))
        .bind(username)
        .fetch_optional(&self.pool)
        .await?)
    }

    pub async fn account_get(&self, id: i64) -> StoreResult<Account> {
        sqlx::query_as::<_, Account>(&format!(
            "SELECT {ACCOUNT_COLS} FROM accounts WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)
    }

    pub async fn account_list(&self) -> StoreResult<Vec<Account>> {
        Ok(sqlx::query_as::<_, Account>(&format!(
            "SELECT {ACCOUNT_COLS} FROM accounts ORDER BY id LIMIT 5000"
        ))
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn grant_rows(&self, account_id: i64) -> StoreResult<Vec<GrantRow>> {
        Ok(sqlx::query_as::<_, GrantRow>(
            "SELECT g.id, g.account_id, g.role, g.org_id, o.name AS org_name, o.path AS org_path \
             FROM grants g LEFT JOIN orgs o ON o.id = g.org_id WHERE g.account_id = $1 ORDER BY g.id",
        )
        .bind(account_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// The grants of an account in the form core's access rules take.
    pub async fn grants(&self, account: &Account) -> StoreResult<Vec<Grant>> {
        Ok(self
            .grant_rows(account.id)
            .await?
            .into_iter()
            .filter_map(|g| {
                Some(Grant {
                    role: g.role()?,
                    org_path: g.org_path.clone(),
                    member_id: account.member_id,
                })
            })
            .collect())
    }

    pub async fn password_policy(&self) -> StoreResult<PasswordPolicy> {
        if let Some(p) = self.policy_cache.get() {
            return Ok(p);
        }
        let p = self.password_policy_uncached().await?;
        self.policy_cache.put(p.clone());
        Ok(p)
    }

    async fn password_policy_uncached(&self) -> StoreResult<PasswordPolicy> {
        let v: Option<String> =
            sqlx::query_scalar("SELECT value FROM settings WHERE key = 'password_policy'")
                .fetch_optional(&self.pool)
                .await?;
        Ok(v.and_then(|v| serde_json::from_str(&v).ok())
            .unwrap_or_default())
    }

    pub async fn set_password_policy(&self, actor: &Actor, p: &PasswordPolicy) -> StoreResult<()> {
        if let Err(errors) = p.validate() {
            return Err(StoreError::field("policy", errors.join("；")));
        }
        let json = serde_json::to_string(p).expect("policy serializes");
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM settings WHERE key = 'password_policy'")
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO settings (key, value) VALUES ('password_policy', $1)")
            .bind(&json)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        self.policy_cache.clear();
        self.audit_event(actor, "security", "password_policy", "ok", &json)
            .await;
        Ok(())
    }

    /// Checks a password, counting failures and locking the account per the policy.
    pub async fn login(
        &self,
        username: &str,
        password: &str,
        ip: &str,
    ) -> StoreResult<LoginOutcome> {
        let policy = self.password_policy().await?;
        let now = now_ms();
        let account = self.account_by_username(username).await?;
        let actor = Actor {
            account_id: account.as_ref().map(|a| a.id),
            username: username.chars().take(40).collect(),
            ip: ip.to_string(),
        };
        let Some(account) = account else {
            // Spend the same time as a real check, so a name cannot be probed by timing.
            let pw = password.to_string();
            blocking(move || verify_password(&pw, DUMMY_HASH)).await;
            self.audit_event(&actor, "login", "account:?", "fail", "用户名不存在")
                .await;
            return Ok(LoginOutcome::BadCredentials);
        };
        if account.disabled != 0 {
            // Same time as a real check, so a disabled name cannot be told by timing either.
            let pw = password.to_string();
            blocking(move || verify_password(&pw, DUMMY_HASH)).await;
            self.audit_event(
                &actor,
                "login",
                &format!("account:{}", account.id),
                "fail",
                "账号已停用",
            )
            .await;
            return Ok(LoginOutcome::Disabled);
        }
        if let Some(until) = policy.locked_until(
            account.failed_count as u32,
            account.last_failed_at.unwrap_or(0),
            now,
        ) {
            self.audit_event(
                &actor,
                "login",
                &format!("account:{}", account.id),
                "fail",
                "账号锁定中",
            )
            .await;
            return Ok(LoginOutcome::Locked { until_ms: until });
        }
        let (pw, hash) = (password.to_string(), account.password_hash.clone());
        if blocking(move || verify_password(&pw, &hash)).await {
            sqlx::query(
                "UPDATE accounts SET failed_count = 0, last_failed_at = NULL WHERE id = $1",
            )
            .bind(account.id)
            .execute(&self.pool)
            .await?;
            self.audit_event(
                &actor,
                "login",
                &format!("account:{}", account.id),
                "ok",
                "",
            )
            .await;
            let password_expired = policy.is_expired(account.password_changed_at, now);
            return Ok(LoginOutcome::Ok {
                account,
                password_expired,
            });
        }
        // A failure after an expired lock starts a new count.
        let previous = if account
            .last_failed_at
            .is_some_and(|t| now - t > i64::from(policy.lockout_minutes) * 60_000)
        {
            0
        } else {
            account.failed_count
        };
        let failures = previous + 1;
        sqlx::query("UPDATE accounts SET failed_count = $1, last_failed_at = $2 WHERE id = $3")
            .bind(failures)
            .bind(now)
            .bind(account.id)
            .execute(&self.pool)
            .await?;
        let target = format!("account:{}", account.id);
        self.audit_event(
            &actor,
            "login",
            &target,
            "fail",
            &format!("密码错误（连续第 {failures} 次）"),
        )
        .await;
        if let Some(until) = policy.locked_until(failures as u32, now, now) {
            let detail = format!(
                "连续 {failures} 次密码错误，锁定 {} 分钟",
                policy.lockout_minutes
            );
            self.audit_event(&actor, "lockout", &target, "ok", &detail)
                .await;
            return Ok(LoginOutcome::Locked { until_ms: until });
        }
        Ok(LoginOutcome::BadCredentials)
    }

    pub async fn account_unlock(&self, actor: &Actor, id: i64) -> StoreResult<()> {
        let a = self.account_get(id).await?;
        sqlx::query("UPDATE accounts SET failed_count = 0, last_failed_at = NULL WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        self.audit_event(
            actor,
            "account",
            &format!("account:{id}"),
            "ok",
            &format!("解锁账号 {}", a.username),
        )
        .await;
        Ok(())
    }

    /// Creates an account; the password is checked against the policy (one-time passwords
    /// from [`one_time_password`] satisfy any valid policy up to 16 characters).
    pub async fn account_create(&self, actor: &Actor, input: &AccountInput) -> StoreResult<i64> {
        if !valid_username(&input.username) {
            return Err(StoreError::field(
                "username",
                "用户名应为 3–32 位小写字母、数字、下划线或点",
            ));
        }
        let display = ronghe_core::text::required("姓名", &input.display_name, 30)
            .map_err(|m| StoreError::field("display_name", m))?;
        let policy = self.password_policy().await?;
        let problems = policy.check(&input.password, &input.username);
        if !problems.is_empty() {
            return Err(StoreError::field("password", problems.join("；")));
        }
        if let Some(m) = input.member_id {
            if let Some(other) = self.account_of_member(m).await? {
                return Err(StoreError::field(
                    "member_id",
                    format!("该党员已有账号 {}，一名党员只能有一个账号", other),
                ));
            }
        }
        let pw = input.password.clone();
        let hash = blocking(move || hash_password(&pw)).await;
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        let res = sqlx::query_scalar::<_, i64>(
            "INSERT INTO accounts (username, display_name, password_hash, password_changed_at, \
             must_change, member_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $4) RETURNING id",
        )
        .bind(&input.username)
        .bind(&display)
        .bind(&hash)
        .bind(now)
        .bind(i64::from(input.must_change))
        .bind(input.member_id)
        .fetch_one(&mut *tx)
        .await;
        let id = match res {
            Err(e) if StoreError::is_unique_violation(&e) => {
                return Err(StoreError::field("username", "该用户名已被使用"));
            }
            r => r?,
        };
        sqlx::query("INSERT INTO password_history (account_id, hash, at) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(&hash)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        audit::change(
            &mut tx,
            actor,
            "account",
            id,
            &format!("新建账号 {}（{display}）", input.username),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn account_set_disabled(
        &self,
        actor: &Actor,
        id: i64,
        disabled: bool,
    ) -> StoreResult<()> {
        let a = self.account_get(id).await?;
        if disabled {
            self.keep_one_admin(id, None).await?;
        }
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE accounts SET disabled = $1 WHERE id = $2")
            .bind(i64::from(disabled))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let what = if disabled { "停用" } else { "启用" };
        audit::change(
            &mut tx,
            actor,
            "account",
            id,
            &format!("{what}账号 {}", a.username),
        )
        .await?;
        tx.commit().await?;
        if disabled {
            self.sessions_end_for(id).await?;
        }
        Ok(())
    }

    /// Sets a new password after checking the policy and the last N passwords.
    pub async fn account_set_password(
        &self,
        actor: &Actor,
        id: i64,
        new_password: &str,
    ) -> StoreResult<()> {
        let account = self.account_get(id).await?;
        let policy = self.password_policy().await?;
        let problems = policy.check(new_password, &account.username);
        if !problems.is_empty() {
            return Err(StoreError::field("new_password", problems.join("；")));
        }
        let recent: Vec<String> = sqlx::query_scalar(
            "SELECT hash FROM password_history WHERE account_id = $1 ORDER BY at DESC LIMIT $2",
        )
        .bind(id)
        .bind(i64::from(policy.history))
        .fetch_all(&self.pool)
        .await?;
        let pw = new_password.to_string();
        let reused = blocking(move || recent.iter().any(|h| verify_password(&pw, h))).await;
        if reused {
            return Err(StoreError::field(
                "new_password",
                format!("新密码不能与最近 {} 次使用过的密码相同", policy.history),
            ));
        }
        let pw = new_password.to_string();
        let hash = blocking(move || hash_password(&pw)).await;
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        write_password(&mut tx, id, &hash, now, false).await?;
        sqlx::query("INSERT INTO password_history (account_id, hash, at) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(&hash)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        self.audit_event(
            actor,
            "password",
            &format!("account:{id}"),
            "ok",
            &format!("{} 修改密码", account.username),
        )
        .await;
        Ok(())
    }

    /// The security administrator resets a password: a one-time password, shown once to the
    /// caller, to be changed at the next login; the account's sessions end and it is unlocked.
    pub async fn account_reset_password(&self, actor: &Actor, id: i64) -> StoreResult<String> {
        let account = self.account_get(id).await?;
        let password = one_time_password();
        let pw = password.clone();
        let hash = blocking(move || hash_password(&pw)).await;
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        write_password(&mut tx, id, &hash, now, true).await?;
        audit::change(
            &mut tx,
            actor,
            "account",
            id,
            &format!(
                "重置账号 {} 的密码（一次性密码，须在下次登录时修改）",
                account.username
            ),
        )
        .await?;
        tx.commit().await?;
        self.sessions_end_for(id).await?;
        Ok(password)
    }

    /// On an empty database: the three administrators with one-time passwords, returned once.
    pub async fn bootstrap_admins(&self) -> StoreResult<Vec<(String, String)>> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM accounts")
            .fetch_one(&self.pool)
            .await?;
        if n > 0 {
            return Ok(Vec::new());
        }
        let actor = Actor::system("初始化");
        let mut out = Vec::new();
        for (username, name, role) in [
            ("sysadmin", "系统管理员", Role::SysAdmin),
            ("secadmin", "安全管理员", Role::SecAdmin),
            ("auditadmin", "审计管理员", Role::AuditAdmin),
        ] {
            let password = one_time_password();
            let input = AccountInput {
                username: username.into(),
                display_name: name.into(),
                password: password.clone(),
                member_id: None,
                must_change: true,
            };
            let id = self.account_create(&actor, &input).await?;
            self.grant_add(&actor, id, role, None).await?;
            out.push((username.to_string(), password));
        }
        Ok(out)
    }
}

/// A random password that satisfies any valid policy: 16 characters of all four kinds.
/// Stores a new password hash for `id`, unlocking the account; `must_change` forces a change
/// at the next login (a one-time password).
async fn write_password(
    conn: &mut sqlx::AnyConnection,
    id: i64,
    hash: &str,
    now: i64,
    must_change: bool,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE accounts SET password_hash = $1, password_changed_at = $2, must_change = $3, \
         failed_count = 0, last_failed_at = NULL WHERE id = $4",
    )
    .bind(hash)
    .bind(now)
    .bind(i64::from(must_change))
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

pub fn one_time_password() -> String {
    use rand::Rng;
    let mut rng = rand::thread_rng();
    let sets: [&[u8]; 4] = [
        b"abcdefghjkmnpqrstuvwxyz",
        b"ABCDEFGHJKLMNPQRSTUVWXYZ",
        b"23456789",
        b"@#%+=",
    ];
    let mut chars: Vec<u8> = (0..16)
        .map(|i| {
            let set = sets[i % 4];
            set[rng.gen_range(0..set.len())]
        })
        .collect();
    for i in (1..chars.len()).rev() {
        chars.swap(i, rng.gen_range(0..=i));
    }
    String::from_utf8(chars).expect("ascii")
}

/// A real argon2id hash of a random string, verified against when the username is unknown.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$2cQnOd6ZoIOUDxGGGw7wG1ABhgfPfnJfbyBYGsKLxqs";
