//! How errors read: a multi-line report for people (`Display`, in English; [`Errors::in_lang`]
//! for another language) and a stable JSON array for web front ends (`Serialize`).

use std::fmt;

use mailconf_values::{Lang, Message};
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};

use super::{Error, ErrorKind, Errors, Localized};
use crate::Origin;

impl fmt::Display for Localized<'_, Error> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (error, lang) = (self.value(), self.lang());
        if !error.key.is_empty() {
            write!(f, "{}: ", error.key)?;
        }
        f.write_str(&error.message.render(lang))?;
        if let ErrorKind::Conflict { with } = &error.kind
            && !with.is_empty()
        {
            let text = Message::new("report-conflicts-with").arg("keys", with.join(", "));
            write!(f, " {}", text.render(lang))?;
        }
        let input = error.input.as_ref().map(|i| format!("{:?}", i.as_str()));
        let origin = error.origin.as_ref().map(|o| origin_text(o, lang));
        let tail = match (input, origin) {
            (Some(input), Some(origin)) => Some(
                Message::new("report-got-from")
                    .arg("input", input)
                    .arg("origin", origin),
            ),
            (Some(input), None) => Some(Message::new("report-got").arg("input", input)),
            (None, Some(origin)) => Some(Message::new("report-set-in").arg("origin", origin)),
            (None, None) => None,
        };
        if let Some(tail) = tail {
            f.write_str(&tail.render(lang))?;
        }
        Ok(())
    }
}

/// Where a value came from, in `lang`.
pub(crate) fn origin_text(origin: &Origin, lang: Lang) -> String {
    let message = match origin {
        Origin::Env => Message::new("origin-env"),
        Origin::DotEnv { path, line } => Message::new("origin-dotenv")
            .arg("path", path.display().to_string())
            .arg("line", *line),
        Origin::SecretFile { path, via } => Message::new("origin-secret-file")
            .arg("path", path.display().to_string())
            .arg("via", via),
        Origin::Json => Message::new("origin-json"),
        Origin::Map => Message::new("origin-map"),
        Origin::Default => Message::new("origin-default"),
    };
    message.render(lang)
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.in_lang(Lang::En).fmt(f)
    }
}

impl fmt::Display for Localized<'_, Errors> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (errors, lang) = (self.value(), self.lang());
        let header = if errors.config.is_empty() {
            Message::new("report-header-unnamed")
        } else {
            Message::new("report-header").arg("name", errors.config)
        };
        writeln!(f, "{}", header.arg("count", errors.list.len()).render(lang))?;
        for error in &errors.list {
            writeln!(
                f,
                "  - {} [{}]",
                error.in_lang(lang),
                error.detail().unwrap_or(error.code())
            )?;
            if let Some(hint) = &error.hint {
                let line = Message::new("report-hint").arg("hint", hint.clone());
                writeln!(f, "    {}", line.render(lang))?;
            }
        }
        Ok(())
    }
}

impl fmt::Display for Errors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.in_lang(Lang::En).fmt(f)
    }
}

/// `{key, field, code, detail, message, hint, origin, input}`; `input` is `"[redacted]"` for a
/// secret; `message` and `hint` in the chosen language.
impl Serialize for Localized<'_, Error> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (error, lang) = (self.value(), self.lang());
        let mut map = serializer.serialize_map(Some(8))?;
        map.serialize_entry("key", &error.key)?;
        map.serialize_entry("field", &error.field)?;
        map.serialize_entry("code", error.code())?;
        map.serialize_entry("detail", &error.detail())?;
        map.serialize_entry("message", &error.message_in(lang))?;
        map.serialize_entry("hint", &error.hint_in(lang))?;
        map.serialize_entry("origin", &error.origin)?;
        map.serialize_entry("input", &error.input.as_ref().map(|i| i.as_str()))?;
        map.end()
    }
}

/// `{key, field, code, detail, message, hint, origin, input}` in English; see
/// [`Error::in_lang`] for another language.
impl Serialize for Error {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.in_lang(Lang::En).serialize(serializer)
    }
}

/// A JSON array of the errors, in the chosen language.
impl Serialize for Localized<'_, Errors> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (errors, lang) = (self.value(), self.lang());
        let mut seq = serializer.serialize_seq(Some(errors.list.len()))?;
        for e in &errors.list {
            seq.serialize_element(&e.in_lang(lang))?;
        }
        seq.end()
    }
}

/// A JSON array of the errors, in English.
impl Serialize for Errors {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.in_lang(Lang::En).serialize(serializer)
    }
}
