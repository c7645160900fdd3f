//! What a struct's validate hook finds: problems named by the struct's Rust fields, without
//! variables. The loader attaches where each one is — the variable to set, prefixes applied,
//! and the field's path — once, as garde's `Report::append(path, error)` does.

use mailconf_values::{Invalid, Message};

/// What kind of problem a hook found, and so which [`ErrorKind`](crate::ErrorKind) it becomes.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProblemKind {
    /// A value that loaded is wrong here: `invalid_value`, with this detail.
    Invalid {
        /// The precise reason, such as `too_big`.
        detail: &'static str,
    },
    /// A field that must be set in this situation is not: `missing`.
    Missing,
    /// Fields that cannot be used together, the first one leading: `conflict`.
    Conflict,
}

/// One problem a struct's `validate` hook found, named by Rust fields of that struct.
///
/// The loader turns it into an [`Error`](crate::Error) for the variable of its (first) field,
/// wherever the struct is embedded. In its message and hint, `{port}` (a value field of the
/// struct, in braces) becomes that field's variable, such as `MAIL_PORT`, or `APP_MAIL_PORT`
/// when the struct is flattened under `APP_`: advice then names the variable to set. Other
/// braces are kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    kind: ProblemKind,
    fields: Vec<String>,
    message: Message,
    hint: Option<Message>,
}

impl Problem {
    /// The value of `field` is invalid in this situation.
    pub fn invalid(field: &str, invalid: Invalid) -> Self {
        let kind = ProblemKind::Invalid {
            detail: invalid.code,
        };
        Problem::of(kind, &[field], invalid.message, invalid.hint)
    }

    /// `field` must be set in this situation but is not (a setting required only when another
    /// one is absent). The loader words the message, as for any missing setting ("required, but
    /// not set", or "set but empty"), and an old name of the field that is set gets its rename
    /// hint instead of `hint`.
    pub fn missing(field: &str, hint: impl Into<Message>) -> Self {
        Problem::of(
            ProblemKind::Missing,
            &[field],
            Message::text(""),
            Some(hint.into()),
        )
    }

    /// `fields` cannot be used together; the first one leads, the error is reported on it.
    pub fn conflict(fields: &[&str], message: impl Into<Message>) -> Self {
        Problem::of(ProblemKind::Conflict, fields, message.into(), None)
    }

    fn of(kind: ProblemKind, fields: &[&str], message: Message, hint: Option<Message>) -> Self {
        let fields = fields.iter().map(|f| (*f).to_owned()).collect();
        Problem {
            kind,
            fields,
            message,
            hint,
        }
    }

    /// Sets the hint (how to fix it).
    #[must_use]
    pub fn with_hint(self, hint: impl Into<Message>) -> Self {
        Problem {
            hint: Some(hint.into()),
            ..self
        }
    }

    /// What kind of problem it is.
    pub fn kind(&self) -> &ProblemKind {
        &self.kind
    }

    /// The Rust fields involved, the leading one first.
    pub fn fields(&self) -> &[String] {
        &self.fields
    }

    /// What is wrong (empty for [`Problem::missing`], which the loader words): a catalog
    /// [`Message`], or the program's own text.
    pub fn message(&self) -> &Message {
        &self.message
    }

    /// How to fix it.
    pub fn hint(&self) -> Option<&Message> {
        self.hint.as_ref()
    }

    pub(crate) fn into_parts(self) -> (ProblemKind, Vec<String>, Message, Option<Message>) {
        (self.kind, self.fields, self.message, self.hint)
    }
}

/// Every problem a struct's `validate` hook found; never empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problems(Vec<Problem>);

impl Problems {
    /// The list, or `None` when it is empty: `Problems::from_vec(found).map_or(Ok(()), Err)`
    /// ends a hook that collects its problems.
    pub fn from_vec(list: Vec<Problem>) -> Option<Self> {
        (!list.is_empty()).then_some(Problems(list))
    }

    /// Adds a problem.
    pub fn push(&mut self, problem: Problem) {
        self.0.push(problem);
    }

    /// The problems, in the order found.
    pub fn iter(&self) -> std::slice::Iter<'_, Problem> {
        self.0.iter()
    }

    /// The number of problems (at least one).
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Always false: `Problems` holds at least one.
    pub fn is_empty(&self) -> bool {
        false
    }
}

impl From<Problem> for Problems {
    fn from(problem: Problem) -> Self {
        Problems(vec![problem])
    }
}

impl IntoIterator for Problems {
    type Item = Problem;
    type IntoIter = std::vec::IntoIter<Problem>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}
