//! Tasks carried by several people (牵头人 and 承办人) and marked off by milestones, over HTTP.

use super::tasks::api;
use super::*;
use chrono::Datelike;
use reqwest::Method;
use serde_json::{json, Value};

const BRANCH: &str = "检定校准党支部";

/// The world a test needs: a plan of the branch for the current year with a goal without KPI,
/// an item serving it, and people.
struct Setup {
    token: String,
    plan: i64,
    goal: i64,
    item: i64,
    year: i32,
    /// The lead, and another member of the branch.
    lead: ronghe_store::MemberRow,
    other: ronghe_store::MemberRow,
    /// The member behind the demo account `dangyuan`.
    dangyuan: ronghe_store::MemberRow,
    /// A member of the school, outside the branch.
    outsider_member: i64,
}

async fn setup(app: &TestApp) -> Setup {
    let token = app.token("zhibu").await;
    let all = Scope::everything();
    let branch = app.store.org_search(&all, BRANCH, 1).await.unwrap()[0].id;
    let year = ronghe_store::today().year();
    let (s, v) = api(
        app,
        &token,
        Method::POST,
        "/api/v1/plans",
        json!({"org_id": branch, "year": year, "title": "里程碑测试计划"}),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    let plan = v["id"].as_i64().unwrap();
    let post = |path: String, body: Value| {
        let (app, token) = (app, &token);
        async move {
            let (s, v) = api(app, token, Method::POST, &path, body).await;
            assert_eq!(s, 201, "{path}: {v}");
            v["id"].as_i64().unwrap()
        }
    };
    let goal = post(
        format!("/api/v1/plans/{plan}/goals"),
        json!({"title": "电学计量标准建标"}),
    )
    .await;
    let item = post(
        format!("/api/v1/plans/{plan}/items"),
        json!({"kind": "task_force", "title": "电学建标党员突击队"}),
    )
    .await;
    post(
        format!("/api/v1/plans/{plan}/links"),
        json!({"item_id": item, "goal_id": goal, "kind": "direct_boost", "junction": "突击队承担电能表检定装置建标攻关"}),
    )
    .await;
    let member_id = app
        .store
        .account_by_username("dangyuan")
        .await
        .unwrap()
        .unwrap()
        .member_id
        .expect("dangyuan is a member");
    let roster = app.store.member_roster(&all, branch).await.unwrap();
    let dangyuan = roster.iter().find(|m| m.id == member_id).unwrap().clone();
    let mut others = roster.into_iter().filter(|m| m.id != member_id);
    let (lead, other) = (others.next().unwrap(), others.next().unwrap());
    let school = app
        .store
        .org_search(&all, "高一年级党支部", 1)
        .await
        .unwrap()[0]
        .id;
    let outsider_member = app.store.member_roster(&all, school).await.unwrap()[0].id;
    Setup {
        token,
        plan,
        goal,
        item,
        year,
        lead,
        other,
        dangyuan,
        outsider_member,
    }
}

/// The deadline of the test task: a week ahead, inside the year (so it is on the 待办 list).
fn deadline(year: i32) -> String {
    let today = ronghe_store::today();
    let end = ronghe_core::Date::from_ymd_opt(year, 12, 31).unwrap();
    (today + chrono::Duration::days(7)).min(end).to_string()
}

async fn send_form(
    c: &Client,
    app: &TestApp,
    path: &str,
    fields: &[(&str, String)],
) -> (String, String) {
    let res = c.post(app.url(path)).form(fields).send().await.unwrap();
    let url = res.url().path().to_string();
    (url, res.text().await.unwrap())
}

#[tokio::test]
async fn a_task_with_co_assignees_and_milestones_rolls_up_and_reaches_their_todo() {
    for b in backends() {
        let app = spawn_base(b).await;
        let s = setup(&app).await;
        let c = app.login("zhibu").await;
        let plan_path = format!("/plans/{}", s.plan);
        let html = page(&c, &app, &plan_path).await;
        assert!(
            html.contains(&format!(
                "name=\"assignee_ids\" value=\"{}\"",
                s.dangyuan.id
            )),
            "{b}: the roster is offered as co-assignees"
        );
        let csrf = csrf_of(&html);
        let first = format!("{}-01-01 完成建标方案", s.year);
        let due = deadline(s.year);
        let milestones = format!("{first}\n\n{due} 提交考核申请\n");
        let (url, _) = send_form(
            &c,
            &app,
            &format!("{plan_path}/tasks"),
            &[
                ("csrf", csrf.clone()),
                ("title", "电能表检定装置建标".into()),
                ("item_id", s.item.to_string()),
                ("goal_id", s.goal.to_string()),
                ("assignee_member_id", s.lead.id.to_string()),
                ("assignee_ids", s.dangyuan.id.to_string()),
                ("assignee_ids", s.other.id.to_string()),
                ("assignee_ids", s.lead.id.to_string()),
                ("deadline", due.clone()),
                ("milestones", milestones),
            ],
        )
        .await;
        assert_eq!(url, plan_path, "{b}: deployed");

        let (_, v) = api(
            &app,
            &s.token,
            Method::GET,
            &format!("/api/v1/plans/{}", s.plan),
            Value::Null,
        )
        .await;
        let task = v["tasks"][0]["id"].as_i64().unwrap();
        let (_, v) = api(
            &app,
            &s.token,
            Method::GET,
            &format!("/api/v1/tasks/{task}"),
            Value::Null,
        )
        .await;
        let ids: Vec<i64> = v["assignees"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["member_id"].as_i64().unwrap())
            .collect();
        assert_eq!(ids.len(), 2, "{b}: the lead is not also a co-assignee: {v}");
        assert!(ids.contains(&s.dangyuan.id) && ids.contains(&s.other.id));
        assert_eq!(v["milestones"].as_array().unwrap().len(), 2, "{b}");
        assert_eq!(v["progress"]["percent"], 0);
        let m1 = v["milestones"][0]["id"].as_i64().unwrap();
        let said = &app.store.history("plan", s.plan).await.unwrap()[0].summary;
        assert!(
            said.contains("承办人 2 人") && said.contains("里程碑 2 个"),
            "{b}: {said}"
        );

        // The plan page names everyone and counts the milestones.
        let html = page(&c, &app, &plan_path).await;
        assert!(
            html.contains(&s.lead.name)
                && html.contains(&s.dangyuan.name)
                && html.contains(&s.other.name),
            "{b}"
        );
        assert!(html.contains("里程碑 0/2"), "{b}");
        // The task page lists them, with a button each; the first one is overdue (1 January).
        let task_path = format!("/tasks/{task}");
        let html = page(&c, &app, &task_path).await;
        assert!(
            html.contains("完成建标方案")
                && html.contains("提交考核申请")
                && html.contains("标记完成"),
            "{b}"
        );
        assert!(
            html.contains("承办人") && html.contains(&s.other.name),
            "{b}"
        );
        if ronghe_store::today().ordinal() > 1 {
            assert!(
                html.contains("1 个节点逾期"),
                "{b}: overdue milestone flagged"
            );
        }

        // Without the token: refused, nothing marked.
        let done_path = format!("/tasks/{task}/milestones/{m1}/done");
        let res = c
            .post(app.url(&done_path))
            .form(&[("x", "1")])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403, "{b}");
        // Another subtree's committee: as if it did not exist.
        let outsider = app.login("xuexiao").await;
        let home = page(&outsider, &app, "/").await;
        let res = outsider
            .post(app.url(&done_path))
            .form(&[("csrf", csrf_of(&home))])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404, "{b}");
        assert_eq!(
            outsider
                .get(app.url(&task_path))
                .send()
                .await
                .unwrap()
                .status(),
            404
        );
        let (_, v) = api(
            &app,
            &s.token,
            Method::GET,
            &format!("/api/v1/tasks/{task}"),
            Value::Null,
        )
        .await;
        assert_eq!(
            v["milestones"][0]["done_on"],
            Value::Null,
            "{b}: still open"
        );

        // Marked done: the task's progress and the goal's roll-up follow.
        let (url, html) = send_form(&c, &app, &done_path, &[("csrf", csrf.clone())]).await;
        assert_eq!(url, task_path, "{b}");
        assert!(
            html.contains("按里程碑完成 1/2 计：50.0%") && html.contains("撤销完成"),
            "{b}: progress from milestones"
        );
        assert!(!html.contains("节点逾期"), "{b}: done is not overdue");
        let html = page(&c, &app, &plan_path).await;
        assert!(html.contains("里程碑 1/2"), "{b}");
        assert!(
            html.contains("目标进度 50%：尚无业务指标，按 1 个党建工作项的平均进度计：50.0%"),
            "{b}: goal roll-up"
        );
        let said = &app.store.history("plan", s.plan).await.unwrap()[0].summary;
        assert!(
            said.contains("里程碑「完成建标方案」标记完成"),
            "{b}: {said}"
        );
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'update' AND target = $1 AND detail = $2",
        )
        .bind(format!("plan:{}", s.plan))
        .bind(said)
        .fetch_one(app.store.pool())
        .await
        .unwrap();
        assert_eq!(n, 1, "{b}: audited");

        // A reported percentage wins over the milestones.
        let (st, v) = api(
            &app,
            &s.token,
            Method::POST,
            &format!("/api/v1/tasks/{task}/updates"),
            json!({"status": "in_progress", "percent": 80}),
        )
        .await;
        assert_eq!(st, 200, "{v}");
        assert_eq!(v["progress"]["percent"], 80, "{b}");
        assert!(v["progress"]["explanation"]
            .as_str()
            .unwrap()
            .contains("以报告的进度为准"));

        // The co-assignee sees it on the 待办 list, may open it and mark a milestone.
        let d = app.login("dangyuan").await;
        let home = page(&d, &app, "/").await;
        assert!(
            home.contains("电能表检定装置建标"),
            "{b}: on the co-assignee's 待办"
        );
        let html = page(&d, &app, &task_path).await;
        assert!(html.contains("撤销完成"), "{b}: may mark milestones");
        let (url, html) = send_form(
            &d,
            &app,
            &format!("/tasks/{task}/milestones/{m1}/undo"),
            &[("csrf", csrf_of(&html))],
        )
        .await;
        assert_eq!(url, task_path, "{b}");
        assert!(html.contains("标记完成"), "{b}");
        let said = &app.store.history("plan", s.plan).await.unwrap()[0].summary;
        assert!(said.contains("撤销完成"), "{b}: {said}");
    }
}

