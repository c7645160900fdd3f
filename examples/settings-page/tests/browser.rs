//! The page in headless Chromium, driven through chromedriver (WebDriver) with fantoccini:
//! broken settings show their errors at the right fields, fixed settings save, and a reload
//! shows the saved values without the password. A screenshot of each state is kept in
//! `<target dir>/settings-page-screenshots/`.
//!
//! Needs Debian's `chromium` and `chromium-driver`. Without them the test says it was skipped;
//! under CI (`CI` set) it fails instead, so a missing browser cannot pass unnoticed.

mod common;

use std::io::Write;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{PASSWORD, TOKEN, page_with_smtp};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

const SKIPPED: &str = "SKIPPED: browser test did not run: chromium/chromedriver not installed (apt-get install chromium chromium-driver)";

fn find_program(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |name| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

/// chromedriver, ended when the test ends (even by a failed assertion).
struct Driver {
    child: Child,
    port: u16,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_driver(program: &Path) -> Driver {
    // Asking the OS for a free port, then freeing it for chromedriver, is racy only against
    // other programs grabbing the same port in between: unlikely, and it would fail loudly.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(program)
        .arg(format!("--port={port}"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    let driver = Driver { child, port };
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "chromedriver did not start listening"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    driver
}

async fn browser(driver: &Driver, chromium: &Path, profile: &Path) -> Client {
    let args = [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1100,2300",
        &format!("--user-data-dir={}", profile.display()),
    ];
    let capabilities = json!({
        "goog:chromeOptions": {"binary": chromium.to_str().unwrap(), "args": args},
    });
    let serde_json::Value::Object(capabilities) = capabilities else {
        unreachable!("a literal object")
    };
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    ClientBuilder::new(connector)
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .expect("a WebDriver session")
}

fn screenshot_dir() -> PathBuf {
    let target = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("CARGO_TARGET_TMPDIR is inside the target directory");
    let dir = target.join("settings-page-screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn screenshot(client: &Client, name: &str) {
    let png = client.screenshot().await.unwrap();
    let path = screenshot_dir().join(name);
    std::fs::write(&path, png).unwrap();
    // Printed outside the test harness's capture, so the path shows in every run.
    let _ = writeln!(std::io::stderr(), "screenshot: {}", path.display());
}

async fn value(client: &Client, id: &str) -> String {
    let element = client.find(Locator::Id(id)).await.unwrap();
    element.prop("value").await.unwrap().unwrap_or_default()
}

/// Asserts the value of each `(id, value)` input.
async fn assert_values(client: &Client, expected: &[(&str, &str)]) {
    for (id, want) in expected {
        assert_eq!(value(client, id).await, *want, "{id}");
    }
}

async fn set(client: &Client, id: &str, text: &str) {
    let element = client.find(Locator::Id(id)).await.unwrap();
    element.clear().await.unwrap();
    if !text.is_empty() {
        element.send_keys(text).await.unwrap();
    }
}

/// Types into each `(id, text)` input, in order.
async fn fill(client: &Client, fields: &[(&str, &str)]) {
    for (id, text) in fields {
        set(client, id, text).await;
    }
}

async fn click(client: &Client, locator: Locator<'_>) {
    client.find(locator).await.unwrap().click().await.unwrap();
}

async fn text(client: &Client, id: &str) -> String {
    client
        .find(Locator::Id(id))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

async fn attr(client: &Client, id: &str, name: &str) -> Option<String> {
    let element = client.find(Locator::Id(id)).await.unwrap();
    element.attr(name).await.unwrap()
}

/// Whether the field of `key` is marked as having a problem.
async fn marked_invalid(client: &Client, key: &str) -> bool {
    attr(client, &format!("wrap-{key}"), "class")
        .await
        .unwrap_or_default()
        .contains("invalid")
}

/// Polls `check` every 100 ms until it holds; fails with `what` once `limit` has passed.
async fn eventually(limit: Duration, what: &str, mut check: impl AsyncFnMut() -> bool) {
    let deadline = Instant::now() + limit;
    while !check().await {
        assert!(Instant::now() < deadline, "{what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits for a CSS selector to match a displayed element.
async fn wait_for(client: &Client, css: &str) {
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

async fn wait_for_text(client: &Client, id: &str, needle: &str) {
    let what = format!("{id} never said {needle:?}");
    let says = async || text(client, id).await.contains(needle);
    eventually(Duration::from_secs(30), &what, says).await;
}

async fn wait_for_value(client: &Client, id: &str, expected: &str) {
    let what = format!("{id} never became {expected:?}");
    let holds = async || value(client, id).await == expected;
    eventually(Duration::from_secs(15), &what, holds).await;
}

/// Clicks the button `id` and waits for the summary banner of `kind` ("success" or "error");
/// returns the summary's text.
async fn press(client: &Client, id: &str, kind: &str) -> String {
    click(client, Locator::Id(id)).await;
    wait_for(client, &format!("#summary.banner.{kind}")).await;
    text(client, "summary").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_in_headless_chromium() {
    let chromium = find_program(&["chromium", "chromium-browser"]);
    let chromedriver = find_program(&["chromedriver"]);
    let (Some(chromium), Some(chromedriver)) = (chromium, chromedriver) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "{SKIPPED} (under CI the browser test must run: .ci/run installs them)"
        );
        // Straight to stderr: the harness captures println! of passing tests.
        let _ = writeln!(std::io::stderr(), "{SKIPPED}");
        return;
    };

    let setup = page_with_smtp(&["127.0.0.1"]).await;
    let env_file = &setup.env_file;
    let smtp_port = setup.smtp.port().to_string();
    let driver = start_driver(&chromedriver);
    let client = browser(&driver, &chromium, &setup.dir.path().join("profile")).await;
    let url = format!("http://{}/", setup.page.addr);

    // The token is asked for once.
    client.goto(&url).await.unwrap();
    wait_for(&client, "#token").await;
    screenshot(&client, "00-token.png").await;
    set(&client, "token", TOKEN).await;
    click(&client, Locator::Css("#token-form button[type=submit]")).await;
    wait_for(&client, "#field-MAIL_SERVER").await;
    assert_values(
        &client,
        &[("field-TLS", "starttls"), ("field-MAIL_PORT", "587")],
    )
    .await;
    for (id, kind) in [
        ("field-USE_CREDENTIALS", "checkbox"),
        ("field-MAIL_PASSWORD", "password"),
        ("field-MAIL_PORT", "number"),
    ] {
        assert_eq!(
            attr(&client, id, "type").await.as_deref(),
            Some(kind),
            "{id}"
        );
    }
    let use_credentials = client
        .find(Locator::Id("field-USE_CREDENTIALS"))
        .await
        .unwrap();
    assert!(use_credentials.is_selected().await.unwrap(), "default true");
    assert!(
        text(&client, "wrap-MAIL_SERVER")
            .await
            .contains("SMTP server host name")
    );

    // Broken: no server, STARTTLS on 465, a sender that is not an address.
    fill(
        &client,
        &[
            ("field-MAIL_PORT", "465"),
            ("field-MAIL_USERNAME", "app@example.com"),
            ("field-MAIL_PASSWORD", PASSWORD),
            ("field-MAIL_FROM", "not-an-address"),
            ("field-MAIL_FROM_NAME", "Example App"),
        ],
    )
    .await;
    let summary = press(&client, "save", "error").await;
    assert!(summary.contains("problems"), "{summary}");
    assert!(text(&client, "err-MAIL_SERVER").await.contains("Required"));
    assert!(text(&client, "err-MAIL_PORT").await.contains("465"));
    assert!(!text(&client, "err-MAIL_FROM").await.is_empty());
    for key in ["MAIL_SERVER", "MAIL_PORT", "MAIL_FROM"] {
        assert!(marked_invalid(&client, key).await, "{key}");
    }
    assert!(!marked_invalid(&client, "MAIL_USERNAME").await);
    // Nothing typed is lost.
    assert_values(
        &client,
        &[
            ("field-MAIL_FROM", "not-an-address"),
            ("field-MAIL_FROM_NAME", "Example App"),
        ],
    )
    .await;
    assert!(!env_file.exists());
    screenshot(&client, "01-errors.png").await;

    // Fixed.
    fill(
        &client,
        &[
            ("field-MAIL_SERVER", "smtp.example.com"),
            ("field-MAIL_PORT", "587"),
            ("field-MAIL_FROM", "app@example.com"),
        ],
    )
    .await;
    let summary = press(&client, "save", "success").await;
    assert!(summary.contains("Settings saved"), "{summary}");
    assert!(text(&client, "err-MAIL_SERVER").await.is_empty());
    let saved = std::fs::read_to_string(env_file).unwrap();
    assert!(saved.contains("MAIL_SERVER='smtp.example.com'"), "{saved}");
    screenshot(&client, "02-saved.png").await;

    // Reloaded: the saved values, the password only as "saved".
    client.refresh().await.unwrap();
    wait_for(&client, "#field-MAIL_SERVER").await;
    wait_for_value(&client, "field-MAIL_SERVER", "smtp.example.com").await;
    assert_values(
        &client,
        &[
            ("field-MAIL_PORT", "587"),
            ("field-MAIL_FROM", "app@example.com"),
            ("field-TLS", "starttls"),
            ("field-MAIL_PASSWORD", ""),
        ],
    )
    .await;
    assert!(text(&client, "state-MAIL_PASSWORD").await.contains("saved"));
    let source = client.source().await.unwrap();
    assert!(!source.contains("distinctive-Zk27"));
    screenshot(&client, "03-reloaded.png").await;

    // Another field changes without retyping the password.
    set(&client, "field-MAIL_FROM_NAME", "Renamed App").await;
    press(&client, "save", "success").await;
    let pairs: Vec<(String, String)> = dotenvy::from_path_iter(env_file)
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(pairs.contains(&("MAIL_PASSWORD".into(), PASSWORD.into())));
    assert!(pairs.contains(&("MAIL_FROM_NAME".into(), "Renamed App".into())));

    // The connection test, against the dev server, with the saved password.
    fill(
        &client,
        &[
            ("field-MAIL_SERVER", "127.0.0.1"),
            ("field-MAIL_PORT", &smtp_port),
        ],
    )
    .await;
    click(&client, Locator::Css("#advanced > summary")).await;
    set(
        &client,
        "field-MAIL_CA_FILE",
        setup.ca_file.to_str().unwrap(),
    )
    .await;
    click(&client, Locator::Id("test")).await;
    wait_for_text(&client, "summary", "Connection test passed").await;
    assert!(text(&client, "summary").await.contains("login accepted"));
    assert!(setup.smtp.messages().is_empty());
    screenshot(&client, "04-test-passed.png").await;

    // The wrong TLS mode for the port: the test says which step failed and what fixes it.
    client
        .find(Locator::Id("field-TLS"))
        .await
        .unwrap()
        .select_by_value("implicit")
        .await
        .unwrap();
    assert_values(&client, &[("field-MAIL_PORT", &smtp_port)]).await;
    let summary = press(&client, "test", "error").await;
    assert!(summary.contains("TLS"), "{summary}");
    assert!(summary.contains("MAIL_STARTTLS=true"), "{summary}");
    screenshot(&client, "05-test-failed.png").await;

    client.close().await.unwrap();
    drop(driver);
    setup.smtp.shutdown().await;
}
