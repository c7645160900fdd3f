//! What `Mailer::send` guarantees about every message it sends, whoever built it: the MIME
//! headers readers need to show it correctly, and lines short enough for SMTP.
//!
//! lettre's `MessageBuilder::body(String)` picks a transfer encoding but sets neither
//! `MIME-Version` nor `Content-Type`, so a UTF-8 body is read as US-ASCII (mojibake). Rather
//! than refuse such a message, `send` completes it, because what is missing is known:
//! - no `Date`: the current time;
//! - no `MIME-Version`: `1.0`;
//! - no `Content-Type` (neither on the message nor on a single part lettre wrote in its place):
//!   `text/plain; charset=utf-8` when the decoded body is UTF-8 (it is for every `String`
//!   body), `application/octet-stream` otherwise, never a charset the bytes do not have.
//!
//! Headers the caller set are never changed. What cannot be completed without changing the
//! content is refused before anything is sent: a line longer than 998 octets (RFC 5322 §2.1.1),
//! which only a body the caller pre-encoded (`Body::dangerous_pre_encoded`, a `binary` or `8bit`
//! transfer encoding chosen by hand) can contain.

use base64::Engine as _;
use lettre::Message;
use lettre::message::header::{self, ContentType, Date};

/// The longest line SMTP carries, without its CRLF.
pub(super) const MAX_LINE: usize = 998;

/// Why a message cannot be sent as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Malformed {
    pub line: usize,
    pub octets: usize,
}

impl std::fmt::Display for Malformed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the message cannot be sent as built: line {} is {} octets long, and SMTP allows \
             at most {MAX_LINE}; give the body as a String or Vec<u8> (lettre then picks \
             quoted-printable or base64) instead of pre-encoding it",
            self.line, self.octets
        )
    }
}

/// Adds what is missing (see the module docs) and checks the line length.
pub(super) fn complete(message: &mut Message) -> Result<(), Malformed> {
    if message.headers().get_raw("Date").is_none() {
        message.headers_mut().set(Date::now());
    }
    let formatted = message.formatted();
    let (head, body) = split(&formatted);
    if header(head, "MIME-Version").is_none() {
        message.headers_mut().set(header::MIME_VERSION_1_0);
    }
    if header(head, "Content-Type").is_none() {
        let encoding = header(head, "Content-Transfer-Encoding").unwrap_or_default();
        let content_type = if decodes_to_utf8(&encoding, body) {
            ContentType::TEXT_PLAIN
        } else {
            ContentType::parse("application/octet-stream").expect("a valid content type")
        };
        message.headers_mut().set(content_type);
    }
    check_lines(&message.formatted())
}

fn check_lines(formatted: &[u8]) -> Result<(), Malformed> {
    for (i, line) in formatted.split(|&b| b == b'\n').enumerate() {
        let octets = line.strip_suffix(b"\r").unwrap_or(line).len();
        if octets > MAX_LINE {
            return Err(Malformed {
                line: i + 1,
                octets,
            });
        }
    }
    Ok(())
}

/// The header block (up to the first empty line) and the rest. For a message lettre built from
/// a single part, the block holds the part's headers too: that is what a reader sees.
fn split(formatted: &[u8]) -> (&[u8], &[u8]) {
    match formatted.windows(4).position(|w| w == b"\r\n\r\n") {
        Some(end) => (&formatted[..end + 2], &formatted[end + 4..]),
        None => (formatted, &[]),
    }
}

/// The unfolded value of the first header `name`, lower-cased and trimmed.
fn header(head: &[u8], name: &str) -> Option<String> {
    let text = String::from_utf8_lossy(head);
    let mut lines = text.split("\r\n").peekable();
    while let Some(line) = lines.next() {
        let Some((field, value)) = line.split_once(':') else {
            continue;
        };
        if !field.eq_ignore_ascii_case(name) {
            continue;
        }
        let mut value = value.trim().to_owned();
        while let Some(next) = lines.next_if(|l| l.starts_with([' ', '\t'])) {
            value.push(' ');
            value.push_str(next.trim());
        }
        return Some(value.to_ascii_lowercase());
    }
    None
}

