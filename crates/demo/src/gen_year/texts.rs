//! What generated plans and meetings say: goals, items and meeting texts by kind of unit.

use super::*;

// ---------------------------------------------------------------------------------------------
// What each kind of unit works on.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Flavor {
    Agency,
    /// Towns, streets, villages and communities.
    Village,
    School,
    Research,
    Enterprise,
    /// Hospitals and other public institutions.
    Public,
}

pub(super) fn flavor(unit_kind: &str, name: &str) -> Flavor {
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
pub(super) enum Model {
    /// A count over the year: baseline 0, an annual target in the range, cumulative values.
    Count(f64, f64),
    /// A percentage, higher better: baseline in the first range, gain in the second.
    Rate((f64, f64), (f64, f64)),
    /// A level, lower better: baseline, cut, decimals.
    Less((f64, f64), (f64, f64), i32),
    /// Events that should not happen: 0 → 0, lower better.
    Zero,
}

pub(super) struct GoalT {
    pub(super) title: &'static str,
    pub(super) dept: &'static str,
    pub(super) by: &'static str,
    pub(super) kpi: &'static str,
    pub(super) unit: &'static str,
    pub(super) model: Model,
}

pub(super) const fn g(
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

pub(super) use Model::{Count, Less, Rate, Zero};

#[rustfmt::skip]
pub(super) const AGENCY_GOALS: &[GoalT] = &[
    g("政务服务提速", "办公室", "分管负责人", "行政审批平均办理时限", "工作日", Less((5.0, 10.0), (1.0, 3.0), 1)),
    g("依法行政水平提升", "政策法规科", "政策法规科科长", "行政执法案卷合格率", "%", Rate((88.0, 95.0), (2.0, 4.0))),
    g("重点项目推进", "综合科", "综合科科长", "重点项目完成", "项", Count(8.0, 30.0)),
    g("督查督办落实", "办公室", "办公室主任", "督办事项按时办结率", "%", Rate((92.0, 97.0), (1.0, 2.5))),
    g("群众诉求办理", "业务一科", "业务一科科长", "群众诉求按时办结率", "%", Rate((90.0, 96.0), (1.5, 3.5))),
    g("执法检查全覆盖", "执法大队", "执法大队队长", "执法检查", "次", Count(60.0, 300.0)),
    g("预算执行进度", "财务科", "财务科科长", "预算执行率", "%", Rate((85.0, 92.0), (3.0, 6.0))),
];

#[rustfmt::skip]
pub(super) const VILLAGE_GOALS: &[GoalT] = &[
    g("村集体经济增收", "村集体经济合作社", "村委会主任", "村集体经济收入", "万元", Count(10.0, 120.0)),
    g("人居环境整治", "村民委员会", "村委会主任", "人居环境整治达标户比例", "%", Rate((70.0, 85.0), (5.0, 10.0))),
    g("矛盾纠纷就地化解", "村民委员会", "调解委员会主任", "矛盾纠纷化解率", "%", Rate((90.0, 96.0), (1.5, 3.0))),
    g("网格化服务", "居民委员会", "网格长", "网格走访", "户次", Count(800.0, 5000.0)),
    g("安全生产和防灾减灾", "镇政府", "包村干部", "安全生产事故", "起", Zero),
    g("民生实事办理", "村民委员会", "村委会主任", "民生实事完成", "件", Count(5.0, 20.0)),
];

#[rustfmt::skip]
pub(super) const SCHOOL_GOALS: &[GoalT] = &[
    g("教学质量提升", "教务处", "教务处主任", "学业水平考试合格率", "%", Rate((88.0, 95.0), (1.0, 3.5))),
    g("升学质量", "教务处", "分管副校长", "升学率", "%", Rate((80.0, 94.0), (1.0, 3.0))),
    g("师德师风建设", "德育处", "分管副校长", "师德失范事件", "起", Zero),
    g("立德树人：德育活动全覆盖", "德育处", "德育处主任", "德育活动覆盖率", "%", Rate((85.0, 95.0), (3.0, 5.0))),
    g("青年教师成长", "教务处", "教务处主任", "青年教师公开课", "节", Count(20.0, 80.0)),
    g("校园安全", "总务处", "总务处主任", "校园安全责任事故", "起", Zero),
    g("学生体质健康", "体育组", "体育组长", "学生体质健康达标率", "%", Rate((85.0, 92.0), (2.0, 4.0))),
];

#[rustfmt::skip]
pub(super) const RESEARCH_GOALS: &[GoalT] = &[
    g("检定检测能力提升", "检测中心", "检测中心主任", "检定检测任务量", "台件", Count(3000.0, 40000.0)),
    g("科研项目立项", "科研管理部", "科研管理部主任", "科研项目立项", "项", Count(2.0, 8.0)),
    g("科技成果产出", "研究室", "研究室主任", "发表论文", "篇", Count(4.0, 20.0)),
    g("质量体系有效运行", "质量管理部", "质量负责人", "内审不符合项", "项", Less((6.0, 12.0), (3.0, 5.0), 0)),
    g("服务企业", "检测中心", "检测中心主任", "服务企业", "家次", Count(100.0, 800.0)),
    g("检测报告提速", "检测中心", "技术负责人", "报告平均出具时间", "工作日", Less((5.0, 8.0), (1.0, 2.0), 1)),
];

#[rustfmt::skip]
pub(super) const ENTERPRISE_GOALS: &[GoalT] = &[
    g("工业产值", "生产部", "生产部经理", "工业产值", "万元", Count(5000.0, 80000.0)),
    g("安全生产", "安全环保部", "安全总监", "安全生产事故", "起", Zero),
    g("产品质量", "技术部", "质量部长", "产品一次交验合格率", "%", Rate((95.0, 98.5), (0.5, 1.5))),
    g("技术创新", "技术部", "总工程师", "新产品和技改项目", "项", Count(3.0, 12.0)),
    g("市场开拓", "销售部", "销售部经理", "销售收入", "万元", Count(3000.0, 60000.0)),
    g("节能降耗", "财务部", "财务部经理", "万元产值能耗", "吨标准煤", Less((0.3, 0.8), (0.02, 0.06), 2)),
];

#[rustfmt::skip]
pub(super) const PUBLIC_GOALS: &[GoalT] = &[
    g("医疗服务满意度", "医务科", "院长办公会", "患者满意度", "%", Rate((88.0, 94.0), (2.0, 4.0))),
    g("缩短平均住院日", "医务科", "医务科科长", "平均住院日", "天", Less((7.0, 10.0), (0.5, 1.2), 1)),
    g("门急诊服务", "医务科", "医务科科长", "门急诊人次", "人次", Count(30000.0, 400000.0)),
    g("护理质量", "护理部", "护理部主任", "护理质量合格率", "%", Rate((92.0, 97.0), (1.0, 2.0))),
    g("合理用药", "药剂科", "药剂科主任", "处方合格率", "%", Rate((93.0, 97.0), (1.0, 2.0))),
    g("医疗安全", "医务科", "院长办公会", "重大医疗纠纷", "起", Zero),
];

/// (item kind code, title, description)
pub(super) type ItemT = (&'static str, &'static str, &'static str);

pub(super) const COMMON_ITEMS: &[ItemT] = &[
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
pub(super) const AGENCY_ITEMS: &[ItemT] = &[
    ("pioneer_post", "党员先锋岗（政务服务窗口）", "窗口党员亮身份、作承诺"),
    ("responsibility_zone", "党员责任区（执法片区）", "党员分片负责执法检查"),
    ("other", "廉政风险防控", "排查岗位廉政风险点，定期复查"),
    ("pairing", "结对帮扶：老党员带新同志", "业务骨干与新同志结对"),
];
#[rustfmt::skip]
pub(super) const VILLAGE_ITEMS: &[ItemT] = &[
    ("responsibility_zone", "党员责任区（网格）", "党员联系网格内群众"),
    ("pioneer_post", "党员先锋岗（乡村振兴）", "党员带头发展产业"),
    ("pairing", "结对帮扶：党员联系困难户", "每名党员联系 1–3 户困难群众"),
    ("other", "党员志愿服务队", "党员带头参加环境整治和应急服务"),
];
#[rustfmt::skip]
pub(super) const SCHOOL_ITEMS: &[ItemT] = &[
    ("model_post", "党员示范岗（教学一线）", "党员教师在教学一线作示范"),
    ("responsibility_zone", "党员责任区（班级）", "党员教师联系班级，负责学困生帮扶和家校沟通"),
    ("pairing", "结对帮扶（青年教师）", "党员骨干教师与青年教师师徒结对"),
    ("other", "师德师风承诺践诺", "党员教师签订师德承诺书，接受监督"),
];
#[rustfmt::skip]
pub(super) const RESEARCH_ITEMS: &[ItemT] = &[
    ("pioneer_post", "党员先锋岗（检定检测）", "党员带头承担急难检测任务"),
    ("task_force", "党员突击队（科研攻关）", "党员骨干组成突击队攻关重点课题"),
    ("responsibility_zone", "党员责任区（实验室）", "党员负责实验室环境、设备和安全"),
    ("pairing", "结对帮扶（青年科研人员）", "老党员专家指导青年科研人员"),
];
#[rustfmt::skip]
pub(super) const ENTERPRISE_ITEMS: &[ItemT] = &[
    ("pioneer_post", "党员先锋岗（生产一线）", "党员在生产一线带头攻坚"),
    ("task_force", "党员突击队（技术攻关）", "党员技术骨干攻关生产难题"),
    ("responsibility_zone", "党员责任区（安全生产）", "党员分片负责安全隐患排查"),
    ("model_post", "党员示范岗（质量标兵）", "党员争当质量标兵"),
];
#[rustfmt::skip]
pub(super) const PUBLIC_ITEMS: &[ItemT] = &[
    ("model_post", "党员示范岗（医疗服务）", "党员医护人员亮身份、优服务"),
    ("pioneer_post", "党员先锋岗（急诊急救）", "党员带头承担急诊急救任务"),
    ("responsibility_zone", "党员责任区（病区）", "党员分片负责病区质量和安全"),
    ("other", "党员志愿服务（义诊）", "党员医生定期进社区义诊"),
];

/// The junction phrase of an item kind; the goal's title follows it.
pub(super) fn junction_phrase(kind: &str) -> &'static str {
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
pub(super) fn link_kinds(kind: &str) -> [&'static str; 2] {
    match kind {
        "pioneer_post" | "responsibility_zone" | "model_post" | "task_force" | "pairing" => {
            ["direct_boost", "support"]
        }
        "other" => ["supervision", "support"],
        _ => ["support", "supervision"],
    }
}

pub(super) struct FlavorText {
    pub(super) goals: &'static [GoalT],
    pub(super) items: &'static [ItemT],
    pub(super) tasks: &'static [&'static str],
    pub(super) partners: &'static [&'static str],
    pub(super) activities: &'static [&'static str],
    pub(super) reasons: &'static [&'static str],
}

#[rustfmt::skip]
pub(super) fn text(f: Flavor) -> &'static FlavorText {
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

pub(super) const THEME_STUDY: &[&str] = &[
    "主题党日：重温入党誓词",
    "主题党日：学习党章",
    "主题党日：观看警示教育片",
    "主题党日：学习党的创新理论",
    "主题党日：参观红色教育基地",
];

pub(super) const QUARTERS: [&str; 4] = ["一季度", "二季度", "三季度", "四季度"];

pub(super) fn content(kind: MeetingKind) -> &'static str {
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

pub(super) fn decisions(kind: MeetingKind) -> Option<&'static str> {
    match kind {
        MeetingKind::GeneralAssembly => {
            Some("与会党员一致同意会议议定事项，由支部委员会分工落实。")
        }
        MeetingKind::CommitteeMeeting => Some("明确责任分工和完成时限。"),
        MeetingKind::LifeMeeting => Some("形成问题清单，明确整改措施和时限。"),
        _ => None,
    }
}
