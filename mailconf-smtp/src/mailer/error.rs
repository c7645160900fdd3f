//! The errors of building a mailer, composing a message and sending it.

use std::fmt;
use std::path::PathBuf;

use mailconf_core::{Lang, Message};

/// Why a [`Mailer`](super::Mailer) could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MailerError {
    /// The CA file (`MAIL_CA_FILE`) could not be read or holds no certificate.
    #[error("cannot use the CA file {}: {reason}", path.display())]
    CaFile {
        /// The file named in the settings.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// The TLS settings were rejected by the TLS library.
    #[error("cannot set up TLS: {reason}")]
    Tls {
        /// The library's explanation.
        reason: String,
    },
    /// lettre does not accept the sender address (`MAIL_FROM`).
    #[error("the sender {address} cannot be used: {reason}")]
    Sender {
        /// The address.
        address: String,
        /// lettre's explanation.
        reason: String,
    },
    /// The shared rate limit's store (`MAIL_RATE_LIMIT_REDIS_URL`) cannot be used.
    #[error("{reason}")]
    RateLimitStore {
        /// What is wrong, naming the setting (never the password).
        reason: String,
    },
    /// A template of the template folder (`TEMPLATE_FOLDER`) cannot be read or does not parse.
    #[cfg(feature = "templates")]
    #[error("{0}")]
    Templates(crate::TemplateError),
    /// A template folder is set, but this build has no templates (feature `templates`).
    #[cfg(not(feature = "templates"))]
    #[error("the template folder {} is set, but mailconf-smtp was built without its `templates` feature", folder.display())]
    TemplatesNotBuilt {
        /// The folder.
        folder: PathBuf,
    },
    /// The OAuth2 login cannot be set up (its HTTP client, or the `oauth2` feature is off).
    #[error("cannot set up the OAuth2 login: {reason}")]
    OAuth2 {
        /// What is wrong.
        reason: String,
    },
    /// The runtime of a [`BlockingMailer`](super::BlockingMailer) could not be started.
    #[error("cannot start the mailer's runtime: {reason}")]
    Runtime {
        /// The operating system's explanation.
        reason: String,
    },
}

/// Why a message could not be composed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ComposeError {
    /// The recipient is not a valid mailbox.
    #[error("invalid recipient {input:?}: {reason}")]
    Recipient {
        /// What was given.
        input: String,
        /// Why it was refused.
        reason: String,
    },
    /// The link is not an absolute `http://` or `https://` URL.
    #[error("invalid link: {reason}")]
    Link {
        /// Why it was refused.
        reason: String,
    },
    /// A text that ends up in a header holds a line break or another control character.
    #[error("the {field} contains a control character such as a line break")]
    ControlCharacter {
        /// Which input.
        field: &'static str,
    },
    /// The message's template could not be rendered: a `TEMPLATE_FOLDER` override of the
    /// verification email ([`verification`](crate::verification)) that fails with these values.
    #[error("{0}")]
    Template(#[from] crate::TemplateError),
    /// lettre refused to build the message.
    #[error("cannot build the message: {0}")]
    Build(#[from] lettre::error::Error),
}

/// The step of the SMTP conversation at which a send failed or timed out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Stage {
    /// Before the server was contacted: the send could not run at all (a
    /// [`BlockingMailer`](super::BlockingMailer) called inside an async runtime).
    Setup,
    /// Name lookup, TCP connection, the server's greeting and `EHLO`.
    Connect,
    /// Getting the OAuth2 access token for an `XOAUTH2` login (from the token endpoint, or the
    /// access token file): before `AUTH`.
    OAuth2Token,
    /// `STARTTLS` and the TLS handshake (for implicit TLS, the handshake right after connecting).
    Tls,
    /// `AUTH` (login).
    Auth,
    /// `MAIL FROM`: the server accepting the sender.
    MailFrom,
    /// `RCPT TO`: the server accepting each recipient.
    Rcpt,
    /// `DATA` and the message itself, up to the server's final answer.
    Data,
}

