//! A synthetic year of plans, tasks and organizational life (`ronghe gen --year`), for load
//! tests on top of the tree [`crate::gen`] writes.
//!
//! Every 党支部, 党总支 and 党委 without a plan for the year gets one (so the demo's own
//! plans, and a year generated before, are left alone). Proportions:
//!
//! - a plan per organization: 执行中 mostly, about one in ten 已部署 and a few 草稿 (a past
//!   year is 已总结); 3–6 business goals drawn from the unit's kind of work (about 30% key,
//!   weight 2), each with one KPI; a branch's goal aligns to its parent's goal of the same
//!   theme about half the time;
//! - monthly KPI actuals for every finished month of the year (a year-to-date count has
//!   baseline 0 and its annual target; a rate or a duration moves from its baseline towards
//!   its target), about a quarter pushed by business systems (来源“接口”), and about one KPI
//!   in twelve still waiting for last month's value;
//! - 2–5 Party work items, about 85% linked to one or two goals with a junction point, the
//!   rest orphans (未找到结合点); 3–8 tasks from items and goals, with deadlines through the
//!   year, done, under way, overdue or cancelled as of the date, and a progress report on
//!   each that moved;
//! - for each 党支部, its meetings up to the date: a 党员大会 each quarter, a 支委会 each
//!   month where there is a committee (3 or more seats), a 主题党日 each month on a fixed day,
//!   1–4 党课, the 组织生活会 and 民主评议党员 in the fourth quarter, 1–2 谈心谈话; about one
//!   branch in ten has gaps (missed 主题党日, a missing or inquorate 党员大会, a missed 支委会,
//!   no 党课); about 60% of meetings serve a goal of the branch's or its parent's plan.
//!
//! Attendance: `entitled`, `present` and `quorum_met` are stored on every meeting (quorum as
//! core's [`quorum`] computes it), but `meeting_people` holds only the absentees with their
//! reasons (and both people of a 谈心谈话), not every attendee: storing each of some 20
//! attendees of 4 million meetings would be 80 million rows for nothing the pages need at
//! this scale. A generated meeting's page therefore lists its absentees and counts.
//!
//! Rows are written in bulk like [`crate::gen`]: explicit ids above the current maxima,
//! multi-row INSERTs (`?` placeholders on SQLite, `$N` on PostgreSQL), large transactions, one
//! audit-log entry. On SQLite the connection used turns foreign-key checks off while it
//! writes (the ids are consistent by construction and the tests run `PRAGMA
//! foreign_key_check`); PostgreSQL checks them as usual. Nothing else may write while it runs.

use crate::error::{StoreError, StoreResult};
use crate::{Actor, Backend, Store};
use chrono::Datelike;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use ronghe_core::meeting::{quorum, MeetingKind};
use ronghe_core::Date;
use serde::Serialize;
use sqlx::any::AnyArguments;
use sqlx::query::Query;
use sqlx::{Any, AnyConnection};
use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::time::Instant;

/// What [`generate_year`] wrote.
#[derive(Debug, Clone, Default, Serialize)]
pub struct YearSummary {
    pub year: i32,
    pub plans: u64,
    pub goals: u64,
    pub kpi_values: u64,
    pub items: u64,
    pub links: u64,
    pub tasks: u64,
    pub task_updates: u64,
    pub meetings: u64,
    /// Absentees (and 谈心谈话 participants) recorded.
    pub meeting_people: u64,
    pub meeting_goals: u64,
    pub millis: u128,
}

// ---------------------------------------------------------------------------------------------
// What each kind of unit works on.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flavor {
    Agency,
    /// Towns, streets, villages and communities.
    Village,
    School,
    Research,
    Enterprise,
    /// Hospitals and other public institutions.
    Public,
}

fn flavor(unit_kind: &str, name: &str) -> Flavor {
    match unit_kind {
        "school" => Flavor::School,
        "research" => Flavor::Research,
        "enterprise" => Flavor::Enterprise,
        "other" => Flavor::Public,
        _ if [
            "村党支部",
            "社区党支部",
            "镇党委",
            "街道党工委",
            "片区党总支",
        ]
        .iter()
        .any(|s| name.ends_with(s)) =>
        {
            Flavor::Village
        }
        _ => Flavor::Agency,
    }
}

/// How a KPI's actual values behave.
#[derive(Clone, Copy)]
enum Model {
    /// A count over the year: baseline 0, an annual target in the range, cumulative values.
    Count(f64, f64),
    /// A percentage, higher better: baseline in the first range, gain in the second.
    Rate((f64, f64), (f64, f64)),
    /// A level, lower better: baseline, cut, decimals.
    Less((f64, f64), (f64, f64), i32),
    /// Events that should not happen: 0 → 0, lower better.
    Zero,
}

struct GoalT {
    title: &'static str,
    dept: &'static str,
    by: &'static str,
    kpi: &'static str,
    unit: &'static str,
    model: Model,
}

const fn g(
    title: &'static str,
    dept: &'static str,
    by: &'static str,
    kpi: &'static str,
    unit: &'static str,
    model: Model,
) -> GoalT {
    GoalT {
        title,
        dept,
        by,
        kpi,
        unit,
        model,
    }
}

use Model::{Count, Less, Rate, Zero};

#[rustfmt::skip]
const AGENCY_GOALS: &[GoalT] = &[
    g("政务服务提速", "办公室", "分管负责人", "行政审批平均办理时限", "工作日", Less((5.0, 10.0), (1.0, 3.0), 1)),
    g("依法行政水平提升", "政策法规科", "政策法规科科长", "行政执法案卷合格率", "%", Rate((88.0, 95.0), (2.0, 4.0))),
    g("重点项目推进", "综合科", "综合科科长", "重点项目完成", "项", Count(8.0, 30.0)),
    g("督查督办落实", "办公室", "办公室主任", "督办事项按时办结率", "%", Rate((92.0, 97.0), (1.0, 2.5))),
    g("群众诉求办理", "业务一科", "业务一科科长", "群众诉求按时办结率", "%", Rate((90.0, 96.0), (1.5, 3.5))),
    g("执法检查全覆盖", "执法大队", "执法大队队长", "执法检查", "次", Count(60.0, 300.0)),
    g("预算执行进度", "财务科", "财务科科长", "预算执行率", "%", Rate((85.0, 92.0), (3.0, 6.0))),
];

#[rustfmt::skip]
const VILLAGE_GOALS: &[GoalT] = &[
    g("村集体经济增收", "村集体经济合作社", "村委会主任", "村集体经济收入", "万元", Count(10.0, 120.0)),
    g("人居环境整治", "村民委员会", "村委会主任", "人居环境整治达标户比例", "%", Rate((70.0, 85.0), (5.0, 10.0))),
    g("矛盾纠纷就地化解", "村民委员会", "调解委员会主任", "矛盾纠纷化解率", "%", Rate((90.0, 96.0), (1.5, 3.0))),
    g("网格化服务", "居民委员会", "网格长", "网格走访", "户次", Count(800.0, 5000.0)),
    g("安全生产和防灾减灾", "镇政府", "包村干部", "安全生产事故", "起", Zero),
    g("民生实事办理", "村民委员会", "村委会主任", "民生实事完成", "件", Count(5.0, 20.0)),
];

#[rustfmt::skip]
const SCHOOL_GOALS: &[GoalT] = &[
    g("教学质量提升", "教务处", "教务处主任", "学业水平考试合格率", "%", Rate((88.0, 95.0), (1.0, 3.5))),
    g("升学质量", "教务处", "分管副校长", "升学率", "%", Rate((80.0, 94.0), (1.0, 3.0))),
    g("师德师风建设", "德育处", "分管副校长", "师德失范事件", "起", Zero),
    g("立德树人：德育活动全覆盖", "德育处", "德育处主任", "德育活动覆盖率", "%", Rate((85.0, 95.0), (3.0, 5.0))),
    g("青年教师成长", "教务处", "教务处主任", "青年教师公开课", "节", Count(20.0, 80.0)),
    g("校园安全", "总务处", "总务处主任", "校园安全责任事故", "起", Zero),
    g("学生体质健康", "体育组", "体育组长", "学生体质健康达标率", "%", Rate((85.0, 92.0), (2.0, 4.0))),
];

