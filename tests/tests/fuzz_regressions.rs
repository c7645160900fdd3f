//! Inputs that fuzzing (fuzz/, scripts/fuzz.sh) found to break the loader's contract, each
//! kept as a test of the fix. The same inputs are seeds in fuzz/corpus/.

use std::time::{Duration, Instant};

use mailconf_core::{MailConfig, Sources};
use mailconf_smtp::SmtpConfig;

/// Every error names a key, unless the whole source is at fault.
fn assert_structured(errors: &mailconf_core::Errors) {
    for error in errors {
        assert!(
            !error.key().is_empty() || error.code() == "invalid_source",
            "{error:?}"
        );
    }
}

#[test]
fn an_empty_key_in_json_or_a_map_is_a_source_error() {
    // Was an `unknown_key` error with an empty key.
    let errors = SmtpConfig::from_json(r#"{"": 1, "MAIL_PORT": 587}"#).unwrap_err();
    assert_structured(&errors);
    let empty = errors.iter().find(|e| e.message().contains("empty name"));
    assert_eq!(empty.map(|e| e.code()), Some("invalid_source"), "{errors}");

    let errors = SmtpConfig::from_map([("", "x")]).unwrap_err();
    assert_structured(&errors);
}

#[test]
fn a_secret_or_ca_file_that_never_ends_is_refused_at_once() {
    // Was read until memory ran out: a settings form could post these paths.
    for key in ["MAIL_PASSWORD_FILE", "MAIL_CA_FILE"] {
        let started = Instant::now();
        let body = format!(r#"{{"{key}": "/dev/zero"}}"#);
        let errors = SmtpConfig::load(&Sources::new().json(&body)).unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(2));
        let error = errors.get(key).unwrap_or_else(|| panic!("{errors}"));
        assert!(error.to_string().contains("not a regular file"), "{error}");
    }
}

#[test]
fn a_display_name_of_one_space_survives_a_round_trip() {
    // `values` found it: the name `" "` was written unquoted and read back as no name.
    use mailconf_core::{FromValue, Mailbox};
    let mailbox = Mailbox::from_value(r#"" "<jxoe@a.0.com>"#).unwrap();
    assert_eq!(mailbox.name.as_deref(), Some(" "));
    let again = Mailbox::from_value(&mailbox.to_string()).unwrap();
    assert_eq!(again, mailbox, "written as {mailbox}");
}

#[test]
fn a_recipient_name_with_a_line_break_is_an_error_not_a_panic() {
    // `message` found it: lettre panics while writing the `To` header of such a name.
    use mailconf_core::{EmailAddress, FromValue, Mailbox};
    use mailconf_smtp::{ComposeError, Mailer};
    let config = SmtpConfig::from_map([
        ("MAIL_SERVER", "localhost"),
        ("MAIL_PORT", "2525"),
        ("MAIL_STARTTLS", "false"),
        ("MAIL_SSL_TLS", "false"),
        ("USE_CREDENTIALS", "false"),
        ("MAIL_FROM", "app@example.com"),
    ])
    .unwrap();
    let mailer = Mailer::new(&config).unwrap();
    let to = Mailbox {
        name: Some("Jo\r\nBcc: evil@example.com".to_owned()),
        email: EmailAddress::from_value("jo@example.com").unwrap(),
    };
    let error = mailer
        .verification_email(&to, "App", "https://example.com/confirm")
        .unwrap_err();
    assert!(matches!(error, ComposeError::Recipient { .. }), "{error}");
    assert!(error.to_string().contains("line break"), "{error}");
}

/// What dotenvy reads from `text`.
fn dotenvy_reads(text: &str) -> Vec<(String, String)> {
    dotenvy::from_read_iter(text.as_bytes())
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| panic!("dotenvy refuses {text:?}: {e}"))
}

#[test]
fn an_assignment_with_a_stray_carriage_return_is_edited_where_dotenvy_reads_it() {
    // `dotenv_writer` found it: dotenvy skips any whitespace before a key, a lone `\r` too;
    // the writer took such a line for no assignment, so removing the key left it in place and
    // setting it appended a second assignment that dotenvy, which keeps the first, ignores.
    use mailconf_core::dotenv_file::edit;
    let before = "A=1\n\r\rMAIL_PORT=25\n";
    assert_eq!(dotenvy_reads(before)[1], ("MAIL_PORT".into(), "25".into()));

    let removed = edit(before, &[("MAIL_PORT", None)]).unwrap();
    assert_eq!(dotenvy_reads(&removed), [("A".into(), "1".into())]);

    let set = edit(before, &[("MAIL_PORT", Some("587"))]).unwrap();
    assert_eq!(set, "A=1\n\r\rMAIL_PORT='587'\n");

    // And between the key and `=`.
    let before = "MAIL_PORT\r=25\n";
    assert_eq!(dotenvy_reads(before), [("MAIL_PORT".into(), "25".into())]);
    assert_eq!(edit(before, &[("MAIL_PORT", None)]).unwrap(), "");
}

/// `migrate`'s rewrite of `before`, which must be `after`; rewriting it again changes nothing.
fn rewrites_to(before: &str, after: &str) -> mailconf_smtp::migrate::Migration {
    let migration = mailconf_smtp::migrate::rewrite(before).unwrap();
    assert_eq!(migration.text, after);
    let again = mailconf_smtp::migrate::rewrite(after);
    assert!(
        again.as_ref().is_ok_and(|again| again.changes.is_empty()),
        "{after:?} -> {again:?}"
    );
    migration
}

#[test]
fn a_quote_opened_inside_a_value_spans_lines_for_migrate_as_for_dotenvy() {
    // `migrate` found it: dotenvy lets a quote open anywhere in a value and reads on to the
    // line that closes it; the rewrite took that line for an assignment of its own (Laravel's
    // MAIL_HOST, a second time), removed it, and left a file with a quote never closed.
    let before =
        "MAIL_HOST=smtp.example.com\nMAIL_FROM_NAME=Shop\"\nMAIL_HOST=x\"\nMAIL_PORT=587\n";
    assert_eq!(dotenvy_reads(before)[1].1, "Shop\nMAIL_HOST=x");
    let after =
        "MAIL_SERVER=smtp.example.com\nMAIL_FROM_NAME=Shop\"\nMAIL_HOST=x\"\nMAIL_PORT=587\n";
    rewrites_to(before, after);
    assert_eq!(dotenvy_reads(after)[1].1, "Shop\nMAIL_HOST=x");
}

#[test]
fn a_translated_value_with_a_control_character_is_written_so_dotenvy_reads_it() {
    // The campaign's `migrate` run found it (finding 11): `SMTP_HOST=\x05 \r` at the end of a
    // file became `MAIL_SERVER=\x05 `, which dotenvy cannot parse, so the rewritten file did
    // not even load. The input is the seed fuzz/corpus/migrate/regression-lone-carriage-return.
    let after = "#\n\nMAIL_SERVER=\u{5} \r";
    rewrites_to("#\n\nSMTP_HOST=\u{5} \r", after);
    assert_eq!(
        dotenvy_reads(after),
        [("MAIL_SERVER".to_owned(), "\u{5}".to_owned())]
    );
}

#[test]
fn an_attachment_name_shaped_like_an_encoded_word_is_read_back_as_given() {
    // `email` found it (finding 10): lettre writes an ASCII file name as a quoted string, and
    // readers decode one shaped like an RFC 2047 encoded word, so `=?utf-8?q?x?=.pdf` arrived
    // as `x.pdf` (docs/RELIABILITY.md, finding 10).
    use mailconf_smtp::email::{Attachment, Email};
    use mailconf_tests::mime_check;
    let names = [
        "=?utf-8?q?x?=.pdf",
        "=?utf-8?b?7ZWc6riA?= 보고서.csv",
        "Re: =?x?= a name longer than one header line could ever hold, split in pieces.txt",
    ];
    let logo = "=?utf-8?q?logo?=.png";
    let mut email = Email::new()
        .to("a@example.org")
        .subject("첨부")
        .text("본문")
        .html("<p>본문</p><img src=\"cid:logo@example.com\">")
        .inline(
            "logo@example.com",
            Attachment::new(logo, vec![137, 80, 78, 71]),
        );
    for name in names {
        email = email.attach(Attachment::new(name, "가나다\n"));
    }
    let from = "App <app@example.com>".parse().unwrap();
    let raw = email.build(from, "<1@example.com>").unwrap().formatted();
    let Some(parsed) = mime_check::parse(&raw) else {
        return;
    };
    parsed.assert_well_formed();
    for name in names.into_iter().chain([logo]) {
        assert!(
            parsed.attachment(name).is_some(),
            "{name:?} not read back: {:?}\n{}",
            parsed.parts.iter().map(|p| &p.filename).collect::<Vec<_>>(),
            String::from_utf8_lossy(&raw)
        );
    }
}

#[test]
fn a_key_set_twice_is_rewritten_from_the_line_that_is_read() {
    // The campaign's `migrate` run found it (finding 13): with Django's EMAIL_PORT set twice,
    // the rewrite kept the first line's value but computed the TLS settings from the value
    // read, the last one: port 587 with implicit TLS, and a second rewrite refused the file.
    // The input is the seed fuzz/corpus/migrate/regression-key-set-twice.
    let before =
        "EMAIL_HOST=smtp.example.com\nEMAIL_PORT=587\nemail_port=465\nEMAIL_USE_TLS=True\n";
    let after =
        "MAIL_SERVER=smtp.example.com\nMAIL_PORT=465\nMAIL_STARTTLS='False'\nMAIL_SSL_TLS='True'\n";
    let migration = rewrites_to(before, after);
    let actions: Vec<(&str, &str)> = migration
        .changes
        .iter()
        .map(|c| (c.key.as_str(), c.action.as_str()))
        .collect();
    assert_eq!(
        actions[1..3],
        [
            (
                "EMAIL_PORT",
                "removed: the file sets it again further down, and that later line is the one read"
            ),
            ("email_port", "set MAIL_PORT=465 instead")
        ]
    );

    // The input the fuzzer found: it rewrites, and the result rewrites to itself.
    let found = include_bytes!("../../fuzz/corpus/migrate/regression-key-set-twice");
    let text = String::from_utf8_lossy(&found[1..]);
    let migration = mailconf_smtp::migrate::rewrite(&format!("SMTP_PASS='x'\n{text}")).unwrap();
    rewrites_to(&migration.text, &migration.text);
}

#[test]
fn a_foreign_tls_key_left_in_place_is_left_on_every_pass() {
    // The campaign's `migrate` run found it (finding 15): Node's SMTP_SECURE is left in place
    // because MAIL_SSL_TLS is set, but it was still translated, with Node's default port on the
    // first pass and, on the second, with the `MAIL_PORT=` that pass renamed Django's
    // EMAIL_PORT to; the second pass refused the file. The input is the seed
    // fuzz/corpus/migrate/regression-tls-key-left-in-place.
    let found = include_bytes!("../../fuzz/corpus/migrate/regression-tls-key-left-in-place");
    let before = std::str::from_utf8(&found[1..]).unwrap();
    assert_eq!(before, "EMAIL_PORT=\nSMTP_SECURE=f\nMAIL_SSL_TLS=");
    let migration = rewrites_to(before, "MAIL_PORT=\nSMTP_SECURE=f\nMAIL_SSL_TLS=");
    let changed: Vec<&str> = migration.changes.iter().map(|c| c.key.as_str()).collect();
    assert_eq!(changed, ["EMAIL_PORT"]);

    // A key left in place is not refused either: its library reads it, fastapi-mail reads its
    // own keys, and `check` judges those.
    for before in [
        "MAIL_PORT=\nSMTP_SECURE=f\nMAIL_SSL_TLS=",
        "MAIL_STARTTLS=True\nEMAIL_USE_TLS=maybe\n",
        "MAIL_SERVER=smtp.example.com\nMAILER_DSN=ses://key@default\n",
    ] {
        rewrites_to(before, before);
    }
}
