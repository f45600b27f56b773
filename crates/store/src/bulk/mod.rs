//! Bulk writes for the synthetic data generators (the `ronghe-demo` crate): millions of rows
//! at provincial scale, where the per-row API (one statement, history and audit entry per
//! row) would take hours.
//!
//! The generators decide what the rows say; this module owns the SQL they need: a connection
//! set up for the job, multi-row INSERTs (`?` placeholders on SQLite, `$N` on PostgreSQL) in
//! large transactions, explicit ids above the current maxima, the reads a generated year
//! starts from, and afterwards the WAL given back (SQLite) or the identity sequences and the
//! planner's statistics brought up to date (PostgreSQL).
//!
//! Nothing else may write to the database while a writer runs: the generators allocate ids
//! from the maxima up front. A failure leaves the transactions committed so far in place; the
//! writer's connection is closed, not returned to the pool.

mod reads;
mod sql;
mod tree;
mod year;

pub use reads::UnplannedOrg;
pub use tree::{MemberRow, OrgRow, SeatRow};
pub use year::{
    GoalRow, ItemRow, KpiRow, LinkRow, MeetingGoalRow, MeetingRow, PersonRow, PlanRow, TaskRow,
    Texts, UpdateRow, ValueRow, YearIds, DAY_MS,
};

use crate::error::StoreResult;
use crate::{Backend, Store};
use sql::{Bind, Table};
use sqlx::pool::PoolConnection;
use sqlx::Any;

/// Rows per transaction on PostgreSQL.
const PG_TX_ROWS: usize = 50_000;
/// Rows per transaction on SQLite. Every commit writes each page it touched to the WAL (and a
/// checkpoint copies it back); the blind indexes and the name index take random keys, so a
/// commit touches most of their pages whatever its size. Fewer, larger commits therefore
/// write far less: at provincial scale, 50,000 rows per commit took 257 s, 500,000 about
/// 170 s and 1,000,000 about 160 s (2 cores). The cost: the WAL grows to about 0.5 GB, and
/// other writers wait (or time out) while a transaction is open.
const SQLITE_TX_ROWS: usize = 1_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Organizations, members and seats.
    Tree,
    /// A year of plans and meetings.
    Year,
}

/// One connection with a transaction committed every so many rows (1,000,000 on SQLite,
/// 50,000 on PostgreSQL), between [`BulkWriter::begin`] and [`BulkWriter::commit`].
pub struct BulkWriter {
    conn: PoolConnection<Any>,
    backend: Backend,
    kind: Kind,
    year: i32,
    /// `created_at` and the like of every row.
    now: i64,
    texts: Texts,
    /// The INSERT of each table written so far.
    tables: Vec<Table>,
    pending: usize,
    tx_rows: usize,
}

impl Store {
    /// A writer for a generated tree: [`OrgRow`], [`MemberRow`] and [`SeatRow`].
    pub async fn bulk_tree_writer(&self) -> StoreResult<BulkWriter> {
        BulkWriter::open(self, Kind::Tree, 0).await
    }

    /// A writer for a generated `year` (2000–2100): plans, goals, KPIs and their values,
    /// items, links, tasks, progress reports, meetings and those recorded at them. On SQLite
    /// its connection does not check foreign keys: the generator's ids are consistent by
    /// construction, and checking every reference of millions of rows costs as much as
    /// writing them. PostgreSQL checks them as usual.
    pub async fn bulk_year_writer(&self, year: i32) -> StoreResult<BulkWriter> {
        BulkWriter::open(self, Kind::Year, year).await
    }
}

