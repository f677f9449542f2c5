//! Where a response's body is: in memory, on the wire (pulled one chunk per wait), or in a
//! Python iterator that a transport or the user handed over.

use crate::errors::{ErrorKind, HttpError};
use crate::python_glue::type_name;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use std::sync::Arc;
use std::time::Duration;

/// A body still on the wire.
pub struct WireBody {
    pub resp: reqwest::Response,
    pub read_timeout: Option<Duration>,
    /// Told once, when the body has been read to its end or is dropped (the transport's: the
    /// connection goes back to the pool, or is being closed).
    pub at_end: Option<fn(&reqwest::Response)>,
    /// The place this response holds under `max_connections` until it is finished or closed.
    pub _permit: Option<tokio::sync::OwnedSemaphorePermit>,
}

impl Drop for WireBody {
    fn drop(&mut self) {
        if let Some(at_end) = self.at_end.take() {
            at_end(&self.resp);
        }
    }
}

impl WireBody {
    /// The next raw chunk, or None at the end. Each wait for bytes gets the full read budget.
    pub async fn next_chunk(&mut self) -> Result<Option<bytes::Bytes>, HttpError> {
        let chunk = self.resp.chunk();
        let result = match self.read_timeout {
            Some(limit) => tokio::time::timeout(limit, chunk).await.map_err(|_| {
                HttpError::new(ErrorKind::ReadTimeout, "The read operation timed out")
            })?,
            None => chunk.await,
        };
        let chunk = result.map_err(|e| crate::errors::from_reqwest(&e))?;
        if chunk.is_none() {
            if let Some(at_end) = self.at_end.take() {
                at_end(&self.resp);
            }
        }
        Ok(chunk)
    }
}

pub enum BodyState {
    /// Read into memory.
    Content(Py<PyBytes>),
    /// On the wire, not yet consumed.
    Wire(Box<WireBody>),
    /// A Python iterator given by the user (`Response(stream=...)` / `content=iterator`).
    PyIter(Py<PyAny>),
    /// A Python async iterator (`content=`/`stream=` async iterable, e.g. from a transport).
    PyAsyncIter(Py<PyAny>),
    /// Its `__anext__()` is being awaited by the caller's task.
    AwaitingPy(Py<PyAny>),
    /// ... and this is what the await gave.
    PyArrived(Py<PyAny>, PyResult<Py<PyAny>>),
    /// A chunk read from the wire, not yet handed out (the next pull takes it).
    Arrived(Box<WireBody>, Result<Option<bytes::Bytes>, HttpError>),
    /// Taken by a read in progress (another thread, or a task awaiting it).
    Busy,
    /// Streamed through without being kept.
    Consumed,
    /// No body: the connection was handed over (`101 Switching Protocols`, the
    /// `network_stream` extension). Closing the response closes the connection, as
    /// httpcore's does.
    Switched(Arc<dyn Handover>),
}

/// A connection handed over with a response (`transport::upgrade`), closed with it.
pub trait Handover: Send + Sync {
    fn close(&self);
}

/// A body stream object: an async iterable (and not a sync one) is read with `__anext__`.
pub(crate) fn stream_body(obj: &Bound<'_, PyAny>) -> PyResult<Option<BodyState>> {
    if obj.hasattr("__aiter__")? && !obj.hasattr("__iter__")? {
        let it = obj.call_method0("__aiter__")?;
        return Ok(Some(BodyState::PyAsyncIter(it.unbind())));
    }
    match obj.try_iter() {
        Ok(it) => Ok(Some(BodyState::PyIter(it.into_any().unbind()))),
        Err(_) => Ok(None),
    }
}

/// A chunk of a Python body stream, which must be bytes.
pub(crate) fn chunk_bytes(chunk: &Bound<'_, PyAny>) -> PyResult<bytes::Bytes> {
    let bytes = chunk.cast::<PyBytes>().map_err(|_| {
        PyTypeError::new_err(format!(
            "Response stream chunks must be bytes, got {}",
            type_name(chunk)
        ))
    })?;
    Ok(crate::python_glue::shared_bytes(bytes))
}
