//! The demo's two bodies: the bureau's 机关党委 with the institute's 党总支 under it, and the
//! school's 党委, with the branches of each and what they were built to show.

use super::*;

#[derive(Clone, Copy)]
pub(super) enum Committee {
    /// 支部委员会 of this many people (3–5).
    Full(usize),
    /// 书记 only (fewer than 7 full members, or deliberately missing a committee).
    SecretaryOnly,
}

pub(super) struct BranchSpec {
    pub(super) name: &'static str,
    pub(super) unit: &'static str,
    pub(super) unit_kind: &'static str,
    pub(super) founded: Date,
    pub(super) term_start: Date,
    /// Members created, in order: full, probationary, then others (activist, candidate, applicant).
    pub(super) full: usize,
    pub(super) probationary: usize,
    pub(super) others: usize,
    pub(super) committee: Committee,
    pub(super) depts: &'static [&'static str],
    pub(super) posts: &'static [&'static str],
    /// Department and post of the secretary.
    pub(super) lead: (&'static str, &'static str),
    pub(super) female_share: f64,
}

pub(super) const BUREAU: &str = "市市场监督管理局";
pub(super) const INSTITUTE: &str = "市计量测试研究院";
pub(super) const SCHOOL: &str = "市第十二中学";

pub(super) const BUREAU_DEPTS: &[&str] = &["办公室", "法规科", "计量科", "标准化科"];
pub(super) const BUREAU_POSTS: &[&str] = &["科员", "一级主任科员", "副科长", "科长"];
pub(super) const INST_POSTS: &[&str] = &["检定员", "工程师", "高级工程师", "室主任"];
pub(super) const SCHOOL_POSTS: &[&str] = &["教师", "班主任", "教研组长", "年级组长"];
pub(super) const SUBJECTS: &[&str] = &["语文组", "数学组", "英语组", "物理组"];

pub(super) fn bureau_branch() -> BranchSpec {
    BranchSpec {
        name: "局机关第一党支部",
        unit: BUREAU,
        unit_kind: "agency",
        founded: d(2002, 7, 1),
        term_start: d(2024, 4, 18),
        full: 18,
        probationary: 2,
        others: 2,
        committee: Committee::Full(5),
        depts: BUREAU_DEPTS,
        posts: BUREAU_POSTS,
        lead: ("办公室", "科长"),
        female_share: 0.4,
    }
}

pub(super) fn institute_branches() -> [BranchSpec; 3] {
    [
        BranchSpec {
            name: "检定校准党支部",
            unit: INSTITUTE,
            unit_kind: "research",
            founded: d(2008, 6, 20),
            term_start: d(2025, 3, 20),
            full: 20,
            probationary: 2,
            others: 3,
            committee: Committee::Full(5),
            depts: &["长度计量室", "热工计量室", "电学计量室"],
            posts: INST_POSTS,
            lead: ("长度计量室", "室主任"),
            female_share: 0.35,
        },
        // At least 7 full members but only a secretary: shows the committee_required warning.
        BranchSpec {
            name: "科研质量党支部",
            unit: INSTITUTE,
            unit_kind: "research",
            founded: d(2008, 6, 20),
            term_start: d(2024, 9, 10),
            full: 13,
            probationary: 2,
            others: 1,
            committee: Committee::SecretaryOnly,
            depts: &["化学计量室", "质量管理部", "科研管理部"],
            posts: INST_POSTS,
            lead: ("科研管理部", "室主任"),
            female_share: 0.45,
        },
        // Term started 2022-06-01 for 3 years: expired, shows term_expired.
        BranchSpec {
            name: "综合管理党支部",
            unit: INSTITUTE,
            unit_kind: "research",
            founded: d(2012, 3, 15),
            term_start: d(2022, 6, 1),
            full: 11,
            probationary: 1,
            others: 2,
            committee: Committee::Full(3),
            depts: &["办公室", "质量管理部", "科研管理部"],
            posts: &["工程师", "检定员", "高级工程师", "室主任"],
            lead: ("办公室", "室主任"),
            female_share: 0.55,
        },
    ]
}

pub(super) fn school_branches() -> [BranchSpec; 4] {
    [
        BranchSpec {
            name: "高一年级党支部",
            unit: SCHOOL,
            unit_kind: "school",
            founded: d(2005, 9, 1),
            term_start: d(2024, 6, 25),
            full: 17,
            probationary: 2,
            others: 2,
            committee: Committee::Full(4),
            depts: SUBJECTS,
            posts: SCHOOL_POSTS,
            lead: ("语文组", "年级组长"),
            female_share: 0.6,
        },
        BranchSpec {
            name: "高二年级党支部",
            unit: SCHOOL,
            unit_kind: "school",
            founded: d(2005, 9, 1),
            term_start: d(2025, 1, 10),
            full: 15,
            probationary: 2,
            others: 2,
            committee: Committee::Full(4),
            depts: SUBJECTS,
            posts: SCHOOL_POSTS,
            lead: ("数学组", "年级组长"),
            female_share: 0.6,
        },
        // Term ends 2027-01-15: within 90 days of 2026-11-26, shows term_ending.
        BranchSpec {
            name: "高三年级党支部",
            unit: SCHOOL,
            unit_kind: "school",
            founded: d(2005, 9, 1),
            term_start: d(2024, 1, 15),
            full: 17,
            probationary: 1,
            others: 2,
            committee: Committee::Full(5),
            depts: SUBJECTS,
            posts: SCHOOL_POSTS,
            lead: ("物理组", "年级组长"),
            female_share: 0.55,
        },
        // Fewer than 7 full members: a secretary and no committee, as the rules say.
        BranchSpec {
            name: "行政后勤党支部",
            unit: SCHOOL,
            unit_kind: "school",
            founded: d(2010, 4, 12),
            term_start: d(2024, 11, 20),
            full: 6,
            probationary: 2,
            others: 2,
            committee: Committee::SecretaryOnly,
            depts: &["教务处", "德育处", "总务处"],
            posts: &["干事", "干事", "副主任", "主任"],
            lead: ("总务处", "主任"),
            female_share: 0.5,
        },
    ]
}

/// (role code, duty) of the committee seats, secretary first.
pub(super) fn seats_for(committee: Committee) -> &'static [(&'static str, &'static str)] {
    match committee {
        Committee::SecretaryOnly => &[("secretary", "党支部书记")],
        Committee::Full(3) => &[
            ("secretary", "党支部书记"),
            ("member", "组织委员"),
            ("member", "宣传委员"),
        ],
        Committee::Full(4) => &[
            ("secretary", "党支部书记"),
            ("member", "组织委员"),
            ("member", "宣传委员"),
            ("member", "纪检委员"),
        ],
        Committee::Full(_) => &[
            ("secretary", "党支部书记"),
            ("deputy", "党支部副书记"),
            ("member", "组织委员"),
            ("member", "宣传委员"),
            ("member", "纪检委员"),
        ],
    }
}

/// The 分工 recorded on a seat: the secretaries' usual wording, the members' own duty.
pub(super) fn seat_duty<'a>(role: &str, party_duty: &'a str) -> &'a str {
    match role {
        "secretary" => "主持全面工作",
        "deputy" => "协助书记工作，分管党员教育管理",
        _ => party_duty.trim_start_matches("党总支"),
    }
}
