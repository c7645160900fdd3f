//! `POST /api/config/test`: the connection test, and its answer in the page's words.

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Extension, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use mailconf_core::{Lang, Message};
use mailconf_smtp::diagnose::{ProbeReport, Step};
use mailconf_smtp::{SmtpConfig, SmtpSettings};
use serde_json::{Value, json};

use super::config::validate;
use super::schema::tls_mode_name;
use super::{ApiError, keep_unchanged_secrets, settings_body};
use crate::audit::{self, Client};
use crate::probe::{self, Refusal};
use crate::redact::Resemblance;
use crate::{AppState, lang};

/// `POST /api/config/test`: probes the submitted settings' server, if it is allow-listed and
/// the port is one SMTP uses (or was allowed with `--allow-port`).
pub(crate) async fn test_config(
    State(state): State<AppState>,
    Extension(client): Extension<Client>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let lang = lang::of_request(&headers);
    let mut settings = settings_body(&headers, body)?;
    keep_unchanged_secrets(&state, &mut settings).await?;
    let (config, _) =
        validate(&settings, false, &state.inner.files).map_err(|e| ApiError::invalid(&e))?;
    audit::record(&client, "test", &[]);
    let endpoint = config.endpoint();
    let port = endpoint.port.get();
    if let Err(message) = state.inner.ports.check(port) {
        let mut error = ApiError::new(StatusCode::FORBIDDEN, "port_not_allowed", message);
        error.body["key"] = json!("MAIL_PORT");
        return Err(error);
    }
    let addresses = match state.inner.allow.check(&endpoint.host, port).await {
        Ok(addresses) => addresses,
        Err(Refusal::Forbidden(message)) => {
            let mut error = ApiError::new(StatusCode::FORBIDDEN, "host_not_allowed", message);
            error.body["key"] = json!("MAIL_SERVER");
            return Err(error);
        }
        Err(Refusal::Unresolved(message)) => {
            let mut error = ApiError::new(StatusCode::BAD_GATEWAY, "unresolved", message);
            error.body["key"] = json!("MAIL_SERVER");
            return Err(error);
        }
    };
    let probe = probe::run(&config, addresses);
    let Ok(report) = tokio::time::timeout(probe::PROBE_TIMEOUT, probe).await else {
        return Err(ApiError::new(
            StatusCode::GATEWAY_TIMEOUT,
            "probe_timeout",
            Message::new("page-probe-timeout").arg("seconds", probe::PROBE_TIMEOUT.as_secs()),
        ));
    };
    let (status, mut body) = answer(&config, &report, lang);
    // The probe never reports the password; a server that echoes it back, even changed, must
    // not make it visible either.
    if let Some(credentials) = config.credentials() {
        Resemblance::new(&credentials.username, credentials.password.expose_secret())
            .withhold(&mut body);
    }
    Ok((status, Json(body)).into_response())
}

fn answer(config: &SmtpConfig, report: &ProbeReport, lang: Lang) -> (StatusCode, Value) {
    let endpoint = config.endpoint();
    let report_json = report_in(report, lang);
    if report.ok {
        let id = if config.credentials().is_some() {
            "page-test-connected-login"
        } else {
            "page-test-connected"
        };
        let message = Message::new(id)
            .arg("address", report.address.as_str())
            .arg("mode", endpoint.security.name())
            .render(lang);
        return (
            StatusCode::OK,
            json!({"success": true, "message": message, "report": report_json}),
        );
    }
    let failed = report.steps.iter().find(|s| !s.ok);
    let advice = report.advice_in(lang);
    let detail = match (failed, &advice) {
        (Some(step), _) => Message::new("page-step-failed")
            .arg("step", step_name(step, lang))
            .arg("detail", step.detail_in(lang))
            .render(lang),
        (None, Some(advice)) => advice.clone(),
        (None, None) => Message::new("page-test-not-passed").render(lang),
    };
    let (diagnosis, fix) = diagnose(report, failed, lang);
    let mut body = json!({
        "success": false, "code": "probe_failed", "error": diagnosis, "detail": detail,
        "hint": advice.or(failed.and_then(|s| s.hint_in(lang))),
        "report": report_json,
    });
    if let Some((label, values)) = fix {
        body["fix"] = json!({"label": label, "values": values});
    }
    (StatusCode::BAD_GATEWAY, body)
}

/// The report as JSON, its hints and advice in `lang` (what the server said stays as said).
fn report_in(report: &ProbeReport, lang: Lang) -> Value {
    let mut json = json!(report);
    json["advice"] = json!(report.advice_in(lang));
    if let Some(steps) = json["steps"].as_array_mut() {
        for (step, out) in report.steps.iter().zip(steps) {
            out["hint"] = json!(step.hint_in(lang));
            out["detail"] = json!(step.detail_in(lang));
            out["label"] = json!(step_name(step, lang));
        }
    }
    json
}

/// A step's name for people (`page-step-…`), such as "TLS handshake".
fn step_name(step: &Step, lang: Lang) -> String {
    let name = serde_json::to_value(step.name)
        .ok()
        .and_then(|v| v.as_str().map(|s| s.replace('_', "-")))
        .unwrap_or_default();
    mailconf_messages::Catalog::get(lang)
        .format(&format!("page-step-{name}"), &[])
        .unwrap_or(name)
}

type Fix = (String, Value);

/// One sentence saying what went wrong, in the page's words; and, when one change of the form
/// fixes it, that change.
fn diagnose(report: &ProbeReport, failed: Option<&Step>, lang: Lang) -> (String, Option<Fix>) {
    if let (Some(detected), Some(configured)) = (report.detected, report.configured)
        && detected != configured
    {
        let (want, have) = (
            tls_mode_name(detected, lang),
            tls_mode_name(configured, lang),
        );
        let (starttls, ssl) = detected.flag_values();
        let sentence = Message::new("page-diag-mode")
            .arg("want", want.as_str())
            .arg("have", have)
            .render(lang);
        // Never offered as one click: switching to plain text sends the password unencrypted.
        if starttls || ssl {
            let values = json!({"MAIL_STARTTLS": starttls, "MAIL_SSL_TLS": ssl});
            let label = Message::new("page-diag-use").arg("mode", want).render(lang);
            return (sentence, Some((label, values)));
        }
        return (sentence, None);
    }
    let name = failed.map(|s| serde_json::to_value(s.name).unwrap_or(Value::Null));
    let id = match name.as_ref().and_then(Value::as_str) {
        Some("dns") => "page-diag-dns",
        Some("tcp") => "page-diag-tcp",
        Some("tls" | "starttls") => "page-diag-tls",
        Some("login") => "page-diag-login",
        Some("greeting" | "ehlo") => "page-diag-greeting",
        _ => "page-diag-other",
    };
    (Message::new(id).render(lang), None)
}
