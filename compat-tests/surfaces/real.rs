//! The surface parity cases under real rusqlite of this package's version (bundled SQLite).

/// The rusqlite version whose rules the cases expect: the package's version (0.40.0 or 0.43.0)
/// names it.
pub const SURFACE: &str = concat!("0.", env!("CARGO_PKG_VERSION_MINOR"));

extern crate real_rusqlite as rusqlite;

/// Which crate these cases were compiled against.
pub const BACKEND: &str = "rusqlite";

/// The connection every case starts from.
pub fn open() -> rusqlite::Result<rusqlite::Connection> {
    rusqlite::Connection::open_in_memory()
}

/// A database that several connections open by name: a new file.
pub fn database(tag: &str) -> rusqlite::Result<support::Database> {
    Ok(support::Database::new_file(tag))
}

#[macro_use]
#[path = "../harness.rs"]
mod harness;
#[path = "../cases/surfaces.rs"]
mod cases;
#[path = "../support.rs"]
mod support;

fn main() {
    harness::run(&format!("compat-{SURFACE}[rusqlite]"), false, cases::ALL);
}
