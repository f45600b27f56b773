//! 总览看板: a committee's subtree at a glance for a year: the integration index of every
//! organization (G, S, E) with the "两张皮" ones first, the score distribution by peer group
//! from the year's evaluation, organizational life as a heat map (organization × kind of
//! meeting, each cell leading to the records), and the averages over the years. Charts are
//! SVG drawn here, every figure also in text, every organization one click from its why.

use super::evaluation::peers::peer_groups_of;
use super::reports::{overseen, report_year};
use crate::auth::CurrentUser;
use crate::charts::{self, Bar};
use crate::error::AppError;
use crate::state::AppState;
use crate::view::Layout;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::routing::get;
use axum::Router;
use ronghe_core::compliance::{self, tally_by_kind};
use ronghe_core::evaluation::facts::measure;
use ronghe_core::integration::IndexConfig;
use ronghe_core::meeting::MeetingKind;
use ronghe_store::{EvalRun, Org, RunSummary};
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub fn router() -> Router<AppState> {
    Router::new().route("/orgs/{id}/dashboard", get(show))
}

pub struct DashRow {
    pub org_id: i64,
    pub name: String,
    pub peer: &'static str,
    pub plan_id: i64,
    pub score: Option<f64>,
    pub grade: Option<String>,
    pub index: f64,
    pub g: f64,
    pub s: f64,
    pub e: f64,
    pub u2: f64,
    /// Where its figures are explained: its result in the run, else its plan's index.
    pub href: String,
}

pub struct HeatCell {
    pub class: &'static str,
    pub text: String,
    pub title: String,
    pub href: String,
}

pub struct HeatRow {
    pub org_id: i64,
    pub name: String,
    pub cells: Vec<HeatCell>,
}

/// What a dashboard shows, computed at most once a minute per organization and year.
pub struct DashData {
    pub computed_at: String,
    run: Option<EvalRun>,
    rows: Vec<DashRow>,
    total: usize,
    drifting: usize,
    index_chart: String,
    peers: Vec<super::evaluation::peers::PeerGroup>,
    heat_kinds: Vec<&'static str>,
    heat: Vec<HeatRow>,
    heat_more: usize,
    trend: Vec<RunSummary>,
    trend_chart: String,
    /// U1 of the year before against U2 of this year, across the organizations in both runs.
    association: Option<ronghe_core::integration::lagged::Association>,
}

/// How long a computed dashboard is shown before it is computed again.
const FRESH: Duration = Duration::from_secs(60);
/// Dashboards kept at most (the oldest is dropped).
const KEEP: usize = 256;

/// A computed dashboard and when it was computed.
type Slot = (Arc<DashData>, Instant);
/// Held while a dashboard is computed.
type Turn = Arc<tokio::sync::Mutex<()>>;

#[derive(Default)]
pub struct DashboardCache {
    slots: Mutex<HashMap<(i64, i32), Slot>>,
    /// One computation per dashboard at a time: visitors who find it stale together wait for
    /// the first one's result instead of each reading the subtree again (64 at once took
    /// 750 MB).
    computing: Mutex<HashMap<(i64, i32), Turn>>,
}

impl DashboardCache {
    fn get(&self, key: (i64, i32)) -> Option<Arc<DashData>> {
        let slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        slots
            .get(&key)
            .filter(|(_, at)| at.elapsed() < FRESH)
            .map(|(d, _)| d.clone())
    }

    fn put(&self, key: (i64, i32), d: Arc<DashData>) {
        let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        if slots.len() >= KEEP {
            if let Some(oldest) = slots.iter().min_by_key(|(_, (_, at))| *at).map(|(k, _)| *k) {
                slots.remove(&oldest);
            }
        }
        slots.insert(key, (d, Instant::now()));
    }

    /// The lock that the computation of `key` holds.
    fn turn(&self, key: (i64, i32)) -> Turn {
        let mut c = self.computing.lock().unwrap_or_else(|e| e.into_inner());
        // Locks nobody waits for are dropped as they pile up.
        if c.len() >= KEEP {
            c.retain(|_, m| Arc::strong_count(m) > 1);
        }
        c.entry(key).or_default().clone()
    }

