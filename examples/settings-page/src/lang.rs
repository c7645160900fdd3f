//! The language of the page and of the API's answers (issue 17): the visitor's choice — the
//! page's switch links to `/?lang=ko`, remembered in a cookie — over the browser's
//! `Accept-Language` (q-values honoured); English without either. Every word shown comes from
//! the catalog (`page-*` ids of mailconf-messages).

use axum::http::{HeaderMap, HeaderValue, header};
use mailconf_core::Lang;

/// The cookie that remembers the switch.
pub(crate) const COOKIE: &str = "settings_page_lang";

/// A year: the choice outlives the browser session, as a language setting should.
const COOKIE_MAX_AGE: u32 = 365 * 24 * 60 * 60;

/// The language a query string chooses (`lang=ko`, `lang=ko-KR`); `None` without one the
/// catalog has.
pub(crate) fn from_query(query: Option<&str>) -> Option<Lang> {
    query?
        .split('&')
        .filter_map(|pair| pair.strip_prefix("lang="))
        .find_map(Lang::from_locale)
}

/// The language the cookie remembers.
fn from_cookie(headers: &HeaderMap) -> Option<Lang> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().strip_prefix(COOKIE)?.strip_prefix('='))
        .find_map(Lang::from_locale)
}

/// The language of a request: the remembered choice, else the browser's `Accept-Language`.
/// The page's script sends its own language as `Accept-Language` with every API call.
pub(crate) fn of_request(headers: &HeaderMap) -> Lang {
    from_cookie(headers).unwrap_or_else(|| {
        headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|value| value.to_str().ok())
            .map_or(Lang::En, Lang::from_accept_language)
    })
}

/// The `Set-Cookie` value remembering `lang`. Not readable by scripts: the page is told its
/// language in its HTML.
pub(crate) fn cookie(lang: Lang) -> HeaderValue {
    let value = format!(
        "{COOKIE}={}; Path=/; Max-Age={COOKIE_MAX_AGE}; SameSite=Lax; HttpOnly",
        lang.code()
    );
    HeaderValue::from_str(&value).unwrap_or_else(|_| unreachable!("ASCII from constants"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(name.clone(), HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn the_choice_beats_the_browser() {
        let korean_browser = headers(&[(header::ACCEPT_LANGUAGE, "ko-KR,ko;q=0.9,en;q=0.8")]);
        assert_eq!(of_request(&korean_browser), Lang::Ko);
        let chose_english = headers(&[
            (header::ACCEPT_LANGUAGE, "ko-KR,ko;q=0.9"),
            (header::COOKIE, "other=1; settings_page_lang=en"),
        ]);
        assert_eq!(of_request(&chose_english), Lang::En);
        let unknown_choice = headers(&[
            (header::ACCEPT_LANGUAGE, "ko"),
            (header::COOKIE, "settings_page_lang=fr"),
        ]);
        assert_eq!(of_request(&unknown_choice), Lang::Ko);
        assert_eq!(of_request(&HeaderMap::new()), Lang::En);
        let q_values = headers(&[(header::ACCEPT_LANGUAGE, "en;q=0.5, ko;q=0.7")]);
        assert_eq!(of_request(&q_values), Lang::Ko);
    }

    #[test]
    fn query() {
        assert_eq!(from_query(Some("lang=ko")), Some(Lang::Ko));
        assert_eq!(from_query(Some("x=1&lang=ko-KR")), Some(Lang::Ko));
        assert_eq!(from_query(Some("lang=en")), Some(Lang::En));
        assert_eq!(from_query(Some("lang=fr")), None);
        assert_eq!(from_query(Some("slang=ko")), None);
        assert_eq!(from_query(None), None);
    }
}
