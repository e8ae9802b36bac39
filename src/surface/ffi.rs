//! The `ffi::Error` and `ffi::code_to_str` of the newer surfaces. rusqlite 0.38 and later
//! (libsqlite3-sys 0.36+) describe a result code with the engine's own `sqlite3_errstr` text
//! ("Error code 5: database is locked") where 0.34 used a fixed table of its own ("Error code 5:
//! The database file is locked"), which the core's `ffi::Error` keeps. Everything else in `ffi`
//! is the core's; each surface's `ffi` module re-exports it with these two in front.

use std::ffi::{c_int, CStr};
use std::fmt;

/// An SQLite error: the primary code as an [`ErrorCode`] and the full (extended) result code.
/// Same fields and behaviour as the core's `ffi::Error`; only the `Display` text differs.
///
/// [`ErrorCode`]: crate::ffi::ErrorCode
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Error {
    /// The primary result code, as an enum.
    pub code: crate::ffi::ErrorCode,
    /// The extended result code.
    pub extended_code: c_int,
}

impl Error {
    /// The error for an SQLite result code (primary or extended).
    #[must_use]
    pub fn new(result_code: c_int) -> Error {
        crate::ffi::Error::new(result_code).into()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Error code {}: {}",
            self.extended_code,
            code_to_str(self.extended_code)
        )
    }
}

impl std::error::Error for Error {}

impl From<crate::ffi::Error> for Error {
    #[inline]
    fn from(e: crate::ffi::Error) -> Error {
        Error {
            code: e.code,
            extended_code: e.extended_code,
        }
    }
}

impl From<Error> for crate::ffi::Error {
    #[inline]
    fn from(e: Error) -> crate::ffi::Error {
        crate::ffi::Error {
            code: e.code,
            extended_code: e.extended_code,
        }
    }
}

/// The engine's English description of a result code (`sqlite3_errstr`), as rusqlite 0.38+
/// gives it; "unknown error" for a code SQLite does not define.
#[must_use]
pub fn code_to_str(code: c_int) -> &'static str {
    // SAFETY: sqlite3_errstr needs no initialised engine and returns a static string (never
    // null in the SQLite versions libSQL ships; checked anyway).
    let text = unsafe { crate::ffi::sqlite3_errstr(code) };
    if text.is_null() {
        return "Unknown error code";
    }
    // SAFETY: a NUL-terminated static ASCII string owned by the engine.
    unsafe { CStr::from_ptr(text) }
        .to_str()
        .unwrap_or("Unknown error code")
}
