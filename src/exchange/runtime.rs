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
//!   runtime and its connections (one pool, so that `Limits` hold across threads and a
//!   connection one thread freed serves the next). A current-thread runtime is driven by one
//!   thread at a time (the one holding its "core"). Taking turns at driving it stalls the
//!   I/O of every thread at each hand-over (the next driver must wake up first), and a thread
//!   that waits while another drives is woken at each step of its exchange, to poll its own
//!   future. So a thread that comes while others wait hands its future to the runtime as a
//!   task and waits for the task's end only (one wake-up per request), and a helper thread
//!   (`Helper`) takes the core while two or more threads wait, and keeps it until that has
//!   been over for `CALM`: the exchanges, the connections' tasks and the I/O run there
//!   without interruption, in parallel with the callers' Python. A single thread never wakes
//!   it, and keeps the cheap path.
//! - **async**: a multi-thread runtime (up to 4 workers) that runs on its own, since the
//!   event loop's thread cannot lend itself; requests arrive in bursts that keep its workers
//!   busy.
//!
//! The sync client lets Python run its signal handlers while it waits: a thread parked in Rust
//! otherwise never sees Ctrl-C. On the main thread (the only one Python runs them on), a
//! signal wakes the wait at once (`signal_wake.rs`); everywhere, the wait also wakes at the
//! end of each `SIGNAL_SLICE`, the fallback. If a handler raises, the future is dropped (with
//! its connection and pool slot) and the exception propagates.

use crate::exchange::signal_wake::{self, WakeSocket};
use pyo3::prelude::*;
use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock, Weak};
use std::time::Duration;
use tokio::runtime::{Builder, Handle, Runtime};

const SIGNAL_SLICE: Duration = Duration::from_millis(50);

/// How long the sync runtime's helper keeps driving after the last moment two threads
/// waited at once: threads that take turns at requests (the GIL serialises their Python
/// part) dip to one waiter for a moment at a time.
const CALM: Duration = Duration::from_millis(10);

/// Which driver a runtime serves.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Driver {
    Sync,
    Async,
}

/// A runtime, and (sync driver) what drives it while several threads wait on it.
pub struct Engine {
    rt: Runtime,
    helper: Helper,
    /// (sync driver) What a signal writes to, to wake a wait of the main thread; made on
    /// first use (None: the socket pair could not be made; the slices remain).
    wake: OnceLock<Option<WakeSocket>>,
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
    signal_wake::after_fork_in_child();
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

/// Per driver: (owning fork generation, engine). A forked child gets fresh runtimes (and a
/// helper of its own): threads do not survive fork.
static RUNTIMES: [Mutex<Option<Owned>>; 2] = [Mutex::new(None), Mutex::new(None)];

/// An engine and the fork generation of the process that made it.
type Owned = (u64, Arc<Engine>);

/// The engine of this process for `driver`, created on first use.
fn engine(driver: Driver) -> PyResult<Arc<Engine>> {
    let now = generation();
    let mut slot = RUNTIMES[driver as usize]
        .lock()
        .map_err(|_| crate::errors::internal("runtime lock poisoned"))?;
    if let Some((owner, engine)) = slot.as_ref() {
        if *owner == now {
            return Ok(engine.clone());
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
    let rt =
        built.map_err(|e| crate::errors::internal(format!("cannot start tokio runtime: {e}")))?;
    let engine = Arc::new(Engine {
        rt,
        helper: Helper::default(),
        wake: OnceLock::new(),
    });
    // A runtime inherited through fork has no threads left; dropping it could block forever.
    if let Some((_, stale)) = slot.replace((now, engine.clone())) {
        std::mem::forget(stale);
    }
    Ok(engine)
}

fn async_workers() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get().clamp(1, 4))
        .unwrap_or(2)
}

/// The thread that drives the sync runtime while two or more threads wait on it (see the
/// module docs).
#[derive(Default)]
struct Helper {
    /// Threads inside `RuntimeRef::wait` now.
    waiting: AtomicUsize,
    /// The helper was called and has not let go of the runtime yet.
    active: AtomicBool,
    /// The helper thread, once started.
    thread: OnceLock<std::thread::Thread>,
    /// Told when `waiting` drops below two while the helper is active.
    calm: tokio::sync::Notify,
}

/// A thread's presence in `RuntimeRef::wait`, counted for the helper.
struct Waiting<'a> {
    engine: &'a Arc<Engine>,
    /// Other threads were waiting when this one came, or the helper drives the runtime.
    contended: bool,
}

impl<'a> Waiting<'a> {
    fn enter(engine: &'a Arc<Engine>) -> Self {
        let helper = &engine.helper;
        let others = helper.waiting.fetch_add(1, Ordering::AcqRel);
        if others > 0 && !helper.active.swap(true, Ordering::AcqRel) {
            engine.call_helper();
        }
        Waiting {
            engine,
            // While the helper drives (it lingers for `CALM`), a thread that drove itself
            // would only poll its own future, woken at each step.
            contended: others > 0 || helper.active.load(Ordering::Acquire),
        }
    }
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        let helper = &self.engine.helper;
        let before = helper.waiting.fetch_sub(1, Ordering::AcqRel);
        if before <= 2 && helper.active.load(Ordering::Acquire) {
            helper.calm.notify_waiters();
        }
    }
}

impl Engine {
    /// The socket a signal wakes this runtime's waits through.
    fn wake_socket(&self) -> Option<&WakeSocket> {
        self.wake
            .get_or_init(|| {
                // Its reading end is registered with this runtime's reactor.
                let _context = self.rt.enter();
                WakeSocket::new().ok()
            })
            .as_ref()
    }

