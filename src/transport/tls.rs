//! The rustls configuration of a network transport, built here and handed to reqwest whole
//! (`ClientBuilder::tls_backend_preconfigured`): reqwest 0.13 dropped its bundled roots, and
//! its own configuration would use the operating system's store and a process-wide crypto
//! provider. Here: the ring provider, the trust store `verify=` asks for (the bundled Mozilla
//! roots of webpki-roots by default; given roots; or, opted into with
//! `verify=httprs.SYSTEM_TRUST_STORE`, the operating system's store through
//! rustls-platform-verifier), hostname checking, TLS versions, the client certificate, ALPN.
//! Every verifier but `verify=False`'s is wrapped in `OpenSslTerms`, which adds to an
//! unknown-issuer failure what OpenSSL's message says and rustls's does not (errors.rs words it).

use crate::transport::network::{NetworkOptions, Verify};
use pyo3::prelude::*;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::pem::{PemObject, SectionKind};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, Error, RootCertStore, SignatureScheme};
use std::sync::Arc;

/// The type of `httprs.SYSTEM_TRUST_STORE`: pass `verify=httprs.SYSTEM_TRUST_STORE` to
/// trust the operating system's certificate store instead of the bundled Mozilla roots.
#[pyclass(name = "SystemTrustStore", module = "httprs", frozen)]
pub struct SystemTrustStore;

#[pymethods]
impl SystemTrustStore {
    fn __repr__(&self) -> &'static str {
        "<SYSTEM_TRUST_STORE>"
    }
}

/// The certificates of a PEM bundle (other sections are skipped): `codecs::pem`.
pub fn pem_certs(pem: &[u8]) -> Result<Vec<CertificateDer<'static>>, String> {
    crate::codecs::pem::certificates(pem)
        .map(|ders| ders.into_iter().map(CertificateDer::from).collect())
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

/// The rustls configuration for `options`: the one made already for the same settings
/// (`tls_cache`), else a new one. Errors: no system certificates (OSError); a bad root
/// certificate or no TLS version left between minimum and maximum (as reqwest's builder
/// errors were: RuntimeError).
pub fn client_config(options: &NetworkOptions) -> PyResult<rustls::ClientConfig> {
    crate::transport::tls_cache::shared_config(options, new_client_config)
}

/// A new rustls configuration for `options` (see `client_config`).
fn new_client_config(options: &NetworkOptions) -> PyResult<rustls::ClientConfig> {
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
    let verifier: Arc<dyn ServerCertVerifier> = match &options.verify {
        Verify::Off => Arc::new(NoVerifier),
        Verify::System => {
            let verifier = rustls_platform_verifier::Verifier::new(provider).map_err(|e| {
                pyo3::exceptions::PyOSError::new_err(format!(
                    "verify=httprs.SYSTEM_TRUST_STORE: cannot load the system's certificates: {e}"
                ))
            })?;
            Arc::new(verifier)
        }
        // No roots (an empty CA directory, say): every certificate is refused at the
        // handshake, as OpenSSL refuses it, not the client (webpki's builder refuses an empty
        // store). Without a trust anchor the hostname is never reached, so this one serves.
        _ if options.skip_hostname_check || store.is_empty() => {
            Arc::new(IgnoreHostname { store, algorithms })
        }
        _ => rustls::client::WebPkiServerVerifier::builder_with_provider(Arc::new(store), provider)
            .build()
            .map_err(|e| fail(&e))?,
    };
    let verifier: Arc<dyn ServerCertVerifier> = match &options.verify {
        Verify::Off => verifier,
        _ => Arc::new(OpenSslTerms {
            inner: verifier,
            note: options.verify_note.as_deref().map(Arc::from),
        }),
    };
    let builder = builder
        .dangerous()
        .with_custom_certificate_verifier(verifier);
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

/// An unknown-issuer failure, with what OpenSSL would say besides: whether a certificate the
/// server sent is self-signed ("self-signed certificate", "... in certificate chain"), and a
/// note on the trust store (see `NetworkOptions::verify_note`). Carried in rustls's
/// `CertificateError::Other`, the one variant that can hold it.
pub struct UnknownIssuer {
    pub self_signed: SelfSigned,
    pub note: Option<Arc<str>>,
    /// rustls's own error (for the exception's note).
    pub cause: rustls::CertificateError,
}

/// Where a self-signed certificate is in the chain the server sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SelfSigned {
    /// None is: an issuer that is not trusted.
    No,
    /// The server's own certificate (OpenSSL: depth zero).
    Leaf,
    /// A certificate sent after it (an untrusted root).
    InChain,
}

