//! Synthetic data at county or provincial scale, for load tests and capacity planning.
//!
//! The tree follows the national proportions of the 党内统计公报 (end of 2024): 基层党委 :
//! 党总支 : 党支部 ≈ 306 : 330 : 4614. Roots are city committees (市委) with county committees
//! (县委/区委) under them; 基层党委 of agencies, towns, schools, research institutes,
//! enterprises and hospitals sit under those, with 党总支 and 党支部 below.
//!
//! Rows are written in bulk through the store's tree writer
//! ([`ronghe_store::Store::bulk_tree_writer`]), not through the per-row API: explicit ids
//! above the current maximum, materialized paths, the member counters of every organization
//! filled in, ID numbers and phones sealed and blind-indexed with the store's keys exactly as
//! its member API does, multi-row INSERTs in large transactions, and one audit-log entry for
//! the whole run. Nothing else may write to the database while it runs (the ids are allocated
//! up front). A failure leaves the batches committed so far in place.

use crate::base::{add_years, date_between, join_date, NamePool};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use ronghe_core::idnum::IdNumber;
use ronghe_core::member::Gender;
use ronghe_core::org::{OrgKind, UnitKind};
use ronghe_core::scope::child_path;
use ronghe_core::Date;
use ronghe_store::bulk::{MemberRow, OrgRow, SeatRow};
use ronghe_store::{Actor, Crypto, Store, StoreError, StoreResult};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::time::Instant;

/// How much to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Preset {
    /// About 250 organizations and 4,700 members (one city with two counties).
    Small,
    /// About 5,000 organizations and 94,000 members (one county).
    County,
    /// About 170,000 organizations and 3.2 million members (14 cities of 8 counties).
    Province,
}

impl Preset {
    pub const ALL: [Preset; 3] = [Self::Small, Self::County, Self::Province];

    pub fn code(self) -> &'static str {
        match self {
            Self::Small => "small",
            Self::County => "county",
            Self::Province => "province",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Small => "小规模（约 250 个党组织）",
            Self::County => "县级（约 5000 个党组织）",
            Self::Province => "省级（约 17 万个党组织、320 万名党员）",
        }
    }

    fn shape(self) -> Shape {
        match self {
            Self::Small => Shape {
                orgs: 250,
                members: 4_700,
                cities: 1,
                counties: 2,
            },
            Self::County => Shape {
                orgs: 5_000,
                members: 94_000,
                cities: 1,
                counties: 0,
            },
            Self::Province => Shape {
                orgs: 170_000,
                members: 3_200_000,
                cities: 14,
                counties: 8,
            },
        }
    }
}

#[derive(Debug, Clone)]
pub struct GenOptions {
    pub preset: Preset,
    pub seed: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct GenSummary {
    pub orgs: u64,
    /// Member records written (about 2% of them transferred out, i.e. inactive).
    pub members: u64,
    pub millis: u128,
}

struct Shape {
    orgs: usize,
    members: usize,
    /// Root organizations. With `counties == 0` each root is a county committee.
    cities: usize,
    counties: usize,
}

// ---------------------------------------------------------------------------------------------
// Names.

#[rustfmt::skip]
const CITIES: &[&str] = &[
    "东川", "西岭", "南湖", "北原", "青山", "白河", "金州", "玉泉", "长林", "安澜", "临江", "云台",
    "宁远", "嘉禾", "丰源", "平川",
];
#[rustfmt::skip]
const COUNTIES: &[&str] = &[
    "城东区", "城西区", "新华区", "清河县", "石门县", "河口县", "龙泉县", "柳林县", "桃源县",
    "永安县", "富民县", "兴隆县", "双峰县", "三江县", "高平县", "阳谷县",
];
#[rustfmt::skip]
const BUREAUS: &[&str] = &[
    "教育局", "财政局", "公安局", "交通运输局", "农业农村局", "自然资源局", "生态环境局",
    "住房和城乡建设局", "卫生健康委员会", "市场监督管理局", "人力资源和社会保障局", "民政局",
    "水利局", "文化和旅游局", "统计局", "审计局", "应急管理局", "商务局", "司法局",
    "发展和改革委员会", "工业和信息化局", "退役军人事务局", "医疗保障局", "林业和草原局", "体育局",
    "信访局", "机关事务管理局", "政务服务中心",
];
#[rustfmt::skip]
const INSTITUTES: &[&str] = &[
    "农业科学研究院", "计量测试研究院", "环境科学研究院", "林业科学研究所",
    "水利水电勘测设计研究院", "建筑科学研究院", "质量技术监督检验所", "气象科学研究所",
    "社会科学院", "畜牧兽医研究所", "地质调查研究院", "标准化研究院", "食品药品检验研究院",
    "特种设备检验研究院",
];
#[rustfmt::skip]
const HOSPITALS: &[&str] = &[
    "人民医院", "中医医院", "妇幼保健院", "疾病预防控制中心", "图书馆", "博物馆", "广播电视台",
    "中心血站", "急救中心", "社会福利院", "精神卫生中心", "口腔医院",
];
const FIRMS: &str = "华盛恒通宏达鑫源永泰金鼎瑞丰长兴盛世天成汇通博远";
#[rustfmt::skip]
const INDUSTRIES: &[&str] = &[
    "建设集团有限公司", "能源有限公司", "交通投资集团有限公司", "水务集团有限公司",
    "机械制造有限公司", "化工有限公司", "纺织有限公司", "食品有限公司", "电力有限公司",
    "物流有限公司", "燃气有限公司", "城市建设投资集团有限公司", "农业发展有限公司",
    "文化旅游集团有限公司", "医药有限公司", "电子科技有限公司",
];
const TOWN_1: &str = "龙凤马石金白青黑双三柳桃杏梨安永兴太平长";
const TOWN_2: &str = "泉山河桥集湖口门坪铺塘岭台川沟源湾堡店庄";
const VILLAGE_1: &str = "东西南北前后上下大小新老高李王张刘陈杨赵";
const VILLAGE_2: &str = "庄营屯堡湾岗河沟坪坝桥店集寨岭山园林洼坡";
#[rustfmt::skip]
const COMMUNITIES: &[&str] = &[
    "和平", "幸福", "阳光", "光明", "朝阳", "滨河", "锦绣", "花园", "翠苑", "春晖", "育才", "文化",
    "建设", "新华", "长安", "北苑", "东城", "南门", "西关", "康乐",
];

/// What kind of work a unit does: decides names, departments and posts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flavor {
    Agency,
    /// A town (镇) or street (街道): villages and communities below.
    Town,
    School,
    Research,
    Enterprise,
    /// Hospitals and other public institutions (事业单位).
    Public,
}

