//! A read document as clean HTML, in pages of about one printed page each: only our own
//! elements and escaped text (nothing of the file's markup reaches the page).

use super::{Block, Document};

/// Characters of text to a preview page: about one A4 page of Chinese body text.
pub const PAGE_CHARS: usize = 1_500;

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' => out.push_str("<br>"),
            c => out.push(c),
        }
    }
    out
}

fn render(b: &Block, out: &mut String) {
    match b {
        Block::Heading { level, text } => {
            // The page has its own h1: a document's levels start at h2.
            let h = (level + 1).min(6);
            out.push_str(&format!("<h{h}>{}</h{h}>", escape(text)));
        }
        Block::Paragraph(text) => out.push_str(&format!("<p>{}</p>", escape(text))),
        Block::ListItem {
            level,
            ordered,
            text,
        } => out.push_str(&format!(
            "<p class=\"docx-li docx-li-{} {}\">{}</p>",
            level.min(&4),
            if *ordered { "docx-ol" } else { "docx-ul" },
            escape(text)
        )),
        Block::Table(rows) => {
            out.push_str("<table class=\"docx-table\">");
            for r in rows {
                out.push_str("<tr>");
                for c in r {
                    out.push_str(&format!("<td>{}</td>", escape(c)));
                }
                out.push_str("</tr>");
            }
            out.push_str("</table>");
        }
    }
}

/// The document in pages of about `page_chars` characters; a block is never split, so a long
/// table makes a long page. At least one page.
pub fn pages(doc: &Document, page_chars: usize) -> Vec<String> {
    let mut pages = Vec::new();
    let (mut page, mut chars) = (String::new(), 0usize);
    for b in &doc.blocks {
        let n = b.text().chars().count();
        // A heading starts the next page rather than ending this one.
        let heading = matches!(b, Block::Heading { .. });
        if chars > 0 && (chars + n > page_chars || (heading && chars * 4 > page_chars * 3)) {
            pages.push(std::mem::take(&mut page));
            chars = 0;
        }
        render(b, &mut page);
        chars += n;
    }
    if !page.is_empty() || pages.is_empty() {
        pages.push(page);
    }
    pages
}
