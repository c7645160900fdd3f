//! [`Email`]: a message in mailconf's own terms (recipients, subject, text, HTML, attachments,
//! inline images, headers, a template), so that sending needs no lettre imports.
//!
//! ```no_run
//! use mailconf_smtp::email::{Attachment, Email};
//! # async fn demo(mailer: mailconf_smtp::Mailer) -> Result<(), Box<dyn std::error::Error>> {
//! let email = Email::new()
//!     .to(["김민준 <minjun@example.com>", "zoe@example.org"])
//!     .cc("팀 <team@example.com>")
//!     .reply_to("support@example.com")
//!     .subject("3월 보고서")
//!     .text("보고서를 첨부합니다.")
//!     .html("<p>보고서를 첨부합니다.</p><img src=\"cid:logo@example.com\">")
//!     .inline("logo@example.com", Attachment::from_path("static/logo.png"))
//!     .attach(Attachment::from_path("reports/3월.pdf"))
//!     .header("X-Campaign", "march");
//! let report = mailer.send_email(email).await?;
//! # Ok(())
//! # }
//! ```
//!
//! The builder never fails half-way: the first problem (an invalid address, a file that cannot
//! be read, a header this builder sets itself…) is kept and returned, as an [`EmailError`]
//! naming the [`Field`], by [`Mailer::compose`](crate::Mailer::compose),
//! [`Mailer::send_email`](crate::Mailer::send_email) or [`Email::build`].
//!
//! Every message is well-formed MIME: `MIME-Version`, UTF-8 text parts, RFC 2047 encoded
//! headers and RFC 2231 encoded file names; `multipart/alternative` for text and HTML,
//! `multipart/related` around inline images, `multipart/mixed` around attachments. All the
//! recipients of one header are written once, in a single `To`, `Cc` or `Reply-To` header, and
//! the envelope is taken from the recipients as given (never re-read from the written header,
//! which lettre cannot do for a quoted local part such as `"quoted local"@example.com`).

mod attachment;
mod build;
mod disposition;
mod error;

use lettre::message::Mailbox;

pub use attachment::{Attachment, MAX_ATTACHMENT_BYTES};
pub use build::SendEmailError;
pub(crate) use build::unstructured as unstructured_header;
pub use error::{EmailError, Field};

use crate::Recipient;

/// A message to send with [`Mailer::send_email`](crate::Mailer::send_email): see the
/// [module docs](self).
#[derive(Debug, Clone, Default)]
pub struct Email {
    pub(crate) to: Vec<Mailbox>,
    pub(crate) cc: Vec<Mailbox>,
    pub(crate) bcc: Vec<Mailbox>,
    pub(crate) reply_to: Vec<Mailbox>,
    pub(crate) subject: Option<String>,
    pub(crate) text: Option<String>,
    pub(crate) html: Option<String>,
    pub(crate) attachments: Vec<Attachment>,
    pub(crate) inline: Vec<(String, Attachment)>,
    pub(crate) headers: Vec<(String, String)>,
    #[cfg(feature = "templates")]
    pub(crate) template: Option<crate::templates::TemplateCall>,
    #[cfg(feature = "inline-css")]
    pub(crate) inline_css: bool,
    /// The first invalid address met (field, input, reason); reported by `build`.
    pub(crate) problem: Option<(Field, String, String)>,
}

/// One recipient or many: `"Name <address>"` or bare addresses as text, lettre or mailconf
/// mailboxes, alone or in an array, a slice or a `Vec`.
pub trait Recipients {
    /// Each mailbox, or the first that is not valid.
    fn into_mailboxes(self) -> Result<Vec<Mailbox>, crate::ComposeError>;
}

impl<R: Recipient> Recipients for R {
    fn into_mailboxes(self) -> Result<Vec<Mailbox>, crate::ComposeError> {
        Ok(vec![self.into_mailbox()?])
    }
}

impl<R: Recipient> Recipients for Vec<R> {
    fn into_mailboxes(self) -> Result<Vec<Mailbox>, crate::ComposeError> {
        self.into_iter().map(Recipient::into_mailbox).collect()
    }
}

impl<R: Recipient, const N: usize> Recipients for [R; N] {
    fn into_mailboxes(self) -> Result<Vec<Mailbox>, crate::ComposeError> {
        self.into_iter().map(Recipient::into_mailbox).collect()
    }
}

