//! One request/response exchange over the network with reqwest. Redirects, cookies and auth
//! are not done here (reqwest's are switched off): `client/` does them, once for every driver.

use crate::codecs::content::{BoundedBody, ContentDecoder};
use crate::errors::{from_reqwest, ErrorKind, HttpError};
use crate::models::config::duration;
use crate::models::headers::HeaderList;
use crate::models::request::{check_headers, PyRequest, RequestBody};
use crate::models::response::{sized_length, BodyBuffer};
use crate::observe::events::{ConnInfo, Event, EventLog};
use crate::retry::policy::{Decision, Outcome, RetryPolicy};
use crate::transport::header_case::{received_headers, request_spellings};
use crate::transport::http3::{Handshake, Http3, Lent};
use crate::transport::phases::{Phase, ReportingBody};
use crate::transport::pool::ConnPool;
use crate::transport::sized_body::Unread;
use crate::transport::upgrade::UpgradedConn;
use crate::transport::warmup::{FirstConnect, Turn, Warmup};
use bytes::Bytes;
use hyper::ext::HeaderCaseMap;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::OwnedSemaphorePermit;

/// The four httpx budgets for one request (`request.extensions["timeout"]`).
#[derive(Clone, Copy, Debug, Default)]
pub struct Timeouts {
    pub connect: Option<Duration>,
    pub read: Option<Duration>,
    pub write: Option<Duration>,
    pub pool: Option<Duration>,
}

impl Timeouts {
    pub fn from_extensions(extensions: &Bound<'_, PyDict>) -> Timeouts {
        // Interned keys: read for every request.
        let py = extensions.py();
        let Ok(Some(t)) = extensions.get_item(intern!(py, "timeout")) else {
            return Timeouts::default();
        };
        let get = |key: &Bound<'_, pyo3::types::PyString>| -> Option<Duration> {
            t.get_item(key)
                .ok()
                .and_then(|v| v.extract::<Option<f64>>().ok().flatten())
                .and_then(|v| duration(Some(v.max(0.0))))
        };
        Timeouts {
            connect: get(intern!(py, "connect")),
            read: get(intern!(py, "read")),
            write: get(intern!(py, "write")),
            pool: get(intern!(py, "pool")),
        }
    }
}

/// A request converted for reqwest: no Python objects except an iterator body. The body is
/// kept apart and attached for each attempt, wrapped to report upload progress.
pub struct WireRequest {
    pub request: reqwest::Request,
    pub body: WireBody,
    pub timeouts: Timeouts,
    /// The spellings of the header names, for hyper to write them in on HTTP/1 (None when its
    /// title-casing writes them as given: `header_case::request_spellings`).
    pub spellings: Option<HeaderCaseMap>,
    /// What a sync iterator body raised, if it did.
    pub raised: Raised,
    /// `extensions["max_response_size"]`: the bound of the decoded body read here.
    pub max_size: Option<usize>,
    /// The DEBUG records of the exchange, when the `httprs` logger wants them.
    pub events: Option<Arc<EventLog>>,
}

pub enum WireBody {
    Empty,
    /// Can be sent again (a retry).
    Bytes(Bytes),
    /// A Python iterator's stream, or a body an async iterator feeds: one attempt only.
    Stream(reqwest::Body),
}

fn check_scheme(request: &PyRequest) -> Result<(), HttpError> {
    match request.url.scheme_str() {
        "http" | "https" => {}
        "" => {
            return Err(HttpError::new(
                ErrorKind::UnsupportedProtocol,
                "Request URL is missing an 'http://' or 'https://' protocol.",
            ))
        }
        other => {
            return Err(HttpError::new(
                ErrorKind::UnsupportedProtocol,
                format!("Request URL has an unsupported protocol '{other}://'."),
            ))
        }
    }
    if request.url.host_ascii().is_empty() {
        return Err(HttpError::new(
            ErrorKind::UnsupportedProtocol,
            "Request URL is missing a host.",
        ));
    }
    Ok(())
}

