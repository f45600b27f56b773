//! Organizations: the tree, its committees, and the facts the formation rules need.

use crate::error::{StoreError, StoreResult};
use crate::q::Q;
use crate::{audit, now_ms, Actor, Store};
use ronghe_core::forms::{OrgInput, SeatInput};
use ronghe_core::org::formation::OrgFacts;
use ronghe_core::org::term::Term;
use ronghe_core::org::{CommitteeRole, OrgKind, UnitKind};
use ronghe_core::scope::{child_path, subtree_range, Scope};
use serde::Serialize;
use sqlx::FromRow;

#[derive(Debug, Clone, Serialize, FromRow)]
pub struct Org {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub path: String,
    pub kind: String,
    pub name: String,
    pub unit_name: String,
    pub unit_kind: String,
    pub founded_on: Option<String>,
    pub term_start: Option<String>,
    pub term_years: Option<i64>,
    pub full_count: i64,
    pub probationary_count: i64,
    pub other_count: i64,
    pub updated_at: i64,
}

pub(crate) const ORG_COLS: &str =
    "o.id, o.parent_id, o.path, o.kind, o.name, o.unit_name, o.unit_kind, \
    o.founded_on, o.term_start, o.term_years, o.full_count, o.probationary_count, o.other_count, \
    o.updated_at";

impl Org {
    pub fn kind(&self) -> OrgKind {
        OrgKind::from_code(&self.kind).unwrap_or(OrgKind::Branch)
    }
    pub fn kind_label(&self) -> &'static str {
        self.kind().label()
    }
    pub fn unit_kind_label(&self) -> &'static str {
        UnitKind::from_code(&self.unit_kind).map_or("其他", UnitKind::label)
    }
    pub fn term(&self) -> Option<Term> {
        let start = self.term_start.as_deref()?.parse().ok()?;
        Some(Term {
            start,
            years: u8::try_from(self.term_years?).ok()?,
        })
    }
    pub fn party_members(&self) -> i64 {
        self.full_count + self.probationary_count
    }
}

/// Counts over an organization's whole subtree (itself included).
#[derive(Debug, Clone, Default, Serialize)]
pub struct SubtreeCounts {
    pub orgs_by_kind: Vec<(String, i64)>,
    pub full: i64,
    pub probationary: i64,
}

/// A committee seat with the member's name.
#[derive(Debug, Clone, Serialize, FromRow)]
pub struct Seat {
    pub id: i64,
    pub member_id: i64,
    pub member_name: String,
    pub role: String,
    pub duty: Option<String>,
    pub since: Option<String>,
}

impl Seat {
    pub fn role(&self) -> CommitteeRole {
        CommitteeRole::from_code(&self.role).unwrap_or(CommitteeRole::Member)
    }
    pub fn role_label(&self) -> &'static str {
        self.role().label()
    }
}

fn date(d: Option<ronghe_core::Date>) -> Option<String> {
    d.map(|d| d.to_string())
}

impl Store {
    /// One organization, if `scope` sees it; otherwise NotFound, exactly as if it did not exist.
    pub async fn org_get(&self, scope: &Scope, id: i64) -> StoreResult<Org> {
        let mut q = Q::new(&format!("SELECT {ORG_COLS} FROM orgs o WHERE o.id = "));
        q.bind(id).push(" AND ").org_scope(scope, "o.path", true);
        q.query_as::<Org>()
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// The organizations on the way from the root to `org`, that `scope` sees (for breadcrumbs).
    pub async fn org_ancestors(&self, scope: &Scope, org: &Org) -> StoreResult<Vec<Org>> {
        let ids = ronghe_core::scope::path_ids(&org.path);
        let above = &ids[..ids.len().saturating_sub(1)];
        if above.is_empty() {
            return Ok(Vec::new());
        }
        // Ids come from our own path column, so they are plain integers.
        let list = above
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",");
        let mut q = Q::new(&format!(
            "SELECT {ORG_COLS} FROM orgs o WHERE o.id IN ({list}) AND "
        ));
        q.org_scope(scope, "o.path", true).push(" ORDER BY o.path");
        Ok(q.query_as::<Org>().fetch_all(&self.pool).await?)
    }

