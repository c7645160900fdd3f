use std::fmt;
use std::net::IpAddr;

use crate::{FromValue, Invalid, Message};

/// An email address such as `app@example.com`.
///
/// The rules are lettre's own (`lettre::Address`), so every address accepted here is accepted
/// when the message is built: the local part and domain are checked with the `email_address`
/// crate, internationalised domains through IDNA, and `[IP]` literals are allowed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EmailAddress {
    address: String,
    at: usize,
}

impl EmailAddress {
    /// The whole address.
    pub fn as_str(&self) -> &str {
        &self.address
    }

    /// The part before the `@`.
    pub fn local_part(&self) -> &str {
        &self.address[..self.at]
    }

    /// The part after the `@`.
    pub fn domain(&self) -> &str {
        &self.address[self.at + 1..]
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.address)
    }
}

impl AsRef<str> for EmailAddress {
    fn as_ref(&self) -> &str {
        &self.address
    }
}

impl FromValue for EmailAddress {
    const TYPE_NAME: &'static str = "email address";

    fn from_value(raw: &str) -> Result<Self, Invalid> {
        let invalid = |id: &'static str| Invalid::new("invalid_email", Message::new(id));
        if raw.contains(['\r', '\n']) {
            return Err(invalid("value-email-line-break")
                .with_hint(Message::new("value-email-line-break-hint")));
        }
        // Spaces around the address are ignored, as pydantic's `EmailStr` does.
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(invalid("value-email-empty"));
        }
        if raw.contains(['<', '>']) {
            return Err(invalid("value-email-not-bare")
                .with_hint(Message::new("value-email-not-bare-hint")));
        }
        let Some((local, domain)) = raw.rsplit_once('@') else {
            return Err(
                invalid("value-email-no-at").with_hint(Message::new("value-email-no-at-hint"))
            );
        };
        if !email_address::EmailAddress::is_valid_local_part(local) {
            return Err(invalid("value-email-local-part"));
        }
        if !is_valid_domain(domain) {
            return Err(invalid("value-email-domain"));
        }
        Ok(EmailAddress {
            address: raw.to_owned(),
            at: local.len(),
        })
    }
}

/// lettre's domain rule: a DNS domain (possibly after IDNA conversion) or an IP literal.
fn is_valid_domain(domain: &str) -> bool {
    let ascii_ok = |d: &str| {
        email_address::EmailAddress::is_valid_domain(d) || {
            let ip = d
                .strip_prefix('[')
                .and_then(|ip| ip.strip_suffix(']'))
                .unwrap_or(d);
            ip.parse::<IpAddr>().is_ok()
        }
    };
    ascii_ok(domain) || idna::domain_to_ascii(domain).is_ok_and(|d| ascii_ok(&d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_ordinary_and_international_addresses() {
        let a = EmailAddress::from_value("noreply@example.com").unwrap();
        assert_eq!((a.local_part(), a.domain()), ("noreply", "example.com"));
        for ok in [
            "a.b+tag@sub.example.org",
            "user@bücher.example",
            "x@[127.0.0.1]",
            "\"q u\"@example.com",
        ] {
            assert!(EmailAddress::from_value(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn ignores_spaces_around_the_address_as_pydantic_does() {
        for raw in [" a@example.com", "a@example.com ", "\ta@example.com  "] {
            assert_eq!(
                EmailAddress::from_value(raw).unwrap().as_str(),
                "a@example.com"
            );
        }
    }

    #[test]
    fn rejects_what_lettre_rejects() {
        for bad in [
            "",
            "plainaddress",
            "@example.com",
            "user@",
            "a b@example.com",
            "user@exa mple.com",
            "Name <a@example.com>",
            "a@example.com\r",
            " ",
            "user@-example.com",
            "a@b@",
        ] {
            assert_eq!(
                EmailAddress::from_value(bad).unwrap_err().code,
                "invalid_email",
                "{bad:?}"
            );
        }
    }
}
