//! One problem ([`Error`]) and the list of all problems found in one load ([`Errors`]).

mod localized;
mod problem;
mod report;

pub use localized::Localized;
pub use problem::{Problem, ProblemKind, Problems};
pub(crate) use report::origin_text;

use std::path::PathBuf;

use mailconf_values::{Lang, Message, REDACTED};

use crate::Origin;

/// What went wrong, with a stable machine code ([`ErrorKind::code`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A required setting is not set. Code `missing`.
    Missing,
    /// A variable matches no setting. Code `unknown_key`.
    UnknownKey,
    /// An old name of a setting is still used. Code `renamed_key`.
    RenamedKey {
        /// The name to use now.
        new_key: String,
    },
    /// A value could not be parsed or failed a check. Code `invalid_value`.
    InvalidValue {
        /// The precise reason, such as `invalid_port` or `invalid_email`.
        detail: &'static str,
    },
    /// Settings that cannot be used together. Code `conflict`.
    Conflict {
        /// The other keys involved.
        with: Vec<String>,
    },
    /// A file named by the settings (a `.env` or `*_FILE`) cannot be read. Code `file_unreadable`.
    FileUnreadable {
        /// The file.
        path: PathBuf,
    },
    /// A whole source is malformed: JSON that does not parse, a `.env` line that does not.
    /// Code `invalid_source`.
    InvalidSource,
    /// A key another library reads for a setting, such as Flask-Mail's `MAIL_USE_TLS`: it would
    /// be ignored, so the setting it was meant for would silently not apply. Code `foreign_key`.
    ForeignKey {
        /// The library that reads it.
        dialect: &'static str,
    },
}

impl ErrorKind {
    /// The stable machine code of the kind.
    pub fn code(&self) -> &'static str {
        match self {
            ErrorKind::Missing => "missing",
            ErrorKind::UnknownKey => "unknown_key",
            ErrorKind::RenamedKey { .. } => "renamed_key",
            ErrorKind::InvalidValue { .. } => "invalid_value",
            ErrorKind::Conflict { .. } => "conflict",
            ErrorKind::FileUnreadable { .. } => "file_unreadable",
            ErrorKind::InvalidSource => "invalid_source",
            ErrorKind::ForeignKey { .. } => "foreign_key",
        }
    }
}

/// The offending input of an error: shown, or redacted because the setting is secret.
#[derive(Clone, PartialEq, Eq)]
pub enum Input {
    /// The value as given.
    Shown(String),
    /// The value of a secret setting, never kept.
    Redacted,
}

impl Input {
    /// A secret's input is dropped at once, so it cannot leak through any later output.
    pub fn new(raw: &str, secret: bool) -> Self {
        if secret {
            Input::Redacted
        } else {
            Input::Shown(raw.to_owned())
        }
    }

    /// The text to show: the input, or [`REDACTED`].
    pub fn as_str(&self) -> &str {
        match self {
            Input::Shown(s) => s,
            Input::Redacted => REDACTED,
        }
    }
}

impl std::fmt::Debug for Input {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

/// One problem with the settings, named by the variable the user must set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    key: String,
    field: String,
    kind: ErrorKind,
    message: Message,
    hint: Option<Message>,
    origin: Option<Origin>,
    input: Option<Input>,
}

impl Error {
    /// An error of `kind` for the variable `key`. The message is a catalog [`Message`], or a
    /// program's own text (`&str`, `String`), shown as written in every language.
    pub fn new(kind: ErrorKind, key: impl Into<String>, message: impl Into<Message>) -> Self {
        Error {
            key: key.into(),
            field: String::new(),
            kind,
            message: message.into(),
            hint: None,
            origin: None,
            input: None,
        }
    }

