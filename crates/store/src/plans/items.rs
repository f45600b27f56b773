//! Party work items and their links (结合点) to business goals.

use super::*;

impl Store {
    pub async fn item_create(
        &self,
        actor: &Actor,
        scope: &Scope,
        plan_id: i64,
        i: &ItemInput,
    ) -> StoreResult<i64> {
        let plan = self.plan_for_write(scope, plan_id).await?;
        if let Some(m) = i.owner_member_id {
            if !self.member_of_plan_org(m, &plan).await? {
                return Err(StoreError::field(
                    "owner_member_id",
                    "负责人应是本组织的在册党员",
                ));
            }
        }
        let mut tx = self.pool.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO items (plan_id, kind, title, description, owner_member_id, starts_on, ends_on, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(plan_id)
        .bind(i.kind.code())
        .bind(&i.title)
        .bind(i.description.clone())
        .bind(i.owner_member_id)
        .bind(date(i.starts_on))
        .bind(date(i.ends_on))
        .bind(now_ms())
        .fetch_one(&mut *tx)
        .await?;
        audit::change(
            &mut tx,
            actor,
            "plan",
            plan_id,
            &format!("新增党建工作项「{}」（{}）", i.title, i.kind.label()),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn link_create(
        &self,
        actor: &Actor,
        scope: &Scope,
        plan_id: i64,
        l: &LinkInput,
    ) -> StoreResult<i64> {
        self.plan_for_write(scope, plan_id).await?;
        if !self.item_in_plan(l.item_id, plan_id).await? {
            return Err(StoreError::field("item_id", "所选党建工作项不在本计划中"));
        }
        if !self.goal_in_plan(l.goal_id, plan_id).await? {
            return Err(StoreError::field(
                "goal_id",
                "所选业务目标不在本计划中，或不在您的权限范围内",
            ));
        }
        let mut tx = self.pool.begin().await?;
        let id: i64 = sqlx::query_scalar("INSERT INTO links (item_id, goal_id, junction, kind) VALUES ($1, $2, $3, $4) RETURNING id")
            .bind(l.item_id)
            .bind(l.goal_id)
            .bind(&l.junction)
            .bind(l.kind.code())
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| conflict(e, "goal_id", "这项工作与该目标已经建立了结合点"))?;
        audit::change(
            &mut tx,
            actor,
            "plan",
            plan_id,
            &format!("建立结合点：{}", l.junction),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Party work items of a year's plans in scope that serve no business goal (未找到结合点).
    pub async fn orphan_items(
        &self,
        scope: &Scope,
        year: i64,
        limit: i64,
    ) -> StoreResult<Vec<(Item, i64, String)>> {
        let mut q = Q::new(
            "SELECT i.id, i.plan_id, i.kind, i.title, i.description, i.owner_member_id, NULL AS owner_name, \
             i.starts_on, i.ends_on, o.name AS org_name FROM items i JOIN plans p ON p.id = i.plan_id \
             JOIN orgs o ON o.id = p.org_id WHERE p.year = ",
        );
        q.bind(year)
            .push(" AND NOT EXISTS (SELECT 1 FROM links l WHERE l.item_id = i.id) AND ");
        q.org_scope(scope, "o.path", false)
            .push(" ORDER BY i.id LIMIT ")
            .bind(limit);
        let rows = q.query_as::<ItemWithOrg>().fetch_all(&self.pool).await?;
        Ok(rows
            .into_iter()
            .map(|r| (r.item.clone(), r.item.plan_id, r.org_name))
            .collect())
    }
}

#[derive(FromRow)]
struct ItemWithOrg {
    #[sqlx(flatten)]
    item: Item,
    org_name: String,
}
