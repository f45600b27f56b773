//! The evaluation engine (同步考核): an indicator template scored for one organization and
//! period, every point explained.
//!
//! A template holds scored indicators whose weights sum to 100 (in three dimensions: 党建,
//! 业务, 融合), plus deductions (扣分, per occurrence with a cap), bonuses (加分, with a cap),
//! vetoes (一票否决: a stated event caps the grade) and honours (an honour gives a stated grade
//! directly). Each scored indicator normalizes its input against fixed anchors stated in the
//! template (a floor and a target, a grade table, or a share already in [0, 1]), never against
//! the other units compared, so scores stay comparable across periods and units of any size.
//! Organizations are scored; people never are.

pub mod facts;
pub mod form;
pub mod source;
pub mod templates;

pub use source::Source;

use crate::text::FieldErrors;
use serde::{Deserialize, Serialize};

/// The three dimensions of the unified indicator system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    Party,
    Business,
    Integration,
}

impl Dimension {
    pub fn label(self) -> &'static str {
        match self {
            Self::Party => "党建",
            Self::Business => "业务",
            Self::Integration => "融合",
        }
    }
}

/// A grade given by an evaluator (好 / 较好 / 一般 / 差).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Grade {
    Good,
    FairlyGood,
    Average,
    Poor,
}

impl Grade {
    pub fn label(self) -> &'static str {
        match self {
            Self::Good => "好",
            Self::FairlyGood => "较好",
            Self::Average => "一般",
            Self::Poor => "差",
        }
    }
}

/// How an indicator turns its input into points.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Rule {
    /// A figure against fixed anchors: no points at `floor`, full points at `target`, linear
    /// between. A higher-is-better figure has its floor below its target; a lower-is-better
    /// one (a duration, complaints) above.
    Quantitative {
        higher_better: bool,
        floor: f64,
        target: f64,
    },
    /// An evaluator's grade, as shares of the weight (好 1, 较好 0.85, 一般 0.7, 差 0.4 by
    /// default in the shipped templates).
    Graded {
        good: f64,
        fairly_good: f64,
        average: f64,
        poor: f64,
    },
    /// A share in [0, 1] computed elsewhere in core (compliance met, tasks done on time, link
    /// coverage, the KPIs of the goals Party work serves): the share of the weight.
    Share,
    /// Points taken off per occurrence, at most `cap` in all.
    Deduction { per: f64, cap: f64 },
    /// Points added per occurrence, at most `cap` in all.
    Bonus { per: f64, cap: f64 },
    /// When the event occurred, the grade is at most `cap_grade` (an index into the bands,
    /// counted from the lowest) whatever the score; `None`: no grade at all (the template's
    /// `ungraded` label, e.g. 不评星).
    Veto { cap_grade: Option<usize> },
    /// When awarded, the grade is `grade` (an index into the bands) directly.
    Honour { grade: usize },
}

impl Rule {
    fn scored(&self) -> bool {
        matches!(
            self,
            Self::Quantitative { .. } | Self::Graded { .. } | Self::Share
        )
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    pub code: String,
    pub name: String,
    pub dimension: Dimension,
    /// Points of a scored indicator (the scored weights sum to 100); 0 for the others.
    pub weight: f64,
    pub rule: Rule,
    /// Where its input comes from: data already in the system, or a person (with a reason).
    #[serde(default)]
    pub source: Source,
}

/// A grade band: at least `min` points.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Band {
    pub min: f64,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    pub name: String,
    pub indicators: Vec<Indicator>,
    /// Lowest first; the first band's `min` is 0.
    pub bands: Vec<Band>,
    /// What a veto without a grade gives ("不定等次", "不评星").
    pub ungraded: String,
}

/// The default bands: 差 < 60, 一般 60–80, 较好 80–90, 好 ≥ 90.
pub fn default_bands() -> Vec<Band> {
    [(0.0, "差"), (60.0, "一般"), (80.0, "较好"), (90.0, "好")]
        .into_iter()
        .map(|(min, label)| Band {
            min,
            label: label.to_string(),
        })
        .collect()
}

