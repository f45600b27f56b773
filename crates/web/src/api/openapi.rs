//! The OpenAPI 3.1 document of /api/v1, for client authors and schemathesis.

use super::schema::{choice, code_text, codes, date, flag, id, integer, object, opt, req, text};
use axum::Json;
use serde_json::{json, Value};

/// A member's record, as `MemberForm` validates it.
fn member_input() -> Value {
    use ronghe_core::forms::{NAME_MAX, TEXT_MAX};
    use ronghe_core::member::{Gender, PartyStatus};
    object(
        "一名党员的登记信息。身份证号校验位须正确；性别、出生日期不填时按身份证号；入党、转正日期不晚于今天，入党时年满十八周岁",
        &[
            req("org_id", id("所在党组织（党支部或党小组）")),
            req("name", text(NAME_MAX, "姓名")),
            opt("gender", choice(&[Gender::Male.code(), Gender::Female.code()], "性别")),
            opt("birth_date", date("出生日期")),
            req("id_number", code_text("公民身份号码：18 位，校验位须正确")),
            opt("phone", code_text("手机号码（11 位）或带区号的固定电话，可含空格和连字符")),
            req("status", choice(&codes(&PartyStatus::ALL, PartyStatus::code), "党籍状态")),
            opt("joined_on", date("入党日期")),
            opt("full_on", date("转正日期")),
            opt("department", text(TEXT_MAX, "业务部门")),
            opt("post", text(TEXT_MAX, "岗位")),
            opt("party_duty", text(TEXT_MAX, "党内职务")),
            opt("rights_suspended", flag("是否处于留党察看期间（没有表决权）")),
        ],
    )
}

/// An organization, as `OrgForm` validates it.
fn org_input() -> Value {
    use ronghe_core::forms::ORG_NAME_MAX;
    use ronghe_core::org::{OrgKind, UnitKind};
    object(
        "一个党组织。上级组织须能包含这一类别（党委 › 党总支 › 党支部 › 党小组）；日期不晚于今天",
        &[
            opt("parent_id", id("上级组织；不填为顶层组织（仅系统管理员）")),
            req(
                "kind",
                choice(&codes(&OrgKind::ALL, OrgKind::code), "组织类别"),
            ),
            req("name", text(ORG_NAME_MAX, "组织名称")),
            req("unit_name", text(ORG_NAME_MAX, "所在单位")),
            req(
                "unit_kind",
                choice(&codes(&UnitKind::ALL, UnitKind::code), "单位类型"),
            ),
            opt("founded_on", date("成立日期")),
            opt("term_start", date("本届开始日期")),
            opt("term_years", integer(1, 5, "任期年数")),
        ],
    )
}

