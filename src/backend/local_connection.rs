//! The local engine handle: one `sqlite3*` opened through `libsql::ffi`, the same C engine
//! libsql itself uses. Driving it directly is what gives local mode native speed and rusqlite's
//! full behaviour (exact result codes, NUL-safe text, functions, hooks, backup, blobs).

use super::local_statement::LocalStatement;
use crate::column::{ColumnRef, TableColumn};
use crate::error::{error_from_sqlite_code, Error};
use crate::{ffi, Result};
use std::ffi::{c_char, c_int, c_uint, CStr};
use std::ptr;
use std::sync::{Arc, Mutex};

/// The shared cell an `InterruptHandle` reads: it holds the live handle, or null once closed,
/// so interrupting a closed connection is a no-op instead of a use-after-free.
pub(crate) type InterruptCell = Arc<Mutex<RawDb>>;

/// A raw handle that may cross threads; only `sqlite3_interrupt` is called through it, which
/// SQLite documents as safe from any thread.
pub(crate) struct RawDb(*mut ffi::sqlite3);

// SAFETY: see above; the pointer is only dereferenced by SQLite under the cell's mutex.
unsafe impl Send for RawDb {}

/// An open local database connection. Closed on drop when it owns its handle.
pub(crate) struct LocalConnection {
    db: *mut ffi::sqlite3,
    interrupt: InterruptCell,
    /// False for a handle borrowed from the engine (a function's or an auto-extension's
    /// connection): closing or dropping then only forgets it, as rusqlite's `from_handle` does.
    owned: bool,
}

// SAFETY: `open` refuses a single-threaded engine (see `engine::ensure_safe_threading_mode`), so
// the handle may move between threads. `Connection` stays !Sync, as in rusqlite.
unsafe impl Send for LocalConnection {}

impl LocalConnection {
    /// Opens `path` with rusqlite's open sequence: extended result codes, then a 5000 ms busy
    /// timeout. A CANTOPEN message names the path, as rusqlite's does.
    pub(crate) fn open(path: &CStr, flags: c_int, vfs: Option<&CStr>) -> Result<LocalConnection> {
        super::engine::init_engine()?;
        super::engine::ensure_safe_threading_mode()?;
        let flags = flags | ffi::SQLITE_OPEN_EXRESCODE as c_int;
        let z_vfs = vfs.map_or(ptr::null(), CStr::as_ptr);
        let mut db: *mut ffi::sqlite3 = ptr::null_mut();
        // SAFETY: valid C strings; `db` is an out-pointer that SQLite fills.
        let rc = unsafe { ffi::sqlite3_open_v2(path.as_ptr(), &mut db, flags, z_vfs) };
        if rc != ffi::SQLITE_OK {
            let err = if db.is_null() {
                error_from_sqlite_code(rc, Some(path.to_string_lossy().into_owned()))
            } else {
                // SAFETY: SQLite hands back a handle even on failure; it must be closed.
                let e = unsafe { error_from_handle(db, rc) };
                unsafe { ffi::sqlite3_close(db) };
                match e {
                    Error::SqliteFailure(code, Some(msg))
                        if code.code == ffi::ErrorCode::CannotOpen =>
                    {
                        error_from_sqlite_code(
                            rc,
                            Some(format!("{msg}: {}", path.to_string_lossy())),
                        )
                    }
                    other => other,
                }
            };
            return Err(err);
        }
        // SAFETY: `db` is open.
        let rc = unsafe { ffi::sqlite3_busy_timeout(db, 5000) };
        // libSQL's engine is compiled with SQLITE_DEFAULT_FOREIGN_KEYS=1, like the SQLite that
        // rusqlite's `bundled` feature builds; without `bundled`, rusqlite links the system
        // SQLite, whose default is off (and applications written for it rely on that).
        #[cfg(not(feature = "bundled"))]
        let rc = match rc {
            // SAFETY: `db` is open; ENABLE_FKEY takes an int and an optional int out-pointer.
            ffi::SQLITE_OK => unsafe {
                ffi::sqlite3_db_config(
                    db,
                    ffi::SQLITE_DBCONFIG_ENABLE_FKEY,
                    0 as c_int,
                    ptr::null_mut::<c_int>(),
                )
            },
            rc => rc,
        };
        if rc != ffi::SQLITE_OK {
            let e = unsafe { error_from_handle(db, rc) };
            unsafe { ffi::sqlite3_close(db) };
            return Err(e);
        }
        // SAFETY: `db` was just opened here and nothing else holds it.
        Ok(unsafe { LocalConnection::from_handle(db, true) })
    }

