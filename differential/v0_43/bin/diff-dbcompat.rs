//! The differential transcript under dbcompat's v0_43 surface (facade/rusqlite-0.43).
//! Usage: `diff-dbcompat <seed> <ops>`; prints one line per operation.
extern crate dbcompat_rusqlite as rusqlite;

#[path = "../../src/cli.rs"]
mod cli;
#[path = "../../src/ops.rs"]
mod ops;
#[path = "../../src/transcript.rs"]
mod transcript;

fn main() {
    cli::main();
}
