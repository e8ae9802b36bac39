//! Tracing and profiling of SQL statements, and SQLite's error log: rusqlite 0.34's `trace`
//! module.
//!
//! ## Backends
//! [`Connection::trace`], [`Connection::profile`] and [`Connection::trace_v2`] need a local
//! connection; they return `()` as in rusqlite, so on a remote connection they do nothing.
//! [`config_log`] and [`log`] act on the process-wide local engine.

use crate::error::error_from_sqlite_code;
use crate::{ffi, Connection, Result, StatementStatus};
use std::borrow::Cow;
use std::ffi::{c_char, c_int, c_uint, c_void, CStr, CString};
use std::marker::PhantomData;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;
use std::time::Duration;

/// Installs (`Some`) or removes (`None`) the process-wide SQLite error log callback
/// (`SQLITE_CONFIG_LOG`), called with the result code and message.
///
/// # Safety
/// No other thread may use the engine meanwhile. Best called before the first open, so the
/// log sees the whole start-up; SQLite also accepts it on a running engine (as in rusqlite).
///
/// # Failure
/// The engine's error code, as in rusqlite.
pub unsafe fn config_log(callback: Option<fn(c_int, &str)>) -> Result<()> {
    unsafe extern "C" fn log_callback(p: *mut c_void, code: c_int, msg: *const c_char) {
        if msg.is_null() {
            return;
        }
        // SAFETY: `p` is the `fn` pointer registered below; `msg` is NUL-terminated.
        let f: fn(c_int, &str) = std::mem::transmute(p);
        let s = CStr::from_ptr(msg).to_string_lossy();
        let _ = catch_unwind(|| f(code, &s));
    }
    type LogFn = unsafe extern "C" fn(*mut c_void, c_int, *const c_char);
    let rc = match callback {
        Some(f) => ffi::sqlite3_config(
            ffi::SQLITE_CONFIG_LOG,
            log_callback as LogFn,
            f as *mut c_void,
        ),
        None => ffi::sqlite3_config(
            ffi::SQLITE_CONFIG_LOG,
            ptr::null_mut::<c_void>(),
            ptr::null_mut::<c_void>(),
        ),
    };
    if rc == ffi::SQLITE_OK {
        Ok(())
    } else {
        Err(error_from_sqlite_code(rc, None))
    }
}

/// Writes a message to SQLite's error log (`sqlite3_log`).
///
/// **Differs from rusqlite:** a message with an interior NUL is cut at the NUL instead of
/// panicking.
pub fn log(err_code: c_int, msg: &str) {
    let msg = msg.split('\0').next().unwrap_or_default();
    let Ok(msg) = CString::new(msg) else {
        return;
    };
    // SAFETY: a "%s" format with one C string argument.
    unsafe { ffi::sqlite3_log(err_code, c"%s".as_ptr(), msg.as_ptr()) };
}

bitflags::bitflags! {
    /// The events [`Connection::trace_v2`] can report, with SQLite's values.
    #[derive(Clone, Copy, Debug, Eq, PartialEq)]
    #[non_exhaustive]
    #[repr(C)]
    pub struct TraceEventCodes: c_uint {
        /// A statement starts running (also each trigger it fires).
        const SQLITE_TRACE_STMT = ffi::SQLITE_TRACE_STMT as c_uint;
        /// A statement finished, with its run time.
        const SQLITE_TRACE_PROFILE = ffi::SQLITE_TRACE_PROFILE as c_uint;
        /// A statement produced a row.
        const SQLITE_TRACE_ROW = ffi::SQLITE_TRACE_ROW as c_uint;
        /// The connection is closing.
        const SQLITE_TRACE_CLOSE = ffi::SQLITE_TRACE_CLOSE as c_uint;
    }
}

/// One [`Connection::trace_v2`] event.
#[non_exhaustive]
pub enum TraceEvent<'s> {
    /// A statement starts, with its SQL (or a trigger's `-- comment`).
    Stmt(StmtRef<'s>, &'s str),
    /// A statement finished, after this long.
    Profile(StmtRef<'s>, Duration),
    /// A statement produced a row.
    Row(StmtRef<'s>),
    /// The connection is closing.
    Close(ConnRef<'s>),
}

/// The statement a trace event is about.
pub struct StmtRef<'s> {
    ptr: *mut ffi::sqlite3_stmt,
    phantom: PhantomData<&'s ()>,
}

impl StmtRef<'_> {
    fn new(ptr: *mut ffi::sqlite3_stmt) -> Self {
        StmtRef {
            ptr,
            phantom: PhantomData,
        }
    }

    /// The statement's SQL text.
    pub fn sql(&self) -> Cow<'_, str> {
        // SAFETY: a live statement during the callback; its SQL is NUL-terminated.
        unsafe {
            let p = ffi::sqlite3_sql(self.ptr);
            if p.is_null() {
                Cow::Borrowed("")
            } else {
                CStr::from_ptr(p).to_string_lossy()
            }
        }
    }

    /// The SQL with the bound parameters' values substituted.
    pub fn expanded_sql(&self) -> Option<String> {
        // SAFETY: the engine allocates the string; it is copied and freed here.
        unsafe {
            let p = ffi::sqlite3_expanded_sql(self.ptr);
            if p.is_null() {
                return None;
            }
            let s = CStr::from_ptr(p).to_string_lossy().into_owned();
            ffi::sqlite3_free(p.cast::<c_void>());
            Some(s)
        }
    }

    /// A counter of the statement (`sqlite3_stmt_status`, not reset).
    pub fn get_status(&self, status: StatementStatus) -> i32 {
        // SAFETY: a live statement during the callback.
        unsafe { ffi::sqlite3_stmt_status(self.ptr, status as c_int, 0) }
    }
}

