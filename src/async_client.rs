//! `AsyncClient`: the async driver. Sending returns a coroutine that steps the shared pipeline
//! on the caller's event loop (asyncio or trio) through `httprs._bridge.drive`.

use crate::client::ClientCore;
use crate::pipeline::{Exchange, Mode, SendPlan};
use crate::steps::{ready, Steps};
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
}

crate::client_api!(PyAsyncClient);

#[pymethods]
impl PyAsyncClient {
    fn aclose(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.core.close();
        ready(py, py.None())
    }

    fn __aenter__(slf: &Bound<'_, Self>) -> PyResult<Py<PyAny>> {
        slf.get().core.enter()?;
        ready(slf.py(), slf.clone().into_any().unbind())
    }

    #[pyo3(signature = (*_args))]
    fn __aexit__(&self, py: Python<'_>, _args: &Bound<'_, PyTuple>) -> PyResult<Py<PyAny>> {
        self.core.close();
        ready(py, py.None())
    }
}
