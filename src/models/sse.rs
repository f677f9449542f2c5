//! Server-sent events, the Python face: `ServerSentEvent` (httpx2's and httpx-sse's model)
//! and `EventStreamParser`, the one parser object both drivers feed (`python/httprs/_sse.py`
//! iterates the response's bytes, sync or async, and hands each chunk here). The parsing
//! rules are `codecs/sse.rs`.

use crate::codecs::pyrepr::py_repr_str;
use crate::codecs::sse::{Event, SseParser};
use crate::errors::{ErrorKind, HttpError};
use crate::python_glue::json_loads;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};

/// One server-sent event: `event` (its type), `data`, `id`, `retry` and `json()`. Frozen,
/// comparable and hashable.
#[pyclass(name = "ServerSentEvent", module = "httprs", frozen, eq, hash)]
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PyServerSentEvent {
    /// The event's type: its `event:` field, `"message"` without one.
    #[pyo3(get)]
    event: String,
    /// Its `data:` lines, joined with `"\n"`.
    #[pyo3(get)]
    data: String,
    /// The last event id when it was dispatched (`""` before any).
    #[pyo3(get)]
    id: String,
    /// The `retry:` of its block, in milliseconds, or None.
    #[pyo3(get)]
    retry: Option<u64>,
}

impl From<Event> for PyServerSentEvent {
    fn from(e: Event) -> Self {
        PyServerSentEvent {
            event: e.event,
            data: e.data,
            id: e.id,
            retry: e.retry,
        }
    }
}

#[pymethods]
impl PyServerSentEvent {
    #[new]
    #[pyo3(signature = (event = "message".to_owned(), data = String::new(), id = String::new(), retry = None), text_signature = "(event='message', data='', id='', retry=None)")]
    fn py_new(event: String, data: String, id: String, retry: Option<u64>) -> Self {
        PyServerSentEvent {
            event,
            data,
            id,
            retry,
        }
    }

    /// `json.loads(self.data, **kwargs)`.
    #[pyo3(signature = (**kwargs))]
    fn json<'py>(
        &self,
        py: Python<'py>,
        kwargs: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        json_loads(PyString::new(py, &self.data).as_any(), kwargs)
    }

    fn __repr__(&self) -> String {
        let retry = match self.retry {
            Some(ms) => ms.to_string(),
            None => "None".to_owned(),
        };
        format!(
            "ServerSentEvent(event={}, data={}, id={}, retry={retry})",
            py_repr_str(&self.event),
            py_repr_str(&self.data),
            py_repr_str(&self.id)
        )
    }
}

/// The incremental `text/event-stream` parser of one event source (it outlives a
/// reconnection: the last event id and the retry time carry over).
#[pyclass(module = "httprs._httprs")]
pub struct EventStreamParser {
    parser: SseParser,
}

#[pymethods]
impl EventStreamParser {
    #[new]
    #[pyo3(signature = (max_event_size = None, last_event_id = None))]
    fn py_new(max_event_size: Option<usize>, last_event_id: Option<&str>) -> Self {
        let mut parser = SseParser::new(max_event_size);
        if let Some(id) = last_event_id {
            parser.resume_from(id);
        }
        EventStreamParser { parser }
    }

    /// The events this chunk of the body completes. `SSEError` when an event grows past
    /// `max_event_size`.
    fn feed<'py>(&mut self, py: Python<'py>, chunk: &[u8]) -> PyResult<Bound<'py, PyList>> {
        let events = self
            .parser
            .feed(chunk)
            .map_err(|e| HttpError::new(ErrorKind::SSEError, e.to_string()).into_pyerr(py, None))?;
        let events = events
            .into_iter()
            .map(|e| Py::new(py, PyServerSentEvent::from(e)))
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, events)
    }

    /// The end of one response's body: an unterminated event is discarded.
    fn finish(&mut self) {
        self.parser.finish();
    }

    /// The id of the last event dispatched ("" before any): what a reconnection sends as
    /// `Last-Event-ID`.
    #[getter]
    fn last_event_id(&self) -> &str {
        self.parser.last_event_id()
    }

    /// The last reconnection time the stream asked for, in milliseconds.
    #[getter]
    fn retry(&self) -> Option<u64> {
        self.parser.retry()
    }
}
