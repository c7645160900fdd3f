//! A caught message and helpers to read its headers and body.

/// One message accepted by a [`DevServer`](super::DevServer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedMessage {
    /// The name the client gave in its last `EHLO`/`HELO`.
    pub helo: String,
    /// The envelope sender (`MAIL FROM`), without angle brackets.
    pub mail_from: String,
    /// The envelope recipients (`RCPT TO`), without angle brackets, in the order given.
    pub rcpt_to: Vec<String>,
    /// The user that logged in on this connection, if anyone did.
    pub auth_user: Option<String>,
    /// Whether the message arrived over TLS (STARTTLS or implicit).
    pub tls: bool,
    /// The message as received between `DATA` and the final `.`, dot-unstuffed, with its
    /// original line endings.
    pub data: Vec<u8>,
}

impl ReceivedMessage {
    /// The first header called `name` (compared case-insensitively), unfolded and trimmed.
    ///
    /// The value is raw: encoded words (`=?UTF-8?...?=`) are not decoded, and bytes that are
    /// not UTF-8 are replaced with U+FFFD.
    pub fn header(&self, name: &str) -> Option<String> {
        let (head, _) = split_head_body(&self.data);
        let mut value: Option<Vec<u8>> = None;
        for line in lines(head) {
            let continues = line.first().is_some_and(|b| *b == b' ' || *b == b'\t');
            match value.as_mut() {
                // Unfolding (RFC 5322 2.2.3) removes only the line break, keeping the WSP.
                Some(found) if continues => found.extend_from_slice(line),
                Some(_) => break,
                None if continues => {}
                None => {
                    let Some(colon) = line.iter().position(|b| *b == b':') else {
                        continue;
                    };
                    let field = line[..colon].trim_ascii_end();
                    if field.eq_ignore_ascii_case(name.as_bytes()) {
                        value = Some(line[colon + 1..].to_vec());
                    }
                }
            }
        }
        value.map(|raw| String::from_utf8_lossy(raw.trim_ascii()).into_owned())
    }

    /// The `Subject` header, see [`header`](Self::header).
    pub fn subject(&self) -> Option<String> {
        self.header("Subject")
    }

    /// The body: everything after the blank line that ends the header section (empty if there
    /// is none). Transfer encodings are not decoded.
    pub fn body(&self) -> &[u8] {
        split_head_body(&self.data).1
    }
}

/// Splits at the first empty line; accepts CRLF and bare LF so a sloppy client's message can
/// still be inspected.
fn split_head_body(data: &[u8]) -> (&[u8], &[u8]) {
    let mut start = 0;
    while let Some(offset) = data[start..].iter().position(|b| *b == b'\n') {
        let end = start + offset;
        let line = &data[start..end];
        if line.is_empty() || line == b"\r" {
            return (&data[..start], &data[end + 1..]);
        }
        start = end + 1;
    }
    (data, &[])
}

/// Lines without their terminators.
fn lines(text: &[u8]) -> impl Iterator<Item = &[u8]> {
    text.split(|b| *b == b'\n')
        .map(|line| line.strip_suffix(b"\r").unwrap_or(line))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(data: &[u8]) -> ReceivedMessage {
        ReceivedMessage {
            helo: String::new(),
            mail_from: String::new(),
            rcpt_to: Vec::new(),
            auth_user: None,
            tls: false,
            data: data.to_vec(),
        }
    }

    #[test]
    fn header_is_case_insensitive_unfolded_and_first_wins() {
        let m = message(
            b"From: a@example.com\r\nsubject: Hello\r\n  folded\tworld \r\nSubject: second\r\n\r\nSubject: in body\r\n",
        );
        assert_eq!(m.subject().as_deref(), Some("Hello  folded\tworld"));
        assert_eq!(m.header("FROM").as_deref(), Some("a@example.com"));
        assert_eq!(m.header("To"), None);
        assert_eq!(m.body(), b"Subject: in body\r\n");
    }

    #[test]
    fn header_value_is_raw_and_body_may_be_missing() {
        let m = message(b"Subject: =?utf-8?b?w6k=?=\nX-Empty:\n");
        assert_eq!(m.subject().as_deref(), Some("=?utf-8?b?w6k=?="));
        assert_eq!(m.header("x-empty").as_deref(), Some(""));
        assert_eq!(m.body(), b"");
    }
}
