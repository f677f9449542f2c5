//! `Response`: status, headers, and a body that is either in memory or still on the wire.
//!
//! A streamed body is pulled chunk by chunk as Python iterates (never buffered whole): each
//! pull is one wait on the runtime with the GIL released. Content decoding happens as chunks
//! arrive; `iter_raw()` skips it.

use crate::codecs::charset::is_utf8;
use crate::codecs::content::{check_size, ContentDecoder};
use crate::errors::{stream_error, ErrorKind, HttpError};
use crate::exchange::steps::{block_on, Apply, Step, Steps, WaitOp};
use crate::models::config::duration;
use crate::models::handle::{RequestHandle, ResponseHandle};
use crate::models::headers::{HeaderList, PyHeaders};
use crate::models::size_limit;
use crate::python_glue::type_name;
use bytes::Bytes;
use pyo3::exceptions::{PyRuntimeError, PyStopIteration, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyString};
use std::time::{Duration, Instant};

mod body;
mod buffer;
mod iterators;

use crate::codecs::links::parse_links;
use crate::python_glue::decode_text;
use body::{chunk_bytes, stream_body};
pub use body::{BodyState, Handover, WireBody};
pub use buffer::{sized_length, BodyBuffer};
use iterators::ReadAll;
pub use iterators::{BodyIterator, IterMode};

/// The Rust core of `httprs.Response` (the Python class in `python/httprs/_models.py`; see
/// `models/handle.rs` for why the class users see is Python).
#[pyclass(name = "ResponseCore", module = "httprs._httprs")]
pub struct PyResponse {
    pub status: u16,
    pub http_version: String,
    pub reason: Option<String>,
    pub headers: Py<PyHeaders>,
    pub request: Option<RequestHandle>,
    pub history: Vec<ResponseHandle>,
    pub next_request: Option<RequestHandle>,
    pub started: Instant,
    pub elapsed: Option<Duration>,
    pub body: BodyState,
    pub decoder: Option<ContentDecoder>,
    /// The decoded stream has handed out its last bytes; the next pull reports the end.
    pub decoded_end: bool,
    /// The body is on the wire of an AsyncClient: read it with the `a*` methods.
    pub is_async: bool,
    /// What `read()`/`aread()` has gathered so far (a read may be resumed after a wait).
    pub read_buf: BodyBuffer,
    pub is_closed: bool,
    pub is_stream_consumed: bool,
    pub num_bytes_downloaded: u64,
    pub encoding: Option<String>,
    pub text: Option<Py<PyString>>,
    /// A codec name, or a callable `(content: bytes) -> str`.
    pub default_encoding: Option<Py<PyAny>>,
    pub extensions: Option<Py<PyDict>>,
    /// The stream object a user or a transport gave (`response.stream`, as in httpx).
    pub stream: Option<Py<PyAny>>,
}

impl PyResponse {
    pub fn new(
        py: Python<'_>,
        status: u16,
        http_version: &str,
        headers: HeaderList,
        body: BodyState,
    ) -> PyResult<Self> {
        let read = matches!(body, BodyState::Content(_));
        Ok(Self {
            status,
            http_version: http_version.to_owned(),
            reason: None,
            headers: Py::new(py, PyHeaders::from_list(headers))?,
            request: None,
            history: Vec::new(),
            next_request: None,
            started: Instant::now(),
            elapsed: None,
            body,
            decoder: None,
            decoded_end: false,
            is_async: false,
            read_buf: BodyBuffer::default(),
            is_closed: read,
            is_stream_consumed: read,
            num_bytes_downloaded: 0,
            encoding: None,
            text: None,
            default_encoding: None,
            extensions: None,
            stream: None,
        })
    }

    pub fn to_pyerr(&self, py: Python<'_>, err: HttpError) -> PyErr {
        err.into_pyerr(
            py,
            self.request
                .as_ref()
                .and_then(|r| r.face_for_error(py))
                .as_ref(),
        )
    }

    fn header_list(&self, py: Python<'_>) -> HeaderList {
        self.headers.borrow(py).list.clone()
    }

    /// An AsyncClient's response over a stream that is both a sync and an async iterable
    /// (`ByteStream`, the pytest plugin's `IteratorStream`): it was started as a sync one
    /// when the response was made, so it is restarted the async way, as httpx reads such a
    /// stream with either client. Nothing was read yet (the transport just returned it).
    pub fn read_stream_async(&mut self, py: Python<'_>) -> PyResult<()> {
        if let (BodyState::PyIter(_), Some(stream)) = (&self.body, &self.stream) {
            let stream = stream.bind(py);
            if stream.hasattr("__aiter__")? {
                self.body = BodyState::PyAsyncIter(stream.call_method0("__aiter__")?.unbind());
            }
        }
        Ok(())
    }

    /// Mark closed: drop the connection of an unfinished body, fix `elapsed`.
    pub fn close_now(&mut self) {
        if !self.is_closed {
            self.is_closed = true;
            if let BodyState::PyIter(_) = self.body {
                // A sync stream a transport or the user gave is closed, as httpx's
                // `Response.close()` closes `self.stream` (a WSGI app's result, say).
                if let Some(stream) = &self.stream {
                    Python::attach(|py| {
                        let stream = stream.bind(py);
                        if stream.hasattr("close").unwrap_or(false) {
                            let _ = stream.call_method0("close");
                        }
                    });
                }
            }
            if let BodyState::Switched(conn) = &self.body {
                conn.close();
            }
            if matches!(
                self.body,
                BodyState::Wire(_)
                    | BodyState::PyIter(_)
                    | BodyState::Arrived(..)
                    | BodyState::Busy
                    | BodyState::Switched(_)
            ) {
                self.body = BodyState::Consumed;
            }
        }
        if self.elapsed.is_none() {
            self.elapsed = Some(self.started.elapsed());
        }
    }

