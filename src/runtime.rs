//! The tokio runtimes of the process, and the sync driver's way of waiting on them.
//!
//! Every request runs as a future on a runtime: the sync driver's (`Client`, a sync
//! transport, reading a sync stream) or the async driver's (`AsyncClient`). They differ in
//! one thing: the sync one has a single worker thread. A sync call hands its future over
//! from outside the runtime; with two workers, the one that wakes for it wakes the other to
//! look for more work (tokio keeps a searcher going), and that second wake-up on every
//! request costs more CPU than the request itself needs (31.9K against 21.4K context switches
//! for 5,300 requests; see the issue notes). Async work arrives in bursts that keep two
//! workers busy, so there the second worker pays off.
//!
//! The sync client waits with the GIL released, waking every `SIGNAL_SLICE` to let Python
//! run its signal handlers: a thread parked in Rust otherwise never sees Ctrl-C. If a
//! handler raises, the future is aborted (which drops its connection) and the exception
//! propagates.

use pyo3::prelude::*;
use std::future::Future;
use std::sync::mpsc::{sync_channel, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::runtime::{Builder, Handle, Runtime};

const SIGNAL_SLICE: Duration = Duration::from_millis(50);

/// Which driver a runtime serves.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Driver {
    Sync,
    Async,
}

/// Per driver: (owning pid, runtime). A forked child gets fresh runtimes: threads do not
/// survive fork.
static RUNTIMES: [Mutex<Option<(u32, Arc<Runtime>)>>; 2] = [Mutex::new(None), Mutex::new(None)];

/// The runtime of this process for `driver`, created on first use.
pub fn runtime(driver: Driver) -> PyResult<Arc<Runtime>> {
    let pid = std::process::id();
    let mut slot = RUNTIMES[driver as usize]
        .lock()
        .map_err(|_| crate::errors::internal("runtime lock poisoned"))?;
    if let Some((owner, rt)) = slot.as_ref() {
        if *owner == pid {
            return Ok(rt.clone());
        }
    }
    let (workers, name) = match driver {
        Driver::Sync => (1, "httprs-sync"),
        Driver::Async => (async_workers(), "httprs-async"),
    };
    let rt = Arc::new(
        Builder::new_multi_thread()
            .worker_threads(workers)
            .thread_name(name)
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

fn async_workers() -> usize {
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
    pub fn current(driver: Driver) -> PyResult<Self> {
        let rt = runtime(driver)?;
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
