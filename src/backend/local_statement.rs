//! A self-finalizing `sqlite3_stmt` of the local engine. Column values are read straight from
//! the engine into borrowed `ValueRef`s: no per-row allocation, and text keeps embedded NULs and
//! invalid UTF-8 bytes (conversion to `String` checks UTF-8 later, as rusqlite does).

use super::local_connection::error_from_handle;
use crate::column::ColumnOrigin;
use crate::error::{error_from_sqlite_code, error_with_generic_message, Error};
use crate::types::ValueRef;
use crate::{ffi, Result};
use std::ffi::{c_int, c_void, CStr, CString};
use std::{ptr, slice};

/// A prepared statement; null for empty or comment-only SQL, as in rusqlite.
pub(crate) struct LocalStatement {
    stmt: *mut ffi::sqlite3_stmt,
    db: *mut ffi::sqlite3,
}

// SAFETY: the engine runs SERIALIZED; a statement is used by one thread at a time because the
// public types that own it are !Sync.
unsafe impl Send for LocalStatement {}

impl LocalStatement {
    /// # Safety
    /// `stmt` must be null or a statement prepared on `db`, owned by the result.
    pub(crate) unsafe fn new(stmt: *mut ffi::sqlite3_stmt, db: *mut ffi::sqlite3) -> Self {
        LocalStatement { stmt, db }
    }

    #[inline]
    pub(crate) fn is_null(&self) -> bool {
        self.stmt.is_null()
    }

    #[cold]
    fn error(&self, code: c_int) -> Error {
        unsafe { error_from_handle(self.db, code) }
    }

    #[inline]
    fn check(&self, code: c_int) -> Result<()> {
        if code == ffi::SQLITE_OK {
            Ok(())
        } else {
            Err(self.error(code))
        }
    }

    /// One `sqlite3_step`: `Ok(true)` for a row, `Ok(false)` when done.
    #[inline]
    pub(crate) fn step(&self) -> Result<bool> {
        if self.stmt.is_null() {
            return Err(error_with_generic_message(ffi::SQLITE_MISUSE));
        }
        // SAFETY: a live statement of `self.db`.
        #[cfg(not(feature = "unlock_notify"))]
        let rc = unsafe { ffi::sqlite3_step(self.stmt) };
        #[cfg(feature = "unlock_notify")]
        let rc = unsafe { crate::unlock_notify::step(self.stmt, self.db) };
        match rc {
            ffi::SQLITE_ROW => Ok(true),
            ffi::SQLITE_DONE => Ok(false),
            code => Err(self.error(code)),
        }
    }

    /// `sqlite3_reset`; the result code is that of the last step, so it is not an error here.
    #[inline]
    pub(crate) fn reset(&self) -> c_int {
        if self.stmt.is_null() {
            return ffi::SQLITE_OK;
        }
        unsafe { ffi::sqlite3_reset(self.stmt) }
    }

    /// Read on every `Row::get` (the index check). The engine answers 0 for a null statement.
    #[inline]
    pub(crate) fn column_count(&self) -> usize {
        unsafe { ffi::sqlite3_column_count(self.stmt) as usize }
    }

    /// The column's name as SQLite reports it (the SQL text for expressions).
    pub(crate) fn column_name(&self, col: usize) -> Option<&str> {
        if col >= self.column_count() {
            return None;
        }
        unsafe {
            let p = ffi::sqlite3_column_name(self.stmt, col as c_int);
            if p.is_null() {
                None
            } else {
                // Column names come from our UTF-8 SQL, so this only fails on OOM.
                CStr::from_ptr(p).to_str().ok()
            }
        }
    }

    pub(crate) fn column_decltype(&self, col: usize) -> Option<&str> {
        if col >= self.column_count() {
            return None;
        }
        unsafe {
            let p = ffi::sqlite3_column_decltype(self.stmt, col as c_int);
            if p.is_null() {
                None
            } else {
                CStr::from_ptr(p).to_str().ok()
            }
        }
    }

