//! Bulk inputs for the compliance engine: every branch in a scope with its profile and its
//! meetings of a year, read in a handful of scans instead of a few queries per branch.

use crate::error::StoreResult;
use crate::q::Q;
use crate::Store;
use ronghe_core::compliance::{MeetingFact, OrgProfile};
use ronghe_core::meeting::MeetingKind;
use ronghe_core::scope::Scope;
use std::collections::HashMap;

/// (branch id, meeting id, kind, held on, quorum met)
type MeetingRow = (Option<i64>, i64, String, String, Option<i64>);

/// One branch as the engine needs it.
pub struct BranchInput {
    pub org_id: i64,
    pub name: String,
    pub profile: OrgProfile,
    pub meetings: Vec<MeetingFact>,
}

impl Store {
    /// Every 党支部 the scope sees, with its profile and its meetings held in `year`
    /// (meetings of its 党小组 count for it, as on the branch's own page).
    pub async fn compliance_inputs(
        &self,
        scope: &Scope,
        year: i32,
    ) -> StoreResult<Vec<BranchInput>> {
        let mut q = Q::new("SELECT o.id, o.name FROM orgs o WHERE o.kind = 'branch' AND ");
        q.org_scope(scope, "o.path", true).push(" ORDER BY o.id");
        let branches: Vec<(i64, String)> = q.query_as().fetch_all(&self.pool).await?;
        let seats: HashMap<i64, i64> = sqlx::query_as::<_, (i64, i64)>(
            "SELECT org_id, COUNT(*) FROM committee_seats GROUP BY org_id",
        )
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .collect();
        let groups: HashMap<i64, i64> = sqlx::query_as::<_, (i64, i64)>(
            "SELECT parent_id, COUNT(*) FROM orgs WHERE kind = 'group' AND parent_id IS NOT NULL GROUP BY parent_id",
        )
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .collect();
        let mut q = Q::new(
            "SELECT CASE WHEN o.kind = 'group' THEN o.parent_id ELSE o.id END, m.id, m.kind, m.held_on, m.quorum_met \
             FROM meetings m JOIN orgs o ON o.id = m.org_id WHERE m.held_on >= ",
        );
        q.bind(format!("{year:04}-01-01"))
            .push(" AND m.held_on <= ")
            .bind(format!("{year:04}-12-31"));
        q.push(" AND ").org_scope(scope, "o.path", true);
        let rows: Vec<MeetingRow> = q.query_as().fetch_all(&self.pool).await?;
        let mut meetings: HashMap<i64, Vec<MeetingFact>> = HashMap::new();
        for (org, id, kind, held_on, quorum_met) in rows {
            let (Some(org), Some(kind), Ok(date)) =
                (org, MeetingKind::from_code(&kind), held_on.parse())
            else {
                continue;
            };
            meetings.entry(org).or_default().push(MeetingFact {
                id,
                kind,
                date,
                quorum_met: quorum_met.map(|q| q != 0),
            });
        }
        Ok(branches
            .into_iter()
            .map(|(org_id, name)| BranchInput {
                profile: OrgProfile {
                    // As on the branch page: a 支部委员会 has at least 3 members.
                    has_committee: seats.get(&org_id).copied().unwrap_or(0) >= 3,
                    has_groups: groups.get(&org_id).copied().unwrap_or(0) > 0,
                },
                meetings: meetings.remove(&org_id).unwrap_or_default(),
                org_id,
                name,
            })
            .collect())
    }
}
