//! The connection of a `101 Switching Protocols` response (or of a successful `CONNECT`),
//! handed over to the caller: the Rust core of the `network_stream` response extension
//! (`transport::network_stream` is its Python face, httpcore's `NetworkStream` /
//! `AsyncNetworkStream`).
//!
//! hyper gives the connection up once the response head is read (`reqwest::Response::upgrade`,
//! bytes the server sent after the head included). From then on it is ours: it never goes
//! back to the pool, and it keeps its place under `max_connections` until it is closed.
//!
//! Reads and writes are steppers, as body reads are (`exchange::steps`): one implementation,
//! waited by the sync driver (GIL released) or awaited on asyncio / trio. The two directions
//! are independent halves, so a task may read while another writes (a WebSocket client's
//! receiving task and its sender do exactly that), as on httpcore's socket streams. An
//! operation's future owns its half while it runs and leaves it, with its outcome, back in
//! the half's slot itself: no GIL is needed to finish, and a cancelled or interrupted
//! operation (its future dropped) puts its half back unharmed.

use crate::errors::{from_io, ErrorKind, HttpError};
use crate::exchange::steps::{lock, Apply, Step, WaitOp};
use crate::models::response::Handover;
use crate::observe::events::ConnInfo;
use pyo3::Python;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf, ReadHalf, WriteHalf};
use tokio::sync::{Notify, OwnedSemaphorePermit};

/// The most one read asks of the socket: `read(2**30)` must not allocate a GiB for the few
/// bytes that are there (a read may always return fewer bytes than asked for).
const READ_CAP: usize = 256 * 1024;

/// What the connection is to us: bytes both ways (`reqwest::Upgraded`; an in-memory pipe in
/// the unit tests).
pub trait Io: AsyncRead + AsyncWrite + Send + Unpin + 'static {}

impl<T: AsyncRead + AsyncWrite + Send + Unpin + 'static> Io for T {}

/// The reading half and what was read ahead of the caller (by `is_readable`, or for a caller
/// that gave up before taking it).
struct Reader {
    io: ReadHalf<Box<dyn Io>>,
    ahead: Vec<u8>,
}

type Writer = WriteHalf<Box<dyn Io>>;

/// Where one direction is.
enum Half<H, T> {
    Idle(H),
    /// An operation's future has it.
    Busy,
    /// The operation is over: its outcome waits for the caller's next step.
    Arrived(H, Result<T, HttpError>),
    /// The stream is closed.
    Gone,
}

/// The direction an operation uses.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Direction {
    Read,
    Write,
}

impl Direction {
    fn failure(self) -> ErrorKind {
        match self {
            Direction::Read => ErrorKind::ReadError,
            Direction::Write => ErrorKind::WriteError,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Direction::Read => "read",
            Direction::Write => "write",
        }
    }
}

/// An upgraded connection, shared by the response (closing it closes the connection, as
/// httpcore's response does) and the `network_stream` object.
pub struct UpgradedConn {
    reader: Mutex<Half<Reader, Vec<u8>>>,
    writer: Mutex<Half<Writer, ()>>,
    closed: AtomicBool,
    /// Wakes the operations in flight when the stream is closed: they end at once.
    closing: Notify,
    /// Its place under `max_connections`, until closed.
    permit: Mutex<Option<OwnedSemaphorePermit>>,
    info: ConnInfo,
}

/// What a read or write step found: done, or a wait for the runtime.
pub type IoStep<T> = Result<Step<T>, HttpError>;

fn closed_error(direction: Direction) -> HttpError {
    HttpError::new(
        direction.failure(),
        "The network stream is closed.".to_owned(),
    )
}

fn timeout_error(direction: Direction) -> HttpError {
    match direction {
        Direction::Read => HttpError::new(ErrorKind::ReadTimeout, "The read operation timed out"),
        Direction::Write => {
            HttpError::new(ErrorKind::WriteTimeout, "The write operation timed out")
        }
    }
}

