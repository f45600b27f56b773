//! A meeting record as typed (strings) validated into a [`MeetingInput`], in the style of
//! [`crate::forms`]: every problem reported at once, per field, in Chinese.

use super::{optional_multiline, quorum, MeetingKind, Quorum};
use crate::text::{optional, parse_date, required, FieldErrors};
use crate::Date;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

pub const TOPIC_MAX: usize = 100;
pub const CONTENT_MAX: usize = 5000;
pub const DECISIONS_MAX: usize = 5000;
pub const REASON_MAX: usize = 60;
pub const PLACE_MAX: usize = 60;
/// 列席人员 who are not members of the organization, as typed ("院长 王建国、财务处 李芳").
pub const GUESTS_MAX: usize = 200;

/// What a meeting of an organization may refer to: its members, and the business goals and
/// Party work items of the plans it serves (its own and those of the organizations above).
#[derive(Debug, Clone, Copy, Default)]
pub struct MeetingChoices<'a> {
    pub roster: &'a [i64],
    pub goals: &'a [i64],
    pub items: &'a [i64],
}

/// "14:30" (also "9:05", "14：30") as "HH:MM".
pub fn parse_time(label: &str, typed: &str) -> Result<String, String> {
    let t = typed.trim().replace('：', ":");
    let bad = || format!("{label}格式应为 时:分，例如 14:30");
    let (h, m) = t.split_once(':').ok_or_else(bad)?;
    let digits = |s: &str| !s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(h) || m.len() != 2 || !digits(m) {
        return Err(bad());
    }
    let (h, m): (u32, u32) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if h > 23 || m > 59 {
        return Err(format!("{label}应在 00:00 到 23:59 之间"));
    }
    Ok(format!("{h:02}:{m:02}"))
}

/// One absentee row as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AbsenteeForm {
    pub member_id: String,
    pub reason: String,
}

/// A meeting record as typed into the form or the API. Lists hold the ids as typed so the
/// form can be shown again unchanged.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct MeetingForm {
    pub org_id: String,
    pub kind: String,
    pub date: String,
    pub topic: String,
    pub content: String,
    pub decisions: String,
    pub attendees: Vec<String>,
    pub absentees: Vec<AbsenteeForm>,
    pub goals: Vec<String>,
    /// 时间: when it began, "14:30".
    pub starts_at: String,
    /// 地点.
    pub place: String,
    /// 主持人 and 记录人: members of the organization who attended.
    pub chair_member_id: String,
    pub recorder_member_id: String,
    /// 列席人员 who are not members of the organization, as typed.
    pub guests: String,
    /// Party work items the meeting carried out.
    pub items: Vec<String>,
}

/// A validated meeting record.
#[derive(Debug, Clone, PartialEq)]
pub struct MeetingInput {
    pub org_id: i64,
    pub kind: MeetingKind,
    pub date: Date,
    pub topic: String,
    pub content: Option<String>,
    pub decisions: Option<String>,
    /// Member ids, duplicates removed, in the order typed.
    pub attendees: Vec<i64>,
    /// Member id and reason of absence.
    pub absentees: Vec<(i64, String)>,
    /// Business goals the meeting served (counts for the goals' task unity).
    pub goals: Vec<i64>,
    pub starts_at: Option<String>,
    pub place: Option<String>,
    pub chair: Option<i64>,
    pub recorder: Option<i64>,
    pub guests: Option<String>,
    /// Party work items the meeting carried out.
    pub items: Vec<i64>,
}

impl MeetingInput {
    /// Quorum with the attendees recorded; `entitled` comes from the caller (see [`quorum`]).
    pub fn quorum(&self, entitled: u32) -> Quorum {
        quorum(
            entitled,
            u32::try_from(self.attendees.len()).unwrap_or(u32::MAX),
        )
    }
}

/// Parses ids, dropping duplicates and keeping order; `None` if any is not a number.
fn parse_ids(values: &[String]) -> Option<Vec<i64>> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for v in values.iter().map(|v| v.trim()).filter(|v| !v.is_empty()) {
        let id = v.parse::<i64>().ok()?;
        if seen.insert(id) {
            out.push(id);
        }
    }
    Some(out)
}

impl MeetingForm {
    /// Validates every field, reporting all problems at once.
    ///
    /// `today` bounds the date (this form records meetings that took place), `roster` is the
    /// member ids of `org_id`, and `goals_in_scope` the business goals the organization may
    /// link to (those of its current plans).
    pub fn validate(
        &self,
        today: Date,
        roster: &[i64],
        goals_in_scope: &[i64],
    ) -> Result<MeetingInput, FieldErrors> {
        self.validate_in(
            today,
            &MeetingChoices {
                roster,
                goals: goals_in_scope,
                items: &[],
            },
        )
    }

