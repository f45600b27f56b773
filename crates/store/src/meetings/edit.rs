//! Correcting and removing a meeting record. Both are allowed to those who may record meetings
//! of the organization (the member-editing scope), are checked like a new record, and write
//! in words what changed to the record's history and the audit log.

use super::*;

impl Store {
    /// A record the writer may change: visible, and its organization's members inside the
    /// writer's scope. NotFound otherwise, exactly as if it did not exist.
    pub async fn meeting_for_write(&self, scope: &Scope, id: i64) -> StoreResult<MeetingDetail> {
        let m = self.meeting_get(scope, id).await?;
        if !scope.sees_members_of(&m.org_path) {
            return Err(StoreError::NotFound);
        }
        Ok(m)
    }

    /// Who may be named on an edited record: the organization's roster now, and the people
    /// the record already names. The latter were members when the meeting was held and may
    /// since have moved or left; dropping them silently from a correction of the topic would
    /// rewrite history. Their names are already on the record the writer is looking at.
    pub async fn meeting_edit_roster(
        &self,
        scope: &Scope,
        org: &Org,
        meeting_id: i64,
    ) -> StoreResult<Vec<MemberRow>> {
        let mut roster = self.meeting_roster(scope, org).await?;
        let former = sqlx::query_as::<_, MemberRow>(
            "SELECT m.id, m.org_id, o.name AS org_name, m.name, m.gender, m.status, \
             m.department, m.post, m.active FROM meeting_people mp \
             JOIN members m ON m.id = mp.member_id JOIN orgs o ON o.id = m.org_id \
             WHERE mp.meeting_id = $1",
        )
        .bind(meeting_id)
        .fetch_all(&self.pool)
        .await?;
        let known: HashSet<i64> = roster.iter().map(|r| r.id).collect();
        let added = former.into_iter().filter(|f| !known.contains(&f.id));
        roster.extend(added);
        roster.sort_by(|a, b| (&a.name, a.id).cmp(&(&b.name, b.id)));
        Ok(roster)
    }

    /// Replaces a record with `m`, checked like a new one, in one transaction. The
    /// organization stays the record's own. The quorum is worked out again from the people now
    /// recorded; those entitled stay as recorded when the meeting was held unless the kind
    /// changes (then they are counted as for a new record of that kind). Returns the change
    /// history's sentence.
    pub async fn meeting_update(
        &self,
        actor: &Actor,
        scope: &Scope,
        id: i64,
        m: &MeetingInput,
    ) -> StoreResult<String> {
        let old = self.meeting_for_write(scope, id).await?;
        if m.org_id != old.org_id {
            return Err(StoreError::field(
                "org_id",
                "会议所属的党组织不能修改；如记错了组织，请删除本记录后在正确的组织下重新记录",
            ));
        }
        let org = self.org_get(scope, old.org_id).await?;
        let entitled = if old.kind == m.kind.code() {
            to_u32(old.entitled)
        } else {
            self.meeting_entitled(&org, m.kind).await?
        };
        let mut named: HashMap<i64, String> = old
            .attendees
            .iter()
            .map(|a| (a.member_id, a.name.clone()))
            .chain(old.absentees.iter().map(|a| (a.member_id, a.name.clone())))
            .collect();
        let former: HashSet<i64> = named.keys().copied().collect();
        let c = self.meeting_check(scope, m, entitled, &former).await?;
        named.extend(c.names.clone());
        let summary = describe_update(&old, m, &c, &named);

        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "UPDATE meetings SET kind = $1, held_on = $2, topic = $3, content = $4, \
             decisions = $5, entitled = $6, present = $7, quorum_met = $8, starts_at = $9, \
             place = $10, chair_member_id = $11, recorder_member_id = $12, guests = $13 \
             WHERE id = $14",
        )
        .bind(m.kind.code())
        .bind(m.date.to_string())
        .bind(&m.topic)
        .bind(m.content.clone())
        .bind(m.decisions.clone())
        .bind(i64::from(c.entitled))
        .bind(i64::from(c.present))
        .bind(c.quorum_met)
        .bind(m.starts_at.clone())
        .bind(m.place.clone())
        .bind(m.chair)
        .bind(m.recorder)
        .bind(m.guests.clone())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        for sql in [
            "DELETE FROM meeting_people WHERE meeting_id = $1",
            "DELETE FROM meeting_goals WHERE meeting_id = $1",
            "DELETE FROM meeting_items WHERE meeting_id = $1",
        ] {
            sqlx::query(sql).bind(id).execute(&mut *tx).await?;
        }
        insert_people_and_goals(&mut tx, id, m).await?;
        audit::change(&mut tx, actor, "meeting", id, &summary).await?;
        tx.commit().await?;
        Ok(summary)
    }

    /// Removes a record with its attendance and the goals it served, in one transaction.
    /// Returns the record as it was, for the answer to the user.
    pub async fn meeting_delete(
        &self,
        actor: &Actor,
        scope: &Scope,
        id: i64,
    ) -> StoreResult<MeetingDetail> {
        let old = self.meeting_for_write(scope, id).await?;
        let summary = describe_delete(&old);
        let mut tx = self.pool.begin().await?;
        for sql in [
            "DELETE FROM meeting_people WHERE meeting_id = $1",
            "DELETE FROM meeting_goals WHERE meeting_id = $1",
            "DELETE FROM meeting_items WHERE meeting_id = $1",
            "DELETE FROM meetings WHERE id = $1",
        ] {
            sqlx::query(sql).bind(id).execute(&mut *tx).await?;
        }
        audit::change(&mut tx, actor, "meeting", id, &summary).await?;
        tx.commit().await?;
        Ok(old)
    }
}

