//! Composing messages: the builder with sender and Message-ID, and the verification email.

use lettre::Message;
use lettre::message::{MessageBuilder, MultiPart, SinglePart, header};
use mailconf_core::{FromValue, Host};

use super::Mailer;
use super::error::ComposeError;
use crate::verification::{self, Vars};

/// One recipient: `"Name <address>"` or a bare address as text, or a mailbox.
pub trait Recipient {
    /// lettre's mailbox, or why it is not a valid one.
    fn into_mailbox(self) -> Result<lettre::message::Mailbox, ComposeError>;
}

impl Recipient for &str {
    fn into_mailbox(self) -> Result<lettre::message::Mailbox, ComposeError> {
        let mailbox = match self.parse::<lettre::message::Mailbox>() {
            Ok(mailbox) => mailbox,
            // lettre's parser refuses some valid forms that its `Address::new` accepts, such
            // as a quoted local part (`"quoted local"@example.com`): mailconf's parser reads them.
            Err(e) => match mailconf_core::Mailbox::from_value(self) {
                Ok(ours) => lettre_mailbox(&ours).map_err(|reason| ComposeError::Recipient {
                    input: self.to_owned(),
                    reason,
                })?,
                Err(_) => {
                    return Err(ComposeError::Recipient {
                        input: self.to_owned(),
                        reason: e.to_string(),
                    });
                }
            },
        };
        writable(mailbox)
    }
}

impl Recipient for &String {
    fn into_mailbox(self) -> Result<lettre::message::Mailbox, ComposeError> {
        self.as_str().into_mailbox()
    }
}

impl Recipient for String {
    fn into_mailbox(self) -> Result<lettre::message::Mailbox, ComposeError> {
        self.as_str().into_mailbox()
    }
}

impl Recipient for lettre::message::Mailbox {
    fn into_mailbox(self) -> Result<lettre::message::Mailbox, ComposeError> {
        writable(self)
    }
}

/// The mailbox, unless its display name holds a line break: lettre cannot write one (its
/// `To` header panics while formatting it; found by fuzz/fuzz_targets/message.rs), and a name
/// that carried it into a header would inject lines. Nor may the address hold a control
/// character, even quoted: SMTP's `RCPT TO` has no way to carry one (RFC 5321, 4.1.2), and
/// readers split the header at a tab in it (fuzz finding 19).
fn writable(mailbox: lettre::message::Mailbox) -> Result<lettre::message::Mailbox, ComposeError> {
    let address: &str = mailbox.email.as_ref();
    if address.chars().any(char::is_control) {
        return Err(ComposeError::Recipient {
            input: mailbox.email.to_string(),
            reason: "the address contains a control character (a tab, say), which SMTP cannot \
                     carry"
                .to_owned(),
        });
    }
    if mailbox
        .name
        .as_deref()
        .is_some_and(|name| name.contains(['\r', '\n']))
    {
        return Err(ComposeError::Recipient {
            input: mailbox.email.to_string(),
            reason: "the display name contains a line break".to_owned(),
        });
    }
    Ok(mailbox)
}

impl Recipient for &mailconf_core::Mailbox {
    fn into_mailbox(self) -> Result<lettre::message::Mailbox, ComposeError> {
        let mailbox = lettre_mailbox(self).map_err(|reason| ComposeError::Recipient {
            input: self.to_string(),
            reason,
        })?;
        writable(mailbox)
    }
}

impl Recipient for mailconf_core::Mailbox {
    fn into_mailbox(self) -> Result<lettre::message::Mailbox, ComposeError> {
        (&self).into_mailbox()
    }
}

impl Mailer {
    /// A message builder with `From` set to the sender (`MAIL_FROM_NAME <MAIL_FROM>`), a
    /// fresh `Message-ID` (`<random@sender-domain>`), which [`SendReport`](super::SendReport)
    /// hands back, and `MIME-Version: 1.0`. Add recipients, a subject and a body; lettre adds
    /// `Date`. A plain `.body(String)` gets no `Content-Type` from lettre:
    /// [`send`](Mailer::send) adds `text/plain; charset=utf-8`.
    ///
    /// For several recipients, prefer [`Email`](crate::Email), or write them in one header
    /// (`.mailbox(header::To::from(mailboxes))`): lettre's `.to()` called a second time re-reads
    /// the `To` header it wrote, and drops a recipient with a quoted local part
    /// (`"quoted local"@example.com`) that its parser cannot read back. `Email` also encodes a
    /// subject that lettre's `.subject()` would let readers misread (one holding `=?`, or two
    /// spaces between non-ASCII words).
    pub fn message(&self) -> MessageBuilder {
        Message::builder()
            .from(self.inner.sender.clone())
            .message_id(Some(self.new_message_id()))
            .header(header::MIME_VERSION_1_0)
    }

    /// A fresh `<random@sender-domain>`; also given by `send` to a message that has none.
    pub(crate) fn new_message_id(&self) -> String {
        let id: String = std::iter::repeat_with(fastrand::alphanumeric)
            .take(32)
            .collect();
        format!("<{id}@{}>", self.inner.id_domain)
    }

