//! CSS inlining for HTML mail (feature `inline-css`): the rules of an HTML body's `<style>`
//! elements copied into each element's `style=` attribute, through the `css-inline` crate, for
//! the mail clients that ignore `<style>` (Gmail's apps with non-Google accounts, Outlook's
//! Word engine, many webmails).
//!
//! Nothing of the document is lost on the way: rules that cannot be inlined (`@media`,
//! `@font-face`…) stay in a `<style>` element, and `<link rel="stylesheet">` elements stay as
//! they are. Linked stylesheets are never fetched: building a message makes no network request.
//!
//! ```
//! let html = mailconf_smtp::css::inline_css(
//!     "<html><head><style>p.note { color: #c00 }</style></head>\
//!      <body><p class=\"note\">확인해 주세요</p></body></html>",
//! )?;
//! assert!(html.contains("<p class=\"note\" style=\"color: #c00;\">확인해 주세요</p>"), "{html}");
//! # Ok::<(), mailconf_smtp::css::CssError>(())
//! ```

use css_inline::CSSInliner;

/// Why the CSS of an HTML body could not be inlined: a style sheet `css-inline` cannot parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot inline the CSS of the HTML body: {reason}")]
pub struct CssError {
    /// The inliner's explanation.
    pub reason: String,
}

/// `html` with the rules of its `<style>` elements written into `style=` attributes (see the
/// [module docs](self)).
pub fn inline_css(html: &str) -> Result<String, CssError> {
    CSSInliner::options()
        // No network and no files: what the message holds is what is inlined.
        .load_remote_stylesheets(false)
        .keep_link_tags(true)
        .keep_at_rules(true)
        .build()
        .inline(html)
        .map_err(|e| CssError {
            reason: e.to_string(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn style_rules_become_attributes_and_the_rest_is_kept() {
        let html = inline_css(
            "<html><head>\
             <link rel=\"stylesheet\" href=\"https://example.com/mail.css\">\
             <style>h1 { font-size: 20px } .cta { color: #fff; background: #06c }\
             @media (max-width: 600px) { h1 { font-size: 16px } }</style></head>\
             <body><h1>환영합니다</h1><a class=\"cta\" href=\"https://example.com\">시작</a></body></html>",
        )
        .unwrap();
        assert!(
            html.contains("<h1 style=\"font-size: 20px;\">환영합니다</h1>"),
            "{html}"
        );
        assert!(
            html.contains("style=\"color: #fff;background: #06c;\"")
                || html.contains("style=\"color: #fff; background: #06c;\""),
            "{html}"
        );
        assert!(html.contains("@media (max-width: 600px)"), "{html}");
        assert!(
            html.contains("<link rel=\"stylesheet\" href=\"https://example.com/mail.css\">"),
            "{html}"
        );
    }
}
