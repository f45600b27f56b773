//! Organizational life (组织生活): meeting records with their attendees, absentees and the
//! business goals they served, and the plain facts the compliance engine of core reads.
//!
//! A record is entered once: compliance counts it ([`Store::meeting_facts`]) and the goals it
//! served count it for task unity (table `meeting_goals`).
//!
//! Reads that show people take the caller's member scope and match whole subtrees only: a
//! member who sees just their own branch page does not see who attended what.

use crate::error::{StoreError, StoreResult};
use crate::q::Q;
use crate::{audit, now_ms, Actor, MemberRow, Org, Store};
use chrono::Datelike;
use ronghe_core::compliance::{ComplianceConfig, MeetingFact, OrgProfile};
use ronghe_core::meeting::{has_vote, kind_quorum, MeetingInput, MeetingKind, Quorum};
use ronghe_core::member::PartyStatus;
use ronghe_core::org::OrgKind;
use ronghe_core::scope::{path_ids, subtree_range, Scope};
use ronghe_core::text::FieldErrors;
use ronghe_core::Date;
use serde::Serialize;
use sqlx::{AnyConnection, FromRow};
use std::collections::{HashMap, HashSet};

mod details;
mod edit;
mod record;

use record::{insert_people_and_goals, Checked};

pub use details::ItemChoice;

/// A branch's 正式党员 (its 党小组's included), committee seats and 党小组, the inputs of
/// [`OrgProfile::from_counts`].
pub(crate) const PROFILE_COUNTS: &str =
    "SELECT (SELECT CAST(COALESCE(SUM(full_count), 0) AS BIGINT) FROM orgs \
     WHERE id = $1 OR (parent_id = $1 AND kind = 'group')), \
     (SELECT COUNT(*) FROM committee_seats WHERE org_id = $1), \
     (SELECT COUNT(*) FROM orgs WHERE parent_id = $1 AND kind = 'group')";

/// The setting (table `settings`) that switches the 党课 rule to once a quarter.
pub const LECTURE_QUARTERLY_SETTING: &str = "compliance_lecture_quarterly";

/// The kinds of organizational life an organization of `kind` records here. A 党小组 records
/// its own 党小组会; a 党委's meetings are not organizational life of a 党支部.
pub fn meeting_kinds_for(kind: OrgKind) -> Vec<MeetingKind> {
    match kind {
        OrgKind::Branch => MeetingKind::ALL.to_vec(),
        OrgKind::GeneralBranch => MeetingKind::ALL
            .into_iter()
            .filter(|k| *k != MeetingKind::GroupMeeting)
            .collect(),
        OrgKind::Group => vec![MeetingKind::GroupMeeting],
        OrgKind::Committee => Vec::new(),
    }
}

/// One line of a meeting list.
#[derive(Debug, Clone, Serialize, FromRow)]
pub struct MeetingRow {
    pub id: i64,
    pub org_id: i64,
    pub org_name: String,
    pub kind: String,
    pub held_on: String,
    pub topic: String,
    pub entitled: i64,
    pub present: i64,
    /// 1 met, 0 not met, NULL for kinds without a quorum rule.
    pub quorum_met: Option<i64>,
    pub goal_count: i64,
}

impl MeetingRow {
    pub fn kind_label(&self) -> &'static str {
        MeetingKind::from_code(&self.kind).map_or("其他", MeetingKind::label)
    }
    pub fn quorum_code(&self) -> &'static str {
        match self.quorum_met {
            Some(0) => "not_met",
            Some(_) => "met",
            None => "none",
        }
    }
    pub fn quorum_label(&self) -> &'static str {
        match self.quorum_met {
            Some(0) => "未超过半数，无效",
            Some(_) => "有效",
            None => "",
        }
    }
}

