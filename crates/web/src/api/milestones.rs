//! Tasks' co-assignees and milestones in the JSON API: the strict body of deploying and
//! correcting a task (lists and objects, which `strict_json` does not cover), a task as the API
//! shows it, and marking a milestone done.

use super::meetings::{id_list, text};
use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::forms::strict_json;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::routing::post;
use axum::{Json, Router};
use ronghe_core::access::Permission;
use ronghe_core::plan::forms::TaskForm;
use ronghe_core::plan::milestone::format_milestones;
use ronghe_core::text::{parse_date, FieldErrors};
use ronghe_core::Date;
use ronghe_store::{Scope, Store, StoreError};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

pub fn router() -> Router<AppState> {
    Router::new().route(
        "/api/v1/tasks/{id}/milestones/{mid}/done",
        post(milestone_done),
    )
}

/// A task body, and whether it named the co-assignees and the milestones (a `PUT` without
/// them keeps those the task has).
pub(super) struct TaskBody {
    pub form: TaskForm,
    pub has_assignees: bool,
    pub has_milestones: bool,
}

/// `milestones` as an array of `{"title", "due_on"}` (or of "日期 名称" strings), or as the
/// text of the page ("one per line"); `null` for none. Array items become lines, so an error
/// "第 N 行" names the N-th item.
fn milestone_lines(v: &Value, e: &mut FieldErrors) -> String {
    let Value::Array(items) = v else {
        return match text(v) {
            Some(t) => t,
            None => {
                e.add(
                    "milestones",
                    "应为数组，如 [{\"title\": \"完成方案\", \"due_on\": \"2026-03-31\"}]",
                );
                String::new()
            }
        };
    };
    let mut lines = Vec::new();
    for (i, it) in items.iter().enumerate() {
        let (mut title, mut due_on) = (String::new(), String::new());
        match it {
            Value::String(s) if !s.contains(['\n', '\r']) => {
                lines.push(s.trim().to_string());
                continue;
            }
            Value::Object(o) => {
                for (k, v) in o {
                    let field = format!("milestones[{i}].{k}");
                    let slot = match k.as_str() {
                        "title" => &mut title,
                        "due_on" => &mut due_on,
                        _ => {
                            e.add(&field, "未知字段");
                            continue;
                        }
                    };
                    match text(v) {
                        Some(t) if !t.contains(['\n', '\r']) => *slot = t,
                        Some(_) => e.add(&field, "不能包含换行"),
                        None => e.add(&field, "应为字符串"),
                    }
                }
            }
            _ => e.add(
                &format!("milestones[{i}]"),
                "应为对象，如 {\"title\": \"完成方案\", \"due_on\": \"2026-03-31\"}",
            ),
        }
        lines.push(format!("{} {}", due_on.trim(), title.trim()));
    }
    lines.join("\n")
}

/// Parses the body of `POST /api/v1/plans/{id}/tasks` and `PUT /api/v1/tasks/{id}`: unknown
/// fields and wrong shapes are named, with 422.
pub(super) fn task_json(body: &[u8]) -> Result<TaskBody, ApiError> {
    let value: Value = serde_json::from_slice(body).map_err(|e| {
        ApiError::BadRequest(format!(
            "请求体不是有效的 JSON：第 {} 行第 {} 列",
            e.line(),
            e.column()
        ))
    })?;
    let Value::Object(map) = value else {
        return Err(ApiError::BadRequest("请求体应为 JSON 对象".into()));
    };
    let mut b = TaskBody {
        form: TaskForm::default(),
        has_assignees: false,
        has_milestones: false,
    };
    let mut e = FieldErrors::new();
    for (k, v) in &map {
        let f = &mut b.form;
        let slot = match k.as_str() {
            "title" => &mut f.title,
            "item_id" => &mut f.item_id,
            "goal_id" => &mut f.goal_id,
            "assignee_member_id" => &mut f.assignee_member_id,
            "business_owner" => &mut f.business_owner,
            "deadline" => &mut f.deadline,
            "assignee_ids" => {
                f.assignee_ids = id_list(k, v, &mut e);
                b.has_assignees = true;
                continue;
            }
            "milestones" => {
                f.milestones = milestone_lines(v, &mut e);
                b.has_milestones = true;
                continue;
            }
            _ => {
                e.add(k, "未知字段");
                continue;
            }
        };
        match text(v) {
            Some(t) => *slot = t,
            None => e.add(k, "应为字符串或数字"),
        }
    }
    if !e.is_empty() {
        return Err(ApiError::Invalid(e));
    }
    Ok(b)
}

