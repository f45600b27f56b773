//! 品牌化: brands and their stages in the store, on every backend (pages and the case library
//! come next).

mod common;

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
        // 检定校准党支部 (4) under 机关党委 (1); 综合管理党支部 (6) beside it.
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
        assert!(store.brand_list(&all, &committee).await.unwrap().is_empty());

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
        sibling.add_org("/1/6/");
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
        assert_eq!(listed.iter().map(|b| b.id).collect::<Vec<_>>(), vec![id]);
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
