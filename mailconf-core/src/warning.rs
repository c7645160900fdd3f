//! Settings that load but deserve attention, and a loaded value with its warnings.

use std::fmt;

use mailconf_values::{Lang, Message};
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use crate::error::origin_text;
use crate::{Localized, Origin};

/// A setting that works but deserves attention: a key no setting reads, an old name left next
/// to the new one, a key whose case differs, `VALIDATE_CERTS=false`.
///
/// A load collects them: [`crate::MailConfig::load_with_warnings`] returns them with the value
/// (and [`crate::Errors::warnings`] with the errors), and every other load logs each one through
/// `tracing` at `WARN`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// The variable concerned.
    pub key: String,
    /// A stable machine code, such as `unknown_key`.
    pub code: &'static str,
    /// What is risky or ignored.
    pub message: Message,
    /// What to do about it.
    pub hint: Option<Message>,
    /// Where the variable was set, when known.
    pub origin: Option<Origin>,
}

impl Warning {
    /// A warning about `key`.
    pub fn new(key: impl Into<String>, code: &'static str, message: impl Into<Message>) -> Self {
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
    pub fn with_hint(mut self, hint: impl Into<Message>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Sets where the variable was set.
    #[must_use]
    pub fn with_origin(mut self, origin: Origin) -> Self {
        self.origin = Some(origin);
        self
    }

    /// The warning shown in `lang`: `Display` and `Serialize` (`message` and `hint` in
    /// `lang`, `key` and `code` unchanged).
    pub fn in_lang(&self, lang: Lang) -> Localized<'_, Warning> {
        Localized::new(self, lang)
    }

    /// Logs the warning through `tracing` at `WARN`, in English: logs are read by operators
    /// and searched by their text.
    pub fn log(&self) {
        match &self.hint {
            Some(hint) => {
                tracing::warn!(key = %self.key, code = self.code, hint = %hint, "{}", self.message)
            }
            None => tracing::warn!(key = %self.key, code = self.code, "{}", self.message),
        }
    }
}

impl fmt::Display for Localized<'_, Warning> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (w, lang) = (self.value(), self.lang());
        write!(f, "{}: {}", w.key, w.message.render(lang))?;
        if let Some(origin) = &w.origin {
            let text = Message::new("warning-set-in").arg("origin", origin_text(origin, lang));
            write!(f, " {}", text.render(lang))?;
        }
        if let Some(hint) = &w.hint {
            let text = Message::new("warning-hint").arg("hint", hint.clone());
            write!(f, " {}", text.render(lang))?;
        }
        Ok(())
    }
}

/// English.
impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.in_lang(Lang::En).fmt(f)
    }
}

/// `{key, code, message, hint, origin}`, `origin` only when known.
impl Serialize for Localized<'_, Warning> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (w, lang) = (self.value(), self.lang());
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("key", &w.key)?;
        map.serialize_entry("code", w.code)?;
        map.serialize_entry("message", &w.message.render(lang))?;
        map.serialize_entry("hint", &w.hint.as_ref().map(|h| h.render(lang)))?;
        if let Some(origin) = &w.origin {
            map.serialize_entry("origin", origin)?;
        }
        map.end()
    }
}

/// In English; [`Warning::in_lang`] for another language.
impl Serialize for Warning {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.in_lang(Lang::En).serialize(serializer)
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
