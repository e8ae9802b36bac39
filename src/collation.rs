//! User-defined collations (`sqlite3_create_collation_v2`): rusqlite 0.34's `collation`
//! feature, always available here.
//!
//! **Differs from rusqlite:** `Connection::collation_needed` is not provided, because its
//! callback receives a `&Connection` built from the raw engine handle, which dbcompat cannot
//! create yet.
//!
//! ## Backends
//! Local connections only: on a remote connection [`Connection::create_collation`] and
//! [`Connection::remove_collation`] return `Error::SqliteFailure` (`ApiMisuse`) saying the
//! feature needs a local database.

use crate::functions::drop_boxed;
use crate::{ffi, Connection, Result};
use std::cmp::Ordering;
use std::ffi::{c_int, c_void, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;
use std::slice;

unsafe extern "C" fn call_compare<C>(
    p: *mut c_void,
    len1: c_int,
    s1: *const c_void,
    len2: c_int,
    s2: *const c_void,
) -> c_int
where
    C: Fn(&str, &str) -> Ordering,
{
    unsafe fn text<'a>(p: *const c_void, len: c_int) -> std::borrow::Cow<'a, str> {
        if p.is_null() || len <= 0 {
            std::borrow::Cow::Borrowed("")
        } else {
            String::from_utf8_lossy(slice::from_raw_parts(p.cast::<u8>(), len as usize))
        }
    }
    let f = p.cast::<C>();
    if f.is_null() {
        return -1;
    }
    let r = catch_unwind(AssertUnwindSafe(|| {
        (*f)(text(s1, len1).as_ref(), text(s2, len2).as_ref())
    }));
    match r {
        Ok(Ordering::Less) => -1,
        Ok(Ordering::Equal) => 0,
        Ok(Ordering::Greater) => 1,
        // rusqlite answers "less" for a panicking comparison.
        Err(_) => -1,
    }
}

impl Connection {
    /// Registers (or replaces) the collation `collation_name`, comparing UTF-8 text with
    /// `x_compare` (invalid UTF-8 is replaced lossily). It stays until removed or the
    /// connection closes.
    ///
    /// # Failure
    /// `Error::NulError` for a name with an interior NUL; the engine's error, for example
    /// `SQLITE_BUSY` while a statement using the collation runs. Local connections only.
    pub fn create_collation<C>(&self, collation_name: &str, x_compare: C) -> Result<()>
    where
        C: Fn(&str, &str) -> Ordering + Send + 'static,
    {
        let db = self.backend().local_handle("create_collation")?;
        let name = CString::new(collation_name)?;
        let boxed = Box::into_raw(Box::new(x_compare));
        // SAFETY: on success the engine owns `boxed` and frees it with `drop_boxed::<C>`.
        let rc = unsafe {
            ffi::sqlite3_create_collation_v2(
                db,
                name.as_ptr(),
                ffi::SQLITE_UTF8,
                boxed.cast::<c_void>(),
                Some(call_compare::<C>),
                Some(drop_boxed::<C>),
            )
        };
        if rc == ffi::SQLITE_OK {
            return Ok(());
        }
        // The destructor is not called when the registration fails.
        // SAFETY: the engine did not keep `boxed`.
        unsafe { drop_boxed::<C>(boxed.cast::<c_void>()) };
        Err(self.backend().error(rc))
    }

    /// Removes the collation `collation_name`.
    ///
    /// # Failure
    /// As [`Connection::create_collation`]; local connections only.
    pub fn remove_collation(&self, collation_name: &str) -> Result<()> {
        let db = self.backend().local_handle("remove_collation")?;
        let name = CString::new(collation_name)?;
        // SAFETY: registering no comparison function deletes the collation.
        let rc = unsafe {
            ffi::sqlite3_create_collation_v2(
                db,
                name.as_ptr(),
                ffi::SQLITE_UTF8,
                ptr::null_mut(),
                None,
                None,
            )
        };
        if rc == ffi::SQLITE_OK {
            Ok(())
        } else {
            Err(self.backend().error(rc))
        }
    }
}
