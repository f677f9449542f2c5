//! `Headers`: a case-insensitive multi-dict that keeps insertion order and the original casing.
//!
//! `HeaderList` is the plain-Rust storage every other module works with (request building,
//! the transport, redirects); `PyHeaders` is the Python face of it.

use std::borrow::Cow;

use bytes::Bytes;
use pyo3::exceptions::{PyKeyError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString, PyTuple};

use crate::codecs::pyrepr::py_repr_str;
use crate::models::header_str::HeaderStr;
use crate::python_glue::type_name;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HeaderItem {
    /// The name as the caller (or the server) spelled it; lookups ignore ASCII case.
    pub raw: HeaderStr,
    pub value: HeaderStr,
    /// Name / value came as bytes that are not UTF-8: the text holds them as Latin-1 (one
    /// char per byte), and `.raw` and the wire give those bytes back unchanged.
    pub name_latin1: bool,
    pub value_latin1: bool,
}

/// Header text and whether it stands for non-UTF-8 bytes (see `HeaderItem`).
pub type HeaderText = (String, bool);

impl HeaderItem {
    fn new(name: HeaderText, value: HeaderText) -> Self {
        HeaderItem {
            raw: name.0.into(),
            value: value.0.into(),
            name_latin1: name.1,
            value_latin1: value.1,
        }
    }

    /// A header as received: its name and value bytes, shared with the buffer they came in
    /// when they are UTF-8 (a header name always is: a token), decoded as Latin-1 otherwise.
    pub fn received(name: Bytes, value: Bytes) -> Self {
        let (raw, name_latin1) = received_text(name);
        let (value, value_latin1) = received_text(value);
        HeaderItem {
            raw,
            value,
            name_latin1,
            value_latin1,
        }
    }

    /// A header as received whose bytes are known to be ASCII (a head checked as a whole,
    /// once, rather than each name and value).
    ///
    /// # Safety
    /// `name` and `value` must be ASCII.
    pub unsafe fn received_ascii(name: Bytes, value: Bytes) -> Self {
        HeaderItem {
            raw: HeaderStr::from_utf8_unchecked(name),
            value: HeaderStr::from_utf8_unchecked(value),
            name_latin1: false,
            value_latin1: false,
        }
    }

    /// Whether this is the header `name` (names ignore ASCII case, as in httpx).
    pub fn is(&self, name: &str) -> bool {
        self.raw.eq_ignore_ascii_case(name)
    }

    /// The name lower-cased, as httpx's lookups, `keys()` and `items()` give it.
    pub fn lower(&self) -> Cow<'_, str> {
        if self.raw.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(self.raw.to_ascii_lowercase())
        } else {
            Cow::Borrowed(&self.raw)
        }
    }

    /// The bytes of the name as given.
    pub fn name_bytes(&self) -> Cow<'_, [u8]> {
        original_bytes(&self.raw, self.name_latin1)
    }

    /// The bytes of the value as given.
    pub fn value_bytes(&self) -> Cow<'_, [u8]> {
        original_bytes(&self.value, self.value_latin1)
    }
}

fn received_text(bytes: Bytes) -> (HeaderStr, bool) {
    match HeaderStr::from_utf8(bytes) {
        Ok(text) => (text, false),
        Err(bytes) => (HeaderStr::from(latin1_text(&bytes)), true),
    }
}

/// Bytes decoded as ISO-8859-1: one char per byte.
fn latin1_text(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| b as char).collect()
}

