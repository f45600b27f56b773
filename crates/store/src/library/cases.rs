//! The case library in the database: cases written by an organization (typed, or read from an
//! uploaded Word document whose original is kept), reviewed by the committee above, published
//! within a reach, reported by readers and taken down with a reason the author sees. Every
//! change that a search index must follow is written to `case_changes`.

use crate::error::{StoreError, StoreResult};
use crate::files::NewAttachment;
use crate::{audit, now_ms, Actor, Org, Store};
use ronghe_core::library::{
    can_read, case_number, CaseAction, CaseForm, CaseKind, CaseStatus, Reach, ReadContext,
    DEFAULT_TAGS,
};
use ronghe_core::scope::Scope;
use ronghe_office::docx::{self, Block, Document};
use serde::Serialize;

pub const REPORT_MAX: usize = 300;

/// A Word document a case is made from: the upload, and what was read from it.
pub struct CaseOriginal {
    pub file: NewAttachment,
    pub document: Document,
}

#[derive(Debug, Clone, Serialize)]
pub struct Case {
    pub id: i64,
    pub number: String,
    pub org_id: i64,
    pub org_name: String,
    pub org_path: String,
    pub year: i64,
    pub kind: CaseKind,
    pub title: String,
    pub summary: String,
    pub body: String,
    /// The paged HTML preview (escaped text in our own elements).
    pub preview: Vec<String>,
    pub pages: i64,
    pub status: CaseStatus,
    pub reach: Option<Reach>,
    pub brand_id: Option<i64>,
    pub reviewer_org_id: Option<i64>,
    pub reviewer_path: Option<String>,
    /// The reviewer's comments on a return, or the reason of a take-down.
    pub decision_note: Option<String>,
    pub tags: Vec<String>,
    pub author_ids: Vec<i64>,
    pub goal_ids: Vec<i64>,
    pub item_ids: Vec<i64>,
    pub created_at: i64,
    pub created_by: String,
    pub published_at: Option<i64>,
    /// The original Word document, when the case came from one: attachment id and size.
    pub original: Option<(i64, String, i64)>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct CaseEvent {
    pub kind: String,
    pub note: Option<String>,
    pub by_username: String,
    pub at: i64,
}

#[derive(sqlx::FromRow)]
struct CaseRow {
    id: i64,
    org_id: i64,
    org_name: String,
    org_path: String,
    year: i64,
    kind: String,
    title: String,
    summary: String,
    body: String,
    preview: String,
    pages: i64,
    status: String,
    reach: Option<String>,
    brand_id: Option<i64>,
    reviewer_org_id: Option<i64>,
    reviewer_path: Option<String>,
    decision_note: Option<String>,
    created_at: i64,
    created_by: String,
    published_at: Option<i64>,
}

const CASE_COLS: &str =
    "c.id, c.org_id, o.name AS org_name, o.path AS org_path, c.year, c.kind, c.title, \
    c.summary, c.body, c.preview, c.pages, c.status, c.reach, c.brand_id, c.reviewer_org_id, \
    r.path AS reviewer_path, c.decision_note, c.created_at, c.created_by, c.published_at";

/// The preview of a typed body: its paragraphs, paged as a Word document's would be.
pub(super) fn preview_of(body: &str) -> Vec<String> {
    let doc = Document {
        title: None,
        blocks: body
            .split('\n')
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|l| Block::Paragraph(l.to_string()))
            .collect(),
    };
    docx::pages(&doc, docx::PAGE_CHARS)
}

impl Store {
    /// The tags a case may carry: the shipped ones, then those committees added.
    pub async fn library_tags(&self) -> StoreResult<Vec<String>> {
        let mut tags: Vec<String> = DEFAULT_TAGS.iter().map(|t| t.to_string()).collect();
        let added: Vec<String> = sqlx::query_scalar("SELECT name FROM library_tags ORDER BY id")
            .fetch_all(&self.pool)
            .await?;
        tags.extend(
            added
                .into_iter()
                .filter(|t| !DEFAULT_TAGS.contains(&t.as_str())),
        );
        Ok(tags)
    }

    /// Checks that every id of `ids` is a row of `sql` (one `$1` for the id, `$2` for the
    /// organization), else a refusal at `field`.
    pub(super) async fn all_of_org(
        &self,
        sql: &str,
        org_id: i64,
        ids: &[i64],
        field: &str,
        message: &str,
    ) -> StoreResult<()> {
        for &id in ids {
            let n: i64 = sqlx::query_scalar(sql)
                .bind(id)
                .bind(org_id)
                .fetch_one(&self.pool)
                .await?;
            if n == 0 {
                return Err(StoreError::field(field, message));
            }
        }
        Ok(())
    }

