//! The one tokio runtime of the process, and the sync driver's way of waiting on it.
//!
//! Every request runs as a future on this runtime. The sync client waits for it with the GIL
//! released, waking every `SIGNAL_SLICE` to let Python run its signal handlers: a thread parked
//! in Rust otherwise never sees Ctrl-C. If a handler raises, the future is aborted (which drops
//! its connection) and the exception propagates.

use pyo3::prelude::*;
use std::future::Future;
use std::sync::mpsc::{sync_channel, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::runtime::{Builder, Handle, Runtime};

const SIGNAL_SLICE: Duration = Duration::from_millis(50);

/// (owning pid, runtime). A forked child gets a fresh runtime: threads do not survive fork.
static RUNTIME: Mutex<Option<(u32, Arc<Runtime>)>> = Mutex::new(None);

/// The runtime for this process, created on first use.
pub fn runtime() -> PyResult<Arc<Runtime>> {
    let pid = std::process::id();
    let mut slot = RUNTIME
        .lock()
        .map_err(|_| crate::errors::internal("runtime lock poisoned"))?;
    if let Some((owner, rt)) = slot.as_ref() {
        if *owner == pid {
            return Ok(rt.clone());
        }
    }
    let rt = Arc::new(
        Builder::new_multi_thread()
            .worker_threads(worker_count())
            .thread_name("httprs-worker")
            .enable_all()
            .build()
            .map_err(|e| crate::errors::internal(format!("cannot start tokio runtime: {e}")))?,
    );
    // A runtime inherited through fork has no threads left; dropping it could block forever.
    if let Some((_, stale)) = slot.replace((pid, rt.clone())) {
        std::mem::forget(stale);
    }
    Ok(rt)
}

fn worker_count() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get().clamp(1, 4))
        .unwrap_or(2)
}

/// Something that ties a client to the runtime of the process that created it.
#[derive(Clone)]
pub struct RuntimeRef {
    pid: u32,
    handle: Handle,
    // Keeps the runtime alive as long as a client uses it.
    _rt: Arc<Runtime>,
}

impl RuntimeRef {
    pub fn current() -> PyResult<Self> {
        let rt = runtime()?;
        Ok(Self {
            pid: std::process::id(),
            handle: rt.handle().clone(),
            _rt: rt,
        })
    }

    /// The handle, after checking we are still in the process that made the client.
    pub fn handle(&self) -> PyResult<&Handle> {
        if self.pid != std::process::id() {
            return Err(pyo3::exceptions::PyRuntimeError::new_err(
                "This client was created before os.fork(); create a new client in the child process.",
            ));
        }
        Ok(&self.handle)
    }

    /// Run `fut` on the runtime and wait for it with the GIL released (see module docs).
    pub fn wait<T, F>(&self, py: Python<'_>, fut: F) -> PyResult<T>
    where
        F: Future<Output = T> + Send + 'static,
        T: Send + 'static,
    {
        let handle = self.handle()?;
        let (tx, rx) = sync_channel::<T>(1);
        let task = handle.spawn(async move {
            let _ = tx.send(fut.await);
        });
        let mut rx = rx;
        loop {
            let (back, received) = py.detach(move || {
                let r = rx.recv_timeout(SIGNAL_SLICE);
                (rx, r)
            });
            rx = back;
            match received {
                Ok(value) => return Ok(value),
                Err(RecvTimeoutError::Timeout) => {
                    if let Err(err) = py.check_signals() {
                        task.abort();
                        return Err(err);
                    }
                }
                Err(RecvTimeoutError::Disconnected) => {
                    return Err(crate::errors::internal(
                        "request task ended without a result",
                    ))
                }
            }
        }
    }
}
