//! Where an exchange is until its response head arrives, so that each phase gets its own
//! budget as in httpx: connecting (`connect`), then waiting for the response (`read`, plus
//! `write` when there is a body to send). reqwest has one timeout for everything; we learn
//! when a connection is being made, and when it is up, from a connector layer that reports
//! to the exchange's task (a task-local: the connector runs inside the request's future).

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
    Connecting(Instant),
    Connected(Instant),
}

tokio::task_local! {
    static PHASE: Arc<watch::Sender<Phase>>;
}

/// Run `fut` (an exchange) with a phase reporter; returns the receiver to watch.
pub fn tracked<F: Future>(fut: F) -> (impl Future<Output = F::Output>, watch::Receiver<Phase>) {
    let (tx, rx) = watch::channel(Phase::Waiting);
    (PHASE.scope(Arc::new(tx), fut), rx)
}

fn report(phase: Phase) {
    let _ = PHASE.try_with(|tx| tx.send_replace(phase));
}

/// The connector layer (see `ClientBuilder::connector_layer`).
#[derive(Clone, Copy, Default)]
pub struct PhaseLayer;

impl<S> tower_layer::Layer<S> for PhaseLayer {
    type Service = PhaseService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        PhaseService { inner }
    }
}

#[derive(Clone)]
pub struct PhaseService<S> {
    inner: S,
}

impl<S, R> tower_service::Service<R> for PhaseService<S>
where
    S: tower_service::Service<R>,
    S::Future: Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<S::Response, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: R) -> Self::Future {
        report(Phase::Connecting(Instant::now()));
        let reporter = PHASE.try_with(|tx| tx.clone()).ok();
        let connecting = self.inner.call(request);
        Box::pin(async move {
            let result = connecting.await;
            if let (Some(tx), Ok(_)) = (reporter, &result) {
                tx.send_replace(Phase::Connected(Instant::now()));
            }
            result
        })
    }
}
