//! The text alternative of an HTML body.

use crate::jinja::unescape;

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