/// A business goal a meeting may serve or served, with whose plan it is in.
#[derive(Debug, Clone, Serialize, FromRow)]
pub struct GoalChoice {
    pub id: i64,
    pub plan_id: i64,
    pub title: String,
    pub org_name: String,
    pub year: i64,
    pub is_key: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Attendee {
    pub member_id: i64,
    pub name: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Absentee {
    pub member_id: i64,
    pub name: String,
    pub reason: String,
}

/// A meeting record as shown.
#[derive(Debug, Clone, Serialize)]
pub struct MeetingDetail {
    pub id: i64,
    pub org_id: i64,
    pub org_name: String,
    #[serde(skip)]
    pub org_path: String,
    pub kind: String,
    pub kind_label: &'static str,
    pub held_on: String,
    pub topic: String,
    pub content: Option<String>,
    pub decisions: Option<String>,
    /// Those entitled to attend (for a 支委会: the committee seats).
    pub entitled: i64,
    /// Those present who count for the quorum (for a 支委会: committee members present).
    pub present: i64,
    pub quorum_met: Option<bool>,
    /// The quorum check with its explanation, for kinds that need one.
    pub quorum: Option<Quorum>,
    pub attendees: Vec<Attendee>,
    pub absentees: Vec<Absentee>,
    pub goals: Vec<GoalChoice>,
    /// 时间 ("14:30"), 地点, 主持人, 记录人 and 列席 guests, where recorded.
    pub starts_at: Option<String>,
    pub place: Option<String>,
    pub chair: Option<Attendee>,
    pub recorder: Option<Attendee>,
    pub guests: Option<String>,
    /// Party work items the meeting carried out.
    pub items: Vec<ItemChoice>,
    /// Who entered the record (their name where the account belongs to a member).
    pub created_by: String,
    pub created_at: i64,
}

impl MeetingDetail {
    pub fn kind(&self) -> Option<MeetingKind> {
        MeetingKind::from_code(&self.kind)
    }
    /// People recorded as attending beyond those counted (列席, e.g. at a 支委会).
    pub fn observers(&self) -> i64 {
        (self.attendees.len() as i64 - self.present).max(0)
    }
}

#[derive(FromRow)]
struct RawMeeting {
    id: i64,
    org_id: i64,
    org_name: String,
    org_path: String,
    kind: String,
    held_on: String,
    topic: String,
    content: Option<String>,
    decisions: Option<String>,
    entitled: i64,
    present: i64,
    quorum_met: Option<i64>,
    starts_at: Option<String>,
    place: Option<String>,
    chair_member_id: Option<i64>,
    recorder_member_id: Option<i64>,
    guests: Option<String>,
    created_by: String,
    created_at: i64,
}

/// The columns of a [`MeetingRow`], after "SELECT ".
const MEETING_ROW_COLS: &str = "m.id, m.org_id, o.name AS org_name, m.kind, m.held_on, m.topic, \
    m.entitled, m.present, m.quorum_met, \
    (SELECT COUNT(*) FROM meeting_goals mg WHERE mg.meeting_id = m.id) AS goal_count";

/// One meeting in a member's own history: attended, or absent with the reason given.
#[derive(Debug, Clone, Serialize, FromRow)]
pub struct Attendance {
    pub meeting_id: i64,
    pub kind: String,
    pub held_on: String,
    pub topic: String,
    pub org_name: String,
    /// 1 attended, 0 absent.
    pub present: i64,
    pub reason: Option<String>,
}

impl Attendance {
    pub fn kind_label(&self) -> &'static str {
        MeetingKind::from_code(&self.kind).map_or("其他", MeetingKind::label)
    }
}

fn to_u32(n: i64) -> u32 {
    u32::try_from(n.max(0)).unwrap_or(u32::MAX)
}

/// `m.org_id` is the organization or one of its 党小组: a branch's 党小组会 may be recorded
/// under the group.
/// `m.org_id IN (the org and its 党小组)`, with the ids looked up first: a subquery with an OR
/// inside the IN made SQLite scan every meeting of the province (about a second per page).
async fn org_and_groups(store: &Store, q: &mut Q, org_id: i64) -> StoreResult<()> {
    let groups: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM orgs WHERE parent_id = $1 AND kind = 'group'")
            .bind(org_id)
            .fetch_all(&store.pool)
            .await?;
    let ids = std::iter::once(org_id)
        .chain(groups)
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(",");
    q.push(&format!("m.org_id IN ({ids})"));
    Ok(())
}

impl Store {
    /// Whether `scope` sees the members of organization `org_id` (the scope that reads
    /// meeting records). NotFound otherwise, exactly as if it did not exist.
    async fn meeting_org_visible(&self, scope: &Scope, org_id: i64) -> StoreResult<()> {
        let mut q = Q::new("SELECT COUNT(*) FROM orgs o WHERE o.id = ");
        q.bind(org_id)
            .push(" AND ")
            .org_scope(scope, "o.path", false);
        let n: i64 = q.scalar().fetch_one(&self.pool).await?;
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// Whether a meeting exists at all, regardless of scope: only to tell a denied access
    /// (written to the audit log) from a mistyped address. Never shown to the user.
    pub async fn meeting_exists(&self, id: i64) -> StoreResult<bool> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM meetings WHERE id = $1")
            .bind(id)
            .fetch_one(&self.pool)
            .await?;
        Ok(n > 0)
    }

