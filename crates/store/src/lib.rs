//! ronghe-store: the only place that speaks SQL.
//!
//! One SQL text with `$N` placeholders runs on SQLite and PostgreSQL through sqlx's `Any`
//! driver. Every read of organization data takes the caller's [`Scope`], so an unscoped query
//! cannot be written by accident; the exception is [`bulk`], the writer of the synthetic data
//! generators (crate `ronghe-demo`), which reads and writes whole tables. Times are i64
//! milliseconds, dates `YYYY-MM-DD` text.

mod accounts;
mod audit;
pub mod bulk;
mod cache;
mod compliance;
mod crypto;
mod db;
mod error;
mod evaluation;
mod files;
mod formation;
mod inspections;
mod library;
mod meetings;
mod members;
mod orgs;
mod plans;
mod q;
mod rows;
mod sessions;
#[cfg(feature = "testing")]
pub mod testing;

pub use accounts::{
    one_time_password, valid_username, verify_password, Account, AccountInput, GrantRow,
    LoginOutcome,
};
pub use audit::{fmt_ms, AuditEntry, AuditFilter, AuditRow, ChangeRow};
pub use compliance::{evaluate_branches, overdue_detail, BranchInput, BranchSummary};
pub use crypto::Crypto;
pub use db::Backend;
pub use error::{StoreError, StoreResult};
pub use evaluation::{
    explain_result, manual_inputs, rescore, EvalResult, EvalRun, EvalSubject, EvalTemplate,
    ManualRow, NewResult, RunBasis, RunStatus, RunSummary, SubtreeEvalFacts, VersionRow,
};
pub use files::{Attachment, NewAttachment};
pub use formation::SubtreeFacts;
pub use inspections::{Finding, Round};
pub use library::{
    Brand, Case, CaseChoices, CaseEvent, CaseFile, CaseLine, CaseOriginal, CaseText, GoalEvidence,
    KpiEvidence, LinkedItem, SearchRow, StageStep,
};
pub use meetings::{
    meeting_kinds_for, Absentee, Attendance, Attendee, GoalChoice, ItemChoice, MeetingDetail,
    MeetingRow, LECTURE_QUARTERLY_SETTING,
};
pub use members::{lenient_number, Member, MemberFilter, MemberName, MemberRow, RevealField};
pub use orgs::{Org, Seat, SubtreeCounts};
pub use plans::{
    Goal, Item, KpiEntry, KpiRow, KpiValue, Link, Plan, PlanView, Task, TaskAssignee,
    TaskMilestone, TaskUpdate,
};
pub use ronghe_core::scope::Scope;
pub use sessions::{random_token, Session, SessionInfo};

use sqlx::AnyPool;
use std::path::Path;

/// Who is acting, for the audit log and the change history.
#[derive(Debug, Clone)]
pub struct Actor {
    pub account_id: Option<i64>,
    pub username: String,
    pub ip: String,
}

impl Actor {
    pub fn system(what: &str) -> Self {
        Self {
            account_id: None,
            username: what.to_string(),
            ip: "-".to_string(),
        }
    }
}

/// A page of results. `total` is capped at [`COUNT_CAP`] so that a province-wide count never
/// scans millions of rows; `total_capped` says when the cap was hit.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub page: u32,
    pub per_page: u32,
    pub total: i64,
    pub total_capped: bool,
}

pub const COUNT_CAP: i64 = 10_000;

impl<T> Page<T> {
    pub fn pages(&self) -> u32 {
        ((self.total.max(0) as u32).div_ceil(self.per_page.max(1))).max(1)
    }
}

/// The database and the keys that protect personal data in it.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    crypto: Crypto,
    /// Every request reads the password policy (for session timeouts); it changes rarely.
    policy_cache: cache::TtlCache<ronghe_core::password::PasswordPolicy>,
    /// Read by every 待办 and branch page.
    compliance_cache: cache::TtlCache<ronghe_core::compliance::ComplianceConfig>,
    /// Attachments live here, outside the database.
    files_dir: std::path::PathBuf,
    /// The SQLite file, read directly for whole-table reads (see [`rows`]).
    sqlite_file: Option<std::path::PathBuf>,
}

impl Store {
    /// Opens (and migrates) the database at `url`; keys live in `data_dir`, outside the database.
    pub async fn open(url: &str, data_dir: &Path) -> StoreResult<Store> {
        let (pool, backend) = db::connect(url).await?;
        db::migrate(&pool, backend).await?;
        let crypto = Crypto::load_or_create(data_dir)?;
        Ok(Store {
            pool,
            backend,
            crypto,
            policy_cache: Default::default(),
            compliance_cache: Default::default(),
            files_dir: data_dir.join("attachments"),
            sqlite_file: match backend {
                Backend::Sqlite => rows::sqlite_file(url),
                Backend::Postgres => None,
            },
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// The keys that seal personal data and blind-index it, for writers that prepare rows
    /// outside the store (the synthetic data generators).
    pub fn crypto(&self) -> &Crypto {
        &self.crypto
    }

    pub async fn healthy(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

pub fn today() -> ronghe_core::Date {
    chrono::Local::now().date_naive()
}

impl Store {
    /// Whether a row exists at all, regardless of scope: used only to tell a denied access
    /// (written to the audit log) from a mistyped address. Never shown to the user.
    pub async fn exists(&self, what: &str, id: i64) -> StoreResult<bool> {
        let table = match what {
            "org" => "orgs",
            "member" => "members",
            "plan" => "plans",
            "task" => "tasks",
            "meeting" => "meetings",
            _ => return Ok(false),
        };
        let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table} WHERE id = $1"))
            .bind(id)
            .fetch_one(&self.pool)
            .await?;
        Ok(n > 0)
    }
}
