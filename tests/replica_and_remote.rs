//! Embedded replicas against the loopback primary (libsql's sync protocol v2 + Hrana), and the
//! remote failure paths a user meets: a bad token, a dead server, a bad URL, token redaction.
//! Each test starts its own server instance, so the tests can run in parallel.

#[path = "../compat-tests/server.rs"]
mod server;

use dbcompat::ffi::ErrorCode;
use dbcompat::{params, Connection, Error, ReplicaOptions};
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn test_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dbcompat-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn count(db: &Connection) -> i64 {
    db.query_row("SELECT count(*) FROM t", [], |r| r.get(0))
        .unwrap()
}

fn code(e: &Error) -> Option<ErrorCode> {
    e.sqlite_error_code()
}

#[test]
fn replica_syncs_reads_locally_and_reads_its_own_writes() {
    let dir = test_dir("replica");
    let server = server::start_private(&dir.join("server"), &[]);
    let primary = Connection::open_remote(&server.url, "").unwrap();
    primary
        .execute_batch("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t(v) VALUES ('a'), ('b'), ('c');")
        .unwrap();

    let replica_path = dir.join("replica.db");
    let replica = Connection::open_replica(&replica_path, &server.url, "").unwrap();
    replica.sync().unwrap();
    assert_eq!(count(&replica), 3);
    assert_eq!(replica.path(), replica_path.to_str());

    // A write on the primary is invisible until sync().
    primary
        .execute("INSERT INTO t(v) VALUES (?1), (?2)", params!["d", "e"])
        .unwrap();
    assert_eq!(count(&replica), 3, "replica reads are local until synced");
    assert!(replica.sync().unwrap() > 0, "sync pulled frames");
    assert_eq!(count(&replica), 5);

    // A write through the replica goes to the primary and is readable at once.
    assert_eq!(
        replica
            .execute("INSERT INTO t(v) VALUES ('from replica')", [])
            .unwrap(),
        1
    );
    assert_eq!(
        count(&replica),
        6,
        "read-your-writes without an explicit sync"
    );
    assert_eq!(count(&primary), 6, "the write reached the primary");
    let v: String = replica
        .query_row("SELECT v FROM t ORDER BY id DESC LIMIT 1", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, "from replica");

    // A PRAGMA that writes the file is a write too, however its value is given: the next
    // plain query (read from the local file) sees it.
    let user_version = |db: &Connection| -> i64 {
        db.query_row("SELECT user_version FROM pragma_user_version", [], |r| {
            r.get(0)
        })
        .unwrap()
    };
    replica.execute_batch("PRAGMA user_version(5)").unwrap();
    assert_eq!(user_version(&replica), 5);
    replica
        .execute_batch("PRAGMA /* bump */ user_version = 6")
        .unwrap();
    assert_eq!(user_version(&replica), 6);

    // Constraint errors from the primary keep their rusqlite shape.
    replica
        .execute_batch("CREATE UNIQUE INDEX tv ON t(v)")
        .unwrap();
    let err = replica
        .execute("INSERT INTO t(v) VALUES ('a')", [])
        .unwrap_err();
    assert_eq!(code(&err), Some(ErrorCode::ConstraintViolation), "{err:?}");
}

#[test]
fn replica_serves_reads_offline_when_the_primary_is_down() {
    let dir = test_dir("replica-offline");
    let server = server::start_private(&dir.join("server"), &[]);
    let primary = Connection::open_remote(&server.url, "").unwrap();
    primary
        .execute_batch(
            "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t(v) VALUES ('x'), ('y');",
        )
        .unwrap();
    let replica_path = dir.join("replica.db");
    {
        let replica = Connection::open_replica(&replica_path, &server.url, "").unwrap();
        replica.sync().unwrap();
        assert_eq!(count(&replica), 2);
    }
    let url = server.url.clone();
    drop(primary);
    drop(server); // the primary is gone

    let options = ReplicaOptions {
        sync_interval: None,
        read_your_writes: true,
    };
    let started = Instant::now();
    // A different path string for the same file, so this is a new replica handle opened offline.
    let offline_path = dir.join(".").join("replica.db");
    let replica = Connection::open_replica_with(&offline_path, &url, "", options).unwrap();
    assert_eq!(count(&replica), 2, "offline reads come from the local copy");
    let err = replica.sync().unwrap_err();
    assert_eq!(code(&err), Some(ErrorCode::CannotOpen), "{err}");
    assert!(
        started.elapsed() < Duration::from_secs(40),
        "failed in bounded time"
    );
}

#[test]
fn sync_on_a_connection_that_is_not_a_replica_is_an_error() {
    let local = Connection::open_in_memory().unwrap();
    assert_eq!(code(&local.sync().unwrap_err()), Some(ErrorCode::ApiMisuse));
    let remote = Connection::open_remote(&server::shared().url, "").unwrap();
    assert_eq!(
        code(&remote.sync().unwrap_err()),
        Some(ErrorCode::ApiMisuse)
    );
}

