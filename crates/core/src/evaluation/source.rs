//! Where an indicator's input comes from. Every source but [`Source::Manual`] reads what the
//! system already holds (the plan, the tasks, the meeting records, the compliance engine, the
//! inspections), so nobody retypes a figure for the evaluation; a manual input needs a value
//! and a reason from a person with the authority to give it.

use super::facts::Measures;
use super::{Input, Rule};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// 组织生活: windows met of those due so far (a 党支部's; the compliance engine).
    Compliance,
    /// Tasks due so far that were done by their deadline.
    TasksOnTime,
    /// The Party work items' average progress.
    ItemsProgress,
    /// Goal agreement G: items with a junction point, goals supported, both directions.
    LinkCoverage,
    /// Task unity S: tasks and meetings serving a goal of the plan.
    Unity,
    /// Business performance U2: the KPIs of the plan's goals.
    Kpis,
    /// The KPIs of the goals the Party work serves (Party work judged by business results).
    ServedKpis,
    /// The integration index (融合度) itself.
    Integration,
    /// Rectifications (整改) past their deadline and not verified closed.
    RectificationsOverdue,
    /// A key goal (重点目标) whose KPIs were not reached once the period ended.
    KeyTargetMissed,
    /// Entered by an authorized person, with a reason.
    #[default]
    Manual,
}

impl Source {
    pub const ALL: [Source; 11] = [
        Self::Compliance,
        Self::TasksOnTime,
        Self::ItemsProgress,
        Self::LinkCoverage,
        Self::Unity,
        Self::Kpis,
        Self::ServedKpis,
        Self::Integration,
        Self::RectificationsOverdue,
        Self::KeyTargetMissed,
        Self::Manual,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Compliance => "compliance",
            Self::TasksOnTime => "tasks_on_time",
            Self::ItemsProgress => "items_progress",
            Self::LinkCoverage => "link_coverage",
            Self::Unity => "unity",
            Self::Kpis => "kpis",
            Self::ServedKpis => "served_kpis",
            Self::Integration => "integration",
            Self::RectificationsOverdue => "rectifications_overdue",
            Self::KeyTargetMissed => "key_target_missed",
            Self::Manual => "manual",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Compliance => "组织生活记录（按《支部工作条例》自动检查）",
            Self::TasksOnTime => "计划任务按期完成情况",
            Self::ItemsProgress => "党建工作项进度",
            Self::LinkCoverage => "计划的结合点（目标一致 G）",
            Self::Unity => "任务和会议服务业务目标（任务统一 S）",
            Self::Kpis => "业务目标指标完成度（业务绩效 U2）",
            Self::ServedKpis => "党建工作所服务目标的指标完成度",
            Self::Integration => "融合度",
            Self::RectificationsOverdue => "同步检查的逾期整改事项",
            Self::KeyTargetMissed => "重点目标指标未完成（期末）",
            Self::Manual => "人工录入（须说明理由）",
        }
    }

    /// A share in [0, 1] (for share and quantitative rules, as a percentage).
    fn gives_share(self) -> bool {
        matches!(
            self,
            Self::Compliance
                | Self::TasksOnTime
                | Self::ItemsProgress
                | Self::LinkCoverage
                | Self::Unity
                | Self::Kpis
                | Self::ServedKpis
                | Self::Integration
        )
    }

    /// Whether this source can feed `rule`; `None` if it can, else why not.
    pub fn fits(self, rule: &Rule) -> Option<&'static str> {
        let ok = match rule {
            _ if self == Self::Manual => true,
            Rule::Share | Rule::Quantitative { .. } => self.gives_share(),
            Rule::Graded { .. } => false,
            Rule::Deduction { .. } | Rule::Bonus { .. } => self == Self::RectificationsOverdue,
            Rule::Veto { .. } => self == Self::KeyTargetMissed,
            Rule::Honour { .. } => false,
        };
        (!ok).then_some(match rule {
            Rule::Graded { .. } => "等次评定须由上级党组织人工评定",
            Rule::Honour { .. } => "荣誉须人工录入",
            Rule::Share | Rule::Quantitative { .. } => "此数据来源给出的不是比例",
            Rule::Deduction { .. } | Rule::Bonus { .. } => "此数据来源给出的不是次数",
            Rule::Veto { .. } => "此数据来源不是否决事项",
        })
    }

    /// The input this source gives from an organization's measures; `None` for a manual one.
    pub fn input(self, rule: &Rule, m: &Measures) -> Option<Input> {
        let share = |x: Option<f64>, why: &str| match x {
            Some(share) => match rule {
                Rule::Quantitative { .. } => Input::Value {
                    value: share * 100.0,
                },
                _ => Input::Share { share },
            },
            None => Input::NotApplicable { why: why.into() },
        };
        Some(match self {
            Self::Compliance => share(m.life, "不是党支部，不适用组织生活检查"),
            Self::TasksOnTime => share(m.tasks_on_time, "本期还没有到期的任务"),
            Self::ItemsProgress => share(m.items_progress, "计划中没有党建工作项"),
            Self::LinkCoverage => share(Some(m.index.g), ""),
            Self::Unity => share(Some(m.index.s), ""),
            Self::Kpis => share(m.kpis, "业务目标的指标还没到报送期"),
            Self::ServedKpis => share(m.served_kpis, "党建工作服务的目标还没有可比的指标数据"),
            Self::Integration => share(Some(m.index.index), ""),
            Self::RectificationsOverdue => Input::Count {
                count: m.rectifications_overdue,
            },
            Self::KeyTargetMissed => match m.key_targets_missed.first() {
                Some(first) => Input::Event {
                    occurred: true,
                    what: if m.key_targets_missed.len() > 1 {
                        format!(
                            "重点目标「{first}」等 {} 项指标未完成",
                            m.key_targets_missed.len()
                        )
                    } else {
                        format!("重点目标「{first}」指标未完成")
                    },
                },
                None => Input::Event {
                    occurred: false,
                    what: String::new(),
                },
            },
            Self::Manual => return None,
        })
    }
}