impl std::fmt::Display for UnknownIssuer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.cause {
            rustls::CertificateError::Other(other) => write!(f, "{other}")?,
            cause => write!(f, "{cause}")?,
        }
        match self.self_signed {
            SelfSigned::No => Ok(()),
            SelfSigned::Leaf => f.write_str(" (the certificate is self-signed)"),
            SelfSigned::InChain => f.write_str(" (a self-signed certificate is in the chain)"),
        }
    }
}

// rustls shows `CertificateError::Other` with `{:?}` (reqwest's chain, the exception's note):
// the same words as `Display`.
impl std::fmt::Debug for UnknownIssuer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for UnknownIssuer {}

/// A verifier whose unknown-issuer failures say what OpenSSL's would (see `UnknownIssuer`).
#[derive(Debug)]
struct OpenSslTerms {
    inner: Arc<dyn ServerCertVerifier>,
    note: Option<Arc<str>>,
}

impl ServerCertVerifier for OpenSslTerms {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, Error> {
        self.inner
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
            .map_err(|e| match e {
                // A self-signed certificate with `CA:TRUE` (what `openssl req -x509` makes)
                // is refused by webpki as a CA used as an end entity before its issuer is
                // looked for; OpenSSL calls it self-signed, as it does any other.
                Error::InvalidCertificate(cause)
                    if matches!(cause, rustls::CertificateError::UnknownIssuer)
                        || (ca_as_end_entity(&cause) && self_issued(end_entity)) =>
                {
                    let self_signed = if self_issued(end_entity) {
                        SelfSigned::Leaf
                    } else if intermediates.iter().any(|c| self_issued(c)) {
                        SelfSigned::InChain
                    } else {
                        SelfSigned::No
                    };
                    let why = UnknownIssuer {
                        self_signed,
                        note: self.note.clone(),
                        cause,
                    };
                    Error::InvalidCertificate(rustls::CertificateError::Other(rustls::OtherError(
                        Arc::new(why),
                    )))
                }
                other => other,
            })
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }

    fn requires_raw_public_keys(&self) -> bool {
        self.inner.requires_raw_public_keys()
    }

    fn root_hint_subjects(&self) -> Option<&[rustls::DistinguishedName]> {
        self.inner.root_hint_subjects()
    }
}

/// webpki's refusal of a CA certificate as the server's, which rustls passes on as `Other`.
fn ca_as_end_entity(err: &rustls::CertificateError) -> bool {
    matches!(err, rustls::CertificateError::Other(other)
        if matches!(other.0.downcast_ref::<webpki::Error>(), Some(webpki::Error::CaUsedAsEndEntity)))
}

/// Whether a certificate names itself as its issuer, which is what OpenSSL calls
/// self-signed when it cannot find a trusted issuer: the issuer and subject Names of its
/// TBSCertificate (RFC 5280 section 4.1) are the same bytes. Unparsable DER: no.
fn self_issued(der: &[u8]) -> bool {
    tbs_names(der).is_some_and(|(issuer, subject)| issuer == subject)
}

/// The encoded issuer and subject of a DER certificate.
fn tbs_names(der: &[u8]) -> Option<(&[u8], &[u8])> {
    let (_, cert, _) = der_next(der)?;
    let (_, tbs, _) = der_next(cert.1)?;
    let mut rest = tbs.1;
    let mut next = || {
        let (tag, element, after) = der_next(rest)?;
        rest = after;
        Some((tag, element))
    };
    let (mut tag, mut element) = next()?;
    if tag == 0xa0 {
        // The optional `[0] EXPLICIT Version`.
        (tag, element) = next()?;
    }
    let _serial = (tag == 0x02).then_some(element)?;
    let _signature = next()?;
    let (issuer_tag, issuer) = next()?;
    let _validity = next()?;
    let (subject_tag, subject) = next()?;
    (issuer_tag == 0x30 && subject_tag == 0x30).then_some((issuer.0, subject.0))
}

