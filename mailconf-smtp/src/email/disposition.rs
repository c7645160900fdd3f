//! The MIME part of an attachment or an inline image, with a `Content-Disposition` whose file
//! name every reader reads back exactly as given.
//!
//! lettre's `ContentDisposition` writes an ASCII file name as a quoted string
//! (`filename="=?utf-8?q?x?=.pdf"`), and readers (Python's `email`, mail-parser, mail clients)
//! decode one shaped like an RFC 2047 encoded word into another name, although RFC 2231 says a
//! parameter is not encoded-word text (fuzzing, finding 10). Such a name is written in RFC 2231's
//! extended form instead (`filename*=utf-8''%3D%3F...`), which readers only percent-decode.
//! Every other name is written by lettre as before.

use lettre::message::SinglePart;
use lettre::message::header::HeaderValue;
use lettre::message::header::{ContentDisposition, ContentId, ContentType, Header, HeaderName};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// What is written as it is in an extended parameter value: RFC 2231's `attribute-char`
/// narrowed to the characters no reader or gateway treats specially.
const ATTRIBUTE_CHARS: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_');

/// The longest piece of an encoded name on one line (`filename*N*=` and `;` come on top), so
/// that every line stays well under the 78 characters of RFC 5322.
const PIECE: usize = 50;

/// An attachment's part: `Content-Disposition: attachment` with the file name.
pub(super) fn attachment(name: &str, bytes: Vec<u8>, content_type: ContentType) -> SinglePart {
    let builder = SinglePart::builder();
    let builder = if needs_extended(name) {
        builder.header(Disposition::new("attachment", name))
    } else {
        builder.header(ContentDisposition::attachment(name))
    };
    builder.header(content_type).body(bytes)
}

/// An inline image's part: its `Content-ID` and `Content-Disposition: inline` with the name.
pub(super) fn inline(
    content_id: &str,
    name: &str,
    bytes: Vec<u8>,
    content_type: ContentType,
) -> SinglePart {
    let builder = SinglePart::builder().header(ContentId::from(format!("<{content_id}>")));
    let builder = if needs_extended(name) {
        builder.header(Disposition::new("inline", name))
    } else {
        builder.header(ContentDisposition::inline_with_name(name))
    };
    builder.header(content_type).body(bytes)
}

/// Whether lettre's quoted form would be read back as another name: it holds `=?`, the start
/// of an encoded word. (A name that is not ASCII is already extended by lettre.)
fn needs_extended(name: &str) -> bool {
    name.contains("=?")
}

/// A `Content-Disposition` with the file name in RFC 2231's extended form, split into
/// numbered continuations (`filename*0*=utf-8''...; filename*1*=...`) when it is long. Pieces
/// end between characters, never inside one, because readers decode each piece on its own.
#[derive(Debug, Clone)]
struct Disposition(HeaderValue);

impl Disposition {
    fn new(kind: &str, name: &str) -> Disposition {
        let mut pieces: Vec<String> = vec![String::new()];
        for c in name.chars() {
            let mut buf = [0; 4];
            let encoded = utf8_percent_encode(c.encode_utf8(&mut buf), ATTRIBUTE_CHARS).to_string();
            if pieces
                .last()
                .is_some_and(|p| p.len() + encoded.len() > PIECE)
            {
                pieces.push(String::new());
            }
            if let Some(piece) = pieces.last_mut() {
                piece.push_str(&encoded);
            }
        }
        let mut encoded = format!("{kind};");
        if let [only] = pieces.as_slice() {
            encoded.push_str(&format!("\r\n filename*=utf-8''{only}"));
        } else {
            for (i, piece) in pieces.iter().enumerate() {
                let charset = if i == 0 { "utf-8''" } else { "" };
                let end = if i + 1 < pieces.len() { ";" } else { "" };
                encoded.push_str(&format!("\r\n filename*{i}*={charset}{piece}{end}"));
            }
        }
        // The raw value is what lettre's own header holds, so that reading it back with
        // `ContentDisposition` gives the name.
        let raw = format!("{kind}; filename=\"{name}\"");
        // Safe to pass as pre-encoded: printable ASCII, folded before each parameter.
        Disposition(HeaderValue::dangerous_new_pre_encoded(
            Self::name(),
            raw,
            encoded,
        ))
    }
}

impl Header for Disposition {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Content-Disposition")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        let (kind, rest) = s.split_once(';').ok_or("no file name")?;
        let name = rest
            .trim_start()
            .strip_prefix("filename=\"")
            .and_then(|n| n.strip_suffix('"'))
            .ok_or("no file name")?;
        Ok(Disposition::new(kind, name))
    }

    fn display(&self) -> HeaderValue {
        self.0.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(part: &SinglePart) -> String {
        let raw = String::from_utf8(part.formatted()).unwrap();
        let start = raw.find("Content-Disposition: ").unwrap();
        let end = start + raw[start..].find("\r\nContent-Type").unwrap();
        raw[start..end].to_owned()
    }

    #[test]
    fn a_name_shaped_like_an_encoded_word_is_percent_encoded() {
        let part = attachment(
            "=?utf-8?q?x?=.pdf",
            vec![1],
            ContentType::parse("application/pdf").unwrap(),
        );
        assert_eq!(
            header(&part),
            "Content-Disposition: attachment;\r\n filename*=utf-8''%3D%3Futf-8%3Fq%3Fx%3F%3D.pdf"
        );
        let part = inline(
            "logo",
            "=?x?= 로고.png",
            vec![1],
            ContentType::parse("image/png").unwrap(),
        );
        let written = header(&part);
        assert!(
            written
                .ends_with("inline;\r\n filename*=utf-8''%3D%3Fx%3F%3D%20%EB%A1%9C%EA%B3%A0.png"),
            "{written}"
        );
    }

    #[test]
    fn a_long_name_is_split_between_characters() {
        let name = format!("=?{}?=.txt", "가".repeat(40));
        let written = header(&attachment(
            &name,
            vec![1],
            ContentType::parse("text/plain").unwrap(),
        ));
        let lines: Vec<&str> = written.split("\r\n").collect();
        assert!(lines.len() > 3, "{written}");
        assert!(lines.iter().all(|l| l.len() <= 78), "{written}");
        assert!(
            lines[1].starts_with(" filename*0*=utf-8''%3D%3F%EA%B0%80"),
            "{written}"
        );
        for line in &lines[2..] {
            // Each piece starts with a whole character: "가" is %EA%B0%80.
            let value = line.split_once("*=").unwrap().1;
            assert!(
                value.starts_with("%EA") || value.starts_with("%3F"),
                "{written}"
            );
        }
    }

    #[test]
    fn other_names_are_written_by_lettre() {
        for name in ["3월 보고서.pdf", "a = b?.pdf", "report.pdf"] {
            let ours = attachment(
                name,
                vec![1],
                ContentType::parse("application/pdf").unwrap(),
            );
            let lettre = lettre::message::Attachment::new(name.to_owned())
                .body(vec![1], ContentType::parse("application/pdf").unwrap());
            assert_eq!(header(&ours), header(&lettre));
        }
    }
}