    /// The extensions of a response from the network: `http_version`, `reason_phrase`, as
    /// httpcore gives them (`network_stream` is added by the transport that has one).
    pub fn wire_extensions<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item(
            "http_version",
            PyBytes::new(py, self.http_version.as_bytes()),
        )?;
        if let Some(r) = &self.reason {
            d.set_item("reason_phrase", PyBytes::new(py, r.as_bytes()))?;
        }
        Ok(d)
    }

    /// Whether the body is an async stream a transport or the user gave, not yet closed.
    pub fn has_open_async_stream(&self) -> bool {
        !self.is_closed
            && matches!(
                self.body,
                BodyState::PyAsyncIter(_) | BodyState::AwaitingPy(_) | BodyState::PyArrived(..)
            )
    }

    /// The `aclose()` of the stream a transport or the user gave, for the caller to await.
    pub fn stream_aclose(&self, py: Python<'_>) -> Option<Py<PyAny>> {
        self.stream
            .as_ref()?
            .bind(py)
            .call_method0("aclose")
            .ok()
            .filter(|closing| closing.hasattr("__await__").unwrap_or(false))
            .map(Bound::unbind)
    }

    /// Close, and hand back the `aclose()` of an open async stream a transport or the user
    /// gave, for the caller to await: httpx's `Response.aclose()` awaits `stream.aclose()`.
    pub fn close_async(&mut self, py: Python<'_>) -> Option<Py<PyAny>> {
        let open = self.has_open_async_stream();
        self.close_now();
        open.then(|| self.stream_aclose(py)).flatten()
    }

    /// Pull the next raw chunk from wherever the body is. None at the end (and the response
    /// is then closed, as httpx closes it). A wire body asks to wait for the network; the
    /// chunk is then `Arrived` and the next call hands it out.
    pub fn next_raw(slf: &Bound<'_, Self>) -> PyResult<Step<Option<Bytes>>> {
        let py = slf.py();
        let source = {
            let mut me = slf.borrow_mut();
            if me.is_stream_consumed
                && !matches!(
                    me.body,
                    BodyState::Wire(_)
                        | BodyState::PyIter(_)
                        | BodyState::Arrived(..)
                        | BodyState::PyAsyncIter(_)
                        | BodyState::PyArrived(..)
                        | BodyState::Switched(_)
                )
            {
                return Err(stream_error(ErrorKind::StreamConsumed));
            }
            if me.is_closed {
                return Err(stream_error(ErrorKind::StreamClosed));
            }
            me.is_stream_consumed = true;
            std::mem::replace(&mut me.body, BodyState::Busy)
        };
        let outcome: PyResult<Option<Bytes>>;
        let next_state;
        match source {
            BodyState::Wire(mut wire) => {
                let target = slf.clone().unbind();
                return Ok(Step::Wait(WaitOp::new(async move {
                    let result = wire.next_chunk().await;
                    Box::new(move |py: Python<'_>| {
                        let mut me = target.bind(py).borrow_mut();
                        // Closed meanwhile: the chunk and the connection are dropped.
                        if matches!(me.body, BodyState::Busy) && !me.is_closed {
                            me.body = BodyState::Arrived(wire, result);
                        }
                    }) as Apply
                })));
            }
            BodyState::Arrived(wire, result) => match result {
                Ok(Some(chunk)) => {
                    outcome = Ok(Some(chunk));
                    next_state = BodyState::Wire(wire);
                }
                Ok(None) => {
                    outcome = Ok(None);
                    next_state = BodyState::Consumed;
                }
                Err(e) => {
                    let me = slf.borrow();
                    outcome = Err(me.to_pyerr(py, e));
                    next_state = BodyState::Consumed;
                }
            },
            BodyState::PyAsyncIter(it) => {
                let next = it.bind(py).call_method0("__anext__");
                let mut me = slf.borrow_mut();
                match next {
                    Ok(awaitable) => {
                        me.body = BodyState::AwaitingPy(it);
                        return Ok(Step::Await(awaitable.unbind()));
                    }
                    Err(e) => {
                        me.body = BodyState::Consumed;
                        me.close_now();
                        return Err(e);
                    }
                }
            }
            BodyState::PyArrived(it, item) => match item {
                Ok(chunk) => {
                    outcome = chunk_bytes(chunk.bind(py)).map(Some);
                    next_state = BodyState::PyAsyncIter(it);
                }
                Err(e) if e.is_instance_of::<pyo3::exceptions::PyStopAsyncIteration>(py) => {
                    outcome = Ok(None);
                    next_state = BodyState::Consumed;
                }
                Err(e) => {
                    outcome = Err(e);
                    next_state = BodyState::Consumed;
                }
            },
            // The body of a switched connection is empty; its end closes the response,
            // and with it the connection, as httpx's does.
            BodyState::Switched(conn) => {
                outcome = Ok(None);
                next_state = BodyState::Switched(conn);
            }
            BodyState::PyIter(it) => {
                let item = it.bind(py).call_method0("__next__");
                match item {
                    Ok(chunk) => {
                        outcome = chunk_bytes(&chunk).map(Some);
                        next_state = BodyState::PyIter(it);
                    }
                    Err(e) if e.is_instance_of::<PyStopIteration>(py) => {
                        outcome = Ok(None);
                        next_state = BodyState::Consumed;
                    }
                    Err(e) => {
                        outcome = Err(e);
                        next_state = BodyState::Consumed;
                    }
                }
            }
            other => {
                // Busy (another thread is reading) or already consumed.
                let mut me = slf.borrow_mut();
                me.body = other;
                return Err(stream_error(ErrorKind::StreamConsumed));
            }
        }
        let mut me = slf.borrow_mut();
        me.body = next_state;
        match &outcome {
            Ok(Some(chunk)) => me.num_bytes_downloaded += chunk.len() as u64,
            _ => me.close_now(),
        }
        outcome.map(Step::Ready)
    }

    /// The outcome of awaiting an async body's `__anext__()` (from the stepper that awaited it).
    pub fn deliver(slf: &Bound<'_, Self>, outcome: PyResult<Py<PyAny>>) {
        let mut me = slf.borrow_mut();
        if let BodyState::AwaitingPy(it) = std::mem::replace(&mut me.body, BodyState::Consumed) {
            me.body = BodyState::PyArrived(it, outcome);
        }
    }

    /// The next decoded chunk (content-encoding removed), or None at the end. However much
    /// a chunk expands (a decompression bomb), each piece is at most `DECODE_STEP` bytes:
    /// the decoder keeps the rest of its input for the next call.
    pub fn next_decoded(slf: &Bound<'_, Self>) -> PyResult<Step<Option<Bytes>>> {
        let py = slf.py();
        let identity = {
            let mut me = slf.borrow_mut();
            // Each reader stops at the end it is given; a call after it is a second reader.
            if me.decoded_end {
                return Err(stream_error(ErrorKind::StreamConsumed));
            }
            if me.decoder.is_none() {
                let headers = me.header_list(py);
                me.decoder = Some(ContentDecoder::for_headers(&headers));
            }
            me.decoder.as_ref().is_some_and(ContentDecoder::is_identity)
        };
        if identity {
            // Nothing to decode: the raw chunks as they come, not copied.
            return Self::next_undecoded(slf);
        }
        loop {
            {
                let mut me = slf.borrow_mut();
                let Some(mut decoder) = me.decoder.take() else {
                    return Ok(Step::Ready(None));
                };
                let piece = py.detach(|| decoder.next_piece());
                let finished = decoder.is_finished();
                me.decoder = Some(decoder);
                match piece {
                    Err(e) => return Err(me.to_pyerr(py, e)),
                    Ok(Some(piece)) if !piece.is_empty() => {
                        return Ok(Step::Ready(Some(Bytes::from(piece))))
                    }
                    Ok(_) if finished => {
                        me.decoded_end = true;
                        return Ok(Step::Ready(None));
                    }
                    Ok(_) => {}
                }
            }
            let raw = match Self::next_raw(slf)? {
                Step::Ready(raw) => raw,
                other => return Ok(other),
            };
            let mut me = slf.borrow_mut();
            if let Some(decoder) = me.decoder.as_mut() {
                match raw {
                    Some(chunk) => decoder.feed_owned(Vec::from(chunk)),
                    None => decoder.feed_end(),
                }
            }
        }
    }

    /// `next_decoded` for a body without a content-encoding: the next non-empty raw chunk.
    fn next_undecoded(slf: &Bound<'_, Self>) -> PyResult<Step<Option<Bytes>>> {
        loop {
            match Self::next_raw(slf)? {
                Step::Ready(Some(chunk)) if chunk.is_empty() => {}
                Step::Ready(None) => {
                    slf.borrow_mut().decoded_end = true;
                    return Ok(Step::Ready(None));
                }
                other => return Ok(other),
            }
        }
    }

    /// One step of `read()`/`aread()`: the whole decoded body, kept as `.content`.
    pub fn read_step(slf: &Bound<'_, Self>) -> PyResult<Step<Py<PyBytes>>> {
        let py = slf.py();
        if let BodyState::Content(c) = &slf.borrow().body {
            return Ok(Step::Ready(c.clone_ref(py)));
        }
        let max_size = Self::max_size(slf)?;
        {
            let mut me = slf.borrow_mut();
            let announced = match &me.body {
                BodyState::Wire(wire) if me.read_buf.is_empty() && !me.is_stream_consumed => {
                    sized_length(&wire.resp, &me.headers.borrow(py).list, max_size)
                }
                _ => None,
            };
            if let Some(len) = announced {
                me.read_buf = BodyBuffer::for_length(py, len);
            }
        }
        loop {
            match Self::next_decoded(slf)? {
                Step::Ready(Some(chunk)) => {
                    let mut me = slf.borrow_mut();
                    if let Some(max) = max_size {
                        // Checked before growing the buffer: a refused body never makes it
                        // double past the bound.
                        if let Err(e) = check_size(me.read_buf.len() + chunk.len(), max) {
                            // What was read goes, and the connection with it.
                            me.read_buf = BodyBuffer::default();
                            me.close_now();
                            return Err(me.to_pyerr(py, e));
                        }
                    }
                    me.read_buf.push(&chunk);
                }
                Step::Ready(None) => break,
                Step::Wait(w) => return Ok(Step::Wait(w)),
                Step::Await(a) => return Ok(Step::Await(a)),
            }
        }
        let mut me = slf.borrow_mut();
        let bytes = std::mem::take(&mut me.read_buf).into_bytes(py);
        me.body = BodyState::Content(bytes.clone_ref(py));
        me.close_now();
        Ok(Step::Ready(bytes))
    }

    /// The request's `extensions["max_response_size"]` (see `models/size_limit.rs`).
    fn max_size(slf: &Bound<'_, Self>) -> PyResult<Option<usize>> {
        let py = slf.py();
        match &slf.borrow().request {
            Some(request) => {
                size_limit::from_extensions(request.bind(py).borrow().extensions.bind(py))
            }
            None => Ok(None),
        }
    }

    /// `read()`: the sync driver of `read_step`.
    pub fn read_all<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyBytes>> {
        let py = slf.py();
        Ok(block_on(py, |_| Self::read_step(slf))?.into_bound(py))
    }

    /// Whether the body still to be read is an async stream (Some(true)), a sync one
    /// (Some(false)), or not a stream any more (None).
    fn stream_is_async(&self) -> Option<bool> {
        match self.body {
            BodyState::Wire(_) | BodyState::Arrived(..) | BodyState::Switched(_) => {
                Some(self.is_async)
            }
            BodyState::PyAsyncIter(_) | BodyState::AwaitingPy(_) | BodyState::PyArrived(..) => {
                Some(true)
            }
            BodyState::PyIter(_) => Some(false),
            _ => None,
        }
    }

    /// httpx refuses `close()` on an async stream and `aclose()` on a sync one.
    fn check_close_mode(&self, want_async: bool) -> PyResult<()> {
        if self.stream_is_async().is_some_and(|a| a != want_async) {
            return Err(PyRuntimeError::new_err(if want_async {
                "Attempted to call an async close on an sync stream."
            } else {
                "Attempted to call an sync close on an async stream."
            }));
        }
        Ok(())
    }

    /// httpx refuses sync reads of an async client's stream, and async reads of a sync one.
    pub fn check_mode(slf: &Bound<'_, Self>, want_async: bool) -> PyResult<()> {
        let body_is_async = slf.borrow().stream_is_async();
        if body_is_async.is_some_and(|a| a != want_async) {
            return Err(PyRuntimeError::new_err(if want_async {
                "Attempted to call an async iterator on a sync stream."
            } else {
                "Attempted to call a sync iterator on an async stream."
            }));
        }
        Ok(())
    }

    /// The iterator behind `iter_*` (`want_async` false) and `aiter_*` (true).
    fn body_iter(
        slf: &Bound<'_, Self>,
        mode: IterMode,
        chunk_size: Option<usize>,
        want_async: bool,
    ) -> PyResult<BodyIterator> {
        Self::check_mode(slf, want_async)?;
        if mode == IterMode::Raw {
            let me = slf.borrow();
            if me.is_stream_consumed {
                return Err(stream_error(ErrorKind::StreamConsumed));
            }
            if me.is_closed {
                return Err(stream_error(ErrorKind::StreamClosed));
            }
        }
        BodyIterator::new(slf, mode, chunk_size)
    }

    /// The codec for `.text`: explicit override, else the Content-Type charset when Python
    /// knows it, else `default_encoding` (a name or a callable given the content).
    fn resolve_encoding(&self, py: Python<'_>) -> PyResult<String> {
        if let Some(e) = &self.encoding {
            return Ok(e.clone());
        }
        if let Some(charset) = self.charset(py) {
            if is_utf8(&charset) || crate::python_glue::is_known_encoding(py, &charset) {
                return Ok(charset);
            }
        }
        match &self.default_encoding {
            None => Ok("utf-8".to_owned()),
            Some(d) => {
                let d = d.bind(py);
                if let Ok(s) = d.cast::<PyString>() {
                    return Ok(s.to_str()?.to_owned());
                }
                if let BodyState::Content(c) = &self.body {
                    let guessed = d.call1((c.bind(py),))?;
                    if !guessed.is_none() {
                        return guessed.extract();
                    }
                }
                Ok("utf-8".to_owned())
            }
        }
    }

    fn charset(&self, py: Python<'_>) -> Option<String> {
        let headers = self.headers.borrow(py);
        headers
            .list
            .get_first("content-type")
            .and_then(crate::codecs::charset::charset_from_content_type)
    }

    pub fn set_default_encoding(&mut self, value: Option<Py<PyAny>>) {
        self.default_encoding = value;
    }

    fn content_ref<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        match &self.body {
            BodyState::Content(c) => Ok(c.bind(py).clone()),
            _ => Err(stream_error(ErrorKind::ResponseNotRead)),
        }
    }
}

