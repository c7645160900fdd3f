//! The extra root certificate file (`MAIL_CA_FILE`): read by the same rule when the settings
//! load and when a `Mailer` is built from any `SmtpSettings`, and explained in one place.

use std::path::Path;

use mailconf_core::Message;

/// A CA bundle such as Mozilla's is about 220 KB.
const MAX_CA_FILE: u64 = 1024 * 1024;

const CERT_MARKER: &str = "-----BEGIN CERTIFICATE-----";

/// Why a CA file cannot be used.
#[derive(Debug)]
pub(crate) enum CaFileError {
    /// Missing, not a regular file, or too large.
    Unreadable(std::io::Error),
    /// A binary DER certificate: the same certificate PEM wraps in base64, a common export
    /// format (`.der`, `.cer`) that only needs converting.
    Der,
    /// Binary, but not recognisably DER.
    Binary,
    /// Readable text, but without a PEM certificate: lettre would accept it and trust nothing
    /// extra, which would surface much later as a puzzling "UnknownIssuer".
    NoCertificate,
}

impl CaFileError {
    /// A stable code for structured errors.
    pub(crate) fn code(&self) -> &'static str {
        match self {
            CaFileError::Unreadable(_) => "file_unreadable",
            CaFileError::Der | CaFileError::Binary | CaFileError::NoCertificate => {
                "invalid_certificate"
            }
        }
    }

    /// What is wrong with the file.
    pub(crate) fn reason(&self) -> Message {
        match self {
            CaFileError::Unreadable(e) => {
                Message::new("ca-unreadable").arg("reason", mailconf_core::file_problem(e))
            }
            CaFileError::Der => Message::new("ca-der"),
            CaFileError::Binary => Message::new("ca-binary"),
            CaFileError::NoCertificate => Message::new("ca-no-certificate"),
        }
    }

    /// How to fix it, for the file at `path`.
    pub(crate) fn hint(&self, path: &Path) -> Option<Message> {
        let file = path.display().to_string();
        let id = match self {
            CaFileError::Unreadable(_) => return None,
            CaFileError::Der => "ca-der-hint",
            CaFileError::Binary => "ca-binary-hint",
            CaFileError::NoCertificate => "ca-no-certificate-hint",
        };
        Some(
            Message::new(id)
                .arg("file", file)
                .arg("marker", CERT_MARKER),
        )
    }

    /// The reason and the hint in one sentence, for errors without a hint of their own.
    pub(crate) fn explain(&self, path: &Path) -> Message {
        match self.hint(path) {
            Some(hint) => Message::new("ca-explain")
                .arg("reason", self.reason())
                .arg("hint", hint),
            None => self.reason(),
        }
    }
}

/// The PEM text of the CA file: only a regular file of at most 1 MiB (the path may come from a
/// settings form), holding at least one certificate.
pub(crate) fn read(path: &Path) -> Result<String, CaFileError> {
    let bytes =
        mailconf_core::read_setting_bytes(path, MAX_CA_FILE).map_err(CaFileError::Unreadable)?;
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) if looks_like_der(e.as_bytes()) => return Err(CaFileError::Der),
        Err(_) => return Err(CaFileError::Binary),
    };
    if text.contains(CERT_MARKER) {
        Ok(text)
    } else if looks_like_der(text.as_bytes()) {
        // A tiny DER file can happen to be valid UTF-8.
        Err(CaFileError::Der)
    } else {
        Err(CaFileError::NoCertificate)
    }
}

/// An X.509 certificate in DER is an ASN.1 SEQUENCE (0x30) whose length, in the long form a
/// certificate needs (0x81..=0x84 and that many length bytes), covers the rest of the file.
fn looks_like_der(bytes: &[u8]) -> bool {
    let [0x30, first @ 0x81..=0x84, rest @ ..] = bytes else {
        return false;
    };
    let width = usize::from(first - 0x80);
    let Some(length) = rest.get(..width) else {
        return false;
    };
    let length = length
        .iter()
        .fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
    // A file may hold several certificates one after the other.
    length > 0 && length <= rest.len() - width
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn der_is_recognised_by_its_outer_sequence() {
        let mut der = vec![0x30, 0x82, 0x00, 0x04, 0x02, 0x01, 0x00, 0xff];
        assert!(looks_like_der(&der));
        der.truncate(5);
        assert!(!looks_like_der(&der), "length beyond the end");
        assert!(!looks_like_der(b"-----BEGIN CERTIFICATE-----"));
        assert!(!looks_like_der(&[0x30, 0x82]));
        assert!(!looks_like_der(&[]));
    }
}