    /// The email that asks a new user to confirm their address: subject "Confirm your email
    /// for {app_name}", a plain-text part and an HTML part (inputs HTML-escaped), both with
    /// `link`, which must be an absolute `http(s)://` URL.
    ///
    /// It is rendered from the templates in [`verification`](crate::verification) (shipped in
    /// the crate). With the `templates` feature, a `verification_email.html` or
    /// `verification_email.txt` in `TEMPLATE_FOLDER` replaces them (see that module), and an
    /// error of such a template is a [`ComposeError::Template`].
    pub fn verification_email(
        &self,
        to: impl Recipient,
        app_name: &str,
        link: &str,
    ) -> Result<Message, ComposeError> {
        let to = to.into_mailbox()?;
        if app_name.chars().any(char::is_control) {
            return Err(ComposeError::ControlCharacter { field: "app name" });
        }
        let link = checked_link(link)?;
        let email = to.email.to_string();
        let vars = Vars {
            name: to.name.as_deref().map_or("", str::trim),
            email: &email,
            app_name,
            link: &link,
        };
        #[cfg(feature = "templates")]
        let rendered = verification::render(self.templates(), &vars)?;
        #[cfg(not(feature = "templates"))]
        let rendered = verification::render(&vars)?;
        let builder = self
            .message()
            .to(to)
            .raw_header(crate::email::unstructured_header(
                lettre::message::header::HeaderName::new_from_ascii_str("Subject"),
                &rendered.subject,
            ));
        Ok(match rendered.html {
            Some(html) => {
                builder.multipart(MultiPart::alternative_plain_html(rendered.text, html))?
            }
            None => builder.singlepart(SinglePart::plain(rendered.text))?,
        })
    }
}

fn checked_link(link: &str) -> Result<String, ComposeError> {
    let invalid = |reason: &str| ComposeError::Link {
        reason: reason.to_owned(),
    };
    let url = url::Url::parse(link).map_err(|e| invalid(&format!("not an absolute URL ({e})")))?;
    // A javascript: or data: link in a confirmation email is an attack, not a typo.
    if !matches!(url.scheme(), "https" | "http") || url.host().is_none() {
        return Err(invalid("only http:// and https:// links are allowed"));
    }
    Ok(url.into())
}

/// lettre's mailbox for ours; lettre validates the address again and may refuse some forms
/// (such as quoted local parts) that mailconf accepts.
pub(super) fn lettre_mailbox(
    mailbox: &mailconf_core::Mailbox,
) -> Result<lettre::message::Mailbox, String> {
    let email = &mailbox.email;
    let address =
        lettre::Address::new(email.local_part(), email.domain()).map_err(|e| e.to_string())?;
    Ok(lettre::message::Mailbox::new(mailbox.name.clone(), address))
}

/// The sender's domain as ASCII for the Message-ID (an internationalised domain in punycode).
pub(super) fn ascii_domain(domain: &str) -> String {
    if domain.is_ascii() {
        return domain.to_owned();
    }
    match Host::from_value(domain) {
        Ok(Host::Domain(ascii)) => ascii,
        // Not expected for a valid sender, but a Message-ID must still be well-formed.
        _ => "mailconf.invalid".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_recipient_name_with_a_line_break_is_refused_instead_of_panicking_in_lettre() {
        let email = mailconf_core::EmailAddress::from_value("jo@example.com").unwrap();
        let named = mailconf_core::Mailbox {
            name: Some("Jo\r\nBcc: evil@example.com".to_owned()),
            email,
        };
        let lettre_named = lettre::message::Mailbox::new(
            Some("Jo\nDoe".to_owned()),
            "jo@example.com".parse().unwrap(),
        );
        for result in [
            (&named).into_mailbox(),
            lettre_named.into_mailbox(),
            "\"Jo\r\n Doe\" <jo@example.com>".into_mailbox(),
        ] {
            let error = result.unwrap_err();
            assert!(matches!(error, ComposeError::Recipient { .. }), "{error}");
        }
        let fine = lettre::message::Mailbox::new(
            Some("Jo Doe".to_owned()),
            "jo@example.com".parse().unwrap(),
        );
        assert!(fine.into_mailbox().is_ok());
    }

    #[test]
    fn an_address_with_a_control_character_is_refused_even_quoted() {
        // The `email` fuzz target's input (finding 19): mailconf's parser accepted it, lettre
        // wrote it, and mail-parser read one garbled address for the header's three.
        let error = "\"\t\\u1\\1([!0\"@e".into_mailbox().unwrap_err();
        assert!(error.to_string().contains("control character"), "{error}");
        assert!("\"a b\"@example.com".into_mailbox().is_ok());
    }

    #[test]
    fn links_must_be_absolute_http() {
        assert!(checked_link("https://example.com/confirm?t=1&u=2").is_ok());
        for bad in [
            "javascript:alert(1)",
            "/relative",
            "ftp://example.com/x",
            "data:text/html,x",
        ] {
            assert!(
                matches!(checked_link(bad), Err(ComposeError::Link { .. })),
                "{bad}"
            );
        }
    }

    #[test]
    fn internationalised_domains_become_punycode() {
        assert_eq!(ascii_domain("example.com"), "example.com");
        assert_eq!(ascii_domain("bücher.example"), "xn--bcher-kva.example");
    }
}
