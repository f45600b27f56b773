//! Browser tests: a branch secretary clicks through the real pages in headless Chromium.
//! Runs when `RONGHE_WEBDRIVER` points at a ChromeDriver (scripts/test.sh starts one).

/// A committee: template, run, dashboard, the branch that drifts.
#[path = "browser/committee.rs"]
mod committee;
mod common;
/// The case library: Word upload, review, search, report, take-down.
#[path = "browser/library.rs"]
mod library;

use common::browser::{with_browser, Browser};
use common::*;
use ronghe_core::scope::Scope;

#[tokio::test]
async fn branch_secretary_logs_in_browses_and_adds_members() {
    for b in backends() {
        let app = spawn(b).await;
        with_browser(1280, 1000, move |w| async move {
            let all = Scope::everything();
            let school = app
                .store
                .org_search(&all, "高一年级", 1)
                .await
                .unwrap()
                .remove(0);
            let foreign = app.store.member_roster(&all, school.id).await.unwrap()[0].id;

            // Log in.
            w.goto(&app.url("/login"), "[name='username']").await;
            w.shot(&format!("{b}-01-login")).await;
            w.fill_name("username", "zhibu").await;
            w.fill_name("password", DEMO_PASSWORD).await;
            w.submit("form", "#todo").await;
            let home = w.text().await;
            assert!(home.contains("检定校准党支部"), "{b}: {home}");
            w.shot(&format!("{b}-02-home")).await;

            // Browse the tree to the branch.
            w.follow("组织", "main").await;
            w.follow("检定校准党支部", "#compliance").await;
            let org_page = w.text().await;
            assert!(
                org_page.contains("委员会") && org_page.contains("规定检查"),
                "{b}"
            );
            w.shot(&format!("{b}-03-branch")).await;

            // Add a member with a bad ID number: a clear error, the input kept.
            w.follow("登记党员", "form.form").await;
            let good = TestApp::new_id_number(301);
            let mut bad = good.clone();
            bad.replace_range(17.., if good.ends_with('1') { "2" } else { "1" });
            w.fill_name("name", "浏览器测试").await;
            w.fill_name("id_number", &bad).await;
            w.fill_name("phone", "13911112222").await;
            w.fill_name("joined_on", "2012-06-30").await;
            w.fill_name("full_on", "2013-06-30").await;
            w.fill_name("department", "热工计量室").await;
            w.submit("form.form", "p.alert").await;
            let page = w.text().await;
            assert!(
                page.contains("校验位") && page.contains("未保存任何内容"),
                "{b}: {page}"
            );
            let kept = w.prop("[name='name']", "value").await;
            assert_eq!(kept.as_deref(), Some("浏览器测试"), "{b}: input kept");
            let kept_dept = w.prop("[name='department']", "value").await;
            assert_eq!(kept_dept.as_deref(), Some("热工计量室"));
            w.shot(&format!("{b}-04-bad-id")).await;

            // Correct it: saved, shown masked.
            w.fill_name("id_number", &good).await;
            w.submit("form.form", "main").await;
            let path = w.path().await;
            assert!(path.starts_with("/members/"), "{b}: {path}");
            let page = w.text().await;
            assert!(
                page.contains("浏览器测试") && !page.contains(&good) && page.contains(&good[14..]),
                "{b}"
            );
            w.shot(&format!("{b}-05-member")).await;

            // Another subtree's member by URL: not found.
            w.goto(&app.url(&format!("/members/{foreign}")), "main")
                .await;
            let page = w.text().await;
            assert!(
                page.contains("未找到") && page.contains("不在您的权限范围内"),
                "{b}: {page}"
            );
            w.shot(&format!("{b}-06-foreign")).await;

            // The member list on a phone-sized window.
            w.c.set_window_size(390, 844).await.unwrap();
            w.goto(&app.url("/members"), "main").await;
            assert!(w.text().await.contains("党员名册"));
            w.shot(&format!("{b}-07-phone-members")).await;
        })
        .await;
    }
}

/// Met windows on the organization page's compliance section ("已完成 N").
async fn met_count(w: &Browser, app: &TestApp, org: i64) -> String {
    w.goto(&app.url(&format!("/orgs/{org}")), "#compliance")
        .await;
    w.text_of("#compliance").await
}

