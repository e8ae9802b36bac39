//! The `extra_check` cases under dbcompat's surface of this package's version, on the loopback
//! test server (`DBCOMPAT_TEST_URL`, else a private instance; see compat-tests/server.rs).
//! The server's database is shared by the cases, so each names its own tables.
extern crate dbcompat_rusqlite as rusqlite;

/// The rusqlite line whose rules the cases expect: the package's version names it.
const SURFACE: &str = concat!("0.", env!("CARGO_PKG_VERSION_MINOR"));

fn open() -> rusqlite::Connection {
    let url = &server::shared().url;
    let token = std::env::var("DBCOMPAT_TEST_TOKEN").unwrap_or_default();
    rusqlite::Connection::open_remote(url, &token).expect("connection to the test server")
}

#[path = "../server.rs"]
mod server;

#[path = "cases.rs"]
mod cases;

/// The server's HTTP requests so far (one line each in its request log).
#[cfg(rusqlite_0_43)]
fn requests(server: &server::TestServer) -> usize {
    let log = server.request_log.as_ref().expect("request log");
    std::fs::read_to_string(log).map_or(0, |s| s.lines().count())
}

/// 0.43's pragma-name check reads the server's `pragma_pragma_list` once per connection, on
/// the first pragma call; later calls, and a refused name, cost no extra round trip. A
/// private server, so the request counts are this test's alone.
#[cfg(rusqlite_0_43)]
#[test]
fn the_pragma_list_costs_one_request_per_connection() {
    let dir = std::env::temp_dir().join(format!("dbcompat-extra-check-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let server = server::start_private(&dir, &[]);
    let db = rusqlite::Connection::open_remote(&server.url, "").unwrap();
    let version = || {
        db.pragma_query_value(None, "user_version", |r| r.get::<_, i64>(0))
            .unwrap()
    };
    let before = requests(&server);
    assert_eq!(version(), 0);
    let first = requests(&server) - before;
    let before = requests(&server);
    assert_eq!(version(), 0);
    db.pragma_update(None, "user_version", 5).unwrap();
    assert_eq!(version(), 5);
    let later = requests(&server) - before;
    // A plain query of the same pragma: one request, as each checked call after the first.
    let before = requests(&server);
    db.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))
        .unwrap();
    assert_eq!(requests(&server) - before, 1);
    assert_eq!((first, later), (2, 3));
    let before = requests(&server);
    assert!(db.pragma_update(None, "boom", 1).is_err());
    assert_eq!(requests(&server), before);
}
