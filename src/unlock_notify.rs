//! Waiting for shared-cache locks (feature `unlock_notify`), as rusqlite does internally:
//! when a step fails with `SQLITE_LOCKED_SHAREDCACHE` (another connection of the same
//! shared cache holds a conflicting lock), the step registers `sqlite3_unlock_notify`, blocks
//! until the lock holder's transaction ends, resets the statement and tries again. A deadlock
//! (the engine refuses the registration) returns the `SQLITE_LOCKED` error instead of waiting.
//!
//! The feature compiles `SQLITE_ENABLE_UNLOCK_NOTIFY` into libSQL's engine (libsql-ffi's
//! `unlock_notify`). Local connections only; remote statements never see these locks.

use crate::ffi;
use std::ffi::{c_int, c_void};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Condvar, Mutex, PoisonError};

/// A one-shot signal the engine's callback fires.
#[derive(Default)]
struct Unlocked {
    fired: Mutex<bool>,
    cond: Condvar,
}

impl Unlocked {
    fn fire(&self) {
        *self.fired.lock().unwrap_or_else(PoisonError::into_inner) = true;
        self.cond.notify_one();
    }

    fn wait(&self) {
        let mut fired = self.fired.lock().unwrap_or_else(PoisonError::into_inner);
        while !*fired {
            fired = self
                .cond
                .wait(fired)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }
}

/// The engine's unlock-notify callback: fires every waiting [`Unlocked`] it is given.
unsafe extern "C" fn on_unlock(args: *mut *mut c_void, n: c_int) {
    if args.is_null() || n <= 0 {
        return;
    }
    for &arg in std::slice::from_raw_parts(args, n as usize) {
        let unlocked = &*arg.cast::<Unlocked>();
        let _ = catch_unwind(AssertUnwindSafe(|| unlocked.fire()));
    }
}

/// Whether `rc` from a step on `db` is a shared-cache lock worth waiting for.
unsafe fn is_shared_cache_lock(db: *mut ffi::sqlite3, rc: c_int) -> bool {
    rc == ffi::SQLITE_LOCKED_SHAREDCACHE
        || ((rc & 0xff) == ffi::SQLITE_LOCKED
            && ffi::sqlite3_extended_errcode(db) == ffi::SQLITE_LOCKED_SHAREDCACHE)
}

/// `sqlite3_step`, waiting out shared-cache locks.
///
/// # Safety
/// `stmt` must be a live statement of `db`.
#[inline]
pub(crate) unsafe fn step(stmt: *mut ffi::sqlite3_stmt, db: *mut ffi::sqlite3) -> c_int {
    let rc = ffi::sqlite3_step(stmt);
    // The row loop pays one compare; waiting is out of line.
    if (rc & 0xff) == ffi::SQLITE_LOCKED {
        step_after_lock(stmt, db, rc)
    } else {
        rc
    }
}

/// The rest of [`step`] after a step returned `rc`, some `SQLITE_LOCKED` code.
#[cold]
#[inline(never)]
unsafe fn step_after_lock(
    stmt: *mut ffi::sqlite3_stmt,
    db: *mut ffi::sqlite3,
    mut rc: c_int,
) -> c_int {
    loop {
        if (rc & 0xff) != ffi::SQLITE_LOCKED || !is_shared_cache_lock(db, rc) {
            return rc;
        }
        let unlocked = Unlocked::default();
        let registered = ffi::sqlite3_unlock_notify(
            db,
            Some(on_unlock),
            (&unlocked as *const Unlocked).cast_mut().cast(),
        );
        if registered != ffi::SQLITE_OK {
            // A deadlock: report the lock instead of waiting forever.
            return registered;
        }
        unlocked.wait();
        ffi::sqlite3_reset(stmt);
        rc = ffi::sqlite3_step(stmt);
    }
}
