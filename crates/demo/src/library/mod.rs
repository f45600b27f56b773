//! The demo's 品牌化: four brands at their stages and about thirty cases written for the demo
//! organizations, each taken through the workflow (submitted, published by the committee
//! above, returned with comments, or left a draft), one of them uploaded as a Word document
//! the demo writes itself. Everything goes through the store's public API.

mod texts;

use crate::evaluation::org_named;
use ronghe_core::library::{BrandForm, BrandStage, CaseAction, CaseForm, CaseKind, Reach};
use ronghe_core::scope::Scope;
use ronghe_office::docx::{self, Block, Limits};
use ronghe_store::{Actor, CaseOriginal, NewAttachment, Org, Store, StoreError, StoreResult};
use texts::{Fate, BRANDS, CASES, WORD_TITLE};

async fn parent(store: &Store, org: &Org) -> StoreResult<Org> {
    let id = org.parent_id.ok_or(StoreError::NotFound)?;
    store.org_get(&Scope::everything(), id).await
}

/// The Word document of the demo's uploaded case: a year's summary of a brand, long enough
/// for a preview of several pages, with headings, a list and a table.
pub fn word_summary() -> Vec<u8> {
    let h = |level: u8, text: &str| Block::Heading {
        level,
        text: text.into(),
    };
    let p = |text: &str| Block::Paragraph(text.into());
    let li = |text: &str| Block::ListItem {
        level: 0,
        ordered: true,
        text: text.into(),
    };
    let mut blocks = vec![
        h(1, WORD_TITLE),
        p("今年以来，检定校准党支部围绕院里的检定任务和标准装置建设两项重点，把“精准计量先锋”品牌建设写进支部年度计划，与业务目标同部署、同检查。现将品牌建设情况总结如下。"),
        h(2, "一、主要做法"),
        li("党员责任区落在实验室：六个实验室各由一名党员牵头，任务清单就是检定计划。"),
        li("先锋岗设在攻关一线：电能表标准装置建设由党员攻关小组承担，节点写进支部计划。"),
        li("服务队走进企业：每月两天到园区上门检定，讲解器具维护知识。"),
    ];
    for (i, lab) in ["长度", "热工", "力学", "电学", "化学", "声学"]
        .iter()
        .enumerate()
    {
        blocks.push(p(&format!(
            "{lab}实验室责任区。责任党员每周核对本实验室的检定计划与实际进度，积压件当周认领、超期件当场说明原因；支委会每月通报，第{}个月起积压件稳定在个位数。实验室的做法是：把客户送检的时间要求写在任务单上，党员先做最急的，青年人员跟着做，做完一件销一件。一年下来，{lab}实验室的检定及时率、原始记录合格率都有明显提高，客户回访中对服务态度的评价也更好了。",
            i + 3
        )));
    }
    blocks.extend([
        h(2, "二、取得的成效"),
        Block::Table(vec![
            vec!["指标".into(), "年初".into(), "年末".into()],
            vec!["检定及时率".into(), "91%".into(), "98%".into()],
            vec!["月均积压件".into(), "120 件".into(), "28 件".into()],
            vec!["客户投诉".into(), "14 起".into(), "7 起".into()],
        ]),
        p("电能表标准装置提前两个月通过建标考核投入使用，每年可为辖区企业减少送外检定费用约四十万元。全年上门服务企业八十六家，企业送检时间平均缩短三天。"),
        h(2, "三、体会和下一步打算"),
        p("品牌要长在业务上：责任区、先锋岗、服务队的任务都取自业务计划，成效都看业务数据，党员不为党建另填表。下一步，支部将把“首检即办”绿色通道纳入品牌建设，继续以检定及时率和客户满意度检验品牌成效。"),
    ]);
    docx::write(WORD_TITLE, &blocks)
}

