//! The `network_stream` response extension: httpcore's `NetworkStream` (Client) and
//! `AsyncNetworkStream` (AsyncClient) over an upgraded connection (`transport::upgrade`, where
//! the work is). Each method reads its arguments and steps the one implementation: blocking
//! with the GIL released, or as a coroutine on asyncio / trio.

use crate::exchange::steps::{block_on, ready, Step, Stepper, Steps};
use crate::models::config::duration;
use crate::transport::upgrade::UpgradedConn;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedBytes;
use pyo3::types::PyBytes;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

/// The Python object for `extensions["network_stream"]`.
pub fn network_stream(
    py: Python<'_>,
    conn: Arc<UpgradedConn>,
    is_async: bool,
) -> PyResult<Py<PyAny>> {
    Ok(if is_async {
        Py::new(py, AsyncNetworkStream { conn })?.into_any()
    } else {
        Py::new(py, NetworkStream { conn })?.into_any()
    })
}

/// `timeout=`: seconds, or None for no limit (a socket's `settimeout`).
fn timeout_arg(timeout: Option<f64>) -> PyResult<Option<Duration>> {
    match timeout {
        Some(t) if t.is_nan() || t < 0.0 => Err(PyValueError::new_err(
            "timeout must be a non-negative number of seconds or None",
        )),
        Some(t) => Ok(duration(Some(t))),
        None => Ok(None),
    }
}

fn max_bytes_arg(max_bytes: i64) -> PyResult<usize> {
    usize::try_from(max_bytes)
        .map_err(|_| PyValueError::new_err("max_bytes must be a non-negative integer"))
}

/// One read or write, stepped by either driver.
enum IoCall {
    Read {
        conn: Arc<UpgradedConn>,
        max_bytes: usize,
        timeout: Option<Duration>,
        started: bool,
    },
    Write {
        conn: Arc<UpgradedConn>,
        data: Option<Vec<u8>>,
        timeout: Option<Duration>,
    },
}

impl Stepper for IoCall {
    fn step(&mut self, py: Python<'_>) -> PyResult<Step<Py<PyAny>>> {
        let step = match self {
            IoCall::Read {
                conn,
                max_bytes,
                timeout,
                started,
            } => conn
                .read_step(*max_bytes, *timeout, started)
                .map(|s| s.map(|data| PyBytes::new(py, &data).into_any().unbind())),
            IoCall::Write {
                conn,
                data,
                timeout,
            } => conn
                .write_step(data, *timeout)
                .map(|s| s.map(|()| py.None())),
        };
        step.map_err(|e| e.into_pyerr(py, None))
    }
}

/// `get_extra_info(info)`, as httpcore's streams answer it.
fn extra_info(
    py: Python<'_>,
    conn: &UpgradedConn,
    info: &str,
    sync_runtime: bool,
) -> PyResult<Py<PyAny>> {
    let addr = |a: Option<SocketAddr>| -> PyResult<Py<PyAny>> {
        Ok(match a {
            // `socket.getsockname()`'s shapes: (host, port) / (host, port, flowinfo, scope_id).
            Some(SocketAddr::V4(a)) => (a.ip().to_string(), a.port())
                .into_pyobject(py)?
                .into_any()
                .unbind(),
            Some(SocketAddr::V6(a)) => (a.ip().to_string(), a.port(), a.flowinfo(), a.scope_id())
                .into_pyobject(py)?
                .into_any()
                .unbind(),
            None => py.None(),
        })
    };
    match info {
        "client_addr" => addr(conn.client_addr()),
        "server_addr" => addr(conn.server_addr()),
        "is_readable" => {
            if sync_runtime {
                let mut turned = false;
                block_on(py, |_| {
                    Ok(if std::mem::replace(&mut turned, true) {
                        Step::Ready(())
                    } else {
                        Step::Wait(UpgradedConn::io_turn())
                    })
                })?;
            }
            let readable = conn.is_readable();
            Ok(readable.into_pyobject(py)?.to_owned().into_any().unbind())
        }
        // "ssl_object" and "socket": TLS is rustls's and the socket tokio's; Python has no
        // `ssl.SSLObject` or `socket.socket` for them. None, as httpcore answers what it
        // does not have.
        _ => Ok(py.None()),
    }
}

/// The connection a `101 Switching Protocols` (or a successful `CONNECT`) handed over:
/// `response.extensions["network_stream"]` of a `Client`'s streamed response, as httpcore's
/// `NetworkStream`. Closing the response closes it too.
#[pyclass(module = "httprs._httprs", frozen)]
pub struct NetworkStream {
    conn: Arc<UpgradedConn>,
}

