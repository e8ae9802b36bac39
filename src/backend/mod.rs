//! The one seam between the public API and the backends. Each backend is chosen once, when a
//! connection opens; after that every operation is one `match` here. Public-API files never
//! branch on the backend and never name libsql.
//!
//! * `Local`: the libSQL C engine driven directly through `libsql::ffi` (native speed, full
//!   rusqlite behaviour).
//! * `Hrana` (feature `remote`): a libSQL server over Hrana/HTTP through dbcompat's own client
//!   (`hrana/`): one server stream per connection, each call one request through the bridge.
//! * `Remote` (feature `replica`): an embedded replica through libsql's client.

pub(crate) mod engine;
#[cfg(feature = "remote")]
mod hrana;
mod local_batch;
mod local_connection;
mod local_statement;
#[cfg(feature = "remote")]
pub(crate) mod remote;
#[cfg(feature = "remote")]
pub(crate) mod remote_errors;
#[cfg(feature = "remote")]
#[cfg(feature = "remote")]
mod replica;
#[cfg(feature = "remote")]
mod server_values;
#[cfg(feature = "remote")]
pub(crate) mod sql_text;

pub(crate) use engine::init_engine;
#[cfg(feature = "replica")]
pub(crate) use engine::Startup;
#[cfg(feature = "remote")]
pub(crate) use hrana::{HranaConnection, HranaStatement};
pub(crate) use local_connection::LocalConnection;
pub(crate) use local_statement::LocalStatement;
#[cfg(feature = "replica")]
pub(crate) use remote::ReplicaSettings;
#[cfg(feature = "remote")]
pub(crate) use remote::{is_remote_url, token_from_env};
#[cfg(feature = "remote")]
pub(crate) use replica::{ReplicaConnection, ReplicaStatement};

/// What an `InterruptHandle` holds: a local connection's engine handle (or null once closed),
/// or a remote connection's interrupt flag.
pub(crate) enum InterruptCell {
    Local(local_connection::InterruptCell),
    #[cfg(feature = "remote")]
    Remote(std::sync::Arc<std::sync::atomic::AtomicBool>),
    /// An embedded replica's: its local reads and its session on the primary.
    #[cfg(feature = "remote")]
    Replica(
        local_connection::InterruptCell,
        std::sync::Arc<std::sync::atomic::AtomicBool>,
    ),
}

/// Interrupts what `cell`'s connection is running: `sqlite3_interrupt` locally; remotely, the
/// connection's next row or statement fails (see `hrana::Stream::start_statement`).
pub(crate) fn interrupt(cell: &InterruptCell) {
    match cell {
        InterruptCell::Local(cell) => local_connection::interrupt(cell),
        #[cfg(feature = "remote")]
        InterruptCell::Remote(flag) => flag.store(true, std::sync::atomic::Ordering::SeqCst),
        #[cfg(feature = "remote")]
        InterruptCell::Replica(local, flag) => {
            local_connection::interrupt(local);
            flag.store(true, std::sync::atomic::Ordering::SeqCst);
        }
    }
}

use crate::column::{ColumnOrigin, ColumnRef, TableColumn};
use crate::error::{error_from_sqlite_code, Error};
use crate::types::ValueRef;
use crate::{ffi, Result};
use std::ffi::{c_int, c_uint, CStr};

/// A backend connection.
pub(crate) enum Conn {
    Local(LocalConnection),
    /// An embedded replica, through libsql (only the `replica` feature opens one).
    #[cfg(feature = "remote")]
    #[cfg_attr(not(feature = "replica"), allow(dead_code))]
    Remote(Box<ReplicaConnection>),
    /// A remote server, through dbcompat's own Hrana client: one server session.
    #[cfg(feature = "remote")]
    Hrana(Box<HranaConnection>),
}

/// A backend prepared statement.
pub(crate) enum Stmt {
    Local(LocalStatement),
    // Boxed so the local hot path doesn't pay for the remote statement's size.
    #[cfg(feature = "remote")]
    Remote(Box<ReplicaStatement>),
    #[cfg(feature = "remote")]
    Hrana(Box<HranaStatement>),
}

/// The error for a feature only the local engine has.
#[cold]
#[cfg_attr(not(feature = "remote"), allow(dead_code))]
pub(crate) fn local_only(what: &str) -> Error {
    error_from_sqlite_code(
        ffi::SQLITE_MISUSE,
        Some(format!(
            "{what} needs a local database: it is not available on remote or replica connections"
        )),
    )
}

