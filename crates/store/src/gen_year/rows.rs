//! The rows a generated year writes, and the bulk writer that inserts them.

use super::*;

// ---------------------------------------------------------------------------------------------
// Rows.

pub(super) struct PlanRow {
    pub(super) id: i64,
    pub(super) org_id: i64,
    pub(super) status: &'static str,
}
pub(super) struct GoalRow {
    pub(super) id: i64,
    pub(super) plan_id: i64,
    pub(super) t: &'static GoalT,
    pub(super) is_key: bool,
    pub(super) parent: Option<i64>,
}
pub(super) struct KpiRow {
    pub(super) id: i64,
    pub(super) goal_id: i64,
    pub(super) t: &'static GoalT,
    pub(super) direction: &'static str,
    pub(super) baseline: f64,
    pub(super) target: f64,
}
pub(super) struct ValueRow {
    pub(super) id: i64,
    pub(super) kpi_id: i64,
    pub(super) month: u8,
    pub(super) value: f64,
    pub(super) api: bool,
}
pub(super) struct ItemRow {
    pub(super) id: i64,
    pub(super) plan_id: i64,
    pub(super) t: &'static ItemT,
    pub(super) owner: Option<i64>,
    pub(super) from: u16,
    pub(super) to: u16,
}
pub(super) struct LinkRow {
    pub(super) id: i64,
    pub(super) item_id: i64,
    pub(super) goal_id: i64,
    pub(super) junction: String,
    pub(super) kind: &'static str,
}
pub(super) struct TaskRow {
    pub(super) id: i64,
    pub(super) plan_id: i64,
    pub(super) item_id: Option<i64>,
    pub(super) goal_id: Option<i64>,
    pub(super) title: &'static str,
    pub(super) assignee: Option<i64>,
    pub(super) partner: Option<&'static str>,
    pub(super) deadline: u16,
    pub(super) status: &'static str,
    pub(super) percent: i64,
}
pub(super) struct UpdateRow {
    pub(super) id: i64,
    pub(super) task_id: i64,
    pub(super) at: i64,
    pub(super) percent: i64,
    pub(super) note: &'static str,
}
pub(super) struct MeetingRow {
    pub(super) id: i64,
    pub(super) org_id: i64,
    pub(super) kind: MeetingKind,
    pub(super) day: u16,
    pub(super) topic: Cow<'static, str>,
    pub(super) entitled: i64,
    pub(super) present: i64,
    pub(super) quorum_met: Option<i64>,
}
pub(super) struct PersonRow {
    pub(super) meeting_id: i64,
    pub(super) member_id: i64,
    pub(super) present: i64,
    pub(super) reason: Option<&'static str>,
}

/// Everything generated for a run of organizations.
#[derive(Default)]
pub(super) struct Chunk {
    pub(super) orgs: u64,
    pub(super) plans: Vec<PlanRow>,
    pub(super) goals: Vec<GoalRow>,
    pub(super) kpis: Vec<KpiRow>,
    pub(super) values: Vec<ValueRow>,
    pub(super) items: Vec<ItemRow>,
    pub(super) links: Vec<LinkRow>,
    pub(super) tasks: Vec<TaskRow>,
    pub(super) updates: Vec<UpdateRow>,
    pub(super) meetings: Vec<MeetingRow>,
    pub(super) meeting_goals: Vec<(i64, i64)>,
    pub(super) people: Vec<PersonRow>,
}

impl Chunk {
    pub(super) fn rows(&self) -> usize {
        self.plans.len()
            + self.goals.len()
            + self.kpis.len()
            + self.values.len()
            + self.items.len()
            + self.links.len()
            + self.tasks.len()
            + self.updates.len()
            + self.meetings.len()
            + self.meeting_goals.len()
            + self.people.len()
    }
}

// ---------------------------------------------------------------------------------------------
// SQL.

pub(super) type AnyQuery<'q> = Query<'q, Any, AnyArguments<'q>>;

