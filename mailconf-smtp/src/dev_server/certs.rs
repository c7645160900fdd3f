//! The throw-away CA and the `localhost` server certificate it signs.

use std::io;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair, KeyUsagePurpose,
};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::rustls::{ServerConfig, crypto};

/// Names the server certificate is valid for: what a loopback client may connect to.
const SERVER_NAMES: [&str; 3] = ["localhost", "127.0.0.1", "::1"];

/// A throw-away CA and the `localhost` server certificate it signs (valid for `localhost`,
/// `127.0.0.1` and `::1`): what the dev server uses, and what a test can give another loopback
/// server (such as aiosmtpd) so that clients trust it through the same CA file.
pub struct DevCertificates {
    pub(super) ca_pem: String,
    server_pem: String,
    server_key_pem: String,
    chain: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
}

impl std::fmt::Debug for DevCertificates {
    // The private key stays out of logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DevCertificates").finish_non_exhaustive()
    }
}

impl DevCertificates {
    /// A fresh CA per server: its private key never leaves this function, so trusting the CA
    /// (even after `write_ca_file`) cannot let anyone else mint certificates under it.
    pub fn generate() -> io::Result<Self> {
        let year = current_year();

        // rustls rejects a certificate that is its own CA (`CaUsedAsEndEntity`), so the server
        // certificate is a CA:FALSE leaf signed by a separate CA:TRUE certificate.
        let mut ca_params =
            CertificateParams::new(Vec::<String>::new()).map_err(io::Error::other)?;
        ca_params.distinguished_name = rcgen::DistinguishedName::new();
        ca_params
            .distinguished_name
            .push(DnType::CommonName, "mailconf dev-server throw-away CA");
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
        ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        set_validity(&mut ca_params, year);
        let ca_key = KeyPair::generate().map_err(io::Error::other)?;
        let ca = CertifiedIssuer::self_signed(ca_params, ca_key).map_err(io::Error::other)?;

        let mut leaf_params = CertificateParams::new(SERVER_NAMES.map(String::from).to_vec())
            .map_err(io::Error::other)?;
        leaf_params.distinguished_name = rcgen::DistinguishedName::new();
        leaf_params
            .distinguished_name
            .push(DnType::CommonName, "localhost");
        leaf_params.is_ca = IsCa::ExplicitNoCa;
        leaf_params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        leaf_params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        leaf_params.use_authority_key_identifier_extension = true;
        set_validity(&mut leaf_params, year);
        let leaf_key = KeyPair::generate().map_err(io::Error::other)?;
        let leaf = leaf_params
            .signed_by(&leaf_key, &ca)
            .map_err(io::Error::other)?;

        Ok(Self {
            ca_pem: ca.pem(),
            server_pem: format!("{}{}", leaf.pem(), ca.pem()),
            server_key_pem: leaf_key.serialize_pem(),
            chain: vec![leaf.der().clone(), ca.der().clone()],
            key: PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der())),
        })
    }

    /// The CA certificate (PEM) to trust.
    pub fn ca_pem(&self) -> &str {
        &self.ca_pem
    }

    /// The server certificate chain (PEM): the leaf, then the CA.
    pub fn server_pem(&self) -> &str {
        &self.server_pem
    }

    /// The server's private key (PKCS#8 PEM).
    pub fn server_key_pem(&self) -> &str {
        &self.server_key_pem
    }

    pub(super) fn acceptor(&self) -> io::Result<TlsAcceptor> {
        // An explicit provider: `ServerConfig::builder()` panics when a build links two rustls
        // crypto providers (ring here, aws-lc-rs from some other crate) and none is installed.
        let provider = Arc::new(crypto::ring::default_provider());
        let config = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(io::Error::other)?
            .with_no_client_auth()
            .with_single_cert(self.chain.clone(), self.key.clone_key())
            .map_err(io::Error::other)?;
        Ok(TlsAcceptor::from(Arc::new(config)))
    }
}

/// From 1 January of last year to 1 January two years ahead: wide enough to absorb clock skew
/// and an approximate year, short enough that a forgotten `dev-ca.pem` expires.
fn set_validity(params: &mut CertificateParams, year: i32) {
    params.not_before = rcgen::date_time_ymd(year - 1, 1, 1);
    params.not_after = rcgen::date_time_ymd(year + 2, 1, 1);
}

/// The current UTC year, give or take a day around New Year, which `set_validity` tolerates.
fn current_year() -> i32 {
    const AVERAGE_GREGORIAN_YEAR_SECS: u64 = 31_556_952;
    let since_epoch = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    // Clamped so a wildly wrong clock cannot push `date_time_ymd` out of its range.
    let years = i32::try_from(since_epoch / AVERAGE_GREGORIAN_YEAR_SECS).unwrap_or(0);
    1970 + years.min(5000)
}
