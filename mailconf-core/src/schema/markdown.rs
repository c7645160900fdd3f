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
        let mut ty = f.type_name.to_owned();
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
        if f.secret {
            let _ = write!(
                description,
                " May be read from the file named by `{}_FILE`.",
                entry.key
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

fn escape(text: &str) -> String {
    text.replace('|', "\\|")
}
