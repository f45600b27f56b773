//! 同步检查 in the database: inspection rounds of a committee, findings with their
//! rectification, the evidence, the verification. Every write is audited; the rules of what
//! may follow what and what is overdue are core's (`ronghe_core::inspection`).

use crate::audit;
use crate::error::{StoreError, StoreResult};
use crate::q::Q;
use crate::{now_ms, Actor, Org, Store};
use ronghe_core::inspection::{is_overdue, FindingInput, RectifyStatus, Severity};
use ronghe_core::scope::{subtree_range, Scope};
use ronghe_core::Date;
use serde::Serialize;
use std::collections::HashMap;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Round {
    pub id: i64,
    pub org_id: i64,
    pub org_name: String,
    pub org_path: String,
    pub year: i64,
    pub title: String,
    pub template_id: Option<i64>,
    pub status: String,
    pub opened_at: i64,
    pub opened_by: String,
    pub closed_at: Option<i64>,
    pub findings: i64,
    pub verified: i64,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Finding {
    pub id: i64,
    pub round_id: i64,
    pub round_title: String,
    pub committee_id: i64,
    pub committee_path: String,
    pub org_id: i64,
    pub org_name: String,
    pub org_path: String,
    pub severity: String,
    pub item: Option<String>,
    pub description: String,
    pub action: String,
    pub owner: String,
    pub deadline: String,
    pub status: String,
    pub evidence: Option<String>,
    pub submitted_on: Option<String>,
    pub submitted_by: Option<String>,
    pub verified_on: Option<String>,
    pub verified_by: Option<String>,
    pub return_note: Option<String>,
    pub recorded_at: i64,
    pub recorded_by: String,
}

impl Finding {
    pub fn severity(&self) -> Severity {
        Severity::from_code(&self.severity).unwrap_or(Severity::Minor)
    }
    pub fn status(&self) -> RectifyStatus {
        RectifyStatus::from_code(&self.status).unwrap_or(RectifyStatus::Open)
    }
    pub fn is_overdue(&self, today: Date) -> bool {
        self.deadline.parse().is_ok_and(|d| {
            is_overdue(
                self.status(),
                d,
                self.submitted_on.as_deref().and_then(|s| s.parse().ok()),
                today,
            )
        })
    }
}

const ROUND_SELECT: &str = "SELECT r.id, r.org_id, o.name AS org_name, o.path AS org_path, r.year, \
     r.title, r.template_id, r.status, r.opened_at, r.opened_by, r.closed_at, \
     (SELECT COUNT(*) FROM inspection_findings f WHERE f.round_id = r.id) AS findings, \
     (SELECT COUNT(*) FROM inspection_findings f WHERE f.round_id = r.id AND f.status = 'verified') AS verified \
     FROM inspection_rounds r JOIN orgs o ON o.id = r.org_id";

const FINDING_SELECT: &str = "SELECT f.id, f.round_id, r.title AS round_title, r.org_id AS committee_id, \
     c.path AS committee_path, f.org_id, o.name AS org_name, o.path AS org_path, f.severity, f.item, \
     f.description, f.action, f.owner, f.deadline, f.status, f.evidence, f.submitted_on, \
     f.submitted_by, f.verified_on, f.verified_by, f.return_note, f.recorded_at, f.recorded_by \
     FROM inspection_findings f JOIN inspection_rounds r ON r.id = f.round_id \
     JOIN orgs c ON c.id = r.org_id JOIN orgs o ON o.id = f.org_id";

impl Store {
    /// Opens a round over `org`'s subtree (the scope must cover it).
    pub async fn round_create(
        &self,
        actor: &Actor,
        scope: &Scope,
        org: &Org,
        year: i32,
        title: &str,
        template_id: Option<i64>,
    ) -> StoreResult<i64> {
        if !scope.sees_members_of(&org.path) {
            return Err(StoreError::NotFound);
        }
        let mut tx = self.pool.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO inspection_rounds (org_id, year, title, template_id, status, opened_at, opened_by) \
             VALUES ($1, $2, $3, $4, 'open', $5, $6) RETURNING id",
        )
        .bind(org.id)
        .bind(i64::from(year))
        .bind(title)
        .bind(template_id)
        .bind(now_ms())
        .bind(&actor.username)
        .fetch_one(&mut *tx)
        .await?;
        audit::change(
            &mut tx,
            actor,
            "inspection",
            id,
            &format!("开展同步检查「{title}」"),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// A round, if the scope sees its committee's subtree.
    pub async fn round_get(&self, scope: &Scope, id: i64) -> StoreResult<Round> {
        let r: Round = sqlx::query_as(&format!("{ROUND_SELECT} WHERE r.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        if !scope.sees_members_of(&r.org_path) {
            return Err(StoreError::NotFound);
        }
        Ok(r)
    }

    pub async fn rounds_of(&self, org_id: i64) -> StoreResult<Vec<Round>> {
        Ok(sqlx::query_as(&format!(
            "{ROUND_SELECT} WHERE r.org_id = $1 ORDER BY r.year DESC, r.id DESC"
        ))
        .bind(org_id)
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn round_findings(&self, round_id: i64) -> StoreResult<Vec<Finding>> {
        Ok(sqlx::query_as(&format!(
            "{FINDING_SELECT} WHERE f.round_id = $1 ORDER BY f.org_id, f.id"
        ))
        .bind(round_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// A finding, if the scope sees the inspected organization or the round's committee.
    pub async fn finding_get(&self, scope: &Scope, id: i64) -> StoreResult<Finding> {
        let f: Finding = sqlx::query_as(&format!("{FINDING_SELECT} WHERE f.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        if scope.sees_org(&f.org_path) || scope.sees_members_of(&f.committee_path) {
            Ok(f)
        } else {
            Err(StoreError::NotFound)
        }
    }

    /// Findings about organizations the scope covers that are not verified closed: for the
    /// inspected side's page and 待办.
    pub async fn findings_open_in(&self, scope: &Scope, limit: i64) -> StoreResult<Vec<Finding>> {
        let mut q = Q::new(&format!(
            "{FINDING_SELECT} WHERE f.status <> 'verified' AND "
        ));
        q.org_scope(scope, "o.path", true);
        q.push(" ORDER BY f.deadline, f.id LIMIT ").bind(limit);
        Ok(q.query_as().fetch_all(&self.pool).await?)
    }

    /// Evidence waiting for verification in rounds of committees the scope covers.
    pub async fn findings_to_verify(&self, scope: &Scope, limit: i64) -> StoreResult<Vec<Finding>> {
        let mut q = Q::new(&format!(
            "{FINDING_SELECT} WHERE f.status = 'submitted' AND "
        ));
        q.org_scope(scope, "c.path", false);
        q.push(" ORDER BY f.submitted_on, f.id LIMIT ").bind(limit);
        Ok(q.query_as().fetch_all(&self.pool).await?)
    }

    /// Records a finding in an open round; the organization must be in the round's subtree.
    pub async fn finding_create(
        &self,
        actor: &Actor,
        round: &Round,
        f: &FindingInput,
    ) -> StoreResult<i64> {
        if round.status != "open" {
            return Err(StoreError::field("round", "这次检查已结束，不能再记录问题"));
        }
        let org = self
            .org_get(&Scope::everything(), f.org_id)
            .await
            .map_err(|_| StoreError::field("org_id", "请从列表中选择被检查的组织"))?;
        let (lo, hi) = subtree_range(&round.org_path);
        if !(org.path.as_str() >= lo.as_str() && org.path.as_str() < hi.as_str()) {
            return Err(StoreError::field("org_id", "只能检查本组织及下级组织"));
        }
        let mut tx = self.pool.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO inspection_findings (round_id, org_id, severity, item, description, action, owner, \
             deadline, status, recorded_at, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'open', $9, $10) RETURNING id",
        )
        .bind(round.id)
        .bind(org.id)
        .bind(f.severity.code())
        .bind(f.item.as_deref())
        .bind(&f.description)
        .bind(&f.action)
        .bind(&f.owner)
        .bind(f.deadline.to_string())
        .bind(now_ms())
        .bind(&actor.username)
        .fetch_one(&mut *tx)
        .await?;
        let what = format!(
            "同步检查「{}」发现「{}」{}问题，整改期限 {}",
            round.title,
            org.name,
            f.severity.label(),
            f.deadline
        );
        audit::change(&mut tx, actor, "inspection", round.id, &what).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The inspected organization reports its rectification (from 整改中 only).
    pub async fn finding_submit(
        &self,
        actor: &Actor,
        f: &Finding,
        evidence: &str,
        today: Date,
    ) -> StoreResult<()> {
        self.finding_move(
            actor,
            f,
            RectifyStatus::Open,
            "UPDATE inspection_findings SET status = 'submitted', evidence = $1, submitted_on = $2, \
             submitted_by = $3 WHERE id = $4 AND status = 'open'",
            &[evidence, &today.to_string(), &actor.username],
            &format!("「{}」报送整改情况", f.org_name),
        )
        .await
    }

    /// The inspector verifies the rectification closed.
    pub async fn finding_verify(&self, actor: &Actor, f: &Finding, today: Date) -> StoreResult<()> {
        self.finding_move(
            actor,
            f,
            RectifyStatus::Submitted,
            "UPDATE inspection_findings SET status = 'verified', verified_on = $1, verified_by = $2 \
             WHERE id = $3 AND status = 'submitted'",
            &[&today.to_string(), &actor.username],
            &format!("「{}」的整改验证销号", f.org_name),
        )
        .await
    }

    /// The inspector returns the evidence with a reason: 整改中 again.
    pub async fn finding_return(&self, actor: &Actor, f: &Finding, note: &str) -> StoreResult<()> {
        self.finding_move(
            actor,
            f,
            RectifyStatus::Submitted,
            "UPDATE inspection_findings SET status = 'open', return_note = $1 \
             WHERE id = $2 AND status = 'submitted'",
            &[note],
            &format!("退回「{}」的整改情况：{note}", f.org_name),
        )
        .await
    }

    async fn finding_move(
        &self,
        actor: &Actor,
        f: &Finding,
        from: RectifyStatus,
        sql: &str,
        args: &[&str],
        what: &str,
    ) -> StoreResult<()> {
        if f.status() != from {
            return Err(StoreError::field(
                "status",
                format!("这项整改现在是“{}”，不能这样办理", f.status().label()),
            ));
        }
        let mut tx = self.pool.begin().await?;
        let mut q = sqlx::query(sql);
        for a in args {
            q = q.bind(*a);
        }
        let n = q.bind(f.id).execute(&mut *tx).await?.rows_affected();
        if n == 0 {
            return Err(StoreError::field(
                "status",
                "这项整改刚刚已被他人办理，请刷新后再看",
            ));
        }
        audit::change(&mut tx, actor, "inspection", f.round_id, what).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Overdue rectifications of `year`'s rounds per organization strictly below `root`, as of
    /// `as_of`: the evaluation's deduction input.
    pub async fn rectifications_overdue(
        &self,
        root: &Org,
        year: i32,
        as_of: Date,
    ) -> StoreResult<HashMap<i64, u32>> {
        let (lo, hi) = subtree_range(&root.path);
        let rows: Vec<(i64, String, String, Option<String>)> = sqlx::query_as(
            "SELECT f.org_id, f.status, f.deadline, f.submitted_on FROM inspection_findings f \
             JOIN inspection_rounds r ON r.id = f.round_id JOIN orgs o ON o.id = f.org_id \
             WHERE r.year = $1 AND f.status <> 'verified' AND o.path >= $2 AND o.path < $3",
        )
        .bind(i64::from(year))
        .bind(lo)
        .bind(hi)
        .fetch_all(&self.pool)
        .await?;
        let mut out: HashMap<i64, u32> = HashMap::new();
        for (org, status, deadline, submitted) in rows {
            let (Some(status), Ok(deadline)) =
                (RectifyStatus::from_code(&status), deadline.parse::<Date>())
            else {
                continue;
            };
            if is_overdue(
                status,
                deadline,
                submitted.and_then(|s| s.parse().ok()),
                as_of,
            ) {
                *out.entry(org).or_default() += 1;
            }
        }
        Ok(out)
    }
}
