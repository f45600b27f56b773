//! Request bodies of the plan endpoints, as JSON Schemas built from core's rules.

use super::schema::{
    choice, codes, date, flag, id, integer, month, number, object, opt, req, text,
};
use ronghe_core::plan::forms::{JUNCTION_MAX, NOTE_MAX, TITLE_MAX};
use ronghe_core::plan::period::{MAX_PLAN_YEAR, MIN_PLAN_YEAR};
use ronghe_core::plan::status::SUMMARY_MAX;
use ronghe_core::plan::{Accumulation, Cadence, LinkKind, PartyItemKind, PlanStatus, TaskStatus};
use serde_json::Value;

pub fn plan() -> Value {
    object(
        "新计划：一个组织一个年度一份计划",
        &[
            req("org_id", id("计划所属的组织")),
            req(
                "year",
                integer(i64::from(MIN_PLAN_YEAR), i64::from(MAX_PLAN_YEAR), "年度"),
            ),
            req("title", text(TITLE_MAX, "计划名称")),
        ],
    )
}

pub fn status() -> Value {
    object(
        "计划状态的变更：只能按 草稿 → 已部署 → 执行中 → 已总结 前进，已部署可撤回为草稿",
        &[
            req(
                "status",
                choice(&codes(&PlanStatus::ALL, PlanStatus::code), "新状态"),
            ),
            opt(
                "summary",
                text(
                    SUMMARY_MAX,
                    "年度总结：转为已总结（summarized）时必填，至少 20 字",
                ),
            ),
        ],
    )
}

pub fn goal() -> Value {
    let direction = ["higher_better", "lower_better", "within_range"];
    object(
        "业务目标，可同时带第一个指标（kpi_* 字段；填了指标名称就须填单位、方向、基线和目标）",
        &[
            req("title", text(TITLE_MAX, "业务目标")),
            opt("department", text(60, "牵头部门")),
            opt("is_key", flag("是否重点目标")),
            opt("weight", number("权重，大于 0、不超过 10；不填时重点目标为 2，其余为 1")),
            opt("parent_goal_id", id("对齐的上级组织同年度计划中的目标")),
            opt("stated_by", text(30, "提出人")),
            opt("kpi_name", text(60, "指标名称")),
            opt("kpi_unit", text(10, "计量单位")),
            opt("kpi_direction", choice(&direction, "指标方向")),
            opt("kpi_low", number("区间下限（仅 within_range）")),
            opt("kpi_high", number("区间上限（仅 within_range）")),
            opt("kpi_baseline", number("基线值")),
            opt("kpi_target", number("目标值")),
            opt(
                "kpi_accumulation",
                choice(
                    &codes(&Accumulation::ALL, Accumulation::code),
                    "每月填的是累计值（cumulative，年初至该月底）还是当月值（monthly）；不填时数量类指标为累计值，比率类为当月值",
                ),
            ),
            opt(
                "kpi_cadence",
                choice(
                    &codes(&Cadence::ALL, Cadence::code),
                    "报送频次：按月（monthly，默认）或按季（quarterly，只填 3、6、9、12 月）",
                ),
            ),
        ],
    )
}

pub fn item() -> Value {
    object(
        "党建工作项",
        &[
            req(
                "kind",
                choice(&codes(&PartyItemKind::ALL, PartyItemKind::code), "类型"),
            ),
            req("title", text(TITLE_MAX, "名称")),
            opt("description", text(NOTE_MAX, "工作内容")),
            opt(
                "owner_member_id",
                id("负责人：计划所属组织（含下级）的在册党员"),
            ),
            opt("starts_on", date("开始日期，须在计划年度内")),
            opt("ends_on", date("结束日期，须在计划年度内、不早于开始日期")),
        ],
    )
}

pub fn link() -> Value {
    object(
        "结合点：一项党建工作服务一个业务目标的方式",
        &[
            req("item_id", id("本计划中的党建工作项")),
            req("goal_id", id("本计划中的业务目标")),
            req(
                "junction",
                text(JUNCTION_MAX, "结合点：这项工作怎样推动这个目标"),
            ),
            req(
                "kind",
                choice(&codes(&LinkKind::ALL, LinkKind::code), "结合方式"),
            ),
        ],
    )
}

pub fn kpi_value() -> Value {
    object(
        "指标某月的实际值；同月再次提交会替换原值。累计值指标的数不能小于此前月份、不能大于此后月份；按季报送的指标只收季末月份",
        &[
            req("month", month("月份，须在计划年度内")),
            req("value", number("实际值，可带指标的计量单位，如 96.5 或 96.5%")),
        ],
    )
}

pub fn task_update() -> Value {
    object(
        "任务进展",
        &[
            req(
                "percent",
                integer(0, 100, "进度（0–100）；状态为 done 时按 100 计"),
            ),
            opt(
                "status",
                choice(
                    &codes(&TaskStatus::ALL, TaskStatus::code),
                    "新状态；不填则不变",
                ),
            ),
            opt("note", text(NOTE_MAX, "进展说明")),
        ],
    )
}
