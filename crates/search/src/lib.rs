//! Chinese full-text search over the published cases of the library: a tantivy index whose
//! words are cut by jieba. The index is derived from the database and holds only what search
//! needs; whether a reader may see a case is decided in the query itself (a case published to
//! the whole deployment, or to the subtree of a committee the reader belongs under), so nobody
//! finds a case they could not open.

use std::path::Path;
use std::sync::Mutex;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, MoreLikeThisQuery, Occur, Query, QueryParser, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, Value,
    STORED, STRING,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Index, IndexReader, IndexWriter, Order, TantivyDocument, Term};

const JIEBA: &str = "jieba";

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("search index: {0}")]
    Open(#[from] tantivy::directory::error::OpenDirectoryError),
}

pub type SearchResult<T> = Result<T, SearchError>;

/// A published case as search sees it.
#[derive(Debug, Clone, Default)]
pub struct CaseDoc {
    pub id: i64,
    pub title: String,
    pub summary: String,
    pub body: String,
    /// The text of its attachments.
    pub files: String,
    pub tags: Vec<String>,
    pub org_name: String,
    /// The author organization and every organization above it (for the subtree filter).
    pub org_ids: Vec<i64>,
    pub year: i64,
    pub brand_id: Option<i64>,
    /// Published to the whole deployment.
    pub reach_all: bool,
    /// The committee it was published by (a subtree-wide case reaches its subtree).
    pub publisher_id: i64,
    pub published_at: i64,
}

/// What a reader asks.
#[derive(Debug, Clone, Default)]
pub struct SearchQuery {
    /// Already checked by core's `clean_query`.
    pub text: String,
    /// The committees whose subtree-wide publications the reader sees (core's
    /// `ReadContext::publishers`).
    pub publishers: Vec<i64>,
    pub within_org: Option<i64>,
    pub tag: Option<String>,
    pub year: Option<i64>,
    pub brand_id: Option<i64>,
    pub by_date: bool,
    pub limit: usize,
    pub offset: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub id: i64,
    pub title: String,
    pub org_name: String,
    /// HTML: the text around the words found, each in `<b>`; everything else escaped.
    pub snippet: String,
    pub score: f32,
}

#[derive(Clone, Copy)]
struct Fields {
    id: Field,
    title: Field,
    summary: Field,
    body: Field,
    files: Field,
    tags: Field,
    org_name: Field,
    orgs: Field,
    year: Field,
    brand: Field,
    reach_all: Field,
    publisher: Field,
    published_at: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(JIEBA)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let num = NumericOptions::default().set_indexed();
    let f = Fields {
        id: b.add_i64_field(
            "id",
            NumericOptions::default()
                .set_indexed()
                .set_stored()
                .set_fast(),
        ),
        title: b.add_text_field("title", text.clone().set_stored()),
        summary: b.add_text_field("summary", text.clone().set_stored()),
        body: b.add_text_field("body", text.clone().set_stored()),
        files: b.add_text_field("files", text),
        tags: b.add_text_field("tags", STRING | STORED),
        org_name: b.add_text_field("org_name", STORED),
        orgs: b.add_i64_field("orgs", num.clone()),
        year: b.add_i64_field("year", num.clone()),
        brand: b.add_i64_field("brand", num.clone()),
        reach_all: b.add_i64_field("reach_all", num.clone()),
        publisher: b.add_i64_field("publisher", num),
        published_at: b.add_i64_field("published_at", NumericOptions::default().set_fast()),
    };
    (b.build(), f)
}

/// The index of one instance.
pub struct CaseIndex {
    index: Index,
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    f: Fields,
}

impl CaseIndex {
    /// The index in `dir` (created when missing), or in memory for tests.
    pub fn open(dir: Option<&Path>) -> SearchResult<CaseIndex> {
        let (schema, f) = schema();
        let index = match dir {
            Some(d) => {
                std::fs::create_dir_all(d).map_err(|e| {
                    tantivy::TantivyError::SystemError(format!("{}: {e}", d.display()))
                })?;
                let mmap = tantivy::directory::MmapDirectory::open(d)?;
                Index::open_or_create(mmap, schema)?
            }
            None => Index::create_in_ram(schema),
        };
        // The tokenizer is registered at every open: the index stores only its name.
        index
            .tokenizers()
            .register(JIEBA, tantivy_jieba::JiebaTokenizer::with_search_mode(true));
        let writer = index.writer(50_000_000)?;
        let reader = index.reader()?;
        Ok(CaseIndex {
            index,
            reader,
            writer: Mutex::new(writer),
            f,
        })
    }

    fn writer(&self) -> std::sync::MutexGuard<'_, IndexWriter> {
        self.writer.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Adds or replaces cases and removes `gone` ones, then commits and reloads the reader.
    pub fn apply(&self, docs: &[CaseDoc], gone: &[i64]) -> SearchResult<()> {
        let f = self.f;
        let mut w = self.writer();
        for id in gone.iter().chain(docs.iter().map(|d| &d.id)) {
            w.delete_term(Term::from_field_i64(f.id, *id));
        }
        for d in docs {
            let mut doc = TantivyDocument::default();
            doc.add_i64(f.id, d.id);
            doc.add_text(f.title, &d.title);
            doc.add_text(f.summary, &d.summary);
            doc.add_text(f.body, &d.body);
            doc.add_text(f.files, &d.files);
            for t in &d.tags {
                doc.add_text(f.tags, t);
            }
            doc.add_text(f.org_name, &d.org_name);
            for o in &d.org_ids {
                doc.add_i64(f.orgs, *o);
            }
            doc.add_i64(f.year, d.year);
            doc.add_i64(f.brand, d.brand_id.unwrap_or(0));
            doc.add_i64(f.reach_all, i64::from(d.reach_all));
            doc.add_i64(f.publisher, d.publisher_id);
            doc.add_i64(f.published_at, d.published_at);
            w.add_document(doc)?;
        }
        w.commit()?;
        drop(w);
        self.reader.reload()?;
        Ok(())
    }

