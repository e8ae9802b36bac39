//! dbcompat: the rusqlite 0.34 API over libSQL.
//!
//! Code written for rusqlite 0.34 compiles unchanged with `use dbcompat as rusqlite;` (or a
//! Cargo rename) and behaves the same: same values, same `Error` variants, same edge cases.
//! The same code then runs on a local file, on a remote libSQL server (sqld, Turso), or on an
//! embedded replica.
//!
//! ## Backends
//!
//! * **Local** (always): the libSQL C engine, driven directly through `libsql::ffi`. Local
//!   connections have rusqlite's full behaviour and native speed, and need no async runtime.
//! * **Remote** (feature `remote`, on by default): `Connection::open("libsql://…")`,
//!   `http://` or `https://` URLs, or [`Connection::open_remote`]. A remote connection is one
//!   server session (Hrana stream) for its whole life, so PRAGMAs, TEMP tables and counters
//!   behave as on a local connection. See `docs/turso-backend.md` for what differs on a server.
//!
//! ## Blocking and async contexts
//!
//! Every method blocks the calling thread until it is done, like rusqlite. It never panics
//! because of the async context it is called from:
//!
//! | caller | local connection | remote connection |
//! |---|---|---|
//! | plain thread | runs inline | the calling thread drives the connection's own I/O runtime |
//! | inside `spawn_blocking` | runs inline | same as a plain thread |
//! | multi-thread tokio worker | runs inline | the worker steps out with `block_in_place` and drives it |
//! | current-thread runtime / `#[tokio::test]` | runs inline | runs on a scoped helper thread; the caller's runtime is paused meanwhile |
//!
//! Blocking a runtime worker stalls the other tasks on it, exactly as rusqlite would; use
//! `spawn_blocking` for long queries from async code.
#![warn(missing_docs)]

#[macro_use]
mod error;
pub mod auto_extension;
mod backend;
pub mod backup;
mod bind;
pub mod blob;
mod bridge;
mod busy;
mod cache;
mod clientdata;
mod collation;
mod column;
pub mod config;
pub mod ffi;
pub mod functions;
pub mod hooks;
#[macro_use]
pub mod limits;
mod load_extension_guard;
mod open;
#[macro_use]
mod params;
mod pragma;
#[macro_use]
mod row;
#[cfg(feature = "serialize")]
pub mod serialize;
#[cfg(feature = "session")]
pub mod session;
mod statement;
pub mod trace;
mod transaction;
pub mod types;
#[cfg(feature = "unlock_notify")]
mod unlock_notify;
mod version;
#[cfg(feature = "vtab")]
pub mod vtab;

#[macro_use]
mod surface;
pub mod v0_40;
pub mod v0_43;

pub use fallible_iterator;
pub use fallible_streaming_iterator;

pub use crate::bind::BindIndex;
pub use crate::cache::CachedStatement;
pub use crate::column::Column;
// rusqlite has `DbConfig` only at `config::DbConfig`; kept here too (hidden) for code written
// against earlier dbcompat releases.
#[doc(hidden)]
pub use crate::config::DbConfig;
pub use crate::error::{to_sqlite_error, Error};
pub use crate::ffi::ErrorCode;
pub use crate::load_extension_guard::LoadExtensionGuard;
#[cfg(feature = "replica")]
pub use crate::open::ReplicaOptions;
pub use crate::params::{params_from_iter, Params, ParamsFromIter};
pub use crate::row::{AndThenRows, Map, MappedRows, Row, RowIndex, Rows};
pub use crate::statement::{Statement, StatementStatus};
pub use crate::transaction::{
    DropBehavior, Savepoint, Transaction, TransactionBehavior, TransactionState,
};
pub use crate::types::ToSql;
pub use crate::version::*;

use crate::backend::Conn;
use crate::cache::StatementCache;
use std::cell::Cell;
use std::ffi::{c_int, c_uint, CStr, CString};
use std::fmt;
use std::path::Path;
use std::sync::Arc;

/// The default capacity of the prepared statement cache, as in rusqlite.
const STATEMENT_CACHE_DEFAULT_CAPACITY: usize = 16;

