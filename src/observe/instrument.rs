//! The opt-in hook that tracing builds on (`httprs.otel`, OpenTelemetry): an *observer*, a
//! Python object with `start(request)` and `end(token, response, error)`, called around each
//! exchange with the network, for both clients and for a transport called directly.
//!
//! - `start` runs before the request is turned into its wire form, so the headers it adds
//!   (`traceparent`) go out; it returns a token (None: nothing to end).
//! - `end` gets the token back with the response (its head arrived; a streamed body may still
//!   be coming) or the exception; both None when the exchange was dropped unfinished (a
//!   cancelled task, Ctrl-C).
//!
//! Calls run in the caller's thread and task, so the observer sees the caller's context (the
//! current span). An observer that raises is reported as unraisable and never fails a request.
//!
//! With no observer, the cost of the hook is one relaxed atomic load per exchange.

use crate::models::handle::{RequestHandle, ResponseHandle};
use pyo3::intern;
use pyo3::prelude::*;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

static ACTIVE: AtomicBool = AtomicBool::new(false);
/// Never locked while Python runs (only to swap or clone the reference).
static OBSERVER: Mutex<Option<Py<PyAny>>> = Mutex::new(None);

/// `httprs._httprs._set_observer(observer)`: install the observer (None removes it).
#[pyfunction]
#[pyo3(name = "_set_observer")]
pub fn set_observer(observer: Option<Py<PyAny>>) {
    let active = observer.is_some();
    let old = std::mem::replace(
        &mut *OBSERVER.lock().unwrap_or_else(|e| e.into_inner()),
        observer,
    );
    ACTIVE.store(active, Ordering::Relaxed);
    drop(old);
}

fn current(py: Python<'_>) -> Option<Py<PyAny>> {
    OBSERVER
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .as_ref()
        .map(|o| o.clone_ref(py))
}

/// One observed exchange: ends on `end`, or as cancelled when dropped before.
pub struct Observed {
    observer: Py<PyAny>,
    token: Option<Py<PyAny>>,
}

/// Tell the observer, if any, that `request` is about to go out.
pub fn start(request: &RequestHandle) -> Option<Observed> {
    if !ACTIVE.load(Ordering::Relaxed) {
        return None;
    }
    Python::attach(|py| {
        let observer = current(py)?;
        let token = request
            .face(py)
            .and_then(|face| observer.call_method1(py, intern!(py, "start"), (face,)));
        match token {
            Ok(token) if token.is_none(py) => None,
            Ok(token) => Some(Observed {
                observer,
                token: Some(token),
            }),
            Err(e) => {
                e.write_unraisable(py, Some(observer.bind(py)));
                None
            }
        }
    })
}

impl Observed {
    /// The exchange is over: `outcome` is its response or the exception it raises.
    pub fn end(mut self, py: Python<'_>, outcome: Result<&ResponseHandle, &PyErr>) {
        let Some(token) = self.token.take() else {
            return;
        };
        let (response, error) = match outcome {
            Ok(response) => (response.face(py).ok().map(Bound::unbind), None),
            Err(e) => (None, Some(e.value(py).clone().into_any().unbind())),
        };
        self.call_end(py, token, response, error);
    }

    fn call_end(
        &self,
        py: Python<'_>,
        token: Py<PyAny>,
        response: Option<Py<PyAny>>,
        error: Option<Py<PyAny>>,
    ) {
        if let Err(e) = self
            .observer
            .call_method1(py, intern!(py, "end"), (token, response, error))
        {
            e.write_unraisable(py, Some(self.observer.bind(py)));
        }
    }
}

impl Drop for Observed {
    fn drop(&mut self) {
        if let Some(token) = self.token.take() {
            Python::try_attach(|py| self.call_end(py, token, None, None));
        }
    }
}
