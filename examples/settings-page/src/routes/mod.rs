//! The page's assets and the JSON API.
//!
//! Every API answer is JSON with `"success"`; a failure also has a machine `"code"` and an
//! `"error"` for people, and invalid settings list every problem in `"errors"` (mailconf's
//! serialized errors: secret inputs are already redacted there).

mod config;
mod connection;

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use mailconf_core::{Errors, FieldSchema, MailConfig, NameKind};
use mailconf_smtp::{Provider, Security, SmtpConfig};
use serde_json::{Map, Value, json};

pub(crate) use config::{get_config, save_config};
pub(crate) use connection::test_config;

use crate::store::Saved;
use crate::{AppState, MAX_BODY_BYTES};

const INDEX_HTML: &str = include_str!("../../assets/index.html");
const APP_JS: &str = include_str!("../../assets/app.js");
const WORDS_JS: &str = include_str!("../../assets/words.js");
const STYLE_CSS: &str = include_str!("../../assets/style.css");

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

pub(crate) async fn words() -> Response {
    asset("text/javascript; charset=utf-8", WORDS_JS)
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
    keys_where(|_, _| true)
}

/// The names settings are read by ([`mailconf_core::Names::read`]), in declaration order,
/// where `keep(field, kind)`.
fn keys_where(keep: impl Fn(&FieldSchema, NameKind) -> bool) -> Vec<String> {
    let mut keys = Vec::new();
    for entry in SmtpConfig::schema().entries() {
        let names = entry.names();
        let kept = names.read().filter(|(_, kind)| keep(entry.field, *kind));
        keys.extend(kept.map(|(name, _)| name.into_owned()));
    }
    keys
}

/// Variables whose values are secret: never sent back, merged from the saved file on request.
fn secret_keys() -> Vec<String> {
    keys_where(|field, kind| field.secret && kind != NameKind::File)
}

/// Variables holding a file path, which mailconf opens while loading: `path` settings (such as
/// MAIL_CA_FILE) with their aliases, and every `*_FILE` variant.
fn path_keys() -> Vec<String> {
    keys_where(|field, kind| field.type_name == "path" || kind == NameKind::File)
}

/// Variables that must be set: required ones, and those required unless another is set (such
/// as MAIL_SERVER unless MAIL_URL), which the page marks as required as well.
fn required_keys() -> Vec<String> {
    SmtpConfig::schema()
        .entries()
        .into_iter()
        .filter(|e| e.field.required() || !e.required_unless.is_empty())
        .map(|e| e.key)
        .collect()
}

/// The page's name for a TLS mode.
pub(crate) fn tls_mode_name(security: Security) -> &'static str {
    match security {
        Security::StartTls => "STARTTLS",
        Security::ImplicitTls => "Implicit TLS",
        Security::Plain => "Plain text",
    }
}

/// The presets the form's Provider choice offers, from mailconf_smtp's provider table: each
/// fills the server, the port and the Encryption choice (a `{region}` in the host is left for
/// the administrator to replace, and refused until then).
fn providers() -> Value {
    let presets: Vec<Value> = Provider::all()
        .iter()
        .map(|p| {
            let preset = p.preset();
            json!({
                "id": p.id,
                "name": p.name,
                "host": p.host,
                "port": preset.port,
                "tls": preset.security,
                "username": p.username,
                "note": p.note,
                "source": p.source,
            })
        })
        .collect();
    Value::Array(presets)
}

/// The modes the form's Encryption choice offers, with the usual port and the two flags of each
/// from `Security`'s table, so the page restates none of them.
fn tls_modes() -> Value {
    let modes: Vec<Value> = Security::ALL
        .into_iter()
        .map(|security| {
            let (starttls, ssl_tls) = security.flag_values();
            json!({
                "value": security,
                "name": tls_mode_name(security),
                "port": security.default_port().get(),
                "flags": [starttls, ssl_tls],
                "trusted_networks_only": security == Security::Plain,
            })
        })
        .collect();
    Value::Array(modes)
}

/// `GET /api/schema`: SmtpConfig's JSON Schema (descriptions from its doc comments), plus
/// `x-order`, the declaration order, `x-required`, the variables the form marks required, and
/// `x-tls-modes`, the choices of the Encryption field, and `x-providers`, the presets of the
/// Provider choice that fills the server, port and encryption.
pub(crate) async fn schema() -> Json<Value> {
    let mut schema = SmtpConfig::schema().json_schema();
    if let Some(object) = schema.as_object_mut() {
        object.insert("x-order".to_owned(), json!(ordered_keys()));
        object.insert("x-required".to_owned(), json!(required_keys()));
        object.insert("x-tls-modes".to_owned(), tls_modes());
        object.insert("x-providers".to_owned(), providers());
    }
    Json(schema)
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
    fn path_keys_are_the_file_settings() {
        let keys = path_keys();
        for key in ["MAIL_CA_FILE", "CERT_BUNDLE", "MAIL_PASSWORD_FILE"] {
            assert!(keys.contains(&key.to_owned()), "{key}: {keys:?}");
        }
        assert!(!keys.contains(&"MAIL_SERVER".to_owned()));
    }
}