macro_rules! dispatch {
    ($self:expr, $b:ident => $e:expr) => {
        match $self {
            Self::Local($b) => $e,
            #[cfg(feature = "remote")]
            Self::Remote($b) => $e,
            #[cfg(feature = "remote")]
            Self::Hrana($b) => $e,
        }
    };
}

impl Conn {
    pub(crate) fn prepare(&self, sql: &str, flags: c_uint) -> Result<(Stmt, usize)> {
        match self {
            Conn::Local(c) => c.prepare(sql, flags).map(|(s, t)| (Stmt::Local(s), t)),
            #[cfg(feature = "remote")]
            Conn::Remote(c) => c.prepare(sql).map(|(s, t)| (Stmt::Remote(Box::new(s)), t)),
            #[cfg(feature = "remote")]
            Conn::Hrana(c) => c.prepare(sql).map(|(s, t)| (Stmt::Hrana(Box::new(s)), t)),
        }
    }

    /// Runs every statement of `sql` once, ignoring rows; stops at the first error.
    pub(crate) fn execute_batch(&self, sql: &str) -> Result<()> {
        dispatch!(self, c => c.execute_batch(sql))
    }

    /// `execute_batch` as rusqlite 0.34 runs it with `extra_check`: a statement that returns a
    /// row stops the batch with `ExecuteReturnedResults` (it and the statements before it ran).
    /// The local engine runs it as its `execute_batch` does (`local_batch.rs`).
    pub(crate) fn execute_batch_rejecting_rows(&self, sql: &str) -> Result<()> {
        match self {
            Conn::Local(c) => c.execute_batch_rejecting_rows(sql),
            #[cfg(feature = "remote")]
            _ => self.rejecting_rows_statement_by_statement(sql),
        }
    }

    /// Statement by statement, so a remote connection makes a request per statement instead of
    /// one for the batch.
    #[cfg(feature = "remote")]
    fn rejecting_rows_statement_by_statement(&self, sql: &str) -> Result<()> {
        let mut rest = sql;
        while !rest.is_empty() {
            let (stmt, tail) = self.prepare(rest, 0)?;
            if !stmt.is_null() && stmt.step()? {
                return Err(Error::ExecuteReturnedResults);
            }
            if tail == 0 || tail >= rest.len() {
                break;
            }
            rest = &rest[tail..];
        }
        Ok(())
    }

    pub(crate) fn changes(&self) -> u64 {
        dispatch!(self, c => c.changes())
    }

    pub(crate) fn total_changes(&self) -> u64 {
        dispatch!(self, c => c.total_changes())
    }

    pub(crate) fn last_insert_rowid(&self) -> i64 {
        dispatch!(self, c => c.last_insert_rowid())
    }

    pub(crate) fn is_autocommit(&self) -> bool {
        dispatch!(self, c => c.is_autocommit())
    }

    pub(crate) fn is_busy(&self) -> bool {
        dispatch!(self, c => c.is_busy())
    }

    pub(crate) fn busy_timeout(&self, ms: c_int) -> Result<()> {
        dispatch!(self, c => c.busy_timeout(ms))
    }

    pub(crate) fn path(&self) -> Option<&str> {
        dispatch!(self, c => c.path())
    }

    pub(crate) fn is_readonly(&self, db_name: &CStr) -> Result<c_int> {
        dispatch!(self, c => c.is_readonly(db_name))
    }

    pub(crate) fn db_name(&self, index: usize) -> Result<String> {
        dispatch!(self, c => c.db_name(index))
    }

    pub(crate) fn is_interrupted(&self) -> bool {
        dispatch!(self, c => c.is_interrupted())
    }

    pub(crate) fn release_memory(&self) -> Result<()> {
        dispatch!(self, c => c.release_memory())
    }

    pub(crate) fn cache_flush(&self) -> Result<()> {
        dispatch!(self, c => c.cache_flush())
    }

    pub(crate) fn txn_state(&self, db_name: Option<&CStr>) -> Result<c_int> {
        dispatch!(self, c => c.txn_state(db_name))
    }

    /// `sqlite3_table_column_metadata`: on the local engine; remotely on the shadow of the
    /// server schema (see `hrana/shadow.rs`); on a replica, on a copy of its local schema.
    pub(crate) fn table_column_metadata(&self, at: ColumnRef<'_>) -> Result<TableColumn> {
        dispatch!(self, c => c.table_column_metadata(at))
    }

