//! Settings that load but deserve attention, and a loaded value with its warnings.

use std::fmt;

use serde::Serialize;

use crate::Origin;

/// A setting that works but deserves attention: a key no setting reads, an old name left next
/// to the new one, a key whose case differs, `VALIDATE_CERTS=false`.
///
/// A load collects them: [`crate::MailConfig::load_with_warnings`] returns them with the value
/// (and [`crate::Errors::warnings`] with the errors), and every other load logs each one through
/// `tracing` at `WARN`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// The variable concerned.
    pub key: String,
    /// A stable machine code, such as `unknown_key`.
    pub code: &'static str,
    /// What is risky or ignored.
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
    /// Where the variable was set, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,
}

impl Warning {
    /// A warning about `key`.
    pub fn new(key: impl Into<String>, code: &'static str, message: impl Into<String>) -> Self {
        Warning {
            key: key.into(),
            code,
            message: message.into(),
            hint: None,
            origin: None,
        }
    }

    /// Sets the hint.
    #[must_use]
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Sets where the variable was set.
    #[must_use]
    pub fn with_origin(mut self, origin: Origin) -> Self {
        self.origin = Some(origin);
        self
    }

    /// Logs the warning through `tracing` at `WARN`.
    pub fn log(&self) {
        match &self.hint {
            Some(hint) => {
                tracing::warn!(key = %self.key, code = self.code, hint = %hint, "{}", self.message)
            }
            None => tracing::warn!(key = %self.key, code = self.code, "{}", self.message),
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.key, self.message)?;
        if let Some(origin) = &self.origin {
            write!(f, " (set in {origin})")?;
        }
        if let Some(hint) = &self.hint {
            write!(f, " (hint: {hint})")?;
        }
        Ok(())
    }
}

/// A loaded settings struct and the warnings its load found.
#[derive(Debug)]
#[non_exhaustive]
pub struct Loaded<T> {
    /// The settings.
    pub value: T,
    /// What loaded but deserves attention, in the order found.
    pub warnings: Vec<Warning>,
}
