use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::{FromValue, Invalid};

/// A server to connect to: a DNS name, an IPv4 address or an IPv6 address.
///
/// Internationalised domain names are converted to their ASCII (punycode) form with IDNA, so
/// `bücher.example` becomes `xn--bcher-kva.example`. IPv6 addresses are accepted bare (`::1`) or
/// in brackets (`[::1]`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Host {
    /// A DNS name in ASCII form, such as `smtp.example.com` or `localhost`.
    Domain(String),
    /// An IPv4 address.
    Ipv4(Ipv4Addr),
    /// An IPv6 address.
    Ipv6(Ipv6Addr),
}

impl Host {
    /// Whether the host is this machine: `localhost` (and `*.localhost`), 127.0.0.0/8 or `::1`.
    pub fn is_loopback(&self) -> bool {
        match self {
            Host::Domain(d) => {
                let d = d.strip_suffix('.').unwrap_or(d);
                d == "localhost" || d.ends_with(".localhost")
            }
            Host::Ipv4(ip) => ip.is_loopback(),
            Host::Ipv6(ip) => ip.is_loopback(),
        }
    }

    /// The IP address, when the host is one.
    pub fn ip(&self) -> Option<IpAddr> {
        match self {
            Host::Domain(_) => None,
            Host::Ipv4(ip) => Some(IpAddr::V4(*ip)),
            Host::Ipv6(ip) => Some(IpAddr::V6(*ip)),
        }
    }
}

/// The host as it is connected to: IPv6 without brackets.
impl fmt::Display for Host {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Host::Domain(d) => f.write_str(d),
            Host::Ipv4(ip) => ip.fmt(f),
            Host::Ipv6(ip) => ip.fmt(f),
        }
    }
}

impl FromValue for Host {
    const TYPE_NAME: &'static str = "host name or IP address";

    fn from_value(raw: &str) -> Result<Self, Invalid> {
        let invalid = |message: &str| Invalid::new("invalid_host", message);
        if raw.is_empty() {
            return Err(
                invalid("the host is empty").with_hint("set a host name such as smtp.example.com")
            );
        }
        if raw.trim() != raw {
            return Err(invalid("the host has spaces around it").with_hint("remove the spaces"));
        }
        if let Some(inner) = raw.strip_prefix('[') {
            return inner
                .strip_suffix(']')
                .and_then(|ip| ip.parse::<Ipv6Addr>().ok())
                .map(Host::Ipv6)
                .ok_or_else(|| {
                    invalid("expected an IPv6 address inside the brackets, such as [::1]")
                });
        }
        if let Ok(ip) = raw.parse::<Ipv4Addr>() {
            return Ok(Host::Ipv4(ip));
        }
        if let Ok(ip) = raw.parse::<Ipv6Addr>() {
            return Ok(Host::Ipv6(ip));
        }
        if raw.contains("://") {
            return Err(invalid("expected a host name, not a URL").with_hint(
                "remove the scheme (smtp://) and any path: only the host name goes here",
            ));
        }
        if raw.contains('@') {
            return Err(invalid("expected a host name, not an email address")
                .with_hint("the server is the part after @ in your provider's settings, such as smtp.gmail.com"));
        }
        if let Some((_, port)) = raw.rsplit_once(':')
            && !port.is_empty()
            && port.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(invalid("the host includes a port")
                .with_hint("put the port in its own setting and leave only the host name here"));
        }
        let ascii = idna::domain_to_ascii(raw)
            .map_err(|_| invalid("not a valid host name (IDNA conversion failed)"))?;
        check_dns_name(&ascii)?;
        Ok(Host::Domain(ascii))
    }
}

/// RFC 1123 host name rules, applied after IDNA conversion.
fn check_dns_name(name: &str) -> Result<(), Invalid> {
    let invalid = |message: String| Invalid::new("invalid_host", message);
    let bare = name.strip_suffix('.').unwrap_or(name);
    if bare.is_empty() || bare.len() > 253 {
        return Err(invalid("a host name has 1 to 253 characters".into()));
    }
    for label in bare.split('.') {
        if label.is_empty() {
            return Err(invalid(
                "the host name has an empty part between dots".into(),
            ));
        }
        if label.len() > 63 {
            return Err(invalid(
                "a part of the host name is longer than 63 characters".into(),
            ));
        }
        if let Some(c) = label
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '-'))
        {
            let what = if c.is_whitespace() {
                "a space".to_string()
            } else {
                format!("the character {c:?}")
            };
            return Err(invalid(format!("a host name cannot contain {what}"))
                .with_hint("use letters, digits, hyphens and dots"));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(invalid(
                "a part of the host name starts or ends with a hyphen".into(),
            ));
        }
    }
    if bare
        .rsplit('.')
        .next()
        .is_some_and(|tld| tld.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(invalid(
            "this looks like an IPv4 address but is not a valid one".into(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host(s: &str) -> Host {
        Host::from_value(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn accepts_names_ips_and_localhost() {
        assert_eq!(
            host("smtp.gmail.com"),
            Host::Domain("smtp.gmail.com".into())
        );
        assert_eq!(
            host("SMTP.Example.COM"),
            Host::Domain("smtp.example.com".into())
        );
        assert_eq!(host("localhost"), Host::Domain("localhost".into()));
        assert_eq!(host("127.0.0.1"), Host::Ipv4(Ipv4Addr::LOCALHOST));
        assert_eq!(host("::1"), Host::Ipv6(Ipv6Addr::LOCALHOST));
        assert_eq!(host("[::1]"), Host::Ipv6(Ipv6Addr::LOCALHOST));
        assert_eq!(host("[2001:db8::25]").to_string(), "2001:db8::25");
        assert_eq!(
            host("mail-1.example.org."),
            Host::Domain("mail-1.example.org.".into())
        );
    }

    #[test]
    fn converts_internationalised_names_with_idna() {
        assert_eq!(
            host("bücher.example"),
            Host::Domain("xn--bcher-kva.example".into())
        );
        assert_eq!(
            host("почта.рф"),
            Host::Domain("xn--80a1acny.xn--p1ai".into())
        );
    }

    #[test]
    fn loopback_detection() {
        for l in [
            "localhost",
            "a.localhost",
            "127.0.0.1",
            "127.1.2.3",
            "::1",
            "[::1]",
        ] {
            assert!(host(l).is_loopback(), "{l}");
        }
        for r in [
            "smtp.example.com",
            "10.0.0.1",
            "2001:db8::1",
            "localhost.example.com",
        ] {
            assert!(!host(r).is_loopback(), "{r}");
        }
    }

    #[test]
    fn rejects_urls_ports_addresses_and_bad_names() {
        let cases = [
            ("", "empty"),
            (" smtp.example.com", "spaces"),
            ("smtp://smtp.example.com", "URL"),
            ("user@example.com", "email"),
            ("smtp.example.com:587", "port"),
            ("smtp_relay.example.com", "character"),
            ("bad host", "space"),
            ("-bad.example", "hyphen"),
            ("a..b", "empty part"),
            ("[::1", "IPv6"),
            ("[not-ip]", "IPv6"),
            ("999.1.1.1", "IPv4"),
        ];
        for (input, word) in cases {
            let e = Host::from_value(input).unwrap_err();
            assert_eq!(e.code, "invalid_host");
            assert!(e.message.contains(word), "{input}: {}", e.message);
        }
        let long_label = format!("{}.example", "a".repeat(64));
        assert!(Host::from_value(&long_label).is_err());
        let long_name = format!("{}example", "abcdefghi.".repeat(26));
        assert!(Host::from_value(&long_name).is_err());
    }
}
