//! What can be wrong with an [`Email`](super::Email): each error names the field it is about.

use std::fmt;

/// The part of an [`Email`](super::Email) an [`EmailError`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Field {
    /// `To` recipients.
    To,
    /// `Cc` recipients.
    Cc,
    /// `Bcc` recipients.
    Bcc,
    /// `Reply-To` addresses.
    ReplyTo,
    /// The subject.
    Subject,
    /// The plain-text body.
    Text,
    /// The HTML body.
    Html,
    /// An attachment.
    Attachment,
    /// An inline image (`cid:`).
    InlineImage,
    /// A custom header.
    Header,
    /// The template and its data.
    Template,
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Field::To => "To",
            Field::Cc => "Cc",
            Field::Bcc => "Bcc",
            Field::ReplyTo => "Reply-To",
            Field::Subject => "subject",
            Field::Text => "text body",
            Field::Html => "HTML body",
            Field::Attachment => "attachment",
            Field::InlineImage => "inline image",
            Field::Header => "header",
            Field::Template => "template",
        })
    }
}

/// Why an [`Email`](super::Email) cannot be turned into a message. [`field`](Self::field)
/// says which part of it to fix.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EmailError {
    /// An address is not a valid mailbox.
    #[error("invalid {field} address {input:?}: {reason}")]
    Address {
        /// `To`, `Cc`, `Bcc` or `Reply-To`.
        field: Field,
        /// What was given.
        input: String,
        /// Why it was refused.
        reason: String,
    },
    /// No `To`, `Cc` or `Bcc` recipient.
    #[error("the message has no recipient: add one with to(), cc() or bcc()")]
    NoRecipient,
    /// Neither a text nor an HTML body nor a template.
    #[error("the message has no body: give text(), html() or a template")]
    NoBody,
    /// A text that ends up in a header holds a line break or another control character.
    #[error("the {field} contains a control character such as a line break")]
    ControlCharacter {
        /// Which input.
        field: Field,
    },
    /// An attachment or inline image cannot be used.
    #[error("cannot attach {name:?} ({field}): {reason}")]
    Attachment {
        /// [`Field::Attachment`] or [`Field::InlineImage`].
        field: Field,
        /// The file name (or the path it was to be read from).
        name: String,
        /// Why.
        reason: String,
    },
    /// A custom header cannot be set.
    #[error("cannot set the header {name:?}: {reason}")]
    Header {
        /// The header's name as given.
        name: String,
        /// Why.
        reason: String,
    },
    /// The template could not be rendered, or there is no template folder.
    #[cfg(feature = "templates")]
    #[error(transparent)]
    Template(#[from] crate::TemplateError),
    /// The CSS of the HTML body could not be inlined ([`Email::inline_css`](super::Email::inline_css)).
    #[cfg(feature = "inline-css")]
    #[error(transparent)]
    Css(#[from] crate::css::CssError),
    /// lettre refused to build the message.
    #[error("cannot build the message: {0}")]
    Build(#[from] lettre::error::Error),
}

impl EmailError {
    /// The part of the email to fix, when the error is about one.
    pub fn field(&self) -> Option<Field> {
        match self {
            EmailError::Address { field, .. }
            | EmailError::ControlCharacter { field }
            | EmailError::Attachment { field, .. } => Some(*field),
            EmailError::NoRecipient => Some(Field::To),
            EmailError::NoBody => Some(Field::Text),
            EmailError::Header { .. } => Some(Field::Header),
            #[cfg(feature = "templates")]
            EmailError::Template(_) => Some(Field::Template),
            #[cfg(feature = "inline-css")]
            EmailError::Css(_) => Some(Field::Html),
            EmailError::Build(_) => None,
        }
    }
}
