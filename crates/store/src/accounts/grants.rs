//! Roles granted to accounts: adding and revoking them, the member a role is tied to, and the
//! rule that each administrator role keeps at least one holder.

use super::*;

impl Store {
    pub async fn grant_add(
        &self,
        actor: &Actor,
        account_id: i64,
        role: Role,
        org_id: Option<i64>,
    ) -> StoreResult<()> {
        let account = self.account_get(account_id).await?;
        match (role.is_admin(), org_id) {
            (true, Some(_)) => {
                return Err(StoreError::field(
                    "org_id",
                    "管理员角色作用于全系统，不需选择组织",
                ))
            }
            (false, None) => return Err(StoreError::field("org_id", "请选择该角色所作用的党组织")),
            _ => {}
        }
        if role == Role::Member && account.member_id.is_none() {
            return Err(StoreError::field(
                "role",
                "党员角色需要先把账号关联到一名党员",
            ));
        }
        if let (Some(member), Some(org)) = (account.member_id, org_id) {
            if let Some(why) = self.member_outside_grant(member, org, role).await? {
                return Err(StoreError::field("org_id", why));
            }
        }
        let mut tx = self.pool.begin().await?;
        sqlx::query("INSERT INTO grants (account_id, role, org_id) VALUES ($1, $2, $3)")
            .bind(account_id)
            .bind(role.code())
            .bind(org_id)
            .execute(&mut *tx)
            .await?;
        let on = match org_id {
            Some(o) => format!("（组织 {o}）"),
            None => String::new(),
        };
        audit::change(
            &mut tx,
            actor,
            "account",
            account_id,
            &format!("{} 授予角色 {}{on}", account.username, role.label()),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn grant_remove(
        &self,
        actor: &Actor,
        account_id: i64,
        grant_id: i64,
    ) -> StoreResult<()> {
        let role: Option<String> =
            sqlx::query_scalar("SELECT role FROM grants WHERE id = $1 AND account_id = $2")
                .bind(grant_id)
                .bind(account_id)
                .fetch_optional(&self.pool)
                .await?;
        let role = role.ok_or(StoreError::NotFound)?;
        self.keep_one_admin(account_id, Some(&role)).await?;
        let label = Role::from_code(&role).map_or("未知角色", Role::label);
        let mut tx = self.pool.begin().await?;
        let n = sqlx::query("DELETE FROM grants WHERE id = $1 AND account_id = $2")
            .bind(grant_id)
            .bind(account_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        audit::change(
            &mut tx,
            actor,
            "account",
            account_id,
            &format!("撤销角色：{label}"),
        )
        .await?;
        tx.commit().await?;
        self.sessions_end_for(account_id).await?;
        Ok(())
    }

    /// Why `member_id` may not hold `role` on `org_id`, if so: a secretary or a member acts for
    /// the organization the person belongs to (or one of its 党小组).
    pub async fn member_outside_grant(
        &self,
        member_id: i64,
        org_id: i64,
        role: Role,
    ) -> StoreResult<Option<String>> {
        if !matches!(role, Role::Member | Role::BranchSecretary) {
            return Ok(None);
        }
        let outside: Option<(String, String)> = sqlx::query_as(
            "SELECT mo.name, go.name FROM members m JOIN orgs mo ON mo.id = m.org_id \
             JOIN orgs go ON go.id = $2 WHERE m.id = $1 AND mo.path NOT LIKE go.path || '%'",
        )
        .bind(member_id)
        .bind(org_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(outside.map(|(member_org, grant_org)| {
            format!(
                "所关联的党员属于「{member_org}」，不在「{grant_org}」内：{}只能授予本组织的党员",
                role.label()
            )
        }))
    }

    /// The username of the account linked to `member_id`, if any.
    pub async fn account_of_member(&self, member_id: i64) -> StoreResult<Option<String>> {
        Ok(
            sqlx::query_scalar("SELECT username FROM accounts WHERE member_id = $1 LIMIT 1")
                .bind(member_id)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// Refuses to take `role` (or, with `None`, every administrator role) away from
    /// `account_id` when no other enabled account holds it: the three administrators
    /// (三权分立) must each always have someone.
    pub(super) async fn keep_one_admin(
        &self,
        account_id: i64,
        role: Option<&str>,
    ) -> StoreResult<()> {
        let held: Vec<String> = match role {
            Some(r) => vec![r.to_string()],
            None => {
                sqlx::query_scalar("SELECT role FROM grants WHERE account_id = $1")
                    .bind(account_id)
                    .fetch_all(&self.pool)
                    .await?
            }
        };
        for code in held {
            let Some(r) = Role::from_code(&code).filter(|r| r.is_admin()) else {
                continue;
            };
            let others: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM grants g JOIN accounts a ON a.id = g.account_id \
                 WHERE g.role = $1 AND g.account_id <> $2 AND a.disabled = 0",
            )
            .bind(&code)
            .bind(account_id)
            .fetch_one(&self.pool)
            .await?;
            if others == 0 {
                return Err(StoreError::field(
                    "role",
                    format!(
                        "这是唯一的{}，不能撤销或停用；请先把该角色授予另一个账号",
                        r.label()
                    ),
                ));
            }
        }
        Ok(())
    }
}
