//! Building one organization's year: its plan, goals, KPIs, items, links, tasks and meetings.

use super::*;

// ---------------------------------------------------------------------------------------------
// Generation.

pub(super) struct OrgIn {
    pub(super) id: i64,
    pub(super) parent_id: Option<i64>,
    pub(super) branch: bool,
    pub(super) flavor: Flavor,
}

pub(super) fn next(id: &mut i64) -> i64 {
    let v = *id;
    *id += 1;
    v
}

pub(super) struct YearGen {
    pub(super) rng: StdRng,
    pub(super) year: i32,
    /// Meetings and progress reports up to this day (day of year, 0-based), inclusive.
    pub(super) last_day: u16,
    /// Days in the year.
    pub(super) days: u16,
    /// KPI values for months 1..=months.
    pub(super) months: u8,
    /// The plan status when nothing is drawn: a past year is summarized, a future one draft.
    pub(super) era: std::cmp::Ordering,
    pub(super) orgs: Vec<OrgIn>,
    pub(super) at: usize,
    /// Active party members (正式 and 预备) by organization, 党小组 folded into their branch:
    /// sorted (org id, member id).
    pub(super) members: Vec<(i64, i64)>,
    /// Committee seats by organization: member ids, secretary first.
    pub(super) seats: HashMap<i64, Vec<i64>>,
    /// Goals of generated plans that children may align to or serve: (goal id, template).
    pub(super) parent_goals: HashMap<i64, Vec<(i64, &'static GoalT)>>,
    pub(super) ids: YearIds,
    /// Milliseconds of the first day of the year (local noon), for timestamps.
    pub(super) year_ms: i64,
}

pub(super) const DAY_MS: i64 = 86_400_000;

impl YearGen {
    pub(super) fn members_of(&self, org: i64) -> &[(i64, i64)] {
        let start = self.members.partition_point(|(o, _)| *o < org);
        let end = self.members.partition_point(|(o, _)| *o <= org);
        &self.members[start..end]
    }

    pub(super) fn batch(&mut self, max_rows: usize) -> Chunk {
        let mut c = Chunk::default();
        while self.at < self.orgs.len() && c.rows() < max_rows {
            let i = self.at;
            self.at += 1;
            self.org(i, &mut c);
            c.orgs += 1;
        }
        c
    }

