//! The client side: settings that point a `Mailer` at a peer on `127.0.0.1`, the message it
//! sends, and a bound on every call.

use std::future::Future;
use std::net::Ipv4Addr;
use std::time::{Duration, Instant};

use mailconf_core::{FromValue, Host, Mailbox, Port, Secret};
use mailconf_smtp::{
    Credentials, Endpoint, Mailer, Provider, Security, SendError, SendReport, SmtpSettings,
};

/// The user name the tests log in with.
pub const USER: &str = "app";
/// Upper bound for any single client call, so a bug fails a test instead of hanging the suite.
pub const STEP: Duration = Duration::from_secs(15);

/// `Mailer` settings for a server on `127.0.0.1`. The sender is
/// `Example App <app@example.com>` and the `EHLO` name `client.test`.
#[derive(Debug, Clone)]
pub struct PeerSettings {
    /// The server's port.
    pub port: u16,
    /// How to connect.
    pub security: Security,
    /// The login as user and password, if any.
    pub login: Option<(String, String)>,
    /// `TIMEOUT`.
    pub timeout: Duration,
    /// `MAIL_POOL_SIZE`.
    pub pool_size: usize,
    /// `MAIL_PROVIDER`: the provider the peer stands in for.
    pub provider: Option<&'static Provider>,
}

impl PeerSettings {
    /// No login, a timeout of 10 s, and a pool of one connection, which keeps a script's
    /// connection numbers in step with the attempts.
    #[must_use]
    pub fn new(port: u16, security: Security) -> PeerSettings {
        PeerSettings {
            port,
            security,
            login: None,
            timeout: Duration::from_secs(10),
            pool_size: 1,
            provider: None,
        }
    }

    /// The same, with this `TIMEOUT`.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> PeerSettings {
        self.timeout = timeout;
        self
    }

    /// Logs in as [`USER`] with `password`.
    #[must_use]
    pub fn login(self, password: &str) -> PeerSettings {
        self.login_as(USER, password)
    }

    /// Logs in as `user` with `password`.
    #[must_use]
    pub fn login_as(mut self, user: &str, password: &str) -> PeerSettings {
        self.login = Some((user.to_owned(), password.to_owned()));
        self
    }

    /// Stands in for the preset `name` (`MAIL_PROVIDER=name`).
    ///
    /// # Panics
    /// When no preset is called `name`.
    #[must_use]
    pub fn provider(mut self, name: &str) -> PeerSettings {
        self.provider = Some(Provider::find(name).expect("a known provider preset"));
        self
    }
}

impl SmtpSettings for PeerSettings {
    fn endpoint(&self) -> Endpoint {
        Endpoint {
            host: Host::Ipv4(Ipv4Addr::LOCALHOST),
            port: Port::new(self.port).expect("a port the peer listens on is not 0"),
            security: self.security,
        }
    }

    fn credentials(&self) -> Option<Credentials> {
        self.login.as_ref().map(|(username, password)| Credentials {
            username: username.clone(),
            password: Secret::new(password.clone()),
        })
    }

    fn sender(&self) -> Mailbox {
        Mailbox::from_value("Example App <app@example.com>").expect("a valid sender")
    }

    fn timeout(&self) -> Duration {
        self.timeout
    }

    fn pool_size(&self) -> usize {
        self.pool_size
    }

    fn hello_name(&self) -> Option<Host> {
        Some(Host::Domain("client.test".to_owned()))
    }

    fn provider(&self) -> Option<&'static Provider> {
        self.provider
    }
}

/// What the scripted tests send, as an application would: `mailer`'s verification email for
/// the app `name`, to `rcpt@example.net`.
///
/// # Panics
/// When `name` holds a line break.
#[must_use]
pub fn message(mailer: &Mailer, name: &str) -> lettre::Message {
    mailer
        .verification_email("rcpt@example.net", name, "https://example.com/confirm?t=1")
        .expect("a verification email")
}

/// Sends [`message`] through `mailer`, within [`STEP`].
///
/// # Errors
/// What `Mailer::send` returns.
pub async fn send(mailer: &Mailer) -> Result<SendReport, SendError> {
    within(Box::pin(mailer.send(message(mailer, "scripted")))).await
}

/// Runs `future` within [`STEP`]: its output, and how long it took.
pub async fn timed<T>(future: impl Future<Output = T>) -> (T, Duration) {
    let started = Instant::now();
    let output = within(future).await;
    (output, started.elapsed())
}

/// Runs `future` for at most [`STEP`].
///
/// # Panics
/// When `future` takes longer: the mailer call hung.
pub async fn within<T>(future: impl Future<Output = T>) -> T {
    tokio::time::timeout(STEP, future)
        .await
        .expect("the mailer call hung")
}
