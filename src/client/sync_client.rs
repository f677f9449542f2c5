//! `Client`: the sync driver. Sending blocks the calling thread (GIL released) on each wait
//! of the shared pipeline; everything else is `BaseClient` (`base.rs`) and `ClientCore`.

use crate::client::base::PyBaseClient;
use crate::exchange::pipeline::Mode;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};

#[pyclass(name = "Client", module = "httprs", extends = PyBaseClient, frozen, subclass)]
pub struct PyClient;

#[pymethods]
impl PyClient {
    /// Any arguments: they are `__init__`'s (a subclass may take its own).
    #[new]
    #[pyo3(signature = (*_args, **_kwargs))]
    fn py_new(
        _args: &Bound<'_, PyTuple>,
        _kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyClassInitializer<Self> {
        PyClassInitializer::from(PyBaseClient::new(Mode::Sync)).add_subclass(PyClient)
    }

    fn close(slf: &Bound<'_, Self>) -> PyResult<()> {
        slf.as_super().get().core()?.close(slf.py());
        Ok(())
    }

    fn __enter__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, Self>> {
        slf.as_super().get().core()?.enter()?;
        Ok(slf.clone())
    }

    #[pyo3(signature = (*_args))]
    fn __exit__(slf: &Bound<'_, Self>, _args: &Bound<'_, PyTuple>) -> PyResult<()> {
        Self::close(slf)
    }
}
