//! Commit, rollback and data-change notifications, the progress handler, the authorizer and
//! the WAL hook: rusqlite 0.34's `hooks` module.
//!
//! ## Backends
//! Local connections only. These methods return `()` in rusqlite, so there is no error to
//! report on a remote connection: there they do nothing and the callback is dropped unused.
//!
//! ## Ownership
//! The registered closures belong to the connection. Replacing a hook drops the previous
//! closure; closing the connection unregisters every hook first and then drops them all, so a
//! hook never runs during or after the close (as in rusqlite). A panic inside a hook is caught:
//! the commit hook and progress handler then act as if they had returned `false`, the
//! authorizer as if it had failed (the statement is refused), and the other hooks are ignored.

use crate::error::error_from_sqlite_code;
use crate::functions::drop_boxed;
use crate::trace::{call_trace_v2, TraceEvent, TraceEventCodes};
use crate::{ffi, Connection, DatabaseName, Result};
use std::ffi::{c_char, c_int, c_void, CStr};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;

#[cfg(feature = "preupdate_hook")]
mod preupdate;
#[cfg(feature = "preupdate_hook")]
pub use preupdate::{PreUpdateCase, PreUpdateNewValueAccessor, PreUpdateOldValueAccessor};

/// The kind of row change reported to an [`Connection::update_hook`].
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
#[repr(i32)]
#[non_exhaustive]
#[allow(non_camel_case_types)]
pub enum Action {
    /// A code this version does not know.
    UNKNOWN = -1,
    /// A row was deleted.
    SQLITE_DELETE = ffi::SQLITE_DELETE,
    /// A row was inserted.
    SQLITE_INSERT = ffi::SQLITE_INSERT,
    /// A row was updated.
    SQLITE_UPDATE = ffi::SQLITE_UPDATE,
}

impl From<i32> for Action {
    #[inline]
    fn from(code: i32) -> Action {
        match code {
            ffi::SQLITE_DELETE => Action::SQLITE_DELETE,
            ffi::SQLITE_INSERT => Action::SQLITE_INSERT,
            ffi::SQLITE_UPDATE => Action::SQLITE_UPDATE,
            _ => Action::UNKNOWN,
        }
    }
}

/// What an [`Connection::authorizer`] callback is asked about.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub struct AuthContext<'c> {
    /// The action to authorize, with its arguments.
    pub action: AuthAction<'c>,
    /// The database the action applies to, if any (`"main"`, `"temp"`, an attached name).
    pub database_name: Option<&'c str>,
    /// The innermost trigger or view responsible, or `None` for top-level SQL.
    pub accessor: Option<&'c str>,
}

/// An action found in a statement being prepared, with SQLite's arguments for it.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
#[non_exhaustive]
#[allow(missing_docs)]
pub enum AuthAction<'c> {
    /// An action code this version does not know, with its raw arguments.
    Unknown {
        /// The action code.
        code: i32,
        /// The first string argument.
        arg1: Option<&'c str>,
        /// The second string argument.
        arg2: Option<&'c str>,
    },
    CreateIndex {
        index_name: &'c str,
        table_name: &'c str,
    },
    CreateTable {
        table_name: &'c str,
    },
    CreateTempIndex {
        index_name: &'c str,
        table_name: &'c str,
    },
    CreateTempTable {
        table_name: &'c str,
    },
    CreateTempTrigger {
        trigger_name: &'c str,
        table_name: &'c str,
    },
    CreateTempView {
        view_name: &'c str,
    },
    CreateTrigger {
        trigger_name: &'c str,
        table_name: &'c str,
    },
    CreateView {
        view_name: &'c str,
    },
    Delete {
        table_name: &'c str,
    },
    DropIndex {
        index_name: &'c str,
        table_name: &'c str,
    },
    DropTable {
        table_name: &'c str,
    },
    DropTempIndex {
        index_name: &'c str,
        table_name: &'c str,
    },
    DropTempTable {
        table_name: &'c str,
    },
    DropTempTrigger {
        trigger_name: &'c str,
        table_name: &'c str,
    },
    DropTempView {
        view_name: &'c str,
    },
    DropTrigger {
        trigger_name: &'c str,
        table_name: &'c str,
    },
    DropView {
        view_name: &'c str,
    },
    Insert {
        table_name: &'c str,
    },
    Pragma {
        pragma_name: &'c str,
        /// The value in `PRAGMA name = value`, if any.
        pragma_value: Option<&'c str>,
    },
    Read {
        table_name: &'c str,
        column_name: &'c str,
    },
    Select,
    Transaction {
        operation: TransactionOperation,
    },
    Update {
        table_name: &'c str,
        column_name: &'c str,
    },
    Attach {
        filename: &'c str,
    },
    Detach {
        database_name: &'c str,
    },
    AlterTable {
        database_name: &'c str,
        table_name: &'c str,
    },
    Reindex {
        index_name: &'c str,
    },
    Analyze {
        table_name: &'c str,
    },
    CreateVtable {
        table_name: &'c str,
        module_name: &'c str,
    },
    DropVtable {
        table_name: &'c str,
        module_name: &'c str,
    },
    Function {
        function_name: &'c str,
    },
    Savepoint {
        operation: TransactionOperation,
        savepoint_name: &'c str,
    },
    Recursive,
}

