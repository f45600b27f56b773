//! What a generated year reads before it writes, on the writer's own connection: plain rows,
//! regardless of scope.

use super::BulkWriter;
use crate::error::StoreResult;

/// A 党支部, 党总支 or 党委 without a plan for the writer's year.
#[derive(Debug, Clone)]
pub struct UnplannedOrg {
    pub id: i64,
    pub parent_id: Option<i64>,
    /// Organization kind code.
    pub kind: String,
    pub name: String,
    /// Unit kind code.
    pub unit_kind: String,
}

impl BulkWriter {
    /// The organizations to plan for, parents first (ids grow down the tree).
    pub async fn unplanned_orgs(&mut self) -> StoreResult<Vec<UnplannedOrg>> {
        let rows: Vec<(i64, Option<i64>, String, String, String)> = sqlx::query_as(
            "SELECT o.id, o.parent_id, o.kind, o.name, o.unit_kind FROM orgs o \
             WHERE o.kind IN ('branch', 'general_branch', 'committee') AND NOT EXISTS \
             (SELECT 1 FROM plans p WHERE p.org_id = o.id AND p.year = $1) ORDER BY o.id",
        )
        .bind(i64::from(self.year))
        .fetch_all(&mut *self.conn)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, parent_id, kind, name, unit_kind)| UnplannedOrg {
                id,
                parent_id,
                kind,
                name,
                unit_kind,
            })
            .collect())
    }

    /// Every 党小组 with its parent: (group id, parent id).
    pub async fn group_parents(&mut self) -> StoreResult<Vec<(i64, i64)>> {
        Ok(sqlx::query_as(
            "SELECT id, parent_id FROM orgs WHERE kind = 'group' AND parent_id IS NOT NULL",
        )
        .fetch_all(&mut *self.conn)
        .await?)
    }

    /// Active 正式 and 预备 members: (organization id, member id), in no particular order.
    pub async fn active_party_members(&mut self) -> StoreResult<Vec<(i64, i64)>> {
        Ok(sqlx::query_as(
            "SELECT org_id, id FROM members WHERE active = 1 AND status IN ('full', 'probationary')",
        )
        .fetch_all(&mut *self.conn)
        .await?)
    }

    /// Committee seats of active members: (organization id, member id, role code), by
    /// organization and in the order the seats were added.
    pub async fn active_seats(&mut self) -> StoreResult<Vec<(i64, i64, String)>> {
        Ok(sqlx::query_as(
            "SELECT s.org_id, s.member_id, s.role FROM committee_seats s \
             JOIN members m ON m.id = s.member_id WHERE m.active = 1 ORDER BY s.org_id, s.id",
        )
        .fetch_all(&mut *self.conn)
        .await?)
    }
}