fn decodes_to_utf8(encoding: &str, body: &[u8]) -> bool {
    match encoding {
        "base64" => {
            let compact: Vec<u8> = body
                .iter()
                .copied()
                .filter(|b| !b.is_ascii_whitespace())
                .collect();
            base64::engine::general_purpose::STANDARD
                .decode(compact)
                .is_ok_and(|bytes| std::str::from_utf8(&bytes).is_ok())
        }
        "quoted-printable" => quoted_printable::decode(body, quoted_printable::ParseMode::Robust)
            .is_ok_and(|bytes| std::str::from_utf8(&bytes).is_ok()),
        _ => std::str::from_utf8(body).is_ok(),
    }
}

#[cfg(test)]
mod tests {
    use lettre::message::header::ContentTransferEncoding;
    use lettre::message::{Body, SinglePart};

    use super::*;

    fn builder() -> lettre::message::MessageBuilder {
        Message::builder()
            .from("김민준 <app@example.com>".parse().unwrap())
            .to("zoe@example.org".parse().unwrap())
            .subject("안녕하세요")
    }

    fn text(message: &Message) -> String {
        String::from_utf8(message.formatted()).unwrap()
    }

    #[test]
    fn a_string_body_gets_mime_version_and_a_utf8_text_type() {
        let mut message = builder().body("한국어 본문".to_owned()).unwrap();
        assert!(
            message.headers().get_raw("Content-Type").is_none(),
            "lettre's gap"
        );
        complete(&mut message).unwrap();
        let text = text(&message);
        assert!(text.contains("MIME-Version: 1.0\r\n"), "{text}");
        assert!(
            text.contains("Content-Type: text/plain; charset=utf-8\r\n"),
            "{text}"
        );
        assert_eq!(text.matches("Content-Type:").count(), 1, "{text}");
    }

    #[test]
    fn bytes_that_are_not_utf8_are_not_called_text() {
        let mut message = builder().body(vec![0xff, 0xfe, 0x00, 0x80]).unwrap();
        complete(&mut message).unwrap();
        let text = text(&message);
        assert!(
            text.contains("Content-Type: application/octet-stream\r\n"),
            "{text}"
        );
    }

    #[test]
    fn utf8_bytes_in_base64_are_text() {
        let mut message = builder().body("바이트".as_bytes().to_vec()).unwrap();
        complete(&mut message).unwrap();
        assert!(text(&message).contains("Content-Type: text/plain; charset=utf-8\r\n"));
    }

    #[test]
    fn what_the_caller_set_is_kept() {
        let mut message = builder()
            .header(ContentType::TEXT_HTML)
            .date(std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_057_049_557))
            .body("<p>안녕</p>".to_owned())
            .unwrap();
        complete(&mut message).unwrap();
        let text = text(&message);
        assert!(
            text.contains("Content-Type: text/html; charset=utf-8\r\n"),
            "{text}"
        );
        assert_eq!(text.matches("Content-Type:").count(), 1, "{text}");
        assert!(
            text.contains("Date: Tue, 01 Jul 2003 08:52:37 +0000\r\n"),
            "{text}"
        );
        assert_eq!(text.matches("Date:").count(), 1, "{text}");
    }

    #[test]
    fn a_part_with_its_own_type_gets_no_second_one() {
        let mut message = builder()
            .singlepart(SinglePart::html("<p>안녕</p>".to_owned()))
            .unwrap();
        complete(&mut message).unwrap();
        let text = text(&message);
        assert_eq!(text.matches("Content-Type:").count(), 1, "{text}");
        assert_eq!(text.matches("MIME-Version:").count(), 1, "{text}");
    }

    #[test]
    fn a_removed_date_is_put_back() {
        let mut message = builder().body("x".to_owned()).unwrap();
        message.headers_mut().remove::<Date>();
        complete(&mut message).unwrap();
        assert!(text(&message).contains("\r\nDate: "));
    }

    #[test]
    fn an_overlong_line_is_refused() {
        let long = "a".repeat(1200);
        let body = Body::dangerous_pre_encoded(long.into_bytes(), ContentTransferEncoding::Binary);
        let mut message = builder().body(body).unwrap();
        let error = complete(&mut message).unwrap_err();
        assert_eq!(error.octets, 1200);
        assert!(error.to_string().contains("998"), "{error}");
    }

    #[test]
    fn a_long_string_body_is_encoded_within_the_limit() {
        let mut message = builder().body("가".repeat(2000)).unwrap();
        complete(&mut message).unwrap();
    }
}
