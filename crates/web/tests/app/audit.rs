//! The audit log: only its administrator reads it; entries name their objects and what was
//! done; filters; exports that cannot smuggle a formula.

use super::*;

#[tokio::test]
async fn only_the_audit_administrator_reads_the_audit_log() {
    for b in backends() {
        let app = spawn(b).await;
        let shenji = app.login("shenji").await;
        let res = shenji.get(app.url("/admin/audit")).send().await.unwrap();
        assert_eq!(res.status(), 200);
        assert!(res.text().await.unwrap().contains("登录"));
        for user in ["admin", "anquan", "dangwei", "zhibu", "dangyuan"] {
            let c = app.login(user).await;
            let res = c.get(app.url("/admin/audit")).send().await.unwrap();
            assert_eq!(res.status(), StatusCode::FORBIDDEN, "{b}: {user}");
        }
        // And the audit administrator reads nothing else.
        let res = shenji
            .get(app.url("/members"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(res.contains("没有符合条件的党员"), "{b}");
    }
}

#[tokio::test]
async fn the_audit_log_names_objects_filters_and_exports_safely() {
    for b in backends() {
        let app = spawn(b).await;
        // A failed login under a formula-like name, and a meeting deleted by the secretary.
        let anon = client();
        let page = anon
            .get(app.url("/login"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        anon.post(app.url("/login"))
            .form(&[
                ("csrf", csrf_of(&page).as_str()),
                ("username", "=SUM(1)"),
                ("password", "x"),
                ("next", "/"),
            ])
            .send()
            .await
            .unwrap();
        let all = ronghe_core::scope::Scope::everything();
        let branch = app
            .store
            .org_search(&all, "检定校准党支部", 1)
            .await
            .unwrap()[0]
            .id;
        let recent = app
            .store
            .meeting_list(
                &all,
                branch,
                "2000-01-01".parse().unwrap(),
                ronghe_store::today(),
            )
            .await
            .unwrap();
        let gone = recent[0].id;
        let actor = ronghe_store::Actor::system("测试");
        app.store.meeting_delete(&actor, &all, gone).await.unwrap();

        let shenji = app.login("shenji").await;
        let html = shenji
            .get(app.url("/admin/audit?action=delete"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            html.contains("<td data-label=\"操作\">删除</td>"),
            "{b}: a deletion says so"
        );
        assert!(
            html.contains(&format!("会议（编号 {gone}，已删除）")),
            "{b}: {html}"
        );
        let html = shenji
            .get(app.url(&format!("/admin/audit?target=org:{branch}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            html.contains("党组织「检定校准党支部」"),
            "{b}: named, not org:{branch}"
        );
        let tomorrow = ronghe_store::today() + chrono::Duration::days(1);
        let html = shenji
            .get(app.url(&format!("/admin/audit?from={tomorrow}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(html.contains("共 0 条"), "{b}: the time filter applies");
        let html = shenji
            .get(app.url("/admin/audit?from=2026-13-01"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(html.contains("日期格式应为 年-月-日"), "{b}");

        // CSV: readable by spreadsheets, formula-like cells as text.
        let res = shenji
            .get(app.url("/admin/audit/export.csv?action=login"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        assert!(res.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains(".csv"));
        let csv = res.text().await.unwrap();
        assert!(csv.starts_with("\u{feff}\"时间\",\"用户\""), "{b}");
        assert!(
            // Login names are kept lowercased.
            csv.contains("\"'=sum(1)\"") && !csv.contains("\"=sum(1)\""),
            "{b}: escaped"
        );
        // XLSX: a real workbook.
        let res = shenji
            .get(app.url("/admin/audit/export.xlsx"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let bytes = res.bytes().await.unwrap();
        assert!(bytes.starts_with(b"PK"), "{b}: a zip container");
        // Exports are audited; nobody else may export.
        let html = shenji
            .get(app.url("/admin/audit?action=export"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            html.contains("导出审计日志（CSV）") && html.contains("导出审计日志（XLSX）"),
            "{b}"
        );
        for user in ["admin", "anquan", "zhibu"] {
            let c = app.login(user).await;
            let res = c
                .get(app.url("/admin/audit/export.csv"))
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), StatusCode::FORBIDDEN, "{b}: {user}");
        }
    }
}
