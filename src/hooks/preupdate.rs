//! The preupdate hook (feature `preupdate_hook`, as in rusqlite): a callback run before each
//! row change, which can read the row's old and new values. The feature compiles
//! `SQLITE_ENABLE_PREUPDATE_HOOK` into libSQL's engine; libSQL's bindings do not declare the
//! `sqlite3_preupdate_*` functions, so they are declared here.
//!
//! Local connections only; a no-op on remote connections, like the other hooks.

use super::{set_hook, utf8, Action, HookSlots};
use crate::error::error_from_sqlite_code;
use crate::functions::value_ref_from_value;
use crate::types::ValueRef;
use crate::{ffi, Connection, Result};
use std::ffi::{c_char, c_int, c_void};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;

type PreUpdateCallback = unsafe extern "C" fn(
    *mut c_void,
    *mut ffi::sqlite3,
    c_int,
    *const c_char,
    *const c_char,
    i64,
    i64,
);

extern "C" {
    fn sqlite3_preupdate_hook(
        db: *mut ffi::sqlite3,
        callback: Option<PreUpdateCallback>,
        arg: *mut c_void,
    ) -> *mut c_void;
    fn sqlite3_preupdate_old(
        db: *mut ffi::sqlite3,
        i: c_int,
        out: *mut *mut ffi::sqlite3_value,
    ) -> c_int;
    fn sqlite3_preupdate_new(
        db: *mut ffi::sqlite3,
        i: c_int,
        out: *mut *mut ffi::sqlite3_value,
    ) -> c_int;
    fn sqlite3_preupdate_count(db: *mut ffi::sqlite3) -> c_int;
    fn sqlite3_preupdate_depth(db: *mut ffi::sqlite3) -> c_int;
}

/// Removes the hook (when the connection's hooks are torn down).
pub(super) unsafe fn unregister(db: *mut ffi::sqlite3) {
    sqlite3_preupdate_hook(db, None, ptr::null_mut());
}

/// The kind of change, with accessors for the values it has.
#[derive(Debug)]
pub enum PreUpdateCase {
    /// A new row: new values only.
    Insert(PreUpdateNewValueAccessor),
    /// A removed row: old values only.
    Delete(PreUpdateOldValueAccessor),
    /// A changed row: both.
    Update {
        /// The values before the change.
        old_value_accessor: PreUpdateOldValueAccessor,
        /// The values after the change.
        new_value_accessor: PreUpdateNewValueAccessor,
    },
    /// Any other code.
    Unknown,
}

impl From<PreUpdateCase> for Action {
    fn from(case: PreUpdateCase) -> Action {
        match case {
            PreUpdateCase::Insert(_) => Action::SQLITE_INSERT,
            PreUpdateCase::Delete(_) => Action::SQLITE_DELETE,
            PreUpdateCase::Update { .. } => Action::SQLITE_UPDATE,
            PreUpdateCase::Unknown => Action::UNKNOWN,
        }
    }
}

/// A value read through `read` (`sqlite3_preupdate_old` / `_new`).
unsafe fn value<'a>(
    read: unsafe extern "C" fn(*mut ffi::sqlite3, c_int, *mut *mut ffi::sqlite3_value) -> c_int,
    db: *mut ffi::sqlite3,
    i: i32,
) -> Result<ValueRef<'a>> {
    let mut v = ptr::null_mut();
    let rc = read(db, i, &mut v);
    if rc != ffi::SQLITE_OK {
        return Err(error_from_sqlite_code(rc, None));
    }
    if v.is_null() {
        return Ok(ValueRef::Null);
    }
    Ok(value_ref_from_value(v))
}

/// The old values of the row being deleted or updated (valid inside the hook only).
#[derive(Debug)]
pub struct PreUpdateOldValueAccessor {
    db: *mut ffi::sqlite3,
    old_row_id: i64,
}

impl PreUpdateOldValueAccessor {
    /// The number of columns of the row.
    pub fn get_column_count(&self) -> i32 {
        unsafe { sqlite3_preupdate_count(self.db) }
    }

    /// 0 for a direct change, 1 for one made by a top-level trigger, and so on.
    pub fn get_query_depth(&self) -> i32 {
        unsafe { sqlite3_preupdate_depth(self.db) }
    }

