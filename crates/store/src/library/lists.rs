//! The library's lists: an organization's own cases, the recent ones a reader may open, the
//! review queue and the reported cases of a committee; downloading an original.

use crate::error::{StoreError, StoreResult};
use crate::files::Attachment;
use crate::q::Q;
use crate::{Actor, Case, Org, Store};
use ronghe_core::library::{case_number, CaseKind, CaseStatus, ReadContext};
use ronghe_core::scope::{is_within, Scope};
use serde::Serialize;

/// A case in a list.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct CaseLine {
    pub id: i64,
    pub year: i64,
    pub kind: String,
    pub title: String,
    pub summary: String,
    pub org_id: i64,
    pub org_name: String,
    #[serde(skip)]
    pub org_path: String,
    pub status: String,
    pub pages: i64,
    pub updated_at: i64,
    pub published_at: Option<i64>,
    pub decision_note: Option<String>,
    /// Open reports (shown to the committee that handles them).
    pub reports: i64,
}

impl CaseLine {
    pub fn number(&self) -> String {
        case_number(self.year as i32, self.id)
    }

    pub fn status_label(&self) -> &'static str {
        CaseStatus::from_code(&self.status).map_or("", CaseStatus::label)
    }

    pub fn kind_label(&self) -> &'static str {
        CaseKind::from_code(&self.kind).map_or("", CaseKind::label)
    }
}

const LINE: &str = "SELECT c.id, c.year, c.kind, c.title, c.summary, c.org_id, o.name AS org_name, \
    o.path AS org_path, c.status, c.pages, c.updated_at, c.published_at, c.decision_note, \
    (SELECT COUNT(*) FROM case_reports r WHERE r.case_id = c.id AND r.handled_at IS NULL) AS reports \
    FROM cases c JOIN orgs o ON o.id = c.org_id WHERE ";

/// Whether one of the scope's subtrees lies strictly above `path` (a committee that may
/// review a case written there).
fn reviews(scope: &Scope, path: &str) -> bool {
    scope.all
        || scope
            .subtrees
            .iter()
            .any(|r| r != path && is_within(path, r))
}

/// What a case form of one organization may choose from.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CaseChoices {
    /// Members of the organization: (id, name).
    pub members: Vec<(i64, String)>,
    /// Goals of its plans: (id, title, year), newest year first.
    pub goals: Vec<(i64, String, i64)>,
    /// Party work items of its plans: (id, title, year).
    pub items: Vec<(i64, String, i64)>,
    /// Its brands: (id, name).
    pub brands: Vec<(i64, String)>,
}

impl Store {
    /// The members, goals, items and brands of `org` a case may name.
    pub async fn case_choices(&self, org: &Org) -> StoreResult<CaseChoices> {
        Ok(CaseChoices {
            members: sqlx::query_as(
                "SELECT id, name FROM members WHERE org_id = $1 AND status IN ('probationary', 'full') ORDER BY id",
            )
            .bind(org.id)
            .fetch_all(&self.pool)
            .await?,
            goals: sqlx::query_as(
                "SELECT g.id, g.title, p.year FROM goals g JOIN plans p ON p.id = g.plan_id \
                 WHERE p.org_id = $1 ORDER BY p.year DESC, g.id",
            )
            .bind(org.id)
            .fetch_all(&self.pool)
            .await?,
            items: sqlx::query_as(
                "SELECT i.id, i.title, p.year FROM items i JOIN plans p ON p.id = i.plan_id \
                 WHERE p.org_id = $1 ORDER BY p.year DESC, i.id",
            )
            .bind(org.id)
            .fetch_all(&self.pool)
            .await?,
            brands: sqlx::query_as("SELECT id, name FROM brands WHERE org_id = $1 ORDER BY id")
                .bind(org.id)
                .fetch_all(&self.pool)
                .await?,
        })
    }

