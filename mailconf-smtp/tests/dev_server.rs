//! The development SMTP server, driven by lettre (the real client) and by a raw socket where a
//! test needs to say something lettre never would.
#![cfg(feature = "dev-server")]

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{Certificate, CertificateStore, Tls, TlsParameters};
use lettre::transport::smtp::{AsyncSmtpTransportBuilder, Error as SmtpError};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use mailconf_smtp::dev_server::{DevServer, DevTls, ReceivedMessage};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::time::timeout;

/// Upper bound for any single client step, so a server bug fails a test instead of hanging it.
const STEP: Duration = Duration::from_secs(10);
const BODY: &str = "Hello from the dev-server test.\r\n";

// ---------------------------------------------------------------------------------------------
// helpers

fn trust(server: &DevServer) -> TlsParameters {
    TlsParameters::builder("localhost".to_owned())
        .add_root_certificate(Certificate::from_pem(server.ca_pem().as_bytes()).unwrap())
        .certificate_store(CertificateStore::None)
        .build_rustls()
        .unwrap()
}

fn client(server: &DevServer, tls: Tls) -> AsyncSmtpTransportBuilder {
    AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous("127.0.0.1")
        .port(server.port())
        .tls(tls)
        .timeout(Some(STEP))
}

/// A client that insists on STARTTLS, trusts the server's CA and logs in as `user`.
fn login(server: &DevServer, user: &str, password: &str) -> AsyncSmtpTransportBuilder {
    client(server, Tls::Required(trust(server)))
        .credentials(Credentials::new(user.to_owned(), password.to_owned()))
}

/// A plaintext server with no users.
async fn plain_server() -> DevServer {
    DevServer::builder()
        .tls(DevTls::None)
        .start()
        .await
        .unwrap()
}

/// A STARTTLS server (the default) with one user, alice, whose password is "pw".
async fn alice_server() -> DevServer {
    DevServer::builder()
        .user("alice", "pw")
        .start()
        .await
        .unwrap()
}

/// A plaintext server that lets alice ("pw") log in without TLS, for raw AUTH exchanges.
async fn plain_auth_server() -> DevServer {
    DevServer::builder()
        .tls(DevTls::None)
        .user("alice", "pw")
        .allow_auth_without_tls(true)
        .start()
        .await
        .unwrap()
}

fn email(subject: &str) -> Message {
    Message::builder()
        .from("Sender <sender@example.com>".parse::<Mailbox>().unwrap())
        .to("rcpt@example.net".parse::<Mailbox>().unwrap())
        .subject(subject)
        .body(BODY.to_owned())
        .unwrap()
}

async fn send(
    transport: &AsyncSmtpTransport<Tokio1Executor>,
    message: Message,
) -> Result<lettre::transport::smtp::response::Response, SmtpError> {
    timeout(STEP, transport.send(message))
        .await
        .expect("lettre did not finish in time")
}

fn status(err: &SmtpError) -> Option<u16> {
    err.status().map(u16::from)
}

/// Asserts that exactly one message arrived, over TLS, sent by `user` with `subject`.
fn assert_one_tls_message(server: &DevServer, user: &str, subject: &str) -> ReceivedMessage {
    let mut messages = server.messages();
    assert_eq!(messages.len(), 1);
    let m = messages.remove(0);
    assert_eq!(m.auth_user.as_deref(), Some(user));
    assert!(m.tls);
    assert_eq!(m.subject().as_deref(), Some(subject));
    m
}

