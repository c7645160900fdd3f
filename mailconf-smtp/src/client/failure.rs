//! One failed attempt, classified: at which stage, whether a retry can help, and what the
//! hints need to know. Turned into a [`SendError`] once no more attempts will be made.

use std::error::Error as _;
use std::io;

use lettre::transport::smtp::Error as SmtpError;
use mailconf_core::Secret;

use super::hint::{self, Context};
use crate::{FailureKind, SendError, Stage};

/// How far one attempt got; read after a timeout, so it records progress as it is made.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Progress {
    pub(crate) stage: Stage,
    /// A TCP connection to the server exists.
    pub(crate) tcp_connected: bool,
    /// The server's greeting arrived (so it speaks SMTP in the mode we expected).
    pub(crate) greeted: bool,
    /// Whether the server's EHLO listed STARTTLS, once it answered.
    pub(crate) starttls_offered: Option<bool>,
}

impl Default for Progress {
    fn default() -> Self {
        Progress {
            stage: Stage::Connect,
            tcp_connected: false,
            greeted: false,
            starttls_offered: None,
        }
    }
}

#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) stage: Stage,
    /// Whether a retry can help follows from it.
    pub(crate) kind: FailureKind,
    /// The I/O error behind a network or TLS failure, for the hints.
    pub(crate) io: Option<io::ErrorKind>,
    /// The reply text or error; may still contain the password if a server echoed it.
    pub(crate) detail: String,
    pub(crate) progress: Progress,
    /// A hint decided where the failure was made (a token error's), else one is looked up.
    pub(crate) hint: Option<mailconf_core::Message>,
}

impl Failure {
    fn new(stage: Stage, kind: FailureKind, detail: String) -> Failure {
        Failure {
            stage,
            kind,
            io: None,
            detail,
            progress: Progress::default(),
            hint: None,
        }
    }

    /// An error returned by lettre at `stage`.
    pub(crate) fn smtp(stage: Stage, err: &SmtpError) -> Failure {
        let code = err.status().map(u16::from);
        let kind = match code {
            Some(code) => FailureKind::Reply(code),
            None if err.is_client() => FailureKind::Refused,
            // Handshake and certificate failures are configuration problems; retrying
            // would only repeat them.
            None if stage == Stage::Tls => FailureKind::Tls,
            // A dropped connection, a reset or a garbled reply: worth another try.
            None => FailureKind::Network,
        };
        let detail = match (code, err.source()) {
            // The server's own words, without lettre's "permanent error (535): " prefix.
            (Some(_), Some(source)) => source.to_string(),
            _ => plain_text(&err.to_string()),
        };
        Failure {
            io: io_kind(err),
            ..Failure::new(stage, kind, detail)
        }
    }

    /// An error from lettre's implicit-TLS connect, which does TCP, the TLS handshake, the
    /// greeting and EHLO in one call; the error kind tells which of them failed.
    pub(crate) fn implicit_connect(err: &SmtpError) -> Failure {
        use io::ErrorKind::*;
        let tcp_failed = matches!(
            io_kind(err),
            Some(
                ConnectionRefused
                    | HostUnreachable
                    | NetworkUnreachable
                    | AddrNotAvailable
                    | PermissionDenied
                    | TimedOut
            )
        );
        // lettre labels both TCP and handshake failures "Connection error"; once TCP is ruled
        // out, such an error is the handshake.
        let handshake = !tcp_failed
            && err.status().is_none()
            && err.to_string().starts_with("Connection error");
        Failure::smtp(
            if handshake {
                Stage::Tls
            } else {
                Stage::Connect
            },
            err,
        )
    }

    /// An I/O error of our own TCP connect.
    pub(crate) fn io(stage: Stage, err: &io::Error, detail: String) -> Failure {
        Failure {
            io: Some(err.kind()),
            ..Failure::new(stage, FailureKind::Network, detail)
        }
    }

    /// The server at `addr` stayed silent after connect, and answered a TLS handshake on a
    /// second connection.
    pub(crate) fn waits_for_tls(addr: std::net::SocketAddr) -> Failure {
        let detail = format!(
            "{addr} sent no greeting within {:?}, and a second connection to it was answered with a TLS handshake",
            super::sniff::QUIET
        );
        Failure {
            progress: Progress {
                stage: Stage::Connect,
                tcp_connected: true,
                greeted: false,
                starttls_offered: None,
            },
            ..Failure::new(Stage::Connect, FailureKind::TlsMode, detail)
        }
    }

