//! One failed attempt, classified: at which stage, whether a retry can help, and what the
//! hints need to know. Turned into a [`SendError`] once no more attempts will be made.

use std::error::Error as _;
use std::io;

use lettre::transport::smtp::Error as SmtpError;
use mailconf_core::Secret;

use super::error::{SendError, Stage};
use super::hint::{self, Context};

/// How far one attempt got; read after a timeout, so it records progress as it is made.
#[derive(Debug, Clone, Copy)]
pub(super) struct Progress {
    pub(super) stage: Stage,
    /// A TCP connection to the server exists.
    pub(super) tcp_connected: bool,
    /// The server's greeting arrived (so it speaks SMTP in the mode we expected).
    pub(super) greeted: bool,
    /// Whether the server's EHLO listed STARTTLS, once it answered.
    pub(super) starttls_offered: Option<bool>,
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

/// What kind of problem, as far as the hints care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Cause {
    /// A negative SMTP reply (the code is in `Failure::code`).
    Reply,
    /// The host name did not resolve.
    Dns,
    /// An I/O error of this kind (TCP, TLS handshake, a dropped connection).
    Io(io::ErrorKind),
    /// lettre refused to go on (no STARTTLS, no AUTH mechanism, no SMTPUTF8...).
    Client,
    /// Anything else: an unparsable or missing reply.
    Other,
    /// The overall timeout ran out.
    Timeout,
    /// The server sent no greeting but answered a TLS handshake on a second connection: the
    /// port expects implicit TLS.
    ExpectsTls,
}

#[derive(Debug)]
pub(crate) struct Failure {
    pub(super) stage: Stage,
    pub(super) cause: Cause,
    pub(super) code: Option<u16>,
    /// The reply text or error; may still contain the password if a server echoed it.
    pub(super) detail: String,
    pub(super) retryable: bool,
    pub(super) permanent: bool,
    pub(super) progress: Progress,
}

impl Failure {
    /// An error returned by lettre at `stage`.
    pub(crate) fn smtp(stage: Stage, err: &SmtpError) -> Failure {
        let code = err.status().map(u16::from);
        let io_kind = io_kind(err);
        let (cause, retryable, permanent) = if let Some(code) = code {
            // RFC 5321 4.2.1: 4yz may succeed later, 5yz will not.
            (Cause::Reply, code < 500, code >= 500)
        } else if err.is_client() {
            (Cause::Client, false, true)
        } else if stage == Stage::Tls {
            // Handshake and certificate failures are configuration problems; retrying
            // would only repeat them.
            (io_kind.map_or(Cause::Other, Cause::Io), false, true)
        } else {
            // A dropped connection, a reset or a garbled reply: worth another try.
            (io_kind.map_or(Cause::Other, Cause::Io), true, false)
        };
        let detail = match (code, err.source()) {
            // The server's own words, without lettre's "permanent error (535): " prefix.
            (Some(_), Some(source)) => source.to_string(),
            _ => plain_text(&err.to_string()),
        };
        Failure {
            stage,
            cause,
            code,
            detail,
            retryable,
            permanent,
            progress: Progress::default(),
        }
    }

    /// An error from lettre's implicit-TLS connect, which does TCP, the TLS handshake, the
    /// greeting and EHLO in one call; the error kind tells which of them failed.
    pub(super) fn implicit_connect(err: &SmtpError) -> Failure {
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
            stage,
            cause: Cause::Io(err.kind()),
            code: None,
            detail,
            retryable: true,
            permanent: false,
            progress: Progress::default(),
        }
    }

    /// The server at `addr` stayed silent after connect, and answered a TLS handshake on a
    /// second connection.
    pub(crate) fn waits_for_tls(addr: std::net::SocketAddr) -> Failure {
        Failure {
            stage: Stage::Connect,
            cause: Cause::ExpectsTls,
            code: None,
            detail: format!(
                "{addr} sent no greeting within {:?}, and a second connection to it was answered with a TLS handshake",
                super::sniff::QUIET
            ),
            retryable: false,
            permanent: true,
            progress: Progress {
                stage: Stage::Connect,
                tcp_connected: true,
                greeted: false,
                starttls_offered: None,
            },
        }
    }

    /// The host name could not be resolved.
    pub(crate) fn dns(detail: String) -> Failure {
        Failure {
            stage: Stage::Connect,
            cause: Cause::Dns,
            code: None,
            detail,
            // Resolvers fail temporarily too; a typo costs only the short back-off.
            retryable: true,
            permanent: false,
            progress: Progress::default(),
        }
    }

    /// A refusal decided on our side, such as a server without SMTPUTF8 for a UTF-8 address.
    pub(super) fn client(stage: Stage, detail: impl Into<String>) -> Failure {
        Failure {
            stage,
            cause: Cause::Client,
            code: None,
            detail: detail.into(),
            retryable: false,
            permanent: true,
            progress: Progress::default(),
        }
    }

    /// The overall timeout ran out while `progress.stage` was under way.
    pub(super) fn timeout(progress: Progress, limit: std::time::Duration) -> Failure {
        Failure {
            stage: progress.stage,
            cause: Cause::Timeout,
            code: None,
            detail: format!("no answer within the timeout of {limit:?} (TIMEOUT)"),
            retryable: false,
            permanent: false,
            progress,
        }
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
        let hint = hint::for_failure(&self, context);
        SendError {
            stage: self.stage,
            server: context.server(),
            code: self.code,
            message: redact(self.detail, password),
            attempts,
            permanent: self.permanent,
            timed_out: self.cause == Cause::Timeout,
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
pub(super) fn redact(text: String, password: Option<&Secret<String>>) -> String {
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
