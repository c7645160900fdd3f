//! Hints: the setting to change for the failures people actually run into.

use std::io::ErrorKind;
use std::time::Duration;

use mailconf_core::{Host, Port};

use super::failure::Failure;
use crate::Security;
use crate::security::MAIL_KEYS;
use crate::{FailureKind, Stage};

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
}

impl Context {
    /// `host:port`, with brackets around an IPv6 address.
    pub(crate) fn server(&self) -> String {
        match &self.host {
            Host::Ipv6(ip) => format!("[{ip}]:{}", self.port),
            host => format!("{host}:{}", self.port),
        }
    }
}

/// The ports and flags of the two TLS modes, from `Security`'s table.
struct Modes {
    implicit_port: Port,
    implicit_fix: String,
    starttls_port: Port,
    starttls_fix: String,
}

fn modes() -> Modes {
    Modes {
        implicit_port: Security::ImplicitTls.default_port(),
        implicit_fix: Security::ImplicitTls.flags(),
        starttls_port: Security::StartTls.default_port(),
        starttls_fix: Security::StartTls.flags(),
    }
}

pub(crate) fn for_failure(failure: &Failure, cx: &Context) -> Option<String> {
    if failure.kind == FailureKind::Timeout {
        return Some(timeout(failure, cx));
    }
    if failure.kind == FailureKind::TlsMode {
        let m = modes();
        return Some(format!(
            "port {} waits for TLS from the first byte (implicit TLS, usually port {}) instead of greeting in plain text: set {}, or use the server's STARTTLS port (usually {})",
            cx.port, m.implicit_port, m.implicit_fix, m.starttls_port
        ));
    }
    match failure.stage {
        Stage::Setup => None,
        Stage::Connect => connect(failure, cx),
        Stage::Tls => tls(failure, cx),
        Stage::Auth => auth(failure, cx),
        Stage::MailFrom => mail_from(failure),
        Stage::Rcpt => rcpt(failure, cx),
        Stage::Data => super::provider_hint::envelope(failure),
    }
}

fn timeout(failure: &Failure, cx: &Context) -> String {
    let (server, port, limit) = (cx.server(), cx.port, cx.timeout);
    let progress = failure.progress;
    let m = modes();
    match (failure.stage, cx.security) {
        (Stage::Connect, Security::ImplicitTls) => format!(
            "no TLS session with {server} within {limit:?}: check MAIL_SERVER and MAIL_PORT and that no firewall blocks port {port}; if the port expects STARTTLS (usually {}), set {}",
            m.starttls_port, m.starttls_fix
        ),
        (Stage::Connect, _) if progress.tcp_connected && !progress.greeted => format!(
            "connected to {server}, but the server sent no greeting within {limit:?}: port {port} probably expects TLS from the first byte (implicit TLS, usually port {}); set {}, or use the STARTTLS port (usually {})",
            m.implicit_port, m.implicit_fix, m.starttls_port
        ),
        (Stage::Connect, _) if progress.greeted => format!(
            "{server} greeted but did not answer EHLO within {limit:?}: the server may be overloaded or something between us interferes; TIMEOUT raises the limit"
        ),
        (Stage::Connect, _) => format!(
            "no connection to {server} within {limit:?}: check MAIL_SERVER and MAIL_PORT, and that no firewall drops outgoing connections to port {port}"
        ),
        (Stage::Tls, _) => format!(
            "the TLS handshake with {server} did not finish within {limit:?}: check that port {port} offers STARTTLS, or set {} if it expects implicit TLS",
            m.implicit_fix
        ),
        (stage, _) => format!(
            "the server stopped answering during {stage} (limit {limit:?}): it may be overloaded or something between us interferes; TIMEOUT raises the limit"
        ),
    }
}

fn connect(failure: &Failure, cx: &Context) -> Option<String> {
    let (server, port) = (cx.server(), cx.port);
    match (failure.kind, failure.io) {
        (FailureKind::Dns, _) => Some(format!(
            "the host name {} could not be resolved: check MAIL_SERVER",
            cx.host
        )),
        (FailureKind::Network, Some(ErrorKind::ConnectionRefused)) => Some(format!(
            "nothing accepts connections on {server}: check MAIL_SERVER and MAIL_PORT"
        )),
        (FailureKind::Network, Some(ErrorKind::HostUnreachable | ErrorKind::NetworkUnreachable)) => Some(format!(
            "{server} cannot be reached from here: check MAIL_SERVER, the network and any firewall"
        )),
        (FailureKind::Network, Some(ErrorKind::TimedOut)) => Some(format!(
            "no answer from {server}: check MAIL_SERVER and MAIL_PORT and that no firewall blocks port {port}"
        )),
        (FailureKind::Reply(421 | 554), _) => Some(
            "the server refused the session; it may be limiting connections or blocking this address".to_owned(),
        ),
        // The server hung up instead of greeting in plain text: the TLS-mode mix-up.
        _ if cx.security != Security::ImplicitTls
            && failure.progress.tcp_connected
            && !failure.progress.greeted =>
        {
            let m = modes();
            Some(format!(
                "the server on port {port} closed the connection without a plain-text greeting: it probably expects TLS from the first byte (implicit TLS, usually port {}); set {}",
                m.implicit_port, m.implicit_fix
            ))
        }
        _ => None,
    }
}

