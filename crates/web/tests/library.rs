//! 品牌化 on every backend: brands and their stages, a case's workflow from Word, two
//! instances' indexes kept in step; the pages and API in `library/pages.rs`.

mod common;
/// The library through its pages and API: hostile uploads, two running servers, attachments.
#[path = "library/pages.rs"]
mod pages;

use common::*;
use ronghe_core::library::{BrandForm, BrandStage};
use ronghe_core::scope::Scope;
use ronghe_store::{Actor, StoreError};

#[tokio::test]
async fn a_brand_grows_stage_by_stage_by_the_committee_above() {
    for backend in backends() {
        let app = spawn(backend).await;
        let store = &app.store;
        let all = Scope::everything();
        // 检定校准党支部 (4) under 研究院党总支 (3) under 机关党委 (1); 综合管理党支部 (6) beside it.
        let branch = store.org_get(&all, 4).await.unwrap();
        let committee = store.org_get(&all, 1).await.unwrap();
        let plans = store.plan_list(&all, Some(2026), Some(4)).await.unwrap();
        let own = store.plan_view(&all, plans[0].id).await.unwrap();
        let goal = own.goals[0].id;
        let other = store.plan_list(&all, Some(2026), Some(6)).await.unwrap();
        let other_goal = store.plan_view(&all, other[0].id).await.unwrap().goals[0].id;

        let mut branch_scope = Scope::none();
        branch_scope.add_org(&branch.path);
        let mut committee_scope = Scope::none();
        committee_scope.add_subtree(&committee.path);
        let secretary = Actor::system("zhibu");
        let form = BrandForm {
            name: "计量先锋".into(),
            slogan: "精准计量 服务发展".into(),
            description: "以检定能力建设带动支部建设".into(),
            goal_ids: vec![goal],
        };
        // Another organization's goal is refused at the field, nothing stored.
        let bad = BrandForm {
            goal_ids: vec![other_goal],
            ..form.clone()
        };
        match store
            .brand_create(&secretary, &branch_scope, &branch, &bad)
            .await
        {
            Err(StoreError::Invalid(e)) => {
                assert_eq!(
                    e.get("goal_ids"),
                    Some("只能关联本组织工作计划中的业务目标")
                )
            }
            other => panic!("{backend}: {other:?}"),
        }
        // The demo's own brands are there already; nothing was added.
        let demo_brands = store.brand_list(&all, &committee).await.unwrap();
        assert_eq!(demo_brands.len(), 3, "{backend}");

        let id = store
            .brand_create(&secretary, &branch_scope, &branch, &form)
            .await
            .unwrap();
        let brand = store.brand_get(&branch_scope, id).await.unwrap();
        assert_eq!(
            (brand.stage, brand.goal_ids.clone()),
            (BrandStage::Cultivating, vec![goal])
        );
        // The sibling branch does not see it.
        let mut sibling = Scope::none();
        sibling.add_org("/1/3/6/");
        assert!(matches!(
            store.brand_get(&sibling, id).await,
            Err(StoreError::NotFound)
        ));

        // The branch cannot name its own brand; the committee moves it one step with a reason.
        let own_move = store
            .brand_stage_move(
                &secretary,
                &branch_scope,
                &brand,
                &branch,
                BrandStage::Building,
                "自评",
            )
            .await;
        assert!(matches!(own_move, Err(StoreError::Forbidden)), "{backend}");
        let dangwei = Actor::system("dangwei");
        let skip = store
            .brand_stage_move(
                &dangwei,
                &committee_scope,
                &brand,
                &committee,
                BrandStage::Named,
                "跳级",
            )
            .await;
        assert!(matches!(skip, Err(StoreError::Invalid(_))), "{backend}");
        store
            .brand_stage_move(
                &dangwei,
                &committee_scope,
                &brand,
                &committee,
                BrandStage::Building,
                "已形成工作机制",
            )
            .await
            .unwrap();
        let brand = store.brand_get(&committee_scope, id).await.unwrap();
        assert_eq!(brand.stage, BrandStage::Building);
        let steps = store.brand_stages(&brand).await.unwrap();
        assert_eq!(steps.len(), 2);
        assert_eq!(steps[1].reason, "已形成工作机制");
        // A stale stage (someone moved it meanwhile) is refused, not applied twice.
        let stale = ronghe_store::Brand {
            stage: BrandStage::Cultivating,
            ..brand.clone()
        };
        assert!(store
            .brand_stage_move(
                &dangwei,
                &committee_scope,
                &stale,
                &committee,
                BrandStage::Building,
                "重复"
            )
            .await
            .is_err());
        let listed = store
            .brand_list(&committee_scope, &committee)
            .await
            .unwrap();
        assert_eq!(listed.len(), demo_brands.len() + 1);
        assert!(listed
            .iter()
            .any(|b| b.id == id && b.stage == BrandStage::Building));
        // Audited in words.
        let log = store
            .audit_list(&ronghe_store::AuditFilter::default())
            .await
            .unwrap();
        assert!(
            log.items.iter().any(|r| r
                .detail
                .contains("由“培育”调整为“创建”（理由：已形成工作机制）")),
            "{backend}"
        );
    }
}

