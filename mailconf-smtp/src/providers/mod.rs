//! Provider presets: `MAIL_PROVIDER=gmail` fills the server, port and TLS mode from one table
//! ([`Provider::all`], data in `table.rs` with each entry's source), explicit keys override, and
//! a port the provider does not offer is reported. The provider is also recognised from
//! `MAIL_SERVER`, for warnings and failure hints.

mod table;

pub(crate) use table::GOOGLE_OAUTH2;

use std::fmt;

use mailconf_core::{FromValue, Invalid, Message};
use serde::Serialize;

use crate::Security;

/// A port a provider serves SMTP submission on, and the TLS mode it speaks there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Offer {
    /// The port.
    pub port: u16,
    /// The TLS mode on that port.
    pub security: Security,
}

/// One provider's SMTP service.
#[derive(Debug, Serialize)]
pub struct Provider {
    /// The `MAIL_PROVIDER` value: `gmail`.
    pub id: &'static str,
    /// Other accepted values: `office365` for `microsoft365`.
    pub aliases: &'static [&'static str],
    /// Its name for people.
    pub name: &'static str,
    /// The SMTP server; `{region}` stands for the region given as `ses:eu-west-1`.
    pub host: &'static str,
    /// The ports it offers, the preset first.
    pub ports: &'static [Offer],
    /// The login it requires, when it is fixed (`apikey` for SendGrid).
    pub username: Option<&'static str>,
    /// What to know to log in.
    pub note: &'static str,
    /// The provider's page that documents these settings.
    pub source: &'static str,
    /// Where its OAuth2 tokens come from, for `XOAUTH2` (`MAIL_OAUTH2_*`).
    pub oauth2: Option<&'static OAuth2Preset>,
}

/// A provider's OAuth2 token endpoint and the scopes that allow SMTP, so that
/// `MAIL_PROVIDER=microsoft365` with `MAIL_OAUTH2_TENANT` needs no URL or scope.
#[derive(Debug, PartialEq, Eq, Serialize)]
pub struct OAuth2Preset {
    /// The token URL; `{tenant}` stands for `MAIL_OAUTH2_TENANT` (Microsoft 365).
    pub token_url: &'static str,
    /// The scope of an app-only token (client-credentials grant).
    pub app_scope: &'static str,
    /// The scope of a user's token (refresh-token grant, service account acting as the user).
    pub user_scope: &'static str,
}

impl OAuth2Preset {
    /// Whether the token URL depends on the tenant.
    pub fn needs_tenant(&self) -> bool {
        self.token_url.contains("{tenant}")
    }

    /// The token URL for `tenant` (ignored when the URL does not depend on it).
    pub fn token_url(&self, tenant: Option<&str>) -> String {
        match tenant {
            Some(tenant) => self.token_url.replace("{tenant}", tenant),
            None => self.token_url.to_owned(),
        }
    }
}

impl Provider {
    /// Every preset.
    pub fn all() -> &'static [Provider] {
        table::PROVIDERS
    }

    /// The preset named `name` (an id or an alias, whatever the case).
    pub fn find(name: &str) -> Option<&'static Provider> {
        Provider::all().iter().find(|p| {
            p.id.eq_ignore_ascii_case(name)
                || p.aliases.iter().any(|a| a.eq_ignore_ascii_case(name))
        })
    }

    /// The provider whose server `host` is, if any.
    pub fn recognise(host: &str) -> Option<&'static Provider> {
        let host = host.trim_end_matches('.');
        Provider::all()
            .iter()
            .find(|p| match p.host.split_once("{region}") {
                Some((head, tail)) => {
                    host.get(..head.len())
                        .is_some_and(|h| h.eq_ignore_ascii_case(head))
                        && host
                            .get(host.len().saturating_sub(tail.len())..)
                            .is_some_and(|t| t.eq_ignore_ascii_case(tail))
                        && host.len() > head.len() + tail.len()
                }
                None => p.host.eq_ignore_ascii_case(host),
            })
    }

    /// The preset's port and mode.
    pub fn preset(&self) -> Offer {
        self.ports[0]
    }

    /// The mode the provider speaks on `port`, if it offers that port.
    pub fn offer(&self, port: u16) -> Option<Offer> {
        self.ports.iter().copied().find(|o| o.port == port)
    }

    /// The first port offered with `security`.
    pub fn port_for(&self, security: Security) -> Option<Offer> {
        self.ports.iter().copied().find(|o| o.security == security)
    }

    /// Whether the host depends on a region (Amazon SES).
    pub fn needs_region(&self) -> bool {
        self.host.contains("{region}")
    }

    /// The offers as people read them: `587 (STARTTLS), 465 (implicit TLS)`.
    pub fn offers(&self) -> String {
        self.offers_message().to_string()
    }

    /// [`Provider::offers`] as a catalog message, to show in any language.
    pub fn offers_message(&self) -> Message {
        let list: Vec<Message> = self
            .ports
            .iter()
            .map(|o| {
                Message::new("provider-offer")
                    .arg("port", o.port)
                    .arg("mode", o.security.name())
            })
            .collect();
        Message::new("provider-offers").arg("offers", list)
    }
}