    /// Wraps a handle opened elsewhere, without changing its settings. A borrowed one
    /// (`owned == false`) is never closed here and, as in rusqlite, its interrupt handle does
    /// nothing (the owner may close it at any time).
    ///
    /// # Safety
    /// `db` must be an open handle that outlives the returned connection unless `owned`.
    pub(crate) unsafe fn from_handle(db: *mut ffi::sqlite3, owned: bool) -> LocalConnection {
        let interrupt_target = if owned { db } else { ptr::null_mut() };
        LocalConnection {
            db,
            interrupt: Arc::new(Mutex::new(RawDb(interrupt_target))),
            owned,
        }
    }

    /// The raw handle, for local-only features.
    #[inline]
    pub(crate) fn handle(&self) -> *mut ffi::sqlite3 {
        self.db
    }

    /// The error SQLite recorded for `code` on this connection.
    #[cold]
    pub(crate) fn error(&self, code: c_int) -> Error {
        // SAFETY: the handle is open for the connection's lifetime.
        unsafe { error_from_handle(self.db, code) }
    }

    /// `Ok` for SQLITE_OK, else the connection's error for `code`.
    #[inline]
    pub(crate) fn check(&self, code: c_int) -> Result<()> {
        if code == ffi::SQLITE_OK {
            Ok(())
        } else {
            Err(self.error(code))
        }
    }

    /// `sqlite3_table_column_metadata`; with no `column`, only whether `table` exists.
    pub(crate) fn table_column_metadata(&self, at: ColumnRef<'_>) -> Result<TableColumn> {
        let mut decl_type: *const c_char = ptr::null();
        let mut collation: *const c_char = ptr::null();
        let (mut not_null, mut primary_key, mut autoincrement) = (0, 0, 0);
        // SAFETY: an open handle; every out-pointer is valid for the call.
        let rc = unsafe {
            ffi::sqlite3_table_column_metadata(
                self.db,
                at.db.map_or(ptr::null(), CStr::as_ptr),
                at.table.as_ptr(),
                at.column.map_or(ptr::null(), CStr::as_ptr),
                &mut decl_type,
                &mut collation,
                &mut not_null,
                &mut primary_key,
                &mut autoincrement,
            )
        };
        self.check(rc)?;
        // SAFETY: on success the strings are the engine's, valid until the schema changes;
        // they are copied at once.
        let owned =
            |p: *const c_char| (!p.is_null()).then(|| unsafe { CStr::from_ptr(p) }.to_owned());
        Ok(TableColumn {
            decl_type: owned(decl_type),
            collation: owned(collation),
            not_null: not_null != 0,
            primary_key: primary_key != 0,
            autoincrement: autoincrement != 0,
        })
    }

    /// `sqlite3_file_control`. The engine does not record this call's error, so it carries
    /// no message, as in rusqlite.
    ///
    /// # Safety
    /// `arg` must be what `op` expects.
    pub(crate) unsafe fn file_control(
        &self,
        db: Option<&CStr>,
        op: c_int,
        arg: *mut std::ffi::c_void,
    ) -> Result<()> {
        match ffi::sqlite3_file_control(self.db, db.map_or(ptr::null(), CStr::as_ptr), op, arg) {
            ffi::SQLITE_OK => Ok(()),
            code => Err(error_from_sqlite_code(code, None)),
        }
    }

    /// Compiles the first statement of `sql`; also returns the byte offset where the rest begins.
    /// Empty or comment-only SQL gives a null statement, as in rusqlite.
    pub(crate) fn prepare(&self, sql: &str, flags: c_uint) -> Result<(LocalStatement, usize)> {
        self.prepare_text(sql.as_bytes(), sql, flags)
    }

    /// `prepare` of `text`: `sql`'s bytes, or a NUL-terminated prefix of them. SQLite parses
    /// NUL-terminated text in place and copies any other text whole first.
    fn prepare_text(
        &self,
        text: &[u8],
        sql: &str,
        flags: c_uint,
    ) -> Result<(LocalStatement, usize)> {
        let len = c_int::try_from(text.len())
            .map_err(|_| error_from_sqlite_code(ffi::SQLITE_TOOBIG, None))?;
        let mut stmt: *mut ffi::sqlite3_stmt = ptr::null_mut();
        let mut tail: *const c_char = ptr::null();
        // SAFETY: `text` is valid for `len` bytes; SQLite does not need a NUL terminator when the
        // length is given. `tail` points into `text` on success.
        let rc = unsafe {
            ffi::sqlite3_prepare_v3(
                self.db,
                text.as_ptr().cast::<c_char>(),
                len,
                flags,
                &mut stmt,
                &mut tail,
            )
        };
        if rc != ffi::SQLITE_OK {
            return Err(unsafe { error_with_offset(self.db, rc, sql) });
        }
        let offset = if tail.is_null() {
            sql.len()
        } else {
            (tail as usize)
                .saturating_sub(text.as_ptr() as usize)
                .min(sql.len())
        };
        // SAFETY: `stmt` was just prepared on `self.db` (or is null for empty SQL).
        Ok((unsafe { LocalStatement::new(stmt, self.db) }, offset))
    }

