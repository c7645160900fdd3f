//! Every `FromValue` parser on the same input: no panic, a structured error (code and message),
//! and an error never quotes the input (a value may be a secret: `Secret<T>` reuses `T`'s
//! parser). Values that parse go through `Display` and back where the type has one.
#![no_main]

use std::path::PathBuf;
use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use mailconf_core::{EmailAddress, FromValue, Host, Invalid, Lang, Mailbox, Port, Secret};
use mailconf_fuzz::MARK;
use mailconf_smtp::{RateLimit, SmtpUrl};

fuzz_target!(|data: &[u8]| {
    let raw = String::from_utf8_lossy(data);
    check_all(&raw);
    // The same input with a marker at each end: an error that quotes the input, or the part
    // of it next to either end, shows the marker, which no fixed text contains.
    check_all(&format!("{MARK}{raw}"));
    check_all(&format!("{raw}{MARK}"));
});

fn check_all(raw: &str) {
    if let Ok(port) = parse::<Port>(raw) {
        assert_eq!(Port::from_value(&port.to_string()), Ok(port));
    }
    if let Ok(host) = parse::<Host>(raw) {
        // The canonical form (ASCII, lower case) parses to itself.
        let again = Host::from_value(&host.to_string())
            .unwrap_or_else(|e| panic!("{host:?} does not parse back: {e}"));
        assert_eq!(again, host);
    }
    if let Ok(email) = parse::<EmailAddress>(raw) {
        // Spaces around the whole value are ignored, as pydantic's `EmailStr` does.
        assert_eq!(email.as_str(), raw.trim());
        assert_eq!(
            format!("{}@{}", email.local_part(), email.domain()),
            email.as_str()
        );
    }
    if let Ok(mailbox) = parse::<Mailbox>(raw) {
        let again = Mailbox::from_value(&mailbox.to_string())
            .unwrap_or_else(|e| panic!("{mailbox:?} shown as {mailbox} does not parse back: {e}"));
        assert_eq!(again, mailbox);
    }
    if let Ok(duration) = parse::<Duration>(raw) {
        assert!(duration.as_millis() <= u128::from(u64::MAX));
    }
    if let Ok(limit) = parse::<RateLimit>(raw) {
        assert!(limit.interval() > Duration::ZERO || limit.messages.get() > 1_000_000_000);
        assert_eq!(RateLimit::from_value(&limit.to_string()), Ok(limit));
    }
    if let Ok(url) = parse::<SmtpUrl>(raw) {
        let shown = format!("{url:?}");
        // The user name and host are shown; a password that happens to be part of them is
        // not told apart.
        let visible = format!("{:?} {:?}", url.username, url.host);
        if let Some(password) = &url.password
            && password.expose_secret().len() > 2
            && !visible.contains(password.expose_secret().as_str())
        {
            assert!(
                !shown.contains(password.expose_secret().as_str()),
                "{shown}"
            );
        }
        let _ = url.effective_port();
    }
    let _ = parse::<bool>(raw);
    let _ = parse::<u8>(raw);
    let _ = parse::<u16>(raw);
    let _ = parse::<u32>(raw);
    let _ = parse::<u64>(raw);
    let _ = parse::<i64>(raw);
    let _ = parse::<usize>(raw);
    let _ = parse::<f64>(raw);
    let _ = parse::<String>(raw);
    let _ = parse::<PathBuf>(raw);
    let _ = parse::<Option<Port>>(raw);
    let _ = parse::<Vec<Port>>(raw);
    let _ = parse::<Vec<EmailAddress>>(raw);
    let _ = parse::<Vec<Mailbox>>(raw);
    let _ = parse::<Secret<String>>(raw);
    let _ = parse::<Option<Secret<String>>>(raw);
}

fn parse<T: FromValue>(raw: &str) -> Result<T, Invalid> {
    let result = T::from_value(raw);
    if let Err(invalid) = &result {
        check_invalid::<T>(raw, invalid);
    }
    result
}

fn check_invalid<T: FromValue>(raw: &str, invalid: &Invalid) {
    let what = std::any::type_name::<T>();
    assert!(
        !invalid.code.is_empty()
            && invalid
                .code
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b == b'_' || b.is_ascii_digit()),
        "{what}: bad code {:?}",
        invalid.code
    );
    for lang in [Lang::En, Lang::Ko] {
        assert!(
            !invalid.message.render(lang).is_empty(),
            "{what}: empty message in {lang:?}"
        );
    }
    let hints = [Lang::En, Lang::Ko].map(|lang| {
        invalid
            .hint
            .as_ref()
            .map(|h| h.render(lang))
            .unwrap_or_default()
    });
    let shown = format!(
        "{invalid}\n{invalid:?}\n{}\n{}\n{}",
        invalid.message.render(Lang::Ko),
        hints[0],
        hints[1]
    );
    if raw.contains(MARK) {
        assert!(
            !shown.contains(MARK),
            "{what}: the error quotes its input:\n{shown}"
        );
    }
}