/// `MAIL_PROVIDER`: a preset, with its region when it needs one (`ses:eu-west-1`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderChoice {
    /// The preset.
    pub provider: &'static Provider,
    /// The region (Amazon SES).
    pub region: Option<String>,
}

impl PartialEq for Provider {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl Eq for Provider {}

impl ProviderChoice {
    /// The SMTP server.
    pub fn host(&self) -> String {
        match &self.region {
            Some(region) => self.provider.host.replace("{region}", region),
            None => self.provider.host.to_owned(),
        }
    }
}

/// A setting that contradicts the provider, with the fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Contradiction {
    pub(crate) message: Message,
    pub(crate) fix: Message,
}

impl ProviderChoice {
    /// The offer that the explicit settings select, or the contradiction: a port the provider
    /// does not offer, or a TLS mode it does not speak there. Both TLS flags on is left to the
    /// rule that reports it.
    pub(crate) fn resolve(
        &self,
        port: Option<u16>,
        starttls: Option<bool>,
        ssl_tls: Option<bool>,
    ) -> Result<Offer, Contradiction> {
        let p = self.provider;
        let flags = (starttls.is_some() || ssl_tls.is_some())
            .then(|| Security::from_flags(starttls.unwrap_or(false), ssl_tls.unwrap_or(false)));
        let preset = p.preset();
        match (port, flags) {
            (Some(port), flags) => {
                let Some(offer) = p.offer(port) else {
                    return Err(Contradiction {
                        message: Message::new("provider-port-not-offered")
                            .arg("provider", p.name)
                            .arg("offers", p.offers_message())
                            .arg("port", port),
                        fix: Message::new("provider-port-not-offered-hint")
                            .arg("port_key", "{port}")
                            .arg("preset_port", preset.port)
                            .arg("preset_mode", preset.security.name()),
                    });
                };
                match flags {
                    // On a well-known port, the TLS/port rule already says it.
                    Some(Some(security))
                        if security != offer.security && Security::for_port(port).is_none() =>
                    {
                        Err(Contradiction {
                            message: Message::new("provider-mode-mismatch")
                                .arg("provider", p.name)
                                .arg("offered", offer.security.name())
                                .arg("port", port)
                                .arg("mode", security.name()),
                            fix: Message::new("provider-mode-mismatch-hint").arg(
                                "flags",
                                offer.security.flags_named(&crate::security::PLACEHOLDERS),
                            ),
                        })
                    }
                    _ => Ok(offer),
                }
            }
            (None, Some(Some(security))) => p.port_for(security).ok_or_else(|| Contradiction {
                message: Message::new("provider-mode-not-offered")
                    .arg("provider", p.name)
                    .arg("mode", security.name())
                    .arg("offers", p.offers_message()),
                fix: Message::new("provider-mode-not-offered-hint")
                    .arg("starttls", "{starttls}")
                    .arg("ssl_tls", "{ssl_tls}")
                    .arg("preset_port", preset.port)
                    .arg("preset_mode", preset.security.name()),
            }),
            (None, _) => Ok(p.preset()),
        }
    }
}

impl fmt::Display for ProviderChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.provider.id)?;
        match &self.region {
            Some(region) => write!(f, ":{region}"),
            None => Ok(()),
        }
    }
}

