//! Reading SQLite's pointer-passing interface for the newer surfaces' `get_pointer` methods
//! (feature `pointer`, rusqlite 0.39+).

use crate::ffi;
use std::ffi::CStr;

/// The `T` that `value` carries as a pointer of type `ptr_type`, or `None` when `value` is
/// null or carries no pointer of that type (SQLite's `sqlite3_value_pointer` answers null).
///
/// # Safety
/// `value` must be null or a live engine value, and a pointer of type `ptr_type` must point to
/// a `T` that outlives `'a`.
pub(crate) unsafe fn value_pointer<'a, T: 'static>(
    value: *mut ffi::sqlite3_value,
    ptr_type: &CStr,
) -> Option<&'a T> {
    if value.is_null() {
        return None;
    }
    // SAFETY: as the caller promises.
    unsafe {
        ffi::sqlite3_value_pointer(value, ptr_type.as_ptr())
            .cast::<T>()
            .as_ref()
    }
}
