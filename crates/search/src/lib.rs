//! Chinese full-text search over the published cases of the library: a tantivy index whose
//! words are cut by jieba. The index is derived from the database and holds only what search
//! needs; whether a reader may see a case is decided in the query itself (a case published to
//! the whole deployment, or to the subtree of a committee the reader belongs under), so nobody
//! finds a case they could not open.

use std::path::Path;
use std::sync::Mutex;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, BoostQuery, MoreLikeThisQuery, Occur, Query, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, Value,
    STORED, STRING,
};
use tantivy::{DocAddress, Index, IndexReader, IndexWriter, Order, TantivyDocument, Term};

const JIEBA: &str = "jieba";

/// Words too common in any case text to be worth a related search.
const COMMON: &[&str] = &[
    "我们", "进行", "通过", "开展", "工作", "支部", "党员", "组织", "明显", "提高", "全年", "今年",
    "以来", "没有", "可以", "一个", "这个", "他们", "自己", "问题", "情况", "要求",
];

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
    /// The case's kind (core's `CaseKind::code`).
    pub kind: String,
    pub brand_id: Option<i64>,
    /// Published to the whole deployment.
    pub reach_all: bool,
    /// The committee it was published by (a subtree-wide case reaches its subtree).
    pub publisher_id: i64,
    pub published_at: i64,
}

/// Who reads, as the index can tell: the same rule as core's `can_read`.
#[derive(Debug, Clone, Default)]
pub struct Readers {
    /// The account sees the whole deployment.
    pub all: bool,
    /// The committees whose subtree-wide publications the reader sees (core's
    /// `ReadContext::publishers`).
    pub publishers: Vec<i64>,
    /// The roots of the subtrees the reader's account oversees: their cases are all open.
    pub subtrees: Vec<i64>,
    /// Single organizations the account sees (not their subtrees).
    pub orgs: Vec<i64>,
}

