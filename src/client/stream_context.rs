//! `client.stream(...)`: `with` (Client) or `async with` (AsyncClient). Sends on enter and
//! closes the response on exit.

use crate::client::core::ClientCore;
use crate::exchange::pipeline::{Exchange, Mode, SendPlan};
use crate::exchange::steps::{awaiting_none, lock, ready, Step, Stepper, Steps};
use crate::models::response::PyResponse;
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::types::PyTuple;
use std::sync::{Arc, Mutex};

#[pyclass(module = "httprs", frozen)]
pub struct StreamContext {
    core: Arc<ClientCore>,
    mode: Mode,
    plan: Mutex<Option<SendPlan>>,
    response: Arc<Mutex<Option<Py<PyResponse>>>>,
}

impl StreamContext {
    pub fn new(core: Arc<ClientCore>, mode: Mode, plan: SendPlan) -> Self {
        StreamContext {
            core,
            mode,
            plan: Mutex::new(Some(plan)),
            response: Arc::new(Mutex::new(None)),
        }
    }

    fn exchange(&self, wanted: Mode) -> PyResult<Exchange> {
        if self.mode != wanted {
            return Err(PyRuntimeError::new_err(match wanted {
                Mode::Sync => "Use `async with` for the stream of an AsyncClient.",
                Mode::Async => "Use `with` for the stream of a Client.",
            }));
        }
        let plan = lock(&self.plan).take().ok_or_else(|| {
            PyRuntimeError::new_err("This stream context has already been entered.")
        })?;
        Ok(Exchange::new(self.core.clone(), self.mode, plan))
    }

    fn close_response(&self, py: Python<'_>) {
        if let Some(r) = lock(&self.response).take() {
            r.bind(py).borrow_mut().close_now();
        }
    }
}

/// The exchange, keeping the response for `__aexit__` to close.
struct Remembering {
    exchange: Exchange,
    slot: Arc<Mutex<Option<Py<PyResponse>>>>,
}

impl Stepper for Remembering {
    fn step(&mut self, py: Python<'_>) -> PyResult<Step<Py<PyAny>>> {
        let step = self.exchange.step(py)?;
        if let Step::Ready(response) = &step {
            *lock(&self.slot) = response
                .bind(py)
                .cast::<PyResponse>()
                .ok()
                .map(|r| r.clone().unbind());
        }
        Ok(step)
    }

    fn resume(&mut self, py: Python<'_>, outcome: PyResult<Py<PyAny>>) {
        self.exchange.resume(py, outcome);
    }
}

#[pymethods]
impl StreamContext {
    fn __enter__(&self, py: Python<'_>) -> PyResult<Py<PyResponse>> {
        let response = self.exchange(Mode::Sync)?.run_blocking(py)?;
        *lock(&self.response) = Some(response.clone_ref(py));
        Ok(response)
    }

    #[pyo3(signature = (*_args))]
    fn __exit__(&self, py: Python<'_>, _args: &Bound<'_, PyTuple>) {
        self.close_response(py);
    }

    fn __aenter__(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let stepper = Remembering {
            exchange: self.exchange(Mode::Async)?,
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
