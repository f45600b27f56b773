//! Phone numbers: mainland mobile numbers and landlines with area code.

/// A validated phone number in compact digits-only form ("13812345678", "01012345678").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    #[error("请填写电话号码")]
    Empty,
    #[error("电话号码只能包含数字、空格和短横线")]
    Chars,
    #[error("手机号应为11位数字，以1开头")]
    Mobile,
    #[error("固定电话应为区号加7至8位号码，例如 010-12345678")]
    Landline,
}

/// Separators people type between digit groups; full-width forms come from Chinese IMEs.
fn is_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, '-' | '－' | '—')
}

fn is_mobile(d: &str) -> bool {
    let b = d.as_bytes();
    b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1])
}

/// Area codes are 0 + 2 or 3 digits and never start with "00" (that is the
/// international prefix); the subscriber number has 7 or 8 digits.
fn is_landline(d: &str) -> bool {
    let b = d.as_bytes();
    (10..=12).contains(&b.len()) && b[0] == b'0' && b[1] != b'0'
}

impl Phone {
    /// Parses a mobile or landline number. Spaces and dashes are ignored, and a "+86",
    /// "0086" or "86" country prefix in front of a mobile number is dropped.
    pub fn parse(s: &str) -> Result<Phone, PhoneError> {
        let compact: String = s.trim().chars().filter(|&c| !is_separator(c)).collect();
        if compact.is_empty() {
            return Err(PhoneError::Empty);
        }
        let (plus, rest) = match compact
            .strip_prefix('+')
            .or_else(|| compact.strip_prefix('＋'))
        {
            Some(r) => (true, r),
            None => (false, compact.as_str()),
        };
        if rest.is_empty() || !rest.bytes().all(|b| b.is_ascii_digit()) {
            return Err(PhoneError::Chars);
        }
        // Only strip a country code when what remains is a mobile number; otherwise
        // "86..." could be eaten from the front of something else.
        let national = ["0086", "86"]
            .iter()
            .filter_map(|p| rest.strip_prefix(p))
            .find(|r| is_mobile(r));
        let digits = match national {
            Some(r) => r,
            None if plus => return Err(PhoneError::Mobile),
            None => rest,
        };
        if digits.starts_with('0') {
            if is_landline(digits) {
                return Ok(Phone(digits.to_string()));
            }
            return Err(PhoneError::Landline);
        }
        if is_mobile(digits) {
            Ok(Phone(digits.to_string()))
        } else {
            Err(PhoneError::Mobile)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_mobile(&self) -> bool {
        is_mobile(&self.0)
    }

    /// Mobile: "138****5678". Landline: first 3 and last 2 kept ("010******78").
    pub fn masked(&self) -> String {
        if self.is_mobile() {
            format!("{}****{}", &self.0[..3], &self.0[7..])
        } else {
            let n = self.0.len();
            format!("{}{}{}", &self.0[..3], "*".repeat(n - 5), &self.0[n - 2..])
        }
    }
}

/// Masks any phone-like string. Valid numbers are masked as by [`Phone::masked`]; anything
/// else keeps its first 3 and last 2 characters when long enough, or is fully starred.
pub fn mask_phone(s: &str) -> String {
    if let Ok(p) = Phone::parse(s) {
        return p.masked();
    }
    let chars: Vec<char> = s.trim().chars().collect();
    let n = chars.len();
    // Below 8 characters, 5 visible ones would reveal most of the value.
    if n < 8 {
        return "*".repeat(n);
    }
    let mut out: String = chars[..3].iter().collect();
    out.push_str(&"*".repeat(n - 5));
    out.extend(&chars[n - 2..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ok(s: &str) -> String {
        Phone::parse(s).unwrap().as_str().to_string()
    }

    #[test]
    fn mobile_forms() {
        assert_eq!(ok("13812345678"), "13812345678");
        assert_eq!(ok(" 138 1234 5678 "), "13812345678");
        assert_eq!(ok("138-1234-5678"), "13812345678");
        assert_eq!(ok("+86 138 1234 5678"), "13812345678");
        assert_eq!(ok("+8613812345678"), "13812345678");
        assert_eq!(ok("8613812345678"), "13812345678");
        assert_eq!(ok("008613812345678"), "13812345678");
        assert_eq!(ok("19912345678"), "19912345678");
    }

    #[test]
    fn landline_forms() {
        assert_eq!(ok("010-12345678"), "01012345678");
        assert_eq!(ok("0755-1234567"), "07551234567");
        assert_eq!(ok("0571 12345678"), "057112345678");
        assert_eq!(ok("021－12345678"), "02112345678");
    }

    #[test]
    fn rejects() {
        assert_eq!(Phone::parse(""), Err(PhoneError::Empty));
        assert_eq!(Phone::parse(" - "), Err(PhoneError::Empty));
        assert_eq!(Phone::parse("138abc45678"), Err(PhoneError::Chars));
        assert_eq!(Phone::parse("(010)12345678"), Err(PhoneError::Chars));
        assert_eq!(Phone::parse("+"), Err(PhoneError::Chars));
        assert_eq!(Phone::parse("1381234567"), Err(PhoneError::Mobile));
        assert_eq!(Phone::parse("138123456789"), Err(PhoneError::Mobile));
        assert_eq!(Phone::parse("12812345678"), Err(PhoneError::Mobile));
        assert_eq!(Phone::parse("23812345678"), Err(PhoneError::Mobile));
        assert_eq!(Phone::parse("+1 2025550123"), Err(PhoneError::Mobile));
        assert_eq!(Phone::parse("010-123456"), Err(PhoneError::Landline));
        assert_eq!(Phone::parse("0755-123456789"), Err(PhoneError::Landline));
        assert_eq!(Phone::parse("0012345678"), Err(PhoneError::Landline));
    }

    #[test]
    fn messages_are_chinese() {
        assert_eq!(
            PhoneError::Mobile.to_string(),
            "手机号应为11位数字，以1开头"
        );
    }

    #[test]
    fn masks() {
        assert_eq!(Phone::parse("13812345678").unwrap().masked(), "138****5678");
        assert_eq!(
            Phone::parse("010-12345678").unwrap().masked(),
            "010******78"
        );
        assert_eq!(
            Phone::parse("0755-1234567").unwrap().masked(),
            "075******67"
        );
        assert_eq!(mask_phone("+86 138 1234 5678"), "138****5678");
        assert_eq!(mask_phone("12345678"), "123***78");
        assert_eq!(mask_phone("1234"), "****");
    }

    proptest! {
        #[test]
        fn any_mobile_round_trips(second in 3u8..=9, rest in "[0-9]{9}") {
            let s = format!("1{second}{rest}");
            let p = Phone::parse(&format!("+86 {}-{}-{}", &s[..3], &s[3..7], &s[7..])).unwrap();
            prop_assert_eq!(p.as_str(), s.as_str());
            let m = p.masked();
            prop_assert_eq!(&m[3..7], "****");
            prop_assert_eq!(m.len(), 11);
        }

        #[test]
        fn never_panics(s in "\\PC{0,20}") {
            if let Ok(p) = Phone::parse(&s) {
                prop_assert!(p.as_str().bytes().all(|b| b.is_ascii_digit()));
                let _ = p.masked();
            }
            let _ = mask_phone(&s);
        }
    }
}
