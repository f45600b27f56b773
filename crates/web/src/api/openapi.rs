//! The OpenAPI 3.1 document of /api/v1, for client authors and schemathesis.

use axum::Json;
use serde_json::{json, Value};

fn string_props(fields: &[&str]) -> Value {
    let mut m = serde_json::Map::new();
    for f in fields {
        m.insert((*f).to_string(), json!({ "type": ["string", "integer"] }));
    }
    Value::Object(m)
}

pub async fn document() -> Json<Value> {
    let member_fields = [
        "org_id",
        "name",
        "gender",
        "birth_date",
        "id_number",
        "phone",
        "status",
        "joined_on",
        "full_on",
        "department",
        "post",
        "party_duty",
    ];
    let org_fields = [
        "parent_id",
        "kind",
        "name",
        "unit_name",
        "unit_kind",
        "founded_on",
        "term_start",
        "term_years",
    ];
    let error = json!({ "$ref": "#/components/schemas/Error" });
    let errors = json!({
        "400": { "description": "请求体格式错误", "content": { "application/json": { "schema": error } } },
        "401": { "description": "未登录", "content": { "application/json": { "schema": error } } },
        "403": { "description": "无权限", "content": { "application/json": { "schema": error } } },
        "404": { "description": "不存在或不在权限范围内", "content": { "application/json": { "schema": error } } },
        "422": { "description": "字段校验失败，fields 列出每个字段的说明", "content": { "application/json": { "schema": error } } }
    });
    let with = |ok: Value| {
        let mut r = errors.clone();
        r.as_object_mut()
            .expect("object")
            .extend(ok.as_object().expect("object").clone());
        r
    };
    let id_param = json!([{ "name": "id", "in": "path", "required": true, "schema": { "type": "integer", "format": "int64" } }]);
    let body = |schema: &str| json!({ "required": true, "content": { "application/json": { "schema": { "$ref": format!("#/components/schemas/{schema}") } } } });
    Json(json!({
        "openapi": "3.1.0",
        "info": { "title": "融合 ronghe API", "version": "1", "description": "党建与业务一体化平台接口。先 POST /api/v1/session 取得 token，之后以 Authorization: Bearer <token> 调用。所有数据按账号的组织范围过滤，范围以外的对象返回 404。" },
        "components": {
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer" } },
            "schemas": {
                "Error": { "type": "object", "properties": { "error": { "type": "string" }, "fields": { "type": "array", "items": { "type": "object", "properties": { "field": { "type": "string" }, "message": { "type": "string" } } } } } },
                "MemberInput": { "type": "object", "additionalProperties": false, "properties": string_props(&member_fields), "required": ["org_id", "name", "id_number", "status"] },
                "OrgInput": { "type": "object", "additionalProperties": false, "properties": string_props(&org_fields), "required": ["kind", "name", "unit_name", "unit_kind"] },
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
                    { "name": "org", "in": "query", "schema": { "type": "integer" } },
                    { "name": "status", "in": "query", "schema": { "type": "string", "enum": ["applicant", "activist", "candidate", "probationary", "full"] } },
                    { "name": "q", "in": "query", "schema": { "type": "string" } },
                    { "name": "active", "in": "query", "schema": { "type": "string", "enum": ["1", "0", "all"] } },
                    { "name": "page", "in": "query", "schema": { "type": "integer", "minimum": 1 } }
                ], "responses": with(json!({ "200": { "description": "一页党员" } })) },
                "post": { "summary": "登记党员", "requestBody": body("MemberInput"), "responses": with(json!({ "201": { "description": "新登记的党员（脱敏）" } })) }
            },
            "/api/v1/members/{id}": {
                "get": { "summary": "党员详情（脱敏）", "parameters": id_param, "responses": with(json!({ "200": { "description": "党员" } })) },
                "put": { "summary": "修改党员信息", "parameters": id_param, "requestBody": body("MemberInput"), "responses": with(json!({ "200": { "description": "党员" } })) }
            }
        }
    }))
}
