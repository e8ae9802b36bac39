//! Automatic extension loading (`sqlite3_auto_extension`): an entry point registered here
//! runs for every connection opened afterwards in the process. rusqlite 0.34's
//! `auto_extension` module.
//!
//! Registering initialises the engine, so it goes through [`crate::ffi`]'s wrappers, which let
//! dbcompat start the engine first (libsql's setup must configure it before it is initialised).
//!
//! A Rust entry point is an [`AutoExtension`]; a raw entry point calls [`init_auto_extension`]
//! to hand it the new connection as a non-owning [`Connection`], as in rusqlite.
//!
//! ## Backends
//! Auto-extensions run only for local connections (and libsql's own local databases).

use crate::error::{error_from_sqlite_code, to_sqlite_error};
use crate::{ffi, Connection, Error, Result};
use std::ffi::{c_char, c_int};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// A Rust auto-extension: runs on each new local connection, which it receives as a
/// non-owning [`Connection`] (dropping it leaves the database open).
pub type AutoExtension = fn(Connection) -> Result<()>;

/// A raw extension entry point, as SQLite calls it (same type as rusqlite's).
pub type RawAutoExtension = unsafe extern "C" fn(
    db: *mut ffi::sqlite3,
    pz_err_msg: *mut *mut c_char,
    _: *const ffi::sqlite3_api_routines,
) -> c_int;

/// The engine's spelling of the entry-point type (its error-message pointer is `*const`).
type EngineAutoExtension = unsafe extern "C" fn(
    *mut ffi::sqlite3,
    *mut *const c_char,
    *const ffi::sqlite3_api_routines,
) -> c_int;

/// Runs `ax` on the connection `db` that the engine is opening; call it from a
/// [`RawAutoExtension`]. An `Err` (or a panic, as `Error::UnwindingPanic`) fails the open: its
/// code is returned and its message written to `pz_err_msg`, as the engine expects.
///
/// # Safety
/// * `db` and `pz_err_msg` must be the arguments the engine passed to the raw entry point.
/// * Opening a connection from inside `ax` recurses without end.
/// * `ax` must not close the connection, nor change the list of auto-extensions.
pub unsafe fn init_auto_extension(
    db: *mut ffi::sqlite3,
    pz_err_msg: *mut *mut c_char,
    ax: AutoExtension,
) -> c_int {
    init_with(db, pz_err_msg, ax, |e, msg| to_sqlite_error(e, msg))
}

/// [`init_auto_extension`] for an entry point with another `Error` type (the newer surfaces'):
/// `report` turns its error into the engine's code and message.
///
/// # Safety
/// As [`init_auto_extension`].
pub(crate) unsafe fn init_with<E>(
    db: *mut ffi::sqlite3,
    pz_err_msg: *mut *mut c_char,
    ax: impl FnOnce(Connection) -> std::result::Result<(), E>,
    report: impl FnOnce(&E, *mut *mut c_char) -> c_int,
) -> c_int {
    let conn = match Connection::from_handle(db) {
        Ok(conn) => conn,
        Err(e) => return to_sqlite_error(&e, pz_err_msg),
    };
    match catch_unwind(AssertUnwindSafe(|| ax(conn))) {
        Ok(Ok(())) => ffi::SQLITE_OK,
        Ok(Err(e)) => report(&e, pz_err_msg),
        Err(_) => to_sqlite_error(&Error::UnwindingPanic, pz_err_msg),
    }
}

fn to_engine(ax: RawAutoExtension) -> EngineAutoExtension {
    // SAFETY: the two types differ only in the constness of a pointer-to-pointer argument;
    // the ABI is identical.
    unsafe { std::mem::transmute::<RawAutoExtension, EngineAutoExtension>(ax) }
}

/// Registers `ax` to run for every connection opened from now on (registering the same entry
/// point twice is harmless).
///
/// # Safety
/// * Opening a connection from inside `ax` recurses without end.
/// * `ax` must not close the handle it is given.
/// * Do not change the list of auto-extensions from inside an auto-extension.
///
/// # Failure
/// The engine's error code (out of memory), without a message.
pub unsafe fn register_auto_extension(ax: RawAutoExtension) -> Result<()> {
    let rc = ffi::sqlite3_auto_extension(Some(to_engine(ax)));
    if rc == ffi::SQLITE_OK {
        Ok(())
    } else {
        Err(error_from_sqlite_code(rc, None))
    }
}

/// Unregisters `ax`; `true` if it was registered.
pub fn cancel_auto_extension(ax: RawAutoExtension) -> bool {
    // SAFETY: only removes a function pointer from the engine's list.
    unsafe { ffi::sqlite3_cancel_auto_extension(Some(to_engine(ax))) == 1 }
}

/// Unregisters every auto-extension.
pub fn reset_auto_extension() {
    // SAFETY: only clears the engine's list.
    unsafe { ffi::sqlite3_reset_auto_extension() }
}
