use std::io::{Error, ErrorKind, Read};
use std::path::Path;

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
        .map_err(|_| Error::new(ErrorKind::InvalidData, "stream did not contain valid UTF-8"))
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
        return Err(Error::new(ErrorKind::InvalidInput, "not a regular file"));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(limit + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(Error::new(
            ErrorKind::InvalidData,
            format!("larger than {limit} bytes"),
        ));
    }
    Ok(bytes)
}
