//! Per-connection state an embedded replica connection keeps itself, because libsql's client either
//! doesn't have it or shares it between connections: rusqlite's change counters, the
//! transaction state, and the bookkeeping that makes `SAVEPOINT` outside a transaction work.
//!
//! Why the savepoint bookkeeping: libsql closes the server stream after every statement run
//! outside a transaction, and it doesn't count `SAVEPOINT` as starting one, so a savepoint
//! opened in autocommit mode would be rolled back by that close. dbcompat opens it as
//! `BEGIN DEFERRED; SAVEPOINT name` and commits when that outermost savepoint is released,
//! which is exactly what SQLite does implicitly.

use super::remote_errors::from_libsql;
use super::replica_pragmas::FreshSessionValues;
use super::sql_text::{self, ChangeKind, TxControl};
use crate::bridge;
use crate::{Error, Result};
use libsql::params::Params as LibsqlParams;
use std::ffi::c_int;
use std::sync::atomic::{AtomicI64, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

#[derive(Default)]
pub(crate) struct Session {
    changes: AtomicU64,
    total_changes: AtomicU64,
    last_insert_rowid: AtomicI64,
    open_cursors: AtomicUsize,
    tx: Mutex<TxTracking>,
    /// Where this connection's calls run when made from inside a tokio runtime.
    caller: bridge::Caller,
    /// For refusing PRAGMA assignments that would not hold on the primary.
    fresh_pragmas: Arc<FreshSessionValues>,
}

#[derive(Default)]
struct TxTracking {
    /// The outermost savepoint dbcompat wrapped in a BEGIN, if any.
    implicit_savepoint: Option<String>,
    /// Open savepoint names, innermost last (only tracked under an implicit savepoint).
    savepoints: Vec<String>,
    /// `sqlite3_txn_state`-like: 0 none, 1 read, 2 write.
    state: c_int,
    /// A COMMIT failed and the server dropped the transaction with the stream; the next
    /// ROLLBACK has nothing left to do and succeeds, as it would locally.
    rolled_back_by_server: bool,
}

impl Session {
    /// A new connection's session, sharing what is known of the primary's PRAGMA defaults.
    pub(crate) fn sharing(fresh_pragmas: Arc<FreshSessionValues>) -> Session {
        Session {
            fresh_pragmas,
            ..Session::default()
        }
    }

    /// Runs one of this connection's network futures (see [`bridge::block_on_from`]).
    pub(crate) fn block_on<F>(&self, fut: F) -> Result<F::Output>
    where
        F: std::future::Future + Send,
        F::Output: Send,
    {
        bridge::block_on_from(&self.caller, fut)
    }

    /// After the server dropped the stream (an idle transaction timed out), libsql keeps
    /// sending the dead stream's baton and every later call fails the same way. Forget it, so
    /// the error is reported once and the connection keeps working (outside the lost
    /// transaction).
    pub(crate) fn recover(&self, conn: &libsql::Connection, err: Error) -> Error {
        if err
            .sqlite_error()
            .is_some_and(|e| e.extended_code == crate::ffi::SQLITE_ABORT_ROLLBACK)
        {
            let _ = self.block_on(conn.reset());
        }
        err
    }

    pub(crate) fn changes(&self) -> u64 {
        self.changes.load(Ordering::Relaxed)
    }

    pub(crate) fn total_changes(&self) -> u64 {
        self.total_changes.load(Ordering::Relaxed)
    }

    pub(crate) fn last_insert_rowid(&self) -> i64 {
        self.last_insert_rowid.load(Ordering::Relaxed)
    }

    pub(crate) fn cursor_opened(&self) {
        self.open_cursors.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn cursor_closed(&self) {
        self.open_cursors.fetch_sub(1, Ordering::Relaxed);
    }

    pub(crate) fn is_busy(&self) -> bool {
        self.open_cursors.load(Ordering::Relaxed) > 0
    }

    pub(crate) fn txn_state(&self, autocommit: bool) -> c_int {
        if autocommit {
            0
        } else {
            self.tx.lock().unwrap_or_else(|p| p.into_inner()).state
        }
    }

    /// Updates the counters the way the local engine would after a statement of `kind`: the
    /// server's own counters belong to a server connection that may be new for each statement.
    pub(crate) fn record(&self, kind: ChangeKind, conn: &libsql::Connection) {
        match kind {
            ChangeKind::Insert | ChangeKind::Modify => {
                let changes = conn.changes();
                self.changes.store(changes, Ordering::Relaxed);
                self.total_changes.fetch_add(changes, Ordering::Relaxed);
                if kind == ChangeKind::Insert && changes > 0 {
                    self.last_insert_rowid
                        .store(conn.last_insert_rowid(), Ordering::Relaxed);
                }
            }
            ChangeKind::Drop => self.changes.store(0, Ordering::Relaxed),
            ChangeKind::Keep => {}
        }
    }

    /// Notes a row-returning statement that ran, for `transaction_state`.
    pub(crate) fn note_statement(&self, sql: &str, autocommit: bool) {
        self.track(&TxControl::None, sql, autocommit);
    }

    /// Updates the transaction state after a successful statement: cleared in autocommit,
    /// set by BEGIN, raised to read or write by the statements run inside.
    fn track(&self, control: &TxControl, sql: &str, autocommit: bool) {
        let mut tx = self.lock();
        if autocommit {
            *tx = TxTracking::default();
        } else if let TxControl::Begin(write_lock) = control {
            tx.state = if *write_lock { 2 } else { 0 };
        } else if *control == TxControl::None {
            let touched = if sql_text::may_modify(sql) { 2 } else { 1 };
            tx.state = tx.state.max(touched);
        }
    }

    /// Refuses a connection-scoped PRAGMA assignment that would not hold for this
    /// connection's later writes (see `replica_pragmas`).
    pub(crate) fn check_pragma(
        &self,
        conn: &libsql::Connection,
        url: &str,
        sql: &str,
    ) -> Result<()> {
        self.fresh_pragmas
            .check_statement(self, conn, url, sql, !conn.is_autocommit())
    }

    /// [`Session::check_pragma`] for a batch sent as one request.
    pub(crate) fn check_pragmas_in_batch<'a>(
        &self,
        conn: &libsql::Connection,
        url: &str,
        statements: impl Iterator<Item = &'a str>,
    ) -> Result<()> {
        self.fresh_pragmas
            .check_batch(self, conn, url, statements, !conn.is_autocommit())
    }

    /// Runs one statement that returns no rows, with the transaction bookkeeping above.
    pub(crate) fn execute(
        &self,
        conn: &libsql::Connection,
        url: &str,
        sql: &str,
        params: LibsqlParams,
    ) -> Result<()> {
        self.check_pragma(conn, url, sql)?;
        let control = sql_text::tx_control(sql);
        let map = |e: libsql::Error| self.recover(conn, from_libsql(e, url, Some(sql)));
        let outcome = match &control {
            TxControl::Savepoint(name) if conn.is_autocommit() => {
                let wrapped = format!("BEGIN DEFERRED; {sql}");
                let r = self.block_on(conn.execute_batch(&wrapped))?.map(|_| ());
                if r.is_ok() {
                    let mut tx = self.lock();
                    tx.implicit_savepoint = Some(name.clone());
                    tx.savepoints.clear(); // `after_success` pushes it
                }
                r.map_err(map)
            }
            _ => self
                .block_on(conn.execute(sql, params))?
                .map(|_| ())
                .map_err(map),
        };
        match outcome {
            Ok(()) => {
                self.record(sql_text::change_kind(sql), conn);
                self.after_success(&control, conn, url)?;
            }
            Err(e) => return self.after_failure(&control, e),
        }
        self.track(&control, sql, conn.is_autocommit());
        Ok(())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, TxTracking> {
        self.tx.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn after_success(
        &self,
        control: &TxControl,
        conn: &libsql::Connection,
        url: &str,
    ) -> Result<()> {
        if let TxControl::Savepoint(name) = control {
            let mut tx = self.lock();
            if tx.implicit_savepoint.is_some() {
                tx.savepoints.push(name.clone());
            }
            return Ok(());
        }
        let TxControl::Release(name) = control else {
            return Ok(());
        };
        // RELEASE pops the innermost savepoint of that name and everything inside it; only
        // when that empties the stack was it the outermost one.
        let outermost = {
            let mut tx = self.lock();
            if tx.implicit_savepoint.is_none() {
                false
            } else {
                if let Some(at) = tx
                    .savepoints
                    .iter()
                    .rposition(|s| s.eq_ignore_ascii_case(name))
                {
                    tx.savepoints.truncate(at);
                }
                tx.savepoints.is_empty()
            }
        };
        if outermost && !conn.is_autocommit() {
            // Releasing the outermost savepoint commits, as SQLite does without a BEGIN.
            self.block_on(conn.execute("COMMIT", ()))?
                .map_err(|e| self.recover(conn, from_libsql(e, url, Some("COMMIT"))))?;
        }
        if outermost {
            self.lock().implicit_savepoint = None;
        }
        Ok(())
    }

    fn after_failure(&self, control: &TxControl, err: Error) -> Result<()> {
        let mut tx = self.lock();
        match control {
            TxControl::Commit => {
                // libsql closes the stream with every COMMIT, so a failed COMMIT leaves no
                // transaction behind: the server rolled it back.
                tx.rolled_back_by_server = true;
                tx.implicit_savepoint = None;
                Err(err)
            }
            TxControl::Rollback if tx.rolled_back_by_server => {
                tx.rolled_back_by_server = false;
                Ok(())
            }
            _ => Err(err),
        }
    }
}
