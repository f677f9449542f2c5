//! The certificates of a PEM bundle (`verify="ca.pem"`, `SSL_CERT_FILE`), decoded as
//! rustls-pki-types's reader decodes them, about ten times faster.
//!
//! Why: a client with `SSL_CERT_FILE` set (as many containers and CI machines have it) parses
//! the system bundle (~140 certificates, ~200 KB) once per process, and pki-types's base64
//! decoder is constant-time (it also reads private keys): ~28 instructions per byte, 1.5 ms
//! of a cold start. Certificates are public; the `base64` crate decodes them. The rules are
//! pki-types's own (the tests below compare the two on valid and broken input): lines split
//! at `\n` or `\r`; a section from `-----BEGIN <label>-----` to `-----END <label>-----`;
//! sections of other known kinds decoded (an error there is an error) and skipped, unknown
//! ones skipped whole; whitespace inside the base64 ignored; padding only at the end.

use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine;

/// Why a bundle could not be read.
#[derive(Debug, PartialEq, Eq)]
pub enum PemError {
    /// A `-----BEGIN` line that is not one.
    SectionStart,
    /// A section without its `-----END` line.
    SectionEnd,
    /// Base64 that does not decode.
    Base64,
    /// A section larger than pki-types allows (256 MiB).
    TooLarge,
}

/// The labels pki-types knows (it decodes their sections); other sections are skipped whole.
const KNOWN: [&[u8]; 8] = [
    b"CERTIFICATE",
    b"PUBLIC KEY",
    b"RSA PRIVATE KEY",
    b"PRIVATE KEY",
    b"EC PRIVATE KEY",
    b"X509 CRL",
    b"CERTIFICATE REQUEST",
    b"ECHCONFIG",
];

const MAX_SECTION: usize = 256 * 1024 * 1024;

/// Unpadded base64 with the standard alphabet, trailing bits not checked (as pki-types).
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::RequireNone)
        .with_decode_allow_trailing_bits(true),
);

/// The DER of every `CERTIFICATE` section of `pem`, in order.
pub fn certificates(pem: &[u8]) -> Result<Vec<Vec<u8>>, PemError> {
    let mut found = Vec::new();
    let mut label: Option<&[u8]> = None;
    let mut b64: Vec<u8> = Vec::with_capacity(4096);
    let mut rest = pem;
    loop {
        let line = match memchr::memchr2(b'\n', b'\r', rest) {
            Some(at) => {
                let line = &rest[..at];
                rest = &rest[at + 1..];
                line
            }
            None if !rest.is_empty() => std::mem::take(&mut rest),
            None if label.is_some() => return Err(PemError::SectionEnd),
            None => return Ok(found),
        };
        if line.starts_with(b"-----BEGIN ") {
            // As pki-types: exactly five dashes end the line (spaces and line ends after
            // them aside), and the section's data so far is kept (it never clears it here).
            let mut dashes = 0;
            let mut end = line.len();
            for (i, &b) in line.iter().enumerate().rev() {
                match b {
                    b'-' => {
                        dashes += 1;
                        end = i;
                    }
                    b'\n' | b'\r' | b' ' => continue,
                    _ => break,
                }
            }
            if dashes != 5 {
                return Err(PemError::SectionStart);
            }
            label = Some(&line[11..end]);
            continue;
        }
        let Some(current) = label else {
            continue;
        };
        let is_end = line
            .strip_prefix(b"-----END ")
            .and_then(|l| l.strip_prefix(current))
            .is_some_and(|l| l.starts_with(b"-----"));
        if is_end {
            label = None;
            if KNOWN.contains(&current) {
                let der = decode(&b64)?;
                if current == b"CERTIFICATE" {
                    found.push(der);
                }
            }
            b64.clear();
            continue;
        }
        // Lines are clean base64 but for a rare space: the common case is one copy. (`\n` and
        // `\r` end lines: the other spaces are looked for.)
        if memchr::memchr3(b' ', b'\t', 0x0b, line).is_some()
            || memchr::memchr(0x0c, line).is_some()
        {
            b64.extend(line.iter().filter(|b| !is_space(**b)));
        } else {
            b64.extend_from_slice(line);
        }
        if b64.len() > MAX_SECTION {
            return Err(PemError::TooLarge);
        }
    }
}

/// pki-types's whitespace: `\t`, `\n`, vertical tab, form feed, `\r` and space.
fn is_space(b: u8) -> bool {
    (b'\t'..=b'\r').contains(&b) || b == b' '
}

