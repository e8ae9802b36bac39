//! The online backup API: copy a database, page by page, into another connection's database,
//! as in rusqlite 0.34's `backup` module.
//!
//! A plain copy can also be made with `VACUUM INTO 'path'`.
//!
//! ## Backends
//! Local connections only, on both sides: with a remote connection, [`Backup::new`],
//! [`Connection::backup`] and [`Connection::restore`] return `Error::SqliteFailure`
//! (`ApiMisuse`) saying the feature needs a local database.
//!
//! ## Example
//!
//! ```rust,no_run
//! # use dbcompat::{backup, Connection, Result};
//! # use std::path::Path;
//! # use std::time::Duration;
//! fn backup_db<P: AsRef<Path>>(src: &Connection, dst: P, progress: fn(backup::Progress)) -> Result<()> {
//!     let mut dst = Connection::open(dst)?;
//!     let backup = backup::Backup::new(src, &mut dst)?;
//!     backup.run_to_completion(5, Duration::from_millis(250), Some(progress))
//! }
//! ```

use crate::error::error_from_sqlite_code;
use crate::{ffi, Connection, DatabaseName, Result};
use std::ffi::{c_int, CStr};
use std::marker::PhantomData;
use std::path::Path;
use std::thread;
use std::time::Duration;

/// `SqliteFailure` for `code` with SQLite's generic text, as rusqlite's `error_from_handle`
/// gives for a null handle.
fn generic_error(code: c_int) -> crate::Error {
    // SAFETY: `sqlite3_errstr` returns a static string (or null).
    let msg = unsafe {
        let p = ffi::sqlite3_errstr(code);
        (!p.is_null()).then(|| CStr::from_ptr(p).to_string_lossy().into_owned())
    };
    error_from_sqlite_code(code, msg)
}

impl Connection {
    /// Backs up the `name` database of this connection into the file `dst_path` (created or
    /// overwritten), 100 pages per step; `progress` is called after each step.
    ///
    /// # Failure
    /// When `dst_path` cannot be opened or a step fails; `SQLITE_BUSY`/`SQLITE_LOCKED` if the
    /// destination stays locked. Local connections only.
    pub fn backup<P: AsRef<Path>>(
        &self,
        name: DatabaseName<'_>,
        dst_path: P,
        progress: Option<fn(Progress)>,
    ) -> Result<()> {
        self.backup_with(name, dst_path, progress)
    }

    /// [`Connection::backup`] with any `Fn(Progress)` (the newer surfaces' form).
    pub(crate) fn backup_with<P: AsRef<Path>, F: Fn(Progress)>(
        &self,
        name: DatabaseName<'_>,
        dst_path: P,
        progress: Option<F>,
    ) -> Result<()> {
        self.backend().local_handle("backup")?;
        let mut dst = Connection::open(dst_path)?;
        let backup = Backup::new_with_names(self, name, &mut dst, DatabaseName::Main)?;
        let mut r = StepResult::More;
        while r == StepResult::More {
            r = backup.step(100)?;
            if let Some(f) = &progress {
                f(backup.progress());
            }
        }
        step_outcome(r)
    }

    /// Restores the file `src_path` into the `name` database of this connection, 100 pages per
    /// step; `progress` is called after each step. A busy source is retried up to three times,
    /// 100 ms apart.
    ///
    /// # Failure
    /// When `src_path` cannot be opened or a step fails. Local connections only.
    pub fn restore<P: AsRef<Path>, F: Fn(Progress)>(
        &mut self,
        name: DatabaseName<'_>,
        src_path: P,
        progress: Option<F>,
    ) -> Result<()> {
        self.backend().local_handle("restore")?;
        let src = Connection::open(src_path)?;
        let restore = Backup::new_with_names(&src, DatabaseName::Main, self, name)?;
        let mut r = StepResult::More;
        let mut busy = 0;
        while r == StepResult::More || r == StepResult::Busy {
            r = restore.step(100)?;
            if let Some(f) = &progress {
                f(restore.progress());
            }
            if r == StepResult::Busy {
                busy += 1;
                if busy >= 3 {
                    break;
                }
                thread::sleep(Duration::from_millis(100));
            }
        }
        step_outcome(r)
    }
}

fn step_outcome(r: StepResult) -> Result<()> {
    match r {
        StepResult::Done => Ok(()),
        StepResult::Busy => Err(generic_error(ffi::SQLITE_BUSY)),
        StepResult::Locked => Err(generic_error(ffi::SQLITE_LOCKED)),
        // The loops above only stop on the other results.
        StepResult::More => Err(generic_error(ffi::SQLITE_MISUSE)),
    }
}

/// The outcome of one [`Backup::step`].
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum StepResult {
    /// The backup is complete.
    Done,
    /// Pages were copied and more remain.
    More,
    /// The source or destination was busy; the step may be retried.
    Busy,
    /// The source connection is writing; the step may be retried.
    Locked,
}

