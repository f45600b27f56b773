//! A case's attachments besides its Word original (PDF, Word, Excel, pictures): added by the
//! author organization while the case can still change, listed on the case page, downloaded by
//! whoever may open the case (audited). The text read from them is searched once the case is
//! published.

use crate::error::{StoreError, StoreResult};
use crate::files::{Attachment, NewAttachment};
use crate::{audit, Actor, Case, Store};
use ronghe_core::scope::Scope;
use serde::Serialize;

/// At most this many attachments per case.
pub const CASE_FILES_MAX: i64 = 10;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct CaseFile {
    pub attachment_id: i64,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    /// Whether words were read from it for search.
    pub searchable: bool,
}

impl Store {
    /// The attachments of `case` (already read through its reader's context), oldest first.
    pub async fn case_files(&self, case: &Case) -> StoreResult<Vec<CaseFile>> {
        let rows: Vec<(i64, String, String, i64, String)> = sqlx::query_as(
            "SELECT a.id, a.filename, a.content_type, a.size, f.text FROM case_files f \
             JOIN attachments a ON a.id = f.attachment_id \
             WHERE f.case_id = $1 AND f.role = 'attachment' ORDER BY a.id",
        )
        .bind(case.id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, filename, content_type, size, text)| CaseFile {
                attachment_id: id,
                filename,
                content_type,
                size,
                searchable: !text.is_empty(),
            })
            .collect())
    }

    /// Adds `file` to `case`, with the `text` read from it (empty when none could be).
    pub async fn case_attach(
        &self,
        actor: &Actor,
        scope: &Scope,
        case: &Case,
        file: &NewAttachment,
        text: &str,
    ) -> StoreResult<()> {
        if !scope.sees_org(&case.org_path) {
            return Err(StoreError::NotFound);
        }
        if !case.status.editable() {
            return Err(StoreError::field(
                "attachment",
                format!("案例当前为“{}”，不能添加附件", case.status.label()),
            ));
        }
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM case_files WHERE case_id = $1 AND role = 'attachment'",
        )
        .bind(case.id)
        .fetch_one(&self.pool)
        .await?;
        if n >= CASE_FILES_MAX {
            return Err(StoreError::field(
                "attachment",
                format!("每篇案例最多 {CASE_FILES_MAX} 个附件"),
            ));
        }
        let mut tx = self.pool.begin().await?;
        let (att, path) = self
            .attachment_insert(&mut tx, actor, case.org_id, file)
            .await?;
        let done = async {
            sqlx::query(
                "INSERT INTO case_files (case_id, attachment_id, role, text, pages) VALUES ($1, $2, 'attachment', $3, 1)",
            )
            .bind(case.id)
            .bind(att)
            .bind(text)
            .execute(&mut *tx)
            .await?;
            audit::change(
                &mut tx,
                actor,
                "case",
                case.id,
                &format!("为案例「{}」添加附件 {}", case.title, file.filename),
            )
            .await?;
            tx.commit().await?;
            Ok::<_, StoreError>(())
        }
        .await;
        if done.is_err() {
            let _ = tokio::fs::remove_file(path).await;
        }
        done
    }

    /// One attachment of `case` with its bytes (the case already read through its reader's
    /// context); the download is audited.
    pub async fn case_file(
        &self,
        actor: &Actor,
        case: &Case,
        attachment_id: i64,
    ) -> StoreResult<(Attachment, Vec<u8>)> {
        let a: Attachment = sqlx::query_as(
            "SELECT a.id, a.org_id, a.filename, a.content_type, a.size, a.sha256, a.stored_name \
             FROM case_files f JOIN attachments a ON a.id = f.attachment_id \
             WHERE f.case_id = $1 AND f.attachment_id = $2",
        )
        .bind(case.id)
        .bind(attachment_id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)?;
        let bytes = tokio::fs::read(self.files_dir.join(&a.stored_name))
            .await
            .map_err(|_| StoreError::NotFound)?;
        self.audit_event(
            actor,
            "export",
            &format!("case:{}", case.id),
            "ok",
            &format!("下载案例「{}」的文件 {}", case.title, a.filename),
        )
        .await;
        Ok((a, bytes))
    }
}
