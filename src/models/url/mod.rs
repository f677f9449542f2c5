//! `URL`: an RFC 3986 URL parser that follows httpx 0.28's own parser (not WHATWG).
//!
//! The pure parsing logic (`urlparse`, `UrlParts`, quoting, joining) lives in plain Rust
//! functions so it can be unit tested without a Python interpreter; the `#[pymethods]`
//! block at the end is a thin wrapper around it.
//!
//! Canonical form: every component is stored normalised and percent-encoded, i.e. plain
//! ASCII (the host in its IDNA/punycode form, IPv6 literals without brackets). The
//! serialized URL is computed once and cached; `PyURL` is an `Arc` so clones are cheap.
//!
//! Deliberate differences from httpx 0.28.1: ports must be 0..=65535 (httpx accepts any
//! integer, e.g. -1 or 70000); `url.host` falls back to the ASCII form when the punycode
//! cannot be decoded (httpx raises an `idna` error from the property).

use std::sync::Arc;

use pyo3::basic::CompareOp;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyString, PyTuple};

use crate::models::params::PyQueryParams;

mod host;
mod idna_table;
mod join;
mod parse;

pub(crate) use crate::codecs::percent::{push_pct, quote, unquote, QUERY_SAFE};
use crate::codecs::pyrepr::py_repr_str;
use crate::python_glue::{invalid_type, type_name};
pub(crate) use join::std_urljoin;
pub use parse::{copy_parts_with, default_port, urlparse, UrlError, UrlKwargs, UrlParts};

/// The Python face of a parse error.
impl UrlError {
    /// The InvalidURL exception, with the value rendered by Python's own `repr()`.
    pub fn to_pyerr(&self) -> PyErr {
        let message = match &self.value {
            None => self.prefix.clone(),
            Some(v) => {
                let repr = Python::attach(|py| {
                    PyString::new(py, v)
                        .repr()
                        .map(|r| r.to_string())
                        .unwrap_or_else(|_| py_repr_str(v))
                });
                format!("{}{repr}", self.prefix)
            }
        };
        crate::errors::invalid_url(message)
    }
}

fn url_err(e: UrlError) -> PyErr {
    e.to_pyerr()
}

// ---------------------------------------------------------------------------
// The pyclass
// ---------------------------------------------------------------------------

#[derive(Debug)]
struct UrlInner {
    parts: UrlParts,
    serialized: String,
}

// Immutable: cloning is an `Arc` bump.
/// A URL, parsed and normalised as httpx does it.
///
/// ```python
/// url = httprs.URL("https://example.org:8080/search?q=rust#top")
/// url.scheme, url.host, url.port, url.path, url.params["q"], url.fragment
/// ```
///
/// Keyword arguments set components: `scheme`, `username`, `password`, `host`, `port`,
/// `path`, `fragment` (str; `port` an int), `userinfo`, `netloc`, `query`, `raw_path`
/// (bytes), `params` (query parameters). URLs are immutable: the `copy_*` methods return
/// new ones. A URL compares equal to its string.
#[pyclass(name = "URL", module = "httprs", frozen)]
#[derive(Clone, Debug)]
pub struct PyURL {
    inner: Arc<UrlInner>,
}

impl PartialEq for PyURL {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PyURL {
    pub fn from_parts(parts: UrlParts) -> PyURL {
        let serialized = parts.serialize();
        PyURL {
            inner: Arc::new(UrlInner { parts, serialized }),
        }
    }

    /// Parse a URL string (absolute or relative). InvalidURL on error.
    pub fn parse(s: &str) -> PyResult<PyURL> {
        urlparse(s, UrlKwargs::default())
            .map(PyURL::from_parts)
            .map_err(url_err)
    }

    /// The normalised components.
    pub fn parts(&self) -> &UrlParts {
        &self.inner.parts
    }

