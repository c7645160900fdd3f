//! "Did you mean": the one rule that picks a suggestion, shared by the runtime's variable names
//! (`mailconf-core`) and the derive's attribute keys (`mailconf-derive`), each with its own
//! measure of closeness.

/// The candidate with the best score, `score` giving `None` for one too far from the name to be
/// a plausible typo of it; the first of equally good ones.
pub fn closest<'a>(
    candidates: impl IntoIterator<Item = &'a str>,
    score: impl Fn(&str) -> Option<f64>,
) -> Option<&'a str> {
    let mut best: Option<(f64, &'a str)> = None;
    for candidate in candidates {
        if let Some(s) = score(candidate)
            && best.is_none_or(|(b, _)| s > b)
        {
            best = Some((s, candidate));
        }
    }
    best.map(|(_, c)| c)
}
