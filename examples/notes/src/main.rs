//! The demo: `notes-store [DB_FILE]`.
//!
//! Creates the database file (default: `notes.db` in a fresh temporary directory, removed
//! afterwards), runs the scripted import / search / upsert / rollback / read-only session of
//! `notes_store::demo` and prints its report. The report is the same under both backends.

use std::path::PathBuf;
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
    let result = notes_store::demo::run(&path);
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
