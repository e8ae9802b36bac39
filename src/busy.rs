//! Busy handling: how long a connection waits on a locked database before `DatabaseBusy`.

use crate::{ffi, Connection, Result};
use std::ffi::{c_int, c_void};
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
        unsafe extern "C" fn call_handler(p_arg: *mut c_void, count: c_int) -> c_int {
            // SAFETY: `p_arg` is the `fn(i32) -> bool` we registered below.
            let handler: fn(i32) -> bool = unsafe { std::mem::transmute(p_arg) };
            std::panic::catch_unwind(|| handler(count)).unwrap_or(false) as c_int
        }
        let db = self.backend().local_handle("busy_handler")?;
        let rc = unsafe {
            match callback {
                Some(f) => ffi::sqlite3_busy_handler(db, Some(call_handler), f as *mut c_void),
                None => ffi::sqlite3_busy_handler(db, None, std::ptr::null_mut()),
            }
        };
        if rc == ffi::SQLITE_OK {
            Ok(())
        } else {
            Err(self.backend().error(rc))
        }
    }
}
