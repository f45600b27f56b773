//! Form input as typed (strings), validated into domain values or per-field Chinese errors.
//!
//! The same forms back the HTML pages and the JSON API, so both refuse the same input with
//! the same words, and a form can be shown again with exactly what was typed.

use crate::idnum::IdNumber;
use crate::member::{Gender, PartyStatus};
use crate::org::{CommitteeRole, OrgKind, UnitKind};
use crate::phone::Phone;
use crate::text::{optional, optional_date, required, FieldErrors};
use crate::Date;
use serde::{Deserialize, Serialize};

pub const NAME_MAX: usize = 30;
pub const ORG_NAME_MAX: usize = 60;
pub const TEXT_MAX: usize = 60;

/// A member as typed into the form or the API.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct MemberForm {
    pub org_id: String,
    pub name: String,
    pub gender: String,
    pub birth_date: String,
    pub id_number: String,
    pub phone: String,
    pub status: String,
    pub joined_on: String,
    pub full_on: String,
    pub department: String,
    pub post: String,
    pub party_duty: String,
    /// "1" / "on" / "true" when the member is under 留党察看 (no vote); empty otherwise.
    pub rights_suspended: String,
}

/// A validated member.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberInput {
    pub org_id: i64,
    pub name: String,
    pub gender: Gender,
    pub birth_date: Date,
    pub id_number: IdNumber,
    pub phone: Option<Phone>,
    pub status: PartyStatus,
    pub joined_on: Option<Date>,
    pub full_on: Option<Date>,
    pub department: Option<String>,
    pub post: Option<String>,
    pub party_duty: Option<String>,
    /// Under 留党察看: no vote, not counted among those entitled at a 党员大会 (党章 第四十条).
    pub rights_suspended: bool,
}

fn take<T>(errors: &mut FieldErrors, field: &str, r: Result<T, String>) -> Option<T> {
    r.map_err(|m| errors.add(field, m)).ok()
}

impl MemberForm {
    /// Validates every field, reporting all problems at once. `today` bounds the dates.
    pub fn validate(&self, today: Date) -> Result<MemberInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let org_id = take(
            &mut e,
            "org_id",
            self.org_id
                .trim()
                .parse::<i64>()
                .map_err(|_| "请选择所属党组织".to_string()),
        );
        let name = take(&mut e, "name", required("姓名", &self.name, NAME_MAX));
        let id_number = take(
            &mut e,
            "id_number",
            IdNumber::parse(&self.id_number).map_err(|err| err.to_string()),
        );
        let gender = match (Gender::from_code(self.gender.trim()), &id_number) {
            (Some(g), _) => Some(g),
            // The ID number already says it; do not make the secretary type it twice.
            (None, Some(id)) if self.gender.trim().is_empty() => Some(id.gender()),
            // Left blank with a wrong ID number: the ID number's own error says what to fix.
            (None, None) if self.gender.trim().is_empty() => None,
            _ => take(&mut e, "gender", Err("请选择性别".to_string())),
        };
        let birth_date = match (self.birth_date.trim(), &id_number) {
            ("", Some(id)) => Some(id.birth_date()),
            ("", None) => None,
            (typed, _) => take(
                &mut e,
                "birth_date",
                crate::text::parse_date("出生日期", typed),
            ),
        };
        if let (Some(b), Some(id)) = (birth_date, &id_number) {
            if b != id.birth_date() {
                e.add("birth_date", "出生日期与身份证号中的日期不一致");
            }
        }
        if let (Some(g), Some(id)) = (gender, &id_number) {
            if g != id.gender() {
                e.add("gender", "性别与身份证号不一致");
            }
        }
        if let Some(b) = birth_date {
            if b > today {
                e.add("birth_date", "出生日期不能晚于今天");
            }
        }
        let phone = match self.phone.trim() {
            "" => Some(None),
            p => take(
                &mut e,
                "phone",
                Phone::parse(p).map(Some).map_err(|err| err.to_string()),
            ),
        };
        let status = take(
            &mut e,
            "status",
            PartyStatus::from_code(self.status.trim()).ok_or_else(|| "请选择党籍状态".to_string()),
        );
        let joined_on = take(
            &mut e,
            "joined_on",
            optional_date("入党日期", &self.joined_on),
        );
        let full_on = take(&mut e, "full_on", optional_date("转正日期", &self.full_on));
        for (field, d) in [
            ("joined_on", joined_on.flatten()),
            ("full_on", full_on.flatten()),
        ] {
            if let Some(d) = d {
                if d > today {
                    e.add(field, "日期不能晚于今天");
                }
                if let Some(b) = birth_date {
                    if d < b + chrono::Duration::days(18 * 365) {
                        e.add(field, "入党时应年满十八周岁，请核对日期");
                    }
                }
            }
        }
        if let (Some(Some(j)), Some(Some(f))) = (joined_on, full_on) {
            if f < j {
                e.add("full_on", "转正日期不能早于入党日期");
            }
        }
        match status {
            Some(s) if s.is_party_member() && joined_on == Some(None) => {
                e.add("joined_on", "预备党员和正式党员请填写入党日期")
            }
            Some(PartyStatus::Full) if full_on == Some(None) => {
                e.add("full_on", "正式党员请填写转正日期")
            }
            Some(s) if s != PartyStatus::Full && matches!(full_on, Some(Some(_))) => {
                e.add("full_on", "尚未转正，请不要填写转正日期")
            }
            _ => {}
        }
        let department = take(
            &mut e,
            "department",
            optional("业务部门", &self.department, TEXT_MAX),
        );
        let post = take(&mut e, "post", optional("岗位", &self.post, TEXT_MAX));
        let party_duty = take(
            &mut e,
            "party_duty",
            optional("党内职务", &self.party_duty, TEXT_MAX),
        );
        let rights_suspended = matches!(
            self.rights_suspended.trim().to_ascii_lowercase().as_str(),
            "1" | "on" | "true" | "yes"
        );
        if rights_suspended && status.is_some_and(|s| s != PartyStatus::Full) {
            e.add(
                "rights_suspended",
                "留党察看只适用于正式党员；预备党员受处分的，应取消预备党员资格",
            );
        }
        if !e.is_empty() {
            return Err(e);
        }
        // Every field is Some when there are no errors.
        Ok(MemberInput {
            org_id: org_id.unwrap_or_default(),
            name: name.unwrap_or_default(),
            gender: gender.unwrap_or(Gender::Male),
            birth_date: birth_date.unwrap_or_default(),
            id_number: id_number.expect("checked"),
            phone: phone.flatten(),
            status: status.unwrap_or(PartyStatus::Applicant),
            joined_on: joined_on.flatten(),
            full_on: full_on.flatten(),
            department: department.flatten(),
            post: post.flatten(),
            party_duty: party_duty.flatten(),
            rights_suspended,
        })
    }
}

