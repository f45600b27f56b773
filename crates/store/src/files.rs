//! Attachments: bytes on disk under the data directory (never in the database), a row that
//! says whose they are, and downloads that go through the caller's scope.

use crate::error::{StoreError, StoreResult};
use crate::q::Q;
use crate::{now_ms, Actor, Store};
use ronghe_core::attachment::{self, AttachmentKind};
use ronghe_core::scope::Scope;
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::{AnyConnection, FromRow};

/// An upload that passed [`attachment::check`].
pub struct NewAttachment {
    pub filename: String,
    pub kind: AttachmentKind,
    pub bytes: Vec<u8>,
}

impl NewAttachment {
    /// Checks the upload; Err is a Chinese reason for the form.
    pub fn new(filename: &str, bytes: Vec<u8>) -> Result<Self, String> {
        let kind = attachment::check(filename, &bytes)?;
        Ok(NewAttachment {
            filename: attachment::clean_name(filename),
            kind,
            bytes,
        })
    }
}

#[derive(Debug, Clone, Serialize, FromRow)]
pub struct Attachment {
    pub id: i64,
    pub org_id: i64,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    #[serde(skip)]
    pub stored_name: String,
}

impl Store {
    /// Writes the bytes, then the row, inside the caller's transaction. The caller deletes the
    /// returned path if its transaction does not commit.
    pub(crate) async fn attachment_insert(
        &self,
        conn: &mut AnyConnection,
        actor: &Actor,
        org_id: i64,
        a: &NewAttachment,
    ) -> StoreResult<(i64, std::path::PathBuf)> {
        let stored_name = crate::random_token();
        let path = self.files_dir.join(&stored_name);
        let bytes = a.bytes.clone();
        let (dir, p2) = (self.files_dir.clone(), path.clone());
        tokio::task::spawn_blocking(move || -> std::io::Result<()> {
            std::fs::create_dir_all(&dir)?;
            std::fs::write(&p2, &bytes)
        })
        .await
        .map_err(|e| StoreError::Key(e.to_string()))?
        .map_err(|e| StoreError::Key(format!("cannot store attachment: {e}")))?;
        let sha: String = Sha256::digest(&a.bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO attachments (org_id, filename, content_type, size, sha256, stored_name, uploaded_by, at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(org_id)
        .bind(&a.filename)
        .bind(a.kind.content_type())
        .bind(a.bytes.len() as i64)
        .bind(&sha)
        .bind(&stored_name)
        .bind(&actor.username)
        .bind(now_ms())
        .fetch_one(conn)
        .await?;
        Ok((id, path))
    }

    /// An attachment and its bytes, if its organization is in scope. Downloads are audited.
    pub async fn attachment_get(
        &self,
        actor: &Actor,
        scope: &Scope,
        id: i64,
    ) -> StoreResult<(Attachment, Vec<u8>)> {
        let mut q = Q::new(
            "SELECT a.id, a.org_id, a.filename, a.content_type, a.size, a.sha256, a.stored_name \
             FROM attachments a JOIN orgs o ON o.id = a.org_id WHERE a.id = ",
        );
        q.bind(id).push(" AND ").org_scope(scope, "o.path", true);
        let a = q
            .query_as::<Attachment>()
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        let path = self.files_dir.join(&a.stored_name);
        let bytes = tokio::fs::read(&path)
            .await
            .map_err(|_| StoreError::NotFound)?;
        self.audit_event(
            actor,
            "export",
            &format!("attachment:{id}"),
            "ok",
            &format!("下载附件 {}", a.filename),
        )
        .await;
        Ok((a, bytes))
    }
}
