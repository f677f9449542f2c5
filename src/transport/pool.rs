//! Our half of the connection pool: `max_connections` (for requests and for connections),
//! the hand-over of a connection coming back to a request waiting for one, and the keep-alive
//! limit.
//!
//! A request first takes a place among the `max_connections` requests in flight
//! (`ConnPool::enter`), held until its response is read or closed: httpx's connection stays
//! with a response until it is closed, while hyper puts a connection back in its pool as soon
//! as it has read the response, even a streamed one whose (small) body nobody has read yet.
//!
//! hyper's pool (inside reqwest) keeps the idle connections, and gives a connection that
//! comes back to the request that has waited longest for one. But it starts a new
//! connection as soon as a request finds none idle, and it has no limit on how many are
//! open. So every connect goes through `PoolLayer`, a connector layer, which admits it
//! (`ConnPool::admit`) only when
//!
//! - no connection to the same origin is on its way back: one whose response we read to the
//!   end, and that the request did not find idle, is between its last response and hyper's
//!   pool (hyper puts it back from a task of its own), and will be handed to the request;
//! - a slot is free: each open connection holds one of the `max_connections` slots until it
//!   closes (`PooledIo` owns it: hyper drops a connection's stream when the connection ends).
//!   With none free, an idle connection (to another origin) is closed to make room, as in
//!   httpx.
//!
//! Meanwhile the request waits in hyper's pool too, and whichever comes first wins: a
//! connection handed over, or a slot. A request that got a connection handed over no longer
//! needs its connect: hyper moves the connect to a task of its own, where the admission
//! notices that it has left the request's task (`phases::in_exchange`) and gives up before
//! connecting. So with `max_connections=N`, N connections at most are ever open at once, and
//! requests queued for them reuse them instead of opening others (as httpx's pool does).
//!
//! The keep-alive limit (`max_keepalive_connections`): hyper would close a connection coming
//! back when K others are idle, even though a request is about to want it; under a steady
//! load of more requests in flight than K, a connection was closed and another opened for
//! most requests. Here hyper keeps every connection that comes back, and the connections
//! idle beyond K are closed once they have not been used for `GRACE` (at most
//! `keepalive_expiry`): a burst leaves K idle connections a second later, and a steady load
//! keeps the connections it uses. K=0 turns pooling off (hyper's own setting).
//!
//! What a connection is doing is known from its stream (`PooledIo`: a write starts a
//! request) and from the exchange that reads a response to its end (`released`; the
//! response carries its connection's `ConnTag`, which the stream adds to what the connection
//! tells hyper about itself). Only HTTP/1 connections are ever idle in this sense: an
//! HTTP/2 connection is shared and stays in hyper's hands.

use crate::errors::{ErrorKind, HttpError};
use crate::observe::events::{ConnInfo, Event};
use crate::transport::phases::{self, Phase, Reporter};
use futures_util::task::AtomicWaker;
use hyper::rt::{Read, ReadBufCursor, Write};
use hyper_util::client::legacy::connect::{Connected, Connection};
use reqwest::{Conn, ConnIo, Unnameable, WrapIo};
use std::future::Future;
use std::hash::{Hash, Hasher};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore, TryAcquireError};

/// How long a connection beyond the keep-alive limit may stay idle.
const GRACE: Duration = Duration::from_secs(1);

type BoxError = Box<dyn std::error::Error + Send + Sync>;

pub const POOL_TIMEOUT: &str = "Timed out waiting for a connection from the pool";

/// What a connection is doing (`ConnState::state`).
const BUSY: u8 = 0;
/// Its last response was read to the end and no request has been written since.
const IDLE: u8 = 1;
/// Idle too long beyond the keep-alive limit: its next read ends the connection.
const EVICTED: u8 = 2;
/// Its stream is gone.
const CLOSED: u8 = 3;
/// The exchange sending on it was dropped mid-upload: every read and write fails.
const ABORTED: u8 = 4;

