//! The rustls configuration of a network transport, built here and handed to reqwest whole
//! (`ClientBuilder::tls_backend_preconfigured`): reqwest 0.13 dropped its bundled roots, and
//! its own configuration would use the operating system's store and a process-wide crypto
//! provider. Here: the ring provider, the trust store `verify=` asks for (the bundled Mozilla
//! roots of webpki-roots by default; given roots; or, opted into with
//! `verify=httprs.SYSTEM_TRUST_STORE`, the operating system's store through
//! rustls-platform-verifier), hostname checking, TLS versions, the client certificate, ALPN.

use crate::transport::network::{NetworkOptions, Verify};
use pyo3::prelude::*;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::pem::{PemObject, SectionKind};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, Error, RootCertStore, SignatureScheme};
use std::sync::Arc;

/// `httprs.SYSTEM_TRUST_STORE`: `verify=` this to trust the operating system's certificate
/// store instead of the bundled Mozilla roots.
#[pyclass(name = "SystemTrustStore", module = "httprs", frozen)]
pub struct SystemTrustStore;

#[pymethods]
impl SystemTrustStore {
    fn __repr__(&self) -> &'static str {
        "<SYSTEM_TRUST_STORE>"
    }
}

/// The certificates of a PEM bundle (other sections are skipped).
pub fn pem_certs(pem: &[u8]) -> Result<Vec<CertificateDer<'static>>, String> {
    CertificateDer::pem_slice_iter(pem)
        .collect::<Result<_, _>>()
        .map_err(|_| "invalid certificate encoding".to_owned())
}

/// A client certificate chain and its private key (`cert=`).
pub struct Identity {
    certs: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
}

impl Clone for Identity {
    fn clone(&self) -> Self {
        Identity {
            certs: self.certs.clone(),
            key: self.key.clone_key(),
        }
    }
}

impl Identity {
    /// Certificates and a private key (PKCS#8, PKCS#1 or SEC1) from PEM.
    pub fn from_pem(pem: &[u8]) -> Result<Self, String> {
        let mut certs = Vec::new();
        let mut key = None;
        for section in <(SectionKind, Vec<u8>)>::pem_slice_iter(pem) {
            let (kind, der) = section.map_err(|_| "invalid identity PEM file".to_owned())?;
            match kind {
                SectionKind::Certificate => certs.push(der.into()),
                SectionKind::PrivateKey => key = Some(PrivateKeyDer::Pkcs8(der.into())),
                SectionKind::RsaPrivateKey => key = Some(PrivateKeyDer::Pkcs1(der.into())),
                SectionKind::EcPrivateKey => key = Some(PrivateKeyDer::Sec1(der.into())),
                _ => return Err("no valid certificate was found".to_owned()),
            }
        }
        match key {
            Some(key) if !certs.is_empty() => Ok(Identity { certs, key }),
            _ => Err("private key or certificate not found".to_owned()),
        }
    }
}

/// The rustls configuration for `options`. Errors: no system certificates (OSError); a bad
/// root certificate or no TLS version left between minimum and maximum (as reqwest's builder
/// errors were: RuntimeError).
pub fn client_config(options: &NetworkOptions) -> PyResult<rustls::ClientConfig> {
    let fail = |e: &dyn std::fmt::Display| {
        crate::errors::internal(format!("cannot build the HTTP client: {e}"))
    };
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let (min, max) = options.tls_versions;
    let versions: Vec<&'static rustls::SupportedProtocolVersion> = rustls::ALL_VERSIONS
        .iter()
        .copied()
        .filter(|v| {
            let ours = match v.version {
                rustls::ProtocolVersion::TLSv1_2 => reqwest::tls::Version::TLS_1_2,
                _ => reqwest::tls::Version::TLS_1_3,
            };
            min.is_none_or(|m| ours >= m) && max.is_none_or(|m| ours <= m)
        })
        .collect();
    if versions.is_empty() {
        return Err(fail(&"empty supported TLS versions"));
    }
    let algorithms = provider.signature_verification_algorithms;
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_protocol_versions(&versions)
        .map_err(|e| fail(&e))?;
    let roots = |certs: &[CertificateDer<'static>]| {
        let mut store = RootCertStore::empty();
        for cert in certs {
            store.add(cert.clone()).map_err(|e| fail(&e))?;
        }
        Ok::<_, PyErr>(store)
    };
    let store = match &options.verify {
        Verify::BuiltIn => RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        },
        Verify::Roots(certs) => roots(certs)?,
        Verify::Off | Verify::System => RootCertStore::empty(),
    };
    let builder = match &options.verify {
        Verify::Off => builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(NoVerifier)),
        Verify::System => {
            let verifier = rustls_platform_verifier::Verifier::new(provider).map_err(|e| {
                pyo3::exceptions::PyOSError::new_err(format!(
                    "verify=httprs.SYSTEM_TRUST_STORE: cannot load the system's certificates: {e}"
                ))
            })?;
            builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(verifier))
        }
        _ if options.skip_hostname_check => builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(IgnoreHostname { store, algorithms })),
        _ => builder.with_root_certificates(store),
    };
    let mut config = match &options.identity {
        Some(id) => builder
            .with_client_auth_cert(id.certs.clone(), id.key.clone_key())
            .map_err(|e| fail(&e))?,
        None => builder.with_no_client_auth(),
    };
    config.alpn_protocols = match (options.http1, options.http2) {
        (true, false) => vec![b"http/1.1".to_vec()],
        (false, true) => vec![b"h2".to_vec()],
        _ => vec![b"h2".to_vec(), b"http/1.1".to_vec()],
    };
    Ok(config)
}

/// `verify=False`: any certificate, any signature.
#[derive(Debug)]
struct NoVerifier;

impl ServerCertVerifier for NoVerifier {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        _message: &[u8],
        _cert: &CertificateDer<'_>,
        _dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        Ok(HandshakeSignatureValid::assertion())
    }

    fn verify_tls13_signature(
        &self,
        _message: &[u8],
        _cert: &CertificateDer<'_>,
        _dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        Ok(HandshakeSignatureValid::assertion())
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        use SignatureScheme::*;
        vec![
            RSA_PKCS1_SHA1,
            ECDSA_SHA1_Legacy,
            RSA_PKCS1_SHA256,
            ECDSA_NISTP256_SHA256,
            RSA_PKCS1_SHA384,
            ECDSA_NISTP384_SHA384,
            RSA_PKCS1_SHA512,
            ECDSA_NISTP521_SHA512,
            RSA_PSS_SHA256,
            RSA_PSS_SHA384,
            RSA_PSS_SHA512,
            ED25519,
            ED448,
        ]
    }
}

/// An SSLContext with `check_hostname=False`: the chain must lead to a trusted root, for
/// whatever name.
#[derive(Debug)]
struct IgnoreHostname {
    store: RootCertStore,
    algorithms: WebPkiSupportedAlgorithms,
}

impl ServerCertVerifier for IgnoreHostname {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, Error> {
        let cert = rustls::server::ParsedCertificate::try_from(end_entity)?;
        rustls::client::verify_server_cert_signed_by_trust_anchor(
            &cert,
            &self.store,
            intermediates,
            now,
            self.algorithms.all,
        )?;
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}