fn original_bytes(text: &str, latin1: bool) -> Cow<'_, [u8]> {
    if latin1 {
        Cow::Owned(text.chars().map(|c| c as u8).collect())
    } else {
        Cow::Borrowed(text.as_bytes())
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HeaderList {
    pub items: Vec<HeaderItem>,
}

impl HeaderList {
    pub fn new() -> Self {
        Self { items: Vec::new() }
    }

    /// Decode every name and value again from the bytes they stand for: as ISO-8859-1 (one
    /// char per byte) when `latin1`, else as UTF-8 where valid (ISO-8859-1 otherwise). The
    /// bytes themselves (`.raw`, the wire) do not change.
    pub fn redecode(&mut self, latin1: bool) {
        fn decode(bytes: &[u8], latin1: bool) -> HeaderText {
            if !latin1 {
                if let Ok(text) = std::str::from_utf8(bytes) {
                    return (text.to_owned(), false);
                }
            }
            (latin1_text(bytes), !bytes.is_ascii())
        }
        for item in &mut self.items {
            let name = decode(&item.name_bytes(), latin1);
            let value = decode(&item.value_bytes(), latin1);
            *item = HeaderItem::new(name, value);
        }
    }

    /// httpx's `_prepare`: the headers a body implies, each unless given, and no
    /// `Transfer-Encoding` beside a given `Content-Length`.
    pub fn add_implied(&mut self, implied: &[(&str, String)]) {
        for (name, value) in implied {
            if name.eq_ignore_ascii_case("transfer-encoding") && self.contains("content-length") {
                continue;
            }
            self.set_default(name, value);
        }
    }

    pub fn push(&mut self, name: &str, value: &str) {
        self.push_text((name.to_owned(), false), (value.to_owned(), false));
    }

    pub fn push_text(&mut self, name: HeaderText, value: HeaderText) {
        self.items.push(HeaderItem::new(name, value));
    }

    pub fn contains(&self, name: &str) -> bool {
        self.items.iter().any(|h| h.is(name))
    }

    /// First value for `name`.
    pub fn get_first(&self, name: &str) -> Option<&str> {
        self.items
            .iter()
            .find(|h| h.is(name))
            .map(|h| h.value.as_str())
    }

    pub fn get_all(&self, name: &str) -> Vec<&str> {
        self.items
            .iter()
            .filter(|h| h.is(name))
            .map(|h| h.value.as_str())
            .collect()
    }

    /// All values for `name` joined with ", " (how httpx presents a repeated header).
    pub fn get_joined(&self, name: &str) -> Option<String> {
        let values = self.get_all(name);
        if values.is_empty() {
            None
        } else {
            Some(values.join(", "))
        }
    }

    pub fn remove(&mut self, name: &str) -> bool {
        let before = self.items.len();
        self.items.retain(|h| !h.is(name));
        before != self.items.len()
    }

    /// Replace every value of `name` with one value, keeping the position of the first.
    pub fn set(&mut self, name: &str, value: &str) {
        self.set_text((name.to_owned(), false), (value.to_owned(), false));
    }

    pub fn set_text(&mut self, name: HeaderText, value: HeaderText) {
        let item = HeaderItem::new(name, value);
        match self.items.iter().position(|h| h.is(&item.raw)) {
            Some(first) => {
                let name = item.raw.clone();
                self.items[first] = item;
                let mut index = 0;
                self.items.retain(|h| {
                    let keep = index <= first || !h.is(&name);
                    index += 1;
                    keep
                });
            }
            None => self.items.push(item),
        }
    }

    pub fn set_default(&mut self, name: &str, value: &str) {
        if !self.contains(name) {
            self.push(name, value);
        }
    }

    /// httpx `Headers.update`: every name present in `other` replaces this list's values.
    pub fn update(&mut self, other: &HeaderList) {
        for item in &other.items {
            self.remove(&item.raw);
        }
        self.items.extend(other.items.iter().cloned());
    }

    /// Distinct lower-cased names, in first-seen order.
    pub fn keys(&self) -> Vec<Cow<'_, str>> {
        let mut keys: Vec<Cow<'_, str>> = Vec::new();
        for h in &self.items {
            if !keys.iter().any(|k| h.is(k)) {
                keys.push(h.lower());
            }
        }
        keys
    }

    /// Build from any of the shapes httpx accepts: None, Headers, a mapping, or pairs.
    pub fn from_py(obj: Option<&Bound<'_, PyAny>>, arg_name: &str) -> PyResult<Self> {
        let mut list = HeaderList::new();
        let Some(obj) = obj else { return Ok(list) };
        if obj.is_none() {
            return Ok(list);
        }
        if let Ok(headers) = obj.cast::<PyHeaders>() {
            return Ok(headers.borrow().list.clone());
        }
        if let Ok(dict) = obj.cast::<PyDict>() {
            for (k, v) in dict.iter() {
                list.push_text(header_str(&k)?, header_str(&v)?);
            }
            return Ok(list);
        }
        if obj.is_instance_of::<PyString>() || obj.is_instance_of::<PyBytes>() {
            return Err(PyTypeError::new_err(format!(
                "Invalid type for {arg_name}: expected a mapping or a list of (name, value) pairs, got {}",
                type_name(obj)
            )));
        }
        // A Mapping that is not a dict: use its items().
        let iterable = if obj.hasattr("items")? {
            obj.call_method0("items")?
        } else {
            obj.clone()
        };
        let iter = iterable.try_iter().map_err(|_| {
            PyTypeError::new_err(format!(
                "Invalid type for {arg_name}: expected a mapping or a list of (name, value) pairs, got {}",
                type_name(obj)
            ))
        })?;
        for pair in iter {
            let pair = pair?;
            let (k, v) = extract_pair(&pair, arg_name)?;
            list.push_text(k, v);
        }
        Ok(list)
    }

    /// An owned `Py<PyHeaders>` for Python, wrapping a copy of this list.
    pub fn to_py(&self, py: Python<'_>) -> PyResult<Py<PyHeaders>> {
        Py::new(py, PyHeaders::from_list(self.clone()))
    }
}