/// A DER element and what follows it: `(tag, (whole encoding, contents), rest)`. Only
/// single-byte tags and lengths up to 4 bytes (as in any certificate).
#[allow(clippy::type_complexity)]
fn der_next(input: &[u8]) -> Option<(u8, (&[u8], &[u8]), &[u8])> {
    let (&tag, after_tag) = input.split_first()?;
    let (&first, mut after_len) = after_tag.split_first()?;
    let len = if first < 0x80 {
        usize::from(first)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 || after_len.len() < n {
            return None;
        }
        let (bytes, rest) = after_len.split_at(n);
        after_len = rest;
        bytes
            .iter()
            .fold(0usize, |acc, &b| (acc << 8) | usize::from(b))
    };
    if after_len.len() < len {
        return None;
    }
    let header = input.len() - after_len.len();
    let (contents, rest) = after_len.split_at(len);
    Some((tag, (&input[..header + len], contents), rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A DER element with a short or long length.
    fn tlv(tag: u8, contents: &[u8]) -> Vec<u8> {
        let mut out = vec![tag];
        if contents.len() < 0x80 {
            out.push(contents.len() as u8);
        } else {
            out.push(0x82);
            out.extend((contents.len() as u16).to_be_bytes());
        }
        out.extend(contents);
        out
    }

    /// The skeleton of a certificate: what `tbs_names` reads, with placeholder contents.
    fn cert(issuer: &str, subject: &str, with_version: bool) -> Vec<u8> {
        let name = |cn: &str| tlv(0x30, &tlv(0x31, &tlv(0x30, cn.as_bytes())));
        let mut tbs = Vec::new();
        if with_version {
            tbs.extend(tlv(0xa0, &tlv(0x02, &[2])));
        }
        tbs.extend(tlv(0x02, &[0x42; 20]));
        tbs.extend(tlv(0x30, &[0x06, 0x00]));
        tbs.extend(name(issuer));
        tbs.extend(tlv(0x30, &[0x17, 0x00]));
        tbs.extend(name(subject));
        // A long field (the key), so that the lengths take the long form.
        tbs.extend(tlv(0x30, &[0u8; 300]));
        let mut body = tlv(0x30, &tbs);
        body.extend(tlv(0x30, &[0x06, 0x00]));
        body.extend(tlv(0x03, &[0u8; 65]));
        tlv(0x30, &body)
    }

    #[test]
    fn self_issued_certificates() {
        assert!(self_issued(&cert("me", "me", true)));
        assert!(self_issued(&cert("me", "me", false)));
        assert!(!self_issued(&cert("ca", "leaf", true)));
        // Garbage and truncated input are "not self-signed", never a panic.
        let whole = cert("me", "me", true);
        for n in 0..whole.len() {
            assert!(!self_issued(&whole[..n]), "{n}");
        }
        assert!(!self_issued(&[0x30, 0x84, 0xff, 0xff, 0xff, 0xff]));
        assert!(!self_issued(&[0x30, 0x80]));
    }

    #[test]
    fn unknown_issuer_display_keeps_rustls_name() {
        let why = UnknownIssuer {
            self_signed: SelfSigned::Leaf,
            note: None,
            cause: rustls::CertificateError::UnknownIssuer,
        };
        assert_eq!(
            why.to_string(),
            "UnknownIssuer (the certificate is self-signed)"
        );
        let ca = rustls::CertificateError::Other(rustls::OtherError(Arc::new(
            webpki::Error::CaUsedAsEndEntity,
        )));
        assert!(ca_as_end_entity(&ca));
        assert!(!ca_as_end_entity(&rustls::CertificateError::UnknownIssuer));
        let why = UnknownIssuer {
            self_signed: SelfSigned::Leaf,
            note: None,
            cause: ca,
        };
        assert_eq!(
            why.to_string(),
            "CaUsedAsEndEntity (the certificate is self-signed)"
        );
    }
}
