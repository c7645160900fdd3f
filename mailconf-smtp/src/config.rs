//! `SmtpConfig`: fastapi-mail's `ConnectionConfig` keys, so an existing deployment moves over
//! unchanged, plus `MAIL_URL`, `MAIL_CA_FILE`, `MAIL_RATE_LIMIT` (and its Redis sharing),
//! `MAIL_POOL_SIZE` and `MAIL_ALLOW_INSECURE_AUTH`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use mailconf_core::{Host, Invalid, MailConfig, Mailbox, Message};

use crate::ca_file;
use crate::connection::Connection;
use crate::rate::RateSettings;
use crate::{
    Credentials, Endpoint, OAuth2Login, Provider, RateLimits, Security, SharedLimit, SmtpSettings,
    TlsOptions, Warning, rules,
};

/// SMTP settings, read from the same variables as fastapi-mail's `ConnectionConfig`.
///
/// Loading checks every field and then the rules between them (TLS flags, port and TLS mode,
/// credentials over plain text…), reporting every problem at once.
///
/// ```
/// use mailconf_core::MailConfig;
/// use mailconf_smtp::{Security, SmtpConfig, SmtpSettings};
///
/// let config = SmtpConfig::from_map([
///     ("MAIL_USERNAME", "app@example.com"),
///     ("MAIL_PASSWORD", "app-password"),
///     ("MAIL_FROM", "app@example.com"),
///     ("MAIL_PORT", "587"),
///     ("MAIL_SERVER", "smtp.example.com"),
///     ("MAIL_STARTTLS", "true"),
///     ("MAIL_SSL_TLS", "false"),
/// ])
/// .unwrap();
/// assert_eq!(config.endpoint().security, Security::StartTls);
///
/// let errors = SmtpConfig::from_map([("MAIL_STARTTLS", "true"), ("MAIL_SSL_TLS", "true")]).unwrap_err();
/// assert!(errors.to_string().contains("MAIL_FROM"));
/// ```
///
/// # In an application's own settings
///
/// Flatten it into the application's struct. Without a prefix, it reads fastapi-mail's
/// variables unchanged (`MAIL_SERVER`, `TIMEOUT`, `USE_CREDENTIALS`…), next to the
/// application's own:
///
/// ```
/// use mailconf_core::MailConfig;
/// use mailconf_smtp::SmtpConfig;
///
/// #[derive(MailConfig)]
/// struct Settings {
///     #[mailconf(flatten)]
///     mail: SmtpConfig,
///     #[mailconf(env = "DATABASE_URL")]
///     database_url: String,
/// }
///
/// let keys: Vec<String> = Settings::schema().entries().into_iter().map(|e| e.key).collect();
/// assert!(keys.iter().any(|k| k == "MAIL_SERVER") && keys.iter().any(|k| k == "TIMEOUT"));
/// ```
///
/// With a prefix, `#[mailconf(flatten(prefix = "APP_"))]` (or a `prefix = "APP_"` on the
/// application's struct), every variable gets it in front, those without `MAIL_` too:
/// `APP_MAIL_SERVER`, `APP_TIMEOUT`, `APP_USE_CREDENTIALS`, `APP_MAIL_PASSWORD_FILE`; the old
/// `APP_MAIL_TLS` is reported as renamed to `APP_MAIL_STARTTLS`, and hints and "did you mean"
/// name these variables:
///
/// ```
/// use mailconf_core::MailConfig;
/// use mailconf_smtp::SmtpConfig;
///
/// #[derive(MailConfig, Debug)]
/// struct Settings {
///     #[mailconf(flatten(prefix = "APP_"))]
///     mail: SmtpConfig,
/// }
///
/// let errors = Settings::from_map([
///     ("APP_MAIL_SERVER", "smtp.example.com"),
///     ("APP_MAIL_PORT", "465"),
///     ("APP_MAIL_STARTTLS", "true"),
///     ("APP_MAIL_SSL_TLS", "false"),
///     ("APP_MAIL_FROM", "app@example.com"),
///     ("APP_USE_CREDENTIALS", "false"),
///     ("APP_MAIL_TIMEOUT", "30s"),
/// ])
/// .unwrap_err();
/// let port = errors.get("APP_MAIL_PORT").unwrap();
/// assert!(port.hint().unwrap().contains("APP_MAIL_SSL_TLS=true"));
/// assert_eq!(errors.get("APP_MAIL_TIMEOUT").unwrap().hint().as_deref(), Some("did you mean APP_TIMEOUT?"));
/// ```
///
/// [`SmtpConfig::warnings`] name the variables as `SmtpConfig` alone reads them.
#[derive(MailConfig, Debug, Clone)]
#[mailconf(
    prefix = "MAIL_",
    case_insensitive,
    foreign_keys = crate::dialects::FOREIGN_KEYS,
    validate = rules::check_config
)]
pub struct SmtpConfig {
    /// Server, port, TLS mode and login: checked together by their own rules, so that a bad
    /// value elsewhere (a pool size, a timeout) does not hide a TLS/port mix-up.
    #[mailconf(flatten)]
    pub(crate) connection: Connection,
    /// Sender of every message: `app@example.com`, or `Example App <app@example.com>` whose name
    /// is used unless MAIL_FROM_NAME is set.
    pub(crate) from: Mailbox,
    /// Sender display name, such as "Example App".
    #[mailconf(validate = no_line_breaks)]
    pub(crate) from_name: Option<String>,
    /// Check the server's certificate. Turning it off allows impersonation of the server.
    #[mailconf(env = "VALIDATE_CERTS", default = true)]
    pub(crate) validate_certs: bool,
    /// Limit for one whole send (connect, TLS, login, delivery): 30s, 2m, or seconds.
    #[mailconf(env = "TIMEOUT", default = 60)]
    pub(crate) timeout: Duration,
    /// Record messages instead of sending them (tests of applications).
    #[mailconf(env = "SUPPRESS_SEND", default = false)]
    pub(crate) suppress_send: bool,
    /// Name sent with EHLO; the system host name when unset.
    #[mailconf(env = "LOCAL_HOSTNAME")]
    pub(crate) local_hostname: Option<Host>,
    /// Extra root certificate (PEM) to trust, such as a private CA. CERT_BUNDLE is accepted too.
    #[mailconf(rename = "CA_FILE", alias = "CERT_BUNDLE", validate = readable_pem)]
    pub(crate) ca_file: Option<PathBuf>,
    /// Verbose SMTP logging (fastapi-mail compatibility; mailconf logs through `tracing`).
    #[mailconf(env = "MAIL_DEBUG", default = false)]
    pub(crate) debug: bool,
    /// Folder of the Jinja2 templates of templated mail (feature `templates`), parsed when the Mailer is built.
    #[mailconf(env = "TEMPLATE_FOLDER", validate = templates_built)]
    pub(crate) template_folder: Option<PathBuf>,
    /// The send limit, and the Redis that shares it between processes.
    #[mailconf(flatten)]
    pub(crate) rate: RateSettings,
    /// Most connections open at once.
    #[mailconf(rename = "POOL_SIZE", default = 10, validate = at_least_one)]
    pub(crate) pool_size: u16,
}

