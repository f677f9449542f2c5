//! `Client`: the sync driver. Sending blocks the calling thread (GIL released) on each wait
//! of the shared pipeline; everything else is `BaseClient` (`base.rs`) and `ClientCore`.

use crate::client::base::PyBaseClient;
use crate::exchange::pipeline::Mode;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};

/// An HTTP client with a connection pool, cookie jar and defaults for its requests.
///
/// ```python
/// with httprs.Client(base_url="https://api.example.org", timeout=10.0) as client:
///     response = client.get("/users", params={"page": 2})
///     response.raise_for_status()
/// ```
///
/// `base_url`, `headers`, `params`, `cookies`, `auth`, `timeout` (default 5 s),
/// `follow_redirects`, `max_redirects` and `event_hooks` are the defaults of every request;
/// `verify` (a bool, a CA bundle path, an `ssl.SSLContext` or `httprs.SYSTEM_TRUST_STORE`),
/// `cert`, `http1`, `http2`, `http3`, `proxy`, `limits` and `trust_env` configure the network
/// (`http3=True`: https requests go over HTTP/3 (QUIC) first, and over TCP when the QUIC
/// handshake fails within the connect timeout);
/// `transport` replaces the network transport and `mounts` route URL patterns (`"https://"`,
/// `"all://example.org"`) to other transports (None: no proxy for them).
///
/// Use it as a context manager, or call `close()` when done.
#[pyclass(name = "Client", module = "httprs", extends = PyBaseClient, frozen, subclass)]
pub struct PyClient;

#[pymethods]
impl PyClient {
    /// Any arguments: they are `__init__`'s (a subclass may take its own).
    #[new]
    #[pyo3(signature = (*_args, **_kwargs), text_signature = "(*, auth=None, params=None, headers=None, cookies=None, verify=True, cert=None, trust_env=True, http1=True, http2=False, http3=False, proxy=None, mounts=None, timeout=..., follow_redirects=False, limits=..., max_redirects=20, event_hooks=None, base_url='', transport=None, default_encoding='utf-8', max_response_size=None)")]
    fn py_new(
        _args: &Bound<'_, PyTuple>,
        _kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyClassInitializer<Self> {
        PyClassInitializer::from(PyBaseClient::new(Mode::Sync)).add_subclass(PyClient)
    }

    #[pyo3(signature = (*args, **kwargs))]
    fn __init__(
        slf: &Bound<'_, Self>,
        args: &Bound<'_, PyTuple>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<()> {
        crate::client::base::init_as("Client", slf.as_any(), args, kwargs)
    }

    /// Close the client's connections and transports; it cannot send afterwards.
    fn close(slf: &Bound<'_, Self>) -> PyResult<()> {
        slf.as_super().get().core()?.close(slf.py());
        Ok(())
    }

    /// Opens the client and enters its Python transports (the client's, then the mounted
    /// ones), as httpx does.
    fn __enter__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, Self>> {
        let core = slf.as_super().get().core()?;
        core.enter()?;
        for transport in core.python_transports(slf.py()) {
            // A duck-typed transport (only `handle_request`) has nothing to enter.
            let transport = transport.bind(slf.py());
            if transport.hasattr("__enter__")? {
                transport.call_method0("__enter__")?;
            }
        }
        Ok(slf.clone())
    }

    /// Closes the client; its Python transports get `__exit__(*exc_info)` (whose default,
    /// `BaseTransport.__exit__`, calls `close()`).
    #[pyo3(signature = (*exc_info))]
    fn __exit__(slf: &Bound<'_, Self>, exc_info: &Bound<'_, PyTuple>) -> PyResult<()> {
        let core = slf.as_super().get().core()?;
        core.close_network();
        for transport in core.python_transports(slf.py()) {
            transport
                .bind(slf.py())
                .call_method1("__exit__", exc_info)?;
        }
        Ok(())
    }
}
