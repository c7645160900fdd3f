//! Keys other mail libraries read for the settings of [`crate::SmtpConfig`]: one table, data
//! only, read by the unknown-key check (each such key set under the `MAIL_` prefix is an error,
//! never a "did you mean"), by the hint of a missing setting (Django's `EMAIL_*`, which a
//! Django app may well read, is named only when the `MAIL_` key it stands for is missing), by
//! `mailconf migrate` and by the settings page.
//!
//! Each row says what its value becomes ([`Rule`]); [`translate`] turns a row and the values
//! set into the exact `MAIL_…=value` assignments, deciding TLS flags with the port from the
//! one table of TLS modes ([`crate::Security`]).

mod dsn;
mod translate;

use mailconf_core::{ForeignKey, Message};

use crate::security::MAIL_KEYS;

pub(crate) use translate::{Assignment, Outcome, translate};

/// A library (or framework) whose mail settings are recognised.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Dialect {
    /// Its name in messages: `Flask-Mail`.
    pub(crate) name: &'static str,
    /// The key it reads the port from (besides `MAIL_PORT`, which wins when set).
    pub(crate) port_key: &'static str,
    /// The port it connects to when none is set.
    pub(crate) default_port: u16,
}

pub(crate) static FLASK: Dialect = Dialect {
    name: "Flask-Mail",
    port_key: "MAIL_PORT",
    default_port: 25,
};
pub(crate) static DJANGO: Dialect = Dialect {
    name: "Django",
    port_key: "EMAIL_PORT",
    default_port: 25,
};
/// `config/mail.php`: `'port' => env('MAIL_PORT', 587)`.
pub(crate) static LARAVEL: Dialect = Dialect {
    name: "Laravel",
    port_key: "MAIL_PORT",
    default_port: 587,
};
pub(crate) static SYMFONY: Dialect = Dialect {
    name: "Symfony Mailer",
    port_key: "MAILER_DSN",
    default_port: 25,
};
/// The `SMTP_HOST`/`SMTP_PORT`/`SMTP_SECURE` family of Node apps (Nodemailer's options).
pub(crate) static NODE: Dialect = Dialect {
    name: "Node.js (SMTP_*)",
    port_key: "SMTP_PORT",
    default_port: 587,
};

