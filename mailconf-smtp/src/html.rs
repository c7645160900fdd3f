//! HTML escaping, one rule for every HTML mailconf writes, all of it through the template
//! engine (jinja/): TEMPLATE_FOLDER's templates, where it must be byte for byte what Jinja2's
//! MarkupSafe gives so that a template renders the same as under fastapi-mail, and the
//! verification email's default templates.

/// MarkupSafe's `escape`: `&<>"'` only, as `&amp;` `&lt;` `&gt;` `&#34;` `&#39;`. Safe in element
/// content and in double- or single-quoted attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
