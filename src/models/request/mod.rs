//! `Request`: method, URL, headers, body and extensions (the body encoders are `body.rs`).

use crate::errors::{ErrorKind, HttpError};
use crate::models::cookies::{CookieJar, PyCookies};
use crate::models::headers::{HeaderList, PyHeaders};
use crate::models::params::PyQueryParams;
use crate::models::url::{extract_url, PyURL};
use crate::python_glue::type_name;
use bytes::Bytes;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyString};

pub mod body;

pub use body::{encode_body, EncodedBody, RequestBody, StreamBody};

/// Uppercased method; rejects what could not go on a request line.
pub fn normalize_method(method: &Bound<'_, PyAny>) -> PyResult<String> {
    // Borrowed where it can be: the upper-cased copy below is the one allocation.
    let method: std::borrow::Cow<'_, str> = if let Ok(s) = method.cast::<PyString>() {
        std::borrow::Cow::Borrowed(s.to_str()?)
    } else if let Ok(b) = method.cast::<PyBytes>() {
        String::from_utf8_lossy(b.as_bytes())
    } else {
        return Err(PyTypeError::new_err(format!(
            "Invalid type for method: expected str, got {}",
            type_name(method)
        )));
    };
    let upper = method.to_ascii_uppercase();
    if upper.is_empty()
        || !upper
            .bytes()
            .all(|b| b.is_ascii_graphic() && !b"()<>@,;:\\\"/[]?={}".contains(&b))
    {
        return Err(HttpError::new(
            ErrorKind::LocalProtocolError,
            format!("Invalid method: {method:?}"),
        )
        .into());
    }
    Ok(upper)
}

/// The Rust core of `httprs.Request` (the Python class in `python/httprs/_models.py`; see
/// `models/handle.rs` for why the class users see is Python).
#[pyclass(name = "RequestCore", module = "httprs._httprs")]
pub struct PyRequest {
    pub method: String,
    pub url: PyURL,
    pub headers: Py<PyHeaders>,
    pub body: RequestBody,
    pub extensions: Py<PyDict>,
}

pub struct RequestParts<'a, 'py> {
    pub method: String,
    pub url: PyURL,
    pub params: Option<&'a Bound<'py, PyAny>>,
    pub headers: HeaderList,
    pub cookies: Option<CookieJar>,
    pub content: Option<&'a Bound<'py, PyAny>>,
    pub data: Option<&'a Bound<'py, PyAny>>,
    pub files: Option<&'a Bound<'py, PyAny>>,
    pub json: Option<&'a Bound<'py, PyAny>>,
    pub extensions: Option<&'a Bound<'py, PyAny>>,
}

impl PyRequest {
    /// Build a request as httpx's `Request.__init__` does: params into the URL, body encoded,
    /// cookies into a `Cookie` header, then `Host` (and `Content-Length: 0` for bodiless
    /// POST/PUT/PATCH) put in front.
    pub fn build(py: Python<'_>, parts: RequestParts<'_, '_>) -> PyResult<PyRequest> {
        let mut url = parts.url;
        // As in httpx 0.28, `params` replaces the URL's query string.
        if let Some(p) = parts.params.filter(|p| !p.is_none()) {
            url = url.with_query_params(&PyQueryParams::from_py(Some(p))?);
        }
        let mut headers = parts.headers;
        let encoded = encode_body(
            py,
            &headers,
            parts.content,
            parts.data,
            parts.files,
            parts.json,
        )?;
        headers.add_implied(&encoded.headers);
        if let Some(jar) = &parts.cookies {
            if !headers.contains("cookie") {
                if let Some(cookie) =
                    jar.header_for(url.scheme_str(), url.host_ascii(), &url.raw_path_str())
                {
                    headers.push("Cookie", &cookie);
                }
            }
        }
        // Room for the client's headers behind the implied ones, so that no second allocation
        // is made when they are appended.
        let mut auto = HeaderList {
            items: Vec::with_capacity(headers.items.len() + 2),
        };
        if !headers.contains("host") && !url.host_ascii().is_empty() {
            auto.push("Host", &host_header(&url));
        }
        if !headers.contains("content-length")
            && !headers.contains("transfer-encoding")
            && matches!(parts.method.as_str(), "POST" | "PUT" | "PATCH")
        {
            auto.push("Content-Length", "0");
        }
        if !auto.items.is_empty() {
            auto.items.extend(headers.items);
            headers = auto;
        }
        let extensions = match parts.extensions.filter(|e| !e.is_none()) {
            Some(e) => e.cast::<PyDict>()?.copy()?.unbind(),
            None => PyDict::new(py).unbind(),
        };
        Ok(PyRequest {
            method: parts.method,
            url,
            headers: Py::new(py, PyHeaders::from_list(headers))?,
            body: encoded.body,
            extensions,
        })
    }

