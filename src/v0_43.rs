//! The rusqlite **0.43** surface: `use dbcompat::v0_43 as rusqlite;`, or the `rusqlite` 0.43.99
//! facade in `facade/rusqlite-0.43` under `[patch.crates-io]`.
//!
//! The [`v0_40`](crate::v0_40) surface plus what 0.41-0.43 changed: empty or comment-only SQL
//! is `Error::Empty`; `InvalidParameterType` replaces the function/filter parameter variants;
//! `column_names()` is an iterator; `trace`/`profile` are gone; the hooks, `busy_handler`,
//! `trace_v2` and `wal_hook` take `&mut self` and closures; aggregates must be `Send`;
//! `backup` takes any `Fn(Progress)`; `CheckpointMode` is in `wal`; `ZeroBlob` takes a `u64`;
//! `serialize` takes `&mut self` and the serialized data derefs to bytes; a session conflict
//! handler gets `&ChangesetItem`.
//! From 0.40 (as rusqlite 0.40.2 differs from 0.34): a
//! second statement in `prepare` is `MultipleStatement`; `query_one`; the `Name` trait with
//! `&CStr` `MAIN_DB`/`TEMP_DB`; pragma schema names as `Option<&str>`; `Utf8Error(column, _)`
//! and `FromSqlError::Utf8Error`; `TryFrom<ValueRef>` for `Value`; `u64`/`usize` only with the
//! `fallible_uint` feature; `prepare_cached` only with the `cache` feature; quoted savepoint
//! names; the `functions`, `hooks`, `trace`, `backup`, `blob`, `limits`, `serialize`,
//! `session` and `auto_extension` modules, the preupdate hook, extension loading and `vtab`
//! (user modules through the 0.36+ traits, and the built-in `array`, `series`, `csvtab`) in
//! this version's forms over the core's. 0.42+: `vtab::{Values, ValueIter}` are
//! `types::{Values, ValueIter}` and `Filters::in_values` streams `types::RawValue`s.
//! Feature `extra_check_v0_43` (the facade's `extra_check`): `execute` refuses a read-only
//! statement with result columns, and the pragma functions accept only a name in the engine's
//! `pragma_pragma_list` (read once per connection), as rusqlite 0.41+ with `extra_check`.

use crate::types::Type;

