//! `Mailer` against a scripted loopback peer that answers what the dev server never would:
//! `4xx`/`5xx` at chosen steps, dropped connections, silence, AUTH LOGIN only, a reply that
//! echoes the password. Proves the retry rules, their attempt counts and the redaction.

mod support;

use std::net::Ipv4Addr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use mailconf_smtp::{Mailer, Security, Stage};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::tcp::OwnedWriteHalf;
use tokio::net::{TcpListener, TcpStream};

use support::{Settings, USER, within};

const PASSWORD: &str = "Ech0ed-Pa55word";

// ---------------------------------------------------------------------------------------------
// the scripted peer

/// What the peer does instead of its default answer.
#[derive(Clone)]
enum Reply {
    Code(u16, String),
    /// Answer, then close the connection.
    CodeThenClose(u16, String),
    /// Close the connection without answering.
    Drop,
    /// Never answer (keep the connection open).
    Hang,
}

fn code(code: u16, text: &str) -> Option<Reply> {
    Some(Reply::Code(code, text.to_owned()))
}

/// Decides the answer at `step` ("greeting", "AUTH", "MAIL", "RCPT", "DATA", "END") of
/// connection number `n` (from 0); `None` keeps the default.
type Policy = dyn Fn(usize, &str) -> Option<Reply> + Send + Sync;

struct Script {
    extensions: &'static [&'static str],
    policy: Box<Policy>,
}

#[derive(Default)]
struct Seen {
    connections: AtomicUsize,
    delivered: AtomicUsize,
    commands: Mutex<Vec<String>>,
}

struct Peer {
    port: u16,
    seen: Arc<Seen>,
}

impl Peer {
    async fn start(
        extensions: &'static [&'static str],
        policy: impl Fn(usize, &str) -> Option<Reply> + Send + Sync + 'static,
    ) -> Peer {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let script = Arc::new(Script {
            extensions,
            policy: Box::new(policy),
        });
        let seen = Arc::new(Seen::default());
        let state = Arc::clone(&seen);
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let n = state.connections.fetch_add(1, Ordering::SeqCst);
                tokio::spawn(serve(n, stream, Arc::clone(&script), Arc::clone(&state)));
            }
        });
        Peer { port, seen }
    }

    fn connections(&self) -> usize {
        self.seen.connections.load(Ordering::SeqCst)
    }

    fn delivered(&self) -> usize {
        self.seen.delivered.load(Ordering::SeqCst)
    }

    fn commands(&self) -> Vec<String> {
        self.seen.commands.lock().unwrap().clone()
    }
}

/// Writes the reply; `false` when the connection is to end.
async fn answer(out: &mut OwnedWriteHalf, reply: Reply) -> bool {
    match reply {
        Reply::Code(code, text) => out
            .write_all(format!("{code} {text}\r\n").as_bytes())
            .await
            .is_ok(),
        Reply::CodeThenClose(code, text) => {
            let _ = out.write_all(format!("{code} {text}\r\n").as_bytes()).await;
            false
        }
        Reply::Drop => false,
        Reply::Hang => {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            false
        }
    }
}

async fn serve(n: usize, stream: TcpStream, script: Arc<Script>, seen: Arc<Seen>) {
    let (read, mut out) = stream.into_split();
    let mut lines = BufReader::new(read).lines();
    let decide = |step: &str, default: Reply| (script.policy)(n, step).unwrap_or(default);
    let ok = |text: &str| Reply::Code(250, text.to_owned());
    if !answer(
        &mut out,
        decide("greeting", Reply::Code(220, "scripted ESMTP".into())),
    )
    .await
    {
        return;
    }
    while let Ok(Some(line)) = lines.next_line().await {
        seen.commands.lock().unwrap().push(line.clone());
        let verb = line.split(' ').next().unwrap_or("").to_ascii_uppercase();
        let reply = match verb.as_str() {
            "EHLO" => {
                let mut text = String::from("250-scripted\r\n");
                for extension in script.extensions {
                    text.push_str(&format!("250-{extension}\r\n"));
                }
                text.push_str("250 OK\r\n");
                if out.write_all(text.as_bytes()).await.is_err() {
                    return;
                }
                continue;
            }
            "AUTH" => {
                let Some(password) = auth(&line, &mut lines, &mut out).await else {
                    return;
                };
                let default = if password == PASSWORD {
                    Reply::Code(235, "2.7.0 Authentication successful".into())
                } else {
                    Reply::Code(535, "5.7.8 Authentication credentials invalid".into())
                };
                (script.policy)(n, "AUTH").unwrap_or(default)
            }
            "MAIL" => decide("MAIL", ok("2.1.0 Ok")),
            "RCPT" => decide("RCPT", ok("2.1.5 Ok")),
            "DATA" => {
                let reply = decide(
                    "DATA",
                    Reply::Code(354, "End data with <CR><LF>.<CR><LF>".into()),
                );
                if !matches!(&reply, Reply::Code(354, _)) {
                    reply
                } else {
                    if !answer(&mut out, reply).await {
                        return;
                    }
                    loop {
                        match lines.next_line().await {
                            Ok(Some(line)) if line == "." => break,
                            Ok(Some(_)) => {}
                            _ => return,
                        }
                    }
                    let reply = decide("END", ok("2.0.0 Ok: queued"));
                    if matches!(&reply, Reply::Code(250, _) | Reply::CodeThenClose(250, _)) {
                        seen.delivered.fetch_add(1, Ordering::SeqCst);
                    }
                    reply
                }
            }
            "NOOP" | "RSET" => ok("2.0.0 Ok"),
            "QUIT" => Reply::CodeThenClose(221, "2.0.0 Bye".into()),
            _ => Reply::Code(502, "5.5.2 Command not recognized".into()),
        };
        if !answer(&mut out, reply).await {
            return;
        }
    }
}

