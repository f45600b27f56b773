//! Bulk compliance for reports over many branches: every branch in a scope with its profile
//! and, per kind of meeting, how many valid meetings it held in each month of a year.
//!
//! A province holds millions of meeting records a year; reading them one by one is what made
//! the report slow. The database counts instead: one row per organization, one packed column
//! per kind and half-year (ten bits per month), read through an index that covers the query.
//! The engine of core then sees month-resolution facts, which is all its monthly, quarterly
//! and yearly windows need. Pages that link to single meetings read them with
//! [`Store::meeting_facts`](crate::Store::meeting_facts) instead.

use crate::error::StoreResult;
use crate::q::Q;
use crate::rows::Cells;
use crate::Store;
use ronghe_core::compliance::{self, ComplianceRule, MeetingFact, OrgProfile};
use ronghe_core::meeting::MeetingKind;
use ronghe_core::scope::Scope;
use ronghe_core::Date;
use std::collections::HashMap;

/// Bits per month in a packed column: counts up to 1,023 meetings of one kind in a month.
const BITS: u32 = 10;
const MONTH_MASK: i64 = (1 << BITS) - 1;

/// One branch as the engine needs it.
pub struct BranchInput {
    pub org_id: i64,
    pub name: String,
    pub profile: OrgProfile,
    /// Valid meetings (quorum met where one applies), one fact per meeting dated the first
    /// of its month, with id 0: enough for the windows, not for linking to a record.
    pub meetings: Vec<MeetingFact>,
    /// Every meeting record of the year, valid or not.
    pub held: u64,
}

/// What a report shows for one branch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BranchSummary {
    pub org_id: i64,
    pub name: String,
    pub met: u32,
    pub overdue: u32,
    pub upcoming: u32,
    pub held: u64,
}

/// The SQL that counts, per organization, the year's meetings and the valid ones per kind and
/// month, packed: for each kind, months 1–6 in one BIGINT and 7–12 in another.
fn tally_select() -> String {
    let month = "CAST(substr(m.held_on, 6, 2) AS INTEGER)";
    let valid = "(m.quorum_met IS NULL OR m.quorum_met <> 0)";
    let mut sql = String::from("SELECT m.org_id, COUNT(*) AS held");
    for kind in MeetingKind::ALL {
        for (half, months, first) in [(1, "<= 6", 1), (2, "> 6", 7)] {
            sql += &format!(
                ", CAST(SUM(CASE WHEN m.kind = '{code}' AND {month} {months} AND {valid} \
                 THEN CAST(1 AS BIGINT) << ({BITS} * ({month} - {first})) ELSE 0 END) AS BIGINT) \
                 AS {code}_{half}",
                code = kind.code()
            );
        }
    }
    sql
}

/// Unpacks a half-year column into `(month, count)` pairs, months numbered from `first`.
fn unpack(packed: i64, first: u32) -> impl Iterator<Item = (u32, i64)> {
    (0..6u32)
        .map(move |i| (first + i, (packed >> (BITS * i)) & MONTH_MASK))
        .filter(|(_, n)| *n > 0)
}

/// Month-resolution facts from one organization's packed row.
fn facts_from_row(row: &dyn Cells, year: i32) -> StoreResult<Vec<MeetingFact>> {
    let mut out = Vec::new();
    // Columns: org_id, held, then two per kind in `MeetingKind::ALL` order.
    for (k, kind) in MeetingKind::ALL.into_iter().enumerate() {
        for (half, first) in [(0, 1), (1, 7)] {
            let packed = row.opt_int(2 + 2 * k + half)?;
            for (month, n) in unpack(packed.unwrap_or(0), first) {
                let Some(date) = Date::from_ymd_opt(year, month, 1) else {
                    continue;
                };
                let fact = MeetingFact {
                    id: 0,
                    kind,
                    date,
                    quorum_met: None,
                };
                out.extend(std::iter::repeat_n(fact, n as usize));
            }
        }
    }
    Ok(out)
}

impl Store {
    /// One branch's profile and every meeting record it (or one of its 党小组) held in
    /// [`from`, `to`], for its own page and the 待办: two statements, run side by side.
    /// The caller has checked that the branch is in scope.
    pub async fn branch_compliance_facts(
        &self,
        org_id: i64,
        from: Date,
        to: Date,
    ) -> StoreResult<(OrgProfile, Vec<MeetingFact>)> {
        let profile = sqlx::query_as::<_, (i64, i64, i64)>(crate::meetings::PROFILE_COUNTS)
            .bind(org_id)
            .fetch_one(&self.pool);
        let facts = sqlx::query_as::<_, (i64, String, String, Option<i64>)>(
            "SELECT m.id, m.kind, m.held_on, m.quorum_met FROM meetings m WHERE m.org_id IN \
             (SELECT CAST($1 AS BIGINT) UNION ALL SELECT id FROM orgs WHERE parent_id = $1 AND kind = 'group') \
             AND m.held_on >= $2 AND m.held_on <= $3",
        )
        .bind(org_id)
        .bind(from.to_string())
        .bind(to.to_string())
        .fetch_all(&self.pool);
        let ((full, seats, groups), rows) = tokio::try_join!(profile, facts)?;
        let profile = OrgProfile::from_counts(full, seats, groups);
        let facts = rows
            .into_iter()
            .filter_map(|(id, kind, held_on, quorum_met)| {
                Some(MeetingFact {
                    id,
                    kind: MeetingKind::from_code(&kind)?,
                    date: held_on.parse().ok()?,
                    quorum_met: quorum_met.map(|q| q != 0),
                })
            })
            .collect();
        Ok((profile, facts))
    }

