//! Transactions and savepoints, as SQL text over `execute_batch`, so they behave the same on
//! every backend (on a remote connection the BEGIN..COMMIT run on one server stream).

use crate::{Connection, DatabaseName, Result};
use std::ops::Deref;

/// How a transaction starts: `BEGIN DEFERRED`, `BEGIN IMMEDIATE` or `BEGIN EXCLUSIVE`.
#[derive(Copy, Clone)]
#[non_exhaustive]
pub enum TransactionBehavior {
    /// Locks are taken on first use.
    Deferred,
    /// A write lock is taken at once.
    Immediate,
    /// An exclusive lock is taken at once.
    Exclusive,
}

/// What dropping an unfinished transaction or savepoint does.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DropBehavior {
    /// Roll back (the default).
    Rollback,
    /// Commit; if that fails, roll back.
    Commit,
    /// Leave it open.
    Ignore,
    /// Panic — the one deliberate panic, requested by the caller as in rusqlite.
    Panic,
}

/// The state of a database's transaction, from [`Connection::transaction_state`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransactionState {
    /// No transaction.
    None,
    /// A read transaction.
    Read,
    /// A write transaction.
    Write,
}

/// An open transaction; derefs to [`Connection`]. Rolled back on drop unless committed (see
/// [`DropBehavior`]); errors on drop are ignored — call [`Transaction::finish`] to see them.
#[derive(Debug)]
pub struct Transaction<'conn> {
    conn: &'conn Connection,
    drop_behavior: DropBehavior,
}

/// An open savepoint; derefs to [`Connection`]. Rolled back and released on drop unless
/// committed.
#[derive(Debug)]
pub struct Savepoint<'conn> {
    conn: &'conn Connection,
    name: String,
    drop_behavior: DropBehavior,
    committed: bool,
}

impl Transaction<'_> {
    /// Begins a transaction; the `&mut` borrow prevents nesting at compile time.
    pub fn new(conn: &mut Connection, behavior: TransactionBehavior) -> Result<Transaction<'_>> {
        Transaction::new_unchecked(conn, behavior)
    }

    /// Begins a transaction through a shared borrow; nesting fails at run time with SQLite's
    /// "cannot start a transaction within a transaction".
    pub fn new_unchecked(
        conn: &Connection,
        behavior: TransactionBehavior,
    ) -> Result<Transaction<'_>> {
        let begin = match behavior {
            TransactionBehavior::Deferred => "BEGIN DEFERRED",
            TransactionBehavior::Immediate => "BEGIN IMMEDIATE",
            TransactionBehavior::Exclusive => "BEGIN EXCLUSIVE",
        };
        conn.execute_batch(begin)?;
        Ok(Transaction {
            conn,
            drop_behavior: DropBehavior::Rollback,
        })
    }

    /// Starts a savepoint named `_rusqlite_sp` inside this transaction.
    pub fn savepoint(&mut self) -> Result<Savepoint<'_>> {
        Savepoint::begin(self.conn, DEFAULT_SAVEPOINT_NAME)
    }

    /// Starts a named savepoint inside this transaction.
    pub fn savepoint_with_name<T: Into<String>>(&mut self, name: T) -> Result<Savepoint<'_>> {
        Savepoint::begin(self.conn, name)
    }

    /// What drop will do.
    #[must_use]
    pub fn drop_behavior(&self) -> DropBehavior {
        self.drop_behavior
    }

    /// Changes what drop will do.
    pub fn set_drop_behavior(&mut self, drop_behavior: DropBehavior) {
        self.drop_behavior = drop_behavior;
    }

    /// Commits. If COMMIT fails, the transaction is rolled back as it drops.
    pub fn commit(mut self) -> Result<()> {
        self.commit_now()
    }

    /// Rolls back.
    pub fn rollback(mut self) -> Result<()> {
        self.rollback_now()
    }

    /// Applies the drop behaviour now and returns its error, if any.
    pub fn finish(mut self) -> Result<()> {
        self.finish_now()
    }

    fn commit_now(&mut self) -> Result<()> {
        self.conn.execute_batch("COMMIT")
    }

    fn rollback_now(&mut self) -> Result<()> {
        self.conn.execute_batch("ROLLBACK")
    }

    fn finish_now(&mut self) -> Result<()> {
        // Already ended by SQL (a COMMIT through execute, say): nothing left to do.
        if self.conn.is_autocommit() {
            return Ok(());
        }
        match self.drop_behavior {
            DropBehavior::Commit => self.commit_now().or_else(|_| self.rollback_now()),
            DropBehavior::Rollback => self.rollback_now(),
            DropBehavior::Ignore => Ok(()),
            DropBehavior::Panic => panic!("Transaction dropped unexpectedly."),
        }
    }
}

impl Deref for Transaction<'_> {
    type Target = Connection;

    fn deref(&self) -> &Connection {
        self.conn
    }
}

impl Drop for Transaction<'_> {
    fn drop(&mut self) {
        let _ = self.finish_now();
    }
}

