//! The TLS modes and the ports that speak them: the one table that the settings' rules, the
//! send hints, `diagnose`, the CLI and the settings page read, so that a fact about a mode (its
//! port, its flags, its `MAIL_URL` form, how it sounds on the wire) is written once.

use std::fmt;

use mailconf_core::{Lang, Message, Port};
use serde::Serialize;

/// How the connection to the server is protected: the one setting that replaces fastapi-mail's
/// two flags, so "both on" cannot be expressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Security {
    /// Plain text. Only sensible on loopback.
    Plain,
    /// Plain text first, then `STARTTLS` upgrades the connection (port 587). Required: a server
    /// that does not offer STARTTLS is refused, never used in plain text.
    StartTls,
    /// TLS from the first byte (port 465, "SMTPS").
    ImplicitTls,
}

/// Everything mailconf says about one mode.
struct Mode {
    security: Security,
    /// The port the mode is usually served on.
    port: u16,
    /// fastapi-mail's `MAIL_STARTTLS` and `MAIL_SSL_TLS` that select it.
    starttls: bool,
    ssl_tls: bool,
    /// Its `MAIL_URL` form: the scheme and the query.
    url_scheme: &'static str,
    url_query: &'static str,
    /// Its name in messages (a catalog id).
    name: &'static str,
    /// What a client hears on the wire, for advice after a probe (a catalog id).
    sound: &'static str,
    /// The way to say "without changing the mode" in a fix (a catalog id).
    keep: &'static str,
}

const MODES: [Mode; 3] = [
    Mode {
        security: Security::StartTls,
        port: 587,
        starttls: true,
        ssl_tls: false,
        url_scheme: "smtp",
        url_query: "?tls=required",
        name: "security-starttls",
        sound: "security-starttls-sound",
        keep: "security-starttls-keep",
    },
    Mode {
        security: Security::ImplicitTls,
        port: 465,
        starttls: false,
        ssl_tls: true,
        url_scheme: "smtps",
        url_query: "",
        name: "security-implicit-tls",
        sound: "security-implicit-tls-sound",
        keep: "security-implicit-tls-keep",
    },
    Mode {
        security: Security::Plain,
        port: 25,
        starttls: false,
        ssl_tls: false,
        url_scheme: "smtp",
        url_query: "",
        name: "security-plain",
        sound: "security-plain-sound",
        keep: "security-plain-keep",
    },
];

/// The well-known SMTP ports and the mode to configure for each (RFC 8314, RFC 6409): 465
/// waits for TLS from the first byte; 587 and 25 greet in plain text and offer STARTTLS.
const PORTS: [(u16, Security); 3] = [
    (465, Security::ImplicitTls),
    (587, Security::StartTls),
    (25, Security::StartTls),
];

/// How a message names the TLS settings.
pub(crate) struct Keys {
    pub(crate) starttls: &'static str,
    pub(crate) ssl_tls: &'static str,
    pub(crate) port: &'static str,
}

/// fastapi-mail's names, for hints at send time and after a probe.
pub(crate) const MAIL_KEYS: Keys = Keys {
    starttls: "MAIL_STARTTLS",
    ssl_tls: "MAIL_SSL_TLS",
    port: "MAIL_PORT",
};

/// The loader's placeholders, which it replaces with each setting's name under the config's
/// prefix (`APP_MAIL_PORT` for an `SmtpConfig` flattened under `APP_`), for the settings' rules.
pub(crate) const PLACEHOLDERS: Keys = Keys {
    starttls: "{starttls}",
    ssl_tls: "{ssl_tls}",
    port: "{port}",
};

/// A TLS mode configured on a well-known port that speaks the other one, with the fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PortMismatch {
    /// What goes wrong, named by the symptom a user would otherwise see.
    pub(crate) message: Message,
    /// The settings that fix it.
    pub(crate) fix: Message,
}

impl Security {
    /// Every mode, most recommended first: STARTTLS, implicit TLS, plain text.
    pub const ALL: [Security; 3] = [Security::StartTls, Security::ImplicitTls, Security::Plain];

