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

/// A database that several connections open by name: the test server's one database, emptied
/// as `open()` empties it, named by its URL (a server has no separate files to hand out).
pub fn database(_tag: &str) -> rusqlite::Result<support::Database> {
    drop(open()?);
    // The cases open it by URL alone, as an application does, so the token a token-protected
    // test server needs comes from the variable such an application sets.
    let token = std::env::var("DBCOMPAT_TEST_TOKEN").unwrap_or_default();
    if !token.is_empty() && std::env::var_os("LIBSQL_AUTH_TOKEN").is_none() {
        std::env::set_var("LIBSQL_AUTH_TOKEN", token);
    }
    Ok(support::Database::named(&server::shared().url))
}
