//! Sessions and sign-in: CSRF on every state change, lockout after five failures, a new
//! session id at login, and the first-start administrators' forced password change.

use super::*;

#[tokio::test]
async fn csrf_is_required_on_every_state_change() {
    for b in backends() {
        let app = spawn(b).await;
        let c = app.login("zhibu").await;
        let branch = branch_id(&app, "检定校准党支部").await;
        let res = c
            .post(app.url("/members/new"))
            .form(&[("org_id", branch.to_string()), ("name", "x".into())])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{b}: missing token");
        let res = c
            .post(app.url("/members/new"))
            .form(&[("csrf", "forged"), ("name", "x")])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{b}: wrong token");
        let res = c.post(app.url("/logout")).send().await.unwrap();
        assert_eq!(
            res.status(),
            StatusCode::FORBIDDEN,
            "{b}: logout needs the token too"
        );
        // A login form posted from elsewhere has no double-submit cookie.
        let res = client()
            .post(app.url("/login"))
            .form(&[("username", "zhibu"), ("password", DEMO_PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{b}: login CSRF");
    }
}

#[tokio::test]
async fn five_failures_lock_the_account() {
    for b in backends() {
        let app = spawn(b).await;
        let login = |pw: &'static str| {
            let url = app.url("/api/v1/session");
            async move {
                client()
                    .post(url)
                    .json(&json!({"username": "jiliang", "password": pw}))
                    .send()
                    .await
                    .unwrap()
                    .status()
            }
        };
        for _ in 0..4 {
            assert_eq!(login("wrong-Pass1").await, StatusCode::UNAUTHORIZED);
        }
        assert_eq!(
            login("wrong-Pass1").await,
            StatusCode::LOCKED,
            "{b}: the fifth failure locks"
        );
        assert_eq!(
            login(DEMO_PASSWORD).await,
            StatusCode::LOCKED,
            "{b}: even the right password waits"
        );
        let locks = app
            .store
            .audit_list(&ronghe_store::AuditFilter {
                action: Some("lockout".into()),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(locks.items.len(), 1);
        let admin = app
            .store
            .account_by_username("anquan")
            .await
            .unwrap()
            .unwrap();
        let actor = ronghe_store::Actor {
            account_id: Some(admin.id),
            username: "anquan".into(),
            ip: "t".into(),
        };
        let target = app
            .store
            .account_by_username("jiliang")
            .await
            .unwrap()
            .unwrap();
        app.store.account_unlock(&actor, target.id).await.unwrap();
        assert_eq!(login(DEMO_PASSWORD).await, StatusCode::OK, "{b}: unlocked");
    }
}

#[tokio::test]
async fn login_issues_a_new_session_id() {
    for b in backends() {
        let app = spawn(b).await;
        // An attacker plants a session id in the victim's browser before login (fixation).
        let planted = ronghe_store::random_token();
        let pre = "p".repeat(43);
        let cookie = format!("ronghe_pre={pre}; ronghe_sid={planted}");
        let page = client()
            .get(app.url("/login"))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert_eq!(csrf_of(&page), pre);
        let res = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
            .post(app.url("/login"))
            .header("cookie", &cookie)
            .form(&[
                ("csrf", pre.as_str()),
                ("username", "zhibu"),
                ("password", DEMO_PASSWORD),
            ])
            .send()
            .await
            .unwrap();
        let set = res
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_string())
            .find(|v| v.starts_with("ronghe_sid="))
            .expect("session cookie");
        let issued = set["ronghe_sid=".len()..set.find(';').unwrap()].to_string();
        assert_ne!(planted, issued, "{b}: new id at login");
        assert!(
            set.contains("HttpOnly") && set.contains("SameSite=Lax"),
            "{set}"
        );
        let planted_res = client()
            .get(app.url("/api/v1/orgs"))
            .bearer_auth(&planted)
            .send()
            .await
            .unwrap();
        assert_eq!(
            planted_res.status(),
            StatusCode::UNAUTHORIZED,
            "{b}: the planted id grants nothing"
        );
        let issued_res = client()
            .get(app.url("/api/v1/orgs"))
            .bearer_auth(&issued)
            .send()
            .await
            .unwrap();
        assert_eq!(issued_res.status(), StatusCode::OK);
        assert_ne!(
            app.token("zhibu").await,
            app.token("zhibu").await,
            "{b}: every login a new id"
        );
    }
}

#[tokio::test]
async fn first_start_administrators_must_change_their_one_time_password() {
    for b in backends() {
        let app = spawn_with(b, false).await;
        let created = app.store.bootstrap_admins().await.unwrap();
        assert_eq!(
            created.iter().map(|c| c.0.as_str()).collect::<Vec<_>>(),
            ["sysadmin", "secadmin", "auditadmin"]
        );
        assert!(
            app.store.bootstrap_admins().await.unwrap().is_empty(),
            "only once"
        );
        let (user, one_time) = created[0].clone();
        let c = client();
        let page = c
            .get(app.url("/login"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let res = c
            .post(app.url("/login"))
            .form(&[
                ("csrf", csrf_of(&page)),
                ("username", user.clone()),
                ("password", one_time.clone()),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(
            res.url().path(),
            "/password",
            "{b}: forced to the password page"
        );
        let html = res.text().await.unwrap();
        assert!(html.contains("初始密码"));
        assert_eq!(
            c.get(app.url("/admin/accounts"))
                .send()
                .await
                .unwrap()
                .url()
                .path(),
            "/password",
            "nothing else opens"
        );
        let csrf = csrf_of(&html);
        let weak = c
            .post(app.url("/password"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("current_password", &one_time),
                ("new_password", "abc"),
                ("confirm_password", "abc"),
            ])
            .send()
            .await
            .unwrap();
        assert!(
            weak.text().await.unwrap().contains("至少"),
            "{b}: policy explained"
        );
        let same = c
            .post(app.url("/password"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("current_password", &one_time),
                ("new_password", &one_time),
                ("confirm_password", &one_time),
            ])
            .send()
            .await
            .unwrap();
        assert!(
            same.text().await.unwrap().contains("最近"),
            "{b}: reuse refused"
        );
        let res = c
            .post(app.url("/password"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("current_password", &one_time),
                ("new_password", "Xin-Mima-2026"),
                ("confirm_password", "Xin-Mima-2026"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.url().path(), "/", "{b}");
        assert_eq!(
            c.get(app.url("/admin/accounts"))
                .send()
                .await
                .unwrap()
                .status(),
            200
        );
    }
}
