use std::fmt::Write;

use super::{DefaultValue, Schema, default_text};

pub(super) fn render(schema: &Schema) -> String {
    let mut out = String::from("| Variable | Type | Default | Description |\n|---|---|---|---|\n");
    for entry in schema.entries() {
        let f = entry.field;
        let default = if f.required() {
            "**required**".to_owned()
        } else if !entry.required_unless.is_empty() {
            format!(
                "**required** unless `{}` is set",
                entry.required_unless.join("` or `")
            )
        } else if f.secret && f.default != DefaultValue::None {
            // A secret's default is a secret too.
            "set (secret)".to_owned()
        } else {
            default_text(f).unwrap_or_else(|| "unset".into())
        };
        let mut ty = escape_text(f.type_name);
        if f.secret {
            ty.push_str(" (secret)");
        }
        let mut description = f.doc.lines().map(str::trim).collect::<Vec<_>>().join(" ");
        if !entry.renamed_from.is_empty() {
            let _ = write!(
                description,
                " Formerly `{}`.",
                entry.renamed_from.join("`, `")
            );
        }
        if let Some(file_key) = entry.names().file_key() {
            let _ = write!(
                description,
                " May be read from the file named by `{file_key}`."
            );
        }
        let _ = writeln!(
            out,
            "| `{}` | {ty} | {default} | {} |",
            entry.key,
            escape(description.trim())
        );
    }
    out
}

/// A description is Markdown from doc comments: code spans stay as written; outside them,
/// what Markdown readers (rustdoc, GitHub) would take for HTML or a link is escaped. A `|`
/// would end the table cell anywhere.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, part) in text.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        if i % 2 == 1 {
            out.push_str(&part.replace('|', "\\|"));
        } else {
            out.push_str(&escape_text(part));
        }
    }
    out
}

/// Plain text in a table cell: shown as written. (No replacement makes a character another
/// one replaces, so the order does not matter.)
fn escape_text(text: &str) -> String {
    text.replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('[', "\\[")
        .replace(']', "\\]")
}

#[cfg(test)]
mod tests {
    use super::{escape, escape_text};

    #[test]
    fn html_and_links_are_escaped_outside_code_spans() {
        assert_eq!(
            escape_text("mailbox (Name <address>)"),
            "mailbox (Name &lt;address&gt;)"
        );
        assert_eq!(
            escape("redis://[:password@]host or `Name <a@b.c>` | x"),
            "redis://\\[:password@\\]host or `Name <a@b.c>` \\| x"
        );
        assert_eq!(escape("`a|b`"), "`a\\|b`");
    }
}
