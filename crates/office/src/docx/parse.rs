//! The XML of a .docx package: WordprocessingML's paragraphs (`w:p`) with their text runs
//! (`w:t`, tabs, breaks), styles (which paragraph styles are headings), numbering (which lists
//! are numbered) and tables (`w:tbl` → `w:tr` → `w:tc`); the core properties' title.

use super::{Block, DocxError};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::collections::HashMap;

/// Heading level by paragraph style id.
pub type Styles = HashMap<String, u8>;
/// Whether a list is numbered, by numbering id and level.
pub type Numbering = HashMap<(String, u8), bool>;

fn corrupt(e: impl std::fmt::Display) -> DocxError {
    DocxError::Corrupt(format!("XML：{e}"))
}

/// The `w:val` (or any `val`) attribute of an element.
fn val(e: &BytesStart) -> Option<String> {
    attr(e, "val")
}

fn attr(e: &BytesStart, local: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

/// Walks every event of `xml`, refusing document types and deep nesting, calling `f` with each
/// event and the element depth.
fn walk(
    xml: &str,
    max_depth: usize,
    mut f: impl FnMut(&Event, usize) -> Result<(), DocxError>,
) -> Result<(), DocxError> {
    let mut r = Reader::from_str(xml);
    let mut depth = 0usize;
    loop {
        let ev = r.read_event().map_err(corrupt)?;
        match &ev {
            Event::Eof => return Ok(()),
            Event::DocType(_) => return Err(DocxError::DocType),
            Event::Start(_) => {
                depth += 1;
                if depth > max_depth {
                    return Err(DocxError::TooDeep(max_depth));
                }
            }
            _ => {}
        }
        f(&ev, depth)?;
        if let Event::End(_) = ev {
            depth = depth.saturating_sub(1);
        }
    }
}

/// Text of a reference inside text: a character reference or one of XML's five entities.
fn reference(name: &quick_xml::events::BytesRef) -> Result<char, DocxError> {
    if let Some(c) = name.resolve_char_ref().map_err(corrupt)? {
        return Ok(c);
    }
    match &**name {
        "amp" => Ok('&'),
        "lt" => Ok('<'),
        "gt" => Ok('>'),
        "quot" => Ok('"'),
        "apos" => Ok('\''),
        other => Err(DocxError::Corrupt(format!("未知的实体引用 &{other};"))),
    }
}

/// Paragraph styles that are headings: by name ("heading 1" … "heading 6", "Title") or by an
/// outline level in the style.
pub fn styles(xml: &str, max_depth: usize) -> Result<Styles, DocxError> {
    let mut out = Styles::new();
    let mut current: Option<String> = None;
    walk(xml, max_depth, |ev, _| {
        match ev {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                "style" => current = attr(e, "styleId"),
                "name" => {
                    if let (Some(id), Some(name)) = (&current, val(e)) {
                        let name = name.to_ascii_lowercase();
                        let level = if name == "title" {
                            Some(1)
                        } else {
                            name.strip_prefix("heading ")
                                .and_then(|n| n.trim().parse::<u8>().ok())
                        };
                        if let Some(l) = level.filter(|l| (1..=9).contains(l)) {
                            out.insert(id.clone(), l.min(6));
                        }
                    }
                }
                "outlineLvl" => {
                    if let (Some(id), Some(l)) =
                        (&current, val(e).and_then(|v| v.parse::<u8>().ok()))
                    {
                        out.entry(id.clone()).or_insert((l + 1).min(6));
                    }
                }
                _ => {}
            },
            Event::End(e) if e.local_name().as_ref() == "style" => current = None,
            _ => {}
        }
        Ok(())
    })?;
    Ok(out)
}

/// Which lists are numbered (any format but bullets or none), by numbering id and level.
pub fn numbering(xml: &str, max_depth: usize) -> Result<Numbering, DocxError> {
    let mut abstract_fmt: HashMap<(String, u8), bool> = HashMap::new();
    let mut num_to_abstract: Vec<(String, String)> = Vec::new();
    let (mut abs, mut lvl, mut num): (Option<String>, Option<u8>, Option<String>) =
        (None, None, None);
    walk(xml, max_depth, |ev, _| {
        match ev {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                "abstractNum" => abs = attr(e, "abstractNumId"),
                "lvl" => lvl = attr(e, "ilvl").and_then(|v| v.parse().ok()),
                "numFmt" => {
                    if let (Some(a), Some(l), Some(f)) = (&abs, lvl, val(e)) {
                        abstract_fmt.insert((a.clone(), l), f != "bullet" && f != "none");
                    }
                }
                "num" => num = attr(e, "numId"),
                "abstractNumId" => {
                    if let (Some(n), Some(a)) = (&num, val(e)) {
                        num_to_abstract.push((n.clone(), a));
                    }
                }
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                "abstractNum" => abs = None,
                "lvl" => lvl = None,
                "num" => num = None,
                _ => {}
            },
            _ => {}
        }
        Ok(())
    })?;
    let mut out = Numbering::new();
    for (n, a) in num_to_abstract {
        for ((aa, l), ordered) in &abstract_fmt {
            if *aa == a {
                out.insert((n.clone(), *l), *ordered);
            }
        }
    }
    Ok(out)
}