    /// httpx `URL(self, **kwargs)`. InvalidURL on error.
    pub fn copy_with_kwargs(&self, kwargs: UrlKwargs) -> PyResult<PyURL> {
        if kwargs.is_empty() {
            return Ok(self.clone());
        }
        copy_parts_with(self.parts(), kwargs)
            .map(PyURL::from_parts)
            .map_err(url_err)
    }

    /// The full serialized URL (as `str(url)`).
    /// The same URL value (one parse, shared), not only an equal one.
    pub fn is_same(&self, other: &PyURL) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }

    pub fn as_str(&self) -> &str {
        &self.inner.serialized
    }

    /// Lowercased scheme ("" for relative URLs).
    pub fn scheme_str(&self) -> &str {
        &self.inner.parts.scheme
    }

    /// ASCII host: punycode for IDNA hosts, IPv6 literals WITHOUT brackets, "" if none.
    pub fn host_ascii(&self) -> &str {
        &self.inner.parts.host
    }

    /// Unicode host as `url.host` (first-label punycode decoded, as httpx).
    pub fn host_unicode(&self) -> String {
        self.inner.parts.host_unicode()
    }

    /// `host[:port]` as `url.netloc` (IPv6 bracketed); suitable for a Host header.
    pub fn netloc_str(&self) -> String {
        self.inner.parts.netloc()
    }

    /// Explicit port, `None` if absent or the scheme's default.
    pub fn port_u16(&self) -> Option<u16> {
        self.inner.parts.port
    }

    /// Explicit port, else the scheme's default (http/ws 80, https/wss 443, ftp 21).
    pub fn port_or_default(&self) -> Option<u16> {
        self.inner
            .parts
            .port
            .or_else(|| default_port(&self.inner.parts.scheme))
    }

    /// `path?query` as sent on the request line ("/" for an empty path).
    pub fn raw_path_str(&self) -> String {
        self.inner.parts.raw_path()
    }

    /// Percent-encoded path as stored ("" possible for `http://host`).
    pub fn path_encoded(&self) -> &str {
        &self.inner.parts.path
    }

    /// Decoded path (`url.path`): "/" for an empty path.
    pub fn path_str(&self) -> String {
        let p = &self.inner.parts.path;
        unquote(if p.is_empty() { "/" } else { p })
    }

    /// Raw (encoded) query without '?', `None` if the URL has no '?'.
    pub fn query_str(&self) -> Option<&str> {
        self.inner.parts.query.as_deref()
    }

    /// Raw (encoded) fragment without '#', `None` if the URL has no '#'.
    pub fn fragment_str(&self) -> Option<&str> {
        self.inner.parts.fragment.as_deref()
    }

    /// True unless the URL has both a scheme and a host.
    pub fn is_relative(&self) -> bool {
        !self.inner.parts.is_absolute()
    }

    pub fn is_absolute(&self) -> bool {
        self.inner.parts.is_absolute()
    }

    /// Percent-decoded username ("" if none).
    pub fn username_str(&self) -> String {
        self.inner.parts.username()
    }

    /// Percent-decoded password ("" if none).
    pub fn password_str(&self) -> String {
        self.inner.parts.password()
    }

    pub fn has_userinfo(&self) -> bool {
        !self.inner.parts.userinfo.is_empty()
    }

    pub fn without_userinfo(&self) -> PyURL {
        if !self.has_userinfo() {
            return self.clone();
        }
        let mut parts = self.inner.parts.clone();
        parts.userinfo.clear();
        PyURL::from_parts(parts)
    }

    /// Copy without the fragment.
    pub fn without_fragment(&self) -> PyURL {
        if self.inner.parts.fragment.is_none() {
            return self.clone();
        }
        let mut parts = self.inner.parts.clone();
        parts.fragment = None;
        PyURL::from_parts(parts)
    }

    /// Fallible join (`url.join(other)`): InvalidURL if the joined string does not re-parse.
    pub fn try_join(&self, other: &PyURL) -> PyResult<PyURL> {
        PyURL::parse(&std_urljoin(self.as_str(), other.as_str()))
    }