/// `fut` within `timeout` (None: no limit), a timeout reported as the direction's.
async fn within<T>(
    timeout: Option<Duration>,
    direction: Direction,
    fut: impl Future<Output = std::io::Result<T>>,
) -> Result<T, HttpError> {
    let outcome = match timeout {
        // tokio polls the operation before the clock: a zero timeout still takes what is
        // ready, as a socket with `settimeout(0)` does.
        Some(limit) => tokio::time::timeout(limit, fut)
            .await
            .map_err(|_| timeout_error(direction))?,
        None => fut.await,
    };
    outcome.map_err(|e| from_io(&e, direction.failure()))
}

/// A half lent to an operation's future. Dropped unfinished (the wait was cancelled or
/// interrupted), it puts the half back; finished, it leaves the outcome with it.
struct Lease<H, T> {
    conn: Arc<UpgradedConn>,
    slot: fn(&UpgradedConn) -> &Mutex<Half<H, T>>,
    half: Option<H>,
}

impl<H, T> Lease<H, T> {
    fn finish(mut self, outcome: Result<T, HttpError>) {
        if let Some(half) = self.half.take() {
            let mut slot = lock((self.slot)(&self.conn));
            // Closed meanwhile (Gone): the half is dropped here, and the connection with it.
            if matches!(*slot, Half::Busy) {
                *slot = Half::Arrived(half, outcome);
            }
        }
    }
}

impl<H, T> Drop for Lease<H, T> {
    fn drop(&mut self) {
        if let Some(half) = self.half.take() {
            let mut slot = lock((self.slot)(&self.conn));
            if matches!(*slot, Half::Busy) {
                *slot = Half::Idle(half);
            }
        }
    }
}

fn reader_slot(conn: &UpgradedConn) -> &Mutex<Half<Reader, Vec<u8>>> {
    &conn.reader
}

fn writer_slot(conn: &UpgradedConn) -> &Mutex<Half<Writer, ()>> {
    &conn.writer
}

impl UpgradedConn {
    pub fn new(io: impl Io, permit: Option<OwnedSemaphorePermit>, info: ConnInfo) -> Arc<Self> {
        let (read, write) = tokio::io::split(Box::new(io) as Box<dyn Io>);
        Arc::new(UpgradedConn {
            reader: Mutex::new(Half::Idle(Reader {
                io: read,
                ahead: Vec::new(),
            })),
            writer: Mutex::new(Half::Idle(write)),
            closed: AtomicBool::new(false),
            closing: Notify::new(),
            permit: Mutex::new(permit),
            info,
        })
    }

    pub fn is_closed(&self) -> bool {
        self.closed.load(Ordering::Acquire)
    }

    /// Close the connection: reads in flight or later give b"", writes fail with a write
    /// error. Closing twice is harmless.
    pub fn close(&self) {
        if self.closed.swap(true, Ordering::AcqRel) {
            return;
        }
        self.closing.notify_waiters();
        // Taken out under the locks, dropped after them.
        let reader = std::mem::replace(&mut *lock(&self.reader), Half::Gone);
        let writer = std::mem::replace(&mut *lock(&self.writer), Half::Gone);
        let permit = lock(&self.permit).take();
        drop((reader, writer, permit));
    }

    pub fn client_addr(&self) -> Option<SocketAddr> {
        self.info.local
    }

    pub fn server_addr(&self) -> Option<SocketAddr> {
        self.info.remote
    }

