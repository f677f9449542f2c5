//! Which httpx exception a failure becomes.
//!
//! Failures are born without the GIL (inside tokio tasks) as a plain `HttpError`; they become a
//! Python exception, with `.request` attached, only when they reach Python.

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyModule};
use std::error::Error as StdError;
use std::fmt;

/// Every class that the engine itself raises, named as in `httprs._exceptions`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    ConnectTimeout,
    ReadTimeout,
    WriteTimeout,
    PoolTimeout,
    ConnectError,
    ReadError,
    WriteError,
    CloseError,
    ProxyError,
    UnsupportedProtocol,
    LocalProtocolError,
    RemoteProtocolError,
    DecodingError,
    TooManyRedirects,
    InvalidURL,
    StreamConsumed,
    StreamClosed,
    ResponseNotRead,
    RequestNotRead,
    CookieConflict,
    /// Python's own `NotImplementedError` (httpx raises it for Digest `auth-int`).
    NotImplemented,
}

impl ErrorKind {
    pub fn class_name(self) -> &'static str {
        match self {
            ErrorKind::ConnectTimeout => "ConnectTimeout",
            ErrorKind::ReadTimeout => "ReadTimeout",
            ErrorKind::WriteTimeout => "WriteTimeout",
            ErrorKind::PoolTimeout => "PoolTimeout",
            ErrorKind::ConnectError => "ConnectError",
            ErrorKind::ReadError => "ReadError",
            ErrorKind::WriteError => "WriteError",
            ErrorKind::CloseError => "CloseError",
            ErrorKind::ProxyError => "ProxyError",
            ErrorKind::UnsupportedProtocol => "UnsupportedProtocol",
            ErrorKind::LocalProtocolError => "LocalProtocolError",
            ErrorKind::RemoteProtocolError => "RemoteProtocolError",
            ErrorKind::DecodingError => "DecodingError",
            ErrorKind::TooManyRedirects => "TooManyRedirects",
            ErrorKind::InvalidURL => "InvalidURL",
            ErrorKind::StreamConsumed => "StreamConsumed",
            ErrorKind::StreamClosed => "StreamClosed",
            ErrorKind::ResponseNotRead => "ResponseNotRead",
            ErrorKind::RequestNotRead => "RequestNotRead",
            ErrorKind::CookieConflict => "CookieConflict",
            ErrorKind::NotImplemented => "NotImplementedError",
        }
    }

    /// Classes whose constructor takes no message (the stream errors).
    fn takes_no_message(self) -> bool {
        matches!(
            self,
            ErrorKind::StreamConsumed
                | ErrorKind::StreamClosed
                | ErrorKind::ResponseNotRead
                | ErrorKind::RequestNotRead
        )
    }

    /// Classes that accept `request=` (the `RequestError` family).
    fn takes_request(self) -> bool {
        !matches!(
            self,
            ErrorKind::InvalidURL
                | ErrorKind::CookieConflict
                | ErrorKind::NotImplemented
                | ErrorKind::StreamConsumed
                | ErrorKind::StreamClosed
                | ErrorKind::ResponseNotRead
                | ErrorKind::RequestNotRead
        )
    }
}

/// A failure on its way to Python. `Send`, so it can leave a tokio task.
#[derive(Clone, Debug)]
pub struct HttpError {
    pub kind: ErrorKind,
    pub message: String,
}

impl HttpError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
        }
    }

    /// The Python exception, with `.request` set when the class has one.
    pub fn into_pyerr(self, py: Python<'_>, request: Option<&Bound<'_, PyAny>>) -> PyErr {
        match self.build(py, request) {
            Ok(err) => err,
            Err(err) => err,
        }
    }

    fn build(self, py: Python<'_>, request: Option<&Bound<'_, PyAny>>) -> PyResult<PyErr> {
        if self.kind == ErrorKind::NotImplemented {
            return Ok(pyo3::exceptions::PyNotImplementedError::new_err(
                self.message,
            ));
        }
        let class = exception_class(py, self.kind.class_name())?;
        let value = if self.kind.takes_no_message() {
            class.call0()?
        } else if self.kind.takes_request() && request.is_some() {
            let kwargs = PyDict::new(py);
            kwargs.set_item("request", request)?;
            class.call((self.message,), Some(&kwargs))?
        } else {
            class.call1((self.message,))?
        };
        Ok(PyErr::from_value(value))
    }
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind.class_name(), self.message)
    }
}

impl From<HttpError> for PyErr {
    fn from(err: HttpError) -> PyErr {
        Python::attach(|py| err.into_pyerr(py, None))
    }
}

static EXCEPTIONS: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