#[rustfmt::skip]
const RESEARCH_GOALS: &[GoalT] = &[
    g("检定检测能力提升", "检测中心", "检测中心主任", "检定检测任务量", "台件", Count(3000.0, 40000.0)),
    g("科研项目立项", "科研管理部", "科研管理部主任", "科研项目立项", "项", Count(2.0, 8.0)),
    g("科技成果产出", "研究室", "研究室主任", "发表论文", "篇", Count(4.0, 20.0)),
    g("质量体系有效运行", "质量管理部", "质量负责人", "内审不符合项", "项", Less((6.0, 12.0), (3.0, 5.0), 0)),
    g("服务企业", "检测中心", "检测中心主任", "服务企业", "家次", Count(100.0, 800.0)),
    g("检测报告提速", "检测中心", "技术负责人", "报告平均出具时间", "工作日", Less((5.0, 8.0), (1.0, 2.0), 1)),
];

#[rustfmt::skip]
const ENTERPRISE_GOALS: &[GoalT] = &[
    g("工业产值", "生产部", "生产部经理", "工业产值", "万元", Count(5000.0, 80000.0)),
    g("安全生产", "安全环保部", "安全总监", "安全生产事故", "起", Zero),
    g("产品质量", "技术部", "质量部长", "产品一次交验合格率", "%", Rate((95.0, 98.5), (0.5, 1.5))),
    g("技术创新", "技术部", "总工程师", "新产品和技改项目", "项", Count(3.0, 12.0)),
    g("市场开拓", "销售部", "销售部经理", "销售收入", "万元", Count(3000.0, 60000.0)),
    g("节能降耗", "财务部", "财务部经理", "万元产值能耗", "吨标准煤", Less((0.3, 0.8), (0.02, 0.06), 2)),
];

#[rustfmt::skip]
const PUBLIC_GOALS: &[GoalT] = &[
    g("医疗服务满意度", "医务科", "院长办公会", "患者满意度", "%", Rate((88.0, 94.0), (2.0, 4.0))),
    g("缩短平均住院日", "医务科", "医务科科长", "平均住院日", "天", Less((7.0, 10.0), (0.5, 1.2), 1)),
    g("门急诊服务", "医务科", "医务科科长", "门急诊人次", "人次", Count(30000.0, 400000.0)),
    g("护理质量", "护理部", "护理部主任", "护理质量合格率", "%", Rate((92.0, 97.0), (1.0, 2.0))),
    g("合理用药", "药剂科", "药剂科主任", "处方合格率", "%", Rate((93.0, 97.0), (1.0, 2.0))),
    g("医疗安全", "医务科", "院长办公会", "重大医疗纠纷", "起", Zero),
];

/// (item kind code, title, description)
type ItemT = (&'static str, &'static str, &'static str);

const COMMON_ITEMS: &[ItemT] = &[
    (
        "theme_day",
        "主题党日：结合中心工作开展实践",
        "每月主题党日结合本单位中心工作确定主题",
    ),
    (
        "party_lecture",
        "书记讲党课",
        "书记结合本单位中心工作讲党课",
    ),
    (
        "topic_study",
        "专题学习：党的创新理论",
        "集中学习，联系业务工作交流体会",
    ),
];

#[rustfmt::skip]
const AGENCY_ITEMS: &[ItemT] = &[
    ("pioneer_post", "党员先锋岗（政务服务窗口）", "窗口党员亮身份、作承诺"),
    ("responsibility_zone", "党员责任区（执法片区）", "党员分片负责执法检查"),
    ("other", "廉政风险防控", "排查岗位廉政风险点，定期复查"),
    ("pairing", "结对帮扶：老党员带新同志", "业务骨干与新同志结对"),
];
#[rustfmt::skip]
const VILLAGE_ITEMS: &[ItemT] = &[
    ("responsibility_zone", "党员责任区（网格）", "党员联系网格内群众"),
    ("pioneer_post", "党员先锋岗（乡村振兴）", "党员带头发展产业"),
    ("pairing", "结对帮扶：党员联系困难户", "每名党员联系 1–3 户困难群众"),
    ("other", "党员志愿服务队", "党员带头参加环境整治和应急服务"),
];
#[rustfmt::skip]
const SCHOOL_ITEMS: &[ItemT] = &[
    ("model_post", "党员示范岗（教学一线）", "党员教师在教学一线作示范"),
    ("responsibility_zone", "党员责任区（班级）", "党员教师联系班级，负责学困生帮扶和家校沟通"),
    ("pairing", "结对帮扶（青年教师）", "党员骨干教师与青年教师师徒结对"),
    ("other", "师德师风承诺践诺", "党员教师签订师德承诺书，接受监督"),
];
#[rustfmt::skip]
const RESEARCH_ITEMS: &[ItemT] = &[
    ("pioneer_post", "党员先锋岗（检定检测）", "党员带头承担急难检测任务"),
    ("task_force", "党员突击队（科研攻关）", "党员骨干组成突击队攻关重点课题"),
    ("responsibility_zone", "党员责任区（实验室）", "党员负责实验室环境、设备和安全"),
    ("pairing", "结对帮扶（青年科研人员）", "老党员专家指导青年科研人员"),
];
#[rustfmt::skip]
const ENTERPRISE_ITEMS: &[ItemT] = &[
    ("pioneer_post", "党员先锋岗（生产一线）", "党员在生产一线带头攻坚"),
    ("task_force", "党员突击队（技术攻关）", "党员技术骨干攻关生产难题"),
    ("responsibility_zone", "党员责任区（安全生产）", "党员分片负责安全隐患排查"),
    ("model_post", "党员示范岗（质量标兵）", "党员争当质量标兵"),
];
#[rustfmt::skip]
const PUBLIC_ITEMS: &[ItemT] = &[
    ("model_post", "党员示范岗（医疗服务）", "党员医护人员亮身份、优服务"),
    ("pioneer_post", "党员先锋岗（急诊急救）", "党员带头承担急诊急救任务"),
    ("responsibility_zone", "党员责任区（病区）", "党员分片负责病区质量和安全"),
    ("other", "党员志愿服务（义诊）", "党员医生定期进社区义诊"),
];

/// The junction phrase of an item kind; the goal's title follows it.
fn junction_phrase(kind: &str) -> &'static str {
    match kind {
        "pioneer_post" => "先锋岗党员带头承担重点任务",
        "responsibility_zone" => "责任区党员分片包干、跟踪落实",
        "model_post" => "示范岗党员发挥示范带动作用",
        "task_force" => "突击队党员集中攻坚",
        "theme_day" => "主题党日结合该项工作开展实践",
        "party_lecture" => "党课联系该项工作讲责任担当",
        "topic_study" => "专题学习联系该项工作查找差距",
        "pairing" => "结对帮扶提升骨干能力",
        _ => "党员带头参与并监督落实",
    }
}

/// Link kinds an item kind usually has, the first most often.
fn link_kinds(kind: &str) -> [&'static str; 2] {
    match kind {
        "pioneer_post" | "responsibility_zone" | "model_post" | "task_force" | "pairing" => {
            ["direct_boost", "support"]
        }
        "other" => ["supervision", "support"],
        _ => ["support", "supervision"],
    }
}

struct FlavorText {
    goals: &'static [GoalT],
    items: &'static [ItemT],
    tasks: &'static [&'static str],
    partners: &'static [&'static str],
    activities: &'static [&'static str],
    reasons: &'static [&'static str],
}

