//! [`Mode::Remote`](crate::ops::Mode)'s connection under dbcompat: the test server named by
//! `DBCOMPAT_TEST_URL` (token: `DBCOMPAT_TEST_TOKEN`), its one shared database emptied first,
//! as a fresh in-memory database would be; or an embedded replica of it.

use rusqlite::Connection;

/// Empties the server database on a connection of its own, then opens the connection the
/// operations run on, so its counters and connection-scoped PRAGMAs start fresh.
pub fn open() -> rusqlite::Result<Connection> {
    let url = std::env::var("DBCOMPAT_TEST_URL").map_err(|_| {
        rusqlite::Error::InvalidPath("DBCOMPAT_TEST_URL is not set (remote mode)".into())
    })?;
    let token = std::env::var("DBCOMPAT_TEST_TOKEN").unwrap_or_default();
    empty_server_database(&Connection::open_remote(&url, &token)?)?;
    Connection::open_remote(&url, &token)
}

/// An embedded replica of the emptied server database, in `DBCOMPAT_DIFF_REPLICA_DIR` (one
/// file for every seed: a new one would replay the server's whole log), synced.
pub fn open_replica() -> rusqlite::Result<Connection> {
    let dir = std::env::var("DBCOMPAT_DIFF_REPLICA_DIR").map_err(|_| {
        rusqlite::Error::InvalidPath("DBCOMPAT_DIFF_REPLICA_DIR is not set (replica mode)".into())
    })?;
    let url = std::env::var("DBCOMPAT_TEST_URL").map_err(|_| {
        rusqlite::Error::InvalidPath("DBCOMPAT_TEST_URL is not set (replica mode)".into())
    })?;
    let token = std::env::var("DBCOMPAT_TEST_TOKEN").unwrap_or_default();
    empty_server_database(&Connection::open_remote(&url, &token)?)?;
    let db = Connection::open_replica(std::path::Path::new(&dir).join("replica.db"), &url, &token)?;
    db.sync()?;
    Ok(db)
}

// `empty_server_database`, shared with the parity suite's remote roots.
include!("../../compat-tests/empty_server.rs");
