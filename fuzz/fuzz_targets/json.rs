//! JSON bodies, as a settings form posts them to `SmtpConfig::from_json`.
//!
//! The text is loaded as it is. When it is a JSON object, it is loaded a second time with a
//! secret planted (the first byte chooses where): as `MAIL_PASSWORD`, in `MAIL_URL`, under a
//! misspelt key, or as a file read through `MAIL_PASSWORD_FILE`. Paths in `*_FILE` and
//! `MAIL_CA_FILE` are replaced by harmless ones so that the fuzzer never reads arbitrary files.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailconf_core::Sources;
use mailconf_fuzz::{SECRET, SECRET_IN_URL, is_file_key, load_and_check, safe_path};
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let Ok(mut value) = serde_json::from_str::<Value>(&text) else {
        // Syntax errors: a source error, never a panic, and the text is never quoted.
        load_and_check(&Sources::new().json(&text), false);
        return;
    };
    let Some(object) = value.as_object_mut() else {
        load_and_check(&Sources::new().json(&text), false);
        return;
    };
    for (key, v) in object.iter_mut() {
        if is_file_key(key) {
            let selector = v.as_str().and_then(|s| s.bytes().next()).unwrap_or(0);
            *v = Value::String(safe_path(selector).display().to_string());
        }
    }
    load_and_check(&Sources::new().json(&value.to_string()), false);
    let (key, secret) = match mode % 5 {
        0 => ("MAIL_PASSWORD", SECRET.to_owned()),
        1 => (
            "MAIL_URL",
            format!("smtps://app:{SECRET_IN_URL}@smtp.example.com:465"),
        ),
        2 => ("MAIL_PASSWROD", SECRET.to_owned()),
        3 => ("MAIL_PASSWORD_FILE", safe_path(0).display().to_string()),
        _ => ("mail_password", SECRET.to_owned()),
    };
    if let Some(object) = value.as_object_mut() {
        object.insert(key.to_owned(), Value::String(secret));
    }
    load_and_check(&Sources::new().json(&value.to_string()), true);
});
