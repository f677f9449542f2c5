//! `httprs.Retry`: a retry policy given to a network transport
//! (`HTTPTransport(retries=Retry(...))`). The rules are `policy.rs`'s; this reads and checks
//! the arguments, shows them back, and turns the transport's `retries=` into a policy.

use crate::models::config::{count, fmt_opt, rebuild_kwargs, seconds, Unset};
use crate::python_glue::type_name;
use crate::retry::policy::{RetryPolicy, DEFAULT_STATUSES, IDEMPOTENT_METHODS};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyInt, PyString, PyTuple};
use std::sync::Arc;

/// A retry policy for a network transport: `HTTPTransport(retries=Retry(...))`.
///
/// `total`: how many times a request may be sent again (so at most `total + 1` attempts).
/// The wait before retry n is `backoff_factor * 2 ** (n - 1)` seconds, at most `backoff_max`
/// (None: no cap), minus up to `jitter` (a fraction from 0 to 1) of it at random.
///
/// What is retried: a connection that could not be made (any method: nothing was sent); and,
/// for the `allowed_methods` only (the idempotent ones by default; None allows every method),
/// a failure once the request was on its way (read/write errors and timeouts, a server that
/// disconnected) or a response whose status is in `status_forcelist`. A retried response's
/// `Retry-After` (seconds or an HTTP date) is the wait when `respect_retry_after`; one longer
/// than `retry_after_max` seconds (None: no limit) is not waited for: that response is
/// returned. A request whose body is a one-shot stream (an iterator or generator) is never
/// sent twice. The last attempt's response or exception is what the caller gets.
#[pyclass(name = "Retry", module = "httprs", frozen)]
pub struct PyRetry {
    pub policy: Arc<RetryPolicy>,
}

/// A list argument given as a single string would be read letter by letter.
fn items<'py>(obj: &Bound<'py, PyAny>, name: &str) -> PyResult<Vec<Bound<'py, PyAny>>> {
    if obj.is_instance_of::<PyString>() || obj.is_instance_of::<pyo3::types::PyBytes>() {
        return Err(PyTypeError::new_err(format!(
            "{name} must be a collection, not a single {}",
            type_name(obj)
        )));
    }
    obj.try_iter()
        .map_err(|_| {
            PyTypeError::new_err(format!(
                "{name} must be a collection, got {}",
                type_name(obj)
            ))
        })?
        .collect()
}

fn statuses(obj: &Bound<'_, PyAny>) -> PyResult<Vec<u16>> {
    let mut out = Vec::new();
    for item in items(obj, "status_forcelist")? {
        if !item.is_instance_of::<PyInt>() || item.is_instance_of::<pyo3::types::PyBool>() {
            return Err(PyTypeError::new_err(format!(
                "status_forcelist must hold status codes (int), got {}",
                type_name(&item)
            )));
        }
        let code: i64 = item.extract()?;
        match u16::try_from(code) {
            Ok(code) if (100..=599).contains(&code) => out.push(code),
            _ => {
                return Err(PyValueError::new_err(format!(
                    "status_forcelist: {code} is not an HTTP status code (100-599)"
                )))
            }
        }
    }
    Ok(out)
}

fn methods(obj: &Bound<'_, PyAny>) -> PyResult<Option<Vec<String>>> {
    if obj.is_none() {
        return Ok(None);
    }
    let mut out = Vec::new();
    for item in items(obj, "allowed_methods")? {
        let method: String = item.extract().map_err(|_| {
            PyTypeError::new_err(format!(
                "allowed_methods must hold method names (str), got {}",
                type_name(&item)
            ))
        })?;
        out.push(method.to_ascii_uppercase());
    }
    Ok(Some(out))
}

fn fraction(obj: &Bound<'_, PyAny>, name: &str) -> PyResult<f64> {
    match seconds(obj, name)? {
        Some(v) if v <= 1.0 => Ok(v),
        _ => Err(PyValueError::new_err(format!(
            "{name} must be a number from 0 to 1, got {}",
            obj.repr()?
        ))),
    }
}

fn shown_limit(v: f64) -> String {
    fmt_opt(v.is_finite().then_some(v))
}

