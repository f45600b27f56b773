//! The demo's plans and meetings, and `gen --year`: a year of plans, tasks and meetings for
//! generated organizations.

use ronghe_core::compliance::{evaluate, Status};
use ronghe_core::scope::Scope;
use ronghe_core::Date;
use ronghe_store::{demo, demo_plans, Store};
use std::collections::HashMap;

async fn sqlite(dir: &tempfile::TempDir) -> Store {
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    Store::open(&url, dir.path()).await.unwrap()
}

async fn scalar(store: &Store, sql: &str) -> i64 {
    sqlx::query_scalar::<_, i64>(sql)
        .fetch_one(store.pool())
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

fn d(y: i32, m: u32, day: u32) -> Date {
    Date::from_ymd_opt(y, m, day).unwrap()
}

async fn org(store: &Store, name: &str) -> ronghe_store::Org {
    store
        .org_search(&Scope::everything(), name, 5)
        .await
        .unwrap()
        .into_iter()
        .find(|o| o.name == name)
        .unwrap()
}

/// (kind, window label) of the windows of 2026 in `status`, as of 2026-11-26.
async fn windows(store: &Store, name: &str, status: &str) -> Vec<(String, String)> {
    let o = org(store, name).await;
    let profile = store.org_profile(&o).await.unwrap();
    let facts = store
        .meeting_facts(o.id, d(2026, 1, 1), d(2026, 12, 31))
        .await
        .unwrap();
    let config = store.compliance_config().await.unwrap();
    let report = evaluate(
        &config.rules(),
        &profile,
        &facts,
        d(2026, 1, 1),
        d(2026, 12, 31),
        d(2026, 11, 26),
    );
    report
        .windows
        .iter()
        .filter(|w| w.status.code() == status)
        .map(|w| (w.kind.code().to_string(), w.window.label.clone()))
        .collect()
}

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_plans_join_goals_and_party_work_with_some_gaps() {
    let dir = tempfile::tempdir().unwrap();
    let store = sqlite(&dir).await;
    let t = std::time::Instant::now();
    demo::load_base(&store).await.unwrap();
    let base = t.elapsed();
    let t = std::time::Instant::now();
    let s = demo_plans::load(&store).await.unwrap();
    eprintln!(
        "demo base {base:?}, plans and meetings {:?}: {s:?}",
        t.elapsed()
    );

    // A 2026 plan for every demo organization, most under way, one deployed.
    assert_eq!(s.plans, 11);
    assert_eq!(
        scalar(&store, "SELECT COUNT(*) FROM orgs o WHERE NOT EXISTS (SELECT 1 FROM plans p WHERE p.org_id = o.id AND p.year = 2026)").await,
        0
    );
    let statuses: Vec<(String, String)> = sqlx::query_as(
        "SELECT o.name, p.status FROM plans p JOIN orgs o ON o.id = p.org_id ORDER BY o.id",
    )
    .fetch_all(store.pool())
    .await
    .unwrap();
    for (name, status) in &statuses {
        let want = if name == "科研质量党支部" {
            "deployed"
        } else {
            "in_progress"
        };
        assert_eq!(status, want, "{name}");
    }

    // 两张皮: 综合管理党支部's items serve no goal and its meetings never touch business.
    let per_branch: Vec<(String, i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT o.name, \
           (SELECT COUNT(*) FROM items i JOIN plans p ON p.id = i.plan_id WHERE p.org_id = o.id), \
           (SELECT COUNT(*) FROM items i JOIN plans p ON p.id = i.plan_id WHERE p.org_id = o.id \
              AND EXISTS (SELECT 1 FROM links l WHERE l.item_id = i.id)), \
           (SELECT COUNT(*) FROM meetings m WHERE m.org_id = o.id), \
           (SELECT COUNT(*) FROM meetings m WHERE m.org_id = o.id \
              AND EXISTS (SELECT 1 FROM meeting_goals mg WHERE mg.meeting_id = m.id)) \
         FROM orgs o WHERE o.kind = 'branch' ORDER BY o.id",
    )
    .fetch_all(store.pool())
    .await
    .unwrap();
    assert_eq!(per_branch.len(), 8);
    for (name, items, linked, meetings, serving) in &per_branch {
        assert!(*items >= 3 && *meetings >= 12, "{name}: {items} items, {meetings} meetings");
        if name == "综合管理党支部" {
            assert_eq!((*linked, *serving), (0, 0), "{name} is 两张皮");
        } else {
            assert_eq!(linked, items, "{name}: every item has a junction point");
            assert!(serving * 10 >= meetings * 6, "{name}: {serving} of {meetings} serve a goal");
        }
    }

    // The bureau's wording supports and supervises; it never claims to direct business work.
    let junctions: Vec<String> = sqlx::query_scalar(
        "SELECT l.junction FROM links l JOIN items i ON i.id = l.item_id JOIN plans p ON p.id = i.plan_id \
         JOIN orgs o ON o.id = p.org_id WHERE o.unit_kind = 'agency'",
    )
    .fetch_all(store.pool())
    .await
    .unwrap();
    assert!(junctions.len() >= 8);
    for j in &junctions {
        for word in ["直接", "引领", "领导"] {
            assert!(!j.contains(word), "{j}");
        }
    }

    // Tasks done, under way and overdue as of 2026-11-26; values typed and pushed.
    let overdue = scalar(&store, "SELECT COUNT(*) FROM tasks WHERE status IN ('not_started', 'in_progress') AND deadline < '2026-11-26'").await;
    let done = scalar(&store, "SELECT COUNT(*) FROM tasks WHERE status = 'done'").await;
    assert!((4..=10).contains(&overdue) && done >= 20, "{overdue} overdue, {done} done");
    assert!(scalar(&store, "SELECT COUNT(*) FROM kpi_values WHERE source = '接口'").await >= 20);
    assert!(scalar(&store, "SELECT COUNT(*) FROM kpi_values WHERE source = '页面'").await >= 60);
    assert_eq!(scalar(&store, "SELECT COUNT(*) FROM goals WHERE parent_goal_id IS NOT NULL").await, 20);

    // Every recorded quorum agrees with core's rule.
    let rows: Vec<(i64, i64, Option<i64>)> = sqlx::query_as(
        "SELECT entitled, present, quorum_met FROM meetings WHERE kind IN ('general_assembly', 'committee_meeting')",
    )
    .fetch_all(store.pool())
    .await
    .unwrap();
    let invalid = rows.iter().filter(|r| r.2 == Some(0)).count();
    assert_eq!(invalid, 1, "one 党员大会 without a quorum");
    for (entitled, present, met) in rows {
        let q = ronghe_core::meeting::quorum(entitled as u32, present as u32);
        assert_eq!(met, Some(i64::from(q.met)));
    }
    assert_eq!(scalar(&store, "SELECT COUNT(*) FROM meetings WHERE held_on > '2026-11-26'").await, 0);

    // The compliance gaps the demo was built to show, and nothing else overdue.
    let expect: HashMap<&str, Vec<(String, String)>> = [
        ("局机关第一党支部", vec![]),
        ("检定校准党支部", vec![]),
        (
            "科研质量党支部",
            pairs(&[
                ("general_assembly", "2026年第三季度"),
                ("theme_day", "2026年7月"),
                ("theme_day", "2026年8月"),
            ]),
        ),
        ("综合管理党支部", vec![]),
        ("高一年级党支部", pairs(&[("committee_meeting", "2026年8月")])),
        ("高二年级党支部", pairs(&[("general_assembly", "2026年第三季度")])),
        ("高三年级党支部", vec![]),
        ("行政后勤党支部", pairs(&[("theme_day", "2026年2月")])),
    ]
    .into_iter()
    .collect();
    for (name, want) in &expect {
        let mut got = windows(&store, name, "overdue").await;
        got.sort();
        assert_eq!(&got, want, "{name}");
    }
    // Still due before the year ends: what the 待办 page shows the demo secretary.
    let due = windows(&store, "检定校准党支部", "upcoming").await;
    for w in pairs(&[
        ("general_assembly", "2026年第四季度"),
        ("theme_day", "2026年11月"),
        ("life_meeting", "2026年"),
        ("democratic_review", "2026年"),
    ]) {
        assert!(due.contains(&w), "{w:?} in {due:?}");
    }
    assert!(windows(&store, "行政后勤党支部", "upcoming")
        .await
        .contains(&("party_lecture".to_string(), "2026年".to_string())));
    let met = windows(&store, "局机关第一党支部", "met").await;
    assert!(met.contains(&("life_meeting".to_string(), "2026年".to_string())));
    let _ = Status::Met;
}
