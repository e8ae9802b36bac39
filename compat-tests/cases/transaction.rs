//! Transactions and savepoints: commit, rollback, drop behaviours, nesting, behaviours and
//! transaction state.
use crate::support::one;
use rusqlite::{
    Connection, DropBehavior, Error, ErrorCode, Savepoint, Transaction, TransactionBehavior,
    TransactionState,
};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Duration;

fn db_with_foo() -> rusqlite::Result<Connection> {
    let db = crate::open()?;
    db.execute_batch("CREATE TABLE foo(x INTEGER)")?;
    Ok(db)
}

fn insert(conn: &Connection, x: i64) -> rusqlite::Result<usize> {
    conn.execute("INSERT INTO foo VALUES (?1)", [x])
}

fn sum(conn: &Connection) -> rusqlite::Result<i64> {
    one::<Option<i64>>(conn, "SELECT SUM(x) FROM foo").map(|s| s.unwrap_or(0))
}

fn assert_nested_tx_error(e: &Error) {
    match e {
        Error::SqliteFailure(err, Some(msg)) => {
            assert_eq!(err.code, ErrorCode::Unknown);
            assert_eq!(err.extended_code, 1);
            assert_eq!(msg, "cannot start a transaction within a transaction");
        }
        other => panic!("unexpected error {other:?}"),
    }
}

fn panic_text(p: Box<dyn std::any::Any + Send>) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_default()
}