/// How far a backup has got, as of the last [`Backup::step`].
#[derive(Copy, Clone, Debug)]
pub struct Progress {
    /// Pages still to copy.
    pub remaining: c_int,
    /// Pages in the source database.
    pub pagecount: c_int,
}

/// An online backup from one connection's database into another's. Dropping it finishes the
/// backup (`sqlite3_backup_finish`).
pub struct Backup<'a, 'b> {
    phantom_from: PhantomData<&'a Connection>,
    to: &'b Connection,
    b: *mut ffi::sqlite3_backup,
}

impl Backup<'_, '_> {
    /// A backup of `from`'s main database into `to`'s main database. `to` is borrowed mutably
    /// because the engine forbids using the destination while the backup runs.
    ///
    /// # Failure
    /// When `sqlite3_backup_init` refuses (for example, `to` has an open transaction);
    /// local connections only.
    #[inline]
    pub fn new<'a, 'b>(from: &'a Connection, to: &'b mut Connection) -> Result<Backup<'a, 'b>> {
        Backup::new_with_names(from, DatabaseName::Main, to, DatabaseName::Main)
    }

    /// A backup of the `from_name` database of `from` into the `to_name` database of `to`.
    ///
    /// # Failure
    /// As [`Backup::new`].
    pub fn new_with_names<'a, 'b>(
        from: &'a Connection,
        from_name: DatabaseName<'_>,
        to: &'b mut Connection,
        to_name: DatabaseName<'_>,
    ) -> Result<Backup<'a, 'b>> {
        let to_name = to_name.as_cstring()?;
        let from_name = from_name.as_cstring()?;
        let from_db = from.backend().local_handle("backup")?;
        let to_db = to.backend().local_handle("backup")?;
        // SAFETY: both handles are open for the lifetimes the result borrows them for.
        let b = unsafe {
            ffi::sqlite3_backup_init(to_db, to_name.as_ptr(), from_db, from_name.as_ptr())
        };
        if b.is_null() {
            // SAFETY: `to_db` is open; the failure is recorded on it.
            let code = unsafe { ffi::sqlite3_errcode(to_db) };
            return Err(to.backend().error(code));
        }
        Ok(Backup {
            phantom_from: PhantomData,
            to,
            b,
        })
    }

    /// The progress as of the last [`Backup::step`].
    #[inline]
    #[must_use]
    pub fn progress(&self) -> Progress {
        // SAFETY: `b` is live until drop.
        unsafe {
            Progress {
                remaining: ffi::sqlite3_backup_remaining(self.b),
                pagecount: ffi::sqlite3_backup_pagecount(self.b),
            }
        }
    }

    /// Copies up to `num_pages` pages (all remaining ones if negative).
    ///
    /// # Failure
    /// Any engine result other than done, OK, busy or locked (busy and locked are `Ok`
    /// results, since the step can be retried).
    pub fn step(&self, num_pages: c_int) -> Result<StepResult> {
        // SAFETY: `b` is live until drop.
        let rc = unsafe { ffi::sqlite3_backup_step(self.b, num_pages) };
        match rc {
            ffi::SQLITE_DONE => Ok(StepResult::Done),
            ffi::SQLITE_OK => Ok(StepResult::More),
            ffi::SQLITE_BUSY => Ok(StepResult::Busy),
            ffi::SQLITE_LOCKED => Ok(StepResult::Locked),
            _ => Err(self.to.backend().error(rc)),
        }
    }

    /// Runs the whole backup, `pages_per_step` pages at a time, sleeping
    /// `pause_between_pages` between steps (also after busy or locked steps) so the source
    /// stays usable. `progress` is called after each step.
    ///
    /// # Failure
    /// The first failing step's error.
    ///
    /// **Differs from rusqlite:** `pages_per_step <= 0` returns `Error::SqliteFailure`
    /// (`ApiMisuse`, "pages_per_step must be positive") instead of panicking.
    pub fn run_to_completion(
        &self,
        pages_per_step: c_int,
        pause_between_pages: Duration,
        progress: Option<fn(Progress)>,
    ) -> Result<()> {
        if pages_per_step <= 0 {
            return Err(error_from_sqlite_code(
                ffi::SQLITE_MISUSE,
                Some("pages_per_step must be positive".to_owned()),
            ));
        }
        loop {
            let r = self.step(pages_per_step)?;
            if let Some(f) = progress {
                f(self.progress());
            }
            match r {
                StepResult::Done => return Ok(()),
                StepResult::More | StepResult::Busy | StepResult::Locked => {
                    thread::sleep(pause_between_pages)
                }
            }
        }
    }
}

impl Drop for Backup<'_, '_> {
    fn drop(&mut self) {
        // SAFETY: `b` came from `sqlite3_backup_init` and is finished exactly once.
        unsafe { ffi::sqlite3_backup_finish(self.b) };
    }
}