    /// `sqlite3_file_control` on a local database. Remote and replica connections have no
    /// database file the application can reach: every op is `SQLITE_NOTFOUND` there, what
    /// SQLite answers for an op the file does not implement.
    ///
    /// # Safety
    /// `arg` must be what `op` expects.
    pub(crate) unsafe fn file_control(
        &self,
        db: Option<&CStr>,
        op: c_int,
        arg: *mut std::ffi::c_void,
    ) -> Result<()> {
        match self {
            Conn::Local(c) => c.file_control(db, op, arg),
            #[cfg(feature = "remote")]
            Conn::Remote(_) | Conn::Hrana(_) => Err(error_from_sqlite_code(
                ffi::SQLITE_NOTFOUND,
                Some(
                    "file_control needs a local database file: remote and replica connections \
                     have none"
                        .to_owned(),
                ),
            )),
        }
    }

    /// The cell an `InterruptHandle` uses; an embedded replica has none (interrupt is a no-op).
    pub(crate) fn interrupt_cell(&self) -> Option<InterruptCell> {
        match self {
            Conn::Local(c) => Some(InterruptCell::Local(c.interrupt_cell())),
            #[cfg(feature = "remote")]
            Conn::Hrana(c) => Some(InterruptCell::Remote(c.interrupt_flag())),
            #[cfg(feature = "remote")]
            Conn::Remote(c) => {
                let (local, flag) = c.interrupt_cells();
                Some(InterruptCell::Replica(local, flag))
            }
        }
    }

    pub(crate) fn close(&mut self) -> Result<()> {
        dispatch!(self, c => c.close())
    }

    /// The local engine handle, or a clear error naming `what` on other backends.
    #[cfg_attr(not(feature = "remote"), allow(unused_variables))]
    pub(crate) fn local_handle(&self, what: &str) -> Result<*mut ffi::sqlite3> {
        match self {
            Conn::Local(c) => Ok(c.handle()),
            #[cfg(feature = "remote")]
            Conn::Remote(_) | Conn::Hrana(_) => Err(local_only(what)),
        }
    }

    /// Pulls new frames into an embedded replica; an error on other connections.
    pub(crate) fn sync(&self) -> Result<usize> {
        match self {
            #[cfg(feature = "remote")]
            Conn::Remote(c) => c.sync(),
            #[cfg(feature = "remote")]
            Conn::Hrana(c) => c.sync(),
            Conn::Local(_) => Err(error_from_sqlite_code(
                ffi::SQLITE_MISUSE,
                Some("a local database is not an embedded replica: nothing to sync".to_owned()),
            )),
        }
    }

    /// A local connection over an engine handle opened elsewhere; see
    /// [`LocalConnection::from_handle`].
    ///
    /// # Safety
    /// `db` must be an open handle that outlives the connection unless `owned`.
    pub(crate) unsafe fn from_local_handle(db: *mut ffi::sqlite3, owned: bool) -> Conn {
        Conn::Local(LocalConnection::from_handle(db, owned))
    }

    /// The raw handle for `Connection::handle`; null for non-local backends.
    pub(crate) fn raw_handle(&self) -> *mut ffi::sqlite3 {
        match self {
            Conn::Local(c) => c.handle(),
            #[cfg(feature = "remote")]
            Conn::Remote(_) | Conn::Hrana(_) => std::ptr::null_mut(),
        }
    }

    /// The local connection's error for `code` (used by local-only features).
    #[cold]
    pub(crate) fn error(&self, code: c_int) -> Error {
        match self {
            Conn::Local(c) => c.error(code),
            #[cfg(feature = "remote")]
            Conn::Remote(_) | Conn::Hrana(_) => error_from_sqlite_code(code, None),
        }
    }
}

impl Stmt {
    #[inline]
    pub(crate) fn is_null(&self) -> bool {
        dispatch!(self, s => s.is_null())
    }

    #[inline]
    pub(crate) fn step(&self) -> Result<bool> {
        dispatch!(self, s => s.step())
    }

    /// Resets the statement; returns the engine's result code of the last step.
    #[inline]
    pub(crate) fn reset(&self) -> c_int {
        dispatch!(self, s => s.reset())
    }

    #[inline]
    pub(crate) fn column_count(&self) -> usize {
        dispatch!(self, s => s.column_count())
    }

