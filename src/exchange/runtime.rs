//! The tokio runtimes of the process, and the sync driver's way of waiting on them.
//!
//! Every request runs as a future on a runtime: the sync driver's (`Client`, a sync
//! transport, reading a sync stream) or the async driver's (`AsyncClient`).
//!
//! - **sync**: a current-thread runtime that the calling thread drives itself while it waits
//!   (GIL released): the exchange, the connection's task and the socket wait all happen on
//!   that thread, so a request wakes no other thread. Handing each request to a worker
//!   thread instead cost about a third more CPU (21.4K against 10.7K context switches for
//!   5,300 sequential requests, two workers: 31.9K). Threads sharing a client share this
//!   runtime: tokio lets one drive it while the others wait for their futures.
//! - **async**: a multi-thread runtime (up to 4 workers) that runs on its own, since the
//!   event loop's thread cannot lend itself; requests arrive in bursts that keep its workers
//!   busy.
//!
//! The sync client waits in `SIGNAL_SLICE`s and lets Python run its signal handlers between
//! them: a thread parked in Rust otherwise never sees Ctrl-C. If a handler raises, the
//! future is dropped (with its connection and pool slot) and the exception propagates.

use pyo3::prelude::*;
use std::future::Future;
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
static RUNTIMES: [Mutex<Option<Owned>>; 2] = [Mutex::new(None), Mutex::new(None)];

/// A runtime and the pid of the process that made it.
type Owned = (u32, Arc<Runtime>);

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
    let built = match driver {
        Driver::Sync => Builder::new_current_thread().enable_all().build(),
        Driver::Async => Builder::new_multi_thread()
            .worker_threads(async_workers())
            .thread_name("httprs-async")
            .enable_all()
            .build(),
    };
    let rt = Arc::new(
        built.map_err(|e| crate::errors::internal(format!("cannot start tokio runtime: {e}")))?,
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

    /// Run `fut` on the sync runtime on this thread and wait for it with the GIL released
    /// (see module docs).
    pub fn wait<T, F>(&self, py: Python<'_>, fut: F) -> PyResult<T>
    where
        F: Future<Output = T> + Send,
        T: Send,
    {
        self.handle()?;
        let rt = &*self._rt;
        let mut fut = std::pin::pin!(fut);
        loop {
            // Each slice drives the runtime on this thread: the exchange and the connection
            // tasks it needs make progress here, without waking another thread.
            let slice = py.detach(|| {
                rt.block_on(async { tokio::time::timeout(SIGNAL_SLICE, fut.as_mut()).await })
            });
            match slice {
                Ok(value) => return Ok(value),
                // Dropping the future (on return) drops its connection and pool slot.
                Err(_) => py.check_signals()?,
            }
        }
    }
}

/// A future running on a runtime on its own (not waited for by anyone yet), owned: dropping
/// this aborts it, so that a request abandoned by its caller gives back its connection and
/// its pool slot.
pub struct Spawned<T> {
    task: tokio::task::JoinHandle<T>,
    /// Closed (its sender dropped) when the task is over, finished or aborted.
    over: tokio::sync::watch::Receiver<()>,
}

impl<T: Send + 'static> Spawned<T> {
    pub fn spawn(driver: Driver, fut: impl Future<Output = T> + Send + 'static) -> PyResult<Self> {
        let (over_tx, over) = tokio::sync::watch::channel(());
        let task = RuntimeRef::current(driver)?.handle()?.spawn(async move {
            let _over = over_tx;
            fut.await
        });
        Ok(Spawned { task, over })
    }

    pub fn is_finished(&self) -> bool {
        self.task.is_finished()
    }

    /// A future that is ready once the task is over (to race a wait against it).
    pub fn over(&self) -> impl Future<Output = ()> + Send + 'static {
        let mut over = self.over.clone();
        async move { while over.changed().await.is_ok() {} }
    }

    /// The task's output; None if it panicked.
    pub async fn join(mut self) -> Option<T> {
        (&mut self.task).await.ok()
    }
}

impl<T> Drop for Spawned<T> {
    fn drop(&mut self) {
        // A finished task ignores this.
        self.task.abort();
    }
}
