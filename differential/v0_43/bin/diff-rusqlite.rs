//! The differential transcript under real rusqlite 0.43 (bundled SQLite).
//! Usage: `diff-rusqlite <seed> <ops>`; prints one line per operation.
extern crate real_rusqlite as rusqlite;

#[path = "../../src/cli.rs"]
mod cli;
#[path = "../../src/ops.rs"]
mod ops;
#[path = "../../src/transcript.rs"]
mod transcript;

fn main() {
    cli::main();
}
