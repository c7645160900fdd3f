//! A foreign key and the values set → the fastapi-mail assignments that do the same.

use mailconf_core::{FromValue, MailConfig, Message};

use super::{DJANGO, Dialect, FLASK, Foreign, LARAVEL, NODE, Rule, dsn};
use crate::security::MAIL_KEYS;
use crate::{Security, SmtpConfig};

/// One setting to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Assignment {
    pub(crate) key: &'static str,
    pub(crate) value: String,
    /// For a secret setting, what the value is, to say instead of showing it: "the value of
    /// EMAIL_HOST_PASSWORD".
    pub(crate) secret: Option<Message>,
}

impl Assignment {
    pub(crate) fn new(key: &'static str, value: impl Into<String>) -> Self {
        Assignment {
            key,
            value: value.into(),
            secret: None,
        }
    }

    /// `KEY=value`, or `KEY=<the value of …>` for a secret: never the secret itself.
    pub(crate) fn shown(&self) -> Message {
        match &self.secret {
            Some(what) => Message::new("dialect-assignment-secret")
                .arg("key", self.key)
                .arg("what", what.clone()),
            None => Message::new("dialect-assignment")
                .arg("key", self.key)
                .arg("value", self.value.as_str()),
        }
    }
}

/// What becomes of a foreign key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// These settings do what it did; the note says what was decided and why.
    Set {
        assignments: Vec<Assignment>,
        note: Option<Message>,
    },
    /// Nothing does what it did, or nothing needs to: the reason.
    Remove(Message),
    /// It cannot be translated (a value that means nothing, a transport that is not SMTP).
    Refuse(Message),
}

/// Notes joined with `; `, in the reader's language; `None` when there are none.
pub(crate) fn join_notes(notes: Vec<Message>) -> Option<Message> {
    notes.into_iter().reduce(|first, next| {
        Message::new("dialect-notes")
            .arg("first", first)
            .arg("next", next)
    })
}

impl Outcome {
    /// The settings it writes (none for a removal or a refusal).
    pub(crate) fn assignments(&self) -> &[Assignment] {
        match self {
            Outcome::Set { assignments, .. } => assignments,
            Outcome::Remove(_) | Outcome::Refuse(_) => &[],
        }
    }

    /// The advice in a report: the exact assignments to write, never a secret.
    pub(crate) fn advice(&self, row: &Foreign) -> Message {
        match self {
            Outcome::Set { assignments, note } => {
                let set: Vec<Message> = assignments.iter().map(Assignment::shown).collect();
                match note {
                    Some(note) => Message::new("dialect-set-instead-note")
                        .arg("assignments", set)
                        .arg("note", note.clone()),
                    None => Message::new("dialect-set-instead").arg("assignments", set),
                }
            }
            Outcome::Remove(reason) => Message::new("dialect-remove")
                .arg("key", row.key)
                .arg("reason", reason.clone()),
            Outcome::Refuse(reason) => reason.clone(),
        }
    }
}

/// `True`/`False`, as fastapi-mail's documentation writes its flags.
pub(crate) fn python_bool(value: bool) -> &'static str {
    if value { "True" } else { "False" }
}

/// Whether `key` is a secret setting of [`SmtpConfig`] (its value is never shown).
fn is_secret(key: &str) -> bool {
    SmtpConfig::schema()
        .entries()
        .iter()
        .any(|e| e.key == key && e.field.secret)
}