    /// Wake the helper thread (starting it the first time).
    fn call_helper(self: &Arc<Self>) {
        let engine = Arc::downgrade(self);
        let thread = self.helper.thread.get_or_init(|| {
            match std::thread::Builder::new()
                .name("httprs-sync".into())
                .spawn(move || helper_main(engine))
            {
                Ok(handle) => handle.thread().clone(),
                // No thread: the callers keep taking turns at driving, as they can.
                Err(_) => std::thread::current(),
            }
        });
        thread.unpark();
    }

    /// Drive the runtime until fewer than two threads have waited on it for `CALM`.
    async fn until_calm(&self) {
        let helper = &self.helper;
        loop {
            let calm = helper.calm.notified();
            if helper.waiting.load(Ordering::Acquire) < 2 {
                tokio::time::sleep(CALM).await;
                if helper.waiting.load(Ordering::Acquire) < 2 {
                    return;
                }
                continue;
            }
            calm.await;
        }
    }
}

fn helper_main(engine: Weak<Engine>) {
    // Whatever runs on this thread runs inside `block_on` below, which polls the sockets
    // between tasks: the exchanges need no catch-up.
    crate::transport::fetch::drives_without_pause();
    let mut called = false;
    loop {
        if !called {
            std::thread::park();
        }
        let Some(engine) = engine.upgrade() else {
            return;
        };
        if !engine.helper.active.load(Ordering::Acquire) {
            // A spurious wake-up.
            called = false;
            continue;
        }
        engine.rt.block_on(engine.until_calm());
        engine.helper.active.store(false, Ordering::Release);
        // A second thread may have come between the decision to stop and the store above,
        // and found the helper still active: look again before sleeping.
        called = engine.helper.waiting.load(Ordering::Acquire) >= 2
            && !engine.helper.active.swap(true, Ordering::AcqRel);
    }
}

/// Something that ties a client to the runtime of the process that created it.
#[derive(Clone)]
pub struct RuntimeRef {
    generation: u64,
    handle: Handle,
    // Keeps the runtime alive as long as a client uses it.
    engine: Arc<Engine>,
}

impl RuntimeRef {
    pub fn current(driver: Driver) -> PyResult<Self> {
        let engine = engine(driver)?;
        Ok(Self {
            generation: generation(),
            handle: engine.rt.handle().clone(),
            engine,
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

    /// Run `fut` on the sync runtime and wait for it with the GIL released (see module
    /// docs): driving the runtime on this thread, or, while other threads wait too, as a task
    /// of the runtime (the helper's) whose end this thread waits for.
    pub fn wait<T, F>(&self, py: Python<'_>, fut: F) -> PyResult<T>
    where
        F: Future<Output = T> + Send + 'static,
        T: Send + 'static,
    {
        self.handle()?;
        let rt = &self.engine.rt;
        let waiting = Waiting::enter(&self.engine);
        if waiting.contended {
            // Dropping this (Ctrl-C) aborts the task: its future, connection and pool slot go.
            let mut task = AbortOnDrop(rt.spawn(fut));
            return self.in_slices(py, &mut task.0, |joined| {
                joined.map_err(|_| crate::errors::internal("a request task panicked"))
            });
        }
        let mut fut = std::pin::pin!(fut);
        self.in_slices(py, &mut fut, Ok)
    }

    /// Wait for `fut`, the GIL released, running Python's signal handlers when a signal
    /// wakes the wait (main thread, past its first `QUICK`: see `signal_wake.rs`) and at the
    /// end of each `SIGNAL_SLICE`. Each slice drives the runtime on this thread unless another
    /// holds it (the helper, another caller): then this thread only waits for `fut` (or the
    /// wake socket) to be woken. (A lone thread spawning its future as a task instead was
    /// tried: no fewer `epoll_wait`s, one eventfd write more per request.)
    fn in_slices<T, O, F>(
        &self,
        py: Python<'_>,
        fut: &mut F,
        done: impl FnOnce(O) -> PyResult<T>,
    ) -> PyResult<T>
    where
        F: Future<Output = O> + Send + Unpin,
        O: Send,
    {
        let rt = &self.engine.rt;
        // Off the main thread no signal handler would run: the slices are enough.
        let wake = if signal_wake::on_main_thread() {
            self.engine.wake_socket()
        } else {
            None
        };
        let mut slice = match wake {
            Some(_) => signal_wake::QUICK,
            None => SIGNAL_SLICE,
        };
        // Dropped (our handlers stand aside) when this returns, the GIL held.
        let mut armed = None;
        loop {
            let watched = armed.as_ref().and(wake);
            let outcome = py.detach(|| {
                rt.block_on(async {
                    tokio::select! {
                        biased;
                        output = &mut *fut => Some(output),
                        _ = async {
                            match watched {
                                Some(socket) => socket.signalled().await,
                                None => std::future::pending().await,
                            }
                        } => None,
                        _ = tokio::time::sleep(slice) => None,
                    }
                })
            });
            let Some(output) = outcome else {
                if let (None, Some(socket)) = (&armed, wake) {
                    // Armed before the check: a signal that came before it is seen by the
                    // check, one after it wakes the next slice.
                    armed = Some(socket.arm());
                }
                slice = SIGNAL_SLICE;
                // Dropping the future (on return) drops its connection and pool slot.
                py.check_signals()?;
                continue;
            };
            return done(output);
        }
    }
}

/// A task aborted when this is dropped (a finished task ignores it).
struct AbortOnDrop<T>(tokio::task::JoinHandle<T>);

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
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
