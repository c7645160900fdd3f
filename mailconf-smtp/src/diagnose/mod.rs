//! Diagnosing a server: [`probe`] goes through a session the way a [`Mailer`](crate::Mailer)
//! would, one timed step at a time, sends no mail, and reports what the server really speaks.
//!
//! A failed send names its stage; it cannot say whether the port speaks the other TLS mode,
//! which AUTH mechanisms are offered, or which step is slow. A probe times each step (DNS, TCP,
//! TLS handshake, greeting, EHLO, STARTTLS, login, QUIT) under its own timeout. When the
//! handshake or the greeting fails it tries the other TLS mode on the same port, so a
//! STARTTLS/implicit-TLS mix-up is reported with the settings that fix it.
//!
//! TLS parameters, error classification, hints and the login are the mailer's own, so a probe
//! that passes means a send gets through the same steps.
//!
//! ```no_run
//! # async fn demo(settings: &impl mailconf_smtp::SmtpSettings) {
//! use std::time::Duration;
//! use mailconf_smtp::diagnose::{Target, probe};
//!
//! let report = probe(&Target::new(settings), Duration::from_secs(10)).await;
//! for step in &report.steps {
//!     println!("{} {} {} ms {}", if step.ok { "ok" } else { "FAILED" }, step.name, step.millis, step.detail);
//! }
//! if let Some(advice) = &report.advice {
//!     println!("{advice}");
//! }
//! # }
//! ```

mod advice;
mod attempt;
mod ehlo;
mod stream;

use std::fmt;
use std::net::IpAddr;
use std::time::Duration;

use mailconf_core::{Host, Message, Port};
use serde::Serialize;

use crate::{Credentials, OAuth2Login, Provider, Security, SmtpSettings, TlsOptions};
use attempt::{Outcome, Run};

pub use ehlo::ServerReport;

/// What to probe: a server, a port, the configured TLS mode and what the session needs.
///
/// Usually built from settings with [`Target::new`]; the fields are public so that a caller can
/// probe settings that were rejected, e.g. with the TLS mode left open.
#[derive(Debug, Clone)]
pub struct Target {
    /// The server.
    pub host: Host,
    /// The port.
    pub port: Port,
    /// The configured TLS mode, tried first. `None` when the settings do not tell (both
    /// MAIL_STARTTLS and MAIL_SSL_TLS on): implicit TLS is tried first, then plain text.
    pub security: Option<Security>,
    /// Certificate checking (VALIDATE_CERTS, MAIL_CA_FILE).
    pub tls: TlsOptions,
    /// The password login to try, if any.
    pub credentials: Option<Credentials>,
    /// The XOAUTH2 login to try instead, if any: the probe then shows the token step and the
    /// grant (needs the `oauth2` feature; without it the step reports that).
    pub oauth2: Option<OAuth2Login>,
    /// The name sent with EHLO; the system host name when `None`.
    pub hello_name: Option<Host>,
    /// Whether the login may be sent without TLS. [`Target::new`] allows it when the settings
    /// themselves choose no TLS (as a send would) or the server is this machine.
    pub plaintext_login: bool,
    /// The TLS mode comes from MAIL_URL, so advice names its scheme rather than the flags.
    pub from_url: bool,
    /// Connect only to these addresses instead of resolving `host` (which still names the
    /// server for TLS and in the report). A caller that vetted the addresses a name resolves
    /// to, such as a web page guarding against requests into its own network, passes them here
    /// so that a second lookup cannot answer differently (DNS rebinding).
    pub addresses: Option<Vec<IpAddr>>,
    /// The provider the server belongs to (`MAIL_PROVIDER`), for the hints; recognised from
    /// `host` when `None`.
    pub provider: Option<&'static Provider>,
}

impl Target {
    /// The server, TLS mode, certificates and login of `settings`.
    pub fn new(settings: &impl SmtpSettings) -> Target {
        let endpoint = settings.endpoint();
        Target {
            plaintext_login: endpoint.security == Security::Plain || endpoint.host.is_loopback(),
            host: endpoint.host,
            port: endpoint.port,
            security: Some(endpoint.security),
            tls: settings.tls(),
            credentials: settings.credentials(),
            oauth2: settings.oauth2(),
            hello_name: settings.hello_name(),
            from_url: false,
            addresses: None,
            provider: settings.provider(),
        }
    }

    /// `host:port`, with brackets around an IPv6 address.
    pub fn address(&self) -> String {
        match &self.host {
            Host::Ipv6(ip) => format!("[{ip}]:{}", self.port),
            host => format!("{host}:{}", self.port),
        }
    }
}

/// One step of a probe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum StepName {
    /// Resolving the host name.
    Dns,
    /// Opening the TCP connection.
    Tcp,
    /// The TLS handshake right after connecting (implicit TLS).
    Tls,
    /// Reading the server's greeting (`220 ...`).
    Greeting,
    /// `EHLO` and the extensions it lists.
    Ehlo,
    /// `STARTTLS`, the handshake and `EHLO` again.
    #[serde(rename = "starttls")]
    StartTls,
    /// Getting the OAuth2 access token for an `XOAUTH2` login (from the token endpoint, or
    /// the token file), before `AUTH`.
    #[serde(rename = "oauth2_token")]
    OAuth2Token,
    /// `AUTH` with the configured login.
    Login,
    /// `QUIT`.
    Quit,
}

