//! Recording a meeting: the form and its submission, and the chooser of organizations for
//! `/meetings/new` without one.
//!
//! The form assumes the common case: everyone expected was there. The secretary unticks those
//! absent and writes each one's reason beside the name; nothing else is asked for (no photo,
//! location or check-in). Who is expected follows the kind (the committee for a 支委会, the
//! members otherwise); changing the kind on the page moves people between 应到 and 列席
//! (app.js), and the server applies the same rule when the form comes back.

use super::*;
use ronghe_core::meeting::{MeetingChoices, MeetingInput};
use ronghe_store::ItemChoice;

/// One person on the form.
pub(super) struct PersonRow {
    id: i64,
    name: String,
    note: String,
    ticked: bool,
    reason: String,
    error: Option<String>,
    /// Expected at this kind of meeting (an absence needs a reason); others may sit in (列席).
    expected: bool,
    /// Holds a committee seat: expected at a 支委会.
    committee: bool,
}

pub(super) struct ChoiceRow {
    id: i64,
    title: String,
    /// Whose plan, and for an item its kind.
    note: String,
    is_key: bool,
    ticked: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "meeting_form.html")]
pub(super) struct FormPage {
    pub(super) layout: Layout,
    /// Where the form posts: `/meetings/new`, or `/meetings/{id}/edit`.
    pub(super) action: String,
    /// The record being corrected, if any.
    pub(super) editing: Option<i64>,
    org: Org,
    form: MeetingForm,
    errors: FieldErrors,
    /// Each kind with the legend of those it expects.
    kinds: Vec<(&'static str, &'static str, &'static str)>,
    people: Vec<PersonRow>,
    goals: Vec<ChoiceRow>,
    items: Vec<ChoiceRow>,
    goals_year: i32,
    today: String,
    /// Names of those unticked without a reason, listed above the roster (each one's own
    /// message sits beside the name).
    pub(super) missing_reasons: Vec<String>,
}

/// Whom a kind of meeting expects, for the attendance legend.
fn expected_label(kind: Option<MeetingKind>) -> &'static str {
    match kind {
        Some(MeetingKind::CommitteeMeeting) => "应到：支部委员",
        Some(MeetingKind::GroupMeeting) => "应到：党小组成员",
        Some(MeetingKind::HeartTalk) => "参加谈话的人员（请勾选，至少 2 人）",
        _ => "应到：本组织党员",
    }
}

impl FormPage {
    fn expected_label(&self) -> &'static str {
        expected_label(MeetingKind::from_code(self.form.kind.trim()))
    }
    fn has_expected(&self) -> bool {
        self.people.iter().any(|p| p.expected)
    }
    /// Others who sat in (列席) are shown open when any is ticked.
    fn others_ticked(&self) -> bool {
        self.people.iter().any(|p| !p.expected && p.ticked)
    }
    /// The members who chaired and took the minutes are chosen among the attendees.
    fn person_options(&self) -> impl Iterator<Item = (&i64, &String)> {
        self.people.iter().map(|p| (&p.id, &p.name))
    }
}

/// Who is expected at a meeting of `kind`: an unticked expected person needs a reason.
/// Everyone for most kinds; the committee for a 支委会; nobody in particular for a 谈心谈话
/// (a conversation between two or a few people).
pub(super) fn expected(
    kind: Option<MeetingKind>,
    roster: &[MemberRow],
    seats: &[Seat],
) -> HashSet<i64> {
    match kind {
        Some(MeetingKind::HeartTalk) => HashSet::new(),
        Some(MeetingKind::CommitteeMeeting) => seats.iter().map(|s| s.member_id).collect(),
        _ => roster.iter().map(|r| r.id).collect(),
    }
}

/// What a meeting form of an organization offers for a year: its people and committee, and
/// the business goals and Party work items of the plans it serves.
pub(super) struct Choices {
    pub(super) roster: Vec<MemberRow>,
    pub(super) seats: Vec<Seat>,
    goals: Vec<GoalChoice>,
    items: Vec<ItemChoice>,
    year: i32,
}

