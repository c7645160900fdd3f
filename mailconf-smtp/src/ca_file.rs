//! The extra root certificate file (`MAIL_CA_FILE`): read by the same rule when the settings
//! load and when a `Mailer` is built from any `SmtpSettings`.

use std::path::Path;

/// A CA bundle such as Mozilla's is about 220 KB.
const MAX_CA_FILE: u64 = 1024 * 1024;

pub(crate) const CERT_MARKER: &str = "-----BEGIN CERTIFICATE-----";

/// Why a CA file cannot be used.
pub(crate) enum CaFileError {
    /// Missing, not a regular file, too large, or not UTF-8.
    Unreadable(std::io::Error),
    /// Readable, but without a PEM certificate: lettre would accept it and trust nothing extra,
    /// which would surface much later as a puzzling "UnknownIssuer".
    NoCertificate,
}

/// The PEM text of the CA file: only a regular file of at most 1 MiB (the path may come from a
/// settings form), holding at least one certificate.
pub(crate) fn read(path: &Path) -> Result<String, CaFileError> {
    let text =
        mailconf_core::read_setting_file(path, MAX_CA_FILE).map_err(CaFileError::Unreadable)?;
    if text.contains(CERT_MARKER) {
        Ok(text)
    } else {
        Err(CaFileError::NoCertificate)
    }
}
