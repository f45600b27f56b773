//! Changing a case before it is (again) submitted, the committees' tags, and reports the
//! committee finds unfounded.

use super::cases::{event, preview_of, write_links};
use crate::error::{StoreError, StoreResult};
use crate::{audit, now_ms, Actor, Case, Org, Store};
use ronghe_core::library::{check_tag, CaseForm, DEFAULT_TAGS};
use ronghe_core::scope::{is_within, Scope};

impl Store {
    /// The author organization corrects its case while it is a draft, returned or taken
    /// down. A typed body is paged again; a Word document's preview stays the document's.
    pub async fn case_update(
        &self,
        actor: &Actor,
        scope: &Scope,
        case: &Case,
        form: &CaseForm,
    ) -> StoreResult<()> {
        if !scope.sees_org(&case.org_path) {
            return Err(StoreError::NotFound);
        }
        if !case.status.editable() {
            return Err(StoreError::field(
                "status",
                format!("案例当前为“{}”，不能修改", case.status.label()),
            ));
        }
        let f = form
            .validate(&self.library_tags().await?)
            .map_err(StoreError::Invalid)?;
        self.check_links(case.org_id, &f).await?;
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        let preview = match case.original {
            Some(_) => case.preview.clone(),
            None => preview_of(&f.body),
        };
        let moved = sqlx::query(
            "UPDATE cases SET kind = $1, title = $2, summary = $3, body = $4, brand_id = $5, \
             updated_at = $6, preview = $7, pages = $8 WHERE id = $9 AND status = $10",
        )
        .bind(f.kind.code())
        .bind(&f.title)
        .bind(&f.summary)
        .bind(&f.body)
        .bind(f.brand_id)
        .bind(now)
        .bind(serde_json::to_string(&preview).unwrap_or_else(|_| "[]".into()))
        .bind(preview.len() as i64)
        .bind(case.id)
        .bind(case.status.code())
        .execute(&mut *tx)
        .await?;
        if moved.rows_affected() == 0 {
            return Err(super::cases::stale());
        }
        write_links(&mut tx, case.id, &f).await?;
        event(&mut tx, actor, case.id, "edited", None, Some(case.org_id)).await?;
        audit::change(
            &mut tx,
            actor,
            "case",
            case.id,
            &format!("{}修改案例「{}」", case.org_name, f.title),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A committee adds a tag every organization may then use.
    pub async fn library_tag_add(
        &self,
        actor: &Actor,
        by: &Org,
        name: &str,
    ) -> StoreResult<String> {
        let name = check_tag(name).map_err(|m| StoreError::field("tag", m))?;
        if self.library_tags().await?.contains(&name) || DEFAULT_TAGS.contains(&name.as_str()) {
            return Err(StoreError::field("tag", format!("已有“{name}”这个标签")));
        }
        let mut tx = self.pool.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO library_tags (name, added_by_org_id, at) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(&name)
        .bind(by.id)
        .bind(now_ms())
        .fetch_one(&mut *tx)
        .await?;
        audit::change(
            &mut tx,
            actor,
            "library_tag",
            id,
            &format!("{}新增案例标签「{name}」", by.name),
        )
        .await?;
        tx.commit().await?;
        Ok(name)
    }

    /// The committee above the author finds the open reports of `case` unfounded: they are
    /// closed with its note, and the case stays published.
    pub async fn case_reports_dismiss(
        &self,
        actor: &Actor,
        scope: &Scope,
        case: &Case,
        note: &str,
    ) -> StoreResult<u64> {
        let reviews = scope.all
            || scope
                .subtrees
                .iter()
                .any(|r| r != &case.org_path && is_within(&case.org_path, r));
        if !reviews {
            return Err(StoreError::Forbidden);
        }
        let note = ronghe_core::text::long_text("处理意见", note, super::cases::REPORT_MAX)
            .map_err(|m| StoreError::field("note", m))?
            .ok_or_else(|| StoreError::field("note", "请写明为何不予下架"))?;
        let mut tx = self.pool.begin().await?;
        let n = sqlx::query(
            "UPDATE case_reports SET handled_at = $1, outcome = $2 WHERE case_id = $3 AND handled_at IS NULL",
        )
        .bind(now_ms())
        .bind(format!("不予下架：{note}"))
        .bind(case.id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        audit::change(
            &mut tx,
            actor,
            "case",
            case.id,
            &format!("处理案例「{}」的举报：不予下架（{note}）", case.title),
        )
        .await?;
        tx.commit().await?;
        Ok(n)
    }
}
