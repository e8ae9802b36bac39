//! The `extra_check` cases under real rusqlite of this package's version, with the feature on.
extern crate real_rusqlite as rusqlite;

/// The rusqlite line whose rules the cases expect: the package's version names it.
const SURFACE: &str = concat!("0.", env!("CARGO_PKG_VERSION_MINOR"));

fn open() -> rusqlite::Connection {
    rusqlite::Connection::open_in_memory().expect("in-memory database")
}

#[path = "cases.rs"]
mod cases;
