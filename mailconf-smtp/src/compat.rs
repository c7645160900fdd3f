//! `Compat`: what another library refuses in settings that mailconf accepts, so that one check
//! gates a deployment of that library too (`mailconf check --compat fastapi-mail`).
//!
//! The rules were read off fastapi-mail 1.6.8 running in the test venv, and the differential
//! test (`tests/tests/compat_fastapi_mail.rs`) holds them to it; docs/COMPATIBILITY.md lists
//! what still differs and why.

use std::path::Path;

use mailconf_core::{
    Entry, Error, ErrorKind, Errors, FromValue, Loaded, MailConfig, Mailbox, Message, Sources,
};

use crate::SmtpConfig;

/// A library whose loading rules settings are checked against, on top of mailconf's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Compat {
    /// fastapi-mail 1.6's `ConnectionConfig`, as pydantic-settings loads it from the environment.
    FastapiMail,
}

/// Domains email-validator (behind pydantic's `EmailStr`) refuses as special-use or reserved,
/// with every name under them.
const SPECIAL_USE_DOMAINS: [&str; 6] = ["arpa", "invalid", "local", "localhost", "onion", "test"];

/// The keys fastapi-mail's `ConnectionConfig` has no default for.
const REQUIRED: [&str; 7] = [
    "MAIL_USERNAME",
    "MAIL_PASSWORD",
    "MAIL_PORT",
    "MAIL_SERVER",
    "MAIL_STARTTLS",
    "MAIL_SSL_TLS",
    "MAIL_FROM",
];

impl Compat {
    /// What this library refuses to load in `sources`, each with its reason and the fix. Empty
    /// when it loads them; mailconf's own problems are not repeated here.
    ///
    /// ```
    /// use mailconf_core::Sources;
    /// use mailconf_smtp::Compat;
    ///
    /// let sources = Sources::new().map([("SUPPRESS_SEND", "true"), ("MAIL_FROM", "app@shop.local")]);
    /// let problems = Compat::FastapiMail.problems(&sources);
    /// assert!(problems.iter().any(|p| p.key() == "SUPPRESS_SEND"));
    /// assert!(problems.iter().any(|p| p.key() == "MAIL_FROM"));
    /// ```
    pub fn problems(self, sources: &Sources) -> Vec<Error> {
        match self {
            Compat::FastapiMail => fastapi_mail(sources),
        }
    }
}

impl SmtpConfig {
    /// Loads the settings like [`MailConfig::load_with_warnings`], and refuses them also when
    /// `compat` would, each with that library's reason and the fix: `Ok` means they load in
    /// both.
    ///
    /// ```
    /// use mailconf_core::{MailConfig, Sources};
    /// use mailconf_smtp::{Compat, SmtpConfig};
    ///
    /// let sources = Sources::new().map([
    ///     ("MAIL_USERNAME", "app@example.com"), ("MAIL_PASSWORD", "app-password"),
    ///     ("MAIL_FROM", "app@example.com"), ("MAIL_PORT", "587"),
    ///     ("MAIL_SERVER", "smtp.example.com"), ("MAIL_STARTTLS", "True"),
    ///     ("MAIL_SSL_TLS", "False"), ("TIMEOUT", "30s"),
    /// ]);
    /// assert!(SmtpConfig::load(&sources).is_ok());
    /// let errors = SmtpConfig::load_compat(&sources, Compat::FastapiMail).unwrap_err();
    /// assert_eq!(errors.iter().next().unwrap().key(), "TIMEOUT");
    /// ```
    pub fn load_compat(sources: &Sources, compat: Compat) -> Result<Loaded<SmtpConfig>, Errors> {
        let problems = compat.problems(sources);
        match SmtpConfig::load_with_warnings(sources) {
            Ok(loaded) => match Errors::from_vec(problems) {
                None => Ok(loaded),
                Some(mut errors) => {
                    errors.set_config_name(SmtpConfig::schema().name);
                    errors.set_warnings(loaded.warnings);
                    Err(errors)
                }
            },
            Err(mut errors) => {
                // mailconf's own word on a key comes first; the other library's adds nothing.
                for problem in problems {
                    if errors.get(problem.key()).is_none() {
                        errors.push(problem);
                    }
                }
                Err(errors)
            }
        }
    }
}

