//! Plans end to end over HTTP: goals with KPIs, Party work items, links, tasks, KPI values,
//! state changes, copying to the next year, and the refusals of bad input.

mod common;
/// The integration index on the plan page.
#[path = "plans/integration.rs"]
mod integration;
/// What KPI figures mean, their cadence and history.
#[path = "plans/kpis.rs"]
mod kpis;
/// Co-assignees and milestones of tasks.
#[path = "plans/milestones.rs"]
mod milestones;
/// Correcting, deleting and cancelling tasks.
#[path = "plans/tasks.rs"]
mod tasks;

use common::*;
use reqwest::Client;
use ronghe_core::scope::Scope;

async fn page(c: &Client, app: &TestApp, path: &str) -> String {
    c.get(app.url(path))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

async fn post(
    c: &Client,
    app: &TestApp,
    path: &str,
    csrf: &str,
    fields: &[(&str, &str)],
) -> (String, String) {
    let mut form: Vec<(&str, &str)> = vec![("csrf", csrf)];
    form.extend_from_slice(fields);
    let res = c.post(app.url(path)).form(&form).send().await.unwrap();
    let url = res.url().path().to_string();
    (url, res.text().await.unwrap())
}

#[tokio::test]
async fn a_secretary_builds_one_plan_for_goals_and_party_work() {
    for b in backends() {
        let app = spawn(b).await;
        let c = app.login("zhibu").await;
        let branch = app
            .store
            .org_search(&Scope::everything(), "检定校准党支部", 1)
            .await
            .unwrap()[0]
            .id;
        let list = page(&c, &app, "/plans?year=2030").await;
        let csrf = csrf_of(&list);
        let (url, _) = post(
            &c,
            &app,
            "/plans",
            &csrf,
            &[
                ("org_id", &branch.to_string()),
                ("year", "2030"),
                ("title", "2030 年党建与业务工作计划"),
            ],
        )
        .await;
        assert!(url.starts_with("/plans/"), "{b}: {url}");
        let plan = url.clone();
        // The same organization and year twice: refused, the form keeps its input.
        let (_, html) = post(
            &c,
            &app,
            "/plans",
            &csrf,
            &[
                ("org_id", &branch.to_string()),
                ("year", "2030"),
                ("title", "重复的计划"),
            ],
        )
        .await;
        assert!(
            html.contains("已有计划") && html.contains("重复的计划"),
            "{b}"
        );

        let goal_fields = [
            ("title", "检定校准能力提升"),
            ("is_key", "1"),
            ("department", "长度计量室"),
            ("kpi_name", "年检定台件数"),
            ("kpi_unit", "台件"),
            ("kpi_direction", "higher_better"),
            ("kpi_baseline", "12000"),
            ("kpi_target", "15000"),
        ];
        let (_, html) = post(&c, &app, &format!("{plan}/goals"), &csrf, &goal_fields).await;
        assert!(
            html.contains("检定校准能力提升") && html.contains("重点目标尚无党建工作支撑"),
            "{b}: key goal uncovered"
        );
        let (_, html) = post(
            &c,
            &app,
            &format!("{plan}/items"),
            &csrf,
            &[
                ("kind", "pioneer_post"),
                ("title", "检定校准党员先锋岗"),
                ("starts_on", "2031-01-01"),
            ],
        )
        .await;
        assert!(
            html.contains("应在 2030 年内") && html.contains("检定校准党员先锋岗"),
            "{b}: a date outside the period, input kept"
        );
        let (_, html) = post(
            &c,
            &app,
            &format!("{plan}/items"),
            &csrf,
            &[
                ("kind", "pioneer_post"),
                ("title", "检定校准党员先锋岗"),
                ("starts_on", "2030-03-01"),
            ],
        )
        .await;
        assert!(
            html.contains("未找到结合点"),
            "{b}: a new item has no junction point yet"
        );

        let plan_id: i64 = plan.trim_start_matches("/plans/").parse().unwrap();
        let view = app
            .store
            .plan_view(&Scope::everything(), plan_id)
            .await
            .unwrap();
        let (goal, item, kpi) = (view.goals[0].id, view.items[0].id, view.kpis[0].id);
        // A goal of another organization's plan cannot be linked.
        let school = app
            .store
            .org_search(&Scope::everything(), "高一年级", 1)
            .await
            .unwrap()[0]
            .id;
        let other = app
            .store
            .plan_create(
                &ronghe_store::Actor::system("t"),
                &Scope::everything(),
                &ronghe_core::plan::forms::PlanInput {
                    org_id: school,
                    period: ronghe_core::plan::Period { year: 2030 },
                    title: "别人的计划".into(),
                },
            )
            .await
            .unwrap();
        let other_goal = app
            .store
            .goal_create(
                &ronghe_store::Actor::system("t"),
                &Scope::everything(),
                other,
                &ronghe_core::plan::forms::GoalForm {
                    title: "升学率".into(),
                    ..Default::default()
                }
                .validate()
                .unwrap(),
            )
            .await
            .unwrap();
        let (_, html) = post(
            &c,
            &app,
            &format!("{plan}/links"),
            &csrf,
            &[
                ("item_id", &item.to_string()),
                ("goal_id", &other_goal.to_string()),
                ("kind", "direct_boost"),
                ("junction", "越权的结合点"),
            ],
        )
        .await;
        assert!(
            html.contains("不在本计划中") && html.contains("越权的结合点"),
            "{b}"
        );
        let (_, html) = post(
            &c,
            &app,
            &format!("{plan}/links"),
            &csrf,
            &[
                ("item_id", &item.to_string()),
                ("goal_id", &goal.to_string()),
                ("kind", "direct_boost"),
                ("junction", "先锋岗承担新建计量标准的攻关"),
            ],
        )
        .await;
        assert!(
            html.contains("结合点：先锋岗承担新建计量标准的攻关")
                && !html.contains("重点目标尚无党建工作支撑"),
            "{b}"
        );

        // KPI values: a wrong unit is refused; a right one shows progress with its explanation.
        let (_, html) = post(
            &c,
            &app,
            &format!("/kpis/{kpi}/values"),
            &csrf,
            &[("month", "2030-03"), ("value", "90%")],
        )
        .await;
        assert!(
            html.contains("单位"),
            "{b}: wrong unit refused: {}",
            &html[html.find("kpi-form").unwrap_or(0)..][..300.min(html.len())]
        );
        let (_, html) = post(
            &c,
            &app,
            &format!("/kpis/{kpi}/values"),
            &csrf,
            &[("month", "2030-03"), ("value", "13500")],
        )
        .await;
        assert!(
            html.contains("实际 13500") && html.contains("50"),
            "{b}: 1500 of 3000 is half way"
        );

        // A task from the item, serving the goal.
        let (_, html) = post(
            &c,
            &app,
            &format!("{plan}/tasks"),
            &csrf,
            &[
                ("title", "完成长度计量标准建标"),
                ("item_id", &item.to_string()),
                ("goal_id", &goal.to_string()),
                ("deadline", "2030-06-30"),
            ],
        )
        .await;
        assert!(html.contains("完成长度计量标准建标"), "{b}");
        let task = app
            .store
            .plan_view(&Scope::everything(), plan_id)
            .await
            .unwrap()
            .tasks[0]
            .id;
        let report = |fields: Vec<(&'static str, String)>,
                      file: Option<(&'static str, Vec<u8>)>| {
            let mut form = reqwest::multipart::Form::new();
            for (k, v) in fields {
                form = form.text(k, v);
            }
            if let Some((name, bytes)) = file {
                form = form.part(
                    "attachment",
                    reqwest::multipart::Part::bytes(bytes).file_name(name),
                );
            }
            c.post(app.url(&format!("/tasks/{task}?csrf={csrf}")))
                .multipart(form)
                .send()
        };
        let html = report(
            vec![
                ("status", "in_progress".into()),
                ("percent", "140".into()),
                ("note", "x".into()),
            ],
            None,
        )
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
        assert!(html.contains("0 到 100"), "{b}");
        // A script disguised as a PDF is refused; nothing is saved and the note is kept.
        let html = report(
            vec![
                ("status", "in_progress".into()),
                ("percent", "40".into()),
                ("note", "保留这段说明".into()),
            ],
            Some(("evil.pdf", b"<script>alert(1)</script>".to_vec())),
        )
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
        assert!(
            html.contains("只接受")
                && html.contains("保留这段说明")
                && html.contains("还没有进展记录"),
            "{b}"
        );
        // Without the token in the action URL, an upload is refused.
        let res = c
            .post(app.url(&format!("/tasks/{task}")))
            .multipart(reqwest::multipart::Form::new().text("percent", "1"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403, "{b}");
        let res = report(
            vec![
                ("status", "done".into()),
                ("percent", "60".into()),
                ("note", "已通过考核\n证书已取得".into()),
            ],
            Some(("考核证书.pdf", b"%PDF-1.4 test".to_vec())),
        )
        .await
        .unwrap();
        assert_eq!(res.url().path(), format!("/tasks/{task}"));
        let html = res.text().await.unwrap();
        assert!(
            html.contains("100%") && html.contains("证书已取得") && html.contains("考核证书.pdf"),
            "{b}"
        );
        let link = html
            .split("href=\"/attachments/")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_string();
        let file = c
            .get(app.url(&format!("/attachments/{link}")))
            .send()
            .await
            .unwrap();
        assert_eq!(file.headers()["content-type"], "application/pdf");
        assert_eq!(file.bytes().await.unwrap().as_ref(), b"%PDF-1.4 test");
        // Someone outside the branch cannot download it.
        let outsider = app.login("xuexiao").await;
        assert_eq!(
            outsider
                .get(app.url(&format!("/attachments/{link}")))
                .send()
                .await
                .unwrap()
                .status(),
            404,
            "{b}"
        );

        // Deploy, then copy into 2031: goals, items, links; no values, no tasks.
        let (_, html) = post(
            &c,
            &app,
            &format!("{plan}/status"),
            &csrf,
            &[("status", "deployed")],
        )
        .await;
        assert!(html.contains("已部署"), "{b}");
        let (url, html) = post(&c, &app, &format!("{plan}/copy"), &csrf, &[]).await;
        assert!(
            url != plan
                && html.contains("2031")
                && html.contains("先锋岗承担新建计量标准的攻关")
                && html.contains("尚未录入实际值"),
            "{b}: {url}"
        );
        let copied: i64 = url.trim_start_matches("/plans/").parse().unwrap();
        assert!(app
            .store
            .plan_view(&Scope::everything(), copied)
            .await
            .unwrap()
            .tasks
            .is_empty());

        // Another branch's secretary scope: the plan is invisible.
        let other_page = c
            .get(app.url(&format!("/plans/{other}")))
            .send()
            .await
            .unwrap();
        assert_eq!(other_page.status(), 404, "{b}");
    }
}

#[tokio::test]
async fn business_systems_push_kpi_actuals_through_the_api() {
    for b in backends() {
        let app = spawn(b).await;
        let token = app.token("zhibu").await;
        let branch = app
            .store
            .org_search(&Scope::everything(), "检定校准党支部", 1)
            .await
            .unwrap()[0]
            .id;
        let api = |method: reqwest::Method, path: String, body: serde_json::Value| {
            let (url, token) = (app.url(&path), token.clone());
            async move {
                let res = client()
                    .request(method, url)
                    .bearer_auth(token)
                    .json(&body)
                    .send()
                    .await
                    .unwrap();
                let status = res.status().as_u16();
                (
                    status,
                    res.json::<serde_json::Value>().await.unwrap_or_default(),
                )
            }
        };
        let (s, v) = api(
            reqwest::Method::POST,
            "/api/v1/plans".into(),
            serde_json::json!({"org_id": branch, "year": 2032, "title": "接口计划"}),
        )
        .await;
        assert_eq!(s, 201, "{b}: {v}");
        let plan = v["id"].as_i64().unwrap();
        let (s, v) = api(reqwest::Method::POST, format!("/api/v1/plans/{plan}/goals"), serde_json::json!({"title": "服务企业满意度", "kpi_name": "满意度", "kpi_unit": "%", "kpi_direction": "higher_better", "kpi_baseline": 90, "kpi_target": 98, "owner": "x"})).await;
        assert_eq!(
            (s, v["fields"][0]["field"].as_str()),
            (422, Some("owner")),
            "{b}: unknown field named"
        );
        let (s, _) = api(reqwest::Method::POST, format!("/api/v1/plans/{plan}/goals"), serde_json::json!({"title": "服务企业满意度", "kpi_name": "满意度", "kpi_unit": "%", "kpi_direction": "higher_better", "kpi_baseline": 90, "kpi_target": 98})).await;
        assert_eq!(s, 201);
        let (_, v) = api(
            reqwest::Method::GET,
            format!("/api/v1/plans/{plan}"),
            serde_json::Value::Null,
        )
        .await;
        let kpi = v["kpis"][0]["id"].as_i64().unwrap();
        let (s, v) = api(
            reqwest::Method::POST,
            format!("/api/v1/kpis/{kpi}/values"),
            serde_json::json!({"month": "2032-02", "value": "150"}),
        )
        .await;
        assert_eq!(s, 422, "{b}: a percentage over 100: {v}");
        let (s, v) = api(
            reqwest::Method::POST,
            format!("/api/v1/kpis/{kpi}/values"),
            serde_json::json!({"month": "2031-12", "value": 95}),
        )
        .await;
        assert_eq!(
            (s, v["fields"][0]["field"].as_str()),
            (422, Some("month")),
            "{b}: outside the plan year"
        );
        let (s, v) = api(
            reqwest::Method::POST,
            format!("/api/v1/kpis/{kpi}/values"),
            serde_json::json!({"month": "2032-02", "value": 94}),
        )
        .await;
        assert_eq!(s, 200, "{b}: {v}");
        assert!(
            (v["progress"].as_f64().unwrap() - 0.5).abs() < 1e-9
                && v["explanation"].as_str().unwrap().contains("50"),
            "{v}"
        );
        let (_, v) = api(
            reqwest::Method::GET,
            format!("/api/v1/plans/{plan}"),
            serde_json::Value::Null,
        )
        .await;
        assert_eq!(v["kpi_values"][0]["source"], "接口");
        assert!(v["goal_progress"][0]["explanation"].as_str().is_some());
        // Another subtree's plan is not there at all.
        let other = app.token("xuexiao").await;
        let res = client()
            .get(app.url(&format!("/api/v1/plans/{plan}")))
            .bearer_auth(other)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404, "{b}");
    }
}

#[tokio::test]
async fn a_committee_sees_the_compliance_of_every_branch_below_it() {
    for b in backends() {
        let app = spawn(b).await;
        let general = app
            .store
            .org_search(&Scope::everything(), "计量测试研究院党总支", 1)
            .await
            .unwrap()[0]
            .id;
        let c = app.login("jiliang").await;
        let res = c
            .get(app.url(&format!("/orgs/{general}/compliance")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{b}");
        let html = res.text().await.unwrap();
        for branch in ["检定校准党支部", "科研质量党支部", "综合管理党支部"] {
            assert!(html.contains(branch), "{b}: {branch} listed");
        }
        assert!(html.contains("下属党支部 <strong>3</strong> 个"), "{b}");
        // A branch secretary cannot open the report of the level above.
        let z = app.login("zhibu").await;
        assert_eq!(
            z.get(app.url(&format!("/orgs/{general}/compliance")))
                .send()
                .await
                .unwrap()
                .status(),
            404,
            "{b}"
        );
    }
}

#[tokio::test]
async fn closing_a_plan_asks_for_a_summary_and_reopening_is_bounded_and_audited() {
    for b in backends() {
        let app = spawn(b).await;
        let all = Scope::everything();
        let branch = app
            .store
            .org_search(&all, "检定校准党支部", 1)
            .await
            .unwrap()[0]
            .id;
        let year = chrono::Datelike::year(&ronghe_store::today()) as i64;
        let plan = app
            .store
            .plan_list(&all, Some(year), Some(branch))
            .await
            .unwrap()
            .remove(0);
        assert_eq!(
            plan.status, "in_progress",
            "{b}: the demo plan is being carried out"
        );
        let c = app.login("zhibu").await;
        let html = page(&c, &app, &format!("/plans/{}", plan.id)).await;
        assert!(
            html.contains(&format!("href=\"/plans/{}/close\"", plan.id)),
            "{b}: closing is a page of its own, not one click"
        );
        // The status form alone cannot close it.
        let (_, html) = post(
            &c,
            &app,
            &format!("/plans/{}/status", plan.id),
            &csrf_of(&html),
            &[("status", "summarized")],
        )
        .await;
        assert!(html.contains("需要填写年度总结"), "{b}");

        // The confirmation drafts the summary from the plan's figures.
        let form = page(&c, &app, &format!("/plans/{}/close", plan.id)).await;
        assert!(
            form.contains("围绕") && form.contains("个业务目标") && form.contains("确认转为"),
            "{b}"
        );
        let (_, html) = post(
            &c,
            &app,
            &format!("/plans/{}/close", plan.id),
            &csrf_of(&form),
            &[("summary", "完成了。")],
        )
        .await;
        assert!(
            html.contains("至少 20 个字") && html.contains("完成了。"),
            "{b}: kept"
        );
        let text = "全年检定校准任务基本完成，党员先锋岗承担急难任务，党课与业务结合仍需加强，明年重点补齐。";
        let (url, html) = post(
            &c,
            &app,
            &format!("/plans/{}/close", plan.id),
            &csrf_of(&form),
            &[("summary", text)],
        )
        .await;
        assert_eq!(url, format!("/plans/{}", plan.id), "{b}");
        assert!(
            html.contains("计划已转为“已总结”") && html.contains(text),
            "{b}"
        );
        assert!(
            html.contains("重新打开计划"),
            "{b}: the editor may reopen within the window"
        );

        // Reopening needs a reason and is audited.
        let (_, html) = post(
            &c,
            &app,
            &format!("/plans/{}/reopen", plan.id),
            &csrf_of(&html),
            &[("reason", " ")],
        )
        .await;
        assert!(html.contains("请填写重新打开的理由"), "{b}: {html}");
        let (_, html) = post(
            &c,
            &app,
            &format!("/plans/{}/reopen", plan.id),
            &csrf_of(&html),
            &[("reason", "补录 12 月指标后重新总结")],
        )
        .await;
        assert!(html.contains("计划已重新打开"), "{b}");
        let history = app.store.history("plan", plan.id).await.unwrap();
        assert!(
            history.iter().any(|h| h.summary.contains("补录 12 月指标")),
            "{b}"
        );

        // Closed long ago: the branch cannot reopen, the committee above can.
        let form = page(&c, &app, &format!("/plans/{}/close", plan.id)).await;
        post(
            &c,
            &app,
            &format!("/plans/{}/close", plan.id),
            &csrf_of(&form),
            &[("summary", text)],
        )
        .await;
        let long_ago = ronghe_store::now_ms() - 40 * 86_400_000;
        sqlx::query("UPDATE plans SET summarized_at = $1 WHERE id = $2")
            .bind(long_ago)
            .bind(plan.id)
            .execute(app.store.pool())
            .await
            .unwrap();
        let html = page(&c, &app, &format!("/plans/{}", plan.id)).await;
        assert!(!html.contains("重新打开计划"), "{b}: the window has passed");
        let (_, html) = post(
            &c,
            &app,
            &format!("/plans/{}/reopen", plan.id),
            &csrf_of(&html),
            &[("reason", "再改一次")],
        )
        .await;
        assert!(html.contains("超过 30 天"), "{b}");
        let above = app.login("jiliang").await;
        let html = page(&above, &app, &format!("/plans/{}", plan.id)).await;
        assert!(
            html.contains("重新打开计划"),
            "{b}: the committee above may"
        );
        let (_, html) = post(
            &above,
            &app,
            &format!("/plans/{}/reopen", plan.id),
            &csrf_of(&html),
            &[("reason", "上级审核后退回修改")],
        )
        .await;
        assert!(html.contains("计划已重新打开"), "{b}");
    }
}
