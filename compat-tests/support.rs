//! Helpers shared by the cases; they use only the public rusqlite API.
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A fresh path for a database file in a per-process temporary directory.
pub fn temp_db_path(tag: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "dbcompat-compat-{}-{}",
        crate::BACKEND,
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let n = N.fetch_add(1, Ordering::Relaxed);
    let p = dir.join(format!("{tag}-{n}.db"));
    let _ = std::fs::remove_file(&p);
    p
}

/// `query_row(sql, [], |r| r.get(0))`, the `one_column` helper rusqlite's own tests use.
pub fn one<T: rusqlite::types::FromSql>(
    db: &rusqlite::Connection,
    sql: &str,
) -> rusqlite::Result<T> {
    db.query_row(sql, [], |r| r.get(0))
}

/// True when the crate under test is real rusqlite.
pub fn is_rusqlite() -> bool {
    crate::BACKEND == "rusqlite"
}