/// A class from `httprs._exceptions` (imported once).
pub fn exception_class<'py>(py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
    let module = EXCEPTIONS.get_or_try_init(py, || {
        PyModule::import(py, "httprs._exceptions").map(Bound::unbind)
    })?;
    module.bind(py).getattr(name)
}

pub fn invalid_url(message: impl Into<String>) -> PyErr {
    HttpError::new(ErrorKind::InvalidURL, message).into()
}

pub fn stream_error(kind: ErrorKind) -> PyErr {
    HttpError::new(kind, "").into()
}

/// An error that should never happen; reported instead of panicking.
pub fn internal(message: impl Into<String>) -> PyErr {
    PyRuntimeError::new_err(format!("httprs internal error: {}", message.into()))
}

/// "outer: inner: innermost" — reqwest's top-level message alone rarely says why.
pub fn error_chain(err: &(dyn StdError + 'static)) -> String {
    let mut parts: Vec<String> = vec![err.to_string()];
    let mut source = err.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = s.source();
    }
    parts.join(": ")
}

fn find_source<'a, T: StdError + 'static>(err: &'a (dyn StdError + 'static)) -> Option<&'a T> {
    let mut current: Option<&(dyn StdError + 'static)> = Some(err);
    while let Some(e) = current {
        if let Some(found) = e.downcast_ref::<T>() {
            return Some(found);
        }
        current = e.source();
    }
    None
}

/// Map a reqwest failure to the httpx class a user would catch.
pub fn from_reqwest(err: &reqwest::Error) -> HttpError {
    let mut message = error_chain(err);
    let kind = classify_reqwest(err);
    if kind == ErrorKind::ProxyError && message.contains("proxy authorization required") {
        // httpx's wording (the proxy's status line); reqwest's tunnel only names it.
        message = format!("407 Proxy Authentication Required ({message})");
    }
    HttpError::new(kind, message)
}

fn classify_reqwest(err: &reqwest::Error) -> ErrorKind {
    if err.is_timeout() {
        return if err.is_connect() {
            ErrorKind::ConnectTimeout
        } else {
            ErrorKind::ReadTimeout
        };
    }
    if err.is_connect() {
        // A proxy that refused the CONNECT tunnel (hyper-util's tunnel connector); not
        // reaching the proxy at all is a ConnectError, as in httpx.
        // A SOCKS proxy that answered but refused (credentials, ruleset, target down) too.
        let chain = error_chain(err).to_ascii_lowercase();
        let refused = chain.contains("tunnel") || chain.contains("socks error");
        if refused && !chain.contains("underlying connection") {
            return ErrorKind::ProxyError;
        }
        return ErrorKind::ConnectError;
    }
    if err.is_builder() {
        return ErrorKind::UnsupportedProtocol;
    }
    // reqwest's own decoders are off, so its "decode" errors are failed body reads: the
    // cause below says which kind.
    if let Some(hyper_err) = find_source::<hyper::Error>(err) {
        if hyper_err.is_parse() || hyper_err.is_incomplete_message() || hyper_err.is_parse_status()
        {
            return ErrorKind::RemoteProtocolError;
        }
        if hyper_err.is_user() {
            return ErrorKind::LocalProtocolError;
        }
    }
    if let Some(io_err) = find_source::<std::io::Error>(err) {
        return classify_io(io_err, err.is_body());
    }
    if err.is_body() || err.is_decode() {
        return ErrorKind::ReadError;
    }
    ErrorKind::RemoteProtocolError
}

/// A failure while sending and waiting for the response head. A connection closed before any
/// byte of a response gets httpx's wording.
pub fn from_reqwest_send(err: &reqwest::Error) -> HttpError {
    if let Some(hyper_err) = find_source::<hyper::Error>(err) {
        if hyper_err.is_incomplete_message() {
            return HttpError::new(
                ErrorKind::RemoteProtocolError,
                "Server disconnected without sending a response.",
            );
        }
    }
    from_reqwest(err)
}

fn classify_io(err: &std::io::Error, reading: bool) -> ErrorKind {
    use std::io::ErrorKind as Io;
    match err.kind() {
        Io::TimedOut => ErrorKind::ReadTimeout,
        Io::ConnectionRefused | Io::AddrNotAvailable | Io::NotFound => ErrorKind::ConnectError,
        Io::BrokenPipe if !reading => ErrorKind::WriteError,
        // Malformed framing from the server (bad chunk sizes, short bodies).
        Io::UnexpectedEof | Io::InvalidData | Io::InvalidInput => ErrorKind::RemoteProtocolError,
        _ => ErrorKind::ReadError,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_kinds() {
        let refused = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
        assert_eq!(classify_io(&refused, false), ErrorKind::ConnectError);
        let reset = std::io::Error::from(std::io::ErrorKind::ConnectionReset);
        assert_eq!(classify_io(&reset, true), ErrorKind::ReadError);
    }
}
