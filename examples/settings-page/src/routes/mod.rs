//! The page's assets and the JSON API.
//!
//! Every API answer is JSON with `"success"`; a failure also has a machine `"code"` and an
//! `"error"` for people, and invalid settings list every problem in `"errors"` (mailconf's
//! serialized errors: secret inputs are already redacted there). The words are in the
//! request's language ([`crate::lang`]); `code`, `key` and `field` never change with it.

mod config;
mod connection;
mod page;
mod schema;

use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use mailconf_core::{Errors, FieldSchema, Lang, MailConfig, Message, NameKind};
use mailconf_smtp::SmtpConfig;
use serde_json::{Map, Value, json};

pub(crate) use config::{get_config, save_config};
pub(crate) use connection::test_config;
pub(crate) use page::index;
pub(crate) use schema::schema;

use crate::store::Saved;
use crate::{AppState, MAX_BODY_BYTES, lang};

const APP_JS: &str = include_str!("../../assets/app.js");
const WORDS_JS: &str = include_str!("../../assets/words.js");
const STYLE_CSS: &str = include_str!("../../assets/style.css");

/// A failed API call, answered as `{"success": false, "code", "error", ...}`: its words are
/// rendered in the request's language by [`localize`].
#[derive(Debug, Clone)]
pub(crate) struct ApiError {
    status: StatusCode,
    /// `success`, `code` and whatever else the answer carries (`key`, …), without `error`.
    body: Value,
    message: Message,
    /// Boxed: most errors have none, and a `Result` should stay small.
    errors: Option<Box<Errors>>,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, code: &str, message: impl Into<Message>) -> ApiError {
        ApiError {
            status,
            body: json!({"success": false, "code": code}),
            message: message.into(),
            errors: None,
        }
    }

    /// The error a failing step of the server itself (reading or writing the file) maps to:
    /// 500 with `code`, and the catalog message `id` given the failure as its `reason`.
    pub(crate) fn internal<E: std::fmt::Display>(
        code: &'static str,
        id: &'static str,
    ) -> impl FnOnce(E) -> ApiError {
        move |e| {
            let message = Message::new(id).arg("reason", e.to_string());
            ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, code, message)
        }
    }

    fn invalid(errors: &Errors) -> ApiError {
        let message = Message::new("page-api-invalid").arg("count", errors.len());
        let mut error = ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_settings",
            message,
        );
        error.errors = Some(Box::new(errors.clone()));
        error
    }

    /// The JSON answer in `lang`.
    fn body(&self, lang: Lang) -> Value {
        let mut body = self.body.clone();
        body["error"] = Value::String(self.message.render(lang));
        if let Some(errors) = &self.errors {
            body["errors"] = json!(errors.in_lang(lang));
        }
        body
    }
}

/// The answer in English, with the error kept for [`localize`] to say in the request's language.
impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(self.body(Lang::En))).into_response();
        response.extensions_mut().insert(self);
        response
    }
}

/// Says an [`ApiError`] in the request's language: the error may come from the access guard,
/// before any handler could see the request.
pub(crate) async fn localize(request: Request, next: Next) -> Response {
    let lang = lang::of_request(request.headers());
    let mut response = next.run(request).await;
    if let Some(error) = response.extensions_mut().remove::<ApiError>()
        && lang != Lang::En
    {
        let body = error.body(lang).to_string();
        response.headers_mut().remove(header::CONTENT_LENGTH);
        *response.body_mut() = Body::from(body);
    }
    response
}

fn asset(content_type: &'static str, body: &'static str) -> Response {
    (
        [(header::CONTENT_TYPE, HeaderValue::from_static(content_type))],
        body,
    )
        .into_response()
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
        Message::new("page-api-not-found"),
    )
}

pub(crate) async fn api_method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        Message::new("page-api-method"),
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
            Message::new("page-api-not-json"),
        ));
    }
    let bytes = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                Message::new("page-api-too-large").arg("kib", MAX_BODY_BYTES / 1024),
            )
        } else {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "unreadable_body",
                Message::new("page-api-unreadable-body"),
            )
        }
    })?;
    // serde_json's messages give a line and column, never the text (which may hold a password).
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "not_an_object",
            Message::new("page-api-not-an-object"),
        )),
        Err(e) => Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_json",
            Message::new("page-api-invalid-json").arg("reason", e.to_string()),
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
    let saved: Saved = state
        .inner
        .store
        .load()
        .await
        .map_err(ApiError::internal("unreadable", "page-api-keep-secret"))?;
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