impl Choices {
    /// `roster` is the organization's (for a correction, with those the record already names).
    pub(super) async fn load(
        state: &AppState,
        user: &CurrentUser,
        org: &Org,
        roster: Vec<MemberRow>,
        year: i32,
    ) -> Result<Choices, AppError> {
        let scope = user.scope(Permission::EditMembers);
        Ok(Choices {
            seats: state.store.committee(org.id).await?,
            goals: state.store.goals_for_org(&scope, org.id, year).await?,
            items: state.store.items_for_org(&scope, org.id, year).await?,
            roster,
            year,
        })
    }

    /// The form checked against these choices (core's rules).
    pub(super) fn validate(&self, form: &MeetingForm) -> Result<MeetingInput, FieldErrors> {
        let roster: Vec<i64> = self.roster.iter().map(|m| m.id).collect();
        let goals: Vec<i64> = self.goals.iter().map(|g| g.id).collect();
        let items: Vec<i64> = self.items.iter().map(|i| i.id).collect();
        form.validate_in(
            ronghe_store::today(),
            &MeetingChoices {
                roster: &roster,
                goals: &goals,
                items: &items,
            },
        )
    }
}

/// The year a typed date is in (the current year while it cannot be read).
pub(super) fn year_of(date: &str) -> i32 {
    parse_date("会议日期", date).map_or_else(|_| ronghe_store::today().year(), |d| d.year())
}

pub(super) struct FormInput {
    pub(super) form: MeetingForm,
    /// Reasons typed beside each member, by member id as typed.
    pub(super) reasons: HashMap<String, String>,
}

/// Reads the posted form. Attendees, goals and items are repeated keys, which axum's `Form`
/// cannot collect, so the pairs are read in order.
pub(super) fn read_form(body: &[u8]) -> Result<FormInput, AppError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body)
        .map_err(|_| AppError::BadRequest("提交的内容格式有误，请返回重新填写。".into()))?;
    let mut form = MeetingForm::default();
    let mut reasons = HashMap::new();
    for (k, v) in pairs {
        match k.as_str() {
            "org_id" => form.org_id = v,
            "kind" => form.kind = v,
            "date" => form.date = v,
            "starts_at" => form.starts_at = v,
            "place" => form.place = v,
            "topic" => form.topic = v,
            "chair_member_id" => form.chair_member_id = v,
            "recorder_member_id" => form.recorder_member_id = v,
            "guests" => form.guests = v,
            "content" => form.content = v,
            "decisions" => form.decisions = v,
            "attendees" => form.attendees.push(v),
            "goals" => form.goals.push(v),
            "items" => form.items.push(v),
            _ => {
                if let Some(id) = k.strip_prefix("reason_") {
                    reasons.insert(id.to_string(), v);
                }
            }
        }
    }
    Ok(FormInput { form, reasons })
}

/// Unticked people with a reason are absent; an expected person unticked without one is a
/// mistake to point at, beside the name. Returns those errors and the names missing a reason.
pub(super) fn derive_absentees(
    form: &mut MeetingForm,
    reasons: &HashMap<String, String>,
    c: &Choices,
) -> (FieldErrors, Vec<String>) {
    let kind = MeetingKind::from_code(form.kind.trim());
    let must_explain = expected(kind, &c.roster, &c.seats);
    let ticked: HashSet<String> = form
        .attendees
        .iter()
        .map(|s| s.trim().to_string())
        .collect();
    let mut extra = FieldErrors::new();
    let mut missing = Vec::new();
    for m in &c.roster {
        let id = m.id.to_string();
        if ticked.contains(&id) {
            continue;
        }
        let reason = reasons.get(&id).map_or("", |r| r.trim());
        // A reason comes only from a box shown enabled: the expected, and those already
        // recorded absent (a correction keeps a former committee member's absence).
        if !reason.is_empty() {
            form.absentees.push(AbsenteeForm {
                member_id: id,
                reason: reason.to_string(),
            });
        } else if must_explain.contains(&m.id) {
            extra.add(&format!("reason_{id}"), "请填写缺席原因");
            missing.push(m.name.clone());
        }
    }
    (extra, missing)
}

