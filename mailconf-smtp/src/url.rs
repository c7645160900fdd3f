//! `MAIL_URL`: the whole connection in one value.

use std::fmt;

use mailconf_core::{FromValue, Host, Invalid, Message, Port, Secret};

use crate::Security;

/// A parsed `MAIL_URL`.
///
/// | URL | security | default port |
/// |---|---|---|
/// | `smtps://host` | implicit TLS | 465 |
/// | `smtp://host?tls=required` | STARTTLS, refused if the server does not offer it | 587 |
/// | `smtp://host` | none (plain text) | 25 |
///
/// `user:password@` before the host gives the login; both are percent-decoded, so a password
/// with `@` or `:` is written `%40` / `%3A`. `tls=opportunistic` is refused (it silently falls
/// back to plain text), and so is any other query key or a path. The value is secret: it holds
/// the password, so errors never show it.
#[derive(Clone)]
pub struct SmtpUrl {
    /// The TLS mode.
    pub security: Security,
    /// The server.
    pub host: Host,
    /// The port given in the URL, if any.
    pub port: Option<Port>,
    /// The login name, if any.
    pub username: Option<String>,
    /// The password, if any.
    pub password: Option<Secret<String>>,
}

impl SmtpUrl {
    /// `raw` as written, with only the password replaced by `[redacted]`; `None` when `raw`
    /// is not a valid `MAIL_URL` (then nothing of it can be shown safely).
    ///
    /// ```
    /// use mailconf_smtp::SmtpUrl;
    ///
    /// assert_eq!(
    ///     SmtpUrl::redacted("smtp://app%40example.com:s3cr%3At@smtp.example.com:587?tls=required").as_deref(),
    ///     Some("smtp://app%40example.com:[redacted]@smtp.example.com:587?tls=required")
    /// );
    /// assert_eq!(SmtpUrl::redacted("smtps://smtp.example.com").as_deref(), Some("smtps://smtp.example.com"));
    /// assert_eq!(SmtpUrl::redacted("smtp:/user:pw@host"), None);
    /// ```
    pub fn redacted(raw: &str) -> Option<String> {
        SmtpUrl::from_value(raw).ok()?;
        let (scheme, rest) = raw.split_once("://")?;
        // A valid MAIL_URL has no path or fragment, and its query cannot hold an `@`, so the
        // authority runs to the first `?` and its last `@` ends the user info, as in `url`.
        let authority_end = rest.find('?').unwrap_or(rest.len());
        let (authority, query) = rest.split_at(authority_end);
        let Some(at) = authority.rfind('@') else {
            return Some(raw.to_owned());
        };
        let (userinfo, host) = authority.split_at(at);
        let user = match userinfo.split_once(':') {
            Some((user, _password)) => format!("{user}:{}", mailconf_core::REDACTED),
            None => userinfo.to_owned(),
        };
        Some(format!("{scheme}://{user}{host}{query}"))
    }

    /// The port in the URL, or the mode's usual port.
    pub fn effective_port(&self) -> Port {
        self.port.unwrap_or(self.security.default_port())
    }
}

impl fmt::Debug for SmtpUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpUrl")
            .field("security", &self.security)
            .field("host", &self.host)
            .field("port", &self.port)
            .field("username", &self.username)
            .field("password", &self.password)
            .finish()
    }
}

impl FromValue for SmtpUrl {
    const TYPE_NAME: &'static str = "URL (smtp://, smtps://)";
    const SECRET: bool = true;

    fn from_value(raw: &str) -> Result<Self, Invalid> {
        let invalid = |message: Message| {
            Invalid::new("invalid_url", message).with_hint(Message::new("smtp-url-hint"))
        };
        // url's own messages are generic ("relative URL without a base"): never the input.
        let url = url::Url::parse(raw).map_err(|e| invalid(mailconf_core::url_problem(e)))?;
        let implicit = match url.scheme() {
            "smtps" => true,
            "smtp" => false,
            _ => return Err(invalid(Message::new("smtp-url-scheme"))),
        };
        let mut tls = None;
        for (key, value) in url.query_pairs() {
            match (key.as_ref(), value.as_ref()) {
                ("tls", "required") if !implicit => tls = Some(Security::StartTls),
                ("tls", "opportunistic") => {
                    return Err(invalid(Message::new("smtp-url-opportunistic"))
                        .with_hint(Message::new("smtp-url-opportunistic-hint")));
                }
                ("tls", _) => {
                    return Err(invalid(Message::new("smtp-url-tls-parameter")));
                }
                _ => {
                    return Err(invalid(Message::new("smtp-url-query")));
                }
            }
        }
        if !matches!(url.path(), "" | "/") {
            return Err(invalid(Message::new("smtp-url-path"))
                .with_hint(Message::new("smtp-url-path-hint")));
        }
        if url.fragment().is_some() {
            return Err(invalid(Message::new("smtp-url-fragment")));
        }
        let host_text = url
            .host_str()
            .ok_or_else(|| invalid(Message::new("smtp-url-no-host")))?;
        let host = Host::from_value(host_text).map_err(|e| Invalid {
            code: "invalid_url",
            ..e
        })?;
        let port = url
            .port()
            .map(|p| Port::new(p).ok_or_else(|| invalid(Message::new("value-port-zero"))))
            .transpose()?;
        let decode =
            |s: &str| percent_decode(s).ok_or_else(|| invalid(Message::new("smtp-url-percent")));
        let username = (!url.username().is_empty())
            .then(|| decode(url.username()))
            .transpose()?;
        let password = url.password().map(decode).transpose()?.map(Secret::new);
        let security = if implicit {
            Security::ImplicitTls
        } else {
            tls.unwrap_or(Security::Plain)
        };
        Ok(SmtpUrl {
            security,
            host,
            port,
            username,
            password,
        })
    }
}

pub(crate) fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> SmtpUrl {
        SmtpUrl::from_value(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn schemes_and_tls_parameter_select_the_mode_and_port() {
        let u = url("smtps://smtp.example.com");
        assert_eq!(
            (u.security, u.effective_port().get()),
            (Security::ImplicitTls, 465)
        );
        let u = url("smtp://smtp.example.com?tls=required");
        assert_eq!(
            (u.security, u.effective_port().get()),
            (Security::StartTls, 587)
        );
        let u = url("smtp://localhost:2525");
        assert_eq!(
            (u.security, u.effective_port().get()),
            (Security::Plain, 2525)
        );
        assert_eq!(url("smtp://[::1]:25").host.to_string(), "::1");
    }

    #[test]
    fn credentials_are_percent_decoded_and_redacted_in_debug() {
        let u = url("smtps://u%40x.com:p%3Aw%40rd@smtp.example.com:2465");
        assert_eq!(u.username.as_deref(), Some("u@x.com"));
        assert_eq!(u.password.as_ref().unwrap().expose_secret(), "p:w@rd");
        assert_eq!(u.port.unwrap().get(), 2465);
        assert!(!format!("{u:?}").contains("p:w@rd"));
        assert!(url("smtp://host.example").username.is_none());
    }

    #[test]
    fn rejects_what_it_cannot_honour() {
        let bad = [
            "smtp.example.com",
            "http://smtp.example.com",
            "smtp://h.example?tls=opportunistic",
            "smtps://h.example?tls=required",
            "smtp://h.example?tls=bogus",
            "smtp://h.example?x=1",
            "smtp://h.example/ehlo",
            "smtp://h.example:0",
            "smtp://u:p%zz@h.example",
            "smtp://",
            "smtp://u:secret#x@h.example",
        ];
        crate::test_support::assert_rejects::<SmtpUrl>(&bad, "invalid_url");
    }
}
