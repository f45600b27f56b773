//! Plan forms as typed (strings), validated into plan values or per-field Chinese errors.
//! The same forms back the pages and the API.

pub use super::task_forms::{TaskForm, TaskInput, TaskUpdateForm, TaskUpdateInput};
use super::{validate_kpi, Accumulation, Cadence, Direction, Kpi, LinkKind, PartyItemKind, Period};
use crate::text::{optional, optional_date, required, FieldErrors};
use crate::Date;
use serde::{Deserialize, Serialize};

pub const TITLE_MAX: usize = 100;
pub const JUNCTION_MAX: usize = 200;
pub const NOTE_MAX: usize = 2000;

pub(super) fn take<T>(e: &mut FieldErrors, field: &str, r: Result<T, String>) -> Option<T> {
    r.map_err(|m| e.add(field, m)).ok()
}

fn id(e: &mut FieldErrors, field: &str, v: &str, missing: &str) -> Option<i64> {
    take(
        e,
        field,
        v.trim().parse::<i64>().map_err(|_| missing.to_string()),
    )
}

pub(super) fn optional_id(e: &mut FieldErrors, field: &str, v: &str) -> Option<Option<i64>> {
    match v.trim() {
        "" => Some(None),
        s => take(
            e,
            field,
            s.parse::<i64>()
                .map(Some)
                .map_err(|_| "选择无效，请重新选择".to_string()),
        ),
    }
}

fn number(e: &mut FieldErrors, field: &str, label: &str, v: &str) -> Option<f64> {
    let t = v.trim().trim_end_matches('%').replace([',', '，'], "");
    take(
        e,
        field,
        t.parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .ok_or_else(|| format!("{label}应为数字")),
    )
}

fn optional_number(e: &mut FieldErrors, field: &str, label: &str, v: &str) -> Option<Option<f64>> {
    if v.trim().is_empty() {
        Some(None)
    } else {
        number(e, field, label, v).map(Some)
    }
}

/// A new plan.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct PlanForm {
    pub org_id: String,
    pub year: String,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PlanInput {
    pub org_id: i64,
    pub period: Period,
    pub title: String,
}

impl PlanForm {
    pub fn validate(&self) -> Result<PlanInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let org_id = id(&mut e, "org_id", &self.org_id, "请选择党组织");
        let period = take(&mut e, "year", Period::parse("年度", &self.year));
        let title = take(
            &mut e,
            "title",
            required("计划名称", &self.title, TITLE_MAX),
        );
        e.into_result()?;
        Ok(PlanInput {
            org_id: org_id.expect("checked"),
            period: period.expect("checked"),
            title: title.expect("checked"),
        })
    }
}

/// A KPI as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct KpiForm {
    pub kpi_name: String,
    pub kpi_unit: String,
    pub kpi_direction: String,
    pub kpi_low: String,
    pub kpi_high: String,
    pub kpi_baseline: String,
    pub kpi_target: String,
    /// `cumulative` or `monthly`; blank: inferred from the KPI ([`Accumulation::infer`]).
    pub kpi_accumulation: String,
    /// `monthly` or `quarterly`; blank: monthly.
    pub kpi_cadence: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct KpiInput {
    pub name: String,
    pub kpi: Kpi,
    pub accumulation: Accumulation,
    pub cadence: Cadence,
}

impl KpiForm {
    pub fn is_blank(&self) -> bool {
        [
            &self.kpi_name,
            &self.kpi_unit,
            &self.kpi_baseline,
            &self.kpi_target,
        ]
        .iter()
        .all(|s| s.trim().is_empty())
    }

    /// For a goal typed without a KPI: the KPI's other fields must be empty or valid (a form
    /// sends its selects' defaults), not left over with something unreadable in them.
    fn check_leftovers(&self, e: &mut FieldErrors) {
        let bad_code = |code: &str, valid: bool| !code.trim().is_empty() && !valid;
        if bad_code(
            &self.kpi_direction,
            ["higher_better", "lower_better", "within_range"].contains(&self.kpi_direction.trim()),
        ) {
            e.add("kpi_direction", "请选择指标方向");
        }
        if bad_code(
            &self.kpi_accumulation,
            Accumulation::from_code(&self.kpi_accumulation).is_some(),
        ) {
            e.add("kpi_accumulation", "请选择填报的是累计值还是当月值");
        }
        if bad_code(
            &self.kpi_cadence,
            Cadence::from_code(&self.kpi_cadence).is_some(),
        ) {
            e.add("kpi_cadence", "请选择按月还是按季报送");
        }
        for (field, v) in [("kpi_low", &self.kpi_low), ("kpi_high", &self.kpi_high)] {
            if !v.trim().is_empty() {
                e.add(field, "填写区间前请先填写指标名称、单位、基线值和目标值");
            }
        }
    }

