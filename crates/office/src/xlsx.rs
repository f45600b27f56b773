//! The text of an Excel workbook (.xlsx) for search: its shared strings and the inline strings
//! of its sheets, read under the same limits as a Word document (file size, entries,
//! decompressed bytes, nesting, no document types, a panic guard). Numbers are left out: a
//! search finds words.

use crate::docx::{self, parse, DocxError, Limits};

/// Sheets read at most (a workbook of more is read in its first ones).
const SHEETS_MAX: usize = 50;

/// The workbook's words, one cell per line.
pub fn text(bytes: &[u8], limits: &Limits) -> Result<String, DocxError> {
    match std::panic::catch_unwind(|| text_unguarded(bytes, limits)) {
        Ok(r) => r,
        Err(_) => Err(DocxError::Corrupt("读取时出错".into())),
    }
}

fn text_unguarded(bytes: &[u8], limits: &Limits) -> Result<String, DocxError> {
    let mut zip = docx::open(bytes, limits)?;
    let mut sheets: Vec<String> = zip
        .file_names()
        .filter_map(Result::ok)
        .filter(|n| n.starts_with("xl/worksheets/") && n.ends_with(".xml"))
        .map(|n| n.into_owned())
        .collect();
    sheets.sort();
    sheets.truncate(SHEETS_MAX);
    let mut budget = limits.part_bytes;
    let Some(shared) = docx::part(&mut zip, "xl/sharedStrings.xml", &mut budget, limits)? else {
        if sheets.is_empty() {
            return Err(DocxError::NotDocx);
        }
        return sheet_texts(&mut zip, &sheets, &mut budget, limits, Vec::new());
    };
    let words = parse::texts_of(&shared, limits.depth, "t")?;
    sheet_texts(&mut zip, &sheets, &mut budget, limits, words)
}

fn sheet_texts(
    zip: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>,
    sheets: &[String],
    budget: &mut usize,
    limits: &Limits,
    mut words: Vec<String>,
) -> Result<String, DocxError> {
    for name in sheets {
        if let Some(xml) = docx::part(zip, name, budget, limits)? {
            // Inline strings (`<is><t>`); shared ones are read above.
            words.extend(parse::texts_of(&xml, limits.depth, "t")?);
        }
    }
    let text: Vec<String> = words
        .into_iter()
        .map(|w| w.trim().to_string())
        .filter(|w| !w.is_empty())
        .collect();
    if text.is_empty() {
        return Err(DocxError::Empty);
    }
    Ok(text.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_of(parts: &[(&str, &str)]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut z = zip::ZipWriter::new(std::io::Cursor::new(&mut out));
        for (name, body) in parts {
            z.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            z.write_all(body.as_bytes()).unwrap();
        }
        z.finish().unwrap();
        out
    }

    #[test]
    fn shared_and_inline_strings_are_read_numbers_left_out() {
        let book = zip_of(&[
            ("xl/sharedStrings.xml", "<sst><si><t>检定及时率</t></si><si><r><t>年</t></r><r><t>末</t></r></si></sst>"),
            ("xl/worksheets/sheet1.xml", "<worksheet><sheetData><row><c t=\"s\"><v>0</v></c><c t=\"inlineStr\"><is><t>党员责任区 &amp; 先锋岗</t></is></c><c><v>98</v></c></row></sheetData></worksheet>"),
        ]);
        let t = text(&book, &Limits::default()).unwrap();
        assert_eq!(t, "检定及时率\n年\n末\n党员责任区 & 先锋岗");
    }

    #[test]
    fn hostile_workbooks_are_refused() {
        let l = Limits::default();
        assert_eq!(text(b"not a zip", &l), Err(DocxError::NotDocx));
        let doctype = zip_of(&[(
            "xl/sharedStrings.xml",
            "<!DOCTYPE x [<!ENTITY a \"b\">]><sst><si><t>&a;</t></si></sst>",
        )]);
        assert_eq!(text(&doctype, &l), Err(DocxError::DocType));
        let empty = zip_of(&[("xl/worksheets/sheet1.xml", "<worksheet/>")]);
        assert_eq!(text(&empty, &l), Err(DocxError::Empty));
        let big = "<t>x</t>".repeat(1000);
        let small = Limits {
            part_bytes: 1000,
            ..Limits::default()
        };
        let bomb = zip_of(&[("xl/sharedStrings.xml", &format!("<sst>{big}</sst>"))]);
        assert!(matches!(text(&bomb, &small), Err(DocxError::Bomb(_))));
    }
}