/// The text of every element named `local` (any namespace), in order.
pub(crate) fn texts_of(xml: &str, max_depth: usize, local: &str) -> Result<Vec<String>, DocxError> {
    let (mut inside, mut out) = (false, Vec::new());
    walk(xml, max_depth, |ev, _| {
        match ev {
            Event::Start(e) if e.local_name().as_ref() == local => {
                inside = true;
                out.push(String::new());
            }
            Event::End(e) if e.local_name().as_ref() == local => inside = false,
            Event::Text(t) if inside => {
                if let Some(last) = out.last_mut() {
                    last.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) if inside => {
                let c = reference(r)?;
                if let Some(last) = out.last_mut() {
                    last.push(c);
                }
            }
            _ => {}
        }
        Ok(())
    })?;
    Ok(out)
}

/// The title in `docProps/core.xml` (`dc:title`).
pub fn title(xml: &str, max_depth: usize) -> Result<Option<String>, DocxError> {
    let text = texts_of(xml, max_depth, "title")?.join("");
    let text = text.trim().to_string();
    Ok((!text.is_empty()).then_some(text))
}

/// A paragraph being read.
#[derive(Default)]
struct Para {
    text: String,
    style: Option<String>,
    num_id: Option<String>,
    ilvl: u8,
    outline: Option<u8>,
}

/// The body of `word/document.xml` as blocks.
pub fn body(
    xml: &str,
    styles: &Styles,
    numbering: &Numbering,
    max_depth: usize,
) -> Result<Vec<Block>, DocxError> {
    let mut blocks = Vec::new();
    // Tables being read, innermost last: rows of cells.
    let mut tables: Vec<Vec<Vec<String>>> = Vec::new();
    let mut para: Option<Para> = None;
    let mut in_text = false;
    walk(xml, max_depth, |ev, _| {
        match ev {
            Event::Start(e) | Event::Empty(e) => {
                let empty = matches!(ev, Event::Empty(_));
                match e.local_name().as_ref() {
                    "p" if !empty => para = Some(Para::default()),
                    "t" if !empty => in_text = true,
                    "tab" => {
                        if let Some(p) = para.as_mut() {
                            p.text.push('\t');
                        }
                    }
                    "br" | "cr" => {
                        if let Some(p) = para.as_mut() {
                            p.text.push('\n');
                        }
                    }
                    "pStyle" => {
                        if let Some(p) = para.as_mut() {
                            p.style = val(e);
                        }
                    }
                    "numId" => {
                        if let Some(p) = para.as_mut() {
                            p.num_id = val(e).filter(|v| v != "0");
                        }
                    }
                    "ilvl" => {
                        if let Some(p) = para.as_mut() {
                            p.ilvl = val(e).and_then(|v| v.parse().ok()).unwrap_or(0).min(8);
                        }
                    }
                    "outlineLvl" => {
                        if let Some(p) = para.as_mut() {
                            p.outline = val(e).and_then(|v| v.parse::<u8>().ok());
                        }
                    }
                    "tbl" if !empty => tables.push(Vec::new()),
                    "tr" if !empty => {
                        if let Some(t) = tables.last_mut() {
                            t.push(Vec::new());
                        }
                    }
                    "tc" if !empty => {
                        if let Some(row) = tables.last_mut().and_then(|t| t.last_mut()) {
                            row.push(String::new());
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(t) if in_text => {
                if let Some(p) = para.as_mut() {
                    p.text.push_str(&t.xml10_content());
                }
            }
            Event::CData(t) if in_text => {
                if let Some(p) = para.as_mut() {
                    p.text.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) if in_text => {
                let c = reference(r)?;
                if let Some(p) = para.as_mut() {
                    p.text.push(c);
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                "t" => in_text = false,
                "p" => {
                    if let Some(p) = para.take() {
                        finish(p, styles, numbering, &mut tables, &mut blocks);
                    }
                }
                "tbl" => {
                    if let Some(t) = tables.pop() {
                        let rows: Vec<Vec<String>> = t
                            .into_iter()
                            .filter(|r| r.iter().any(|c| !c.trim().is_empty()))
                            .collect();
                        match tables
                            .last_mut()
                            .and_then(|o| o.last_mut())
                            .and_then(|r| r.last_mut())
                        {
                            // A table inside a cell: its text joins the cell.
                            Some(cell) => {
                                let inner = Block::Table(rows).text();
                                if !cell.is_empty() {
                                    cell.push('\n');
                                }
                                cell.push_str(&inner);
                            }
                            None if !rows.is_empty() => blocks.push(Block::Table(rows)),
                            None => {}
                        }
                    }
                }
                _ => {}
            },
            _ => {}
        }
        Ok(())
    })?;
    Ok(blocks)
}

/// A finished paragraph: into the cell being read, or a block of its kind.
fn finish(
    p: Para,
    styles: &Styles,
    numbering: &Numbering,
    tables: &mut [Vec<Vec<String>>],
    blocks: &mut Vec<Block>,
) {
    let text = p.text.trim().to_string();
    if let Some(cell) = tables
        .last_mut()
        .and_then(|t| t.last_mut())
        .and_then(|r| r.last_mut())
    {
        if !text.is_empty() {
            if !cell.is_empty() {
                cell.push('\n');
            }
            cell.push_str(&text);
        }
        return;
    }
    if text.is_empty() {
        return;
    }
    let heading = p
        .style
        .as_ref()
        .and_then(|s| styles.get(s).copied())
        .or(p.outline.filter(|l| *l < 9).map(|l| (l + 1).min(6)));
    if let Some(level) = heading {
        blocks.push(Block::Heading { level, text });
    } else if let Some(n) = p.num_id {
        let ordered = numbering.get(&(n, p.ilvl)).copied().unwrap_or(true);
        blocks.push(Block::ListItem {
            level: p.ilvl,
            ordered,
            text,
        });
    } else {
        blocks.push(Block::Paragraph(text));
    }
}
