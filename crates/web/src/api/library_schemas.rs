//! The OpenAPI paths and request bodies of 品牌化 (the case library and brands), from core's
//! limits and codes. A field that the server takes as `null` is declared so.

use ronghe_core::library::{CaseKind, QUERY_MAX};
use serde_json::{json, Value};

pub const ACTIONS: [&str; 6] = [
    "submit",
    "publish",
    "return",
    "take_down",
    "report",
    "dismiss_reports",
];

/// The longest comment, reason or note an action carries.
pub const ACTION_TEXT_MAX: usize = 500;

pub fn paths(errors: &Value) -> Value {
    use ronghe_core::library::brand::{DESCRIPTION_MAX, NAME_MAX, REASON_MAX, SLOGAN_MAX};
    use ronghe_core::library::case::{BODY_MAX, SUMMARY_MAX, TAGS_MAX, TAG_MAX, TITLE_MAX};
    let with = |ok: Value| {
        let mut r = errors.clone();
        if let (Some(r), Some(ok)) = (r.as_object_mut(), ok.as_object()) {
            r.extend(ok.clone());
        }
        r
    };
    let id_param = json!({ "name": "id", "in": "path", "required": true, "schema": { "type": "integer", "format": "int64" } });
    let ids = |max: usize, d: &str| json!({ "type": "array", "maxItems": max, "items": { "type": "integer", "format": "int64" }, "description": d });
    let kinds: Vec<&str> = CaseKind::ALL.iter().map(|k| k.code()).collect();
    let body = |schema: Value| json!({ "required": true, "content": { "application/json": { "schema": schema } } });
    let case_input = json!({
        "type": "object",
        "additionalProperties": false,
        "description": "一篇案例（存为草稿）。作者须是本组织党员；业务目标、党建工作须在本组织的工作计划中；品牌须是本组织的；标签从案例库的标签中选。Word 文档请在页面上传",
        "required": ["org_id", "title", "body"],
        "properties": {
            "org_id": { "type": "integer", "format": "int64", "description": "写案例的组织" },
            "kind": { "type": ["string", "null"], "enum": [kinds[0], kinds[1], null], "description": "experience 典型经验，achievement 优秀成果" },
            "title": { "type": "string", "maxLength": TITLE_MAX },
            "summary": { "type": ["string", "null"], "maxLength": SUMMARY_MAX },
            "body": { "type": "string", "maxLength": BODY_MAX },
            "tags": { "type": "array", "maxItems": TAGS_MAX, "items": { "type": "string", "maxLength": TAG_MAX } },
            "author_ids": ids(20, "作者（本组织党员编号）"),
            "brand_id": { "type": ["integer", "null"], "format": "int64" },
            "goal_ids": ids(20, "来自的业务目标"),
            "item_ids": ids(20, "来自的党建工作")
        }
    });
    let action_input = json!({
        "type": "object",
        "additionalProperties": false,
        "description": "办理一步：submit 提交审核（作者组织）；publish 发布（上级党组织，须给 reach）；return 退回（text 为退回意见）；take_down 下架（text 为理由）；report 举报（text 为理由，任何能看到已发布案例的读者）；dismiss_reports 举报不成立（text 为理由）",
        "required": ["action"],
        "properties": {
            "action": { "type": "string", "enum": ACTIONS },
            "reach": { "type": ["string", "null"], "enum": ["subtree", "all", null], "description": "subtree 本级及下级组织，all 全平台" },
            "text": { "type": ["string", "null"], "maxLength": ACTION_TEXT_MAX }
        }
    });
    let brand_input = json!({
        "type": "object",
        "additionalProperties": false,
        "description": "一个党建品牌（从培育阶段开始）。业务目标须在本组织的工作计划中",
        "required": ["org_id", "name", "description"],
        "properties": {
            "org_id": { "type": "integer", "format": "int64" },
            "name": { "type": "string", "maxLength": NAME_MAX },
            "slogan": { "type": ["string", "null"], "maxLength": SLOGAN_MAX },
            "description": { "type": "string", "maxLength": DESCRIPTION_MAX },
            "goal_ids": ids(20, "服务的业务目标")
        }
    });
    let stage_input = json!({
        "type": "object",
        "additionalProperties": false,
        "description": "上级党组织调整品牌阶段：培育、创建、命名之间每次只进退一步，须写理由",
        "required": ["to", "reason"],
        "properties": {
            "to": { "type": "string", "enum": ["cultivating", "building", "named"] },
            "reason": { "type": "string", "maxLength": REASON_MAX }
        }
    });
    let q = |name: &str, schema: Value| json!({ "name": name, "in": "query", "schema": schema });
    json!({
        "/api/v1/library/cases": {
            "get": { "summary": "搜索已发布的案例（中文分词，词语不必相连；只返回账号能查看的）",
                     "parameters": [
                        { "name": "q", "in": "query", "required": true, "schema": { "type": "string", "minLength": 1, "maxLength": 2 * QUERY_MAX }, "description": "关键词，至多 100 字" },
                        q("tag", json!({ "type": "string", "minLength": 1, "maxLength": 20 })),
                        q("kind", json!({ "type": "string", "enum": kinds })),
                        q("year", json!({ "type": "integer", "minimum": 2000, "maximum": 2100 })),
                        q("brand", json!({ "type": "integer", "minimum": 1 })),
                        q("org", json!({ "type": "integer", "minimum": 1, "description": "只看该组织及其下级的案例" })),
                        q("sort", json!({ "type": "string", "enum": ["relevance", "date"] })),
                        q("page", json!({ "type": "integer", "minimum": 1, "maximum": 100 }))
                     ],
                     "responses": with(json!({ "200": { "description": "total、page、per_page 和一页结果（snippet_html 中找到的词以 <b> 标出）；查询只有标点或过长时 400" } })) },
            "post": { "summary": "写一篇案例（草稿）", "requestBody": body(case_input),
                      "responses": with(json!({ "201": { "description": "新案例" } })) }
        },
        "/api/v1/library/cases/{id}": {
            "get": { "summary": "案例：组织、编号、页数、分页预览（HTML）、原文、状态；作者组织和上级还能看到办理记录和审核意见", "parameters": [id_param],
                     "responses": with(json!({ "200": { "description": "案例" } })) }
        },
        "/api/v1/library/cases/{id}/related": {
            "get": { "summary": "按内容找到的相关案例，以及由案例关键词生成的相关搜索", "parameters": [id_param],
                     "responses": with(json!({ "200": { "description": "items 与 related_searches" } })) }
        },
        "/api/v1/library/cases/{id}/actions": {
            "post": { "summary": "办理案例：提交、发布、退回、下架、举报、举报不成立", "parameters": [id_param], "requestBody": body(action_input),
                      "responses": with(json!({ "200": { "description": "办理后的案例" } })) }
        },
        "/api/v1/library/review": {
            "get": { "summary": "上级党组织待审核和被举报的案例", "responses": with(json!({ "200": { "description": "submitted 与 reported" } })) }
        },
        "/api/v1/library/brands": {
            "get": { "summary": "组织及其下级的党建品牌", "parameters": [q("org", json!({ "type": "integer", "minimum": 1 }))],
                     "responses": with(json!({ "200": { "description": "品牌列表（含阶段）" } })) },
            "post": { "summary": "创建党建品牌", "requestBody": body(brand_input),
                      "responses": with(json!({ "201": { "description": "新品牌" } })) }
        },
        "/api/v1/library/brands/{id}": {
            "get": { "summary": "品牌、取自工作计划的成效（业务目标的指标、承载的党建工作、任务完成情况）和阶段记录", "parameters": [id_param],
                     "responses": with(json!({ "200": { "description": "品牌" } })) }
        },
        "/api/v1/library/brands/{id}/stage": {
            "post": { "summary": "调整品牌阶段（上级党组织）", "parameters": [id_param], "requestBody": body(stage_input),
                      "responses": with(json!({ "200": { "description": "调整后的品牌" } })) }
        }
    })
}
