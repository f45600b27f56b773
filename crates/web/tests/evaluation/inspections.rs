//! 同步检查: a committee records a finding; the branch reports its rectification; the
//! inspector returns it with a reason, then verifies it. Overdue ones are on the 待办 and
//! deducted by the evaluation.

use super::*;

#[tokio::test]
async fn a_finding_is_rectified_returned_and_verified() {
    for b in backends() {
        let app = spawn(b).await;
        let c = app.login("dangwei").await;
        let bureau = org_id(&app, "市市场监督管理局机关党委").await;
        let (_, home) = page(&c, &app, "/evaluation").await;
        let csrf = csrf_of(&home);
        assert!(
            home.contains("2026 年党建与业务工作同步检查"),
            "{b}: the demo's round is listed"
        );
        // A round without a title: refused at the field.
        let (_, _, html) = post(
            &c,
            &app,
            &format!("/orgs/{bureau}/inspections"),
            &csrf,
            &[("title", " "), ("year", "2026")],
        )
        .await;
        assert!(html.contains("请填写检查的名称"), "{b}");
        let (_, url, _) = post(
            &c,
            &app,
            &format!("/orgs/{bureau}/inspections"),
            &csrf,
            &[("title", "测试检查"), ("year", "2026")],
        )
        .await;
        assert!(url.starts_with("/inspections/"), "{b}: {url}");
        let round = url.trim_start_matches("/inspections/").to_string();
        let branch = org_id(&app, "检定校准党支部").await;
        // A finding without an owner and with a past deadline: every field named, kept.
        let findings = format!("/inspections/{round}/findings");
        let (_, _, html) = post(
            &c,
            &app,
            &findings,
            &csrf,
            &[
                ("org_id", &branch.to_string()),
                ("severity", "minor"),
                ("description", "计量服务进企业活动没有记录"),
                ("action", "补齐活动记录"),
                ("owner", ""),
                ("deadline", "2020-01-01"),
            ],
        )
        .await;
        assert!(
            html.contains("请填写整改责任人") && html.contains("整改期限不能早于今天"),
            "{b}"
        );
        assert!(
            html.contains("计量服务进企业活动没有记录"),
            "{b}: typed text kept"
        );
        let deadline = (ronghe_store::today() + chrono::Duration::days(20)).to_string();
        let (_, url, html) = post(
            &c,
            &app,
            &findings,
            &csrf,
            &[
                ("org_id", &branch.to_string()),
                ("severity", "minor"),
                ("description", "计量服务进企业活动没有记录"),
                ("action", "补齐活动记录并录入计划"),
                ("owner", "组织委员"),
                ("deadline", &deadline),
            ],
        )
        .await;
        assert!(
            url.starts_with(&format!("/inspections/{round}")),
            "{b}: {url}"
        );
        let id = html
            .split("/findings/")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap()
            .to_string();
        // An organization outside the round's subtree is refused.
        let school = org_id(&app, "市第十二中学党委").await;
        let (_, _, html) = post(
            &c,
            &app,
            &findings,
            &csrf,
            &[
                ("org_id", &school.to_string()),
                ("severity", "minor"),
                ("description", "不在范围内的组织"),
                ("action", "不在范围内"),
                ("owner", "某人"),
                ("deadline", &deadline),
            ],
        )
        .await;
        assert!(html.contains("只能检查本组织及下级组织"), "{b}");

        // The branch sees it on its 待办 and reports.
        let zhibu = app.login("zhibu").await;
        let (_, todo) = page(&zhibu, &app, "/").await;
        assert!(
            todo.contains("整改事项") && todo.contains("补齐活动记录并录入计划"),
            "{b}"
        );
        let (_, f) = page(&zhibu, &app, &format!("/findings/{id}")).await;
        let zcsrf = csrf_of(&f);
        let (_, _, html) = post(
            &zhibu,
            &app,
            &format!("/findings/{id}/submit"),
            &zcsrf,
            &[("evidence", "已整改")],
        )
        .await;
        assert!(html.contains("至少 10 个字"), "{b}");
        let (_, url, _) = post(
            &zhibu,
            &app,
            &format!("/findings/{id}/submit"),
            &zcsrf,
            &[(
                "evidence",
                "已补齐 9 月、10 月的活动记录，并在计划中建立了关联",
            )],
        )
        .await;
        assert!(url.contains("done=submitted"), "{b}: {url}");
        // The branch cannot verify its own rectification.
        let (status, _, _) =
            post(&zhibu, &app, &format!("/findings/{id}/verify"), &zcsrf, &[]).await;
        assert_eq!(status, 403, "{b}");
        // The inspector returns it with a reason, the branch sees why, reports again; verified.
        let (_, todo) = page(&c, &app, "/").await;
        assert!(todo.contains("待验证的整改"), "{b}");
        let (_, _, html) = post(
            &c,
            &app,
            &format!("/findings/{id}/return"),
            &csrf,
            &[("note", "")],
        )
        .await;
        assert!(html.contains("退回须写明原因"), "{b}");
        let (_, url, _) = post(
            &c,
            &app,
            &format!("/findings/{id}/return"),
            &csrf,
            &[("note", "未见 10 月的活动记录")],
        )
        .await;
        assert!(url.contains("done=returned"), "{b}");
        let (_, f) = page(&zhibu, &app, &format!("/findings/{id}")).await;
        assert!(
            f.contains("未见 10 月的活动记录") && f.contains("报送整改情况"),
            "{b}"
        );
        post(
            &zhibu,
            &app,
            &format!("/findings/{id}/submit"),
            &zcsrf,
            &[("evidence", "已补录 10 月 18 日的活动记录，附签到表")],
        )
        .await;
        let (_, url, html) = post(&c, &app, &format!("/findings/{id}/verify"), &csrf, &[]).await;
        assert!(
            url.contains("done=verified") && html.contains("已验证销号"),
            "{b}: {url}"
        );
        // Verifying twice says so.
        let (_, _, html) = post(&c, &app, &format!("/findings/{id}/verify"), &csrf, &[]).await;
        assert!(html.contains("不能这样办理"), "{b}");
    }
}

#[tokio::test]
async fn an_overdue_rectification_is_deducted_by_the_evaluation() {
    for b in backends() {
        let app = spawn(b).await;
        // The demo's round has 综合管理党支部's rectification past its deadline.
        let drifting = org_id(&app, "综合管理党支部").await;
        let bureau = org_id(&app, "市市场监督管理局机关党委").await;
        let run = app
            .store
            .eval_runs_of(bureau)
            .await
            .unwrap()
            .into_iter()
            .find(|r| r.year == 2026)
            .unwrap();
        let r = app.store.eval_result(run.id, drifting).await.unwrap();
        let t = app
            .store
            .eval_template_version(&Scope::everything(), run.version_id)
            .await
            .unwrap();
        let ev = ronghe_store::explain_result(&t.body, &r, &[]);
        let line = ev.lines.iter().find(|l| l.code == "rectify").unwrap();
        assert_eq!(
            (line.input.as_str(), line.points),
            ("1 次", -2.0),
            "{b}: {line:?}"
        );
    }
}