surface_error! {
    extra_variants {
        /// A user function or virtual table filter received an argument of the wrong type.
        InvalidParameterType(usize, Type),
        /// The SQL was empty or held only comments.
        Empty,
    }
    display |f| {
        Error::InvalidParameterType(i, t) => {
            write!(f, "Invalid function or filter parameter type {t} at index {i}")
        },
        Error::Empty => write!(f, "SQL is empty or comment only"),
    }
    eq {
        (InvalidParameterType(i1, t1), InvalidParameterType(i2, t2)) => i1 == i2 && t1 == t2,
        (Empty, Empty) => true,
    }
    function_parameter_type: Error::InvalidParameterType,
    filter_parameter_type: Error::InvalidParameterType,
}
surface_types!(zero_blob_len: u64, utc_date_time_z_suffix: true, types_extra {
    surface_raw_value!();
});
surface_rows!();
surface_statement! {
    extra_check: cfg!(feature = "extra_check_v0_43"),
    per_version {
        /// The names of the result columns, in order (an iterator since 0.41).
        pub fn column_names(&self) -> impl DoubleEndedIterator<Item = &str> + ExactSizeIterator {
            self.inner.column_names().into_iter()
        }

        /// The result columns with their declared types (an iterator since 0.41).
        pub fn columns(&self) -> impl DoubleEndedIterator<Item = Column<'_>> + ExactSizeIterator {
            self.inner.columns().into_iter()
        }
    }
}
surface_connection! {
    empty_sql_check: reject_empty_sql,
    // 0.41+: with `extra_check`, a pragma name must be in the engine's `pragma_pragma_list`.
    pragma_list_check: cfg!(feature = "extra_check_v0_43"),
    per_version {
        /// The first column of the first row of `PRAGMA [schema.]name` (0.41+).
        pub fn pragma_query_one<T: types::FromSql>(
            &self,
            schema_name: Option<&str>,
            pragma_name: &str,
        ) -> Result<T> {
            self.pragma_query_value(schema_name, pragma_name, |row| row.get(0))
        }

        /// Calls `trace_fn` for the events in `mask` (local connections).
        pub fn trace_v2<F>(&mut self, mask: trace::TraceEventCodes, trace_fn: Option<F>) -> Result<()>
        where
            F: FnMut(trace::TraceEvent<'_>) + Send + 'static,
        {
            self.set_trace_v2(mask, trace_fn)
        }

        /// Registers a callback for `SQLITE_BUSY` (local connections).
        pub fn busy_handler<F>(&mut self, callback: Option<F>) -> Result<()>
        where
            F: FnMut(i32) -> bool + Send + 'static,
        {
            self.set_busy_handler(callback)
        }

        /// Installs (`Some`) or removes (`None`) a callback run after each commit in WAL
        /// mode (local connections).
        pub fn wal_hook<F>(&mut self, hook: Option<F>) -> Result<()>
        where
            F: FnMut(&mut hooks::Wal, std::ffi::c_int) -> Result<()> + Send + 'static,
        {
            self.set_wal_hook(hook)
        }

        /// Checkpoints database `db_name` (every WAL database when `None`) with `mode`;
        /// returns the log size and the frames checkpointed, or `(-1, -1)` when not in WAL
        /// mode. Local connections only: a remote or replica connection gets the core's
        /// local-only `SqliteFailure(SQLITE_MISUSE)` (a server checkpoints its own log).
        pub fn wal_checkpoint_v2<N: Name>(
            &self,
            db_name: Option<N>,
            mode: wal::CheckpointMode,
        ) -> Result<(std::ffi::c_int, std::ffi::c_int)> {
            let db_name = db_name.as_ref().map(Name::as_cstr).transpose()?;
            self.inner
                .wal_checkpoint_named(db_name.as_deref(), mode)
                .map_err(Error::from_core)
        }

        /// Attaches `data` to the connection under `name`, replacing (and dropping) what was
        /// there; `None` only drops. Returns the stored pointer. Local connections only: a
        /// remote or replica connection gets the core's local-only `SqliteFailure`.
        ///
        /// # Safety
        /// As in rusqlite: the pointer is valid until replaced or the connection closes.
        pub unsafe fn set_clientdata<T: Send + 'static, N: Name>(
            &self,
            name: N,
            data: Option<T>,
        ) -> Result<*mut T> {
            let name = name.as_cstr()?;
            self.inner.set_clientdata_named(&name, data).map_err(Error::from_core)
        }

        /// The data attached under `name`, if any (local connections only).
        ///
        /// # Safety
        /// The caller must be certain the data under `name` is a `T`.
        pub unsafe fn get_clientdata<T, N: Name>(&self, name: N) -> Result<Option<&T>> {
            let name = name.as_cstr()?;
            let data = self.inner.get_clientdata_named::<T>(&name).map_err(Error::from_core)?;
            Ok(data.as_ref())
        }

        /// Backs up the `name` database into the file `dst_path` (local connections).
        pub fn backup<N: Name, P: AsRef<std::path::Path>, F: Fn(backup::Progress)>(
            &self,
            name: N,
            dst_path: P,
            progress: Option<F>,
        ) -> Result<()> {
            self.backup_to(name, dst_path, progress)
        }
    }
}
surface_column! {
    per_version {
        impl Connection {
            /// The declared type, default collation, NOT NULL, PRIMARY KEY and AUTOINCREMENT of
            /// `table_name`.`column_name`; `SqliteFailure(SQLITE_ERROR)` when there is none.
            #[allow(clippy::type_complexity)]
            pub fn column_metadata<N: Name>(
                &self,
                db_name: Option<N>,
                table_name: N,
                column_name: N,
            ) -> Result<(Option<std::ffi::CString>, Option<std::ffi::CString>, bool, bool, bool)> {
                self.column_metadata_as((db_name, table_name, column_name), |name| name)
            }
        }

        #[cfg(feature = "column_metadata")]
        impl Statement<'_> {
            /// The origin (database, table, column) of every result column.
            pub fn columns_with_metadata(
                &self,
            ) -> impl DoubleEndedIterator<Item = ColumnMetadata<'_>> + ExactSizeIterator {
                (0..self.column_count()).map(|i| self.metadata_of(i))
            }

            /// The origin of result column `col` and its [`Connection::column_metadata`];
            /// `None` for an expression or an index out of range.
            #[allow(clippy::type_complexity)]
            pub fn column_metadata(
                &self,
                col: usize,
            ) -> Result<
                Option<(
                    &std::ffi::CStr,
                    &std::ffi::CStr,
                    &std::ffi::CStr,
                    Option<std::ffi::CString>,
                    Option<std::ffi::CString>,
                    bool,
                    bool,
                    bool,
                )>,
            > {
                self.origin_and_metadata(col, |name| name)
            }
        }
    }
}
surface_file_control!();
surface_functions! {
    scalar_context: [mut],
    aggregate_bounds: [+ Send],
    parameter_type: Error::InvalidParameterType,
    context_extra {
        /// 0.42+: the arguments are also reachable as [`Values`](super::types::Values)
        /// (`ctx[0]`, `ctx.iter()`).
        impl<'a> std::ops::Deref for Context<'a> {
            type Target = super::types::Values<'a>;

            fn deref(&self) -> &super::types::Values<'a> {
                super::types::Values::from_args(&self.args)
            }
        }

        impl std::ops::DerefMut for Context<'_> {
            fn deref_mut(&mut self) -> &mut Self::Target {
                super::types::Values::from_args_mut(&mut self.args)
            }
        }
    }
}
surface_hooks! {
    receiver: [mut],
    hooks_extra {}
}
surface_backup!(backup_extra {
    /// `None` as a progress callback: a bare `None` cannot infer `F` (0.41+).
    pub const NO_PROGRESS: Option<fn(_: Progress)> = None;
});
surface_blob!(zero_blob_len: u64);
surface_limits!(extra_limits {
    /// Maximum depth of the parser stack (SQLite 3.53+; older engines answer `SQLITE_RANGE`).
    SQLITE_LIMIT_PARSER_DEPTH = 12,
    /// Maximum number of schema objects (SQLite 3.54+; older engines answer `SQLITE_RANGE`).
    SQLITE_LIMIT_SCHEMA = 13,
    /// Maximum number of statements in one trigger (SQLite 3.54+; older engines answer
    /// `SQLITE_RANGE`).
    SQLITE_LIMIT_TRIGGER_STEPS = 14,
});
surface_serialize! {
    receiver: [mut],
    data_extra {
        impl Deref for SharedData<'_> {
            type Target = [u8];

            fn deref(&self) -> &[u8] {
                self.inner.bytes()
            }
        }

        impl Deref for OwnedData {
            type Target = [u8];

            fn deref(&self) -> &[u8] {
                self.inner.bytes()
            }
        }

        impl std::ops::DerefMut for OwnedData {
            fn deref_mut(&mut self) -> &mut [u8] {
                self.inner.bytes_mut()
            }
        }
    }
}
surface_session! {
    conflict_item: [&],
    session_extra {
        impl Session<'_> {
            /// Records the differences between `table` in database `from` and in this
            /// session's database.
            pub fn diff<F: Name, T: Name>(&mut self, from: F, table: T) -> Result<()> {
                self.diff_names(from, table)
            }
        }

        impl ChangesetIter<'_> {
            /// Iterates over a streamed changeset, which stays borrowed while iterating.
            pub fn start_strm<'input>(input: &'input &mut dyn Read) -> Result<ChangesetIter<'input>> {
                ChangesetIter::start_core_strm(input)
            }
        }
    }
}

