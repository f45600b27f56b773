//! Reading an uploaded Word document (.docx) into plain blocks: headings, paragraphs, list
//! items and tables, for a clean HTML preview and for search. The file is untrusted: the zip is
//! read with caps on entries and on decompressed size (declared sizes may lie, so reading stops
//! at the cap), XML with a document type is refused (no entities are ever expanded), nesting is
//! capped, and the whole read runs under a panic guard. Each refusal says in Chinese what is wrong.

mod html;
pub(crate) mod parse;
mod write;

pub use html::{pages, PAGE_CHARS};
pub use write::write;

use std::io::Read;

/// What a read may take.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// The uploaded file.
    pub file_bytes: usize,
    /// Entries in the zip.
    pub entries: usize,
    /// Decompressed bytes of the parts read (the document, styles, numbering, properties).
    pub part_bytes: usize,
    /// Element nesting in a part.
    pub depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            file_bytes: 20 << 20,
            entries: 2_000,
            part_bytes: 32 << 20,
            depth: 256,
        }
    }
}

/// Why a file was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocxError {
    #[error("文件超过 {0} MB，请压缩图片或拆分后再上传")]
    TooLarge(usize),
    #[error("这不是 Word 文档（.docx）：文件无法按 docx 格式打开。若是旧版 .doc 或 WPS 格式，请在 Word 或 WPS 中“另存为 .docx”后再上传")]
    NotDocx,
    #[error("文件已损坏，无法读取（{0}）；请在 Word 中打开并重新保存后再上传")]
    Corrupt(String),
    #[error("文件包含 {0} 个内部条目，超过上限 {1}，可能不是正常的 Word 文档，已拒绝")]
    TooManyEntries(usize, usize),
    #[error("文件解压后超过 {0} MB，可能是恶意构造的压缩包，已拒绝")]
    Bomb(usize),
    #[error("文件中的 XML 带有文档类型声明（DOCTYPE），Word 文档不会有这种内容，为安全起见已拒绝")]
    DocType,
    #[error("文件结构嵌套过深（超过 {0} 层），已拒绝")]
    TooDeep(usize),
    #[error("文件已加密或受密码保护，请去掉密码后再上传")]
    Encrypted,
    #[error("文档没有任何文字内容")]
    Empty,
}

/// One block of a document, in reading order.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A heading, level 1 (the document's title level) to 6.
    Heading {
        level: u8,
        text: String,
    },
    Paragraph(String),
    /// An item of a list, at its indentation level from 0, numbered or bulleted.
    ListItem {
        level: u8,
        ordered: bool,
        text: String,
    },
    /// Rows of cells, each cell's paragraphs joined by line breaks.
    Table(Vec<Vec<String>>),
}

impl Block {
    /// The block's text, cells separated by tabs and rows by line breaks.
    pub fn text(&self) -> String {
        match self {
            Block::Heading { text, .. } | Block::Paragraph(text) | Block::ListItem { text, .. } => {
                text.clone()
            }
            Block::Table(rows) => rows
                .iter()
                .map(|r| r.join("\t"))
                .collect::<Vec<_>>()
                .join("\n"),
        }
    }
}

/// A document as read.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Document {
    /// The title in the document's properties (文件 → 属性), when set.
    pub title: Option<String>,
    pub blocks: Vec<Block>,
}

impl Document {
    /// The title to offer for a case: the properties' title, else the first heading, else the
    /// first paragraph, cut to 80 characters.
    pub fn suggested_title(&self) -> Option<String> {
        let first = || {
            self.blocks
                .iter()
                .find(|b| matches!(b, Block::Heading { .. }))
                .or_else(|| self.blocks.first())
                .map(Block::text)
        };
        let t = self
            .title
            .clone()
            .filter(|t| !t.trim().is_empty())
            .or_else(first)?;
        let t = t.trim();
        Some(t.chars().take(80).collect())
    }

