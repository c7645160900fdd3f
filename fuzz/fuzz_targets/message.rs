//! Building and "sending" a message: `Mailer::message()` (sender and Message-ID from the
//! settings), recipients given as text or as `Mailbox`es, any subject and body, and
//! `verification_email`; then `send` under `SUPPRESS_SEND`, which records the message exactly as
//! it would go out.
//!
//! Any input gives either a structured error (a `ComposeError`, lettre's build error, a
//! `SendError`) or a message that an independent parser (mail-parser) reads back with the same
//! subject, sender and recipients, with no header line that a value could have injected.
//!
//! Input shape (`arbitrary`): the sender's name and address, recipients, subject and body;
//! addresses mostly from a short list so that the fuzzer spends its time on names and text.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use mail_parser::{Address, MessageParser};
use mailconf_core::{FromValue, MailConfig};
use mailconf_fuzz::pick;
use mailconf_smtp::lettre::message::{Mailboxes, header};
use mailconf_smtp::{Mailer, Recipient, SmtpConfig};

struct Input {
    from_name: String,
    from: String,
    to: Vec<To>,
    subject: String,
    body: String,
    verification: Option<(String, String)>,
}

enum To {
    Text(String),
    Mailbox(Option<String>, String),
}

fn text(u: &mut Unstructured<'_>) -> Result<String> {
    pick::one_of(u, pick::TEXTS, 1, 3)
}

fn address(u: &mut Unstructured<'_>) -> Result<String> {
    pick::one_of(u, pick::ADDRESSES, 7, 8)
}

fn input(u: &mut Unstructured<'_>) -> Result<Input> {
    let from_name = text(u)?;
    let from = address(u)?;
    let mut to = Vec::new();
    for _ in 0..u.int_in_range(1..=3)? {
        to.push(match u.int_in_range(0..=2)? {
            0 => To::Text(format!("{} <{}>", text(u)?, address(u)?)),
            1 => To::Text(if u.ratio(1, 2)? {
                address(u)?
            } else {
                u.arbitrary()?
            }),
            _ => To::Mailbox(
                if u.arbitrary()? { Some(text(u)?) } else { None },
                address(u)?,
            ),
        });
    }
    let verification = if u.ratio(1, 4)? {
        let link = if u.ratio(3, 4)? {
            format!("https://example.com/confirm?t={}", text(u)?)
        } else {
            u.arbitrary()?
        };
        Some((text(u)?, link))
    } else {
        None
    };
    Ok(Input {
        from_name,
        from,
        to,
        subject: text(u)?,
        body: u.arbitrary()?,
        verification,
    })
}

fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime")
    })
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(input) = input(&mut u) else {
        return;
    };
    // Plain text on loopback without a login: no TLS set-up per input, and nothing is sent
    // (SUPPRESS_SEND).
    let Ok(config) = SmtpConfig::from_map([
        ("MAIL_SERVER", "localhost"),
        ("MAIL_PORT", "2525"),
        ("MAIL_STARTTLS", "false"),
        ("MAIL_SSL_TLS", "false"),
        ("MAIL_FROM", input.from.as_str()),
        ("MAIL_FROM_NAME", input.from_name.as_str()),
        ("SUPPRESS_SEND", "true"),
        ("USE_CREDENTIALS", "false"),
    ]) else {
        return; // the loader's errors are the other targets' business
    };
    let mailer = match Mailer::new(&config) {
        Ok(mailer) => mailer,
        Err(error) => return assert!(!error.to_string().is_empty()),
    };
    let mut recipients = Vec::new();
    for to in &input.to {
        let converted = match to {
            To::Text(text) => text.as_str().into_mailbox(),
            To::Mailbox(name, address) => match mailconf_core::EmailAddress::from_value(address) {
                Ok(email) => mailconf_core::Mailbox {
                    name: name.clone(),
                    email,
                }
                .into_mailbox(),
                Err(_) => continue,
            },
        };
        match converted {
            Ok(mailbox) => recipients.push(mailbox),
            Err(error) => return assert!(!error.to_string().is_empty()),
        }
    }
    let expected: Vec<String> = match &input.verification {
        Some(_) => recipients.iter().take(1),
        None => recipients.iter().take(recipients.len()),
    }
    .map(|m| m.email.to_string())
    .collect();
    let built = match &input.verification {
        Some((app, link)) => match recipients.first() {
            Some(to) => mailer.verification_email(to.clone(), app, link),
            None => return,
        },
        None => {
            // Every recipient in one `To` header: lettre's `to()` called twice drops a quoted
            // local part (finding 8), the way `Mailer::message`'s docs say to avoid it.
            let mut builder = mailer.message().subject(input.subject.clone());
            if !recipients.is_empty() {
                builder = builder.mailbox(header::To::from(Mailboxes::from(recipients.clone())));
            }
            builder.body(input.body.clone()).map_err(Into::into)
        }
    };
    let message = match built {
        Ok(message) => message,
        Err(error) => return assert!(!error.to_string().is_empty()),
    };
    let sent = runtime().block_on(mailer.send(message));
    if let Err(error) = sent {
        return assert!(!error.to_string().is_empty());
    }
    let out = mailer
        .suppressed()
        .pop()
        .expect("a suppressed send is recorded");
    let raw = out.formatted();
    check_read_back(&raw, &input, &expected, &mailer.sender().email.to_string());
});

