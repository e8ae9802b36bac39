//! The demo: `notes-store [DB_FILE]`.
//!
//! Creates the database file (default: `notes.db` in a fresh temporary directory, removed
//! afterwards), runs the scripted import / search / upsert / rollback / read-only session of
//! `notes_store::demo` and prints its report. The report is the same under both backends.
//!
//! Built on dbcompat, it honours dbcompat's environment: with `LIBSQL_URL` (or
//! `TURSO_DATABASE_URL`) set it runs on that server, or on an embedded replica in `DB_FILE`
//! with `DBCOMPAT_REPLICA=1` (`Connection::open_from_env`); step 12, the read-only reopen of
//! the local file, is then skipped.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn main() -> ExitCode {
    let (path, scratch_dir) = match std::env::args_os().nth(1) {
        Some(arg) => (PathBuf::from(arg), None),
        None => {
            let dir = std::env::temp_dir().join(format!("notes-store-demo-{}", std::process::id()));
            if let Err(e) = std::fs::create_dir_all(&dir) {
                eprintln!("notes-store: cannot create {}: {e}", dir.display());
                return ExitCode::FAILURE;
            }
            (dir.join("notes.db"), Some(dir))
        }
    };
    let result = notes_store::demo::run_on(&path, from_env().as_ref().map(|open| open as _));
    if let Some(dir) = scratch_dir {
        let _ = std::fs::remove_dir_all(dir);
    }
    match result {
        Ok(report) => {
            print!("{report}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("notes-store: {e}");
            ExitCode::FAILURE
        }
    }
}

/// dbcompat's `open_from_env`, when the environment names a server.
#[cfg(feature = "backend-libsql")]
fn from_env() -> Option<impl Fn(&Path) -> notes_store::db::Result<notes_store::db::Connection>> {
    let named = |v: &str| std::env::var_os(v).is_some_and(|u| !u.is_empty());
    (named("LIBSQL_URL") || named("TURSO_DATABASE_URL"))
        .then_some(|p: &Path| notes_store::db::Connection::open_from_env(p))
}

/// Real rusqlite opens local files only.
#[cfg(not(feature = "backend-libsql"))]
fn from_env() -> Option<fn(&Path) -> notes_store::db::Result<notes_store::db::Connection>> {
    None
}
