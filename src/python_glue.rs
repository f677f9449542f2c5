//! The few places where the engine asks Python itself, because Python's answer *is* the
//! behaviour httpx users expect (exact JSON text, mimetypes, codec names, status phrases),
//! and the helpers every Python-facing type uses to read arguments and word errors.

use crate::codecs::charset::is_utf8;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyDict, PyString, PyTuple};

static JSON: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

fn json_module(py: Python<'_>) -> PyResult<&Bound<'_, PyModule>> {
    JSON.get_or_try_init(py, || PyModule::import(py, "json").map(Bound::unbind))
        .map(|m| m.bind(py))
}

/// `json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)`, as UTF-8:
/// byte-for-byte what httpx sends for `json=`.
pub fn json_dumps(obj: &Bound<'_, PyAny>) -> PyResult<Vec<u8>> {
    let py = obj.py();
    let kwargs = PyDict::new(py);
    kwargs.set_item("ensure_ascii", false)?;
    kwargs.set_item("separators", PyTuple::new(py, [",", ":"])?)?;
    kwargs.set_item("allow_nan", false)?;
    let text = json_module(py)?.call_method("dumps", (obj,), Some(&kwargs))?;
    Ok(text.extract::<String>()?.into_bytes())
}

/// `json.loads(data, **kwargs)`: raises `json.JSONDecodeError` exactly as httpx would.
///
/// Without `kwargs`, a `bytes` document is read by `codecs::json` first, which gives the
/// value `json.loads` would (the same types, keys in the same order) or leaves the document,
/// errors included, to `json.loads` itself: a ~2 KB document cost ~220k instructions there.
pub fn json_loads<'py>(
    data: &Bound<'py, PyAny>,
    kwargs: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    let py = data.py();
    if kwargs.is_none_or(|k| k.is_empty()) {
        if let Ok(bytes) = data.cast::<PyBytes>() {
            let mut build = PyJson {
                py,
                keys: Vec::new(),
            };
            if let Some(value) = crate::codecs::json::parse(bytes.as_bytes(), &mut build) {
                return Ok(value);
            }
        }
    }
    json_module(py)?.call_method("loads", (data,), kwargs)
}

/// Python objects for `codecs::json`: what `json.loads` makes (dict, list, str, int, float,
/// bool, None). A failure here (a `MemoryError`, an integer past `int`'s digit limit) gives
/// the document back to `json.loads`, which raises it as it would have.
struct PyJson<'py> {
    py: Python<'py>,
    /// The key strings made so far, reused (as `json.loads`'s scanner memoizes them): a list
    /// of records repeats a few keys, and a reused `str` is neither made nor hashed again.
    keys: Vec<(Box<str>, Bound<'py, PyString>)>,
}

/// Keys remembered per document: records have few; past these, keys are made each time.
const MEMO_KEYS: usize = 64;

impl<'py> PyJson<'py> {
    fn key(&mut self, text: &str) -> Bound<'py, PyString> {
        if let Some((_, key)) = self.keys.iter().find(|(k, _)| **k == *text) {
            return key.clone();
        }
        let key = PyString::new(self.py, text);
        if self.keys.len() < MEMO_KEYS {
            self.keys.push((text.into(), key.clone()));
        }
        key
    }
}

impl<'py> crate::codecs::json::Build for PyJson<'py> {
    type Value = Bound<'py, PyAny>;
    fn null(&mut self) -> Option<Self::Value> {
        Some(self.py.None().into_bound(self.py))
    }
    fn boolean(&mut self, value: bool) -> Option<Self::Value> {
        Some(
            pyo3::types::PyBool::new(self.py, value)
                .to_owned()
                .into_any(),
        )
    }
    fn int(&mut self, text: &str) -> Option<Self::Value> {
        // Up to 18 digits fits an i64; longer is Python's `int(text)`.
        if text.len() <= 18 {
            let value: i64 = text.parse().ok()?;
            return value.into_pyobject(self.py).ok().map(Bound::into_any);
        }
        self.py.get_type::<pyo3::types::PyInt>().call1((text,)).ok()
    }
    fn float(&mut self, value: f64) -> Option<Self::Value> {
        Some(pyo3::types::PyFloat::new(self.py, value).into_any())
    }
    fn string(&mut self, text: &str) -> Option<Self::Value> {
        Some(PyString::new(self.py, text).into_any())
    }
    fn array(&mut self, items: Vec<Self::Value>) -> Option<Self::Value> {
        pyo3::types::PyList::new(self.py, items)
            .ok()
            .map(Bound::into_any)
    }
    fn object(
        &mut self,
        members: Vec<(std::borrow::Cow<'_, str>, Self::Value)>,
    ) -> Option<Self::Value> {
        let dict = PyDict::new(self.py);
        for (key, value) in members {
            dict.set_item(self.key(&key), value).ok()?;
        }
        Some(dict.into_any())
    }
}

/// `mimetypes.guess_type(filename)[0]`.
pub fn guess_content_type(py: Python<'_>, filename: &str) -> PyResult<Option<String>> {
    let guess = py
        .import("mimetypes")?
        .call_method1("guess_type", (filename,))?;
    guess.get_item(0)?.extract()
}

/// True when Python knows the codec (`codecs.lookup`).
pub fn is_known_encoding(py: Python<'_>, name: &str) -> bool {
    py.import("codecs")
        .and_then(|c| c.call_method1("lookup", (name,)))
        .is_ok()
}

/// httpx's reason phrase for a status code (its table differs from `http.HTTPStatus`) ("" when unknown).
pub fn reason_phrase(py: Python<'_>, status: u16) -> String {
    py.import("httprs._status_codes")
        .and_then(|m| m.getattr("codes"))
        .and_then(|codes| codes.call_method1("get_reason_phrase", (status,)))
        .and_then(|p| p.extract())
        .unwrap_or_default()
}

/// The name of an object's type, for error messages (`str`, `NoneType`, ...).
pub fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "object".to_owned())
}