    /// The top organizations of a scope: the roots of its subtrees and its single orgs.
    pub async fn org_roots(&self, scope: &Scope) -> StoreResult<Vec<Org>> {
        if scope.all {
            let q = Q::new(&format!(
                "SELECT {ORG_COLS} FROM orgs o WHERE o.parent_id IS NULL ORDER BY o.id LIMIT 500"
            ));
            return Ok(q.query_as::<Org>().fetch_all(&self.pool).await?);
        }
        let mut out = Vec::new();
        for path in scope.subtrees.iter().chain(scope.orgs.iter()) {
            let q = {
                let mut q = Q::new(&format!("SELECT {ORG_COLS} FROM orgs o WHERE o.path = "));
                q.bind(path.as_str());
                q
            };
            out.extend(q.query_as::<Org>().fetch_optional(&self.pool).await?);
        }
        Ok(out)
    }

    /// Direct children of an organization, within scope, with their child counts.
    pub async fn org_children(&self, scope: &Scope, parent_id: i64) -> StoreResult<Vec<Org>> {
        let mut q = Q::new(&format!(
            "SELECT {ORG_COLS} FROM orgs o WHERE o.parent_id = "
        ));
        q.bind(parent_id)
            .push(" AND ")
            .org_scope(scope, "o.path", true);
        q.push(" ORDER BY o.id LIMIT 2000");
        Ok(q.query_as::<Org>().fetch_all(&self.pool).await?)
    }

    /// Organizations in scope whose name contains `text` (for pickers and search).
    pub async fn org_search(&self, scope: &Scope, text: &str, limit: i64) -> StoreResult<Vec<Org>> {
        let mut q = Q::new(&format!("SELECT {ORG_COLS} FROM orgs o WHERE o.name LIKE "));
        q.bind(format!("%{}%", text.replace(['%', '_'], "")))
            .push(" AND ");
        q.org_scope(scope, "o.path", true)
            .push(" ORDER BY o.path LIMIT ")
            .bind(limit);
        Ok(q.query_as::<Org>().fetch_all(&self.pool).await?)
    }

    /// Number of organizations in the subtree of `org`, by kind code.
    pub async fn org_subtree_counts(&self, org: &Org) -> StoreResult<SubtreeCounts> {
        let (lo, hi) = subtree_range(&org.path);
        let mut q = Q::new(
            "SELECT kind, COUNT(*), CAST(SUM(full_count) AS BIGINT), \
             CAST(SUM(probationary_count) AS BIGINT) FROM orgs WHERE path >= ",
        );
        q.bind(lo)
            .push(" AND path < ")
            .bind(hi)
            .push(" GROUP BY kind");
        let rows: Vec<(String, i64, Option<i64>, Option<i64>)> =
            q.query_as().fetch_all(&self.pool).await?;
        Ok(SubtreeCounts {
            full: rows.iter().map(|r| r.2.unwrap_or(0)).sum(),
            probationary: rows.iter().map(|r| r.3.unwrap_or(0)).sum(),
            orgs_by_kind: rows.into_iter().map(|r| (r.0, r.1)).collect(),
        })
    }

