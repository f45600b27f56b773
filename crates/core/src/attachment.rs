//! Which files may be attached as evidence, judged by their content, not only their name.
//! Evidence is always optional (no forced photo uploads); when given, it must be a document
//! or a picture of a kind we can serve back safely.

/// The largest attachment accepted, in bytes.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;
const NAME_MAX: usize = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttachmentKind {
    Pdf,
    Png,
    Jpeg,
    Docx,
    Xlsx,
}

impl AttachmentKind {
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Pdf => "application/pdf",
            Self::Png => "image/png",
            Self::Jpeg => "image/jpeg",
            Self::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Self::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }

    fn extensions(self) -> &'static [&'static str] {
        match self {
            Self::Pdf => &["pdf"],
            Self::Png => &["png"],
            Self::Jpeg => &["jpg", "jpeg"],
            Self::Docx => &["docx"],
            Self::Xlsx => &["xlsx"],
        }
    }
}

/// The file name as it will be stored and offered for download: the last path component,
/// without control or quoting characters, at most 100 characters.
pub fn clean_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '<' | '>' | '|' | '*' | '?' | ':'))
        .take(NAME_MAX)
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').to_string();
    if cleaned.is_empty() {
        "附件".to_string()
    } else {
        cleaned
    }
}

/// Checks an upload: size, and that the content is one of the accepted kinds and agrees with
/// the extension. Returns the kind, or a Chinese reason.
pub fn check(name: &str, bytes: &[u8]) -> Result<AttachmentKind, String> {
    if bytes.is_empty() {
        return Err("附件是空文件".into());
    }
    if bytes.len() > MAX_BYTES {
        return Err(format!(
            "附件不能超过 {} MB（这个文件约 {:.1} MB）",
            MAX_BYTES / 1024 / 1024,
            bytes.len() as f64 / 1048576.0
        ));
    }
    let ext = clean_name(name)
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let kind = if bytes.starts_with(b"%PDF-") {
        AttachmentKind::Pdf
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        AttachmentKind::Png
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        AttachmentKind::Jpeg
    } else if bytes.starts_with(b"PK\x03\x04") && ext == "docx" {
        AttachmentKind::Docx
    } else if bytes.starts_with(b"PK\x03\x04") && ext == "xlsx" {
        AttachmentKind::Xlsx
    } else {
        return Err("只接受 PDF、Word（docx）、Excel（xlsx）文件和 PNG、JPEG 图片".into());
    };
    if !kind.extensions().contains(&ext.as_str()) {
        return Err(format!("文件内容与扩展名“.{ext}”不符，请检查后重新选择"));
    }
    Ok(kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_documents_and_pictures_by_content() {
        assert_eq!(
            check("总结.pdf", b"%PDF-1.7 ...").unwrap(),
            AttachmentKind::Pdf
        );
        assert_eq!(
            check("a.JPG", &[0xFF, 0xD8, 0xFF, 0xE0]).unwrap(),
            AttachmentKind::Jpeg
        );
        assert_eq!(
            check("表.xlsx", b"PK\x03\x04rest").unwrap(),
            AttachmentKind::Xlsx
        );
    }

    #[test]
    fn refuses_mismatch_scripts_empty_and_oversize() {
        assert!(check("x.pdf", b"<html><script>").is_err());
        assert!(check("x.png", b"%PDF-1.4").unwrap_err().contains("不符"));
        assert!(check("x.exe", b"MZ\x90\x00").is_err());
        assert!(check("x.zip", b"PK\x03\x04").is_err());
        assert!(check("x.pdf", b"").is_err());
        let big = vec![b'%'; MAX_BYTES + 1];
        assert!(check("x.pdf", &big).unwrap_err().contains("MB"));
    }

    #[test]
    fn names_are_cleaned() {
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("C:\\x\\报告\".pdf"), "报告.pdf");
        assert_eq!(clean_name("\u{0}\n"), "附件");
        assert_eq!(clean_name(".hidden.pdf"), "hidden.pdf");
    }
}
