//! The formation facts (组织设置) of a whole subtree in a few statements, for a committee
//! that oversees every organization below it, not one level only.

use crate::error::StoreResult;
use crate::q::Q;
use crate::{Org, Store};
use ronghe_core::org::formation::OrgFacts;
use ronghe_core::org::{CommitteeRole, OrgKind};
use ronghe_core::scope::subtree_range;
use std::collections::HashMap;

/// The organizations below a root with their formation facts.
pub struct SubtreeFacts {
    /// In path order (each organization before those under it), at most the limit asked for.
    pub orgs: Vec<(Org, OrgFacts)>,
    /// Every organization below the root; more than `orgs.len()` when the limit cut the list.
    pub total: i64,
}

impl Store {
    /// The formation facts of the organizations below `root` (not `root` itself), the first
    /// `limit` in path order. Three statements whatever the size: the organizations, their
    /// committee seats, and (only when the limit cut a subtree short) the member counts of
    /// the few organizations whose descendants were not all read.
    pub async fn subtree_facts(&self, root: &Org, limit: usize) -> StoreResult<SubtreeFacts> {
        let (lo, hi) = subtree_range(&root.path);
        let mut q = Q::new("SELECT COUNT(*) FROM orgs WHERE path > ");
        q.bind(lo.clone()).push(" AND path < ").bind(hi.clone());
        let total: i64 = q.scalar().fetch_one(&self.pool).await?;
        let mut q = Q::new(&format!(
            "SELECT {} FROM orgs o WHERE o.path > ",
            crate::orgs::ORG_COLS
        ));
        q.bind(lo)
            .push(" AND o.path < ")
            .bind(hi)
            .push(" ORDER BY o.path LIMIT ")
            .bind(limit as i64);
        let orgs: Vec<Org> = q.query_as::<Org>().fetch_all(&self.pool).await?;
        if orgs.is_empty() {
            return Ok(SubtreeFacts {
                orgs: Vec::new(),
                total,
            });
        }
        // Ids are our own integers.
        let list = orgs
            .iter()
            .map(|o| o.id.to_string())
            .collect::<Vec<_>>()
            .join(",");
        let seats: Vec<(i64, String)> = Q::new(&format!(
            "SELECT org_id, role FROM committee_seats WHERE org_id IN ({list})"
        ))
        .query_as()
        .fetch_all(&self.pool)
        .await?;
        let mut roles: HashMap<i64, Vec<CommitteeRole>> = HashMap::new();
        for (org, role) in seats {
            roles
                .entry(org)
                .or_default()
                .push(CommitteeRole::from_code(&role).unwrap_or(CommitteeRole::Member));
        }
        let cut = (orgs.len() as i64) < total;
        let mut out = Vec::with_capacity(orgs.len());
        for (i, org) in orgs.iter().enumerate() {
            // Those under `org` follow it in path order.
            let below: Vec<&Org> = orgs[i + 1..]
                .iter()
                .take_while(|o| o.path.starts_with(&org.path))
                .collect();
            let complete = !cut || i + 1 + below.len() < orgs.len();
            let (sub_full, sub_prob) = if complete || org.kind() == OrgKind::Group {
                below
                    .iter()
                    .fold((org.full_count, org.probationary_count), |(f, p), o| {
                        (f + o.full_count, p + o.probationary_count)
                    })
            } else {
                let c = self.org_subtree_counts(org).await?;
                (c.full, c.probationary)
            };
            let child_branches = if complete {
                below
                    .iter()
                    .filter(|o| o.parent_id == Some(org.id) && o.kind() == OrgKind::Branch)
                    .count() as i64
            } else {
                sqlx::query_scalar(
                    "SELECT COUNT(*) FROM orgs WHERE parent_id = $1 AND kind = 'branch'",
                )
                .bind(org.id)
                .fetch_one(&self.pool)
                .await?
            };
            // As `org_facts`: a branch counts its 党小组's members as its own.
            let (full, prob) = match org.kind() {
                OrgKind::Branch => (sub_full, sub_prob),
                _ => (org.full_count, org.probationary_count),
            };
            let facts = OrgFacts {
                kind: Some(org.kind()),
                full_members: full as u32,
                probationary_members: prob as u32,
                subtree_party_members: (sub_full + sub_prob) as u32,
                committee: roles.remove(&org.id).unwrap_or_default(),
                term: org.term(),
                child_branches: match org.kind() {
                    OrgKind::Branch | OrgKind::Group => 0,
                    _ => child_branches as u32,
                },
            };
            out.push((org.clone(), facts));
        }
        Ok(SubtreeFacts { orgs: out, total })
    }
}
