//! The macros that build the newer rusqlite surfaces ([`crate::v0_40`], [`crate::v0_43`]) as
//! thin layers over the one shared core (the 0.34 surface at the crate root).
//!
//! Each macro writes one concept (error, types, rows, statement, connection) once for every
//! newer surface; a version module invokes them and passes only what differs for it. The
//! wrappers hold the core types and forward, so behaviour (backends, binding, stepping,
//! caching, transactions) has one implementation.

#[macro_use]
mod error;
pub(crate) mod ffi;
pub(crate) mod name;
#[cfg(feature = "pointer")]
pub(crate) mod pointer;
#[macro_use]
mod raw_value;
#[macro_use]
mod types;
#[macro_use]
mod rows;
#[macro_use]
mod statement;
#[macro_use]
mod connection;
#[macro_use]
mod column;
#[macro_use]
mod file_control;
#[macro_use]
mod functions;
#[macro_use]
mod preupdate;
#[macro_use]
mod hooks;
#[macro_use]
mod backup;
#[macro_use]
mod blob;
#[macro_use]
mod limits;
#[macro_use]
mod load_extension;
#[cfg(feature = "vtab")]
#[macro_use]
mod vtab_adapter;
#[macro_use]
mod vtab;
#[macro_use]
mod serialize;
#[macro_use]
mod session;

/// What every newer surface re-exports unchanged from the core, and its `Params` (the core's
/// `params_module!`, expanded over the surface's `Statement` and `ToSql`).
macro_rules! surface_common {
    () => {
        mod params {
            use super::types::ToSql;
            use super::{BindIndex, Result, Statement};
            params_module!();
        }

        pub use self::params::{params_from_iter, Params, ParamsFromIter};

        /// Extensions the engine runs on every new connection (the process-wide local engine).
        pub mod auto_extension {
            use super::{Error, Result};

            pub use $crate::auto_extension::{
                cancel_auto_extension, reset_auto_extension, RawAutoExtension,
            };

            /// An auto-extension written in Rust: run on each new local connection by
            /// [`init_auto_extension`] from a [`RawAutoExtension`].
            pub type AutoExtension = fn(super::Connection) -> Result<()>;

            /// Runs `ax` on the connection `db` that the engine is opening (a non-owning
            /// connection, as in rusqlite); an `Err` or a panic fails the open with its code
            /// and message.
            ///
            /// # Safety
            /// `db` and `pz_err_msg` must be the arguments the engine passed to the raw entry
            /// point; `ax` must not close the connection nor open another one.
            pub unsafe fn init_auto_extension(
                db: *mut $crate::ffi::sqlite3,
                pz_err_msg: *mut *mut std::ffi::c_char,
                ax: AutoExtension,
            ) -> std::ffi::c_int {
                $crate::auto_extension::init_with(
                    db,
                    pz_err_msg,
                    |conn| ax(super::Connection::from_core(conn)),
                    |e, msg| super::to_sqlite_error(e, msg),
                )
            }

            /// Registers `ax` to run on every connection opened from now on.
            ///
            /// # Safety
            /// As in rusqlite: `ax` must be a valid SQLite extension entry point.
            pub unsafe fn register_auto_extension(ax: RawAutoExtension) -> Result<()> {
                $crate::auto_extension::register_auto_extension(ax).map_err(Error::from_core)
            }
        }

        /// Iterates over the statements of a multi-statement SQL string, preparing each in
        /// turn (empty statements are skipped).
        #[derive(Debug)]
        pub struct Batch<'conn, 'sql> {
            inner: $crate::Batch<'conn, 'sql>,
        }

        impl<'conn, 'sql> Batch<'conn, 'sql> {
            /// A batch over `sql`.
            pub fn new(conn: &'conn Connection, sql: &'sql str) -> Batch<'conn, 'sql> {
                Batch {
                    inner: $crate::Batch::new(conn.as_core(), sql),
                }
            }
        }

        impl<'conn> fallible_iterator::FallibleIterator for Batch<'conn, '_> {
            type Error = Error;
            type Item = Statement<'conn>;

            fn next(&mut self) -> Result<Option<Statement<'conn>>> {
                $crate::fallible_iterator::FallibleIterator::next(&mut self.inner)
                    .map(|stmt| stmt.map(Statement::from_core))
                    .map_err(Error::from_core)
            }
        }

        /// Reports `e` to SQLite from a callback such as a virtual table method: its extended
        /// code (`SQLITE_ERROR` unless a `SqliteFailure`) and its message into `err_msg`.
        ///
        /// # Safety
        /// `err_msg` must be valid for writing a pointer.
        pub unsafe fn to_sqlite_error(
            e: &Error,
            err_msg: *mut *mut std::ffi::c_char,
        ) -> std::ffi::c_int {
            let core = match e {
                Error::SqliteFailure(code, msg) => {
                    $crate::Error::SqliteFailure((*code).into(), msg.clone())
                }
                // Reported as its text, which is what `ModuleError` displays.
                other => $crate::Error::ModuleError(other.to_string()),
            };
            $crate::to_sqlite_error(&core, err_msg)
        }
        pub use self::types::ToSql;

        /// The raw engine interface: the core's [`ffi`]($crate::ffi) with this rusqlite
        /// line's `Error` and `code_to_str` (texts from `sqlite3_errstr`, as in 0.38+).
        pub mod ffi {
            pub use $crate::ffi::*;
            pub use $crate::surface::ffi::{code_to_str, Error};
        }

        pub use $crate::{
            fallible_iterator, fallible_streaming_iterator, version, version_number, BindIndex,
            Column, DropBehavior, ErrorCode, InterruptHandle, OpenFlags, PrepFlags, RowIndex,
            StatementStatus, TransactionBehavior, TransactionState,
        };
        // The core's binding macros only call `prepare`/`prepare_cached` and
        // `raw_bind_parameter`, so on a surface connection they bind the surface's `ToSql`.
        #[cfg(feature = "rusqlite-macros")]
        pub use $crate::{prepare_and_bind, prepare_cached_and_bind};
    };
}
