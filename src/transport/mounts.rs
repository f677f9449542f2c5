//! Which transport sends a request: the client's own, or one mounted for the URL
//! (`mounts={"http://": ..., "all://*.example.com": ...}`), as httpx's `_transport_for_url`.

use crate::models::url::PyURL;
use crate::python_glue::type_name;
use crate::transport::network::{
    NetTransport, PyAsyncHTTPTransport, PyHTTPTransport, PyNetworkTransport,
};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use std::sync::Arc;

/// A transport: our network one (driven without Python), or any Python object with
/// `handle_request` / `handle_async_request`.
pub enum Transport {
    Net(Arc<NetTransport>),
    Python(Py<PyAny>),
}

impl Transport {
    pub fn clone_ref(&self, py: Python<'_>) -> Transport {
        match self {
            Transport::Net(n) => Transport::Net(n.clone()),
            Transport::Python(o) => Transport::Python(o.clone_ref(py)),
        }
    }

    /// `transport=` / a mount value. Our own transport classes are used directly unless a
    /// subclass overrides the handler method.
    pub fn from_py(obj: &Bound<'_, PyAny>, is_async: bool) -> PyResult<Transport> {
        let method = if is_async {
            "handle_async_request"
        } else {
            "handle_request"
        };
        let ours = if is_async {
            obj.cast::<PyAsyncHTTPTransport>()
                .ok()
                .map(|t| t.as_super().get().net().cloned())
        } else {
            obj.cast::<PyHTTPTransport>()
                .ok()
                .map(|t| t.as_super().get().net().cloned())
        }
        .transpose()?;
        if let Some(net) = ours {
            let cls = obj.get_type();
            let base = if is_async {
                obj.py().get_type::<PyAsyncHTTPTransport>()
            } else {
                obj.py().get_type::<PyHTTPTransport>()
            };
            if cls.getattr(method)?.is(&base.getattr(method)?) {
                return Ok(Transport::Net(net));
            }
        }
        if !obj.hasattr(method)? {
            return Err(PyTypeError::new_err(format!(
                "A transport for {} must have a `{method}(request)` method, got {}",
                if is_async { "AsyncClient" } else { "Client" },
                type_name(obj)
            )));
        }
        Ok(Transport::Python(obj.clone().unbind()))
    }

    pub fn to_py(&self, py: Python<'_>, is_async: bool) -> PyResult<Py<PyAny>> {
        match self {
            Transport::Python(o) => Ok(o.clone_ref(py)),
            Transport::Net(net) => {
                let base = PyClassInitializer::from(PyNetworkTransport::wrapping(net.clone()));
                Ok(if is_async {
                    Py::new(py, base.add_subclass(PyAsyncHTTPTransport))?.into_any()
                } else {
                    Py::new(py, base.add_subclass(PyHTTPTransport))?.into_any()
                })
            }
        }
    }

    pub fn close(&self, py: Python<'_>, is_async: bool) {
        match self {
            Transport::Net(n) => n.close(),
            // A Python transport closes itself (`close()`); async ones are closed by the
            // user's `aclose()` of the client through `close_async` below.
            Transport::Python(o) if !is_async => {
                let _ = o.bind(py).call_method0("close");
            }
            Transport::Python(_) => {}
        }
    }
}

/// httpx's `URLPattern`: `all://`, `http://`, `https://example.com`, `all://*.example.com:8080`.
pub struct UrlPattern {
    pub pattern: String,
    scheme: String,
    host: String,
    port: Option<u16>,
}

impl UrlPattern {
    pub fn parse(pattern: &str) -> PyResult<UrlPattern> {
        if !pattern.is_empty() && !pattern.contains(':') {
            return Err(PyValueError::new_err(format!(
                "Proxy keys should use proper URL forms rather than plain scheme strings. Instead of \"{pattern}\", use \"{pattern}://\""
            )));
        }
        let url = PyURL::parse(pattern)?;
        let scheme = match url.scheme_str() {
            "all" => String::new(),
            s => s.to_owned(),
        };
        let host = match url.host_ascii() {
            "*" => String::new(),
            h => h.to_owned(),
        };
        Ok(UrlPattern {
            pattern: pattern.to_owned(),
            scheme,
            host,
            port: url.port_u16(),
        })
    }

    pub fn matches(&self, url: &PyURL) -> bool {
        if !self.scheme.is_empty() && self.scheme != url.scheme_str() {
            return false;
        }
        if !self.host.is_empty() {
            let host = url.host_ascii();
            let ok = if let Some(domain) = self.host.strip_prefix("*.") {
                // "*.example.com": subdomains only.
                host.len() > domain.len() + 1
                    && host.ends_with(domain)
                    && host.as_bytes()[host.len() - domain.len() - 1] == b'.'
            } else if let Some(domain) = self.host.strip_prefix('*') {
                // "*example.com": the domain and its subdomains.
                host == domain
                    || (host.ends_with(domain)
                        && host.len() > domain.len()
                        && host.as_bytes()[host.len() - domain.len() - 1] == b'.')
            } else {
                host == self.host
            };
            if !ok {
                return false;
            }
        }
        if let Some(port) = self.port {
            if url.port_u16() != Some(port) {
                return false;
            }
        }
        true
    }

    /// httpx sorts mounts by this: a port first, then longer hosts, then longer schemes.
    fn priority(&self) -> (u8, isize, isize) {
        (
            if self.port.is_some() { 0 } else { 1 },
            -(self.host.len() as isize),
            -(self.scheme.len() as isize),
        )
    }
}

/// The mounts of a client, most specific first. `None` routes to the client's transport.
pub struct Mounts {
    pub entries: Vec<(UrlPattern, Option<Transport>)>,
}

impl Mounts {
    /// `proxied`: the transport for `proxy=`, mounted for "all://" before the user's mounts
    /// (a user mount for "all://" replaces it, as httpx's dict update does).
    pub fn from_py(
        obj: Option<&Bound<'_, PyAny>>,
        is_async: bool,
        proxied: Option<Transport>,
    ) -> PyResult<Mounts> {
        let mut entries = Vec::new();
        if let Some(p) = proxied {
            entries.push((UrlPattern::parse("all://")?, Some(p)));
        }
        if let Some(obj) = obj.filter(|o| !o.is_none()) {
            let dict = obj.cast::<PyDict>().map_err(|_| {
                PyTypeError::new_err(format!("mounts must be a dict, got {}", type_name(obj)))
            })?;
            for (k, v) in dict.iter() {
                let key: String = k.extract().map_err(|_| {
                    PyTypeError::new_err(format!(
                        "mounts keys must be str URL patterns, got {}",
                        type_name(&k)
                    ))
                })?;
                let transport = if v.is_none() {
                    None
                } else {
                    Some(Transport::from_py(&v, is_async)?)
                };
                let pattern = UrlPattern::parse(&key)?;
                entries.retain(|(p, _)| p.pattern != pattern.pattern);
                entries.push((pattern, transport));
            }
        }
        entries.sort_by_key(|(p, _)| p.priority());
        Ok(Mounts { entries })
    }
}
