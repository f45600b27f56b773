//! The template editor: every indicator in one table (name, dimension, points, data source,
//! rule and its anchors), the grade bands, and the versions saved so far. A save is a new
//! version; runs keep the version they scored.

use super::may_evaluate;
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::state::AppState;
use crate::view::Layout;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use ronghe_core::access::Permission;
use ronghe_core::evaluation::form::{
    BandForm, IndicatorForm, TemplateForm, DIMENSIONS, RULE_KINDS,
};
use ronghe_core::evaluation::Source;
use ronghe_core::text::FieldErrors;
use ronghe_store::{EvalTemplate, Org, StoreError, VersionRow};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new().route("/evaluation/templates/{id}", get(show).post(save))
}

/// Blank rows offered for new indicators and bands.
const NEW_ROWS: usize = 2;
const BAND_ROWS: usize = 6;

#[derive(Template, WebTemplate)]
#[template(path = "evaluation_template.html")]
struct EditorPage {
    layout: Layout,
    org: Org,
    t: EvalTemplate,
    form: TemplateForm,
    note: String,
    errors: FieldErrors,
    can_edit: bool,
    versions: Vec<VersionRow>,
    /// The scored points in the form, as typed.
    total: String,
    saved: Option<String>,
    dimensions: &'static [(&'static str, &'static str)],
    rules: &'static [(&'static str, &'static str)],
    sources: Vec<(&'static str, &'static str)>,
}

impl EditorPage {
    /// Which anchor fields a row's rule uses (all of them for a row not yet chosen).
    pub fn uses(&self, r: &IndicatorForm, what: &str) -> bool {
        let rule = r.rule.as_str();
        match what {
            "weight" => !matches!(rule, "deduction" | "bonus" | "veto" | "honour"),
            "anchors" => matches!(rule, "up" | "down" | ""),
            "per" => matches!(rule, "deduction" | "bonus" | ""),
            "grades" => matches!(rule, "graded" | ""),
            "grade" => matches!(rule, "veto" | "honour" | ""),
            _ => false,
        }
    }

    pub fn band_error(&self, j: usize) -> Option<&str> {
        self.errors.get(&format!("band.{j}"))
    }

    pub fn error_of(&self, n: usize, r: &IndicatorForm) -> Option<&str> {
        self.errors
            .get(&r.key())
            .or_else(|| self.errors.get(&format!("row.{n}")))
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ShowQuery {
    created: String,
    saved: String,
}

/// Reads the editor's fields: `name`, `ungraded`, `note`, `i{n}.{field}` for indicator rows
/// and `b{n}.{min|label}` for bands.
fn read_form(fields: &[(String, String)]) -> (TemplateForm, String) {
    let mut f = TemplateForm::default();
    let mut note = String::new();
    for (k, v) in fields {
        let v = v.clone();
        match k.as_str() {
            "name" => f.name = v,
            "ungraded" => f.ungraded = v,
            "note" => note = v,
            _ => {
                let Some((head, field)) = k.split_once('.') else {
                    continue;
                };
                let (kind, n) = head.split_at(1.min(head.len()));
                let Ok(n) = n.parse::<usize>() else { continue };
                if n >= 200 {
                    continue;
                }
                if kind == "i" {
                    if f.rows.len() <= n {
                        f.rows.resize(n + 1, IndicatorForm::default());
                    }
                    let r = &mut f.rows[n];
                    match field {
                        "code" => r.code = v,
                        "name" => r.name = v,
                        "dimension" => r.dimension = v,
                        "weight" => r.weight = v,
                        "source" => r.source = v,
                        "rule" => r.rule = v,
                        "floor" => r.floor = v,
                        "target" => r.target = v,
                        "per" => r.per = v,
                        "cap" => r.cap = v,
                        "good" => r.good = v,
                        "fair" => r.fair = v,
                        "average" => r.average = v,
                        "poor" => r.poor = v,
                        "grade" => r.grade = v,
                        "remove" => r.remove = !v.is_empty(),
                        _ => {}
                    }
                } else if kind == "b" {
                    if f.bands.len() <= n {
                        f.bands.resize(n + 1, BandForm::default());
                    }
                    match field {
                        "min" => f.bands[n].min = v,
                        "label" => f.bands[n].label = v,
                        _ => {}
                    }
                }
            }
        }
    }
    (f, note)
}

fn total_of(form: &TemplateForm) -> String {
    let sum: f64 = form
        .rows
        .iter()
        .filter(|r| {
            !r.remove && !matches!(r.rule.as_str(), "deduction" | "bonus" | "veto" | "honour")
        })
        .filter_map(|r| r.weight.trim().parse::<f64>().ok())
        .sum();
    ronghe_core::plan::kpi::fmt_num((sum * 100.0).round() / 100.0)
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    typed: Option<(TemplateForm, String)>,
    errors: FieldErrors,
) -> Result<EditorPage, AppError> {
    let scope = user.scope(Permission::ViewOrgs);
    let t = state.store.eval_template_get(&scope, id).await?;
    let org = state.store.org_get(&scope, t.org_id).await?;
    let (mut form, note) = typed.unwrap_or_else(|| (TemplateForm::of(&t.body), String::new()));
    let can_edit = may_evaluate(user, &org);
    if can_edit {
        let blank_from = form
            .rows
            .iter()
            .rposition(|r| !r.is_blank())
            .map_or(0, |i| i + 1);
        form.rows.truncate(blank_from);
        form.rows
            .extend(std::iter::repeat_n(IndicatorForm::default(), NEW_ROWS));
        if form.bands.len() < BAND_ROWS {
            form.bands.resize(BAND_ROWS, BandForm::default());
        }
    }
    Ok(EditorPage {
        layout: Layout::new(user, format!("考核方案：{}", t.name), "/evaluation"),
        versions: state.store.eval_template_versions(id).await?,
        total: total_of(&form),
        saved: None,
        dimensions: &DIMENSIONS,
        rules: &RULE_KINDS,
        sources: Source::ALL.iter().map(|s| (s.code(), s.label())).collect(),
        can_edit,
        form,
        note,
        errors,
        org,
        t,
    })
}

async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Query(q): Query<ShowQuery>,
) -> Result<EditorPage, AppError> {
    let mut p = page(&state, &user, id, None, FieldErrors::new()).await?;
    if q.created == "1" {
        p.saved = Some(
            "考核方案已新建（第 1 版）。请按本单位的实际核对每项指标的分值、数据来源和计分方法。"
                .into(),
        );
    } else if q.saved == "1" {
        p.saved = Some(format!("已保存为第 {} 版，已写入修改记录。", p.t.version));
    }
    Ok(p)
}

async fn save(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    super::super::require(&state, &user, Permission::Evaluate, "eval_template").await?;
    let (form, note) = read_form(&fields);
    let result = match form.to_template() {
        Ok(t) => {
            state
                .store
                .eval_template_save(
                    &user.actor(),
                    &user.scope(Permission::Evaluate),
                    id,
                    &t,
                    Some(note.as_str()),
                )
                .await
        }
        Err(e) => Err(StoreError::Invalid(e)),
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/evaluation/templates/{id}?saved=1")).into_response()),
        Err(StoreError::Invalid(errors)) => Ok(page(&state, &user, id, Some((form, note)), errors)
            .await?
            .into_response()),
        Err(e) => Err(e.into()),
    }
}
