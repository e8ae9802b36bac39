//! `surface_vtab!`: the `vtab` module of rusqlite 0.40 and later: the user-module traits
//! (`VTab`, `CreateVTab`, `UpdateVTab`, `TransactionVTab`, `VTabCursor`) with this line's
//! signatures, `Module`'s const constructors, `Connection::create_module`, the built-in modules
//! (`array` with `rarray()`, `series`, `csvtab`) and the argument helpers in their 0.40 forms.
//!
//! A user's table and cursor run on the core's module machinery (src/vtab/): private
//! `#[repr(transparent)]` adapters (`vtab_adapters!`, src/surface/vtab_adapter.rs) implement the
//! core's traits by calling the surface's, so the engine callbacks, panic catching and error
//! reporting have one implementation. Only what
//! mentions the surface's `Error`, `ToSql`/`FromSql` or `ValueRef` is declared here. Per
//! version: how `Context::set_result` takes its value (`&T` before 0.43, `T` since), which
//! `Values` the argument views deref to (0.40's own, `vtab_values!`; 0.42+'s `types::Values`)
//! and what `Filters::in_values` gives (0.40's `FallibleIterator` of `ValueRef`s, 0.42+'s
//! streaming iterator of `RawValue`s).

/// The argument views of `filter`, `insert` and `update`: each its own type over the same
/// `Values`, as in rusqlite; the writes also tell the statement's conflict mode.
#[cfg(feature = "vtab")]
macro_rules! vtab_argument_views {
    ($($(#[$doc:meta])* $name:ident $({ $on_conflict:ident })?;)*) => {$(
        $(#[$doc])*
        pub struct $name<'a> {
            values: Values<'a>,
        }

        impl<'a> Deref for $name<'a> {
            type Target = Values<'a>;

            fn deref(&self) -> &Values<'a> {
                &self.values
            }
        }

        $(
            impl $name<'_> {
                /// The conflict mode of the statement (`sqlite3_vtab_on_conflict`).
                ///
                /// **Differs from rusqlite:** an unknown mode is `Abort` instead of a panic.
                ///
                /// # Safety
                /// `db` must be the connection running this write.
                #[must_use]
                pub unsafe fn $on_conflict(&self, db: *mut $crate::ffi::sqlite3) -> ConflictMode {
                    core_vtab::newer::on_conflict(db)
                }
            }
        )?
    )*};
}

/// 0.40's own `vtab::Values` and `ValueIter` (0.42 made them `types::Values`/`ValueIter`, with
/// `RawValue` indexing). `$invalid_type` is the variant a type mismatch in `get` reports.
#[cfg(feature = "vtab")]
macro_rules! vtab_values {
    (invalid_type: $invalid_type:path) => {
        /// The arguments of a filter or of an [`UpdateVTab`] method.
        pub struct Values<'a> {
            /// The engine's values (read directly by the argument views).
            pub(crate) args: &'a [*mut $crate::ffi::sqlite3_value],
        }

        impl<'a> Values<'a> {
            /// How many values there are.
            #[must_use]
            pub fn len(&self) -> usize {
                self.args.len()
            }

            /// The `T` value `idx` carries as a pointer of type `ptr_type` (feature
            /// `pointer`), or `None`.
            ///
            /// # Safety
            /// A pointer of type `ptr_type` must point to a `T` that outlives `'p`.
            ///
            /// # Panics
            /// If `idx >= self.len()`, as in rusqlite.
            #[cfg(feature = "pointer")]
            pub unsafe fn get_pointer<'p, T: 'static>(
                &self,
                idx: usize,
                ptr_type: &'static std::ffi::CStr,
            ) -> Option<&'p T> {
                // SAFETY: a live value; the caller vouches for the pointer's type.
                unsafe { $crate::surface::pointer::value_pointer(self.args[idx], ptr_type) }
            }

            /// Whether there are none.
            #[must_use]
            pub fn is_empty(&self) -> bool {
                self.args.is_empty()
            }

            /// The `idx`th value converted to `T`; a type mismatch names the argument.
            ///
            /// # Panics
            /// If `idx >= self.len()`, as in rusqlite.
            pub fn get<T: super::types::FromSql>(&self, idx: usize) -> Result<T> {
                let core = core_vtab::Values { args: self.args };
                super::functions::argument(idx, ValueRef::from_core(core.value(idx)), $invalid_type)
            }

            /// Iterates over the values.
            #[must_use]
            pub fn iter(&self) -> ValueIter<'_> {
                ValueIter {
                    inner: core_vtab::ValueIter::over(self.args),
                }
            }
        }

        impl<'a> IntoIterator for &'a Values<'a> {
            type IntoIter = ValueIter<'a>;
            type Item = ValueRef<'a>;

            fn into_iter(self) -> ValueIter<'a> {
                self.iter()
            }
        }

        /// Iterator over [`Values`].
        pub struct ValueIter<'a> {
            inner: core_vtab::ValueIter<'a>,
        }

        impl<'a> Iterator for ValueIter<'a> {
            type Item = ValueRef<'a>;

            fn next(&mut self) -> Option<ValueRef<'a>> {
                self.inner.next().map(ValueRef::from_core)
            }

            fn size_hint(&self) -> (usize, Option<usize>) {
                self.inner.size_hint()
            }
        }
    };
}

