//! Headless Chromium through chromedriver (`WebDriver`) and fantoccini, for the browser tests of
//! the settings page and of the dev server's inbox.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`.ci/run` installs them); each test says
//! SKIPPED without them, and fails under CI.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder};
use serde_json::json;

/// The first of `names` found on `PATH`.
#[must_use]
pub fn find_program(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |name| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

/// chromedriver, ended when the test ends (even by a failed assertion).
pub struct Driver {
    child: Child,
    port: u16,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts chromedriver on a free loopback port and waits until it listens.
///
/// # Panics
/// If it cannot be started or does not listen within 20 s.
#[must_use]
pub fn start_driver(program: &Path) -> Driver {
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

/// A headless Chromium session of `width` × `height` with its own empty profile, started
/// with the flags this machine's closed network needs (no background networking).
///
/// # Panics
/// If no `WebDriver` session can be opened.
pub async fn browser(
    driver: &Driver,
    chromium: &Path,
    profile: &Path,
    (width, height): (u32, u32),
) -> Client {
    session(driver, chromium, profile, (width, height), None).await
}

/// [`browser`] whose user speaks `languages`, as a browser set to that language asks:
/// `ko-KR,ko` is the interface language `ko-KR` and `Accept-Language: ko-KR,ko;q=0.9`.
///
/// # Panics
/// If no `WebDriver` session can be opened.
pub async fn browser_in(
    driver: &Driver,
    chromium: &Path,
    profile: &Path,
    size: (u32, u32),
    languages: &str,
) -> Client {
    session(driver, chromium, profile, size, Some(languages)).await
}

async fn session(
    driver: &Driver,
    chromium: &Path,
    profile: &Path,
    (width, height): (u32, u32),
    languages: Option<&str>,
) -> Client {
    let mut args = vec![
        "--headless=new".to_owned(),
        "--no-sandbox".to_owned(),
        "--disable-gpu".to_owned(),
        "--disable-dev-shm-usage".to_owned(),
        "--no-first-run".to_owned(),
        "--disable-background-networking".to_owned(),
        "--disable-component-update".to_owned(),
        "--disable-sync".to_owned(),
        format!("--window-size={width},{height}"),
        format!("--user-data-dir={}", profile.display()),
    ];
    let mut options = json!({"binary": chromium.to_str().unwrap()});
    if let Some(languages) = languages {
        let first = languages.split(',').next().unwrap_or(languages);
        args.push(format!("--lang={first}"));
        options["prefs"] = json!({"intl": {"accept_languages": languages}});
    }
    options["args"] = json!(args);
    let capabilities = json!({ "goog:chromeOptions": options });
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
