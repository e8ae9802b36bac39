//! `Connection::open_from_env`: local, remote or an embedded replica, chosen by environment
//! variables, against the loopback primary. The tests change this process's environment, so
//! they hold one lock each (and live in a test binary of their own).

#[path = "../compat-tests/server.rs"]
mod server;

use dbcompat::ffi::ErrorCode;
use dbcompat::Connection;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const VARS: [&str; 6] = [
    "LIBSQL_URL",
    "TURSO_DATABASE_URL",
    "DBCOMPAT_REPLICA",
    "DBCOMPAT_SYNC_INTERVAL_MS",
    "DBCOMPAT_READ_YOUR_WRITES",
    "LIBSQL_AUTH_TOKEN",
];

/// Runs `f` with exactly `vars` set among `VARS`, one test at a time.
fn with_env<T>(vars: &[(&str, &str)], f: impl FnOnce() -> T) -> T {
    static ENV: Mutex<()> = Mutex::new(());
    let _guard = ENV.lock().unwrap_or_else(|p| p.into_inner());
    for name in VARS {
        std::env::remove_var(name);
    }
    for (name, value) in vars {
        std::env::set_var(name, value);
    }
    let out = f();
    for name in VARS {
        std::env::remove_var(name);
    }
    out
}

fn test_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dbcompat-env-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn count(db: &Connection) -> i64 {
    db.query_row("SELECT count(*) FROM t", [], |r| r.get(0))
        .unwrap()
}

/// A fresh primary holding `t` with two rows.
fn primary(dir: &std::path::Path) -> (server::TestServer, Connection) {
    let server = server::start_private(&dir.join("server"), &[]);
    let conn = Connection::open_remote(&server.url, "").unwrap();
    conn.execute_batch(
        "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t(v) VALUES ('a'), ('b');",
    )
    .unwrap();
    (server, conn)
}

#[test]
fn replica_flag_opens_a_synced_embedded_replica_at_the_fallback_path() {
    let dir = test_dir("replica");
    let (server, primary) = primary(&dir);
    let path = dir.join("replica.db");
    let replica = with_env(
        &[("LIBSQL_URL", &server.url), ("DBCOMPAT_REPLICA", "1")],
        || Connection::open_from_env(&path).unwrap(),
    );
    assert_eq!(
        replica.path(),
        path.to_str(),
        "the fallback path is the replica file"
    );
    assert!(path.exists(), "the replica keeps a local file");
    assert_eq!(
        count(&replica),
        2,
        "synced at open: the primary's rows are there"
    );

    primary
        .execute("INSERT INTO t(v) VALUES ('from the primary')", [])
        .unwrap();
    assert_eq!(count(&replica), 2, "reads are local until the next sync");
    replica.sync().unwrap();
    assert_eq!(count(&replica), 3);

    replica
        .execute("INSERT INTO t(v) VALUES ('from the replica')", [])
        .unwrap();
    assert_eq!(
        count(&replica),
        4,
        "read-your-writes: synced after the write"
    );
    assert_eq!(count(&primary), 4, "the write went to the primary");
}

#[test]
fn turso_variable_names_and_a_sync_interval_pull_changes_in_the_background() {
    let dir = test_dir("interval");
    let (server, primary) = primary(&dir);
    let path = dir.join("replica.db");
    let replica = with_env(
        &[
            ("TURSO_DATABASE_URL", &server.url),
            ("DBCOMPAT_REPLICA", "true"),
            ("DBCOMPAT_SYNC_INTERVAL_MS", "100"),
        ],
        || Connection::open_from_env(&path).unwrap(),
    );
    assert_eq!(count(&replica), 2);
    primary
        .execute("INSERT INTO t(v) VALUES ('pulled in the background')", [])
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while count(&replica) != 3 {
        assert!(
            Instant::now() < deadline,
            "the periodic sync never pulled the new row"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn without_the_replica_flag_a_url_is_remote_and_no_url_is_local() {
    let dir = test_dir("modes");
    let url = server::shared().url.clone();
    let remote = with_env(&[("LIBSQL_URL", &url), ("DBCOMPAT_REPLICA", "0")], || {
        Connection::open_from_env(dir.join("unused.db")).unwrap()
    });
    assert_eq!(remote.path(), Some(url.as_str()));
    assert!(!dir.join("unused.db").exists());

    let local_path = dir.join("local.db");
    let local = with_env(&[("DBCOMPAT_SYNC_INTERVAL_MS", "not read")], || {
        Connection::open_from_env(&local_path).unwrap()
    });
    assert_eq!(local.path(), local_path.to_str());
    assert!(local_path.exists());
    assert_eq!(
        local.sync().unwrap_err().sqlite_error_code(),
        Some(ErrorCode::ApiMisuse),
        "a local file is not a replica to sync"
    );
}

#[test]
fn values_that_are_not_understood_are_clear_open_errors() {
    let dir = test_dir("bad");
    let url = server::shared().url.clone();
    let cases: [(&[(&str, &str)], &str); 4] = [
        (
            &[("LIBSQL_URL", &url), ("DBCOMPAT_REPLICA", "maybe")],
            "DBCOMPAT_REPLICA=\"maybe\"",
        ),
        (&[("DBCOMPAT_REPLICA", "1")], "needs the primary's URL"),
        (
            &[
                ("LIBSQL_URL", &url),
                ("DBCOMPAT_REPLICA", "yes"),
                ("DBCOMPAT_SYNC_INTERVAL_MS", "5s"),
            ],
            "DBCOMPAT_SYNC_INTERVAL_MS=\"5s\"",
        ),
        (
            &[
                ("LIBSQL_URL", &url),
                ("DBCOMPAT_REPLICA", "on"),
                ("DBCOMPAT_READ_YOUR_WRITES", "sometimes"),
            ],
            "DBCOMPAT_READ_YOUR_WRITES=\"sometimes\"",
        ),
    ];
    for (vars, expected) in cases {
        let err = with_env(vars, || {
            Connection::open_from_env(dir.join("r.db")).unwrap_err()
        });
        assert_eq!(
            err.sqlite_error_code(),
            Some(ErrorCode::CannotOpen),
            "{err}"
        );
        assert!(err.to_string().contains(expected), "{err}");
    }
    assert!(!dir.join("r.db").exists(), "nothing was opened");
}

/// Found by running the notes app on a replica (scripts/latency.sh): every search returned the
/// first search's hits. libsql's local `Statement::query` binds without resetting, so on a
/// replica the second run of a statement keeps the first run's parameters (the binds fail
/// with SQLITE_MISUSE unseen, and SQLite auto-resets the finished statement at step).
/// `RemoteStatement::step` now resets the libsql statement before each run.
#[test]
fn a_replica_reruns_a_statement_with_its_new_parameters() {
    let dir = test_dir("rebind");
    let (server, _primary) = primary(&dir);
    let path = dir.join("replica.db");
    let replica = with_env(
        &[("LIBSQL_URL", &server.url), ("DBCOMPAT_REPLICA", "1")],
        || Connection::open_from_env(&path).unwrap(),
    );
    let mut stmt = replica.prepare("SELECT v FROM t WHERE id = ?1").unwrap();
    let first: String = stmt.query_row([1], |r| r.get(0)).unwrap();
    let second: String = stmt.query_row([2], |r| r.get(0)).unwrap();
    assert_eq!((first.as_str(), second.as_str()), ("a", "b"));
}
