//! Each running instance keeps its own search index of the case library in step with the
//! database: `rebuild` reads every published case, `follow` applies the change log's new
//! entries (a case published, changed or taken down through any instance). Several instances
//! on one PostgreSQL stay in step this way, each following the same log.

use ronghe_core::scope::path_ids;
use ronghe_search::{CaseDoc, CaseIndex, SearchResult};
use ronghe_store::{SearchRow, Store, StoreResult};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

/// An instance's index and how far it has followed the change log.
pub struct SearchFollower {
    pub index: Arc<CaseIndex>,
    seen: AtomicI64,
}

fn doc_of(r: SearchRow) -> CaseDoc {
    CaseDoc {
        id: r.id,
        title: r.title,
        summary: r.summary,
        body: r.body,
        files: r.files,
        tags: r.tags,
        org_name: r.org_name,
        org_ids: path_ids(&r.org_path),
        year: r.year,
        brand_id: r.brand_id,
        reach_all: r.reach.as_deref() == Some("all"),
        publisher_id: r.reviewer_org_id.unwrap_or(0),
        published_at: r.published_at.unwrap_or(0),
    }
}

fn index_error(e: ronghe_search::SearchError) -> ronghe_store::StoreError {
    ronghe_store::StoreError::Key(e.to_string())
}

impl SearchFollower {
    /// The index in `dir` (in memory without one), not yet filled: call [`Self::rebuild`].
    pub fn open(dir: Option<&std::path::Path>) -> SearchResult<SearchFollower> {
        Ok(SearchFollower {
            index: Arc::new(CaseIndex::open(dir)?),
            seen: AtomicI64::new(0),
        })
    }

    async fn apply(&self, docs: Vec<CaseDoc>, gone: Vec<i64>) -> StoreResult<()> {
        let index = self.index.clone();
        tokio::task::spawn_blocking(move || index.apply(&docs, &gone))
            .await
            .map_err(|e| ronghe_store::StoreError::Key(e.to_string()))?
            .map_err(index_error)
    }

    /// Empties the index and reads every published case again; returns how many.
    pub async fn rebuild(&self, store: &Store) -> StoreResult<usize> {
        // The log's position first: whatever changes while this runs is applied after.
        let from = store.case_changes_last().await?;
        let index = self.index.clone();
        tokio::task::spawn_blocking(move || index.clear())
            .await
            .map_err(|e| ronghe_store::StoreError::Key(e.to_string()))?
            .map_err(index_error)?;
        let ids = store.case_published_ids().await?;
        let mut n = 0;
        for chunk in ids.chunks(500) {
            let rows = store.case_search_rows(chunk).await?;
            n += rows.len();
            self.apply(rows.into_iter().map(doc_of).collect(), Vec::new())
                .await?;
        }
        self.seen.store(from, Ordering::SeqCst);
        Ok(n)
    }

    /// Applies the change log's entries since the last call; returns the cases touched.
    pub async fn follow(&self, store: &Store) -> StoreResult<usize> {
        let mut touched = 0;
        loop {
            let after = self.seen.load(Ordering::SeqCst);
            let (last, ids) = store.case_changes_after(after, 1000).await?;
            if ids.is_empty() {
                self.seen.store(last, Ordering::SeqCst);
                return Ok(touched);
            }
            let rows = store.case_search_rows(&ids).await?;
            let gone: Vec<i64> = ids
                .iter()
                .copied()
                .filter(|id| !rows.iter().any(|r| r.id == *id))
                .collect();
            touched += ids.len();
            self.apply(rows.into_iter().map(doc_of).collect(), gone)
                .await?;
            self.seen.store(last, Ordering::SeqCst);
        }
    }
}