    pub(super) fn org(&mut self, index: usize, c: &mut Chunk) {
        let (org_id, parent_id, branch, flavor) = {
            let o = &self.orgs[index];
            (o.id, o.parent_id, o.branch, o.flavor)
        };
        let text = text(flavor);
        let members: Vec<i64> = self.members_of(org_id).iter().map(|m| m.1).collect();
        let seats = self.seats.get(&org_id).cloned().unwrap_or_default();
        let secretary = seats.first().copied();
        let r = &mut self.rng;

        let plan_id = next(&mut self.ids.plan);
        let status = match self.era {
            std::cmp::Ordering::Less => "summarized",
            std::cmp::Ordering::Greater => "draft",
            std::cmp::Ordering::Equal => match r.gen_range(0..100) {
                0..=5 => "draft",
                6..=15 => "deployed",
                _ => "in_progress",
            },
        };
        c.plans.push(PlanRow {
            id: plan_id,
            org_id,
            status,
        });

        // Goals, one KPI each; some align to the parent's goal of the same theme.
        let n_goals = r.gen_range(3..=6usize).min(text.goals.len());
        let chosen: Vec<&'static GoalT> =
            text.goals.choose_multiple(r, n_goals).collect::<Vec<_>>();
        let parents = parent_id
            .and_then(|p| self.parent_goals.get(&p))
            .cloned()
            .unwrap_or_default();
        let mut goals: Vec<(i64, &'static GoalT, bool)> = Vec::with_capacity(n_goals);
        for t in chosen {
            let id = next(&mut self.ids.goal);
            let is_key = self.rng.gen_bool(0.3);
            let parent = parents
                .iter()
                .find(|(_, pt)| std::ptr::eq(*pt, t))
                .filter(|_| self.rng.gen_bool(0.5))
                .map(|(gid, _)| *gid);
            c.goals.push(GoalRow {
                id,
                plan_id,
                title: t.title,
                department: t.dept,
                is_key,
                weight: if is_key { 2.0 } else { 1.0 },
                parent,
                stated_by: t.by,
            });
            goals.push((id, t, is_key));
            self.kpi(id, t, c);
        }
        if !branch {
            self.parent_goals
                .insert(org_id, goals.iter().map(|(id, t, _)| (*id, *t)).collect());
        }

        // Party work items and their junction points.
        let r = &mut self.rng;
        let n_items = r.gen_range(2..=5usize);
        let mut pool: Vec<&'static ItemT> = text.items.iter().chain(COMMON_ITEMS).collect();
        pool.shuffle(r);
        let mut items: Vec<(i64, &'static ItemT, Vec<i64>)> = Vec::with_capacity(n_items);
        for t in pool.into_iter().take(n_items) {
            let id = next(&mut self.ids.item);
            let owner = match t.0 {
                "party_lecture" | "topic_study" => secretary,
                _ => members.choose(r).copied().or(secretary),
            };
            let (from, to) = if t.0 == "party_lecture" {
                let m = r.gen_range(3..=11);
                let (a, _) = month_range_of(self.year, m);
                let (_, b) = month_range_of(self.year, m + 1);
                (a, b)
            } else {
                (0, self.days - 1)
            };
            c.items.push(ItemRow {
                id,
                plan_id,
                kind: t.0,
                title: t.1,
                description: t.2,
                owner,
                from,
                to,
            });
            let mut linked = Vec::new();
            if r.gen_bool(0.85) {
                let n = if r.gen_bool(0.3) && goals.len() > 1 {
                    2
                } else {
                    1
                };
                for (goal_id, gt, _) in goals.choose_multiple(r, n) {
                    let kinds = link_kinds(t.0);
                    let kind = if r.gen_bool(0.75) { kinds[0] } else { kinds[1] };
                    c.links.push(LinkRow {
                        id: next(&mut self.ids.link),
                        item_id: id,
                        goal_id: *goal_id,
                        junction: format!("{}，服务“{}”", junction_phrase(t.0), gt.title),
                        kind,
                    });
                    linked.push(*goal_id);
                }
            }
            items.push((id, t, linked));
        }

        // Tasks from the items and goals, as of the date.
        let n_tasks = r.gen_range(3..=8usize);
        for _ in 0..n_tasks {
            let (item_id, goal_id) = if r.gen_bool(0.7) {
                let (iid, _, linked) = &items[r.gen_range(0..items.len())];
                let goal = linked.choose(r).copied().filter(|_| r.gen_bool(0.8));
                (Some(*iid), goal)
            } else {
                (None, Some(goals[r.gen_range(0..goals.len())].0))
            };
            // Deadlines cluster at quarter ends.
            let deadline = if r.gen_bool(0.4) {
                let q = r.gen_range(1..=4u32);
                month_range_of(self.year, q * 3).1
            } else {
                r.gen_range(14..self.days)
            };
            let overdue_by_date = deadline < self.last_day;
            let (status, percent) = if status == "draft" {
                ("not_started", 0)
            } else if overdue_by_date {
                match r.gen_range(0..100) {
                    0..=77 => ("done", 100),
                    78..=91 => ("in_progress", r.gen_range(2..=9) * 10),
                    92..=95 => ("not_started", 0),
                    _ => ("cancelled", r.gen_range(0..=5) * 10),
                }
            } else {
                match r.gen_range(0..100) {
                    0..=44 => ("in_progress", r.gen_range(1..=8) * 10),
                    45..=89 => ("not_started", 0),
                    _ => ("done", 100),
                }
            };
            let task_id = next(&mut self.ids.task);
            c.tasks.push(TaskRow {
                id: task_id,
                plan_id,
                item_id,
                goal_id,
                title: text.tasks[r.gen_range(0..text.tasks.len())],
                assignee: members.choose(r).copied(),
                partner: r
                    .gen_bool(0.6)
                    .then(|| text.partners[r.gen_range(0..text.partners.len())]),
                deadline,
                status,
                percent,
                updated_at: self.year_ms,
            });
            if status != "not_started" {
                let latest = deadline.min(self.last_day);
                let day = r.gen_range(latest.saturating_sub(40)..=latest);
                let note = match status {
                    "done" => "已完成，成果已归档",
                    "cancelled" => "因工作调整取消",
                    _ => "按计划推进中",
                };
                let at = self.year_ms + i64::from(day) * DAY_MS;
                if let Some(t) = c.tasks.last_mut() {
                    t.updated_at = at;
                }
                c.updates.push(UpdateRow {
                    id: next(&mut self.ids.update),
                    task_id,
                    at,
                    percent,
                    note,
                });
            }
        }

        if branch && !members.is_empty() {
            let parent_goals: Vec<(i64, &'static GoalT)> = parents;
            self.meetings(org_id, flavor, &members, &seats, &goals, &parent_goals, c);
        }
    }

    pub(super) fn kpi(&mut self, goal_id: i64, t: &'static GoalT, c: &mut Chunk) {
        let r = &mut self.rng;
        let round = |x: f64, decimals: i32| {
            let f = 10f64.powi(decimals);
            (x * f).round() / f
        };
        let (direction, baseline, target) = match t.model {
            Count(lo, hi) => ("higher_better", 0.0, round(r.gen_range(lo..=hi), 0)),
            Rate((lo, hi), (glo, ghi)) => {
                let b = round(r.gen_range(lo..=hi), 1);
                (
                    "higher_better",
                    b,
                    round((b + r.gen_range(glo..=ghi)).min(100.0), 1),
                )
            }
            Less((lo, hi), (clo, chi), dec) => {
                let b = round(r.gen_range(lo..=hi), dec);
                let t = round((b - r.gen_range(clo..=chi)).max(0.0), dec);
                ("lower_better", b, t)
            }
            Zero => ("lower_better", 0.0, 0.0),
        };
        let kpi_id = next(&mut self.ids.kpi);
        c.kpis.push(KpiRow {
            id: kpi_id,
            goal_id,
            name: t.kpi,
            unit: t.unit,
            direction,
            baseline,
            target,
            // A year-to-date count is a running total; rates and durations are monthly.
            accumulation: ronghe_core::plan::Accumulation::infer(&ronghe_core::plan::Kpi {
                unit: t.unit.into(),
                direction: ronghe_core::plan::Direction::parse(direction, None, None)
                    .unwrap_or(ronghe_core::plan::Direction::HigherBetter),
                baseline,
                target,
            })
            .code(),
        });
        let api = r.gen_bool(0.25);
        // How well this unit is doing: below 1 behind schedule, above ahead.
        let pace: f64 = r.gen_range(0.8..1.1);
        let months = if self.months > 0 && r.gen_range(0..12) == 0 {
            self.months - 1
        } else {
            self.months
        };
        for m in 1..=months {
            let share = f64::from(m) / 12.0;
            let noise: f64 = r.gen_range(-1.0..1.0);
            let value = match t.model {
                Count(..) => round(target * share * pace * (1.0 + 0.03 * noise), 0).max(0.0),
                Rate(..) => round(
                    (baseline + (target - baseline) * share * pace + 0.4 * noise).clamp(0.0, 100.0),
                    1,
                ),
                Less(_, _, dec) => round(
                    (baseline - (baseline - target) * share * pace + 0.05 * baseline * noise)
                        .max(0.0),
                    dec,
                ),
                Zero => f64::from(u8::from(r.gen_range(0..60) == 0)),
            };
            c.values.push(ValueRow {
                id: next(&mut self.ids.value),
                kpi_id,
                month: m,
                value,
                source: if api { "接口" } else { "页面" },
            });
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn meetings(
        &mut self,
        org_id: i64,
        flavor: Flavor,
        members: &[i64],
        seats: &[i64],
        goals: &[(i64, &'static GoalT, bool)],
        parent_goals: &[(i64, &'static GoalT)],
        c: &mut Chunk,
    ) {
        let entitled = members.len() as i64;
        // Synthetic members are counted as full members for the committee rule.
        let has_committee = ronghe_core::org::formation::committee_constituted(
            u32::try_from(members.len()).unwrap_or(u32::MAX),
            seats.len(),
        );
        let secretary = seats.first().copied();
        let FlavorText {
            reasons,
            activities,
            ..
        } = text(flavor);
        let r = &mut self.rng;

        // About one branch in ten has gaps.
        let gappy = r.gen_bool(0.1);
        let gap = if gappy { r.gen_range(0..5u8) } else { u8::MAX };
        let skip_theme: Vec<u32> = if gap == 0 {
            let first = r.gen_range(1..=10u32);
            vec![first, first + r.gen_range(1..=2)]
        } else {
            Vec::new()
        };
        let skip_assembly = (gap == 1).then(|| r.gen_range(1..=3u32));
        let inquorate = (gap == 2).then(|| r.gen_range(1..=3u32));
        let skip_committee = (gap == 3).then(|| r.gen_range(1..=10u32));
        let no_lecture = gap == 4;

        // (kind, day of year, label for the topic)
        let mut plan: Vec<(MeetingKind, u16, u32)> = Vec::with_capacity(40);
        let theme_day = r.gen_range(5..=28u32);
        for m in 1..=12u32 {
            let (first, last) = month_range_of(self.year, m);
            if !skip_theme.contains(&m) {
                let day = (first + theme_day as u16 - 1).min(last);
                plan.push((MeetingKind::ThemeDay, day, m));
            }
            if has_committee && skip_committee != Some(m) {
                let day = first + r.gen_range(0..10u16);
                plan.push((MeetingKind::CommitteeMeeting, day, m));
            }
        }
        for q in 1..=4u32 {
            if skip_assembly == Some(q) {
                continue;
            }
            // Mostly in the last month of the quarter; the fourth often with the 组织生活会.
            let m = if q == 4 && r.gen_bool(0.4) {
                11
            } else {
                q * 3 - u32::from(r.gen_bool(0.25))
            };
            let (first, last) = month_range_of(self.year, m);
            let day = r.gen_range(first..=last.saturating_sub(3).max(first));
            plan.push((MeetingKind::GeneralAssembly, day, q));
        }
        if !no_lecture {
            let n = [1, 1, 2, 2, 2, 3, 4][r.gen_range(0..7)];
            for k in 0..n {
                let m = if n == 4 {
                    k * 3 + r.gen_range(1..=3)
                } else if k == 0 {
                    6
                } else {
                    r.gen_range(3..=11)
                };
                let (first, last) = month_range_of(self.year, m);
                plan.push((MeetingKind::PartyLecture, r.gen_range(first..=last), m));
            }
        }
        let life_month = if r.gen_bool(0.15) { 11 } else { 12 };
        let (first, last) = month_range_of(self.year, life_month);
        let life_day = r.gen_range(first..=last.saturating_sub(5).max(first));
        plan.push((MeetingKind::LifeMeeting, life_day, 0));
        plan.push((MeetingKind::DemocraticReview, life_day, 0));
        for _ in 0..r.gen_range(1..=2) {
            let day = r.gen_range(30..self.days - 20);
            plan.push((MeetingKind::HeartTalk, day, 0));
        }
        plan.retain(|(_, day, _)| *day <= self.last_day);
        plan.sort_by_key(|(kind, day, _)| (*day, *kind));

        for (kind, day, n) in plan {
            let id = next(&mut self.ids.meeting);
            // Who was away: never the secretary, who chairs (a 支委会 counts the committee).
            let pool: Vec<i64> = if kind == MeetingKind::CommitteeMeeting {
                seats.iter().skip(1).copied().collect()
            } else {
                members
                    .iter()
                    .copied()
                    .filter(|m| Some(*m) != secretary)
                    .collect()
            };
            let entitled_here = if kind == MeetingKind::CommitteeMeeting {
                seats.len() as i64
            } else {
                entitled
            };
            let away = match kind {
                MeetingKind::HeartTalk => 0,
                MeetingKind::CommitteeMeeting => usize::from(r.gen_bool(0.1)),
                MeetingKind::GeneralAssembly if inquorate == Some(n) => {
                    let half = members.len() / 2;
                    members.len() - half + r.gen_range(0..=half / 3)
                }
                _ => {
                    let p = match kind {
                        MeetingKind::GeneralAssembly => 0.07,
                        MeetingKind::ThemeDay => 0.12,
                        MeetingKind::LifeMeeting | MeetingKind::DemocraticReview => 0.05,
                        _ => 0.1,
                    };
                    pool.iter().filter(|_| r.gen_bool(p)).count()
                }
            }
            .min(pool.len());
            for k in rand::seq::index::sample(r, pool.len(), away) {
                c.people.push(PersonRow {
                    meeting_id: id,
                    member_id: pool[k],
                    present: 0,
                    reason: Some(reasons[r.gen_range(0..reasons.len())]),
                });
            }
            let present = if kind == MeetingKind::HeartTalk {
                // Two people talk: the secretary (or the first member) and another member.
                let talker = secretary.unwrap_or(members[0]);
                let others: Vec<i64> = members.iter().copied().filter(|m| *m != talker).collect();
                let mut talked = vec![talker];
                talked.extend(others.choose(r));
                for m in &talked {
                    c.people.push(PersonRow {
                        meeting_id: id,
                        member_id: *m,
                        present: 1,
                        reason: None,
                    });
                }
                talked.len() as i64
            } else {
                entitled_here - away as i64
            };
            let quorum_met = kind
                .needs_quorum()
                .then(|| i64::from(quorum(entitled_here as u32, present as u32).met));

            // About 60% serve a goal of the branch's plan (or now and then its parent's).
            let serve = match kind {
                MeetingKind::GeneralAssembly => 0.75,
                MeetingKind::CommitteeMeeting | MeetingKind::ThemeDay => 0.7,
                MeetingKind::PartyLecture => 0.6,
                MeetingKind::LifeMeeting => 0.4,
                MeetingKind::DemocraticReview => 0.2,
                _ => 0.1,
            };
            let served: Option<(i64, &'static GoalT)> = r.gen_bool(serve).then(|| {
                if !parent_goals.is_empty() && r.gen_bool(0.15) {
                    parent_goals[r.gen_range(0..parent_goals.len())]
                } else {
                    let (gid, t, _) = goals[r.gen_range(0..goals.len())];
                    (gid, t)
                }
            });
            if let Some((gid, _)) = served {
                c.meeting_goals.push(MeetingGoalRow {
                    meeting_id: id,
                    goal_id: gid,
                });
                if goals.len() > 1 && r.gen_bool(0.2) {
                    let (other, _, _) = goals[r.gen_range(0..goals.len())];
                    if other != gid {
                        c.meeting_goals.push(MeetingGoalRow {
                            meeting_id: id,
                            goal_id: other,
                        });
                    }
                }
            }
            let topic: Cow<'static, str> = match (kind, served) {
                (MeetingKind::GeneralAssembly, Some((_, t))) => format!(
                    "{}党员大会：研究部署“{}”",
                    QUARTERS[(n as usize).clamp(1, 4) - 1],
                    t.title
                )
                .into(),
                (MeetingKind::GeneralAssembly, None) => format!(
                    "{}党员大会：学习传达上级会议精神",
                    QUARTERS[(n as usize).clamp(1, 4) - 1]
                )
                .into(),
                (MeetingKind::CommitteeMeeting, Some((_, t))) => {
                    format!("{n}月支委会：调度“{}”进展", t.title).into()
                }
                (MeetingKind::CommitteeMeeting, None) => {
                    format!("{n}月支委会：研究党员教育管理").into()
                }
                (MeetingKind::ThemeDay, Some((_, t))) => format!(
                    "主题党日：围绕“{}”开展{}",
                    t.title,
                    activities[r.gen_range(0..activities.len())]
                )
                .into(),
                (MeetingKind::ThemeDay, None) => {
                    THEME_STUDY[r.gen_range(0..THEME_STUDY.len())].into()
                }
                (MeetingKind::PartyLecture, Some((_, t))) => {
                    format!("党课：以高质量党建助推“{}”", t.title).into()
                }
                (MeetingKind::PartyLecture, None) => "党课：党史专题".into(),
                (MeetingKind::LifeMeeting, _) => "年度组织生活会".into(),
                (MeetingKind::DemocraticReview, _) => "年度民主评议党员".into(),
                (_, Some((_, t))) => format!("谈心谈话：围绕“{}”听取意见", t.title).into(),
                _ => "谈心谈话：了解党员思想和工作情况".into(),
            };
            c.meetings.push(MeetingRow {
                id,
                org_id,
                kind,
                day,
                topic,
                content: content(kind),
                decisions: decisions(kind),
                entitled: entitled_here,
                present,
                quorum_met,
            });
        }
    }
}

/// First and last day of month `m` (1–12) of `year`, as days of the year.
pub(super) fn month_range_of(year: i32, m: u32) -> (u16, u16) {
    let m = m.clamp(1, 12);
    let first = Date::from_ymd_opt(year, m, 1).map_or(0, |d| d.ordinal0() as u16);
    let last = ronghe_core::plan::period::month_end(year, m).ordinal0() as u16;
    (first, last)
}