fn fastapi_mail(sources: &Sources) -> Vec<Error> {
    // pydantic-settings matches names whatever their case, as `SmtpConfig` does.
    let entry = |key: &str| sources.get_any_case(key);
    let value = |key: &str| entry(key).and_then(|e| e.value().ok());
    let mut out: Vec<Error> = REQUIRED
        .iter()
        .filter(|key| entry(key).is_none())
        .map(|key| missing(key, sources))
        .collect();
    let mut refuse = |entry: &Entry, detail: &'static str, message: Message, hint: Message| {
        out.push(
            Error::new(ErrorKind::InvalidValue { detail }, entry.key(), message)
                .with_hint(hint)
                .with_origin(entry.origin().clone()),
        );
    };
    for key in ["SUPPRESS_SEND", "MAIL_DEBUG"] {
        if let Some(e) = entry(key)
            && let Ok(raw) = e.value()
            && !matches!(u8::from_value(raw), Ok(0 | 1))
        {
            refuse(
                e,
                "fastapi_mail_int_flag",
                Message::new("compat-int-flag").arg("key", key),
                Message::new("compat-int-flag-hint").arg("key", key),
            );
        }
    }
    if let Some(e) = entry("TIMEOUT")
        && let Ok(raw) = e.value()
        && i64::from_value(raw).is_err()
    {
        refuse(
            e,
            "fastapi_mail_timeout",
            Message::new("compat-timeout"),
            Message::new("compat-timeout-hint"),
        );
    }
    if let Some(e) = entry("MAIL_FROM")
        && let Some(reason) = value("MAIL_FROM").and_then(sender_refusal)
    {
        refuse(
            e,
            "fastapi_mail_sender",
            Message::new("compat-sender").arg("reason", Message::new(reason)),
            Message::new("compat-sender-hint"),
        );
    }
    if let Some(e) = entry("TEMPLATE_FOLDER")
        && let Ok(raw) = e.value()
    {
        // pydantic reads an empty path as the working directory.
        let folder = if raw.is_empty() { "." } else { raw };
        if !Path::new(folder).is_dir() {
            refuse(
                e,
                "fastapi_mail_template_folder",
                Message::new("compat-template-folder"),
                Message::new("compat-template-folder-hint"),
            );
        }
    }
    out
}

fn missing(key: &str, sources: &Sources) -> Error {
    let hint = match key {
        "MAIL_USERNAME" | "MAIL_PASSWORD" => Message::new("compat-missing-login-hint"),
        _ if sources.get_any_case("MAIL_URL").is_some() => Message::new("compat-missing-url-hint"),
        _ => Message::new("compat-missing-hint"),
    }
    .arg("key", key);
    let message = Message::new("compat-missing").arg("key", key);
    let error = Error::new(ErrorKind::Missing, key, message).with_hint(hint);
    // The file variable is the schema's (only a secret has one), as the loader reads it.
    let file_key = SmtpConfig::schema()
        .entries()
        .into_iter()
        .find(|e| e.key == key)
        .and_then(|e| e.names().file_key().map(str::to_owned));
    match file_key.and_then(|file_key| sources.get_any_case(&file_key)) {
        Some(file) => error
            .with_origin(file.origin().clone())
            .with_hint(Message::new("compat-missing-file-hint").arg("key", key)),
        None => error,
    }
}

/// What pydantic's `EmailStr` (email-validator, without deliverability checks) refuses in a
/// sender mailconf accepts: the catalog id of email-validator's words.
fn sender_refusal(raw: &str) -> Option<&'static str> {
    let mailbox = Mailbox::from_value(raw).ok()?;
    if mailbox.name.is_some() && !pydantic_reads_the_name(raw) {
        return Some("compat-sender-name-quotes");
    }
    let domain = mailbox.email.domain().to_lowercase();
    if domain.starts_with('[') {
        return Some("compat-sender-bracketed-ip");
    }
    if domain.ends_with('.') {
        return Some("compat-sender-final-period");
    }
    if domain.contains('_') {
        return Some("compat-sender-underscore");
    }
    let special = SPECIAL_USE_DOMAINS
        .iter()
        .any(|s| domain == *s || domain.ends_with(&format!(".{s}")));
    if special {
        return Some("compat-sender-special-use");
    }
    if !domain.contains('.') {
        return Some("compat-sender-no-period");
    }
    if domain
        .rsplit('.')
        .next()
        .is_some_and(|tld| tld.bytes().all(|b| b.is_ascii_digit()))
    {
        return Some("compat-sender-numeric-tld");
    }
    None
}

/// pydantic's "pretty" address pattern: a quoted name, or words of letters, digits and
/// `.!#$%&'*+-/=?^_`{|}~` separated by spaces.
fn pydantic_reads_the_name(raw: &str) -> bool {
    let name = raw.split('<').next().unwrap_or_default().trim();
    name.starts_with('"')
        || name
            .chars()
            .all(|c| c.is_alphanumeric() || c.is_whitespace() || ".!#$%&'*+-/=?^_`{|}~".contains(c))
}
