//! `AsyncClient`: the async driver. Sending returns a coroutine that steps the shared pipeline
//! on the caller's event loop (asyncio or trio) through `httprs._bridge.drive`.

use crate::client::core::ClientCore;
use crate::exchange::pipeline::{Exchange, Mode, SendPlan};
use crate::exchange::steps::{ready, Steps};
use pyo3::prelude::*;
use pyo3::types::PyTuple;
use std::sync::Arc;

#[pyclass(name = "AsyncClient", module = "httprs", frozen, subclass)]
pub struct PyAsyncClient {
    pub core: Arc<ClientCore>,
}

impl PyAsyncClient {
    const MODE: Mode = Mode::Async;

    fn dispatch(&self, py: Python<'_>, plan: SendPlan) -> PyResult<Py<PyAny>> {
        let exchange = Exchange::new(self.core.clone(), Self::MODE, plan);
        Steps::coroutine(py, Box::new(exchange))
    }

    /// Close, and await `aclose()` of the Python transports (as httpx's `aclose`).
    fn close_all(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.core.close(py);
        let python = self.core.python_transports(py);
        if python.is_empty() {
            return ready(py, py.None());
        }
        let aclose_all = py.import("httprs._bridge")?.getattr("aclose_all")?;
        Ok(aclose_all.call1((python,))?.unbind())
    }
}

crate::client_api!(PyAsyncClient);

#[pymethods]
impl PyAsyncClient {
    fn aclose(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.close_all(py)
    }

    fn __aenter__(slf: &Bound<'_, Self>) -> PyResult<Py<PyAny>> {
        slf.get().core.enter()?;
        ready(slf.py(), slf.clone().into_any().unbind())
    }

    #[pyo3(signature = (*_args))]
    fn __aexit__(&self, py: Python<'_>, _args: &Bound<'_, PyTuple>) -> PyResult<Py<PyAny>> {
        self.close_all(py)
    }
}