#[rustfmt::skip]
fn text(f: Flavor) -> &'static FlavorText {
    const AGENCY: FlavorText = FlavorText {
        goals: AGENCY_GOALS,
        items: AGENCY_ITEMS,
        tasks: &["梳理即办事项清单", "开展执法案卷评查", "重点项目季度调度", "督办事项清零", "窗口作风评议", "廉政风险点排查", "群众诉求回访", "年度工作总结"],
        partners: &["办公室负责人", "业务一科负责人", "执法大队负责人", "政策法规科负责人"],
        activities: &["岗位实践", "政策宣讲", "走访服务对象", "窗口服务体验"],
        reasons: &["出差", "执法检查", "外出培训", "病假", "事假"],
    };
    const VILLAGE: FlavorText = FlavorText {
        goals: VILLAGE_GOALS,
        items: VILLAGE_ITEMS,
        tasks: &["入户走访困难群众", "人居环境集中整治", "集体经济项目推进", "矛盾纠纷排查化解", "网格信息更新", "党员志愿服务活动", "防汛安全检查", "民生实事进度调度"],
        partners: &["村委会主任", "村会计", "网格长", "包村干部"],
        activities: &["志愿服务", "入户走访", "环境整治", "政策宣讲"],
        reasons: &["外出务工", "生病住院", "农忙", "年老体弱", "事假"],
    };
    const SCHOOL: FlavorText = FlavorText {
        goals: SCHOOL_GOALS,
        items: SCHOOL_ITEMS,
        tasks: &["学困生帮扶台账", "青年教师汇报课", "期中质量分析", "德育主题活动", "师德承诺书签订", "校园安全排查", "家访活动", "教研组公开课"],
        partners: &["教务处主任", "德育处主任", "年级组长", "总务处主任"],
        activities: &["教学观摩", "德育实践", "家访", "志愿服务"],
        reasons: &["监考", "带学生参加活动", "外出培训", "病假", "事假"],
    };
    const RESEARCH: FlavorText = FlavorText {
        goals: RESEARCH_GOALS,
        items: RESEARCH_ITEMS,
        tasks: &["季度检定任务调度", "计量标准复查", "科研项目申报", "实验室期间核查", "能力验证", "走进企业送服务", "内审不符合项整改", "论文投稿"],
        partners: &["检测中心主任", "科研管理部主任", "质量负责人", "研究室主任"],
        activities: &["走进企业", "开放实验室", "技术交流", "质量自查"],
        reasons: &["出差（外地现场检定）", "参加能力验证比对", "外出培训", "病假", "事假"],
    };
    const ENTERPRISE: FlavorText = FlavorText {
        goals: ENTERPRISE_GOALS,
        items: ENTERPRISE_ITEMS,
        tasks: &["安全隐患排查整治", "技术攻关项目推进", "质量问题整改", "节能降耗改造", "重点客户走访", "班组安全培训", "设备检修", "成本分析"],
        partners: &["生产部经理", "安全环保部经理", "技术部经理", "车间主任"],
        activities: &["技术比武", "安全检查", "质量攻关", "岗位练兵"],
        reasons: &["倒班", "出差", "外出培训", "病假", "事假"],
    };
    const PUBLIC: FlavorText = FlavorText {
        goals: PUBLIC_GOALS,
        items: PUBLIC_ITEMS,
        tasks: &["病历质量检查", "急诊流程优化", "护理质量督查", "处方点评", "义诊进社区", "医疗安全培训", "患者回访", "院感防控检查"],
        partners: &["医务科科长", "护理部主任", "科室主任", "药剂科主任"],
        activities: &["义诊服务", "健康宣教", "医疗质量自查", "志愿服务"],
        reasons: &["值班", "手术", "外出培训", "病假", "事假"],
    };
    match f {
        Flavor::Agency => &AGENCY,
        Flavor::Village => &VILLAGE,
        Flavor::School => &SCHOOL,
        Flavor::Research => &RESEARCH,
        Flavor::Enterprise => &ENTERPRISE,
        Flavor::Public => &PUBLIC,
    }
}

const THEME_STUDY: &[&str] = &[
    "主题党日：重温入党誓词",
    "主题党日：学习党章",
    "主题党日：观看警示教育片",
    "主题党日：学习党的创新理论",
    "主题党日：参观红色教育基地",
];

const QUARTERS: [&str; 4] = ["一季度", "二季度", "三季度", "四季度"];

fn content(kind: MeetingKind) -> &'static str {
    match kind {
        MeetingKind::GeneralAssembly => {
            "一、传达学习上级有关会议和文件精神\n二、研究部署本季度工作\n三、通报党费收缴和党员发展情况"
        }
        MeetingKind::CommitteeMeeting => "一、研究本月工作\n二、听取委员分工工作汇报",
        MeetingKind::ThemeDay => "一、重温入党誓词\n二、集中学习和实践活动\n三、党员交流发言",
        MeetingKind::PartyLecture => "书记讲授党课，党员结合岗位交流学习体会。",
        MeetingKind::LifeMeeting => {
            "一、通报年度工作和整改落实情况\n二、支部委员会对照检查\n三、党员开展批评和自我批评"
        }
        MeetingKind::DemocraticReview => "党员个人自评、党员互评、民主测评，支部委员会综合评定。",
        MeetingKind::HeartTalk => "围绕思想、工作、学习和生活情况谈心谈话，听取意见建议。",
        MeetingKind::GroupMeeting => "党小组学习讨论。",
    }
}