#[test]
fn wrong_token_is_an_authorization_error_and_the_token_is_never_shown() {
    let dir = test_dir("token");
    let secret = "s3cr3t-token-value";
    let server = server::start_private(&dir, &["--token", secret]);

    let good = Connection::open_remote(&server.url, secret).unwrap();
    assert_eq!(
        good.query_row("SELECT 1", [], |r| r.get::<_, i64>(0))
            .unwrap(),
        1
    );
    let shown = format!("{good:?} {:?}", good.path());
    assert!(!shown.contains(secret), "Debug shows the token: {shown}");

    let bad = Connection::open_remote(&server.url, "wrong-token").unwrap();
    let err = bad
        .query_row("SELECT 1", [], |r| r.get::<_, i64>(0))
        .unwrap_err();
    assert_eq!(
        code(&err),
        Some(ErrorCode::AuthorizationForStatementDenied),
        "{err:?}"
    );
    let text = format!("{err} {err:?}");
    assert!(
        !text.contains("wrong-token") && !text.contains(secret),
        "error shows a token: {text}"
    );

    // A token in the URL's query never reaches Debug or errors either.
    let with_query = format!("{}?authToken={secret}", server.url);
    let conn = Connection::open_remote(&with_query, "").unwrap();
    assert!(!format!("{conn:?}").contains(secret));
}

#[test]
fn dead_server_gives_a_clear_error_in_bounded_time() {
    // A port nothing listens on: bind, note the port, close.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let db = Connection::open_remote(&format!("http://127.0.0.1:{port}"), "").unwrap();
    let started = Instant::now();
    let err = db.execute("CREATE TABLE t(x)", []).unwrap_err();
    assert_eq!(code(&err), Some(ErrorCode::CannotOpen), "{err:?}");
    assert!(
        err.to_string().contains(&format!("127.0.0.1:{port}")),
        "{err}"
    );
    assert!(started.elapsed() < Duration::from_secs(35));
}

#[test]
fn bad_urls_are_rejected_at_open() {
    for url in ["http://", "libsql://", "https:///path"] {
        let err = Connection::open_remote(url, "").unwrap_err();
        assert_eq!(code(&err), Some(ErrorCode::CannotOpen), "{url}: {err:?}");
    }
    let err = Connection::open_remote("ftp://example.invalid", "").unwrap_err();
    assert_eq!(code(&err), Some(ErrorCode::CannotOpen));
}

#[test]
fn open_with_a_url_reads_the_token_from_the_environment() {
    // No token set for this server: LIBSQL_AUTH_TOKEN may be absent; the URL alone opens it.
    let db = Connection::open(&server::shared().url).unwrap();
    assert_eq!(
        db.query_row("SELECT 40 + 2", [], |r| r.get::<_, i64>(0))
            .unwrap(),
        42
    );
    assert_eq!(db.path(), Some(server::shared().url.as_str()));
}

fn request_count(server: &server::TestServer) -> usize {
    let log = server.request_log.as_ref().expect("request log");
    std::fs::read_to_string(log)
        .map(|s| s.lines().count())
        .unwrap_or(0)
}

#[test]
fn execute_batch_is_one_request_and_prepare_sends_nothing() {
    let dir = test_dir("requests");
    let server = server::start_private(&dir, &[]);
    let db = Connection::open_remote(&server.url, "").unwrap();
    db.execute_batch("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)")
        .unwrap();

    let batch: String = (0..100)
        .map(|i| format!("INSERT INTO t(v) VALUES ('v{i}');"))
        .collect();
    let before = request_count(&server);
    db.execute_batch(&batch).unwrap();
    assert_eq!(
        request_count(&server) - before,
        1,
        "100 statements, one HTTP request"
    );
    assert_eq!(count(&db), 100);

    // Preparing sends nothing (the columns come with the rows): one request per run.
    let before = request_count(&server);
    for id in 1..=10 {
        let mut stmt = db.prepare_cached("SELECT v FROM t WHERE id = ?1").unwrap();
        let v: String = stmt.query_row([id], |r| r.get(0)).unwrap();
        assert_eq!(v, format!("v{}", id - 1));
    }
    assert_eq!(request_count(&server) - before, 10, "10 runs, no describe");
}

#[test]
fn column_names_are_those_of_the_sql_as_written() {
    let db = Connection::open_remote(&server::shared().url, "").unwrap();
    let stmt = db
        .prepare("select count(*), null, 1+1 as two, 'x'")
        .unwrap();
    assert_eq!(stmt.column_names(), vec!["count(*)", "null", "two", "'x'"]);
}

#[test]
fn dropping_a_connection_mid_transaction_rolls_back_and_releases_the_lock() {
    let dir = test_dir("drop-tx");
    let server = server::start_private(&dir, &["--stream-ttl-secs", "30"]);
    let setup = Connection::open_remote(&server.url, "").unwrap();
    setup
        .execute_batch("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)")
        .unwrap();
    let url = server.url.clone();
    // Dropped inside a current-thread runtime, where a drop must neither panic nor block.
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(async move {
            let db = Connection::open_remote(&url, "").unwrap();
            db.execute_batch("BEGIN IMMEDIATE").unwrap();
            db.execute("INSERT INTO t(v) VALUES ('uncommitted')", [])
                .unwrap();
            drop(db);
        });
    // The stream close reached the server: the write lock is free long before the 30 s TTL.
    let started = Instant::now();
    let other = Connection::open_remote(&server.url, "").unwrap();
    other
        .execute("INSERT INTO t(v) VALUES ('after')", [])
        .unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "lock was released by the close"
    );
    assert_eq!(count(&other), 1, "the dropped transaction was rolled back");
}