fn no_line_breaks(name: &Option<String>) -> Result<(), Invalid> {
    match name {
        Some(n) if n.contains(['\r', '\n']) => Err(Invalid::new(
            "invalid_name",
            Message::new("smtp-name-line-break"),
        )
        .with_hint(Message::new("value-mailbox-line-break-hint"))),
        _ => Ok(()),
    }
}

/// Without the `templates` feature nothing would read the folder: an error, never ignored.
fn templates_built(folder: &Option<PathBuf>) -> Result<(), Invalid> {
    templates_check(folder, cfg!(feature = "templates"))
}

/// [`templates_built`], for a build with or without the `templates` feature.
fn templates_check(folder: &Option<PathBuf>, built: bool) -> Result<(), Invalid> {
    if folder.is_some() && !built {
        return Err(Invalid::new(
            "feature_disabled",
            Message::new("templates-feature-disabled"),
        )
        .with_hint(Message::new("templates-feature-disabled-hint")));
    }
    Ok(())
}

fn at_least_one(n: &u16) -> Result<(), Invalid> {
    if *n == 0 {
        Err(Invalid::new(
            "invalid_pool_size",
            Message::new("smtp-pool-empty"),
        ))
    } else {
        Ok(())
    }
}

/// Caught at load time, so a typo in the path does not wait for the first send.
fn readable_pem(path: &Option<PathBuf>) -> Result<(), Invalid> {
    let Some(path) = path else { return Ok(()) };
    match ca_file::read(path) {
        Ok(_) => Ok(()),
        Err(e) => {
            let invalid = Invalid::new(e.code(), e.reason());
            Err(match e.hint(path) {
                Some(hint) => invalid.with_hint(hint),
                None => invalid,
            })
        }
    }
}

