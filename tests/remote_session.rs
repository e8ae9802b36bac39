//! A remote connection is one server session for its whole life: connection-scoped state
//! persists between autocommit statements, SQL is sent as written, each call is one request,
//! and an expired session is recovered (or reported) rather than silently replaced.
//! Each test starts its own loopback server, so request counts are exact.

#[path = "../compat-tests/server.rs"]
mod server;

use dbcompat::ffi::ErrorCode;
use dbcompat::{Connection, Error};
use std::path::PathBuf;
use std::time::Duration;

fn test_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dbcompat-session-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A loopback server of the test's own (`args` for it) and a remote connection to it.
fn private_session(tag: &str, args: &[&str]) -> (server::TestServer, Connection) {
    let server = server::start_private(&test_dir(tag), args);
    let db = Connection::open_remote(&server.url, "").unwrap();
    (server, db)
}

fn requests(server: &server::TestServer) -> usize {
    let log = server.request_log.as_ref().expect("request log");
    std::fs::read_to_string(log)
        .map(|s| s.lines().count())
        .unwrap_or(0)
}

fn int(db: &Connection, sql: &str) -> i64 {
    db.query_row(sql, [], |r| r.get(0)).unwrap()
}

/// The migration from the field: foreign keys off, rebuild the parent, foreign keys on.
fn migrate(db: &Connection) -> i64 {
    db.execute_batch(
        "CREATE TABLE parent(id INTEGER PRIMARY KEY, name TEXT);
         CREATE TABLE child(id INTEGER PRIMARY KEY,
                            parent_id INTEGER REFERENCES parent(id) ON DELETE CASCADE);
         INSERT INTO parent VALUES (1, 'a'), (2, 'b');
         INSERT INTO child VALUES (10, 1), (11, 2);",
    )
    .unwrap();
    db.execute("PRAGMA foreign_keys=ON", []).unwrap();
    db.execute("PRAGMA foreign_keys=OFF", []).unwrap();
    db.execute(
        "CREATE TABLE parent_new(id INTEGER PRIMARY KEY, name TEXT, extra TEXT)",
        [],
    )
    .unwrap();
    db.execute(
        "INSERT INTO parent_new(id, name) SELECT id, name FROM parent",
        [],
    )
    .unwrap();
    db.execute("DROP TABLE parent", []).unwrap();
    db.execute("ALTER TABLE parent_new RENAME TO parent", [])
        .unwrap();
    db.execute("PRAGMA foreign_keys=ON", []).unwrap();
    int(db, "SELECT count(*) FROM child")
}

#[test]
fn foreign_key_migration_keeps_every_child_row_as_locally() {
    let local = Connection::open_in_memory().unwrap();
    assert_eq!(migrate(&local), 2);
    let (_server, remote) = private_session("migration", &[]);
    assert_eq!(
        migrate(&remote),
        2,
        "DROP TABLE must not cascade with foreign_keys=OFF"
    );
}

#[test]
fn connection_state_persists_across_autocommit_statements() {
    let (_server, db) = private_session("state", &[]);
    db.execute_batch("PRAGMA foreign_keys=OFF").unwrap();
    assert_eq!(int(&db, "PRAGMA foreign_keys"), 0);
    db.execute_batch("PRAGMA foreign_keys=ON").unwrap();
    assert_eq!(int(&db, "PRAGMA foreign_keys"), 1);
    db.execute_batch("PRAGMA recursive_triggers=ON").unwrap();
    assert_eq!(int(&db, "PRAGMA recursive_triggers"), 1);

    db.execute("CREATE TEMP TABLE scratch(x)", []).unwrap();
    db.execute("INSERT INTO scratch VALUES (1), (2)", [])
        .unwrap();
    assert_eq!(db.changes(), 2);
    assert_eq!(int(&db, "SELECT count(*) FROM temp.scratch"), 2);
    db.execute("INSERT INTO scratch VALUES (3)", []).unwrap();
    assert_eq!(db.last_insert_rowid(), 3);

    // The usual open-time batch of applications, sent as written.
    let mode: String = db
        .query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal", "the server's journal mode");
    db.execute_batch(
        "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000;
         PRAGMA temp_store=MEMORY; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-4000;",
    )
    .unwrap();
    assert_eq!(int(&db, "PRAGMA busy_timeout"), 30000);
    assert_eq!(int(&db, "PRAGMA temp_store"), 2);
    assert_eq!(int(&db, "PRAGMA cache_size"), -4000);
    db.busy_timeout(Duration::from_millis(1234)).unwrap();
    assert_eq!(int(&db, "PRAGMA busy_timeout"), 1234);
}