#[tokio::test]
async fn a_case_from_word_is_reviewed_published_reported_and_taken_down() {
    use ronghe_core::library::{CaseAction, CaseForm, CaseStatus, Reach, ReadContext};
    use ronghe_office::docx::{self, Block};
    for backend in backends() {
        let app = spawn(backend).await;
        let store = &app.store;
        let all = Scope::everything();
        let branch = store.org_get(&all, 4).await.unwrap();
        let committee = store.org_get(&all, 1).await.unwrap();
        let mut branch_scope = Scope::none();
        branch_scope.add_org(&branch.path);
        let mut committee_scope = Scope::none();
        committee_scope.add_subtree(&committee.path);
        let mut sibling_scope = Scope::none();
        sibling_scope.add_org("/1/3/6/");
        let author_side = ReadContext {
            scope: &branch_scope,
            home: Some(&branch.path),
        };
        let reviewer = ReadContext {
            scope: &committee_scope,
            home: None,
        };
        let sibling = ReadContext {
            scope: &sibling_scope,
            home: Some("/1/3/6/"),
        };
        let nobody = Scope::none();
        let elsewhere = ReadContext {
            scope: &nobody,
            home: Some("/7/"),
        };

        let blocks = vec![
            Block::Heading {
                level: 1,
                text: "以“计量先锋岗”带动检定能力提升".into(),
            },
            Block::Paragraph("支部把检定任务分解到党员责任区，每月例会通报进度。".into()),
            Block::Heading {
                level: 2,
                text: "成效".into(),
            },
            Block::Paragraph("检定及时率由 91% 提高到 98%。".into()),
        ];
        let bytes = docx::write("以“计量先锋岗”带动检定能力提升", &blocks);
        let document = docx::read(&bytes, &docx::Limits::default()).unwrap();
        let file = ronghe_store::NewAttachment::new("计量先锋岗经验.docx", bytes).unwrap();
        let form = CaseForm {
            tags: vec!["党建+计量".into()],
            ..Default::default()
        };
        let secretary = Actor::system("zhibu");
        let id = store
            .case_create(
                &secretary,
                &branch_scope,
                &branch,
                &form,
                Some(ronghe_store::CaseOriginal { file, document }),
                2026,
            )
            .await
            .unwrap();
        let case = store.case_get(&author_side, id).await.unwrap();
        assert_eq!(case.title, "以“计量先锋岗”带动检定能力提升");
        assert_eq!(case.status, CaseStatus::Draft);
        assert!(
            case.preview[0].contains("<h2>以“计量先锋岗”带动检定能力提升</h2>"),
            "{backend}"
        );
        assert!(case.body.contains("检定及时率由 91% 提高到 98%"));
        assert_eq!(
            case.original.as_ref().map(|o| o.1.as_str()),
            Some("计量先锋岗经验.docx")
        );
        assert!(case.number.starts_with("DJAL-2026-"));
        // A draft is the author's and the committee's only.
        assert!(store.case_get(&reviewer, id).await.is_ok());
        assert!(matches!(
            store.case_get(&sibling, id).await,
            Err(StoreError::NotFound)
        ));

        // Out of turn: the committee cannot submit, the branch cannot publish or publish a draft.
        let dangwei = Actor::system("dangwei");
        let wrong = store
            .case_act(
                &dangwei,
                &committee_scope,
                &case,
                &committee,
                &CaseAction::Submit,
            )
            .await;
        assert!(matches!(wrong, Err(StoreError::Forbidden)), "{backend}");
        let wrong = store
            .case_act(
                &secretary,
                &branch_scope,
                &case,
                &branch,
                &CaseAction::Publish(Reach::All),
            )
            .await;
        assert!(matches!(wrong, Err(StoreError::Forbidden)), "{backend}");
        let wrong = store
            .case_act(
                &dangwei,
                &committee_scope,
                &case,
                &committee,
                &CaseAction::Publish(Reach::All),
            )
            .await;
        assert!(
            matches!(wrong, Err(StoreError::Invalid(_))),
            "{backend} {wrong:?}"
        );

        // Submitted, returned with comments the author reads, submitted again, published.
        store
            .case_act(
                &secretary,
                &branch_scope,
                &case,
                &branch,
                &CaseAction::Submit,
            )
            .await
            .unwrap();
        let case = store.case_get(&reviewer, id).await.unwrap();
        let back = CaseAction::Return {
            comment: "请补充党员责任区的具体划分".into(),
        };
        store
            .case_act(&dangwei, &committee_scope, &case, &committee, &back)
            .await
            .unwrap();
        let case = store.case_get(&author_side, id).await.unwrap();
        assert_eq!(
            (case.status, case.decision_note.as_deref()),
            (CaseStatus::Returned, Some("请补充党员责任区的具体划分"))
        );
        store
            .case_act(
                &secretary,
                &branch_scope,
                &case,
                &branch,
                &CaseAction::Submit,
            )
            .await
            .unwrap();
        let case = store.case_get(&reviewer, id).await.unwrap();
        store
            .case_act(
                &dangwei,
                &committee_scope,
                &case,
                &committee,
                &CaseAction::Publish(Reach::Subtree),
            )
            .await
            .unwrap();
        // Published to the committee's subtree: the sibling reads it, another city does not.
        let case = store.case_get(&sibling, id).await.unwrap();
        assert_eq!(
            (case.status, case.reach),
            (CaseStatus::Published, Some(Reach::Subtree))
        );
        assert!(matches!(
            store.case_get(&elsewhere, id).await,
            Err(StoreError::NotFound)
        ));

        // A reader reports it (a reason is required); the committee takes it down with a reason.
        let reader = Actor::system("dangyuan");
        assert!(matches!(
            store.case_report(&reader, &case, " ").await,
            Err(StoreError::Invalid(_))
        ));
        store
            .case_report(&reader, &case, "文中数据与公开数据不一致")
            .await
            .unwrap();
        assert_eq!(store.case_reports_open(&case).await.unwrap().len(), 1);
        let down = CaseAction::TakeDown {
            reason: "数据有误，请核实后重新提交".into(),
        };
        store
            .case_act(&dangwei, &committee_scope, &case, &committee, &down)
            .await
            .unwrap();
        let case = store.case_get(&author_side, id).await.unwrap();
        assert_eq!(
            (case.status, case.decision_note.as_deref()),
            (CaseStatus::TakenDown, Some("数据有误，请核实后重新提交"))
        );
        assert!(matches!(
            store.case_get(&sibling, id).await,
            Err(StoreError::NotFound)
        ));
        // A stale step (the case moved meanwhile) is refused.
        let stale = ronghe_store::Case {
            status: CaseStatus::Submitted,
            ..case.clone()
        };
        assert!(store
            .case_act(
                &dangwei,
                &committee_scope,
                &stale,
                &committee,
                &CaseAction::Publish(Reach::All)
            )
            .await
            .is_err());
        let kinds: Vec<String> = store
            .case_events(&case)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.kind)
            .collect();
        assert_eq!(
            kinds,
            [
                "created",
                "submitted",
                "returned",
                "submitted",
                "published",
                "taken_down"
            ]
        );
    }
}