fn extract_pair(pair: &Bound<'_, PyAny>, arg_name: &str) -> PyResult<(HeaderText, HeaderText)> {
    let bad = || {
        PyTypeError::new_err(format!(
            "Invalid item in {arg_name}: expected a (name, value) pair, got {}",
            type_name(pair)
        ))
    };
    if pair.is_instance_of::<PyString>() || pair.is_instance_of::<PyBytes>() {
        return Err(bad());
    }
    let seq: Vec<Bound<'_, PyAny>> = if let Ok(t) = pair.cast::<PyTuple>() {
        t.iter().collect()
    } else if let Ok(l) = pair.cast::<PyList>() {
        l.iter().collect()
    } else {
        pair.try_iter()
            .map_err(|_| bad())?
            .collect::<PyResult<Vec<_>>>()?
    };
    if seq.len() != 2 {
        return Err(bad());
    }
    Ok((header_str(&seq[0])?, header_str(&seq[1])?))
}

/// Header names and values may be given as str or bytes (bytes decoded as UTF-8, else latin-1).
pub(crate) fn header_str(obj: &Bound<'_, PyAny>) -> PyResult<HeaderText> {
    if let Ok(s) = obj.cast::<PyString>() {
        let text = s.to_str()?;
        // httpx encodes str headers as ASCII (pass bytes for anything else).
        if let Some((start, _)) = text.char_indices().find(|(_, c)| !c.is_ascii()) {
            let index = text[..start].chars().count();
            return Err(pyo3::exceptions::PyUnicodeEncodeError::new_err((
                "ascii".to_owned(),
                text.to_owned(),
                index,
                index + 1,
                "ordinal not in range(128)".to_owned(),
            )));
        }
        return Ok((text.to_owned(), false));
    }
    if let Ok(b) = obj.cast::<PyBytes>() {
        return Ok(bytes_to_text(b.as_bytes()));
    }
    // httpx's words (its header names get no check of their own: they share this one).
    Err(PyTypeError::new_err(format!(
        "Header value must be str or bytes, not {}",
        crate::python_glue::class_repr(obj)
    )))
}

/// Bytes as header text: UTF-8 when they are, else Latin-1 (flagged, see `HeaderItem`).
fn bytes_to_text(bytes: &[u8]) -> HeaderText {
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_owned(), false),
        Err(_) => (latin1_text(bytes), true),
    }
}

/// A name to look up: only its text matters.
fn key_str(key: &Bound<'_, PyAny>) -> PyResult<String> {
    Ok(header_str(key)?.0)
}

fn key_text(key: &Bound<'_, PyAny>) -> PyResult<HeaderText> {
    header_str(key)
}

/// HTTP headers: a case-insensitive multi-dict of `str` to `str`.
///
/// ```python
/// headers = httprs.Headers({"Content-Type": "text/plain"})
/// headers["content-type"], headers.get_list("set-cookie"), headers.raw
/// ```
///
/// `headers[name]` joins several values with `", "`; `get_list` gives them apart. Names
/// and values given as bytes are kept as bytes (`raw`) and decoded with `encoding`.
#[pyclass(name = "Headers", module = "httprs")]
#[derive(Clone, Default)]
pub struct PyHeaders {
    pub list: HeaderList,
    /// The codec set by `Headers(..., encoding=)` or `headers.encoding = ...` (else guessed).
    encoding: Option<String>,
}

