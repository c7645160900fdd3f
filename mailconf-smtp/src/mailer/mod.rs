//! [`Mailer`]: sends [`lettre::Message`]s with the settings of any [`SmtpSettings`].
//!
//! lettre's pooled `AsyncSmtpTransport` reports a failure without saying which step failed and
//! bounds only the TCP connect with its timeout (lettre#1027). This mailer drives lettre's
//! connection-level API itself so that every error names its [`Stage`], one timeout bounds the
//! whole send, and STARTTLS can never fall back to plain text.

mod blocking;
mod compose;
mod connect;
mod deliver;
mod error;
mod pool;
mod report;
mod send;
mod well_formed;

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use lettre::Message;
use lettre::transport::smtp::authentication::Credentials as LettreCredentials;
use lettre::transport::smtp::extension::ClientId;
use mailconf_core::Secret;

pub use blocking::BlockingMailer;
pub use compose::Recipient;
pub(crate) use error::Hint;
pub use error::{ComposeError, FailureKind, MailerError, SendError, Stage};
pub use report::SendReport;

use crate::client::{Context, client_id, tls_parameters};

use crate::{SendLimiter, SmtpSettings, security::Security};
use connect::{Connector, Login, Mode};
use pool::Pool;

/// Sends mail through one SMTP server, with a small pool of authenticated connections, a rate
/// limit and retries.
///
/// Cheap to clone (an `Arc` inside); every clone shares the pool and the rate limit, so share
/// one mailer across tasks instead of building one per message.
///
/// ```no_run
/// # async fn demo(settings: &impl mailconf_smtp::SmtpSettings) -> Result<(), Box<dyn std::error::Error>> {
/// use mailconf_smtp::Mailer;
///
/// let mailer = Mailer::new(settings)?;
/// let message = mailer.verification_email("Zoë <zoe@example.com>", "Example", "https://example.com/confirm?t=1")?;
/// match mailer.send(message).await {
///     Ok(report) => println!("accepted: {} {}", report.code(), report.reply()),
///     Err(e) => eprintln!("{e}"), // names the stage, the server's reply and a hint
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Mailer {
    inner: Arc<Inner>,
}

struct Inner {
    connector: Connector,
    pool: Pool,
    limiter: Option<SendLimiter>,
    timeout: Duration,
    sender: lettre::message::Mailbox,
    /// The right-hand side of generated Message-IDs: the sender's domain, in ASCII.
    id_domain: String,
    suppress: bool,
    suppressed: Mutex<Vec<Message>>,
    context: Context,
    /// Kept only to scrub it from error texts, in case a server echoes it.
    password: Option<Secret<String>>,
    #[cfg(feature = "templates")]
    templates: Option<crate::templates::Templates>,
}

impl Mailer {
    /// Builds a mailer; nothing is connected until the first send.
    ///
    /// Fails when the CA file cannot be read or holds no certificate, when the TLS settings
    /// cannot be built, or when lettre does not accept the sender address.
    pub fn new(settings: &impl SmtpSettings) -> Result<Mailer, MailerError> {
        let endpoint = settings.endpoint();
        let tls_options = settings.tls();
        let credentials = settings.credentials();
        let oauth2 = settings.oauth2();
        let mode = match endpoint.security {
            Security::Plain => Mode::Plain,
            Security::StartTls => Mode::StartTls(tls_parameters(&endpoint.host, &tls_options)?),
            Security::ImplicitTls => Mode::Implicit(tls_parameters(&endpoint.host, &tls_options)?),
        };
        if endpoint.security == Security::Plain
            && (credentials.is_some() || oauth2.is_some())
            && !endpoint.host.is_loopback()
        {
            // Allowed (MAIL_ALLOW_INSECURE_AUTH), but worth a trace when it happens.
            tracing::warn!(server = %endpoint.host, "the SMTP login will be sent without TLS");
        }
        let sender_setting = settings.sender();
        let sender =
            compose::lettre_mailbox(&sender_setting).map_err(|reason| MailerError::Sender {
                address: sender_setting.email.to_string(),
                reason,
            })?;
        let id_domain = compose::ascii_domain(sender.email.domain());
        let timeout = settings.timeout();
        let context = Context {
            host: endpoint.host.clone(),
            port: endpoint.port.get(),
            security: endpoint.security,
            timeout,
            validate_certs: tls_options.validate_certs,
            ca_file: tls_options.ca_file.is_some(),
            login: credentials.is_some() || oauth2.is_some(),
            username: match &oauth2 {
                Some(o) => Some(o.mailbox.clone()),
                None => credentials.as_ref().map(|c| c.username.clone()),
            },
            oauth2: oauth2.as_ref().map(|o| o.grant.name()),
            provider: Context::provider_of(settings.provider(), &endpoint.host),
        };
        let login = match (oauth2, &credentials) {
            (Some(oauth2), _) => oauth2_login(oauth2, timeout)?,
            (None, Some(c)) => Login::Password(LettreCredentials::new(
                c.username.clone(),
                c.password.expose_secret().clone(),
            )),
            (None, None) => Login::None,
        };
        let connector = Connector {
            host: endpoint.host.to_string(),
            port: endpoint.port.get(),
            mode,
            hello: settings
                .hello_name()
                .map_or_else(ClientId::default, client_id),
            login,
        };
        #[cfg(feature = "templates")]
        let templates = load_templates(settings)?;
        #[cfg(not(feature = "templates"))]
        load_templates(settings)?;
        let limiter = match (settings.rate_limit(), settings.shared_rate_limit()) {
            (None, _) => None,
            (Some(limits), None) => Some(SendLimiter::local(&limits)),
            (Some(limits), Some(shared)) => Some(
                SendLimiter::shared(&limits, &shared)
                    .map_err(|reason| MailerError::RateLimitStore { reason })?,
            ),
        };
        Ok(Mailer {
            inner: Arc::new(Inner {
                connector,
                pool: Pool::new(settings.pool_size()),
                limiter,
                timeout,
                sender,
                id_domain,
                suppress: settings.suppress_send(),
                suppressed: Mutex::new(Vec::new()),
                context,
                password: credentials.map(|c| c.password),
                #[cfg(feature = "templates")]
                templates,
            }),
        })
    }