fn decisions(kind: MeetingKind) -> Option<&'static str> {
    match kind {
        MeetingKind::GeneralAssembly => {
            Some("与会党员一致同意会议议定事项，由支部委员会分工落实。")
        }
        MeetingKind::CommitteeMeeting => Some("明确责任分工和完成时限。"),
        MeetingKind::LifeMeeting => Some("形成问题清单，明确整改措施和时限。"),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// Rows.

struct PlanRow {
    id: i64,
    org_id: i64,
    status: &'static str,
}
struct GoalRow {
    id: i64,
    plan_id: i64,
    t: &'static GoalT,
    is_key: bool,
    parent: Option<i64>,
}
struct KpiRow {
    id: i64,
    goal_id: i64,
    t: &'static GoalT,
    direction: &'static str,
    baseline: f64,
    target: f64,
}
struct ValueRow {
    id: i64,
    kpi_id: i64,
    month: u8,
    value: f64,
    api: bool,
}
struct ItemRow {
    id: i64,
    plan_id: i64,
    t: &'static ItemT,
    owner: Option<i64>,
    from: u16,
    to: u16,
}
struct LinkRow {
    id: i64,
    item_id: i64,
    goal_id: i64,
    junction: String,
    kind: &'static str,
}
struct TaskRow {
    id: i64,
    plan_id: i64,
    item_id: Option<i64>,
    goal_id: Option<i64>,
    title: &'static str,
    assignee: Option<i64>,
    partner: Option<&'static str>,
    deadline: u16,
    status: &'static str,
    percent: i64,
}
struct UpdateRow {
    id: i64,
    task_id: i64,
    at: i64,
    percent: i64,
    note: &'static str,
}
struct MeetingRow {
    id: i64,
    org_id: i64,
    kind: MeetingKind,
    day: u16,
    topic: Cow<'static, str>,
    entitled: i64,
    present: i64,
    quorum_met: Option<i64>,
}
struct PersonRow {
    meeting_id: i64,
    member_id: i64,
    present: i64,
    reason: Option<&'static str>,
}

/// Everything generated for a run of organizations.
#[derive(Default)]
struct Chunk {
    orgs: u64,
    plans: Vec<PlanRow>,
    goals: Vec<GoalRow>,
    kpis: Vec<KpiRow>,
    values: Vec<ValueRow>,
    items: Vec<ItemRow>,
    links: Vec<LinkRow>,
    tasks: Vec<TaskRow>,
    updates: Vec<UpdateRow>,
    meetings: Vec<MeetingRow>,
    meeting_goals: Vec<(i64, i64)>,
    people: Vec<PersonRow>,
}

impl Chunk {
    fn rows(&self) -> usize {
        self.plans.len()
            + self.goals.len()
            + self.kpis.len()
            + self.values.len()
            + self.items.len()
            + self.links.len()
            + self.tasks.len()
            + self.updates.len()
            + self.meetings.len()
            + self.meeting_goals.len()
            + self.people.len()
    }
}

// ---------------------------------------------------------------------------------------------
// Generation.

struct OrgIn {
    id: i64,
    parent_id: Option<i64>,
    branch: bool,
    flavor: Flavor,
}

/// Next ids of every table with one.
#[derive(Clone, Copy)]
struct Ids {
    plan: i64,
    goal: i64,
    kpi: i64,
    value: i64,
    item: i64,
    link: i64,
    task: i64,
    update: i64,
    meeting: i64,
}

fn next(id: &mut i64) -> i64 {
    let v = *id;
    *id += 1;
    v
}

struct YearGen {
    rng: StdRng,
    year: i32,
    /// Meetings and progress reports up to this day (day of year, 0-based), inclusive.
    last_day: u16,
    /// Days in the year.
    days: u16,
    /// KPI values for months 1..=months.
    months: u8,
    /// The plan status when nothing is drawn: a past year is summarized, a future one draft.
    era: std::cmp::Ordering,
    orgs: Vec<OrgIn>,
    at: usize,
    /// Active party members (正式 and 预备) by organization, 党小组 folded into their branch:
    /// sorted (org id, member id).
    members: Vec<(i64, i64)>,
    /// Committee seats by organization: member ids, secretary first.
    seats: HashMap<i64, Vec<i64>>,
    /// Goals of generated plans that children may align to or serve: (goal id, template).
    parent_goals: HashMap<i64, Vec<(i64, &'static GoalT)>>,
    ids: Ids,
    /// Milliseconds of the first day of the year (local noon), for timestamps.
    year_ms: i64,
}

const DAY_MS: i64 = 86_400_000;

impl YearGen {
    fn members_of(&self, org: i64) -> &[(i64, i64)] {
        let start = self.members.partition_point(|(o, _)| *o < org);
        let end = self.members.partition_point(|(o, _)| *o <= org);
        &self.members[start..end]
    }

    fn batch(&mut self, max_rows: usize) -> Chunk {
        let mut c = Chunk::default();
        while self.at < self.orgs.len() && c.rows() < max_rows {
            let i = self.at;
            self.at += 1;
            self.org(i, &mut c);
            c.orgs += 1;
        }
        c
    }

    fn org(&mut self, index: usize, c: &mut Chunk) {
        let (org_id, parent_id, branch, flavor) = {
            let o = &self.orgs[index];
            (o.id, o.parent_id, o.branch, o.flavor)
        };
        let text = text(flavor);
        let members: Vec<i64> = self.members_of(org_id).iter().map(|m| m.1).collect();
        let seats = self.seats.get(&org_id).cloned().unwrap_or_default();
        let secretary = seats.first().copied();
        let r = &mut self.rng;

        let plan_id = next(&mut self.ids.plan);
        let status = match self.era {
            std::cmp::Ordering::Less => "summarized",
            std::cmp::Ordering::Greater => "draft",
            std::cmp::Ordering::Equal => match r.gen_range(0..100) {
                0..=5 => "draft",
                6..=15 => "deployed",
                _ => "in_progress",
            },
        };
        c.plans.push(PlanRow {
            id: plan_id,
            org_id,
            status,
        });

        // Goals, one KPI each; some align to the parent's goal of the same theme.
        let n_goals = r.gen_range(3..=6usize).min(text.goals.len());
        let chosen: Vec<&'static GoalT> =
            text.goals.choose_multiple(r, n_goals).collect::<Vec<_>>();
        let parents = parent_id
            .and_then(|p| self.parent_goals.get(&p))
            .cloned()
            .unwrap_or_default();
        let mut goals: Vec<(i64, &'static GoalT, bool)> = Vec::with_capacity(n_goals);
        for t in chosen {
            let id = next(&mut self.ids.goal);
            let is_key = self.rng.gen_bool(0.3);
            let parent = parents
                .iter()
                .find(|(_, pt)| std::ptr::eq(*pt, t))
                .filter(|_| self.rng.gen_bool(0.5))
                .map(|(gid, _)| *gid);
            c.goals.push(GoalRow {
                id,
                plan_id,
                t,
                is_key,
                parent,
            });
            goals.push((id, t, is_key));
            self.kpi(id, t, c);
        }
        if !branch {
            self.parent_goals
                .insert(org_id, goals.iter().map(|(id, t, _)| (*id, *t)).collect());
        }

        // Party work items and their junction points.
        let r = &mut self.rng;
        let n_items = r.gen_range(2..=5usize);
        let mut pool: Vec<&'static ItemT> = text.items.iter().chain(COMMON_ITEMS).collect();
        pool.shuffle(r);
        let mut items: Vec<(i64, &'static ItemT, Vec<i64>)> = Vec::with_capacity(n_items);
        for t in pool.into_iter().take(n_items) {
            let id = next(&mut self.ids.item);
            let owner = match t.0 {
                "party_lecture" | "topic_study" => secretary,
                _ => members.choose(r).copied().or(secretary),
            };
            let (from, to) = if t.0 == "party_lecture" {
                let m = r.gen_range(3..=11);
                let (a, _) = month_range_of(self.year, m);
                let (_, b) = month_range_of(self.year, m + 1);
                (a, b)
            } else {
                (0, self.days - 1)
            };
            c.items.push(ItemRow {
                id,
                plan_id,
                t,
                owner,
                from,
                to,
            });
            let mut linked = Vec::new();
            if r.gen_bool(0.85) {
                let n = if r.gen_bool(0.3) && goals.len() > 1 {
                    2
                } else {
                    1
                };
                for (goal_id, gt, _) in goals.choose_multiple(r, n) {
                    let kinds = link_kinds(t.0);
                    let kind = if r.gen_bool(0.75) { kinds[0] } else { kinds[1] };
                    c.links.push(LinkRow {
                        id: next(&mut self.ids.link),
                        item_id: id,
                        goal_id: *goal_id,
                        junction: format!("{}，服务“{}”", junction_phrase(t.0), gt.title),
                        kind,
                    });
                    linked.push(*goal_id);
                }
            }
            items.push((id, t, linked));
        }

        // Tasks from the items and goals, as of the date.
        let n_tasks = r.gen_range(3..=8usize);
        for _ in 0..n_tasks {
            let (item_id, goal_id) = if r.gen_bool(0.7) {
                let (iid, _, linked) = &items[r.gen_range(0..items.len())];
                let goal = linked.choose(r).copied().filter(|_| r.gen_bool(0.8));
                (Some(*iid), goal)
            } else {
                (None, Some(goals[r.gen_range(0..goals.len())].0))
            };
            // Deadlines cluster at quarter ends.
            let deadline = if r.gen_bool(0.4) {
                let q = r.gen_range(1..=4u32);
                month_range_of(self.year, q * 3).1
            } else {
                r.gen_range(14..self.days)
            };
            let overdue_by_date = deadline < self.last_day;
            let (status, percent) = if status == "draft" {
                ("not_started", 0)
            } else if overdue_by_date {
                match r.gen_range(0..100) {
                    0..=77 => ("done", 100),
                    78..=91 => ("in_progress", r.gen_range(2..=9) * 10),
                    92..=95 => ("not_started", 0),
                    _ => ("cancelled", r.gen_range(0..=5) * 10),
                }
            } else {
                match r.gen_range(0..100) {
                    0..=44 => ("in_progress", r.gen_range(1..=8) * 10),
                    45..=89 => ("not_started", 0),
                    _ => ("done", 100),
                }
            };
            let task_id = next(&mut self.ids.task);
            c.tasks.push(TaskRow {
                id: task_id,
                plan_id,
                item_id,
                goal_id,
                title: text.tasks[r.gen_range(0..text.tasks.len())],
                assignee: members.choose(r).copied(),
                partner: r
                    .gen_bool(0.6)
                    .then(|| text.partners[r.gen_range(0..text.partners.len())]),
                deadline,
                status,
                percent,
            });
            if status != "not_started" {
                let latest = deadline.min(self.last_day);
                let day = r.gen_range(latest.saturating_sub(40)..=latest);
                let note = match status {
                    "done" => "已完成，成果已归档",
                    "cancelled" => "因工作调整取消",
                    _ => "按计划推进中",
                };
                c.updates.push(UpdateRow {
                    id: next(&mut self.ids.update),
                    task_id,
                    at: self.year_ms + i64::from(day) * DAY_MS,
                    percent,
                    note,
                });
            }
        }

        if branch && !members.is_empty() {
            let parent_goals: Vec<(i64, &'static GoalT)> = parents;
            self.meetings(org_id, flavor, &members, &seats, &goals, &parent_goals, c);
        }
    }

    fn kpi(&mut self, goal_id: i64, t: &'static GoalT, c: &mut Chunk) {
        let r = &mut self.rng;
        let round = |x: f64, decimals: i32| {
            let f = 10f64.powi(decimals);
            (x * f).round() / f
        };
        let (direction, baseline, target) = match t.model {
            Count(lo, hi) => ("higher_better", 0.0, round(r.gen_range(lo..=hi), 0)),
            Rate((lo, hi), (glo, ghi)) => {
                let b = round(r.gen_range(lo..=hi), 1);
                (
                    "higher_better",
                    b,
                    round((b + r.gen_range(glo..=ghi)).min(100.0), 1),
                )
            }
            Less((lo, hi), (clo, chi), dec) => {
                let b = round(r.gen_range(lo..=hi), dec);
                let t = round((b - r.gen_range(clo..=chi)).max(0.0), dec);
                ("lower_better", b, t)
            }
            Zero => ("lower_better", 0.0, 0.0),
        };
        let kpi_id = next(&mut self.ids.kpi);
        c.kpis.push(KpiRow {
            id: kpi_id,
            goal_id,
            t,
            direction,
            baseline,
            target,
        });
        let api = r.gen_bool(0.25);
        // How well this unit is doing: below 1 behind schedule, above ahead.
        let pace: f64 = r.gen_range(0.8..1.1);
        let months = if self.months > 0 && r.gen_range(0..12) == 0 {
            self.months - 1
        } else {
            self.months
        };
        for m in 1..=months {
            let share = f64::from(m) / 12.0;
            let noise: f64 = r.gen_range(-1.0..1.0);
            let value = match t.model {
                Count(..) => round(target * share * pace * (1.0 + 0.03 * noise), 0).max(0.0),
                Rate(..) => round(
                    (baseline + (target - baseline) * share * pace + 0.4 * noise).clamp(0.0, 100.0),
                    1,
                ),
                Less(_, _, dec) => round(
                    (baseline - (baseline - target) * share * pace + 0.05 * baseline * noise)
                        .max(0.0),
                    dec,
                ),
                Zero => f64::from(u8::from(r.gen_range(0..60) == 0)),
            };
            c.values.push(ValueRow {
                id: next(&mut self.ids.value),
                kpi_id,
                month: m,
                value,
                api,
            });
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn meetings(
        &mut self,
        org_id: i64,
        flavor: Flavor,
        members: &[i64],
        seats: &[i64],
        goals: &[(i64, &'static GoalT, bool)],
        parent_goals: &[(i64, &'static GoalT)],
        c: &mut Chunk,
    ) {
        let entitled = members.len() as i64;
        let has_committee = seats.len() >= 3;
        let secretary = seats.first().copied();
        let FlavorText {
            reasons,
            activities,
            ..
        } = text(flavor);
        let r = &mut self.rng;

        // About one branch in ten has gaps.
        let gappy = r.gen_bool(0.1);
        let gap = if gappy { r.gen_range(0..5u8) } else { u8::MAX };
        let skip_theme: Vec<u32> = if gap == 0 {
            let first = r.gen_range(1..=10u32);
            vec![first, first + r.gen_range(1..=2)]
        } else {
            Vec::new()
        };
        let skip_assembly = (gap == 1).then(|| r.gen_range(1..=3u32));
        let inquorate = (gap == 2).then(|| r.gen_range(1..=3u32));
        let skip_committee = (gap == 3).then(|| r.gen_range(1..=10u32));
        let no_lecture = gap == 4;

        // (kind, day of year, label for the topic)
        let mut plan: Vec<(MeetingKind, u16, u32)> = Vec::with_capacity(40);
        let theme_day = r.gen_range(5..=28u32);
        for m in 1..=12u32 {
            let (first, last) = month_range_of(self.year, m);
            if !skip_theme.contains(&m) {
                let day = (first + theme_day as u16 - 1).min(last);
                plan.push((MeetingKind::ThemeDay, day, m));
            }
            if has_committee && skip_committee != Some(m) {
                let day = first + r.gen_range(0..10u16);
                plan.push((MeetingKind::CommitteeMeeting, day, m));
            }
        }
        for q in 1..=4u32 {
            if skip_assembly == Some(q) {
                continue;
            }
            // Mostly in the last month of the quarter; the fourth often with the 组织生活会.
            let m = if q == 4 && r.gen_bool(0.4) {
                11
            } else {
                q * 3 - u32::from(r.gen_bool(0.25))
            };
            let (first, last) = month_range_of(self.year, m);
            let day = r.gen_range(first..=last.saturating_sub(3).max(first));
            plan.push((MeetingKind::GeneralAssembly, day, q));
        }
        if !no_lecture {
            let n = [1, 1, 2, 2, 2, 3, 4][r.gen_range(0..7)];
            for k in 0..n {
                let m = if n == 4 {
                    k * 3 + r.gen_range(1..=3)
                } else if k == 0 {
                    6
                } else {
                    r.gen_range(3..=11)
                };
                let (first, last) = month_range_of(self.year, m);
                plan.push((MeetingKind::PartyLecture, r.gen_range(first..=last), m));
            }
        }
        let life_month = if r.gen_bool(0.15) { 11 } else { 12 };
        let (first, last) = month_range_of(self.year, life_month);
        let life_day = r.gen_range(first..=last.saturating_sub(5).max(first));
        plan.push((MeetingKind::LifeMeeting, life_day, 0));
        plan.push((MeetingKind::DemocraticReview, life_day, 0));
        for _ in 0..r.gen_range(1..=2) {
            let day = r.gen_range(30..self.days - 20);
            plan.push((MeetingKind::HeartTalk, day, 0));
        }
        plan.retain(|(_, day, _)| *day <= self.last_day);
        plan.sort_by_key(|(kind, day, _)| (*day, *kind));

        for (kind, day, n) in plan {
            let id = next(&mut self.ids.meeting);
            // Who was away: never the secretary, who chairs (a 支委会 counts the committee).
            let pool: Vec<i64> = if kind == MeetingKind::CommitteeMeeting {
                seats.iter().skip(1).copied().collect()
            } else {
                members
                    .iter()
                    .copied()
                    .filter(|m| Some(*m) != secretary)
                    .collect()
            };
            let entitled_here = if kind == MeetingKind::CommitteeMeeting {
                seats.len() as i64
            } else {
                entitled
            };
            let away = match kind {
                MeetingKind::HeartTalk => 0,
                MeetingKind::CommitteeMeeting => usize::from(r.gen_bool(0.1)),
                MeetingKind::GeneralAssembly if inquorate == Some(n) => {
                    let half = members.len() / 2;
                    members.len() - half + r.gen_range(0..=half / 3)
                }
                _ => {
                    let p = match kind {
                        MeetingKind::GeneralAssembly => 0.07,
                        MeetingKind::ThemeDay => 0.12,
                        MeetingKind::LifeMeeting | MeetingKind::DemocraticReview => 0.05,
                        _ => 0.1,
                    };
                    pool.iter().filter(|_| r.gen_bool(p)).count()
                }
            }
            .min(pool.len());
            for k in rand::seq::index::sample(r, pool.len(), away) {
                c.people.push(PersonRow {
                    meeting_id: id,
                    member_id: pool[k],
                    present: 0,
                    reason: Some(reasons[r.gen_range(0..reasons.len())]),
                });
            }
            let present = if kind == MeetingKind::HeartTalk {
                // Two people talk: the secretary (or the first member) and another member.
                let talker = secretary.unwrap_or(members[0]);
                let others: Vec<i64> = members.iter().copied().filter(|m| *m != talker).collect();
                let mut talked = vec![talker];
                talked.extend(others.choose(r));
                for m in &talked {
                    c.people.push(PersonRow {
                        meeting_id: id,
                        member_id: *m,
                        present: 1,
                        reason: None,
                    });
                }
                talked.len() as i64
            } else {
                entitled_here - away as i64
            };
            let quorum_met = kind
                .needs_quorum()
                .then(|| i64::from(quorum(entitled_here as u32, present as u32).met));

            // About 60% serve a goal of the branch's plan (or now and then its parent's).
            let serve = match kind {
                MeetingKind::GeneralAssembly => 0.75,
                MeetingKind::CommitteeMeeting | MeetingKind::ThemeDay => 0.7,
                MeetingKind::PartyLecture => 0.6,
                MeetingKind::LifeMeeting => 0.4,
                MeetingKind::DemocraticReview => 0.2,
                _ => 0.1,
            };
            let served: Option<(i64, &'static GoalT)> = r.gen_bool(serve).then(|| {
                if !parent_goals.is_empty() && r.gen_bool(0.15) {
                    parent_goals[r.gen_range(0..parent_goals.len())]
                } else {
                    let (gid, t, _) = goals[r.gen_range(0..goals.len())];
                    (gid, t)
                }
            });
            if let Some((gid, _)) = served {
                c.meeting_goals.push((id, gid));
                if goals.len() > 1 && r.gen_bool(0.2) {
                    let (other, _, _) = goals[r.gen_range(0..goals.len())];
                    if other != gid {
                        c.meeting_goals.push((id, other));
                    }
                }
            }
            let topic: Cow<'static, str> = match (kind, served) {
                (MeetingKind::GeneralAssembly, Some((_, t))) => format!(
                    "{}党员大会：研究部署“{}”",
                    QUARTERS[(n as usize).clamp(1, 4) - 1],
                    t.title
                )
                .into(),
                (MeetingKind::GeneralAssembly, None) => format!(
                    "{}党员大会：学习传达上级会议精神",
                    QUARTERS[(n as usize).clamp(1, 4) - 1]
                )
                .into(),
                (MeetingKind::CommitteeMeeting, Some((_, t))) => {
                    format!("{n}月支委会：调度“{}”进展", t.title).into()
                }
                (MeetingKind::CommitteeMeeting, None) => {
                    format!("{n}月支委会：研究党员教育管理").into()
                }
                (MeetingKind::ThemeDay, Some((_, t))) => format!(
                    "主题党日：围绕“{}”开展{}",
                    t.title,
                    activities[r.gen_range(0..activities.len())]
                )
                .into(),
                (MeetingKind::ThemeDay, None) => {
                    THEME_STUDY[r.gen_range(0..THEME_STUDY.len())].into()
                }
                (MeetingKind::PartyLecture, Some((_, t))) => {
                    format!("党课：以高质量党建助推“{}”", t.title).into()
                }
                (MeetingKind::PartyLecture, None) => "党课：党史专题".into(),
                (MeetingKind::LifeMeeting, _) => "年度组织生活会".into(),
                (MeetingKind::DemocraticReview, _) => "年度民主评议党员".into(),
                (_, Some((_, t))) => format!("谈心谈话：围绕“{}”听取意见", t.title).into(),
                _ => "谈心谈话：了解党员思想和工作情况".into(),
            };
            c.meetings.push(MeetingRow {
                id,
                org_id,
                kind,
                day,
                topic,
                entitled: entitled_here,
                present,
                quorum_met,
            });
        }
    }
}

/// First and last day of month `m` (1–12) of `year`, as days of the year.
fn month_range_of(year: i32, m: u32) -> (u16, u16) {
    let m = m.clamp(1, 12);
    let first = Date::from_ymd_opt(year, m, 1).map_or(0, |d| d.ordinal0() as u16);
    let last = ronghe_core::plan::period::month_end(year, m).ordinal0() as u16;
    (first, last)
}

// ---------------------------------------------------------------------------------------------
// SQL.

type AnyQuery<'q> = Query<'q, Any, AnyArguments<'q>>;

/// Texts rows refer to by index, and the year's first noon in milliseconds.
struct Texts {
    days: Vec<String>,
    months: Vec<String>,
    year_ms: i64,
}

impl Texts {
    fn day(&self, day: u16) -> &str {
        &self.days[usize::from(day)]
    }
}

/// Binds one row's columns, in the order of its table's INSERT.
trait Bind {
    fn bind<'a>(&'a self, q: AnyQuery<'a>, x: &'a Texts) -> AnyQuery<'a>;
}

impl Bind for PlanRow {
    fn bind<'a>(&'a self, q: AnyQuery<'a>, _: &'a Texts) -> AnyQuery<'a> {
        q.bind(self.id).bind(self.org_id).bind(self.status)
    }
}

impl Bind for GoalRow {
    fn bind<'a>(&'a self, q: AnyQuery<'a>, _: &'a Texts) -> AnyQuery<'a> {
        q.bind(self.id)
            .bind(self.plan_id)
            .bind(self.t.title)
            .bind(self.t.dept)
            .bind(i64::from(self.is_key))
            .bind(if self.is_key { 2.0 } else { 1.0 })
            .bind(self.parent)
            .bind(self.t.by)
    }
}

impl Bind for KpiRow {
    fn bind<'a>(&'a self, q: AnyQuery<'a>, _: &'a Texts) -> AnyQuery<'a> {
        q.bind(self.id)
            .bind(self.goal_id)
            .bind(self.t.kpi)
            .bind(self.t.unit)
            .bind(self.direction)
            .bind(self.baseline)
            .bind(self.target)
    }
}

impl Bind for ValueRow {
    fn bind<'a>(&'a self, q: AnyQuery<'a>, x: &'a Texts) -> AnyQuery<'a> {
        q.bind(self.id)
            .bind(self.kpi_id)
            .bind(x.months[usize::from(self.month) - 1].as_str())
            .bind(self.value)
            .bind(if self.api { "接口" } else { "页面" })
    }
}

