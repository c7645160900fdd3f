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
                "port {port} speaks plain SMTP without STARTTLS: the login and the messages would travel unencrypted; use the server's STARTTLS port (usually 587) or implicit-TLS port (usually 465), or, only for a server on this machine, set {}",
                settings(target, Security::Plain)
            ),
            (_, spoken) => format!(
                "port {port} speaks {}: set {}",
                describe(spoken),
                settings(target, spoken)
            ),
        });
    }
    if silences.len() == 2 {
        let address = target.address();
        let stalls = silences.contains(&Silence::TimedOut);
        return Some(if stalls {
            format!(
                "{address} accepts connections but answered neither plain SMTP nor TLS within {limit:?}: the server does not answer SMTP on this port; check MAIL_SERVER and MAIL_PORT (usually 587 for STARTTLS, 465 for implicit TLS), and that no proxy or firewall holds the connection"
            )
        } else {
            format!(
                "{address} accepts connections but speaks neither plain SMTP nor SMTP over TLS: it is not an SMTP server; check MAIL_SERVER and MAIL_PORT (usually 587 for STARTTLS, 465 for implicit TLS)"
            )
        });
    }
    let failed = steps.iter().find(|s| !s.ok)?;
    Some(failed.hint.clone().unwrap_or_else(|| failed.detail.clone()))
}

pub(super) fn describe(security: Security) -> &'static str {
    match security {
        Security::ImplicitTls => "implicit TLS (TLS from the first byte)",
        Security::StartTls => "plain SMTP with STARTTLS",
        Security::Plain => "plain SMTP without STARTTLS",
    }
}

/// The settings that select `security`, in the style the target was configured with.
fn settings(target: &Target, security: Security) -> String {
    if !target.from_url {
        return security.flags().to_owned();
    }
    let port = target.port;
    match security {
        Security::ImplicitTls => format!("MAIL_URL=smtps://user:password@host:{port}"),
        Security::StartTls => format!("MAIL_URL=smtp://user:password@host:{port}?tls=required"),
        Security::Plain => format!("MAIL_URL=smtp://user:password@host:{port}"),
    }
}
