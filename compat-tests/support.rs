//! Helpers shared by the cases; they use only the public rusqlite API.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
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

/// A database that several connections open by name (`crate::database(tag)`): a new file under
/// rusqlite and dbcompat's local engine, the test server's database under remote. Cases that
/// test a connection's view of a shared database (reopen, two connections, read-only opens)
/// open it by this name, so they assert the same under every crate.
pub struct Database {
    name: String,
    file: Option<PathBuf>,
}

impl Database {
    /// A fresh database file (see `temp_db_path`).
    pub fn new_file(tag: &str) -> Database {
        let file = temp_db_path(tag);
        Database {
            name: file.to_str().expect("temp paths are UTF-8").to_owned(),
            file: Some(file),
        }
    }

    /// A database a server holds, named by its URL.
    pub fn named(url: &str) -> Database {
        Database {
            name: url.to_owned(),
            file: None,
        }
    }

    /// What to pass to `Connection::open`: a path or a URL.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The file behind the database, when it is a local one.
    pub fn local_file(&self) -> Option<&Path> {
        self.file.as_deref()
    }
}

impl AsRef<Path> for Database {
    fn as_ref(&self) -> &Path {
        Path::new(&self.name)
    }
}
