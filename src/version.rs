//! The version of the SQLite engine inside libSQL.

use crate::ffi;
use std::ffi::CStr;

/// The engine's version number, e.g. 3047000 for 3.47.0 (libSQL's bundled SQLite).
#[inline]
#[must_use]
pub fn version_number() -> i32 {
    unsafe { ffi::sqlite3_libversion_number() }
}

/// The engine's version string, e.g. "3.47.0".
#[inline]
#[must_use]
pub fn version() -> &'static str {
    let p = unsafe { ffi::sqlite3_libversion() };
    if p.is_null() {
        return "";
    }
    // SAFETY: SQLite returns a static NUL-terminated ASCII string.
    unsafe { CStr::from_ptr(p) }.to_str().unwrap_or("")
}
