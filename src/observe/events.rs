//! The DEBUG records of one exchange, for what the engine lets us see of its connections:
//!
//! - a connection being made and made (or failing), from the connector layer that also
//!   times the connect phase (`transport::phases`): TCP and, for https, TLS are one step
//!   there (reqwest's connector does both), so one record says both, with the addresses and
//!   whether ALPN chose HTTP/2;
//! - a response that came over a connection this exchange did not make: reused from the
//!   pool (the local address of the connection, which hyper hands every response, tells);
//! - a retry being waited for (`transport::fetch`).
//!
//! Connections closing are not seen: hyper-util's pool drops them without a word, and
//! reqwest's connector layers must hand back reqwest's own connection type, so no wrapper of
//! ours can notice its end.
//!
//! Worded as httpcore's DEBUG records are (`connect_tcp.started host='...' port=...`), so
//! that they read alike in one log. Built only when the exchange started with DEBUG on.

use crate::observe::log::Level;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The origin an exchange connects for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    pub host: String,
    pub port: u16,
    pub tls: bool,
}

impl Origin {
    pub fn of(url: &url::Url) -> Origin {
        Origin {
            host: url.host_str().unwrap_or_default().to_owned(),
            port: url.port_or_known_default().unwrap_or_default(),
            tls: url.scheme() == "https",
        }
    }
}

/// A connection as hyper describes it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ConnInfo {
    pub local: Option<SocketAddr>,
    pub remote: Option<SocketAddr>,
    pub http2: bool,
}

impl ConnInfo {
    /// From what hyper-util's connector reports (the addresses are missing on a Unix socket).
    pub fn of(connected: &hyper_util::client::legacy::connect::Connected) -> ConnInfo {
        let mut extras = http::Extensions::new();
        connected.get_extras(&mut extras);
        let mut info = ConnInfo::from_extensions(&extras);
        info.http2 = connected.is_negotiated_h2();
        info
    }

    /// From a response's extensions, where hyper-util leaves the connection's addresses.
    pub fn from_extensions(extensions: &http::Extensions) -> ConnInfo {
        let http = extensions.get::<hyper_util::client::legacy::connect::HttpInfo>();
        ConnInfo {
            local: http.map(|h| h.local_addr()),
            remote: http.map(|h| h.remote_addr()),
            http2: false,
        }
    }
}

pub enum Event<'a> {
    ConnectStarted,
    ConnectComplete {
        conn: ConnInfo,
        elapsed: Duration,
    },
    ConnectFailed {
        error: &'a str,
    },
    Reused {
        conn: ConnInfo,
        version: &'a str,
    },
    Retrying {
        retry: u32,
        total: u32,
        delay: Duration,
        reason: &'a str,
    },
}

fn addr(a: Option<SocketAddr>) -> String {
    match a {
        Some(a) => format!("'{a}'"),
        None => "None".to_owned(),
    }
}

fn py_bool(b: bool) -> &'static str {
    if b {
        "True"
    } else {
        "False"
    }
}

/// The record's text: `what.state key=value ...`, values as Python's repr shows them.
pub fn render(origin: &Origin, request: &str, event: &Event<'_>) -> String {
    let host = crate::codecs::pyrepr::py_repr_str(&origin.host);
    match event {
        Event::ConnectStarted => format!(
            "connect.started host={host} port={} tls={}",
            origin.port,
            py_bool(origin.tls)
        ),
        Event::ConnectComplete { conn, elapsed } => format!(
            "connect.complete host={host} port={} tls={} http2={} local_address={} remote_address={} elapsed={:.3}",
            origin.port,
            py_bool(origin.tls),
            py_bool(conn.http2),
            addr(conn.local),
            addr(conn.remote),
            elapsed.as_secs_f64()
        ),
        Event::ConnectFailed { error } => format!(
            "connect.failed host={host} port={} tls={} error={}",
            origin.port,
            py_bool(origin.tls),
            crate::codecs::pyrepr::py_repr_str(error)
        ),
        Event::Reused { conn, version } => format!(
            "connection.reused host={host} port={} http_version='{version}' local_address={} remote_address={}",
            origin.port,
            addr(conn.local),
            addr(conn.remote)
        ),
        Event::Retrying {
            retry,
            total,
            delay,
            reason,
        } => format!(
            "retry.waiting request={} reason={} retry={retry} total={total} delay={:.3}",
            crate::codecs::pyrepr::py_repr_str(request),
            crate::codecs::pyrepr::py_repr_str(reason),
            delay.as_secs_f64()
        ),
    }
}

