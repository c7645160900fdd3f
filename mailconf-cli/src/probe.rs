//! `mailconf probe`: connect to the configured server without sending, step by step.
//!
//! A probe is most useful when the TLS mode does not fit the port, and the rules reject exactly
//! the usual mix-ups (STARTTLS on 465, implicit TLS on 587). So when every problem of the
//! settings concerns the TLS mode, the probe still runs with the server, port, login and
//! certificates as given, the mode left as configured (or open when the flags conflict or are
//! missing), and says which mode the port speaks. Any other problem stops it as `check` would.

use std::time::Duration;

use clap::Args;
use mailconf_core::{Errors, FromValue, Lang, MailConfig, Message, Sources};
use mailconf_smtp::diagnose::{self, ProbeReport, Step, Target};
use mailconf_smtp::{Security, SmtpConfig, SmtpSettings, SmtpUrl};
use serde_json::json;

use crate::{Failed, check};

/// A step limit for when neither --timeout nor a shorter TIMEOUT says otherwise: long enough
/// for a slow server, short enough that a port which never greets is found out quickly.
const DEFAULT_STEP_TIMEOUT: Duration = Duration::from_secs(10);

/// Options of `mailconf probe`.
#[derive(Debug, Args)]
pub struct ProbeArgs {
    /// Limit for each step (500ms, 5s, 1m); default the settings' TIMEOUT, at most 10s.
    #[arg(long, value_name = "DURATION", value_parser = parse_timeout)]
    pub timeout: Option<Duration>,
}

fn parse_timeout(raw: &str) -> Result<Duration, String> {
    match Duration::from_value(raw) {
        Ok(d) if d.is_zero() => Err("the timeout must be more than 0".to_owned()),
        Ok(d) => Ok(d),
        Err(e) => Err(e.to_string()),
    }
}

pub async fn run(
    sources: &Sources,
    json: bool,
    lang: mailconf_core::Lang,
    args: ProbeArgs,
) -> Result<(), Failed> {
    let (config, rejected) = match load(sources) {
        Some(loaded) => loaded,
        None => return check::run(sources, json, lang).and(Err(Failed)),
    };
    let mut target = Target::new(&config);
    target.from_url = sources.get("MAIL_URL").is_some();
    if rejected.is_some() {
        target.security = configured_security(sources);
    }
    let limit = args
        .timeout
        .unwrap_or_else(|| config.timeout().min(DEFAULT_STEP_TIMEOUT));
    if !json {
        if let Some(errors) = &rejected {
            out!("{}", errors.in_lang(lang));
            outln!("\n{}", Message::new("cli-probe-anyway").render(lang));
        }
        let mode = match target.security {
            Some(security) => Message::new("cli-probe-as-configured").arg("mode", security.name()),
            None => Message::new("cli-probe-trying-both"),
        };
        let line = Message::new("cli-probe-probing")
            .arg("address", target.address())
            .arg("mode", mode)
            .arg("limit", format!("{limit:?}"));
        outln!("{}", line.render(lang));
    }
    let report = diagnose::probe(&target, limit).await;
    let ok = report.ok && rejected.is_none();
    if json {
        print_json(&report, ok, rejected.as_ref(), lang);
    } else {
        print_human(&report, ok, lang);
    }
    if ok { Ok(()) } else { Err(Failed) }
}

/// The settings, and the problems that were set aside because they only concern the TLS mode;
/// `None` when the settings cannot be used at all.
fn load(sources: &Sources) -> Option<(SmtpConfig, Option<Errors>)> {
    let errors = match SmtpConfig::load(sources) {
        Ok(config) => return Some((config, None)),
        Err(errors) => errors,
    };
    // Problems that disappear once only the TLS mode is changed concern nothing else.
    [Security::StartTls, Security::ImplicitTls]
        .into_iter()
        .filter_map(|mode| mode_override(sources, mode))
        .find_map(|overrides| SmtpConfig::load(&sources.clone().map(overrides)).ok())
        .map(|config| (config, Some(errors)))
}

/// The settings that select `mode` and change nothing else.
fn mode_override(sources: &Sources, mode: Security) -> Option<Vec<(&'static str, String)>> {
    let Some(url) = raw(sources, "MAIL_URL") else {
        let (starttls, ssl_tls) = mode.flag_values();
        return Some(vec![
            ("MAIL_STARTTLS", starttls.to_string()),
            ("MAIL_SSL_TLS", ssl_tls.to_string()),
        ]);
    };
    let (scheme, rest) = url.split_once("://")?;
    if !["smtp", "smtps"].contains(&scheme.to_ascii_lowercase().as_str()) {
        return None;
    }
    let authority = rest.split_once('?').map_or(rest, |(before, _)| before);
    let (scheme, query) = mode.url_parts();
    let url = format!("{scheme}://{authority}{query}");
    Some(vec![("MAIL_URL", url)])
}

