//! HTTP Digest authentication (RFC 7616 / 2617 / 2069), following httpx 0.28's `DigestAuth`.
//!
//! The pure parts (challenge parsing, response computation) are `scheme.rs`, unit tested
//! without Python. `PyDigestAuth` holds the credentials and the per-object state (the last
//! challenge seen and the nonce count); the client pipeline calls
//! [`PyDigestAuth::header_for_request`] before sending a request and
//! [`PyDigestAuth::header_for_challenge`] on a 401 response.

use crate::errors::HttpError;
use crate::python_glue::str_or_bytes;
use pyo3::prelude::*;
use std::sync::{Mutex, MutexGuard};

mod scheme;

pub use scheme::*;

#[derive(Default)]
struct DigestState {
    last_challenge: Option<Challenge>,
    /// The nc of the next request answering `last_challenge`.
    nonce_count: u64,
}

/// The Rust part of `httprs.DigestAuth`: challenge parsing, hashing and the nonce count.
#[pyclass(name = "DigestAuth", module = "httprs", frozen, subclass)]
pub struct PyDigestAuth {
    username: Vec<u8>,
    password: Vec<u8>,
    state: Mutex<DigestState>,
}

impl PyDigestAuth {
    pub fn new(username: Vec<u8>, password: Vec<u8>) -> Self {
        Self {
            username,
            password,
            state: Mutex::new(DigestState {
                last_challenge: None,
                nonce_count: 1,
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, DigestState> {
        // The state stays consistent even if a holder panicked: recover it.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn build(
        &self,
        method: &str,
        uri: &str,
        challenge: &Challenge,
        nc: u64,
    ) -> Result<String, HttpError> {
        let cnonce = new_cnonce(nc, &challenge.nonce);
        authorization_value(
            &self.username,
            &self.password,
            method,
            uri,
            challenge,
            nc,
            &cnonce,
        )
    }

    /// The `Authorization` value for a new request, answering the last challenge seen by this
    /// auth object (its nonce count incremented); `None` before any challenge.
    pub fn header_for_request(&self, method: &str, uri: &str) -> Result<Option<String>, HttpError> {
        let (challenge, nc) = {
            let mut state = self.lock();
            let Some(challenge) = state.last_challenge.clone() else {
                return Ok(None);
            };
            let nc = state.nonce_count;
            state.nonce_count = nc.saturating_add(1);
            (challenge, nc)
        };
        self.build(method, uri, &challenge, nc).map(Some)
    }

    /// Given every `WWW-Authenticate` value of a 401 response: `None` when none is a Digest
    /// challenge; else the `Authorization` value answering the first one (nc 1), which becomes
    /// the last challenge (the next request uses nc 2). A challenge that fails to parse or
    /// cannot be answered is an error and leaves the state unchanged.
    pub fn header_for_challenge(
        &self,
        method: &str,
        uri: &str,
        www_authenticate: &[String],
    ) -> Result<Option<String>, HttpError> {
        let Some(header) = www_authenticate.iter().find(|v| is_digest_challenge(v)) else {
            return Ok(None);
        };
        let challenge = parse_challenge(header)?;
        let value = self.build(method, uri, &challenge, 1)?;
        let mut state = self.lock();
        state.last_challenge = Some(challenge);
        state.nonce_count = 2;
        Ok(Some(value))
    }
}

#[pymethods]
impl PyDigestAuth {
    #[new]
    fn py_new(username: &Bound<'_, PyAny>, password: &Bound<'_, PyAny>) -> PyResult<Self> {
        Ok(Self::new(
            str_or_bytes(username, "username")?,
            str_or_bytes(password, "password")?,
        ))
    }

    /// `header_for_request` for a Python-level auth flow.
    fn _header_for_request(&self, method: &str, uri: &str) -> PyResult<Option<String>> {
        Ok(self.header_for_request(method, uri)?)
    }

    /// `header_for_challenge` for a Python-level auth flow.
    fn _header_for_challenge(
        &self,
        method: &str,
        uri: &str,
        www_authenticate: Vec<String>,
    ) -> PyResult<Option<String>> {
        Ok(self.header_for_challenge(method, uri, &www_authenticate)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::errors::ErrorKind;

    fn field<'a>(header: &'a str, name: &str) -> Option<&'a str> {
        let params = header.strip_prefix("Digest ")?;
        params.split(", ").find_map(|kv| {
            let (k, v) = kv.split_once('=')?;
            (k == name).then(|| v.trim_matches('"'))
        })
    }

    #[test]
    fn state_machine() {
        let auth = PyDigestAuth::new(b"u".to_vec(), b"p".to_vec());
        assert_eq!(auth.header_for_request("GET", "/").ok(), Some(None));
        let none = auth
            .header_for_challenge("GET", "/", &["Basic realm=\"x\"".to_owned()])
            .expect("no digest");
        assert_eq!(none, None);
        let challenges = [
            "Basic realm=\"x\"".to_owned(),
            "Digest realm=\"r\", nonce=\"n1\", qop=\"auth\"".to_owned(),
            "Digest realm=\"other\", nonce=\"n2\", qop=\"auth\"".to_owned(),
        ];
        let first = auth
            .header_for_challenge("GET", "/x", &challenges)
            .expect("ok")
            .expect("some");
        assert_eq!(field(&first, "nc"), Some("00000001"));
        assert_eq!(field(&first, "nonce"), Some("n1"));
        let second = auth
            .header_for_request("GET", "/y")
            .expect("ok")
            .expect("some");
        assert_eq!(field(&second, "nc"), Some("00000002"));
        assert_eq!(field(&second, "uri"), Some("/y"));
        let third = auth
            .header_for_request("GET", "/y")
            .expect("ok")
            .expect("some");
        assert_eq!(field(&third, "nc"), Some("00000003"));
        assert_ne!(field(&second, "cnonce"), field(&third, "cnonce"));

        // A bad challenge is an error and keeps the previous state.
        let err = auth
            .header_for_challenge("GET", "/", &["Digest realm=\"r\"".to_owned()])
            .expect_err("malformed");
        assert_eq!(err.kind, ErrorKind::RemoteProtocolError);
        let fourth = auth
            .header_for_request("GET", "/")
            .expect("ok")
            .expect("some");
        assert_eq!(field(&fourth, "nc"), Some("00000004"));

        // A new challenge resets nc.
        let fresh = auth
            .header_for_challenge(
                "GET",
                "/",
                &["DIGEST realm=\"r\", nonce=\"n3\", stale=true".to_owned()],
            )
            .expect("ok")
            .expect("some");
        assert_eq!(field(&fresh, "nonce"), Some("n3"));
        assert_eq!(field(&fresh, "nc"), None); // legacy form
        let after = auth
            .header_for_request("GET", "/")
            .expect("ok")
            .expect("some");
        assert_eq!(field(&after, "nonce"), Some("n3"));
    }
}
