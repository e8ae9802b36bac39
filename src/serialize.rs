//! Serializing a database to bytes and loading one from bytes (`sqlite3_serialize` /
//! `sqlite3_deserialize`): rusqlite 0.34's `serialize` module (feature `serialize`).
//!
//! ## Backends
//! Local connections only: on a remote connection every method returns the local-only
//! `SqliteFailure` (`ApiMisuse`). The bytes are an SQLite database file image, which libSQL's
//! engine reads and writes in the standard format.
//!
//! **Differs from rusqlite:** sizes that do not fit the engine give `SqliteFailure`
//! (`TooBig`) instead of a panic.

use crate::error::error_from_sqlite_code;
use crate::{ffi, Connection, DatabaseName, Error, Result};
use std::ffi::c_uint;
use std::marker::PhantomData;
use std::ops::Deref;
use std::ptr::NonNull;

/// A serialization that points into the connection's own in-memory database
/// (`SQLITE_SERIALIZE_NOCOPY`); valid while the connection is borrowed.
pub struct SharedData<'conn> {
    phantom: PhantomData<&'conn Connection>,
    ptr: NonNull<u8>,
    sz: usize,
}

/// A serialization in memory from `sqlite3_malloc`, freed on drop.
pub struct OwnedData {
    ptr: NonNull<u8>,
    sz: usize,
}

impl OwnedData {
    /// Takes ownership of `sz` bytes at `ptr`.
    ///
    /// # Safety
    /// `ptr` must come from `sqlite3_malloc` and hold `sz` initialized bytes.
    pub unsafe fn from_raw_nonnull(ptr: NonNull<u8>, sz: usize) -> OwnedData {
        OwnedData { ptr, sz }
    }

    /// The bytes (also for the newer surfaces' `Deref` of their wrappers).
    pub(crate) fn bytes(&self) -> &[u8] {
        // SAFETY: `sz` initialized bytes owned by `self`.
        unsafe { std::slice::from_raw_parts(self.ptr.as_ptr(), self.sz) }
    }

    /// The bytes, for 0.43's `DerefMut` of its wrapper.
    pub(crate) fn bytes_mut(&mut self) -> &mut [u8] {
        // SAFETY: `sz` initialized bytes owned by `self`, borrowed mutably.
        unsafe { std::slice::from_raw_parts_mut(self.ptr.as_ptr(), self.sz) }
    }

    fn into_raw(self) -> (*mut u8, usize) {
        let raw = (self.ptr.as_ptr(), self.sz);
        std::mem::forget(self);
        raw
    }
}

impl Drop for OwnedData {
    fn drop(&mut self) {
        // SAFETY: owned memory from sqlite3_malloc.
        unsafe { ffi::sqlite3_free(self.ptr.as_ptr().cast()) }
    }
}

/// A serialized database: its bytes through `Deref<Target = [u8]>`.
pub enum Data<'conn> {
    /// Borrowed from the connection (in-memory databases).
    Shared(SharedData<'conn>),
    /// A copy.
    Owned(OwnedData),
}

impl Deref for Data<'_> {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            Data::Shared(d) => d.bytes(),
            Data::Owned(d) => d.bytes(),
        }
    }
}

impl SharedData<'_> {
    /// The bytes (also for the newer surfaces' `Deref` of their wrappers).
    pub(crate) fn bytes(&self) -> &[u8] {
        // SAFETY: `sz` initialized bytes of the connection's database, alive while it is
        // borrowed.
        unsafe { std::slice::from_raw_parts(self.ptr.as_ptr(), self.sz) }
    }
}

// The engine's flag values, typed as its functions take them (libSQL's bindings declare the
// constants as `i32`).
const SERIALIZE_NOCOPY: c_uint = ffi::SQLITE_SERIALIZE_NOCOPY as c_uint;
const DESERIALIZE_FREEONCLOSE: c_uint = ffi::SQLITE_DESERIALIZE_FREEONCLOSE as c_uint;
const DESERIALIZE_RESIZEABLE: c_uint = ffi::SQLITE_DESERIALIZE_RESIZEABLE as c_uint;
const DESERIALIZE_READONLY: c_uint = ffi::SQLITE_DESERIALIZE_READONLY as c_uint;

fn too_big() -> Error {
    error_from_sqlite_code(ffi::SQLITE_TOOBIG, None)
}

