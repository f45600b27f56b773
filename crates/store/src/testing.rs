//! Raw reads for tests that check what was written (the generators' tests in
//! `crates/demo/tests` count and compare rows across whole tables), and a fresh PostgreSQL
//! database per test. Compiled only with the `testing` feature, which only dev-dependencies
//! turn on: never part of the application.

use crate::{Store, StoreResult};
use sqlx::any::AnyRow;
use sqlx::FromRow;

/// The single integer `sql` selects.
pub async fn scalar(store: &Store, sql: &str) -> StoreResult<i64> {
    Ok(sqlx::query_scalar(sql).fetch_one(store.pool()).await?)
}

/// The first column of every row `sql` selects.
pub async fn column<T>(store: &Store, sql: &str) -> StoreResult<Vec<T>>
where
    T: Send + Unpin,
    (T,): for<'r> FromRow<'r, AnyRow>,
{
    Ok(sqlx::query_scalar(sql).fetch_all(store.pool()).await?)
}

/// Every row `sql` selects, as tuples.
pub async fn rows<T>(store: &Store, sql: &str) -> StoreResult<Vec<T>>
where
    T: for<'r> FromRow<'r, AnyRow> + Send + Unpin,
{
    Ok(sqlx::query_as(sql).fetch_all(store.pool()).await?)
}

/// The one row `sql` selects.
pub async fn row<T>(store: &Store, sql: &str) -> StoreResult<T>
where
    T: for<'r> FromRow<'r, AnyRow> + Send + Unpin,
{
    Ok(sqlx::query_as(sql).fetch_one(store.pool()).await?)
}

/// Creates the database `name` on the PostgreSQL `server` (`postgres://user@host:port`) and
/// returns its address.
pub async fn create_postgres_database(server: &str, name: &str) -> StoreResult<String> {
    sqlx::any::install_default_drivers();
    let admin = sqlx::AnyPool::connect(&format!("{server}/postgres")).await?;
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&admin)
        .await?;
    admin.close().await;
    Ok(format!("{server}/{name}"))
}
