//! Field validation helpers shared by HTML forms and the JSON API, so both report the same
//! Chinese messages for the same input.

use crate::Date;
use serde::Serialize;

/// A validation error for one field: `field` is the form/JSON field name, `message` Chinese.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// Collects field errors so a form can show all of them at once.
#[derive(Debug, Default, Clone, Serialize)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.to_string(),
            message: message.into(),
        });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// First message recorded for `field`.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }

    /// Records the error of `result` under `field` and returns its value if any, so a form
    /// handler can validate every field before deciding to reject.
    pub fn check<T>(&mut self, field: &str, result: Result<T, String>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(msg) => {
                self.add(field, msg);
                None
            }
        }
    }

    pub fn into_result(self) -> Result<(), FieldErrors> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(self)
        }
    }
}

impl std::fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let msgs: Vec<&str> = self.0.iter().map(|e| e.message.as_str()).collect();
        f.write_str(&msgs.join("；"))
    }
}

impl std::error::Error for FieldErrors {}

/// Trims; the value must be non-empty, at most `max_chars` characters (not bytes: one
/// Chinese character is one), and free of control characters (which break exports and logs).
/// Whether a spreadsheet would read `cell` as a formula (`=`, `+`, `-`, `@`, or a tab or
/// carriage return before one): exports write such cells as text.
pub fn looks_like_formula(cell: &str) -> bool {
    cell.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// `cell` made safe for a CSV opened in a spreadsheet: a formula-like cell gets a leading `'`.
pub fn csv_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    if looks_like_formula(cell) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

pub fn required(label: &str, value: &str, max_chars: usize) -> Result<String, String> {
    optional(label, value, max_chars)?.ok_or_else(|| format!("请填写{label}"))
}

/// Like [`required`], but an empty (or all-whitespace) value is `Ok(None)`.
pub fn optional(label: &str, value: &str, max_chars: usize) -> Result<Option<String>, String> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    if v.chars().any(char::is_control) {
        return Err(format!("{label}不能包含换行、制表符等控制字符"));
    }
    let n = v.chars().count();
    if n > max_chars {
        return Err(format!("{label}不能超过 {max_chars} 个字，当前 {n} 个字"));
    }
    Ok(Some(v.to_string()))
}

/// A text of several paragraphs (a summary, a case's body): like [`optional`], but line
/// breaks (`\r\n` kept as `\n`) and tabs are allowed.
pub fn long_text(label: &str, value: &str, max_chars: usize) -> Result<Option<String>, String> {
    let v = value.replace("\r\n", "\n").replace('\r', "\n");
    let v = v.trim();
    if v.is_empty() {
        return Ok(None);
    }
    if v.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err(format!("{label}不能包含控制字符"));
    }
    let n = v.chars().count();
    if n > max_chars {
        return Err(format!("{label}不能超过 {max_chars} 个字，当前 {n} 个字"));
    }
    Ok(Some(v.to_string()))
}

/// Years outside this range are almost always typos ("0198", "20024") in this domain.
const MIN_YEAR: i32 = 1900;
const MAX_YEAR: i32 = 2100;

