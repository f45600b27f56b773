//! Demonstration data: two invented Party bodies, about 150 members and one account per role.
//!
//! Everything goes through the public store API (and the same form validation as the pages),
//! so every rule applies and every write lands in the change history and the audit log, exactly
//! as if a secretary had typed it. The content is deterministic (seeded RNG); every person and
//! organization is invented.

use crate::invent::{add_years, date_between, join_date, NamePool};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use ronghe_core::access::Role;
use ronghe_core::forms::{MemberForm, OrgForm, SeatForm};
use ronghe_core::idnum::IdNumber;
use ronghe_core::member::{Gender, PartyStatus};
use ronghe_core::scope::Scope;
use ronghe_core::Date;
use ronghe_store::{AccountInput, Actor, Store, StoreError, StoreResult};
use serde::Serialize;
use std::collections::HashSet;

mod bodies;

use bodies::*;

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "Demo@2026";

const SEED: u64 = 2026_0701;

/// What [`load`] created.
#[derive(Debug, Clone, Serialize)]
pub struct DemoSummary {
    pub orgs: u64,
    /// Member records created (including those later transferred out).
    pub members: u64,
    pub transferred_out: u64,
    pub accounts: u64,
    /// Demo usernames that already existed and were left untouched.
    pub accounts_skipped: Vec<String>,
}

fn d(y: i32, m: u32, day: u32) -> Date {
    Date::from_ymd_opt(y, m, day).expect("valid fixture date")
}

/// The date the demo is written for; nothing in it is later than this.
fn reference_date() -> Date {
    d(2026, 11, 26)
}

// ---------------------------------------------------------------------------------------------
// People and the loader.

const REGIONS: &[&str] = &["650102", "650103", "650104", "650105"];
const MOBILE_PREFIXES: &[&str] = &[
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153",
    "155", "156", "157", "158", "159", "180", "181", "182", "183", "186", "187", "188", "189",
];

/// Draws people with unique names, ID numbers and phones.
struct People {
    rng: StdRng,
    pool: NamePool,
    names: HashSet<String>,
    ids: HashSet<String>,
    phones: HashSet<String>,
}

struct Person {
    name: String,
    id_number: String,
    phone: String,
    birth: Date,
}

impl People {
    fn person(&mut self, female_share: f64, born_from: Date, born_to: Date) -> Person {
        let gender = if self.rng.gen_bool(female_share) {
            Gender::Female
        } else {
            Gender::Male
        };
        let name = loop {
            let n = self.pool.name(&mut self.rng, gender);
            if self.names.insert(n.clone()) {
                break n;
            }
        };
        let (id, birth) = loop {
            let birth = date_between(&mut self.rng, born_from, born_to);
            let region = REGIONS[self.rng.gen_range(0..REGIONS.len())];
            // Odd sequence numbers are men, even ones women (GB 11643).
            let seq = self.rng.gen_range(0..500u16) * 2 + u16::from(gender == Gender::Male);
            let id = IdNumber::generate(region, birth, seq);
            if self.ids.insert(id.as_str().to_string()) {
                break (id, birth);
            }
        };
        let phone = loop {
            let prefix = MOBILE_PREFIXES[self.rng.gen_range(0..MOBILE_PREFIXES.len())];
            let p = format!("{prefix}{:08}", self.rng.gen_range(0..100_000_000u32));
            if self.phones.insert(p.clone()) {
                break p;
            }
        };
        Person {
            name,
            id_number: id.as_str().to_string(),
            phone,
            birth,
        }
    }
}

/// Skewed towards the front of `items` (ordinary posts more often than leading ones).
fn pick<'a>(rng: &mut impl Rng, items: &[&'a str]) -> &'a str {
    let i = rng
        .gen_range(0..items.len())
        .min(rng.gen_range(0..items.len()));
    items[i]
}

struct Loader<'a> {
    store: &'a Store,
    actor: Actor,
    scope: Scope,
    today: Date,
    people: People,
    orgs: u64,
    members: u64,
}

/// A created member: (id, name).
type Created = (i64, String);

