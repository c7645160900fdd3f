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

/// Splits `text` (a `.env` file) into [`Piece`]s, grouping lines as dotenvy does: a piece runs
/// over further lines while a quote it opened (anywhere in the value, not only at its start)
/// is still open, and a line whose first non-blank character is `#` is a comment. An
/// assignment is `[export ]KEY=value` after any whitespace dotenvy skips (Unicode whitespace,
/// a stray carriage return included), where KEY is what Node's dotenv accepts (letters,
/// digits, `_`, `.`, `-`).
pub fn pieces(text: &str) -> Vec<Piece<'_>> {
    let mut items = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let end = logical_line_end(rest);
        let piece = &rest[..end];
        let (key, lead) = match assignment_head(piece) {
            Some((key, lead)) => (Some(key), lead),
            None => (None, ""),
        };
        items.push(Piece {
            text: piece,
            key,
            lead,
        });
        rest = &rest[end..];
    }
    items
}

/// Where dotenvy's line reader (its `QuotedLines`) ends the logical line that starts `text`:
/// after the line break of the first line on which no quote or escape is left open, or at the
/// end of the text when one stays open.
fn logical_line_end(text: &str) -> usize {
    let line_end = |from: usize| text[from..].find('\n').map_or(text.len(), |i| from + i + 1);
    let first = line_end(0);
    if text[..first].trim_start().starts_with('#') {
        return first;
    }
    let mut state = Quote::Closed;
    let mut from = 0;
    loop {
        let end = line_end(from);
        match scan(state, &text[from..end]) {
            Some(Quote::Closed) | None => return end,
            Some(_) if end == text.len() => return end,
            Some(open) => state = open,
        }
        from = end;
    }
}

/// dotenvy's quote state between lines (its `eval_end_state`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Quote {
    Closed,
    Blank,
    Escape,
    Strong,
    StrongEscape,
    Weak,
    WeakEscape,
}

/// The state after `line`, from `state`; `None` when a comment ends the logical line.
fn scan(mut state: Quote, line: &str) -> Option<Quote> {
    for c in line.chars() {
        state = match (state, c) {
            (Quote::Blank, '#') => return None,
            (Quote::Blank | Quote::Closed, '\\') => Quote::Escape,
            (Quote::Blank | Quote::Closed, '"') => Quote::Weak,
            (Quote::Blank | Quote::Closed, '\'') => Quote::Strong,
            (Quote::Closed, c) if c.is_whitespace() && c != '\n' && c != '\r' => Quote::Blank,
            (Quote::Blank | Quote::Closed | Quote::Escape, _) => Quote::Closed,
            (Quote::Weak, '\\') => Quote::WeakEscape,
            (Quote::Weak, '"') => Quote::Closed,
            (Quote::Weak | Quote::WeakEscape, _) => Quote::Weak,
            (Quote::Strong, '\\') => Quote::StrongEscape,
            (Quote::Strong, '\'') => Quote::Closed,
            (Quote::Strong | Quote::StrongEscape, _) => Quote::Strong,
        };
    }
    Some(state)
}

/// For an assignment: the key and the text before it (a byte order mark, whitespace,
/// `export `).
fn assignment_head(piece: &str) -> Option<(&str, &str)> {
    let trimmed = piece.strip_prefix('\u{feff}').unwrap_or(piece).trim_start();
    let mut at = piece.len() - trimmed.len();
    if let Some(after) = trimmed.strip_prefix("export")
        && after.starts_with(char::is_whitespace)
    {
        at = piece.len() - after.trim_start().len();
    }
    let lead = &piece[..at];
    let key_len = piece[at..]
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')))
        .unwrap_or(piece.len() - at);
    if key_len == 0 {
        return None;
    }
    let key = &piece[at..at + key_len];
    piece[at + key_len..]
        .trim_start()
        .starts_with('=')
        .then_some((key, lead))
}
