//! Whole-table reads, for a committee's subtree or a province in one pass (the evaluation
//! run's inputs and the compliance tallies): each statement's rows mapped as they are read.
//!
//! On PostgreSQL through the pool. On SQLite by rusqlite, on a read-only connection of its own
//! on a blocking thread, stepping the rows in place: sqlx's SQLite driver steps each row on
//! its connection's thread, copies every value, hands the row over a channel and converts it
//! to an `Any` row, which for a city's 300,000 rows costs twice the query itself.

use crate::error::{StoreError, StoreResult};
use crate::q::{Arg, Q};
use crate::Store;
use sqlx::Row;
use std::path::PathBuf;

/// The cells of one row, by column index, the same on both backends. Integers read as
/// reals where a real is asked for (SQLite keeps `3.0` in a REAL column as it likes).
pub(crate) trait Cells {
    fn int(&self, i: usize) -> StoreResult<i64>;
    fn opt_int(&self, i: usize) -> StoreResult<Option<i64>>;
    fn real(&self, i: usize) -> StoreResult<f64>;
    fn opt_real(&self, i: usize) -> StoreResult<Option<f64>>;
    fn text(&self, i: usize) -> StoreResult<String>;
}

fn sqlite_error(e: rusqlite::Error) -> StoreError {
    StoreError::Db(sqlx::Error::Protocol(format!("SQLite: {e}")))
}

impl Cells for sqlx::any::AnyRow {
    fn int(&self, i: usize) -> StoreResult<i64> {
        Ok(self.try_get(i)?)
    }
    fn opt_int(&self, i: usize) -> StoreResult<Option<i64>> {
        Ok(self.try_get(i)?)
    }
    fn real(&self, i: usize) -> StoreResult<f64> {
        Ok(self.try_get(i)?)
    }
    fn opt_real(&self, i: usize) -> StoreResult<Option<f64>> {
        Ok(self.try_get(i)?)
    }
    fn text(&self, i: usize) -> StoreResult<String> {
        Ok(self.try_get(i)?)
    }
}

impl Cells for rusqlite::Row<'_> {
    fn int(&self, i: usize) -> StoreResult<i64> {
        self.opt_int(i)?.ok_or_else(|| {
            sqlite_error(rusqlite::Error::InvalidColumnType(
                i,
                String::new(),
                rusqlite::types::Type::Null,
            ))
        })
    }
    fn opt_int(&self, i: usize) -> StoreResult<Option<i64>> {
        self.get(i).map_err(sqlite_error)
    }
    fn real(&self, i: usize) -> StoreResult<f64> {
        self.opt_real(i)?.ok_or_else(|| {
            sqlite_error(rusqlite::Error::InvalidColumnType(
                i,
                String::new(),
                rusqlite::types::Type::Null,
            ))
        })
    }
    fn opt_real(&self, i: usize) -> StoreResult<Option<f64>> {
        use rusqlite::types::ValueRef;
        match self.get_ref(i).map_err(sqlite_error)? {
            ValueRef::Null => Ok(None),
            ValueRef::Integer(v) => Ok(Some(v as f64)),
            ValueRef::Real(v) => Ok(Some(v)),
            other => Err(sqlite_error(rusqlite::Error::InvalidColumnType(
                i,
                String::new(),
                other.data_type(),
            ))),
        }
    }
    fn text(&self, i: usize) -> StoreResult<String> {
        self.get(i).map_err(sqlite_error)
    }
}

/// The file of a `sqlite://PATH?…` address, when it names one.
pub(crate) fn sqlite_file(url: &str) -> Option<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && !path.contains(":memory:")).then(|| PathBuf::from(path))
}

