//! A brand project and its stages.

use crate::text::{self, FieldErrors};
use serde::{Deserialize, Serialize};

pub const NAME_MAX: usize = 30;
pub const SLOGAN_MAX: usize = 60;
pub const DESCRIPTION_MAX: usize = 2000;
pub const REASON_MAX: usize = 300;

/// 培育 → 创建 → 命名.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BrandStage {
    Cultivating,
    Building,
    Named,
}

impl BrandStage {
    pub const ALL: [BrandStage; 3] = [Self::Cultivating, Self::Building, Self::Named];

    pub fn code(self) -> &'static str {
        match self {
            Self::Cultivating => "cultivating",
            Self::Building => "building",
            Self::Named => "named",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Cultivating => "培育",
            Self::Building => "创建",
            Self::Named => "命名",
        }
    }

    pub fn next(self) -> Option<Self> {
        match self {
            Self::Cultivating => Some(Self::Building),
            Self::Building => Some(Self::Named),
            Self::Named => None,
        }
    }

    pub fn previous(self) -> Option<Self> {
        match self {
            Self::Cultivating => None,
            Self::Building => Some(Self::Cultivating),
            Self::Named => Some(Self::Building),
        }
    }
}

/// A stage change asked of the committee above.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageMove {
    pub from: BrandStage,
    pub to: BrandStage,
    pub reason: String,
}

impl StageMove {
    /// One step forward, or one step back (a brand that no longer holds its stage), always
    /// with the committee's reason: it goes to the audit log and to the brand's history.
    pub fn check(from: BrandStage, to: BrandStage, reason: &str) -> Result<StageMove, FieldErrors> {
        let mut e = FieldErrors::new();
        if to == from {
            e.add("stage", format!("品牌已处于“{}”阶段", from.label()));
        } else if Some(to) != from.next() && Some(to) != from.previous() {
            e.add(
                "stage",
                format!(
                    "阶段只能逐级调整：“{}”的下一阶段是“{}”",
                    from.label(),
                    from.next().map_or("（已是最高阶段）", BrandStage::label)
                ),
            );
        }
        let reason = e.check("reason", text::required("理由", reason, REASON_MAX));
        e.into_result()?;
        Ok(StageMove {
            from,
            to,
            reason: reason.unwrap_or_default(),
        })
    }
}

/// What an organization enters for its brand; the evidence of results is never typed here,
/// it is drawn from the goals, items and tasks the brand is tied to.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct BrandForm {
    pub name: String,
    pub slogan: String,
    pub description: String,
    /// Business goals of the organization's plans that the brand serves.
    pub goal_ids: Vec<i64>,
}

impl BrandForm {
    /// The form cleaned, or the message of each field that is wrong.
    pub fn validate(&self) -> Result<BrandForm, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = e.check("name", text::required("品牌名称", &self.name, NAME_MAX));
        let slogan = e.check(
            "slogan",
            text::optional("品牌口号", &self.slogan, SLOGAN_MAX),
        );
        let description = e.check(
            "description",
            text::long_text("品牌简介", &self.description, DESCRIPTION_MAX)
                .and_then(|d| d.ok_or_else(|| "请填写品牌简介".to_string())),
        );
        let mut goal_ids = self.goal_ids.clone();
        goal_ids.sort_unstable();
        goal_ids.dedup();
        if goal_ids.len() > 20 {
            e.add("goal_ids", "一个品牌最多关联 20 项业务目标");
        }
        e.into_result()?;
        Ok(BrandForm {
            name: name.unwrap_or_default(),
            slogan: slogan.flatten().unwrap_or_default(),
            description: description.unwrap_or_default(),
            goal_ids,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use BrandStage::*;

    #[test]
    fn stages_move_one_step_with_a_reason() {
        assert!(StageMove::check(Cultivating, Building, "已形成工作机制").is_ok());
        assert!(StageMove::check(Named, Building, "连续两年考核一般").is_ok());
        let e = StageMove::check(Cultivating, Named, "跳级").unwrap_err();
        assert_eq!(
            e.get("stage"),
            Some("阶段只能逐级调整：“培育”的下一阶段是“创建”")
        );
        let e = StageMove::check(Building, Building, "x").unwrap_err();
        assert_eq!(e.get("stage"), Some("品牌已处于“创建”阶段"));
        let e = StageMove::check(Building, Named, "  ").unwrap_err();
        assert!(e.get("reason").is_some());
        for s in BrandStage::ALL {
            assert_eq!(BrandStage::from_code(s.code()), Some(s));
        }
    }

    #[test]
    fn a_brand_needs_a_name_and_a_description_and_keeps_goals_once() {
        let f = BrandForm {
            name: " 计量先锋 ".into(),
            slogan: "".into(),
            description: "以检定能力建设带动支部建设".into(),
            goal_ids: vec![3, 1, 3],
        }
        .validate()
        .unwrap();
        assert_eq!(f.name, "计量先锋");
        assert_eq!(f.goal_ids, vec![1, 3]);
        let e = BrandForm::default().validate().unwrap_err();
        assert!(e.get("name").is_some() && e.get("description").is_some());
        let e = BrandForm {
            name: "名".repeat(31),
            description: "x".into(),
            ..Default::default()
        }
        .validate()
        .unwrap_err();
        assert!(e.get("name").is_some());
    }
}
