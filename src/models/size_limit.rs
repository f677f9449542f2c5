//! `max_response_size`: the most bytes a response's decoded body may hold in memory
//! (`.read()` / `.aread()` / `.content`, and every non-streaming request). Set on the client
//! (`Client(max_response_size=...)`, which adds it to each request's extensions, as httpx
//! does with `timeout`) or per request (`extensions={"max_response_size": N}`, which wins).
//! The streaming iterators (`iter_bytes()`...) are not bounded: they never hold the body.
//! Over the bound: `httprs.ResponseTooLarge`, a `DecodingError` (`codecs/content/bounded.rs`).

use crate::python_glue::type_name;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyInt};

pub const EXTENSION: &str = "max_response_size";

/// `None` or a non-negative int (a bool is refused: `True` is not a size).
pub fn parse(value: &Bound<'_, PyAny>) -> PyResult<Option<usize>> {
    if value.is_none() {
        return Ok(None);
    }
    if !value.is_instance_of::<PyInt>() || value.is_instance_of::<PyBool>() {
        return Err(PyTypeError::new_err(format!(
            "max_response_size must be an int or None, got {}",
            type_name(value)
        )));
    }
    value.extract::<usize>().map(Some).map_err(|_| {
        PyValueError::new_err(format!(
            "max_response_size must be a non-negative int, got {value}"
        ))
    })
}

/// The bound a request carries in its extensions (None: none).
pub fn from_extensions(extensions: &Bound<'_, PyDict>) -> PyResult<Option<usize>> {
    match extensions.get_item(intern!(extensions.py(), EXTENSION))? {
        Some(value) => parse(&value),
        None => Ok(None),
    }
}
