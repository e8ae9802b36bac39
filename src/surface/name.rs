//! What the newer surfaces' `Name::as_cstr` returns.

use std::ffi::{CStr, CString};

/// A database, function, collation or VFS name as a C string: owned when it was converted from
/// a `&str`, borrowed when it was a `&CStr` already. Read it through `Deref<Target = CStr>`.
///
/// Like rusqlite's own return type (0.36 and later) it is not `Clone`, so
/// `name.as_cstr()?.to_owned()` goes through the `Deref` and gives a `CString`, which code such
/// as tokio-rusqlite-new moves into a `'static` closure. (A `Cow` would clone itself instead,
/// still borrowing the name.)
pub enum Named<'a> {
    /// Converted from a `&str` (checked for interior NULs).
    Owned(CString),
    /// Given as a `&CStr`.
    Borrowed(&'a CStr),
}

impl std::ops::Deref for Named<'_> {
    type Target = CStr;

    fn deref(&self) -> &CStr {
        match self {
            Named::Owned(name) => name,
            Named::Borrowed(name) => name,
        }
    }
}