/// What an organization's data (or an authorized person, with a reason) gives an indicator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Input {
    Value {
        value: f64,
    },
    Grade {
        grade: Grade,
    },
    Share {
        share: f64,
    },
    Count {
        count: u32,
    },
    /// A veto's event or an honour: whether it occurred, and what it was.
    Event {
        occurred: bool,
        what: String,
    },
    /// Nothing recorded: no points (a scored indicator), nothing applied (the others).
    Missing,
    /// The indicator does not apply to this organization (compliance of a 党委, tasks when
    /// none fell due): its weight is shared out over the indicators that apply.
    NotApplicable {
        why: String,
    },
}

impl Input {
    /// The input in words, for the log ("较好", "2 次", "发生：…").
    pub fn describe(&self) -> String {
        match self {
            Input::Value { value } => crate::plan::kpi::fmt_num(*value),
            Input::Grade { grade } => grade.label().to_string(),
            Input::Share { share } => crate::plan::kpi::fmt_pct(*share),
            Input::Count { count } => format!("{count} 次"),
            Input::Event {
                occurred: true,
                what,
            } => format!("发生：{what}"),
            Input::Event { .. } => "未发生".to_string(),
            Input::Missing => "无数据".to_string(),
            Input::NotApplicable { why } => format!("不适用：{why}"),
        }
    }
}

/// One line of the explanation: indicator → input → rule → points.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Line {
    pub code: String,
    pub name: String,
    /// Where the input came from (the data source, or who entered it and why).
    pub source: String,
    pub input: String,
    pub rule: String,
    /// Points this line adds (negative for a deduction); 0 for vetoes and honours.
    pub points: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    /// In [0, 100].
    pub score: f64,
    pub grade: String,
    pub lines: Vec<Line>,
    /// Set when the sum of the lines fell outside [0, 100] and was held at the bound.
    pub clamped: Option<String>,
    /// Vetoes that capped the grade, and honours that set it, in words.
    pub grade_notes: Vec<String>,
}

fn unit(x: f64) -> f64 {
    if x.is_nan() {
        0.0
    } else {
        x.clamp(0.0, 1.0)
    }
}

fn n(x: f64) -> String {
    crate::plan::kpi::fmt_num((x * 100.0).round() / 100.0)
}

/// Grade shares from 好 down to 差: each in [0, 1] and none above the one before.
fn grades_ordered(shares: [f64; 4]) -> bool {
    shares.iter().all(|s| (0.0..=1.0).contains(s)) && shares.windows(2).all(|w| w[0] >= w[1])
}

pub const NAME_MAX: usize = 60;
pub const LABEL_MAX: usize = 20;
pub const INDICATORS_MAX: usize = 60;
pub const BANDS_MAX: usize = 10;