/// Polls `check` every 10 ms until it holds or [`STEP`] has passed; returns whether it held.
async fn eventually(mut check: impl AsyncFnMut() -> bool) -> bool {
    let deadline = Instant::now() + STEP;
    while !check().await {
        if Instant::now() >= deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    true
}

/// Asserts that every line of `reply` starts with `code` and the last with `"{code} "`, which
/// also fails an empty reply (the connection closed).
fn assert_code(reply: &str, code: u16, after: &str) {
    let code = code.to_string();
    let last = format!("{code} ");
    assert!(
        reply.lines().all(|line| line.starts_with(&code))
            && reply
                .lines()
                .last()
                .is_some_and(|line| line.starts_with(&last)),
        "{after}: expected {code}, got {reply:?}"
    );
}

/// A line-level SMTP client for the conversations lettre would not have.
struct RawClient {
    io: BufReader<TcpStream>,
}

impl RawClient {
    /// Connects and returns the client with the greeting already read.
    async fn connect(addr: SocketAddr) -> (Self, String) {
        let tcp = timeout(STEP, TcpStream::connect(addr))
            .await
            .unwrap()
            .unwrap();
        let mut client = Self {
            io: BufReader::new(tcp),
        };
        let greeting = client.reply().await;
        (client, greeting)
    }

    /// Reads one (possibly multi-line) reply; empty string on EOF.
    async fn reply(&mut self) -> String {
        let mut all = String::new();
        loop {
            let mut line = String::new();
            let n = timeout(STEP, self.io.read_line(&mut line))
                .await
                .expect("server did not answer in time")
                .unwrap();
            all.push_str(&line);
            if n == 0 || line.as_bytes().get(3) != Some(&b'-') {
                return all;
            }
        }
    }

    async fn send_raw(&mut self, bytes: &[u8]) {
        self.io.get_mut().write_all(bytes).await.unwrap();
    }

    async fn cmd(&mut self, line: &str) -> String {
        self.send_raw(format!("{line}\r\n").as_bytes()).await;
        self.reply().await
    }

    /// Reads a reply and asserts its code (see `assert_code`).
    async fn expect_reply(&mut self, code: u16) -> String {
        let reply = self.reply().await;
        assert_code(&reply, code, "the reply");
        reply
    }

    /// Sends `line` and asserts the code of the reply (see `assert_code`).
    async fn expect(&mut self, line: &str, code: u16) -> String {
        let reply = self.cmd(line).await;
        assert_code(&reply, code, line);
        reply
    }

    /// True once the server has closed the connection.
    async fn at_eof(&mut self) -> bool {
        let mut rest = Vec::new();
        let n = timeout(STEP, self.io.read_to_end(&mut rest))
            .await
            .expect("server did not close in time")
            .unwrap_or(0);
        n == 0
    }
}

// ---------------------------------------------------------------------------------------------
// sending through lettre

#[tokio::test]
async fn plaintext_send_records_envelope_headers_and_body() {
    let server = plain_server().await;
    assert_eq!(server.tls(), DevTls::None);
    assert!(server.addr().ip().is_loopback());
    let transport = client(&server, Tls::None).build();

    let message = Message::builder()
        .from("Sender <sender@example.com>".parse::<Mailbox>().unwrap())
        .to("rcpt@example.net".parse::<Mailbox>().unwrap())
        .cc("copy@example.org".parse::<Mailbox>().unwrap())
        .bcc("hidden@example.org".parse::<Mailbox>().unwrap())
        .subject("Plain hello")
        .body(BODY.to_owned())
        .unwrap();
    let response = send(&transport, message).await.unwrap();
    assert_eq!(u16::from(response.code()), 250);

    let messages = server.messages();
    assert_eq!(messages.len(), 1);
    let m = &messages[0];
    assert_eq!(m.mail_from, "sender@example.com");
    let mut rcpt = m.rcpt_to.clone();
    rcpt.sort();
    assert_eq!(
        rcpt,
        ["copy@example.org", "hidden@example.org", "rcpt@example.net"]
    );
    assert!(!m.helo.is_empty());
    assert_eq!(m.auth_user, None);
    assert!(!m.tls);
    assert_eq!(m.subject().as_deref(), Some("Plain hello"));
    assert_eq!(m.header("to").as_deref(), Some("rcpt@example.net"));
    assert_eq!(m.header("Bcc"), None, "lettre strips Bcc from the headers");
    // lettre always writes CRLF "." CRLF after the message, so a body that already ends in CRLF
    // arrives with an extra empty line.
    assert_eq!(m.body().trim_ascii_end(), BODY.trim_end().as_bytes());
}

#[tokio::test]
async fn starttls_with_auth_plain() {
    let server = DevServer::builder()
        .user("alice", "correct horse")
        .start()
        .await
        .unwrap();
    assert_eq!(server.tls(), DevTls::StartTls);
    let transport = login(&server, "alice", "correct horse")
        .authentication(vec![Mechanism::Plain])
        .build();

    send(&transport, email("Over STARTTLS")).await.unwrap();

    let m = assert_one_tls_message(&server, "alice", "Over STARTTLS");
    assert_eq!(m.rcpt_to, ["rcpt@example.net"]);
}

#[tokio::test]
async fn starttls_with_auth_login() {
    let server = DevServer::builder()
        .tls(DevTls::StartTls)
        .user("bob", "pa:ss word")
        .start()
        .await
        .unwrap();
    let transport = login(&server, "bob", "pa:ss word")
        .authentication(vec![Mechanism::Login])
        .build();

    send(&transport, email("Via LOGIN")).await.unwrap();

    assert_one_tls_message(&server, "bob", "Via LOGIN");
}

#[tokio::test]
async fn implicit_tls_with_auth() {
    let server = DevServer::builder()
        .tls(DevTls::Implicit)
        .user("alice", "pw")
        .user("carol", "other")
        .start()
        .await
        .unwrap();
    let transport = client(&server, Tls::Wrapper(trust(&server)))
        .credentials(Credentials::new("carol".into(), "other".into()))
        .build();

    send(&transport, email("Implicit")).await.unwrap();

    assert_one_tls_message(&server, "carol", "Implicit");
}

#[tokio::test]
async fn pooled_transport_reuses_one_authenticated_connection() {
    let server = alice_server().await;
    let transport = login(&server, "alice", "pw").build();

    for i in 0..3 {
        send(&transport, email(&format!("pooled {i}")))
            .await
            .unwrap();
        // lettre hands a used connection back to its pool on a spawned task; without a pause
        // the next send can open a second connection before the first is parked again.
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    assert_eq!(server.messages().len(), 3);
    assert_eq!(server.connections_total(), 1);
    assert_eq!(server.max_concurrent_connections(), 1);
}

#[tokio::test]
async fn a_client_that_does_not_trust_the_ca_is_refused() {
    let server = DevServer::builder().start().await.unwrap();
    // Only the public roots: the throw-away CA is not among them.
    let params = TlsParameters::new("localhost".to_owned()).unwrap();
    let transport = client(&server, Tls::Required(params)).build();

    let err = send(&transport, email("untrusted")).await.unwrap_err();
    assert!(err.to_string().contains("UnknownIssuer"), "{err}");
    assert!(server.messages().is_empty());
}

// ---------------------------------------------------------------------------------------------
// refusals

#[tokio::test]
async fn wrong_password_gets_535_and_nothing_is_stored() {
    let server = alice_server().await;
    let attempts = [("alice", "wrong"), ("mallory", "pw")]
        .into_iter()
        .flat_map(|(user, password)| {
            [Mechanism::Plain, Mechanism::Login].map(|mechanism| (user, password, mechanism))
        });
    for (user, password, mechanism) in attempts {
        let transport = login(&server, user, password)
            .authentication(vec![mechanism])
            .build();
        let err = send(&transport, email("nope")).await.unwrap_err();
        assert_eq!(status(&err), Some(535), "{user}/{mechanism:?}: {err}");
    }
    assert!(server.messages().is_empty());
}

#[tokio::test]
async fn auth_is_not_offered_or_accepted_before_starttls() {
    let server = alice_server().await;

    // lettre finds no AUTH on the plaintext EHLO and gives up before sending credentials.
    let transport = client(&server, Tls::None)
        .credentials(Credentials::new("alice".into(), "pw".into()))
        .build();
    let err = send(&transport, email("clear")).await.unwrap_err();
    assert!(
        err.to_string()
            .contains("No compatible authentication mechanism"),
        "{err}"
    );

    // A client that sends them anyway is refused with 538 even though they are correct.
    let (mut raw, greeting) = RawClient::connect(server.addr()).await;
    assert_code(&greeting, 220, "the greeting");
    let ehlo = raw.expect("EHLO raw.example", 250).await;
    assert!(ehlo.contains("STARTTLS"), "{ehlo}");
    assert!(!ehlo.contains("AUTH"), "{ehlo}");
    // base64("\0alice\0pw")
    raw.expect("AUTH PLAIN AGFsaWNlAHB3", 538).await;
    raw.expect("AUTH LOGIN", 538).await;
    raw.expect("MAIL FROM:<sender@example.com>", 530).await;
    raw.expect("QUIT", 221).await;

    assert!(server.messages().is_empty());
}

#[tokio::test]
async fn required_tls_client_refuses_a_server_without_starttls() {
    let server = DevServer::builder()
        .tls(DevTls::StartTls)
        .advertise_starttls(false)
        .start()
        .await
        .unwrap();
    let transport = client(&server, Tls::Required(trust(&server))).build();

    let err = send(&transport, email("must not leave")).await.unwrap_err();
    assert!(
        err.to_string().contains("STARTTLS is not supported"),
        "{err}"
    );
    assert!(server.messages().is_empty());

    // Nor does the server upgrade when asked regardless.
    let (mut raw, _) = RawClient::connect(server.addr()).await;
    let ehlo = raw.expect("EHLO raw.example", 250).await;
    assert!(!ehlo.contains("STARTTLS"), "{ehlo}");
    raw.expect("STARTTLS", 502).await;
}

#[tokio::test]
async fn oversized_message_gets_552_and_is_not_stored() {
    let server = DevServer::builder()
        .tls(DevTls::None)
        .max_message_size(1024)
        .start()
        .await
        .unwrap();
    let transport = client(&server, Tls::None).build();
    let big = Message::builder()
        .from("sender@example.com".parse::<Mailbox>().unwrap())
        .to("rcpt@example.net".parse::<Mailbox>().unwrap())
        .subject("big")
        .body("x".repeat(70).repeat(100))
        .unwrap();

    let err = send(&transport, big).await.unwrap_err();
    assert_eq!(status(&err), Some(552), "{err}");
    assert!(server.messages().is_empty());

    // A fresh connection still works.
    send(&client(&server, Tls::None).build(), email("small"))
        .await
        .unwrap();
    assert_eq!(server.messages().len(), 1);
}

// ---------------------------------------------------------------------------------------------
// protocol details (raw socket)

#[tokio::test]
async fn authenticated_session_survives_rset_and_second_ehlo() {
    let server = plain_auth_server().await;
    let (mut raw, _) = RawClient::connect(server.addr()).await;
    let ehlo = raw.expect("EHLO raw.example", 250).await;
    assert!(ehlo.contains("AUTH PLAIN LOGIN"), "{ehlo}");
    raw.expect("MAIL FROM:<a@example.com>", 530).await;
    // base64("\0alice\0wrong"), then the right one
    raw.expect("AUTH PLAIN AGFsaWNlAHdyb25n", 535).await;
    raw.expect("AUTH PLAIN AGFsaWNlAHB3", 235).await;
    raw.expect("AUTH PLAIN AGFsaWNlAHB3", 503).await;

    for reset in ["RSET", "EHLO again.example"] {
        raw.expect(reset, 250).await;
        raw.expect("MAIL FROM:<a@example.com>", 250).await;
        raw.expect("RCPT TO:<b@example.com>", 250).await;
        raw.expect("DATA", 354).await;
        raw.send_raw(b"Subject: raw\r\n\r\nbody\r\n..leading dot\r\n.\r\n")
            .await;
        raw.expect_reply(250).await;
    }
    raw.expect("QUIT", 221).await;

    let messages = server.messages();
    assert_eq!(messages.len(), 2);
    assert_eq!(messages[1].helo, "again.example");
    for m in &messages {
        assert_eq!(m.auth_user.as_deref(), Some("alice"));
        assert!(!m.tls);
        assert_eq!(m.mail_from, "a@example.com");
        assert_eq!(m.data, b"Subject: raw\r\n\r\nbody\r\n.leading dot\r\n");
    }
}

#[tokio::test]
async fn cancelled_or_malformed_auth_exchange_returns_to_commands() {
    let server = plain_auth_server().await;
    let (mut raw, _) = RawClient::connect(server.addr()).await;
    raw.expect("EHLO raw.example", 250).await;

    let exchange = [
        ("AUTH LOGIN", 334),
        ("*", 501),
        ("AUTH LOGIN", 334),
        ("YWxpY2U=", 334),
        ("not base64!", 501),
        ("AUTH PLAIN", 334),
        ("*", 501),
        ("MAIL FROM:<a@example.com>", 530),
        // Back at a normal command prompt, a real login still works.
        ("AUTH PLAIN AGFsaWNlAHB3", 235),
        ("MAIL FROM:<a@example.com>", 250),
        ("QUIT", 221),
    ];
    for (line, code) in exchange {
        raw.expect(line, code).await;
    }
}

#[tokio::test]
async fn commands_pipelined_after_starttls_end_the_connection() {
    let server = DevServer::builder().start().await.unwrap();
    let (mut raw, _) = RawClient::connect(server.addr()).await;
    raw.expect("EHLO raw.example", 250).await;
    raw.send_raw(b"STARTTLS\r\nEHLO injected.example\r\n").await;
    raw.expect_reply(220).await;
    assert!(raw.at_eof().await);
}

#[tokio::test]
async fn overlong_line_is_refused_and_closes() {
    let server = plain_server().await;
    let (mut raw, _) = RawClient::connect(server.addr()).await;
    let long = format!("EHLO {}", "a".repeat(20_000));
    let reply = raw.cmd(&long).await;
    assert_code(&reply, 500, "an overlong EHLO");
    assert!(raw.at_eof().await);
}

#[tokio::test]
async fn idle_connection_is_closed() {
    let server = DevServer::builder()
        .tls(DevTls::None)
        .idle_timeout(Duration::from_millis(300))
        .start()
        .await
        .unwrap();
    let (mut raw, _) = RawClient::connect(server.addr()).await;
    let started = Instant::now();
    raw.expect_reply(421).await;
    assert!(started.elapsed() >= Duration::from_millis(250));
    assert!(raw.at_eof().await);
}

// ---------------------------------------------------------------------------------------------
// the handle: concurrency, waiting, shutdown

#[tokio::test]
async fn two_concurrent_clients() {
    let server = alice_server().await;
    let make = || login(&server, "alice", "pw").build();
    let (a, b) = (make(), make());
    let (ra, rb) = tokio::join!(send(&a, email("first")), send(&b, email("second")));
    ra.unwrap();
    rb.unwrap();

    let messages = server.wait_for_messages(2, STEP).await;
    let mut subjects: Vec<_> = messages.iter().filter_map(|m| m.subject()).collect();
    subjects.sort();
    assert_eq!(subjects, ["first", "second"]);
    assert_eq!(server.connections_total(), 2);

    // Two connections held open at once are both counted.
    let fresh = plain_server().await;
    let (one, _) = RawClient::connect(fresh.addr()).await;
    let (two, _) = RawClient::connect(fresh.addr()).await;
    assert_eq!(fresh.connections_open(), 2);
    assert_eq!(fresh.max_concurrent_connections(), 2);
    drop((one, two));
    eventually(async || fresh.connections_open() == 0).await;
    assert_eq!(fresh.connections_open(), 0);
    assert_eq!(fresh.connections_total(), 2);
}

#[tokio::test]
async fn wait_for_messages_and_subscribe() {
    let server = plain_server().await;
    let mut events = server.subscribe();
    let transport = client(&server, Tls::None).build();
    let sender = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(100)).await;
        send(&transport, email("later")).await.unwrap();
    });

    let started = Instant::now();
    let messages = server.wait_for_messages(1, STEP).await;
    assert_eq!(messages.len(), 1);
    assert!(started.elapsed() < STEP);
    let event = timeout(STEP, events.recv()).await.unwrap().unwrap();
    assert_eq!(event.subject().as_deref(), Some("later"));
    sender.await.unwrap();

    // On timeout it returns what is there.
    let started = Instant::now();
    let messages = server
        .wait_for_messages(2, Duration::from_millis(200))
        .await;
    assert_eq!(messages.len(), 1);
    assert!(started.elapsed() >= Duration::from_millis(200));
}

