use std::fmt;

use serde::Serialize;

/// A setting that works but deserves attention, such as `VALIDATE_CERTS=false`. Returned with
/// the config (`SmtpConfig::warnings`) and logged through `tracing` when the config loads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// The variable concerned.
    pub key: String,
    /// A stable machine code.
    pub code: &'static str,
    /// What is risky.
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.key, self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, " (hint: {hint})")?;
        }
        Ok(())
    }
}
