//! The demonstration data and the synthetic generator, on SQLite (and on PostgreSQL when
//! `RONGHE_TEST_PG` names a server, e.g. `postgres://ronghe@127.0.0.1:55432` (as scripts/test.sh sets it):
//! each run creates its own database there).

use ronghe_core::access::{scope_for, Permission};
use ronghe_core::org::formation::warnings;
use ronghe_core::org::term::TermStatus;
use ronghe_core::org::OrgKind;
use ronghe_core::scope::{child_path, Scope};
use ronghe_core::Date;
use ronghe_demo::gen::{self, GenOptions, Preset};
use ronghe_demo::DEMO_PASSWORD;
use ronghe_store::testing;
use ronghe_store::{
    Actor, AuditFilter, LoginOutcome, MemberFilter, RevealField, Store, StoreError,
};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

fn reference() -> Date {
    Date::from_ymd_opt(2026, 11, 26).unwrap()
}

async fn sqlite(dir: &tempfile::TempDir) -> Store {
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    Store::open(&url, dir.path()).await.unwrap()
}

/// A fresh database on the PostgreSQL server named by `RONGHE_TEST_PG`, if any.
async fn postgres(dir: &tempfile::TempDir) -> Option<Store> {
    let server = std::env::var("RONGHE_TEST_PG").ok()?;
    let name = format!("ronghe_t_{}", rand::random::<u32>());
    let url = testing::create_postgres_database(&server, &name)
        .await
        .unwrap();
    Some(Store::open(&url, dir.path()).await.unwrap())
}

async fn scalar(store: &Store, sql: &str) -> i64 {
    testing::scalar(store, sql).await.unwrap()
}

async fn org_by_name(store: &Store, name: &str) -> ronghe_store::Org {
    let found = store
        .org_search(&Scope::everything(), name, 5)
        .await
        .unwrap();
    found.into_iter().find(|o| o.name == name).unwrap()
}

/// Every organization's counters match its active members, and every path is its parent's
/// path plus its id, under a parent that may contain it.
async fn check_tree(store: &Store) {
    let wrong = scalar(
        store,
        "SELECT COUNT(*) FROM orgs o WHERE \
         o.full_count <> (SELECT COUNT(*) FROM members m WHERE m.org_id = o.id AND m.active = 1 \
           AND m.status = 'full') \
         OR o.probationary_count <> (SELECT COUNT(*) FROM members m WHERE m.org_id = o.id \
           AND m.active = 1 AND m.status = 'probationary') \
         OR o.other_count <> (SELECT COUNT(*) FROM members m WHERE m.org_id = o.id \
           AND m.active = 1 AND m.status NOT IN ('full', 'probationary'))",
    )
    .await;
    assert_eq!(wrong, 0, "organizations with wrong counters");
    let sum = scalar(
        store,
        "SELECT CAST(COALESCE(SUM(full_count), 0) AS BIGINT) FROM orgs",
    )
    .await;
    let full = scalar(
        store,
        "SELECT COUNT(*) FROM members WHERE status = 'full' AND active = 1",
    )
    .await;
    assert_eq!(sum, full);

    let rows: Vec<(i64, Option<i64>, String, String)> =
        testing::rows(store, "SELECT id, parent_id, path, kind FROM orgs")
            .await
            .unwrap();
    let by_id: HashMap<i64, (&str, &str)> = rows
        .iter()
        .map(|(id, _, path, kind)| (*id, (path.as_str(), kind.as_str())))
        .collect();
    for (id, parent, path, kind) in &rows {
        let parent = parent.map(|p| by_id[&p]);
        assert_eq!(*path, child_path(parent.map(|p| p.0), *id), "org {id}");
        if let Some((_, pkind)) = parent {
            let (pk, k) = (OrgKind::from_code(pkind), OrgKind::from_code(kind));
            assert!(
                pk.unwrap().may_contain(k.unwrap()),
                "org {id}: {pkind} > {kind}"
            );
        }
    }
}

