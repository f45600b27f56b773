//! What a meeting record may refer to beyond its people: the business goals and the Party
//! work items of the plans it serves (the organization's own and those above it), and the
//! items a record carried out.

use super::*;

/// A Party work item a meeting may carry out or carried out, with whose plan it is in.
#[derive(Debug, Clone, Serialize, FromRow)]
pub struct ItemChoice {
    pub id: i64,
    pub plan_id: i64,
    pub kind: String,
    pub title: String,
    pub org_name: String,
    pub year: i64,
}

impl ItemChoice {
    pub fn kind_label(&self) -> &'static str {
        ronghe_core::plan::PartyItemKind::from_code(&self.kind)
            .map_or("党建工作", ronghe_core::plan::PartyItemKind::label)
    }
}

/// The ids of `org` and its ancestors, from its own path column (plain integers).
fn lineage(org: &Org) -> String {
    path_ids(&org.path)
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

impl Store {
    /// Business goals a meeting of `org_id` in `year` may serve: those of the plans of the
    /// organization and of its ancestors for that year (a branch's meeting can serve the
    /// unit's goals), the organization's own first, key goals first.
    pub async fn goals_for_org(
        &self,
        scope: &Scope,
        org_id: i64,
        year: i32,
    ) -> StoreResult<Vec<GoalChoice>> {
        let org = self.org_get(scope, org_id).await?;
        let list = lineage(&org);
        if list.is_empty() {
            return Ok(Vec::new());
        }
        let mut q = Q::new(
            "SELECT g.id, g.plan_id, g.title, o.name AS org_name, p.year, g.is_key FROM goals g \
             JOIN plans p ON p.id = g.plan_id JOIN orgs o ON o.id = p.org_id WHERE p.year = ",
        );
        q.bind(i64::from(year)).push(&format!(
            " AND p.org_id IN ({list}) ORDER BY LENGTH(o.path) DESC, g.is_key DESC, g.id LIMIT 500"
        ));
        Ok(q.query_as::<GoalChoice>().fetch_all(&self.pool).await?)
    }
    /// Party work items a meeting of `org_id` in `year` may carry out: those of the plans
    /// of the organization and of its ancestors for that year, the organization's own first.
    pub async fn items_for_org(
        &self,
        scope: &Scope,
        org_id: i64,
        year: i32,
    ) -> StoreResult<Vec<ItemChoice>> {
        let org = self.org_get(scope, org_id).await?;
        let list = lineage(&org);
        if list.is_empty() {
            return Ok(Vec::new());
        }
        let mut q = Q::new(
            "SELECT i.id, i.plan_id, i.kind, i.title, o.name AS org_name, p.year FROM items i \
             JOIN plans p ON p.id = i.plan_id JOIN orgs o ON o.id = p.org_id WHERE p.year = ",
        );
        q.bind(i64::from(year)).push(&format!(
            " AND p.org_id IN ({list}) ORDER BY LENGTH(o.path) DESC, i.id LIMIT 500"
        ));
        Ok(q.query_as::<ItemChoice>().fetch_all(&self.pool).await?)
    }

    /// The Party work items a record carried out.
    pub(super) async fn meeting_items(&self, meeting_id: i64) -> StoreResult<Vec<ItemChoice>> {
        Ok(sqlx::query_as::<_, ItemChoice>(
            "SELECT i.id, i.plan_id, i.kind, i.title, o.name AS org_name, p.year \
             FROM meeting_items mi JOIN items i ON i.id = mi.item_id \
             JOIN plans p ON p.id = i.plan_id JOIN orgs o ON o.id = p.org_id \
             WHERE mi.meeting_id = $1 ORDER BY i.id",
        )
        .bind(meeting_id)
        .fetch_all(&self.pool)
        .await?)
    }
}
