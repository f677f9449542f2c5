//! `client.stream(...)`: `with` (Client) or `async with` (AsyncClient). Sends on enter and
//! closes the response on exit.

use crate::client::core::ClientCore;
use crate::exchange::pipeline::{Exchange, Mode, SendPlan};
use crate::exchange::steps::{awaiting_none, lock, ready, Step, Stepper, Steps};
use crate::models::handle::ResponseHandle;
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use std::sync::{Arc, Mutex};

/// What entering sends.
pub enum StreamSend {
    /// The pipeline, planned.
    Plan(SendPlan),
    /// `client.send(request, stream=True, ...)`: a subclass overrides `send`, and httpx's
    /// `stream()` goes through it.
    Override { send: Py<PyAny>, kwargs: Py<PyDict> },
    /// Building the request failed: raised on entering, as httpx's `stream()` raises.
    Failed(PyErr),
}

/// What `client.stream(...)` returns: `with` (Client) or `async with` (AsyncClient) gives the
/// response, its body unread, and closes it on exit.
#[pyclass(module = "httprs", frozen)]
pub struct StreamContext {
    core: Arc<ClientCore>,
    mode: Mode,
    send: Mutex<Option<StreamSend>>,
    response: Arc<Mutex<Option<ResponseHandle>>>,
}

impl StreamContext {
    pub fn new(core: Arc<ClientCore>, mode: Mode, send: StreamSend) -> Self {
        StreamContext {
            core,
            mode,
            send: Mutex::new(Some(send)),
            response: Arc::new(Mutex::new(None)),
        }
    }

    /// What to send, once, by the client's kind of `with`.
    fn take(&self, wanted: Mode) -> PyResult<StreamSend> {
        if self.mode != wanted {
            return Err(PyRuntimeError::new_err(match wanted {
                Mode::Sync => "Use `async with` for the stream of an AsyncClient.",
                Mode::Async => "Use `with` for the stream of a Client.",
            }));
        }
        lock(&self.send)
            .take()
            .ok_or_else(|| PyRuntimeError::new_err("This stream context has already been entered."))
    }

    fn close_response(&self, py: Python<'_>) {
        if let Some(r) = lock(&self.response).take() {
            r.bind(py).borrow_mut().close_now();
        }
    }
}

/// The exchange (or an overriding `send`'s coroutine), keeping the response for
/// `__aexit__` to close.
struct Remembering {
    sending: Sending,
    slot: Arc<Mutex<Option<ResponseHandle>>>,
}

enum Sending {
    Exchange(Exchange),
    /// The coroutine to await, then what it returned.
    Awaiting(Option<Py<PyAny>>, Option<PyResult<Py<PyAny>>>),
}

impl Stepper for Remembering {
    fn step(&mut self, py: Python<'_>) -> PyResult<Step<Py<PyAny>>> {
        let step = match &mut self.sending {
            Sending::Exchange(exchange) => exchange.step(py)?,
            Sending::Awaiting(coroutine, outcome) => match coroutine.take() {
                Some(c) => Step::Await(c),
                None => Step::Ready(outcome.take().unwrap_or_else(|| {
                    Err(crate::errors::internal("the stream was entered twice"))
                })?),
            },
        };
        if let Step::Ready(response) = &step {
            *lock(&self.slot) = ResponseHandle::from_py(response.bind(py), "response").ok();
        }
        Ok(step)
    }

    fn resume(&mut self, py: Python<'_>, outcome: PyResult<Py<PyAny>>) {
        match &mut self.sending {
            Sending::Exchange(exchange) => exchange.resume(py, outcome),
            Sending::Awaiting(_, slot) => *slot = Some(outcome),
        }
    }

    fn interrupted(&mut self, py: Python<'_>) -> Option<Py<PyAny>> {
        match &mut self.sending {
            Sending::Exchange(exchange) => exchange.interrupted(py),
            Sending::Awaiting(..) => None,
        }
    }
}

/// `send(request=..., stream=True, ...)` of an overriding subclass.
fn call_send(py: Python<'_>, send: &Py<PyAny>, kwargs: &Py<PyDict>) -> PyResult<Py<PyAny>> {
    Ok(send.bind(py).call((), Some(kwargs.bind(py)))?.unbind())
}

#[pymethods]
impl StreamContext {
    fn __enter__(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let response = match self.take(Mode::Sync)? {
            StreamSend::Plan(plan) => {
                Exchange::new(self.core.clone(), self.mode, plan).run_blocking(py)?
            }
            StreamSend::Override { send, kwargs } => call_send(py, &send, &kwargs)?,
            StreamSend::Failed(e) => return Err(e),
        };
        *lock(&self.response) = ResponseHandle::from_py(response.bind(py), "response").ok();
        Ok(response)
    }

    #[pyo3(signature = (*_args))]
    fn __exit__(&self, py: Python<'_>, _args: &Bound<'_, PyTuple>) {
        self.close_response(py);
    }

    fn __aenter__(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let sending = match self.take(Mode::Async)? {
            StreamSend::Plan(plan) => {
                Sending::Exchange(Exchange::new(self.core.clone(), self.mode, plan))
            }
            StreamSend::Override { send, kwargs } => {
                Sending::Awaiting(Some(call_send(py, &send, &kwargs)?), None)
            }
            StreamSend::Failed(e) => return crate::exchange::steps::failed(py, e),
        };
        let stepper = Remembering {
            sending,
            slot: self.response.clone(),
        };
        Steps::coroutine(py, Box::new(stepper))
    }

    /// As httpx's `finally: await response.aclose()`: awaits the `aclose()` of an async
    /// stream a transport or the user gave (the only close that awaits anything).
    #[pyo3(signature = (*_args))]
    fn __aexit__(&self, py: Python<'_>, _args: &Bound<'_, PyTuple>) -> PyResult<Py<PyAny>> {
        let response = lock(&self.response).take();
        let closing = response.and_then(|r| r.bind(py).borrow_mut().close_async(py));
        match closing {
            Some(closing) => awaiting_none(py, closing),
            None => ready(py, py.None()),
        }
    }
}