#[pymethods]
impl PyRetry {
    #[new]
    #[pyo3(
        text_signature = "(total=3, *, backoff_factor=0.5, backoff_max=60.0, jitter=0.5, status_forcelist=(429, 502, 503, 504), allowed_methods=('DELETE', 'GET', 'HEAD', 'OPTIONS', 'PUT', 'TRACE'), respect_retry_after=True, retry_after_max=60.0)"
    )]
    #[pyo3(signature = (
        total = Unset::Unset,
        *,
        backoff_factor = Unset::Unset,
        backoff_max = Unset::Unset,
        jitter = Unset::Unset,
        status_forcelist = Unset::Unset,
        allowed_methods = Unset::Unset,
        respect_retry_after = true,
        retry_after_max = Unset::Unset,
    ))]
    #[allow(clippy::too_many_arguments)]
    fn py_new(
        total: Unset<Bound<'_, PyAny>>,
        backoff_factor: Unset<Bound<'_, PyAny>>,
        backoff_max: Unset<Bound<'_, PyAny>>,
        jitter: Unset<Bound<'_, PyAny>>,
        status_forcelist: Unset<Bound<'_, PyAny>>,
        allowed_methods: Unset<Bound<'_, PyAny>>,
        respect_retry_after: bool,
        retry_after_max: Unset<Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let total = match &total {
            Unset::Unset => 3,
            Unset::Value(t) => match count(Some(t), "total")? {
                Some(n) => u32::try_from(n)
                    .map_err(|_| PyValueError::new_err(format!("total is too large: {n}")))?,
                None => return Err(PyTypeError::new_err("total must be an int, got None")),
            },
        };
        let backoff_factor = match &backoff_factor {
            Unset::Unset => 0.5,
            Unset::Value(o) => seconds(o, "backoff_factor")?
                .ok_or_else(|| PyTypeError::new_err("backoff_factor must be a number, got None"))?,
        };
        let limit = |obj: &Unset<Bound<'_, PyAny>>, name: &str| match obj {
            Unset::Unset => Ok::<f64, PyErr>(60.0),
            // None: no limit.
            Unset::Value(o) => Ok(seconds(o, name)?.unwrap_or(f64::INFINITY)),
        };
        Ok(PyRetry {
            policy: Arc::new(RetryPolicy {
                total,
                backoff_factor,
                backoff_max: limit(&backoff_max, "backoff_max")?,
                jitter: match &jitter {
                    Unset::Unset => 0.5,
                    Unset::Value(o) => fraction(o, "jitter")?,
                },
                status_forcelist: match &status_forcelist {
                    Unset::Unset => DEFAULT_STATUSES.to_vec(),
                    Unset::Value(o) => statuses(o)?,
                },
                allowed_methods: match &allowed_methods {
                    Unset::Unset => {
                        Some(IDEMPOTENT_METHODS.iter().map(|m| m.to_string()).collect())
                    }
                    Unset::Value(o) => methods(o)?,
                },
                respect_retry_after,
                retry_after_max: limit(&retry_after_max, "retry_after_max")?,
                connect_only: false,
            }),
        })
    }

    /// How many times a request may be sent again.
    #[getter]
    fn total(&self) -> u32 {
        self.policy.total
    }
    /// The first wait, in seconds; each next one doubles.
    #[getter]
    fn backoff_factor(&self) -> f64 {
        self.policy.backoff_factor
    }
    /// The longest wait between attempts, or None for no cap.
    #[getter]
    fn backoff_max(&self) -> Option<f64> {
        Some(self.policy.backoff_max).filter(|v| v.is_finite())
    }
    /// The fraction of each wait taken off at random (0 to 1).
    #[getter]
    fn jitter(&self) -> f64 {
        self.policy.jitter
    }
    /// The response statuses retried.
    #[getter]
    fn status_forcelist<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, &self.policy.status_forcelist)
    }
    /// The methods retried once the server may have seen them, or None for every method.
    #[getter]
    fn allowed_methods<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyTuple>>> {
        self.policy
            .allowed_methods
            .as_ref()
            .map(|m| PyTuple::new(py, m))
            .transpose()
    }
    /// Whether a retried response's Retry-After is the wait.
    #[getter]
    fn respect_retry_after(&self) -> bool {
        self.policy.respect_retry_after
    }
    /// The longest Retry-After waited for, or None for no limit.
    #[getter]
    fn retry_after_max(&self) -> Option<f64> {
        Some(self.policy.retry_after_max).filter(|v| v.is_finite())
    }

    /// The wait before retry `n` (1 for the first), in seconds, jitter drawn at random.
    fn backoff(&self, n: u32) -> f64 {
        self.policy.backoff(n, fastrand::f64()).as_secs_f64()
    }

    fn __getnewargs_ex__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, PyTuple>, Bound<'py, PyDict>)> {
        let names = [
            "total",
            "backoff_factor",
            "backoff_max",
            "jitter",
            "status_forcelist",
            "allowed_methods",
            "respect_retry_after",
            "retry_after_max",
        ];
        rebuild_kwargs(slf.as_any(), &names)
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<PyRetry>()
            .map(|o| *o.get().policy == *self.policy)
            .unwrap_or(false)
    }

    fn __repr__(&self) -> String {
        let p = &self.policy;
        let statuses: Vec<String> = p.status_forcelist.iter().map(u16::to_string).collect();
        let methods = match &p.allowed_methods {
            None => "None".to_owned(),
            Some(m) => {
                let quoted: Vec<String> = m.iter().map(|m| format!("'{m}'")).collect();
                tuple_repr(&quoted)
            }
        };
        format!(
            "Retry(total={}, backoff_factor={}, backoff_max={}, jitter={}, status_forcelist={}, allowed_methods={}, respect_retry_after={}, retry_after_max={})",
            p.total,
            fmt_opt(Some(p.backoff_factor)),
            shown_limit(p.backoff_max),
            fmt_opt(Some(p.jitter)),
            tuple_repr(&statuses),
            methods,
            if p.respect_retry_after { "True" } else { "False" },
            shown_limit(p.retry_after_max),
        )
    }
}

/// Python's repr of a tuple of already-repr'd items.
fn tuple_repr(items: &[String]) -> String {
    match items {
        [one] => format!("({one},)"),
        _ => format!("({})", items.join(", ")),
    }
}

/// A network transport's `retries=`: an int keeps httpx's meaning (connection failures
/// only); a `Retry` is the policy. None when nothing is retried.
pub fn retries_arg(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Option<Arc<RetryPolicy>>> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(None);
    };
    if let Ok(retry) = obj.cast::<PyRetry>() {
        let policy = retry.get().policy.clone();
        return Ok((policy.total > 0).then_some(policy));
    }
    if !obj.is_instance_of::<PyInt>() || obj.is_instance_of::<pyo3::types::PyBool>() {
        return Err(PyTypeError::new_err(format!(
            "retries must be an int or an httprs.Retry, got {}",
            type_name(obj)
        )));
    }
    let n: i64 = obj.extract()?;
    let n = u32::try_from(n)
        .map_err(|_| PyValueError::new_err(format!("retries must be >= 0, got {n}")))?;
    Ok((n > 0).then(|| Arc::new(RetryPolicy::connect_only(n))))
}
