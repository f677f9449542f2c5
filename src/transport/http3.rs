//! HTTP/3 (QUIC), opt-in with `http3=True`: a second reqwest client that speaks HTTP/3 only
//! (reqwest's `http3` feature, quinn), beside the TCP one. An `https` request goes over
//! QUIC, to the URL's port or the one its origin's `Alt-Svc` named (`learn`), unless that
//! endpoint's handshake failed lately; a request whose handshake fails (no answer on UDP
//! within the connect budget, a refused handshake) is sent again over TCP (HTTP/2 or
//! HTTP/1.1, as the transport's `http1`/`http2` say), and the endpoint is left alone for
//! `BROKEN_FOR`. Nothing was sent on a connection that never came up, so sending
//! the request again is safe, whatever its method; a streamed body was not read yet either
//! (`Lent`).
//!
//! The TLS configuration is the TCP one (`tls::client_config`: trust store, hostname check,
//! client certificate), with ALPN `h3` (reqwest sets it). QUIC is TLS 1.3 only: an
//! SSLContext capped at TLS 1.2 leaves HTTP/3 off (`Http3::build` returns None).
//!
//! The phases of the exchange are the TCP ones (`phases`): reqwest tells the request when it
//! waits for a QUIC connection and when it has one (`reqwest::H3ConnectWatch`, our patch,
//! vendor/README.md), which gives the handshake the `connect` budget.

use crate::transport::network::NetworkOptions;
use crate::transport::phases::{Phase, Reporter};
use std::collections::HashMap;
use std::pin::Pin;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

/// How long an origin whose QUIC handshake failed is sent over TCP (Chrome's first
/// back-off is five minutes too): a network that drops UDP costs one connect budget per
/// origin in that time, not one per request.
const BROKEN_FOR: Duration = Duration::from_secs(300);

/// The HTTP/3 side of a network transport.
pub struct Http3 {
    /// What the client is built from, on first use.
    builder: Mutex<Option<reqwest::ClientBuilder>>,
    /// Made on the first request, on its runtime: quinn's endpoint (its UDP socket and the
    /// task that drives it) belongs to the runtime it is made on, and a client is made
    /// outside any (the sync and async clients each have their own). None: no UDP socket.
    client: OnceLock<Option<reqwest::Client>>,
    broken: BrokenOrigins,
    /// Origins (`host:port`) whose `Alt-Svc` named another port for HTTP/3, and until when.
    moved: Mutex<HashMap<String, (u16, Instant)>>,
}

/// Origins (`host:port`) whose handshake failed, and until when they go over TCP.
#[derive(Default)]
struct BrokenOrigins(Mutex<HashMap<String, Instant>>);

impl BrokenOrigins {
    fn has(&self, endpoint: &str) -> bool {
        let mut broken = crate::exchange::steps::lock(&self.0);
        match broken.get(endpoint) {
            Some(until) if *until > Instant::now() => true,
            Some(_) => {
                broken.remove(endpoint);
                false
            }
            None => false,
        }
    }

    fn mark(&self, endpoint: String) {
        crate::exchange::steps::lock(&self.0).insert(endpoint, Instant::now() + BROKEN_FOR);
    }
}

impl Http3 {
    /// The HTTP/3 side for `options`, or None where HTTP/3 cannot apply: `uds=` (a Unix
    /// socket carries no UDP), a proxy (a proxy is a TCP tunnel; reqwest's HTTP/3 ignores
    /// proxies, so the request goes through the proxy over TCP instead), or TLS 1.3
    /// excluded. Without a UDP socket to be had, every request goes over TCP, as when UDP is
    /// blocked (`client`).
    pub fn build(options: &NetworkOptions) -> pyo3::PyResult<Option<Arc<Http3>>> {
        if !options.http3 || options.uds.is_some() || proxied(options) {
            return Ok(None);
        }
        if options
            .tls_versions
            .1
            .is_some_and(|max| max < reqwest::tls::Version::TLS_1_3)
        {
            return Ok(None);
        }
        let tls = crate::transport::tls::client_config(options)?;
        let builder = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .default_headers(http::HeaderMap::new())
            .no_proxy()
            .local_address(options.local_address)
            .tls_backend_preconfigured(tls)
            .pool_idle_timeout(crate::models::config::duration(
                options.limits.keepalive_expiry,
            ))
            .http3_prior_knowledge();
        Ok(Some(Arc::new(Http3 {
            builder: Mutex::new(Some(builder)),
            client: OnceLock::new(),
            broken: BrokenOrigins::default(),
            moved: Mutex::new(HashMap::new()),
        })))
    }

