//! Start-up scenarios: what a rusqlite application may do to the process-wide engine before
//! (or between) its opens, each followed by opens with asserted outcomes. Written once against
//! `rusqlite::` paths and compiled under real rusqlite 0.34, dbcompat local and dbcompat remote;
//! every expected value is the same under every crate, except where a remote connection by
//! nature does not run the application's auto-extensions (`crate::LOCAL` is false).

use crate::runner::Scenario;
use rusqlite::{ffi, Connection, Error};
use std::ffi::{c_char, c_int};
use std::ptr;

/// Every scenario, in the order they run.
pub const ALL: &[Scenario] = &[
    scenario!(raw_auto_extension_before_first_open),
    scenario!(register_auto_extension_then_cancel),
    scenario!(reset_auto_extension_between_opens),
    scenario!(auto_extension_registered_after_first_open),
    scenario!(failing_auto_extension_is_an_open_error),
    scenario!(first_opens_race_on_threads),
    scenario!(initialize_before_first_open),
    scenario!(engine_initialised_by_other_calls),
    scenario!(config_log_before_first_open),
    scenario!(config_after_first_open_is_misuse),
    scenario!(multithread_mode_before_first_open),
    scenario!(serialized_mode_before_first_open),
    scenario!(singlethread_mode_refuses_local_opens),
    scenario!(singlethread_after_initialize_is_misuse),
    scenario!(heap_limits_before_first_open),
    scenario!(shared_cache_before_first_open),
    scenario!(sqlite_vec_raw_auto_extension),
    scenario!(sqlite_vec_register_auto_extension),
];

/// An auto-extension that adds `startup_marker()`, returning 7.
unsafe extern "C" fn marker_init(
    db: *mut ffi::sqlite3,
    _err: *mut *mut c_char,
    _api: *const ffi::sqlite3_api_routines,
) -> c_int {
    unsafe extern "C" fn marker(
        ctx: *mut ffi::sqlite3_context,
        _argc: c_int,
        _argv: *mut *mut ffi::sqlite3_value,
    ) {
        ffi::sqlite3_result_int(ctx, 7);
    }
    ffi::sqlite3_create_function_v2(
        db,
        c"startup_marker".as_ptr(),
        0,
        ffi::SQLITE_UTF8,
        ptr::null_mut(),
        Some(marker),
        None,
        None,
        None,
    )
}

/// An auto-extension that refuses every connection.
unsafe extern "C" fn refusing_init(
    _db: *mut ffi::sqlite3,
    err: *mut *mut c_char,
    _api: *const ffi::sqlite3_api_routines,
) -> c_int {
    *err = ffi::sqlite3_mprintf(c"startup refused".as_ptr()).cast();
    ffi::SQLITE_ERROR
}

/// Registers an entry point the way sqlite-vec's README does (`transmute` to whatever type the
/// crate's `ffi` declares; the two crates spell the entry-point type differently).
#[allow(clippy::missing_transmute_annotations)]
unsafe fn raw_register(init: *const ()) -> c_int {
    ffi::sqlite3_auto_extension(Some(std::mem::transmute::<*const (), _>(init)))
}

/// `startup_marker()` on `db`, or the error text.
fn marker(db: &Connection) -> Result<i64, String> {
    db.query_row("SELECT startup_marker()", [], |r| r.get(0))
        .map_err(|e| e.to_string())
}

/// A fresh local in-memory connection's `startup_marker()`.
fn local_marker() -> Result<i64, String> {
    marker(&Connection::open_in_memory().expect("local open"))
}

/// The connection under test works: a query, and a syntax error reported as such.
fn assert_usable(db: &Connection) {
    let n: i64 = db.query_row("SELECT 41 + 1", [], |r| r.get(0)).unwrap();
    assert_eq!(n, 42);
    let err = db.prepare("SELEC 1").expect_err("syntax error");
    assert!(err.to_string().contains("syntax error"), "{err}");
}

/// What `startup_marker()` gives on the connection under test when the marker is registered:
/// auto-extensions run in the application's engine, so never on a server's connections.
fn expected_marker_on_open() -> Result<i64, ()> {
    if crate::LOCAL {
        Ok(7)
    } else {
        Err(())
    }
}