#[tokio::test]
async fn outsiders_and_dates_outside_the_plan_are_refused_with_the_input_kept() {
    for b in backends() {
        let app = spawn_base(b).await;
        let s = setup(&app).await;
        let c = app.login("zhibu").await;
        let plan_path = format!("/plans/{}", s.plan);
        let csrf = csrf_of(&page(&c, &app, &plan_path).await);
        let due = deadline(s.year);
        let fields = |assignee: i64, milestones: String| {
            vec![
                ("csrf", csrf.clone()),
                ("title", "拒绝测试任务".to_string()),
                ("goal_id", s.goal.to_string()),
                ("assignee_ids", assignee.to_string()),
                ("deadline", due.clone()),
                ("milestones", milestones),
            ]
        };
        let typed = format!("{}-01-01 第一个节点", s.year);

        // A co-assignee from another organization.
        let (url, html) = send_form(
            &c,
            &app,
            &format!("{plan_path}/tasks"),
            &fields(s.outsider_member, typed.clone()),
        )
        .await;
        assert_eq!(url, format!("{plan_path}/tasks"), "{b}: shown again");
        assert!(
            html.contains("所选承办人中有 1 人不是检定校准党支部的在册党员"),
            "{b}"
        );
        assert!(
            html.contains("value=\"拒绝测试任务\"") && html.contains(&typed),
            "{b}: input kept"
        );
        // A milestone outside the plan's year.
        let next_year = format!("{}-01-10 年后验收", s.year + 1);
        let (_, html) = send_form(
            &c,
            &app,
            &format!("{plan_path}/tasks"),
            &fields(s.other.id, format!("{typed}\n{next_year}")),
        )
        .await;
        assert!(
            html.contains(&format!("第 2 行：节点日期应在 {} 年内", s.year)),
            "{b}"
        );
        assert!(
            html.contains(&next_year) && html.contains("value=\"拒绝测试任务\""),
            "{b}"
        );
        assert!(
            html.contains(&format!("value=\"{}\" checked", s.other.id)),
            "{b}: the tick kept"
        );
        let (_, v) = api(
            &app,
            &s.token,
            Method::GET,
            &format!("/api/v1/plans/{}", s.plan),
            Value::Null,
        )
        .await;
        assert_eq!(
            v["tasks"].as_array().unwrap().len(),
            0,
            "{b}: nothing saved"
        );

        // The API: strict and with the same checks.
        let path = format!("/api/v1/plans/{}/tasks", s.plan);
        let body = |extra: Value| {
            let mut v = json!({"title": "接口任务", "goal_id": s.goal, "deadline": due});
            v.as_object_mut()
                .unwrap()
                .extend(extra.as_object().unwrap().clone());
            v
        };
        let (st, v) = api(
            &app,
            &s.token,
            Method::POST,
            &path,
            body(json!({"assignee_ids": [s.outsider_member]})),
        )
        .await;
        assert_eq!(
            (st, v["fields"][0]["field"].as_str()),
            (422, Some("assignee_ids")),
            "{b}: {v}"
        );
        let (st, v) = api(
            &app,
            &s.token,
            Method::POST,
            &path,
            body(json!({"milestones": [{"title": "年后", "due_on": format!("{}-01-10", s.year + 1)}]})),
        )
        .await;
        assert_eq!(
            (st, v["fields"][0]["field"].as_str()),
            (422, Some("milestones")),
            "{b}: {v}"
        );
        let (st, v) = api(
            &app,
            &s.token,
            Method::POST,
            &path,
            body(json!({"milestones": [{"title": "x", "when": "2026-01-01"}]})),
        )
        .await;
        assert_eq!(
            (st, v["fields"][0]["field"].as_str()),
            (422, Some("milestones[0].when")),
            "{b}"
        );
        let (st, v) = api(
            &app,
            &s.token,
            Method::POST,
            &path,
            body(json!({"assignee_ids": [s.other.id, s.dangyuan.id],
                        "milestones": [{"title": "方案", "due_on": format!("{}-01-01", s.year)}, {"title": "验收", "due_on": due}]})),
        )
        .await;
        assert_eq!(st, 201, "{b}: {v}");
        let task = v["id"].as_i64().unwrap();
        let (_, v) = api(
            &app,
            &s.token,
            Method::GET,
            &format!("/api/v1/tasks/{task}"),
            Value::Null,
        )
        .await;
        let m1 = v["milestones"][0]["id"].as_i64().unwrap();
        let done = format!("/api/v1/tasks/{task}/milestones/{m1}/done");
        let (st, v) = api(
            &app,
            &s.token,
            Method::POST,
            &done,
            json!({"done_on": "2099-01-01"}),
        )
        .await;
        assert_eq!(
            (st, v["fields"][0]["field"].as_str()),
            (422, Some("done_on")),
            "{b}"
        );
        let (st, _) = api(&app, &s.token, Method::POST, &done, json!({"at": "x"})).await;
        assert_eq!(st, 422, "{b}");
        let (st, v) = api(&app, &s.token, Method::POST, &done, Value::Null).await;
        assert_eq!(st, 200, "{b}: {v}");
        assert_eq!(v["progress"]["percent"], 50, "{b}");
        assert_eq!(
            v["milestones"][0]["done_on"],
            ronghe_store::today().to_string()
        );
        let (_, v) = api(
            &app,
            &s.token,
            Method::GET,
            &format!("/api/v1/plans/{}", s.plan),
            Value::Null,
        )
        .await;
        assert_eq!(v["task_progress"][0]["percent"], 50, "{b}: {v}");
        assert_eq!(v["task_milestones"].as_array().unwrap().len(), 2);
        let other = app.token("xuexiao").await;
        let (st, _) = api(&app, &other, Method::POST, &done, Value::Null).await;
        assert_eq!(st, 404, "{b}: outsider");
        // Undone with a JSON false, and done again; a boolean where a text belongs is refused.
        let (st, v) = api(&app, &s.token, Method::POST, &done, json!({"done": false})).await;
        assert_eq!(
            (st, &v["milestones"][0]["done_on"]),
            (200, &Value::Null),
            "{b}: {v}"
        );
        let (st, _) = api(&app, &s.token, Method::POST, &done, json!({"done": true})).await;
        assert_eq!(st, 200, "{b}");
        let (st, v) = api(
            &app,
            &s.token,
            Method::POST,
            &done,
            json!({"done_on": true}),
        )
        .await;
        assert_eq!(
            (st, v["fields"][0]["field"].as_str()),
            (422, Some("done_on")),
            "{b}: {v}"
        );

        // PUT without the lists keeps them; with them, replaces them (a kept name keeps its
        // done day) and says so in the history.
        let put = format!("/api/v1/tasks/{task}");
        let (st, v) = api(
            &app,
            &s.token,
            Method::PUT,
            &put,
            json!({"title": "接口任务（改）", "goal_id": s.goal, "deadline": due}),
        )
        .await;
        assert_eq!(st, 200, "{b}: {v}");
        assert_eq!(v["assignees"].as_array().unwrap().len(), 2, "{b}");
        assert_eq!(v["milestones"].as_array().unwrap().len(), 2, "{b}");
        let (st, v) = api(
            &app,
            &s.token,
            Method::PUT,
            &put,
            json!({"title": "接口任务（改）", "goal_id": s.goal, "deadline": due, "assignee_ids": [s.other.id],
                   "milestones": format!("{}-01-01 方案\n{due} 中期检查", s.year)}),
        )
        .await;
        assert_eq!(st, 200, "{b}: {v}");
        assert_eq!(
            v["milestones"][0]["done_on"],
            ronghe_store::today().to_string(),
            "{b}: kept"
        );
        assert_eq!(v["milestones"][1]["title"], "中期检查");
        let said = &app.store.history("plan", s.plan).await.unwrap()[0].summary;
        assert!(
            said.contains("承办人 ")
                && said.contains("新增「中期检查」")
                && said.contains("删除「验收」"),
            "{b}: {said}"
        );

        let doc: Value = client()
            .get(app.url("/api/openapi.json"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(doc["paths"]["/api/v1/tasks/{id}/milestones/{mid}/done"]["post"].is_object());
        let schema = &doc["paths"]["/api/v1/plans/{id}/tasks"]["post"]["requestBody"]["content"]
            ["application/json"]["schema"];
        assert!(
            schema["properties"]["milestones"].is_object()
                && schema["properties"]["assignee_ids"].is_object()
        );

        // The edit page: filled in, and a milestone after the deadline refused with input kept.
        let edit = format!("/tasks/{task}/edit");
        let html = page(&c, &app, &edit).await;
        assert!(html.contains(&format!("{due} 中期检查")), "{b}: filled in");
        assert!(
            html.contains(&format!("value=\"{}\" checked", s.other.id)),
            "{b}"
        );
        let late = format!("{}-01-01 方案\n{}-12-31 年底总结", s.year, s.year);
        let (url, html) = send_form(
            &c,
            &app,
            &edit,
            &[
                ("csrf", csrf_of(&html)),
                ("title", "接口任务（改）".into()),
                ("goal_id", s.goal.to_string()),
                ("deadline", format!("{}-12-30", s.year)),
                ("milestones", late.clone()),
            ],
        )
        .await;
        assert_eq!(url, edit, "{b}");
        assert!(
            html.contains("第 2 行：节点日期") && html.contains("晚于任务截止日期"),
            "{b}"
        );
        assert!(html.contains("年底总结"), "{b}: kept");
    }
}
