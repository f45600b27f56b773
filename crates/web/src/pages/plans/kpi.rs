//! One KPI's page: what its figures mean, every value entered (history), the months still
//! missing under its cadence, and, for the plan's editors, changing what its figures mean.

use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::state::AppState;
use crate::view::Layout;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use ronghe_core::access::Permission;
use ronghe_core::plan::kpi::fmt_num;
use ronghe_core::plan::{self, kpi_rhythm, Accumulation, Cadence, Rollup};
use ronghe_core::text::FieldErrors;
use ronghe_store::{fmt_ms, KpiEntry, KpiRow, Plan, StoreError};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/kpis/{id}", get(show))
        .route("/kpis/{id}/rhythm", post(set_rhythm))
}

/// One row of the history table.
pub struct HistoryLine {
    pub e: KpiEntry,
    /// For a running total: the change from the month before ("+1200").
    pub change: Option<String>,
    pub amount: String,
    pub who: String,
    pub when: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "kpi.html")]
struct KpiPage {
    layout: Layout,
    kpi: KpiRow,
    plan: Plan,
    goal: String,
    direction_label: &'static str,
    accumulation: Accumulation,
    cadence: Cadence,
    history: Vec<HistoryLine>,
    progress: Option<Rollup>,
    stale: Option<String>,
    missing: Vec<String>,
    can_goals: bool,
    form: RhythmForm,
    errors: FieldErrors,
    saved: bool,
    accumulations: Vec<(&'static str, &'static str, &'static str)>,
    cadences: Vec<(&'static str, &'static str)>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RhythmForm {
    accumulation: String,
    cadence: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ShowQuery {
    saved: String,
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    form: Option<RhythmForm>,
    errors: FieldErrors,
) -> Result<KpiPage, AppError> {
    let scope = user.scope(Permission::ViewOrgs);
    let (kpi, plan) = state.store.kpi_get(&scope, id).await?;
    let (goal, entries) = state.store.kpi_history(&scope, id).await?;
    let today = ronghe_store::today();
    let (accumulation, cadence, year) = (kpi.accumulation(), kpi.cadence(), plan.year as i32);
    let mut previous: Option<f64> = None;
    let history = entries
        .into_iter()
        .map(|e| {
            let change = previous
                .filter(|_| accumulation == Accumulation::Cumulative)
                .map(|p| e.value - p)
                .map(|d| format!("{}{}", if d >= 0.0 { "+" } else { "" }, fmt_num(d)));
            previous = Some(e.value);
            HistoryLine {
                amount: format!("{} {}", fmt_num(e.value), kpi.unit),
                who: e
                    .entered_by_name
                    .clone()
                    .unwrap_or_else(|| e.entered_by.clone()),
                when: fmt_ms(e.entered_at),
                change,
                e,
            }
        })
        .collect::<Vec<_>>();
    let latest = history.last().map(|h| (h.e.month.clone(), h.e.value));
    let due = cadence.due_month(today, year);
    let entered: Vec<&str> = history.iter().map(|h| h.e.month.as_str()).collect();
    let missing = kpi_rhythm::missing_months(cadence, year, due.as_deref(), &entered);
    let core = kpi.kpi();
    Ok(KpiPage {
        layout: Layout::new(user, format!("指标：{}", kpi.name), "/plans"),
        goal,
        direction_label: core.direction.label(),
        progress: latest
            .as_ref()
            .map(|(_, v)| plan::kpi_progress_explained(&core, *v)),
        stale: kpi_rhythm::staleness(
            cadence,
            latest.as_ref().map(|(m, _)| m.as_str()),
            today,
            year,
        ),
        missing,
        can_goals: user
            .scope(Permission::EditGoals)
            .sees_members_of(&plan.org_path),
        form: form.unwrap_or(RhythmForm {
            accumulation: accumulation.code().into(),
            cadence: cadence.code().into(),
        }),
        errors,
        saved: false,
        accumulations: Accumulation::ALL
            .iter()
            .map(|a| (a.code(), a.label(), a.hint()))
            .collect(),
        cadences: Cadence::ALL.iter().map(|c| (c.code(), c.label())).collect(),
        accumulation,
        cadence,
        history,
        kpi,
        plan,
    })
}

async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Query(q): Query<ShowQuery>,
) -> Result<KpiPage, AppError> {
    let mut p = page(&state, &user, id, None, FieldErrors::new()).await?;
    p.saved = q.saved == "1";
    Ok(p)
}

async fn set_rhythm(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(form): Form<RhythmForm>,
) -> Result<Response, AppError> {
    let mut errors = FieldErrors::new();
    let accumulation = Accumulation::from_code(&form.accumulation);
    let cadence = Cadence::from_code(&form.cadence);
    if accumulation.is_none() {
        errors.add("accumulation", "请选择每月填的是累计值还是当月值");
    }
    if cadence.is_none() {
        errors.add("cadence", "请选择按月还是按季报送");
    }
    let result = match (accumulation, cadence) {
        (Some(a), Some(c)) => {
            state
                .store
                .kpi_set_rhythm(&user.actor(), &user.scope(Permission::EditGoals), id, a, c)
                .await
        }
        _ => Err(StoreError::Invalid(errors)),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/kpis/{id}?saved=1")).into_response()),
        Err(StoreError::Invalid(errors)) => Ok(page(&state, &user, id, Some(form), errors)
            .await?
            .into_response()),
        Err(e) => Err(e.into()),
    }
}
