//! `GET /`: the page in the visitor's language. Its HTML holds no words of its own: each
//! `{{page-…}}` is replaced with that catalog message (HTML-escaped), and the words the script
//! shows later travel with it as JSON, so the page never appears half in another language.

use axum::extract::RawQuery;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use mailconf_core::{Lang, Message};
use mailconf_messages::Catalog;
use mailconf_smtp::escape_html;
use serde_json::{Map, Value};

use crate::lang;

const INDEX_HTML: &str = include_str!("../../assets/index.html");

/// The ids the script reads: every `page-…` message, with its Fluent variables left as
/// `{$name}` for the script to fill in.
const SCRIPT_PREFIX: &str = "page-";

/// `GET /` (`?lang=ko` switches the language and remembers it in a cookie).
pub(crate) async fn index(RawQuery(query): RawQuery, headers: HeaderMap) -> Response {
    let chosen = lang::from_query(query.as_deref());
    let lang = chosen.unwrap_or_else(|| lang::of_request(&headers));
    let mut response = (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        )],
        render(lang),
    )
        .into_response();
    let response_headers = response.headers_mut();
    if let Some(lang) = chosen {
        response_headers.insert(header::SET_COOKIE, lang::cookie(lang));
    }
    // A cache keeps one copy per language, never the other visitor's.
    response_headers.insert(
        header::VARY,
        HeaderValue::from_static("Accept-Language, Cookie"),
    );
    response
}

/// The page's HTML in `lang`.
pub(crate) fn render(lang: Lang) -> String {
    let catalog = Catalog::get(lang);
    let mut out = String::with_capacity(INDEX_HTML.len() * 2);
    let mut rest = INDEX_HTML;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            // Not in index.html (tests::every_placeholder_resolves): kept as written.
            out.push_str(&rest[start..]);
            return out;
        };
        let name = &after[..end];
        match name {
            "lang" => out.push_str(lang.code()),
            "lang-switch" => out.push_str(&switch(lang)),
            "words" => out.push_str(&script_words(catalog)),
            id => out.push_str(&escape_html(
                &catalog.format(id, &[]).unwrap_or_else(|| id.to_owned()),
            )),
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

/// A link per language, each named in its own language; the current one marked.
fn switch(current: Lang) -> String {
    Lang::ALL
        .into_iter()
        .map(|lang| {
            let code = lang.code();
            let marked = if lang == current {
                " aria-current=\"true\""
            } else {
                ""
            };
            format!(
                "<a id=\"lang-{code}\" href=\"/?lang={code}\" lang=\"{code}\" hreflang=\"{code}\"{marked}>{}</a>",
                escape_html(lang.native_name())
            )
        })
        .collect()
}

/// The script's words as JSON that is safe inside a `<script>` element: no `<`, `>` or `&`
/// can end it or start a comment.
fn script_words(catalog: &'static Catalog) -> String {
    let mut words = Map::new();
    for id in catalog.ids() {
        if !id.starts_with(SCRIPT_PREFIX) {
            continue;
        }
        let Some(text) = catalog.format(id, &[]) else {
            continue;
        };
        // A count selects the plural form in Fluent; the script cannot, so the form for one
        // travels as `id#one` where the language has one ("1 problem", not "1 problems").
        if text.contains("{$count}") {
            let one = Message::new(id).arg("count", 1).render(catalog.lang());
            if one != text.replace("{$count}", "1") {
                words.insert(format!("{id}#one"), Value::String(one));
            }
        }
        words.insert(id.to_owned(), Value::String(text));
    }
    let words = serde_json::json!({"lang": catalog.lang().code(), "words": words});
    words
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_placeholder_resolves() {
        for lang in Lang::ALL {
            let catalog = Catalog::get(lang);
            let mut rest = INDEX_HTML;
            while let Some(start) = rest.find("{{") {
                let after = &rest[start + 2..];
                let end = after.find("}}").expect("closed");
                let name = &after[..end];
                assert!(
                    ["lang", "lang-switch", "words"].contains(&name) || catalog.has(name),
                    "{lang}: {name}"
                );
                rest = &after[end + 2..];
            }
            let html = render(lang);
            assert!(!html.contains("{{"), "{html}");
            assert!(html.contains(&format!("<html lang=\"{}\">", lang.code())));
        }
        assert!(render(Lang::Ko).contains("<h1>SMTP 설정</h1>"));
        assert!(render(Lang::En).contains("<h1>SMTP settings</h1>"));
    }

    #[test]
    fn the_words_cannot_end_their_script_element() {
        let words = script_words(Catalog::get(Lang::En));
        assert!(!words.contains('<') && !words.contains('>'), "{words}");
        let parsed: Value = serde_json::from_str(&words).unwrap();
        // A Fluent variable stays for the script to fill in.
        let unreachable = parsed["words"]["page-unreachable"].as_str().unwrap();
        assert!(unreachable.ends_with("{$reason}"), "{unreachable}");
        // The secret placeholder is HTML-like text ("<token>"), escaped and given back exactly.
        let token = parsed["words"]["page-api-missing-token"].as_str().unwrap();
        assert!(token.contains("Bearer <token>"), "{token}");
        // The plural form for one, where the language has one.
        let one = parsed["words"]["page-problems-not-saved#one"]
            .as_str()
            .unwrap();
        assert_eq!(one, "1 problem: nothing was saved");
        let korean: Value = serde_json::from_str(&script_words(Catalog::get(Lang::Ko))).unwrap();
        assert!(korean["words"].get("page-problems-not-saved#one").is_none());
    }
}
