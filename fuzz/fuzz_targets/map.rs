//! The loader `#[derive(MailConfig)]` generates for `SmtpConfig`, fed key/value pairs
//! (`SmtpConfig::from_map` and a layered `Sources` stack).
//!
//! Keys are mostly the config's own names (aliases, old names and `*_FILE` variants included),
//! sometimes misspelt, lower-cased or arbitrary; values come from a small dictionary of
//! interesting settings or are arbitrary text. A secret is planted as the password, in
//! `MAIL_URL`, in a password file or under an unknown key, and must never show.
#![no_main]

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use mailconf_core::Sources;
use mailconf_fuzz::{SECRET, SECRET_IN_URL, is_file_key, keys, load_and_check, safe_path};

const VALUES: &[&str] = &[
    "",
    " ",
    "587",
    "465",
    "25",
    "0",
    "65536",
    "true",
    "false",
    "1",
    "yes",
    "smtp.example.com",
    "localhost",
    "127.0.0.1",
    "[::1]",
    "app@example.com",
    "Example App <app@example.com>",
    "smtps://app:pw@smtp.example.com",
    "smtp://app:pw@smtp.example.com:587?tls=required",
    "smtp://localhost:2525",
    "30s",
    "500ms",
    "100/min",
    "5/s",
    "4",
    "app",
];

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok((pairs, planted, layered)) = input(&mut u) else {
        return;
    };
    if layered {
        // The same pairs split over an environment-like layer and a map layer.
        let (first, second) = pairs.split_at(pairs.len() / 2);
        let sources = Sources::new()
            .dotenv_str("layer.env", "")
            .map(first.iter().cloned())
            .map(second.iter().cloned());
        load_and_check(&sources, planted);
    } else {
        load_and_check(&Sources::new().map(pairs), planted);
    }
});

type Pairs = Vec<(String, String)>;

fn input(u: &mut Unstructured<'_>) -> Result<(Pairs, bool, bool)> {
    let all = &keys().all;
    let count = u.int_in_range(0..=24)?;
    let mut pairs = Vec::with_capacity(count + 1);
    for _ in 0..count {
        let key = match u.int_in_range(0..=9)? {
            0..=6 => u.choose(all)?.clone(),
            7 => {
                let key = u.choose(all)?.clone();
                misspell(u, &key)?
            }
            8 => u.choose(all)?.to_lowercase(),
            _ => u.arbitrary::<String>()?,
        };
        let value = if is_file_key(&key) {
            safe_path(u.arbitrary()?).display().to_string()
        } else if u.ratio(1, 2)? {
            (*u.choose(VALUES)?).to_owned()
        } else {
            u.arbitrary::<String>()?
        };
        pairs.push((key, value));
    }
    let plant = match u.int_in_range(0..=5)? {
        0 => Some(("MAIL_PASSWORD".to_owned(), SECRET.to_owned())),
        1 => Some((
            "MAIL_URL".to_owned(),
            format!("smtps://app:{SECRET_IN_URL}@smtp.example.com"),
        )),
        2 => Some((
            "MAIL_URL".to_owned(),
            format!("smtp://app:{SECRET_IN_URL}@example.com:25"),
        )),
        3 => Some((
            "MAIL_PASSWORD_FILE".to_owned(),
            safe_path(0).display().to_string(),
        )),
        4 => Some((misspell(u, "MAIL_PASSWORD")?, SECRET.to_owned())),
        _ => None,
    };
    let planted = plant.is_some();
    if let Some(pair) = plant {
        let at = u.int_in_range(0..=pairs.len())?;
        pairs.insert(at, pair);
    }
    Ok((pairs, planted, u.arbitrary()?))
}

/// The key with one character dropped, doubled or replaced.
fn misspell(u: &mut Unstructured<'_>, key: &str) -> Result<String> {
    let mut chars: Vec<char> = key.chars().collect();
    if chars.is_empty() {
        return Ok(String::new());
    }
    let at = u.choose_index(chars.len())?;
    match u.int_in_range(0..=2)? {
        0 => {
            chars.remove(at);
        }
        1 => chars.insert(at, chars[at]),
        _ => chars[at] = char::from(u.int_in_range(b'A'..=b'Z')?),
    }
    Ok(chars.into_iter().collect())
}