/// An organization as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct OrgForm {
    pub parent_id: String,
    pub kind: String,
    pub name: String,
    pub unit_name: String,
    pub unit_kind: String,
    pub founded_on: String,
    pub term_start: String,
    pub term_years: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OrgInput {
    pub parent_id: Option<i64>,
    pub kind: OrgKind,
    pub name: String,
    pub unit_name: String,
    pub unit_kind: UnitKind,
    pub founded_on: Option<Date>,
    pub term_start: Option<Date>,
    pub term_years: Option<u8>,
}

impl OrgForm {
    pub fn validate(&self, today: Date) -> Result<OrgInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let parent_id = match self.parent_id.trim() {
            "" => Some(None),
            p => take(
                &mut e,
                "parent_id",
                p.parse::<i64>()
                    .map(Some)
                    .map_err(|_| "上级组织无效".to_string()),
            ),
        };
        let kind = take(
            &mut e,
            "kind",
            OrgKind::from_code(self.kind.trim()).ok_or_else(|| "请选择组织类别".to_string()),
        );
        let name = take(
            &mut e,
            "name",
            required("组织名称", &self.name, ORG_NAME_MAX),
        );
        let unit_name = take(
            &mut e,
            "unit_name",
            required("所在单位", &self.unit_name, ORG_NAME_MAX),
        );
        let unit_kind = take(
            &mut e,
            "unit_kind",
            UnitKind::from_code(self.unit_kind.trim()).ok_or_else(|| "请选择单位类型".to_string()),
        );
        let founded_on = take(
            &mut e,
            "founded_on",
            optional_date("成立日期", &self.founded_on),
        );
        let term_start = take(
            &mut e,
            "term_start",
            optional_date("本届开始日期", &self.term_start),
        );
        for (field, d) in [
            ("founded_on", founded_on.flatten()),
            ("term_start", term_start.flatten()),
        ] {
            if d.is_some_and(|d| d > today) {
                e.add(field, "日期不能晚于今天");
            }
        }
        let term_years = match self.term_years.trim() {
            "" => Some(None),
            t => take(
                &mut e,
                "term_years",
                t.parse::<u8>()
                    .ok()
                    .filter(|y| (1..=5).contains(y))
                    .map(Some)
                    .ok_or_else(|| "任期应为 1 至 5 年".to_string()),
            ),
        };
        if let (Some(Some(t)), Some(None)) = (term_start, term_years) {
            let _ = t;
            e.add("term_years", "填写了本届开始日期，请同时填写任期年限");
        }
        e.into_result()?;
        Ok(OrgInput {
            parent_id: parent_id.flatten(),
            kind: kind.expect("checked"),
            name: name.unwrap_or_default(),
            unit_name: unit_name.unwrap_or_default(),
            unit_kind: unit_kind.expect("checked"),
            founded_on: founded_on.flatten(),
            term_start: term_start.flatten(),
            term_years: term_years.flatten(),
        })
    }
}

