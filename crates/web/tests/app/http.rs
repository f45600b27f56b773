//! The HTTP surface: malformed requests answered in Chinese (never a 500), compression,
//! content-hashed static files and the icon.

use super::*;

#[tokio::test]
async fn malformed_requests_get_a_chinese_answer_never_a_500() {
    for b in backends() {
        let app = spawn(b).await;
        let c = app.login("dangwei").await;
        let token = app.token("dangwei").await;
        for path in [
            "/members/abc",
            "/orgs/99999999999999999999999",
            "/members?page=abc",
            "/members?org=x",
            "/orgs/-1",
            "/nowhere",
            "/admin/audit?page=0",
        ] {
            let res = c.get(app.url(path)).send().await.unwrap();
            assert!(
                res.status().is_client_error() || res.status().is_success(),
                "{b} {path}: {}",
                res.status()
            );
            let body = res.text().await.unwrap();
            assert!(body.contains("融合"), "{b} {path}: a page of ours: {body}");
        }
        for path in [
            "/api/v1/members/abc",
            "/api/v1/orgs/1e9",
            "/api/v1/orgs/abc",
            "/api/v1/nothing",
        ] {
            let res = client()
                .get(app.url(path))
                .bearer_auth(&token)
                .send()
                .await
                .unwrap();
            assert!(
                res.status().is_client_error(),
                "{b} {path}: {}",
                res.status()
            );
            let v: Value = res.json().await.unwrap();
            assert!(
                v["error"].as_str().is_some_and(|e| !e.is_ascii()),
                "{b} {path}: {v}"
            );
        }
        let res = client()
            .delete(app.url("/api/v1/members/1"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::METHOD_NOT_ALLOWED);
        let huge = "x".repeat(5 * 1024 * 1024);
        let res = client()
            .post(app.url("/api/v1/members"))
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body(huge)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE, "{b}");
        let long_name = "长".repeat(5000);
        let res = client()
            .post(app.url("/api/v1/members"))
            .bearer_auth(&token)
            .json(&json!({"name": long_name, "org_id": 1}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
}

#[tokio::test]
async fn pages_are_compressed_static_files_cached_by_content_and_an_icon_answers() {
    let app = spawn_with("sqlite", false).await;
    let res = client()
        .get(app.url("/login"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["content-encoding"], "gzip");
    let res = client().get(app.url("/login")).send().await.unwrap();
    let html = res.text().await.unwrap();
    let css = html
        .split("href=\"")
        .map(|s| &s[..s.find('"').unwrap()])
        .find(|h| h.starts_with("/static/style.") && h.ends_with(".css"))
        .expect("a hashed stylesheet")
        .to_string();
    assert_ne!(
        css, "/static/style.css",
        "the name carries the content hash"
    );
    let res = client().get(app.url(&css)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["cache-control"]
        .to_str()
        .unwrap()
        .contains("immutable"));
    let res = client()
        .get(app.url("/static/style.css"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["cache-control"], "public, max-age=3600");
    let res = client().get(app.url("/favicon.ico")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "image/svg+xml");
    assert!(
        res.headers().get("strict-transport-security").is_none(),
        "plain HTTP: no HSTS"
    );

    let tls = spawn_configured(
        "sqlite",
        false,
        ronghe_web::Config {
            secure_cookies: true,
            ..ronghe_web::Config::default()
        },
    )
    .await;
    let res = client().get(tls.url("/login")).send().await.unwrap();
    assert!(res.headers()["strict-transport-security"]
        .to_str()
        .unwrap()
        .starts_with("max-age=31536000"));
}
