//! `GET` and `POST /api/config`: the saved settings, and saving them.

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Extension, State};
use axum::http::{HeaderMap, StatusCode};
use mailconf_core::dotenv_file;
use mailconf_core::{Error, ErrorKind, Errors, MailConfig, Message, Origin, Sources};
use mailconf_smtp::SmtpConfig;
use serde_json::{Map, Value, json};

use super::{
    ApiError, keep_unchanged_secrets, ordered_keys, path_keys, secret_keys, settings_body,
};
use crate::audit::{self, Client};
use crate::files::FilesDir;
use crate::{AppState, lang};

/// `GET /api/config`: the saved values without the secrets, and which secrets are set.
pub(crate) async fn get_config(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    let saved = state
        .inner
        .store
        .load()
        .await
        .map_err(ApiError::internal("unreadable", "page-api-unreadable"))?;
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

/// `POST /api/config`: validates, saves the mail keys (every other line of the file is kept),
/// and answers the warnings.
pub(crate) async fn save_config(
    State(state): State<AppState>,
    Extension(client): Extension<Client>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Value>, ApiError> {
    let lang = lang::of_request(&headers);
    let mut settings = settings_body(&headers, body)?;
    let store = &state.inner.store;
    let _saving = store.lock().await;
    keep_unchanged_secrets(&state, &mut settings).await?;
    let (config, entries) =
        validate(&settings, true, &state.inner.files).map_err(|e| ApiError::invalid(&e))?;
    let saved = store
        .load()
        .await
        .map_err(ApiError::internal("not_saved", "page-api-not-saved"))?;
    // Every mail key is set as the form says or removed; keys the schema does not know are
    // only ever added or changed, never removed: they may belong to the application.
    let known = ordered_keys();
    let mut changes: Vec<(&str, Option<&str>)> = known
        .iter()
        .map(|key| {
            let value = entries
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.as_str());
            (key.as_str(), value)
        })
        .collect();
    for (key, value) in &entries {
        if !known.contains(key) {
            changes.push((key.as_str(), Some(value.as_str())));
        }
    }
    let text = dotenv_file::edit(&saved.text, &changes)
        .map_err(ApiError::internal("not_writable", "page-api-not-written"))?;
    // What is written must load back as it was validated, or the application reading the file
    // would fail where the page said all was well.
    if let Err(errors) = SmtpConfig::load(&Sources::new().dotenv_str(store.path(), &text)) {
        let mut error = ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "not_saved",
            Message::new("page-api-not-load-back"),
        );
        error.errors = Some(Box::new(errors));
        return Err(error);
    }
    store
        .save(text)
        .await
        .map_err(ApiError::internal("not_saved", "page-api-save-failed"))?;
    let changed: Vec<&str> = changes
        .iter()
        .filter(|(key, value)| saved.get(key) != *value)
        .map(|(key, _)| *key)
        .collect();
    audit::record(&client, "save", &changed);
    Ok(Json(json!({
        "success": true,
        "warnings": config.warnings().iter().map(|w| w.in_lang(lang)).collect::<Vec<_>>(),
        "password_set": entries.iter().any(|(k, _)| k == "MAIL_PASSWORD"),
    })))
}

/// A setting as the text mailconf's JSON source makes of it; `None` for null (not set).
fn as_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Loads the settings with mailconf, after refusing file paths outside `--files-dir` (those
/// files are never opened), and when `for_saving` also checks that every value can be written
/// to the `.env` file exactly. Every problem is reported at once. On success, the entries to
/// write, in declaration order.
pub(super) fn validate(
    settings: &Map<String, Value>,
    for_saving: bool,
    files: &FilesDir,
) -> Result<(SmtpConfig, Vec<(String, String)>), Errors> {
    let mut extra = Vec::new();
    let mut checked = settings.clone();
    for key in path_keys() {
        let Some(path) = settings.get(&key).and_then(as_text) else {
            continue;
        };
        if let Err(refusal) = files.check(&path) {
            checked.remove(&key);
            extra.push(
                Error::new(
                    ErrorKind::InvalidValue {
                        detail: "file_not_allowed",
                    },
                    key.clone(),
                    refusal.message(),
                )
                .with_hint(refusal.hint())
                .with_origin(Origin::Json),
            );
        }
    }
    let loaded = SmtpConfig::from_json(&Value::Object(checked).to_string());
    let reported: Vec<String> = match &loaded {
        Ok(_) => Vec::new(),
        Err(errors) => errors.iter().map(|e| e.key().to_owned()).collect(),
    };
    let mut entries = Vec::new();
    for (key, value) in settings {
        let Some(text) = as_text(value) else { continue };
        if for_saving && !reported.contains(key) {
            let problem = if dotenv_file::is_portable_key(key) {
                dotenv_file::quote(&text).err().map(|e| e.message())
            } else {
                Some(Message::new("page-not-a-variable-name").arg("key", format!("{key:?}")))
            };
            if let Some(problem) = problem {
                extra.push(
                    Error::new(
                        ErrorKind::InvalidValue {
                            detail: "not_writable",
                        },
                        key.clone(),
                        problem,
                    )
                    .with_hint(Message::new("page-not-writable-hint"))
                    .with_origin(Origin::Json),
                );
            }
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
