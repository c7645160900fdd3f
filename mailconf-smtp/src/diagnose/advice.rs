//! The one piece of advice a probe ends with.

use std::time::Duration;

use mailconf_core::Message;

use super::attempt::Silence;
use super::{Step, Target};
use crate::Security;

/// The advice, as a catalog message; a failed step's own hint or detail is given as it is.
pub(super) fn advice(
    target: &Target,
    limit: Duration,
    steps: &[Step],
    detected: Option<Security>,
    silences: &[Silence],
) -> Option<Message> {
    let port = target.port.get();
    if let Some(detected) = detected
        && Some(detected) != target.security
    {
        return Some(match (target.security, detected) {
            (Some(Security::Plain), Security::StartTls) => Message::new("probe-offers-starttls")
                .arg("port", port)
                .arg("settings", settings(target, Security::StartTls)),
            (_, Security::Plain) => Message::new("probe-speaks-plain")
                .arg("port", port)
                .arg("ports", Security::usual_tls_ports())
                .arg("settings", settings(target, Security::Plain)),
            (_, spoken) => Message::new("probe-speaks")
                .arg("port", port)
                .arg("sound", spoken.sound())
                .arg("settings", settings(target, spoken)),
        });
    }
    if silences.len() == 2 {
        let id = if silences.contains(&Silence::TimedOut) {
            "probe-no-smtp-stalls"
        } else {
            "probe-not-smtp"
        };
        return Some(
            Message::new(id)
                .arg("address", target.address())
                .arg("limit", format!("{limit:?}"))
                .arg("ports", Security::usual_tls_ports()),
        );
    }
    let failed = steps.iter().find(|s| !s.ok)?;
    Some(
        failed
            .hint_message
            .clone()
            .unwrap_or_else(|| failed.detail_message.clone()),
    )
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
