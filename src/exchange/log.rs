//! The one log line per request that httpx writes, on the `httprs` logger:
//! `HTTP Request: GET https://example.org/ "HTTP/1.1 200 OK"` at INFO, after the transport
//! answered and before the response hooks run (httpx's `_send_single_request`).
//!
//! Python's `logging` is asked, so that handlers, levels and filters are the user's own.
//! When INFO is off for the logger (the default), the cost is `isEnabledFor`, which
//! `logging` answers from a per-logger cache.

use crate::models::handle::{RequestHandle, ResponseHandle};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;

static LOGGER: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

const INFO: u8 = 20;

fn logger(py: Python<'_>) -> PyResult<&Bound<'_, PyAny>> {
    LOGGER
        .get_or_try_init(py, || {
            Ok(py
                .import("logging")?
                .call_method1("getLogger", ("httprs",))?
                .unbind())
        })
        .map(|l| l.bind(py))
}

/// Log the exchange when the `httprs` logger is enabled for INFO. A logging failure is the
/// user's handler's business (logging reports it itself); it never fails the request.
pub fn log_response(py: Python<'_>, request: &RequestHandle, response: &ResponseHandle) {
    let Ok(logger) = logger(py) else {
        return;
    };
    if !logger
        .call_method1("isEnabledFor", (INFO,))
        .and_then(|on| on.is_truthy())
        .unwrap_or(false)
    {
        return;
    }
    let request = request.bind(py).borrow();
    let response = response.bind(py).borrow();
    let _ = logger.call_method1(
        "info",
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