    /// Checks that the authors, goals, items and brand a case names are the organization's.
    pub(super) async fn check_links(&self, org_id: i64, f: &CaseForm) -> StoreResult<()> {
        self.all_of_org(
            "SELECT COUNT(*) FROM members WHERE id = $1 AND org_id = $2",
            org_id,
            &f.author_ids,
            "author_ids",
            "作者须是本组织的党员",
        )
        .await?;
        self.all_of_org(
            "SELECT COUNT(*) FROM goals g JOIN plans p ON p.id = g.plan_id WHERE g.id = $1 AND p.org_id = $2",
            org_id,
            &f.goal_ids,
            "goal_ids",
            "只能关联本组织工作计划中的业务目标",
        )
        .await?;
        self.all_of_org(
            "SELECT COUNT(*) FROM items i JOIN plans p ON p.id = i.plan_id WHERE i.id = $1 AND p.org_id = $2",
            org_id,
            &f.item_ids,
            "item_ids",
            "只能关联本组织工作计划中的党建工作",
        )
        .await?;
        if let Some(b) = f.brand_id {
            self.all_of_org(
                "SELECT COUNT(*) FROM brands WHERE id = $1 AND org_id = $2",
                org_id,
                &[b],
                "brand_id",
                "只能选择本组织的党建品牌",
            )
            .await?;
        }
        Ok(())
    }

