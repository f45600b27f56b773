//! 同步考核 through the JSON API: the same rules and refusals as the pages.

use super::*;
use serde_json::{json, Value};

async fn call(
    app: &TestApp,
    token: &str,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut req = client().request(method, app.url(path)).bearer_auth(token);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn templates_runs_and_explanations_over_the_api() {
    use reqwest::Method;
    for b in backends() {
        let app = spawn(b).await;
        let token = app.token("dangwei").await;
        let bureau = org_id(&app, "市市场监督管理局机关党委").await;
        let template =
            serde_json::to_value(ronghe_core::evaluation::templates::hundred_points()).unwrap();
        // Weights that do not sum to 100: 422 at the field, nothing saved.
        let mut bad = template.clone();
        bad["indicators"][0]["weight"] = json!(30);
        let before = app.store.eval_templates_of(bureau).await.unwrap().len();
        let (status, v) = call(
            &app,
            &token,
            Method::POST,
            &format!("/api/v1/orgs/{bureau}/evaluation/templates"),
            Some(json!({ "year": 2026, "template": bad })),
        )
        .await;
        assert_eq!(status, 422, "{b}: {v}");
        assert!(
            v.to_string()
                .contains("计分指标的分值合计应为 100，现为 110"),
            "{b}: {v}"
        );
        assert_eq!(
            app.store.eval_templates_of(bureau).await.unwrap().len(),
            before,
            "{b}"
        );
        // An unknown field: 400 saying where.
        let (status, _) = call(
            &app,
            &token,
            Method::POST,
            &format!("/api/v1/orgs/{bureau}/evaluation/templates"),
            Some(json!({ "year": 2026, "template": template, "extra": 1 })),
        )
        .await;
        assert_eq!(status, 400, "{b}");
        let (status, t) = call(
            &app,
            &token,
            Method::POST,
            &format!("/api/v1/orgs/{bureau}/evaluation/templates"),
            Some(json!({ "year": 2026, "template": template })),
        )
        .await;
        assert_eq!(status, 201, "{b}: {t}");
        let tid = t["id"].as_i64().unwrap();
        let (status, run) = call(
            &app,
            &token,
            Method::POST,
            &format!("/api/v1/orgs/{bureau}/evaluation/runs"),
            Some(json!({ "template_id": tid })),
        )
        .await;
        assert_eq!(status, 201, "{b}: {run}");
        let run_id = run["id"].as_i64().unwrap();
        let (_, v) = call(
            &app,
            &token,
            Method::GET,
            &format!("/api/v1/evaluation/runs/{run_id}"),
            None,
        )
        .await;
        let list = v["results_list"].as_array().unwrap();
        assert!(list.len() >= 4, "{b}");
        let org = list[0]["org_id"].as_i64().unwrap();
        let (_, r) = call(
            &app,
            &token,
            Method::GET,
            &format!("/api/v1/evaluation/runs/{run_id}/results/{org}"),
            None,
        )
        .await;
        let sum: f64 = r["lines"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["points"].as_f64().unwrap())
            .sum();
        assert!(
            (sum - r["score"].as_f64().unwrap()).abs() < 1e-6,
            "{b}: {r}"
        );
        // A manual value with no authority: 403; without a reason: 422.
        let other = app.token("xuexiao").await;
        let (status, _) = call(
            &app,
            &other,
            Method::POST,
            &format!("/api/v1/evaluation/runs/{run_id}/results/{org}/manual"),
            Some(json!({ "code": "party_grade", "grade": "good", "reason": "越权录入试试" })),
        )
        .await;
        assert_eq!(status, 404, "{b}: another committee does not see the run");
        let zhibu = app.token("zhibu").await;
        let (status, _) = call(
            &app,
            &zhibu,
            Method::POST,
            &format!("/api/v1/evaluation/runs/{run_id}/results/{org}/manual"),
            Some(json!({ "code": "party_grade", "grade": "good", "reason": "越权录入试试" })),
        )
        .await;
        assert!(status == 403 || status == 404, "{b}: {status}");
        let (status, v) = call(
            &app,
            &token,
            Method::POST,
            &format!("/api/v1/evaluation/runs/{run_id}/results/{org}/manual"),
            Some(json!({ "code": "party_grade", "grade": "good" })),
        )
        .await;
        assert_eq!(status, 422, "{b}: {v}");
        let (status, v) = call(
            &app,
            &token,
            Method::POST,
            &format!("/api/v1/evaluation/runs/{run_id}/results/{org}/manual"),
            Some(json!({ "code": "party_grade", "grade": "good", "reason": "年度述职评议结果" })),
        )
        .await;
        assert_eq!(status, 200, "{b}: {v}");
        assert!(v["lines"].to_string().contains("年度述职评议结果"), "{b}");
        let (status, v) = call(
            &app,
            &token,
            Method::POST,
            &format!("/api/v1/evaluation/runs/{run_id}/confirm"),
            None,
        )
        .await;
        assert_eq!(
            (status, v["status"].as_str()),
            (200, Some("confirmed")),
            "{b}: {v}"
        );
        let (status, _) = call(
            &app,
            &token,
            Method::POST,
            &format!("/api/v1/evaluation/runs/{run_id}/results/{org}/manual"),
            Some(json!({ "code": "party_grade", "grade": "poor", "reason": "年度述职评议结果" })),
        )
        .await;
        assert_eq!(status, 422, "{b}: a confirmed run is locked");
        // The subtree's index, lowest first, 两张皮 flagged with what would help.
        let (status, v) = call(
            &app,
            &token,
            Method::GET,
            &format!("/api/v1/orgs/{bureau}/integration?year=2026"),
            None,
        )
        .await;
        assert_eq!(status, 200, "{b}");
        let first = &v["organizations"][0];
        assert_eq!(first["org_name"], "综合管理党支部", "{b}: {v}");
        assert!(
            first["index"]["warning"].is_string()
                && first["index"]["obstacles"][0]["gain"].as_f64().unwrap() > 0.0,
            "{b}"
        );
        // The document lists the operations.
        let (_, doc) = call(&app, &token, Method::GET, "/api/openapi.json", None).await;
        for p in [
            "/api/v1/orgs/{id}/evaluation/templates",
            "/api/v1/evaluation/runs/{id}/results/{org}/manual",
            "/api/v1/orgs/{id}/integration",
        ] {
            assert!(doc["paths"][p].is_object(), "{b}: {p}");
        }
    }
}