impl PyHeaders {
    /// httpx's repr names the encoding when it is not ASCII: `, encoding='utf-8'`.
    fn encoding_repr(&self) -> String {
        match self.encoding().as_str() {
            "ascii" => String::new(),
            other => format!(", encoding={}", crate::codecs::pyrepr::py_repr_str(other)),
        }
    }

    pub fn from_list(list: HeaderList) -> Self {
        Self {
            list,
            encoding: None,
        }
    }
}

#[pymethods]
impl PyHeaders {
    #[new]
    #[pyo3(signature = (headers = None, encoding = None))]
    fn py_new(headers: Option<&Bound<'_, PyAny>>, encoding: Option<&str>) -> PyResult<Self> {
        let mut new = Self::from_list(HeaderList::from_py(headers, "headers")?);
        if let Some(encoding) = encoding {
            new.set_encoding(encoding)?;
        }
        Ok(new)
    }

    // Without a codec set, httpx decodes every value with its guess; here each value keeps
    // its own decoding, so UTF-8 values next to Latin-1 ones stay readable.
    /// The codec header values are decoded with: the one set, else `"ascii"`, else
    /// `"utf-8"`, else `"iso-8859-1"` (whichever decodes every value).
    #[getter]
    fn encoding(&self) -> String {
        if let Some(encoding) = &self.encoding {
            return encoding.clone();
        }
        let guess = if self
            .list
            .items
            .iter()
            .any(|h| h.value_latin1 || h.name_latin1)
        {
            "iso-8859-1"
        } else if self.list.items.iter().all(|h| h.value.is_ascii()) {
            "ascii"
        } else {
            "utf-8"
        };
        guess.to_owned()
    }

    /// Decode every value with this codec from now on, as httpx does, for the codecs a header
    /// can be in on the wire: the UTF-8 and ISO-8859-1 families. Another codec is recorded
    /// (`.encoding` says it) but values keep their UTF-8 / ISO-8859-1 text: their bytes would
    /// not round-trip through it (README, known differences).
    #[setter]
    fn set_encoding(&mut self, encoding: &str) -> PyResult<()> {
        let name = encoding.to_ascii_lowercase().replace('_', "-");
        match name.as_str() {
            "iso-8859-1" | "iso8859-1" | "latin-1" | "latin1" | "l1" => self.list.redecode(true),
            "utf-8" | "utf8" | "ascii" | "us-ascii" => self.list.redecode(false),
            _ => {}
        }
        self.encoding = Some(encoding.to_owned());
        Ok(())
    }