impl Bind for ItemRow {
    fn bind<'a>(&'a self, q: AnyQuery<'a>, x: &'a Texts) -> AnyQuery<'a> {
        q.bind(self.id)
            .bind(self.plan_id)
            .bind(self.t.0)
            .bind(self.t.1)
            .bind(self.t.2)
            .bind(self.owner)
            .bind(x.day(self.from))
            .bind(x.day(self.to))
    }
}

impl Bind for LinkRow {
    fn bind<'a>(&'a self, q: AnyQuery<'a>, _: &'a Texts) -> AnyQuery<'a> {
        q.bind(self.id)
            .bind(self.item_id)
            .bind(self.goal_id)
            .bind(self.junction.as_str())
            .bind(self.kind)
    }
}

impl Bind for TaskRow {
    fn bind<'a>(&'a self, q: AnyQuery<'a>, x: &'a Texts) -> AnyQuery<'a> {
        q.bind(self.id)
            .bind(self.plan_id)
            .bind(self.item_id)
            .bind(self.goal_id)
            .bind(self.title)
            .bind(self.assignee)
            .bind(self.partner)
            .bind(x.day(self.deadline))
            .bind(self.status)
            .bind(self.percent)
    }
}

impl Bind for UpdateRow {
    fn bind<'a>(&'a self, q: AnyQuery<'a>, _: &'a Texts) -> AnyQuery<'a> {
        q.bind(self.id)
            .bind(self.task_id)
            .bind(self.at)
            .bind(self.percent)
            .bind(self.note)
    }
}