/// `str(type(obj))`, as httpx's messages show a type: `<class 'int'>`.
pub fn class_repr(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .str()
        .map(|s| s.to_string())
        .unwrap_or_else(|_| "<unknown>".to_owned())
}

fn wrong_type(arg_name: &str, gap: &str, expected: &str, obj: &Bound<'_, PyAny>) -> PyErr {
    let repr = obj
        .repr()
        .map(|s| s.to_string())
        .unwrap_or_else(|_| "<unrepresentable>".to_owned());
    PyTypeError::new_err(format!(
        "Invalid type for {arg_name}.{gap}Expected {expected}, got {}: {repr}",
        class_repr(obj)
    ))
}

/// httpx's message for an argument of the wrong type:
/// `Invalid type for {arg}.  Expected {expected}, got <class 'T'>: repr`.
pub fn invalid_type(arg_name: &str, expected: &str, obj: &Bound<'_, PyAny>) -> PyErr {
    wrong_type(arg_name, "  ", expected, obj)
}

/// The same for a multipart form field, which httpx words with one space after the stop:
/// `Invalid type for name. Expected str, got <class 'int'>: 1`.
pub fn invalid_field_type(part: &str, expected: &str, obj: &Bound<'_, PyAny>) -> PyErr {
    wrong_type(part, " ", expected, obj)
}

/// A `str` (as UTF-8) or `bytes` argument; anything else is a TypeError naming it.
pub fn str_or_bytes(obj: &Bound<'_, PyAny>, name: &str) -> PyResult<Vec<u8>> {
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(s.to_str()?.as_bytes().to_vec());
    }
    if let Ok(b) = obj.cast::<PyBytes>() {
        return Ok(b.as_bytes().to_vec());
    }
    Err(PyTypeError::new_err(format!(
        "{name} must be str or bytes, got {}",
        type_name(obj)
    )))
}

/// Below this size a `bytes` object's content is copied; from it up, shared.
const SHARE_FROM: usize = 16 * 1024;

/// The content of a `bytes` object as `Bytes` for the engine. A large one is not copied: the
/// `Bytes` keeps a reference to the Python object (immutable) while the request lives, so a
/// 10 MiB upload is sent from the caller's own buffer. A small one is copied: sharing costs
/// a reference handed back to Python when the last `Bytes` goes, which may be on a runtime
/// thread (pyo3 then defers it to the next time the GIL is held).
pub fn shared_bytes(bytes: &Bound<'_, PyBytes>) -> bytes::Bytes {
    if bytes.as_bytes().len() < SHARE_FROM {
        return bytes::Bytes::copy_from_slice(bytes.as_bytes());
    }
    bytes::Bytes::from_owner(pyo3::pybacked::PyBackedBytes::from(bytes.clone()))
}

/// Decode bytes to text with `errors="replace"`: UTF-8 in Rust, anything else by Python's codec.
pub fn decode_text<'py>(
    py: Python<'py>,
    content: &Bound<'py, PyBytes>,
    encoding: &str,
) -> PyResult<Bound<'py, PyString>> {
    if is_utf8(encoding) {
        let text = String::from_utf8_lossy(content.as_bytes());
        return Ok(PyString::new(py, &text));
    }
    Ok(content
        .call_method1("decode", (encoding, "replace"))?
        .cast_into::<PyString>()?)
}

/// A body stream object of httpx's kinds, from `httprs._transports`: `ByteStream(content)`
/// (held in memory) or `UnattachedStream()` (the body of an unpickled request or response).
pub fn stream_object<'py>(py: Python<'py>, content: Option<&[u8]>) -> PyResult<Bound<'py, PyAny>> {
    let module = py.import("httprs._transports")?;
    match content {
        Some(bytes) => module
            .getattr("ByteStream")?
            .call1((PyBytes::new(py, bytes),)),
        None => module.getattr("UnattachedStream")?.call0(),
    }
}
