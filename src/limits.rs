//! Run-time limits (`sqlite3_limit`), as in rusqlite 0.34's `limits` module.
//!
//! ## Backends
//! Local connections only: on a remote connection [`Connection::limit`] and
//! [`Connection::set_limit`] return `Error::SqliteFailure` (`ApiMisuse`) saying the feature
//! needs a local database.

use crate::error::error_from_sqlite_code;
use crate::{ffi, Connection, Result};
use std::ffi::c_int;
use std::fmt;

/// Declares `Limit`: the categories of rusqlite 0.34, then the newer surfaces' `$extra` ones
/// (one list of the shared categories for every surface).
macro_rules! limit_enum {
    ($($(#[$extra_doc:meta])* $extra:ident = $extra_id:expr,)*) => {
        /// The run-time limit categories, with SQLite's values.
        #[derive(Copy, Clone, Debug)]
        #[repr(i32)]
        #[non_exhaustive]
        #[allow(non_camel_case_types)]
        pub enum Limit {
            /// Maximum size of a string or blob, or of a row.
            SQLITE_LIMIT_LENGTH = $crate::ffi::SQLITE_LIMIT_LENGTH,
            /// Maximum length of an SQL statement, in bytes.
            SQLITE_LIMIT_SQL_LENGTH = $crate::ffi::SQLITE_LIMIT_SQL_LENGTH,
            /// Maximum number of columns in a table, index, result set, `ORDER BY` or `GROUP BY`.
            SQLITE_LIMIT_COLUMN = $crate::ffi::SQLITE_LIMIT_COLUMN,
            /// Maximum depth of an expression tree.
            SQLITE_LIMIT_EXPR_DEPTH = $crate::ffi::SQLITE_LIMIT_EXPR_DEPTH,
            /// Maximum number of terms in a compound SELECT.
            SQLITE_LIMIT_COMPOUND_SELECT = $crate::ffi::SQLITE_LIMIT_COMPOUND_SELECT,
            /// Maximum number of virtual machine instructions for one statement.
            SQLITE_LIMIT_VDBE_OP = $crate::ffi::SQLITE_LIMIT_VDBE_OP,
            /// Maximum number of arguments of a function.
            SQLITE_LIMIT_FUNCTION_ARG = $crate::ffi::SQLITE_LIMIT_FUNCTION_ARG,
            /// Maximum number of attached databases.
            SQLITE_LIMIT_ATTACHED = $crate::ffi::SQLITE_LIMIT_ATTACHED,
            /// Maximum length of a `LIKE` or `GLOB` pattern.
            SQLITE_LIMIT_LIKE_PATTERN_LENGTH = $crate::ffi::SQLITE_LIMIT_LIKE_PATTERN_LENGTH,
            /// Maximum index of a parameter.
            SQLITE_LIMIT_VARIABLE_NUMBER = $crate::ffi::SQLITE_LIMIT_VARIABLE_NUMBER,
            /// Maximum depth of trigger recursion.
            SQLITE_LIMIT_TRIGGER_DEPTH = $crate::ffi::SQLITE_LIMIT_TRIGGER_DEPTH,
            /// Maximum number of auxiliary worker threads of one statement.
            SQLITE_LIMIT_WORKER_THREADS = $crate::ffi::SQLITE_LIMIT_WORKER_THREADS,
            $($(#[$extra_doc])* $extra = $extra_id,)*
        }
    };
}

limit_enum!();

impl Connection {
    /// The current value of a run-time limit.
    ///
    /// # Failure
    /// `SqliteFailure` (`SQLITE_RANGE`, `"{limit:?} is invalid"`) if the engine does not know the
    /// category; local connections only.
    #[inline]
    pub fn limit(&self, limit: Limit) -> Result<i32> {
        self.limit_by_id(limit as c_int, &limit)
    }

    /// Sets a run-time limit and returns its previous value. The engine silently caps values
    /// above its compile-time maximum.
    ///
    /// # Failure
    /// `SqliteFailure` (`SQLITE_RANGE`, `"{new_val} is invalid"`) for a negative value, or
    /// (`"{limit:?} is invalid"`) for an unknown category; local connections only.
    #[inline]
    pub fn set_limit(&self, limit: Limit, new_val: i32) -> Result<i32> {
        self.set_limit_by_id(limit as c_int, &limit, new_val)
    }

    /// [`Connection::limit`] by category number; `label` names it in the error (the newer
    /// surfaces' `Limit` enums have more categories than 0.34's).
    pub(crate) fn limit_by_id(&self, id: c_int, label: &dyn fmt::Debug) -> Result<i32> {
        let db = self.backend().local_handle("limit")?;
        // SAFETY: open handle; -1 only reads the value.
        let rc = unsafe { ffi::sqlite3_limit(db, id, -1) };
        if rc < 0 {
            return Err(error_from_sqlite_code(
                ffi::SQLITE_RANGE,
                Some(format!("{label:?} is invalid")),
            ));
        }
        Ok(rc)
    }

    /// [`Connection::set_limit`] by category number, as [`Connection::limit_by_id`].
    pub(crate) fn set_limit_by_id(
        &self,
        id: c_int,
        label: &dyn fmt::Debug,
        new_val: i32,
    ) -> Result<i32> {
        if new_val < 0 {
            return Err(error_from_sqlite_code(
                ffi::SQLITE_RANGE,
                Some(format!("{new_val} is invalid")),
            ));
        }
        let db = self.backend().local_handle("set_limit")?;
        // SAFETY: open handle.
        let rc = unsafe { ffi::sqlite3_limit(db, id, new_val) };
        if rc < 0 {
            return Err(error_from_sqlite_code(
                ffi::SQLITE_RANGE,
                Some(format!("{label:?} is invalid")),
            ));
        }
        Ok(rc)
    }
}
