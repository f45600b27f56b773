//! A synthetic year of plans, tasks and organizational life (`ronghe gen --year`), for load
//! tests on top of the tree [`crate::gen`] writes.
//!
//! Every 党支部, 党总支 and 党委 without a plan for the year gets one (so the demo's own
//! plans, and a year generated before, are left alone). Proportions:
//!
//! - a plan per organization: 执行中 mostly, about one in ten 已部署 and a few 草稿 (a past
//!   year is 已总结); 3–6 business goals drawn from the unit's kind of work (about 30% key,
//!   weight 2), each with one KPI; a branch's goal aligns to its parent's goal of the same
//!   theme about half the time;
//! - monthly KPI actuals for every finished month of the year (a year-to-date count has
//!   baseline 0 and its annual target; a rate or a duration moves from its baseline towards
//!   its target), about a quarter pushed by business systems (来源“接口”), and about one KPI
//!   in twelve still waiting for last month's value;
//! - 2–5 Party work items, about 85% linked to one or two goals with a junction point, the
//!   rest orphans (未找到结合点); 3–8 tasks from items and goals, with deadlines through the
//!   year, done, under way, overdue or cancelled as of the date, and a progress report on
//!   each that moved;
//! - for each 党支部, its meetings up to the date: a 党员大会 each quarter, a 支委会 each
//!   month where there is a committee (3 or more seats), a 主题党日 each month on a fixed day,
//!   1–4 党课, the 组织生活会 and 民主评议党员 in the fourth quarter, 1–2 谈心谈话; about one
//!   branch in ten has gaps (missed 主题党日, a missing or inquorate 党员大会, a missed 支委会,
//!   no 党课); about 60% of meetings serve a goal of the branch's or its parent's plan.
//!
//! Attendance: `entitled`, `present` and `quorum_met` are stored on every meeting (quorum as
//! core's [`quorum`] computes it), but `meeting_people` holds only the absentees with their
//! reasons (and both people of a 谈心谈话), not every attendee: storing each of some 20
//! attendees of 4 million meetings would be 80 million rows for nothing the pages need at
//! this scale. A generated meeting's page therefore lists its absentees and counts.
//!
//! Rows are written in bulk like [`crate::gen`], through the store's year writer
//! ([`ronghe_store::Store::bulk_year_writer`]): explicit ids above the current maxima,
//! multi-row INSERTs in large transactions, one audit-log entry. On SQLite that writer's
//! connection does not check foreign keys (the ids are consistent by construction and the
//! tests run `PRAGMA foreign_key_check`); PostgreSQL checks them as usual. Nothing else may
//! write while it runs.

use chrono::Datelike;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use ronghe_core::meeting::{quorum, MeetingKind};
use ronghe_core::Date;
use ronghe_store::bulk::{
    GoalRow, ItemRow, KpiRow, LinkRow, MeetingGoalRow, MeetingRow, PersonRow, PlanRow, TaskRow,
    UpdateRow, ValueRow, YearIds,
};
use ronghe_store::{Actor, Store, StoreError, StoreResult};
use serde::Serialize;
use std::borrow::Cow;
use std::collections::HashMap;
use std::time::Instant;

mod build;
mod texts;

use build::*;
use texts::*;

/// Rows generated per batch (written while the next one is generated).
pub(super) const BATCH_ROWS: usize = 200_000;

/// Everything generated for a run of organizations.
#[derive(Default)]
pub(super) struct Chunk {
    pub(super) orgs: u64,
    pub(super) plans: Vec<PlanRow>,
    pub(super) goals: Vec<GoalRow>,
    pub(super) kpis: Vec<KpiRow>,
    pub(super) values: Vec<ValueRow>,
    pub(super) items: Vec<ItemRow>,
    pub(super) links: Vec<LinkRow>,
    pub(super) tasks: Vec<TaskRow>,
    pub(super) updates: Vec<UpdateRow>,
    pub(super) meetings: Vec<MeetingRow>,
    pub(super) meeting_goals: Vec<MeetingGoalRow>,
    pub(super) people: Vec<PersonRow>,
}

impl Chunk {
    pub(super) fn rows(&self) -> usize {
        self.plans.len()
            + self.goals.len()
            + self.kpis.len()
            + self.values.len()
            + self.items.len()
            + self.links.len()
            + self.tasks.len()
            + self.updates.len()
            + self.meetings.len()
            + self.meeting_goals.len()
            + self.people.len()
    }
}

/// What [`generate_year`] wrote.
#[derive(Debug, Clone, Default, Serialize)]
pub struct YearSummary {
    pub year: i32,
    pub plans: u64,
    pub goals: u64,
    pub kpi_values: u64,
    pub items: u64,
    pub links: u64,
    pub tasks: u64,
    pub task_updates: u64,
    pub meetings: u64,
    /// Absentees (and 谈心谈话 participants) recorded.
    pub meeting_people: u64,
    pub meeting_goals: u64,
    pub millis: u128,
}

