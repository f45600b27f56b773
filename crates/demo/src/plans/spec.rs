//! The shape of the demo's plan and meeting data, and the small helpers its tables use.

use super::*;

// ---------------------------------------------------------------------------------------------
// The shape of the data.

/// Where a KPI's actual values come from.
#[derive(Clone, Copy)]
pub(super) enum Src {
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
pub(super) struct KpiSpec {
    pub(super) name: &'static str,
    pub(super) unit: &'static str,
    pub(super) dir: &'static str,
    pub(super) baseline: &'static str,
    pub(super) target: &'static str,
    /// Actual values as typed: "month:value" separated by spaces.
    pub(super) values: &'static str,
    pub(super) src: Src,
}

pub(super) const fn kpi(
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

pub(super) const UP: &str = "higher_better";
pub(super) const DOWN: &str = "lower_better";

pub(super) struct GoalSpec {
    /// Demo-wide handle, used by items, tasks, meetings and child plans.
    pub(super) key: &'static str,
    pub(super) title: &'static str,
    pub(super) dept: &'static str,
    pub(super) is_key: bool,
    pub(super) stated_by: &'static str,
    /// The goal of the parent organization's plan this one aligns to.
    pub(super) parent: Option<&'static str>,
    pub(super) kpis: &'static [KpiSpec],
}

/// A person, resolved against the organization's roster and committee.
#[derive(Clone, Copy)]
pub(super) enum Who {
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

pub(super) struct ItemSpec {
    pub(super) key: &'static str,
    pub(super) kind: &'static str,
    pub(super) title: &'static str,
    pub(super) desc: &'static str,
    pub(super) owner: Who,
    pub(super) from: (u32, u32),
    pub(super) to: (u32, u32),
    /// (goal key, link kind, junction point)
    pub(super) links: &'static [(&'static str, &'static str, &'static str)],
}

pub(super) struct TaskSpec {
    pub(super) title: &'static str,
    pub(super) item: Option<&'static str>,
    pub(super) goal: Option<&'static str>,
    pub(super) who: Who,
    /// 业务协同负责人 (free text).
    pub(super) partner: &'static str,
    pub(super) deadline: (u32, u32),
    /// Progress reports in order: (status, percent, note).
    pub(super) updates: &'static [(&'static str, u8, &'static str)],
}

/// A milestone of a demo task: due (month, day), name, done on (month, day) if done.
pub(super) type MilestoneSpec = ((u32, u32), &'static str, Option<(u32, u32)>);

/// Co-assignees (承办人) and milestones of a few demo tasks, by title, so that both show in
/// the demo: the member account `dangyuan` shares an overdue task with an overdue milestone,
/// and the 党总支's brand summary counts its progress from its milestones.
pub(super) fn task_extras(title: &str) -> (&'static [Who], &'static [MilestoneSpec]) {
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

pub(super) struct PlanSpec {
    pub(super) org: &'static str,
    pub(super) title: &'static str,
    pub(super) status: PlanStatus,
    pub(super) goals: &'static [GoalSpec],
    pub(super) items: &'static [ItemSpec],
    pub(super) tasks: &'static [TaskSpec],
}

/// Who attends a meeting.
#[derive(Clone, Copy)]
pub(super) enum Att {
    /// Everyone on the roster but a few, absent with reasons.
    Most,
    /// Only this many present (the rest absent with reasons).
    Present(usize),
    /// The secretary and one other person (谈心谈话).
    Pair(Who),
}

pub(super) struct MeetSpec {
    pub(super) kind: MeetingKind,
    pub(super) on: (u32, u32),
    pub(super) topic: &'static str,
    pub(super) goals: &'static [&'static str],
    pub(super) att: Att,
}

pub(super) const fn m(
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

pub(super) const fn talk(on: (u32, u32), topic: &'static str, with: Who) -> MeetSpec {
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
pub(super) struct CommitteeSpec {
    pub(super) day: u32,
    pub(super) skip: &'static [u32],
    pub(super) focus: &'static [(&'static str, &'static [&'static str])],
}

pub(super) struct LifeSpec {
    pub(super) org: &'static str,
    pub(super) committee: Option<CommitteeSpec>,
    pub(super) meetings: &'static [MeetSpec],
    /// Reasons of absence typical of the unit.
    pub(super) reasons: &'static [&'static str],
}

/// The usual agenda of a branch committee meeting by month.
pub(super) const AGENDA: [&str; 12] = [
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

pub(super) const AGENCY_REASONS: &[&str] =
    &["出差", "执法检查", "外出培训", "病假", "事假", "值守窗口"];
pub(super) const RESEARCH_REASONS: &[&str] = &[
    "出差（外地现场检定）",
    "参加能力验证比对",
    "外出培训",
    "病假",
    "事假",
    "实验室值班",
];
pub(super) const SCHOOL_REASONS: &[&str] =
    &["监考", "带学生参加竞赛", "外出培训", "病假", "事假", "产假"];