impl Loader<'_> {
    #[allow(clippy::too_many_arguments)]
    async fn org(
        &mut self,
        parent: Option<i64>,
        kind: &str,
        name: &str,
        unit: &str,
        unit_kind: &str,
        founded: Date,
        term_start: Date,
        term_years: u8,
    ) -> StoreResult<i64> {
        let form = OrgForm {
            parent_id: parent.map(|p| p.to_string()).unwrap_or_default(),
            kind: kind.into(),
            name: name.into(),
            unit_name: unit.into(),
            unit_kind: unit_kind.into(),
            founded_on: founded.to_string(),
            term_start: term_start.to_string(),
            term_years: term_years.to_string(),
        };
        let input = form.validate(self.today).map_err(StoreError::Invalid)?;
        let id = self
            .store
            .org_create(&self.actor, &self.scope, &input)
            .await?;
        self.orgs += 1;
        Ok(id)
    }

    #[allow(clippy::too_many_arguments)]
    async fn member(
        &mut self,
        org_id: i64,
        status: PartyStatus,
        female_share: f64,
        born: (Date, Date),
        department: &str,
        post: &str,
        party_duty: &str,
    ) -> StoreResult<Created> {
        let p = self.people.person(female_share, born.0, born.1);
        let rng = &mut self.people.rng;
        let (joined, full) = match status {
            PartyStatus::Full => {
                // Joined at 21 or later, full a year later, and no later than last autumn.
                let joined = join_date(rng, p.birth, 21, d(2025, 10, 31));
                (Some(joined), Some(add_years(joined, 1)))
            }
            PartyStatus::Probationary => (
                Some(date_between(rng, d(2025, 12, 1), d(2026, 10, 30))),
                None,
            ),
            _ => (None, None),
        };
        let text = |v: Option<Date>| v.map(|d| d.to_string()).unwrap_or_default();
        let form = MemberForm {
            org_id: org_id.to_string(),
            name: p.name.clone(),
            // Both come from the ID number, as when a secretary leaves them empty.
            gender: String::new(),
            birth_date: String::new(),
            id_number: p.id_number,
            phone: p.phone,
            status: status.code().into(),
            joined_on: text(joined),
            full_on: text(full),
            department: department.into(),
            post: post.into(),
            party_duty: party_duty.into(),
            rights_suspended: String::new(),
        };
        let input = form.validate(self.today).map_err(StoreError::Invalid)?;
        let id = self
            .store
            .member_create(&self.actor, &self.scope, &input)
            .await?;
        self.members += 1;
        Ok((id, p.name))
    }

    async fn seat(
        &mut self,
        org_id: i64,
        member_id: i64,
        role: &str,
        duty: &str,
        since: Date,
    ) -> StoreResult<()> {
        let form = SeatForm {
            member_id: member_id.to_string(),
            role: role.into(),
            duty: duty.into(),
            since: since.to_string(),
        };
        let seat = form.validate().map_err(StoreError::Invalid)?;
        self.store
            .seat_add(&self.actor, &self.scope, org_id, &seat)
            .await
    }

    /// Creates a branch with its members and committee; returns its id and members in order.
    async fn branch(&mut self, parent: i64, spec: &BranchSpec) -> StoreResult<(i64, Vec<Created>)> {
        let id = self
            .org(
                Some(parent),
                "branch",
                spec.name,
                spec.unit,
                spec.unit_kind,
                spec.founded,
                spec.term_start,
                3,
            )
            .await?;
        let seats = seats_for(spec.committee);
        let mut members = Vec::new();
        let total = spec.full + spec.probationary + spec.others;
        for i in 0..total {
            let status = if i < spec.full {
                PartyStatus::Full
            } else if i < spec.full + spec.probationary {
                PartyStatus::Probationary
            } else {
                [
                    PartyStatus::Activist,
                    PartyStatus::Candidate,
                    PartyStatus::Applicant,
                ][(i - spec.full - spec.probationary) % 3]
            };
            let born = match status {
                _ if i < seats.len() => (d(1968, 1, 1), d(1986, 12, 31)),
                PartyStatus::Full => (d(1967, 1, 1), d(1998, 12, 31)),
                PartyStatus::Probationary => (d(1993, 1, 1), d(2002, 12, 31)),
                _ => (d(1996, 1, 1), d(2004, 6, 30)),
            };
            let (dept, post, duty) = match i {
                0 => (spec.lead.0, spec.lead.1, seats[0].1),
                _ if i < seats.len() => {
                    let r = &mut self.people.rng;
                    (pick(r, spec.depts), pick(r, spec.posts), seats[i].1)
                }
                _ => {
                    let r = &mut self.people.rng;
                    // Leading posts (the last of each list) are rare among ordinary members.
                    let posts = &spec.posts[..spec.posts.len() - 1];
                    (pick(r, spec.depts), pick(r, posts), "")
                }
            };
            let m = self
                .member(id, status, spec.female_share, born, dept, post, duty)
                .await?;
            members.push(m);
        }
        for (i, (role, duty)) in seats.iter().enumerate() {
            self.seat(
                id,
                members[i].0,
                role,
                seat_duty(role, duty),
                spec.term_start,
            )
            .await?;
        }
        Ok((id, members))
    }
}

/// Loads the demonstration data into an empty database: [`load_base`], then the 2026 plans,
/// tasks and meetings of [`crate::plans`].
pub async fn load(store: &Store) -> StoreResult<DemoSummary> {
    let summary = load_base(store).await?;
    crate::plans::load(store).await?;
    crate::evaluation::load(store).await?;
    crate::library::load(store).await?;
    Ok(summary)
}

