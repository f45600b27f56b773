//! Organizational life (组织生活) over HTTP: recording meetings, quorum, compliance on the
//! organization page, goals served, scope and escaping, on every backend of the run.

mod common;
/// Correcting and deleting records, and the compliance rule settings.
#[path = "meetings/edit.rs"]
mod edit;
/// Time, place, chair, recorder, guests and the Party work items of a record.
#[path = "meetings/particulars.rs"]
mod particulars;

use common::*;
use reqwest::StatusCode;
use ronghe_core::meeting::{MeetingInput, MeetingKind};
use ronghe_core::scope::Scope;
use ronghe_store::{Actor, MemberRow, Org};
use serde_json::{json, Value};

const BRANCH: &str = "检定校准党支部";
const SCHOOL_BRANCH: &str = "高一年级党支部";

async fn org(app: &TestApp, name: &str) -> Org {
    app.store
        .org_search(&Scope::everything(), name, 1)
        .await
        .unwrap()
        .remove(0)
}

async fn roster(app: &TestApp, org: &Org) -> Vec<MemberRow> {
    app.store
        .meeting_roster(&Scope::everything(), org)
        .await
        .unwrap()
}

async fn meeting_count(app: &TestApp) -> i64 {
    sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM meetings")
        .fetch_one(app.store.pool())
        .await
        .unwrap()
}

async fn page(c: &reqwest::Client, app: &TestApp, path: &str) -> (StatusCode, String) {
    let res = c.get(app.url(path)).send().await.unwrap();
    (res.status(), res.text().await.unwrap())
}

async fn compliance(app: &TestApp, token: &str, org_id: i64) -> Value {
    compliance_in(app, token, org_id, None).await
}

