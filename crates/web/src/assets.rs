//! Static files, embedded in the binary and served under content-hashed names
//! (`/static/style.3f2a9c1e.css`) with a year-long cache: a new release changes the name, so
//! browsers never keep an old stylesheet and never ask twice for the current one. The plain
//! names still answer, with a short cache, for bookmarks and old pages.

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use std::sync::OnceLock;

pub struct Asset {
    /// The plain name, e.g. "style.css".
    pub name: &'static str,
    pub content_type: &'static str,
    pub body: &'static str,
}

const ASSETS: [Asset; 3] = [
    Asset {
        name: "style.css",
        content_type: "text/css; charset=utf-8",
        body: include_str!("../static/style.css"),
    },
    Asset {
        name: "app.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_str!("../static/app.js"),
    },
    Asset {
        name: "icon.svg",
        content_type: "image/svg+xml",
        body: include_str!("../static/icon.svg"),
    },
];

/// FNV-1a over the bytes: stable across builds and platforms (std's hasher is not promised
/// to be), and plenty to tell two versions of a file apart.
fn fnv(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5u32, |h, b| {
        (h ^ u32::from(*b)).wrapping_mul(0x0100_0193)
    })
}

/// "style.css" → "style.1a2b3c4d.css".
fn hashed(a: &Asset) -> String {
    let (stem, ext) = a.name.rsplit_once('.').unwrap_or((a.name, ""));
    format!("{stem}.{:08x}.{ext}", fnv(a.body.as_bytes()))
}

fn hrefs() -> &'static [String; 3] {
    static HREFS: OnceLock<[String; 3]> = OnceLock::new();
    HREFS.get_or_init(|| ASSETS.each_ref().map(|a| format!("/static/{}", hashed(a))))
}

/// The URL pages link to for the asset named `name`.
pub fn href(name: &str) -> &'static str {
    ASSETS
        .iter()
        .position(|a| a.name == name)
        .map_or("/static/missing", |i| hrefs()[i].as_str())
}

/// `GET /static/{file}`: a hashed name is immutable for a year, a plain one for an hour.
pub async fn serve(Path(file): Path<String>) -> Response {
    for (a, href) in ASSETS.iter().zip(hrefs()) {
        let cache = if href.strip_prefix("/static/") == Some(file.as_str()) {
            "public, max-age=31536000, immutable"
        } else if a.name == file {
            "public, max-age=3600"
        } else {
            continue;
        };
        return (
            [
                (header::CONTENT_TYPE, a.content_type),
                (header::CACHE_CONTROL, cache),
            ],
            a.body,
        )
            .into_response();
    }
    StatusCode::NOT_FOUND.into_response()
}

/// `GET /favicon.ico`: browsers ask for it whatever the page links; the product's icon.
pub async fn favicon() -> Response {
    serve(Path("icon.svg".to_string())).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names_follow_the_content() {
        let a = &ASSETS[0];
        let h = hashed(a);
        assert!(
            h.starts_with("style.") && h.ends_with(".css") && h.len() == "style.".len() + 8 + 4
        );
        let changed = Asset {
            body: "body{}",
            ..ASSETS[0]
        };
        assert_ne!(hashed(&changed), h);
        assert_eq!(href("style.css"), format!("/static/{h}"));
    }
}