    /// The host name could not be resolved.
    pub(crate) fn dns(detail: String) -> Failure {
        Failure::new(Stage::Connect, FailureKind::Dns, detail)
    }

    /// A refusal decided on our side, such as a server without SMTPUTF8 for a UTF-8 address.
    pub(crate) fn client(stage: Stage, detail: impl Into<String>) -> Failure {
        Failure::new(stage, FailureKind::Refused, detail.into())
    }

    /// No OAuth2 token: the endpoint's error, naming the setting to change in the hint.
    #[cfg(feature = "oauth2")]
    pub(crate) fn token(err: &crate::oauth2::TokenError) -> Failure {
        let kind = FailureKind::OAuth2Token {
            transient: err.is_transient(),
        };
        Failure {
            hint: Some(
                mailconf_core::Message::new("oauth2-hint-with-setting")
                    .arg("hint", err.hint_message())
                    .arg("setting", err.setting()),
            ),
            ..Failure::new(Stage::OAuth2Token, kind, err.to_string())
        }
    }

    /// The overall timeout ran out while `progress.stage` was under way.
    pub(crate) fn timeout(progress: Progress, limit: std::time::Duration) -> Failure {
        let detail = format!("no answer within the timeout of {limit:?} (TIMEOUT)");
        Failure {
            progress,
            ..Failure::new(progress.stage, FailureKind::Timeout, detail)
        }
    }

    /// The negative reply code, when the server sent one.
    pub(crate) fn code(&self) -> Option<u16> {
        self.kind.reply_code()
    }

    /// Records whether the server's EHLO offered STARTTLS (for a failure the caller classifies
    /// without a send's progress, such as a probe's login).
    pub(crate) fn offered_starttls(mut self, offered: bool) -> Failure {
        self.progress.starttls_offered = Some(offered);
        self
    }

    /// The final error, after `attempts` attempts.
    pub(crate) fn into_error(
        self,
        attempts: u32,
        context: &Context,
        password: Option<&Secret<String>>,
    ) -> SendError {
        let hint = self
            .hint
            .clone()
            .or_else(|| hint::for_failure(&self, context))
            .map(crate::mailer::Hint::new);
        SendError {
            stage: self.stage,
            kind: self.kind,
            server: context.server(),
            message: redact(self.detail, password),
            attempts,
            hint,
        }
    }
}

/// lettre's text without its category prefixes, which repeat when errors are wrapped
/// ("Connection error: Connection error: invalid peer certificate: UnknownIssuer").
fn plain_text(text: &str) -> String {
    const PREFIXES: [&str; 4] = [
        "Connection error: ",
        "network error: ",
        "internal client error: ",
        "response error: ",
    ];
    let mut rest = text;
    while let Some(stripped) = PREFIXES.iter().find_map(|p| rest.strip_prefix(p)) {
        rest = stripped;
    }
    match rest {
        "incomplete response" => "the server closed the connection".to_owned(),
        _ => rest.to_owned(),
    }
}

/// The kind of the first I/O error in the chain.
fn io_kind(err: &SmtpError) -> Option<io::ErrorKind> {
    let mut source = err.source();
    while let Some(e) = source {
        if let Some(io) = e.downcast_ref::<io::Error>() {
            return Some(io.kind());
        }
        source = e.source();
    }
    None
}

/// Servers sometimes quote what they were sent; a password must not reach a log that way.
pub(crate) fn redact(text: String, password: Option<&Secret<String>>) -> String {
    match password.map(Secret::expose_secret) {
        Some(pw) if !pw.is_empty() && text.contains(pw.as_str()) => {
            text.replace(pw.as_str(), mailconf_core::REDACTED)
        }
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lettre_prefixes_are_stripped() {
        assert_eq!(
            plain_text(
                "Connection error: Connection error: invalid peer certificate: UnknownIssuer"
            ),
            "invalid peer certificate: UnknownIssuer"
        );
        assert_eq!(
            plain_text("response error: incomplete response"),
            "the server closed the connection"
        );
    }

    #[test]
    fn redact_removes_every_occurrence() {
        let pw = Secret::new("hunter2".to_owned());
        assert_eq!(
            redact("535 bad hunter2 (hunter2)".into(), Some(&pw)),
            "535 bad [redacted] ([redacted])"
        );
        assert_eq!(redact("fine".into(), None), "fine");
        assert_eq!(redact("x".into(), Some(&Secret::new(String::new()))), "x");
    }
}
