use super::templates::{hundred_points, star_rating};
use super::*;
use proptest::prelude::*;

fn share(code: &str, s: f64) -> (String, Input) {
    (code.into(), Input::Share { share: s })
}

fn event(code: &str, what: &str) -> (String, Input) {
    (
        code.into(),
        Input::Event {
            occurred: true,
            what: what.into(),
        },
    )
}

#[test]
fn the_shipped_templates_are_valid() {
    validate_template(&hundred_points()).unwrap();
    validate_template(&star_rating()).unwrap();
}

#[test]
fn bad_templates_are_refused_at_the_field() {
    let mut t = hundred_points();
    t.indicators[0].weight = 25.0; // sums to 105
    t.indicators.push(Indicator {
        code: "q".into(),
        name: "检定台件数".into(),
        dimension: Dimension::Business,
        weight: 0.0,
        source: Source::Manual,
        rule: Rule::Quantitative {
            higher_better: true,
            floor: 100.0,
            target: 100.0,
        },
    });
    t.indicators.push(Indicator {
        code: "v".into(),
        name: "否决".into(),
        dimension: Dimension::Party,
        weight: 0.0,
        source: Source::Manual,
        rule: Rule::Veto { cap_grade: Some(9) },
    });
    t.indicators.push(Indicator {
        code: "floor".into(),
        name: "服务企业".into(),
        dimension: Dimension::Business,
        weight: 0.0,
        source: Source::Manual,
        rule: Rule::Quantitative {
            higher_better: true,
            floor: 80.0,
            target: 60.0,
        },
    });
    let e = validate_template(&t).unwrap_err();
    assert!(e.get("weights").unwrap().contains("105"), "{e:?}");
    assert!(
        e.0.iter()
            .any(|f| f.field == "indicator.floor" && f.message.contains("起评值应低于目标值")),
        "{e:?}"
    );
    assert!(
        e.get("indicator.q").is_some() && e.get("indicator.v").is_some(),
        "{e:?}"
    );
}

#[test]
fn a_hundred_point_evaluation_is_explained_line_by_line() {
    let t = hundred_points();
    let inputs = vec![
        share("life", 1.0),
        share("party_items", 0.8),
        (
            "party_grade".into(),
            Input::Grade {
                grade: Grade::FairlyGood,
            },
        ),
        share("kpis", 0.9),
        share("served_kpis", 0.7),
        share("links", 1.0),
        share("unity", 0.5),
        ("rectify".into(), Input::Count { count: 2 }),
        ("case".into(), Input::Count { count: 1 }),
    ];
    let r = evaluate(&t, &inputs);
    // 20 + 8 + 8.5 + 22.5 + 7 + 15 + 5 − 4 + 2
    assert!((r.score - 84.0).abs() < 1e-9, "{r:?}");
    assert_eq!(r.grade, "较好");
    let sum: f64 = r.lines.iter().map(|l| l.points).sum();
    assert!((sum - r.score).abs() < 1e-9);
    let rectify = r.lines.iter().find(|l| l.code == "rectify").unwrap();
    assert_eq!((rectify.input.as_str(), rectify.points), ("2 次", -4.0));
    assert!(rectify.rule.contains("每次扣 2 分"));
    // A major accident caps the grade at 一般, whatever the score.
    let mut vetoed = inputs.clone();
    vetoed.push(event("accident", "发生较大安全生产责任事故"));
    let r = evaluate(&t, &vetoed);
    assert_eq!(r.grade, "一般");
    assert!(r.grade_notes[0].contains("一票否决"));
}

#[test]
fn the_star_rating_rules() {
    let t = star_rating();
    let all = |s: f64| {
        vec![
            share("life", s),
            share("formation", s),
            share("links", s),
            share("kpis", s),
            ("evaluated".into(), Input::Grade { grade: Grade::Good }),
        ]
    };
    assert_eq!(evaluate(&t, &all(1.0)).grade, "五星");
    // 0.5 × 70 + 30 = 65: two stars.
    assert_eq!(evaluate(&t, &all(0.5)).grade, "二星");
    let mut unhappy = all(1.0);
    unhappy.push(event("satisfaction", "群众满意度 42%"));
    assert_eq!(evaluate(&t, &unhappy).grade, "不评星");
    let mut honoured = all(0.5);
    honoured.push(event("honour", "获评市级先进基层党组织"));
    assert_eq!(evaluate(&t, &honoured).grade, "五星");
    // A veto is the last word, even over an honour.
    honoured.push(event("satisfaction", "群众满意度 42%"));
    assert_eq!(evaluate(&t, &honoured).grade, "不评星");
}

