//! `rusqlite`, served by dbcompat: the rusqlite 0.34 API over libSQL.
//!
//! This package is named `rusqlite` so that one `[patch.crates-io]` entry moves a whole
//! dependency graph onto libSQL, including crates that take a concrete `rusqlite::Connection`
//! (rusqlite_migration, r2d2_sqlite, …):
//!
//! ```toml
//! [patch.crates-io]
//! rusqlite = { path = "path/to/dbcompat/facade/rusqlite" }
//! ```
//!
//! Every item is dbcompat's: `rusqlite::Connection` *is* `dbcompat::Connection`, so
//! `Connection::open("libsql://…")` reaches a remote server too (token from
//! `LIBSQL_AUTH_TOKEN` or `TURSO_AUTH_TOKEN`).

#[cfg(any(
    feature = "sqlcipher",
    feature = "bundled-sqlcipher",
    feature = "bundled-sqlcipher-vendored-openssl"
))]
compile_error!(
    "the dbcompat `rusqlite` facade has no SQLCipher support: a libSQL database would not be \
     encrypted. Remove the sqlcipher features or do not patch rusqlite."
);

#[cfg(feature = "loadable_extension")]
compile_error!(
    "the dbcompat `rusqlite` facade cannot build a loadable SQLite extension \
     (feature `loadable_extension`). Do not patch rusqlite for this crate."
);

pub use dbcompat::*;

// Named explicitly as well as through the glob, so these paths are part of the facade's
// contract: `rusqlite::types::ValueRef`, `rusqlite::ffi::ErrorCode`, `rusqlite::params!`, …
pub use dbcompat::{
    auto_extension, backup, blob, fallible_iterator, fallible_streaming_iterator, ffi, functions,
    hooks, limits, named_params, params, trace, types,
};

/// rusqlite's `config` module: [`DbConfig`] and the `Connection` methods that use it.
pub mod config {
    pub use dbcompat::DbConfig;
}
