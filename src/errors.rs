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
    /// httprs: the decoded body is over `max_response_size`.
    ResponseTooLarge,
    /// httprs: not an event stream, or an event over `max_event_size`.
    SSEError,
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
            ErrorKind::ResponseTooLarge => "ResponseTooLarge",
            ErrorKind::SSEError => "SSEError",
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
    /// Added to the exception as notes (`__notes__`): the engine's own account in full
    /// (reqwest's error chain) when `message` is shorter, so that nothing is lost; a hint.
    pub notes: Vec<String>,
    /// The operating-system error behind the failure: the exception's `__cause__` is the
    /// `OSError` Python would have raised for it (httpx chains the same one).
    pub os_error: Option<OsError>,
}

/// An errno and its text, as in `OSError(errno, strerror)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OsError {
    pub errno: i32,
    pub strerror: String,
}

impl HttpError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            notes: Vec::new(),
            os_error: None,
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
        for note in self.notes {
            value.call_method1("add_note", (note,))?;
        }
        let err = PyErr::from_value(value);
        if let Some(os) = self.os_error {
            // Calling `OSError(errno, strerror)` picks the subclass (ConnectionRefusedError...).
            let cause = pyo3::exceptions::PyOSError::new_err((os.errno, os.strerror));
            err.set_cause(py, Some(cause));
        }
        Ok(err)
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

