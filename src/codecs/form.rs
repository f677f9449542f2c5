//! Form fields from httpx's `data=` mapping (shared by urlencoded and multipart bodies).

use crate::python_glue::type_name;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple};

/// `(key, value)` pairs of a form mapping; list/tuple values become repeated keys. The keys
/// are left as given: urlencoded and multipart bodies accept different ones.
pub(crate) fn form_pairs<'py>(
    data: &Bound<'py, PyAny>,
) -> PyResult<Vec<(Bound<'py, PyAny>, Bound<'py, PyAny>)>> {
    let dict = data.cast::<PyDict>().map_err(|_| {
        PyTypeError::new_err(format!(
            "Invalid type for 'data': expected a dict, got {}",
            type_name(data)
        ))
    })?;
    let mut pairs = Vec::new();
    for (k, v) in dict.iter() {
        if v.is_instance_of::<PyList>() || v.is_instance_of::<PyTuple>() {
            for item in v.try_iter()? {
                pairs.push((k.clone(), item?));
            }
        } else {
            pairs.push((k, v));
        }
    }
    Ok(pairs)
}
