//! `surface_serialize!`: the `serialize` module of rusqlite 0.36 and later over the core's
//! (src/serialize.rs): schemas are `Name`s. 0.43's `serialize` takes `&mut self`
//! (`receiver: [mut]`, so a `SharedData` view keeps the connection borrowed mutably), and its
//! `Deref` of `SharedData`/`OwnedData` and `DerefMut` of `OwnedData` arrive as `data_extra`. The wrappers hold the core's data, so memory ownership has one implementation.

macro_rules! surface_serialize {
    (
        receiver: [$($receiver_mut:tt)?],
        data_extra { $($data_extra:tt)* }
    ) => {
        /// Serializing a database to bytes and loading one from bytes (local connections; the
        /// local-only `SqliteFailure` on a remote one).
        #[cfg(feature = "serialize")]
        pub mod serialize {
            use super::{Connection, Error, Name, Result};
            use std::ops::Deref;
            use std::ptr::NonNull;

            /// A serialization that points into the connection's own in-memory database
            /// (`SQLITE_SERIALIZE_NOCOPY`); valid while the connection is borrowed.
            pub struct SharedData<'conn> {
                inner: $crate::serialize::SharedData<'conn>,
            }

            /// A serialization in memory from `sqlite3_malloc`, freed on drop.
            pub struct OwnedData {
                inner: $crate::serialize::OwnedData,
            }

            impl OwnedData {
                /// Takes ownership of `sz` bytes at `ptr`.
                ///
                /// # Safety
                /// `ptr` must come from `sqlite3_malloc` and hold `sz` initialized bytes.
                pub unsafe fn from_raw_nonnull(ptr: NonNull<u8>, sz: usize) -> OwnedData {
                    OwnedData {
                        inner: $crate::serialize::OwnedData::from_raw_nonnull(ptr, sz),
                    }
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
                        Data::Shared(d) => d.inner.bytes(),
                        Data::Owned(d) => d.inner.bytes(),
                    }
                }
            }

            $($data_extra)*

            impl Connection {
                /// Serializes the database `schema`: without copying when it is an in-memory
                /// database, as a copy otherwise.
                pub fn serialize<N: Name>(&$($receiver_mut)? self, schema: N) -> Result<Data<'_>> {
                    let schema = schema.as_cstr()?;
                    let data = self
                        .inner
                        .serialize($crate::DatabaseName::C(&schema))
                        .map_err(Error::from_core)?;
                    Ok(match data {
                        $crate::serialize::Data::Shared(inner) => Data::Shared(SharedData { inner }),
                        $crate::serialize::Data::Owned(inner) => Data::Owned(OwnedData { inner }),
                    })
                }

                /// Reads exactly `sz` bytes from `read` and loads them as database `schema`
                /// (a read error is `SqliteFailure` with code `CannotOpen`, as in rusqlite).
                pub fn deserialize_read_exact<N: Name, R: std::io::Read>(
                    &mut self,
                    schema: N,
                    read: R,
                    sz: usize,
                    read_only: bool,
                ) -> Result<()> {
                    let schema = schema.as_cstr()?;
                    self.inner
                        .deserialize_read_exact($crate::DatabaseName::C(&schema), read, sz, read_only)
                        .map_err(Error::from_core)
                }

                /// Loads a database image embedded in the program (`include_bytes!`),
                /// read-only and without copying.
                pub fn deserialize_bytes<N: Name>(
                    &mut self,
                    schema: N,
                    data: &'static [u8],
                ) -> Result<()> {
                    let schema = schema.as_cstr()?;
                    self.inner
                        .deserialize_bytes($crate::DatabaseName::C(&schema), data)
                        .map_err(Error::from_core)
                }

                /// Replaces database `schema` with the image in `data`, which the engine then
                /// owns: resizable when writable, read-only otherwise.
                pub fn deserialize<N: Name>(
                    &mut self,
                    schema: N,
                    data: OwnedData,
                    read_only: bool,
                ) -> Result<()> {
                    let schema = schema.as_cstr()?;
                    self.inner
                        .deserialize($crate::DatabaseName::C(&schema), data.inner, read_only)
                        .map_err(Error::from_core)
                }
            }
        }
    };
}
