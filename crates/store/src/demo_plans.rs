//! The demo's 2026 plans and a year of organizational life, written for 2026-11-26.
//!
//! Every demo organization gets one plan holding the unit's business goals (业务目标) with
//! their KPIs and monthly actuals, the Party work items (党建工作项) that serve them with the
//! junction point (结合点) of each link, and the tasks deployed from both with their
//! progress. Every 党支部 gets the year's meetings, most of them recorded as serving a goal
//! of the plan: entered once, counted for compliance and for the goal's task unity.
//!
//! What it is built to show:
//! - the school (教学质量, 升学, 师德师风, 立德树人) and the metrology institute (检定校准
//!   capacity, 计量标准建标, 科研项目, 服务企业) with realistic goals, carriers and tasks;
//! - the bureau's 机关 organizations, whose wording supports and supervises (保障, 助推, 监督)
//!   and never claims to direct business work;
//! - tasks done, in progress and overdue as of 2026-11-26, KPI values entered on the page and
//!   pushed by a business system (来源“接口”);
//! - compliance gaps: 科研质量党支部 missed the 主题党日 of July and August and its third-quarter
//!   党员大会; 高二年级党支部's only third-quarter 党员大会 lacked a quorum; 高一年级党支部
//!   skipped its August 支委会; 行政后勤党支部 missed the February 主题党日. Most branches
//!   hold the 组织生活会 and 民主评议党员 in December, so they are still due;
//! - 综合管理党支部 as plainly 两张皮: business goals in its plan, Party work items that link
//!   to none of them, and meetings that are all study and never serve a goal.
//!
//! Like the rest of the demo it goes through the public store API and the forms of core, so
//! every rule applies and every write lands in the history and the audit log. Everything is
//! looked up by name, so it runs after [`crate::demo::load_base`] on its own.

use crate::error::{StoreError, StoreResult};
use crate::{Actor, MemberRow, Org, Seat, Store};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use ronghe_core::meeting::{AbsenteeForm, MeetingForm, MeetingKind};
use ronghe_core::plan::forms::{
    GoalForm, ItemForm, KpiForm, KpiValueForm, LinkForm, PlanForm, TaskForm, TaskUpdateForm,
};
use ronghe_core::plan::{Period, PlanStatus, TaskStatus};
use ronghe_core::scope::Scope;
use ronghe_core::text::FieldErrors;
use ronghe_core::Date;
use std::collections::HashMap;

const YEAR: i32 = 2026;
const SEED: u64 = 2026_1126;

fn d(m: u32, day: u32) -> Date {
    Date::from_ymd_opt(YEAR, m, day).expect("valid demo date")
}

/// The date the demo is written for: no meeting or progress report is later.
fn as_of() -> Date {
    d(11, 26)
}

// ---------------------------------------------------------------------------------------------
// The shape of the data.

/// Where a KPI's actual values come from.
#[derive(Clone, Copy)]
enum Src {
    /// Typed on the page by the business leader.
    Page,
    /// Pushed by a business system through the API.
    Api,
    /// Typed until the month before this one, pushed from this month on (a system went live).
    ApiFrom(u32),
}

/// A KPI. A year-to-date count (台件, 项, 家次) has baseline 0 and its annual target, so the
/// latest cumulative value reads as the share done; a rate or a duration starts from last
/// year's level.
struct KpiSpec {
    name: &'static str,
    unit: &'static str,
    dir: &'static str,
    baseline: &'static str,
    target: &'static str,
    /// Actual values as typed: "month:value" separated by spaces.
    values: &'static str,
    src: Src,
}

const fn kpi(
    name: &'static str,
    unit: &'static str,
    dir: &'static str,
    baseline: &'static str,
    target: &'static str,
    values: &'static str,
    src: Src,
) -> KpiSpec {
    KpiSpec {
        name,
        unit,
        dir,
        baseline,
        target,
        values,
        src,
    }
}

const UP: &str = "higher_better";
const DOWN: &str = "lower_better";

struct GoalSpec {
    /// Demo-wide handle, used by items, tasks, meetings and child plans.
    key: &'static str,
    title: &'static str,
    dept: &'static str,
    is_key: bool,
    stated_by: &'static str,
    /// The goal of the parent organization's plan this one aligns to.
    parent: Option<&'static str>,
    kpis: &'static [KpiSpec],
}

/// A person, resolved against the organization's roster and committee.
#[derive(Clone, Copy)]
enum Who {
    Secretary,
    Deputy,
    /// The committee member with this duty (组织委员, 宣传委员, 纪检委员).
    Duty(&'static str),
    /// The n-th ordinary member (not on the committee), by name order.
    Member(usize),
    /// The secretary of another organization (for the plans of a 党委 without members).
    SecretaryOf(&'static str),
    /// The member linked to a demo account (so that account sees the task on its 待办).
    Account(&'static str),
}

struct ItemSpec {
    key: &'static str,
    kind: &'static str,
    title: &'static str,
    desc: &'static str,
    owner: Who,
    from: (u32, u32),
    to: (u32, u32),
    /// (goal key, link kind, junction point)
    links: &'static [(&'static str, &'static str, &'static str)],
}

struct TaskSpec {
    title: &'static str,
    item: Option<&'static str>,
    goal: Option<&'static str>,
    who: Who,
    /// 业务协同负责人 (free text).
    partner: &'static str,
    deadline: (u32, u32),
    /// Progress reports in order: (status, percent, note).
    updates: &'static [(&'static str, u8, &'static str)],
}

/// A milestone of a demo task: due (month, day), name, done on (month, day) if done.
type MilestoneSpec = ((u32, u32), &'static str, Option<(u32, u32)>);

/// Co-assignees (承办人) and milestones of a few demo tasks, by title, so that both show in
/// the demo: the member account `dangyuan` shares an overdue task with an overdue milestone,
/// and the 党总支's brand summary counts its progress from its milestones.
fn task_extras(title: &str) -> (&'static [Who], &'static [MilestoneSpec]) {
    match title {
        "电能表检定装置建标" => (
            &[Who::Account("dangyuan")],
            &[
                ((6, 30), "装置到货并完成安装调试", Some((7, 8))),
                ((8, 31), "完成不确定度评定报告", None),
                ((9, 30), "提交建标考核申请", None),
            ],
        ),
        "四季度走进企业：充电桩计量服务" => (
            &[Who::Member(2)],
            &[
                ((11, 15), "确定服务企业名单", Some((11, 12))),
                ((12, 10), "完成现场检定服务", None),
            ],
        ),
        "年度品牌成果总结与典型经验提炼" => (
            &[Who::Deputy],
            &[
                ((10, 31), "征集各支部典型案例", Some((10, 28))),
                ((11, 30), "形成总结初稿", None),
                ((12, 20), "党总支委员会审议定稿", None),
            ],
        ),
        _ => (&[], &[]),
    }
}

struct PlanSpec {
    org: &'static str,
    title: &'static str,
    status: PlanStatus,
    goals: &'static [GoalSpec],
    items: &'static [ItemSpec],
    tasks: &'static [TaskSpec],
}

/// Who attends a meeting.
#[derive(Clone, Copy)]
enum Att {
    /// Everyone on the roster but a few, absent with reasons.
    Most,
    /// Only this many present (the rest absent with reasons).
    Present(usize),
    /// The secretary and one other person (谈心谈话).
    Pair(Who),
}

struct MeetSpec {
    kind: MeetingKind,
    on: (u32, u32),
    topic: &'static str,
    goals: &'static [&'static str],
    att: Att,
}

const fn m(
    kind: MeetingKind,
    on: (u32, u32),
    topic: &'static str,
    goals: &'static [&'static str],
) -> MeetSpec {
    MeetSpec {
        kind,
        on,
        topic,
        goals,
        att: Att::Most,
    }
}

const fn talk(on: (u32, u32), topic: &'static str, with: Who) -> MeetSpec {
    MeetSpec {
        kind: MeetingKind::HeartTalk,
        on,
        topic,
        goals: &[],
        att: Att::Pair(with),
    }
}

/// The 支委会 of a branch with a committee: one a month on `day`, except `skip`; each month's
/// usual agenda plus the business work it schedules (cycled), which the meeting serves.
struct CommitteeSpec {
    day: u32,
    skip: &'static [u32],
    focus: &'static [(&'static str, &'static [&'static str])],
}

struct LifeSpec {
    org: &'static str,
    committee: Option<CommitteeSpec>,
    meetings: &'static [MeetSpec],
    /// Reasons of absence typical of the unit.
    reasons: &'static [&'static str],
}

/// The usual agenda of a branch committee meeting by month.
const AGENDA: [&str; 12] = [
    "研究年度党建工作要点和业务目标分解",
    "研究节后收心和春季党员教育安排",
    "研究一季度党员大会议题和入党积极分子培养",
    "研究主题党日安排，听取党员责任区工作情况",
    "研究入党积极分子确定和党员教育培训",
    "研究“七一”表彰推荐和书记讲党课安排",
    "研究上半年工作小结和下半年重点任务",
    "研究党费收缴情况和暑期党员教育",
    "研究三季度党员大会议题和发展对象考察",
    "研究年度民主评议党员工作方案",
    "研究组织生活会准备和年度工作总结",
    "审议年度党建工作总结",
];

const AGENCY_REASONS: &[&str] = &["出差", "执法检查", "外出培训", "病假", "事假", "值守窗口"];
const RESEARCH_REASONS: &[&str] = &[
    "出差（外地现场检定）",
    "参加能力验证比对",
    "外出培训",
    "病假",
    "事假",
    "实验室值班",
];
const SCHOOL_REASONS: &[&str] = &["监考", "带学生参加竞赛", "外出培训", "病假", "事假", "产假"];

// ---------------------------------------------------------------------------------------------
// The plans. Parents come first, so a branch's goals can align to its unit's.

use MeetingKind::{DemocraticReview, GeneralAssembly, LifeMeeting, PartyLecture, ThemeDay as Day};

