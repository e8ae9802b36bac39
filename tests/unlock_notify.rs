//! `unlock_notify` (feature of the same name): a step blocked by another shared-cache
//! connection's write lock waits for the lock to go away instead of failing with
//! `SQLITE_LOCKED`. dbcompat-only: it exercises libSQL's engine built with
//! `SQLITE_ENABLE_UNLOCK_NOTIFY`; the scenario is rusqlite's own unlock_notify test.
extern crate dbcompat as rusqlite;

use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use std::sync::mpsc::sync_channel;
use std::thread;
use std::time::{Duration, Instant};

fn shared_cache(name: &str) -> (String, OpenFlags) {
    let url = format!("file:{name}?mode=memory&cache=shared");
    (
        url,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_URI,
    )
}

#[test]
fn a_read_waits_for_the_writer_to_commit() {
    let (url, flags) = shared_cache("unlock_notify_wait");
    let db1 = Connection::open_with_flags(&url, flags).unwrap();
    db1.execute_batch("CREATE TABLE foo (x)").unwrap();
    let (locked_tx, locked_rx) = sync_channel(0);
    let writer = thread::spawn(move || {
        let mut db2 = Connection::open_with_flags(&url, flags).unwrap();
        let tx = db2
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .unwrap();
        tx.execute_batch("INSERT INTO foo VALUES (42)").unwrap();
        locked_tx.send(()).unwrap();
        thread::sleep(Duration::from_millis(200));
        tx.commit().unwrap();
    });
    locked_rx.recv().unwrap();
    let started = Instant::now();
    // Without unlock_notify this fails at once with "database table is locked".
    let answer: i64 = db1
        .query_row("SELECT x FROM foo", [], |r| r.get(0))
        .unwrap();
    assert_eq!(answer, 42);
    assert!(
        started.elapsed() >= Duration::from_millis(100),
        "the read returned before the writer committed"
    );
    writer.join().unwrap();
}

#[test]
fn a_deadlock_is_reported_not_waited_for() {
    // The scenario runs on its own thread so a hang fails the test instead of the suite.
    let (done_tx, done_rx) = sync_channel(1);
    thread::spawn(move || done_tx.send(deadlock_scenario()).unwrap());
    let err = done_rx
        .recv_timeout(Duration::from_secs(20))
        .expect("the deadlocked write waited instead of failing");
    assert_eq!(
        err.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseLocked),
        "{err:?}"
    );
}

/// db1 writes table a; db2 holds a read lock on b and waits to read a; then db1 writes b,
/// which would wait on db2, which waits on db1. Returns db1's error.
fn deadlock_scenario() -> rusqlite::Error {
    let (url, flags) = shared_cache("unlock_notify_deadlock");
    let mut db1 = Connection::open_with_flags(&url, flags).unwrap();
    let mut db2 = Connection::open_with_flags(&url, flags).unwrap();
    db1.execute_batch("CREATE TABLE a (x); CREATE TABLE b (x);")
        .unwrap();
    let t1 = db1.transaction().unwrap();
    t1.execute("INSERT INTO a VALUES (1)", []).unwrap();
    let (ready_tx, ready_rx) = sync_channel(0);
    let reader = thread::spawn(move || {
        let t2 = db2.transaction().unwrap();
        let _: i64 = t2
            .query_row("SELECT count(*) FROM b", [], |r| r.get(0))
            .unwrap();
        ready_tx.send(()).unwrap();
        // Waits until t1 ends.
        let seen = t2.query_row("SELECT count(*) FROM a", [], |r| r.get::<_, i64>(0));
        t2.commit().unwrap();
        seen
    });
    ready_rx.recv().unwrap();
    // Give the reader time to block on table a (a slow machine only makes this longer).
    thread::sleep(Duration::from_millis(500));
    let err = t1.execute("INSERT INTO b VALUES (1)", []).unwrap_err();
    t1.rollback().unwrap();
    // The rollback releases table a: the reader completes and sees no row.
    assert_eq!(reader.join().unwrap().unwrap(), 0);
    err
}
