//! The differential transcript under dbcompat: on the local libSQL engine, or with `remote` on
//! the test server (`DBCOMPAT_TEST_URL`), or with `replica` on an embedded replica of it (in
//! `DBCOMPAT_DIFF_REPLICA_DIR`).
//! Usage: `diff-dbcompat <seed> <ops> [remote|replica]`; prints one line per operation.
extern crate dbcompat as rusqlite;

#[path = "../cli.rs"]
mod cli;
#[path = "../ops.rs"]
mod ops;
#[path = "../remote.rs"]
mod remote;
#[path = "../transcript.rs"]
mod transcript;

fn main() {
    cli::main_with(remote::open, remote::open_replica);
}