/// The connections of one transport (see the module docs).
pub struct ConnPool {
    /// `max_connections`, for requests: a permit per request from its start until its
    /// response is read or closed (`enter`).
    requests: Option<Arc<Semaphore>>,
    /// `max_connections`, for connections: a permit per open connection (or connect under
    /// way).
    slots: Option<Arc<Semaphore>>,
    /// `max_keepalive_connections` (None: no limit; 0: no pooling at all).
    keep: Option<usize>,
    grace: Duration,
    /// The connections made, open or not (pruned when a connection is made).
    conns: Mutex<Vec<Weak<ConnState>>>,
    /// How many are idle now.
    idle: AtomicUsize,
    /// How many connects wait in `admit` for a connection to come back or for a slot.
    admitting: AtomicUsize,
    /// Told when a connection stops being idle (taken, evicted, closed): a connect waiting
    /// for it to come back looks again.
    changed: Notify,
    /// A task is closing the idle connections beyond `keep`.
    trimming: AtomicBool,
}

impl ConnPool {
    pub fn new(
        max_connections: Option<usize>,
        max_keepalive: Option<usize>,
        keepalive_expiry: Option<Duration>,
    ) -> Arc<Self> {
        let limit = || max_connections.map(|n| Arc::new(Semaphore::new(n.max(1))));
        Arc::new(ConnPool {
            requests: limit(),
            slots: limit(),
            keep: max_keepalive,
            grace: keepalive_expiry.map_or(GRACE, |e| e.min(GRACE)),
            conns: Mutex::new(Vec::new()),
            idle: AtomicUsize::new(0),
            admitting: AtomicUsize::new(0),
            changed: Notify::new(),
            trimming: AtomicBool::new(false),
        })
    }

    /// hyper's own idle limit per host: none, since ours applies later (module docs), but
    /// K=0 still means no pooling.
    pub fn hyper_idle_limit(&self) -> usize {
        match self.keep {
            Some(0) => 0,
            _ => usize::MAX,
        }
    }

    /// A request's place under `max_connections`, waited for within the pool budget. httpx's
    /// connection stays with a response until it is closed, so a request waits while N
    /// responses are open, even when hyper has read a streamed response's (small) body whole
    /// and put its connection back in its pool.
    pub async fn enter(
        &self,
        budget: Option<Duration>,
    ) -> Result<Option<OwnedSemaphorePermit>, HttpError> {
        let Some(requests) = &self.requests else {
            return Ok(None);
        };
        if let Ok(permit) = requests.clone().try_acquire_owned() {
            return Ok(Some(permit));
        }
        let acquire = requests.clone().acquire_owned();
        let permit = match budget {
            Some(limit) => tokio::time::timeout(limit, acquire)
                .await
                .map_err(|_| HttpError::new(ErrorKind::PoolTimeout, POOL_TIMEOUT))?,
            None => acquire.await,
        };
        permit
            .map(Some)
            .map_err(|_| HttpError::new(ErrorKind::PoolTimeout, "The connection pool is closed"))
    }

    /// Wait until a connect to `origin` may go ahead (see the module docs); its slot.
    async fn admit(
        &self,
        origin: u64,
        reporter: &Reporter,
    ) -> Result<Option<OwnedSemaphorePermit>, BoxError> {
        let _counted = Admitting::new(self);
        let mut queued = false;
        let mut evicted = false;
        let queue = |queued: &mut bool| {
            if !*queued {
                *queued = true;
                reporter.send_replace(Phase::Queued(Instant::now()));
            }
        };
        loop {
            let changed = self.changed.notified();
            tokio::pin!(changed);
            // Registered before looking, so that a change after the look wakes us.
            changed.as_mut().enable();
            if self.returning(origin) {
                queue(&mut queued);
                changed.await;
                continue;
            }
            let Some(slots) = &self.slots else {
                return Ok(None);
            };
            match slots.clone().try_acquire_owned() {
                Ok(permit) => return Ok(Some(permit)),
                Err(TryAcquireError::Closed) => return Err("the connection pool is closed".into()),
                Err(TryAcquireError::NoPermits) => {}
            }
            if !evicted {
                // Every slot is taken; if a connection idles (to another origin: one to this
                // origin would have been the request's), it makes room, as in httpx.
                evicted = true;
                self.evict(1, Instant::now());
            }
            queue(&mut queued);
            tokio::select! {
                permit = slots.clone().acquire_owned() => {
                    return Ok(Some(permit.map_err(|_| "the connection pool is closed")?));
                }
                _ = changed => {}
            }
        }
    }