impl<'c> AuthAction<'c> {
    /// Decodes SQLite's action code and its two string arguments; a combination that does not
    /// fit a known action (a missing argument, say) is `Unknown`.
    fn from_raw(code: i32, arg1: Option<&'c str>, arg2: Option<&'c str>) -> AuthAction<'c> {
        use AuthAction as A;
        match (code, arg1, arg2) {
            (ffi::SQLITE_CREATE_INDEX, Some(i), Some(t)) => A::CreateIndex {
                index_name: i,
                table_name: t,
            },
            (ffi::SQLITE_CREATE_TABLE, Some(t), _) => A::CreateTable { table_name: t },
            (ffi::SQLITE_CREATE_TEMP_INDEX, Some(i), Some(t)) => A::CreateTempIndex {
                index_name: i,
                table_name: t,
            },
            (ffi::SQLITE_CREATE_TEMP_TABLE, Some(t), _) => A::CreateTempTable { table_name: t },
            (ffi::SQLITE_CREATE_TEMP_TRIGGER, Some(g), Some(t)) => A::CreateTempTrigger {
                trigger_name: g,
                table_name: t,
            },
            (ffi::SQLITE_CREATE_TEMP_VIEW, Some(v), _) => A::CreateTempView { view_name: v },
            (ffi::SQLITE_CREATE_TRIGGER, Some(g), Some(t)) => A::CreateTrigger {
                trigger_name: g,
                table_name: t,
            },
            (ffi::SQLITE_CREATE_VIEW, Some(v), _) => A::CreateView { view_name: v },
            (ffi::SQLITE_DELETE, Some(t), None) => A::Delete { table_name: t },
            (ffi::SQLITE_DROP_INDEX, Some(i), Some(t)) => A::DropIndex {
                index_name: i,
                table_name: t,
            },
            (ffi::SQLITE_DROP_TABLE, Some(t), _) => A::DropTable { table_name: t },
            (ffi::SQLITE_DROP_TEMP_INDEX, Some(i), Some(t)) => A::DropTempIndex {
                index_name: i,
                table_name: t,
            },
            (ffi::SQLITE_DROP_TEMP_TABLE, Some(t), _) => A::DropTempTable { table_name: t },
            (ffi::SQLITE_DROP_TEMP_TRIGGER, Some(g), Some(t)) => A::DropTempTrigger {
                trigger_name: g,
                table_name: t,
            },
            (ffi::SQLITE_DROP_TEMP_VIEW, Some(v), _) => A::DropTempView { view_name: v },
            (ffi::SQLITE_DROP_TRIGGER, Some(g), Some(t)) => A::DropTrigger {
                trigger_name: g,
                table_name: t,
            },
            (ffi::SQLITE_DROP_VIEW, Some(v), _) => A::DropView { view_name: v },
            (ffi::SQLITE_INSERT, Some(t), _) => A::Insert { table_name: t },
            (ffi::SQLITE_PRAGMA, Some(p), value) => A::Pragma {
                pragma_name: p,
                pragma_value: value,
            },
            (ffi::SQLITE_READ, Some(t), Some(c)) => A::Read {
                table_name: t,
                column_name: c,
            },
            (ffi::SQLITE_SELECT, ..) => A::Select,
            (ffi::SQLITE_TRANSACTION, Some(op), _) => A::Transaction {
                operation: TransactionOperation::from_str(op),
            },
            (ffi::SQLITE_UPDATE, Some(t), Some(c)) => A::Update {
                table_name: t,
                column_name: c,
            },
            (ffi::SQLITE_ATTACH, Some(f), _) => A::Attach { filename: f },
            (ffi::SQLITE_DETACH, Some(d), _) => A::Detach { database_name: d },
            (ffi::SQLITE_ALTER_TABLE, Some(d), Some(t)) => A::AlterTable {
                database_name: d,
                table_name: t,
            },
            (ffi::SQLITE_REINDEX, Some(i), _) => A::Reindex { index_name: i },
            (ffi::SQLITE_ANALYZE, Some(t), _) => A::Analyze { table_name: t },
            (ffi::SQLITE_CREATE_VTABLE, Some(t), Some(m)) => A::CreateVtable {
                table_name: t,
                module_name: m,
            },
            (ffi::SQLITE_DROP_VTABLE, Some(t), Some(m)) => A::DropVtable {
                table_name: t,
                module_name: m,
            },
            (ffi::SQLITE_FUNCTION, _, Some(f)) => A::Function { function_name: f },
            (ffi::SQLITE_SAVEPOINT, Some(op), Some(s)) => A::Savepoint {
                operation: TransactionOperation::from_str(op),
                savepoint_name: s,
            },
            (ffi::SQLITE_RECURSIVE, ..) => A::Recursive,
            (code, arg1, arg2) => A::Unknown { code, arg1, arg2 },
        }
    }
}

