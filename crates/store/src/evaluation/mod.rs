//! 同步考核 in the database: indicator templates (考核方案) saved as versions, evaluation runs
//! with one result per organization, and the values entered by hand. The scoring itself is
//! core's; this module keeps what was decided and who decided it.

mod compute;
mod facts;
mod runs;

pub use compute::{explain_result, manual_inputs, rescore, RunBasis};

pub use facts::{EvalSubject, SubtreeEvalFacts};
pub use runs::{EvalResult, EvalRun, ManualRow, NewResult, RunStatus, RunSummary};

use crate::audit;
use crate::error::{StoreError, StoreResult};
use crate::{now_ms, Actor, Org, Store};
use ronghe_core::evaluation::{validate_template, Template};
use ronghe_core::scope::Scope;
use serde::Serialize;

/// A template with its latest version.
#[derive(Debug, Clone, Serialize)]
pub struct EvalTemplate {
    pub id: i64,
    pub org_id: i64,
    pub name: String,
    pub year: i64,
    pub created_at: i64,
    pub created_by: String,
    pub version_id: i64,
    pub version: i64,
    pub saved_at: i64,
    pub saved_by: String,
    pub body: Template,
}

/// One saved version, for the template's history.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct VersionRow {
    pub id: i64,
    pub version: i64,
    pub note: Option<String>,
    pub created_at: i64,
    pub created_by: String,
}

type TemplateRow = (
    i64,
    i64,
    String,
    i64,
    i64,
    String,
    i64,
    i64,
    i64,
    String,
    String,
);

const TEMPLATE_SELECT: &str = "SELECT t.id, t.org_id, t.name, t.year, t.created_at, t.created_by, \
     v.id, v.version, v.created_at, v.created_by, v.body FROM eval_templates t \
     JOIN eval_template_versions v ON v.template_id = t.id";

fn template_of(r: TemplateRow) -> StoreResult<EvalTemplate> {
    let body: Template =
        serde_json::from_str(&r.10).map_err(|e| corrupt(format!("template {}: {e}", r.0)))?;
    Ok(EvalTemplate {
        id: r.0,
        org_id: r.1,
        name: r.2,
        year: r.3,
        created_at: r.4,
        created_by: r.5,
        version_id: r.6,
        version: r.7,
        saved_at: r.8,
        saved_by: r.9,
        body,
    })
}

/// A stored JSON column that no longer reads.
pub(crate) fn corrupt(what: String) -> StoreError {
    StoreError::Db(sqlx::Error::Decode(what.into()))
}

fn checked(t: &Template) -> StoreResult<String> {
    validate_template(t).map_err(StoreError::Invalid)?;
    serde_json::to_string(t).map_err(|e| corrupt(e.to_string()))
}

impl Store {
    /// Saves a new template for `org` (a committee the scope covers) and `year`, as version 1.
    pub async fn eval_template_create(
        &self,
        actor: &Actor,
        scope: &Scope,
        org: &Org,
        year: i32,
        t: &Template,
    ) -> StoreResult<i64> {
        if !scope.sees_members_of(&org.path) {
            return Err(StoreError::NotFound);
        }
        let body = checked(t)?;
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO eval_templates (org_id, name, year, created_at, created_by) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(org.id)
        .bind(t.name.trim())
        .bind(i64::from(year))
        .bind(now)
        .bind(&actor.username)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO eval_template_versions (template_id, version, body, note, created_at, created_by) \
             VALUES ($1, 1, $2, NULL, $3, $4)",
        )
        .bind(id)
        .bind(&body)
        .bind(now)
        .bind(&actor.username)
        .execute(&mut *tx)
        .await?;
        let what = format!("新建考核方案「{}」（{year} 年）", t.name.trim());
        audit::change(&mut tx, actor, "eval_template", id, &what).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Saves `t` as the template's next version. Runs keep the version they scored.
    pub async fn eval_template_save(
        &self,
        actor: &Actor,
        scope: &Scope,
        id: i64,
        t: &Template,
        note: Option<&str>,
    ) -> StoreResult<i64> {
        let old = self.eval_template_get(scope, id).await?;
        let body = checked(t)?;
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        let version = old.version + 1;
        let vid: i64 = sqlx::query_scalar(
            "INSERT INTO eval_template_versions (template_id, version, body, note, created_at, created_by) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(id)
        .bind(version)
        .bind(&body)
        .bind(note.map(str::trim).filter(|n| !n.is_empty()))
        .bind(now)
        .bind(&actor.username)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query("UPDATE eval_templates SET name = $1 WHERE id = $2")
            .bind(t.name.trim())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let what = format!("考核方案「{}」保存为第 {version} 版", t.name.trim());
        audit::change(&mut tx, actor, "eval_template", id, &what).await?;
        tx.commit().await?;
        Ok(vid)
    }

    /// A template with its latest version, if its committee is in scope.
    pub async fn eval_template_get(&self, scope: &Scope, id: i64) -> StoreResult<EvalTemplate> {
        let row: Option<TemplateRow> = sqlx::query_as(&format!(
            "{TEMPLATE_SELECT} WHERE t.id = $1 ORDER BY v.version DESC LIMIT 1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        let t = template_of(row.ok_or(StoreError::NotFound)?)?;
        self.eval_owner_in_scope(scope, t.org_id).await?;
        Ok(t)
    }

    /// One version of a template, as a run scored it.
    pub async fn eval_template_version(
        &self,
        scope: &Scope,
        version_id: i64,
    ) -> StoreResult<EvalTemplate> {
        let row: Option<TemplateRow> =
            sqlx::query_as(&format!("{TEMPLATE_SELECT} WHERE v.id = $1"))
                .bind(version_id)
                .fetch_optional(&self.pool)
                .await?;
        let t = template_of(row.ok_or(StoreError::NotFound)?)?;
        self.eval_owner_in_scope(scope, t.org_id).await?;
        Ok(t)
    }

    pub async fn eval_template_versions(&self, id: i64) -> StoreResult<Vec<VersionRow>> {
        Ok(sqlx::query_as(
            "SELECT id, version, note, created_at, created_by FROM eval_template_versions \
             WHERE template_id = $1 ORDER BY version DESC",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// The templates `org` owns, newest year first, each at its latest version.
    pub async fn eval_templates_of(&self, org_id: i64) -> StoreResult<Vec<EvalTemplate>> {
        let rows: Vec<TemplateRow> = sqlx::query_as(&format!(
            "{TEMPLATE_SELECT} WHERE t.org_id = $1 AND v.version = \
             (SELECT MAX(x.version) FROM eval_template_versions x WHERE x.template_id = t.id) \
             ORDER BY t.year DESC, t.id DESC"
        ))
        .bind(org_id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(template_of).collect()
    }

    /// The owning committee must be one the scope sees the members of.
    async fn eval_owner_in_scope(&self, scope: &Scope, org_id: i64) -> StoreResult<Org> {
        let org = self.org_get(scope, org_id).await?;
        if !scope.sees_members_of(&org.path) {
            return Err(StoreError::NotFound);
        }
        Ok(org)
    }
}