    /// Every organization in the database, regardless of scope (the demo loads only into an
    /// empty one).
    pub async fn org_count(&self) -> StoreResult<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM orgs")
            .fetch_one(&self.pool)
            .await?)
    }

    pub async fn org_has_children(&self, id: i64) -> StoreResult<bool> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM (SELECT 1 FROM orgs WHERE parent_id = $1 LIMIT 1) t",
        )
        .bind(id)
        .fetch_one(&self.pool)
        .await?;
        Ok(n > 0)
    }

    /// The plain facts the formation rules of core need about `org`.
    pub async fn org_facts(&self, org: &Org, seats: &[Seat]) -> StoreResult<OrgFacts> {
        let committee = seats.iter().map(Seat::role).collect();
        // A branch's members include those filed under its 党小组.
        let (full_members, probationary_members, subtree_party_members) =
            if org.kind() == OrgKind::Group {
                (org.full_count, org.probationary_count, org.party_members())
            } else {
                let c = self.org_subtree_counts(org).await?;
                if org.kind() == OrgKind::Branch {
                    (c.full, c.probationary, c.full + c.probationary)
                } else {
                    (
                        org.full_count,
                        org.probationary_count,
                        c.full + c.probationary,
                    )
                }
            };
        // Only a 党委 or 党总支 has branches below it.
        let child_branches: i64 = if matches!(org.kind(), OrgKind::Branch | OrgKind::Group) {
            0
        } else {
            sqlx::query_scalar("SELECT COUNT(*) FROM orgs WHERE parent_id = $1 AND kind = 'branch'")
                .bind(org.id)
                .fetch_one(&self.pool)
                .await?
        };
        Ok(OrgFacts {
            kind: Some(org.kind()),
            full_members: full_members as u32,
            probationary_members: probationary_members as u32,
            subtree_party_members: subtree_party_members as u32,
            committee,
            term: org.term(),
            child_branches: child_branches as u32,
        })
    }

    pub async fn committee(&self, org_id: i64) -> StoreResult<Vec<Seat>> {
        Ok(sqlx::query_as::<_, Seat>(
            "SELECT s.id, s.member_id, m.name AS member_name, s.role, s.duty, s.since \
             FROM committee_seats s JOIN members m ON m.id = s.member_id \
             WHERE s.org_id = $1 ORDER BY CASE s.role WHEN 'secretary' THEN 0 \
             WHEN 'deputy' THEN 1 ELSE 2 END, s.id",
        )
        .bind(org_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Creates an organization under a parent that `scope` may edit (or a root, for `all`).
    pub async fn org_create(
        &self,
        actor: &Actor,
        scope: &Scope,
        input: &OrgInput,
    ) -> StoreResult<i64> {
        let parent = match input.parent_id {
            Some(pid) => Some(self.org_get(scope, pid).await.map_err(|_| {
                StoreError::field("parent_id", "上级组织不存在或不在您的管理范围内")
            })?),
            None if scope.all => None,
            None => return Err(StoreError::field("parent_id", "请选择上级组织")),
        };
        if let Some(p) = &parent {
            if !p.kind().may_contain(input.kind) || !scope.sees_members_of(&p.path) {
                return Err(StoreError::field(
                    "kind",
                    format!("{}下不能设立{}", p.kind_label(), input.kind.label()),
                ));
            }
        }
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        let tmp_path = format!("tmp-{}-{}", now, rand::random::<u32>());
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO orgs (parent_id, path, kind, name, unit_name, unit_kind, founded_on, \
             term_start, term_years, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
        )
        .bind(input.parent_id)
        .bind(&tmp_path)
        .bind(input.kind.code())
        .bind(&input.name)
        .bind(&input.unit_name)
        .bind(input.unit_kind.code())
        .bind(date(input.founded_on))
        .bind(date(input.term_start))
        .bind(input.term_years.map(i64::from))
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let path = child_path(parent.as_ref().map(|p| p.path.as_str()), id);
        sqlx::query("UPDATE orgs SET path = $1 WHERE id = $2")
            .bind(&path)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        audit::change(
            &mut tx,
            actor,
            "org",
            id,
            &format!("新建组织「{}」", input.name),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Updates an organization's own fields (not its place in the tree).
    pub async fn org_update(
        &self,
        actor: &Actor,
        scope: &Scope,
        id: i64,
        input: &OrgInput,
    ) -> StoreResult<()> {
        let old = self.org_get(scope, id).await?;
        if !scope.sees_members_of(&old.path) {
            return Err(StoreError::NotFound);
        }
        let mut diff = Vec::new();
        let mut note = |label: &str, a: &str, b: &str| {
            if a != b {
                diff.push(format!("{label}：{a} → {b}"));
            }
        };
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        note("名称", &old.name, &input.name);
        note("所在单位", &old.unit_name, &input.unit_name);
        note("单位类型", old.unit_kind_label(), input.unit_kind.label());
        note(
            "成立日期",
            &opt(&old.founded_on),
            &date(input.founded_on).unwrap_or_default(),
        );
        note(
            "本届开始",
            &opt(&old.term_start),
            &date(input.term_start).unwrap_or_default(),
        );
        note(
            "任期",
            &old.term_years.map(|y| y.to_string()).unwrap_or_default(),
            &input.term_years.map(|y| y.to_string()).unwrap_or_default(),
        );
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "UPDATE orgs SET name = $1, unit_name = $2, unit_kind = $3, founded_on = $4, \
             term_start = $5, term_years = $6, updated_at = $7 WHERE id = $8",
        )
        .bind(&input.name)
        .bind(&input.unit_name)
        .bind(input.unit_kind.code())
        .bind(date(input.founded_on))
        .bind(date(input.term_start))
        .bind(input.term_years.map(i64::from))
        .bind(now_ms())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if !diff.is_empty() {
            audit::change(&mut tx, actor, "org", id, &diff.join("；")).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Adds a committee seat; the member must belong to the organization.
    pub async fn seat_add(
        &self,
        actor: &Actor,
        scope: &Scope,
        org_id: i64,
        seat: &SeatInput,
    ) -> StoreResult<()> {
        let org = self.org_get(scope, org_id).await?;
        if !scope.sees_members_of(&org.path) {
            return Err(StoreError::NotFound);
        }
        let member = self
            .member_get(scope, seat.member_id)
            .await
            .ok()
            // A committee's members sit in its branches: any active member of the subtree.
            .filter(|m| ronghe_core::scope::is_within(&m.org_path, &org.path) && m.active != 0);
        let Some(member) = member else {
            return Err(StoreError::field("member_id", "请选择本组织的在册党员"));
        };
        let seats = self.committee(org_id).await?;
        if seat.role != CommitteeRole::Member && seats.iter().any(|s| s.role() == seat.role) {
            return Err(StoreError::field(
                "role",
                format!("本组织已有{}，请先调整原任职", seat.role.label()),
            ));
        }
        let mut tx = self.pool.begin().await?;
        let res = sqlx::query(
            "INSERT INTO committee_seats (org_id, member_id, role, duty, since) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(org_id)
        .bind(seat.member_id)
        .bind(seat.role.code())
        .bind(seat.duty.clone())
        .bind(date(seat.since))
        .execute(&mut *tx)
        .await;
        match res {
            Err(e) if StoreError::is_unique_violation(&e) => {
                return Err(StoreError::field("member_id", "该党员已在委员会中"));
            }
            r => r?,
        };
        let what = format!("{}任{}", member.name, seat.role.label());
        audit::change(&mut tx, actor, "org", org_id, &format!("委员会：{what}")).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn seat_remove(
        &self,
        actor: &Actor,
        scope: &Scope,
        org_id: i64,
        seat_id: i64,
    ) -> StoreResult<()> {
        let org = self.org_get(scope, org_id).await?;
        if !scope.sees_members_of(&org.path) {
            return Err(StoreError::NotFound);
        }
        let seat = self
            .committee(org_id)
            .await?
            .into_iter()
            .find(|s| s.id == seat_id)
            .ok_or(StoreError::NotFound)?;
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM committee_seats WHERE id = $1 AND org_id = $2")
            .bind(seat_id)
            .bind(org_id)
            .execute(&mut *tx)
            .await?;
        let what = format!("委员会：{}不再任{}", seat.member_name, seat.role_label());
        audit::change(&mut tx, actor, "org", org_id, &what).await?;
        tx.commit().await?;
        Ok(())
    }
}
