//! Home: the organizations in the user's scope and what needs attention in them.

use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::state::AppState;
use crate::view::Layout;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::routing::get;
use axum::Router;
use chrono::Datelike;
use ronghe_core::access::Permission;
use ronghe_core::org::formation::{Severity, Warning};
use ronghe_core::plan::Cadence;
use ronghe_store::{Item, KpiRow, Org, Plan, Seat, Store, Task};
use serde::Deserialize;
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(home))
}

/// An organization below the user's roots that needs attention, with its parent's name.
pub struct Attention {
    pub org: Org,
    pub under: Option<String>,
    pub warnings: Vec<Warning>,
}

/// An organization with the warnings of the formation rules.
pub struct OrgCard {
    pub org: Org,
    pub warnings: Vec<Warning>,
    pub committee: Vec<Seat>,
}

pub async fn org_card(store: &Store, org: Org) -> Result<OrgCard, AppError> {
    let committee = store.committee(org.id).await?;
    let facts = store.org_facts(&org, &committee).await?;
    let warnings = ronghe_core::org::formation::warnings(&facts, ronghe_store::today());
    Ok(OrgCard {
        org,
        warnings,
        committee,
    })
}

/// What is waiting for the user: computed from the plans, tasks and records, never typed.
#[derive(Default)]
pub struct Todo {
    pub tasks: Vec<(Task, String, bool)>,
    pub orphan_items: Vec<(Item, i64, String)>,
    /// KPIs without the actual now due, grouped by plan (organization), a few shown each.
    pub missing_values: Vec<MissingValues>,
    /// All KPIs found missing (at most [`MISSING_READ`]).
    pub missing_total: usize,
    /// The read stopped at [`MISSING_READ`]: there may be more.
    pub missing_capped: bool,
    /// Meetings the compliance rules expect, per branch the user runs, one line per kind.
    pub meetings: Vec<(Org, Vec<DueMeeting>)>,
    /// Rectifications (整改) of the organizations the user runs, not yet verified, with
    /// whether each is overdue.
    pub rectifications: Vec<(ronghe_store::Finding, bool)>,
    /// Rectifications reported to the user's inspection rounds, waiting for verification.
    pub to_verify: Vec<ronghe_store::Finding>,
}

impl Todo {
    pub fn is_empty(&self) -> bool {
        self.tasks.is_empty()
            && self.orphan_items.is_empty()
            && self.missing_values.is_empty()
            && self.meetings.iter().all(|(_, v)| v.is_empty())
            && self.rectifications.is_empty()
            && self.to_verify.is_empty()
    }
}

/// One plan's KPIs waiting for the actual now due, each with that month.
pub struct MissingValues {
    pub plan: Plan,
    pub kpis: Vec<(KpiRow, String)>,
    /// Further KPIs of the plan not listed.
    pub more: usize,
}

/// How many missing KPI values the 待办 reads, and how many it lists per plan: a committee's
/// subtree has many, and a secretary needs to see which organizations, not every line.
const MISSING_READ: i64 = 500;
const MISSING_PER_PLAN: usize = 3;

/// Groups `(kpi, plan)` pairs by plan in order of first appearance.
fn group_missing(rows: Vec<((KpiRow, String), Plan)>) -> Vec<MissingValues> {
    let mut out: Vec<MissingValues> = Vec::new();
    for (k, p) in rows {
        let group = match out.iter_mut().position(|g| g.plan.id == p.id) {
            Some(i) => &mut out[i],
            None => {
                out.push(MissingValues {
                    plan: p,
                    kpis: Vec::new(),
                    more: 0,
                });
                out.last_mut().expect("just pushed")
            }
        };
        if group.kpis.len() < MISSING_PER_PLAN {
            group.kpis.push(k);
        } else {
            group.more += 1;
        }
    }
    out
}

/// One kind of meeting the rules still expect: the periods already missed, and the current one
/// if it ends soon. Grouped so a branch that missed a year shows a few lines, not dozens.
pub struct DueMeeting {
    pub kind_code: &'static str,
    pub kind_label: &'static str,
    /// Each missed period with the last day inside it, for recording it late (补录).
    pub overdue: Vec<(String, ronghe_core::Date)>,
    pub due_soon: Option<String>,
    pub citation: &'static str,
}