/// The operation of a `Transaction` or `Savepoint` authorizer action.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
#[non_exhaustive]
#[allow(missing_docs)]
pub enum TransactionOperation {
    Unknown,
    Begin,
    Release,
    Rollback,
}

impl TransactionOperation {
    fn from_str(op: &str) -> TransactionOperation {
        match op {
            "BEGIN" => TransactionOperation::Begin,
            "RELEASE" => TransactionOperation::Release,
            "ROLLBACK" => TransactionOperation::Rollback,
            _ => TransactionOperation::Unknown,
        }
    }
}

/// An [`Connection::authorizer`] decision.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
#[non_exhaustive]
pub enum Authorization {
    /// Allow the action.
    Allow,
    /// Silently skip it (a column read becomes NULL).
    Ignore,
    /// Refuse the statement with "not authorized".
    Deny,
}

impl Authorization {
    fn into_raw(self) -> c_int {
        match self {
            Authorization::Allow => ffi::SQLITE_OK,
            Authorization::Ignore => ffi::SQLITE_IGNORE,
            Authorization::Deny => ffi::SQLITE_DENY,
        }
    }
}

/// Checkpoint modes for [`Wal::checkpoint_v2`] (and the 0.43 surface's
/// `Connection::wal_checkpoint_v2`).
#[derive(Clone, Copy, Default)]
#[repr(i32)]
#[non_exhaustive]
#[allow(non_camel_case_types)]
pub enum CheckpointMode {
    /// Checkpoint as much as possible without waiting (the default, as in rusqlite 0.41+).
    #[default]
    PASSIVE = ffi::SQLITE_CHECKPOINT_PASSIVE,
    /// Wait for writers, then checkpoint everything.
    FULL = ffi::SQLITE_CHECKPOINT_FULL,
    /// Like `FULL`, then wait for readers so the log restarts.
    RESTART = ffi::SQLITE_CHECKPOINT_RESTART,
    /// Like `RESTART`, and truncate the log file.
    TRUNCATE = ffi::SQLITE_CHECKPOINT_TRUNCATE,
    /// Only report the log's state (SQLite 3.51+). **Differs from rusqlite:** libSQL's engine
    /// is SQLite 3.47, which refuses the mode with `SQLITE_MISUSE`.
    #[cfg(feature = "modern_sqlite")]
    NOOP = -1,
}

/// `sqlite3_wal_checkpoint_v2` of database `db_name` (all of them when null): the log size
/// and the frames checkpointed.
///
/// # Safety
/// `db` must be an open handle and `db_name` null or a NUL-terminated name.
unsafe fn checkpoint_v2(
    db: *mut ffi::sqlite3,
    db_name: *const c_char,
    mode: CheckpointMode,
) -> Result<(c_int, c_int)> {
    let (mut n_log, mut n_ckpt) = (0, 0);
    let rc = ffi::sqlite3_wal_checkpoint_v2(db, db_name, mode as c_int, &mut n_log, &mut n_ckpt);
    check_raw(db, rc)?;
    Ok((n_log, n_ckpt))
}

