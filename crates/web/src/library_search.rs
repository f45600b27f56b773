//! Each running instance keeps its own search index of the case library in step with the
//! database: `rebuild` reads every published case, `follow` applies the change log's new
//! entries (a case published, changed or taken down through any instance). Several instances
//! on one PostgreSQL stay in step this way, each following the same log.

use ronghe_core::library::ReadContext;
use ronghe_core::scope::path_ids;
use ronghe_search::{CaseDoc, CaseIndex, Readers, SearchResult};
use ronghe_store::{SearchRow, Store, StoreResult};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

/// An instance's index and how far it has followed the change log.
pub struct SearchFollower {
    pub index: Arc<CaseIndex>,
    seen: AtomicI64,
    /// Searches run at most one per core, first come first served: more at once only take
    /// turns at the scheduler's pace, and the slowest wait longest (bench/README.md).
    searches: tokio::sync::Semaphore,
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
        kind: r.kind,
        brand_id: r.brand_id,
        reach_all: r.reach.as_deref() == Some("all"),
        publisher_id: r.reviewer_org_id.unwrap_or(0),
        published_at: r.published_at.unwrap_or(0),
    }
}

/// What a reader may find, as the index tells it (the same rule as core's `can_read`).
pub fn readers_of(ctx: &ReadContext) -> Readers {
    let last = |p: &String| path_ids(p).last().copied().unwrap_or(0);
    Readers {
        all: ctx.scope.all,
        publishers: ctx.publishers(),
        subtrees: ctx.scope.subtrees.iter().map(last).collect(),
        orgs: ctx.scope.orgs.iter().map(last).collect(),
    }
}

fn index_error(e: ronghe_search::SearchError) -> ronghe_store::StoreError {
    ronghe_store::StoreError::Key(e.to_string())
}

impl SearchFollower {
    /// The index in `dir` (in memory without one), as far as it had followed the log when
    /// last written: call [`Self::start`] (or [`Self::rebuild`]) before serving from it.
    pub fn open(dir: Option<&std::path::Path>) -> SearchResult<SearchFollower> {
        let index = CaseIndex::open(dir)?;
        let seen = index.position().unwrap_or(0);
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Ok(SearchFollower {
            index: Arc::new(index),
            seen: AtomicI64::new(seen),
            searches: tokio::sync::Semaphore::new(cores),
        })
    }

    /// Runs `f` on the index off the async threads, in turn with the other searches.
    pub async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce(&CaseIndex) -> T + Send + 'static,
    ) -> Result<T, String> {
        let _turn = self.searches.acquire().await.map_err(|e| e.to_string())?;
        let index = self.index.clone();
        tokio::task::spawn_blocking(move || f(&index))
            .await
            .map_err(|e| e.to_string())
    }

    /// Brings a freshly opened index up to date: it follows the log from where it stopped
    /// when it still agrees with the database, and is rebuilt otherwise (new, or the database
    /// was replaced). Returns whether it was rebuilt and the published cases it holds.
    pub async fn start(&self, store: &Store) -> StoreResult<(bool, u64)> {
        let seen = self.seen.load(Ordering::SeqCst);
        let agrees = self.index.position().is_some() && seen <= store.case_changes_last().await?;
        if agrees {
            self.follow(store).await?;
            let published = store.case_published_ids().await?.len() as u64;
            if published == self.index.len() {
                return Ok((false, published));
            }
        }
        let n = self.rebuild(store).await?;
        Ok((true, n as u64))
    }

    async fn apply(&self, docs: Vec<CaseDoc>, gone: Vec<i64>, at: Option<i64>) -> StoreResult<()> {
        let index = self.index.clone();
        tokio::task::spawn_blocking(move || index.apply_at(&docs, &gone, at))
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
            self.apply(rows.into_iter().map(doc_of).collect(), Vec::new(), None)
                .await?;
        }
        self.apply(Vec::new(), Vec::new(), Some(from)).await?;
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
            self.apply(rows.into_iter().map(doc_of).collect(), gone, Some(last))
                .await?;
            self.seen.store(last, Ordering::SeqCst);
        }
    }
}
