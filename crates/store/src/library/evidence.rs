//! A brand's evidence, drawn from what the plans already hold: the goals it serves with their
//! KPIs (baseline, target, latest value), the Party work linked to them and its tasks. Nothing
//! here is typed for the brand.

use crate::error::StoreResult;
use crate::{Brand, Store};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct KpiEvidence {
    pub name: String,
    pub unit: String,
    pub baseline: f64,
    pub target: f64,
    /// The newest month reported and its value.
    pub month: Option<String>,
    pub value: Option<f64>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct LinkedItem {
    pub id: i64,
    pub title: String,
    pub junction: String,
    /// The carrier (core's `PartyItemKind` code: 先锋岗, 责任区 …).
    pub carrier: String,
    /// How it serves the goal (core's `LinkKind` code).
    pub link_kind: String,
}

impl LinkedItem {
    pub fn carrier_label(&self) -> &'static str {
        ronghe_core::plan::item::PartyItemKind::from_code(&self.carrier).map_or("", |k| k.label())
    }

    pub fn link_label(&self) -> &'static str {
        ronghe_core::plan::item::LinkKind::from_code(&self.link_kind).map_or("", |k| k.label())
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct GoalEvidence {
    pub goal_id: i64,
    pub title: String,
    pub plan_id: i64,
    pub plan_year: i64,
    pub kpis: Vec<KpiEvidence>,
    pub items: Vec<LinkedItem>,
    pub tasks_done: i64,
    pub tasks_total: i64,
}

impl Store {
    /// The evidence of `brand` (already read through the reader's scope), goal by goal.
    pub async fn brand_evidence(&self, brand: &Brand) -> StoreResult<Vec<GoalEvidence>> {
        let mut out = Vec::new();
        for &g in &brand.goal_ids {
            let head: Option<(String, i64, i64)> = sqlx::query_as(
                "SELECT g.title, p.id, p.year FROM goals g JOIN plans p ON p.id = g.plan_id WHERE g.id = $1",
            )
            .bind(g)
            .fetch_optional(&self.pool)
            .await?;
            let Some((title, plan_id, plan_year)) = head else {
                continue;
            };
            let kpis: Vec<KpiEvidence> = sqlx::query_as(
                "SELECT k.name, k.unit, k.baseline, k.target, v.month, v.value FROM kpis k \
                 LEFT JOIN kpi_values v ON v.kpi_id = k.id AND v.month = \
                 (SELECT MAX(month) FROM kpi_values w WHERE w.kpi_id = k.id) \
                 WHERE k.goal_id = $1 ORDER BY k.id",
            )
            .bind(g)
            .fetch_all(&self.pool)
            .await?;
            let items: Vec<LinkedItem> = sqlx::query_as(
                "SELECT i.id, i.title, l.junction, i.kind AS carrier, l.kind AS link_kind FROM links l \
                 JOIN items i ON i.id = l.item_id WHERE l.goal_id = $1 ORDER BY i.id",
            )
            .bind(g)
            .fetch_all(&self.pool)
            .await?;
            let (tasks_done, tasks_total): (i64, i64) = sqlx::query_as(
                "SELECT COALESCE(SUM(CASE WHEN status = 'done' THEN 1 ELSE 0 END), 0), COUNT(*) \
                 FROM tasks WHERE goal_id = $1 OR item_id IN (SELECT item_id FROM links WHERE goal_id = $1)",
            )
            .bind(g)
            .fetch_one(&self.pool)
            .await?;
            out.push(GoalEvidence {
                goal_id: g,
                title,
                plan_id,
                plan_year,
                kpis,
                items,
                tasks_done,
                tasks_total,
            });
        }
        Ok(out)
    }
}
