//! The demo's evaluations (同步考核): a 2025 year generated complete (as of its last day), then
//! for each demo committee a template per year and a run over its subtree: 2025 confirmed with
//! the committee's own grades entered, 2026 a draft with some of them entered. So the run
//! pages, the dashboard and the trend over years have something to say: 综合管理党支部 stands
//! out in 2026 as 两张皮, and why is one click away.

use ronghe_core::evaluation::templates::{hundred_points, star_rating};
use ronghe_core::evaluation::{Grade, Input, Template};
use ronghe_core::scope::Scope;
use ronghe_core::Date;
use ronghe_store::{rescore, Actor, ManualRow, Org, Store, StoreError, StoreResult};

fn d(y: i32, m: u32, day: u32) -> Date {
    Date::from_ymd_opt(y, m, day).expect("valid demo date")
}

pub(crate) async fn org_named(store: &Store, name: &str) -> StoreResult<Org> {
    store
        .org_search(&Scope::everything(), name, 5)
        .await?
        .into_iter()
        .find(|o| o.name == name)
        .ok_or(StoreError::NotFound)
}

/// A committee's grade for an organization, by its name: most 较好, some 好, one 一般.
fn grade_for(name: &str, year: i32) -> Grade {
    match (name, year) {
        ("综合管理党支部", _) => Grade::Average,
        ("检定校准党支部", _) | ("高三年级党支部", 2025) => Grade::Good,
        (_, 2025) if name.contains("教") => Grade::Good,
        _ => Grade::FairlyGood,
    }
}

struct Plan {
    committee: &'static str,
    template: fn() -> Template,
    /// The graded indicator's code.
    graded: &'static str,
    reason: &'static str,
}

const PLANS: [Plan; 3] = [
    Plan {
        committee: "市市场监督管理局机关党委",
        template: hundred_points,
        graded: "party_grade",
        reason: "年度党支部书记抓党建述职评议",
    },
    Plan {
        committee: "市计量测试研究院党总支",
        template: hundred_points,
        graded: "party_grade",
        reason: "党总支委员会年度评议",
    },
    Plan {
        committee: "市第十二中学党委",
        template: star_rating,
        graded: "evaluated",
        reason: "校党委年度综合评价",
    },
];

/// The bureau's 2026 同步检查, before its 2026 run: one rectification overdue (综合管理党支部,
/// which the run then deducts), one reported and waiting for verification, one verified.
async fn inspection_round(
    store: &Store,
    actor: &Actor,
    bureau: &Org,
    template: i64,
) -> StoreResult<()> {
    use ronghe_core::inspection::{FindingInput, Severity};
    let all = Scope::everything();
    let round = store
        .round_create(
            actor,
            &all,
            bureau,
            2026,
            "2026 年党建与业务工作同步检查",
            Some(template),
        )
        .await?;
    let round = store.round_get(&all, round).await?;
    let findings = [
        (
            "综合管理党支部",
            Severity::Major,
            "links",
            "计划中 4 项党建工作都没有找到服务的业务目标，组织生活记录也都没有关联业务目标",
            "支委会逐项研究党建工作服务哪个业务目标、结合点是什么，并在计划中建立关联",
            "综合管理党支部书记",
            d(2026, 10, 31),
        ),
        (
            "科研质量党支部",
            Severity::Minor,
            "life",
            "7 月、8 月未开展主题党日，第三季度党员大会未召开",
            "补开党员大会，并在计划中安排第四季度的主题党日",
            "科研质量党支部书记",
            d(2026, 9, 30),
        ),
        (
            "检定校准党支部",
            Severity::Minor,
            "party_items",
            "党建工作项的进度没有及时报告",
            "每月底前在计划中报告党建工作项的进度",
            "检定校准党支部组织委员",
            d(2026, 8, 31),
        ),
    ];
    for (i, (org, severity, item, description, action, owner, deadline)) in
        findings.into_iter().enumerate()
    {
        let org = org_named(store, org).await?;
        let id = store
            .finding_create(
                actor,
                &round,
                &FindingInput {
                    org_id: org.id,
                    severity,
                    item: Some(item.into()),
                    description: description.into(),
                    action: action.into(),
                    owner: owner.into(),
                    deadline,
                },
            )
            .await?;
        if i >= 1 {
            let f = store.finding_get(&all, id).await?;
            store
                .finding_submit(
                    actor,
                    &f,
                    "已召开支委会研究整改措施，按要求补开会议并录入会议记录",
                    deadline - chrono::Duration::days(10),
                )
                .await?;
        }
        if i == 2 {
            let f = store.finding_get(&all, id).await?;
            store.finding_verify(actor, &f, deadline).await?;
        }
    }
    Ok(())
}

/// Adds the 2025 year and the evaluations. Runs after [`crate::plans::load`].
pub async fn load(store: &Store) -> StoreResult<()> {
    crate::gen_year::generate_year_as_of(store, 2025, 2025_1231, d(2025, 12, 31), &|_, _| {})
        .await?;
    let actor = Actor::system("演示数据");
    let all = Scope::everything();
    let today = ronghe_store::today().max(d(2026, 11, 26));
    for p in PLANS {
        let org = org_named(store, p.committee).await?;
        for year in [2025, 2026] {
            let mut t = (p.template)();
            t.name = format!(
                "{year} 年度{}",
                t.name
                    .trim_end_matches("（百分制示例）")
                    .trim_end_matches("（示例）")
            );
            let tid = store
                .eval_template_create(&actor, &all, &org, year, &t)
                .await?;
            let template = store.eval_template_get(&all, tid).await?;
            if year == 2026 && p.committee == "市市场监督管理局机关党委" {
                inspection_round(store, &actor, &org, tid).await?;
            }
            let results = store.eval_compute(&org, year, &t, &[], today).await?;
            let as_of = today.min(d(year, 12, 31));
            let note = if year == 2025 {
                "年终考核"
            } else {
                "年度考核（进行中）"
            };
            let run_id = store
                .eval_run_create(
                    &actor,
                    template.version_id,
                    &org,
                    year,
                    as_of,
                    None,
                    Some(note),
                    &results,
                )
                .await?;
            let run = store.eval_run_get(&all, run_id).await?;
            // The committee's own grades: all of them for 2025, the first two for 2026.
            let take = if year == 2025 { results.len() } else { 2 };
            let Some(ind) = t.indicators.iter().find(|i| i.code == p.graded) else {
                continue;
            };
            for r in results.iter().take(take) {
                let stored = store.eval_result(run_id, r.org_id).await?;
                let grade = grade_for(&stored.org_name, year);
                let input = Input::Grade { grade };
                let row = ManualRow {
                    org_id: r.org_id,
                    code: p.graded.into(),
                    input: input.clone(),
                    reason: p.reason.into(),
                    entered_by: "演示数据".into(),
                    entered_at: 0,
                };
                let rescored = rescore(&t, &stored, p.graded, input, std::slice::from_ref(&row));
                let what = format!(
                    "人工录入「{}」的「{}」：{}（理由：{}）",
                    stored.org_name,
                    ind.name,
                    grade.label(),
                    p.reason
                );
                store
                    .eval_manual_set(&actor, &run, &row, &rescored, &what)
                    .await?;
            }
            if year == 2025 {
                let run = store.eval_run_get(&all, run_id).await?;
                store.eval_run_confirm(&actor, &run).await?;
            }
        }
    }
    Ok(())
}
