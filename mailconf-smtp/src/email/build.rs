//! An [`Email`] as a lettre [`Message`], and the [`Mailer`] methods that compose and send one.

use email_encoding::headers::writer::EmailWriter;
use lettre::Message;
use lettre::address::Envelope;
use lettre::message::header::{self, HeaderName, HeaderValue};
use lettre::message::{Mailbox, Mailboxes, MultiPart, SinglePart};

use super::Email;
use super::attachment::check_content_id;
use super::disposition;
use super::error::{EmailError, Field};
use crate::{Mailer, SendError, SendReport};

/// Headers the builder writes from its own fields; setting them with
/// [`Email::header`] would give a message two of them, or one that contradicts the parts.
const MANAGED_HEADERS: &[&str] = &[
    "from",
    "sender",
    "to",
    "cc",
    "bcc",
    "reply-to",
    "subject",
    "date",
    "message-id",
    "mime-version",
    "content-type",
    "content-transfer-encoding",
    "content-disposition",
    "content-id",
];

/// Why [`Mailer::send_email`] did not send.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SendEmailError {
    /// The email could not be made into a message; nothing was sent.
    #[error(transparent)]
    Compose(#[from] EmailError),
    /// The message was composed but not delivered.
    #[error(transparent)]
    Send(#[from] SendError),
}

/// The body before it is wrapped for inline images and attachments.
enum Body {
    Single(SinglePart),
    Multi(MultiPart),
}

impl Body {
    fn into_multipart_of(self, outer: lettre::message::MultiPartBuilder) -> MultiPart {
        match self {
            Body::Single(part) => outer.singlepart(part),
            Body::Multi(part) => outer.multipart(part),
        }
    }
}

impl Email {
    /// The message this email describes, sent by `from` with the given `Message-ID`
    /// (`<unique@domain>`): a pure function of its inputs, without I/O (files given with
    /// [`Attachment::from_path`](super::Attachment::from_path) were read when they were
    /// added). A template must have been rendered first ([`Mailer::compose`] does it).
    pub fn build(self, from: Mailbox, message_id: &str) -> Result<Message, EmailError> {
        if let Some((field, input, reason)) = self.problem {
            return Err(EmailError::Address {
                field,
                input,
                reason,
            });
        }
        #[cfg(feature = "templates")]
        if let Some(call) = &self.template {
            return Err(crate::TemplateError::NotRendered {
                name: call.name().to_owned(),
            }
            .into());
        }
        if self.to.is_empty() && self.cc.is_empty() && self.bcc.is_empty() {
            return Err(EmailError::NoRecipient);
        }
        let mut builder = Message::builder()
            .from(from.clone())
            .message_id(Some(message_id.to_owned()));
        if let Some(subject) = &self.subject {
            if subject.chars().any(char::is_control) {
                return Err(EmailError::ControlCharacter {
                    field: Field::Subject,
                });
            }
            builder = builder.raw_header(unstructured(
                header::HeaderName::new_from_ascii_str("Subject"),
                subject,
            ));
        }
        // Each header written once with every mailbox: lettre's `to()` called again re-reads
        // the header it wrote, and drops a quoted local part it cannot read back.
        if !self.to.is_empty() {
            builder = builder.mailbox(header::To::from(Mailboxes::from(self.to.clone())));
        }
        if !self.cc.is_empty() {
            builder = builder.mailbox(header::Cc::from(Mailboxes::from(self.cc.clone())));
        }
        if !self.reply_to.is_empty() {
            builder = builder.mailbox(header::ReplyTo::from(Mailboxes::from(
                self.reply_to.clone(),
            )));
        }
        for (name, value) in &self.headers {
            builder = builder.raw_header(custom_header(name, value)?);
        }
        // The envelope from the mailboxes as given, never from the headers read back.
        let mut recipients = Vec::new();
        for mailbox in self.to.iter().chain(&self.cc).chain(&self.bcc) {
            if !recipients.contains(&mailbox.email) {
                recipients.push(mailbox.email.clone());
            }
        }
        let envelope = Envelope::new(Some(from.email), recipients)?;
        builder = builder.envelope(envelope);

        #[cfg(feature = "inline-css")]
        let html = match self.html {
            Some(html) if self.inline_css => Some(crate::css::inline_css(&html)?),
            html => html,
        };
        #[cfg(not(feature = "inline-css"))]
        let html = self.html;
        let body = body(self.text, html.as_deref(), &self.inline)?;
        let Some(body) = body.or_else(|| {
            // Attachments alone make a message too.
            (!self.attachments.is_empty()).then(|| Body::Single(SinglePart::plain(String::new())))
        }) else {
            return Err(EmailError::NoBody);
        };
        let body = if self.attachments.is_empty() {
            body
        } else {
            let mut mixed = body.into_multipart_of(MultiPart::mixed());
            for attachment in &self.attachments {
                let content_type = attachment.checked(Field::Attachment)?;
                mixed = mixed.singlepart(disposition::attachment(
                    attachment.name(),
                    attachment.bytes().to_vec(),
                    content_type,
                ));
            }
            Body::Multi(mixed)
        };
        Ok(match body {
            Body::Single(part) => builder.singlepart(part)?,
            Body::Multi(part) => builder.multipart(part)?,
        })
    }
}

/// Text and HTML (a text alternative generated from HTML alone, with the `templates`
/// feature), wrapped in `multipart/related` with the inline images. `None` without either.
fn body(
    text: Option<String>,
    html: Option<&str>,
    inline: &[(String, super::Attachment)],
) -> Result<Option<Body>, EmailError> {
    #[cfg(feature = "templates")]
    let text = text.or_else(|| html.map(crate::templates::html_to_text));
    let main = match (text, html) {
        (None, None) => None,
        (Some(text), None) => Some(Body::Single(SinglePart::plain(text))),
        (None, Some(html)) => Some(Body::Single(SinglePart::html(html.to_owned()))),
        (Some(text), Some(html)) => Some(Body::Multi(MultiPart::alternative_plain_html(
            text,
            html.to_owned(),
        ))),
    };
    if inline.is_empty() {
        return Ok(main);
    }
    let (Some(main), Some(html)) = (main, html) else {
        return Err(EmailError::Attachment {
            field: Field::InlineImage,
            name: inline[0].1.name().to_owned(),
            reason: "an inline image needs an HTML body that shows it".to_owned(),
        });
    };
    let mut related = main.into_multipart_of(MultiPart::related());
    let mut seen: Vec<&str> = Vec::new();
    for (cid, image) in inline {
        let refuse = |reason: String| EmailError::Attachment {
            field: Field::InlineImage,
            name: image.name().to_owned(),
            reason,
        };
        check_content_id(cid).map_err(refuse)?;
        if seen.contains(&cid.as_str()) {
            return Err(refuse(format!("the content id {cid} is used twice")));
        }
        seen.push(cid);
        if !html.contains(&format!("cid:{cid}")) {
            return Err(refuse(format!(
                "the HTML body does not show it: add <img src=\"cid:{cid}\">"
            )));
        }
        let content_type = image.checked(Field::InlineImage)?;
        related = related.singlepart(disposition::inline(
            cid,
            image.name(),
            image.bytes().to_vec(),
            content_type,
        ));
    }
    Ok(Some(Body::Multi(related)))
}

/// A custom header, or why it cannot be set.
fn custom_header(name: &str, value: &str) -> Result<HeaderValue, EmailError> {
    let refuse = |reason: &str| EmailError::Header {
        name: name.to_owned(),
        reason: reason.to_owned(),
    };
    // RFC 5322 2.2: printable ASCII except the colon.
    if name.is_empty() || !name.bytes().all(|b| (33..=126).contains(&b) && b != b':') {
        return Err(refuse(
            "a header name is printable ASCII without spaces or a colon",
        ));
    }
    if MANAGED_HEADERS.contains(&name.to_ascii_lowercase().as_str()) {
        return Err(refuse(
            "this header is written from the email's own fields: use to(), cc(), subject()…",
        ));
    }
    if value.chars().any(char::is_control) {
        return Err(EmailError::ControlCharacter {
            field: Field::Header,
        });
    }
    let name = HeaderName::new_from_ascii(name.to_owned())
        .map_err(|_| refuse("a header name is at most 76 characters"))?;
    Ok(unstructured(name, value))
}

/// An unstructured header value (the subject, a custom header) as lettre writes it, except
/// where lettre's word-by-word writing would make readers show another text (fuzzing,
/// finding 9), and the value is then RFC 2047-encoded as a whole:
/// - it holds `=?`: lettre writes an ASCII word as it is, and one shaped like an encoded word
///   (`=?utf-8?q?x?=`) is decoded by every reader;
/// - it is not ASCII and holds two spaces in a row: lettre encodes the words on either side
///   separately with the extra spaces between them, and readers drop the white space between
///   two encoded words (RFC 2047 6.2), so `김민준님  안녕하세요` would arrive as one word.
pub(crate) fn unstructured(name: HeaderName, value: &str) -> HeaderValue {
    if !(value.contains("=?") || (!value.is_ascii() && value.contains("  "))) {
        return HeaderValue::new(name, value.to_owned());
    }
    let mut encoded = String::new();
    {
        let mut writer = EmailWriter::new(&mut encoded, name.len() + ": ".len(), 0, false);
        // Writing to a String cannot fail.
        let _ = email_encoding::headers::rfc2047::encode(value, &mut writer);
    }
    // Safe to pass as pre-encoded: RFC 2047 output is printable ASCII, folded by the writer.
    HeaderValue::dangerous_new_pre_encoded(name, value.to_owned(), encoded)
}

impl Mailer {
    /// The message `email` describes, from this mailer's sender, with a fresh `Message-ID`;
    /// its template (if any) rendered with the templates of `TEMPLATE_FOLDER`.
    pub fn compose(&self, email: Email) -> Result<Message, EmailError> {
        #[cfg(feature = "templates")]
        let email = match email.template.is_some() {
            true => email.render(self.templates())?,
            false => email,
        };
        email.build(self.sender().clone(), &self.new_message_id())
    }

    /// Composes `email` ([`compose`](Self::compose)) and sends it ([`send`](Self::send)).
    pub async fn send_email(&self, email: Email) -> Result<SendReport, SendEmailError> {
        let message = self.compose(email)?;
        Ok(self.send(message).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::email::Attachment;

    fn from() -> Mailbox {
        Mailbox::new(
            Some("김민준 쇼핑몰".to_owned()),
            "app@example.com".parse().unwrap(),
        )
    }

    fn text(message: &Message) -> String {
        String::from_utf8(message.formatted()).unwrap()
    }

    /// The words of an RFC 2047 header value, decoded (`=?utf-8?b?...?=` only).
    fn decode_words(value: &str) -> String {
        use base64::Engine as _;
        value
            .split_whitespace()
            .map(|word| {
                let inner = word
                    .strip_prefix("=?utf-8?b?")
                    .and_then(|w| w.strip_suffix("?="))
                    .unwrap_or_else(|| panic!("not a base64 encoded word: {word}"));
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(inner)
                    .unwrap();
                String::from_utf8(bytes).unwrap()
            })
            .collect()
    }

    /// Fuzz finding 9: a subject or custom header shaped like an encoded word was written as
    /// it is, and every reader decoded it into another text; two spaces between Korean words
    /// were lost between two encoded words.
    #[test]
    fn a_value_shaped_like_an_encoded_word_is_encoded_itself() {
        for value in [
            "=?utf-8?q?encoded?=",
            "Re: =?x?= and more words than fit on one line ever",
        ] {
            let message = Email::new()
                .to("a@example.org")
                .subject(value)
                .header("X-Campaign", value)
                .text("x")
                .build(from(), "<1@example.com>")
                .unwrap();
            let raw = text(&message);
            for name in ["Subject", "X-Campaign"] {
                let start = raw.find(&format!("\r\n{name}: ")).unwrap() + name.len() + 4;
                let end = start + raw[start..].find("\r\n").unwrap();
                let mut end = end;
                // Folded lines continue with a space.
                while raw[end..].starts_with("\r\n ") {
                    end += 2 + raw[end + 2..].find("\r\n").unwrap();
                }
                let written = &raw[start..end];
                assert!(!written.contains(value), "{raw}");
                assert_eq!(decode_words(written), value, "{raw}");
            }
        }
        // Anything else is written as before: plain ASCII as it is.
        let raw = text(
            &Email::new()
                .to("a@example.org")
                .subject("Hello = world?")
                .text("x")
                .build(from(), "<1@example.com>")
                .unwrap(),
        );
        assert!(raw.contains("\r\nSubject: Hello = world?\r\n"), "{raw}");
    }

    /// Fuzz finding 8: lettre's `to()` called twice dropped a quoted local part.
    #[test]
    fn every_recipient_is_kept_in_one_header_and_in_the_envelope() {
        let message = Email::new()
            .to("\"quoted local\"@example.com")
            .to(["김민준 <minjun@example.com>"])
            .cc(vec!["a@example.org", "b@example.org"])
            .bcc("hidden@example.net")
            .text("본문")
            .build(from(), "<1@example.com>")
            .unwrap();
        let every: Vec<lettre::Address> = [
            "\"quoted local\"@example.com",
            "minjun@example.com",
            "a@example.org",
            "b@example.org",
            "hidden@example.net",
        ]
        .iter()
        .map(|a| a.parse().unwrap())
        .collect();
        assert_eq!(message.envelope().to(), every);
        let raw = text(&message);
        assert_eq!(raw.matches("\r\nTo: ").count(), 1, "{raw}");
        assert!(raw.contains("\"quoted local\"@example.com"), "{raw}");
        assert!(raw.contains("minjun@example.com"), "{raw}");
        assert_eq!(raw.matches("\r\nCc: ").count(), 1, "{raw}");
        assert!(!raw.contains("hidden@example.net"), "{raw}");
        assert!(raw.contains("Message-ID: <1@example.com>\r\n"), "{raw}");
    }

    #[test]
    fn the_same_address_twice_is_one_envelope_recipient() {
        let message = Email::new()
            .to("a@example.org")
            .cc("A <a@example.org>")
            .text("x")
            .build(from(), "<1@example.com>")
            .unwrap();
        assert_eq!(message.envelope().to().len(), 1);
    }

    #[test]
    fn the_parts_nest_as_readers_expect() {
        let message = Email::new()
            .to("a@example.org")
            .subject("제목")
            .text("본문")
            .html("<img src=\"cid:logo\">")
            .inline("logo", Attachment::new("로고.png", vec![1, 2, 3]))
            .attach(Attachment::new("표.csv", "가,나\n"))
            .build(from(), "<1@example.com>")
            .unwrap();
        let raw = text(&message);
        let order: Vec<usize> = [
            "multipart/mixed",
            "multipart/related",
            "multipart/alternative",
            "text/plain",
            "text/html",
            "image/png",
            "text/csv; charset=utf-8",
        ]
        .iter()
        .map(|t| {
            raw.find(&format!("Content-Type: {t}"))
                .unwrap_or_else(|| panic!("{t} in {raw}"))
        })
        .collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}\n{raw}");
        assert!(raw.contains("Content-ID: <logo>"), "{raw}");
    }

    #[test]
    fn attachments_alone_make_a_message() {
        let message = Email::new()
            .to("a@example.org")
            .attach(Attachment::new("a.pdf", vec![1]))
            .build(from(), "<1@example.com>")
            .unwrap();
        assert!(text(&message).contains("multipart/mixed"));
    }

    #[test]
    fn custom_headers_are_checked() {
        assert!(custom_header("X-Campaign", "봄 세일").is_ok());
        assert!(custom_header("List-Unsubscribe", "<https://example.com/u>").is_ok());
        for (name, value) in [
            ("", "x"),
            ("X Campaign", "x"),
            ("X:Y", "x"),
            ("X-한글", "x"),
            ("Content-Type", "text/html"),
            ("to", "a@example.com"),
            ("X-Ok", "a\r\nBcc: x@example.com"),
        ] {
            assert!(custom_header(name, value).is_err(), "{name:?}: {value:?}");
        }
    }
}
