//! Where and how to connect, and the login: the settings the TLS/port and credential rules
//! look at together.

use mailconf_core::{FromValue, Host, MailConfig, Port, Secret};

use std::path::PathBuf;

use url::Url;

use crate::oauth2::OAuth2Login;
use crate::oauth2::settings as oauth2_settings;
use crate::providers::{Offer, ProviderChoice};
use crate::{Credentials, Endpoint, Security, SmtpUrl, rules};

/// The connection part of [`crate::SmtpConfig`], flattened into it (same `MAIL_` names).
#[derive(MailConfig, Debug, Clone)]
#[mailconf(validate = rules::check)]
pub(crate) struct Connection {
    /// Login name on the SMTP server, often the email address.
    pub(crate) username: Option<String>,
    /// Login password (or app password).
    pub(crate) password: Option<Secret<String>>,
    /// SMTP port: 587 for STARTTLS, 465 for implicit TLS. Required unless MAIL_URL or MAIL_PROVIDER is set.
    #[mailconf(
        required_unless = "url",
        required_unless = "provider",
        hint = "field-port-hint"
    )]
    pub(crate) port: Option<Port>,
    /// SMTP server host name. Required unless MAIL_URL or MAIL_PROVIDER is set.
    #[mailconf(
        required_unless = "url",
        required_unless = "provider",
        hint = "field-server-hint"
    )]
    pub(crate) server: Option<Host>,
    /// Upgrade the connection with STARTTLS (port 587). Required unless MAIL_URL or MAIL_PROVIDER is set.
    #[mailconf(
        renamed_from = "MAIL_TLS",
        required_unless = "url",
        required_unless = "provider"
    )]
    pub(crate) starttls: Option<bool>,
    /// Use TLS from the first byte (port 465). Required unless MAIL_URL or MAIL_PROVIDER is set.
    #[mailconf(
        renamed_from = "MAIL_SSL",
        required_unless = "url",
        required_unless = "provider"
    )]
    pub(crate) ssl_tls: Option<bool>,
    /// Log in with MAIL_USERNAME and MAIL_PASSWORD.
    #[mailconf(env = "USE_CREDENTIALS", default = true)]
    pub(crate) use_credentials: bool,
    /// The whole connection as a URL: smtps://user:pass@host:465, or smtp://user:pass@host:587?tls=required for STARTTLS.
    #[mailconf(rename = "URL")]
    pub(crate) url: Option<SmtpUrl>,
    /// A provider preset that fills MAIL_SERVER, MAIL_PORT and the TLS flags (gmail, microsoft365, ses:eu-west-1…: `mailconf providers` lists them); those set override it.
    #[mailconf(rename = "PROVIDER")]
    pub(crate) provider: Option<ProviderChoice>,
    /// Allow logging in over plain text to a host that is not this machine.
    #[mailconf(rename = "ALLOW_INSECURE_AUTH", default = false)]
    pub(crate) allow_insecure_auth: bool,
    // OAuth2 (XOAUTH2) instead of a password; the rules and grants are in oauth2/settings.rs.
    /// OAuth2 token endpoint (https, or http on this machine); MAIL_PROVIDER=microsoft365 with MAIL_OAUTH2_TENANT, or gmail, gives it when unset.
    #[mailconf(validate = oauth2_settings::token_url_scheme)]
    pub(crate) oauth2_token_url: Option<Url>,
    /// OAuth2 client (application) ID: switches the login to XOAUTH2 with MAIL_USERNAME as the mailbox.
    pub(crate) oauth2_client_id: Option<String>,
    /// OAuth2 client secret (the client-credentials grant needs it; a refresh token may too).
    pub(crate) oauth2_client_secret: Option<Secret<String>>,
    /// OAuth2 refresh token of the mailbox's user: the refresh-token grant (without it, client credentials).
    pub(crate) oauth2_refresh_token: Option<Secret<String>>,
    /// OAuth2 scope, separated by spaces; the provider's SMTP scope when unset.
    pub(crate) oauth2_scope: Option<String>,
    /// Microsoft Entra tenant (ID or domain): with MAIL_PROVIDER=microsoft365 it gives the token URL.
    #[mailconf(validate = oauth2_settings::tenant_chars)]
    pub(crate) oauth2_tenant: Option<String>,
    /// Google service account key (JSON): a JWT-bearer grant acting as MAIL_USERNAME (domain-wide delegation).
    pub(crate) oauth2_service_account_file: Option<PathBuf>,
    /// A file holding an access token that something else keeps fresh (a sidecar); read again whenever it changes.
    #[mailconf(rename = "ACCESS_TOKEN_FILE")]
    pub(crate) access_token_file: Option<PathBuf>,
}

impl Connection {
    /// The provider's offer the settings select, when a provider is set.
    fn offer(&self) -> Option<Offer> {
        let choice = self.provider.as_ref()?;
        let port = self.port.map(|p| p.get());
        Some(
            choice
                .resolve(port, self.starttls, self.ssl_tls)
                .unwrap_or_else(|_| choice.provider.preset()),
        )
    }

    pub(crate) fn security(&self) -> Security {
        match (&self.url, self.starttls, self.ssl_tls) {
            (Some(url), _, _) => url.security,
            (None, Some(starttls), Some(ssl_tls)) => {
                Security::from_flags(starttls, ssl_tls).unwrap_or(Security::StartTls)
            }
            (None, starttls, ssl_tls) => match self.offer() {
                Some(offer) => offer.security,
                None => Security::from_flags(starttls.unwrap_or(false), ssl_tls.unwrap_or(false))
                    .unwrap_or(Security::StartTls),
            },
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
            // A loaded config has both, or a provider (required unless MAIL_URL or
            // MAIL_PROVIDER); the fallbacks only keep this total.
            None => Endpoint {
                host: self
                    .server
                    .clone()
                    .or_else(|| {
                        let host = self.provider.as_ref()?.host();
                        Host::from_value(&host).ok()
                    })
                    .unwrap_or_else(|| Host::Domain("localhost".into())),
                port: self
                    .port
                    .or_else(|| self.offer().and_then(|o| Port::new(o.port)))
                    .unwrap_or(security.default_port()),
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

    /// The password login; `None` under OAuth2.
    pub(crate) fn credentials(&self) -> Option<Credentials> {
        if !self.use_credentials || oauth2_settings::is_used(self) {
            return None;
        }
        Some(Credentials {
            username: self.username()?.to_owned(),
            password: self.password()?.clone(),
        })
    }

    /// The XOAUTH2 login, when OAuth2 is set.
    pub(crate) fn oauth2_login(&self) -> Option<OAuth2Login> {
        oauth2_settings::login(self)
    }
}
