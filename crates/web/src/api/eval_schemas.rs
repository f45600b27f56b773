//! The OpenAPI paths and request bodies of 同步考核, built from core's codes.

use ronghe_core::evaluation::Source;
use serde_json::{json, Value};

/// A core `Template` as JSON: the indicators with their rule (tagged by `kind`) and source.
fn template_schema() -> Value {
    let sources: Vec<&str> = Source::ALL.iter().map(|s| s.code()).collect();
    let num = json!({ "type": "number" });
    let rule = json!({
        "description": "计分方法，以 kind 区分：quantitative（higher_better、floor 起评值、target 目标值）、graded（四个等次的得分比例）、share（按比例）、deduction / bonus（per 每次、cap 上限）、veto（cap_grade 最高等次序号，null 为不定等次）、honour（grade 直接评定的等次序号）",
        "oneOf": [
            { "type": "object", "additionalProperties": false, "required": ["kind", "higher_better", "floor", "target"], "properties": { "kind": { "const": "quantitative" }, "higher_better": { "type": "boolean" }, "floor": num, "target": num } },
            { "type": "object", "additionalProperties": false, "required": ["kind", "good", "fairly_good", "average", "poor"], "properties": { "kind": { "const": "graded" }, "good": num, "fairly_good": num, "average": num, "poor": num } },
            { "type": "object", "additionalProperties": false, "required": ["kind"], "properties": { "kind": { "const": "share" } } },
            { "type": "object", "additionalProperties": false, "required": ["kind", "per", "cap"], "properties": { "kind": { "enum": ["deduction", "bonus"] }, "per": num, "cap": num } },
            { "type": "object", "additionalProperties": false, "required": ["kind", "cap_grade"], "properties": { "kind": { "const": "veto" }, "cap_grade": { "type": ["integer", "null"], "minimum": 0, "maximum": 20 } } },
            { "type": "object", "additionalProperties": false, "required": ["kind", "grade"], "properties": { "kind": { "const": "honour" }, "grade": { "type": "integer", "minimum": 0, "maximum": 20 } } }
        ]
    });
    json!({
        "type": "object",
        "additionalProperties": false,
        "description": "考核方案：计分指标（share、quantitative、graded）的分值合计 100；扣分、加分、否决、荣誉的 weight 为 0。等次从 0 分起、分数线递增。数据来源须与计分方法相符（等次评定、荣誉须人工录入）",
        "required": ["name", "indicators", "bands", "ungraded"],
        "properties": {
            "name": { "type": "string", "minLength": 1, "maxLength": 60 },
            "ungraded": { "type": "string", "maxLength": 20, "description": "否决后不定等次时显示的文字，如“不定等次”“不评星”" },
            "bands": { "type": "array", "minItems": 1, "maxItems": 10, "items": { "type": "object", "additionalProperties": false, "required": ["min", "label"], "properties": { "min": { "type": "number", "minimum": 0, "maximum": 100 }, "label": { "type": "string", "minLength": 1, "maxLength": 20 } } } },
            "indicators": { "type": "array", "maxItems": 60, "items": {
                "type": "object", "additionalProperties": false,
                "required": ["code", "name", "dimension", "weight", "rule"],
                "properties": {
                    "code": { "type": "string", "pattern": "^[A-Za-z0-9_]{1,30}$" },
                    "name": { "type": "string", "minLength": 1, "maxLength": 60 },
                    "dimension": { "enum": ["party", "business", "integration"] },
                    "weight": { "type": "number", "minimum": 0, "maximum": 100 },
                    "source": { "enum": sources },
                    "rule": rule
                }
            } }
        }
    })
}

fn manual_schema() -> Value {
    let text = |max: usize, d: &str| json!({ "type": ["string", "number", "null"], "maxLength": max, "description": d });
    json!({
        "type": "object",
        "additionalProperties": false,
        "description": "人工录入一项指标的值（须有考核权限，只能在草稿状态的考核中录入）：按指标的计分方法填相应的字段，理由必填",
        "required": ["code", "reason"],
        "properties": {
            "code": { "type": "string", "minLength": 1, "maxLength": 30, "description": "指标代码" },
            "grade": { "enum": ["", "good", "fairly_good", "average", "poor"], "description": "等次评定：好、较好、一般、差" },
            "count": text(10, "扣分、加分的次数（0–1000）"),
            "value": text(30, "定量指标的实际值"),
            "share": text(10, "完成比例，0–100"),
            "occurred": { "enum": ["", "0", "1"], "description": "否决事项、荣誉：1 为发生 / 获得" },
            "what": text(200, "否决事项或荣誉，发生时必填"),
            "reason": { "type": ["string", "number"], "minLength": 1, "maxLength": 500, "description": "依据或理由，至少 4 个字" }
        }
    })
}