fn tls(failure: &Failure, cx: &Context) -> Option<String> {
    let detail = failure.detail.as_str();
    let port = cx.port;
    let m = modes();
    if detail.contains("STARTTLS is not supported") {
        return Some(format!(
            "the server on port {port} does not offer STARTTLS, and this mailer never falls back to plain text; if the port expects TLS from the first byte (usually {}), set {}, otherwise use the server's submission port (usually {})",
            m.implicit_port, m.implicit_fix, m.starttls_port
        ));
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
        return Some(format!(
            "the server on port {port} does not speak TLS from the first byte; it probably expects STARTTLS (usually port {}): set {}",
            m.starttls_port, m.starttls_fix
        ));
    }
    if detail.contains("UnknownIssuer") {
        let extra = if cx.ca_file {
            "the certificate is not signed by the CA in MAIL_CA_FILE either: check that the file holds the right CA"
        } else {
            "set MAIL_CA_FILE to the PEM file of the CA that signed it (a private or self-signed CA)"
        };
        return Some(format!(
            "the server's certificate is not signed by a trusted CA; {extra}; VALIDATE_CERTS=false skips the check but lets anyone impersonate the server"
        ));
    }
    if detail.contains("NotValidForName") || detail.contains("not valid for name") {
        return Some(format!(
            "the server's certificate is not valid for {}: set MAIL_SERVER to a name the certificate lists",
            cx.host
        ));
    }
    if detail.contains("Expired") {
        return Some(
            "the server's certificate has expired (or this machine's clock is wrong)".to_owned(),
        );
    }
    (cx.validate_certs && detail.contains("certificate")).then(|| {
        "the server's certificate was rejected; MAIL_CA_FILE can add a private CA".to_owned()
    })
}

fn auth(failure: &Failure, cx: &Context) -> Option<String> {
    if let Some(hint) = super::provider_hint::auth(failure, cx) {
        return Some(hint);
    }
    let m = modes();
    match failure.code() {
        Some(535 | 534) => {
            return Some(
                "the server rejected the login; check MAIL_USERNAME and MAIL_PASSWORD; with Gmail/Google Workspace use an app password, not the account password".to_owned(),
            );
        }
        Some(538 | 530) => {
            return Some(format!(
                "the server wants TLS before the login: {}",
                Security::tls_choices(&MAIL_KEYS)
            ));
        }
        _ => {}
    }
    if failure
        .detail
        .contains("No compatible authentication mechanism")
    {
        return Some(match (cx.security, failure.progress.starttls_offered) {
            (Security::Plain, Some(false)) => format!(
                "the server offers no AUTH PLAIN/LOGIN and no STARTTLS on port {}: if it needs no login (a relay that trusts this network), set USE_CREDENTIALS=false; otherwise use the server's submission port ({})",
                cx.port,
                Security::tls_choices(&MAIL_KEYS)
            ),
            (Security::Plain, _) => format!(
                "the server offers no AUTH PLAIN/LOGIN over this plain-text connection; most servers offer it only after STARTTLS: set {}",
                m.starttls_fix
            ),
            _ => "the server offers no AUTH PLAIN/LOGIN over this connection; if it needs no login, set USE_CREDENTIALS=false".to_owned(),
        });
    }
    None
}

fn mail_from(failure: &Failure) -> Option<String> {
    if let Some(hint) = super::provider_hint::envelope(failure) {
        return Some(hint);
    }
    match failure.code() {
        Some(530) => Some(
            "the server requires a login: set MAIL_USERNAME and MAIL_PASSWORD (and USE_CREDENTIALS=true)"
                .to_owned(),
        ),
        Some(550 | 553 | 554) => Some(
            "the server does not let this account send as this sender: set MAIL_FROM to an address the account may use".to_owned(),
        ),
        _ if failure.detail.contains("SMTPUTF8") => Some(
            "the server cannot take addresses with non-ASCII characters (no SMTPUTF8); use ASCII addresses"
                .to_owned(),
        ),
        _ => None,
    }
}

fn rcpt(failure: &Failure, cx: &Context) -> Option<String> {
    if let Some(hint) = super::provider_hint::envelope(failure) {
        return Some(hint);
    }
    let relay = failure.detail.to_ascii_lowercase().contains("relay");
    if !(failure.code().is_some_and(|c| c >= 500) && relay) {
        return None;
    }
    Some(if cx.login {
        // Logging in again cannot help: the account itself may not relay here.
        "the server refused to relay although the login succeeded: this account may not send to this recipient or as this sender; set MAIL_FROM to an address the account may use, or ask the server's administrator to allow the account to relay".to_owned()
    } else {
        "the server does not relay for this client: log in (MAIL_USERNAME, MAIL_PASSWORD) or use your provider's submission server".to_owned()
    })
}
