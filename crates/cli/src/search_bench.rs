//! The case library's search benchmark: the generated corpus indexed by our engine (tantivy
//! with jieba) and by SQLite FTS5 with its trigram tokenizer, in the same run on the same
//! texts; indexing throughput, precision at 10 on the judged query set, and latency at N
//! concurrent clients, printed side by side. It prints figures and asserts nothing.

use anyhow::Context;
use ronghe_demo::gen_cases::{self, GenCase, CARRIERS, FIELDS};
use ronghe_search::{CaseDoc, CaseIndex, Readers, SearchQuery};
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

/// A judged query: the text as typed, and the facets a relevant case has.
struct Judged {
    text: String,
    carrier: Option<&'static str>,
    object: Option<String>,
    metric: Option<String>,
}

fn load_queries(path: &Path) -> anyhow::Result<Vec<Judged>> {
    let text = std::fs::read_to_string(path).with_context(|| path.display().to_string())?;
    let mut out = Vec::new();
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let (q, facets) = line.split_once('\t').context("query line without facets")?;
        let mut j = Judged {
            text: q.to_string(),
            carrier: None,
            object: None,
            metric: None,
        };
        for f in facets.split(';') {
            let (k, v) = f.split_once('=').context("facet without =")?;
            match k {
                "carrier" => {
                    j.carrier = Some(
                        CARRIERS
                            .iter()
                            .copied()
                            .find(|c| *c == v)
                            .context(v.to_string())?,
                    )
                }
                "object" => j.object = Some(v.to_string()),
                "metric" => j.metric = Some(v.to_string()),
                _ => anyhow::bail!("unknown facet {k}"),
            }
        }
        out.push(j);
    }
    Ok(out)
}

fn relevant(j: &Judged, c: &GenCase) -> bool {
    let f = &FIELDS[c.facets.field];
    j.carrier.is_none_or(|x| CARRIERS[c.facets.carrier] == x)
        && j.object
            .as_deref()
            .is_none_or(|x| f.objects[c.facets.object] == x)
        && j.metric
            .as_deref()
            .is_none_or(|x| f.metrics[c.facets.metric] == x)
}

/// The FTS5 statement for a query as typed: each word of three characters or more is a
/// trigram phrase (MATCH, ranked by bm25 with the title weighted as ours is); shorter words,
/// which trigrams cannot match, are substring tests (LIKE).
fn fts_sql(q: &str) -> (String, Vec<String>) {
    let mut phrases = Vec::new();
    let mut likes = Vec::new();
    for w in q.split_whitespace() {
        if w.chars().count() >= 3 {
            phrases.push(format!("\"{}\"", w.replace('"', "")));
        } else {
            likes.push(w.to_string());
        }
    }
    let mut cond = Vec::new();
    let mut args = Vec::new();
    if !phrases.is_empty() {
        cond.push("fts MATCH ?".to_string());
        args.push(phrases.join(" AND "));
    }
    for l in likes {
        cond.push("(title LIKE ? OR summary LIKE ? OR body LIKE ? OR files LIKE ?)".into());
        for _ in 0..4 {
            args.push(format!("%{l}%"));
        }
    }
    let order = if phrases.is_empty() {
        "rowid"
    } else {
        "bm25(fts, 3.0, 2.0, 1.0, 1.0)"
    };
    (
        format!(
            "SELECT rowid FROM fts WHERE {} ORDER BY {order} LIMIT 10",
            cond.join(" AND ")
        ),
        args,
    )
}

fn fts_search(conn: &rusqlite::Connection, q: &str) -> Vec<i64> {
    let (sql, args) = fts_sql(q);
    let mut st = conn.prepare_cached(&sql).expect("fts statement");
    st.query_map(rusqlite::params_from_iter(args.iter()), |r| r.get(0))
        .expect("fts query")
        .filter_map(Result::ok)
        .collect()
}

