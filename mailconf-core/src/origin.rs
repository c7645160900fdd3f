use std::fmt;
use std::path::PathBuf;

use serde::Serialize;

/// Where a value came from, so a report can say which file and line to fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "source", rename_all = "snake_case")]
pub enum Origin {
    /// The process environment.
    Env,
    /// A `.env` file, with the 1-based line of the entry.
    DotEnv {
        /// The file.
        path: PathBuf,
        /// The line the entry starts on.
        line: usize,
    },
    /// A file named by a `*_FILE` variable, such as `MAIL_PASSWORD_FILE=/run/secrets/pw`.
    SecretFile {
        /// The file that was read.
        path: PathBuf,
        /// The variable that named it.
        via: String,
    },
    /// A JSON object.
    Json,
    /// A map given by the program.
    Map,
    /// The field's default.
    Default,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Env => f.write_str("environment"),
            Origin::DotEnv { path, line } => write!(f, "{} line {line}", path.display()),
            Origin::SecretFile { path, via } => write!(f, "file {} (from {via})", path.display()),
            Origin::Json => f.write_str("JSON"),
            Origin::Map => f.write_str("map"),
            Origin::Default => f.write_str("default"),
        }
    }
}
