//! The one log line per request that httpx writes, on the `httprs` logger:
//! `HTTP Request: GET https://example.org/ "HTTP/1.1 200 OK"` at INFO, after the transport
//! answered and before the response hooks run (httpx's `_send_single_request`).
//!
//! Python's `logging` is asked, so that handlers, levels and filters are the user's own.
//! While no one has imported `logging`, no one can have configured it: an INFO record would
//! go nowhere (the last-resort handler takes WARNING and up), so nothing is asked and
//! `logging` is not imported (it costs ~5 ms of a cold start). After that, when INFO is off
//! for the logger (the default), the cost is `isEnabledFor`, which `logging` answers from a
//! per-logger cache.

use crate::models::handle::{RequestHandle, ResponseHandle};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;

static LOGGER: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static SYS_MODULES: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

const INFO: u8 = 20;

/// The `httprs` logger, once the application has imported `logging`; None before.
fn logger(py: Python<'_>) -> PyResult<Option<&Bound<'_, PyAny>>> {
    if LOGGER.get(py).is_none() {
        let modules = SYS_MODULES.get_or_try_init(py, || {
            Ok::<_, PyErr>(py.import("sys")?.getattr("modules")?.unbind())
        })?;
        if !modules.bind(py).contains(intern!(py, "logging"))? {
            return Ok(None);
        }
    }
    LOGGER
        .get_or_try_init(py, || {
            Ok(py
                .import("logging")?
                .call_method1("getLogger", ("httprs",))?
                .unbind())
        })
        .map(|l| Some(l.bind(py)))
}

/// Log the exchange when the `httprs` logger is enabled for INFO. A logging failure is the
/// user's handler's business (logging reports it itself); it never fails the request.
pub fn log_response(py: Python<'_>, request: &RequestHandle, response: &ResponseHandle) {
    let Ok(Some(logger)) = logger(py) else {
        return;
    };
    if !logger
        .call_method1(intern!(py, "isEnabledFor"), (INFO,))
        .and_then(|on| on.is_truthy())
        .unwrap_or(false)
    {
        return;
    }
    let request = request.bind(py).borrow();
    let response = response.bind(py).borrow();
    let _ = logger.call_method1(
        intern!(py, "info"),
        (
            "HTTP Request: %s %s \"%s %d %s\"",
            request.method.as_str(),
            request.url.as_str(),
            response.http_version.as_str(),
            response.status,
            response.reason_phrase(py),
        ),
    );
}
