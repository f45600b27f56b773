//! 党建品牌: an organization's brand projects, the goals they serve, and their stages, each
//! moved by a committee above with its reason (history kept, audited).

use crate::error::{StoreError, StoreResult};
use crate::{audit, now_ms, Actor, Org, Store};
use ronghe_core::library::{BrandForm, BrandStage, StageMove};
use ronghe_core::scope::{is_within, subtree_range, Scope};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Brand {
    pub id: i64,
    pub org_id: i64,
    pub org_name: String,
    pub org_path: String,
    pub name: String,
    pub slogan: String,
    pub description: String,
    pub stage: BrandStage,
    pub goal_ids: Vec<i64>,
    pub updated_at: i64,
}

/// One stage change of a brand.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct StageStep {
    pub from_stage: Option<String>,
    pub to_stage: String,
    pub reason: String,
    pub by_username: String,
    pub at: i64,
}

type BrandRow = (
    i64,
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
    i64,
);

const BRAND_COLS: &str = "b.id, b.org_id, o.name, o.path, b.name, b.slogan, b.description, \
                          b.stage, b.updated_at";

impl Store {
    /// Refuses goals that are not of `org`'s own plans (field `goal_ids`); a brand names at
    /// most 20 (the form's rule), so one query each is cheap.
    async fn goals_of_org(&self, org_id: i64, goal_ids: &[i64]) -> StoreResult<()> {
        for &g in goal_ids {
            let n: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM goals g JOIN plans p ON p.id = g.plan_id \
                 WHERE g.id = $1 AND p.org_id = $2",
            )
            .bind(g)
            .bind(org_id)
            .fetch_one(&self.pool)
            .await?;
            if n == 0 {
                return Err(StoreError::field(
                    "goal_ids",
                    "只能关联本组织工作计划中的业务目标",
                ));
            }
        }
        Ok(())
    }

    /// A new brand of `org`, at 培育.
    pub async fn brand_create(
        &self,
        actor: &Actor,
        scope: &Scope,
        org: &Org,
        form: &BrandForm,
    ) -> StoreResult<i64> {
        if !scope.sees_org(&org.path) {
            return Err(StoreError::NotFound);
        }
        let f = form.validate().map_err(StoreError::Invalid)?;
        self.goals_of_org(org.id, &f.goal_ids).await?;
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO brands (org_id, name, slogan, description, stage, created_at, created_by, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $6) RETURNING id",
        )
        .bind(org.id)
        .bind(&f.name)
        .bind(&f.slogan)
        .bind(&f.description)
        .bind(BrandStage::Cultivating.code())
        .bind(now)
        .bind(&actor.username)
        .fetch_one(&mut *tx)
        .await?;
        for g in &f.goal_ids {
            sqlx::query("INSERT INTO brand_goals (brand_id, goal_id) VALUES ($1, $2)")
                .bind(id)
                .bind(g)
                .execute(&mut *tx)
                .await?;
        }
        let created = Step {
            brand_id: id,
            from: None,
            to: BrandStage::Cultivating,
            reason: "创建品牌",
            by_org: org.id,
        };
        created.write(&mut tx, actor, now).await?;
        audit::change(
            &mut tx,
            actor,
            "brand",
            id,
            &format!("{}创建党建品牌「{}」", org.name, f.name),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// A brand, if the scope sees its organization.
    pub async fn brand_get(&self, scope: &Scope, id: i64) -> StoreResult<Brand> {
        let row: Option<BrandRow> = sqlx::query_as(&format!(
            "SELECT {BRAND_COLS} FROM brands b JOIN orgs o ON o.id = b.org_id WHERE b.id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        let row = row.ok_or(StoreError::NotFound)?;
        if !scope.sees_org(&row.3) {
            return Err(StoreError::NotFound);
        }
        let goal_ids: Vec<i64> = sqlx::query_scalar(
            "SELECT goal_id FROM brand_goals WHERE brand_id = $1 ORDER BY goal_id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        Ok(brand_of(row, goal_ids))
    }

    /// The brands of `root`'s subtree (itself included), by stage (命名 first) then name.
    pub async fn brand_list(&self, scope: &Scope, root: &Org) -> StoreResult<Vec<Brand>> {
        if !scope.sees_org(&root.path) {
            return Err(StoreError::NotFound);
        }
        let (lo, hi) = subtree_range(&root.path);
        let rows: Vec<BrandRow> = sqlx::query_as(&format!(
            "SELECT {BRAND_COLS} FROM brands b JOIN orgs o ON o.id = b.org_id \
             WHERE o.path >= $1 AND o.path < $2 ORDER BY b.id"
        ))
        .bind(lo)
        .bind(hi)
        .fetch_all(&self.pool)
        .await?;
        let mut out: Vec<Brand> = rows
            .into_iter()
            .filter(|r| scope.sees_org(&r.3))
            .map(|r| brand_of(r, Vec::new()))
            .collect();
        out.sort_by(|a, b| b.stage.cmp(&a.stage).then_with(|| a.name.cmp(&b.name)));
        Ok(out)
    }

    /// The brand's stages, oldest first.
    pub async fn brand_stages(&self, brand: &Brand) -> StoreResult<Vec<StageStep>> {
        Ok(sqlx::query_as(
            "SELECT from_stage, to_stage, reason, by_username, at FROM brand_stages \
             WHERE brand_id = $1 ORDER BY id",
        )
        .bind(brand.id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Moves `brand` to `to` for the committee `by`, which must be above the brand's
    /// organization (a brand's own organization does not name itself).
    pub async fn brand_stage_move(
        &self,
        actor: &Actor,
        scope: &Scope,
        brand: &Brand,
        by: &Org,
        to: BrandStage,
        reason: &str,
    ) -> StoreResult<()> {
        if !scope.sees_org(&by.path) || !scope.sees_org(&brand.org_path) {
            return Err(StoreError::NotFound);
        }
        if by.path == brand.org_path || !is_within(&brand.org_path, &by.path) {
            return Err(StoreError::Forbidden);
        }
        let m = StageMove::check(brand.stage, to, reason).map_err(StoreError::Invalid)?;
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        let moved = sqlx::query(
            "UPDATE brands SET stage = $1, updated_at = $2 WHERE id = $3 AND stage = $4",
        )
        .bind(m.to.code())
        .bind(now)
        .bind(brand.id)
        .bind(m.from.code())
        .execute(&mut *tx)
        .await?;
        if moved.rows_affected() == 0 {
            return Err(StoreError::field(
                "stage",
                "品牌阶段刚被他人调整，请刷新后再试",
            ));
        }
        let step = Step {
            brand_id: brand.id,
            from: Some(m.from),
            to: m.to,
            reason: &m.reason,
            by_org: by.id,
        };
        step.write(&mut tx, actor, now).await?;
        audit::change(
            &mut tx,
            actor,
            "brand",
            brand.id,
            &format!(
                "{}将党建品牌「{}」由“{}”调整为“{}”（理由：{}）",
                by.name,
                brand.name,
                m.from.label(),
                m.to.label(),
                m.reason
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// A row of a brand's stage history.
struct Step<'a> {
    brand_id: i64,
    from: Option<BrandStage>,
    to: BrandStage,
    reason: &'a str,
    by_org: i64,
}

impl Step<'_> {
    async fn write(
        &self,
        conn: &mut sqlx::AnyConnection,
        actor: &Actor,
        at: i64,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO brand_stages (brand_id, from_stage, to_stage, reason, by_org_id, by_username, at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(self.brand_id)
        .bind(self.from.map(BrandStage::code))
        .bind(self.to.code())
        .bind(self.reason)
        .bind(self.by_org)
        .bind(&actor.username)
        .bind(at)
        .execute(conn)
        .await?;
        Ok(())
    }
}

fn brand_of(r: BrandRow, goal_ids: Vec<i64>) -> Brand {
    Brand {
        id: r.0,
        org_id: r.1,
        org_name: r.2,
        org_path: r.3,
        name: r.4,
        slogan: r.5,
        description: r.6,
        stage: BrandStage::from_code(&r.7).unwrap_or(BrandStage::Cultivating),
        goal_ids,
        updated_at: r.8,
    }
}
