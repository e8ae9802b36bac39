//! Incremental BLOB I/O, as in rusqlite 0.34's `blob` module: read and write a blob in place
//! through `std::io::{Read, Write, Seek}` or the positional `read_at`/`write_at` methods.
//!
//! SQLite cannot resize a blob through this API; create it at its final size with SQL, for
//! example `zeroblob(n)` or a [`ZeroBlob`] parameter.
//!
//! ## Backends
//! Local connections only: [`Connection::blob_open`] on a remote connection returns
//! `Error::SqliteFailure` (`ApiMisuse`) saying the feature needs a local database.
//! [`ZeroBlob`] works as a parameter on every backend.
//!
//! ## Example
//!
//! ```rust
//! # use dbcompat::blob::ZeroBlob;
//! # use dbcompat::{Connection, DatabaseName};
//! # use std::io::{Read, Seek, SeekFrom, Write};
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let db = Connection::open_in_memory()?;
//! db.execute_batch("CREATE TABLE t (content BLOB)")?;
//! db.execute("INSERT INTO t (content) VALUES (?1)", [ZeroBlob(10)])?;
//! let rowid = db.last_insert_rowid();
//! let mut blob = db.blob_open(DatabaseName::Main, "t", "content", rowid, false)?;
//! assert_eq!(blob.write(b"01234567")?, 8);
//! blob.seek(SeekFrom::Start(0))?;
//! let mut buf = [0u8; 20];
//! assert_eq!(blob.read(&mut buf[..])?, 10);
//! # Ok(())
//! # }
//! ```

use crate::types::{ToSql, ToSqlOutput};
use crate::{ffi, Connection, DatabaseName, Error, Result};
use std::ffi::{c_int, CString};
use std::io;
use std::mem::MaybeUninit;
use std::ptr;
use std::slice;

/// An open handle on one blob value (`sqlite3_blob`). Closed on drop.
pub struct Blob<'conn> {
    conn: &'conn Connection,
    blob: *mut ffi::sqlite3_blob,
    /// The position used by the `std::io` implementations.
    pos: i32,
}

impl Connection {
    /// Opens the blob in `table.column` of the row `row_id` of database `db`, read-only or for
    /// writing.
    ///
    /// # Failure
    /// The engine's error: no such table, column or row, a value that is not a blob or text,
    /// an indexed column opened for writing, … Local connections only.
    pub fn blob_open<'a>(
        &'a self,
        db: DatabaseName<'_>,
        table: &str,
        column: &str,
        row_id: i64,
        read_only: bool,
    ) -> Result<Blob<'a>> {
        let handle = self.backend().local_handle("blob_open")?;
        let db = db.as_cstring()?;
        let table = CString::new(table)?;
        let column = CString::new(column)?;
        let mut blob = ptr::null_mut();
        // SAFETY: valid C strings and an out-pointer the engine fills.
        let rc = unsafe {
            ffi::sqlite3_blob_open(
                handle,
                db.as_ptr(),
                table.as_ptr(),
                column.as_ptr(),
                row_id,
                c_int::from(!read_only),
                &mut blob,
            )
        };
        if rc != ffi::SQLITE_OK {
            return Err(self.backend().error(rc));
        }
        Ok(Blob {
            conn: self,
            blob,
            pos: 0,
        })
    }
}

