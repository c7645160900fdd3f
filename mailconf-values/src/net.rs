//! `FromValue` for network addresses and URLs: the standard library's parsers and the `url`
//! crate's (WHATWG URL), with errors that say what is expected.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use url::Url;

use crate::{FromValue, Invalid};

macro_rules! std_parsed {
    ($($t:ty => $type_name:literal, $code:literal, $expected:literal, $example:literal;)*) => {$(
        impl FromValue for $t {
            const TYPE_NAME: &'static str = $type_name;
            fn from_value(raw: &str) -> Result<Self, Invalid> {
                raw.parse::<$t>().map_err(|_| {
                    let invalid = Invalid::new($code, concat!("expected ", $expected));
                    if raw.trim() != raw {
                        invalid.with_hint("remove the spaces around the value")
                    } else {
                        invalid.with_hint(concat!("write it like ", $example))
                    }
                })
            }
        }
    )*};
}

std_parsed! {
    IpAddr => "IP address", "invalid_ip", "an IPv4 or IPv6 address", "127.0.0.1 or ::1";
    Ipv4Addr => "IPv4 address", "invalid_ip", "an IPv4 address", "127.0.0.1";
    Ipv6Addr => "IPv6 address", "invalid_ip", "an IPv6 address", "::1";
    SocketAddr => "socket address (IP:port)", "invalid_socket_address", "an IP address and a port", "127.0.0.1:8080 or [::1]:8080";
}

/// An absolute URL, such as `https://app.example.com/`.
impl FromValue for Url {
    const TYPE_NAME: &'static str = "URL";
    fn from_value(raw: &str) -> Result<Self, Invalid> {
        // url's messages name the part that is wrong ("relative URL without a base", "invalid
        // port number") and never quote the input, which may hold a password.
        Url::parse(raw).map_err(|e| {
            let hint = if raw.trim() != raw {
                "remove the spaces around the URL"
            } else {
                "write an absolute URL, such as https://app.example.com/"
            };
            Invalid::new("invalid_url", format!("expected a URL: {e}")).with_hint(hint)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert!(!e.message.contains("localhost"), "{e}");
        assert_eq!(
            SocketAddr::from_value("127.0.0.1").unwrap_err().code,
            "invalid_socket_address"
        );
        assert!(
            Ipv6Addr::from_value(" ::1")
                .unwrap_err()
                .hint
                .unwrap()
                .contains("spaces")
        );
    }

    #[test]
    fn urls_must_be_absolute_and_errors_never_quote_them() {
        let url = Url::from_value("https://app.example.com/a?b=c").unwrap();
        assert_eq!(url.host_str(), Some("app.example.com"));
        let e = Url::from_value("app.example.com/secret-path").unwrap_err();
        assert_eq!(e.code, "invalid_url");
        assert!(e.message.contains("relative URL"), "{e}");
        assert!(!e.message.contains("secret-path"), "{e}");
        let e = Url::from_value("https://user:hunter2@host:99999/").unwrap_err();
        assert!(!e.message.contains("hunter2"), "{e}");
    }
}
