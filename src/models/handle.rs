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
//! survive the trip through Rust; made only when Python needs it) and its `core` (what Rust
//! reads and writes, without an attribute lookup each time).

use crate::models::request::PyRequest;
use crate::models::response::PyResponse;
use crate::python_glue::type_name;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyType;
use pyo3::{intern, PyClass};
use std::sync::{Arc, OnceLock};

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
///
/// The Python object of a core made in Rust is made when Python first needs it (a hook, an
/// auth flow, `response.request`, an exception's `.request`, the caller): most requests
/// never need theirs. Clones share it, so it is one object whoever asks.
pub struct Handle<T: Faced> {
    face: Arc<OnceLock<Py<PyAny>>>,
    pub core: Py<T>,
}

pub type RequestHandle = Handle<PyRequest>;
pub type ResponseHandle = Handle<PyResponse>;

impl<T: Faced> Handle<T> {
    /// A core made in Rust (a response from the network, a redirect's request); its Python
    /// object comes later, from `face`.
    pub fn wrap(py: Python<'_>, core: T) -> PyResult<Self>
    where
        T: Into<pyo3::PyClassInitializer<T>>,
    {
        Ok(Handle {
            face: Arc::new(OnceLock::new()),
            core: Py::new(py, core)?,
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
                face: Arc::new(OnceLock::from(obj.clone().unbind())),
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

    /// The Python object: the one given, or (first time) a new object of the plain class,
    /// `object.__new__(cls)` then `_core`, so that no Python `__init__` runs. Under the GIL,
    /// so no other thread makes one meanwhile.
    pub fn face<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        if let Some(face) = self.face.get() {
            return Ok(face.bind(py).clone());
        }
        let face = new_instance(T::face_class(py)?)?;
        face.setattr(intern!(py, "_core"), &self.core)?;
        let _ = self.face.set(face.clone().unbind());
        Ok(self.face.get().map_or(face, |f| f.bind(py).clone()))
    }

    /// `face`, for an exception's `.request`: None if it cannot be made (never in practice).
    pub fn face_for_error<'py>(&self, py: Python<'py>) -> Option<Bound<'py, PyAny>> {
        self.face(py).ok()
    }

    pub fn clone_ref(&self, py: Python<'_>) -> Self {
        Handle {
            face: self.face.clone(),
            core: self.core.clone_ref(py),
        }
    }
}

/// `class.__new__(class)`, i.e. `object.__new__(class)` for our plain classes, called
/// through the class's `tp_new` slot: without looking `__new__` up on the class and going
/// through its Python-level wrapper (~0.4k instructions per response). The slot is what that
/// wrapper calls (`object_new`, which also sets up the instance's inline attribute values).
fn new_instance<'py>(class: &Bound<'py, PyType>) -> PyResult<Bound<'py, PyAny>> {
    let py = class.py();
    let args = pyo3::types::PyTuple::empty(py);
    // SAFETY: `class` is a live type object and the GIL is held. `Py_tp_new` holds a
    // `newfunc` (or NULL, for a class that cannot be instantiated: refused below), which
    // returns a new reference or NULL with an exception set (`from_owned_ptr_or_err`).
    unsafe {
        let class_ptr = class.as_ptr().cast::<pyo3::ffi::PyTypeObject>();
        let slot = pyo3::ffi::PyType_GetSlot(class_ptr, pyo3::ffi::Py_tp_new);
        if slot.is_null() {
            return Err(PyTypeError::new_err(format!(
                "cannot create '{}' instances",
                class.name()?
            )));
        }
        let tp_new: pyo3::ffi::newfunc = std::mem::transmute(slot);
        Bound::from_owned_ptr_or_err(py, tp_new(class_ptr, args.as_ptr(), std::ptr::null_mut()))
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
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> Result<Self::Output, Self::Error> {
        self.face(py)
    }
}

impl<'py, T: Faced> IntoPyObject<'py> for &Handle<T> {
    type Target = PyAny;
    type Output = Bound<'py, PyAny>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> Result<Self::Output, Self::Error> {
        self.face(py)
    }
}
