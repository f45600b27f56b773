//! Strict JSON input for the API: unknown fields and wrong shapes are refused with the name
//! of the field, instead of being silently ignored.

use crate::error::ApiError;
use ronghe_core::text::FieldErrors;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

/// The yes/no fields, the only ones that take `true` or `false`.
const FLAG_FIELDS: &[&str] = &["is_key", "rights_suspended", "done"];

/// Parses `body` into a form of string fields `T`. Numbers are accepted for string fields (as
/// their text), booleans for the yes/no fields; null means empty.
pub fn strict_json<T: DeserializeOwned + Serialize + Default>(body: &[u8]) -> Result<T, ApiError> {
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
    let known = match serde_json::to_value(T::default()) {
        Ok(Value::Object(k)) => k,
        _ => serde_json::Map::new(),
    };
    let mut errors = FieldErrors::new();
    let mut clean = serde_json::Map::new();
    for (k, v) in map {
        if !known.contains_key(&k) {
            errors.add(&k, "未知字段");
            continue;
        }
        let text = match v {
            Value::String(s) => s,
            Value::Number(n) => n.to_string(),
            Value::Bool(b) if FLAG_FIELDS.contains(&k.as_str()) => b.to_string(),
            Value::Null => String::new(),
            _ => {
                errors.add(&k, "应为字符串或数字");
                continue;
            }
        };
        clean.insert(k, Value::String(text));
    }
    if !errors.is_empty() {
        return Err(ApiError::Invalid(errors));
    }
    serde_json::from_value(Value::Object(clean)).map_err(|e| ApiError::BadRequest(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ronghe_core::forms::MemberForm;

    #[test]
    fn unknown_and_wrong_shaped_fields_are_named() {
        let err =
            strict_json::<MemberForm>(br#"{"name": "x", "salary": 1, "org_id": [1]}"#).unwrap_err();
        let ApiError::Invalid(f) = err else {
            panic!("{err:?}")
        };
        assert!(f.get("salary").is_some() && f.get("org_id").is_some());
        let ok = strict_json::<MemberForm>(br#"{"name": "x", "org_id": 7}"#).unwrap();
        assert_eq!(ok.org_id, "7");
        assert!(matches!(
            strict_json::<MemberForm>(b"[1"),
            Err(ApiError::BadRequest(_))
        ));
    }
}
