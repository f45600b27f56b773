//! Synthetic data at county or provincial scale, for load tests and capacity planning.
//!
//! The tree follows the national proportions of the 党内统计公报 (end of 2024): 基层党委 :
//! 党总支 : 党支部 ≈ 306 : 330 : 4614. Roots are city committees (市委) with county committees
//! (县委/区委) under them; 基层党委 of agencies, towns, schools, research institutes,
//! enterprises and hospitals sit under those, with 党总支 and 党支部 below.
//!
//! Rows are written in bulk through the store's tree writer
//! ([`ronghe_store::Store::bulk_tree_writer`]), not through the per-row API: explicit ids
//! above the current maximum, materialized paths, the member counters of every organization
//! filled in, ID numbers and phones sealed and blind-indexed with the store's keys exactly as
//! its member API does, multi-row INSERTs in large transactions, and one audit-log entry for
//! the whole run. Nothing else may write to the database while it runs (the ids are allocated
//! up front). A failure leaves the batches committed so far in place.
//!
//! Here the presets and the writing; `names.rs` names units and organizations, `plan.rs`
//! plans the tree, `people.rs` generates the members.

use crate::invent::{add_years, date_between, join_date, NamePool};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use ronghe_core::idnum::IdNumber;
use ronghe_core::member::Gender;
use ronghe_core::org::{OrgKind, UnitKind};
use ronghe_core::scope::child_path;
use ronghe_core::Date;
use ronghe_store::bulk::{MemberRow, OrgRow, SeatRow};
use ronghe_store::{Actor, Crypto, Store, StoreError, StoreResult};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::time::Instant;

mod names;
mod people;
mod plan;

use names::*;
use people::*;
use plan::*;

/// How much to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Preset {
    /// About 250 organizations and 4,700 members (one city with two counties).
    Small,
    /// About 5,000 organizations and 94,000 members (one county).
    County,
    /// About 170,000 organizations and 3.2 million members (14 cities of 8 counties).
    Province,
}

impl Preset {
    pub const ALL: [Preset; 3] = [Self::Small, Self::County, Self::Province];

    pub fn code(self) -> &'static str {
        match self {
            Self::Small => "small",
            Self::County => "county",
            Self::Province => "province",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Small => "小规模（约 250 个党组织）",
            Self::County => "县级（约 5000 个党组织）",
            Self::Province => "省级（约 17 万个党组织、320 万名党员）",
        }
    }

    fn shape(self) -> Shape {
        match self {
            Self::Small => Shape {
                orgs: 250,
                members: 4_700,
                cities: 1,
                counties: 2,
            },
            Self::County => Shape {
                orgs: 5_000,
                members: 94_000,
                cities: 1,
                counties: 0,
            },
            Self::Province => Shape {
                orgs: 170_000,
                members: 3_200_000,
                cities: 14,
                counties: 8,
            },
        }
    }
}