/// A typedef of the result returned by many methods.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Builds a `&[&dyn ToSql]` parameter list, exactly like rusqlite's `params!`.
#[macro_export]
macro_rules! params {
    () => {
        &[] as &[&dyn $crate::ToSql]
    };
    ($($param:expr),+ $(,)?) => {
        &[$(&$param as &dyn $crate::ToSql),+] as &[&dyn $crate::ToSql]
    };
}

/// Builds a `&[(&str, &dyn ToSql)]` named parameter list, exactly like rusqlite's
/// `named_params!`; names are literals with their prefix (`":a"`).
#[macro_export]
macro_rules! named_params {
    () => {
        &[] as &[(&str, &dyn $crate::ToSql)]
    };
    ($($param_name:literal: $param_val:expr),+ $(,)?) => {
        &[$(($param_name, &$param_val as &dyn $crate::ToSql)),+] as &[(&str, &dyn $crate::ToSql)]
    };
}

#[cfg(feature = "rusqlite-macros")]
#[doc(hidden)]
pub use rusqlite_macros::__bind;

/// Prepares `$sql` and binds the Rust variables its `$name` / `@name` / `:name` parameters
/// name (feature `rusqlite-macros`, rusqlite's own proc macro), returning the statement or
/// returning early with the error. The SQL must be a string literal.
#[cfg(feature = "rusqlite-macros")]
#[macro_export]
macro_rules! prepare_and_bind {
    ($conn:expr, $sql:literal) => {{
        let mut stmt = $conn.prepare($sql)?;
        $crate::__bind!(stmt $sql);
        stmt
    }};
}

/// Like [`prepare_and_bind!`], through the statement cache.
#[cfg(feature = "rusqlite-macros")]
#[macro_export]
macro_rules! prepare_cached_and_bind {
    ($conn:expr, $sql:literal) => {{
        let mut stmt = $conn.prepare_cached($sql)?;
        $crate::__bind!(stmt $sql);
        stmt
    }};
}

/// See the method [`OptionalExtension::optional`].
pub trait OptionalExtension<T> {
    /// Turns `Err(QueryReturnedNoRows)` into `Ok(None)`; other errors pass through.
    fn optional(self) -> Result<Option<T>>;
}