impl Bind for MeetingRow {
    fn bind<'a>(&'a self, q: AnyQuery<'a>, x: &'a Texts) -> AnyQuery<'a> {
        q.bind(self.id)
            .bind(self.org_id)
            .bind(self.kind.code())
            .bind(x.day(self.day))
            .bind(self.topic.as_ref())
            .bind(content(self.kind))
            .bind(decisions(self.kind))
            .bind(self.entitled)
            .bind(self.present)
            .bind(self.quorum_met)
            .bind(x.year_ms + i64::from(self.day) * DAY_MS)
    }
}

impl Bind for (i64, i64) {
    fn bind<'a>(&'a self, q: AnyQuery<'a>, _: &'a Texts) -> AnyQuery<'a> {
        q.bind(self.0).bind(self.1)
    }
}

impl Bind for PersonRow {
    fn bind<'a>(&'a self, q: AnyQuery<'a>, _: &'a Texts) -> AnyQuery<'a> {
        q.bind(self.meeting_id)
            .bind(self.member_id)
            .bind(self.present)
            .bind(self.reason)
    }
}

/// `INSERT INTO t (cols) VALUES (?, .., literals), ...`: `?` on SQLite (sqlx resolves named
/// parameters by a linear scan, see `gen.rs`), `$N` on PostgreSQL.
fn insert_sql(head: &str, cols: usize, literals: &str, rows: usize, backend: Backend) -> String {
    let mut s = String::with_capacity(head.len() + rows * (cols * 7 + literals.len() + 4));
    s.push_str(head);
    s.push_str(" VALUES ");
    let mut n = 1;
    for r in 0..rows {
        if r > 0 {
            s.push(',');
        }
        s.push('(');
        for c in 0..cols {
            if c > 0 {
                s.push(',');
            }
            match backend {
                Backend::Sqlite => s.push('?'),
                Backend::Postgres => {
                    let _ = write!(s, "${n}");
                }
            }
            n += 1;
        }
        s.push_str(literals);
        s.push(')');
    }
    s
}

