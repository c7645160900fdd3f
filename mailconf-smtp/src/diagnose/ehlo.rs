//! What the server says about itself: the greeting and the EHLO extensions.
//!
//! lettre's `ServerInfo` keeps only the extensions it acts on (STARTTLS, AUTH, 8BITMIME,
//! SMTPUTF8), so the probe reads the raw EHLO reply for SIZE, PIPELINING and the rest.

use lettre::transport::smtp::response::Response;
use mailconf_core::Message;
use serde::Serialize;

/// The server as it presented itself during a probe.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ServerReport {
    /// The greeting's first line, without the code (often the host name and software).
    pub greeting: String,
    /// The name the server gives in its EHLO reply.
    pub name: String,
    /// The extensions of the last EHLO reply, as sent (`SIZE 10485760`, `AUTH PLAIN LOGIN`...).
    /// With STARTTLS, the ones offered once the connection is encrypted.
    pub extensions: Vec<String>,
    /// The AUTH mechanisms of the last EHLO reply (`PLAIN`, `LOGIN`...).
    pub auth_mechanisms: Vec<String>,
    /// STARTTLS was offered on the plain-text connection.
    pub starttls: bool,
    /// The largest message the server takes, in bytes (SIZE), when it says.
    pub size: Option<u64>,
    /// 8-bit message bodies are accepted (8BITMIME).
    pub eight_bit_mime: bool,
    /// Non-ASCII addresses are accepted (SMTPUTF8).
    pub smtputf8: bool,
    /// Commands may be pipelined (PIPELINING).
    pub pipelining: bool,
    /// The connection was encrypted when the last EHLO was answered.
    pub encrypted: bool,
}

impl ServerReport {
    pub(super) fn new(greeting: &Response) -> ServerReport {
        ServerReport {
            greeting: greeting.first_line().unwrap_or_default().to_owned(),
            ..ServerReport::default()
        }
    }

    /// Takes in an EHLO reply; what it lists replaces what an earlier one listed, except that
    /// STARTTLS, once offered, stays recorded.
    pub(super) fn ehlo(&mut self, reply: &Response, encrypted: bool) {
        let mut lines = reply.message();
        self.name = lines
            .next()
            .and_then(|l| l.split_whitespace().next())
            .unwrap_or_default()
            .to_owned();
        self.extensions.clear();
        self.auth_mechanisms.clear();
        self.size = None;
        self.eight_bit_mime = false;
        self.smtputf8 = false;
        self.pipelining = false;
        self.encrypted = encrypted;
        for line in lines.map(str::trim).filter(|l| !l.is_empty()) {
            self.extensions.push(line.to_owned());
            // `AUTH=PLAIN LOGIN` is the pre-RFC form some servers still send alongside.
            let mut words = line.split(|c: char| c.is_whitespace() || c == '=');
            let keyword = words.next().unwrap_or_default().to_ascii_uppercase();
            match keyword.as_str() {
                "STARTTLS" => self.starttls = true,
                "AUTH" => {
                    for mechanism in words.filter(|w| !w.is_empty()) {
                        let mechanism = mechanism.to_ascii_uppercase();
                        if !self.auth_mechanisms.contains(&mechanism) {
                            self.auth_mechanisms.push(mechanism);
                        }
                    }
                }
                "SIZE" => self.size = words.next().and_then(|n| n.parse().ok()),
                "8BITMIME" => self.eight_bit_mime = true,
                "SMTPUTF8" => self.smtputf8 = true,
                "PIPELINING" => self.pipelining = true,
                _ => {}
            }
        }
    }

    /// The extension keywords, for one line of text (`STARTTLS, SIZE 10485760, AUTH PLAIN LOGIN`),
    /// quoted as the server said them; a catalog message when it offered none.
    pub fn summary(&self) -> Message {
        if self.extensions.is_empty() {
            Message::new("probe-detail-no-extensions")
        } else {
            Message::text(self.extensions.join(", "))
        }
    }
}