/// How far ahead the 待办 list looks for meetings due.
const MEETING_HORIZON_DAYS: u32 = 31;

fn due_meetings(
    report: &ronghe_core::compliance::ComplianceReport,
    today: ronghe_core::Date,
) -> Vec<DueMeeting> {
    use ronghe_core::compliance::{due_soon, Status};
    let mut out: Vec<DueMeeting> = Vec::new();
    for w in due_soon(report, today, MEETING_HORIZON_DAYS) {
        let i = match out.iter().position(|d| d.kind_code == w.kind.code()) {
            Some(i) => i,
            None => {
                out.push(DueMeeting {
                    kind_code: w.kind.code(),
                    kind_label: w.kind.label(),
                    overdue: Vec::new(),
                    due_soon: None,
                    citation: w.citation,
                });
                out.len() - 1
            }
        };
        let label = match w.window.label.split_once('年') {
            Some((_, "")) => "全年".to_string(),
            Some((_, rest)) => rest.to_string(),
            None => w.window.label.clone(),
        };
        match w.status {
            Status::Overdue { .. } => out[i].overdue.push((label, w.window.end.min(today))),
            Status::Upcoming { due } => out[i].due_soon = Some(format!("{label}截止 {due}")),
            Status::Met => {}
        }
    }
    out
}

/// How far ahead the 待办 list looks for task deadlines.
const TASK_HORIZON_DAYS: i64 = 14;

