//! The command line shared by the binaries: `<seed> <ops> [remote|replica]`, transcript on
//! stdout.
//!
//! `remote` and `replica` generate [`Mode::Remote`]'s operations. The real-rusqlite binaries
//! run them on an in-memory database (the reference); diff-dbcompat runs them on the test
//! server (`DBCOMPAT_TEST_URL`): on a remote connection, or on an embedded replica of it.

use crate::ops::Mode;
use rusqlite::Connection;
use std::io::Write;

type Open = fn() -> rusqlite::Result<Connection>;

/// For binaries whose remote mode is the in-memory reference.
#[allow(dead_code)]
pub fn main() {
    main_with(Connection::open_in_memory, Connection::open_in_memory);
}

/// `open_remote` and `open_replica` open the connection [`Mode::Remote`] runs on.
pub fn main_with(open_remote: Open, open_replica: Open) {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let parsed = match args.as_slice() {
        [seed, ops] => seed.parse::<u64>().ok().zip(ops.parse::<usize>().ok()),
        [seed, ops, mode] if mode == "remote" || mode == "replica" => {
            seed.parse::<u64>().ok().zip(ops.parse::<usize>().ok())
        }
        _ => None,
    };
    let Some((seed, count)) = parsed else {
        eprintln!("usage: diff-rusqlite|diff-dbcompat <seed: u64> <ops: usize> [remote|replica]");
        std::process::exit(2);
    };
    let (mode, open): (Mode, Open) = match args.get(2).map(String::as_str) {
        Some("remote") => (Mode::Remote, open_remote),
        Some(_) => (Mode::Remote, open_replica),
        None => (Mode::Local, Connection::open_in_memory),
    };
    // A panic inside the crate under test is caught and recorded; keep stderr quiet.
    std::panic::set_hook(Box::new(|_| {}));
    let ops = crate::ops::generate(seed, count, mode);
    let lines = crate::transcript::run(&ops, mode, open);
    let mut out = std::io::stdout().lock();
    for line in lines {
        if writeln!(out, "{line}").is_err() {
            std::process::exit(1);
        }
    }
}