#[test]
fn a_transaction_the_server_timed_out_is_a_clear_error() {
    let dir = test_dir("ttl");
    let server = server::start_private(&dir, &["--stream-ttl-secs", "1"]);
    let mut db = Connection::open_remote(&server.url, "").unwrap();
    db.execute_batch("CREATE TABLE t(x)").unwrap();
    let tx = db.transaction().unwrap();
    tx.execute("INSERT INTO t VALUES (1)", []).unwrap();
    std::thread::sleep(Duration::from_millis(3000));
    let started = Instant::now();
    let err = tx.execute("INSERT INTO t VALUES (2)", []).unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(35));
    assert_eq!(code(&err), Some(ErrorCode::OperationAborted), "{err:?}");
    assert!(err.to_string().contains("rolled back"), "{err}");
    drop(tx);
    assert_eq!(count(&db), 0);
}

/// Opens a remote connection of `$api` (the core or a newer surface), asserts that its built-in
/// virtual tables, binding an `Array` and the `$extra` checks each return the typed local-only
/// error (`ApiMisuse`), and that the connection stays usable.
macro_rules! assert_local_engine_surface {
    ($($api:ident)::+ $(, |$remote:ident, $local_only:ident| $extra:block)?) => {{
        use $($api)::+::types::Value;
        use $($api)::+::vtab::{array, csvtab, series};
        use std::rc::Rc;

        #[allow(unused_mut)]
        let mut remote = $($api)::+::Connection::open_remote(&server::shared().url, "").unwrap();
        let local_only = |r: $($api)::+::Result<()>, what: &str| {
            let err = r.unwrap_err();
            assert_eq!(err.sqlite_error_code(), Some(ErrorCode::ApiMisuse), "{what}: {err:?}");
            assert!(err.to_string().contains("needs a local database"), "{what}: {err}");
        };
        local_only(array::load_module(&remote), "rarray");
        local_only(series::load_module(&remote), "generate_series");
        local_only(csvtab::load_module(&remote), "csv");
        let list: array::Array = Rc::new(vec![Value::Integer(1)]);
        local_only(remote.query_row("SELECT ?1", [&list], |_| Ok(())), "binding an Array");
        $({
            let $remote = &mut remote;
            let $local_only = &local_only;
            $extra
        })?
        let one: i64 = remote.query_row("SELECT 1", [], |r| r.get(0)).unwrap();
        assert_eq!(one, 1);
    }};
}

/// Virtual tables, `rarray()` arrays and serialization live in the local engine: on a remote
/// connection each returns the typed local-only error (`ApiMisuse`) and the connection stays
/// usable.
#[test]
fn local_engine_surface_is_a_typed_error_on_remote() {
    use dbcompat::DatabaseName;

    assert_local_engine_surface!(dbcompat, |remote, local_only| {
        local_only(remote.serialize(DatabaseName::Main).map(drop), "serialize");
        local_only(
            remote.deserialize_read_exact(DatabaseName::Main, &[0u8; 4][..], 4, false),
            "deserialize",
        );
    });
}

/// Registers an empty eponymous-only user module of the newer surface `$api` with
/// `create_module` on `$remote`, returning the `Result`.
macro_rules! create_surface_module {
    ($($api:ident)::+, $remote:expr) => {{
        use $($api)::+::vtab::{
            sqlite3_vtab, sqlite3_vtab_cursor, Context, Filters, IndexInfo, Module, VTab,
            VTabConnection, VTabCursor,
        };
        use $($api)::+::Result;
        use std::borrow::Cow;
        use std::ffi::{c_int, CStr};

        #[repr(C)]
        struct Empty {
            base: sqlite3_vtab,
        }

        #[repr(C)]
        struct EmptyCursor {
            base: sqlite3_vtab_cursor,
        }

        unsafe impl VTab<'_> for Empty {
            type Aux = ();
            type Cursor = EmptyCursor;

            fn connect(
                _: &mut VTabConnection,
                _: Option<&()>,
                _: &[u8],
                _: &[u8],
                _: &[u8],
                _: &[&[u8]],
            ) -> Result<(Cow<'static, CStr>, Empty)> {
                let table = Empty { base: sqlite3_vtab::default() };
                Ok((Cow::Borrowed(c"CREATE TABLE x(v)"), table))
            }

            fn best_index(&self, _: &mut IndexInfo) -> Result<bool> {
                Ok(true)
            }

            fn open(&mut self) -> Result<EmptyCursor> {
                Ok(EmptyCursor { base: sqlite3_vtab_cursor::default() })
            }
        }

        unsafe impl VTabCursor for EmptyCursor {
            fn filter(&mut self, _: c_int, _: Option<&str>, _: &Filters<'_>) -> Result<()> {
                Ok(())
            }
            fn next(&mut self) -> Result<()> {
                Ok(())
            }
            fn eof(&self) -> bool {
                true
            }
            fn column(&self, _: &mut Context, _: c_int) -> Result<()> {
                Ok(())
            }
            fn rowid(&self) -> Result<i64> {
                Ok(0)
            }
        }

        const EMPTY: Module<Empty> = Module::eponymous_only_module();
        $remote.create_module(c"empty", &EMPTY, None)
    }};
}

