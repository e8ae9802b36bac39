//! The parity cases compiled against dbcompat on a remote libSQL server: the loopback test
//! server (test-server/), started by this binary unless `DBCOMPAT_TEST_URL` names one.
extern crate dbcompat as rusqlite;

/// The rusqlite version whose rules the cases expect.
pub const SURFACE: &str = "0.34";

/// Which crate these cases were compiled against.
pub const BACKEND: &str = "remote";

include!("remote_open.rs");

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
    harness::run("compat[dbcompat-remote]", true, cases::ALL);
}