/// The form page for `form`, with the people, goals and items of `c`.
pub(super) fn form_page(
    user: &CurrentUser,
    org: Org,
    form: MeetingForm,
    reasons: &HashMap<String, String>,
    errors: FieldErrors,
    c: &Choices,
) -> FormPage {
    let ticked: HashSet<&str> = form.attendees.iter().map(|s| s.trim()).collect();
    let kind = MeetingKind::from_code(form.kind.trim());
    let expected_ids = expected(kind, &c.roster, &c.seats);
    let people = c
        .roster
        .iter()
        .map(|m| {
            let id = m.id.to_string();
            let seat = c.seats.iter().find(|s| s.member_id == m.id);
            let mut note = vec![m.status_label().to_string()];
            if let Some(s) = seat {
                note.push(s.duty.clone().unwrap_or_else(|| s.role_label().to_string()));
            }
            if m.org_id != org.id {
                note.push(m.org_name.clone());
            }
            PersonRow {
                id: m.id,
                name: m.name.clone(),
                note: note.join("，"),
                ticked: ticked.contains(id.as_str()),
                reason: reasons.get(&id).cloned().unwrap_or_default(),
                error: errors.get(&format!("reason_{id}")).map(str::to_string),
                expected: expected_ids.contains(&m.id)
                    || reasons.get(&id).is_some_and(|r| !r.trim().is_empty()),
                committee: seat.is_some(),
            }
        })
        .collect();
    let chosen: HashSet<&str> = form.goals.iter().map(|s| s.trim()).collect();
    let goals = c
        .goals
        .iter()
        .map(|g| ChoiceRow {
            ticked: chosen.contains(g.id.to_string().as_str()),
            id: g.id,
            title: g.title.clone(),
            note: g.org_name.clone(),
            is_key: g.is_key != 0,
        })
        .collect();
    let chosen: HashSet<&str> = form.items.iter().map(|s| s.trim()).collect();
    let items = c
        .items
        .iter()
        .map(|i| ChoiceRow {
            ticked: chosen.contains(i.id.to_string().as_str()),
            id: i.id,
            title: i.title.clone(),
            note: format!("{} · {}", i.kind_label(), i.org_name),
            is_key: false,
        })
        .collect();
    FormPage {
        layout: Layout::new(user, format!("记录会议 · {}", org.name), "/orgs"),
        action: "/meetings/new".to_string(),
        editing: None,
        kinds: meeting_kinds_for(org.kind())
            .into_iter()
            .map(|k| (k.code(), k.label(), expected_label(Some(k))))
            .collect(),
        org,
        form,
        errors,
        people,
        goals,
        items,
        goals_year: c.year,
        today: ronghe_store::today().to_string(),
        missing_reasons: Vec::new(),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct NewQuery {
    org: String,
    kind: String,
    /// A day inside a missed period, from a 待办 line (补录).
    date: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "meeting_choose.html")]
struct ChoosePage {
    layout: Layout,
    orgs: Vec<Org>,
    more: bool,
}

/// How many organizations the chooser lists.
const CHOICES: usize = 50;

/// `/meetings/new` without an organization: the branches (and 党小组) the user records for,
/// their roots and one level below; a single one opens its form at once.
async fn choose_org(state: &AppState, user: &CurrentUser) -> Result<Response, AppError> {
    let scope = user.scope(Permission::EditMembers);
    let mut orgs = Vec::new();
    let records = |o: &Org| !meeting_kinds_for(o.kind()).is_empty() && o.kind != "committee";
    if !scope.is_empty() {
        for root in state.store.org_roots(&scope).await? {
            if orgs.len() > CHOICES {
                break;
            }
            let children = state.store.org_children(&scope, root.id).await?;
            if records(&root) {
                orgs.push(root);
            }
            orgs.extend(children.into_iter().filter(|c| records(c)));
        }
    }
    if let [only] = orgs.as_slice() {
        return Ok(Redirect::to(&format!("/meetings/new?org={}", only.id)).into_response());
    }
    let more = orgs.len() > CHOICES;
    orgs.truncate(CHOICES);
    Ok(ChoosePage {
        layout: Layout::new(user, "记录组织生活", "/orgs"),
        orgs,
        more,
    }
    .into_response())
}

pub(super) async fn new_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<NewQuery>,
) -> Result<Response, AppError> {
    if q.org.trim().is_empty() {
        return choose_org(&state, &user).await;
    }
    let id = q.org.trim().parse::<i64>().map_err(|_| {
        AppError::BadRequest("请从党组织页面的“记录组织生活”进入，以确定是哪个组织的会议。".into())
    })?;
    let org = writable_org(&state, &user, id).await?;
    let scope = user.scope(Permission::EditMembers);
    let allowed = meeting_kinds_for(org.kind());
    let kind = MeetingKind::from_code(q.kind.trim())
        .filter(|k| allowed.contains(k))
        .or(allowed.first().copied());
    let today = ronghe_store::today();
    let date = q
        .date
        .trim()
        .parse::<Date>()
        .ok()
        .filter(|d| *d <= today)
        .unwrap_or(today);
    let roster = state.store.meeting_roster(&scope, &org).await?;
    let c = Choices::load(&state, &user, &org, roster, date.year()).await?;
    let ticked = expected(kind, &c.roster, &c.seats);
    // The one who records is usually the one who took the minutes.
    let me = user.account().member_id.filter(|id| ticked.contains(id));
    let form = MeetingForm {
        org_id: org.id.to_string(),
        kind: kind.map(|k| k.code().to_string()).unwrap_or_default(),
        date: date.to_string(),
        attendees: c
            .roster
            .iter()
            .filter(|m| ticked.contains(&m.id))
            .map(|m| m.id.to_string())
            .collect(),
        recorder_member_id: me.map(|id| id.to_string()).unwrap_or_default(),
        // The secretary usually chairs, when expected there.
        chair_member_id: c
            .seats
            .iter()
            .find(|s| s.role() == ronghe_core::org::CommitteeRole::Secretary)
            .filter(|s| ticked.contains(&s.member_id))
            .map(|s| s.member_id.to_string())
            .unwrap_or_default(),
        ..MeetingForm::default()
    };
    Ok(form_page(&user, org, form, &HashMap::new(), FieldErrors::new(), &c).into_response())
}