    /// One step of `read(max_bytes)`: bytes, `b""` at the end of the stream. `started`: this
    /// call already asked to wait (its outcome is in the slot now).
    pub fn read_step(
        self: &Arc<Self>,
        max_bytes: usize,
        timeout: Option<Duration>,
        started: &mut bool,
    ) -> IoStep<Vec<u8>> {
        let mut slot = lock(&self.reader);
        match std::mem::replace(&mut *slot, Half::Busy) {
            Half::Arrived(mut reader, outcome) => {
                let data = match outcome {
                    Ok(data) => data,
                    Err(e) if *started => {
                        *slot = Half::Idle(reader);
                        return Err(e);
                    }
                    // The failure of a read whose caller gave up: its caller saw the
                    // interruption; this read tries afresh.
                    Err(_) => Vec::new(),
                };
                let mut data = data;
                if !reader.ahead.is_empty() {
                    reader.ahead.append(&mut data);
                    data = std::mem::take(&mut reader.ahead);
                }
                let at_end = data.is_empty();
                if !*started && at_end {
                    // Left by an abandoned read and empty: start a read of our own.
                    *slot = Half::Idle(reader);
                    drop(slot);
                    return self.read_step(max_bytes, timeout, started);
                }
                if data.len() > max_bytes {
                    reader.ahead = data.split_off(max_bytes);
                }
                *slot = Half::Idle(reader);
                Ok(Step::Ready(data))
            }
            Half::Idle(mut reader) => {
                if max_bytes == 0 {
                    *slot = Half::Idle(reader);
                    return Ok(Step::Ready(Vec::new()));
                }
                if !reader.ahead.is_empty() {
                    let rest = if reader.ahead.len() > max_bytes {
                        reader.ahead.split_off(max_bytes)
                    } else {
                        Vec::new()
                    };
                    let data = std::mem::replace(&mut reader.ahead, rest);
                    *slot = Half::Idle(reader);
                    return Ok(Step::Ready(data));
                }
                drop(slot);
                *started = true;
                Ok(Step::Wait(self.run(
                    reader_slot,
                    reader,
                    Direction::Read,
                    move |reader| {
                        Box::pin(async move {
                            let mut buf = vec![0u8; max_bytes.min(READ_CAP)];
                            let n =
                                within(timeout, Direction::Read, reader.io.read(&mut buf)).await;
                            n.map(|n| {
                                buf.truncate(n);
                                buf
                            })
                        })
                    },
                )))
            }
            // Closed: the stream has ended, b"". A socket closed under a blocking `recv`
            // (httpcore's sync stream) waits for the peer's close, which is b"" too; a read
            // after the close raises there (`ReadError`, httpcore's class), which httpx-ws
            // catches when its reading thread races its own close. Ours are httprs's
            // classes, which it does not know: b"" (its end of stream) keeps that race quiet.
            Half::Gone => {
                *slot = Half::Gone;
                Ok(Step::Ready(Vec::new()))
            }
            other => {
                let busy = matches!(other, Half::Busy);
                *slot = other;
                Err(self.unavailable(Direction::Read, busy))
            }
        }
    }

    /// One step of `write(buffer)`: all of it is sent (and flushed) before it is done.
    pub fn write_step(
        self: &Arc<Self>,
        data: &mut Option<Vec<u8>>,
        timeout: Option<Duration>,
    ) -> IoStep<()> {
        let mut slot = lock(&self.writer);
        match std::mem::replace(&mut *slot, Half::Busy) {
            Half::Arrived(writer, outcome) if data.is_none() => {
                *slot = Half::Idle(writer);
                outcome.map(Step::Ready)
            }
            // What an abandoned write left: its caller saw the interruption.
            Half::Arrived(writer, _) => {
                *slot = Half::Idle(writer);
                drop(slot);
                self.write_step(data, timeout)
            }
            Half::Idle(writer) => {
                let Some(bytes) = data.take() else {
                    *slot = Half::Idle(writer);
                    return Err(HttpError::new(
                        ErrorKind::WriteError,
                        "The write was interrupted.",
                    ));
                };
                if bytes.is_empty() {
                    *slot = Half::Idle(writer);
                    return Ok(Step::Ready(()));
                }
                drop(slot);
                Ok(Step::Wait(self.run(
                    writer_slot,
                    writer,
                    Direction::Write,
                    move |writer| {
                        Box::pin(async move {
                            within(timeout, Direction::Write, async {
                                writer.write_all(&bytes).await?;
                                writer.flush().await
                            })
                            .await
                        })
                    },
                )))
            }
            other => {
                let busy = matches!(other, Half::Busy);
                *slot = other;
                Err(self.unavailable(Direction::Write, busy))
            }
        }
    }

    fn unavailable(&self, direction: Direction, busy: bool) -> HttpError {
        if busy {
            HttpError::new(
                direction.failure(),
                format!(
                    "Another {} of this network stream is in progress.",
                    direction.name()
                ),
            )
        } else {
            closed_error(direction)
        }
    }

