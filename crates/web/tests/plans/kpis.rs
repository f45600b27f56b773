//! What a KPI's figures mean (累计值 or 当月值), how often they are due (按月 or 按季), its
//! history of entered values, and the stale flag.

use super::*;
use serde_json::json;

/// A fresh plan for `year` in the demo's 检定校准党支部, through the API; returns the plan id.
async fn api_plan(app: &TestApp, token: &str, year: i32) -> i64 {
    let branch = app
        .store
        .org_search(&Scope::everything(), "检定校准党支部", 1)
        .await
        .unwrap()[0]
        .id;
    let res = client()
        .post(app.url("/api/v1/plans"))
        .bearer_auth(token)
        .json(&json!({"org_id": branch, "year": year, "title": "指标填报方式"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    res.json::<serde_json::Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap()
}

async fn call(
    app: &TestApp,
    token: &str,
    path: &str,
    body: serde_json::Value,
) -> (u16, serde_json::Value) {
    let res = client()
        .post(app.url(path))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or_default())
}

#[tokio::test]
async fn running_totals_refuse_a_months_own_figure_and_quarterly_kpis_take_quarter_ends() {
    for b in backends() {
        let app = spawn(b).await;
        let token = app.token("zhibu").await;
        let plan = api_plan(&app, &token, 2033).await;
        // A count from 0 is taken as a running total when nothing is said; a rate as monthly.
        let goals = format!("/api/v1/plans/{plan}/goals");
        let (s, v) = call(&app, &token, &goals, json!({"title": "检定能力", "kpi_name": "检定台件数", "kpi_unit": "台件", "kpi_direction": "higher_better", "kpi_baseline": 0, "kpi_target": 60000})).await;
        assert_eq!(s, 201, "{b}: {v}");
        let (s, v) = call(&app, &token, &goals, json!({"title": "服务满意", "kpi_name": "满意率", "kpi_unit": "%", "kpi_direction": "higher_better", "kpi_baseline": 95, "kpi_target": 100, "kpi_cadence": "quarterly"})).await;
        assert_eq!(s, 201, "{b}: {v}");
        let (s, v) = call(&app, &token, &goals, json!({"title": "x", "kpi_name": "y", "kpi_unit": "项", "kpi_direction": "higher_better", "kpi_baseline": 0, "kpi_target": 5, "kpi_accumulation": "yearly"})).await;
        assert_eq!(
            (s, v["fields"][0]["field"].as_str()),
            (422, Some("kpi_accumulation")),
            "{b}: an unknown meaning is named: {v}"
        );
        let view = app
            .store
            .plan_view(&Scope::everything(), plan)
            .await
            .unwrap();
        let (count, rate) = (&view.kpis[0], &view.kpis[1]);
        assert_eq!(
            (count.accumulation.as_str(), count.cadence.as_str()),
            ("cumulative", "monthly"),
            "{b}"
        );
        assert_eq!(
            (rate.accumulation.as_str(), rate.cadence.as_str()),
            ("monthly", "quarterly"),
            "{b}"
        );

        let values = |id: i64| format!("/api/v1/kpis/{id}/values");
        for (month, value) in [("2033-01", 4000), ("2033-03", 15000)] {
            let (s, v) = call(
                &app,
                &token,
                &values(count.id),
                json!({"month": month, "value": value}),
            )
            .await;
            assert_eq!(s, 200, "{b}: {v}");
        }
        // February between January's 4000 and March's 15000: a monthly 96 is refused, a
        // total in between is taken.
        let (s, v) = call(
            &app,
            &token,
            &values(count.id),
            json!({"month": "2033-02", "value": 96}),
        )
        .await;
        assert_eq!(
            (s, v["fields"][0]["field"].as_str()),
            (422, Some("value")),
            "{b}: {v}"
        );
        let why = v["fields"][0]["message"].as_str().unwrap();
        assert!(
            why.contains("累计值") && why.contains("2033-01") && why.contains("4000"),
            "{b}: {why}"
        );
        let (s, v) = call(
            &app,
            &token,
            &values(count.id),
            json!({"month": "2033-02", "value": 16000}),
        )
        .await;
        assert_eq!(s, 422, "{b}: more than March's total: {v}");
        assert!(
            v["fields"][0]["message"]
                .as_str()
                .unwrap()
                .contains("2033-03"),
            "{b}: {v}"
        );
        let (s, _) = call(
            &app,
            &token,
            &values(count.id),
            json!({"month": "2033-02", "value": 9000}),
        )
        .await;
        assert_eq!(s, 200, "{b}");

        // A quarterly KPI takes March, not February.
        let (s, v) = call(
            &app,
            &token,
            &values(rate.id),
            json!({"month": "2033-02", "value": 96}),
        )
        .await;
        assert_eq!(
            (s, v["fields"][0]["field"].as_str()),
            (422, Some("month")),
            "{b}: {v}"
        );
        let (s, _) = call(
            &app,
            &token,
            &values(rate.id),
            json!({"month": "2033-03", "value": 96}),
        )
        .await;
        assert_eq!(s, 200, "{b}");
    }
}

#[tokio::test]
async fn a_kpi_page_shows_its_history_and_its_meaning_can_be_changed_with_an_audit_trail() {
    for b in backends() {
        let app = spawn(b).await;
        let token = app.token("zhibu").await;
        let plan = api_plan(&app, &token, 2034).await;
        let (s, _) = call(&app, &token, &format!("/api/v1/plans/{plan}/goals"), json!({"title": "科研项目", "kpi_name": "立项数", "kpi_unit": "项", "kpi_direction": "higher_better", "kpi_baseline": 0, "kpi_target": 12, "kpi_accumulation": "monthly"})).await;
        assert_eq!(s, 201);
        let kpi = app
            .store
            .plan_view(&Scope::everything(), plan)
            .await
            .unwrap()
            .kpis[0]
            .id;
        for (month, value) in [("2034-01", 3), ("2034-02", 1), ("2034-04", 2)] {
            let (s, v) = call(
                &app,
                &token,
                &format!("/api/v1/kpis/{kpi}/values"),
                json!({"month": month, "value": value}),
            )
            .await;
            assert_eq!(s, 200, "{b}: monthly figures move freely: {v}");
        }
        let c = app.login("zhibu").await;
        let html = page(&c, &app, &format!("/kpis/{kpi}")).await;
        assert!(html.contains("已录入的实际值（3 条）"), "{b}");
        assert!(html.contains("当月值") && html.contains("按月报送"), "{b}");
        // Who entered it, by name (the demo's 支部书记 何卫栋 holds the login zhibu).
        assert!(html.contains("何卫栋") && html.contains("接口"), "{b}");
        // A gap in the year is listed (the year is in the future: nothing is due yet).
        assert!(!html.contains("尚未录入的月份"), "{b}");
        // Turning it into a running total is refused: February's 1 is below January's 3.
        let csrf = csrf_of(&html);
        let (_, html) = post(
            &c,
            &app,
            &format!("/kpis/{kpi}/rhythm"),
            &csrf,
            &[("accumulation", "cumulative"), ("cadence", "monthly")],
        )
        .await;
        assert!(html.contains("不像累计值"), "{b}");
        let (url, html) = post(
            &c,
            &app,
            &format!("/kpis/{kpi}/rhythm"),
            &csrf,
            &[("accumulation", "monthly"), ("cadence", "quarterly")],
        )
        .await;
        assert!(
            url.ends_with(&format!("/kpis/{kpi}")) && html.contains("已保存"),
            "{b}: {url}"
        );
        assert!(html.contains("按季报送"), "{b}");
        let audit = app
            .store
            .audit_list(&ronghe_store::AuditFilter::default())
            .await
            .unwrap();
        assert!(
            audit
                .items
                .iter()
                .any(|a| a.detail.contains("立项数") && a.detail.contains("按季报送")),
            "{b}: the change is in the audit log"
        );
        // Another subtree cannot read the page.
        let other = app.login("xuexiao").await;
        let res = other
            .get(app.url(&format!("/kpis/{kpi}")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404, "{b}");
    }
}

#[test]
fn the_stale_flag_and_the_due_month_come_from_core() {
    use ronghe_core::plan::kpi_rhythm::staleness;
    use ronghe_core::plan::Cadence;
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    assert!(staleness(Cadence::Monthly, Some("2026-08"), today, 2026).is_some());
    assert_eq!(
        Cadence::Quarterly.due_month(today, 2026).as_deref(),
        Some("2026-09")
    );
}