/// Runs the AUTH PLAIN or LOGIN dialogue and returns the password the client sent.
async fn auth(
    line: &str,
    lines: &mut tokio::io::Lines<BufReader<tokio::net::tcp::OwnedReadHalf>>,
    out: &mut OwnedWriteHalf,
) -> Option<String> {
    let mut words = line.split(' ').skip(1);
    let mechanism = words.next()?.to_ascii_uppercase();
    let mut prompt = async |challenge: &str| {
        out.write_all(format!("334 {challenge}\r\n").as_bytes())
            .await
            .ok()?;
        let reply = lines.next_line().await.ok()??;
        String::from_utf8(base64_decode(&reply)).ok()
    };
    match mechanism.as_str() {
        "PLAIN" => {
            let response = match words.next() {
                Some(initial) => String::from_utf8(base64_decode(initial)).ok()?,
                None => prompt("").await?,
            };
            let mut fields = response.split('\0').skip(1);
            let user = fields.next()?;
            let password = fields.next()?;
            (user == USER)
                .then(|| password.to_owned())
                .or(Some(String::new()))
        }
        "LOGIN" => {
            let user = prompt(&base64_encode(b"Username:")).await?;
            let password = prompt(&base64_encode(b"Password:")).await?;
            (user == USER).then_some(password).or(Some(String::new()))
        }
        _ => None,
    }
}