/// Checks a template before it is saved: every problem at its field, in Chinese.
pub fn validate_template(t: &Template) -> Result<(), FieldErrors> {
    let mut e = FieldErrors::new();
    let total: f64 = t
        .indicators
        .iter()
        .filter(|i| i.rule.scored())
        .map(|i| i.weight)
        .sum();
    if (total - 100.0).abs() > 1e-6 {
        e.add(
            "weights",
            format!("计分指标的分值合计应为 100，现为 {}", n(total)),
        );
    }
    if t.name.trim().is_empty() || t.name.chars().count() > NAME_MAX {
        e.add("name", format!("方案名称应为 1 到 {NAME_MAX} 个字"));
    }
    if t.ungraded.chars().count() > LABEL_MAX {
        e.add("ungraded", format!("不定等次的文字不超过 {LABEL_MAX} 个字"));
    }
    if t.indicators.len() > INDICATORS_MAX {
        e.add("indicators", format!("指标不超过 {INDICATORS_MAX} 项"));
    }
    if t.bands.len() > BANDS_MAX
        || t.bands.iter().any(|b| {
            b.label.trim().is_empty()
                || b.label.chars().count() > LABEL_MAX
                || !(0.0..=100.0).contains(&b.min)
        })
    {
        e.add("bands", format!("等次不超过 {BANDS_MAX} 个，每个有名称（不超过 {LABEL_MAX} 个字）和 0 到 100 之间的分数线"));
    }
    for i in &t.indicators {
        let field = format!("indicator.{}", i.code);
        if i.code.is_empty()
            || i.code.len() > 30
            || !i
                .code
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            e.add(&field, "指标代码请用 1 到 30 个英文字母、数字或下划线");
        }
        if i.name.trim().is_empty() || i.name.chars().count() > NAME_MAX {
            e.add(&field, format!("指标名称应为 1 到 {NAME_MAX} 个字"));
        }
        if !i.rule.scored() && i.weight != 0.0 {
            e.add(
                &field,
                format!(
                    "「{}」是扣分、加分、否决或荣誉，不占分值（分值应为 0）",
                    i.name
                ),
            );
        }
        if i.rule.scored() && i.weight > 100.0 {
            e.add(&field, format!("「{}」的分值不能超过 100", i.name));
        }
        if i.rule.scored() && !(i.weight > 0.0 && i.weight.is_finite()) {
            e.add(&field, format!("「{}」的分值应大于 0", i.name));
        }
        match &i.rule {
            Rule::Quantitative { floor, target, .. }
                if !(floor.is_finite() && target.is_finite()) || floor == target =>
            {
                e.add(
                    &field,
                    format!("「{}」的起评值和目标值应为不同的数", i.name),
                )
            }
            Rule::Quantitative {
                higher_better: true,
                floor,
                target,
            } if floor > target => e.add(
                &field,
                format!("「{}」越高越好，起评值应低于目标值", i.name),
            ),
            Rule::Quantitative {
                higher_better: false,
                floor,
                target,
            } if floor < target => e.add(
                &field,
                format!("「{}」越低越好，起评值应高于目标值", i.name),
            ),
            Rule::Graded {
                good,
                fairly_good,
                average,
                poor,
            } if !grades_ordered([*good, *fairly_good, *average, *poor]) => e.add(
                &field,
                format!("「{}」的等次得分应为 0 到 1 之间、由好到差不增", i.name),
            ),
            Rule::Deduction { per, cap } | Rule::Bonus { per, cap }
                if !(*per > 0.0 && *cap >= *per) =>
            {
                e.add(
                    &field,
                    format!("「{}」的每次分值应大于 0，且不超过上限", i.name),
                )
            }
            Rule::Veto { cap_grade: Some(g) } | Rule::Honour { grade: g }
                if *g >= t.bands.len() =>
            {
                e.add(&field, format!("「{}」指向的等次不存在", i.name))
            }
            _ => {}
        }
    }
    for i in &t.indicators {
        if let Some(why) = i.source.fits(&i.rule) {
            e.add(
                &format!("indicator.{}", i.code),
                format!(
                    "「{}」不能用“{}”作数据来源：{why}",
                    i.name,
                    i.source.label()
                ),
            );
        }
    }
    let mut codes: Vec<&str> = t.indicators.iter().map(|i| i.code.as_str()).collect();
    codes.sort_unstable();
    if let Some(w) = codes.windows(2).find(|w| w[0] == w[1]) {
        e.add("indicators", format!("指标代码「{}」重复", w[0]));
    }
    if t.bands.first().is_none_or(|b| b.min != 0.0)
        || t.bands.windows(2).any(|w| w[0].min >= w[1].min)
    {
        e.add("bands", "等次应从 0 分起、由低到高排列，分数线递增");
    }
    e.into_result()
}

