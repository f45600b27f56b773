//! Starts the real application on port 0 with a fresh database, on every backend the run asks
//! for: `RONGHE_TEST_DATABASES=sqlite,postgres` with `RONGHE_TEST_PG=postgres://user@host:port`.
#![allow(dead_code)]

pub mod browser;

use ronghe_store::Store;
use std::net::SocketAddr;
use std::path::PathBuf;

pub struct TestApp {
    pub base: String,
    pub store: Store,
    pub backend: &'static str,
    pub dir: tempfile::TempDir,
    pub db_file: Option<PathBuf>,
    pub pg_db: Option<String>,
}

pub fn backends() -> Vec<&'static str> {
    let wanted = std::env::var("RONGHE_TEST_DATABASES").unwrap_or_else(|_| "sqlite".into());
    let mut out = Vec::new();
    if wanted.contains("sqlite") {
        out.push("sqlite");
    }
    if wanted.contains("postgres") {
        out.push("postgres");
    }
    out
}

async fn fresh_pg(name: &str) -> String {
    let base =
        std::env::var("RONGHE_TEST_PG").expect("RONGHE_TEST_PG must be set when testing postgres");
    sqlx::any::install_default_drivers();
    let admin = sqlx::AnyPool::connect(&format!("{base}/postgres"))
        .await
        .expect("connect to PostgreSQL");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&admin)
        .await
        .expect("create database");
    admin.close().await;
    format!("{base}/{name}")
}

/// A fresh app with the demo data loaded.
pub async fn spawn(backend: &'static str) -> TestApp {
    spawn_with(backend, true).await
}

/// A fresh app with the demo organizations, members and accounts, but no plans or meetings
/// (for tests that build a plan from nothing).
pub async fn spawn_base(backend: &'static str) -> TestApp {
    let app = spawn_with(backend, false).await;
    ronghe_demo::load_base(&app.store).await.expect("demo data");
    app
}

pub async fn spawn_with(backend: &'static str, demo: bool) -> TestApp {
    spawn_configured(backend, demo, ronghe_web::Config::default()).await
}

/// A fresh app served with `config` (e.g. secure cookies, as behind TLS).
pub async fn spawn_configured(
    backend: &'static str,
    demo: bool,
    config: ronghe_web::Config,
) -> TestApp {
    let dir = tempfile::tempdir().expect("tempdir");
    let (url, db_file, pg_db) = match backend {
        "sqlite" => {
            let f = dir.path().join("t.db");
            (format!("sqlite://{}", f.display()), Some(f), None)
        }
        _ => {
            let token = ronghe_store::random_token()
                .to_lowercase()
                .replace(['-', '_'], "");
            let name = format!("ronghe_t_{}", &token[..16]);
            (fresh_pg(&name).await, None, Some(name))
        }
    };
    let store = Store::open(&url, dir.path()).await.expect("open store");
    if demo {
        ronghe_demo::load(&store).await.expect("demo data");
    }
    let (tx, rx) = tokio::sync::oneshot::channel::<SocketAddr>();
    let s2 = store.clone();
    tokio::spawn(async move {
        ronghe_web::serve(s2, config, "127.0.0.1:0".parse().unwrap(), move |a| {
            let _ = tx.send(a);
        })
        .await
        .expect("server");
    });
    let addr = rx.await.expect("bound");
    TestApp {
        base: format!("http://{addr}"),
        store,
        backend,
        dir,
        db_file,
        pg_db,
    }
}

pub const DEMO_PASSWORD: &str = "Demo@2026";

/// A browser-like client with its own cookie jar.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::limited(5))
        .build()
        .unwrap()
}

/// The CSRF token in a page's forms.
pub fn csrf_of(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = html.find(marker).expect("page has a csrf field") + marker.len();
    html[start..start + html[start..].find('"').unwrap()].to_string()
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Logs in through the login page like a browser; returns the client.
    pub async fn login(&self, username: &str) -> reqwest::Client {
        let c = client();
        let page = c
            .get(self.url("/login"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let res = c
            .post(self.url("/login"))
            .form(&[
                ("csrf", csrf_of(&page).as_str()),
                ("username", username),
                ("password", DEMO_PASSWORD),
                ("next", "/"),
            ])
            .send()
            .await
            .unwrap();
        assert!(
            res.url().path() == "/",
            "{username} should land on home, got {}",
            res.url()
        );
        c
    }

    /// A bearer token from the JSON API.
    pub async fn token(&self, username: &str) -> String {
        let res = client()
            .post(self.url("/api/v1/session"))
            .json(&serde_json::json!({"username": username, "password": DEMO_PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "login {username}");
        let v: serde_json::Value = res.json().await.unwrap();
        v["token"].as_str().unwrap().to_string()
    }

    /// A fresh valid ID number nobody in the demo has.
    pub fn new_id_number(seq: u16) -> String {
        let birth = ronghe_core::Date::from_ymd_opt(1990, 5, 17).unwrap();
        ronghe_core::idnum::IdNumber::generate("420102", birth, seq)
            .as_str()
            .to_string()
    }
}