#[pymethods]
impl NetworkStream {
    /// Up to `max_bytes` bytes, as soon as some have arrived; `b""` once the peer has closed
    /// the connection. `timeout`: seconds to wait (None: no limit), then `ReadTimeout`.
    #[pyo3(signature = (max_bytes, timeout = None))]
    fn read<'py>(
        &self,
        py: Python<'py>,
        max_bytes: i64,
        timeout: Option<f64>,
    ) -> PyResult<Py<PyAny>> {
        let mut call = IoCall::Read {
            conn: self.conn.clone(),
            max_bytes: max_bytes_arg(max_bytes)?,
            timeout: timeout_arg(timeout)?,
            started: false,
        };
        block_on(py, |py| call.step(py))
    }

    /// Send all of `buffer`. `timeout`: seconds to wait (None: no limit), then `WriteTimeout`.
    #[pyo3(signature = (buffer, timeout = None))]
    fn write(&self, py: Python<'_>, buffer: PyBackedBytes, timeout: Option<f64>) -> PyResult<()> {
        let mut call = IoCall::Write {
            conn: self.conn.clone(),
            data: Some(buffer.to_vec()),
            timeout: timeout_arg(timeout)?,
        };
        block_on(py, |py| call.step(py)).map(drop)
    }

    /// Close the connection. A read waiting meanwhile, or made later, returns `b""`; a write
    /// raises `WriteError`.
    fn close(&self) {
        self.conn.close();
    }

    /// `"client_addr"` / `"server_addr"`: the local / remote address as a tuple;
    /// `"is_readable"`: whether a read would not wait; None for anything else (`"ssl_object"`
    /// and `"socket"` included: httprs's TLS and sockets are not Python objects).
    fn get_extra_info(&self, py: Python<'_>, info: &str) -> PyResult<Py<PyAny>> {
        extra_info(py, &self.conn, info, true)
    }

    fn __repr__(&self) -> &'static str {
        "<NetworkStream>"
    }
}

/// The connection a `101 Switching Protocols` (or a successful `CONNECT`) handed over:
/// `response.extensions["network_stream"]` of an `AsyncClient`'s streamed response, as
/// httpcore's `AsyncNetworkStream` (asyncio and trio). Closing the response closes it too.
#[pyclass(module = "httprs._httprs", frozen)]
pub struct AsyncNetworkStream {
    conn: Arc<UpgradedConn>,
}

#[pymethods]
impl AsyncNetworkStream {
    /// Up to `max_bytes` bytes, as soon as some have arrived; `b""` once the peer has closed
    /// the connection (a coroutine). `timeout`: seconds to wait (None: no limit), then
    /// `ReadTimeout`.
    #[pyo3(signature = (max_bytes, timeout = None))]
    fn read(&self, py: Python<'_>, max_bytes: i64, timeout: Option<f64>) -> PyResult<Py<PyAny>> {
        let call = IoCall::Read {
            conn: self.conn.clone(),
            max_bytes: max_bytes_arg(max_bytes)?,
            timeout: timeout_arg(timeout)?,
            started: false,
        };
        Steps::coroutine(py, Box::new(call))
    }

    /// Send all of `buffer` (a coroutine). `timeout`: seconds to wait (None: no limit), then
    /// `WriteTimeout`.
    #[pyo3(signature = (buffer, timeout = None))]
    fn write(
        &self,
        py: Python<'_>,
        buffer: PyBackedBytes,
        timeout: Option<f64>,
    ) -> PyResult<Py<PyAny>> {
        let call = IoCall::Write {
            conn: self.conn.clone(),
            data: Some(buffer.to_vec()),
            timeout: timeout_arg(timeout)?,
        };
        Steps::coroutine(py, Box::new(call))
    }

    /// Close the connection (a coroutine). A read waiting meanwhile, or made later, returns
    /// `b""`; a write raises `WriteError`.
    fn aclose(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.conn.close();
        ready(py, py.None())
    }

    /// `"client_addr"` / `"server_addr"`: the local / remote address as a tuple;
    /// `"is_readable"`: whether a read would not wait; None for anything else (`"ssl_object"`
    /// and `"socket"` included: httprs's TLS and sockets are not Python objects).
    fn get_extra_info(&self, py: Python<'_>, info: &str) -> PyResult<Py<PyAny>> {
        extra_info(py, &self.conn, info, false)
    }

    fn __repr__(&self) -> &'static str {
        "<AsyncNetworkStream>"
    }
}