    /// Empties the index (before a rebuild).
    pub fn clear(&self) -> SearchResult<()> {
        let mut w = self.writer();
        w.delete_all_documents()?;
        w.commit()?;
        drop(w);
        self.reader.reload()?;
        Ok(())
    }

    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Who may see what: whole-deployment cases, or those of the reader's publishers.
    fn visible(&self, publishers: &[i64]) -> Box<dyn Query> {
        let f = self.f;
        let mut any: Vec<(Occur, Box<dyn Query>)> = vec![(
            Occur::Should,
            Box::new(TermQuery::new(
                Term::from_field_i64(f.reach_all, 1),
                IndexRecordOption::Basic,
            )),
        )];
        for p in publishers {
            any.push((
                Occur::Should,
                Box::new(TermQuery::new(
                    Term::from_field_i64(f.publisher, *p),
                    IndexRecordOption::Basic,
                )),
            ));
        }
        Box::new(BooleanQuery::new(any))
    }

    fn term(field: Field, v: i64) -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_i64(field, v),
            IndexRecordOption::Basic,
        ))
    }

    fn hit(&self, doc: &TantivyDocument, score: f32, snippet: String) -> Hit {
        let text = |field: Field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string()
        };
        Hit {
            id: doc
                .get_first(self.f.id)
                .and_then(|v| v.as_i64())
                .unwrap_or(0),
            title: text(self.f.title),
            org_name: text(self.f.org_name),
            snippet,
            score,
        }
    }

    /// The cases `q` finds, best first (or newest first), each with its snippet.
    pub fn search(&self, q: &SearchQuery) -> SearchResult<Vec<Hit>> {
        let f = self.f;
        let mut parser =
            QueryParser::for_index(&self.index, vec![f.title, f.summary, f.body, f.files]);
        // Every word must be there, wherever it stands (not as a phrase).
        parser.set_conjunction_by_default();
        parser.set_field_boost(f.title, 3.0);
        parser.set_field_boost(f.summary, 2.0);
        // The reader's words are text, never query syntax.
        let words = q
            .text
            .replace(|c: char| !c.is_alphanumeric() && !c.is_whitespace(), " ");
        let (text_query, _) = parser.parse_query_lenient(&words);
        let mut must: Vec<(Occur, Box<dyn Query>)> = vec![
            (Occur::Must, text_query.box_clone()),
            (Occur::Must, self.visible(&q.publishers)),
        ];
        if let Some(o) = q.within_org {
            must.push((Occur::Must, Self::term(f.orgs, o)));
        }
        if let Some(y) = q.year {
            must.push((Occur::Must, Self::term(f.year, y)));
        }
        if let Some(b) = q.brand_id {
            must.push((Occur::Must, Self::term(f.brand, b)));
        }
        if let Some(t) = &q.tag {
            must.push((
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(f.tags, t),
                    IndexRecordOption::Basic,
                )),
            ));
        }
        let query = BooleanQuery::new(must);
        let searcher = self.reader.searcher();
        let limit = q.limit.clamp(1, 100);
        let top = TopDocs::with_limit(limit).and_offset(q.offset.min(10_000));
        let found: Vec<(f32, DocAddress)> = if q.by_date {
            searcher
                .search(
                    &query,
                    &top.order_by_fast_field::<i64>("published_at", Order::Desc),
                )?
                .into_iter()
                .map(|(_, a)| (0.0, a))
                .collect()
        } else {
            searcher.search(&query, &top.order_by_score())?
        };
        let mut body_snips = SnippetGenerator::create(&searcher, &*text_query, f.body)?;
        body_snips.set_max_num_chars(120);
        let mut summary_snips = SnippetGenerator::create(&searcher, &*text_query, f.summary)?;
        summary_snips.set_max_num_chars(120);
        let mut hits = Vec::with_capacity(found.len());
        for (score, addr) in found {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let mut snippet = body_snips.snippet_from_doc(&doc);
            if snippet.highlighted().is_empty() {
                snippet = summary_snips.snippet_from_doc(&doc);
            }
            hits.push(self.hit(&doc, score, snippet.to_html()));
        }
        Ok(hits)
    }

    /// Cases like case `id` by their words (not by hand), that `publishers` may see.
    pub fn related(&self, id: i64, publishers: &[i64], limit: usize) -> SearchResult<Vec<Hit>> {
        let f = self.f;
        let searcher = self.reader.searcher();
        let me = searcher.search(
            &*Self::term(f.id, id),
            &TopDocs::with_limit(1).order_by_score(),
        )?;
        let Some((_, addr)) = me.first().copied() else {
            return Ok(Vec::new());
        };
        let like = MoreLikeThisQuery::builder()
            .with_min_doc_frequency(1)
            .with_min_term_frequency(1)
            .with_max_query_terms(25)
            .with_document(addr);
        let query = BooleanQuery::new(vec![
            (Occur::Must, Box::new(like) as Box<dyn Query>),
            (Occur::Must, self.visible(publishers)),
            (Occur::MustNot, Self::term(f.id, id)),
        ]);
        let found = searcher.search(
            &query,
            &TopDocs::with_limit(limit.clamp(1, 20)).order_by_score(),
        )?;
        let mut hits = Vec::new();
        for (score, addr) in found {
            let doc: TantivyDocument = searcher.doc(addr)?;
            hits.push(self.hit(&doc, score, String::new()));
        }
        Ok(hits)
    }
}