/// The compliance report of an organization for `year` (the current year when `None`).
async fn compliance_in(app: &TestApp, token: &str, org_id: i64, year: Option<i32>) -> Value {
    let year = year.map(|y| format!("?year={y}")).unwrap_or_default();
    let res = client()
        .get(app.url(&format!("/api/v1/orgs/{org_id}/compliance{year}")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

/// The window of `kind` with this label in a compliance report.
fn window<'a>(report: &'a Value, kind: &str, label: &str) -> &'a Value {
    report["report"]["windows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["kind"] == kind && w["window"]["label"] == label)
        .unwrap_or_else(|| panic!("no {kind} window {label}"))
}

/// The first window of `kind` not met yet that has begun (a meeting can be recorded in it).
fn open_window(report: &Value, kind: &str) -> Value {
    let today = report["report"]["today"].as_str().unwrap().to_string();
    report["report"]["windows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| {
            w["kind"] == kind
                && w["status"]["status"] != "met"
                && w["window"]["start"].as_str().unwrap() <= today.as_str()
        })
        .cloned()
        .unwrap_or_else(|| panic!("no open {kind} window"))
}

/// The explanation as the organization page shows it (the citation goes on its own line).
fn shown(w: &Value) -> String {
    let e = w["explanation"].as_str().unwrap();
    e.split_once("。依据")
        .map_or(e, |(head, _)| head)
        .to_string()
}

fn listed_on_org_page(report: &Value, w: &Value) -> bool {
    let today: ronghe_core::Date = report["report"]["today"].as_str().unwrap().parse().unwrap();
    let due: ronghe_core::Date = w["status"]["due"].as_str().unwrap().parse().unwrap();
    w["status"]["status"] == "overdue" || due <= today + chrono::Days::new(45)
}

/// The "已完成 N 项" count on the organization page.
fn met_count(html: &str) -> u32 {
    let start = html.find("已完成 ").expect("compliance counts") + "已完成 ".len();
    html[start..start + html[start..].find(' ').unwrap()]
        .parse()
        .unwrap()
}

/// Fields of the meeting form as a browser sends them: every member's reason box (empty for
/// those ticked), the ticked attendees, the chosen goals.
#[allow(clippy::too_many_arguments)]
fn fields(
    csrf: &str,
    org_id: i64,
    kind: &str,
    date: &str,
    topic: &str,
    people: &[MemberRow],
    ticked: &[i64],
    reasons: &[(i64, &str)],
    goals: &[i64],
) -> Vec<(String, String)> {
    let mut f = vec![
        ("csrf".to_string(), csrf.to_string()),
        ("org_id".into(), org_id.to_string()),
        ("kind".into(), kind.into()),
        ("date".into(), date.into()),
        ("topic".into(), topic.into()),
        (
            "content".into(),
            "一、传达学习\r\n二、研究部署检定校准能力提升".into(),
        ),
        ("decisions".into(), "".into()),
    ];
    for p in people {
        if ticked.contains(&p.id) {
            f.push(("attendees".into(), p.id.to_string()));
        }
        let reason = reasons
            .iter()
            .find(|(id, _)| *id == p.id)
            .map_or("", |(_, r)| *r);
        f.push((format!("reason_{}", p.id), reason.to_string()));
    }
    for g in goals {
        f.push(("goals".into(), g.to_string()));
    }
    f
}

async fn form_csrf(c: &reqwest::Client, app: &TestApp, org_id: i64) -> String {
    let (status, html) = page(c, app, &format!("/meetings/new?org={org_id}")).await;
    assert_eq!(status, 200);
    csrf_of(&html)
}

fn meeting_id(res: &reqwest::Response) -> i64 {
    let path = res.url().path();
    assert!(path.starts_with("/meetings/"), "saved: {}", res.url());
    path["/meetings/".len()..].parse().unwrap()
}

#[tokio::test]
async fn a_general_assembly_with_most_members_present_counts_for_its_quarter() {
    for b in backends() {
        let app = spawn(b).await;
        let branch = org(&app, BRANCH).await;
        let people = roster(&app, &branch).await;
        assert!(people.len() >= 20, "{b}: the demo branch has its members");
        let token = app.token("zhibu").await;
        let before = compliance(&app, &token, branch.id).await;
        let w = open_window(&before, "general_assembly");
        let label = w["window"]["label"].as_str().unwrap().to_string();
        let date = w["window"]["start"].as_str().unwrap().to_string();

        let c = app.login("zhibu").await;
        let (_, org_html) = page(&c, &app, &format!("/orgs/{}", branch.id)).await;
        assert!(org_html.contains("组织生活检查"), "{b}: compliance section");
        let met_before = met_count(&org_html);
        assert_eq!(met_before as u64, before["report"]["met"].as_u64().unwrap());
        if listed_on_org_page(&before, &w) {
            assert!(
                org_html.contains(&shown(&w)),
                "{b}: {label} listed as owing"
            );
            assert!(org_html.contains(&format!(
                "/meetings/new?org={}&amp;kind=general_assembly",
                branch.id
            )));
        }

        // The form: everyone ticked by default, with a reason box beside each.
        let (_, form) = page(&c, &app, &format!("/meetings/new?org={}", branch.id)).await;
        for p in &people {
            assert!(
                form.contains(&format!("name=\"attendees\" value=\"{}\" checked", p.id)),
                "{b}: {} ticked by default",
                p.name
            );
            assert!(form.contains(&format!("name=\"reason_{}\"", p.id)));
        }
        assert!(!form.contains("<script>"), "{b}: no inline script");

        let absent = [people[3].id, people[7].id];
        let ticked: Vec<i64> = people
            .iter()
            .map(|p| p.id)
            .filter(|id| !absent.contains(id))
            .collect();
        let before_count = meeting_count(&app).await;
        let res = c
            .post(app.url("/meetings/new"))
            .form(&fields(
                &csrf_of(&form),
                branch.id,
                "general_assembly",
                &date,
                "学习贯彻全会精神，研究检定校准能力提升",
                &people,
                &ticked,
                &[(absent[0], "出差（赴省院比对）"), (absent[1], "病假")],
                &[],
            ))
            .send()
            .await
            .unwrap();
        let id = meeting_id(&res);
        let html = res.text().await.unwrap();
        // Only full members with a vote count; probationary members attend without one.
        let voters = app.store.voters(&branch).await.unwrap();
        let entitled = voters.len();
        let present = ticked.iter().filter(|id| voters.contains(id)).count();
        let others = ticked.len() - present;
        assert!(
            entitled < people.len(),
            "{b}: the demo branch has probationary members"
        );
        assert!(
            html.contains(&format!(
                "应到（有表决权的正式党员）{entitled} 人，实到 {present} 人，超过半数"
            )) && html.contains("会议有效")
                && html.contains(&format!("另有 {others} 人参加但没有表决权"))
                && html.contains("《中国共产党章程》第七条"),
            "{b}: quorum explained: {html}"
        );
        assert!(html.contains("出差（赴省院比对）") && html.contains(&people[7].name));
        assert!(html.contains("已计入组织生活检查"));
        assert_eq!(meeting_count(&app).await, before_count + 1);

        // The quarter flips to met, on the page and in the API.
        let after = compliance(&app, &token, branch.id).await;
        let w2 = window(&after, "general_assembly", &label);
        assert_eq!(w2["status"]["status"], "met", "{b}: {label} met");
        assert_eq!(w2["counted"], json!([id]));
        let (_, org_html) = page(&c, &app, &format!("/orgs/{}", branch.id)).await;
        assert_eq!(met_count(&org_html), met_before + 1, "{b}: one more met");
        assert!(
            !org_html.contains(&shown(&w)),
            "{b}: {label} no longer owing"
        );

        // The list shows it, and the history records who recorded it.
        let (_, list) = page(&c, &app, &format!("/orgs/{}/meetings", branch.id)).await;
        assert!(list.contains(&format!("/meetings/{id}")) && list.contains("有效"));
        let history = app.store.history("meeting", id).await.unwrap();
        assert!(history[0].username == "zhibu" && history[0].summary.contains("党员大会"));
    }
}

#[tokio::test]
async fn a_general_assembly_without_a_quorum_is_invalid_and_does_not_count() {
    for b in backends() {
        let app = spawn(b).await;
        let branch = org(&app, BRANCH).await;
        let people = roster(&app, &branch).await;
        let token = app.token("zhibu").await;
        let before = compliance(&app, &token, branch.id).await;
        let w = open_window(&before, "general_assembly");
        let label = w["window"]["label"].as_str().unwrap().to_string();
        let c = app.login("zhibu").await;
        let ticked: Vec<i64> = people.iter().take(3).map(|p| p.id).collect();
        let reasons: Vec<(i64, &str)> = people.iter().skip(3).map(|p| (p.id, "外出培训")).collect();
        let res = c
            .post(app.url("/meetings/new"))
            .form(&fields(
                &form_csrf(&c, &app, branch.id).await,
                branch.id,
                "general_assembly",
                w["window"]["start"].as_str().unwrap(),
                "季度党员大会",
                &people,
                &ticked,
                &reasons,
                &[],
            ))
            .send()
            .await
            .unwrap();
        let id = meeting_id(&res);
        let html = res.text().await.unwrap();
        let voters = app.store.voters(&branch).await.unwrap();
        let present = ticked.iter().filter(|id| voters.contains(id)).count();
        assert!(
            html.contains(&format!(
                "应到（有表决权的正式党员）{} 人，实到 {present} 人，未超过半数",
                voters.len()
            )) && html.contains("会议无效")
                && html.contains("不计入"),
            "{b}: invalid meeting explained"
        );
        let after = compliance(&app, &token, branch.id).await;
        let w2 = window(&after, "general_assembly", &label);
        assert_ne!(w2["status"]["status"], "met", "{b}: does not count");
        assert_eq!(w2["not_counted"], json!([id]));
        assert!(w2["explanation"].as_str().unwrap().contains("无效，不计入"));
        assert_eq!(after["report"]["met"], before["report"]["met"]);
        let (_, list) = page(&c, &app, &format!("/orgs/{}/meetings", branch.id)).await;
        assert!(list.contains("未超过半数，无效"), "{b}: list marks it");
    }
}

#[tokio::test]
async fn a_committee_meeting_expects_the_committee_only() {
    for b in backends() {
        let app = spawn(b).await;
        let branch = org(&app, BRANCH).await;
        let people = roster(&app, &branch).await;
        let seats = app.store.committee(branch.id).await.unwrap();
        assert_eq!(seats.len(), 5);
        let c = app.login("zhibu").await;
        let (_, form) = page(
            &c,
            &app,
            &format!("/meetings/new?org={}&kind=committee_meeting", branch.id),
        )
        .await;
        let ticked_by_default = form.matches("\" checked>").count();
        assert_eq!(ticked_by_default, 5, "{b}: the committee is ticked");
        // Only the committee is expected: five reason boxes, the others under 列席 without one
        // (theirs hidden and disabled, shown by the page's script if the kind changes).
        assert_eq!(
            form.matches("placeholder=\"如：出差、病假\">").count(),
            5,
            "{b}: reasons for the committee only"
        );
        assert_eq!(
            form.matches("placeholder=\"如：出差、病假\" disabled>")
                .count(),
            people.len() - 5,
            "{b}"
        );
        assert!(
            form.contains("应到：支部委员") && form.contains("列席人员（不在应到范围"),
            "{b}"
        );
        // Four of five committee members and one member sitting in (列席); the others are
        // not expected at a 支委会 and need no reason.
        let mut ticked: Vec<i64> = seats.iter().take(4).map(|s| s.member_id).collect();
        let guest = people
            .iter()
            .find(|p| !seats.iter().any(|s| s.member_id == p.id))
            .unwrap();
        ticked.push(guest.id);
        let res = c
            .post(app.url("/meetings/new"))
            .form(&fields(
                &csrf_of(&form),
                branch.id,
                "committee_meeting",
                &ronghe_store::today().to_string(),
                "研究本月工作",
                &people,
                &ticked,
                &[(seats[4].member_id, "出差")],
                &[],
            ))
            .send()
            .await
            .unwrap();
        let html = res.text().await.unwrap();
        assert!(
            html.contains("应到委员 5 人，实到 4 人，超过半数") && html.contains("1 人列席"),
            "{b}: quorum of the committee"
        );
    }
}

#[tokio::test]
async fn an_attendee_from_another_organization_is_refused_and_nothing_saved() {
    for b in backends() {
        let app = spawn(b).await;
        let branch = org(&app, BRANCH).await;
        let people = roster(&app, &branch).await;
        let school = org(&app, SCHOOL_BRANCH).await;
        let foreign = roster(&app, &school).await[0].id;
        let c = app.login("zhibu").await;
        let mut f = fields(
            &form_csrf(&c, &app, branch.id).await,
            branch.id,
            "theme_day",
            &ronghe_store::today().to_string(),
            "主题党日：走进企业送计量服务",
            &people,
            &people.iter().map(|p| p.id).collect::<Vec<_>>(),
            &[],
            &[],
        );
        f.push(("attendees".into(), foreign.to_string()));
        let before = meeting_count(&app).await;
        let res = c
            .post(app.url("/meetings/new"))
            .form(&f)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{b}");
        assert_eq!(res.url().path(), "/meetings/new");
        let html = res.text().await.unwrap();
        assert!(
            html.contains("参会人员中有不属于本组织的人员"),
            "{b}: named at the field"
        );
        assert!(html.contains("走进企业送计量服务"), "{b}: input kept");
        assert_eq!(meeting_count(&app).await, before, "{b}: nothing saved");

        // The same through the API: 422 at the field.
        let token = app.token("zhibu").await;
        let res = client()
            .post(app.url("/api/v1/meetings"))
            .bearer_auth(&token)
            .json(&json!({"org_id": branch.id, "kind": "theme_day", "date": ronghe_store::today().to_string(),
                          "topic": "主题党日", "attendees": [people[0].id, foreign]}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let v: Value = res.json().await.unwrap();
        assert_eq!(v["fields"][0]["field"], "attendees");
        assert_eq!(meeting_count(&app).await, before);
    }
}

#[tokio::test]
async fn an_absentee_without_a_reason_is_pointed_at_and_the_ticks_are_kept() {
    for b in backends() {
        let app = spawn(b).await;
        let branch = org(&app, BRANCH).await;
        let people = roster(&app, &branch).await;
        let c = app.login("zhibu").await;
        let (with_reason, without) = (people[2].id, people[5].id);
        let ticked: Vec<i64> = people
            .iter()
            .map(|p| p.id)
            .filter(|id| *id != with_reason && *id != without)
            .collect();
        let before = meeting_count(&app).await;
        let res = c
            .post(app.url("/meetings/new"))
            .form(&fields(
                &form_csrf(&c, &app, branch.id).await,
                branch.id,
                "party_lecture",
                &ronghe_store::today().to_string(),
                "书记讲党课：以高质量计量服务助推发展",
                &people,
                &ticked,
                &[(with_reason, "在外地检定")],
                &[],
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let html = res.text().await.unwrap();
        assert!(
            html.contains("请填写缺席原因"),
            "{b}: the reason is asked for"
        );
        assert!(
            html.contains(&format!("name=\"reason_{without}\" value=\"\"")),
            "{b}"
        );
        let person_block = &html[html.find(&format!("name=\"reason_{without}\"")).unwrap()..];
        assert!(
            person_block[..400].contains("请填写缺席原因"),
            "{b}: the message sits beside the person"
        );
        for id in &ticked {
            assert!(
                html.contains(&format!("name=\"attendees\" value=\"{id}\" checked")),
                "{b}: tick kept"
            );
        }
        for id in [with_reason, without] {
            assert!(
                html.contains(&format!("name=\"attendees\" value=\"{id}\">")),
                "{b}: untick kept"
            );
        }
        assert!(html.contains("在外地检定"), "{b}: typed reason kept");
        assert!(html.contains("以高质量计量服务助推发展"), "{b}: topic kept");
        assert_eq!(meeting_count(&app).await, before, "{b}: nothing saved");
    }
}

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