/// One table's INSERT, with the text of a full batch cached.
struct Table {
    backend: Backend,
    head: String,
    cols: usize,
    literals: String,
    rows: usize,
    full: String,
}

impl Table {
    fn new(backend: Backend, head: &str, cols: usize, literals: String) -> Self {
        let rows = 30_000 / cols;
        Table {
            backend,
            full: insert_sql(head, cols, &literals, rows, backend),
            head: head.to_string(),
            cols,
            literals,
            rows,
        }
    }

    fn sql(&self, rows: usize) -> Cow<'_, str> {
        if rows == self.rows {
            Cow::Borrowed(&self.full)
        } else {
            Cow::Owned(insert_sql(
                &self.head,
                self.cols,
                &self.literals,
                rows,
                self.backend,
            ))
        }
    }
}

/// A connection with a transaction committed every `tx_rows` rows.
struct Writer {
    conn: sqlx::pool::PoolConnection<Any>,
    pending: usize,
    tx_rows: usize,
}

impl Writer {
    async fn exec(&mut self, sql: &str) -> StoreResult<()> {
        sqlx::query(sql).execute(&mut *self.conn).await?;
        Ok(())
    }

    async fn insert<T: Bind>(
        &mut self,
        table: &Table,
        rows: &[T],
        texts: &Texts,
    ) -> StoreResult<()> {
        for chunk in rows.chunks(table.rows) {
            let sql = table.sql(chunk.len());
            let mut q = sqlx::query(&sql);
            for row in chunk {
                q = row.bind(q, texts);
            }
            let c: &mut AnyConnection = &mut self.conn;
            q.execute(&mut *c).await?;
            self.pending += chunk.len();
        }
        if self.pending >= self.tx_rows {
            self.exec("COMMIT").await?;
            self.exec("BEGIN").await?;
            self.pending = 0;
        }
        Ok(())
    }
}

async fn max_id(conn: &mut AnyConnection, table: &str) -> StoreResult<i64> {
    Ok(
        sqlx::query_scalar::<_, i64>(&format!("SELECT COALESCE(MAX(id), 0) FROM {table}"))
            .fetch_one(conn)
            .await?,
    )
}

/// Rows generated per batch (written while the next one is generated).
const BATCH_ROWS: usize = 200_000;
const SQLITE_TX_ROWS: usize = 1_000_000;
const PG_TX_ROWS: usize = 50_000;

/// Tables with an id, whose PostgreSQL sequences are reset afterwards.
const ID_TABLES: [&str; 9] = [
    "plans",
    "goals",
    "kpis",
    "kpi_values",
    "items",
    "links",
    "tasks",
    "task_updates",
    "meetings",
];