    /// Active party members (正式 and 预备) of `org` and its 党小组, visible to `scope`: who
    /// may be recorded as attending or absent.
    pub async fn meeting_roster(&self, scope: &Scope, org: &Org) -> StoreResult<Vec<MemberRow>> {
        let (lo, hi) = subtree_range(&org.path);
        let mut q = Q::new(
            "SELECT m.id, m.org_id, o.name AS org_name, m.name, m.gender, m.status, m.department, \
             m.post, m.active FROM members m JOIN orgs o ON o.id = m.org_id WHERE o.path >= ",
        );
        q.bind(lo)
            .push(" AND o.path < ")
            .bind(hi)
            .push(" AND m.active = 1 AND m.status IN ('full', 'probationary') AND ")
            .member_scope(scope, "o.path", "m.id");
        q.push(" ORDER BY m.name, m.id LIMIT 2000");
        Ok(q.query_as::<MemberRow>().fetch_all(&self.pool).await?)
    }

    /// Those entitled to attend a meeting of `kind` of `org`: the committee seats for a
    /// 支委会, the members with a vote for a 党员大会 ([`has_vote`]), otherwise the active party
    /// members of the organization including its 党小组.
    pub async fn meeting_entitled(&self, org: &Org, kind: MeetingKind) -> StoreResult<u32> {
        match kind {
            MeetingKind::CommitteeMeeting => Ok(to_u32(self.committee(org.id).await?.len() as i64)),
            MeetingKind::GeneralAssembly => Ok(to_u32(self.voters(org).await?.len() as i64)),
            _ => {
                let c = self.org_subtree_counts(org).await?;
                Ok(to_u32(c.full + c.probationary))
            }
        }
    }

    /// The meetings `member_id` was recorded at (attending or absent) held in [`from`, `to`],
    /// newest first. The caller has checked that the reader may see this member.
    pub async fn member_attendance(
        &self,
        member_id: i64,
        from: Date,
        to: Date,
    ) -> StoreResult<Vec<Attendance>> {
        Ok(sqlx::query_as::<_, Attendance>(
            "SELECT m.id AS meeting_id, m.kind, m.held_on, m.topic, o.name AS org_name, \
             mp.present, mp.reason FROM meeting_people mp JOIN meetings m ON m.id = mp.meeting_id \
             JOIN orgs o ON o.id = m.org_id WHERE mp.member_id = $1 AND m.held_on >= $2 \
             AND m.held_on <= $3 ORDER BY m.held_on DESC, m.id DESC LIMIT 500",
        )
        .bind(member_id)
        .bind(from.to_string())
        .bind(to.to_string())
        .fetch_all(&self.pool)
        .await?)
    }

    /// The active members of `org` and its 党小组 who vote at its 党员大会 ([`has_vote`]).
    pub async fn voters(&self, org: &Org) -> StoreResult<HashSet<i64>> {
        let (lo, hi) = subtree_range(&org.path);
        let rows: Vec<(i64, String, i64)> = sqlx::query_as(
            "SELECT m.id, m.status, m.rights_suspended FROM members m JOIN orgs o \
             ON o.id = m.org_id WHERE o.path >= $1 AND o.path < $2 AND m.active = 1 \
             AND m.status = 'full'",
        )
        .bind(lo)
        .bind(hi)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .filter(|(_, status, suspended)| {
                PartyStatus::from_code(status).is_some_and(|s| has_vote(s, *suspended != 0))
            })
            .map(|(id, _, _)| id)
            .collect())
    }

    /// What the compliance rules need to know about `org` (a 党支部).
    pub async fn org_profile(&self, org: &Org) -> StoreResult<OrgProfile> {
        let (full, seats, groups) = sqlx::query_as::<_, (i64, i64, i64)>(PROFILE_COUNTS)
            .bind(org.id)
            .fetch_one(&self.pool)
            .await?;
        Ok(OrgProfile::from_counts(full, seats, groups))
    }

