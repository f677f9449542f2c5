//! Authentication: `BasicAuth` (a header computed once) and `DigestAuth` (RFC 7616).
//! The generator protocol (`auth_flow`) lives in `python/httprs/_auth.py`; the client drives
//! any such flow, and takes a fast path for plain `BasicAuth`.

use crate::python_glue::str_or_bytes;
use base64::Engine;
use pyo3::prelude::*;

pub fn basic_header(username: &[u8], password: &[u8]) -> String {
    let mut userpass = username.to_vec();
    userpass.push(b':');
    userpass.extend_from_slice(password);
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(userpass)
    )
}

/// The Rust part of `httprs.BasicAuth`: the `Authorization: Basic ...` header, made once.
#[pyclass(name = "BasicAuth", module = "httprs", subclass, frozen)]
pub struct PyBasicAuth {
    pub header: String,
}

#[pymethods]
impl PyBasicAuth {
    #[new]
    #[pyo3(signature = (username, password = None), text_signature = "(username, password='')")]
    fn py_new(username: &Bound<'_, PyAny>, password: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        let password = match password {
            Some(p) => str_or_bytes(p, "password")?,
            None => Vec::new(),
        };
        Ok(Self {
            header: basic_header(&str_or_bytes(username, "username")?, &password),
        })
    }

    /// The `Authorization` header value this auth sets.
    #[getter]
    fn _auth_header(&self) -> &str {
        &self.header
    }
}
