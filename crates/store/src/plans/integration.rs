//! What the integration index reads beyond the plan itself: the organization's meeting
//! records of the plan's year and those that served a business goal (directly, or through a
//! Party work item of the plan that has a junction point).

use super::*;

impl Store {
    /// (meeting records of the plan's organization and its 党小组 held in the plan's year,
    /// those among them that served a goal of this plan). Two counts over indexed columns: the
    /// organizations as a list (`IN (… UNION ALL …)`), since an `OR` made PostgreSQL scan every
    /// meeting of the province (3 s a plan page).
    pub async fn plan_meeting_counts(&self, plan: &Plan) -> StoreResult<(i64, i64)> {
        let (from, to) = (
            format!("{}-01-01", plan.year),
            format!("{}-12-31", plan.year),
        );
        let total: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM meetings m WHERE m.org_id IN \
             (SELECT CAST($1 AS BIGINT) UNION ALL SELECT id FROM orgs WHERE parent_id = $1 AND kind = 'group') \
             AND m.held_on >= $2 AND m.held_on <= $3",
        )
        .bind(plan.org_id)
        .bind(&from)
        .bind(&to)
        .fetch_one(&self.pool)
        .await?;
        // Serving: linked to a business goal (the form offers those of this plan and of the
        // plans above for the year), or to one of this plan's items that has a junction point.
        let serving: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM meetings m WHERE m.held_on >= $2 AND m.held_on <= $3 \
             AND m.org_id IN \
             (SELECT CAST($4 AS BIGINT) UNION ALL SELECT id FROM orgs WHERE parent_id = $4 AND kind = 'group') \
             AND (EXISTS (SELECT 1 FROM meeting_goals mg WHERE mg.meeting_id = m.id) \
             OR EXISTS (SELECT 1 FROM meeting_items mi JOIN items i ON i.id = mi.item_id \
             WHERE mi.meeting_id = m.id AND i.plan_id = $1 \
             AND EXISTS (SELECT 1 FROM links l WHERE l.item_id = i.id)))",
        )
        .bind(plan.id)
        .bind(&from)
        .bind(&to)
        .bind(plan.org_id)
        .fetch_one(&self.pool)
        .await?;
        Ok((total, serving.min(total)))
    }
}
