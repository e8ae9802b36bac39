//! `surface_rows!`: `Row`, `Rows`, `Map`, `MappedRows` and `AndThenRows` over the core cursor.
//! The core steps and reads; the surface reads values through its own `FromSql` and maps
//! conversion failures to its own `Error` (0.39+: invalid UTF-8 is `Utf8Error(column, _)`).

macro_rules! surface_rows {
    () => {
        /// A lazy cursor over the rows of a query.
        #[must_use = "Rows is lazy and will do nothing unless consumed"]
        pub struct Rows<'stmt> {
            inner: $crate::Rows<'stmt>,
            row: Option<Row<'stmt>>,
        }

        impl<'stmt> Rows<'stmt> {
            pub(crate) fn from_core(inner: $crate::Rows<'stmt>) -> Rows<'stmt> {
                Rows { inner, row: None }
            }

            /// The next row, or `None` once exhausted (and every call after that).
            #[allow(clippy::should_implement_trait)]
            #[inline]
            pub fn next(&mut self) -> Result<Option<&Row<'stmt>>> {
                fallible_streaming_iterator::FallibleStreamingIterator::advance(self)?;
                Ok(self.row.as_ref())
            }

            /// Maps each row with `f`, as a `FallibleIterator`.
            #[inline]
            pub fn map<F, B>(self, f: F) -> Map<'stmt, F>
            where
                F: FnMut(&Row<'_>) -> Result<B>,
            {
                Map { rows: self, f }
            }

            /// Maps each row with `f`, as an `Iterator` of `Result`s.
            #[inline]
            pub fn mapped<F, B>(self, f: F) -> MappedRows<'stmt, F>
            where
                F: FnMut(&Row<'_>) -> Result<B>,
            {
                MappedRows { rows: self, map: f }
            }

            /// Maps each row with a fallible `f` whose error type is the caller's.
            #[inline]
            pub fn and_then<F, T, E>(self, f: F) -> AndThenRows<'stmt, F>
            where
                F: FnMut(&Row<'_>) -> Result<T, E>,
            {
                AndThenRows { rows: self, map: f }
            }

            /// The statement behind these rows, until they are exhausted.
            pub fn as_ref(&self) -> Option<&Statement<'stmt>> {
                self.inner.as_ref().map(Statement::from_core_ref)
            }

            pub(crate) fn get_expected_row(&mut self) -> Result<&Row<'stmt>> {
                match self.next()? {
                    Some(row) => Ok(row),
                    None => Err(Error::QueryReturnedNoRows),
                }
            }
        }

        impl<'stmt> fallible_streaming_iterator::FallibleStreamingIterator for Rows<'stmt> {
            type Error = Error;
            type Item = Row<'stmt>;

            #[inline]
            fn advance(&mut self) -> Result<()> {
                self.row = self
                    .inner
                    .next()
                    .map_err(Error::from_core)?
                    .map(|row| Row { stmt: row.stmt });
                Ok(())
            }

            #[inline]
            fn get(&self) -> Option<&Row<'stmt>> {
                self.row.as_ref()
            }
        }

        row_adapters!();

        /// A single result row, valid until the cursor moves.
        pub struct Row<'stmt> {
            stmt: &'stmt $crate::Statement<'stmt>,
        }

        impl Row<'_> {
            /// Like [`Row::get`], but panics on error.
            #[track_caller]
            pub fn get_unwrap<I: RowIndex, T: types::FromSql>(&self, idx: I) -> T {
                self.get(idx).unwrap()
            }

            /// Reads a column (by 0-based index or case-insensitive name) as `T`.
            ///
            /// # Failure
            /// `InvalidColumnIndex`/`InvalidColumnName` for a bad index; `InvalidColumnType`,
            /// `IntegralValueOutOfRange`, `Utf8Error` or `FromSqlConversionFailure` when the
            /// value doesn't convert.
            #[track_caller]
            pub fn get<I: RowIndex, T: types::FromSql>(&self, idx: I) -> Result<T> {
                use types::FromSqlError;
                let idx = idx.idx(self.stmt).map_err(Error::from_core)?;
                let value = self.stmt.value_ref(idx);
                let data_type = value.data_type();
                T::column_result(types::ValueRef::from_core(value)).map_err(|err| match err {
                    FromSqlError::InvalidType => Error::InvalidColumnType(
                        idx,
                        self.stmt.column_name_or_empty(idx).into(),
                        data_type,
                    ),
                    FromSqlError::OutOfRange(i) => Error::IntegralValueOutOfRange(idx, i),
                    FromSqlError::Utf8Error(err) => Error::Utf8Error(idx, err),
                    FromSqlError::Other(err) => {
                        Error::FromSqlConversionFailure(idx, data_type, err)
                    }
                    FromSqlError::InvalidBlobSize { .. } => {
                        Error::FromSqlConversionFailure(idx, data_type, Box::new(err))
                    }
                })
            }

            /// The `T` a column holds as a pointer of type `ptr_type` (SQLite's pointer-passing
            /// interface, feature `pointer`), or `None`. Always `None` on a remote connection,
            /// where a pointer reaches the server as NULL.
            ///
            /// # Safety
            /// A pointer of type `ptr_type` must point to a live `T`.
            #[cfg(feature = "pointer")]
            pub unsafe fn get_pointer<I: RowIndex, T: 'static>(
                &self,
                idx: I,
                ptr_type: &'static std::ffi::CStr,
            ) -> Result<Option<&T>> {
                let idx = idx.idx(self.stmt).map_err(Error::from_core)?;
                let value = self.stmt.column_value(idx);
                // SAFETY: the row's own value (or null); the caller vouches for the type.
                Ok(unsafe { $crate::surface::pointer::value_pointer(value, ptr_type) })
            }

            /// The raw value of a column, borrowed from the row.
            pub fn get_ref<I: RowIndex>(&self, idx: I) -> Result<types::ValueRef<'_>> {
                let idx = idx.idx(self.stmt).map_err(Error::from_core)?;
                Ok(types::ValueRef::from_core(self.stmt.value_ref(idx)))
            }

            /// Like [`Row::get_ref`], but panics on a bad index.
            #[track_caller]
            pub fn get_ref_unwrap<I: RowIndex>(&self, idx: I) -> types::ValueRef<'_> {
                self.get_ref(idx).unwrap()
            }
        }

        impl<'stmt> AsRef<Statement<'stmt>> for Row<'stmt> {
            fn as_ref(&self) -> &Statement<'stmt> {
                Statement::from_core_ref(self.stmt)
            }
        }

        /// Prints like an ordered map `{"col": (Type, value)}`, as the core's `Row` does.
        impl std::fmt::Debug for Row<'_> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Debug::fmt(&$crate::Row { stmt: self.stmt }, f)
            }
        }

        surface_tuple_try_from_row!(A, B, C, D, E, F, G, H, I, J, K, L, M, N, O, P);
    };
}

/// `TryFrom<&Row>` for tuples of up to 16 `FromSql` values (columns 0..n in order).
macro_rules! surface_tuple_try_from_row {
    () => {};
    ($first:ident $(, $rest:ident)*) => {
        impl<'a, $first, $($rest,)*> TryFrom<&'a Row<'a>> for ($first, $($rest,)*)
        where
            $first: types::FromSql,
            $($rest: types::FromSql,)*
        {
            type Error = Error;

            #[allow(non_snake_case, unused_assignments, unused_mut)]
            fn try_from(row: &'a Row<'a>) -> Result<Self> {
                let mut index = 0;
                let $first = row.get::<_, $first>(index)?;
                $(
                    index += 1;
                    let $rest = row.get::<_, $rest>(index)?;
                )*
                Ok(($first, $($rest,)*))
            }
        }
        surface_tuple_try_from_row!($($rest),*);
    };
}