    /// The statements [`Store::compliance_inputs`] runs: branches, seats, 党小组, and the
    /// meeting tallies (in slices of organization ids for the whole deployment).
    async fn compliance_queries(&self, scope: &Scope, year: i32) -> StoreResult<(Q, Q, Q, Vec<Q>)> {
        let mut branches =
            Q::new("SELECT o.id, o.name, o.full_count FROM orgs o WHERE o.kind = 'branch' AND ");
        branches
            .org_scope(scope, "o.path", true)
            .push(" ORDER BY o.id");
        // Committee seats of the scope's organizations only (a committee's report reads its
        // subtree's seats, not the province's).
        let mut seats = Q::new(
            "SELECT s.org_id, COUNT(*) FROM orgs o JOIN committee_seats s ON s.org_id = o.id WHERE ",
        );
        seats
            .org_scope(scope, "o.path", true)
            .push(" GROUP BY s.org_id");
        // 党小组 → their branch, with their 正式党员 (who count for the branch's committee rule).
        let mut groups = Q::new(
            "SELECT o.id, o.parent_id, o.full_count FROM orgs o WHERE o.kind = 'group' \
             AND o.parent_id IS NOT NULL AND ",
        );
        groups.org_scope(scope, "o.path", true);
        let (from, to) = (format!("{year:04}-01-01"), format!("{year:04}-12-31"));
        // The whole deployment is counted in slices of organization ids, one per core, each on
        // its own connection (SQLite readers in WAL mode run side by side).
        let slices: Vec<(i64, i64)> = if scope.all {
            let max: Option<i64> = sqlx::query_scalar("SELECT MAX(id) FROM orgs")
                .fetch_one(&self.pool)
                .await?;
            let parts = std::thread::available_parallelism().map_or(1, |n| n.get().min(4)) as i64;
            let step = (max.unwrap_or(0) / parts).max(1) + 1;
            (0..parts).map(|i| (i * step, (i + 1) * step)).collect()
        } else {
            Vec::new()
        };
        let tallies: Vec<Q> = if scope.all {
            slices
                .iter()
                .map(|&(lo, hi)| {
                    // The covering index (org_id, held_on, kind, quorum_met) answers it alone.
                    let mut t = Q::new(&tally_select());
                    t.push(" FROM meetings m WHERE m.org_id >= ").bind(lo);
                    t.push(" AND m.org_id < ").bind(hi);
                    t.push(" AND m.held_on >= ").bind(from.as_str());
                    t.push(" AND m.held_on <= ").bind(to.as_str());
                    t.push(" GROUP BY m.org_id");
                    t
                })
                .collect()
        } else {
            let mut t = Q::new(&tally_select());
            t.push(" FROM orgs o JOIN meetings m ON m.org_id = o.id WHERE m.held_on >= ")
                .bind(from.as_str());
            t.push(" AND m.held_on <= ").bind(to.as_str()).push(" AND ");
            t.org_scope(scope, "o.path", true)
                .push(" GROUP BY m.org_id");
            vec![t]
        };
        Ok((branches, seats, groups, tallies))
    }

    /// The same rows as [`Store::compliance_inputs`] reads, only counted (with `values`, every
    /// value of every column counted too): part of the bare aggregate an evaluation run is
    /// compared with.
    pub async fn compliance_bare_count(
        &self,
        scope: &Scope,
        year: i32,
        values: bool,
    ) -> StoreResult<i64> {
        let (branches, seats, groups, tallies) = self.compliance_queries(scope, year).await?;
        let tally_columns = 2 + 2 * MeetingKind::ALL.len();
        let all: Vec<Q> = [(branches, 3), (seats, 2), (groups, 3)]
            .into_iter()
            .chain(tallies.into_iter().map(|t| (t, tally_columns)))
            .map(|(q, columns)| q.aggregated(if values { columns } else { 0 }))
            .collect();
        let counts =
            futures_util::future::try_join_all(all.into_iter().map(|q| self.rows(q, |r| r.int(0))))
                .await?;
        Ok(counts.into_iter().flatten().sum())
    }