    /// Validates into `e`, so a goal form can report its KPI fields with its own.
    pub fn validate_into(&self, e: &mut FieldErrors) -> Option<KpiInput> {
        let name = take(e, "kpi_name", required("指标名称", &self.kpi_name, 60));
        let unit = take(e, "kpi_unit", required("计量单位", &self.kpi_unit, 10));
        let low = optional_number(e, "kpi_low", "区间下限", &self.kpi_low);
        let high = optional_number(e, "kpi_high", "区间上限", &self.kpi_high);
        let direction = match (low, high) {
            (Some(l), Some(h)) => take(
                e,
                "kpi_direction",
                Direction::parse(&self.kpi_direction, l, h),
            ),
            _ => None,
        };
        let baseline = number(e, "kpi_baseline", "基线值", &self.kpi_baseline);
        let target = number(e, "kpi_target", "目标值", &self.kpi_target);
        let kpi = Kpi {
            unit: unit?,
            direction: direction?,
            baseline: baseline?,
            target: target?,
        };
        let accumulation = match self.kpi_accumulation.trim() {
            "" => Some(Accumulation::infer(&kpi)),
            code => take(
                e,
                "kpi_accumulation",
                Accumulation::from_code(code)
                    .ok_or_else(|| "请选择填报的是累计值还是当月值".to_string()),
            ),
        };
        let cadence = match self.kpi_cadence.trim() {
            "" => Some(Cadence::Monthly),
            code => take(
                e,
                "kpi_cadence",
                Cadence::from_code(code).ok_or_else(|| "请选择按月还是按季报送".to_string()),
            ),
        };
        take(e, "kpi_target", validate_kpi(&kpi))?;
        Some(KpiInput {
            name: name?,
            kpi,
            accumulation: accumulation?,
            cadence: cadence?,
        })
    }

    pub fn validate(&self) -> Result<KpiInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let k = self.validate_into(&mut e);
        e.into_result()?;
        Ok(k.expect("no errors"))
    }
}

/// A business goal, with its first KPI typed in the same form.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct GoalForm {
    pub title: String,
    pub department: String,
    pub is_key: String,
    pub weight: String,
    pub parent_goal_id: String,
    pub stated_by: String,
    #[serde(flatten)]
    pub kpi: KpiForm,
}

#[derive(Debug, Clone, PartialEq)]
pub struct GoalInput {
    pub title: String,
    pub department: Option<String>,
    pub is_key: bool,
    pub weight: f64,
    pub parent_goal_id: Option<i64>,
    pub stated_by: Option<String>,
    pub kpi: Option<KpiInput>,
}

impl GoalForm {
    pub fn validate(&self) -> Result<GoalInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let title = take(
            &mut e,
            "title",
            required("业务目标", &self.title, TITLE_MAX),
        );
        let department = take(
            &mut e,
            "department",
            optional("牵头部门", &self.department, 60),
        );
        let is_key = matches!(self.is_key.trim(), "1" | "true" | "on" | "yes");
        let weight = match self.weight.trim() {
            "" => Some(if is_key { 2.0 } else { 1.0 }),
            w => number(&mut e, "weight", "权重", w).and_then(|w| {
                take(
                    &mut e,
                    "weight",
                    if (0.0..=10.0).contains(&w) && w > 0.0 {
                        Ok(w)
                    } else {
                        Err("权重应在 0 到 10 之间".to_string())
                    },
                )
            }),
        };
        let parent_goal_id = optional_id(&mut e, "parent_goal_id", &self.parent_goal_id);
        let stated_by = take(&mut e, "stated_by", optional("提出人", &self.stated_by, 30));
        let kpi = if self.kpi.is_blank() {
            self.kpi.check_leftovers(&mut e);
            Some(None)
        } else {
            self.kpi.validate_into(&mut e).map(Some)
        };
        e.into_result()?;
        Ok(GoalInput {
            title: title.expect("checked"),
            department: department.flatten(),
            is_key,
            weight: weight.expect("checked"),
            parent_goal_id: parent_goal_id.flatten(),
            stated_by: stated_by.flatten(),
            kpi: kpi.flatten(),
        })
    }
}