/// Adds a year of plans, tasks and meetings as of today. See [`generate_year_as_of`].
pub async fn generate_year(
    store: &Store,
    year: i32,
    seed: u64,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> StoreResult<YearSummary> {
    generate_year_as_of(store, year, seed, crate::today(), progress).await
}

/// Adds, for every 党支部, 党总支 and 党委 without a plan for `year`, a plan with goals, KPI
/// values, items, links and tasks, and for the 党支部 among them the year's meetings, all as
/// of `as_of` (nothing later is recorded; a past year is complete, a future one only
/// planned). `progress(done, total)` counts organizations.
pub async fn generate_year_as_of(
    store: &Store,
    year: i32,
    seed: u64,
    as_of: Date,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> StoreResult<YearSummary> {
    if !(ronghe_core::plan::period::MIN_PLAN_YEAR..=ronghe_core::plan::period::MAX_PLAN_YEAR)
        .contains(&year)
    {
        return Err(StoreError::field(
            "year",
            "年度应为 2000 到 2100 之间的四位年份",
        ));
    }
    let started = Instant::now();
    let backend = store.backend();
    let mut conn = store.pool().acquire().await?;
    // Closed afterwards: it may hold an open transaction after a failure, and on SQLite it has
    // a large page cache and foreign-key checks off.
    conn.close_on_drop();
    if backend == Backend::Sqlite {
        for pragma in [
            "PRAGMA cache_size = -1048576",
            "PRAGMA temp_store = MEMORY",
            "PRAGMA foreign_keys = OFF",
        ] {
            sqlx::query(pragma).execute(&mut *conn).await?;
        }
    }

    // The organizations to plan for, parents first (ids grow down the tree).
    let rows: Vec<(i64, Option<i64>, String, String, String)> = sqlx::query_as(
        "SELECT o.id, o.parent_id, o.kind, o.name, o.unit_kind FROM orgs o \
         WHERE o.kind IN ('branch', 'general_branch', 'committee') AND NOT EXISTS \
         (SELECT 1 FROM plans p WHERE p.org_id = o.id AND p.year = $1) ORDER BY o.id",
    )
    .bind(i64::from(year))
    .fetch_all(&mut *conn)
    .await?;
    let orgs: Vec<OrgIn> = rows
        .into_iter()
        .map(|(id, parent_id, kind, name, unit_kind)| OrgIn {
            id,
            parent_id,
            branch: kind == "branch",
            flavor: flavor(&unit_kind, &name),
        })
        .collect();
    let total = orgs.len() as u64;

    // Active party members, those of a 党小组 counted with its branch (as the roster does).
    let groups: HashMap<i64, i64> = sqlx::query_as::<_, (i64, i64)>(
        "SELECT id, parent_id FROM orgs WHERE kind = 'group' AND parent_id IS NOT NULL",
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .collect();
    let mut members: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT org_id, id FROM members WHERE active = 1 AND status IN ('full', 'probationary')",
    )
    .fetch_all(&mut *conn)
    .await?;
    for m in &mut members {
        if let Some(parent) = groups.get(&m.0) {
            m.0 = *parent;
        }
    }
    members.sort_unstable();
    let mut seats: HashMap<i64, Vec<i64>> = HashMap::new();
    let seat_rows: Vec<(i64, i64, String)> = sqlx::query_as(
        "SELECT s.org_id, s.member_id, s.role FROM committee_seats s \
         JOIN members m ON m.id = s.member_id WHERE m.active = 1 ORDER BY s.org_id, s.id",
    )
    .fetch_all(&mut *conn)
    .await?;
    for (org, member, role) in seat_rows {
        let v = seats.entry(org).or_default();
        if role == "secretary" {
            v.insert(0, member);
        } else {
            v.push(member);
        }
    }

    let mut ids = Ids {
        plan: 0,
        goal: 0,
        kpi: 0,
        value: 0,
        item: 0,
        link: 0,
        task: 0,
        update: 0,
        meeting: 0,
    };
    for (table, slot) in ID_TABLES.iter().zip([
        &mut ids.plan,
        &mut ids.goal,
        &mut ids.kpi,
        &mut ids.value,
        &mut ids.item,
        &mut ids.link,
        &mut ids.task,
        &mut ids.update,
        &mut ids.meeting,
    ]) {
        *slot = max_id(&mut conn, table).await? + 1;
    }
    let first_plan = ids.plan;

    let year_start = Date::from_ymd_opt(year, 1, 1).expect("valid year");
    let days: u16 = if year_start.leap_year() { 366 } else { 365 };
    let era = year.cmp(&as_of.year());
    let (last_day, months) = match era {
        std::cmp::Ordering::Less => (days - 1, 12),
        std::cmp::Ordering::Equal => (as_of.ordinal0() as u16, as_of.month() as u8 - 1),
        std::cmp::Ordering::Greater => (0, 0),
    };
    let year_ms = year_start
        .and_hms_opt(12, 0, 0)
        .expect("noon")
        .and_utc()
        .timestamp_millis();
    let gen = YearGen {
        rng: StdRng::seed_from_u64(seed),
        year,
        last_day,
        days,
        months,
        era,
        orgs,
        at: 0,
        members,
        seats,
        parent_goals: HashMap::new(),
        ids,
        year_ms,
    };

    // The texts rows refer to by index.
    let texts = Texts {
        days: (0..days)
            .map(|i| (year_start + chrono::Days::new(u64::from(i))).to_string())
            .collect(),
        months: (1..=12).map(|m| format!("{year}-{m:02}")).collect(),
        year_ms,
    };

    let now = crate::now_ms();
    let t = |head: &str, cols: usize, literals: String| Table::new(backend, head, cols, literals);
    let plans_t = t(
        "INSERT INTO plans (id, org_id, status, year, title, created_at, updated_at)",
        3,
        format!(",{year},'{year}年度党建与业务工作融合计划',{now},{now}"),
    );
    let goals_t = t(
        "INSERT INTO goals (id, plan_id, title, department, is_key, weight, parent_goal_id, \
         stated_by, created_at)",
        8,
        format!(",{now}"),
    );
    let kpis_t = t(
        "INSERT INTO kpis (id, goal_id, name, unit, direction, baseline, target)",
        7,
        String::new(),
    );
    let values_t = t(
        "INSERT INTO kpi_values (id, kpi_id, month, value, source, entered_by, entered_at)",
        5,
        format!(",'合成数据',{now}"),
    );
    let items_t = t(
        "INSERT INTO items (id, plan_id, kind, title, description, owner_member_id, starts_on, \
         ends_on, created_at)",
        8,
        format!(",{now}"),
    );
    let links_t = t(
        "INSERT INTO links (id, item_id, goal_id, junction, kind)",
        5,
        String::new(),
    );
    let tasks_t = t(
        "INSERT INTO tasks (id, plan_id, item_id, goal_id, title, assignee_member_id, \
         business_owner, deadline, status, percent, created_at, updated_at)",
        10,
        format!(",{now},{now}"),
    );
    let updates_t = t(
        "INSERT INTO task_updates (id, task_id, at, percent, note, username)",
        5,
        ",'合成数据'".to_string(),
    );
    let meetings_t = t(
        "INSERT INTO meetings (id, org_id, kind, held_on, topic, content, decisions, entitled, \
         present, quorum_met, created_at, created_by)",
        11,
        ",'合成数据'".to_string(),
    );
    let meeting_goals_t = t(
        "INSERT INTO meeting_goals (meeting_id, goal_id)",
        2,
        String::new(),
    );
    let people_t = t(
        "INSERT INTO meeting_people (meeting_id, member_id, present, reason)",
        4,
        String::new(),
    );

    let tx_rows = match backend {
        Backend::Sqlite => SQLITE_TX_ROWS,
        Backend::Postgres => PG_TX_ROWS,
    };
    let mut w = Writer {
        conn,
        pending: 0,
        tx_rows,
    };
    let mut s = YearSummary {
        year,
        ..Default::default()
    };
    let mut done = 0u64;
    progress(done, total);

    let next_batch = |mut g: YearGen| {
        tokio::task::spawn_blocking(move || {
            let c = g.batch(BATCH_ROWS);
            (g, c)
        })
    };
    let joined = |e: tokio::task::JoinError| StoreError::Key(format!("生成年度数据失败：{e}"));
    let mut pending = next_batch(gen);
    w.exec("BEGIN").await?;
    loop {
        let (g, c) = pending.await.map_err(joined)?;
        if c.orgs == 0 {
            break;
        }
        pending = next_batch(g);
        let x = &texts;
        w.insert(&plans_t, &c.plans, x).await?;
        w.insert(&goals_t, &c.goals, x).await?;
        w.insert(&kpis_t, &c.kpis, x).await?;
        w.insert(&values_t, &c.values, x).await?;
        w.insert(&items_t, &c.items, x).await?;
        w.insert(&links_t, &c.links, x).await?;
        w.insert(&tasks_t, &c.tasks, x).await?;
        w.insert(&updates_t, &c.updates, x).await?;
        w.insert(&meetings_t, &c.meetings, x).await?;
        w.insert(&meeting_goals_t, &c.meeting_goals, x).await?;
        w.insert(&people_t, &c.people, x).await?;
        s.plans += c.plans.len() as u64;
        s.goals += c.goals.len() as u64;
        s.kpi_values += c.values.len() as u64;
        s.items += c.items.len() as u64;
        s.links += c.links.len() as u64;
        s.tasks += c.tasks.len() as u64;
        s.task_updates += c.updates.len() as u64;
        s.meetings += c.meetings.len() as u64;
        s.meeting_goals += c.meeting_goals.len() as u64;
        s.meeting_people += c.people.len() as u64;
        done += c.orgs;
        progress(done, total);
    }
    w.exec("COMMIT").await?;

    let mut conn = w.conn;
    match backend {
        Backend::Sqlite => {
            // Give the WAL's disk space back; best effort, readers may hold it for a while.
            let _ = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(&mut *conn)
                .await;
        }
        Backend::Postgres => {
            // Explicit ids do not advance identity sequences; the next API insert must not
            // collide.
            for table in ID_TABLES {
                sqlx::query(&format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
                     (SELECT COALESCE(MAX(id), 1) FROM {table}))"
                ))
                .execute(&mut *conn)
                .await?;
            }
            for table in ID_TABLES.iter().chain(&["meeting_goals", "meeting_people"]) {
                sqlx::query(&format!("ANALYZE {table}"))
                    .execute(&mut *conn)
                    .await?;
            }
        }
    }
    drop(conn);

    s.millis = started.elapsed().as_millis();
    let detail = format!(
        "合成 {year} 年度数据（种子 {seed}，截至 {}）：计划 {} 个（编号自 {first_plan}），业务目标 {} 个，\
         指标实际值 {} 条，党建工作项 {} 项，结合点 {} 个，任务 {} 项，会议 {} 次，用时 {:.1} 秒",
        as_of.min(Date::from_ymd_opt(year, 12, 31).unwrap_or(as_of)),
        s.plans,
        s.goals,
        s.kpi_values,
        s.items,
        s.links,
        s.tasks,
        s.meetings,
        s.millis as f64 / 1000.0
    );
    store
        .audit_event(
            &Actor::system("合成数据"),
            "write",
            &format!("gen:year:{year}"),
            "ok",
            &detail,
        )
        .await;
    Ok(s)
}