    /// Whether an idle connection to `origin` exists. Asked by a connect, which hyper starts
    /// only when the request found no idle connection to that origin in its pool: so this
    /// one is on its way there (or closing), and a moment away.
    fn returning(&self, origin: u64) -> bool {
        if self.idle.load(Ordering::Acquire) == 0 {
            return false;
        }
        let conns = crate::exchange::steps::lock(&self.conns);
        conns
            .iter()
            .filter_map(Weak::upgrade)
            .any(|c| c.origin == origin && c.state.load(Ordering::Acquire) == IDLE)
    }

    /// A connection just made to `origin`. It starts idle (its first write makes it busy):
    /// made for a request, it is written to at once; made for one that got another
    /// connection meanwhile, hyper pools it. Not counted without pooling (K=0).
    fn track(self: &Arc<Self>, origin: u64) -> Arc<ConnState> {
        let state = if self.keep == Some(0) { BUSY } else { IDLE };
        let conn = Arc::new(ConnState {
            pool: Arc::downgrade(self),
            origin,
            state: AtomicU8::new(state),
            idle_since: Mutex::new(Instant::now()),
            reader: AtomicWaker::new(),
            writer: AtomicWaker::new(),
        });
        let mut conns = crate::exchange::steps::lock(&self.conns);
        conns.retain(|c| {
            c.upgrade()
                .is_some_and(|c| c.state.load(Ordering::Acquire) != CLOSED)
        });
        conns.push(Arc::downgrade(&conn));
        drop(conns);
        if state == IDLE {
            self.became_idle();
        }
        conn
    }

    /// A connection stopped being idle: wake the connects that wait for one to come back.
    fn left_idle(&self) {
        self.idle.fetch_sub(1, Ordering::AcqRel);
        if self.admitting.load(Ordering::Acquire) > 0 {
            self.changed.notify_waiters();
        }
    }

    fn became_idle(self: &Arc<Self>) {
        let idle = self.idle.fetch_add(1, Ordering::AcqRel) + 1;
        if let Some(keep) = self.keep {
            if idle <= keep || self.trimming.load(Ordering::Acquire) {
                return;
            }
            // Outside a runtime (a streamed response dropped by Python's garbage collector)
            // the next connection to go idle starts it.
            if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                if !self.trimming.swap(true, Ordering::AcqRel) {
                    runtime.spawn(trim(Arc::downgrade(self)));
                }
            }
        }
    }

    /// Close up to `count` of the connections idle since before `cutoff`, the oldest first.
    fn evict(&self, count: usize, cutoff: Instant) {
        let conns = crate::exchange::steps::lock(&self.conns);
        let mut idle: Vec<(Instant, Arc<ConnState>)> = conns
            .iter()
            .filter_map(Weak::upgrade)
            .filter(|c| c.state.load(Ordering::Acquire) == IDLE)
            .filter_map(|c| {
                let since = *crate::exchange::steps::lock(&c.idle_since);
                (since <= cutoff).then_some((since, c))
            })
            .collect();
        drop(conns);
        idle.sort_by_key(|(since, _)| *since);
        for (_, conn) in idle.into_iter().take(count) {
            if conn
                .state
                .compare_exchange(IDLE, EVICTED, Ordering::AcqRel, Ordering::Acquire)
                .is_ok()
            {
                self.left_idle();
                conn.reader.wake();
            }
        }
    }
}