    /// The same request with another URL/method/headers/body: used for redirects.
    pub fn derive(
        &self,
        py: Python<'_>,
        method: String,
        url: PyURL,
        headers: HeaderList,
        body: Option<RequestBody>,
    ) -> PyResult<PyRequest> {
        Ok(PyRequest {
            method,
            url,
            headers: Py::new(py, PyHeaders::from_list(headers))?,
            body: body.unwrap_or_else(|| self.body.clone_ref(py)),
            extensions: self.extensions.bind(py).copy()?.unbind(),
        })
    }

    /// For an async iterable body: a coroutine that collects it (`bytes`), the stream marked
    /// as sent (a one-shot stream sent again is `StreamConsumed`). None for other bodies.
    pub fn collect_async_body(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        let RequestBody::AsyncIter(it) = &self.body else {
            return Ok(None);
        };
        it.start_sending().map_err(|e| e.into_pyerr(py, None))?;
        let collect = py.import("httprs._bridge")?.getattr("collect")?;
        Ok(Some(collect.call1((it.obj.bind(py),))?.unbind()))
    }

    pub fn header_list(&self, py: Python<'_>) -> HeaderList {
        self.headers.borrow(py).list.clone()
    }
}

/// `Host` value: host, bracketed when IPv6, with the port when it is not the default.
pub fn host_header(url: &PyURL) -> String {
    // Written out rather than with `format!` (its machinery was ~0.8k instructions of every
    // request).
    let host = url.host_ascii();
    let mut value = String::with_capacity(host.len() + 8);
    if host.contains(':') {
        value.push('[');
        value.push_str(host);
        value.push(']');
    } else {
        value.push_str(host);
    }
    if let Some(port) = url.port_u16() {
        value.push(':');
        let mut digits = [0u8; 5];
        let (mut rest, mut start) = (port, digits.len());
        loop {
            start -= 1;
            digits[start] = b'0' + (rest % 10) as u8;
            rest /= 10;
            if rest == 0 {
                break;
            }
        }
        value.extend(digits[start..].iter().map(|&d| char::from(d)));
    }
    value
}

#[pymethods]
impl PyRequest {
    #[pyo3(signature = (method, url, *, params = None, headers = None, cookies = None, content = None, data = None, files = None, json = None, stream = None, extensions = None))]
    #[allow(clippy::too_many_arguments)]
    #[new]
    fn py_new(
        py: Python<'_>,
        method: &Bound<'_, PyAny>,
        url: &Bound<'_, PyAny>,
        params: Option<&Bound<'_, PyAny>>,
        headers: Option<&Bound<'_, PyAny>>,
        cookies: Option<&Bound<'_, PyAny>>,
        content: Option<&Bound<'_, PyAny>>,
        data: Option<&Bound<'_, PyAny>>,
        files: Option<&Bound<'_, PyAny>>,
        json: Option<&Bound<'_, PyAny>>,
        stream: Option<&Bound<'_, PyAny>>,
        extensions: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let cookies = match cookies.filter(|c| !c.is_none()) {
            Some(c) => Some(PyCookies::jar_from_py(Some(c))?),
            None => None,
        };
        let content = content.or(stream);
        Self::build(
            py,
            RequestParts {
                method: normalize_method(method)?,
                url: extract_url(url, "url")?,
                params,
                headers: HeaderList::from_py(headers, "headers")?,
                cookies,
                content,
                data,
                files,
                json,
                extensions,
            },
        )
    }