/// Found by the remote differential: the stream of a connection dropped inside a transaction
/// was closed in the background, so a process that ended right after left the server's write
/// lock held until the stream expired, and the next writer got "database is locked".
#[test]
fn closing_inside_a_transaction_releases_the_write_lock_at_once() {
    let (server, setup) = private_session("close-tx", &[]);
    setup.execute_batch("CREATE TABLE t(x)").unwrap();
    for close in [true, false] {
        let a = Connection::open_remote(&server.url, "").unwrap();
        a.execute_batch("BEGIN IMMEDIATE; INSERT INTO t VALUES (1)")
            .unwrap();
        if close {
            a.close().map_err(|(_, e)| e).unwrap();
        } else {
            drop(a);
        }
        let b = Connection::open_remote(&server.url, "").unwrap();
        b.busy_timeout(Duration::ZERO).unwrap();
        b.execute("INSERT INTO t VALUES (2)", []).unwrap();
    }
    assert_eq!(
        int(&setup, "SELECT count(*) FROM t WHERE x = 1"),
        0,
        "rolled back"
    );
    assert_eq!(int(&setup, "SELECT count(*) FROM t WHERE x = 2"), 2);
}

#[test]
fn vacuum_runs_remotely() {
    let dir = test_dir("vacuum");
    let server = server::start_private(&dir, &[]);
    let db = Connection::open_remote(&server.url, "").unwrap();
    db.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1); DELETE FROM t;")
        .unwrap();
    db.execute_batch("VACUUM").unwrap();
    db.execute("VACUUM", []).unwrap();
    let target = dir.join("copy.db");
    let _ = std::fs::remove_file(&target);
    db.execute("VACUUM INTO ?1", [target.to_str().unwrap()])
        .unwrap();
    assert!(
        target.exists(),
        "VACUUM INTO writes the file on the server's machine"
    );
}

#[test]
fn each_call_is_at_most_one_request() {
    let (server, db) = private_session("requests", &[]);
    let mut last = requests(&server);
    let mut cost = |what: &str, expected: usize| {
        let now = requests(&server);
        assert_eq!(now - last, expected, "{what}");
        last = now;
    };
    db.execute_batch("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)")
        .unwrap();
    cost("execute_batch", 1);
    let batch: String = std::iter::once("BEGIN;".to_owned())
        .chain((0..1000).map(|i| format!("INSERT INTO t(v) VALUES ('v{i}');")))
        .chain(std::iter::once("COMMIT;".to_owned()))
        .collect();
    db.execute_batch(&batch).unwrap();
    cost("execute_batch of BEGIN + 1000 INSERTs + COMMIT", 1);
    assert_eq!(int(&db, "SELECT count(*) FROM t"), 1000);
    cost("query_row on new SQL", 1);
    let v: i64 = db
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(v, 0);
    cost("pragma_query_value", 1);
    let n = db
        .prepare("SELECT v FROM t WHERE id < 4")
        .unwrap()
        .query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .count();
    assert_eq!(n, 3);
    cost("prepare + query_map", 1);
    let stmt = db.prepare("SELECT v FROM t").unwrap();
    cost("prepare", 0);
    drop(stmt);
    let mut db = db;
    let tx = db.transaction().unwrap();
    cost("transaction()", 0);
    tx.execute("INSERT INTO t(v) VALUES ('in tx')", []).unwrap();
    cost(
        "first statement of a transaction (BEGIN travels with it)",
        1,
    );
    tx.commit().unwrap();
    cost("commit", 1);
    db.execute("UPDATE t SET v = 'x' WHERE id = 1", []).unwrap();
    cost("execute", 1);
    for id in 1..=3 {
        let mut stmt = db.prepare_cached("SELECT v FROM t WHERE id = ?1").unwrap();
        let _: String = stmt.query_row([id], |r| r.get(0)).unwrap();
        cost("cached statement run", 1);
    }

    // A fresh connection: prepare sends nothing; the first query also loads the shadow schema,
    // so later prepares report name errors at prepare time, as SQLite does.
    let fresh = Connection::open_remote(&server.url, "").unwrap();
    let mut stmt = fresh.prepare("SELECT v FROM t WHERE id = ?1").unwrap();
    cost("prepare on a fresh connection", 0);
    let v: String = stmt.query_row([2], |r| r.get(0)).unwrap();
    assert_eq!(v, "v1");
    cost("first query of a fresh connection", 1);
    assert_eq!(
        fresh.prepare("SELECT v, id FROM t").unwrap().column_names(),
        ["v", "id"]
    );
    cost("prepare checked on the shadow", 0);
    let err = fresh.prepare("SELECT nope FROM t").unwrap_err();
    assert!(matches!(err, Error::SqlInputError { .. }), "{err:?}");
    cost(
        "a prepare the shadow rejects is checked again after reloading it",
        1,
    );
}

#[test]
fn errors_name_the_statement_and_arrive_in_order() {
    let (_server, db) = private_session("errors", &[]);
    let err = db
        .execute_batch("CREATE TABLE a(x UNIQUE); INSERT INTO a VALUES (1); INSERT INTO a VALUES (1); CREATE TABLE b(y);")
        .unwrap_err();
    assert_eq!(
        err.sqlite_error_code(),
        Some(ErrorCode::ConstraintViolation),
        "{err:?}"
    );
    // The statements before the failing one ran; the ones after did not.
    assert_eq!(int(&db, "SELECT count(*) FROM a"), 1);
    let missing = db.query_row("SELECT count(*) FROM b", [], |r| r.get::<_, i64>(0));
    assert!(missing.is_err());
}

