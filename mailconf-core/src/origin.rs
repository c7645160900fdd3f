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

impl Origin {
    /// Where the value came from, for a person reading `lang`: `environment`, `.env line 3`,
    /// in Korean `환경 변수`, `.env 3번째 줄`.
    pub fn text(&self, lang: mailconf_values::Lang) -> String {
        crate::error::origin_text(self, lang)
    }
}

/// English.
impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(mailconf_values::Lang::En))
    }
}
