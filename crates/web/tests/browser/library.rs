//! The case library in the browser: a branch secretary uploads a Word document and pages
//! through its preview, submits it; the 党总支 above publishes it; a reader from another
//! Party body finds it by two words that stand apart, opens a related case and reports it;
//! the 党总支 takes it down; the secretary is told why.

use super::*;
use ronghe_office::docx::{self, Block};

/// A summary long enough for two preview pages, in which 恒温恒湿 and 比对试验 stand apart
/// (and appear in no demo case).
fn summary_docx() -> Vec<u8> {
    let para = "支部党员分工负责各实验室的检定任务，每月支委会通报进度，积压件当周认领。";
    let mut blocks = vec![
        Block::Heading {
            level: 1,
            text: "检定室恒温恒湿改造中的党员先锋岗".into(),
        },
        Block::Paragraph("今年支部把恒温恒湿改造写进年度计划，由党员先锋岗牵头。".into()),
    ];
    for _ in 0..40 {
        blocks.push(Block::Paragraph(para.into()));
    }
    blocks.push(Block::ListItem {
        level: 0,
        ordered: true,
        text: "改造完成后组织实验室间比对试验，结果全部满意。".into(),
    });
    docx::write("检定室恒温恒湿改造中的党员先锋岗", &blocks)
}

#[tokio::test]
async fn a_case_goes_from_word_to_published_found_reported_taken_down_and_explained() {
    for b in backends() {
        let app = spawn(b).await;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("恒温恒湿改造总结.docx");
        std::fs::write(&file, summary_docx()).unwrap();
        let base = app.base.clone();

        // The secretary uploads the document and pages through its preview, then submits.
        let (b1, base1) = (b, base.clone());
        let case_url = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let url_out = case_url.clone();
        with_browser(1280, 1000, move |w| async move {
            w.login(&base1, "zhibu").await;
            w.follow("案例库", "#own").await;
            w.follow("写案例 / 上传 Word 文档", "#form-case").await;
            w.shot(&format!("{b1}-lib-01-form")).await;
            w.choose_file("#form-case [name='document']", file.to_str().unwrap())
                .await;
            w.click("#form-case [name='tags'][value='党建+计量']").await;
            w.submit("#form-case", "#preview").await;
            let page = w.text().await;
            assert!(page.contains("检定室恒温恒湿改造中的党员先锋岗"), "{b1}");
            assert!(
                page.contains("DOCX") && page.contains("已保存为草稿"),
                "{b1}"
            );
            assert_eq!(w.text_of("#page-of").await, "第 1 页 / 共 2 页", "{b1}");
            w.shot(&format!("{b1}-lib-02-preview")).await;
            w.follow("下一页", "#preview").await;
            assert_eq!(w.text_of("#page-of").await, "第 2 页 / 共 2 页", "{b1}");
            assert!(w.text_of("#preview").await.contains("比对试验"), "{b1}");
            w.submit("form[action$='/submit']", "#preview").await;
            assert!(w.text().await.contains("已提交审核"), "{b1}");
            *url_out.lock().unwrap() = w.path().await;
        })
        .await;
        let case_path = case_url.lock().unwrap().clone();
        assert!(case_path.starts_with("/library/cases/"), "{b}: {case_path}");

        // The 党总支 above finds it in its queue and publishes it to the whole deployment.
        let (b2, base2) = (b, base.clone());
        with_browser(1280, 1000, move |w| async move {
            w.login(&base2, "jiliang").await;
            w.goto(&format!("{base2}/library/review"), "#waiting").await;
            w.follow("检定室恒温恒湿改造中的党员先锋岗", "#review")
                .await;
            w.shot(&format!("{b2}-lib-03-review")).await;
            w.select("#form-publish [name='reach']", "all").await;
            w.submit("#form-publish", "#preview").await;
            assert!(w.text().await.contains("已发布"), "{b2}");
        })
        .await;

        // A reader of the school's committee finds it by two words that stand apart, opens a
        // related case and comes back to report it.
        let (b3, base3, path3) = (b, base.clone(), case_path.clone());
        with_browser(1280, 1000, move |w| async move {
            w.login(&base3, "xuexiao").await;
            w.follow("案例库", "#recent").await;
            w.fill("form[role='search'] [name='q']", "恒温恒湿 比对试验")
                .await;
            w.submit("form[role='search']", "#total").await;
            let hits = w.text_of("ol.hits").await;
            assert!(
                hits.contains("检定室恒温恒湿改造中的党员先锋岗"),
                "{b3}: {hits}"
            );
            assert!(w.count("p.snippet b").await > 0, "{b3}: highlighted");
            w.shot(&format!("{b3}-lib-04-found")).await;
            w.follow("检定室恒温恒湿改造中的党员先锋岗", "#related")
                .await;
            let related = w.text_of("#related li a").await;
            w.click_to("#related li a", "#preview").await;
            assert!(w.text_of("h1").await.contains(&related), "{b3}");
            w.goto(&format!("{base3}{path3}"), "#report").await;
            w.open("举报").await;
            w.fill("#form-report [name='reason']", "文中检定数据未经核实")
                .await;
            w.submit("#form-report", "#preview").await;
            assert!(w.text().await.contains("举报已收到"), "{b3}");
        })
        .await;

        // The 党总支 sees the report and takes the case down with its reason.
        let (b4, base4, path4) = (b, base.clone(), case_path.clone());
        with_browser(1280, 1000, move |w| async move {
            w.login(&base4, "jiliang").await;
            w.goto(&format!("{base4}/library/review"), "#reported")
                .await;
            assert!(w.text_of("#reported").await.contains("恒温恒湿"), "{b4}");
            w.goto(&format!("{base4}{path4}"), "#manage").await;
            assert!(w.text_of("#reports").await.contains("未经核实"), "{b4}");
            w.fill("#form-takedown [name='reason']", "检定数据待核实后再发布")
                .await;
            w.submit("#form-takedown", "#preview").await;
            assert!(w.text().await.contains("已下架"), "{b4}");
        })
        .await;

        // The secretary is told why, on the library's home and on the case.
        let (b5, base5) = (b, base.clone());
        with_browser(1280, 1000, move |w| async move {
            w.login(&base5, "zhibu").await;
            w.follow("案例库", "#own").await;
            assert!(
                w.text_of("#own")
                    .await
                    .contains("下架理由：检定数据待核实后再发布"),
                "{b5}"
            );
            w.follow("检定室恒温恒湿改造中的党员先锋岗", "#why").await;
            assert!(
                w.text_of("#why").await.contains("检定数据待核实后再发布"),
                "{b5}"
            );
            w.shot(&format!("{b5}-lib-05-why")).await;
        })
        .await;
    }
}