fn assert_marker_on_open(db: &Connection) {
    assert_eq!(marker(db).map_err(|_| ()), expected_marker_on_open());
}

fn raw_auto_extension_before_first_open() {
    // The ten-line reproduction of issue 8: every open used to panic.
    assert_eq!(
        unsafe { raw_register(marker_init as *const ()) },
        ffi::SQLITE_OK
    );
    for _ in 0..2 {
        let db = crate::open().expect("open after sqlite3_auto_extension");
        assert_usable(&db);
        assert_marker_on_open(&db);
    }
    assert_eq!(local_marker(), Ok(7));
}

fn register_auto_extension_then_cancel() {
    unsafe { rusqlite::auto_extension::register_auto_extension(marker_init) }.unwrap();
    let db = crate::open().unwrap();
    assert_usable(&db);
    assert_marker_on_open(&db);
    assert_eq!(local_marker(), Ok(7));
    assert!(rusqlite::auto_extension::cancel_auto_extension(marker_init));
    assert!(!rusqlite::auto_extension::cancel_auto_extension(
        marker_init
    ));
    assert!(local_marker().unwrap_err().contains("no such function"));
    // The connection opened before the cancel keeps what the extension added.
    assert_marker_on_open(&db);
}

fn reset_auto_extension_between_opens() {
    assert_eq!(
        unsafe { raw_register(marker_init as *const ()) },
        ffi::SQLITE_OK
    );
    assert_eq!(local_marker(), Ok(7));
    unsafe { ffi::sqlite3_reset_auto_extension() };
    assert!(local_marker().unwrap_err().contains("no such function"));
    assert_usable(&crate::open().unwrap());
}

fn auto_extension_registered_after_first_open() {
    let first = crate::open().unwrap();
    assert!(local_marker().unwrap_err().contains("no such function"));
    unsafe { rusqlite::auto_extension::register_auto_extension(marker_init) }.unwrap();
    assert_eq!(local_marker(), Ok(7));
    let second = crate::open().unwrap();
    assert_marker_on_open(&second);
    assert_usable(&first);
}

fn failing_auto_extension_is_an_open_error() {
    assert_eq!(
        unsafe { raw_register(refusing_init as *const ()) },
        ffi::SQLITE_OK
    );
    for _ in 0..2 {
        match Connection::open_in_memory() {
            Err(Error::SqliteFailure(e, Some(msg))) => {
                assert_eq!(e.code, ffi::ErrorCode::Unknown);
                assert_eq!(e.extended_code, ffi::SQLITE_ERROR);
                assert_eq!(msg, "automatic extension loading failed: startup refused");
            }
            other => panic!("expected the extension's error, got {other:?}"),
        }
    }
    if !crate::LOCAL {
        // A server connection does not run the application's extensions.
        let n: i64 = crate::open()
            .unwrap()
            .query_row("SELECT 1", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 1);
    }
    // Once the extension is gone, opening works again in the same process.
    let refusing: rusqlite::auto_extension::RawAutoExtension = refusing_init;
    assert!(rusqlite::auto_extension::cancel_auto_extension(refusing));
    assert_usable(&crate::open().unwrap());
}

fn first_opens_race_on_threads() {
    assert_eq!(
        unsafe { raw_register(marker_init as *const ()) },
        ffi::SQLITE_OK
    );
    // Every thread's first open races the engine start-up; the connections are then checked
    // one at a time (concurrent first requests to a server are a separate matter).
    let threads: Vec<_> = (0..8)
        .map(|_| std::thread::spawn(|| (crate::open().unwrap(), local_marker())))
        .collect();
    for t in threads {
        let (db, local) = t.join().expect("no panic");
        assert_eq!(local, Ok(7));
        assert_usable(&db);
        assert_marker_on_open(&db);
    }
}

fn initialize_before_first_open() {
    assert_eq!(unsafe { ffi::sqlite3_initialize() }, ffi::SQLITE_OK);
    assert_usable(&crate::open().unwrap());
    assert_eq!(unsafe { ffi::sqlite3_initialize() }, ffi::SQLITE_OK);
    assert!(local_marker().unwrap_err().contains("no such function"));
}

