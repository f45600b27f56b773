//! A search query as typed, checked before any engine sees it.

/// Characters of a query: a long question still fits; a pasted page does not.
pub const QUERY_MAX: usize = 100;

/// The query trimmed, with runs of spaces made one, or the Chinese reason it is not one: empty,
/// only punctuation and symbols, or longer than [`QUERY_MAX`].
pub fn clean_query(q: &str) -> Result<String, String> {
    let q: String = q
        .split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    if q.is_empty() {
        return Err("请输入要查找的文字".into());
    }
    let n = q.chars().count();
    if n > QUERY_MAX {
        return Err(format!(
            "查询过长（{n} 个字），请精简到 {QUERY_MAX} 个字以内，用几个关键词查找效果更好"
        ));
    }
    if !q.chars().any(char::is_alphanumeric) {
        return Err("查询只有标点或符号，请输入要查找的词语".into());
    }
    Ok(q)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_trimmed_and_checked() {
        assert_eq!(clean_query("  计量   先锋\t").unwrap(), "计量 先锋");
        assert_eq!(clean_query("").unwrap_err(), "请输入要查找的文字");
        assert_eq!(
            clean_query("，。！？…… ——").unwrap_err(),
            "查询只有标点或符号，请输入要查找的词语"
        );
        let long = "融".repeat(2000);
        assert!(clean_query(&long)
            .unwrap_err()
            .starts_with("查询过长（2000 个字）"));
        assert!(clean_query(&"融".repeat(100)).is_ok());
        assert!(clean_query("5G").is_ok());
    }
}
