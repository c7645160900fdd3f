//! `mailconf check` in Korean (issue 17): on broken settings the whole report reads in Korean,
//! with the same keys and codes as the English run, in text and in JSON.

mod support;

use assert_cmd::Command;
use mailconf_tests::korean::english_left;
use serde_json::Value;
use support::{mailconf, stdout};

const PASSWORD: &str = "Distinctive-Pa55word-7f3a";

/// Broken settings people really have: the article's (Flask-Mail's MAIL_USE_TLS on 465), the
/// fastapi-mail rename, a port mix-up, values that do not parse, and good settings with
/// warnings.
const EXAMPLES: &[(&str, &[(&str, &str)])] = &[
    (
        "seed",
        &[
            ("MAIL_USERNAME", "app@gmail.com"),
            ("MAIL_PASSWORD", PASSWORD),
            ("MAIL_FROM", "app@gmail.com"),
            ("MAIL_PORT", "465"),
            ("MAIL_SERVER", "smtp.gmail.com"),
            ("MAIL_USE_TLS", "True"),
            ("MAIL_USE_SSL", "False"),
            ("USE_CREDENTIALS", "True"),
        ],
    ),
    (
        "renamed",
        &[
            ("MAIL_USERNAME", "app@example.com"),
            ("MAIL_PASSWORD", PASSWORD),
            ("MAIL_FROM", "app@example.com"),
            ("MAIL_PORT", "587"),
            ("MAIL_SERVER", "smtp.example.com"),
            ("MAIL_TLS", "true"),
            ("MAIL_SSL", "false"),
        ],
    ),
    (
        "mixup",
        &[
            ("MAIL_USERNAME", "app@example.com"),
            ("MAIL_PASSWORD", PASSWORD),
            ("MAIL_FROM", "app@example.com"),
            ("MAIL_PORT", "587"),
            ("MAIL_SERVER", "smtp.example.com"),
            ("MAIL_STARTTLS", "false"),
            ("MAIL_SSL_TLS", "true"),
        ],
    ),
    (
        "values",
        &[
            ("MAIL_USERNAME", "app@example.com"),
            ("MAIL_PASSWORD", PASSWORD),
            ("MAIL_FROM", "not-an-email"),
            ("MAIL_PORT", "99999"),
            ("MAIL_SERVER", "https://smtp.example.com/"),
            ("MAIL_STARTTLS", "maybe"),
            ("MAIL_SSL_TLS", "false"),
            ("TIMEOUT", "10x"),
            ("MAIL_PASWORD", "x"),
        ],
    ),
    (
        "both-tls",
        &[
            ("MAIL_URL", "smtp://smtp.example.com:587?tls=opportunistic"),
            ("MAIL_STARTTLS", "true"),
            ("MAIL_SSL_TLS", "true"),
            ("MAIL_FROM", "app@example.com"),
        ],
    ),
];

fn run(example: &[(&str, &str)], lang: &[(&str, &str)], args: &[&str]) -> (Option<i32>, String) {
    let mut cmd: Command = mailconf();
    cmd.envs(example.iter().copied())
        .envs(lang.iter().copied())
        .args(args);
    let out = cmd.output().unwrap();
    (out.status.code(), stdout(&out))
}

/// `(key, code)` of each problem line of a human report: `  - KEY: ... [code]`.
fn problems(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter_map(|line| {
            let rest = line.strip_prefix("  - ")?;
            let (key, _) = rest.split_once(": ")?;
            let code = rest.rsplit_once(" [")?.1.strip_suffix(']')?;
            Some((key.to_owned(), code.to_owned()))
        })
        .collect()
}

const KOREAN_ENVS: [&[(&str, &str)]; 2] = [&[("MAILCONF_LANG", "ko")], &[("LANG", "ko_KR.UTF-8")]];

/// No English sentence in `korean` but the example files' own values (a sender's name) and
/// the libraries' names as written.
fn assert_all_korean(korean: &str, what: &str) {
    let left = english_left(
        korean,
        &["Example", "App", "Symfony", "Mailer", "Nodemailer"],
    );
    assert!(left.is_empty(), "{what}: English left: {left:?}\n{korean}");
}

#[test]
fn check_reports_broken_settings_in_korean_with_the_same_keys_and_codes() {
    for (name, example) in EXAMPLES {
        let (status, english) = run(example, &[], &["check"]);
        assert_eq!(status, Some(1), "{name}: {english}");
        let english_problems = problems(&english);
        assert!(!english_problems.is_empty(), "{name}: {english}");
        // The check can fail: the English report is English.
        assert!(!english_left(&english, &[]).is_empty(), "{name}: {english}");
        for lang in KOREAN_ENVS {
            let (status, korean) = run(example, lang, &["check"]);
            assert_eq!(status, Some(1), "{name} {lang:?}: {korean}");
            assert_eq!(
                problems(&korean),
                english_problems,
                "{name} {lang:?}:\n{korean}"
            );
            assert_all_korean(&korean, &format!("{name} {lang:?}"));
            assert!(korean.contains("문제가"), "{name}: {korean}");
            assert!(!korean.contains(PASSWORD), "{name}: {korean}");
        }
    }
}