impl<T> OptionalExtension<T> for Result<T> {
    fn optional(self) -> Result<Option<T>> {
        match self {
            Ok(value) => Ok(Some(value)),
            Err(Error::QueryReturnedNoRows) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// Name for a database within a connection.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum DatabaseName<'a> {
    /// The main database.
    Main,
    /// The temporary database.
    Temp,
    /// A database that has been attached.
    Attached(&'a str),
    /// An optimized variant for a name already known as a C string.
    C(&'a CStr),
}

/// Shorthand for [`DatabaseName::Main`].
pub const MAIN_DB: DatabaseName<'static> = DatabaseName::Main;
/// Shorthand for [`DatabaseName::Temp`].
pub const TEMP_DB: DatabaseName<'static> = DatabaseName::Temp;

impl DatabaseName<'_> {
    fn as_cstring(&self) -> Result<std::borrow::Cow<'_, CStr>> {
        Ok(match *self {
            DatabaseName::Main => std::borrow::Cow::Borrowed(c"main"),
            DatabaseName::Temp => std::borrow::Cow::Borrowed(c"temp"),
            DatabaseName::Attached(s) => std::borrow::Cow::Owned(CString::new(s)?),
            DatabaseName::C(s) => std::borrow::Cow::Borrowed(s),
        })
    }
}

/// A connection to a database: a local libSQL file, a remote libSQL server, or an embedded
/// replica. `Send` but not `Sync`, like rusqlite's.
///
/// See the crate docs, "Blocking and async contexts", for how calls behave inside tokio.
///
/// Like rusqlite's, a `Connection` can move to another thread but not be shared between
/// threads without a lock:
///
/// ```compile_fail
/// fn shared<T: Sync>() {}
/// shared::<dbcompat::Connection>();
/// ```
pub struct Connection {
    // Declared before `conn` so cached statements are finalized before the connection closes.
    cache: StatementCache,
    conn: Conn,
    transaction_behavior: Cell<TransactionBehavior>,
    /// Names the newer surfaces' `column_metadata` lends out.
    names: column::NameArena,
    /// The engine's pragma names, for the 0.43 surface's `extra_check`.
    pragma_names: pragma::PragmaNames,
}

impl Connection {
    /// Opens a database: a local file path, `:memory:`, a `file:` URI, or — with the `remote`
    /// feature — a `libsql://`, `http://` or `https://` URL, whose auth token is read from
    /// `LIBSQL_AUTH_TOKEN` or `TURSO_AUTH_TOKEN`.
    ///
    /// # Failure
    /// Returns `Error::SqliteFailure` (`CannotOpen`) when the file cannot be opened or created,
    /// and `Error::NulError` for a path with an interior NUL.
    pub fn open<P: AsRef<Path>>(path: P) -> Result<Connection> {
        Connection::open_with_flags(path, OpenFlags::default())
    }

    /// Opens a new, private in-memory database.
    pub fn open_in_memory() -> Result<Connection> {
        Connection::open_in_memory_with_flags(OpenFlags::default())
    }

    /// Opens with explicit [`OpenFlags`]. Remote URLs ignore the flags other than `READ_ONLY`.
    pub fn open_with_flags<P: AsRef<Path>>(path: P, flags: OpenFlags) -> Result<Connection> {
        Ok(Connection::from_backend(open::open_path(
            path.as_ref(),
            flags,
            None,
        )?))
    }

    /// Opens with explicit flags and a named VFS (local only).
    pub fn open_with_flags_and_vfs<P: AsRef<Path>>(
        path: P,
        flags: OpenFlags,
        vfs: &str,
    ) -> Result<Connection> {
        let vfs = CString::new(vfs)?;
        Ok(Connection::from_backend(open::open_path(
            path.as_ref(),
            flags,
            Some(&vfs),
        )?))
    }

    /// Opens a new in-memory database with explicit flags.
    pub fn open_in_memory_with_flags(flags: OpenFlags) -> Result<Connection> {
        Connection::open_with_flags(":memory:", flags)
    }

    /// Opens a new in-memory database with explicit flags and a named VFS.
    pub fn open_in_memory_with_flags_and_vfs(flags: OpenFlags, vfs: &str) -> Result<Connection> {
        Connection::open_with_flags_and_vfs(":memory:", flags, vfs)
    }

    /// Wraps a raw engine handle that something else owns (rusqlite's `from_handle`): the
    /// connection never closes it, and its `InterruptHandle` does nothing. This is the
    /// connection a function callback ([`functions::Context::get_connection`]) and an
    /// auto-extension ([`auto_extension::init_auto_extension`]) see. Only local databases have
    /// a handle; a remote connection cannot be rebuilt from one.
    ///
    /// # Safety
    /// `db` must be an open handle of dbcompat's engine that outlives the returned connection.
    pub unsafe fn from_handle(db: *mut ffi::sqlite3) -> Result<Connection> {
        Ok(Connection::from_backend(Conn::from_local_handle(db, false)))
    }

    /// Wraps a raw engine handle the caller owns (rusqlite's `from_handle_owned`): the
    /// connection closes it when closed or dropped.
    ///
    /// # Safety
    /// `db` must be an open handle of dbcompat's engine that nothing else closes.
    pub unsafe fn from_handle_owned(db: *mut ffi::sqlite3) -> Result<Connection> {
        Ok(Connection::from_backend(Conn::from_local_handle(db, true)))
    }

    pub(crate) fn from_backend(conn: Conn) -> Connection {
        Connection {
            cache: StatementCache::with_capacity(STATEMENT_CACHE_DEFAULT_CAPACITY),
            conn,
            transaction_behavior: Cell::new(TransactionBehavior::Deferred),
            names: column::NameArena::default(),
            pragma_names: pragma::PragmaNames::default(),
        }
    }

    /// The backend, for the other modules of this crate.
    #[inline]
    pub(crate) fn backend(&self) -> &Conn {
        &self.conn
    }

    /// Runs zero or more semicolon-separated statements, ignoring any rows they return.
    /// Stops at the first error; the statements before it stay applied.
    ///
    /// On a remote connection the whole batch is one request.
    ///
    /// With the `extra_check` feature, as in rusqlite 0.34, a statement that returns a row
    /// (such as `PRAGMA locking_mode = EXCLUSIVE`) stops the batch with
    /// `Error::ExecuteReturnedResults`; a remote connection then sends one request per statement.
    pub fn execute_batch(&self, sql: &str) -> Result<()> {
        if cfg!(feature = "extra_check") {
            self.conn.execute_batch_rejecting_rows(sql)
        } else {
            self.conn.execute_batch(sql)
        }
    }

    /// `execute_batch` without `extra_check`'s row check: the newer surfaces' rule (rusqlite
    /// 0.35+ never reject rows there).
    pub(crate) fn execute_batch_ignoring_rows(&self, sql: &str) -> Result<()> {
        self.conn.execute_batch(sql)
    }

    /// Prepares and runs one statement, returning the number of rows changed
    /// (`sqlite3_changes64`). Only the first statement of `sql` runs, as in rusqlite.
    ///
    /// # Failure
    /// `Error::ExecuteReturnedResults` if the statement returns a row. With the `extra_check`
    /// feature, as in rusqlite 0.34: `Error::MultipleStatement` if anything follows the first
    /// statement (even a comment or whitespace after its `;`), and `ExecuteReturnedResults` for
    /// a read-only statement with result columns, before it runs.
    pub fn execute<P: Params>(&self, sql: &str, params: P) -> Result<usize> {
        self.prepare_without_tail(sql)
            .and_then(|mut stmt| stmt.execute(params))
    }

    /// `prepare`, plus rusqlite 0.34's `extra_check` rule for `execute` and `query_row`: any
    /// text after the first statement (SQLite's tail) is `MultipleStatement`.
    fn prepare_without_tail(&self, sql: &str) -> Result<Statement<'_>> {
        let (stmt, tail) = self.conn.prepare(sql, PrepFlags::default().bits())?;
        let stmt = Statement::new(self, stmt);
        if cfg!(feature = "extra_check") && tail > 0 && tail < sql.len() {
            return Err(Error::MultipleStatement);
        }
        Ok(stmt)
    }

    /// The path of the main database file: `Some("")` for in-memory databases; the URL
    /// (without the token) for remote connections.
    pub fn path(&self) -> Option<&str> {
        self.conn.path()
    }

    /// Frees as much memory as possible from this connection's caches.
    pub fn release_memory(&self) -> Result<()> {
        self.conn.release_memory()
    }

    /// The rowid of the most recent successful INSERT on this connection.
    pub fn last_insert_rowid(&self) -> i64 {
        self.conn.last_insert_rowid()
    }

    /// Runs a query expected to return at least one row and maps the first with `f`; further
    /// rows are ignored.
    ///
    /// # Failure
    /// `Error::QueryReturnedNoRows` if there is no row; with `extra_check`, `MultipleStatement`
    /// for text after the first statement (see [`Connection::execute`]).
    pub fn query_row<T, P, F>(&self, sql: &str, params: P, f: F) -> Result<T>
    where
        P: Params,
        F: FnOnce(&Row<'_>) -> Result<T>,
    {
        let mut stmt = self.prepare_without_tail(sql)?;
        let mut rows = stmt.query(params)?;
        rows.get_expected_row().and_then(f)
    }

    /// Like [`Connection::query_row`], with a closure whose error type is the caller's.
    pub fn query_row_and_then<T, E, P, F>(&self, sql: &str, params: P, f: F) -> Result<T, E>
    where
        P: Params,
        F: FnOnce(&Row<'_>) -> Result<T, E>,
        E: From<Error>,
    {
        let mut stmt = self.prepare_without_tail(sql)?;
        let mut rows = stmt.query(params)?;
        rows.get_expected_row().map_err(E::from).and_then(f)
    }

    /// Prepares one statement (the first of `sql`).
    pub fn prepare(&self, sql: &str) -> Result<Statement<'_>> {
        self.prepare_with_flags(sql, PrepFlags::default())
    }

    /// Prepares one statement with [`PrepFlags`] (ignored by remote connections).
    pub fn prepare_with_flags(&self, sql: &str, flags: PrepFlags) -> Result<Statement<'_>> {
        let (stmt, _tail) = self.conn.prepare(sql, flags.bits())?;
        Ok(Statement::new(self, stmt))
    }

    /// `prepare` as rusqlite 0.35+ does it, for the newer surfaces: a second statement after
    /// the first is `MultipleStatement` (a whitespace or comment tail is fine; a tail that
    /// fails to parse returns its own error). Empty SQL still gives an empty statement.
    pub(crate) fn prepare_first_only(&self, sql: &str, flags: PrepFlags) -> Result<Statement<'_>> {
        let (stmt, tail) = self.conn.prepare(sql, flags.bits())?;
        self.reject_second_statement(sql, tail)?;
        Ok(Statement::new(self, stmt))
    }

