//! Reads a received message with an independent, strict parser: Python's `email` package
//! (`policy=default`) in the shared test venv (`MAILCONF_PYTHON`, set by
//! `scripts/setup/10-python-venv.sh`). See `support/mime_check.py`.

use std::path::{Path, PathBuf};

use serde_json::Value;

/// One MIME part as Python's `email` read it.
#[derive(Debug, Clone)]
pub struct Part {
    /// `maintype/subtype`, lower case (`text/plain` when the header is missing).
    pub content_type: String,
    /// The `charset` parameter, if any.
    pub charset: Option<String>,
    /// `Content-Transfer-Encoding`, if any.
    pub transfer_encoding: Option<String>,
    /// The parser's defects for the part and its headers (class names).
    pub defects: Vec<String>,
    /// The decoded text of a `text/*` leaf part, line breaks as `\n`.
    pub text: Option<String>,
    /// The file name (`Content-Disposition`'s `filename`, RFC 2231 decoded), if any.
    pub filename: Option<String>,
    /// The `Content-ID` header, if any.
    pub content_id: Option<String>,
    /// A leaf part's decoded content (transfer encoding undone).
    pub payload: Option<Vec<u8>>,
}

/// A message as Python's `email` read it.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// Top-level headers, decoded (RFC 2047 words become text), in order.
    pub headers: Vec<(String, String)>,
    /// Every part, the message itself first.
    pub parts: Vec<Part>,
    /// The longest line of the raw message, in octets, without its line break.
    pub longest_line: usize,
    /// The addresses (`addr_spec`) of the `From`, `To`, `Cc`, `Reply-To` and `Bcc` headers
    /// as Python read them, by header name.
    pub addresses: std::collections::BTreeMap<String, Vec<String>>,
}

impl Parsed {
    /// The decoded value of the first top-level header `name` (case-insensitive).
    #[must_use]
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Every defect of every part, as `part N: Defect`.
    #[must_use]
    pub fn defects(&self) -> Vec<String> {
        self.parts
            .iter()
            .enumerate()
            .flat_map(|(i, p)| p.defects.iter().map(move |d| format!("part {i}: {d}")))
            .collect()
    }

    /// The addresses of header `name` as Python read them (empty when there is none).
    #[must_use]
    pub fn addresses(&self, name: &str) -> &[String] {
        self.addresses.get(name).map_or(&[], Vec::as_slice)
    }

    /// The leaf part whose file name is `name`.
    #[must_use]
    pub fn attachment(&self, name: &str) -> Option<&Part> {
        self.parts
            .iter()
            .find(|p| p.filename.as_deref() == Some(name))
    }

    /// The `text/plain` leaf parts.
    pub fn plain_parts(&self) -> impl Iterator<Item = &Part> {
        self.parts
            .iter()
            .filter(|p| p.content_type == "text/plain" && p.text.is_some())
    }

    /// Asserts what every message mailconf builds must be: no defects anywhere,
    /// `MIME-Version: 1.0`, `Date`, `Message-ID`, `charset=utf-8` on every text part, lines of
    /// at most 998 octets, and a transfer encoding on every leaf part.
    ///
    /// # Panics
    /// When one of them does not hold, with the parsed message in the panic message.
    pub fn assert_well_formed(&self) {
        assert!(
            self.defects().is_empty(),
            "defects {:?} in {self:#?}",
            self.defects()
        );
        assert_eq!(self.header("MIME-Version"), Some("1.0"), "{self:#?}");
        assert!(self.header("Date").is_some(), "no Date: {self:#?}");
        assert!(
            self.header("Message-ID").is_some(),
            "no Message-ID: {self:#?}"
        );
        assert!(
            self.longest_line <= 998,
            "a line of {} octets",
            self.longest_line
        );
        let top_has_type = self.header("Content-Type").is_some();
        assert!(top_has_type, "no top-level Content-Type: {self:#?}");
        for part in &self.parts {
            if part.content_type.starts_with("multipart/") {
                continue;
            }
            assert!(
                part.transfer_encoding.is_some(),
                "a leaf part without Content-Transfer-Encoding: {self:#?}"
            );
            if part.content_type.starts_with("text/") {
                assert_eq!(
                    part.charset
                        .as_deref()
                        .map(str::to_ascii_lowercase)
                        .as_deref(),
                    Some("utf-8"),
                    "{self:#?}"
                );
            }
        }
    }
}

/// The venv's Python, or `None` (after `SKIPPED: ...` on stderr) outside CI when there is
/// none.
///
/// # Panics
/// Under CI when it is missing.
#[must_use]
pub fn python() -> Option<PathBuf> {
    let candidate = std::env::var_os("MAILCONF_PYTHON").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/test-venv/bin/python"),
        PathBuf::from,
    );
    if candidate.exists() {
        return Some(candidate);
    }
    crate::skip::missing(
        "the MIME check with Python's email package",
        &format!("no test venv Python ({})", candidate.display()),
    );
    None
}

/// Parses `raw` as the templated order email of `tests/support/templates` (its HTML and text
/// alternatives, well formed, with `subject`), or `None` when the venv is missing outside CI.
///
/// # Panics
/// When the message is not well formed, or its subject or parts differ.
#[must_use]
pub fn parse_templated(raw: &[u8], subject: &str) -> Option<Parsed> {
    let parsed = parse(raw)?;
    parsed.assert_well_formed();
    assert_eq!(parsed.header("Subject"), Some(subject));
    let types: Vec<&str> = parsed
        .parts
        .iter()
        .map(|p| p.content_type.as_str())
        .collect();
    assert_eq!(types, ["multipart/alternative", "text/plain", "text/html"]);
    Some(parsed)
}

/// Parses `raw` with Python's `email` (`policy=default`), or `None` when the venv is missing
/// outside CI (see [`python`]).
///
/// # Panics
/// When Python fails or prints something that is not the expected JSON.
#[must_use]
pub fn parse(raw: &[u8]) -> Option<Parsed> {
    let python = python()?;
    let v = crate::venv::run_script(&python, "mime_check.py", &[], raw);
    let text = |v: &Value| v.as_str().map(str::to_owned);
    let strings = |v: &Value| -> Vec<String> {
        v.as_array()
            .into_iter()
            .flatten()
            .filter_map(text)
            .collect()
    };
    let names = strings(&v["header_names"]);
    let headers = names
        .into_iter()
        .map(|n| {
            let value = text(&v["headers"][n.as_str()]).unwrap_or_default();
            (n, value)
        })
        .collect();
    let parts = v["parts"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| Part {
            content_type: text(&p["content_type"]).unwrap_or_default(),
            charset: text(&p["charset"]),
            transfer_encoding: text(&p["transfer_encoding"]),
            defects: strings(&p["defects"])
                .into_iter()
                .chain(strings(&p["header_defects"]))
                .collect(),
            text: text(&p["text"]),
            filename: text(&p["filename"]),
            content_id: text(&p["content_id"]),
            payload: p["payload_b64"].as_str().and_then(|b| {
                base64::Engine::decode(&base64::engine::general_purpose::STANDARD, b).ok()
            }),
        })
        .collect();
    let addresses = v["addresses"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(name, list)| (name.clone(), strings(list)))
        .collect();
    Some(Parsed {
        addresses,
        headers,
        parts,
        longest_line: usize::try_from(v["longest_line"].as_u64().unwrap_or(0))
            .unwrap_or(usize::MAX),
    })
}