#[derive(Debug, Clone)]
pub struct GenOptions {
    pub preset: Preset,
    pub seed: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct GenSummary {
    pub orgs: u64,
    /// Member records written (about 2% of them transferred out, i.e. inactive).
    pub members: u64,
    pub millis: u128,
}

struct Shape {
    orgs: usize,
    members: usize,
    /// Root organizations. With `counties == 0` each root is a county committee.
    cities: usize,
    counties: usize,
}

fn d(y: i32, m: u32, day: u32) -> Date {
    Date::from_ymd_opt(y, m, day).expect("valid date")
}

/// The date the synthetic data is written as of (terms, join dates): fixed, so that a seed
/// always gives the same data.
const REFERENCE: Date = match Date::from_ymd_opt(2026, 11, 26) {
    Some(d) => d,
    None => panic!("valid date"),
};

/// Generates a synthetic province (or county) and adds it to the database, beside whatever
/// is there. `progress(done, total)` is called after every batch; units are organizations
/// plus members.
pub async fn generate(
    store: &Store,
    opts: &GenOptions,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> StoreResult<GenSummary> {
    let started = Instant::now();
    let shape = opts.preset.shape();
    // Planning is pure and takes a moment at provincial scale: keep it off the async threads.
    let seed = opts.seed;
    let planner = tokio::task::spawn_blocking(move || plan(&shape, seed))
        .await
        .map_err(|e| StoreError::Key(format!("生成计划失败：{e}")))?;
    let Planner {
        rng, nodes, units, ..
    } = planner;
    let members_total: u64 = nodes
        .iter()
        .map(|n| n.counts.iter().map(|&c| u64::from(c)).sum::<u64>())
        .sum();
    let total = nodes.len() as u64 + members_total;

    let mut w = store.bulk_tree_writer().await?;
    let (org_base, member_base) = w.max_tree_ids().await?;
    if member_base + members_total as i64 >= MAX_MEMBER_ID {
        return Err(StoreError::field(
            "gen",
            "党员编号已超出合成数据可用的范围，请在新数据库中生成",
        ));
    }
    let mut done = 0u64;
    progress(done, total);

    // 1. Organizations, parents first, with their paths and member counters.
    let ids: Vec<i64> = (0..nodes.len()).map(|i| org_base + 1 + i as i64).collect();
    let mut paths: Vec<String> = Vec::with_capacity(nodes.len());
    for (i, n) in nodes.iter().enumerate() {
        let parent = n.parent.map(|p| paths[p].as_str());
        let path = child_path(parent, ids[i]);
        paths.push(path);
    }
    let texts: Vec<[String; 2]> = nodes
        .iter()
        .map(|n| [n.founded.to_string(), n.term_start.to_string()])
        .collect();
    w.begin().await?;
    for start in (0..nodes.len()).step_by(OrgRow::PER_INSERT) {
        let end = (start + OrgRow::PER_INSERT).min(nodes.len());
        let rows: Vec<OrgRow> = (start..end)
            .map(|i| {
                let n = &nodes[i];
                let unit = &units[n.unit];
                OrgRow {
                    id: ids[i],
                    parent_id: n.parent.map(|p| ids[p]),
                    path: &paths[i],
                    kind: n.kind,
                    name: &n.name,
                    unit_name: &unit.name,
                    unit_kind: unit.flavor.unit_kind(),
                    founded_on: &texts[i][0],
                    term_start: &texts[i][1],
                    term_years: n.term_years,
                    full_count: n.counts[0],
                    probationary_count: n.counts[1],
                    other_count: n.counts[2],
                }
            })
            .collect();
        w.insert(&rows).await?;
        done += (end - start) as u64;
        progress(done, total);
    }
    w.commit().await?;

    // 2. Members, branch by branch, generated one batch ahead of the writes.
    let branches: Vec<BranchRef> = nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| n.kind == OrgKind::Branch)
        .map(|(i, n)| BranchRef {
            org_id: ids[i],
            flavor: units[n.unit].flavor,
            counts: n.counts,
            term_start: n.term_start,
        })
        .collect();
    let org_count = nodes.len() as u64;
    let (first_org, last_org) = (org_base + 1, org_base + org_count as i64);
    drop((nodes, paths, texts, units, ids));
    let mut gen = MemberGen {
        rng,
        crypto: store.crypto().clone(),
        names: NamePool::new(),
        branches,
        at: (0, 0),
        next_id: member_base + 1,
        seats: Vec::new(),
    };
    let next_batch = |mut g: MemberGen| {
        tokio::task::spawn_blocking(move || {
            let rows = g.batch(MEMBER_BATCH);
            (g, rows)
        })
    };
    let joined = |e: tokio::task::JoinError| StoreError::Key(format!("生成党员数据失败：{e}"));
    let mut pending = next_batch(gen);
    w.begin().await?;
    loop {
        let (g, rows) = pending.await.map_err(joined)?;
        if rows.is_empty() {
            gen = g;
            break;
        }
        pending = next_batch(g);
        w.insert(&rows).await?;
        done += rows.len() as u64;
        progress(done, total);
    }
    w.commit().await?;
    let members_written = (gen.next_id - member_base - 1) as u64;

    // 3. Committee seats: a secretary per branch, two more members where 7+ are full.
    w.begin().await?;
    for chunk in gen.seats.chunks(SeatRow::PER_INSERT) {
        w.insert(chunk).await?;
    }
    w.commit().await?;
    w.finish().await?;

    let millis = started.elapsed().as_millis();
    let detail = format!(
        "合成数据（{}，种子 {}）：党组织 {} 个（编号 {}–{}），党员 {} 名（编号 {}–{}），\
         委员会任职 {} 条，用时 {:.1} 秒",
        opts.preset.label(),
        opts.seed,
        org_count,
        first_org,
        last_org,
        members_written,
        member_base + 1,
        member_base + members_written as i64,
        gen.seats.len(),
        millis as f64 / 1000.0
    );
    store
        .audit_event(
            &Actor::system("合成数据"),
            "write",
            &format!("gen:{}", opts.preset.code()),
            "ok",
            &detail,
        )
        .await;
    Ok(GenSummary {
        orgs: org_count,
        members: members_written,
        millis,
    })
}
