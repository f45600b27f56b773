//! Correcting, deleting and cancelling tasks, over HTTP.

use super::*;
use serde_json::{json, Value};

const BRANCH: &str = "检定校准党支部";
const YEAR: i64 = 2033;

/// Calls the API with a bearer token; returns the status and the JSON answer.
pub(super) async fn api(
    app: &TestApp,
    token: &str,
    method: reqwest::Method,
    path: &str,
    body: Value,
) -> (u16, Value) {
    let mut req = client().request(method, app.url(path)).bearer_auth(token);
    if !body.is_null() {
        req = req.json(&body);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json::<Value>().await.unwrap_or_default())
}

/// A plan of the branch for [`YEAR`] with one goal; returns (plan, goal).
async fn plan_with_goal(app: &TestApp, token: &str, branch: i64) -> (i64, i64) {
    let (s, v) = api(
        app,
        token,
        reqwest::Method::POST,
        "/api/v1/plans",
        json!({"org_id": branch, "year": YEAR, "title": "任务修改测试计划"}),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    let plan = v["id"].as_i64().unwrap();
    let (s, v) = api(
        app,
        token,
        reqwest::Method::POST,
        &format!("/api/v1/plans/{plan}/goals"),
        json!({"title": "检定校准能力提升"}),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    (plan, v["id"].as_i64().unwrap())
}

async fn new_task(app: &TestApp, token: &str, plan: i64, goal: i64, title: &str) -> i64 {
    let (s, v) = api(
        app,
        token,
        reqwest::Method::POST,
        &format!("/api/v1/plans/{plan}/tasks"),
        json!({"title": title, "goal_id": goal, "deadline": format!("{YEAR}-06-30")}),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    v["id"].as_i64().unwrap()
}

#[tokio::test]
async fn a_task_is_corrected_with_its_input_kept_on_error_and_audited() {
    for b in backends() {
        let app = spawn(b).await;
        let token = app.token("zhibu").await;
        let branch = app
            .store
            .org_search(&Scope::everything(), BRANCH, 1)
            .await
            .unwrap()[0]
            .id;
        let (plan, goal) = plan_with_goal(&app, &token, branch).await;
        let task = new_task(&app, &token, plan, goal, "完成长度计量标准建标").await;
        let assignee = app
            .store
            .member_roster(&Scope::everything(), branch)
            .await
            .unwrap()[2]
            .clone();

        let c = app.login("zhibu").await;
        let html = page(&c, &app, &format!("/tasks/{task}")).await;
        assert!(html.contains(&format!("/tasks/{task}/edit")), "{b}: linked");
        let form = page(&c, &app, &format!("/tasks/{task}/edit")).await;
        assert!(
            form.contains("修改任务")
                && form.contains("value=\"完成长度计量标准建标\"")
                && form.contains(&format!("value=\"{YEAR}-06-30\"")),
            "{b}: filled in"
        );
        let csrf = csrf_of(&form);
        let path = format!("/tasks/{task}/edit");
        let assignee_id = assignee.id.to_string();
        let fields = |deadline: &'static str| {
            vec![
                ("title", "完成长度计量标准建标并通过考核".to_string()),
                ("goal_id", goal.to_string()),
                ("item_id", String::new()),
                ("assignee_member_id", assignee_id.clone()),
                ("business_owner", "长度室 王主任".to_string()),
                ("deadline", deadline.to_string()),
            ]
        };
        let send = |fields: Vec<(&'static str, String)>, with_token: bool| {
            let mut f: Vec<(&str, String)> = fields;
            if with_token {
                f.push(("csrf", csrf.clone()));
            }
            c.post(app.url(&path)).form(&f).send()
        };

        // A deadline outside the plan's year: refused, what was typed kept, nothing saved.
        let res = send(fields("2034-01-10"), true).await.unwrap();
        assert_eq!(res.url().path(), path, "{b}");
        let html = res.text().await.unwrap();
        assert!(
            html.contains(&format!("截止日期应在 {YEAR} 年内"))
                && html.contains("完成长度计量标准建标并通过考核")
                && html.contains("长度室 王主任")
                && html.contains("value=\"2034-01-10\""),
            "{b}: input kept"
        );
        assert!(
            html.contains(&format!("value=\"{}\" selected", assignee.id)),
            "{b}: choice kept"
        );
        let (_, v) = api(
            &app,
            &token,
            reqwest::Method::GET,
            &format!("/api/v1/tasks/{task}"),
            Value::Null,
        )
        .await;
        assert_eq!(v["task"]["title"], "完成长度计量标准建标", "{b}");

        // Without the token: refused.
        let res = send(fields("2033-09-30"), false).await.unwrap();
        assert_eq!(res.status(), 403, "{b}");

        let res = send(fields("2033-09-30"), true).await.unwrap();
        assert_eq!(res.url().path(), format!("/tasks/{task}"), "{b}");
        let html = res.text().await.unwrap();
        assert!(
            html.contains("任务修改已保存")
                && html.contains("完成长度计量标准建标并通过考核")
                && html.contains("2033-09-30")
                && html.contains(&assignee.name),
            "{b}"
        );
        let said = &app.store.history("plan", plan).await.unwrap()[0].summary;
        assert!(
            said.contains("截止日期 2033-06-30 → 2033-09-30")
                && said.contains("名称「完成长度计量标准建标」")
                && said.contains(&format!("牵头人 未指定 → 「{}」", assignee.name))
                && said.contains("业务协同负责人 无 → 长度室 王主任"),
            "{b}: {said}"
        );
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'update' AND target = $1 AND detail = $2",
        )
        .bind(format!("plan:{plan}"))
        .bind(said)
        .fetch_one(app.store.pool())
        .await
        .unwrap();
        assert_eq!(n, 1, "{b}: audited");

        // Another subtree's committee: as if it did not exist.
        let outsider = app.login("xuexiao").await;
        for p in [
            format!("/tasks/{task}/edit"),
            format!("/tasks/{task}/delete"),
        ] {
            let res = outsider.get(app.url(&p)).send().await.unwrap();
            assert_eq!(res.status(), 404, "{b}: {p}");
        }
        let home = page(&outsider, &app, "/").await;
        let res = outsider
            .post(app.url(&format!("/tasks/{task}/delete")))
            .form(&[("csrf", csrf_of(&home))])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404, "{b}");
        let other = app.token("xuexiao").await;
        let (s, _) = api(
            &app,
            &other,
            reqwest::Method::PUT,
            &format!("/api/v1/tasks/{task}"),
            json!({"title": "x"}),
        )
        .await;
        assert_eq!(s, 404, "{b}");

        // The API: strict, same checks.
        let put = |body: Value| {
            let (app, token, path) = (&app, &token, format!("/api/v1/tasks/{task}"));
            async move { api(app, token, reqwest::Method::PUT, &path, body).await }
        };
        let (s, v) = put(
            json!({"title": "t", "goal_id": goal, "deadline": "2033-10-01",
                                "priority": ["x"]}),
        )
        .await;
        assert_eq!(
            (s, v["fields"][0]["field"].as_str()),
            (422, Some("priority")),
            "{b}: unknown field named"
        );
        let (s, v) = put(json!({"title": "t", "goal_id": goal, "deadline": "2032-12-31"})).await;
        assert_eq!(
            (s, v["fields"][0]["field"].as_str()),
            (422, Some("deadline"))
        );
        let (s, v) = put(
            json!({"title": "建标攻关", "goal_id": goal, "deadline": "2033-10-01",
                                "assignee_member_id": assignee.id}),
        )
        .await;
        assert_eq!(s, 200, "{b}: {v}");
        assert_eq!(v["task"]["deadline"], "2033-10-01");
        assert_eq!(
            v["task"]["business_owner"],
            Value::Null,
            "{b}: replaced whole"
        );

        let doc: Value = client()
            .get(app.url("/api/openapi.json"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        for m in ["get", "put", "delete"] {
            assert!(
                doc["paths"]["/api/v1/tasks/{id}"][m].is_object(),
                "{b}: {m}"
            );
        }
    }
}

#[tokio::test]
async fn a_task_without_progress_is_deleted_one_with_progress_is_cancelled() {
    for b in backends() {
        let app = spawn(b).await;
        let token = app.token("zhibu").await;
        let branch = app
            .store
            .org_search(&Scope::everything(), BRANCH, 1)
            .await
            .unwrap()[0]
            .id;
        let (plan, goal) = plan_with_goal(&app, &token, branch).await;
        let mistaken = new_task(&app, &token, plan, goal, "误部署的任务").await;
        let reported = new_task(&app, &token, plan, goal, "已有进展的任务").await;
        let by_api = new_task(&app, &token, plan, goal, "接口删除的任务").await;
        let c = app.login("zhibu").await;

        // No progress yet: the page says what goes, and deletes after the confirmation.
        let html = page(&c, &app, &format!("/tasks/{mistaken}/delete")).await;
        assert!(
            html.contains("删除任务？") && html.contains("误部署的任务"),
            "{b}"
        );
        let csrf = csrf_of(&html);
        let res = c
            .post(app.url(&format!("/tasks/{mistaken}/delete")))
            .form(&[("x", "1")])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403, "{b}: no token");
        let res = c
            .post(app.url(&format!("/tasks/{mistaken}/delete")))
            .form(&[("csrf", csrf.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(res.url().path(), format!("/plans/{plan}"), "{b}");
        assert!(!res.text().await.unwrap().contains("误部署的任务"));
        let get = |id: i64| {
            let (app, token, path) = (&app, &token, format!("/api/v1/tasks/{id}"));
            async move { api(app, token, reqwest::Method::GET, &path, Value::Null).await }
        };
        assert_eq!(get(mistaken).await.0, 404, "{b}: gone");
        let said = &app.store.history("plan", plan).await.unwrap()[0].summary;
        assert!(said.contains("删除任务「误部署的任务」"), "{b}: {said}");

        // With a progress report it is not deleted, and the page says why and offers 已取消.
        let (s, _) = api(
            &app,
            &token,
            reqwest::Method::POST,
            &format!("/api/v1/tasks/{reported}/updates"),
            json!({"status": "in_progress", "percent": 30, "note": "已开始"}),
        )
        .await;
        assert_eq!(s, 200);
        let html = page(&c, &app, &format!("/tasks/{reported}/delete")).await;
        assert!(
            html.contains("不能删除")
                && html.contains("1 条进展记录")
                && html.contains("改为已取消"),
            "{b}"
        );
        let res = c
            .post(app.url(&format!("/tasks/{reported}/delete")))
            .form(&[("csrf", csrf.as_str())])
            .send()
            .await
            .unwrap();
        assert!(res.text().await.unwrap().contains("不能删除"), "{b}");
        assert_eq!(get(reported).await.0, 200, "{b}: still there");
        let (s, v) = api(
            &app,
            &token,
            reqwest::Method::DELETE,
            &format!("/api/v1/tasks/{reported}"),
            Value::Null,
        )
        .await;
        assert_eq!(s, 409, "{b}");
        assert!(v["error"].as_str().unwrap().contains("已取消"), "{v}");

        let res = c
            .post(app.url(&format!("/tasks/{reported}/cancel")))
            .form(&[("csrf", csrf.as_str()), ("note", "上级调整部署")])
            .send()
            .await
            .unwrap();
        assert_eq!(res.url().path(), format!("/tasks/{reported}"), "{b}");
        let html = res.text().await.unwrap();
        assert!(
            html.contains("已取消") && html.contains("取消任务：上级调整部署"),
            "{b}"
        );
        let (_, v) = get(reported).await;
        assert_eq!(v["task"]["status"], "cancelled");
        assert_eq!(v["task"]["percent"], 30, "{b}: progress kept");
        // Cancelling twice explains itself instead of failing.
        let res = c
            .post(app.url(&format!("/tasks/{reported}/cancel")))
            .form(&[("csrf", csrf.as_str())])
            .send()
            .await
            .unwrap();
        assert!(res.text().await.unwrap().contains("任务已是“已取消”"));

        // The API deletes one nobody reported on: 204.
        let (s, _) = api(
            &app,
            &token,
            reqwest::Method::DELETE,
            &format!("/api/v1/tasks/{by_api}"),
            Value::Null,
        )
        .await;
        assert_eq!(s, 204, "{b}");
        assert_eq!(get(by_api).await.0, 404);
    }
}
