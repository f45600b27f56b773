//! Accounts: pickers that search by name, the checks on who may hold which role, role
//! editing, the rule that each administrator role always has a holder, and password reset.

mod common;

use common::*;
use reqwest::{Client, StatusCode};
use ronghe_core::scope::Scope;

async fn page(c: &Client, app: &TestApp, path: &str) -> String {
    c.get(app.url(path))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

async fn post(c: &Client, app: &TestApp, path: &str, fields: &[(&str, &str)]) -> (String, String) {
    let csrf = csrf_of(&page(c, app, "/admin/accounts").await);
    let mut form = vec![("csrf", csrf.as_str())];
    form.extend_from_slice(fields);
    let res = c.post(app.url(path)).form(&form).send().await.unwrap();
    (res.url().path().to_string(), res.text().await.unwrap())
}

#[tokio::test]
async fn accounts_are_made_with_pickers_and_checked_all_at_once() {
    for b in backends() {
        let app = spawn(b).await;
        let all = Scope::everything();
        let admin = app.login("admin").await;
        let before = app.store.account_list().await.unwrap().len();

        // Several problems: every one named at once, and a name that fits many branches
        // offers them to choose from.
        let (_, html) = post(
            &admin,
            &app,
            "/admin/accounts",
            &[
                ("username", "Bad Name"),
                ("display_name", " "),
                ("role", "branch_secretary"),
                ("org", "党支部"),
            ],
        )
        .await;
        assert!(html.contains("用户名应为"), "{b}");
        assert!(html.contains("请填写姓名"), "{b}: {html}");
        assert!(html.contains("个党组织名称含“党支部”，请在下面选择"), "{b}");
        assert!(
            html.contains("<select name=\"org_id\">") && html.contains("检定校准党支部（党支部）"),
            "{b}"
        );
        assert_eq!(
            app.store.account_list().await.unwrap().len(),
            before,
            "{b}: nothing made"
        );

        // A secretary linked to a member of another branch is refused.
        let school = app
            .store
            .org_search(&all, "高一年级党支部", 1)
            .await
            .unwrap()
            .remove(0);
        let outsider = app
            .store
            .member_roster(&all, school.id)
            .await
            .unwrap()
            .remove(0);
        let (_, html) = post(
            &admin,
            &app,
            "/admin/accounts",
            &[
                ("username", "xin_shuji"),
                ("display_name", "新书记"),
                ("role", "branch_secretary"),
                ("org", "检定校准党支部"),
                ("member_id", &outsider.id.to_string()),
                ("member", &outsider.name),
            ],
        )
        .await;
        assert!(
            html.contains("找不到名为") || html.contains("只能关联本组织的党员"),
            "{b}: {html}"
        );

        // One account per member: the secretary's own member record already has one.
        let branch = app
            .store
            .org_search(&all, "检定校准党支部", 1)
            .await
            .unwrap()
            .remove(0);
        let roster = app.store.member_roster(&all, branch.id).await.unwrap();
        let mut with_account = None;
        let mut free = None;
        for m in &roster {
            match app.store.account_of_member(m.id).await.unwrap() {
                Some(_) if with_account.is_none() => with_account = Some(m.clone()),
                None if free.is_none() => free = Some(m.clone()),
                _ => {}
            }
        }
        let (taken, free) = (with_account.unwrap(), free.unwrap());
        let (_, html) = post(
            &admin,
            &app,
            "/admin/accounts",
            &[
                ("username", "chongfu"),
                ("display_name", &taken.name),
                ("role", "member"),
                ("org", "检定校准党支部"),
                ("member", &taken.name),
                ("member_id", &taken.id.to_string()),
            ],
        )
        .await;
        assert!(
            html.contains("已有账号") && html.contains("一名党员只能有一个账号"),
            "{b}"
        );

        // A good one: by names only.
        let (_, html) = post(
            &admin,
            &app,
            "/admin/accounts",
            &[
                ("username", "zuzhi_weiyuan"),
                ("display_name", &free.name),
                ("role", "member"),
                ("org", "检定校准党支部"),
                ("member", &free.name),
                ("member_id", &free.id.to_string()),
            ],
        )
        .await;
        assert!(html.contains("账号 zuzhi_weiyuan 已创建"), "{b}: {html}");
        let created = app
            .store
            .account_by_username("zuzhi_weiyuan")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(created.member_id, Some(free.id));

        // Its roles can be edited afterwards.
        let (_, html) = post(
            &admin,
            &app,
            &format!("/admin/accounts/{}/grants", created.id),
            &[("role", "inspector"), ("org", "市计量测试研究院党总支")],
        )
        .await;
        let grants = app.store.grant_rows(created.id).await.unwrap();
        assert!(grants.iter().any(|g| g.role == "inspector"), "{b}: {html}");

        // The last holder of an administrator role keeps it.
        let me = app
            .store
            .account_by_username("admin")
            .await
            .unwrap()
            .unwrap();
        let sys = app.store.grant_rows(me.id).await.unwrap().remove(0);
        let (_, html) = post(
            &admin,
            &app,
            &format!("/admin/accounts/{}/grants/{}/delete", me.id, sys.id),
            &[],
        )
        .await;
        assert!(html.contains("这是唯一的系统管理员"), "{b}: {html}");
        assert_eq!(
            app.store.grant_rows(me.id).await.unwrap().len(),
            1,
            "{b}: kept"
        );
        let audit = app
            .store
            .account_by_username("shenji")
            .await
            .unwrap()
            .unwrap();
        let (_, html) = post(
            &admin,
            &app,
            &format!("/admin/accounts/{}/disable", audit.id),
            &[],
        )
        .await;
        assert!(html.contains("这是唯一的审计管理员"), "{b}");
        assert_eq!(app.store.account_get(audit.id).await.unwrap().disabled, 0);
    }
}

#[tokio::test]
async fn the_security_administrator_resets_a_forgotten_password() {
    for b in backends() {
        let app = spawn(b).await;
        let sec = app.login("anquan").await;
        let csrf = csrf_of(&page(&sec, &app, "/admin/security").await);
        let res = sec
            .post(app.url("/admin/security/reset"))
            .form(&[("csrf", csrf.as_str()), ("username", "nobody")])
            .send()
            .await
            .unwrap();
        assert!(
            res.text()
                .await
                .unwrap()
                .contains("找不到用户名为“nobody”的账号"),
            "{b}"
        );
        let res = sec
            .post(app.url("/admin/security/reset"))
            .form(&[("csrf", csrf.as_str()), ("username", "zhibu")])
            .send()
            .await
            .unwrap();
        let html = res.text().await.unwrap();
        assert!(html.contains("账号 zhibu 的密码已重置"), "{b}");
        let marker = "一次性密码：<span class=\"mono big\">";
        let at = html.find(marker).unwrap() + marker.len();
        let one_time = html[at..at + html[at..].find('<').unwrap()].to_string();

        // The old password no longer works; the one-time one opens only the password page.
        let c = client();
        let login = page(&c, &app, "/login").await;
        let res = c
            .post(app.url("/login"))
            .form(&[
                ("csrf", csrf_of(&login).as_str()),
                ("username", "zhibu"),
                ("password", DEMO_PASSWORD),
                ("next", "/"),
            ])
            .send()
            .await
            .unwrap();
        assert!(
            res.text().await.unwrap().contains("用户名或密码不正确"),
            "{b}"
        );
        let login = page(&c, &app, "/login").await;
        let res = c
            .post(app.url("/login"))
            .form(&[
                ("csrf", csrf_of(&login).as_str()),
                ("username", "zhibu"),
                ("password", one_time.as_str()),
                ("next", "/"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.url().path(), "/password", "{b}: must change it first");
        let zhibu = app
            .store
            .account_by_username("zhibu")
            .await
            .unwrap()
            .unwrap();
        let history = app.store.history("account", zhibu.id).await.unwrap();
        assert!(
            history[0].summary.contains("重置账号 zhibu 的密码") && history[0].username == "anquan",
            "{b}"
        );
        // Only the security administrator resets.
        let admin = app.login("admin").await;
        let csrf = csrf_of(&page(&admin, &app, "/admin/accounts").await);
        let res = admin
            .post(app.url("/admin/security/reset"))
            .form(&[("csrf", csrf.as_str()), ("username", "zhibu")])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{b}");
    }
}
