//! Client data: values an application attaches to a connection by name
//! (`sqlite3_set_clientdata`, SQLite 3.44+), for the 0.43 surface's
//! `set_clientdata`/`get_clientdata`. Local connections only: the engine owns the values and
//! frees them when they are replaced or the connection closes.

use crate::functions::drop_boxed;
use crate::{ffi, Connection, Result};
use std::ffi::{c_void, CStr};
use std::ptr;

impl Connection {
    /// Attaches `data` (boxed) under `name`, replacing and freeing what was there; `None`
    /// only frees. Returns the stored pointer (null for `None`).
    ///
    /// # Safety
    /// As rusqlite's `set_clientdata`: the pointer is the engine's, valid until replaced or
    /// the connection closes.
    pub(crate) unsafe fn set_clientdata_named<T: Send + 'static>(
        &self,
        name: &CStr,
        data: Option<T>,
    ) -> Result<*mut T> {
        let db = self.backend().local_handle("set_clientdata")?;
        let stored = data.map_or(ptr::null_mut(), |d| Box::into_raw(Box::new(d)));
        let destructor =
            (!stored.is_null()).then_some(drop_boxed::<T> as unsafe extern "C" fn(*mut c_void));
        // On failure the engine has already run the destructor on `stored`.
        let rc = ffi::sqlite3_set_clientdata(db, name.as_ptr(), stored.cast(), destructor);
        if rc != ffi::SQLITE_OK {
            return Err(self.backend().error(rc));
        }
        Ok(stored)
    }

    /// The pointer attached under `name`, or null.
    ///
    /// # Safety
    /// The caller must know the value under `name` is a `T`.
    pub(crate) unsafe fn get_clientdata_named<T>(&self, name: &CStr) -> Result<*mut T> {
        let db = self.backend().local_handle("get_clientdata")?;
        Ok(ffi::sqlite3_get_clientdata(db, name.as_ptr()).cast())
    }
}
