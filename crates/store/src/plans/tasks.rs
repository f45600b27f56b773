//! Tasks deployed from items and goals, and their progress reports.

use super::*;

impl Store {
    pub async fn task_create(
        &self,
        actor: &Actor,
        scope: &Scope,
        plan_id: i64,
        t: &TaskInput,
    ) -> StoreResult<i64> {
        let plan = self.plan_for_write(scope, plan_id).await?;
        if let Some(i) = t.item_id {
            if !self.item_in_plan(i, plan_id).await? {
                return Err(StoreError::field("item_id", "所选党建工作项不在本计划中"));
            }
        }
        if let Some(g) = t.goal_id {
            if !self.goal_in_plan(g, plan_id).await? {
                return Err(StoreError::field("goal_id", "所选业务目标不在本计划中"));
            }
        }
        let mut e = ronghe_core::text::FieldErrors::new();
        if let Some(m) = t.assignee_member_id {
            if !self.member_of_plan_org(m, &plan).await? {
                e.add("assignee_member_id", "牵头人应是本组织的在册党员");
            }
        }
        self.check_co_assignees(&mut e, &t.assignee_ids, &[], &plan)
            .await?;
        e.into_result().map_err(StoreError::Invalid)?;
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO tasks (plan_id, item_id, goal_id, title, assignee_member_id, business_owner, deadline, status, percent, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'not_started', 0, $8, $8) RETURNING id",
        )
        .bind(plan_id)
        .bind(t.item_id)
        .bind(t.goal_id)
        .bind(&t.title)
        .bind(t.assignee_member_id)
        .bind(t.business_owner.clone())
        .bind(t.deadline.to_string())
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        milestones::insert_people_and_milestones(&mut tx, id, &t.assignee_ids, &t.milestones)
            .await?;
        let mut what = format!("部署任务「{}」，截止 {}", t.title, t.deadline);
        if !t.assignee_ids.is_empty() {
            what.push_str(&format!("，承办人 {} 人", t.assignee_ids.len()));
        }
        if !t.milestones.is_empty() {
            what.push_str(&format!("，里程碑 {} 个", t.milestones.len()));
        }
        audit::change(&mut tx, actor, "plan", plan_id, &what).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// A task the writer may change: visible, and its plan's organization inside the writer's
    /// scope. NotFound otherwise, exactly as if it did not exist.
    pub async fn task_for_write(&self, scope: &Scope, id: i64) -> StoreResult<(Task, Plan)> {
        let (task, plan) = self.task_get(scope, id).await?;
        if !scope.sees_members_of(&plan.org_path) {
            return Err(StoreError::NotFound);
        }
        Ok((task, plan))
    }