/// Parses "YYYY-MM-DD"; also "YYYY/MM/DD", "YYYY.MM.DD" and "YYYY年MM月DD日". Month and day
/// may have one digit.
pub fn parse_date(label: &str, value: &str) -> Result<Date, String> {
    let v = value.trim();
    if v.is_empty() {
        return Err(format!("请填写{label}"));
    }
    let format_err = || format!("{label}格式应为 年-月-日，例如 1985-03-01");
    let v = v.strip_suffix('日').unwrap_or(v);
    let parts: Vec<&str> = v.split(['-', '/', '.', '年', '月']).collect();
    let [y, m, d] = parts[..] else {
        return Err(format_err());
    };
    let digits_ok = |s: &str, lo: usize, hi: usize| {
        (lo..=hi).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    if !digits_ok(y, 4, 4) || !digits_ok(m, 1, 2) || !digits_ok(d, 1, 2) {
        return Err(format_err());
    }
    // All three are short ASCII digit strings now, so these parses cannot fail.
    let (y, m, d): (i32, u32, u32) = (
        y.parse().unwrap_or(0),
        m.parse().unwrap_or(0),
        d.parse().unwrap_or(0),
    );
    if !(MIN_YEAR..=MAX_YEAR).contains(&y) {
        return Err(format!("{label}的年份应在 {MIN_YEAR} 到 {MAX_YEAR} 之间"));
    }
    Date::from_ymd_opt(y, m, d).ok_or_else(|| format!("{label}不是有效日期，请核对月份和日"))
}

/// Like [`parse_date`], but an empty value is `Ok(None)`.
pub fn optional_date(label: &str, value: &str) -> Result<Option<Date>, String> {
    if value.trim().is_empty() {
        Ok(None)
    } else {
        parse_date(label, value).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_like_cells_are_escaped_for_spreadsheets() {
        for cell in ["=1+1", "+86 139", "-2", "@SUM(A1)", "\t=cmd"] {
            assert!(looks_like_formula(cell), "{cell:?}");
            assert_eq!(csv_safe(cell), format!("'{cell}"));
        }
        assert_eq!(csv_safe("支部书记"), "支部书记");
        assert_eq!(csv_safe(""), "");
    }
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> Date {
        Date::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn required_rules() {
        assert_eq!(required("姓名", "  张三 ", 30), Ok("张三".to_string()));
        assert_eq!(required("姓名", "   ", 30), Err("请填写姓名".to_string()));
        assert_eq!(
            required("姓名", "\u{3000}", 30),
            Err("请填写姓名".to_string())
        );
        let long = "张".repeat(31);
        assert_eq!(
            required("姓名", &long, 30),
            Err("姓名不能超过 30 个字，当前 31 个字".into())
        );
        assert!(required("姓名", &"张".repeat(30), 30).is_ok());
        assert!(required("备注", "a\nb", 100)
            .unwrap_err()
            .contains("控制字符"));
    }

    #[test]
    fn optional_rules() {
        assert_eq!(optional("备注", " ", 10), Ok(None));
        assert_eq!(optional("备注", " x ", 10), Ok(Some("x".to_string())));
        assert!(optional("备注", "12345678901", 10).is_err());
    }

    #[test]
    fn dates() {
        let want = Ok(d(1985, 3, 1));
        assert_eq!(parse_date("出生日期", "1985-03-01"), want);
        assert_eq!(parse_date("出生日期", " 1985/03/01 "), want);
        assert_eq!(parse_date("出生日期", "1985-3-1"), want);
        assert_eq!(parse_date("出生日期", "1985.03.01"), want);
        assert_eq!(parse_date("出生日期", "1985年3月1日"), want);
        let fmt = Err("出生日期格式应为 年-月-日，例如 1985-03-01".to_string());
        assert_eq!(parse_date("出生日期", "19850301"), fmt);
        assert_eq!(parse_date("出生日期", "85-03-01"), fmt);
        assert_eq!(parse_date("出生日期", "1985-03-01-02"), fmt);
        assert_eq!(parse_date("出生日期", "1985-+3-01"), fmt);
        assert_eq!(parse_date("出生日期", "1985-003-01"), fmt);
        assert_eq!(
            parse_date("出生日期", ""),
            Err("请填写出生日期".to_string())
        );
        assert!(parse_date("出生日期", "1985-02-29")
            .unwrap_err()
            .contains("不是有效日期"));
        assert!(parse_date("出生日期", "1899-12-31")
            .unwrap_err()
            .contains("年份"));
        assert_eq!(parse_date("入党日期", "2024-02-29"), Ok(d(2024, 2, 29)));
    }

    #[test]
    fn optional_dates() {
        assert_eq!(optional_date("入党日期", "  "), Ok(None));
        assert_eq!(
            optional_date("入党日期", "2001-07-01"),
            Ok(Some(d(2001, 7, 1)))
        );
        assert!(optional_date("入党日期", "abc").is_err());
    }

    #[test]
    fn field_errors() {
        let mut e = FieldErrors::new();
        assert!(e.is_empty());
        assert_eq!(
            e.check("name", required("姓名", "张三", 30)),
            Some("张三".to_string())
        );
        assert_eq!(e.check("name", required("姓名", "", 30)), None);
        e.add("name", "second");
        e.add("phone", "电话错误");
        assert_eq!(e.get("name"), Some("请填写姓名"));
        assert_eq!(e.get("phone"), Some("电话错误"));
        assert_eq!(e.get("other"), None);
        assert_eq!(e.to_string(), "请填写姓名；second；电话错误");
        assert_eq!(e.into_result().unwrap_err().0.len(), 3);
        assert!(FieldErrors::new().into_result().is_ok());
    }

    proptest! {
        #[test]
        fn required_output_is_trimmed_and_bounded(s in "\\PC{0,40}", max in 1usize..30) {
            if let Ok(v) = required("字段", &s, max) {
                prop_assert!(!v.is_empty());
                prop_assert!(v.chars().count() <= max);
                prop_assert_eq!(v.trim(), v.as_str());
            }
        }

        #[test]
        fn formatted_dates_round_trip(n in 0u64..(200 * 365)) {
            let date = d(1900, 1, 1) + chrono::Days::new(n);
            let s = date.format("%Y-%m-%d").to_string();
            prop_assert_eq!(parse_date("日期", &s), Ok(date));
            let slash = date.format("%Y/%m/%d").to_string();
            prop_assert_eq!(parse_date("日期", &slash), Ok(date));
        }

        #[test]
        fn parse_date_never_panics(s in "\\PC{0,20}") {
            let _ = parse_date("日期", &s);
        }
    }
}