    /// A new case of `org`, as a draft. With `original`, the Word document is kept for
    /// download and its pages are the preview; else the typed body is paged.
    pub async fn case_create(
        &self,
        actor: &Actor,
        scope: &Scope,
        org: &Org,
        form: &CaseForm,
        original: Option<CaseOriginal>,
        year: i32,
    ) -> StoreResult<i64> {
        if !scope.sees_org(&org.path) {
            return Err(StoreError::NotFound);
        }
        let mut form = form.clone();
        if let Some(o) = &original {
            if form.body.trim().is_empty() {
                form.body = o.document.plain_text();
            }
            if form.title.trim().is_empty() {
                form.title = o.document.suggested_title().unwrap_or_default();
            }
        }
        let f = form
            .validate(&self.library_tags().await?)
            .map_err(StoreError::Invalid)?;
        self.check_links(org.id, &f).await?;
        let preview = match &original {
            Some(o) => docx::pages(&o.document, docx::PAGE_CHARS),
            None => preview_of(&f.body),
        };
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO cases (org_id, year, title, summary, body, preview, pages, status, brand_id, \
             created_at, created_by, updated_at, kind) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $10, $12) \
             RETURNING id",
        )
        .bind(org.id)
        .bind(i64::from(year))
        .bind(&f.title)
        .bind(&f.summary)
        .bind(&f.body)
        .bind(serde_json::to_string(&preview).unwrap_or_else(|_| "[]".into()))
        .bind(preview.len() as i64)
        .bind(CaseStatus::Draft.code())
        .bind(f.brand_id)
        .bind(now)
        .bind(&actor.username)
        .bind(f.kind.code())
        .fetch_one(&mut *tx)
        .await?;
        write_links(&mut tx, id, &f).await?;
        let mut stored = None;
        if let Some(o) = &original {
            let (att, path) = self
                .attachment_insert(&mut tx, actor, org.id, &o.file)
                .await?;
            stored = Some(path);
            sqlx::query(
                "INSERT INTO case_files (case_id, attachment_id, role, text, pages) VALUES ($1, $2, 'original', $3, $4)",
            )
            .bind(id)
            .bind(att)
            .bind(o.document.plain_text())
            .bind(preview.len() as i64)
            .execute(&mut *tx)
            .await?;
        }
        event(&mut tx, actor, id, "created", None, Some(org.id)).await?;
        let what = match &original {
            Some(o) => format!(
                "{}由 Word 文档「{}」创建案例「{}」",
                org.name, o.file.filename, f.title
            ),
            None => format!("{}创建案例「{}」", org.name, f.title),
        };
        let done = async {
            audit::change(&mut tx, actor, "case", id, &what).await?;
            tx.commit().await?;
            Ok::<_, StoreError>(())
        }
        .await;
        if let Err(e) = done {
            if let Some(p) = stored {
                let _ = tokio::fs::remove_file(p).await;
            }
            return Err(e);
        }
        Ok(id)
    }

    /// A case, if `ctx` may read it (see [`can_read`]); otherwise not found.
    pub async fn case_get(&self, ctx: &ReadContext<'_>, id: i64) -> StoreResult<Case> {
        let row: Option<CaseRow> = sqlx::query_as(&format!(
            "SELECT {CASE_COLS} FROM cases c JOIN orgs o ON o.id = c.org_id \
             LEFT JOIN orgs r ON r.id = c.reviewer_org_id WHERE c.id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        let row = row.ok_or(StoreError::NotFound)?;
        let status = CaseStatus::from_code(&row.status).unwrap_or(CaseStatus::Draft);
        let reach = row.reach.as_deref().and_then(Reach::from_code);
        if !can_read(
            status,
            reach,
            &row.org_path,
            row.reviewer_path.as_deref(),
            ctx,
        ) {
            return Err(StoreError::NotFound);
        }
        let tags: Vec<String> =
            sqlx::query_scalar("SELECT tag FROM case_tags WHERE case_id = $1 ORDER BY tag")
                .bind(id)
                .fetch_all(&self.pool)
                .await?;
        let author_ids: Vec<i64> = sqlx::query_scalar(
            "SELECT member_id FROM case_authors WHERE case_id = $1 ORDER BY member_id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let ids_of = |table: &str, col: &str| {
            format!("SELECT {col} FROM {table} WHERE case_id = $1 ORDER BY {col}")
        };
        let goal_ids: Vec<i64> = sqlx::query_scalar(&ids_of("case_goals", "goal_id"))
            .bind(id)
            .fetch_all(&self.pool)
            .await?;
        let item_ids: Vec<i64> = sqlx::query_scalar(&ids_of("case_items", "item_id"))
            .bind(id)
            .fetch_all(&self.pool)
            .await?;
        let original: Option<(i64, String, i64)> = sqlx::query_as(
            "SELECT a.id, a.filename, a.size FROM case_files f JOIN attachments a ON a.id = f.attachment_id \
             WHERE f.case_id = $1 AND f.role = 'original'",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(Case {
            id: row.id,
            number: case_number(row.year as i32, row.id),
            org_id: row.org_id,
            org_name: row.org_name,
            org_path: row.org_path,
            year: row.year,
            kind: CaseKind::from_code(&row.kind).unwrap_or_default(),
            title: row.title,
            summary: row.summary,
            body: row.body,
            preview: serde_json::from_str(&row.preview).unwrap_or_default(),
            pages: row.pages,
            status,
            reach,
            brand_id: row.brand_id,
            reviewer_org_id: row.reviewer_org_id,
            reviewer_path: row.reviewer_path,
            decision_note: row.decision_note,
            tags,
            author_ids,
            goal_ids,
            item_ids,
            created_at: row.created_at,
            created_by: row.created_by,
            published_at: row.published_at,
            original,
        })
    }

    /// A step of the workflow taken by `by`: the case's own organization submits (to the
    /// organization directly above it); an organization above it (that one, or a committee
    /// further up) publishes, returns or takes down. Stale steps (the case moved meanwhile)
    /// are refused.
    pub async fn case_act(
        &self,
        actor: &Actor,
        scope: &Scope,
        case: &Case,
        by: &Org,
        action: &CaseAction,
    ) -> StoreResult<CaseStatus> {
        if !scope.sees_org(&by.path) {
            return Err(StoreError::NotFound);
        }
        let author: Org = self.org_get(&Scope::everything(), case.org_id).await?;
        let allowed = if action.by_reviewer() {
            by.id != author.id && ronghe_core::scope::is_within(&author.path, &by.path)
        } else {
            by.id == case.org_id
        };
        if !allowed {
            return Err(StoreError::Forbidden);
        }
        let to = action.apply(case.status).map_err(StoreError::Invalid)?;
        let (note, reach) = match action {
            CaseAction::Return { comment } => (Some(comment.trim().to_string()), None),
            CaseAction::TakeDown { reason } => (Some(reason.trim().to_string()), None),
            CaseAction::Publish(r) => (None, Some(*r)),
            CaseAction::Submit => (None, None),
        };
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        // Submitted to the organization above; whoever publishes or returns it is its reviewer
        // from then on (a subtree-wide publication reaches the publisher's subtree).
        let reviewer = match action {
            CaseAction::Submit => author.parent_id,
            CaseAction::Publish(_) | CaseAction::Return { .. } => Some(by.id),
            CaseAction::TakeDown { .. } => case.reviewer_org_id,
        };
        let moved = sqlx::query(
            "UPDATE cases SET status = $1, reach = COALESCE($2, reach), reviewer_org_id = $3, \
             decision_note = $4, updated_at = $5, \
             published_at = CASE WHEN $1 = 'published' THEN $5 ELSE published_at END \
             WHERE id = $6 AND status = $7",
        )
        .bind(to.code())
        .bind(reach.map(Reach::code))
        .bind(reviewer)
        .bind(note.as_deref())
        .bind(now)
        .bind(case.id)
        .bind(case.status.code())
        .execute(&mut *tx)
        .await?;
        if moved.rows_affected() == 0 {
            return Err(super::cases::stale());
        }
        let kind = to.code();
        event(&mut tx, actor, case.id, kind, note.as_deref(), Some(by.id)).await?;
        if matches!(action, CaseAction::TakeDown { .. }) {
            // The reports that led here are handled by it.
            sqlx::query(
                "UPDATE case_reports SET handled_at = $1, outcome = 'taken_down' \
                 WHERE case_id = $2 AND handled_at IS NULL",
            )
            .bind(now)
            .bind(case.id)
            .execute(&mut *tx)
            .await?;
        }
        if to == CaseStatus::Published || case.status == CaseStatus::Published {
            sqlx::query("INSERT INTO case_changes (case_id, at) VALUES ($1, $2)")
                .bind(case.id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
        }
        let what = match action {
            CaseAction::Submit => format!("{}提交案例「{}」待审核", by.name, case.title),
            CaseAction::Publish(r) => {
                format!(
                    "{}发布案例「{}」（范围：{}）",
                    by.name,
                    case.title,
                    r.label()
                )
            }
            CaseAction::Return { comment } => {
                format!(
                    "{}退回案例「{}」（意见：{}）",
                    by.name,
                    case.title,
                    comment.trim()
                )
            }
            CaseAction::TakeDown { reason } => {
                format!(
                    "{}下架案例「{}」（理由：{}）",
                    by.name,
                    case.title,
                    reason.trim()
                )
            }
        };
        audit::change(&mut tx, actor, "case", case.id, &what).await?;
        tx.commit().await?;
        Ok(to)
    }

    /// A reader reports a published case they can read, with a reason: the committee that
    /// published it sees the report; nobody else does.
    pub async fn case_report(&self, actor: &Actor, case: &Case, reason: &str) -> StoreResult<()> {
        if case.status != CaseStatus::Published {
            return Err(StoreError::field("reason", "只能举报已发布的案例"));
        }
        let reason = ronghe_core::text::long_text("举报理由", reason, REPORT_MAX)
            .map_err(|m| StoreError::field("reason", m))?
            .ok_or_else(|| StoreError::field("reason", "请写明举报理由"))?;
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO case_reports (case_id, reason, by_username, at) VALUES ($1, $2, $3, $4)",
        )
        .bind(case.id)
        .bind(&reason)
        .bind(&actor.username)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        audit::change(
            &mut tx,
            actor,
            "case",
            case.id,
            &format!("举报案例「{}」（理由：{reason}）", case.title),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Open reports of `case`, for the committee that published it: (reason, who, when).
    pub async fn case_reports_open(&self, case: &Case) -> StoreResult<Vec<(String, String, i64)>> {
        Ok(sqlx::query_as(
            "SELECT reason, by_username, at FROM case_reports WHERE case_id = $1 AND handled_at IS NULL ORDER BY id",
        )
        .bind(case.id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// The case's steps, oldest first.
    pub async fn case_events(&self, case: &Case) -> StoreResult<Vec<CaseEvent>> {
        Ok(sqlx::query_as(
            "SELECT kind, note, by_username, at FROM case_events WHERE case_id = $1 ORDER BY id",
        )
        .bind(case.id)
        .fetch_all(&self.pool)
        .await?)
    }
}

/// The refusal of a step taken on a case that moved meanwhile.
pub(super) fn stale() -> StoreError {
    StoreError::field("status", "案例状态刚被他人改变，请刷新后再试")
}

/// Writes the authors, goals, items and tags of case `id` (after deleting the old ones).
pub(super) async fn write_links(
    conn: &mut sqlx::AnyConnection,
    id: i64,
    f: &CaseForm,
) -> StoreResult<()> {
    for table in ["case_authors", "case_goals", "case_items", "case_tags"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE case_id = $1"))
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    for (table, col, ids) in [
        ("case_authors", "member_id", &f.author_ids),
        ("case_goals", "goal_id", &f.goal_ids),
        ("case_items", "item_id", &f.item_ids),
    ] {
        for v in ids {
            sqlx::query(&format!(
                "INSERT INTO {table} (case_id, {col}) VALUES ($1, $2)"
            ))
            .bind(id)
            .bind(v)
            .execute(&mut *conn)
            .await?;
        }
    }
    for t in &f.tags {
        sqlx::query("INSERT INTO case_tags (case_id, tag) VALUES ($1, $2)")
            .bind(id)
            .bind(t)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

pub(super) async fn event(
    conn: &mut sqlx::AnyConnection,
    actor: &Actor,
    case_id: i64,
    kind: &str,
    note: Option<&str>,
    by_org: Option<i64>,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO case_events (case_id, kind, note, by_org_id, by_username, at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(case_id)
    .bind(kind)
    .bind(note)
    .bind(by_org)
    .bind(&actor.username)
    .bind(now_ms())
    .execute(conn)
    .await?;
    Ok(())
}
