//! Generated cases for the library's benchmark corpus (`ronghe gen --cases N`): published to
//! the whole deployment by the committee above their branch, each with the text of one
//! attachment, in large transactions. Like the other generators: nothing else should write
//! while it runs, and no history or audit entry is written per row.

use super::cases::preview_of;
use crate::error::{StoreError, StoreResult};
use crate::files::NewAttachment;
use crate::{now_ms, Actor, Store};
use ronghe_core::library::case_number;

/// A generated case's texts.
pub struct CaseText {
    pub year: i64,
    /// Core's `CaseKind` code.
    pub kind: &'static str,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub tag: &'static str,
    /// The text of its attachment (`attachment`, shared by all, is the file kept).
    pub attachment_text: String,
}

impl Store {
    /// Inserts `cases`, spread round-robin over the branches that have a committee above;
    /// returns the first and last case numbers.
    pub async fn case_bulk_insert(
        &self,
        cases: &[CaseText],
        attachment: &NewAttachment,
    ) -> StoreResult<(String, String)> {
        let branches: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT id, parent_id FROM orgs WHERE kind = 'branch' AND parent_id IS NOT NULL \
             ORDER BY id LIMIT 20000",
        )
        .fetch_all(&self.pool)
        .await?;
        if branches.is_empty() {
            return Err(StoreError::field("cases", "没有党支部：请先生成组织"));
        }
        let actor = Actor::system("生成的案例");
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        let (att, _path) = self
            .attachment_insert(&mut tx, &actor, branches[0].0, attachment)
            .await?;
        let mut ids = Vec::with_capacity(cases.len());
        for (i, c) in cases.iter().enumerate() {
            let (org, parent) = branches[i % branches.len()];
            let preview = preview_of(&c.body);
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO cases (org_id, year, kind, title, summary, body, preview, pages, status, \
                 reach, reviewer_org_id, created_at, created_by, updated_at, published_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'published', 'all', $9, $10, $11, $10, $10) RETURNING id",
            )
            .bind(org)
            .bind(c.year)
            .bind(c.kind)
            .bind(&c.title)
            .bind(&c.summary)
            .bind(&c.body)
            .bind(serde_json::to_string(&preview).unwrap_or_else(|_| "[]".into()))
            .bind(preview.len() as i64)
            .bind(parent)
            .bind(now + i as i64)
            .bind(&actor.username)
            .fetch_one(&mut *tx)
            .await?;
            sqlx::query("INSERT INTO case_tags (case_id, tag) VALUES ($1, $2)")
                .bind(id)
                .bind(c.tag)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO case_files (case_id, attachment_id, role, text, pages) VALUES ($1, $2, 'attachment', $3, 1)",
            )
            .bind(id)
            .bind(att)
            .bind(&c.attachment_text)
            .execute(&mut *tx)
            .await?;
            sqlx::query("INSERT INTO case_changes (case_id, at) VALUES ($1, $2)")
                .bind(id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            ids.push((id, c.year));
            if ids.len() % 20_000 == 0 {
                tx.commit().await?;
                tx = self.pool.begin().await?;
            }
        }
        tx.commit().await?;
        let number =
            |x: Option<&(i64, i64)>| x.map_or(String::new(), |(id, y)| case_number(*y as i32, *id));
        Ok((number(ids.first()), number(ids.last())))
    }
}
