//! One request/response exchange over the network with reqwest. Redirects, cookies and auth
//! are not done here (reqwest's are switched off): `client.rs` does them, once for every driver.

use crate::config::duration;
use crate::decoding::ContentDecoder;
use crate::errors::{from_reqwest, ErrorKind, HttpError};
use crate::headers::{bytes_to_string, HeaderList};
use crate::phases::Phase;
use crate::request::{check_headers, PyRequest, RequestBody};
use bytes::Bytes;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

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
        let Ok(Some(t)) = extensions.get_item("timeout") else {
            return Timeouts::default();
        };
        let get = |key: &str| -> Option<Duration> {
            t.get_item(key)
                .ok()
                .and_then(|v| v.extract::<Option<f64>>().ok().flatten())
                .and_then(|v| duration(Some(v.max(0.0))))
        };
        Timeouts {
            connect: get("connect"),
            read: get("read"),
            write: get("write"),
            pool: get("pool"),
        }
    }
}

/// A request converted for reqwest: no Python objects except an iterator body.
pub struct WireRequest {
    pub request: reqwest::Request,
    pub timeouts: Timeouts,
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

/// A Python iterable of bytes as a body stream: each chunk is pulled, under the GIL, when
/// hyper is ready to send it.
fn iterator_body(py: Python<'_>, iterable: &Py<PyAny>) -> PyResult<reqwest::Body> {
    let iterator = iterable.bind(py).try_iter()?.into_any().unbind();
    let stream = futures_util::stream::unfold(Some(iterator), |state| async move {
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
                Err(e) => Err(std::io::Error::other(format!(
                    "request body iterator raised: {e}"
                ))),
            }
        });
        match next {
            Ok(Some(bytes)) => Some((Ok(bytes), Some(iterator))),
            Ok(None) => None,
            Err(e) => Some((Err(e), None)),
        }
    });
    Ok(reqwest::Body::wrap_stream(stream))
}