#[pymethods]
impl PyResponse {
    #[pyo3(signature = (status_code, *, headers = None, content = None, text = None, html = None, json = None, stream = None, request = None, extensions = None, history = None, default_encoding = None))]
    #[allow(clippy::too_many_arguments)]
    #[new]
    fn py_new(
        py: Python<'_>,
        status_code: &Bound<'_, PyAny>,
        headers: Option<&Bound<'_, PyAny>>,
        content: Option<&Bound<'_, PyAny>>,
        text: Option<&Bound<'_, PyAny>>,
        html: Option<&Bound<'_, PyAny>>,
        json: Option<&Bound<'_, PyAny>>,
        stream: Option<&Bound<'_, PyAny>>,
        request: Option<RequestHandle>,
        extensions: Option<Bound<'_, PyDict>>,
        history: Option<Vec<ResponseHandle>>,
        default_encoding: Option<Py<PyAny>>,
    ) -> PyResult<Self> {
        let status: u16 = status_code.extract().map_err(|_| {
            PyTypeError::new_err(format!(
                "status_code must be an int in 100..=999, got {}",
                type_name(status_code)
            ))
        })?;
        let mut list = HeaderList::from_py(headers, "headers")?;
        let mut implied: Vec<(&str, String)> = Vec::new();
        let mut given_stream: Option<Py<PyAny>> = None;
        let body = if let Some(c) = content.filter(|c| !c.is_none()) {
            if let Ok(b) = c.cast::<PyBytes>() {
                if !b.as_bytes().is_empty() {
                    implied.push(("Content-Length", b.as_bytes().len().to_string()));
                }
                BodyState::Content(b.clone().unbind())
            } else if let Ok(s) = c.cast::<PyString>() {
                let bytes = s.to_str()?.as_bytes();
                if !bytes.is_empty() {
                    implied.push(("Content-Length", bytes.len().to_string()));
                }
                BodyState::Content(PyBytes::new(py, bytes).unbind())
            } else if !c.is_instance_of::<PyDict>()
                && (c.try_iter().is_ok() || c.hasattr("__aiter__")?)
            {
                // As httpx: kept as an `IteratorByteStream` / `AsyncIteratorByteStream` (a
                // generator iterates once), with a Content-Length when a file-like's is known.
                let (length, wrapped, _is_async): (Option<u64>, Bound<'_, PyAny>, bool) = py
                    .import("httprs._transports")?
                    .getattr("wrap_content")?
                    .call1((c,))?
                    .extract()?;
                implied.push(match length {
                    Some(n) => ("Content-Length", n.to_string()),
                    None => ("Transfer-Encoding", "chunked".to_owned()),
                });
                let body = stream_body(&wrapped)?.ok_or_else(|| {
                    crate::errors::internal("a wrapped content stream is not iterable")
                })?;
                given_stream = Some(wrapped.unbind());
                body
            } else {
                return Err(PyTypeError::new_err(format!(
                    "Unexpected type for 'content': expected bytes, str or an iterable of bytes, got {}",
                    type_name(c)
                )));
            }
        } else if let Some(t) = text.filter(|t| !t.is_none()) {
            let bytes = t.cast::<PyString>()?.to_str()?.as_bytes().to_vec();
            implied.push(("Content-Length", bytes.len().to_string()));
            implied.push(("Content-Type", "text/plain; charset=utf-8".to_owned()));
            BodyState::Content(PyBytes::new(py, &bytes).unbind())
        } else if let Some(h) = html.filter(|h| !h.is_none()) {
            let bytes = h.cast::<PyString>()?.to_str()?.as_bytes().to_vec();
            implied.push(("Content-Length", bytes.len().to_string()));
            implied.push(("Content-Type", "text/html; charset=utf-8".to_owned()));
            BodyState::Content(PyBytes::new(py, &bytes).unbind())
        } else if let Some(j) = json.filter(|j| !j.is_none()) {
            let bytes = crate::python_glue::json_dumps(j)?;
            implied.push(("Content-Length", bytes.len().to_string()));
            implied.push(("Content-Type", "application/json".to_owned()));
            BodyState::Content(PyBytes::new(py, &bytes).unbind())
        } else if let Some(s) = stream.filter(|s| !s.is_none()) {
            given_stream = Some(s.clone().unbind());
            stream_body(s)?.ok_or_else(|| {
                PyTypeError::new_err(format!(
                    "stream must be an iterable or async iterable of bytes, got {}",
                    type_name(s)
                ))
            })?
        } else {
            BodyState::Content(PyBytes::new(py, b"").unbind())
        };
        list.add_implied(&implied);
        // As httpx reads a bytes body at once: `content=` is the body as sent, so a
        // Content-Encoding given with it is decoded now (what `.content` shows).
        let body = match body {
            BodyState::Content(c) if list.contains("content-encoding") => {
                let decoded = ContentDecoder::decode_all(&list, c.bind(py).as_bytes())
                    .map_err(|e| e.into_pyerr(py, None))?;
                BodyState::Content(PyBytes::new(py, &decoded).unbind())
            }
            other => other,
        };
        let mut response = PyResponse::new(py, status, "HTTP/1.1", list, body)?;
        if let Some(ext) = &extensions {
            if let Ok(Some(v)) = ext.get_item("http_version") {
                if let Ok(b) = v.cast::<PyBytes>() {
                    response.http_version = String::from_utf8_lossy(b.as_bytes()).into_owned();
                }
            }
            if let Ok(Some(v)) = ext.get_item("reason_phrase") {
                if let Ok(b) = v.cast::<PyBytes>() {
                    response.reason = Some(String::from_utf8_lossy(b.as_bytes()).into_owned());
                }
            }
        }
        response.request = request;
        response.extensions = extensions.map(Bound::unbind);
        response.history = history.unwrap_or_default();
        response.default_encoding = default_encoding;
        response.stream = given_stream;
        Ok(response)
    }

    #[getter]
    fn status_code(&self) -> u16 {
        self.status
    }

    #[setter]
    fn set_status_code(&mut self, value: u16) {
        self.status = value;
    }

    #[getter]
    pub fn reason_phrase(&self, py: Python<'_>) -> String {
        match &self.reason {
            Some(r) => r.clone(),
            None => crate::python_glue::reason_phrase(py, self.status),
        }
    }

    #[getter]
    fn http_version(&self) -> &str {
        &self.http_version
    }

    #[getter]
    fn headers(&self, py: Python<'_>) -> Py<PyHeaders> {
        self.headers.clone_ref(py)
    }

    #[setter]
    fn set_headers(&mut self, py: Python<'_>, headers: &Bound<'_, PyAny>) -> PyResult<()> {
        self.headers = Py::new(
            py,
            PyHeaders::from_list(HeaderList::from_py(Some(headers), "headers")?),
        )?;
        Ok(())
    }

    #[getter]
    fn request(&self, py: Python<'_>) -> PyResult<RequestHandle> {
        self.request
            .as_ref()
            .map(|r| r.clone_ref(py))
            .ok_or_else(|| {
                PyRuntimeError::new_err("The request instance has not been set on this response.")
            })
    }

    #[setter]
    fn set_request(&mut self, request: RequestHandle) {
        self.request = Some(request);
    }

    #[getter]
    fn url(&self, py: Python<'_>) -> PyResult<crate::models::url::PyURL> {
        Ok(self.request(py)?.bind(py).borrow().url.clone())
    }

    #[getter]
    fn history(&self, py: Python<'_>) -> Vec<ResponseHandle> {
        self.history.iter().map(|r| r.clone_ref(py)).collect()
    }

    #[setter]
    fn set_history(&mut self, history: Vec<ResponseHandle>) {
        self.history = history;
    }

    #[getter]
    fn next_request(&self, py: Python<'_>) -> Option<RequestHandle> {
        self.next_request.as_ref().map(|r| r.clone_ref(py))
    }

    #[setter]
    fn set_next_request(&mut self, value: Option<RequestHandle>) {
        self.next_request = value;
    }

    #[getter]
    fn extensions<'py>(&mut self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        if self.extensions.is_none() {
            self.extensions = Some(self.wire_extensions(py)?.unbind());
        }
        Ok(self
            .extensions
            .as_ref()
            .map(|e| e.bind(py).clone())
            .unwrap_or_else(|| PyDict::new(py)))
    }

    /// A `timedelta`; only once the response has been read or closed, as in httpx.
    #[getter]
    fn elapsed<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let elapsed = self.elapsed.ok_or_else(|| {
            PyRuntimeError::new_err(
                "'.elapsed' may only be accessed after the response has been read or closed.",
            )
        })?;
        let datetime = py.import("datetime")?;
        let kwargs = PyDict::new(py);
        kwargs.set_item("microseconds", elapsed.as_micros() as u64)?;
        datetime.getattr("timedelta")?.call((), Some(&kwargs))
    }

    #[setter]
    fn set_elapsed(&mut self, value: &Bound<'_, PyAny>) -> PyResult<()> {
        let seconds: f64 = value.call_method0("total_seconds")?.extract()?;
        self.elapsed = duration(Some(seconds.max(0.0)));
        Ok(())
    }

    /// The body as httpx exposes it: a `ByteStream` once read, the iterable a transport
    /// gave, or (closed unread, or unpickled) a stream whose reading raises `StreamClosed`.
    #[getter]
    fn stream<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        if let Some(given) = &self.stream {
            return Ok(given.bind(py).clone());
        }
        match &self.body {
            BodyState::Content(c) => {
                crate::python_glue::stream_object(py, Some(c.bind(py).as_bytes()))
            }
            BodyState::PyIter(it) | BodyState::PyAsyncIter(it) => Ok(it.bind(py).clone()),
            _ => crate::python_glue::stream_object(py, None),
        }
    }

    /// Pickling, as httpx: status, headers, request, history and the content if it was read;
    /// the unpickled response is closed, and an unread body reads as `StreamClosed`.
    /// (The Python class pickles this state, see `Response.__getstate__`.)
    fn state<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let state = PyDict::new(py);
        state.set_item("status_code", self.status)?;
        state.set_item("http_version", &self.http_version)?;
        state.set_item("reason", &self.reason)?;
        state.set_item("headers", self.headers.clone_ref(py))?;
        state.set_item(
            "request",
            self.request.as_ref().map(|r| r.face(py)).transpose()?,
        )?;
        let history = self
            .history
            .iter()
            .map(|h| h.face(py))
            .collect::<PyResult<Vec<_>>>()?;
        state.set_item("history", history)?;
        state.set_item(
            "next_request",
            self.next_request.as_ref().map(|r| r.face(py)).transpose()?,
        )?;
        state.set_item("elapsed", self.elapsed.map(|e| e.as_secs_f64()))?;
        match &self.body {
            BodyState::Content(c) => state.set_item("content", c.clone_ref(py))?,
            _ => state.set_item("content", py.None())?,
        }
        state.set_item("is_stream_consumed", self.is_stream_consumed)?;
        state.set_item("num_bytes_downloaded", self.num_bytes_downloaded)?;
        state.set_item("encoding", &self.encoding)?;
        state.set_item(
            "default_encoding",
            self.default_encoding.as_ref().map(|d| d.clone_ref(py)),
        )?;
        Ok(state)
    }

    /// A core from what `state()` gave (closed: an unread body reads as `StreamClosed`).
    #[staticmethod]
    fn from_state(state: &Bound<'_, PyDict>) -> PyResult<Self> {
        let py = state.py();
        let mut core =
            PyResponse::new(py, 200, "HTTP/1.1", HeaderList::new(), BodyState::Consumed)?;
        let item = |name: &str| {
            state
                .get_item(name)?
                .ok_or_else(|| PyValueError::new_err(format!("Response state lacks {name:?}")))
        };
        core.status = item("status_code")?.extract()?;
        core.http_version = item("http_version")?.extract()?;
        core.reason = item("reason")?.extract()?;
        core.headers = item("headers")?.cast_into::<PyHeaders>()?.unbind();
        core.request = item("request")?.extract()?;
        core.history = item("history")?.extract()?;
        core.next_request = item("next_request")?.extract()?;
        core.elapsed = item("elapsed")?
            .extract::<Option<f64>>()?
            .map(Duration::from_secs_f64);
        core.body = match item("content")?.cast_into::<PyBytes>() {
            Ok(b) => BodyState::Content(b.unbind()),
            Err(_) => BodyState::Consumed,
        };
        core.is_stream_consumed = item("is_stream_consumed")?.extract()?;
        core.num_bytes_downloaded = item("num_bytes_downloaded")?.extract()?;
        core.encoding = item("encoding")?.extract()?;
        core.default_encoding = item("default_encoding")?.extract()?;
        core.decoder = None;
        core.stream = None;
        core.is_closed = true;
        core.extensions = Some(PyDict::new(py).unbind());
        Ok(core)
    }

    #[getter]
    fn is_closed(&self) -> bool {
        self.is_closed
    }

    #[getter]
    fn is_stream_consumed(&self) -> bool {
        self.is_stream_consumed
    }

    #[getter]
    fn num_bytes_downloaded(&self) -> u64 {
        self.num_bytes_downloaded
    }

    #[getter]
    fn content<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        self.content_ref(py)
    }

    #[getter]
    fn text<'py>(&mut self, py: Python<'py>) -> PyResult<Bound<'py, PyString>> {
        if let Some(t) = &self.text {
            return Ok(t.bind(py).clone());
        }
        let content = self.content_ref(py)?;
        let encoding = self.resolve_encoding(py)?;
        let text = decode_text(py, &content, &encoding)?;
        self.text = Some(text.clone().unbind());
        Ok(text)
    }

    #[getter]
    fn encoding(&self, py: Python<'_>) -> PyResult<String> {
        self.resolve_encoding(py)
    }

    #[setter]
    fn set_encoding(&mut self, value: Option<String>) -> PyResult<()> {
        if self.text.is_some() {
            return Err(PyValueError::new_err(
                "Setting encoding after `text` has been accessed is not allowed.",
            ));
        }
        self.encoding = value;
        Ok(())
    }

    #[getter]
    fn charset_encoding(&self, py: Python<'_>) -> Option<String> {
        self.charset(py)
    }

    #[getter]
    fn default_encoding(&self, py: Python<'_>) -> Py<PyAny> {
        match &self.default_encoding {
            Some(d) => d.clone_ref(py),
            None => PyString::new(py, "utf-8").into_any().unbind(),
        }
    }

    #[setter(default_encoding)]
    fn py_set_default_encoding(&mut self, value: Py<PyAny>) {
        self.default_encoding = Some(value);
    }

    #[pyo3(signature = (**kwargs))]
    fn json<'py>(
        &self,
        py: Python<'py>,
        kwargs: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let content = self.content_ref(py)?;
        crate::python_glue::json_loads(content.as_any(), kwargs)
    }

    #[getter]
    fn is_informational(&self) -> bool {
        (100..200).contains(&self.status)
    }
    #[getter]
    fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
    #[getter]
    fn is_redirect(&self) -> bool {
        (300..400).contains(&self.status)
    }
    #[getter]
    fn is_client_error(&self) -> bool {
        (400..500).contains(&self.status)
    }
    #[getter]
    fn is_server_error(&self) -> bool {
        (500..600).contains(&self.status)
    }
    #[getter]
    fn is_error(&self) -> bool {
        (400..600).contains(&self.status)
    }

    #[getter]
    fn has_redirect_location(&self, py: Python<'_>) -> bool {
        matches!(self.status, 301 | 302 | 303 | 307 | 308)
            && self.headers.borrow(py).list.contains("location")
    }

    /// Raises `HTTPStatusError` for a 4xx/5xx (and 1xx/3xx) status; `face` is the Python
    /// object the error names as its `response`.
    fn raise_for_status(slf: &Bound<'_, Self>, face: &Bound<'_, PyAny>) -> PyResult<()> {
        let py = slf.py();
        let me = slf.borrow();
        let Some(request) = me.request.as_ref() else {
            return Err(PyRuntimeError::new_err(
                "Cannot call `raise_for_status` as the request instance has not been set on this response.",
            ));
        };
        if me.is_success() {
            return Ok(());
        }
        let error_type = match me.status / 100 {
            1 => "Informational response",
            3 => "Redirect response",
            4 => "Client error",
            5 => "Server error",
            _ => "Invalid status code",
        };
        let url = request.bind(py).borrow().url.as_str().to_owned();
        let mut message = format!(
            "{error_type} '{} {}' for url '{url}'",
            me.status,
            me.reason_phrase(py)
        );
        if me.has_redirect_location(py) {
            let location = me
                .headers
                .borrow(py)
                .list
                .get_joined("location")
                .unwrap_or_default();
            message.push_str(&format!("\nRedirect location: '{location}'"));
        }
        message.push_str(&format!(
            "\nFor more information check: https://developer.mozilla.org/en-US/docs/Web/HTTP/Status/{}",
            me.status
        ));
        let class = crate::errors::exception_class(py, "HTTPStatusError")?;
        let kwargs = PyDict::new(py);
        kwargs.set_item("request", request.face(py)?)?;
        kwargs.set_item("response", face)?;
        Err(PyErr::from_value(class.call((message,), Some(&kwargs))?))
    }

    /// `{rel or url: {"url": ..., "rel": ..., ...}}` from the Link header.
    #[getter]
    fn links<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let out = PyDict::new(py);
        let Some(value) = self.headers.borrow(py).list.get_joined("link") else {
            return Ok(out);
        };
        for link in parse_links(&value) {
            let d = PyDict::new(py);
            for (k, v) in &link {
                d.set_item(k, v)?;
            }
            let key = link
                .iter()
                .find(|(k, _)| k == "rel")
                .or_else(|| link.iter().find(|(k, _)| k == "url"))
                .map(|(_, v)| v.clone())
                .unwrap_or_default();
            out.set_item(key, d)?;
        }
        Ok(out)
    }

    /// Cookies set by this response alone.
    #[getter]
    fn cookies(&self, py: Python<'_>) -> PyResult<crate::models::cookies::PyCookies> {
        let mut jar = crate::models::cookies::CookieJar::default();
        if let Some(req) = &self.request {
            let req = req.bind(py).borrow();
            jar.extract(
                &self.header_list(py),
                req.url.host_ascii(),
                &req.url.raw_path_str(),
            );
        }
        Ok(crate::models::cookies::PyCookies::from_jar(jar))
    }

    fn read<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyBytes>> {
        Self::check_mode(slf, false)?;
        Self::read_all(slf)
    }

    #[pyo3(signature = (chunk_size = None))]
    fn iter_bytes(slf: &Bound<'_, Self>, chunk_size: Option<usize>) -> PyResult<BodyIterator> {
        Self::body_iter(slf, IterMode::Bytes, chunk_size, false)
    }

    #[pyo3(signature = (chunk_size = None))]
    fn iter_raw(slf: &Bound<'_, Self>, chunk_size: Option<usize>) -> PyResult<BodyIterator> {
        Self::body_iter(slf, IterMode::Raw, chunk_size, false)
    }

    #[pyo3(signature = (chunk_size = None))]
    fn iter_text(slf: &Bound<'_, Self>, chunk_size: Option<usize>) -> PyResult<BodyIterator> {
        Self::body_iter(slf, IterMode::Text, chunk_size, false)
    }

    fn iter_lines(slf: &Bound<'_, Self>) -> PyResult<BodyIterator> {
        Self::body_iter(slf, IterMode::Lines, None, false)
    }

    fn close(&mut self) -> PyResult<()> {
        self.check_close_mode(false)?;
        self.close_now();
        Ok(())
    }

    fn aread(slf: &Bound<'_, Self>) -> PyResult<Py<PyAny>> {
        Self::check_mode(slf, true)?;
        let response = slf.clone().unbind();
        Steps::coroutine(slf.py(), Box::new(ReadAll { response }))
    }

    #[pyo3(signature = (chunk_size = None))]
    fn aiter_bytes(slf: &Bound<'_, Self>, chunk_size: Option<usize>) -> PyResult<BodyIterator> {
        Self::body_iter(slf, IterMode::Bytes, chunk_size, true)
    }

    #[pyo3(signature = (chunk_size = None))]
    fn aiter_raw(slf: &Bound<'_, Self>, chunk_size: Option<usize>) -> PyResult<BodyIterator> {
        Self::body_iter(slf, IterMode::Raw, chunk_size, true)
    }

    #[pyo3(signature = (chunk_size = None))]
    fn aiter_text(slf: &Bound<'_, Self>, chunk_size: Option<usize>) -> PyResult<BodyIterator> {
        Self::body_iter(slf, IterMode::Text, chunk_size, true)
    }

    fn aiter_lines(slf: &Bound<'_, Self>) -> PyResult<BodyIterator> {
        Self::body_iter(slf, IterMode::Lines, None, true)
    }

    fn aclose(&mut self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.check_close_mode(true)?;
        match self.close_async(py) {
            Some(closing) => crate::exchange::steps::awaiting_none(py, closing),
            None => crate::exchange::steps::ready(py, py.None()),
        }
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!("<Response [{} {}]>", self.status, self.reason_phrase(py))
    }
}