/// "增加 甲、乙，减少 丙" from the two halves; empty when nothing changed.
fn added_removed(added: &[String], removed: &[String], removed_word: &str) -> String {
    let mut parts = Vec::new();
    if !added.is_empty() {
        parts.push(format!("增加 {}", added.join("、")));
    }
    if !removed.is_empty() {
        parts.push(format!("{removed_word} {}", removed.join("、")));
    }
    parts.join("，")
}

/// How a free text changed, without repeating it (minutes can be long).
fn text_change(label: &str, old: &Option<String>, new: &Option<String>) -> Option<String> {
    match (old, new) {
        (a, b) if a == b => None,
        (None, Some(_)) => Some(format!("补充了{label}")),
        (Some(_), None) => Some(format!("删除了{label}")),
        _ => Some(format!("修改了{label}")),
    }
}

/// The change history's sentence for an edit: each field that changed, in words.
fn describe_update(
    old: &MeetingDetail,
    m: &MeetingInput,
    c: &Checked,
    names: &HashMap<i64, String>,
) -> String {
    let name = |id: &i64| {
        names
            .get(id)
            .cloned()
            .unwrap_or_else(|| format!("编号 {id}"))
    };
    let mut parts = Vec::new();
    if old.kind != m.kind.code() {
        parts.push(format!("类型 {} → {}", old.kind_label, m.kind.label()));
    }
    let date = m.date.to_string();
    if old.held_on != date {
        parts.push(format!("日期 {} → {date}", old.held_on));
    }
    if old.topic != m.topic {
        parts.push(format!("主题「{}」→「{}」", old.topic, m.topic));
    }

    let was: Vec<i64> = old.attendees.iter().map(|a| a.member_id).collect();
    let added: Vec<String> = m
        .attendees
        .iter()
        .filter(|id| !was.contains(id))
        .map(name)
        .collect();
    let removed: Vec<String> = old
        .attendees
        .iter()
        .filter(|a| !m.attendees.contains(&a.member_id))
        .map(|a| a.name.clone())
        .collect();
    let s = added_removed(&added, &removed, "减少");
    if !s.is_empty() {
        parts.push(format!("参会人员{s}"));
    }

    let added: Vec<String> = m
        .absentees
        .iter()
        .filter(|(id, _)| !old.absentees.iter().any(|a| a.member_id == *id))
        .map(|(id, r)| format!("{}（{r}）", name(id)))
        .collect();
    let removed: Vec<String> = old
        .absentees
        .iter()
        .filter(|a| !m.absentees.iter().any(|(id, _)| *id == a.member_id))
        .map(|a| a.name.clone())
        .collect();
    let s = added_removed(&added, &removed, "减少");
    if !s.is_empty() {
        parts.push(format!("缺席人员{s}"));
    }
    for a in &old.absentees {
        if let Some((_, r)) = m
            .absentees
            .iter()
            .find(|(id, r)| *id == a.member_id && *r != a.reason)
        {
            parts.push(format!("{}的缺席原因「{}」→「{r}」", a.name, a.reason));
        }
    }
    parts.extend(text_change("会议内容", &old.content, &m.content));
    parts.extend(text_change("会议决定", &old.decisions, &m.decisions));

    let title = |id: &i64| {
        c.goal_titles
            .get(id)
            .map_or_else(|| format!("目标 {id}"), |t| format!("「{t}」"))
    };
    let added: Vec<String> = m
        .goals
        .iter()
        .filter(|g| !old.goals.iter().any(|o| o.id == **g))
        .map(title)
        .collect();
    let removed: Vec<String> = old
        .goals
        .iter()
        .filter(|o| !m.goals.contains(&o.id))
        .map(|o| format!("「{}」", o.title))
        .collect();
    let s = added_removed(&added, &removed, "取消");
    if !s.is_empty() {
        parts.push(format!("服务的业务目标{s}"));
    }
    let item = |id: &i64| {
        c.item_titles
            .get(id)
            .map_or_else(|| format!("工作项 {id}"), |t| format!("「{t}」"))
    };
    let added: Vec<String> = m
        .items
        .iter()
        .filter(|i| !old.items.iter().any(|o| o.id == **i))
        .map(item)
        .collect();
    let removed: Vec<String> = old
        .items
        .iter()
        .filter(|o| !m.items.contains(&o.id))
        .map(|o| format!("「{}」", o.title))
        .collect();
    let s = added_removed(&added, &removed, "取消");
    if !s.is_empty() {
        parts.push(format!("落实的党建工作{s}"));
    }
    let who = |p: &Option<Attendee>| p.as_ref().map(|a| a.member_id);
    for (label, was, now, was_name) in [
        (
            "主持人",
            who(&old.chair),
            m.chair,
            old.chair.as_ref().map(|a| a.name.clone()),
        ),
        (
            "记录人",
            who(&old.recorder),
            m.recorder,
            old.recorder.as_ref().map(|a| a.name.clone()),
        ),
    ] {
        if was != now {
            let none = || "未填".to_string();
            parts.push(format!(
                "{label} {} → {}",
                was_name.unwrap_or_else(none),
                now.map(|id| name(&id)).unwrap_or_else(none)
            ));
        }
    }
    for (label, was, now) in [
        ("时间", &old.starts_at, &m.starts_at),
        ("地点", &old.place, &m.place),
        ("列席人员", &old.guests, &m.guests),
    ] {
        if was != now {
            parts.push(format!(
                "{label}「{}」→「{}」",
                was.as_deref().unwrap_or("未填"),
                now.as_deref().unwrap_or("未填")
            ));
        }
    }

    if m.kind.needs_quorum() {
        let met = c.quorum.met;
        match old.quorum_met {
            Some(was) if was != met => parts.push(format!(
                "到会情况由{}变为{}：{}",
                if was { "有效" } else { "无效" },
                if met { "有效" } else { "无效" },
                c.quorum.explanation
            )),
            _ if i64::from(c.present) != old.present || old.quorum_met.is_none() => {
                parts.push(format!("到会情况：{}", c.quorum.explanation))
            }
            _ => {}
        }
    }
    if parts.is_empty() {
        parts.push("未作改动".to_string());
    }
    format!(
        "修改{}「{}」（{}）：{}",
        m.kind.label(),
        m.topic,
        m.date,
        parts.join("；")
    )
}

/// The change history's sentence for a removal: what the record held.
fn describe_delete(m: &MeetingDetail) -> String {
    let mut s = format!(
        "删除{}「{}」（{}）：参会 {} 人，缺席 {} 人",
        m.kind_label,
        m.topic,
        m.held_on,
        m.attendees.len(),
        m.absentees.len()
    );
    if !m.goals.is_empty() {
        s.push_str(&format!("，服务业务目标 {} 个", m.goals.len()));
    }
    match m.quorum_met {
        Some(true) => s.push_str("；原记录有效，已不再计入组织生活检查"),
        Some(false) => s.push_str("；原记录未达到半数"),
        None => s.push_str("；已不再计入组织生活检查"),
    }
    s
}
