//! The report of a broken load in Korean (issue 17): every message and hint in Korean, the
//! keys, codes and fields the same as in English, no English sentence left.

use mailconf_core::{Errors, Lang, MailConfig};
use mailconf_tests::fixtures::MailSettings;
use mailconf_tests::korean::english_left;

fn broken() -> Errors {
    MailSettings::from_map([
        ("MAIL_PASWORD", "hunter2-secret"),
        ("MAIL_FROM", "not-an-email"),
        ("MAIL_PORT", "99999"),
        ("MAIL_SERVER", "https://smtp.example.com/"),
        ("MAIL_TLS", "true"),
        ("MAIL_SSL_TLS", "maybe"),
        ("USE_CREDENTIALS", ""),
    ])
    .unwrap_err()
}

#[test]
fn the_korean_report_is_korean_with_the_same_keys_and_codes() {
    let errors = broken();
    assert!(errors.len() >= 6, "{errors}");
    let english = errors.to_string();
    let korean = errors.in_lang(Lang::Ko).to_string();
    assert_ne!(english, korean);
    assert!(korean.contains("문제가"), "{korean}");
    let left = english_left(&korean, &[]);
    assert!(
        left.is_empty(),
        "English left in the Korean report: {left:?}\n{korean}"
    );
    // The English report is English: the check can fail.
    assert!(!english_left(&english, &[]).is_empty(), "{english}");
    for error in &errors {
        assert!(korean.contains(&format!("{}: ", error.key())), "{korean}");
        let code = error.detail().unwrap_or(error.code());
        assert!(korean.contains(&format!("[{code}]")), "{korean}");
    }
    assert!(!korean.contains("hunter2"), "{korean}");
}

#[test]
fn korean_json_keeps_key_field_and_code() {
    let errors = broken();
    let english = serde_json::to_value(&errors).unwrap();
    let korean = serde_json::to_value(errors.in_lang(Lang::Ko)).unwrap();
    let (english, korean) = (english.as_array().unwrap(), korean.as_array().unwrap());
    assert_eq!(english.len(), korean.len());
    for (en, ko) in english.iter().zip(korean) {
        for same in ["key", "field", "code", "detail", "origin", "input"] {
            assert_eq!(en[same], ko[same], "{same}: {en} / {ko}");
        }
        let message = ko["message"].as_str().unwrap();
        assert_ne!(en["message"], ko["message"]);
        assert!(english_left(message, &[]).is_empty(), "{message}");
        if let Some(hint) = ko["hint"].as_str() {
            assert!(english_left(hint, &[]).is_empty(), "{hint}");
        }
    }
}
