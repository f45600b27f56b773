//! Property: over random organization trees, members, accounts and role grants, what an account
//! sees is exactly the subtrees it was granted. The expected sets come from a model built from
//! parent links only, never from paths or `Scope` methods.
//!
//! Runs on SQLite; also on PostgreSQL when `RONGHE_TEST_DATABASES` names it and
//! `RONGHE_TEST_PG=postgres://user@host:port` (each case gets, then drops, its own database).

use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use ronghe_core::access::{scope_for, Permission, Role};
use ronghe_core::forms::{MemberInput, OrgInput};
use ronghe_core::idnum::IdNumber;
use ronghe_core::member::PartyStatus;
use ronghe_core::org::{OrgKind, UnitKind};
use ronghe_core::Date;
use ronghe_store::{AccountInput, Actor, MemberFilter, Scope, Store, StoreError};
use std::collections::BTreeSet;
use std::fmt;

const ROLES: [Role; 6] = [
    Role::Committee,
    Role::BranchSecretary,
    Role::Inspector,
    Role::BusinessLeader,
    Role::Member,
    Role::SysAdmin,
];

/// Raw generated choices; shown resolved (as a [`World`]) when a case fails.
#[derive(Clone)]
struct Case {
    orgs: Vec<(bool, Index, Index, Vec<(PartyStatus, bool)>)>,
    accounts: Vec<Vec<(Role, Index, Index)>>,
}

/// Org and member numbers are positions in creation order (org `i` gets the i-th new id).
struct World {
    /// (parent, kind) per organization.
    orgs: Vec<(Option<usize>, OrgKind)>,
    /// (org, status, transferred out) per member.
    members: Vec<(usize, PartyStatus, bool)>,
    accounts: Vec<Acct>,
}

struct Acct {
    member: Option<usize>,
    /// (role, org; `None` for the whole deployment).
    grants: Vec<(Role, Option<usize>)>,
}

fn resolve(c: &Case) -> World {
    let mut w = World {
        orgs: vec![],
        members: vec![],
        accounts: vec![],
    };
    for (new_root, parent, kind, members) in &c.orgs {
        let node = if w.orgs.is_empty() || *new_root {
            (None, OrgKind::Committee)
        } else {
            let parents: Vec<usize> = (0..w.orgs.len())
                .filter(|&i| w.orgs[i].1 != OrgKind::Group)
                .collect();
            let p = *parent.get(&parents);
            let kinds: Vec<OrgKind> = OrgKind::ALL
                .into_iter()
                .filter(|k| w.orgs[p].1.may_contain(*k))
                .collect();
            (Some(p), *kind.get(&kinds))
        };
        w.orgs.push(node);
        if node.1 != OrgKind::Committee {
            let at = w.orgs.len() - 1;
            w.members
                .extend(members.iter().map(|&(s, out)| (at, s, out)));
        }
    }
    for grants in &c.accounts {
        let mut a = Acct {
            member: None,
            grants: vec![],
        };
        for &(role, org, member) in grants {
            let o = org.index(w.orgs.len());
            if role == Role::SysAdmin {
                a.grants.push((role, None));
            } else if role != Role::Member {
                a.grants.push((role, Some(o)));
            } else {
                let here: Vec<usize> = (0..w.members.len())
                    .filter(|&m| w.members[m].0 == o)
                    .collect();
                // An account belongs to at most one member.
                if here.is_empty() || a.member.is_some_and(|m| w.members[m].0 != o) {
                    continue;
                }
                a.member = Some(a.member.unwrap_or(*member.get(&here)));
                a.grants.push((role, Some(o)));
            }
        }
        w.accounts.push(a);
    }
    w
}

impl fmt::Debug for Case {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", resolve(self))
    }
}

/// One line per org, then one per account: `org 3 branch under 1, members [m4 full, m5 out]`.
impl fmt::Debug for World {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, (parent, kind)) in self.orgs.iter().enumerate() {
            let under = parent.map_or("root".into(), |p| format!("under {p}"));
            let members: Vec<String> = (0..self.members.len())
                .filter(|&m| self.members[m].0 == i)
                .map(|m| match self.members[m] {
                    (_, s, false) => format!("m{m} {}", s.code()),
                    (_, s, true) => format!("m{m} {} out", s.code()),
                })
                .collect();
            write!(
                f,
                "\n  org {i} {} {under}, members {members:?}",
                kind.code()
            )?;
        }
        for (a, acct) in self.accounts.iter().enumerate() {
            write!(f, "\n  account {a}: {acct:?}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Acct {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(m) = self.member {
            write!(f, "(member m{m}) ")?;
        }
        let grants: Vec<String> = (self.grants.iter())
            .map(|(r, o)| format!("{}@{}", r.code(), o.map_or("*".into(), |o| o.to_string())))
            .collect();
        write!(f, "{}", grants.join(", "))
    }
}