/// A KPI value for one month, typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct KpiValueForm {
    pub month: String,
    pub value: String,
}

impl KpiValueForm {
    /// Returns ("YYYY-MM", value) for a month of `period`.
    pub fn validate(&self, kpi: &Kpi, period: Period) -> Result<(String, f64), FieldErrors> {
        let mut e = FieldErrors::new();
        let month = take(&mut e, "month", parse_month(&self.month, period));
        let value = take(&mut e, "value", super::parse_kpi_value(kpi, &self.value));
        e.into_result()?;
        Ok((month.expect("checked"), value.expect("checked")))
    }
}

/// "2026-03" (or "2026-3") inside the plan's year.
pub fn parse_month(typed: &str, period: Period) -> Result<String, String> {
    let t = typed.trim();
    let (y, m) = t
        .split_once(['-', '/', '.'])
        .ok_or("月份格式应为 年-月，例如 2026-03")?;
    let (y, m) = (
        y.parse::<i32>()
            .map_err(|_| "月份格式应为 年-月，例如 2026-03")?,
        m.parse::<u32>()
            .map_err(|_| "月份格式应为 年-月，例如 2026-03")?,
    );
    if !(1..=12).contains(&m) {
        return Err("月份应在 1 到 12 之间".into());
    }
    if y != period.year {
        return Err(format!("月份应在计划年度 {} 年内", period.year));
    }
    Ok(format!("{y:04}-{m:02}"))
}

/// A Party work item.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ItemForm {
    pub kind: String,
    pub title: String,
    pub description: String,
    pub owner_member_id: String,
    pub starts_on: String,
    pub ends_on: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ItemInput {
    pub kind: PartyItemKind,
    pub title: String,
    pub description: Option<String>,
    pub owner_member_id: Option<i64>,
    pub starts_on: Option<Date>,
    pub ends_on: Option<Date>,
}

impl ItemForm {
    pub fn validate(&self, period: Period) -> Result<ItemInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let kind = take(
            &mut e,
            "kind",
            PartyItemKind::from_code(self.kind.trim())
                .ok_or_else(|| "请选择工作项类型".to_string()),
        );
        let title = take(
            &mut e,
            "title",
            required("工作项名称", &self.title, TITLE_MAX),
        );
        let description = take(
            &mut e,
            "description",
            crate::meeting::optional_multiline("工作内容", &self.description, NOTE_MAX),
        );
        let owner = optional_id(&mut e, "owner_member_id", &self.owner_member_id);
        let starts_on = take(
            &mut e,
            "starts_on",
            optional_date("开始日期", &self.starts_on),
        );
        let ends_on = take(&mut e, "ends_on", optional_date("结束日期", &self.ends_on));
        for (field, label, d) in [
            ("starts_on", "开始日期", starts_on.flatten()),
            ("ends_on", "结束日期", ends_on.flatten()),
        ] {
            if let Some(d) = d {
                take(&mut e, field, period.check_in_period(label, d));
            }
        }
        if let (Some(Some(s)), Some(Some(t))) = (starts_on, ends_on) {
            if t < s {
                e.add("ends_on", "结束日期不能早于开始日期");
            }
        }
        e.into_result()?;
        Ok(ItemInput {
            kind: kind.expect("checked"),
            title: title.expect("checked"),
            description: description.flatten(),
            owner_member_id: owner.flatten(),
            starts_on: starts_on.flatten(),
            ends_on: ends_on.flatten(),
        })
    }
}

/// A link between an item and a goal, naming the junction point (结合点).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct LinkForm {
    pub item_id: String,
    pub goal_id: String,
    pub junction: String,
    pub kind: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LinkInput {
    pub item_id: i64,
    pub goal_id: i64,
    pub junction: String,
    pub kind: LinkKind,
}

