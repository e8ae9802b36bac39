// `open()` and `database()` for every replica root (included): an embedded replica of the test
// server, synced to its emptied database, and that database by name.

include!("empty_server.rs");

/// A replica connection, synced to the test server's emptied database. One local file serves
/// every case (a new one would replay the server's whole log).
pub fn open() -> rusqlite::Result<rusqlite::Connection> {
    let url = &server::shared().url;
    let token = std::env::var("DBCOMPAT_TEST_TOKEN").unwrap_or_default();
    empty_server_database(&rusqlite::Connection::open_remote(url, &token)?)?;
    static PATH: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    let path = PATH.get_or_init(|| support::temp_db_path("replica"));
    let db = rusqlite::Connection::open_replica(path, url, &token)?;
    db.sync()?;
    Ok(db)
}

include!("server_database.rs");