    /// After a change the dashboards show: computed afresh on the next visit.
    pub fn clear(&self) {
        self.slots.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    layout: Layout,
    org: Org,
    year: i32,
    d: Arc<DashData>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct YearQuery {
    #[serde(deserialize_with = "ronghe_store::lenient_number")]
    year: Option<i32>,
}

/// Rows listed; the counts cover every organization.
const SHOW: usize = 300;
/// Branches in the heat map: those most behind first.
const HEAT_ROWS: usize = 120;
/// Organizations drawn in the index chart: the lowest.
const CHART_ROWS: usize = 20;

/// The heat map kinds, in the order of the regulations' table.
const HEAT_KINDS: [MeetingKind; 6] = [
    MeetingKind::GeneralAssembly,
    MeetingKind::CommitteeMeeting,
    MeetingKind::GroupMeeting,
    MeetingKind::PartyLecture,
    MeetingKind::ThemeDay,
    MeetingKind::LifeMeeting,
];

async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Query(q): Query<YearQuery>,
) -> Result<DashboardPage, AppError> {
    let (org, sub) = overseen(&state, &user, id).await?;
    let today = ronghe_store::today();
    let year = report_year(q.year, today);
    let key = (org.id, year);
    let d = match state.dashboards.get(key) {
        Some(d) => d,
        None => {
            let turn = state.dashboards.turn(key);
            let _computing = turn.lock().await;
            match state.dashboards.get(key) {
                Some(d) => d,
                None => {
                    let d = Arc::new(compute(&state, &org, &sub, year, today).await?);
                    state.dashboards.put(key, d.clone());
                    d
                }
            }
        }
    };
    Ok(DashboardPage {
        layout: Layout::new(&user, format!("{} · 总览看板", org.name), "/evaluation"),
        org,
        year,
        d,
    })
}

async fn compute(
    state: &AppState,
    org: &Org,
    sub: &ronghe_core::scope::Scope,
    year: i32,
    today: ronghe_core::Date,
) -> Result<DashData, AppError> {
    // One run per year, for the trend and for this year's figures: the latest confirmed,
    // else the latest.
    let mut trend: Vec<RunSummary> = Vec::new();
    for s in state.store.eval_run_summaries(org.id).await? {
        match trend.last_mut() {
            Some(last) if last.year == s.year => {
                if (s.confirmed, s.run_id) > (last.confirmed, last.run_id) {
                    *last = s;
                }
            }
            _ => trend.push(s),
        }
    }
    let chosen = trend
        .iter()
        .find(|t| t.year == i64::from(year))
        .map(|t| t.run_id);
    let (run, mut rows, peers) = match chosen {
        Some(run_id) => {
            let run = state.store.eval_run_get(sub, run_id).await?;
            let results = state.store.eval_results(run_id).await?;
            let peers = peer_groups_of(&results);
            let rows = results
                .into_iter()
                .map(|r| DashRow {
                    href: format!("/evaluation/runs/{run_id}/orgs/{}", r.org_id),
                    peer: super::evaluation_peer_label(&r.peer),
                    org_id: r.org_id,
                    name: r.org_name,
                    plan_id: r.plan_id,
                    score: Some(r.score),
                    grade: Some(r.grade),
                    index: r.index,
                    g: r.g,
                    s: r.s,
                    e: r.e,
                    u2: r.u2,
                })
                .collect();
            (Some(run), rows, peers)
        }
        None => {
            let facts = state.store.eval_facts(org, year, today).await?;
            let rows = tokio::task::spawn_blocking(move || {
                let cfg = IndexConfig::default();
                facts
                    .subjects
                    .iter()
                    .map(|s| {
                        let m = measure(&s.facts, today, &cfg);
                        DashRow {
                            href: format!("/plans/{}#integration", s.plan_id),
                            peer: super::evaluation_peer_label(&s.unit_kind),
                            org_id: s.org_id,
                            name: s.org_name.clone(),
                            plan_id: s.plan_id,
                            score: None,
                            grade: None,
                            index: m.index.index,
                            g: m.index.g,
                            s: m.index.s,
                            e: m.index.e,
                            u2: m.u2.value,
                        }
                    })
                    .collect::<Vec<_>>()
            })
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?;
            (None, rows, Vec::new())
        }
    };
    rows.sort_by(|a, b| a.index.total_cmp(&b.index).then(a.org_id.cmp(&b.org_id)));
    let warn = IndexConfig::default().warn_below;
    let drifting = rows.iter().filter(|r| r.index < warn).count();
    let bars: Vec<Bar> = rows
        .iter()
        .take(CHART_ROWS)
        .map(|r| Bar {
            label: r.name.clone(),
            value: r.index,
            text: format!("{:.2}", r.index),
            href: Some(r.href.clone()),
        })
        .collect();
    let index_chart = charts::rows(&bars, "融合度最低的组织", 1.0, Some(warn));
    // This year's U2 (from the rows, already read) against last year's U1, organization by
    // organization.
    let association = match (trend.iter().find(|t| t.year == i64::from(year) - 1), chosen) {
        (Some(prev), Some(_)) => {
            let u1: HashMap<i64, f64> = state
                .store
                .eval_results(prev.run_id)
                .await?
                .iter()
                .map(|r| (r.org_id, r.u1))
                .collect();
            let pairs: Vec<(f64, f64)> = rows
                .iter()
                .filter_map(|r| u1.get(&r.org_id).map(|p| (*p, r.u2)))
                .collect();
            Some(ronghe_core::integration::lagged::lagged_association(
                &pairs, year,
            ))
        }
        _ => None,
    };
    let total = rows.len();
    rows.truncate(SHOW);
    let (heat, heat_more) = heat_map(state, sub, year, today).await?;
    let trend_bars: Vec<Bar> = trend
        .iter()
        .map(|t| Bar {
            label: format!("{} 年", t.year),
            value: t.index * 100.0,
            text: format!("{:.2}", t.index),
            href: None,
        })
        .collect();
    Ok(DashData {
        computed_at: chrono::Local::now().format("%H:%M:%S").to_string(),
        trend_chart: charts::columns(&trend_bars, "各年度平均融合度"),
        heat_kinds: HEAT_KINDS.iter().map(|k| k.label()).collect(),
        run,
        rows,
        total,
        drifting,
        index_chart,
        peers,
        heat,
        heat_more,
        trend,
        association,
    })
}

/// The branches of the subtree by kind of meeting: windows met of those due so far.
async fn heat_map(
    state: &AppState,
    sub: &ronghe_core::scope::Scope,
    year: i32,
    today: ronghe_core::Date,
) -> Result<(Vec<HeatRow>, usize), AppError> {
    let inputs = state.store.compliance_inputs(sub, year).await?;
    let rules = state.store.compliance_config().await?.rules();
    tokio::task::spawn_blocking(move || {
        let (Some(from), Some(to)) = (
            ronghe_core::Date::from_ymd_opt(year, 1, 1),
            ronghe_core::Date::from_ymd_opt(year, 12, 31),
        ) else {
            return (Vec::new(), 0);
        };
        let mut order: Vec<(u32, usize)> =
            ronghe_store::evaluate_branches(&rules, &inputs, year, today)
                .iter()
                .enumerate()
                .map(|(i, b)| (b.overdue, i))
                .collect();
        order.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let more = order.len().saturating_sub(HEAT_ROWS);
        let rows = order
            .into_iter()
            .take(HEAT_ROWS)
            .map(|(_, i)| {
                let b = &inputs[i];
                let report = compliance::evaluate(&rules, &b.profile, &b.meetings, from, to, today);
                let by = tally_by_kind(&report);
                let cells = HEAT_KINDS
                    .iter()
                    .map(|k| {
                        let href =
                            format!("/orgs/{}/meetings?year={year}&kind={}", b.org_id, k.code());
                        match by.iter().find(|(x, _)| x == k) {
                            Some((_, t)) if t.met + t.overdue > 0 => HeatCell {
                                class: if t.overdue == 0 {
                                    "met"
                                } else if t.met > 0 {
                                    "part"
                                } else {
                                    "miss"
                                },
                                text: format!("{}/{}", t.met, t.met + t.overdue),
                                title: format!(
                                    "{}：应开展 {} 期，已完成 {} 期，逾期 {} 期",
                                    k.label(),
                                    t.met + t.overdue,
                                    t.met,
                                    t.overdue
                                ),
                                href,
                            },
                            Some(_) => HeatCell {
                                class: "na",
                                text: "未到期".into(),
                                title: format!("{}：本年度还没有到期的", k.label()),
                                href,
                            },
                            None => HeatCell {
                                class: "na",
                                text: "—".into(),
                                title: format!("{}：不适用", k.label()),
                                href,
                            },
                        }
                    })
                    .collect();
                HeatRow {
                    org_id: b.org_id,
                    name: b.name.clone(),
                    cells,
                }
            })
            .collect();
        (rows, more)
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))
}
