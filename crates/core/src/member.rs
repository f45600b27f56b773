//! Members: party status and gender.

use serde::{Deserialize, Serialize};

/// Where a person stands on the road into the Party.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartyStatus {
    /// 入党申请人
    Applicant,
    /// 入党积极分子
    Activist,
    /// 发展对象
    Candidate,
    /// 预备党员
    Probationary,
    /// 正式党员
    Full,
}

impl PartyStatus {
    pub const ALL: [PartyStatus; 5] = [
        Self::Applicant,
        Self::Activist,
        Self::Candidate,
        Self::Probationary,
        Self::Full,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Applicant => "applicant",
            Self::Activist => "activist",
            Self::Candidate => "candidate",
            Self::Probationary => "probationary",
            Self::Full => "full",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Applicant => "申请人",
            Self::Activist => "积极分子",
            Self::Candidate => "发展对象",
            Self::Probationary => "预备党员",
            Self::Full => "正式党员",
        }
    }

    /// Members in the Party (probationary or full) as opposed to those on the way in.
    pub fn is_party_member(self) -> bool {
        matches!(self, Self::Probationary | Self::Full)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    Male,
    Female,
}

impl Gender {
    pub fn code(self) -> &'static str {
        match self {
            Self::Male => "male",
            Self::Female => "female",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "male" => Some(Self::Male),
            "female" => Some(Self::Female),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Male => "男",
            Self::Female => "女",
        }
    }
}