impl Connection {
    /// Checkpoints database `db_name` (every WAL database when `None`) with `mode`: the newer
    /// surfaces' `wal_checkpoint_v2`. Local connections only: a server checkpoints its own log.
    pub(crate) fn wal_checkpoint_named(
        &self,
        db_name: Option<&CStr>,
        mode: CheckpointMode,
    ) -> Result<(c_int, c_int)> {
        let db = self.backend().local_handle("wal_checkpoint_v2")?;
        // SAFETY: a live local handle and an optional NUL-terminated name.
        unsafe { checkpoint_v2(db, db_name.map_or(ptr::null(), CStr::as_ptr), mode) }
    }
}

/// The write-ahead log a [`Connection::wal_hook`] callback is told about.
pub struct Wal {
    pub(crate) db: *mut ffi::sqlite3,
    pub(crate) db_name: *const c_char,
}

impl Wal {
    /// Checkpoints this database (`sqlite3_wal_checkpoint`).
    pub fn checkpoint(&self) -> Result<()> {
        // SAFETY: the handle and name are live for the callback that received `self`.
        let rc = unsafe { ffi::sqlite3_wal_checkpoint(self.db, self.db_name) };
        unsafe { check_raw(self.db, rc) }
    }

    /// Checkpoints with `mode`; returns the log size and the frames checkpointed, in frames.
    pub fn checkpoint_v2(&self, mode: CheckpointMode) -> Result<(c_int, c_int)> {
        // SAFETY: as above.
        unsafe { checkpoint_v2(self.db, self.db_name, mode) }
    }

    /// The name of the database that was written.
    pub fn name(&self) -> DatabaseName<'_> {
        // SAFETY: SQLite passes a NUL-terminated name valid for the callback.
        let name = unsafe { CStr::from_ptr(self.db_name) };
        if name == c"main" {
            DatabaseName::Main
        } else if name == c"temp" {
            DatabaseName::Temp
        } else {
            DatabaseName::C(name)
        }
    }
}

/// `Ok` for `SQLITE_OK`, else the error for `code`, with the handle's message when it matches.
unsafe fn check_raw(db: *mut ffi::sqlite3, code: c_int) -> Result<()> {
    if code == ffi::SQLITE_OK {
        return Ok(());
    }
    let p = if db.is_null() || ffi::sqlite3_errcode(db) != code {
        ffi::sqlite3_errstr(code)
    } else {
        ffi::sqlite3_errmsg(db)
    };
    let msg = (!p.is_null()).then(|| CStr::from_ptr(p).to_string_lossy().into_owned());
    Err(error_from_sqlite_code(code, msg))
}

/// A closure handed to the engine as a raw pointer, freed with its own type's destructor.
struct OwnedCallback {
    ptr: *mut c_void,
    free: unsafe extern "C" fn(*mut c_void),
}

impl OwnedCallback {
    fn new<F>(f: F) -> OwnedCallback {
        OwnedCallback {
            ptr: Box::into_raw(Box::new(f)).cast::<c_void>(),
            free: drop_boxed::<F>,
        }
    }
}

impl Drop for OwnedCallback {
    fn drop(&mut self) {
        // SAFETY: `ptr` came from `Box::into_raw` of the type `free` was instantiated with.
        unsafe { (self.free)(self.ptr) }
    }
}

/// The closures of one connection's hooks. Stored as the connection's client data, so the
/// engine frees it when the connection closes (after unregistering every hook).
struct HookSlots {
    db: *mut ffi::sqlite3,
    commit: Option<OwnedCallback>,
    rollback: Option<OwnedCallback>,
    update: Option<OwnedCallback>,
    progress: Option<OwnedCallback>,
    authorizer: Option<OwnedCallback>,
    busy: Option<OwnedCallback>,
    trace: Option<OwnedCallback>,
    wal: Option<OwnedCallback>,
    #[cfg(feature = "preupdate_hook")]
    preupdate: Option<OwnedCallback>,
}

const HOOKS_KEY: &CStr = c"dbcompat.hooks";

/// Unregisters every hook of the connection, then drops the closures.
unsafe extern "C" fn free_hook_slots(p: *mut c_void) {
    if p.is_null() {
        return;
    }
    let slots = Box::from_raw(p.cast::<HookSlots>());
    unregister_all(slots.db);
    drop(slots);
}

