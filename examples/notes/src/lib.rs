//! A small notes/memory store written against the rusqlite 0.34 API.
//!
//! Every database call in this crate is spelled `rusqlite::…`. With the default feature
//! `backend-rusqlite` that is the real rusqlite crate; with `backend-libsql` the name
//! `rusqlite` is bound to dbcompat by the one `extern crate` line below, and nothing else in
//! the source changes. That is the whole migration.

#[cfg(all(feature = "backend-rusqlite", feature = "backend-libsql"))]
compile_error!(
    "features `backend-rusqlite` and `backend-libsql` are mutually exclusive: build with \
     `--no-default-features --features backend-libsql` to use dbcompat"
);

#[cfg(not(any(feature = "backend-rusqlite", feature = "backend-libsql")))]
compile_error!("enable exactly one of the features `backend-rusqlite` or `backend-libsql`");

#[cfg(feature = "backend-libsql")]
extern crate dbcompat as rusqlite;

/// The database crate this build uses, re-exported so the binary and the tests can name its
/// types (`use notes_store::db as rusqlite;`) whichever backend is selected. (The private
/// `extern crate` alias above cannot itself be re-exported, hence the second name.)
#[cfg(feature = "backend-libsql")]
pub use dbcompat as db;
#[cfg(all(feature = "backend-rusqlite", not(feature = "backend-libsql")))]
pub use rusqlite as db;

pub mod demo;
pub mod model;
pub mod store;

pub use model::{NewNote, Note, NoteId, NoteKind, SearchHit, Tags, UnknownKind};
pub use store::{Clock, ImportSummary, Store, StoreError};

/// The name of the backend this build was compiled with. Not printed by the demo (its output
/// must be the same under both), but handy in tests and bug reports.
pub const BACKEND: &str = if cfg!(feature = "backend-libsql") {
    "dbcompat (libSQL)"
} else {
    "rusqlite (bundled SQLite)"
};
