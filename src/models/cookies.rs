//! `Cookies`: the cookie jar. Set-Cookie parsing and the matching rules (domain, host-only,
//! path, Secure, expiry) follow Python's `http.cookiejar`, which httpx uses.

use crate::errors::{ErrorKind, HttpError};
use crate::models::headers::HeaderList;
use crate::python_glue::type_name;
use pyo3::exceptions::{PyKeyError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString, PyTuple};
use std::sync::{Mutex, MutexGuard};
use std::time::{SystemTime, UNIX_EPOCH};

#[derive(Clone, Debug, PartialEq)]
pub struct Cookie {
    pub name: String,
    pub value: String,
    /// "" matches every host (cookies set by the user without a domain); a leading "." means
    /// the domain and its subdomains; otherwise host-only.
    pub domain: String,
    pub path: String,
    pub secure: bool,
    /// Seconds since the epoch; None for a session cookie.
    pub expires: Option<u64>,
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

impl Cookie {
    fn is_expired(&self, at: u64) -> bool {
        self.expires.is_some_and(|e| e <= at)
    }

    fn matches_domain(&self, host: &str) -> bool {
        if self.domain.is_empty() {
            return true;
        }
        if let Some(parent) = self.domain.strip_prefix('.') {
            host == parent || host.ends_with(&self.domain)
        } else {
            host == self.domain
        }
    }

    fn matches_path(&self, request_path: &str) -> bool {
        if request_path == self.path {
            return true;
        }
        request_path.starts_with(&self.path)
            && (self.path.ends_with('/') || request_path[self.path.len()..].starts_with('/'))
    }
}

#[derive(Clone, Debug, Default)]
pub struct CookieJar {
    pub cookies: Vec<Cookie>,
}

impl CookieJar {
    pub fn set(&mut self, cookie: Cookie) {
        self.cookies.retain(|c| {
            !(c.name == cookie.name && c.domain == cookie.domain && c.path == cookie.path)
        });
        self.cookies.push(cookie);
    }

    /// The `Cookie` header value for a request, or None when nothing matches.
    pub fn header_for(&self, scheme: &str, host: &str, path: &str) -> Option<String> {
        let at = now();
        let secure = matches!(scheme, "https" | "wss");
        let path = if path.is_empty() { "/" } else { path };
        let mut matching: Vec<&Cookie> = self
            .cookies
            .iter()
            .filter(|c| !c.is_expired(at))
            .filter(|c| secure || !c.secure)
            .filter(|c| c.matches_domain(host) && c.matches_path(path))
            .collect();
        if matching.is_empty() {
            return None;
        }
        // Longest path first, as cookiejar orders them.
        matching.sort_by_key(|c| std::cmp::Reverse(c.path.len()));
        let parts: Vec<String> = matching
            .iter()
            .map(|c| format!("{}={}", c.name, c.value))
            .collect();
        Some(parts.join("; "))
    }