/// The connection a close event is about.
pub struct ConnRef<'s> {
    ptr: *mut ffi::sqlite3,
    phantom: PhantomData<&'s ()>,
}

impl ConnRef<'_> {
    /// Whether the connection is outside a transaction.
    pub fn is_autocommit(&self) -> bool {
        // SAFETY: the connection is live during the callback.
        unsafe { ffi::sqlite3_get_autocommit(self.ptr) != 0 }
    }

    /// The main database's file name (`sqlite3_db_filename`).
    pub fn db_filename(&self) -> Option<&str> {
        // SAFETY: as above; the name lives as long as the connection.
        unsafe {
            let p = ffi::sqlite3_db_filename(self.ptr, c"main".as_ptr());
            if p.is_null() {
                None
            } else {
                CStr::from_ptr(p).to_str().ok()
            }
        }
    }
}

impl Connection {
    /// Installs (`Some`) or removes (`None`) a callback given each statement's SQL, with
    /// bound parameters expanded, as it starts (`sqlite3_trace`).
    ///
    /// Local connections only; a no-op on remote connections.
    #[deprecated(since = "0.33.0", note = "use trace_v2 instead")]
    pub fn trace(&mut self, trace_fn: Option<fn(&str)>) {
        unsafe extern "C" fn call_trace(p: *mut c_void, sql: *const c_char) {
            if sql.is_null() {
                return;
            }
            // SAFETY: `p` is the `fn` pointer registered below.
            let f: fn(&str) = std::mem::transmute(p);
            let s = CStr::from_ptr(sql).to_string_lossy();
            let _ = catch_unwind(|| f(&s));
        }
        let Ok(db) = self.backend().local_handle("trace") else {
            return;
        };
        // SAFETY: open handle; a plain `fn` pointer needs no ownership.
        unsafe {
            match trace_fn {
                Some(f) => ffi::sqlite3_trace(db, Some(call_trace), f as *mut c_void),
                None => ffi::sqlite3_trace(db, None, ptr::null_mut()),
            };
        }
    }

    /// Installs (`Some`) or removes (`None`) a callback given each finished statement's SQL
    /// and run time (`sqlite3_profile`).
    ///
    /// Local connections only; a no-op on remote connections.
    #[deprecated(since = "0.33.0", note = "use trace_v2 instead")]
    pub fn profile(&mut self, profile_fn: Option<fn(&str, Duration)>) {
        unsafe extern "C" fn call_profile(p: *mut c_void, sql: *const c_char, nanos: u64) {
            if sql.is_null() {
                return;
            }
            // SAFETY: `p` is the `fn` pointer registered below.
            let f: fn(&str, Duration) = std::mem::transmute(p);
            let s = CStr::from_ptr(sql).to_string_lossy();
            let d = Duration::from_nanos(nanos);
            let _ = catch_unwind(|| f(&s, d));
        }
        let Ok(db) = self.backend().local_handle("profile") else {
            return;
        };
        // SAFETY: as in `trace`.
        unsafe {
            match profile_fn {
                Some(f) => ffi::sqlite3_profile(db, Some(call_profile), f as *mut c_void),
                None => ffi::sqlite3_profile(db, None, ptr::null_mut()),
            };
        }
    }

    /// Installs (`Some`) or removes (`None`) a callback for the events in `mask`
    /// (`sqlite3_trace_v2`).
    ///
    /// Local connections only; a no-op on remote connections.
    pub fn trace_v2(&self, mask: TraceEventCodes, trace_fn: Option<fn(TraceEvent<'_>)>) {
        self.trace_v2_closure(mask, trace_fn);
    }
}

/// The `sqlite3_trace_v2` callback: `ctx` is the registered closure; `p` and `x` are what
/// SQLite documents for each event code.
pub(crate) unsafe extern "C" fn call_trace_v2<F: FnMut(TraceEvent<'_>)>(
    event: c_uint,
    ctx: *mut c_void,
    p: *mut c_void,
    x: *mut c_void,
) -> c_int {
    let f = ctx.cast::<F>();
    let _ = catch_unwind(AssertUnwindSafe(|| match event as c_int {
        ffi::SQLITE_TRACE_STMT => {
            let sql = if x.is_null() {
                Cow::Borrowed("")
            } else {
                CStr::from_ptr(x as *const c_char).to_string_lossy()
            };
            (*f)(TraceEvent::Stmt(StmtRef::new(p.cast()), &sql));
        }
        ffi::SQLITE_TRACE_PROFILE => {
            let ns = if x.is_null() { 0 } else { *(x as *const i64) };
            let d = Duration::from_nanos(u64::try_from(ns).unwrap_or_default());
            (*f)(TraceEvent::Profile(StmtRef::new(p.cast()), d));
        }
        ffi::SQLITE_TRACE_ROW => (*f)(TraceEvent::Row(StmtRef::new(p.cast()))),
        ffi::SQLITE_TRACE_CLOSE => (*f)(TraceEvent::Close(ConnRef {
            ptr: p.cast(),
            phantom: PhantomData,
        })),
        _ => {}
    }));
    // The engine ignores the value; SQLite asks for zero.
    ffi::SQLITE_OK
}
