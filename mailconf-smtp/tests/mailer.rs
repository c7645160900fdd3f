//! `Mailer` against the loopback dev server: every TLS mode, login, the TLS-mode mix-ups,
//! certificates, rate limit, pool cap, suppression and the blocking wrapper.

use std::future::Future;
use std::net::Ipv4Addr;
use std::num::NonZeroU32;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use mailconf_core::{FromValue, Host, Mailbox, Port, Secret};
use mailconf_smtp::dev_server::{DevServer, DevTls, ReceivedMessage};
use mailconf_smtp::{
    BlockingMailer, Credentials, Endpoint, Mailer, RateLimit, Security, SendError, SmtpSettings,
    Stage, TlsOptions,
};
use tokio::time::timeout;

const USER: &str = "app";
const PASSWORD: &str = "s3cret-Pa55word";
/// Upper bound for any single client call, so a bug fails a test instead of hanging the suite.
const STEP: Duration = Duration::from_secs(15);
const WAIT: Duration = Duration::from_secs(5);

// ---------------------------------------------------------------------------------------------
// settings and helpers

#[derive(Clone)]
struct Settings {
    port: u16,
    security: Security,
    login: Option<(&'static str, &'static str)>,
    timeout: Duration,
    validate_certs: bool,
    ca_file: Option<PathBuf>,
    pool_size: usize,
    rate_limit: Option<RateLimit>,
    suppress: bool,
    sender: &'static str,
}

impl Settings {
    fn new(port: u16, security: Security) -> Settings {
        Settings {
            port,
            security,
            login: None,
            timeout: Duration::from_secs(10),
            validate_certs: true,
            ca_file: None,
            pool_size: 4,
            rate_limit: None,
            suppress: false,
            sender: "Example App <app@example.com>",
        }
    }

    fn login(mut self, password: &'static str) -> Settings {
        self.login = Some((USER, password));
        self
    }

    fn ca(mut self, path: PathBuf) -> Settings {
        self.ca_file = Some(path);
        self
    }
}

impl SmtpSettings for Settings {
    fn endpoint(&self) -> Endpoint {
        Endpoint {
            host: Host::Ipv4(Ipv4Addr::LOCALHOST),
            port: Port::new(self.port).unwrap(),
            security: self.security,
        }
    }

    fn credentials(&self) -> Option<Credentials> {
        self.login.map(|(username, password)| Credentials {
            username: username.to_owned(),
            password: Secret::new(password.to_owned()),
        })
    }

    fn sender(&self) -> Mailbox {
        Mailbox::from_value(self.sender).unwrap()
    }

    fn timeout(&self) -> Duration {
        self.timeout
    }

    fn tls(&self) -> TlsOptions {
        TlsOptions {
            validate_certs: self.validate_certs,
            ca_file: self.ca_file.clone(),
        }
    }

    fn pool_size(&self) -> usize {
        self.pool_size
    }

    fn rate_limit(&self) -> Option<RateLimit> {
        self.rate_limit
    }

    fn hello_name(&self) -> Option<Host> {
        Some(Host::Domain("client.test".to_owned()))
    }

    fn suppress_send(&self) -> bool {
        self.suppress
    }
}

async fn within<T>(future: impl Future<Output = T>) -> T {
    timeout(STEP, future).await.expect("the mailer call hung")
}

async fn dev_server(tls: DevTls) -> DevServer {
    DevServer::builder()
        .tls(tls)
        .user(USER, PASSWORD)
        .start()
        .await
        .unwrap()
}

/// The settings that match `server`, trusting its CA through a CA file.
fn trusting(server: &DevServer, security: Security, dir: &tempfile::TempDir) -> Settings {
    let ca = server.write_ca_file(dir.path()).unwrap();
    Settings::new(server.port(), security)
        .login(PASSWORD)
        .ca(ca)
}

fn simple(mailer: &Mailer, subject: &str) -> lettre::Message {
    mailer
        .message()
        .to("rcpt@example.net".parse().unwrap())
        .subject(subject)
        .body("Hello.\n".to_owned())
        .unwrap()
}

/// Both renderings of the error must never hold the password.
fn assert_no_password(err: &SendError) {
    for text in [err.to_string(), format!("{err:?}")] {
        assert!(!text.contains(PASSWORD), "password leaked: {text}");
    }
}