fn engine_initialised_by_other_calls() {
    // Any engine call that allocates initialises the engine, here before dbcompat could
    // configure it: opens and auto-extensions must still work.
    unsafe {
        let p = ffi::sqlite3_malloc(64);
        assert!(!p.is_null());
        ffi::sqlite3_free(p);
        assert!(!ffi::sqlite3_vfs_find(ptr::null()).is_null());
    }
    assert_usable(&crate::open().unwrap());
    unsafe { rusqlite::auto_extension::register_auto_extension(marker_init) }.unwrap();
    assert_eq!(local_marker(), Ok(7));
    assert_marker_on_open(&crate::open().unwrap());
}

static LOGGED: std::sync::Mutex<Vec<(c_int, String)>> = std::sync::Mutex::new(Vec::new());

fn record_log(code: c_int, msg: &str) {
    LOGGED.lock().unwrap().push((code, msg.to_owned()));
}

fn config_log_before_first_open() {
    unsafe { rusqlite::trace::config_log(Some(record_log)) }.unwrap();
    let db = crate::open().unwrap();
    assert_usable(&db);
    rusqlite::trace::log(ffi::SQLITE_NOTICE, "startup notice");
    let logged = LOGGED.lock().unwrap().clone();
    assert!(
        logged.contains(&(ffi::SQLITE_NOTICE, "startup notice".to_owned())),
        "{logged:?}"
    );
    // The log is one of the options SQLite accepts on a running engine.
    unsafe { rusqlite::trace::config_log(None) }.unwrap();
    rusqlite::trace::log(ffi::SQLITE_NOTICE, "not recorded");
    assert!(!LOGGED
        .lock()
        .unwrap()
        .iter()
        .any(|(_, m)| m == "not recorded"));
}

fn config_after_first_open_is_misuse() {
    assert_usable(&crate::open().unwrap());
    let local = Connection::open_in_memory().unwrap();
    for mode in [
        ffi::SQLITE_CONFIG_SINGLETHREAD,
        ffi::SQLITE_CONFIG_MULTITHREAD,
        ffi::SQLITE_CONFIG_SERIALIZED,
    ] {
        assert_eq!(unsafe { ffi::sqlite3_config(mode) }, ffi::SQLITE_MISUSE);
    }
    assert_usable(&local);
    assert_usable(&crate::open().unwrap());
}

fn multithread_mode_before_first_open() {
    assert_eq!(
        unsafe { ffi::sqlite3_config(ffi::SQLITE_CONFIG_MULTITHREAD) },
        ffi::SQLITE_OK
    );
    assert_usable(&crate::open().unwrap());
    let threads: Vec<_> = (0..4)
        .map(|_| std::thread::spawn(|| assert_usable(&Connection::open_in_memory().unwrap())))
        .collect();
    for t in threads {
        t.join().expect("no panic");
    }
}

fn serialized_mode_before_first_open() {
    assert_eq!(
        unsafe { ffi::sqlite3_config(ffi::SQLITE_CONFIG_SERIALIZED) },
        ffi::SQLITE_OK
    );
    assert_usable(&crate::open().unwrap());
}

fn is_single_threaded_mode<T: std::fmt::Debug>(opened: rusqlite::Result<T>) -> bool {
    matches!(opened, Err(Error::SqliteSingleThreadedMode))
}

fn singlethread_mode_refuses_local_opens() {
    assert_eq!(
        unsafe { ffi::sqlite3_config(ffi::SQLITE_CONFIG_SINGLETHREAD) },
        ffi::SQLITE_OK
    );
    for _ in 0..2 {
        assert!(is_single_threaded_mode(Connection::open_in_memory()));
    }
    if !crate::LOCAL {
        // A server connection needs no local engine.
        let db = crate::open().unwrap();
        let n: i64 = db.query_row("SELECT 1", [], |r| r.get(0)).unwrap();
        assert_eq!(n, 1);
    }
    // SQLite keeps the no-op mutexes it chose at the first initialisation, even across a
    // shutdown and a new threading mode, so local opens stay refused (never a panic).
    assert_eq!(unsafe { ffi::sqlite3_shutdown() }, ffi::SQLITE_OK);
    assert_eq!(
        unsafe { ffi::sqlite3_config(ffi::SQLITE_CONFIG_SERIALIZED) },
        ffi::SQLITE_OK
    );
    assert!(is_single_threaded_mode(Connection::open_in_memory()));
}