    /// [`Self::validate`] with the Party work items the meeting may carry out as well.
    pub fn validate_in(
        &self,
        today: Date,
        choices: &MeetingChoices<'_>,
    ) -> Result<MeetingInput, FieldErrors> {
        let (roster, goals_in_scope) = (choices.roster, choices.goals);
        let mut e = FieldErrors::new();
        let org_id = e.check(
            "org_id",
            self.org_id
                .trim()
                .parse::<i64>()
                .map_err(|_| "请选择党组织".to_string()),
        );
        let kind = e.check(
            "kind",
            MeetingKind::from_code(self.kind.trim()).ok_or_else(|| "请选择会议类型".to_string()),
        );
        let date = e.check("date", parse_date("会议日期", &self.date));
        if date.is_some_and(|d| d > today) {
            e.add("date", "会议日期不能晚于今天；会议召开后再记录");
        }
        let topic = e.check("topic", required("会议主题", &self.topic, TOPIC_MAX));
        let content = e.check(
            "content",
            optional_multiline("会议内容", &self.content, CONTENT_MAX),
        );
        let decisions = e.check(
            "decisions",
            optional_multiline("会议决定", &self.decisions, DECISIONS_MAX),
        );
        let roster: HashSet<i64> = roster.iter().copied().collect();

        let attendees = parse_ids(&self.attendees);
        match &attendees {
            None => e.add("attendees", "参会人员选择有误，请重新选择"),
            Some(a) if a.iter().any(|id| !roster.contains(id)) => {
                e.add("attendees", "参会人员中有不属于本组织的人员")
            }
            Some(a) if a.is_empty() => e.add("attendees", "请至少选择一名参会人员"),
            Some(a) => match kind {
                Some(k) if a.len() < k.min_attendees() => e.add(
                    "attendees",
                    format!("{}应至少有 {} 名参与人员", k.label(), k.min_attendees()),
                ),
                _ => {}
            },
        }

        let absentees = self.absentees(&mut e, &roster);
        if let (Some(a), Some(b)) = (&attendees, &absentees) {
            if b.iter().any(|(id, _)| a.contains(id)) {
                e.add("absentees", "同一人员不能既列为参会又列为缺席");
            }
        }

        let goals = parse_ids(&self.goals);
        match &goals {
            None => e.add("goals", "业务目标选择有误，请重新选择"),
            Some(g) if g.iter().any(|id| !goals_in_scope.contains(id)) => e.add(
                "goals",
                "所选业务目标不在本组织的计划中，请从本组织计划的目标中选择",
            ),
            _ => {}
        }

        let items = parse_ids(&self.items);
        match &items {
            None => e.add("items", "党建工作项选择有误，请重新选择"),
            Some(i) if i.iter().any(|id| !choices.items.contains(id)) => e.add(
                "items",
                "所选党建工作项不在本组织及上级组织当年的计划中，请从列出的工作项中选择",
            ),
            _ => {}
        }
        let starts_at = match self.starts_at.trim() {
            "" => Some(None),
            t => e.check("starts_at", parse_time("会议时间", t)).map(Some),
        };
        let place = e.check("place", optional("会议地点", &self.place, PLACE_MAX));
        let guests = e.check("guests", optional("列席人员", &self.guests, GUESTS_MAX));
        let mut person = |field: &str, label: &str, typed: &str| -> Option<Option<i64>> {
            let typed = typed.trim();
            if typed.is_empty() {
                return Some(None);
            }
            let Ok(id) = typed.parse::<i64>() else {
                e.add(field, format!("请从本组织党员中选择{label}"));
                return None;
            };
            if !roster.contains(&id) {
                e.add(field, format!("{label}应为本组织的党员"));
                return None;
            }
            if attendees.as_ref().is_some_and(|a| !a.contains(&id)) {
                e.add(field, format!("{label}应在参会人员中，请勾选其到会"));
                return None;
            }
            Some(Some(id))
        };
        let chair = person("chair_member_id", "主持人", &self.chair_member_id);
        let recorder = person("recorder_member_id", "记录人", &self.recorder_member_id);

        e.into_result()?;
        Ok(MeetingInput {
            starts_at: starts_at.flatten(),
            place: place.flatten(),
            chair: chair.flatten(),
            recorder: recorder.flatten(),
            guests: guests.flatten(),
            items: items.expect("checked"),
            org_id: org_id.expect("checked"),
            kind: kind.expect("checked"),
            date: date.expect("checked"),
            topic: topic.expect("checked"),
            content: content.flatten(),
            decisions: decisions.flatten(),
            attendees: attendees.expect("checked"),
            absentees: absentees.expect("checked"),
            goals: goals.expect("checked"),
        })
    }

