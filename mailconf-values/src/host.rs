use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::{FromValue, Invalid, Message};

/// A server to connect to: a DNS name, an IPv4 address or an IPv6 address.
///
/// Internationalised domain names are converted to their ASCII (punycode) form with IDNA, so
/// `bücher.example` becomes `xn--bcher-kva.example`. IPv6 addresses are accepted bare (`::1`) or
/// in brackets (`[::1]`), and both kinds of address as RFC 5321 address literals too
/// (`[192.0.2.1]`, `[IPv6:2001:db8::1]`), the form an EHLO name takes when it is an address.
///
/// A `_` is accepted in a name (see [`Host::has_underscore`]): Docker Compose names services
/// `mail_hog`, and its resolver answers for them.
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

    /// Whether the name holds a `_`. Such a name is not a DNS host name (RFC 952/1123): it
    /// resolves only through a local resolver such as Docker's or `/etc/hosts`, and no public
    /// certificate authority issues a certificate for it, so it deserves a warning.
    pub fn has_underscore(&self) -> bool {
        matches!(self, Host::Domain(d) if d.contains('_'))
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
        let invalid = |id: &'static str| Invalid::new("invalid_host", Message::new(id));
        if raw.is_empty() {
            return Err(
                invalid("value-host-empty").with_hint(Message::new("value-host-empty-hint"))
            );
        }
        if is_plain_ascii(raw) {
            // The usual case: none of the mistakes checked below is possible, and IDNA would only
            // lower-case the name.
            return match raw.parse::<Ipv4Addr>() {
                Ok(ip) => Ok(Host::Ipv4(ip)),
                Err(_) => domain(raw.to_ascii_lowercase()),
            };
        }
        if raw.trim() != raw {
            return Err(
                invalid("value-host-spaces").with_hint(Message::new("value-host-spaces-hint"))
            );
        }
        if let Some(inner) = raw.strip_prefix('[') {
            return address_literal(inner).ok_or_else(|| invalid("value-host-bracket"));
        }
        if let Ok(ip) = raw.parse::<Ipv4Addr>() {
            return Ok(Host::Ipv4(ip));
        }
        if let Ok(ip) = raw.parse::<Ipv6Addr>() {
            return Ok(Host::Ipv6(ip));
        }
        if raw.contains("://") {
            return Err(invalid("value-host-url").with_hint(Message::new("value-host-url-hint")));
        }
        if raw.contains('@') {
            return Err(
                invalid("value-host-email").with_hint(Message::new("value-host-email-hint"))
            );
        }
        if let Some((_, port)) = raw.rsplit_once(':')
            && !port.is_empty()
            && port.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(invalid("value-host-port").with_hint(Message::new("value-host-port-hint")));
        }
        let ascii = idna::domain_to_ascii(raw).map_err(|_| invalid("value-host-idna"))?;
        domain(ascii)
    }
}

/// The inside of `[...]` after the `[`: an RFC 5321 address literal (`192.0.2.1]`,
/// `IPv6:2001:db8::1]`) or a bare bracketed IPv6 address as in URLs (`::1]`).
fn address_literal(inner: &str) -> Option<Host> {
    let inner = inner.strip_suffix(']')?;
    if let Some(v6) = inner
        .get(..5)
        .filter(|tag| tag.eq_ignore_ascii_case("IPv6:"))
        .map(|_| &inner[5..])
    {
        return v6.parse().ok().map(Host::Ipv6);
    }
    match inner.parse::<IpAddr>().ok()? {
        IpAddr::V4(ip) => Some(Host::Ipv4(ip)),
        IpAddr::V6(ip) => Some(Host::Ipv6(ip)),
    }
}

fn domain(ascii: String) -> Result<Host, Invalid> {
    check_dns_name(&ascii)?;
    Ok(Host::Domain(ascii))
}

