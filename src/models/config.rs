//! Client configuration values: `Timeout`, `Limits`, and the `USE_CLIENT_DEFAULT` sentinel.

use crate::python_glue::type_name;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyFloat, PyInt, PyTuple};
use std::time::Duration;

/// The type of `httprs.USE_CLIENT_DEFAULT`: "use the client's setting".
///
/// A request's `auth=`, `follow_redirects=` and `timeout=` default to it, so that leaving
/// them out uses the client's value, while `None` (`auth=None`, `timeout=None`) turns the
/// setting off for that request. User code seldom needs to name it.
#[pyclass(name = "UseClientDefault", module = "httprs", frozen)]
pub struct UseClientDefault;

#[pymethods]
impl UseClientDefault {
    fn __repr__(&self) -> &'static str {
        "<USE_CLIENT_DEFAULT>"
    }
}

/// A request-level argument that may fall back to the client's setting.
pub enum Setting<T> {
    ClientDefault,
    Value(T),
}

impl<'a, 'py, T: FromPyObject<'a, 'py>> FromPyObject<'a, 'py> for Setting<T> {
    type Error = T::Error;

    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> Result<Self, Self::Error> {
        if obj.is_instance_of::<UseClientDefault>() {
            Ok(Setting::ClientDefault)
        } else {
            T::extract(obj).map(Setting::Value)
        }
    }
}

/// "Argument not given" for constructors whose `None` has a meaning (`Timeout(connect=None)`).
pub enum Unset<T> {
    Unset,
    Value(T),
}

impl<'a, 'py, T: FromPyObject<'a, 'py>> FromPyObject<'a, 'py> for Unset<T> {
    type Error = T::Error;

    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> Result<Self, Self::Error> {
        T::extract(obj).map(Unset::Value)
    }
}

/// Seconds, or None for "no limit"; must be a non-negative finite number.
pub(crate) fn seconds(obj: &Bound<'_, PyAny>, name: &str) -> PyResult<Option<f64>> {
    if obj.is_none() {
        return Ok(None);
    }
    if obj.is_instance_of::<PyFloat>()
        || (obj.is_instance_of::<PyInt>() && !obj.is_instance_of::<pyo3::types::PyBool>())
    {
        let value: f64 = obj.extract()?;
        if !value.is_finite() || value < 0.0 {
            return Err(PyValueError::new_err(format!(
                "{name} must be a non-negative number of seconds or None, got {value}"
            )));
        }
        return Ok(Some(value));
    }
    Err(PyTypeError::new_err(format!(
        "{name} must be a number of seconds or None, got {}",
        type_name(obj)
    )))
}

fn is_int(obj: &Bound<'_, PyAny>) -> bool {
    obj.is_instance_of::<PyInt>() && !obj.is_instance_of::<pyo3::types::PyBool>()
}

pub fn duration(value: Option<f64>) -> Option<Duration> {
    value.and_then(|v| Duration::try_from_secs_f64(v).ok())
}

/// Timeouts, in seconds: `connect`, `read`, `write` and `pool` (None: no limit).
///
/// ```python
/// httprs.Timeout(10.0)               # 10 s for each
/// httprs.Timeout(10.0, connect=2.0)  # 2 s to connect, 10 s for the rest
/// httprs.Timeout(None)               # no timeouts
/// ```
///
/// `connect`: establishing the connection (TLS included); `read`: waiting for each piece
/// of the response; `write`: sending each piece of the request; `pool`: waiting for a
/// connection from the pool. Give either a default for all, or all four.
#[pyclass(name = "Timeout", module = "httprs", frozen)]
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PyTimeout {
    pub connect: Option<f64>,
    pub read: Option<f64>,
    pub write: Option<f64>,
    pub pool: Option<f64>,
    /// Which of connect/read/write/pool (bits 0..3) the user gave as `int`, so that Python
    /// sees back the value it passed (`Timeout(5)` reprs as `Timeout(timeout=5)`).
    pub int_mask: u8,
}

impl PyTimeout {
    pub const DEFAULT: PyTimeout = PyTimeout {
        connect: Some(5.0),
        read: Some(5.0),
        write: Some(5.0),
        pool: Some(5.0),
        int_mask: 0,
    };

    pub fn all(value: Option<f64>) -> Self {
        Self {
            connect: value,
            read: value,
            write: value,
            pool: value,
            int_mask: 0,
        }
    }

    pub fn values(&self) -> [Option<f64>; 4] {
        [self.connect, self.read, self.write, self.pool]
    }

    fn value_obj(&self, py: Python<'_>, index: usize) -> PyResult<Py<PyAny>> {
        let value = self.values()[index];
        Ok(match value {
            None => py.None(),
            Some(v) if self.int_mask & (1 << index) != 0 => {
                (v as i64).into_pyobject(py)?.into_any().unbind()
            }
            Some(v) => v.into_pyobject(py)?.into_any().unbind(),
        })
    }

    fn value_repr(&self, index: usize) -> String {
        match self.values()[index] {
            None => "None".to_owned(),
            Some(v) if self.int_mask & (1 << index) != 0 => format!("{}", v as i64),
            v => fmt_opt(v),
        }
    }

