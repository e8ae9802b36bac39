//! An embedded replica: a local file kept in sync with a primary by libsql, and one server
//! session on that primary, as a remote connection has (`hrana/`).
//!
//! Plain queries outside a transaction read the local file, through dbcompat's own engine
//! path (a read-only connection, as a local database is read); libsql keeps the file in sync.
//! Everything else runs on the session: writes, transactions and the reads inside them,
//! PRAGMAs, TEMP objects and ATTACH, file maintenance (VACUUM). So connection-scoped state
//! (`foreign_keys=OFF`, `busy_timeout`, TEMP tables), `changes()`, `last_insert_rowid()`,
//! `total_changes()` and transactions are the server session's own, as on a remote
//! connection; libsql would send each write on a new session and run some statements on the
//! local file, which only the primary's frames may change. With read-your-writes the local
//! file is synced before the first local read after a write of this connection.

#![cfg_attr(not(feature = "replica"), allow(dead_code))]

use super::hrana::{HranaConnection, HranaStatement};
#[cfg(feature = "replica")]
use super::remote::ReplicaSettings;
use super::remote::{RemoteConnection, SyncMark};
use super::sql_text;
use super::{local_connection, LocalConnection, LocalStatement};
use crate::column::{ColumnOrigin, ColumnRef, TableColumn};
use crate::types::{Value, ValueRef};
use crate::Result;
use std::cell::{Cell, OnceCell, RefCell};
use std::ffi::{c_int, CStr};
use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

/// What a replica's statements share with their connection.
struct Link {
    /// The session on the primary.
    primary: HranaConnection,
    /// Pulls the primary's new frames into the local file.
    sync: Box<dyn Fn() -> Result<usize> + Send + Sync>,
    read_your_writes: bool,
    /// Whether a connection to this replica (in this process) wrote on the primary since the
    /// local file was last synced, and the gate of a sync in progress: shared by them all, as
    /// the file is.
    sync_mark: Arc<SyncMark>,
    /// The local file's reading connection, to see whether it holds a read snapshot.
    reader: ReaderHandle,
    /// The version of the session's settings the reading connection has (see
    /// `Link::mirror_settings`).
    mirrored: AtomicU64,
}

/// The handle of a replica's local reading connection. Its calls run on the thread that uses
/// the connection, as every call of the connection does (a `Connection` is not `Sync`); the
/// handle outlives the statements, which finalize before it closes (`sqlite3_close_v2`).
struct ReaderHandle(*mut crate::ffi::sqlite3);

// SAFETY: see the type's comment: its calls (`sqlite3_txn_state`, the schema check, the
// mirrored settings) come from the connection's own calls, one at a time, as SQLite's
// serialized (or multi-thread, one user at a time) mode allows from any thread.
unsafe impl Send for ReaderHandle {}
unsafe impl Sync for ReaderHandle {}

impl ReaderHandle {
    /// A statement of the reading connection is mid-run and holds a read transaction: the
    /// connection sees the file as it was when that run started, whatever a sync adds.
    fn holds_snapshot(&self) -> bool {
        // SAFETY: the handle is open (see the type's comment).
        unsafe { crate::ffi::sqlite3_txn_state(self.0, std::ptr::null()) != 0 }
    }

    /// Makes the reading connection notice schema changes a sync brought. SQLite prepares
    /// against the schema it last loaded and only checks it when a statement runs, so a table
    /// this connection dropped on the primary would still prepare (and fail at its first step,
    /// as with a second local connection). Running a statement that reads the schema cookie
    /// reloads it when it changed.
    fn notice_schema_changes(&self) {
        const CHECK: &std::ffi::CStr = c"SELECT 1 FROM sqlite_schema LIMIT 0";
        let mut stmt = std::ptr::null_mut();
        // SAFETY: the handle is open (see the type's comment); the statement is finalized here.
        unsafe {
            use crate::ffi;
            if ffi::sqlite3_prepare_v2(self.0, CHECK.as_ptr(), -1, &mut stmt, std::ptr::null_mut())
                == ffi::SQLITE_OK
            {
                ffi::sqlite3_step(stmt);
            }
            ffi::sqlite3_finalize(stmt);
        }
    }

