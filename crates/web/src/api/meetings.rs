//! Meetings (组织生活) and compliance in the JSON API, through the same store calls and core
//! rules as the pages.

use super::deny_unless;
use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::pages::compliance_view::{compliance_report, parse_year};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{Path, Query, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::Datelike;
use ronghe_core::access::Permission;
use ronghe_core::meeting::{AbsenteeForm, MeetingForm, MeetingKind};
use ronghe_core::org::OrgKind;
use ronghe_core::text::{parse_date, FieldErrors};
use ronghe_core::Date;
use ronghe_store::{meeting_kinds_for, MeetingDetail, Org, StoreError};
use serde::Deserialize;
use serde_json::{json, Map, Value};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/meetings", post(create))
        .route(
            "/api/v1/meetings/{id}",
            get(show).put(update).delete(remove),
        )
        .route("/api/v1/orgs/{id}/meetings", get(list))
        .route("/api/v1/orgs/{id}/compliance", get(compliance))
}

// ---------------------------------------------------------------------------------------------
// Strict input: the shape of a meeting has lists and objects, which `strict_json` (flat
// string fields only) does not cover. Unknown fields and wrong shapes are named, with 422.

/// A string field: strings and numbers as their text; null as empty.
pub(super) fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Null => Some(String::new()),
        _ => None,
    }
}

/// An id: an integer, or a string (checked by core's validation like a form field).
pub(super) fn id_text(v: &Value) -> Option<String> {
    match v {
        Value::Number(n) if n.is_i64() => Some(n.to_string()),
        Value::String(s) => Some(s.clone()),
        _ => None,
    }
}

pub(super) fn id_list(key: &str, v: &Value, e: &mut FieldErrors) -> Vec<String> {
    match v {
        Value::Null => Vec::new(),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .filter_map(|(i, it)| {
                let id = id_text(it);
                if id.is_none() {
                    e.add(&format!("{key}[{i}]"), "应为编号（整数）");
                }
                id
            })
            .collect(),
        _ => {
            e.add(key, "应为编号的数组，如 [12, 15]");
            Vec::new()
        }
    }
}

fn absentee(i: usize, v: &Value, e: &mut FieldErrors) -> Option<AbsenteeForm> {
    let Value::Object(o) = v else {
        e.add(
            &format!("absentees[{i}]"),
            "应为对象，如 {\"member_id\": 12, \"reason\": \"出差\"}",
        );
        return None;
    };
    let mut row = AbsenteeForm::default();
    for (k, v) in o {
        let field = format!("absentees[{i}].{k}");
        match k.as_str() {
            "member_id" => match id_text(v) {
                Some(id) => row.member_id = id,
                None => e.add(&field, "应为党员编号（整数）"),
            },
            "reason" => match text(v) {
                Some(r) => row.reason = r,
                None => e.add(&field, "应为字符串"),
            },
            _ => e.add(&field, "未知字段"),
        }
    }
    Some(row)
}