impl Connection {
    /// Serializes the database `schema`: without copying when it is an in-memory database,
    /// as a copy otherwise.
    ///
    /// # Failure
    /// `SqliteFailure` for an unknown schema or when out of memory; the local-only
    /// `SqliteFailure` on a remote connection.
    pub fn serialize(&self, schema: DatabaseName<'_>) -> Result<Data<'_>> {
        let db = self.backend().local_handle("serialize")?;
        let schema = schema.as_cstring()?;
        let mut sz: ffi::sqlite3_int64 = 0;
        // SAFETY: a live local handle; the engine writes the size.
        let shared =
            unsafe { ffi::sqlite3_serialize(db, schema.as_ptr(), &mut sz, SERIALIZE_NOCOPY) };
        if let Some(ptr) = NonNull::new(shared) {
            return Ok(Data::Shared(SharedData {
                phantom: PhantomData,
                ptr,
                sz: usize::try_from(sz).map_err(|_| too_big())?,
            }));
        }
        // SAFETY: as above; the copy is ours to free.
        let copy = unsafe { ffi::sqlite3_serialize(db, schema.as_ptr(), &mut sz, 0) };
        match NonNull::new(copy) {
            Some(ptr) => Ok(Data::Owned(OwnedData {
                ptr,
                sz: usize::try_from(sz).map_err(|_| too_big())?,
            })),
            None => Err(self.backend().error(ffi::SQLITE_NOMEM)),
        }
    }

    /// Reads exactly `sz` bytes from `read` and loads them as database `schema`.
    ///
    /// # Failure
    /// A read error is `SqliteFailure` with code `CannotOpen`, extended code `SQLITE_IOERR`
    /// and the I/O error's text, as in rusqlite.
    pub fn deserialize_read_exact<R: std::io::Read>(
        &mut self,
        schema: DatabaseName<'_>,
        mut read: R,
        sz: usize,
        read_only: bool,
    ) -> Result<()> {
        self.backend().local_handle("deserialize_read_exact")?;
        let len = u64::try_from(sz).map_err(|_| too_big())?;
        // SAFETY: a fresh allocation (at least one byte, so an empty image is not null).
        let ptr = unsafe { ffi::sqlite3_malloc64(len.max(1)) }.cast::<u8>();
        let ptr =
            NonNull::new(ptr).ok_or_else(|| error_from_sqlite_code(ffi::SQLITE_NOMEM, None))?;
        // Owned from here, so a failed read frees it. The bytes are zeroed before being read
        // into, as `read_exact` may look at them.
        unsafe { std::ptr::write_bytes(ptr.as_ptr(), 0, sz) };
        let data = unsafe { OwnedData::from_raw_nonnull(ptr, sz) };
        // SAFETY: `sz` initialized bytes owned by `data`.
        let buf = unsafe { std::slice::from_raw_parts_mut(ptr.as_ptr(), sz) };
        read.read_exact(buf).map_err(|e| {
            Error::SqliteFailure(
                ffi::Error {
                    code: ffi::ErrorCode::CannotOpen,
                    extended_code: ffi::SQLITE_IOERR,
                },
                Some(e.to_string()),
            )
        })?;
        self.deserialize(schema, data, read_only)
    }

    /// Loads a database image embedded in the program (`include_bytes!`), read-only and
    /// without copying.
    pub fn deserialize_bytes(
        &mut self,
        schema: DatabaseName<'_>,
        data: &'static [u8],
    ) -> Result<()> {
        let sz = ffi::sqlite3_int64::try_from(data.len()).map_err(|_| too_big())?;
        // The engine never writes to a read-only image.
        self.deserialize_raw(schema, data.as_ptr().cast_mut(), sz, DESERIALIZE_READONLY)
    }

    /// Replaces database `schema` with the image in `data`, which the engine then owns:
    /// resizable when writable, read-only otherwise.
    pub fn deserialize(
        &mut self,
        schema: DatabaseName<'_>,
        data: OwnedData,
        read_only: bool,
    ) -> Result<()> {
        self.backend().local_handle("deserialize")?;
        let sz = ffi::sqlite3_int64::try_from(data.sz).map_err(|_| too_big())?;
        let flags = DESERIALIZE_FREEONCLOSE
            | if read_only {
                DESERIALIZE_READONLY
            } else {
                DESERIALIZE_RESIZEABLE
            };
        let (ptr, _) = data.into_raw();
        self.deserialize_raw(schema, ptr, sz, flags)
    }

    /// `sqlite3_deserialize`. With `FREEONCLOSE` the engine frees `data` even on failure;
    /// every caller has checked the connection is local first, so it always reaches it.
    fn deserialize_raw(
        &mut self,
        schema: DatabaseName<'_>,
        data: *mut u8,
        sz: ffi::sqlite3_int64,
        flags: c_uint,
    ) -> Result<()> {
        let schema = match schema.as_cstring() {
            Ok(schema) => schema,
            Err(e) => {
                if flags & DESERIALIZE_FREEONCLOSE != 0 {
                    // SAFETY: the image was handed over to be freed by the engine.
                    unsafe { ffi::sqlite3_free(data.cast()) };
                }
                return Err(e);
            }
        };
        let db = self.backend().local_handle("deserialize")?;
        // SAFETY: a live local handle and an image of `sz` bytes.
        let rc = unsafe { ffi::sqlite3_deserialize(db, schema.as_ptr(), data, sz, sz, flags) };
        if rc == ffi::SQLITE_OK {
            Ok(())
        } else {
            Err(self.backend().error(rc))
        }
    }
}