    /// Every 党支部 the scope sees, with its profile and its valid meetings held in `year`
    /// (meetings of its 党小组 count for it, as on the branch's own page).
    pub async fn compliance_inputs(
        &self,
        scope: &Scope,
        year: i32,
    ) -> StoreResult<Vec<BranchInput>> {
        let (branches, seats, groups, tallies) = self.compliance_queries(scope, year).await?;
        let counting = futures_util::future::try_join_all(tallies.into_iter().map(|t| {
            self.rows(t, move |r| {
                Ok((r.int(0)?, r.int(1)?, facts_from_row(r, year)?))
            })
        }));
        // Independent reads, side by side: the counting dominates.
        let (branches, seats, group_parent, parts) = tokio::try_join!(
            self.rows(branches, |r| Ok((r.int(0)?, r.text(1)?, r.int(2)?))),
            self.rows(seats, |r| Ok((r.int(0)?, r.int(1)?))),
            self.rows(groups, |r| Ok((r.int(0)?, r.int(1)?, r.int(2)?))),
            counting,
        )?;
        let seats: HashMap<i64, i64> = seats.into_iter().collect();
        let mut group_full: HashMap<i64, i64> = HashMap::new();
        for &(_, branch, full) in &group_parent {
            *group_full.entry(branch).or_default() += full;
        }
        let group_parent: HashMap<i64, i64> =
            group_parent.into_iter().map(|(g, b, _)| (g, b)).collect();
        let mut has_groups: std::collections::HashSet<i64> =
            group_parent.values().copied().collect();
        let mut meetings: HashMap<i64, (Vec<MeetingFact>, u64)> = HashMap::new();
        for (org, held, facts) in parts.into_iter().flatten() {
            let branch = group_parent.get(&org).copied().unwrap_or(org);
            let entry = meetings.entry(branch).or_default();
            entry.0.extend(facts);
            entry.1 += held.max(0) as u64;
        }
        Ok(branches
            .into_iter()
            .map(|(org_id, name, full)| {
                let (facts, held) = meetings.remove(&org_id).unwrap_or_default();
                BranchInput {
                    profile: OrgProfile::from_counts(
                        full + group_full.get(&org_id).copied().unwrap_or(0),
                        seats.get(&org_id).copied().unwrap_or(0),
                        i64::from(has_groups.remove(&org_id)),
                    ),
                    meetings: facts,
                    held,
                    org_id,
                    name,
                }
            })
            .collect())
    }
}

/// Which kinds `b` is behind on in `year` as of `today`, and since when: the full evaluation
/// with its windows, for the few branches a page lists.
pub fn overdue_detail(
    rules: &[ComplianceRule],
    b: &BranchInput,
    year: i32,
    today: Date,
) -> Vec<compliance::OverdueKind> {
    let (Some(from), Some(to)) = (
        Date::from_ymd_opt(year, 1, 1),
        Date::from_ymd_opt(year, 12, 31),
    ) else {
        return Vec::new();
    };
    let report = compliance::evaluate(rules, &b.profile, &b.meetings, from, to, today);
    compliance::overdue_kinds(&report)
}

/// Evaluates every branch of a report for the calendar year `year` as of `today`, spread over
/// the machine's cores (each branch is independent), in input order.
pub fn evaluate_branches(
    rules: &[ComplianceRule],
    inputs: &[BranchInput],
    year: i32,
    today: Date,
) -> Vec<BranchSummary> {
    let (Some(from), Some(to)) = (
        Date::from_ymd_opt(year, 1, 1),
        Date::from_ymd_opt(year, 12, 31),
    ) else {
        return Vec::new();
    };
    let one = |b: &BranchInput| {
        let t = compliance::tally(rules, &b.profile, &b.meetings, from, to, today);
        BranchSummary {
            org_id: b.org_id,
            name: b.name.clone(),
            met: t.met,
            overdue: t.overdue,
            upcoming: t.upcoming,
            held: b.held,
        }
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads < 2 || inputs.len() < 2_000 {
        return inputs.iter().map(one).collect();
    }
    let chunk = inputs.len().div_ceil(threads);
    std::thread::scope(|s| {
        let handles: Vec<_> = inputs
            .chunks(chunk)
            .map(|part| s.spawn(move || part.iter().map(one).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("compliance worker"))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unpack_reads_each_month_of_a_half_year() {
        // 1 meeting in month 1, 3 in month 3, 1023 in month 6.
        let packed = 1 | (3 << (2 * BITS)) | (1023 << (5 * BITS));
        assert_eq!(
            unpack(packed, 1).collect::<Vec<_>>(),
            vec![(1, 1), (3, 3), (6, 1023)]
        );
        assert_eq!(unpack(2 << BITS, 7).collect::<Vec<_>>(), vec![(8, 2)]);
        assert_eq!(unpack(0, 7).count(), 0);
    }

    #[test]
    fn the_select_names_two_columns_per_kind() {
        let sql = tally_select();
        for kind in MeetingKind::ALL {
            assert!(sql.contains(&format!("AS {}_1", kind.code())));
            assert!(sql.contains(&format!("AS {}_2", kind.code())));
        }
    }
}