unsafe fn unregister_all(db: *mut ffi::sqlite3) {
    ffi::sqlite3_commit_hook(db, None, ptr::null_mut());
    ffi::sqlite3_rollback_hook(db, None, ptr::null_mut());
    ffi::sqlite3_update_hook(db, None, ptr::null_mut());
    ffi::sqlite3_progress_handler(db, 0, None, ptr::null_mut());
    ffi::sqlite3_set_authorizer(db, None, ptr::null_mut());
    ffi::sqlite3_busy_handler(db, None, ptr::null_mut());
    ffi::sqlite3_trace_v2(db, 0, None, ptr::null_mut());
    ffi::sqlite3_wal_hook(db, None, ptr::null_mut());
    #[cfg(feature = "preupdate_hook")]
    preupdate::unregister(db);
}

/// The connection's hook slots, created on first use when `create`; null if absent (or on
/// allocation failure).
unsafe fn hook_slots(db: *mut ffi::sqlite3, create: bool) -> *mut HookSlots {
    let p = ffi::sqlite3_get_clientdata(db, HOOKS_KEY.as_ptr()).cast::<HookSlots>();
    if !p.is_null() || !create {
        return p;
    }
    let fresh = Box::into_raw(Box::new(HookSlots {
        db,
        commit: None,
        rollback: None,
        update: None,
        progress: None,
        authorizer: None,
        busy: None,
        trace: None,
        wal: None,
        #[cfg(feature = "preupdate_hook")]
        preupdate: None,
    }));
    let rc = ffi::sqlite3_set_clientdata(
        db,
        HOOKS_KEY.as_ptr(),
        fresh.cast::<c_void>(),
        Some(free_hook_slots),
    );
    if rc != ffi::SQLITE_OK {
        drop(Box::from_raw(fresh));
        return ptr::null_mut();
    }
    fresh
}

/// Registers (`Some`) or clears (`None`) one hook. `register` is called with the trampoline
/// argument (null to clear); the slot then takes the new closure and drops the old one, after
/// the engine has stopped using it.
fn set_hook<F>(
    conn: &Connection,
    what: &str,
    hook: Option<F>,
    slot: fn(&mut HookSlots) -> &mut Option<OwnedCallback>,
    register: impl FnOnce(*mut ffi::sqlite3, *mut c_void),
) {
    let Ok(db) = conn.backend().local_handle(what) else {
        return; // remote: documented no-op
    };
    // SAFETY: `db` is open; the slots live until the connection closes.
    unsafe {
        let slots = hook_slots(db, hook.is_some());
        match hook {
            Some(f) if !slots.is_null() => {
                let owned = OwnedCallback::new(f);
                register(db, owned.ptr);
                *slot(&mut *slots) = Some(owned);
            }
            Some(_) => {} // out of memory: the hook is not installed
            None => {
                register(db, ptr::null_mut());
                if !slots.is_null() {
                    *slot(&mut *slots) = None;
                }
            }
        }
    }
}

unsafe extern "C" fn call_commit<F: FnMut() -> bool>(p: *mut c_void) -> c_int {
    let f = p.cast::<F>();
    c_int::from(catch_unwind(AssertUnwindSafe(|| (*f)())).unwrap_or(false))
}

unsafe extern "C" fn call_rollback<F: FnMut()>(p: *mut c_void) {
    let f = p.cast::<F>();
    let _ = catch_unwind(AssertUnwindSafe(|| (*f)()));
}

unsafe extern "C" fn call_update<F: FnMut(Action, &str, &str, i64)>(
    p: *mut c_void,
    action: c_int,
    db_name: *const c_char,
    table: *const c_char,
    row_id: ffi::sqlite3_int64,
) {
    let f = p.cast::<F>();
    // rusqlite skips the call when a name is missing or not UTF-8.
    let (Some(db_name), Some(table)) = (utf8(db_name), utf8(table)) else {
        return;
    };
    let action = Action::from(action);
    let _ = catch_unwind(AssertUnwindSafe(|| (*f)(action, db_name, table, row_id)));
}

unsafe extern "C" fn call_progress<F: FnMut() -> bool>(p: *mut c_void) -> c_int {
    let f = p.cast::<F>();
    c_int::from(catch_unwind(AssertUnwindSafe(|| (*f)())).unwrap_or(false))
}

/// `Some(str)` for a non-null UTF-8 C string.
unsafe fn utf8<'a>(p: *const c_char) -> Option<&'a str> {
    if p.is_null() {
        None
    } else {
        CStr::from_ptr(p).to_str().ok()
    }
}