/// A committee seat as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SeatForm {
    pub member_id: String,
    pub role: String,
    pub duty: String,
    pub since: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SeatInput {
    pub member_id: i64,
    pub role: CommitteeRole,
    pub duty: Option<String>,
    pub since: Option<Date>,
}

impl SeatForm {
    pub fn validate(&self) -> Result<SeatInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let member_id = take(
            &mut e,
            "member_id",
            self.member_id
                .trim()
                .parse::<i64>()
                .map_err(|_| "请选择党员".to_string()),
        );
        let role = take(
            &mut e,
            "role",
            CommitteeRole::from_code(self.role.trim()).ok_or_else(|| "请选择职务".to_string()),
        );
        let duty = take(&mut e, "duty", optional("分工", &self.duty, TEXT_MAX));
        let since = take(&mut e, "since", optional_date("任职日期", &self.since));
        e.into_result()?;
        Ok(SeatInput {
            member_id: member_id.expect("checked"),
            role: role.expect("checked"),
            duty: duty.flatten(),
            since: since.flatten(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        Date::from_ymd_opt(2026, 11, 26).unwrap()
    }

    fn valid() -> MemberForm {
        let id = IdNumber::generate("110105", Date::from_ymd_opt(1985, 3, 1).unwrap(), 123);
        MemberForm {
            org_id: "4".into(),
            name: "张三".into(),
            id_number: id.as_str().into(),
            phone: "13812345678".into(),
            status: "full".into(),
            joined_on: "2008-07-01".into(),
            full_on: "2009-07-01".into(),
            ..Default::default()
        }
    }

    #[test]
    fn gender_and_birth_date_come_from_the_id_number() {
        let m = valid().validate(today()).unwrap();
        assert_eq!(m.birth_date, Date::from_ymd_opt(1985, 3, 1).unwrap());
        assert_eq!(m.gender, Gender::Male, "sequence 123 is odd");
    }

    #[test]
    fn every_bad_field_is_reported() {
        let f = MemberForm {
            id_number: "110105198503011234".into(),
            phone: "12345".into(),
            name: "".into(),
            status: "full".into(),
            ..valid()
        };
        let e = f.validate(today()).unwrap_err();
        for field in ["id_number", "phone", "name"] {
            assert!(e.get(field).is_some(), "{field}: {e:?}");
        }
    }

    #[test]
    fn a_wrong_id_number_is_the_only_error_when_gender_and_birth_are_blank() {
        let f = MemberForm {
            id_number: "110105198503011234".into(),
            ..valid()
        };
        let e = f.validate(today()).unwrap_err();
        assert_eq!(e.0.len(), 1, "{e:?}");
        assert!(e.get("id_number").is_some());
    }

    #[test]
    fn full_member_needs_dates_in_order() {
        let f = MemberForm {
            full_on: "2007-01-01".into(),
            ..valid()
        };
        assert!(f.validate(today()).unwrap_err().get("full_on").is_some());
        let f = MemberForm {
            full_on: "".into(),
            ..valid()
        };
        assert!(f.validate(today()).unwrap_err().get("full_on").is_some());
        let f = MemberForm {
            status: "applicant".into(),
            joined_on: "".into(),
            ..valid()
        };
        assert!(f.validate(today()).unwrap_err().get("full_on").is_some());
    }

    #[test]
    fn over_long_name_is_refused() {
        let f = MemberForm {
            name: "张".repeat(31),
            ..valid()
        };
        assert!(f.validate(today()).unwrap_err().get("name").is_some());
    }

    #[test]
    fn org_form_checks_term() {
        let f = OrgForm {
            kind: "branch".into(),
            name: "第一党支部".into(),
            unit_name: "某中学".into(),
            unit_kind: "school".into(),
            term_start: "2024-01-01".into(),
            ..Default::default()
        };
        assert!(f.validate(today()).unwrap_err().get("term_years").is_some());
        let ok = OrgForm {
            term_years: "3".into(),
            ..f
        };
        assert_eq!(ok.validate(today()).unwrap().term_years, Some(3));
    }
}
