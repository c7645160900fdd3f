//! `mailconf dev-server --web`: the browser inbox of caught messages, through its JSON API and
//! its HTTP responses (what a browser gets: the CSP that keeps a message's HTML from running
//! script or loading anything, an attachment's bytes and name), with a message sent by the
//! `Mailer` with Korean text, an inline image and attachments. In Chromium: inbox_browser.rs.

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, ChildStdout, Stdio};
use std::time::{Duration, Instant};

use mailconf_core::MailConfig;
use mailconf_smtp::email::{Attachment, Email};
use mailconf_smtp::{Mailer, SmtpConfig};
use serde_json::Value;

const PNG: &[u8] = &[
    0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 1, 2, 0xff,
];
const PDF: &[u8] = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n";

/// `mailconf dev-server --web`, killed when dropped.
struct Inbox {
    child: Child,
    _stdout: BufReader<ChildStdout>,
    smtp_port: u16,
    web: String,
}

impl Drop for Inbox {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Inbox {
    fn start() -> Inbox {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_mailconf"))
            .env_clear()
            .args([
                "--json",
                "dev-server",
                "--port",
                "0",
                "--tls",
                "none",
                "--web",
                "127.0.0.1:0",
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let (mut smtp_port, mut web) = (None, None);
        while smtp_port.is_none() || web.is_none() {
            let mut line = String::new();
            assert!(
                stdout.read_line(&mut line).unwrap() > 0,
                "dev-server exited"
            );
            let event: Value = serde_json::from_str(&line).unwrap();
            match event["event"].as_str() {
                Some("listening") => smtp_port = event["port"].as_u64(),
                Some("web") => web = event["url"].as_str().map(str::to_owned),
                _ => {}
            }
        }
        Inbox {
            child,
            _stdout: stdout,
            smtp_port: u16::try_from(smtp_port.unwrap()).unwrap(),
            web: web.unwrap(),
        }
    }

    /// Sends the test message through the `Mailer`.
    fn send(&self) {
        send_to(self.smtp_port);
    }
}

/// Sends the test message (Korean text, an HTML part with a script and a remote image, an
/// inline image, a PDF) through the `Mailer` to the dev server on `port`.
fn send_to(port: u16) {
    let mut settings = mailconf_tests::dev_settings::plain_dev_settings(port);
    settings.push(("MAIL_FROM_NAME", "김민준 쇼핑몰".to_owned()));
    let config = SmtpConfig::from_map(settings).unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let mailer = Mailer::new(&config).unwrap();
        let email = Email::new()
            .to("이서연 <seoyeon@example.org>")
            .subject("주문 확인")
            .text("주문을 확인했습니다.")
            .html(
                "<h1>주문 확인</h1><img id=\"logo\" src=\"cid:logo@example.com\">\
                     <img id=\"remote\" src=\"http://127.0.0.1:9/track.png\">\
                     <script>document.title = 'pwned'</script>",
            )
            .inline("logo@example.com", Attachment::new("logo.png", PNG))
            .attach(Attachment::new("영수증.pdf", PDF));
        mailer.send_email(email).await.unwrap();
    });
}

impl Inbox {
    /// `GET path`: status, headers (lower-case names) and body.
    fn get(&self, path: &str) -> (u16, Vec<(String, String)>, Vec<u8>) {
        let authority = self.web.trim_start_matches("http://").trim_end_matches('/');
        let mut stream = TcpStream::connect(authority).unwrap();
        write!(stream, "GET {path} HTTP/1.0\r\nHost: {authority}\r\n\r\n").unwrap();
        let mut response = Vec::new();
        stream.read_to_end(&mut response).unwrap();
        let end = response.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
        let head = String::from_utf8_lossy(&response[..end]).into_owned();
        let mut lines = head.split("\r\n");
        let status = lines
            .next()
            .unwrap()
            .split(' ')
            .nth(1)
            .unwrap()
            .parse()
            .unwrap();
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect();
        (status, headers, response[end + 4..].to_vec())
    }

    fn messages(&self) -> Value {
        serde_json::from_slice(&self.get("/api/messages").2).unwrap()
    }

