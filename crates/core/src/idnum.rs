//! Citizen identity numbers (公民身份号码) per GB 11643-1999.
//!
//! Layout of the 18 characters: 6-digit region code, 8-digit birth date (YYYYMMDD),
//! 3-digit sequence (odd = male), 1 check character (0-9 or X).

use crate::member::Gender;
use crate::Date;

/// ISO 7064 MOD 11-2 weights used by GB 11643 for positions 1..=17.
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// Check character indexed by (weighted sum mod 11).
const CHECK_CHARS: &[u8; 11] = b"10X98765432";

/// A validated, normalized 18-character ID number (uppercase X).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IdNumber(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("请填写身份证号")]
    Empty,
    /// 15-digit numbers were issued before 1999; the register stores the 18-digit form only.
    #[error("这是15位旧身份证号，请填写18位新身份证号")]
    Legacy15,
    #[error("身份证号应为18位，当前为 {0} 位")]
    Length(usize),
    #[error("身份证号只能包含数字，最后一位可以是 X")]
    Chars,
    #[error("身份证号前6位地区码无效")]
    Region,
    #[error("身份证号中的出生日期无效")]
    BirthDate,
    #[error("身份证号校验位不正确，请核对最后一位")]
    Checksum,
}

/// Computes the GB 11643 check character for the first 17 ASCII digits.
///
/// Returns `b'0'..=b'9'` or `b'X'`. Non-digit bytes are not expected; they are treated by
/// their offset from `b'0'` so the function stays total instead of panicking.
pub fn check_digit(first17: &[u8; 17]) -> u8 {
    let sum: u32 = first17
        .iter()
        .zip(WEIGHTS)
        .map(|(&b, w)| u32::from(b.wrapping_sub(b'0')) * w)
        .sum();
    CHECK_CHARS[(sum % 11) as usize]
}

/// Maps full-width digits and X (typed from a Chinese IME) to ASCII, uppercases x.
fn normalize_char(c: char) -> char {
    match c {
        '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
        'x' | 'Ｘ' | 'ｘ' => 'X',
        _ => c,
    }
}

fn birth_from_digits(digits: &str) -> Option<Date> {
    let y: i32 = digits.get(0..4)?.parse().ok()?;
    let m: u32 = digits.get(4..6)?.parse().ok()?;
    let d: u32 = digits.get(6..8)?.parse().ok()?;
    // Nobody registered under GB 11643 was born before 1900; earlier years are typos.
    if y < 1900 {
        return None;
    }
    Date::from_ymd_opt(y, m, d)
}

