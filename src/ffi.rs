//! The raw engine interface (libSQL's copy of `libsqlite3-sys`): `ffi::Error`, `ffi::ErrorCode`,
//! the `SQLITE_*` constants and the C functions of the local engine.
//!
//! **Differs from rusqlite:** the engine is shared with libsql, whose one-time setup must
//! configure it (`SQLITE_CONFIG_SERIALIZED`) before it is initialised. The functions below
//! initialise the engine as a side effect, so in this module they first let dbcompat start the
//! engine, then do exactly what the C function does. An application that registers an
//! extension before its first open (sqlite-vec's README: `sqlite3_auto_extension`) therefore
//! leaves libsql fully usable, replicas included. A threading mode configured beforehand with
//! `sqlite3_config` is respected: single-thread mode makes opens fail with
//! `Error::SqliteSingleThreadedMode`, as in rusqlite.

#![allow(non_snake_case, clippy::missing_safety_doc)]

pub use libsql::ffi::*;

use std::ffi::{c_char, c_int};

/// Lets dbcompat configure the engine before a call that would initialise it. A failure is
/// not reported here: the C function then behaves as it always does, and the next open
/// returns the error.
fn start_engine_first() {
    let _ = crate::backend::init_engine();
}

/// The C `sqlite3_initialize`, after dbcompat's engine start-up.
pub unsafe extern "C" fn sqlite3_initialize() -> c_int {
    start_engine_first();
    libsql::ffi::sqlite3_initialize()
}

/// The C `sqlite3_auto_extension`, after dbcompat's engine start-up.
pub unsafe extern "C" fn sqlite3_auto_extension(
    xEntryPoint: Option<
        unsafe extern "C" fn(
            db: *mut sqlite3,
            pzErrMsg: *mut *const c_char,
            pThunk: *const sqlite3_api_routines,
        ) -> c_int,
    >,
) -> c_int {
    start_engine_first();
    libsql::ffi::sqlite3_auto_extension(xEntryPoint)
}

/// The C `sqlite3_reset_auto_extension`, after dbcompat's engine start-up.
pub unsafe extern "C" fn sqlite3_reset_auto_extension() {
    start_engine_first();
    libsql::ffi::sqlite3_reset_auto_extension()
}

/// The C `sqlite3_soft_heap_limit64`, after dbcompat's engine start-up.
pub unsafe extern "C" fn sqlite3_soft_heap_limit64(N: sqlite3_int64) -> sqlite3_int64 {
    start_engine_first();
    libsql::ffi::sqlite3_soft_heap_limit64(N)
}

/// The C `sqlite3_hard_heap_limit64`, after dbcompat's engine start-up.
pub unsafe extern "C" fn sqlite3_hard_heap_limit64(N: sqlite3_int64) -> sqlite3_int64 {
    start_engine_first();
    libsql::ffi::sqlite3_hard_heap_limit64(N)
}

/// The C `sqlite3_open_v2`, after dbcompat's engine start-up.
pub unsafe extern "C" fn sqlite3_open_v2(
    filename: *const c_char,
    ppDb: *mut *mut sqlite3,
    flags: c_int,
    zVfs: *const c_char,
) -> c_int {
    start_engine_first();
    libsql::ffi::sqlite3_open_v2(filename, ppDb, flags, zVfs)
}

/// The C `sqlite3_open`, after dbcompat's engine start-up.
pub unsafe extern "C" fn sqlite3_open(filename: *const c_char, ppDb: *mut *mut sqlite3) -> c_int {
    start_engine_first();
    libsql::ffi::sqlite3_open(filename, ppDb)
}
