//! The parity cases compiled against dbcompat on an embedded replica of the loopback test
//! server (test-server/): each case's connection is a replica whose primary is the server's
//! emptied database. Plain queries read the replica's local file; everything else runs on the
//! replica's session on the primary (`src/backend/replica.rs`).
extern crate dbcompat as rusqlite;

/// The rusqlite version whose rules the cases expect.
pub const SURFACE: &str = "0.34";

/// Which crate these cases were compiled against.
pub const BACKEND: &str = "replica";

include!("replica_open.rs");

#[macro_use]
#[path = "harness.rs"]
mod harness;
#[path = "cases/mod.rs"]
mod cases;
#[path = "server.rs"]
mod server;
#[path = "support.rs"]
mod support;

fn main() {
    harness::run("compat[dbcompat-replica]", true, cases::ALL);
}