impl Flavor {
    fn unit_kind(self) -> UnitKind {
        match self {
            Self::Agency | Self::Town => UnitKind::Agency,
            Self::School => UnitKind::School,
            Self::Research => UnitKind::Research,
            Self::Enterprise => UnitKind::Enterprise,
            Self::Public => UnitKind::Other,
        }
    }

    fn female_share(self) -> f64 {
        match self {
            Self::School | Self::Public => 0.6,
            Self::Agency | Self::Research => 0.4,
            Self::Town => 0.35,
            Self::Enterprise => 0.3,
        }
    }

    #[rustfmt::skip]
    fn general_branches(self) -> &'static [&'static str] {
        match self {
            Self::Agency => &[
                "执法大队党总支", "直属事业单位党总支", "综合业务党总支", "离退休干部党总支",
                "机关服务中心党总支",
            ],
            Self::Town => &[
                "机关党总支", "东片区党总支", "西片区党总支", "南片区党总支", "北片区党总支",
                "中心片区党总支", "非公企业党总支",
            ],
            Self::School => &[
                "初中部党总支", "高中部党总支", "小学部党总支", "教学党总支", "行政后勤党总支",
                "离退休教职工党总支",
            ],
            Self::Research => &[
                "第一研究所党总支", "第二研究所党总支", "检测中心党总支", "试验基地党总支",
                "科研管理党总支",
            ],
            Self::Enterprise => &[
                "第一分公司党总支", "第二分公司党总支", "第三分公司党总支", "生产运营党总支",
                "营销中心党总支", "机关党总支", "项目部党总支",
            ],
            Self::Public => &[
                "内科党总支", "外科党总支", "医技党总支", "门诊党总支", "机关后勤党总支",
            ],
        }
    }

    #[rustfmt::skip]
    fn branches(self) -> &'static [&'static str] {
        match self {
            Self::Agency => &[
                "办公室党支部", "机关第一党支部", "机关第二党支部", "机关第三党支部",
                "政策法规科党支部", "财务科党支部", "人事科党支部", "业务一科党支部",
                "业务二科党支部", "执法大队党支部", "直属单位党支部", "离退休干部党支部",
            ],
            // Villages and communities are named on the fly.
            Self::Town => &["镇机关党支部"],
            Self::School => &[
                "高一年级党支部", "高二年级党支部", "高三年级党支部", "初一年级党支部",
                "初二年级党支部", "初三年级党支部", "语文教研组党支部", "数学教研组党支部",
                "外语教研组党支部", "理化生教研组党支部", "行政党支部", "后勤党支部",
                "退休教职工党支部",
            ],
            Self::Research => &[
                "检测中心党支部", "第一研究室党支部", "第二研究室党支部", "第三研究室党支部",
                "质量管理部党支部", "科研管理部党支部", "综合办公室党支部", "试验基地党支部",
                "离退休党支部",
            ],
            Self::Enterprise => &[
                "一车间党支部", "二车间党支部", "三车间党支部", "技术中心党支部", "销售部党支部",
                "财务部党支部", "安全环保部党支部", "综合管理部党支部", "物流中心党支部",
                "项目部党支部", "离退休党支部",
            ],
            Self::Public => &[
                "内科党支部", "外科党支部", "儿科党支部", "妇产科党支部", "护理党支部",
                "医技党支部", "药剂科党支部", "门诊党支部", "行政后勤党支部", "离退休党支部",
            ],
        }
    }

    /// Departments and posts of members; the last post is the leading one (rarer).
    #[rustfmt::skip]
    fn work(self) -> (&'static [&'static str], &'static [&'static str]) {
        match self {
            Self::Agency => (
                &["办公室", "政策法规科", "综合科", "财务科", "人事科", "业务一科", "业务二科",
                  "执法大队"],
                &["科员", "一级主任科员", "四级调研员", "副科长", "科长"],
            ),
            Self::Town => (
                &["村民委员会", "居民委员会", "镇政府", "村集体经济合作社"],
                &["村民", "居民", "个体经营者", "网格员", "村（社区）干部"],
            ),
            Self::School => (
                &["语文组", "数学组", "英语组", "物理组", "化学组", "生物组", "政治组", "历史组",
                  "地理组", "体育组", "教务处", "德育处", "总务处"],
                &["教师", "班主任", "干事", "教研组长", "年级组长"],
            ),
            Self::Research => (
                &["研究室", "检测中心", "质量管理部", "科研管理部", "办公室"],
                &["助理研究员", "工程师", "检定员", "副研究员", "高级工程师", "研究员"],
            ),
            Self::Enterprise => (
                &["生产部", "技术部", "销售部", "财务部", "综合管理部", "安全环保部", "一车间",
                  "二车间"],
                &["操作工", "技术员", "会计", "工程师", "班组长", "部门经理"],
            ),
            Self::Public => (
                &["内科", "外科", "儿科", "护理部", "医务科", "药剂科", "检验科", "办公室"],
                &["护士", "护师", "医师", "药师", "干事", "主治医师", "副主任医师"],
            ),
        }
    }
}