/// Scores `inputs` (by indicator code) against template `t`, which [`validate_template`]
/// accepted. Indicators without an input count as [`Input::Missing`].
pub fn evaluate(t: &Template, inputs: &[(String, Input)]) -> Evaluation {
    let input_of = |code: &str| {
        inputs
            .iter()
            .find(|(c, _)| c == code)
            .map_or(&Input::Missing, |(_, i)| i)
    };
    // Scored indicators that do not apply leave their weight to those that do.
    let applicable: f64 = t
        .indicators
        .iter()
        .filter(|i| i.rule.scored() && !matches!(input_of(&i.code), Input::NotApplicable { .. }))
        .map(|i| i.weight)
        .sum();
    let factor = if applicable > 0.0 {
        100.0 / applicable
    } else {
        0.0
    };
    let rescaled = (factor - 1.0).abs() > 1e-9;
    let mut lines = Vec::new();
    // `Some(None)`: a veto took the grade away altogether.
    let mut cap_grade: Option<Option<usize>> = None;
    let mut honour: Option<usize> = None;
    let mut grade_notes = Vec::new();
    let band_label = |i: Option<usize>| match i {
        Some(i) => t.bands.get(i).map_or("", |b| b.label.as_str()),
        None => t.ungraded.as_str(),
    };
    for ind in &t.indicators {
        let input = input_of(&ind.code);
        let (input_text, rule_text, points) = match (&ind.rule, input) {
            (Rule::Quantitative { floor, target, .. }, Input::Value { value }) => {
                let share = unit((value - floor) / (target - floor));
                (
                    format!("实际 {}", n(*value)),
                    format!(
                        "{} 起评、{} 满分，线性计分（得 {} 成）",
                        n(*floor),
                        n(*target),
                        n(share * 10.0)
                    ),
                    ind.weight * share,
                )
            }
            (
                Rule::Graded {
                    good,
                    fairly_good,
                    average,
                    poor,
                },
                Input::Grade { grade },
            ) => {
                let share = match grade {
                    Grade::Good => *good,
                    Grade::FairlyGood => *fairly_good,
                    Grade::Average => *average,
                    Grade::Poor => *poor,
                };
                (
                    format!("评定为“{}”", grade.label()),
                    format!("“{}”得分值的 {}", grade.label(), n(share)),
                    ind.weight * unit(share),
                )
            }
            (Rule::Share, Input::Share { share }) => (
                format!("完成 {}", crate::plan::kpi::fmt_pct(unit(*share))),
                "按完成比例计分".to_string(),
                ind.weight * unit(*share),
            ),
            (Rule::Deduction { per, cap }, Input::Count { count }) => {
                let off = (f64::from(*count) * per).min(*cap);
                (
                    format!("{count} 次"),
                    format!("每次扣 {} 分，最多扣 {} 分", n(*per), n(*cap)),
                    -off,
                )
            }
            (Rule::Bonus { per, cap }, Input::Count { count }) => {
                let add = (f64::from(*count) * per).min(*cap);
                (
                    format!("{count} 次"),
                    format!("每次加 {} 分，最多加 {} 分", n(*per), n(*cap)),
                    add,
                )
            }
            (
                Rule::Veto { cap_grade: cap },
                Input::Event {
                    occurred: true,
                    what,
                },
            ) => {
                // The lowest cap wins; no grade at all is lower than any.
                cap_grade = Some(match cap_grade {
                    None => *cap,
                    Some(c) => c.zip(*cap).map(|(a, b)| a.min(b)),
                });
                grade_notes.push(format!(
                    "一票否决：{what}，等次最高为“{}”",
                    band_label(*cap)
                ));
                (
                    what.clone(),
                    format!("发生即等次最高为“{}”", band_label(*cap)),
                    0.0,
                )
            }
            (
                Rule::Honour { grade },
                Input::Event {
                    occurred: true,
                    what,
                },
            ) => {
                honour = Some(honour.map_or(*grade, |h: usize| h.max(*grade)));
                grade_notes.push(format!("{what}：直接评定为“{}”", band_label(Some(*grade))));
                (
                    what.clone(),
                    format!("获得即直接评定为“{}”", band_label(Some(*grade))),
                    0.0,
                )
            }
            (Rule::Veto { .. } | Rule::Honour { .. }, Input::Event { .. }) => {
                ("未发生".to_string(), "未发生，不影响等次".to_string(), 0.0)
            }
            (_, Input::NotApplicable { why }) => (
                format!("不适用：{why}"),
                if ind.rule.scored() {
                    "不计分，分值由适用的指标按比例分担".to_string()
                } else {
                    "不适用".to_string()
                },
                0.0,
            ),
            (rule, _) => (
                "无数据".to_string(),
                if rule.scored() {
                    "没有数据，不得分".to_string()
                } else {
                    "未发生".to_string()
                },
                0.0,
            ),
        };
        let (rule_text, points) = if ind.rule.scored() && rescaled && points != 0.0 {
            (
                format!(
                    "{rule_text}；按适用指标的分值 {} 折算为百分制（×{}）",
                    n(applicable),
                    n(factor)
                ),
                points * factor,
            )
        } else {
            (rule_text, points)
        };
        lines.push(Line {
            code: ind.code.clone(),
            name: ind.name.clone(),
            source: ind.source.label().to_string(),
            input: input_text,
            rule: rule_text,
            points,
        });
    }
    let sum: f64 = lines.iter().map(|l| l.points).sum();
    let score = sum.clamp(0.0, 100.0);
    let clamped = ((sum - score).abs() > 1e-9).then(|| {
        format!(
            "各项合计 {} 分，超出 0–100 分的范围，按 {} 分计",
            n(sum),
            n(score)
        )
    });
    let by_score = t
        .bands
        .iter()
        .rposition(|b| score + 1e-9 >= b.min)
        .unwrap_or(0);
    // An honour sets the grade; a veto caps it, and a veto is the last word.
    let mut grade = Some(honour.unwrap_or(by_score));
    if let Some(cap) = cap_grade {
        grade = grade.zip(cap).map(|(g, c)| g.min(c));
    }
    Evaluation {
        score,
        grade: band_label(grade).to_string(),
        lines,
        clamped,
        grade_notes,
    }
}

