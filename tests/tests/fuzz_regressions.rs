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

#[test]
fn a_quote_opened_inside_a_value_spans_lines_for_migrate_as_for_dotenvy() {
    // `migrate` found it: dotenvy lets a quote open anywhere in a value and reads on to the
    // line that closes it; the rewrite took that line for an assignment of its own (Laravel's
    // MAIL_HOST, a second time), removed it, and left a file with a quote never closed.
    use mailconf_smtp::migrate::rewrite;
    let before =
        "MAIL_HOST=smtp.example.com\nMAIL_FROM_NAME=Shop\"\nMAIL_HOST=x\"\nMAIL_PORT=587\n";
    assert_eq!(dotenvy_reads(before)[1].1, "Shop\nMAIL_HOST=x");

    let migration = rewrite(before).unwrap();
    assert_eq!(
        migration.text,
        "MAIL_SERVER=smtp.example.com\nMAIL_FROM_NAME=Shop\"\nMAIL_HOST=x\"\nMAIL_PORT=587\n"
    );
    assert_eq!(dotenvy_reads(&migration.text)[1].1, "Shop\nMAIL_HOST=x");
    assert!(rewrite(&migration.text).unwrap().changes.is_empty());
}

#[test]
fn a_translated_value_with_a_control_character_is_written_so_dotenvy_reads_it() {
    // The campaign's `migrate` run found it (finding 11): `SMTP_HOST=\x05 \r` at the end of a
    // file became `MAIL_SERVER=\x05 `, which dotenvy cannot parse, so the rewritten file did
    // not even load. The input is the seed fuzz/corpus/migrate/regression-lone-carriage-return.
    use mailconf_smtp::migrate::rewrite;
    let text = "#\n\nSMTP_HOST=\u{5} \r";
    let migration = rewrite(text).unwrap();
    assert_eq!(migration.text, "#\n\nMAIL_SERVER=\u{5} \r");
    let again = rewrite(&migration.text);
    assert!(again.is_ok(), "{:?} -> {again:?}", migration.text);
    assert_eq!(
        dotenvy_reads(&migration.text),
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
