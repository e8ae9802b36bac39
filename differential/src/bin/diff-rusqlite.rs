//! The differential transcript under real rusqlite 0.34 (bundled SQLite).
//! Usage: `diff-rusqlite <seed> <ops>`; prints one line per operation.
extern crate real_rusqlite as rusqlite;

#[path = "../cli.rs"]
mod cli;
#[path = "../ops.rs"]
mod ops;
#[path = "../transcript.rs"]
mod transcript;

fn main() {
    cli::main();
}
