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