impl BulkWriter {
    async fn open(store: &Store, kind: Kind, year: i32) -> StoreResult<BulkWriter> {
        let backend = store.backend();
        let mut conn = store.pool().acquire().await?;
        // Closed afterwards rather than returned to the pool: after a failure it may hold an
        // open transaction, and on SQLite it has a large page cache (and perhaps foreign-key
        // checks off).
        conn.close_on_drop();
        if backend == Backend::Sqlite {
            // Random-keyed indexes (blind indexes, names) want a large page cache. Multi-row
            // INSERTs keep a statement journal (to undo a failing statement alone); in memory
            // it costs a copy, in a temporary file it costs a write per page.
            let mut pragmas = vec!["PRAGMA cache_size = -1048576", "PRAGMA temp_store = MEMORY"];
            if kind == Kind::Year {
                pragmas.push("PRAGMA foreign_keys = OFF");
            }
            for pragma in pragmas {
                sqlx::query(pragma).execute(&mut *conn).await?;
            }
        }
        Ok(BulkWriter {
            conn,
            backend,
            kind,
            year,
            now: crate::now_ms(),
            texts: match kind {
                Kind::Tree => Texts::default(),
                Kind::Year => Texts::for_year(year),
            },
            tables: Vec::new(),
            pending: 0,
            tx_rows: match backend {
                Backend::Sqlite => SQLITE_TX_ROWS,
                Backend::Postgres => PG_TX_ROWS,
            },
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The day and month texts of a year writer's rows (empty for a tree writer).
    pub fn texts(&self) -> &Texts {
        &self.texts
    }

    async fn max_id(&mut self, table: &str) -> StoreResult<i64> {
        Ok(
            sqlx::query_scalar::<_, i64>(&format!("SELECT COALESCE(MAX(id), 0) FROM {table}"))
                .fetch_one(&mut *self.conn)
                .await?,
        )
    }

    /// The largest organization and member ids (0 when there are none): a tree is numbered
    /// above them.
    pub async fn max_tree_ids(&mut self) -> StoreResult<(i64, i64)> {
        Ok((self.max_id("orgs").await?, self.max_id("members").await?))
    }

    /// The next free id of every table a year writes.
    pub async fn next_year_ids(&mut self) -> StoreResult<YearIds> {
        let mut next = [0; year::ID_TABLES.len()];
        for (slot, table) in next.iter_mut().zip(year::ID_TABLES) {
            *slot = self.max_id(table).await? + 1;
        }
        let [plan, goal, kpi, value, item, link, task, update, meeting] = next;
        Ok(YearIds {
            plan,
            goal,
            kpi,
            value,
            item,
            link,
            task,
            update,
            meeting,
        })
    }

    pub async fn begin(&mut self) -> StoreResult<()> {
        sqlx::query("BEGIN").execute(&mut *self.conn).await?;
        Ok(())
    }

    pub async fn commit(&mut self) -> StoreResult<()> {
        sqlx::query("COMMIT").execute(&mut *self.conn).await?;
        self.pending = 0;
        Ok(())
    }

    /// Inserts `rows` in statements of `R::PER_INSERT` rows, inside the open transaction;
    /// then, if the transaction holds enough rows, commits it and begins the next.
    pub async fn insert<R: Bind>(&mut self, rows: &[R]) -> StoreResult<()> {
        let i = match self.tables.iter().position(|t| t.head() == R::HEAD) {
            Some(i) => i,
            None => {
                let table = Table::of::<R>(self.backend, self.now, self.year);
                self.tables.push(table);
                self.tables.len() - 1
            }
        };
        let table = &self.tables[i];
        for chunk in rows.chunks(R::PER_INSERT) {
            let sql = table.sql(chunk.len());
            let mut q = sqlx::query(&sql);
            for row in chunk {
                q = row.bind(q, &self.texts);
            }
            q.execute(&mut *self.conn).await?;
            self.pending += chunk.len();
        }
        if self.pending >= self.tx_rows {
            self.commit().await?;
            self.begin().await?;
        }
        Ok(())
    }

    /// After the last commit: on SQLite, gives the WAL's disk space back; on PostgreSQL,
    /// moves the identity sequences past the explicit ids (so the next API insert does not
    /// collide) and analyzes the tables written.
    pub async fn finish(mut self) -> StoreResult<()> {
        let (sequences, analyzed): (&[&str], &[&str]) = match self.kind {
            Kind::Tree => (
                &["orgs", "members"],
                &["orgs", "members", "committee_seats"],
            ),
            Kind::Year => (
                &year::ID_TABLES,
                &[
                    "plans",
                    "goals",
                    "kpis",
                    "kpi_values",
                    "items",
                    "links",
                    "tasks",
                    "task_updates",
                    "meetings",
                    "meeting_goals",
                    "meeting_people",
                ],
            ),
        };
        match self.backend {
            Backend::Sqlite => {
                // Best effort: readers may hold the WAL for a while.
                let _ = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                    .execute(&mut *self.conn)
                    .await;
            }
            Backend::Postgres => {
                for table in sequences {
                    sqlx::query(&format!(
                        "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
                         (SELECT COALESCE(MAX(id), 1) FROM {table}))"
                    ))
                    .execute(&mut *self.conn)
                    .await?;
                }
                for table in analyzed {
                    sqlx::query(&format!("ANALYZE {table}"))
                        .execute(&mut *self.conn)
                        .await?;
                }
            }
        }
        Ok(())
    }
}
