//! Where an exchange is until its response head arrives, so that each phase gets its own
//! budget as in httpx: waiting for a connection from the pool (`pool`), connecting
//! (`connect`), sending the request body (`write`, counted from the last time hyper took a
//! piece of it), then waiting for the response (`read`). reqwest has one timeout for
//! everything; we learn when a request queues for a connection, when one is being made and
//! when it is up, from the connector layer (`pool::PoolLayer`), which reports to the
//! exchange's task (a task-local: the connector runs inside the request's future), and how
//! the body goes from a wrapper around it (`ReportingBody`: hyper polls it on the
//! connection's task, so it holds the reporter itself).

use crate::observe::events::EventLog;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Instant;
use tokio::sync::watch;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// No connection being made: a pooled one is in use (or the connect has not started).
    Waiting,
    /// Waiting since this instant for a connection from the pool: one coming back, or a
    /// slot under `max_connections` to make one.
    Queued(Instant),
    Connecting(Instant),
    Connected(Instant),
    /// hyper last asked for a piece of the request body at this instant (it only asks when
    /// the previous pieces are written or buffered: a server that stops reading stalls it).
    Sending(Instant),
    /// hyper asked for a piece of the body and the body's producer had none ready (an async
    /// iterator feeding it from the caller's event loop, see `upload.rs`): no budget runs
    /// while the producer works, since httpx's write timeout covers writing to the socket,
    /// not making the body. The next piece reports `Sending` again.
    Producing,
    /// The whole body was handed to hyper at this instant: now it is the response's turn.
    Sent(Instant),
    /// hyper dropped the body before taking all of it (the connection stopped writing: the
    /// server closed it, say), at this instant: nothing more will be sent.
    Abandoned(Instant),
    /// An interim (1xx) response arrived at this instant: a read that got data, so the read
    /// budget starts again (102 Processing keeps a long request alive, as in httpx).
    Interim(Instant),
    /// More than `MAX_INTERIM` interim responses: a flood, not a server at work.
    InterimFlood,
}

/// How many interim (1xx) responses may come before the final one. httpx has no cap (a
/// server sending 1xx forever keeps it reading forever); hyper has none either, so we count.
pub const MAX_INTERIM: usize = 1024;

/// Count the interim responses to `request` (hyper calls back for each), reporting them.
/// hyper sets its callback only on an `http::Request`: it is set on an empty one, whose
/// extensions then move to the reqwest request (our reqwest patch hands them on to hyper).
pub fn watch_interim(request: &mut reqwest::Request, reporter: Reporter) {
    let count = std::sync::atomic::AtomicUsize::new(0);
    let mut carrier = http::Request::new(());
    hyper::ext::on_informational(&mut carrier, move |_| {
        let seen = count.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        reporter.send_replace(if seen > MAX_INTERIM {
            Phase::InterimFlood
        } else {
            Phase::Interim(Instant::now())
        });
    });
    request
        .extensions_mut()
        .extend(std::mem::take(carrier.extensions_mut()));
}

pub type Reporter = Arc<watch::Sender<Phase>>;

/// What the connector layer reports to: the exchange's phases, and its DEBUG records when the
/// `httprs` logger wanted them.
#[derive(Clone)]
pub struct Tracking {
    pub phases: Reporter,
    pub events: Option<Arc<EventLog>>,
}

tokio::task_local! {
    static TRACKING: Tracking;
}

/// A reporter and the receiver to watch it with.
pub fn reporter() -> (Reporter, watch::Receiver<Phase>) {
    let (tx, rx) = watch::channel(Phase::Waiting);
    (Arc::new(tx), rx)
}

/// Run `fut` (an exchange) with `tracking` reachable from the connector layer.
pub fn tracked<F: Future>(fut: F, tracking: Tracking) -> impl Future<Output = F::Output> {
    TRACKING.scope(tracking, fut)
}

/// What the exchange whose task this is reports to (None outside an exchange's task).
pub fn current() -> Option<Tracking> {
    TRACKING.try_with(Tracking::clone).ok()
}

/// Whether this runs in an exchange's task (hyper moves a connect the request no longer
/// waits for to a task of its own).
pub fn in_exchange() -> bool {
    TRACKING.try_with(|_| ()).is_ok()
}