/// The exception a Python body iterator raised: raised as it is in place of the transport
/// error it caused (httpx lets it propagate; so does the async path's feeder).
pub type Raised = Arc<std::sync::Mutex<Option<PyErr>>>;

/// A Python iterable of bytes as a body stream: each chunk is pulled, under the GIL, when
/// hyper is ready to send it.
fn iterator_body(py: Python<'_>, iterable: &Py<PyAny>, raised: &Raised) -> PyResult<reqwest::Body> {
    let iterator = iterable.bind(py).try_iter()?.into_any().unbind();
    let raised = raised.clone();
    let stream = futures_util::stream::unfold(Some(iterator), move |state| {
        let raised = raised.clone();
        async move {
            let iterator = state?;
            let next = Python::attach(|py| -> Result<Option<Bytes>, std::io::Error> {
                match iterator.bind(py).call_method0("__next__") {
                    Ok(chunk) => match chunk.cast::<pyo3::types::PyBytes>() {
                        Ok(b) => Ok(Some(Bytes::copy_from_slice(b.as_bytes()))),
                        Err(_) => match chunk.cast::<pyo3::types::PyString>() {
                            Ok(s) => Ok(Some(Bytes::copy_from_slice(
                                s.to_str().map(str::as_bytes).unwrap_or(b""),
                            ))),
                            Err(_) => Err(std::io::Error::other(
                                "request body iterator yielded a non-bytes value",
                            )),
                        },
                    },
                    Err(e) if e.is_instance_of::<pyo3::exceptions::PyStopIteration>(py) => Ok(None),
                    Err(e) => {
                        let message = format!("request body iterator raised: {e}");
                        *crate::exchange::steps::lock(&raised) = Some(e);
                        Err(std::io::Error::other(message))
                    }
                }
            });
            match next {
                Ok(Some(bytes)) => Some((Ok(bytes), Some(iterator))),
                Ok(None) => None,
                Err(e) => Some((Err(e), None)),
            }
        }
    });
    // Fused: `unfold` panics when polled after its end, and a body is not ours to poll.
    Ok(reqwest::Body::wrap_stream(futures_util::StreamExt::fuse(
        stream,
    )))
}

impl WireRequest {
    /// `fed`: the body of an async iterable request body, which the caller feeds from its
    /// event loop (see `upload.rs`).
    pub fn build(
        py: Python<'_>,
        request: &PyRequest,
        fed: Option<reqwest::Body>,
    ) -> PyResult<Result<WireRequest, HttpError>> {
        if let Err(e) = check_scheme(request) {
            return Ok(Err(e));
        }
        // Borrowed, not copied; released before the body's iterator is asked for (Python
        // code that could touch the headers).
        let headers_ref = request.headers.borrow(py);
        let headers = &headers_ref.list;
        if let Err(e) = check_headers(headers) {
            return Ok(Err(e));
        }
        // Userinfo never goes on the wire (it became Basic auth); neither does the fragment.
        let target = request.url.without_userinfo();
        let mut text = target.as_str().to_owned();
        if let Some(i) = text.find('#') {
            text.truncate(i);
        }
        let url = match crate::transport::wire_url::wire_url(&text) {
            Ok(u) => u,
            Err(e) => {
                return Ok(Err(HttpError::new(
                    ErrorKind::LocalProtocolError,
                    format!("Invalid URL {text:?}: {e}"),
                )))
            }
        };
        let method = match reqwest::Method::from_bytes(request.method.as_bytes()) {
            Ok(m) => m,
            Err(_) => {
                return Ok(Err(HttpError::new(
                    ErrorKind::LocalProtocolError,
                    format!("Invalid method {:?}", request.method),
                )))
            }
        };
        let mut wire = reqwest::Request::new(method, url);
        let map = wire.headers_mut();
        for h in &headers.items {
            let name = http::HeaderName::from_bytes(&h.name_bytes());
            // The value's bytes shared with our list, not copied (text that stands for
            // non-UTF-8 bytes is encoded back to them).
            let value = if h.value_latin1 {
                http::HeaderValue::from_bytes(&h.value_bytes())
            } else {
                http::HeaderValue::from_maybe_shared(h.value.as_bytes_shared().clone())
            };
            match (name, value) {
                (Ok(n), Ok(v)) => {
                    map.append(n, v);
                }
                _ => {
                    return Ok(Err(HttpError::new(
                        ErrorKind::LocalProtocolError,
                        format!("Illegal header {:?}: {:?}", h.raw, h.value),
                    )))
                }
            }
        }
        let spellings = request_spellings(headers);
        drop(headers_ref);
        let raised = Raised::default();
        let body = match (&request.body, fed) {
            (_, Some(fed)) => WireBody::Stream(fed),
            (RequestBody::Bytes(b), None) if b.is_empty() => WireBody::Empty,
            (RequestBody::Bytes(b), None) => WireBody::Bytes(b.clone()),
            (RequestBody::Iter(it), None) => {
                if let Err(e) = it.start_sending() {
                    return Ok(Err(e));
                }
                WireBody::Stream(iterator_body(py, &it.obj, &raised)?)
            }
            (RequestBody::AsyncIter(_), None) => {
                return Err(crate::errors::internal(
                    "an async request body reached the transport without its feeder",
                ))
            }
        };
        Ok(Ok(WireRequest {
            request: wire,
            body,
            timeouts: Timeouts::from_extensions(request.extensions.bind(py)),
            spellings,
            raised,
            max_size: crate::models::size_limit::from_extensions(request.extensions.bind(py))?,
            events: None,
        }))
    }
}