fn check_read_back(raw: &[u8], input: &Input, expected: &[String], sender: &str) {
    let shown = String::from_utf8_lossy(raw);
    let parsed = MessageParser::default()
        .parse(raw)
        .unwrap_or_else(|| panic!("mail-parser cannot read the message:\n{shown}"));
    // A value that injected a header line would show up as a header of its own.
    for header in ["Bcc", "X-Injected"] {
        assert!(
            parsed.header_raw(header).is_none(),
            "a {header} header appeared:\n{shown}"
        );
    }
    let subject = match &input.verification {
        Some((app, _)) => format!("Confirm your email for {app}"),
        None => input.subject.clone(),
    };
    // A subject given to lettre's own `.subject()` is written as lettre writes it, and one that
    // holds `=?`, or two spaces between words it encodes, is read back as another text (finding
    // 9: `Email` and `verification_email` encode it; `Mailer::message`'s docs say so).
    // (lettre encodes a word holding NUL, CR, LF or a non-ASCII character.)
    let encoded_by_lettre = subject
        .bytes()
        .any(|b| matches!(b, 0 | b'\n' | b'\r') || b > 127);
    let lettre_subject = input.verification.is_none()
        && (subject.contains("=?") || (encoded_by_lettre && subject.contains("  ")));
    if !lettre_subject {
        // Word by word: mail-parser folds a run of spaces before an encoded word into one.
        let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        assert_eq!(
            words(parsed.subject().unwrap_or("")),
            words(&subject),
            "subject of\n{shown}"
        );
    }
    // A quoted local part may escape any character (`"\'"` is `"'"`): both sides compared as
    // what they stand for, since mail-parser unescapes a bare one and keeps one inside `<>`.
    let expected: Vec<String> = expected.iter().map(|a| quoting_unescaped(a)).collect();
    assert_eq!(addresses(parsed.to()), expected, "recipients of\n{shown}");
    assert_eq!(
        addresses(parsed.from()),
        [sender.to_owned()],
        "sender of\n{shown}"
    );
}

fn addresses(field: Option<&Address<'_>>) -> Vec<String> {
    field
        .map(|a| {
            a.iter()
                .filter_map(read_address)
                .map(|a| quoting_unescaped(&a))
                .collect()
        })
        .unwrap_or_default()
}

/// `address` with its quoted local part's escapes undone and only `\\` and `"` escaped again.
fn quoting_unescaped(address: &str) -> String {
    let Some((local, domain)) = address.rsplit_once('@') else {
        return address.to_owned();
    };
    let Some(inner) = local.strip_prefix('"').and_then(|l| l.strip_suffix('"')) else {
        return address.to_owned();
    };
    let mut text = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        text.push(if c == '\\' {
            chars.next().unwrap_or(c)
        } else {
            c
        });
    }
    let quoted = text.replace('\\', "\\\\").replace('"', "\\\"");
    format!("\"{quoted}\"@{domain}")
}

/// The address mail-parser read, undoing its one misreading: a bare address whose local part
/// is quoted (`"BSu"@Su`, valid RFC 5322, written so by lettre) comes back as the name `BSu`
/// and the address `@Su`; inside `<>` it is read right.
fn read_address(addr: &mail_parser::Addr<'_>) -> Option<String> {
    let address = addr.address()?;
    Some(match (address.strip_prefix('@'), addr.name()) {
        (Some(_), Some(local)) => {
            let quoted = local.replace('\\', "\\\\").replace('"', "\\\"");
            format!("\"{quoted}\"{address}")
        }
        _ => address.to_owned(),
    })
}
