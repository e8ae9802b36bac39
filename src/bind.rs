//! `BindIndex`: where a parameter goes, by 1-based index or by name.

use crate::{Error, Result, Statement};
use std::ffi::CStr;

mod sealed {
    /// Exactly `usize`, `&str` and `&CStr`, as in rusqlite 0.34.
    pub trait Sealed {}
    impl Sealed for usize {}
    impl Sealed for &str {}
    impl Sealed for &std::ffi::CStr {}
}

/// A parameter position: a 1-based `usize`, or a name with its prefix. Sealed, and `Copy` as
/// in rusqlite 0.41+ (a superset for 0.34 code: all three implementors are `Copy`).
pub trait BindIndex: sealed::Sealed + Copy {
    /// The 1-based index, or `InvalidParameterName` for an unknown name.
    fn idx(&self, stmt: &Statement<'_>) -> Result<usize>;
}

impl BindIndex for usize {
    /// Not validated here; binding out of range fails with `ParameterOutOfRange`.
    #[inline]
    fn idx(&self, _: &Statement<'_>) -> Result<usize> {
        Ok(*self)
    }
}

impl BindIndex for &'_ str {
    fn idx(&self, stmt: &Statement<'_>) -> Result<usize> {
        match stmt.parameter_index(self)? {
            Some(idx) => Ok(idx),
            None => Err(Error::InvalidParameterName(self.to_string())),
        }
    }
}

impl BindIndex for &'_ CStr {
    fn idx(&self, stmt: &Statement<'_>) -> Result<usize> {
        match stmt.stmt.parameter_index_c(self) {
            Some(idx) => Ok(idx),
            None => Err(Error::InvalidParameterName(
                self.to_string_lossy().to_string(),
            )),
        }
    }
}