pub(super) async fn new_submit(
    State(state): State<AppState>,
    user: CurrentUser,
    body: Bytes,
) -> Result<Response, AppError> {
    let FormInput { mut form, reasons } = read_form(&body)?;
    let id = form.org_id.trim().parse::<i64>().map_err(|_| {
        AppError::BadRequest("请从党组织页面的“记录会议”进入，以确定是哪个组织的会议。".into())
    })?;
    let org = writable_org(&state, &user, id).await?;
    let scope = user.scope(Permission::EditMembers);
    let roster = state.store.meeting_roster(&scope, &org).await?;
    let c = Choices::load(&state, &user, &org, roster, year_of(&form.date)).await?;
    let (extra, missing) = derive_absentees(&mut form, &reasons, &c);
    let result = match c.validate(&form) {
        Ok(input) if extra.is_empty() => {
            let entitled = state.store.meeting_entitled(&org, input.kind).await?;
            state
                .store
                .meeting_create(&user.actor(), &scope, &input, entitled)
                .await
        }
        Ok(_) => Err(StoreError::Invalid(extra)),
        Err(mut e) => {
            e.0.extend(extra.0);
            Err(StoreError::Invalid(e))
        }
    };
    match result {
        Ok(id) => Ok(Redirect::to(&format!("/meetings/{id}?saved=1")).into_response()),
        Err(StoreError::Invalid(errors)) => {
            // Absentees were derived from the ticks; the form shows ticks and reasons again.
            form.absentees.clear();
            let mut page = form_page(&user, org, form, &reasons, errors, &c);
            page.missing_reasons = missing;
            Ok(page.into_response())
        }
        Err(e) => Err(e.into()),
    }
}