impl TaskBody {
    /// For a `PUT`: the co-assignees and milestones the task has, where the body left them out.
    pub async fn keep_missing(&mut self, store: &Store, task_id: i64) -> Result<(), ApiError> {
        if !self.has_assignees {
            self.form.assignee_ids = store
                .task_assignees(task_id)
                .await?
                .iter()
                .map(|a| a.member_id.to_string())
                .collect();
        }
        if !self.has_milestones {
            let ms = store.task_milestones(task_id).await?;
            self.form.milestones =
                format_milestones(ms.iter().map(|m| (m.due_on.as_str(), m.title.as_str())));
        }
        Ok(())
    }
}

/// A task as the API shows it: the row, its co-assignees, its milestones (with whether each is
/// overdue) and its progress with the explanation.
pub(super) async fn task_view(store: &Store, view: &Scope, id: i64) -> Result<Value, ApiError> {
    let (task, plan) = store.task_get(view, id).await?;
    let today = ronghe_store::today();
    let milestones = store.task_milestones(id).await?;
    let done = milestones.iter().filter(|m| m.is_done()).count();
    let progress = task.progress(done, milestones.len());
    let ms: Vec<Value> = milestones
        .iter()
        .map(|m| {
            let mut v = json!(m);
            v["overdue"] = json!(m.is_overdue(task.status(), today));
            v
        })
        .collect();
    Ok(json!({
        "task": task,
        "plan_id": plan.id,
        "overdue": task.is_overdue(today),
        "assignees": store.task_assignees(id).await?,
        "milestones": ms,
        "progress": { "value": progress.value, "percent": progress.percent(), "from_milestones": progress.from_milestones, "explanation": progress.explanation },
    }))
}

#[derive(Deserialize, Serialize, Default)]
#[serde(default)]
struct DoneBody {
    done: String,
    done_on: String,
}

/// `POST /api/v1/tasks/{id}/milestones/{mid}/done`: marks a milestone done (today, or on
/// `done_on`), or open again with `{"done": false}`. For those who may report on the task.
async fn milestone_done(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, mid)): Path<(i64, i64)>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let b: DoneBody = if body.iter().all(u8::is_ascii_whitespace) {
        DoneBody::default()
    } else {
        strict_json(&body)?
    };
    let field = |name: &str, m: String| {
        let mut e = FieldErrors::new();
        e.add(name, m);
        ApiError::Invalid(e)
    };
    let done = match b.done.trim() {
        "" | "true" | "1" => true,
        "false" | "0" => false,
        _ => return Err(field("done", "应为 true 或 false".into())),
    };
    let done_on: Option<Date> = match (done, b.done_on.trim()) {
        (false, "") => None,
        (false, _) => return Err(field("done_on", "撤销完成时不填完成日期".into())),
        (true, "") => Some(ronghe_store::today()),
        (true, d) => Some(parse_date("完成日期", d).map_err(|m| field("done_on", m))?),
    };
    let view = user.scope(Permission::ViewOrgs);
    match state
        .store
        .milestone_set_done(
            &user.actor(),
            &user.scope(Permission::EditPlans),
            &view,
            user.account().member_id,
            id,
            mid,
            done_on,
        )
        .await
    {
        Ok(_) => {}
        Err(StoreError::Forbidden) => {
            state
                .store
                .audit_event(
                    &user.actor(),
                    "denied",
                    &format!("task:{id}"),
                    "denied",
                    "无权标记该任务的里程碑",
                )
                .await;
            return Err(ApiError::Forbidden);
        }
        Err(e) => return Err(e.into()),
    }
    Ok(Json(task_view(&state.store, &view, id).await?))
}

