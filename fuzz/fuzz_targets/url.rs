//! `MAIL_URL` on its own: `SmtpUrl::from_value`, which also holds the password.
//!
//! The fuzzed text is parsed as it is, then with a login planted right after `://` (or in front
//! when there is none), so the password sits in a URL the fuzzer shapes around it. Neither the
//! error nor `Debug` of a parsed URL may show the password, raw or percent-encoded.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailconf_core::{FromValue, Invalid};
use mailconf_fuzz::{MARK, SECRET, SECRET_IN_URL, assert_hidden};
use mailconf_smtp::SmtpUrl;

fuzz_target!(|data: &[u8]| {
    let raw = String::from_utf8_lossy(data);
    let _ = check(&raw);
    let planted = match raw.split_once("://") {
        Some((scheme, rest)) => format!("{scheme}://app:{SECRET_IN_URL}@{rest}"),
        None => format!("smtps://app:{SECRET_IN_URL}@{raw}"),
    };
    if let Ok(url) = check(&planted)
        && let Some(password) = &url.password
        && password.expose_secret() == SECRET
    {
        assert_eq!(url.username.as_deref(), Some("app"));
    }
});

fn check(raw: &str) -> Result<SmtpUrl, Invalid> {
    let parsed = SmtpUrl::from_value(raw);
    let shown = match &parsed {
        Ok(url) => {
            let _ = url.effective_port();
            format!("{url:?} {:?} {}", url.host, url.host)
        }
        Err(invalid) => {
            assert_eq!(invalid.code, "invalid_url", "{invalid:?}");
            assert!(!invalid.message.to_string().is_empty());
            format!("{invalid} {invalid:?}")
        }
    };
    // The fuzzed part may hold the mark itself only where the planted login is not.
    if !raw
        .replacen(&format!("app:{SECRET_IN_URL}@"), "", 1)
        .contains(MARK)
    {
        assert_hidden(&shown);
    }
    parsed
}
