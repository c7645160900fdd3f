//! Writing `.env` files that every common reader reads back identically.
//!
//! A `.env` file is read by many programs that each parse it their own way: dotenvy (mailconf,
//! most Rust services), python-dotenv and pydantic-settings (fastapi-mail applications), Node's
//! `dotenv`, and plain `bash` with `set -a; . ./.env`. [`quote`] picks, for each value, the one
//! form all of them read back as exactly that value, and refuses with [`Unwritable`] (naming the
//! character) the rare value none of them can carry. [`edit`] changes some keys of an existing
//! file and keeps every other byte: foreign keys, comments, blank lines and their order.
//!
//! ```
//! use mailconf_core::dotenv_file::{edit, quote};
//!
//! assert_eq!(quote("O'Brien's App").unwrap(), "\"O'Brien's App\"");
//! assert_eq!(quote("p@ss $HOME #1").unwrap(), "'p@ss $HOME #1'");
//! // python-dotenv replaces ${...} in every quoting: no form keeps it.
//! assert!(quote("a${HOME}b").unwrap_err().to_string().contains("${"));
//!
//! let before = "# app\nDATABASE_URL=postgres://db\nMAIL_PORT=25\n";
//! let after = edit(before, &[("MAIL_PORT", Some("587")), ("MAIL_SERVER", Some("smtp.example.com"))]).unwrap();
//! assert_eq!(after, "# app\nDATABASE_URL=postgres://db\nMAIL_PORT='587'\nMAIL_SERVER='smtp.example.com'\n");
//! ```
//!
//! The rules, from each reader's parser:
//! - Inside `'…'` dotenvy, Node and bash take every character literally; python-dotenv also
//!   turns `\\` into `\` and `\'` into `'`. So single quotes carry any value without `'`,
//!   without two backslashes in a row, and not ending in a backslash.
//! - Inside `"…"` each reader has other escapes (Node none, bash `\$ \` \" \\`, python-dotenv
//!   `\\ \' \" \n …`, dotenvy `\\ \' \" \$ \n` and an error for the rest), and bash and dotenvy
//!   expand `$`. So double quotes carry a value with `'` only when it has no `"`, `\`, `$` or
//!   `` ` ``, and no escape is ever written.
//! - python-dotenv (and so pydantic-settings) replaces `${NAME}` and `${NAME:-default}` in
//!   every quoting, with no escape: such a value is refused.
//! - A line break or another control character (tab aside) is refused: no reader keeps it on
//!   one line the same way.

mod edit;

use std::fmt;

use mailconf_values::Message;

pub use edit::{Piece, edit, pieces};

/// Why a value (or key) cannot be written so that every reader reads it back exactly.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Unwritable {
    /// A control character such as a line break, at a character position (from 0).
    Control {
        /// The character.
        character: char,
        /// Its position in the value, counted in characters from 0.
        at: usize,
    },
    /// A `'` together with a character that only single quotes could protect.
    QuoteWith {
        /// The other character: `"`, `\`, `$` or `` ` ``.
        character: char,
        /// Its position in the value, counted in characters from 0.
        at: usize,
    },
    /// Two backslashes in a row, which python-dotenv reads as one.
    DoubleBackslash {
        /// The position of the first, counted in characters from 0.
        at: usize,
    },
    /// A backslash at the end, which python-dotenv reads as escaping the closing quote.
    TrailingBackslash,
    /// `${…}`, which python-dotenv replaces with an environment variable.
    Interpolation {
        /// The position of the `$`, counted in characters from 0.
        at: usize,
    },
    /// The key is not a variable name every reader accepts (letters, digits, `_`, not starting
    /// with a digit).
    Key(String),
}