    /// The deployment's choices for the compliance rules (table `settings`).
    pub async fn compliance_config(&self) -> StoreResult<ComplianceConfig> {
        if let Some(c) = self.compliance_cache.get() {
            return Ok(c);
        }
        let v: Option<String> = sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
            .bind(LECTURE_QUARTERLY_SETTING)
            .fetch_optional(&self.pool)
            .await?;
        let on = v.is_some_and(|v| {
            matches!(
                v.trim().to_ascii_lowercase().as_str(),
                "1" | "true" | "yes" | "on"
            )
        });
        let c = ComplianceConfig {
            lecture_quarterly: on,
            ..ComplianceConfig::default()
        };
        self.compliance_cache.put(c);
        Ok(c)
    }

    /// Stores the deployment's choices for the compliance rules, audited.
    pub async fn set_compliance_config(
        &self,
        actor: &Actor,
        c: &ComplianceConfig,
    ) -> StoreResult<()> {
        let value = if c.lecture_quarterly { "true" } else { "false" };
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM settings WHERE key = $1")
            .bind(LECTURE_QUARTERLY_SETTING)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO settings (key, value) VALUES ($1, $2)")
            .bind(LECTURE_QUARTERLY_SETTING)
            .bind(value)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        self.compliance_cache.clear();
        let what = format!("{LECTURE_QUARTERLY_SETTING}={value}");
        self.audit_event(actor, "settings", "compliance", "ok", &what)
            .await;
        Ok(())
    }

