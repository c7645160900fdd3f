//! Configuration of a [`DevServer`] and the settings each connection reads.

use std::collections::HashMap;
use std::fmt;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

use super::certs::DevCertificates;
use super::xoauth2::Verifier;
use super::{DevServer, DevTls};

const DEFAULT_MAX_MESSAGE_SIZE: usize = 10 * 1024 * 1024;
const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(60);

/// Configures and starts a [`DevServer`]; obtained from [`DevServer::builder`].
///
/// Defaults: [`DevTls::StartTls`], bound to `127.0.0.1:0` (an ephemeral port), no users (no
/// AUTH), 10 MiB maximum message size, 60 s idle timeout.
#[must_use = "a builder does nothing until `start` is awaited"]
pub struct DevServerBuilder {
    tls: DevTls,
    bind: SocketAddr,
    users: HashMap<String, String>,
    advertise_starttls: bool,
    allow_auth_without_tls: bool,
    max_message_size: usize,
    idle_timeout: Duration,
    xoauth2: Option<Verifier>,
}

impl Default for DevServerBuilder {
    fn default() -> Self {
        Self {
            tls: DevTls::StartTls,
            bind: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            users: HashMap::new(),
            advertise_starttls: true,
            allow_auth_without_tls: false,
            max_message_size: DEFAULT_MAX_MESSAGE_SIZE,
            idle_timeout: DEFAULT_IDLE_TIMEOUT,
            xoauth2: None,
        }
    }
}

// Hand-written so that passwords can never reach a log through `{:?}`.
impl fmt::Debug for DevServerBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut users: Vec<&str> = self.users.keys().map(String::as_str).collect();
        users.sort_unstable();
        f.debug_struct("DevServerBuilder")
            .field("tls", &self.tls)
            .field("bind", &self.bind)
            .field("users", &users)
            .field("passwords", &"<redacted>")
            .field("advertise_starttls", &self.advertise_starttls)
            .field("allow_auth_without_tls", &self.allow_auth_without_tls)
            .field("max_message_size", &self.max_message_size)
            .field("idle_timeout", &self.idle_timeout)
            .field("xoauth2", &self.xoauth2.is_some())
            .finish()
    }
}

impl DevServerBuilder {
    /// Chooses how connections are protected (default [`DevTls::StartTls`]).
    pub fn tls(mut self, tls: DevTls) -> Self {
        self.tls = tls;
        self
    }

    /// Chooses the listening address (default `127.0.0.1:0`; port 0 picks a free port, read
    /// it back with [`DevServer::port`]).
    pub fn bind(mut self, addr: SocketAddr) -> Self {
        self.bind = addr;
        self
    }

    /// Adds an account; may be called repeatedly (a repeated name replaces the password).
    ///
    /// Once any user exists, AUTH PLAIN and AUTH LOGIN are advertised and a client must log in
    /// before `MAIL FROM` (`530` otherwise); a wrong user name or password gets `535`. Where
    /// AUTH is accepted depends on the TLS mode, see [`allow_auth_without_tls`](Self::allow_auth_without_tls).
    pub fn user(mut self, user: impl Into<String>, password: impl Into<String>) -> Self {
        self.users.insert(user.into(), password.into());
        self
    }

    /// Whether STARTTLS is offered in [`DevTls::StartTls`] mode (default `true`; ignored in the
    /// other modes).
    ///
    /// `false` simulates a server that offers no STARTTLS on a plaintext port, e.g. to check that
    /// a client requiring TLS refuses to send.
    pub fn advertise_starttls(mut self, advertise: bool) -> Self {
        self.advertise_starttls = advertise;
        self
    }

    /// Whether AUTH is accepted on an unencrypted connection (default `false`).
    ///
    /// With `false`, AUTH is advertised and accepted only once the connection is encrypted:
    /// after STARTTLS in [`DevTls::StartTls`] mode, always in [`DevTls::Implicit`] mode, and never
    /// in [`DevTls::None`] mode (so a `None` server with users accepts no mail at all). An AUTH
    /// attempt before encryption gets `538` and its credentials are not even checked.
    pub fn allow_auth_without_tls(mut self, allow: bool) -> Self {
        self.allow_auth_without_tls = allow;
        self
    }

    /// Accepts `AUTH XOAUTH2`, checking each login's mailbox and bearer token with `verify`
    /// (such as [`TokenEndpoint::verifier`](super::TokenEndpoint::verifier)). XOAUTH2 is then
    /// advertised next to PLAIN and LOGIN, under the same TLS policy; a refused token gets
    /// Gmail's answer: a `334` error challenge, then `535` to the client's empty line.
    pub fn xoauth2(mut self, verify: impl Fn(&str, &str) -> bool + Send + Sync + 'static) -> Self {
        self.xoauth2 = Some(Arc::new(verify));
        self
    }

    /// Largest message accepted, in bytes after dot-unstuffing (default 10 MiB); a larger one is
    /// discarded while it streams in and answered with `552`.
    pub fn max_message_size(mut self, bytes: usize) -> Self {
        self.max_message_size = bytes;
        self
    }

    /// How long the server waits for each line from a client (and for the TLS handshake) before
    /// answering `421` and closing the connection (default 60 s).
    pub fn idle_timeout(mut self, timeout: Duration) -> Self {
        self.idle_timeout = timeout;
        self
    }

    /// Generates the throw-away certificates, binds the listener and starts accepting
    /// connections on a background task of the current tokio runtime.
    pub async fn start(self) -> io::Result<DevServer> {
        let certificates = DevCertificates::generate()?;
        let acceptor = certificates.acceptor()?;
        let listener = TcpListener::bind(self.bind).await?;
        let settings = Settings {
            tls: self.tls,
            starttls_offered: self.tls == DevTls::StartTls && self.advertise_starttls,
            allow_auth_without_tls: self.allow_auth_without_tls,
            users: self.users,
            max_message_size: self.max_message_size,
            idle_timeout: self.idle_timeout,
            acceptor,
            xoauth2: self.xoauth2,
        };
        DevServer::spawn(listener, Arc::new(settings), certificates.ca_pem)
    }
}

/// What every connection of one server needs to know; shared read-only.
pub(super) struct Settings {
    pub(super) tls: DevTls,
    pub(super) starttls_offered: bool,
    pub(super) allow_auth_without_tls: bool,
    /// The only place passwords are kept.
    pub(super) users: HashMap<String, String>,
    pub(super) max_message_size: usize,
    pub(super) idle_timeout: Duration,
    pub(super) acceptor: TlsAcceptor,
    /// Checks the bearer of an `AUTH XOAUTH2`, when the server takes it.
    pub(super) xoauth2: Option<Verifier>,
}

impl Settings {
    pub(super) fn auth_enabled(&self) -> bool {
        !self.users.is_empty() || self.xoauth2.is_some()
    }
}
