//! Evaluation runs: one per template version, subtree and year, with a result per
//! organization. A draft takes manual values (with a reason, audited); a confirmed run is
//! locked, and a correction is a new run naming the one it supersedes.

use super::corrupt;
use crate::audit;
use crate::error::{StoreError, StoreResult};
use crate::q::Q;
use crate::{now_ms, Actor, Org, Store};
use ronghe_core::evaluation::Input;
use ronghe_core::scope::Scope;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RunStatus {
    Draft,
    Confirmed,
}

impl RunStatus {
    pub fn code(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Confirmed => "confirmed",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::Draft => "草稿（可调整）",
            Self::Confirmed => "已确认（锁定）",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct EvalRun {
    pub id: i64,
    pub version_id: i64,
    pub template_id: i64,
    pub template_name: String,
    pub version: i64,
    pub org_id: i64,
    pub org_name: String,
    pub year: i64,
    pub as_of: String,
    pub status: RunStatus,
    pub supersedes_id: Option<i64>,
    /// The run that corrected this one, if any.
    pub superseded_by: Option<i64>,
    pub note: Option<String>,
    pub created_at: i64,
    pub created_by: String,
    pub confirmed_at: Option<i64>,
    pub confirmed_by: Option<String>,
    pub results: i64,
}

/// A result to store: the organization's score and the inputs that explain it.
#[derive(Debug, Clone)]
pub struct NewResult {
    pub org_id: i64,
    pub plan_id: i64,
    /// Peer group: the unit kind code.
    pub peer: String,
    pub score: f64,
    pub grade: String,
    pub index: f64,
    pub g: f64,
    pub s: f64,
    pub e: f64,
    pub u1: f64,
    pub u2: f64,
    pub inputs: Vec<(String, Input)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EvalResult {
    pub run_id: i64,
    pub org_id: i64,
    pub org_name: String,
    pub org_kind: String,
    pub plan_id: i64,
    pub peer: String,
    pub score: f64,
    pub grade: String,
    pub index: f64,
    pub g: f64,
    pub s: f64,
    pub e: f64,
    pub u1: f64,
    pub u2: f64,
    pub inputs: Vec<(String, Input)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ManualRow {
    pub org_id: i64,
    pub code: String,
    pub input: Input,
    pub reason: String,
    pub entered_by: String,
    pub entered_at: i64,
}

#[derive(sqlx::FromRow)]
struct RunRow {
    id: i64,
    version_id: i64,
    template_id: i64,
    template_name: String,
    version: i64,
    org_id: i64,
    org_name: String,
    year: i64,
    as_of: String,
    status: String,
    supersedes_id: Option<i64>,
    superseded_by: Option<i64>,
    note: Option<String>,
    created_at: i64,
    created_by: String,
    confirmed_at: Option<i64>,
    confirmed_by: Option<String>,
    results: i64,
}

const RUN_SELECT: &str =
    "SELECT r.id, r.version_id, t.id AS template_id, t.name AS template_name, \
     v.version, r.org_id, o.name AS org_name, r.year, r.as_of, r.status, r.supersedes_id, \
     (SELECT MIN(n.id) FROM eval_runs n WHERE n.supersedes_id = r.id) AS superseded_by, r.note, \
     r.created_at, r.created_by, r.confirmed_at, r.confirmed_by, \
     (SELECT COUNT(*) FROM eval_results x WHERE x.run_id = r.id) AS results \
     FROM eval_runs r JOIN eval_template_versions v ON v.id = r.version_id \
     JOIN eval_templates t ON t.id = v.template_id JOIN orgs o ON o.id = r.org_id";

fn run_of(r: RunRow) -> EvalRun {
    EvalRun {
        status: if r.status == "confirmed" {
            RunStatus::Confirmed
        } else {
            RunStatus::Draft
        },
        id: r.id,
        version_id: r.version_id,
        template_id: r.template_id,
        template_name: r.template_name,
        version: r.version,
        org_id: r.org_id,
        org_name: r.org_name,
        year: r.year,
        as_of: r.as_of,
        supersedes_id: r.supersedes_id,
        superseded_by: r.superseded_by,
        note: r.note,
        created_at: r.created_at,
        created_by: r.created_by,
        confirmed_at: r.confirmed_at,
        confirmed_by: r.confirmed_by,
        results: r.results,
    }
}

type ResultRow = (
    i64,
    i64,
    String,
    String,
    i64,
    String,
    f64,
    String,
    f64,
    f64,
    f64,
    f64,
    f64,
    f64,
    String,
);

const RESULT_SELECT: &str =
    "SELECT x.run_id, x.org_id, o.name, o.kind, x.plan_id, x.peer, x.score, \
     x.grade, x.idx, x.g, x.s, x.e, x.u1, x.u2, x.inputs FROM eval_results x JOIN orgs o ON o.id = x.org_id";

fn result_of(r: ResultRow) -> StoreResult<EvalResult> {
    let inputs =
        serde_json::from_str(&r.14).map_err(|e| corrupt(format!("result {}/{}: {e}", r.0, r.1)))?;
    Ok(EvalResult {
        run_id: r.0,
        org_id: r.1,
        org_name: r.2,
        org_kind: r.3,
        plan_id: r.4,
        peer: r.5,
        score: r.6,
        grade: r.7,
        index: r.8,
        g: r.9,
        s: r.10,
        e: r.11,
        u1: r.12,
        u2: r.13,
        inputs,
    })
}

fn json<T: Serialize>(v: &T) -> StoreResult<String> {
    serde_json::to_string(v).map_err(|e| corrupt(e.to_string()))
}

/// A run's averages, for the trend over periods.
#[derive(Debug, Clone, Serialize)]
pub struct RunSummary {
    pub run_id: i64,
    pub year: i64,
    pub confirmed: bool,
    pub n: i64,
    pub score: f64,
    pub index: f64,
    pub u1: f64,
    pub u2: f64,
}

/// Rows per INSERT statement: 13 values each, well under either backend's limit.
const BATCH: usize = 400;

impl Store {
    /// Stores a run of template version `version_id` over `root`'s subtree with its results;
    /// a correction names the run it supersedes and carries over its manual values.
    #[allow(clippy::too_many_arguments)]
    pub async fn eval_run_create(
        &self,
        actor: &Actor,
        version_id: i64,
        root: &Org,
        year: i32,
        as_of: ronghe_core::Date,
        supersedes: Option<i64>,
        note: Option<&str>,
        results: &[NewResult],
    ) -> StoreResult<i64> {
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO eval_runs (version_id, org_id, year, as_of, status, supersedes_id, note, created_at, created_by) \
             VALUES ($1, $2, $3, $4, 'draft', $5, $6, $7, $8) RETURNING id",
        )
        .bind(version_id)
        .bind(root.id)
        .bind(i64::from(year))
        .bind(as_of.to_string())
        .bind(supersedes)
        .bind(note.map(str::trim).filter(|n| !n.is_empty()))
        .bind(now)
        .bind(&actor.username)
        .fetch_one(&mut *tx)
        .await?;
        for chunk in results.chunks(BATCH) {
            let mut q = Q::new(
                "INSERT INTO eval_results (run_id, org_id, plan_id, peer, score, grade, idx, g, s, e, u1, u2, inputs) VALUES ",
            );
            for (i, r) in chunk.iter().enumerate() {
                q.push(if i > 0 { ", (" } else { "(" });
                q.bind(id)
                    .push(", ")
                    .bind(r.org_id)
                    .push(", ")
                    .bind(r.plan_id);
                q.push(", ").bind(r.peer.as_str()).push(", ").bind(r.score);
                q.push(", ").bind(r.grade.as_str()).push(", ").bind(r.index);
                q.push(", ")
                    .bind(r.g)
                    .push(", ")
                    .bind(r.s)
                    .push(", ")
                    .bind(r.e);
                q.push(", ").bind(r.u1).push(", ").bind(r.u2);
                q.push(", ").bind(json(&r.inputs)?).push(")");
            }
            q.query().execute(&mut *tx).await?;
        }
        if let Some(old) = supersedes {
            sqlx::query(
                "INSERT INTO eval_manual (run_id, org_id, code, input, reason, entered_by, entered_at) \
                 SELECT $1, org_id, code, input, reason, entered_by, entered_at FROM eval_manual WHERE run_id = $2",
            )
            .bind(id)
            .bind(old)
            .execute(&mut *tx)
            .await?;
        }
        let what = match supersedes {
            Some(old) => format!(
                "更正考核：{year} 年，{} 个组织（更正第 {old} 次考核）",
                results.len()
            ),
            None => format!("开展考核：{year} 年，{} 个组织", results.len()),
        };
        audit::change(&mut tx, actor, "eval_run", id, &what).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// A run, if the scope sees its subtree.
    pub async fn eval_run_get(&self, scope: &Scope, id: i64) -> StoreResult<EvalRun> {
        let row: Option<RunRow> = sqlx::query_as(&format!("{RUN_SELECT} WHERE r.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        let run = run_of(row.ok_or(StoreError::NotFound)?);
        let root = self.org_get(scope, run.org_id).await?;
        if !scope.sees_members_of(&root.path) {
            return Err(StoreError::NotFound);
        }
        Ok(run)
    }

    /// Runs over `org_id`'s subtree, newest first.
    pub async fn eval_runs_of(&self, org_id: i64) -> StoreResult<Vec<EvalRun>> {
        let rows: Vec<RunRow> = sqlx::query_as(&format!(
            "{RUN_SELECT} WHERE r.org_id = $1 ORDER BY r.id DESC"
        ))
        .bind(org_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(run_of).collect())
    }

    /// The confirmed runs whose results include `org_id`, newest first: what an organization
    /// sees of its own evaluations.
    pub async fn eval_runs_about(&self, org_id: i64) -> StoreResult<Vec<(EvalRun, EvalResult)>> {
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT r.id FROM eval_runs r JOIN eval_results x ON x.run_id = r.id \
             WHERE x.org_id = $1 AND r.status = 'confirmed' ORDER BY r.id DESC LIMIT 20",
        )
        .bind(org_id)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for id in ids {
            let row: RunRow = sqlx::query_as(&format!("{RUN_SELECT} WHERE r.id = $1"))
                .bind(id)
                .fetch_one(&self.pool)
                .await?;
            out.push((run_of(row), self.eval_result(id, org_id).await?));
        }
        Ok(out)
    }

    /// The runs over `org_id`'s subtree that no later run corrected, with their averages, by
    /// year and then run: one aggregate statement.
    pub async fn eval_run_summaries(&self, org_id: i64) -> StoreResult<Vec<RunSummary>> {
        type Row = (i64, i64, String, i64, f64, f64, f64, f64);
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT r.id, r.year, r.status, COUNT(*), AVG(x.score), AVG(x.idx), AVG(x.u1), AVG(x.u2) \
             FROM eval_runs r JOIN eval_results x ON x.run_id = r.id WHERE r.org_id = $1 \
             AND NOT EXISTS (SELECT 1 FROM eval_runs n WHERE n.supersedes_id = r.id) \
             GROUP BY r.id, r.year, r.status ORDER BY r.year, r.id",
        )
        .bind(org_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(
                |(run_id, year, status, n, score, index, u1, u2)| RunSummary {
                    run_id,
                    year,
                    confirmed: status == "confirmed",
                    n,
                    score,
                    index,
                    u1,
                    u2,
                },
            )
            .collect())
    }

    /// How many results of the run are of `peer`'s group, and their mean score: one aggregate.
    pub async fn eval_peer_mean(&self, run_id: i64, peer: &str) -> StoreResult<(i64, f64)> {
        let (n, mean): (i64, Option<f64>) = sqlx::query_as(
            "SELECT COUNT(*), AVG(score) FROM eval_results WHERE run_id = $1 AND peer = $2",
        )
        .bind(run_id)
        .bind(peer)
        .fetch_one(&self.pool)
        .await?;
        Ok((n, mean.unwrap_or(0.0)))
    }

    /// Every result of a run, in organization order.
    pub async fn eval_results(&self, run_id: i64) -> StoreResult<Vec<EvalResult>> {
        let rows: Vec<ResultRow> = sqlx::query_as(&format!(
            "{RESULT_SELECT} WHERE x.run_id = $1 ORDER BY x.org_id"
        ))
        .bind(run_id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(result_of).collect()
    }

    pub async fn eval_result(&self, run_id: i64, org_id: i64) -> StoreResult<EvalResult> {
        let row: Option<ResultRow> = sqlx::query_as(&format!(
            "{RESULT_SELECT} WHERE x.run_id = $1 AND x.org_id = $2"
        ))
        .bind(run_id)
        .bind(org_id)
        .fetch_optional(&self.pool)
        .await?;
        result_of(row.ok_or(StoreError::NotFound)?)
    }

    /// Manual values of a run (of one organization, or all).
    pub async fn eval_manual(
        &self,
        run_id: i64,
        org_id: Option<i64>,
    ) -> StoreResult<Vec<ManualRow>> {
        let mut q = Q::new(
            "SELECT org_id, code, input, reason, entered_by, entered_at FROM eval_manual WHERE run_id = ",
        );
        q.bind(run_id);
        if let Some(o) = org_id {
            q.push(" AND org_id = ").bind(o);
        }
        q.push(" ORDER BY org_id, id");
        let rows: Vec<(i64, String, String, String, String, i64)> =
            q.query_as().fetch_all(&self.pool).await?;
        rows.into_iter()
            .map(|(org_id, code, input, reason, entered_by, entered_at)| {
                Ok(ManualRow {
                    input: serde_json::from_str(&input)
                        .map_err(|e| corrupt(format!("manual {run_id}/{org_id}: {e}")))?,
                    org_id,
                    code,
                    reason,
                    entered_by,
                    entered_at,
                })
            })
            .collect()
    }

    /// Enters (or replaces) a manual value on a draft run and stores the organization's
    /// re-scored result with it, in one transaction. `what` says it in words for the log.
    pub async fn eval_manual_set(
        &self,
        actor: &Actor,
        run: &EvalRun,
        m: &ManualRow,
        rescored: &NewResult,
        what: &str,
    ) -> StoreResult<()> {
        if run.status == RunStatus::Confirmed {
            return Err(StoreError::field(
                "run",
                "这次考核已确认并锁定，不能再调整；如需更正，请新建一次更正考核",
            ));
        }
        let mut tx = self.pool.begin().await?;
        let status: String = sqlx::query_scalar("SELECT status FROM eval_runs WHERE id = $1")
            .bind(run.id)
            .fetch_one(&mut *tx)
            .await?;
        if status == "confirmed" {
            return Err(StoreError::field(
                "run",
                "这次考核刚刚已被确认并锁定，不能再调整",
            ));
        }
        sqlx::query("DELETE FROM eval_manual WHERE run_id = $1 AND org_id = $2 AND code = $3")
            .bind(run.id)
            .bind(m.org_id)
            .bind(&m.code)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO eval_manual (run_id, org_id, code, input, reason, entered_by, entered_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(run.id)
        .bind(m.org_id)
        .bind(&m.code)
        .bind(json(&m.input)?)
        .bind(&m.reason)
        .bind(&m.entered_by)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE eval_results SET score = $1, grade = $2, inputs = $3 WHERE run_id = $4 AND org_id = $5",
        )
        .bind(rescored.score)
        .bind(&rescored.grade)
        .bind(json(&rescored.inputs)?)
        .bind(run.id)
        .bind(m.org_id)
        .execute(&mut *tx)
        .await?;
        audit::change(&mut tx, actor, "eval_run", run.id, what).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Confirms a draft run: from now on it is locked.
    pub async fn eval_run_confirm(&self, actor: &Actor, run: &EvalRun) -> StoreResult<()> {
        let mut tx = self.pool.begin().await?;
        let n = sqlx::query(
            "UPDATE eval_runs SET status = 'confirmed', confirmed_at = $1, confirmed_by = $2 \
             WHERE id = $3 AND status = 'draft'",
        )
        .bind(now_ms())
        .bind(&actor.username)
        .bind(run.id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n == 0 {
            return Err(StoreError::field("run", "这次考核已经确认过了"));
        }
        let what = format!(
            "确认考核结果：{} 年「{}」，{} 个组织，从此锁定",
            run.year, run.template_name, run.results
        );
        audit::change(&mut tx, actor, "eval_run", run.id, &what).await?;
        tx.commit().await?;
        Ok(())
    }
}