    /// One meeting record, if `scope` sees the members of its organization; otherwise
    /// NotFound, exactly as if it did not exist.
    pub async fn meeting_get(&self, scope: &Scope, id: i64) -> StoreResult<MeetingDetail> {
        let mut q = Q::new(
            "SELECT m.id, m.org_id, o.name AS org_name, o.path AS org_path, m.kind, m.held_on, \
             m.topic, m.content, m.decisions, m.entitled, m.present, m.quorum_met, \
             m.starts_at, m.place, m.chair_member_id, m.recorder_member_id, m.guests, \
             COALESCE((SELECT COALESCE(mb.name, a.display_name) FROM accounts a \
             LEFT JOIN members mb ON mb.id = a.member_id WHERE a.username = m.created_by), \
             m.created_by) AS created_by, \
             m.created_at FROM meetings m JOIN orgs o ON o.id = m.org_id WHERE m.id = ",
        );
        q.bind(id).push(" AND ").org_scope(scope, "o.path", false);
        let raw = q
            .query_as::<RawMeeting>()
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        let people: Vec<(i64, String, i64, Option<String>)> = sqlx::query_as(
            "SELECT mp.member_id, mb.name, mp.present, mp.reason FROM meeting_people mp \
             JOIN members mb ON mb.id = mp.member_id WHERE mp.meeting_id = $1 \
             ORDER BY mb.name, mb.id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let goals = sqlx::query_as::<_, GoalChoice>(
            "SELECT g.id, g.plan_id, g.title, o.name AS org_name, p.year, g.is_key FROM meeting_goals mg \
             JOIN goals g ON g.id = mg.goal_id JOIN plans p ON p.id = g.plan_id \
             JOIN orgs o ON o.id = p.org_id WHERE mg.meeting_id = $1 ORDER BY g.id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let items = self.meeting_items(id).await?;
        let kind = MeetingKind::from_code(&raw.kind);
        let person = |id: Option<i64>| {
            let id = id?;
            people.iter().find(|p| p.0 == id).map(|p| Attendee {
                member_id: id,
                name: p.1.clone(),
            })
        };
        let (chair, recorder) = (person(raw.chair_member_id), person(raw.recorder_member_id));
        let mut attendees = Vec::new();
        let mut absentees = Vec::new();
        for (member_id, name, present, reason) in people {
            if present != 0 {
                attendees.push(Attendee { member_id, name });
            } else {
                absentees.push(Absentee {
                    member_id,
                    name,
                    reason: reason.unwrap_or_default(),
                });
            }
        }
        Ok(MeetingDetail {
            id: raw.id,
            org_id: raw.org_id,
            org_name: raw.org_name,
            org_path: raw.org_path,
            kind_label: kind.map_or("其他", MeetingKind::label),
            kind: raw.kind,
            held_on: raw.held_on,
            topic: raw.topic,
            content: raw.content,
            decisions: raw.decisions,
            entitled: raw.entitled,
            present: raw.present,
            quorum_met: raw.quorum_met.map(|q| q != 0),
            quorum: kind.filter(|k| k.needs_quorum()).map(|k| {
                let others = (attendees.len() as i64 - raw.present).max(0);
                kind_quorum(k, to_u32(raw.entitled), to_u32(raw.present), to_u32(others))
            }),
            attendees,
            absentees,
            goals,
            starts_at: raw.starts_at,
            place: raw.place,
            chair,
            recorder,
            guests: raw.guests,
            items,
            created_by: raw.created_by,
            created_at: raw.created_at,
        })
    }

    /// Meetings of `org_id` (and of its 党小组) held in [`from`, `to`], newest first.
    pub async fn meeting_list(
        &self,
        scope: &Scope,
        org_id: i64,
        from: Date,
        to: Date,
    ) -> StoreResult<Vec<MeetingRow>> {
        let mut q = self
            .meeting_query(scope, org_id, from, to, None)
            .await?
            .select(MEETING_ROW_COLS);
        q.push(" ORDER BY m.held_on DESC, m.id DESC LIMIT 1000");
        Ok(q.query_as::<MeetingRow>().fetch_all(&self.pool).await?)
    }

    /// One page of [`Store::meeting_list`], optionally of one kind, with the total: a branch
    /// with many records sees how many there are and pages through them all.
    #[allow(clippy::too_many_arguments)]
    pub async fn meeting_page(
        &self,
        scope: &Scope,
        org_id: i64,
        from: Date,
        to: Date,
        kind: Option<MeetingKind>,
        page: u32,
        per_page: u32,
    ) -> StoreResult<crate::Page<MeetingRow>> {
        let base = self.meeting_query(scope, org_id, from, to, kind).await?;
        self.fetch_page(
            base,
            MEETING_ROW_COLS,
            "m.held_on DESC, m.id DESC",
            page,
            per_page,
        )
        .await
    }

    /// " FROM … WHERE …" of the meetings of `org_id` and its 党小组 in the range.
    async fn meeting_query(
        &self,
        scope: &Scope,
        org_id: i64,
        from: Date,
        to: Date,
        kind: Option<MeetingKind>,
    ) -> StoreResult<Q> {
        self.meeting_org_visible(scope, org_id).await?;
        let mut q = Q::new(" FROM meetings m JOIN orgs o ON o.id = m.org_id WHERE ");
        org_and_groups(self, &mut q, org_id).await?;
        q.push(" AND m.held_on >= ")
            .bind(from.to_string())
            .push(" AND m.held_on <= ")
            .bind(to.to_string());
        if let Some(k) = kind {
            q.push(" AND m.kind = ").bind(k.code());
        }
        q.push(" AND ").org_scope(scope, "o.path", false);
        Ok(q)
    }

    /// The meetings of `org_id` (and of its 党小组) held in [`from`, `to`], as the compliance
    /// engine sees them. Unscoped, like [`Store::committee`]: callers first fetch the
    /// organization through the user's scope.
    pub async fn meeting_facts(
        &self,
        org_id: i64,
        from: Date,
        to: Date,
    ) -> StoreResult<Vec<MeetingFact>> {
        let mut q = Q::new("SELECT m.id, m.kind, m.held_on, m.quorum_met FROM meetings m WHERE ");
        org_and_groups(self, &mut q, org_id).await?;
        q.push(" AND m.held_on >= ")
            .bind(from.to_string())
            .push(" AND m.held_on <= ")
            .bind(to.to_string());
        let rows: Vec<(i64, String, String, Option<i64>)> =
            q.query_as().fetch_all(&self.pool).await?;
        Ok(rows
            .into_iter()
            .filter_map(|(id, kind, held_on, quorum_met)| {
                let fact = MeetingFact {
                    id,
                    kind: MeetingKind::from_code(&kind)?,
                    date: held_on.parse().ok()?,
                    quorum_met: quorum_met.map(|q| q != 0),
                };
                Some(fact)
            })
            .collect())
    }
}
