use std::fmt;
use std::io::{Error, ErrorKind, Read};
use std::path::Path;

use mailconf_values::Message;

/// What [`read_setting_file`] refuses, carried inside its `io::Error`.
#[derive(Debug)]
enum Refused {
    NotRegular,
    TooLarge(u64),
    NotUtf8,
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refused::NotRegular => f.write_str("not a regular file"),
            Refused::TooLarge(limit) => write!(f, "larger than {limit} bytes"),
            Refused::NotUtf8 => f.write_str("stream did not contain valid UTF-8"),
        }
    }
}

impl std::error::Error for Refused {}

/// Why a file named by a setting could not be read, as a catalog message: for an error of
/// [`read_setting_file`] or [`read_setting_bytes`], or any other `io::Error` (the system's own
/// text is kept for a kind the catalog does not name).
pub fn file_problem(error: &Error) -> Message {
    match error.get_ref().and_then(|e| e.downcast_ref::<Refused>()) {
        Some(Refused::NotRegular) => Message::new("file-not-regular"),
        Some(Refused::TooLarge(limit)) => Message::new("file-too-large").arg("limit", *limit),
        Some(Refused::NotUtf8) => Message::new("file-not-utf8"),
        None => match error.kind() {
            ErrorKind::NotFound => Message::new("file-not-found"),
            ErrorKind::PermissionDenied => Message::new("file-permission-denied"),
            ErrorKind::IsADirectory => Message::new("file-not-regular"),
            _ => Message::new("file-other").arg("detail", error.to_string()),
        },
    }
}

/// Reads a file named by a setting (`MAIL_PASSWORD_FILE`, `MAIL_CA_FILE`): only a regular file,
/// and at most `limit` bytes of it.
///
/// The path may come from a settings form: `/dev/zero` or a FIFO must neither exhaust memory nor
/// block the load.
///
/// ```
/// let error = mailconf_core::read_setting_file(std::path::Path::new("/dev/zero"), 1024).unwrap_err();
/// assert_eq!(error.to_string(), "not a regular file");
/// ```
pub fn read_setting_file(path: &Path, limit: u64) -> std::io::Result<String> {
    String::from_utf8(read_setting_bytes(path, limit)?)
        .map_err(|_| Error::new(ErrorKind::InvalidData, Refused::NotUtf8))
}

/// [`read_setting_file`] for a file that need not be text, such as a DER certificate: the same
/// limits, the bytes as they are.
///
/// ```
/// let error = mailconf_core::read_setting_bytes(std::path::Path::new("/dev/zero"), 1024).unwrap_err();
/// assert_eq!(error.to_string(), "not a regular file");
/// ```
pub fn read_setting_bytes(path: &Path, limit: u64) -> std::io::Result<Vec<u8>> {
    // Checked before opening: opening a FIFO would already block.
    if !std::fs::metadata(path)?.is_file() {
        return Err(Error::new(ErrorKind::InvalidInput, Refused::NotRegular));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(limit + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(Error::new(ErrorKind::InvalidData, Refused::TooLarge(limit)));
    }
    Ok(bytes)
}