macro_rules! surface_vtab {
    (
        set_result_value: [$($set_result_ref:tt)?],
        values { $($values:tt)* }
        filters_extra { $($filters_extra:tt)* }
    ) => {
        /// Virtual tables (feature `vtab`), local connections only: on a remote connection
        /// `create_module`, `load_module` and binding an `Array` return the local-only
        /// `SqliteFailure` (`ApiMisuse`).
        ///
        /// **Differs from rusqlite:** a panic inside a module method fails the SQL statement
        /// with "unwinding panic" instead of aborting the process.
        #[cfg(feature = "vtab")]
        pub mod vtab {
            use super::types::{ToSql, ValueRef};
            use super::{Connection, Error, Name, Result};
            use std::borrow::Cow;
            use std::ffi::{c_int, CStr};
            use std::marker::PhantomData;
            use std::ops::{Deref, DerefMut};
            use $crate::vtab as core_vtab;

            pub use $crate::vtab::{
                escape_double_quote, parse_boolean, sqlite3_vtab, sqlite3_vtab_cursor,
                IndexConstraint, IndexConstraintAndUsageIter, IndexConstraintIter,
                IndexConstraintOp, IndexConstraintUsage, IndexFlags, OrderBy, OrderByIter,
                VTabConfig, VTabKind,
            };
            pub use $crate::vtab::newer::{ConflictMode, DistinctMode};

            /// A virtual table instance.
            ///
            /// # Safety
            /// The implementing struct must be `#[repr(C)]` with a [`sqlite3_vtab`] as its
            /// first field: the engine sees a pointer to that field.
            pub unsafe trait VTab<'vtab>: Sized {
                /// Data given to [`Connection::create_module`], passed to `connect`/`create`.
                type Aux: Send + Sync + 'static;
                /// The cursor type.
                type Cursor: VTabCursor;

                /// Connects to an existing table: returns the `CREATE TABLE` statement
                /// declaring its columns, and the instance. `args` are the arguments of
                /// `CREATE VIRTUAL TABLE … USING module(…)`.
                ///
                /// **Differs from rusqlite:** the statement must be UTF-8 (else
                /// `Utf8Error`).
                fn connect(
                    db: &mut VTabConnection,
                    aux: Option<&Self::Aux>,
                    module_name: &[u8],
                    database_name: &[u8],
                    table_name: &[u8],
                    args: &[&[u8]],
                ) -> Result<(Cow<'static, CStr>, Self)>;

                /// Chooses how to run a query; `Ok(false)` marks the plan unusable
                /// (`SQLITE_CONSTRAINT`).
                fn best_index(&self, info: &mut IndexInfo) -> Result<bool>;

                /// Opens a cursor.
                fn open(&'vtab mut self) -> Result<Self::Cursor>;
            }

            /// A table that can be made with `CREATE VIRTUAL TABLE`.
            pub trait CreateVTab<'vtab>: VTab<'vtab> {
                /// The kind of module (`create`/`destroy` are not called for
                /// `EponymousOnly`).
                const KIND: VTabKind;

                /// Creates the table's backing state; by default the same as
                /// [`VTab::connect`].
                fn create(
                    db: &mut VTabConnection,
                    aux: Option<&Self::Aux>,
                    module_name: &[u8],
                    database_name: &[u8],
                    table_name: &[u8],
                    args: &[&[u8]],
                ) -> Result<(Cow<'static, CStr>, Self)> {
                    Self::connect(db, aux, module_name, database_name, table_name, args)
                }

                /// Called on `DROP TABLE`; by default does nothing.
                fn destroy(&self) -> Result<()> {
                    Ok(())
                }
            }

            /// A writable table.
            pub trait UpdateVTab<'vtab>: CreateVTab<'vtab> {
                /// Deletes the row with rowid (or primary key) `arg`.
                fn delete(&mut self, arg: ValueRef<'_>) -> Result<()>;
                /// Inserts a row: `args[1]` is the new rowid (or NULL), then the columns.
                /// Returns the rowid of the new row.
                fn insert(&mut self, args: &Inserts<'_>) -> Result<i64>;
                /// Updates a row: `args[0]` is the old rowid, `args[1]` the new one, then
                /// the columns.
                fn update(&mut self, args: &Updates<'_>) -> Result<()>;
            }

            /// A writable table told of transactions (registered with
            /// [`Module::update_module_with_tx`]); every step does nothing by default.
            pub trait TransactionVTab<'vtab>: UpdateVTab<'vtab> {
                /// A transaction starts.
                fn begin(&mut self) -> Result<()> {
                    Ok(())
                }
                /// The first phase of a commit.
                fn sync(&mut self) -> Result<()> {
                    Ok(())
                }
                /// The transaction commits.
                fn commit(&mut self) -> Result<()> {
                    Ok(())
                }
                /// The transaction rolls back.
                fn rollback(&mut self) -> Result<()> {
                    Ok(())
                }
            }

            /// A cursor over a virtual table.
            ///
            /// # Safety
            /// The implementing struct must be `#[repr(C)]` with a [`sqlite3_vtab_cursor`]
            /// as its first field.
            pub unsafe trait VTabCursor: Sized {
                /// Starts a search, with the plan [`VTab::best_index`] chose and its
                /// arguments.
                fn filter(
                    &mut self,
                    idx_num: c_int,
                    idx_str: Option<&str>,
                    args: &Filters<'_>,
                ) -> Result<()>;
                /// Moves to the next row.
                fn next(&mut self) -> Result<()>;
                /// Whether the cursor is past the last row.
                fn eof(&self) -> bool;
                /// Sets the value of column `i` of the current row through `ctx`.
                fn column(&self, ctx: &mut Context, i: c_int) -> Result<()>;
                /// The rowid of the current row.
                fn rowid(&self) -> Result<i64>;
            }

            /// A virtual table module: the engine's method table for `T`, built by the
            /// const constructors below and registered with [`Connection::create_module`].
            #[repr(transparent)]
            pub struct Module<'vtab, T: VTab<'vtab>> {
                inner: core_vtab::Module<'vtab, TableAdapter<T>>,
            }

            impl<'vtab, T: VTab<'vtab>> Module<'vtab, T> {
                /// A read-only module usable only by its name (`SELECT … FROM name(…)`).
                #[must_use]
                pub const fn eponymous_only_module() -> Self {
                    Module { inner: core_vtab::Module::eponymous_only() }
                }

                /// A read-only module of the kind `T::KIND` says.
                #[must_use]
                pub const fn read_only_module() -> Self
                where
                    T: CreateVTab<'vtab>,
                {
                    Module { inner: core_vtab::Module::read_only() }
                }

                /// A writable module of the kind `T::KIND` says.
                #[must_use]
                pub const fn update_module() -> Self
                where
                    T: UpdateVTab<'vtab>,
                {
                    Module { inner: core_vtab::Module::update() }
                }

                /// A writable module whose tables are told of transactions.
                #[must_use]
                pub const fn update_module_with_tx() -> Self
                where
                    T: TransactionVTab<'vtab>,
                {
                    Module { inner: core_vtab::Module::update_with_tx() }
                }

                /// The same module without `xRowid` (for `WITHOUT ROWID` tables).
                #[must_use]
                pub const fn without_rowid(self) -> Self {
                    let Module { inner } = self;
                    Module { inner: inner.without_rowid() }
                }

                /// The same module without `xSync`.
                #[must_use]
                pub const fn without_sync(self) -> Self
                where
                    T: TransactionVTab<'vtab>,
                {
                    let Module { inner } = self;
                    Module { inner: inner.without_sync() }
                }
            }

            impl Connection {
                /// Registers a virtual table module under `module_name`; `aux` is handed to
                /// every `connect`/`create` and dropped with the module.
                ///
                /// # Failure
                /// On a remote connection, the local-only `SqliteFailure` (`ApiMisuse`).
                pub fn create_module<'vtab, T: VTab<'vtab>, M: Name>(
                    &self,
                    module_name: M,
                    module: &'static Module<'vtab, T>,
                    aux: Option<T::Aux>,
                ) -> Result<()> {
                    let name = module_name.as_cstr()?;
                    self.as_core()
                        .create_module(name.to_str()?, &module.inner, aux)
                        .map_err(Error::from_core)
                }
            }

            /// The connection a table is being created or connected on.
            pub struct VTabConnection {
                inner: core_vtab::VTabConnection,
            }

            impl VTabConnection {
                /// Sets an option of the virtual table being declared.
                pub fn config(&mut self, config: VTabConfig) -> Result<()> {
                    self.inner.config(config).map_err(Error::from_core)
                }

                /// The raw engine handle.
                ///
                /// # Safety
                /// The caller must not close it or keep it beyond the callback.
                pub unsafe fn handle(&mut self) -> *mut $crate::ffi::sqlite3 {
                    self.inner.handle()
                }
            }

            /// The planner's question to [`VTab::best_index`] and the table's answer. The
            /// methods whose signatures did not change since 0.34 come from the core's
            /// `IndexInfo` through `Deref`.
            #[derive(Debug)]
            pub struct IndexInfo {
                inner: core_vtab::IndexInfo,
            }

            impl Deref for IndexInfo {
                type Target = core_vtab::IndexInfo;

                fn deref(&self) -> &core_vtab::IndexInfo {
                    &self.inner
                }
            }

            impl DerefMut for IndexInfo {
                fn deref_mut(&mut self) -> &mut core_vtab::IndexInfo {
                    &mut self.inner
                }
            }

            impl IndexInfo {
                /// The collation of constraint `constraint_idx`.
                ///
                /// # Failure
                /// `SqliteFailure` (`ApiMisuse`) when the index is out of range.
                pub fn collation(&self, constraint_idx: usize) -> Result<&str> {
                    self.inner.collation(constraint_idx).map_err(Error::from_core)
                }

                /// The string identifying the chosen plan, from a static C string.
                pub fn set_idx_cstr(&mut self, idx_str: &'static CStr) {
                    self.inner.set_idx_cstr(idx_str);
                }

                /// How the query uses the rows (`sqlite3_vtab_distinct`).
                #[must_use]
                pub fn distinct(&self) -> DistinctMode {
                    self.inner.distinct()
                }

                /// The right-hand value of constraint `constraint_idx`, when the planner
                /// knows it (`Ok(None)` otherwise).
                pub fn rhs_value(&self, constraint_idx: usize) -> Result<Option<ValueRef<'_>>> {
                    let value = self.inner.rhs_value(constraint_idx).map_err(Error::from_core)?;
                    Ok(value.map(ValueRef::from_core))
                }

                /// Whether constraint `constraint_idx` is an `IN` the table may take whole.
                ///
                /// # Failure
                /// `SqliteFailure` (`ApiMisuse`) when the index is out of range.
                pub fn is_in_constraint(&self, constraint_idx: usize) -> Result<bool> {
                    self.inner.is_in_constraint(constraint_idx).map_err(Error::from_core)
                }

                /// Asks for the whole right-hand side of `IN` constraint `constraint_idx` in
                /// one filter argument (0.40's `Filters::in_values`); whether the engine agreed.
                ///
                /// # Failure
                /// `SqliteFailure` (`ApiMisuse`) when the index is out of range.
                pub fn set_in_constraint(
                    &mut self,
                    constraint_idx: usize,
                    filter_all: bool,
                ) -> Result<bool> {
                    self.inner
                        .set_in_constraint(constraint_idx, filter_all)
                        .map_err(Error::from_core)
                }
            }

            /// Where [`VTabCursor::column`] puts a column value.
            pub struct Context {
                inner: core_vtab::Context,
            }

            impl Context {
                /// Sets the column value.
                pub fn set_result<T: ToSql>(&mut self, value: $($set_result_ref)? T) -> Result<()> {
                    let out = value.to_sql()?.into_core()?;
                    self.inner.set_result(&out).map_err(Error::from_core)
                }

                /// Whether the column is read for an UPDATE that does not change it
                /// (`sqlite3_vtab_nochange`).
                #[must_use]
                pub fn no_change(&self) -> bool {
                    self.inner.no_change()
                }

                /// The connection running this statement, as a non-owning
                /// [`ConnectionRef`].
                ///
                /// # Safety
                /// The connection must not be closed, and nothing that invalidates the running
                /// statement may be done through it.
                pub unsafe fn get_connection(&self) -> Result<ConnectionRef<'_>> {
                    let conn = self.inner.connection().map_err(Error::from_core)?;
                    Ok(ConnectionRef { conn: Connection::from_core(conn), phantom: PhantomData })
                }
            }

            /// The connection of a [`Context`]: dropping it never closes the database.
            pub struct ConnectionRef<'ctx> {
                conn: Connection,
                phantom: PhantomData<&'ctx Context>,
            }

            impl Deref for ConnectionRef<'_> {
                type Target = Connection;

                fn deref(&self) -> &Connection {
                    &self.conn
                }
            }

            $($values)*

            vtab_argument_views! {
                /// The arguments of [`VTabCursor::filter`]: the values `best_index` asked for.
                Filters;
                /// The arguments of [`UpdateVTab::insert`].
                Inserts { on_conflict };
                /// The arguments of [`UpdateVTab::update`].
                Updates { on_conflict };
            }

            $($filters_extra)*

            impl Updates<'_> {
                /// Whether the UPDATE leaves column value `idx` unchanged (the cursor's
                /// `column` did not set it, see [`Context::no_change`]).
                ///
                /// # Panics
                /// If `idx >= self.len()`, as in rusqlite.
                #[must_use]
                pub fn no_change(&self, idx: usize) -> bool {
                    core_vtab::Values { args: self.values.args }.no_change(idx)
                }
            }

            vtab_adapters!();

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
