//! The integration index (融合度) on the plan page: the demo's 综合管理党支部 keeps two plans
//! that never meet ("两张皮") and is told what would help most; the 检定校准党支部 is not.

use super::*;

async fn plan_of(app: &TestApp, org: &str) -> i64 {
    let org = app
        .store
        .org_search(&Scope::everything(), org, 1)
        .await
        .unwrap()
        .remove(0);
    let year = chrono::Datelike::year(&ronghe_store::today());
    app.store
        .plan_list(&Scope::everything(), Some(year.into()), Some(org.id))
        .await
        .unwrap()[0]
        .id
}

fn section(html: &str) -> String {
    let start = html
        .find("id=\"integration\"")
        .expect("an integration section");
    let end = html[start..].find("</section>").unwrap() + start;
    html[start..end].to_string()
}

#[tokio::test]
async fn the_plan_page_shows_the_integration_index_and_what_would_raise_it() {
    for b in backends() {
        let app = spawn(b).await;
        let c = app.login("dangwei").await;
        let drifting = plan_of(&app, "综合管理党支部").await;
        let s = section(&page(&c, &app, &format!("/plans/{drifting}")).await);
        assert!(s.contains("两张皮") && s.contains("最见效的是"), "{b}: {s}");
        assert!(
            s.contains("为 4 项党建工作找到结合点，G 由 0.00 升至 0.50"),
            "{b}: {s}"
        );
        assert!(s.contains("次会议尚未关联目标"), "{b}");
        // Every figure is explained, the traditional coupling beside the corrected one.
        assert!(
            s.contains("每个数是怎样算出来的") && s.contains("传统公式的耦合度"),
            "{b}"
        );
        // The API answers the same figures with their explanations.
        let token = app.token("dangwei").await;
        let v: serde_json::Value = client()
            .get(app.url(&format!("/api/v1/plans/{drifting}")))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let x = &v["integration"]["index"];
        assert!(
            x["index"].as_f64().unwrap() < 0.5 && x["warning"].is_string(),
            "{b}: {x}"
        );
        assert_eq!(x["obstacles"][0]["code"], "meetings_unlinked", "{b}: {x}");
        assert!(
            x["coupling"]["c_traditional"].as_f64().unwrap()
                >= x["coupling"]["c"].as_f64().unwrap()
        );
        let united = plan_of(&app, "检定校准党支部").await;
        let s = section(&page(&c, &app, &format!("/plans/{united}")).await);
        assert!(s.contains("深度融合") && !s.contains("两张皮"), "{b}: {s}");
    }
}

#[tokio::test]
async fn a_committee_sees_its_subtrees_integration_lowest_first() {
    for b in backends() {
        let app = spawn(b).await;
        let c = app.login("dangwei").await;
        let home = page(&c, &app, "/").await;
        assert!(
            home.contains("/orgs/1/integration"),
            "{b}: linked from the home card"
        );
        let html = page(&c, &app, "/orgs/1/integration").await;
        assert!(
            html.contains("其中 <strong>1</strong> 个融合度低于 0.50"),
            "{b}"
        );
        // The 两张皮 branch comes first, with what would help most, linked to its explanation.
        let first = html.find("<tbody>").map(|i| &html[i..]).unwrap();
        let row = &first[..first.find("</tr>").unwrap()];
        assert!(
            row.contains("综合管理党支部") && row.contains("两张皮"),
            "{b}: {row}"
        );
        assert!(
            row.contains("#integration") && row.contains("融合度 +"),
            "{b}: {row}"
        );
        // Another subtree's committee does not get in.
        let other = app.login("xuexiao").await;
        let res = other
            .get(app.url("/orgs/1/integration"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404, "{b}");
    }
}