/// The newer surfaces' built-in virtual tables are the core's, with the same local-only error;
/// so is registering a user module.
#[test]
fn surface_vtab_modules_are_a_typed_error_on_remote() {
    assert_local_engine_surface!(dbcompat::v0_40, |remote, local_only| {
        local_only(
            create_surface_module!(dbcompat::v0_40, remote),
            "create_module",
        );
    });
    assert_local_engine_surface!(dbcompat::v0_43, |remote, local_only| {
        local_only(
            create_surface_module!(dbcompat::v0_43, remote),
            "create_module",
        );
    });
}

/// A pointer (feature `pointer`) cannot reach a server: binding one is the local-only error,
/// and the pointer is released at once, as SQLite releases it when a bind fails; reading one
/// from a remote row is `None`.
#[test]
fn surface_pointers_are_a_typed_error_on_remote_and_released() {
    macro_rules! check {
        ($($api:ident)::+) => {{
            use $($api)::+::types::ToSqlOutput;
            use std::rc::Rc;
            const PTR: &std::ffi::CStr = c"dbcompat_test_ptr";
            let remote = $($api)::+::Connection::open_remote(&server::shared().url, "").unwrap();
            let rc = Rc::new(7_i32);
            let bound = remote.query_row("SELECT ?1", [ToSqlOutput::from_rc(rc.clone(), PTR)], |_| Ok(()));
            let err = bound.unwrap_err();
            assert_eq!(err.sqlite_error_code(), Some(ErrorCode::ApiMisuse), "{err:?}");
            assert!(err.to_string().contains("needs a local database"), "{err}");
            assert_eq!(Rc::strong_count(&rc), 1, "the server-bound pointer was not released");
            let read = remote.query_row("SELECT NULL", [], |r| {
                // SAFETY: no pointer of this type exists on the server.
                Ok(unsafe { r.get_pointer::<_, i32>(0, PTR) }?.is_none())
            });
            assert!(read.unwrap());
        }};
    }
    check!(dbcompat::v0_40);
    check!(dbcompat::v0_43);
}

/// Eight threads open remote connections and run their first statement at the same moment, on
/// a freshly started server (rounds, because the stall needed the server's start-up state).
/// Every one is answered promptly. Against the tiny_http-based server, 2-4 of 8 hung until
/// dbcompat's 30 s timeout in most rounds (test-server/README.md, "Concurrent connections").
#[test]
fn simultaneous_first_statements_are_all_answered() {
    const THREADS: usize = 8;
    const ROUNDS: usize = 4;
    // Far above a loopback answer, far below the client's 30 s timeout.
    const ANSWER_WITHIN: Duration = Duration::from_secs(5);
    let dir = test_dir("simultaneous");
    for round in 0..ROUNDS {
        let server = server::start_private(&dir.join(round.to_string()), &[]);
        Connection::open_remote(&server.url, "")
            .unwrap()
            .execute_batch("CREATE TABLE t(x)")
            .unwrap();
        let start = std::sync::Arc::new(std::sync::Barrier::new(THREADS));
        let (done, answers) = std::sync::mpsc::channel();
        for i in 0..THREADS {
            let (start, done, url) = (start.clone(), done.clone(), server.url.clone());
            std::thread::spawn(move || {
                let db = Connection::open_remote(&url, "").unwrap();
                start.wait();
                let inserted = db.execute("INSERT INTO t VALUES (?1)", params![i as i64]);
                let _ = done.send(inserted.map_err(|e| e.to_string()));
                // Hold the connection until the round is over, as a pool does.
                std::thread::sleep(ANSWER_WITHIN);
            });
        }
        let deadline = Instant::now() + ANSWER_WITHIN;
        for answered in 0..THREADS {
            let left = deadline.saturating_duration_since(Instant::now());
            match answers.recv_timeout(left) {
                Ok(inserted) => assert_eq!(inserted, Ok(1), "round {round}"),
                Err(_) => panic!(
                    "round {round}: {} of {THREADS} statements unanswered after {ANSWER_WITHIN:?}",
                    THREADS - answered
                ),
            }
        }
        let db = Connection::open_remote(&server.url, "").unwrap();
        assert_eq!(
            count(&db),
            THREADS as i64,
            "round {round}: every insert landed"
        );
    }
}

/// An embedded replica sends its writes to the primary as the remote client does, so the
/// values Hrana's JSON cannot carry are refused the same way (`ToSqlConversionFailure`, before
/// anything is sent) instead of being changed: invalid UTF-8 text was once replaced by U+FFFD.
#[test]
fn replica_refuses_values_json_cannot_carry() {
    struct RawText(&'static [u8]);
    impl dbcompat::ToSql for RawText {
        fn to_sql(&self) -> dbcompat::Result<dbcompat::types::ToSqlOutput<'_>> {
            Ok(dbcompat::types::ToSqlOutput::Borrowed(
                dbcompat::types::ValueRef::Text(self.0),
            ))
        }
    }
    let dir = test_dir("replica-json-values");
    let server = server::start_private(&dir.join("server"), &[]);
    let primary = Connection::open_remote(&server.url, "").unwrap();
    primary.execute_batch("CREATE TABLE t(x)").unwrap();
    let replica = Connection::open_replica(dir.join("replica.db"), &server.url, "").unwrap();
    replica.sync().unwrap();
    for inf in [f64::INFINITY, f64::NEG_INFINITY] {
        let err = replica
            .execute("INSERT INTO t VALUES (?1)", [inf])
            .unwrap_err();
        assert!(matches!(err, Error::ToSqlConversionFailure(_)), "{err:?}");
    }
    let err = replica
        .execute("INSERT INTO t VALUES (?1)", [RawText(b"\xffA")])
        .unwrap_err();
    assert!(matches!(err, Error::ToSqlConversionFailure(_)), "{err:?}");
    replica
        .execute("INSERT INTO t VALUES (?1)", ["ok"])
        .unwrap();
    assert_eq!(count(&primary), 1);
}

