//! Loading a year of organizational life: each branch's meetings as `lives.rs` describes
//! them, with their attendance and the goals they serve, through the meeting form.

use super::*;

impl Loader<'_> {
    pub(super) async fn life(&mut self, spec: &LifeSpec) -> StoreResult<()> {
        let (org, roster_ids) = {
            let p = self.people(spec.org).await?;
            (
                p.org.clone(),
                p.roster.iter().map(|r| r.id).collect::<Vec<_>>(),
            )
        };
        let goal_ids: Vec<i64> = self
            .store
            .goals_for_org(&self.scope, org.id, YEAR)
            .await?
            .iter()
            .map(|g| g.id)
            .collect();
        let everyone = self
            .store
            .meeting_entitled(&org, MeetingKind::GeneralAssembly)
            .await?;
        let committee = self
            .store
            .meeting_entitled(&org, MeetingKind::CommitteeMeeting)
            .await?;

        let mut all: Vec<(MeetingKind, Date, String, Vec<&'static str>, Att)> = spec
            .meetings
            .iter()
            .map(|s| {
                let on = d(s.on.0, s.on.1);
                (s.kind, on, s.topic.to_string(), s.goals.to_vec(), s.att)
            })
            .collect();
        if let Some(c) = &spec.committee {
            let mut focus = c.focus.iter().cycle();
            for month in 1..=12u32 {
                let on = d(month, c.day);
                if c.skip.contains(&month) || on > as_of() {
                    continue;
                }
                let (what, goals) = focus.next().copied().unwrap_or(("", &[]));
                let agenda = AGENDA[month as usize - 1];
                let topic = if what.is_empty() {
                    format!("{month}月支委会：{agenda}")
                } else {
                    format!("{month}月支委会：{agenda}；{what}")
                };
                all.push((
                    MeetingKind::CommitteeMeeting,
                    on,
                    topic,
                    goals.to_vec(),
                    Att::Most,
                ));
            }
        }
        all.sort_by_key(|(kind, on, ..)| (*on, *kind));

        for (kind, on, topic, goals, att) in all {
            let secretary = self.who(spec.org, Who::Secretary).await?;
            let (attendees, absentees) = match (kind, att) {
                (MeetingKind::CommitteeMeeting, _) => {
                    let seats: Vec<i64> = self.people[spec.org]
                        .seats
                        .iter()
                        .map(|s| s.member_id)
                        .collect();
                    let away = (seats.len() > 3 && self.rng.gen_bool(0.25))
                        .then(|| seats[self.rng.gen_range(1..seats.len())]);
                    let present = seats.iter().copied().filter(|s| Some(*s) != away).collect();
                    (present, away.into_iter().collect())
                }
                (_, Att::Pair(with)) => {
                    let other = self.who(spec.org, with).await?;
                    (secretary.into_iter().chain(other).collect(), Vec::new())
                }
                (_, Att::Present(n)) => {
                    let mut order = roster_ids.clone();
                    order.shuffle(&mut self.rng);
                    if let Some(s) = secretary {
                        order.retain(|id| *id != s);
                        order.insert(0, s);
                    }
                    let absent = order.split_off(n.min(order.len()));
                    (order, absent)
                }
                (_, Att::Most) => {
                    let max_away = match kind {
                        MeetingKind::GeneralAssembly | MeetingKind::PartyLecture => 3,
                        MeetingKind::ThemeDay => 4,
                        _ => 1,
                    };
                    let away = self.rng.gen_range(0..=max_away);
                    let mut others: Vec<i64> = roster_ids
                        .iter()
                        .copied()
                        .filter(|id| Some(*id) != secretary)
                        .collect();
                    others.shuffle(&mut self.rng);
                    let absent: Vec<i64> = others.drain(..away.min(others.len())).collect();
                    let present = roster_ids
                        .iter()
                        .copied()
                        .filter(|id| !absent.contains(id))
                        .collect();
                    (present, absent)
                }
            };
            let absentees = absentees
                .into_iter()
                .map(|id| AbsenteeForm {
                    member_id: id.to_string(),
                    reason: spec.reasons[self.rng.gen_range(0..spec.reasons.len())].into(),
                })
                .collect();
            let goal_ids_here = goals
                .iter()
                .map(|k| self.goal(k).map(|g| g.to_string()))
                .collect::<StoreResult<Vec<_>>>()?;
            let (content, decisions) = minutes(kind, &topic);
            // The secretary chairs when there; the next one present takes the minutes. No
            // random draws here, so the rest of the demo stays as it was.
            let chair = secretary
                .filter(|s| attendees.contains(s))
                .or(attendees.first().copied());
            let recorder = attendees.iter().copied().find(|a| Some(*a) != chair);
            let (starts_at, place) = match kind {
                MeetingKind::ThemeDay => ("14:30", "党员活动室"),
                MeetingKind::CommitteeMeeting => ("16:30", "支部办公室"),
                MeetingKind::HeartTalk => ("10:00", "支部办公室"),
                _ => ("15:00", "三楼会议室"),
            };
            let form = MeetingForm {
                starts_at: starts_at.into(),
                place: place.into(),
                chair_member_id: chair.map(|c| c.to_string()).unwrap_or_default(),
                recorder_member_id: recorder.map(|r| r.to_string()).unwrap_or_default(),
                org_id: org.id.to_string(),
                kind: kind.code().into(),
                date: on.to_string(),
                topic: topic.clone(),
                content,
                decisions,
                attendees: attendees.iter().map(i64::to_string).collect(),
                absentees,
                goals: goal_ids_here,
                ..MeetingForm::default()
            };
            let input = form
                .validate(self.today, &roster_ids, &goal_ids)
                .map_err(|e| invalid(&topic, e))?;
            let entitled = if kind == MeetingKind::CommitteeMeeting {
                committee
            } else {
                everyone
            };
            self.store
                .meeting_create(&self.actor, &self.scope, &input, entitled)
                .await?;
            self.summary.meetings += 1;
        }
        Ok(())
    }
}