#[rustfmt::skip]
const PLANS: &[PlanSpec] = &[
    // ----- 市市场监督管理局机关党委 (机关: assists and supervises, never directs business work)
    PlanSpec {
        org: "市市场监督管理局机关党委",
        title: "2026年度局机关党建与业务工作融合计划",
        status: PlanStatus::InProgress,
        goals: &[
            GoalSpec {
                key: "b_metro",
                title: "民生计量监督检查提质扩面",
                dept: "计量科",
                is_key: true,
                stated_by: "局长办公会",
                parent: None,
                kpis: &[kpi(
                    "民生计量器具监督抽查批次",
                    "批次",
                    UP,
                    "0",
                    "150",
                    "1:8 2:19 3:32 4:45 5:58 6:70 7:79 8:92 9:108 10:121",
                    Src::Page,
                )],
            },
            GoalSpec {
                key: "b_permit",
                title: "行政许可审批提速增效",
                dept: "法规科",
                is_key: true,
                stated_by: "局长办公会",
                parent: None,
                kpis: &[kpi(
                    "行政许可平均办理时限",
                    "工作日",
                    DOWN,
                    "6",
                    "4",
                    "1:5.8 2:5.7 3:5.5 4:5.2 5:5 6:4.9 7:4.8 8:4.6 9:4.5 10:4.4",
                    Src::Api,
                )],
            },
            GoalSpec {
                key: "b_std",
                title: "地方标准制修订",
                dept: "标准化科",
                is_key: false,
                stated_by: "局长办公会",
                parent: None,
                kpis: &[kpi("主导制修订地方标准", "项", UP, "0", "12", "3:2 6:5 9:8 10:9", Src::Page)],
            },
            GoalSpec {
                key: "b_office",
                title: "机关效能建设：督办事项按时办结",
                dept: "办公室",
                is_key: false,
                stated_by: "局长办公会",
                parent: None,
                kpis: &[kpi("督办事项按时办结率", "%", UP, "95", "99", "3:96.2 6:97 9:97.8 10:98.1", Src::Page)],
            },
        ],
        items: &[
            ItemSpec {
                key: "b_model",
                kind: "other",
                title: "模范机关创建",
                desc: "以“让党中央放心、让人民群众满意”为标准开展模范机关创建，推动作风建设和服务提质",
                owner: Who::SecretaryOf("局机关第一党支部"),
                from: (1, 1),
                to: (12, 31),
                links: &[
                    ("b_permit", "support", "以模范机关创建推动审批窗口作风建设，保障行政许可提速"),
                    ("b_office", "support", "创建考核纳入督办事项办结情况，保障机关效能提升"),
                ],
            },
            ItemSpec {
                key: "b_clean",
                kind: "other",
                title: "廉政风险点排查与监督",
                desc: "对监督抽查、行政处罚、行政许可等环节开展廉政风险点排查，建立台账，定期复查",
                owner: Who::SecretaryOf("局机关第一党支部"),
                from: (2, 1),
                to: (11, 30),
                links: &[
                    ("b_metro", "supervision", "对监督抽查和行政处罚环节开展廉政风险排查，监督执法规范"),
                    ("b_permit", "supervision", "监督行政许可办理时限和“一次办好”承诺落实"),
                ],
            },
            ItemSpec {
                key: "b_study",
                kind: "topic_study",
                title: "专题学习：《中国共产党党和国家机关基层组织工作条例》",
                desc: "明确机关党组织协助和监督本单位完成任务的职责",
                owner: Who::SecretaryOf("局机关第一党支部"),
                from: (3, 1),
                to: (5, 31),
                links: &[("b_office", "support", "学习条例，明确机关党组织保障和监督职责，促进督办事项按时办结")],
            },
        ],
        tasks: &[
            TaskSpec {
                title: "完成廉政风险点排查并建立台账",
                item: Some("b_clean"),
                goal: Some("b_metro"),
                who: Who::SecretaryOf("局机关第一党支部"),
                partner: "计量科 赵科长",
                deadline: (4, 30),
                updates: &[("done", 100, "排查风险点 23 个，建立台账并明确防控措施")],
            },
            TaskSpec {
                title: "模范机关创建中期评估",
                item: Some("b_model"),
                goal: Some("b_permit"),
                who: Who::SecretaryOf("局机关第一党支部"),
                partner: "办公室 钱主任",
                deadline: (7, 15),
                updates: &[("in_progress", 50, "完成各科室自评"), ("done", 100, "中期评估完成，形成问题清单 6 条并逐条整改")],
            },
            TaskSpec {
                title: "制定年度机关党建述职评议方案",
                item: Some("b_model"),
                goal: None,
                who: Who::SecretaryOf("局机关第一党支部"),
                partner: "",
                deadline: (12, 15),
                updates: &[],
            },
        ],
    },
    // ----- 局机关第一党支部
    PlanSpec {
        org: "局机关第一党支部",
        title: "2026年度局机关第一党支部党建与业务工作计划",
        status: PlanStatus::InProgress,
        goals: &[
            GoalSpec {
                key: "j_check",
                title: "集贸市场、加油站计量器具监督检查",
                dept: "计量科",
                is_key: true,
                stated_by: "计量科科长",
                parent: Some("b_metro"),
                kpis: &[kpi(
                    "监督检查批次",
                    "批次",
                    UP,
                    "0",
                    "80",
                    "1:4 2:10 3:17 4:24 5:31 6:37 7:42 8:49 9:58 10:66",
                    Src::Page,
                )],
            },
            GoalSpec {
                key: "j_permit",
                title: "行政许可“一次办好”",
                dept: "法规科",
                is_key: true,
                stated_by: "法规科科长",
                parent: Some("b_permit"),
                kpis: &[kpi("即办件占比", "%", UP, "40", "60", "3:44 6:49.5 9:55 10:56.2", Src::Api)],
            },
            GoalSpec {
                key: "j_std",
                title: "参与地方标准起草",
                dept: "标准化科",
                is_key: false,
                stated_by: "标准化科科长",
                parent: Some("b_std"),
                kpis: &[kpi("参与起草地方标准", "项", UP, "0", "5", "6:2 9:3 10:4", Src::Page)],
            },
            GoalSpec {
                key: "j_doc",
                title: "公文办理提速",
                dept: "办公室",
                is_key: false,
                stated_by: "办公室主任",
                parent: Some("b_office"),
                kpis: &[kpi("公文平均流转时间", "工作日", DOWN, "3", "2", "3:2.8 6:2.5 9:2.3 10:2.2", Src::Page)],
            },
        ],
        items: &[
            ItemSpec {
                key: "j_post",
                kind: "pioneer_post",
                title: "党员先锋岗（计量监督检查）",
                desc: "计量科党员带头承担集贸市场、加油站计量器具抽查，亮身份、作承诺",
                owner: Who::Member(0),
                from: (1, 1),
                to: (12, 31),
                links: &[("j_check", "direct_boost", "先锋岗党员带头承担集贸市场、加油站抽查任务，助推年度监督检查批次完成")],
            },
            ItemSpec {
                key: "j_zone",
                kind: "responsibility_zone",
                title: "党员责任区（行政许可窗口）",
                desc: "窗口党员划分责任区，负责即办事项清单梳理和群众诉求跟踪",
                owner: Who::Duty("组织委员"),
                from: (1, 1),
                to: (12, 31),
                links: &[("j_permit", "direct_boost", "窗口党员亮身份、作承诺，梳理即办事项，助推即办件占比提升")],
            },
            ItemSpec {
                key: "j_day",
                kind: "theme_day",
                title: "主题党日：“计量惠民”进市场",
                desc: "结合“5·20世界计量日”和“3·15”开展计量宣传进市场、进加油站",
                owner: Who::Duty("宣传委员"),
                from: (3, 1),
                to: (10, 31),
                links: &[("j_check", "support", "主题党日结合计量宣传进市场，为监督检查营造诚信计量氛围")],
            },
            ItemSpec {
                key: "j_clean",
                kind: "other",
                title: "廉政风险防控：执法检查廉洁提醒",
                desc: "每次执法检查前开展廉洁提醒，检查后回访经营户",
                owner: Who::Duty("纪检委员"),
                from: (1, 1),
                to: (12, 31),
                links: &[
                    ("j_check", "supervision", "检查前廉洁提醒、检查后回访经营户，监督执法检查规范廉洁"),
                    ("j_permit", "supervision", "监督即办承诺兑现，受理群众对窗口服务的意见"),
                ],
            },
            ItemSpec {
                key: "j_study",
                kind: "topic_study",
                title: "专题学习：优化营商环境政策",
                desc: "学习《优化营商环境条例》和本省实施办法",
                owner: Who::Secretary,
                from: (2, 1),
                to: (6, 30),
                links: &[("j_permit", "support", "学习营商环境政策，提升审批服务能力，保障行政许可提速")],
            },
            ItemSpec {
                key: "j_pair",
                kind: "pairing",
                title: "结对帮扶：老党员带新科员（标准化）",
                desc: "标准化科老党员与新入职科员结对，带教标准起草",
                owner: Who::Member(4),
                from: (3, 1),
                to: (12, 31),
                links: &[("j_std", "support", "老党员带新科员参与地方标准起草，保障标准制修订进度")],
            },
        ],
        tasks: &[
            TaskSpec {
                title: "完成一季度集贸市场计量器具专项检查",
                item: Some("j_post"),
                goal: Some("j_check"),
                who: Who::Member(2),
                partner: "计量科 赵科长",
                deadline: (3, 31),
                updates: &[
                    ("in_progress", 50, "已完成东城、南湖两个集贸市场检查"),
                    ("done", 100, "完成 6 个集贸市场检查，抽查电子秤 412 台，不合格 9 台已责令整改"),
                ],
            },
            TaskSpec {
                title: "加油站加油机专项监督检查",
                item: Some("j_post"),
                goal: Some("j_check"),
                who: Who::Member(5),
                partner: "计量科 赵科长",
                deadline: (9, 30),
                updates: &[("in_progress", 60, "完成 38 座加油站检查"), ("done", 100, "完成 64 座加油站 512 台加油机检查，立案 2 起")],
            },
            TaskSpec {
                title: "梳理行政许可即办事项清单",
                item: Some("j_zone"),
                goal: Some("j_permit"),
                who: Who::Duty("组织委员"),
                partner: "法规科 孙科长",
                deadline: (5, 31),
                updates: &[("done", 100, "新增即办事项 14 项，清单已在政务服务网公开")],
            },
            TaskSpec {
                title: "年度廉政风险点复查",
                item: Some("j_clean"),
                goal: Some("j_check"),
                who: Who::Duty("纪检委员"),
                partner: "",
                deadline: (11, 15),
                updates: &[("in_progress", 70, "已复查风险点 16 个，余 7 个待科室反馈")],
            },
            TaskSpec {
                title: "参与《电子计价秤使用管理规范》地方标准起草",
                item: Some("j_pair"),
                goal: Some("j_std"),
                who: Who::Member(7),
                partner: "标准化科 周科长",
                deadline: (12, 20),
                updates: &[("in_progress", 60, "完成征求意见稿")],
            },
        ],
    },
    // ----- 市计量测试研究院党总支
    PlanSpec {
        org: "市计量测试研究院党总支",
        title: "2026年度研究院党建与业务工作融合计划",
        status: PlanStatus::InProgress,
        goals: &[
            GoalSpec {
                key: "i_calib",
                title: "检定校准服务能力提升",
                dept: "业务管理部",
                is_key: true,
                stated_by: "院长办公会",
                parent: None,
                kpis: &[kpi(
                    "年检定校准台件数",
                    "台件",
                    UP,
                    "0",
                    "120000",
                    "1:8600 2:17900 3:28400 4:38900 5:49600 6:60800 7:70900 8:80600 9:91200 10:101500",
                    Src::ApiFrom(7),
                )],
            },
            GoalSpec {
                key: "i_std",
                title: "计量标准建标",
                dept: "质量管理部",
                is_key: true,
                stated_by: "院长办公会",
                parent: None,
                kpis: &[kpi("新建计量标准", "项", UP, "0", "10", "3:1 6:3 9:6 10:7", Src::Page)],
            },
            GoalSpec {
                key: "i_research",
                title: "科研项目立项与攻关",
                dept: "科研管理部",
                is_key: false,
                stated_by: "院长办公会",
                parent: None,
                kpis: &[kpi("科研项目立项", "项", UP, "0", "5", "4:1 7:3 10:4", Src::Page)],
            },
            GoalSpec {
                key: "i_service",
                title: "服务企业高质量发展",
                dept: "业务管理部",
                is_key: true,
                stated_by: "院长办公会",
                parent: None,
                kpis: &[
                    kpi(
                        "服务企业",
                        "家次",
                        UP,
                        "0",
                        "1000",
                        "1:62 2:121 3:205 4:288 5:372 6:455 7:530 8:601 9:702 10:790",
                        Src::Api,
                    ),
                    kpi("企业满意度", "%", UP, "95", "98", "3:95.8 6:96.5 9:97.2", Src::Page),
                ],
            },
        ],
        items: &[
            ItemSpec {
                key: "i_brand",
                kind: "other",
                title: "党建品牌“计量先锋”培育",
                desc: "以“计量先锋”品牌统领各支部先锋岗、突击队和责任区，年底提炼典型经验",
                owner: Who::Secretary,
                from: (1, 1),
                to: (12, 31),
                links: &[
                    ("i_calib", "support", "以“计量先锋”品牌凝聚党员，带动检定校准一线攻坚"),
                    ("i_std", "support", "品牌评选向建标攻关倾斜，激励党员骨干承担新建计量标准"),
                ],
            },
            ItemSpec {
                key: "i_pair",
                kind: "pairing",
                title: "结对共建：院党总支与园区企业党组织",
                desc: "与 5 家园区企业党组织签订共建协议，每季度开展一次联合主题党日",
                owner: Who::Deputy,
                from: (3, 1),
                to: (12, 31),
                links: &[("i_service", "direct_boost", "与企业党组织结对共建，上门开展计量技术服务和计量管理培训")],
            },
            ItemSpec {
                key: "i_study",
                kind: "topic_study",
                title: "专题学习：计量发展规划与科研诚信",
                desc: "党总支理论学习中心组专题学习",
                owner: Who::Secretary,
                from: (4, 1),
                to: (6, 30),
                links: &[("i_research", "supervision", "结合科研诚信要求，监督科研项目过程管理和经费使用")],
            },
        ],
        tasks: &[
            TaskSpec {
                title: "制定“计量先锋”品牌建设方案",
                item: Some("i_brand"),
                goal: Some("i_calib"),
                who: Who::Secretary,
                partner: "业务管理部 吴部长",
                deadline: (3, 31),
                updates: &[("done", 100, "方案经党总支委员会审议通过并印发")],
            },
            TaskSpec {
                title: "与 5 家园区企业党组织签订共建协议",
                item: Some("i_pair"),
                goal: Some("i_service"),
                who: Who::Deputy,
                partner: "业务管理部 吴部长",
                deadline: (6, 30),
                updates: &[("in_progress", 60, "已与 3 家企业签约"), ("done", 100, "5 家企业全部签约，开展联合主题党日 2 次")],
            },
            TaskSpec {
                title: "年度品牌成果总结与典型经验提炼",
                item: Some("i_brand"),
                goal: None,
                who: Who::Secretary,
                partner: "",
                deadline: (12, 25),
                updates: &[],
            },
        ],
    },
    // ----- 检定校准党支部
    PlanSpec {
        org: "检定校准党支部",
        title: "2026年度检定校准党支部党建与业务工作计划",
        status: PlanStatus::InProgress,
        goals: &[
            GoalSpec {
                key: "c_calib",
                title: "长度、热工、电学检定校准任务",
                dept: "长度计量室",
                is_key: true,
                stated_by: "长度计量室主任",
                parent: Some("i_calib"),
                kpis: &[kpi(
                    "年检定校准台件数",
                    "台件",
                    UP,
                    "0",
                    "60000",
                    "1:4100 2:8500 3:13600 4:18800 5:23900 6:29300 7:34100 8:38700 9:43900 10:48800",
                    Src::ApiFrom(7),
                )],
            },
            GoalSpec {
                key: "c_std",
                title: "新建计量标准（建标）",
                dept: "热工计量室",
                is_key: true,
                stated_by: "热工计量室主任",
                parent: Some("i_std"),
                kpis: &[kpi("新建计量标准", "项", UP, "0", "4", "3:0 6:1 9:2 10:2", Src::Page)],
            },
            GoalSpec {
                key: "c_service",
                title: "送检定校准服务进企业",
                dept: "电学计量室",
                is_key: false,
                stated_by: "电学计量室主任",
                parent: Some("i_service"),
                kpis: &[
                    kpi(
                        "服务企业",
                        "家次",
                        UP,
                        "0",
                        "400",
                        "1:25 2:48 3:80 4:112 5:140 6:171 7:198 8:226 9:262 10:297",
                        Src::Api,
                    ),
                    kpi("企业满意度", "%", UP, "95", "98", "3:95.6 6:96.4 9:97.1", Src::Page),
                ],
            },
            GoalSpec {
                key: "c_quality",
                title: "检定证书质量",
                dept: "长度计量室",
                is_key: false,
                stated_by: "质量负责人",
                parent: None,
                kpis: &[kpi("证书差错率", "‰", DOWN, "1.0", "0.5", "3:0.9 6:0.7 9:0.6", Src::Page)],
            },
        ],
        items: &[
            ItemSpec {
                key: "c_pioneer",
                kind: "pioneer_post",
                title: "党员先锋岗（检定校准）",
                desc: "在长度、热工、电学三个计量室各设党员先锋岗，党员带头承担急难检定任务和超期未检器具清零",
                owner: Who::Member(0),
                from: (1, 1),
                to: (12, 31),
                links: &[
                    ("c_calib", "direct_boost", "先锋岗党员带头承担急难检定任务，年检定校准台件数按月调度"),
                    ("c_quality", "direct_boost", "先锋岗实行证书“双人复核”，降低证书差错率"),
                ],
            },
            ItemSpec {
                key: "c_force",
                kind: "task_force",
                title: "党员突击队（建标攻关）",
                desc: "由 6 名党员骨干组成，攻关活塞式压力计标准装置和电能表检定装置两项建标",
                owner: Who::Deputy,
                from: (2, 1),
                to: (11, 30),
                links: &[("c_std", "direct_boost", "突击队承担两项新建计量标准的技术攻关和建标考核准备")],
            },
            ItemSpec {
                key: "c_zone",
                kind: "responsibility_zone",
                title: "党员责任区（实验室）",
                desc: "每个实验室划定党员责任区，负责环境条件、设备期间核查和实验室安全",
                owner: Who::Duty("组织委员"),
                from: (1, 1),
                to: (12, 31),
                links: &[
                    ("c_quality", "support", "责任区党员负责实验室环境和设备期间核查，保障检定质量"),
                    ("c_calib", "support", "责任区保障设备完好率，支撑检定校准产能"),
                ],
            },
            ItemSpec {
                key: "c_day",
                kind: "theme_day",
                title: "主题党日（走进企业）",
                desc: "每季度一次走进园区企业，送检定校准服务上门，解答企业计量问题",
                owner: Who::Duty("宣传委员"),
                from: (3, 1),
                to: (12, 31),
                links: &[("c_service", "direct_boost", "主题党日走进企业现场检定、答疑，服务企业家次计入目标")],
            },
            ItemSpec {
                key: "c_lecture",
                kind: "party_lecture",
                title: "书记讲党课：以高质量计量服务助推发展",
                desc: "结合检定校准任务讲责任担当",
                owner: Who::Secretary,
                from: (6, 1),
                to: (6, 30),
                links: &[("c_calib", "support", "党课结合年度检定任务讲责任担当，凝聚一线党员")],
            },
        ],
        tasks: &[
            TaskSpec {
                title: "一季度超期未检器具清零",
                item: Some("c_pioneer"),
                goal: Some("c_calib"),
                who: Who::Member(1),
                partner: "长度计量室 王主任",
                deadline: (3, 31),
                updates: &[("in_progress", 40, "已检定超期器具 260 台件"), ("done", 100, "超期未检器具 615 台件全部完成检定")],
            },
            TaskSpec {
                title: "活塞式压力计标准装置建标考核",
                item: Some("c_force"),
                goal: Some("c_std"),
                who: Who::Deputy,
                partner: "热工计量室 陈主任",
                deadline: (6, 30),
                updates: &[
                    ("in_progress", 30, "完成技术报告初稿"),
                    ("in_progress", 70, "完成重复性和稳定性考核"),
                    ("done", 100, "通过建标考核，取得计量标准考核证书"),
                ],
            },
            TaskSpec {
                title: "电能表检定装置建标",
                item: Some("c_force"),
                goal: Some("c_std"),
                who: Who::Member(3),
                partner: "电学计量室 刘主任",
                deadline: (9, 30),
                updates: &[("in_progress", 40, "装置到货，安装调试中"), ("in_progress", 65, "不确定度评定报告修改中，待省院专家审查")],
            },
            TaskSpec {
                title: "实验室环境监控系统升级",
                item: Some("c_zone"),
                goal: Some("c_quality"),
                who: Who::Member(5),
                partner: "长度计量室 王主任",
                deadline: (8, 31),
                updates: &[("done", 100, "温湿度监控覆盖全部 12 个实验室")],
            },
            TaskSpec {
                title: "三季度走进园区企业送服务",
                item: Some("c_day"),
                goal: Some("c_service"),
                who: Who::Duty("宣传委员"),
                partner: "电学计量室 刘主任",
                deadline: (9, 25),
                updates: &[("done", 100, "走进 12 家企业，现场检定 86 台件，解答问题 40 余个")],
            },
            TaskSpec {
                title: "四季度走进企业：充电桩计量服务",
                item: Some("c_day"),
                goal: Some("c_service"),
                who: Who::Member(7),
                partner: "电学计量室 刘主任",
                deadline: (12, 15),
                updates: &[("in_progress", 20, "已联系 4 家充电运营企业")],
            },
            TaskSpec {
                title: "检定证书双人复核制度落实检查",
                item: Some("c_pioneer"),
                goal: Some("c_quality"),
                who: Who::Duty("纪检委员"),
                partner: "",
                deadline: (10, 31),
                updates: &[("in_progress", 80, "已抽查证书 300 份，电学室待查")],
            },
            TaskSpec {
                title: "年度检定任务 6 万台件冲刺",
                item: None,
                goal: Some("c_calib"),
                who: Who::Member(9),
                partner: "长度计量室 王主任",
                deadline: (12, 25),
                updates: &[("in_progress", 81, "截至 10 月完成 48800 台件")],
            },
        ],
    },
    // ----- 科研质量党支部 (a secretary, no committee; plan deployed but not yet under way)
    PlanSpec {
        org: "科研质量党支部",
        title: "2026年度科研质量党支部党建与业务工作计划",
        status: PlanStatus::Deployed,
        goals: &[
            GoalSpec {
                key: "r_proj",
                title: "科研项目立项",
                dept: "科研管理部",
                is_key: true,
                stated_by: "科研管理部主任",
                parent: Some("i_research"),
                kpis: &[kpi("省部级以上科研项目立项", "项", UP, "0", "3", "4:1 7:2 10:2", Src::Page)],
            },
            GoalSpec {
                key: "r_paper",
                title: "科技成果产出",
                dept: "科研管理部",
                is_key: false,
                stated_by: "科研管理部主任",
                parent: None,
                kpis: &[kpi("发表科技论文", "篇", UP, "0", "10", "6:4 9:6 10:7", Src::Page)],
            },
            GoalSpec {
                key: "r_quality",
                title: "质量管理体系有效运行",
                dept: "质量管理部",
                is_key: true,
                stated_by: "质量管理部主任",
                parent: None,
                kpis: &[kpi("内审不符合项", "项", DOWN, "8", "3", "5:5 10:4", Src::Page)],
            },
            GoalSpec {
                key: "r_pt",
                title: "能力验证与比对",
                dept: "化学计量室",
                is_key: false,
                stated_by: "化学计量室主任",
                parent: None,
                kpis: &[kpi("能力验证满意率", "%", UP, "95", "100", "6:100 10:96.5", Src::Page)],
            },
        ],
        items: &[
            ItemSpec {
                key: "r_pioneer",
                kind: "pioneer_post",
                title: "党员先锋岗（科研攻关）",
                desc: "党员牵头申报省级科研项目，承担标准物质研制课题",
                owner: Who::Secretary,
                from: (1, 1),
                to: (12, 31),
                links: &[("r_proj", "direct_boost", "党员牵头申报省级科研项目，先锋岗承担标准物质研制课题")],
            },
            ItemSpec {
                key: "r_pair",
                kind: "pairing",
                title: "结对帮扶（青年科研人员）",
                desc: "老党员专家与青年科研人员一对一结对",
                owner: Who::Member(0),
                from: (3, 1),
                to: (12, 31),
                links: &[("r_paper", "support", "老党员专家一对一指导青年科研人员撰写论文和项目申报书")],
            },
            ItemSpec {
                key: "r_zone",
                kind: "responsibility_zone",
                title: "党员责任区（质量体系）",
                desc: "按部门划分责任区，跟踪体系文件宣贯和内审整改",
                owner: Who::Member(2),
                from: (1, 1),
                to: (12, 31),
                links: &[
                    ("r_quality", "direct_boost", "责任区党员分片负责体系文件宣贯和内审不符合项整改闭环"),
                    ("r_pt", "support", "责任区党员跟踪能力验证计划，组织不满意结果原因分析"),
                ],
            },
            ItemSpec {
                key: "r_study",
                kind: "topic_study",
                title: "专题学习：科研诚信与作风学风",
                desc: "学习科研诚信有关规定，开展案例警示教育",
                owner: Who::Secretary,
                from: (4, 1),
                to: (6, 30),
                links: &[("r_proj", "supervision", "结合科研诚信要求，监督科研项目过程管理和经费使用")],
            },
        ],
        tasks: &[
            TaskSpec {
                title: "申报省市场监管局科技计划项目 2 项",
                item: Some("r_pioneer"),
                goal: Some("r_proj"),
                who: Who::Secretary,
                partner: "科研管理部 郑主任",
                deadline: (4, 30),
                updates: &[("done", 100, "两项均已提交，其中一项获批立项")],
            },
            TaskSpec {
                title: "年度内审不符合项整改闭环",
                item: Some("r_zone"),
                goal: Some("r_quality"),
                who: Who::Member(2),
                partner: "质量管理部 何主任",
                deadline: (7, 31),
                updates: &[("done", 100, "5 项不符合项全部整改并通过验证")],
            },
            TaskSpec {
                title: "青年科研人员论文指导结对 5 对",
                item: Some("r_pair"),
                goal: Some("r_paper"),
                who: Who::Member(4),
                partner: "科研管理部 郑主任",
                deadline: (5, 31),
                updates: &[("done", 100, "结对 5 对，已投稿论文 3 篇")],
            },
            TaskSpec {
                title: "标准物质研制课题中期检查",
                item: Some("r_pioneer"),
                goal: Some("r_proj"),
                who: Who::Member(6),
                partner: "化学计量室 冯主任",
                deadline: (10, 15),
                updates: &[("in_progress", 50, "均匀性检验完成，稳定性考察进行中")],
            },
            TaskSpec {
                title: "能力验证不满意结果原因分析与整改",
                item: Some("r_zone"),
                goal: Some("r_pt"),
                who: Who::Member(8),
                partner: "化学计量室 冯主任",
                deadline: (11, 30),
                updates: &[("in_progress", 40, "完成原因分析，正在复测")],
            },
        ],
    },
    // ----- 综合管理党支部: plainly 两张皮. The office stated business goals; the Party work
    // items serve none of them.
    PlanSpec {
        org: "综合管理党支部",
        title: "2026年度综合管理党支部工作计划",
        status: PlanStatus::InProgress,
        goals: &[
            GoalSpec {
                key: "z_service",
                title: "行政后勤服务保障",
                dept: "办公室",
                is_key: true,
                stated_by: "办公室主任",
                parent: None,
                kpis: &[kpi("职工满意度", "%", UP, "88", "92", "6:89.5", Src::Page)],
            },
            GoalSpec {
                key: "z_archive",
                title: "公文和档案规范管理",
                dept: "办公室",
                is_key: false,
                stated_by: "办公室主任",
                parent: None,
                kpis: &[kpi("档案归档及时率", "%", UP, "90", "98", "3:91 6:93 9:94", Src::Page)],
            },
            GoalSpec {
                key: "z_budget",
                title: "预算执行进度",
                dept: "办公室",
                is_key: false,
                stated_by: "办公室主任",
                parent: None,
                kpis: &[kpi("预算执行率", "%", UP, "0", "95", "3:18.5 6:41.2 9:72.4", Src::Api)],
            },
        ],
        items: &[
            ItemSpec {
                key: "z_study",
                kind: "topic_study",
                title: "专题学习：党的创新理论",
                desc: "每月集中学习一次，党员撰写学习笔记",
                owner: Who::Secretary,
                from: (1, 1),
                to: (12, 31),
                links: &[],
            },
            ItemSpec {
                key: "z_day",
                kind: "theme_day",
                title: "主题党日：参观红色教育基地",
                desc: "组织党员参观革命纪念馆，重温入党誓词",
                owner: Who::Duty("组织委员"),
                from: (6, 1),
                to: (7, 31),
                links: &[],
            },
            ItemSpec {
                key: "z_lecture",
                kind: "party_lecture",
                title: "党课：党史专题",
                desc: "书记讲党史专题党课",
                owner: Who::Secretary,
                from: (3, 1),
                to: (11, 30),
                links: &[],
            },
            ItemSpec {
                key: "z_read",
                kind: "other",
                title: "读书分享会",
                desc: "每季度一次，交流理论读物读书体会",
                owner: Who::Duty("宣传委员"),
                from: (1, 1),
                to: (12, 31),
                links: &[],
            },
        ],
        tasks: &[
            TaskSpec {
                title: "上半年理论学习笔记检查",
                item: Some("z_study"),
                goal: None,
                who: Who::Secretary,
                partner: "",
                deadline: (6, 30),
                updates: &[("done", 100, "检查学习笔记 11 本")],
            },
            TaskSpec {
                title: "组织参观革命纪念馆",
                item: Some("z_day"),
                goal: None,
                who: Who::Duty("组织委员"),
                partner: "",
                deadline: (7, 10),
                updates: &[("done", 100, "全体党员参观，重温入党誓词")],
            },
            TaskSpec {
                title: "读书分享会（每季度一次）",
                item: Some("z_read"),
                goal: None,
                who: Who::Duty("宣传委员"),
                partner: "",
                deadline: (12, 20),
                updates: &[("in_progress", 75, "已举办 3 次")],
            },
        ],
    },
    // ----- 市第十二中学党委
    PlanSpec {
        org: "市第十二中学党委",
        title: "2026年度学校党建与教育教学工作融合计划",
        status: PlanStatus::InProgress,
        goals: &[
            GoalSpec {
                key: "s_exam",
                title: "高考质量提升",
                dept: "教务处",
                is_key: true,
                stated_by: "校长办公会",
                parent: None,
                kpis: &[kpi("高考一本上线率", "%", UP, "62", "66", "6:64.8", Src::Page)],
            },
            GoalSpec {
                key: "s_enroll",
                title: "升学质量：本科上线",
                dept: "教务处",
                is_key: true,
                stated_by: "校长办公会",
                parent: None,
                kpis: &[kpi("高考本科上线率", "%", UP, "93", "95", "6:94.6", Src::Page)],
            },
            GoalSpec {
                key: "s_ethics",
                title: "师德师风建设",
                dept: "党政办公室",
                is_key: true,
                stated_by: "校长办公会",
                parent: None,
                kpis: &[kpi("师德失范事件", "起", DOWN, "0", "0", "3:0 6:0 9:0 10:0", Src::Page)],
            },
            GoalSpec {
                key: "s_moral",
                title: "立德树人：德育活动全覆盖",
                dept: "德育处",
                is_key: true,
                stated_by: "校长办公会",
                parent: None,
                kpis: &[kpi("德育活动覆盖率", "%", UP, "90", "100", "3:92 6:95 9:96 10:97", Src::Page)],
            },
            GoalSpec {
                key: "s_teacher",
                title: "青年教师成长",
                dept: "教务处",
                is_key: false,
                stated_by: "校长办公会",
                parent: None,
                kpis: &[kpi("青年教师优质课获奖", "人次", UP, "0", "12", "5:4 10:9", Src::Page)],
            },
        ],
        items: &[
            ItemSpec {
                key: "s_brand",
                kind: "other",
                title: "党建品牌“红烛先锋”培育",
                desc: "以立德树人为根本任务，统领各年级支部示范岗、责任区和师徒结对",
                owner: Who::SecretaryOf("高一年级党支部"),
                from: (1, 1),
                to: (12, 31),
                links: &[
                    ("s_moral", "support", "以“红烛先锋”品牌统筹德育活动，党员教师带头当德育导师"),
                    ("s_teacher", "support", "品牌建设纳入青年教师培养，党员骨干带徒"),
                ],
            },
            ItemSpec {
                key: "s_watch",
                kind: "other",
                title: "师德师风专项监督",
                desc: "开展有偿补课、违规收受礼品礼金专项排查",
                owner: Who::SecretaryOf("行政后勤党支部"),
                from: (2, 1),
                to: (12, 31),
                links: &[("s_ethics", "supervision", "开展有偿补课专项排查和问题线索核查，师德失范“零容忍”")],
            },
            ItemSpec {
                key: "s_model",
                kind: "model_post",
                title: "党员示范岗评选",
                desc: "每年评选党员示范岗 10 个，向教学一线和班主任倾斜",
                owner: Who::SecretaryOf("高三年级党支部"),
                from: (3, 1),
                to: (7, 10),
                links: &[
                    ("s_exam", "support", "示范岗评选向高三备考一线倾斜，激励党员教师争做质量标杆"),
                    ("s_teacher", "support", "示范岗党员承担青年教师听评课指导"),
                ],
            },
        ],
        tasks: &[
            TaskSpec {
                title: "制定师德师风负面清单并组织全体教师承诺",
                item: Some("s_watch"),
                goal: Some("s_ethics"),
                who: Who::SecretaryOf("行政后勤党支部"),
                partner: "党政办公室 许主任",
                deadline: (3, 15),
                updates: &[("done", 100, "负面清单印发，教师承诺书签订率 100%")],
            },
            TaskSpec {
                title: "评选年度党员示范岗 10 个",
                item: Some("s_model"),
                goal: Some("s_exam"),
                who: Who::SecretaryOf("高三年级党支部"),
                partner: "教务处 林主任",
                deadline: (7, 10),
                updates: &[("done", 100, "评出示范岗 10 个，高三年级 4 个")],
            },
            TaskSpec {
                title: "年度师德考核",
                item: Some("s_watch"),
                goal: Some("s_ethics"),
                who: Who::SecretaryOf("行政后勤党支部"),
                partner: "党政办公室 许主任",
                deadline: (12, 31),
                updates: &[],
            },
        ],
    },
    // ----- 高一年级党支部
    PlanSpec {
        org: "高一年级党支部",
        title: "2026年度高一年级党支部党建与教育教学工作计划",
        status: PlanStatus::InProgress,
        goals: &[
            GoalSpec {
                key: "g1_pass",
                title: "高一学科基础夯实",
                dept: "教务处",
                is_key: true,
                stated_by: "高一年级组长",
                parent: Some("s_enroll"),
                kpis: &[kpi("期末联考及格率", "%", UP, "85", "90", "1:86.2 7:88.5", Src::Page)],
            },
            GoalSpec {
                key: "g1_class",
                title: "班级常规管理",
                dept: "德育处",
                is_key: false,
                stated_by: "高一年级组长",
                parent: Some("s_moral"),
                kpis: &[kpi("文明班级达标率", "%", UP, "80", "95", "3:82 6:88 10:90", Src::Page)],
            },
            GoalSpec {
                key: "g1_moral",
                title: "新生入学教育与德育活动",
                dept: "德育处",
                is_key: true,
                stated_by: "德育处主任",
                parent: Some("s_moral"),
                kpis: &[kpi("德育活动覆盖率", "%", UP, "90", "100", "3:93 6:96 9:100 10:100", Src::Page)],
            },
            GoalSpec {
                key: "g1_young",
                title: "青年教师站稳讲台",
                dept: "教务处",
                is_key: false,
                stated_by: "教务处主任",
                parent: Some("s_teacher"),
                kpis: &[kpi("青年教师公开课达标", "人次", UP, "0", "10", "5:4 10:8", Src::Page)],
            },
        ],
        items: &[
            ItemSpec {
                key: "g1_zone",
                kind: "responsibility_zone",
                title: "党员责任区（班级）",
                desc: "每名党员教师联系 1–2 个班级，负责学困生帮扶、家校沟通和班风建设",
                owner: Who::Duty("组织委员"),
                from: (1, 1),
                to: (12, 31),
                links: &[
                    ("g1_class", "direct_boost", "党员教师包班联系，班风学风纳入责任区考核"),
                    ("g1_pass", "direct_boost", "责任区党员对学困生一对一辅导，提升期末及格率"),
                ],
            },
            ItemSpec {
                key: "g1_pair",
                kind: "pairing",
                title: "结对帮扶（青年教师）",
                desc: "党员骨干教师与青年教师师徒结对",
                owner: Who::Member(1),
                from: (2, 20),
                to: (12, 31),
                links: &[("g1_young", "direct_boost", "党员骨干与青年教师师徒结对，听评课每月不少于 4 节")],
            },
            ItemSpec {
                key: "g1_day",
                kind: "theme_day",
                title: "主题党日：师德师风",
                desc: "开展师德承诺和身边典型学习",
                owner: Who::Duty("宣传委员"),
                from: (3, 1),
                to: (12, 31),
                links: &[("g1_moral", "support", "主题党日开展师德承诺和典型学习，引导党员教师做学生成长引路人")],
            },
            ItemSpec {
                key: "g1_model",
                kind: "model_post",
                title: "党员示范岗（班主任）",
                desc: "党员班主任亮身份，班级管理经验每月交流",
                owner: Who::Member(3),
                from: (1, 1),
                to: (12, 31),
                links: &[("g1_class", "direct_boost", "党员班主任示范带动，推动文明班级达标")],
            },
        ],
        tasks: &[
            TaskSpec {
                title: "党员教师联系班级全覆盖（每人 1–2 个班）",
                item: Some("g1_zone"),
                goal: Some("g1_class"),
                who: Who::Duty("组织委员"),
                partner: "德育处 黄主任",
                deadline: (9, 30),
                updates: &[("done", 100, "17 名党员教师联系全部 16 个班")],
            },
            TaskSpec {
                title: "青年教师师徒结对 8 对并签订协议",
                item: Some("g1_pair"),
                goal: Some("g1_young"),
                who: Who::Member(2),
                partner: "教务处 林主任",
                deadline: (3, 20),
                updates: &[("done", 100, "结对 8 对，协议已签订")],
            },
            TaskSpec {
                title: "青年教师汇报课展示周",
                item: Some("g1_pair"),
                goal: Some("g1_young"),
                who: Who::Member(4),
                partner: "教务处 林主任",
                deadline: (11, 20),
                updates: &[("in_progress", 60, "已完成 5 节汇报课，余 3 节因期中考试顺延")],
            },
            TaskSpec {
                title: "期中学困生帮扶台账",
                item: Some("g1_zone"),
                goal: Some("g1_pass"),
                who: Who::Member(6),
                partner: "高一年级组 唐组长",
                deadline: (11, 30),
                updates: &[("in_progress", 50, "建立帮扶台账 42 人")],
            },
        ],
    },
    // ----- 高二年级党支部
    PlanSpec {
        org: "高二年级党支部",
        title: "2026年度高二年级党支部党建与教育教学工作计划",
        status: PlanStatus::InProgress,
        goals: &[
            GoalSpec {
                key: "g2_choice",
                title: "选科走班教学质量",
                dept: "教务处",
                is_key: true,
                stated_by: "高二年级组长",
                parent: Some("s_enroll"),
                kpis: &[kpi("学业水平合格考一次通过率", "%", UP, "95", "98", "1:96.1 7:97.3", Src::Page)],
            },
            GoalSpec {
                key: "g2_contest",
                title: "学科竞赛",
                dept: "教务处",
                is_key: false,
                stated_by: "高二年级组长",
                parent: Some("s_exam"),
                kpis: &[kpi("学科竞赛省级获奖", "人次", UP, "0", "15", "5:6 10:11", Src::Page)],
            },
            GoalSpec {
                key: "g2_volunteer",
                title: "志愿服务与社会实践",
                dept: "德育处",
                is_key: true,
                stated_by: "德育处主任",
                parent: Some("s_moral"),
                kpis: &[kpi("学生志愿服务参与率", "%", UP, "85", "95", "4:88 7:92 10:93", Src::Page)],
            },
        ],
        items: &[
            ItemSpec {
                key: "g2_coach",
                kind: "model_post",
                title: "党员示范岗（竞赛辅导）",
                desc: "党员教师牵头数学、物理竞赛辅导",
                owner: Who::Member(0),
                from: (1, 1),
                to: (12, 31),
                links: &[("g2_contest", "direct_boost", "党员教师牵头数学、物理竞赛辅导，示范岗成绩纳入民主评议")],
            },
            ItemSpec {
                key: "g2_zone",
                kind: "responsibility_zone",
                title: "党员责任区（选科走班）",
                desc: "党员教师分包走班教学班，跟踪合格考薄弱学科",
                owner: Who::Duty("组织委员"),
                from: (1, 1),
                to: (12, 31),
                links: &[("g2_choice", "direct_boost", "党员教师分包走班教学班，为合格考薄弱学生制定补弱计划")],
            },
            ItemSpec {
                key: "g2_day",
                kind: "theme_day",
                title: "主题党日：带领学生走进社区志愿服务",
                desc: "党员教师带队，师生共同开展社区志愿服务",
                owner: Who::Duty("宣传委员"),
                from: (3, 1),
                to: (12, 31),
                links: &[("g2_volunteer", "direct_boost", "主题党日与学生志愿服务结合，党员教师带队进社区")],
            },
            ItemSpec {
                key: "g2_lecture",
                kind: "party_lecture",
                title: "党课：立德树人根本任务",
                desc: "书记讲党课",
                owner: Who::Secretary,
                from: (6, 1),
                to: (6, 30),
                links: &[("g2_volunteer", "support", "党课讲立德树人，引导党员教师把思政教育融入社会实践")],
            },
        ],
        tasks: &[
            TaskSpec {
                title: "合格考薄弱学科补弱计划",
                item: Some("g2_zone"),
                goal: Some("g2_choice"),
                who: Who::Duty("组织委员"),
                partner: "教务处 林主任",
                deadline: (5, 31),
                updates: &[("done", 100, "补弱 63 人，6 月合格考一次通过率 97.3%")],
            },
            TaskSpec {
                title: "数学、物理竞赛暑期集训",
                item: Some("g2_coach"),
                goal: Some("g2_contest"),
                who: Who::Member(3),
                partner: "高二年级组 胡组长",
                deadline: (8, 20),
                updates: &[("done", 100, "集训 3 周，参训学生 48 人")],
            },
            TaskSpec {
                title: "寒假社区志愿服务方案",
                item: Some("g2_day"),
                goal: Some("g2_volunteer"),
                who: Who::Duty("宣传委员"),
                partner: "德育处 黄主任",
                deadline: (12, 31),
                updates: &[],
            },
        ],
    },
    // ----- 高三年级党支部
    PlanSpec {
        org: "高三年级党支部",
        title: "2026年度高三年级党支部党建与教育教学工作计划",
        status: PlanStatus::InProgress,
        goals: &[
            GoalSpec {
                key: "g3_exam",
                title: "2026届高考一本上线率",
                dept: "教务处",
                is_key: true,
                stated_by: "高三年级组长",
                parent: Some("s_exam"),
                kpis: &[
                    kpi("高考一本上线率", "%", UP, "62", "66", "6:65.3", Src::Page),
                    kpi("模考一本线上线率", "%", UP, "55", "64", "1:55 2:57.5 3:59 4:61.2 5:63.4", Src::Page),
                ],
            },
            GoalSpec {
                key: "g3_ug",
                title: "本科上线率",
                dept: "教务处",
                is_key: true,
                stated_by: "高三年级组长",
                parent: Some("s_enroll"),
                kpis: &[kpi("高考本科上线率", "%", UP, "93", "95", "6:95.2", Src::Page)],
            },
            GoalSpec {
                key: "g3_ethics",
                title: "师德师风：拒绝有偿补课",
                dept: "党政办公室",
                is_key: false,
                stated_by: "党政办公室主任",
                parent: Some("s_ethics"),
                kpis: &[kpi("师德失范事件", "起", DOWN, "0", "0", "3:0 6:0 9:0 10:0", Src::Page)],
            },
            GoalSpec {
                key: "g3_moral",
                title: "立德树人：成人礼与理想信念教育",
                dept: "德育处",
                is_key: false,
                stated_by: "德育处主任",
                parent: Some("s_moral"),
                kpis: &[kpi("德育活动覆盖率", "%", UP, "90", "100", "5:100 10:98", Src::Page)],
            },
        ],
        items: &[
            ItemSpec {
                key: "g3_model",
                kind: "model_post",
                title: "党员示范岗（高三备考）",
                desc: "党员教师在高三备考中带头承担培优补弱、质量分析和心理疏导",
                owner: Who::Deputy,
                from: (1, 1),
                to: (12, 31),
                links: &[
                    ("g3_exam", "direct_boost", "示范岗党员承担临界生培优，按模考数据动态调整辅导名单"),
                    ("g3_ug", "direct_boost", "党员教师包干本科临界生，一生一策"),
                ],
            },
            ItemSpec {
                key: "g3_zone",
                kind: "responsibility_zone",
                title: "党员责任区（班级）",
                desc: "党员教师联系班级，负责学生心理疏导和家校沟通",
                owner: Who::Duty("组织委员"),
                from: (1, 1),
                to: (12, 31),
                links: &[
                    ("g3_ug", "direct_boost", "责任区党员跟踪班级本科临界生，家校协同"),
                    ("g3_moral", "support", "责任区党员组织百日誓师和考前心理疏导"),
                ],
            },
            ItemSpec {
                key: "g3_pair",
                kind: "pairing",
                title: "结对帮扶（青年教师）",
                desc: "党员骨干与高三青年教师结对",
                owner: Who::Member(2),
                from: (1, 1),
                to: (12, 31),
                links: &[("g3_exam", "support", "党员骨干与高三青年教师结对，共同研究高考试题和备考策略")],
            },
            ItemSpec {
                key: "g3_day",
                kind: "theme_day",
                title: "主题党日：师德承诺践诺",
                desc: "签订拒绝有偿补课承诺书，公开接受监督",
                owner: Who::Duty("纪检委员"),
                from: (3, 1),
                to: (10, 31),
                links: &[("g3_ethics", "supervision", "主题党日签订拒绝有偿补课承诺书，接受家长和学生监督")],
            },
            ItemSpec {
                key: "g3_lecture",
                kind: "party_lecture",
                title: "党课：立德树人，为党育人、为国育才",
                desc: "书记结合成人礼讲理想信念",
                owner: Who::Secretary,
                from: (5, 1),
                to: (5, 31),
                links: &[("g3_moral", "support", "书记党课结合成人礼讲理想信念，党员教师带头当德育导师")],
            },
        ],
        tasks: &[
            TaskSpec {
                title: "一模质量分析与临界生名单",
                item: Some("g3_model"),
                goal: Some("g3_exam"),
                who: Who::Secretary,
                partner: "教务处 林主任",
                deadline: (3, 10),
                updates: &[("done", 100, "确定一本临界生 86 人，党员教师每人包干 5 人")],
            },
            TaskSpec {
                title: "高考百日誓师与考前心理疏导",
                item: Some("g3_zone"),
                goal: Some("g3_moral"),
                who: Who::Duty("宣传委员"),
                partner: "德育处 黄主任",
                deadline: (5, 31),
                updates: &[("done", 100, "百日誓师 2 月 26 日举行，心理疏导覆盖全体考生")],
            },
            TaskSpec {
                title: "高考志愿填报指导",
                item: Some("g3_model"),
                goal: Some("g3_ug"),
                who: Who::Member(3),
                partner: "高三年级组 郭组长",
                deadline: (7, 5),
                updates: &[("done", 100, "一对一指导 512 名考生")],
            },
            TaskSpec {
                title: "2027届一轮复习质量分析",
                item: Some("g3_model"),
                goal: Some("g3_exam"),
                who: Who::Member(5),
                partner: "高三年级组 郭组长",
                deadline: (11, 15),
                updates: &[("in_progress", 70, "语数英分析完成，选考科目待期中考试后完成")],
            },
            TaskSpec {
                title: "师德承诺书签订与家长回访",
                item: Some("g3_day"),
                goal: Some("g3_ethics"),
                who: Who::Duty("纪检委员"),
                partner: "",
                deadline: (10, 20),
                updates: &[("done", 100, "承诺书签订 100%，回访家长 120 户，未发现有偿补课")],
            },
        ],
    },
    // ----- 行政后勤党支部 (a secretary, no committee)
    PlanSpec {
        org: "行政后勤党支部",
        title: "2026年度行政后勤党支部党建与保障工作计划",
        status: PlanStatus::InProgress,
        goals: &[
            GoalSpec {
                key: "h_safe",
                title: "校园安全",
                dept: "总务处",
                is_key: true,
                stated_by: "总务处主任",
                parent: None,
                kpis: &[kpi("校园安全责任事故", "起", DOWN, "0", "0", "3:0 6:0 9:0 10:0", Src::Page)],
            },
            GoalSpec {
                key: "h_moral",
                title: "德育活动组织保障",
                dept: "德育处",
                is_key: false,
                stated_by: "德育处主任",
                parent: Some("s_moral"),
                kpis: &[kpi("德育活动覆盖率", "%", UP, "90", "100", "6:95 10:97", Src::Page)],
            },
            GoalSpec {
                key: "h_service",
                title: "后勤服务满意度",
                dept: "总务处",
                is_key: false,
                stated_by: "总务处主任",
                parent: None,
                kpis: &[kpi("师生满意度", "%", UP, "85", "90", "6:87.5", Src::Page)],
            },
        ],
        items: &[
            ItemSpec {
                key: "h_zone",
                kind: "responsibility_zone",
                title: "党员责任区（校园安全）",
                desc: "党员分片包干食堂、宿舍、实验室安全巡查",
                owner: Who::Secretary,
                from: (1, 1),
                to: (12, 31),
                links: &[("h_safe", "direct_boost", "党员分片包干食堂、宿舍、实验室安全巡查，隐患当日上报")],
            },
            ItemSpec {
                key: "h_post",
                kind: "pioneer_post",
                title: "党员先锋岗（后勤服务窗口）",
                desc: "报修窗口党员亮身份，报修 24 小时响应",
                owner: Who::Member(0),
                from: (1, 1),
                to: (12, 31),
                links: &[("h_service", "direct_boost", "报修窗口党员亮身份，报修 24 小时响应、限时办结")],
            },
            ItemSpec {
                key: "h_study",
                kind: "topic_study",
                title: "专题学习：校园安全与立德树人",
                desc: "学习校园安全和全员育人有关规定",
                owner: Who::Secretary,
                from: (3, 1),
                to: (6, 30),
                links: &[("h_moral", "support", "学习全员育人要求，后勤党员参与德育活动组织保障")],
            },
        ],
        tasks: &[
            TaskSpec {
                title: "食堂食品安全月度巡查",
                item: Some("h_zone"),
                goal: Some("h_safe"),
                who: Who::Secretary,
                partner: "总务处 马主任",
                deadline: (12, 31),
                updates: &[("in_progress", 83, "已完成 10 次月度巡查")],
            },
            TaskSpec {
                title: "暑期校舍维修",
                item: Some("h_post"),
                goal: Some("h_service"),
                who: Who::Member(1),
                partner: "总务处 马主任",
                deadline: (8, 25),
                updates: &[("done", 100, "完成教学楼防水和 32 间教室照明改造")],
            },
            TaskSpec {
                title: "学生宿舍消防设施更新",
                item: Some("h_zone"),
                goal: Some("h_safe"),
                who: Who::Member(3),
                partner: "总务处 马主任",
                deadline: (10, 31),
                updates: &[("in_progress", 60, "灭火器更换完成，烟感报警器待供货")],
            },
        ],
    },
];

