//! A failed token request in Korean (issue 13 with issue 17's catalog): what went wrong and
//! what to change read in Korean for every answer a token endpoint gives, with the endpoint's
//! own `error` code and the setting's name kept as they are.

use mailconf_core::Lang;
use mailconf_smtp::oauth2::parse_token_response;
use mailconf_tests::korean::english_left;

/// Names written as they are: the products, and the labels of Microsoft's portal.
const NAMES: &[&str] = &["Google", "Workspace", "Entra", "Bearer", "Value"];

/// The OAuth2 errors a token endpoint refuses with, each alone and with Microsoft's AADSTS
/// codes (given without words, so that what is left is ours).
const REFUSALS: &[(&str, &[&str])] = &[
    ("invalid_client", &["", "AADSTS7000215", "AADSTS7000222"]),
    ("invalid_grant", &["", "AADSTS65001", "AADSTS700082"]),
    ("invalid_request", &["", "AADSTS90002", "AADSTS12345"]),
    ("unauthorized_client", &["", "AADSTS700016"]),
    ("invalid_scope", &["", "AADSTS70011"]),
    ("unsupported_grant_type", &[""]),
    ("temporarily_unavailable", &[""]),
];

/// Answers that are no token at all.
const NOT_TOKENS: &[(u16, &str)] = &[
    (500, "<html>Internal Server Error</html>"),
    (200, "not json"),
    (200, r#"{"token_type":"Bearer"}"#),
    (200, r#"{"access_token":"a b","token_type":"Bearer"}"#),
    (200, r#"{"access_token":"abc","token_type":"mac"}"#),
];

fn answers() -> Vec<(u16, String)> {
    let mut all: Vec<(u16, String)> = NOT_TOKENS
        .iter()
        .map(|(status, body)| (*status, (*body).to_owned()))
        .collect();
    for (error, codes) in REFUSALS {
        for code in *codes {
            let mut body = serde_json::json!({ "error": error });
            if !code.is_empty() {
                body["error_description"] = (*code).into();
            }
            all.push((400, body.to_string()));
        }
    }
    all
}

#[test]
fn every_token_endpoint_error_and_its_hint_read_in_korean() {
    for (status, body) in answers() {
        let e = parse_token_response(status, body.as_bytes()).unwrap_err();
        let (message, hint) = (e.message(), e.hint_message());
        for (what, korean, english) in [
            (
                "message",
                message.render(Lang::Ko),
                message.render(Lang::En),
            ),
            ("hint", hint.render(Lang::Ko), hint.render(Lang::En)),
        ] {
            let left = english_left(&korean, NAMES);
            assert!(left.is_empty(), "{body}: {what}: {left:?} in {korean}");
            // The English text is English: the check can fail.
            assert!(!english_left(&english, &[]).is_empty(), "{body}: {english}");
            if what == "message"
                && let Some(code) = e.error_code()
            {
                assert!(korean.contains(code), "{body}: {korean}");
            }
        }
    }
}

#[test]
fn the_endpoints_own_words_are_quoted_as_sent() {
    let body = r#"{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided."}"#;
    let e = parse_token_response(401, body.as_bytes()).unwrap_err();
    let korean = e.message().render(Lang::Ko);
    assert_eq!(
        korean,
        "토큰 엔드포인트가 요청을 거부했습니다(HTTP 401): invalid_client: AADSTS7000215: Invalid client secret provided."
    );
    assert!(
        e.hint_message()
            .render(Lang::Ko)
            .starts_with("클라이언트 암호가 틀렸습니다"),
        "{}",
        e.hint_message().render(Lang::Ko)
    );
}
