//! The `extra_check` cases under real rusqlite 0.34 with the feature on.
extern crate real_rusqlite as rusqlite;

#[path = "cases.rs"]
mod cases;
