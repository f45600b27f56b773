//! Correcting and deleting meeting records, and the compliance rule settings, over HTTP.
//!
//! Records are made in 2024, a year the demo has no meetings in, so which quarter is met
//! depends only on what a test records.

use super::*;

const YEAR: i32 = 2024;

/// The window of `kind` containing `date`.
fn window_on<'a>(report: &'a Value, kind: &str, date: &str) -> &'a Value {
    report["report"]["windows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| {
            w["kind"] == kind
                && w["window"]["start"].as_str().unwrap() <= date
                && date <= w["window"]["end"].as_str().unwrap()
        })
        .unwrap_or_else(|| panic!("no {kind} window on {date}"))
}

/// Records a 党员大会 through the API with everyone present; returns its id.
async fn assembly(app: &TestApp, token: &str, branch: &Org, date: &str, topic: &str) -> i64 {
    let everyone: Vec<i64> = roster(app, branch).await.iter().map(|p| p.id).collect();
    let res = client()
        .post(app.url("/api/v1/meetings"))
        .bearer_auth(token)
        .json(
            &json!({"org_id": branch.id, "kind": "general_assembly", "date": date,
                      "topic": topic, "attendees": everyone}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    res.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

async fn meeting_json(app: &TestApp, token: &str, id: i64) -> (StatusCode, Value) {
    let res = client()
        .get(app.url(&format!("/api/v1/meetings/{id}")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    (res.status(), res.json().await.unwrap_or_default())
}

/// The latest audit entry written for `target`.
async fn last_audit(app: &TestApp, target: &str) -> Option<(String, String)> {
    sqlx::query_as::<_, (String, String)>(
        "SELECT action, detail FROM audit_log WHERE target = $1 ORDER BY id DESC LIMIT 1",
    )
    .bind(target)
    .fetch_optional(app.store.pool())
    .await
    .unwrap()
}

#[tokio::test]
async fn an_edit_keeps_bad_input_then_moves_the_quarter_met_and_recomputes_the_quorum() {
    for b in backends() {
        let app = spawn(b).await;
        let branch = org(&app, BRANCH).await;
        let people = roster(&app, &branch).await;
        let token = app.token("zhibu").await;
        let (feb, may) = (format!("{YEAR}-02-10"), format!("{YEAR}-05-15"));
        let id = assembly(&app, &token, &branch, &feb, "一季度党员大会").await;
        let before = compliance_in(&app, &token, branch.id, Some(YEAR)).await;
        assert_eq!(
            window_on(&before, "general_assembly", &feb)["counted"],
            json!([id])
        );
        assert_ne!(
            window_on(&before, "general_assembly", &may)["status"]["status"],
            "met",
            "{b}"
        );

        // The form comes filled in from the record.
        let c = app.login("zhibu").await;
        let (status, html) = page(&c, &app, &format!("/meetings/{id}")).await;
        assert_eq!(status, 200);
        assert!(html.contains(&format!("/meetings/{id}/edit")) && html.contains("记录与修改"));
        let (status, form) = page(&c, &app, &format!("/meetings/{id}/edit")).await;
        assert_eq!(status, 200, "{b}");
        assert!(form.contains("修改会议记录") && form.contains("一季度党员大会"));
        assert!(form.contains(&format!("action=\"/meetings/{id}/edit\"")));
        assert!(
            form.contains(&format!("value=\"{feb}\"")),
            "{b}: date filled in"
        );
        for p in &people {
            assert!(
                form.contains(&format!("name=\"attendees\" value=\"{}\" checked", p.id)),
                "{b}: {} ticked as recorded",
                p.name
            );
        }
        let csrf = csrf_of(&form);

        // Someone from another organization: refused at the field, what was typed kept.
        let school = org(&app, SCHOOL_BRANCH).await;
        let foreign = roster(&app, &school).await[0].id;
        let away = [people[1].id, people[4].id];
        let ticked: Vec<i64> = people
            .iter()
            .map(|p| p.id)
            .filter(|id| !away.contains(id))
            .collect();
        let reasons = [(away[0], "出差"), (away[1], "病假")];
        let mut f = fields(
            &csrf,
            branch.id,
            "general_assembly",
            &may,
            "改到二季度的党员大会",
            &people,
            &ticked,
            &reasons,
            &[],
        );
        f.push(("attendees".into(), foreign.to_string()));
        let res = c
            .post(app.url(&format!("/meetings/{id}/edit")))
            .form(&f)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{b}");
        assert_eq!(res.url().path(), format!("/meetings/{id}/edit"));
        let html = res.text().await.unwrap();
        assert!(
            html.contains("参会人员中有不属于本组织的人员"),
            "{b}: named"
        );
        assert!(
            html.contains("改到二季度的党员大会") && html.contains(&format!("value=\"{may}\"")),
            "{b}: typed input kept"
        );
        assert!(html.contains("病假"), "{b}: reasons kept");
        assert!(
            html.contains(&format!("name=\"attendees\" value=\"{}\">", away[0])),
            "{b}: untick kept"
        );
        let (_, v) = meeting_json(&app, &token, id).await;
        assert_eq!(v["held_on"], feb.as_str(), "{b}: nothing saved");

        // The corrected date moves the meeting from the first quarter to the second.
        f.pop();
        let res = c
            .post(app.url(&format!("/meetings/{id}/edit")))
            .form(&f)
            .send()
            .await
            .unwrap();
        assert_eq!(res.url().path(), format!("/meetings/{id}"), "{b}");
        let html = res.text().await.unwrap();
        assert!(html.contains("修改已保存") && html.contains("改到二季度的党员大会"));
        let after = compliance_in(&app, &token, branch.id, Some(YEAR)).await;
        assert_ne!(
            window_on(&after, "general_assembly", &feb)["status"]["status"],
            "met",
            "{b}: the first quarter is no longer met"
        );
        let q2 = window_on(&after, "general_assembly", &may);
        assert_eq!(q2["status"]["status"], "met", "{b}");
        assert_eq!(q2["counted"], json!([id]));
        let history = app.store.history("meeting", id).await.unwrap();
        let said = &history[0].summary;
        assert!(
            said.contains(&format!("日期 {feb} → {may}"))
                && said.contains("主题「一季度党员大会」→「改到二季度的党员大会」")
                && said.contains("缺席人员增加")
                && said.contains("病假"),
            "{b}: {said}"
        );
        assert_eq!(history[0].username, "zhibu");
        let (action, detail) = last_audit(&app, &format!("meeting:{id}")).await.unwrap();
        assert_eq!(
            (action.as_str(), detail.as_str()),
            ("update", said.as_str())
        );

        // Fewer than half present: the quorum is worked out again and the quarter is lost.
        let three: Vec<i64> = people.iter().take(3).map(|p| p.id).collect();
        let rest: Vec<(i64, &str)> = people.iter().skip(3).map(|p| (p.id, "外出")).collect();
        let res = c
            .post(app.url(&format!("/meetings/{id}/edit")))
            .form(&fields(
                &csrf,
                branch.id,
                "general_assembly",
                &may,
                "改到二季度的党员大会",
                &people,
                &three,
                &rest,
                &[],
            ))
            .send()
            .await
            .unwrap();
        let html = res.text().await.unwrap();
        assert!(html.contains("会议无效"), "{b}: quorum recomputed");
        let after = compliance_in(&app, &token, branch.id, Some(YEAR)).await;
        assert_eq!(
            window_on(&after, "general_assembly", &may)["not_counted"],
            json!([id]),
            "{b}"
        );
        let said = &app.store.history("meeting", id).await.unwrap()[0].summary;
        assert!(said.contains("到会情况由有效变为无效"), "{b}: {said}");

        // Without the form's token nothing is changed.
        let mut no_token = f.clone();
        no_token.retain(|(k, _)| k != "csrf");
        let res = c
            .post(app.url(&format!("/meetings/{id}/edit")))
            .form(&no_token)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{b}");
    }
}

#[tokio::test]
async fn a_delete_asks_first_says_what_goes_and_is_audited() {
    for b in backends() {
        let app = spawn(b).await;
        let branch = org(&app, BRANCH).await;
        let token = app.token("zhibu").await;
        let feb = format!("{YEAR}-02-10");
        let id = assembly(&app, &token, &branch, &feb, "要删除的党员大会").await;
        let c = app.login("zhibu").await;
        let (status, html) = page(&c, &app, &format!("/meetings/{id}/delete")).await;
        assert_eq!(status, 200, "{b}");
        assert!(
            html.contains("删除会议记录？")
                && html.contains("要删除的党员大会")
                && html.contains("将由“已完成”变为未完成"),
            "{b}: says what goes and what the check loses"
        );
        let csrf = csrf_of(&html);
        let before = meeting_count(&app).await;

        let res = c
            .post(app.url(&format!("/meetings/{id}/delete")))
            .form(&[("x", "1")])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{b}: no token");
        assert_eq!(meeting_count(&app).await, before);

        let res = c
            .post(app.url(&format!("/meetings/{id}/delete")))
            .form(&[("csrf", csrf.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(
            res.url().path(),
            format!("/orgs/{}/meetings", branch.id),
            "{b}"
        );
        let html = res.text().await.unwrap();
        assert!(
            html.contains("已删除会议记录") && html.contains("要删除的党员大会"),
            "{b}"
        );
        assert_eq!(meeting_count(&app).await, before - 1);
        let (status, _) = page(&c, &app, &format!("/meetings/{id}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{b}");
        let after = compliance_in(&app, &token, branch.id, Some(YEAR)).await;
        assert_ne!(
            window_on(&after, "general_assembly", &feb)["status"]["status"],
            "met"
        );
        for table in ["meeting_people", "meeting_goals"] {
            let n: i64 = sqlx::query_scalar(&format!(
                "SELECT COUNT(*) FROM {table} WHERE meeting_id = $1"
            ))
            .bind(id)
            .fetch_one(app.store.pool())
            .await
            .unwrap();
            assert_eq!(n, 0, "{b}: {table} emptied");
        }
        let (action, detail) = last_audit(&app, &format!("meeting:{id}")).await.unwrap();
        assert_eq!(action, "delete", "{b}: the log says it was a deletion");
        assert!(
            detail.contains("删除党员大会「要删除的党员大会」") && detail.contains(&feb),
            "{b}: {detail}"
        );
    }
}

#[tokio::test]
async fn only_those_who_record_a_branchs_meetings_may_change_them() {
    for b in backends() {
        let app = spawn(b).await;
        let branch = org(&app, BRANCH).await;
        let token = app.token("zhibu").await;
        let id = assembly(&app, &token, &branch, &format!("{YEAR}-03-01"), "党员大会").await;
        let before = meeting_count(&app).await;

        // Another subtree's committee and a member: as if it did not exist.
        for who in ["xuexiao", "dangyuan"] {
            let c = app.login(who).await;
            for path in [
                format!("/meetings/{id}/edit"),
                format!("/meetings/{id}/delete"),
            ] {
                let (status, _) = page(&c, &app, &path).await;
                assert_eq!(status, StatusCode::NOT_FOUND, "{b}: {who} {path}");
            }
            let (_, home) = page(&c, &app, "/").await;
            let res = c
                .post(app.url(&format!("/meetings/{id}/delete")))
                .form(&[("csrf", csrf_of(&home).as_str())])
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), StatusCode::NOT_FOUND, "{b}: {who} delete");
            let t = app.token(who).await;
            for method in [reqwest::Method::PUT, reqwest::Method::DELETE] {
                let res = client()
                    .request(method.clone(), app.url(&format!("/api/v1/meetings/{id}")))
                    .bearer_auth(&t)
                    .json(&json!({"topic": "x"}))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(res.status(), StatusCode::NOT_FOUND, "{b}: {who} {method}");
            }
        }
        assert_eq!(meeting_count(&app).await, before, "{b}: still there");
        let denied: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'denied' AND target = $1",
        )
        .bind(format!("meeting:{id}"))
        .fetch_one(app.store.pool())
        .await
        .unwrap();
        assert!(denied > 0, "{b}: denials are logged");

        // The committee above the branch may correct it.
        let c = app.login("jiliang").await;
        let (status, _) = page(&c, &app, &format!("/meetings/{id}/edit")).await;
        assert_eq!(status, 200, "{b}");
    }
}

#[tokio::test]
async fn the_api_changes_and_deletes_records_strictly() {
    for b in backends() {
        let app = spawn(b).await;
        let branch = org(&app, BRANCH).await;
        let people = roster(&app, &branch).await;
        let token = app.token("zhibu").await;
        let id = assembly(&app, &token, &branch, &format!("{YEAR}-02-10"), "党员大会").await;
        let put = |body: Value| {
            let req = client()
                .put(app.url(&format!("/api/v1/meetings/{id}")))
                .bearer_auth(&token)
                .json(&body);
            async move { req.send().await.unwrap() }
        };
        let everyone: Vec<i64> = people.iter().map(|p| p.id).collect();
        let res = put(
            json!({"kind": "general_assembly", "date": format!("{YEAR}-04-02"),
                             "topic": "t", "attendees": everyone, "photo": "x.jpg"}),
        )
        .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        let v: Value = res.json().await.unwrap();
        assert_eq!(v["fields"][0]["field"], "photo", "{b}: unknown field named");
        let school = org(&app, SCHOOL_BRANCH).await;
        let res = put(json!({"org_id": school.id, "kind": "general_assembly",
                             "date": format!("{YEAR}-04-02"), "topic": "t", "attendees": everyone}))
        .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        let v: Value = res.json().await.unwrap();
        assert_eq!(
            v["fields"][0]["field"], "org_id",
            "{b}: a record does not move"
        );
        let (_, v) = meeting_json(&app, &token, id).await;
        assert_eq!(v["topic"], "党员大会", "{b}: nothing saved");

        let res = put(
            json!({"kind": "general_assembly", "date": format!("{YEAR}-04-02"),
                             "topic": "二季度党员大会", "attendees": everyone[1..],
                             "absentees": [{"member_id": everyone[0], "reason": "出差"}]}),
        )
        .await;
        assert_eq!(res.status(), StatusCode::OK, "{b}");
        let v: Value = res.json().await.unwrap();
        assert_eq!(v["topic"], "二季度党员大会");
        assert_eq!(v["held_on"], format!("{YEAR}-04-02"));
        assert_eq!(v["absentees"][0]["reason"], "出差");
        assert!(v["quorum"]["explanation"]
            .as_str()
            .unwrap()
            .contains("会议有效"));

        // A browser session must send its token with the JSON too.
        let c = app.login("zhibu").await;
        let res = c
            .put(app.url(&format!("/api/v1/meetings/{id}")))
            .json(&json!({"topic": "x"}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{b}: CSRF");

        let delete = || {
            client()
                .delete(app.url(&format!("/api/v1/meetings/{id}")))
                .bearer_auth(&token)
                .send()
        };
        assert_eq!(delete().await.unwrap().status(), StatusCode::NO_CONTENT);
        assert_eq!(
            meeting_json(&app, &token, id).await.0,
            StatusCode::NOT_FOUND
        );
        assert_eq!(delete().await.unwrap().status(), StatusCode::NOT_FOUND);

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
                doc["paths"]["/api/v1/meetings/{id}"][m].is_object(),
                "{b}: {m}"
            );
        }
    }
}

#[tokio::test]
async fn the_system_administrator_sets_a_quarterly_lecture_and_others_cannot() {
    for b in backends() {
        let app = spawn(b).await;
        let branch = org(&app, BRANCH).await;
        let token = app.token("jiliang").await;
        let lectures = |r: &Value| {
            r["report"]["windows"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|w| w["kind"] == "party_lecture")
                .count()
        };
        assert_eq!(
            lectures(&compliance(&app, &token, branch.id).await),
            1,
            "{b}"
        );

        // Not for branch secretaries, nor for the security administrator.
        for who in ["zhibu", "anquan"] {
            let c = app.login(who).await;
            let (status, _) = page(&c, &app, "/admin/compliance").await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{b}: {who}");
            let (_, home) = page(&c, &app, "/").await;
            assert!(!home.contains("/admin/compliance"), "{b}: {who} no link");
            let res = c
                .post(app.url("/admin/compliance"))
                .form(&[
                    ("csrf", csrf_of(&home).as_str()),
                    ("lecture_quarterly", "on"),
                ])
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), StatusCode::FORBIDDEN, "{b}: {who} saves");
        }
        assert!(
            !app.store
                .compliance_config()
                .await
                .unwrap()
                .lecture_quarterly
        );

        let c = app.login("admin").await;
        let (_, home) = page(&c, &app, "/").await;
        assert!(home.contains("href=\"/admin/compliance\""), "{b}: linked");
        let (status, html) = page(&c, &app, "/admin/compliance").await;
        assert_eq!(status, 200, "{b}");
        assert!(
            html.contains("党课每季度一次（本地要求）")
                && html.contains("<td>党课</td><td>每年至少 1 次</td>")
                && html.contains("第十六条"),
            "{b}: the rule table in force"
        );
        assert!(!html.contains("name=\"lecture_quarterly\" value=\"on\" checked"));
        let csrf = csrf_of(&html);
        let res = c
            .post(app.url("/admin/compliance"))
            .form(&[("lecture_quarterly", "on")])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{b}: no token");

        let res = c
            .post(app.url("/admin/compliance"))
            .form(&[("csrf", csrf.as_str()), ("lecture_quarterly", "on")])
            .send()
            .await
            .unwrap();
        assert_eq!(res.url().path(), "/admin/compliance");
        let html = res.text().await.unwrap();
        assert!(
            html.contains("已保存：党课改为每季度")
                && html.contains("<td>党课</td><td>每季度至少 1 次</td>")
                && html.contains("name=\"lecture_quarterly\" value=\"on\" checked"),
            "{b}"
        );
        let quarterly = compliance(&app, &token, branch.id).await;
        assert_eq!(lectures(&quarterly), 4, "{b}: 党课 windows are quarters");
        assert_eq!(quarterly["config"]["lecture_quarterly"], true);
        let (action, detail): (String, String) = sqlx::query_as(
            "SELECT action, detail FROM audit_log WHERE target = 'compliance' ORDER BY id DESC LIMIT 1",
        )
        .fetch_one(app.store.pool())
        .await
        .unwrap();
        assert_eq!(action, "settings");
        assert!(detail.ends_with("=true"), "{b}: {detail}");

        // Unticking goes back to the 条例's once a year.
        let res = c
            .post(app.url("/admin/compliance"))
            .form(&[("csrf", csrf.as_str())])
            .send()
            .await
            .unwrap();
        assert!(res.text().await.unwrap().contains("恢复为条例规定"));
        assert_eq!(
            lectures(&compliance(&app, &token, branch.id).await),
            1,
            "{b}"
        );
    }
}