    /// Changes what a task is (name, where it comes from, who carries it out, the business
    /// co-owner, the deadline), checked as when it was deployed. Progress and status are not
    /// touched: they change through progress reports. Returns the history's sentence.
    pub async fn task_edit(
        &self,
        actor: &Actor,
        scope: &Scope,
        id: i64,
        t: &TaskInput,
    ) -> StoreResult<String> {
        let (task, plan) = self.task_for_write(scope, id).await?;
        let mut e = ronghe_core::text::FieldErrors::new();
        if let Some(i) = t.item_id {
            if !self.item_in_plan(i, plan.id).await? {
                e.add("item_id", "所选党建工作项不在本计划中");
            }
        }
        if let Some(g) = t.goal_id {
            if !self.goal_in_plan(g, plan.id).await? {
                e.add("goal_id", "所选业务目标不在本计划中");
            }
        }
        // The assignee already on the task stays allowed (they may have moved since).
        if let Some(m) = t
            .assignee_member_id
            .filter(|m| Some(*m) != task.assignee_member_id)
        {
            if !self.member_of_plan_org(m, &plan).await? {
                e.add("assignee_member_id", "牵头人应是本组织的在册党员");
            }
        }
        let old_people = self.task_assignees(id).await?;
        let already: Vec<i64> = old_people.iter().map(|a| a.member_id).collect();
        self.check_co_assignees(&mut e, &t.assignee_ids, &already, &plan)
            .await?;
        e.into_result().map_err(StoreError::Invalid)?;
        let old_milestones = self.task_milestones(id).await?;
        let new_people = self.member_names(&t.assignee_ids).await?;
        let more = milestones::describe_people_and_milestones(
            &old_people,
            &new_people,
            &old_milestones,
            &t.milestones,
        );
        let summary = self.describe_task_edit(&task, t, more).await?;
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "UPDATE tasks SET title = $1, item_id = $2, goal_id = $3, assignee_member_id = $4, \
             business_owner = $5, deadline = $6, updated_at = $7 WHERE id = $8",
        )
        .bind(&t.title)
        .bind(t.item_id)
        .bind(t.goal_id)
        .bind(t.assignee_member_id)
        .bind(t.business_owner.clone())
        .bind(t.deadline.to_string())
        .bind(now_ms())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        milestones::replace_people_and_milestones(
            &mut tx,
            id,
            &t.assignee_ids,
            &old_milestones,
            &t.milestones,
        )
        .await?;
        audit::change(&mut tx, actor, "plan", plan.id, &summary).await?;
        tx.commit().await?;
        Ok(summary)
    }

    /// "修改任务「…」：截止日期 … → …；牵头人 … → …" for the plan's history, ending with
    /// `more` (co-assignees and milestones).
    async fn describe_task_edit(
        &self,
        old: &Task,
        t: &TaskInput,
        more: Vec<String>,
    ) -> StoreResult<String> {
        let title_of = |table: &'static str, id: Option<i64>| async move {
            let Some(id) = id else {
                return Ok::<String, StoreError>("无".to_string());
            };
            let sql = match table {
                "items" => "SELECT title FROM items WHERE id = $1",
                "goals" => "SELECT title FROM goals WHERE id = $1",
                _ => "SELECT name FROM members WHERE id = $1",
            };
            let v: Option<String> = sqlx::query_scalar(sql)
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
            Ok(v.map_or_else(|| format!("编号 {id}"), |v| format!("「{v}」")))
        };
        let mut parts = Vec::new();
        if old.title != t.title {
            parts.push(format!("名称「{}」→「{}」", old.title, t.title));
        }
        if old.item_id != t.item_id {
            parts.push(format!(
                "来自党建工作项 {} → {}",
                title_of("items", old.item_id).await?,
                title_of("items", t.item_id).await?
            ));
        }
        if old.goal_id != t.goal_id {
            parts.push(format!(
                "服务业务目标 {} → {}",
                title_of("goals", old.goal_id).await?,
                title_of("goals", t.goal_id).await?
            ));
        }
        if old.assignee_member_id != t.assignee_member_id {
            let was = old
                .assignee_name
                .as_ref()
                .map_or_else(|| "未指定".to_string(), |n| format!("「{n}」"));
            let now = match t.assignee_member_id {
                None => "未指定".to_string(),
                id => title_of("members", id).await?,
            };
            parts.push(format!("牵头人 {was} → {now}"));
        }
        if old.business_owner != t.business_owner {
            let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "无".to_string());
            parts.push(format!(
                "业务协同负责人 {} → {}",
                show(&old.business_owner),
                show(&t.business_owner)
            ));
        }
        let deadline = t.deadline.to_string();
        if old.deadline != deadline {
            parts.push(format!("截止日期 {} → {deadline}", old.deadline));
        }
        parts.extend(more);
        if parts.is_empty() {
            parts.push("未作改动".to_string());
        }
        Ok(format!("修改任务「{}」：{}", t.title, parts.join("；")))
    }

    /// How many progress reports a task has.
    pub async fn task_update_count(&self, task_id: i64) -> StoreResult<i64> {
        Ok(
            sqlx::query_scalar("SELECT COUNT(*) FROM task_updates WHERE task_id = $1")
                .bind(task_id)
                .fetch_one(&self.pool)
                .await?,
        )
    }

    /// Deletes a task deployed by mistake, one nobody has reported progress on yet. A task
    /// with progress reports is a record of work done and is refused with the reason
    /// ([`Task::delete_refusal`]); it can be cancelled instead. Returns the task as it was.
    pub async fn task_delete(&self, actor: &Actor, scope: &Scope, id: i64) -> StoreResult<Task> {
        let (task, plan) = self.task_for_write(scope, id).await?;
        let refuse = |n: i64| StoreError::field("task", task.delete_refusal(n).unwrap_or_default());
        let n = self.task_update_count(id).await?;
        if n > 0 {
            return Err(refuse(n));
        }
        let mut tx = self.pool.begin().await?;
        for table in ["task_assignees", "task_milestones"] {
            sqlx::query(&format!("DELETE FROM {table} WHERE task_id = $1"))
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        // Checked again inside the write: a report may have arrived since.
        let done = sqlx::query(
            "DELETE FROM tasks WHERE id = $1 AND NOT EXISTS \
             (SELECT 1 FROM task_updates u WHERE u.task_id = $2)",
        )
        .bind(id)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(refuse(1));
        }
        let what = format!(
            "删除任务「{}」（截止 {}，{}，尚无进展记录）",
            task.title,
            task.deadline,
            task.status_label()
        );
        audit::change(&mut tx, actor, "plan", plan.id, &what).await?;
        tx.commit().await?;
        Ok(task)
    }

    /// A task, if its plan is visible.
    pub async fn task_get(&self, scope: &Scope, id: i64) -> StoreResult<(Task, Plan)> {
        let task = sqlx::query_as::<_, Task>(&format!(
            "SELECT {TASK_COLS} FROM tasks t LEFT JOIN members m ON m.id = t.assignee_member_id WHERE t.id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)?;
        let plan = self.plan_get(scope, task.plan_id).await?;
        Ok((task, plan))
    }

    pub async fn task_updates(&self, task_id: i64) -> StoreResult<Vec<TaskUpdate>> {
        Ok(sqlx::query_as::<_, TaskUpdate>(
            "SELECT u.at, u.username, u.percent, u.note, u.attachment_id, a.filename AS attachment_name \
             FROM task_updates u LEFT JOIN attachments a ON a.id = u.attachment_id \
             WHERE u.task_id = $1 ORDER BY u.at DESC, u.id DESC",
        )
        .bind(task_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Dates a task's progress reports, oldest first, at `at` (milliseconds); reports beyond
    /// `at` keep their time. For demonstration data only, whose reports are written at once
    /// and dated afterwards as they would have been reported; it bypasses the history.
    pub async fn backdate_task_updates(&self, task_id: i64, at: &[i64]) -> StoreResult<()> {
        let ids: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM task_updates WHERE task_id = $1 ORDER BY id")
                .bind(task_id)
                .fetch_all(&self.pool)
                .await?;
        for (id, at) in ids.iter().zip(at) {
            sqlx::query("UPDATE task_updates SET at = $1 WHERE id = $2")
                .bind(at)
                .bind(id)
                .execute(&self.pool)
                .await?;
        }
        Ok(())
    }

    /// Records progress, with an optional attachment, all or nothing. Allowed to those who
    /// edit the plan and to the people who carry the task out (lead and co-assignees).
    #[allow(clippy::too_many_arguments)]
    pub async fn task_update(
        &self,
        actor: &Actor,
        write: &Scope,
        view: &Scope,
        own_member: Option<i64>,
        id: i64,
        u: &TaskUpdateInput,
        attachment: Option<&crate::NewAttachment>,
    ) -> StoreResult<()> {
        let (task, plan) = self.task_get(view, id).await?;
        if !self
            .task_may_report(write, own_member, &task, &plan)
            .await?
        {
            return Err(StoreError::Forbidden);
        }
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        let stored = match attachment {
            Some(a) => Some(
                self.attachment_insert(&mut tx, actor, plan.org_id, a)
                    .await?,
            ),
            None => None,
        };
        let result = async {
            sqlx::query("UPDATE tasks SET status = $1, percent = $2, updated_at = $3 WHERE id = $4")
                .bind(u.status.code())
                .bind(i64::from(u.percent))
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO task_updates (task_id, at, username, percent, note, attachment_id) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(id)
            .bind(now)
            .bind(&actor.username)
            .bind(i64::from(u.percent))
            .bind(u.note.clone())
            .bind(stored.as_ref().map(|s| s.0))
            .execute(&mut *tx)
            .await?;
            let what = format!("任务「{}」进展：{}，{}%", task.title, u.status.label(), u.percent);
            audit::change(&mut tx, actor, "plan", plan.id, &what).await?;
            tx.commit().await?;
            Ok::<(), StoreError>(())
        }
        .await;
        if result.is_err() {
            if let Some((_, path)) = stored {
                let _ = tokio::fs::remove_file(path).await;
            }
        }
        result
    }

    /// Open tasks due by `until` (overdue ones included) in plans the scope covers, or carried
    /// out by `member` (as lead or co-assignee): the 待办 list.
    pub async fn tasks_due(
        &self,
        scope: &Scope,
        member: Option<i64>,
        until: ronghe_core::Date,
        limit: i64,
    ) -> StoreResult<Vec<(Task, String)>> {
        // Two index-driven queries instead of one with an OR (which scans every task): the
        // plans of the organizations in scope, and the tasks assigned to the member.
        let year = i64::from(chrono::Datelike::year(&until));
        // A closed (summarized) plan's tasks are no longer anybody's to-do.
        let open = "p.status <> 'summarized' AND t.status IN ('not_started', 'in_progress') AND t.deadline <= ";
        let mut q = Q::new(&format!(
            "SELECT {TASK_COLS}, o.name AS org_name FROM orgs o JOIN plans p ON p.org_id = o.id \
             JOIN tasks t ON t.plan_id = p.id LEFT JOIN members m ON m.id = t.assignee_member_id WHERE "
        ));
        q.org_scope(scope, "o.path", false)
            .push(" AND p.year >= ")
            .bind(year - 1);
        q.push(" AND p.year <= ")
            .bind(year)
            .push(&format!(" AND {open}"))
            .bind(until.to_string());
        q.push(" ORDER BY t.deadline, t.id LIMIT ").bind(limit);
        let mut rows = if scope.is_empty() {
            Vec::new()
        } else {
            q.query_as::<TaskWithOrg>().fetch_all(&self.pool).await?
        };
        if let Some(mid) = member {
            // The member's own tasks, as lead and as co-assignee: each side index-driven
            // (tasks_assignee, task_assignees_member) and limited, then merged.
            let mine = |from: &str, cond: &str| {
                format!(
                    "SELECT * FROM (SELECT {TASK_COLS}, o.name AS org_name FROM {from} \
                     LEFT JOIN members m ON m.id = t.assignee_member_id JOIN plans p ON p.id = t.plan_id \
                     JOIN orgs o ON o.id = p.org_id WHERE {cond} = "
                )
            };
            let mut q = Q::new(&mine("tasks t", "t.assignee_member_id"));
            q.bind(mid)
                .push(&format!(" AND {open}"))
                .bind(until.to_string());
            q.push(" ORDER BY t.deadline, t.id LIMIT ").bind(limit);
            q.push(") a UNION ").push(&mine(
                "task_assignees ta JOIN tasks t ON t.id = ta.task_id",
                "ta.member_id",
            ));
            q.bind(mid)
                .push(&format!(" AND {open}"))
                .bind(until.to_string());
            q.push(" ORDER BY t.deadline, t.id LIMIT ").bind(limit);
            q.push(") b ORDER BY deadline, id LIMIT ").bind(limit);
            for r in q.query_as::<TaskWithOrg>().fetch_all(&self.pool).await? {
                if !rows.iter().any(|x| x.task.id == r.task.id) {
                    rows.push(r);
                }
            }
            rows.sort_by(|a, b| (&a.task.deadline, a.task.id).cmp(&(&b.task.deadline, b.task.id)));
            rows.truncate(limit as usize);
        }
        Ok(rows.into_iter().map(|r| (r.task, r.org_name)).collect())
    }
}

impl Task {
    /// Why this task cannot be deleted when it has `updates` progress reports, and what to do
    /// instead; `None` when it can be.
    pub fn delete_refusal(&self, updates: i64) -> Option<String> {
        if updates <= 0 {
            return None;
        }
        let why = format!(
            "该任务已有 {updates} 条进展记录，不能删除：进展和佐证材料是工作落实情况的记录，\
             删除会让检查和考核失去依据。"
        );
        let instead = match self.status() {
            TaskStatus::Cancelled => "任务已是“已取消”状态，不再计入待办和逾期，无需删除。",
            TaskStatus::Done => {
                "任务已完成；如确实不再需要，请先重新打开（改为“进行中”），再改为“已取消”。"
            }
            _ => "如这项任务不再执行，请将其改为“已取消”：记录保留，不再计入待办和逾期。",
        };
        Some(format!("{why}{instead}"))
    }
}

#[derive(FromRow)]
struct TaskWithOrg {
    #[sqlx(flatten)]
    task: Task,
    org_name: String,
}