    /// A `timeout=` argument: Timeout, number, None or a (connect, read, write, pool) tuple.
    pub fn from_py(obj: &Bound<'_, PyAny>) -> PyResult<Self> {
        if let Ok(t) = obj.cast::<PyTimeout>() {
            return Ok(*t.get());
        }
        if let Ok(tuple) = obj.cast::<PyTuple>() {
            return Self::from_tuple(tuple);
        }
        let mut t = Self::all(seconds(obj, "timeout")?);
        if is_int(obj) {
            t.int_mask = 0b1111;
        }
        Ok(t)
    }

    fn from_tuple(tuple: &Bound<'_, PyTuple>) -> PyResult<Self> {
        if !(2..=4).contains(&tuple.len()) {
            return Err(PyValueError::new_err(
                "timeout tuple must be (connect, read[, write[, pool]])",
            ));
        }
        let mut int_mask = 0u8;
        let mut get = |i: usize, name: &str| -> PyResult<Option<f64>> {
            match tuple.get_item(i) {
                Ok(item) => {
                    if is_int(&item) {
                        int_mask |= 1 << i;
                    }
                    seconds(&item, name)
                }
                Err(_) => Ok(None),
            }
        };
        Ok(Self {
            connect: get(0, "connect")?,
            read: get(1, "read")?,
            write: get(2, "write")?,
            pool: get(3, "pool")?,
            int_mask,
        })
    }
}

pub(crate) fn fmt_opt(v: Option<f64>) -> String {
    match v {
        None => "None".to_owned(),
        Some(v) if v.fract() == 0.0 && v.abs() < 1e16 => format!("{v:.1}"),
        Some(v) => format!("{v}"),
    }
}

/// Keyword arguments that rebuild `obj` from its own attributes (copy and pickle use them
/// through `__getnewargs_ex__`).
pub(crate) fn rebuild_kwargs<'py>(
    obj: &Bound<'py, PyAny>,
    names: &[&str],
) -> PyResult<(Bound<'py, PyTuple>, Bound<'py, PyDict>)> {
    let kwargs = PyDict::new(obj.py());
    for name in names {
        kwargs.set_item(*name, obj.getattr(*name)?)?;
    }
    Ok((PyTuple::empty(obj.py()), kwargs))
}

#[pymethods]
impl PyTimeout {
    fn __getnewargs_ex__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, PyTuple>, Bound<'py, PyDict>)> {
        rebuild_kwargs(slf.as_any(), &["connect", "read", "write", "pool"])
    }

    #[new]
    #[pyo3(signature = (timeout = Unset::Unset, *, connect = Unset::Unset, read = Unset::Unset, write = Unset::Unset, pool = Unset::Unset))]
    fn py_new(
        timeout: Unset<Bound<'_, PyAny>>,
        connect: Unset<Bound<'_, PyAny>>,
        read: Unset<Bound<'_, PyAny>>,
        write: Unset<Bound<'_, PyAny>>,
        pool: Unset<Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let (default, default_is_int) = match &timeout {
            Unset::Unset => (None, false),
            Unset::Value(obj) => {
                if let Ok(t) = obj.cast::<PyTimeout>() {
                    return Ok(*t.get());
                }
                if let Ok(tuple) = obj.cast::<PyTuple>() {
                    return Self::from_tuple(tuple);
                }
                (Some(seconds(obj, "timeout")?), is_int(obj))
            }
        };
        let mut int_mask = 0u8;
        let mut pick = |index: usize,
                        value: &Unset<Bound<'_, PyAny>>,
                        name: &str|
         -> PyResult<Option<f64>> {
            match value {
                Unset::Value(v) => {
                    if is_int(v) {
                        int_mask |= 1 << index;
                    }
                    seconds(v, name)
                }
                Unset::Unset => {
                    if default_is_int {
                        int_mask |= 1 << index;
                    }
                    default.ok_or_else(|| {
                        PyValueError::new_err(
                            "httprs.Timeout must either include a default, or set all four parameters explicitly.",
                        )
                    })
                }
            }
        };
        let connect = pick(0, &connect, "connect")?;
        let read = pick(1, &read, "read")?;
        let write = pick(2, &write, "write")?;
        let pool = pick(3, &pool, "pool")?;
        Ok(Self {
            connect,
            read,
            write,
            pool,
            int_mask,
        })
    }

    /// Seconds to establish a connection, or None.
    #[getter]
    fn connect(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.value_obj(py, 0)
    }
    /// Seconds to wait for each piece of the response, or None.
    #[getter]
    fn read(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.value_obj(py, 1)
    }
    /// Seconds to send each piece of the request, or None.
    #[getter]
    fn write(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.value_obj(py, 2)
    }
    /// Seconds to wait for a connection from the pool, or None.
    #[getter]
    fn pool(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.value_obj(py, 3)
    }

    /// `{"connect": ..., "read": ..., "write": ..., "pool": ...}`.
    pub fn as_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        // Interned keys: this runs for every request (its `extensions["timeout"]`).
        let d = PyDict::new(py);
        let keys = [
            intern!(py, "connect"),
            intern!(py, "read"),
            intern!(py, "write"),
            intern!(py, "pool"),
        ];
        for (i, key) in keys.into_iter().enumerate() {
            d.set_item(key, self.value_obj(py, i)?)?;
        }
        Ok(d)
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<PyTimeout>()
            .map(|o| o.get().values() == self.values())
            .unwrap_or(false)
    }

    fn __hash__(&self) -> u64 {
        let bits = |v: Option<f64>| v.map(f64::to_bits).unwrap_or(u64::MAX);
        bits(self.connect)
            ^ bits(self.read).rotate_left(16)
            ^ bits(self.write).rotate_left(32)
            ^ bits(self.pool).rotate_left(48)
    }

    fn __repr__(&self) -> String {
        let reprs: Vec<String> = (0..4).map(|i| self.value_repr(i)).collect();
        if reprs.iter().all(|r| *r == reprs[0]) {
            format!("Timeout(timeout={})", reprs[0])
        } else {
            format!(
                "Timeout(connect={}, read={}, write={}, pool={})",
                reprs[0], reprs[1], reprs[2], reprs[3]
            )
        }
    }
}