// ---------------------------------------------------------------------------------------------
// A year of organizational life, branch by branch.

#[rustfmt::skip]
const LIVES: &[LifeSpec] = &[
    // The bureau's branch: complete, 组织生活会 and 民主评议 already held in November.
    LifeSpec {
        org: "局机关第一党支部",
        committee: Some(CommitteeSpec {
            day: 6,
            skip: &[],
            focus: &[
                ("调度集贸市场、加油站监督检查进度", &["j_check"]),
                ("听取行政许可窗口责任区工作情况", &["j_permit"]),
                ("研究地方标准起草分工", &["j_std"]),
                ("督办公文办理时效", &["j_doc"]),
            ],
        }),
        meetings: &[
            m(Day, (1, 16), "主题党日：学习贯彻中央经济工作会议精神，谋划年度监督检查", &["j_check"]),
            m(Day, (2, 27), "主题党日：学习《优化营商环境条例》，提升审批服务", &["j_permit"]),
            m(Day, (3, 13), "主题党日：“3·15”计量宣传进市场", &["j_check"]),
            m(Day, (4, 17), "主题党日：廉政警示教育", &["j_check", "j_permit"]),
            m(Day, (5, 20), "主题党日：“5·20世界计量日”计量惠民进加油站", &["j_check"]),
            m(Day, (6, 19), "主题党日：重温入党誓词，窗口党员亮身份作承诺", &["j_permit"]),
            m(Day, (7, 17), "主题党日：学习《中国共产党党和国家机关基层组织工作条例》", &[]),
            m(Day, (8, 21), "主题党日：走访经营户听取执法检查意见", &["j_check"]),
            m(Day, (9, 18), "主题党日：标准化知识讲座", &["j_std"]),
            m(Day, (10, 16), "主题党日：“一次办好”窗口服务体验", &["j_permit"]),
            m(Day, (11, 13), "主题党日：学习贯彻全会精神", &[]),
            m(GeneralAssembly, (3, 27), "一季度党员大会：部署年度计划，通报监督检查任务", &["j_check", "j_permit"]),
            m(GeneralAssembly, (6, 26), "二季度党员大会：半年工作小结，接收预备党员", &["j_check"]),
            m(GeneralAssembly, (9, 25), "三季度党员大会：研究四季度重点工作", &["j_permit", "j_std"]),
            m(GeneralAssembly, (11, 20), "四季度党员大会：年度工作总结", &["j_check", "j_permit"]),
            m(PartyLecture, (6, 30), "书记讲党课：机关党组织如何保障和监督业务工作", &["j_permit"]),
            m(PartyLecture, (10, 23), "专题党课：以严的作风做好市场监管", &["j_check"]),
            m(LifeMeeting, (11, 20), "2026年度组织生活会：对照检查，开展批评和自我批评", &[]),
            m(DemocraticReview, (11, 20), "2026年度民主评议党员", &[]),
            talk((3, 5), "书记与新任科员谈心谈话：岗位适应和作风要求", Who::Member(6)),
            talk((9, 8), "支部委员与执法一线党员谈心谈话", Who::Member(2)),
        ],
        reasons: AGENCY_REASONS,
    },
    // The demo's main branch. The 主题党日 is on the last Friday of the month, so November's
    // (the 27th) is still due; the fourth-quarter 党员大会, the 组织生活会 and the 民主评议 are
    // planned for December.
    LifeSpec {
        org: "检定校准党支部",
        committee: Some(CommitteeSpec {
            day: 3,
            skip: &[],
            focus: &[
                ("调度检定校准任务进度", &["c_calib"]),
                ("听取建标攻关突击队进展", &["c_std"]),
                ("研究走进企业服务安排", &["c_service"]),
                ("研究证书质量问题整改", &["c_quality"]),
            ],
        }),
        meetings: &[
            m(Day, (1, 30), "主题党日：年度检定任务动员，先锋岗党员亮身份", &["c_calib"]),
            m(Day, (2, 27), "主题党日：学习计量发展规划", &["i_calib"]),
            m(Day, (3, 27), "主题党日：走进企业送计量服务（一季度）", &["c_service"]),
            m(Day, (4, 24), "主题党日：实验室安全和证书质量自查", &["c_quality"]),
            m(Day, (5, 20), "主题党日：“5·20世界计量日”开放实验室", &["c_service"]),
            m(Day, (6, 26), "主题党日：走进企业送计量服务（二季度）", &["c_service"]),
            m(Day, (7, 31), "主题党日：建标攻关现场会", &["c_std"]),
            m(Day, (8, 28), "主题党日：高温季节一线检定慰问", &["c_calib"]),
            m(Day, (9, 25), "主题党日：走进企业送计量服务（三季度）", &["c_service"]),
            m(Day, (10, 30), "主题党日：学习全会精神，交流检定岗位体会", &["c_calib"]),
            m(GeneralAssembly, (3, 20), "一季度党员大会：部署年度检定任务和先锋岗设岗定责", &["c_calib", "c_std"]),
            m(GeneralAssembly, (6, 19), "二季度党员大会：通报半年检定任务完成情况", &["c_calib"]),
            m(GeneralAssembly, (9, 18), "三季度党员大会：研究四季度冲刺和建标攻关", &["c_calib", "c_std"]),
            m(PartyLecture, (6, 30), "书记讲党课：以高质量计量服务助推发展", &["c_calib"]),
            talk((3, 10), "书记与青年检定员谈心谈话：岗位成长和任务压力", Who::Member(4)),
            talk((8, 20), "组织委员与突击队党员谈心谈话", Who::Member(3)),
        ],
        reasons: RESEARCH_REASONS,
    },
    // Missed the 主题党日 of July and August and the third-quarter 党员大会.
    LifeSpec {
        org: "科研质量党支部",
        committee: None,
        meetings: &[
            m(Day, (1, 15), "主题党日：科研项目申报动员", &["r_proj"]),
            m(Day, (2, 12), "主题党日：学习科技创新有关论述", &[]),
            m(Day, (3, 13), "主题党日：质量体系文件宣贯", &["r_quality"]),
            m(Day, (4, 15), "主题党日：科研诚信案例警示教育", &["r_proj"]),
            m(Day, (5, 15), "主题党日：青年科研人员论文写作交流", &["r_paper"]),
            m(Day, (6, 12), "主题党日：能力验证经验交流", &["r_pt"]),
            m(Day, (9, 15), "主题党日：标准物质研制课题进展交流", &["r_proj"]),
            m(Day, (10, 15), "主题党日：学习全会精神", &[]),
            m(Day, (11, 18), "主题党日：内审发现问题整改回头看", &["r_quality"]),
            m(GeneralAssembly, (3, 25), "一季度党员大会：部署年度科研和质量工作", &["r_proj", "r_quality"]),
            m(GeneralAssembly, (6, 24), "二季度党员大会：半年工作小结", &["r_proj"]),
            m(PartyLecture, (5, 20), "书记讲党课：弘扬科学家精神", &["r_paper"]),
            talk((4, 8), "书记与青年科研人员谈心谈话", Who::Member(5)),
        ],
        reasons: RESEARCH_REASONS,
    },
    // 两张皮: regular meetings, all study, none serving a goal.
    LifeSpec {
        org: "综合管理党支部",
        committee: Some(CommitteeSpec {
            day: 8,
            skip: &[],
            focus: &[("研究本月理论学习安排", &[]), ("检查学习笔记", &[]), ("研究读书分享会安排", &[])],
        }),
        meetings: &[
            m(Day, (1, 20), "主题党日：学习党章", &[]),
            m(Day, (2, 24), "主题党日：学习党的创新理论（一）", &[]),
            m(Day, (3, 20), "主题党日：学习党的创新理论（二）", &[]),
            m(Day, (4, 21), "主题党日：观看廉政教育片", &[]),
            m(Day, (5, 19), "主题党日：学习党史（一）", &[]),
            m(Day, (6, 23), "主题党日：参观红色教育基地", &[]),
            m(Day, (7, 1), "主题党日：重温入党誓词", &[]),
            m(Day, (8, 18), "主题党日：学习党史（二）", &[]),
            m(Day, (9, 22), "主题党日：读书分享会", &[]),
            m(Day, (10, 20), "主题党日：学习全会精神", &[]),
            m(Day, (11, 17), "主题党日：学习《中国共产党纪律处分条例》", &[]),
            m(GeneralAssembly, (3, 24), "一季度党员大会：学习传达上级会议精神", &[]),
            m(GeneralAssembly, (6, 23), "二季度党员大会：学习传达上级会议精神", &[]),
            m(GeneralAssembly, (9, 22), "三季度党员大会：学习传达上级会议精神", &[]),
            m(PartyLecture, (4, 28), "党课：党史专题（一）", &[]),
            m(PartyLecture, (10, 27), "党课：党史专题（二）", &[]),
            talk((5, 12), "书记与党员谈心谈话", Who::Member(1)),
        ],
        reasons: RESEARCH_REASONS,
    },
    // Skipped the August 支委会 (summer holidays).
    LifeSpec {
        org: "高一年级党支部",
        committee: Some(CommitteeSpec {
            day: 5,
            skip: &[8],
            focus: &[
                ("研究班级联系和学困生帮扶", &["g1_class", "g1_pass"]),
                ("听取青年教师结对情况", &["g1_young"]),
                ("研究德育活动安排", &["g1_moral"]),
            ],
        }),
        meetings: &[
            m(Day, (1, 16), "主题党日：期末质量分析，党员教师认领学困生", &["g1_pass"]),
            m(Day, (2, 27), "主题党日：开学第一课，师德承诺", &["g1_moral"]),
            m(Day, (3, 20), "主题党日：学雷锋志愿服务", &["g1_moral"]),
            m(Day, (4, 17), "主题党日：师德师风典型学习", &["s_ethics"]),
            m(Day, (5, 15), "主题党日：班主任工作经验交流", &["g1_class"]),
            m(Day, (6, 19), "主题党日：重温入党誓词", &[]),
            m(Day, (7, 3), "主题党日：期末质量分析", &["g1_pass"]),
            m(Day, (8, 28), "主题党日：暑期师德专题学习（线上）", &["s_ethics"]),
            m(Day, (9, 18), "主题党日：新生入学教育，党员教师当德育导师", &["g1_moral"]),
            m(Day, (10, 16), "主题党日：青年教师汇报课观摩", &["g1_young"]),
            m(Day, (11, 20), "主题党日：学习全会精神", &[]),
            m(GeneralAssembly, (3, 27), "一季度党员大会：部署年度工作，党员教师联系班级", &["g1_class"]),
            m(GeneralAssembly, (6, 26), "二季度党员大会：期末质量分析", &["g1_pass"]),
            m(GeneralAssembly, (9, 25), "三季度党员大会：新学年工作部署", &["g1_moral", "g1_class"]),
            m(PartyLecture, (6, 30), "书记讲党课：做学生成长的引路人", &["g1_moral"]),
            talk((3, 18), "书记与青年党员教师谈心谈话", Who::Member(5)),
            talk((10, 21), "组织委员与新调入党员谈心谈话", Who::Member(8)),
        ],
        reasons: SCHOOL_REASONS,
    },
    // The third-quarter 党员大会 fell in the summer holidays and lacked a quorum.
    LifeSpec {
        org: "高二年级党支部",
        committee: Some(CommitteeSpec {
            day: 4,
            skip: &[],
            focus: &[("研究合格考补弱安排", &["g2_choice"]), ("研究竞赛辅导安排", &["g2_contest"]), ("研究学生志愿服务活动", &["g2_volunteer"])],
        }),
        meetings: &[
            m(Day, (1, 9), "主题党日：合格考考前动员", &["g2_choice"]),
            m(Day, (2, 27), "主题党日：开学师德承诺", &["s_ethics"]),
            m(Day, (3, 5), "主题党日：带领学生学雷锋进社区", &["g2_volunteer"]),
            m(Day, (4, 10), "主题党日：竞赛辅导经验交流", &["g2_contest"]),
            m(Day, (5, 8), "主题党日：志愿服务进敬老院", &["g2_volunteer"]),
            m(Day, (6, 12), "主题党日：合格考考前党员教师分包辅导", &["g2_choice"]),
            m(Day, (7, 3), "主题党日：重温入党誓词", &[]),
            m(Day, (8, 21), "主题党日：暑期竞赛集训慰问", &["g2_contest"]),
            m(Day, (9, 11), "主题党日：教师节师德典型学习", &["s_ethics"]),
            m(Day, (10, 9), "主题党日：带领学生参观科技馆", &["g2_volunteer"]),
            m(Day, (11, 13), "主题党日：学习全会精神", &[]),
            m(GeneralAssembly, (3, 13), "一季度党员大会：部署年度工作", &["g2_choice", "g2_contest"]),
            m(GeneralAssembly, (6, 5), "二季度党员大会：合格考备考部署", &["g2_choice"]),
            MeetSpec {
                kind: GeneralAssembly,
                on: (7, 10),
                topic: "三季度党员大会：暑期工作安排",
                goals: &["g2_volunteer"],
                att: Att::Present(7),
            },
            m(PartyLecture, (6, 26), "书记讲党课：立德树人根本任务", &["g2_volunteer"]),
            talk((4, 14), "书记与竞赛辅导党员教师谈心谈话", Who::Member(3)),
        ],
        reasons: SCHOOL_REASONS,
    },
    LifeSpec {
        org: "高三年级党支部",
        committee: Some(CommitteeSpec {
            day: 2,
            skip: &[],
            focus: &[("研究模考质量分析和临界生辅导", &["g3_exam"]), ("研究本科临界生一生一策", &["g3_ug"]), ("研究师德承诺和家长回访", &["g3_ethics"])],
        }),
        meetings: &[
            m(Day, (1, 23), "主题党日：一模质量分析，党员教师包干临界生", &["g3_exam"]),
            m(Day, (2, 26), "主题党日：高考百日誓师", &["g3_moral"]),
            m(Day, (3, 20), "主题党日：签订拒绝有偿补课承诺书", &["g3_ethics"]),
            m(Day, (4, 17), "主题党日：二模质量分析", &["g3_exam", "g3_ug"]),
            m(Day, (5, 15), "主题党日：成人礼，党员教师寄语", &["g3_moral"]),
            m(Day, (6, 19), "主题党日：高考志愿填报政策学习", &["g3_ug"]),
            m(Day, (7, 10), "主题党日：高考成绩分析，总结备考经验", &["g3_exam"]),
            m(Day, (8, 27), "主题党日：新高三备考动员", &["g3_exam"]),
            m(Day, (9, 18), "主题党日：师德承诺践诺回头看", &["g3_ethics"]),
            m(Day, (10, 16), "主题党日：一轮复习研讨", &["g3_exam"]),
            m(Day, (11, 13), "主题党日：学习全会精神", &[]),
            m(GeneralAssembly, (3, 6), "一季度党员大会：高考备考动员", &["g3_exam", "g3_ug"]),
            m(GeneralAssembly, (6, 12), "二季度党员大会：考前最后部署", &["g3_exam"]),
            m(GeneralAssembly, (9, 4), "三季度党员大会：新学年备考部署", &["g3_exam", "g3_ug"]),
            m(PartyLecture, (5, 8), "书记讲党课：立德树人，为党育人、为国育才", &["g3_moral"]),
            m(PartyLecture, (10, 30), "党课：教育家精神", &["s_ethics"]),
            talk((2, 10), "书记与高三青年教师谈心谈话：备考压力疏导", Who::Member(6)),
            talk((9, 9), "副书记与新高三班主任谈心谈话", Who::Member(1)),
        ],
        reasons: SCHOOL_REASONS,
    },
    // A secretary only (no 支委会); missed the February 主题党日; its 党课 is still due.
    LifeSpec {
        org: "行政后勤党支部",
        committee: None,
        meetings: &[
            m(Day, (1, 14), "主题党日：寒假前校园安全大检查", &["h_safe"]),
            m(Day, (3, 11), "主题党日：学习全员育人要求", &["h_moral"]),
            m(Day, (4, 15), "主题党日：食堂食品安全检查", &["h_safe"]),
            m(Day, (5, 13), "主题党日：后勤服务窗口亮身份", &["h_service"]),
            m(Day, (6, 10), "主题党日：防汛安全检查", &["h_safe"]),
            m(Day, (7, 8), "主题党日：暑期校舍维修动员", &["h_service"]),
            m(Day, (8, 26), "主题党日：开学前校园安全检查", &["h_safe"]),
            m(Day, (9, 16), "主题党日：服务新生入学", &["h_moral"]),
            m(Day, (10, 14), "主题党日：消防安全演练", &["h_safe"]),
            m(Day, (11, 11), "主题党日：学习全会精神", &[]),
            m(GeneralAssembly, (3, 18), "一季度党员大会：部署年度安全和后勤工作", &["h_safe", "h_service"]),
            m(GeneralAssembly, (6, 17), "二季度党员大会：半年工作小结", &["h_safe"]),
            m(GeneralAssembly, (9, 23), "三季度党员大会：研究四季度工作", &["h_service"]),
            talk((5, 20), "书记与预备党员谈心谈话", Who::Member(5)),
        ],
        reasons: SCHOOL_REASONS,
    },
];

