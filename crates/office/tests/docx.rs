//! The Word reader on real-shaped documents and on hostile files: each refusal with its
//! Chinese message, nothing panicking.

use ronghe_office::docx::{self, Block, DocxError, Limits};
use std::io::Write;

const W: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"";

/// A .docx package of `parts` (name, content).
fn package(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut z = zip::ZipWriter::new(&mut out);
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in parts {
        z.start_file(*name, opts).unwrap();
        z.write_all(bytes).unwrap();
    }
    z.finish().unwrap();
    out.into_inner()
}

fn body(inner: &str) -> String {
    format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document {W}><w:body>{inner}</w:body></w:document>")
}

fn p(style: Option<&str>, text: &str) -> String {
    let ppr = style
        .map(|s| format!("<w:pPr><w:pStyle w:val=\"{s}\"/></w:pPr>"))
        .unwrap_or_default();
    format!("<w:p>{ppr}<w:r><w:t>{text}</w:t></w:r></w:p>")
}

fn list(num: &str, level: u8, text: &str) -> String {
    format!("<w:p><w:pPr><w:numPr><w:ilvl w:val=\"{level}\"/><w:numId w:val=\"{num}\"/></w:numPr></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>")
}

const STYLES: &str =
    "<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
  <w:style w:type=\"paragraph\" w:styleId=\"1\"><w:name w:val=\"heading 1\"/></w:style>\
  <w:style w:type=\"paragraph\" w:styleId=\"2\"><w:name w:val=\"heading 2\"/></w:style>\
  <w:style w:type=\"paragraph\" w:styleId=\"a3\"><w:name w:val=\"Normal\"/></w:style></w:styles>";

const NUMBERING: &str = "<w:numbering xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
  <w:abstractNum w:abstractNumId=\"0\"><w:lvl w:ilvl=\"0\"><w:numFmt w:val=\"chineseCounting\"/></w:lvl></w:abstractNum>\
  <w:abstractNum w:abstractNumId=\"1\"><w:lvl w:ilvl=\"0\"><w:numFmt w:val=\"bullet\"/></w:lvl></w:abstractNum>\
  <w:num w:numId=\"5\"><w:abstractNumId w:val=\"0\"/></w:num><w:num w:numId=\"6\"><w:abstractNumId w:val=\"1\"/></w:num></w:numbering>";

const CORE: &str = "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
  xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>“党建+计量”融合实践</dc:title></cp:coreProperties>";

fn sample() -> Vec<u8> {
    let doc = body(&[
        p(Some("1"), "以检定能力提升带动支部建设"),
        p(None, "一、背景&amp;做法&#x3001;支部"),
        "<w:p><w:r><w:t>设立党员先锋岗</w:t><w:tab/><w:t>共 6 个</w:t><w:br/><w:t>覆盖全部检定室</w:t></w:r></w:p>".into(),
        list("5", 0, "明确结合点"),
        list("6", 1, "每月例会"),
        p(Some("2"), "成效"),
        "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>指标</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>2026 年</w:t></w:r></w:p></w:tc></w:tr>\
         <w:tr><w:tc><w:p><w:r><w:t>检定及时率</w:t></w:r></w:p></w:tc><w:tc><w:tbl><w:tr><w:tc><w:p><w:r><w:t>98%</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:tc></w:tr></w:tbl>".into(),
        "<w:p><w:r><w:t>   </w:t></w:r></w:p>".into(),
    ]
    .concat());
    package(&[
        ("[Content_Types].xml", b"<Types/>"),
        ("word/document.xml", doc.as_bytes()),
        ("word/styles.xml", STYLES.as_bytes()),
        ("word/numbering.xml", NUMBERING.as_bytes()),
        ("docProps/core.xml", CORE.as_bytes()),
    ])
}

#[test]
fn a_document_reads_as_headings_paragraphs_lists_and_tables() {
    let d = docx::read(&sample(), &Limits::default()).unwrap();
    assert_eq!(d.title.as_deref(), Some("“党建+计量”融合实践"));
    assert_eq!(d.suggested_title().as_deref(), Some("“党建+计量”融合实践"));
    assert_eq!(
        d.blocks,
        vec![
            Block::Heading {
                level: 1,
                text: "以检定能力提升带动支部建设".into()
            },
            Block::Paragraph("一、背景&做法、支部".into()),
            Block::Paragraph("设立党员先锋岗\t共 6 个\n覆盖全部检定室".into()),
            Block::ListItem {
                level: 0,
                ordered: true,
                text: "明确结合点".into()
            },
            Block::ListItem {
                level: 1,
                ordered: true,
                text: "每月例会".into()
            }, // no level 1 in its list: numbered
            Block::Heading {
                level: 2,
                text: "成效".into()
            },
            Block::Table(vec![
                vec!["指标".into(), "2026 年".into()],
                vec!["检定及时率".into(), "98%".into()],
            ]),
        ]
    );
    assert!(d.plain_text().contains("检定及时率\t98%"));
    let pages = docx::pages(&d, docx::PAGE_CHARS);
    assert_eq!(pages.len(), 1);
    assert!(pages[0].starts_with("<h2>以检定能力提升带动支部建设</h2>"));
    assert!(pages[0].contains("<p>一、背景&amp;做法、支部</p>"));
    assert!(pages[0].contains("<td>98%</td>"));
}

