//! Recording a meeting: the checks against the organization, its roster and its plans (who
//! counts for the quorum, the goals and items it may serve), and the write.

use super::*;

/// A record that passed [`Store::meeting_check`], with what the write needs.
pub(super) struct Checked {
    pub(super) org: Org,
    pub(super) entitled: u32,
    pub(super) present: u32,
    pub(super) quorum: Quorum,
    /// 1 met, 0 not met, `None` for kinds without a quorum rule.
    pub(super) quorum_met: Option<i64>,
    /// Names of the people the record names, for the change history.
    pub(super) names: HashMap<i64, String>,
    /// Titles of the goals the record may serve, for the change history.
    pub(super) goal_titles: HashMap<i64, String>,
    /// Titles of the Party work items the record may carry out, for the change history.
    pub(super) item_titles: HashMap<i64, String>,
}

/// Writes who attended, who was absent and why, and the goals and items served.
pub(super) async fn insert_people_and_goals(
    conn: &mut AnyConnection,
    id: i64,
    m: &MeetingInput,
) -> StoreResult<()> {
    let people = m
        .attendees
        .iter()
        .map(|a| (*a, 1i64, None))
        .chain(m.absentees.iter().map(|(a, r)| (*a, 0i64, Some(r.clone()))));
    for (member_id, present, reason) in people {
        sqlx::query(
            "INSERT INTO meeting_people (meeting_id, member_id, present, reason) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(member_id)
        .bind(present)
        .bind(reason)
        .execute(&mut *conn)
        .await?;
    }
    for goal in &m.goals {
        sqlx::query("INSERT INTO meeting_goals (meeting_id, goal_id) VALUES ($1, $2)")
            .bind(id)
            .bind(*goal)
            .execute(&mut *conn)
            .await?;
    }
    for item in &m.items {
        sqlx::query("INSERT INTO meeting_items (meeting_id, item_id) VALUES ($1, $2)")
            .bind(id)
            .bind(*item)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

impl Store {
    /// Checks a record against the organization, its roster and its plans, and works out who
    /// counts for the quorum. `also_allowed` are people who may be named although no longer on
    /// the roster (those an edited record already names: they were members when it was held).
    pub(super) async fn meeting_check(
        &self,
        scope: &Scope,
        m: &MeetingInput,
        entitled: u32,
        also_allowed: &HashSet<i64>,
    ) -> StoreResult<Checked> {
        let org = self
            .org_get(scope, m.org_id)
            .await
            .ok()
            .filter(|o| scope.sees_members_of(&o.path))
            .ok_or_else(|| StoreError::field("org_id", "所选党组织不存在或不在您的管理范围内"))?;
        if !meeting_kinds_for(org.kind()).contains(&m.kind) {
            return Err(StoreError::field(
                "kind",
                format!("{}不在这里记录{}", org.kind_label(), m.kind.label()),
            ));
        }
        let roster = self.meeting_roster(scope, &org).await?;
        let mut names: HashMap<i64, String> =
            roster.iter().map(|r| (r.id, r.name.clone())).collect();
        let allowed = |id: &i64| names.contains_key(id) || also_allowed.contains(id);
        let mut e = FieldErrors::new();
        if m.attendees.iter().any(|id| !allowed(id)) {
            e.add("attendees", "参会人员中有不属于本组织的人员");
        }
        if m.absentees.iter().any(|(id, _)| !allowed(id)) {
            e.add("absentees", "缺席人员中有不属于本组织的人员");
        }
        if m.absentees.iter().any(|(id, _)| m.attendees.contains(id)) {
            e.add("absentees", "同一人员不能既列为参会又列为缺席");
        }
        let founded = org.founded_on.as_deref().and_then(|d| d.parse().ok());
        if let Err(msg) = ronghe_core::meeting::check_held_on(m.date, founded) {
            e.add("date", msg);
        }
        for (field, id, label) in [
            ("chair_member_id", m.chair, "主持人"),
            ("recorder_member_id", m.recorder, "记录人"),
        ] {
            if id.is_some_and(|id| !m.attendees.contains(&id) || !allowed(&id)) {
                e.add(
                    field,
                    format!("{label}应为本组织到会的党员，请从参会人员中选择"),
                );
            }
        }
        let goals = self.goals_for_org(scope, org.id, m.date.year()).await?;
        if m.goals.iter().any(|g| !goals.iter().any(|c| c.id == *g)) {
            e.add(
                "goals",
                "所选业务目标不在本组织及上级组织当年的计划中，请从列出的目标中选择",
            );
        }
        let items = self.items_for_org(scope, org.id, m.date.year()).await?;
        if m.items.iter().any(|i| !items.iter().any(|c| c.id == *i)) {
            e.add(
                "items",
                "所选党建工作项不在本组织及上级组织当年的计划中，请从列出的工作项中选择",
            );
        }
        e.into_result().map_err(StoreError::Invalid)?;

        // Who counts: committee members at a 支委会 (others attend without a vote, 列席),
        // members with a vote at a 党员大会 (probationary members and those under 留党察看
        // attend but do not count); everyone at the other kinds, which need no quorum.
        let counted: Option<HashSet<i64>> = match m.kind {
            MeetingKind::CommitteeMeeting => Some(
                self.committee(org.id)
                    .await?
                    .iter()
                    .map(|s| s.member_id)
                    .collect(),
            ),
            MeetingKind::GeneralAssembly => Some(self.voters(&org).await?),
            _ => None,
        };
        let present = match &counted {
            Some(ids) => m.attendees.iter().filter(|id| ids.contains(id)).count(),
            None => m.attendees.len(),
        };
        let present = to_u32(present as i64);
        let others = to_u32(m.attendees.len() as i64).saturating_sub(present);
        let quorum = kind_quorum(m.kind, entitled, present, others);
        let quorum_met = m.kind.needs_quorum().then_some(i64::from(quorum.met));
        names.retain(|id, _| m.attendees.contains(id) || m.absentees.iter().any(|a| a.0 == *id));
        Ok(Checked {
            org,
            entitled,
            present,
            quorum,
            quorum_met,
            names,
            goal_titles: goals.into_iter().map(|g| (g.id, g.title)).collect(),
            item_titles: items.into_iter().map(|i| (i.id, i.title)).collect(),
        })
    }

    /// Records a meeting. `scope` is the writer's member-editing scope; `entitled` comes from
    /// [`Store::meeting_entitled`]. Everyone named must be on the roster and every goal among
    /// [`Store::goals_for_org`]; otherwise nothing is saved.
    pub async fn meeting_create(
        &self,
        actor: &Actor,
        scope: &Scope,
        m: &MeetingInput,
        entitled: u32,
    ) -> StoreResult<i64> {
        let c = self
            .meeting_check(scope, m, entitled, &HashSet::new())
            .await?;
        let q = &c.quorum;
        let summary = if m.kind.needs_quorum() {
            format!(
                "记录{}「{}」（{}）：{}",
                m.kind.label(),
                m.topic,
                m.date,
                q.explanation
            )
        } else {
            format!(
                "记录{}「{}」（{}）：参加 {} 人，缺席 {} 人",
                m.kind.label(),
                m.topic,
                m.date,
                m.attendees.len(),
                m.absentees.len()
            )
        };

        let mut tx = self.pool.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO meetings (org_id, kind, held_on, topic, content, decisions, entitled, \
             present, quorum_met, created_by, created_at, starts_at, place, chair_member_id, \
             recorder_member_id, guests) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) \
             RETURNING id",
        )
        .bind(c.org.id)
        .bind(m.kind.code())
        .bind(m.date.to_string())
        .bind(&m.topic)
        .bind(m.content.clone())
        .bind(m.decisions.clone())
        .bind(i64::from(c.entitled))
        .bind(i64::from(c.present))
        .bind(c.quorum_met)
        .bind(&actor.username)
        .bind(now_ms())
        .bind(m.starts_at.clone())
        .bind(m.place.clone())
        .bind(m.chair)
        .bind(m.recorder)
        .bind(m.guests.clone())
        .fetch_one(&mut *tx)
        .await?;
        insert_people_and_goals(&mut tx, id, m).await?;
        audit::change(&mut tx, actor, "meeting", id, &summary).await?;
        tx.commit().await?;
        Ok(id)
    }
}