/// A connect counted as waiting in `admit` while this lives.
struct Admitting<'a>(&'a ConnPool);

impl<'a> Admitting<'a> {
    fn new(pool: &'a ConnPool) -> Self {
        pool.admitting.fetch_add(1, Ordering::AcqRel);
        Admitting(pool)
    }
}

impl Drop for Admitting<'_> {
    fn drop(&mut self) {
        self.0.admitting.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Close the idle connections beyond the keep-alive limit once they have stayed idle for the
/// grace period; ends when no more than the limit are idle.
async fn trim(pool: Weak<ConnPool>) {
    loop {
        let Some(grace) = pool.upgrade().map(|p| p.grace) else {
            return;
        };
        tokio::time::sleep(grace / 2).await;
        let Some(pool) = pool.upgrade() else {
            return;
        };
        let keep = pool.keep.unwrap_or(usize::MAX);
        if let Some(cutoff) = Instant::now().checked_sub(pool.grace) {
            let excess = pool.idle.load(Ordering::Acquire).saturating_sub(keep);
            pool.evict(excess, cutoff);
        }
        if pool.idle.load(Ordering::Acquire) <= keep {
            pool.trimming.store(false, Ordering::Release);
            // A connection that became idle just before the store found the task running.
            if pool.idle.load(Ordering::Acquire) <= keep
                || pool.trimming.swap(true, Ordering::AcqRel)
            {
                return;
            }
        }
    }
}

/// One connection, as `PooledIo` and the responses it carried know it.
pub struct ConnState {
    pool: Weak<ConnPool>,
    /// Its scheme and authority, hashed (hyper's pool key).
    origin: u64,
    state: AtomicU8,
    idle_since: Mutex<Instant>,
    /// The task reading the connection while it is idle (hyper's), woken to evict it.
    reader: AtomicWaker,
    /// The task whose write is waiting (hyper's), woken to abort it.
    writer: AtomicWaker,
}

impl ConnState {
    /// Make every read and write fail, so that hyper closes the connection.
    fn abort(&self) {
        let before = self.state.swap(ABORTED, Ordering::AcqRel);
        if before == IDLE {
            if let Some(pool) = self.pool.upgrade() {
                pool.left_idle();
            }
        }
        self.reader.wake();
        self.writer.wake();
    }
}

/// The connection an upload goes out on, watched until the response head arrives: if the
/// exchange is dropped first (cancelled, interrupted, timed out), the connection is aborted.
/// hyper notices a dropped exchange only when it next looks for the response; writing to a
/// server that does not read, it would keep the connection (and its slot) forever. A request
/// without a body cannot stall that way, and is not watched.
pub struct UploadWatch(Option<hyper_util::client::legacy::connect::CaptureConnection>);

impl UploadWatch {
    pub fn attach(request: &mut reqwest::Request) -> UploadWatch {
        // hyper-util reads the capture from an `http::Request`'s extensions: made on an
        // empty one, moved to the reqwest request (which hands them to hyper).
        let mut carrier = http::Request::new(());
        let capture = hyper_util::client::legacy::connect::capture_connection(&mut carrier);
        request
            .extensions_mut()
            .extend(std::mem::take(carrier.extensions_mut()));
        UploadWatch(Some(capture))
    }

    /// The response head arrived: the upload is over.
    pub fn done(mut self) {
        self.0 = None;
    }
}

impl Drop for UploadWatch {
    fn drop(&mut self) {
        let Some(capture) = self.0.take() else {
            return;
        };
        let mut extras = http::Extensions::new();
        if let Some(connected) = capture.connection_metadata().as_ref() {
            connected.get_extras(&mut extras);
        }
        if let Some(ConnTag(conn)) = extras.get::<ConnTag>() {
            conn.abort();
        }
    }
}

/// The connection a response came on (hyper copies it into every response's extensions).
#[derive(Clone)]
pub struct ConnTag(Arc<ConnState>);

/// A response was read to its end: its connection (HTTP/1) goes back to hyper's pool, idle.
pub fn released(response: &reqwest::Response) {
    let Some(ConnTag(conn)) = response.extensions().get::<ConnTag>() else {
        return;
    };
    let Some(pool) = conn.pool.upgrade() else {
        return;
    };
    if pool.keep == Some(0) || response.version() == reqwest::Version::HTTP_2 {
        return;
    }
    *crate::exchange::steps::lock(&conn.idle_since) = Instant::now();
    if conn
        .state
        .compare_exchange(BUSY, IDLE, Ordering::AcqRel, Ordering::Acquire)
        .is_ok()
    {
        pool.became_idle();
    }
}

/// A connection's byte stream, wrapped: it holds the connection's slot, and says when the
/// connection is used and when it is gone.
struct PooledIo {
    io: ConnIo,
    conn: Arc<ConnState>,
    _slot: Option<OwnedSemaphorePermit>,
}

impl PooledIo {
    /// A request is being written: the connection is busy. One that was evicted (the
    /// trimmer won the race against the request that took it from hyper's pool) refuses,
    /// before anything is written.
    fn in_use(&self) -> std::io::Result<()> {
        match self
            .conn
            .state
            .compare_exchange(IDLE, BUSY, Ordering::AcqRel, Ordering::Acquire)
        {
            Ok(_) => {
                if let Some(pool) = self.conn.pool.upgrade() {
                    pool.left_idle();
                }
                Ok(())
            }
            Err(EVICTED | ABORTED) => Err(std::io::ErrorKind::ConnectionAborted.into()),
            Err(_) => Ok(()),
        }
    }

    fn state(&self) -> u8 {
        self.conn.state.load(Ordering::Acquire)
    }

    /// A write that cannot go ahead, or that waits: the aborted connection refuses; a waiting
    /// writer can be woken to find that out.
    fn wrote<T>(
        &self,
        cx: &Context<'_>,
        polled: Poll<std::io::Result<T>>,
    ) -> Poll<std::io::Result<T>> {
        if polled.is_pending() {
            self.conn.writer.register(cx.waker());
            if self.state() == ABORTED {
                return Poll::Ready(Err(std::io::ErrorKind::ConnectionAborted.into()));
            }
        }
        polled
    }

    fn refuse_if_aborted(&self) -> std::io::Result<()> {
        if self.state() == ABORTED {
            return Err(std::io::ErrorKind::ConnectionAborted.into());
        }
        Ok(())
    }
}

impl Drop for PooledIo {
    fn drop(&mut self) {
        let before = self.conn.state.swap(CLOSED, Ordering::AcqRel);
        if let Some(pool) = self.conn.pool.upgrade() {
            if before == IDLE {
                pool.left_idle();
            } else if pool.admitting.load(Ordering::Acquire) > 0 {
                // Its slot is free now (dropped after this).
                pool.changed.notify_waiters();
            }
        }
    }
}

impl WrapIo for PooledIo {
    fn io(&self) -> &ConnIo {
        &self.io
    }

    fn connected(&self, connected: Connected) -> Connected {
        connected.extra(ConnTag(self.conn.clone()))
    }
}

impl Read for PooledIo {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: ReadBufCursor<'_>,
    ) -> Poll<std::io::Result<()>> {
        match self.state() {
            // The end of the connection, as if the server had closed it: hyper closes it.
            EVICTED => return Poll::Ready(Ok(())),
            ABORTED => return Poll::Ready(Err(std::io::ErrorKind::ConnectionAborted.into())),
            _ => {}
        }
        let polled = Pin::new(&mut self.io).poll_read(cx, buf);
        if polled.is_pending() {
            self.conn.reader.register(cx.waker());
            if self.state() >= EVICTED {
                // Evicted or aborted meanwhile: look again at once.
                cx.waker().wake_by_ref();
            }
        }
        polled
    }
}