/// Chinese numerals for 1..=99 (larger numbers as digits).
fn cn(n: usize) -> String {
    const D: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => D[n].to_string(),
        10 => "十".to_string(),
        11..=19 => format!("十{}", D[n - 10]),
        20..=99 if n.is_multiple_of(10) => format!("{}十", D[n / 10]),
        20..=99 => format!("{}十{}", D[n / 10], D[n % 10]),
        _ => n.to_string(),
    }
}

fn nth_char(s: &str, i: usize) -> char {
    s.chars().nth(i).unwrap_or('新')
}

fn two_chars(rng: &mut StdRng, a: &str, b: &str) -> String {
    let (na, nb) = (a.chars().count(), b.chars().count());
    let mut s = String::new();
    s.push(nth_char(a, rng.gen_range(0..na)));
    s.push(nth_char(b, rng.gen_range(0..nb)));
    s
}

fn d(y: i32, m: u32, day: u32) -> Date {
    Date::from_ymd_opt(y, m, day).expect("valid date")
}

/// The date the synthetic data is written as of (terms, join dates): fixed, so that a seed
/// always gives the same data.
const REFERENCE: Date = match Date::from_ymd_opt(2026, 11, 26) {
    Some(d) => d,
    None => panic!("valid date"),
};

// ---------------------------------------------------------------------------------------------
// The plan: every organization in pre-order (parents before children), with member counts.

struct Node {
    parent: Option<usize>,
    kind: OrgKind,
    name: String,
    unit: usize,
    founded: Date,
    term_start: Date,
    term_years: u8,
    /// Branches only: active full, probationary, other (on the way in), transferred out.
    counts: [u32; 4],
}

struct Unit {
    name: String,
    flavor: Flavor,
}

struct Planner {
    rng: StdRng,
    nodes: Vec<Node>,
    units: Vec<Unit>,
    unit_names: HashSet<String>,
    mean_size: f64,
}

/// Counts for one 基层党委's subtree.
struct Grassroots {
    /// Branches under each of its 党总支.
    general: Vec<usize>,
    direct: usize,
}

impl Planner {
    fn push(&mut self, node: Node) -> usize {
        self.nodes.push(node);
        self.nodes.len() - 1
    }

    /// Founded within 20 years after the parent (roots 1949–1985), never after the term began.
    fn founded(&mut self, parent: Option<usize>, term_start: Date) -> Date {
        let (from, to) = match parent {
            None => (d(1949, 10, 1), d(1985, 12, 31)),
            Some(p) => {
                let from = self.nodes[p].founded;
                (from, add_years(from, 20).min(d(2024, 12, 31)))
            }
        };
        date_between(&mut self.rng, from, to.max(from)).min(term_start)
    }

    /// Term start: mostly current, some ending soon, about one in ten expired.
    fn term_start(&mut self, years: u8, village: bool) -> Date {
        let r = &mut self.rng;
        if village {
            // Villages and communities re-elected together in early 2026 (5-year terms).
            return if r.gen_bool(0.85) {
                date_between(r, d(2026, 1, 10), d(2026, 6, 30))
            } else {
                date_between(r, d(2021, 3, 1), d(2021, 12, 31))
            };
        }
        let current_from = REFERENCE
            .checked_sub_months(chrono::Months::new(u32::from(years) * 12))
            .unwrap_or(REFERENCE)
            + chrono::Days::new(1);
        if r.gen_bool(0.9) {
            date_between(r, current_from, REFERENCE - chrono::Days::new(60))
        } else {
            date_between(r, current_from - chrono::Days::new(700), current_from)
        }
    }

    fn unit(&mut self, name: String, flavor: Flavor) -> usize {
        self.units.push(Unit { name, flavor });
        self.units.len() - 1
    }

