//! What the search index is built from: the published cases with their text, and the change
//! log each running instance follows to keep its index in step with the database.

use crate::error::StoreResult;
use crate::Store;

/// A published case, as the index needs it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SearchRow {
    pub id: i64,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub org_name: String,
    pub org_path: String,
    pub year: i64,
    pub kind: String,
    pub brand_id: Option<i64>,
    pub reach: Option<String>,
    pub reviewer_org_id: Option<i64>,
    pub published_at: Option<i64>,
    #[sqlx(skip)]
    pub tags: Vec<String>,
    /// The text read from its files.
    #[sqlx(skip)]
    pub files: String,
}

impl Store {
    /// The newest entry of the change log (0 when empty).
    pub async fn case_changes_last(&self) -> StoreResult<i64> {
        let last: Option<i64> = sqlx::query_scalar("SELECT MAX(id) FROM case_changes")
            .fetch_one(&self.pool)
            .await?;
        Ok(last.unwrap_or(0))
    }

    /// Cases changed after entry `after` of the log, at most `limit` entries: the last entry
    /// read and the cases (each once).
    pub async fn case_changes_after(&self, after: i64, limit: i64) -> StoreResult<(i64, Vec<i64>)> {
        let rows: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT id, case_id FROM case_changes WHERE id > $1 ORDER BY id LIMIT $2",
        )
        .bind(after)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        let last = rows.last().map_or(after, |r| r.0);
        let mut ids: Vec<i64> = rows.into_iter().map(|r| r.1).collect();
        ids.sort_unstable();
        ids.dedup();
        Ok((last, ids))
    }

    /// Every published case's id, for a rebuild.
    pub async fn case_published_ids(&self) -> StoreResult<Vec<i64>> {
        Ok(
            sqlx::query_scalar("SELECT id FROM cases WHERE status = 'published' ORDER BY id")
                .fetch_all(&self.pool)
                .await?,
        )
    }

    /// The rows of those of `ids` that are published now (the others are to leave the index).
    /// Three statements for the whole batch, whatever its size.
    pub async fn case_search_rows(&self, ids: &[i64]) -> StoreResult<Vec<SearchRow>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        // Integers only: the list is written into the statement.
        let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        let mut rows: Vec<SearchRow> = sqlx::query_as(&format!(
            "SELECT c.id, c.title, c.summary, c.body, o.name AS org_name, o.path AS org_path, c.year, \
             c.kind, c.brand_id, c.reach, c.reviewer_org_id, c.published_at \
             FROM cases c JOIN orgs o ON o.id = c.org_id \
             WHERE c.id IN ({list}) AND c.status = 'published' ORDER BY c.id"
        ))
        .fetch_all(&self.pool)
        .await?;
        let tags: Vec<(i64, String)> = sqlx::query_as(&format!(
            "SELECT case_id, tag FROM case_tags WHERE case_id IN ({list}) ORDER BY case_id, tag"
        ))
        .fetch_all(&self.pool)
        .await?;
        let files: Vec<(i64, String)> = sqlx::query_as(&format!(
            "SELECT case_id, text FROM case_files WHERE case_id IN ({list}) AND role <> 'original' \
             ORDER BY case_id, attachment_id"
        ))
        .fetch_all(&self.pool)
        .await?;
        for row in &mut rows {
            row.tags = tags
                .iter()
                .filter(|t| t.0 == row.id)
                .map(|t| t.1.clone())
                .collect();
            row.files = files
                .iter()
                .filter(|t| t.0 == row.id)
                .map(|t| t.1.as_str())
                .collect::<Vec<_>>()
                .join("\n");
        }
        Ok(rows)
    }
}
