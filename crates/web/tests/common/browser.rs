//! Headless Chromium for the browser suites, through ChromeDriver (`RONGHE_WEBDRIVER`;
//! scripts/test.sh starts one).
//!
//! Every step that loads a page waits for the page it expects: [`Browser::click_to`] and
//! [`Browser::submit`] first wait until the old document is gone, then for an element only the
//! next page has, so nothing is read from a page that is still being replaced, however loaded
//! the machine is. [`with_browser`] closes the browser whether the test passes or panics.
//! The browser also counts the pages it loaded and the fields it typed into, so a test can print
//! what a task costs a person.

use fantoccini::error::CmdError;
use fantoccini::{elements::Element, Client, ClientBuilder, Locator};
use std::future::Future;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long a step may take before the test fails: generous, because CI shares two cores with
/// a build; a step that ends early costs nothing.
const PATIENCE: Duration = Duration::from_secs(60);
const POLL: Duration = Duration::from_millis(50);

#[derive(Clone)]
pub struct Browser {
    pub c: Client,
    pages: Arc<AtomicU32>,
    fields: Arc<AtomicU32>,
}

async fn connect(width: u32, height: u32) -> Option<Client> {
    let Ok(url) = std::env::var("RONGHE_WEBDRIVER") else {
        assert!(
            std::env::var("CI").is_err(),
            "CI must run the browser tests: set RONGHE_WEBDRIVER"
        );
        eprintln!("RONGHE_WEBDRIVER not set: browser tests skipped (scripts/test.sh sets it)");
        return None;
    };
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": "/usr/bin/chromium",
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     format!("--window-size={width},{height}"), "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run",
                     "--disable-quic", "--lang=zh-CN"]
        }),
    );
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    let c = ClientBuilder::new(connector)
        .capabilities(caps)
        .connect(&url)
        .await
        .expect("connect to chromedriver");
    // Headless Chromium may ignore --window-size for the viewport: set it explicitly.
    c.set_window_size(width, height).await.expect("window size");
    Some(c)
}

/// Runs `body` in a fresh headless Chromium of `width` × `height`, then closes the browser,
/// also when `body` panics (the panic is passed on). Without `RONGHE_WEBDRIVER` outside CI the
/// body is skipped.
pub async fn with_browser<F, Fut>(width: u32, height: u32, body: F)
where
    F: FnOnce(Browser) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let Some(c) = connect(width, height).await else {
        return;
    };
    let b = Browser {
        c: c.clone(),
        pages: Arc::default(),
        fields: Arc::default(),
    };
    let outcome = tokio::spawn(body(b)).await;
    let _ = c.close().await;
    if let Err(e) = outcome {
        if e.is_panic() {
            std::panic::resume_unwind(e.into_panic());
        }
        panic!("browser test cancelled: {e}");
    }
}

/// An element read while its page was replaced: read it again.
fn stale(e: &CmdError) -> bool {
    e.is_stale_element_reference()
        || e.is_no_such_element()
        || e.to_string().contains("does not belong to the document")
}

impl Browser {
    /// Pages loaded and fields typed into so far.
    pub fn cost(&self) -> (u32, u32) {
        (
            self.pages.load(Ordering::Relaxed),
            self.fields.load(Ordering::Relaxed),
        )
    }

