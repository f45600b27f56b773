//! The Word reader fuzzed: the files of `fuzz/corpus` (real-shaped documents, some stored
//! uncompressed so that mutations reach the XML, and the hostile shapes of `tests/docx.rs`)
//! mutated by proptest — bytes changed, inserted and cut. The reader must answer every one
//! with a document or a refusal, and never panic (a panic would come back from its guard as
//! "读取时出错", which this test fails on).
//!
//! Run: `cargo test -p ronghe-office --test fuzz` (PROPTEST_CASES=20000 for a longer run).
//! Regenerate the corpus: `cargo test -p ronghe-office --test fuzz -- --ignored`.

use proptest::prelude::*;
use ronghe_office::docx::{self, DocxError, Limits};
use std::io::Write;
use std::path::PathBuf;

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus")
}

fn corpus() -> Vec<Vec<u8>> {
    let mut files: Vec<_> = std::fs::read_dir(corpus_dir())
        .expect("fuzz/corpus")
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files.iter().map(|f| std::fs::read(f).unwrap()).collect()
}

/// Small limits, so that every case is quick.
const LIMITS: Limits = Limits {
    file_bytes: 1 << 20,
    entries: 64,
    part_bytes: 1 << 20,
    depth: 64,
};

fn not_a_panic(bytes: &[u8]) -> Result<(), TestCaseError> {
    if let Err(DocxError::Corrupt(m)) = docx::read(bytes, &LIMITS) {
        prop_assert_ne!(m, "读取时出错", "the reader panicked");
    }
    Ok(())
}

#[derive(Debug, Clone)]
enum Mutation {
    Set(usize, u8),
    Insert(usize, Vec<u8>),
    Cut(usize, usize),
}

fn mutate(bytes: &mut Vec<u8>, mutations: Vec<Mutation>) {
    for m in mutations {
        let n = bytes.len().max(1);
        match m {
            Mutation::Set(i, b) => {
                if !bytes.is_empty() {
                    bytes[i % n] = b;
                }
            }
            Mutation::Insert(i, b) => {
                let at = i % (bytes.len() + 1);
                bytes.splice(at..at, b);
            }
            Mutation::Cut(i, k) => {
                let at = i % n;
                let end = (at + k).min(bytes.len());
                if at < end {
                    bytes.drain(at..end);
                }
            }
        }
    }
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        4 => (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Set(i, b)),
        1 => (any::<usize>(), prop::collection::vec(any::<u8>(), 1..16))
            .prop_map(|(i, b)| Mutation::Insert(i, b)),
        1 => (any::<usize>(), 1usize..64).prop_map(|(i, n)| Mutation::Cut(i, n)),
    ]
}

proptest! {
    // 512 cases unless PROPTEST_CASES says otherwise.
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(512),
    ))]
    #[test]
    fn mutated_documents_are_answered_never_panicked_on(
        which in any::<usize>(),
        mutations in prop::collection::vec(mutation(), 1..12),
    ) {
        let files = corpus();
        let mut bytes = files[which % files.len()].clone();
        mutate(&mut bytes, mutations);
        not_a_panic(&bytes)?;
    }
}

proptest! {
    // 512 cases unless PROPTEST_CASES says otherwise.
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(512),
    ))]
    /// The zip checks each part's checksum, so mutated packages mostly stop there: the XML of
    /// the corpus's stored documents is mutated too and packaged afresh, to reach the parser.
    #[test]
    fn mutated_xml_in_a_sound_package_is_answered_never_panicked_on(
        which in any::<usize>(),
        mutations in prop::collection::vec(mutation(), 1..12),
    ) {
        let xml = stored_documents();
        let mut bytes = xml[which % xml.len()].clone();
        mutate(&mut bytes, mutations);
        not_a_panic(&package(&[("word/document.xml", &bytes)], true))?;
    }
}

/// `word/document.xml` of each stored (uncompressed) file of the corpus.
fn stored_documents() -> Vec<Vec<u8>> {
    corpus()
        .into_iter()
        .filter_map(|f| {
            let mut z = zip::ZipArchive::new(std::io::Cursor::new(f)).ok()?;
            let mut part = z.by_name("word/document.xml").ok()?;
            let mut out = Vec::new();
            std::io::Read::read_to_end(&mut part, &mut out).ok()?;
            Some(out)
        })
        .collect()
}