    /// The same accessor, for the newer surfaces' wrappers.
    pub(crate) fn duplicate(&self) -> PreUpdateOldValueAccessor {
        PreUpdateOldValueAccessor {
            db: self.db,
            old_row_id: self.old_row_id,
        }
    }

    /// The rowid before the change.
    pub fn get_old_row_id(&self) -> i64 {
        self.old_row_id
    }

    /// Column `i`'s value before the change.
    ///
    /// # Failure
    /// `SqliteFailure` (`SQLITE_RANGE`) for a column out of range.
    pub fn get_old_column_value(&self, i: i32) -> Result<ValueRef<'_>> {
        unsafe { value(sqlite3_preupdate_old, self.db, i) }
    }
}

/// The new values of the row being inserted or updated (valid inside the hook only).
#[derive(Debug)]
pub struct PreUpdateNewValueAccessor {
    db: *mut ffi::sqlite3,
    new_row_id: i64,
}

impl PreUpdateNewValueAccessor {
    /// The number of columns of the row.
    pub fn get_column_count(&self) -> i32 {
        unsafe { sqlite3_preupdate_count(self.db) }
    }

    /// 0 for a direct change, 1 for one made by a top-level trigger, and so on.
    pub fn get_query_depth(&self) -> i32 {
        unsafe { sqlite3_preupdate_depth(self.db) }
    }

    /// The same accessor, for the newer surfaces' wrappers.
    pub(crate) fn duplicate(&self) -> PreUpdateNewValueAccessor {
        PreUpdateNewValueAccessor {
            db: self.db,
            new_row_id: self.new_row_id,
        }
    }

    /// The rowid after the change.
    pub fn get_new_row_id(&self) -> i64 {
        self.new_row_id
    }

    /// Column `i`'s value after the change.
    ///
    /// # Failure
    /// `SqliteFailure` (`SQLITE_RANGE`) for a column out of range.
    pub fn get_new_column_value(&self, i: i32) -> Result<ValueRef<'_>> {
        unsafe { value(sqlite3_preupdate_new, self.db, i) }
    }
}

unsafe extern "C" fn call_preupdate<F: FnMut(Action, &str, &str, &PreUpdateCase)>(
    p: *mut c_void,
    db: *mut ffi::sqlite3,
    code: c_int,
    db_name: *const c_char,
    table: *const c_char,
    old_row_id: i64,
    new_row_id: i64,
) {
    let action = Action::from(code);
    let old = || PreUpdateOldValueAccessor { db, old_row_id };
    let new = || PreUpdateNewValueAccessor { db, new_row_id };
    let case = match action {
        Action::SQLITE_INSERT => PreUpdateCase::Insert(new()),
        Action::SQLITE_DELETE => PreUpdateCase::Delete(old()),
        Action::SQLITE_UPDATE => PreUpdateCase::Update {
            old_value_accessor: old(),
            new_value_accessor: new(),
        },
        _ => PreUpdateCase::Unknown,
    };
    // Like the update hook, a missing or non-UTF-8 name skips the call.
    let (Some(db_name), Some(table)) = (utf8(db_name), utf8(table)) else {
        return;
    };
    let f = p.cast::<F>();
    let _ = catch_unwind(AssertUnwindSafe(|| (*f)(action, db_name, table, &case)));
}

impl Connection {
    /// Installs (`Some`) or removes (`None`) a callback run before each row change, with the
    /// action, database name, table name and the [`PreUpdateCase`] to read values from.
    ///
    /// Local connections only; a no-op on remote connections.
    pub fn preupdate_hook<F>(&self, hook: Option<F>)
    where
        F: FnMut(Action, &str, &str, &PreUpdateCase) + Send + 'static,
    {
        set_hook(
            self,
            "preupdate_hook",
            hook,
            |s: &mut HookSlots| &mut s.preupdate,
            |db, arg| unsafe {
                let cb = if arg.is_null() {
                    None
                } else {
                    Some(call_preupdate::<F> as PreUpdateCallback)
                };
                sqlite3_preupdate_hook(db, cb, arg);
            },
        );
    }
}