#[test]
fn long_documents_come_in_pages_and_markup_is_escaped() {
    let paras: String = (0..40)
        .map(|i| p(None, &format!("第{i}段&lt;script&gt;{}", "融合".repeat(50))))
        .collect();
    let bytes = package(&[("word/document.xml", body(&paras).as_bytes())]);
    let d = docx::read(&bytes, &Limits::default()).unwrap();
    let pages = docx::pages(&d, docx::PAGE_CHARS);
    assert!(pages.len() >= 3, "{} pages", pages.len());
    assert!(pages.iter().all(|p| !p.contains("<script>")));
    assert!(pages[0].contains("&lt;script&gt;"));
    // No properties: the first paragraph titles it, cut to 80 characters.
    assert_eq!(d.suggested_title().unwrap().chars().count(), 80);
}

fn refused(bytes: &[u8]) -> DocxError {
    refused_with(bytes, &Limits::default())
}

fn refused_with(bytes: &[u8], limits: &Limits) -> DocxError {
    let e = docx::read(bytes, limits).unwrap_err();
    // Every refusal speaks Chinese to the person who uploaded.
    let msg = e.to_string();
    assert!(
        msg.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "{msg}"
    );
    e
}

#[test]
fn a_file_named_docx_that_is_not_one_is_refused() {
    assert_eq!(refused(b"just some text pretending"), DocxError::NotDocx);
    assert_eq!(
        refused(&[0xD0, 0xCF, 0x11, 0xE0, 0, 0, 0, 0]),
        DocxError::NotDocx
    );
    // A zip without a Word document in it.
    assert_eq!(
        refused(&package(&[("a.txt", b"hello")])),
        DocxError::NotDocx
    );
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0];
    ole.extend(
        "EncryptedPackage"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes()),
    );
    assert_eq!(refused(&ole), DocxError::Encrypted);
}

#[test]
fn a_corrupted_zip_is_refused() {
    let mut bytes = sample();
    bytes.truncate(bytes.len() / 2);
    assert!(matches!(
        refused(&bytes),
        DocxError::Corrupt(_) | DocxError::NotDocx
    ));
    let mut bytes = sample();
    let n = bytes.len();
    for b in &mut bytes[40..n / 2] {
        *b ^= 0x5A;
    }
    assert!(matches!(
        refused(&bytes),
        DocxError::Corrupt(_) | DocxError::NotDocx
    ));
}

#[test]
fn a_zip_bomb_stops_at_the_cap() {
    // 64 MB of one character compresses to about 64 KB.
    let huge = vec![b'a'; 64 << 20];
    let bytes = package(&[("word/document.xml", &huge)]);
    assert!(bytes.len() < 1 << 20);
    assert_eq!(refused(&bytes), DocxError::Bomb(32));
}

#[test]
fn a_docx_of_a_hundred_thousand_tiny_entries_is_refused() {
    let names: Vec<String> = (0..100_000).map(|i| format!("x/{i}")).collect();
    let mut parts: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b""[..])).collect();
    let doc = body(&p(None, "正文"));
    parts.push(("word/document.xml", doc.as_bytes()));
    let limits = Limits {
        file_bytes: 64 << 20,
        ..Limits::default()
    };
    assert_eq!(
        refused_with(&package(&parts), &limits),
        DocxError::TooManyEntries(100_001, 2_000)
    );
}

#[test]
fn an_xml_entity_attack_is_refused_without_expanding_anything() {
    let laughs = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">\
        <!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\
        <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">]>";
    let doc = format!("{laughs}<w:document {W}><w:body><w:p><w:r><w:t>&lol3;</w:t></w:r></w:p></w:body></w:document>");
    assert_eq!(
        refused(&package(&[("word/document.xml", doc.as_bytes())])),
        DocxError::DocType
    );
    // An external entity without a DOCTYPE is just an unknown reference.
    let doc = body("<w:p><w:r><w:t>&xxe;</w:t></w:r></w:p>");
    assert!(matches!(
        refused(&package(&[("word/document.xml", doc.as_bytes())])),
        DocxError::Corrupt(_)
    ));
}

#[test]
fn deep_nesting_an_empty_document_and_an_oversized_upload_are_refused() {
    let deep = format!(
        "{}{}",
        "<w:tbl><w:tr><w:tc>".repeat(5_000),
        "</w:tc></w:tr></w:tbl>".repeat(5_000)
    );
    assert_eq!(
        refused(&package(&[("word/document.xml", body(&deep).as_bytes())])),
        DocxError::TooDeep(256)
    );
    let empty = body("<w:p/><w:p><w:r><w:t> </w:t></w:r></w:p>");
    assert_eq!(
        refused(&package(&[("word/document.xml", empty.as_bytes())])),
        DocxError::Empty
    );
    let limits = Limits {
        file_bytes: 1_000,
        ..Limits::default()
    };
    assert_eq!(refused_with(&sample(), &limits), DocxError::TooLarge(0));
}

#[test]
fn what_we_write_reads_back_the_same() {
    let blocks = vec![
        Block::Heading {
            level: 1,
            text: "“计量先锋”品牌建设经验".into(),
        },
        Block::Paragraph("支部把检定任务 & 党员责任区\n结合起来。".into()),
        Block::Heading {
            level: 2,
            text: "主要做法".into(),
        },
        Block::Table(vec![
            vec!["指标".into(), "结果".into()],
            vec!["及时率".into(), "98%".into()],
        ]),
    ];
    let bytes = docx::write("“计量先锋”品牌建设经验", &blocks);
    let d = docx::read(&bytes, &Limits::default()).unwrap();
    assert_eq!(d.title.as_deref(), Some("“计量先锋”品牌建设经验"));
    assert_eq!(d.blocks, blocks);
}
