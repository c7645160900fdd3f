//! lettre's TLS parameters (rustls) from [`TlsOptions`].

use lettre::transport::smtp::client::{Certificate, TlsParameters};
use mailconf_core::Host;

use crate::MailerError;
use crate::TlsOptions;
use crate::ca_file;

/// Parameters for a server reached as `host`: its name is what the certificate must match
/// (and the SNI), so an IP address works only with a certificate listing that IP.
pub(crate) fn parameters(host: &Host, options: &TlsOptions) -> Result<TlsParameters, MailerError> {
    let mut builder = TlsParameters::builder(host.to_string());
    if let Some(path) = &options.ca_file {
        let ca_error = |reason: String| MailerError::CaFile {
            path: path.clone(),
            reason,
        };
        let pem = ca_file::read(path).map_err(|e| ca_error(e.explain(path).to_string()))?;
        let certificate =
            Certificate::from_pem(pem.as_bytes()).map_err(|e| ca_error(e.to_string()))?;
        builder = builder.add_root_certificate(certificate);
    }
    if !options.validate_certs {
        // rustls still checks the name with invalid certs accepted, unless told not to.
        builder = builder
            .dangerous_accept_invalid_certs(true)
            .dangerous_accept_invalid_hostnames(true);
    }
    builder.build_rustls().map_err(|e| MailerError::Tls {
        reason: e.to_string(),
    })
}
