//! Authentication: `BasicAuth` (a header computed once) and `DigestAuth` (RFC 7616).
//! The generator protocol (`auth_flow`) lives in `python/httprs/_auth.py`; the client drives
//! any such flow, and takes a fast path for plain `BasicAuth`.

use base64::Engine;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};

fn to_bytes(obj: &Bound<'_, PyAny>, name: &str) -> PyResult<Vec<u8>> {
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(s.to_str()?.as_bytes().to_vec());
    }
    if let Ok(b) = obj.cast::<PyBytes>() {
        return Ok(b.as_bytes().to_vec());
    }
    Err(PyTypeError::new_err(format!(
        "{name} must be str or bytes, got {}",
        crate::models::headers::type_name(obj)
    )))
}

pub fn basic_header(username: &[u8], password: &[u8]) -> String {
    let mut userpass = username.to_vec();
    userpass.push(b':');
    userpass.extend_from_slice(password);
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(userpass)
    )
}

#[pyclass(name = "BasicAuth", module = "httprs", subclass, frozen)]
pub struct PyBasicAuth {
    pub header: String,
}

#[pymethods]
impl PyBasicAuth {
    #[new]
    #[pyo3(signature = (username, password = None))]
    fn py_new(username: &Bound<'_, PyAny>, password: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        let password = match password {
            Some(p) => to_bytes(p, "password")?,
            None => Vec::new(),
        };
        Ok(Self {
            header: basic_header(&to_bytes(username, "username")?, &password),
        })
    }

    /// The `Authorization` header value this auth sets.
    #[getter]
    fn _auth_header(&self) -> &str {
        &self.header
    }
}