// ---------------------------------------------------------------------------------------------
// Loading.

/// What [`load`] created.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct DemoPlansSummary {
    pub plans: u64,
    pub goals: u64,
    pub kpi_values: u64,
    pub items: u64,
    pub links: u64,
    pub tasks: u64,
    pub task_updates: u64,
    pub meetings: u64,
}

/// The people of one organization.
struct People {
    org: Org,
    roster: Vec<MemberRow>,
    seats: Vec<Seat>,
}

impl People {
    fn secretary(&self) -> Option<i64> {
        self.seats
            .iter()
            .find(|s| s.role == "secretary")
            .map(|s| s.member_id)
    }

    /// Those not on the committee, by name.
    fn ordinary(&self) -> Vec<i64> {
        self.roster
            .iter()
            .filter(|m| !self.seats.iter().any(|s| s.member_id == m.id))
            .map(|m| m.id)
            .collect()
    }
}

struct Loader<'a> {
    store: &'a Store,
    actor: Actor,
    scope: Scope,
    today: Date,
    period: Period,
    rng: StdRng,
    people: HashMap<&'static str, People>,
    goals: HashMap<&'static str, i64>,
    items: HashMap<&'static str, i64>,
    summary: DemoPlansSummary,
}

fn invalid(what: &str, mut e: FieldErrors) -> StoreError {
    e.add("demo", format!("演示数据“{what}”未通过校验"));
    StoreError::Invalid(e)
}