/// Write-ahead log checkpointing (0.41 moved `CheckpointMode` here from `hooks`).
pub mod wal {
    pub use crate::hooks::CheckpointMode;
}

/// `None` as an `Option<N: Name>`, for `transaction_state(DEFAULT_NAME)` and the like (0.41+:
/// a bare `None` cannot infer `N`).
pub const DEFAULT_NAME: Option<&'static str> = None;

/// 0.43: empty or comment-only SQL is `Error::Empty` at prepare time.
fn reject_empty_sql(stmt: &crate::Statement<'_>) -> Result<()> {
    if stmt.is_empty_sql() {
        Err(Error::Empty)
    } else {
        Ok(())
    }
}

surface_load_extension!();
surface_vtab! {
    set_result_value: [],
    values {
        pub use super::types::{ValueIter, Values};
    }
    filters_extra {
        impl Filters<'_> {
            /// The whole right-hand side of the `IN` constraint passed as argument `idx`
            /// (after `IndexInfo::set_in_constraint(_, true)`), streamed as
            /// [`RawValue`](super::types::RawValue)s.
            ///
            /// # Panics
            /// If `idx >= self.len()`, as in rusqlite.
            pub fn in_values(&self, idx: usize) -> Result<InValues<'_>> {
                let list = self.values.args[idx];
                let item = std::ptr::null_mut();
                Ok(InValues { list, first: true, item, phantom: PhantomData })
            }
        }

        /// The values of an `IN` list ([`Filters::in_values`]), one engine value at a time; a
        /// filter argument that is not one fails the first `advance` with `SqliteFailure`.
        pub struct InValues<'a> {
            list: *mut crate::ffi::sqlite3_value,
            first: bool,
            /// The current value, null before the first and after the last.
            item: *mut crate::ffi::sqlite3_value,
            phantom: PhantomData<Filters<'a>>,
        }

        impl crate::fallible_streaming_iterator::FallibleStreamingIterator for InValues<'_> {
            type Error = Error;
            type Item = super::types::RawValue;

            fn advance(&mut self) -> Result<()> {
                let first = std::mem::replace(&mut self.first, false);
                // SAFETY: `list` is an xFilter argument of the call this borrows from.
                let value = unsafe { core_vtab::newer::in_value_step(self.list, first) };
                self.item = value.map_err(Error::from_core)?.unwrap_or(std::ptr::null_mut());
                Ok(())
            }

            fn get(&self) -> Option<&super::types::RawValue> {
                if self.item.is_null() {
                    return None;
                }
                // SAFETY: a value of the running xFilter call, valid until the next `advance`,
                // which needs `&mut self` and so ends this borrow.
                let value: &super::types::RawValue =
                    unsafe { super::types::RawValue::from_ptr(self.item) };
                Some(value)
            }
        }
    }
}
surface_common!();

/// `params!` of this surface: a `&[&dyn ToSql]` of its own `ToSql`.
#[doc(hidden)]
#[macro_export]
macro_rules! __params_v0_43 {
    () => {
        &[] as &[&dyn $crate::v0_43::ToSql]
    };
    ($($param:expr),+ $(,)?) => {
        &[$(&$param as &dyn $crate::v0_43::ToSql),+] as &[&dyn $crate::v0_43::ToSql]
    };
}

/// `named_params!` of this surface: a `&[(&str, &dyn ToSql)]` of its own `ToSql`.
#[doc(hidden)]
#[macro_export]
macro_rules! __named_params_v0_43 {
    () => {
        &[] as &[(&str, &dyn $crate::v0_43::ToSql)]
    };
    ($($param_name:literal: $param_val:expr),+ $(,)?) => {
        &[$(($param_name, &$param_val as &dyn $crate::v0_43::ToSql)),+]
            as &[(&str, &dyn $crate::v0_43::ToSql)]
    };
}

pub use crate::__named_params_v0_43 as named_params;
pub use crate::__params_v0_43 as params;
