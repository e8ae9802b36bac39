//! `surface_blob!`: the `blob` module of rusqlite 0.36 and later over the core's
//! (src/blob.rs): `blob_open` takes `Name`s, errors are the surface's, and `ZeroBlob` holds
//! the surface's length type (`i32` until 0.40, `u64` from 0.41).

macro_rules! surface_blob {
    (zero_blob_len: $zero_blob:ty) => {
        /// Incremental blob I/O (local connections).
        pub mod blob {
            use super::types::{ToSql, ToSqlOutput};
            use super::{Error, Result};
            use std::io;
            use std::mem::MaybeUninit;

            /// An open handle on one blob value, readable and writable in place.
            pub struct Blob<'conn> {
                pub(crate) inner: $crate::blob::Blob<'conn>,
            }

            impl Blob<'_> {
                /// Moves the handle to the same column of another row.
                pub fn reopen(&mut self, row: i64) -> Result<()> {
                    self.inner.reopen(row).map_err(Error::from_core)
                }

                /// The blob's size in bytes.
                #[must_use]
                pub fn size(&self) -> i32 {
                    self.inner.size()
                }

                /// The blob's size in bytes.
                #[must_use]
                pub fn len(&self) -> usize {
                    self.inner.len()
                }

                /// Whether the blob is empty.
                #[must_use]
                pub fn is_empty(&self) -> bool {
                    self.inner.is_empty()
                }

                /// Closes the handle, reporting an error drop would swallow.
                pub fn close(self) -> Result<()> {
                    self.inner.close().map_err(Error::from_core)
                }

                /// Writes all of `buf` at `write_start`; the blob cannot grow.
                pub fn write_at(&mut self, buf: &[u8], write_start: usize) -> Result<()> {
                    self.inner
                        .write_at(buf, write_start)
                        .map_err(Error::from_core)
                }

                /// As [`Blob::write_at`].
                pub fn write_all_at(&mut self, buf: &[u8], write_start: usize) -> Result<()> {
                    self.inner
                        .write_all_at(buf, write_start)
                        .map_err(Error::from_core)
                }

                /// Reads up to `buf.len()` bytes from `read_start`; returns how many.
                pub fn read_at(&self, buf: &mut [u8], read_start: usize) -> Result<usize> {
                    self.inner
                        .read_at(buf, read_start)
                        .map_err(Error::from_core)
                }

                /// Reads into uninitialised memory; returns the initialised part.
                pub fn raw_read_at<'a>(
                    &self,
                    buf: &'a mut [MaybeUninit<u8>],
                    read_start: usize,
                ) -> Result<&'a mut [u8]> {
                    self.inner
                        .raw_read_at(buf, read_start)
                        .map_err(Error::from_core)
                }

                /// Fills `buf` from `read_start`, or `BlobSizeError`.
                pub fn read_at_exact(&self, buf: &mut [u8], read_start: usize) -> Result<()> {
                    self.inner
                        .read_at_exact(buf, read_start)
                        .map_err(Error::from_core)
                }

                /// Fills uninitialised `buf` from `read_start`, or `BlobSizeError`.
                pub fn raw_read_at_exact<'a>(
                    &self,
                    buf: &'a mut [MaybeUninit<u8>],
                    read_start: usize,
                ) -> Result<&'a mut [u8]> {
                    self.inner
                        .raw_read_at_exact(buf, read_start)
                        .map_err(Error::from_core)
                }
            }

            impl io::Read for Blob<'_> {
                fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                    self.inner.read(buf)
                }
            }

            impl io::Write for Blob<'_> {
                fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
                    self.inner.write(buf)
                }

                fn flush(&mut self) -> io::Result<()> {
                    self.inner.flush()
                }
            }

            impl io::Seek for Blob<'_> {
                fn seek(&mut self, pos: io::SeekFrom) -> io::Result<u64> {
                    self.inner.seek(pos)
                }
            }

            /// A blob of this many zero bytes, to bind and then fill through [`Blob`].
            #[derive(Copy, Clone)]
            pub struct ZeroBlob(pub $zero_blob);

            impl ToSql for ZeroBlob {
                #[inline]
                fn to_sql(&self) -> Result<ToSqlOutput<'_>> {
                    Ok(ToSqlOutput::ZeroBlob(self.0))
                }
            }
        }

        impl Connection {
            /// Opens the blob at `table.column` of row `row_id` in database `db` (local
            /// connections).
            pub fn blob_open<D: Name, N: Name>(
                &self,
                db: D,
                table: N,
                column: N,
                row_id: i64,
                read_only: bool,
            ) -> Result<blob::Blob<'_>> {
                let (db, table, column) = (db.as_cstr()?, table.as_cstr()?, column.as_cstr()?);
                self.inner
                    .blob_open(
                        $crate::DatabaseName::C(&db),
                        table.to_str()?,
                        column.to_str()?,
                        row_id,
                        read_only,
                    )
                    .map(|inner| blob::Blob { inner })
                    .map_err(Error::from_core)
            }
        }
    };
}