/// Status line and headers of a response.
pub struct Head {
    pub status: u16,
    pub version: &'static str,
    pub reason: Option<String>,
    pub headers: HeaderList,
}

pub enum Fetched {
    /// Body read and decoded inside the task (the non-streaming path: one wait per request).
    Full {
        head: Head,
        body: BodyBuffer,
        raw_len: u64,
    },
    /// The head of a large body of known length, to be read into a `bytes` object the
    /// pipeline makes at that size (`transport::sized_body`): one wait more.
    Sized(Unread),
    Streaming {
        head: Head,
        resp: reqwest::Response,
        /// Its place under `max_connections`, held until the body is read or closed.
        permit: Option<OwnedSemaphorePermit>,
    },
    /// A streamed `101 Switching Protocols` (or successful `CONNECT`): the connection is the
    /// caller's now (`transport::upgrade`).
    Upgraded { head: Head, conn: Arc<UpgradedConn> },
}

fn version_str(v: reqwest::Version) -> &'static str {
    match v {
        reqwest::Version::HTTP_09 => "HTTP/0.9",
        reqwest::Version::HTTP_10 => "HTTP/1.0",
        reqwest::Version::HTTP_2 => "HTTP/2",
        reqwest::Version::HTTP_3 => "HTTP/3",
        _ => "HTTP/1.1",
    }
}

fn head_of(resp: &reqwest::Response) -> Head {
    let headers = received_headers(resp.headers(), resp.extensions());
    let status = resp.status();
    let reason = resp
        .extensions()
        .get::<hyper::ext::ReasonPhrase>()
        .map(|r| String::from_utf8_lossy(r.as_bytes()).into_owned())
        .or_else(|| status.canonical_reason().map(str::to_owned));
    Head {
        status: status.as_u16(),
        version: version_str(resp.version()),
        reason,
        headers,
    }
}