    /// The client, made on first use (inside the runtime of the request that asks).
    fn client(&self) -> Option<&reqwest::Client> {
        self.client
            .get_or_init(|| {
                let builder = crate::exchange::steps::lock(&self.builder).take()?;
                builder.build().ok()
            })
            .as_ref()
    }

    /// Whether `url` goes over HTTP/3: `https`, its origin's handshake did not fail lately,
    /// and there is a QUIC endpoint.
    pub fn serves(&self, url: &url::Url) -> bool {
        url.scheme() == "https"
            && !self.broken.has(&endpoint(url, self.port_for(url)))
            && self.client().is_some()
    }

    /// The handshake to `url`'s QUIC endpoint failed: TCP for a while.
    pub fn mark_broken(&self, url: &url::Url) {
        self.broken.mark(endpoint(url, self.port_for(url)));
    }

    /// The UDP port of `url`'s HTTP/3 endpoint: its own, unless its origin's `Alt-Svc`
    /// named another.
    fn port_for(&self, url: &url::Url) -> u16 {
        let own = url.port_or_known_default().unwrap_or(443);
        let mut moved = crate::exchange::steps::lock(&self.moved);
        let key = endpoint(url, own);
        match moved.get(&key) {
            Some((port, until)) if *until > Instant::now() => *port,
            Some(_) => {
                moved.remove(&key);
                own
            }
            None => own,
        }
    }

    /// What a response that came over TCP says of HTTP/3 at its origin (`Alt-Svc`,
    /// RFC 7838): another port (remembered for its `ma`), or `clear`.
    pub fn learn(&self, response: &reqwest::Response) {
        let url = response.url();
        if url.scheme() != "https" {
            return;
        }
        let values = response
            .headers()
            .get_all(http::header::ALT_SVC)
            .iter()
            .filter_map(|v| v.to_str().ok());
        let own = url.port_or_known_default().unwrap_or(443);
        let key = endpoint(url, own);
        let mut moved = crate::exchange::steps::lock(&self.moved);
        match alt_svc_h3(values, url.host_str().unwrap_or_default()) {
            Some(AltSvc::Clear) => {
                moved.remove(&key);
            }
            Some(AltSvc::H3 { port, max_age }) if port != own => {
                moved.insert(key, (port, Instant::now() + max_age));
            }
            Some(AltSvc::H3 { .. }) => {
                moved.remove(&key);
            }
            None => {}
        }
    }

    /// `request` made an HTTP/3 request for this client, its connection's progress reported
    /// to `reporter` (the `connect` budget) and to `handshake` (whether a failure was the
    /// handshake's).
    pub fn prepare(
        &self,
        request: &mut reqwest::Request,
        reporter: Reporter,
        handshake: &Handshake,
    ) -> Option<&reqwest::Client> {
        *request.version_mut() = reqwest::Version::HTTP_3;
        drop_connection_headers(request.headers_mut());
        let port = self.port_for(request.url());
        if Some(port) != request.url().port_or_known_default() {
            // reqwest's HTTP/3 goes to the URL's port: the one `Alt-Svc` named.
            let _ = request.url_mut().set_port(Some(port));
        }
        let state = handshake.0.clone();
        let watch = move |connected: bool| {
            if connected {
                state.store(CONNECTED, Ordering::Release);
                crate::transport::phases::connected(&reporter);
            } else {
                state.store(CONNECTING, Ordering::Release);
                reporter.send_replace(Phase::Connecting(Instant::now()));
            }
        };
        request
            .extensions_mut()
            .insert(reqwest::H3ConnectWatch(Arc::new(watch)));
        self.client()
    }
}

/// HTTP/3 has no connection-specific header fields (RFC 9114 section 4.2: a message with
/// one is malformed, and servers refuse it), and a request's `Host` is its `:authority`
/// (section 4.3.1), which the URL gives: httpx's defaults (`Connection: keep-alive`, `Host`)
/// are HTTP/1's. hyper drops them for HTTP/2 itself; the h3 crate does not.
fn drop_connection_headers(headers: &mut http::HeaderMap) {
    use http::header;
    for name in [
        header::CONNECTION,
        header::TRANSFER_ENCODING,
        header::UPGRADE,
        header::HOST,
        header::HeaderName::from_static("keep-alive"),
        header::HeaderName::from_static("proxy-connection"),
    ] {
        headers.remove(name);
    }
    // `TE` is allowed with the one value "trailers".
    if headers
        .get(header::TE)
        .is_some_and(|v| !v.as_bytes().eq_ignore_ascii_case(b"trailers"))
    {
        headers.remove(header::TE);
    }
}

