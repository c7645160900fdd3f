//! `FromValue` for network addresses and URLs: the standard library's parsers and the `url`
//! crate's (WHATWG URL), with errors that say what is expected.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use url::Url;

use crate::{FromValue, Invalid, Message};

macro_rules! std_parsed {
    ($($t:ty => $type_name:literal, $code:literal, $expected:literal, $example:literal;)*) => {$(
        impl FromValue for $t {
            const TYPE_NAME: &'static str = $type_name;
            fn from_value(raw: &str) -> Result<Self, Invalid> {
                raw.parse::<$t>().map_err(|_| {
                    let invalid = Invalid::new($code, Message::new("value-ip-expected").arg("what", $expected));
                    if raw.trim() != raw {
                        invalid.with_hint(Message::new("value-remove-spaces"))
                    } else {
                        invalid.with_hint(Message::new("value-write-it-like").arg("example", $example))
                    }
                })
            }
        }
    )*};
}

std_parsed! {
    IpAddr => "IP address", "invalid_ip", "ip", "127.0.0.1 or ::1";
    Ipv4Addr => "IPv4 address", "invalid_ip", "ipv4", "127.0.0.1";
    Ipv6Addr => "IPv6 address", "invalid_ip", "ipv6", "::1";
    SocketAddr => "socket address (IP:port)", "invalid_socket_address", "socket", "127.0.0.1:8080 or [::1]:8080";
}

/// An absolute URL, such as `https://app.example.com/`.
impl FromValue for Url {
    const TYPE_NAME: &'static str = "URL";
    fn from_value(raw: &str) -> Result<Self, Invalid> {
        // url's messages name the part that is wrong ("relative URL without a base", "invalid
        // port number") and never quote the input, which may hold a password.
        Url::parse(raw).map_err(|e| {
            let hint = if raw.trim() != raw {
                "value-url-spaces-hint"
            } else {
                "value-url-hint"
            };
            let message = url_problem(e);
            Invalid::new("invalid_url", message).with_hint(Message::new(hint))
        })
    }
}

/// "expected a URL: …" for what the `url` crate found wrong, as a catalog message (the
/// crate's own text is English only).
pub fn url_problem(e: url::ParseError) -> Message {
    Message::new("value-url-expected").arg("reason", url_reason(e))
}

/// The catalog's name for what `url` found wrong (a selector of `value-url-expected`).
fn url_reason(e: url::ParseError) -> &'static str {
    use url::ParseError as E;
    match e {
        E::EmptyHost => "empty-host",
        E::IdnaError => "idna",
        E::InvalidPort => "invalid-port",
        E::InvalidIpv4Address => "invalid-ipv4",
        E::InvalidIpv6Address => "invalid-ipv6",
        E::InvalidDomainCharacter => "invalid-domain-character",
        E::RelativeUrlWithoutBase => "relative",
        E::Overflow => "overflow",
        _ => "other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::assert_hint_contains;

    #[test]
    fn addresses_parse_and_name_what_is_expected() {
        assert_eq!(
            IpAddr::from_value("::1"),
            Ok(IpAddr::V6(Ipv6Addr::LOCALHOST))
        );
        assert_eq!(
            Ipv4Addr::from_value("10.0.0.1"),
            Ok(Ipv4Addr::new(10, 0, 0, 1))
        );
        assert_eq!(SocketAddr::from_value("[::1]:8080").unwrap().port(), 8080);
        let e = IpAddr::from_value("localhost").unwrap_err();
        assert_eq!(e.code, "invalid_ip");
        assert!(!e.message.to_string().contains("localhost"), "{e}");
        assert_eq!(
            SocketAddr::from_value("127.0.0.1").unwrap_err().code,
            "invalid_socket_address"
        );
        assert_hint_contains(Ipv6Addr::from_value(" ::1"), "spaces");
    }

    #[test]
    fn urls_must_be_absolute_and_errors_never_quote_them() {
        let url = Url::from_value("https://app.example.com/a?b=c").unwrap();
        assert_eq!(url.host_str(), Some("app.example.com"));
        let e = Url::from_value("app.example.com/secret-path").unwrap_err();
        assert_eq!(e.code, "invalid_url");
        assert!(e.message.to_string().contains("relative URL"), "{e}");
        assert!(!e.message.to_string().contains("secret-path"), "{e}");
        let e = Url::from_value("https://user:hunter2@host:99999/").unwrap_err();
        assert!(!e.message.to_string().contains("hunter2"), "{e}");
    }
}
