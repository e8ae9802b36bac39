//! `surface_statement!`: `Statement` and `CachedStatement` as `#[repr(transparent)]` wrappers
//! of the core ones. Binding goes through the surface's `ToSql` and then the core's binder;
//! stepping, reading and counting are the core's. `query_one` (0.36+) is added here; the
//! per-version methods (0.41's iterator `column_names`) and whether the version's
//! `extra_check` feature is on arrive as parameters.

macro_rules! surface_statement {
    (extra_check: $extra_check:expr, per_version { $($per_version:tt)* }) => {
        /// A prepared statement, borrowed from its [`Connection`].
        #[repr(transparent)]
        pub struct Statement<'conn> {
            inner: $crate::Statement<'conn>,
        }

        impl<'conn> Statement<'conn> {
            pub(crate) fn from_core(inner: $crate::Statement<'conn>) -> Statement<'conn> {
                Statement { inner }
            }

            pub(crate) fn from_core_ref<'a>(
                inner: &'a $crate::Statement<'conn>,
            ) -> &'a Statement<'conn> {
                // SAFETY: `Statement` is `#[repr(transparent)]` over the core statement.
                unsafe { &*(inner as *const $crate::Statement<'conn> as *const Statement<'conn>) }
            }

            #[cfg(feature = "cache")]
            pub(crate) fn from_core_mut<'a>(
                inner: &'a mut $crate::Statement<'conn>,
            ) -> &'a mut Statement<'conn> {
                // SAFETY: `Statement` is `#[repr(transparent)]` over the core statement.
                unsafe { &mut *(inner as *mut $crate::Statement<'conn> as *mut Statement<'conn>) }
            }
        }

        impl Statement<'_> {
            /// Runs the statement with `params`; returns the number of rows changed.
            ///
            /// # Failure
            /// `ExecuteReturnedResults` if it returns a row; `InvalidParameterCount` or
            /// `InvalidParameterName` for parameters that don't fit the statement.
            pub fn execute<P: Params>(&mut self, params: P) -> Result<usize> {
                params.__bind_in(self)?;
                self.raw_execute()
            }

            /// Runs an INSERT and returns the new rowid; `StatementChangedRows(n)` unless
            /// exactly one row changed.
            pub fn insert<P: Params>(&mut self, params: P) -> Result<i64> {
                match self.execute(params)? {
                    1 => Ok(self.inner.conn.last_insert_rowid()),
                    changed => Err(Error::StatementChangedRows(changed)),
                }
            }

            /// Binds `params` and returns the lazy row cursor.
            pub fn query<P: Params>(&mut self, params: P) -> Result<Rows<'_>> {
                params.__bind_in(self)?;
                Ok(self.raw_query())
            }

            /// Binds `params` and returns an iterator that maps each row with `f`.
            pub fn query_map<T, P, F>(&mut self, params: P, f: F) -> Result<MappedRows<'_, F>>
            where
                P: Params,
                F: FnMut(&Row<'_>) -> Result<T>,
            {
                self.query(params).map(|rows| rows.mapped(f))
            }

            /// Binds `params` and returns an iterator that maps each row with a fallible `f`.
            pub fn query_and_then<T, E, P, F>(
                &mut self,
                params: P,
                f: F,
            ) -> Result<AndThenRows<'_, F>>
            where
                P: Params,
                E: From<Error>,
                F: FnMut(&Row<'_>) -> Result<T, E>,
            {
                self.query(params).map(|rows| rows.and_then(f))
            }

            /// Whether the query returns at least one row (steps once).
            pub fn exists<P: Params>(&mut self, params: P) -> Result<bool> {
                let mut rows = self.query(params)?;
                let exists = rows.next()?.is_some();
                Ok(exists)
            }

            /// Maps the first row with `f`; further rows are ignored.
            ///
            /// # Failure
            /// `QueryReturnedNoRows` if there is none.
            pub fn query_row<T, P, F>(&mut self, params: P, f: F) -> Result<T>
            where
                P: Params,
                F: FnOnce(&Row<'_>) -> Result<T>,
            {
                let mut rows = self.query(params)?;
                rows.get_expected_row().and_then(f)
            }

            /// Maps the only row with `f`.
            ///
            /// # Failure
            /// `QueryReturnedNoRows` if there is none, `QueryReturnedMoreThanOneRow` if
            /// there is a second one.
            pub fn query_one<T, P, F>(&mut self, params: P, f: F) -> Result<T>
            where
                P: Params,
                F: FnOnce(&Row<'_>) -> Result<T>,
            {
                let mut rows = self.query(params)?;
                let value = rows.get_expected_row().and_then(f)?;
                match rows.next()? {
                    Some(_) => Err(Error::QueryReturnedMoreThanOneRow),
                    None => Ok(value),
                }
            }

            /// Finalizes now, returning the error the last step left, if any.
            pub fn finalize(self) -> Result<()> {
                self.inner.finalize().map_err(Error::from_core)
            }

            /// The 1-based index of the named parameter (prefix included), or `None`.
            pub fn parameter_index(&self, name: &str) -> Result<Option<usize>> {
                self.inner.parameter_index(name).map_err(Error::from_core)
            }

            /// The name of the parameter at a 1-based index, with its prefix; `None` for `?`.
            pub fn parameter_name(&self, index: usize) -> Option<&'_ str> {
                self.inner.parameter_name(index)
            }

            /// The largest parameter index in the statement.
            pub fn parameter_count(&self) -> usize {
                self.inner.parameter_count()
            }

            /// Binds one value at a 1-based index or a name, without any count check.
            pub fn raw_bind_parameter<I: BindIndex, T: types::ToSql>(
                &mut self,
                one_based_index: I,
                param: T,
            ) -> Result<()> {
                let index = one_based_index.idx(&self.inner).map_err(Error::from_core)?;
                self.bind_parameter(&param, index)
            }

            /// Runs the statement with the values bound so far; with this surface's
            /// `extra_check` feature, a read-only statement with result columns is
            /// `ExecuteReturnedResults` before it runs.
            pub fn raw_execute(&mut self) -> Result<usize> {
                self.inner.execute_bound($extra_check).map_err(Error::from_core)
            }

            /// Returns the row cursor for the values bound so far.
            pub fn raw_query(&mut self) -> Rows<'_> {
                Rows::from_core(self.inner.raw_query())
            }

            /// The SQL with bound values substituted (local connections only).
            pub fn expanded_sql(&self) -> Option<String> {
                self.inner.expanded_sql()
            }

            /// A statement counter (local connections; 0 remotely).
            pub fn get_status(&self, status: StatementStatus) -> i32 {
                self.inner.get_status(status)
            }

            /// Resets a statement counter and returns its old value.
            pub fn reset_status(&self, status: StatementStatus) -> i32 {
                self.inner.reset_status(status)
            }

            /// 1 for EXPLAIN, 2 for EXPLAIN QUERY PLAN, 0 otherwise.
            pub fn is_explain(&self) -> i32 {
                self.inner.is_explain()
            }

            /// Whether the statement makes no direct changes to the database.
            pub fn readonly(&self) -> bool {
                self.inner.readonly()
            }

            /// Sets every parameter back to NULL.
            pub fn clear_bindings(&mut self) {
                self.inner.clear_bindings();
            }

            /// The number of result columns.
            pub fn column_count(&self) -> usize {
                self.inner.column_count()
            }

            /// The name of a result column.
            pub fn column_name(&self, col: usize) -> Result<&str> {
                self.inner.column_name(col).map_err(Error::from_core)
            }

            /// The index of a result column by case-insensitive name.
            pub fn column_index(&self, name: &str) -> Result<usize> {
                self.inner.column_index(name).map_err(Error::from_core)
            }

            $($per_version)*

            /// Positional binding with rusqlite's count rule (used by `Params`).
            pub(crate) fn bind_parameters<P>(&mut self, params: P) -> Result<()>
            where
                P: IntoIterator,
                P::Item: types::ToSql,
            {
                let expected = self.inner.parameter_count();
                let mut index = 0;
                for p in params {
                    index += 1;
                    if index > expected {
                        break;
                    }
                    self.bind_parameter(&p, index)?;
                }
                if index == expected {
                    Ok(())
                } else {
                    Err(Error::InvalidParameterCount(index, expected))
                }
            }

            /// Binds `(name or index, value)` pairs (used by `Params`).
            pub(crate) fn bind_parameters_named<S: BindIndex, T: types::ToSql>(
                &mut self,
                params: &[(S, T)],
            ) -> Result<()> {
                for (name, value) in params {
                    let index = name.idx(&self.inner).map_err(Error::from_core)?;
                    self.bind_parameter(value, index)?;
                }
                Ok(())
            }

            pub(crate) fn ensure_parameter_count(&self, n: usize) -> Result<()> {
                let count = self.parameter_count();
                if count == n {
                    Ok(())
                } else {
                    Err(Error::InvalidParameterCount(n, count))
                }
            }

            /// Converts through the surface's `ToSql`, then binds with the core's binder.
            fn bind_parameter<P: types::ToSql + ?Sized>(&mut self, param: &P, index: usize) -> Result<()> {
                let value = param.to_sql()?.into_core()?;
                self.inner
                    .raw_bind_parameter(index, value)
                    .map_err(Error::from_core)
            }
        }

        impl std::fmt::Debug for Statement<'_> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.inner.fmt(f)
            }
        }

        /// A statement borrowed from the cache; derefs to [`Statement`].
        #[cfg(feature = "cache")]
        pub struct CachedStatement<'conn> {
            inner: $crate::CachedStatement<'conn>,
        }

        #[cfg(feature = "cache")]
        impl<'conn> std::ops::Deref for CachedStatement<'conn> {
            type Target = Statement<'conn>;

            fn deref(&self) -> &Statement<'conn> {
                Statement::from_core_ref(&self.inner)
            }
        }

        #[cfg(feature = "cache")]
        impl<'conn> std::ops::DerefMut for CachedStatement<'conn> {
            fn deref_mut(&mut self) -> &mut Statement<'conn> {
                Statement::from_core_mut(&mut self.inner)
            }
        }

        #[cfg(feature = "cache")]
        impl std::fmt::Debug for CachedStatement<'_> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Debug::fmt(&**self, f)
            }
        }

        #[cfg(feature = "cache")]
        impl CachedStatement<'_> {
            /// Drops the statement for good instead of returning it to the cache.
            pub fn discard(self) {
                self.inner.discard();
            }
        }
    };
}
