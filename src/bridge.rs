//! The sync-over-async bridge: the only code in dbcompat that polls a future or knows that
//! tokio exists.
//!
//! * [`ready`] polls a future once with a no-op waker. libsql's local futures are plain
//!   synchronous code behind `async fn`, so they finish on the first poll; local mode
//!   therefore needs no runtime at all and works the same inside or outside one.
//! * With the `remote` feature, [`block_on`] drives network futures on one process-wide
//!   multi-thread runtime that is built lazily and keeps running between calls (libsql spawns
//!   background tasks). A caller inside a multi-thread tokio runtime steps out of it with
//!   `block_in_place`; one inside a current-thread runtime hands the call to its connection's
//!   helper thread ([`Caller`]). So no call ever panics with "Cannot start a runtime from
//!   within a runtime", none deadlocks a current-thread runtime, and none spawns a thread.

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

/// Polls `fut` once. `None` means it was not ready, which for libsql's local futures would be
/// a change in libsql; callers turn that into an error rather than blocking or panicking.
pub(crate) fn ready<F: Future>(fut: F) -> Option<F::Output> {
    let mut fut = pin!(fut);
    let mut cx = Context::from_waker(Waker::noop());
    match fut.as_mut().poll(&mut cx) {
        Poll::Ready(out) => Some(out),
        Poll::Pending => None,
    }
}

#[cfg(feature = "remote")]
#[cfg_attr(not(feature = "replica"), allow(unused_imports))]
pub(crate) use network::{
    block_on, block_on_from, drop_in_runtime, run_on_worker, spawn_detached, spawn_here, Caller,
    Driver,
};

#[cfg(feature = "remote")]
mod network {
    use crate::error::error_from_sqlite_code;
    use crate::{ffi, Error, Result};
    use std::future::Future;
    use std::sync::{mpsc, Mutex, OnceLock};
    use std::time::Duration;
    use tokio::runtime::{Handle, Runtime, RuntimeFlavor};

    /// How long one network call may take before it fails with a clear
    /// error (`DatabaseBusy`, extended code SQLITE_BUSY_TIMEOUT) instead of hanging:
    /// `DBCOMPAT_REMOTE_TIMEOUT_MS`, default 30 s.
    fn call_timeout() -> Duration {
        static TIMEOUT: OnceLock<Duration> = OnceLock::new();
        *TIMEOUT.get_or_init(|| {
            std::env::var("DBCOMPAT_REMOTE_TIMEOUT_MS")
                .ok()
                .and_then(|v| v.parse::<u64>().ok())
                .map_or(Duration::from_secs(30), Duration::from_millis)
        })
    }

