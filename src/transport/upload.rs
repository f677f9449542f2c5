//! A request body fed from outside the runtime. The chunks of an async iterator can only be
//! pulled on the caller's event loop, while hyper pulls request bodies on runtime threads: the
//! caller feeds the chunks into a bounded channel whose other end is the body hyper sends.
//! Memory stays flat whatever the body's size: a full channel makes the caller wait
//! (backpressure) until hyper has taken a chunk.

use bytes::Bytes;
use futures_util::StreamExt;
use std::future::Future;
use tokio::sync::mpsc;

/// How many chunks wait in the channel: enough that hyper rarely waits on the caller's loop
/// between two chunks, few enough that an upload of any size holds only a few in memory.
const BACKLOG: usize = 4;

/// What the channel carries: a chunk, or `None` for the body's end. The end is a message of
/// its own so that a feeder dropped midway (the iterator raised, the task was cancelled) ends
/// the body with an error: hyper then aborts the request rather than finishing a chunked body
/// that is cut short, which the server would take for the whole body.
type Piece = Option<Bytes>;

/// The caller's end of the channel.
pub struct Feeder {
    tx: mpsc::Sender<Piece>,
}

/// The outcome of offering a piece without waiting.
pub enum Fed {
    Taken,
    /// No room: the piece back, to be fed with `feed` (which waits).
    Full(Piece),
    /// The body is gone (hyper dropped it: the exchange ended or gave up on the body).
    Gone,
}

/// A feeder and the body it feeds.
pub fn channel() -> (Feeder, reqwest::Body) {
    let (tx, rx) = mpsc::channel::<Piece>(BACKLOG);
    let stream = futures_util::stream::unfold(Some(rx), |rx| async move {
        let mut rx = rx?;
        match rx.recv().await {
            Some(Some(chunk)) => Some((Ok(chunk), Some(rx))),
            Some(None) => None,
            None => Some((
                Err(std::io::Error::other(
                    "the request body's async iterator stopped before its end",
                )),
                None,
            )),
        }
    });
    // Fused: a poll after the end is answered again, rather than being a panic of `unfold`.
    (Feeder { tx }, reqwest::Body::wrap_stream(stream.fuse()))
}

impl Feeder {
    /// Offer a chunk (`Some`) or the end (`None`) without waiting: this needs no runtime, so
    /// the caller's thread does it while the channel has room.
    pub fn try_feed(&self, piece: Piece) -> Fed {
        match self.tx.try_send(piece) {
            Ok(()) => Fed::Taken,
            Err(mpsc::error::TrySendError::Full(piece)) => Fed::Full(piece),
            Err(mpsc::error::TrySendError::Closed(_)) => Fed::Gone,
        }
    }

    /// Feed a piece, waiting for room (a future for the runtime). False when the body is gone.
    pub fn feed(&self, piece: Piece) -> impl Future<Output = bool> + Send + 'static {
        let tx = self.tx.clone();
        async move { tx.send(piece).await.is_ok() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body::Body as _;
    use std::pin::Pin;
    use std::task::{Context, Poll};

    /// The next frame's data; `Err` for an error frame; None at the end or when pending.
    fn next(body: &mut reqwest::Body) -> Option<Result<Bytes, ()>> {
        let mut cx = Context::from_waker(std::task::Waker::noop());
        match Pin::new(body).poll_frame(&mut cx) {
            Poll::Ready(Some(Ok(frame))) => frame.into_data().ok().map(Ok),
            Poll::Ready(Some(Err(_))) => Some(Err(())),
            _ => None,
        }
    }

    #[test]
    fn chunks_go_through_in_order_and_the_end_ends_the_body() {
        let (feeder, mut body) = channel();
        assert!(matches!(
            feeder.try_feed(Some(Bytes::from("a"))),
            Fed::Taken
        ));
        assert!(matches!(
            feeder.try_feed(Some(Bytes::from("b"))),
            Fed::Taken
        ));
        assert!(matches!(feeder.try_feed(None), Fed::Taken));
        assert_eq!(next(&mut body), Some(Ok(Bytes::from("a"))));
        assert_eq!(next(&mut body), Some(Ok(Bytes::from("b"))));
        assert_eq!(next(&mut body), None);
        // Polled again, it stays ended.
        assert_eq!(next(&mut body), None);
    }

    #[test]
    fn the_channel_holds_only_a_few_chunks() {
        let (feeder, mut body) = channel();
        for _ in 0..BACKLOG {
            assert!(matches!(
                feeder.try_feed(Some(Bytes::from("x"))),
                Fed::Taken
            ));
        }
        let Fed::Full(Some(back)) = feeder.try_feed(Some(Bytes::from("y"))) else {
            panic!("a full channel took a chunk");
        };
        assert_eq!(back, Bytes::from("y"));
        assert_eq!(next(&mut body), Some(Ok(Bytes::from("x"))));
        assert!(matches!(feeder.try_feed(Some(back)), Fed::Taken));
    }

    #[test]
    fn a_feeder_dropped_before_the_end_fails_the_body() {
        let (feeder, mut body) = channel();
        assert!(matches!(
            feeder.try_feed(Some(Bytes::from("a"))),
            Fed::Taken
        ));
        drop(feeder);
        assert_eq!(next(&mut body), Some(Ok(Bytes::from("a"))));
        assert_eq!(next(&mut body), Some(Err(())));
    }

    #[test]
    fn feeding_a_dropped_body_says_it_is_gone() {
        let (feeder, body) = channel();
        drop(body);
        assert!(matches!(feeder.try_feed(Some(Bytes::from("a"))), Fed::Gone));
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a runtime");
        assert!(!rt.block_on(feeder.feed(None)));
    }
}
