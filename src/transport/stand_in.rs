//! A stand-in for the network, for mocking in tests.
//!
//! While a hook is set (`_httprs._set_network_hook(hook)`; httprs's pytest plugin sets one for
//! the `httprs_mock` fixture), every request about to go over the network is first shown to
//! `hook(request)`: a client's network transport, a mounted or proxy one, and
//! `HTTPTransport.handle_request` / `AsyncHTTPTransport.handle_async_request` called directly.
//! A transport the hook returns answers in the network's place (its `handle_request`, or
//! `handle_async_request` for an `AsyncClient`), with the whole client around it (auth,
//! redirects, cookies, hooks); `None` lets the request go to the network.
//!
//! Why in Rust: clients reach the network without calling Python (`Transport::Net`), so there
//! is no Python method to patch, as pytest-httpx patches `httpx.HTTPTransport.handle_request`.
//! Checked per request rather than when a client is made, so a client made before the mock
//! (at import, in a session fixture) is mocked too. Unset, it costs one atomic load per
//! request.

use crate::exchange::steps::lock;
use crate::models::handle::RequestHandle;
use crate::python_glue::type_name;
use crate::transport::mounts::Transport;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

static HOOK: Mutex<Option<Py<PyAny>>> = Mutex::new(None);
/// Whether `HOOK` holds one: the per-request check without the lock.
static HOOKED: AtomicBool = AtomicBool::new(false);

/// `_set_network_hook(hook)`: set (or with `None`, remove) the hook; returns the previous one,
/// so that a caller can put it back.
#[pyfunction]
#[pyo3(name = "_set_network_hook")]
pub fn set_network_hook(hook: Option<Bound<'_, PyAny>>) -> PyResult<Option<Py<PyAny>>> {
    let hook = hook.filter(|h| !h.is_none());
    if let Some(h) = &hook {
        if !h.is_callable() {
            return Err(PyTypeError::new_err(format!(
                "the network hook must be a callable or None, got {}",
                type_name(h)
            )));
        }
    }
    let mut slot = lock(&HOOK);
    HOOKED.store(hook.is_some(), Ordering::SeqCst);
    // The previous hook is returned, so it is released by Python, not under the lock.
    Ok(std::mem::replace(&mut *slot, hook.map(Bound::unbind)))
}

/// The transport that answers `request` instead of the network, if a hook is set and says so.
pub fn stand_in(py: Python<'_>, request: &Bound<'_, PyAny>) -> PyResult<Option<Py<PyAny>>> {
    if !HOOKED.load(Ordering::Relaxed) {
        return Ok(None);
    }
    // Cloned out, so the lock is not held while the hook runs (it may set another hook).
    let Some(hook) = lock(&HOOK).as_ref().map(|h| h.clone_ref(py)) else {
        return Ok(None);
    };
    let transport = hook.bind(py).call1((request,))?;
    Ok((!transport.is_none()).then(|| transport.unbind()))
}

/// The transport for a client's request: `transport` itself, unless it is the network and a
/// hook gives a stand-in.
pub fn route(py: Python<'_>, transport: Transport, request: &RequestHandle) -> PyResult<Transport> {
    if !matches!(transport, Transport::Net(_)) || !HOOKED.load(Ordering::Relaxed) {
        return Ok(transport);
    }
    Ok(match stand_in(py, &request.face(py)?)? {
        Some(t) => Transport::Python(t),
        None => transport,
    })
}
