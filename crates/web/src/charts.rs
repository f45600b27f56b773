//! Charts drawn on the server as SVG: no script, readable on a phone (they scale to the
//! width), and every figure also written out as text beside them. Labels are escaped.

use std::fmt::Write;

pub struct Bar {
    pub label: String,
    pub value: f64,
    /// The figure written on the bar ("12 个", "0.42").
    pub text: String,
    /// Where the bar leads (its organization, its explanation).
    pub href: Option<String>,
}

pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Vertical columns, one per bar, scaled to the largest value.
pub fn columns(bars: &[Bar], title: &str) -> String {
    // At least six slots wide, so a chart of two years is not a tower.
    let (w, h, top, bottom) = (40.0 * bars.len().max(6) as f64, 160.0, 18.0, 30.0);
    let max = bars.iter().map(|b| b.value).fold(0.0, f64::max).max(1.0);
    let mut s = format!(
        "<svg class=\"chart\" viewBox=\"0 0 {w} {h}\" width=\"{}\" role=\"img\" aria-label=\"{}\" preserveAspectRatio=\"xMidYMid meet\"><title>{}</title>",
        (w * 1.5).max(180.0),
        escape(title),
        escape(title)
    );
    for (i, b) in bars.iter().enumerate() {
        let x = 40.0 * i as f64 + 6.0;
        let bh = (h - top - bottom) * (b.value / max);
        let y = h - bottom - bh;
        let _ = write!(
            s,
            "<g><title>{}：{}</title><rect x=\"{x}\" y=\"{y:.1}\" width=\"28\" height=\"{bh:.1}\" class=\"col\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" class=\"value\" text-anchor=\"middle\">{}</text>\
             <text x=\"{:.1}\" y=\"{:.1}\" class=\"axis\" text-anchor=\"middle\">{}</text></g>",
            escape(&b.label),
            escape(&b.text),
            x + 14.0,
            y - 4.0,
            if b.value > 0.0 { escape(&b.text) } else { String::new() },
            x + 14.0,
            h - bottom + 14.0,
            escape(&b.label)
        );
    }
    s.push_str("</svg>");
    s
}

/// Horizontal bars on a fixed scale (`max`), one row per bar with its label and figure; a
/// bar below `warn` is marked.
pub fn rows(bars: &[Bar], title: &str, max: f64, warn: Option<f64>) -> String {
    let (w, row) = (320.0, 22.0);
    let h = row * bars.len().max(1) as f64 + 4.0;
    let mut s = format!(
        "<svg class=\"chart rows\" viewBox=\"0 0 {w} {h}\" width=\"480\" role=\"img\" aria-label=\"{}\"><title>{}</title>",
        escape(title),
        escape(title)
    );
    for (i, b) in bars.iter().enumerate() {
        let y = row * i as f64 + 2.0;
        let bw = 150.0 * (b.value / max).clamp(0.0, 1.0);
        let class = if warn.is_some_and(|x| b.value < x) {
            "col warn"
        } else {
            "col"
        };
        let label: String = b.label.chars().take(12).collect();
        let inner = format!(
            "<title>{}：{}</title><text x=\"0\" y=\"{:.1}\" class=\"axis\">{}</text>\
             <rect x=\"130\" y=\"{:.1}\" width=\"{bw:.1}\" height=\"14\" class=\"{class}\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" class=\"value\">{}</text>",
            escape(&b.label),
            escape(&b.text),
            y + 12.0,
            escape(&label),
            y + 1.0,
            130.0 + bw + 4.0,
            y + 12.0,
            escape(&b.text)
        );
        match &b.href {
            Some(href) => {
                let _ = write!(s, "<a href=\"{}\">{inner}</a>", escape(href));
            }
            None => {
                let _ = write!(s, "<g>{inner}</g>");
            }
        }
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_escaped() {
        let bars = [Bar {
            label: "<script>alert(1)</script>".into(),
            value: 1.0,
            text: "1 个".into(),
            href: Some("/orgs/1?a=1&b=\"x\"".into()),
        }];
        for svg in [columns(&bars, "t"), rows(&bars, "t", 1.0, None)] {
            assert!(!svg.contains("<script>"), "{svg}");
            assert!(!svg.contains("\"x\""), "{svg}");
        }
    }
}
