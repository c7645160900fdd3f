//! `.env` text, as `Sources::dotenv_str` reads it, loaded into `SmtpConfig`.
//!
//! The first byte chooses where the harness plants a secret after the fuzzed text: as
//! `MAIL_PASSWORD`, as the password in `MAIL_URL`, under a misspelt key, or nowhere. Whatever
//! the text, the planted secret must not show in any output (unless the text copies it into a
//! setting that is not secret, with `$MAIL_PASSWORD` say, where showing it is right).
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailconf_core::Sources;
use mailconf_fuzz::{SECRET, SECRET_IN_URL, load_and_check};

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let planted = match mode % 5 {
        0 => Some(format!("MAIL_PASSWORD='{SECRET}'")),
        1 => Some(format!(
            "MAIL_URL='smtps://app:{SECRET_IN_URL}@smtp.example.com'"
        )),
        2 => Some(format!("MAIL_PASWORD='{SECRET}'")),
        3 => Some(format!(
            "MAIL_URL=smtp://app:{SECRET_IN_URL}@localhost:2525"
        )),
        _ => None,
    };
    let text = match &planted {
        Some(line) => format!("{text}\n{line}\n"),
        None => text.into_owned(),
    };
    let sources = Sources::new().dotenv_str("fuzz.env", &text);
    load_and_check(&sources, planted.is_some());
});