fn form(action: &str) -> String {
    format!("form[action$='{action}']")
}

fn field(action: &str, name: &str) -> String {
    format!("form[action$='{action}'] [name='{name}']")
}

#[tokio::test]
async fn branch_secretary_plans_deploys_and_records_a_meeting() {
    for b in backends() {
        let app = spawn_base(b).await;
        with_browser(1280, 1000, move |w| async move {
            let branch = app
                .store
                .org_search(&Scope::everything(), "检定校准党支部", 1)
                .await
                .unwrap()[0]
                .id;
            w.login(&app.base, "zhibu").await;
            let todo_before = w.text_of("#todo").await;
            assert!(
                todo_before.contains("主题党日"),
                "{b}: the monthly 主题党日 is due: {todo_before}"
            );
            let compliance_before = met_count(&w, &app, branch).await;

            // Create the plan.
            w.goto(&app.url("/plans"), &form("/plans")).await;
            w.select(&field("/plans", "org_id"), &branch.to_string())
                .await;
            w.fill(&field("/plans", "title"), "2026 年检定校准党支部工作计划")
                .await;
            w.submit(&form("/plans"), &form("/goals")).await;
            let plan_path = w.path().await;
            assert!(plan_path.starts_with("/plans/"), "{b}");

            // A key business goal with its KPI.
            w.open("新增业务目标").await;
            w.fill(&field("/goals", "title"), "检定校准能力提升").await;
            w.click(&field("/goals", "is_key")).await;
            for (name, value) in [
                ("department", "长度计量室"),
                ("kpi_name", "年检定校准台件数"),
                ("kpi_unit", "台件"),
                ("kpi_baseline", "12000"),
                ("kpi_target", "15000"),
            ] {
                w.fill(&field("/goals", name), value).await;
            }
            w.submit(&form("/goals"), &form("/items")).await;
            assert!(w.text().await.contains("重点目标尚无党建工作支撑"), "{b}");

            // A Party work item, then the junction point that joins it to the goal.
            w.open("新增党建工作项").await;
            w.select(&field("/items", "kind"), "pioneer_post").await;
            w.fill(&field("/items", "title"), "检定校准党员先锋岗")
                .await;
            w.submit(&form("/items"), &form("/links")).await;
            assert!(w.text().await.contains("未找到结合点"), "{b}");
            let plan_id: i64 = plan_path.trim_start_matches("/plans/").parse().unwrap();
            let v = app
                .store
                .plan_view(&Scope::everything(), plan_id)
                .await
                .unwrap();
            let (goal, item) = (v.goals[0].id, v.items[0].id);
            w.open("建立结合点").await;
            w.select(&field("/links", "item_id"), &item.to_string())
                .await;
            w.select(&field("/links", "goal_id"), &goal.to_string())
                .await;
            w.select(&field("/links", "kind"), "direct_boost").await;
            w.fill(
                &field("/links", "junction"),
                "先锋岗承担超期未检器具清零和新建计量标准攻关",
            )
            .await;
            w.submit(&form("/links"), &form("/tasks")).await;
            let page = w.text().await;
            assert!(
                page.contains("结合点：先锋岗承担超期未检器具清零")
                    && !page.contains("重点目标尚无党建工作支撑"),
                "{b}"
            );

            // Deploy a task from the item, serving the goal.
            w.open("部署任务").await;
            w.fill(&field("/tasks", "title"), "完成长度计量标准复查")
                .await;
            w.select(&field("/tasks", "item_id"), &item.to_string())
                .await;
            w.select(&field("/tasks", "goal_id"), &goal.to_string())
                .await;
            let today = ronghe_store::today();
            let year_end =
                ronghe_core::Date::from_ymd_opt(chrono::Datelike::year(&today), 12, 31).unwrap();
            let deadline = (today + chrono::Duration::days(7)).min(year_end);
            w.fill(&field("/tasks", "deadline"), &deadline.to_string())
                .await;
            w.submit(&form("/tasks"), &form("/tasks")).await;
            assert!(w.text().await.contains("完成长度计量标准复查"), "{b}");
            w.goto(&app.url(&format!("{plan_path}#picture")), "main")
                .await;
            w.shot(&format!("{b}-10-plan")).await;

            // Record this month's 主题党日, serving the goal: entered once, counted twice.
            w.goto(
                &app.url(&format!("/meetings/new?org={branch}&kind=theme_day")),
                &form("/meetings/new"),
            )
            .await;
            w.fill(
                &field("/meetings/new", "topic"),
                "走进企业：送检定校准服务上门",
            )
            .await;
            w.click(&format!("input[name='goals'][value='{goal}']"))
                .await;
            w.submit(&form("/meetings/new"), "p.notice").await;
            let page = w.text().await;
            assert!(
                page.contains("检定校准能力提升") && page.contains("走进企业"),
                "{b}: {page}"
            );
            w.shot(&format!("{b}-11-meeting")).await;

            // Compliance and 待办 change.
            let compliance_after = met_count(&w, &app, branch).await;
            assert_ne!(compliance_before, compliance_after, "{b}: compliance moved");
            w.goto(&app.url("/"), "#todo").await;
            let todo_after = w.text_of("#todo").await;
            assert!(
                todo_after.contains("完成长度计量标准复查"),
                "{b}: the task is on 待办"
            );
            let theme_day = |todo: &str| {
                todo.lines()
                    .find(|l| l.starts_with("主题党日："))
                    .unwrap_or("")
                    .to_string()
            };
            assert!(
                theme_day(&todo_before).contains("本期")
                    && !theme_day(&todo_after).contains("本期"),
                "{b}: this month's 主题党日 no longer due: {}",
                theme_day(&todo_after)
            );
            w.shot(&format!("{b}-12-todo")).await;
            w.goto(&app.url(&plan_path), "main").await;
            assert!(
                w.text().await.contains("服务于它的会议 1 次"),
                "{b}: the plan counts the meeting"
            );
        })
        .await;
    }
}

