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

/// Clicks and waits until the browser has left the current page (the old body goes stale),
/// so the next read sees the new page rather than a race.
async fn click_and_wait(c: &Client, e: fantoccini::elements::Element) {
    let Ok(old) = c.find(Locator::Css("body")).await else {
        e.click().await.unwrap();
        return;
    };
    e.click().await.unwrap();
    for _ in 0..200 {
        if old.tag_name().await.is_err() {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
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

async fn open(c: &Client, summary: &str) {
    c.find(Locator::XPath(&format!(
        "//summary[contains(., '{summary}')]"
    )))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
}

async fn choose(c: &Client, form: &str, select: &str, value: &str) {
    let css = format!("form[action$='{form}'] select[name='{select}']");
    c.find(Locator::Css(&css))
        .await
        .unwrap()
        .select_by_value(value)
        .await
        .unwrap();
}

async fn fill_in(c: &Client, form: &str, name: &str, value: &str) {
    let e = c
        .find(Locator::Css(&format!(
            "form[action$='{form}'] [name='{name}']"
        )))
        .await
        .unwrap();
    e.clear().await.unwrap();
    e.send_keys(value).await.unwrap();
}

async fn submit(c: &Client, form: &str) {
    let button = c
        .find(Locator::Css(&format!(
            "form[action$='{form}'] button[type=submit]"
        )))
        .await
        .unwrap();
    click_and_wait(c, button).await;
}

/// Met windows on the organization page's compliance section ("已完成 N").
async fn met_count(c: &Client, app: &TestApp, org: i64) -> String {
    c.goto(&app.url(&format!("/orgs/{org}"))).await.unwrap();
    c.find(Locator::Css("#compliance"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

#[tokio::test]
async fn branch_secretary_plans_deploys_and_records_a_meeting() {
    for b in backends() {
        let Some(c) = browser().await else { return };
        let app = spawn_base(b).await;
        let branch = app
            .store
            .org_search(&Scope::everything(), "检定校准党支部", 1)
            .await
            .unwrap()[0]
            .id;
        c.goto(&app.url("/login")).await.unwrap();
        fill(&c, "username", "zhibu").await;
        fill(&c, "password", DEMO_PASSWORD).await;
        click_and_wait(
            &c,
            c.find(Locator::Css("button[type=submit]")).await.unwrap(),
        )
        .await;
        let todo_before = c
            .find(Locator::Css("#todo"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            todo_before.contains("主题党日"),
            "{b}: the monthly 主题党日 is due: {todo_before}"
        );
        let compliance_before = met_count(&c, &app, branch).await;

        // Create the plan.
        c.goto(&app.url("/plans")).await.unwrap();
        choose(&c, "/plans", "org_id", &branch.to_string()).await;
        fill_in(&c, "/plans", "title", "2026 年检定校准党支部工作计划").await;
        submit(&c, "/plans").await;
        assert!(
            c.current_url().await.unwrap().path().starts_with("/plans/"),
            "{b}"
        );
        let plan_path = c.current_url().await.unwrap().path().to_string();

        // A key business goal with its KPI.
        open(&c, "新增业务目标").await;
        fill_in(&c, "/goals", "title", "检定校准能力提升").await;
        c.find(Locator::Css("form[action$='/goals'] input[name='is_key']"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        fill_in(&c, "/goals", "department", "长度计量室").await;
        fill_in(&c, "/goals", "kpi_name", "年检定校准台件数").await;
        fill_in(&c, "/goals", "kpi_unit", "台件").await;
        fill_in(&c, "/goals", "kpi_baseline", "12000").await;
        fill_in(&c, "/goals", "kpi_target", "15000").await;
        submit(&c, "/goals").await;
        assert!(text(&c).await.contains("重点目标尚无党建工作支撑"), "{b}");

        // A Party work item, then the junction point that joins it to the goal.
        open(&c, "新增党建工作项").await;
        choose(&c, "/items", "kind", "pioneer_post").await;
        fill_in(&c, "/items", "title", "检定校准党员先锋岗").await;
        submit(&c, "/items").await;
        assert!(text(&c).await.contains("未找到结合点"), "{b}");
        let plan_id: i64 = plan_path.trim_start_matches("/plans/").parse().unwrap();
        let v = app
            .store
            .plan_view(&Scope::everything(), plan_id)
            .await
            .unwrap();
        let (goal, item) = (v.goals[0].id, v.items[0].id);
        open(&c, "建立结合点").await;
        choose(&c, "/links", "item_id", &item.to_string()).await;
        choose(&c, "/links", "goal_id", &goal.to_string()).await;
        choose(&c, "/links", "kind", "direct_boost").await;
        fill_in(
            &c,
            "/links",
            "junction",
            "先锋岗承担超期未检器具清零和新建计量标准攻关",
        )
        .await;
        submit(&c, "/links").await;
        let page = text(&c).await;
        assert!(
            page.contains("结合点：先锋岗承担超期未检器具清零")
                && !page.contains("重点目标尚无党建工作支撑"),
            "{b}"
        );

        // Deploy a task from the item, serving the goal.
        open(&c, "部署任务").await;
        fill_in(&c, "/tasks", "title", "完成长度计量标准复查").await;
        choose(&c, "/tasks", "item_id", &item.to_string()).await;
        choose(&c, "/tasks", "goal_id", &goal.to_string()).await;
        let today = ronghe_store::today();
        let year_end =
            ronghe_core::Date::from_ymd_opt(chrono::Datelike::year(&today), 12, 31).unwrap();
        fill_in(
            &c,
            "/tasks",
            "deadline",
            &(today + chrono::Duration::days(7))
                .min(year_end)
                .to_string(),
        )
        .await;
        submit(&c, "/tasks").await;
        assert!(text(&c).await.contains("完成长度计量标准复查"), "{b}");
        c.goto(&app.url(&format!("{plan_path}#picture")))
            .await
            .unwrap();
        shot(&c, &format!("{b}-10-plan")).await;

        // Record this month's 主题党日, serving the goal: entered once, counted twice.
        c.goto(&app.url(&format!("/meetings/new?org={branch}&kind=theme_day")))
            .await
            .unwrap();
        fill_in(&c, "/meetings/new", "topic", "走进企业：送检定校准服务上门").await;
        c.find(Locator::Css(&format!(
            "input[name='goals'][value='{goal}']"
        )))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
        submit(&c, "/meetings/new").await;
        let page = text(&c).await;
        assert!(
            page.contains("检定校准能力提升") && page.contains("走进企业"),
            "{b}: {page}"
        );
        shot(&c, &format!("{b}-11-meeting")).await;

        // Compliance and 待办 change.
        let compliance_after = met_count(&c, &app, branch).await;
        assert_ne!(compliance_before, compliance_after, "{b}: compliance moved");
        c.goto(&app.url("/")).await.unwrap();
        let todo_after = c
            .find(Locator::Css("#todo"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            todo_after.contains("完成长度计量标准复查"),
            "{b}: the task is on 待办"
        );
        let theme_day_before = todo_before
            .lines()
            .find(|l| l.starts_with("主题党日："))
            .unwrap_or("")
            .to_string();
        let theme_day_after = todo_after
            .lines()
            .find(|l| l.starts_with("主题党日："))
            .unwrap_or("")
            .to_string();
        assert!(
            theme_day_before.contains("本期") && !theme_day_after.contains("本期"),
            "{b}: this month's 主题党日 no longer due: {theme_day_after}"
        );
        shot(&c, &format!("{b}-12-todo")).await;
        c.goto(&app.url(&plan_path)).await.unwrap();
        assert!(
            text(&c).await.contains("服务于它的会议 1 次"),
            "{b}: the plan counts the meeting"
        );
        c.close().await.unwrap();
    }
}
