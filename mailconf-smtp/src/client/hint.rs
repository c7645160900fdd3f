//! Hints: the setting to change for the failures people actually run into.

use std::io::ErrorKind;
use std::time::Duration;

use mailconf_core::{Host, Message};

use super::failure::Failure;
use crate::security::MAIL_KEYS;
use crate::{FailureKind, Stage};
use crate::{Provider, Security};

/// What the hints need to know about the settings.
#[derive(Debug, Clone)]
pub(crate) struct Context {
    pub(crate) host: Host,
    pub(crate) port: u16,
    pub(crate) security: Security,
    pub(crate) timeout: Duration,
    pub(crate) validate_certs: bool,
    pub(crate) ca_file: bool,
    /// A login is configured: every session logs in before `MAIL FROM`.
    pub(crate) login: bool,
    /// The login name, for the providers that require a fixed one (SendGrid's `apikey`).
    pub(crate) username: Option<String>,
    /// The OAuth2 grant (`client_credentials`…), when the login is XOAUTH2.
    pub(crate) oauth2: Option<&'static str>,
    /// The provider's id (`sendgrid`): the configured one, else recognised from `host`.
    pub(crate) provider: Option<&'static str>,
}

impl Context {
    /// The provider's id for the hints: the configured one, else the one `host` belongs to.
    pub(crate) fn provider_of(
        configured: Option<&'static Provider>,
        host: &Host,
    ) -> Option<&'static str> {
        configured
            .or_else(|| Provider::recognise(&host.to_string()))
            .map(|p| p.id)
    }

    /// `host:port`, with brackets around an IPv6 address.
    pub(crate) fn server(&self) -> String {
        match &self.host {
            Host::Ipv6(ip) => format!("[{ip}]:{}", self.port),
            host => format!("{host}:{}", self.port),
        }
    }
}

/// A hint message with the ports and flags of the two TLS modes (from `Security`'s table) as
/// `$implicit_port`, `$implicit_fix`, `$starttls_port`, `$starttls_fix`, and the server.
fn with_modes(id: &'static str, cx: &Context) -> Message {
    Message::new(id)
        .arg("implicit_port", Security::ImplicitTls.default_port().get())
        .arg("implicit_fix", Security::ImplicitTls.flags())
        .arg("starttls_port", Security::StartTls.default_port().get())
        .arg("starttls_fix", Security::StartTls.flags())
        .arg("server", cx.server())
        .arg("port", cx.port)
}

pub(crate) fn for_failure(failure: &Failure, cx: &Context) -> Option<Message> {
    if failure.kind == FailureKind::Timeout {
        return Some(timeout(failure, cx));
    }
    if failure.kind == FailureKind::TlsMode {
        return Some(with_modes("hint-tls-mode", cx));
    }
    match failure.stage {
        // The token error's own hint was kept (Failure::token).
        Stage::Setup | Stage::OAuth2Token => None,
        Stage::Connect => connect(failure, cx),
        Stage::Tls => tls(failure, cx),
        Stage::Auth => auth(failure, cx),
        Stage::MailFrom => mail_from(failure),
        Stage::Rcpt => rcpt(failure, cx),
        Stage::Data => super::provider_hint::envelope(failure),
    }
}

fn timeout(failure: &Failure, cx: &Context) -> Message {
    let progress = failure.progress;
    let id = match (failure.stage, cx.security) {
        (Stage::Connect, Security::ImplicitTls) => "hint-timeout-implicit-tls",
        (Stage::Connect, _) if progress.tcp_connected && !progress.greeted => {
            "hint-timeout-no-greeting"
        }
        (Stage::Connect, _) if progress.greeted => "hint-timeout-no-ehlo",
        (Stage::Connect, _) => "hint-timeout-connect",
        (Stage::Tls, _) => "hint-timeout-tls",
        _ => "hint-timeout-stage",
    };
    with_modes(id, cx)
        .arg("limit", format!("{:?}", cx.timeout))
        .arg("stage", failure.stage.name())
}