// ---------------------------------------------------------------------------------------------
// decoding what arrived (RFC 2047 words, MIME parts)

fn base64_decode(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0);
    for byte in text
        .bytes()
        .filter(|b| !b.is_ascii_whitespace() && *b != b'=')
    {
        let value = ALPHABET.iter().position(|a| *a == byte).unwrap() as u32;
        acc = (acc << 6) | value;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

fn quoted_printable_decode(text: &str, underscore_is_space: bool) -> Vec<u8> {
    let text = text.replace("=\r\n", "").replace("=\n", "");
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'=' => {
                out.push(u8::from_str_radix(&text[i + 1..i + 3], 16).unwrap());
                i += 3;
            }
            b'_' if underscore_is_space => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

/// Decodes `=?utf-8?b?...?=` / `?q?` words; whitespace between two words disappears.
fn decode_header(value: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    let mut after_word = false;
    while let Some(start) = rest.find("=?") {
        let gap = &rest[..start];
        if !(after_word && gap.trim().is_empty()) {
            out.push_str(gap);
        }
        let word = &rest[start + 2..];
        let mut fields = word.splitn(3, '?');
        let (_charset, encoding, tail) = (
            fields.next().unwrap(),
            fields.next().unwrap(),
            fields.next().unwrap(),
        );
        let end = tail.find("?=").unwrap();
        let bytes = match encoding {
            "b" | "B" => base64_decode(&tail[..end]),
            _ => quoted_printable_decode(&tail[..end], true),
        };
        out.push_str(&String::from_utf8(bytes).unwrap());
        rest = &tail[end + 2..];
        after_word = true;
    }
    out.push_str(rest);
    out
}

/// `(content type, decoded text)` of each part of a multipart message.
fn mime_parts(message: &ReceivedMessage) -> Vec<(String, String)> {
    let content_type = message.header("Content-Type").unwrap();
    let boundary = content_type
        .split("boundary=")
        .nth(1)
        .unwrap()
        .trim_matches('"')
        .to_owned();
    let body = String::from_utf8(message.body().to_vec()).unwrap();
    let delimiter = format!("--{boundary}");
    body.split(delimiter.as_str())
        .skip(1)
        .filter(|part| !part.starts_with("--"))
        .map(|part| {
            let (head, content) = part.split_once("\r\n\r\n").unwrap();
            let field = |name: &str| {
                head.lines()
                    .find_map(|line| {
                        let (key, value) = line.split_once(':')?;
                        key.trim()
                            .eq_ignore_ascii_case(name)
                            .then(|| value.trim().to_owned())
                    })
                    .unwrap_or_default()
            };
            let decoded = match field("Content-Transfer-Encoding")
                .to_ascii_lowercase()
                .as_str()
            {
                "base64" => base64_decode(content),
                "quoted-printable" => quoted_printable_decode(content, false),
                _ => content.as_bytes().to_vec(),
            };
            (
                field("Content-Type"),
                String::from_utf8(decoded).unwrap().replace("\r\n", "\n"),
            )
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// sending in each mode

#[tokio::test]
async fn plain_loopback_delivers_utf8_headers_both_parts_and_the_envelope() {
    let server = DevServer::builder()
        .tls(DevTls::None)
        .start()
        .await
        .unwrap();
    let mut settings = Settings::new(server.port(), Security::None);
    settings.sender = "Zoë Ünïcødé <app@example.com>";
    let mailer = Mailer::new(&settings).unwrap();
    let message = mailer
        .verification_email(
            "Zoë Ünïcødé <zoe@example.net>",
            "Café <Ünïcødé> & Co",
            "https://example.com/confirm?token=a1&user=7",
        )
        .unwrap();

    let report = within(mailer.send(message)).await.unwrap();
    assert_eq!(report.code(), 250);
    assert_eq!(report.attempts(), 1);
    assert!(!report.is_suppressed());

    let received = server.wait_for_messages(1, WAIT).await;
    let got = &received[0];
    assert_eq!(got.mail_from, "app@example.com");
    assert_eq!(got.rcpt_to, ["zoe@example.net"]);
    assert_eq!(got.helo, "client.test");
    assert!(!got.tls);
    assert_eq!(got.header("Message-ID").as_deref(), report.message_id());
    assert!(report.message_id().unwrap().ends_with("@example.com>"));

    // Headers travel as ASCII (RFC 2047) and decode to the original text.
    let from = got.header("From").unwrap();
    let subject = got.subject().unwrap();
    assert!(from.is_ascii() && subject.is_ascii(), "{from} / {subject}");
    assert_eq!(decode_header(&from), "Zoë Ünïcødé <app@example.com>");
    assert_eq!(
        decode_header(&subject),
        "Confirm your email for Café <Ünïcødé> & Co"
    );
    assert_eq!(
        decode_header(&got.header("To").unwrap()),
        "Zoë Ünïcødé <zoe@example.net>"
    );

    let parts = mime_parts(got);
    assert_eq!(parts.len(), 2, "{parts:?}");
    let (text_type, text) = &parts[0];
    let (html_type, html) = &parts[1];
    assert!(text_type.starts_with("text/plain"), "{text_type}");
    assert!(html_type.starts_with("text/html"), "{html_type}");
    assert!(text.contains("Hello Zoë Ünïcødé,"), "{text}");
    assert!(
        text.contains("for Café <Ünïcødé> & Co by opening"),
        "{text}"
    );
    assert!(text.contains("\nhttps://example.com/confirm?token=a1&user=7\n"));
    assert!(html.contains("Café &lt;Ünïcødé&gt; &amp; Co"), "{html}");
    assert!(html.contains(r#"<a href="https://example.com/confirm?token=a1&amp;user=7">"#));
    assert!(!html.contains("<Ünïcødé>"));
}

#[tokio::test]
async fn starttls_with_auth_trusting_the_dev_ca_file() {
    let dir = tempfile::tempdir().unwrap();
    let server = dev_server(DevTls::StartTls).await;
    let mailer = Mailer::new(&trusting(&server, Security::StartTls, &dir)).unwrap();

    let report = within(mailer.send(simple(&mailer, "over STARTTLS")))
        .await
        .unwrap();
    assert_eq!(report.code(), 250);

    let got = &server.wait_for_messages(1, WAIT).await[0];
    assert!(got.tls);
    assert_eq!(got.auth_user.as_deref(), Some(USER));
    assert_eq!(got.subject().as_deref(), Some("over STARTTLS"));
}

#[tokio::test]
async fn implicit_tls_with_auth_trusting_the_dev_ca_file() {
    let dir = tempfile::tempdir().unwrap();
    let server = dev_server(DevTls::Implicit).await;
    let mailer = Mailer::new(&trusting(&server, Security::ImplicitTls, &dir)).unwrap();

    within(mailer.test_connection()).await.unwrap();
    let report = within(mailer.send(simple(&mailer, "over implicit TLS")))
        .await
        .unwrap();
    assert_eq!(report.code(), 250);

    let got = &server.wait_for_messages(1, WAIT).await[0];
    assert!(got.tls);
    assert_eq!(got.auth_user.as_deref(), Some(USER));
    // The tested session was kept and reused for the send.
    assert_eq!(server.connections_total(), 1);
}

#[tokio::test]
async fn auth_over_plain_loopback_when_the_server_allows_it() {
    let server = DevServer::builder()
        .tls(DevTls::None)
        .user(USER, PASSWORD)
        .allow_auth_without_tls(true)
        .start()
        .await
        .unwrap();
    let mailer =
        Mailer::new(&Settings::new(server.port(), Security::None).login(PASSWORD)).unwrap();
    within(mailer.send(simple(&mailer, "plain auth")))
        .await
        .unwrap();
    let got = &server.wait_for_messages(1, WAIT).await[0];
    assert_eq!(got.auth_user.as_deref(), Some(USER));
}

// ---------------------------------------------------------------------------------------------
// failures: login, TLS mode, certificates

#[tokio::test]
async fn wrong_password_fails_at_auth_with_535_a_hint_and_no_retry() {
    let dir = tempfile::tempdir().unwrap();
    let server = dev_server(DevTls::StartTls).await;
    let settings = trusting(&server, Security::StartTls, &dir).login("wrong-password");
    let mailer = Mailer::new(&settings).unwrap();

    let err = within(mailer.send(simple(&mailer, "never")))
        .await
        .unwrap_err();
    assert_eq!(err.stage(), Stage::Auth);
    assert_eq!(err.code(), Some(535));
    assert!(err.is_permanent());
    assert!(!err.is_timeout());
    assert_eq!(err.attempts(), 1);
    assert!(err.hint().unwrap().contains("app password"), "{err}");
    assert!(err.to_string().contains("535"), "{err}");
    assert!(!err.to_string().contains("wrong-password"));
    assert_no_password(&err);

    let test = within(mailer.test_connection()).await.unwrap_err();
    assert_eq!((test.stage(), test.code()), (Stage::Auth, Some(535)));

    assert!(server.messages().is_empty());
    assert_eq!(server.connections_total(), 2, "one per call, no retries");
    assert_eq!(mailer.open_connections(), 0, "failed sessions are dropped");
}

#[tokio::test]
async fn starttls_settings_against_an_implicit_tls_port_fail_within_the_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let server = dev_server(DevTls::Implicit).await;
    let mut settings = trusting(&server, Security::StartTls, &dir);
    settings.timeout = Duration::from_secs(2);
    let mailer = Mailer::new(&settings).unwrap();

    let started = Instant::now();
    let err = within(mailer.send(simple(&mailer, "never")))
        .await
        .unwrap_err();
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_millis(3500), "took {elapsed:?}");
    assert!(err.is_timeout(), "{err}");
    assert_eq!(err.stage(), Stage::Connect);
    assert_eq!(err.attempts(), 1);
    let hint = err.hint().unwrap();
    assert!(hint.contains("MAIL_SSL_TLS=true"), "{hint}");
    assert!(hint.contains("implicit TLS"), "{hint}");

    // The connection test is bounded the same way.
    let started = Instant::now();
    let err = within(mailer.test_connection()).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_millis(3500));
    assert!(err.is_timeout());
    assert!(server.messages().is_empty());
}

#[tokio::test]
async fn implicit_tls_settings_against_a_starttls_port_fail_fast_naming_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let server = dev_server(DevTls::StartTls).await;
    let mut settings = trusting(&server, Security::ImplicitTls, &dir);
    settings.timeout = Duration::from_secs(2);
    let mailer = Mailer::new(&settings).unwrap();

    let started = Instant::now();
    let err = within(mailer.send(simple(&mailer, "never")))
        .await
        .unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(err.stage(), Stage::Tls, "{err}");
    assert!(err.is_permanent());
    assert_eq!(err.attempts(), 1);
    assert!(err.hint().unwrap().contains("MAIL_STARTTLS=true"), "{err}");
    assert!(server.messages().is_empty());
}

#[tokio::test]
async fn starttls_is_required_never_plain_text_when_the_server_does_not_offer_it() {
    // Everything a plain-text fallback would need is there: AUTH in clear, no TLS.
    let server = DevServer::builder()
        .tls(DevTls::StartTls)
        .advertise_starttls(false)
        .user(USER, PASSWORD)
        .allow_auth_without_tls(true)
        .start()
        .await
        .unwrap();
    let mailer =
        Mailer::new(&Settings::new(server.port(), Security::StartTls).login(PASSWORD)).unwrap();

    let err = within(mailer.send(simple(&mailer, "never")))
        .await
        .unwrap_err();
    assert_eq!(err.stage(), Stage::Tls, "{err}");
    assert!(err.is_permanent());
    assert_eq!(err.attempts(), 1);
    assert!(err.hint().unwrap().contains("STARTTLS"), "{err}");
    assert!(err.hint().unwrap().contains("never falls back"), "{err}");
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(server.messages().is_empty());
}

#[tokio::test]
async fn an_untrusted_certificate_fails_with_a_ca_hint_unless_validation_is_off() {
    let server = dev_server(DevTls::Implicit).await;
    let strict = Settings::new(server.port(), Security::ImplicitTls).login(PASSWORD);
    let mailer = Mailer::new(&strict).unwrap();
    let err = within(mailer.send(simple(&mailer, "never")))
        .await
        .unwrap_err();
    assert_eq!(err.stage(), Stage::Tls, "{err}");
    assert!(err.message().contains("UnknownIssuer"), "{err}");
    assert!(err.hint().unwrap().contains("MAIL_CA_FILE"), "{err}");
    assert_eq!(err.attempts(), 1);
    assert!(server.messages().is_empty());

    let mut lax = strict.clone();
    lax.validate_certs = false;
    let mailer = Mailer::new(&lax).unwrap();
    within(mailer.send(simple(&mailer, "accepted")))
        .await
        .unwrap();
    assert_eq!(server.wait_for_messages(1, WAIT).await.len(), 1);
}

#[tokio::test]
async fn no_auth_offered_in_plain_text_suggests_starttls() {
    // This server offers AUTH only after TLS, and it offers no TLS in this mode.
    let server = dev_server(DevTls::None).await;
    let mailer =
        Mailer::new(&Settings::new(server.port(), Security::None).login(PASSWORD)).unwrap();
    let err = within(mailer.send(simple(&mailer, "never")))
        .await
        .unwrap_err();
    assert_eq!(err.stage(), Stage::Auth);
    assert!(
        err.message()
            .contains("No compatible authentication mechanism"),
        "{err}"
    );
    assert!(err.hint().unwrap().contains("MAIL_STARTTLS=true"), "{err}");
    assert_no_password(&err);
}

#[tokio::test]
async fn connection_refused_names_server_and_port_after_retries() {
    let listener = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let mailer = Mailer::new(&Settings::new(port, Security::StartTls)).unwrap();
    let err = within(mailer.send(simple(&mailer, "never")))
        .await
        .unwrap_err();
    assert_eq!(err.stage(), Stage::Connect);
    assert_eq!(
        err.attempts(),
        3,
        "a refused connection may be a restart: retried"
    );
    assert!(!err.is_permanent());
    let hint = err.hint().unwrap();
    assert!(
        hint.contains("MAIL_SERVER") && hint.contains("MAIL_PORT"),
        "{hint}"
    );
    assert!(
        err.to_string().contains(&format!("127.0.0.1:{port}")),
        "{err}"
    );
}

#[test]
fn a_missing_ca_file_is_reported_with_its_path() {
    let settings = Settings::new(2525, Security::StartTls).ca(PathBuf::from("/nonexistent/ca.pem"));
    let err = Mailer::new(&settings).unwrap_err();
    assert!(err.to_string().contains("/nonexistent/ca.pem"), "{err}");

    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.pem");
    std::fs::write(&empty, "not a certificate").unwrap();
    let err = Mailer::new(&Settings::new(2525, Security::ImplicitTls).ca(empty)).unwrap_err();
    assert!(err.to_string().contains("no PEM certificate"), "{err}");
}

// ---------------------------------------------------------------------------------------------
// rate limit, pool, suppression

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_rate_limit_holds_across_concurrent_tasks() {
    let server = DevServer::builder()
        .tls(DevTls::None)
        .start()
        .await
        .unwrap();
    let mut settings = Settings::new(server.port(), Security::None);
    settings.rate_limit = Some(RateLimit {
        messages: NonZeroU32::new(20).unwrap(),
        per: Duration::from_secs(1),
    });
    let mailer = Mailer::new(&settings).unwrap();

    let started = Instant::now();
    let tasks: Vec<_> = (0..5)
        .map(|task| {
            let mailer = mailer.clone();
            tokio::spawn(async move {
                for i in 0..2 {
                    let message = simple(&mailer, &format!("task {task} message {i}"));
                    within(mailer.send(message)).await.unwrap();
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    let elapsed = started.elapsed();
    // 10 messages at 20/s: the first goes at once, then one every 50 ms.
    assert!(
        elapsed >= Duration::from_millis(430),
        "took only {elapsed:?}"
    );
    assert_eq!(server.wait_for_messages(10, WAIT).await.len(), 10);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pool_never_opens_more_than_pool_size_connections() {
    let server = DevServer::builder()
        .tls(DevTls::None)
        .start()
        .await
        .unwrap();
    let mut settings = Settings::new(server.port(), Security::None);
    settings.pool_size = 2;
    let mailer = Mailer::new(&settings).unwrap();

    let tasks: Vec<_> = (0..12)
        .map(|i| {
            let mailer = mailer.clone();
            tokio::spawn(async move {
                let report = within(mailer.send(simple(&mailer, &format!("pooled {i}")))).await;
                let open = mailer.open_connections();
                (report.map(|r| r.code()), open)
            })
        })
        .collect();
    for task in tasks {
        let (code, open) = task.await.unwrap();
        assert_eq!(code.unwrap(), 250);
        assert!(open <= 2, "{open} sessions open");
    }
    assert_eq!(server.wait_for_messages(12, WAIT).await.len(), 12);
    assert!(server.max_concurrent_connections() <= 2);
    assert!(server.connections_total() <= 2, "sessions are reused");
    assert!(mailer.open_connections() <= 2);

    within(mailer.close_idle()).await;
    assert_eq!(mailer.open_connections(), 0);
}

#[tokio::test]
async fn suppress_send_records_and_sends_nothing() {
    let server = dev_server(DevTls::None).await;
    let mut settings = Settings::new(server.port(), Security::None);
    settings.suppress = true;
    let mailer = Mailer::new(&settings).unwrap();

    let message = mailer
        .verification_email("new@example.net", "Example", "https://example.com/c")
        .unwrap();
    let report = within(mailer.send(message)).await.unwrap();
    assert!(report.is_suppressed());
    assert_eq!(report.attempts(), 0);
    within(mailer.test_connection()).await.unwrap();

    let recorded = mailer.suppressed();
    assert_eq!(recorded.len(), 1);
    let raw = String::from_utf8(recorded[0].formatted()).unwrap();
    assert!(
        raw.contains("Subject: Confirm your email for Example"),
        "{raw}"
    );
    assert_eq!(
        recorded[0].headers().get_raw("Message-ID"),
        report.message_id()
    );
    assert_eq!(server.connections_total(), 0);
}

#[test]
fn message_ids_are_fresh_and_use_the_sender_domain() {
    let mailer = Mailer::new(&Settings::new(2525, Security::None)).unwrap();
    let id = |m: lettre::Message| m.headers().get_raw("Message-ID").unwrap().to_owned();
    let a = id(simple(&mailer, "a"));
    let b = id(simple(&mailer, "b"));
    assert_ne!(a, b);
    assert!(a.starts_with('<') && a.ends_with("@example.com>"), "{a}");
    assert_eq!(mailer.sender().to_string(), "Example App <app@example.com>");
}

#[test]
fn bad_recipients_and_links_are_errors() {
    let mailer = Mailer::new(&Settings::new(2525, Security::None)).unwrap();
    assert!(
        mailer
            .verification_email("not an address", "App", "https://example.com")
            .is_err()
    );
    assert!(
        mailer
            .verification_email("a@example.com", "App", "javascript:alert(1)")
            .is_err()
    );
    assert!(
        mailer
            .verification_email("a@example.com", "App\r\nBcc: x@evil.test", "https://e.com")
            .is_err()
    );
}

// ---------------------------------------------------------------------------------------------
// the blocking wrapper

#[test]
fn blocking_mailer_sends_from_a_plain_thread_and_refuses_inside_a_runtime() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(dev_server(DevTls::Implicit));
    let dir = tempfile::tempdir().unwrap();
    let settings = trusting(&server, Security::ImplicitTls, &dir);

    let sender = settings.clone();
    let report = std::thread::spawn(move || {
        let mailer = BlockingMailer::new(&sender).unwrap();
        mailer.test_connection().unwrap();
        let message = mailer
            .verification_email("Zoë <zoe@example.net>", "App", "https://example.com/c")
            .unwrap();
        mailer.send(message)
    })
    .join()
    .unwrap()
    .unwrap();
    assert_eq!(report.code(), 250);
    assert_eq!(runtime.block_on(server.wait_for_messages(1, WAIT)).len(), 1);

    let mailer = BlockingMailer::new(&settings).unwrap();
    runtime.block_on(async {
        let message = mailer
            .message()
            .to("x@example.net".parse().unwrap())
            .body(String::new())
            .unwrap();
        let err = mailer.send(message).unwrap_err();
        assert_eq!(err.stage(), Stage::Setup);
        assert_eq!(err.attempts(), 0);
        assert!(err.hint().unwrap().contains("await"), "{err}");
        assert!(mailer.test_connection().is_err());
        // Dropping it here must not panic either (its runtime shuts down in the background).
        drop(mailer);
    });
    assert_eq!(server.messages().len(), 1);
}

#[test]
fn mailer_is_clone_send_sync() {
    fn check<T: Clone + Send + Sync + 'static>() {}
    check::<Mailer>();
    fn check_send<T: Send + Sync>() {}
    check_send::<BlockingMailer>();
}