impl Stage {
    /// The stage's name for a person, as a catalog message: "login (AUTH)", in Korean
    /// "로그인(AUTH)". `Display` gives it in English.
    pub fn name(self) -> Message {
        Message::new(match self {
            Stage::Setup => "stage-setup",
            Stage::Connect => "stage-connect",
            Stage::OAuth2Token => "stage-oauth2-token",
            Stage::Tls => "stage-tls",
            Stage::Auth => "stage-auth",
            Stage::MailFrom => "stage-mail-from",
            Stage::Rcpt => "stage-rcpt",
            Stage::Data => "stage-data",
        })
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name().render(Lang::En))
    }
}

/// What kind of failure ended a send: the one fact from which [`is_transient`] and
/// [`is_permanent`] follow (as lettre's own SMTP error kinds), so that retries, metrics, the CLI
/// and applications agree on which failures a later try can fix.
///
/// [`is_transient`]: FailureKind::is_transient
/// [`is_permanent`]: FailureKind::is_permanent
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FailureKind {
    /// The server answered with this negative reply code: `4yz` is transient, `5yz` permanent
    /// (RFC 5321 4.2.1).
    Reply(u16),
    /// The host name did not resolve. Transient: resolvers fail temporarily too, and a typo
    /// costs only the short back-off.
    Dns,
    /// The connection could not be opened, was dropped, or carried no readable reply.
    /// Transient.
    Network,
    /// The TLS handshake or the server's certificate was refused. Permanent: another try
    /// repeats it until the settings or the certificate change.
    Tls,
    /// The port speaks the other TLS mode: it waits for TLS from the first byte while plain
    /// text was configured. Permanent: the TLS settings must change.
    TlsMode,
    /// Stopped on this side: the server lacks what the send needs (STARTTLS, an AUTH
    /// mechanism, SMTPUTF8, 8BITMIME), the message is malformed, or the mailer cannot run (its
    /// pool is closed, the shared rate limit's Redis is down under the `fail` policy, a
    /// [`BlockingMailer`](super::BlockingMailer) inside an async runtime). Permanent.
    Refused,
    /// No OAuth2 access token could be had (stage [`Stage::OAuth2Token`]): transient when the
    /// token endpoint could not be reached or failed on its side, permanent when it refused
    /// the client, the secret or the grant.
    OAuth2Token {
        /// Whether a later try can help.
        transient: bool,
    },
    /// The overall timeout (`TIMEOUT`) ran out. Transient: nothing says the server or the
    /// network will be as slow next time.
    Timeout,
}

impl FailureKind {
    /// Whether the same send, tried later without any change, may succeed: `4yz` replies,
    /// name lookup and network failures, timeouts. The opposite of
    /// [`is_permanent`](Self::is_permanent).
    pub fn is_transient(self) -> bool {
        match self {
            FailureKind::Reply(code) => code < 500,
            FailureKind::Dns | FailureKind::Network | FailureKind::Timeout => true,
            FailureKind::Tls | FailureKind::TlsMode | FailureKind::Refused => false,
            FailureKind::OAuth2Token { transient } => transient,
        }
    }

    /// Whether the send cannot succeed without a change to the settings, the message or the
    /// server: `5yz` replies, TLS and certificate failures, the TLS-mode mix-up, refusals on
    /// this side.
    pub fn is_permanent(self) -> bool {
        !self.is_transient()
    }

    /// The negative reply code, for [`FailureKind::Reply`].
    pub fn reply_code(self) -> Option<u16> {
        match self {
            FailureKind::Reply(code) => Some(code),
            _ => None,
        }
    }
}

/// Why a send (or a connection test) failed: the stage, the kind of failure, the server's
/// reply, how many attempts were made and, where the cause is recognisable, a hint naming the
/// setting to change.
///
/// Neither `Display` nor `Debug` ever shows the password.
#[derive(Debug, Clone)]
pub struct SendError {
    pub(crate) stage: Stage,
    pub(crate) kind: FailureKind,
    pub(crate) server: String,
    pub(crate) message: String,
    pub(crate) attempts: u32,
    /// Boxed: the error travels in every `Result` of a send, and most have no hint.
    pub(crate) hint: Option<Box<Hint>>,
}

/// A send failure's hint: the catalog message, and its English text, which
/// [`SendError::hint`] lends.
#[derive(Debug, Clone)]
pub(crate) struct Hint {
    message: Message,
    english: String,
}

impl Hint {
    pub(crate) fn new(message: Message) -> Box<Self> {
        Box::new(Hint {
            english: message.render(Lang::En),
            message,
        })
    }
}