/// The minutes of a meeting: its content and, for deciding bodies, its decisions.
fn minutes(kind: MeetingKind, topic: &str) -> (String, String) {
    let subject = topic
        .split_once('：')
        .map_or(topic, |(_, rest)| rest)
        .to_string();
    match kind {
        MeetingKind::GeneralAssembly => (
            format!(
                "一、传达学习上级有关会议和文件精神\n二、{subject}\n三、通报党费收缴和党员发展情况"
            ),
            "会议按规定程序进行，与会党员一致同意会议议定事项，由支部委员会分工落实。".into(),
        ),
        MeetingKind::CommitteeMeeting => (
            format!("一、{subject}\n二、听取委员分工工作汇报"),
            "明确责任分工和完成时限，下次支委会听取落实情况。".into(),
        ),
        MeetingKind::ThemeDay => (
            format!("一、重温入党誓词\n二、{subject}\n三、党员交流发言"),
            String::new(),
        ),
        MeetingKind::PartyLecture => (
            format!("讲授党课：{subject}。与会党员结合岗位交流学习体会。"),
            String::new(),
        ),
        MeetingKind::LifeMeeting => (
            "一、通报年度工作和上年度整改落实情况\n二、支部委员会对照检查\n三、党员逐一发言，开展批评和自我批评".into(),
            "形成问题清单，明确整改措施和时限。".into(),
        ),
        MeetingKind::DemocraticReview => (
            "党员个人自评、党员互评、民主测评，支部委员会综合评定。".into(),
            "评定等次结果报上级党组织备案。".into(),
        ),
        MeetingKind::HeartTalk => (
            "围绕思想、工作、学习和生活情况谈心谈话，听取意见建议。".into(),
            String::new(),
        ),
        MeetingKind::GroupMeeting => (subject, String::new()),
    }
}
