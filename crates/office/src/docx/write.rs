//! A small, valid .docx from blocks: what the demo uploads as a secretary would, and what the
//! tests read back. Headings use Word's built-in heading styles, so Word, WPS and our reader
//! all see them as headings.

use super::Block;
use std::io::Write;

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>"#;

const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>"#;

const DOC_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn run(text: &str) -> String {
    text.split('\n')
        .map(|l| format!("<w:r><w:t xml:space=\"preserve\">{}</w:t></w:r>", esc(l)))
        .collect::<Vec<_>>()
        .join("<w:r><w:br/></w:r>")
}

fn styles() -> String {
    let mut s = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><w:styles xmlns:w=\"{W}\">\
         <w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=\"Times New Roman\" w:eastAsia=\"仿宋_GB2312\"/>\
         <w:sz w:val=\"32\"/></w:rPr></w:rPrDefault></w:docDefaults>\
         <w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/></w:style>"
    );
    for l in 1..=3 {
        s += &format!(
            "<w:style w:type=\"paragraph\" w:styleId=\"Heading{l}\"><w:name w:val=\"heading {l}\"/>\
             <w:basedOn w:val=\"Normal\"/><w:pPr><w:outlineLvl w:val=\"{}\"/></w:pPr>\
             <w:rPr><w:rFonts w:eastAsia=\"黑体\"/><w:b/></w:rPr></w:style>",
            l - 1
        );
    }
    s + "</w:styles>"
}

/// A .docx of `blocks`, with `title` in its properties.
pub fn write(title: &str, blocks: &[Block]) -> Vec<u8> {
    let mut body = String::new();
    for b in blocks {
        match b {
            Block::Heading { level, text } => {
                body += &format!(
                    "<w:p><w:pPr><w:pStyle w:val=\"Heading{}\"/></w:pPr>{}</w:p>",
                    (*level).clamp(1, 3),
                    run(text)
                )
            }
            Block::Paragraph(text) | Block::ListItem { text, .. } => {
                body += &format!("<w:p>{}</w:p>", run(text))
            }
            Block::Table(rows) => {
                body += "<w:tbl>";
                for r in rows {
                    body += "<w:tr>";
                    for c in r {
                        body += &format!("<w:tc><w:p>{}</w:p></w:tc>", run(c));
                    }
                    body += "</w:tr>";
                }
                body += "</w:tbl>";
            }
        }
    }
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><w:document xmlns:w=\"{W}\"><w:body>{body}\
         <w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"2098\" w:right=\"1474\" w:bottom=\"1984\" w:left=\"1588\"/></w:sectPr>\
         </w:body></w:document>"
    );
    let core = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><cp:coreProperties \
         xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>{}</dc:title></cp:coreProperties>",
        esc(title)
    );
    let mut out = std::io::Cursor::new(Vec::new());
    let mut z = zip::ZipWriter::new(&mut out);
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, content) in [
        ("[Content_Types].xml", CONTENT_TYPES.to_string()),
        ("_rels/.rels", RELS.to_string()),
        ("word/_rels/document.xml.rels", DOC_RELS.to_string()),
        ("word/document.xml", document),
        ("word/styles.xml", styles()),
        ("docProps/core.xml", core),
    ] {
        // Writing to memory cannot fail but for a bug: then the file is simply incomplete.
        if z.start_file(name, opts).is_err() || z.write_all(content.as_bytes()).is_err() {
            break;
        }
    }
    let _ = z.finish();
    out.into_inner()
}
