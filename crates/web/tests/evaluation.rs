//! 同步考核 end to end: a committee builds a template, runs it over its subtree, enters its
//! own grades with a reason, confirms and corrects; bad input is refused at the field with
//! nothing saved; scope holds; the bulk facts of a subtree measure exactly as each plan page.

/// The API and OpenAPI of 同步考核.
#[path = "evaluation/api.rs"]
mod api;
mod common;
/// 同步检查: findings, rectifications, verification.
#[path = "evaluation/inspections.rs"]
mod inspections;

use common::*;
use reqwest::Client;
use ronghe_core::scope::Scope;

async fn page(c: &Client, app: &TestApp, path: &str) -> (u16, String) {
    let res = c.get(app.url(path)).send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

async fn post(
    c: &Client,
    app: &TestApp,
    path: &str,
    csrf: &str,
    fields: &[(&str, &str)],
) -> (u16, String, String) {
    let mut form: Vec<(&str, &str)> = vec![("csrf", csrf)];
    form.extend_from_slice(fields);
    let res = c.post(app.url(path)).form(&form).send().await.unwrap();
    let url = format!(
        "{}{}",
        res.url().path(),
        res.url()
            .query()
            .map(|q| format!("?{q}"))
            .unwrap_or_default()
    );
    (res.status().as_u16(), url, res.text().await.unwrap())
}

async fn org_id(app: &TestApp, name: &str) -> i64 {
    app.store
        .org_search(&Scope::everything(), name, 5)
        .await
        .unwrap()
        .into_iter()
        .find(|o| o.name == name)
        .unwrap()
        .id
}

/// The editor's fields as the page sends them (every input with its value).
fn form_fields(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let form = &html[html.find("id=\"form-template-edit\"").unwrap()..];
    let form = &form[..form.find("</form>").unwrap()];
    let attr = |tag: &str, name: &str| -> Option<String> {
        let m = format!("{name}=\"");
        let s = tag.find(&m)? + m.len();
        Some(tag[s..s + tag[s..].find('"')?].to_string())
    };
    for part in form.split('<').skip(1) {
        let tag = &part[..part.find('>').unwrap_or(part.len())];
        if tag.starts_with("input") {
            let Some(name) = attr(tag, "name") else {
                continue;
            };
            if tag.contains("type=\"checkbox\"") && !tag.contains("checked") {
                continue;
            }
            out.push((name, attr(tag, "value").unwrap_or_default()));
        } else if tag.starts_with("select") {
            let name = attr(tag, "name").unwrap();
            let rest = &part[part.find('>').unwrap()..];
            let body = &form[form.find(tag).unwrap()..];
            let body = &body[..body.find("</select>").unwrap()];
            let chosen = body
                .split("<option")
                .skip(1)
                .find(|o| o.contains(" selected"))
                .or_else(|| body.split("<option").nth(1))
                .and_then(|o| attr(o, "value"))
                .unwrap_or_default();
            let _ = rest;
            out.push((name, chosen));
        }
    }
    out
}

fn set(fields: &mut [(String, String)], name: &str, value: &str) {
    for f in fields.iter_mut() {
        if f.0 == name {
            f.1 = value.to_string();
        }
    }
}

#[tokio::test]
async fn a_committee_builds_a_template_runs_it_enters_grades_confirms_and_corrects() {
    for b in backends() {
        let app = spawn(b).await;
        let c = app.login("dangwei").await;
        let bureau = org_id(&app, "市市场监督管理局机关党委").await;
        let (status, home) = page(&c, &app, "/evaluation").await;
        assert_eq!(status, 200, "{b}");
        assert!(
            home.contains("同步考核") && home.contains("新建考核方案"),
            "{b}"
        );
        let csrf = csrf_of(&home);
        // A template from the shipped 100-point example, for a year with plans.
        let (_, url, editor) = post(
            &c,
            &app,
            &format!("/orgs/{bureau}/evaluation/templates"),
            &csrf,
            &[
                ("base", "hundred"),
                ("name", "测试融合考核"),
                ("year", "2026"),
            ],
        )
        .await;
        assert!(url.starts_with("/evaluation/templates/"), "{b}: {url}");
        assert!(
            editor.contains("第 1 版") && editor.contains("计分指标合计"),
            "{b}"
        );
        let tpl = url.trim_start_matches("/evaluation/templates/");
        let tpl = &tpl[..tpl.find('?').unwrap_or(tpl.len())];
        // Weights that sum to 110 and a floor on the wrong side: refused at the field, the
        // typed values kept, nothing saved.
        let mut fields = form_fields(&editor);
        set(&mut fields, "i0.weight", "25");
        set(&mut fields, "i10.code", "firms");
        set(&mut fields, "i10.name", "服务企业数");
        set(&mut fields, "i10.dimension", "business");
        set(&mut fields, "i10.source", "manual");
        set(&mut fields, "i10.rule", "up");
        set(&mut fields, "i10.weight", "5");
        set(&mut fields, "i10.floor", "80");
        set(&mut fields, "i10.target", "60");
        let res = c
            .post(app.url(&format!("/evaluation/templates/{tpl}")))
            .form(&fields)
            .send()
            .await
            .unwrap();
        let refused = res.text().await.unwrap();
        assert!(
            refused.contains("计分指标的分值合计应为 100，现为 110"),
            "{b}: {refused}"
        );
        assert!(refused.contains("越高越好，起评值应低于目标值"), "{b}");
        assert!(
            refused.contains("value=\"服务企业数\"") && refused.contains("value=\"25\""),
            "{b}"
        );
        let versions = app
            .store
            .eval_template_versions(tpl.parse().unwrap())
            .await
            .unwrap();
        assert_eq!(versions.len(), 1, "{b}: nothing saved");
        // Corrected: saved as version 2.
        set(&mut fields, "i0.weight", "20");
        set(&mut fields, "i10.code", "");
        set(&mut fields, "i10.name", "");
        set(&mut fields, "note", "去掉多余的指标");
        let res = c
            .post(app.url(&format!("/evaluation/templates/{tpl}")))
            .form(&fields)
            .send()
            .await
            .unwrap();
        assert!(
            res.url().query().unwrap_or("").contains("saved=1"),
            "{b}: {}",
            res.url()
        );
        assert!(res.text().await.unwrap().contains("已保存为第 2 版"), "{b}");

        // Run it over the subtree.
        let (_, url, run) = post(
            &c,
            &app,
            &format!("/orgs/{bureau}/evaluation/runs"),
            &csrf,
            &[("template", tpl), ("note", "测试")],
        )
        .await;
        assert!(url.starts_with("/evaluation/runs/"), "{b}: {url}");
        let run_id: i64 = url.trim_start_matches("/evaluation/runs/").parse().unwrap();
        assert!(
            run.contains("有“两张皮”倾向的组织") && run.contains("综合管理党支部"),
            "{b}"
        );
        assert!(run.contains("同类单位比较") && run.contains("<svg"), "{b}");
        let drifting = org_id(&app, "综合管理党支部").await;
        let (_, result) = page(
            &c,
            &app,
            &format!("/evaluation/runs/{run_id}/orgs/{drifting}"),
        )
        .await;
        assert!(
            result.contains("逐项得分") && result.contains("组织生活记录"),
            "{b}"
        );
        assert!(
            result.contains("/plans/") && result.contains("两张皮"),
            "{b}"
        );
        // The explanation adds up to the score, in the store as on the page.
        let r = app.store.eval_result(run_id, drifting).await.unwrap();
        let t = app
            .store
            .eval_template_get(&Scope::everything(), tpl.parse().unwrap())
            .await
            .unwrap();
        let ev = ronghe_store::explain_result(&t.body, &r, &[]);
        let sum: f64 = ev.lines.iter().map(|l| l.points).sum();
        assert!((sum - r.score).abs() < 1e-6, "{b}: {sum} vs {}", r.score);

        // A grade without a reason is refused at the field; with one it is scored and logged.
        let manual = format!("/evaluation/runs/{run_id}/orgs/{drifting}/manual");
        let (_, _, html) = post(
            &c,
            &app,
            &manual,
            &csrf,
            &[("code", "party_grade"), ("grade", "good")],
        )
        .await;
        assert!(html.contains("请写明依据或理由"), "{b}");
        assert!(app
            .store
            .eval_manual(run_id, Some(drifting))
            .await
            .unwrap()
            .is_empty());
        let (_, _, html) = post(
            &c,
            &app,
            &manual,
            &csrf,
            &[
                ("code", "accident"),
                ("occurred", "1"),
                ("reason", "局安全生产通报"),
            ],
        )
        .await;
        assert!(html.contains("一票否决须写明发生了什么事项"), "{b}");
        let before = r.score;
        let (_, url, html) = post(
            &c,
            &app,
            &manual,
            &csrf,
            &[
                ("code", "party_grade"),
                ("grade", "good"),
                ("reason", "年度述职评议结果"),
            ],
        )
        .await;
        assert!(url.contains("saved=1"), "{b}: {url}");
        assert!(html.contains("人工录入：年度述职评议结果"), "{b}");
        let after = app.store.eval_result(run_id, drifting).await.unwrap().score;
        assert!(after > before, "{b}: {before} → {after}");
        let log = app
            .store
            .audit_list(&ronghe_store::AuditFilter::default())
            .await
            .unwrap();
        assert!(
            log.items
                .iter()
                .any(|e| e.detail.contains("年度述职评议结果")),
            "{b}: the manual value is in the audit log"
        );

        // The results as a spreadsheet.
        let res = c
            .get(app.url(&format!("/evaluation/runs/{run_id}/export.xlsx")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{b}");
        assert!(
            res.bytes().await.unwrap().starts_with(b"PK"),
            "{b}: an xlsx (zip)"
        );
        // Confirmed: locked.
        let (_, url, html) = post(
            &c,
            &app,
            &format!("/evaluation/runs/{run_id}/confirm"),
            &csrf,
            &[],
        )
        .await;
        assert_eq!(url, format!("/evaluation/runs/{run_id}"), "{b}");
        assert!(
            html.contains("已确认（锁定）") && html.contains("更正"),
            "{b}"
        );
        let (_, _, html) = post(
            &c,
            &app,
            &manual,
            &csrf,
            &[
                ("code", "party_grade"),
                ("grade", "poor"),
                ("reason", "再评一次试试"),
            ],
        )
        .await;
        assert!(html.contains("已确认并锁定"), "{b}");
        assert_eq!(
            app.store.eval_result(run_id, drifting).await.unwrap().score,
            after
        );
        // A correction is a new run that carries the grade over and names the old one.
        let (_, url, html) = post(
            &c,
            &app,
            &format!("/orgs/{bureau}/evaluation/runs"),
            &csrf,
            &[
                ("supersedes", &run_id.to_string()),
                ("template", tpl),
                ("note", "补录数据后更正"),
            ],
        )
        .await;
        let new_id: i64 = url.trim_start_matches("/evaluation/runs/").parse().unwrap();
        assert!(
            html.contains(&format!("第 {run_id} 次考核</a>的更正")),
            "{b}"
        );
        let carried = app.store.eval_manual(new_id, Some(drifting)).await.unwrap();
        assert_eq!(carried.len(), 1, "{b}");
        assert_eq!(
            app.store.eval_result(new_id, drifting).await.unwrap().score,
            after
        );
        let old = app
            .store
            .eval_run_get(&Scope::everything(), run_id)
            .await
            .unwrap();
        assert_eq!(old.superseded_by, Some(new_id), "{b}");
    }
}

#[tokio::test]
async fn evaluation_pages_hold_their_scope_and_authority() {
    for b in backends() {
        let app = spawn(b).await;
        let runs = app
            .store
            .eval_runs_of(org_id(&app, "市市场监督管理局机关党委").await)
            .await
            .unwrap();
        let bureau_run = runs[0].id;
        // Another committee sees nothing of it.
        let school = app.login("xuexiao").await;
        let (status, _) = page(&school, &app, &format!("/evaluation/runs/{bureau_run}")).await;
        assert_eq!(status, 404, "{b}");
        // A branch secretary may not run an evaluation of its own branch.
        let zhibu = app.login("zhibu").await;
        let branch = org_id(&app, "检定校准党支部").await;
        let (_, home) = page(&zhibu, &app, &format!("/orgs/{branch}")).await;
        let csrf = csrf_of(&home);
        let (status, _, _) = post(
            &zhibu,
            &app,
            &format!("/orgs/{branch}/evaluation/templates"),
            &csrf,
            &[("base", "hundred"), ("year", "2026")],
        )
        .await;
        assert_eq!(status, 403, "{b}");
        // A committee with no plans below it for a year is told so at the year.
        let c = app.login("dangwei").await;
        let bureau = org_id(&app, "市市场监督管理局机关党委").await;
        let (_, home) = page(&c, &app, "/evaluation").await;
        let csrf = csrf_of(&home);
        let (_, url, _) = post(
            &c,
            &app,
            &format!("/orgs/{bureau}/evaluation/templates"),
            &csrf,
            &[("base", "star"), ("year", "2031")],
        )
        .await;
        let tpl = url.trim_start_matches("/evaluation/templates/");
        let tpl = &tpl[..tpl.find('?').unwrap_or(tpl.len())];
        let (_, _, html) = post(
            &c,
            &app,
            &format!("/orgs/{bureau}/evaluation/runs"),
            &csrf,
            &[("template", tpl)],
        )
        .await;
        assert!(
            html.contains("2031 年") && html.contains("还没有工作计划，无法考核"),
            "{b}"
        );
    }
}

/// The bulk facts of a subtree (one statement per table) measure every organization exactly
/// as its own plan page does.
#[tokio::test]
async fn the_bulk_facts_of_a_subtree_measure_as_each_plan_page() {
    use ronghe_core::evaluation::facts::measure;
    use ronghe_core::integration::IndexConfig;
    for b in backends() {
        let app = spawn(b).await;
        let all = Scope::everything();
        let today = ronghe_store::today();
        let root = app
            .store
            .org_get(&all, org_id(&app, "市市场监督管理局机关党委").await)
            .await
            .unwrap();
        for year in [2025, 2026] {
            let bulk = app.store.eval_facts(&root, year, today).await.unwrap();
            assert!(bulk.subjects.len() >= 4, "{b}: {}", bulk.subjects.len());
            for s in &bulk.subjects {
                let v = app.store.plan_view_latest(&all, s.plan_id).await.unwrap();
                let plan = v.plan.clone();
                let meetings = app.store.plan_meeting_counts(&plan).await.unwrap();
                let org = app.store.org_get(&all, s.org_id).await.unwrap();
                let compliance = if org.kind == "branch" {
                    let from = ronghe_core::Date::from_ymd_opt(year, 1, 1).unwrap();
                    let to = ronghe_core::Date::from_ymd_opt(year, 12, 31).unwrap();
                    let (profile, facts) = app
                        .store
                        .branch_compliance_facts(org.id, from, to)
                        .await
                        .unwrap();
                    let rules = app.store.compliance_config().await.unwrap().rules();
                    let r = ronghe_core::compliance::evaluate(
                        &rules, &profile, &facts, from, to, today,
                    );
                    Some((r.met, r.met + r.overdue))
                } else {
                    None
                };
                let mut facts = v.facts(meetings, compliance);
                let as_of = today.min(ronghe_core::Date::from_ymd_opt(year, 12, 31).unwrap());
                facts.rectifications_overdue = app
                    .store
                    .rectifications_overdue(&root, year, as_of)
                    .await
                    .unwrap()
                    .get(&s.org_id)
                    .copied()
                    .unwrap_or(0);
                let one = measure(&facts, today, &IndexConfig::default());
                let many = measure(&s.facts, today, &IndexConfig::default());
                assert_eq!(
                    serde_json::to_value(&one).unwrap(),
                    serde_json::to_value(&many).unwrap(),
                    "{b} {year}: {}",
                    s.org_name
                );
            }
        }
    }
}

#[tokio::test]
async fn the_dashboard_tells_the_story_of_the_subtree() {
    for b in backends() {
        let app = spawn(b).await;
        let c = app.login("dangwei").await;
        let bureau = org_id(&app, "市市场监督管理局机关党委").await;
        let (status, html) = page(&c, &app, &format!("/orgs/{bureau}/dashboard?year=2026")).await;
        assert_eq!(status, 200, "{b}");
        // 两张皮 first, with its link to its explanation.
        let first = html.find("<tbody>").unwrap();
        let row = &html[first..first + html[first..].find("</tr>").unwrap()];
        assert!(
            row.contains("综合管理党支部") && row.contains("两张皮"),
            "{b}: {row}"
        );
        assert!(row.contains("/evaluation/runs/"), "{b}: {row}");
        // The heat map leads to the records of a kind.
        assert!(
            html.contains("class=\"heat\"") && html.contains("/meetings?year=2026&#38;kind="),
            "{b}"
        );
        // Both years in the trend, 2025 confirmed.
        assert!(html.contains(">2025<") && html.contains(">2026<"), "{b}");
        // No script in the charts, figures in text beside them.
        assert!(
            html.contains("<svg") && !html.contains("<script>alert"),
            "{b}"
        );
        // A member sees no dashboard of the committee.
        let member = app.login("dangyuan").await;
        let (status, _) = page(&member, &app, &format!("/orgs/{bureau}/dashboard")).await;
        assert_eq!(status, 404, "{b}");
    }
}