pub(crate) const DEFAULT_SAVEPOINT_NAME: &str = "_rusqlite_sp";

impl Savepoint<'_> {
    pub(crate) fn begin<T: Into<String>>(conn: &Connection, name: T) -> Result<Savepoint<'_>> {
        let name = name.into();
        // The name goes in unquoted, as rusqlite writes it.
        conn.execute_batch(&format!("SAVEPOINT {name}"))?;
        Ok(Savepoint {
            conn,
            name,
            drop_behavior: DropBehavior::Rollback,
            committed: false,
        })
    }

    /// Starts a savepoint named `_rusqlite_sp` (no outer transaction needed).
    pub fn new(conn: &mut Connection) -> Result<Savepoint<'_>> {
        Savepoint::begin(conn, DEFAULT_SAVEPOINT_NAME)
    }

    /// Starts a named savepoint.
    pub fn with_name<T: Into<String>>(conn: &mut Connection, name: T) -> Result<Savepoint<'_>> {
        Savepoint::begin(conn, name)
    }

    /// Starts a nested savepoint named `_rusqlite_sp`.
    pub fn savepoint(&mut self) -> Result<Savepoint<'_>> {
        Savepoint::begin(self.conn, DEFAULT_SAVEPOINT_NAME)
    }

    /// Starts a nested named savepoint.
    pub fn savepoint_with_name<T: Into<String>>(&mut self, name: T) -> Result<Savepoint<'_>> {
        Savepoint::begin(self.conn, name)
    }

    /// What drop will do.
    #[must_use]
    pub fn drop_behavior(&self) -> DropBehavior {
        self.drop_behavior
    }

    /// Changes what drop will do.
    pub fn set_drop_behavior(&mut self, drop_behavior: DropBehavior) {
        self.drop_behavior = drop_behavior;
    }

    /// Releases the savepoint, keeping its changes.
    pub fn commit(mut self) -> Result<()> {
        self.release()
    }

    /// Rolls back to the savepoint, which stays open (`&mut self`, as in rusqlite).
    pub fn rollback(&mut self) -> Result<()> {
        self.conn
            .execute_batch(&format!("ROLLBACK TO {}", self.name))
    }

    /// Applies the drop behaviour now and returns its error, if any.
    pub fn finish(mut self) -> Result<()> {
        self.finish_now()
    }

    fn release(&mut self) -> Result<()> {
        self.conn.execute_batch(&format!("RELEASE {}", self.name))?;
        self.committed = true;
        Ok(())
    }

    fn finish_now(&mut self) -> Result<()> {
        if self.committed {
            return Ok(());
        }
        match self.drop_behavior {
            DropBehavior::Commit => self
                .release()
                .or_else(|_| self.rollback().and_then(|()| self.release())),
            DropBehavior::Rollback => self.rollback().and_then(|()| self.release()),
            DropBehavior::Ignore => Ok(()),
            DropBehavior::Panic => panic!("Savepoint dropped unexpectedly."),
        }
    }
}

impl Deref for Savepoint<'_> {
    type Target = Connection;

    fn deref(&self) -> &Connection {
        self.conn
    }
}

impl Drop for Savepoint<'_> {
    fn drop(&mut self) {
        let _ = self.finish_now();
    }
}

impl Connection {
    /// Begins a transaction with the connection's default behaviour (Deferred unless changed
    /// by [`Connection::set_transaction_behavior`]).
    pub fn transaction(&mut self) -> Result<Transaction<'_>> {
        let behavior = self.transaction_behavior.get();
        Transaction::new(self, behavior)
    }

    /// Begins a transaction with the given behaviour.
    pub fn transaction_with_behavior(
        &mut self,
        behavior: TransactionBehavior,
    ) -> Result<Transaction<'_>> {
        Transaction::new(self, behavior)
    }

    /// Begins a transaction through a shared borrow; nesting is an error at run time.
    pub fn unchecked_transaction(&self) -> Result<Transaction<'_>> {
        Transaction::new_unchecked(self, self.transaction_behavior.get())
    }

    /// Starts a savepoint named `_rusqlite_sp`.
    pub fn savepoint(&mut self) -> Result<Savepoint<'_>> {
        Savepoint::new(self)
    }

    /// Starts a named savepoint.
    pub fn savepoint_with_name<T: Into<String>>(&mut self, name: T) -> Result<Savepoint<'_>> {
        Savepoint::with_name(self, name)
    }

    /// The transaction state of a database (`None` means across all of them).
    pub fn transaction_state(&self, db_name: Option<DatabaseName<'_>>) -> Result<TransactionState> {
        let name = db_name.as_ref().map(DatabaseName::as_cstring).transpose()?;
        let state = self.backend().txn_state(name.as_deref())?;
        Ok(match state {
            0 => TransactionState::None,
            1 => TransactionState::Read,
            _ => TransactionState::Write,
        })
    }

    /// Sets the behaviour [`Connection::transaction`] uses.
    pub fn set_transaction_behavior(&mut self, behavior: TransactionBehavior) {
        self.transaction_behavior.set(behavior);
    }
}