/// The request queued for a connection got one from the pool.
pub fn handed_over(reporter: &Reporter) {
    reporter.send_if_modified(|phase| match phase {
        Phase::Queued(_) => {
            *phase = Phase::Connected(Instant::now());
            true
        }
        _ => false,
    });
}

/// The connection being made is up. A connect that finished after the request moved on
/// (it got another connection) reports nothing: the request is further along.
pub fn connected(reporter: &Reporter) {
    reporter.send_if_modified(|phase| match phase {
        Phase::Connecting(_) => {
            *phase = Phase::Connected(Instant::now());
            true
        }
        _ => false,
    });
}

/// The first piece of a request body handed to hyper, and the piece after a slow one: a
/// stalled upload is noticed after at most this much more is buffered.
const PIECE: usize = 64 * 1024;

/// The largest piece. In 64 KiB pieces a 10 MiB upload on loopback took 1.3× the CPU of one
/// handed over whole (more, smaller `writev`s: perf, `strace -c`); from 4 MiB up the cost
/// is the kernel's copy alone.
const MOST_PIECE: usize = 4 * 1024 * 1024;

/// hyper asked for the next piece within this of the last one: the link takes the pieces
/// fast, so the next may be twice as large.
const QUICK: std::time::Duration = std::time::Duration::from_millis(20);

/// The size of the next piece: doubled (up to `MOST_PIECE`) while hyper asks again within
/// `QUICK`, back to `PIECE` when it took longer. hyper asks once what it holds has gone below
/// its buffer's size, so a quick ask means the link moved the last piece's worth quickly: a
/// piece grows only on a link that writes it in about `QUICK` (4 MiB: ~200 MB/s), so the
/// write budget (from one ask to the next) still measures a stall, not a large piece, unless
/// the link slows a hundredfold within one piece. On a slow link every piece is `PIECE`.
fn next_piece(last: usize, since_last_ask: Option<std::time::Duration>) -> usize {
    match since_last_ask {
        Some(gap) if gap <= QUICK => (last * 2).clamp(PIECE, MOST_PIECE),
        _ => PIECE,
    }
}

/// A request body that reports `Sending` each time hyper asks for more and `Sent` once all
/// of it is handed over. Bytes go in `PIECE`-sized frames with their exact length known, so
/// the framing (Content-Length) is the same as for a plain bytes body.
pub struct ReportingBody<B> {
    inner: Source<B>,
    reporter: Reporter,
    /// `Sent` was reported.
    done: bool,
    /// The size of the last piece of a bytes body, and when hyper asked for it.
    piece: usize,
    asked: Option<Instant>,
}

impl<B> Drop for ReportingBody<B> {
    fn drop(&mut self) {
        if !self.done {
            self.reporter.send_replace(Phase::Abandoned(Instant::now()));
        }
    }
}

enum Source<B> {
    Bytes(bytes::Bytes),
    Stream(B),
}

impl ReportingBody<reqwest::Body> {
    pub fn bytes(bytes: bytes::Bytes, reporter: Reporter) -> reqwest::Body {
        reqwest::Body::wrap(Self {
            inner: Source::Bytes(bytes),
            reporter,
            done: false,
            piece: PIECE,
            asked: None,
        })
    }

    pub fn stream(body: reqwest::Body, reporter: Reporter) -> reqwest::Body {
        reqwest::Body::wrap(Self {
            inner: Source::Stream(body),
            reporter,
            done: false,
            piece: PIECE,
            asked: None,
        })
    }
}