/// Like [`utf8`] but distinguishes null (`Ok(None)`) from invalid UTF-8 (`Err`).
unsafe fn optional_utf8<'a>(p: *const c_char) -> std::result::Result<Option<&'a str>, ()> {
    if p.is_null() {
        Ok(None)
    } else {
        CStr::from_ptr(p).to_str().map(Some).map_err(|_| ())
    }
}

unsafe extern "C" fn call_authorizer<F>(
    p: *mut c_void,
    code: c_int,
    arg1: *const c_char,
    arg2: *const c_char,
    db_name: *const c_char,
    accessor: *const c_char,
) -> c_int
where
    F: for<'r> FnMut(AuthContext<'r>) -> Authorization,
{
    let f = p.cast::<F>();
    let decoded = (|| {
        Some(AuthContext {
            action: AuthAction::from_raw(
                code,
                optional_utf8(arg1).ok()?,
                optional_utf8(arg2).ok()?,
            ),
            database_name: optional_utf8(db_name).ok()?,
            accessor: optional_utf8(accessor).ok()?,
        })
    })();
    // Non-UTF-8 arguments fail the prepare, as rusqlite's (caught) panic does.
    let Some(auth) = decoded else {
        return ffi::SQLITE_ERROR;
    };
    catch_unwind(AssertUnwindSafe(|| (*f)(auth))).map_or(ffi::SQLITE_ERROR, Authorization::into_raw)
}

impl Connection {
    /// Installs (`Some`) or removes (`None`) a callback run whenever a transaction commits;
    /// returning `true` turns the commit into a rollback (the statement fails with
    /// `SQLITE_CONSTRAINT_COMMITHOOK`).
    ///
    /// Local connections only; a no-op on remote connections.
    pub fn commit_hook<F>(&self, hook: Option<F>)
    where
        F: FnMut() -> bool + Send + 'static,
    {
        set_hook(
            self,
            "commit_hook",
            hook,
            |s| &mut s.commit,
            |db, arg| unsafe {
                let cb = if arg.is_null() {
                    None
                } else {
                    Some(call_commit::<F> as _)
                };
                ffi::sqlite3_commit_hook(db, cb, arg);
            },
        );
    }

    /// Installs (`Some`) or removes (`None`) a callback run whenever a transaction rolls back
    /// (not when the connection closes).
    ///
    /// Local connections only; a no-op on remote connections.
    pub fn rollback_hook<F>(&self, hook: Option<F>)
    where
        F: FnMut() + Send + 'static,
    {
        set_hook(
            self,
            "rollback_hook",
            hook,
            |s| &mut s.rollback,
            |db, arg| unsafe {
                let cb = if arg.is_null() {
                    None
                } else {
                    Some(call_rollback::<F> as _)
                };
                ffi::sqlite3_rollback_hook(db, cb, arg);
            },
        );
    }

    /// Installs (`Some`) or removes (`None`) a callback run for each row inserted, updated or
    /// deleted in a rowid table, with the action, database name, table name and rowid.
    ///
    /// Local connections only; a no-op on remote connections.
    pub fn update_hook<F>(&self, hook: Option<F>)
    where
        F: FnMut(Action, &str, &str, i64) + Send + 'static,
    {
        set_hook(
            self,
            "update_hook",
            hook,
            |s| &mut s.update,
            |db, arg| unsafe {
                let cb = if arg.is_null() {
                    None
                } else {
                    Some(call_update::<F> as _)
                };
                ffi::sqlite3_update_hook(db, cb, arg);
            },
        );
    }

    /// Installs (`Some`) or removes (`None`) a callback run about every `num_ops` virtual
    /// machine instructions; returning `true` interrupts the running statement
    /// (`SQLITE_INTERRUPT`). `num_ops < 1` disables it.
    ///
    /// Local connections only; a no-op on remote connections.
    pub fn progress_handler<F>(&self, num_ops: c_int, handler: Option<F>)
    where
        F: FnMut() -> bool + Send + 'static,
    {
        set_hook(
            self,
            "progress_handler",
            handler,
            |s| &mut s.progress,
            |db, arg| unsafe {
                let cb = if arg.is_null() {
                    None
                } else {
                    Some(call_progress::<F> as _)
                };
                ffi::sqlite3_progress_handler(db, num_ops, cb, arg);
            },
        );
    }

