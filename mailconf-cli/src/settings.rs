//! The effective settings with their origins, secrets redacted: what `check` prints.

use mailconf_core::{Lang, MailConfig, Message, Origin, REDACTED, Sources};
use mailconf_smtp::{SmtpConfig, SmtpUrl};
use serde::Serialize;

/// One setting as loaded.
#[derive(Debug, Serialize)]
pub struct Setting {
    pub key: String,
    pub value: String,
    pub origin: Option<Origin>,
}

/// Every setting that is set or has a default, in schema order.
pub fn effective(sources: &Sources, lang: Lang) -> Vec<Setting> {
    let mut out = Vec::new();
    // The entry SmtpConfig reads each setting from, under any of its names and whatever the case.
    for view in SmtpConfig::schema().view(sources) {
        let (entry, found) = (view.entry, view.found);
        let field = entry.field;
        let (value, origin) = match found {
            // A URL is worth showing but for its password; anything else secret is hidden whole.
            Some(e) if field.secret => (
                e.value()
                    .ok()
                    .and_then(SmtpUrl::redacted)
                    .unwrap_or_else(|| REDACTED.to_owned()),
                Some(e.origin().clone()),
            ),
            Some(e) if e.key() != entry.key => (
                Message::new("cli-setting-read-as")
                    .arg("value", e.value().unwrap_or("?"))
                    .arg("key", e.key())
                    .render(lang),
                Some(e.origin().clone()),
            ),
            Some(e) => (
                e.value().unwrap_or("?").to_owned(),
                Some(e.origin().clone()),
            ),
            None => match field.default {
                mailconf_core::DefaultValue::Text(t) => (t.to_owned(), Some(Origin::Default)),
                _ => continue,
            },
        };
        out.push(Setting {
            key: entry.key,
            value,
            origin,
        });
    }
    out
}