#[test]
fn nested_queries_on_one_connection() {
    let (_server, db) = private_session("nested", &[]);
    db.execute_batch(
        "CREATE TABLE t(id INTEGER PRIMARY KEY, v INTEGER);
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
         INSERT INTO t SELECT i, i * 2 FROM n;",
    )
    .unwrap();
    let mut outer = db.prepare("SELECT id FROM t ORDER BY id").unwrap();
    let mut rows = outer.query([]).unwrap();
    let mut seen = 0i64;
    while let Some(row) = rows.next().unwrap() {
        let id: i64 = row.get(0).unwrap();
        if id % 500 == 0 {
            let v: i64 = db
                .query_row("SELECT v FROM t WHERE id = ?1", [id], |r| r.get(0))
                .unwrap();
            assert_eq!(v, id * 2);
            db.execute("UPDATE t SET v = v WHERE id = ?1", [id])
                .unwrap();
        }
        seen += 1;
    }
    assert_eq!(seen, 2000);
}

/// A query left after its first rows (`query_row`, `exists`, a dropped `Rows`) on a result of
/// megabytes: its other rows are cut off instead of read (the socket is closed), and the
/// connection goes on as the same session, one request per call.
#[test]
fn a_query_left_early_keeps_the_session() {
    let (server, db) = private_session("left-early", &[]);
    db.execute_batch(
        "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT);
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
         INSERT INTO t SELECT i, printf('%0200d', i) FROM n;
         CREATE TEMP TABLE scratch(x);
         INSERT INTO scratch VALUES (7);
         PRAGMA foreign_keys = OFF;",
    )
    .unwrap();
    let before = requests(&server);
    let first: i64 = db
        .query_row("SELECT id FROM t ORDER BY id", [], |r| r.get(0))
        .unwrap();
    assert_eq!(first, 1);
    assert!(db.prepare("SELECT v FROM t").unwrap().exists([]).unwrap());
    {
        let mut stmt = db.prepare("SELECT id, v FROM t ORDER BY id DESC").unwrap();
        let mut rows = stmt.query([]).unwrap();
        let row = rows.next().unwrap().unwrap();
        assert_eq!(row.get::<_, i64>(0).unwrap(), 20000);
    }
    assert_eq!(int(&db, "SELECT x FROM scratch"), 7);
    assert_eq!(int(&db, "PRAGMA foreign_keys"), 0);
    assert_eq!(int(&db, "SELECT count(*) FROM t"), 20000);
    assert_eq!(requests(&server) - before, 6);
    // A cached statement run again after being left early starts from its first row.
    let mut stmt = db
        .prepare_cached("SELECT id FROM t WHERE id > ?1 ORDER BY id")
        .unwrap();
    for from in [0i64, 10, 19990] {
        let id: i64 = stmt.query_row([from], |r| r.get(0)).unwrap();
        assert_eq!(id, from + 1);
    }
}

/// Rows far longer than one chunk of the reply, with multi-byte text split at chunk boundaries
/// and short rows between them, arrive whole and unchanged.
#[test]
fn rows_longer_than_a_chunk_arrive_whole() {
    let (_server, db) = private_session("long-rows", &[]);
    db.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, b BLOB, s TEXT)", [])
        .unwrap();
    let blob =
        |id: usize| -> Vec<u8> { (0..3 << 20).map(|i| ((i * 7 + id) % 256) as u8).collect() };
    let text = |id: usize| -> String { format!("{id}é€𝄞").repeat(250_000) };
    for id in 0..4usize {
        if id.is_multiple_of(2) {
            db.execute(
                "INSERT INTO t VALUES (?1, ?2, ?3)",
                dbcompat::params![id as i64, blob(id), text(id)],
            )
            .unwrap();
        } else {
            db.execute("INSERT INTO t VALUES (?1, x'00ff', 'short')", [id as i64])
                .unwrap();
        }
    }
    let mut stmt = db.prepare("SELECT id, b, s FROM t ORDER BY id").unwrap();
    let rows: Vec<(i64, Vec<u8>, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(rows.len(), 4);
    for (id, b, s) in rows {
        let id = id as usize;
        if id.is_multiple_of(2) {
            assert!(b == blob(id), "row {id}: the blob changed on the way");
            assert!(s == text(id), "row {id}: the text changed on the way");
        } else {
            assert_eq!((b, s), (vec![0, 255], "short".to_owned()), "row {id}");
        }
    }
}
#[test]
fn expired_session_restores_settings_and_reports_lost_state() {
    let (_server, db) = private_session("expiry", &["--stream-ttl-secs", "1"]);
    db.execute_batch("PRAGMA foreign_keys=OFF; PRAGMA recursive_triggers=ON;")
        .unwrap();
    std::thread::sleep(Duration::from_millis(2500));
    assert_eq!(
        int(&db, "PRAGMA foreign_keys"),
        0,
        "restored on the new stream"
    );
    assert_eq!(int(&db, "PRAGMA recursive_triggers"), 1);

    db.execute("CREATE TEMP TABLE scratch(x)", []).unwrap();
    std::thread::sleep(Duration::from_millis(2500));
    let err = db
        .execute("INSERT INTO scratch VALUES (1)", [])
        .unwrap_err();
    assert!(format!("{err}").contains("TEMP"), "{err}");
    // The connection carries on, on a new session, with its settings.
    assert_eq!(int(&db, "PRAGMA foreign_keys"), 0);

    let mut db = db;
    db.execute_batch("CREATE TABLE t(x)").unwrap();
    let tx = db.transaction().unwrap();
    tx.execute("INSERT INTO t VALUES (1)", []).unwrap();
    std::thread::sleep(Duration::from_millis(2500));
    let err = tx.execute("INSERT INTO t VALUES (2)", []).unwrap_err();
    assert!(matches!(err, Error::SqliteFailure(..)), "{err:?}");
    assert!(format!("{err}").contains("transaction"), "{err}");
    drop(tx);
    assert!(db.is_autocommit());
    assert_eq!(
        int(&db, "SELECT count(*) FROM t"),
        0,
        "the lost transaction was rolled back"
    );
}