/// The TLS mode the raw settings ask for; `None` when they conflict, are missing or invalid.
fn configured_security(sources: &Sources) -> Option<Security> {
    if let Some(url) = raw(sources, "MAIL_URL") {
        return SmtpUrl::from_value(url).ok().map(|u| u.security);
    }
    let flag = |key| raw(sources, key).and_then(|v| bool::from_value(v).ok());
    Security::from_flags(flag("MAIL_STARTTLS")?, flag("MAIL_SSL_TLS")?)
}

fn raw<'a>(sources: &'a Sources, key: &str) -> Option<&'a str> {
    sources.get(key).and_then(|e| e.value().ok())
}

fn print_json(report: &ProbeReport, ok: bool, rejected: Option<&Errors>, lang: Lang) {
    let mut out = serde_json::to_value(report).unwrap_or_else(|_| json!({}));
    if let Some(map) = out.as_object_mut() {
        map.insert("ok".to_owned(), json!(ok));
        map.insert("config_ok".to_owned(), json!(rejected.is_none()));
        map.insert("advice".to_owned(), json!(report.advice_in(lang)));
        map.insert(
            "errors".to_owned(),
            rejected.map_or_else(|| json!([]), |e| json!(e.in_lang(lang))),
        );
    }
    outln!("{out:#}");
}

fn print_human(report: &ProbeReport, ok: bool, lang: Lang) {
    let width = report
        .steps
        .iter()
        .map(|s| s.name.to_string().len())
        .max()
        .unwrap_or(0);
    let mut mode = report.configured;
    for step in &report.steps {
        if mode != Some(step.mode) {
            if mode.is_some() {
                let line = Message::new("cli-probe-trying").arg("mode", step.mode.name());
                outln!("{}", line.render(lang));
            }
            mode = Some(step.mode);
        }
        // The advice explains failures in a mode the port does not speak, and its own hint.
        let explained = report.detected.is_some_and(|d| d != step.mode)
            || step.hint.is_some() && step.hint == report.advice;
        print_step(step, width, !explained, lang);
    }
    if let Some(server) = &report.server {
        let say = |m: Message| outln!("{}", m.render(lang));
        say(Message::new("cli-probe-server")
            .arg("name", server.name.as_str())
            .arg("greeting", server.greeting.as_str()));
        let say = |m: Message| outln!("  {}", m.render(lang));
        say(Message::new("cli-probe-extensions").arg("list", server.summary()));
        let auth = if server.auth_mechanisms.is_empty() {
            Message::new("cli-probe-none-offered")
        } else {
            Message::text(server.auth_mechanisms.join(", "))
        };
        say(Message::new("cli-probe-auth").arg("list", auth));
        let starttls = if server.starttls {
            "cli-probe-offered"
        } else {
            "cli-probe-not-offered"
        };
        say(Message::new("cli-probe-starttls").arg("offered", Message::new(starttls)));
        if let Some(size) = server.size {
            say(Message::new("cli-probe-size").arg("size", size.to_string()));
        }
    }
    if let Some(speaks) = report.speaks() {
        let line = Message::new("cli-probe-speaks").arg("sound", speaks);
        outln!("{}", line.render(lang));
    }
    if let Some(advice) = report.advice_in(lang) {
        let line = Message::new("cli-probe-advice").arg("advice", advice);
        outln!("{}", line.render(lang));
    }
    let result = if ok {
        "cli-probe-passed"
    } else {
        "cli-probe-failed"
    };
    outln!("{}", Message::new(result).render(lang));
}

fn print_step(step: &Step, width: usize, with_hint: bool, lang: Lang) {
    let mark = if step.ok { '✓' } else { '✗' };
    let code = step.code.map(|c| format!("[{c}] ")).unwrap_or_default();
    outln!(
        "  {mark} {:width$} {:>6} ms  {code}{}",
        step.name.to_string(),
        step.millis,
        step.detail_in(lang)
    );
    if let Some(hint) = step.hint_in(lang).filter(|_| with_hint) {
        let line = Message::new("report-hint").arg("hint", hint);
        outln!("      {}", line.render(lang));
    }
}
