//! Choosing the backend from the URL, connection settings, and migrations.

use crate::error::{StoreError, StoreResult};
use sqlx::any::{install_default_drivers, AnyPoolOptions};
use sqlx::{AnyPool, Connection, Executor};
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
    (
        6,
        include_str!("../migrations/sqlite/006_ids_never_reused.sql"),
    ),
    (
        7,
        include_str!("../migrations/sqlite/007_plan_closed_at.sql"),
    ),
    (8, include_str!("../migrations/sqlite/008_kpi_rhythm.sql")),
    (
        9,
        include_str!("../migrations/sqlite/009_meeting_details.sql"),
    ),
    (10, include_str!("../migrations/sqlite/010_evaluation.sql")),
    (11, include_str!("../migrations/sqlite/011_inspections.sql")),
    // 12 is PostgreSQL's only (its meetings index carries the id; SQLite's carry the row id).
    (13, include_str!("../migrations/sqlite/013_library.sql")),
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
    (
        7,
        include_str!("../migrations/postgres/007_plan_closed_at.sql"),
    ),
    (8, include_str!("../migrations/postgres/008_kpi_rhythm.sql")),
    (
        9,
        include_str!("../migrations/postgres/009_meeting_details.sql"),
    ),
    (
        10,
        include_str!("../migrations/postgres/010_evaluation.sql"),
    ),
    (
        11,
        include_str!("../migrations/postgres/011_inspections.sql"),
    ),
    (
        12,
        include_str!("../migrations/postgres/012_meetings_cover_id.sql"),
    ),
    (13, include_str!("../migrations/postgres/013_library.sql")),
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
        // No JIT: its compiling costs a city's evaluation read half a second per statement
        // and the pages' queries never run long enough to win it back.
        Backend::Postgres => {
            opts.max_connections(16)
                .after_connect(|conn, _| {
                    Box::pin(async move {
                        conn.execute("SET jit = off").await?;
                        Ok(())
                    })
                })
                .connect(&url)
                .await?
        }
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
        if sql.starts_with(FOREIGN_KEYS_OFF) {
            migrate_rebuilding(pool, *version, sql).await?;
            continue;
        }
        let mut tx = pool.begin().await?;
        for stmt in statements(sql) {
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

/// The first line of a SQLite migration that rebuilds tables: SQLite only lets a table be
/// dropped and replaced under its children with foreign keys off, which cannot be switched
/// inside a transaction.
const FOREIGN_KEYS_OFF: &str = "-- sqlite: foreign keys off";

fn statements(sql: &str) -> impl Iterator<Item = &str> {
    sql.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty() && !s.lines().all(|l| l.trim_start().starts_with("--")))
}

/// Runs a table-rebuilding SQLite migration on one connection, foreign keys off around its
/// transaction, and refuses to commit if any reference no longer holds.
async fn migrate_rebuilding(pool: &AnyPool, version: i64, sql: &str) -> StoreResult<()> {
    let mut conn = pool.acquire().await?;
    conn.execute("PRAGMA foreign_keys=OFF").await?;
    let result = async {
        let mut tx = conn.begin().await?;
        for stmt in statements(sql) {
            tx.execute(stmt).await?;
        }
        let broken = sqlx::query("PRAGMA foreign_key_check")
            .fetch_all(&mut *tx)
            .await?;
        if !broken.is_empty() {
            return Err(StoreError::Key(format!(
                "数据库升级 {version} 后有 {} 处引用失效，已撤销升级",
                broken.len()
            )));
        }
        sqlx::query("INSERT INTO schema_migrations (version) VALUES ($1)")
            .bind(version)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }
    .await;
    conn.execute("PRAGMA foreign_keys=ON").await?;
    result
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
