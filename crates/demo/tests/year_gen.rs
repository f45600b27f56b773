//! The demo's plans and meetings, and `gen --year`: a year of plans, tasks and meetings for
//! generated organizations.

use ronghe_core::compliance::{evaluate, Status};
use ronghe_core::scope::Scope;
use ronghe_core::Date;
use ronghe_store::{testing, Store};
use std::collections::HashMap;

async fn sqlite(dir: &tempfile::TempDir) -> Store {
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    Store::open(&url, dir.path()).await.unwrap()
}

async fn scalar(store: &Store, sql: &str) -> i64 {
    testing::scalar(store, sql)
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
    ronghe_demo::load_base(&store).await.unwrap();
    let base = t.elapsed();
    let t = std::time::Instant::now();
    let s = ronghe_demo::plans::load(&store).await.unwrap();
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
    let statuses: Vec<(String, String)> = testing::rows(
        &store,
        "SELECT o.name, p.status FROM plans p JOIN orgs o ON o.id = p.org_id ORDER BY o.id",
    )
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
    let per_branch: Vec<(String, i64, i64, i64, i64)> = testing::rows(
        &store,
        "SELECT o.name, \
           (SELECT COUNT(*) FROM items i JOIN plans p ON p.id = i.plan_id WHERE p.org_id = o.id), \
           (SELECT COUNT(*) FROM items i JOIN plans p ON p.id = i.plan_id WHERE p.org_id = o.id \
              AND EXISTS (SELECT 1 FROM links l WHERE l.item_id = i.id)), \
           (SELECT COUNT(*) FROM meetings m WHERE m.org_id = o.id), \
           (SELECT COUNT(*) FROM meetings m WHERE m.org_id = o.id \
              AND EXISTS (SELECT 1 FROM meeting_goals mg WHERE mg.meeting_id = m.id)) \
         FROM orgs o WHERE o.kind = 'branch' ORDER BY o.id",
    )
    .await
    .unwrap();
    assert_eq!(per_branch.len(), 8);
    for (name, items, linked, meetings, serving) in &per_branch {
        assert!(
            *items >= 3 && *meetings >= 12,
            "{name}: {items} items, {meetings} meetings"
        );
        if name == "综合管理党支部" {
            assert_eq!((*linked, *serving), (0, 0), "{name} is 两张皮");
        } else {
            assert_eq!(linked, items, "{name}: every item has a junction point");
            assert!(
                serving * 10 >= meetings * 6,
                "{name}: {serving} of {meetings} serve a goal"
            );
        }
    }

    // The bureau's wording supports and supervises; it never claims to direct business work.
    let junctions: Vec<String> = testing::column(&store, "SELECT l.junction FROM links l JOIN items i ON i.id = l.item_id JOIN plans p ON p.id = i.plan_id \
         JOIN orgs o ON o.id = p.org_id WHERE o.unit_kind = 'agency'")
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
    assert!(
        (4..=10).contains(&overdue) && done >= 20,
        "{overdue} overdue, {done} done"
    );
    assert!(
        scalar(
            &store,
            "SELECT COUNT(*) FROM kpi_values WHERE source = '接口'"
        )
        .await
            >= 20
    );
    assert!(
        scalar(
            &store,
            "SELECT COUNT(*) FROM kpi_values WHERE source = '页面'"
        )
        .await
            >= 60
    );
    assert_eq!(
        scalar(
            &store,
            "SELECT COUNT(*) FROM goals WHERE parent_goal_id IS NOT NULL"
        )
        .await,
        20
    );

    // Every recorded quorum agrees with core's rule.
    let rows: Vec<(i64, i64, Option<i64>)> = testing::rows(&store, "SELECT entitled, present, quorum_met FROM meetings WHERE kind IN ('general_assembly', 'committee_meeting')")
    .await
    .unwrap();
    let invalid = rows.iter().filter(|r| r.2 == Some(0)).count();
    assert_eq!(invalid, 1, "one 党员大会 without a quorum");
    for (entitled, present, met) in rows {
        let q = ronghe_core::meeting::quorum(entitled as u32, present as u32);
        assert_eq!(met, Some(i64::from(q.met)));
    }
    assert_eq!(
        scalar(
            &store,
            "SELECT COUNT(*) FROM meetings WHERE held_on > '2026-11-26'"
        )
        .await,
        0
    );

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
        (
            "高一年级党支部",
            pairs(&[("committee_meeting", "2026年8月")]),
        ),
        (
            "高二年级党支部",
            pairs(&[("general_assembly", "2026年第三季度")]),
        ),
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

// ---------------------------------------------------------------------------------------------
// gen --year

/// A fresh database on the PostgreSQL server named by `RONGHE_TEST_PG`, if any.
async fn postgres(dir: &tempfile::TempDir) -> Option<Store> {
    let server = std::env::var("RONGHE_TEST_PG").ok()?;
    let name = format!("ronghe_y_{}", rand::random::<u32>());
    let url = testing::create_postgres_database(&server, &name)
        .await
        .unwrap();
    Some(Store::open(&url, dir.path()).await.unwrap())
}

async fn check_year(store: &Store, with_demo: bool) {
    use ronghe_demo::gen::{self, GenOptions, Preset};
    use ronghe_demo::gen_year::generate_year_as_of;
    if with_demo {
        ronghe_demo::load(store).await.unwrap();
    }
    let opts = GenOptions {
        preset: Preset::Small,
        seed: 7,
    };
    gen::generate(store, &opts, &|_, _| {}).await.unwrap();
    let demo_plans = scalar(store, "SELECT COUNT(*) FROM plans WHERE year = 2026").await;
    let demo_meetings = scalar(store, "SELECT COUNT(*) FROM meetings").await;
    let as_of = d(2026, 11, 26);
    let last = std::sync::Mutex::new((0, 0));
    let t = std::time::Instant::now();
    let s = generate_year_as_of(store, 2026, 11, as_of, &|done, total| {
        *last.lock().unwrap() = (done, total)
    })
    .await
    .unwrap();
    eprintln!("small preset, one year: {:?}: {s:?}", t.elapsed());

    // A plan for every 党支部, 党总支 and 党委 that had none; meetings for every branch.
    let planned = scalar(
        store,
        "SELECT COUNT(*) FROM orgs WHERE kind IN ('branch', 'general_branch', 'committee')",
    )
    .await;
    assert_eq!(s.plans as i64, planned - demo_plans);
    assert_eq!(*last.lock().unwrap(), (s.plans, s.plans));
    assert_eq!(
        scalar(store, "SELECT COUNT(*) FROM plans WHERE year = 2026").await,
        planned
    );
    assert_eq!(
        scalar(store, "SELECT COUNT(*) FROM plans p WHERE NOT EXISTS (SELECT 1 FROM orgs o WHERE o.id = p.org_id)").await,
        0,
        "every plan belongs to an organization"
    );
    let per_plan = |sql: &'static str| async move {
        let v: Vec<i64> = testing::column(store, sql).await.unwrap();
        (
            *v.iter().min().unwrap(),
            *v.iter().max().unwrap(),
            v.iter().sum::<i64>(),
        )
    };
    let (lo, hi, goals) = per_plan("SELECT COUNT(*) FROM goals g JOIN plans p ON p.id = g.plan_id WHERE p.title = '2026年度党建与业务工作融合计划' GROUP BY p.id").await;
    assert!(
        (3..=6).contains(&lo) && hi <= 6,
        "goals per plan {lo}..{hi}"
    );
    assert_eq!(goals as u64, s.goals);
    let (lo, hi, items) = per_plan("SELECT COUNT(*) FROM items i JOIN plans p ON p.id = i.plan_id WHERE p.title = '2026年度党建与业务工作融合计划' GROUP BY p.id").await;
    assert!(
        (2..=5).contains(&lo) && hi <= 5,
        "items per plan {lo}..{hi}"
    );
    let (lo, hi, tasks) = per_plan("SELECT COUNT(*) FROM tasks t JOIN plans p ON p.id = t.plan_id WHERE p.title = '2026年度党建与业务工作融合计划' GROUP BY p.id").await;
    assert!(
        (3..=8).contains(&lo) && hi <= 8,
        "tasks per plan {lo}..{hi}"
    );
    assert_eq!((items as u64, tasks as u64), (s.items, s.tasks));
    // One KPI per goal; key goals about 30%.
    assert_eq!(scalar(store, "SELECT COUNT(*) FROM kpis k JOIN goals g ON g.id = k.goal_id JOIN plans p ON p.id = g.plan_id WHERE p.title = '2026年度党建与业务工作融合计划'").await as u64, s.goals);
    let key = scalar(store, "SELECT COUNT(*) FROM goals g JOIN plans p ON p.id = g.plan_id WHERE p.title = '2026年度党建与业务工作融合计划' AND g.is_key = 1").await;
    let share = key as f64 / s.goals as f64;
    assert!((0.2..0.4).contains(&share), "key goals {share}");

    // About 85% of items have a junction point; every link joins an item and a goal of the
    // same plan; aligned goals are goals of the parent's plan.
    let linked = scalar(store, "SELECT COUNT(DISTINCT l.item_id) FROM links l JOIN items i ON i.id = l.item_id JOIN plans p ON p.id = i.plan_id WHERE p.title = '2026年度党建与业务工作融合计划'").await;
    let share = linked as f64 / s.items as f64;
    assert!((0.75..0.95).contains(&share), "linked items {share}");
    assert_eq!(
        scalar(store, "SELECT COUNT(*) FROM links l JOIN items i ON i.id = l.item_id JOIN goals g ON g.id = l.goal_id WHERE i.plan_id <> g.plan_id").await,
        0
    );
    assert_eq!(
        scalar(store, "SELECT COUNT(*) FROM goals g JOIN plans p ON p.id = g.plan_id JOIN orgs o ON o.id = p.org_id \
                       JOIN goals pg ON pg.id = g.parent_goal_id JOIN plans pp ON pp.id = pg.plan_id \
                       WHERE pp.org_id <> o.parent_id OR pp.year <> p.year").await,
        0
    );
    assert!(
        scalar(
            store,
            "SELECT COUNT(*) FROM goals WHERE parent_goal_id IS NOT NULL"
        )
        .await
            > 0
    );
    assert_eq!(
        scalar(store, "SELECT COUNT(*) FROM tasks t JOIN items i ON i.id = t.item_id WHERE i.plan_id <> t.plan_id").await
            + scalar(store, "SELECT COUNT(*) FROM tasks t JOIN goals g ON g.id = t.goal_id WHERE g.plan_id <> t.plan_id").await,
        0
    );
    assert_eq!(
        scalar(
            store,
            "SELECT COUNT(*) FROM tasks WHERE item_id IS NULL AND goal_id IS NULL"
        )
        .await,
        0
    );

    // KPI values for finished months only, each valid for its KPI.
    assert_eq!(
        scalar(
            store,
            "SELECT COUNT(*) FROM kpi_values WHERE month > '2026-10'"
        )
        .await,
        0
    );
    let values: Vec<(String, String, f64, f64, f64)> = testing::rows(store, "SELECT k.unit, k.direction, k.baseline, k.target, v.value FROM kpi_values v JOIN kpis k ON k.id = v.kpi_id \
         JOIN goals g ON g.id = k.goal_id JOIN plans p ON p.id = g.plan_id WHERE p.title = '2026年度党建与业务工作融合计划'")
    .await
    .unwrap();
    assert!(values.len() as u64 == s.kpi_values && s.kpi_values > s.goals * 8);
    for (unit, direction, baseline, target, value) in &values {
        let kpi = ronghe_core::plan::Kpi {
            unit: unit.clone(),
            direction: ronghe_core::plan::Direction::parse(direction, None, None).unwrap(),
            baseline: *baseline,
            target: *target,
        };
        ronghe_core::plan::validate_kpi(&kpi).unwrap();
        ronghe_core::plan::validate_kpi_value(&kpi, *value).unwrap();
    }
    let pushed = scalar(
        store,
        "SELECT COUNT(*) FROM kpi_values WHERE source = '接口'",
    )
    .await;
    assert!(pushed > 0 && (pushed as u64) < s.kpi_values / 2);

    // Meetings: only branches, none after the date, realistic proportions.
    let new_meetings = s.meetings as i64;
    assert_eq!(
        scalar(store, "SELECT COUNT(*) FROM meetings").await,
        demo_meetings + new_meetings
    );
    assert_eq!(scalar(store, "SELECT COUNT(*) FROM meetings m JOIN orgs o ON o.id = m.org_id WHERE o.kind <> 'branch'").await, 0);
    assert_eq!(
        scalar(
            store,
            "SELECT COUNT(*) FROM meetings WHERE held_on > '2026-11-26' OR held_on < '2025-01-01'"
        )
        .await,
        0
    );
    let branches = scalar(store, "SELECT COUNT(*) FROM plans p JOIN orgs o ON o.id = p.org_id WHERE o.kind = 'branch' AND p.title = '2026年度党建与业务工作融合计划'").await;
    let per_branch = new_meetings as f64 / branches as f64;
    assert!(
        (20.0..40.0).contains(&per_branch),
        "{per_branch} meetings per branch"
    );
    let count = |kind: &'static str| async move {
        let sql = format!(
            "SELECT COUNT(*) FROM meetings WHERE created_by = '合成数据' AND held_on >= '2026-01-01' AND kind = '{kind}'"
        );
        scalar(store, &sql).await as f64 / branches as f64
    };
    let theme = count("theme_day").await;
    assert!((9.5..=11.0).contains(&theme), "主题党日 {theme}");
    let assembly = count("general_assembly").await;
    assert!((2.8..=4.0).contains(&assembly), "党员大会 {assembly}");
    let lecture = count("party_lecture").await;
    assert!((1.0..=4.0).contains(&lecture), "党课 {lecture}");
    let talks = count("heart_talk").await;
    assert!((1.0..=2.0).contains(&talks), "谈心谈话 {talks}");
    let serving = scalar(store, "SELECT COUNT(DISTINCT mg.meeting_id) FROM meeting_goals mg JOIN meetings m ON m.id = mg.meeting_id WHERE m.created_by = '合成数据' AND m.held_on >= '2026-01-01'").await;
    let share = serving as f64 / new_meetings as f64;
    assert!(
        (0.5..0.75).contains(&share),
        "meetings serving a goal {share}"
    );
    // Goals served are the branch's or its parent's.
    assert_eq!(
        scalar(store, "SELECT COUNT(*) FROM meeting_goals mg JOIN meetings m ON m.id = mg.meeting_id \
                       JOIN goals g ON g.id = mg.goal_id JOIN plans p ON p.id = g.plan_id JOIN orgs o ON o.id = m.org_id \
                       WHERE p.org_id <> o.id AND p.org_id <> o.parent_id").await,
        0
    );
    // Those recorded (absentees, and both sides of a talk) belong to the branch.
    assert_eq!(
        scalar(store, "SELECT COUNT(*) FROM meeting_people mp JOIN meetings m ON m.id = mp.meeting_id \
                       JOIN members mb ON mb.id = mp.member_id WHERE mb.org_id <> m.org_id OR mb.active = 0").await,
        0
    );
    // The counts agree with those recorded and with core's quorum.
    let rows: Vec<(String, i64, i64, Option<i64>, i64, i64)> = testing::rows(
        store,
        "SELECT m.kind, m.entitled, m.present, m.quorum_met, \
           (SELECT COUNT(*) FROM meeting_people mp WHERE mp.meeting_id = m.id AND mp.present = 0), \
           (SELECT COUNT(*) FROM meeting_people mp WHERE mp.meeting_id = m.id AND mp.present = 1) \
         FROM meetings m WHERE m.created_by = '合成数据'",
    )
    .await
    .unwrap();
    let mut inquorate = 0;
    for (kind, entitled, present, met, absent, talked) in &rows {
        let q = ronghe_core::meeting::quorum(*entitled as u32, *present as u32);
        match kind.as_str() {
            "general_assembly" | "committee_meeting" => {
                assert_eq!(*met, Some(i64::from(q.met)), "{kind} {entitled} {present}");
                inquorate += usize::from(!q.met);
            }
            _ => assert_eq!(*met, None),
        }
        if kind == "heart_talk" {
            assert_eq!((*present, *absent), (*talked, 0));
            assert!(*present >= 1);
        } else {
            assert_eq!(present + absent, *entitled, "{kind}: absentees recorded");
            assert_eq!(*talked, 0);
        }
    }
    assert!(
        inquorate > 0 && inquorate * 50 < rows.len(),
        "{inquorate} inquorate"
    );

    // Compliance of a generated branch computes, with realistic results.
    let (branch_id,): (i64,) = testing::row(store, "SELECT m.org_id FROM meetings m WHERE m.created_by = '合成数据' GROUP BY m.org_id ORDER BY COUNT(*) DESC, m.org_id LIMIT 1")
    .await
    .unwrap();
    let branch = store
        .org_get(&Scope::everything(), branch_id)
        .await
        .unwrap();
    let profile = store.org_profile(&branch).await.unwrap();
    let facts = store
        .meeting_facts(branch.id, d(2026, 1, 1), d(2026, 12, 31))
        .await
        .unwrap();
    let report = evaluate(
        &ronghe_core::compliance::default_rules(),
        &profile,
        &facts,
        d(2026, 1, 1),
        d(2026, 12, 31),
        as_of,
    );
    assert!(report.met >= 10, "{}", report.summary);
    assert!(report.windows.iter().any(|w| w.status == Status::Met));
    // Across all generated branches: most windows up to the date are met, some are not.
    let mut overdue = 0;
    let mut met = 0;
    let ids: Vec<i64> = testing::column(
        store,
        "SELECT DISTINCT org_id FROM meetings WHERE created_by = '合成数据'",
    )
    .await
    .unwrap();
    for id in &ids {
        let o = store.org_get(&Scope::everything(), *id).await.unwrap();
        let facts = store
            .meeting_facts(o.id, d(2026, 1, 1), d(2026, 12, 31))
            .await
            .unwrap();
        let r = evaluate(
            &ronghe_core::compliance::default_rules(),
            &store.org_profile(&o).await.unwrap(),
            &facts,
            d(2026, 1, 1),
            d(2026, 12, 31),
            as_of,
        );
        overdue += r.overdue;
        met += r.met;
    }
    assert!(
        overdue > 0 && overdue * 15 < met,
        "{overdue} overdue, {met} met"
    );

    // The generated plans open through the API, and the API allocates fresh ids afterwards.
    let plan_id = scalar(store, "SELECT MAX(id) FROM plans").await;
    let view = store
        .plan_view(&Scope::everything(), plan_id)
        .await
        .unwrap();
    assert!(view.goals.len() >= 3 && !view.kpis.is_empty());
    let actor = ronghe_store::Actor::system("测试");
    let goal = ronghe_core::plan::forms::GoalForm {
        title: "新增目标".into(),
        ..Default::default()
    }
    .validate()
    .unwrap();
    let gid = store
        .goal_create(&actor, &Scope::everything(), plan_id, &goal)
        .await
        .unwrap();
    assert_eq!(gid, scalar(store, "SELECT MAX(id) FROM goals").await);

    // Integrity, one audit entry, and a second run finds nothing left to plan.
    if store.backend() == ronghe_store::Backend::Sqlite {
        let broken: Vec<(String, i64, String, i64)> =
            testing::rows(store, "PRAGMA foreign_key_check")
                .await
                .unwrap();
        assert!(broken.is_empty(), "{:?}", &broken[..broken.len().min(5)]);
    }
    let audit = store
        .audit_list(&ronghe_store::AuditFilter {
            username: Some("合成数据".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(audit.items.iter().any(|a| a.target == "gen:year:2026"));
    let again = generate_year_as_of(store, 2026, 12, as_of, &|_, _| {})
        .await
        .unwrap();
    assert_eq!((again.plans, again.meetings), (0, 0));
    bulk_compliance_equals_per_branch(store, as_of).await;
}

/// The report's bulk path (meetings counted per month in SQL, evaluated in parallel) gives
/// each branch the same figures as the branch page's path (every record read and evaluated).
async fn bulk_compliance_equals_per_branch(store: &Store, today: Date) {
    let all = Scope::everything();
    let rules = store.compliance_config().await.unwrap().rules();
    let inputs = store.compliance_inputs(&all, 2026).await.unwrap();
    let lines = ronghe_store::evaluate_branches(&rules, &inputs, 2026, today);
    assert_eq!(lines.len(), inputs.len());
    let branches = scalar(store, "SELECT COUNT(*) FROM orgs WHERE kind = 'branch'").await;
    assert_eq!(lines.len() as i64, branches);
    let (from, to) = (d(2026, 1, 1), d(2026, 12, 31));
    let mut compared = 0;
    for line in lines.iter().step_by(7) {
        let org = store.org_get(&all, line.org_id).await.unwrap();
        let profile = store.org_profile(&org).await.unwrap();
        let facts = store.meeting_facts(org.id, from, to).await.unwrap();
        let r = evaluate(&rules, &profile, &facts, from, to, today);
        assert_eq!(
            (r.met, r.overdue, r.upcoming),
            (line.met, line.overdue, line.upcoming),
            "{}",
            org.name
        );
        compared += 1;
    }
    assert!(compared > 10, "compared {compared}");
    let held: u64 = lines.iter().map(|l| l.held).sum();
    let in_year = scalar(
        store,
        "SELECT COUNT(*) FROM meetings m JOIN orgs o ON o.id = m.org_id \
         WHERE o.kind IN ('branch', 'group') AND m.held_on >= '2026-01-01' AND m.held_on <= '2026-12-31'",
    )
    .await;
    assert_eq!(held as i64, in_year);
    // A subtree gives the same lines as the whole for its branches.
    let top = &lines[lines.len() / 2];
    let org = store.org_get(&all, top.org_id).await.unwrap();
    let mut sub = Scope::none();
    sub.add_subtree(&org.path);
    let one = store.compliance_inputs(&sub, 2026).await.unwrap();
    let one = ronghe_store::evaluate_branches(&rules, &one, 2026, today);
    assert_eq!(one, vec![top.clone()]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gen_year_small_on_sqlite_beside_the_demo() {
    let dir = tempfile::tempdir().unwrap();
    check_year(&sqlite(&dir).await, true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gen_year_on_postgres_when_configured() {
    let dir = tempfile::tempdir().unwrap();
    let Some(store) = postgres(&dir).await else {
        eprintln!("RONGHE_TEST_PG not set: skipped");
        return;
    };
    check_year(&store, true).await;
    store.close().await;
}