impl Write for PooledIo {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        self.in_use()?;
        let polled = Pin::new(&mut self.io).poll_write(cx, buf);
        self.wrote(cx, polled)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        self.in_use()?;
        let polled = Pin::new(&mut self.io).poll_write_vectored(cx, bufs);
        self.wrote(cx, polled)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        self.refuse_if_aborted()?;
        let polled = Pin::new(&mut self.io).poll_flush(cx);
        self.wrote(cx, polled)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }
}

/// hyper's pool key for a connect's destination, hashed.
fn origin_of(uri: &http::Uri) -> u64 {
    let mut hasher = std::hash::DefaultHasher::new();
    uri.scheme_str().hash(&mut hasher);
    uri.authority().map(|a| a.as_str()).hash(&mut hasher);
    hasher.finish()
}

/// The connector layer (`ClientBuilder::connector_layer`): admission, the connect phases
/// for the request's budgets (`phases`) and its DEBUG records, and the wrapped stream.
#[derive(Clone)]
pub struct PoolLayer(pub Arc<ConnPool>);

impl<S> tower_layer::Layer<S> for PoolLayer {
    type Service = PoolService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        PoolService {
            inner,
            pool: self.0.clone(),
        }
    }
}

#[derive(Clone)]
pub struct PoolService<S> {
    inner: S,
    pool: Arc<ConnPool>,
}