/// The innermost cause: reqwest and hyper wrap it in "error sending request for url (...)",
/// "client error (Connect)"..., which say where, not why.
fn innermost<'a>(err: &'a (dyn StdError + 'static)) -> &'a (dyn StdError + 'static) {
    let mut current = err;
    while let Some(source) = current.source() {
        current = source;
    }
    current
}

/// The errno of an operating-system error and its text as Python words it (`os.strerror`):
/// Rust's `Display` is the same C `strerror` text followed by " (os error N)".
fn os_error_of(err: &std::io::Error) -> Option<OsError> {
    let errno = err.raw_os_error()?;
    let text = err.to_string();
    let suffix = format!(" (os error {errno})");
    let strerror = text.strip_suffix(&suffix).unwrap_or(&text).to_string();
    Some(OsError { errno, strerror })
}

/// What `str(OSError(errno, strerror))` says, as httpx's message for a socket error does.
fn os_error_message(os: &OsError) -> String {
    format!("[Errno {}] {}", os.errno, os.strerror)
}

/// The short message for a failure whose full account is `chain`, httpx's wording where
/// there is one. `os_error`: an operating-system error found in the chain; `cut_body`: the
/// connection ended before the body its framing announced; `innermost`: the deepest cause.
fn short_message(os_error: Option<&OsError>, cut_body: bool, innermost: &str) -> String {
    if let Some(os) = os_error {
        return os_error_message(os);
    }
    if cut_body {
        // h11's sentence (httpx adds the byte counts, which hyper does not report).
        return "peer closed connection without sending complete message body".to_string();
    }
    // The standard library's prefix for a failed getaddrinfo; Python's socket.gaierror says
    // only the resolver's text (with the EAI code, which Rust's error does not keep).
    let text = innermost
        .strip_prefix("failed to lookup address information: ")
        .unwrap_or(innermost);
    text.to_string()
}

/// A socket error on a connection Python reads or writes itself (an upgraded connection's
/// `network_stream`): `kind` (ReadError / WriteError), in the words `OSError` would use, as
/// httpcore's stream reports the socket's failure; the errno becomes the `OSError` cause.
pub fn from_io(err: &std::io::Error, kind: ErrorKind) -> HttpError {
    let os_error = os_error_of(err);
    let message = match &os_error {
        Some(os) => os_error_message(os),
        None => err.to_string(),
    };
    HttpError {
        os_error,
        ..HttpError::new(kind, message)
    }
}

/// Map a reqwest failure to the httpx class a user would catch, with a message in httpx's
/// words; reqwest's chain becomes a note, an errno the `OSError` cause.
pub fn from_reqwest(err: &reqwest::Error) -> HttpError {
    let chain = error_chain(err);
    let kind = classify_reqwest(err);
    let os_error = find_source::<std::io::Error>(err).and_then(os_error_of);
    let cut_body = (err.is_body() || err.is_decode())
        && find_source::<std::io::Error>(err)
            .is_some_and(|e| e.kind() == std::io::ErrorKind::UnexpectedEof);
    let deepest = innermost(err).to_string();
    let mut message = short_message(os_error.as_ref(), cut_body, deepest.trim());
    let mut notes = Vec::new();
    if let Some((openssl, note)) = find_rustls(err).and_then(tls_message) {
        message = openssl;
        notes.extend(note);
    }
    if kind == ErrorKind::ProxyError && chain.contains("proxy authorization required") {
        // httpx's wording (the proxy's status line); reqwest's tunnel only names it.
        message = "407 Proxy Authentication Required".to_string();
    }
    if message.is_empty() {
        message = chain.clone();
    }
    if message != chain {
        notes.insert(0, chain);
    }
    HttpError {
        kind,
        notes,
        message,
        os_error,
    }
}

/// The rustls error behind a failure. tokio-rustls hands it up inside an `io::Error`, which
/// hyper-rustls wraps in another (`io::Error::other`); an `io::Error`'s `source()` skips what
/// it wraps, hence `get_ref`, as deep as they nest.
fn find_rustls<'a>(err: &'a (dyn StdError + 'static)) -> Option<&'a rustls::Error> {
    let mut current: Option<&(dyn StdError + 'static)> = Some(err);
    while let Some(e) = current {
        let mut inner = e;
        loop {
            if let Some(found) = inner.downcast_ref::<rustls::Error>() {
                return Some(found);
            }
            match inner
                .downcast_ref::<std::io::Error>()
                .and_then(|io| io.get_ref())
            {
                Some(wrapped) => inner = wrapped,
                None => break,
            }
        }
        current = e.source();
    }
    None
}

/// A TLS failure as Python's `ssl` module (OpenSSL 3) words it, which is what httpx shows:
/// `[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: <reason>`, and a note when
/// the verifier has one (see `transport::tls::UnknownIssuer`). OpenSSL's `(_ssl.c:NNNN)`
/// suffix, a place in CPython's source, is left out. None: no counterpart (rustls's words
/// stay). rustls's own account stays in the exception's notes either way.
fn tls_message(err: &rustls::Error) -> Option<(String, Option<String>)> {
    use rustls::{AlertDescription as Alert, CertificateError as Cert, Error as E};
    let verify_failed = |reason: &str| {
        format!("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: {reason}")
    };
    let simple = |text: String| Some((text, None));
    match err {
        E::InvalidCertificate(cert) => {
            // X509_verify_cert_error_string's texts (OpenSSL 3), and CPython's own for a name
            // that does not match (Modules/_ssl.c).
            let reason = match cert {
                Cert::Other(other) => {
                    let Some(why) = other
                        .0
                        .downcast_ref::<crate::transport::tls::UnknownIssuer>()
                    else {
                        return simple(verify_failed(&other.to_string()));
                    };
                    let reason = match why.self_signed {
                        crate::transport::tls::SelfSigned::No => {
                            "unable to get local issuer certificate"
                        }
                        crate::transport::tls::SelfSigned::Leaf => "self-signed certificate",
                        crate::transport::tls::SelfSigned::InChain => {
                            "self-signed certificate in certificate chain"
                        }
                    };
                    return Some((
                        verify_failed(reason),
                        why.note.as_deref().map(str::to_owned),
                    ));
                }
                Cert::UnknownIssuer => "unable to get local issuer certificate".to_owned(),
                Cert::Expired | Cert::ExpiredContext { .. } => "certificate has expired".to_owned(),
                Cert::NotValidYet | Cert::NotValidYetContext { .. } => {
                    "certificate is not yet valid".to_owned()
                }
                Cert::Revoked => "certificate revoked".to_owned(),
                Cert::UnhandledCriticalExtension => "unhandled critical extension".to_owned(),
                Cert::UnknownRevocationStatus => "unable to get certificate CRL".to_owned(),
                Cert::ExpiredRevocationList | Cert::ExpiredRevocationListContext { .. } => {
                    "CRL has expired".to_owned()
                }
                Cert::BadSignature => "certificate signature failure".to_owned(),
                Cert::InvalidPurpose | Cert::InvalidPurposeContext { .. } => {
                    "unsupported certificate purpose".to_owned()
                }
                Cert::ApplicationVerificationFailure => {
                    "application verification failure".to_owned()
                }
                Cert::NotValidForNameContext { expected, .. } => {
                    let name = expected.to_str();
                    match expected {
                        rustls::pki_types::ServerName::IpAddress(_) => {
                            format!("IP address mismatch, certificate is not valid for '{name}'.")
                        }
                        _ => format!("Hostname mismatch, certificate is not valid for '{name}'."),
                    }
                }
                // The name is not known here (rustls gives it since 0.23.18: the variant above).
                Cert::NotValidForName => "Hostname mismatch".to_owned(),
                other => other.to_string(),
            };
            simple(verify_failed(&reason))
        }
        // The first bytes back were not a TLS record: a plain-HTTP server on the port.
        E::InvalidMessage(rustls::InvalidMessage::InvalidContentType) => {
            simple("[SSL: WRONG_VERSION_NUMBER] wrong version number".to_owned())
        }
        // The server refused the handshake: OpenSSL names the alert it received.
        E::AlertReceived(alert) => {
            let (code, text) = match alert {
                Alert::HandshakeFailure => (
                    "SSLV3_ALERT_HANDSHAKE_FAILURE",
                    "sslv3 alert handshake failure",
                ),
                Alert::BadCertificate => {
                    ("SSLV3_ALERT_BAD_CERTIFICATE", "sslv3 alert bad certificate")
                }
                Alert::CertificateUnknown => (
                    "SSLV3_ALERT_CERTIFICATE_UNKNOWN",
                    "sslv3 alert certificate unknown",
                ),
                Alert::UnknownCA => ("TLSV1_ALERT_UNKNOWN_CA", "tlsv1 alert unknown ca"),
                Alert::ProtocolVersion => (
                    "TLSV1_ALERT_PROTOCOL_VERSION",
                    "tlsv1 alert protocol version",
                ),
                Alert::InternalError => {
                    ("TLSV1_ALERT_INTERNAL_ERROR", "tlsv1 alert internal error")
                }
                Alert::AccessDenied => ("TLSV1_ALERT_ACCESS_DENIED", "tlsv1 alert access denied"),
                Alert::DecryptError => ("TLSV1_ALERT_DECRYPT_ERROR", "tlsv1 alert decrypt error"),
                Alert::UnrecognisedName => ("TLSV1_UNRECOGNIZED_NAME", "tlsv1 unrecognized name"),
                Alert::CertificateRequired => (
                    "TLSV13_ALERT_CERTIFICATE_REQUIRED",
                    "tlsv13 alert certificate required",
                ),
                Alert::NoApplicationProtocol => (
                    "TLSV1_ALERT_NO_APPLICATION_PROTOCOL",
                    "tlsv1 alert no application protocol",
                ),
                _ => return None,
            };
            simple(format!("[SSL: {code}] {text}"))
        }
        _ => None,
    }
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
            return HttpError {
                notes: vec![error_chain(err)],
                ..HttpError::new(
                    ErrorKind::RemoteProtocolError,
                    "Server disconnected without sending a response.",
                )
            };
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

    #[test]
    fn os_errors_read_as_python_words_them() {
        let refused = std::io::Error::from_raw_os_error(111);
        let os = os_error_of(&refused).expect("an errno");
        assert_eq!(os.errno, 111);
        assert!(!os.strerror.contains("os error"), "{}", os.strerror);
        assert_eq!(
            short_message(Some(&os), false, "tcp connect error"),
            format!("[Errno 111] {}", os.strerror)
        );
        // No errno: an error the standard library made up itself.
        assert_eq!(os_error_of(&std::io::Error::other("no")), None);
    }

    fn verify_message(err: rustls::CertificateError) -> String {
        tls_message(&rustls::Error::InvalidCertificate(err))
            .expect("a verification failure has OpenSSL's words")
            .0
    }

    #[test]
    fn tls_failures_read_as_openssl_words_them() {
        use crate::transport::tls::{SelfSigned, UnknownIssuer};
        use rustls::pki_types::{ServerName, UnixTime};
        use rustls::CertificateError as Cert;
        let failed = "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: ";
        assert_eq!(
            verify_message(Cert::UnknownIssuer),
            format!("{failed}unable to get local issuer certificate")
        );
        let why = |self_signed, note: Option<&str>| {
            Cert::Other(rustls::OtherError(std::sync::Arc::new(UnknownIssuer {
                self_signed,
                note: note.map(std::sync::Arc::from),
                cause: Cert::UnknownIssuer,
            })))
        };
        assert_eq!(
            verify_message(why(SelfSigned::Leaf, None)),
            format!("{failed}self-signed certificate")
        );
        assert_eq!(
            verify_message(why(SelfSigned::InChain, None)),
            format!("{failed}self-signed certificate in certificate chain")
        );
        let with_note = tls_message(&rustls::Error::InvalidCertificate(why(
            SelfSigned::No,
            Some("hint"),
        )));
        assert_eq!(
            with_note,
            Some((
                format!("{failed}unable to get local issuer certificate"),
                Some("hint".to_owned())
            ))
        );
        let time = UnixTime::since_unix_epoch(std::time::Duration::from_secs(2_000_000));
        let earlier = UnixTime::since_unix_epoch(std::time::Duration::from_secs(1_000_000));
        assert_eq!(
            verify_message(Cert::ExpiredContext {
                time,
                not_after: earlier
            }),
            format!("{failed}certificate has expired")
        );
        assert_eq!(
            verify_message(Cert::NotValidYetContext {
                time: earlier,
                not_before: time
            }),
            format!("{failed}certificate is not yet valid")
        );
        let name = |n: &str| ServerName::try_from(n.to_owned()).expect("a valid name");
        assert_eq!(
            verify_message(Cert::NotValidForNameContext {
                expected: name("localhost"),
                presented: vec!["DnsName(\"other.example\")".into()]
            }),
            format!("{failed}Hostname mismatch, certificate is not valid for 'localhost'.")
        );
        assert_eq!(
            verify_message(Cert::NotValidForNameContext {
                expected: name("127.0.0.1"),
                presented: vec![]
            }),
            format!("{failed}IP address mismatch, certificate is not valid for '127.0.0.1'.")
        );
        // Another verifier's own error: still a verification failure, in its words.
        let other = Cert::Other(rustls::OtherError(std::sync::Arc::new(
            std::io::Error::other("no such thing"),
        )));
        assert_eq!(verify_message(other), format!("{failed}no such thing"));
        assert_eq!(
            tls_message(&rustls::Error::InvalidMessage(
                rustls::InvalidMessage::InvalidContentType
            )),
            Some((
                "[SSL: WRONG_VERSION_NUMBER] wrong version number".to_owned(),
                None
            ))
        );
        assert_eq!(
            tls_message(&rustls::Error::AlertReceived(
                rustls::AlertDescription::HandshakeFailure
            )),
            Some((
                "[SSL: SSLV3_ALERT_HANDSHAKE_FAILURE] sslv3 alert handshake failure".to_owned(),
                None
            ))
        );
        assert_eq!(tls_message(&rustls::Error::HandshakeNotComplete), None);
    }

    #[test]
    fn rustls_errors_are_found_inside_io_errors() {
        let tls = rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer);
        let io = std::io::Error::new(std::io::ErrorKind::InvalidData, tls.clone());
        assert_eq!(find_rustls(&io), Some(&tls));
        // hyper-rustls wraps tokio-rustls's io::Error in another.
        let twice = std::io::Error::other(io);
        assert_eq!(find_rustls(&twice), Some(&tls));
        assert_eq!(find_rustls(&std::io::Error::other("no")), None);
    }

    #[test]
    fn short_messages() {
        assert_eq!(
            short_message(None, false, "invalid HTTP version parsed"),
            "invalid HTTP version parsed"
        );
        assert_eq!(
            short_message(None, true, "end of file before message length reached"),
            "peer closed connection without sending complete message body"
        );
        assert_eq!(
            short_message(
                None,
                false,
                "failed to lookup address information: Name or service not known"
            ),
            "Name or service not known"
        );
        let os = OsError {
            errno: 104,
            strerror: "Connection reset by peer".into(),
        };
        assert_eq!(
            short_message(Some(&os), true, "connection error"),
            "[Errno 104] Connection reset by peer"
        );
    }
}
