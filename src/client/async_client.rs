//! `AsyncClient`: the async driver. Sending returns a coroutine that steps the shared pipeline
//! on the caller's event loop (asyncio or trio) through `httprs._bridge.drive`; everything
//! else is `BaseClient` (`base.rs`) and `ClientCore`.

use crate::client::base::PyBaseClient;
use crate::exchange::pipeline::Mode;
use crate::exchange::steps::ready;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};

/// An async HTTP client, for asyncio and trio: the API of `Client`, with coroutines.
///
/// ```python
/// async with httprs.AsyncClient(base_url="https://api.example.org") as client:
///     response = await client.get("/users", params={"page": 2})
/// ```
///
/// `base_url`, `headers`, `params`, `cookies`, `auth`, `timeout` (default 5 s),
/// `follow_redirects`, `max_redirects` and `event_hooks` are the defaults of every request;
/// `verify` (a bool, a CA bundle path, an `ssl.SSLContext` or `httprs.SYSTEM_TRUST_STORE`),
/// `cert`, `http1`, `http2`, `http3`, `proxy`, `limits` and `trust_env` configure the network
/// (`http3=True`: https requests go over HTTP/3 (QUIC) first, and over TCP when the QUIC
/// handshake fails within the connect timeout);
/// `transport` replaces the network transport and `mounts` route URL patterns (`"https://"`,
/// `"all://example.org"`) to other transports (None: no proxy for them). `transport` and
/// `mounts` take async transports.
///
/// Use it with `async with`, or `await client.aclose()` when done.
#[pyclass(name = "AsyncClient", module = "httprs", extends = PyBaseClient, frozen, subclass)]
pub struct PyAsyncClient;

impl PyAsyncClient {
    /// Close, and await `aclose()` of the Python transports (as httpx's `aclose`).
    fn close_all(slf: &Bound<'_, Self>) -> PyResult<Py<PyAny>> {
        let py = slf.py();
        let core = slf.as_super().get().core()?.clone();
        core.close(py);
        let python = core.python_transports(py);
        if python.is_empty() {
            return ready(py, py.None());
        }
        let aclose_all = py.import("httprs._bridge")?.getattr("aclose_all")?;
        Ok(aclose_all.call1((python,))?.unbind())
    }
}

#[pymethods]
impl PyAsyncClient {
    /// Any arguments: they are `__init__`'s (a subclass may take its own).
    #[new]
    #[pyo3(signature = (*_args, **_kwargs), text_signature = "(*, auth=None, params=None, headers=None, cookies=None, verify=True, cert=None, trust_env=True, http1=True, http2=False, http3=False, proxy=None, mounts=None, timeout=..., follow_redirects=False, limits=..., max_redirects=20, event_hooks=None, base_url='', transport=None, default_encoding='utf-8', max_response_size=None)")]
    fn py_new(
        _args: &Bound<'_, PyTuple>,
        _kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyClassInitializer<Self> {
        PyClassInitializer::from(PyBaseClient::new(Mode::Async)).add_subclass(PyAsyncClient)
    }

    #[pyo3(signature = (*args, **kwargs))]
    fn __init__(
        slf: &Bound<'_, Self>,
        args: &Bound<'_, PyTuple>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<()> {
        crate::client::base::init_as("AsyncClient", slf.as_any(), args, kwargs)
    }

    /// Close the client's connections and transports (a coroutine); it cannot send afterwards.
    fn aclose(slf: &Bound<'_, Self>) -> PyResult<Py<PyAny>> {
        Self::close_all(slf)
    }

    /// Opens the client and awaits `__aenter__()` of its Python transports, as httpx does.
    fn __aenter__(slf: &Bound<'_, Self>) -> PyResult<Py<PyAny>> {
        let py = slf.py();
        let core = slf.as_super().get().core()?;
        core.enter()?;
        let python = core.python_transports(py);
        if python.is_empty() {
            return ready(py, slf.clone().into_any().unbind());
        }
        let aenter_all = py.import("httprs._bridge")?.getattr("aenter_all")?;
        Ok(aenter_all.call1((python, slf))?.unbind())
    }

    /// Closes the client and awaits `__aexit__(*exc_info)` of its Python transports.
    #[pyo3(signature = (*exc_info))]
    fn __aexit__(slf: &Bound<'_, Self>, exc_info: &Bound<'_, PyTuple>) -> PyResult<Py<PyAny>> {
        let py = slf.py();
        let core = slf.as_super().get().core()?;
        core.close_network();
        let python = core.python_transports(py);
        if python.is_empty() {
            return ready(py, py.None());
        }
        let aexit_all = py.import("httprs._bridge")?.getattr("aexit_all")?;
        Ok(aexit_all.call1((python, exc_info))?.unbind())
    }
}
