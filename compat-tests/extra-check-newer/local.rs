//! The `extra_check` cases under dbcompat's surface of this package's version (through its
//! facade, facade/rusqlite-0.NN, with the feature on), on the local engine.
extern crate dbcompat_rusqlite as rusqlite;

/// The rusqlite line whose rules the cases expect: the package's version names it.
const SURFACE: &str = concat!("0.", env!("CARGO_PKG_VERSION_MINOR"));

fn open() -> rusqlite::Connection {
    rusqlite::Connection::open_in_memory().expect("in-memory database")
}

#[path = "cases.rs"]
mod cases;
