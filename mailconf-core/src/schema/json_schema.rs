use serde_json::{Map, Value, json};

use super::{DefaultValue, FieldSchema, Schema};

pub(super) fn render(schema: &Schema) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for entry in schema.entries() {
        let f = entry.field;
        properties.insert(entry.key.clone(), property(f, &entry.renamed_from));
        if f.required() {
            required.push(Value::String(entry.key.clone()));
        }
        if let Some(file_key) = entry.names().file_key() {
            properties.insert(
                file_key.to_owned(),
                json!({
                    "type": "string",
                    "description": format!("Path of a file that holds {}.", entry.key),
                }),
            );
        }
        for alias in &entry.aliases {
            properties.insert(
                alias.clone(),
                json!({ "$ref": format!("#/properties/{}", entry.key) }),
            );
        }
    }
    // A flattened `allow_unknown` struct accepts any key under its prefix, as the loader does.
    let lenient = schema.lenient_prefixes();
    let mut out = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": schema.name,
        "description": schema.doc,
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": schema.allow_unknown || lenient.iter().any(String::is_empty),
    });
    if !lenient.is_empty() {
        let patterns: Map<String, Value> = lenient
            .iter()
            .map(|prefix| (format!("^{}", regex_escape(prefix)), json!({})))
            .collect();
        out["patternProperties"] = Value::Object(patterns);
    }
    out
}

/// `prefix` as a literal in an ECMA-262 regular expression.
fn regex_escape(prefix: &str) -> String {
    let mut out = String::with_capacity(prefix.len());
    for c in prefix.chars() {
        if "\\^$.|?*+()[]{}/-".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn property(f: &FieldSchema, renamed_from: &[String]) -> Value {
    let mut p = Map::new();
    p.insert(
        "type".into(),
        if f.optional {
            json!([f.json_type, "null"])
        } else {
            json!(f.json_type)
        },
    );
    if !f.choices.is_empty() {
        // The names as listed; the loader also takes them in any case, and aliases.
        let mut choices = json!(f.choices);
        if f.optional
            && let Some(list) = choices.as_array_mut()
        {
            list.push(Value::Null);
        }
        p.insert("enum".into(), choices);
    }
    p.insert("description".into(), json!(f.doc));
    p.insert("x-mailconf-type".into(), json!(f.type_name));
    if let DefaultValue::Text(t) = f.default
        && !f.secret
    {
        p.insert("default".into(), typed(f.json_type, t));
    }
    if f.secret {
        p.insert("writeOnly".into(), json!(true));
        p.insert("format".into(), json!("password"));
    }
    if f.type_name == "port" {
        p.insert("minimum".into(), json!(1));
        p.insert("maximum".into(), json!(65535));
    }
    if !renamed_from.is_empty() {
        p.insert("x-renamed-from".into(), json!(renamed_from));
    }
    Value::Object(p)
}

/// A literal default as the JSON type the property declares.
fn typed(json_type: &str, text: &str) -> Value {
    match json_type {
        "integer" | "number" => serde_json::from_str(text).unwrap_or_else(|_| json!(text)),
        "boolean" => {
            let truthy = ["true", "1", "yes", "on"]
                .iter()
                .any(|t| text.eq_ignore_ascii_case(t));
            json!(truthy)
        }
        _ => json!(text),
    }
}
