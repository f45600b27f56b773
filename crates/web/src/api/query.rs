//! Query parameters of the JSON API, checked before use: a value that is not what the
//! parameter takes (`status=bogus`, `page=-1`, `org=null`, `year=`) is answered 400 naming the
//! parameter, never silently dropped (which would answer with everything). Unknown parameters
//! are refused the same way, so a misspelt filter does not pass unnoticed.

use crate::error::ApiError;

/// What one parameter accepts.
pub enum Param {
    /// A whole number in [min, max].
    Int(i64, i64),
    /// One of these codes.
    OneOf(&'static [&'static str]),
    /// Any text up to this many characters.
    Text(usize),
}

/// The meeting-list page size, and the most a client may ask for.
pub const PER_PAGE: i64 = 100;
pub const YEAR: Param = Param::Int(2000, 2100);
pub const PAGE: Param = Param::Int(1, 100_000);
pub const ID: Param = Param::Int(1, i64::MAX);

/// Checks `query` (the raw query string) against `spec`.
pub fn check(query: Option<&str>, spec: &[(&str, Param)]) -> Result<(), ApiError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query.unwrap_or(""))
        .map_err(|_| ApiError::BadRequest("查询参数格式有误".into()))?;
    for (name, value) in &pairs {
        let Some((_, param)) = spec.iter().find(|(n, _)| n == name) else {
            let known: Vec<&str> = spec.iter().map(|(n, _)| *n).collect();
            return Err(ApiError::BadRequest(if known.is_empty() {
                format!("不支持查询参数 {name}")
            } else {
                format!("不支持查询参数 {name}（可用：{}）", known.join("、"))
            }));
        };
        let v = value.trim();
        let bad = |what: String| Err(ApiError::BadRequest(format!("参数 {name} {what}")));
        if v.is_empty() {
            return bad("不能为空；不需要时请省略该参数".into());
        }
        match param {
            Param::Int(min, max) => match v.parse::<i64>() {
                Ok(n) if (*min..=*max).contains(&n) => {}
                Ok(_) if *max == i64::MAX => return bad(format!("应为不小于 {min} 的整数")),
                Ok(_) => return bad(format!("应在 {min} 到 {max} 之间")),
                Err(_) => return bad(format!("应为整数，收到“{v}”")),
            },
            Param::OneOf(codes) => {
                if !codes.contains(&v) {
                    return bad(format!("应为 {} 之一，收到“{v}”", codes.join("、")));
                }
            }
            Param::Text(max) => {
                if v.chars().count() > *max {
                    return bad(format!("不能超过 {max} 个字"));
                }
            }
        }
    }
    Ok(())
}

/// The page asked for (1 when absent), after [`check`].
pub fn page_of(query: Option<&str>) -> i64 {
    serde_urlencoded::from_str::<Vec<(String, String)>>(query.unwrap_or(""))
        .ok()
        .and_then(|p| p.into_iter().find(|(k, _)| k == "page"))
        .and_then(|(_, v)| v.trim().parse().ok())
        .unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(r: Result<(), ApiError>) -> String {
        match r {
            Err(ApiError::BadRequest(m)) => m,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn bad_values_name_their_parameter() {
        let spec = [
            ("status", Param::OneOf(&["full", "probationary"])),
            ("page", PAGE),
            ("org", ID),
            ("year", YEAR),
        ];
        assert!(check(Some("status=full&page=2&org=4&year=2026"), &spec).is_ok());
        assert!(check(None, &spec).is_ok());
        assert!(msg(check(Some("status=bogus"), &spec))
            .starts_with("参数 status 应为 full、probationary 之一"));
        assert!(msg(check(Some("page=-1"), &spec)).contains("参数 page 应在 1 到 100000 之间"));
        assert!(msg(check(Some("org=null"), &spec)).contains("参数 org 应为整数"));
        assert!(msg(check(Some("year="), &spec)).contains("参数 year 不能为空"));
        assert!(msg(check(Some("yaer=2026"), &spec)).contains("不支持查询参数 yaer"));
        assert_eq!(page_of(Some("page=3")), 3);
        assert_eq!(page_of(None), 1);
    }
}
