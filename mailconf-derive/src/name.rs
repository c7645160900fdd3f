//! Variable names: how field names become them, and which strings are valid ones.

/// How field names become variable names (`#[mailconf(rename_all = "...")]`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub(crate) enum RenameAll {
    /// `from_name` → `FROM_NAME`.
    #[default]
    ScreamingSnakeCase,
    /// `from_name` → `FROMNAME`.
    UpperCase,
}

impl RenameAll {
    /// Every accepted spelling, for messages.
    pub(crate) const NAMES: [&'static str; 2] = ["SCREAMING_SNAKE_CASE", "UPPERCASE"];

    /// The rule named `name`.
    pub(crate) fn from_name(name: &str) -> Option<Self> {
        match name {
            "SCREAMING_SNAKE_CASE" => Some(RenameAll::ScreamingSnakeCase),
            "UPPERCASE" => Some(RenameAll::UpperCase),
            _ => None,
        }
    }

    /// The variable name (after the prefix) of the field named `field`.
    pub(crate) fn apply(self, field: &str) -> String {
        match self {
            RenameAll::ScreamingSnakeCase => field.to_uppercase(),
            RenameAll::UpperCase => field.replace('_', "").to_uppercase(),
        }
    }
}

/// What the rules for names say about one string.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    Valid,
    Empty,
    /// Only the case or the separators are wrong: this is the name meant.
    Fixable(String),
    StartsWithDigit,
    BadCharacter(char),
}

/// Checks a full variable name or a prefix: `[A-Z_][A-Z0-9_]*`.
///
/// Lower case is rejected although the environment allows it: every shell and container
/// platform convention writes settings in upper case, and a name that differs from the
/// convention only in case is a bug that shows up as "not set" at run time.
pub(crate) fn check(name: &str) -> Verdict {
    check_piece(name, false)
}

/// Checks a piece put after a prefix (`rename`, a flatten prefix); with `after_prefix` it may
/// start with a digit.
pub(crate) fn check_piece(name: &str, after_prefix: bool) -> Verdict {
    if name.is_empty() {
        return Verdict::Empty;
    }
    if is_valid(name, after_prefix) {
        return Verdict::Valid;
    }
    let fixed: String = name
        .chars()
        .map(|c| {
            if matches!(c, '-' | '.' | ' ') {
                '_'
            } else {
                c.to_ascii_uppercase()
            }
        })
        .collect();
    if is_valid(&fixed, after_prefix) {
        return Verdict::Fixable(fixed);
    }
    if let Some(bad) = fixed.chars().find(|c| !is_name_char(*c)) {
        return Verdict::BadCharacter(bad);
    }
    Verdict::StartsWithDigit
}

fn is_valid(name: &str, after_prefix: bool) -> bool {
    let digit_first = name.starts_with(|c: char| c.is_ascii_digit());
    name.chars().all(is_name_char) && (after_prefix || !digit_first)
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'
}

/// The closest of `candidates` to `unknown`, if it is close enough to be a typo of it.
pub(crate) fn did_you_mean<'a>(
    unknown: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let unknown = unknown.to_lowercase();
    mailconf_values::suggest::closest(candidates, |c| {
        let lower = c.to_lowercase();
        let mut distance = strsim::damerau_levenshtein(&unknown, &lower);
        // `allow_unknown_keys` means `allow_unknown` although they are far apart.
        let (short, long) = if unknown.len() < lower.len() {
            (&unknown, &lower)
        } else {
            (&lower, &unknown)
        };
        if long
            .strip_prefix(short.as_str())
            .is_some_and(|rest| rest.starts_with('_'))
        {
            distance = distance.min(1);
        }
        // Fewer edits is better; the first of equally close keys wins, as before.
        #[allow(clippy::cast_precision_loss)]
        let score = -(distance as f64);
        (distance <= (c.len() / 3).max(1)).then_some(score)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_names_become_upper_case() {
        assert_eq!(
            RenameAll::ScreamingSnakeCase.apply("from_name"),
            "FROM_NAME"
        );
        assert_eq!(RenameAll::UpperCase.apply("from_name"), "FROMNAME");
    }

    #[test]
    fn names_are_upper_case_with_digits_and_underscores() {
        assert_eq!(check("MAIL_PORT2"), Verdict::Valid);
        assert_eq!(check("_X"), Verdict::Valid);
        assert_eq!(check("mail_port"), Verdict::Fixable("MAIL_PORT".into()));
        assert_eq!(check("MAIL PORT"), Verdict::Fixable("MAIL_PORT".into()));
        assert_eq!(check("mail-"), Verdict::Fixable("MAIL_".into()));
        assert_eq!(check("2FA"), Verdict::StartsWithDigit);
        assert_eq!(check_piece("2FA", true), Verdict::Valid);
        assert_eq!(check("PÖRT"), Verdict::BadCharacter('Ö'));
        assert_eq!(check(""), Verdict::Empty);
    }

    #[test]
    fn suggests_close_names_only() {
        let keys = ["default", "env", "rename", "renamed_from", "allow_unknown"];
        assert_eq!(did_you_mean("defualt", keys), Some("default"));
        assert_eq!(did_you_mean("Default", keys), Some("default"));
        assert_eq!(did_you_mean("renamed_frm", keys), Some("renamed_from"));
        assert_eq!(
            did_you_mean("allow_unknown_keys", keys),
            Some("allow_unknown")
        );
        assert_eq!(did_you_mean("colour", keys), None);
    }
}
