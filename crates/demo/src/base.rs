//! Demonstration data: two invented Party bodies, about 150 members and one account per role.
//!
//! Everything goes through the public store API (and the same form validation as the pages),
//! so every rule applies and every write lands in the change history and the audit log, exactly
//! as if a secretary had typed it. The content is deterministic (seeded RNG); every person and
//! organization is invented.

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

// ---------------------------------------------------------------------------------------------
// Invented names (shared with the synthetic generator).

/// Common surnames, roughly by frequency: earlier ones are drawn more often.
pub(crate) const SURNAMES: &str = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤";

const MALE_FIRST: &str = "志建国文明海俊浩立晓振宏永子宇家天春嘉卫";
const MALE_SECOND: &str = "强国涛博轩杰然辉栋新东华伟刚峰平军鹏飞宁";
const MALE_SINGLE: &str = "伟强磊军勇杰涛斌超鹏辉宇凯健峰亮斌波毅刚";
const FEMALE_FIRST: &str = "秀丽晓静雨欣婷海春玉思佳雅梦淑慧美晶金紫";
const FEMALE_SECOND: &str = "英华燕怡桐然婷娟梅兰琪慧琴瑶芳敏静霞玲萱";
const FEMALE_SINGLE: &str = "芳娜敏静丽艳娟霞玲婷雪颖慧琳倩洁红萍莉蓉";

/// The name lists as characters, for drawing many names quickly.
pub(crate) struct NamePool {
    surnames: Vec<char>,
    male: [Vec<char>; 3],
    female: [Vec<char>; 3],
}

impl NamePool {
    pub(crate) fn new() -> Self {
        let v = |s: &str| s.chars().collect::<Vec<char>>();
        NamePool {
            surnames: v(SURNAMES),
            male: [v(MALE_FIRST), v(MALE_SECOND), v(MALE_SINGLE)],
            female: [v(FEMALE_FIRST), v(FEMALE_SECOND), v(FEMALE_SINGLE)],
        }
    }

    /// An invented name: a surname (common ones more often) and a 1–2 character given name.
    pub(crate) fn name(&self, rng: &mut impl Rng, gender: Gender) -> String {
        let n = self.surnames.len();
        // The smaller of two uniform draws favours the front of the list.
        let i = rng.gen_range(0..n).min(rng.gen_range(0..n));
        let [first, second, single] = match gender {
            Gender::Male => &self.male,
            Gender::Female => &self.female,
        };
        let mut name = String::with_capacity(9);
        name.push(self.surnames[i]);
        if rng.gen_bool(0.3) {
            name.push(single[rng.gen_range(0..single.len())]);
        } else {
            name.push(first[rng.gen_range(0..first.len())]);
            name.push(second[rng.gen_range(0..second.len())]);
        }
        name
    }
}

/// A uniformly random date in `[from, to]`.
pub(crate) fn date_between(rng: &mut impl Rng, from: Date, to: Date) -> Date {
    let days = (to - from).num_days().max(0);
    from + chrono::Days::new(rng.gen_range(0..=days) as u64)
}

/// A join date at `min_age` to 35 years of age (fewer when that would pass `latest`).
pub(crate) fn join_date(rng: &mut impl Rng, birth: Date, min_age: u32, latest: Date) -> Date {
    let max_age = latest.years_since(birth).unwrap_or(0).clamp(min_age, 35);
    let joined = add_years(birth, rng.gen_range(min_age..=max_age))
        + chrono::Days::new(rng.gen_range(0..365));
    joined.min(latest)
}

pub(crate) fn add_years(d: Date, years: u32) -> Date {
    d.checked_add_months(chrono::Months::new(years * 12))
        .unwrap_or(d)
}

fn d(y: i32, m: u32, day: u32) -> Date {
    Date::from_ymd_opt(y, m, day).expect("valid fixture date")
}

// ---------------------------------------------------------------------------------------------
// The two bodies.

/// The date the demo is written for; nothing in it is later than this.
fn reference_date() -> Date {
    d(2026, 11, 26)
}

#[derive(Clone, Copy)]
enum Committee {
    /// 支部委员会 of this many people (3–5).
    Full(usize),
    /// 书记 only (fewer than 7 full members, or deliberately missing a committee).
    SecretaryOnly,
}

struct BranchSpec {
    name: &'static str,
    unit: &'static str,
    unit_kind: &'static str,
    founded: Date,
    term_start: Date,
    /// Members created, in order: full, probationary, then others (activist, candidate, applicant).
    full: usize,
    probationary: usize,
    others: usize,
    committee: Committee,
    depts: &'static [&'static str],
    posts: &'static [&'static str],
    /// Department and post of the secretary.
    lead: (&'static str, &'static str),
    female_share: f64,
}

const BUREAU: &str = "市市场监督管理局";
const INSTITUTE: &str = "市计量测试研究院";
const SCHOOL: &str = "市第十二中学";

const BUREAU_DEPTS: &[&str] = &["办公室", "法规科", "计量科", "标准化科"];
const BUREAU_POSTS: &[&str] = &["科员", "一级主任科员", "副科长", "科长"];
const INST_POSTS: &[&str] = &["检定员", "工程师", "高级工程师", "室主任"];
const SCHOOL_POSTS: &[&str] = &["教师", "班主任", "教研组长", "年级组长"];
const SUBJECTS: &[&str] = &["语文组", "数学组", "英语组", "物理组"];