/// What a reader asks.
#[derive(Debug, Clone, Default)]
pub struct SearchQuery {
    /// Already checked by core's `clean_query`.
    pub text: String,
    pub readers: Readers,
    pub within_org: Option<i64>,
    pub tag: Option<String>,
    pub kind: Option<String>,
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
    /// Title, summary, body and files together: what a word must be in.
    all: Field,
    tags: Field,
    kind: Field,
    org: Field,
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
            .set_index_option(IndexRecordOption::WithFreqs),
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
        files: b.add_text_field("files", text.clone()),
        all: b.add_text_field("all", text),
        tags: b.add_text_field("tags", STRING | STORED),
        kind: b.add_text_field("kind", STRING),
        org: b.add_i64_field("org", num.clone()),
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

/// The snippet of `text` around the first of `words` found in it: at most `max_chars`
/// characters, escaped, each occurrence of a word in `<b>`; none when no word is in it. The
/// words are found as they stand in the text (Chinese words are substrings), which costs a
/// scan rather than cutting every hit's text into words again.
fn plain_snippet(text: &str, words: &[String], max_chars: usize) -> Option<String> {
    let first = words
        .iter()
        .filter(|w| !w.is_empty())
        .filter_map(|w| text.find(w.as_str()))
        .min()?;
    // Begin a little before the first word, on a character boundary.
    let lead: usize = text[..first]
        .chars()
        .rev()
        .take(20)
        .map(char::len_utf8)
        .sum();
    let start = first - lead;
    let end = text[start..]
        .char_indices()
        .nth(max_chars)
        .map_or(text.len(), |(i, _)| start + i);
    let window = &text[start..end];
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    for w in words.iter().filter(|w| !w.is_empty()) {
        ranges.extend(
            window
                .match_indices(w.as_str())
                .map(|(i, m)| (i, i + m.len())),
        );
    }
    ranges.sort_unstable();
    let esc = |t: &str| {
        t.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    let mut html = String::new();
    if start > 0 {
        html.push('…');
    }
    let mut at = 0;
    for (s, e) in ranges {
        if e <= at {
            continue;
        }
        let s = s.max(at);
        html.push_str(&esc(&window[at..s]));
        html.push_str("<b>");
        html.push_str(&esc(&window[s..e]));
        html.push_str("</b>");
        at = e;
    }
    html.push_str(&esc(&window[at..]));
    if end < text.len() {
        html.push('…');
    }
    Some(html)
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
                match Index::open_or_create(mmap, schema.clone()) {
                    Ok(ix) => ix,
                    // Written by another version (another schema): the index is derived, so
                    // it is made again, and rebuilt from the database by its follower.
                    Err(_) => {
                        std::fs::remove_dir_all(d).map_err(|e| {
                            tantivy::TantivyError::SystemError(format!("{}: {e}", d.display()))
                        })?;
                        std::fs::create_dir_all(d).map_err(|e| {
                            tantivy::TantivyError::SystemError(format!("{}: {e}", d.display()))
                        })?;
                        Index::create(
                            tantivy::directory::MmapDirectory::open(d)?,
                            schema,
                            Default::default(),
                        )?
                    }
                }
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
        self.apply_at(docs, gone, None)
    }

    /// [`Self::apply`], recording with the commit how far the change log has been followed
    /// (read back by [`Self::position`] when the index is opened again).
    pub fn apply_at(&self, docs: &[CaseDoc], gone: &[i64], at: Option<i64>) -> SearchResult<()> {
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
            for t in [&d.title, &d.summary, &d.body, &d.files] {
                doc.add_text(f.all, t);
            }
            for t in &d.tags {
                doc.add_text(f.tags, t);
            }
            doc.add_text(f.org_name, &d.org_name);
            doc.add_text(f.kind, &d.kind);
            doc.add_i64(f.org, d.org_ids.last().copied().unwrap_or(0));
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
        let mut commit = w.prepare_commit()?;
        if let Some(at) = at {
            commit.set_payload(&at.to_string());
        }
        commit.commit()?;
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

    /// The change-log position recorded with the last commit, if any.
    pub fn position(&self) -> Option<i64> {
        self.index.load_metas().ok()?.payload?.parse().ok()
    }

    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Who may see what: whole-deployment cases, those of the reader's publishers, and
    /// every case within what the reader's account oversees.
    fn visible(&self, r: &Readers) -> Box<dyn Query> {
        let f = self.f;
        if r.all {
            return Box::new(tantivy::query::AllQuery);
        }
        let mut any: Vec<(Occur, Box<dyn Query>)> =
            vec![(Occur::Should, Self::term(f.reach_all, 1))];
        let terms = r
            .publishers
            .iter()
            .map(|p| (f.publisher, *p))
            .chain(r.subtrees.iter().map(|o| (f.orgs, *o)))
            .chain(r.orgs.iter().map(|o| (f.org, *o)));
        for (field, v) in terms {
            any.push((Occur::Should, Self::term(field, v)));
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

    /// Every word of `text` (as jieba cuts it, the way the index was cut) must be in the case,
    /// in any field and wherever it stands; title and summary weigh more. The reader's text is
    /// never query syntax. Text people type without spaces is cut into words the same way.
    fn words_query(&self, text: &str) -> SearchResult<Box<dyn Query>> {
        let words = self.words(text)?;
        Ok(self.all_words(&words))
    }

    /// The words of `text` as the index cut them (search mode: 责任区 also gives 责任).
    fn words(&self, text: &str) -> SearchResult<Vec<String>> {
        let f = self.f;
        let mut analyzer = self.index.tokenizer_for_field(f.body)?;
        let mut words: Vec<String> = Vec::new();
        let mut stream = analyzer.token_stream(text);
        while stream.advance() {
            let t = stream.token().text.clone();
            if t.chars().any(char::is_alphanumeric) && !words.contains(&t) {
                words.push(t);
            }
        }
        Ok(words)
    }

    /// A query requiring every one of `words` somewhere in the case (one posting list per
    /// word, intersected), scored higher where they stand in the title or summary.
    fn all_words(&self, words: &[String]) -> Box<dyn Query> {
        let f = self.f;
        let term = |field: Field, w: &str, boost: f32| -> Box<dyn Query> {
            let q = TermQuery::new(
                Term::from_field_text(field, w),
                IndexRecordOption::WithFreqs,
            );
            Box::new(BoostQuery::new(Box::new(q), boost))
        };
        let mut all: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for w in words {
            all.push((Occur::Must, term(f.all, w, 1.0)));
            all.push((Occur::Should, term(f.title, w, 3.0)));
            all.push((Occur::Should, term(f.summary, w, 1.5)));
        }
        Box::new(BooleanQuery::new(all))
    }

    /// The cases `q` finds, best first (or newest first), each with its snippet.
    pub fn search(&self, q: &SearchQuery) -> SearchResult<Vec<Hit>> {
        Ok(self.search_page(q)?.1)
    }

    /// How many cases `q` finds in all, and the page of them `q` asks for.
    pub fn search_page(&self, q: &SearchQuery) -> SearchResult<(usize, Vec<Hit>)> {
        let f = self.f;
        let text_query = self.words_query(&q.text)?;
        let mut must: Vec<(Occur, Box<dyn Query>)> = vec![
            (Occur::Must, text_query.box_clone()),
            (Occur::Must, self.visible(&q.readers)),
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
        for (field, v) in [(f.tags, &q.tag), (f.kind, &q.kind)] {
            if let Some(v) = v {
                must.push((
                    Occur::Must,
                    Box::new(TermQuery::new(
                        Term::from_field_text(field, v),
                        IndexRecordOption::Basic,
                    )),
                ));
            }
        }
        let query = BooleanQuery::new(must);
        let searcher = self.reader.searcher();
        let limit = q.limit.clamp(1, 100);
        let top = TopDocs::with_limit(limit).and_offset(q.offset.min(10_000));
        let (total, found): (usize, Vec<(f32, DocAddress)>) = if q.by_date {
            let (n, top) = searcher.search(
                &query,
                &(
                    Count,
                    top.order_by_fast_field::<i64>("published_at", Order::Desc),
                ),
            )?;
            (n, top.into_iter().map(|(_, a)| (0.0, a)).collect())
        } else {
            searcher.search(&query, &(Count, top.order_by_score()))?
        };
        // Snippets mark the longest words (责任区, not also 责任).
        let words = self.words(&q.text)?;
        let longest: Vec<String> = words
            .iter()
            .filter(|w| {
                let w: &str = w;
                !words.iter().any(|o| o.len() > w.len() && o.contains(w))
            })
            .cloned()
            .collect();
        let mut hits = Vec::with_capacity(found.len());
        for (score, addr) in found {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let text = |field: Field| doc.get_first(field).and_then(|v| v.as_str()).unwrap_or("");
            let snippet = plain_snippet(text(f.body), &longest, 120)
                .or_else(|| plain_snippet(text(f.summary), &longest, 120))
                .unwrap_or_default();
            hits.push(self.hit(&doc, score, snippet));
        }
        Ok((total, hits))
    }

    /// Cases like case `id` by their words (not by hand), that `readers` may see.
    pub fn related(&self, id: i64, readers: &Readers, limit: usize) -> SearchResult<Vec<Hit>> {
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
            (Occur::Must, self.visible(readers)),
            (Occur::MustNot, Self::term(f.id, id)),
        ]);
        self.best(&searcher, &query, limit)
    }

    /// Cases like `text` (an organization's own goals and work, say) that `readers` may see,
    /// outside `not_org`'s own.
    pub fn like_text(
        &self,
        text: &str,
        readers: &Readers,
        not_org: Option<i64>,
        limit: usize,
    ) -> SearchResult<Vec<Hit>> {
        let f = self.f;
        if text.trim().is_empty() {
            return Ok(Vec::new());
        }
        let like = MoreLikeThisQuery::builder()
            .with_min_doc_frequency(1)
            .with_min_term_frequency(1)
            .with_max_query_terms(25)
            .with_document_fields(vec![(
                f.body,
                vec![tantivy::schema::OwnedValue::Str(text.to_string())],
            )]);
        let mut all: Vec<(Occur, Box<dyn Query>)> = vec![
            (Occur::Must, Box::new(like)),
            (Occur::Must, self.visible(readers)),
        ];
        if let Some(o) = not_org {
            all.push((Occur::MustNot, Self::term(f.org, o)));
        }
        let searcher = self.reader.searcher();
        self.best(&searcher, &BooleanQuery::new(all), limit)
    }

    /// The best `limit` (at most 20) cases of `query`, without snippets.
    fn best(
        &self,
        searcher: &tantivy::Searcher,
        query: &dyn Query,
        limit: usize,
    ) -> SearchResult<Vec<Hit>> {
        let found = searcher.search(
            query,
            &TopDocs::with_limit(limit.clamp(1, 20)).order_by_score(),
        )?;
        let mut hits = Vec::new();
        for (score, addr) in found {
            let doc: TantivyDocument = searcher.doc(addr)?;
            hits.push(self.hit(&doc, score, String::new()));
        }
        Ok(hits)
    }

    /// The words that stand out in case `id` (often in it, rare elsewhere), for the case
    /// page's related searches: at most `n`, each of two characters or more.
    pub fn key_terms(&self, id: i64, n: usize) -> SearchResult<Vec<String>> {
        let f = self.f;
        let searcher = self.reader.searcher();
        let me = searcher.search(
            &*Self::term(f.id, id),
            &TopDocs::with_limit(1).order_by_score(),
        )?;
        let Some((_, addr)) = me.first().copied() else {
            return Ok(Vec::new());
        };
        let doc: TantivyDocument = searcher.doc(addr)?;
        let text: String = [f.title, f.summary, f.body]
            .iter()
            .filter_map(|field| doc.get_first(*field).and_then(|v| v.as_str()))
            .collect::<Vec<_>>()
            .join("\n");
        let mut analyzer = self.index.tokenizer_for_field(f.body)?;
        let mut counts: std::collections::HashMap<String, u32> = Default::default();
        let mut stream = analyzer.token_stream(&text);
        while stream.advance() {
            let t = &stream.token().text;
            let plain = COMMON.contains(&t.as_str()) || t.starts_with('一');
            if t.chars().count() >= 2 && t.chars().all(char::is_alphabetic) && !plain {
                *counts.entry(t.clone()).or_default() += 1;
            }
        }
        let total = searcher.num_docs().max(1) as f64;
        let mut scored: Vec<(f64, String)> = Vec::with_capacity(counts.len());
        for (t, c) in counts {
            let df = searcher.doc_freq(&Term::from_field_text(f.body, &t))? as f64;
            let idf = (total / (df + 1.0)).ln() + 1.0;
            scored.push((f64::from(c) * idf, t));
        }
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        Ok(scored.into_iter().take(n).map(|(_, t)| t).collect())
    }
}