#[test]
fn quantitative_points_follow_the_stated_anchors_both_ways() {
    let t = Template {
        name: "t".into(),
        indicators: vec![
            Indicator {
                code: "up".into(),
                name: "检定台件数".into(),
                dimension: Dimension::Business,
                weight: 50.0,
                source: Source::Manual,
                rule: Rule::Quantitative {
                    higher_better: true,
                    floor: 40_000.0,
                    target: 60_000.0,
                },
            },
            Indicator {
                code: "down".into(),
                name: "办理时限".into(),
                dimension: Dimension::Business,
                weight: 50.0,
                source: Source::Manual,
                rule: Rule::Quantitative {
                    higher_better: false,
                    floor: 10.0,
                    target: 5.0,
                },
            },
        ],
        bands: default_bands(),
        ungraded: "不定等次".into(),
    };
    validate_template(&t).unwrap();
    let r = evaluate(
        &t,
        &[
            ("up".into(), Input::Value { value: 55_000.0 }),
            ("down".into(), Input::Value { value: 4.0 }),
        ],
    );
    assert!((r.score - (37.5 + 50.0)).abs() < 1e-9, "{r:?}");
    // Missing data gives no points and says so.
    let r = evaluate(&t, &[]);
    assert_eq!(r.score, 0.0);
    assert!(r.lines.iter().all(|l| l.input == "无数据"));
}

fn inputs() -> impl Strategy<Value = Vec<(String, Input)>> {
    (
        proptest::collection::vec(0.0f64..1.0, 6),
        0usize..4,
        0u32..10,
        0u32..5,
        any::<bool>(),
    )
        .prop_map(|(s, g, rectify, case, accident)| {
            let grade = [Grade::Good, Grade::FairlyGood, Grade::Average, Grade::Poor][g];
            let mut v = vec![
                share("life", s[0]),
                share("party_items", s[1]),
                ("party_grade".into(), Input::Grade { grade }),
                share("kpis", s[2]),
                share("served_kpis", s[3]),
                share("links", s[4]),
                share("unity", s[5]),
                ("rectify".into(), Input::Count { count: rectify }),
                ("case".into(), Input::Count { count: case }),
            ];
            if accident {
                v.push(event("accident", "事故"));
            }
            v
        })
}

fn grade_rank(t: &Template, label: &str) -> i64 {
    t.bands
        .iter()
        .position(|b| b.label == label)
        .map_or(-1, |i| i as i64)
}

proptest! {
    #[test]
    fn scores_stay_in_range_and_the_lines_add_up(v in inputs()) {
        let t = hundred_points();
        let r = evaluate(&t, &v);
        prop_assert!((0.0..=100.0).contains(&r.score));
        let sum: f64 = r.lines.iter().map(|l| l.points).sum();
        match &r.clamped {
            None => prop_assert!((sum - r.score).abs() < 1e-9),
            Some(_) => prop_assert!(!(0.0..=100.0).contains(&sum)),
        }
    }

    /// Improving any share never lowers the score or the grade.
    #[test]
    fn improving_an_input_never_lowers_the_result(v in inputs(), which in 0usize..7, by in 0.0f64..1.0) {
        let t = hundred_points();
        let before = evaluate(&t, &v);
        let mut better = v.clone();
        if let Input::Share { share } = &mut better[which].1 {
            *share = (*share + by).min(1.0);
        }
        let after = evaluate(&t, &better);
        prop_assert!(after.score + 1e-9 >= before.score);
        prop_assert!(grade_rank(&t, &after.grade) >= grade_rank(&t, &before.grade));
    }

    /// Indicators that do not apply share out their weight: still in range, still adding up.
    #[test]
    fn indicators_that_do_not_apply_keep_the_score_in_range(v in inputs(), na in proptest::collection::vec(any::<bool>(), 7)) {
        let t = hundred_points();
        let mut v = v;
        for (i, off) in na.iter().enumerate() {
            if *off {
                v[i].1 = Input::NotApplicable { why: "不适用".into() };
            }
        }
        let r = evaluate(&t, &v);
        prop_assert!((0.0..=100.0).contains(&r.score));
        let sum: f64 = r.lines.iter().map(|l| l.points).sum();
        if r.clamped.is_none() {
            prop_assert!((sum - r.score).abs() < 1e-6);
        }
    }

    /// A veto caps the grade at its stated band whatever else is true.
    #[test]
    fn a_veto_caps_the_grade(v in inputs()) {
        let t = hundred_points();
        let mut vetoed = v.clone();
        vetoed.push(event("accident", "事故"));
        let r = evaluate(&t, &vetoed);
        prop_assert!(grade_rank(&t, &r.grade) <= 1);
    }
}

