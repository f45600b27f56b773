//! Organizational life (组织生活) over HTTP: recording meetings, quorum, compliance on the
//! organization page, goals served, scope and escaping, on every backend of the run.

mod common;
/// Correcting and deleting records, and the compliance rule settings.
#[path = "meetings/edit.rs"]
mod edit;
/// Time, place, chair, recorder, guests and the Party work items of a record.
#[path = "meetings/particulars.rs"]
mod particulars;
/// Goals served, settings, the phone form, ids, the chooser, attendance, 补录.
#[path = "meetings/routine.rs"]
mod routine;
/// Scope, escaping, strict API, oversized fields.
#[path = "meetings/scope.rs"]
mod scope;

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