    /// The wait for one operation on a lent half: it ends early when the stream is closed
    /// meanwhile (see `read_step` / `write_step` for what the caller then gets).
    fn run<H, T>(
        self: &Arc<Self>,
        slot: fn(&UpgradedConn) -> &Mutex<Half<H, T>>,
        half: H,
        direction: Direction,
        op: impl for<'a> FnOnce(
                &'a mut H,
            )
                -> Pin<Box<dyn Future<Output = Result<T, HttpError>> + Send + 'a>>
            + Send
            + 'static,
    ) -> WaitOp
    where
        H: Send + 'static,
        T: Send + 'static,
    {
        let conn = self.clone();
        let mut lease = Lease {
            conn: self.clone(),
            slot,
            half: Some(half),
        };
        WaitOp::new(async move {
            let closing = conn.closing.notified();
            tokio::pin!(closing);
            // Registered before the flag is read: a close in between still wakes it.
            closing.as_mut().enable();
            if !conn.is_closed() {
                let outcome = match lease.half.as_mut() {
                    Some(half) => {
                        tokio::select! {
                            outcome = op(half) => Some(outcome),
                            _ = &mut closing => None,
                        }
                    }
                    None => None,
                };
                match outcome {
                    Some(outcome) => lease.finish(outcome),
                    None => lease.finish(Err(closed_error(direction))),
                }
            } else {
                lease.finish(Err(closed_error(direction)));
            }
            Box::new(|_: Python<'_>| {}) as Apply
        })
    }

    /// A wait that lets the runtime's I/O driver look at the sockets once. The sync clients'
    /// runtime runs only while a thread waits on it: before `is_readable` on a `Client`'s
    /// stream, what arrived since the last wait must be noticed first.
    pub fn io_turn() -> WaitOp {
        WaitOp::new(async {
            // A yielding task lets the scheduler poll the driver before it runs again.
            tokio::task::yield_now().await;
            Box::new(|_: Python<'_>| {}) as Apply
        })
    }

    /// httpcore's `get_extra_info("is_readable")`: whether a read would not wait (bytes have
    /// arrived, the peer closed, or the connection failed). What this polls out of the
    /// socket is kept for the next read.
    pub fn is_readable(&self) -> bool {
        let mut slot = lock(&self.reader);
        match &mut *slot {
            Half::Idle(reader) => {
                if !reader.ahead.is_empty() {
                    return true;
                }
                let mut buf = vec![0u8; 16 * 1024];
                let mut read_buf = ReadBuf::new(&mut buf);
                let mut cx = Context::from_waker(Waker::noop());
                match Pin::new(&mut reader.io).poll_read(&mut cx, &mut read_buf) {
                    Poll::Ready(Ok(())) => {
                        let filled = read_buf.filled().len();
                        reader.ahead.extend_from_slice(&buf[..filled]);
                        true
                    }
                    Poll::Ready(Err(_)) => true,
                    Poll::Pending => false,
                }
            }
            Half::Arrived(..) | Half::Gone => true,
            Half::Busy => false,
        }
    }
}

impl Handover for UpgradedConn {
    fn close(&self) {
        UpgradedConn::close(self);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::DuplexStream;

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
    }

    fn pair() -> (Arc<UpgradedConn>, DuplexStream) {
        let (ours, theirs) = tokio::io::duplex(1 << 16);
        (UpgradedConn::new(ours, None, ConnInfo::default()), theirs)
    }

    /// Step to the end, running each wait on `rt` (the Apply is a no-op: dropped).
    fn finish<T>(
        rt: &tokio::runtime::Runtime,
        mut step: impl FnMut() -> IoStep<T>,
    ) -> Result<T, HttpError> {
        loop {
            match step()? {
                Step::Ready(v) => return Ok(v),
                Step::Wait(op) => drop(rt.block_on(op.into_future())),
                Step::Await(_) => unreachable!("no Python awaitable here"),
            }
        }
    }

    fn read(
        rt: &tokio::runtime::Runtime,
        conn: &Arc<UpgradedConn>,
        max: usize,
        timeout: Option<Duration>,
    ) -> Result<Vec<u8>, HttpError> {
        let mut started = false;
        finish(rt, || conn.read_step(max, timeout, &mut started))
    }

    fn write(
        rt: &tokio::runtime::Runtime,
        conn: &Arc<UpgradedConn>,
        bytes: &[u8],
    ) -> Result<(), HttpError> {
        let mut data = Some(bytes.to_vec());
        finish(rt, || conn.write_step(&mut data, None))
    }

    #[test]
    fn reads_and_writes_both_ways() {
        let rt = runtime();
        let (conn, mut peer) = pair();
        write(&rt, &conn, b"ping").unwrap();
        let mut buf = [0u8; 4];
        rt.block_on(peer.read_exact(&mut buf)).unwrap();
        assert_eq!(&buf, b"ping");
        rt.block_on(peer.write_all(b"hello world")).unwrap();
        assert_eq!(read(&rt, &conn, 5, None).unwrap(), b"hello");
        assert_eq!(read(&rt, &conn, 100, None).unwrap(), b" world");
        assert_eq!(read(&rt, &conn, 0, None).unwrap(), b"");
    }

    #[test]
    fn the_peer_closing_reads_as_empty() {
        let rt = runtime();
        let (conn, peer) = pair();
        drop(peer);
        assert_eq!(read(&rt, &conn, 10, None).unwrap(), b"");
        assert_eq!(read(&rt, &conn, 10, None).unwrap(), b"");
    }

    #[test]
    fn a_read_times_out_and_the_stream_stays_usable() {
        let rt = runtime();
        let (conn, mut peer) = pair();
        let err = read(&rt, &conn, 10, Some(Duration::from_millis(20))).unwrap_err();
        assert_eq!(err.kind, ErrorKind::ReadTimeout);
        rt.block_on(peer.write_all(b"late")).unwrap();
        assert_eq!(read(&rt, &conn, 10, Some(Duration::ZERO)).unwrap(), b"late");
    }

    #[test]
    fn closing_ends_a_waiting_read_and_refuses_writes() {
        let rt = runtime();
        let (conn, _peer) = pair();
        let mut started = false;
        let Step::Wait(op) = conn.read_step(10, None, &mut started).unwrap() else {
            panic!("a read with nothing to read waits");
        };
        // A second read while the first waits is refused.
        let mut other = false;
        let busy = conn.read_step(10, None, &mut other);
        assert!(matches!(busy, Err(e) if e.kind == ErrorKind::ReadError));
        conn.close();
        drop(rt.block_on(op.into_future()));
        assert!(
            matches!(conn.read_step(10, None, &mut started), Ok(Step::Ready(v)) if v.is_empty())
        );
        assert_eq!(read(&rt, &conn, 10, None).unwrap(), b"");
        assert_eq!(
            write(&rt, &conn, b"x").unwrap_err().kind,
            ErrorKind::WriteError
        );
        conn.close();
    }

    #[test]
    fn an_abandoned_read_gives_its_half_back() {
        let rt = runtime();
        let (conn, mut peer) = pair();
        let mut started = false;
        let Step::Wait(op) = conn.read_step(10, None, &mut started).unwrap() else {
            panic!("a read with nothing to read waits");
        };
        drop(op); // cancelled: its future is dropped unfinished
        rt.block_on(peer.write_all(b"next")).unwrap();
        assert_eq!(read(&rt, &conn, 10, None).unwrap(), b"next");
    }

    #[test]
    fn is_readable_keeps_what_it_saw() {
        let rt = runtime();
        let (conn, mut peer) = pair();
        let _guard = rt.enter();
        assert!(!conn.is_readable());
        rt.block_on(peer.write_all(b"abc")).unwrap();
        assert!(conn.is_readable());
        assert_eq!(read(&rt, &conn, 2, None).unwrap(), b"ab");
        assert_eq!(read(&rt, &conn, 2, None).unwrap(), b"c");
        drop(peer);
        assert!(conn.is_readable());
    }
}