/// Parses the body of `POST /api/v1/meetings`.
pub(crate) fn meeting_json(body: &[u8]) -> Result<MeetingForm, ApiError> {
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
    let mut f = MeetingForm::default();
    let mut e = FieldErrors::new();
    for (k, v) in &map {
        let slot = match k.as_str() {
            "org_id" => &mut f.org_id,
            "kind" => &mut f.kind,
            "date" => &mut f.date,
            "topic" => &mut f.topic,
            "content" => &mut f.content,
            "decisions" => &mut f.decisions,
            "starts_at" => &mut f.starts_at,
            "place" => &mut f.place,
            "guests" => &mut f.guests,
            "chair_member_id" | "recorder_member_id" => {
                let slot = if k == "chair_member_id" {
                    &mut f.chair_member_id
                } else {
                    &mut f.recorder_member_id
                };
                match v {
                    Value::Null => {}
                    v => match id_text(v) {
                        Some(id) => *slot = id,
                        None => e.add(k, "应为党员编号（整数）"),
                    },
                }
                continue;
            }
            "items" => {
                f.items = id_list(k, v, &mut e);
                continue;
            }
            "attendees" => {
                f.attendees = id_list(k, v, &mut e);
                continue;
            }
            "goals" => {
                f.goals = id_list(k, v, &mut e);
                continue;
            }
            "absentees" => {
                match v {
                    Value::Null => {}
                    Value::Array(items) => {
                        f.absentees = items
                            .iter()
                            .enumerate()
                            .filter_map(|(i, it)| absentee(i, it, &mut e))
                            .collect();
                    }
                    _ => e.add(
                        k,
                        "应为数组，如 [{\"member_id\": 12, \"reason\": \"出差\"}]",
                    ),
                }
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
    Ok(f)
}

// ---------------------------------------------------------------------------------------------
// Handlers.

fn field(name: &str, message: &str) -> ApiError {
    let mut e = FieldErrors::new();
    e.add(name, message);
    ApiError::Invalid(e)
}

/// The form checked by core against the organization's roster and the goals and Party work
/// items of the plans it serves in the meeting's year.
async fn checked(
    state: &AppState,
    scope: &ronghe_core::scope::Scope,
    org: &ronghe_store::Org,
    form: &MeetingForm,
    roster: &[ronghe_store::MemberRow],
) -> Result<ronghe_core::meeting::MeetingInput, ApiError> {
    let today = ronghe_store::today();
    let year = parse_date("会议日期", &form.date).map_or(today.year(), |d| d.year());
    let roster: Vec<i64> = roster.iter().map(|m| m.id).collect();
    let goals: Vec<i64> = state
        .store
        .goals_for_org(scope, org.id, year)
        .await?
        .iter()
        .map(|g| g.id)
        .collect();
    let items: Vec<i64> = state
        .store
        .items_for_org(scope, org.id, year)
        .await?
        .iter()
        .map(|i| i.id)
        .collect();
    form.validate_in(
        today,
        &ronghe_core::meeting::MeetingChoices {
            roster: &roster,
            goals: &goals,
            items: &items,
        },
    )
    .map_err(ApiError::Invalid)
}

async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    body: Bytes,
) -> Result<Response, ApiError> {
    let scope = user.scope(Permission::EditMembers);
    if scope.is_empty() {
        return Err(ApiError::Forbidden);
    }
    let form = meeting_json(&body)?;
    let org_id = form
        .org_id
        .trim()
        .parse::<i64>()
        .map_err(|_| field("org_id", "请填写党组织编号（整数）"))?;
    let org = state
        .store
        .org_get(&scope, org_id)
        .await
        .ok()
        .filter(|o| scope.sees_members_of(&o.path))
        .ok_or_else(|| field("org_id", "所选党组织不存在或不在您的管理范围内"))?;
    if meeting_kinds_for(org.kind()).is_empty() {
        return Err(field(
            "org_id",
            "党委的组织生活按所属党支部分别记录，请填写党支部的编号",
        ));
    }
    let roster = state.store.meeting_roster(&scope, &org).await?;
    let input = checked(&state, &scope, &org, &form, &roster).await?;
    let entitled = state.store.meeting_entitled(&org, input.kind).await?;
    let id = state
        .store
        .meeting_create(&user.actor(), &scope, &input, entitled)
        .await?;
    let m = state
        .store
        .meeting_get(&user.scope(Permission::ViewMembers), id)
        .await?;
    Ok((StatusCode::CREATED, Json(m)).into_response())
}

/// A record the user may read, or 404 (audited when it exists: a denied access).
async fn readable(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
) -> Result<MeetingDetail, ApiError> {
    match state
        .store
        .meeting_get(&user.scope(Permission::ViewMembers), id)
        .await
    {
        Ok(m) => Ok(m),
        Err(StoreError::NotFound) => {
            if state.store.meeting_exists(id).await.unwrap_or(false) {
                state
                    .store
                    .audit_event(
                        &user.actor(),
                        "denied",
                        &format!("meeting:{id}"),
                        "denied",
                        "访问权限范围以外的数据",
                    )
                    .await;
            }
            Err(ApiError::NotFound)
        }
        Err(e) => Err(e.into()),
    }
}

/// A record the user may change (those who may record meetings of its organization) and its
/// organization: 404 if they cannot read it, 403 (audited) if they read but may not change it.
async fn writable(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
) -> Result<(MeetingDetail, Org), ApiError> {
    let m = readable(state, user, id).await?;
    let write = user.scope(Permission::EditMembers);
    if !write.sees_members_of(&m.org_path) {
        state
            .store
            .audit_event(
                &user.actor(),
                "denied",
                &format!("meeting:{id}"),
                "denied",
                "无权修改或删除该组织的会议记录",
            )
            .await;
        return Err(ApiError::Forbidden);
    }
    let org = state.store.org_get(&write, m.org_id).await?;
    Ok((m, org))
}

async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<MeetingDetail>, ApiError> {
    Ok(Json(readable(&state, &user, id).await?))
}

/// `PUT /api/v1/meetings/{id}`: the whole record again, in the shape of `POST`. `org_id` may be
/// left out; if given it must be the record's own (a record does not move).
async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Json<MeetingDetail>, ApiError> {
    let (_, org) = writable(&state, &user, id).await?;
    let mut form = meeting_json(&body)?;
    match form.org_id.trim() {
        "" => form.org_id = org.id.to_string(),
        s if s.parse::<i64>().ok() == Some(org.id) => {}
        _ => {
            return Err(field(
                "org_id",
                "会议所属的党组织不能修改；如记错了组织，请删除本记录后在正确的组织下重新记录",
            ))
        }
    }
    let scope = user.scope(Permission::EditMembers);
    let roster = state.store.meeting_edit_roster(&scope, &org, id).await?;
    let input = checked(&state, &scope, &org, &form, &roster).await?;
    state
        .store
        .meeting_update(&user.actor(), &scope, id, &input)
        .await?;
    Ok(Json(readable(&state, &user, id).await?))
}

/// `DELETE /api/v1/meetings/{id}`: 204; the record no longer counts for compliance.
async fn remove(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    writable(&state, &user, id).await?;
    state
        .store
        .meeting_delete(&user.actor(), &user.scope(Permission::EditMembers), id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct YearQuery {
    year: Option<String>,
    kind: Option<String>,
}

fn year_of(q: &YearQuery, today: Date) -> Result<i32, ApiError> {
    match q.year.as_deref().map(str::trim).filter(|y| !y.is_empty()) {
        None => Ok(today.year()),
        Some(y) => parse_year(y)
            .ok_or_else(|| ApiError::BadRequest("year 应为 2000 到 2100 之间的年份".into())),
    }
}

async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    RawQuery(raw): RawQuery,
    Query(q): Query<YearQuery>,
) -> Result<Json<Value>, ApiError> {
    use super::query::{self, Param, PAGE, PER_PAGE, YEAR};
    const KINDS: [&str; 8] = [
        "general_assembly",
        "committee_meeting",
        "group_meeting",
        "party_lecture",
        "theme_day",
        "life_meeting",
        "democratic_review",
        "heart_talk",
    ];
    query::check(
        raw.as_deref(),
        &[
            ("year", YEAR),
            ("kind", Param::OneOf(&KINDS)),
            ("page", PAGE),
        ],
    )?;
    let today = ronghe_store::today();
    let year = year_of(&q, today)?;
    let kind = q
        .kind
        .as_deref()
        .and_then(|k| MeetingKind::from_code(k.trim()));
    let from = Date::from_ymd_opt(year, 1, 1).unwrap_or(today);
    let to = Date::from_ymd_opt(year, 12, 31).unwrap_or(today);
    let page = state
        .store
        .meeting_page(
            &user.scope(Permission::ViewMembers),
            id,
            from,
            to,
            kind,
            query::page_of(raw.as_deref()) as u32,
            PER_PAGE as u32,
        )
        .await?;
    let items: Vec<Value> = page
        .items
        .iter()
        .map(|m| {
            let mut v = json!(m);
            if let Some(o) = v.as_object_mut() {
                o.insert("kind_label".into(), json!(m.kind_label()));
            }
            v
        })
        .collect();
    Ok(Json(json!({
        "org_id": id,
        "year": year,
        "items": items,
        "page": page.page,
        "per_page": page.per_page,
        "total": page.total,
        "total_capped": page.total_capped,
        "pages": page.pages(),
    })))
}

async fn compliance(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    RawQuery(raw): RawQuery,
    Query(q): Query<YearQuery>,
) -> Result<Json<Value>, ApiError> {
    super::query::check(raw.as_deref(), &[("year", super::query::YEAR)])?;
    deny_unless(&user, Permission::ViewOrgs)?;
    let scope = user.scope(Permission::ViewOrgs);
    let org = state.store.org_get(&scope, id).await?;
    let today = ronghe_store::today();
    let year = year_of(&q, today)?;
    let mut out = Map::new();
    out.insert("org_id".into(), json!(org.id));
    out.insert("org_name".into(), json!(org.name));
    out.insert("year".into(), json!(year));
    if org.kind() == OrgKind::Branch {
        let report = compliance_report(&state.store, &org, year, today).await?;
        out.insert("applicable".into(), json!(true));
        out.insert(
            "config".into(),
            json!(state.store.compliance_config().await?),
        );
        out.insert(
            "profile".into(),
            json!(state.store.org_profile(&org).await?),
        );
        out.insert("report".into(), json!(report));
    } else {
        let branches: Vec<Value> = state
            .store
            .org_children(&scope, org.id)
            .await?
            .into_iter()
            .filter(|c| c.kind() == OrgKind::Branch)
            .map(|c| json!({ "id": c.id, "name": c.name }))
            .collect();
        out.insert("applicable".into(), json!(false));
        out.insert(
            "note".into(),
            json!(format!(
                "{}的组织生活按所属党支部分别检查，请查询各党支部",
                org.kind_label()
            )),
        );
        out.insert("branches".into(), json!(branches));
    }
    Ok(Json(Value::Object(out)))
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
    fn a_full_body_parses() {
        let body = r#"{"org_id": 4, "kind": "general_assembly", "date": "2026-03-20", "topic": "t",
            "content": null, "attendees": [1, "2"], "goals": [],
            "absentees": [{"member_id": 3, "reason": "出差"}]}"#;
        let f = meeting_json(body.as_bytes()).unwrap();
        assert_eq!(f.org_id, "4");
        assert_eq!(f.attendees, vec!["1", "2"]);
        assert_eq!(f.absentees[0].member_id, "3");
        assert_eq!(f.absentees[0].reason, "出差");
        assert_eq!(f.content, "");
    }

    #[test]
    fn unknown_and_misshapen_fields_are_named() {
        let e = fields(
            meeting_json(
                br#"{"org": 4, "attendees": 5, "goals": [1.5],
                    "absentees": [{"member_id": 3, "why": "x"}, 7], "topic": ["x"]}"#,
            )
            .unwrap_err(),
        );
        for f in [
            "org",
            "attendees",
            "goals[0]",
            "absentees[0].why",
            "absentees[1]",
            "topic",
        ] {
            assert!(e.get(f).is_some(), "{f}: {e:?}");
        }
        assert!(matches!(meeting_json(b"[1]"), Err(ApiError::BadRequest(_))));
        assert!(matches!(meeting_json(b"{"), Err(ApiError::BadRequest(_))));
    }
}