    /// The messages recorded instead of sent because `SUPPRESS_SEND` is on, oldest first.
    pub fn suppressed(&self) -> Vec<Message> {
        self.inner
            .suppressed
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// How many SMTP sessions are open right now, idle in the pool or in use.
    pub fn open_connections(&self) -> usize {
        self.inner.pool.open()
    }

    /// The templates of `TEMPLATE_FOLDER` ([`SmtpSettings::template_folder`]), parsed when
    /// the mailer was built; `None` without a folder.
    #[cfg(feature = "templates")]
    pub fn templates(&self) -> Option<&crate::templates::Templates> {
        self.inner.templates.as_ref()
    }

    /// The sender every message from [`message`](Self::message) starts with.
    pub fn sender(&self) -> &lettre::message::Mailbox {
        &self.inner.sender
    }
}

/// Every template of the folder parsed now, so that a syntax error stops the start-up.
#[cfg(feature = "templates")]
fn load_templates(
    settings: &impl SmtpSettings,
) -> Result<Option<crate::templates::Templates>, MailerError> {
    settings
        .template_folder()
        .map(crate::templates::Templates::from_folder)
        .transpose()
        .map_err(MailerError::Templates)
}

/// Without the feature a folder would be ignored: an error instead.
#[cfg(not(feature = "templates"))]
fn load_templates(settings: &impl SmtpSettings) -> Result<(), MailerError> {
    match settings.template_folder() {
        Some(folder) => Err(MailerError::TemplatesNotBuilt { folder }),
        None => Ok(()),
    }
}

#[cfg(feature = "oauth2")]
fn oauth2_login(login: crate::OAuth2Login, timeout: Duration) -> Result<Login, MailerError> {
    crate::oauth2::TokenSource::new(login, timeout)
        .map(|source| Login::OAuth2(Box::new(source)))
        .map_err(|reason| MailerError::OAuth2 { reason })
}

/// Settings that ask for XOAUTH2 in a build that cannot do it (an own [`SmtpSettings`]; a
/// loaded `SmtpConfig` reports it already).
#[cfg(not(feature = "oauth2"))]
fn oauth2_login(_: crate::OAuth2Login, _: Duration) -> Result<Login, MailerError> {
    Err(MailerError::OAuth2 {
        reason: "the settings ask for an OAuth2 (XOAUTH2) login, but mailconf-smtp was built without its `oauth2` feature".to_owned(),
    })
}

impl fmt::Debug for Mailer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let context = &self.inner.context;
        f.debug_struct("Mailer")
            .field("server", &context.server())
            .field("security", &context.security)
            .field("login", &self.inner.connector.login.is_some())
            .field("oauth2", &self.inner.context.oauth2)
            .field("timeout", &self.inner.timeout)
            .field("suppress_send", &self.inner.suppress)
            .field("open_connections", &self.open_connections())
            .finish_non_exhaustive()
    }
}