    /// The `(name, value)` byte pairs, names as they were given.
    #[getter]
    fn raw<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let items: Vec<Bound<'py, PyTuple>> = self
            .list
            .items
            .iter()
            .map(|h| {
                PyTuple::new(
                    py,
                    [
                        PyBytes::new(py, &h.name_bytes()),
                        PyBytes::new(py, &h.value_bytes()),
                    ],
                )
            })
            .collect::<PyResult<_>>()?;
        PyList::new(py, items)
    }

    /// The distinct names, lower-cased, in first-seen order.
    fn keys(&self) -> Vec<String> {
        self.list.keys().into_iter().map(Cow::into_owned).collect()
    }

    /// The value of each name (several values joined with `", "`).
    fn values(&self) -> Vec<String> {
        self.list
            .keys()
            .into_iter()
            .filter_map(|k| self.list.get_joined(&k))
            .collect()
    }

    /// `(name, value)` for each distinct name, lower-cased (several values joined).
    fn items(&self) -> Vec<(String, String)> {
        self.list
            .keys()
            .into_iter()
            .filter_map(|k| {
                let v = self.list.get_joined(&k)?;
                Some((k.into_owned(), v))
            })
            .collect()
    }

    /// Every `(name, value)` pair, lower-cased names, a repeated header once per value.
    fn multi_items(&self) -> Vec<(String, String)> {
        self.list
            .items
            .iter()
            .map(|h| (h.lower().into_owned(), h.value.to_string()))
            .collect()
    }

    /// The value of `key` (several joined with `", "`), or `default`.
    #[pyo3(signature = (key, default = None))]
    fn get<'py>(
        &self,
        py: Python<'py>,
        key: &Bound<'py, PyAny>,
        default: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let key = key_str(key)?;
        match self.list.get_joined(&key) {
            Some(v) => Ok(PyString::new(py, &v).into_any()),
            None => Ok(default.unwrap_or_else(|| py.None().into_bound(py))),
        }
    }

    /// Every value of `key`; with `split_commas`, comma-separated values split too.
    #[pyo3(signature = (key, split_commas = false))]
    fn get_list(&self, key: &Bound<'_, PyAny>, split_commas: bool) -> PyResult<Vec<String>> {
        let key = key_str(key)?;
        let values = self.list.get_all(&key);
        if !split_commas {
            return Ok(values.into_iter().map(str::to_owned).collect());
        }
        Ok(values
            .into_iter()
            .flat_map(|v| v.split(',').map(|p| p.trim().to_owned()))
            .collect())
    }

    /// Set the headers of `headers`, replacing those of the same names.
    fn update(&mut self, headers: &Bound<'_, PyAny>) -> PyResult<()> {
        let other = HeaderList::from_py(Some(headers), "headers")?;
        self.list.update(&other);
        Ok(())
    }

    /// A copy.
    fn copy(&self) -> Self {
        self.clone()
    }

    /// Pickling and `copy`: the raw `(name, value)` byte pairs and the codec set, if any.
    fn __getstate__<'py>(&self, py: Python<'py>) -> PyResult<(Bound<'py, PyList>, Option<String>)> {
        Ok((self.raw(py)?, self.encoding.clone()))
    }

    fn __setstate__(&mut self, state: (Bound<'_, PyAny>, Option<String>)) -> PyResult<()> {
        self.list = HeaderList::from_py(Some(&state.0), "headers")?;
        self.encoding = None;
        if let Some(encoding) = state.1 {
            self.set_encoding(&encoding)?;
        }
        Ok(())
    }

    /// Remove every header.
    fn clear(&mut self) {
        self.list.items.clear();
    }

    /// Remove the first header and return its `(name, value)`.
    fn popitem(&mut self) -> PyResult<(String, String)> {
        let name = match self.list.items.first() {
            Some(first) => first.lower().into_owned(),
            None => return Err(PyKeyError::new_err("popitem(): headers are empty")),
        };
        let value = self.list.get_joined(&name).unwrap_or_default();
        self.list.remove(&name);
        Ok((name, value))
    }

    /// The value of `key`, set to `default` first when missing.
    #[pyo3(signature = (key, default = None))]
    fn setdefault(
        &mut self,
        key: &Bound<'_, PyAny>,
        default: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<String> {
        let key = key_text(key)?;
        if let Some(v) = self.list.get_joined(&key.0) {
            return Ok(v);
        }
        let value = match default {
            Some(d) => header_str(d)?,
            None => (String::new(), false),
        };
        self.list.push_text(key, value.clone());
        Ok(value.0)
    }

    /// Remove `key` and return its value, or `default` (KeyError without one).
    #[pyo3(signature = (key, *default))]
    fn pop(&mut self, key: &Bound<'_, PyAny>, default: &Bound<'_, PyTuple>) -> PyResult<Py<PyAny>> {
        let py = key.py();
        let name = key_str(key)?;
        match self.list.get_joined(&name) {
            Some(v) => {
                self.list.remove(&name);
                Ok(PyString::new(py, &v).into_any().unbind())
            }
            None => match default.len() {
                0 => Err(PyKeyError::new_err(name)),
                _ => Ok(default.get_item(0)?.unbind()),
            },
        }
    }

    fn __getitem__(&self, key: &Bound<'_, PyAny>) -> PyResult<String> {
        let name = key_str(key)?;
        self.list
            .get_joined(&name)
            .ok_or_else(|| PyKeyError::new_err(name))
    }

    fn __setitem__(&mut self, key: &Bound<'_, PyAny>, value: &Bound<'_, PyAny>) -> PyResult<()> {
        let name = key_text(key)?;
        let value = header_str(value)?;
        self.list.set_text(name, value);
        Ok(())
    }

    fn __delitem__(&mut self, key: &Bound<'_, PyAny>) -> PyResult<()> {
        let name = key_str(key)?;
        if self.list.remove(&name) {
            Ok(())
        } else {
            Err(PyKeyError::new_err(name))
        }
    }

    fn __contains__(&self, key: &Bound<'_, PyAny>) -> bool {
        key_str(key)
            .map(|k| self.list.contains(&k))
            .unwrap_or(false)
    }

    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        PyList::new(py, self.keys())?
            .into_any()
            .try_iter()
            .map(|i| i.into_any())
    }

    fn __len__(&self) -> usize {
        self.list.items.len()
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        let Ok(other) = HeaderList::from_py(Some(other), "other") else {
            return false;
        };
        let mut mine = self.multi_items();
        let mut theirs: Vec<(String, String)> = other
            .items
            .iter()
            .map(|h| (h.lower().into_owned(), h.value.to_string()))
            .collect();
        mine.sort();
        theirs.sort();
        mine == theirs
    }

    fn __repr__(&self) -> String {
        let secure = |name: &str, value: &str| -> String {
            if name.eq_ignore_ascii_case("authorization")
                || name.eq_ignore_ascii_case("proxy-authorization")
            {
                "[secure]".to_owned()
            } else {
                value.to_owned()
            }
        };
        let distinct = self.list.keys().len() == self.list.items.len();
        if distinct {
            let body: Vec<String> = self
                .list
                .items
                .iter()
                .map(|h| {
                    format!(
                        "{}: {}",
                        py_repr_str(&h.lower()),
                        py_repr_str(&secure(&h.raw, &h.value))
                    )
                })
                .collect();
            format!("Headers({{{}}}{})", body.join(", "), self.encoding_repr())
        } else {
            let body: Vec<String> = self
                .list
                .items
                .iter()
                .map(|h| {
                    format!(
                        "({}, {})",
                        py_repr_str(&h.lower()),
                        py_repr_str(&secure(&h.raw, &h.value))
                    )
                })
                .collect();
            format!("Headers([{}]{})", body.join(", "), self.encoding_repr())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redecode_switches_between_utf8_and_latin1_keeping_the_bytes() {
        let mut h = HeaderList::new();
        h.push("Custom", "Code point: \u{2603}");
        let bytes = h.items[0].value_bytes().into_owned();
        h.redecode(true);
        assert_eq!(
            h.get_first("custom"),
            Some("Code point: \u{e2}\u{98}\u{83}")
        );
        assert_eq!(h.items[0].value_bytes().as_ref(), bytes.as_slice());
        h.redecode(false);
        assert_eq!(h.get_first("custom"), Some("Code point: \u{2603}"));
        assert_eq!(h.items[0].value_bytes().as_ref(), bytes.as_slice());
    }

    #[test]
    fn set_keeps_position_and_removes_duplicates() {
        let mut h = HeaderList::new();
        h.push("A", "1");
        h.push("B", "2");
        h.push("a", "3");
        h.set("A", "9");
        assert_eq!(h.items.len(), 2);
        assert_eq!(h.items[0].value, "9");
        assert_eq!(h.get_joined("b").as_deref(), Some("2"));
    }

    #[test]
    fn joined_and_update() {
        let mut h = HeaderList::new();
        h.push("X", "1");
        h.push("x", "2");
        assert_eq!(h.get_joined("X").as_deref(), Some("1, 2"));
        let mut o = HeaderList::new();
        o.push("X", "3");
        h.update(&o);
        assert_eq!(h.get_all("x"), vec!["3"]);
    }

    #[test]
    fn received_names_keep_their_spelling_and_match_in_any_case() {
        let mut h = HeaderList::new();
        h.items.push(HeaderItem::received(
            Bytes::from_static(b"X-Bread"),
            Bytes::from_static(b"Baguette"),
        ));
        h.items.push(HeaderItem::received(
            Bytes::from_static(b"x-BREAD"),
            Bytes::from_static(b"P\xe2in"),
        ));
        h.push("etag", "abc");
        assert_eq!(h.items[0].raw, "X-Bread");
        assert_eq!(h.items[1].value, "P\u{e2}in");
        assert!(h.items[1].value_latin1);
        assert_eq!(h.keys(), ["x-bread", "etag"]);
        assert!(matches!(h.items[2].lower(), Cow::Borrowed("etag")));
        assert_eq!(
            h.get_joined("X-BREAD").as_deref(),
            Some("Baguette, P\u{e2}in")
        );
        assert!(h.contains("ETag") && !h.contains("tag"));
        assert!(h.remove("x-bread"));
        assert_eq!(h.items.len(), 1);
    }

    #[test]
    fn repr_quotes() {
        assert_eq!(py_repr_str("a'b"), "\"a'b\"");
        assert_eq!(py_repr_str("ab"), "'ab'");
    }
}