    /// Runs `sql` (a PRAGMA assignment) on the reading connection; whether it succeeded.
    fn run(&self, sql: &str) -> bool {
        let Ok(sql) = std::ffi::CString::new(sql) else {
            return false;
        };
        // SAFETY: the handle is open (see the type's comment); no callback, no error message.
        unsafe {
            crate::ffi::sqlite3_exec(
                self.0,
                sql.as_ptr(),
                None,
                std::ptr::null_mut(),
                std::ptr::null_mut(),
            ) == crate::ffi::SQLITE_OK
        }
    }
}

impl Link {
    /// Whether a plain query may read the local file now: outside a transaction, with no
    /// TEMP object or ATTACHed database in the session (which the local file lacks). Syncs
    /// first when a connection to this replica wrote since the last sync, and waits for a sync
    /// another one is running (read-your-writes).
    fn local_reads(&self) -> Result<bool> {
        if !self.primary.is_autocommit() || self.primary.has_session_objects() {
            return Ok(false);
        }
        if self.read_your_writes {
            let _gate = self.lock_gate();
            if self.sync_mark.unsynced.load(Ordering::SeqCst) {
                if self.reader.holds_snapshot() {
                    // The pinned snapshot predates the writes: read them on the session.
                    return Ok(false);
                }
                self.sync_holding_gate()?;
            }
        }
        self.mirror_settings();
        Ok(true)
    }

    /// Gives the reading connection the connection-scoped settings made on the session, so a
    /// local read sees them as one local connection would (`case_sensitive_like` changes what
    /// LIKE matches, `reverse_unordered_selects` the order). Tried again at the next local read
    /// if one fails (SQLite refuses to redefine LIKE while a statement of the connection runs).
    fn mirror_settings(&self) {
        let seen = self.mirrored.load(Ordering::SeqCst);
        if let Some((version, settings)) = self.primary.settings_since(seen) {
            if settings.iter().all(|sql| self.reader.run(sql)) {
                self.mirrored.store(version, Ordering::SeqCst);
            }
        }
    }

    /// Pulls the primary's new frames into the local file and has the reading connection see
    /// their schema changes; returns how many frames. The unsynced mark is cleared first, so a
    /// write that lands during the sync keeps it, and put back if the sync fails.
    fn sync(&self) -> Result<usize> {
        let _gate = self.lock_gate();
        self.sync_holding_gate()
    }

    fn lock_gate(&self) -> std::sync::MutexGuard<'_, ()> {
        self.sync_mark
            .gate
            .lock()
            .unwrap_or_else(|p| p.into_inner())
    }

    fn sync_holding_gate(&self) -> Result<usize> {
        let was_unsynced = self.sync_mark.unsynced.swap(false, Ordering::SeqCst);
        match (self.sync)() {
            Ok(frames) => {
                self.reader.notice_schema_changes();
                Ok(frames)
            }
            Err(e) => {
                if was_unsynced {
                    self.sync_mark.unsynced.store(true, Ordering::SeqCst);
                }
                Err(e)
            }
        }
    }

    fn wrote(&self) {
        self.sync_mark.unsynced.store(true, Ordering::SeqCst);
    }
}

/// A connection to an embedded replica.
pub(crate) struct ReplicaConnection {
    /// libsql's replica: it syncs the local file.
    replica: RemoteConnection,
    /// Reads the local file.
    local: LocalConnection,
    link: Arc<Link>,
}

impl fmt::Debug for ReplicaConnection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.replica, f)
    }
}

impl ReplicaConnection {
    /// Opens the replica at `path` of the primary at `url`; see `RemoteConnection::open_replica`.
    /// Nothing is sent on the session before its first statement, so an existing replica
    /// still opens, and reads, while the primary is unreachable.
    #[cfg(feature = "replica")]
    pub(crate) fn open(
        path: &str,
        url: &str,
        token: &str,
        settings: ReplicaSettings,
    ) -> Result<ReplicaConnection> {
        let read_your_writes = settings.read_your_writes;
        let replica = RemoteConnection::open_replica(path, url, token, settings)?;
        let sync = replica.syncer();
        let sync_mark = replica.sync_mark();
        // Read-only: only libsql's sync may change the file.
        let c_path = std::ffi::CString::new(path).map_err(crate::Error::NulError)?;
        let local = LocalConnection::open(&c_path, crate::ffi::SQLITE_OPEN_READONLY, None)?;
        let reader = ReaderHandle(local.handle());
        Ok(ReplicaConnection {
            replica,
            local,
            link: Arc::new(Link {
                primary: HranaConnection::open(url, token)?,
                sync,
                read_your_writes,
                sync_mark,
                reader,
                mirrored: AtomicU64::new(0),
            }),
        })
    }