/// Loads the brands and cases. Runs after the plans (cases name their goals and items).
pub async fn load(store: &Store) -> StoreResult<()> {
    let actor = Actor::system("演示数据");
    let all = Scope::everything();
    let year = 2026;
    for b in &BRANDS {
        let org = org_named(store, b.org).await?;
        let choices = store.case_choices(&org).await?;
        let form = BrandForm {
            name: b.name.into(),
            slogan: b.slogan.into(),
            description: b.description.into(),
            goal_ids: choices
                .goals
                .iter()
                .filter(|g| g.2 == i64::from(year))
                .take(2)
                .map(|g| g.0)
                .collect(),
        };
        let id = store.brand_create(&actor, &all, &org, &form).await?;
        let above = parent(store, &org).await?;
        let reasons = [
            "经党总支评审，品牌定位清楚、载体落在业务一线，同意进入创建阶段",
            "创建期成效明显，业务指标提升有数据支撑，予以命名",
        ];
        for (to, reason) in [BrandStage::Building, BrandStage::Named]
            .iter()
            .zip(reasons)
            .take(b.steps)
        {
            let brand = store.brand_get(&all, id).await?;
            store
                .brand_stage_move(&actor, &all, &brand, &above, *to, reason)
                .await?;
        }
    }
    for c in &CASES {
        let org = org_named(store, c.org).await?;
        let form = form_for(store, &org, c, year).await?;
        let id = store
            .case_create(&actor, &all, &org, &form, None, year)
            .await?;
        take_through(store, &actor, &org, id, c.fate).await?;
    }
    // The one uploaded from Word, as a secretary would.
    let org = org_named(store, "检定校准党支部").await?;
    let bytes = word_summary();
    let document = docx::read(&bytes, &Limits::default())
        .map_err(|e| StoreError::field("document", e.to_string()))?;
    let file = NewAttachment::new("精准计量先锋品牌建设工作总结.docx", bytes)
        .map_err(|m| StoreError::field("document", m))?;
    let mut form = form_for(store, &org, &CASES[0], year).await?;
    form.title = String::new();
    form.body = String::new();
    form.summary =
        "支部“精准计量先锋”品牌一年来的做法、成效和体会，附检定及时率等指标的年初年末对比。".into();
    form.kind = CaseKind::Experience;
    let id = store
        .case_create(
            &actor,
            &all,
            &org,
            &form,
            Some(CaseOriginal { file, document }),
            year,
        )
        .await?;
    take_through(store, &actor, &org, id, Fate::All).await
}

async fn form_for(
    store: &Store,
    org: &Org,
    c: &texts::DemoCase,
    year: i32,
) -> StoreResult<CaseForm> {
    let choices = store.case_choices(org).await?;
    let this_year = |y: &i64| *y == i64::from(year);
    Ok(CaseForm {
        kind: if c.achievement {
            CaseKind::Achievement
        } else {
            CaseKind::Experience
        },
        title: c.title.into(),
        summary: c.summary.into(),
        body: c.body.into(),
        tags: c.tags.iter().map(|t| t.to_string()).collect(),
        author_ids: choices.members.iter().take(2).map(|m| m.0).collect(),
        brand_id: choices.brands.first().map(|b| b.0),
        goal_ids: choices
            .goals
            .iter()
            .filter(|g| this_year(&g.2))
            .take(1)
            .map(|g| g.0)
            .collect(),
        item_ids: choices
            .items
            .iter()
            .filter(|i| this_year(&i.2))
            .take(1)
            .map(|i| i.0)
            .collect(),
    })
}

async fn take_through(
    store: &Store,
    actor: &Actor,
    org: &Org,
    id: i64,
    fate: Fate,
) -> StoreResult<()> {
    if fate == Fate::Draft {
        return Ok(());
    }
    let all = Scope::everything();
    let ctx = ronghe_core::library::ReadContext {
        scope: &all,
        home: None,
    };
    let case = store.case_get(&ctx, id).await?;
    store
        .case_act(actor, &all, &case, org, &CaseAction::Submit)
        .await?;
    let step = match fate {
        Fate::All => CaseAction::Publish(Reach::All),
        Fate::Subtree => CaseAction::Publish(Reach::Subtree),
        Fate::Returned(comment) => CaseAction::Return {
            comment: comment.into(),
        },
        Fate::Submitted | Fate::Draft => return Ok(()),
    };
    let above = parent(store, org).await?;
    let case = store.case_get(&ctx, id).await?;
    store.case_act(actor, &all, &case, &above, &step).await?;
    Ok(())
}