impl LinkForm {
    pub fn validate(&self) -> Result<LinkInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let item_id = id(&mut e, "item_id", &self.item_id, "请选择党建工作项");
        let goal_id = id(&mut e, "goal_id", &self.goal_id, "请选择业务目标");
        let junction = take(
            &mut e,
            "junction",
            required("结合点", &self.junction, JUNCTION_MAX),
        );
        let kind = take(
            &mut e,
            "kind",
            LinkKind::from_code(self.kind.trim()).ok_or_else(|| "请选择结合方式".to_string()),
        );
        e.into_result()?;
        Ok(LinkInput {
            item_id: item_id.expect("checked"),
            goal_id: goal_id.expect("checked"),
            junction: junction.expect("checked"),
            kind: kind.expect("checked"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::TaskStatus;

    fn p() -> Period {
        Period { year: 2026 }
    }

    #[test]
    fn goal_with_kpi_validates_together() {
        let f = GoalForm {
            title: "检定校准能力提升".into(),
            is_key: "1".into(),
            kpi: KpiForm {
                kpi_name: "年检定台件数".into(),
                kpi_unit: "台件".into(),
                kpi_direction: "higher_better".into(),
                kpi_baseline: "12000".into(),
                kpi_target: "15,000".into(),
                ..Default::default()
            },
            ..Default::default()
        };
        let g = f.validate().unwrap();
        assert!(g.is_key && g.weight == 2.0);
        assert_eq!(g.kpi.unwrap().kpi.target, 15000.0);
        let bad = GoalForm {
            kpi: KpiForm {
                kpi_target: "很多".into(),
                ..f.kpi.clone()
            },
            ..f
        };
        assert!(bad.validate().unwrap_err().get("kpi_target").is_some());
    }

    #[test]
    fn goal_without_kpi_is_fine() {
        let g = GoalForm {
            title: "师德师风建设".into(),
            ..Default::default()
        }
        .validate()
        .unwrap();
        assert!(g.kpi.is_none() && !g.is_key && g.weight == 1.0);
        // Without a KPI, its select's default passes and anything unreadable does not.
        let leftover = |field: &str, v: &str| {
            let mut f = GoalForm {
                title: "目标".into(),
                ..GoalForm::default()
            };
            match field {
                "kpi_direction" => f.kpi.kpi_direction = v.into(),
                "kpi_cadence" => f.kpi.kpi_cadence = v.into(),
                _ => f.kpi.kpi_low = v.into(),
            }
            f.validate().err().map(|e| e.0[0].field.clone())
        };
        assert_eq!(leftover("kpi_direction", "higher_better"), None);
        assert_eq!(
            leftover("kpi_direction", "0").as_deref(),
            Some("kpi_direction")
        );
        assert_eq!(
            leftover("kpi_cadence", "weekly").as_deref(),
            Some("kpi_cadence")
        );
        assert_eq!(leftover("kpi_low", "3").as_deref(), Some("kpi_low"));
    }

    #[test]
    fn dates_must_lie_in_the_plan_year() {
        let f = TaskForm {
            title: "建标".into(),
            goal_id: "3".into(),
            deadline: "2027-01-05".into(),
            ..Default::default()
        };
        assert!(f.validate(p()).unwrap_err().get("deadline").is_some());
        let f = TaskForm {
            deadline: "2026-06-30".into(),
            ..f
        };
        assert_eq!(
            f.validate(p()).unwrap().deadline,
            Date::from_ymd_opt(2026, 6, 30).unwrap()
        );
        let i = ItemForm {
            kind: "pioneer_post".into(),
            title: "先锋岗".into(),
            starts_on: "2025-12-01".into(),
            ..Default::default()
        };
        assert!(i.validate(p()).unwrap_err().get("starts_on").is_some());
    }

    #[test]
    fn a_task_comes_from_an_item_or_a_goal() {
        let f = TaskForm {
            title: "x".into(),
            deadline: "2026-03-01".into(),
            ..Default::default()
        };
        assert!(f.validate(p()).unwrap_err().get("item_id").is_some());
    }

    #[test]
    fn link_needs_a_junction_point() {
        let f = LinkForm {
            item_id: "1".into(),
            goal_id: "2".into(),
            kind: "support".into(),
            ..Default::default()
        };
        assert!(f.validate().unwrap_err().get("junction").is_some());
    }

    #[test]
    fn months_and_task_updates() {
        assert_eq!(parse_month("2026-3", p()).unwrap(), "2026-03");
        assert!(parse_month("2025-12", p()).is_err());
        assert!(parse_month("2026-13", p()).is_err());
        let u = TaskUpdateForm {
            percent: "40".into(),
            status: "done".into(),
            note: "完成\n验收".into(),
        };
        let u = u.validate(TaskStatus::InProgress).unwrap();
        assert_eq!((u.percent, u.status), (100, TaskStatus::Done));
        let bad = TaskUpdateForm {
            percent: "140".into(),
            ..Default::default()
        };
        assert!(bad
            .validate(TaskStatus::NotStarted)
            .unwrap_err()
            .get("percent")
            .is_some());
    }
}
