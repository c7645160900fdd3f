//! Building a message with mailconf's own API, [`Email`]: any recipients in To, Cc, Bcc and
//! Reply-To (one or many each), subject, text, HTML, attachments with any file name, content
//! type and bytes, an inline image, custom headers; then [`Email::build`], the pure function
//! `Mailer::compose` and `Mailer::send_email` use.
//!
//! Any input gives either an `EmailError` with a message, or a message that an independent
//! parser (mail-parser) reads back with the same subject, the same recipients in each header,
//! no `Bcc` header, an envelope of every recipient, each attachment's file name as given, and no
//! header line that a value could have injected.
//!
//! Input shape (`arbitrary`): addresses and texts mostly from short lists (a quoted local part,
//! IDNs, Korean, CR/LF, encoded words), so that the fuzzer spends its time on combinations.
#![no_main]

use std::collections::BTreeSet;

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use mail_parser::{Address, MessageParser, MimeHeaders};
use mailconf_fuzz::pick;
use mailconf_smtp::Recipient;
use mailconf_smtp::email::{Attachment, Email};
use mailconf_smtp::lettre::message::Mailbox;

const CONTENT_TYPES: &[&str] = &[
    "application/pdf",
    "text/plain",
    "text/plain; charset=utf-8",
    "image/png",
    "multipart/mixed",
    "not a type",
    "",
];

const HEADER_NAMES: &[&str] = &[
    "X-Campaign",
    "X-Injected",
    "Bcc",
    "Subject",
    "List-Unsubscribe",
    "X Bad",
    "",
];

fn text(u: &mut Unstructured<'_>) -> Result<String> {
    pick::one_of(u, pick::TEXTS, 1, 2)
}

/// A recipient as a user writes it: a bare address or `Name <address>`.
fn recipient(u: &mut Unstructured<'_>) -> Result<String> {
    let address = pick::one_of(u, pick::ADDRESSES, 7, 8)?;
    Ok(if u.arbitrary()? {
        address
    } else {
        format!("{} <{address}>", text(u)?)
    })
}

fn recipients(u: &mut Unstructured<'_>, most: u32) -> Result<Vec<String>> {
    (0..u.int_in_range(0..=most)?)
        .map(|_| recipient(u))
        .collect()
}

fn attachment(u: &mut Unstructured<'_>) -> Result<Attachment> {
    let name = text(u)?;
    let bytes: Vec<u8> = u.arbitrary()?;
    let mut attachment = Attachment::new(name, bytes);
    if u.ratio(1, 3)? {
        let content_type = pick::one_of(u, CONTENT_TYPES, 3, 4)?;
        attachment = attachment.content_type(&content_type);
    }
    Ok(attachment)
}

struct Input {
    to: Vec<String>,
    cc: Vec<String>,
    bcc: Vec<String>,
    reply_to: Vec<String>,
    subject: Option<String>,
    email: Email,
    attachment_names: Vec<String>,
    /// How many custom headers named `X-Injected` the input itself asked for.
    injected_asked: usize,
}

fn input(u: &mut Unstructured<'_>) -> Result<Input> {
    let to = recipients(u, 3)?;
    let cc = recipients(u, 2)?;
    let bcc = recipients(u, 2)?;
    let reply_to = recipients(u, 1)?;
    let mut email = Email::new();
    // Each header's recipients in one call or one at a time: both must give one header.
    let one_call = u.arbitrary::<bool>()?;
    let adders: [(&Vec<String>, fn(Email, Vec<String>) -> Email); 4] = [
        (&to, |e, l| e.to(l)),
        (&cc, |e, l| e.cc(l)),
        (&bcc, |e, l| e.bcc(l)),
        (&reply_to, |e, l| e.reply_to(l)),
    ];
    for (list, add) in adders {
        if one_call {
            email = add(email, list.clone());
        } else {
            for r in list {
                email = add(email, vec![r.clone()]);
            }
        }
    }
    let subject = if u.ratio(7, 8)? { Some(text(u)?) } else { None };
    if let Some(subject) = &subject {
        email = email.subject(subject.clone());
    }
    if u.ratio(3, 4)? {
        email = email.text(u.arbitrary::<String>()?);
    }
    if u.ratio(1, 2)? {
        email = email.html(u.arbitrary::<String>()?);
    }
    let mut attachment_names = Vec::new();
    for _ in 0..u.int_in_range(0..=2)? {
        let attachment = attachment(u)?;
        attachment_names.push(attachment.name().to_owned());
        email = email.attach(attachment);
    }
    if u.ratio(1, 4)? {
        let content_id = if u.ratio(1, 2)? {
            "logo@example.com".to_owned()
        } else {
            text(u)?
        };
        email = email.inline(content_id, attachment(u)?);
    }
    let mut injected_asked = 0;
    for _ in 0..u.int_in_range(0..=2)? {
        let name = pick::one_of(u, HEADER_NAMES, 3, 4)?;
        if name.trim().eq_ignore_ascii_case("X-Injected") {
            injected_asked += 1;
        }
        email = email.header(name, text(u)?);
    }
    Ok(Input {
        to,
        cc,
        bcc,
        reply_to,
        subject,
        email,
        attachment_names,
        injected_asked,
    })
}

