//! The parity cases compiled against dbcompat on an embedded replica of the loopback test
//! server (test-server/): each case's connection is a replica whose primary is the server's
//! emptied database. Plain queries read the replica's local file; everything else runs on the
//! replica's session on the primary (`src/backend/replica.rs`).
extern crate dbcompat as rusqlite;

/// The rusqlite version whose rules the cases expect.
pub const SURFACE: &str = "0.34";

/// Which crate these cases were compiled against.
pub const BACKEND: &str = "replica";

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

#[macro_use]
#[path = "harness.rs"]
mod harness;
#[path = "cases/mod.rs"]
mod cases;
#[path = "server.rs"]
mod server;
#[path = "support.rs"]
mod support;

fn main() {
    harness::run("compat[dbcompat-replica]", true, cases::ALL);
}