/// The secretary's monthly routine on a phone: record a 支委会 and a 主题党日, report on a
/// task, enter last month's KPI actual from its 待办 line, see compliance. Prints what it
/// cost in pages and fields, and checks each save says so and the value lands in its month.
#[tokio::test]
async fn a_secretarys_monthly_routine_on_a_phone() {
    for b in backends() {
        let app = spawn(b).await;
        with_browser(390, 844, move |w| async move {
            let all = Scope::everything();
            let branch = app
                .store
                .org_search(&all, "检定校准党支部", 1)
                .await
                .unwrap()[0]
                .id;
            w.login(&app.base, "zhibu").await;
            w.shot(&format!("{b}-routine-01-todo")).await;

            // 1. The 支委会 from its 待办 line: the form opens with the committee ticked.
            w.click_to(
                "#todo a[href*='kind=committee_meeting']",
                "form.meeting-form",
            )
            .await;
            // Changing the kind re-lists who is expected (everyone at a 主题党日), and back.
            let people = app
                .store
                .meeting_roster(&all, &app.store.org_get(&all, branch).await.unwrap())
                .await
                .unwrap()
                .len();
            let expected_rows = "[data-expected-people] [data-person]";
            let enabled_reasons = "[data-person] input[name^='reason_']:not([disabled])";
            let committee = w.count(expected_rows).await;
            assert!(committee < people, "{b}: the committee only");
            w.choose_quietly("select[name='kind']", "theme_day").await;
            w.wait_count(expected_rows, people).await;
            w.wait_count(enabled_reasons, people).await;
            assert!(
                w.text_of("#attendees legend").await.contains("本组织党员"),
                "{b}: the legend follows"
            );
            w.shot(&format!("{b}-routine-01b-kind-changed")).await;
            w.choose_quietly("select[name='kind']", "committee_meeting")
                .await;
            w.wait_count(expected_rows, committee).await;
            w.wait_count(enabled_reasons, committee).await;
            w.fill_name("topic", "研究本月检定校准任务和党员先锋岗安排")
                .await;
            w.submit("form.meeting-form", "p.notice").await;
            assert!(w.text().await.contains("会议记录已保存"), "{b}");
            w.shot(&format!("{b}-routine-02-committee-saved")).await;

            // 2. The 主题党日, from the home page again.
            w.goto(&app.url("/"), "#todo").await;
            w.click_to("#todo a[href*='kind=theme_day']", "form.meeting-form")
                .await;
            w.fill_name("topic", "走进企业：送检定校准服务上门").await;
            w.submit("form.meeting-form", "p.notice").await;
            assert!(w.text().await.contains("已计入组织生活检查"), "{b}");

            // 3. A progress report on a task from the 待办.
            w.goto(&app.url("/"), "#todo").await;
            w.click_to("#todo a[href^='/tasks/']", "form.form").await;
            w.fill("form.form [name='percent']", "60").await;
            w.fill("form.form [name='note']", "完成标准器送检，等待复查")
                .await;
            w.submit("form.form", "main").await;
            let page = w.text().await;
            assert!(
                page.contains("60%") && page.contains("进展已报告"),
                "{b}: progress saved, and said so"
            );
            w.shot(&format!("{b}-routine-03-task")).await;

            // 4. Last month's KPI actual from its 待办 line: the month comes from the link.
            w.goto(&app.url("/"), "#todo").await;
            let todo = w.text_of("#todo").await;
            let (y, m) = ronghe_core::plan::period::reporting_month(ronghe_store::today());
            let month = format!("{y:04}-{m:02}");
            if todo.contains(&format!("{month} 待录入")) {
                w.click_to("#todo a[href*='month=']", ".kpi-form").await;
                let kpi_anchor =
                    w.c.current_url()
                        .await
                        .unwrap()
                        .fragment()
                        .unwrap()
                        .to_string();
                let form = format!("#{kpi_anchor} .kpi-form");
                let typed = w.prop(&format!("{form} [name='month']"), "value").await;
                assert_eq!(
                    typed.as_deref(),
                    Some(month.as_str()),
                    "{b}: the month of the link"
                );
                w.fill(&format!("{form} [name='value']"), "1e308").await;
                w.submit(&form, "p.alert").await;
                assert!(w.text().await.contains("数值过大"), "{b}: bounded");
                w.shot(&format!("{b}-routine-04-kpi-too-large")).await;
                // A running total (累计值) refuses a month's own figure, and says why.
                assert!(
                    w.text_of(&format!("#{kpi_anchor}"))
                        .await
                        .contains("累计值"),
                    "{b}: the field says what to type"
                );
                w.fill(&format!("{form} [name='value']"), "96").await;
                w.submit(&form, "p.alert").await;
                let refusal = w.text_of(&format!("{form} .field-error")).await;
                assert!(refusal.contains("不应小于"), "{b}: {refusal}");
                w.shot(&format!("{b}-routine-05-kpi-not-a-total")).await;
                let before: f64 = refusal
                    .split("已录入的累计 ")
                    .nth(1)
                    .and_then(|r| r.split('；').next())
                    .and_then(|n| n.trim().parse().ok())
                    .expect("the refusal names the earlier total");
                let total = before + 1200.0;
                w.fill(&format!("{form} [name='value']"), &total.to_string())
                    .await;
                w.submit(&form, "p.notice").await;
                assert!(w.text().await.contains("指标实际值已保存"), "{b}");
                assert!(
                    w.text_of(&format!("#{kpi_anchor}"))
                        .await
                        .contains(&format!("{month} 实际 {total}")),
                    "{b}: filed under {month}"
                );
                w.shot(&format!("{b}-routine-06-kpi-saved")).await;
                w.goto(&app.url("/"), "#todo").await;
                let link = format!("#todo a[href$='#{kpi_anchor}']");
                assert_eq!(w.count(&link).await, 0, "{b}: the reminder is gone");
            } else {
                panic!("{b}: the demo leaves {month}'s actuals for the secretary: {todo}");
            }

            // 5. Compliance on the branch page.
            w.goto(&app.url(&format!("/orgs/{branch}")), "#compliance")
                .await;
            assert!(w.text_of("#compliance").await.contains("已完成"), "{b}");
            w.shot(&format!("{b}-routine-07-compliance")).await;
            let (pages, fields) = w.cost();
            println!(
                "{b}: monthly routine on a phone: {pages} pages loaded, {fields} fields typed"
            );
        })
        .await;
    }
}