    #[getter]
    fn method(&self) -> &str {
        &self.method
    }

    #[setter]
    fn set_method(&mut self, method: &Bound<'_, PyAny>) -> PyResult<()> {
        self.method = normalize_method(method)?;
        Ok(())
    }

    #[getter]
    fn url(&self) -> PyURL {
        self.url.clone()
    }

    #[setter]
    fn set_url(&mut self, url: &Bound<'_, PyAny>) -> PyResult<()> {
        self.url = extract_url(url, "url")?;
        Ok(())
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
    fn extensions(&self, py: Python<'_>) -> Py<PyDict> {
        self.extensions.clone_ref(py)
    }

    #[setter]
    fn set_extensions(&mut self, extensions: Bound<'_, PyDict>) {
        self.extensions = extensions.unbind();
    }

    /// The body bytes; `RequestNotRead` while the body is an unread stream.
    #[getter]
    fn content<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        match &self.body {
            RequestBody::Bytes(b) => Ok(PyBytes::new(py, b)),
            RequestBody::Iter(_) | RequestBody::AsyncIter(_) => {
                Err(crate::errors::stream_error(ErrorKind::RequestNotRead))
            }
        }
    }

    /// The body as httpx exposes it: a `ByteStream` (iterable and async-iterable) for a body
    /// in memory, else the iterable that was given.
    #[getter]
    fn stream<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        match &self.body {
            RequestBody::Bytes(b) => crate::python_glue::stream_object(py, Some(b)),
            RequestBody::Iter(it) | RequestBody::AsyncIter(it) => Ok(it.obj.bind(py).clone()),
        }
    }

    /// Pickling: method, URL, headers and the body if it is in memory (as httpx, neither the
    /// extensions nor an unread stream travel). (The Python class pickles this state.)
    fn state<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let state = PyDict::new(py);
        state.set_item("method", &self.method)?;
        state.set_item("url", self.url.as_str())?;
        state.set_item("headers", self.headers.clone_ref(py))?;
        match &self.body {
            RequestBody::Bytes(b) => state.set_item("content", PyBytes::new(py, b))?,
            _ => state.set_item("content", py.None())?,
        }
        Ok(state)
    }

    /// A core from what `state()` gave (an unread stream reads as `StreamClosed`).
    #[staticmethod]
    fn from_state(py: Python<'_>, state: &Bound<'_, PyDict>) -> PyResult<Self> {
        let item = |name: &str| {
            state.get_item(name)?.ok_or_else(|| {
                pyo3::exceptions::PyValueError::new_err(format!("Request state lacks {name:?}"))
            })
        };
        let content = item("content")?;
        let body = match content.cast::<PyBytes>() {
            Ok(b) => RequestBody::Bytes(crate::python_glue::shared_bytes(b)),
            Err(_) => RequestBody::Iter(StreamBody::new(
                &crate::python_glue::stream_object(py, None)?,
                false,
            )?),
        };
        Ok(PyRequest {
            method: item("method")?.extract()?,
            url: PyURL::parse(&item("url")?.extract::<String>()?)?,
            headers: item("headers")?.cast_into::<PyHeaders>()?.unbind(),
            body,
            extensions: PyDict::new(py).unbind(),
        })
    }

    /// Read a streaming body into memory (so it can be sent again, e.g. after a redirect).
    fn read<'py>(&mut self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        if let RequestBody::AsyncIter(_) = &self.body {
            return Err(pyo3::exceptions::PyRuntimeError::new_err(
                "Attempted to read an async request body synchronously: use `await request.aread()`.",
            ));
        }
        if let RequestBody::Iter(it) = &self.body {
            it.start_sending().map_err(|e| e.into_pyerr(py, None))?;
            let mut out = Vec::new();
            for chunk in it.obj.bind(py).try_iter()? {
                let chunk = chunk?;
                let bytes = chunk.cast::<PyBytes>().map_err(|_| {
                    PyTypeError::new_err(format!(
                        "Request body chunks must be bytes, got {}",
                        type_name(&chunk)
                    ))
                })?;
                out.extend_from_slice(bytes.as_bytes());
            }
            self.body = RequestBody::Bytes(Bytes::from(out));
        }
        self.content(py)
    }

    /// `read()` for async iterable bodies too: a coroutine returning the body bytes.
    fn aread(slf: &Bound<'_, Self>) -> PyResult<Py<PyAny>> {
        let py = slf.py();
        let Some(collecting) = slf.borrow().collect_async_body(py)? else {
            let content = slf.borrow_mut().read(py)?;
            return crate::exchange::steps::ready(py, content.into_any().unbind());
        };
        let reading = ReadAsyncBody {
            request: slf.clone().unbind(),
            collecting: Some(collecting),
            outcome: None,
        };
        crate::exchange::steps::Steps::coroutine(py, Box::new(reading))
    }

    fn __repr__(&self) -> String {
        format!("<Request('{}', '{}')>", self.method, self.url.as_str())
    }
}

