//! The `extra_check` cases under dbcompat with the feature on (local engine).
extern crate dbcompat as rusqlite;

#[path = "cases.rs"]
mod cases;
