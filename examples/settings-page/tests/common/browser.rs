//! Driving the page in headless Chromium (fantoccini): finding, typing, clicking, waiting,
//! screenshots, for the browser tests.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use fantoccini::{Client, Locator};
use mailconf_tests::chromium::{Driver, browser, browser_in, find_program, start_driver};

use super::{WithSmtp, page_with_smtp};

pub const SKIPPED: &str = "SKIPPED: browser test did not run: chromium/chromedriver not installed (apt-get install chromium chromium-driver)";

pub fn screenshot_dir() -> PathBuf {
    let target = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("CARGO_TARGET_TMPDIR is inside the target directory");
    let dir = target.join("settings-page-screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub async fn screenshot(client: &Client, name: &str) {
    let png = client.screenshot().await.unwrap();
    let path = screenshot_dir().join(name);
    std::fs::write(&path, png).unwrap();
    // Printed outside the test harness's capture, so the path shows in every run.
    let _ = writeln!(std::io::stderr(), "screenshot: {}", path.display());
}

pub async fn value(client: &Client, id: &str) -> String {
    let element = client.find(Locator::Id(id)).await.unwrap();
    element.prop("value").await.unwrap().unwrap_or_default()
}

/// Asserts the value of each `(id, value)` input.
pub async fn assert_values(client: &Client, expected: &[(&str, &str)]) {
    for (id, want) in expected {
        assert_eq!(value(client, id).await, *want, "{id}");
    }
}

pub async fn set(client: &Client, id: &str, text: &str) {
    let element = client.find(Locator::Id(id)).await.unwrap();
    element.clear().await.unwrap();
    if !text.is_empty() {
        element.send_keys(text).await.unwrap();
    }
}

/// Types into each `(id, text)` input, in order.
pub async fn fill(client: &Client, fields: &[(&str, &str)]) {
    for (id, text) in fields {
        set(client, id, text).await;
    }
}

pub async fn click(client: &Client, locator: Locator<'_>) {
    client.find(locator).await.unwrap().click().await.unwrap();
}

pub async fn text_of(client: &Client, css: &str) -> String {
    text_at(client, Locator::Css(css)).await
}

pub async fn text(client: &Client, id: &str) -> String {
    text_at(client, Locator::Id(id)).await
}

async fn text_at(client: &Client, locator: Locator<'_>) -> String {
    client.find(locator).await.unwrap().text().await.unwrap()
}

/// Chooses the option `value` of the `<select>` `id`.
pub async fn select(client: &Client, id: &str, value: &str) {
    let element = client.find(Locator::Id(id)).await.unwrap();
    element.select_by_value(value).await.unwrap();
}

/// The page next to the dev SMTP server ([`page_with_smtp`], allowing 127.0.0.1), open at its
/// token form in a headless Chromium whose user speaks `languages` (`None`: the browser's
/// own). `None` when Chromium or chromedriver is missing: said SKIPPED, and failing under CI.
pub async fn open_page(languages: Option<&str>) -> Option<Opened> {
    let chromium = find_program(&["chromium", "chromium-browser"]);
    let chromedriver = find_program(&["chromedriver"]);
    let (Some(chromium), Some(chromedriver)) = (chromium, chromedriver) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "{SKIPPED} (under CI the browser test must run: .ci/run installs them)"
        );
        // Straight to stderr: the harness captures println! of passing tests.
        let _ = writeln!(std::io::stderr(), "{SKIPPED}");
        return None;
    };
    let setup = page_with_smtp(&["127.0.0.1"]).await;
    let driver = start_driver(&chromedriver);
    let profile = setup.dir.path().join("profile");
    let size = (1100, 2300);
    let client = match languages {
        Some(languages) => browser_in(&driver, &chromium, &profile, size, languages).await,
        None => browser(&driver, &chromium, &profile, size).await,
    };
    client
        .goto(&format!("http://{}/", setup.page.addr))
        .await
        .unwrap();
    wait_for(&client, "#token").await;
    Some((setup, client, driver))
}

/// What [`open_page`] started: the page and SMTP server, the browser, and chromedriver (which
/// stops when dropped, after the browser is closed).
pub type Opened = (WithSmtp, Client, Driver);

pub async fn attr(client: &Client, id: &str, name: &str) -> Option<String> {
    let element = client.find(Locator::Id(id)).await.unwrap();
    element.attr(name).await.unwrap()
}

/// Whether the field of `key` is marked as having a problem.
pub async fn marked_invalid(client: &Client, key: &str) -> bool {
    attr(client, &format!("wrap-{key}"), "class")
        .await
        .unwrap_or_default()
        .contains("invalid")
}

/// Polls `check` every 100 ms until it holds; fails with `what` once `limit` has passed.
pub async fn eventually(limit: Duration, what: &str, mut check: impl AsyncFnMut() -> bool) {
    let deadline = Instant::now() + limit;
    while !check().await {
        assert!(Instant::now() < deadline, "{what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits for a CSS selector to match a displayed element.
pub async fn wait_for(client: &Client, css: &str) {
    let displayed = async || match client.find(Locator::Css(css)).await {
        Ok(element) => element.is_displayed().await.unwrap_or(false),
        Err(_) => false,
    };
    eventually(
        Duration::from_secs(15),
        &format!("{css} never appeared"),
        displayed,
    )
    .await;
}

pub async fn wait_for_text(client: &Client, id: &str, needle: &str) {
    let what = format!("{id} never said {needle:?}");
    let says = async || text(client, id).await.contains(needle);
    eventually(Duration::from_secs(30), &what, says).await;
}

pub async fn wait_for_value(client: &Client, id: &str, expected: &str) {
    let what = format!("{id} never became {expected:?}");
    let holds = async || value(client, id).await == expected;
    eventually(Duration::from_secs(15), &what, holds).await;
}

/// Clicks the button `id` and waits for the summary banner of `kind` ("success" or "error");
/// returns the summary's text.
pub async fn press(client: &Client, id: &str, kind: &str) -> String {
    // The banner of the previous action may be of the same kind ("Connection test passed"
    // before a save): cleared first, the wait below sees this action's answer, not the last
    // one's. Without it the test read the .env before the save had written it, now and then.
    client
        .execute("document.getElementById('summary').className = '';", vec![])
        .await
        .unwrap();
    click(client, Locator::Id(id)).await;
    wait_for(client, &format!("#summary.banner.{kind}")).await;
    text(client, "summary").await
}
