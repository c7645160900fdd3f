//! The matching behind `#[derive(FromValue)]` on a unit enum, kept here so that run time and the
//! compile-time check of a literal default read the same names.

use crate::{Invalid, Message};

/// The index of the variant `raw` names. `names[i]` holds variant `i`'s name and then its
/// aliases; `choices` (the names alone) are listed in the error. Case does not matter.
#[doc(hidden)]
pub fn choose(raw: &str, names: &[&[&str]], choices: &[&str]) -> Result<usize, Invalid> {
    if let Some(index) = names
        .iter()
        .position(|spellings| spellings.iter().any(|n| n.eq_ignore_ascii_case(raw)))
    {
        return Ok(index);
    }
    let list = choices.join(", ");
    let invalid = Invalid::new(
        "invalid_choice",
        Message::new("value-choice-expected").arg("choices", &list),
    );
    let trimmed = raw.trim();
    Err(
        if trimmed != raw
            && names
                .iter()
                .flat_map(|n| n.iter())
                .any(|n| n.eq_ignore_ascii_case(trimmed))
        {
            invalid.with_hint(Message::new("value-remove-spaces"))
        } else {
            invalid.with_hint(Message::new("value-choice-hint").arg("choices", list))
        },
    )
}

/// Whether `text` is one of `choices` (ignoring ASCII case), or `choices` is empty (the type is
/// not a choice). A `const fn`, so that the derive can check a literal default at compile time.
#[doc(hidden)]
#[must_use]
pub const fn is_choice(choices: &[&str], text: &str) -> bool {
    if choices.is_empty() {
        return true;
    }
    let mut i = 0;
    while i < choices.len() {
        if same_ignoring_case(choices[i].as_bytes(), text.as_bytes()) {
            return true;
        }
        i += 1;
    }
    false
}

// `str::eq_ignore_ascii_case` is not `const` at the declared rust-version.
const fn same_ignoring_case(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if !a[i].eq_ignore_ascii_case(&b[i]) {
            return false;
        }
        i += 1;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::assert_hint_contains;

    const NAMES: &[&[&str]] = &[&["plain", "none"], &["starttls"], &["implicit_tls", "ssl"]];
    const CHOICES: &[&str] = &["plain", "starttls", "implicit_tls"];

    #[test]
    fn names_and_aliases_in_any_case() {
        assert_eq!(choose("plain", NAMES, CHOICES), Ok(0));
        assert_eq!(choose("NONE", NAMES, CHOICES), Ok(0));
        assert_eq!(choose("StartTLS", NAMES, CHOICES), Ok(1));
        assert_eq!(choose("ssl", NAMES, CHOICES), Ok(2));
    }

    #[test]
    fn errors_list_the_values_and_never_quote_the_input() {
        let e = choose("tls-please", NAMES, CHOICES).unwrap_err();
        assert_eq!(e.code, "invalid_choice");
        assert_eq!(e.message, "expected one of: plain, starttls, implicit_tls");
        assert!(!e.message.to_string().contains("tls-please"));
        assert_hint_contains(choose(" ssl", NAMES, CHOICES), "spaces");
    }

    #[test]
    fn the_compile_time_check_agrees() {
        const { assert!(is_choice(CHOICES, "STARTTLS")) };
        const { assert!(!is_choice(CHOICES, "tls")) };
        assert!(is_choice(&[], "anything"));
    }
}