cases! {
    fn commit_persists() {
        let mut db = db_with_foo()?;
        let tx = db.transaction()?;
        insert(&tx, 1)?;
        insert(&tx, 2)?;
        tx.commit()?;
        assert_eq!(sum(&db)?, 3);
        assert!(db.is_autocommit());
        Ok(())
    }

    fn rollback_discards() {
        let mut db = db_with_foo()?;
        insert(&db, 10)?;
        let tx = db.transaction()?;
        insert(&tx, 1)?;
        assert_eq!(sum(&tx)?, 11);
        tx.rollback()?;
        assert_eq!(sum(&db)?, 10);
        assert!(db.is_autocommit());
        Ok(())
    }

    fn drop_rolls_back_by_default() {
        let mut db = db_with_foo()?;
        {
            let tx = db.transaction()?;
            assert_eq!(tx.drop_behavior(), DropBehavior::Rollback);
            insert(&tx, 1)?;
        }
        assert_eq!(sum(&db)?, 0);
        assert!(db.is_autocommit());
        Ok(())
    }

    fn drop_behavior_commit_commits_on_drop() {
        let mut db = db_with_foo()?;
        {
            let mut tx = db.transaction()?;
            insert(&tx, 2)?;
            tx.set_drop_behavior(DropBehavior::Commit);
            assert_eq!(tx.drop_behavior(), DropBehavior::Commit);
        }
        assert_eq!(sum(&db)?, 2);
        assert!(db.is_autocommit());
        Ok(())
    }

    /// Ignore leaves the transaction open on the connection after the guard is gone.
    fn drop_behavior_ignore_leaves_transaction_open() {
        let mut db = db_with_foo()?;
        {
            let mut tx = db.transaction()?;
            insert(&tx, 5)?;
            tx.set_drop_behavior(DropBehavior::Ignore);
        }
        assert!(!db.is_autocommit());
        assert_eq!(sum(&db)?, 5);
        db.execute_batch("ROLLBACK")?;
        assert!(db.is_autocommit());
        assert_eq!(sum(&db)?, 0);
        Ok(())
    }

    fn drop_behavior_panic_panics_and_leaves_tx_open() {
        let mut db = db_with_foo()?;
        let r = catch_unwind(AssertUnwindSafe(|| {
            let mut tx = db.transaction().unwrap();
            insert(&tx, 1).unwrap();
            tx.set_drop_behavior(DropBehavior::Panic);
        }));
        let p = r.expect_err("dropping with DropBehavior::Panic must panic");
        assert_eq!(panic_text(p), "Transaction dropped unexpectedly.");
        assert!(!db.is_autocommit());
        db.execute_batch("ROLLBACK")?;
        Ok(())
    }

    fn finish_applies_drop_behavior() {
        let mut db = db_with_foo()?;
        let mut tx = db.transaction()?;
        insert(&tx, 1)?;
        tx.set_drop_behavior(DropBehavior::Commit);
        tx.finish()?;
        assert_eq!(sum(&db)?, 1);
        let tx = db.transaction()?;
        insert(&tx, 100)?;
        tx.finish()?; // default: rollback
        assert_eq!(sum(&db)?, 1);
        let mut tx = db.transaction()?;
        tx.set_drop_behavior(DropBehavior::Ignore);
        tx.finish()?;
        assert!(!db.is_autocommit());
        db.execute_batch("COMMIT")?;
        Ok(())
    }

    /// A failing COMMIT (deferred FK violation) is an error from commit(); the dropped tx rolls back.
    fn commit_failure_is_reported_and_rolled_back() {
        let mut db = crate::open()?;
        db.execute_batch(
            "PRAGMA foreign_keys = ON;
             CREATE TABLE parent(id INTEGER PRIMARY KEY);
             CREATE TABLE child(p REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED);",
        )?;
        let tx = db.transaction()?;
        tx.execute("INSERT INTO child VALUES (42)", [])?;
        let e = tx.commit().unwrap_err();
        match &e {
            Error::SqliteFailure(err, Some(msg)) => {
                assert_eq!(err.code, ErrorCode::ConstraintViolation);
                assert_eq!(err.extended_code, 787);
                assert_eq!(msg, "FOREIGN KEY constraint failed");
            }
            other => panic!("{other:?}"),
        }
        assert!(db.is_autocommit());
        assert_eq!(one::<i64>(&db, "SELECT count(*) FROM child")?, 0);
        Ok(())
    }

    /// finish() with DropBehavior::Commit falls back to ROLLBACK when COMMIT fails, and reports Ok.
    fn finish_commit_falls_back_to_rollback() {
        let mut db = crate::open()?;
        db.execute_batch(
            "PRAGMA foreign_keys = ON;
             CREATE TABLE parent(id INTEGER PRIMARY KEY);
             CREATE TABLE child(p REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED);",
        )?;
        let mut tx = db.transaction()?;
        tx.execute("INSERT INTO child VALUES (42)", [])?;
        tx.set_drop_behavior(DropBehavior::Commit);
        tx.finish()?;
        assert!(db.is_autocommit());
        assert_eq!(one::<i64>(&db, "SELECT count(*) FROM child")?, 0);
        Ok(())
    }

    fn is_autocommit_inside_and_outside() {
        let mut db = db_with_foo()?;
        assert!(db.is_autocommit());
        {
            let tx = db.transaction()?;
            assert!(!tx.is_autocommit());
        }
        assert!(db.is_autocommit());
        {
            let sp = db.savepoint()?;
            assert!(!sp.is_autocommit());
        }
        assert!(db.is_autocommit());
        Ok(())
    }

    fn transaction_with_each_behavior() {
        let mut db = db_with_foo()?;
        for b in [TransactionBehavior::Deferred, TransactionBehavior::Immediate, TransactionBehavior::Exclusive] {
            let tx = db.transaction_with_behavior(b)?;
            assert!(!tx.is_autocommit());
            insert(&tx, 1)?;
            tx.commit()?;
        }
        assert_eq!(sum(&db)?, 3);
        let tx = Transaction::new(&mut db, TransactionBehavior::Immediate)?;
        insert(&tx, 10)?;
        tx.commit()?;
        let tx = Transaction::new_unchecked(&db, TransactionBehavior::Deferred)?;
        insert(&tx, 100)?;
        drop(tx);
        assert_eq!(sum(&db)?, 13);
        Ok(())
    }

    /// BEGIN IMMEDIATE takes the write lock at once; BEGIN DEFERRED takes nothing until first use.
    #[only_0_34("uses `DatabaseName`, which rusqlite 0.36 replaced by the `Name` trait")]
    fn behavior_shows_in_transaction_state() {
        let mut db = db_with_foo()?;
        {
            let tx = db.transaction_with_behavior(TransactionBehavior::Deferred)?;
            assert_eq!(tx.transaction_state(None)?, TransactionState::None);
            sum(&tx)?;
            assert_eq!(tx.transaction_state(None)?, TransactionState::Read);
            insert(&tx, 1)?;
            assert_eq!(tx.transaction_state(None)?, TransactionState::Write);
        }
        {
            let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
            assert_eq!(tx.transaction_state(None)?, TransactionState::Write);
        }
        {
            let tx = db.transaction_with_behavior(TransactionBehavior::Exclusive)?;
            assert_eq!(tx.transaction_state(Some(rusqlite::DatabaseName::Main))?, TransactionState::Write);
        }
        assert_eq!(db.transaction_state(None)?, TransactionState::None);
        Ok(())
    }

    #[only_0_34("uses `DatabaseName`, which rusqlite 0.36 replaced by the `Name` trait")]
    fn transaction_state_follows_manual_begin() {
        let db = crate::open()?;
        assert_eq!(db.transaction_state(Some(rusqlite::DatabaseName::Main))?, TransactionState::None);
        assert_eq!(db.transaction_state(None)?, TransactionState::None);
        db.execute_batch("BEGIN")?;
        assert_eq!(db.transaction_state(None)?, TransactionState::None);
        let _: i32 = db.pragma_query_value(None, "user_version", |r| r.get(0))?;
        assert_eq!(db.transaction_state(None)?, TransactionState::Read);
        db.pragma_update(None, "user_version", 1)?;
        assert_eq!(db.transaction_state(None)?, TransactionState::Write);
        db.execute_batch("ROLLBACK")?;
        assert_eq!(db.transaction_state(None)?, TransactionState::None);
        assert_eq!(format!("{:?}", TransactionState::Write), "Write");
        Ok(())
    }

    #[only_0_34("calls `transaction_state(None)`, which does not infer a `Name` type in rusqlite 0.41+")]
    fn set_transaction_behavior_applies_to_new_transactions() {
        let mut db = db_with_foo()?;
        db.set_transaction_behavior(TransactionBehavior::Immediate);
        {
            let tx = db.transaction()?;
            assert_eq!(tx.transaction_state(None)?, TransactionState::Write);
        }
        {
            let tx = db.unchecked_transaction()?;
            assert_eq!(tx.transaction_state(None)?, TransactionState::Write);
        }
        db.set_transaction_behavior(TransactionBehavior::Deferred);
        let tx = db.transaction()?;
        assert_eq!(tx.transaction_state(None)?, TransactionState::None);
        Ok(())
    }

    fn unchecked_transaction_nesting_is_an_error() {
        let db = db_with_foo()?;
        {
            let tx = db.unchecked_transaction()?;
            let e = tx.unchecked_transaction().unwrap_err();
            assert_nested_tx_error(&e);
            assert_eq!(e.to_string(), "cannot start a transaction within a transaction");
            assert_eq!(e.sqlite_error_code(), Some(ErrorCode::Unknown));
        }
        {
            let tx = db.unchecked_transaction()?;
            insert(&tx, 1)?;
            // the failed nested BEGIN does not disturb the open transaction
            assert_nested_tx_error(&db.unchecked_transaction().unwrap_err());
            insert(&tx, 1)?;
            tx.commit()?;
        }
        assert_eq!(sum(&db)?, 2);
        Ok(())
    }

    /// unchecked_transaction only needs &Connection, so it works through Rc.
    fn unchecked_transaction_through_rc() {
        let db = std::rc::Rc::new(db_with_foo()?);
        let tx = db.unchecked_transaction()?;
        insert(&tx, 7)?;
        tx.commit()?;
        assert_eq!(sum(&db)?, 7);
        Ok(())
    }

    fn transaction_over_manual_begin_is_an_error() {
        let mut db = db_with_foo()?;
        db.execute_batch("BEGIN")?;
        let e = db.transaction().unwrap_err();
        assert_nested_tx_error(&e);
        db.execute_batch("COMMIT")?;
        let tx = db.transaction()?;
        tx.commit()?;
        Ok(())
    }

    fn manual_begin_immediate_and_commit() {
        let db = db_with_foo()?;
        db.execute_batch("BEGIN IMMEDIATE")?;
        assert!(!db.is_autocommit());
        insert(&db, 4)?;
        db.execute_batch("COMMIT")?;
        assert!(db.is_autocommit());
        assert_eq!(sum(&db)?, 4);
        let e = db.execute_batch("COMMIT").unwrap_err();
        match &e {
            Error::SqliteFailure(err, Some(msg)) => {
                assert_eq!((err.code, err.extended_code), (ErrorCode::Unknown, 1));
                assert_eq!(msg, "cannot commit - no transaction is active");
            }
            other => panic!("{other:?}"),
        }
        Ok(())
    }

    /// A transaction ended by SQL is not touched again on drop (no error, nothing undone).
    fn transaction_ended_by_sql_then_dropped() {
        let mut db = db_with_foo()?;
        {
            let tx = db.transaction()?;
            insert(&tx, 3)?;
            tx.execute_batch("COMMIT")?;
            assert!(tx.is_autocommit());
        }
        assert_eq!(sum(&db)?, 3);
        let tx = db.transaction()?;
        insert(&tx, 3)?;
        tx.execute_batch("COMMIT")?;
        tx.finish()?;
        assert_eq!(sum(&db)?, 6);
        Ok(())
    }

    /// commit() after the transaction was already rolled back by SQL is an error.
    fn commit_after_sql_rollback_fails() {
        let mut db = db_with_foo()?;
        let tx = db.transaction()?;
        insert(&tx, 3)?;
        tx.execute_batch("ROLLBACK")?;
        let e = tx.commit().unwrap_err();
        assert_eq!(e.to_string(), "cannot commit - no transaction is active");
        assert_eq!(sum(&db)?, 0);
        let tx = db.transaction()?;
        tx.execute_batch("ROLLBACK")?;
        let e = tx.rollback().unwrap_err();
        assert_eq!(e.to_string(), "cannot rollback - no transaction is active");
        Ok(())
    }

    /// Transaction and Savepoint deref to Connection.
    fn transaction_derefs_to_connection() {
        let mut db = db_with_foo()?;
        let tx = db.transaction()?;
        let conn: &Connection = &tx;
        assert_eq!(conn.execute("INSERT INTO foo VALUES (?1), (?2)", [1, 2])?, 2);
        assert_eq!(tx.changes(), 2);
        assert_eq!(tx.last_insert_rowid(), 2);
        let mut stmt = tx.prepare("SELECT x FROM foo ORDER BY x")?;
        let xs: Vec<i64> = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        assert_eq!(xs, vec![1, 2]);
        drop(stmt);
        assert_eq!(tx.query_row("SELECT count(*) FROM foo", [], |r| r.get::<_, i64>(0))?, 2);
        tx.commit()?;
        Ok(())
    }

    fn connection_savepoint_commit_and_drop() {
        let mut db = db_with_foo()?;
        {
            let sp = db.savepoint()?;
            insert(&sp, 1)?;
            sp.commit()?;
        }
        assert!(db.is_autocommit());
        {
            let sp = db.savepoint()?;
            assert_eq!(sp.drop_behavior(), DropBehavior::Rollback);
            insert(&sp, 10)?;
        }
        assert!(db.is_autocommit());
        assert_eq!(sum(&db)?, 1);
        {
            let mut sp = Savepoint::new(&mut db)?;
            insert(&sp, 100)?;
            sp.set_drop_behavior(DropBehavior::Commit);
        }
        {
            let sp = Savepoint::with_name(&mut db, "named")?;
            insert(&sp, 1000)?;
            sp.finish()?;
        }
        assert_eq!(sum(&db)?, 101);
        Ok(())
    }

    /// Savepoint::rollback takes &mut self, keeps the savepoint open, and it can still commit.
    fn savepoint_rollback_keeps_it_open() {
        let mut db = db_with_foo()?;
        {
            let mut tx = db.transaction()?;
            {
                let mut sp = tx.savepoint()?;
                insert(&sp, 1)?;
                sp.rollback()?;
                assert_eq!(sum(&sp)?, 0);
                insert(&sp, 2)?;
                sp.rollback()?;
                insert(&sp, 4)?;
                sp.commit()?;
            }
            assert_eq!(sum(&tx)?, 4);
            tx.commit()?;
        }
        assert_eq!(sum(&db)?, 4);
        Ok(())
    }

    fn nested_savepoints_on_transaction() {
        let mut db = db_with_foo()?;
        {
            let mut tx = db.transaction()?;
            insert(&tx, 1)?;
            tx.set_drop_behavior(DropBehavior::Commit);
            {
                let mut sp1 = tx.savepoint()?;
                insert(&sp1, 2)?;
                assert_eq!(sum(&sp1)?, 3);
                {
                    let mut sp2 = sp1.savepoint()?;
                    insert(&sp2, 4)?;
                    {
                        let sp3 = sp2.savepoint()?;
                        insert(&sp3, 8)?;
                        assert_eq!(sum(&sp3)?, 15);
                        sp3.commit()?;
                    }
                    assert_eq!(sum(&sp2)?, 15);
                    // sp2 rolls back on drop, taking the released sp3 with it
                }
                assert_eq!(sum(&sp1)?, 3);
            }
            assert_eq!(sum(&tx)?, 1);
        }
        assert_eq!(sum(&db)?, 1);
        Ok(())
    }

    /// Savepoints may reuse a name; the innermost one is addressed.
    fn savepoint_names_can_repeat() {
        let mut db = db_with_foo()?;
        {
            let mut sp1 = db.savepoint_with_name("my_sp")?;
            insert(&sp1, 1)?;
            {
                let mut sp2 = sp1.savepoint_with_name("my_sp")?;
                sp2.set_drop_behavior(DropBehavior::Commit);
                insert(&sp2, 2)?;
                assert_eq!(sum(&sp2)?, 3);
                sp2.rollback()?;
                assert_eq!(sum(&sp2)?, 1);
                insert(&sp2, 4)?;
            }
            assert_eq!(sum(&sp1)?, 5);
            sp1.rollback()?;
            {
                let mut sp2 = sp1.savepoint_with_name(String::from("my_sp"))?;
                sp2.set_drop_behavior(DropBehavior::Ignore);
                insert(&sp2, 8)?;
            }
            assert_eq!(sum(&sp1)?, 8);
            // RELEASE my_sp releases the innermost (ignored) my_sp, not sp1's
            sp1.commit()?;
        }
        assert!(!db.is_autocommit());
        assert_eq!(sum(&db)?, 8);
        db.execute_batch("RELEASE my_sp")?;
        assert!(db.is_autocommit());
        assert_eq!(sum(&db)?, 8);
        Ok(())
    }

    fn savepoint_ignore_inside_transaction() {
        let mut db = db_with_foo()?;
        let mut tx = db.transaction()?;
        {
            let mut sp1 = tx.savepoint_with_name("outer")?;
            insert(&sp1, 1)?;
            sp1.rollback()?;
            insert(&sp1, 2)?;
            {
                let mut sp2 = sp1.savepoint()?;
                sp2.set_drop_behavior(DropBehavior::Ignore);
                assert_eq!(sp2.drop_behavior(), DropBehavior::Ignore);
                insert(&sp2, 4)?;
            }
            assert_eq!(sum(&sp1)?, 6);
            sp1.commit()?;
        }
        assert_eq!(sum(&tx)?, 6);
        tx.commit()?;
        assert_eq!(sum(&db)?, 6);
        Ok(())
    }

    /// A top-level savepoint acts as a transaction; dropping it releases it either way.
    fn savepoint_drop_releases_outer_savepoint() {
        let mut db = db_with_foo()?;
        {
            let mut sp = db.savepoint()?;
            insert(&sp, 1)?;
            sp.set_drop_behavior(DropBehavior::Commit);
        }
        assert!(db.is_autocommit());
        {
            let mut sp = db.savepoint()?;
            insert(&sp, 2)?;
            sp.set_drop_behavior(DropBehavior::Rollback);
        }
        assert!(db.is_autocommit());
        assert_eq!(sum(&db)?, 1);
        Ok(())
    }

    /// Commit drop behaviour on a savepoint whose RELEASE fails rolls it back and releases it.
    fn savepoint_commit_on_drop_with_fk_violation() {
        let mut db = crate::open()?;
        db.pragma_update(None, "foreign_keys", true)?;
        db.execute_batch(
            "CREATE TABLE r(n INTEGER PRIMARY KEY NOT NULL);
             CREATE TABLE f(n REFERENCES r(n) DEFERRABLE INITIALLY DEFERRED);",
        )?;
        {
            let mut sp = db.savepoint()?;
            sp.execute("INSERT INTO f VALUES (0)", [])?;
            sp.set_drop_behavior(DropBehavior::Commit);
        }
        assert!(db.is_autocommit());
        assert_eq!(one::<i64>(&db, "SELECT count(*) FROM f")?, 0);
        Ok(())
    }

    fn savepoint_panic_drop_behavior() {
        let mut db = db_with_foo()?;
        let r = catch_unwind(AssertUnwindSafe(|| {
            let mut sp = db.savepoint().unwrap();
            sp.set_drop_behavior(DropBehavior::Panic);
        }));
        assert_eq!(panic_text(r.unwrap_err()), "Savepoint dropped unexpectedly.");
        assert!(!db.is_autocommit());
        db.execute_batch("ROLLBACK")?;
        Ok(())
    }

    fn unknown_savepoint_names_are_errors() {
        let mut db = db_with_foo()?;
        let e = db.execute_batch("RELEASE nope").unwrap_err();
        assert_eq!(e.to_string(), "no such savepoint: nope");
        assert_eq!(e.sqlite_error().map(|x| (x.code, x.extended_code)), Some((ErrorCode::Unknown, 1)));
        let sp = db.savepoint_with_name("outer")?;
        let e = sp.execute_batch("ROLLBACK TO inner").unwrap_err();
        assert_eq!(e.to_string(), "no such savepoint: inner");
        // the failed statement leaves the savepoint usable
        insert(&sp, 1)?;
        sp.commit()?;
        assert_eq!(sum(&db)?, 1);
        Ok(())
    }

    fn drop_behavior_is_copy_eq_debug() {
        let b = DropBehavior::Commit;
        let c = b;
        assert_eq!(b, c);
        assert_ne!(DropBehavior::Rollback, DropBehavior::Ignore);
        assert_eq!(format!("{:?}", DropBehavior::Rollback), "Rollback");
        assert_eq!(format!("{:?}", DropBehavior::Panic), "Panic");
        let t = TransactionBehavior::Exclusive;
        let _copy = t;
        let _again = t;
        Ok(())
    }

    fn immediate_transaction_blocks_second_writer() {
        let path = crate::database("tx-immediate")?;
        let mut a = Connection::open(&path)?;
        a.execute_batch("CREATE TABLE foo(x INTEGER)")?;
        let b = Connection::open(&path)?;
        b.busy_timeout(Duration::from_millis(0))?;
        let tx = a.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let e = b.execute_batch("BEGIN IMMEDIATE").unwrap_err();
        assert_eq!(e.sqlite_error_code(), Some(ErrorCode::DatabaseBusy));
        assert_eq!(e.sqlite_error().map(|x| x.extended_code), Some(5));
        assert_eq!(e.to_string(), "database is locked");
        // a reader is not blocked by a RESERVED lock
        assert_eq!(sum(&b)?, 0);
        tx.commit()?;
        b.execute_batch("BEGIN IMMEDIATE; COMMIT")?;
        Ok(())
    }

    #[local_only("asserts rollback-journal locking (a reader blocks a commit); a libSQL server keeps its database in WAL mode, where a commit does not wait for readers")]
    fn commit_busy_consumes_and_rolls_back() {
        let path = crate::support::temp_db_path("tx-busy");
        let a = Connection::open(&path)?;
        a.execute_batch("CREATE TABLE foo(x INTEGER)")?;
        let mut b = Connection::open(&path)?;
        b.busy_timeout(Duration::from_millis(0))?;
        // a holds a read transaction, so b cannot get the exclusive lock to commit
        a.execute_batch("BEGIN")?;
        sum(&a)?;
        let tx = b.transaction()?;
        insert(&tx, 9)?;
        let e = tx.commit().unwrap_err();
        assert_eq!(e.sqlite_error_code(), Some(ErrorCode::DatabaseBusy));
        // the consumed transaction was rolled back when dropped
        assert!(b.is_autocommit());
        a.execute_batch("COMMIT")?;
        assert_eq!(sum(&a)?, 0);
        assert_eq!(sum(&b)?, 0);
        Ok(())
    }

    /// In WAL mode (a libSQL server's, or a file switched to it) a reader keeps the snapshot its
    /// transaction started with while another connection commits, and two writers still
    /// exclude each other.
    fn wal_reader_keeps_its_snapshot_while_a_writer_commits() {
        let path = crate::database("tx-wal")?;
        let a = Connection::open(&path)?;
        let mode: String = a.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))?;
        assert_eq!(mode, "wal");
        a.execute_batch("CREATE TABLE foo(x INTEGER); INSERT INTO foo VALUES (1)")?;
        let mut b = Connection::open(&path)?;
        b.busy_timeout(Duration::from_millis(0))?;
        a.execute_batch("BEGIN")?;
        assert_eq!(sum(&a)?, 1);
        let tx = b.transaction()?;
        insert(&tx, 9)?;
        tx.commit()?;
        assert_eq!(sum(&a)?, 1, "the reader keeps its snapshot");
        a.execute_batch("COMMIT")?;
        assert_eq!(sum(&a)?, 10);
        a.execute_batch("BEGIN IMMEDIATE")?;
        let e = b.execute("INSERT INTO foo VALUES (5)", []).unwrap_err();
        assert_eq!(e.sqlite_error_code(), Some(ErrorCode::DatabaseBusy));
        assert_eq!(e.to_string(), "database is locked");
        a.execute_batch("ROLLBACK")?;
        assert_eq!(sum(&b)?, 10);
        Ok(())
    }
}
