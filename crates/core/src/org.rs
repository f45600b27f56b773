//! Organizations: kinds, units, terms, committees and the formation rules
//! of 《中国共产党支部工作条例(试行)》 and 《党和国家机关基层组织工作条例》.

use serde::{Deserialize, Serialize};

/// The level of a Party organization in the tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    /// 党委 (基层党委, 机关党委)
    Committee,
    /// 党总支
    GeneralBranch,
    /// 党支部
    Branch,
    /// 党小组
    Group,
}

impl OrgKind {
    pub const ALL: [OrgKind; 4] = [
        Self::Committee,
        Self::GeneralBranch,
        Self::Branch,
        Self::Group,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Committee => "committee",
            Self::GeneralBranch => "general_branch",
            Self::Branch => "branch",
            Self::Group => "group",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Committee => "党委",
            Self::GeneralBranch => "党总支",
            Self::Branch => "党支部",
            Self::Group => "党小组",
        }
    }

    /// Usual term length in years when none is given.
    pub fn default_term_years(self) -> u8 {
        match self {
            Self::Committee => 5,
            Self::GeneralBranch | Self::Branch | Self::Group => 3,
        }
    }

    /// Which kinds may sit directly under this one.
    pub fn may_contain(self, child: OrgKind) -> bool {
        matches!(
            (self, child),
            (Self::Committee, Self::Committee)
                | (Self::Committee, Self::GeneralBranch)
                | (Self::Committee, Self::Branch)
                | (Self::GeneralBranch, Self::Branch)
                | (Self::Branch, Self::Group)
        )
    }
}

/// The kind of business unit an organization serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    School,
    Research,
    Agency,
    Enterprise,
    Other,
}

impl UnitKind {
    pub const ALL: [UnitKind; 5] = [
        Self::School,
        Self::Research,
        Self::Agency,
        Self::Enterprise,
        Self::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::School => "school",
            Self::Research => "research",
            Self::Agency => "agency",
            Self::Enterprise => "enterprise",
            Self::Other => "other",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::School => "学校",
            Self::Research => "科研院所",
            Self::Agency => "机关",
            Self::Enterprise => "企业",
            Self::Other => "其他",
        }
    }
}

/// A seat on an organization's committee.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CommitteeRole {
    Secretary,
    DeputySecretary,
    Member,
}

impl CommitteeRole {
    pub const ALL: [CommitteeRole; 3] = [Self::Secretary, Self::DeputySecretary, Self::Member];

    pub fn code(self) -> &'static str {
        match self {
            Self::Secretary => "secretary",
            Self::DeputySecretary => "deputy",
            Self::Member => "member",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Secretary => "书记",
            Self::DeputySecretary => "副书记",
            Self::Member => "委员",
        }
    }
}

pub mod formation;
pub mod term;