pub fn paths() -> Value {
    let id = json!({ "name": "id", "in": "path", "required": true, "schema": { "type": "integer", "format": "int64" } });
    let org = json!({ "name": "org", "in": "path", "required": true, "schema": { "type": "integer", "format": "int64" } });
    let year = json!({ "name": "year", "in": "query", "description": "年度，默认为当年", "schema": { "type": "integer", "minimum": 2000, "maximum": 2100 } });
    let body = |schema: Value| json!({ "required": true, "content": { "application/json": { "schema": schema } } });
    let ok = |what: &str| {
        let mut r = super::openapi::errors();
        if let Some(o) = r.as_object_mut() {
            o.insert("200".into(), json!({ "description": what }));
            o.insert("201".into(), json!({ "description": what }));
        }
        r
    };
    let new_template = json!({ "type": "object", "additionalProperties": false, "required": ["year", "template"], "properties": { "year": { "type": "integer", "minimum": 2000, "maximum": 2100 }, "template": template_schema() } });
    let save_template = json!({ "type": "object", "additionalProperties": false, "required": ["template"], "properties": { "template": template_schema(), "note": { "type": ["string", "null"], "maxLength": 200 } } });
    let new_run = json!({ "type": "object", "additionalProperties": false, "description": "按考核方案的当前版本计算下级全部有计划的组织；更正时给出被更正的考核编号（原考核须已确认）", "properties": {
        "template_id": { "type": ["integer", "string"], "description": "本组织的考核方案编号" },
        "supersedes": { "type": ["integer", "string", "null"], "description": "被更正的考核编号" },
        "note": { "type": ["string", "number", "null"], "maxLength": 200 } } });
    json!({
        "/api/v1/orgs/{id}/evaluation/templates": {
            "get": { "summary": "本组织的考核方案（各取最新版本）", "parameters": [id], "responses": ok("考核方案列表") },
            "post": { "summary": "新建考核方案（第 1 版）：分值合计 100、起评值与目标值方向一致、否决须指向存在的等次等，不合规时 422 并指明字段", "parameters": [id], "requestBody": body(new_template), "responses": ok("新方案") }
        },
        "/api/v1/evaluation/templates/{id}": {
            "get": { "summary": "考核方案的最新版本与版本记录", "parameters": [id], "responses": ok("考核方案") },
            "put": { "summary": "保存为新版本（已开展的考核保留所用的版本）", "parameters": [id], "requestBody": body(save_template), "responses": ok("考核方案") }
        },
        "/api/v1/orgs/{id}/evaluation/runs": {
            "get": { "summary": "本组织开展过的考核（新的在前）", "parameters": [id], "responses": ok("考核列表") },
            "post": { "summary": "开展考核：按方案计算下级每个有计划的组织的得分、等次和融合度；该年度下级没有计划时 422", "parameters": [id], "requestBody": body(new_run), "responses": ok("新考核（草稿）") }
        },
        "/api/v1/evaluation/runs/{id}": {
            "get": { "summary": "一次考核及各组织的得分、等次、融合度（G、S、E）和两项绩效", "parameters": [id], "responses": ok("考核结果") }
        },
        "/api/v1/evaluation/runs/{id}/confirm": {
            "post": { "summary": "确认考核结果：确认后锁定，更正须新建一次考核", "parameters": [id], "responses": ok("已确认的考核") }
        },
        "/api/v1/evaluation/runs/{id}/results/{org}": {
            "get": { "summary": "一个组织的考核结果：逐项的数据来源、数据、计分规则和得分（合计即总分），否决与荣誉说明，人工录入记录", "parameters": [id, org], "responses": ok("考核结果及说明") }
        },
        "/api/v1/evaluation/runs/{id}/results/{org}/manual": {
            "post": { "summary": "人工录入一项指标并重新计分（写入审计日志）", "parameters": [id, org], "requestBody": body(manual_schema()), "responses": ok("重新计分后的结果") }
        },
        "/api/v1/orgs/{id}/integration": {
            "get": { "summary": "下级各组织某年度的融合度（按今天的数据计算，低的在前）：G、S、E、耦合度（修正与传统两种）、协调度及等级、“两张皮”提示、按提升幅度排列的改进事项", "parameters": [id, year], "responses": ok("融合度列表") }
        }
    })
}