    /// Waits until the inbox lists `n` messages.
    fn wait_for(&self, n: usize) -> Value {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let list = self.messages();
            if list.as_array().unwrap().len() >= n {
                return list;
            }
            assert!(Instant::now() < deadline, "{list}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> &'a str {
    headers
        .iter()
        .find(|(n, _)| n == name)
        .map_or("", |(_, v)| v.as_str())
}

#[test]
fn the_inbox_lists_shows_and_serves_a_caught_message() {
    let inbox = Inbox::start();
    assert_eq!(inbox.messages(), serde_json::json!([]));
    inbox.send();
    let list = inbox.wait_for(1);
    let m = &list[0];
    assert_eq!(m["subject"], "주문 확인");
    assert_eq!(m["from"], "김민준 쇼핑몰 <app@example.com>");
    assert_eq!(m["to"][0], "이서연 <seoyeon@example.org>");
    assert_eq!(m["has_html"], true);
    let names: Vec<&str> = m["attachments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["logo.png", "영수증.pdf"]);
    let id = m["id"].as_u64().unwrap();

    let (status, _, body) = inbox.get(&format!("/api/messages/{id}"));
    assert_eq!(status, 200);
    let detail: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(detail["text"], "주문을 확인했습니다.");
    assert!(
        detail["headers"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h[0] == "Message-ID")
    );

    // The HTML: no script or network access allowed, the inline image as a data: URL.
    let (status, headers, body) = inbox.get(&format!("/api/messages/{id}/html"));
    assert_eq!(status, 200);
    let csp = header(&headers, "content-security-policy");
    assert!(
        csp.contains("default-src 'none'") && csp.contains("sandbox"),
        "{csp}"
    );
    assert!(!csp.contains("script-src"), "{csp}");
    let html = String::from_utf8(body).unwrap();
    assert!(html.contains("src=\"data:image/png;base64,"), "{html}");

    // The attachment downloads intact, under its Korean name.
    let pdf = names.iter().position(|n| *n == "영수증.pdf").unwrap();
    let (status, headers, body) = inbox.get(&format!("/api/messages/{id}/attachments/{pdf}"));
    assert_eq!(status, 200);
    assert_eq!(body, PDF);
    let disposition = header(&headers, "content-disposition");
    assert!(
        disposition.contains("filename*=UTF-8''%EC%98%81%EC%88%98%EC%A6%9D.pdf"),
        "{disposition}"
    );

    let (status, _, raw) = inbox.get(&format!("/api/messages/{id}/raw"));
    assert_eq!(status, 200);
    assert!(raw.starts_with(b"From: ") || String::from_utf8_lossy(&raw).contains("\r\nFrom: "));
    assert_eq!(inbox.get("/api/messages/999").0, 404);

    let (_, headers, page) = inbox.get("/");
    assert!(header(&headers, "content-security-policy").contains("script-src 'self'"));
    assert!(String::from_utf8_lossy(&page).contains("mailconf dev inbox"));
}

#[test]
fn the_inbox_refuses_a_non_loopback_address() {
    let out = support::mailconf()
        .args(["dev-server", "--port", "0", "--web", "0.0.0.0:0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("loopback"), "{err}");
}

mod browser {
    //! The inbox in headless Chromium (chromedriver + fantoccini, as the settings page's test):
    //! a message sent after the page opened appears without a reload; its HTML shows in the
    //! sandboxed iframe with its script not run; its text part shows; its attachment downloads
    //! intact. A screenshot is kept in `<target dir>/dev-inbox-screenshots/`.

    use std::path::Path;
    use std::time::{Duration, Instant};

    use fantoccini::{Client, Locator};
    use mailconf_tests::chromium::{browser, find_program, start_driver};
    use serde_json::json;

    use super::{Inbox, PDF};

    /// Polls for `css` for up to 10 s.
    async fn wait_for(client: &Client, css: &str) -> fantoccini::elements::Element {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Ok(found) = client.find(Locator::Css(css)).await {
                return found;
            }
            assert!(Instant::now() < deadline, "{css} did not appear");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_inbox_in_chromium() {
        let chromium = find_program(&["chromium", "chromium-browser"]);
        let chromedriver = find_program(&["chromedriver"]);
        let (Some(chromium), Some(chromedriver)) = (chromium, chromedriver) else {
            mailconf_tests::skip::missing(
                "the dev inbox browser test",
                "chromium/chromedriver not installed (apt-get install chromium chromium-driver)",
            );
            return;
        };
        let inbox = Inbox::start();
        let driver = start_driver(&chromedriver);
        let profile = tempfile::tempdir().unwrap();
        let client = browser(&driver, &chromium, profile.path(), (1200, 900)).await;
        client.goto(&inbox.web).await.unwrap();
        wait_for(&client, "#empty").await;

        // Sent after the page opened: it must appear without a reload.
        let port = inbox.smtp_port;
        tokio::task::spawn_blocking(move || super::send_to(port))
            .await
            .unwrap();
        let item = wait_for(&client, "#list li[data-id]").await;
        assert!(item.text().await.unwrap().contains("주문 확인"));
        item.click().await.unwrap();

        let frame = wait_for(&client, "iframe#html").await;
        assert_eq!(frame.attr("sandbox").await.unwrap().as_deref(), Some(""));
        client.enter_frame(0).await.unwrap();
        let heading = wait_for(&client, "h1").await;
        assert_eq!(heading.text().await.unwrap(), "주문 확인");
        // The message's script did not run (it would have created a <title>).
        assert!(
            client.find(Locator::Css("title")).await.is_err(),
            "the message's script ran"
        );
        client.enter_parent_frame().await.unwrap();

        let png = client.screenshot().await.unwrap();
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .parent()
            .unwrap()
            .join("dev-inbox-screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("inbox.png"), png).unwrap();
        eprintln!("screenshot: {}", dir.join("inbox.png").display());

        // The attachment link downloads the bytes that were sent.
        let link = wait_for(&client, "a.attachment[download='영수증.pdf']").await;
        let href = link.attr("href").await.unwrap().unwrap();
        let bytes = client
            .execute_async(
                "const done = arguments[arguments.length - 1];\
                 fetch(arguments[0]).then(r => r.arrayBuffer()).then(b => done(Array.from(new Uint8Array(b))));",
                vec![json!(href)],
            )
            .await
            .unwrap();
        let bytes: Vec<u8> = serde_json::from_value(bytes).unwrap();
        assert_eq!(bytes, PDF);

        client
            .find(Locator::Css("#tabs button[data-tab='text']"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        let text = wait_for(&client, "pre#text").await;
        assert_eq!(text.text().await.unwrap(), "주문을 확인했습니다.");
        client.close().await.unwrap();
    }
}