/// The addresses the builder must write for `list`, or `None` when one is not a valid mailbox
/// (then building must fail).
fn expected(list: &[String]) -> Option<Vec<String>> {
    list.iter()
        .map(|r| r.as_str().into_mailbox().ok().map(|m| m.email.to_string()))
        .collect()
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(input) = input(&mut u) else {
        return;
    };
    let from: Mailbox = "App <app@example.com>".parse().expect("a valid sender");
    let lists = [&input.to, &input.cc, &input.bcc, &input.reply_to].map(|l| expected(l));
    let message = match input.email.build(from, "<fuzz@example.com>") {
        Ok(message) => message,
        Err(error) => return assert!(!error.to_string().is_empty(), "{error:?}"),
    };
    let [Some(to), Some(cc), Some(bcc), Some(reply_to)] = lists else {
        panic!(
            "an invalid recipient was accepted: {:?}",
            [&input.to, &input.cc, &input.bcc, &input.reply_to]
        );
    };
    let envelope: BTreeSet<String> = message
        .envelope()
        .to()
        .iter()
        .map(ToString::to_string)
        .collect();
    let wanted: BTreeSet<String> = to.iter().chain(&cc).chain(&bcc).cloned().collect();
    assert_eq!(envelope, wanted, "the envelope's recipients");

    let raw = message.formatted();
    let shown = String::from_utf8_lossy(&raw);
    let parsed = MessageParser::default()
        .parse(&raw[..])
        .unwrap_or_else(|| panic!("mail-parser cannot read the message:\n{shown}"));
    // A value that smuggled a header line in would show up as a header of its own, at the
    // top or in a part's header block (bodies are not looked at: a text may say "Bcc:").
    let count = |name: &str| {
        parsed
            .parts
            .iter()
            .flat_map(|part| part.headers.iter())
            .filter(|h| h.name.as_str().eq_ignore_ascii_case(name))
            .count()
    };
    assert_eq!(count("Bcc"), 0, "a Bcc header appeared:\n{shown}");
    assert!(
        count("X-Injected") <= input.injected_asked,
        "an X-Injected header appeared:\n{shown}"
    );
    if let Some(subject) = &input.subject {
        // Compared word by word: mail-parser folds a run of spaces before an encoded word
        // into one, as a reader may when it unfolds.
        let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        assert_eq!(
            words(parsed.subject().unwrap_or("")),
            words(subject),
            "subject of\n{shown}"
        );
    }
    same_addresses(parsed.to(), &to, "To", &shown);
    same_addresses(parsed.cc(), &cc, "Cc", &shown);
    same_addresses(parsed.reply_to(), &reply_to, "Reply-To", &shown);
    let names: Vec<String> = parsed
        .attachments()
        .filter(|part| part.content_id().is_none())
        .map(|part| part.attachment_name().unwrap_or("").to_owned())
        .collect();
    if names.len() == input.attachment_names.len() {
        for (read, given) in names.iter().zip(&input.attachment_names) {
            // Names shaped like an RFC 2047 encoded word (`=?utf-8?q?x?=`) included: they are
            // written in RFC 2231's extended form, which readers do not decode further
            // (docs/RELIABILITY.md, finding 10).
            assert_eq!(read.trim(), given.trim(), "attachment name in\n{shown}");
        }
    }
});

/// The header read back holds `expected`, in order. mail-parser reads a bare address with a
/// quoted local part (`"quoted local"@example.com`, valid RFC 5322) as a display name and keeps
/// only `@example.com`: for those, only the domain is compared.
fn same_addresses(field: Option<&Address<'_>>, expected: &[String], header: &str, shown: &str) {
    let read: Vec<String> = field
        .map(|a| {
            a.iter()
                .filter_map(|addr| addr.address().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    let same = read.len() == expected.len()
        && read.iter().zip(expected).all(|(read, expected)| {
            if expected.starts_with('"') {
                expected
                    .rsplit_once('@')
                    .is_some_and(|(_, domain)| read.ends_with(&format!("@{domain}")))
            } else {
                read == expected
            }
        });
    assert!(
        same,
        "{header}: read {read:?}, expected {expected:?} in\n{shown}"
    );
}