    /// Steps every statement of `sql` once, ignoring rows; stops at the first error, leaving
    /// the statements before it applied.
    pub(crate) fn execute_batch(&self, sql: &str) -> Result<()> {
        super::local_batch::execute_batch(self, sql, super::local_batch::WINDOW, false)
    }

    /// `execute_batch` stopping with `ExecuteReturnedResults` at a statement that returns a
    /// row (it and the statements before it ran), as rusqlite 0.34 with `extra_check`.
    pub(crate) fn execute_batch_rejecting_rows(&self, sql: &str) -> Result<()> {
        super::local_batch::execute_batch(self, sql, super::local_batch::WINDOW, true)
    }

    /// `prepare` of NUL-terminated `text` (the bytes of `sql` up to a point, then a NUL), which
    /// SQLite parses in place; `sql` is for errors and bounds the offset.
    pub(crate) fn prepare_terminated(
        &self,
        text: &[u8],
        sql: &str,
        flags: c_uint,
    ) -> Result<(LocalStatement, usize)> {
        debug_assert_eq!(text.last(), Some(&0));
        self.prepare_text(text, sql, flags)
    }

    /// The current value of a run-time limit (`sqlite3_limit` with -1).
    pub(crate) fn limit(&self, id: c_int) -> c_int {
        // SAFETY: open handle; -1 only reads the limit.
        unsafe { ffi::sqlite3_limit(self.db, id, -1) }
    }

    pub(crate) fn changes(&self) -> u64 {
        // SAFETY: open handle.
        unsafe { ffi::sqlite3_changes64(self.db) as u64 }
    }

    pub(crate) fn total_changes(&self) -> u64 {
        unsafe { ffi::sqlite3_total_changes64(self.db) as u64 }
    }

    pub(crate) fn last_insert_rowid(&self) -> i64 {
        unsafe { ffi::sqlite3_last_insert_rowid(self.db) }
    }

    pub(crate) fn is_autocommit(&self) -> bool {
        unsafe { ffi::sqlite3_get_autocommit(self.db) != 0 }
    }

    /// True while any statement of this connection is mid-execution.
    pub(crate) fn is_busy(&self) -> bool {
        unsafe {
            let mut stmt = ffi::sqlite3_next_stmt(self.db, ptr::null_mut());
            while !stmt.is_null() {
                if ffi::sqlite3_stmt_busy(stmt) != 0 {
                    return true;
                }
                stmt = ffi::sqlite3_next_stmt(self.db, stmt);
            }
        }
        false
    }

    pub(crate) fn busy_timeout(&self, ms: c_int) -> Result<()> {
        let rc = unsafe { ffi::sqlite3_busy_timeout(self.db, ms) };
        self.check(rc)
    }

    /// The main database's file name: `Some("")` for in-memory and temporary databases.
    pub(crate) fn path(&self) -> Option<&str> {
        // SAFETY: the returned string lives as long as the connection.
        unsafe {
            let p = ffi::sqlite3_db_filename(self.db, c"main".as_ptr());
            if p.is_null() {
                None
            } else {
                CStr::from_ptr(p).to_str().ok()
            }
        }
    }

    /// `sqlite3_db_readonly`: 1 read-only, 0 writable, -1 no such database.
    pub(crate) fn is_readonly(&self, db_name: &CStr) -> Result<c_int> {
        Ok(unsafe { ffi::sqlite3_db_readonly(self.db, db_name.as_ptr()) })
    }

    pub(crate) fn db_name(&self, index: usize) -> Result<String> {
        let i = c_int::try_from(index).map_err(|_| Error::InvalidDatabaseIndex(index))?;
        unsafe {
            let name = ffi::sqlite3_db_name(self.db, i);
            if name.is_null() {
                Err(Error::InvalidDatabaseIndex(index))
            } else {
                Ok(CStr::from_ptr(name).to_str()?.to_owned())
            }
        }
    }