/// The newer surfaces' column metadata: on a server from the shadow of its schema (no request
/// once the shadow is loaded), on a replica from its local schema.
#[test]
fn column_metadata_on_a_server_and_a_replica() {
    use dbcompat::v0_43::{Connection, Error};
    use std::ffi::CString;
    let text = |s: &std::ffi::CStr| Some(CString::from(s));
    let dir = test_dir("colmeta");
    let server = server::start_private(&dir.join("server"), &[]);
    let primary = Connection::open_remote(&server.url, "").unwrap();
    primary
        .execute_batch(
            "CREATE TABLE t(id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT NOT NULL COLLATE NOCASE)",
        )
        .unwrap();
    let before = request_count(&server);
    assert_eq!(
        primary.column_metadata(None, "t", "v").unwrap(),
        (text(c"TEXT"), text(c"NOCASE"), true, false, false)
    );
    assert!(primary.column_exists(None, "t", "id").unwrap());
    let stmt = primary.prepare("SELECT v FROM t").unwrap();
    let origin = stmt.columns_with_metadata().next().unwrap();
    assert_eq!(
        (origin.table_name(), origin.origin_name()),
        (Some("t"), Some("v"))
    );
    assert_eq!(
        request_count(&server),
        before,
        "answered by the shadow schema"
    );

    let replica = Connection::open_replica(dir.join("replica.db"), &server.url, "").unwrap();
    replica.sync().unwrap();
    assert_eq!(
        replica.column_metadata(None, "t", "id").unwrap(),
        (text(c"INTEGER"), text(c"BINARY"), false, true, true)
    );
    assert!(replica.table_exists(None, "t").unwrap());
    assert!(!replica.column_exists(None, "t", "nope").unwrap());
    match replica.column_metadata(None, "t", "nope") {
        Err(Error::SqliteFailure(e, Some(msg))) => {
            assert_eq!(
                (e.code, msg.as_str()),
                (ErrorCode::Unknown, "no such table column: t.nope")
            );
        }
        other => panic!("expected SqliteFailure, got {other:?}"),
    }
    let stmt = replica.prepare("SELECT v AS value, id + 1 FROM t").unwrap();
    let origins: Vec<_> = stmt
        .columns_with_metadata()
        .map(|c| {
            (
                c.name().to_owned(),
                c.table_name().map(str::to_owned),
                c.origin_name().map(str::to_owned),
            )
        })
        .collect();
    assert_eq!(
        origins,
        [
            (
                "value".to_owned(),
                Some("t".to_owned()),
                Some("v".to_owned())
            ),
            ("id + 1".to_owned(), None, None),
        ]
    );
    let (db, table, column, ty, ..) = stmt.column_metadata(0).unwrap().expect("a table column");
    assert_eq!(
        (db, table, column, ty),
        (c"main", c"t", c"v", text(c"TEXT"))
    );
}

/// 0.43's `file_control` reaches a local database file; a server or a replica has none the
/// application can reach, so every op is `SQLITE_NOTFOUND`, as for an op a file lacks.
/// `wal_checkpoint_v2` and client data are the local engine's: the local-only `SqliteFailure`.
#[test]
fn newer_local_engine_apis_are_typed_errors_on_a_server_and_a_replica() {
    use dbcompat::v0_43::wal::CheckpointMode;
    use dbcompat::v0_43::{Connection, Error, FileControl, MAIN_DB};
    let dir = test_dir("fcntl");
    let server = server::start_private(&dir.join("server"), &[]);
    let remote = Connection::open_remote(&server.url, "").unwrap();
    let replica = Connection::open_replica(dir.join("replica.db"), &server.url, "").unwrap();
    let expect = |r: Result<(), Error>, code: ErrorCode, says: &str| match r {
        Err(Error::SqliteFailure(e, Some(msg))) => {
            assert_eq!(e.code, code, "{msg}");
            assert!(msg.contains(says), "{msg}");
        }
        other => panic!("expected SqliteFailure({code:?}), got {other:?}"),
    };
    for db in [&remote, &replica] {
        let mut version = 0;
        let fcntl = db.file_control(Some(MAIN_DB), FileControl::DataVersion(&mut version));
        expect(fcntl, ErrorCode::NotFound, "local database file");
        let checkpoint = db.wal_checkpoint_v2(Some(MAIN_DB), CheckpointMode::PASSIVE);
        expect(
            checkpoint.map(drop),
            ErrorCode::ApiMisuse,
            "wal_checkpoint_v2 needs a local",
        );
        // SAFETY: nothing is stored; the reads name no type that was.
        unsafe {
            let set = db.set_clientdata("k", Some(1u8));
            expect(
                set.map(drop),
                ErrorCode::ApiMisuse,
                "set_clientdata needs a local",
            );
            let get = db.get_clientdata::<u8, _>("k");
            expect(
                get.map(drop),
                ErrorCode::ApiMisuse,
                "get_clientdata needs a local",
            );
        }
    }
}

