//! The surface parity cases under dbcompat's newer surface of this package's rusqlite version
//! (through its facade, facade/rusqlite-0.NN), on the local engine.
extern crate dbcompat_rusqlite as rusqlite;

/// The rusqlite version whose rules the cases expect: the package's version (0.40.0 or 0.43.0)
/// names it.
pub const SURFACE: &str = concat!("0.", env!("CARGO_PKG_VERSION_MINOR"));

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
#[path = "../harness.rs"]
mod harness;
#[path = "../cases/surfaces.rs"]
mod cases;
#[path = "../support.rs"]
mod support;

fn main() {
    harness::run(
        &format!("compat-{SURFACE}[dbcompat-local]"),
        false,
        cases::ALL,
    );
}
