//! `mailconf check` parses TEMPLATE_FOLDER's templates as the Mailer does at start-up: a syntax
//! error is one more problem, keyed to TEMPLATE_FOLDER, with the file and the line.

mod support;

use serde_json::Value;
use support::{assert_has, example_starttls, mailconf, opens_with, run};

const PASSWORD: &str = "Distinctive-Pa55word-7f3a";

/// A template folder holding a good `base.html` and `welcome.html` broken on line 2.
fn broken_folder() -> tempfile::TempDir {
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(folder.path().join("base.html"), "<p>{{ name }}</p>\n").unwrap();
    std::fs::create_dir(folder.path().join("mail")).unwrap();
    std::fs::write(
        folder.path().join("mail/welcome.html"),
        "<p>{{ name }}님</p>\n<p>{% if link %}{{ link }</p>\n",
    )
    .unwrap();
    folder
}

#[test]
fn a_template_syntax_error_is_reported_with_the_other_problems() {
    let folder = broken_folder();
    let mut cmd = mailconf();
    let cmd = example_starttls(&mut cmd, PASSWORD)
        .env("MAIL_PORT", "99999")
        .env("TEMPLATE_FOLDER", folder.path());
    let text = opens_with(run(cmd, &["check"]), 1, "2 problems in SmtpConfig:");
    assert_has(
        &text,
        &[
            "MAIL_PORT: the port is above 65535",
            "TEMPLATE_FOLDER: the template mail/welcome.html has a syntax error on line 2: ",
            "the Mailer parses every template of this folder when it starts",
        ],
    );

    // Alone, it still fails the check; in Korean, and as JSON keyed to TEMPLATE_FOLDER.
    let mut cmd = mailconf();
    let cmd = example_starttls(&mut cmd, PASSWORD).env("TEMPLATE_FOLDER", folder.path());
    let (code, text) = run(cmd, &["--lang", "ko", "check"]);
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains(
            "TEMPLATE_FOLDER: 템플릿 mail/welcome.html의 2번째 줄에 문법 오류가 있습니다"
        ),
        "{text}"
    );
    let mut cmd = mailconf();
    let out = example_starttls(&mut cmd, PASSWORD)
        .env("TEMPLATE_FOLDER", folder.path())
        .args(["check", "--json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["ok"], false, "{v}");
    let errors = v["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{v}");
    assert_eq!(errors[0]["key"], "TEMPLATE_FOLDER", "{v}");
    assert_eq!(errors[0]["detail"], "invalid_template", "{v}");
    assert_eq!(errors[0]["origin"]["source"], "env", "{v}");
    assert!(!String::from_utf8_lossy(&out.stdout).contains(PASSWORD));
}

#[test]
fn a_folder_of_good_templates_passes() {
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(folder.path().join("welcome.html"), "<p>{{ name }}</p>\n").unwrap();
    let mut cmd = mailconf();
    let cmd = example_starttls(&mut cmd, PASSWORD).env("TEMPLATE_FOLDER", folder.path());
    let (code, text) = run(cmd, &["check"]);
    assert_eq!(code, Some(0), "{text}");
}
