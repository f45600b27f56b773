//! The template editor's form: one row per indicator and per grade band, as typed (so a
//! refused form comes back with everything in it), turned into a [`Template`] with every
//! problem at its field.

use super::{validate_template, Band, Dimension, Indicator, Rule, Source, Template};
use crate::text::FieldErrors;
use serde::{Deserialize, Serialize};

/// The kinds of rule the editor offers, by code.
pub const RULE_KINDS: [(&str, &str); 8] = [
    ("share", "按比例计分（数据来源给出完成比例）"),
    ("up", "定量：越高越好（起评值 → 目标值，线性）"),
    ("down", "定量：越低越好（起评值 → 目标值，线性）"),
    ("graded", "等次评定（好 / 较好 / 一般 / 差）"),
    ("deduction", "扣分（每次扣分，有上限）"),
    ("bonus", "加分（每次加分，有上限）"),
    ("veto", "一票否决（发生即限定最高等次）"),
    ("honour", "荣誉（获得即直接评定等次）"),
];

pub const DIMENSIONS: [(&str, &str); 3] = [
    ("party", "党建"),
    ("business", "业务"),
    ("integration", "融合"),
];

/// One indicator as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct IndicatorForm {
    pub code: String,
    pub name: String,
    pub dimension: String,
    pub weight: String,
    pub source: String,
    pub rule: String,
    /// 起评值 / 目标值 of a quantitative rule.
    pub floor: String,
    pub target: String,
    /// Points per occurrence and the cap of a deduction or bonus.
    pub per: String,
    pub cap: String,
    /// Shares of the weight for 好 / 较好 / 一般 / 差.
    pub good: String,
    pub fair: String,
    pub average: String,
    pub poor: String,
    /// A band index for a veto's cap or an honour's grade; "none" for a veto: no grade.
    pub grade: String,
    /// Ticked to take the row out.
    pub remove: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BandForm {
    pub min: String,
    pub label: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TemplateForm {
    pub name: String,
    pub ungraded: String,
    pub rows: Vec<IndicatorForm>,
    pub bands: Vec<BandForm>,
}

fn num(x: f64) -> String {
    crate::plan::kpi::fmt_num(x)
}

impl IndicatorForm {
    pub fn is_blank(&self) -> bool {
        self.code.trim().is_empty() && self.name.trim().is_empty()
    }

    /// The error key of this row: its code's, as core's validation reports it.
    pub fn key(&self) -> String {
        format!("indicator.{}", self.code.trim())
    }

    fn of(i: &Indicator) -> Self {
        let mut f = IndicatorForm {
            code: i.code.clone(),
            name: i.name.clone(),
            dimension: match i.dimension {
                Dimension::Party => "party",
                Dimension::Business => "business",
                Dimension::Integration => "integration",
            }
            .into(),
            weight: num(i.weight),
            source: i.source.code().into(),
            ..Default::default()
        };
        f.rule = match &i.rule {
            Rule::Share => "share".into(),
            Rule::Quantitative {
                higher_better,
                floor,
                target,
            } => {
                f.floor = num(*floor);
                f.target = num(*target);
                if *higher_better { "up" } else { "down" }.into()
            }
            Rule::Graded {
                good,
                fairly_good,
                average,
                poor,
            } => {
                f.good = num(*good);
                f.fair = num(*fairly_good);
                f.average = num(*average);
                f.poor = num(*poor);
                "graded".into()
            }
            Rule::Deduction { per, cap } | Rule::Bonus { per, cap } => {
                f.per = num(*per);
                f.cap = num(*cap);
                if matches!(i.rule, Rule::Deduction { .. }) {
                    "deduction"
                } else {
                    "bonus"
                }
                .into()
            }
            Rule::Veto { cap_grade } => {
                f.grade = cap_grade.map_or("none".into(), |g| g.to_string());
                "veto".into()
            }
            Rule::Honour { grade } => {
                f.grade = grade.to_string();
                "honour".into()
            }
        };
        f
    }
}

impl TemplateForm {
    pub fn of(t: &Template) -> Self {
        TemplateForm {
            name: t.name.clone(),
            ungraded: t.ungraded.clone(),
            rows: t.indicators.iter().map(IndicatorForm::of).collect(),
            bands: t
                .bands
                .iter()
                .map(|b| BandForm {
                    min: num(b.min),
                    label: b.label.clone(),
                })
                .collect(),
        }
    }

    /// The template the form describes, or every problem at its field (a row's problems
    /// under `indicator.{code}`, or `row.{n}` while it has no code).
    pub fn to_template(&self) -> Result<Template, FieldErrors> {
        let mut e = FieldErrors::new();
        if self.name.trim().is_empty() {
            e.add("name", "请填写考核方案的名称");
        }
        let mut bands = Vec::new();
        for (n, b) in self.bands.iter().enumerate() {
            if b.min.trim().is_empty() && b.label.trim().is_empty() {
                continue;
            }
            match (b.min.trim().parse::<f64>(), b.label.trim()) {
                (Ok(min), label) if !label.is_empty() && (0.0..=100.0).contains(&min) => bands
                    .push(Band {
                        min,
                        label: label.into(),
                    }),
                _ => e.add(&format!("band.{n}"), "等次需要 0 到 100 之间的分数线和名称"),
            }
        }
        let mut indicators = Vec::new();
        for (n, r) in self.rows.iter().enumerate() {
            if r.remove || r.is_blank() {
                continue;
            }
            let key = if r.code.trim().is_empty() {
                format!("row.{n}")
            } else {
                r.key()
            };
            let code = r.code.trim();
            if code.is_empty() || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                e.add(&key, "指标代码请用英文字母、数字或下划线（如 life、kpis）");
                continue;
            }
            let mut bad = |what: &str| e.add(&key, format!("「{}」的{what}", r.name.trim()));
            let read = |s: &str| s.trim().parse::<f64>().ok().filter(|x| x.is_finite());
            let dimension = match r.dimension.as_str() {
                "party" => Dimension::Party,
                "business" => Dimension::Business,
                "integration" => Dimension::Integration,
                _ => {
                    bad("维度请选择党建、业务或融合");
                    continue;
                }
            };
            let Some(source) = Source::from_code(&r.source) else {
                bad("数据来源请从列表中选择");
                continue;
            };
            let pair = |a: &str, b: &str| read(a).zip(read(b));
            let grade_index = |s: &str| s.trim().parse::<usize>().ok();
            let rule = match r.rule.as_str() {
                "share" => Some(Rule::Share),
                "up" | "down" => {
                    pair(&r.floor, &r.target).map(|(floor, target)| Rule::Quantitative {
                        higher_better: r.rule == "up",
                        floor,
                        target,
                    })
                }
                "graded" => match (
                    read(&r.good),
                    read(&r.fair),
                    read(&r.average),
                    read(&r.poor),
                ) {
                    (Some(good), Some(fairly_good), Some(average), Some(poor)) => {
                        Some(Rule::Graded {
                            good,
                            fairly_good,
                            average,
                            poor,
                        })
                    }
                    _ => None,
                },
                "deduction" => pair(&r.per, &r.cap).map(|(per, cap)| Rule::Deduction { per, cap }),
                "bonus" => pair(&r.per, &r.cap).map(|(per, cap)| Rule::Bonus { per, cap }),
                "veto" if r.grade == "none" => Some(Rule::Veto { cap_grade: None }),
                "veto" => grade_index(&r.grade).map(|g| Rule::Veto { cap_grade: Some(g) }),
                "honour" => grade_index(&r.grade).map(|grade| Rule::Honour { grade }),
                _ => {
                    bad("计分方法请从列表中选择");
                    continue;
                }
            };
            let Some(rule) = rule else {
                bad(match r.rule.as_str() {
                    "up" | "down" => "起评值和目标值请填数字",
                    "graded" => "各等次的得分比例请填 0 到 1 之间的数字",
                    "deduction" | "bonus" => "每次分值和上限请填数字",
                    _ => "等次请从列表中选择",
                });
                continue;
            };
            let weight = if rule.scored() {
                match read(&r.weight) {
                    Some(w) => w,
                    None => {
                        bad("分值请填数字");
                        continue;
                    }
                }
            } else {
                0.0
            };
            indicators.push(Indicator {
                code: code.into(),
                name: r.name.trim().into(),
                dimension,
                weight,
                rule,
                source,
            });
        }
        let t = Template {
            name: self.name.trim().into(),
            indicators,
            bands,
            ungraded: if self.ungraded.trim().is_empty() {
                "不定等次".into()
            } else {
                self.ungraded.trim().into()
            },
        };
        if let Err(more) = validate_template(&t) {
            for f in more.0 {
                if e.get(&f.field).is_none() {
                    e.add(&f.field, f.message);
                }
            }
        }
        e.into_result().map(|()| t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evaluation::templates::{hundred_points, star_rating};

    #[test]
    fn a_manual_value_needs_a_reason_and_a_veto_needs_its_event() {
        let t = hundred_points();
        let veto = t.indicators.iter().find(|i| i.code == "accident").unwrap();
        let f = ManualForm {
            code: "accident".into(),
            occurred: "1".into(),
            ..Default::default()
        };
        let e = f.to_input(veto).unwrap_err();
        assert!(e.get("what").unwrap().contains("写明"), "{e:?}");
        assert!(e.get("reason").is_some());
        let graded = t
            .indicators
            .iter()
            .find(|i| i.code == "party_grade")
            .unwrap();
        let f = ManualForm {
            code: "party_grade".into(),
            grade: "fairly_good".into(),
            reason: "年度述职评议结果".into(),
            ..Default::default()
        };
        assert_eq!(
            f.to_input(graded).unwrap(),
            crate::evaluation::Input::Grade {
                grade: crate::evaluation::Grade::FairlyGood
            }
        );
    }

    #[test]
    fn a_template_survives_the_form_both_ways() {
        for t in [hundred_points(), star_rating()] {
            assert_eq!(TemplateForm::of(&t).to_template().unwrap(), t);
        }
    }

    #[test]
    fn typing_mistakes_are_named_at_their_row() {
        let mut f = TemplateForm::of(&hundred_points());
        f.rows[0].weight = "二十".into();
        f.rows[1].code = "两个字".into();
        let mut extra = IndicatorForm {
            code: "q".into(),
            name: "服务企业数".into(),
            dimension: "business".into(),
            source: "manual".into(),
            rule: "up".into(),
            weight: "5".into(),
            floor: "80".into(),
            target: "60".into(),
            ..Default::default()
        };
        f.rows.push(extra.clone());
        let e = f.to_template().unwrap_err();
        assert!(
            e.get("indicator.life").unwrap().contains("分值请填数字"),
            "{e:?}"
        );
        assert!(
            e.get("row.1").is_none() && e.get("indicator.两个字").is_some(),
            "{e:?}"
        );
        assert!(
            e.get("indicator.q").unwrap().contains("起评值应低于目标值"),
            "{e:?}"
        );
        // Removed rows and blank rows are not read.
        extra.remove = true;
        let mut f = TemplateForm::of(&hundred_points());
        f.rows.push(extra);
        f.rows.push(IndicatorForm::default());
        assert_eq!(f.to_template().unwrap(), hundred_points());
    }
}

/// A value entered by hand for one indicator of one organization, as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ManualForm {
    pub code: String,
    /// 好 / 较好 / 一般 / 差 by code: good, fairly_good, average, poor.
    pub grade: String,
    pub count: String,
    pub value: String,
    /// A percentage, 0–100.
    pub share: String,
    /// "1" when the event (veto, honour) occurred.
    pub occurred: String,
    pub what: String,
    pub reason: String,
}

impl ManualForm {
    /// The input for `ind`, read from the field its rule uses; a reason is always required.
    pub fn to_input(&self, ind: &Indicator) -> Result<super::Input, FieldErrors> {
        use super::{Grade, Input};
        let mut e = FieldErrors::new();
        let reason = self.reason.trim();
        if reason.chars().count() < 4 {
            e.add(
                "reason",
                "请写明依据或理由（至少 4 个字），如“年度述职评议结果”",
            );
        }
        let input = match &ind.rule {
            Rule::Graded { .. } => match self.grade.as_str() {
                "good" => Some(Input::Grade { grade: Grade::Good }),
                "fairly_good" => Some(Input::Grade {
                    grade: Grade::FairlyGood,
                }),
                "average" => Some(Input::Grade {
                    grade: Grade::Average,
                }),
                "poor" => Some(Input::Grade { grade: Grade::Poor }),
                _ => {
                    e.add("grade", "请选择评定等次");
                    None
                }
            },
            Rule::Deduction { .. } | Rule::Bonus { .. } => match self.count.trim().parse::<u32>() {
                Ok(count) if count <= 1000 => Some(Input::Count { count }),
                _ => {
                    e.add("count", "次数请填 0 到 1000 的整数");
                    None
                }
            },
            Rule::Quantitative { .. } => match self.value.trim().parse::<f64>() {
                Ok(value) if value.is_finite() => Some(Input::Value { value }),
                _ => {
                    e.add("value", "实际值请填数字");
                    None
                }
            },
            Rule::Share => match self.share.trim().trim_end_matches('%').parse::<f64>() {
                Ok(p) if (0.0..=100.0).contains(&p) => Some(Input::Share { share: p / 100.0 }),
                _ => {
                    e.add("share", "完成比例请填 0 到 100 之间的数");
                    None
                }
            },
            Rule::Veto { .. } | Rule::Honour { .. } => {
                let occurred = self.occurred == "1";
                let what = self.what.trim();
                if occurred && what.is_empty() {
                    e.add(
                        "what",
                        if matches!(ind.rule, Rule::Veto { .. }) {
                            "一票否决须写明发生了什么事项（如“2026年5月发生较大安全生产责任事故”）"
                        } else {
                            "请写明获得的荣誉（如“获评市级先进基层党组织”）"
                        },
                    );
                    None
                } else {
                    Some(Input::Event {
                        occurred,
                        what: what.into(),
                    })
                }
            }
        };
        match (e.into_result(), input) {
            (Ok(()), Some(i)) => Ok(i),
            (Err(e), _) => Err(e),
            (Ok(()), None) => {
                let mut e = FieldErrors::new();
                e.add("code", "无法录入此指标");
                Err(e)
            }
        }
    }
}
