use std::fmt;

use mailconf_core::Port;
use serde::Serialize;

/// How the connection to the server is protected: the one setting that replaces fastapi-mail's
/// two flags, so "both on" cannot be expressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Security {
    /// Plain text. Only sensible on loopback.
    Plain,
    /// Plain text first, then `STARTTLS` upgrades the connection (port 587). Required: a server
    /// that does not offer STARTTLS is refused, never used in plain text.
    StartTls,
    /// TLS from the first byte (port 465, "SMTPS").
    ImplicitTls,
}

impl Security {
    /// From fastapi-mail's flags; `None` when both are set (a conflict).
    pub fn from_flags(starttls: bool, ssl_tls: bool) -> Option<Security> {
        match (starttls, ssl_tls) {
            (false, false) => Some(Security::Plain),
            (true, false) => Some(Security::StartTls),
            (false, true) => Some(Security::ImplicitTls),
            (true, true) => None,
        }
    }

    /// The usual port of the mode: 25, 587 or 465.
    pub fn default_port(self) -> Port {
        let port = match self {
            Security::Plain => 25,
            Security::StartTls => 587,
            Security::ImplicitTls => 465,
        };
        Port::new(port).unwrap_or_else(|| unreachable!("non-zero constant"))
    }

    /// fastapi-mail's flags `(MAIL_STARTTLS, MAIL_SSL_TLS)` that select this mode: the inverse
    /// of [`Security::from_flags`].
    pub fn flag_values(self) -> (bool, bool) {
        match self {
            Security::Plain => (false, false),
            Security::StartTls => (true, false),
            Security::ImplicitTls => (false, true),
        }
    }

    /// The settings that select this mode, for hints.
    pub fn flags(self) -> &'static str {
        match self.flag_values() {
            (false, false) => "MAIL_STARTTLS=false, MAIL_SSL_TLS=false",
            (true, false) => "MAIL_STARTTLS=true, MAIL_SSL_TLS=false",
            (false, true) => "MAIL_STARTTLS=false, MAIL_SSL_TLS=true",
            (true, true) => unreachable!("no mode sets both flags"),
        }
    }
}

impl fmt::Display for Security {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Security::Plain => "no TLS",
            Security::StartTls => "STARTTLS",
            Security::ImplicitTls => "implicit TLS",
        })
    }
}
