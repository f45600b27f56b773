//! Computing a run: every plan below a committee measured and scored by core, off the async
//! threads; and one organization re-scored from its stored inputs after a manual value.

use super::{EvalResult, ManualRow, NewResult};
use crate::error::{StoreError, StoreResult};
use crate::{Org, Store};
use ronghe_core::evaluation::facts::measure;
use ronghe_core::evaluation::{explain, gather, Evaluation, Input, ManualInput, Template};
use ronghe_core::integration::IndexConfig;
use ronghe_core::Date;
use std::collections::HashMap;

pub fn manual_inputs(rows: &[ManualRow]) -> Vec<ManualInput> {
    rows.iter()
        .map(|m| ManualInput {
            code: m.code.clone(),
            input: m.input.clone(),
            reason: m.reason.clone(),
            by: m.entered_by.clone(),
        })
        .collect()
}

/// The results of `t` over every plan of `year` below `root`, with `manual` values (carried
/// over from a run being corrected) applied. Refused with a message at the year when the
/// subtree has no plan for it.
impl Store {
    pub async fn eval_compute(
        &self,
        root: &Org,
        year: i32,
        t: &Template,
        manual: &[ManualRow],
        today: Date,
    ) -> StoreResult<Vec<NewResult>> {
        let facts = self.eval_facts(root, year, today).await?;
        if facts.subjects.is_empty() {
            return Err(StoreError::field(
                "year",
                format!(
                    "{year} 年{}的下级组织还没有工作计划，无法考核；请先在“工作计划”中建立计划",
                    root.name
                ),
            ));
        }
        let mut by_org: HashMap<i64, Vec<ManualInput>> = HashMap::new();
        for m in manual {
            by_org
                .entry(m.org_id)
                .or_default()
                .extend(manual_inputs(std::slice::from_ref(m)));
        }
        let t = t.clone();
        let cfg = IndexConfig::default();
        // Each organization is independent: spread over the machine's cores.
        let results = tokio::task::spawn_blocking(move || {
            let one = |s: &super::EvalSubject| {
                let m = measure(&s.facts, today, &cfg);
                let manual = by_org.get(&s.org_id).map_or(&[][..], Vec::as_slice);
                let inputs = gather(&t, &m, manual);
                let ev = explain(&t, &inputs, manual);
                NewResult {
                    org_id: s.org_id,
                    plan_id: s.plan_id,
                    peer: s.unit_kind.clone(),
                    score: ev.score,
                    grade: ev.grade,
                    index: m.index.index,
                    g: m.index.g,
                    s: m.index.s,
                    e: m.index.e,
                    u1: m.u1.value,
                    u2: m.u2.value,
                    inputs,
                }
            };
            let subjects = &facts.subjects;
            let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
            if threads < 2 || subjects.len() < 500 {
                return subjects.iter().map(one).collect::<Vec<_>>();
            }
            let chunk = subjects.len().div_ceil(threads);
            std::thread::scope(|sc| {
                let handles: Vec<_> = subjects
                    .chunks(chunk)
                    .map(|part| sc.spawn(|| part.iter().map(one).collect::<Vec<_>>()))
                    .collect();
                handles
                    .into_iter()
                    .flat_map(|h| h.join().expect("evaluation worker"))
                    .collect::<Vec<_>>()
            })
        })
        .await
        .map_err(|e| StoreError::Db(sqlx::Error::Protocol(format!("evaluation worker: {e}"))))?;
        Ok(results)
    }
}

/// A stored result explained again from its inputs and the run's manual values.
pub fn explain_result(t: &Template, r: &EvalResult, manual: &[ManualRow]) -> Evaluation {
    explain(t, &r.inputs, &manual_inputs(manual))
}