impl<R: Recipient + Clone> Recipients for &[R] {
    fn into_mailboxes(self) -> Result<Vec<Mailbox>, crate::ComposeError> {
        self.iter().cloned().map(Recipient::into_mailbox).collect()
    }
}

impl Email {
    /// An empty email; the sender comes from the [`Mailer`](crate::Mailer)'s settings.
    pub fn new() -> Email {
        Email::default()
    }

    /// Adds `To` recipients (one or many; every call adds to the same header).
    pub fn to(self, recipients: impl Recipients) -> Email {
        self.add(Field::To, recipients)
    }

    /// Adds `Cc` recipients.
    pub fn cc(self, recipients: impl Recipients) -> Email {
        self.add(Field::Cc, recipients)
    }

    /// Adds `Bcc` recipients: in the envelope only, never in a header.
    pub fn bcc(self, recipients: impl Recipients) -> Email {
        self.add(Field::Bcc, recipients)
    }

    /// Adds `Reply-To` addresses.
    pub fn reply_to(self, addresses: impl Recipients) -> Email {
        self.add(Field::ReplyTo, addresses)
    }

    /// Sets the subject (one line). With a template, a subject set here wins over the
    /// template's `subject` block.
    pub fn subject(mut self, subject: impl Into<String>) -> Email {
        self.subject = Some(subject.into());
        self
    }

    /// Sets the plain-text body.
    pub fn text(mut self, text: impl Into<String>) -> Email {
        self.text = Some(text.into());
        self
    }

    /// Sets the HTML body. Without a text body, a text alternative is generated from it when
    /// the `templates` feature is on; without that feature the message is HTML only.
    pub fn html(mut self, html: impl Into<String>) -> Email {
        self.html = Some(html.into());
        self
    }

    /// Writes the rules of the HTML body's `<style>` elements into `style=` attributes when the
    /// message is built, for the mail clients that ignore `<style>` (feature `inline-css`;
    /// see [`css`](crate::css)). It applies to an HTML body set here or rendered from a
    /// template. A style sheet that cannot be parsed is an [`EmailError::Css`].
    ///
    /// ```
    /// use mailconf_smtp::email::Email;
    ///
    /// // <p style="color: #333;">안녕하세요</p> in the message
    /// let message = Email::new()
    ///     .to("minjun@example.com")
    ///     .html("<style>p { color: #333 }</style><p>안녕하세요</p>")
    ///     .inline_css()
    ///     .build("app@example.com".parse()?, "<1@example.com>")?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[cfg(feature = "inline-css")]
    pub fn inline_css(mut self) -> Email {
        self.inline_css = true;
        self
    }

    /// Adds an attachment.
    pub fn attach(mut self, attachment: Attachment) -> Email {
        self.attachments.push(attachment);
        self
    }

    /// Adds an image that the HTML shows with `<img src="cid:CONTENT_ID">`. The content id
    /// may hold ASCII letters, digits and `!#$&'*+-.=?^_`{|}~@` (such as `logo@example.com`).
    pub fn inline(mut self, content_id: impl Into<String>, image: Attachment) -> Email {
        self.inline.push((content_id.into(), image));
        self
    }

    /// Adds a header such as `X-Campaign` or `List-Unsubscribe`. The headers this builder
    /// writes itself (`To`, `Subject`, `Content-Type`…) are refused: use their methods.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Email {
        self.headers.push((name.into(), value.into()));
        self
    }

    fn add(mut self, field: Field, recipients: impl Recipients) -> Email {
        match recipients.into_mailboxes() {
            Ok(mailboxes) => self.list(field).extend(mailboxes),
            // Keeps the first problem: it is usually the cause of the others.
            Err(crate::ComposeError::Recipient { input, reason }) => {
                self.problem.get_or_insert((field, input, reason));
            }
            Err(other) => {
                self.problem
                    .get_or_insert((field, String::new(), other.to_string()));
            }
        }
        self
    }

    fn list(&mut self, field: Field) -> &mut Vec<Mailbox> {
        match field {
            Field::Cc => &mut self.cc,
            Field::Bcc => &mut self.bcc,
            Field::ReplyTo => &mut self.reply_to,
            _ => &mut self.to,
        }
    }
}
