//! One connection for a burst of HTTP/2 requests on a cold client.
//!
//! Over TLS, HTTP/2 is negotiated by ALPN: until the first connection to an origin is up,
//! hyper's pool cannot know that requests to it could share one, so a burst of requests on a
//! new client would each open their own connection. httpx counts a connection that is still
//! being made as available for HTTP/2 requests; we get the same effect by letting the first
//! request to an origin connect alone while the others to that origin wait until it is
//! connected. Then they find the HTTP/2 connection in the pool, or (HTTP/1.1) open their own.
//! Only for transports that offer both versions over https; an origin is gated once.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::futures::OwnedNotified;
use tokio::sync::Notify;

#[derive(Default)]
pub struct Warmup {
    origins: Mutex<HashMap<String, Origin>>,
}

enum Origin {
    /// The first request is connecting; the others wait for this.
    Connecting(Arc<Notify>),
    /// A connection to it has been made: no more waiting.
    Known,
}

pub enum Turn {
    Go,
    /// This request connects first and must report when it is connected.
    First(FirstConnect),
    /// Wait for the first request, then ask again.
    Wait(OwnedNotified),
}

impl Warmup {
    pub fn turn(self: &Arc<Self>, origin: &str) -> Turn {
        let mut origins = self.origins.lock().unwrap_or_else(|e| e.into_inner());
        match origins.get(origin) {
            Some(Origin::Known) => Turn::Go,
            // Created under the lock: it receives the wake-up even before its first poll.
            Some(Origin::Connecting(notify)) => Turn::Wait(notify.clone().notified_owned()),
            None => {
                origins.insert(
                    origin.to_owned(),
                    Origin::Connecting(Arc::new(Notify::new())),
                );
                Turn::First(FirstConnect {
                    warmup: self.clone(),
                    origin: origin.to_owned(),
                    done: false,
                })
            }
        }
    }

    fn settle(&self, origin: &str, connected: bool) {
        let mut origins = self.origins.lock().unwrap_or_else(|e| e.into_inner());
        let previous = if connected {
            origins.insert(origin.to_owned(), Origin::Known)
        } else {
            // Failed or cancelled: the origin is cold again, and a waiter goes first.
            origins.remove(origin)
        };
        drop(origins);
        if let Some(Origin::Connecting(notify)) = previous {
            notify.notify_waiters();
        }
    }
}

/// The first request's duty: say when its connection is up (or, by being dropped, that it
/// never came up).
pub struct FirstConnect {
    warmup: Arc<Warmup>,
    origin: String,
    done: bool,
}

impl FirstConnect {
    pub fn connected(&mut self) {
        if !self.done {
            self.done = true;
            self.warmup.settle(&self.origin, true);
        }
    }
}

impl Drop for FirstConnect {
    fn drop(&mut self) {
        if !self.done {
            self.warmup.settle(&self.origin, false);
        }
    }
}