/// `${NAME}` replaced by NAME's value, as Laravel's phpdotenv resolves a reference in an
/// unquoted or double-quoted value (`MAIL_FROM_NAME="${APP_NAME}"`); an unknown name is kept.
pub(crate) fn resolve(value: &str, get: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        match after.find('}') {
            Some(end)
                if after[..end]
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_') =>
            {
                match get(&after[..end]) {
                    Some(v) => out.push_str(&v),
                    None => out.push_str(&rest[start..start + 3 + end]),
                }
                rest = &after[end + 1..];
            }
            _ => {
                out.push_str("${");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The row's translation given the values set (`get` finds any variable).
pub(crate) fn translate(row: &Foreign, get: &dyn Fn(&str) -> Option<String>) -> Outcome {
    let value = get(row.key).unwrap_or_default();
    match row.rule {
        Rule::Rename(target) => {
            let mut assignment = Assignment::new(target, resolve(&value, get));
            if is_secret(target) {
                assignment.secret = Some(Message::new("dialect-value-of").arg("key", row.key));
            }
            Outcome::Set {
                assignments: vec![assignment],
                note: None,
            }
        }
        Rule::Flag(target) => match bool::from_value(&value) {
            Ok(on) => Outcome::Set {
                assignments: vec![Assignment::new(target, if on { "1" } else { "0" })],
                note: None,
            },
            Err(_) => Outcome::Refuse(
                Message::new("dialect-flag-not-bool")
                    .arg("key", row.key)
                    .arg("value", value.as_str())
                    .arg("target", target),
            ),
        },
        Rule::Tls(_) => tls(row.dialect, get),
        Rule::Mailer => mailer(&value),
        Rule::Dsn => dsn::translate(&value),
        Rule::Nothing(reason) => Outcome::Remove(Message::new(reason)),
    }
}

/// What the TLS keys of a library ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Intent {
    /// One mode.
    Mode(Security),
    /// Both TLS flags on.
    AnyTls,
    /// STARTTLS when the server offers it (Symfony, Nodemailer without `secure`).
    Auto,
}

/// The TLS mode for `intent` on `port`, with what was decided and why. A mode on a well-known
/// port of the other kind takes the port's mode (security.rs's rule): the library would have
/// hung or failed there.
pub(crate) fn decide(intent: Intent, port: u16) -> (Security, Option<Message>) {
    match intent {
        Intent::Mode(mode) => match mode.port_mismatch(port, &MAIL_KEYS) {
            Some(mismatch) => (
                Security::for_port(port).unwrap_or(mode),
                Some(
                    Message::new("dialect-port-decides")
                        .arg("mismatch", mismatch.message)
                        .arg("port", port)
                        .arg("mode", Security::for_port(port).unwrap_or(mode).name()),
                ),
            ),
            None => (mode, None),
        },
        Intent::AnyTls => {
            let mode = Security::for_port(port).unwrap_or(Security::StartTls);
            (
                mode,
                Some(
                    Message::new("dialect-both-tls")
                        .arg("port", port)
                        .arg("mode", mode.name()),
                ),
            )
        }
        Intent::Auto => match Security::for_port(port) {
            Some(Security::StartTls) => (
                Security::StartTls,
                Some(Message::new("dialect-auto-starttls").arg("port", port)),
            ),
            Some(mode) => (mode, None),
            None => (Security::Plain, None),
        },
    }
}

/// The TLS flags for `dialect`'s keys, decided with the port.
fn tls(dialect: &'static Dialect, get: &dyn Fn(&str) -> Option<String>) -> Outcome {
    let intent = match tls_intent(dialect, get) {
        Ok(intent) => intent,
        Err(reason) => return Outcome::Refuse(reason),
    };
    let port_value = get("MAIL_PORT").or_else(|| get(dialect.port_key));
    let (port, default) = match port_value {
        None => (dialect.default_port, true),
        Some(raw) => match raw.trim().parse::<u16>() {
            Ok(port) if port != 0 => (port, false),
            _ => {
                return Outcome::Refuse(
                    Message::new("dialect-port-not-a-port").arg("value", format!("{raw:?}")),
                );
            }
        },
    };
    let (security, note) = decide(intent, port);
    let (starttls, ssl_tls) = security.flag_values();
    let mut assignments = vec![
        Assignment::new(MAIL_KEYS.starttls, python_bool(starttls)),
        Assignment::new(MAIL_KEYS.ssl_tls, python_bool(ssl_tls)),
    ];
    let mut notes: Vec<Message> = note.into_iter().collect();
    if default {
        assignments.push(Assignment::new(MAIL_KEYS.port, port.to_string()));
        notes.push(
            Message::new("dialect-default-port")
                .arg("dialect", dialect.name)
                .arg("port", port),
        );
    }
    Outcome::Set {
        assignments,
        note: join_notes(notes),
    }
}

fn flag(key: &str, get: &dyn Fn(&str) -> Option<String>) -> Result<bool, Message> {
    match get(key) {
        None => Ok(false),
        Some(raw) => bool::from_value(&raw).map_err(|_| {
            Message::new("dialect-tls-flag-not-bool")
                .arg("key", key)
                .arg("value", raw.as_str())
        }),
    }
}

fn tls_intent(
    dialect: &'static Dialect,
    get: &dyn Fn(&str) -> Option<String>,
) -> Result<Intent, Message> {
    let flags = |tls: &str, ssl: &str| -> Result<Intent, Message> {
        Ok(
            match Security::from_flags(flag(tls, get)?, flag(ssl, get)?) {
                Some(mode) => Intent::Mode(mode),
                None => Intent::AnyTls,
            },
        )
    };
    if std::ptr::eq(dialect, &FLASK) {
        flags("MAIL_USE_TLS", "MAIL_USE_SSL")
    } else if std::ptr::eq(dialect, &DJANGO) {
        flags("EMAIL_USE_TLS", "EMAIL_USE_SSL")
    } else if std::ptr::eq(dialect, &LARAVEL) {
        laravel_intent(get)
    } else if std::ptr::eq(dialect, &NODE) {
        match get("SMTP_SECURE") {
            None => Ok(Intent::Auto),
            Some(raw) => match bool::from_value(&raw) {
                Ok(true) => Ok(Intent::Mode(Security::ImplicitTls)),
                Ok(false) => Ok(Intent::Auto),
                Err(_) => {
                    Err(Message::new("dialect-smtp-secure-not-bool").arg("value", raw.as_str()))
                }
            },
        }
    } else {
        Err(Message::new("dialect-no-tls-keys").arg("dialect", dialect.name))
    }
}

/// Laravel's `MAIL_SCHEME` (11+: `smtp`, `smtps`) wins over `MAIL_ENCRYPTION` (`tls`, `ssl`,
/// `null`); `null` and empty are unset, as Laravel's `env()` reads them.
fn laravel_intent(get: &dyn Fn(&str) -> Option<String>) -> Result<Intent, Message> {
    let unset = |v: &str| matches!(v.to_ascii_lowercase().as_str(), "" | "null" | "(null)");
    if let Some(scheme) = get("MAIL_SCHEME").filter(|v| !unset(v)) {
        return match scheme.to_ascii_lowercase().as_str() {
            "smtps" => Ok(Intent::Mode(Security::ImplicitTls)),
            "smtp" => Ok(Intent::Auto),
            _ => Err(Message::new("dialect-laravel-scheme").arg("value", scheme.as_str())),
        };
    }
    match get("MAIL_ENCRYPTION") {
        Some(v) if !unset(&v) => match v.to_ascii_lowercase().as_str() {
            "tls" | "starttls" => Ok(Intent::Mode(Security::StartTls)),
            "ssl" => Ok(Intent::Mode(Security::ImplicitTls)),
            _ => Err(Message::new("dialect-laravel-encryption")
                .arg("value", v.as_str())
                .arg("choices", Security::tls_choices(&MAIL_KEYS))),
        },
        _ => Ok(Intent::Auto),
    }
}

/// Laravel's `MAIL_MAILER`.
fn mailer(value: &str) -> Outcome {
    match value.to_ascii_lowercase().as_str() {
        "smtp" => Outcome::Remove(Message::new("dialect-laravel-mailer-smtp")),
        "log" | "array" => Outcome::Set {
            assignments: vec![Assignment::new("SUPPRESS_SEND", "1")],
            note: Some(Message::new("dialect-laravel-mailer-log").arg("value", value)),
        },
        _ => Outcome::Refuse(Message::new("dialect-laravel-mailer-other").arg("value", value)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_resolve_like_phpdotenv() {
        let get = |k: &str| (k == "APP_NAME").then(|| "Shop".to_owned());
        assert_eq!(resolve("${APP_NAME} <a@b.c>", &get), "Shop <a@b.c>");
        assert_eq!(resolve("${NOPE}x", &get), "${NOPE}x");
        assert_eq!(resolve("$x ${ a", &get), "$x ${ a");
    }

    #[test]
    fn a_tls_mode_on_a_port_of_the_other_kind_takes_the_ports_mode() {
        let (mode, note) = decide(Intent::Mode(Security::StartTls), 465);
        assert_eq!(mode, Security::ImplicitTls);
        assert!(note.unwrap().to_string().contains("port 465"));
        assert_eq!(
            decide(Intent::Mode(Security::StartTls), 2525),
            (Security::StartTls, None)
        );
        assert_eq!(decide(Intent::Auto, 1025), (Security::Plain, None));
        assert_eq!(decide(Intent::AnyTls, 587).0, Security::StartTls);
    }
}
