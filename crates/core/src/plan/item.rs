//! Party work items (党建工作项) and their links to business goals (结合点).

use crate::org::UnitKind;
use serde::{Deserialize, Serialize};

/// The carriers (载体) through which Party work serves business work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartyItemKind {
    /// 党员先锋岗
    PioneerPost,
    /// 党员责任区
    ResponsibilityZone,
    /// 党员示范岗
    ModelPost,
    /// 党员突击队
    TaskForce,
    /// 主题党日
    ThemeDay,
    /// 党课
    PartyLecture,
    /// 专题学习
    TopicStudy,
    /// 结对帮扶
    Pairing,
    /// 其他
    Other,
}

impl PartyItemKind {
    pub const ALL: [PartyItemKind; 9] = [
        Self::PioneerPost,
        Self::ResponsibilityZone,
        Self::ModelPost,
        Self::TaskForce,
        Self::ThemeDay,
        Self::PartyLecture,
        Self::TopicStudy,
        Self::Pairing,
        Self::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::PioneerPost => "pioneer_post",
            Self::ResponsibilityZone => "responsibility_zone",
            Self::ModelPost => "model_post",
            Self::TaskForce => "task_force",
            Self::ThemeDay => "theme_day",
            Self::PartyLecture => "party_lecture",
            Self::TopicStudy => "topic_study",
            Self::Pairing => "pairing",
            Self::Other => "other",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::PioneerPost => "党员先锋岗",
            Self::ResponsibilityZone => "党员责任区",
            Self::ModelPost => "党员示范岗",
            Self::TaskForce => "党员突击队",
            Self::ThemeDay => "主题党日",
            Self::PartyLecture => "党课",
            Self::TopicStudy => "专题学习",
            Self::Pairing => "结对帮扶",
            Self::Other => "其他",
        }
    }
}

/// How a Party work item serves a business goal.
///
/// All three kinds are allowed in every unit, so there is no `allowed_in`: the 机关 条例 gives
/// agency Party organizations exactly the roles of 保障 (support) and 监督 (supervision), and
/// 助推 (helping push forward) is the wording the domain uses for them. What changes in a 机关
/// is the wording: the organization assists and supervises the unit's work and does not
/// direct it, so no label there may say 直接 or 引领 (see [`LinkKind::label_for`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    /// 直接助推: the item works on the goal itself (a pioneer post on the goal's work).
    DirectBoost,
    /// 保障支撑: the item creates conditions for the goal (training, morale, coordination).
    Support,
    /// 监督检查: the item checks that the goal's work is done well and cleanly.
    Supervision,
}

impl LinkKind {
    pub const ALL: [LinkKind; 3] = [Self::DirectBoost, Self::Support, Self::Supervision];

    pub fn code(self) -> &'static str {
        match self {
            Self::DirectBoost => "direct_boost",
            Self::Support => "support",
            Self::Supervision => "supervision",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The wording in schools, institutes and enterprises.
    pub fn label(self) -> &'static str {
        match self {
            Self::DirectBoost => "直接助推",
            Self::Support => "保障支撑",
            Self::Supervision => "监督检查",
        }
    }

    /// The wording for a unit of kind `unit`. In a 机关 the Party organization does not direct
    /// business work (《中国共产党党和国家机关基层组织工作条例》), so 直接助推 becomes 助推.
    pub fn label_for(self, unit: UnitKind) -> &'static str {
        match (self, unit) {
            (Self::DirectBoost, UnitKind::Agency) => "助推",
            _ => self.label(),
        }
    }

    /// One sentence for the link form's help text, in the unit's wording.
    pub fn hint_for(self, unit: UnitKind) -> &'static str {
        match (self, unit) {
            (Self::DirectBoost, UnitKind::Agency) => {
                "党员在该项业务工作中发挥作用，助推目标完成（机关党组织协助和监督本单位工作，不领导业务工作）"
            }
            (Self::DirectBoost, _) => "党建工作项直接作用于该业务目标的工作，推动目标完成",
            (Self::Support, _) => "党建工作项为该业务目标创造条件，如凝聚人心、提升能力、协调资源",
            (Self::Supervision, _) => "党建工作项监督检查该业务目标的落实情况和廉洁风险",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_round_trip() {
        let mut labels = HashSet::new();
        for k in PartyItemKind::ALL {
            assert_eq!(PartyItemKind::from_code(k.code()), Some(k));
            assert!(labels.insert(k.label()));
        }
        for k in LinkKind::ALL {
            assert_eq!(LinkKind::from_code(k.code()), Some(k));
        }
        assert_eq!(PartyItemKind::from_code(""), None);
        assert_eq!(LinkKind::from_code("lead"), None);
    }

    #[test]
    fn agency_wording_never_claims_to_direct_business_work() {
        for k in LinkKind::ALL {
            let label = k.label_for(UnitKind::Agency);
            let hint = k.hint_for(UnitKind::Agency);
            for word in ["直接", "引领", "领导业务"] {
                assert!(!label.contains(word), "{label}");
                assert!(
                    !hint.contains(word) || hint.contains("不领导业务"),
                    "{hint}"
                );
            }
        }
        assert_eq!(LinkKind::DirectBoost.label_for(UnitKind::Agency), "助推");
        assert_eq!(
            LinkKind::DirectBoost.label_for(UnitKind::School),
            "直接助推"
        );
        assert_eq!(LinkKind::Support.label_for(UnitKind::Agency), "保障支撑");
        assert_eq!(
            LinkKind::Supervision.label_for(UnitKind::Research),
            "监督检查"
        );
    }
}