/// Reads every row of `q` on a read-only connection to `file`, mapping each in place.
fn sqlite_rows<T>(
    file: &std::path::Path,
    q: &Q,
    map: impl Fn(&dyn Cells) -> StoreResult<T>,
) -> StoreResult<Vec<T>> {
    use rusqlite::OpenFlags;
    let conn = rusqlite::Connection::open_with_flags(
        file,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(sqlite_error)?;
    conn.busy_timeout(std::time::Duration::from_secs(10))
        .map_err(sqlite_error)?;
    // Pages mapped instead of copied into the connection's cache (at most the compiled
    // limit, 2 GB): the statements read whole indexes once.
    conn.pragma_update(None, "mmap_size", 1i64 << 31)
        .map_err(sqlite_error)?;
    let (sql, args) = q.parts();
    let mut stmt = conn.prepare(sql).map_err(sqlite_error)?;
    for (k, arg) in args.iter().enumerate() {
        // Placeholders are `$N`, which SQLite names rather than numbers.
        let Some(at) = stmt
            .parameter_index(&format!("${}", k + 1))
            .map_err(sqlite_error)?
        else {
            continue;
        };
        match arg {
            Arg::I(v) => stmt.raw_bind_parameter(at, v),
            Arg::S(v) => stmt.raw_bind_parameter(at, v),
            Arg::OI(v) => stmt.raw_bind_parameter(at, v),
            Arg::OS(v) => stmt.raw_bind_parameter(at, v),
            Arg::F(v) => stmt.raw_bind_parameter(at, v),
        }
        .map_err(sqlite_error)?;
    }
    let mut rows = stmt.raw_query();
    let mut out = Vec::new();
    while let Some(row) = rows.next().map_err(sqlite_error)? {
        out.push(map(row)?);
    }
    Ok(out)
}

impl Store {
    /// Every row of `q`, each mapped by `map` (which reads its cells by index).
    pub(crate) async fn rows<T, F>(&self, q: Q, map: F) -> StoreResult<Vec<T>>
    where
        T: Send + 'static,
        F: Fn(&dyn Cells) -> StoreResult<T> + Send + 'static,
    {
        if let Some(file) = self.sqlite_file.clone() {
            return tokio::task::spawn_blocking(move || sqlite_rows(&file, &q, map))
                .await
                .map_err(|e| StoreError::Db(sqlx::Error::Protocol(format!("read worker: {e}"))))?;
        }
        let rows = q.query().fetch_all(&self.pool).await?;
        rows.iter().map(|r| map(r)).collect()
    }

    /// [`Store::rows`] of a statement without arguments.
    pub(crate) async fn rows_of<T, F>(&self, sql: &str, map: F) -> StoreResult<Vec<T>>
    where
        T: Send + 'static,
        F: Fn(&dyn Cells) -> StoreResult<T> + Send + 'static,
    {
        self.rows(Q::new(sql), map).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_of_a_sqlite_address() {
        assert_eq!(
            sqlite_file("sqlite:///tmp/a/ronghe.db?mode=rwc"),
            Some(PathBuf::from("/tmp/a/ronghe.db"))
        );
        assert_eq!(
            sqlite_file("sqlite://ronghe.db"),
            Some(PathBuf::from("ronghe.db"))
        );
        assert_eq!(sqlite_file("sqlite::memory:"), None);
        assert_eq!(sqlite_file("postgres://u@h/db"), None);
    }

    #[test]
    fn placeholders_bind_by_number_in_any_order_and_cells_read_by_index() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("t.db");
        let c = rusqlite::Connection::open(&file).unwrap();
        c.execute_batch(
            "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL, w REAL, n INTEGER); \
             INSERT INTO t VALUES (1, '甲', 3, NULL), (2, '乙', 2.5, 7), (3, '丙', NULL, 1);",
        )
        .unwrap();
        drop(c);
        // `$2` comes first in the text: SQLite numbers named parameters by appearance.
        let mut q = Q::new("");
        q.bind(5i64).bind("乙");
        q.sql = "SELECT id, name, w, n FROM t WHERE name <> $2 AND (n IS NULL OR n < $1) \
                 ORDER BY id"
            .into();
        let rows = sqlite_rows(&file, &q, |r| {
            Ok((r.int(0)?, r.text(1)?, r.opt_real(2)?, r.opt_int(3)?))
        })
        .unwrap();
        assert_eq!(
            rows,
            vec![
                (1, "甲".to_string(), Some(3.0), None),
                (3, "丙".to_string(), None, Some(1))
            ]
        );
        // A NULL where a value is required is an error, not a zero.
        let err = sqlite_rows(&file, &Q::new("SELECT n FROM t WHERE id = 1"), |r| r.int(0));
        assert!(err.is_err());
    }
}
