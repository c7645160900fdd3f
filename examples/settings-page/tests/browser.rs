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

use common::{PASSWORD, TOKEN, start_page};
use fantoccini::{Client, ClientBuilder, Locator};
use mailconf_smtp::dev_server::{DevServer, DevTls};
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

async fn set(client: &Client, id: &str, text: &str) {
    let element = client.find(Locator::Id(id)).await.unwrap();
    element.clear().await.unwrap();
    if !text.is_empty() {
        element.send_keys(text).await.unwrap();
    }
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

/// Waits for a CSS selector to match a displayed element.
async fn wait_for(client: &Client, css: &str) {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        if let Ok(element) = client.find(Locator::Css(css)).await
            && element.is_displayed().await.unwrap_or(false)
        {
            return;
        }
        assert!(Instant::now() < deadline, "{css} never appeared");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn wait_for_text(client: &Client, id: &str, needle: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !text(client, id).await.contains(needle) {
        assert!(Instant::now() < deadline, "{id} never said {needle:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn wait_for_value(client: &Client, id: &str, expected: &str) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while value(client, id).await != expected {
        assert!(Instant::now() < deadline, "{id} never became {expected:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
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

    let dir = tempfile::tempdir().unwrap();
    let env_file = dir.path().join("mail.env");
    let smtp = DevServer::builder()
        .tls(DevTls::StartTls)
        .user("app@example.com", PASSWORD)
        .start()
        .await
        .unwrap();
    let ca_file = smtp.write_ca_file(dir.path()).unwrap();
    let page = start_page(&env_file, &["127.0.0.1"]).await;
    let driver = start_driver(&chromedriver);
    let client = browser(&driver, &chromium, &dir.path().join("profile")).await;
    let url = format!("http://{}/", page.addr);

    // The token is asked for once.
    client.goto(&url).await.unwrap();
    wait_for(&client, "#token").await;
    screenshot(&client, "00-token.png").await;
    set(&client, "token", TOKEN).await;
    client
        .find(Locator::Css("#token-form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(&client, "#field-MAIL_SERVER").await;
    assert_eq!(value(&client, "field-TLS").await, "starttls");
    assert_eq!(value(&client, "field-MAIL_PORT").await, "587");
    let use_credentials = client
        .find(Locator::Id("field-USE_CREDENTIALS"))
        .await
        .unwrap();
    assert_eq!(
        use_credentials.attr("type").await.unwrap().as_deref(),
        Some("checkbox")
    );
    assert!(use_credentials.is_selected().await.unwrap(), "default true");
    let password = client
        .find(Locator::Id("field-MAIL_PASSWORD"))
        .await
        .unwrap();
    assert_eq!(
        password.attr("type").await.unwrap().as_deref(),
        Some("password")
    );
    let port = client.find(Locator::Id("field-MAIL_PORT")).await.unwrap();
    assert_eq!(port.attr("type").await.unwrap().as_deref(), Some("number"));
    assert!(
        text(&client, "wrap-MAIL_SERVER")
            .await
            .contains("SMTP server host name")
    );

    // Broken: no server, STARTTLS on 465, a sender that is not an address.
    set(&client, "field-MAIL_PORT", "465").await;
    set(&client, "field-MAIL_USERNAME", "app@example.com").await;
    set(&client, "field-MAIL_PASSWORD", PASSWORD).await;
    set(&client, "field-MAIL_FROM", "not-an-address").await;
    set(&client, "field-MAIL_FROM_NAME", "Example App").await;
    client
        .find(Locator::Id("save"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(&client, "#summary.banner.error").await;
    let summary = text(&client, "summary").await;
    assert!(summary.contains("problems"), "{summary}");
    assert!(text(&client, "err-MAIL_SERVER").await.contains("Required"));
    assert!(text(&client, "err-MAIL_PORT").await.contains("465"));
    assert!(!text(&client, "err-MAIL_FROM").await.is_empty());
    for id in ["wrap-MAIL_SERVER", "wrap-MAIL_PORT", "wrap-MAIL_FROM"] {
        let class = client
            .find(Locator::Id(id))
            .await
            .unwrap()
            .attr("class")
            .await
            .unwrap();
        assert!(class.unwrap_or_default().contains("invalid"), "{id}");
    }
    let class = client
        .find(Locator::Id("wrap-MAIL_USERNAME"))
        .await
        .unwrap()
        .attr("class")
        .await
        .unwrap();
    assert!(!class.unwrap_or_default().contains("invalid"));
    // Nothing typed is lost.
    assert_eq!(value(&client, "field-MAIL_FROM").await, "not-an-address");
    assert_eq!(value(&client, "field-MAIL_FROM_NAME").await, "Example App");
    assert!(!env_file.exists());
    screenshot(&client, "01-errors.png").await;

    // Fixed.
    set(&client, "field-MAIL_SERVER", "smtp.example.com").await;
    set(&client, "field-MAIL_PORT", "587").await;
    set(&client, "field-MAIL_FROM", "app@example.com").await;
    client
        .find(Locator::Id("save"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(&client, "#summary.banner.success").await;
    assert!(text(&client, "summary").await.contains("Settings saved"));
    assert!(text(&client, "err-MAIL_SERVER").await.is_empty());
    let saved = std::fs::read_to_string(&env_file).unwrap();
    assert!(saved.contains("MAIL_SERVER='smtp.example.com'"), "{saved}");
    screenshot(&client, "02-saved.png").await;

    // Reloaded: the saved values, the password only as "saved".
    client.refresh().await.unwrap();
    wait_for(&client, "#field-MAIL_SERVER").await;
    wait_for_value(&client, "field-MAIL_SERVER", "smtp.example.com").await;
    assert_eq!(value(&client, "field-MAIL_PORT").await, "587");
    assert_eq!(value(&client, "field-MAIL_FROM").await, "app@example.com");
    assert_eq!(value(&client, "field-TLS").await, "starttls");
    assert_eq!(value(&client, "field-MAIL_PASSWORD").await, "");
    assert!(text(&client, "state-MAIL_PASSWORD").await.contains("saved"));
    let source = client.source().await.unwrap();
    assert!(!source.contains("distinctive-Zk27"));
    screenshot(&client, "03-reloaded.png").await;

    // Another field changes without retyping the password.
    set(&client, "field-MAIL_FROM_NAME", "Renamed App").await;
    client
        .find(Locator::Id("save"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(&client, "#summary.banner.success").await;
    let pairs: Vec<(String, String)> = dotenvy::from_path_iter(&env_file)
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(pairs.contains(&("MAIL_PASSWORD".into(), PASSWORD.into())));
    assert!(pairs.contains(&("MAIL_FROM_NAME".into(), "Renamed App".into())));

    // The connection test, against the dev server, with the saved password.
    set(&client, "field-MAIL_SERVER", "127.0.0.1").await;
    set(&client, "field-MAIL_PORT", &smtp.port().to_string()).await;
    client
        .find(Locator::Css("#advanced > summary"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    set(&client, "field-MAIL_CA_FILE", ca_file.to_str().unwrap()).await;
    client
        .find(Locator::Id("test"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_text(&client, "summary", "Connection test passed").await;
    assert!(text(&client, "summary").await.contains("login accepted"));
    assert!(smtp.messages().is_empty());
    screenshot(&client, "04-test-passed.png").await;

    // The wrong TLS mode for the port: the test says which step failed and what fixes it.
    client
        .find(Locator::Id("field-TLS"))
        .await
        .unwrap()
        .select_by_value("implicit")
        .await
        .unwrap();
    assert_eq!(
        value(&client, "field-MAIL_PORT").await,
        smtp.port().to_string()
    );
    client
        .find(Locator::Id("test"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(&client, "#summary.banner.error").await;
    let summary = text(&client, "summary").await;
    assert!(summary.contains("TLS"), "{summary}");
    assert!(summary.contains("MAIL_STARTTLS=true"), "{summary}");
    screenshot(&client, "05-test-failed.png").await;

    client.close().await.unwrap();
    drop(driver);
    smtp.shutdown().await;
}
