//! The compliance report: what the engine says about each rule and window, and the view of
//! it the 待办 page needs.

use super::window::Window;
use crate::meeting::MeetingKind;
use crate::Date;
use serde::Serialize;

/// What the rules need to know about the organization.
///
/// The rule table is the 党支部's; callers evaluate branches (a 党委 or 党总支 has other rules).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct OrgProfile {
    /// A 支部委员会 is set up (≥ 7 full members); otherwise only a 书记.
    pub has_committee: bool,
    /// The branch is divided into 党小组.
    pub has_groups: bool,
}

impl OrgProfile {
    /// The profile of a branch with `full_members` 正式党员 (its 党小组's included),
    /// `committee_seats` seats on its committee and `groups` 党小组 under it: whether it has a
    /// committee is [`committee_constituted`](crate::org::formation::committee_constituted), as
    /// in the formation rules.
    pub fn from_counts(full_members: i64, committee_seats: i64, groups: i64) -> Self {
        let full = u32::try_from(full_members.max(0)).unwrap_or(u32::MAX);
        let seats = usize::try_from(committee_seats.max(0)).unwrap_or(usize::MAX);
        OrgProfile {
            has_committee: crate::org::formation::committee_constituted(full, seats),
            has_groups: groups > 0,
        }
    }
}

/// One meeting as the engine sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct MeetingFact {
    /// The meeting record's id, so the report can link to it.
    pub id: i64,
    pub kind: MeetingKind,
    pub date: Date,
    /// `Some(false)` when the kind needs a quorum and it was not reached: such a meeting
    /// could not take decisions and does not count. `None` when no quorum applies.
    pub quorum_met: Option<bool>,
}

/// The state of one window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Status {
    /// Enough meetings were held.
    Met,
    /// Not met yet, and the window's deadline has not passed.
    Upcoming { due: Date },
    /// The deadline passed without enough meetings (缺项).
    Overdue { due: Date },
}

impl Status {
    pub fn code(self) -> &'static str {
        match self {
            Self::Met => "met",
            Self::Upcoming { .. } => "upcoming",
            Self::Overdue { .. } => "overdue",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Met => "已完成",
            Self::Upcoming { .. } => "待完成",
            Self::Overdue { .. } => "已逾期",
        }
    }

    /// The deadline of a window still owing meetings.
    pub fn due(self) -> Option<Date> {
        match self {
            Self::Met => None,
            Self::Upcoming { due } | Self::Overdue { due } => Some(due),
        }
    }
}

/// One rule in one window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WindowStatus {
    /// Index of the rule in the table evaluated.
    pub rule: usize,
    pub kind: MeetingKind,
    pub window: Window,
    pub expected: u32,
    /// Ids of the meetings that counted, by date.
    pub counted: Vec<i64>,
    /// Ids of meetings held without a quorum, which do not count.
    pub not_counted: Vec<i64>,
    pub status: Status,
    pub citation: &'static str,
    pub explanation: String,
}

/// A rule that does not apply to this organization, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkippedRule {
    pub rule: usize,
    pub kind: MeetingKind,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ComplianceReport {
    pub from: Date,
    pub to: Date,
    pub today: Date,
    /// Per applicable rule (table order), its windows in date order.
    pub windows: Vec<WindowStatus>,
    pub skipped: Vec<SkippedRule>,
    pub met: u32,
    /// Windows past their deadline and not met (缺项).
    pub overdue: u32,
    pub upcoming: u32,
    pub summary: String,
}

/// How many windows of a range are met, overdue and upcoming ([`super::evaluate::tally`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Tally {
    pub met: u32,
    pub overdue: u32,
    pub upcoming: u32,
}

/// One kind of organizational life a branch is behind on: how many windows are overdue and
/// the earliest of them, for a committee deciding where to help.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OverdueKind {
    pub kind: MeetingKind,
    pub windows: u32,
    /// The label of the earliest overdue window ("2026年3月", "2026年第一季度").
    pub since: String,
}