/// `view_roots` are the roots of the user's ViewOrgs scope, already read by the page.
async fn todo(store: &Store, user: &CurrentUser, view_roots: &[Org]) -> Result<Todo, AppError> {
    let today = ronghe_store::today();
    let year = i64::from(chrono::Datelike::year(&today));
    let plans = user.scope(Permission::EditPlans);
    let until = today + chrono::Duration::days(TASK_HORIZON_DAYS);
    let tasks = store
        .tasks_due(&plans, user.account().member_id, until, 30)
        .await?
        .into_iter()
        .map(|(t, org)| {
            let overdue = t.is_overdue(today);
            (t, org, overdue)
        })
        .collect();
    let orphan_items = if plans.is_empty() {
        Vec::new()
    } else {
        store.orphan_items(&plans, year, 20).await?
    };
    // The actuals due: the month just finished, or the quarter for KPIs reported quarterly.
    let (last_year, _) = ronghe_core::plan::period::reporting_month(today);
    let monthly = Cadence::Monthly.due_month(today, last_year);
    let quarterly = Cadence::Quarterly.due_month(today, last_year);
    let goals = user.scope(Permission::EditGoals);
    let missing_values = if goals.is_empty() || i64::from(last_year) != year {
        Vec::new()
    } else {
        store
            .kpis_missing_values(
                &goals,
                year,
                monthly.as_deref(),
                quarterly.as_deref(),
                MISSING_READ,
            )
            .await?
    };
    let due_of = |k: &KpiRow| match k.cadence() {
        Cadence::Monthly => monthly.clone().unwrap_or_default(),
        Cadence::Quarterly => quarterly.clone().unwrap_or_default(),
    };
    let missing_values = missing_values
        .into_iter()
        .map(|(k, p)| {
            let due = due_of(&k);
            ((k, due), p)
        })
        .collect::<Vec<_>>();
    let missing_total = missing_values.len();
    let missing_values = group_missing(missing_values);
    // Meetings due under the rules, for the branches the user runs (a secretary's own branch;
    // committees see theirs on each branch's page, not as a flood here).
    let mut meetings = Vec::new();
    let runs = user.scope(Permission::EditMembers);
    let run_roots = if runs == user.scope(Permission::ViewOrgs) {
        view_roots.to_vec()
    } else {
        store.org_roots(&runs).await?
    };
    for org in run_roots.into_iter().filter(|o| o.kind == "branch").take(5) {
        let report =
            super::compliance_view::compliance_report(store, &org, today.year(), today).await?;
        meetings.push((org, due_meetings(&report, today)));
    }
    let rectifications = if plans.is_empty() {
        Vec::new()
    } else {
        store
            .findings_open_in(&plans, 20)
            .await?
            .into_iter()
            .map(|f| {
                let late = f.is_overdue(today);
                (f, late)
            })
            .collect()
    };
    let inspect = user.scope(Permission::Inspect);
    let to_verify = if inspect.is_empty() {
        Vec::new()
    } else {
        store.findings_to_verify(&inspect, 20).await?
    };
    Ok(Todo {
        rectifications,
        to_verify,
        tasks,
        orphan_items,
        missing_values,
        missing_capped: missing_total as i64 >= MISSING_READ,
        missing_total,
        meetings,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
struct HomePage {
    layout: Layout,
    todo: Todo,
    roots: Vec<OrgCard>,
    attention: Vec<Attention>,
    /// Organizations below the roots, and how many of them were checked.
    below_total: i64,
    /// Not every organization below the roots was checked.
    cut: bool,
    children_checked: usize,
    password_changed: bool,
    can_orgs: bool,
    /// "我负责的组织" for those who run them, "我所在的组织" for a member, "党组织" for the
    /// administrators who see the whole tree.
    roots_heading: &'static str,
    can_members: bool,
    can_accounts: bool,
    can_security: bool,
    can_audit: bool,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct HomeQuery {
    password: String,
}

/// How many organizations the home page checks below the user's roots (the whole subtree,
/// in path order); a larger one is checked further on each organization's own page.
const CHECK_BELOW: usize = 2000;

async fn home(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<HomeQuery>,
) -> Result<HomePage, AppError> {
    let scope = user.scope(Permission::ViewOrgs);
    let mut roots = Vec::new();
    let mut attention = Vec::new();
    let (mut children_checked, mut below_total, mut cut) = (0, 0, false);
    let today = ronghe_store::today();
    let view_roots = state.store.org_roots(&scope).await?;
    cut |= view_roots.len() > 20;
    for org in view_roots.iter().take(20).cloned() {
        cut |= children_checked >= CHECK_BELOW;
        if children_checked < CHECK_BELOW {
            let sub = state
                .store
                .subtree_facts(&org, CHECK_BELOW - children_checked)
                .await?;
            children_checked += sub.orgs.len();
            below_total += sub.total;
            cut |= (sub.orgs.len() as i64) < sub.total;
            let names: HashMap<i64, String> = std::iter::once((org.id, org.name.clone()))
                .chain(sub.orgs.iter().map(|(o, _)| (o.id, o.name.clone())))
                .collect();
            for (child, facts) in sub.orgs {
                let warnings = ronghe_core::org::formation::warnings(&facts, today);
                if warnings.iter().any(|w| w.severity >= Severity::Warning) {
                    let under = child.parent_id.and_then(|p| names.get(&p).cloned());
                    attention.push(Attention {
                        org: child,
                        under,
                        warnings,
                    });
                }
            }
        }
        roots.push(org_card(&state.store, org).await?);
    }
    // The most serious first, the tree's order otherwise.
    attention.sort_by_key(|a| std::cmp::Reverse(a.warnings.iter().map(|w| w.severity).max()));
    Ok(HomePage {
        todo: todo(&state.store, &user, &view_roots).await?,
        layout: Layout::new(&user, "首页", "/"),
        roots,
        attention,
        children_checked,
        below_total,
        cut,
        password_changed: q.password == "changed",
        can_orgs: user.can(Permission::ViewOrgs),
        roots_heading: if scope.all {
            "党组织"
        } else if user.can(Permission::EditPlans) || user.can(Permission::EditMembers) {
            "我负责的组织"
        } else {
            "我所在的组织"
        },
        can_members: user.can(Permission::ViewMembers),
        can_accounts: user.can(Permission::ManageAccounts),
        can_security: user.can(Permission::ManageSecurity),
        can_audit: user.can(Permission::ReadAudit),
    })
}
