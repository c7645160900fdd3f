//! The one piece of advice a probe ends with.

use std::time::Duration;

use super::attempt::Silence;
use super::{Step, Target};
use crate::Security;

pub(super) fn advice(
    target: &Target,
    limit: Duration,
    steps: &[Step],
    detected: Option<Security>,
    silences: &[Silence],
) -> Option<String> {
    let port = target.port;
    if let Some(detected) = detected
        && Some(detected) != target.security
    {
        return Some(match (target.security, detected) {
            (Some(Security::Plain), Security::StartTls) => format!(
                "port {port} offers STARTTLS: set {} so that the login and the messages are encrypted",
                settings(target, Security::StartTls)
            ),
            (_, Security::Plain) => format!(
                "port {port} speaks plain SMTP without STARTTLS: the login and the messages would travel unencrypted; use {}, or, only for a server on this machine, set {}",
                Security::usual_tls_ports(),
                settings(target, Security::Plain)
            ),
            (_, spoken) => format!(
                "port {port} speaks {}: set {}",
                spoken.sound(),
                settings(target, spoken)
            ),
        });
    }
    if silences.len() == 2 {
        let address = target.address();
        let stalls = silences.contains(&Silence::TimedOut);
        let ports = Security::usual_tls_ports();
        return Some(if stalls {
            format!(
                "{address} accepts connections but answered neither plain SMTP nor TLS within {limit:?}: the server does not answer SMTP on this port; check MAIL_SERVER and MAIL_PORT ({ports}), and that no proxy or firewall holds the connection"
            )
        } else {
            format!(
                "{address} accepts connections but speaks neither plain SMTP nor SMTP over TLS: it is not an SMTP server; check MAIL_SERVER and MAIL_PORT ({ports})"
            )
        });
    }
    let failed = steps.iter().find(|s| !s.ok)?;
    Some(failed.hint.clone().unwrap_or_else(|| failed.detail.clone()))
}

/// The settings that select `security`, in the style the target was configured with.
fn settings(target: &Target, security: Security) -> String {
    if !target.from_url {
        return security.flags();
    }
    let (scheme, query) = security.url_parts();
    format!(
        "MAIL_URL={scheme}://user:password@host:{}{query}",
        target.port
    )
}
