//! Changing some keys of a `.env` file and keeping every other byte.

use super::{Unwritable, assignment};

/// A stretch of a `.env` file: one assignment (possibly over several lines, when a quoted
/// value spans them) or anything else (comments, blank lines, lines no reader takes as an
/// assignment). The pieces of a file, in order, put back together are the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Piece<'a> {
    /// The text, with its final line break if it has one.
    pub text: &'a str,
    /// The key assigned, for an assignment.
    pub key: Option<&'a str>,
    /// `export ` and whatever else stood before the key, kept when the line is rewritten.
    pub lead: &'a str,
}

/// `text` (a `.env` file) with each `(key, Some(value))` of `changes` set and each
/// `(key, None)` removed; every other line is kept byte for byte, in order.
///
/// A key already in the file is rewritten where it stands (its first assignment; later ones,
/// which readers resolve differently, are removed); a new key is appended at the end, in the
/// order of `changes`. Values are quoted with [`quote`](super::quote).
///
/// # Errors
/// The first change whose key or value cannot be written; then nothing is changed.
pub fn edit(text: &str, changes: &[(&str, Option<&str>)]) -> Result<String, Unwritable> {
    let mut lines = Vec::with_capacity(changes.len());
    for (key, value) in changes {
        lines.push(match value {
            Some(value) => Some(assignment(key, value)?),
            None if super::is_portable_key(key) => None,
            None => return Err(Unwritable::Key((*key).to_owned())),
        });
    }
    let mut written = vec![false; changes.len()];
    let mut out = String::with_capacity(text.len() + 64);
    for item in pieces(text) {
        let change = item
            .key
            .and_then(|key| changes.iter().position(|(k, _)| *k == key));
        let Some(index) = change else {
            out.push_str(item.text);
            continue;
        };
        if written[index] {
            continue;
        }
        written[index] = true;
        if let Some(line) = &lines[index] {
            out.push_str(item.lead);
            out.push_str(line);
            out.push('\n');
        }
    }
    for (index, line) in lines.iter().enumerate() {
        if let (Some(line), false) = (line, written[index]) {
            if !out.is_empty() && !out.ends_with('\n') {
                out.push('\n');
            }
            out.push_str(line);
            out.push('\n');
            written[index] = true;
        }
    }
    Ok(out)
}

/// Splits `text` (a `.env` file) into [`Piece`]s. An assignment is `[export ]KEY=value` after optional blanks,
/// where KEY is what Node's dotenv accepts (letters, digits, `_`, `.`, `-`); a value opening
/// with a quote runs to its closing quote, over lines if need be, as dotenvy reads it.
pub fn pieces(text: &str) -> Vec<Piece<'_>> {
    let mut items = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let line_end = rest.find('\n').map_or(rest.len(), |i| i + 1);
        let (key, lead, value_start) = match assignment_head(&rest[..line_end]) {
            Some(head) => head,
            None => {
                items.push(Piece {
                    text: &rest[..line_end],
                    key: None,
                    lead: "",
                });
                rest = &rest[line_end..];
                continue;
            }
        };
        let end = value_end(rest, value_start).unwrap_or(line_end);
        items.push(Piece {
            text: &rest[..end],
            key: Some(key),
            lead,
        });
        rest = &rest[end..];
    }
    items
}

/// For an assignment line: the key, the text before it, and where the value starts.
fn assignment_head(line: &str) -> Option<(&str, &str, usize)> {
    let blank = |c: char| c == ' ' || c == '\t';
    let trimmed = line.trim_start_matches(blank);
    let mut at = line.len() - trimmed.len();
    if let Some(after) = trimmed.strip_prefix("export")
        && after.starts_with(blank)
    {
        at = line.len() - after.trim_start_matches(blank).len();
    }
    let lead = &line[..at];
    let key_len = line[at..]
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')))
        .unwrap_or(line.len() - at);
    if key_len == 0 {
        return None;
    }
    let key = &line[at..at + key_len];
    let after_key = &line[at + key_len..];
    let after_blank = after_key.trim_start_matches(blank);
    let value = after_blank.strip_prefix('=')?;
    Some((key, lead, line.len() - value.len()))
}

/// Where the item ends when its value opens with a quote that closes on a later line: just
/// after the line break that ends the closing quote's line. `None` for a one-line value.
fn value_end(text: &str, value_start: usize) -> Option<usize> {
    let value = text[value_start..].trim_start_matches([' ', '\t']);
    let start = text.len() - value.len();
    let quote = value.chars().next().filter(|c| matches!(c, '\'' | '"'))?;
    let bytes = text.as_bytes();
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if quote == '"' => i += 2,
            b if b == quote as u8 => {
                let close = i;
                let first_break = text[start..].find('\n').map(|b| start + b)?;
                if close < first_break {
                    return None;
                }
                return Some(
                    text[close..]
                        .find('\n')
                        .map_or(text.len(), |b| close + b + 1),
                );
            }
            _ => i += 1,
        }
    }
    None
}
