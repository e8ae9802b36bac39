//! The surface parity cases under dbcompat's newer surface of this package's rusqlite version
//! (through its facade, facade/rusqlite-0.NN), on an embedded replica of the loopback test
//! server: plain queries read the replica's local file, everything else runs on the replica's
//! session on the primary (`src/backend/replica.rs`).
extern crate dbcompat_rusqlite as rusqlite;

/// The rusqlite version whose rules the cases expect: the package's version (0.40.0 or 0.43.0)
/// names it.
pub const SURFACE: &str = concat!("0.", env!("CARGO_PKG_VERSION_MINOR"));

/// Which crate these cases were compiled against.
pub const BACKEND: &str = "replica";

include!("../replica_open.rs");

#[macro_use]
#[path = "../harness.rs"]
mod harness;
#[path = "../cases/surfaces.rs"]
mod cases;
#[path = "../server.rs"]
mod server;
#[path = "../support.rs"]
mod support;

fn main() {
    harness::run(
        &format!("compat-{SURFACE}[dbcompat-replica]"),
        true,
        cases::ALL,
    );
}
