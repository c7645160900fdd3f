//! What the inbox shows of a caught message, read with mail-parser: the list entry, the parts,
//! the attachments, and the HTML made safe to show (inline images as data: URLs).

use base64::Engine as _;
use mail_parser::{Address, MessageParser, MimeHeaders, PartType};
use serde::Serialize;

/// One caught message as the dev server received it.
#[derive(Debug, Clone)]
pub struct Caught {
    pub id: u64,
    /// Seconds since the Unix epoch.
    pub received: u64,
    pub mail_from: String,
    pub rcpt_to: Vec<String>,
    pub data: Vec<u8>,
}

/// An attachment (or inline image) as listed.
#[derive(Debug, Clone, Serialize)]
pub struct AttachmentInfo {
    pub index: usize,
    pub name: String,
    pub content_type: String,
    pub size: usize,
}

/// The list entry: `GET /api/messages`.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub id: u64,
    pub received: u64,
    pub from: String,
    pub to: Vec<String>,
    pub rcpt_to: Vec<String>,
    pub subject: String,
    pub size: usize,
    pub has_html: bool,
    pub attachments: Vec<AttachmentInfo>,
}

/// Everything about one message: `GET /api/messages/{id}`.
#[derive(Debug, Clone, Serialize)]
pub struct Detail {
    #[serde(flatten)]
    pub summary: Summary,
    pub headers: Vec<(String, String)>,
    pub text: Option<String>,
}

fn mailboxes(address: Option<&Address<'_>>) -> Vec<String> {
    address
        .map(|a| {
            a.iter()
                .map(|addr| match (addr.name(), addr.address()) {
                    (Some(name), Some(email)) => format!("{name} <{email}>"),
                    (None, Some(email)) => email.to_owned(),
                    (Some(name), None) => name.to_owned(),
                    (None, None) => String::new(),
                })
                .collect()
        })
        .unwrap_or_default()
}

impl Caught {
    fn parsed(&self) -> Option<mail_parser::Message<'_>> {
        MessageParser::default().parse(&self.data)
    }

    pub fn summary(&self) -> Summary {
        let parsed = self.parsed();
        let (from, to, subject, has_html, attachments) = match &parsed {
            Some(m) => (
                mailboxes(m.from()).join(", "),
                mailboxes(m.to()),
                m.subject().unwrap_or_default().to_owned(),
                m.parts.iter().any(|p| matches!(p.body, PartType::Html(_))),
                m.attachments()
                    .enumerate()
                    .map(|(index, part)| AttachmentInfo {
                        index,
                        name: part
                            .attachment_name()
                            .map_or_else(|| format!("attachment-{}", index + 1), str::to_owned),
                        content_type: content_type(part),
                        size: part.contents().len(),
                    })
                    .collect(),
            ),
            None => (String::new(), Vec::new(), String::new(), false, Vec::new()),
        };
        Summary {
            id: self.id,
            received: self.received,
            from: if from.is_empty() {
                self.mail_from.clone()
            } else {
                from
            },
            to,
            rcpt_to: self.rcpt_to.clone(),
            subject,
            size: self.data.len(),
            has_html,
            attachments,
        }
    }

    pub fn detail(&self) -> Detail {
        let parsed = self.parsed();
        let headers = parsed
            .as_ref()
            .map(|m| {
                m.headers_raw()
                    .map(|(name, value)| (name.to_owned(), value.trim().to_owned()))
                    .collect()
            })
            .unwrap_or_default();
        let text = parsed.as_ref().and_then(|m| {
            m.parts.iter().find_map(|p| match &p.body {
                PartType::Text(text) => Some(text.to_string()),
                _ => None,
            })
        });
        Detail {
            summary: self.summary(),
            headers,
            text,
        }
    }

    /// The HTML part with `cid:` images replaced by data: URLs, so that the page needs no
    /// network access at all (its CSP allows none).
    pub fn html(&self) -> Option<String> {
        let parsed = self.parsed()?;
        let mut html = parsed.parts.iter().find_map(|p| match &p.body {
            PartType::Html(html) => Some(html.to_string()),
            _ => None,
        })?;
        for part in parsed.attachments() {
            let Some(cid) = part.content_id() else {
                continue;
            };
            let cid = cid.trim_start_matches('<').trim_end_matches('>');
            let data = base64::engine::general_purpose::STANDARD.encode(part.contents());
            html = html.replace(
                &format!("cid:{cid}"),
                &format!("data:{};base64,{data}", content_type(part)),
            );
        }
        Some(html)
    }

    /// The `index`th attachment: its name, type and bytes.
    pub fn attachment(&self, index: usize) -> Option<(String, String, Vec<u8>)> {
        let parsed = self.parsed()?;
        let part = parsed.attachments().nth(index)?;
        let name = part
            .attachment_name()
            .map_or_else(|| format!("attachment-{}", index + 1), str::to_owned);
        Some((name, content_type(part), part.contents().to_vec()))
    }
}

fn content_type(part: &mail_parser::MessagePart<'_>) -> String {
    part.content_type().map_or_else(
        || "application/octet-stream".to_owned(),
        |ct| match ct.subtype() {
            Some(sub) => format!("{}/{sub}", ct.ctype()),
            None => ct.ctype().to_owned(),
        },
    )
}