    /// The process-wide runtime for network work: built once, on first use, and kept running
    /// so libsql's background tasks (stream closes, replica sync) make progress between calls.
    fn runtime() -> Result<&'static Runtime> {
        static RUNTIME: OnceLock<std::result::Result<Runtime, String>> = OnceLock::new();
        RUNTIME
            .get_or_init(|| {
                tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .thread_name("dbcompat-net")
                    .enable_all()
                    .build()
                    .map_err(|e| e.to_string())
            })
            .as_ref()
            .map_err(|e| {
                error_from_sqlite_code(
                    ffi::SQLITE_CANTOPEN,
                    Some(format!("cannot start dbcompat's network runtime: {e}")),
                )
            })
    }

    /// Runs a network future to completion on the shared runtime and returns its output, or a
    /// timeout error, for a call that belongs to no connection yet (opening one). Safe from any
    /// context, as [`block_on_from`]; from inside a current-thread runtime it starts a helper
    /// thread for this one call.
    pub(crate) fn block_on<F>(fut: F) -> Result<F::Output>
    where
        F: Future + Send,
        F::Output: Send,
    {
        block_on_from(&Caller::default(), fut)
    }

    /// Runs a network future of the connection that owns `caller` to completion on the shared
    /// runtime and returns its output, or a timeout error. Safe from any context: the calling
    /// thread drives the shared runtime itself, stepping out of its own multi-thread runtime
    /// first when it is inside one; inside a current-thread runtime the call runs on the
    /// caller's helper thread. The shared runtime never depends on the caller's, so neither
    /// can deadlock.
    pub(crate) fn block_on_from<F>(caller: &Caller, fut: F) -> Result<F::Output>
    where
        F: Future + Send,
        F::Output: Send,
    {
        drive(runtime()?, caller, fut)
    }

    /// Drives `fut` on `rt` from wherever `caller` says, bounded by the call timeout.
    fn drive<F>(rt: &Runtime, caller: &Caller, fut: F) -> Result<F::Output>
    where
        F: Future + Send,
        F::Output: Send,
    {
        let timeout = call_timeout();
        let bounded = async move { tokio::time::timeout(timeout, fut).await };
        // A panic inside libsql (it panics on some malformed values) becomes an error here
        // instead of unwinding into the caller.
        let run = || {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| rt.block_on(bounded)))
                .map_err(|_| Error::UnwindingPanic)
        };
        caller.run(run)??.map_err(|_| timed_out(timeout))
    }

    /// Where one connection's blocking calls run when its caller is inside a tokio runtime.
    /// A multi-thread runtime's worker steps out with `block_in_place` (it hands its other
    /// tasks to another thread) and drives the call itself: no thread is spawned. A
    /// current-thread runtime cannot give its thread away, so the call runs on a helper thread
    /// that is started on the first such call and reused for every later one (never a thread
    /// per call).
    #[derive(Default)]
    pub(crate) struct Caller {
        helper: Mutex<Option<Helper>>,
    }

    impl Caller {
        /// Runs `drive`, which blocks on a runtime, where the calling context allows it.
        fn run<R: Send>(&self, drive: impl FnOnce() -> R + Send) -> Result<R> {
            match Handle::try_current().map(|h| h.runtime_flavor()) {
                Err(_) => Ok(drive()),
                Ok(RuntimeFlavor::MultiThread) => Ok(tokio::task::block_in_place(drive)),
                Ok(_) => {
                    let mut helper = self.helper.lock().unwrap_or_else(|p| p.into_inner());
                    if helper.is_none() {
                        *helper = Some(Helper::start()?);
                    }
                    helper
                        .as_ref()
                        .map_or(Err(Error::UnwindingPanic), |h| h.run(drive))
                }
            }
        }
    }

    /// The I/O driver of one remote connection: a current-thread runtime that the calling thread
    /// drives itself during each call, so a call costs no hand-off to another thread. Its HTTP
    /// connections' tasks live on it and make progress only during calls, which is all they
    /// need (one request at a time). Callers inside a tokio runtime are handled by its
    /// [`Caller`].
    pub(crate) struct Driver {
        rt: Option<Runtime>,
        caller: Caller,
    }

    impl Driver {
        pub(crate) fn new() -> Result<Driver> {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| {
                    error_from_sqlite_code(
                        ffi::SQLITE_CANTOPEN,
                        Some(format!("cannot start a network runtime: {e}")),
                    )
                })?;
            Ok(Driver {
                rt: Some(rt),
                caller: Caller::default(),
            })
        }

        /// Runs `fut` to completion (or the call timeout) and returns its output.
        pub(crate) fn block_on<F>(&self, fut: F) -> Result<F::Output>
        where
            F: Future + Send,
            F::Output: Send,
        {
            let Some(rt) = self.rt.as_ref() else {
                return Err(Error::UnwindingPanic);
            };
            drive(rt, &self.caller, fut)
        }
    }

    impl Drop for Driver {
        fn drop(&mut self) {
            // Never blocks, so dropping a connection inside async code is fine. The helper
            // thread, if any, ends by itself once its job channel is closed.
            if let Some(rt) = self.rt.take() {
                rt.shutdown_background();
            }
        }
    }

    /// A call that borrows the caller's stack, with its lifetime erased to cross the channel.
    type Job = Box<dyn FnOnce() + Send + 'static>;

    /// A long-lived thread that runs a driver's calls for callers that must not drive it
    /// themselves, each caller waiting for its own call to finish.
    struct Helper {
        jobs: mpsc::Sender<Job>,
    }

    impl Helper {
        fn start() -> Result<Helper> {
            let (jobs, queue) = mpsc::channel::<Job>();
            std::thread::Builder::new()
                .name("dbcompat-call".into())
                .spawn(move || {
                    for job in queue {
                        job();
                    }
                })
                .map_err(|e| {
                    error_from_sqlite_code(
                        ffi::SQLITE_CANTOPEN,
                        Some(format!("cannot start a network helper thread: {e}")),
                    )
                })?;
            Ok(Helper { jobs })
        }

        /// Runs `f` on the helper thread and returns its result once it has finished.
        fn run<R: Send>(&self, f: impl FnOnce() -> R + Send) -> Result<R> {
            let (done, result) = mpsc::sync_channel::<std::thread::Result<R>>(1);
            let job: Box<dyn FnOnce() + Send + '_> = Box::new(move || {
                let _ = done.send(std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)));
            });
            // SAFETY: `job` borrows from this call's caller (through `f` and the channel's
            // value type). It is erased to `'static` only to travel to the helper, and this
            // function does not return before the job is gone: `recv` answers once the job
            // has sent its result (`f` consumed, nothing borrowed left but `done`, which lives
            // in the job's own heap box) or once `done` was dropped, which happens only when
            // the job itself is dropped, run or not (a failed `send` returns it here and it is
            // dropped before `recv`; a helper that stopped drops its queue).
            let job: Job = unsafe {
                std::mem::transmute::<
                    Box<dyn FnOnce() + Send + '_>,
                    Box<dyn FnOnce() + Send + 'static>,
                >(job)
            };
            if let Err(mpsc::SendError(job)) = self.jobs.send(job) {
                drop(job);
            }
            match result.recv() {
                Ok(Ok(out)) => Ok(out),
                _ => Err(Error::UnwindingPanic),
            }
        }
    }

    fn timed_out(timeout: Duration) -> Error {
        error_from_sqlite_code(
            ffi::SQLITE_BUSY_TIMEOUT,
            Some(format!(
                "the libSQL server did not answer within {} ms (DBCOMPAT_REMOTE_TIMEOUT_MS)",
                timeout.as_millis()
            )),
        )
    }

    /// Runs a blocking closure on one of the shared runtime's worker threads and waits for it.
    /// For libsql calls that use `block_in_place` internally (connecting to an embedded
    /// replica), which panic anywhere but on a multi-thread runtime's worker.
    #[cfg_attr(not(feature = "replica"), allow(dead_code))]
    pub(crate) fn run_on_worker<T, F>(f: F) -> Result<T>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let task = runtime()?.spawn(async move { f() });
        block_on(task)?.map_err(|_| Error::UnwindingPanic)
    }

    /// Spawns `fut` onto the runtime driving the current call (a connection's socket task,
    /// which must live on that connection's driver).
    pub(crate) fn spawn_here<F>(fut: F)
    where
        F: Future<Output = ()> + Send + 'static,
    {
        // Only called from inside a call's future, so there always is a runtime; were there
        // none, the request would end in the call timeout rather than a panic.
        if let Ok(handle) = Handle::try_current() {
            handle.spawn(fut);
        }
    }

    /// Runs `fut` on the shared runtime without waiting for it (bounded by the call timeout);
    /// for fire-and-forget requests such as closing a server stream. Never blocks.
    pub(crate) fn spawn_detached<F>(fut: F)
    where
        F: Future<Output = ()> + Send + 'static,
    {
        if let Ok(rt) = runtime() {
            let timeout = call_timeout();
            rt.spawn(async move {
                let _ = tokio::time::timeout(timeout, fut).await;
            });
        }
    }

    /// Drops `value` inside the shared runtime's context, so the requests libsql sends from its
    /// destructors (stream close, which also rolls back an open transaction) are spawned there
    /// instead of being skipped. Never blocks and never panics.
    pub(crate) fn drop_in_runtime<T>(value: T) {
        match runtime() {
            Ok(rt) => {
                let _guard = rt.enter();
                drop(value);
            }
            Err(_) => drop(value),
        }
    }
}

#[cfg(test)]
mod test {
    use super::ready;

    #[test]
    fn ready_returns_output_of_an_immediate_future() {
        assert_eq!(ready(async { 7 }), Some(7));
    }

    #[test]
    fn ready_reports_a_pending_future() {
        assert_eq!(ready(std::future::pending::<u8>()), None);
    }
}
