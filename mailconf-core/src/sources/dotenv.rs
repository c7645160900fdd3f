//! `.env` files: parsed by dotenvy, with the line number of every entry for error reports.

use std::path::Path;

use mailconf_values::Message;

use super::Entry;
use crate::{Error, ErrorKind, Origin};

pub(super) fn parse(path: &Path, text: &str) -> (Vec<Entry>, Vec<Error>) {
    let mut entries = Vec::new();
    let mut problems = Vec::new();
    for item in dotenvy::from_read_iter(text.as_bytes()) {
        match item {
            Ok((key, value)) => {
                let line = line_of(text, &key);
                entries.push(Entry {
                    key,
                    value: Ok(value),
                    origin: Origin::DotEnv {
                        path: path.to_owned(),
                        line,
                    },
                });
            }
            Err(e) => {
                problems.push(parse_error(path, text, &e));
                // dotenvy cannot resume after a malformed line.
                break;
            }
        }
    }
    (entries, problems)
}

/// The 1-based line where `key` was last assigned; dotenvy does not report it.
fn line_of(text: &str, key: &str) -> usize {
    text.lines()
        .enumerate()
        .filter(|(_, line)| {
            let line = line.trim_start();
            let line = line.strip_prefix("export ").map_or(line, str::trim_start);
            line.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map(|(i, _)| i + 1)
        .last()
        .unwrap_or(0)
}

/// The error names the file and line but never quotes the line: it may hold a password.
fn parse_error(path: &Path, text: &str, error: &dotenvy::Error) -> Error {
    let (message, line) = match error {
        dotenvy::Error::LineParse(rest, column) => {
            // dotenvy gives the text from the bad line on (a quote may span lines): find where
            // its first line stands in the file.
            let first = rest.lines().next().unwrap_or_default();
            let line = text
                .lines()
                .position(|l| !first.is_empty() && l.trim_start().starts_with(first.trim_start()))
                .map_or(0, |i| i + 1);
            (
                Message::new("source-dotenv-line").arg("column", column + 1),
                line,
            )
        }
        dotenvy::Error::Io(e) => (
            Message::new("source-dotenv-unreadable")
                .arg("path", path.display().to_string())
                .arg("reason", crate::file_problem(e)),
            0,
        ),
        _ => (
            Message::new("source-dotenv-unparsable").arg("path", path.display().to_string()),
            0,
        ),
    };
    Error::new(ErrorKind::InvalidSource, "", message)
        .with_origin(Origin::DotEnv {
            path: path.to_owned(),
            line,
        })
        .with_hint(Message::new("source-dotenv-hint"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_carry_their_line_numbers() {
        let text = "# comment\nMAIL_SERVER=smtp.example.com\n\nexport MAIL_PORT = 587\nMAIL_FROM='a@example.com'\nMAIL_PORT=25\n";
        let (entries, problems) = parse(Path::new("x.env"), text);
        assert!(problems.is_empty());
        let lines: Vec<_> = entries
            .iter()
            .map(|e| match &e.origin {
                Origin::DotEnv { line, .. } => (e.key.as_str(), *line),
                o => panic!("{o:?}"),
            })
            .collect();
        assert_eq!(lines[0], ("MAIL_SERVER", 2));
        assert_eq!(lines[2], ("MAIL_FROM", 5));
        assert!(lines.contains(&("MAIL_PORT", 6)));
    }

    #[test]
    fn a_malformed_line_is_reported_by_number_without_its_text() {
        let (_, problems) = parse(Path::new("q.env"), "A=1\n\nNAME='it's'\n");
        assert!(
            problems[0].to_string().contains("q.env line 3"),
            "{}",
            problems[0]
        );

        let text = "A=1\nMAIL_PASSWORD=\"s3cret-unclosed\nB=2\n";
        let (_, problems) = parse(Path::new("bad.env"), text);
        assert_eq!(problems.len(), 1);
        let shown = problems[0].to_string();
        assert!(shown.contains("bad.env line 2"), "{shown}");
        assert!(!shown.contains("s3cret"), "{shown}");
        assert_eq!(problems[0].code(), "invalid_source");
    }
}
