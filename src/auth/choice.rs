//! `Auth`: which scheme a request uses, from httpx's `auth=` argument (a tuple, an `Auth`
//! object with an `auth_flow`, or a callable), and the fast path for plain `BasicAuth`.

use crate::auth::basic::{basic_header, PyBasicAuth};
use crate::python_glue::{str_or_bytes, type_name};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::PyTuple;

/// How a request authenticates.
pub enum Auth {
    /// A precomputed `Authorization` value (BasicAuth, tuples, URL userinfo), and what the
    /// user gave (for `client.auth`).
    Header(String, Option<Py<PyAny>>),
    /// An object with `sync_auth_flow` / `async_auth_flow` (httpx's generator protocol).
    Flow(Py<PyAny>),
    /// A plain callable `request -> request`.
    Function(Py<PyAny>),
}

impl Auth {
    /// httpx `_build_auth`: None, a (user, pass) tuple, an Auth object, or a callable.
    pub fn from_py(obj: &Bound<'_, PyAny>) -> PyResult<Option<Auth>> {
        if obj.is_none() {
            return Ok(None);
        }
        if let Ok(t) = obj.cast::<PyTuple>() {
            if t.len() != 2 {
                return Err(PyTypeError::new_err(
                    "auth tuple must be (username, password)",
                ));
            }
            let user = t.get_item(0)?;
            let pass = t.get_item(1)?;
            let auth = PyBasicAuth::new_from(&user, &pass)?;
            return Ok(Some(Auth::Header(auth, Some(obj.clone().unbind()))));
        }
        if let Ok(basic) = obj.cast::<PyBasicAuth>() {
            // Plain httprs.BasicAuth: the header is all there is to do.
            if !overrides_flow(obj)? {
                return Ok(Some(Auth::Header(
                    basic.get().header.clone(),
                    Some(obj.clone().unbind()),
                )));
            }
        }
        if obj.hasattr("sync_auth_flow")? {
            return Ok(Some(Auth::Flow(obj.clone().unbind())));
        }
        if obj.is_callable() {
            return Ok(Some(Auth::Function(obj.clone().unbind())));
        }
        Err(PyTypeError::new_err(format!(
            "Invalid \"auth\" argument: expected (username, password), an httprs.Auth instance or a callable, got {}",
            type_name(obj)
        )))
    }

    pub fn clone_ref(&self, py: Python<'_>) -> Auth {
        match self {
            Auth::Header(h, o) => Auth::Header(h.clone(), o.as_ref().map(|o| o.clone_ref(py))),
            Auth::Flow(o) => Auth::Flow(o.clone_ref(py)),
            Auth::Function(o) => Auth::Function(o.clone_ref(py)),
        }
    }

    pub fn to_py(&self, py: Python<'_>) -> Py<PyAny> {
        match self {
            // A tuple becomes the BasicAuth it stands for, as in httpx.
            Auth::Header(h, source) => match source {
                Some(o) if o.bind(py).is_instance_of::<PyTuple>() => py
                    .import("httprs")
                    .and_then(|m| m.getattr("BasicAuth"))
                    .and_then(|cls| cls.call1(o.bind(py).cast::<PyTuple>()?.clone()))
                    .map(Bound::unbind)
                    .unwrap_or_else(|_| py.None()),
                Some(o) => o.clone_ref(py),
                None => Py::new(py, PyBasicAuth { header: h.clone() })
                    .map(|o| o.into_any())
                    .unwrap_or_else(|_| py.None()),
            },
            Auth::Flow(o) | Auth::Function(o) => o.clone_ref(py),
        }
    }
}

/// True when a BasicAuth subclass defines its own `auth_flow` (then it must be driven).
fn overrides_flow(obj: &Bound<'_, PyAny>) -> PyResult<bool> {
    let py = obj.py();
    let cls = obj.get_type();
    let flow = cls.getattr("auth_flow").ok();
    let module = py.import("httprs")?;
    let ours = module.getattr("BasicAuth")?.getattr("auth_flow").ok();
    Ok(match (flow, ours) {
        (Some(a), Some(b)) => !a.is(&b),
        (Some(_), None) => true,
        _ => false,
    })
}

impl PyBasicAuth {
    pub fn new_from(user: &Bound<'_, PyAny>, pass: &Bound<'_, PyAny>) -> PyResult<String> {
        Ok(basic_header(
            &str_or_bytes(user, "auth username")?,
            &str_or_bytes(pass, "auth password")?,
        ))
    }
}
