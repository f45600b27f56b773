//! A record's particulars: 时间, 地点, 主持人 and 记录人 (members who attended), other 列席
//! guests, and the Party work items it carried out, on the form, the record and the API.

use super::*;

/// The demo branch's plan for this year and one of its Party work items.
async fn an_item(app: &TestApp, branch: &Org) -> (i64, String) {
    let plans = app
        .store
        .plan_list(
            &Scope::everything(),
            Some(chrono::Datelike::year(&ronghe_store::today()).into()),
            Some(branch.id),
        )
        .await
        .unwrap();
    let view = app
        .store
        .plan_view(&Scope::everything(), plans[0].id)
        .await
        .unwrap();
    (view.items[0].id, view.items[0].title.clone())
}

#[tokio::test]
async fn a_record_names_its_time_place_chair_recorder_guests_and_the_party_work_it_carried_out() {
    for b in backends() {
        let app = spawn(b).await;
        let branch = org(&app, BRANCH).await;
        let people = roster(&app, &branch).await;
        let (item, item_title) = an_item(&app, &branch).await;
        let c = app.login("zhibu").await;
        let (_, form) = page(
            &c,
            &app,
            &format!("/meetings/new?org={}&kind=theme_day", branch.id),
        )
        .await;
        assert!(
            form.contains("name=\"starts_at\"")
                && form.contains("name=\"place\"")
                && form.contains("name=\"chair_member_id\"")
                && form.contains("name=\"guests\""),
            "{b}: the particulars are asked for"
        );
        assert!(
            form.contains(&item_title),
            "{b}: the plan's items are offered"
        );
        // The secretary who records is the recorder unless changed.
        let me = app
            .store
            .account_by_username("zhibu")
            .await
            .unwrap()
            .unwrap()
            .member_id
            .unwrap();
        assert!(
            form.contains(&format!("<option value=\"{me}\" selected>")),
            "{b}"
        );
        let csrf = csrf_of(&form);
        let today = ronghe_store::today().to_string();
        let (chair, absent) = (people[0].id, people[1].id);
        let mut fields: Vec<(String, String)> = vec![
            ("csrf".into(), csrf.clone()),
            ("org_id".into(), branch.id.to_string()),
            ("kind".into(), "theme_day".into()),
            ("date".into(), today.clone()),
            ("starts_at".into(), "14:30".into()),
            ("place".into(), "三楼党员活动室".into()),
            ("topic".into(), "主题党日：到检定一线开展志愿服务".into()),
            ("chair_member_id".into(), absent.to_string()),
            ("recorder_member_id".into(), me.to_string()),
            ("guests".into(), "院长 王建国".into()),
            ("items".into(), item.to_string()),
            (format!("reason_{absent}"), "出差".into()),
        ];
        for p in people.iter().filter(|p| p.id != absent) {
            fields.push(("attendees".into(), p.id.to_string()));
        }
        // The chair was away: refused at the field, everything typed kept.
        let res = c
            .post(app.url("/meetings/new"))
            .form(&fields)
            .send()
            .await
            .unwrap();
        let html = res.text().await.unwrap();
        assert!(html.contains("主持人应在参会人员中"), "{b}");
        assert!(
            html.contains("三楼党员活动室") && html.contains("院长 王建国"),
            "{b}: kept"
        );
        for f in fields.iter_mut().filter(|f| f.0 == "chair_member_id") {
            f.1 = chair.to_string();
        }
        let res = c
            .post(app.url("/meetings/new"))
            .form(&fields)
            .send()
            .await
            .unwrap();
        let url = res.url().path().to_string();
        let html = res.text().await.unwrap();
        assert!(
            url.starts_with("/meetings/") && html.contains("会议记录已保存"),
            "{b}: {url}"
        );
        assert!(
            html.contains(&format!("{today} 14:30")) && html.contains("三楼党员活动室"),
            "{b}"
        );
        assert!(
            html.contains("主持人") && html.contains(&people[0].name),
            "{b}"
        );
        assert!(
            html.contains("院长 王建国") && html.contains(&item_title),
            "{b}"
        );
        let id: i64 = url.trim_start_matches("/meetings/").parse().unwrap();

        // The correction form is filled in with them; a change is written down in words.
        let (_, edit) = page(&c, &app, &format!("/meetings/{id}/edit")).await;
        assert!(
            edit.contains("value=\"14:30\"") && edit.contains("三楼党员活动室"),
            "{b}"
        );
        for f in fields.iter_mut() {
            match f.0.as_str() {
                "place" => f.1 = "会议室 A".into(),
                "items" => f.1 = String::new(),
                "csrf" => f.1 = csrf_of(&edit),
                _ => {}
            }
        }
        let res = c
            .post(app.url(&format!("/meetings/{id}/edit")))
            .form(&fields)
            .send()
            .await
            .unwrap();
        let html = res.text().await.unwrap();
        assert!(html.contains("修改已保存"), "{b}");
        assert!(
            html.contains("地点「三楼党员活动室」→「会议室 A」")
                && html.contains("落实的党建工作取消"),
            "{b}: the history says what changed"
        );

        // The API takes and answers the same.
        let token = app.token("zhibu").await;
        let body = json!({
            "org_id": branch.id, "kind": "theme_day", "date": today, "topic": "接口记录",
            "attendees": [chair, me], "starts_at": "9:05", "place": "活动室",
            "chair_member_id": chair, "recorder_member_id": me, "guests": "处长 李芳", "items": [item]
        });
        let res = client()
            .post(app.url("/api/v1/meetings"))
            .bearer_auth(&token)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 201, "{b}");
        let v: Value = res.json().await.unwrap();
        assert_eq!(
            (
                v["starts_at"].as_str(),
                v["chair"]["member_id"].as_i64(),
                v["items"][0]["id"].as_i64()
            ),
            (Some("09:05"), Some(chair), Some(item)),
            "{b}: {v}"
        );
        let mut bad = body.clone();
        let away = people.iter().find(|p| p.id != chair && p.id != me).unwrap();
        bad["recorder_member_id"] = json!(away.id);
        bad["starts_at"] = json!("25:00");
        bad["items"] = json!([999_999]);
        let res = client()
            .post(app.url("/api/v1/meetings"))
            .bearer_auth(&token)
            .json(&bad)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 422, "{b}");
        let v: Value = res.json().await.unwrap();
        let named: Vec<&str> = v["fields"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|f| f["field"].as_str())
            .collect();
        for f in ["recorder_member_id", "starts_at", "items"] {
            assert!(named.contains(&f), "{b}: {f} named in {v}");
        }
    }
}

