//! Where and how to connect, and the login: the settings the TLS/port and credential rules
//! look at together.

use mailconf_core::{Host, MailConfig, Port, Secret};

use crate::{Credentials, Endpoint, Security, SmtpUrl, rules};

/// The connection part of [`crate::SmtpConfig`], flattened into it (same `MAIL_` names).
#[derive(MailConfig, Debug, Clone)]
#[mailconf(validate = rules::check)]
pub(crate) struct Connection {
    /// Login name on the SMTP server, often the email address.
    pub(crate) username: Option<String>,
    /// Login password (or app password).
    pub(crate) password: Option<Secret<String>>,
    /// SMTP port: 587 for STARTTLS, 465 for implicit TLS. Required unless MAIL_URL is set.
    #[mailconf(
        required_unless = "url",
        hint = "SMTP submission uses 587 (STARTTLS) or 465 (implicit TLS)"
    )]
    pub(crate) port: Option<Port>,
    /// SMTP server host name. Required unless MAIL_URL is set.
    #[mailconf(
        required_unless = "url",
        hint = "the SMTP server from your provider's settings, such as smtp.gmail.com, without smtp:// or a port"
    )]
    pub(crate) server: Option<Host>,
    /// Upgrade the connection with STARTTLS (port 587). Required unless MAIL_URL is set.
    #[mailconf(renamed_from = "MAIL_TLS", required_unless = "url")]
    pub(crate) starttls: Option<bool>,
    /// Use TLS from the first byte (port 465). Required unless MAIL_URL is set.
    #[mailconf(renamed_from = "MAIL_SSL", required_unless = "url")]
    pub(crate) ssl_tls: Option<bool>,
    /// Log in with MAIL_USERNAME and MAIL_PASSWORD.
    #[mailconf(env = "USE_CREDENTIALS", default = true)]
    pub(crate) use_credentials: bool,
    /// The whole connection as a URL: smtps://user:pass@host:465, or smtp://user:pass@host:587?tls=required for STARTTLS.
    #[mailconf(rename = "URL")]
    pub(crate) url: Option<SmtpUrl>,
    /// Allow logging in over plain text to a host that is not this machine.
    #[mailconf(rename = "ALLOW_INSECURE_AUTH", default = false)]
    pub(crate) allow_insecure_auth: bool,
}

impl Connection {
    pub(crate) fn security(&self) -> Security {
        match &self.url {
            Some(url) => url.security,
            None => Security::from_flags(
                self.starttls.unwrap_or(false),
                self.ssl_tls.unwrap_or(false),
            )
            .unwrap_or(Security::StartTls),
        }
    }

    pub(crate) fn endpoint(&self) -> Endpoint {
        let security = self.security();
        match &self.url {
            Some(url) => Endpoint {
                host: url.host.clone(),
                port: url.effective_port(),
                security,
            },
            // A loaded config has both (required unless MAIL_URL); the fallbacks only keep this total.
            None => Endpoint {
                host: self
                    .server
                    .clone()
                    .unwrap_or_else(|| Host::Domain("localhost".into())),
                port: self.port.unwrap_or(security.default_port()),
                security,
            },
        }
    }

    pub(crate) fn username(&self) -> Option<&str> {
        self.url
            .as_ref()
            .and_then(|u| u.username.as_deref())
            .or(self.username.as_deref())
    }

    pub(crate) fn password(&self) -> Option<&Secret<String>> {
        self.url
            .as_ref()
            .and_then(|u| u.password.as_ref())
            .or(self.password.as_ref())
    }

    pub(crate) fn credentials(&self) -> Option<Credentials> {
        if !self.use_credentials {
            return None;
        }
        Some(Credentials {
            username: self.username()?.to_owned(),
            password: self.password()?.clone(),
        })
    }
}
