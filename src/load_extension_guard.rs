//! Loading SQLite extensions from shared libraries: [`LoadExtensionGuard`] and
//! `Connection::load_extension_enable`, `load_extension_disable` and `load_extension`, as in
//! rusqlite 0.34 with the `load_extension` feature.
//!
//! ## Backends
//! Local connections only: on a remote connection every method returns
//! `Error::SqliteFailure` (`ApiMisuse`) saying the feature needs a local database.

use crate::error::error_from_sqlite_code;
use crate::{ffi, Connection, Result};
use std::ffi::{c_char, c_void, CStr, CString};
use std::path::Path;
use std::ptr;

/// Enables extension loading on a connection while it lives, and disables it on drop.
///
/// ```rust,no_run
/// # use dbcompat::{Connection, Result, LoadExtensionGuard};
/// fn load_my_extension(conn: &Connection) -> Result<()> {
///     unsafe {
///         let _guard = LoadExtensionGuard::new(conn)?;
///         conn.load_extension("trusted/sqlite/extension", None)
///     }
/// }
/// ```
pub struct LoadExtensionGuard<'conn> {
    conn: &'conn Connection,
}

impl LoadExtensionGuard<'_> {
    /// Enables extension loading until the guard is dropped. Guards do not nest: the first
    /// one dropped disables loading.
    ///
    /// # Safety
    /// Do not run untrusted SQL while loading is enabled: `load_extension()` in SQL can load
    /// arbitrary code. See [`Connection::load_extension_enable`].
    #[inline]
    pub unsafe fn new(conn: &Connection) -> Result<LoadExtensionGuard<'_>> {
        conn.load_extension_enable()
            .map(|()| LoadExtensionGuard { conn })
    }
}

impl Drop for LoadExtensionGuard<'_> {
    fn drop(&mut self) {
        let _ = self.conn.load_extension_disable();
    }
}

impl Connection {
    /// Enables loading extensions, through [`Connection::load_extension`] and through the SQL
    /// function `load_extension()`.
    ///
    /// # Safety
    /// Loading is enabled for SQL too, so untrusted SQL could load arbitrary code; prefer a
    /// [`LoadExtensionGuard`] around trusted calls.
    ///
    /// # Failure
    /// Local connections only.
    #[inline]
    pub unsafe fn load_extension_enable(&self) -> Result<()> {
        self.enable_load_extension(true)
    }

    /// Disables loading extensions (always safe).
    ///
    /// # Failure
    /// Local connections only.
    #[inline]
    pub fn load_extension_disable(&self) -> Result<()> {
        // SAFETY: turning loading off cannot load anything.
        unsafe { self.enable_load_extension(false) }
    }

    unsafe fn enable_load_extension(&self, on: bool) -> Result<()> {
        let db = self.backend().local_handle("load_extension")?;
        let rc = ffi::sqlite3_enable_load_extension(db, i32::from(on));
        if rc == ffi::SQLITE_OK {
            Ok(())
        } else {
            Err(self.backend().error(rc))
        }
    }

    /// Loads the extension library at `dylib_path`, calling `entry_point` (or the engine's
    /// default entry-point names when `None`). Loading must be enabled first.
    ///
    /// # Safety
    /// The library runs arbitrary code in this process.
    ///
    /// # Failure
    /// `SqliteFailure` (`SQLITE_ERROR`) with the engine's message, for example when the file
    /// cannot be loaded or loading is disabled ("not authorized"); local connections only.
    pub unsafe fn load_extension<P: AsRef<Path>>(
        &self,
        dylib_path: P,
        entry_point: Option<&str>,
    ) -> Result<()> {
        let db = self.backend().local_handle("load_extension")?;
        let path = crate::open::path_to_cstring(dylib_path.as_ref())?;
        let entry = entry_point.map(CString::new).transpose()?;
        let mut errmsg: *mut c_char = ptr::null_mut();
        let rc = ffi::sqlite3_load_extension(
            db,
            path.as_ptr(),
            entry.as_ref().map_or(ptr::null(), |e| e.as_ptr()),
            &mut errmsg,
        );
        if rc == ffi::SQLITE_OK {
            return Ok(());
        }
        let msg = if errmsg.is_null() {
            let p = ffi::sqlite3_errstr(rc);
            (!p.is_null()).then(|| CStr::from_ptr(p).to_string_lossy().into_owned())
        } else {
            let m = CStr::from_ptr(errmsg).to_string_lossy().into_owned();
            ffi::sqlite3_free(errmsg.cast::<c_void>());
            Some(m)
        };
        Err(error_from_sqlite_code(rc, msg))
    }
}