/// Send `request` with `body` and wait for the response head, each phase within its own
/// budget: `pool` while queued for a connection (`transport::pool`); `connect` while one is
/// made (TLS included); `write` while the body goes out, from the last time hyper took a
/// piece of it; then `read` until the head arrives. With `h3`, over HTTP/3 (the QUIC
/// handshake is the connect phase, watched by the `Handshake`).
#[allow(clippy::too_many_arguments)]
async fn until_head(
    http: &reqwest::Client,
    mut request: reqwest::Request,
    body: WireBody,
    spellings: Option<&HeaderCaseMap>,
    timeouts: &Timeouts,
    first: &mut Option<FirstConnect>,
    events: Option<&Arc<EventLog>>,
    h3: Option<(&Http3, &Handshake)>,
) -> Result<reqwest::Response, HttpError> {
    let started = tokio::time::Instant::now();
    let (reporter, phases) = crate::transport::phases::reporter();
    let has_body = match body {
        WireBody::Empty => false,
        // Nothing to send: hyper never polls it, so it reports nothing.
        WireBody::Bytes(b) if b.is_empty() => {
            *request.body_mut() = Some(reqwest::Body::from(b));
            false
        }
        WireBody::Bytes(b) => {
            *request.body_mut() = Some(ReportingBody::bytes(b, reporter.clone()));
            true
        }
        WireBody::Stream(s) => {
            *request.body_mut() = Some(ReportingBody::stream(s, reporter.clone()));
            true
        }
    };
    // What hyper reads from the request's extensions (our reqwest patch hands them on): the
    // interim-response watch, and the spellings of the header names.
    crate::transport::phases::watch_interim(&mut request, reporter.clone());
    if let Some(spellings) = spellings {
        request.extensions_mut().insert(spellings.clone());
    }
    // An upload's connection is aborted if the exchange is dropped before the head comes.
    let watch = has_body.then(|| crate::transport::pool::UploadWatch::attach(&mut request));
    let http = match h3 {
        // `serves` made the client: never None here.
        Some((h3, handshake)) => h3
            .prepare(&mut request, reporter.clone(), handshake)
            .unwrap_or(http),
        None => http,
    };
    let tracking = crate::transport::phases::Tracking {
        phases: reporter,
        events: events.cloned(),
    };
    let send = crate::transport::phases::tracked(http.execute(request), tracking);
    let head = head_within_budgets(send, phases, has_body, started, timeouts, first).await;
    if let (Ok(_), Some(watch)) = (&head, watch) {
        watch.done();
    }
    head
}

