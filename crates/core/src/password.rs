//! Password and session policy. Defaults follow GB/T 22239-2019 (等保 2.0) level 3:
//! complexity, periodic change, failure lockout and session timeouts.

use serde::{Deserialize, Serialize};

/// Hard ceiling regardless of policy: keeps hashing cost bounded and rejects pasted garbage.
pub const MAX_PASSWORD_CHARS: usize = 128;

const MS_PER_MINUTE: i64 = 60_000;
const MS_PER_DAY: i64 = 86_400_000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
// A stored policy written by an older version may lack newer fields; fall back to defaults.
#[serde(default)]
pub struct PasswordPolicy {
    pub min_length: u32,
    pub min_classes: u32,
    pub expiry_days: u32,
    pub history: u32,
    pub max_failures: u32,
    pub lockout_minutes: u32,
    pub idle_timeout_minutes: u32,
    pub absolute_timeout_hours: u32,
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        Self {
            min_length: 8,
            min_classes: 3,
            expiry_days: 90,
            history: 5,
            max_failures: 5,
            lockout_minutes: 15,
            idle_timeout_minutes: 30,
            absolute_timeout_hours: 12,
        }
    }
}

/// Counts character classes present: lowercase, uppercase, digit, symbol.
///
/// Any other printable non-space character counts as a symbol, so full-width punctuation or
/// Chinese characters typed from an IME add strength instead of being silently ignored.
pub fn char_classes(password: &str) -> u32 {
    let (mut lower, mut upper, mut digit, mut symbol) = (false, false, false, false);
    for c in password.chars() {
        match c {
            'a'..='z' => lower = true,
            'A'..='Z' => upper = true,
            '0'..='9' => digit = true,
            c if !c.is_whitespace() && !c.is_control() => symbol = true,
            _ => {}
        }
    }
    [lower, upper, digit, symbol]
        .into_iter()
        .filter(|&b| b)
        .count() as u32
}

impl PasswordPolicy {
    /// Checks a new password; returns every problem as a Chinese sentence (empty = acceptable).
    pub fn check(&self, password: &str, username: &str) -> Vec<String> {
        let mut problems = Vec::new();
        let len = password.chars().count();
        if len < self.min_length as usize {
            problems.push(format!(
                "密码至少需要 {} 个字符，当前 {} 个",
                self.min_length, len
            ));
        }
        if len > MAX_PASSWORD_CHARS {
            problems.push(format!("密码不能超过 {MAX_PASSWORD_CHARS} 个字符"));
        }
        let classes = char_classes(password);
        if classes < self.min_classes {
            problems.push(format!(
                "密码需包含小写字母、大写字母、数字、符号中的至少 {} 种，当前只有 {} 种",
                self.min_classes, classes
            ));
        }
        if password.chars().any(char::is_control) {
            problems.push("密码不能包含控制字符".to_string());
        }
        // Short usernames ("li") would match too many innocent passwords.
        let user = username.trim().to_lowercase();
        if user.chars().count() >= 3 && password.to_lowercase().contains(&user) {
            problems.push("密码不能包含用户名".to_string());
        }
        problems
    }

