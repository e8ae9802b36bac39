//! Test helpers: scratch directories without extra dependencies.

#![allow(dead_code)]

use notes_store::{Clock, NewNote, NoteKind, Store};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A fresh directory under the system temp dir, removed on drop.
pub struct ScratchDir(PathBuf);

impl ScratchDir {
    pub fn new(label: &str) -> ScratchDir {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!(
            "notes-store-test-{}-{label}-{n}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create scratch dir");
        ScratchDir(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    pub fn file(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The deterministic clock the tests use: 1000, 1010, 1020, …
pub const CLOCK: Clock = Clock::Manual {
    start: 1000,
    step: 10,
};

/// An in-memory store holding the demo's 36 seed notes.
pub fn seeded() -> Store {
    let store = Store::open_in_memory(CLOCK).expect("open");
    store
        .import(&notes_store::demo::seed_notes())
        .expect("import seed");
    store
}

pub fn note(slug: &str, kind: NoteKind, title: &str, body: &str) -> NewNote {
    NewNote::new(slug, kind, title, body)
}
