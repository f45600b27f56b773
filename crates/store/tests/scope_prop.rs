//! Property: over random organization trees, members, accounts and role grants, what an account
//! sees is exactly the subtrees it was granted. The expected sets come from a model built from
//! parent links only, never from paths or `Scope` methods.
//!
//! Runs on SQLite; also on PostgreSQL when `RONGHE_TEST_DATABASES` names it and
//! `RONGHE_TEST_PG=postgres://user@host:port` (each case creates, then drops, its own database).

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use ronghe_core::access::{scope_for, Permission, Role};
use ronghe_core::forms::{MemberInput, OrgInput};
use ronghe_core::idnum::IdNumber;
use ronghe_core::member::PartyStatus;
use ronghe_core::org::{OrgKind, UnitKind};
use ronghe_core::Date;
use ronghe_store::{AccountInput, Actor, MemberFilter, Scope, Store, StoreError, StoreResult};
use std::fmt;

/// An org as generated: (new root, parent choice, kind choice, members as (status, moved out)).
type OrgChoice = (bool, usize, usize, Vec<(PartyStatus, bool)>);
/// An account: (linked member, grants as (role, org or `None` for the whole deployment)).
type Acct = (Option<usize>, Vec<(Role, Option<usize>)>);

/// Raw choices: small numbers, taken modulo the candidates when resolved into a [`World`].
#[derive(Clone)]
struct Case {
    orgs: Vec<OrgChoice>,
    /// Per account: (role, org choice, member choice).
    accounts: Vec<Vec<(Role, usize, usize)>>,
}

/// Orgs and members are numbered by creation order; `m3` is the fourth member created.
#[derive(Default)]
struct World {
    orgs: Vec<(Option<usize>, OrgKind)>,
    /// (org, status, transferred out).
    members: Vec<(usize, PartyStatus, bool)>,
    accounts: Vec<Acct>,
}

fn resolve(c: &Case) -> World {
    let mut w = World::default();
    for (new_root, parent, kind, members) in &c.orgs {
        let node = if w.orgs.is_empty() || *new_root {
            (None, OrgKind::Committee)
        } else {
            let parents: Vec<usize> = (0..w.orgs.len())
                .filter(|&i| w.orgs[i].1 != OrgKind::Group)
                .collect();
            let p = parents[parent % parents.len()];
            let kinds: Vec<OrgKind> = OrgKind::ALL
                .into_iter()
                .filter(|k| w.orgs[p].1.may_contain(*k))
                .collect();
            (Some(p), kinds[kind % kinds.len()])
        };
        w.orgs.push(node);
        if node.1 != OrgKind::Committee {
            let at = w.orgs.len() - 1;
            w.members
                .extend(members.iter().map(|&(s, out)| (at, s, out)));
        }
    }
    for grants in &c.accounts {
        let (mut linked, mut out) = (None, vec![]);
        for &(role, org, member) in grants {
            let o = org % w.orgs.len();
            let here: Vec<usize> = (0..w.members.len())
                .filter(|&m| w.members[m].0 == o)
                .collect();
            match role {
                Role::SysAdmin => out.push((role, None)),
                // An account belongs to at most one member; the role needs one of this org.
                Role::Member if here.is_empty() => continue,
                Role::Member if linked.is_some_and(|m| !here.contains(&m)) => continue,
                Role::Member => {
                    linked = linked.or(Some(here[member % here.len()]));
                    out.push((role, Some(o)));
                }
                _ => out.push((role, Some(o))),
            }
        }
        w.accounts.push((linked, out));
    }
    w
}

/// Shown resolved: one line per org, then one per account, e.g.
/// `org 3 group under 1, members ["m4 full out"]` and `account 0: inspector@3, sys_admin@*`.
impl fmt::Debug for Case {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let w = resolve(self);
        for (i, (parent, kind)) in w.orgs.iter().enumerate() {
            let under = parent.map_or("root".into(), |p| format!("under {p}"));
            let members: Vec<String> = (w.members.iter().enumerate())
                .filter(|(_, m)| m.0 == i)
                .map(|(m, &(_, s, out))| {
                    format!("m{m} {}{}", s.code(), if out { " out" } else { "" })
                })
                .collect();
            let kind = kind.code();
            write!(f, "\n  org {i} {kind} {under}, members {members:?}")?;
        }
        for (a, acct) in w.accounts.iter().enumerate() {
            write!(f, "\n  account {a}: {}", account_line(acct))?;
        }
        Ok(())
    }
}

fn account_line((linked, grants): &Acct) -> String {
    let grants: Vec<String> = (grants.iter())
        .map(|(r, o)| format!("{}@{}", r.code(), o.map_or("*".into(), |o| o.to_string())))
        .collect();
    let linked = linked.map_or(String::new(), |m| format!("(linked to m{m}) "));
    linked + &grants.join(", ")
}

