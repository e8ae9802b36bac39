//! The parity cases compiled against dbcompat on the local libSQL engine.
extern crate dbcompat as rusqlite;

/// The rusqlite version whose rules the cases expect.
pub const SURFACE: &str = "0.34";

/// Which crate these cases were compiled against.
pub const BACKEND: &str = "local";

/// The connection every case starts from.
pub fn open() -> rusqlite::Result<rusqlite::Connection> {
    rusqlite::Connection::open_in_memory()
}

/// A database that several connections open by name: a new file.
pub fn database(tag: &str) -> rusqlite::Result<support::Database> {
    Ok(support::Database::new_file(tag))
}

#[macro_use]
#[path = "harness.rs"]
mod harness;
#[path = "cases/mod.rs"]
mod cases;
#[path = "support.rs"]
mod support;

fn main() {
    harness::run("compat[dbcompat-local]", false, cases::ALL);
}
