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
        if let Some(m) = t.assignee_member_id {
            if !self.member_of_plan_org(m, &plan).await? {
                return Err(StoreError::field(
                    "assignee_member_id",
                    "承担人应是本组织的在册党员",
                ));
            }
        }
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
        audit::change(
            &mut tx,
            actor,
            "plan",
            plan_id,
            &format!("部署任务「{}」，截止 {}", t.title, t.deadline),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
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

    /// Records progress, with an optional attachment, all or nothing. Allowed to those who
    /// edit the plan and to the task's own assignee.
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
        let allowed = write.sees_members_of(&plan.org_path)
            || (own_member.is_some() && own_member == task.assignee_member_id);
        if !allowed {
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

    /// Open tasks due by `until` (overdue ones included) in plans the scope covers, or assigned
    /// to `member`: the 待办 list.
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
        let open = "t.status IN ('not_started', 'in_progress') AND t.deadline <= ";
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
            let mut q = Q::new(&format!(
                "SELECT {TASK_COLS}, o.name AS org_name FROM tasks t LEFT JOIN members m ON m.id = t.assignee_member_id \
                 JOIN plans p ON p.id = t.plan_id JOIN orgs o ON o.id = p.org_id WHERE t.assignee_member_id = "
            ));
            q.bind(mid)
                .push(&format!(" AND {open}"))
                .bind(until.to_string());
            q.push(" ORDER BY t.deadline, t.id LIMIT ").bind(limit);
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

#[derive(FromRow)]
struct TaskWithOrg {
    #[sqlx(flatten)]
    task: Task,
    org_name: String,
}
