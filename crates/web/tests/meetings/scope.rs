//! Scope, escaping and the API's strictness for meeting records.

use super::*;

#[tokio::test]
async fn meetings_out_of_scope_answer_404_in_pages_and_api() {
    for b in backends() {
        let app = spawn(b).await;
        let school = org(&app, SCHOOL_BRANCH).await;
        let people = roster(&app, &school).await;
        let input = MeetingInput {
            org_id: school.id,
            kind: MeetingKind::ThemeDay,
            date: ronghe_store::today(),
            topic: "主题党日：师德师风专题学习".into(),
            content: None,
            decisions: None,
            attendees: people.iter().map(|p| p.id).collect(),
            absentees: Vec::new(),
            goals: Vec::new(),
            starts_at: None,
            place: None,
            chair: None,
            recorder: None,
            guests: None,
            items: Vec::new(),
        };
        let entitled = app
            .store
            .meeting_entitled(&school, MeetingKind::ThemeDay)
            .await
            .unwrap();
        let id = app
            .store
            .meeting_create(
                &Actor::system("测试"),
                &Scope::everything(),
                &input,
                entitled,
            )
            .await
            .unwrap();

        let c = app.login("zhibu").await;
        for path in [
            format!("/meetings/{id}"),
            format!("/orgs/{}/meetings", school.id),
            format!("/meetings/new?org={}", school.id),
        ] {
            let (status, html) = page(&c, &app, &path).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{b} {path}");
            assert!(!html.contains("师德师风专题学习"));
        }
        let token = app.token("zhibu").await;
        for path in [
            format!("/api/v1/meetings/{id}"),
            format!("/api/v1/orgs/{}/meetings", school.id),
            format!("/api/v1/orgs/{}/compliance", school.id),
        ] {
            let res = client()
                .get(app.url(&path))
                .bearer_auth(&token)
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), StatusCode::NOT_FOUND, "{b} {path}");
            assert_eq!(res.headers()["content-type"], "application/json");
        }
        let denied = app
            .store
            .audit_list(&ronghe_store::AuditFilter {
                action: Some("denied".into()),
                ..Default::default()
            })
            .await
            .unwrap();
        assert!(
            denied
                .items
                .iter()
                .any(|r| r.target == format!("meeting:{id}") && r.username == "zhibu"),
            "{b}: denial audited"
        );

        // The school's committee sees it; a plain member records nothing and reads no records.
        let xuexiao = app.login("xuexiao").await;
        let (status, html) = page(&xuexiao, &app, &format!("/meetings/{id}")).await;
        assert_eq!(status, 200, "{b}");
        assert!(html.contains("师德师风专题学习"));
        let branch = org(&app, BRANCH).await;
        let member = app.login("dangyuan").await;
        let (status, _) = page(&member, &app, &format!("/meetings/new?org={}", branch.id)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{b}: member cannot record");
        // The branch's list is not theirs: they are taken to their own attendance instead.
        let res = member
            .get(app.url(&format!("/orgs/{}/meetings", branch.id)))
            .send()
            .await
            .unwrap();
        assert!(
            res.url().path().starts_with("/members/"),
            "{b}: member reads no branch records"
        );
        let member_token = app.token("dangyuan").await;
        let res = client()
            .post(app.url("/api/v1/meetings"))
            .bearer_auth(&member_token)
            .json(&json!({"org_id": branch.id}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{b}");
    }
}

#[tokio::test]
async fn a_script_in_a_topic_is_shown_as_text() {
    for b in backends() {
        let app = spawn(b).await;
        let branch = org(&app, BRANCH).await;
        let people = roster(&app, &branch).await;
        let token = app.token("zhibu").await;
        let payload = "<script>alert(1)</script>";
        let res = client()
            .post(app.url("/api/v1/meetings"))
            .bearer_auth(&token)
            .json(&json!({
                "org_id": branch.id, "kind": "theme_day", "date": ronghe_store::today().to_string(),
                "topic": payload, "content": "<img src=x onerror=alert(2)>",
                "decisions": "\"><svg onload=alert(3)>",
                "attendees": people.iter().skip(1).map(|p| p.id).collect::<Vec<_>>(),
                "absentees": [{"member_id": people[0].id, "reason": "<b>病假</b>"}],
            }))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::CREATED, "{b}");
        let v: Value = res.json().await.unwrap();
        let id = v["id"].as_i64().unwrap();
        assert_eq!(v["topic"], payload, "{b}: stored as typed");
        let c = app.login("zhibu").await;
        for path in [
            format!("/meetings/{id}"),
            format!("/orgs/{}/meetings", branch.id),
        ] {
            let (_, html) = page(&c, &app, &path).await;
            assert!(
                !html.contains(payload)
                    && !html.contains("<img src=x")
                    && !html.contains("<b>病假"),
                "{b} {path}: raw payload"
            );
            assert!(
                html.contains("&lt;script&gt;alert(1)&lt;/script&gt;")
                    || html.contains("&#60;script&#62;"),
                "{b} {path}: escaped"
            );
        }
        let (_, html) = page(&c, &app, &format!("/meetings/{id}")).await;
        assert!(!html.contains("<svg onload"), "{b}");
    }
}

