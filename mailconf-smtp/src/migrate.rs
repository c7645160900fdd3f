//! `mailconf migrate`: a `.env` written for another library, rewritten to fastapi-mail's keys
//! with the dialect table's translations; every other byte is kept.
//!
//! ```
//! use mailconf_smtp::migrate::rewrite;
//!
//! let before = "# mail\nMAIL_SERVER=smtp.example.com\nMAIL_PORT=465\nMAIL_USE_TLS=True\nMAIL_USE_SSL=False\n";
//! let migration = rewrite(before).unwrap();
//! assert_eq!(
//!     migration.text,
//!     "# mail\nMAIL_SERVER=smtp.example.com\nMAIL_PORT=465\nMAIL_STARTTLS='False'\nMAIL_SSL_TLS='True'\n"
//! );
//! assert_eq!(migration.changes[0].key, "MAIL_USE_TLS");
//! assert_eq!(migration.changes[0].dialect, "Flask-Mail");
//! ```

use std::collections::{HashMap, HashSet};
use std::fmt;

use mailconf_core::dotenv_file::{Unwritable, assignment, pieces};
use mailconf_core::{Lang, Message, Sources};

use crate::dialects::{self, Assignment, Outcome, Rule};

/// The rewritten file and what changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migration {
    /// The whole file, rewritten (the input unchanged when there was nothing to do).
    pub text: String,
    /// Each foreign key that was translated or removed, in file order.
    pub changes: Vec<Change>,
}

/// One foreign key of the file and what became of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The key as the file writes it.
    pub key: String,
    /// The library it belongs to, such as `Flask-Mail`.
    pub dialect: &'static str,
    /// What was done, with the assignments written (a secret's value never shown), in
    /// English; [`Change::action_in`] says it in another language.
    pub action: String,
    message: Message,
}

impl Change {
    fn new(key: &str, dialect: &'static str, message: Message) -> Change {
        Change {
            key: key.to_owned(),
            dialect,
            action: message.to_string(),
            message,
        }
    }

    /// What was done, in `lang`.
    pub fn action_in(&self, lang: Lang) -> String {
        self.message.render(lang)
    }

    /// The whole line, `KEY (Library): action`, in `lang`.
    pub fn in_lang(&self, lang: Lang) -> String {
        Message::new("migrate-change")
            .arg("key", self.key.as_str())
            .arg("dialect", self.dialect)
            .arg("action", self.message.clone())
            .render(lang)
    }
}

/// A foreign key the rewrite cannot translate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The key as the file writes it.
    pub key: String,
    /// The library it belongs to.
    pub dialect: &'static str,
    /// Why, and what to do instead, in English.
    pub reason: String,
    message: Message,
}

/// Why a file cannot be rewritten. Never holds a value of the file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MigrateError {
    /// A line does not parse as a `.env` assignment.
    #[error("the file does not parse: {0}")]
    Unreadable(String),
    /// Keys whose settings have no translation; nothing was rewritten.
    #[error("{}", refusals(.0))]
    Untranslatable(Vec<Refusal>),
    /// A translated value no `.env` form carries identically for every reader.
    #[error("{key} cannot be written: {reason}")]
    Unwritable {
        /// The key to write.
        key: String,
        /// Why ([`Unwritable`]'s message, which never quotes the value).
        reason: String,
    },
}

fn refusals(list: &[Refusal]) -> String {
    let lines: Vec<String> = list
        .iter()
        .map(|r| format!("{} ({}): {}", r.key, r.dialect, r.reason))
        .collect();
    format!("cannot translate {}", lines.join("; "))
}

impl MigrateError {
    /// The error in `lang`.
    pub fn in_lang(&self, lang: Lang) -> String {
        match self {
            MigrateError::Unreadable(problem) => Message::new("migrate-unreadable")
                .arg("problem", problem.as_str())
                .render(lang),
            MigrateError::Untranslatable(list) => {
                let refusals: Vec<Message> = list
                    .iter()
                    .map(|r| {
                        Message::new("migrate-change")
                            .arg("key", r.key.as_str())
                            .arg("dialect", r.dialect)
                            .arg("action", r.message.clone())
                    })
                    .collect();
                Message::new("migrate-untranslatable")
                    .arg("refusals", refusals)
                    .render(lang)
            }
            MigrateError::Unwritable { key, reason } => Message::new("migrate-unwritable")
                .arg("key", key.as_str())
                .arg("reason", reason.as_str())
                .render(lang),
        }
    }
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.in_lang(Lang::En))
    }
}