    /// Store the response's Set-Cookie headers; returns the cookies it set (for
    /// `response.cookies`).
    pub fn extract(&mut self, headers: &HeaderList, host: &str, request_path: &str) -> Vec<Cookie> {
        let mut stored = Vec::new();
        let at = now();
        for value in headers.get_all("set-cookie") {
            let Some(cookie) = parse_set_cookie(value, host, request_path, at) else {
                continue;
            };
            if cookie.is_expired(at) {
                self.cookies.retain(|c| {
                    !(c.name == cookie.name && c.domain == cookie.domain && c.path == cookie.path)
                });
            } else {
                stored.push(cookie.clone());
                self.set(cookie);
            }
        }
        stored
    }
}

/// Parse one Set-Cookie value received from `host` for `request_path`. None when the cookie
/// is malformed or its Domain does not cover the host (cookiejar rejects those).
fn parse_set_cookie(header: &str, host: &str, request_path: &str, at: u64) -> Option<Cookie> {
    let mut parts = header.split(';');
    let (name, value) = parts.next()?.split_once('=')?;
    let name = name.trim();
    if name.is_empty() {
        return None;
    }
    let mut cookie = Cookie {
        name: name.to_owned(),
        value: value.trim().to_owned(),
        domain: host.to_owned(),
        path: default_path(request_path),
        secure: false,
        expires: None,
    };
    let mut max_age: Option<i64> = None;
    for attr in parts {
        let (key, val) = match attr.split_once('=') {
            Some((k, v)) => (k.trim().to_ascii_lowercase(), v.trim()),
            None => (attr.trim().to_ascii_lowercase(), ""),
        };
        match key.as_str() {
            "domain" if !val.is_empty() => {
                let domain = val.trim_start_matches('.').to_ascii_lowercase();
                let covers = host == domain || host.ends_with(&format!(".{domain}"));
                if !covers {
                    return None;
                }
                cookie.domain = format!(".{domain}");
            }
            "path" if val.starts_with('/') => cookie.path = val.to_owned(),
            "secure" => cookie.secure = true,
            "max-age" => max_age = val.parse::<i64>().ok(),
            "expires" => {
                if let Ok(t) = httpdate::parse_http_date(val) {
                    cookie.expires = Some(
                        t.duration_since(UNIX_EPOCH)
                            .map(|d| d.as_secs())
                            .unwrap_or(0),
                    );
                }
            }
            _ => {}
        }
    }
    if let Some(age) = max_age {
        cookie.expires = Some(if age <= 0 {
            0
        } else {
            at.saturating_add(age as u64)
        });
    }
    Some(cookie)
}

/// cookiejar's default path: the request path up to (not including) its last "/".
fn default_path(request_path: &str) -> String {
    let path = request_path.split('?').next().unwrap_or("");
    match path.rfind('/') {
        Some(i) if i > 0 => path[..i].to_owned(),
        _ => "/".to_owned(),
    }
}

// Shared by reference between a client and its users, so the jar sits behind a mutex (never
// held while calling Python).
/// A cookie jar: cookies by name, with their domain and path.
///
/// ```python
/// cookies = httprs.Cookies({"session": "abc"})
/// cookies.set("theme", "dark", domain="example.org")
/// client = httprs.Client(cookies=cookies)
/// ```
///
/// A client's `cookies` collects the cookies of its responses and sends the matching ones.
#[pyclass(name = "Cookies", module = "httprs", frozen)]
#[derive(Default)]
pub struct PyCookies {
    jar: Mutex<CookieJar>,
}

impl PyCookies {
    pub fn from_jar(jar: CookieJar) -> Self {
        Self {
            jar: Mutex::new(jar),
        }
    }

    pub fn lock(&self) -> MutexGuard<'_, CookieJar> {
        // A panic while holding the lock cannot leave the jar half-updated in a harmful way.
        self.jar.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Build a jar from a `cookies=` argument: None, Cookies, dict, list of pairs, or an
    /// `http.cookiejar.CookieJar`.
    pub fn jar_from_py(obj: Option<&Bound<'_, PyAny>>) -> PyResult<CookieJar> {
        let mut jar = CookieJar::default();
        let Some(obj) = obj else { return Ok(jar) };
        if obj.is_none() {
            return Ok(jar);
        }
        if let Ok(cookies) = obj.cast::<PyCookies>() {
            return Ok(cookies.get().lock().clone());
        }
        let user_cookie = |name: String, value: String| Cookie {
            name,
            value,
            domain: String::new(),
            path: "/".to_owned(),
            secure: false,
            expires: None,
        };
        if let Ok(dict) = obj.cast::<PyDict>() {
            for (k, v) in dict.iter() {
                jar.set(user_cookie(k.extract()?, v.extract()?));
            }
            return Ok(jar);
        }
        if obj.cast::<PyList>().is_ok() || obj.cast::<PyTuple>().is_ok() {
            for item in obj.try_iter()? {
                let (k, v): (String, String) = item?.extract()?;
                jar.set(user_cookie(k, v));
            }
            return Ok(jar);
        }
        let cookiejar = obj.py().import("http.cookiejar")?.getattr("CookieJar")?;
        if obj.is_instance(&cookiejar)? {
            for c in obj.try_iter()? {
                let c = c?;
                let expires: Option<u64> = c.getattr("expires")?.extract().ok();
                jar.set(Cookie {
                    name: c.getattr("name")?.extract()?,
                    value: c
                        .getattr("value")?
                        .extract::<Option<String>>()?
                        .unwrap_or_default(),
                    domain: c.getattr("domain")?.extract()?,
                    path: c.getattr("path")?.extract()?,
                    secure: c.getattr("secure")?.extract()?,
                    expires,
                });
            }
            return Ok(jar);
        }
        Err(PyTypeError::new_err(format!(
            "Invalid type for cookies: expected a dict, a list of pairs, httprs.Cookies or a CookieJar, got {}",
            type_name(obj)
        )))
    }