fn connect(failure: &Failure, cx: &Context) -> Option<Message> {
    let id = match (failure.kind, failure.io) {
        (FailureKind::Dns, _) => {
            return Some(Message::new("hint-dns").arg("host", cx.host.to_string()));
        }
        (FailureKind::Network, Some(ErrorKind::ConnectionRefused)) => "hint-connection-refused",
        (
            FailureKind::Network,
            Some(ErrorKind::HostUnreachable | ErrorKind::NetworkUnreachable),
        ) => "hint-unreachable",
        (FailureKind::Network, Some(ErrorKind::TimedOut)) => "hint-no-answer",
        (FailureKind::Reply(421 | 554), _) => "hint-session-refused",
        // The server hung up instead of greeting in plain text: the TLS-mode mix-up.
        _ if cx.security != Security::ImplicitTls
            && failure.progress.tcp_connected
            && !failure.progress.greeted =>
        {
            "hint-closed-without-greeting"
        }
        _ => return None,
    };
    Some(with_modes(id, cx))
}

fn tls(failure: &Failure, cx: &Context) -> Option<Message> {
    let detail = failure.detail.as_str();
    if detail.contains("STARTTLS is not supported") {
        return Some(with_modes("hint-no-starttls", cx));
    }
    if cx.security == Security::ImplicitTls
        && [
            "InvalidContentType",
            "corrupt message",
            "CorruptMessage",
            "wrong version",
        ]
        .iter()
        .any(|needle| detail.contains(needle))
    {
        return Some(with_modes("hint-not-implicit-tls", cx));
    }
    if detail.contains("UnknownIssuer") {
        let id = if cx.ca_file {
            "hint-unknown-issuer-ca-file"
        } else {
            "hint-unknown-issuer"
        };
        return Some(Message::new(id));
    }
    if detail.contains("NotValidForName") || detail.contains("not valid for name") {
        return Some(Message::new("hint-certificate-name").arg("host", cx.host.to_string()));
    }
    if detail.contains("Expired") {
        return Some(Message::new("hint-certificate-expired"));
    }
    (cx.validate_certs && detail.contains("certificate"))
        .then(|| Message::new("hint-certificate-rejected"))
}

fn auth(failure: &Failure, cx: &Context) -> Option<Message> {
    if let Some(hint) = super::provider_hint::auth(failure, cx) {
        return Some(hint);
    }
    match failure.code() {
        Some(535 | 534) => return Some(Message::new("hint-login-rejected")),
        Some(538 | 530) => {
            return Some(
                Message::new("hint-tls-before-login")
                    .arg("choices", Security::tls_choices(&MAIL_KEYS)),
            );
        }
        _ => {}
    }
    if failure
        .detail
        .contains("No compatible authentication mechanism")
    {
        return Some(match (cx.security, failure.progress.starttls_offered) {
            (Security::Plain, Some(false)) => with_modes("hint-no-auth-no-starttls", cx)
                .arg("choices", Security::tls_choices(&MAIL_KEYS)),
            (Security::Plain, _) => with_modes("hint-no-auth-plain", cx),
            _ => Message::new("hint-no-auth"),
        });
    }
    None
}

fn mail_from(failure: &Failure) -> Option<Message> {
    if let Some(hint) = super::provider_hint::envelope(failure) {
        return Some(hint);
    }
    match failure.code() {
        Some(530) => Some(Message::new("hint-login-required")),
        Some(550 | 553 | 554) => Some(Message::new("hint-sender-refused")),
        _ if failure.detail.contains("SMTPUTF8") => Some(Message::new("hint-no-smtputf8")),
        _ => None,
    }
}

fn rcpt(failure: &Failure, cx: &Context) -> Option<Message> {
    if let Some(hint) = super::provider_hint::envelope(failure) {
        return Some(hint);
    }
    let relay = failure.detail.to_ascii_lowercase().contains("relay");
    if !(failure.code().is_some_and(|c| c >= 500) && relay) {
        return None;
    }
    Some(Message::new(if cx.login {
        // Logging in again cannot help: the account itself may not relay here.
        "hint-relay-refused-after-login"
    } else {
        "hint-relay-refused"
    }))
}