impl Unwritable {
    /// What is wrong, as a catalog message to show in any language.
    pub fn message(&self) -> Message {
        match self {
            Unwritable::Control { character, at } => Message::new("dotenv-control")
                .arg("character", control_name(*character))
                .arg("position", at + 1),
            Unwritable::QuoteWith { character, at } => Message::new("dotenv-quote-with")
                .arg("character", describe(*character))
                .arg("position", at + 1),
            Unwritable::DoubleBackslash { at } => {
                Message::new("dotenv-double-backslash").arg("position", at + 1)
            }
            Unwritable::TrailingBackslash => Message::new("dotenv-trailing-backslash"),
            Unwritable::Interpolation { at } => {
                Message::new("dotenv-interpolation").arg("position", at + 1)
            }
            Unwritable::Key(key) => Message::new("dotenv-key").arg("key", format!("{key:?}")),
        }
    }
}

/// English.
impl fmt::Display for Unwritable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.message(), f)
    }
}

impl std::error::Error for Unwritable {}

/// The catalog message naming a special character.
fn describe(c: char) -> Message {
    Message::new(match c {
        '"' => "dotenv-char-double-quote",
        '\\' => "dotenv-char-backslash",
        '$' => "dotenv-char-dollar",
        '`' => "dotenv-char-backquote",
        _ => "dotenv-char-other",
    })
}

fn control_name(c: char) -> String {
    let name = match c {
        '\n' => " (LF)",
        '\r' => " (CR)",
        '\0' => " (NUL)",
        _ => "",
    };
    format!("U+{:04X}{name}", u32::from(c))
}

/// `value` quoted for a `.env` file so that dotenvy, python-dotenv, pydantic-settings, Node's
/// `dotenv` and bash (`set -a; . file`) all read back exactly `value`.
///
/// # Errors
/// [`Unwritable`] names the first character no common form can carry.
pub fn quote(value: &str) -> Result<String, Unwritable> {
    if let Some((at, character)) = value
        .chars()
        .enumerate()
        .find(|&(_, c)| c.is_control() && c != '\t')
    {
        return Err(Unwritable::Control { character, at });
    }
    if let Some(at) = python_interpolation(value) {
        return Err(Unwritable::Interpolation { at });
    }
    if !value.contains('\'') {
        if let Some(at) = char_position(value, "\\\\") {
            return Err(Unwritable::DoubleBackslash { at });
        }
        if value.ends_with('\\') {
            return Err(Unwritable::TrailingBackslash);
        }
        return Ok(format!("'{value}'"));
    }
    if let Some((at, character)) = value
        .chars()
        .enumerate()
        .find(|&(_, c)| matches!(c, '"' | '\\' | '$' | '`'))
    {
        return Err(Unwritable::QuoteWith { character, at });
    }
    Ok(format!("\"{value}\""))
}

/// `KEY=<quoted value>`, without a line break.
///
/// # Errors
/// [`Unwritable::Key`] for a key that is not a portable variable name, or what [`quote`] says.
pub fn assignment(key: &str, value: &str) -> Result<String, Unwritable> {
    if !is_portable_key(key) {
        return Err(Unwritable::Key(key.to_owned()));
    }
    Ok(format!("{key}={}", quote(value)?))
}

/// Whether every reader (bash being the strictest) takes `key` as a variable name.
pub fn is_portable_key(key: &str) -> bool {
    let mut chars = key.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The character position of the first `${` that python-dotenv's variable pattern
/// (`\$\{[^}:]*(:-[^}]*)?\}`) matches.
fn python_interpolation(value: &str) -> Option<usize> {
    let bytes = value.as_bytes();
    let mut from = 0;
    while let Some(offset) = value[from..].find("${") {
        let start = from + offset;
        let mut i = start + 2;
        while i < bytes.len() && bytes[i] != b'}' && bytes[i] != b':' {
            i += 1;
        }
        let matched = match bytes.get(i) {
            Some(b'}') => true,
            Some(b':') if bytes.get(i + 1) == Some(&b'-') => value[i + 2..].contains('}'),
            _ => false,
        };
        if matched {
            return Some(value[..start].chars().count());
        }
        from = start + 1;
    }
    None
}

fn char_position(value: &str, needle: &str) -> Option<usize> {
    value.find(needle).map(|b| value[..b].chars().count())
}

#[cfg(test)]
mod tests;
