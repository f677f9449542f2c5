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
use std::sync::atomic::{AtomicU64, Ordering};
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

/// Which process we are in, as a count of `os.fork()`s: bumped in the child of each fork by
/// the hook `register_fork_hook` gives Python. Runtimes and clients remember the generation
/// that made them. Why not `getpid()`: it is a system call, and it was made four times per
/// request; this is an atomic load. (A fork that bypasses `os.fork()`, from C, is not seen;
/// Python code, `multiprocessing` included, forks through `os.fork()`.)
static FORK_GENERATION: AtomicU64 = AtomicU64::new(0);

fn generation() -> u64 {
    FORK_GENERATION.load(Ordering::Acquire)
}

#[pyfunction]
fn after_fork_in_child() {
    FORK_GENERATION.fetch_add(1, Ordering::AcqRel);
}

/// `os.register_at_fork(after_in_child=...)`, once, when the module is imported.
pub fn register_fork_hook(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    let hook = wrap_pyfunction!(after_fork_in_child, m)?;
    let kwargs = pyo3::types::PyDict::new(py);
    kwargs.set_item("after_in_child", hook)?;
    py.import("os")?
        .getattr("register_at_fork")?
        .call((), Some(&kwargs))?;
    Ok(())
}

/// Per driver: (owning fork generation, runtime). A forked child gets fresh runtimes: threads
/// do not survive fork.
static RUNTIMES: [Mutex<Option<Owned>>; 2] = [Mutex::new(None), Mutex::new(None)];

/// A runtime and the fork generation of the process that made it.
type Owned = (u64, Arc<Runtime>);

/// The runtime of this process for `driver`, created on first use.
pub fn runtime(driver: Driver) -> PyResult<Arc<Runtime>> {
    let now = generation();
    let mut slot = RUNTIMES[driver as usize]
        .lock()
        .map_err(|_| crate::errors::internal("runtime lock poisoned"))?;
    if let Some((owner, rt)) = slot.as_ref() {
        if *owner == now {
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
    if let Some((_, stale)) = slot.replace((now, rt.clone())) {
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
    generation: u64,
    handle: Handle,
    // Keeps the runtime alive as long as a client uses it.
    _rt: Arc<Runtime>,
}

impl RuntimeRef {
    pub fn current(driver: Driver) -> PyResult<Self> {
        let rt = runtime(driver)?;
        Ok(Self {
            generation: generation(),
            handle: rt.handle().clone(),
            _rt: rt,
        })
    }

    /// The handle, after checking we are still in the process that made the client.
    pub fn handle(&self) -> PyResult<&Handle> {
        if self.generation != generation() {
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
            // tasks it needs make progress here, without waking another thread. (Spawning
            // `fut` as a task instead was tried: no fewer `epoll_wait`s, one eventfd write
            // more per request.)
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