fn query_of(text: &str) -> SearchQuery {
    SearchQuery {
        text: text.to_string(),
        readers: Readers::default(),
        limit: 10,
        ..Default::default()
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

type Job = (usize, std::sync::mpsc::Sender<f64>);

/// `clients` closed-loop clients, each sending `rounds` passes over the queries to a server
/// that runs as many searches at once as the machine has cores, first come first served (as
/// the web layer does). Latency is from sending to the answer, waiting included, in ms; and
/// the wall time.
fn load<F>(clients: usize, rounds: usize, queries: &Arc<Vec<String>>, make: F) -> (Vec<f64>, f64)
where
    F: Fn() -> Box<dyn FnMut(&str) + Send> + Sync,
{
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let (tx, rx) = std::sync::mpsc::channel::<Job>();
    let rx = Arc::new(std::sync::Mutex::new(rx));
    let start = Instant::now();
    let mut all = Vec::new();
    std::thread::scope(|s| {
        for _ in 0..workers {
            let mut run = make();
            let (rx, queries) = (rx.clone(), queries.clone());
            s.spawn(move || loop {
                let job = rx.lock().expect("queue").recv();
                let Ok((i, reply)) = job else { return };
                run(&queries[i]);
                let _ = reply.send(0.0);
            });
        }
        let handles: Vec<_> = (0..clients)
            .map(|c| {
                let (tx, n) = (tx.clone(), queries.len());
                s.spawn(move || {
                    let mut lat = Vec::with_capacity(rounds * n);
                    let (reply, answer) = std::sync::mpsc::channel();
                    for r in 0..rounds {
                        for i in 0..n {
                            // Each client starts at a different query.
                            let t = Instant::now();
                            tx.send(((i + c + r) % n, reply.clone())).expect("server");
                            answer.recv().expect("answer");
                            lat.push(t.elapsed().as_secs_f64() * 1000.0);
                        }
                    }
                    lat
                })
            })
            .collect();
        for h in handles {
            all.extend(h.join().expect("client thread"));
        }
        drop(tx);
    });
    all.sort_by(f64::total_cmp);
    (all, start.elapsed().as_secs_f64())
}

pub fn run(
    cases: u64,
    seed: u64,
    clients: usize,
    rounds: usize,
    queries: &Path,
    dir: &Path,
) -> anyhow::Result<()> {
    let judged = load_queries(queries)?;
    std::fs::create_dir_all(dir)?;
    eprintln!(
        "案例检索基准：{cases} 篇生成的案例，{} 个评判过的查询，{clients} 个并发客户端",
        judged.len()
    );
    let t = Instant::now();
    let corpus: Vec<GenCase> = (0..cases).map(|i| gen_cases::case(seed, i)).collect();
    eprintln!("  生成文本 {:.1} 秒", t.elapsed().as_secs_f64());

    // Our engine, on disk as a deployment keeps it.
    let ix_dir = dir.join("tantivy");
    let _ = std::fs::remove_dir_all(&ix_dir);
    let index = Arc::new(CaseIndex::open(Some(&ix_dir))?);
    let t = Instant::now();
    for (n, chunk) in corpus.chunks(10_000).enumerate() {
        let docs: Vec<CaseDoc> = chunk
            .iter()
            .enumerate()
            .map(|(i, c)| CaseDoc {
                id: (n * 10_000 + i + 1) as i64,
                title: c.title.clone(),
                summary: c.summary.clone(),
                body: c.body.clone(),
                files: c.attachment.clone(),
                tags: vec![c.tag.to_string()],
                org_name: "生成的党支部".into(),
                org_ids: vec![1],
                year: c.year,
                kind: if c.achievement {
                    "achievement"
                } else {
                    "experience"
                }
                .into(),
                reach_all: true,
                publisher_id: 1,
                published_at: (n * 10_000 + i) as i64,
                ..Default::default()
            })
            .collect();
        index.apply(&docs, &[])?;
    }
    let ours_secs = t.elapsed().as_secs_f64();

    // SQLite FTS5 with the trigram tokenizer.
    let db = dir.join("fts5.db");
    let _ = std::fs::remove_file(&db);
    let conn = rusqlite::Connection::open(&db)?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; CREATE VIRTUAL TABLE fts USING fts5(title, summary, body, files, tokenize = 'trigram');",
    )?;
    let t = Instant::now();
    conn.execute_batch("BEGIN")?;
    {
        let mut ins = conn.prepare(
            "INSERT INTO fts (rowid, title, summary, body, files) VALUES (?, ?, ?, ?, ?)",
        )?;
        for (i, c) in corpus.iter().enumerate() {
            ins.execute(rusqlite::params![
                (i + 1) as i64,
                c.title,
                c.summary,
                c.body,
                c.attachment
            ])?;
        }
    }
    conn.execute_batch("COMMIT")?;
    let fts_secs = t.elapsed().as_secs_f64();
    drop(conn);

    // Precision at 10, judged by the facets.
    let is_rel = |j: &Judged, id: i64| relevant(j, &corpus[(id - 1) as usize]);
    let conn =
        rusqlite::Connection::open_with_flags(&db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let (mut p_ours, mut p_fts) = (0.0, 0.0);
    println!("\n查询\t相关总数\tP@10 融合\tP@10 FTS5");
    for j in &judged {
        let total = corpus.iter().filter(|c| relevant(j, c)).count();
        let ours: Vec<i64> = index
            .search(&query_of(&j.text))?
            .iter()
            .map(|h| h.id)
            .collect();
        let fts = fts_search(&conn, &j.text);
        let p = |ids: &[i64]| ids.iter().filter(|id| is_rel(j, **id)).count() as f64 / 10.0;
        let (a, b) = (p(&ours), p(&fts));
        p_ours += a;
        p_fts += b;
        println!("{}\t{total}\t{a:.1}\t{b:.1}", j.text);
    }
    let nq = judged.len() as f64;
    drop(conn);

    // Latency under load.
    let texts: Arc<Vec<String>> = Arc::new(judged.iter().map(|j| j.text.clone()).collect());
    let ix = index.clone();
    let (ours_lat, ours_wall) = load(clients, rounds, &texts, || {
        let ix = ix.clone();
        Box::new(move |q: &str| {
            let _ = ix.search(&query_of(q));
        })
    });
    let db2 = db.clone();
    let (fts_lat, fts_wall) = load(clients, rounds, &texts, || {
        let conn =
            rusqlite::Connection::open_with_flags(&db2, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
                .expect("fts5 connection");
        Box::new(move |q: &str| {
            let _ = fts_search(&conn, q);
        })
    });
    let size = |p: &Path| -> u64 { walk(p) };
    println!(
        "\n（{clients} 个客户端，服务端同时执行 {} 个查询，先到先服务）",
        std::thread::available_parallelism().map_or(2, |n| n.get())
    );
    println!("\t融合（tantivy + jieba）\tSQLite FTS5（trigram）");
    println!(
        "建索引\t{:.0} 篇/秒（{ours_secs:.1} 秒）\t{:.0} 篇/秒（{fts_secs:.1} 秒）",
        cases as f64 / ours_secs,
        cases as f64 / fts_secs
    );
    println!(
        "索引大小\t{} MB\t{} MB",
        size(&ix_dir) >> 20,
        size(&db) >> 20
    );
    println!(
        "平均 P@10（{} 个查询）\t{:.3}\t{:.3}",
        judged.len(),
        p_ours / nq,
        p_fts / nq
    );
    for (name, p) in [("p50", 0.5), ("p99", 0.99)] {
        println!(
            "{name}（{clients} 并发）\t{:.2} ms\t{:.2} ms",
            percentile(&ours_lat, p),
            percentile(&fts_lat, p)
        );
    }
    println!(
        "吞吐\t{:.0} 次/秒\t{:.0} 次/秒",
        ours_lat.len() as f64 / ours_wall,
        fts_lat.len() as f64 / fts_wall
    );
    println!(
        "比值（FTS5 p99 / 融合 p99）\t{:.1}",
        percentile(&fts_lat, 0.99) / percentile(&ours_lat, 0.99).max(1e-9)
    );
    Ok(())
}

fn walk(p: &Path) -> u64 {
    match std::fs::metadata(p) {
        Ok(m) if m.is_dir() => std::fs::read_dir(p)
            .map(|d| d.filter_map(Result::ok).map(|e| walk(&e.path())).sum())
            .unwrap_or(0),
        Ok(m) => m.len(),
        Err(_) => 0,
    }
}
