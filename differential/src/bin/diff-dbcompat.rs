//! The differential transcript under dbcompat on the local libSQL engine.
//! Usage: `diff-dbcompat <seed> <ops>`; prints one line per operation.
extern crate dbcompat as rusqlite;

#[path = "../cli.rs"]
mod cli;
#[path = "../ops.rs"]
mod ops;
#[path = "../transcript.rs"]
mod transcript;

fn main() {
    cli::main();
}