/// A value entered by a person for one indicator of one organization, with who and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManualInput {
    pub code: String,
    pub input: Input,
    pub reason: String,
    /// The name of whoever entered it.
    pub by: String,
}

/// Every indicator's input: a manual entry where there is one (it wins over the data, and
/// says so), else what the indicator's source reads from the measures.
pub fn gather(t: &Template, m: &facts::Measures, manual: &[ManualInput]) -> Vec<(String, Input)> {
    t.indicators
        .iter()
        .filter_map(|i| {
            let input = match manual.iter().find(|x| x.code == i.code) {
                Some(x) => Some(x.input.clone()),
                None => i.source.input(&i.rule, m),
            };
            input.map(|x| (i.code.clone(), x))
        })
        .collect()
}

/// Scores an organization: its measures through the template's sources, manual entries on
/// top, each line naming where its input came from.
pub fn score(t: &Template, m: &facts::Measures, manual: &[ManualInput]) -> Evaluation {
    explain(t, &gather(t, m, manual), manual)
}

/// Scores stored `inputs` again, line by line, naming the manual entries among them: the
/// explanation of a stored result, the same every time.
pub fn explain(t: &Template, inputs: &[(String, Input)], manual: &[ManualInput]) -> Evaluation {
    let mut r = evaluate(t, inputs);
    for line in &mut r.lines {
        if let Some(x) = manual.iter().find(|x| x.code == line.code) {
            line.source = format!("人工录入：{}（{}）", x.reason, x.by);
        }
    }
    r
}

#[cfg(test)]
mod tests;