fn arb_case() -> impl Strategy<Value = Case> {
    let member = (
        prop::sample::select(PartyStatus::ALL.to_vec()),
        prop::bool::weighted(0.2),
    );
    let org = (
        prop::bool::weighted(0.1),
        any::<Index>(),
        any::<Index>(),
        prop::collection::vec(member, 0..=4),
    );
    let grant = (
        prop::sample::select(ROLES.to_vec()),
        any::<Index>(),
        any::<Index>(),
    );
    (
        prop::collection::vec(org, 3..=14),
        prop::collection::vec(prop::collection::vec(grant, 1..=5), 1..=3),
    )
        .prop_map(|(orgs, accounts)| Case { orgs, accounts })
}

/// Descendant-or-self, by walking parent links.
fn within(w: &World, mut org: usize, root: usize) -> bool {
    loop {
        if org == root {
            return true;
        }
        match w.orgs[org].0 {
            Some(p) => org = p,
            None => return false,
        }
    }
}

/// Every member id the scope lists (all pages, transferred-out members included).
async fn list_all(store: &Store, scope: &Scope, org: Option<i64>) -> Result<Vec<i64>, StoreError> {
    let mut out = Vec::new();
    for page in 1.. {
        let f = MemberFilter {
            org,
            active: Some("all".into()),
            page: Some(page),
            ..MemberFilter::default()
        };
        let p = store.member_list(scope, &f).await?;
        out.extend(p.items.iter().map(|r| r.id));
        if p.items.len() < p.per_page as usize {
            assert_eq!(
                p.total as usize,
                out.len(),
                "total disagrees with the pages"
            );
            break;
        }
    }
    Ok(out)
}

fn ids(all: &[i64], keep: impl Fn(usize) -> bool) -> Vec<i64> {
    (0..all.len())
        .filter(|&i| keep(i))
        .map(|i| all[i])
        .collect()
}