/// A setting is kept per database: one made for an attached database neither replaces the
/// main database's nor is replayed (the attachment itself is not), so the new session gets
/// the main database's and carries on.
#[test]
fn settings_of_an_attached_database_are_not_replayed() {
    let (_server, db) = private_session("attached-settings", &["--stream-ttl-secs", "1"]);
    db.execute_batch(
        "PRAGMA cache_size = -4000; ATTACH ':memory:' AS aux; PRAGMA aux.cache_size = 100; \
         PRAGMA aux.synchronous = OFF; DETACH aux; PRAGMA main.synchronous = FULL;",
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(2500));
    assert_eq!(int(&db, "PRAGMA cache_size"), -4000, "the main database's");
    assert_eq!(int(&db, "PRAGMA synchronous"), 2);
}

/// A setting or TEMP table behind a leading comment, or with comments inside, is session state
/// too (a migration file's statements often start with one): replayed, or reported lost,
/// after the stream expires.
#[test]
fn commented_settings_and_temp_tables_survive_expiry_as_state() {
    let (_server, db) = private_session("expiry-commented", &["--stream-ttl-secs", "1"]);
    db.execute(
        "-- migration 3: rebuild parent\nPRAGMA foreign_keys=OFF",
        [],
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(2500));
    assert_eq!(
        int(&db, "PRAGMA foreign_keys"),
        0,
        "restored on the new stream"
    );
    // Comments between the tokens of the assignment too.
    db.execute("PRAGMA recursive_triggers /* for the cascade */ = ON", [])
        .unwrap();
    std::thread::sleep(Duration::from_millis(2500));
    assert_eq!(int(&db, "PRAGMA recursive_triggers"), 1, "restored");
    assert_eq!(int(&db, "PRAGMA foreign_keys"), 0, "still restored");
    db.execute("/* scratch */ CREATE TEMP TABLE scratch(x)", [])
        .unwrap();
    std::thread::sleep(Duration::from_millis(2500));
    let err = db
        .execute("INSERT INTO scratch VALUES (1)", [])
        .unwrap_err();
    assert!(format!("{err}").contains("TEMP"), "{err}");
}

/// `(foreign_keys, defer_foreign_keys)` as the connection reads them.
fn fk_settings(db: &Connection) -> (i64, i64) {
    (
        int(db, "PRAGMA foreign_keys"),
        int(db, "PRAGMA defer_foreign_keys"),
    )
}

/// Settings a transaction ignores or ends, set the ways applications set them: SQLite ignores
/// `foreign_keys` inside a transaction (a migration tool's transaction, typically) and turns
/// `defer_foreign_keys` off at every COMMIT or ROLLBACK. `pause` runs after each case; the
/// readings after it must be what they were before, and what a local connection reads.
fn transaction_scoped_settings(db: &mut Connection, pause: &dyn Fn()) -> Vec<(i64, i64)> {
    let mut seen = vec![fk_settings(db)];
    let note = |db: &Connection, seen: &mut Vec<(i64, i64)>| {
        seen.push(fk_settings(db));
        pause();
        seen.push(fk_settings(db));
    };
    // A migration inside the tool's transaction, as one batch.
    let tx = db.transaction().unwrap();
    tx.execute_batch("PRAGMA foreign_keys = OFF; PRAGMA defer_foreign_keys = ON; CREATE TABLE IF NOT EXISTS a(x);")
        .unwrap();
    tx.commit().unwrap();
    note(db, &mut seen);
    // BEGIN and COMMIT inside the batch, statement by statement around it.
    db.execute_batch("BEGIN; PRAGMA foreign_keys = OFF; PRAGMA defer_foreign_keys = 1; COMMIT;")
        .unwrap();
    db.execute("BEGIN", []).unwrap();
    db.execute("PRAGMA foreign_keys = OFF", []).unwrap();
    db.execute("COMMIT", []).unwrap();
    note(db, &mut seen);
    // Off outside a transaction (it holds), then ON inside one (ignored), rolled back.
    db.execute("PRAGMA foreign_keys = OFF", []).unwrap();
    let tx = db.transaction().unwrap();
    tx.pragma_update(None, "foreign_keys", true).unwrap();
    tx.rollback().unwrap();
    note(db, &mut seen);
    // A savepoint opened and released in one batch, then a setting after it that holds.
    db.execute_batch(
        "SAVEPOINT s1; PRAGMA foreign_keys = ON; RELEASE s1; PRAGMA foreign_keys = ON;",
    )
    .unwrap();
    note(db, &mut seen);
    seen
}