/// Base64 with optional padding: `=` only at the end, one or two of them completing a group
/// of four (pki-types refuses `xx=`, which the `base64` crate would take).
fn decode(b64: &[u8]) -> Result<Vec<u8>, PemError> {
    let data_len = b64.iter().rposition(|&b| b != b'=').map_or(0, |i| i + 1);
    let pads = b64.len() - data_len;
    let padded_well = match pads {
        0 => true,
        1 | 2 => b64.len().is_multiple_of(4) && data_len % 4 == 4 - pads,
        _ => false,
    };
    if !padded_well {
        return Err(PemError::Base64);
    }
    // (An `=` before the end is not in the alphabet of `BASE64`: an error there.)
    BASE64
        .decode(&b64[..data_len])
        .map_err(|_| PemError::Base64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::CertificateDer;

    /// pki-types's reading of the same input: the reference.
    fn reference(pem: &[u8]) -> Result<Vec<Vec<u8>>, ()> {
        CertificateDer::pem_slice_iter(pem)
            .map(|c| c.map(|c| c.to_vec()).map_err(drop))
            .collect()
    }

    fn same_as_reference(pem: &[u8]) {
        let ours = certificates(pem).map_err(drop);
        assert_eq!(ours, reference(pem), "{:?}", String::from_utf8_lossy(pem));
    }

    fn section(label: &str, body: &str) -> String {
        format!("-----BEGIN {label}-----\n{body}\n-----END {label}-----\n")
    }

    #[test]
    fn reads_certificates_as_pki_types_does() {
        let cert = "MIIBszCCAVmgAwIBAgIUJ3/wZbH6o0yxhJ0k1e6bIBN2FOwwCgYIKoZIzj0EAwIw";
        let cases = [
            section("CERTIFICATE", cert),
            section("CERTIFICATE", cert) + &section("CERTIFICATE", "AAEC"),
            format!(
                "# Issuer: a comment\n{}\ntrailing text",
                section("CERTIFICATE", cert)
            ),
            section("CERTIFICATE", cert).replace('\n', "\r\n"),
            section("CERTIFICATE", "AAEC\nAwQF\n BgcI\t"),
            section("PRIVATE KEY", "AAEC") + &section("CERTIFICATE", "AAEC"),
            section("SOMETHING ELSE", "not base64 at all!") + &section("CERTIFICATE", "AAEC"),
            section("CERTIFICATE", "AA=="),
            section("CERTIFICATE", "AAE="),
            section("CERTIFICATE", "AA"),
            section("CERTIFICATE", "AAE"),
            section("CERTIFICATE", "AB=="), // trailing bits not zero: taken
            section("CERTIFICATE", ""),
            "-----BEGIN CERTIFICATE----- \nAAEC\n-----END CERTIFICATE-----".into(),
            "-----BEGIN CERTIFICATE-----\nAAEC\n-----END CERTIFICATE-----trailer\n".into(),
            "-----BEGIN CERTIFICATE-----\nAAEC\n-----BEGIN CERTIFICATE-----\nAwQF\n\
             -----END CERTIFICATE-----\n"
                .into(),
            String::new(),
            "no sections at all\n".into(),
        ];
        for case in &cases {
            same_as_reference(case.as_bytes());
            assert!(certificates(case.as_bytes()).is_ok(), "{case:?}");
        }
    }

    #[test]
    fn refuses_what_pki_types_refuses() {
        let cases = [
            section("CERTIFICATE", "AAE=C"),
            section("CERTIFICATE", "A"),
            section("CERTIFICATE", "AA="),
            section("CERTIFICATE", "A==="),
            section("CERTIFICATE", "=="),
            section("CERTIFICATE", "AA==AA=="),
            section("CERTIFICATE", "AA*C"),
            section("PRIVATE KEY", "AA*C"),
            "-----BEGIN CERTIFICATE-----\nAAEC\n".into(),
            "-----BEGIN CERTIFICATE----\nAAEC\n-----END CERTIFICATE-----\n".into(),
            "-----BEGIN CERTIFICATE-----\nAAEC\n-----END PRIVATE KEY-----\n".into(),
        ];
        for case in &cases {
            same_as_reference(case.as_bytes());
            assert!(certificates(case.as_bytes()).is_err(), "{case:?}");
        }
    }

    #[test]
    fn reads_a_system_bundle_as_pki_types_does() {
        // The machine's bundle when there is one (Debian's path; any readable one serves).
        for path in [
            "/etc/ssl/certs/ca-certificates.crt",
            "/etc/pki/tls/certs/ca-bundle.crt",
        ] {
            if let Ok(pem) = std::fs::read(path) {
                let ours = certificates(&pem).unwrap();
                assert!(!ours.is_empty());
                assert_eq!(Ok(ours), reference(&pem));
            }
        }
    }
}
