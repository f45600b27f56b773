//! A small SQL builder that numbers `$N` placeholders for both backends, and the one place that
//! turns a [`Scope`] into a WHERE clause.

use ronghe_core::scope::{subtree_range, Scope};
use sqlx::any::AnyArguments;
use sqlx::query::{QueryAs, QueryScalar};
use sqlx::{any::AnyRow, Any, FromRow};

#[derive(Debug, Clone)]
pub(crate) enum Arg {
    I(i64),
    S(String),
    OI(Option<i64>),
    OS(Option<String>),
    F(f64),
}

impl From<f64> for Arg {
    fn from(v: f64) -> Self {
        Arg::F(v)
    }
}

impl From<i64> for Arg {
    fn from(v: i64) -> Self {
        Arg::I(v)
    }
}
impl From<String> for Arg {
    fn from(v: String) -> Self {
        Arg::S(v)
    }
}
impl From<&str> for Arg {
    fn from(v: &str) -> Self {
        Arg::S(v.to_string())
    }
}
impl From<Option<i64>> for Arg {
    fn from(v: Option<i64>) -> Self {
        Arg::OI(v)
    }
}
impl From<Option<String>> for Arg {
    fn from(v: Option<String>) -> Self {
        Arg::OS(v)
    }
}

#[derive(Debug, Default, Clone)]
pub(crate) struct Q {
    pub sql: String,
    args: Vec<Arg>,
}

impl Q {
    pub fn new(sql: &str) -> Self {
        Q {
            sql: sql.to_string(),
            args: Vec::new(),
        }
    }

    /// Puts "SELECT `cols`" before a statement built from " FROM …".
    pub fn select(mut self, cols: &str) -> Self {
        self.sql = format!("SELECT {cols}{}", self.sql);
        self
    }

    /// The count of rows a " FROM …" statement selects, read at most to `cap + 1`.
    pub fn count_capped(&self, cap: i64) -> Self {
        let mut q = self.clone();
        q.sql = format!(
            "SELECT COUNT(*) FROM (SELECT 1{} LIMIT {}) t",
            self.sql,
            cap + 1
        );
        q
    }

    /// The number of rows the whole statement gives.
    /// The bare aggregate of what a statement of `columns` columns selects: its row count,
    /// beside a count of every value of every column, so the database computes each value
    /// (a bare `COUNT(*)` lets a planner skip the columns, and with them whole tables).
    /// With `columns` 0, the row count alone.
    pub fn aggregated(&self, columns: usize) -> Self {
        let mut q = self.clone();
        q.sql = aggregate_all(&self.sql, columns);
        q
    }

    /// The statement and its arguments, for a reader other than sqlx.
    pub fn parts(&self) -> (&str, &[Arg]) {
        (&self.sql, &self.args)
    }

    pub fn push(&mut self, sql: &str) -> &mut Self {
        self.sql.push_str(sql);
        self
    }

    /// Appends a placeholder bound to `v`.
    pub fn bind(&mut self, v: impl Into<Arg>) -> &mut Self {
        self.args.push(v.into());
        self.sql.push_str(&format!("${}", self.args.len()));
        self
    }

    pub fn query_as<T>(&self) -> QueryAs<'_, Any, T, AnyArguments<'_>>
    where
        T: for<'r> FromRow<'r, AnyRow>,
    {
        let mut q = sqlx::query_as::<Any, T>(&self.sql);
        for a in &self.args {
            q = match a {
                Arg::I(v) => q.bind(*v),
                Arg::S(v) => q.bind(v.as_str()),
                Arg::OI(v) => q.bind(*v),
                Arg::OS(v) => q.bind(v.as_deref()),
                Arg::F(v) => q.bind(*v),
            };
        }
        q
    }

    /// The statement with its arguments, for rows read by column name.
    pub fn query(&self) -> sqlx::query::Query<'_, Any, AnyArguments<'_>> {
        let mut q = sqlx::query::<Any>(&self.sql);
        for a in &self.args {
            q = match a {
                Arg::I(v) => q.bind(*v),
                Arg::S(v) => q.bind(v.as_str()),
                Arg::OI(v) => q.bind(*v),
                Arg::OS(v) => q.bind(v.as_deref()),
                Arg::F(v) => q.bind(*v),
            };
        }
        q
    }