impl IdNumber {
    /// Parses and validates an ID number. Surrounding whitespace is ignored, a lowercase or
    /// full-width x is accepted. There is no upper bound on the birth date because this crate
    /// has no clock; callers that know today may add that check.
    pub fn parse(s: &str) -> Result<IdNumber, IdError> {
        let norm: String = s.trim().chars().map(normalize_char).collect();
        let len = norm.chars().count();
        if len == 0 {
            return Err(IdError::Empty);
        }
        if len == 15 && norm.bytes().all(|b| b.is_ascii_digit()) {
            return Err(IdError::Legacy15);
        }
        if len != 18 {
            return Err(IdError::Length(len));
        }
        // len == 18 chars; from here on only ASCII is accepted, so byte indexing is safe.
        let bytes = norm.as_bytes();
        if bytes.len() != 18
            || !bytes[..17].iter().all(u8::is_ascii_digit)
            || !(bytes[17].is_ascii_digit() || bytes[17] == b'X')
        {
            return Err(IdError::Chars);
        }
        // First digit is the macro region (1 north China .. 8 HK/Macau/Taiwan); 0 and 9 are unused.
        if !(b'1'..=b'8').contains(&bytes[0]) {
            return Err(IdError::Region);
        }
        if birth_from_digits(&norm[6..14]).is_none() {
            return Err(IdError::BirthDate);
        }
        let mut first17 = [0u8; 17];
        first17.copy_from_slice(&bytes[..17]);
        if check_digit(&first17) != bytes[17] {
            return Err(IdError::Checksum);
        }
        Ok(IdNumber(norm))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn birth_date(&self) -> Date {
        birth_from_digits(&self.0[6..14]).expect("birth date validated by IdNumber::parse")
    }

    /// The 17th character (sequence code) is odd for men and even for women.
    pub fn gender(&self) -> Gender {
        if (self.0.as_bytes()[16] - b'0') % 2 == 1 {
            Gender::Male
        } else {
            Gender::Female
        }
    }

    /// Hides region detail, birth date and sequence: "110***********1234".
    pub fn masked(&self) -> String {
        mask_id(&self.0)
    }

    /// Builds a valid number for demo or synthetic data and computes the check character.
    ///
    /// `seq` is reduced modulo 1000 so any `u16` yields a 3-digit sequence; its parity decides
    /// the gender.
    ///
    /// # Panics
    /// If `region` is not 6 ASCII digits starting with 1-8, or the birth year is outside
    /// 1900..=9999; both are programming errors in the caller's fixture data.
    pub fn generate(region: &str, birth: Date, seq: u16) -> IdNumber {
        let region_ok = region.len() == 6
            && region.bytes().all(|b| b.is_ascii_digit())
            && (b'1'..=b'8').contains(&region.as_bytes()[0]);
        assert!(region_ok, "invalid region code {region:?}");
        assert!(
            (1900..=9999).contains(&chrono::Datelike::year(&birth)),
            "birth year out of range: {birth}"
        );
        let body = format!("{region}{}{:03}", birth.format("%Y%m%d"), seq % 1000);
        let mut first17 = [0u8; 17];
        first17.copy_from_slice(body.as_bytes());
        let check = char::from(check_digit(&first17));
        IdNumber(format!("{body}{check}"))
    }
}

/// Masks any ID-like string as first 3 + stars + last 4, keeping its length.
///
/// Strings shorter than 15 characters are fully starred: showing 7 characters of something
/// that short would reveal most of it.
pub fn mask_id(s: &str) -> String {
    let chars: Vec<char> = s.trim().chars().collect();
    let n = chars.len();
    if n < 15 {
        return "*".repeat(n);
    }
    let mut out: String = chars[..3].iter().collect();
    out.push_str(&"*".repeat(n - 7));
    out.extend(&chars[n - 4..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> Date {
        Date::from_ymd_opt(y, m, day).unwrap()
    }

    // The sample number published with GB 11643-1999.
    const SAMPLE: &str = "11010519491231002X";

    #[test]
    fn parses_standard_sample() {
        let id = IdNumber::parse(SAMPLE).unwrap();
        assert_eq!(id.birth_date(), d(1949, 12, 31));
        assert_eq!(id.gender(), Gender::Female);
        assert_eq!(id.as_str(), SAMPLE);
    }

    #[test]
    fn normalizes_lowercase_fullwidth_and_whitespace() {
        let id = IdNumber::parse("  11010519491231002x\n").unwrap();
        assert_eq!(id.as_str(), SAMPLE);
        let id = IdNumber::parse("１１０１０５１９４９１２３１００２Ｘ").unwrap();
        assert_eq!(id.as_str(), SAMPLE);
    }

    #[test]
    fn rejects_each_kind_of_error() {
        assert_eq!(IdNumber::parse("  "), Err(IdError::Empty));
        assert_eq!(IdNumber::parse("110105491231002"), Err(IdError::Legacy15));
        assert_eq!(
            IdNumber::parse("1101051949123100"),
            Err(IdError::Length(16))
        );
        assert_eq!(IdNumber::parse("1101051949123100AX"), Err(IdError::Chars));
        assert_eq!(IdNumber::parse("11010519491231002Y"), Err(IdError::Chars));
        assert_eq!(IdNumber::parse("X10105194912310021"), Err(IdError::Chars));
        assert_eq!(IdNumber::parse("010105194912310021"), Err(IdError::Region));
        assert_eq!(IdNumber::parse("910105194912310021"), Err(IdError::Region));
        assert_eq!(
            IdNumber::parse("110105194902300021"),
            Err(IdError::BirthDate)
        );
        assert_eq!(
            IdNumber::parse("110105189912310021"),
            Err(IdError::BirthDate)
        );
        assert_eq!(
            IdNumber::parse("110105194912310021"),
            Err(IdError::Checksum)
        );
    }

    #[test]
    fn error_messages_are_chinese() {
        assert_eq!(
            IdError::Length(17).to_string(),
            "身份证号应为18位，当前为 17 位"
        );
        assert_eq!(
            IdError::Checksum.to_string(),
            "身份证号校验位不正确，请核对最后一位"
        );
        assert_eq!(IdError::BirthDate.to_string(), "身份证号中的出生日期无效");
    }

    #[test]
    fn check_digit_matches_known_values() {
        assert_eq!(check_digit(b"11010519491231002"), b'X');
        let id = IdNumber::generate("110105", d(1985, 3, 1), 123);
        assert_eq!(id.as_str().len(), 18);
        assert_eq!(id.gender(), Gender::Male);
    }

    #[test]
    fn leap_day_birth_dates() {
        assert!(IdNumber::parse(IdNumber::generate("110105", d(2000, 2, 29), 2).as_str()).is_ok());
        let mut s = IdNumber::generate("110105", d(2000, 2, 28), 2)
            .as_str()
            .to_string();
        s.replace_range(6..14, "19000229"); // 1900 is not a leap year
        assert_eq!(IdNumber::parse(&s), Err(IdError::BirthDate));
    }

    #[test]
    fn masks() {
        assert_eq!(
            IdNumber::parse(SAMPLE).unwrap().masked(),
            "110***********002X"
        );
        assert_eq!(mask_id("110105491231002"), "110********1002");
        assert_eq!(mask_id("12345"), "*****");
        assert_eq!(mask_id(""), "");
    }

    #[test]
    fn generate_reduces_sequence() {
        let a = IdNumber::generate("110105", d(1990, 1, 1), 1005);
        let b = IdNumber::generate("110105", d(1990, 1, 1), 5);
        assert_eq!(a, b);
    }

    #[test]
    #[should_panic(expected = "invalid region")]
    fn generate_rejects_bad_region() {
        IdNumber::generate("11010", d(1990, 1, 1), 5);
    }

    fn arb_date() -> impl Strategy<Value = Date> {
        (0i64..(200 * 366)).prop_map(|n| d(1900, 1, 1) + chrono::Days::new(n as u64))
    }

    proptest! {
        #[test]
        fn generated_numbers_round_trip(birth in arb_date(), seq in 0u16..=999, r in 100_000u32..900_000) {
            let region = r.to_string();
            let id = IdNumber::generate(&region, birth, seq);
            let parsed = IdNumber::parse(id.as_str()).unwrap();
            prop_assert_eq!(&parsed, &id);
            prop_assert_eq!(parsed.birth_date(), birth);
            let expect = if seq % 2 == 1 { Gender::Male } else { Gender::Female };
            prop_assert_eq!(parsed.gender(), expect);
        }

        #[test]
        fn any_single_change_is_detected(birth in arb_date(), seq in 0u16..=999, pos in 0usize..18, delta in 1u8..=10) {
            let id = IdNumber::generate("110105", birth, seq);
            let mut bytes = id.as_str().as_bytes().to_vec();
            // Cycle through the 11 legal characters at that position, skipping the original.
            let alphabet = b"0123456789X";
            let cur = alphabet.iter().position(|&c| c == bytes[pos]).unwrap();
            let mut next = alphabet[(cur + delta as usize) % 11];
            if pos < 17 && next == b'X' {
                next = alphabet[(cur + delta as usize + 1) % 11];
                prop_assume!(next != bytes[pos]);
            }
            bytes[pos] = next;
            let changed = String::from_utf8(bytes).unwrap();
            prop_assert!(IdNumber::parse(&changed).is_err());
        }

        #[test]
        fn masked_hides_middle(birth in arb_date(), seq in 0u16..=999) {
            let id = IdNumber::generate("110105", birth, seq);
            let m = id.masked();
            prop_assert_eq!(m.chars().count(), 18);
            prop_assert!(m[3..14].bytes().all(|b| b == b'*'));
            prop_assert_eq!(&m[..3], &id.as_str()[..3]);
            prop_assert_eq!(&m[14..], &id.as_str()[14..]);
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,24}") {
            let _ = IdNumber::parse(&s);
            let _ = mask_id(&s);
        }
    }
}
