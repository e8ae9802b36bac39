//! What rusqlite 0.36+ added to `vtab` on top of the 0.34 module, for the newer surfaces
//! (src/surface/vtab.rs) to re-export and wrap: the conflict and DISTINCT modes and the
//! engine calls behind `Filters::in_values`. Not part of the 0.34 surface.

use crate::error::error_from_sqlite_code;
use crate::{ffi, Result};
use std::ffi::c_int;

/// The conflict resolution mode of the statement running an `UpdateVTab` method
/// (`sqlite3_vtab_on_conflict`), with SQLite's names.
#[non_exhaustive]
#[derive(Debug, Eq, PartialEq)]
pub enum ConflictMode {
    /// `SQLITE_ROLLBACK`
    Rollback,
    /// `SQLITE_IGNORE`
    Ignore,
    /// `SQLITE_FAIL`
    Fail,
    /// `SQLITE_ABORT`
    Abort,
    /// `SQLITE_REPLACE`
    Replace,
}

impl From<c_int> for ConflictMode {
    /// **Differs from rusqlite:** an unknown code is `Abort` (SQLite's default mode) instead
    /// of a panic.
    fn from(code: c_int) -> ConflictMode {
        match code {
            ffi::SQLITE_ROLLBACK => ConflictMode::Rollback,
            ffi::SQLITE_IGNORE => ConflictMode::Ignore,
            ffi::SQLITE_FAIL => ConflictMode::Fail,
            ffi::SQLITE_REPLACE => ConflictMode::Replace,
            _ => ConflictMode::Abort,
        }
    }
}

/// The conflict mode of the statement running on `db`.
///
/// # Safety
/// `db` must be the live handle of a connection inside an xUpdate call.
pub(crate) unsafe fn on_conflict(db: *mut ffi::sqlite3) -> ConflictMode {
    ConflictMode::from(ffi::sqlite3_vtab_on_conflict(db))
}

/// How a query uses the rows of a virtual table (`sqlite3_vtab_distinct`).
#[non_exhaustive]
#[derive(Debug, Eq, PartialEq)]
pub enum DistinctMode {
    /// The rows are needed in full, in the ORDER BY order if any (the default).
    Ordered,
    /// A GROUP BY: rows with equal ORDER BY columns only need to be adjacent.
    Grouped,
    /// A DISTINCT: one row per distinct combination of the used columns suffices.
    Distinct,
    /// DISTINCT with ORDER BY: distinct rows, in order.
    DistinctOrdered,
}

impl DistinctMode {
    /// The mode for `sqlite3_vtab_distinct`'s answer (unknown answers are `Ordered`).
    pub(crate) fn from_code(code: c_int) -> DistinctMode {
        match code {
            1 => DistinctMode::Grouped,
            2 => DistinctMode::Distinct,
            3 => DistinctMode::DistinctOrdered,
            _ => DistinctMode::Ordered,
        }
    }
}

/// One step over the right-hand side of an `IN` constraint handled all at once
/// (`sqlite3_vtab_in_first` / `_next`): the engine's next value, `Ok(None)` past the last
/// one. 0.40 reads it as a `ValueRef`, 0.42+ as a `types::RawValue`.
///
/// # Safety
/// `list` must be the xFilter argument of an `IN` constraint that `best_index` marked with
/// `set_in_constraint(_, true)`, during that xFilter call. The value returned lives until the
/// next step or the end of that call.
pub(crate) unsafe fn in_value_step(
    list: *mut ffi::sqlite3_value,
    first: bool,
) -> Result<Option<*mut ffi::sqlite3_value>> {
    let mut value: *mut ffi::sqlite3_value = std::ptr::null_mut();
    let rc = if first {
        ffi::sqlite3_vtab_in_first(list, &mut value)
    } else {
        ffi::sqlite3_vtab_in_next(list, &mut value)
    };
    match rc {
        ffi::SQLITE_OK => Ok(Some(value)),
        ffi::SQLITE_DONE => Ok(None),
        _ => Err(error_from_sqlite_code(rc, None)),
    }
}