fn ids() -> String {
    let ids: Vec<&str> = Provider::all().iter().map(|p| p.id).collect();
    ids.join(", ")
}

impl FromValue for ProviderChoice {
    const TYPE_NAME: &'static str =
        "provider (gmail, microsoft365, ses:REGION…: see `mailconf providers`)";

    fn from_value(raw: &str) -> Result<Self, Invalid> {
        let (name, region) = match raw.split_once(':') {
            Some((name, region)) => (name, Some(region)),
            None => (raw, None),
        };
        let Some(provider) = Provider::find(name) else {
            return Err(
                Invalid::new("unknown_provider", Message::new("provider-unknown"))
                    .with_hint(Message::new("provider-unknown-hint").arg("ids", ids())),
            );
        };
        let region = match (provider.needs_region(), region) {
            (true, Some(r))
                if !r.is_empty()
                    && r.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') =>
            {
                Some(r.to_owned())
            }
            (true, _) => {
                return Err(Invalid::new(
                    "invalid_provider_region",
                    Message::new("provider-needs-region").arg("provider", provider.name),
                )
                .with_hint(Message::new("provider-needs-region-hint").arg("id", provider.id)));
            }
            (false, Some(_)) => {
                return Err(Invalid::new(
                    "invalid_provider_region",
                    Message::new("provider-has-no-region").arg("provider", provider.name),
                )
                .with_hint(Message::new("provider-has-no-region-hint").arg("id", provider.id)));
            }
            (false, None) => None,
        };
        Ok(ProviderChoice { provider, region })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_offer_agrees_with_the_tls_port_table() {
        for p in Provider::all() {
            assert!(!p.ports.is_empty(), "{}", p.id);
            for offer in p.ports {
                assert_eq!(
                    offer
                        .security
                        .port_mismatch(offer.port, &crate::security::MAIL_KEYS),
                    None,
                    "{} {offer:?}",
                    p.id
                );
                if let Some(expected) = Security::for_port(offer.port) {
                    assert_eq!(expected, offer.security, "{} {}", p.id, offer.port);
                }
                assert_ne!(offer.security, Security::Plain, "{}: no plain text", p.id);
            }
            let mut ports: Vec<u16> = p.ports.iter().map(|o| o.port).collect();
            ports.dedup();
            assert_eq!(ports.len(), p.ports.len(), "{}: a port twice", p.id);
            assert!(p.source.starts_with("https://"), "{}", p.id);
        }
    }

    #[test]
    fn names_are_unique_and_found_whatever_their_case() {
        let mut names: Vec<String> = Provider::all()
            .iter()
            .flat_map(|p| std::iter::once(p.id).chain(p.aliases.iter().copied()))
            .map(str::to_ascii_lowercase)
            .collect();
        let count = names.len();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), count);
        assert_eq!(Provider::find("Office365").unwrap().id, "microsoft365");
        assert_eq!(Provider::find("KAKAO").unwrap().id, "daum");
    }

    #[test]
    fn a_server_is_recognised_with_or_without_a_region() {
        assert_eq!(Provider::recognise("smtp.gmail.com").unwrap().id, "gmail");
        assert_eq!(
            Provider::recognise("email-smtp.eu-west-1.amazonaws.com")
                .unwrap()
                .id,
            "ses"
        );
        assert!(Provider::recognise("email-smtp..amazonaws.com").is_none());
        assert!(Provider::recognise("smtp.example.com").is_none());
    }

    #[test]
    fn a_choice_parses_with_its_region_and_refuses_the_rest() {
        let ses = ProviderChoice::from_value("ses:eu-west-1").unwrap();
        assert_eq!(ses.host(), "email-smtp.eu-west-1.amazonaws.com");
        assert_eq!(ses.to_string(), "ses:eu-west-1");
        assert_eq!(
            ProviderChoice::from_value("ses").unwrap_err().code,
            "invalid_provider_region"
        );
        assert_eq!(
            ProviderChoice::from_value("gmail:us").unwrap_err().code,
            "invalid_provider_region"
        );
        let unknown = ProviderChoice::from_value("gmial").unwrap_err();
        assert_eq!(unknown.code, "unknown_provider");
        assert!(unknown.hint.unwrap().to_string().contains("gmail"));
    }
}