/// Connection pool limits.
///
/// ```python
/// httprs.Limits(max_connections=10, max_keepalive_connections=5, keepalive_expiry=30.0)
/// ```
///
/// `max_connections`: requests in flight at once (None: no limit); `max_keepalive_connections`:
/// idle connections kept open; `keepalive_expiry`: seconds an idle connection is kept.
#[pyclass(name = "Limits", module = "httprs", frozen, from_py_object)]
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PyLimits {
    pub max_connections: Option<usize>,
    pub max_keepalive_connections: Option<usize>,
    pub keepalive_expiry: Option<f64>,
}

impl PyLimits {
    pub const DEFAULT: PyLimits = PyLimits {
        max_connections: Some(100),
        max_keepalive_connections: Some(20),
        keepalive_expiry: Some(5.0),
    };
}

pub(crate) fn count(obj: Option<&Bound<'_, PyAny>>, name: &str) -> PyResult<Option<usize>> {
    match obj {
        None => Ok(None),
        Some(o) if o.is_none() => Ok(None),
        Some(o) if o.is_instance_of::<PyInt>() && !o.is_instance_of::<pyo3::types::PyBool>() => {
            let v: i64 = o.extract()?;
            usize::try_from(v)
                .map(Some)
                .map_err(|_| PyValueError::new_err(format!("{name} must be >= 0, got {v}")))
        }
        Some(o) => Err(PyTypeError::new_err(format!(
            "{name} must be an int or None, got {}",
            type_name(o)
        ))),
    }
}

#[pymethods]
impl PyLimits {
    fn __getnewargs_ex__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, PyTuple>, Bound<'py, PyDict>)> {
        let names = [
            "max_connections",
            "max_keepalive_connections",
            "keepalive_expiry",
        ];
        rebuild_kwargs(slf.as_any(), &names)
    }

    #[new]
    #[pyo3(signature = (*, max_connections = None, max_keepalive_connections = None, keepalive_expiry = Unset::Unset), text_signature = "(*, max_connections=None, max_keepalive_connections=None, keepalive_expiry=5.0)")]
    fn py_new(
        max_connections: Option<&Bound<'_, PyAny>>,
        max_keepalive_connections: Option<&Bound<'_, PyAny>>,
        keepalive_expiry: Unset<Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let expiry = match &keepalive_expiry {
            // httpx's default is 5.0; an explicit None means "never expire".
            Unset::Unset => Some(5.0),
            Unset::Value(o) => seconds(o, "keepalive_expiry")?,
        };
        Ok(Self {
            max_connections: count(max_connections, "max_connections")?,
            max_keepalive_connections: count(
                max_keepalive_connections,
                "max_keepalive_connections",
            )?,
            keepalive_expiry: expiry,
        })
    }

    /// The most requests in flight at once, or None for no limit.
    #[getter]
    fn max_connections(&self) -> Option<usize> {
        self.max_connections
    }
    /// The most idle connections kept open, or None for no limit.
    #[getter]
    fn max_keepalive_connections(&self) -> Option<usize> {
        self.max_keepalive_connections
    }
    /// Seconds an idle connection is kept open, or None for no limit.
    #[getter]
    fn keepalive_expiry(&self) -> Option<f64> {
        self.keepalive_expiry
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<PyLimits>()
            .map(|o| *o.get() == *self)
            .unwrap_or(false)
    }

    fn __repr__(&self) -> String {
        let opt = |v: Option<usize>| v.map(|v| v.to_string()).unwrap_or_else(|| "None".into());
        format!(
            "Limits(max_connections={}, max_keepalive_connections={}, keepalive_expiry={})",
            opt(self.max_connections),
            opt(self.max_keepalive_connections),
            fmt_opt(self.keepalive_expiry)
        )
    }
}
