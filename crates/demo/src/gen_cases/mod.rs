//! A synthetic corpus of case texts for the library's search benchmark and `ronghe gen
//! --cases N`: varied Chinese typical experiences, each built from facets (the field, the
//! carrier, what it worked on, the figure it moved) that are kept with it, so a search
//! benchmark can judge relevance by construction, before any engine is run.
//!
//! Every text also carries distractor sentences that name other carriers and figures in
//! passing ("下一步还将探索……"), so a case that merely mentions a word is not the same as a
//! case about it.

mod words;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
pub use words::{Field, CARRIERS, FIELDS};

/// What a generated case is about: indexes into [`FIELDS`] and [`CARRIERS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Facets {
    pub field: usize,
    pub carrier: usize,
    /// Index into the field's objects.
    pub object: usize,
    /// Index into the field's metrics.
    pub metric: usize,
}

#[derive(Debug, Clone)]
pub struct GenCase {
    pub facets: Facets,
    pub achievement: bool,
    pub title: String,
    pub summary: String,
    /// Paragraphs, one per line.
    pub body: String,
    pub tag: &'static str,
    /// The text of its attachment (a figures table), as read from the file.
    pub attachment: String,
    pub year: i64,
}

fn pick<'a>(rng: &mut StdRng, xs: &[&'a str]) -> &'a str {
    xs[rng.gen_range(0..xs.len())]
}

/// Case `i` of the corpus of `seed`: the same arguments give the same case.
pub fn case(seed: u64, i: u64) -> GenCase {
    let mut rng = StdRng::seed_from_u64(seed.wrapping_mul(1_000_003).wrapping_add(i));
    let field = rng.gen_range(0..FIELDS.len());
    let f: &Field = &FIELDS[field];
    let carrier = rng.gen_range(0..CARRIERS.len());
    let object = rng.gen_range(0..f.objects.len());
    let metric = rng.gen_range(0..f.metrics.len());
    let c = CARRIERS[carrier];
    let o = f.objects[object];
    let m = f.metrics[metric];
    let (from, to) = {
        let a = rng.gen_range(55..90);
        (a, (a + rng.gen_range(4..15)).min(99))
    };
    let unit = pick(&mut rng, &f.units);
    let verb = pick(&mut rng, &["推动", "带动", "助力", "促进", "保障"]);
    let title = match rng.gen_range(0..3) {
        0 => format!("{c}{verb}{o}{m}提升"),
        1 => format!("以{c}抓{o}：{m}由{from}%到{to}%"),
        _ => format!("{unit}{c}在{o}中的做法"),
    };
    let summary = format!(
        "{unit}围绕{o}设立{c}，党员带头{}，{m}由百分之{from}提高到百分之{to}。",
        pick(&mut rng, &f.actions)
    );
    // Another carrier and figure, named in passing only.
    let other_c = CARRIERS[(carrier + 1 + rng.gen_range(0..CARRIERS.len() - 1)) % CARRIERS.len()];
    let other_m = f.metrics[(metric + 1) % f.metrics.len()];
    let mut paras = vec![
        format!(
            "{}，{unit}在{o}方面存在{}的问题，群众和服务对象反映较多。",
            pick(&mut rng, &["年初", "去年以来", "今年上半年", "开展主题教育期间"]),
            pick(&mut rng, &f.problems)
        ),
        format!(
            "支部把{o}写进年度工作计划，设立{c}，由{}名党员牵头，{}。{c}的任务就是业务科室的任务，进度每月在支委会上通报。",
            rng.gen_range(2..9),
            pick(&mut rng, &f.actions)
        ),
        format!(
            "{}，{c}共{}，{o}的{m}由百分之{from}提高到百分之{to}。",
            pick(&mut rng, &["一年来", "半年来", "经过两个季度", "截至年底"]),
            pick(&mut rng, &f.outputs),
        ),
        format!(
            "体会是：{c}要落在{}，成效要用{m}这样的业务数据来检验，不让党员为党建另填一张表。",
            pick(&mut rng, &["业务一线", "最小工作单元", "群众最关心的地方", "重点任务上"])
        ),
        format!("下一步，支部还将探索{other_c}等做法，并关注{other_m}的变化。"),
    ];
    for _ in 0..rng.gen_range(0..3) {
        paras.insert(2, format!("{}。", pick(&mut rng, &words::FILLERS)));
    }
    let attachment = format!(
        "附件：{o}{m}统计表\n项目\t年初\t年末\n{m}\t{from}%\t{to}%\n参与党员\t{}人\t{}人",
        rng.gen_range(3..8),
        rng.gen_range(8..20)
    );
    GenCase {
        facets: Facets {
            field,
            carrier,
            object,
            metric,
        },
        achievement: rng.gen_bool(0.3),
        title,
        summary,
        body: paras.join("\n"),
        tag: f.tag,
        attachment,
        year: 2024 + rng.gen_range(0..3),
    }
}

/// Writes `n` cases of the corpus of `seed` into the database, published, spread over the
/// branches; `progress(done, n)` after each batch. Returns the first and last case numbers.
pub async fn generate(
    store: &ronghe_store::Store,
    n: u64,
    seed: u64,
    progress: &dyn Fn(u64, u64),
) -> ronghe_store::StoreResult<(String, String)> {
    use ronghe_office::docx::{self, Block};
    let bytes = docx::write(
        "成效数据",
        &[Block::Table(vec![
            vec!["项目".into(), "年初".into(), "年末".into()],
            vec!["完成率".into(), "80%".into(), "95%".into()],
        ])],
    );
    let file = ronghe_store::NewAttachment::new("成效数据.docx", bytes)
        .map_err(|m| ronghe_store::StoreError::field("cases", m))?;
    let (mut first, mut last) = (String::new(), String::new());
    let mut done = 0;
    while done < n {
        let batch: Vec<ronghe_store::CaseText> = (done..(done + 10_000).min(n))
            .map(|i| {
                let c = case(seed, i);
                ronghe_store::CaseText {
                    year: c.year,
                    kind: if c.achievement {
                        "achievement"
                    } else {
                        "experience"
                    },
                    title: c.title,
                    summary: c.summary,
                    body: c.body,
                    tag: c.tag,
                    attachment_text: c.attachment,
                }
            })
            .collect();
        done += batch.len() as u64;
        let (a, b) = store.case_bulk_insert(&batch, &file).await?;
        if first.is_empty() {
            first = a;
        }
        last = b;
        progress(done, n);
    }
    Ok((first, last))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_corpus_is_reproducible_and_varied() {
        let a: Vec<_> = (0..200).map(|i| case(7, i)).collect();
        let b: Vec<_> = (0..200).map(|i| case(7, i)).collect();
        assert_eq!(
            a.iter().map(|c| &c.body).collect::<Vec<_>>(),
            b.iter().map(|c| &c.body).collect::<Vec<_>>()
        );
        let titles: std::collections::HashSet<_> = a.iter().map(|c| &c.title).collect();
        assert!(titles.len() > 150, "{}", titles.len());
        for c in &a {
            let chars = c.title.chars().count();
            assert!(chars <= 60, "{}", c.title);
            assert!(c.summary.chars().count() <= 300);
            // The case names its own carrier and object.
            assert!(c.body.contains(CARRIERS[c.facets.carrier]));
            assert!(c
                .body
                .contains(FIELDS[c.facets.field].objects[c.facets.object]));
        }
    }
}
