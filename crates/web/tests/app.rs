//! Integration tests: the real server over HTTP, on every backend of the run.

/// The audit log: who reads it, names, filters and exports.
#[path = "app/audit.rs"]
mod audit;
/// Sessions: CSRF, lockout, session ids, first-start administrators.
#[path = "app/auth.rs"]
mod auth;
mod common;
/// Malformed requests, compression, static files and the icon.
#[path = "app/http.rs"]
mod http;
/// What a committee oversees: its whole subtree.
#[path = "app/oversight.rs"]
mod oversight;

use common::*;
use reqwest::StatusCode;
use ronghe_core::scope::Scope;
use ronghe_store::MemberFilter;
use serde_json::{json, Value};

/// The id of some member of the school (outside the 检定校准 branch's subtree).
async fn school_member(app: &TestApp) -> i64 {
    let all = Scope::everything();
    let org = app
        .store
        .org_search(&all, "高一年级", 1)
        .await
        .unwrap()
        .remove(0);
    app.store.member_roster(&all, org.id).await.unwrap()[0].id
}

async fn branch_id(app: &TestApp, name: &str) -> i64 {
    app.store
        .org_search(&Scope::everything(), name, 1)
        .await
        .unwrap()[0]
        .id
}

#[tokio::test]
async fn health_login_and_home() {
    for b in backends() {
        let app = spawn(b).await;
        assert_eq!(
            client()
                .get(app.url("/healthz"))
                .send()
                .await
                .unwrap()
                .status(),
            200
        );
        let c = app.login("zhibu").await;
        let home = c
            .get(app.url("/"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            home.contains("检定校准党支部"),
            "{b}: home shows the branch"
        );
        let tree = c
            .get(app.url("/orgs"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            tree.contains("检定校准党支部") && !tree.contains("高一年级"),
            "{b}: tree is scoped"
        );
    }
}

#[tokio::test]
async fn other_subtree_answers_404_in_pages_and_api_and_is_audited() {
    for b in backends() {
        let app = spawn(b).await;
        let foreign = school_member(&app).await;
        let c = app.login("zhibu").await;
        let res = c
            .get(app.url(&format!("/members/{foreign}")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{b}");
        let school = branch_id(&app, "高一年级").await;
        assert_eq!(
            c.get(app.url(&format!("/orgs/{school}")))
                .send()
                .await
                .unwrap()
                .status(),
            404
        );
        let token = app.token("zhibu").await;
        let api = client()
            .get(app.url(&format!("/api/v1/members/{foreign}")))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(api.status(), 404);
        assert_eq!(api.headers()["content-type"], "application/json");
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
                .any(|r| r.target == format!("member:{foreign}") && r.username == "zhibu"),
            "{b}: denial audited"
        );
    }
}

#[tokio::test]
async fn each_demo_account_sees_exactly_its_subtree_through_the_api() {
    for b in backends() {
        let app = spawn(b).await;
        for (user, root) in [
            ("zhibu", Some("检定校准党支部")),
            ("jiliang", Some("计量测试研究院党总支")),
            ("xuexiao", Some("第十二中学党委")),
            ("dangyuan", None),
        ] {
            let token = app.token(user).await;
            let mut page = 1;
            let mut seen = Vec::new();
            loop {
                let v: Value = client()
                    .get(app.url(&format!("/api/v1/members?page={page}")))
                    .bearer_auth(&token)
                    .send()
                    .await
                    .unwrap()
                    .json()
                    .await
                    .unwrap();
                let items = v["items"].as_array().unwrap().clone();
                seen.extend(items.iter().map(|m| m["id"].as_i64().unwrap()));
                if items.len() < 20 {
                    break;
                }
                page += 1;
            }
            match root {
                Some(name) => {
                    let org = app
                        .store
                        .org_search(&Scope::everything(), name, 1)
                        .await
                        .unwrap()
                        .remove(0);
                    let mut scope = Scope::none();
                    scope.add_subtree(&org.path);
                    let expected = app
                        .store
                        .member_list(
                            &scope,
                            &MemberFilter {
                                page: Some(1),
                                ..Default::default()
                            },
                        )
                        .await
                        .unwrap();
                    assert_eq!(
                        seen.len() as i64,
                        expected.total,
                        "{b}: {user} sees its subtree"
                    );
                    assert!(seen.len() > 3);
                }
                None => assert_eq!(seen.len(), 1, "{b}: a member sees only themself"),
            }
        }
    }
}

#[tokio::test]
async fn bad_id_number_is_refused_with_the_input_kept_then_a_valid_one_is_saved() {
    for b in backends() {
        let app = spawn(b).await;
        let c = app.login("zhibu").await;
        let branch = branch_id(&app, "检定校准党支部").await;
        let form_page = c
            .get(app.url(&format!("/members/new?org={branch}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let csrf = csrf_of(&form_page);
        let good = TestApp::new_id_number(11);
        let mut bad = good.clone();
        let last = if bad.ends_with('1') { "2" } else { "1" };
        bad.replace_range(17.., last);
        let before = app
            .store
            .member_list(&Scope::everything(), &MemberFilter::default())
            .await
            .unwrap()
            .total;
        let fields = |id: &str| {
            vec![
                ("csrf", csrf.clone()),
                ("org_id", branch.to_string()),
                ("name", "测试党员甲".into()),
                ("id_number", id.to_string()),
                ("phone", "13900001111".into()),
                ("status", "full".into()),
                ("joined_on", "2015-07-01".into()),
                ("full_on", "2016-07-01".into()),
                ("department", "长度计量室".into()),
            ]
        };
        let res = c
            .post(app.url("/members/new"))
            .form(&fields(&bad))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let html = res.text().await.unwrap();
        assert!(
            html.contains("校验位"),
            "{b}: the error names the check digit"
        );
        assert!(
            html.contains("测试党员甲") && html.contains(&bad) && html.contains("长度计量室"),
            "{b}: input kept"
        );
        let after = app
            .store
            .member_list(&Scope::everything(), &MemberFilter::default())
            .await
            .unwrap()
            .total;
        assert_eq!(before, after, "{b}: nothing saved");
        let res = c
            .post(app.url("/members/new"))
            .form(&fields(&good))
            .send()
            .await
            .unwrap();
        assert!(
            res.url().path().starts_with("/members/"),
            "{b}: {}",
            res.url()
        );
        let html = res.text().await.unwrap();
        assert!(
            html.contains("测试党员甲") && !html.contains(&good),
            "{b}: shown, masked"
        );
        // The same ID number again is a duplicate.
        let res = c
            .post(app.url("/members/new"))
            .form(&fields(&good))
            .send()
            .await
            .unwrap();
        assert!(res.text().await.unwrap().contains("已经登记过"), "{b}");
    }
}

#[tokio::test]
async fn a_script_in_a_name_is_shown_as_text() {
    for b in backends() {
        let app = spawn(b).await;
        let token = app.token("zhibu").await;
        let branch = branch_id(&app, "检定校准党支部").await;
        let payload = "<script>alert(1)</script>";
        let res = client()
            .post(app.url("/api/v1/members"))
            .bearer_auth(&token)
            .json(&json!({"org_id": branch, "name": payload, "id_number": TestApp::new_id_number(21), "status": "activist", "department": "<img src=x onerror=alert(2)>"}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::CREATED, "{b}");
        let id = res.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
        let c = app.login("zhibu").await;
        for path in [
            format!("/members/{id}"),
            format!("/members?org={branch}"),
            format!("/orgs/{branch}"),
        ] {
            let html = c
                .get(app.url(&path))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            assert!(
                !html.contains(payload) && !html.contains("<img src=x"),
                "{b} {path}: raw payload"
            );
            assert!(
                html.contains("&lt;script&gt;alert(1)&lt;/script&gt;")
                    || html.contains("&#60;script&#62;"),
                "{b} {path}: escaped"
            );
        }
        let res = c
            .get(app.url(&format!("/members/{id}")))
            .send()
            .await
            .unwrap();
        let csp = res.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_string();
        assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"));
        assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    }
}

#[tokio::test]
async fn api_refuses_bad_input_with_the_field_named() {
    for b in backends() {
        let app = spawn(b).await;
        let token = app.token("zhibu").await;
        let post = |body: String| {
            let (url, token) = (app.url("/api/v1/members"), token.clone());
            async move {
                client()
                    .post(url)
                    .bearer_auth(token)
                    .header("content-type", "application/json")
                    .body(body)
                    .send()
                    .await
                    .unwrap()
            }
        };
        let res = post(r#"{"name": "x", "salary": 5000}"#.into()).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let v: Value = res.json().await.unwrap();
        assert_eq!(v["fields"][0]["field"], "salary");
        let res = post("{not json".into()).await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST);
        let res = post(
            json!({"name": "张三", "id_number": "123", "org_id": "abc", "status": "full"})
                .to_string(),
        )
        .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let v: Value = res.json().await.unwrap();
        let fields: Vec<&str> = v["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["field"].as_str().unwrap())
            .collect();
        assert!(
            fields.contains(&"id_number") && fields.contains(&"org_id"),
            "{fields:?}"
        );
        assert_eq!(
            client()
                .get(app.url("/api/v1/members"))
                .send()
                .await
                .unwrap()
                .status(),
            401
        );
        assert_eq!(
            client()
                .get(app.url("/api/v1/members/99999999"))
                .bearer_auth(&token)
                .send()
                .await
                .unwrap()
                .status(),
            404
        );
        assert_eq!(
            client()
                .get(app.url("/api/v1/members/abc"))
                .bearer_auth(&token)
                .send()
                .await
                .unwrap()
                .status(),
            400
        );
        let doc: Value = client()
            .get(app.url("/api/openapi.json"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(doc["paths"]["/api/v1/members"].is_object());
    }
}

#[tokio::test]
async fn an_id_number_never_reaches_the_database_in_plain_text() {
    for b in backends() {
        let app = spawn(b).await;
        let token = app.token("zhibu").await;
        let branch = branch_id(&app, "检定校准党支部").await;
        let id_number = TestApp::new_id_number(777);
        let phone = "13712345678";
        let res = client()
            .post(app.url("/api/v1/members"))
            .bearer_auth(&token)
            .json(&json!({"org_id": branch, "name": "密文测试", "id_number": id_number, "phone": phone, "status": "activist"}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 201);
        let v: Value = res.json().await.unwrap();
        assert_eq!(
            v["id_number_masked"].as_str().unwrap(),
            format!("{}***********{}", &id_number[..3], &id_number[14..])
        );
        assert!(!v.to_string().contains(&id_number) && !v.to_string().contains(phone));
        // The member can be found by the full number (blind index) without storing it.
        let found: Value = client()
            .get(app.url(&format!("/api/v1/members?q={id_number}")))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(found["total"], 1, "{b}");
        match b {
            "sqlite" => {
                let db = app.db_file.clone().unwrap();
                let mut bytes = std::fs::read(&db).unwrap();
                bytes.extend(std::fs::read(format!("{}-wal", db.display())).unwrap_or_default());
                let text = String::from_utf8_lossy(&bytes);
                assert!(
                    !text.contains(&id_number) && !text.contains(phone),
                    "plain text in SQLite files"
                );
            }
            _ => {
                sqlx::query("CHECKPOINT")
                    .execute(app.store.pool())
                    .await
                    .unwrap();
                if let Ok(pgdata) = std::env::var("RONGHE_TEST_PGDATA") {
                    let mut stack = vec![std::path::PathBuf::from(pgdata)];
                    let mut files = 0;
                    while let Some(p) = stack.pop() {
                        for e in std::fs::read_dir(&p).unwrap().flatten() {
                            let path = e.path();
                            if path.is_dir() {
                                stack.push(path);
                            } else if let Ok(bytes) = std::fs::read(&path) {
                                files += 1;
                                let needle = id_number.as_bytes();
                                assert!(
                                    !bytes.windows(needle.len()).any(|w| w == needle),
                                    "plain text in {}",
                                    path.display()
                                );
                            }
                        }
                    }
                    assert!(files > 10);
                }
            }
        }
    }
}