fn arb_case() -> impl Strategy<Value = Case> {
    let member = (
        prop::sample::select(PartyStatus::ALL.to_vec()),
        prop::bool::weighted(0.2),
    );
    let org = (
        prop::bool::weighted(0.1),
        0..16usize,
        0..4usize,
        prop::collection::vec(member, 0..=4),
    );
    // Every role but the security and audit administrators, who see no organization data.
    let roles = Role::ALL
        .into_iter()
        .filter(|r| !matches!(r, Role::SecAdmin | Role::AuditAdmin));
    let roles = prop::sample::select(roles.collect::<Vec<_>>());
    let grant = (roles, 0..16usize, 0..4usize);
    let accounts = prop::collection::vec(prop::collection::vec(grant, 1..=5), 1..=3);
    (prop::collection::vec(org, 3..=14), accounts)
        .prop_map(|(orgs, accounts)| Case { orgs, accounts })
}

/// Descendant-or-self, by walking parent links.
fn within(w: &World, mut org: usize, root: usize) -> bool {
    while org != root {
        match w.orgs[org].0 {
            Some(p) => org = p,
            None => return false,
        }
    }
    true
}

/// Ok means seen, NotFound means hidden; anything else is a broken test setup.
fn seen<T>(r: StoreResult<T>) -> bool {
    match r {
        Ok(_) => true,
        Err(StoreError::NotFound) => false,
        Err(e) => panic!("unexpected store error: {e}"),
    }
}

/// Every member the scope lists (all pages, transferred-out members included), as `m{n}` labels.
async fn list_all(
    store: &Store,
    scope: &Scope,
    org: Option<i64>,
    member_ids: &[i64],
) -> StoreResult<Vec<String>> {
    let mut ids = Vec::new();
    for page in 1.. {
        let active = Some("all".into());
        let f = MemberFilter {
            org,
            active,
            page: Some(page),
            ..MemberFilter::default()
        };
        let p = store.member_list(scope, &f).await?;
        ids.extend(p.items.iter().map(|r| r.id));
        if p.items.len() < p.per_page as usize {
            assert_eq!(p.total as usize, ids.len(), "page totals");
            break;
        }
    }
    ids.sort_unstable();
    let label = |id: &i64| match member_ids.iter().position(|x| x == id) {
        Some(m) => format!("m{m}"),
        None => format!("unknown id {id}"),
    };
    Ok(ids.iter().map(label).collect())
}

fn labels(n: usize, keep: impl Fn(usize) -> bool) -> Vec<String> {
    (0..n)
        .filter(|&m| keep(m))
        .map(|m| format!("m{m}"))
        .collect()
}