pub async fn document() -> Json<Value> {
    let errors = errors();
    let with = |ok: Value| {
        let mut r = errors.clone();
        r.as_object_mut()
            .expect("object")
            .extend(ok.as_object().expect("object").clone());
        r
    };
    let id_param = json!([{ "name": "id", "in": "path", "required": true, "schema": { "type": "integer", "format": "int64" } }]);
    let body = |schema: &str| json!({ "required": true, "content": { "application/json": { "schema": { "$ref": format!("#/components/schemas/{schema}") } } } });
    let mut doc = json!({
        "openapi": "3.1.0",
        "info": { "title": "融合 ronghe API", "version": "1", "description": "党建与业务一体化平台接口。先 POST /api/v1/session 取得 token，之后以 Authorization: Bearer <token> 调用。所有数据按账号的组织范围过滤，范围以外的对象返回 404。" },
        "components": {
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer" } },
            "schemas": {
                "Error": { "type": "object", "properties": { "error": { "type": "string" }, "fields": { "type": "array", "items": { "type": "object", "properties": { "field": { "type": "string" }, "message": { "type": "string" } } } } } },
                "MemberInput": member_input(),
                "OrgInput": org_input(),
                "Login": { "type": "object", "additionalProperties": false, "properties": { "username": { "type": "string" }, "password": { "type": "string" } }, "required": ["username", "password"] }
            }
        },
        "security": [{ "bearer": [] }],
        "paths": {
            "/api/v1/session": {
                "post": { "summary": "登录，取得 token", "security": [], "requestBody": body("Login"), "responses": with(json!({ "200": { "description": "token、csrf 与账号信息" }, "423": { "description": "账号锁定" } })) },
                "delete": { "summary": "退出", "responses": with(json!({ "204": { "description": "已退出" } })) }
            },
            "/api/v1/orgs": {
                "get": { "summary": "权限范围内的顶层组织", "responses": with(json!({ "200": { "description": "组织列表" } })) },
                "post": { "summary": "新建组织", "requestBody": body("OrgInput"), "responses": with(json!({ "201": { "description": "新组织，含规定检查结果" } })) }
            },
            "/api/v1/orgs/{id}": {
                "get": { "summary": "组织详情、委员会与规定检查", "parameters": id_param, "responses": with(json!({ "200": { "description": "组织" } })) },
                "put": { "summary": "修改组织信息", "parameters": id_param, "requestBody": body("OrgInput"), "responses": with(json!({ "200": { "description": "组织" } })) }
            },
            "/api/v1/orgs/{id}/children": {
                "get": { "summary": "下级组织", "parameters": id_param, "responses": with(json!({ "200": { "description": "组织列表" } })) }
            },
            "/api/v1/members": {
                "get": { "summary": "党员名册（分页，个人信息已脱敏）", "parameters": [
                    { "name": "org", "in": "query", "schema": { "type": "integer", "minimum": 1 } },
                    { "name": "status", "in": "query", "schema": { "type": "string", "enum": ["applicant", "activist", "candidate", "probationary", "full"] } },
                    { "name": "q", "in": "query", "schema": { "type": "string" } },
                    { "name": "active", "in": "query", "schema": { "type": "string", "enum": ["1", "0", "all"] } },
                    { "name": "page", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": 100000 } }
                ], "responses": with(json!({ "200": { "description": "一页党员，附 total、page、per_page；参数值不合规时 400 并指明参数" } })) },
                "post": { "summary": "登记党员", "requestBody": body("MemberInput"), "responses": with(json!({ "201": { "description": "新登记的党员（脱敏）" } })) }
            },
            "/api/v1/members/{id}": {
                "get": { "summary": "党员详情（脱敏）", "parameters": id_param, "responses": with(json!({ "200": { "description": "党员" } })) },
                "put": { "summary": "修改党员信息", "parameters": id_param, "requestBody": body("MemberInput"), "responses": with(json!({ "200": { "description": "党员" } })) }
            }
        }
    });
    meeting_paths(&mut doc, &errors);
    if let (Some(paths), Value::Object(plans)) = (
        doc.get_mut("paths").and_then(Value::as_object_mut),
        super::plans::openapi_paths(),
    ) {
        paths.extend(plans);
    }
    if let (Some(paths), Value::Object(evaluation)) = (
        doc.get_mut("paths").and_then(Value::as_object_mut),
        super::eval_schemas::paths(),
    ) {
        paths.extend(evaluation);
    }
    if let (Some(paths), Value::Object(library)) = (
        doc.get_mut("paths").and_then(Value::as_object_mut),
        super::library_schemas::paths(&errors),
    ) {
        paths.extend(library);
    }
    Json(doc)
}

/// Organizational life (组织生活): meeting records and the compliance report.
fn meeting_paths(doc: &mut Value, errors: &Value) {
    let with = |ok: Value| {
        let mut r = errors.clone();
        if let (Some(r), Some(ok)) = (r.as_object_mut(), ok.as_object()) {
            r.extend(ok.clone());
        }
        r
    };
    let id_param = json!({ "name": "id", "in": "path", "required": true, "schema": { "type": "integer", "format": "int64" } });
    let year_param = json!({ "name": "year", "in": "query", "description": "年度，默认为当年", "schema": { "type": "integer", "minimum": 2000, "maximum": 2100 } });
    let kinds = json!([
        "general_assembly",
        "committee_meeting",
        "group_meeting",
        "party_lecture",
        "theme_day",
        "life_meeting",
        "democratic_review",
        "heart_talk"
    ]);
    let id = json!({ "type": ["integer", "string"] });
    let schema = json!({
        "type": "object",
        "additionalProperties": false,
        "description": "一次组织生活的记录。参会人员、缺席人员须为该组织（含党小组）在册的正式党员或预备党员；业务目标须在该组织或其上级组织当年的计划中。党员大会、支委会按到会人数是否过半判断是否有效。",
        "properties": {
            "org_id": id,
            "kind": { "type": "string", "enum": kinds },
            "date": { "type": "string", "description": "会议日期 YYYY-MM-DD，不晚于今天" },
            "topic": { "type": "string", "maxLength": 100 },
            "content": { "type": ["string", "null"], "maxLength": 5000 },
            "decisions": { "type": ["string", "null"], "maxLength": 5000 },
            "attendees": { "type": "array", "items": id, "description": "到会党员编号" },
            "absentees": { "type": "array", "items": { "type": "object", "additionalProperties": false, "properties": { "member_id": id, "reason": { "type": "string", "maxLength": 60 } }, "required": ["member_id", "reason"] } },
            "goals": { "type": "array", "items": id, "description": "本次会议服务的业务目标编号（本组织及上级组织当年计划中的）" },
            "items": { "type": "array", "items": id, "description": "本次会议落实的党建工作项编号（本组织及上级组织当年计划中的）" },
            "starts_at": { "type": ["string", "null"], "pattern": "^\\s*$|^\\s*[0-9]{1,2}[:：][0-9]{2}\\s*$", "description": "开始时间 HH:MM（00:00–23:59）" },
            "place": { "type": ["string", "number", "null"], "maxLength": 60, "description": "会议地点" },
            "chair_member_id": { "type": ["integer", "string", "null"], "description": "主持人：到会的本组织党员编号" },
            "recorder_member_id": { "type": ["integer", "string", "null"], "description": "记录人：到会的本组织党员编号" },
            "guests": { "type": ["string", "number", "null"], "maxLength": 200, "description": "非本组织党员的列席人员，如“院长 王建国”" }
        },
        "required": ["org_id", "kind", "date", "topic", "attendees"]
    });
    if let Some(s) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        s.insert("MeetingInput".into(), schema);
    }
    let paths = json!({
        "/api/v1/meetings": {
            "post": { "summary": "记录一次组织生活（会议）", "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/MeetingInput" } } } },
                      "responses": with(json!({ "201": { "description": "会议记录，含到会人数是否过半的说明（quorum.explanation）" } })) }
        },
        "/api/v1/meetings/{id}": {
            "get": { "summary": "会议记录详情：参会与缺席人员、服务的业务目标、到会是否过半", "parameters": [id_param], "responses": with(json!({ "200": { "description": "会议记录" } })) },
            "put": { "summary": "修改会议记录（整条替换，校验同新建；org_id 可省略，不能改为其他组织；党员大会、支委会重新核对到会是否过半）。修改内容写入审计日志", "parameters": [id_param],
                     "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/MeetingInput" } } } },
                     "responses": with(json!({ "200": { "description": "修改后的会议记录" } })) },
            "delete": { "summary": "删除会议记录（连同参会、缺席人员和服务的业务目标），不再计入组织生活检查。删除写入审计日志", "parameters": [id_param],
                        "responses": with(json!({ "204": { "description": "已删除" } })) }
        },
        "/api/v1/orgs/{id}/meetings": {
            "get": { "summary": "组织（含其党小组）某年度的会议记录", "parameters": [id_param, year_param, { "name": "kind", "in": "query", "schema": { "type": "string", "enum": kinds } }, { "name": "page", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": 100000 } }],
                     "responses": with(json!({ "200": { "description": "一页会议记录（新的在前，每页 100 条），附 total、page、per_page、pages；参数值不合规时 400 并指明参数" } })) }
        },
        "/api/v1/orgs/{id}/compliance": {
            "get": { "summary": "党支部某年度组织生活检查：每项规定每个时段是否完成、截止日期、依据条款", "parameters": [id_param, year_param],
                     "responses": with(json!({ "200": { "description": "检查报告；党委、党总支返回 applicable=false 和所属党支部列表" } })) }
        }
    });
    if let (Some(p), Some(new)) = (
        doc.get_mut("paths").and_then(Value::as_object_mut),
        paths.as_object(),
    ) {
        p.extend(new.clone());
    }
}

/// The error answers every operation may give, each a JSON `Error`.
pub(super) fn errors() -> Value {
    let error = json!({ "$ref": "#/components/schemas/Error" });
    json!({
        "400": { "description": "请求体或查询参数有误（说明中指明参数）", "content": { "application/json": { "schema": error } } },
        "401": { "description": "未登录", "content": { "application/json": { "schema": error } } },
        "403": { "description": "无权限", "content": { "application/json": { "schema": error } } },
        "404": { "description": "不存在或不在权限范围内", "content": { "application/json": { "schema": error } } },
        "413": { "description": "请求体超过 4 MB", "content": { "application/json": { "schema": error } } },
        "415": { "description": "请求体不是 JSON（Content-Type 应为 application/json）", "content": { "application/json": { "schema": error } } },
        "422": { "description": "字段校验失败，fields 列出每个字段的说明", "content": { "application/json": { "schema": error } } }
    })
}