    fn facts(self) -> &'static Mode {
        MODES
            .iter()
            .find(|m| m.security == self)
            .unwrap_or_else(|| unreachable!("MODES has a row for every Security"))
    }

    /// From fastapi-mail's flags; `None` when both are set (a conflict).
    pub fn from_flags(starttls: bool, ssl_tls: bool) -> Option<Security> {
        MODES
            .iter()
            .find(|m| (m.starttls, m.ssl_tls) == (starttls, ssl_tls))
            .map(|m| m.security)
    }

    /// fastapi-mail's `(MAIL_STARTTLS, MAIL_SSL_TLS)` that select this mode.
    pub fn flag_values(self) -> (bool, bool) {
        let mode = self.facts();
        (mode.starttls, mode.ssl_tls)
    }

    /// The usual port of the mode: 25, 587 or 465.
    pub fn default_port(self) -> Port {
        Port::new(self.facts().port).unwrap_or_else(|| unreachable!("non-zero constant"))
    }

    /// The settings that select this mode, for hints: `MAIL_STARTTLS=true, MAIL_SSL_TLS=false`.
    pub fn flags(self) -> String {
        self.flags_named(&MAIL_KEYS)
    }

    pub(crate) fn flags_named(self, keys: &Keys) -> String {
        let (starttls, ssl_tls) = self.flag_values();
        format!("{}={starttls}, {}={ssl_tls}", keys.starttls, keys.ssl_tls)
    }

    /// The `MAIL_URL` scheme and query of this mode: `("smtp", "?tls=required")` for STARTTLS.
    pub fn url_parts(self) -> (&'static str, &'static str) {
        let mode = self.facts();
        (mode.url_scheme, mode.url_query)
    }

    /// Whether the client starts with a TLS handshake instead of waiting for a plain-text
    /// greeting.
    pub fn tls_first(self) -> bool {
        self == Security::ImplicitTls
    }

    /// How the mode sounds on the wire: "implicit TLS (TLS from the first byte)".
    pub fn sound(self) -> Message {
        Message::new(self.facts().sound)
    }

    /// The mode's name: "STARTTLS", "implicit TLS", "no TLS" (`Display` gives it in English).
    pub fn name(self) -> Message {
        Message::new(self.facts().name)
    }

    /// The mode to configure for a well-known SMTP port (465, 587, 25); `None` for others.
    pub fn for_port(port: u16) -> Option<Security> {
        PORTS.iter().find(|(p, _)| *p == port).map(|(_, s)| *s)
    }

    /// This mode configured on `port`, when the port is a well-known one that speaks the
    /// other way (TLS first, or plain text first): the two classic mix-ups, and plain text on
    /// 465.
    pub(crate) fn port_mismatch(self, port: u16, keys: &Keys) -> Option<PortMismatch> {
        let expected = Security::for_port(port)?;
        if expected.tls_first() == self.tls_first() {
            return None;
        }
        let id = if expected.tls_first() {
            "security-port-expects-tls"
        } else {
            "security-port-expects-plain"
        };
        let message = Message::new(id).arg("port", port).arg("mode", self.name());
        let fix = Message::new("security-port-fix")
            .arg("port", port)
            .arg("flags", expected.flags_named(keys))
            .arg("keep", Message::new(self.facts().keep))
            .arg("port_key", keys.port)
            .arg("usual_port", self.default_port().get());
        Some(PortMismatch { message, fix })
    }

    /// The settings of both TLS modes with their usual ports, named by `keys`:
    /// `port 587: MAIL_STARTTLS=true, MAIL_SSL_TLS=false; port 465: MAIL_STARTTLS=false, MAIL_SSL_TLS=true`.
    pub(crate) fn tls_choices(keys: &Keys) -> Message {
        Message::new("security-tls-choices")
            .arg("starttls_port", Security::StartTls.default_port().get())
            .arg("starttls_flags", Security::StartTls.flags_named(keys))
            .arg("implicit_port", Security::ImplicitTls.default_port().get())
            .arg("implicit_flags", Security::ImplicitTls.flags_named(keys))
    }

    /// The advice when a port speaks neither usable mode: the usual ports of both.
    pub fn usual_tls_ports() -> Message {
        Message::new("security-usual-tls-ports")
            .arg("starttls_port", Security::StartTls.default_port().get())
            .arg("implicit_port", Security::ImplicitTls.default_port().get())
    }
}

impl fmt::Display for Security {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name().render(Lang::En))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_has_one_row_per_mode_and_flags_round_trip() {
        for mode in Security::ALL {
            assert_eq!(MODES.iter().filter(|m| m.security == mode).count(), 1);
            let (starttls, ssl_tls) = mode.flag_values();
            assert_eq!(Security::from_flags(starttls, ssl_tls), Some(mode));
        }
        assert_eq!(Security::from_flags(true, true), None);
    }

    #[test]
    fn every_well_known_port_matches_the_mode_served_on_it() {
        for (port, mode) in PORTS {
            assert_eq!(mode.port_mismatch(port, &MAIL_KEYS), None, "{port}");
        }
        for mode in Security::ALL {
            assert_eq!(
                mode.port_mismatch(mode.default_port().get(), &MAIL_KEYS),
                None,
                "{mode}"
            );
        }
        assert_eq!(Security::ImplicitTls.port_mismatch(2525, &MAIL_KEYS), None);
    }

    #[test]
    fn a_mode_on_a_port_of_the_other_kind_is_a_mismatch_with_its_fix() {
        let starttls_on_465 = Security::StartTls.port_mismatch(465, &MAIL_KEYS).unwrap();
        assert_eq!(
            starttls_on_465.fix,
            "for port 465 set MAIL_STARTTLS=false, MAIL_SSL_TLS=true; to keep STARTTLS use MAIL_PORT=587"
        );
        let plain_on_465 = Security::Plain.port_mismatch(465, &MAIL_KEYS).unwrap();
        assert!(
            plain_on_465
                .message
                .to_string()
                .contains("no TLS is configured")
        );
        for port in [587, 25] {
            let implicit = Security::ImplicitTls
                .port_mismatch(port, &MAIL_KEYS)
                .unwrap();
            assert!(
                implicit
                    .message
                    .to_string()
                    .contains("wrong version number"),
                "{port}"
            );
            assert_eq!(
                implicit.fix.to_string(),
                format!(
                    "for port {port} set MAIL_STARTTLS=true, MAIL_SSL_TLS=false; to keep implicit TLS use MAIL_PORT=465"
                )
            );
        }
    }
}
