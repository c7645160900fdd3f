//! "Did you mean" suggestions between variable names.

/// The candidate closest to `name`, if it is close enough to be a plausible typo.
///
/// Names are compared without their shared leading words (`MAIL_`): otherwise the prefix alone
/// makes `MAIL_TO` look like a typo of `MAIL_PORT`, and an unrelated variable an error.
pub(crate) fn closest<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let upper = name.to_ascii_uppercase();
    mailconf_values::suggest::closest(candidates, |c| {
        let candidate = c.to_ascii_uppercase();
        let (a, b) = without_shared_words(&upper, &candidate);
        if !lengths_can_reach(a, b) {
            return None;
        }
        let score = strsim::jaro_winkler(a, b);
        (c != name && score >= 0.9).then_some(score)
    })
}

/// Whether two names' lengths allow a Jaro-Winkler similarity of 0.9. Jaro is at most
/// `(2 + short/long) / 3` (every character of the shorter one matching) and Winkler's prefix
/// bonus raises `j` to at most `0.4 + 0.6 j`, so 0.9 needs `j >= 5/6`, that is
/// `short/long >= 1/2`. Skipping the rest saves the comparison for most of the known names,
/// which is most of the cost of a load with unknown keys (docs/RELIABILITY.md, "Where the time
/// goes").
fn lengths_can_reach(a: &str, b: &str) -> bool {
    let (a, b) = (a.chars().count(), b.chars().count());
    2 * a.min(b) >= a.max(b)
}

/// `a` and `b` after the words (up to an `_`) they both start with.
fn without_shared_words<'a, 'b>(a: &'a str, b: &'b str) -> (&'a str, &'b str) {
    let shared = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    let cut = a[..shared].rfind('_').map_or(0, |i| i + 1);
    (&a[cut..], &b[cut..])
}

#[cfg(test)]
mod tests {
    use super::{closest, lengths_can_reach};

    #[test]
    fn names_whose_lengths_are_skipped_could_never_score_high_enough() {
        // Every pair of the shapes that decide it: one name a prefix, a repeat or a rotation of
        // the other, at every pair of lengths up to 24.
        let letters: Vec<char> = "PASWORDTLSEVNHUM".chars().collect();
        for long in 1..=24 {
            for short in 1..=long {
                let a: String = letters.iter().cycle().take(long).collect();
                for b in [
                    letters.iter().cycle().take(short).collect::<String>(),
                    letters.iter().cycle().skip(1).take(short).collect(),
                    a.chars().rev().take(short).collect(),
                    "A".repeat(short),
                ] {
                    if !lengths_can_reach(&a, &b) {
                        let score = strsim::jaro_winkler(&a, &b);
                        assert!(score < 0.9, "{a} {b}: {score}");
                    }
                }
            }
        }
        assert!(lengths_can_reach("PORT", "PASSWORD"));
        assert!(!lengths_can_reach("TO", "PASSWORD"));
    }

    #[test]
    fn finds_typos_and_ignores_unrelated_names() {
        let known = [
            "MAIL_PASSWORD",
            "MAIL_PORT",
            "MAIL_SERVER",
            "MAIL_FROM_NAME",
        ];
        assert_eq!(closest("MAIL_PASWORD", known), Some("MAIL_PASSWORD"));
        assert_eq!(closest("MAIL_SERVR", known), Some("MAIL_SERVER"));
        assert_eq!(closest("mail_port", known), Some("MAIL_PORT"));
        assert_eq!(closest("MAIL_FROM_NAM", known), Some("MAIL_FROM_NAME"));
        assert_eq!(closest("DATABASE_URL", known), None);
        // The shared `MAIL_` is no likeness: another program's variable, not a typo.
        assert_eq!(closest("MAIL_TO", known), None);
        assert_eq!(closest("MAIL_ADMIN", known), None);
    }
}
