// `open()` and `database()` for every remote root (included): a connection to the test server
// with an emptied database, and that database by name.

include!("empty_server.rs");

/// A connection to the test server with an emptied database ([`empty_server_database`]):
/// every case starts as on a fresh in-memory database, except that `sqlite_sequence` stays
/// once a case has made an AUTOINCREMENT table, so cases count their own objects only.
pub fn open() -> rusqlite::Result<rusqlite::Connection> {
    let url = &server::shared().url;
    let token = std::env::var("DBCOMPAT_TEST_TOKEN").unwrap_or_default();
    let db = rusqlite::Connection::open_remote(url, &token)?;
    empty_server_database(&db)?;
    Ok(db)
}

include!("server_database.rs");