    /// Waits for an element matching `css`, failing the test with `css` named after [`PATIENCE`].
    pub async fn wait_for(&self, css: &str) -> Element {
        self.c
            .wait()
            .at_most(PATIENCE)
            .every(POLL)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("waited {PATIENCE:?} for `{css}`: {e}"))
    }

    pub async fn path(&self) -> String {
        self.c.current_url().await.unwrap().path().to_string()
    }

    /// Opens `url` and waits for `expect`.
    pub async fn goto(&self, url: &str, expect: &str) {
        self.c.goto(url).await.unwrap();
        self.pages.fetch_add(1, Ordering::Relaxed);
        self.loaded().await;
        self.wait_for(expect).await;
    }

    /// Waits until the document has finished loading.
    async fn loaded(&self) {
        let start = Instant::now();
        loop {
            let state = self
                .c
                .execute("return document.readyState", vec![])
                .await
                .ok()
                .and_then(|v| v.as_str().map(str::to_string));
            if state.as_deref() == Some("complete") {
                return;
            }
            assert!(
                start.elapsed() < PATIENCE,
                "the page did not finish loading"
            );
            tokio::time::sleep(POLL).await;
        }
    }

    /// Clicks `e`, which loads another page (a link, a submit button), waits until the old
    /// document is gone, then for `expect` on the new one. The old document is told apart by
    /// a mark set on its window before the click: the next document's window has none. (An
    /// element of the old page is no help: reading it after the page changed answers "stale"
    /// or an inspector error, depending on timing.)
    pub async fn click_element_to(&self, e: Element, expect: &str) {
        self.c
            .execute("window.__rongheOld = true; return true", vec![])
            .await
            .unwrap();
        e.click().await.unwrap();
        self.pages.fetch_add(1, Ordering::Relaxed);
        let start = Instant::now();
        loop {
            // While the next page is loading the script may fail: ask again.
            let old = self
                .c
                .execute("return window.__rongheOld === true", vec![])
                .await
                .ok()
                .and_then(|v| v.as_bool());
            if old == Some(false) {
                break;
            }
            assert!(
                start.elapsed() < PATIENCE,
                "the click did not load a new page (waiting for `{expect}`)"
            );
            tokio::time::sleep(POLL).await;
        }
        self.loaded().await;
        self.wait_for(expect).await;
    }

    /// Clicks the element matching `css`, which loads another page; waits for `expect` there.
    pub async fn click_to(&self, css: &str, expect: &str) {
        let e = self.wait_for(css).await;
        self.click_element_to(e, expect).await;
    }

    /// Follows the link whose text is `text`; waits for `expect` on the page it opens.
    pub async fn follow(&self, text: &str, expect: &str) {
        let e = self
            .c
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::LinkText(text))
            .await
            .unwrap_or_else(|e| panic!("no link 「{text}」: {e}"));
        self.click_element_to(e, expect).await;
    }

    /// Submits the form matching `form` with its submit button; waits for `expect`.
    pub async fn submit(&self, form: &str, expect: &str) {
        self.click_to(&format!("{form} button[type=submit]"), expect)
            .await;
    }

    /// Clicks something that stays on the page (a checkbox, a `<summary>`).
    pub async fn click(&self, css: &str) {
        self.wait_for(css).await.click().await.unwrap();
    }

    /// Opens the `<details>` whose summary contains `summary`.
    pub async fn open(&self, summary: &str) {
        self.c
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::XPath(&format!(
                "//summary[contains(., '{summary}')]"
            )))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
    }

    /// Replaces the value of the field matching `css` with `value`.
    pub async fn fill(&self, css: &str, value: &str) {
        let e = self.wait_for(css).await;
        e.clear().await.unwrap();
        e.send_keys(value).await.unwrap();
        self.fields.fetch_add(1, Ordering::Relaxed);
    }

    /// Chooses the local file at `path` in the file input matching `css`.
    pub async fn choose_file(&self, css: &str, path: &str) {
        self.wait_for(css).await.send_keys(path).await.unwrap();
        self.fields.fetch_add(1, Ordering::Relaxed);
    }

    /// Fills the field named `name`.
    pub async fn fill_name(&self, name: &str, value: &str) {
        self.fill(&format!("[name='{name}']"), value).await;
    }

    /// Chooses `value` in the select matching `css`.
    pub async fn select(&self, css: &str, value: &str) {
        self.wait_for(css)
            .await
            .select_by_value(value)
            .await
            .unwrap();
        self.fields.fetch_add(1, Ordering::Relaxed);
    }

    /// A property (`value`, `checked`) of the element matching `css`.
    pub async fn prop(&self, css: &str, prop: &str) -> Option<String> {
        self.wait_for(css).await.prop(prop).await.unwrap()
    }

    /// Waits until exactly `n` elements match `css` (after a script changed the page).
    pub async fn wait_count(&self, css: &str, n: usize) {
        let start = Instant::now();
        loop {
            let now = self.count(css).await;
            if now == n {
                return;
            }
            assert!(
                start.elapsed() < PATIENCE,
                "waited {PATIENCE:?} for {n} of `{css}`, found {now}"
            );
            tokio::time::sleep(POLL).await;
        }
    }

    /// Chooses `value` in the select matching `css` as a person would, without counting it as
    /// a field typed (for checks beside a measured routine).
    pub async fn choose_quietly(&self, css: &str, value: &str) {
        self.wait_for(css)
            .await
            .select_by_value(value)
            .await
            .unwrap();
    }

    /// How many elements match `css` on the page as loaded.
    pub async fn count(&self, css: &str) -> usize {
        self.c.find_all(Locator::Css(css)).await.unwrap().len()
    }

    /// The visible text of the first element matching `css`, read again if the page replaced
    /// it while it was read.
    pub async fn text_of(&self, css: &str) -> String {
        let start = Instant::now();
        loop {
            match self.wait_for(css).await.text().await {
                Ok(t) => return t,
                Err(e) if stale(&e) && start.elapsed() < PATIENCE => tokio::time::sleep(POLL).await,
                Err(e) => panic!("reading `{css}`: {e}"),
            }
        }
    }

    /// The visible text of the page.
    pub async fn text(&self) -> String {
        self.text_of("body").await
    }

    /// Logs in as `username` with the demo password; waits for the home page's 待办.
    pub async fn login(&self, base: &str, username: &str) {
        self.goto(&format!("{base}/login"), "[name='username']")
            .await;
        self.fill_name("username", username).await;
        self.fill_name("password", super::DEMO_PASSWORD).await;
        self.submit("form", "#todo").await;
    }

    /// Saves a screenshot as `$RONGHE_SCREENSHOTS/name.png` when that is set.
    pub async fn shot(&self, name: &str) {
        if let Ok(dir) = std::env::var("RONGHE_SCREENSHOTS") {
            std::fs::create_dir_all(&dir).unwrap();
            let png = self.c.screenshot().await.unwrap();
            std::fs::write(format!("{dir}/{name}.png"), png).unwrap();
        }
    }
}