    /// A unit name not used before in the province, of the flavor drawn (or a town).
    fn unit_name(&mut self, place: &str, city_level: bool) -> (String, Flavor) {
        let r: f64 = self.rng.gen();
        let mut flavor = match r {
            _ if r < 0.22 => Flavor::Agency,
            _ if r < 0.35 => Flavor::Town,
            _ if r < 0.60 => Flavor::School,
            _ if r < 0.65 => Flavor::Research,
            _ if r < 0.87 => Flavor::Enterprise,
            _ => Flavor::Public,
        };
        for attempt in 0..200 {
            if attempt == 20 {
                // The lists of this flavor are used up here: towns and schools never run out.
                flavor = if flavor == Flavor::School {
                    Flavor::Town
                } else {
                    Flavor::School
                };
            }
            let rng = &mut self.rng;
            let name = match flavor {
                Flavor::Agency => format!("{place}{}", BUREAUS.choose(rng).expect("list")),
                Flavor::Town if city_level => {
                    format!("{place}{}街道", COMMUNITIES.choose(rng).expect("list"))
                }
                Flavor::Town => format!("{place}{}镇", two_chars(rng, TOWN_1, TOWN_2)),
                Flavor::School => {
                    let n = rng.gen_range(1..=60);
                    match rng.gen_range(0..10) {
                        0 => format!("{place}实验中学"),
                        1 => format!("{place}职业技术学校"),
                        2..=5 => format!("{place}第{}中学", cn(n)),
                        _ => format!("{place}第{}小学", cn(n)),
                    }
                }
                Flavor::Research => format!("{place}{}", INSTITUTES.choose(rng).expect("list")),
                Flavor::Enterprise => format!(
                    "{place}{}{}",
                    two_chars_pair(rng, FIRMS),
                    INDUSTRIES.choose(rng).expect("list")
                ),
                Flavor::Public => format!("{place}{}", HOSPITALS.choose(rng).expect("list")),
            };
            if self.unit_names.insert(name.clone()) {
                return (name, flavor);
            }
        }
        let n = self.units.len();
        (format!("{place}第{n}中学"), Flavor::School)
    }

    /// A branch with its member counts drawn.
    fn branch(&mut self, parent: usize, name: String, unit: usize, village: bool) {
        let r = &mut self.rng;
        let z: f64 = ((0..4).map(|_| r.gen::<f64>()).sum::<f64>() - 2.0) * 3f64.sqrt();
        let size = (self.mean_size + 8.0 * z).round().clamp(5.0, 45.0) as u32;
        let mut counts = [0u32; 4];
        for _ in 0..size {
            let x: f64 = r.gen();
            let slot = match x {
                _ if x < 0.02 => 3,
                _ if x < 0.87 => 0,
                _ if x < 0.92 => 1,
                _ => 2,
            };
            counts[slot] += 1;
        }
        let years = if village { 5 } else { 3 };
        let term_start = self.term_start(years, village);
        let founded = self.founded(Some(parent), term_start);
        self.push(Node {
            parent: Some(parent),
            kind: OrgKind::Branch,
            name,
            unit,
            founded,
            term_start,
            term_years: years,
            counts,
        });
    }

    /// A committee-like node (市委, 县委, 基层党委, 党总支) without members of its own.
    fn inner(&mut self, parent: Option<usize>, kind: OrgKind, name: String, unit: usize) -> usize {
        let years = kind.default_term_years();
        let term_start = self.term_start(years, false);
        let founded = self.founded(parent, term_start);
        self.push(Node {
            parent,
            kind,
            name,
            unit,
            founded,
            term_start,
            term_years: years,
            counts: [0; 4],
        })
    }

    /// A name from `list` not yet in `used`, else a numbered one.
    fn child_name(&mut self, list: &[&str], used: &mut HashSet<String>, numbered: &str) -> String {
        for _ in 0..6 {
            let Some(name) = list.choose(&mut self.rng) else {
                break;
            };
            if used.insert(name.to_string()) {
                return name.to_string();
            }
        }
        for n in 1.. {
            let name = format!("第{}{numbered}", cn(n));
            if used.insert(name.clone()) {
                return name;
            }
        }
        unreachable!("an unused number exists")
    }

    /// A village or community branch name unused under this committee.
    fn village_name(&mut self, used: &mut HashSet<String>, city_level: bool) -> String {
        for _ in 0..50 {
            let name = if city_level || self.rng.gen_bool(0.25) {
                let a = COMMUNITIES.choose(&mut self.rng).expect("list");
                let n = self.rng.gen_range(1..=9);
                if n == 1 {
                    format!("{a}社区党支部")
                } else {
                    format!("{a}{}社区党支部", cn(n))
                }
            } else {
                format!("{}村党支部", two_chars(&mut self.rng, VILLAGE_1, VILLAGE_2))
            };
            if used.insert(name.clone()) {
                return name;
            }
        }
        self.child_name(&[], used, "村党支部")
    }

