//! Request bodies: what the arguments `content`, `data`, `files` and `json` encode to, the
//! headers that implies, and the one-shot or replayable stream a transport sends.

use crate::codecs::form::form_pairs;
use crate::codecs::multipart::multipart_body;
use crate::errors::{ErrorKind, HttpError};
use crate::models::headers::HeaderList;
use crate::models::params::PyQueryParams;
use crate::python_glue::type_name;
use bytes::Bytes;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyString};

/// A request body as the transport will send it.
pub enum RequestBody {
    /// Fully known bytes (also what `request.content` returns).
    Bytes(Bytes),
    /// A Python iterable of bytes, pulled as the body is sent (sent chunked).
    Iter(StreamBody),
    /// A Python async iterable of bytes (AsyncClient only): read on the event loop first.
    AsyncIter(StreamBody),
}

/// A streamed request body, and whether it can be sent again.
pub struct StreamBody {
    pub obj: Py<PyAny>,
    /// An iterator (a generator, say) is used up by one send; an iterable re-iterates.
    one_shot: bool,
    /// Shared by the requests derived from this one (redirects, auth retries).
    sent: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl StreamBody {
    pub(crate) fn new(obj: &Bound<'_, PyAny>, is_async: bool) -> PyResult<Self> {
        let own = if is_async {
            obj.call_method0("__aiter__")?
        } else {
            obj.try_iter()?.into_any()
        };
        Ok(StreamBody {
            obj: obj.clone().unbind(),
            one_shot: own.is(obj),
            sent: Default::default(),
        })
    }

    pub(crate) fn clone_ref(&self, py: Python<'_>) -> Self {
        StreamBody {
            obj: self.obj.clone_ref(py),
            one_shot: self.one_shot,
            sent: self.sent.clone(),
        }
    }

    /// Mark the body as being sent: `StreamConsumed` when a one-shot stream was sent before
    /// (httpx raises it rather than sending an empty body again).
    pub fn start_sending(&self) -> Result<(), HttpError> {
        let was_sent = self.sent.swap(true, std::sync::atomic::Ordering::AcqRel);
        if was_sent && self.one_shot {
            return Err(HttpError::new(
                ErrorKind::StreamConsumed,
                "Attempted to send a streaming request body that was already sent (a generator cannot be replayed: read it first with `request.read()`, or use `requires_request_body = True` in an auth flow).",
            ));
        }
        Ok(())
    }
}

impl RequestBody {
    pub fn empty() -> Self {
        RequestBody::Bytes(Bytes::new())
    }

