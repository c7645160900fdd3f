//! What the `Mailer` test suites share: settings for a loopback server, the dev server with a
//! login, and small helpers. Each suite uses a part of it.
#![allow(dead_code)]

use std::future::Future;
use std::net::Ipv4Addr;
use std::path::PathBuf;
use std::time::Duration;

use mailconf_core::{FromValue, Host, Mailbox, Port, Secret};
use mailconf_smtp::dev_server::{DevServer, DevServerBuilder, DevTls};
use mailconf_smtp::{
    Credentials, Endpoint, Mailer, RateLimits, Security, SendError, SmtpSettings, TlsOptions,
};
use tokio::time::timeout;

pub const USER: &str = "app";
pub const PASSWORD: &str = "s3cret-Pa55word";
/// Upper bound for any single client call, so a bug fails a test instead of hanging the suite.
pub const STEP: Duration = Duration::from_secs(15);
pub const WAIT: Duration = Duration::from_secs(5);

// ---------------------------------------------------------------------------------------------
// settings and helpers

#[derive(Clone)]
pub struct Settings {
    pub port: u16,
    pub security: Security,
    pub login: Option<(&'static str, &'static str)>,
    pub timeout: Duration,
    pub tls: TlsOptions,
    pub pool_size: usize,
    pub rate_limit: Option<RateLimits>,
    pub shared_limit: Option<mailconf_smtp::SharedLimit>,
    pub suppress: bool,
    pub sender: &'static str,
}

impl Settings {
    pub fn new(port: u16, security: Security) -> Settings {
        Settings {
            port,
            security,
            login: None,
            timeout: Duration::from_secs(10),
            tls: TlsOptions {
                validate_certs: true,
                ca_file: None,
            },
            pool_size: 4,
            rate_limit: None,
            shared_limit: None,
            suppress: false,
            sender: "Example App <app@example.com>",
        }
    }

    pub fn login(mut self, password: &'static str) -> Settings {
        self.login = Some((USER, password));
        self
    }

    pub fn ca(mut self, path: PathBuf) -> Settings {
        self.tls.ca_file = Some(path);
        self
    }
}

impl SmtpSettings for Settings {
    fn endpoint(&self) -> Endpoint {
        Endpoint {
            host: Host::Ipv4(Ipv4Addr::LOCALHOST),
            port: Port::new(self.port).unwrap(),
            security: self.security,
        }
    }

    fn credentials(&self) -> Option<Credentials> {
        self.login.map(|(username, password)| Credentials {
            username: username.to_owned(),
            password: Secret::new(password.to_owned()),
        })
    }

    fn sender(&self) -> Mailbox {
        Mailbox::from_value(self.sender).unwrap()
    }

    fn timeout(&self) -> Duration {
        self.timeout
    }

    fn tls(&self) -> TlsOptions {
        self.tls.clone()
    }

    fn pool_size(&self) -> usize {
        self.pool_size
    }

    fn rate_limit(&self) -> Option<RateLimits> {
        self.rate_limit.clone()
    }

    fn shared_rate_limit(&self) -> Option<mailconf_smtp::SharedLimit> {
        self.shared_limit.clone()
    }

    fn hello_name(&self) -> Option<Host> {
        Some(Host::Domain("client.test".to_owned()))
    }

    fn suppress_send(&self) -> bool {
        self.suppress
    }
}

pub async fn within<T>(future: impl Future<Output = T>) -> T {
    timeout(STEP, future).await.expect("the mailer call hung")
}

/// A plain-text dev server that takes mail from anyone, and settings for it (no login).
pub async fn plain_server() -> (DevServer, Settings) {
    let server = DevServer::builder()
        .tls(DevTls::None)
        .start()
        .await
        .unwrap();
    let settings = Settings::new(server.port(), Security::Plain);
    (server, settings)
}

pub async fn dev_server(tls: DevTls) -> DevServer {
    DevServer::builder()
        .tls(tls)
        .user(USER, PASSWORD)
        .start()
        .await
        .unwrap()
}

/// A dev server speaking `tls` whose login also works over plain text: what a client that
/// falls back to plain text would need.
pub fn with_plain_login(tls: DevTls) -> DevServerBuilder {
    DevServer::builder()
        .tls(tls)
        .user(USER, PASSWORD)
        .allow_auth_without_tls(true)
}

/// The settings that match `server`, trusting its CA through a CA file.
pub fn trusting(server: &DevServer, security: Security, dir: &tempfile::TempDir) -> Settings {
    let ca = server.write_ca_file(dir.path()).unwrap();
    Settings::new(server.port(), security)
        .login(PASSWORD)
        .ca(ca)
}

/// A dev server speaking `tls` with a login, and a mailer that connects to it with `security`
/// and a `TIMEOUT` of 2 s, trusting its CA (a CA file in `dir`).
pub async fn mailer_for(
    tls: DevTls,
    security: Security,
    dir: &tempfile::TempDir,
) -> (DevServer, Mailer) {
    let server = dev_server(tls).await;
    let mut settings = trusting(&server, security, dir);
    settings.timeout = Duration::from_secs(2);
    let mailer = Mailer::new(&settings).unwrap();
    (server, mailer)
}

/// Sends a message that must not go out: the error.
pub async fn never_sent(mailer: &Mailer) -> SendError {
    within(mailer.send(simple(mailer, "never")))
        .await
        .unwrap_err()
}

pub fn simple(mailer: &Mailer, subject: &str) -> lettre::Message {
    mailer
        .message()
        .to("rcpt@example.net".parse().unwrap())
        .subject(subject)
        .body("Hello.\n".to_owned())
        .unwrap()
}

/// Both renderings of the error must never hold the password.
pub fn assert_no_password(err: &SendError) {
    for text in [err.to_string(), format!("{err:?}")] {
        assert!(!text.contains(PASSWORD), "password leaked: {text}");
    }
}