impl SendError {
    /// The step that failed (or was under way when the timeout struck).
    pub fn stage(&self) -> Stage {
        self.stage
    }

    /// What kind of failure it was; [`is_permanent`](Self::is_permanent) and
    /// [`is_transient`](Self::is_transient) follow from it.
    pub fn kind(&self) -> FailureKind {
        self.kind
    }

    /// The server's reply code, when the failure was a negative reply such as `535`.
    pub fn code(&self) -> Option<u16> {
        self.kind.reply_code()
    }

    /// Whether sending the same message again cannot succeed without a change: a `5xx` reply or
    /// a configuration problem (TLS mode, certificate, missing AUTH). `false` for `4xx`
    /// replies, dropped connections and timeouts. See [`FailureKind::is_permanent`].
    pub fn is_permanent(&self) -> bool {
        self.kind.is_permanent()
    }

    /// Whether a later try of the same send may succeed: `4xx` replies, dropped connections,
    /// name lookups, timeouts. See [`FailureKind::is_transient`].
    pub fn is_transient(&self) -> bool {
        self.kind.is_transient()
    }

    /// Whether the overall timeout ran out.
    pub fn is_timeout(&self) -> bool {
        self.kind == FailureKind::Timeout
    }

    /// How many attempts were made (0 when none could start).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// What went wrong: the server's reply text or the network/TLS error.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// What to change, when the cause is recognisable, in English.
    pub fn hint(&self) -> Option<&str> {
        self.hint.as_ref().map(|h| h.english.as_str())
    }

    /// What to change, in `lang`.
    pub fn hint_in(&self, lang: Lang) -> Option<String> {
        self.hint.as_ref().map(|h| h.message.render(lang))
    }

    /// The hint as kept: a catalog message, to show in any language.
    pub fn hint_message(&self) -> Option<&Message> {
        self.hint.as_ref().map(|h| &h.message)
    }

    /// The server, as `host:port`.
    pub fn server(&self) -> &str {
        &self.server
    }

    /// Whether it failed, failed for good, or failed temporarily, and after how many attempts:
    /// "temporary failure, gave up after 3 attempts", "permanent failure (1 attempt)",
    /// "timed out (1 attempt)".
    pub fn verdict(&self) -> String {
        self.verdict_message().render(Lang::En)
    }

    /// [`SendError::verdict`] as a catalog message, to show in any language.
    pub fn verdict_message(&self) -> Message {
        let id = if self.is_timeout() {
            "send-verdict-timed-out"
        } else if self.is_permanent() {
            "send-verdict-permanent"
        } else if self.attempts > 1 {
            "send-verdict-gave-up"
        } else {
            "send-verdict-temporary"
        };
        Message::new(id).arg("attempts", self.attempts)
    }
}

impl fmt::Display for SendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SMTP {} with {} ", self.stage, self.server)?;
        if self.is_timeout() {
            write!(f, "timed out")?;
        } else {
            write!(f, "failed")?;
        }
        if let Some(code) = self.code() {
            write!(f, " ({code})")?;
        }
        write!(f, ": {} [{}]", self.message, self.verdict())?;
        if let Some(hint) = self.hint() {
            write!(f, "; hint: {hint}")?;
        }
        Ok(())
    }
}

impl std::error::Error for SendError {}

#[cfg(test)]
mod tests {
    use super::FailureKind;

    #[test]
    fn transient_and_permanent_follow_from_the_kind() {
        use FailureKind::*;
        // Whether each kind is worth another try (transient) or not (permanent): never both.
        let cases = [
            (Reply(421), true),
            (Reply(450), true),
            (Reply(499), true),
            (Dns, true),
            (Network, true),
            (Timeout, true),
            (Reply(500), false),
            (Reply(535), false),
            (Reply(554), false),
            (Tls, false),
            (TlsMode, false),
            (Refused, false),
        ];
        for (kind, transient) in cases {
            assert_eq!(kind.is_transient(), transient, "{kind:?}");
            assert_eq!(kind.is_permanent(), !transient, "{kind:?}");
        }
        assert_eq!(FailureKind::Reply(535).reply_code(), Some(535));
        assert_eq!(FailureKind::Network.reply_code(), None);
    }
}
