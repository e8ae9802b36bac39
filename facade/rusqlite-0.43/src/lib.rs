//! `rusqlite` 0.43, served by dbcompat: every item is `dbcompat::v0_43`'s, so one
//! `[patch.crates-io]` entry moves a graph that needs `rusqlite ^0.43` onto libSQL:
//!
//! ```toml
//! [patch.crates-io]
//! rusqlite = { path = "path/to/dbcompat/facade/rusqlite-0.43" }
//! ```
//!
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

pub use dbcompat::v0_43::*;

// Named explicitly as well as through the glob, so these paths are part of the facade's
// contract: `rusqlite::types::ValueRef`, `rusqlite::ffi::ErrorCode`, `rusqlite::params!`, …
pub use dbcompat::v0_43::{
    fallible_iterator, fallible_streaming_iterator, ffi, named_params, params, types,
};
