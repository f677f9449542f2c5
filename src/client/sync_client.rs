//! `Client`: the sync driver. Sending blocks the calling thread (GIL released) on each wait
//! of the shared pipeline; everything else is `client_api.rs` and `ClientCore`.

use crate::client::core::ClientCore;
use crate::exchange::pipeline::{Exchange, Mode, SendPlan};
use pyo3::prelude::*;
use pyo3::types::PyTuple;
use std::sync::Arc;

#[pyclass(name = "Client", module = "httprs", frozen, subclass)]
pub struct PyClient {
    pub core: Arc<ClientCore>,
}

impl PyClient {
    const MODE: Mode = Mode::Sync;

    fn dispatch(&self, py: Python<'_>, plan: SendPlan) -> PyResult<Py<PyAny>> {
        let exchange = Exchange::new(self.core.clone(), Self::MODE, plan);
        Ok(exchange.run_blocking(py)?.into_any())
    }
}

crate::client_api!(PyClient);

#[pymethods]
impl PyClient {
    fn close(&self, py: Python<'_>) {
        self.core.close(py);
    }

    fn __enter__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, Self>> {
        slf.get().core.enter()?;
        Ok(slf.clone())
    }

    #[pyo3(signature = (*_args))]
    fn __exit__(&self, py: Python<'_>, _args: &Bound<'_, PyTuple>) {
        self.core.close(py);
    }
}