fn bureau_branch() -> BranchSpec {
    BranchSpec {
        name: "局机关第一党支部",
        unit: BUREAU,
        unit_kind: "agency",
        founded: d(2002, 7, 1),
        term_start: d(2024, 4, 18),
        full: 18,
        probationary: 2,
        others: 2,
        committee: Committee::Full(5),
        depts: BUREAU_DEPTS,
        posts: BUREAU_POSTS,
        lead: ("办公室", "科长"),
        female_share: 0.4,
    }
}

fn institute_branches() -> [BranchSpec; 3] {
    [
        BranchSpec {
            name: "检定校准党支部",
            unit: INSTITUTE,
            unit_kind: "research",
            founded: d(2008, 6, 20),
            term_start: d(2025, 3, 20),
            full: 20,
            probationary: 2,
            others: 3,
            committee: Committee::Full(5),
            depts: &["长度计量室", "热工计量室", "电学计量室"],
            posts: INST_POSTS,
            lead: ("长度计量室", "室主任"),
            female_share: 0.35,
        },
        // At least 7 full members but only a secretary: shows the committee_required warning.
        BranchSpec {
            name: "科研质量党支部",
            unit: INSTITUTE,
            unit_kind: "research",
            founded: d(2008, 6, 20),
            term_start: d(2024, 9, 10),
            full: 13,
            probationary: 2,
            others: 1,
            committee: Committee::SecretaryOnly,
            depts: &["化学计量室", "质量管理部", "科研管理部"],
            posts: INST_POSTS,
            lead: ("科研管理部", "室主任"),
            female_share: 0.45,
        },
        // Term started 2022-06-01 for 3 years: expired, shows term_expired.
        BranchSpec {
            name: "综合管理党支部",
            unit: INSTITUTE,
            unit_kind: "research",
            founded: d(2012, 3, 15),
            term_start: d(2022, 6, 1),
            full: 11,
            probationary: 1,
            others: 2,
            committee: Committee::Full(3),
            depts: &["办公室", "质量管理部", "科研管理部"],
            posts: &["工程师", "检定员", "高级工程师", "室主任"],
            lead: ("办公室", "室主任"),
            female_share: 0.55,
        },
    ]
}

fn school_branches() -> [BranchSpec; 4] {
    [
        BranchSpec {
            name: "高一年级党支部",
            unit: SCHOOL,
            unit_kind: "school",
            founded: d(2005, 9, 1),
            term_start: d(2024, 6, 25),
            full: 17,
            probationary: 2,
            others: 2,
            committee: Committee::Full(4),
            depts: SUBJECTS,
            posts: SCHOOL_POSTS,
            lead: ("语文组", "年级组长"),
            female_share: 0.6,
        },
        BranchSpec {
            name: "高二年级党支部",
            unit: SCHOOL,
            unit_kind: "school",
            founded: d(2005, 9, 1),
            term_start: d(2025, 1, 10),
            full: 15,
            probationary: 2,
            others: 2,
            committee: Committee::Full(4),
            depts: SUBJECTS,
            posts: SCHOOL_POSTS,
            lead: ("数学组", "年级组长"),
            female_share: 0.6,
        },
        // Term ends 2027-01-15: within 90 days of 2026-11-26, shows term_ending.
        BranchSpec {
            name: "高三年级党支部",
            unit: SCHOOL,
            unit_kind: "school",
            founded: d(2005, 9, 1),
            term_start: d(2024, 1, 15),
            full: 17,
            probationary: 1,
            others: 2,
            committee: Committee::Full(5),
            depts: SUBJECTS,
            posts: SCHOOL_POSTS,
            lead: ("物理组", "年级组长"),
            female_share: 0.55,
        },
        // Fewer than 7 full members: a secretary and no committee, as the rules say.
        BranchSpec {
            name: "行政后勤党支部",
            unit: SCHOOL,
            unit_kind: "school",
            founded: d(2010, 4, 12),
            term_start: d(2024, 11, 20),
            full: 6,
            probationary: 2,
            others: 2,
            committee: Committee::SecretaryOnly,
            depts: &["教务处", "德育处", "总务处"],
            posts: &["干事", "干事", "副主任", "主任"],
            lead: ("总务处", "主任"),
            female_share: 0.5,
        },
    ]
}

/// (role code, duty) of the committee seats, secretary first.
fn seats_for(committee: Committee) -> &'static [(&'static str, &'static str)] {
    match committee {
        Committee::SecretaryOnly => &[("secretary", "党支部书记")],
        Committee::Full(3) => &[
            ("secretary", "党支部书记"),
            ("member", "组织委员"),
            ("member", "宣传委员"),
        ],
        Committee::Full(4) => &[
            ("secretary", "党支部书记"),
            ("member", "组织委员"),
            ("member", "宣传委员"),
            ("member", "纪检委员"),
        ],
        Committee::Full(_) => &[
            ("secretary", "党支部书记"),
            ("deputy", "党支部副书记"),
            ("member", "组织委员"),
            ("member", "宣传委员"),
            ("member", "纪检委员"),
        ],
    }
}

/// The 分工 recorded on a seat: the secretaries' usual wording, the members' own duty.
fn seat_duty<'a>(role: &str, party_duty: &'a str) -> &'a str {
    match role {
        "secretary" => "主持全面工作",
        "deputy" => "协助书记工作，分管党员教育管理",
        _ => party_duty.trim_start_matches("党总支"),
    }
}

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