/// How far the bytes read so far go towards a greeting.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Greeting {
    /// A whole reply, parsed.
    Complete(Response),
    /// So far so good; more to read.
    Partial,
    /// Not an SMTP reply (TLS records, an HTTP server, binary noise).
    NotSmtp,
}

/// The most a greeting may take; real ones are a line or a few.
const MAX_GREETING: usize = 8 * 1024;

pub(super) fn greeting(bytes: &[u8]) -> Greeting {
    let digits = bytes.iter().take(3).all(u8::is_ascii_digit);
    if !digits || bytes.len() > MAX_GREETING {
        return Greeting::NotSmtp;
    }
    let Some(text) = bytes.strip_suffix(b"\n") else {
        return Greeting::Partial;
    };
    let last = text.rsplit(|b| *b == b'\n').next().unwrap_or_default();
    let last = last.strip_suffix(b"\r").unwrap_or(last);
    // A multi-line reply continues with `220-` lines and ends with `220 ` (or a bare code).
    if last.len() > 3 && last[3] == b'-' {
        return Greeting::Partial;
    }
    match String::from_utf8_lossy(bytes).parse::<Response>() {
        Ok(reply) => Greeting::Complete(reply),
        Err(_) => Greeting::NotSmtp,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(text: &str) -> Response {
        match greeting(text.as_bytes()) {
            Greeting::Complete(r) => r,
            other => panic!("{text:?}: {other:?}"),
        }
    }

    #[test]
    fn greetings_are_read_whole_and_garbage_is_refused() {
        assert_eq!(
            reply("220 mx.example ESMTP ready\r\n").first_line(),
            Some("mx.example ESMTP ready")
        );
        assert_eq!(greeting(b"220-mx.example\r\n"), Greeting::Partial);
        assert_eq!(
            u16::from(reply("220-mx.example\r\n220 ready\r\n").code()),
            220
        );
        assert_eq!(greeting(b"22"), Greeting::Partial);
        assert_eq!(greeting(b"220 no end of line"), Greeting::Partial);
        assert_eq!(u16::from(reply("554 go away\r\n").code()), 554);
        assert_eq!(greeting(b"\x16\x03\x01\x00"), Greeting::NotSmtp);
        assert_eq!(greeting(b"HTTP/1.1 400 Bad Request\r\n"), Greeting::NotSmtp);
        assert_eq!(greeting(b"999 \xff\xfe\n"), Greeting::NotSmtp);
        assert_eq!(greeting(&[b'2'; MAX_GREETING + 1]), Greeting::NotSmtp);
        assert_eq!(greeting(b""), Greeting::Partial);
    }

    #[test]
    fn ehlo_extensions_are_listed() {
        let mut server = ServerReport::new(&reply("220 mx ESMTP\r\n"));
        server.ehlo(
            &reply(
                "250-mx.example hello\r\n250-STARTTLS\r\n250-SIZE 10485760\r\n250 PIPELINING\r\n",
            ),
            false,
        );
        assert!(server.starttls && server.pipelining);
        assert_eq!(server.size, Some(10_485_760));
        assert!(server.auth_mechanisms.is_empty());
        server.ehlo(&reply("250-mx.example\r\n250-AUTH PLAIN LOGIN\r\n250-AUTH=LOGIN\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n"), true);
        assert_eq!(server.name, "mx.example");
        assert_eq!(server.auth_mechanisms, ["PLAIN", "LOGIN"]);
        assert!(server.starttls, "offered before TLS stays recorded");
        assert!(server.eight_bit_mime && server.smtputf8 && server.encrypted);
        assert_eq!((server.size, server.pipelining), (None, false));
        assert_eq!(
            server.summary().to_string(),
            "AUTH PLAIN LOGIN, AUTH=LOGIN, 8BITMIME, SMTPUTF8"
        );
        assert_eq!(server.greeting, "mx ESMTP");
    }
}