    pub(crate) fn prepare(&self, sql: &str) -> Result<(ReplicaStatement, usize)> {
        let query = reads_local_file(sql_text::split_first(sql).0);
        let (side, tail) = if query && self.link.local_reads()? {
            let (local, tail) = self.local.prepare(sql, 0)?;
            (Prepared::Local(local), tail)
        } else {
            let (primary, tail) = self.link.primary.prepare(sql)?;
            (Prepared::Primary(primary), tail)
        };
        Ok((ReplicaStatement::new(Arc::clone(&self.link), side), tail))
    }

    /// Plain queries read the local file; any other batch goes to the session as one request.
    pub(crate) fn execute_batch(&self, sql: &str) -> Result<()> {
        let (mut only_queries, mut writes) = (true, false);
        for (_, stmt) in sql_text::statements(sql) {
            only_queries &= reads_local_file(stmt);
            writes |= sql_text::may_modify(stmt);
        }
        if only_queries && self.link.local_reads()? {
            return self.local.execute_batch(sql);
        }
        let result = self.link.primary.execute_batch(sql);
        if writes {
            self.link.wrote();
        }
        result
    }

    pub(crate) fn changes(&self) -> u64 {
        self.link.primary.changes()
    }

    pub(crate) fn total_changes(&self) -> u64 {
        self.link.primary.total_changes()
    }

    pub(crate) fn last_insert_rowid(&self) -> i64 {
        self.link.primary.last_insert_rowid()
    }

    pub(crate) fn is_autocommit(&self) -> bool {
        self.link.primary.is_autocommit()
    }

    pub(crate) fn is_busy(&self) -> bool {
        self.link.primary.is_busy() || self.local.is_busy()
    }

    /// How long the session's statements wait on a locked primary database.
    pub(crate) fn busy_timeout(&self, ms: c_int) -> Result<()> {
        self.link.primary.busy_timeout(ms)
    }

    /// The replica's local file.
    pub(crate) fn path(&self) -> Option<&str> {
        self.replica.path()
    }

    pub(crate) fn is_readonly(&self, db_name: &CStr) -> Result<c_int> {
        self.link.primary.is_readonly(db_name)
    }

    pub(crate) fn db_name(&self, index: usize) -> Result<String> {
        self.link.primary.db_name(index)
    }

    /// The local engine keeps its interrupt until its next statement starts; it counts only
    /// while one of its statements is active.
    pub(crate) fn is_interrupted(&self) -> bool {
        self.link.primary.is_interrupted() || (self.local.is_busy() && self.local.is_interrupted())
    }

    /// What interrupts this connection: the local engine and the session alike.
    pub(crate) fn interrupt_cells(&self) -> (local_connection::InterruptCell, Arc<AtomicBool>) {
        (
            self.local.interrupt_cell(),
            self.link.primary.interrupt_flag(),
        )
    }

    pub(crate) fn release_memory(&self) -> Result<()> {
        Ok(())
    }

    pub(crate) fn cache_flush(&self) -> Result<()> {
        Ok(())
    }

    /// Answered by the session's copy of the primary's schema (it follows this connection's
    /// own DDL, also inside a transaction).
    pub(crate) fn table_column_metadata(&self, at: ColumnRef<'_>) -> Result<TableColumn> {
        self.link.primary.table_column_metadata(at)
    }

    pub(crate) fn txn_state(&self, db_name: Option<&CStr>) -> Result<c_int> {
        self.link.primary.txn_state(db_name)
    }

    pub(crate) fn close(&mut self) -> Result<()> {
        // Statements on the primary's session count as the local file's do.
        self.link.primary.check_closable()?;
        self.local.close()?;
        self.replica.close()
    }