/// What a foreign key's value becomes.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Rule {
    /// The same value under another name: `EMAIL_HOST` → `MAIL_SERVER`.
    Rename(&'static str),
    /// A boolean written as fastapi-mail's `0`/`1`: `MAIL_SUPPRESS_SEND` → `SUPPRESS_SEND`.
    Flag(&'static str),
    /// One of the keys that choose the TLS mode; the mode is decided from all of them and the
    /// port, and written as `MAIL_STARTTLS` and `MAIL_SSL_TLS`. The key named is the one whose
    /// missing-setting hint names this row.
    Tls(&'static str),
    /// Laravel's `MAIL_MAILER`: `smtp` needs nothing, `log`/`array` keep mail unsent.
    Mailer,
    /// Symfony's `MAILER_DSN`: the whole connection.
    Dsn,
    /// No mailconf setting does what it does: removed, with the reason (a catalog id).
    Nothing(&'static str),
}

/// One foreign key.
#[derive(Debug)]
pub(crate) struct Foreign {
    pub(crate) key: &'static str,
    pub(crate) dialect: &'static Dialect,
    pub(crate) rule: Rule,
}

impl Foreign {
    /// The `MAIL_` setting it stands for, when one does.
    pub(crate) const fn setting(&self) -> &'static str {
        match self.rule {
            Rule::Rename(key) | Rule::Flag(key) | Rule::Tls(key) => key,
            Rule::Dsn => Foreign::DSN_SETTING,
            Rule::Mailer | Rule::Nothing(_) => "",
        }
    }

    /// The settings it stands for whatever its value: both TLS flags for a key that chooses the
    /// TLS mode (the mode is decided from both), else [`Foreign::setting`]. `migrate` leaves a
    /// key of another library in place when one of these is set already, and decides that
    /// before translating: a translation may read a key another line's rename has not written
    /// yet (the port), so it is not the same on every pass.
    pub(crate) fn settings(&'static self) -> &'static [&'static str] {
        static TLS_FLAGS: [&str; 2] = [MAIL_KEYS.starttls, MAIL_KEYS.ssl_tls];
        static DSN: [&str; 1] = [Foreign::DSN_SETTING];
        match &self.rule {
            Rule::Rename(key) | Rule::Flag(key) => std::slice::from_ref(key),
            Rule::Tls(_) => &TLS_FLAGS,
            Rule::Dsn => &DSN,
            Rule::Mailer | Rule::Nothing(_) => &[],
        }
    }

    /// The setting a DSN stands for when it is named as one.
    const DSN_SETTING: &'static str = "MAIL_SERVER";

    const fn core(&'static self) -> ForeignKey {
        ForeignKey {
            key: self.key,
            dialect: self.dialect.name,
            instead: self.setting(),
            setting: self.setting(),
            explain: Some(explain),
        }
    }
}

const fn row(key: &'static str, dialect: &'static Dialect, rule: Rule) -> Foreign {
    Foreign { key, dialect, rule }
}

/// Every foreign key, by library.
pub(crate) static TABLE: [Foreign; 28] = [
    row("MAIL_USE_TLS", &FLASK, Rule::Tls("MAIL_STARTTLS")),
    row("MAIL_USE_SSL", &FLASK, Rule::Tls("MAIL_SSL_TLS")),
    row("MAIL_DEFAULT_SENDER", &FLASK, Rule::Rename("MAIL_FROM")),
    row("MAIL_SUPPRESS_SEND", &FLASK, Rule::Flag("SUPPRESS_SEND")),
    row(
        "MAIL_MAX_EMAILS",
        &FLASK,
        Rule::Nothing("dialect-flask-max-emails"),
    ),
    row(
        "MAIL_ASCII_ATTACHMENTS",
        &FLASK,
        Rule::Nothing("dialect-flask-ascii-attachments"),
    ),
    row("EMAIL_HOST", &DJANGO, Rule::Rename("MAIL_SERVER")),
    row("EMAIL_PORT", &DJANGO, Rule::Rename("MAIL_PORT")),
    row("EMAIL_HOST_USER", &DJANGO, Rule::Rename("MAIL_USERNAME")),
    row(
        "EMAIL_HOST_PASSWORD",
        &DJANGO,
        Rule::Rename("MAIL_PASSWORD"),
    ),
    row("EMAIL_USE_TLS", &DJANGO, Rule::Tls("MAIL_STARTTLS")),
    row("EMAIL_USE_SSL", &DJANGO, Rule::Tls("MAIL_SSL_TLS")),
    row("EMAIL_TIMEOUT", &DJANGO, Rule::Rename("TIMEOUT")),
    row(
        "EMAIL_SSL_CERTFILE",
        &DJANGO,
        Rule::Nothing("dialect-django-certfile"),
    ),
    row(
        "EMAIL_SSL_KEYFILE",
        &DJANGO,
        Rule::Nothing("dialect-django-keyfile"),
    ),
    row("DEFAULT_FROM_EMAIL", &DJANGO, Rule::Rename("MAIL_FROM")),
    row("MAIL_MAILER", &LARAVEL, Rule::Mailer),
    row("MAIL_HOST", &LARAVEL, Rule::Rename("MAIL_SERVER")),
    row("MAIL_ENCRYPTION", &LARAVEL, Rule::Tls("MAIL_STARTTLS")),
    row("MAIL_SCHEME", &LARAVEL, Rule::Tls("MAIL_SSL_TLS")),
    row("MAIL_FROM_ADDRESS", &LARAVEL, Rule::Rename("MAIL_FROM")),
    row("MAILER_DSN", &SYMFONY, Rule::Dsn),
    row("SMTP_HOST", &NODE, Rule::Rename("MAIL_SERVER")),
    row("SMTP_PORT", &NODE, Rule::Rename("MAIL_PORT")),
    row("SMTP_SECURE", &NODE, Rule::Tls("MAIL_SSL_TLS")),
    row("SMTP_USER", &NODE, Rule::Rename("MAIL_USERNAME")),
    row("SMTP_PASS", &NODE, Rule::Rename("MAIL_PASSWORD")),
    row("SMTP_FROM", &NODE, Rule::Rename("MAIL_FROM")),
];

const fn core_rows() -> [ForeignKey; TABLE.len()] {
    let mut out = [ForeignKey {
        key: "",
        dialect: "",
        instead: "",
        setting: "",
        explain: None,
    }; TABLE.len()];
    let mut i = 0;
    while i < TABLE.len() {
        out[i] = TABLE[i].core();
        i += 1;
    }
    out
}

static CORE_ROWS: [ForeignKey; TABLE.len()] = core_rows();

/// The table as the loader reads it (`#[mailconf(foreign_keys = …)]`).
pub(crate) const FOREIGN_KEYS: &[ForeignKey] = &CORE_ROWS;

/// The row of `key`, whatever its case.
pub(crate) fn find(key: &str) -> Option<&'static Foreign> {
    TABLE.iter().find(|row| row.key.eq_ignore_ascii_case(key))
}

/// The loader's advice for a foreign key that is set: the assignments to write instead.
fn explain(key: &str, get: &dyn Fn(&str) -> Option<String>) -> Message {
    let Some(row) = find(key) else {
        return Message::text("");
    };
    translate(row, get).advice(row)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_row_per_key_and_the_loaders_table_follows_it() {
        for (i, row) in TABLE.iter().enumerate() {
            assert!(
                TABLE[i + 1..].iter().all(|other| other.key != row.key),
                "{}",
                row.key
            );
            assert_eq!(FOREIGN_KEYS[i].key, row.key);
            assert_eq!(FOREIGN_KEYS[i].dialect, row.dialect.name);
        }
    }
}
