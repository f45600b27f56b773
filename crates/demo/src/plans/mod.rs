//! The demo's 2026 plans and a year of organizational life, written for 2026-11-26.
//!
//! Every demo organization gets one plan holding the unit's business goals (业务目标) with
//! their KPIs and monthly actuals, the Party work items (党建工作项) that serve them with the
//! junction point (结合点) of each link, and the tasks deployed from both with their
//! progress. Every 党支部 gets the year's meetings, most of them recorded as serving a goal
//! of the plan: entered once, counted for compliance and for the goal's task unity.
//!
//! What it is built to show:
//! - the school (教学质量, 升学, 师德师风, 立德树人) and the metrology institute (检定校准
//!   capacity, 计量标准建标, 科研项目, 服务企业) with realistic goals, carriers and tasks;
//! - the bureau's 机关 organizations, whose wording supports and supervises (保障, 助推, 监督)
//!   and never claims to direct business work;
//! - tasks done, in progress and overdue as of 2026-11-26, KPI values entered on the page and
//!   pushed by a business system (来源“接口”);
//! - compliance gaps: 科研质量党支部 missed the 主题党日 of July and August and its third-quarter
//!   党员大会; 高二年级党支部's only third-quarter 党员大会 lacked a quorum; 高一年级党支部
//!   skipped its August 支委会; 行政后勤党支部 missed the February 主题党日. Most branches
//!   hold the 组织生活会 and 民主评议党员 in December, so they are still due;
//! - 综合管理党支部 as plainly 两张皮: business goals in its plan, Party work items that link
//!   to none of them, and meetings that are all study and never serve a goal.
//!
//! Like the rest of the demo it goes through the public store API and the forms of core, so
//! every rule applies and every write lands in the history and the audit log. Everything is
//! looked up by name, so it runs after [`crate::load_base`] on its own.

use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use ronghe_core::meeting::{AbsenteeForm, MeetingForm, MeetingKind};
use ronghe_core::plan::forms::{
    GoalForm, ItemForm, KpiForm, KpiValueForm, LinkForm, PlanForm, TaskForm, TaskUpdateForm,
};
use ronghe_core::plan::{Period, PlanStatus, TaskStatus};
use ronghe_core::scope::Scope;
use ronghe_core::text::FieldErrors;
use ronghe_core::Date;
use ronghe_store::{Actor, KpiRow, MemberRow, Org, Seat, Store, StoreError, StoreResult};
use std::collections::HashMap;

mod bureau;
mod institute;
mod lives;
mod meetings;
mod school;
mod spec;

use spec::*;

const YEAR: i32 = 2026;
const SEED: u64 = 2026_1126;

fn d(m: u32, day: u32) -> Date {
    Date::from_ymd_opt(YEAR, m, day).expect("valid demo date")
}

/// The date the demo is written for: no meeting or progress report is later.
fn as_of() -> Date {
    d(11, 26)
}

// ---------------------------------------------------------------------------------------------
// Loading.

/// What [`load`] created.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct DemoPlansSummary {
    pub plans: u64,
    pub goals: u64,
    pub kpi_values: u64,
    pub items: u64,
    pub links: u64,
    pub tasks: u64,
    pub task_updates: u64,
    pub meetings: u64,
}

/// The people of one organization.
struct People {
    org: Org,
    roster: Vec<MemberRow>,
    seats: Vec<Seat>,
}

impl People {
    fn secretary(&self) -> Option<i64> {
        self.seats
            .iter()
            .find(|s| s.role == "secretary")
            .map(|s| s.member_id)
    }

    /// Those not on the committee, by name.
    fn ordinary(&self) -> Vec<i64> {
        self.roster
            .iter()
            .filter(|m| !self.seats.iter().any(|s| s.member_id == m.id))
            .map(|m| m.id)
            .collect()
    }
}