impl WireRequest {
    /// `body`: the bytes of an async body, collected by the caller on its event loop.
    pub fn build(
        py: Python<'_>,
        request: &PyRequest,
        body: Option<Bytes>,
    ) -> PyResult<Result<WireRequest, HttpError>> {
        if let Err(e) = check_scheme(request) {
            return Ok(Err(e));
        }
        let headers = request.header_list(py);
        if let Err(e) = check_headers(&headers) {
            return Ok(Err(e));
        }
        // Userinfo never goes on the wire (it became Basic auth); neither does the fragment.
        let target = request.url.without_userinfo();
        let mut text = target.as_str().to_owned();
        if let Some(i) = text.find('#') {
            text.truncate(i);
        }
        let url = match url::Url::parse(&text) {
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
            let name = http::HeaderName::from_bytes(h.raw.as_bytes());
            let value = http::HeaderValue::from_bytes(h.value.as_bytes());
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
        *wire.body_mut() = match (&request.body, body) {
            (_, Some(collected)) => Some(reqwest::Body::from(collected)),
            (RequestBody::Bytes(b), None) if b.is_empty() => None,
            (RequestBody::Bytes(b), None) => Some(reqwest::Body::from(b.clone())),
            (RequestBody::Iter(it), None) => {
                if let Err(e) = it.start_sending() {
                    return Ok(Err(e));
                }
                Some(iterator_body(py, &it.obj)?)
            }
            (RequestBody::AsyncIter(_), None) => {
                return Err(crate::errors::internal(
                    "an async request body reached the transport unread",
                ))
            }
        };
        Ok(Ok(WireRequest {
            request: wire,
            timeouts: Timeouts::from_extensions(request.extensions.bind(py)),
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
        body: Vec<u8>,
        raw_len: u64,
    },
    Streaming {
        head: Head,
        resp: reqwest::Response,
        permit: Option<OwnedSemaphorePermit>,
    },
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
    let mut headers = HeaderList::new();
    for (name, value) in resp.headers() {
        let value = match value.to_str() {
            Ok(s) => s.to_owned(),
            Err(_) => bytes_to_string(value.as_bytes()),
        };
        headers.items.push(crate::headers::HeaderItem {
            raw: name.as_str().to_owned(),
            lower: name.as_str().to_owned(),
            value,
        });
    }
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

/// Send `request` and wait for the response head, each phase within its own budget:
/// `connect` while a connection is made (TLS included), then `read` (plus `write` when a
/// body goes out) from the moment the connection is up — or from the start on a pooled one.
async fn until_head(
    http: &reqwest::Client,
    request: reqwest::Request,
    timeouts: &Timeouts,
    has_body: bool,
) -> Result<reqwest::Response, HttpError> {
    let started = tokio::time::Instant::now();
    let (send, mut phases) = crate::phases::tracked(http.execute(request));
    tokio::pin!(send);
    let waiting = |since: tokio::time::Instant| {
        timeouts.read.map(|read| {
            let write = if has_body {
                timeouts.write.unwrap_or_default()
            } else {
                Duration::ZERO
            };
            since + read + write
        })
    };
    loop {
        let phase = *phases.borrow_and_update();
        let (deadline, kind) = match phase {
            Phase::Waiting => (waiting(started), ErrorKind::ReadTimeout),
            Phase::Connecting(t) => (
                timeouts
                    .connect
                    .map(|c| tokio::time::Instant::from_std(t) + c),
                ErrorKind::ConnectTimeout,
            ),
            Phase::Connected(t) => (
                waiting(tokio::time::Instant::from_std(t)),
                ErrorKind::ReadTimeout,
            ),
        };
        let expired = async {
            match deadline {
                Some(d) => tokio::time::sleep_until(d).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            result = &mut send => {
                return result.map_err(|e| crate::errors::from_reqwest_send(&e));
            }
            changed = phases.changed() => {
                if changed.is_err() {
                    // The reporter is gone with the exchange; only the result is left.
                    return send.await.map_err(|e| crate::errors::from_reqwest_send(&e));
                }
            }
            _ = expired => {
                let message = match kind {
                    ErrorKind::ConnectTimeout => "The connect operation timed out",
                    _ => "The read operation timed out",
                };
                return Err(HttpError::new(kind, message));
            }
        }
    }
}

/// Send `wire` and, unless streaming, read and decode the whole body.
pub async fn fetch(
    http: reqwest::Client,
    pool: Option<Arc<Semaphore>>,
    wire: WireRequest,
    read_body: bool,
    retries: usize,
) -> Result<Fetched, HttpError> {
    let timeouts = wire.timeouts;
    // A slot under `max_connections`, waited for within the pool budget. Held by a streamed
    // response until its body is done; released here otherwise.
    let permit = match pool {
        None => None,
        Some(sem) => {
            let acquire = sem.acquire_owned();
            let permit = match timeouts.pool {
                Some(limit) => tokio::time::timeout(limit, acquire).await.map_err(|_| {
                    HttpError::new(
                        ErrorKind::PoolTimeout,
                        "Timed out waiting for a connection from the pool",
                    )
                })?,
                None => acquire.await,
            };
            Some(permit.map_err(|_| {
                HttpError::new(ErrorKind::PoolTimeout, "The connection pool is closed")
            })?)
        }
    };
    // httpx `retries=`: connection failures are retried (httpcore's backoff: 0 s, 0.5 s,
    // 1 s, ...) when the request can be sent again (not a one-shot stream body).
    let has_body = wire.request.body().is_some();
    let asked_upgrade = wire.request.headers().contains_key(http::header::UPGRADE);
    let mut request = wire.request;
    let mut attempt = 0u32;
    let resp = loop {
        let spare = if (attempt as usize) < retries {
            request.try_clone()
        } else {
            None
        };
        let result = until_head(&http, request, &timeouts, has_body).await;
        match (result, spare) {
            (Err(e), Some(next))
                if matches!(e.kind, ErrorKind::ConnectError | ErrorKind::ConnectTimeout) =>
            {
                if attempt > 0 {
                    let delay = 0.5 * f64::from(1u32 << (attempt - 1).min(10));
                    tokio::time::sleep(Duration::from_secs_f64(delay)).await;
                }
                attempt += 1;
                request = next;
            }
            (result, _) => break result?,
        }
    };
    if resp.status() == reqwest::StatusCode::SWITCHING_PROTOCOLS && !asked_upgrade {
        // Stricter than reading it as a response: nothing asked to switch protocols.
        return Err(HttpError::new(
            ErrorKind::RemoteProtocolError,
            "Received 101 Switching Protocols without an upgrade request",
        ));
    }
    let head = head_of(&resp);
    if !read_body {
        return Ok(Fetched::Streaming { head, resp, permit });
    }
    let mut resp = resp;
    let mut raw: Vec<u8> = Vec::new();
    loop {
        let chunk = resp.chunk();
        let next = match timeouts.read {
            Some(limit) => tokio::time::timeout(limit, chunk).await.map_err(|_| {
                HttpError::new(ErrorKind::ReadTimeout, "The read operation timed out")
            })?,
            None => chunk.await,
        }
        .map_err(|e| from_reqwest(&e))?;
        match next {
            Some(bytes) => raw.extend_from_slice(&bytes),
            None => break,
        }
    }
    // Let the finished connection go back to the pool before the slot is freed, so that a
    // request queued for the slot reuses it instead of opening another.
    drop(resp);
    tokio::task::yield_now().await;
    drop(permit);
    let raw_len = raw.len() as u64;
    let body = if head.headers.contains("content-encoding") {
        ContentDecoder::decode_all(&head.headers, &raw)?
    } else {
        raw
    };
    Ok(Fetched::Full {
        head,
        body,
        raw_len,
    })
}