    fn matching<'a>(
        jar: &'a CookieJar,
        name: &str,
        domain: Option<&str>,
        path: Option<&str>,
    ) -> Vec<&'a Cookie> {
        jar.cookies
            .iter()
            .filter(|c| c.name == name)
            .filter(|c| domain.is_none_or(|d| c.domain == d))
            .filter(|c| path.is_none_or(|p| c.path == p))
            .collect()
    }
}

#[pymethods]
impl PyCookies {
    #[new]
    #[pyo3(signature = (cookies = None))]
    fn py_new(cookies: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        Ok(Self::from_jar(Self::jar_from_py(cookies)?))
    }

    /// Set the cookie `name` for `domain` and `path`.
    #[pyo3(signature = (name, value, domain = "", path = "/"))]
    fn set(&self, name: String, value: String, domain: &str, path: &str) {
        self.lock().set(Cookie {
            name,
            value,
            domain: domain.to_owned(),
            path: path.to_owned(),
            secure: false,
            expires: None,
        });
    }

    /// The value of the cookie `name` (narrowed by `domain` / `path`), or `default`.
    /// CookieConflict when several cookies match.
    #[pyo3(signature = (name, default = None, domain = None, path = None))]
    fn get(
        &self,
        py: Python<'_>,
        name: &str,
        default: Option<Py<PyAny>>,
        domain: Option<&str>,
        path: Option<&str>,
    ) -> PyResult<Py<PyAny>> {
        let jar = self.lock();
        let found = Self::matching(&jar, name, domain, path);
        let mut value: Option<&str> = None;
        for c in found {
            // httpx: a second match is a conflict, even with the same value.
            if value.is_some() {
                drop(jar);
                return Err(HttpError::new(
                    ErrorKind::CookieConflict,
                    format!("Multiple cookies exist with name={name}"),
                )
                .into_pyerr(py, None));
            }
            value = Some(&c.value);
        }
        match value {
            Some(v) => Ok(v.into_pyobject(py)?.into_any().unbind()),
            None => Ok(default.unwrap_or_else(|| py.None())),
        }
    }

    /// Delete the cookies called `name` (narrowed by `domain` / `path`).
    #[pyo3(signature = (name, domain = None, path = None))]
    fn delete(&self, name: &str, domain: Option<&str>, path: Option<&str>) {
        self.lock().cookies.retain(|c| {
            !(c.name == name
                && domain.is_none_or(|d| c.domain == d)
                && path.is_none_or(|p| c.path == p))
        });
    }

    /// Set the `Cookie` header of `request` to the cookies of this jar that match its URL.
    fn set_cookie_header(&self, py: Python<'_>, request: crate::models::handle::RequestHandle) {
        let req = request.bind(py).borrow();
        let value = self.lock().header_for(
            req.url.scheme_str(),
            req.url.host_ascii(),
            &req.url.raw_path_str(),
        );
        if let Some(value) = value {
            req.headers.borrow_mut(py).list.set("Cookie", &value);
        }
    }

    /// Delete every cookie, or those of `domain` (and `path`).
    #[pyo3(signature = (domain = None, path = None))]
    fn clear(&self, domain: Option<&str>, path: Option<&str>) {
        self.lock().cookies.retain(|c| {
            !(domain.is_none_or(|d| c.domain == d) && path.is_none_or(|p| c.path == p))
        });
    }

    /// Add the cookies of `cookies`.
    #[pyo3(signature = (cookies = None))]
    fn update(&self, cookies: Option<&Bound<'_, PyAny>>) -> PyResult<()> {
        let other = Self::jar_from_py(cookies)?;
        let mut jar = self.lock();
        for c in other.cookies {
            jar.set(c);
        }
        Ok(())
    }