struct Loader<'a> {
    store: &'a Store,
    actor: Actor,
    scope: Scope,
    today: Date,
    period: Period,
    rng: StdRng,
    people: HashMap<&'static str, People>,
    goals: HashMap<&'static str, i64>,
    items: HashMap<&'static str, i64>,
    summary: DemoPlansSummary,
}

fn invalid(what: &str, mut e: FieldErrors) -> StoreError {
    e.add("demo", format!("演示数据“{what}”未通过校验"));
    StoreError::Invalid(e)
}

fn date_text((month, day): (u32, u32)) -> String {
    d(month, day).to_string()
}

impl Loader<'_> {
    async fn people(&mut self, name: &'static str) -> StoreResult<&People> {
        if !self.people.contains_key(name) {
            let org = self
                .store
                .org_search(&self.scope, name, 5)
                .await?
                .into_iter()
                .find(|o| o.name == name)
                .ok_or_else(|| StoreError::field("demo", format!("演示组织“{name}”不存在")))?;
            let roster = self.store.meeting_roster(&self.scope, &org).await?;
            let seats = self.store.committee(org.id).await?;
            self.people.insert(name, People { org, roster, seats });
        }
        Ok(&self.people[name])
    }

    async fn who(&mut self, org: &'static str, who: Who) -> StoreResult<Option<i64>> {
        let p = self.people(org).await?;
        Ok(match who {
            Who::Secretary => p.secretary(),
            Who::Deputy => p
                .seats
                .iter()
                .find(|s| s.role == "deputy")
                .map(|s| s.member_id)
                .or_else(|| p.secretary()),
            Who::Duty(duty) => p
                .seats
                .iter()
                .find(|s| s.duty.as_deref() == Some(duty))
                .map(|s| s.member_id)
                .or_else(|| p.secretary()),
            Who::Member(n) => {
                let ordinary = p.ordinary();
                (!ordinary.is_empty()).then(|| ordinary[n % ordinary.len()])
            }
            Who::SecretaryOf(other) => self.people(other).await?.secretary(),
            Who::Account(username) => self
                .store
                .account_by_username(username)
                .await?
                .and_then(|a| a.member_id),
        })
    }

    fn goal(&self, key: &str) -> StoreResult<i64> {
        self.goals
            .get(key)
            .copied()
            .ok_or_else(|| StoreError::field("demo", format!("演示目标 {key} 未定义")))
    }

    fn item(&self, key: &str) -> StoreResult<i64> {
        self.items
            .get(key)
            .copied()
            .ok_or_else(|| StoreError::field("demo", format!("演示工作项 {key} 未定义")))
    }

    async fn plan(&mut self, spec: &PlanSpec) -> StoreResult<()> {
        let org_id = self.people(spec.org).await?.org.id;
        let input = PlanForm {
            org_id: org_id.to_string(),
            year: YEAR.to_string(),
            title: spec.title.into(),
        }
        .validate()
        .map_err(|e| invalid(spec.title, e))?;
        let plan = self
            .store
            .plan_create(&self.actor, &self.scope, &input)
            .await?;
        self.summary.plans += 1;

        // Business goals with their KPIs (the first typed with the goal, others added).
        let mut kpi_specs = Vec::new();
        for g in spec.goals {
            let first = &g.kpis[0];
            let form = GoalForm {
                title: g.title.into(),
                department: g.dept.into(),
                is_key: if g.is_key { "1" } else { "" }.into(),
                weight: String::new(),
                parent_goal_id: match g.parent {
                    Some(p) => self.goal(p)?.to_string(),
                    None => String::new(),
                },
                stated_by: g.stated_by.into(),
                kpi: kpi_form(first),
            };
            let input = form.validate().map_err(|e| invalid(g.title, e))?;
            let id = self
                .store
                .goal_create(&self.actor, &self.scope, plan, &input)
                .await?;
            self.goals.insert(g.key, id);
            self.summary.goals += 1;
            for k in &g.kpis[1..] {
                let input = kpi_form(k).validate().map_err(|e| invalid(k.name, e))?;
                self.store
                    .kpi_add(&self.actor, &self.scope, plan, id, &input)
                    .await?;
            }
            kpi_specs.extend(g.kpis.iter().map(|k| (id, k)));
        }

        // Actual values, month by month, as the business side entered or pushed them.
        let view = self.store.plan_view(&self.scope, plan).await?;
        let mut per_goal: HashMap<i64, Vec<&KpiRow>> = HashMap::new();
        for k in &view.kpis {
            per_goal.entry(k.goal_id).or_default().push(k);
        }
        let mut seen: HashMap<i64, usize> = HashMap::new();
        for (goal_id, spec_kpi) in kpi_specs {
            let n = seen.entry(goal_id).or_default();
            let row = per_goal[&goal_id][*n];
            *n += 1;
            let kpi = row.kpi();
            for entry in spec_kpi.values.split_whitespace() {
                let (month, value) = entry.split_once(':').unwrap_or((entry, ""));
                let month: u32 = month.parse().unwrap_or(0);
                let (month_text, value) = KpiValueForm {
                    month: format!("{YEAR}-{month:02}"),
                    value: value.into(),
                }
                .validate(&kpi, self.period)
                .map_err(|e| invalid(spec_kpi.name, e))?;
                let source = match spec_kpi.src {
                    Src::Page => "页面",
                    Src::Api => "接口",
                    Src::ApiFrom(from) if month >= from => "接口",
                    Src::ApiFrom(_) => "页面",
                };
                self.store
                    .kpi_value_set(&self.actor, &self.scope, row.id, &month_text, value, source)
                    .await?;
                self.summary.kpi_values += 1;
            }
        }

        // Party work items and their junction points.
        for i in spec.items {
            let owner = self.who(spec.org, i.owner).await?;
            let form = ItemForm {
                kind: i.kind.into(),
                title: i.title.into(),
                description: i.desc.into(),
                owner_member_id: owner.map(|o| o.to_string()).unwrap_or_default(),
                starts_on: date_text(i.from),
                ends_on: date_text(i.to),
            };
            let input = form
                .validate(self.period)
                .map_err(|e| invalid(i.title, e))?;
            let id = self
                .store
                .item_create(&self.actor, &self.scope, plan, &input)
                .await?;
            self.items.insert(i.key, id);
            self.summary.items += 1;
            for &(goal, kind, junction) in i.links {
                let input = LinkForm {
                    item_id: id.to_string(),
                    goal_id: self.goal(goal)?.to_string(),
                    junction: junction.into(),
                    kind: kind.into(),
                }
                .validate()
                .map_err(|e| invalid(junction, e))?;
                self.store
                    .link_create(&self.actor, &self.scope, plan, &input)
                    .await?;
                self.summary.links += 1;
            }
        }

        // Deployed together, then carried out together.
        for step in [PlanStatus::Deployed, PlanStatus::InProgress] {
            if step > spec.status {
                break;
            }
            self.store
                .plan_set_status(&self.actor, &self.scope, plan, step, None)
                .await?;
        }

        // Tasks from the items and goals, with the progress reported on them.
        for t in spec.tasks {
            let assignee = self.who(spec.org, t.who).await?;
            let (co, milestones) = task_extras(t.title);
            let mut assignee_ids = Vec::new();
            for who in co {
                assignee_ids.extend(self.who(spec.org, *who).await?.map(|m| m.to_string()));
            }
            let form = TaskForm {
                title: t.title.into(),
                item_id: t
                    .item
                    .map(|k| self.item(k))
                    .transpose()?
                    .map(|i| i.to_string())
                    .unwrap_or_default(),
                goal_id: t
                    .goal
                    .map(|k| self.goal(k))
                    .transpose()?
                    .map(|g| g.to_string())
                    .unwrap_or_default(),
                assignee_member_id: assignee.map(|a| a.to_string()).unwrap_or_default(),
                assignee_ids,
                business_owner: t.partner.into(),
                deadline: date_text(t.deadline),
                milestones: milestones
                    .iter()
                    .map(|(due, name, _)| format!("{} {name}", date_text(*due)))
                    .collect::<Vec<_>>()
                    .join("\n"),
            };
            let input = form
                .validate(self.period)
                .map_err(|e| invalid(t.title, e))?;
            let id = self
                .store
                .task_create(&self.actor, &self.scope, plan, &input)
                .await?;
            self.summary.tasks += 1;
            let stored = self.store.task_milestones(id).await?;
            for ((_, name, done), m) in milestones.iter().zip(&stored) {
                if let (Some(on), true) = (done, m.title == *name) {
                    self.store
                        .milestone_set_done(
                            &self.actor,
                            &self.scope,
                            &self.scope,
                            None,
                            id,
                            m.id,
                            Some(d(on.0, on.1)),
                        )
                        .await?;
                }
            }
            let mut status = TaskStatus::NotStarted;
            for &(to, percent, note) in t.updates {
                let input = TaskUpdateForm {
                    percent: percent.to_string(),
                    status: to.into(),
                    note: note.into(),
                }
                .validate(status)
                .map_err(|e| invalid(t.title, e))?;
                self.store
                    .task_update(
                        &self.actor,
                        &self.scope,
                        &self.scope,
                        None,
                        id,
                        &input,
                        None,
                    )
                    .await?;
                status = input.status;
                self.summary.task_updates += 1;
            }
            self.backdate_updates(id, d(t.deadline.0, t.deadline.1))
                .await?;
        }
        Ok(())
    }

    /// Demo progress reports are written now; date them as they would have been reported:
    /// a fortnight apart, the last a week before the deadline (and never after the demo date).
    async fn backdate_updates(&self, task_id: i64, deadline: Date) -> StoreResult<()> {
        let n = self.store.task_updates(task_id).await?.len();
        let last = (deadline - chrono::Duration::days(7)).min(as_of());
        let at: Vec<i64> = (0..n)
            .map(|i| {
                let back = (n - 1 - i) as i64 * 14;
                let on = (last - chrono::Duration::days(back)).max(d(1, 5));
                // 16:30 in the server's time zone, the one pages show times in.
                on.and_hms_opt(16, 30, 0)
                    .and_then(|t| t.and_local_timezone(chrono::Local).earliest())
                    .map_or(0, |t| t.timestamp_millis())
            })
            .collect();
        self.store.backdate_task_updates(task_id, &at).await
    }
}

fn kpi_form(k: &KpiSpec) -> KpiForm {
    KpiForm {
        kpi_name: k.name.into(),
        kpi_unit: k.unit.into(),
        kpi_direction: k.dir.into(),
        kpi_low: String::new(),
        kpi_high: String::new(),
        kpi_baseline: k.baseline.into(),
        kpi_target: k.target.into(),
        ..KpiForm::default()
    }
}

/// Adds the 2026 plans, tasks, KPI values and a year of meetings to the demo organizations.
pub async fn load(store: &Store) -> StoreResult<DemoPlansSummary> {
    let mut l = Loader {
        store,
        actor: Actor::system("演示数据"),
        scope: Scope::everything(),
        today: ronghe_store::today().max(as_of()),
        period: Period::new(YEAR),
        rng: StdRng::seed_from_u64(SEED),
        people: HashMap::new(),
        goals: HashMap::new(),
        items: HashMap::new(),
        summary: DemoPlansSummary::default(),
    };
    for spec in bureau::PLANS
        .iter()
        .chain(institute::PLANS)
        .chain(school::PLANS)
    {
        l.plan(spec).await?;
    }
    for spec in lives::LIVES {
        l.life(spec).await?;
    }
    Ok(l.summary)
}
