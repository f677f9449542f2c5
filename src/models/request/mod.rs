//! `Request`, and the encoding of request bodies (`content`, `data`, `files`, `json`).

use crate::errors::{ErrorKind, HttpError};
use crate::models::cookies::{CookieJar, PyCookies};
use crate::models::headers::{HeaderList, PyHeaders};
use crate::models::params::PyQueryParams;
use crate::models::url::{extract_url, PyURL};
use crate::python_glue::type_name;
use bytes::Bytes;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString, PyTuple};

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
    fn new(obj: &Bound<'_, PyAny>, is_async: bool) -> PyResult<Self> {
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

    fn clone_ref(&self, py: Python<'_>) -> Self {
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

    fn clone_ref(&self, py: Python<'_>) -> Self {
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

fn content_body(content: &Bound<'_, PyAny>) -> PyResult<EncodedBody> {
    if let Ok(b) = content.cast::<PyBytes>() {
        return Ok(sized(b.as_bytes().to_vec(), None));
    }
    if let Ok(s) = content.cast::<PyString>() {
        return Ok(sized(s.to_str()?.as_bytes().to_vec(), None));
    }
    if content.hasattr("__aiter__")? {
        return Ok(EncodedBody {
            headers: vec![("Transfer-Encoding", "chunked".to_owned())],
            body: RequestBody::AsyncIter(StreamBody::new(content, true)?),
        });
    }
    if content.is_instance_of::<PyDict>() || content.try_iter().is_err() {
        return Err(PyTypeError::new_err(format!(
            "Unexpected type for 'content': expected bytes, str or an iterable of bytes, got {}",
            type_name(content)
        )));
    }
    Ok(EncodedBody {
        headers: vec![("Transfer-Encoding", "chunked".to_owned())],
        body: RequestBody::Iter(StreamBody::new(content, false)?),
    })
}

fn sized(body: Vec<u8>, content_type: Option<String>) -> EncodedBody {
    let mut headers = Vec::new();
    if !body.is_empty() {
        headers.push(("Content-Length", body.len().to_string()));
    }
    if let Some(ct) = content_type {
        headers.push(("Content-Type", ct));
    }
    EncodedBody {
        headers,
        body: RequestBody::Bytes(Bytes::from(body)),
    }
}

/// `(key, value)` pairs of a form mapping; list/tuple values become repeated keys.
fn form_pairs<'py>(data: &Bound<'py, PyAny>) -> PyResult<Vec<(String, Bound<'py, PyAny>)>> {
    let dict = data.cast::<PyDict>().map_err(|_| {
        PyTypeError::new_err(format!(
            "Invalid type for 'data': expected a dict, got {}",
            type_name(data)
        ))
    })?;
    let mut pairs = Vec::new();
    for (k, v) in dict.iter() {
        let key: String = crate::models::params::primitive_to_string(&k, "data")?;
        if v.is_instance_of::<PyList>() || v.is_instance_of::<PyTuple>() {
            for item in v.try_iter()? {
                pairs.push((key.clone(), item?));
            }
        } else {
            pairs.push((key, v));
        }
    }
    Ok(pairs)
}

fn urlencoded_body(data: &Bound<'_, PyAny>) -> PyResult<EncodedBody> {
    let pairs = form_pairs(data)?;
    let mut plain = Vec::with_capacity(pairs.len());
    for (k, v) in pairs {
        plain.push((k, crate::models::params::primitive_to_string(&v, "data")?));
    }
    let params = PyQueryParams { items: plain };
    Ok(sized(
        params.encode().into_bytes(),
        Some("application/x-www-form-urlencoded".to_owned()),
    ))
}

fn json_body(json: &Bound<'_, PyAny>) -> PyResult<EncodedBody> {
    Ok(sized(
        crate::python_glue::json_dumps(json)?,
        Some("application/json".to_owned()),
    ))
}

/// RFC 7578 / HTML5 escaping of a name or filename inside `Content-Disposition`.
fn form_param(name: &str, value: &str) -> String {
    let mut out = String::with_capacity(value.len() + name.len() + 4);
    out.push_str(name);
    out.push_str("=\"");
    for c in value.chars() {
        match c {
            '"' => out.push_str("%22"),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 && c != '\x1b' => out.push_str(&format!("%{:02X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The bytes of a file-like or content value in `files=`.
fn file_content(value: &Bound<'_, PyAny>) -> PyResult<Vec<u8>> {
    if let Ok(b) = value.cast::<PyBytes>() {
        return Ok(b.as_bytes().to_vec());
    }
    if let Ok(s) = value.cast::<PyString>() {
        return Ok(s.to_str()?.as_bytes().to_vec());
    }
    let py = value.py();
    let text_io = py.import("io")?.getattr("TextIOBase")?;
    if value.is_instance(&text_io)? {
        return Err(PyTypeError::new_err(
            "Multipart file uploads must be opened in binary mode, not text mode.",
        ));
    }
    if value.hasattr("read")? {
        let data = value.call_method0("read")?;
        if let Ok(b) = data.cast::<PyBytes>() {
            return Ok(b.as_bytes().to_vec());
        }
        if let Ok(s) = data.cast::<PyString>() {
            return Ok(s.to_str()?.as_bytes().to_vec());
        }
    }
    let mut out = Vec::new();
    for chunk in value.try_iter().map_err(|_| {
        PyTypeError::new_err(format!(
            "Invalid type for a file in 'files': expected bytes, str or a file object, got {}",
            type_name(value)
        ))
    })? {
        let chunk = chunk?;
        out.extend_from_slice(chunk.cast::<PyBytes>()?.as_bytes());
    }
    Ok(out)
}

fn multipart_body(
    py: Python<'_>,
    data: Option<&Bound<'_, PyAny>>,
    files: &Bound<'_, PyAny>,
    boundary: Option<String>,
) -> PyResult<EncodedBody> {
    let boundary = boundary.unwrap_or_else(|| {
        (0..16)
            .map(|_| format!("{:02x}", fastrand::u8(..)))
            .collect()
    });
    let mut body: Vec<u8> = Vec::new();
    if let Some(data) = data.filter(|d| !d.is_none()) {
        for (name, value) in form_pairs(data)? {
            let bytes = if let Ok(b) = value.cast::<PyBytes>() {
                b.as_bytes().to_vec()
            } else {
                crate::models::params::primitive_to_string(&value, "data")?.into_bytes()
            };
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; {}\r\n\r\n",
                    form_param("name", &name)
                )
                .as_bytes(),
            );
            body.extend_from_slice(&bytes);
            body.extend_from_slice(b"\r\n");
        }
    }
    let items: Vec<(Bound<'_, PyAny>, Bound<'_, PyAny>)> = if let Ok(d) = files.cast::<PyDict>() {
        d.iter().collect()
    } else {
        files
            .try_iter()
            .map_err(|_| {
                PyTypeError::new_err(
                    "Invalid type for 'files': expected a dict or a list of (name, file) pairs",
                )
            })?
            .map(|item| item.and_then(|i| i.extract()))
            .collect::<PyResult<_>>()?
    };
    for (name, spec) in items {
        let name: String = name.extract()?;
        let (filename, content, content_type, extra_headers): (
            Option<String>,
            Bound<'_, PyAny>,
            Option<String>,
            HeaderList,
        ) = if let Ok(t) = spec.cast::<PyTuple>() {
            let filename: Option<String> = t.get_item(0)?.extract()?;
            let content = t.get_item(1)?;
            let content_type: Option<String> = match t.get_item(2) {
                Ok(ct) => ct.extract()?,
                Err(_) => None,
            };
            let headers = match t.get_item(3) {
                Ok(h) => HeaderList::from_py(Some(&h), "files headers")?,
                Err(_) => HeaderList::new(),
            };
            (filename, content, content_type, headers)
        } else {
            let filename = match spec.getattr("name") {
                Ok(n) => n
                    .str()?
                    .to_str()?
                    .rsplit(['/', '\\'])
                    .next()
                    .unwrap_or("upload")
                    .to_owned(),
                Err(_) => "upload".to_owned(),
            };
            (Some(filename), spec.clone(), None, HeaderList::new())
        };
        let content_type = match (content_type, &filename) {
            (Some(ct), _) => Some(ct),
            (None, Some(f)) => Some(
                crate::python_glue::guess_content_type(py, f)?
                    .unwrap_or_else(|| "application/octet-stream".to_owned()),
            ),
            (None, None) => None,
        };
        let mut disposition = format!(
            "Content-Disposition: form-data; {}",
            form_param("name", &name)
        );
        if let Some(f) = &filename {
            disposition.push_str("; ");
            disposition.push_str(&form_param("filename", f));
        }
        body.extend_from_slice(format!("--{boundary}\r\n{disposition}\r\n").as_bytes());
        for h in &extra_headers.items {
            if h.lower != "content-type" && h.lower != "content-disposition" {
                body.extend_from_slice(format!("{}: {}\r\n", h.raw, h.value).as_bytes());
            }
        }
        let content_type = extra_headers
            .get_first("content-type")
            .map(str::to_owned)
            .or(content_type);
        if let Some(ct) = content_type {
            body.extend_from_slice(format!("Content-Type: {ct}\r\n").as_bytes());
        }
        body.extend_from_slice(b"\r\n");
        body.extend_from_slice(&file_content(&content)?);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    let content_type = format!("multipart/form-data; boundary={boundary}");
    let mut encoded = sized(body, Some(content_type));
    if encoded.headers.is_empty() {
        encoded.headers.push(("Content-Length", "0".into()));
    }
    Ok(encoded)
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
    // httpx treats non-mapping `data=` (bytes, str, iterators) as raw content.
    if let Some(d) = data {
        if !d.is_instance_of::<PyDict>() && content.is_none() {
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
        return multipart_body(py, data, f, boundary);
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

/// Uppercased method; rejects what could not go on a request line.
pub fn normalize_method(method: &Bound<'_, PyAny>) -> PyResult<String> {
    let method: String = if let Ok(s) = method.cast::<PyString>() {
        s.to_str()?.to_owned()
    } else if let Ok(b) = method.cast::<PyBytes>() {
        String::from_utf8_lossy(b.as_bytes()).into_owned()
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

#[pyclass(name = "Request", module = "httprs")]
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
        for (name, value) in &encoded.headers {
            if name.eq_ignore_ascii_case("transfer-encoding") && headers.contains("content-length")
            {
                continue;
            }
            headers.set_default(name, value);
        }
        if let Some(jar) = &parts.cookies {
            if !headers.contains("cookie") {
                if let Some(cookie) =
                    jar.header_for(url.scheme_str(), url.host_ascii(), &url.raw_path_str())
                {
                    headers.push("Cookie", &cookie);
                }
            }
        }
        let mut auto = HeaderList::new();
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
    let host = url.host_ascii();
    let host = if host.contains(':') {
        format!("[{host}]")
    } else {
        host.to_owned()
    };
    match url.port_u16() {
        Some(port) => format!("{host}:{port}"),
        None => host,
    }
}

#[pymethods]
impl PyRequest {
    #[new]
    #[pyo3(signature = (method, url, *, params = None, headers = None, cookies = None, content = None, data = None, files = None, json = None, stream = None, extensions = None))]
    #[allow(clippy::too_many_arguments)]
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

    /// The body as an iterable of bytes.
    #[getter]
    fn stream<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        match &self.body {
            RequestBody::Bytes(b) => {
                let chunks: Vec<Bound<'py, PyBytes>> = if b.is_empty() {
                    vec![]
                } else {
                    vec![PyBytes::new(py, b)]
                };
                Ok(PyList::new(py, chunks)?.into_any())
            }
            RequestBody::Iter(it) | RequestBody::AsyncIter(it) => Ok(it.obj.bind(py).clone()),
        }
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
    Ok(Bytes::copy_from_slice(bytes.as_bytes()))
}
