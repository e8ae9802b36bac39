//! `surface_vtab!`: the `vtab` module of rusqlite 0.40 and later, as far as it is ported: the
//! built-in modules (`array` with `rarray()`, `series`, `csvtab`), the index-planning types
//! whose signatures did not change, and the argument helpers in their 0.40 forms. The modules
//! run on the core's implementations (src/vtab/); only the surface's `Connection`, `Result`
//! and `ToSql` differ. The 0.36+ traits for user modules (`VTab` with its new `connect` and
//! `best_index`, `Filters`/`Inserts`/`Updates`, `Module::read_only_module` and the rest) are
//! not here yet: user modules are written against the core's `vtab` through
//! `Connection::as_core`.

macro_rules! surface_vtab {
    () => {
        /// Virtual tables (feature `vtab`), local connections only: on a remote connection
        /// `load_module` and binding an `Array` return the local-only `SqliteFailure`
        /// (`ApiMisuse`). Not here yet: the traits for user modules (write those against
        /// [`crate::vtab`] and register them through [`Connection::as_core`]).
        #[cfg(feature = "vtab")]
        pub mod vtab {
            use super::{Error, Result};
            use std::borrow::Cow;

            pub use $crate::vtab::{
                escape_double_quote, parse_boolean, sqlite3_vtab, sqlite3_vtab_cursor,
                IndexConstraint, IndexConstraintAndUsageIter, IndexConstraintIter,
                IndexConstraintOp, IndexConstraintUsage, IndexFlags, OrderBy, OrderByIter,
                VTabConfig, VTabKind,
            };

            /// Removes one pair of outer quotes (`"…"`, `'…'`, `` `…` `` or `[…]`) and undoubles
            /// the quotes inside, as rusqlite 0.40+ does (0.34 returned a `&str` and left
            /// doubled quotes alone).
            #[must_use]
            pub fn dequote(s: &str) -> Cow<'_, str> {
                $crate::vtab::dequote_unescaped(s)
            }

            /// Splits a `key=value` module argument at its first `=` into the trimmed key and
            /// the [`dequote`]d value.
            ///
            /// # Failure
            /// `Error::Utf8Error` for non-UTF-8 bytes, `Error::ModuleError("illegal argument:
            /// '…'")` without `=`.
            pub fn parameter(c_slice: &[u8]) -> Result<(&str, Cow<'_, str>)> {
                $crate::vtab::split_parameter(c_slice).map_err(Error::from_core)
            }

            /// The `rarray()` table-valued function, for binding a Rust list as an `IN` list.
            #[cfg(feature = "array")]
            pub mod array {
                use super::super::types::{ToSql, ToSqlOutput};
                use super::super::{Connection, Error, Result};

                pub use $crate::vtab::array::Array;

                impl ToSql for Array {
                    #[inline]
                    fn to_sql(&self) -> Result<ToSqlOutput<'_>> {
                        Ok(ToSqlOutput::Array(self.clone()))
                    }
                }

                /// Registers the `rarray` module on `conn` (local connections).
                pub fn load_module(conn: &Connection) -> Result<()> {
                    $crate::vtab::array::load_module(conn.as_core()).map_err(Error::from_core)
                }
            }

            /// The `generate_series` table-valued function.
            #[cfg(feature = "series")]
            pub mod series {
                use super::super::{Connection, Error, Result};

                /// Registers the `generate_series` module on `conn` (local connections).
                pub fn load_module(conn: &Connection) -> Result<()> {
                    $crate::vtab::series::load_module(conn.as_core()).map_err(Error::from_core)
                }
            }

            /// The `csv` virtual table over a CSV file.
            #[cfg(feature = "csvtab")]
            pub mod csvtab {
                use super::super::{Connection, Error, Result};

                /// Registers the `csv` module on `conn` (local connections).
                pub fn load_module(conn: &Connection) -> Result<()> {
                    $crate::vtab::csvtab::load_module(conn.as_core()).map_err(Error::from_core)
                }
            }
        }
    };
}