/// A setting SQLite ignored, or turned off at the end of its transaction, must not come back
/// when the connection's session is replaced: replaying it would silently change how
/// constraints are enforced for the rest of the connection's life.
#[test]
fn settings_a_transaction_ignores_or_ends_are_not_replayed() {
    let mut local = Connection::open_in_memory().unwrap();
    let expected = transaction_scoped_settings(&mut local, &|| {});
    assert_eq!(
        expected,
        [
            (1, 0),
            (1, 0),
            (1, 0),
            (1, 0),
            (1, 0),
            (0, 0),
            (0, 0),
            (1, 0),
            (1, 0)
        ],
        "SQLite's own behaviour"
    );
    let dir = test_dir("tx-settings");
    let server = server::start_private(&dir, &["--stream-ttl-secs", "1"]);
    let expire = || std::thread::sleep(Duration::from_millis(2500));
    let mut remote = Connection::open_remote(&server.url, "").unwrap();
    assert_eq!(transaction_scoped_settings(&mut remote, &expire), expected);
    let mut replica = Connection::open_replica(dir.join("replica.db"), &server.url, "").unwrap();
    assert_eq!(
        transaction_scoped_settings(&mut replica, &expire),
        expected,
        "embedded replica"
    );
}

/// TEMP objects made and removed the ways applications do it; `pause` runs where nothing of
/// the session should be left for a new one to lack. Each step's outcome, as text.
fn temp_objects_made_and_removed(db: &Connection, pause: &dyn Fn()) -> Vec<String> {
    let run = |sql: &str| match db.execute_batch(sql) {
        Ok(()) => "ok".to_owned(),
        Err(e) => format!("{:?}: {e}", e.sqlite_error_code()),
    };
    let count = |sql: &str| match db.query_row(sql, [], |r| r.get::<_, i64>(0)) {
        Ok(n) => n.to_string(),
        Err(e) => format!("{:?}: {e}", e.sqlite_error_code()),
    };
    let mut seen = vec![
        run("CREATE TABLE temp.y(x); INSERT INTO temp.y VALUES (1), (2)"),
        count("SELECT count(*) FROM temp.y"),
        count("SELECT count(*) FROM y"),
        run("DROP TABLE temp.y; CREATE TEMP TABLE z(x); DROP TABLE z"),
    ];
    pause();
    seen.push(count("SELECT 1"));
    seen.push(run("BEGIN; CREATE TEMP TABLE w(x); ROLLBACK"));
    seen.push(run("ATTACH ':memory:' AS aux; DETACH aux"));
    pause();
    seen.push(count("SELECT 2"));
    seen
}

/// The server says whether the session holds TEMP objects or attached databases: one dropped,
/// rolled back or detached is not reported lost when the session is replaced, one made as
/// `temp.name` is (and an embedded replica reads it from the server's session).
#[test]
fn temp_objects_are_the_servers_count() {
    let expected = temp_objects_made_and_removed(&Connection::open_in_memory().unwrap(), &|| {});
    assert_eq!(expected, ["ok", "2", "2", "ok", "1", "ok", "ok", "2"]);
    let dir = test_dir("temp-objects");
    let server = server::start_private(&dir, &["--stream-ttl-secs", "1"]);
    let expire = || std::thread::sleep(Duration::from_millis(2500));
    let remote = Connection::open_remote(&server.url, "").unwrap();
    assert_eq!(temp_objects_made_and_removed(&remote, &expire), expected);
    let replica = Connection::open_replica(dir.join("replica.db"), &server.url, "").unwrap();
    assert_eq!(
        temp_objects_made_and_removed(&replica, &expire),
        expected,
        "embedded replica"
    );
    for db in [&remote, &replica] {
        db.execute("CREATE TABLE temp.kept(x)", []).unwrap();
        expire();
        let err = db
            .execute("INSERT INTO temp.kept VALUES (1)", [])
            .unwrap_err();
        assert_eq!(
            err.sqlite_error_code(),
            Some(ErrorCode::OperationAborted),
            "{err}"
        );
        assert!(format!("{err}").contains("lost: TEMP objects"), "{err}");
    }
}