    /// `self.join(other)`; should the result not re-parse (not expected for normalised
    /// inputs) `other` is returned unchanged.
    pub fn join_url(&self, other: &PyURL) -> PyURL {
        urlparse(
            &std_urljoin(self.as_str(), other.as_str()),
            UrlKwargs::default(),
        )
        .map(PyURL::from_parts)
        .unwrap_or_else(|_| other.clone())
    }

    /// Replace the query with `params` (removed entirely when `params` is empty).
    pub fn with_query_params(&self, params: &PyQueryParams) -> PyURL {
        let mut parts = self.inner.parts.clone();
        parts.query = if params.is_empty() {
            None
        } else {
            Some(quote(&params.encode(), QUERY_SAFE))
        };
        PyURL::from_parts(parts)
    }

    pub fn query_params(&self) -> PyQueryParams {
        PyQueryParams::parse(self.inner.parts.query.as_deref().unwrap_or(""))
    }

    /// Same scheme, host and effective port.
    pub fn same_origin(&self, other: &PyURL) -> bool {
        self.scheme_str() == other.scheme_str()
            && self.host_ascii() == other.host_ascii()
            && self.port_or_default() == other.port_or_default()
    }

    /// httpx `Client._merge_url`: relative `url` is appended to base_url's raw_path (base
    /// path given a trailing "/" if missing, the url's leading "/" stripped); absolute urls
    /// are returned unchanged.
    pub fn merge_with_base(base: &PyURL, url: &PyURL) -> PyURL {
        if url.is_absolute() {
            return url.clone();
        }
        let mut raw = base.raw_path_str();
        if !raw.ends_with('/') {
            raw.push('/');
        }
        raw.push_str(url.raw_path_str().trim_start_matches('/'));
        let kw = UrlKwargs {
            raw_path: Some(Some(raw)),
            ..UrlKwargs::default()
        };
        copy_parts_with(base.parts(), kw)
            .map(PyURL::from_parts)
            .unwrap_or_else(|_| url.clone())
    }
}

/// Accepts str or URL (anything else: TypeError mentioning `arg_name`).
pub fn extract_url(obj: &Bound<'_, PyAny>, arg_name: &str) -> PyResult<PyURL> {
    if let Ok(u) = obj.cast::<PyURL>() {
        return Ok(u.get().clone());
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return PyURL::parse(&s.to_cow()?);
    }
    Err(invalid_type(arg_name, "str or httprs.URL", obj))
}

fn decode_ascii(value: &Bound<'_, PyAny>) -> PyResult<String> {
    value
        .call_method1("decode", ("ascii",))?
        .extract::<String>()
}

