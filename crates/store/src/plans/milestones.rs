//! The people who carry out a task besides its lead (承办人), and its milestones (里程碑):
//! reading them, checking new ones, writing them with the task, and marking milestones done.

use super::*;
use ronghe_core::plan::milestone::{check_done_on, Milestone};
use sqlx::AnyConnection;

/// A co-assignee of a task.
#[derive(Debug, Clone, Serialize, FromRow)]
pub struct TaskAssignee {
    pub task_id: i64,
    pub member_id: i64,
    pub name: String,
}

/// A milestone as stored.
#[derive(Debug, Clone, Serialize, FromRow)]
pub struct TaskMilestone {
    pub id: i64,
    pub task_id: i64,
    pub title: String,
    pub due_on: String,
    pub done_on: Option<String>,
    pub position: i64,
}

const MILESTONE_COLS: &str = "x.id, x.task_id, x.title, x.due_on, x.done_on, x.position";

impl TaskMilestone {
    pub fn is_done(&self) -> bool {
        self.done_on.is_some()
    }

    /// Open, its task open, and its due day passed (see [`Milestone::is_overdue`]).
    pub fn is_overdue(&self, task: TaskStatus, today: ronghe_core::Date) -> bool {
        self.due_on.parse().is_ok_and(|due_on| {
            Milestone {
                title: self.title.clone(),
                due_on,
                done_on: self.done_on.as_deref().and_then(|d| d.parse().ok()),
            }
            .is_overdue(task, today)
        })
    }
}

impl Task {
    /// The percentage reported on the task, `None` when nobody reported one yet: every task
    /// starts at 0, and a task with milestones then counts the share of them done.
    pub fn reported_percent(&self) -> Option<u8> {
        reported_percent(self.percent)
    }

    /// Progress aware of the task's milestones (`done` of `total`), explained.
    pub fn progress(&self, done: usize, total: usize) -> ronghe_core::plan::TaskProgress {
        ronghe_core::plan::task_progress_with_milestones(
            self.status(),
            self.reported_percent(),
            done,
            total,
        )
    }
}

/// A stored percentage as reported progress: `None` for 0 (nobody reported one yet).
pub(crate) fn reported_percent(percent: i64) -> Option<u8> {
    u8::try_from(percent.clamp(0, 100)).ok().filter(|p| *p > 0)
}