/// What `prepare` reports, as text: `readonly()` of each statement, the error of a statement
/// that fails at prepare (its SQL is all the text given), and a schema change made through a
/// query, seen by the next `prepare`.
fn what_prepare_reports(db: &Connection) -> Vec<String> {
    db.execute_batch("CREATE TABLE t(x); CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END;")
        .unwrap();
    let statements = [
        "CREATE TABLE IF NOT EXISTS t(x)",
        "CREATE TABLE IF NOT EXISTS u(x)",
        "DROP TABLE IF EXISTS missing",
        "DROP TABLE IF EXISTS t",
        "CREATE TRIGGER IF NOT EXISTS tr AFTER INSERT ON t BEGIN SELECT 1; END",
        "PRAGMA case_sensitive_like = ON",
        "PRAGMA foreign_keys(0)",
        "PRAGMA user_version = 3",
        "PRAGMA main.user_version(4)",
        "PRAGMA user_version",
        "PRAGMA journal_mode",
        "PRAGMA table_info(t)",
        "EXPLAIN INSERT INTO t VALUES (1)",
        "EXPLAIN QUERY PLAN SELECT * FROM t",
    ];
    let mut seen: Vec<String> = statements
        .iter()
        .map(|sql| format!("{sql}: {:?}", db.prepare(sql).map(|s| s.readonly())))
        .collect();
    let err = db.prepare("CREATE TABLE t(y); SELECT 1").err();
    seen.push(format!("{err:?}"));
    let mut add = db.prepare("ALTER TABLE t ADD COLUMN d").unwrap();
    seen.push(format!(
        "{:?}",
        add.query([]).unwrap().next().map(|r| r.is_none())
    ));
    drop(add);
    seen.push(format!(
        "{:?}",
        db.prepare("ALTER TABLE t ADD COLUMN d").err()
    ));
    // DDL behind a comment (a migration file's first line) changes what prepare sees at once.
    db.execute("-- 0003: add a column\nALTER TABLE t ADD COLUMN e", [])
        .unwrap();
    seen.push(format!(
        "{:?}",
        db.prepare("SELECT * FROM t").unwrap().column_names()
    ));
    db.execute("/* retire */ DROP TABLE t", []).unwrap();
    seen.push(format!("{:?}", db.prepare("SELECT * FROM t").err()));
    db.execute_batch("-- 0004\nCREATE TABLE v(a, b);").unwrap();
    seen.push(format!(
        "{:?}",
        db.prepare("SELECT * FROM v").unwrap().column_names()
    ));
    seen
}

#[test]
fn prepare_reports_as_locally() {
    let expected = what_prepare_reports(&Connection::open_in_memory().unwrap());
    // SQLite's own answers: an existing trigger's `IF NOT EXISTS` is read-only, an existing
    // table's is not; setting a connection's option is read-only, `user_version` is not.
    assert!(expected[0].ends_with("Ok(false)"), "{expected:?}");
    assert!(expected[4].ends_with("Ok(true)"), "{expected:?}");
    assert!(expected[5].ends_with("Ok(true)"), "{expected:?}");
    assert!(expected[8].ends_with("Ok(false)"), "{expected:?}");
    // An EXPLAIN is as read-only as what it explains.
    assert!(expected[12].ends_with("Ok(false)"), "{expected:?}");
    assert!(expected[14].contains("SELECT 1"), "{expected:?}");
    assert!(
        expected[16].contains("duplicate column name"),
        "{expected:?}"
    );
    assert!(expected[17].contains("\"e\""), "{expected:?}");
    assert!(expected[18].contains("no such table"), "{expected:?}");
    let (_server, remote) = private_session("prepare-reports", &[]);
    assert_eq!(what_prepare_reports(&remote), expected);
}

#[test]
fn server_killed_mid_session_fails_fast_then_recovers() {
    let dir = test_dir("killed");
    let bin = server::server_binary();
    let first = server::start_with_binary(&bin, &dir, &[], None);
    let port: u16 = first.url.rsplit(':').next().unwrap().parse().unwrap();
    let db = Connection::open_remote(&first.url, "").unwrap();
    db.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1); PRAGMA foreign_keys=OFF;")
        .unwrap();
    drop(first); // kills the server
    let started = std::time::Instant::now();
    let err = db.execute("INSERT INTO t VALUES (2)", []).unwrap_err();
    assert_eq!(
        err.sqlite_error_code(),
        Some(ErrorCode::CannotOpen),
        "{err:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(30), "bounded time");
    let _second = server::start_with_binary(&bin, &dir, &[], Some(port));
    // The restarted server does not know the stream: a new one, with the settings replayed.
    assert_eq!(int(&db, "SELECT count(*) FROM t"), 1);
    assert_eq!(int(&db, "PRAGMA foreign_keys"), 0);
}