fn date_text((month, day): (u32, u32)) -> String {
    d(month, day).to_string()
}

impl Loader<'_> {
    async fn people(&mut self, name: &'static str) -> StoreResult<&People> {
        if !self.people.contains_key(name) {
            let org = self
                .store
                .org_search(&self.scope, name, 5)
                .await?
                .into_iter()
                .find(|o| o.name == name)
                .ok_or_else(|| StoreError::field("demo", format!("演示组织“{name}”不存在")))?;
            let roster = self.store.meeting_roster(&self.scope, &org).await?;
            let seats = self.store.committee(org.id).await?;
            self.people.insert(name, People { org, roster, seats });
        }
        Ok(&self.people[name])
    }

    async fn who(&mut self, org: &'static str, who: Who) -> StoreResult<Option<i64>> {
        let p = self.people(org).await?;
        Ok(match who {
            Who::Secretary => p.secretary(),
            Who::Deputy => p
                .seats
                .iter()
                .find(|s| s.role == "deputy")
                .map(|s| s.member_id)
                .or_else(|| p.secretary()),
            Who::Duty(duty) => p
                .seats
                .iter()
                .find(|s| s.duty.as_deref() == Some(duty))
                .map(|s| s.member_id)
                .or_else(|| p.secretary()),
            Who::Member(n) => {
                let ordinary = p.ordinary();
                (!ordinary.is_empty()).then(|| ordinary[n % ordinary.len()])
            }
            Who::SecretaryOf(other) => self.people(other).await?.secretary(),
            Who::Account(username) => self
                .store
                .account_by_username(username)
                .await?
                .and_then(|a| a.member_id),
        })
    }

    fn goal(&self, key: &str) -> StoreResult<i64> {
        self.goals
            .get(key)
            .copied()
            .ok_or_else(|| StoreError::field("demo", format!("演示目标 {key} 未定义")))
    }

    fn item(&self, key: &str) -> StoreResult<i64> {
        self.items
            .get(key)
            .copied()
            .ok_or_else(|| StoreError::field("demo", format!("演示工作项 {key} 未定义")))
    }

    async fn plan(&mut self, spec: &PlanSpec) -> StoreResult<()> {
        let org_id = self.people(spec.org).await?.org.id;
        let input = PlanForm {
            org_id: org_id.to_string(),
            year: YEAR.to_string(),
            title: spec.title.into(),
        }
        .validate()
        .map_err(|e| invalid(spec.title, e))?;
        let plan = self
            .store
            .plan_create(&self.actor, &self.scope, &input)
            .await?;
        self.summary.plans += 1;

        // Business goals with their KPIs (the first typed with the goal, others added).
        let mut kpi_specs = Vec::new();
        for g in spec.goals {
            let first = &g.kpis[0];
            let form = GoalForm {
                title: g.title.into(),
                department: g.dept.into(),
                is_key: if g.is_key { "1" } else { "" }.into(),
                weight: String::new(),
                parent_goal_id: match g.parent {
                    Some(p) => self.goal(p)?.to_string(),
                    None => String::new(),
                },
                stated_by: g.stated_by.into(),
                kpi: kpi_form(first),
            };
            let input = form.validate().map_err(|e| invalid(g.title, e))?;
            let id = self
                .store
                .goal_create(&self.actor, &self.scope, plan, &input)
                .await?;
            self.goals.insert(g.key, id);
            self.summary.goals += 1;
            for k in &g.kpis[1..] {
                let input = kpi_form(k).validate().map_err(|e| invalid(k.name, e))?;
                self.store
                    .kpi_add(&self.actor, &self.scope, plan, id, &input)
                    .await?;
            }
            kpi_specs.extend(g.kpis.iter().map(|k| (id, k)));
        }

        // Actual values, month by month, as the business side entered or pushed them.
        let view = self.store.plan_view(&self.scope, plan).await?;
        let mut per_goal: HashMap<i64, Vec<&crate::KpiRow>> = HashMap::new();
        for k in &view.kpis {
            per_goal.entry(k.goal_id).or_default().push(k);
        }
        let mut seen: HashMap<i64, usize> = HashMap::new();
        for (goal_id, spec_kpi) in kpi_specs {
            let n = seen.entry(goal_id).or_default();
            let row = per_goal[&goal_id][*n];
            *n += 1;
            let kpi = row.kpi();
            for entry in spec_kpi.values.split_whitespace() {
                let (month, value) = entry.split_once(':').unwrap_or((entry, ""));
                let month: u32 = month.parse().unwrap_or(0);
                let (month_text, value) = KpiValueForm {
                    month: format!("{YEAR}-{month:02}"),
                    value: value.into(),
                }
                .validate(&kpi, self.period)
                .map_err(|e| invalid(spec_kpi.name, e))?;
                let source = match spec_kpi.src {
                    Src::Page => "页面",
                    Src::Api => "接口",
                    Src::ApiFrom(from) if month >= from => "接口",
                    Src::ApiFrom(_) => "页面",
                };
                self.store
                    .kpi_value_set(&self.actor, &self.scope, row.id, &month_text, value, source)
                    .await?;
                self.summary.kpi_values += 1;
            }
        }

        // Party work items and their junction points.
        for i in spec.items {
            let owner = self.who(spec.org, i.owner).await?;
            let form = ItemForm {
                kind: i.kind.into(),
                title: i.title.into(),
                description: i.desc.into(),
                owner_member_id: owner.map(|o| o.to_string()).unwrap_or_default(),
                starts_on: date_text(i.from),
                ends_on: date_text(i.to),
            };
            let input = form
                .validate(self.period)
                .map_err(|e| invalid(i.title, e))?;
            let id = self
                .store
                .item_create(&self.actor, &self.scope, plan, &input)
                .await?;
            self.items.insert(i.key, id);
            self.summary.items += 1;
            for &(goal, kind, junction) in i.links {
                let input = LinkForm {
                    item_id: id.to_string(),
                    goal_id: self.goal(goal)?.to_string(),
                    junction: junction.into(),
                    kind: kind.into(),
                }
                .validate()
                .map_err(|e| invalid(junction, e))?;
                self.store
                    .link_create(&self.actor, &self.scope, plan, &input)
                    .await?;
                self.summary.links += 1;
            }
        }

        // Deployed together, then carried out together.
        for step in [PlanStatus::Deployed, PlanStatus::InProgress] {
            if step > spec.status {
                break;
            }
            self.store
                .plan_set_status(&self.actor, &self.scope, plan, step, None)
                .await?;
        }

        // Tasks from the items and goals, with the progress reported on them.
        for t in spec.tasks {
            let assignee = self.who(spec.org, t.who).await?;
            let (co, milestones) = task_extras(t.title);
            let mut assignee_ids = Vec::new();
            for who in co {
                assignee_ids.extend(self.who(spec.org, *who).await?.map(|m| m.to_string()));
            }
            let form = TaskForm {
                title: t.title.into(),
                item_id: t
                    .item
                    .map(|k| self.item(k))
                    .transpose()?
                    .map(|i| i.to_string())
                    .unwrap_or_default(),
                goal_id: t
                    .goal
                    .map(|k| self.goal(k))
                    .transpose()?
                    .map(|g| g.to_string())
                    .unwrap_or_default(),
                assignee_member_id: assignee.map(|a| a.to_string()).unwrap_or_default(),
                assignee_ids,
                business_owner: t.partner.into(),
                deadline: date_text(t.deadline),
                milestones: milestones
                    .iter()
                    .map(|(due, name, _)| format!("{} {name}", date_text(*due)))
                    .collect::<Vec<_>>()
                    .join("\n"),
            };
            let input = form
                .validate(self.period)
                .map_err(|e| invalid(t.title, e))?;
            let id = self
                .store
                .task_create(&self.actor, &self.scope, plan, &input)
                .await?;
            self.summary.tasks += 1;
            let stored = self.store.task_milestones(id).await?;
            for ((_, name, done), m) in milestones.iter().zip(&stored) {
                if let (Some(on), true) = (done, m.title == *name) {
                    self.store
                        .milestone_set_done(
                            &self.actor,
                            &self.scope,
                            &self.scope,
                            None,
                            id,
                            m.id,
                            Some(d(on.0, on.1)),
                        )
                        .await?;
                }
            }
            let mut status = TaskStatus::NotStarted;
            for &(to, percent, note) in t.updates {
                let input = TaskUpdateForm {
                    percent: percent.to_string(),
                    status: to.into(),
                    note: note.into(),
                }
                .validate(status)
                .map_err(|e| invalid(t.title, e))?;
                self.store
                    .task_update(
                        &self.actor,
                        &self.scope,
                        &self.scope,
                        None,
                        id,
                        &input,
                        None,
                    )
                    .await?;
                status = input.status;
                self.summary.task_updates += 1;
            }
            self.backdate_updates(id, d(t.deadline.0, t.deadline.1))
                .await?;
        }
        Ok(())
    }

    /// Demo progress reports are written now; date them as they would have been reported:
    /// a fortnight apart, the last a week before the deadline (and never after the demo date).
    async fn backdate_updates(&self, task_id: i64, deadline: Date) -> StoreResult<()> {
        let ids: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM task_updates WHERE task_id = $1 ORDER BY id")
                .bind(task_id)
                .fetch_all(&self.store.pool)
                .await?;
        let last = (deadline - chrono::Duration::days(7)).min(as_of());
        for (i, id) in ids.iter().enumerate() {
            let back = (ids.len() - 1 - i) as i64 * 14;
            let on = (last - chrono::Duration::days(back)).max(d(1, 5));
            // 16:30 in the server's time zone, the one pages show times in.
            let at = on
                .and_hms_opt(16, 30, 0)
                .and_then(|t| t.and_local_timezone(chrono::Local).earliest())
                .map_or(0, |t| t.timestamp_millis());
            sqlx::query("UPDATE task_updates SET at = $1 WHERE id = $2")
                .bind(at)
                .bind(id)
                .execute(&self.store.pool)
                .await?;
        }
        Ok(())
    }

    async fn life(&mut self, spec: &LifeSpec) -> StoreResult<()> {
        let (org, roster_ids) = {
            let p = self.people(spec.org).await?;
            (
                p.org.clone(),
                p.roster.iter().map(|r| r.id).collect::<Vec<_>>(),
            )
        };
        let goal_ids: Vec<i64> = self
            .store
            .goals_for_org(&self.scope, org.id, YEAR)
            .await?
            .iter()
            .map(|g| g.id)
            .collect();
        let everyone = self
            .store
            .meeting_entitled(&org, MeetingKind::GeneralAssembly)
            .await?;
        let committee = self
            .store
            .meeting_entitled(&org, MeetingKind::CommitteeMeeting)
            .await?;

        let mut all: Vec<(MeetingKind, Date, String, Vec<&'static str>, Att)> = spec
            .meetings
            .iter()
            .map(|s| {
                let on = d(s.on.0, s.on.1);
                (s.kind, on, s.topic.to_string(), s.goals.to_vec(), s.att)
            })
            .collect();
        if let Some(c) = &spec.committee {
            let mut focus = c.focus.iter().cycle();
            for month in 1..=12u32 {
                let on = d(month, c.day);
                if c.skip.contains(&month) || on > as_of() {
                    continue;
                }
                let (what, goals) = focus.next().copied().unwrap_or(("", &[]));
                let agenda = AGENDA[month as usize - 1];
                let topic = if what.is_empty() {
                    format!("{month}月支委会：{agenda}")
                } else {
                    format!("{month}月支委会：{agenda}；{what}")
                };
                all.push((
                    MeetingKind::CommitteeMeeting,
                    on,
                    topic,
                    goals.to_vec(),
                    Att::Most,
                ));
            }
        }
        all.sort_by_key(|(kind, on, ..)| (*on, *kind));

        for (kind, on, topic, goals, att) in all {
            let secretary = self.who(spec.org, Who::Secretary).await?;
            let (attendees, absentees) = match (kind, att) {
                (MeetingKind::CommitteeMeeting, _) => {
                    let seats: Vec<i64> = self.people[spec.org]
                        .seats
                        .iter()
                        .map(|s| s.member_id)
                        .collect();
                    let away = (seats.len() > 3 && self.rng.gen_bool(0.25))
                        .then(|| seats[self.rng.gen_range(1..seats.len())]);
                    let present = seats.iter().copied().filter(|s| Some(*s) != away).collect();
                    (present, away.into_iter().collect())
                }
                (_, Att::Pair(with)) => {
                    let other = self.who(spec.org, with).await?;
                    (secretary.into_iter().chain(other).collect(), Vec::new())
                }
                (_, Att::Present(n)) => {
                    let mut order = roster_ids.clone();
                    order.shuffle(&mut self.rng);
                    if let Some(s) = secretary {
                        order.retain(|id| *id != s);
                        order.insert(0, s);
                    }
                    let absent = order.split_off(n.min(order.len()));
                    (order, absent)
                }
                (_, Att::Most) => {
                    let max_away = match kind {
                        MeetingKind::GeneralAssembly | MeetingKind::PartyLecture => 3,
                        MeetingKind::ThemeDay => 4,
                        _ => 1,
                    };
                    let away = self.rng.gen_range(0..=max_away);
                    let mut others: Vec<i64> = roster_ids
                        .iter()
                        .copied()
                        .filter(|id| Some(*id) != secretary)
                        .collect();
                    others.shuffle(&mut self.rng);
                    let absent: Vec<i64> = others.drain(..away.min(others.len())).collect();
                    let present = roster_ids
                        .iter()
                        .copied()
                        .filter(|id| !absent.contains(id))
                        .collect();
                    (present, absent)
                }
            };
            let absentees = absentees
                .into_iter()
                .map(|id| AbsenteeForm {
                    member_id: id.to_string(),
                    reason: spec.reasons[self.rng.gen_range(0..spec.reasons.len())].into(),
                })
                .collect();
            let goal_ids_here = goals
                .iter()
                .map(|k| self.goal(k).map(|g| g.to_string()))
                .collect::<StoreResult<Vec<_>>>()?;
            let (content, decisions) = minutes(kind, &topic);
            let form = MeetingForm {
                org_id: org.id.to_string(),
                kind: kind.code().into(),
                date: on.to_string(),
                topic: topic.clone(),
                content,
                decisions,
                attendees: attendees.iter().map(i64::to_string).collect(),
                absentees,
                goals: goal_ids_here,
            };
            let input = form
                .validate(self.today, &roster_ids, &goal_ids)
                .map_err(|e| invalid(&topic, e))?;
            let entitled = if kind == MeetingKind::CommitteeMeeting {
                committee
            } else {
                everyone
            };
            self.store
                .meeting_create(&self.actor, &self.scope, &input, entitled)
                .await?;
            self.summary.meetings += 1;
        }
        Ok(())
    }
}