    /// `Err(MultipleStatement)` if `sql[tail..]` holds another statement.
    pub(crate) fn reject_second_statement(&self, sql: &str, tail: usize) -> Result<()> {
        if tail == 0 || tail >= sql.len() {
            return Ok(());
        }
        let (rest, _) = self.conn.prepare(&sql[tail..], 0)?;
        if rest.is_null() {
            Ok(())
        } else {
            Err(Error::MultipleStatement)
        }
    }

    /// Closes the connection, returning it with the error if closing fails.
    // rusqlite's signature; the large error is the connection handed back.
    #[allow(clippy::result_large_err)]
    pub fn close(mut self) -> Result<(), (Connection, Error)> {
        self.flush_prepared_statement_cache();
        match self.conn.close() {
            Ok(()) => Ok(()),
            Err(e) => Err((self, e)),
        }
    }

    /// The raw `sqlite3*` of a local connection; null for remote connections.
    ///
    /// # Safety
    /// The caller must not close the handle or use it after the connection is dropped.
    pub unsafe fn handle(&self) -> *mut ffi::sqlite3 {
        self.conn.raw_handle()
    }

    /// A handle that can interrupt this connection's running query from another thread.
    /// On a remote connection a statement the server is running cannot be stopped (Hrana has
    /// no request for it): the interrupt fails the next row of a read, or the next statement
    /// started while another is active. On an embedded replica it is a no-op.
    pub fn get_interrupt_handle(&self) -> InterruptHandle {
        InterruptHandle {
            cell: self.conn.interrupt_cell(),
        }
    }