/// A call that times out (`DBCOMPAT_REMOTE_TIMEOUT_MS`) fails with the timeout error; its
/// reply, and the session's next baton with it, are lost. The next call then says so: a lost
/// TEMP table or open transaction is reported once, naming the lost reply as the cause, the
/// settings are replayed, and the transaction's writes are gone. Run in a child process (this
/// test alone) because the timeout is read once per process.
#[test]
fn a_call_that_timed_out_reports_its_lost_session() {
    const SLOW: &str = "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c \
                        WHERE i < 20000000) SELECT count(*) FROM c";
    let Ok(url) = std::env::var("DBCOMPAT_TIMEOUT_URL") else {
        let (server, _db) = private_session("timeout", &[]);
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "a_call_that_timed_out_reports_its_lost_session",
                "--exact",
                "--nocapture",
            ])
            .env("DBCOMPAT_TIMEOUT_URL", &server.url)
            .env("DBCOMPAT_REMOTE_TIMEOUT_MS", "400")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        return;
    };
    let timed_out = |err: Error| {
        assert_eq!(
            err.sqlite_error_code(),
            Some(ErrorCode::DatabaseBusy),
            "{err:?}"
        );
        assert!(format!("{err}").contains("did not answer"), "{err}");
    };
    let lost = |err: Error, what: &str| {
        assert_eq!(
            err.sqlite_error_code(),
            Some(ErrorCode::OperationAborted),
            "{err:?}"
        );
        let text = format!("{err}");
        assert!(
            text.contains("reply was lost") && text.contains(what),
            "{text}"
        );
    };
    let mut db = Connection::open_remote(&url, "").unwrap();
    db.execute_batch("PRAGMA foreign_keys=OFF; CREATE TEMP TABLE scratch(x); CREATE TABLE t(x);")
        .unwrap();
    timed_out(db.query_row(SLOW, [], |r| r.get::<_, i64>(0)).unwrap_err());
    lost(
        db.execute("INSERT INTO scratch VALUES (1)", [])
            .unwrap_err(),
        "TEMP",
    );
    assert_eq!(int(&db, "PRAGMA foreign_keys"), 0, "replayed");

    let tx = db.transaction().unwrap();
    tx.execute("INSERT INTO t VALUES (1)", []).unwrap();
    timed_out(tx.query_row(SLOW, [], |r| r.get::<_, i64>(0)).unwrap_err());
    lost(
        tx.execute("INSERT INTO t VALUES (2)", []).unwrap_err(),
        "an open transaction",
    );
    drop(tx);
    assert!(db.is_autocommit());
    assert_eq!(int(&db, "SELECT count(*) FROM t"), 0, "rolled back");
    assert_eq!(int(&db, "PRAGMA foreign_keys"), 0);
}

/// Rows of a large result arrive while the caller iterates: the client's peak memory grows by
/// far less than the result's size. Measured in a child process (this test binary, re-run on
/// this test alone), so other tests don't disturb the figure.
#[test]
fn million_row_scan_keeps_client_memory_flat() {
    const ROWS: i64 = 1_000_000;
    if let Ok(url) = std::env::var("DBCOMPAT_SCAN_URL") {
        let db = Connection::open_remote(&url, "").unwrap();
        assert_eq!(int(&db, "SELECT count(*) FROM big"), ROWS);
        let before = peak_rss_kib();
        let mut stmt = db.prepare("SELECT id, v FROM big").unwrap();
        let mut rows = stmt.query([]).unwrap();
        let (mut n, mut bytes) = (0i64, 0usize);
        while let Some(row) = rows.next().unwrap() {
            let v: String = row.get(1).unwrap();
            bytes += v.len() + 8;
            n += 1;
        }
        assert_eq!(n, ROWS);
        println!(
            "SCAN rows={n} payload_kib={} peak_growth_kib={}",
            bytes / 1024,
            peak_rss_kib() - before
        );
        return;
    }
    let (server, db) = private_session("scan", &[]);
    db.execute_batch(&format!(
        "CREATE TABLE big(id INTEGER PRIMARY KEY, v TEXT);
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {ROWS})
         INSERT INTO big SELECT i, printf('%040d', i) FROM n;"
    ))
    .unwrap();
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "million_row_scan_keeps_client_memory_flat",
            "--exact",
            "--nocapture",
        ])
        .env("DBCOMPAT_SCAN_URL", &server.url)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line = stdout
        .lines()
        .find(|l| l.starts_with("SCAN "))
        .expect("scan report");
    println!("{line}");
    let field = |name: &str| -> i64 {
        line.split_whitespace()
            .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('=')?.parse().ok())
            .unwrap()
    };
    let (payload, growth) = (field("payload_kib"), field("peak_growth_kib"));
    // The values alone are ~47 MiB; holding the result would cost several times that.
    assert!(
        growth < payload / 4,
        "peak RSS grew {growth} KiB for {payload} KiB of rows"
    );
}

/// The process's peak resident set (VmHWM), in KiB.
fn peak_rss_kib() -> i64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

