//! A committee in the browser: builds a template from the shipped example (a wrong weight
//! refused, then saved as a new version), runs it over its subtree, opens the "两张皮"
//! branch from the dashboard and reaches the links it is missing.

use super::*;

#[tokio::test]
async fn a_committee_builds_a_template_runs_it_and_finds_why_a_branch_drifts() {
    for b in backends() {
        let app = spawn(b).await;
        with_browser(1280, 1000, move |w| async move {
            w.login(&app.base, "dangwei").await;
            w.follow("考核评价", "#templates").await;
            w.shot(&format!("{b}-eval-01-home")).await;

            // A template from the 100-point example.
            w.select("#form-template [name='base']", "hundred").await;
            w.fill("#form-template [name='name']", "浏览器测试考核方案")
                .await;
            w.fill("#form-template [name='year']", "2026").await;
            w.submit("#form-template", "#form-template-edit").await;
            let path = w.path().await;
            let tpl = path
                .trim_start_matches("/evaluation/templates/")
                .to_string();
            assert!(tpl.parse::<i64>().is_ok(), "{b}: {path}");
            assert!(w.text().await.contains("第 1 版"), "{b}");

            // Weights summing to 105: refused, what was typed kept.
            w.fill("[name='i0.weight']", "25").await;
            w.submit("#form-template-edit", "p.alert").await;
            let page = w.text().await;
            assert!(
                page.contains("计分指标的分值合计应为 100，现为 105"),
                "{b}: {page}"
            );
            assert_eq!(
                w.prop("[name='i0.weight']", "value").await.as_deref(),
                Some("25")
            );
            w.shot(&format!("{b}-eval-02-refused")).await;
            w.fill("[name='i0.weight']", "20").await;
            w.fill("[name='note']", "核对分值").await;
            w.submit("#form-template-edit", "p.notice").await;
            assert!(w.text().await.contains("已保存为第 2 版"), "{b}");

            // Run it over the subtree.
            w.follow("去开展考核", "#form-run").await;
            w.select("#form-run [name='template']", &tpl).await;
            w.submit("#form-run", "#results").await;
            let run = w.text().await;
            assert!(
                run.contains("有“两张皮”倾向的组织") && run.contains("综合管理党支部"),
                "{b}"
            );
            w.shot(&format!("{b}-eval-03-run")).await;

            // From the dashboard to the branch that drifts, and on to what it is missing.
            w.follow("同步考核", "#runs").await;
            w.follow("总览看板", "#index").await;
            let first_row = w.text_of("#index tbody tr").await;
            assert!(
                first_row.contains("综合管理党支部") && first_row.contains("两张皮"),
                "{b}: {first_row}"
            );
            w.shot(&format!("{b}-eval-04-dashboard")).await;
            w.click_to("#index tbody tr a", "#lines").await;
            let result = w.text().await;
            assert!(
                result.contains("综合管理党支部") && result.contains("逐项得分"),
                "{b}"
            );
            assert!(result.contains("党建工作找到结合点"), "{b}");
            w.shot(&format!("{b}-eval-05-result")).await;
            w.follow("看计划中的原因和最见效的改进", "#orphans").await;
            let plan = w.text().await;
            assert!(plan.contains("未找到结合点的党建工作"), "{b}");
            assert!(plan.contains("为 4 项党建工作找到结合点"), "{b}: {plan}");
            w.shot(&format!("{b}-eval-06-missing-links")).await;
        })
        .await;
    }
}
