//! The rustls configurations made so far, one per set of TLS settings, shared by every
//! client (and transport) made with those settings.
//!
//! Why: a program that makes a client per request (issue 15, scenario I) built the same
//! configuration again for each one (the trust store's verifier: the ~150 bundled roots, or
//! the roots of `verify=`), and each client's first connection made a full handshake. A
//! configuration is immutable but for its TLS session cache, which rustls locks itself; the
//! clients that share one resume each other's sessions (TLS 1.3 tickets, as one client's
//! connections to a server always did), which skips the certificate exchange and its
//! signature checks: the session was made with these very settings, whose checks it passed.
//!
//! Settings that are not plain values are never shared: the operating system's store (its
//! verifier reads the system's certificates: a new client sees a changed store) and a client
//! certificate (`cert=`: a private key is not kept beyond its clients).

use crate::transport::network::{NetworkOptions, Verify};
use rustls::pki_types::CertificateDer;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

/// What a configuration is made from, as far as it may be shared: equal keys, one
/// configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TlsKey {
    trust: Trust,
    skip_hostname_check: bool,
    verify_note: Option<String>,
    tls_versions: (Option<reqwest::tls::Version>, Option<reqwest::tls::Version>),
    /// HTTP/1.1 and HTTP/2 offered (ALPN).
    http1: bool,
    http2: bool,
}

/// The trust store of a shareable configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Trust {
    Off,
    BuiltIn,
    /// Compared by content (by pointer first: a file's roots are one shared list per
    /// version of the file), so a changed CA file makes a configuration of its own.
    Roots(Arc<[CertificateDer<'static>]>),
}

impl TlsKey {
    /// The key of `options`, or None when its configuration is not shared (see the module).
    pub fn of(options: &NetworkOptions) -> Option<TlsKey> {
        if options.identity.is_some() {
            return None;
        }
        let trust = match &options.verify {
            Verify::Off => Trust::Off,
            Verify::BuiltIn => Trust::BuiltIn,
            Verify::Roots(roots) => Trust::Roots(roots.clone()),
            Verify::System => return None,
        };
        Some(TlsKey {
            trust,
            skip_hostname_check: options.skip_hostname_check,
            verify_note: options.verify_note.clone(),
            tls_versions: options.tls_versions,
            http1: options.http1,
            http2: options.http2,
        })
    }
}

/// A few values by key, the most recently used first; the least recently used goes when a
/// new one would make more than `capacity`. A program has a handful of TLS settings at most;
/// one that makes a new CA file per client must not grow the cache without end.
pub struct Recent<K, V> {
    entries: VecDeque<(K, V)>,
    capacity: usize,
}

impl<K: PartialEq, V: Clone> Recent<K, V> {
    pub const fn new(capacity: usize) -> Self {
        Recent {
            entries: VecDeque::new(),
            capacity,
        }
    }

    /// The value of `key` (now the most recently used), if any.
    pub fn get(&mut self, key: &K) -> Option<V> {
        let at = self.entries.iter().position(|(k, _)| k == key)?;
        let entry = self.entries.remove(at)?;
        let value = entry.1.clone();
        self.entries.push_front(entry);
        Some(value)
    }

    /// Keeps `value` for `key` (replacing one kept already), evicting the least recently
    /// used beyond the capacity.
    pub fn insert(&mut self, key: K, value: V) {
        self.entries.retain(|(k, _)| k != &key);
        self.entries.push_front((key, value));
        self.entries.truncate(self.capacity);
    }
}

/// The configuration for `options`: a clone of the one made for the same settings (clones
/// share the verifier and the session cache), else a new one, kept for the next client.
/// The lock is never held while a configuration is made (nor while Python runs).
pub fn shared_config<E>(
    options: &NetworkOptions,
    build: impl FnOnce(&NetworkOptions) -> Result<rustls::ClientConfig, E>,
) -> Result<rustls::ClientConfig, E> {
    static MADE: Mutex<Recent<TlsKey, rustls::ClientConfig>> = Mutex::new(Recent::new(8));
    let Some(key) = TlsKey::of(options) else {
        return build(options);
    };
    let lock = || MADE.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(config) = lock().get(&key) {
        return Ok(config);
    }
    let config = build(options)?;
    lock().insert(key, config.clone());
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::config::PyLimits;

    fn options() -> NetworkOptions {
        NetworkOptions::new(true, true, false, PyLimits::DEFAULT)
    }

    fn cert(byte: u8) -> CertificateDer<'static> {
        CertificateDer::from(vec![0x30, 1, byte])
    }

    #[test]
    fn equal_settings_have_equal_keys() {
        assert_eq!(TlsKey::of(&options()), TlsKey::of(&options()));
        let mut a = options();
        let mut b = options();
        // Two lists of the same roots (two reads of one file, or of two copies of it).
        a.verify = Verify::Roots(vec![cert(1), cert(2)].into());
        b.verify = Verify::Roots(vec![cert(1), cert(2)].into());
        assert_eq!(TlsKey::of(&a), TlsKey::of(&b));
    }

    #[test]
    fn any_difference_makes_another_key() {
        let base = TlsKey::of(&options());
        let changes: Vec<fn(&mut NetworkOptions)> = vec![
            |o| o.verify = Verify::Off,
            |o| o.verify = Verify::Roots(vec![cert(1)].into()),
            |o| o.skip_hostname_check = true,
            |o| o.verify_note = Some("note".into()),
            |o| o.tls_versions = (Some(reqwest::tls::Version::TLS_1_3), None),
            |o| o.http2 = true,
            |o| o.http1 = false,
        ];
        for change in changes {
            let mut other = options();
            change(&mut other);
            assert_ne!(TlsKey::of(&other), base);
        }
        let mut a = options();
        let mut b = options();
        a.verify = Verify::Roots(vec![cert(1)].into());
        b.verify = Verify::Roots(vec![cert(2)].into());
        assert_ne!(TlsKey::of(&a), TlsKey::of(&b));
    }

    #[test]
    fn the_system_store_and_client_certificates_are_never_shared() {
        let mut system = options();
        system.verify = Verify::System;
        assert_eq!(TlsKey::of(&system), None);
        let pem = b"-----BEGIN CERTIFICATE-----\nMAMCAQE=\n-----END CERTIFICATE-----\n\
                    -----BEGIN PRIVATE KEY-----\nMAMCAQE=\n-----END PRIVATE KEY-----\n";
        let mut with_cert = options();
        with_cert.identity = Some(crate::transport::tls::Identity::from_pem(pem).unwrap());
        assert_eq!(TlsKey::of(&with_cert), None);
    }

    #[test]
    fn recent_keeps_the_most_recently_used() {
        let mut recent = Recent::new(2);
        recent.insert("a", 1);
        recent.insert("b", 2);
        assert_eq!(recent.get(&"a"), Some(1)); // a is now the most recent
        recent.insert("c", 3); // b goes
        assert_eq!(recent.get(&"b"), None);
        assert_eq!(recent.get(&"a"), Some(1));
        assert_eq!(recent.get(&"c"), Some(3));
        recent.insert("c", 4);
        assert_eq!(recent.get(&"c"), Some(4));
        assert_eq!(recent.entries.len(), 2);
    }
}