#[test]
fn check_json_in_korean_keeps_keys_fields_and_codes() {
    for (name, example) in EXAMPLES {
        let (_, english) = run(example, &[], &["check", "--json"]);
        let english: Value = serde_json::from_str(&english).unwrap();
        for lang in KOREAN_ENVS {
            let (_, korean) = run(example, lang, &["check", "--json"]);
            assert!(!korean.contains(PASSWORD), "{name}");
            let korean: Value = serde_json::from_str(&korean).unwrap();
            let (en, ko) = (
                english["errors"].as_array().unwrap(),
                korean["errors"].as_array().unwrap(),
            );
            assert_eq!(en.len(), ko.len(), "{name}");
            for (e, k) in en.iter().zip(ko) {
                for same in ["key", "field", "code", "detail", "origin", "input"] {
                    assert_eq!(e[same], k[same], "{name} {same}");
                }
                for text in ["message", "hint"] {
                    let Some(text) = k[text].as_str() else {
                        continue;
                    };
                    let left = english_left(text, &[]);
                    assert!(left.is_empty(), "{name}: {left:?} in {text}");
                }
            }
            for w in korean["warnings"].as_array().unwrap() {
                let message = w["message"].as_str().unwrap();
                assert!(english_left(message, &[]).is_empty(), "{name}: {message}");
            }
            assert_eq!(english["settings"], korean["settings"], "{name}");
        }
    }
}

#[test]
fn good_settings_with_warnings_read_in_korean() {
    let good: &[(&str, &str)] = &[
        ("MAIL_USERNAME", "app@example.com"),
        ("MAIL_PASSWORD", PASSWORD),
        ("MAIL_FROM", "app@example.com"),
        ("MAIL_PORT", "587"),
        ("MAIL_SERVER", "smtp.example.com"),
        ("MAIL_STARTTLS", "true"),
        ("MAIL_SSL_TLS", "false"),
        ("VALIDATE_CERTS", "false"),
        ("MAIL_TO", "someone@example.com"),
    ];
    let (status, korean) = run(good, &[], &["--lang", "ko", "check"]);
    assert_eq!(status, Some(0), "{korean}");
    assert!(korean.contains("smtp.example.com:587"), "{korean}");
    assert!(korean.contains("VALIDATE_CERTS: "), "{korean}");
    let left = english_left(&korean, &[]);
    assert!(left.is_empty(), "English left: {left:?}\n{korean}");
}

#[test]
fn the_language_is_chosen_by_flag_then_mailconf_lang_then_locale() {
    let example = EXAMPLES[1].1;
    let korean = |env: &[(&str, &str)], args: &[&str]| run(example, env, args).1.contains("문제가");
    assert!(korean(&[("LC_ALL", "ko_KR.UTF-8")], &["check"]));
    assert!(korean(&[("LC_MESSAGES", "ko_KR.UTF-8")], &["check"]));
    assert!(!korean(
        &[("LC_ALL", "en_US.UTF-8"), ("LANG", "ko_KR.UTF-8")],
        &["check"]
    ));
    assert!(korean(
        &[("MAILCONF_LANG", "ko"), ("LC_ALL", "en_US.UTF-8")],
        &["check"]
    ));
    assert!(!korean(
        &[("MAILCONF_LANG", "en"), ("LANG", "ko_KR.UTF-8")],
        &["check"]
    ));
    assert!(!korean(
        &[("MAILCONF_LANG", "ko")],
        &["--lang", "en", "check"]
    ));
    assert!(korean(&[], &["check", "--lang", "ko-KR"]));
    let out = mailconf().args(["--lang", "xx", "check"]).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "an unknown --lang is a usage error"
    );
}

/// `mailconf migrate` in Korean: each change and the summary on standard error, with the keys,
/// libraries and assignments as in English; the rewritten file itself is the same.
#[test]
fn migrate_reports_in_korean() {
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../mailconf-smtp/tests/data/dialects");
    for name in ["seed", "flask", "django", "laravel", "symfony", "node"] {
        let file = data.join(format!("{name}.env"));
        let run = |lang: &[(&str, &str)]| {
            let mut cmd: Command = mailconf();
            let out = cmd
                .envs(lang.iter().copied())
                .arg("migrate")
                .arg("--env-file")
                .arg(&file)
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(0), "{name}");
            (stdout(&out), support::stderr(&out))
        };
        let (english_file, english) = run(&[]);
        assert!(!english_left(&english, &[]).is_empty(), "{name}: {english}");
        for lang in KOREAN_ENVS {
            let (korean_file, korean) = run(lang);
            assert_eq!(korean_file, english_file, "{name}: the file is the same");
            let keys = |text: &str| -> Vec<String> {
                text.lines()
                    .filter_map(|l| {
                        l.strip_prefix("  - ")?
                            .split_once(' ')
                            .map(|(k, _)| k.to_owned())
                    })
                    .collect()
            };
            assert_eq!(keys(&korean), keys(&english), "{name}");
            assert!(!keys(&korean).is_empty(), "{name}: {korean}");
            assert_all_korean(&korean, &format!("{name} {lang:?}"));
        }
    }
    // Nothing to migrate, and a file that cannot be read, in Korean too.
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("plain.env");
    std::fs::write(&plain, "MAIL_SERVER=smtp.example.com\n").unwrap();
    for (file, status) in [(plain, Some(0)), (dir.path().join("missing.env"), Some(1))] {
        let mut cmd: Command = mailconf();
        let out = cmd
            .env("MAILCONF_LANG", "ko")
            .arg("migrate")
            .arg("--env-file")
            .arg(&file)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), status);
        let err = support::stderr(&out);
        assert!(
            err.chars().any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c)),
            "{err}"
        );
        let left = english_left(&err, &[]);
        assert!(left.is_empty(), "English left: {left:?}\n{err}");
    }
}
