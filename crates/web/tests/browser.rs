//! Browser tests: a branch secretary clicks through the real pages in headless Chromium.
//! Runs when `RONGHE_WEBDRIVER` points at a ChromeDriver (scripts/test.sh starts one).

mod common;

use common::*;
use fantoccini::{Client, ClientBuilder, Locator};
use ronghe_core::scope::Scope;

async fn browser() -> Option<Client> {
    let Ok(url) = std::env::var("RONGHE_WEBDRIVER") else {
        assert!(
            std::env::var("CI").is_err(),
            "CI must run the browser tests: set RONGHE_WEBDRIVER"
        );
        eprintln!("RONGHE_WEBDRIVER not set: browser tests skipped (scripts/test.sh sets it)");
        return None;
    };
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": "/usr/bin/chromium",
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1280,1000", "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--no-first-run", "--disable-quic", "--lang=zh-CN"]
        }),
    );
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    Some(
        ClientBuilder::new(connector)
            .capabilities(caps)
            .connect(&url)
            .await
            .expect("connect to chromedriver"),
    )
}

async fn shot(c: &Client, name: &str) {
    if let Ok(dir) = std::env::var("RONGHE_SCREENSHOTS") {
        std::fs::create_dir_all(&dir).unwrap();
        let png = c.screenshot().await.unwrap();
        std::fs::write(format!("{dir}/{name}.png"), png).unwrap();
    }
}

async fn fill(c: &Client, name: &str, value: &str) {
    let e = c
        .find(Locator::Css(&format!("[name='{name}']")))
        .await
        .unwrap();
    e.clear().await.unwrap();
    e.send_keys(value).await.unwrap();
}

async fn text(c: &Client) -> String {
    c.find(Locator::Css("body"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

#[tokio::test]
async fn branch_secretary_logs_in_browses_and_adds_members() {
    for b in backends() {
        let Some(c) = browser().await else { return };
        let app = spawn(b).await;
        let all = Scope::everything();
        let school = app
            .store
            .org_search(&all, "高一年级", 1)
            .await
            .unwrap()
            .remove(0);
        let foreign = app.store.member_roster(&all, school.id).await.unwrap()[0].id;

        // Log in.
        c.goto(&app.url("/login")).await.unwrap();
        shot(&c, &format!("{b}-01-login")).await;
        fill(&c, "username", "zhibu").await;
        fill(&c, "password", DEMO_PASSWORD).await;
        c.find(Locator::Css("button[type=submit]"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        let home = text(&c).await;
        assert!(
            home.contains("我负责的组织") && home.contains("检定校准党支部"),
            "{b}: {home}"
        );
        shot(&c, &format!("{b}-02-home")).await;

        // Browse the tree to the branch.
        c.find(Locator::LinkText("组织"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        c.find(Locator::LinkText("检定校准党支部"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        let org_page = text(&c).await;
        assert!(
            org_page.contains("委员会") && org_page.contains("规定检查"),
            "{b}"
        );
        shot(&c, &format!("{b}-03-branch")).await;

        // Add a member with a bad ID number: a clear error, the input kept.
        c.find(Locator::LinkText("登记党员"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        let good = TestApp::new_id_number(301);
        let mut bad = good.clone();
        bad.replace_range(17.., if good.ends_with('1') { "2" } else { "1" });
        fill(&c, "name", "浏览器测试").await;
        fill(&c, "id_number", &bad).await;
        fill(&c, "phone", "13911112222").await;
        fill(&c, "joined_on", "2012-06-30").await;
        fill(&c, "full_on", "2013-06-30").await;
        fill(&c, "department", "热工计量室").await;
        c.find(Locator::Css("form.form button[type=submit]"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        let page = text(&c).await;
        assert!(
            page.contains("校验位") && page.contains("未保存任何内容"),
            "{b}: {page}"
        );
        let kept = c
            .find(Locator::Css("[name='name']"))
            .await
            .unwrap()
            .prop("value")
            .await
            .unwrap();
        assert_eq!(kept.as_deref(), Some("浏览器测试"), "{b}: input kept");
        let kept_dept = c
            .find(Locator::Css("[name='department']"))
            .await
            .unwrap()
            .prop("value")
            .await
            .unwrap();
        assert_eq!(kept_dept.as_deref(), Some("热工计量室"));
        shot(&c, &format!("{b}-04-bad-id")).await;

        // Correct it: saved, shown masked.
        fill(&c, "id_number", &good).await;
        c.find(Locator::Css("form.form button[type=submit]"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        let url = c.current_url().await.unwrap();
        assert!(url.path().starts_with("/members/"), "{b}: {url}");
        let page = text(&c).await;
        assert!(
            page.contains("浏览器测试") && !page.contains(&good) && page.contains(&good[14..]),
            "{b}"
        );
        shot(&c, &format!("{b}-05-member")).await;

        // Another subtree's member by URL: not found.
        c.goto(&app.url(&format!("/members/{foreign}")))
            .await
            .unwrap();
        let page = text(&c).await;
        assert!(
            page.contains("未找到") && page.contains("不在您的权限范围内"),
            "{b}: {page}"
        );
        shot(&c, &format!("{b}-06-foreign")).await;

        // The member list on a phone-sized window.
        c.set_window_size(390, 844).await.unwrap();
        c.goto(&app.url("/members")).await.unwrap();
        assert!(text(&c).await.contains("党员名册"));
        shot(&c, &format!("{b}-07-phone-members")).await;
        c.close().await.unwrap();
    }
}
