//! Multi-row INSERT texts, and how a row binds its columns to one.

use super::Texts;
use crate::Backend;
use sqlx::any::AnyArguments;
use sqlx::query::Query;
use sqlx::Any;
use std::borrow::Cow;
use std::fmt::Write as _;

pub type AnyQuery<'q> = Query<'q, Any, AnyArguments<'q>>;

/// A row a [`super::BulkWriter`] inserts: its table's INSERT head, the columns it binds (in
/// the order of the head) and the literal columns that follow them.
///
/// Public only to be named in the writer's bounds; implemented for the row types of this
/// module alone.
pub trait Bind {
    /// `INSERT INTO table (columns)`: bound columns first, then the literal ones.
    const HEAD: &'static str;
    /// Columns bound per row.
    const COLS: usize;
    /// Rows per INSERT statement.
    const PER_INSERT: usize;

    /// The literal columns after the bound ones, e.g. `,{now},{now}` (empty when none).
    fn literals(now: i64, year: i32) -> String;

    fn bind<'q>(&'q self, q: AnyQuery<'q>, texts: &'q Texts) -> AnyQuery<'q>;
}

/// `INSERT INTO table (cols) VALUES ($1, .., $k, lit..), ...` for `rows` rows.
///
/// SQLite gets anonymous `?` placeholders instead: sqlx resolves every named parameter with
/// `sqlite3_bind_parameter_name`, a linear scan, which makes binding a 32,000-parameter
/// statement quadratic (minutes instead of milliseconds per statement).
pub(super) fn insert_sql(
    head: &str,
    cols: usize,
    literals: &str,
    rows: usize,
    backend: Backend,
) -> String {
    let mut s = String::with_capacity(head.len() + rows * (cols * 7 + literals.len() + 4));
    s.push_str(head);
    s.push_str(" VALUES ");
    let mut n = 1;
    for r in 0..rows {
        if r > 0 {
            s.push(',');
        }
        s.push('(');
        for c in 0..cols {
            if c > 0 {
                s.push(',');
            }
            match backend {
                Backend::Sqlite => s.push('?'),
                Backend::Postgres => {
                    let _ = write!(s, "${n}");
                }
            }
            n += 1;
        }
        s.push_str(literals);
        s.push(')');
    }
    s
}

/// One table's INSERT, with the text of a full statement cached; the last, shorter statement
/// of a run gets its own.
pub(super) struct Table {
    backend: Backend,
    head: &'static str,
    cols: usize,
    literals: String,
    rows: usize,
    full: String,
}

impl Table {
    pub(super) fn of<R: Bind>(backend: Backend, now: i64, year: i32) -> Self {
        let literals = R::literals(now, year);
        Table {
            backend,
            head: R::HEAD,
            cols: R::COLS,
            full: insert_sql(R::HEAD, R::COLS, &literals, R::PER_INSERT, backend),
            literals,
            rows: R::PER_INSERT,
        }
    }

    pub(super) fn head(&self) -> &'static str {
        self.head
    }

    pub(super) fn sql(&self, rows: usize) -> Cow<'_, str> {
        if rows == self.rows {
            Cow::Borrowed(&self.full)
        } else {
            Cow::Owned(insert_sql(
                self.head,
                self.cols,
                &self.literals,
                rows,
                self.backend,
            ))
        }
    }
}