impl SmtpConfig {
    /// The config, when every setting loaded (for the warnings of the validate hook).
    pub(crate) fn from_partial(partial: &SmtpConfigPartial) -> Option<SmtpConfig> {
        Some(SmtpConfig {
            connection: partial.connection.clone()?,
            from: partial.from.clone()?,
            from_name: partial.from_name.clone()?,
            validate_certs: partial.validate_certs?,
            timeout: partial.timeout?,
            suppress_send: partial.suppress_send?,
            local_hostname: partial.local_hostname.clone()?,
            ca_file: partial.ca_file.clone()?,
            debug: partial.debug?,
            template_folder: partial.template_folder.clone()?,
            rate: partial.rate.clone()?,
            pool_size: partial.pool_size?,
        })
    }

    /// The TLS mode, from MAIL_URL or from MAIL_STARTTLS / MAIL_SSL_TLS.
    pub fn security(&self) -> Security {
        self.connection.security()
    }

    /// Settings that work but deserve attention (also logged through `tracing` at load).
    pub fn warnings(&self) -> Vec<Warning> {
        rules::warnings(self)
    }

    /// The login name, from MAIL_URL or MAIL_USERNAME.
    pub fn username(&self) -> Option<&str> {
        self.connection.username()
    }

    /// Whether to log in (USE_CREDENTIALS).
    pub fn use_credentials(&self) -> bool {
        self.connection.use_credentials
    }

    /// The extra root certificate file.
    pub fn ca_file(&self) -> Option<&Path> {
        self.ca_file.as_deref()
    }

    /// Whether MAIL_DEBUG is on.
    pub fn debug(&self) -> bool {
        self.debug
    }
}

impl SmtpSettings for SmtpConfig {
    fn endpoint(&self) -> Endpoint {
        self.connection.endpoint()
    }

    fn credentials(&self) -> Option<Credentials> {
        self.connection.credentials()
    }

    fn oauth2(&self) -> Option<OAuth2Login> {
        self.connection.oauth2_login()
    }

    fn sender(&self) -> Mailbox {
        Mailbox {
            name: self.from_name.clone().or_else(|| self.from.name.clone()),
            email: self.from.email.clone(),
        }
    }

    fn timeout(&self) -> Duration {
        self.timeout
    }

    fn tls(&self) -> TlsOptions {
        TlsOptions {
            validate_certs: self.validate_certs,
            ca_file: self.ca_file.clone(),
        }
    }

    fn pool_size(&self) -> usize {
        usize::from(self.pool_size)
    }

    fn rate_limit(&self) -> Option<RateLimits> {
        self.rate.rate_limit.clone()
    }

    fn shared_rate_limit(&self) -> Option<SharedLimit> {
        self.rate.shared(|| self.endpoint().host.to_string())
    }

    fn hello_name(&self) -> Option<Host> {
        self.local_hostname.clone()
    }

    fn provider(&self) -> Option<&'static Provider> {
        self.connection
            .provider
            .as_ref()
            .map(|choice| choice.provider)
    }

    fn suppress_send(&self) -> bool {
        self.suppress_send
    }

    fn template_folder(&self) -> Option<PathBuf> {
        // An empty value (a .env line `TEMPLATE_FOLDER=`) means no folder.
        self.template_folder
            .clone()
            .filter(|folder| !folder.as_os_str().is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_template_folder_without_the_templates_feature_is_an_error_naming_it() {
        let folder = Some(PathBuf::from("templates"));
        let invalid = templates_check(&folder, false).unwrap_err();
        assert_eq!(invalid.code, "feature_disabled");
        assert!(
            invalid
                .hint
                .unwrap()
                .to_string()
                .contains("`templates` feature"),
            "the hint names the feature"
        );
        assert!(templates_check(&folder, true).is_ok());
        assert!(templates_check(&None, false).is_ok());
    }

    #[test]
    fn the_ca_file_must_be_a_small_regular_file() {
        // Found by fuzzing (fuzz/fuzz_targets/map.rs): `/dev/zero` was read until memory ran out.
        for path in ["/dev/zero", "/dev/null", "/"] {
            let invalid = readable_pem(&Some(PathBuf::from(path))).unwrap_err();
            assert_eq!(invalid.code, "file_unreadable", "{path}");
            assert!(
                invalid.message.to_string().contains("not a regular file"),
                "{invalid}"
            );
        }
    }
}