fn endpoint(url: &url::Url, port: u16) -> String {
    format!("{}:{port}", url.host_str().unwrap_or_default())
}

/// What an origin's `Alt-Svc` says of HTTP/3.
#[derive(Debug, PartialEq, Eq)]
enum AltSvc {
    /// `clear`: forget what it said before.
    Clear,
    /// `h3=":port"` (or `h3="host:port"` with the origin's own host), for `ma` seconds
    /// (24 hours by default).
    H3 { port: u16, max_age: Duration },
}

/// The first `h3` alternative of `Alt-Svc` header values on the origin's own host (another
/// host would need its certificate checked for this origin: not followed), or `clear`.
fn alt_svc_h3<'a>(values: impl Iterator<Item = &'a str>, host: &str) -> Option<AltSvc> {
    for value in values {
        for entry in value.split(',') {
            let mut params = entry.split(';').map(str::trim);
            let first = params.next().unwrap_or_default();
            if first.eq_ignore_ascii_case("clear") {
                return Some(AltSvc::Clear);
            }
            let Some((protocol, authority)) = first.split_once('=') else {
                continue;
            };
            if protocol.trim() != "h3" {
                continue;
            }
            let authority = authority.trim().trim_matches('"');
            let Some((alt_host, port)) = authority.rsplit_once(':') else {
                continue;
            };
            let alt_host = alt_host.trim_start_matches('[').trim_end_matches(']');
            let bare = host.trim_start_matches('[').trim_end_matches(']');
            if !alt_host.is_empty() && !alt_host.eq_ignore_ascii_case(bare) {
                continue;
            }
            let Ok(port) = port.parse::<u16>() else {
                continue;
            };
            let max_age = params
                .filter_map(|p| p.split_once('='))
                .find(|(k, _)| k.trim().eq_ignore_ascii_case("ma"))
                .and_then(|(_, v)| v.trim().trim_matches('"').parse::<u64>().ok())
                .unwrap_or(86_400);
            return Some(AltSvc::H3 {
                port,
                max_age: Duration::from_secs(max_age),
            });
        }
    }
    None
}

/// Whether a proxy may carry this transport's requests: `proxy=`, or the environment's
/// (read by reqwest for a client's own transport, see `network::build_http`).
fn proxied(options: &NetworkOptions) -> bool {
    if options.proxy.is_some() {
        return true;
    }
    options.env_proxies
        && options.trust_env
        && ["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"]
            .iter()
            .any(|k| std::env::var(k).is_ok_and(|v| !v.trim().is_empty()))
}

const CONNECTING: u8 = 1;
const CONNECTED: u8 = 2;

/// Where an HTTP/3 request's connection got to: nowhere yet (a pooled connection serves it
/// without a wait), being made, or up.
#[derive(Default)]
pub struct Handshake(Arc<AtomicU8>);

impl Handshake {
    /// The request waited for a connection that never came up: nothing was sent.
    pub fn failed(&self) -> bool {
        self.0.load(Ordering::Acquire) == CONNECTING
    }
}

/// A body lent to an HTTP/3 attempt, to be taken back if the attempt's handshake fails
/// before it read any of it: a one-shot stream (an iterator's, or an async one's channel)
/// could not be made again for the TCP attempt.
pub struct Lent {
    slot: Arc<Mutex<Option<reqwest::Body>>>,
    taken: Option<reqwest::Body>,
}

/// The lender's side: the body back, if the borrower never started reading it.
pub struct Lender(Arc<Mutex<Option<reqwest::Body>>>);

impl Lender {
    pub fn take_back(self) -> Option<reqwest::Body> {
        crate::exchange::steps::lock(&self.0).take()
    }
}

impl Lent {
    pub fn lend(body: reqwest::Body) -> (reqwest::Body, Lender) {
        let slot = Arc::new(Mutex::new(Some(body)));
        let lent = Lent {
            slot: slot.clone(),
            taken: None,
        };
        (reqwest::Body::wrap(lent), Lender(slot))
    }
}