async fn check(store: &Store, w: &World) -> Result<(), TestCaseError> {
    let (sys, every) = (Actor::system("test"), Scope::everything());
    let mut org_ids = Vec::new();
    for (i, &(parent, kind)) in w.orgs.iter().enumerate() {
        let input = OrgInput {
            parent_id: parent.map(|p| org_ids[p]),
            kind,
            name: format!("组织{i}"),
            unit_name: "单位".into(),
            unit_kind: UnitKind::School,
            founded_on: None,
            term_start: None,
            term_years: None,
        };
        org_ids.push(store.org_create(&sys, &every, &input).await.unwrap());
    }
    let mut member_ids = Vec::new();
    for (k, &(org, status, out)) in w.members.iter().enumerate() {
        let birth = Date::from_ymd_opt(1960, 1, 1).unwrap() + chrono::Days::new(k as u64 * 37);
        let id_number = IdNumber::generate("110105", birth, k as u16);
        let input = MemberInput {
            org_id: org_ids[org],
            name: format!("党员{k}"),
            gender: id_number.gender(),
            birth_date: birth,
            id_number,
            phone: None,
            status,
            joined_on: None,
            full_on: None,
            department: None,
            post: None,
            party_duty: None,
            rights_suspended: false,
        };
        let id = store.member_create(&sys, &every, &input).await.unwrap();
        if out {
            let on = Date::from_ymd_opt(2024, 6, 1).unwrap();
            store
                .member_transfer_out(&sys, &every, id, on)
                .await
                .unwrap();
        }
        member_ids.push(id);
    }
    for (a, acct @ (linked, grants)) in w.accounts.iter().enumerate() {
        let mut input = AccountInput {
            username: format!("acct{a}"),
            display_name: "测试".into(),
            password: "Prop-Test-2024!".into(),
            member_id: linked.map(|m| member_ids[m]),
            must_change: false,
        };
        // The account rules refuse part of some generated worlds (a member linked to two
        // accounts, a secretary for a member of another organization): the world the store
        // keeps is the one the model checks.
        let mut linked = *linked;
        let account_id = match store.account_create(&sys, &input).await {
            Ok(id) => id,
            Err(StoreError::Invalid(_)) => {
                linked = None;
                input.member_id = None;
                store.account_create(&sys, &input).await.unwrap()
            }
            Err(e) => panic!("{e}"),
        };
        let mut kept = Vec::new();
        for &(role, org) in grants {
            let at = org.map(|o| org_ids[o]);
            match store.grant_add(&sys, account_id, role, at).await {
                Ok(()) => kept.push((role, org)),
                Err(StoreError::Invalid(_)) => {}
                Err(e) => panic!("{e}"),
            }
        }
        let grants = &kept;
        let linked = &linked;
        let account = store.account_get(account_id).await.unwrap();
        let core_grants = store.grants(&account).await.unwrap();
        let ms = scope_for(&core_grants, Permission::ViewMembers);
        let os = scope_for(&core_grants, Permission::ViewOrgs);

        // The model: deployment-wide, subtree roots, and a member's own org and record.
        let all = grants.iter().any(|g| g.1.is_none());
        let roots: Vec<usize> = (grants.iter().filter(|g| g.0 != Role::Member))
            .filter_map(|g| g.1)
            .collect();
        let own_org = |o: usize| grants.contains(&(Role::Member, Some(o)));
        let in_subtrees = |o: usize| all || roots.iter().any(|&r| within(w, o, r));
        let sees_member = |m: usize| in_subtrees(w.members[m].0) || *linked == Some(m);
        let sees_org = |o: usize| in_subtrees(o) || own_org(o);
        let ctx = format!("account {a}: {}", account_line(acct));

        let listed = list_all(store, &ms, None, &member_ids).await.unwrap();
        let want = labels(member_ids.len(), sees_member);
        prop_assert_eq!(listed, want, "member_list; {}", ctx);
        for (m, &id) in member_ids.iter().enumerate() {
            let got = seen(store.member_get(&ms, id).await);
            prop_assert_eq!(got, sees_member(m), "member_get m{}; {}", m, ctx);
        }
        let searched = store.org_search(&os, "", 500).await.unwrap();
        for (o, &id) in org_ids.iter().enumerate() {
            let got = seen(store.org_get(&os, id).await);
            prop_assert_eq!(got, sees_org(o), "org_get org {}; {}", o, ctx);
            let got = searched.iter().any(|g| g.id == id);
            prop_assert_eq!(got, sees_org(o), "org_search org {}; {}", o, ctx);

            // Filtered to one org: its whole subtree when inside the scope, else NotFound.
            let filtered = list_all(store, &ms, Some(id), &member_ids).await;
            if in_subtrees(o) {
                let want = labels(member_ids.len(), |m| within(w, w.members[m].0, o));
                prop_assert_eq!(filtered.unwrap(), want, "member_list of org {}; {}", o, ctx);
            } else {
                let denied = matches!(filtered, Err(StoreError::NotFound));
                prop_assert!(denied, "member_list of org {o} (outside); {ctx}");
            }
        }
    }
    Ok(())
}

/// A fresh store for one case: a SQLite file in `dir`, or a new PostgreSQL database (returned
/// with an admin pool and its name, to drop it afterwards).
async fn open(pg: Option<&str>, dir: &std::path::Path) -> (Store, Option<(sqlx::AnyPool, String)>) {
    let Some(base) = pg else {
        let url = format!("sqlite://{}", dir.join("t.db").display());
        return (Store::open(&url, dir).await.unwrap(), None);
    };
    sqlx::any::install_default_drivers();
    let admin = sqlx::AnyPool::connect(&format!("{base}/postgres"))
        .await
        .unwrap();
    let name = format!("ronghe_prop_{}", rand::random::<u32>());
    let create = format!("CREATE DATABASE {name}");
    sqlx::query(&create).execute(&admin).await.unwrap();
    let store = Store::open(&format!("{base}/{name}"), dir).await.unwrap();
    (store, Some((admin, name)))
}

fn run(pg: Option<&str>, cases: u32) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let config = Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 300,
        ..Config::default()
    };
    let result = TestRunner::new(config).run(&arb_case(), |case| {
        rt.block_on(async {
            let dir = tempfile::tempdir().unwrap();
            let (store, pg_db) = open(pg, dir.path()).await;
            let result = check(&store, &resolve(&case)).await;
            store.close().await;
            if let Some((admin, name)) = pg_db {
                let drop = format!("DROP DATABASE {name} WITH (FORCE)");
                sqlx::query(&drop).execute(&admin).await.unwrap();
                admin.close().await;
            }
            result
        })
    });
    if let Err(e) = result {
        panic!("{}: {e}", pg.map_or("SQLite", |_| "PostgreSQL"));
    }
}

#[test]
fn each_account_sees_exactly_its_subtrees() {
    let wanted = std::env::var("RONGHE_TEST_DATABASES").unwrap_or_else(|_| "sqlite".into());
    if wanted.contains("sqlite") {
        run(None, 12);
    }
    match std::env::var("RONGHE_TEST_PG") {
        Ok(base) if wanted.contains("postgres") => run(Some(&base), 4),
        _ => eprintln!("PostgreSQL not requested (RONGHE_TEST_DATABASES, RONGHE_TEST_PG)"),
    }
}
