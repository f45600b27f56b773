//! Goals served, the deployment's compliance setting, the phone form, ids, the organization chooser, a member's own attendance and the 补录 link.

use super::*;

async fn plan_goal(app: &TestApp, org_id: i64, year: i32, title: &str) -> i64 {
    let pool = app.store.pool();
    let plan: Option<i64> =
        sqlx::query_scalar("SELECT id FROM plans WHERE org_id = $1 AND year = $2")
            .bind(org_id)
            .bind(i64::from(year))
            .fetch_optional(pool)
            .await
            .unwrap();
    let plan = match plan {
        Some(p) => p,
        None => sqlx::query_scalar(
            "INSERT INTO plans (org_id, year, title, status, created_at, updated_at) \
             VALUES ($1, $2, $3, 'draft', 0, 0) RETURNING id",
        )
        .bind(org_id)
        .bind(i64::from(year))
        .bind(format!("{year}年工作计划"))
        .fetch_one(pool)
        .await
        .unwrap(),
    };
    sqlx::query_scalar(
        "INSERT INTO goals (plan_id, title, is_key, created_at) VALUES ($1, $2, 1, 0) RETURNING id",
    )
    .bind(plan)
    .bind(title)
    .fetch_one(pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_meeting_serves_the_goals_of_its_own_and_its_parents_plans() {
    use chrono::Datelike;
    for b in backends() {
        let app = spawn(b).await;
        let branch = org(&app, BRANCH).await;
        let people = roster(&app, &branch).await;
        let year = ronghe_store::today().year();
        let unit = branch.parent_id.unwrap();
        let own = plan_goal(&app, branch.id, year, "长度计量标准年内完成复查考核").await;
        let parent = plan_goal(&app, unit, year, "检定校准能力提升至 12 万台件").await;
        let school = org(&app, SCHOOL_BRANCH).await;
        let foreign = plan_goal(&app, school.id, year, "高考一本上线率提高").await;

        let c = app.login("zhibu").await;
        let (_, form) = page(&c, &app, &format!("/meetings/new?org={}", branch.id)).await;
        assert!(form.contains("本次会议服务的业务目标（可多选）"));
        assert!(
            form.contains("长度计量标准年内完成复查考核")
                && form.contains("检定校准能力提升至 12 万台件"),
            "{b}: own and the unit's goals offered"
        );
        assert!(
            !form.contains("高考一本上线率提高"),
            "{b}: not the school's"
        );
        let everyone: Vec<i64> = people.iter().map(|p| p.id).collect();
        let today = ronghe_store::today().to_string();

        // A goal of another organization's plan is refused.
        let before = meeting_count(&app).await;
        let res = c
            .post(app.url("/meetings/new"))
            .form(&fields(
                &csrf_of(&form),
                branch.id,
                "theme_day",
                &today,
                "主题党日",
                &people,
                &everyone,
                &[],
                &[own, foreign],
            ))
            .send()
            .await
            .unwrap();
        let html = res.text().await.unwrap();
        assert!(html.contains("不在本组织"), "{b}: foreign goal refused");
        assert!(
            html.contains(&format!("name=\"goals\" value=\"{own}\" checked")),
            "{b}: goal tick kept"
        );
        assert_eq!(meeting_count(&app).await, before);

        let res = c
            .post(app.url("/meetings/new"))
            .form(&fields(
                &csrf_of(&form),
                branch.id,
                "theme_day",
                &today,
                "主题党日：党员突击队攻关检定积压",
                &people,
                &everyone,
                &[],
                &[parent, own],
            ))
            .send()
            .await
            .unwrap();
        let id = meeting_id(&res);
        let html = res.text().await.unwrap();
        assert!(
            html.contains("长度计量标准年内完成复查考核")
                && html.contains("检定校准能力提升至 12 万台件"),
            "{b}: goals served shown"
        );
        let token = app.token("zhibu").await;
        let v: Value = client()
            .get(app.url(&format!("/api/v1/meetings/{id}")))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let mut goals: Vec<i64> = v["goals"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["id"].as_i64().unwrap())
            .collect();
        goals.sort();
        let mut want = vec![own, parent];
        want.sort();
        assert_eq!(goals, want, "{b}");
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM meeting_goals WHERE goal_id = $1")
            .bind(parent)
            .fetch_one(app.store.pool())
            .await
            .unwrap();
        assert_eq!(n, 1, "{b}: the link is stored for the goal's task unity");
    }
}

#[tokio::test]
async fn compliance_follows_the_deployment_setting_and_the_org_level() {
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
        let yearly = compliance(&app, &token, branch.id).await;
        assert_eq!(lectures(&yearly), 1, "{b}: the 条例's once a year");
        assert_eq!(yearly["profile"]["has_committee"], true);
        assert!(yearly["report"]["skipped"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["kind"] == "group_meeting"));
        // Through the store, which clears its cache of the setting (a row written behind its
        // back shows only after the cache's time to live).
        app.store
            .set_compliance_config(
                &Actor::system("test"),
                &ronghe_core::compliance::ComplianceConfig::with_quarterly_lecture(),
            )
            .await
            .unwrap();
        let quarterly = compliance(&app, &token, branch.id).await;
        assert_eq!(lectures(&quarterly), 4, "{b}: quarterly by setting");
        assert_eq!(quarterly["config"]["lecture_quarterly"], true);

        // A 党总支 is checked through its branches.
        let unit = branch.parent_id.unwrap();
        let v = compliance(&app, &token, unit).await;
        assert_eq!(v["applicable"], false);
        assert!(v["branches"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["id"] == branch.id));
        let c = app.login("jiliang").await;
        let (_, html) = page(&c, &app, &format!("/orgs/{unit}")).await;
        assert!(
            html.contains("按所属党支部分别检查")
                && html.contains(&format!("/orgs/{unit}/compliance")),
            "{b}: the 党总支 page points at its branches"
        );
        let (_, html) = page(&c, &app, &format!("/orgs/{}", branch.id)).await;
        assert!(html.contains("组织生活检查") && html.contains("依据："));
    }
}

// ---------------------------------------------------------------------------------------------
// In a browser (runs when `RONGHE_WEBDRIVER` points at a ChromeDriver; scripts/test.sh starts
// one): a secretary records a meeting on a phone-sized screen, without any script of ours.

#[tokio::test]
async fn a_secretary_records_a_meeting_on_a_phone() {
    for b in backends() {
        let app = spawn(b).await;
        common::browser::with_browser(390, 2000, move |w| async move {
            let branch = org(&app, BRANCH).await;
            let people = roster(&app, &branch).await;
            w.login(&app.base, "zhibu").await;
            w.goto(&app.url(&format!("/orgs/{}", branch.id)), "#compliance")
                .await;
            let before = w.text_of("#compliance").await;
            assert!(before.contains("组织生活检查"), "{b}");
            let met_before = met_count(&before);
            w.shot(&format!("{b}-meet-01-org-compliance")).await;

            // From the compliance table: record the missing 党员大会.
            w.click_to(
                "table.compliance a[href*='kind=general_assembly']",
                "form.meeting-form",
            )
            .await;
            let kind = w.prop("[name='kind']", "value").await;
            assert_eq!(kind.as_deref(), Some("general_assembly"), "{b}: prefilled");
            w.fill_name("topic", "学习全会精神，部署检定校准能力提升")
                .await;
            // Two people were away; the secretary unticks them and forgets one reason.
            for p in [&people[1], &people[4]] {
                w.click(&format!("input[name='attendees'][value='{}']", p.id))
                    .await;
            }
            w.fill_name(&format!("reason_{}", people[1].id), "出差")
                .await;
            w.shot(&format!("{b}-meet-02-form")).await;
            w.submit("form.meeting-form", "p.alert").await;
            let page = w.text().await;
            assert!(
                page.contains("请填写缺席原因") && page.contains("未保存任何内容"),
                "{b}: {page}"
            );
            w.shot(&format!("{b}-meet-03-missing-reason")).await;
            let ticked = w
                .prop(
                    &format!("input[name='attendees'][value='{}']", people[4].id),
                    "checked",
                )
                .await;
            assert_eq!(ticked.as_deref(), Some("false"), "{b}: untick kept");
            w.fill_name(&format!("reason_{}", people[4].id), "病假")
                .await;
            w.submit("form.meeting-form", "p.quorum").await;
            let page = w.text().await;
            assert!(
                page.contains("会议有效") && page.contains("病假") && page.contains("出差"),
                "{b}: {page}"
            );
            w.shot(&format!("{b}-meet-04-record")).await;
            w.goto(&app.url(&format!("/orgs/{}", branch.id)), "#compliance")
                .await;
            let after = w.text_of("#compliance").await;
            assert_eq!(met_count(&after), met_before + 1, "{b}");
        })
        .await;
    }
}

#[tokio::test]
async fn ids_are_never_given_twice_and_no_meeting_predates_its_organization() {
    for b in backends() {
        let app = spawn(b).await;
        let school = org(&app, SCHOOL_BRANCH).await;
        let people = roster(&app, &school).await;
        let input = |date: ronghe_core::Date| MeetingInput {
            org_id: school.id,
            kind: MeetingKind::ThemeDay,
            date,
            topic: "主题党日".into(),
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
        let (actor, all) = (Actor::system("测试"), Scope::everything());
        let today = ronghe_store::today();
        let create = |m: MeetingInput| {
            let (store, actor, all) = (app.store.clone(), actor.clone(), all.clone());
            async move { store.meeting_create(&actor, &all, &m, 5).await }
        };
        // The newest record deleted: the next one gets a new id, on both databases.
        let first = create(input(today)).await.unwrap();
        app.store.meeting_delete(&actor, &all, first).await.unwrap();
        let second = create(input(today)).await.unwrap();
        assert!(second > first, "{b}: id {first} given again as {second}");

        // A date before the organization was founded is a typing error, refused at the field.
        let founded: ronghe_core::Date = school
            .founded_on
            .as_deref()
            .expect("demo organizations have a founding date")
            .parse()
            .unwrap();
        let early = founded - chrono::Duration::days(1);
        match create(input(early)).await {
            Err(ronghe_store::StoreError::Invalid(e)) => {
                let msg = e.get("date").unwrap_or_default().to_string();
                assert!(msg.contains("早于本组织的成立日期"), "{b}: {msg}");
            }
            other => panic!("{b}: {early} accepted: {other:?}"),
        }
    }
}

#[tokio::test]
async fn recording_without_an_organization_offers_those_the_user_records_for() {
    let app = spawn("sqlite").await;
    // A secretary of one branch goes straight to its form.
    let c = app.login("zhibu").await;
    let res = c.get(app.url("/meetings/new")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let branch = org(&app, BRANCH).await;
    assert_eq!(
        res.url().query(),
        Some(format!("org={}", branch.id).as_str())
    );
    // A committee chooses among its branches.
    let c = app.login("jiliang").await;
    let (status, html) = page(&c, &app, "/meetings/new").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("请选择是哪个党组织的会议") && html.contains(BRANCH),
        "{html}"
    );
    // A member who records nothing is told why.
    let c = app.login("dangyuan").await;
    let (status, html) = page(&c, &app, "/meetings/new").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("没有记录组织生活的权限"), "{html}");
}

#[tokio::test]
async fn a_member_reads_their_own_attendance() {
    let app = spawn("sqlite").await;
    let branch = org(&app, BRANCH).await;
    let c = app.login("dangyuan").await;
    // The branch's list is not theirs to read: they are taken to their own record.
    let res = c
        .get(app.url(&format!("/orgs/{}/meetings", branch.id)))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.url().path().starts_with("/members/"), "{}", res.url());
    let me: i64 = res.url().path()["/members/".len()..].parse().unwrap();
    let html = res.text().await.unwrap();
    assert!(
        html.contains("组织生活（") && html.contains("参加"),
        "{html}"
    );
    assert!(html.contains("本人无需填报"));
    assert!(
        !html.contains("href=\"/meetings/"),
        "no links to records they cannot open"
    );
    // The secretary sees the same history with links to the records.
    let c = app.login("zhibu").await;
    let (_, html) = page(&c, &app, &format!("/members/{me}")).await;
    assert!(
        html.contains("href=\"/meetings/"),
        "the secretary opens the records"
    );
}

#[tokio::test]
async fn a_missed_period_on_the_todo_opens_the_form_inside_it() {
    let app = spawn("sqlite").await;
    let c = app.login("zhibu").await;
    let (_, home) = page(&c, &app, "/").await;
    // The first 补录 link of a missed period carries a day inside that period.
    let at = home
        .find("&amp;date=")
        .expect("a missed period to record late");
    let date = &home[at + "&amp;date=".len()..at + "&amp;date=".len() + 10];
    let start = home[..at].rfind("href=\"").unwrap() + 6;
    let href = home[start..at + "&amp;date=".len() + 10].replace("&amp;", "&");
    let (_, form) = page(&c, &app, &href).await;
    assert!(
        form.contains(&format!("name=\"date\" type=\"date\" value=\"{date}\"")),
        "{href}"
    );
}