impl<S> tower_service::Service<Unnameable> for PoolService<S>
where
    S: tower_service::Service<Unnameable, Response = Conn, Error = BoxError>
        + Clone
        + Send
        + 'static,
    S::Future: Send + 'static,
{
    type Response = Conn;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<Conn, BoxError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, dst: Unnameable) -> Self::Future {
        let origin = origin_of(dst.uri());
        let pool = self.pool.clone();
        // The service that was made ready goes with the connect; a clone stays for the next.
        let fresh = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, fresh);
        // Outside an exchange (never, in practice) the connect goes ahead unwatched.
        let tracking = phases::current();
        Box::pin(async move {
            let slot = match &tracking {
                Some(t) => {
                    let mut admit = std::pin::pin!(pool.admit(origin, &t.phases));
                    std::future::poll_fn(|cx| {
                        if !phases::in_exchange() {
                            // hyper moved this connect to a task of its own: the request
                            // got a connection from the pool, and needs none made.
                            phases::handed_over(&t.phases);
                            return Poll::Ready(Err(BoxError::from("no longer needed")));
                        }
                        admit.as_mut().poll(cx)
                    })
                    .await?
                }
                None => None,
            };
            let started = Instant::now();
            let events = tracking.as_ref().and_then(|t| t.events.as_ref());
            if let Some(t) = &tracking {
                t.phases.send_replace(Phase::Connecting(started));
            }
            if let Some(events) = events {
                events.emit(Event::ConnectStarted);
            }
            let connecting = inner.call(dst).await;
            if let Some(events) = events {
                match &connecting {
                    Ok(conn) => events.emit(Event::ConnectComplete {
                        conn: ConnInfo::of(&conn.connected()),
                        elapsed: started.elapsed(),
                    }),
                    Err(e) => events.emit(Event::ConnectFailed {
                        error: &crate::errors::error_chain(e.as_ref()),
                    }),
                }
            }
            let conn = connecting?;
            if let Some(t) = &tracking {
                phases::connected(&t.phases);
            }
            let conn_state = pool.track(origin);
            Ok(conn.wrap_io(|io| PooledIo {
                io,
                conn: conn_state,
                _slot: slot,
            }))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pending<F: Future>(fut: Pin<&mut F>) -> bool {
        let mut cx = Context::from_waker(std::task::Waker::noop());
        fut.poll(&mut cx).is_pending()
    }

    #[tokio::test]
    async fn a_connect_waits_for_a_free_slot_queued() {
        let pool = ConnPool::new(Some(1), None, None);
        let (reporter, phases) = phases::reporter();
        let first = pool.admit(1, &reporter).await.unwrap();
        assert!(first.is_some());
        assert_eq!(*phases.borrow(), Phase::Waiting);
        let mut second = std::pin::pin!(pool.admit(1, &reporter));
        assert!(pending(second.as_mut()));
        assert!(matches!(*phases.borrow(), Phase::Queued(_)));
        drop(first);
        assert!(second.await.unwrap().is_some());
    }

    #[tokio::test]
    async fn a_connect_waits_for_an_idle_connection_to_the_same_origin_to_come_back() {
        let pool = ConnPool::new(None, None, None);
        let (reporter, _) = phases::reporter();
        let coming_back = pool.track(1);
        // Another origin's connect goes ahead.
        assert!(pool.admit(2, &reporter).await.unwrap().is_none());
        let mut same = std::pin::pin!(pool.admit(1, &reporter));
        assert!(pending(same.as_mut()));
        // A request took it (hyper handed it over): the connect may go ahead again.
        coming_back.state.store(BUSY, Ordering::Release);
        pool.left_idle();
        assert!(same.await.unwrap().is_none());
    }

    #[tokio::test]
    async fn eviction_takes_the_oldest_idle_connections_idle_long_enough() {
        let pool = ConnPool::new(None, Some(1), None);
        let conns: Vec<_> = (0..3).map(|_| pool.track(1)).collect();
        let start = Instant::now();
        for (i, conn) in conns.iter().enumerate() {
            *conn.idle_since.lock().unwrap() = start + Duration::from_millis(i as u64);
        }
        // Idle since before the cutoff: only the first two qualify.
        pool.evict(3, start + Duration::from_millis(1));
        let states: Vec<u8> = conns
            .iter()
            .map(|c| c.state.load(Ordering::Acquire))
            .collect();
        assert_eq!(states, [EVICTED, EVICTED, IDLE]);
        assert_eq!(pool.idle.load(Ordering::Acquire), 1);
        pool.evict(0, start + Duration::from_secs(1));
        assert_eq!(conns[2].state.load(Ordering::Acquire), IDLE);
    }

    #[tokio::test]
    async fn a_connect_without_a_slot_evicts_an_idle_connection_to_make_room() {
        let pool = ConnPool::new(Some(1), None, None);
        let (reporter, _) = phases::reporter();
        // The one slot is held by an idle connection to origin 1.
        let held = pool.slots.clone().unwrap().try_acquire_owned().unwrap();
        let idle = pool.track(1);
        let mut other = std::pin::pin!(pool.admit(2, &reporter));
        assert!(pending(other.as_mut()));
        assert_eq!(idle.state.load(Ordering::Acquire), EVICTED);
        drop(held); // hyper closed it: its slot is free
        assert!(other.await.unwrap().is_some());
    }

    #[tokio::test]
    async fn requests_beyond_max_connections_wait_within_the_pool_budget() {
        let pool = ConnPool::new(Some(1), None, None);
        let first = pool.enter(None).await.unwrap();
        assert!(first.is_some());
        let late = pool
            .enter(Some(Duration::from_millis(20)))
            .await
            .unwrap_err();
        assert_eq!(late.kind, ErrorKind::PoolTimeout);
        drop(first);
        assert!(pool
            .enter(Some(Duration::from_millis(20)))
            .await
            .unwrap()
            .is_some());
    }

    #[test]
    fn keepalive_zero_turns_hypers_pool_off() {
        assert_eq!(ConnPool::new(None, Some(0), None).hyper_idle_limit(), 0);
        assert_eq!(
            ConnPool::new(None, Some(5), None).hyper_idle_limit(),
            usize::MAX
        );
        assert_eq!(
            ConnPool::new(None, None, None).hyper_idle_limit(),
            usize::MAX
        );
    }
}