    /// Every case of `org`, newest change first.
    pub async fn case_lines_of_org(&self, scope: &Scope, org: &Org) -> StoreResult<Vec<CaseLine>> {
        if !scope.sees_org(&org.path) {
            return Err(StoreError::NotFound);
        }
        Ok(sqlx::query_as(&format!(
            "{LINE} c.org_id = $1 ORDER BY c.updated_at DESC, c.id DESC"
        ))
        .bind(org.id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// The newest published cases `ctx` may open.
    pub async fn case_lines_recent(
        &self,
        ctx: &ReadContext<'_>,
        limit: i64,
    ) -> StoreResult<Vec<CaseLine>> {
        let mut q = Q::new(LINE);
        q.push("c.status = 'published' AND (c.reach = 'all' OR ");
        q.org_scope(ctx.scope, "o.path", true);
        for p in ctx.publishers() {
            q.push(" OR (c.reach = 'subtree' AND c.reviewer_org_id = ")
                .bind(p)
                .push(")");
        }
        q.push(") ORDER BY c.published_at DESC, c.id DESC LIMIT ")
            .bind(limit.clamp(1, 100));
        Ok(q.query_as::<CaseLine>().fetch_all(&self.pool).await?)
    }

    /// Cases of a brand that `ctx` may open (published, or any when the account sees the
    /// brand's organization).
    pub async fn case_lines_of_brand(
        &self,
        ctx: &ReadContext<'_>,
        brand_id: i64,
    ) -> StoreResult<Vec<CaseLine>> {
        let lines: Vec<CaseLine> = sqlx::query_as(&format!(
            "{LINE} c.brand_id = $1 ORDER BY c.updated_at DESC"
        ))
        .bind(brand_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(lines
            .into_iter()
            .filter(|l| ctx.scope.sees_org(&l.org_path) || l.status == "published")
            .collect())
    }

    /// Submitted cases waiting for a committee of `scope` (one above the author).
    pub async fn case_review_queue(&self, scope: &Scope) -> StoreResult<Vec<CaseLine>> {
        self.committee_lines(scope, "c.status = 'submitted'", "c.updated_at")
            .await
    }

    /// Published cases with open reports, for a committee of `scope` above the author.
    pub async fn case_reported(&self, scope: &Scope) -> StoreResult<Vec<CaseLine>> {
        self.committee_lines(
            scope,
            "c.status = 'published' AND EXISTS (SELECT 1 FROM case_reports r \
             WHERE r.case_id = c.id AND r.handled_at IS NULL)",
            "c.published_at",
        )
        .await
    }

    async fn committee_lines(
        &self,
        scope: &Scope,
        cond: &str,
        order: &str,
    ) -> StoreResult<Vec<CaseLine>> {
        let mut q = Q::new(LINE);
        q.push(cond).push(" AND ").org_scope(scope, "o.path", false);
        q.push(&format!(" ORDER BY {order}, c.id LIMIT 500"));
        let lines: Vec<CaseLine> = q.query_as::<CaseLine>().fetch_all(&self.pool).await?;
        Ok(lines
            .into_iter()
            .filter(|l| reviews(scope, &l.org_path))
            .collect())
    }

    /// The original Word document of `case` (already read through its reader's context),
    /// with its bytes; the download is audited.
    pub async fn case_original(
        &self,
        actor: &Actor,
        case: &Case,
    ) -> StoreResult<(Attachment, Vec<u8>)> {
        let (id, _, _) = case.original.as_ref().ok_or(StoreError::NotFound)?;
        self.case_file(actor, case, *id).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_committee_reviews_below_itself_not_its_own() {
        let mut s = Scope::none();
        s.add_subtree("/1/3/");
        assert!(reviews(&s, "/1/3/4/"));
        assert!(!reviews(&s, "/1/3/"));
        assert!(!reviews(&s, "/1/2/"));
        assert!(reviews(&Scope::everything(), "/1/"));
    }
}