/// The DEBUG records of one exchange, and the connections it made (to tell a reused one).
pub struct EventLog {
    origin: Origin,
    /// `GET https://...`, for the records about the request itself.
    request: String,
    /// The local addresses of the connections this exchange made (None: a Unix socket's).
    made: Mutex<Vec<Option<SocketAddr>>>,
}

impl EventLog {
    pub fn new(method: &str, url: &url::Url) -> EventLog {
        EventLog {
            origin: Origin::of(url),
            request: format!("{method} {url}"),
            made: Mutex::new(Vec::new()),
        }
    }

    /// The records of an exchange about to send `request`, when DEBUG is on.
    pub fn wanted(level: Level, request: &reqwest::Request) -> Option<Arc<EventLog>> {
        (level == Level::Debug)
            .then(|| Arc::new(EventLog::new(request.method().as_str(), request.url())))
    }

    pub fn emit(&self, event: Event<'_>) {
        if let Event::ConnectComplete { conn, .. } = &event {
            self.made
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(conn.local);
        }
        crate::observe::log::debug(&render(&self.origin, &self.request, &event));
    }

    /// Record the connection a response came over when this exchange did not make it.
    pub fn response_over(&self, conn: ConnInfo, version: &str) {
        let made = self.made.lock().unwrap_or_else(|e| e.into_inner()).clone();
        if is_reused(&made, conn.local) {
            self.emit(Event::Reused { conn, version });
        }
    }
}

/// Whether a response over the connection at `local` came over one of `made` (the
/// connections the exchange made): a connect started for a request may lose the race to a
/// connection going back to the pool, and then serve a later request instead.
fn is_reused(made: &[Option<SocketAddr>], local: Option<SocketAddr>) -> bool {
    match local {
        Some(local) => !made.contains(&Some(local)),
        // No addresses (a Unix socket): a connection made for it is taken to be the one.
        None => made.is_empty(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin(tls: bool) -> Origin {
        Origin::of(
            &url::Url::parse(if tls {
                "https://example.org/"
            } else {
                "http://127.0.0.1:8000/x"
            })
            .unwrap(),
        )
    }

    fn sock(port: u16) -> Option<SocketAddr> {
        Some(SocketAddr::from(([127, 0, 0, 1], port)))
    }

    #[test]
    fn origins_take_the_default_port_and_tell_tls() {
        assert_eq!(
            origin(true),
            Origin {
                host: "example.org".into(),
                port: 443,
                tls: true
            }
        );
        assert_eq!(origin(false).port, 8000);
        assert!(!origin(false).tls);
    }

    #[test]
    fn connection_records_read_like_httpcores() {
        let o = origin(false);
        assert_eq!(
            render(&o, "GET http://127.0.0.1:8000/x", &Event::ConnectStarted),
            "connect.started host='127.0.0.1' port=8000 tls=False"
        );
        let conn = ConnInfo {
            local: sock(50000),
            remote: sock(8000),
            http2: false,
        };
        assert_eq!(
            render(&o, "", &Event::ConnectComplete { conn, elapsed: Duration::from_micros(1500) }),
            "connect.complete host='127.0.0.1' port=8000 tls=False http2=False local_address='127.0.0.1:50000' remote_address='127.0.0.1:8000' elapsed=0.002"
        );
        assert_eq!(
            render(&o, "", &Event::ConnectFailed { error: "Connection refused (os error 111)" }),
            "connect.failed host='127.0.0.1' port=8000 tls=False error='Connection refused (os error 111)'"
        );
        assert_eq!(
            render(&o, "", &Event::Reused { conn: ConnInfo::default(), version: "HTTP/2" }),
            "connection.reused host='127.0.0.1' port=8000 http_version='HTTP/2' local_address=None remote_address=None"
        );
        let retrying = Event::Retrying {
            retry: 1,
            total: 3,
            delay: Duration::from_millis(500),
            reason: "HTTP/1.1 503 Service Unavailable",
        };
        assert_eq!(
            render(&o, "GET http://127.0.0.1:8000/x", &retrying),
            "retry.waiting request='GET http://127.0.0.1:8000/x' reason='HTTP/1.1 503 Service Unavailable' retry=1 total=3 delay=0.500"
        );
    }

    #[test]
    fn a_response_over_a_connection_the_exchange_did_not_make_is_a_reuse() {
        assert!(is_reused(&[], sock(50000)));
        assert!(!is_reused(&[sock(50000)], sock(50000)));
        // Its own connect lost the race to a pooled connection.
        assert!(is_reused(&[sock(50001)], sock(50000)));
        assert!(is_reused(&[], None));
        assert!(!is_reused(&[None], None));
    }
}
