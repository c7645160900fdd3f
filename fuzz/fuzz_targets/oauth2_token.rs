//! OAuth2 token-endpoint answers: `mailconf_smtp::oauth2::parse_token_response`, with any
//! status and any body.
//!
//! The result is an access token, or a `TokenError` with a message, a hint and the setting to
//! change, never a panic; and no token the endpoint sent shows in any of it. The harness plants
//! a marker in every string value of the body except the endpoint's own `error`,
//! `error_description` and `error_uri` (which the error rightly quotes): it must appear in no
//! `Display`, `Debug` or hint, whichever field or type the marker ended up in.
//!
//! Input shape (`arbitrary`): a status, mostly a common one, and either arbitrary bytes or a
//! JSON object of the fields token endpoints send, with values of every JSON type.
#![no_main]

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use mailconf_fuzz::MARK;
use mailconf_smtp::oauth2::parse_token_response;
use serde_json::{Map, Value, json};

const STATUSES: &[u16] = &[200, 201, 204, 301, 400, 401, 403, 404, 429, 500, 503];

const KEYS: &[&str] = &[
    "access_token",
    "token_type",
    "expires_in",
    "refresh_token",
    "scope",
    "id_token",
    "ext_expires_in",
    "error",
    "error_description",
    "error_uri",
    "error_codes",
];

/// The fields the error may quote as they are.
const QUOTED: &[&str] = &["error", "error_description", "error_uri"];

const TEXTS: &[&str] = &[
    "Bearer",
    "bearer",
    "MAC",
    "invalid_client",
    "invalid_grant",
    "AADSTS7000215: Invalid client secret provided.",
    "3599",
    "",
];

fn planted(u: &mut Unstructured<'_>) -> Result<String> {
    let text: String = u.arbitrary()?;
    // The marker first, so that truncating the value keeps it whole.
    Ok(format!("{MARK}{text}"))
}

fn value(u: &mut Unstructured<'_>, key: &str) -> Result<Value> {
    let quoted = QUOTED.contains(&key);
    Ok(match u.int_in_range(0..=6)? {
        0 => json!(u.arbitrary::<i64>()?),
        1 => json!(u.arbitrary::<f64>()?),
        2 => json!(u.arbitrary::<bool>()?),
        3 => Value::Null,
        4 if !quoted => json!([planted(u)?]),
        5 => json!(*u.choose(TEXTS)?),
        _ if quoted => json!(u.arbitrary::<String>()?),
        _ => json!(planted(u)?),
    })
}

fn body(u: &mut Unstructured<'_>) -> Result<Vec<u8>> {
    if u.ratio(1, 8)? {
        return u.arbitrary();
    }
    let mut object = Map::new();
    for _ in 0..u.int_in_range(0..=6)? {
        let key = if u.ratio(7, 8)? {
            (*u.choose(KEYS)?).to_owned()
        } else {
            // An unknown key holds a token too, as far as the harness knows.
            planted(u)?
        };
        let value = value(u, &key)?;
        object.insert(key, value);
    }
    Ok(serde_json::to_vec(&Value::Object(object)).expect("JSON serialises"))
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let status = match u.ratio(7, 8) {
        Ok(true) => *u.choose(STATUSES).unwrap_or(&200),
        _ => u.arbitrary().unwrap_or(200),
    };
    let Ok(body) = body(&mut u) else {
        return;
    };
    let shown = match parse_token_response(status, &body) {
        Ok(token) => format!("{token:?}"),
        Err(error) => {
            let message = error.to_string();
            assert!(!message.is_empty(), "{error:?}");
            assert!(!error.setting().is_empty(), "{error:?}");
            assert!(!error.hint().is_empty(), "{error:?}");
            format!("{message}\n{error:?}\n{}", error.hint())
        }
    };
    // The marker must not show unless the fuzzer itself wrote it into a field the error quotes
    // (or the body is not a JSON object, whose bytes the error never quotes either).
    let parsed = serde_json::from_slice::<Value>(&body).ok();
    let in_quoted = parsed
        .as_ref()
        .and_then(Value::as_object)
        .is_some_and(|object| {
            QUOTED
                .iter()
                .any(|k| object.get(*k).is_some_and(|v| v.to_string().contains(MARK)))
        });
    if !in_quoted {
        assert!(
            !shown.contains(MARK),
            "a token from the body shows:\n{shown}\nbody: {}",
            String::from_utf8_lossy(&body)
        );
    }
});