    /// Absentee rows; fully blank rows are skipped (forms send empty spare rows).
    fn absentees(&self, e: &mut FieldErrors, roster: &HashSet<i64>) -> Option<Vec<(i64, String)>> {
        let mut out: Vec<(i64, String)> = Vec::new();
        let mut problems = Vec::new();
        for row in &self.absentees {
            let (id, reason) = (row.member_id.trim(), row.reason.trim());
            if id.is_empty() && reason.is_empty() {
                continue;
            }
            let Ok(id) = id.parse::<i64>() else {
                problems.push("请选择缺席人员".to_string());
                continue;
            };
            if !roster.contains(&id) {
                problems.push("缺席人员中有不属于本组织的人员".to_string());
            }
            if out.iter().any(|(o, _)| *o == id) {
                problems.push("同一缺席人员不能重复填写".to_string());
            }
            match optional("缺席原因", reason, REASON_MAX) {
                Ok(Some(r)) => out.push((id, r)),
                Ok(None) => problems.push("请填写每位缺席人员的缺席原因".to_string()),
                Err(m) => problems.push(m),
            }
        }
        problems.dedup();
        for p in &problems {
            e.add("absentees", p.clone());
        }
        problems.is_empty().then_some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Date {
        Date::from_ymd_opt(y, m, day).unwrap()
    }

    fn valid() -> MeetingForm {
        MeetingForm {
            org_id: "4".into(),
            kind: "general_assembly".into(),
            date: "2026-03-20".into(),
            topic: "学习贯彻全会精神，研究一季度教学质量提升".into(),
            content: "一、传达学习\r\n二、研究部署".into(),
            attendees: vec!["1".into(), "2".into(), "2".into(), " 3 ".into()],
            absentees: vec![
                AbsenteeForm {
                    member_id: "4".into(),
                    reason: "出差".into(),
                },
                AbsenteeForm::default(),
            ],
            goals: vec!["10".into()],
            ..Default::default()
        }
    }

    const ROSTER: [i64; 5] = [1, 2, 3, 4, 5];

    fn check(f: &MeetingForm) -> Result<MeetingInput, FieldErrors> {
        f.validate(d(2026, 3, 31), &ROSTER, &[10, 11])
    }

    #[test]
    fn a_valid_record() {
        let m = check(&valid()).unwrap();
        assert_eq!(m.kind, MeetingKind::GeneralAssembly);
        assert_eq!(m.attendees, vec![1, 2, 3], "duplicates dropped");
        assert_eq!(m.absentees, vec![(4, "出差".to_string())]);
        assert_eq!(m.content.as_deref(), Some("一、传达学习\n二、研究部署"));
        assert_eq!(m.decisions, None);
        assert_eq!(m.goals, vec![10]);
        assert!(m.quorum(5).met);
        assert!(!m.quorum(6).met);
    }

    #[test]
    fn time_place_chair_recorder_guests_and_items() {
        let choices = MeetingChoices {
            roster: &ROSTER,
            goals: &[10, 11],
            items: &[20, 21],
        };
        let mut f = valid();
        f.starts_at = "14：30".into();
        f.place = " 三楼党员活动室 ".into();
        f.chair_member_id = "1".into();
        f.recorder_member_id = "2".into();
        f.guests = "院长 王建国".into();
        f.items = vec!["20".into()];
        let m = f.validate_in(d(2026, 3, 31), &choices).unwrap();
        assert_eq!(m.starts_at.as_deref(), Some("14:30"));
        assert_eq!(m.place.as_deref(), Some("三楼党员活动室"));
        assert_eq!((m.chair, m.recorder), (Some(1), Some(2)));
        assert_eq!(m.guests.as_deref(), Some("院长 王建国"));
        assert_eq!(m.items, vec![20]);

        // The chair must be a member who attended; the recorder one of the organization;
        // an item outside the plans, a time of 25:00: each named at its field.
        f.chair_member_id = "4".into(); // listed absent
        f.recorder_member_id = "99".into();
        f.items = vec!["30".into()];
        f.starts_at = "25:00".into();
        let e = f.validate_in(d(2026, 3, 31), &choices).unwrap_err();
        assert!(
            e.get("chair_member_id").unwrap().contains("参会人员"),
            "{e:?}"
        );
        assert!(
            e.get("recorder_member_id").unwrap().contains("本组织"),
            "{e:?}"
        );
        assert!(
            e.get("items").is_some() && e.get("starts_at").is_some(),
            "{e:?}"
        );
        // Without the items in scope (the older entry point), none may be named.
        let mut f = valid();
        f.items = vec!["20".into()];
        assert!(check(&f).unwrap_err().get("items").is_some());
    }

    #[test]
    fn times_are_read_leniently_and_bounded() {
        assert_eq!(parse_time("时间", "9:05").as_deref(), Ok("09:05"));
        assert_eq!(parse_time("时间", " 23:59 ").as_deref(), Ok("23:59"));
        for bad in ["24:00", "9", "9:5", "下午三点", "12:60", "-1:00"] {
            assert!(parse_time("时间", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn every_bad_field_is_reported() {
        let f = MeetingForm {
            org_id: "x".into(),
            kind: "party".into(),
            date: "2026-04-01".into(),
            topic: " ".into(),
            content: "a\u{0}".into(),
            attendees: vec![],
            goals: vec!["99".into()],
            ..valid()
        };
        let e = check(&f).unwrap_err();
        for field in [
            "org_id",
            "kind",
            "date",
            "topic",
            "content",
            "attendees",
            "goals",
        ] {
            assert!(e.get(field).is_some(), "{field}: {e:?}");
        }
        assert_eq!(
            e.get("date"),
            Some("会议日期不能晚于今天；会议召开后再记录")
        );
        assert_eq!(e.get("attendees"), Some("请至少选择一名参会人员"));
    }

    #[test]
    fn people_must_be_on_the_roster_and_not_both_present_and_absent() {
        let f = MeetingForm {
            attendees: vec!["1".into(), "9".into()],
            ..valid()
        };
        assert_eq!(
            check(&f).unwrap_err().get("attendees"),
            Some("参会人员中有不属于本组织的人员")
        );
        let f = MeetingForm {
            attendees: vec!["1".into(), "abc".into()],
            ..valid()
        };
        assert!(check(&f).unwrap_err().get("attendees").is_some());
        let f = MeetingForm {
            absentees: vec![AbsenteeForm {
                member_id: "1".into(),
                reason: "病假".into(),
            }],
            ..valid()
        };
        assert_eq!(
            check(&f).unwrap_err().get("absentees"),
            Some("同一人员不能既列为参会又列为缺席")
        );
        let f = MeetingForm {
            absentees: vec![AbsenteeForm {
                member_id: "8".into(),
                reason: "病假".into(),
            }],
            ..valid()
        };
        assert_eq!(
            check(&f).unwrap_err().get("absentees"),
            Some("缺席人员中有不属于本组织的人员")
        );
    }

    #[test]
    fn absentee_rows_need_a_person_and_a_reason() {
        let row = |id: &str, reason: &str| AbsenteeForm {
            member_id: id.into(),
            reason: reason.into(),
        };
        let msg = |rows: Vec<AbsenteeForm>| {
            let f = MeetingForm {
                absentees: rows,
                ..valid()
            };
            check(&f).unwrap_err().get("absentees").map(str::to_string)
        };
        assert_eq!(
            msg(vec![row("4", " ")]).as_deref(),
            Some("请填写每位缺席人员的缺席原因")
        );
        assert_eq!(
            msg(vec![row("", "病假")]).as_deref(),
            Some("请选择缺席人员")
        );
        assert_eq!(
            msg(vec![row("4", "病假"), row("4", "出差")]).as_deref(),
            Some("同一缺席人员不能重复填写")
        );
        assert!(msg(vec![row("4", &"长".repeat(61))])
            .unwrap()
            .contains("缺席原因"));
    }

    #[test]
    fn heart_talk_needs_two_people() {
        let f = MeetingForm {
            kind: "heart_talk".into(),
            attendees: vec!["1".into()],
            absentees: vec![],
            ..valid()
        };
        assert_eq!(
            check(&f).unwrap_err().get("attendees"),
            Some("谈心谈话应至少有 2 名参与人员")
        );
        let ok = MeetingForm {
            attendees: vec!["1".into(), "2".into()],
            ..f
        };
        assert!(check(&ok).is_ok());
    }
}
