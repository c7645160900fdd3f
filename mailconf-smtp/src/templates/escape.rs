//! Escaping exactly as Jinja2 (MarkupSafe) does, so that a template renders to the same bytes
//! under mailconf as under fastapi-mail; and the text alternative of an HTML body.

use minijinja::value::Value;
use minijinja::{AutoEscape, Environment, Error, Output, State};

use crate::html::escape as markupsafe;

/// Undoes [`markupsafe`](crate::html::escape) and the few entities an HTML subject line may
/// hold, for the `Subject` header, which is not HTML.
pub(super) fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#34;", "\"")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

/// Installs the MarkupSafe escaping for printed strings and for the `escape`/`e` filters.
pub(super) fn install(env: &mut Environment<'static>) {
    env.set_formatter(|out: &mut Output, state: &mut State, value: &Value| {
        if matches!(state.auto_escape(), AutoEscape::Html)
            && !value.is_safe()
            && let Some(text) = value.as_str()
        {
            return out.write_str(&markupsafe(text)).map_err(Error::from);
        }
        minijinja::escape_formatter(out, state, value)
    });
    let escape = |value: &Value| -> Value {
        if value.is_safe() {
            value.clone()
        } else {
            Value::from_safe_string(markupsafe(&value.to_string()))
        }
    };
    env.add_filter("escape", escape);
    env.add_filter("e", escape);
}

/// A readable plain-text version of an HTML body: paragraphs and line breaks kept, links as
/// numbered references, lines wrapped at 78 columns (`html2text`).
pub fn html_to_text(html: &str) -> String {
    match html2text::from_read(html.as_bytes(), 78) {
        Ok(text) => text,
        // Only a width too small for the layout fails; this one is not. The tags stripped
        // crudely are still better than no text part.
        Err(_) => strip_tags(html),
    }
}

fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    unescape(&out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_markupsafe_does() {
        assert_eq!(
            markupsafe(r#"<script>alert("x" + 'y')</script> & /"#),
            "&lt;script&gt;alert(&#34;x&#34; + &#39;y&#39;)&lt;/script&gt; &amp; /"
        );
        assert_eq!(
            unescape(&markupsafe("Tom & Jerry's <b>")),
            "Tom & Jerry's <b>"
        );
    }

    #[test]
    fn html_becomes_readable_text() {
        let text = html_to_text(
            "<html><head><title>x</title><style>p{color:red}</style></head><body>\
             <h1>환영합니다</h1><p>첫 문단.</p><p>둘째 <a href=\"https://example.com/a\">링크</a></p>\
             <ul><li>하나</li><li>둘</li></ul></body></html>",
        );
        assert!(text.contains("환영합니다"), "{text}");
        assert!(text.contains("첫 문단."), "{text}");
        assert!(text.contains("https://example.com/a"), "{text}");
        assert!(text.contains("하나"), "{text}");
        assert!(!text.contains('<'), "{text}");
        assert!(!text.contains("color:red"), "{text}");
    }
}