    /// Rows changed by the most recent INSERT, UPDATE or DELETE.
    pub fn changes(&self) -> u64 {
        self.conn.changes()
    }

    /// Rows changed since the connection opened.
    pub fn total_changes(&self) -> u64 {
        self.conn.total_changes()
    }

    /// Whether the connection is outside an explicit transaction.
    pub fn is_autocommit(&self) -> bool {
        self.conn.is_autocommit()
    }

    /// Whether any statement of this connection is mid-execution.
    pub fn is_busy(&self) -> bool {
        self.conn.is_busy()
    }

    /// Flushes dirty pages of open write transactions to disk.
    pub fn cache_flush(&self) -> Result<()> {
        self.conn.cache_flush()
    }

    /// Whether the named database is read-only.
    pub fn is_readonly(&self, db_name: DatabaseName<'_>) -> Result<bool> {
        self.is_readonly_named(&db_name.as_cstring()?, &db_name)
    }

    /// `is_readonly` of the database `name`; an unknown name's error shows `shown` with
    /// `{:?}` (rusqlite 0.34 shows its `DatabaseName`, 0.40+ the `&CStr`).
    pub(crate) fn is_readonly_named(&self, name: &CStr, shown: &dyn fmt::Debug) -> Result<bool> {
        match self.conn.is_readonly(name)? {
            0 => Ok(false),
            1 => Ok(true),
            -1 => Err(error::error_from_sqlite_code(
                ffi::SQLITE_MISUSE,
                Some(format!("{shown:?} is not the name of a database")),
            )),
            _ => Err(error::error_from_sqlite_code(
                ffi::SQLITE_MISUSE,
                Some("Unexpected result".to_owned()),
            )),
        }
    }

    /// The schema name of the database at `index` (0 is `main`, 1 is `temp`).
    pub fn db_name(&self, index: usize) -> Result<String> {
        self.conn.db_name(index)
    }

    /// Whether an interrupt is pending on this connection.
    pub fn is_interrupted(&self) -> bool {
        self.conn.is_interrupted()
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        self.flush_prepared_statement_cache();
    }
}

impl fmt::Debug for Connection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Connection")
            .field("path", &self.path())
            .finish()
    }
}

/// Allows interrupting a long-running query from another thread. Send + Sync.
pub struct InterruptHandle {
    cell: Option<backend::InterruptCell>,
}