async fn check(store: &Store, w: &World) -> Result<(), TestCaseError> {
    let (actor, everything) = (Actor::system("test"), Scope::everything());
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
        org_ids.push(store.org_create(&actor, &everything, &input).await.unwrap());
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
        };
        let id = store
            .member_create(&actor, &everything, &input)
            .await
            .unwrap();
        if out {
            let on = Date::from_ymd_opt(2024, 6, 1).unwrap();
            store
                .member_transfer_out(&actor, &everything, id, on)
                .await
                .unwrap();
        }
        member_ids.push(id);
    }
    for (a, acct) in w.accounts.iter().enumerate() {
        let input = AccountInput {
            username: format!("acct{a}"),
            display_name: "测试".into(),
            password: "Prop-Test-2024!".into(),
            member_id: acct.member.map(|m| member_ids[m]),
            must_change: false,
        };
        let account_id = store.account_create(&actor, &input).await.unwrap();
        for &(role, org) in &acct.grants {
            let org = org.map(|o| org_ids[o]);
            store
                .grant_add(&actor, account_id, role, org)
                .await
                .unwrap();
        }
        let account = store.account_get(account_id).await.unwrap();
        let grants = store.grants(&account).await.unwrap();
        let ms = scope_for(&grants, Permission::ViewMembers);
        let os = scope_for(&grants, Permission::ViewOrgs);

        // The model: subtree roots, deployment-wide, and the member's own org and record.
        let all = acct.grants.iter().any(|g| g.1.is_none());
        let roots: Vec<usize> = (acct.grants.iter())
            .filter(|g| g.0 != Role::Member)
            .filter_map(|g| g.1)
            .collect();
        let own_org: Vec<usize> = (acct.grants.iter())
            .filter(|g| g.0 == Role::Member)
            .filter_map(|g| g.1)
            .collect();
        let in_subtrees = |o: usize| all || roots.iter().any(|&r| within(w, o, r));
        let sees_member = |m: usize| in_subtrees(w.members[m].0) || acct.member == Some(m);
        let sees_org = |o: usize| in_subtrees(o) || own_org.contains(&o);
        let ctx = format!("account {a} {acct:?}; org ids {org_ids:?}; member ids {member_ids:?}");

        let mut listed = list_all(store, &ms, None).await.unwrap();
        let n = listed.len();
        listed.sort_unstable();
        listed.dedup();
        prop_assert_eq!(n, listed.len(), "member_list repeats a member; {}", ctx);
        prop_assert_eq!(
            &listed,
            &ids(&member_ids, sees_member),
            "member_list; {}",
            ctx
        );

        for (m, &id) in member_ids.iter().enumerate() {
            match store.member_get(&ms, id).await {
                Ok(got) => {
                    prop_assert!(sees_member(m), "member_get sees member {m}; {ctx}");
                    prop_assert_eq!(got.org_id, org_ids[w.members[m].0]);
                }
                Err(StoreError::NotFound) => {
                    prop_assert!(!sees_member(m), "member_get hides member {m}; {ctx}")
                }
                Err(e) => panic!("member_get {id}: {e}"),
            }
        }
        let found: BTreeSet<i64> = (store.org_search(&os, "", 500).await.unwrap())
            .iter()
            .map(|g| g.id)
            .collect();
        for (o, &id) in org_ids.iter().enumerate() {
            match store.org_get(&os, id).await {
                Ok(got) => prop_assert!(sees_org(o) && got.id == id, "org_get sees {o}; {ctx}"),
                Err(StoreError::NotFound) => prop_assert!(!sees_org(o), "org_get hides {o}; {ctx}"),
                Err(e) => panic!("org_get {id}: {e}"),
            }
            prop_assert_eq!(
                found.contains(&id),
                sees_org(o),
                "org_search {}; {}",
                o,
                ctx
            );

            let filtered = list_all(store, &ms, Some(id)).await;
            if in_subtrees(o) {
                let mut got = filtered.unwrap();
                got.sort_unstable();
                let leaf = matches!(w.orgs[o].1, OrgKind::Branch | OrgKind::Group);
                let want = ids(&member_ids, |m| {
                    if leaf {
                        w.members[m].0 == o
                    } else {
                        within(w, w.members[m].0, o)
                    }
                });
                prop_assert_eq!(got, want, "member_list filtered to org {}; {}", o, ctx);
            } else {
                let denied = matches!(filtered, Err(StoreError::NotFound));
                prop_assert!(
                    denied,
                    "member_list filtered to org {o} outside scope; {ctx}"
                );
            }
        }
    }
    Ok(())
}

/// A fresh store for one case: a SQLite file in `dir`, or a new PostgreSQL database.
async fn open(pg: Option<&str>, dir: &std::path::Path) -> (Store, Option<sqlx::AnyPool>, String) {
    let Some(base) = pg else {
        let url = format!("sqlite://{}", dir.join("t.db").display());
        return (Store::open(&url, dir).await.unwrap(), None, String::new());
    };
    sqlx::any::install_default_drivers();
    let admin = sqlx::AnyPool::connect(&format!("{base}/postgres"))
        .await
        .unwrap();
    let name = format!("ronghe_prop_{}", rand::random::<u32>());
    let create = format!("CREATE DATABASE {name}");
    sqlx::query(&create).execute(&admin).await.unwrap();
    let store = Store::open(&format!("{base}/{name}"), dir).await.unwrap();
    (store, Some(admin), name)
}

fn run(pg: Option<&str>, cases: u32) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let config = Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 200,
        ..Config::default()
    };
    let result = TestRunner::new(config).run(&arb_case(), |case| {
        rt.block_on(async {
            let dir = tempfile::tempdir().unwrap();
            let (store, admin, name) = open(pg, dir.path()).await;
            let result = check(&store, &resolve(&case)).await;
            store.close().await;
            if let Some(admin) = admin {
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
        run(
            None,
            std::env::var("NCASES").map_or(12, |v| v.parse().unwrap()),
        );
    }
    match std::env::var("RONGHE_TEST_PG") {
        Ok(base) if wanted.contains("postgres") => run(
            Some(&base),
            std::env::var("NPG").map_or(4, |v| v.parse().unwrap()),
        ),
        _ => eprintln!("PostgreSQL not requested (RONGHE_TEST_DATABASES, RONGHE_TEST_PG): skipped"),
    }
}