    /// A 基层党委 with its 党总支 and branches.
    fn grassroots(&mut self, parent: usize, place: &str, city_level: bool, g: &Grassroots) {
        let (unit_name, flavor) = self.unit_name(place, city_level);
        let suffix = match flavor {
            Flavor::Agency => "机关党委",
            Flavor::Town if city_level => "党工委",
            _ => "党委",
        };
        let name = format!("{unit_name}{suffix}");
        let unit = self.unit(unit_name, flavor);
        let committee = self.inner(Some(parent), OrgKind::Committee, name, unit);
        let mut used = HashSet::new();
        for &n in &g.general {
            let name = self.child_name(flavor.general_branches(), &mut used, "党总支");
            let gb = self.inner(Some(committee), OrgKind::GeneralBranch, name, unit);
            for i in 1..=n {
                let village = flavor == Flavor::Town && self.rng.gen_bool(0.8);
                let name = if village {
                    self.village_name(&mut used, city_level)
                } else {
                    format!("第{}党支部", cn(i))
                };
                self.branch(gb, name, unit, village);
            }
        }
        for _ in 0..g.direct {
            let village = flavor == Flavor::Town && self.rng.gen_bool(0.9);
            let name = if village {
                self.village_name(&mut used, city_level)
            } else {
                self.child_name(flavor.branches(), &mut used, "党支部")
            };
            self.branch(committee, name, unit, village);
        }
    }
}

fn two_chars_pair(rng: &mut StdRng, pairs: &str) -> String {
    // `pairs` holds two-character words back to back.
    let chars: Vec<char> = pairs.chars().collect();
    let i = rng.gen_range(0..chars.len() / 2) * 2;
    chars[i..i + 2].iter().collect()
}

/// Draws `weights.len()`-way counts summing to `n`, proportional to `weights`.
fn spread(rng: &mut StdRng, n: usize, weights: &[f64]) -> Vec<usize> {
    let mut cumulative = Vec::with_capacity(weights.len());
    let mut total = 0.0;
    for w in weights {
        total += w;
        cumulative.push(total);
    }
    let mut out = vec![0; weights.len()];
    for _ in 0..n {
        let x = rng.gen::<f64>() * total;
        let i = cumulative.partition_point(|&c| c <= x).min(out.len() - 1);
        out[i] += 1;
    }
    out
}

fn plan(shape: &Shape, seed: u64) -> Planner {
    let mut rng = StdRng::seed_from_u64(seed);
    // National proportions of 基层党委 : 总支 : 支部.
    let committees = (shape.orgs * 306 + 2625) / 5250;
    let generals = (shape.orgs * 330 + 2625) / 5250;
    let branches = shape.orgs - committees - generals;
    let places = shape.cities * (1 + shape.counties);
    let grassroots_n = committees.saturating_sub(places).max(1);

    // 基层党委 per place (a city itself, or one of its counties): every county gets one, a
    // quarter of the rest are city-level (市直), the others spread over the counties.
    let mut per_place = vec![0usize; places];
    let mut left = grassroots_n;
    for c in 0..shape.cities {
        for k in 1..=shape.counties {
            if left > 0 {
                per_place[c * (1 + shape.counties) + k] += 1;
                left -= 1;
            }
        }
    }
    for _ in 0..left {
        let c = rng.gen_range(0..shape.cities);
        let k = if shape.counties == 0 || rng.gen_bool(0.25) {
            0
        } else {
            rng.gen_range(1..=shape.counties)
        };
        per_place[c * (1 + shape.counties) + k] += 1;
    }

    // 党总支 per 基层党委 (heavy-tailed: big units have several), 2–7 branches each; the rest
    // of the branches directly under the 基层党委, at least one each.
    let weights: Vec<f64> = (0..grassroots_n)
        .map(|_| 0.3 + 5.0 * rng.gen::<f64>().powi(3))
        .collect();
    let generals_of = spread(&mut rng, generals, &weights);
    let mut under_general: Vec<usize> = (0..generals).map(|_| rng.gen_range(2..=7)).collect();
    let budget = branches.saturating_sub(grassroots_n);
    let mut sum: usize = under_general.iter().sum();
    let mut i = 0;
    while sum > budget && under_general.iter().any(|&n| n > 1) {
        if under_general[i] > 1 {
            under_general[i] -= 1;
            sum -= 1;
        }
        i = (i + 1) % under_general.len();
    }
    let direct_extra = spread(
        &mut rng,
        branches.saturating_sub(grassroots_n + sum),
        &weights,
    );
    let mut next_general = 0;
    let subtrees: Vec<Grassroots> = (0..grassroots_n)
        .map(|j| {
            let general = under_general[next_general..next_general + generals_of[j]].to_vec();
            next_general += generals_of[j];
            Grassroots {
                general,
                direct: 1 + direct_extra[j],
            }
        })
        .collect();

    let mut p = Planner {
        rng,
        nodes: Vec::with_capacity(shape.orgs),
        units: Vec::new(),
        unit_names: HashSet::new(),
        mean_size: shape.members as f64 / branches.max(1) as f64,
    };
    let mut next = subtrees.iter();
    let mut county_names: Vec<&str> = COUNTIES.to_vec();
    for c in 0..shape.cities {
        let city = match CITIES.get(c) {
            Some(n) => format!("{n}市"),
            None => format!("第{}市", cn(c + 1)),
        };
        county_names.shuffle(&mut p.rng);
        let (root_name, root_unit) = if shape.counties == 0 {
            let county = format!("{city}{}", county_names[0]);
            (format!("{}委", county_names[0]), county)
        } else {
            (format!("{city}委"), city.clone())
        };
        let unit = p.unit(root_unit.clone(), Flavor::Agency);
        let root = p.inner(None, OrgKind::Committee, root_name, unit);
        let place = if shape.counties == 0 {
            county_names[0]
        } else {
            city.as_str()
        };
        let place = place.to_string();
        for _ in 0..per_place[c * (1 + shape.counties)] {
            let g = next.next().expect("one plan per 基层党委");
            p.grassroots(root, &place, shape.counties > 0, g);
        }
        for k in 1..=shape.counties {
            let county = county_names
                .get(k - 1)
                .map_or_else(|| format!("第{}县", cn(k)), |s| s.to_string());
            let unit = p.unit(format!("{city}{county}"), Flavor::Agency);
            let cnode = p.inner(Some(root), OrgKind::Committee, format!("{county}委"), unit);
            let place = format!("{city}{county}");
            for _ in 0..per_place[c * (1 + shape.counties) + k] {
                let g = next.next().expect("one plan per 基层党委");
                p.grassroots(cnode, &place, false, g);
            }
        }
    }
    p
}

