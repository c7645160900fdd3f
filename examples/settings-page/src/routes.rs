//! The page's assets and the JSON API.
//!
//! Every API answer is JSON with `"success"`; a failure also has a machine `"code"` and an
//! `"error"` for people, and invalid settings list every problem in `"errors"` (mailconf's
//! serialized errors: secret inputs are already redacted there).

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use mailconf_core::{Error, ErrorKind, Errors, MailConfig, Origin, Sources};
use mailconf_smtp::{SmtpConfig, SmtpSettings};
use serde_json::{Map, Value, json};

use crate::probe::{self, Refusal};
use crate::store::{self, Saved};
use crate::{AppState, MAX_BODY_BYTES};

const INDEX_HTML: &str = include_str!("../assets/index.html");
const APP_JS: &str = include_str!("../assets/app.js");
const STYLE_CSS: &str = include_str!("../assets/style.css");

/// A failed API call, answered as `{"success": false, "code", "error", ...}`.
#[derive(Debug)]
pub(crate) struct ApiError {
    status: StatusCode,
    body: Value,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, code: &str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            body: json!({"success": false, "code": code, "error": message.into()}),
        }
    }

    fn invalid(errors: &Errors) -> ApiError {
        let n = errors.len();
        let message = format!(
            "{n} problem{} in the settings; nothing was saved",
            if n == 1 { "" } else { "s" }
        );
        let mut error = ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_settings",
            message,
        );
        error.body["errors"] = json!(errors);
        error
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(self.body)).into_response()
    }
}

fn asset(content_type: &'static str, body: &'static str) -> Response {
    (
        [(header::CONTENT_TYPE, HeaderValue::from_static(content_type))],
        body,
    )
        .into_response()
}

pub(crate) async fn index() -> Response {
    asset("text/html; charset=utf-8", INDEX_HTML)
}

pub(crate) async fn script() -> Response {
    asset("text/javascript; charset=utf-8", APP_JS)
}

pub(crate) async fn style() -> Response {
    asset("text/css; charset=utf-8", STYLE_CSS)
}

/// Spares the log a 404 for the icon every browser asks for.
pub(crate) async fn favicon() -> StatusCode {
    StatusCode::NO_CONTENT
}

pub(crate) async fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "not found\n").into_response()
}

pub(crate) async fn api_not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        "no such API endpoint; see GET /api/schema, GET and POST /api/config, POST /api/config/test",
    )
}

pub(crate) async fn api_method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "this endpoint does not take that method",
    )
}

/// The variable names in declaration order (aliases and `*_FILE` variants after their
/// setting), so the page and the saved file list them as the struct does; JSON objects do not
/// keep an order.
fn ordered_keys() -> Vec<String> {
    let mut keys = Vec::new();
    for entry in SmtpConfig::schema().entries() {
        let file_key = entry.field.file_key(&entry.key);
        keys.push(entry.key);
        keys.extend(entry.field.aliases.iter().map(|a| (*a).to_owned()));
        keys.extend(file_key);
    }
    keys
}

/// Variables whose values are secret: never sent back, merged from the saved file on request.
fn secret_keys() -> Vec<String> {
    SmtpConfig::schema()
        .entries()
        .into_iter()
        .filter(|e| e.field.secret)
        .flat_map(|e| {
            let aliases = e.field.aliases.iter().map(|a| (*a).to_owned());
            std::iter::once(e.key.clone()).chain(aliases)
        })
        .collect()
}

/// `GET /api/schema`: SmtpConfig's JSON Schema (descriptions from its doc comments), plus
/// `x-order`, the declaration order.
pub(crate) async fn schema() -> Json<Value> {
    let mut schema = SmtpConfig::schema().json_schema();
    if let Some(object) = schema.as_object_mut() {
        object.insert("x-order".to_owned(), json!(ordered_keys()));
    }
    Json(schema)
}

/// `GET /api/config`: the saved values without the secrets, and which secrets are set.
pub(crate) async fn get_config(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    let saved = state.inner.store.load().await.map_err(|e| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "unreadable",
            e.to_string(),
        )
    })?;
    let secrets = secret_keys();
    let known = ordered_keys();
    let mut values = Map::new();
    for (key, value) in &saved.entries {
        // A key the schema does not know might be secret: it is not shown either.
        if known.contains(key) && !secrets.contains(key) {
            values.insert(key.clone(), Value::String(value.clone()));
        }
    }
    let secrets_set: Map<String, Value> = secrets
        .iter()
        .map(|key| (key.clone(), json!(saved.get(key).is_some())))
        .collect();
    Ok(Json(json!({
        "success": true,
        "saved": saved.exists,
        "values": values,
        "password_set": saved.get("MAIL_PASSWORD").is_some(),
        "secrets_set": secrets_set,
    })))
}