impl Blob<'_> {
    fn check(&self, rc: c_int) -> Result<()> {
        if rc == ffi::SQLITE_OK {
            Ok(())
        } else {
            Err(self.conn.backend().error(rc))
        }
    }

    /// Moves the handle to the same column of another row; the I/O position goes back to 0.
    ///
    /// # Failure
    /// The engine's error (no such row, not a blob); the handle is then unusable.
    pub fn reopen(&mut self, row: i64) -> Result<()> {
        // SAFETY: `blob` is open (or null, which the engine rejects with MISUSE).
        let rc = unsafe { ffi::sqlite3_blob_reopen(self.blob, row) };
        self.check(rc)?;
        self.pos = 0;
        Ok(())
    }

    /// The blob's size in bytes.
    #[inline]
    #[must_use]
    pub fn size(&self) -> i32 {
        // SAFETY: open handle (a null one reports 0).
        unsafe { ffi::sqlite3_blob_bytes(self.blob) }
    }

    /// The blob's size in bytes.
    #[inline]
    #[must_use]
    pub fn len(&self) -> usize {
        self.size().max(0) as usize
    }

    /// Whether the blob is zero bytes long.
    #[inline]
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.size() == 0
    }

    /// Closes the handle, reporting the engine's error (drop closes silently).
    #[inline]
    pub fn close(mut self) -> Result<()> {
        self.close_()
    }

    fn close_(&mut self) -> Result<()> {
        // SAFETY: closing a null handle is a harmless no-op.
        let rc = unsafe { ffi::sqlite3_blob_close(self.blob) };
        self.blob = ptr::null_mut();
        self.check(rc)
    }

    /// Bytes between the I/O position and the end.
    fn remaining(&self) -> usize {
        (i64::from(self.size()) - i64::from(self.pos)).max(0) as usize
    }

    /// Writes all of `buf` at `write_start`; the I/O position is unchanged.
    ///
    /// # Failure
    /// `Error::BlobSizeError` if the write would pass the end of the blob; the engine's error
    /// otherwise (for example on a read-only handle).
    pub fn write_at(&mut self, buf: &[u8], write_start: usize) -> Result<()> {
        if buf.len().saturating_add(write_start) > self.len() {
            return Err(Error::BlobSizeError);
        }
        // Both fit in an i32 now, since the blob's length does.
        // SAFETY: `buf` is valid for `buf.len()` bytes.
        let rc = unsafe {
            ffi::sqlite3_blob_write(
                self.blob,
                buf.as_ptr().cast(),
                buf.len() as c_int,
                write_start as c_int,
            )
        };
        self.check(rc)
    }

    /// Same as [`Blob::write_at`] (which already writes all or nothing).
    #[inline]
    pub fn write_all_at(&mut self, buf: &[u8], write_start: usize) -> Result<()> {
        self.write_at(buf, write_start)
    }

    /// Reads from `read_start` into `buf` as far as the blob goes; returns the bytes read
    /// (0 at or past the end). The I/O position is unchanged.
    pub fn read_at(&self, buf: &mut [u8], read_start: usize) -> Result<usize> {
        // SAFETY: viewing initialized bytes as MaybeUninit is always sound, and
        // `raw_read_at` only writes initialized bytes.
        let uninit = unsafe {
            slice::from_raw_parts_mut(buf.as_mut_ptr().cast::<MaybeUninit<u8>>(), buf.len())
        };
        self.raw_read_at(uninit, read_start).map(|s| s.len())
    }

    /// Like [`Blob::read_at`] into a possibly uninitialized buffer; returns the initialized
    /// prefix.
    pub fn raw_read_at<'a>(
        &self,
        buf: &'a mut [MaybeUninit<u8>],
        read_start: usize,
    ) -> Result<&'a mut [u8]> {
        let n = self
            .len()
            .checked_sub(read_start)
            .map_or(0, |left| left.min(buf.len()));
        if n > 0 {
            // `read_start < len`, so it and `n` fit in an i32.
            // SAFETY: `buf` has room for `n` bytes.
            let rc = unsafe {
                ffi::sqlite3_blob_read(
                    self.blob,
                    buf.as_mut_ptr().cast(),
                    n as c_int,
                    read_start as c_int,
                )
            };
            self.check(rc)?;
        }
        // SAFETY: the first `n` bytes were just written by the engine.
        Ok(unsafe { slice::from_raw_parts_mut(buf.as_mut_ptr().cast::<u8>(), n) })
    }

    /// Fills all of `buf` from `read_start`.
    ///
    /// # Failure
    /// `Error::BlobSizeError` if the blob ends before `buf` is full.
    pub fn read_at_exact(&self, buf: &mut [u8], read_start: usize) -> Result<()> {
        if self.read_at(buf, read_start)? == buf.len() {
            Ok(())
        } else {
            Err(Error::BlobSizeError)
        }
    }

    /// Like [`Blob::read_at_exact`] into a possibly uninitialized buffer.
    pub fn raw_read_at_exact<'a>(
        &self,
        buf: &'a mut [MaybeUninit<u8>],
        read_start: usize,
    ) -> Result<&'a mut [u8]> {
        let want = buf.len();
        let got = self.raw_read_at(buf, read_start)?;
        if got.len() == want {
            Ok(got)
        } else {
            Err(Error::BlobSizeError)
        }
    }
}

impl io::Read for Blob<'_> {
    /// Reads from the I/O position; 0 at the end of the blob. An engine error comes back as
    /// an `io::Error` wrapping the [`Error`].
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = buf.len().min(self.remaining());
        if n == 0 {
            return Ok(0);
        }
        // SAFETY: `buf` has room for `n` bytes, which fit in an i32 as the blob's size does.
        let rc = unsafe {
            ffi::sqlite3_blob_read(self.blob, buf.as_mut_ptr().cast(), n as c_int, self.pos)
        };
        self.check(rc).map_err(io::Error::other)?;
        self.pos += n as i32;
        Ok(n)
    }
}

impl io::Write for Blob<'_> {
    /// Writes at the I/O position, as much as fits before the end of the blob (0 at the end:
    /// a blob never grows).
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = buf.len().min(self.remaining());
        if n == 0 {
            return Ok(0);
        }
        // SAFETY: `buf` is valid for `n` bytes.
        let rc = unsafe {
            ffi::sqlite3_blob_write(self.blob, buf.as_ptr().cast(), n as c_int, self.pos)
        };
        self.check(rc).map_err(io::Error::other)?;
        self.pos += n as i32;
        Ok(n)
    }

    /// Nothing to flush: writes go straight to the engine.
    #[inline]
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl io::Seek for Blob<'_> {
    /// Moves the I/O position; seeking before the start or past the end is an
    /// `InvalidInput` error.
    fn seek(&mut self, pos: io::SeekFrom) -> io::Result<u64> {
        let size = i64::from(self.size());
        let target = match pos {
            // As in rusqlite, an offset beyond i64::MAX wraps negative and is refused.
            io::SeekFrom::Start(offset) => offset as i64,
            io::SeekFrom::Current(offset) => i64::from(self.pos).saturating_add(offset),
            io::SeekFrom::End(offset) => size.saturating_add(offset),
        };
        if target < 0 {
            Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "invalid seek to negative position",
            ))
        } else if target > size {
            Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "invalid seek to position past end of blob",
            ))
        } else {
            self.pos = target as i32;
            Ok(target as u64)
        }
    }
}

impl Drop for Blob<'_> {
    fn drop(&mut self) {
        let _ = self.close_();
    }
}

/// A blob of `n` zero bytes as a parameter (`sqlite3_bind_zeroblob`), to size a blob for
/// [`Blob`] I/O without building it in memory.
#[derive(Copy, Clone)]
pub struct ZeroBlob(pub i32);

impl ToSql for ZeroBlob {
    #[inline]
    fn to_sql(&self) -> Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::ZeroBlob(self.0))
    }
}
