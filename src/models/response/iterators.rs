//! The iterators behind `iter_raw` / `iter_bytes` / `iter_text` / `iter_lines` (and their
//! async twins: one `BodyIterator`, stepped by either driver), and `aread()`'s stepper.

use super::{BodyState, PyResponse};
use crate::codecs::charset::is_utf8;
use crate::codecs::lines::LineSplitter;
use crate::errors::{stream_error, ErrorKind};
use crate::exchange::steps::{block_on, Step, Stepper, Steps};
use bytes::Bytes;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};
use std::collections::VecDeque;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum IterMode {
    Raw,
    Bytes,
    Text,
    Lines,
}

pub(crate) enum TextDecoder {
    Utf8(encoding_rs::Decoder),
    Python(Py<PyAny>),
}

/// The iterator `Response.iter_bytes()` and friends return (`aiter_*`: async).
#[pyclass(module = "httprs")]
pub struct BodyIterator {
    response: Py<PyResponse>,
    mode: IterMode,
    chunk_size: Option<usize>,
    /// Bytes already read from `.content` (when the body is in memory).
    offset: usize,
    from_content: bool,
    byte_buf: Vec<u8>,
    text_buf: String,
    text_decoder: Option<TextDecoder>,
    lines: LineSplitter,
    ready: VecDeque<Py<PyAny>>,
    done: bool,
}

impl BodyIterator {
    pub(crate) fn new(
        response: &Bound<'_, PyResponse>,
        mode: IterMode,
        chunk_size: Option<usize>,
    ) -> PyResult<Self> {
        if chunk_size == Some(0) {
            return Err(PyValueError::new_err(
                "chunk_size must be a positive integer or None",
            ));
        }
        let from_content =
            mode != IterMode::Raw && matches!(response.borrow().body, BodyState::Content(_));
        if !from_content {
            let me = response.borrow();
            if me.is_stream_consumed
                && !matches!(me.body, BodyState::Wire(_) | BodyState::PyIter(_))
            {
                return Err(stream_error(ErrorKind::StreamConsumed));
            }
        }
        Ok(Self {
            response: response.clone().unbind(),
            mode,
            chunk_size,
            offset: 0,
            from_content,
            byte_buf: Vec::new(),
            text_buf: String::new(),
            text_decoder: None,
            lines: LineSplitter::default(),
            ready: VecDeque::new(),
            done: false,
        })
    }

    /// Next piece of bytes in this iterator's mode (raw or decoded), None at the end.
    fn pull_bytes(&mut self, py: Python<'_>) -> PyResult<Step<Option<Bytes>>> {
        let response = self.response.bind(py);
        if self.from_content {
            let content = response.borrow().content_ref(py)?;
            let bytes = content.as_bytes();
            if self.offset >= bytes.len() {
                return Ok(Step::Ready(None));
            }
            let end = match self.chunk_size {
                Some(n) => (self.offset + n).min(bytes.len()),
                None => bytes.len(),
            };
            let piece = Bytes::copy_from_slice(&bytes[self.offset..end]);
            self.offset = end;
            return Ok(Step::Ready(Some(piece)));
        }
        match self.mode {
            IterMode::Raw => PyResponse::next_raw(response),
            _ => PyResponse::next_decoded(response),
        }
    }

    /// The next item, or None at the end; may ask to wait first (then call again).
    fn next_step(&mut self, py: Python<'_>) -> PyResult<Step<Option<Py<PyAny>>>> {
        loop {
            if let Some(item) = self.ready.pop_front() {
                return Ok(Step::Ready(Some(item)));
            }
            if self.done {
                return Ok(Step::Ready(None));
            }
            match self.advance(py)? {
                Step::Ready(()) => {}
                Step::Wait(w) => return Ok(Step::Wait(w)),
                Step::Await(a) => return Ok(Step::Await(a)),
            }
        }
    }

    fn decode_text(&mut self, py: Python<'_>, bytes: Option<&[u8]>) -> PyResult<String> {
        if self.text_decoder.is_none() {
            let encoding = self.response.bind(py).borrow().resolve_encoding(py)?;
            self.text_decoder = Some(if is_utf8(&encoding) {
                TextDecoder::Utf8(encoding_rs::UTF_8.new_decoder_without_bom_handling())
            } else {
                let codecs = py.import("codecs")?;
                let factory = codecs.call_method1("getincrementaldecoder", (encoding,))?;
                TextDecoder::Python(factory.call1(("replace",))?.unbind())
            });
        }
        match self.text_decoder.as_mut() {
            Some(TextDecoder::Utf8(d)) => {
                let input = bytes.unwrap_or(&[]);
                let mut out = String::with_capacity(input.len() + 4);
                let last = bytes.is_none();
                let needed = d
                    .max_utf8_buffer_length(input.len())
                    .unwrap_or(input.len() * 3 + 16);
                out.reserve(needed);
                let _ = d.decode_to_string(input, &mut out, last);
                Ok(out)
            }
            Some(TextDecoder::Python(d)) => {
                let d = d.bind(py);
                let text = match bytes {
                    Some(b) => d.call_method1("decode", (PyBytes::new(py, b),))?,
                    None => d.call_method1("decode", (PyBytes::new(py, b""), true))?,
                };
                text.extract()
            }
            None => Ok(String::new()),
        }
    }