impl<B> http_body::Body for ReportingBody<B>
where
    B: http_body::Body<Data = bytes::Bytes> + Unpin,
{
    type Data = bytes::Bytes;
    type Error = B::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<bytes::Bytes>, Self::Error>>> {
        let this = self.get_mut();
        let now = Instant::now();
        this.reporter.send_replace(Phase::Sending(now));
        let polled = match &mut this.inner {
            Source::Bytes(rest) if rest.is_empty() => Poll::Ready(None),
            Source::Bytes(rest) => {
                this.piece = next_piece(this.piece, this.asked.map(|t| now - t));
                this.asked = Some(now);
                let piece = rest.split_to(rest.len().min(this.piece));
                Poll::Ready(Some(Ok(http_body::Frame::data(piece))))
            }
            Source::Stream(body) => Pin::new(body).poll_frame(cx),
        };
        if polled.is_pending() {
            // Only a fed body is ever pending (bytes and sync iterators answer at once).
            this.reporter.send_replace(Phase::Producing);
            return polled;
        }
        if matches!(polled, Poll::Ready(None)) || this.is_end_stream() {
            this.done = true;
            this.reporter.send_replace(Phase::Sent(Instant::now()));
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        match &self.inner {
            Source::Bytes(rest) => rest.is_empty(),
            Source::Stream(body) => body.is_end_stream(),
        }
    }

    fn size_hint(&self) -> http_body::SizeHint {
        match &self.inner {
            Source::Bytes(rest) => http_body::SizeHint::with_exact(rest.len() as u64),
            Source::Stream(body) => body.size_hint(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body::Body as _;

    fn body_of(len: usize) -> (ReportingBody<reqwest::Body>, watch::Receiver<Phase>) {
        let (reporter, phases) = reporter();
        let body = ReportingBody {
            inner: Source::Bytes(bytes::Bytes::from(vec![b'x'; len])),
            reporter,
            done: false,
            piece: PIECE,
            asked: None,
        };
        (body, phases)
    }

    fn poll(body: &mut ReportingBody<reqwest::Body>) -> Option<usize> {
        let mut cx = Context::from_waker(std::task::Waker::noop());
        match Pin::new(body).poll_frame(&mut cx) {
            Poll::Ready(Some(Ok(frame))) => frame.into_data().ok().map(|d| d.len()),
            _ => None,
        }
    }

    #[test]
    fn a_body_dropped_before_its_end_is_reported_abandoned() {
        let (mut body, phases) = body_of(PIECE + 1);
        assert_eq!(poll(&mut body), Some(PIECE));
        assert!(matches!(*phases.borrow(), Phase::Sending(_)));
        drop(body);
        assert!(matches!(*phases.borrow(), Phase::Abandoned(_)));
    }

    #[test]
    fn a_fed_body_waiting_for_its_producer_reports_producing_then_sending() {
        let (feeder, fed) = crate::transport::upload::channel();
        let (reporter, phases) = reporter();
        let mut body = ReportingBody {
            inner: Source::Stream(fed),
            reporter,
            done: false,
            piece: PIECE,
            asked: None,
        };
        assert_eq!(poll(&mut body), None);
        assert_eq!(*phases.borrow(), Phase::Producing);
        assert!(matches!(
            feeder.try_feed(Some(bytes::Bytes::from("ab"))),
            crate::transport::upload::Fed::Taken
        ));
        assert_eq!(poll(&mut body), Some(2));
        assert!(matches!(*phases.borrow(), Phase::Sending(_)));
    }

    #[test]
    fn pieces_grow_while_asked_for_quickly_and_shrink_after_a_slow_ask() {
        let quick = Some(QUICK / 2);
        let slow = Some(QUICK * 2);
        assert_eq!(next_piece(PIECE, None), PIECE);
        assert_eq!(next_piece(PIECE, quick), 2 * PIECE);
        assert_eq!(next_piece(MOST_PIECE / 2, quick), MOST_PIECE);
        assert_eq!(next_piece(MOST_PIECE, quick), MOST_PIECE);
        assert_eq!(next_piece(MOST_PIECE, slow), PIECE);
    }

    #[test]
    fn a_body_asked_for_at_once_goes_in_growing_pieces_of_its_exact_length() {
        let (mut body, _) = body_of(10 * PIECE);
        let mut sizes = Vec::new();
        while let Some(n) = poll(&mut body) {
            sizes.push(n);
        }
        assert_eq!(sizes, [PIECE, 2 * PIECE, 4 * PIECE, 3 * PIECE]);
    }

    #[test]
    fn a_body_taken_to_its_end_stays_sent_when_dropped() {
        let (mut body, phases) = body_of(PIECE + 1);
        assert_eq!(poll(&mut body), Some(PIECE));
        assert_eq!(poll(&mut body), Some(1));
        assert!(matches!(*phases.borrow(), Phase::Sent(_)));
        drop(body);
        assert!(matches!(*phases.borrow(), Phase::Sent(_)));
    }
}
