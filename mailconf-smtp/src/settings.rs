use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use mailconf_core::{Host, Mailbox, Port, Secret};

use crate::{OAuth2Login, Provider, RateLimits, Security, SharedLimit};

/// Where and how to connect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// The server.
    pub host: Host,
    /// The port.
    pub port: Port,
    /// The TLS mode.
    pub security: Security,
}

/// A login. `Debug` never shows the password.
#[derive(Clone)]
pub struct Credentials {
    /// The login name.
    pub username: String,
    /// The password.
    pub password: Secret<String>,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("username", &self.username)
            .field("password", &self.password)
            .finish()
    }
}

/// Certificate checking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsOptions {
    /// Check the server's certificate and host name (on unless `VALIDATE_CERTS=false`).
    pub validate_certs: bool,
    /// An extra root certificate (PEM) to trust, such as a private CA.
    pub ca_file: Option<PathBuf>,
}

/// Everything a [`crate::Mailer`] needs. Implemented by [`crate::SmtpConfig`]; implement it for
/// your own settings struct, or flatten `SmtpConfig` into it.
pub trait SmtpSettings {
    /// Server, port and TLS mode.
    fn endpoint(&self) -> Endpoint;
    /// The password login, if the server needs one.
    fn credentials(&self) -> Option<Credentials>;
    /// The `XOAUTH2` login, when the server wants an OAuth2 token instead of a password
    /// (used instead of [`credentials`](Self::credentials); needs the `oauth2` feature).
    fn oauth2(&self) -> Option<OAuth2Login> {
        None
    }
    /// The sender of every message.
    fn sender(&self) -> Mailbox;
    /// The limit for one whole send: connect, TLS, login and delivery.
    fn timeout(&self) -> Duration;
    /// Certificate checking.
    fn tls(&self) -> TlsOptions {
        TlsOptions {
            validate_certs: true,
            ca_file: None,
        }
    }
    /// At most this many connections are open at once.
    fn pool_size(&self) -> usize {
        10
    }
    /// At most this many messages per period, across every task using the mailer (and every
    /// process, with [`shared_rate_limit`](Self::shared_rate_limit)).
    fn rate_limit(&self) -> Option<RateLimits> {
        None
    }
    /// Share [`rate_limit`](Self::rate_limit) through Redis with every process using the same
    /// key. Used only together with a rate limit.
    fn shared_rate_limit(&self) -> Option<SharedLimit> {
        None
    }
    /// The name sent with EHLO; the system host name when `None`.
    fn hello_name(&self) -> Option<Host> {
        None
    }
    /// Record messages instead of sending them (tests of applications).
    fn suppress_send(&self) -> bool {
        false
    }
    /// The provider the server belongs to (`MAIL_PROVIDER`), so that the hints of a refused
    /// login or message can say what that provider wants. When `None`, the provider is
    /// recognised from the server's name; a server reached through a relay or a local name
    /// is recognised only through this.
    fn provider(&self) -> Option<&'static Provider> {
        None
    }
    /// The folder of the templates a [`Mailer`](crate::Mailer) renders (feature `templates`),
    /// all parsed when it is built.
    fn template_folder(&self) -> Option<PathBuf> {
        None
    }
}