/// Whether IDNA would only lower-case this name, so it can be skipped: nothing but ASCII
/// letters, digits, hyphens and dots, and no punycode label (`xn--`), whose decoding IDNA checks.
/// Most host names are like this, and IDNA costs more than the rest of a settings load.
fn is_plain_ascii(name: &str) -> bool {
    let bytes = name.as_bytes();
    bytes
        .iter()
        .all(|&b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
        && !bytes.split(|&b| b == b'.').any(|label| {
            label
                .get(..4)
                .is_some_and(|start| start.eq_ignore_ascii_case(b"xn--"))
        })
}

/// RFC 1123 host name rules, applied after IDNA conversion.
fn check_dns_name(name: &str) -> Result<(), Invalid> {
    let invalid = |message: Message| Invalid::new("invalid_host", message);
    let bare = name.strip_suffix('.').unwrap_or(name);
    if bare.is_empty() || bare.len() > 253 {
        return Err(invalid(Message::new("value-host-length")));
    }
    // Bytes, not chars: the name is ASCII after IDNA, and this runs on every load.
    for label in bare.as_bytes().split(|&b| b == b'.') {
        if label.is_empty() {
            return Err(invalid(Message::new("value-host-empty-label")));
        }
        if label.len() > 63 {
            return Err(invalid(Message::new("value-host-long-label")));
        }
        // `_` is no DNS host name character, but Docker Compose service names use it and
        // resolve (`mail_hog`); [`Host::has_underscore`] lets the caller warn.
        let allowed = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
        if !label.iter().all(|&b| allowed(char::from(b))) {
            let text = String::from_utf8_lossy(label);
            let c = text.chars().find(|&c| !allowed(c)).unwrap_or('?');
            let message = if c.is_whitespace() {
                Message::new("value-host-space")
            } else {
                Message::new("value-host-character").arg("character", format!("{c:?}"))
            };
            return Err(invalid(message).with_hint(Message::new("value-host-character-hint")));
        }
        if label.starts_with(b"-") || label.ends_with(b"-") {
            return Err(invalid(Message::new("value-host-hyphen")));
        }
    }
    let tld = bare.rsplit_once('.').map_or(bare, |(_, tld)| tld);
    if tld.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid(Message::new("value-host-bad-ipv4")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::assert_message_contains;

    fn host(s: &str) -> Host {
        Host::from_value(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    /// Asserts that `input` is read as the domain name `expected`, as the loader stores it.
    #[track_caller]
    fn assert_domain(input: &str, expected: &str) {
        assert_eq!(host(input), Host::Domain(expected.into()), "{input}");
    }

    #[test]
    fn accepts_names_ips_and_localhost() {
        assert_domain("smtp.gmail.com", "smtp.gmail.com");
        assert_domain("SMTP.Example.COM", "smtp.example.com");
        assert_domain("localhost", "localhost");
        assert_eq!(host("127.0.0.1"), Host::Ipv4(Ipv4Addr::LOCALHOST));
        assert_eq!(host("::1"), Host::Ipv6(Ipv6Addr::LOCALHOST));
        assert_eq!(host("[::1]"), Host::Ipv6(Ipv6Addr::LOCALHOST));
        assert_eq!(host("[2001:db8::25]").to_string(), "2001:db8::25");
        assert_domain("mail-1.example.org.", "mail-1.example.org.");
    }

    #[test]
    fn accepts_rfc_5321_address_literals() {
        assert_eq!(host("[192.0.2.1]"), Host::Ipv4(Ipv4Addr::new(192, 0, 2, 1)));
        assert_eq!(host("[IPv6:2001:db8::1]"), host("2001:db8::1"));
        assert_eq!(host("[ipv6:::1]"), Host::Ipv6(Ipv6Addr::LOCALHOST));
    }

    #[test]
    fn accepts_underscores_for_docker_service_names_and_says_so() {
        for name in ["mail_hog", "Mail_Hog", "smtp_relay.internal"] {
            let h = host(name);
            assert!(h.has_underscore(), "{name}");
            assert_eq!(h.to_string(), name.to_ascii_lowercase());
        }
        assert!(!host("mailhog").has_underscore());
        assert!(!host("127.0.0.1").has_underscore());
    }

    #[test]
    fn converts_internationalised_names_with_idna() {
        assert_domain("bücher.example", "xn--bcher-kva.example");
        assert_domain("почта.рф", "xn--80a1acny.xn--p1ai");
    }

    #[test]
    fn punycode_labels_still_go_through_idna() {
        assert_domain("XN--bcher-kva.example", "xn--bcher-kva.example");
        // Not valid punycode: only IDNA's decoding finds that.
        assert_message_contains(Host::from_value("xn--a.example"), "IDNA");
    }

    proptest::proptest! {
        /// The shortcut for plain ASCII names gives what IDNA gives, accepted or rejected alike.
        #[test]
        fn plain_ascii_shortcut_agrees_with_idna(name in "[a-zA-Z0-9.-]{0,70}|[a-zA-Z0-9]{1,70}(\\.[a-zA-Z0-9-]{1,70}){0,4}\\.?") {
            let shortcut = Host::from_value(&name);
            let via_idna = idna::domain_to_ascii(&name)
                .map_err(|_| ())
                .and_then(|ascii| check_dns_name(&ascii).map(|()| ascii).map_err(|_| ()));
            match (&shortcut, &via_idna) {
                (Ok(Host::Domain(a)), Ok(b)) => proptest::prop_assert_eq!(a, b),
                (Ok(Host::Ipv4(_) | Host::Ipv6(_)), _) | (Err(_), Err(())) => {}
                _ => proptest::prop_assert!(false, "{name:?}: {shortcut:?} but IDNA gives {via_idna:?}"),
            }
        }
    }

    #[test]
    fn advice_is_not_about_smtp() {
        // A `Host` may be a database or an HTTP upstream: SMTP advice belongs to SMTP fields.
        for bad in ["", "smtp://x.example", "me@example.com"] {
            let e = Host::from_value(bad).unwrap_err();
            let text = format!("{} {:?}", e.message, e.hint).to_lowercase();
            assert!(!text.contains("smtp"), "{bad}: {text}");
        }
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
            ("smtp relay.example.com", "space"),
            ("smtp/relay.example.com", "character"),
            ("bad host", "space"),
            ("-bad.example", "hyphen"),
            ("a..b", "empty part"),
            ("[::1", "IP address"),
            ("[not-ip]", "IP address"),
            ("[IPv6:192.0.2.1]", "IP address"),
            ("[IPv4:192.0.2.1]", "IP address"),
            ("999.1.1.1", "IPv4"),
        ];
        for (input, word) in cases {
            let e = Host::from_value(input).unwrap_err();
            assert_eq!(e.code, "invalid_host");
            assert!(
                e.message.to_string().contains(word),
                "{input}: {}",
                e.message
            );
        }
        let long_label = format!("{}.example", "a".repeat(64));
        assert!(Host::from_value(&long_label).is_err());
        let long_name = format!("{}example", "abcdefghi.".repeat(26));
        assert!(Host::from_value(&long_name).is_err());
    }
}
