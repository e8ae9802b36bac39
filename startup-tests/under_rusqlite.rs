//! The start-up scenarios under real rusqlite 0.34 (bundled SQLite): the expected behaviour.
extern crate real_rusqlite as rusqlite;

const LABEL: &str = "startup[rusqlite]";

include!("local_root.rs");