/// Wait for `send` (the exchange) to give the response head, each phase within its budget
/// (see `until_head`).
async fn head_within_budgets(
    send: impl Future<Output = Result<reqwest::Response, reqwest::Error>>,
    mut phases: tokio::sync::watch::Receiver<Phase>,
    has_body: bool,
    started: tokio::time::Instant,
    timeouts: &Timeouts,
    first: &mut Option<FirstConnect>,
) -> Result<reqwest::Response, HttpError> {
    tokio::pin!(send);
    let after = |budget: Option<Duration>, since: tokio::time::Instant| budget.map(|b| since + b);
    // Before the body is taken, and while it goes, the clock is the write budget's.
    let idle = |since: tokio::time::Instant| {
        if has_body {
            (after(timeouts.write, since), ErrorKind::WriteTimeout)
        } else {
            (after(timeouts.read, since), ErrorKind::ReadTimeout)
        }
    };
    loop {
        let phase = *phases.borrow_and_update();
        if let (
            Some(f),
            Phase::Connected(_) | Phase::Sending(_) | Phase::Producing | Phase::Sent(_),
        ) = (first.as_mut(), phase)
        {
            // Observed after the poll that connected returned: the connection is pooled.
            f.connected();
        }
        let at = |t: std::time::Instant| tokio::time::Instant::from_std(t);
        let (deadline, kind) = match phase {
            Phase::Waiting => idle(started),
            Phase::Queued(t) => (after(timeouts.pool, at(t)), ErrorKind::PoolTimeout),
            Phase::Connecting(t) => (after(timeouts.connect, at(t)), ErrorKind::ConnectTimeout),
            Phase::Connected(t) => idle(at(t)),
            Phase::Sending(t) => (after(timeouts.write, at(t)), ErrorKind::WriteTimeout),
            Phase::Producing => (None, ErrorKind::WriteTimeout),
            Phase::Sent(t) | Phase::Abandoned(t) | Phase::Interim(t) => {
                (after(timeouts.read, at(t)), ErrorKind::ReadTimeout)
            }
            Phase::InterimFlood => {
                return Err(HttpError::new(
                    ErrorKind::RemoteProtocolError,
                    format!(
                        "Received more than {} interim (1xx) responses before the final one",
                        crate::transport::phases::MAX_INTERIM
                    ),
                ))
            }
        };
        let expired = async {
            match deadline {
                Some(d) => tokio::time::sleep_until(d).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            result = &mut send => {
                if let (Some(f), Ok(_)) = (first.as_mut(), &result) {
                    f.connected();
                }
                if *phases.borrow() == Phase::InterimFlood {
                    // The final response came in the same read as the flood's end.
                    continue;
                }
                let response = result.map_err(|e| crate::errors::from_reqwest_send(&e))?;
                if !has_body {
                    return Ok(response);
                }
                return body_written(response, &mut phases, timeouts.write).await;
            }
            changed = phases.changed() => {
                if changed.is_err() {
                    // The reporter is gone with the exchange; only the result is left.
                    return send.await.map_err(|e| crate::errors::from_reqwest_send(&e));
                }
            }
            _ = expired => {
                let message = match kind {
                    ErrorKind::PoolTimeout => crate::transport::pool::POOL_TIMEOUT,
                    ErrorKind::ConnectTimeout => "The connect operation timed out",
                    ErrorKind::WriteTimeout => "The write operation timed out",
                    _ => "The read operation timed out",
                };
                return Err(HttpError::new(kind, message));
            }
        }
    }
}

/// hyper hands over a response head that comes while the body is still going out (a server
/// that answers before reading it). httpx (httpcore) reads the response only once the body is
/// written, so a server that answers at once but stops reading gives `WriteTimeout`: so the
/// response waits here until the body is all handed over, or hyper gave up on it (the
/// connection stopped writing; httpcore too reads the response after such a write error),
/// within the write budget.
async fn body_written(
    response: reqwest::Response,
    phases: &mut tokio::sync::watch::Receiver<Phase>,
    write: Option<Duration>,
) -> Result<reqwest::Response, HttpError> {
    loop {
        let since = match *phases.borrow_and_update() {
            Phase::Connected(t) | Phase::Sending(t) => Some(tokio::time::Instant::from_std(t)),
            // Not yet asked for a piece: the budget starts now.
            Phase::Waiting | Phase::Queued(_) | Phase::Connecting(_) => {
                Some(tokio::time::Instant::now())
            }
            // The body's producer is at work: no budget runs (see `Phase::Producing`).
            Phase::Producing => None,
            Phase::Sent(_) | Phase::Abandoned(_) | Phase::Interim(_) | Phase::InterimFlood => {
                return Ok(response)
            }
        };
        let expired = async {
            match (write, since) {
                (Some(budget), Some(since)) => tokio::time::sleep_until(since + budget).await,
                _ => std::future::pending().await,
            }
        };
        tokio::select! {
            changed = phases.changed() => {
                if changed.is_err() {
                    // Every reporter is gone, the body with them.
                    return Ok(response);
                }
            }
            _ = expired => {
                return Err(HttpError::new(
                    ErrorKind::WriteTimeout,
                    "The write operation timed out",
                ));
            }
        }
    }
}

/// Why an attempt is retried, for its DEBUG record.
fn retry_reason(result: &Result<reqwest::Response, HttpError>) -> String {
    match result {
        Ok(resp) => format!(
            "{} {} {}",
            version_str(resp.version()),
            resp.status().as_u16(),
            resp.status().canonical_reason().unwrap_or("")
        ),
        Err(e) => e.to_string(),
    }
}

/// Read what is left of a response that is retried, so that its connection can serve the
/// retry: at most 64 KiB, within the read budget; a longer or slower body is dropped, and
/// its connection with it.
async fn discard(mut resp: reqwest::Response, read: Option<Duration>) {
    const MOST: usize = 64 * 1024;
    let reading = async move {
        let mut seen = 0;
        while let Ok(Some(chunk)) = resp.chunk().await {
            seen += chunk.len();
            if seen > MOST {
                return;
            }
        }
        // Read to its end: the connection goes back to hyper's pool, idle, for the retry.
        crate::transport::pool::released(&resp);
    };
    match read {
        Some(limit) => {
            let _ = tokio::time::timeout(limit, reading).await;
        }
        None => reading.await,
    }
}

/// Let the runtime catch up before this exchange takes a connection from the pool: a
/// connection the server closed is only dropped from the pool once its task has seen the
/// close, and the connection the previous request used goes back to the pool from a task of
/// its own. Two yields let those tasks run first: the first has the runtime poll the sockets
/// and queue them, the second lets them run. This matters for the sync driver, whose runtime
/// nobody drives between calls (it reused connections the server had closed); the async
/// runtime's workers usually got there already.
///
/// Not on a thread that drives its runtime without pause (the sync runtime's helper, while
/// threads share a client: `exchange/runtime.rs`): there the sockets are polled between
/// tasks anyway, and each yield cost a trip through the scheduler and an `epoll_wait`
/// (0.9 per request with 8 threads, against 0.3 for pyreqwest's runtime thread).
async fn catch_up() {
    if DRIVEN_WITHOUT_PAUSE.get() {
        return;
    }
    tokio::task::yield_now().await;
    tokio::task::yield_now().await;
}

thread_local! {
    /// This thread drives its runtime without pause (see `catch_up`).
    static DRIVEN_WITHOUT_PAUSE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Mark the calling thread as one that drives its runtime without pause, for as long as it
/// lives: exchanges polled on it skip `catch_up`.
pub fn drives_without_pause() {
    DRIVEN_WITHOUT_PAUSE.set(true);
}

/// Wait for this request's turn to connect to a cold origin (see `warmup.rs`). Returns the
/// duty to report the connection when this request is the first. A wait longer than the
/// connect budget gives up waiting and connects on its own.
async fn take_turn(
    warmup: &Arc<Warmup>,
    url: &url::Url,
    connect: Option<Duration>,
) -> Option<FirstConnect> {
    let origin = format!(
        "{}://{}:{}",
        url.scheme(),
        url.host_str().unwrap_or_default(),
        url.port_or_known_default().unwrap_or_default()
    );
    loop {
        match warmup.turn(&origin) {
            Turn::Go => return None,
            Turn::First(first) => return Some(first),
            Turn::Wait(notified) => match connect {
                Some(limit) => tokio::time::timeout(limit, notified).await.ok()?,
                None => notified.await,
            },
        }
    }
}

/// Send `request` over HTTP/3; if the QUIC handshake fails (no answer within the connect
/// budget, refused), over TCP instead, and the origin over TCP for a while
/// (`transport::http3`). Nothing went out on a connection that never came up: sending again
/// is safe for any method, and the body (lent to the first attempt) was not read.
#[allow(clippy::too_many_arguments)]
async fn over_h3(
    h3: &Http3,
    http: &reqwest::Client,
    request: reqwest::Request,
    body: WireBody,
    spellings: Option<&HeaderCaseMap>,
    timeouts: &Timeouts,
    first: &mut Option<FirstConnect>,
    events: Option<&Arc<EventLog>>,
) -> Result<reqwest::Response, HttpError> {
    // A request without its body always clones.
    let again = request.try_clone();
    let (sent, kept) = match body {
        WireBody::Empty => (WireBody::Empty, Kept::Body(WireBody::Empty)),
        WireBody::Bytes(b) => (WireBody::Bytes(b.clone()), Kept::Body(WireBody::Bytes(b))),
        WireBody::Stream(s) => {
            let (lent, lender) = Lent::lend(s);
            (WireBody::Stream(lent), Kept::Lent(lender))
        }
    };
    let url = request.url().clone();
    let handshake = Handshake::default();
    let result = until_head(
        http,
        request,
        sent,
        spellings,
        timeouts,
        &mut None,
        events,
        Some((h3, &handshake)),
    )
    .await;
    let Err(e) = result else { return result };
    if !handshake.failed() {
        return Err(e);
    }
    h3.mark_broken(&url);
    let body = match kept {
        Kept::Body(body) => Some(body),
        Kept::Lent(lender) => lender.take_back().map(WireBody::Stream),
    };
    match (again, body) {
        (Some(request), Some(body)) => {
            until_head(
                http, request, body, spellings, timeouts, first, events, None,
            )
            .await
        }
        _ => Err(e),
    }
}

/// The body of a request sent over HTTP/3, kept for the TCP attempt.
enum Kept {
    Body(WireBody),
    Lent(crate::transport::http3::Lender),
}

/// Send `wire` and, unless streaming, read and decode the whole body. `retry` says which
/// failed attempts go again (`retry::policy`); the waits between them are part of this
/// future, so the driver waits them as it waits the network: the GIL released, the event
/// loop free.
pub async fn fetch(
    http: reqwest::Client,
    pool: Arc<ConnPool>,
    wire: WireRequest,
    read_body: bool,
    retry: Option<Arc<RetryPolicy>>,
    warmup: Option<Arc<Warmup>>,
    h3: Option<Arc<Http3>>,
) -> Result<Fetched, HttpError> {
    let timeouts = wire.timeouts;
    catch_up().await;
    // A place under `max_connections`, waited for within the pool budget. Held by a streamed
    // response until its body is done or closed; released here otherwise.
    let permit = pool.enter(timeouts.pool).await?;
    let mut first = match warmup {
        Some(w) if wire.request.url().scheme() == "https" => {
            take_turn(&w, wire.request.url(), timeouts.connect).await
        }
        _ => None,
    };
    let asked_upgrade = wire.request.headers().contains_key(http::header::UPGRADE);
    let is_connect = wire.request.method() == reqwest::Method::CONNECT;
    let events = wire.events.as_ref();
    let (mut request, mut body) = (wire.request, wire.body);
    let spellings = wire.spellings.as_ref();
    let mut done = 0u32;
    let resp = loop {
        // A copy for the next attempt, when there may be one. The request has no body
        // attached, so it always clones; a one-shot stream body is never sent twice.
        let spare = match (&retry, &body) {
            (Some(p), WireBody::Empty) if p.has_retries_left(done) => {
                request.try_clone().map(|r| (r, WireBody::Empty))
            }
            (Some(p), WireBody::Bytes(b)) if p.has_retries_left(done) => {
                request.try_clone().map(|r| (r, WireBody::Bytes(b.clone())))
            }
            _ => None,
        };
        let method = spare.as_ref().map(|(r, _)| r.method().clone());
        let result = match h3.as_deref().filter(|h3| h3.serves(request.url())) {
            Some(h3) => {
                over_h3(
                    h3, &http, request, body, spellings, &timeouts, &mut first, events,
                )
                .await
            }
            None => {
                until_head(
                    &http, request, body, spellings, &timeouts, &mut first, events, None,
                )
                .await
            }
        };
        if let (Some(events), Ok(resp)) = (events, &result) {
            let conn = ConnInfo::from_extensions(resp.extensions());
            events.response_over(conn, version_str(resp.version()));
        }
        if let (Some(h3), Ok(resp)) = (&h3, &result) {
            if resp.version() != reqwest::Version::HTTP_3 {
                // Where the origin says it serves HTTP/3 (`Alt-Svc`), for its next requests.
                h3.learn(resp);
            }
        }
        let (Some(policy), Some(next), Some(method)) = (&retry, spare, method) else {
            break result?;
        };
        let outcome = match &result {
            Err(e) => Outcome::Failed(e.kind),
            Ok(resp) => Outcome::Answered {
                status: resp.status().as_u16(),
                retry_after: resp
                    .headers()
                    .get(http::header::RETRY_AFTER)
                    .and_then(|v| v.to_str().ok()),
            },
        };
        let decision = policy.decide(
            done,
            method.as_str(),
            outcome,
            std::time::SystemTime::now(),
            fastrand::f64(),
        );
        let Decision::RetryAfter(delay) = decision else {
            break result?;
        };
        done += 1;
        if let Some(events) = events {
            events.emit(Event::Retrying {
                retry: done,
                total: policy.total,
                delay,
                reason: &retry_reason(&result),
            });
        }
        if let Ok(resp) = result {
            discard(resp, timeouts.read).await;
        }
        if !delay.is_zero() {
            tokio::time::sleep(delay).await;
        }
        (request, body) = next;
    };
    if resp.status() == reqwest::StatusCode::SWITCHING_PROTOCOLS && !asked_upgrade {
        // Stricter than reading it as a response: nothing asked to switch protocols.
        return Err(HttpError::new(
            ErrorKind::RemoteProtocolError,
            "Received 101 Switching Protocols without an upgrade request",
        ));
    }
    let head = head_of(&resp);
    // httpcore hands the connection over after these two answers; hyper does the same.
    // Read whole (not streamed), the response closes it at once, as httpx's does: left to hyper.
    let switched = resp.status() == reqwest::StatusCode::SWITCHING_PROTOCOLS
        || (is_connect && resp.status().is_success());
    if switched && !read_body {
        let info = ConnInfo::from_extensions(resp.extensions());
        let io = resp.upgrade().await.map_err(|e| from_reqwest(&e))?;
        return Ok(Fetched::Upgraded {
            head,
            conn: UpgradedConn::new(io, permit, info),
        });
    }
    if !read_body {
        return Ok(Fetched::Streaming { head, resp, permit });
    }
    if let Some(len) = sized_length(&resp, &head.headers, wire.max_size) {
        return Ok(Fetched::Sized(Unread {
            head,
            resp,
            permit,
            len,
            read_timeout: timeouts.read,
            max_size: wire.max_size,
        }));
    }
    let mut resp = resp;
    let mut raw: Vec<u8> = Vec::new();
    // With a bound, the body is decoded as it arrives and refused once past it.
    let mut bounded = wire
        .max_size
        .map(|max| BoundedBody::new(&head.headers, max));
    let mut raw_len = 0u64;
    loop {
        let next = next_chunk(&mut resp, timeouts.read).await?;
        match (next, bounded.as_mut()) {
            (Some(bytes), Some(bounded)) => {
                raw_len += bytes.len() as u64;
                bounded.push(&bytes)?;
            }
            (Some(bytes), None) => raw.extend_from_slice(&bytes),
            (None, _) => break,
        }
    }
    // Its connection goes back to hyper's pool, idle (a request waiting for one gets it).
    crate::transport::pool::released(&resp);
    drop(resp);
    drop(permit);
    let (body, raw_len) = match bounded {
        Some(bounded) => (bounded.finish()?, raw_len),
        None => {
            let raw_len = raw.len() as u64;
            (decode_whole(&head, raw)?, raw_len)
        }
    };
    Ok(Fetched::Full {
        head,
        body: BodyBuffer::Growing(body),
        raw_len,
    })
}

/// The next chunk of a response's body (None at its end), waited for within `read`.
pub async fn next_chunk(
    resp: &mut reqwest::Response,
    read: Option<Duration>,
) -> Result<Option<Bytes>, HttpError> {
    let chunk = resp.chunk();
    match read {
        Some(limit) => tokio::time::timeout(limit, chunk)
            .await
            .map_err(|_| HttpError::new(ErrorKind::ReadTimeout, "The read operation timed out"))?,
        None => chunk.await,
    }
    .map_err(|e| from_reqwest(&e))
}

fn decode_whole(head: &Head, raw: Vec<u8>) -> Result<Vec<u8>, HttpError> {
    Ok(if head.headers.contains("content-encoding") {
        ContentDecoder::decode_all(&head.headers, &raw)?
    } else {
        raw
    })
}