impl fmt::Display for StepName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            StepName::Dns => "DNS",
            StepName::Tcp => "TCP connect",
            StepName::Tls => "TLS handshake",
            StepName::Greeting => "greeting",
            StepName::Ehlo => "EHLO",
            StepName::StartTls => "STARTTLS",
            StepName::OAuth2Token => "OAuth2 token",
            StepName::Login => "login",
            StepName::Quit => "QUIT",
        })
    }
}

/// The result of one step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    /// Which step.
    pub name: StepName,
    /// The TLS mode of the attempt this step belongs to (a probe that tries the other mode
    /// repeats some steps).
    pub mode: Security,
    /// Whether it succeeded.
    pub ok: bool,
    /// How long it took, in milliseconds.
    pub millis: u64,
    /// What happened: the server's reply, the addresses, or the error, in English (quoted text
    /// as it was said). Never the password.
    pub detail: String,
    /// The detail as a catalog message, for [`Step::detail_in`].
    #[serde(skip)]
    pub(crate) detail_message: Message,
    /// The server's reply code, when it answered with one (such as 535 to a login).
    pub code: Option<u16>,
    /// What to change, when the failure is recognisable (English).
    pub hint: Option<String>,
    /// The hint as a catalog message, for [`Step::hint_in`].
    #[serde(skip)]
    pub(crate) hint_message: Option<Message>,
}

impl Step {
    /// What happened, in `lang`; what a server or the network said stays as it was said.
    pub fn detail_in(&self, lang: mailconf_core::Lang) -> String {
        self.detail_message.render(lang)
    }

    /// What to change, in `lang`.
    pub fn hint_in(&self, lang: mailconf_core::Lang) -> Option<String> {
        self.hint_message.as_ref().map(|m| m.render(lang))
    }
}

/// Everything a probe found out.
#[derive(Debug, Clone, Serialize)]
pub struct ProbeReport {
    /// Every step passed in the configured TLS mode.
    pub ok: bool,
    /// The server probed, as `host:port`.
    pub address: String,
    /// The TLS mode configured (`None`: the settings did not tell).
    pub configured: Option<Security>,
    /// What the port speaks as far as the probe could tell: implicit TLS, plain text with
    /// STARTTLS, or plain text without it (`None`: it could not tell).
    pub detected: Option<Security>,
    /// The limit of each step, in milliseconds.
    pub step_timeout_millis: u64,
    /// Every step taken, in order.
    pub steps: Vec<Step>,
    /// What the server said about itself, once it answered EHLO.
    pub server: Option<ServerReport>,
    /// The one thing to do next, when something failed or a setting should change (English).
    pub advice: Option<String>,
    /// The advice as a catalog message, for [`ProbeReport::advice_in`].
    #[serde(skip)]
    pub(crate) advice_message: Option<Message>,
}

impl ProbeReport {
    /// The advice in `lang`. A failed step's own detail (the server's reply, the network's
    /// error) is shown as it was given.
    pub fn advice_in(&self, lang: mailconf_core::Lang) -> Option<String> {
        self.advice_message.as_ref().map(|m| m.render(lang))
    }

    /// What the port speaks, in words (a catalog message, English when displayed), when the
    /// probe could tell.
    pub fn speaks(&self) -> Option<Message> {
        self.detected.map(Security::sound)
    }
}

/// Probes `target` without sending mail: every step bounded by `step_timeout`.
///
/// When the TLS handshake or the greeting fails in the configured mode (nothing that looks like
/// a certificate problem), the other mode is tried on the same port; the report then says which
/// mode the port speaks and which settings select it. A refused connection is not retried.
pub async fn probe(target: &Target, step_timeout: Duration) -> ProbeReport {
    let mut run = Run::new(target, step_timeout);
    let mut detected = None;
    let mut silences = Vec::new();
    if let Some(addrs) = run.resolve().await {
        let first = target.security.unwrap_or(Security::ImplicitTls);
        let mut outcome = run.attempt(&addrs, first).await;
        if let Outcome::Silent(silence) = outcome {
            silences.push(silence);
            let other = match first {
                Security::ImplicitTls => Security::StartTls,
                Security::StartTls | Security::Plain => Security::ImplicitTls,
            };
            outcome = run.attempt(&addrs, other).await;
        }
        match outcome {
            Outcome::Spoke(mode) => detected = mode,
            Outcome::Silent(silence) => silences.push(silence),
            Outcome::Stopped => {}
        }
    }
    let (steps, server) = run.finish();
    let ok = target.security.is_some()
        && !steps.is_empty()
        && steps.iter().all(|s| s.ok)
        && detected.is_none_or(|d| Some(d) == target.security || same_plain(d, target));
    let advice = advice::advice(target, step_timeout, &steps, detected, &silences);
    ProbeReport {
        ok,
        address: target.address(),
        configured: target.security,
        detected,
        step_timeout_millis: millis(step_timeout),
        steps,
        server,
        advice: advice.as_ref().map(Message::to_string),
        advice_message: advice,
    }
}

/// A plain-text configuration against a server that also offers STARTTLS still works as
/// configured (it is advice, not a failure).
fn same_plain(detected: Security, target: &Target) -> bool {
    detected == Security::StartTls && target.security == Some(Security::Plain)
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}