/// Texts rows refer to by index, and the year's first noon in milliseconds.
pub(super) struct Texts {
    pub(super) days: Vec<String>,
    pub(super) months: Vec<String>,
    pub(super) year_ms: i64,
}

impl Texts {
    pub(super) fn day(&self, day: u16) -> &str {
        &self.days[usize::from(day)]
    }
}

/// Binds one row's columns, in the order of its table's INSERT.
pub(super) trait Bind {
    fn bind<'a>(&'a self, q: AnyQuery<'a>, x: &'a Texts) -> AnyQuery<'a>;
}

impl Bind for PlanRow {
    fn bind<'a>(&'a self, q: AnyQuery<'a>, _: &'a Texts) -> AnyQuery<'a> {
        q.bind(self.id).bind(self.org_id).bind(self.status)
    }
}

impl Bind for GoalRow {
    fn bind<'a>(&'a self, q: AnyQuery<'a>, _: &'a Texts) -> AnyQuery<'a> {
        q.bind(self.id)
            .bind(self.plan_id)
            .bind(self.t.title)
            .bind(self.t.dept)
            .bind(i64::from(self.is_key))
            .bind(if self.is_key { 2.0 } else { 1.0 })
            .bind(self.parent)
            .bind(self.t.by)
    }
}

impl Bind for KpiRow {
    fn bind<'a>(&'a self, q: AnyQuery<'a>, _: &'a Texts) -> AnyQuery<'a> {
        q.bind(self.id)
            .bind(self.goal_id)
            .bind(self.t.kpi)
            .bind(self.t.unit)
            .bind(self.direction)
            .bind(self.baseline)
            .bind(self.target)
    }
}

impl Bind for ValueRow {
    fn bind<'a>(&'a self, q: AnyQuery<'a>, x: &'a Texts) -> AnyQuery<'a> {
        q.bind(self.id)
            .bind(self.kpi_id)
            .bind(x.months[usize::from(self.month) - 1].as_str())
            .bind(self.value)
            .bind(if self.api { "接口" } else { "页面" })
    }
}

impl Bind for ItemRow {
    fn bind<'a>(&'a self, q: AnyQuery<'a>, x: &'a Texts) -> AnyQuery<'a> {
        q.bind(self.id)
            .bind(self.plan_id)
            .bind(self.t.0)
            .bind(self.t.1)
            .bind(self.t.2)
            .bind(self.owner)
            .bind(x.day(self.from))
            .bind(x.day(self.to))
    }
}

impl Bind for LinkRow {
    fn bind<'a>(&'a self, q: AnyQuery<'a>, _: &'a Texts) -> AnyQuery<'a> {
        q.bind(self.id)
            .bind(self.item_id)
            .bind(self.goal_id)
            .bind(self.junction.as_str())
            .bind(self.kind)
    }
}

impl Bind for TaskRow {
    fn bind<'a>(&'a self, q: AnyQuery<'a>, x: &'a Texts) -> AnyQuery<'a> {
        q.bind(self.id)
            .bind(self.plan_id)
            .bind(self.item_id)
            .bind(self.goal_id)
            .bind(self.title)
            .bind(self.assignee)
            .bind(self.partner)
            .bind(x.day(self.deadline))
            .bind(self.status)
            .bind(self.percent)
    }
}

impl Bind for UpdateRow {
    fn bind<'a>(&'a self, q: AnyQuery<'a>, _: &'a Texts) -> AnyQuery<'a> {
        q.bind(self.id)
            .bind(self.task_id)
            .bind(self.at)
            .bind(self.percent)
            .bind(self.note)
    }
}

impl Bind for MeetingRow {
    fn bind<'a>(&'a self, q: AnyQuery<'a>, x: &'a Texts) -> AnyQuery<'a> {
        q.bind(self.id)
            .bind(self.org_id)
            .bind(self.kind.code())
            .bind(x.day(self.day))
            .bind(self.topic.as_ref())
            .bind(content(self.kind))
            .bind(decisions(self.kind))
            .bind(self.entitled)
            .bind(self.present)
            .bind(self.quorum_met)
            .bind(x.year_ms + i64::from(self.day) * DAY_MS)
    }
}

