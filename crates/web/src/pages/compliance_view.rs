//! The compliance view of a 党支部 (组织生活情况): the rules evaluated for a year, and what the
//! organization page, the 待办 and the API show of them.

use ronghe_core::compliance::{self, ComplianceReport, Status};
use ronghe_core::Date;
use ronghe_store::{Org, Store, StoreError};

/// Windows still owing meetings are listed when overdue or due within this many days.
pub(crate) const DUE_HORIZON_DAYS: u32 = 45;

/// The year asked for in a query string: four digits in a sensible range, else `None`.
pub(crate) fn parse_year(s: &str) -> Option<i32> {
    s.trim()
        .parse::<i32>()
        .ok()
        .filter(|y| (2000..=2100).contains(y))
}

/// Evaluates the compliance rules for one 党支部 over `year` as of `today`.
pub(crate) async fn compliance_report(
    store: &Store,
    org: &Org,
    year: i32,
    today: Date,
) -> Result<ComplianceReport, StoreError> {
    let from = Date::from_ymd_opt(year, 1, 1).unwrap_or(today);
    let to = Date::from_ymd_opt(year, 12, 31).unwrap_or(today);
    let config = store.compliance_config().await?;
    let (profile, facts) = store.branch_compliance_facts(org.id, from, to).await?;
    Ok(compliance::evaluate(
        &config.rules(),
        &profile,
        &facts,
        from,
        to,
        today,
    ))
}

/// One window not met, as the organization page lists it.
pub(crate) struct ComplianceRow {
    pub kind_code: &'static str,
    pub kind_label: &'static str,
    pub overdue: bool,
    pub status_label: &'static str,
    pub due: String,
    /// The engine's explanation without its trailing citation (shown on its own line).
    pub explanation: String,
    pub citation: &'static str,
}

/// The compliance section of the organization page.
pub(crate) struct ComplianceView {
    pub year: i32,
    pub met: u32,
    pub overdue: u32,
    pub upcoming: u32,
    /// Overdue windows first, then those due within [`DUE_HORIZON_DAYS`], by due date.
    pub rows: Vec<ComplianceRow>,
    /// Windows still owing meetings whose deadline is further away (not listed).
    pub later: u32,
    pub skipped: Vec<String>,
    pub horizon_days: u32,
}

pub(crate) fn compliance_view(report: &ComplianceReport, year: i32) -> ComplianceView {
    let mut soon = compliance::due_soon(report, report.today, DUE_HORIZON_DAYS);
    // `due_soon` orders by deadline; overdue ones come first (stable sort keeps the order).
    soon.sort_by_key(|w| !matches!(w.status, Status::Overdue { .. }));
    let rows: Vec<ComplianceRow> = soon
        .iter()
        .map(|w| {
            let text = w
                .explanation
                .split_once("。依据")
                .map_or(w.explanation.as_str(), |(head, _)| head);
            ComplianceRow {
                kind_code: w.kind.code(),
                kind_label: w.kind.label(),
                overdue: matches!(w.status, Status::Overdue { .. }),
                status_label: w.status.label(),
                due: w.status.due().map(|d| d.to_string()).unwrap_or_default(),
                explanation: format!("{text}。"),
                citation: w.citation,
            }
        })
        .collect();
    let listed_upcoming = rows.iter().filter(|r| !r.overdue).count() as u32;
    ComplianceView {
        year,
        met: report.met,
        overdue: report.overdue,
        upcoming: report.upcoming,
        later: report.upcoming.saturating_sub(listed_upcoming),
        rows,
        skipped: report
            .skipped
            .iter()
            .map(|s| format!("{}：{}", s.kind.label(), s.reason))
            .collect(),
        horizon_days: DUE_HORIZON_DAYS,
    }
}