const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn base64_decode(text: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0);
    for byte in text.bytes().filter(|b| *b != b'=') {
        let Some(value) = ALPHABET.iter().position(|a| *a == byte) else {
            return Vec::new();
        };
        acc = (acc << 6) | value as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

fn base64_encode(input: &[u8]) -> String {
    let mut out = String::new();
    for chunk in input.chunks(3) {
        let byte = |i: usize| u32::from(chunk.get(i).copied().unwrap_or(0));
        let triple = (byte(0) << 16) | (byte(1) << 8) | byte(2);
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((triple >> shift) & 0x3f) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// settings

/// The peer speaks plain text on loopback; one connection at a time keeps the script simple.
fn settings(peer: &Peer) -> Settings {
    Settings {
        pool_size: 1,
        ..Settings::new(peer.port, Security::None)
    }
}

fn message(mailer: &Mailer) -> lettre::Message {
    mailer
        .message()
        .to("rcpt@example.net".parse().unwrap())
        .subject("scripted")
        .body("Hello.\n".to_owned())
        .unwrap()
}

const PLAIN: &[&str] = &["8BITMIME"];

// ---------------------------------------------------------------------------------------------
// retries

#[tokio::test]
async fn a_4xx_at_rcpt_is_retried_on_a_fresh_connection() {
    let peer = Peer::start(PLAIN, |n, step| match (n, step) {
        (0, "RCPT") => code(451, "4.7.1 Greylisted, try again"),
        _ => None,
    })
    .await;
    let mailer = Mailer::new(&settings(&peer)).unwrap();
    let report = within(mailer.send(message(&mailer))).await.unwrap();
    assert_eq!(report.attempts(), 2);
    assert_eq!(report.code(), 250);
    assert_eq!(report.reply(), "2.0.0 Ok: queued");
    assert_eq!(peer.delivered(), 1);
    assert_eq!(peer.connections(), 2, "the failed session is not reused");
}

#[tokio::test]
async fn a_5xx_at_rcpt_is_not_retried() {
    let peer = Peer::start(PLAIN, |_, step| match step {
        "RCPT" => code(550, "5.1.1 No such user"),
        _ => None,
    })
    .await;
    let mailer = Mailer::new(&settings(&peer)).unwrap();
    let err = within(mailer.send(message(&mailer))).await.unwrap_err();
    assert_eq!(err.stage(), Stage::Rcpt);
    assert_eq!(err.code(), Some(550));
    assert!(err.is_permanent());
    assert_eq!(err.attempts(), 1);
    assert_eq!(err.message(), "5.1.1 No such user");
    assert_eq!(peer.connections(), 1);
    assert_eq!(peer.delivered(), 0);
}

#[tokio::test]
async fn a_421_greeting_is_retried_with_backoff_then_reported() {
    let peer = Peer::start(PLAIN, |_, step| match step {
        "greeting" => Some(Reply::CodeThenClose(
            421,
            "4.3.2 Service not available".into(),
        )),
        _ => None,
    })
    .await;
    let mailer = Mailer::new(&settings(&peer)).unwrap();
    let started = Instant::now();
    let err = within(mailer.send(message(&mailer))).await.unwrap_err();
    assert_eq!(err.stage(), Stage::Connect);
    assert_eq!(err.code(), Some(421));
    assert!(!err.is_permanent());
    assert_eq!(err.attempts(), 3);
    assert!(err.to_string().contains("[3 attempts]"), "{err}");
    // 200 ms, then 400 ms between the attempts.
    assert!(
        started.elapsed() >= Duration::from_millis(550),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(peer.connections(), 3);
}

#[tokio::test]
async fn a_dropped_connection_is_retried() {
    let peer = Peer::start(PLAIN, |n, step| match (n, step) {
        (0, "MAIL") => Some(Reply::Drop),
        _ => None,
    })
    .await;
    let mailer = Mailer::new(&settings(&peer)).unwrap();
    let report = within(mailer.send(message(&mailer))).await.unwrap();
    assert_eq!(report.attempts(), 2);
    assert_eq!(peer.delivered(), 1);
}

#[tokio::test]
async fn a_4xx_after_the_data_is_retried_and_a_5xx_is_not() {
    let peer = Peer::start(PLAIN, |n, step| match (n, step) {
        (0, "END") => code(452, "4.3.1 Insufficient system storage"),
        (_, "END") => code(554, "5.6.0 Message rejected as spam"),
        _ => None,
    })
    .await;
    let mailer = Mailer::new(&settings(&peer)).unwrap();
    let err = within(mailer.send(message(&mailer))).await.unwrap_err();
    assert_eq!(err.stage(), Stage::Data);
    assert_eq!(err.code(), Some(554));
    assert_eq!(err.attempts(), 2);
    assert!(err.is_permanent());
}

#[tokio::test]
async fn retries_stop_when_the_timeout_would_run_out() {
    let peer = Peer::start(PLAIN, |_, step| match step {
        "RCPT" => code(451, "4.7.1 Try again later"),
        _ => None,
    })
    .await;
    let mut settings = settings(&peer);
    // Attempt 2 starts after the 200 ms back-off; a third would need 400 ms more.
    settings.timeout = Duration::from_millis(500);
    let mailer = Mailer::new(&settings).unwrap();
    let started = Instant::now();
    let err = within(mailer.send(message(&mailer))).await.unwrap_err();
    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(err.code(), Some(451));
    assert_eq!(
        err.attempts(),
        2,
        "a third attempt would start after the timeout"
    );
}

#[tokio::test]
async fn a_server_that_goes_silent_during_delivery_is_bounded_by_the_timeout() {
    let peer = Peer::start(PLAIN, |_, step| match step {
        "END" => Some(Reply::Hang),
        _ => None,
    })
    .await;
    let mut settings = settings(&peer);
    settings.timeout = Duration::from_secs(1);
    let mailer = Mailer::new(&settings).unwrap();
    let started = Instant::now();
    let err = within(mailer.send(message(&mailer))).await.unwrap_err();
    assert!(
        started.elapsed() < Duration::from_millis(2500),
        "{:?}",
        started.elapsed()
    );
    assert!(err.is_timeout());
    assert_eq!(err.stage(), Stage::Data);
    assert!(err.hint().unwrap().contains("TIMEOUT"), "{err}");
    assert_eq!(mailer.open_connections(), 0);
}

#[tokio::test]
async fn a_pooled_session_closed_by_the_server_is_replaced_without_an_error() {
    let peer = Peer::start(PLAIN, |_, step| match step {
        "END" => Some(Reply::CodeThenClose(250, "2.0.0 Ok: queued".into())),
        _ => None,
    })
    .await;
    let mailer = Mailer::new(&settings(&peer)).unwrap();
    for _ in 0..2 {
        let report = within(mailer.send(message(&mailer))).await.unwrap();
        assert_eq!(report.attempts(), 1);
    }
    assert_eq!(peer.delivered(), 2);
    assert_eq!(peer.connections(), 2);
}

// ---------------------------------------------------------------------------------------------
// login

#[tokio::test]
async fn auth_login_is_used_when_it_is_the_only_mechanism() {
    let peer = Peer::start(&["AUTH LOGIN"], |_, _| None).await;
    let mut settings = settings(&peer);
    settings = settings.login(PASSWORD);
    let mailer = Mailer::new(&settings).unwrap();
    within(mailer.send(message(&mailer))).await.unwrap();
    assert!(
        peer.commands().contains(&"AUTH LOGIN".to_owned()),
        "{:?}",
        peer.commands()
    );
    assert_eq!(peer.delivered(), 1);

    settings = settings.login("wrong");
    let mailer = Mailer::new(&settings).unwrap();
    let err = within(mailer.send(message(&mailer))).await.unwrap_err();
    assert_eq!(
        (err.stage(), err.code(), err.attempts()),
        (Stage::Auth, Some(535), 1)
    );
    assert!(err.hint().unwrap().contains("app password"));
}

#[tokio::test]
async fn auth_plain_is_preferred_when_offered() {
    let peer = Peer::start(&["AUTH LOGIN PLAIN"], |_, _| None).await;
    let mut settings = settings(&peer);
    settings = settings.login(PASSWORD);
    let mailer = Mailer::new(&settings).unwrap();
    within(mailer.send(message(&mailer))).await.unwrap();
    assert!(peer.commands().iter().any(|c| c.starts_with("AUTH PLAIN ")));
}

#[tokio::test]
async fn a_password_echoed_by_the_server_is_redacted() {
    let peer = Peer::start(&["AUTH PLAIN"], |_, step| match step {
        "AUTH" => code(535, &format!("5.7.8 password {PASSWORD} is not {PASSWORD}")),
        _ => None,
    })
    .await;
    let mut settings = settings(&peer);
    settings = settings.login(PASSWORD);
    let mailer = Mailer::new(&settings).unwrap();
    let err = within(mailer.send(message(&mailer))).await.unwrap_err();
    assert_eq!(err.message(), "5.7.8 password [redacted] is not [redacted]");
    for text in [err.to_string(), format!("{err:?}"), format!("{mailer:?}")] {
        assert!(!text.contains(PASSWORD), "password leaked: {text}");
    }
}

#[tokio::test]
async fn mail_from_refused_names_the_sender_setting() {
    let peer = Peer::start(PLAIN, |_, step| match step {
        "MAIL" => code(553, "5.7.1 Sender address rejected: not owned by user"),
        _ => None,
    })
    .await;
    let mailer = Mailer::new(&settings(&peer)).unwrap();
    let err = within(mailer.send(message(&mailer))).await.unwrap_err();
    assert_eq!(
        (err.stage(), err.code(), err.attempts()),
        (Stage::MailFrom, Some(553), 1)
    );
    assert!(err.hint().unwrap().contains("MAIL_FROM"), "{err}");
}

#[tokio::test]
async fn eight_bit_content_needs_8bitmime() {
    let peer = Peer::start(&[], |_, _| None).await;
    let mailer = Mailer::new(&settings(&peer)).unwrap();
    let body = lettre::message::Body::new_with_encoding(
        "Grüße\n".to_owned(),
        lettre::message::header::ContentTransferEncoding::EightBit,
    )
    .unwrap();
    let message = mailer
        .message()
        .to("rcpt@example.net".parse().unwrap())
        .body(body)
        .unwrap();
    let err = within(mailer.send(message)).await.unwrap_err();
    assert_eq!(err.stage(), Stage::MailFrom);
    assert!(err.message().contains("8BITMIME"), "{err}");
    assert!(err.is_permanent());
    assert_eq!(peer.delivered(), 0);
}