/// Adds a year of plans, tasks and meetings as of today. See [`generate_year_as_of`].
pub async fn generate_year(
    store: &Store,
    year: i32,
    seed: u64,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> StoreResult<YearSummary> {
    generate_year_as_of(store, year, seed, ronghe_store::today(), progress).await
}

/// Adds, for every 党支部, 党总支 and 党委 without a plan for `year`, a plan with goals, KPI
/// values, items, links and tasks, and for the 党支部 among them the year's meetings, all as
/// of `as_of` (nothing later is recorded; a past year is complete, a future one only
/// planned). `progress(done, total)` counts organizations.
pub async fn generate_year_as_of(
    store: &Store,
    year: i32,
    seed: u64,
    as_of: Date,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> StoreResult<YearSummary> {
    if !(ronghe_core::plan::period::MIN_PLAN_YEAR..=ronghe_core::plan::period::MAX_PLAN_YEAR)
        .contains(&year)
    {
        return Err(StoreError::field(
            "year",
            "年度应为 2000 到 2100 之间的四位年份",
        ));
    }
    let started = Instant::now();
    let mut w = store.bulk_year_writer(year).await?;

    // The organizations to plan for, parents first (ids grow down the tree).
    let orgs: Vec<OrgIn> = w
        .unplanned_orgs()
        .await?
        .into_iter()
        .map(|o| OrgIn {
            id: o.id,
            parent_id: o.parent_id,
            branch: o.kind == "branch",
            flavor: flavor(&o.unit_kind, &o.name),
        })
        .collect();
    let total = orgs.len() as u64;

    // Active party members, those of a 党小组 counted with its branch (as the roster does).
    let groups: HashMap<i64, i64> = w.group_parents().await?.into_iter().collect();
    let mut members = w.active_party_members().await?;
    for m in &mut members {
        if let Some(parent) = groups.get(&m.0) {
            m.0 = *parent;
        }
    }
    members.sort_unstable();
    let mut seats: HashMap<i64, Vec<i64>> = HashMap::new();
    for (org, member, role) in w.active_seats().await? {
        let v = seats.entry(org).or_default();
        if role == "secretary" {
            v.insert(0, member);
        } else {
            v.push(member);
        }
    }

    let ids = w.next_year_ids().await?;
    let first_plan = ids.plan;

    let year_start = Date::from_ymd_opt(year, 1, 1).expect("valid year");
    let days: u16 = if year_start.leap_year() { 366 } else { 365 };
    let era = year.cmp(&as_of.year());
    let (last_day, months) = match era {
        std::cmp::Ordering::Less => (days - 1, 12),
        std::cmp::Ordering::Equal => (as_of.ordinal0() as u16, as_of.month() as u8 - 1),
        std::cmp::Ordering::Greater => (0, 0),
    };
    let gen = YearGen {
        rng: StdRng::seed_from_u64(seed),
        year,
        last_day,
        days,
        months,
        era,
        orgs,
        at: 0,
        members,
        seats,
        parent_goals: HashMap::new(),
        ids,
        year_ms: w.texts().year_ms,
    };

    let mut s = YearSummary {
        year,
        ..Default::default()
    };
    let mut done = 0u64;
    progress(done, total);

    let next_batch = |mut g: YearGen| {
        tokio::task::spawn_blocking(move || {
            let c = g.batch(BATCH_ROWS);
            (g, c)
        })
    };
    let joined = |e: tokio::task::JoinError| StoreError::Key(format!("生成年度数据失败：{e}"));
    let mut pending = next_batch(gen);
    w.begin().await?;
    loop {
        let (g, c) = pending.await.map_err(joined)?;
        if c.orgs == 0 {
            break;
        }
        pending = next_batch(g);
        w.insert(&c.plans).await?;
        w.insert(&c.goals).await?;
        w.insert(&c.kpis).await?;
        w.insert(&c.values).await?;
        w.insert(&c.items).await?;
        w.insert(&c.links).await?;
        w.insert(&c.tasks).await?;
        w.insert(&c.updates).await?;
        w.insert(&c.meetings).await?;
        w.insert(&c.meeting_goals).await?;
        w.insert(&c.people).await?;
        s.plans += c.plans.len() as u64;
        s.goals += c.goals.len() as u64;
        s.kpi_values += c.values.len() as u64;
        s.items += c.items.len() as u64;
        s.links += c.links.len() as u64;
        s.tasks += c.tasks.len() as u64;
        s.task_updates += c.updates.len() as u64;
        s.meetings += c.meetings.len() as u64;
        s.meeting_goals += c.meeting_goals.len() as u64;
        s.meeting_people += c.people.len() as u64;
        done += c.orgs;
        progress(done, total);
    }
    w.commit().await?;
    w.finish().await?;

    s.millis = started.elapsed().as_millis();
    let detail = format!(
        "合成 {year} 年度数据（种子 {seed}，截至 {}）：计划 {} 个（编号自 {first_plan}），业务目标 {} 个，\
         指标实际值 {} 条，党建工作项 {} 项，结合点 {} 个，任务 {} 项，会议 {} 次，用时 {:.1} 秒",
        as_of.min(Date::from_ymd_opt(year, 12, 31).unwrap_or(as_of)),
        s.plans,
        s.goals,
        s.kpi_values,
        s.items,
        s.links,
        s.tasks,
        s.meetings,
        s.millis as f64 / 1000.0
    );
    store
        .audit_event(
            &Actor::system("合成数据"),
            "write",
            &format!("gen:year:{year}"),
            "ok",
            &detail,
        )
        .await;
    Ok(s)
}
