//! `httprs.Request` and `httprs.Response` are Python classes (`python/httprs/_models.py`)
//! over Rust cores (`PyRequest`, `PyResponse`), as pydantic's `BaseModel` is a Python class
//! over pydantic-core.
//!
//! Why: a Rust class has an instance layout of its own, and Python refuses a class with two
//! such bases ("multiple bases have instance lay-out conflict"), so `class APIError(Response,
//! Exception)` could not exist. A plain Python class (no `__slots__`) can be mixed with
//! anything. Its one Rust-facing attribute is `_core`.
//!
//! A [`Handle`] carries both halves: the `face` (the object Python code sees and keeps: the
//! one hooks, auth flows and the caller receive, so identity and a subclass's own attributes
//! survive the trip through Rust) and its `core` (what Rust reads and writes, without an
//! attribute lookup each time).

use crate::models::request::PyRequest;
use crate::models::response::PyResponse;
use crate::python_glue::type_name;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyType;
use pyo3::{intern, PyClass};

/// A Rust core with a Python class in front of it.
pub trait Faced: PyClass {
    /// The Python class's name in `httprs._models` (and in error messages).
    const FACE_NAME: &'static str;
    fn face_class(py: Python<'_>) -> PyResult<&Bound<'_, PyType>>;
}

fn models_class<'py>(
    py: Python<'py>,
    cell: &'static PyOnceLock<Py<PyType>>,
    name: &str,
) -> PyResult<&'py Bound<'py, PyType>> {
    cell.get_or_try_init(py, || {
        Ok(py
            .import("httprs._models")?
            .getattr(name)?
            .cast_into::<PyType>()?
            .unbind())
    })
    .map(|class| class.bind(py))
}

static REQUEST_CLASS: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static RESPONSE_CLASS: PyOnceLock<Py<PyType>> = PyOnceLock::new();

impl Faced for PyRequest {
    const FACE_NAME: &'static str = "Request";
    fn face_class(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
        models_class(py, &REQUEST_CLASS, Self::FACE_NAME)
    }
}

impl Faced for PyResponse {
    const FACE_NAME: &'static str = "Response";
    fn face_class(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
        models_class(py, &RESPONSE_CLASS, Self::FACE_NAME)
    }
}

/// A Python `Request` / `Response` object and its Rust core.
pub struct Handle<T: Faced> {
    pub face: Py<PyAny>,
    pub core: Py<T>,
}

pub type RequestHandle = Handle<PyRequest>;
pub type ResponseHandle = Handle<PyResponse>;

impl<T: Faced> Handle<T> {
    /// A new object of the plain Python class around a core made in Rust (a response from
    /// the network, a redirect's request): `object.__new__(cls)`, then `_core`, so that no
    /// Python `__init__` runs.
    pub fn wrap(py: Python<'_>, core: T) -> PyResult<Self>
    where
        T: Into<pyo3::PyClassInitializer<T>>,
    {
        let core = Py::new(py, core)?;
        let class = T::face_class(py)?;
        let face = class.call_method1(intern!(py, "__new__"), (class,))?;
        face.setattr(intern!(py, "_core"), &core)?;
        Ok(Handle {
            face: face.unbind(),
            core,
        })
    }

    /// The core behind a Python object of the class (or of a subclass); a clear TypeError
    /// naming `what` for anything else.
    pub fn from_py(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Self> {
        let py = obj.py();
        let core = obj
            .getattr_opt(intern!(py, "_core"))
            .ok()
            .flatten()
            .and_then(|core| core.cast_into::<T>().ok());
        match core {
            Some(core) => Ok(Handle {
                face: obj.clone().unbind(),
                core: core.unbind(),
            }),
            None => Err(PyTypeError::new_err(format!(
                "{what} must be an httprs.{}, got {}",
                T::FACE_NAME,
                type_name(obj)
            ))),
        }
    }

    pub fn bind<'py>(&self, py: Python<'py>) -> &Bound<'py, T> {
        self.core.bind(py)
    }

    pub fn face<'py>(&self, py: Python<'py>) -> &Bound<'py, PyAny> {
        self.face.bind(py)
    }

    pub fn clone_ref(&self, py: Python<'_>) -> Self {
        Handle {
            face: self.face.clone_ref(py),
            core: self.core.clone_ref(py),
        }
    }
}

/// As an argument: the Python object of the class (`Request` / `Response`).
impl<'a, 'py, T: Faced> FromPyObject<'a, 'py> for Handle<T> {
    type Error = PyErr;

    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        Handle::from_py(&obj, "argument")
    }
}

/// As a return value: the Python object (the face).
impl<'py, T: Faced> IntoPyObject<'py> for Handle<T> {
    type Target = PyAny;
    type Output = Bound<'py, PyAny>;
    type Error = std::convert::Infallible;

    fn into_pyobject(self, py: Python<'py>) -> Result<Self::Output, Self::Error> {
        Ok(self.face.into_bound(py))
    }
}

impl<'py, T: Faced> IntoPyObject<'py> for &Handle<T> {
    type Target = PyAny;
    type Output = Bound<'py, PyAny>;
    type Error = std::convert::Infallible;

    fn into_pyobject(self, py: Python<'py>) -> Result<Self::Output, Self::Error> {
        Ok(self.face.bind(py).clone())
    }
}