impl OverdueKind {
    /// "支委会 3 期（自 2026年3月起）".
    pub fn sentence(&self) -> String {
        if self.windows == 1 {
            format!("{}（{}）", self.kind.label(), self.since)
        } else {
            format!(
                "{} {} 期（自 {} 起）",
                self.kind.label(),
                self.windows,
                self.since
            )
        }
    }
}

/// The kinds a report shows overdue, in the order of the rule table.
pub fn overdue_kinds(report: &ComplianceReport) -> Vec<OverdueKind> {
    let mut out: Vec<OverdueKind> = Vec::new();
    for w in report
        .windows
        .iter()
        .filter(|w| matches!(w.status, Status::Overdue { .. }))
    {
        match out.iter_mut().find(|o| o.kind == w.kind) {
            Some(o) => o.windows += 1,
            None => out.push(OverdueKind {
                kind: w.kind,
                windows: 1,
                since: w.window.label.clone(),
            }),
        }
    }
    out
}

/// For the 待办 page: windows still owing meetings whose deadline is at most `days` after
/// `today`, overdue ones included (they still need attention), earliest deadline first.
pub fn due_soon(report: &ComplianceReport, today: Date, days: u32) -> Vec<&WindowStatus> {
    let horizon = today
        .checked_add_days(chrono::Days::new(u64::from(days)))
        .unwrap_or(Date::MAX);
    let mut v: Vec<&WindowStatus> = report
        .windows
        .iter()
        .filter(|w| w.status.due().is_some_and(|due| due <= horizon))
        .collect();
    v.sort_by_key(|w| (w.status.due(), w.kind));
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_committee_needs_seven_full_members_and_three_seats_and_groups_need_one() {
        assert!(!OrgProfile::from_counts(20, 2, 0).has_committee);
        assert!(OrgProfile::from_counts(7, 3, 0).has_committee);
        // Five full members and three seats: a 书记 and 副书记, no committee, no 支委会 due.
        assert!(!OrgProfile::from_counts(5, 3, 0).has_committee);
        assert!(!OrgProfile::from_counts(6, 5, 0).has_committee);
        assert!(!OrgProfile::from_counts(20, 5, 0).has_groups);
        assert!(OrgProfile::from_counts(0, 0, 1).has_groups);
    }
}

/// A report's windows tallied by kind of meeting, in the order the kinds first appear: one
/// cell per kind of a committee's heat map (organization × kind).
pub fn tally_by_kind(report: &ComplianceReport) -> Vec<(MeetingKind, Tally)> {
    let mut out: Vec<(MeetingKind, Tally)> = Vec::new();
    for w in &report.windows {
        let i = match out.iter().position(|(k, _)| *k == w.kind) {
            Some(i) => i,
            None => {
                out.push((w.kind, Tally::default()));
                out.len() - 1
            }
        };
        let t = &mut out[i].1;
        match w.status {
            Status::Met => t.met += 1,
            Status::Overdue { .. } => t.overdue += 1,
            Status::Upcoming { .. } => t.upcoming += 1,
        }
    }
    out
}

#[cfg(test)]
mod by_kind_tests {
    use super::*;
    use crate::compliance::{default_rules, evaluate};
    use crate::meeting::MeetingKind;

    #[test]
    fn the_tallies_by_kind_add_up_to_the_report() {
        let from: Date = "2026-01-01".parse().unwrap();
        let to: Date = "2026-12-31".parse().unwrap();
        let today: Date = "2026-07-15".parse().unwrap();
        let profile = crate::compliance::OrgProfile::from_counts(12, 3, 1);
        let r = evaluate(&default_rules(), &profile, &[], from, to, today);
        let by = tally_by_kind(&r);
        let sum = by.iter().fold(Tally::default(), |a, (_, t)| Tally {
            met: a.met + t.met,
            overdue: a.overdue + t.overdue,
            upcoming: a.upcoming + t.upcoming,
        });
        assert_eq!(
            (sum.met, sum.overdue, sum.upcoming),
            (r.met, r.overdue, r.upcoming)
        );
        assert!(by
            .iter()
            .any(|(k, t)| *k == MeetingKind::GeneralAssembly && t.overdue > 0));
    }
}