/// A connection opened with `SQLITE_OPEN_READ_ONLY` refuses writes with the error a read-only
/// file gives, keeps refusing after `PRAGMA query_only = 0` and after the server expired its
/// session, and reads as usual.
#[test]
fn read_only_open_refuses_writes() {
    let dir = test_dir("readonly");
    let server = server::start_private(&dir, &["--stream-ttl-secs", "1"]);
    let writer = Connection::open(&server.url).unwrap();
    writer
        .execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1)")
        .unwrap();
    let db = Connection::open_with_flags(&server.url, dbcompat::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .unwrap();
    assert!(db.is_readonly(dbcompat::MAIN_DB).unwrap());
    assert!(!writer.is_readonly(dbcompat::MAIN_DB).unwrap());
    let refused = |db: &Connection, sql: &str| {
        let err = db.execute_batch(sql).unwrap_err();
        assert_eq!(
            err.sqlite_error().map(|e| (e.code, e.extended_code)),
            Some((ErrorCode::ReadOnly, 8)),
            "{sql}: {err:?}"
        );
        assert_eq!(err.to_string(), "attempt to write a readonly database");
    };
    refused(&db, "INSERT INTO t VALUES (2)");
    refused(&db, "CREATE TABLE u(y)");
    refused(&db, "PRAGMA query_only = 0; INSERT INTO t VALUES (3)");
    db.execute("PRAGMA query_only = OFF", []).unwrap();
    refused(&db, "DELETE FROM t");
    // However the assignment is written: comments between its tokens, a quoted name.
    for off in [
        "PRAGMA /* on? */ query_only = 0",
        "PRAGMA query_only -- on?\n = 0",
        "PRAGMA \"query_only\" = 0",
    ] {
        db.execute(off, []).unwrap();
        refused(&db, "INSERT INTO t VALUES (3)");
    }
    std::thread::sleep(Duration::from_millis(2500));
    refused(&db, "UPDATE t SET x = 4");
    assert_eq!(int(&db, "SELECT count(*) FROM t"), 1);
    assert_eq!(int(&writer, "SELECT sum(x) FROM t"), 1);

    let err = Connection::open_with_flags(&server.url, dbcompat::OpenFlags::SQLITE_OPEN_CREATE)
        .unwrap_err();
    assert_eq!(
        err.sqlite_error_code(),
        Some(ErrorCode::ApiMisuse),
        "{err:?}"
    );
    let rw = Connection::open_with_flags(&server.url, dbcompat::OpenFlags::SQLITE_OPEN_READ_WRITE)
        .unwrap();
    rw.execute("INSERT INTO t VALUES (5)", []).unwrap();
    assert_eq!(int(&db, "SELECT sum(x) FROM t"), 6);
}

/// Values Hrana's JSON cannot carry are never silently changed: binding ±inf or invalid UTF-8
/// text is refused before anything is sent, and an infinite REAL stored on the server reads as
/// an error, not as NULL or another number.
#[test]
fn values_json_cannot_carry_are_errors_not_changed() {
    struct RawText(&'static [u8]);
    impl dbcompat::ToSql for RawText {
        fn to_sql(&self) -> dbcompat::Result<dbcompat::types::ToSqlOutput<'_>> {
            Ok(dbcompat::types::ToSqlOutput::Borrowed(
                dbcompat::types::ValueRef::Text(self.0),
            ))
        }
    }
    let (_server, db) = private_session("json-values", &[]);
    db.execute_batch("CREATE TABLE t(x)").unwrap();
    for inf in [f64::INFINITY, f64::NEG_INFINITY] {
        let err = db.execute("INSERT INTO t VALUES (?1)", [inf]).unwrap_err();
        assert!(matches!(err, Error::ToSqlConversionFailure(_)), "{err:?}");
    }
    let err = db
        .execute("INSERT INTO t VALUES (?1)", [RawText(b"\xffA")])
        .unwrap_err();
    assert!(matches!(err, Error::ToSqlConversionFailure(_)), "{err:?}");
    assert_eq!(int(&db, "SELECT count(*) FROM t"), 0);

    db.execute_batch("INSERT INTO t VALUES (1e999)").unwrap();
    let read = db.query_row("SELECT x FROM t", [], |r| {
        r.get::<_, dbcompat::types::Value>(0)
    });
    assert!(read.is_err(), "an infinite REAL must not read as {read:?}");
    assert_eq!(int(&db, "SELECT count(*) FROM t WHERE x > 1e308"), 1);
}

/// An interrupt stops a remote read at its next row, and a pending interrupt is forgotten
/// when the next statement starts, as in SQLite.
#[test]
fn interrupt_stops_a_remote_read_at_the_next_row() {
    let (_server, db) = private_session("interrupt", &[]);
    let handle = db.get_interrupt_handle();
    let mut st = db
        .prepare("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 5000) SELECT x FROM c")
        .unwrap();
    let mut rows = st.query([]).unwrap();
    assert_eq!(rows.next().unwrap().unwrap().get::<_, i64>(0).unwrap(), 1);
    handle.interrupt();
    assert!(db.is_interrupted());
    let err = rows.next().unwrap_err();
    assert_eq!(
        err.sqlite_error_code(),
        Some(ErrorCode::OperationInterrupted)
    );
    drop(rows);
    drop(st);
    assert_eq!(int(&db, "SELECT 7"), 7, "the next statement runs");
    assert!(!db.is_interrupted());
}