/// The organizations, members and accounts of the demo, without plans or meetings (for tests
/// that build a plan from nothing).
///
/// Refuses when any organization exists. Accounts whose username already exists (for example
/// an administrator created at installation) are left untouched and listed in the summary.
pub async fn load_base(store: &Store) -> StoreResult<DemoSummary> {
    let existing = store.org_count().await?;
    if existing > 0 {
        return Err(StoreError::field(
            "demo",
            format!("数据库中已有 {existing} 个党组织，演示数据只能载入空数据库"),
        ));
    }
    let mut l = Loader {
        store,
        actor: Actor::system("演示数据"),
        scope: Scope::everything(),
        today: ronghe_store::today().max(reference_date()),
        people: People {
            rng: StdRng::seed_from_u64(SEED),
            pool: NamePool::new(),
            names: HashSet::new(),
            ids: HashSet::new(),
            phones: HashSet::new(),
        },
        orgs: 0,
        members: 0,
    };

    // 1. The bureau's 机关党委, the institute's 党总支 under it, and their branches.
    let bureau = l
        .org(
            None,
            "committee",
            "市市场监督管理局机关党委",
            BUREAU,
            "agency",
            d(1998, 6, 18),
            d(2023, 3, 28),
            5,
        )
        .await?;
    let (_, bureau_members) = l.branch(bureau, &bureau_branch()).await?;
    let inst_term = d(2024, 5, 16);
    let institute = l
        .org(
            Some(bureau),
            "general_branch",
            "市计量测试研究院党总支",
            INSTITUTE,
            "research",
            d(2008, 6, 20),
            inst_term,
            3,
        )
        .await?;
    // The 党总支's own committee: three institute leaders filed directly in it.
    let leaders = [
        ("院领导", "党总支书记、副院长", "secretary", "党总支书记"),
        ("院领导", "院长", "deputy", "党总支副书记"),
        ("院领导", "副院长", "member", "党总支组织委员"),
    ];
    let mut leader_ids = Vec::new();
    for (dept, post, _, duty) in leaders {
        let born = (d(1966, 1, 1), d(1978, 12, 31));
        let (id, _) = l
            .member(institute, PartyStatus::Full, 0.3, born, dept, post, duty)
            .await?;
        leader_ids.push(id);
    }
    for ((_, _, role, duty), id) in leaders.iter().zip(&leader_ids) {
        l.seat(institute, *id, role, seat_duty(role, duty), inst_term)
            .await?;
    }
    let mut inst_branches = Vec::new();
    for spec in institute_branches() {
        inst_branches.push(l.branch(institute, &spec).await?);
    }

    // 2. The school's 党委 and its four branches.
    let school = l
        .org(
            None,
            "committee",
            "市第十二中学党委",
            SCHOOL,
            "school",
            d(1985, 9, 1),
            d(2022, 9, 15),
            5,
        )
        .await?;
    let mut school_members = Vec::new();
    for spec in school_branches() {
        school_members.push(l.branch(school, &spec).await?.1);
    }

    // 3. A few transfers out (组织关系转出) of ordinary full members.
    let transfers = [
        (&bureau_members[15], d(2026, 3, 15)),
        (&school_members[1][12], d(2026, 7, 8)),
        (&inst_branches[2].1[9], d(2026, 9, 20)),
    ];
    for ((id, _), on) in transfers {
        l.store
            .member_transfer_out(&l.actor, &l.scope, *id, on)
            .await?;
    }

    // 4. One account per role.
    let (calib_id, calib_members) = &inst_branches[0];
    let secretary = &calib_members[0];
    let ordinary = &calib_members[8];
    // (username, display name, linked member, role, organization granted on)
    let admin = |u: &'static str, name: &str, role| (u, name.to_string(), None, role, None);
    let committee =
        |u: &'static str, name: &str, org| (u, name.to_string(), None, Role::Committee, Some(org));
    let accounts = [
        admin("admin", "系统管理员", Role::SysAdmin),
        admin("anquan", "安全管理员", Role::SecAdmin),
        admin("shenji", "审计管理员", Role::AuditAdmin),
        committee("dangwei", "机关党委", bureau),
        committee("xuexiao", "市第十二中学党委", school),
        committee("jiliang", "计量院党总支", institute),
        (
            "zhibu",
            format!("{}（检定校准党支部书记）", secretary.1),
            Some(secretary.0),
            Role::BranchSecretary,
            Some(*calib_id),
        ),
        (
            "dangyuan",
            format!("{}（检定校准党支部党员）", ordinary.1),
            Some(ordinary.0),
            Role::Member,
            Some(*calib_id),
        ),
    ];
    let mut created = 0;
    let mut skipped = Vec::new();
    for (username, display_name, member_id, role, org) in accounts {
        if store.account_by_username(username).await?.is_some() {
            skipped.push(username.to_string());
            continue;
        }
        let input = AccountInput {
            username: username.into(),
            display_name,
            password: DEMO_PASSWORD.into(),
            member_id,
            must_change: false,
        };
        let id = store.account_create(&l.actor, &input).await?;
        store.grant_add(&l.actor, id, role, org).await?;
        created += 1;
    }
    Ok(DemoSummary {
        orgs: l.orgs,
        members: l.members,
        transferred_out: transfers.len() as u64,
        accounts: created,
        accounts_skipped: skipped,
    })
}