#[tokio::test]
async fn a_correction_keeps_the_absence_of_someone_no_longer_on_the_committee() {
    for b in backends() {
        let app = spawn(b).await;
        let branch = org(&app, BRANCH).await;
        let people = roster(&app, &branch).await;
        let seats = app.store.committee(branch.id).await.unwrap();
        let away = seats.last().unwrap().clone();
        let present: Vec<i64> = seats
            .iter()
            .filter(|s| s.id != away.id)
            .map(|s| s.member_id)
            .collect();
        let c = app.login("zhibu").await;
        let csrf = form_csrf(&c, &app, branch.id).await;
        let today = ronghe_store::today().to_string();
        let f = fields(
            &csrf,
            branch.id,
            "committee_meeting",
            &today,
            "支委会：研究年底工作",
            &people,
            &present,
            &[(away.member_id, "出差")],
            &[],
        );
        let res = c
            .post(app.url("/meetings/new"))
            .form(&f)
            .send()
            .await
            .unwrap();
        let id = meeting_id(&res);
        // The member leaves the committee; the record is corrected later (its topic only).
        app.store
            .seat_remove(
                &Actor::system("测试"),
                &Scope::everything(),
                branch.id,
                away.id,
            )
            .await
            .unwrap();
        let (_, edit) = page(&c, &app, &format!("/meetings/{id}/edit")).await;
        assert!(
            edit.contains(&format!("name=\"reason_{}\" value=\"出差\" maxlength=\"60\" placeholder=\"如：出差、病假\">", away.member_id)),
            "{b}: the recorded absence is still asked about, enabled"
        );
        let mut f = fields(
            &csrf_of(&edit),
            branch.id,
            "committee_meeting",
            &today,
            "支委会：研究年底工作（更正）",
            &people,
            &present,
            &[(away.member_id, "出差")],
            &[],
        );
        f.retain(|(k, _)| k != "org_id");
        let res = c
            .post(app.url(&format!("/meetings/{id}/edit")))
            .form(&f)
            .send()
            .await
            .unwrap();
        assert!(res.text().await.unwrap().contains("修改已保存"), "{b}");
        let m = app
            .store
            .meeting_get(&Scope::everything(), id)
            .await
            .unwrap();
        assert_eq!(
            m.absentees
                .iter()
                .map(|a| (a.member_id, a.reason.as_str()))
                .collect::<Vec<_>>(),
            vec![(away.member_id, "出差")],
            "{b}: the absence survives the correction"
        );
    }
}