/// A second instance on the same database: its own store and its own index.
async fn second_instance(app: &TestApp) -> ronghe_store::Store {
    let url = match (&app.db_file, &app.pg_db) {
        (Some(f), _) => format!("sqlite://{}", f.display()),
        (_, Some(name)) => format!("{}/{name}", std::env::var("RONGHE_TEST_PG").unwrap()),
        _ => unreachable!(),
    };
    ronghe_store::Store::open(&url, app.dir.path())
        .await
        .unwrap()
}

#[tokio::test]
async fn two_instances_on_one_database_keep_their_indexes_in_step() {
    use ronghe_core::library::{CaseAction, CaseForm, Reach, ReadContext};
    use ronghe_search::SearchQuery;
    use ronghe_web::library_search::SearchFollower;
    for backend in backends() {
        let app = spawn(backend).await;
        let (a, b) = (&app.store, second_instance(&app).await);
        let (ix_a, ix_b) = (
            SearchFollower::open(None).unwrap(),
            SearchFollower::open(None).unwrap(),
        );
        // The demo's published cases, in both.
        let demo = a.case_published_ids().await.unwrap().len();
        assert!(demo >= 20, "{backend}: {demo}");
        assert_eq!(ix_a.rebuild(a).await.unwrap(), demo);
        assert_eq!(ix_b.rebuild(&b).await.unwrap(), demo);

        // A case written and published through instance A.
        let all = Scope::everything();
        let branch = a.org_get(&all, 4).await.unwrap();
        let committee = a.org_get(&all, 1).await.unwrap();
        let form = CaseForm {
            title: "星火驿站进社区".into(),
            body: "支部在社区设立星火驿站，党员轮流值守。\n每周开办一次夜校课堂，讲解计量常识。"
                .into(),
            tags: vec!["党建+计量".into()],
            ..Default::default()
        };
        let actor = Actor::system("zhibu");
        let id = a
            .case_create(&actor, &all, &branch, &form, None, 2026)
            .await
            .unwrap();
        let ctx = ReadContext {
            scope: &all,
            home: None,
        };
        let case = a.case_get(&ctx, id).await.unwrap();
        a.case_act(&actor, &all, &case, &branch, &CaseAction::Submit)
            .await
            .unwrap();
        let case = a.case_get(&ctx, id).await.unwrap();
        a.case_act(
            &actor,
            &all,
            &case,
            &committee,
            &CaseAction::Publish(Reach::All),
        )
        .await
        .unwrap();

        // Instance B follows the log and finds it by two words that stand apart.
        let q = SearchQuery {
            text: "驿站 夜校".into(),
            limit: 10,
            ..Default::default()
        };
        assert!(ix_b.index.search(&q).unwrap().is_empty());
        assert_eq!(ix_b.follow(&b).await.unwrap(), 1, "{backend}");
        let hits = ix_b.index.search(&q).unwrap();
        assert_eq!(
            hits.iter().map(|h| h.id).collect::<Vec<_>>(),
            vec![id],
            "{backend}"
        );
        assert!(hits[0].snippet.contains("<b>"), "{}", hits[0].snippet);
        // Nothing new: nothing applied.
        assert_eq!(ix_b.follow(&b).await.unwrap(), 0);

        // Taken down through B: A's index drops it once it follows.
        ix_a.follow(a).await.unwrap();
        assert_eq!(ix_a.index.search(&q).unwrap().len(), 1);
        let case = b.case_get(&ctx, id).await.unwrap();
        let down = CaseAction::TakeDown {
            reason: "内容需更新".into(),
        };
        b.case_act(&actor, &all, &case, &committee, &down)
            .await
            .unwrap();
        ix_a.follow(a).await.unwrap();
        assert!(ix_a.index.search(&q).unwrap().is_empty(), "{backend}");
        // A rebuild from the database agrees.
        assert_eq!(ix_b.rebuild(&b).await.unwrap(), demo);
        b.close().await;
    }
}