/// The task body's schema and the milestone endpoint, for the OpenAPI document.
pub fn openapi_task_schema() -> Value {
    let id = json!({ "type": ["integer", "string"] });
    json!({
        "type": "object",
        "additionalProperties": false,
        "description": "一项任务。应来自一项党建工作（item_id）或服务一个业务目标（goal_id）；牵头人和承办人须为计划所属组织（含下级组织）的在册党员；截止日期和里程碑日期须在计划年度内，里程碑不晚于截止日期，最多 12 个，名称不重复。修改（PUT）时省略 assignee_ids 或 milestones 则保留原有的；名称不变的里程碑保留完成记录。",
        "properties": {
            "title": { "type": "string", "maxLength": 100 },
            "item_id": id,
            "goal_id": id,
            "assignee_member_id": { "type": ["integer", "string", "null"], "description": "牵头人（党员编号）" },
            "assignee_ids": { "type": "array", "items": id, "maxItems": 30, "description": "承办人（党员编号），不含牵头人" },
            "business_owner": { "type": ["string", "null"], "maxLength": 30, "description": "业务协同负责人" },
            "deadline": { "type": "string", "description": "截止日期 YYYY-MM-DD" },
            "milestones": {
                "description": "里程碑：对象数组，或每行一个“日期 名称”的文本。出错时“第 N 行”指第 N 项",
                "oneOf": [
                    { "type": "array", "maxItems": 12, "items": { "type": "object", "additionalProperties": false, "properties": { "title": { "type": "string", "maxLength": 100 }, "due_on": { "type": "string", "description": "YYYY-MM-DD" } }, "required": ["title", "due_on"] } },
                    { "type": ["string", "null"] }
                ]
            }
        },
        "required": ["title", "deadline"]
    })
}

pub fn openapi_paths(id: &Value, ok: &Value) -> Value {
    let mut params = id.clone();
    if let Some(a) = params.as_array_mut() {
        a.push(json!({ "name": "mid", "in": "path", "required": true, "schema": { "type": "integer", "format": "int64" } }));
    }
    json!({
        "/api/v1/tasks/{id}/milestones/{mid}/done": { "post": {
            "summary": "标记里程碑完成（默认今天，可用 done_on 补记实际完成日期，不晚于今天），或以 {\"done\": false} 撤销完成。任务的牵头人、承办人和计划编辑者可操作；写入计划修改记录和审计日志。未报告进度的任务，进度按已完成的里程碑计算",
            "parameters": params,
            "requestBody": { "required": false, "content": { "application/json": { "schema": { "type": "object", "additionalProperties": false, "properties": { "done": { "enum": [true, false, "true", "false", "1", "0", 1, 0, "", null], "description": "false 为撤销完成；省略或为 null 时为标记完成" }, "done_on": { "type": ["string", "null"], "description": "实际完成日期 YYYY-MM-DD，不晚于今天；省略为今天" } } } } } },
            "responses": ok
        } }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(err: ApiError) -> FieldErrors {
        match err {
            ApiError::Invalid(f) => f,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_task_body_with_lists_parses() {
        let b = task_json(
            r#"{"title": "建标", "goal_id": 3, "deadline": "2026-09-30", "assignee_ids": [4, "5"],
                 "milestones": [{"title": "到货", "due_on": "2026-06-30"}, "2026-08-31 评定"]}"#
                .as_bytes(),
        )
        .unwrap();
        assert!(b.has_assignees && b.has_milestones);
        assert_eq!(b.form.assignee_ids, vec!["4", "5"]);
        assert_eq!(b.form.milestones, "2026-06-30 到货\n2026-08-31 评定");
        let b = task_json(r#"{"title": "x", "milestones": "2026-03-31 方案"}"#.as_bytes()).unwrap();
        assert_eq!(b.form.milestones, "2026-03-31 方案");
        assert!(!b.has_assignees);
    }

    #[test]
    fn unknown_and_misshapen_fields_are_named() {
        let e = fields(
            task_json(
                br#"{"title": "x", "priority": 1, "assignee_ids": 5,
                     "milestones": [{"title": "a", "due": "2026-01-01"}, 7]}"#,
            )
            .err()
            .unwrap(),
        );
        for f in [
            "priority",
            "assignee_ids",
            "milestones[0].due",
            "milestones[1]",
        ] {
            assert!(e.get(f).is_some(), "{f}: {e:?}");
        }
    }
}