// The classic "rebuild the parent table" migration with foreign keys off, on a schema whose
// child rows cascade. Locally (and on a remote connection, `tests/remote_session.rs`) no child
// row is lost. On a replica each write reaches the primary on a new server session, where
// `foreign_keys` is back on: a `foreign_keys=OFF` that has to hold past its own call is
// refused, so the migration stops before `DROP TABLE parent` would delete every child row.

const FK_SCHEMA: &str = "PRAGMA foreign_keys=ON;
    CREATE TABLE parent(id INTEGER PRIMARY KEY, v TEXT);
    CREATE TABLE child(id INTEGER PRIMARY KEY, pid INTEGER REFERENCES parent(id) ON DELETE CASCADE);
    INSERT INTO parent VALUES (1, 'a'), (2, 'b');
    INSERT INTO child VALUES (1, 1), (2, 1), (3, 2);";

const REBUILD_PARENT: [&str; 4] = [
    "CREATE TABLE parent_new(id INTEGER PRIMARY KEY, v TEXT, w TEXT)",
    "INSERT INTO parent_new(id, v) SELECT id, v FROM parent",
    "DROP TABLE parent",
    "ALTER TABLE parent_new RENAME TO parent",
];

fn int(db: &Connection, sql: &str) -> i64 {
    db.query_row(sql, [], |r| r.get(0)).unwrap()
}

fn migrate_step_by_step(db: &Connection) -> dbcompat::Result<()> {
    db.pragma_update(None, "foreign_keys", false)?;
    for sql in REBUILD_PARENT {
        db.execute(sql, [])?;
    }
    db.pragma_update(None, "foreign_keys", true)
}

fn migrate_in_one_batch(db: &Connection) -> dbcompat::Result<()> {
    let rebuild = REBUILD_PARENT.join(";\n");
    db.execute_batch(&format!(
        "PRAGMA foreign_keys=OFF;\n{rebuild};\nPRAGMA foreign_keys=ON;"
    ))
}

fn migrate_in_a_transaction(db: &Connection) -> dbcompat::Result<()> {
    db.pragma_update(None, "foreign_keys", false)?;
    let tx = db.unchecked_transaction()?;
    for sql in REBUILD_PARENT {
        tx.execute(sql, [])?;
    }
    tx.commit()?;
    db.pragma_update(None, "foreign_keys", true)
}

/// A local connection, a replica and a remote connection to the replica's primary, each with
/// `FK_SCHEMA`; the local one has already run `migrate` (the reference: every child row kept).
fn fk_migration_setup(
    tag: &str,
    migrate: fn(&Connection) -> dbcompat::Result<()>,
) -> (server::TestServer, Connection, Connection) {
    let dir = test_dir(tag);
    let local = Connection::open(dir.join("local.db")).unwrap();
    local.execute_batch(FK_SCHEMA).unwrap();
    migrate(&local).unwrap();
    assert_eq!(int(&local, "SELECT count(*) FROM child"), 3, "locally");
    assert_eq!(int(&local, "PRAGMA foreign_keys"), 1);
    let server = server::start_private(&dir.join("server"), &[]);
    let replica = Connection::open_replica(dir.join("replica.db"), &server.url, "").unwrap();
    replica.execute_batch(FK_SCHEMA).unwrap();
    let primary = Connection::open_remote(&server.url, "").unwrap();
    assert_eq!(int(&primary, "SELECT count(*) FROM child"), 3);
    (server, replica, primary)
}

/// Every child row is still there, read on the replica (after a sync) and on the primary.
fn assert_children_kept(replica: &Connection, primary: &Connection) {
    replica.sync().unwrap();
    assert_eq!(int(replica, "SELECT count(*) FROM child"), 3, "replica");
    assert_eq!(int(primary, "SELECT count(*) FROM child"), 3, "primary");
    assert_eq!(int(replica, "PRAGMA foreign_keys"), 1);
}

#[test]
fn replica_fk_off_migration_step_by_step_keeps_every_child_row() {
    // libsql sent each write on a new server session, where foreign_keys was ON again, so
    // the DROP TABLE cascaded: the replica's own session keeps the setting, as locally.
    let (_server, replica, primary) = fk_migration_setup("fk-steps", migrate_step_by_step);
    migrate_step_by_step(&replica).unwrap();
    assert_children_kept(&replica, &primary);
    // A commented assignment is the same statement.
    replica
        .execute("-- migration 7\nPRAGMA foreign_keys = OFF", [])
        .unwrap();
    assert_eq!(int(&replica, "PRAGMA foreign_keys"), 0);
    replica.execute_batch("DROP TABLE parent").unwrap();
    replica.sync().unwrap();
    assert_eq!(int(&replica, "SELECT count(*) FROM child"), 3, "no cascade");
}

#[test]
fn replica_fk_off_migration_in_one_batch_keeps_every_child_row() {
    let (_server, replica, primary) = fk_migration_setup("fk-batch", migrate_in_one_batch);
    migrate_in_one_batch(&replica).unwrap();
    assert_children_kept(&replica, &primary);
    assert_eq!(
        int(&primary, "SELECT count(*) FROM pragma_table_info('parent')"),
        3
    );
}

