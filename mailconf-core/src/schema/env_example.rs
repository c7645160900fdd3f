use std::fmt::Write;

use super::{DefaultValue, Schema, summary};

pub(super) fn render(schema: &Schema) -> String {
    let mut out = String::new();
    let title = summary(schema.doc);
    let _ = writeln!(
        out,
        "# {}",
        if title.is_empty() { schema.name } else { title }
    );
    for entry in schema.entries() {
        let f = entry.field;
        out.push('\n');
        for line in f.doc.lines().map(str::trim) {
            let _ = writeln!(out, "# {line}");
        }
        let mut facts = vec![f.type_name.to_owned()];
        if f.required() {
            facts.push("required".into());
        } else if !entry.required_unless.is_empty() {
            facts.push(format!(
                "required unless {} is set",
                entry.required_unless.join(" or ")
            ));
        } else if f.optional {
            facts.push("optional".into());
        }
        if let Some(file_key) = entry.names().file_key() {
            facts.push(format!("secret; or set {file_key} to a file that holds it"));
        }
        if !entry.aliases.is_empty() {
            facts.push(format!("also accepted: {}", entry.aliases.join(", ")));
        }
        if !entry.renamed_from.is_empty() {
            facts.push(format!("formerly {}", entry.renamed_from.join(", ")));
        }
        let _ = writeln!(out, "# ({})", facts.join("; "));
        match (f.default, f.secret) {
            (_, true) => {
                let _ = writeln!(out, "{}=", entry.key);
            }
            (DefaultValue::Text(t), false) => {
                let _ = writeln!(out, "{}={}", entry.key, quote(t));
            }
            (DefaultValue::Expr(e), false) => {
                let _ = writeln!(out, "# {}=  (default: computed by `{e}`)", entry.key);
            }
            (DefaultValue::None, false) if f.optional => {
                let _ = writeln!(out, "# {}=", entry.key);
            }
            (DefaultValue::None, false) => {
                let _ = writeln!(out, "{}=", entry.key);
            }
        }
    }
    out
}

/// Single quotes keep dotenv from substituting `$` and cutting at `#` or spaces.
fn quote(value: &str) -> String {
    if value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "._-/:@".contains(c))
    {
        value.to_owned()
    } else {
        format!("'{value}'")
    }
}
