use std::fmt;

/// Why one raw value could not be parsed.
///
/// The message never quotes the input: the caller knows the input and decides whether it may be
/// shown (it may be a secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    /// A stable machine code such as `invalid_port` or `invalid_email`.
    pub code: &'static str,
    /// What is wrong, for a person.
    pub message: String,
    /// How to fix it, when there is something useful to say.
    pub hint: Option<String>,
}

impl Invalid {
    /// An error with a stable `code` and a `message`.
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Invalid {
            code,
            message: message.into(),
            hint: None,
        }
    }

    /// Adds a hint that tells the user how to fix the value.
    #[must_use]
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Invalid {}
