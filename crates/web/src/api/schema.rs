//! JSON Schemas of the request bodies, field by field, saying exactly what the server takes.
//!
//! Bodies read by [`crate::forms::strict_json`] accept a JSON string or number for every
//! field (the number is read as its text), `null` as "not given", and `true`/`false` only for
//! yes/no fields. Each constructor here states that, plus what the field's validation in core
//! demands: required or not, the length limit, the codes of a choice, the shape of a date.

use serde_json::{json, Map, Value};

/// A field of an object, with whether it must be present and non-empty.
pub struct Field {
    name: &'static str,
    schema: Value,
    required: bool,
}

/// Required: present, not null, not empty.
pub fn req(name: &'static str, schema: Value) -> Field {
    Field {
        name,
        schema,
        required: true,
    }
}

/// Optional: may be left out, null or empty.
pub fn opt(name: &'static str, schema: Value) -> Field {
    Field {
        name,
        schema: optional(schema),
        required: false,
    }
}

/// An object of exactly these fields.
pub fn object(description: &str, fields: &[Field]) -> Value {
    let mut props = Map::new();
    for f in fields {
        props.insert(f.name.to_string(), f.schema.clone());
    }
    let required: Vec<&str> = fields
        .iter()
        .filter(|f| f.required)
        .map(|f| f.name)
        .collect();
    json!({
        "type": "object",
        "additionalProperties": false,
        "description": description,
        "properties": props,
        "required": required,
    })
}

/// Text of at most `max` characters (a number is taken as its text).
pub fn text(max: usize, description: &str) -> Value {
    json!({ "type": ["string", "number"], "minLength": 1, "maxLength": max, "description": description })
}

/// A code checked by its own rule (an ID number, a phone number), as text or a number.
pub fn code_text(description: &str) -> Value {
    json!({ "type": ["string", "number"], "minLength": 1, "description": description })
}

/// One of `codes`.
pub fn choice(codes: &[&str], description: &str) -> Value {
    json!({ "enum": codes, "description": description })
}

/// A date: "2026-03-01", also "2026/3/1" or "2026年3月1日".
pub fn date(description: &str) -> Value {
    json!({
        "type": "string",
        "pattern": "^\\s*[0-9]{4}[-/.年][0-9]{1,2}[-/.月][0-9]{1,2}日?\\s*$",
        "description": format!("{description}（YYYY-MM-DD，也接受 2026/3/1、2026年3月1日）"),
        "examples": ["2026-03-01"],
    })
}

/// A month: "2026-03" (also "2026-3", "2026/3", "2026.3").
pub fn month(description: &str) -> Value {
    json!({
        "type": "string",
        "pattern": "^\\s*[0-9]{4}[-/.][0-9]{1,2}\\s*$",
        "description": format!("{description}（YYYY-MM）"),
        "examples": ["2026-03"],
    })
}

/// A number, as a JSON number or as text ("92.5", "1,200", "96%" where a unit is allowed).
pub fn number(description: &str) -> Value {
    json!({ "type": ["number", "string"], "minLength": 1, "description": description })
}

/// A whole number between `min` and `max`, as a JSON number or as its text.
pub fn integer(min: i64, max: i64, description: &str) -> Value {
    json!({ "type": ["integer", "string"], "minimum": min, "maximum": max, "minLength": 1, "description": description })
}

/// The id of a record, as a JSON number or as its text.
pub fn id(description: &str) -> Value {
    json!({ "type": ["integer", "string"], "format": "int64", "minimum": 1, "minLength": 1, "description": description })
}

/// Yes or no: true/false, or "1", "on", "true", "yes" for yes; anything else is no.
pub fn flag(description: &str) -> Value {
    json!({ "type": ["boolean", "string", "number"], "description": description })
}

/// The same field, also taking `null` and, for text and choices, "" for "not given".
fn optional(mut schema: Value) -> Value {
    if let Some(o) = schema.as_object_mut() {
        o.remove("minLength");
        if let Some(Value::Array(codes)) = o.get_mut("enum") {
            codes.push(json!(""));
            codes.push(Value::Null);
        }
        match o.get_mut("type") {
            Some(Value::Array(types)) => {
                if !types.contains(&json!("string")) {
                    types.push(json!("string"));
                }
                types.push(json!("null"));
            }
            Some(Value::String(t)) => {
                let t = t.clone();
                o.insert("type".into(), json!([t, "null"]));
            }
            _ => {}
        }
        // An empty text stands for "not given": a pattern must let it through.
        if let Some(Value::String(p)) = o.get("pattern").cloned() {
            o.insert("pattern".into(), json!(format!("^\\s*$|{p}")));
        }
    }
    schema
}

/// The codes of a list of enum values.
pub fn codes<T: Copy>(all: &[T], code: fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|x| code(*x)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn optional_fields_take_null_and_empty() {
        let o = object(
            "x",
            &[
                req("title", text(10, "名称")),
                opt("kind", choice(&["a", "b"], "类别")),
                opt("on", date("日期")),
            ],
        );
        assert_eq!(o["required"], json!(["title"]));
        assert_eq!(o["properties"]["kind"]["enum"], json!(["a", "b", "", null]));
        assert_eq!(o["properties"]["title"]["minLength"], json!(1));
        let on = &o["properties"]["on"];
        assert_eq!(on["type"], json!(["string", "null"]));
        assert!(on["pattern"].as_str().unwrap().starts_with("^\\s*$|"));
    }
}