// ---------------------------------------------------------------------------------------------
// Members, generated on a blocking thread while the previous batch is written.

/// Members generated per batch, one INSERT's worth.
const MEMBER_BATCH: usize = MemberRow::PER_INSERT;

struct BranchRef {
    org_id: i64,
    flavor: Flavor,
    counts: [u32; 4],
    term_start: Date,
}

struct MemberGen {
    rng: StdRng,
    crypto: Crypto,
    names: NamePool,
    branches: Vec<BranchRef>,
    /// Current branch and the index of the next member in it.
    at: (usize, u32),
    next_id: i64,
    seats: Vec<SeatRow>,
}

/// Full members joined before this (a year's probation ends by the reference date).
const LAST_FULL_JOIN: Date = match Date::from_ymd_opt(2025, 10, 31) {
    Some(d) => d,
    None => panic!("valid date"),
};

/// Region part of generated ID numbers: 310000 + id / 500, never the demo's 6501xx.
const REGION_BASE: i64 = 310_000;
const MAX_MEMBER_ID: i64 = (650_000 - REGION_BASE) * 500;

impl MemberGen {
    fn batch(&mut self, max: usize) -> Vec<MemberRow> {
        let mut out = Vec::with_capacity(max);
        while out.len() < max && self.at.0 < self.branches.len() {
            let b = &self.branches[self.at.0];
            let total: u32 = b.counts.iter().sum();
            if self.at.1 >= total {
                self.at = (self.at.0 + 1, 0);
                continue;
            }
            let (i, mi) = self.at;
            self.at.1 += 1;
            let row = self.member(i, mi);
            out.push(row);
        }
        out
    }

    fn member(&mut self, branch: usize, mi: u32) -> MemberRow {
        let b = &self.branches[branch];
        let [full, prob, other, _] = b.counts;
        let (org_id, flavor, term_start) = (b.org_id, b.flavor, b.term_start);
        // In order: full, probationary, others, transferred out (full members who left).
        let slot = if mi < full {
            0
        } else if mi < full + prob {
            1
        } else if mi < full + prob + other {
            2
        } else {
            3
        };
        let id = self.next_id;
        self.next_id += 1;
        let r = &mut self.rng;
        let gender = if r.gen_bool(flavor.female_share()) {
            Gender::Female
        } else {
            Gender::Male
        };
        let name = self.names.name(r, gender);
        let retired = matches!(slot, 0 | 3) && r.gen_bool(0.12);
        let birth = match slot {
            _ if retired => date_between(r, d(1940, 1, 1), d(1965, 12, 31)),
            0 | 3 => date_between(r, d(1966, 1, 1), d(2000, 12, 31)),
            1 => date_between(r, d(1990, 1, 1), d(2004, 6, 30)),
            _ => date_between(r, d(1995, 1, 1), d(2006, 6, 30)),
        };
        let (status, joined, full_on) = match slot {
            0 | 3 => {
                let joined = join_date(r, birth, 20, LAST_FULL_JOIN);
                ("full", Some(joined), Some(add_years(joined, 1)))
            }
            1 => (
                "probationary",
                Some(date_between(r, d(2025, 12, 1), d(2026, 10, 31))),
                None,
            ),
            _ => (
                ["activist", "activist", "candidate", "applicant"][r.gen_range(0..4)],
                None,
                None,
            ),
        };
        let (depts, posts) = flavor.work();
        let (department, post) = if retired {
            (None, Some("退休"))
        } else {
            let p = r.gen_range(0..posts.len()).min(r.gen_range(0..posts.len()));
            (Some(depts[r.gen_range(0..depts.len())]), Some(posts[p]))
        };
        let (active, left_on) = if slot == 3 {
            let from = full_on.unwrap_or(d(2023, 1, 1)).max(d(2023, 1, 1));
            (0, Some(date_between(r, from, d(2026, 11, 20)).to_string()))
        } else {
            (1, None)
        };
        let since = term_start.to_string();
        let party_duty = match mi {
            0 if full >= 1 => {
                self.seats.push(SeatRow {
                    org_id,
                    member_id: id,
                    role: "secretary",
                    duty: "主持全面工作",
                    since,
                });
                Some("党支部书记")
            }
            1 | 2 if full >= 7 => {
                let duty = if mi == 1 {
                    "组织委员"
                } else {
                    "宣传委员"
                };
                self.seats.push(SeatRow {
                    org_id,
                    member_id: id,
                    role: "member",
                    duty,
                    since,
                });
                Some(duty)
            }
            _ => None,
        };
        // Unique by construction: the member id decides the region code and the sequence
        // (its parity is the gender), the random birth date only adds realism.
        let region = (REGION_BASE + id / 500).to_string();
        let seq = (id % 500) as u16 * 2 + u16::from(gender == Gender::Male);
        let id_number = IdNumber::generate(&region, birth, seq);
        // A bijection of the id onto 9 digits keeps phones unique without looking sequential.
        let phone = format!("19{:09}", (id * 7_654_321 + 123_456_789) % 1_000_000_000);
        let c = &self.crypto;
        MemberRow {
            id,
            org_id,
            name,
            gender: gender.code(),
            birth_date: birth.to_string(),
            id_enc: c.seal(id_number.as_str()),
            id_bidx: c.blind_index("id", id_number.as_str()),
            phone_enc: c.seal(&phone),
            phone_bidx: c.blind_index("phone", &phone),
            status,
            joined_on: joined.map(|d| d.to_string()),
            full_on: full_on.map(|d| d.to_string()),
            department,
            post,
            party_duty,
            active,
            left_on,
        }
    }
}