/// Validate that a header list can go on the wire; CR/LF/NUL are refused before sending.
pub fn check_headers(headers: &HeaderList) -> Result<(), HttpError> {
    for h in &headers.items {
        if h.raw.is_empty() || h.raw.bytes().any(|b| !b.is_ascii_graphic() || b == b':') {
            return Err(HttpError::new(
                ErrorKind::LocalProtocolError,
                format!("Illegal header name {:?}", h.raw),
            ));
        }
        if h.value.bytes().any(|b| b == b'\r' || b == b'\n' || b == 0) {
            return Err(HttpError::new(
                ErrorKind::LocalProtocolError,
                format!("Illegal header value {:?}", h.value),
            ));
        }
    }
    Ok(())
}

/// `Request.aread()` of an async iterable body: collected on the event loop, then kept.
struct ReadAsyncBody {
    request: Py<PyRequest>,
    collecting: Option<Py<PyAny>>,
    outcome: Option<PyResult<Py<PyAny>>>,
}

impl crate::exchange::steps::Stepper for ReadAsyncBody {
    fn step(&mut self, py: Python<'_>) -> PyResult<crate::exchange::steps::Step<Py<PyAny>>> {
        if let Some(collecting) = self.collecting.take() {
            return Ok(crate::exchange::steps::Step::Await(collecting));
        }
        let content = self
            .outcome
            .take()
            .unwrap_or_else(|| Err(crate::errors::internal("request body read twice")))?;
        self.request.borrow_mut(py).body = RequestBody::Bytes(collected_bytes(&content, py)?);
        Ok(crate::exchange::steps::Step::Ready(content))
    }

    fn resume(&mut self, _py: Python<'_>, outcome: PyResult<Py<PyAny>>) {
        self.outcome = Some(outcome);
    }
}

/// What `httprs._bridge.collect` returned, as the body bytes.
pub fn collected_bytes(collected: &Py<PyAny>, py: Python<'_>) -> PyResult<Bytes> {
    let bytes = collected.bind(py).cast::<PyBytes>()?;
    Ok(crate::python_glue::shared_bytes(bytes))
}

#[cfg(test)]
mod tests {
    use super::host_header;
    use crate::models::url::PyURL;

    #[test]
    fn host_header_brackets_ipv6_and_adds_a_non_default_port() {
        for (url, host) in [
            ("http://example.org/x", "example.org"),
            ("http://example.org:80/x", "example.org"),
            ("http://example.org:0/x", "example.org:0"),
            ("http://example.org:8/x", "example.org:8"),
            ("https://example.org:8080/x", "example.org:8080"),
            ("http://127.0.0.1:65535/", "127.0.0.1:65535"),
            ("http://[::1]/", "[::1]"),
            ("http://[::1]:10000/", "[::1]:10000"),
        ] {
            let parsed = PyURL::parse(url).unwrap_or_else(|e| panic!("{url}: {e}"));
            assert_eq!(host_header(&parsed), host, "{url}");
        }
    }
}
