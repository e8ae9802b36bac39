//! `surface_file_control!`: rusqlite 0.41's `FileControl` and `Connection::file_control`,
//! `sqlite3_file_control` on the database file of a local connection. Remote and replica
//! connections have no file to reach: every op is `SQLITE_NOTFOUND` there (see
//! `backend::Conn::file_control`).

macro_rules! surface_file_control {
    () => {
        /// A file control opcode and its in/out argument, for [`Connection::file_control`].
        ///
        /// **Differs from rusqlite:** libSQL's engine is SQLite 3.47, which does not know
        /// `BlockOnConnect` (3.48+): it answers `SQLITE_NOTFOUND`, as for any op the file
        /// does not implement.
        #[derive(Debug)]
        #[non_exhaustive]
        pub enum FileControl<'p> {
            /// How large the database file will grow during the current transaction.
            SizeHint(&'p mut $crate::ffi::sqlite3_int64),
            /// The upper bound on the size of an in-memory (deserialized) database.
            SizeLimit(&'p mut $crate::ffi::sqlite3_int64),
            /// Grow and truncate the database file in chunks of this many bytes.
            ChunkSize(&'p mut std::ffi::c_int),
            /// Query (-1) or set the persistent WAL setting.
            PersistWal(&'p mut std::ffi::c_int),
            /// Query (-1) or set the "powersafe overwrite" setting.
            PowerSafeOverwrite(&'p mut std::ffi::c_int),
            /// Query (-1) or set the most bytes used for memory-mapped I/O.
            MMapSize(&'p mut $crate::ffi::sqlite3_int64),
            /// Whether the file was renamed, moved or deleted since it was opened.
            #[cfg(unix)]
            HasMoved(&'p mut std::ffi::c_int),
            /// How long to block for a file lock (engines built with
            /// `SQLITE_ENABLE_SETLK_TIMEOUT`; others answer `SQLITE_NOTFOUND`).
            LockTimeout(&'p mut std::ffi::c_int),
            /// Block when taking the shared lock to connect to a WAL database (SQLite 3.48+).
            #[cfg(feature = "modern_sqlite")]
            BlockOnConnect(&'p mut std::ffi::c_int),
            /// The data version of the file: it changes whenever the file does.
            DataVersion(&'p mut std::ffi::c_uint),
            /// Query (-1) or set the reserved bytes per page.
            ReserveBytes(&'p mut std::ffi::c_int),
        }

        impl Connection {
            /// `sqlite3_file_control` on the file of database `db_name` (`None`: `main`).
            /// Failures carry no message, as in rusqlite; on a remote or replica connection
            /// every op is `SqliteFailure(SQLITE_NOTFOUND)`.
            pub fn file_control<N: Name>(
                &self,
                db_name: Option<N>,
                op_and_arg: FileControl<'_>,
            ) -> Result<()> {
                use std::ffi::c_void;
                use $crate::ffi;
                fn to_void<X>(r: &mut X) -> *mut c_void {
                    std::ptr::from_mut(r).cast::<c_void>()
                }
                /// SQLite 3.48's opcode, which the engine's headers predate.
                #[cfg(feature = "modern_sqlite")]
                const SQLITE_FCNTL_BLOCK_ON_CONNECT: std::ffi::c_int = 44;
                let (op, arg) = match op_and_arg {
                    FileControl::SizeHint(p) => (ffi::SQLITE_FCNTL_SIZE_HINT, to_void(p)),
                    FileControl::SizeLimit(p) => (ffi::SQLITE_FCNTL_SIZE_LIMIT, to_void(p)),
                    FileControl::ChunkSize(p) => (ffi::SQLITE_FCNTL_CHUNK_SIZE, to_void(p)),
                    FileControl::PersistWal(p) => (ffi::SQLITE_FCNTL_PERSIST_WAL, to_void(p)),
                    FileControl::PowerSafeOverwrite(p) => {
                        (ffi::SQLITE_FCNTL_POWERSAFE_OVERWRITE, to_void(p))
                    }
                    FileControl::MMapSize(p) => (ffi::SQLITE_FCNTL_MMAP_SIZE, to_void(p)),
                    #[cfg(unix)]
                    FileControl::HasMoved(p) => (ffi::SQLITE_FCNTL_HAS_MOVED, to_void(p)),
                    FileControl::LockTimeout(p) => (ffi::SQLITE_FCNTL_LOCK_TIMEOUT, to_void(p)),
                    #[cfg(feature = "modern_sqlite")]
                    FileControl::BlockOnConnect(p) => (SQLITE_FCNTL_BLOCK_ON_CONNECT, to_void(p)),
                    FileControl::DataVersion(p) => (ffi::SQLITE_FCNTL_DATA_VERSION, to_void(p)),
                    FileControl::ReserveBytes(p) => (ffi::SQLITE_FCNTL_RESERVE_BYTES, to_void(p)),
                };
                let db_name = db_name.as_ref().map(Name::as_cstr).transpose()?;
                // SAFETY: each op gets the argument type its variant holds, as SQLite
                // documents it, borrowed for the call.
                unsafe {
                    self.inner
                        .backend()
                        .file_control(db_name.as_deref(), op, arg)
                }
                .map_err(Error::from_core)
            }
        }
    };
}
