//! Busy handling: how long a connection waits on a locked database before `DatabaseBusy`.

use crate::{Connection, Result};
use std::ffi::c_int;
use std::time::Duration;

impl Connection {
    /// Sets how long to retry when the database is locked. Every open sets 5000 ms, as in
    /// rusqlite. Durations beyond `i32::MAX` ms are clamped rather than panicking.
    ///
    /// ## Backends
    /// On a remote connection the timeout is the server session's (`PRAGMA busy_timeout`):
    /// it is sent with the next request, and restored if the server expires the session.
    pub fn busy_timeout(&self, timeout: Duration) -> Result<()> {
        let ms = c_int::try_from(timeout.as_millis()).unwrap_or(c_int::MAX);
        self.backend().busy_timeout(ms)
    }

    /// Installs a callback called with the retry count while the database is locked; return
    /// `true` to retry. `None` removes it (and any busy timeout). Local connections only.
    pub fn busy_handler(&self, callback: Option<fn(i32) -> bool>) -> Result<()> {
        self.busy_handler_closure(callback)
    }
}