impl Store {
    pub async fn task_assignees(&self, task_id: i64) -> StoreResult<Vec<TaskAssignee>> {
        Ok(sqlx::query_as::<_, TaskAssignee>(
            "SELECT a.task_id, a.member_id, m.name FROM task_assignees a \
             JOIN members m ON m.id = a.member_id WHERE a.task_id = $1 ORDER BY m.name, m.id",
        )
        .bind(task_id)
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn task_milestones(&self, task_id: i64) -> StoreResult<Vec<TaskMilestone>> {
        Ok(sqlx::query_as::<_, TaskMilestone>(&format!(
            "SELECT {MILESTONE_COLS} FROM task_milestones x WHERE x.task_id = $1 ORDER BY x.position, x.id"
        ))
        .bind(task_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Co-assignees of every task of a plan.
    pub(crate) async fn plan_task_assignees(&self, plan_id: i64) -> StoreResult<Vec<TaskAssignee>> {
        Ok(sqlx::query_as::<_, TaskAssignee>(
            "SELECT a.task_id, a.member_id, m.name FROM tasks t JOIN task_assignees a ON a.task_id = t.id \
             JOIN members m ON m.id = a.member_id WHERE t.plan_id = $1 ORDER BY a.task_id, m.name, m.id",
        )
        .bind(plan_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Milestones of every task of a plan.
    pub(crate) async fn plan_task_milestones(
        &self,
        plan_id: i64,
    ) -> StoreResult<Vec<TaskMilestone>> {
        Ok(sqlx::query_as::<_, TaskMilestone>(&format!(
            "SELECT {MILESTONE_COLS} FROM tasks t JOIN task_milestones x ON x.task_id = t.id \
             WHERE t.plan_id = $1 ORDER BY x.task_id, x.position, x.id"
        ))
        .bind(plan_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Those of `ids` who may carry out tasks of `plan`: active members of its organization's
    /// subtree (the rule for the lead).
    pub(crate) async fn members_of_plan_org(
        &self,
        ids: &[i64],
        plan: &Plan,
    ) -> StoreResult<Vec<i64>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let (lo, hi) = ronghe_core::scope::subtree_range(&plan.org_path);
        // Ids are integers, so listing them in the text is safe; the list is short (≤ 30).
        let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        Ok(sqlx::query_scalar(&format!(
            "SELECT m.id FROM members m JOIN orgs o ON o.id = m.org_id WHERE m.id IN ({list}) \
             AND m.active = 1 AND o.path >= $1 AND o.path < $2"
        ))
        .bind(lo)
        .bind(hi)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Adds to `e` when a co-assignee is not an active member of the plan's organization
    /// (those already on the task stay allowed: they may have moved since). Names are not
    /// shown: the refused person may be outside what the user may see.
    pub(crate) async fn check_co_assignees(
        &self,
        e: &mut ronghe_core::text::FieldErrors,
        ids: &[i64],
        already: &[i64],
        plan: &Plan,
    ) -> StoreResult<()> {
        let new: Vec<i64> = ids
            .iter()
            .copied()
            .filter(|i| !already.contains(i))
            .collect();
        let ok = self.members_of_plan_org(&new, plan).await?;
        let refused = new.iter().filter(|i| !ok.contains(i)).count();
        if refused > 0 {
            e.add(
                "assignee_ids",
                format!(
                    "所选承办人中有 {refused} 人不是{}的在册党员，请从本组织党员中重新选择",
                    plan.org_name
                ),
            );
        }
        Ok(())
    }

    /// (id, name) of the given members, in the order given (for the history).
    pub(crate) async fn member_names(&self, ids: &[i64]) -> StoreResult<Vec<(i64, String)>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        let rows: Vec<(i64, String)> = sqlx::query_as(&format!(
            "SELECT id, name FROM members WHERE id IN ({list})"
        ))
        .fetch_all(&self.pool)
        .await?;
        Ok(ids
            .iter()
            .filter_map(|i| rows.iter().find(|(id, _)| id == i).cloned())
            .collect())
    }

    /// Whether `own_member` carries out the task, as lead or co-assignee.
    pub async fn task_assigned_to(
        &self,
        task: &Task,
        own_member: Option<i64>,
    ) -> StoreResult<bool> {
        let Some(m) = own_member else {
            return Ok(false);
        };
        if task.assignee_member_id == Some(m) {
            return Ok(true);
        }
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM task_assignees WHERE task_id = $1 AND member_id = $2",
        )
        .bind(task.id)
        .bind(m)
        .fetch_one(&self.pool)
        .await?;
        Ok(n > 0)
    }

    /// Whether the user may report on the task and mark its milestones: those who edit its
    /// plan, and the people who carry it out.
    pub async fn task_may_report(
        &self,
        write: &Scope,
        own_member: Option<i64>,
        task: &Task,
        plan: &Plan,
    ) -> StoreResult<bool> {
        Ok(
            write.sees_members_of(&plan.org_path)
                || self.task_assigned_to(task, own_member).await?,
        )
    }

    /// Marks a milestone done on `done_on` (today from the pages), or open again with `None`.
    /// Allowed to those who may report on the task; recorded in the plan's history and the
    /// audit log. Returns the history's sentence.
    #[allow(clippy::too_many_arguments)]
    pub async fn milestone_set_done(
        &self,
        actor: &Actor,
        write: &Scope,
        view: &Scope,
        own_member: Option<i64>,
        task_id: i64,
        milestone_id: i64,
        done_on: Option<ronghe_core::Date>,
    ) -> StoreResult<String> {
        let (task, plan) = self.task_get(view, task_id).await?;
        let m = self
            .task_milestones(task_id)
            .await?
            .into_iter()
            .find(|m| m.id == milestone_id)
            .ok_or(StoreError::NotFound)?;
        if !self
            .task_may_report(write, own_member, &task, &plan)
            .await?
        {
            return Err(StoreError::Forbidden);
        }
        if let Some(d) = done_on {
            check_done_on(d, crate::today()).map_err(|e| StoreError::field("done_on", e))?;
        }
        let what = match (done_on, &m.done_on) {
            (Some(d), _) => format!("任务「{}」里程碑「{}」标记完成（{d}）", task.title, m.title),
            (None, Some(was)) => format!(
                "任务「{}」里程碑「{}」撤销完成（原记 {was} 完成）",
                task.title, m.title
            ),
            (None, None) => return Ok(format!("里程碑「{}」尚未完成，无需撤销", m.title)),
        };
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE task_milestones SET done_on = $1 WHERE id = $2 AND task_id = $3")
            .bind(done_on.map(|d| d.to_string()))
            .bind(milestone_id)
            .bind(task_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE tasks SET updated_at = $1 WHERE id = $2")
            .bind(now_ms())
            .bind(task_id)
            .execute(&mut *tx)
            .await?;
        audit::change(&mut tx, actor, "plan", plan.id, &what).await?;
        tx.commit().await?;
        Ok(what)
    }
}

/// Writes a new task's co-assignees and milestones, inside its transaction.
pub(crate) async fn insert_people_and_milestones(
    conn: &mut AnyConnection,
    task_id: i64,
    assignees: &[i64],
    milestones: &[Milestone],
) -> StoreResult<()> {
    for m in assignees {
        sqlx::query("INSERT INTO task_assignees (task_id, member_id) VALUES ($1, $2)")
            .bind(task_id)
            .bind(*m)
            .execute(&mut *conn)
            .await?;
    }
    for (i, m) in milestones.iter().enumerate() {
        insert_milestone(conn, task_id, i, m, None).await?;
    }
    Ok(())
}

async fn insert_milestone(
    conn: &mut AnyConnection,
    task_id: i64,
    position: usize,
    m: &Milestone,
    done_on: Option<String>,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO task_milestones (task_id, title, due_on, done_on, position) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(task_id)
    .bind(&m.title)
    .bind(m.due_on.to_string())
    .bind(done_on)
    .bind(position as i64)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Replaces a task's co-assignees and milestones, inside the edit's transaction. A milestone
/// keeps its id and its done day when its name is kept; others are added or removed.
pub(crate) async fn replace_people_and_milestones(
    conn: &mut AnyConnection,
    task_id: i64,
    assignees: &[i64],
    old: &[TaskMilestone],
    milestones: &[Milestone],
) -> StoreResult<()> {
    sqlx::query("DELETE FROM task_assignees WHERE task_id = $1")
        .bind(task_id)
        .execute(&mut *conn)
        .await?;
    for m in assignees {
        sqlx::query("INSERT INTO task_assignees (task_id, member_id) VALUES ($1, $2)")
            .bind(task_id)
            .bind(*m)
            .execute(&mut *conn)
            .await?;
    }
    let mut kept = Vec::new();
    for (i, m) in milestones.iter().enumerate() {
        match old.iter().find(|o| o.title == m.title) {
            Some(o) => {
                sqlx::query("UPDATE task_milestones SET due_on = $1, position = $2 WHERE id = $3")
                    .bind(m.due_on.to_string())
                    .bind(i as i64)
                    .bind(o.id)
                    .execute(&mut *conn)
                    .await?;
                kept.push(o.id);
            }
            None => insert_milestone(conn, task_id, i, m, None).await?,
        }
    }
    for o in old.iter().filter(|o| !kept.contains(&o.id)) {
        sqlx::query("DELETE FROM task_milestones WHERE id = $1")
            .bind(o.id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// "承办人 A、B → A、C；里程碑：新增「…」（日期）；删除「…」；「…」日期 a → b" for the
/// history, or nothing when neither changed.
pub(crate) fn describe_people_and_milestones(
    old_people: &[TaskAssignee],
    new_people: &[(i64, String)],
    old: &[TaskMilestone],
    new: &[Milestone],
) -> Vec<String> {
    let mut parts = Vec::new();
    let mut was: Vec<i64> = old_people.iter().map(|a| a.member_id).collect();
    let mut now: Vec<i64> = new_people.iter().map(|(id, _)| *id).collect();
    was.sort_unstable();
    now.sort_unstable();
    if was != now {
        let names = |v: Vec<String>| {
            if v.is_empty() {
                "无".to_string()
            } else {
                v.join("、")
            }
        };
        parts.push(format!(
            "承办人 {} → {}",
            names(old_people.iter().map(|a| a.name.clone()).collect()),
            names(new_people.iter().map(|(_, n)| n.clone()).collect())
        ));
    }
    let mut ms = Vec::new();
    for m in new {
        match old.iter().find(|o| o.title == m.title) {
            None => ms.push(format!("新增「{}」（{}）", m.title, m.due_on)),
            Some(o) if o.due_on != m.due_on.to_string() => {
                ms.push(format!("「{}」日期 {} → {}", m.title, o.due_on, m.due_on));
            }
            Some(_) => {}
        }
    }
    for o in old
        .iter()
        .filter(|o| !new.iter().any(|m| m.title == o.title))
    {
        let done = if o.is_done() { "，原已完成" } else { "" };
        ms.push(format!("删除「{}」（{}{done}）", o.title, o.due_on));
    }
    if !ms.is_empty() {
        parts.push(format!("里程碑：{}", ms.join("、")));
    }
    parts
}