impl InterruptHandle {
    /// Interrupts the query running on the connection, if any; no-op once it is closed.
    pub fn interrupt(&self) {
        if let Some(cell) = &self.cell {
            backend::interrupt(cell);
        }
    }
}

/// Iterates over the statements of a multi-statement SQL string, preparing each in turn.
#[derive(Debug)]
pub struct Batch<'conn, 'sql> {
    conn: &'conn Connection,
    sql: &'sql str,
    tail: usize,
}

impl<'conn, 'sql> Batch<'conn, 'sql> {
    /// A batch over `sql`.
    pub fn new(conn: &'conn Connection, sql: &'sql str) -> Batch<'conn, 'sql> {
        Batch { conn, sql, tail: 0 }
    }
}

impl<'conn> fallible_iterator::FallibleIterator for Batch<'conn, '_> {
    type Error = Error;
    type Item = Statement<'conn>;

    /// The next non-empty statement. A parse error ends the batch with no recovery.
    fn next(&mut self) -> Result<Option<Statement<'conn>>> {
        while self.tail < self.sql.len() {
            let sql = &self.sql[self.tail..];
            let (stmt, tail) = self.conn.conn.prepare(sql, 0)?;
            if tail == 0 {
                self.tail = self.sql.len();
            } else {
                self.tail += tail;
            }
            if stmt.is_null() {
                continue;
            }
            return Ok(Some(Statement::new(self.conn, stmt)));
        }
        Ok(None)
    }
}

bitflags::bitflags! {
    /// Flags for opening connections, with SQLite's values.
    #[derive(Clone, Copy, Debug, Eq, Hash, PartialEq)]
    #[repr(C)]
    pub struct OpenFlags: c_int {
        /// Open read-only.
        const SQLITE_OPEN_READ_ONLY = ffi::SQLITE_OPEN_READONLY as c_int;
        /// Open for reading and writing if possible.
        const SQLITE_OPEN_READ_WRITE = ffi::SQLITE_OPEN_READWRITE as c_int;
        /// Create the database if it does not exist.
        const SQLITE_OPEN_CREATE = ffi::SQLITE_OPEN_CREATE as c_int;
        /// Interpret the file name as a URI.
        const SQLITE_OPEN_URI = ffi::SQLITE_OPEN_URI as c_int;
        /// Open an in-memory database.
        const SQLITE_OPEN_MEMORY = ffi::SQLITE_OPEN_MEMORY as c_int;
        /// Multi-thread threading mode.
        const SQLITE_OPEN_NO_MUTEX = ffi::SQLITE_OPEN_NOMUTEX as c_int;
        /// Serialized threading mode.
        const SQLITE_OPEN_FULL_MUTEX = ffi::SQLITE_OPEN_FULLMUTEX as c_int;
        /// Use a shared cache.
        const SQLITE_OPEN_SHARED_CACHE = 0x0002_0000;
        /// Use a private cache.
        const SQLITE_OPEN_PRIVATE_CACHE = 0x0004_0000;
        /// Refuse to open a symbolic link.
        const SQLITE_OPEN_NOFOLLOW = 0x0100_0000;
        /// Extended result codes.
        const SQLITE_OPEN_EXRESCODE = 0x0200_0000;
    }
}

impl Default for OpenFlags {
    /// `READ_WRITE | CREATE | NO_MUTEX | URI`, as in rusqlite.
    fn default() -> OpenFlags {
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI
    }
}

bitflags::bitflags! {
    /// Prepare flags, with SQLite's values. Remote connections ignore them.
    #[derive(Clone, Copy, Debug, Default, Eq, Hash, PartialEq)]
    #[repr(C)]
    pub struct PrepFlags: c_uint {
        /// A hint that the statement will be kept and reused.
        const SQLITE_PREPARE_PERSISTENT = 0x01;
        /// Refuse statements that use virtual tables.
        const SQLITE_PREPARE_NO_VTAB = 0x04;
        /// Do not log errors of this prepare.
        const SQLITE_PREPARE_DONT_LOG = 0x10;
    }
}

// `InterruptHandle` holds an `Arc<Mutex<_>>` over a handle type that is Send; keep the auto
// traits rusqlite promises visible here.
const _: fn() = || {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<InterruptHandle>();
    fn send<T: Send>() {}
    send::<Connection>();
    let _ = Arc::new(());
};