/// `POST /api/config`: validates, saves, and answers the warnings.
pub(crate) async fn save_config(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Value>, ApiError> {
    let mut settings = settings_body(&headers, body)?;
    let store = &state.inner.store;
    let _saving = store.lock().await;
    keep_unchanged_secrets(&state, &mut settings).await?;
    let (config, entries) = validate(&settings, true).map_err(|e| ApiError::invalid(&e))?;
    let text = store::render(&entries).ok_or_else(|| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "not_writable",
            "a value cannot be written to the .env file exactly; nothing was saved",
        )
    })?;
    // What is written must load back as it was validated, or the application reading the file
    // would fail where the page said all was well.
    if let Err(errors) = SmtpConfig::load(&Sources::new().dotenv_str(store.path(), &text)) {
        let mut error = ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "not_saved",
            "the settings would not load back from the .env file; nothing was saved",
        );
        error.body["errors"] = json!(errors);
        return Err(error);
    }
    store.save(text).await.map_err(|e| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "not_saved",
            e.to_string(),
        )
    })?;
    Ok(Json(json!({
        "success": true,
        "warnings": config.warnings(),
        "password_set": entries.iter().any(|(k, _)| k == "MAIL_PASSWORD"),
    })))
}

/// `POST /api/config/test`: probes the submitted settings' server, if it is allow-listed.
pub(crate) async fn test_config(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let mut settings = settings_body(&headers, body)?;
    keep_unchanged_secrets(&state, &mut settings).await?;
    let (config, _) = validate(&settings, false).map_err(|e| ApiError::invalid(&e))?;
    let endpoint = config.endpoint();
    let addresses = match state
        .inner
        .allow
        .check(&endpoint.host, endpoint.port.get())
        .await
    {
        Ok(addresses) => addresses,
        Err(Refusal::Forbidden(message)) => {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "host_not_allowed",
                message,
            ));
        }
        Err(Refusal::Unresolved(message)) => {
            return Err(ApiError::new(
                StatusCode::BAD_GATEWAY,
                "unresolved",
                message,
            ));
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
    let login = config.credentials().is_some();
    let (status, mut body) = if report.ok {
        let message = format!(
            "{}: connected with {}{}; no mail was sent",
            report.address,
            endpoint.security,
            if login { ", login accepted" } else { "" }
        );
        (
            StatusCode::OK,
            json!({"success": true, "message": message, "report": report}),
        )
    } else {
        let failed = report.steps.iter().find(|s| !s.ok);
        let message = match (failed, &report.advice) {
            (Some(step), _) => format!("{} failed: {}", step.name, step.detail),
            (None, Some(advice)) => advice.clone(),
            (None, None) => "the test did not pass".to_owned(),
        };
        (
            StatusCode::BAD_GATEWAY,
            json!({"success": false, "code": "probe_failed", "error": message,
                   "hint": report.advice.clone().or(failed.and_then(|s| s.hint.clone())),
                   "report": report}),
        )
    };
    // The probe never reports the password; a server that echoes it back must not make it
    // visible either.
    if let Some(credentials) = config.credentials() {
        scrub(&mut body, credentials.password.expose_secret());
    }
    Ok((status, Json(body)).into_response())
}

/// The body as a JSON object, or the answer to give instead.
fn settings_body(
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Map<String, Value>, ApiError> {
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("application/json"));
    if !json {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "not_json",
            "send the settings as a JSON object with Content-Type: application/json",
        ));
    }
    let bytes = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                format!("the body is larger than {} KiB", MAX_BODY_BYTES / 1024),
            )
        } else {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "unreadable_body",
                "the request body could not be read",
            )
        }
    })?;
    // serde_json's messages give a line and column, never the text (which may hold a password).
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "not_an_object",
            "expected a JSON object keyed by variable names, such as {\"MAIL_SERVER\": \"smtp.example.com\"}",
        )),
        Err(e) => Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_json",
            format!("the body is not valid JSON: {e}"),
        )),
    }
}

/// `{"unchanged": true}`: keep the saved secret. A JSON object can never be a real value (every
/// setting is a string, number or boolean), so no password can be mistaken for it.
fn is_unchanged_marker(value: &Value) -> bool {
    matches!(value, Value::Object(o) if o.len() == 1 && o.get("unchanged") == Some(&Value::Bool(true)))
}