#[test]
fn replica_fk_off_then_a_transaction_keeps_every_child_row() {
    let (_server, replica, primary) = fk_migration_setup("fk-tx", migrate_in_a_transaction);
    migrate_in_a_transaction(&replica).unwrap();
    assert_children_kept(&replica, &primary);
    // The same with the PRAGMA in the transaction's batch.
    let batch = format!(
        "PRAGMA foreign_keys=OFF; BEGIN; {}; COMMIT; PRAGMA foreign_keys=ON;",
        REBUILD_PARENT
            .join("; ")
            .replace("parent_new", "parent_next")
    );
    replica.execute_batch(&batch).unwrap();
    assert_children_kept(&replica, &primary);
}

#[test]
fn replica_accepts_pragma_values_a_new_server_session_has() {
    let dir = test_dir("fk-same");
    let server = server::start_private(&dir.join("server"), &[]);
    let replica = Connection::open_replica(dir.join("replica.db"), &server.url, "").unwrap();
    replica.execute_batch("PRAGMA foreign_keys=ON").unwrap();
    replica.pragma_update(None, "foreign_keys", true).unwrap();
    replica.execute("PRAGMA foreign_keys = yes", []).unwrap();
    assert_eq!(int(&replica, "PRAGMA foreign_keys"), 1);
    // Inside a transaction `foreign_keys` is a no-op, as locally, and the transaction keeps
    // one server session: accepted.
    replica
        .execute_batch("BEGIN; PRAGMA foreign_keys=OFF;")
        .unwrap();
    replica.execute_batch("COMMIT").unwrap();
    assert_eq!(int(&replica, "PRAGMA foreign_keys"), 1);
}

/// What a connection's reads show under settings that change them, each way a user sets one:
/// how many rows `LIKE 'abc'` matches, and the first row of an unordered scan.
fn reads_under_settings(db: &Connection) -> Vec<i64> {
    db.execute_batch(
        "CREATE TABLE IF NOT EXISTS words(w TEXT, n INTEGER); DELETE FROM words; \
         INSERT INTO words VALUES ('ABC', 1), ('abc', 2), ('x', 3);",
    )
    .unwrap();
    let like = || {
        let mut stmt = db
            .prepare_cached("SELECT count(*) FROM words WHERE w LIKE 'abc'")
            .unwrap();
        stmt.query_row([], |r| r.get::<_, i64>(0)).unwrap()
    };
    let mut seen = vec![like()];
    db.execute("PRAGMA case_sensitive_like = ON", []).unwrap();
    seen.push(like());
    db.pragma_update(None, "case_sensitive_like", false)
        .unwrap();
    seen.push(like());
    db.execute_batch("PRAGMA reverse_unordered_selects = 1; PRAGMA case_sensitive_like = 1")
        .unwrap();
    seen.push(int(db, "SELECT n FROM words"));
    seen.push(like());
    seen
}

/// A replica's local reads follow the connection-scoped settings made on its session, as the
/// reads of one local connection do.
#[test]
fn replica_local_reads_follow_the_sessions_settings() {
    let expected = reads_under_settings(&Connection::open_in_memory().unwrap());
    assert_eq!(expected, [2, 1, 2, 3, 1], "SQLite's own behaviour");
    let dir = test_dir("replica-settings");
    let server = server::start_private(&dir.join("server"), &[]);
    let replica = Connection::open_replica(dir.join("replica.db"), &server.url, "").unwrap();
    assert_eq!(reads_under_settings(&replica), expected);
    let remote = Connection::open_remote(&server.url, "").unwrap();
    assert_eq!(reads_under_settings(&remote), expected, "remote");
}

/// What `last_insert_rowid()`, `changes()` and `total_changes()` read in SQL after writes.
fn counters_in_sql(db: &Connection) -> Vec<i64> {
    db.execute_batch(
        "CREATE TABLE counted(id INTEGER PRIMARY KEY, x TEXT); \
         INSERT INTO counted(x) VALUES ('a'), ('b');",
    )
    .unwrap();
    db.execute("INSERT INTO counted(x) VALUES ('c')", [])
        .unwrap();
    let mut seen = vec![int(db, "SELECT last_insert_rowid()")];
    db.execute("UPDATE counted SET x = 'z'", []).unwrap();
    seen.push(int(db, "SELECT changes()"));
    seen.push(int(
        db,
        "WITH c AS (SELECT total_changes() AS v) SELECT v FROM c",
    ));
    let mut stmt = db
        .prepare("SELECT count(*) FROM counted WHERE id <= last_insert_rowid()")
        .unwrap();
    seen.push(stmt.query_row([], |r| r.get(0)).unwrap());
    seen
}

/// The counters are the connection's: a replica reads them from its session, not from the
/// local file's reading connection (which never wrote).
#[test]
fn replica_counter_functions_read_the_sessions_counters() {
    let expected = counters_in_sql(&Connection::open_in_memory().unwrap());
    assert_eq!(expected, [3, 3, 6, 3], "SQLite's own behaviour");
    let dir = test_dir("replica-counters");
    let server = server::start_private(&dir.join("server"), &[]);
    let replica = Connection::open_replica(dir.join("replica.db"), &server.url, "").unwrap();
    assert_eq!(counters_in_sql(&replica), expected);
}