#[tokio::test]
async fn the_api_is_strict_and_round_trips() {
    for b in backends() {
        let app = spawn(b).await;
        let branch = org(&app, BRANCH).await;
        let people = roster(&app, &branch).await;
        let token = app.token("zhibu").await;
        let post = |body: Value| {
            let req = client()
                .post(app.url("/api/v1/meetings"))
                .bearer_auth(&token)
                .json(&body);
            async move { req.send().await.unwrap() }
        };
        let today = ronghe_store::today().to_string();
        let res = post(json!({"org_id": branch.id, "kind": "theme_day", "date": today, "topic": "t",
                              "attendees": [people[0].id], "photo": "x.jpg",
                              "absentees": [{"member_id": people[1].id, "reason": "出差", "gps": "1,2"}]}))
        .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        let v: Value = res.json().await.unwrap();
        let named: Vec<&str> = v["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["field"].as_str().unwrap())
            .collect();
        assert!(
            named.contains(&"photo") && named.contains(&"absentees[0].gps"),
            "{b}: {named:?}"
        );
        let res = post(json!({"org_id": branch.id, "kind": "theme_day", "date": today, "topic": "t",
                              "attendees": [people[0].id], "absentees": [{"member_id": people[1].id}]}))
        .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        let v: Value = res.json().await.unwrap();
        assert_eq!(v["fields"][0]["field"], "absentees");
        assert_eq!(v["fields"][0]["message"], "请填写每位缺席人员的缺席原因");
        let res = post(
            json!({"org_id": branch.id, "kind": "general_assembly", "date": "2099-01-01",
                              "topic": "t", "attendees": [people[0].id]}),
        )
        .await;
        assert_eq!(
            res.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{b}: future date"
        );

        let everyone: Vec<i64> = people.iter().map(|p| p.id).collect();
        let res = post(
            json!({"org_id": branch.id.to_string(), "kind": "general_assembly", "date": today,
                              "topic": "党员大会", "attendees": everyone}),
        )
        .await;
        assert_eq!(res.status(), StatusCode::CREATED, "{b}");
        let created: Value = res.json().await.unwrap();
        assert_eq!(created["quorum_met"], true);
        assert!(created["quorum"]["explanation"]
            .as_str()
            .unwrap()
            .contains("会议有效"));
        let id = created["id"].as_i64().unwrap();
        let list: Value = client()
            .get(app.url(&format!("/api/v1/orgs/{}/meetings", branch.id)))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(list["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["id"] == id && m["kind_label"] == "党员大会"));
        let bad_year = client()
            .get(app.url(&format!("/api/v1/orgs/{}/meetings?year=abc", branch.id)))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(bad_year.status(), StatusCode::BAD_REQUEST);
        let doc: Value = client()
            .get(app.url("/api/openapi.json"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        for p in [
            "/api/v1/meetings",
            "/api/v1/meetings/{id}",
            "/api/v1/orgs/{id}/meetings",
            "/api/v1/orgs/{id}/compliance",
        ] {
            assert!(doc["paths"][p].is_object(), "{b}: {p} documented");
        }
        assert!(doc["components"]["schemas"]["MeetingInput"].is_object());
    }
}

#[tokio::test]
async fn an_oversized_field_is_answered_at_the_field_with_the_text_kept() {
    let app = spawn("sqlite").await;
    let branch = org(&app, BRANCH).await;
    let people = roster(&app, &branch).await;
    let c = app.login("zhibu").await;
    let ticked: Vec<i64> = people.iter().map(|p| p.id).collect();
    let mut body = fields(
        &form_csrf(&c, &app, branch.id).await,
        branch.id,
        "theme_day",
        &ronghe_store::today().to_string(),
        "主题党日",
        &people,
        &ticked,
        &[],
        &[],
    );
    let content = "学习".repeat(60_000) + "结尾标记";
    body.push(("content".into(), content.clone()));
    let before = meeting_count(&app).await;
    let res = c
        .post(app.url("/meetings/new"))
        .form(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("会议内容不能超过 5000 个字") && html.contains("当前 120004 个字"),
        "the field says what is wrong"
    );
    assert!(html.contains("结尾标记"), "what was typed is kept");
    assert!(
        html.contains("maxlength=\"5000\""),
        "the box states its limit"
    );
    assert_eq!(meeting_count(&app).await, before, "nothing saved");
}

#[tokio::test]
async fn the_api_names_bad_filters_refuses_non_json_and_pages_every_list() {
    let app = spawn("sqlite").await;
    let token = app.token("zhibu").await;
    let branch = org(&app, BRANCH).await;
    let get = |path: String| {
        let (url, token) = (app.url(&path), token.clone());
        async move {
            let res = client().get(url).bearer_auth(token).send().await.unwrap();
            (
                res.status().as_u16(),
                res.json::<Value>().await.unwrap_or_default(),
            )
        }
    };
    for (path, param) in [
        ("/api/v1/members?status=bogus".to_string(), "status"),
        ("/api/v1/members?page=-1".to_string(), "page"),
        ("/api/v1/members?org=null".to_string(), "org"),
        (format!("/api/v1/orgs/{}/meetings?year=", branch.id), "year"),
        (
            format!("/api/v1/orgs/{}/meetings?kind=party_day", branch.id),
            "kind",
        ),
        ("/api/v1/plans?year=20260".to_string(), "year"),
        ("/api/v1/plans?yaer=2026".to_string(), "yaer"),
    ] {
        let (status, v) = get(path.clone()).await;
        assert_eq!(status, 400, "{path}");
        assert!(v["error"].as_str().unwrap().contains(param), "{path}: {v}");
    }
    // Lists answer with their total and pages.
    let year = chrono::Datelike::year(&ronghe_store::today());
    let (status, v) = get(format!("/api/v1/orgs/{}/meetings?year={year}", branch.id)).await;
    assert_eq!(status, 200);
    let total = v["total"].as_i64().unwrap();
    assert!(total > 0 && v["per_page"] == 100 && v["page"] == 1, "{v}");
    assert_eq!(v["items"].as_array().unwrap().len() as i64, total.min(100));
    let (_, v) = get("/api/v1/plans".to_string()).await;
    assert!(
        v["total"].as_i64().unwrap() >= 1 && v["items"].is_array(),
        "{v}"
    );

    // A write with a form body is 415; without a login, 401 (not a CSRF complaint).
    let res = client()
        .post(app.url("/api/v1/meetings"))
        .bearer_auth(&token)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("topic=x")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let res = client()
        .post(app.url("/api/v1/meetings"))
        .json(&json!({"topic": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let v: Value = res.json().await.unwrap();
    assert!(v["error"].as_str().unwrap().contains("请先登录"));
}
