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
        let score = strsim::jaro_winkler(a, b);
        (c != name && score >= 0.9).then_some(score)
    })
}

/// `a` and `b` after the words (up to an `_`) they both start with.
fn without_shared_words<'a, 'b>(a: &'a str, b: &'b str) -> (&'a str, &'b str) {
    let shared = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    let cut = a[..shared].rfind('_').map_or(0, |i| i + 1);
    (&a[cut..], &b[cut..])
}

#[cfg(test)]
mod tests {
    use super::closest;

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