#[test]
fn the_corpus_itself_is_answered() {
    assert!(stored_documents().len() >= 4);
    let files = corpus();
    assert!(files.len() >= 6);
    for f in &files {
        let _ = docx::read(f, &LIMITS);
    }
}

fn package(parts: &[(&str, &[u8])], stored: bool) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut z = zip::ZipWriter::new(&mut out);
    let method = if stored {
        zip::CompressionMethod::Stored
    } else {
        zip::CompressionMethod::Deflated
    };
    let opts = zip::write::SimpleFileOptions::default().compression_method(method);
    for (name, bytes) in parts {
        z.start_file(*name, opts).unwrap();
        z.write_all(bytes).unwrap();
    }
    z.finish().unwrap();
    out.into_inner()
}

#[test]
#[ignore = "writes the seed files of fuzz/corpus"]
fn seeds_for_the_fuzz_corpus() {
    let w = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"";
    let doc = format!("<?xml version=\"1.0\"?><w:document {w}><w:body>\
        <w:p><w:pPr><w:pStyle w:val=\"1\"/></w:pPr><w:r><w:t>党建品牌“计量先锋”</w:t></w:r></w:p>\
        <w:p><w:r><w:t xml:space=\"preserve\">支部 &amp; 检定室 &#x4E00;起</w:t><w:tab/><w:t>推进</w:t><w:br/></w:r></w:p>\
        <w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr><w:r><w:t>结合点</w:t></w:r></w:p>\
        <w:tbl><w:tr><w:tc><w:p><w:r><w:t>指标</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>98%</w:t></w:r></w:p></w:tc></w:tr></w:tbl>\
        </w:body></w:document>");
    let styles = format!(
        "<w:styles {w}><w:style w:styleId=\"1\"><w:name w:val=\"heading 1\"/></w:style></w:styles>"
    );
    let numbering = format!("<w:numbering {w}><w:abstractNum w:abstractNumId=\"0\"><w:lvl w:ilvl=\"0\"><w:numFmt w:val=\"decimal\"/></w:lvl></w:abstractNum><w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num></w:numbering>");
    let core = "<cp:coreProperties xmlns:cp=\"x\" xmlns:dc=\"y\"><dc:title>典型经验</dc:title></cp:coreProperties>";
    let parts: Vec<(&str, &[u8])> = vec![
        ("word/document.xml", doc.as_bytes()),
        ("word/styles.xml", styles.as_bytes()),
        ("word/numbering.xml", numbering.as_bytes()),
        ("docProps/core.xml", core.as_bytes()),
    ];
    let laughs = format!("<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;&a;\">]><w:document {w}><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>");
    let deep = format!(
        "<w:document {w}><w:body>{}{}</w:body></w:document>",
        "<w:tbl><w:tr><w:tc>".repeat(40),
        "</w:tc></w:tr></w:tbl>".repeat(40)
    );
    let bomb = vec![b' '; 3 << 20];
    let seeds: Vec<(&str, Vec<u8>)> = vec![
        ("01-document-stored.docx", package(&parts, true)),
        ("02-document-deflated.docx", package(&parts, false)),
        (
            "03-entities-stored.docx",
            package(&[("word/document.xml", laughs.as_bytes())], true),
        ),
        (
            "04-deep-stored.docx",
            package(&[("word/document.xml", deep.as_bytes())], true),
        ),
        (
            "05-bomb-deflated.docx",
            package(&[("word/document.xml", &bomb)], false),
        ),
        ("06-no-document.docx", package(&[("a.txt", b"x")], true)),
        (
            "07-not-a-zip.docx",
            b"PK\x03\x04 this is not really a zip".to_vec(),
        ),
    ];
    let dir = corpus_dir();
    std::fs::create_dir_all(&dir).unwrap();
    for (name, bytes) in seeds {
        std::fs::write(dir.join(name), bytes).unwrap();
    }
}
