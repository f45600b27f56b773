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
//! Rows are written in bulk like [`crate::gen`]: explicit ids above the current maxima,
//! multi-row INSERTs (`?` placeholders on SQLite, `$N` on PostgreSQL), large transactions, one
//! audit-log entry. On SQLite the connection used turns foreign-key checks off while it
//! writes (the ids are consistent by construction and the tests run `PRAGMA
//! foreign_key_check`); PostgreSQL checks them as usual. Nothing else may write while it runs.

use crate::error::{StoreError, StoreResult};
use crate::{Actor, Backend, Store};
use chrono::Datelike;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use ronghe_core::meeting::{quorum, MeetingKind};
use ronghe_core::Date;
use serde::Serialize;
use sqlx::any::AnyArguments;
use sqlx::query::Query;
use sqlx::{Any, AnyConnection};
use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::time::Instant;

mod build;
mod rows;
mod texts;

use build::*;
use rows::*;
use texts::*;

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
    generate_year_as_of(store, year, seed, crate::today(), progress).await
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
    let backend = store.backend();
    let mut conn = store.pool().acquire().await?;
    // Closed afterwards: it may hold an open transaction after a failure, and on SQLite it has
    // a large page cache and foreign-key checks off.
    conn.close_on_drop();
    if backend == Backend::Sqlite {
        for pragma in [
            "PRAGMA cache_size = -1048576",
            "PRAGMA temp_store = MEMORY",
            "PRAGMA foreign_keys = OFF",
        ] {
            sqlx::query(pragma).execute(&mut *conn).await?;
        }
    }

    // The organizations to plan for, parents first (ids grow down the tree).
    let rows: Vec<(i64, Option<i64>, String, String, String)> = sqlx::query_as(
        "SELECT o.id, o.parent_id, o.kind, o.name, o.unit_kind FROM orgs o \
         WHERE o.kind IN ('branch', 'general_branch', 'committee') AND NOT EXISTS \
         (SELECT 1 FROM plans p WHERE p.org_id = o.id AND p.year = $1) ORDER BY o.id",
    )
    .bind(i64::from(year))
    .fetch_all(&mut *conn)
    .await?;
    let orgs: Vec<OrgIn> = rows
        .into_iter()
        .map(|(id, parent_id, kind, name, unit_kind)| OrgIn {
            id,
            parent_id,
            branch: kind == "branch",
            flavor: flavor(&unit_kind, &name),
        })
        .collect();
    let total = orgs.len() as u64;

    // Active party members, those of a 党小组 counted with its branch (as the roster does).
    let groups: HashMap<i64, i64> = sqlx::query_as::<_, (i64, i64)>(
        "SELECT id, parent_id FROM orgs WHERE kind = 'group' AND parent_id IS NOT NULL",
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .collect();
    let mut members: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT org_id, id FROM members WHERE active = 1 AND status IN ('full', 'probationary')",
    )
    .fetch_all(&mut *conn)
    .await?;
    for m in &mut members {
        if let Some(parent) = groups.get(&m.0) {
            m.0 = *parent;
        }
    }
    members.sort_unstable();
    let mut seats: HashMap<i64, Vec<i64>> = HashMap::new();
    let seat_rows: Vec<(i64, i64, String)> = sqlx::query_as(
        "SELECT s.org_id, s.member_id, s.role FROM committee_seats s \
         JOIN members m ON m.id = s.member_id WHERE m.active = 1 ORDER BY s.org_id, s.id",
    )
    .fetch_all(&mut *conn)
    .await?;
    for (org, member, role) in seat_rows {
        let v = seats.entry(org).or_default();
        if role == "secretary" {
            v.insert(0, member);
        } else {
            v.push(member);
        }
    }

    let mut ids = Ids {
        plan: 0,
        goal: 0,
        kpi: 0,
        value: 0,
        item: 0,
        link: 0,
        task: 0,
        update: 0,
        meeting: 0,
    };
    for (table, slot) in ID_TABLES.iter().zip([
        &mut ids.plan,
        &mut ids.goal,
        &mut ids.kpi,
        &mut ids.value,
        &mut ids.item,
        &mut ids.link,
        &mut ids.task,
        &mut ids.update,
        &mut ids.meeting,
    ]) {
        *slot = max_id(&mut conn, table).await? + 1;
    }
    let first_plan = ids.plan;

    let year_start = Date::from_ymd_opt(year, 1, 1).expect("valid year");
    let days: u16 = if year_start.leap_year() { 366 } else { 365 };
    let era = year.cmp(&as_of.year());
    let (last_day, months) = match era {
        std::cmp::Ordering::Less => (days - 1, 12),
        std::cmp::Ordering::Equal => (as_of.ordinal0() as u16, as_of.month() as u8 - 1),
        std::cmp::Ordering::Greater => (0, 0),
    };
    let year_ms = year_start
        .and_hms_opt(12, 0, 0)
        .expect("noon")
        .and_utc()
        .timestamp_millis();
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
        year_ms,
    };

    // The texts rows refer to by index.
    let texts = Texts {
        days: (0..days)
            .map(|i| (year_start + chrono::Days::new(u64::from(i))).to_string())
            .collect(),
        months: (1..=12).map(|m| format!("{year}-{m:02}")).collect(),
        year_ms,
    };

    let now = crate::now_ms();
    let t = |head: &str, cols: usize, literals: String| Table::new(backend, head, cols, literals);
    let plans_t = t(
        "INSERT INTO plans (id, org_id, status, year, title, created_at, updated_at)",
        3,
        format!(",{year},'{year}年度党建与业务工作融合计划',{now},{now}"),
    );
    let goals_t = t(
        "INSERT INTO goals (id, plan_id, title, department, is_key, weight, parent_goal_id, \
         stated_by, created_at)",
        8,
        format!(",{now}"),
    );
    let kpis_t = t(
        "INSERT INTO kpis (id, goal_id, name, unit, direction, baseline, target)",
        7,
        String::new(),
    );
    let values_t = t(
        "INSERT INTO kpi_values (id, kpi_id, month, value, source, entered_by, entered_at)",
        5,
        format!(",'合成数据',{now}"),
    );
    let items_t = t(
        "INSERT INTO items (id, plan_id, kind, title, description, owner_member_id, starts_on, \
         ends_on, created_at)",
        8,
        format!(",{now}"),
    );
    let links_t = t(
        "INSERT INTO links (id, item_id, goal_id, junction, kind)",
        5,
        String::new(),
    );
    let tasks_t = t(
        "INSERT INTO tasks (id, plan_id, item_id, goal_id, title, assignee_member_id, \
         business_owner, deadline, status, percent, created_at, updated_at)",
        10,
        format!(",{now},{now}"),
    );
    let updates_t = t(
        "INSERT INTO task_updates (id, task_id, at, percent, note, username)",
        5,
        ",'合成数据'".to_string(),
    );
    let meetings_t = t(
        "INSERT INTO meetings (id, org_id, kind, held_on, topic, content, decisions, entitled, \
         present, quorum_met, created_at, created_by)",
        11,
        ",'合成数据'".to_string(),
    );
    let meeting_goals_t = t(
        "INSERT INTO meeting_goals (meeting_id, goal_id)",
        2,
        String::new(),
    );
    let people_t = t(
        "INSERT INTO meeting_people (meeting_id, member_id, present, reason)",
        4,
        String::new(),
    );

    let tx_rows = match backend {
        Backend::Sqlite => SQLITE_TX_ROWS,
        Backend::Postgres => PG_TX_ROWS,
    };
    let mut w = Writer {
        conn,
        pending: 0,
        tx_rows,
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
    w.exec("BEGIN").await?;
    loop {
        let (g, c) = pending.await.map_err(joined)?;
        if c.orgs == 0 {
            break;
        }
        pending = next_batch(g);
        let x = &texts;
        w.insert(&plans_t, &c.plans, x).await?;
        w.insert(&goals_t, &c.goals, x).await?;
        w.insert(&kpis_t, &c.kpis, x).await?;
        w.insert(&values_t, &c.values, x).await?;
        w.insert(&items_t, &c.items, x).await?;
        w.insert(&links_t, &c.links, x).await?;
        w.insert(&tasks_t, &c.tasks, x).await?;
        w.insert(&updates_t, &c.updates, x).await?;
        w.insert(&meetings_t, &c.meetings, x).await?;
        w.insert(&meeting_goals_t, &c.meeting_goals, x).await?;
        w.insert(&people_t, &c.people, x).await?;
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
    w.exec("COMMIT").await?;

    let mut conn = w.conn;
    match backend {
        Backend::Sqlite => {
            // Give the WAL's disk space back; best effort, readers may hold it for a while.
            let _ = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(&mut *conn)
                .await;
        }
        Backend::Postgres => {
            // Explicit ids do not advance identity sequences; the next API insert must not
            // collide.
            for table in ID_TABLES {
                sqlx::query(&format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
                     (SELECT COALESCE(MAX(id), 1) FROM {table}))"
                ))
                .execute(&mut *conn)
                .await?;
            }
            for table in ID_TABLES.iter().chain(&["meeting_goals", "meeting_people"]) {
                sqlx::query(&format!("ANALYZE {table}"))
                    .execute(&mut *conn)
                    .await?;
            }
        }
    }
    drop(conn);

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
