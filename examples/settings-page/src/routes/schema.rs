//! `GET /api/schema`: what the form is built from, with its words in the request's language.

use axum::Json;
use axum::http::HeaderMap;
use mailconf_core::{Lang, MailConfig, Message, NameKind, type_name_message};
use mailconf_messages::Catalog;
use mailconf_smtp::{Provider, Security, SmtpConfig};
use serde_json::{Map, Value, json};

use super::{ordered_keys, required_keys};
use crate::lang;

/// The page's name for a TLS mode: mailconf's own (`Security::name`).
pub(crate) fn tls_mode_name(security: Security, lang: Lang) -> String {
    security.name().render(lang)
}

/// The catalog id suffix of a variable: `mail-server` for `MAIL_SERVER`.
fn id_part(key: &str) -> String {
    key.to_ascii_lowercase().replace('_', "-")
}

/// The label, help and placeholder (the kind of value) of each setting's control, from the
/// catalog (`page-label-…`, `page-help-…`, `type-…`); a `*_FILE` variant is named after its
/// setting. A setting the catalog does not
/// name yet keeps its doc comment (tests::every_setting_has_words fails until it is named).
fn labels(lang: Lang) -> Value {
    let catalog = Catalog::get(lang);
    let words =
        |kind: &str, key: &str| catalog.format(&format!("page-{kind}-{}", id_part(key)), &[]);
    let mut out = Map::new();
    for entry in SmtpConfig::schema().entries() {
        let key = entry.key.clone();
        let placeholder = type_name_message(entry.field.type_name).render(lang);
        let (Some(label), Some(help)) = (words("label", &key), words("help", &key)) else {
            let doc = entry.field.doc.to_owned();
            let said = json!({"label": key, "help": doc, "placeholder": placeholder});
            out.insert(key.clone(), said);
            continue;
        };
        for (name, kind) in entry.names().read() {
            let name = name.into_owned();
            let said = match kind {
                NameKind::File => json!({
                    "label": Message::new("page-label-file").arg("label", label.as_str()).render(lang),
                    "help": Message::new("page-help-file").arg("key", key.as_str()).render(lang),
                    "placeholder": Message::new("type-path").render(lang),
                }),
                _ => json!({"label": label, "help": help, "placeholder": placeholder}),
            };
            out.insert(name, said);
        }
    }
    Value::Object(out)
}

/// The presets the form's Provider choice offers, from mailconf_smtp's provider table: each
/// fills the server, the port and the Encryption choice (a `{region}` in the host is left for
/// the administrator to replace, and refused until then). The note is the catalog's
/// `provider-note-…` in `lang`.
fn providers(lang: Lang) -> Value {
    let catalog = Catalog::get(lang);
    let presets: Vec<Value> = Provider::all()
        .iter()
        .map(|p| {
            let preset = p.preset();
            let note = catalog
                .format(&format!("provider-note-{}", p.id), &[])
                .unwrap_or_else(|| p.note.to_owned());
            json!({
                "id": p.id,
                "name": p.name,
                "host": p.host,
                "port": preset.port,
                "tls": preset.security,
                "username": p.username,
                "note": note,
                "source": p.source,
            })
        })
        .collect();
    Value::Array(presets)
}

/// The modes the form's Encryption choice offers, with the usual port and the two flags of each
/// from `Security`'s table, so the page restates none of them.
fn tls_modes(lang: Lang) -> Value {
    let modes: Vec<Value> = Security::ALL
        .into_iter()
        .map(|security| {
            let (starttls, ssl_tls) = security.flag_values();
            json!({
                "value": security,
                "name": tls_mode_name(security, lang),
                "port": security.default_port().get(),
                "flags": [starttls, ssl_tls],
                "trusted_networks_only": security == Security::Plain,
            })
        })
        .collect();
    Value::Array(modes)
}

/// `GET /api/schema`: SmtpConfig's JSON Schema (descriptions from its doc comments, in
/// English: the schema is for programs too), plus `x-order`, the declaration order,
/// `x-required`, the variables the form marks required, `x-labels`, each control's label and
/// help in the request's language, `x-tls-modes`, the choices of the Encryption field, and
/// `x-providers`, the presets of the Provider choice that fills the server, port and encryption.
pub(crate) async fn schema(headers: HeaderMap) -> Json<Value> {
    let lang = lang::of_request(&headers);
    let mut schema = SmtpConfig::schema().json_schema();
    if let Some(object) = schema.as_object_mut() {
        object.insert("x-order".to_owned(), json!(ordered_keys()));
        object.insert("x-required".to_owned(), json!(required_keys()));
        object.insert("x-labels".to_owned(), labels(lang));
        object.insert("x-tls-modes".to_owned(), tls_modes(lang));
        object.insert("x-providers".to_owned(), providers(lang));
    }
    Json(schema)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_setting_has_words() {
        for lang in Lang::ALL {
            let catalog = Catalog::get(lang);
            for entry in SmtpConfig::schema().entries() {
                for kind in ["label", "help"] {
                    let id = format!("page-{kind}-{}", id_part(&entry.key));
                    assert!(catalog.has(&id), "{lang}: {id} for {}", entry.key);
                }
            }
            let labels = labels(lang);
            for key in ordered_keys() {
                assert!(labels[&key]["label"].is_string(), "{lang}: {key}");
            }
        }
        let ko = labels(Lang::Ko);
        assert_eq!(ko["MAIL_SERVER"]["label"], "서버");
        assert_eq!(ko["MAIL_PASSWORD_FILE"]["label"], "비밀번호 (파일)");
        assert_eq!(labels(Lang::En)["MAIL_PORT"]["label"], "Port");
    }

    #[test]
    fn every_provider_has_a_note_in_every_language() {
        for p in Provider::all() {
            let id = format!("provider-note-{}", p.id);
            for lang in Lang::ALL {
                assert!(Catalog::get(lang).has(&id), "{lang}: {id}");
            }
            // The table's note and the catalog's English say the same.
            assert_eq!(
                Catalog::get(Lang::En).format(&id, &[]).as_deref(),
                Some(p.note)
            );
        }
    }
}
