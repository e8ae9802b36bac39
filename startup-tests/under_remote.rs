//! The start-up scenarios under dbcompat on remote connections: each scenario's connection is
//! a Hrana connection to a private test server started with `--sqlite-vec` (the way sqld is
//! started with the extension in `--extensions-path`), so the process-level calls must leave
//! both remote opens and the remote syntax pre-check (a scratch local engine) working.
extern crate dbcompat as rusqlite;

/// The connection under test is remote: the application's auto-extensions never reach it.
pub const LOCAL: bool = false;

/// Set by the parent process for every scenario process.
const URL_VAR: &str = "DBCOMPAT_STARTUP_URL";
/// The parent's scratch directory (server files, replicas), removed after the run.
const DIR_VAR: &str = "DBCOMPAT_STARTUP_DIR";

/// The connection each scenario opens after its process-level calls.
pub fn open() -> rusqlite::Result<rusqlite::Connection> {
    let url = std::env::var(URL_VAR).expect("run by the startup runner");
    rusqlite::Connection::open_remote(&url, "")
}

/// Where the sqlite-vec scenarios run their `vec0` checks: the server's own sqlite-vec.
pub fn open_vec() -> rusqlite::Result<rusqlite::Connection> {
    open()
}

#[macro_use]
#[path = "runner.rs"]
mod runner;
#[path = "scenarios.rs"]
mod scenarios;
#[path = "../compat-tests/server.rs"]
mod server;
#[path = "vec.rs"]
mod vec;

/// Remote connections check SQL syntax on a scratch local engine (rusqlite's exact
/// `SqlInputError`); that check must come back once local opens work again.
const SYNTAX: &[runner::Scenario] = &[scenario!(syntax_check_recovers_after_refused_local_open)];

unsafe extern "C" fn refusing_init(
    _db: *mut rusqlite::ffi::sqlite3,
    _err: *mut *mut std::ffi::c_char,
    _api: *const rusqlite::ffi::sqlite3_api_routines,
) -> std::ffi::c_int {
    rusqlite::ffi::SQLITE_ERROR
}

fn syntax_check_recovers_after_refused_local_open() {
    unsafe { rusqlite::auto_extension::register_auto_extension(refusing_init) }.unwrap();
    let db = open().unwrap();
    let refused = db.prepare("SELEC 1").expect_err("syntax error");
    assert!(refused.to_string().contains("syntax error"), "{refused}");
    assert!(rusqlite::auto_extension::cancel_auto_extension(
        refusing_init
    ));
    match db.prepare("SELEC 1") {
        Err(rusqlite::Error::SqlInputError { msg, offset, .. }) => {
            assert_eq!(msg, "near \"SELEC\": syntax error");
            assert_eq!(offset, 0);
        }
        other => panic!("expected SqlInputError, got {:?}", other.err()),
    }
}

/// Embedded replicas build libsql's own local database, whose one-time setup asserts on the
/// engine's configuration: it must hold after the application's start-up calls too.
const REPLICA: &[runner::Scenario] = &[
    scenario!(replica_after_sqlite_vec_registration),
    scenario!(replica_after_initialize_and_heap_limit),
    scenario!(replica_after_engine_initialised_elsewhere),
];

#[allow(clippy::missing_transmute_annotations)] // sqlite-vec's README pattern
fn replica_after_sqlite_vec_registration() {
    unsafe {
        rusqlite::ffi::sqlite3_auto_extension(Some(std::mem::transmute::<*const (), _>(
            sqlite_vec::sqlite3_vec_init as *const (),
        )));
    }
    let replica = synced_replica("replica_vec");
    // Replica reads run on the local engine, where the application registered sqlite-vec.
    let v: String = replica
        .query_row("SELECT vec_version()", [], |r| r.get(0))
        .unwrap();
    assert!(v.starts_with('v'), "{v}");
}

fn replica_after_initialize_and_heap_limit() {
    unsafe {
        assert_eq!(
            rusqlite::ffi::sqlite3_initialize(),
            rusqlite::ffi::SQLITE_OK
        );
        rusqlite::ffi::sqlite3_soft_heap_limit64(64 << 20);
    }
    synced_replica("replica_init");
}

fn replica_after_engine_initialised_elsewhere() {
    // An allocation initialises the engine before dbcompat could let libsql configure it;
    // libsql's setup for a sync-v2 replica can then only fail. It must be a clear error, twice,
    // and never take local or remote opens down with it.
    unsafe { rusqlite::ffi::sqlite3_free(rusqlite::ffi::sqlite3_malloc(64)) };
    let dir = std::path::Path::new(&std::env::var(DIR_VAR).unwrap()).join("replica_foreign");
    std::fs::create_dir_all(&dir).unwrap();
    let url = std::env::var(URL_VAR).unwrap();
    for _ in 0..2 {
        let opened = rusqlite::Connection::open_replica(dir.join("replica.db"), &url, "");
        match opened {
            Err(rusqlite::Error::SqliteFailure(e, Some(msg))) => {
                assert_eq!(e.code, rusqlite::ErrorCode::CannotOpen);
                assert!(msg.contains("initialised before dbcompat"), "{msg}");
            }
            other => panic!("expected CannotOpen, got {other:?}"),
        }
    }
    let n: i64 = rusqlite::Connection::open_in_memory()
        .unwrap()
        .query_row("SELECT 1", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 1);
    let n: i64 = open()
        .unwrap()
        .query_row("SELECT 2", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 2);
}

/// Writes a row through a remote connection, then opens a new embedded replica of the same
/// server, syncs it and reads the row locally.
fn synced_replica(table: &str) -> rusqlite::Connection {
    let primary = open().unwrap();
    primary
        .execute_batch(&format!(
            "DROP TABLE IF EXISTS {table}; CREATE TABLE {table}(x); INSERT INTO {table} VALUES (11)"
        ))
        .unwrap();
    // Inside the parent's directory, which it removes at the end of the run.
    let dir = std::path::Path::new(&std::env::var(DIR_VAR).unwrap()).join(table);
    std::fs::create_dir_all(&dir).unwrap();
    let url = std::env::var(URL_VAR).unwrap();
    let replica = rusqlite::Connection::open_replica(dir.join("replica.db"), &url, "").unwrap();
    replica.sync().unwrap();
    let x: i64 = replica
        .query_row(&format!("SELECT x FROM {table}"), [], |r| r.get(0))
        .unwrap();
    assert_eq!(x, 11);
    replica
}

fn main() {
    let dir = std::env::temp_dir().join(format!("dbcompat-startup-{}", std::process::id()));
    // Only the parent starts a server; scenario processes get its URL.
    let server = std::env::var(URL_VAR)
        .is_err()
        .then(|| server::start_private(&dir, &["--sqlite-vec"]));
    let url = server.as_ref().map(|s| s.url.clone()).unwrap_or_default();
    let code = runner::run(
        "startup[dbcompat-remote]",
        &[scenarios::ALL, SYNTAX, REPLICA],
        &[(URL_VAR, &url), (DIR_VAR, &dir.to_string_lossy())],
    );
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
    std::process::exit(code);
}