    pub(crate) fn clone_ref(&self, py: Python<'_>) -> Self {
        match self {
            RequestBody::Bytes(b) => RequestBody::Bytes(b.clone()),
            RequestBody::Iter(it) => RequestBody::Iter(it.clone_ref(py)),
            RequestBody::AsyncIter(it) => RequestBody::AsyncIter(it.clone_ref(py)),
        }
    }
}

/// The headers a body implies (Content-Length / Transfer-Encoding / Content-Type) plus the body.
pub struct EncodedBody {
    pub headers: Vec<(&'static str, String)>,
    pub body: RequestBody,
}

pub(crate) fn content_body(content: &Bound<'_, PyAny>) -> PyResult<EncodedBody> {
    if let Ok(b) = content.cast::<PyBytes>() {
        return Ok(sized_bytes(crate::python_glue::shared_bytes(b), None));
    }
    if let Ok(s) = content.cast::<PyString>() {
        return Ok(sized(s.to_str()?.as_bytes().to_vec(), None));
    }
    let iterable = content.try_iter().is_ok();
    if content.is_instance_of::<PyDict>() || !(iterable || content.hasattr("__aiter__")?) {
        return Err(PyTypeError::new_err(format!(
            "Unexpected type for 'content': expected bytes, str or an iterable of bytes, got {}",
            type_name(content)
        )));
    }
    // As httpx: the request keeps an `IteratorByteStream` / `AsyncIteratorByteStream` around
    // it (what `request.stream` shows: file-likes read in chunks, a generator iterated once),
    // and a file-like of known length is sent with a Content-Length.
    let py = content.py();
    let (length, stream, is_async): (Option<u64>, Bound<'_, PyAny>, bool) = py
        .import("httprs._transports")?
        .getattr("wrap_content")?
        .call1((content,))?
        .extract()?;
    let one_shot = StreamBody::new(content, is_async)?.one_shot;
    let body = StreamBody {
        one_shot,
        ..StreamBody::new(&stream, is_async)?
    };
    let framing = match length {
        Some(n) => ("Content-Length", n.to_string()),
        None => ("Transfer-Encoding", "chunked".to_owned()),
    };
    Ok(EncodedBody {
        headers: vec![framing],
        body: if is_async {
            RequestBody::AsyncIter(body)
        } else {
            RequestBody::Iter(body)
        },
    })
}

pub(crate) fn sized(body: Vec<u8>, content_type: Option<String>) -> EncodedBody {
    sized_bytes(Bytes::from(body), content_type)
}

fn sized_bytes(body: Bytes, content_type: Option<String>) -> EncodedBody {
    let mut headers = Vec::new();
    if !body.is_empty() {
        headers.push(("Content-Length", body.len().to_string()));
    }
    if let Some(ct) = content_type {
        headers.push(("Content-Type", ct));
    }
    EncodedBody {
        headers,
        body: RequestBody::Bytes(body),
    }
}

pub(crate) fn urlencoded_body(data: &Bound<'_, PyAny>) -> PyResult<EncodedBody> {
    let pairs = form_pairs(data)?;
    let mut plain = Vec::with_capacity(pairs.len());
    for (k, v) in pairs {
        plain.push((
            crate::models::params::primitive_to_string(&k, "data")?,
            crate::models::params::primitive_to_string(&v, "data")?,
        ));
    }
    let params = PyQueryParams { items: plain };
    Ok(sized(
        params.encode().into_bytes(),
        Some("application/x-www-form-urlencoded".to_owned()),
    ))
}

pub(crate) fn json_body(json: &Bound<'_, PyAny>) -> PyResult<EncodedBody> {
    Ok(sized(
        crate::python_glue::json_dumps(json)?,
        Some("application/json".to_owned()),
    ))
}

/// httpx `encode_request`: which body the arguments describe, and the headers it implies.
pub fn encode_body(
    py: Python<'_>,
    headers: &HeaderList,
    content: Option<&Bound<'_, PyAny>>,
    data: Option<&Bound<'_, PyAny>>,
    files: Option<&Bound<'_, PyAny>>,
    json: Option<&Bound<'_, PyAny>>,
) -> PyResult<EncodedBody> {
    let content = content.filter(|c| !c.is_none());
    let data = data.filter(|d| !d.is_none());
    let files = files.filter(|f| !f.is_none());
    let json = json.filter(|j| !j.is_none());
    // httpx treats non-mapping `data=` (bytes, str, iterators) as raw content, and warns.
    if let Some(d) = data {
        if content.is_none() && d.cast::<pyo3::types::PyMapping>().is_err() {
            let category = py.get_type::<pyo3::exceptions::PyDeprecationWarning>();
            PyErr::warn(
                py,
                &category,
                c"Use 'content=<...>' to upload raw bytes/text content.",
                2,
            )?;
            return content_body(d);
        }
    }
    if let Some(c) = content {
        return content_body(c);
    }
    if let Some(f) = files.filter(|f| f.is_truthy().unwrap_or(true)) {
        let boundary = headers.get_first("content-type").and_then(|ct| {
            ct.split(';').find_map(|p| {
                p.trim()
                    .strip_prefix("boundary=")
                    .map(|b| b.trim_matches('"').to_owned())
            })
        });
        let multipart = multipart_body(py, data, f, boundary)?;
        if !multipart.length_known {
            // As httpx's `MultipartStream.get_headers`: a file whose length cannot be told
            // without reading it makes the body's unknown, so it is sent chunked.
            return Ok(EncodedBody {
                headers: vec![
                    ("Transfer-Encoding", "chunked".to_owned()),
                    ("Content-Type", multipart.content_type),
                ],
                body: RequestBody::Bytes(Bytes::from(multipart.body)),
            });
        }
        let mut encoded = sized(multipart.body, Some(multipart.content_type));
        if encoded.headers.is_empty() {
            encoded.headers.push(("Content-Length", "0".into()));
        }
        return Ok(encoded);
    }
    if let Some(d) = data.filter(|d| d.is_truthy().unwrap_or(true)) {
        return urlencoded_body(d);
    }
    if let Some(j) = json {
        return json_body(j);
    }
    Ok(EncodedBody {
        headers: Vec::new(),
        body: RequestBody::empty(),
    })
}
