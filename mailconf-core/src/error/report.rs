//! How errors read: a multi-line report for people (`Display`) and a stable JSON array for web
//! front ends (`Serialize`).

use std::fmt;

use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};

use super::{Error, ErrorKind, Errors};

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.key.is_empty() {
            write!(f, "{}: ", self.key)?;
        }
        f.write_str(&self.message)?;
        if let ErrorKind::Conflict { with } = &self.kind
            && !with.is_empty()
        {
            write!(f, " (conflicts with {})", with.join(", "))?;
        }
        match (&self.input, &self.origin) {
            (Some(input), Some(origin)) => write!(f, "; got {:?} from {origin}", input.as_str())?,
            (Some(input), None) => write!(f, "; got {:?}", input.as_str())?,
            (None, Some(origin)) => write!(f, "; set in {origin}")?,
            (None, None) => {}
        }
        Ok(())
    }
}

impl fmt::Display for Errors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.list.len();
        let name = if self.config.is_empty() {
            "settings"
        } else {
            self.config
        };
        writeln!(f, "{n} problem{} in {name}:", if n == 1 { "" } else { "s" })?;
        for error in &self.list {
            writeln!(
                f,
                "  - {error} [{}]",
                error.detail().unwrap_or(error.code())
            )?;
            if let Some(hint) = &error.hint {
                writeln!(f, "    hint: {hint}")?;
            }
        }
        Ok(())
    }
}

/// `{key, field, code, detail, message, hint, origin, input}`; `input` is `"[redacted]"` for a
/// secret.
impl Serialize for Error {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(8))?;
        map.serialize_entry("key", &self.key)?;
        map.serialize_entry("field", &self.field)?;
        map.serialize_entry("code", self.code())?;
        map.serialize_entry("detail", &self.detail())?;
        map.serialize_entry("message", &self.message)?;
        map.serialize_entry("hint", &self.hint)?;
        map.serialize_entry("origin", &self.origin)?;
        map.serialize_entry("input", &self.input.as_ref().map(|i| i.as_str()))?;
        map.end()
    }
}

/// A JSON array of the errors.
impl Serialize for Errors {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.list.len()))?;
        for e in &self.list {
            seq.serialize_element(e)?;
        }
        seq.end()
    }
}
