//! `POST /api/config/test`: the connection test, and its answer in the page's words.

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Extension, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use mailconf_smtp::diagnose::{ProbeReport, Step};
use mailconf_smtp::{SmtpConfig, SmtpSettings};
use serde_json::{Value, json};

use super::config::validate;
use super::{ApiError, keep_unchanged_secrets, settings_body};
use crate::AppState;
use crate::audit::{self, Client};
use crate::probe::{self, Refusal};
use crate::redact::Resemblance;

/// `POST /api/config/test`: probes the submitted settings' server, if it is allow-listed and
/// the port is one SMTP uses (or was allowed with `--allow-port`).
pub(crate) async fn test_config(
    State(state): State<AppState>,
    Extension(client): Extension<Client>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
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
            format!(
                "the server did not get through the test within {:?}",
                probe::PROBE_TIMEOUT
            ),
        ));
    };
    let (status, mut body) = answer(&config, &report);
    // The probe never reports the password; a server that echoes it back, even changed, must
    // not make it visible either.
    if let Some(credentials) = config.credentials() {
        Resemblance::new(&credentials.username, credentials.password.expose_secret())
            .withhold(&mut body);
    }
    Ok((status, Json(body)).into_response())
}

fn answer(config: &SmtpConfig, report: &ProbeReport) -> (StatusCode, Value) {
    let endpoint = config.endpoint();
    if report.ok {
        let login = config.credentials().is_some();
        let message = format!(
            "{}: connected with {}{}; no mail was sent",
            report.address,
            endpoint.security,
            if login { ", login accepted" } else { "" }
        );
        return (
            StatusCode::OK,
            json!({"success": true, "message": message, "report": report}),
        );
    }
    let failed = report.steps.iter().find(|s| !s.ok);
    let detail = match (failed, &report.advice) {
        (Some(step), _) => format!("{} failed: {}", step.name, step.detail),
        (None, Some(advice)) => advice.clone(),
        (None, None) => "the test did not pass".to_owned(),
    };
    let (diagnosis, fix) = diagnose(report, failed);
    let mut body = json!({
        "success": false, "code": "probe_failed", "error": diagnosis, "detail": detail,
        "hint": report.advice.clone().or(failed.and_then(|s| s.hint.clone())),
        "report": report,
    });
    if let Some((label, values)) = fix {
        body["fix"] = json!({"label": label, "values": values});
    }
    (StatusCode::BAD_GATEWAY, body)
}

type Fix = (String, Value);

/// One sentence saying what went wrong, in the page's words; and, when one change of the form
/// fixes it, that change.
fn diagnose(report: &ProbeReport, failed: Option<&Step>) -> (String, Option<Fix>) {
    if let (Some(detected), Some(configured)) = (report.detected, report.configured)
        && detected != configured
    {
        let (want, have) = (
            super::tls_mode_name(detected),
            super::tls_mode_name(configured),
        );
        let (starttls, ssl) = detected.flag_values();
        let sentence = format!(
            "The server on this port speaks {want}, but Encryption is set to {have}: choose {want}."
        );
        // Never offered as one click: switching to plain text sends the password unencrypted.
        if starttls || ssl {
            let values = json!({"MAIL_STARTTLS": starttls, "MAIL_SSL_TLS": ssl});
            return (sentence, Some((format!("Use {want}"), values)));
        }
        return (sentence, None);
    }
    let name = failed.map(|s| serde_json::to_value(s.name).unwrap_or(Value::Null));
    let sentence = match name.as_ref().and_then(Value::as_str) {
        Some("dns") => "The server name could not be found: check Server.".to_owned(),
        Some("tcp") => {
            "Nothing answered at this server and port: check Server and Port.".to_owned()
        }
        Some("tls" | "starttls") => "The secure connection could not be set up: check Encryption, and the certificate settings under Advanced.".to_owned(),
        Some("login") => "The server refused the login: check Username and Password.".to_owned(),
        Some("greeting" | "ehlo") => {
            "The server did not answer like an SMTP server: check Port.".to_owned()
        }
        _ => "The connection test did not pass.".to_owned(),
    };
    (sentence, None)
}