impl http_body::Body for Lent {
    type Data = bytes::Bytes;
    type Error = reqwest::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<bytes::Bytes>, Self::Error>>> {
        let this = self.get_mut();
        if this.taken.is_none() {
            this.taken = crate::exchange::steps::lock(&this.slot).take();
        }
        match &mut this.taken {
            Some(body) => Pin::new(body).poll_frame(cx),
            None => Poll::Ready(None),
        }
    }

    fn is_end_stream(&self) -> bool {
        self.taken.as_ref().is_some_and(|b| b.is_end_stream())
    }

    fn size_hint(&self) -> http_body::SizeHint {
        match &self.taken {
            Some(body) => body.size_hint(),
            None => crate::exchange::steps::lock(&self.slot)
                .as_ref()
                .map(http_body::Body::size_hint)
                .unwrap_or_default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body::Body as _;

    #[test]
    fn connection_headers_do_not_go_over_http3() {
        let mut headers = http::HeaderMap::new();
        for (name, value) in [
            ("host", "example.com"),
            ("connection", "keep-alive"),
            ("keep-alive", "timeout=5"),
            ("te", "gzip"),
            ("accept", "*/*"),
        ] {
            headers.append(name, http::HeaderValue::from_static(value));
        }
        drop_connection_headers(&mut headers);
        let names: Vec<&str> = headers.keys().map(|n| n.as_str()).collect();
        assert_eq!(names, ["accept"]);
        headers.insert("te", http::HeaderValue::from_static("Trailers"));
        drop_connection_headers(&mut headers);
        assert!(headers.contains_key("te"));
    }

    #[test]
    fn a_lent_body_never_read_is_taken_back() {
        let (lent, lender) = Lent::lend(reqwest::Body::from("abc"));
        drop(lent);
        let back = lender.take_back().expect("the body, unread");
        assert_eq!(back.size_hint().exact(), Some(3));
    }

    #[test]
    fn a_lent_body_once_read_stays_with_the_borrower() {
        let (mut lent, lender) = Lent::lend(reqwest::Body::from("abc"));
        let mut cx = Context::from_waker(std::task::Waker::noop());
        let frame = Pin::new(&mut lent).poll_frame(&mut cx);
        assert!(matches!(frame, Poll::Ready(Some(Ok(_)))));
        assert!(lender.take_back().is_none());
    }

    #[test]
    fn a_failed_endpoint_is_remembered_and_others_are_not() {
        let broken = BrokenOrigins::default();
        let a = url::Url::parse("https://a.example/x").unwrap();
        assert!(!broken.has("a.example:443"));
        broken.mark(endpoint(&a, 443));
        assert!(broken.has("a.example:443"));
        assert!(!broken.has("a.example:8443"));
    }

    #[test]
    fn alt_svc_names_an_h3_port_on_the_same_host() {
        let h3 = |values: &[&str]| alt_svc_h3(values.iter().copied(), "a.example");
        let port = |port, secs| {
            Some(AltSvc::H3 {
                port,
                max_age: Duration::from_secs(secs),
            })
        };
        assert_eq!(h3(&[r#"h3=":8443"; ma=3600"#]), port(8443, 3600));
        assert_eq!(
            h3(&[r#"h2=":444", h3="a.example:8443""#]),
            port(8443, 86_400)
        );
        assert_eq!(h3(&[r#"h3-29=":1", h3=":2"; persist=1"#]), port(2, 86_400));
        assert_eq!(h3(&["clear"]), Some(AltSvc::Clear));
        // Another host, no h3, nonsense: nothing learnt.
        assert_eq!(h3(&[r#"h3="b.example:443""#]), None);
        assert_eq!(h3(&[r#"h2=":443""#]), None);
        assert_eq!(h3(&[r#"h3=":port""#, "h3"]), None);
        assert_eq!(h3(&[]), None);
    }

    #[test]
    fn a_failure_is_forgotten_after_a_while() {
        let broken = BrokenOrigins::default();
        let a = url::Url::parse("https://a.example/").unwrap();
        crate::exchange::steps::lock(&broken.0).insert(endpoint(&a, 443), Instant::now());
        assert!(!broken.has("a.example:443"));
        assert!(crate::exchange::steps::lock(&broken.0).is_empty());
    }

    #[test]
    fn a_handshake_fails_only_while_connecting() {
        let handshake = Handshake::default();
        assert!(!handshake.failed());
        handshake.0.store(CONNECTING, Ordering::Release);
        assert!(handshake.failed());
        handshake.0.store(CONNECTED, Ordering::Release);
        assert!(!handshake.failed());
    }
}
