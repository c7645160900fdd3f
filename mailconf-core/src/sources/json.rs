//! A JSON object keyed by variable names, as a settings web form posts it.

use mailconf_values::{Invalid, Message};
use serde_json::Value;

use super::Entry;
use crate::{Error, ErrorKind, Origin};

pub(super) fn parse(text: &str) -> (Vec<Entry>, Vec<Error>) {
    let object = match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(object)) => object,
        Ok(_) => {
            return (
                Vec::new(),
                vec![source_error(Message::new("source-json-not-object"))],
            );
        }
        // serde_json's message names line and column only, never the text.
        Err(e) => {
            return (
                Vec::new(),
                vec![source_error(
                    Message::new("source-json-parse")
                        .arg("line", e.line())
                        .arg("column", e.column()),
                )],
            );
        }
    };
    let entries = object
        .into_iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(key, v)| {
            let value = match v {
                Value::String(s) => Ok(s),
                Value::Bool(b) => Ok(b.to_string()),
                Value::Number(n) => Ok(n.to_string()),
                _ => Err(
                    Invalid::new("not_scalar", Message::new("source-json-not-scalar"))
                        .with_hint(Message::new("source-json-not-scalar-hint")),
                ),
            };
            Entry {
                key,
                value,
                origin: Origin::Json,
            }
        })
        .collect();
    (entries, Vec::new())
}

fn source_error(message: Message) -> Error {
    Error::new(ErrorKind::InvalidSource, "", message).with_origin(Origin::Json)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_become_text_and_null_is_unset() {
        let (entries, problems) = parse(r#"{"A": "x", "B": 587, "C": true, "D": null, "E": [1]}"#);
        assert!(problems.is_empty());
        let got: Vec<_> = entries
            .iter()
            .map(|e| (e.key.as_str(), e.value.clone().ok()))
            .collect();
        assert_eq!(
            got,
            [
                ("A", Some("x".into())),
                ("B", Some("587".into())),
                ("C", Some("true".into())),
                ("E", None)
            ]
        );
    }

    #[test]
    fn non_objects_and_syntax_errors_are_source_errors() {
        assert_eq!(parse("[1,2]").1[0].code(), "invalid_source");
        let (_, problems) = parse(r#"{"MAIL_PASSWORD": "topsecret-1"#);
        assert!(!problems[0].to_string().contains("topsecret"));
    }
}