    /// The database, table and column `col` reads (caller checked the index).
    pub(crate) fn column_origin(&self, col: usize) -> ColumnOrigin<'_> {
        let col = col as c_int;
        // SAFETY: a live statement; the engine keeps the names until it is re-prepared or
        // finalized, and the `&self` borrow outlives neither.
        let name =
            |p: *const std::ffi::c_char| (!p.is_null()).then(|| unsafe { CStr::from_ptr(p) });
        unsafe {
            ColumnOrigin {
                database: name(ffi::sqlite3_column_database_name(self.stmt, col)),
                table: name(ffi::sqlite3_column_table_name(self.stmt, col)),
                column: name(ffi::sqlite3_column_origin_name(self.stmt, col)),
            }
        }
    }

    /// The current row's value in `col` (caller checked the index), borrowed from the engine
    /// until the next step or reset.
    pub(crate) fn value_ref(&self, col: usize) -> ValueRef<'_> {
        let stmt = self.stmt;
        let col = col as c_int;
        unsafe {
            match ffi::sqlite3_column_type(stmt, col) {
                ffi::SQLITE_INTEGER => ValueRef::Integer(ffi::sqlite3_column_int64(stmt, col)),
                ffi::SQLITE_FLOAT => ValueRef::Real(ffi::sqlite3_column_double(stmt, col)),
                ffi::SQLITE_TEXT => {
                    let p = ffi::sqlite3_column_text(stmt, col);
                    let len = ffi::sqlite3_column_bytes(stmt, col);
                    if p.is_null() || len <= 0 {
                        ValueRef::Text(&[])
                    } else {
                        ValueRef::Text(slice::from_raw_parts(p.cast::<u8>(), len as usize))
                    }
                }
                ffi::SQLITE_BLOB => {
                    let p = ffi::sqlite3_column_blob(stmt, col);
                    let len = ffi::sqlite3_column_bytes(stmt, col);
                    if p.is_null() || len <= 0 {
                        ValueRef::Blob(&[])
                    } else {
                        ValueRef::Blob(slice::from_raw_parts(p.cast::<u8>(), len as usize))
                    }
                }
                _ => ValueRef::Null,
            }
        }
    }

    pub(crate) fn parameter_count(&self) -> usize {
        if self.stmt.is_null() {
            return 0;
        }
        unsafe { ffi::sqlite3_bind_parameter_count(self.stmt) as usize }
    }

    /// The 1-based index of a named parameter, written with its prefix (`:a`, `@a`, `$a`).
    pub(crate) fn parameter_index(&self, name: &str) -> Option<usize> {
        if self.stmt.is_null() {
            return None;
        }
        let name = CString::new(name).ok()?;
        self.parameter_index_c(&name)
    }

    pub(crate) fn parameter_index_c(&self, name: &CStr) -> Option<usize> {
        if self.stmt.is_null() {
            return None;
        }
        match unsafe { ffi::sqlite3_bind_parameter_index(self.stmt, name.as_ptr()) } {
            0 => None,
            i => Some(i as usize),
        }
    }

    pub(crate) fn parameter_name(&self, index: usize) -> Option<&str> {
        if self.stmt.is_null() {
            return None;
        }
        let index = c_int::try_from(index).ok()?;
        unsafe {
            let p = ffi::sqlite3_bind_parameter_name(self.stmt, index);
            if p.is_null() {
                None
            } else {
                CStr::from_ptr(p).to_str().ok()
            }
        }
    }

    fn bind_index(&self, index: usize) -> Result<c_int> {
        c_int::try_from(index).map_err(|_| error_with_generic_message(ffi::SQLITE_RANGE))
    }

    /// Binds one value at a 1-based index, as rusqlite binds `ToSqlOutput`.
    pub(crate) fn bind_value(&self, index: usize, value: ValueRef<'_>) -> Result<()> {
        if self.stmt.is_null() {
            return Err(error_with_generic_message(ffi::SQLITE_RANGE));
        }
        let i = self.bind_index(index)?;
        let stmt = self.stmt;
        let rc = unsafe {
            match value {
                ValueRef::Null => ffi::sqlite3_bind_null(stmt, i),
                ValueRef::Integer(v) => ffi::sqlite3_bind_int64(stmt, i, v),
                ValueRef::Real(v) => ffi::sqlite3_bind_double(stmt, i, v),
                ValueRef::Text(s) => {
                    let len = c_int::try_from(s.len())
                        .map_err(|_| error_from_sqlite_code(ffi::SQLITE_TOOBIG, None))?;
                    // A non-null pointer keeps "" as empty TEXT rather than NULL.
                    let p = if s.is_empty() {
                        c"".as_ptr()
                    } else {
                        s.as_ptr().cast()
                    };
                    ffi::sqlite3_bind_text(stmt, i, p, len, ffi::SQLITE_TRANSIENT())
                }
                ValueRef::Blob(b) => {
                    let len = c_int::try_from(b.len())
                        .map_err(|_| error_from_sqlite_code(ffi::SQLITE_TOOBIG, None))?;
                    if len == 0 {
                        ffi::sqlite3_bind_zeroblob(stmt, i, 0)
                    } else {
                        ffi::sqlite3_bind_blob(
                            stmt,
                            i,
                            b.as_ptr().cast::<c_void>(),
                            len,
                            ffi::SQLITE_TRANSIENT(),
                        )
                    }
                }
            }
        };
        self.check(rc)
    }

    /// Binds a typed pointer (`sqlite3_bind_pointer`); the engine calls `free` on `p` when the
    /// binding ends, including when binding fails.
    #[cfg(any(feature = "array", feature = "pointer"))]
    pub(crate) fn bind_pointer(
        &self,
        index: usize,
        p: *mut c_void,
        type_name: *const std::ffi::c_char,
        free: ffi::sqlite3_destructor_type,
    ) -> Result<()> {
        let i = if self.stmt.is_null() {
            Err(error_with_generic_message(ffi::SQLITE_RANGE))
        } else {
            self.bind_index(index)
        }
        .inspect_err(|_| {
            if let Some(free) = free {
                // SAFETY: the engine never saw `p`; release it as it would have.
                unsafe { free(p) }
            }
        })?;
        self.check(unsafe { ffi::sqlite3_bind_pointer(self.stmt, i, p, type_name, free) })
    }

    /// The engine's value of column `index` in the current row (for reading a pointer), or
    /// null without a statement or for an index out of range.
    #[cfg(feature = "pointer")]
    pub(crate) fn column_value(&self, index: usize) -> *mut ffi::sqlite3_value {
        match c_int::try_from(index) {
            // SAFETY: a live statement; SQLite answers null for a column it does not have.
            Ok(index) if !self.stmt.is_null() => unsafe {
                ffi::sqlite3_column_value(self.stmt, index)
            },
            _ => ptr::null_mut(),
        }
    }

    pub(crate) fn bind_zeroblob(&self, index: usize, len: i32) -> Result<()> {
        if self.stmt.is_null() {
            return Err(error_with_generic_message(ffi::SQLITE_RANGE));
        }
        let i = self.bind_index(index)?;
        self.check(unsafe { ffi::sqlite3_bind_zeroblob(self.stmt, i, len) })
    }

    pub(crate) fn clear_bindings(&self) {
        if !self.stmt.is_null() {
            unsafe { ffi::sqlite3_clear_bindings(self.stmt) };
        }
    }

    pub(crate) fn sql(&self) -> Option<&str> {
        if self.stmt.is_null() {
            return None;
        }
        unsafe {
            let p = ffi::sqlite3_sql(self.stmt);
            if p.is_null() {
                None
            } else {
                CStr::from_ptr(p).to_str().ok()
            }
        }
    }

    pub(crate) fn expanded_sql(&self) -> Option<String> {
        if self.stmt.is_null() {
            return None;
        }
        unsafe {
            let p = ffi::sqlite3_expanded_sql(self.stmt);
            if p.is_null() {
                return None;
            }
            let s = CStr::from_ptr(p).to_string_lossy().into_owned();
            ffi::sqlite3_free(p.cast::<c_void>());
            Some(s)
        }
    }

    pub(crate) fn readonly(&self) -> bool {
        self.stmt.is_null() || unsafe { ffi::sqlite3_stmt_readonly(self.stmt) != 0 }
    }

    pub(crate) fn is_explain(&self) -> i32 {
        if self.stmt.is_null() {
            return 0;
        }
        unsafe { ffi::sqlite3_stmt_isexplain(self.stmt) }
    }

    pub(crate) fn status(&self, op: c_int, reset: bool) -> i32 {
        if self.stmt.is_null() {
            return 0;
        }
        unsafe { ffi::sqlite3_stmt_status(self.stmt, op, reset as c_int) }
    }

    /// Finalizes now, reporting the error the statement's last step left behind.
    pub(crate) fn finalize(&mut self) -> Result<()> {
        let stmt = std::mem::replace(&mut self.stmt, ptr::null_mut());
        let rc = unsafe { ffi::sqlite3_finalize(stmt) };
        self.check(rc)
    }
}

impl Drop for LocalStatement {
    fn drop(&mut self) {
        // Finalizing null is a harmless no-op; errors were already reported by step.
        unsafe { ffi::sqlite3_finalize(self.stmt) };
    }
}
