//! `Mailer` against the loopback dev server: sending in each TLS mode, with what arrived
//! decoded and checked. Failures are in `mailer_failures.rs`, limits in `mailer_limits.rs`.

mod support;

use mailconf_smtp::dev_server::{DevServer, DevTls, ReceivedMessage};
use mailconf_smtp::{Mailer, Security};
use support::*;

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

/// Fuzz finding 9: an app name shaped like an encoded word went into the subject as it was,
/// and readers decoded it into another text.
#[tokio::test]
async fn a_verification_subject_shaped_like_an_encoded_word_is_encoded() {
    let (_server, settings) = plain_server().await;
    let mailer = Mailer::new(&settings).unwrap();
    let message = mailer
        .verification_email(
            "zoe@example.net",
            "=?utf-8?q?App?=",
            "https://example.com/c",
        )
        .unwrap();
    let raw = String::from_utf8(message.formatted()).unwrap();
    let start = raw.find("\r\nSubject: ").unwrap() + "\r\nSubject: ".len();
    let line = &raw[start..];
    let mut end = line.find("\r\n").unwrap();
    while line[end..].starts_with("\r\n ") {
        end += 2 + line[end + 2..].find("\r\n").unwrap();
    }
    let subject = line[..end].replace("\r\n", "");
    assert!(!subject.contains("=?utf-8?q?App?="), "{raw}");
    assert_eq!(
        decode_header(&subject),
        "Confirm your email for =?utf-8?q?App?="
    );
}

// ---------------------------------------------------------------------------------------------
// sending in each mode

#[tokio::test]
async fn plain_loopback_delivers_utf8_headers_both_parts_and_the_envelope() {
    let (server, mut settings) = plain_server().await;
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

    sends_over_tls_as_user(&mailer, &server, "over STARTTLS").await;
}

/// `mailer` sends a message with `subject`, and `server` got it over TLS from `USER`.
async fn sends_over_tls_as_user(mailer: &Mailer, server: &DevServer, subject: &str) {
    let report = within(mailer.send(simple(mailer, subject))).await.unwrap();
    assert_eq!(report.code(), 250);
    let got = &server.wait_for_messages(1, WAIT).await[0];
    assert!(got.tls);
    assert_eq!(got.auth_user.as_deref(), Some(USER));
    assert_eq!(got.subject().as_deref(), Some(subject));
}

#[tokio::test]
async fn implicit_tls_with_auth_trusting_the_dev_ca_file() {
    let dir = tempfile::tempdir().unwrap();
    let server = dev_server(DevTls::Implicit).await;
    let mailer = Mailer::new(&trusting(&server, Security::ImplicitTls, &dir)).unwrap();

    within(mailer.test_connection()).await.unwrap();
    sends_over_tls_as_user(&mailer, &server, "over implicit TLS").await;
    // The tested session was kept and reused for the send.
    assert_eq!(server.connections_total(), 1);
}

#[tokio::test]
async fn auth_over_plain_loopback_when_the_server_allows_it() {
    let server = with_plain_login(DevTls::None).start().await.unwrap();
    let mailer =
        Mailer::new(&Settings::new(server.port(), Security::Plain).login(PASSWORD)).unwrap();
    within(mailer.send(simple(&mailer, "plain auth")))
        .await
        .unwrap();
    let got = &server.wait_for_messages(1, WAIT).await[0];
    assert_eq!(got.auth_user.as_deref(), Some(USER));
}