    /// Validates the policy itself; every out-of-range field yields one Chinese message.
    pub fn validate(&self) -> Result<(), Vec<String>> {
        let rules: [(&str, &str, u32, u32, u32); 8] = [
            ("密码最小长度", "min_length", self.min_length, 8, 64),
            ("密码字符种类", "min_classes", self.min_classes, 1, 4),
            ("密码有效期（天）", "expiry_days", self.expiry_days, 0, 365),
            ("禁止重复使用的历史密码数", "history", self.history, 0, 24),
            (
                "连续登录失败锁定次数",
                "max_failures",
                self.max_failures,
                1,
                20,
            ),
            (
                "锁定时长（分钟）",
                "lockout_minutes",
                self.lockout_minutes,
                1,
                1440,
            ),
            (
                "空闲超时（分钟）",
                "idle_timeout_minutes",
                self.idle_timeout_minutes,
                5,
                480,
            ),
            (
                "会话最长时长（小时）",
                "absolute_timeout_hours",
                self.absolute_timeout_hours,
                1,
                24,
            ),
        ];
        let errors: Vec<String> = rules
            .iter()
            .filter(|(_, _, v, lo, hi)| !(lo..=hi).contains(&v))
            .map(|(label, field, v, lo, hi)| {
                format!("{label}（{field}）应在 {lo} 到 {hi} 之间，当前为 {v}")
            })
            .collect();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// True once `expiry_days` full days have passed since the last change (0 = never expires).
    pub fn is_expired(&self, changed_at_ms: i64, now_ms: i64) -> bool {
        if self.expiry_days == 0 {
            return false;
        }
        now_ms.saturating_sub(changed_at_ms) >= i64::from(self.expiry_days) * MS_PER_DAY
    }

    /// After `failures` consecutive failures, the last at `last_failure_ms`: the instant the
    /// account unlocks if it is locked at `now_ms`. `max_failures == 0` disables lockout.
    pub fn locked_until(&self, failures: u32, last_failure_ms: i64, now_ms: i64) -> Option<i64> {
        if self.max_failures == 0 || failures < self.max_failures {
            return None;
        }
        let unlock =
            last_failure_ms.saturating_add(i64::from(self.lockout_minutes) * MS_PER_MINUTE);
        (now_ms < unlock).then_some(unlock)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn defaults_are_valid_and_level3() {
        let p = PasswordPolicy::default();
        assert_eq!(p.validate(), Ok(()));
        assert_eq!(
            (p.min_length, p.min_classes, p.expiry_days, p.history),
            (8, 3, 90, 5)
        );
        assert_eq!((p.max_failures, p.lockout_minutes), (5, 15));
        assert_eq!((p.idle_timeout_minutes, p.absolute_timeout_hours), (30, 12));
    }

    #[test]
    fn classes() {
        assert_eq!(char_classes(""), 0);
        assert_eq!(char_classes("abc"), 1);
        assert_eq!(char_classes("abcABC"), 2);
        assert_eq!(char_classes("aB3"), 3);
        assert_eq!(char_classes("aB3!"), 4);
        assert_eq!(char_classes("党建！"), 1);
        assert_eq!(char_classes("a b\t"), 1);
    }

    #[test]
    fn check_accepts_good_password() {
        assert!(PasswordPolicy::default()
            .check("Dangjian@2024", "zhangsan")
            .is_empty());
    }

    #[test]
    fn check_reports_every_problem() {
        let p = PasswordPolicy::default();
        let errs = p.check("abc", "x");
        assert_eq!(errs.len(), 2);
        assert!(errs[0].contains("至少需要 8 个字符"));
        assert!(errs[1].contains("至少 3 种"));
        assert_eq!(p.check("Abcdefg1", ""), Vec::<String>::new());
        assert_eq!(p.check("Abcdef1", "").len(), 1); // 7 chars
    }

    #[test]
    fn check_username_and_length_limits() {
        let p = PasswordPolicy::default();
        assert_eq!(
            p.check("xZhangSan#1", "zhangsan"),
            vec!["密码不能包含用户名"]
        );
        // Usernames shorter than 3 are not checked.
        assert!(p.check("Li#12345ab", "li").is_empty());
        let long = format!("Aa1!{}", "x".repeat(125));
        assert_eq!(p.check(&long, "").len(), 1);
        let max = format!("Aa1!{}", "x".repeat(124));
        assert!(p.check(&max, "").is_empty());
        assert_eq!(p.check("Abc\u{7}defg1", "").len(), 1);
    }

    #[test]
    fn validate_names_fields() {
        let p = PasswordPolicy {
            min_length: 6,
            idle_timeout_minutes: 4,
            ..Default::default()
        };
        let errs = p.validate().unwrap_err();
        assert_eq!(errs.len(), 2);
        assert!(errs[0].contains("min_length") && errs[0].contains("8 到 64"));
        assert!(errs[1].contains("idle_timeout_minutes"));
        let bounds = PasswordPolicy {
            min_length: 64,
            min_classes: 4,
            expiry_days: 365,
            history: 24,
            max_failures: 20,
            lockout_minutes: 1440,
            idle_timeout_minutes: 480,
            absolute_timeout_hours: 24,
        };
        assert_eq!(bounds.validate(), Ok(()));
        let over = PasswordPolicy {
            expiry_days: 366,
            history: 25,
            ..bounds
        };
        assert_eq!(over.validate().unwrap_err().len(), 2);
    }

    #[test]
    fn expiry() {
        let p = PasswordPolicy::default();
        let day = MS_PER_DAY;
        assert!(!p.is_expired(0, 90 * day - 1));
        assert!(p.is_expired(0, 90 * day));
        let never = PasswordPolicy {
            expiry_days: 0,
            ..Default::default()
        };
        assert!(!never.is_expired(0, i64::MAX));
        assert!(!p.is_expired(i64::MAX, i64::MIN));
    }

    #[test]
    fn lockout() {
        let p = PasswordPolicy::default();
        let t = 1_000_000;
        let unlock = t + 15 * MS_PER_MINUTE;
        assert_eq!(p.locked_until(4, t, t), None);
        assert_eq!(p.locked_until(5, t, t), Some(unlock));
        assert_eq!(p.locked_until(9, t, unlock - 1), Some(unlock));
        assert_eq!(p.locked_until(5, t, unlock), None);
        let off = PasswordPolicy {
            max_failures: 0,
            ..Default::default()
        };
        assert_eq!(off.locked_until(100, t, t), None);
    }

    #[test]
    fn deserializes_partial_policy() {
        use serde::de::value::{Error, MapDeserializer};
        let fields = MapDeserializer::<_, Error>::new(vec![("min_length", 12u32)].into_iter());
        let p = PasswordPolicy::deserialize(fields).unwrap();
        assert_eq!(
            p,
            PasswordPolicy {
                min_length: 12,
                ..Default::default()
            }
        );
    }

    proptest! {
        #[test]
        fn check_never_panics_and_classes_bounded(pw in "\\PC{0,140}", user in "\\PC{0,10}") {
            let _ = PasswordPolicy::default().check(&pw, &user);
            prop_assert!(char_classes(&pw) <= 4);
        }

        #[test]
        fn lock_is_in_the_future(f in 0u32..50, last in -1_000_000_000i64..1_000_000_000, now in -1_000_000_000i64..1_000_000_000) {
            if let Some(u) = PasswordPolicy::default().locked_until(f, last, now) {
                prop_assert!(u > now);
                prop_assert!(f >= 5);
            }
        }
    }
}
