//! A run's results as .xlsx: one row per organization (score, grade, the index and its parts,
//! then the points of every indicator), a frozen header, Chinese column widths, numbers as
//! numbers, every text cell that looks like a formula written as text. The export is audited.

use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use ronghe_core::access::Permission;
use ronghe_core::text::looks_like_formula;
use ronghe_store::{explain_result, EvalResult, EvalTemplate};

pub async fn export_xlsx(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let view = user.scope(Permission::ViewOrgs);
    let run = state.store.eval_run_get(&view, id).await?;
    let t = state
        .store
        .eval_template_version(&view, run.version_id)
        .await?;
    let results = state.store.eval_results(id).await?;
    let manual = state.store.eval_manual(id, None).await?;
    state
        .store
        .audit_event(
            &user.actor(),
            "export",
            &format!("eval_run:{id}"),
            "ok",
            &format!("导出第 {id} 次考核结果（{} 个组织，XLSX）", results.len()),
        )
        .await;
    let bytes = tokio::task::spawn_blocking(move || book(&t, &results, &manual))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(AppError::Internal)?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"evaluation-{}-{id}.xlsx\"", run.year),
            ),
        ],
        bytes,
    )
        .into_response())
}

fn book(
    t: &EvalTemplate,
    results: &[EvalResult],
    manual: &[ronghe_store::ManualRow],
) -> Result<Vec<u8>, String> {
    use rust_xlsxwriter::{Format, Workbook};
    let e = |e: rust_xlsxwriter::XlsxError| e.to_string();
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("考核结果").map_err(e)?;
    let bold = Format::new().set_bold().set_text_wrap();
    let quoted = Format::new().set_quote_prefix();
    let two = Format::new().set_num_format("0.00");
    let one = Format::new().set_num_format("0.0");
    let mut headers: Vec<(String, f64)> = [
        ("组织", 28.0),
        ("单位类型", 10.0),
        ("得分", 8.0),
        ("等次", 8.0),
        ("融合度", 8.0),
        ("目标一致 G", 10.0),
        ("任务统一 S", 10.0),
        ("效果互促 E", 10.0),
        ("党建绩效 U1", 10.0),
        ("业务绩效 U2", 10.0),
    ]
    .iter()
    .map(|(h, w)| (h.to_string(), *w))
    .collect();
    for i in &t.body.indicators {
        headers.push((i.name.clone(), 12.0));
    }
    for (col, (h, w)) in headers.iter().enumerate() {
        let col = col as u16;
        sheet
            .write_string_with_format(0, col, h, &bold)
            .map_err(e)?;
        sheet.set_column_width(col, *w).map_err(e)?;
    }
    sheet.set_freeze_panes(1, 1).map_err(e)?;
    let text = |sheet: &mut rust_xlsxwriter::Worksheet, row: u32, col: u16, s: &str| {
        if looks_like_formula(s) {
            sheet
                .write_string_with_format(row, col, s, &quoted)
                .map(|_| ())
        } else {
            sheet.write_string(row, col, s).map(|_| ())
        }
    };
    for (n, r) in results.iter().enumerate() {
        let row = n as u32 + 1;
        let mine: Vec<_> = manual
            .iter()
            .filter(|m| m.org_id == r.org_id)
            .cloned()
            .collect();
        let ev = explain_result(&t.body, r, &mine);
        text(sheet, row, 0, &r.org_name).map_err(e)?;
        text(sheet, row, 1, crate::pages::evaluation_peer_label(&r.peer)).map_err(e)?;
        sheet
            .write_number_with_format(row, 2, ev.score, &one)
            .map_err(e)?;
        text(sheet, row, 3, &ev.grade).map_err(e)?;
        for (col, x) in [r.index, r.g, r.s, r.e, r.u1, r.u2].into_iter().enumerate() {
            sheet
                .write_number_with_format(row, 4 + col as u16, x, &two)
                .map_err(e)?;
        }
        for (k, i) in t.body.indicators.iter().enumerate() {
            let points = ev
                .lines
                .iter()
                .find(|l| l.code == i.code)
                .map_or(0.0, |l| l.points);
            sheet
                .write_number_with_format(row, 10 + k as u16, points, &two)
                .map_err(e)?;
        }
    }
    book.save_to_buffer().map_err(e)
}
