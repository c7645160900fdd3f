//! "Did you mean" suggestions between variable names.

/// The candidate closest to `name`, if it is close enough to be a plausible typo.
pub(crate) fn closest<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .filter(|c| *c != name)
        .map(|c| {
            (
                strsim::jaro_winkler(&name.to_ascii_uppercase(), &c.to_ascii_uppercase()),
                c,
            )
        })
        .filter(|(score, _)| *score >= 0.9)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn finds_typos_and_ignores_unrelated_names() {
        let known = ["MAIL_PASSWORD", "MAIL_PORT", "MAIL_SERVER"];
        assert_eq!(closest("MAIL_PASWORD", known), Some("MAIL_PASSWORD"));
        assert_eq!(closest("MAIL_SERVR", known), Some("MAIL_SERVER"));
        assert_eq!(closest("mail_port", known), Some("MAIL_PORT"));
        assert_eq!(closest("DATABASE_URL", known), None);
    }
}