    pub fn scalar<T>(&self) -> QueryScalar<'_, Any, T, AnyArguments<'_>>
    where
        (T,): for<'r> FromRow<'r, AnyRow>,
    {
        let mut q = sqlx::query_scalar::<Any, T>(&self.sql);
        for a in &self.args {
            q = match a {
                Arg::I(v) => q.bind(*v),
                Arg::S(v) => q.bind(v.as_str()),
                Arg::OI(v) => q.bind(*v),
                Arg::OS(v) => q.bind(v.as_deref()),
                Arg::F(v) => q.bind(*v),
            };
        }
        q
    }

    /// `(path_col in one of the scope's subtrees [or one of its single orgs])`.
    pub fn org_scope(&mut self, scope: &Scope, path_col: &str, single_orgs: bool) -> &mut Self {
        self.scope_clause(scope, path_col, single_orgs, None)
    }

    /// Members visible to `scope`: in one of its subtrees, or the member themself.
    pub fn member_scope(&mut self, scope: &Scope, path_col: &str, id_col: &str) -> &mut Self {
        self.scope_clause(scope, path_col, false, Some(id_col))
    }

    fn scope_clause(
        &mut self,
        scope: &Scope,
        path_col: &str,
        single_orgs: bool,
        member_id_col: Option<&str>,
    ) -> &mut Self {
        if scope.all {
            return self.push("(1=1)");
        }
        let mut parts = 0;
        self.push("(");
        for root in &scope.subtrees {
            let (lo, hi) = subtree_range(root);
            self.push(if parts > 0 { " OR " } else { "" });
            self.push(&format!("({path_col} >= ")).bind(lo);
            self.push(&format!(" AND {path_col} < ")).bind(hi).push(")");
            parts += 1;
        }
        if single_orgs {
            for path in &scope.orgs {
                self.push(if parts > 0 { " OR " } else { "" });
                self.push(&format!("{path_col} = ")).bind(path.as_str());
                parts += 1;
            }
        }
        if let (Some(col), Some(id)) = (member_id_col, scope.member_self) {
            self.push(if parts > 0 { " OR " } else { "" });
            self.push(&format!("{col} = ")).bind(id);
            parts += 1;
        }
        if parts == 0 {
            self.push("1=0");
        }
        self.push(")")
    }
}

impl crate::Store {
    /// One page of the rows a " FROM …" statement selects, as `cols`, in `order`, with the
    /// total counted up to [`COUNT_CAP`](crate::COUNT_CAP).
    pub(crate) async fn fetch_page<T>(
        &self,
        base: Q,
        cols: &str,
        order: &str,
        page: u32,
        per_page: u32,
    ) -> crate::StoreResult<crate::Page<T>>
    where
        T: for<'r> FromRow<'r, AnyRow> + Send + Unpin,
    {
        let total: i64 = base
            .count_capped(crate::COUNT_CAP)
            .scalar()
            .fetch_one(self.pool())
            .await?;
        let page = page.max(1);
        let mut q = base.select(cols);
        q.push(&format!(
            " ORDER BY {order} LIMIT {per_page} OFFSET {}",
            i64::from(page - 1) * i64::from(per_page)
        ));
        Ok(crate::Page {
            items: q.query_as::<T>().fetch_all(self.pool()).await?,
            page,
            per_page,
            total: total.min(crate::COUNT_CAP),
            total_capped: total > crate::COUNT_CAP,
        })
    }
}

/// `SELECT COUNT(*), COUNT(c0), …` over `sql` named as a CTE with a column list (both
/// backends accept one): the row count first, every value of its `columns` columns used.
pub(crate) fn aggregate_all(sql: &str, columns: usize) -> String {
    if columns == 0 {
        return format!("SELECT COUNT(*) FROM ({sql}) x");
    }
    let names: Vec<String> = (0..columns).map(|i| format!("c{i}")).collect();
    let counts: Vec<String> = names.iter().map(|c| format!("COUNT({c})")).collect();
    format!(
        "WITH x({}) AS ({sql}) SELECT COUNT(*), {} FROM x",
        names.join(", "),
        counts.join(", ")
    )
}