/// Convert `URL(...)` / `copy_with(...)` keyword arguments (httpx's type rules).
fn url_kwargs_from_py(kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<UrlKwargs> {
    let mut kw = UrlKwargs::default();
    let Some(kwargs) = kwargs else {
        return Ok(kw);
    };
    let mut params: Option<Bound<'_, PyAny>> = None;
    for (key, value) in kwargs.iter() {
        let key_str: String = key.extract()?;
        let expected = match key_str.as_str() {
            "scheme" | "username" | "password" | "host" | "path" | "fragment" => "str",
            "userinfo" | "netloc" | "query" | "raw_path" => "bytes",
            "port" => "int",
            "params" => "object",
            _ => {
                return Err(PyTypeError::new_err(format!(
                    "{} is an invalid keyword argument for URL()",
                    key.repr()?
                )))
            }
        };
        if key_str == "params" {
            params = Some(value);
            continue;
        }
        let converted: Option<String> = if value.is_none() {
            None
        } else {
            let ok = match expected {
                "str" => value.is_instance_of::<PyString>(),
                "bytes" => value.is_instance_of::<PyBytes>(),
                _ => value.is_instance_of::<pyo3::types::PyInt>(),
            };
            if !ok {
                return Err(PyTypeError::new_err(format!(
                    "Argument {} must be {expected} but got {}",
                    key.repr()?,
                    type_name(&value)
                )));
            }
            Some(match expected {
                "bytes" => decode_ascii(&value)?,
                "int" => value.str()?.to_string(),
                _ => value.extract::<String>()?,
            })
        };
        let slot = match key_str.as_str() {
            "scheme" => &mut kw.scheme,
            "username" => &mut kw.username,
            "password" => &mut kw.password,
            "userinfo" => &mut kw.userinfo,
            "host" => &mut kw.host,
            "port" => &mut kw.port,
            "netloc" => &mut kw.netloc,
            "path" => &mut kw.path,
            "query" => &mut kw.query,
            "raw_path" => &mut kw.raw_path,
            _ => &mut kw.fragment,
        };
        *slot = Some(converted);
    }
    if let Some(params) = params {
        kw.query = Some(if !params.is_truthy()? {
            None
        } else {
            let qp = PyQueryParams::from_py(Some(&params))?;
            Some(qp.encode())
        });
    }
    Ok(kw)
}

fn key_to_string(key: &Bound<'_, PyAny>) -> PyResult<String> {
    Ok(key.str()?.to_cow()?.into_owned())
}

#[pymethods]
impl PyURL {
    #[new]
    #[pyo3(signature = (*args, **kwargs), text_signature = "(url='', **kwargs)")]
    fn py_new(args: &Bound<'_, PyTuple>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        if args.len() > 1 {
            return Err(PyTypeError::new_err(format!(
                "URL() takes at most 1 positional argument ({} given)",
                args.len()
            )));
        }
        let mut kwargs = kwargs.cloned();
        let mut url: Option<Bound<'_, PyAny>> = args.get_item(0).ok();
        if let Some(kw) = &kwargs {
            if let Some(u) = kw.get_item("url")? {
                if url.is_some() {
                    return Err(PyTypeError::new_err(
                        "URL() got multiple values for argument 'url'",
                    ));
                }
                let copy = kw.copy()?;
                copy.del_item("url")?;
                url = Some(u);
                kwargs = Some(copy);
            }
        }
        let kw = url_kwargs_from_py(kwargs.as_ref())?;
        match url {
            None => urlparse("", kw).map(PyURL::from_parts).map_err(url_err),
            Some(obj) => {
                if let Ok(u) = obj.cast::<PyURL>() {
                    u.get().copy_with_kwargs(kw)
                } else if let Ok(s) = obj.cast::<PyString>() {
                    urlparse(&s.to_cow()?, kw)
                        .map(PyURL::from_parts)
                        .map_err(url_err)
                } else {
                    Err(invalid_type("url", "str or httprs.URL", &obj))
                }
            }
        }
    }

    /// The scheme, lower-cased: `"https"`; `""` for a relative URL.
    #[getter]
    fn scheme(&self) -> &str {
        self.scheme_str()
    }

    /// The scheme as ASCII bytes.
    #[getter]
    fn raw_scheme<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, self.scheme_str().as_bytes())
    }

    /// The percent-encoded `username:password` part, as bytes (`b""` if none).
    #[getter]
    fn userinfo<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, self.inner.parts.userinfo.as_bytes())
    }

    /// The username, percent-decoded.
    #[getter]
    fn username(&self) -> String {
        self.username_str()
    }

    /// The password, percent-decoded.
    #[getter]
    fn password(&self) -> String {
        self.password_str()
    }

    /// The host, lower-cased, as text: an internationalised domain name is decoded
    /// (`"中国.icom.museum"`); an IPv6 address has no brackets.
    #[getter]
    fn host(&self) -> String {
        self.host_unicode()
    }

    /// The host as ASCII bytes: IDNA-encoded (`b"xn--fiqs8s.icom.museum"`).
    #[getter]
    fn raw_host<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, self.host_ascii().as_bytes())
    }

    /// The port, or None when the URL has none or it is the scheme's default.
    #[getter]
    fn port(&self) -> Option<u16> {
        self.port_u16()
    }

    /// The host and port as ASCII bytes (`b"example.org:8080"`), for the `Host` header.
    #[getter]
    fn netloc<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, self.netloc_str().as_bytes())
    }

    /// The path, percent-decoded (`"/"` for `"https://example.org"`).
    #[getter]
    fn path(&self) -> String {
        self.path_str()
    }

    /// The query string, percent-encoded, as bytes, without the `?`.
    #[getter]
    fn query<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, self.query_str().unwrap_or("").as_bytes())
    }

    /// The query parameters, as `QueryParams`.
    #[getter]
    fn params(&self) -> PyQueryParams {
        self.query_params()
    }

    /// The path and query, percent-encoded, as bytes: what goes on the request line
    /// (`b"/search?q=rust"`).
    #[getter]
    fn raw_path<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, self.raw_path_str().as_bytes())
    }

    /// The fragment (after `#`), percent-decoded.
    #[getter]
    fn fragment(&self) -> String {
        unquote(self.fragment_str().unwrap_or(""))
    }

    /// True when the URL has a scheme and a host.
    #[getter]
    fn is_absolute_url(&self) -> bool {
        self.is_absolute()
    }

    /// True when the URL lacks a scheme or a host.
    #[getter]
    fn is_relative_url(&self) -> bool {
        self.is_relative()
    }

    /// A copy with the given components replaced (the keyword arguments of `URL()`).
    #[pyo3(signature = (**kwargs))]
    fn copy_with(&self, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<PyURL> {
        let kw = url_kwargs_from_py(kwargs)?;
        self.copy_with_kwargs(kw)
    }

    /// A copy whose query has `key` set to `value` (replacing every value of `key`).
    #[pyo3(signature = (key, value = None))]
    fn copy_set_param(
        &self,
        key: &Bound<'_, PyAny>,
        value: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyURL> {
        let key = key_to_string(key)?;
        let value = crate::models::params::optional_primitive_to_string(value, "value")?;
        Ok(self.with_query_params(&self.query_params().with_set(&key, value)))
    }

    /// A copy whose query has `value` added for `key`.
    #[pyo3(signature = (key, value = None))]
    fn copy_add_param(
        &self,
        key: &Bound<'_, PyAny>,
        value: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyURL> {
        let key = key_to_string(key)?;
        let value = crate::models::params::optional_primitive_to_string(value, "value")?;
        Ok(self.with_query_params(&self.query_params().with_added(&key, value)))
    }

    /// A copy whose query has no `key`.
    fn copy_remove_param(&self, key: &Bound<'_, PyAny>) -> PyResult<PyURL> {
        let key = key_to_string(key)?;
        Ok(self.with_query_params(&self.query_params().without(&key)))
    }

    /// A copy whose query has `params` merged in (their keys replaced).
    fn copy_merge_params(&self, params: &Bound<'_, PyAny>) -> PyResult<PyURL> {
        let other = PyQueryParams::from_py(Some(params))?;
        Ok(self.with_query_params(&self.query_params().merged(&other)))
    }

    /// The URL `url` refers to, relative to this one (RFC 3986):
    /// `URL("https://example.org/a/b").join("../c") == "https://example.org/c"`.
    fn join(&self, url: &Bound<'_, PyAny>) -> PyResult<PyURL> {
        let other = extract_url(url, "url")?;
        self.try_join(&other)
    }

    fn __str__(&self) -> &str {
        self.as_str()
    }

    fn __repr__(&self) -> String {
        format!("URL({})", py_repr_str(&self.inner.parts.serialize_masked()))
    }

    fn __hash__(&self, py: Python<'_>) -> PyResult<isize> {
        PyString::new(py, self.as_str()).hash()
    }

    fn __richcmp__(&self, other: &Bound<'_, PyAny>, op: CompareOp) -> PyResult<Py<PyAny>> {
        let py = other.py();
        let equal = match op {
            CompareOp::Eq | CompareOp::Ne => {
                if other.is_instance_of::<PyURL>() || other.is_instance_of::<PyString>() {
                    let other = extract_url(other, "other")?;
                    self.as_str() == other.as_str()
                } else {
                    false
                }
            }
            _ => return Ok(py.NotImplemented()),
        };
        let result = if matches!(op, CompareOp::Eq) {
            equal
        } else {
            !equal
        };
        Ok(pyo3::types::PyBool::new(py, result)
            .to_owned()
            .into_any()
            .unbind())
    }

    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, pyo3::types::PyType>, (String,))> {
        Ok((slf.get_type(), (slf.get().as_str().to_owned(),)))
    }
}

// ---------------------------------------------------------------------------
// Tests (pure Rust, no interpreter)
// ---------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> UrlParts {
        urlparse(s, UrlKwargs::default()).expect("valid url")
    }

    #[test]
    fn merge_with_base_like_httpx_client() {
        let u = |s: &str| PyURL::from_parts(p(s));
        let cases = [
            (
                "https://api.example.com/v1",
                "users?id=1",
                "https://api.example.com/v1/users?id=1",
            ),
            (
                "https://api.example.com/v1/",
                "/users",
                "https://api.example.com/v1/users",
            ),
            ("https://api.example.com", "", "https://api.example.com/"),
            (
                "https://api.example.com/b?x=1",
                "c",
                "https://api.example.com/b?x=1/c",
            ),
            ("http://a/b", "https://other/x", "https://other/x"),
            ("http://a/b", "//other/x", "http://a/b/x"),
            ("http://u:p@a/b#f", "c#g", "http://u:p@a/b/c#f"),
        ];
        for (base, url, expected) in cases {
            assert_eq!(PyURL::merge_with_base(&u(base), &u(url)).as_str(), expected);
        }
    }

    #[test]
    fn rust_api() {
        let u = PyURL::from_parts(p("https://u:p%20w@[::1]:8443/a%20b?x=1&y=2#f"));
        assert_eq!(u.host_ascii(), "::1");
        assert_eq!(u.netloc_str(), "[::1]:8443");
        assert_eq!(u.port_u16(), Some(8443));
        assert_eq!(u.port_or_default(), Some(8443));
        assert_eq!(u.raw_path_str(), "/a%20b?x=1&y=2");
        assert_eq!(u.path_str(), "/a b");
        assert_eq!(u.password_str(), "p w");
        assert!(u.has_userinfo() && !u.without_userinfo().has_userinfo());
        assert_eq!(
            u.without_userinfo().as_str(),
            "https://[::1]:8443/a%20b?x=1&y=2#f"
        );
        let plain = PyURL::from_parts(p("https://example.com"));
        assert_eq!(plain.port_u16(), None);
        assert_eq!(plain.port_or_default(), Some(443));
        assert!(plain.same_origin(&PyURL::from_parts(p("https://EXAMPLE.com:443/x"))));
        assert!(!plain.same_origin(&PyURL::from_parts(p("http://example.com/"))));
        let q = u.query_params().with_set("x", "a b/".into());
        assert_eq!(
            u.with_query_params(&q).raw_path_str(),
            "/a%20b?x=a+b%2F&y=2"
        );
        assert_eq!(
            u.with_query_params(&PyQueryParams::default()).as_str(),
            "https://u:p%20w@[::1]:8443/a%20b#f"
        );
        let rel = PyURL::from_parts(p("../c?d"));
        assert!(rel.is_relative());
        assert_eq!(u.join_url(&rel).as_str(), "https://u:p%20w@[::1]:8443/c?d");
    }
}
