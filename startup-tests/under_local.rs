//! The start-up scenarios under dbcompat on local connections.
extern crate dbcompat as rusqlite;

const LABEL: &str = "startup[dbcompat-local]";

include!("local_root.rs");