fn kpi_form(k: &KpiSpec) -> KpiForm {
    KpiForm {
        kpi_name: k.name.into(),
        kpi_unit: k.unit.into(),
        kpi_direction: k.dir.into(),
        kpi_low: String::new(),
        kpi_high: String::new(),
        kpi_baseline: k.baseline.into(),
        kpi_target: k.target.into(),
    }
}

/// The minutes of a meeting: its content and, for deciding bodies, its decisions.
fn minutes(kind: MeetingKind, topic: &str) -> (String, String) {
    let subject = topic
        .split_once('：')
        .map_or(topic, |(_, rest)| rest)
        .to_string();
    match kind {
        MeetingKind::GeneralAssembly => (
            format!(
                "一、传达学习上级有关会议和文件精神\n二、{subject}\n三、通报党费收缴和党员发展情况"
            ),
            "会议按规定程序进行，与会党员一致同意会议议定事项，由支部委员会分工落实。".into(),
        ),
        MeetingKind::CommitteeMeeting => (
            format!("一、{subject}\n二、听取委员分工工作汇报"),
            "明确责任分工和完成时限，下次支委会听取落实情况。".into(),
        ),
        MeetingKind::ThemeDay => (
            format!("一、重温入党誓词\n二、{subject}\n三、党员交流发言"),
            String::new(),
        ),
        MeetingKind::PartyLecture => (
            format!("讲授党课：{subject}。与会党员结合岗位交流学习体会。"),
            String::new(),
        ),
        MeetingKind::LifeMeeting => (
            "一、通报年度工作和上年度整改落实情况\n二、支部委员会对照检查\n三、党员逐一发言，开展批评和自我批评".into(),
            "形成问题清单，明确整改措施和时限。".into(),
        ),
        MeetingKind::DemocraticReview => (
            "党员个人自评、党员互评、民主测评，支部委员会综合评定。".into(),
            "评定等次结果报上级党组织备案。".into(),
        ),
        MeetingKind::HeartTalk => (
            "围绕思想、工作、学习和生活情况谈心谈话，听取意见建议。".into(),
            String::new(),
        ),
        MeetingKind::GroupMeeting => (subject, String::new()),
    }
}

/// Adds the 2026 plans, tasks, KPI values and a year of meetings to the demo organizations.
pub async fn load(store: &Store) -> StoreResult<DemoPlansSummary> {
    let mut l = Loader {
        store,
        actor: Actor::system("演示数据"),
        scope: Scope::everything(),
        today: crate::today().max(as_of()),
        period: Period::new(YEAR),
        rng: StdRng::seed_from_u64(SEED),
        people: HashMap::new(),
        goals: HashMap::new(),
        items: HashMap::new(),
        summary: DemoPlansSummary::default(),
    };
    for spec in PLANS {
        l.plan(spec).await?;
    }
    for spec in LIVES {
        l.life(spec).await?;
    }
    Ok(l.summary)
}
