//! The `.env` writer the settings page saves with (`mailconf_core::dotenv_file`).
//!
//! The input is split at 0xFF bytes into an existing file, a key and a value. The contract:
//! - [`quote`] either refuses the value with an [`Unwritable`] whose position points at the
//!   character it names, or writes it so that dotenvy reads back exactly the value;
//! - [`edit`] setting (or removing) the key either refuses with the same error as
//!   [`assignment`], or gives a file that dotenvy reads with the key set to the value (or gone)
//!   and every other key as before, and that still holds every line that was not an
//!   assignment of that key.
#![no_main]

use std::collections::BTreeMap;

use libfuzzer_sys::fuzz_target;
use mailconf_core::dotenv_file::{Unwritable, assignment, edit, quote};

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(3, |&b| b == 0xFF);
    let file = String::from_utf8_lossy(parts.next().unwrap_or_default());
    let key = String::from_utf8_lossy(parts.next().unwrap_or_default());
    let value = String::from_utf8_lossy(parts.next().unwrap_or_default());

    check_quote(&value);
    check_edit(&file, &key, Some(&value));
    check_edit(&file, &key, None);
});

fn check_quote(value: &str) {
    match quote(value) {
        Ok(quoted) => {
            let read = read(&format!("K={quoted}\n")).expect("dotenvy reads what quote writes");
            assert_eq!(read.get("K").map(String::as_str), Some(value), "{quoted}");
        }
        Err(error) => {
            assert!(!error.to_string().is_empty());
            let chars: Vec<char> = value.chars().collect();
            match error {
                Unwritable::Control { character, at } => {
                    assert_eq!(chars.get(at), Some(&character));
                    assert!(character.is_control());
                }
                Unwritable::QuoteWith { character, at } => {
                    assert_eq!(chars.get(at), Some(&character));
                    assert!(value.contains('\''));
                }
                Unwritable::DoubleBackslash { at } => {
                    assert_eq!(chars.get(at..at + 2), Some(&['\\', '\\'][..]));
                }
                Unwritable::TrailingBackslash => assert!(value.ends_with('\\')),
                Unwritable::Interpolation { at } => {
                    assert_eq!(chars.get(at..at + 2), Some(&['$', '{'][..]));
                }
                Unwritable::Key(_) => panic!("quote names no key"),
                _ => {}
            }
        }
    }
}

fn check_edit(file: &str, key: &str, value: Option<&str>) {
    let result = edit(file, &[(key, value)]);
    let expected = match value {
        Some(value) => assignment(key, value).map(Some),
        None if mailconf_core::dotenv_file::is_portable_key(key) => Ok(None),
        None => Err(Unwritable::Key(key.to_owned())),
    };
    let out = match (result, expected) {
        (Err(got), Err(want)) => return assert_eq!(got, want),
        (Ok(out), Ok(line)) => {
            if let Some(line) = line {
                assert!(out.contains(&line), "{out:?} lacks {line:?}");
            }
            out
        }
        (got, want) => panic!("edit gave {got:?}, assignment {want:?}"),
    };
    // Other keys keep their values. `$` references would follow the changed key, and a file
    // dotenvy refuses has no values to compare.
    if file.contains('$') {
        return;
    }
    let Some(mut before) = read(file) else { return };
    let after = read(&out).expect("an edit of a file dotenvy reads is read too");
    match value {
        Some(value) => before.insert(key.to_owned(), value.to_owned()),
        None => before.remove(key),
    };
    assert_eq!(after, before, "{file:?} -> {out:?}");
}

/// What dotenvy reads from `text`, or `None` when it refuses it.
fn read(text: &str) -> Option<BTreeMap<String, String>> {
    let mut map = BTreeMap::new();
    for item in dotenvy::from_read_iter(text.as_bytes()) {
        let (k, v) = item.ok()?;
        map.insert(k, v);
    }
    Some(map)
}