/// `text` (a `.env` file) with every other library's key replaced by the fastapi-mail keys that
/// do the same, as [`crate::SmtpConfig`]'s report advises; comments, blank lines and every
/// other line are kept byte for byte. A renamed key keeps its value exactly as written (a
/// password is copied, never re-encoded); a computed value is quoted so that every reader
/// reads it back. A key that no setting replaces is commented out with the reason. Django's,
/// Symfony's and Node's keys, which their apps may read next to fastapi-mail's, are left as
/// they are (neither translated nor refused) when a setting they stand for is set already.
///
/// # Errors
/// A file that does not parse, a key that cannot be translated (Laravel's `MAIL_MAILER=ses`),
/// or a value that cannot be written; then nothing is rewritten.
pub fn rewrite(text: &str) -> Result<Migration, MigrateError> {
    let sources = Sources::new().dotenv_str(".env", text);
    if let Some(problem) = sources.problems().next() {
        return Err(MigrateError::Unreadable(problem.to_string()));
    }
    let get = |key: &str| {
        sources
            .get_any_case(key)
            .and_then(|e| e.value().ok())
            .map(str::to_owned)
    };
    let native = |key: &str| dialects::find(key).is_none() && get(key).is_some();
    let mut out = String::with_capacity(text.len() + 64);
    let mut changes = Vec::new();
    let mut refused = Vec::new();
    let mut written: HashSet<&'static str> = HashSet::new();
    // Lines written join as the file's own lines do.
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let pieces = pieces(text);
    // A key set twice is read from its last line (whatever the case), so that line's value is
    // the one the translation carries; an earlier line kept instead would contradict the
    // settings computed from the value read.
    let mut last_line: HashMap<&'static str, usize> = HashMap::new();
    for (at, piece) in pieces.iter().enumerate() {
        if let Some(row) = piece.key.and_then(dialects::find) {
            last_line.insert(row.key, at);
        }
    }
    for (at, piece) in pieces.iter().enumerate() {
        let Some((key, row)) = piece
            .key
            .and_then(|key| dialects::find(key).map(|row| (key, row)))
        else {
            out.push_str(piece.text);
            continue;
        };
        let outcome = dialects::translate(row, &get);
        // A Django app may read EMAIL_HOST next to MAIL_SERVER: left as it is, whether it would
        // translate or not. What decides it must be the same on every pass, and a TLS key's
        // translation reads the port, which a rename above may write only on this pass: so the
        // row's own settings decide, with what a translation writes from its own value (a DSN).
        let outside = !row.key.starts_with("MAIL_");
        let mut stands_for = row
            .settings()
            .iter()
            .copied()
            .chain(outcome.assignments().iter().map(|a| a.key));
        if outside && stands_for.any(native) {
            out.push_str(piece.text);
            continue;
        }
        let eol = if piece.text.ends_with("\r\n") {
            "\r\n"
        } else if piece.text.ends_with('\n') {
            "\n"
        } else {
            ""
        };
        match &outcome {
            Outcome::Refuse(reason) => {
                refused.push(Refusal {
                    key: key.to_owned(),
                    dialect: row.dialect.name,
                    reason: reason.to_string(),
                    message: reason.clone(),
                });
            }
            Outcome::Set { assignments, .. } => {
                if last_line[row.key] != at {
                    let action = Message::new("migrate-removed-set-again");
                    changes.push(Change::new(key, row.dialect.name, action));
                    continue;
                }
                let mut lines = Vec::new();
                for a in assignments {
                    if native(a.key) || !written.insert(a.key) {
                        continue;
                    }
                    lines.push(line(piece, key, row, a)?);
                }
                let action = if lines.is_empty() {
                    Message::new("migrate-removed-set-already")
                } else {
                    outcome.advice(row)
                };
                if !lines.is_empty() {
                    out.push_str(&lines.join(newline));
                    out.push_str(eol);
                }
                changes.push(Change::new(key, row.dialect.name, action));
            }
            Outcome::Remove(reason) => {
                out.push_str(&format!(
                    "# mailconf migrate: {}'s {key}, commented out: {reason}{newline}",
                    row.dialect.name
                ));
                for original in piece.text.split_inclusive('\n') {
                    out.push_str("# ");
                    out.push_str(original);
                }
                if eol.is_empty() {
                    out.push_str(newline);
                }
                let action = Message::new("migrate-commented-out").arg("reason", reason.clone());
                changes.push(Change::new(key, row.dialect.name, action));
            }
        }
    }
    if !refused.is_empty() {
        return Err(MigrateError::Untranslatable(refused));
    }
    if changes.is_empty() {
        out = text.to_owned();
    }
    Ok(Migration { text: out, changes })
}

/// The line for one assignment: a renamed key keeps the rest of the line as written; a
/// computed value is quoted.
fn line(
    piece: &mailconf_core::dotenv_file::Piece<'_>,
    key: &str,
    row: &dialects::Foreign,
    a: &Assignment,
) -> Result<String, MigrateError> {
    if let Rule::Rename(target) = row.rule
        && target == a.key
    {
        let rest = &piece.text[piece.lead.len() + key.len()..];
        // Only a line end is taken off (the caller writes it back). A lone `\r` at the end of
        // the file is part of what dotenvy read: without it `X=\x05 ` no longer parses.
        let rest = match rest.strip_suffix('\n') {
            Some(line) => line.strip_suffix('\r').unwrap_or(line),
            None => rest,
        };
        return Ok(format!("{}{target}{rest}", piece.lead));
    }
    assignment(a.key, &a.value)
        .map(|line| format!("{}{line}", piece.lead))
        .map_err(|e: Unwritable| MigrateError::Unwritable {
            key: a.key.to_owned(),
            reason: e.to_string(),
        })
}