fn singlethread_after_initialize_is_misuse() {
    assert_eq!(unsafe { ffi::sqlite3_initialize() }, ffi::SQLITE_OK);
    assert_eq!(
        unsafe { ffi::sqlite3_config(ffi::SQLITE_CONFIG_SINGLETHREAD) },
        ffi::SQLITE_MISUSE
    );
    assert_usable(&crate::open().unwrap());
    assert_usable(&Connection::open_in_memory().unwrap());
}

fn heap_limits_before_first_open() {
    const HARD: i64 = 256 << 20;
    const SOFT: i64 = 64 << 20;
    unsafe {
        ffi::sqlite3_hard_heap_limit64(HARD);
        ffi::sqlite3_soft_heap_limit64(SOFT);
        assert_eq!(ffi::sqlite3_hard_heap_limit64(-1), HARD);
        assert_eq!(ffi::sqlite3_soft_heap_limit64(-1), SOFT);
    }
    assert_usable(&crate::open().unwrap());
    let local = Connection::open_in_memory().unwrap();
    let pragma = |name: &str| -> i64 {
        local
            .query_row(&format!("PRAGMA {name}"), [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(pragma("soft_heap_limit"), SOFT);
    assert_eq!(pragma("hard_heap_limit"), HARD);
    unsafe {
        ffi::sqlite3_soft_heap_limit64(0);
        ffi::sqlite3_hard_heap_limit64(0);
    }
    assert_eq!(pragma("soft_heap_limit"), 0);
}

fn shared_cache_before_first_open() {
    assert_eq!(
        unsafe { ffi::sqlite3_enable_shared_cache(1) },
        ffi::SQLITE_OK
    );
    assert_usable(&crate::open().unwrap());
    let uri = "file:startup_shared?mode=memory&cache=shared";
    let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE
        | rusqlite::OpenFlags::SQLITE_OPEN_CREATE
        | rusqlite::OpenFlags::SQLITE_OPEN_URI;
    let a = Connection::open_with_flags(uri, flags).unwrap();
    let b = Connection::open_with_flags(uri, flags).unwrap();
    a.execute_batch("CREATE TABLE seen(x); INSERT INTO seen VALUES (5)")
        .unwrap();
    let x: i64 = b.query_row("SELECT x FROM seen", [], |r| r.get(0)).unwrap();
    assert_eq!(x, 5);
    assert_eq!(
        unsafe { ffi::sqlite3_enable_shared_cache(0) },
        ffi::SQLITE_OK
    );
}

fn sqlite_vec_raw_auto_extension() {
    // sqlite-vec's README: `sqlite3_auto_extension(Some(transmute(sqlite3_vec_init as *const ())))`.
    assert_eq!(
        unsafe { raw_register(sqlite_vec::sqlite3_vec_init as *const ()) },
        ffi::SQLITE_OK
    );
    crate::vec::assert_knn(&Connection::open_in_memory().unwrap(), "vec_raw_local");
    crate::vec::assert_knn(&crate::open_vec().unwrap(), "vec_raw");
}

fn sqlite_vec_register_auto_extension() {
    unsafe {
        rusqlite::auto_extension::register_auto_extension(std::mem::transmute::<
            *const (),
            rusqlite::auto_extension::RawAutoExtension,
        >(
            sqlite_vec::sqlite3_vec_init as *const (),
        ))
    }
    .unwrap();
    crate::vec::assert_knn(&Connection::open_in_memory().unwrap(), "vec_safe_local");
    crate::vec::assert_knn(&crate::open_vec().unwrap(), "vec_safe");
}
