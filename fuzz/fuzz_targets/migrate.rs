//! `mailconf migrate`'s rewrite (`mailconf_smtp::migrate::rewrite`) of any `.env` text.
//!
//! The first byte chooses a secret the harness plants in another library's password key (or
//! nowhere), before or after the fuzzed text. The contract:
//! - no panic; an error never shows the planted secret;
//! - a file with nothing to change comes back byte for byte;
//! - every piece of the file (line, comment, multi-line assignment) whose key was not changed
//!   is in the output, byte for byte and in order;
//! - the report of changes never shows the secret;
//! - the rewrite is done in one go: rewriting its output again changes nothing.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailconf_core::dotenv_file::pieces;
use mailconf_fuzz::{MARK, SECRET, SECRET_IN_URL};
use mailconf_smtp::migrate::rewrite;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let fuzzed = String::from_utf8_lossy(rest);
    let planted = match mode % 6 {
        0 => Some(format!("EMAIL_HOST_PASSWORD='{SECRET}'")),
        1 => Some(format!("SMTP_PASS='{SECRET}'")),
        2 => Some(format!(
            "MAILER_DSN='smtp://app:{SECRET_IN_URL}@smtp.example.com:587'"
        )),
        3 => Some(format!("MAIL_PASSWORD='{SECRET}'")),
        _ => None,
    };
    let text = match &planted {
        Some(line) if mode & 0x80 == 0 => format!("{fuzzed}\n{line}\n"),
        Some(line) => format!("{line}\n{fuzzed}"),
        None => fuzzed.clone().into_owned(),
    };
    // The fuzzer may copy the mark into a setting that is not secret; then showing it is right.
    let watch = planted.is_some() && !fuzzed.contains(MARK);

    let migration = match rewrite(&text) {
        Ok(migration) => migration,
        Err(error) => {
            if watch {
                for shown in [error.to_string(), format!("{error:?}")] {
                    assert!(!shown.contains(MARK), "the secret in {shown}");
                }
            }
            return;
        }
    };
    if migration.changes.is_empty() {
        assert_eq!(migration.text, text);
    }
    if watch {
        for change in &migration.changes {
            for shown in [change.to_string(), format!("{change:?}")] {
                assert!(!shown.contains(MARK), "the secret in {shown}");
            }
        }
    }
    let changed: Vec<&str> = migration.changes.iter().map(|c| c.key.as_str()).collect();
    let mut rest = migration.text.as_str();
    for piece in pieces(&text) {
        if piece.key.is_some_and(|key| changed.contains(&key)) {
            continue;
        }
        match rest.find(piece.text) {
            Some(at) => rest = &rest[at + piece.text.len()..],
            None => panic!("{:?} was lost or moved: {:?}", piece.text, migration.text),
        }
    }
    let again = rewrite(&migration.text).expect("a rewritten file rewrites again");
    assert!(
        again.changes.is_empty(),
        "a second rewrite changed {:?}",
        again.changes
    );
    assert_eq!(again.text, migration.text);
});