    /// The cookies as an `http.cookiejar.CookieJar` (a copy: changing it does not change
    /// these).
    #[getter]
    fn jar<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let cookiejar = py.import("http.cookiejar")?;
        let jar = cookiejar.getattr("CookieJar")?.call0()?;
        let cookie_cls = cookiejar.getattr("Cookie")?;
        let cookies = self.lock().cookies.clone();
        for c in cookies {
            let kwargs = PyDict::new(py);
            kwargs.set_item("version", 0)?;
            kwargs.set_item("name", &c.name)?;
            kwargs.set_item("value", &c.value)?;
            kwargs.set_item("port", py.None())?;
            kwargs.set_item("port_specified", false)?;
            kwargs.set_item("domain", &c.domain)?;
            kwargs.set_item("domain_specified", !c.domain.is_empty())?;
            kwargs.set_item("domain_initial_dot", c.domain.starts_with('.'))?;
            kwargs.set_item("path", &c.path)?;
            kwargs.set_item("path_specified", true)?;
            kwargs.set_item("secure", c.secure)?;
            kwargs.set_item("expires", c.expires)?;
            kwargs.set_item("discard", c.expires.is_none())?;
            kwargs.set_item("comment", py.None())?;
            kwargs.set_item("comment_url", py.None())?;
            kwargs.set_item("rest", PyDict::new(py))?;
            kwargs.set_item("rfc2109", false)?;
            let cookie = cookie_cls.call((), Some(&kwargs))?;
            jar.call_method1("set_cookie", (cookie,))?;
        }
        Ok(jar)
    }

    fn __getitem__(&self, py: Python<'_>, name: &str) -> PyResult<Py<PyAny>> {
        let value = self.get(py, name, None, None, None)?;
        if value.is_none(py) {
            Err(PyKeyError::new_err(name.to_owned()))
        } else {
            Ok(value)
        }
    }

    fn __setitem__(&self, name: String, value: String) {
        self.set(name, value, "", "/");
    }

    /// Store the cookies that `response` sets (its request's URL gives their default domain
    /// and path).
    fn extract_cookies(
        &self,
        py: Python<'_>,
        response: crate::models::handle::ResponseHandle,
    ) -> PyResult<()> {
        let response = response.bind(py).borrow();
        let request = response.request.as_ref().ok_or_else(|| {
            pyo3::exceptions::PyRuntimeError::new_err(
                "The request instance has not been set on this response.",
            )
        })?;
        let request = request.bind(py).borrow();
        self.lock().extract(
            &response.headers.borrow(py).list,
            request.url.host_ascii(),
            &request.url.raw_path_str(),
        );
        Ok(())
    }

    /// Remove the cookies called `name` and return the value, or `default` (KeyError
    /// without one).
    #[pyo3(signature = (name, *default))]
    fn pop(&self, py: Python<'_>, name: &str, default: &Bound<'_, PyTuple>) -> PyResult<Py<PyAny>> {
        match self.__getitem__(py, name) {
            Ok(value) => {
                self.__delitem__(name);
                Ok(value)
            }
            Err(e) => match default.len() {
                0 => Err(e),
                _ => Ok(default.get_item(0)?.unbind()),
            },
        }
    }

    /// Remove the first cookie and return its `(name, value)`.
    fn popitem(&self) -> PyResult<(String, String)> {
        let mut jar = self.lock();
        if jar.cookies.is_empty() {
            return Err(PyKeyError::new_err("popitem(): cookies are empty"));
        }
        let first = jar.cookies.remove(0);
        jar.cookies.retain(|c| c.name != first.name);
        Ok((first.name, first.value))
    }

    /// The value of the cookie `name`, set to `default` first when missing.
    fn setdefault(&self, py: Python<'_>, name: &str, default: String) -> PyResult<Py<PyAny>> {
        if let Ok(value) = self.__getitem__(py, name) {
            return Ok(value);
        }
        self.__setitem__(name.to_owned(), default.clone());
        Ok(PyString::new(py, &default).into_any().unbind())
    }

    /// Pickling and `copy`: every cookie with its domain, path, secure flag and expiry.
    #[allow(clippy::type_complexity)]
    fn __getstate__(&self) -> Vec<(String, String, String, String, bool, Option<u64>)> {
        self.lock()
            .cookies
            .iter()
            .map(|c| {
                let c = c.clone();
                (c.name, c.value, c.domain, c.path, c.secure, c.expires)
            })
            .collect()
    }

    #[allow(clippy::type_complexity)]
    fn __setstate__(&self, state: Vec<(String, String, String, String, bool, Option<u64>)>) {
        let cookies = state
            .into_iter()
            .map(|(name, value, domain, path, secure, expires)| Cookie {
                name,
                value,
                domain,
                path,
                secure,
                expires,
            })
            .collect();
        self.lock().cookies = cookies;
    }

    /// Like httpx, deleting a name that is not there is not an error.
    fn __delitem__(&self, name: &str) {
        self.lock().cookies.retain(|c| c.name != name);
    }

    fn __len__(&self) -> usize {
        self.lock().cookies.len()
    }

    fn __bool__(&self) -> bool {
        !self.lock().cookies.is_empty()
    }

    fn __contains__(&self, name: &str) -> bool {
        self.lock().cookies.iter().any(|c| c.name == name)
    }

    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let names: Vec<String> = self.lock().cookies.iter().map(|c| c.name.clone()).collect();
        Ok(PyList::new(py, names)?.into_any().try_iter()?.into_any())
    }

    /// The cookie names.
    fn keys(&self) -> Vec<String> {
        self.lock().cookies.iter().map(|c| c.name.clone()).collect()
    }

    /// The cookie values.
    fn values(&self) -> Vec<String> {
        self.lock()
            .cookies
            .iter()
            .map(|c| c.value.clone())
            .collect()
    }

    /// `(name, value)` for each cookie.
    fn items(&self) -> Vec<(String, String)> {
        self.lock()
            .cookies
            .iter()
            .map(|c| (c.name.clone(), c.value.clone()))
            .collect()
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        let Ok(other) = Self::jar_from_py(Some(other)) else {
            return false;
        };
        let mut mine = self.items();
        let mut theirs: Vec<(String, String)> = other
            .cookies
            .into_iter()
            .map(|c| (c.name, c.value))
            .collect();
        mine.sort();
        theirs.sort();
        mine == theirs
    }

    fn __repr__(&self) -> String {
        let parts: Vec<String> = self
            .lock()
            .cookies
            .iter()
            .map(|c| format!("<Cookie {}={} for {} />", c.name, c.value, c.domain))
            .collect();
        format!("<Cookies[{}]>", parts.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_only_and_domain_cookies() {
        let mut jar = CookieJar::default();
        let mut h = HeaderList::new();
        h.push("Set-Cookie", "a=1");
        h.push("Set-Cookie", "b=2; Domain=example.org; Path=/x");
        h.push("Set-Cookie", "c=3; Domain=other.org");
        jar.extract(&h, "www.example.org", "/set");
        assert_eq!(jar.cookies.len(), 2);
        assert_eq!(
            jar.header_for("http", "www.example.org", "/").as_deref(),
            Some("a=1")
        );
        assert_eq!(
            jar.header_for("http", "api.example.org", "/x/y").as_deref(),
            Some("b=2")
        );
        assert_eq!(jar.header_for("http", "example.com", "/"), None);
    }

    #[test]
    fn secure_and_expiry() {
        let mut jar = CookieJar::default();
        let mut h = HeaderList::new();
        h.push("Set-Cookie", "s=1; Secure");
        h.push("Set-Cookie", "gone=1; Max-Age=0");
        jar.extract(&h, "h", "/");
        assert_eq!(jar.header_for("http", "h", "/"), None);
        assert_eq!(jar.header_for("https", "h", "/").as_deref(), Some("s=1"));
    }

    #[test]
    fn default_path_rule() {
        assert_eq!(default_path("/a/b"), "/a");
        assert_eq!(default_path("/a"), "/");
        assert_eq!(default_path(""), "/");
    }
}