    /// All the text, a block a line: what search indexes.
    pub fn plain_text(&self) -> String {
        self.blocks
            .iter()
            .map(Block::text)
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Characters of text, not counting spaces.
    pub fn chars(&self) -> usize {
        self.blocks
            .iter()
            .map(|b| b.text().chars().filter(|c| !c.is_whitespace()).count())
            .sum()
    }
}

/// Reads `bytes` as a .docx within `limits`. Never panics: a panic inside the reader (a bug
/// that a hostile file found) comes back as [`DocxError::Corrupt`].
pub fn read(bytes: &[u8], limits: &Limits) -> Result<Document, DocxError> {
    match std::panic::catch_unwind(|| read_unguarded(bytes, limits)) {
        Ok(r) => r,
        Err(_) => Err(DocxError::Corrupt("读取时出错".into())),
    }
}

/// The zip package of an Office file, within the size and entry limits (an OLE file is an
/// encrypted package or an old binary format).
pub(crate) fn open<'a>(
    bytes: &'a [u8],
    limits: &Limits,
) -> Result<zip::ZipArchive<std::io::Cursor<&'a [u8]>>, DocxError> {
    if bytes.len() > limits.file_bytes {
        return Err(DocxError::TooLarge(limits.file_bytes >> 20));
    }
    // OLE compound files: an encrypted .docx, or an old .doc.
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(
            if contains(bytes, b"E\0n\0c\0r\0y\0p\0t\0e\0d\0P\0a\0c\0k\0a\0g\0e") {
                DocxError::Encrypted
            } else {
                DocxError::NotDocx
            },
        );
    }
    if !bytes.starts_with(b"PK") {
        return Err(DocxError::NotDocx);
    }
    let zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| match e {
        zip::result::ZipError::InvalidArchive(_) | zip::result::ZipError::UnsupportedArchive(_) => {
            DocxError::Corrupt("压缩包结构不完整".into())
        }
        _ => DocxError::NotDocx,
    })?;
    if zip.len() > limits.entries {
        return Err(DocxError::TooManyEntries(zip.len(), limits.entries));
    }
    Ok(zip)
}

fn read_unguarded(bytes: &[u8], limits: &Limits) -> Result<Document, DocxError> {
    let mut zip = open(bytes, limits)?;
    let mut budget = limits.part_bytes;
    let Some(document) = part(&mut zip, "word/document.xml", &mut budget, limits)? else {
        return Err(DocxError::NotDocx);
    };
    let styles = part(&mut zip, "word/styles.xml", &mut budget, limits)?;
    let numbering = part(&mut zip, "word/numbering.xml", &mut budget, limits)?;
    let core = part(&mut zip, "docProps/core.xml", &mut budget, limits)?;
    let styles = match &styles {
        Some(s) => parse::styles(s, limits.depth)?,
        None => Default::default(),
    };
    let numbering = match &numbering {
        Some(s) => parse::numbering(s, limits.depth)?,
        None => Default::default(),
    };
    let blocks = parse::body(&document, &styles, &numbering, limits.depth)?;
    let title = match &core {
        Some(s) => parse::title(s, limits.depth)?,
        None => None,
    };
    let doc = Document { title, blocks };
    if doc.chars() == 0 {
        return Err(DocxError::Empty);
    }
    Ok(doc)
}

/// One part of the package as text, counted against `budget` as it is decompressed.
pub(crate) fn part(
    zip: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>,
    name: &str,
    budget: &mut usize,
    limits: &Limits,
) -> Result<Option<String>, DocxError> {
    let file = match zip.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(zip::result::ZipError::UnsupportedArchive(m)) if m.contains("ncrypt") => {
            return Err(DocxError::Encrypted)
        }
        Err(e) => return Err(DocxError::Corrupt(format!("{name}：{e}"))),
    };
    let mut out = Vec::new();
    let read = file
        .take(*budget as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|e| DocxError::Corrupt(format!("{name}：{e}")))?;
    if read > *budget {
        return Err(DocxError::Bomb(limits.part_bytes >> 20));
    }
    *budget -= read;
    String::from_utf8(out)
        .map(Some)
        .map_err(|_| DocxError::Corrupt(format!("{name} 不是 UTF-8 文本")))
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}