    /// Sets the Rust field path.
    #[must_use]
    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = field.into();
        self
    }

    /// Sets the hint.
    #[must_use]
    pub fn with_hint(mut self, hint: impl Into<Message>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub(crate) fn with_optional_hint(mut self, hint: Option<Message>) -> Self {
        self.hint = hint;
        self
    }

    /// Sets where the value came from.
    #[must_use]
    pub fn with_origin(mut self, origin: Origin) -> Self {
        self.origin = Some(origin);
        self
    }

    /// Records the offending input; a secret input is replaced by a redaction at once.
    #[must_use]
    pub fn with_input(mut self, raw: &str, secret: bool) -> Self {
        self.input = Some(Input::new(raw, secret));
        self
    }

    /// The variable the user must set or fix, such as `MAIL_PORT`. Empty for a problem with a
    /// whole source (malformed JSON).
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The Rust field path, such as `port` or `smtp.port`; empty when no field is involved.
    pub fn field(&self) -> &str {
        &self.field
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// The stable machine code: `missing`, `unknown_key`, `renamed_key`, `invalid_value`,
    /// `conflict`, `file_unreadable`, `invalid_source` or `foreign_key`.
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }

    /// The precise reason of an `invalid_value`, such as `invalid_port`.
    pub fn detail(&self) -> Option<&'static str> {
        match self.kind {
            ErrorKind::InvalidValue { detail } => Some(detail),
            _ => None,
        }
    }

    /// What is wrong, for a person, in English.
    pub fn message(&self) -> String {
        self.message.render(Lang::En)
    }

    /// What is wrong, in `lang`.
    pub fn message_in(&self, lang: Lang) -> String {
        self.message.render(lang)
    }

    /// How to fix it, in English.
    pub fn hint(&self) -> Option<String> {
        self.hint_in(Lang::En)
    }

    /// How to fix it, in `lang`.
    pub fn hint_in(&self, lang: Lang) -> Option<String> {
        self.hint.as_ref().map(|h| h.render(lang))
    }

    /// The message as kept: a catalog id and its arguments, to render in any language.
    pub fn message_text(&self) -> &Message {
        &self.message
    }

    /// The hint as kept.
    pub fn hint_text(&self) -> Option<&Message> {
        self.hint.as_ref()
    }

    /// The error shown in `lang`: `Display` gives the line of a report, `Serialize` the JSON
    /// object with `message` and `hint` in `lang` (`key`, `field`, `code` unchanged).
    pub fn in_lang(&self, lang: Lang) -> Localized<'_, Error> {
        Localized::new(self, lang)
    }

    /// Where the offending value came from.
    pub fn origin(&self) -> Option<&Origin> {
        self.origin.as_ref()
    }

    /// The offending input ([`REDACTED`] for a secret).
    pub fn input(&self) -> Option<&Input> {
        self.input.as_ref()
    }

    pub(crate) fn set_hint(&mut self, hint: impl Into<Message>) {
        self.hint = Some(hint.into());
    }
}

impl std::error::Error for Error {}

/// Every problem found while loading one settings struct; never empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Errors {
    config: &'static str,
    list: Vec<Error>,
    warnings: Vec<crate::Warning>,
}

impl Errors {
    /// A list holding `first`.
    pub fn new(first: Error) -> Self {
        Errors {
            config: "",
            list: vec![first],
            warnings: Vec::new(),
        }
    }

    /// Builds the list from errors, or `None` when there are none.
    pub fn from_vec(list: Vec<Error>) -> Option<Self> {
        (!list.is_empty()).then_some(Errors {
            config: "",
            list,
            warnings: Vec::new(),
        })
    }

    /// Adds a problem.
    pub fn push(&mut self, error: Error) {
        self.list.push(error);
    }

    /// The number of problems (at least one).
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Always false: an `Errors` holds at least one problem.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The problems, in the order found.
    pub fn iter(&self) -> std::slice::Iter<'_, Error> {
        self.list.iter()
    }

    /// The first problem about the variable `key`.
    pub fn get(&self, key: &str) -> Option<&Error> {
        self.list.iter().find(|e| e.key == key)
    }

    /// The name of the settings struct that was loaded.
    pub fn config_name(&self) -> &'static str {
        self.config
    }

    /// The problems as a vector.
    pub fn into_vec(self) -> Vec<Error> {
        self.list
    }

    /// Names the settings struct the problems are about, as a load does: for problems found
    /// beside a load, such as another library's rules.
    pub fn set_config_name(&mut self, name: &'static str) {
        self.config = name;
    }

    /// What the same load found that is not an error (unknown keys it ignores, an old name
    /// left next to the new one), to show with the errors.
    pub fn warnings(&self) -> &[crate::Warning] {
        &self.warnings
    }

    /// The report shown in `lang`: `Display` gives the multi-line report, `Serialize` the JSON
    /// array with each `message` and `hint` in `lang` (`key`, `field`, `code` unchanged).
    ///
    /// ```
    /// use mailconf_core::{Error, ErrorKind, Errors, Lang, Message};
    ///
    /// let errors = Errors::new(Error::new(ErrorKind::Missing, "MAIL_PORT", Message::new("error-missing")));
    /// assert!(errors.to_string().contains("MAIL_PORT: required, but not set"));
    /// assert!(errors.in_lang(Lang::Ko).to_string().contains("MAIL_PORT: 필수 설정인데 지정되지 않았습니다"));
    /// ```
    pub fn in_lang(&self, lang: Lang) -> Localized<'_, Errors> {
        Localized::new(self, lang)
    }

    /// Sets the warnings to show with the problems, as a load does.
    pub fn set_warnings(&mut self, warnings: Vec<crate::Warning>) {
        self.warnings = warnings;
    }
}

impl From<Error> for Errors {
    fn from(error: Error) -> Self {
        Errors::new(error)
    }
}

impl IntoIterator for Errors {
    type Item = Error;
    type IntoIter = std::vec::IntoIter<Error>;
    fn into_iter(self) -> Self::IntoIter {
        self.list.into_iter()
    }
}

impl<'a> IntoIterator for &'a Errors {
    type Item = &'a Error;
    type IntoIter = std::slice::Iter<'a, Error>;
    fn into_iter(self) -> Self::IntoIter {
        self.list.iter()
    }
}

impl std::error::Error for Errors {}