#[tokio::test]
async fn shutdown_refuses_new_connections() {
    let server = plain_server().await;
    let addr = server.addr();
    let transport = client(&server, Tls::None).build();
    send(&transport, email("before")).await.unwrap();
    // The pooled connection is still open; shutdown must close it as well.
    let (mut idle, _) = RawClient::connect(addr).await;

    timeout(STEP, server.shutdown()).await.unwrap();

    assert!(TcpStream::connect(addr).await.is_err());
    assert!(idle.at_eof().await);
    let fresh = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous("127.0.0.1")
        .port(addr.port())
        .build();
    assert!(send(&fresh, email("after")).await.is_err());
}

#[tokio::test]
async fn dropping_the_server_stops_it() {
    let server = plain_server().await;
    let addr = server.addr();
    drop(server);
    let refused = eventually(async || TcpStream::connect(addr).await.is_err()).await;
    assert!(refused, "still accepting after drop");
}

// ---------------------------------------------------------------------------------------------
// certificates and secrets

#[tokio::test]
async fn ca_file_is_written() {
    let server = DevServer::builder().start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = server.write_ca_file(dir.path()).unwrap();
    assert_eq!(path, dir.path().join("dev-ca.pem"));
    let written = std::fs::read_to_string(&path).unwrap();
    assert_eq!(written, server.ca_pem());
    assert!(written.starts_with("-----BEGIN CERTIFICATE-----"));
}

#[test]
fn debug_output_redacts_passwords() {
    let builder = DevServer::builder().user("alice", "hunter2");
    let debug = format!("{builder:?}");
    assert!(debug.contains("alice"), "{debug}");
    assert!(!debug.contains("hunter2"), "{debug}");
}
