//! Choosing the backend from the URL, connection settings, and migrations.

use crate::error::{StoreError, StoreResult};
use sqlx::any::{install_default_drivers, AnyPoolOptions};
use sqlx::{AnyPool, Executor};
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn from_url(url: &str) -> Option<Backend> {
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "SQLite",
            Backend::Postgres => "PostgreSQL",
        }
    }
}

const SQLITE_MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("../migrations/sqlite/001_init.sql")),
    (2, include_str!("../migrations/sqlite/002_plans.sql")),
    (
        3,
        include_str!("../migrations/sqlite/003_meetings_cover.sql"),
    ),
    (
        4,
        include_str!("../migrations/sqlite/004_task_people_milestones.sql"),
    ),
    (
        5,
        include_str!("../migrations/sqlite/005_rights_suspended.sql"),
    ),
];
const POSTGRES_MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("../migrations/postgres/001_init.sql")),
    (2, include_str!("../migrations/postgres/002_plans.sql")),
    (
        3,
        include_str!("../migrations/postgres/003_meetings_cover.sql"),
    ),
    (
        4,
        include_str!("../migrations/postgres/004_task_people_milestones.sql"),
    ),
    (
        5,
        include_str!("../migrations/postgres/005_rights_suspended.sql"),
    ),
];

pub(crate) async fn connect(url: &str) -> StoreResult<(AnyPool, Backend)> {
    install_default_drivers();
    let backend = Backend::from_url(url).ok_or_else(|| {
        StoreError::Key(format!(
            "不支持的数据库地址：{url}（应以 sqlite:// 或 postgres:// 开头）"
        ))
    })?;
    let url = match backend {
        // Create the file when missing.
        Backend::Sqlite if !url.contains("mode=") => {
            format!("{url}{}mode=rwc", if url.contains('?') { '&' } else { '?' })
        }
        _ => url.to_string(),
    };
    // No ping before every acquire: for SQLite it is a second round trip to the connection's
    // thread on every query (a third of the switching at load); a broken PostgreSQL connection
    // still fails the query that uses it and is replaced.
    let opts = AnyPoolOptions::new()
        .acquire_timeout(Duration::from_secs(30))
        .test_before_acquire(false);
    let pool = match backend {
        Backend::Sqlite => {
            opts.max_connections(sqlite_pool_size())
                .after_connect(|conn, _| {
                    Box::pin(async move {
                        conn.execute(
                            "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; \
                             PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;",
                        )
                        .await?;
                        Ok(())
                    })
                })
                .connect(&url)
                .await?
        }
        Backend::Postgres => opts.max_connections(16).connect(&url).await?,
    };
    Ok((pool, backend))
}

pub(crate) async fn migrate(pool: &AnyPool, backend: Backend) -> StoreResult<()> {
    pool.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY)")
        .await?;
    let done: Vec<i64> = sqlx::query_scalar("SELECT version FROM schema_migrations")
        .fetch_all(pool)
        .await?;
    let all = match backend {
        Backend::Sqlite => SQLITE_MIGRATIONS,
        Backend::Postgres => POSTGRES_MIGRATIONS,
    };
    for (version, sql) in all.iter().filter(|(v, _)| !done.contains(v)) {
        let mut tx = pool.begin().await?;
        for stmt in sql.split(';').map(str::trim).filter(|s| !s.is_empty()) {
            tx.execute(stmt).await?;
        }
        sqlx::query("INSERT INTO schema_migrations (version) VALUES ($1)")
            .bind(*version)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
    }
    Ok(())
}

/// Connections to a SQLite file. Each one is a thread in sqlx; queries take well under a
/// millisecond, so more threads than cores only adds switching between them.
fn sqlite_pool_size() -> u32 {
    std::env::var("RONGHE_SQLITE_POOL")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|n| (1..=64).contains(n))
        .unwrap_or(8)
}