    /// `sqlite3_open_v2`'s access flags, applied to the session that takes the writes (see
    /// `HranaConnection::apply_open_flags`); the local file is read-only already.
    #[cfg(feature = "test-redirect")]
    pub(crate) fn apply_open_flags(&self, flags: std::ffi::c_int) -> Result<()> {
        self.link.primary.apply_open_flags(flags)
    }

    /// Pulls the primary's new frames into the local file; returns how many.
    pub(crate) fn sync(&self) -> Result<usize> {
        self.link.sync()
    }
}

/// A plain query that the local file can answer: not one that reads the counters of the
/// connection (`SELECT last_insert_rowid()`), which are the session's.
fn reads_local_file(stmt: &str) -> bool {
    sql_text::is_plain_query(stmt) && !sql_text::reads_connection_counters(stmt)
}

/// Where a statement was prepared.
enum Prepared {
    Local(LocalStatement),
    Primary(HranaStatement),
}

/// A replica's statement. A plain query prepared for the local file runs on the session
/// instead when a run starts inside a transaction (it must see the transaction's writes):
/// it is then prepared there too, with its bindings.
pub(crate) struct ReplicaStatement {
    link: Arc<Link>,
    /// Prepared for the local file: only plain queries are.
    local: Option<LocalStatement>,
    primary: OnceCell<HranaStatement>,
    /// The bindings, to give a statement prepared on the session later.
    bindings: RefCell<Vec<Binding>>,
    /// The current (or last) run is on the session.
    on_primary: Cell<bool>,
    running: Cell<bool>,
}

#[derive(Clone)]
enum Binding {
    Unset,
    Value(Value),
    Zeroblob(i32),
}

/// Calls the same method on whichever statement the current run uses.
macro_rules! current {
    ($self:expr, $s:ident => $e:expr) => {
        match $self.current() {
            Current::Local($s) => $e,
            Current::Primary($s) => $e,
        }
    };
}

