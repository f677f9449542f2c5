//! The `httprs` logger, as httpx uses its `httpx` logger: one INFO line per request,
//! `HTTP Request: GET https://example.org/ "HTTP/1.1 200 OK"`, after the transport answered
//! and before the response hooks run (httpx's `_send_single_request`); and DEBUG records for
//! what happens on the way (connections made or reused, retries: `events.rs`).
//!
//! Python's `logging` is asked, so that handlers, levels and filters are the user's own.
//! While no one has imported `logging`, no one can have configured it: an INFO record would
//! go nowhere (the last-resort handler takes WARNING and up), so nothing is asked and
//! `logging` is not imported (it costs ~5 ms of a cold start). After that, when INFO is off
//! for the logger (the default), the cost is one `isEnabledFor`, which `logging` answers
//! from a per-logger cache; DEBUG is asked about only when INFO is on.

use crate::models::handle::{RequestHandle, ResponseHandle};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;

static LOGGER: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static SYS_MODULES: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

const INFO: u8 = 20;
const DEBUG: u8 = 10;

/// How much the `httprs` logger wants to hear about one exchange, asked once before it starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Off,
    Info,
    Debug,
}

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

fn enabled_for(logger: &Bound<'_, PyAny>, level: u8) -> bool {
    logger
        .call_method1(intern!(logger.py(), "isEnabledFor"), (level,))
        .and_then(|on| on.is_truthy())
        .unwrap_or(false)
}

/// What the `httprs` logger is enabled for now.
pub fn level(py: Python<'_>) -> Level {
    let Ok(Some(logger)) = logger(py) else {
        return Level::Off;
    };
    if !enabled_for(logger, INFO) {
        Level::Off
    } else if enabled_for(logger, DEBUG) {
        Level::Debug
    } else {
        Level::Info
    }
}

/// Log the exchange when the `httprs` logger was enabled for INFO. A logging failure is the
/// user's handler's business (logging reports it itself); it never fails the request.
pub fn log_response(
    py: Python<'_>,
    level: Level,
    request: &RequestHandle,
    response: &ResponseHandle,
) {
    if level < Level::Info {
        return;
    }
    let Some(logger) = LOGGER.get(py) else {
        return;
    };
    let request = request.bind(py).borrow();
    let response = response.bind(py).borrow();
    let _ = logger.bind(py).call_method1(
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

/// A DEBUG record on the `httprs` logger, from any thread: the connection events happen on
/// the runtime's threads, which take the GIL for it (only ever when DEBUG was on for the
/// exchange). Nothing while the interpreter is shutting down.
pub fn debug(message: &str) {
    Python::try_attach(|py| {
        if let Some(logger) = LOGGER.get(py) {
            let _ = logger
                .bind(py)
                .call_method1(intern!(py, "debug"), (message,));
        }
    });
}

/// Whether DEBUG is on now (for events outside an exchange, such as closing a transport).
pub fn debug_enabled(py: Python<'_>) -> bool {
    level(py) == Level::Debug
}