async fn check_demo(store: &Store) {
    let s = ronghe_demo::load(store).await.unwrap();
    assert_eq!((s.orgs, s.members, s.accounts), (11, 150, 8), "{s:?}");
    assert_eq!(s.transferred_out, 3);
    match ronghe_demo::load(store).await {
        Err(StoreError::Invalid(e)) => assert!(e.get("demo").is_some()),
        other => panic!("a second load must be refused: {other:?}"),
    }
    assert_eq!(scalar(store, "SELECT COUNT(*) FROM members").await, 150);
    assert_eq!(
        scalar(store, "SELECT COUNT(*) FROM members WHERE active = 1").await,
        147
    );
    check_tree(store).await;

    // The formation rules show what the demo was built to show.
    let codes = |name: &'static str| async move {
        let org = org_by_name(store, name).await;
        let seats = store.committee(org.id).await.unwrap();
        let facts = store.org_facts(&org, &seats).await.unwrap();
        let w: Vec<&str> = warnings(&facts, reference())
            .iter()
            .map(|w| w.code)
            .collect();
        (org, w)
    };
    let (expired, w) = codes("综合管理党支部").await;
    assert!(matches!(
        expired.term().unwrap().status(reference()),
        TermStatus::Expired { .. }
    ));
    assert_eq!(w, ["term_expired"]);
    assert_eq!(codes("科研质量党支部").await.1, ["committee_required"]);
    assert_eq!(codes("高三年级党支部").await.1, ["term_ending"]);
    for name in [
        "检定校准党支部",
        "局机关第一党支部",
        "高一年级党支部",
        "高二年级党支部",
        "行政后勤党支部",
    ] {
        assert!(codes(name).await.1.is_empty(), "{name}");
    }
    let institute = org_by_name(store, "市计量测试研究院党总支").await;
    assert_eq!(store.committee(institute.id).await.unwrap().len(), 3);

    // Every write went through the API: histories and the audit log have it.
    let (calib, _) = codes("检定校准党支部").await;
    assert!(!store.history("org", calib.id).await.unwrap().is_empty());
    let audit = store
        .audit_list(&AuditFilter {
            username: Some("演示数据".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(audit.total > 150);

    // Every account logs in with the demo password.
    let mut accounts = HashMap::new();
    for user in [
        "admin", "anquan", "shenji", "dangwei", "xuexiao", "jiliang", "zhibu", "dangyuan",
    ] {
        match store.login(user, DEMO_PASSWORD, "127.0.0.1").await.unwrap() {
            LoginOutcome::Ok {
                account,
                password_expired,
            } => {
                assert!(!password_expired && account.must_change == 0, "{user}");
                accounts.insert(user, account);
            }
            other => panic!("{user}: {other:?}"),
        }
    }

    // The branch secretary sees exactly the members of one branch.
    let zhibu = &accounts["zhibu"];
    let scope = scope_for(&store.grants(zhibu).await.unwrap(), Permission::ViewMembers);
    let all = MemberFilter {
        active: Some("all".into()),
        ..Default::default()
    };
    let mut seen = 0;
    for page in 1..=3 {
        let p = store
            .member_list(
                &scope,
                &MemberFilter {
                    page: Some(page),
                    ..all.clone()
                },
            )
            .await
            .unwrap();
        assert_eq!(p.total, 25);
        assert!(p.items.iter().all(|m| m.org_id == calib.id));
        seen += p.items.len();
    }
    assert_eq!(seen, 25);
    let me = store
        .member_get(&scope, zhibu.member_id.unwrap())
        .await
        .unwrap();
    assert_eq!(me.party_duty.as_deref(), Some("党支部书记"));
    // The ordinary member sees their own record only.
    let dangyuan = &accounts["dangyuan"];
    let own = scope_for(
        &store.grants(dangyuan).await.unwrap(),
        Permission::ViewMembers,
    );
    let p = store.member_list(&own, &all).await.unwrap();
    assert_eq!(p.total, 1);
    assert_eq!(Some(p.items[0].id), dangyuan.member_id);
}

async fn check_gen(store: &Store, preexisting: (i64, i64)) {
    let calls = AtomicU64::new(0);
    let last = Mutex::new((0, 0));
    let progress = |done: u64, total: u64| {
        calls.fetch_add(1, Ordering::Relaxed);
        *last.lock().unwrap() = (done, total);
    };
    let opts = GenOptions {
        preset: Preset::Small,
        seed: 42,
    };
    let s = gen::generate(store, &opts, &progress).await.unwrap();
    assert_eq!(s.orgs, 250);
    assert!((4_000..6_000).contains(&s.members), "{s:?}");
    let (done, total) = *last.lock().unwrap();
    assert_eq!((done, total), (s.orgs + s.members, s.orgs + s.members));
    assert!(calls.load(Ordering::Relaxed) >= 3);
    let orgs = scalar(store, "SELECT COUNT(*) FROM orgs").await;
    let members = scalar(store, "SELECT COUNT(*) FROM members").await;
    assert_eq!(orgs, preexisting.0 + 250);
    assert_eq!(members, preexisting.1 + s.members as i64);
    check_tree(store).await;

    // Roughly the national shape.
    let kinds = |k: &str| {
        let sql = format!(
            "SELECT COUNT(*) FROM orgs WHERE kind = '{k}' AND id > (SELECT MAX(id) - 250 FROM orgs)"
        );
        async move { scalar(store, &sql).await }
    };
    let branches = kinds("branch").await;
    assert!((200..=230).contains(&branches), "{branches}");
    assert!(kinds("general_branch").await >= 10);
    // A secretary on each branch with a full member.
    let secretaries = scalar(
        store,
        "SELECT COUNT(*) FROM committee_seats s JOIN orgs o ON o.id = s.org_id \
         WHERE s.role = 'secretary' AND o.id > (SELECT MAX(id) - 250 FROM orgs)",
    )
    .await;
    assert!(secretaries <= branches && secretaries >= branches - 3);

    // A generated member's ID number is sealed and found through the blind index.
    let id: i64 = scalar(store, "SELECT MAX(id) FROM members WHERE active = 1").await;
    let actor = Actor::system("测试");
    let all = Scope::everything();
    let number = store
        .member_reveal(&actor, &all, id, RevealField::IdNumber)
        .await
        .unwrap();
    let parsed = ronghe_core::idnum::IdNumber::parse(&number).unwrap();
    let m = store.member_get(&all, id).await.unwrap();
    assert_eq!(m.birth_date, Some(parsed.birth_date().to_string()));
    assert_eq!(m.gender, parsed.gender().code());
    let found = store
        .member_list(
            &all,
            &MemberFilter {
                q: Some(number),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(found.total, 1);
    assert_eq!(found.items[0].id, id);

    // One audit entry for the whole run (the demo's own generated 2025 year has its own).
    let audit = store
        .audit_list(&AuditFilter {
            username: Some("合成数据".into()),
            target: Some("gen:small".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(audit.total, 1);
    assert_eq!(audit.items[0].target, "gen:small");

    // A second run adds another province beside the first, without collisions, and the API
    // still allocates fresh ids afterwards.
    let again = GenOptions {
        preset: Preset::Small,
        seed: 43,
    };
    let s2 = gen::generate(store, &again, &|_, _| {}).await.unwrap();
    assert_eq!(s2.orgs, 250);
    check_tree(store).await;
    check_subtree_facts(store).await;
    let root = org_by_name(store, "市第十二中学党委").await;
    let form = ronghe_core::forms::OrgForm {
        parent_id: root.id.to_string(),
        kind: "branch".into(),
        name: "新设党支部".into(),
        unit_name: "市第十二中学".into(),
        unit_kind: "school".into(),
        ..Default::default()
    };
    let input = form.validate(reference()).unwrap();
    let new_id = store.org_create(&actor, &all, &input).await.unwrap();
    assert_eq!(new_id, scalar(store, "SELECT MAX(id) FROM orgs").await);
    assert_eq!(
        scalar(store, "SELECT COUNT(*) FROM orgs").await,
        preexisting.0 + 501
    );
}

/// A committee's view of its whole subtree (`subtree_facts`, a few statements) gives every
/// organization the same formation facts as reading it alone (`org_facts`), also when the
/// limit cuts a subtree short.
async fn check_subtree_facts(store: &Store) {
    let all = Scope::everything();
    let mut checked = 0;
    for root in store.org_roots(&all).await.unwrap() {
        for limit in [10_000, 37] {
            let sub = store.subtree_facts(&root, limit).await.unwrap();
            assert!(sub.orgs.len() as i64 <= sub.total && sub.orgs.len() <= limit);
            if limit == 10_000 {
                assert_eq!(sub.orgs.len() as i64, sub.total, "{}", root.name);
            }
            for (org, facts) in &sub.orgs {
                assert!(org.path.starts_with(&root.path) && org.id != root.id);
                let seats = store.committee(org.id).await.unwrap();
                let mut alone = store.org_facts(org, &seats).await.unwrap();
                let mut bulk = facts.clone();
                alone.committee.sort_by_key(|r| r.code());
                bulk.committee.sort_by_key(|r| r.code());
                assert_eq!(
                    format!("{bulk:?}"),
                    format!("{alone:?}"),
                    "{} (limit {limit})",
                    org.name
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 250, "{checked}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_loads_with_rules_accounts_and_scopes() {
    let dir = tempfile::tempdir().unwrap();
    check_demo(&sqlite(&dir).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gen_small_on_sqlite_beside_the_demo() {
    let dir = tempfile::tempdir().unwrap();
    let store = sqlite(&dir).await;
    ronghe_demo::load(&store).await.unwrap();
    check_gen(&store, (11, 150)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gen_small_on_empty_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let store = sqlite(&dir).await;
    let s = gen::generate(
        &store,
        &GenOptions {
            preset: Preset::Small,
            seed: 1,
        },
        &|_, _| {},
    )
    .await
    .unwrap();
    assert_eq!(s.orgs, 250);
    check_tree(&store).await;
    // The demo refuses a database that already has organizations.
    assert!(ronghe_demo::load(&store).await.is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_and_gen_on_postgres_when_configured() {
    let dir = tempfile::tempdir().unwrap();
    let Some(store) = postgres(&dir).await else {
        eprintln!("RONGHE_TEST_PG not set: skipped");
        return;
    };
    check_demo(&store).await;
    check_gen(&store, (11, 150)).await;
    store.close().await;
}

/// Manual timing run (release build):
/// `RONGHE_GEN_DB=/tmp/province.db cargo test --release -p ronghe-demo --test demo_gen \
///  province_timing -- --ignored --nocapture`
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore]
async fn province_timing() {
    let dir = tempfile::tempdir().unwrap();
    let path = std::env::var("RONGHE_GEN_DB")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| dir.path().join("province.db"));
    let url = format!("sqlite://{}", path.display());
    let store = Store::open(&url, dir.path()).await.unwrap();
    let started = std::time::Instant::now();
    let step = AtomicU64::new(0);
    let progress = |done: u64, total: u64| {
        let tenth = done * 10 / total.max(1);
        if step.fetch_max(tenth, Ordering::Relaxed) < tenth {
            eprintln!("{:>6.1}s {done}/{total}", started.elapsed().as_secs_f64());
        }
    };
    let opts = GenOptions {
        preset: Preset::Province,
        seed: 2026,
    };
    let s = gen::generate(&store, &opts, &progress).await.unwrap();
    store.close().await;
    let size = |p: &std::path::Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    let wal = path.with_extension("db-wal");
    eprintln!(
        "province: {} orgs, {} members in {:.1} s; database {:.0} MiB (+ WAL {:.0} MiB)",
        s.orgs,
        s.members,
        s.millis as f64 / 1000.0,
        size(&path) as f64 / 1048576.0,
        size(&wal) as f64 / 1048576.0
    );
    let store = Store::open(&url, dir.path()).await.unwrap();
    let sum = scalar(&store, "SELECT CAST(SUM(full_count) AS BIGINT) FROM orgs").await;
    let full = scalar(
        &store,
        "SELECT COUNT(*) FROM members WHERE status = 'full' AND active = 1",
    )
    .await;
    assert_eq!(sum, full);
}