    /// Fill `ready` with the next outputs; sets `done` at the end.
    fn advance(&mut self, py: Python<'_>) -> PyResult<Step<()>> {
        let piece = match self.pull_bytes(py)? {
            Step::Ready(piece) => piece,
            Step::Wait(w) => return Ok(Step::Wait(w)),
            Step::Await(a) => return Ok(Step::Await(a)),
        };
        let at_end = piece.is_none();
        match self.mode {
            IterMode::Raw | IterMode::Bytes => {
                match piece {
                    Some(p) if p.is_empty() => {}
                    // Handed out as it came: one copy, into the `bytes` object.
                    Some(p) if self.chunk_size.is_none() && self.byte_buf.is_empty() => {
                        self.ready
                            .push_back(PyBytes::new(py, &p).into_any().unbind());
                    }
                    Some(p) => self.byte_buf.extend_from_slice(&p),
                    None => {}
                }
                let size = self.chunk_size;
                match size {
                    None => {
                        if !self.byte_buf.is_empty() {
                            let out = std::mem::take(&mut self.byte_buf);
                            self.ready
                                .push_back(PyBytes::new(py, &out).into_any().unbind());
                        }
                    }
                    Some(n) => {
                        while self.byte_buf.len() >= n {
                            let rest = self.byte_buf.split_off(n);
                            let out = std::mem::replace(&mut self.byte_buf, rest);
                            self.ready
                                .push_back(PyBytes::new(py, &out).into_any().unbind());
                        }
                        if at_end && !self.byte_buf.is_empty() {
                            let out = std::mem::take(&mut self.byte_buf);
                            self.ready
                                .push_back(PyBytes::new(py, &out).into_any().unbind());
                        }
                    }
                }
            }
            IterMode::Text => {
                let text = self.decode_text(py, piece.as_deref())?;
                self.text_buf.push_str(&text);
                match self.chunk_size {
                    None => {
                        if !self.text_buf.is_empty() {
                            let out = std::mem::take(&mut self.text_buf);
                            self.ready
                                .push_back(PyString::new(py, &out).into_any().unbind());
                        }
                    }
                    Some(n) => {
                        while self.text_buf.chars().count() >= n {
                            let split = self
                                .text_buf
                                .char_indices()
                                .nth(n)
                                .map(|(i, _)| i)
                                .unwrap_or(self.text_buf.len());
                            let rest = self.text_buf.split_off(split);
                            let out = std::mem::replace(&mut self.text_buf, rest);
                            self.ready
                                .push_back(PyString::new(py, &out).into_any().unbind());
                        }
                        if at_end && !self.text_buf.is_empty() {
                            let out = std::mem::take(&mut self.text_buf);
                            self.ready
                                .push_back(PyString::new(py, &out).into_any().unbind());
                        }
                    }
                }
            }
            IterMode::Lines => {
                let text = self.decode_text(py, piece.as_deref())?;
                let mut lines = self.lines.feed(&text);
                if at_end {
                    lines.extend(self.lines.flush());
                }
                for line in lines {
                    self.ready
                        .push_back(PyString::new(py, &line).into_any().unbind());
                }
            }
        }
        if at_end {
            self.done = true;
        }
        Ok(Step::Ready(()))
    }
}

#[pymethods]
impl BodyIterator {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&mut self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        block_on(py, |py| self.next_step(py))
    }

    fn __aiter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    /// A coroutine for the next item; `StopAsyncIteration` at the end.
    fn __anext__(slf: &Bound<'_, Self>) -> PyResult<Py<PyAny>> {
        let py = slf.py();
        // Items already decoded need no trip through the event loop's machinery.
        Steps::coroutine(
            py,
            Box::new(NextItem {
                iterator: slf.clone().unbind(),
            }),
        )
    }
}

/// The async driver's view of `BodyIterator.__anext__`.
pub(crate) struct NextItem {
    iterator: Py<BodyIterator>,
}

impl Stepper for NextItem {
    fn step(&mut self, py: Python<'_>) -> PyResult<Step<Py<PyAny>>> {
        match self.iterator.bind(py).borrow_mut().next_step(py)? {
            Step::Ready(Some(item)) => Ok(Step::Ready(item)),
            Step::Ready(None) => Err(pyo3::exceptions::PyStopAsyncIteration::new_err(())),
            Step::Wait(w) => Ok(Step::Wait(w)),
            Step::Await(a) => Ok(Step::Await(a)),
        }
    }

    fn resume(&mut self, py: Python<'_>, outcome: PyResult<Py<PyAny>>) {
        let response = self.iterator.borrow(py).response.clone_ref(py);
        PyResponse::deliver(response.bind(py), outcome);
    }
}

/// The async driver's view of `Response.aread()`.
pub(crate) struct ReadAll {
    pub(crate) response: Py<PyResponse>,
}

impl Stepper for ReadAll {
    fn step(&mut self, py: Python<'_>) -> PyResult<Step<Py<PyAny>>> {
        Ok(PyResponse::read_step(self.response.bind(py))?.map(Py::into_any))
    }

    fn resume(&mut self, py: Python<'_>, outcome: PyResult<Py<PyAny>>) {
        PyResponse::deliver(self.response.bind(py), outcome);
    }
}
