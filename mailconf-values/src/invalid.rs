use std::fmt;

use mailconf_messages::{Lang, Message};

/// Why one raw value could not be parsed.
///
/// The message never quotes the input: the caller knows the input and decides whether it may be
/// shown (it may be a secret). Message and hint are [`Message`]s, shown in the reader's language
/// later; a parser of the program's own may give plain text (`&str`, `String`), shown as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    /// A stable machine code such as `invalid_port` or `invalid_email`.
    pub code: &'static str,
    /// What is wrong, for a person.
    pub message: Message,
    /// How to fix it, when there is something useful to say.
    pub hint: Option<Message>,
}

impl Invalid {
    /// An error with a stable `code` and a `message`.
    pub fn new(code: &'static str, message: impl Into<Message>) -> Self {
        Invalid {
            code,
            message: message.into(),
            hint: None,
        }
    }

    /// Adds a hint that tells the user how to fix the value.
    #[must_use]
    pub fn with_hint(mut self, hint: impl Into<Message>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// The message in `lang`.
    pub fn message_in(&self, lang: Lang) -> String {
        self.message.render(lang)
    }
}

/// The message in English.
impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.message, f)
    }
}

impl std::error::Error for Invalid {}