/// Replaces each unchanged-marker of a secret with the saved value, or drops it when nothing is
/// saved (then mailconf says the setting is missing, if it is needed).
async fn keep_unchanged_secrets(
    state: &AppState,
    settings: &mut Map<String, Value>,
) -> Result<(), ApiError> {
    let secrets = secret_keys();
    let marked: Vec<String> = settings
        .iter()
        .filter(|(key, value)| secrets.contains(key) && is_unchanged_marker(value))
        .map(|(key, _)| key.clone())
        .collect();
    if marked.is_empty() {
        return Ok(());
    }
    let saved: Saved = state.inner.store.load().await.map_err(|e| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "unreadable",
            format!("cannot keep the saved password: {e}"),
        )
    })?;
    for key in marked {
        match saved.get(&key) {
            Some(value) => settings.insert(key, Value::String(value.to_owned())),
            None => settings.remove(&key),
        };
    }
    Ok(())
}

/// Loads the settings with mailconf, and when `for_saving` also checks that every value can be
/// written to the `.env` file exactly. Every problem is reported at once. On success, the
/// entries to write, in declaration order.
fn validate(
    settings: &Map<String, Value>,
    for_saving: bool,
) -> Result<(SmtpConfig, Vec<(String, String)>), Errors> {
    let loaded = SmtpConfig::from_json(&Value::Object(settings.clone()).to_string());
    let reported: Vec<String> = match &loaded {
        Ok(_) => Vec::new(),
        Err(errors) => errors.iter().map(|e| e.key().to_owned()).collect(),
    };
    let mut extra = Vec::new();
    let mut entries = Vec::new();
    for (key, value) in settings {
        // As mailconf's JSON source turns values into text, so the file holds what was checked.
        let text = match value {
            Value::String(s) => s.clone(),
            Value::Bool(b) => b.to_string(),
            Value::Number(n) => n.to_string(),
            _ => continue,
        };
        if for_saving && store::quote(&text).is_none() && !reported.contains(key) {
            extra.push(
                Error::new(
                    ErrorKind::InvalidValue {
                        detail: "not_writable",
                    },
                    key.clone(),
                    "this value contains a line break or NUL character, which cannot be saved to the .env file exactly",
                )
                .with_hint("remove the line break: no setting takes a multi-line value")
                .with_origin(Origin::Json),
            );
        }
        entries.push((key.clone(), text));
    }
    let config = match loaded {
        Ok(config) => match Errors::from_vec(extra) {
            None => config,
            Some(errors) => return Err(errors),
        },
        Err(mut errors) => {
            for error in extra {
                errors.push(error);
            }
            return Err(errors);
        }
    };
    let order = ordered_keys();
    let rank = |key: &str| order.iter().position(|k| k == key).unwrap_or(usize::MAX);
    entries.sort_by_key(|(key, _)| rank(key));
    Ok((config, entries))
}

fn scrub(value: &mut Value, secret: &str) {
    // Replacing a very short password would mangle ordinary words without protecting much.
    if secret.len() < 4 {
        return;
    }
    match value {
        Value::String(s) if s.contains(secret) => *s = s.replace(secret, "[redacted]"),
        Value::Array(items) => items.iter_mut().for_each(|v| scrub(v, secret)),
        Value::Object(map) => map.values_mut().for_each(|v| scrub(v, secret)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_exact_marker_keeps_a_secret() {
        assert!(is_unchanged_marker(&json!({"unchanged": true})));
        for other in [
            json!({"unchanged": false}),
            json!({"unchanged": "true"}),
            json!({"unchanged": true, "x": 1}),
            json!("{\"unchanged\": true}"),
            json!(null),
        ] {
            assert!(!is_unchanged_marker(&other), "{other}");
        }
    }

    #[test]
    fn secrets_and_order_come_from_the_schema() {
        let secrets = secret_keys();
        assert!(secrets.contains(&"MAIL_PASSWORD".to_owned()));
        assert!(secrets.contains(&"MAIL_URL".to_owned()));
        assert!(!secrets.contains(&"MAIL_PASSWORD_FILE".to_owned()));
        let order = ordered_keys();
        let at = |k: &str| order.iter().position(|o| o == k).unwrap();
        assert!(at("MAIL_PASSWORD") < at("MAIL_PASSWORD_FILE"));
        assert!(at("MAIL_CA_FILE") < at("CERT_BUNDLE"));
    }

    #[test]
    fn scrub_replaces_inside_nested_strings() {
        let mut v = json!({"a": ["x hunter22 y"], "b": {"c": "hunter22"}});
        scrub(&mut v, "hunter22");
        assert!(!v.to_string().contains("hunter22"));
    }
}
