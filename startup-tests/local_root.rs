// The body shared by the two local roots (under_rusqlite.rs, under_local.rs), which alias the
// crate under test as `rusqlite` and set `LABEL` first.

/// The connection under test is local, so the application's auto-extensions reach it.
pub const LOCAL: bool = true;

/// The connection each scenario opens after its process-level calls.
pub fn open() -> rusqlite::Result<rusqlite::Connection> {
    rusqlite::Connection::open_in_memory()
}

/// Where the sqlite-vec scenarios run their `vec0` checks.
pub fn open_vec() -> rusqlite::Result<rusqlite::Connection> {
    open()
}

#[macro_use]
#[path = "runner.rs"]
mod runner;
#[path = "scenarios.rs"]
mod scenarios;
#[path = "vec.rs"]
mod vec;

fn main() {
    std::process::exit(runner::run(LABEL, &[scenarios::ALL], &[]));
}
