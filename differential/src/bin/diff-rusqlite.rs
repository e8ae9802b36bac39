//! The differential transcript under real rusqlite 0.34 (bundled SQLite).
//! Usage: `diff-rusqlite <seed> <ops> [remote|replica]`; prints one line per operation (`remote`: the
//! remote mode's operations, on an in-memory database, as its reference).
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
