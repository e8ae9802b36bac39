//! Statements that maintain the database file (VACUUM, PRAGMA optimize, header values) and the
//! usual open-time PRAGMAs, on an embedded replica. Through libsql the maintenance ones ran on
//! the replica's local file: the primary was not vacuumed, and every later write failed its
//! sync with "WAL frame insert conflict" though it had reached the primary. They now run on
//! the replica's session on the primary (`src/backend/replica.rs`).

#[path = "../compat-tests/server.rs"]
mod server;

use dbcompat::Connection;
use std::path::{Path, PathBuf};

fn test_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dbcompat-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn int(db: &Connection, sql: &str) -> i64 {
    db.query_row(sql, [], |r| r.get(0)).unwrap()
}

/// A primary whose file has free pages (rows inserted, then most deleted), and a synced
/// replica of it at `path`.
fn primary_with_free_pages(dir: &Path) -> (server::TestServer, Connection, Connection) {
    let server = server::start_private(&dir.join("server"), &[]);
    let primary = Connection::open_remote(&server.url, "").unwrap();
    primary
        .execute_batch(
            "CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT);
             WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 2000)
             INSERT INTO notes(body) SELECT hex(randomblob(200)) FROM n;
             DELETE FROM notes WHERE id > 10;",
        )
        .unwrap();
    assert!(int(&primary, "PRAGMA freelist_count") > 100);
    let replica = Connection::open_replica(dir.join("replica.db"), &server.url, "").unwrap();
    replica.sync().unwrap();
    (server, primary, replica)
}

/// The replica still takes writes and syncs, and reads what the primary has.
fn assert_replica_keeps_syncing(replica: &Connection, primary: &Connection) {
    let before = int(primary, "SELECT count(*) FROM notes");
    replica
        .execute("INSERT INTO notes(body) VALUES ('after')", [])
        .unwrap();
    replica.sync().unwrap();
    assert_eq!(int(replica, "SELECT count(*) FROM notes"), before + 1);
    assert_eq!(int(primary, "SELECT count(*) FROM notes"), before + 1);
}

#[test]
fn vacuum_on_a_replica_vacuums_the_primary_and_the_replica_keeps_syncing() {
    let dir = test_dir("replica-vacuum");
    let (_server, primary, replica) = primary_with_free_pages(&dir);
    replica.execute_batch("VACUUM").unwrap();
    assert_eq!(
        int(&primary, "PRAGMA freelist_count"),
        0,
        "the primary was vacuumed"
    );
    assert_replica_keeps_syncing(&replica, &primary);
    // Through execute as well, and the local copy follows the primary's file.
    primary
        .execute_batch("DELETE FROM notes WHERE id > 5")
        .unwrap();
    replica.execute("VACUUM main", []).unwrap();
    assert_replica_keeps_syncing(&replica, &primary);
    let local_copy = Connection::open(dir.join("replica.db")).unwrap();
    assert_eq!(int(&local_copy, "PRAGMA freelist_count"), 0);
}

#[test]
fn optimize_and_header_values_on_a_replica_reach_the_primary() {
    let dir = test_dir("replica-optimize");
    let (_server, primary, replica) = primary_with_free_pages(&dir);
    replica
        .execute_batch("CREATE INDEX notes_body ON notes(body)")
        .unwrap();
    replica.execute_batch("PRAGMA optimize").unwrap();
    replica.execute("PRAGMA optimize(0x10002)", []).unwrap();
    replica.pragma_update(None, "application_id", 7).unwrap();
    assert_eq!(int(&primary, "PRAGMA application_id"), 7);
    assert_replica_keeps_syncing(&replica, &primary);
    assert_eq!(int(&replica, "PRAGMA application_id"), 7);
    // In a batch with other statements, which run as before.
    replica
        .execute_batch("PRAGMA foreign_keys=ON; PRAGMA optimize; PRAGMA user_version = 2")
        .unwrap();
    assert_eq!(int(&primary, "PRAGMA user_version"), 2);
    assert_replica_keeps_syncing(&replica, &primary);
}

#[test]
fn vacuum_inside_a_replica_transaction_fails_as_locally() {
    let dir = test_dir("replica-vacuum-tx");
    let (_server, primary, replica) = primary_with_free_pages(&dir);
    let local = Connection::open(dir.join("local.db")).unwrap();
    for db in [&local, &replica] {
        db.execute_batch("CREATE TABLE IF NOT EXISTS notes(id INTEGER PRIMARY KEY, body TEXT)")
            .unwrap();
        db.execute_batch("BEGIN; INSERT INTO notes(body) VALUES ('in tx')")
            .unwrap();
        let err = db.execute_batch("VACUUM").unwrap_err();
        assert_eq!(err.to_string(), "cannot VACUUM from within a transaction");
        db.execute_batch("COMMIT").unwrap();
    }
    // PRAGMA optimize inside a transaction runs, as locally (on the transaction's session).
    for db in [&local, &replica] {
        db.execute_batch("BEGIN; PRAGMA optimize; ROLLBACK")
            .unwrap();
    }
    assert_replica_keeps_syncing(&replica, &primary);
}

#[test]
fn pragmas_that_report_a_value_run_in_a_replica_batch() {
    // rusqlite's execute_batch steps a PRAGMA that returns a row and drops the row; libsql's
    // execute refused it with ExecuteReturnedResults.
    let dir = test_dir("replica-open-pragmas");
    let (_server, primary, replica) = primary_with_free_pages(&dir);
    replica.execute_batch("PRAGMA journal_mode=WAL").unwrap();
    replica
        .execute_batch("PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON")
        .unwrap();
    let mode: String = replica
        .pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    // The usual open-time batch; the values hold for the connection's later statements.
    replica
        .execute_batch(
            "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000;
             PRAGMA temp_store=MEMORY; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-8000;",
        )
        .unwrap();
    replica
        .execute("INSERT INTO notes(body) VALUES ('x')", [])
        .unwrap();
    assert_eq!(int(&replica, "PRAGMA busy_timeout"), 30000);
    assert_eq!(int(&replica, "PRAGMA temp_store"), 2);
    assert_eq!(int(&replica, "PRAGMA cache_size"), -8000);
    assert_replica_keeps_syncing(&replica, &primary);
}