    pub(crate) fn is_interrupted(&self) -> bool {
        unsafe { ffi::sqlite3_is_interrupted(self.db) == 1 }
    }

    pub(crate) fn release_memory(&self) -> Result<()> {
        self.check(unsafe { ffi::sqlite3_db_release_memory(self.db) })
    }

    pub(crate) fn cache_flush(&self) -> Result<()> {
        self.check(unsafe { ffi::sqlite3_db_cacheflush(self.db) })
    }

    /// `sqlite3_txn_state`: 0 none, 1 read, 2 write.
    pub(crate) fn txn_state(&self, db_name: Option<&CStr>) -> Result<c_int> {
        let name = db_name.map_or(ptr::null(), CStr::as_ptr);
        let r = unsafe { ffi::sqlite3_txn_state(self.db, name) };
        if r < 0 {
            Err(error_from_sqlite_code(ffi::SQLITE_MISUSE, None))
        } else {
            Ok(r)
        }
    }

    pub(crate) fn interrupt_cell(&self) -> InterruptCell {
        Arc::clone(&self.interrupt)
    }

    /// Closes the handle. On failure (busy statements) the connection stays usable.
    pub(crate) fn close(&mut self) -> Result<()> {
        if self.db.is_null() {
            return Ok(());
        }
        if !self.owned {
            self.db = ptr::null_mut();
            return Ok(());
        }
        let mut guard = self.interrupt.lock().unwrap_or_else(|p| p.into_inner());
        let rc = unsafe { ffi::sqlite3_close(self.db) };
        if rc != ffi::SQLITE_OK {
            drop(guard);
            return Err(self.error(rc));
        }
        guard.0 = ptr::null_mut();
        self.db = ptr::null_mut();
        Ok(())
    }
}

impl Drop for LocalConnection {
    fn drop(&mut self) {
        if self.owned && !self.db.is_null() {
            let mut guard = self.interrupt.lock().unwrap_or_else(|p| p.into_inner());
            // close_v2 defers the close until outstanding statements are finalized, so drop
            // never fails.
            unsafe { ffi::sqlite3_close_v2(self.db) };
            guard.0 = ptr::null_mut();
            self.db = ptr::null_mut();
        }
    }
}

/// Interrupts whatever `cell`'s connection is running, if it is still open.
pub(crate) fn interrupt(cell: &InterruptCell) {
    let guard = cell.lock().unwrap_or_else(|p| p.into_inner());
    if !guard.0.is_null() {
        unsafe { ffi::sqlite3_interrupt(guard.0) };
    }
}

/// Reads an error message the engine owns into a `String`.
unsafe fn message_from_ptr(p: *const c_char) -> Option<String> {
    if p.is_null() {
        None
    } else {
        Some(CStr::from_ptr(p).to_string_lossy().into_owned())
    }
}

/// The error for `code`: the handle's own message when it matches, SQLite's generic text otherwise.
#[cold]
pub(crate) unsafe fn error_from_handle(db: *mut ffi::sqlite3, code: c_int) -> Error {
    let msg = if db.is_null() || ffi::sqlite3_errcode(db) != code {
        message_from_ptr(ffi::sqlite3_errstr(code))
    } else {
        message_from_ptr(ffi::sqlite3_errmsg(db))
    };
    error_from_sqlite_code(code, msg)
}

/// Like [`error_from_handle`], but with the `modern_sqlite` feature (which `bundled` implies, as
/// in rusqlite) a plain SQLITE_ERROR that SQLite could place in the SQL becomes `SqlInputError`.
/// Without it rusqlite reports `SqliteFailure`, whose message has no " in <sql> at offset N".
#[cfg(not(feature = "modern_sqlite"))]
#[cold]
unsafe fn error_with_offset(db: *mut ffi::sqlite3, code: c_int, _sql: &str) -> Error {
    error_from_handle(db, code)
}

/// See the other `error_with_offset`.
#[cfg(feature = "modern_sqlite")]
#[cold]
unsafe fn error_with_offset(db: *mut ffi::sqlite3, code: c_int, sql: &str) -> Error {
    match error_from_handle(db, code) {
        Error::SqliteFailure(error, msg) if error.code == ffi::ErrorCode::Unknown => {
            let offset = ffi::sqlite3_error_offset(db);
            if offset >= 0 {
                Error::SqlInputError {
                    error,
                    msg: msg.unwrap_or_else(|| "error".to_owned()),
                    sql: sql.to_owned(),
                    offset,
                }
            } else {
                Error::SqliteFailure(error, msg)
            }
        }
        other => other,
    }
}