    /// Installs (`Some`) or removes (`None`) an authorizer, asked about each action while a
    /// statement is prepared. `Deny` fails the prepare with "not authorized"; `Ignore` skips
    /// the action (a column read yields NULL).
    ///
    /// Local connections only; a no-op on remote connections.
    pub fn authorizer<'c, F>(&self, hook: Option<F>)
    where
        F: for<'r> FnMut(AuthContext<'r>) -> Authorization + Send + 'static,
    {
        set_hook(
            self,
            "authorizer",
            hook,
            |s| &mut s.authorizer,
            |db, arg| unsafe {
                let cb = if arg.is_null() {
                    None
                } else {
                    Some(call_authorizer::<F> as _)
                };
                ffi::sqlite3_set_authorizer(db, cb, arg);
            },
        );
    }

    /// Installs (`Some`) or removes (`None`) a callback run after each commit in WAL mode with
    /// the log size in pages; an `Err` is returned to the engine as its code. Replaces the
    /// automatic checkpointing that `wal_autocheckpoint` sets up.
    ///
    /// Local connections only; a no-op on remote connections.
    pub fn wal_hook(&self, hook: Option<fn(&Wal, c_int) -> Result<()>>) {
        self.wal_hook_closure(hook.map(|f| move |wal: &mut Wal, pages| f(wal, pages)));
    }

    /// [`Connection::wal_hook`] with a closure (the newer surfaces' form).
    pub(crate) fn wal_hook_closure<F>(&self, hook: Option<F>)
    where
        F: FnMut(&mut Wal, c_int) -> Result<()> + Send + 'static,
    {
        unsafe extern "C" fn call_wal<F: FnMut(&mut Wal, c_int) -> Result<()>>(
            p: *mut c_void,
            db: *mut ffi::sqlite3,
            db_name: *const c_char,
            pages: c_int,
        ) -> c_int {
            let f = p.cast::<F>();
            let mut wal = Wal { db, db_name };
            catch_unwind(AssertUnwindSafe(|| match (*f)(&mut wal, pages) {
                Ok(()) => ffi::SQLITE_OK,
                Err(e) => e
                    .sqlite_error()
                    .map_or(ffi::SQLITE_ERROR, |e| e.extended_code),
            }))
            // rusqlite reports a panicking WAL hook as success.
            .unwrap_or(ffi::SQLITE_OK)
        }
        set_hook(
            self,
            "wal_hook",
            hook,
            |s| &mut s.wal,
            |db, arg| unsafe {
                let cb = if arg.is_null() {
                    None
                } else {
                    Some(call_wal::<F> as _)
                };
                ffi::sqlite3_wal_hook(db, cb, arg);
            },
        );
    }

    /// [`Connection::busy_handler`] with a closure (the newer surfaces' form).
    pub(crate) fn busy_handler_closure<F>(&self, callback: Option<F>) -> Result<()>
    where
        F: FnMut(i32) -> bool + Send + 'static,
    {
        unsafe extern "C" fn call_busy<F: FnMut(i32) -> bool>(
            p: *mut c_void,
            count: c_int,
        ) -> c_int {
            let f = p.cast::<F>();
            c_int::from(catch_unwind(AssertUnwindSafe(|| (*f)(count))).unwrap_or(false))
        }
        self.backend().local_handle("busy_handler")?;
        set_hook(
            self,
            "busy_handler",
            callback,
            |s| &mut s.busy,
            |db, arg| unsafe {
                let cb = if arg.is_null() {
                    None
                } else {
                    Some(call_busy::<F> as _)
                };
                ffi::sqlite3_busy_handler(db, cb, arg);
            },
        );
        Ok(())
    }

    /// [`Connection::trace_v2`] with a closure (the newer surfaces' form).
    pub(crate) fn trace_v2_closure<F>(&self, mask: TraceEventCodes, trace_fn: Option<F>)
    where
        F: FnMut(TraceEvent<'_>) + Send + 'static,
    {
        set_hook(
            self,
            "trace_v2",
            trace_fn,
            |s| &mut s.trace,
            |db, arg| unsafe {
                if arg.is_null() {
                    ffi::sqlite3_trace_v2(db, 0, None, ptr::null_mut());
                } else {
                    ffi::sqlite3_trace_v2(db, mask.bits(), Some(call_trace_v2::<F> as _), arg);
                }
            },
        );
    }
}