    pub(crate) fn column_name(&self, col: usize) -> Option<&str> {
        dispatch!(self, s => s.column_name(col))
    }

    pub(crate) fn column_decltype(&self, col: usize) -> Option<&str> {
        dispatch!(self, s => s.column_decltype(col))
    }

    /// Where column `col` (in range) comes from.
    pub(crate) fn column_origin(&self, col: usize) -> ColumnOrigin<'_> {
        dispatch!(self, s => s.column_origin(col))
    }

    #[inline]
    pub(crate) fn value_ref(&self, col: usize) -> ValueRef<'_> {
        dispatch!(self, s => s.value_ref(col))
    }

    #[inline]
    pub(crate) fn parameter_count(&self) -> usize {
        dispatch!(self, s => s.parameter_count())
    }

    pub(crate) fn parameter_index(&self, name: &str) -> Option<usize> {
        dispatch!(self, s => s.parameter_index(name))
    }

    pub(crate) fn parameter_index_c(&self, name: &CStr) -> Option<usize> {
        dispatch!(self, s => s.parameter_index_c(name))
    }

    pub(crate) fn parameter_name(&self, index: usize) -> Option<&str> {
        dispatch!(self, s => s.parameter_name(index))
    }

    #[inline]
    pub(crate) fn bind_value(&self, index: usize, value: ValueRef<'_>) -> Result<()> {
        dispatch!(self, s => s.bind_value(index, value))
    }

    pub(crate) fn bind_zeroblob(&self, index: usize, len: i32) -> Result<()> {
        dispatch!(self, s => s.bind_zeroblob(index, len))
    }

    /// Binds a `rarray()` list: a pointer into the local engine, so local statements only.
    #[cfg(feature = "array")]
    pub(crate) fn bind_array(&self, index: usize, array: &crate::vtab::array::Array) -> Result<()> {
        use crate::vtab::array::{free_array, into_engine, ARRAY_TYPE};
        match self {
            Self::Local(s) => {
                s.bind_pointer(index, into_engine(array), ARRAY_TYPE, Some(free_array))
            }
            #[cfg(feature = "remote")]
            _ => Err(local_only("binding a vtab::array::Array")),
        }
    }

    /// Binds a `ToSqlOutput::Pointer` (the newer surfaces, feature `pointer`). A server cannot
    /// hold a client pointer: there the destructor runs at once, as SQLite runs it when a bind
    /// fails, and the call is the local-only error.
    #[cfg(feature = "pointer")]
    pub(crate) fn bind_raw_pointer(
        &self,
        index: usize,
        (p, type_name, free): crate::types::PointerParts,
    ) -> Result<()> {
        match self {
            Self::Local(s) => s.bind_pointer(index, p.cast_mut(), type_name.as_ptr(), free),
            #[cfg(feature = "remote")]
            _ => {
                if let Some(free) = free {
                    // SAFETY: the pointer was handed over for SQLite to release; nothing else
                    // will.
                    unsafe { free(p.cast_mut()) };
                }
                Err(local_only("binding a pointer (ToSqlOutput::Pointer)"))
            }
        }
    }

    /// The engine's value of a result column, for reading a pointer from it; null on a remote
    /// row, which never holds one (a pointer reaches a server as NULL).
    #[cfg(feature = "pointer")]
    pub(crate) fn column_value(&self, index: usize) -> *mut ffi::sqlite3_value {
        match self {
            Self::Local(s) => s.column_value(index),
            #[cfg(feature = "remote")]
            _ => std::ptr::null_mut(),
        }
    }

    pub(crate) fn clear_bindings(&self) {
        dispatch!(self, s => s.clear_bindings())
    }

    pub(crate) fn sql(&self) -> Option<&str> {
        dispatch!(self, s => s.sql())
    }

    pub(crate) fn expanded_sql(&self) -> Option<String> {
        dispatch!(self, s => s.expanded_sql())
    }

    pub(crate) fn readonly(&self) -> bool {
        dispatch!(self, s => s.readonly())
    }

    pub(crate) fn is_explain(&self) -> i32 {
        dispatch!(self, s => s.is_explain())
    }

    pub(crate) fn status(&self, op: c_int, reset: bool) -> i32 {
        dispatch!(self, s => s.status(op, reset))
    }

    pub(crate) fn finalize(&mut self) -> Result<()> {
        dispatch!(self, s => s.finalize())
    }
}
