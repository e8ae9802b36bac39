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
#[macro_use]
mod types;
#[macro_use]
mod rows;
#[macro_use]
mod statement;
#[macro_use]
mod connection;

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
    };
}