#[test]
fn an_indicator_that_does_not_apply_leaves_its_weight_to_the_others() {
    let t = hundred_points();
    let mut inputs: Vec<(String, Input)> = [
        "life",
        "party_items",
        "kpis",
        "served_kpis",
        "links",
        "unity",
    ]
    .into_iter()
    .map(|c| share(c, 1.0))
    .collect();
    inputs.push(("party_grade".into(), Input::Grade { grade: Grade::Good }));
    inputs[0].1 = Input::NotApplicable {
        why: "不是党支部".into(),
    };
    let r = evaluate(&t, &inputs);
    // Everything that applies is full: 80 points of 80 make 100.
    assert!((r.score - 100.0).abs() < 1e-9, "{r:?}");
    let sum: f64 = r.lines.iter().map(|l| l.points).sum();
    assert!((sum - r.score).abs() < 1e-9);
    let life = r.lines.iter().find(|l| l.code == "life").unwrap();
    assert!(life.input.contains("不适用") && life.points == 0.0);
    let kpis = r.lines.iter().find(|l| l.code == "kpis").unwrap();
    assert!(kpis.rule.contains("折算为百分制"), "{}", kpis.rule);
}

#[test]
fn a_source_must_fit_its_rule() {
    let mut t = hundred_points();
    let grade = t
        .indicators
        .iter_mut()
        .find(|i| i.code == "party_grade")
        .unwrap();
    grade.source = Source::Compliance;
    let e = validate_template(&t).unwrap_err();
    assert!(
        e.get("indicator.party_grade").unwrap().contains("人工评定"),
        "{e:?}"
    );
    let mut t = hundred_points();
    t.indicators[1].code = "life".into();
    let e = validate_template(&t).unwrap_err();
    assert!(e.get("indicators").unwrap().contains("重复"), "{e:?}");
}

#[test]
fn a_manual_entry_wins_over_the_data_and_says_who_and_why() {
    let t = hundred_points();
    let f = facts::PlanFacts {
        year: 2026,
        compliance: Some((3, 4)),
        ..Default::default()
    };
    let m = facts::measure(
        &f,
        "2026-06-30".parse().unwrap(),
        &crate::integration::IndexConfig::default(),
    );
    let manual = vec![ManualInput {
        code: "party_grade".into(),
        input: Input::Grade {
            grade: Grade::FairlyGood,
        },
        reason: "年度述职评议结果".into(),
        by: "王书记".into(),
    }];
    let r = score(&t, &m, &manual);
    let life = r.lines.iter().find(|l| l.code == "life").unwrap();
    assert!(
        life.input.contains("75") && life.source.contains("组织生活"),
        "{life:?}"
    );
    let g = r.lines.iter().find(|l| l.code == "party_grade").unwrap();
    assert!(g.source.contains("年度述职评议结果") && g.source.contains("王书记"));
    // 8.5 of its 10 points, rescaled as the lines that apply carry 55 of 100.
    assert!((g.points - 8.5 * 100.0 / 55.0).abs() < 1e-9, "{g:?}");
}