/// The result with one input replaced (a manual value), re-scored.
pub fn rescore(
    t: &Template,
    r: &EvalResult,
    code: &str,
    input: Input,
    manual: &[ManualRow],
) -> NewResult {
    let mut inputs: Vec<(String, Input)> = r
        .inputs
        .iter()
        .filter(|(c, _)| c != code)
        .cloned()
        .collect();
    inputs.push((code.to_string(), input));
    let ev = explain(t, &inputs, &manual_inputs(manual));
    NewResult {
        org_id: r.org_id,
        plan_id: r.plan_id,
        peer: r.peer.clone(),
        score: ev.score,
        grade: ev.grade,
        index: r.index,
        g: r.g,
        s: r.s,
        e: r.e,
        u1: r.u1,
        u2: r.u2,
        inputs,
    }
}

/// What starts a run: a template of the committee, or the run it corrects.
pub enum RunBasis {
    Template(i64),
    Corrects(i64),
}

impl Store {
    /// Starts a run over `org`'s subtree: the template's latest version (a correction uses
    /// the corrected run's template and carries its manual values over), every organization
    /// with a plan for the template's year scored as of `today`, stored as a draft. Refusals
    /// name the field (`template`, `supersedes`, `year`).
    pub async fn eval_run_start(
        &self,
        actor: &crate::Actor,
        scope: &ronghe_core::scope::Scope,
        org: &Org,
        basis: RunBasis,
        note: Option<&str>,
        today: Date,
    ) -> StoreResult<i64> {
        let (template, superseded) = match basis {
            RunBasis::Corrects(old) => {
                let run = self.eval_run_get(scope, old).await?;
                if run.org_id != org.id {
                    return Err(StoreError::field("supersedes", "只能更正本组织的考核"));
                }
                (
                    self.eval_template_get(scope, run.template_id).await?,
                    Some(run),
                )
            }
            RunBasis::Template(tid) => match self.eval_template_get(scope, tid).await {
                Err(StoreError::NotFound) => {
                    return Err(StoreError::field("template", "没有这个考核方案"))
                }
                other => (other?, None),
            },
        };
        if template.org_id != org.id {
            return Err(StoreError::field("template", "请选择本组织的考核方案"));
        }
        let manual = match &superseded {
            Some(r) => self.eval_manual(r.id, None).await?,
            None => Vec::new(),
        };
        let year = template.year as i32;
        let results = self
            .eval_compute(org, year, &template.body, &manual, today)
            .await?;
        let as_of = today.min(Date::from_ymd_opt(year, 12, 31).unwrap_or(today));
        let supersedes = superseded.map(|r| r.id);
        self.eval_run_create(
            actor,
            template.version_id,
            org,
            year,
            as_of,
            supersedes,
            note,
            &results,
        )
        .await
    }

    /// Enters a manual value for one indicator of one organization of a draft run, re-scores
    /// it and logs it in words, naming who (`by`) and why.
    #[allow(clippy::too_many_arguments)]
    pub async fn eval_manual_enter(
        &self,
        actor: &crate::Actor,
        run: &super::EvalRun,
        template: &Template,
        org_id: i64,
        code: &str,
        input: Input,
        reason: &str,
        by: &str,
    ) -> StoreResult<()> {
        let Some(ind) = template.indicators.iter().find(|i| i.code == code) else {
            return Err(StoreError::field("code", "方案中没有这个指标"));
        };
        let r = self.eval_result(run.id, org_id).await?;
        let mut manual = self.eval_manual(run.id, Some(org_id)).await?;
        let row = ManualRow {
            org_id,
            code: ind.code.clone(),
            input: input.clone(),
            reason: reason.trim().to_string(),
            entered_by: by.to_string(),
            entered_at: crate::now_ms(),
        };
        manual.retain(|m| m.code != ind.code);
        manual.push(row.clone());
        let rescored = rescore(template, &r, &ind.code, input, &manual);
        let what = format!(
            "人工录入「{}」的「{}」：{}，得分 {:.1} → {:.1}（理由：{}）",
            r.org_name,
            ind.name,
            row.input.describe(),
            r.score,
            rescored.score,
            row.reason
        );
        self.eval_manual_set(actor, run, &row, &rescored, &what)
            .await
    }
}