/// A replica's plain queries read its local file (no request); its writes go to the primary
/// on the connection's one session, one request each.
#[test]
fn replica_reads_locally_and_writes_on_one_session() {
    let dir = test_dir("replica-requests");
    let server = server::start_private(&dir.join("server"), &[]);
    let path = dir.join("replica.db");
    // Without read-your-writes, whose syncs after a write vary in number.
    let options = ReplicaOptions {
        read_your_writes: false,
        ..ReplicaOptions::default()
    };
    let replica = Connection::open_replica_with(&path, &server.url, "", options).unwrap();
    replica
        .execute_batch("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)")
        .unwrap();
    replica.sync().unwrap();
    let cost = |f: &mut dyn FnMut()| {
        let before = request_count(&server);
        f();
        request_count(&server) - before
    };
    let mut insert = replica.prepare("INSERT INTO t(v) VALUES (?1)").unwrap();
    assert_eq!(
        cost(&mut || assert_eq!(insert.execute(["a"]).unwrap(), 1)),
        1
    );
    assert_eq!(
        cost(&mut || assert_eq!(insert.execute(["b"]).unwrap(), 1)),
        1
    );
    assert_eq!(replica.last_insert_rowid(), 2);
    replica.sync().unwrap();
    assert_eq!(
        cost(&mut || assert_eq!(count(&replica), 2)),
        0,
        "read locally"
    );
    // TEMP tables live in the session, and are read there.
    replica
        .execute_batch("CREATE TEMP TABLE scratch(x); INSERT INTO scratch VALUES (1)")
        .unwrap();
    assert_eq!(int(&replica, "SELECT count(*) FROM scratch"), 1);
}

/// Connections to one replica file share it: a write through one is read through another at
/// once (read-your-writes is the process's, as on one local file), and a TEMP table stays in
/// the session of the connection that made it.
/// A pool's pattern (async-sqlite's `test_pool`): one connection writes, then two read at the
/// same moment on two threads. The first read syncs the file; the other must not read it
/// before that sync has applied the write.
#[test]
fn replica_reads_on_two_threads_right_after_a_write_both_see_it() {
    let dir = test_dir("replica-two-threads");
    let server = server::start_private(&dir.join("server"), &[]);
    let path = dir.join("replica.db");
    let mut writer = Connection::open_replica(&path, &server.url, "").unwrap();
    let mut other = Connection::open_replica(&path, &server.url, "").unwrap();
    writer
        .execute_batch("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)")
        .unwrap();
    for round in 1..=30 {
        writer
            .execute("INSERT INTO t(v) VALUES (?1)", [round.to_string()])
            .unwrap();
        let start = std::sync::Barrier::new(2);
        let read = |db: &mut Connection| {
            start.wait();
            db.query_row("SELECT count(*) FROM t", [], |r| r.get::<_, i64>(0))
        };
        let (a, b) = std::thread::scope(|s| {
            let a = s.spawn(|| read(&mut writer));
            let b = s.spawn(|| read(&mut other));
            (a.join().unwrap(), b.join().unwrap())
        });
        assert_eq!((a.unwrap(), b.unwrap()), (round, round), "round {round}");
    }
}

#[test]
fn replica_connections_read_each_others_writes() {
    let dir = test_dir("replica-two");
    let server = server::start_private(&dir.join("server"), &[]);
    let path = dir.join("replica.db");
    let writer = Connection::open_replica(&path, &server.url, "").unwrap();
    let reader = Connection::open_replica(&path, &server.url, "").unwrap();
    writer
        .execute_batch("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)")
        .unwrap();
    for i in 0..3 {
        writer
            .execute("INSERT INTO t(v) VALUES (?1)", [i.to_string()])
            .unwrap();
        assert_eq!(count(&reader), i + 1);
    }
    writer
        .execute_batch("CREATE TEMP TABLE mine(x); INSERT INTO mine VALUES (1)")
        .unwrap();
    assert_eq!(int(&writer, "SELECT count(*) FROM mine"), 1);
    let err = reader.prepare("SELECT count(*) FROM mine").unwrap_err();
    assert_eq!(err.to_string(), "no such table: mine");
}

/// A query left mid-iteration holds the local file's read snapshot; a write of the same
/// connection is still read at once (locally, one connection always sees its own writes).
#[test]
fn replica_reads_its_writes_while_a_query_is_open() {
    let dir = test_dir("replica-open-query");
    let server = server::start_private(&dir.join("server"), &[]);
    let replica = Connection::open_replica(dir.join("replica.db"), &server.url, "").unwrap();
    replica
        .execute_batch(
            "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t(v) VALUES ('a'), ('b')",
        )
        .unwrap();
    assert_eq!(count(&replica), 2);
    let mut open = replica.prepare("SELECT v FROM t ORDER BY id").unwrap();
    let mut rows = open.query([]).unwrap();
    assert_eq!(
        rows.next().unwrap().unwrap().get::<_, String>(0).unwrap(),
        "a"
    );
    replica
        .execute("INSERT INTO t(v) VALUES ('c')", [])
        .unwrap();
    assert_eq!(
        count(&replica),
        3,
        "the connection's own write, read while a query is open"
    );
    assert_eq!(
        rows.next().unwrap().unwrap().get::<_, String>(0).unwrap(),
        "b"
    );
    drop(rows);
    assert_eq!(count(&replica), 3);
}
