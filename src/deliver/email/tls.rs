//! Which certificates the SMTP server's is checked against: the system's store (read by
//! rustls-native-certs: `/etc/ssl/certs`, or the files named by `SSL_CERT_FILE` and
//! `SSL_CERT_DIR`), plus the authorities of `[delivery] ca_file` (an internal or government
//! CA). The certificate and the host name are always verified; there is no switch to turn
//! that off.

use std::path::Path;

use lettre::transport::smtp::client::{Certificate, CertificateStore, TlsParameters};

use super::DeliveryError;
use crate::config::delivery::read_ca_file;
use crate::config::{DeliverySettings, Security};

/// The TLS parameters of `settings`; `None` for `security = "none"`.
pub fn parameters(
    settings: &DeliverySettings,
    config_dir: &Path,
) -> Result<Option<TlsParameters>, DeliveryError> {
    if settings.security == Security::None {
        return Ok(None);
    }
    let host = settings
        .smtp_host
        .trim()
        .trim_start_matches('[')
        .trim_end_matches(']');
    let mut builder =
        TlsParameters::builder(host.to_string()).certificate_store(CertificateStore::Default);
    if let Some(path) = settings.ca_path(config_dir) {
        let bytes = read_ca_file(&path).map_err(|e| DeliveryError::Settings(e.to_string()))?;
        let certificate = Certificate::from_pem(&bytes).map_err(|e| {
            DeliveryError::Settings(format!(
                "khóa «delivery.ca_file»: tệp {} có chứng thư không dùng được: {e}",
                path.display()
            ))
        })?;
        builder = builder.add_root_certificate(certificate);
    }
    builder.build_rustls().map(Some).map_err(|e| {
        DeliveryError::Settings(format!(
            "không chuẩn bị được kết nối mã hoá (TLS) cho máy chủ thư {}: {e}",
            settings.server()
        ))
    })
}