/// Generates a synthetic province (or county) and adds it to the database, beside whatever
/// is there. `progress(done, total)` is called after every batch; units are organizations
/// plus members.
pub async fn generate(
    store: &Store,
    opts: &GenOptions,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> StoreResult<GenSummary> {
    let started = Instant::now();
    let shape = opts.preset.shape();
    // Planning is pure and takes a moment at provincial scale: keep it off the async threads.
    let seed = opts.seed;
    let planner = tokio::task::spawn_blocking(move || plan(&shape, seed))
        .await
        .map_err(|e| StoreError::Key(format!("生成计划失败：{e}")))?;
    let Planner {
        rng, nodes, units, ..
    } = planner;
    let members_total: u64 = nodes
        .iter()
        .map(|n| n.counts.iter().map(|&c| u64::from(c)).sum::<u64>())
        .sum();
    let total = nodes.len() as u64 + members_total;

    let mut w = store.bulk_tree_writer().await?;
    let (org_base, member_base) = w.max_tree_ids().await?;
    if member_base + members_total as i64 >= MAX_MEMBER_ID {
        return Err(StoreError::field(
            "gen",
            "党员编号已超出合成数据可用的范围，请在新数据库中生成",
        ));
    }
    let mut done = 0u64;
    progress(done, total);

    // 1. Organizations, parents first, with their paths and member counters.
    let ids: Vec<i64> = (0..nodes.len()).map(|i| org_base + 1 + i as i64).collect();
    let mut paths: Vec<String> = Vec::with_capacity(nodes.len());
    for (i, n) in nodes.iter().enumerate() {
        let parent = n.parent.map(|p| paths[p].as_str());
        let path = child_path(parent, ids[i]);
        paths.push(path);
    }
    let texts: Vec<[String; 2]> = nodes
        .iter()
        .map(|n| [n.founded.to_string(), n.term_start.to_string()])
        .collect();
    w.begin().await?;
    for start in (0..nodes.len()).step_by(OrgRow::PER_INSERT) {
        let end = (start + OrgRow::PER_INSERT).min(nodes.len());
        let rows: Vec<OrgRow> = (start..end)
            .map(|i| {
                let n = &nodes[i];
                let unit = &units[n.unit];
                OrgRow {
                    id: ids[i],
                    parent_id: n.parent.map(|p| ids[p]),
                    path: &paths[i],
                    kind: n.kind,
                    name: &n.name,
                    unit_name: &unit.name,
                    unit_kind: unit.flavor.unit_kind(),
                    founded_on: &texts[i][0],
                    term_start: &texts[i][1],
                    term_years: n.term_years,
                    full_count: n.counts[0],
                    probationary_count: n.counts[1],
                    other_count: n.counts[2],
                }
            })
            .collect();
        w.insert(&rows).await?;
        done += (end - start) as u64;
        progress(done, total);
    }
    w.commit().await?;

    // 2. Members, branch by branch, generated one batch ahead of the writes.
    let branches: Vec<BranchRef> = nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| n.kind == OrgKind::Branch)
        .map(|(i, n)| BranchRef {
            org_id: ids[i],
            flavor: units[n.unit].flavor,
            counts: n.counts,
            term_start: n.term_start,
        })
        .collect();
    let org_count = nodes.len() as u64;
    let (first_org, last_org) = (org_base + 1, org_base + org_count as i64);
    drop((nodes, paths, texts, units, ids));
    let mut gen = MemberGen {
        rng,
        crypto: store.crypto().clone(),
        names: NamePool::new(),
        branches,
        at: (0, 0),
        next_id: member_base + 1,
        seats: Vec::new(),
    };
    let next_batch = |mut g: MemberGen| {
        tokio::task::spawn_blocking(move || {
            let rows = g.batch(MEMBER_BATCH);
            (g, rows)
        })
    };
    let joined = |e: tokio::task::JoinError| StoreError::Key(format!("生成党员数据失败：{e}"));
    let mut pending = next_batch(gen);
    w.begin().await?;
    loop {
        let (g, rows) = pending.await.map_err(joined)?;
        if rows.is_empty() {
            gen = g;
            break;
        }
        pending = next_batch(g);
        w.insert(&rows).await?;
        done += rows.len() as u64;
        progress(done, total);
    }
    w.commit().await?;
    let members_written = (gen.next_id - member_base - 1) as u64;

    // 3. Committee seats: a secretary per branch, two more members where 7+ are full.
    w.begin().await?;
    for chunk in gen.seats.chunks(SeatRow::PER_INSERT) {
        w.insert(chunk).await?;
    }
    w.commit().await?;
    w.finish().await?;

    let millis = started.elapsed().as_millis();
    let detail = format!(
        "合成数据（{}，种子 {}）：党组织 {} 个（编号 {}–{}），党员 {} 名（编号 {}–{}），\
         委员会任职 {} 条，用时 {:.1} 秒",
        opts.preset.label(),
        opts.seed,
        org_count,
        first_org,
        last_org,
        members_written,
        member_base + 1,
        member_base + members_written as i64,
        gen.seats.len(),
        millis as f64 / 1000.0
    );
    store
        .audit_event(
            &Actor::system("合成数据"),
            "write",
            &format!("gen:{}", opts.preset.code()),
            "ok",
            &detail,
        )
        .await;
    Ok(GenSummary {
        orgs: org_count,
        members: members_written,
        millis,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_numerals() {
        let got: Vec<String> = [1, 10, 11, 20, 21, 99, 100].map(cn).to_vec();
        assert_eq!(got, ["一", "十", "十一", "二十", "二十一", "九十九", "100"]);
    }

    #[test]
    fn plans_follow_national_proportions() {
        for preset in Preset::ALL {
            let shape = preset.shape();
            let p = plan(&shape, 7);
            assert_eq!(p.nodes.len(), shape.orgs, "{preset:?}");
            let count = |k: OrgKind| p.nodes.iter().filter(|n| n.kind == k).count();
            let (c, g, b) = (
                count(OrgKind::Committee),
                count(OrgKind::GeneralBranch),
                count(OrgKind::Branch),
            );
            assert!((c as f64 / shape.orgs as f64 - 306.0 / 5250.0).abs() < 0.01);
            assert!((g as f64 / shape.orgs as f64 - 330.0 / 5250.0).abs() < 0.01);
            assert_eq!(c + g + b, shape.orgs);
            for (i, n) in p.nodes.iter().enumerate() {
                if let Some(parent) = n.parent {
                    assert!(parent < i, "parents come first");
                    assert!(p.nodes[parent].kind.may_contain(n.kind));
                }
                let size: u32 = n.counts.iter().sum();
                assert!(n.kind != OrgKind::Branch || (5..=45).contains(&size));
            }
            if preset != Preset::Province {
                let members: u32 = p.nodes.iter().flat_map(|n| n.counts).sum();
                let ratio = f64::from(members) / shape.members as f64;
                assert!((0.95..1.05).contains(&ratio), "{preset:?}: {members}");
            }
        }
    }

    #[test]
    fn generated_people_are_valid_and_unique() {
        let mut g = MemberGen {
            rng: StdRng::seed_from_u64(1),
            crypto: Crypto::from_master(&[1; 32]),
            names: NamePool::new(),
            branches: vec![BranchRef {
                org_id: 1,
                flavor: Flavor::School,
                counts: [800, 100, 80, 20],
                term_start: d(2025, 1, 1),
            }],
            at: (0, 0),
            next_id: 499_000,
            seats: Vec::new(),
        };
        let rows = g.batch(2000);
        assert_eq!(rows.len(), 1000);
        let mut ids = HashSet::new();
        for m in &rows {
            let id = IdNumber::parse(&g.crypto.open(&m.id_enc).unwrap()).unwrap();
            assert_eq!(id.birth_date().to_string(), m.birth_date);
            assert_eq!(id.gender().code(), m.gender);
            assert!(!id.as_str().starts_with("6501"));
            assert!(ids.insert(id.as_str().to_string()));
            let phone = g.crypto.open(&m.phone_enc).unwrap();
            assert!(ronghe_core::phone::Phone::parse(&phone)
                .unwrap()
                .is_mobile());
            if let Some(j) = &m.joined_on {
                let j: Date = j.parse().unwrap();
                assert!(j >= add_years(id.birth_date(), 18));
            }
        }
        assert_eq!(g.seats.len(), 3);
        assert_eq!(rows.iter().filter(|m| m.active == 0).count(), 20);
    }
}
