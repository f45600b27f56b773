//! The example templates shipped with ronghe: a 100-point scheme and a star rating (评星定级).
//! A committee copies one and adapts it; both are plain data for the engine.

use super::{default_bands, Band, Dimension, Indicator, Rule, Source, Template};

fn ind(code: &str, name: &str, dimension: Dimension, weight: f64, rule: Rule) -> Indicator {
    // Each shipped indicator reads what its code names; the graded ones, events and bonuses
    // are entered by the committee.
    let source = match code {
        "life" => Source::Compliance,
        "party_items" => Source::ItemsProgress,
        "tasks" => Source::TasksOnTime,
        "kpis" => Source::Kpis,
        "served_kpis" => Source::ServedKpis,
        "links" => Source::LinkCoverage,
        "unity" => Source::Unity,
        "rectify" => Source::RectificationsOverdue,
        "key_target" => Source::KeyTargetMissed,
        _ => Source::Manual,
    };
    Indicator {
        code: code.into(),
        name: name.into(),
        dimension,
        weight,
        rule,
        source,
    }
}

fn graded() -> Rule {
    Rule::Graded {
        good: 1.0,
        fairly_good: 0.85,
        average: 0.7,
        poor: 0.4,
    }
}

/// 百分制: 40 for Party-building, 35 for the business results, 25 for integration, with
/// deductions for rectifications overdue, a bonus for a typical experience, and a veto.
pub fn hundred_points() -> Template {
    use Dimension::*;
    Template {
        name: "党建与业务融合考核（百分制示例）".into(),
        indicators: vec![
            ind("life", "组织生活按规定开展", Party, 20.0, Rule::Share),
            ind(
                "party_items",
                "党建工作项按期完成",
                Party,
                10.0,
                Rule::Share,
            ),
            ind("party_grade", "党建工作综合评价", Party, 10.0, graded()),
            ind("kpis", "业务目标指标完成度", Business, 25.0, Rule::Share),
            ind(
                "served_kpis",
                "党建工作服务的业务目标完成度",
                Business,
                10.0,
                Rule::Share,
            ),
            ind(
                "links",
                "党建工作找到结合点",
                Integration,
                15.0,
                Rule::Share,
            ),
            ind(
                "unity",
                "任务和会议服务于业务目标",
                Integration,
                10.0,
                Rule::Share,
            ),
            ind(
                "rectify",
                "整改事项逾期",
                Party,
                0.0,
                Rule::Deduction {
                    per: 2.0,
                    cap: 10.0,
                },
            ),
            ind(
                "case",
                "典型经验被上级推广",
                Integration,
                0.0,
                Rule::Bonus { per: 2.0, cap: 5.0 },
            ),
            ind(
                "accident",
                "发生重大安全责任事故",
                Business,
                0.0,
                Rule::Veto { cap_grade: Some(1) },
            ),
            ind(
                "key_target",
                "重点目标指标未完成",
                Business,
                0.0,
                Rule::Veto { cap_grade: Some(2) },
            ),
        ],
        bands: default_bands(),
        ungraded: "不定等次".into(),
    }
}

/// 评星定级: 70 for base items less deductions, 30 for evaluated items; five stars from 90,
/// four from 80, three from 70, two from 60, one below; a satisfaction below 50% gives no
/// star; an honour gives five stars directly.
pub fn star_rating() -> Template {
    use Dimension::*;
    let bands = [
        (0.0, "一星"),
        (60.0, "二星"),
        (70.0, "三星"),
        (80.0, "四星"),
        (90.0, "五星"),
    ]
    .into_iter()
    .map(|(min, label)| Band {
        min,
        label: label.into(),
    })
    .collect();
    Template {
        name: "党支部评星定级（示例）".into(),
        indicators: vec![
            ind("life", "基本组织生活", Party, 30.0, Rule::Share),
            ind("formation", "组织设置与换届", Party, 10.0, Rule::Share),
            ind(
                "links",
                "党建工作找到结合点",
                Integration,
                15.0,
                Rule::Share,
            ),
            ind("kpis", "服务的业务目标完成度", Business, 15.0, Rule::Share),
            ind("evaluated", "上级党组织综合评价", Party, 30.0, graded()),
            ind(
                "rectify",
                "整改事项逾期",
                Party,
                0.0,
                Rule::Deduction {
                    per: 3.0,
                    cap: 15.0,
                },
            ),
            ind(
                "satisfaction",
                "群众满意度低于 50%",
                Party,
                0.0,
                Rule::Veto { cap_grade: None },
            ),
            ind(
                "honour",
                "获评上级先进基层党组织",
                Party,
                0.0,
                Rule::Honour { grade: 4 },
            ),
        ],
        bands,
        ungraded: "不评星".into(),
    }
}