enum Current<'a> {
    Local(&'a LocalStatement),
    Primary(&'a HranaStatement),
}

impl ReplicaStatement {
    fn new(link: Arc<Link>, prepared: Prepared) -> ReplicaStatement {
        let (local, primary, on_primary) = match prepared {
            Prepared::Local(s) => (Some(s), OnceCell::new(), false),
            Prepared::Primary(s) => (None, OnceCell::from(s), true),
        };
        ReplicaStatement {
            link,
            local,
            primary,
            bindings: RefCell::new(Vec::new()),
            on_primary: Cell::new(on_primary),
            running: Cell::new(false),
        }
    }

    /// `on_primary` is set only once the statement exists on the session.
    fn current(&self) -> Current<'_> {
        match (&self.local, self.primary.get()) {
            (Some(local), _) if !self.on_primary.get() => Current::Local(local),
            (_, Some(primary)) => Current::Primary(primary),
            _ => unreachable!("a replica statement is prepared on at least one side"),
        }
    }

    /// The statement on the session, prepared there now if it was not, with its bindings.
    fn on_session(&self) -> Result<&HranaStatement> {
        if let Some(primary) = self.primary.get() {
            return Ok(primary);
        }
        let sql = self.sql().unwrap_or_default().to_owned();
        let (primary, _) = self.link.primary.prepare(&sql)?;
        for (i, binding) in self.bindings.borrow().iter().enumerate() {
            match binding {
                Binding::Unset => {}
                Binding::Value(v) => primary.bind_value(i + 1, ValueRef::from(v))?,
                Binding::Zeroblob(n) => primary.bind_zeroblob(i + 1, *n)?,
            }
        }
        Ok(self.primary.get_or_init(|| primary))
    }

    fn remember(&self, index: usize, binding: Binding) {
        let mut bindings = self.bindings.borrow_mut();
        if bindings.len() < index {
            bindings.resize(index, Binding::Unset);
        }
        if let Some(slot) = index.checked_sub(1).and_then(|i| bindings.get_mut(i)) {
            *slot = binding;
        }
    }

    pub(crate) fn is_null(&self) -> bool {
        current!(self, s => s.is_null())
    }

    pub(crate) fn step(&self) -> Result<bool> {
        if !self.running.get() {
            let local = self.local.is_some() && self.link.local_reads()?;
            if local {
                // As SQLite forgets an interrupt when a statement starts with none active.
                self.link.primary.forget_idle_interrupt();
            } else {
                self.on_session()?;
            }
            self.on_primary.set(!local);
            self.running.set(true);
        }
        let stepped = current!(self, s => s.step());
        if !matches!(stepped, Ok(true)) {
            self.finish_run();
        }
        stepped
    }

    /// A run ended (its last row, an error, or a reset): a write on the session leaves the
    /// local file to sync before the next local read.
    fn finish_run(&self) {
        if self.running.replace(false) && self.on_primary.get() && !self.readonly() {
            self.link.wrote();
        }
    }

    pub(crate) fn reset(&self) -> c_int {
        let code = current!(self, s => s.reset());
        self.finish_run();
        code
    }

    pub(crate) fn column_count(&self) -> usize {
        current!(self, s => s.column_count())
    }

    pub(crate) fn column_name(&self, col: usize) -> Option<&str> {
        current!(self, s => s.column_name(col))
    }

    pub(crate) fn column_origin(&self, col: usize) -> ColumnOrigin<'_> {
        current!(self, s => s.column_origin(col))
    }

    pub(crate) fn column_decltype(&self, col: usize) -> Option<&str> {
        current!(self, s => s.column_decltype(col))
    }

    pub(crate) fn value_ref(&self, col: usize) -> ValueRef<'_> {
        current!(self, s => s.value_ref(col))
    }

    pub(crate) fn parameter_count(&self) -> usize {
        current!(self, s => s.parameter_count())
    }

    pub(crate) fn parameter_index(&self, name: &str) -> Option<usize> {
        current!(self, s => s.parameter_index(name))
    }

    pub(crate) fn parameter_index_c(&self, name: &CStr) -> Option<usize> {
        current!(self, s => s.parameter_index_c(name))
    }

    pub(crate) fn parameter_name(&self, index: usize) -> Option<&str> {
        current!(self, s => s.parameter_name(index))
    }

    pub(crate) fn bind_value(&self, index: usize, value: ValueRef<'_>) -> Result<()> {
        if let Some(local) = &self.local {
            local.bind_value(index, value)?;
        }
        if let Some(primary) = self.primary.get() {
            primary.bind_value(index, value)?;
        }
        self.remember(index, Binding::Value(value.into()));
        Ok(())
    }

    pub(crate) fn bind_zeroblob(&self, index: usize, len: i32) -> Result<()> {
        if let Some(local) = &self.local {
            local.bind_zeroblob(index, len)?;
        }
        if let Some(primary) = self.primary.get() {
            primary.bind_zeroblob(index, len)?;
        }
        self.remember(index, Binding::Zeroblob(len));
        Ok(())
    }

    pub(crate) fn clear_bindings(&self) {
        if let Some(local) = &self.local {
            local.clear_bindings();
        }
        if let Some(primary) = self.primary.get() {
            primary.clear_bindings();
        }
        self.bindings.borrow_mut().clear();
    }

    pub(crate) fn sql(&self) -> Option<&str> {
        current!(self, s => s.sql())
    }

    pub(crate) fn expanded_sql(&self) -> Option<String> {
        current!(self, s => s.expanded_sql())
    }

    pub(crate) fn readonly(&self) -> bool {
        current!(self, s => s.readonly())
    }

    pub(crate) fn is_explain(&self) -> i32 {
        current!(self, s => s.is_explain())
    }

    pub(crate) fn status(&self, op: c_int, reset: bool) -> i32 {
        current!(self, s => s.status(op, reset))
    }

    pub(crate) fn finalize(&mut self) -> Result<()> {
        self.reset();
        if let Some(local) = self.local.as_mut() {
            local.finalize()?;
        }
        if let Some(primary) = self.primary.get_mut() {
            primary.finalize()?;
        }
        Ok(())
    }
}

impl Drop for ReplicaStatement {
    fn drop(&mut self) {
        // A write on the session dropped before its end (RETURNING rows left unread) still
        // leaves the local file to sync.
        self.finish_run();
    }
}