impl Bind for (i64, i64) {
    fn bind<'a>(&'a self, q: AnyQuery<'a>, _: &'a Texts) -> AnyQuery<'a> {
        q.bind(self.0).bind(self.1)
    }
}

impl Bind for PersonRow {
    fn bind<'a>(&'a self, q: AnyQuery<'a>, _: &'a Texts) -> AnyQuery<'a> {
        q.bind(self.meeting_id)
            .bind(self.member_id)
            .bind(self.present)
            .bind(self.reason)
    }
}

/// `INSERT INTO t (cols) VALUES (?, .., literals), ...`: `?` on SQLite (sqlx resolves named
/// parameters by a linear scan, see `gen.rs`), `$N` on PostgreSQL.
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

/// One table's INSERT, with the text of a full batch cached.
pub(super) struct Table {
    pub(super) backend: Backend,
    pub(super) head: String,
    pub(super) cols: usize,
    pub(super) literals: String,
    pub(super) rows: usize,
    pub(super) full: String,
}

impl Table {
    pub(super) fn new(backend: Backend, head: &str, cols: usize, literals: String) -> Self {
        let rows = 30_000 / cols;
        Table {
            backend,
            full: insert_sql(head, cols, &literals, rows, backend),
            head: head.to_string(),
            cols,
            literals,
            rows,
        }
    }

    pub(super) fn sql(&self, rows: usize) -> Cow<'_, str> {
        if rows == self.rows {
            Cow::Borrowed(&self.full)
        } else {
            Cow::Owned(insert_sql(
                &self.head,
                self.cols,
                &self.literals,
                rows,
                self.backend,
            ))
        }
    }
}

/// A connection with a transaction committed every `tx_rows` rows.
pub(super) struct Writer {
    pub(super) conn: sqlx::pool::PoolConnection<Any>,
    pub(super) pending: usize,
    pub(super) tx_rows: usize,
}

impl Writer {
    pub(super) async fn exec(&mut self, sql: &str) -> StoreResult<()> {
        sqlx::query(sql).execute(&mut *self.conn).await?;
        Ok(())
    }

    pub(super) async fn insert<T: Bind>(
        &mut self,
        table: &Table,
        rows: &[T],
        texts: &Texts,
    ) -> StoreResult<()> {
        for chunk in rows.chunks(table.rows) {
            let sql = table.sql(chunk.len());
            let mut q = sqlx::query(&sql);
            for row in chunk {
                q = row.bind(q, texts);
            }
            let c: &mut AnyConnection = &mut self.conn;
            q.execute(&mut *c).await?;
            self.pending += chunk.len();
        }
        if self.pending >= self.tx_rows {
            self.exec("COMMIT").await?;
            self.exec("BEGIN").await?;
            self.pending = 0;
        }
        Ok(())
    }
}

pub(super) async fn max_id(conn: &mut AnyConnection, table: &str) -> StoreResult<i64> {
    Ok(
        sqlx::query_scalar::<_, i64>(&format!("SELECT COALESCE(MAX(id), 0) FROM {table}"))
            .fetch_one(conn)
            .await?,
    )
}

/// Rows generated per batch (written while the next one is generated).
pub(super) const BATCH_ROWS: usize = 200_000;
pub(super) const SQLITE_TX_ROWS: usize = 1_000_000;
pub(super) const PG_TX_ROWS: usize = 50_000;

/// Tables with an id, whose PostgreSQL sequences are reset afterwards.
pub(super) const ID_TABLES: [&str; 9] = [
    "plans",
    "goals",
    "kpis",
    "kpi_values",
    "items",
    "links",
    "tasks",
    "task_updates",
    "meetings",
];
