//! dbcompat's own client for remote libSQL servers (sqld, Turso) over Hrana v3 / HTTP.
//!
//! A remote `Connection` is one server stream for its whole life (see `stream.rs`), the way a
//! rusqlite connection is one SQLite connection: its PRAGMAs, TEMP tables, counters and
//! transaction are the server's own. SQL is sent exactly as written. Embedded replicas stay on
//! libsql (`remote.rs`).

mod connection;
mod cursor;
mod request;
mod session_settings;
mod shadow;
mod statement;
mod stream;
mod stream_state;
mod transport;
mod wire;

pub(crate) use connection::HranaConnection;
pub(crate) use statement::HranaStatement;
