//! Attachments and inline images: bytes or a file, a file name, a content type guessed from it.

use std::fmt;
use std::io::Read as _;
use std::path::Path;

use lettre::message::header::ContentType;

use super::error::{EmailError, Field};

/// The largest file [`Attachment::from_path`] reads: far above what mail servers accept
/// (commonly 10–50 MB for the whole message), low enough that a wrong path such as a device
/// cannot exhaust memory.
pub const MAX_ATTACHMENT_BYTES: u64 = 64 * 1024 * 1024;

/// A file attached to an [`Email`](super::Email), or shown inside its HTML as an inline image.
///
/// The content type is guessed from the file name's extension (`mime_guess`), and
/// `application/octet-stream` when it is unknown; [`content_type`](Self::content_type)
/// overrides it. A `text/*` attachment whose bytes are UTF-8 gets `charset=utf-8`.
///
/// ```
/// use mailconf_smtp::email::Attachment;
///
/// let report = Attachment::new("보고서.csv", "이름,점수\n민준,90\n").content_type("text/csv");
/// assert_eq!(report.name(), "보고서.csv");
/// ```
#[derive(Clone)]
pub struct Attachment {
    name: String,
    bytes: Vec<u8>,
    content_type: Option<String>,
    /// Why the attachment cannot be used (a file that cannot be read), reported when the
    /// message is built, so that the builder chain stays unbroken.
    problem: Option<String>,
}

impl Attachment {
    /// An attachment of `bytes` called `name` (the file name a reader sees and saves as).
    pub fn new(name: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Attachment {
        Attachment {
            name: name.into(),
            bytes: bytes.into(),
            content_type: None,
            problem: None,
        }
    }

    /// The file at `path`, read now, named by its last component. A file that cannot be read
    /// (missing, not a regular file, over [`MAX_ATTACHMENT_BYTES`]) is an
    /// [`EmailError::Attachment`] naming it when the message is built.
    pub fn from_path(path: impl AsRef<Path>) -> Attachment {
        let path = path.as_ref();
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        match read(path) {
            Ok(bytes) => Attachment::new(name, bytes),
            Err(reason) => Attachment {
                problem: Some(format!("cannot read {}: {reason}", path.display())),
                ..Attachment::new(name, Vec::new())
            },
        }
    }

    /// Sets the content type (`image/png`, `text/csv; charset=utf-8`…) instead of the guess.
    pub fn content_type(mut self, content_type: &str) -> Attachment {
        self.content_type = Some(content_type.to_owned());
        self
    }

    /// Renames the file that readers see.
    pub fn file_name(mut self, name: impl Into<String>) -> Attachment {
        self.name = name.into();
        self
    }

    /// The file name readers see.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The content.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The content type the part will have, or why it cannot be used.
    pub(super) fn checked(&self, field: Field) -> Result<ContentType, EmailError> {
        let refuse = |reason: String| EmailError::Attachment {
            field,
            name: self.name.clone(),
            reason,
        };
        if let Some(problem) = &self.problem {
            return Err(refuse(problem.clone()));
        }
        if self.name.trim().is_empty() {
            return Err(refuse("the file name is empty".to_owned()));
        }
        if self.name.chars().any(char::is_control) {
            return Err(refuse(
                "the file name contains a control character such as a line break".to_owned(),
            ));
        }
        let with_charset = self.content_type_text();
        ContentType::parse(&with_charset)
            .map_err(|e| refuse(format!("invalid content type {with_charset:?}: {e}")))
    }
}

impl Attachment {
    /// The given or guessed type, with `charset=utf-8` for UTF-8 text.
    fn content_type_text(&self) -> String {
        let given = match &self.content_type {
            Some(given) => given.clone(),
            None => mime_guess::from_path(&self.name)
                .first_or_octet_stream()
                .essence_str()
                .to_owned(),
        };
        if given.starts_with("text/")
            && !given.to_ascii_lowercase().contains("charset")
            && std::str::from_utf8(&self.bytes).is_ok()
        {
            format!("{given}; charset=utf-8")
        } else {
            given
        }
    }
}

impl fmt::Debug for Attachment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Attachment")
            .field("name", &self.name)
            .field("bytes", &self.bytes.len())
            .field("content_type", &self.content_type)
            .field("problem", &self.problem)
            .finish()
    }
}

fn read(path: &Path) -> Result<Vec<u8>, String> {
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let meta = file.metadata().map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Err("not a regular file".to_owned());
    }
    if meta.len() > MAX_ATTACHMENT_BYTES {
        return Err(format!(
            "{} bytes, more than the {MAX_ATTACHMENT_BYTES} an attachment may have",
            meta.len()
        ));
    }
    let mut bytes = Vec::new();
    file.take(MAX_ATTACHMENT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > MAX_ATTACHMENT_BYTES {
        return Err(format!(
            "more than the {MAX_ATTACHMENT_BYTES} bytes an attachment may have"
        ));
    }
    Ok(bytes)
}

/// A Content-ID that needs no quoting or escaping anywhere it appears: in `<…>` in the part's
/// header and in a `cid:` URL of the HTML (RFC 2392 URL-encodes anything else).
pub(super) fn check_content_id(cid: &str) -> Result<(), String> {
    if cid.is_empty() {
        return Err("the content id is empty".to_owned());
    }
    if cid.len() > 200 {
        return Err("the content id is longer than 200 characters".to_owned());
    }
    let allowed = |c: char| c.is_ascii_alphanumeric() || "!#$&'*+-.=?^_`{|}~@".contains(c);
    match cid.chars().find(|c| !allowed(*c)) {
        Some(c) => Err(format!(
            "the content id may hold ASCII letters, digits and !#$&'*+-.=?^_`{{|}}~@, not {c:?}"
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content_type(attachment: &Attachment) -> String {
        attachment.checked(Field::Attachment).unwrap();
        attachment.content_type_text()
    }

    #[test]
    fn the_type_is_guessed_from_the_name_and_can_be_overridden() {
        assert_eq!(
            content_type(&Attachment::new("사진.png", vec![0x89, b'P'])),
            "image/png"
        );
        assert_eq!(
            content_type(&Attachment::new("x.unknownext", vec![0xff])),
            "application/octet-stream"
        );
        assert_eq!(
            content_type(&Attachment::new("표.csv", "가,나\n")),
            "text/csv; charset=utf-8"
        );
        assert_eq!(
            content_type(&Attachment::new("data.bin", "x").content_type("application/x-mine")),
            "application/x-mine"
        );
        let bad = Attachment::new("a.txt", "x").content_type("not a type");
        assert!(matches!(
            bad.checked(Field::Attachment),
            Err(EmailError::Attachment { .. })
        ));
    }

    #[test]
    fn a_missing_or_special_file_is_an_error_naming_it() {
        for path in ["/nonexistent/보고서.pdf", "/dev/zero", "/"] {
            let error = Attachment::from_path(path)
                .checked(Field::Attachment)
                .unwrap_err();
            assert!(error.to_string().contains(path), "{error}");
            assert_eq!(error.field(), Some(Field::Attachment));
        }
    }

    #[test]
    fn names_with_line_breaks_are_refused() {
        let error = Attachment::new("a\r\nContent-Type: text/html", "x")
            .checked(Field::Attachment)
            .unwrap_err();
        assert!(error.to_string().contains("control character"), "{error}");
    }

    #[test]
    fn content_ids_are_plain_ascii() {
        assert!(check_content_id("logo@example.com").is_ok());
        for bad in ["", "a b", "<x>", "로고", "a\"b", "a\r\nb"] {
            assert!(check_content_id(bad).is_err(), "{bad:?}");
        }
    }
}
