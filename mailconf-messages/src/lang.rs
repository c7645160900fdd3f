//! The languages of the catalog, and how a language is chosen from a locale, the environment or
//! a browser's `Accept-Language`.

use std::fmt;
use std::str::FromStr;

/// A language of the catalog. English is the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Korean (한국어).
    Ko,
}

impl Lang {
    /// Every language of the catalog, English first.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Ko];

    /// The language's code: `en` or `ko`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ko => "ko",
        }
    }

    /// The language's name in that language, for a language switch: `English`, `한국어`.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Ko => "한국어",
        }
    }

    /// The language of a language tag or POSIX locale: `ko`, `ko-KR`, `ko_KR.UTF-8`,
    /// `ko_KR.UTF-8@variant`, `en_US` (case-insensitive). `None` for a language the catalog does
    /// not have, and for `C` and `POSIX`.
    ///
    /// ```
    /// use mailconf_messages::Lang;
    /// assert_eq!(Lang::from_locale("ko_KR.UTF-8"), Some(Lang::Ko));
    /// assert_eq!(Lang::from_locale("en-GB"), Some(Lang::En));
    /// assert_eq!(Lang::from_locale("fr_FR"), None);
    /// ```
    pub fn from_locale(locale: &str) -> Option<Lang> {
        let locale = locale.trim();
        let end = locale.find(['.', '@']).unwrap_or(locale.len());
        let primary = locale[..end].split(['-', '_']).next().unwrap_or("");
        Lang::ALL
            .into_iter()
            .find(|lang| primary.eq_ignore_ascii_case(lang.code()))
    }

    /// The language the environment asks for: the first of `MAILCONF_LANG`, `LC_ALL`,
    /// `LC_MESSAGES` and `LANG` that is set and not empty decides (as POSIX ranks the last
    /// three); English when none is set or it names a language the catalog does not have.
    pub fn from_env() -> Lang {
        Lang::from_vars(|name| std::env::var(name).ok())
    }

    /// [`Lang::from_env`] over any variable lookup (a test's map, a request's settings).
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Lang {
        ["MAILCONF_LANG", "LC_ALL", "LC_MESSAGES", "LANG"]
            .into_iter()
            .filter_map(var)
            .find(|value| !value.trim().is_empty())
            .and_then(|value| Lang::from_locale(&value))
            .unwrap_or_default()
    }

    /// The language a browser prefers among the catalog's, from an `Accept-Language` header
    /// such as `ko-KR,ko;q=0.9,en-US;q=0.8`: the highest `q` wins, the earlier on a tie; a
    /// range with `q=0` is refused. English when the header names none of the catalog's.
    ///
    /// ```
    /// use mailconf_messages::Lang;
    /// assert_eq!(Lang::from_accept_language("ko-KR,ko;q=0.9,en;q=0.8"), Lang::Ko);
    /// assert_eq!(Lang::from_accept_language("fr;q=1, en;q=0.5, ko;q=0.7"), Lang::Ko);
    /// assert_eq!(Lang::from_accept_language("ko;q=0, fr"), Lang::En);
    /// ```
    pub fn from_accept_language(header: &str) -> Lang {
        let mut best: Option<(u16, Lang)> = None;
        for range in header.split(',') {
            let mut parts = range.split(';');
            let Some(lang) = parts.next().and_then(Lang::from_locale) else {
                continue;
            };
            let q = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .map(quality)
                .next()
                .unwrap_or(Some(1000));
            let Some(q) = q.filter(|q| *q > 0) else {
                continue;
            };
            if best.is_none_or(|(top, _)| q > top) {
                best = Some((q, lang));
            }
        }
        best.map(|(_, lang)| lang).unwrap_or_default()
    }
}

/// A q-value (`0`, `0.8`, `1.000`) in thousandths; `None` when malformed.
fn quality(text: &str) -> Option<u16> {
    let (whole, fraction) = text.trim().split_once('.').unwrap_or((text.trim(), ""));
    if fraction.len() > 3 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let thousandths = format!("{fraction:0<3}").parse::<u16>().ok()?;
    match whole {
        "0" => Some(thousandths),
        "1" if thousandths == 0 => Some(1000),
        _ => None,
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A language the catalog does not have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownLang(pub String);

impl fmt::Display for UnknownLang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown language {:?}: expected en or ko", self.0)
    }
}

impl std::error::Error for UnknownLang {}

/// Parses what [`Lang::from_locale`] accepts.
impl FromStr for Lang {
    type Err = UnknownLang;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Lang::from_locale(s).ok_or_else(|| UnknownLang(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locales_and_tags() {
        for ko in [
            "ko",
            "KO",
            "ko-KR",
            "ko_KR",
            "ko_KR.UTF-8",
            "ko_KR.utf8@x",
            " ko ",
        ] {
            assert_eq!(Lang::from_locale(ko), Some(Lang::Ko), "{ko}");
        }
        for en in ["en", "en_US.UTF-8", "en-GB"] {
            assert_eq!(Lang::from_locale(en), Some(Lang::En), "{en}");
        }
        for none in ["", "C", "POSIX", "C.UTF-8", "fr_FR", "kor", "k"] {
            assert_eq!(Lang::from_locale(none), None, "{none}");
        }
        assert_eq!("ko-KR".parse::<Lang>(), Ok(Lang::Ko));
        assert!("de".parse::<Lang>().is_err());
    }

    #[test]
    fn environment_order() {
        let vars = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| (*v).to_owned())
            }
        };
        let cases: [(&'static [(&str, &str)], Lang); 7] = [
            (&[], Lang::En),
            (&[("LANG", "ko_KR.UTF-8")], Lang::Ko),
            (
                &[("LC_MESSAGES", "ko_KR.UTF-8"), ("LANG", "en_US")],
                Lang::Ko,
            ),
            (&[("LC_ALL", "en_US.UTF-8"), ("LANG", "ko_KR")], Lang::En),
            (&[("MAILCONF_LANG", "ko"), ("LC_ALL", "en_US")], Lang::Ko),
            // An empty variable is unset; a language without a catalog means English.
            (&[("MAILCONF_LANG", ""), ("LANG", "ko_KR")], Lang::Ko),
            (&[("LC_ALL", "fr_FR"), ("LANG", "ko_KR")], Lang::En),
        ];
        for (set, lang) in cases {
            assert_eq!(Lang::from_vars(vars(set)), lang, "{set:?}");
        }
    }

    #[test]
    fn accept_language() {
        assert_eq!(Lang::from_accept_language(""), Lang::En);
        assert_eq!(Lang::from_accept_language("ko"), Lang::Ko);
        assert_eq!(
            Lang::from_accept_language("en-US,en;q=0.9,ko;q=0.8"),
            Lang::En
        );
        assert_eq!(
            Lang::from_accept_language("ko-KR,ko;q=0.9,en-US;q=0.8"),
            Lang::Ko
        );
        assert_eq!(Lang::from_accept_language("en;q=0.5,ko;q=0.6"), Lang::Ko);
        assert_eq!(Lang::from_accept_language("ko;q=0.5,en;q=0.5"), Lang::Ko);
        assert_eq!(Lang::from_accept_language("*, ko;q=0.1"), Lang::Ko);
        assert_eq!(Lang::from_accept_language("ko;q=0"), Lang::En);
        assert_eq!(Lang::from_accept_language("ko;q=abc, en;q=0.1"), Lang::En);
        assert_eq!(Lang::from_accept_language("ko;q=1.5"), Lang::En);
    }
}
