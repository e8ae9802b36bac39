//! Process-wide start-up of the local engine, which dbcompat shares with libsql and with
//! whatever the application does through [`crate::ffi`] (registering sqlite-vec with
//! `sqlite3_auto_extension`, `sqlite3_config`, heap limits...).
//!
//! libsql's one-time setup (inside `libsql::Database::new`) calls
//! `sqlite3_config(SQLITE_CONFIG_SERIALIZED)` and *asserts* that it succeeds, which it only does
//! before the engine is initialised. So dbcompat runs that setup itself, first, whenever the
//! engine is still uninitialised, and never runs it (nor lets libsql run it) on an engine that
//! someone else initialised: there it would panic. Start-up never panics and never records a
//! failure for good: a failed attempt returns an `Error` and the next open tries again.

use crate::error::{error_from_sqlite_code, Error};
use crate::Result;
// The C functions themselves: `crate::ffi` wraps some of them to call `init_engine` first.
use libsql::ffi;
use std::ffi::c_int;
use std::sync::{Mutex, OnceLock};

/// How the engine came to be initialised, decided once per process.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Startup {
    /// libsql's setup ran (through dbcompat): the engine is SERIALIZED and libsql may build
    /// local databases and replicas freely.
    Libsql,
    /// The engine was initialised before dbcompat could configure it (by raw `ffi` calls, a
    /// C library, or a threading mode the application chose). libsql's assert must not run;
    /// every open checks the threading mode instead, as rusqlite does.
    Foreign,
}

/// Brings the engine up, once per process; cheap after the first success.
pub(crate) fn init_engine() -> Result<Startup> {
    static OUTCOME: OnceLock<Startup> = OnceLock::new();
    static ATTEMPT: Mutex<()> = Mutex::new(());
    if let Some(done) = OUTCOME.get() {
        return Ok(*done);
    }
    let _one_at_a_time = ATTEMPT.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(done) = OUTCOME.get() {
        return Ok(*done);
    }
    // SAFETY: engine-global calls, serialised with other dbcompat start-ups by the lock.
    let outcome = unsafe { start_engine() }?;
    Ok(*OUTCOME.get_or_init(|| outcome))
}

/// The start-up sequence itself. Engine-wide configuration dbcompat wants (beyond libsql's
/// SERIALIZED) belongs here, between the trial initialisation and libsql's setup.
///
/// # Safety
/// Must not race other threads' engine-global calls (`sqlite3_config`, `sqlite3_shutdown`).
unsafe fn start_engine() -> Result<Startup> {
    if engine_is_initialised() {
        return Ok(Startup::Foreign);
    }
    // Uninitialised means no connection is open and no auto-extension is registered (both
    // initialise the engine), so a trial initialisation can be undone with `sqlite3_shutdown`.
    // It reveals the threading mode the application configured: libsql would silently
    // replace SINGLETHREAD with SERIALIZED, where rusqlite refuses to open.
    check(ffi::sqlite3_initialize())?;
    if is_single_threaded() {
        return Ok(Startup::Foreign);
    }
    check(ffi::sqlite3_shutdown())?;
    run_libsql_setup()
}

/// Runs libsql's own one-time setup by building (and dropping) an in-memory libsql database.
/// Its assert can only fail if another thread initialised the engine in between (or its `Once`
/// was poisoned earlier); that panic is caught and the engine is used as `Foreign`, so opens
/// keep working.
///
/// # Safety
/// As for `start_engine`.
unsafe fn run_libsql_setup() -> Result<Startup> {
    let build = || crate::bridge::ready(libsql::Builder::new_local(":memory:").build());
    match std::panic::catch_unwind(build) {
        Ok(Some(Ok(_db))) => Ok(Startup::Libsql),
        Ok(Some(Err(e))) => Err(startup_error(&e.to_string())),
        Ok(None) => Err(startup_error(
            "libsql's local build did not finish on first poll",
        )),
        Err(_) => {
            check(ffi::sqlite3_initialize())?;
            Ok(Startup::Foreign)
        }
    }
}

fn startup_error(why: &str) -> Error {
    error_from_sqlite_code(
        ffi::SQLITE_MISUSE,
        Some(format!("libSQL engine start-up failed: {why}")),
    )
}

fn check(rc: c_int) -> Result<()> {
    if rc == ffi::SQLITE_OK {
        Ok(())
    } else {
        Err(error_from_sqlite_code(rc, None))
    }
}

/// `sqlite3_config` refuses most options (here a read-only one) once the engine is initialised;
/// there is no other public way to ask.
unsafe fn engine_is_initialised() -> bool {
    let mut current = std::mem::MaybeUninit::<ffi::sqlite3_mutex_methods>::zeroed();
    ffi::sqlite3_config(ffi::SQLITE_CONFIG_GETMUTEX, current.as_mut_ptr()) == ffi::SQLITE_MISUSE
}

/// rusqlite's test: a build without threads, or a fast mutex that is SQLite's no-op mutex
/// (the undocumented value 8), which is what SINGLETHREAD mode hands out.
unsafe fn is_single_threaded() -> bool {
    const SINGLE_THREADED_MUTEX: usize = 8;
    if ffi::sqlite3_threadsafe() == 0 {
        return true;
    }
    let mutex = ffi::sqlite3_mutex_alloc(ffi::SQLITE_MUTEX_FAST);
    let single = mutex as usize == SINGLE_THREADED_MUTEX;
    ffi::sqlite3_mutex_free(mutex);
    single
}

/// libsql builds replicas that use sync protocol v2 (and offline replicas) through its setup
/// even when asked to skip the assert; on a `Foreign` engine that assert panics (the bridge
/// catches it as `UnwindingPanic`). Says what happened instead.
#[cfg(feature = "replica")]
pub(crate) fn explain_setup_panic(e: Error, startup: Startup) -> Error {
    match e {
        Error::UnwindingPanic if startup == Startup::Foreign => error_from_sqlite_code(
            ffi::SQLITE_CANTOPEN,
            Some(
                "cannot open an embedded replica: the libSQL engine was initialised before \
                 dbcompat could configure it (call dbcompat::ffi's sqlite3_initialize or \
                 open a connection before other engine calls)"
                    .to_owned(),
            ),
        ),
        other => other,
    }
}

/// Checked before every open, as rusqlite does: the application may have switched the engine
/// to single-thread mode (shutdown, config, initialise) at any time.
pub(crate) fn ensure_safe_threading_mode() -> Result<()> {
    // SAFETY: allocates and frees one mutex, which SQLite allows at any time.
    if unsafe { is_single_threaded() } {
        Err(Error::SqliteSingleThreadedMode)
    } else {
        Ok(())
    }
}
