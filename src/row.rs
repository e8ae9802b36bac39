//! Streaming rows: `Rows` steps the statement one row at a time, and a `Row` borrows the
//! cursor position it came from, so it cannot outlive it (the same lifetimes as rusqlite).

use crate::types::{FromSql, FromSqlError, ValueRef};
use crate::{Error, Result, Statement};
use fallible_streaming_iterator::FallibleStreamingIterator;

/// A lazy cursor over the rows of a query.
#[must_use = "Rows is lazy and will do nothing unless consumed"]
pub struct Rows<'stmt> {
    pub(crate) stmt: Option<&'stmt Statement<'stmt>>,
    row: Option<Row<'stmt>>,
}

impl<'stmt> Rows<'stmt> {
    #[inline]
    fn reset(&mut self) {
        if let Some(stmt) = self.stmt.take() {
            stmt.reset();
        }
    }

    /// The end of the rows (done or failed): reset now, no current row. Once per query, so out
    /// of the per-row path.
    #[cold]
    #[inline(never)]
    fn finish(&mut self) {
        self.reset();
        self.row = None;
    }

    /// The next row, or `None` once exhausted (and every call after that).
    ///
    /// Not `Iterator::next`: the returned row borrows the cursor, like rusqlite's.
    #[allow(clippy::should_implement_trait)]
    #[inline]
    pub fn next(&mut self) -> Result<Option<&Row<'stmt>>> {
        self.advance()?;
        Ok((*self).get())
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
        self.stmt
    }
}

impl<'stmt> Rows<'stmt> {
    #[inline]
    pub(crate) fn new(stmt: &'stmt Statement<'stmt>) -> Rows<'stmt> {
        Rows {
            stmt: Some(stmt),
            row: None,
        }
    }

    #[inline]
    pub(crate) fn get_expected_row(&mut self) -> Result<&Row<'stmt>> {
        match self.next()? {
            Some(row) => Ok(row),
            None => Err(Error::QueryReturnedNoRows),
        }
    }
}

impl Drop for Rows<'_> {
    fn drop(&mut self) {
        self.reset();
    }
}

/// The row adapters `Map`, `MappedRows` and `AndThenRows`, written once for every surface (the
/// core here and the newer ones in `crate::surface`), where `Rows`, `Row`, `Error` and `Result`
/// are that surface's own.
macro_rules! row_adapters {
    () => {
        /// `FallibleIterator` of mapped rows; see [`Rows::map`].
        #[must_use = "iterators are lazy and do nothing unless consumed"]
        pub struct Map<'stmt, F> {
            rows: Rows<'stmt>,
            f: F,
        }

        impl<F, B> fallible_iterator::FallibleIterator for Map<'_, F>
        where
            F: FnMut(&Row<'_>) -> Result<B>,
        {
            type Error = Error;
            type Item = B;

            #[inline]
            fn next(&mut self) -> Result<Option<B>> {
                match self.rows.next()? {
                    Some(v) => Ok(Some((self.f)(v)?)),
                    None => Ok(None),
                }
            }
        }

        /// `Iterator` of mapped rows; see [`Statement::query_map`].
        #[must_use = "iterators are lazy and do nothing unless consumed"]
        pub struct MappedRows<'stmt, F> {
            rows: Rows<'stmt>,
            map: F,
        }

        impl<T, F> Iterator for MappedRows<'_, F>
        where
            F: FnMut(&Row<'_>) -> Result<T>,
        {
            type Item = Result<T>;

            #[inline]
            fn next(&mut self) -> Option<Result<T>> {
                let map = &mut self.map;
                self.rows
                    .next()
                    .transpose()
                    .map(|row_result| row_result.and_then(map))
            }
        }

        /// `Iterator` of rows mapped by a fallible closure; see [`Statement::query_and_then`].
        #[must_use = "iterators are lazy and do nothing unless consumed"]
        pub struct AndThenRows<'stmt, F> {
            rows: Rows<'stmt>,
            map: F,
        }

        impl<T, E, F> Iterator for AndThenRows<'_, F>
        where
            E: From<Error>,
            F: FnMut(&Row<'_>) -> Result<T, E>,
        {
            type Item = Result<T, E>;

            #[inline]
            fn next(&mut self) -> Option<Self::Item> {
                let map = &mut self.map;
                self.rows
                    .next()
                    .transpose()
                    .map(|row_result| row_result.map_err(E::from).and_then(map))
            }
        }
    };
}

row_adapters!();

impl<'stmt> FallibleStreamingIterator for Rows<'stmt> {
    type Error = Error;
    type Item = Row<'stmt>;

    #[inline]
    fn advance(&mut self) -> Result<()> {
        match self.stmt {
            Some(stmt) => match stmt.step() {
                Ok(true) => {
                    self.row = Some(Row { stmt });
                    Ok(())
                }
                Ok(false) => {
                    self.finish();
                    Ok(())
                }
                Err(e) => {
                    self.finish();
                    Err(e)
                }
            },
            None => {
                self.row = None;
                Ok(())
            }
        }
    }

    #[inline]
    fn get(&self) -> Option<&Row<'stmt>> {
        self.row.as_ref()
    }
}

/// A single result row, valid until the cursor moves.
pub struct Row<'stmt> {
    pub(crate) stmt: &'stmt Statement<'stmt>,
}

impl Row<'_> {
    /// Like [`Row::get`], but panics on error (rusqlite's documented behaviour for this
    /// method; use `get` to avoid panics).
    #[track_caller]
    pub fn get_unwrap<I: RowIndex, T: FromSql>(&self, idx: I) -> T {
        self.get(idx).unwrap()
    }

    /// Reads a column (by 0-based index or case-insensitive name) as `T`.
    ///
    /// # Failure
    /// `InvalidColumnIndex`/`InvalidColumnName` for a bad index; `InvalidColumnType`,
    /// `IntegralValueOutOfRange` or `FromSqlConversionFailure` when the value doesn't convert.
    #[track_caller]
    pub fn get<I: RowIndex, T: FromSql>(&self, idx: I) -> Result<T> {
        let idx = idx.idx(self.stmt)?;
        let value = self.stmt.value_ref(idx);
        FromSql::column_result(value).map_err(|err| self.get_error(idx, value, err))
    }

    /// The `Error` for a value `get` could not convert. Out of line, once for every `T`, so the
    /// per-column path stays small.
    #[cold]
    #[inline(never)]
    fn get_error(&self, idx: usize, value: ValueRef<'_>, err: FromSqlError) -> Error {
        match err {
            FromSqlError::InvalidType => Error::InvalidColumnType(
                idx,
                self.stmt.column_name_or_empty(idx).into(),
                value.data_type(),
            ),
            FromSqlError::OutOfRange(i) => Error::IntegralValueOutOfRange(idx, i),
            FromSqlError::Other(err) => {
                Error::FromSqlConversionFailure(idx, value.data_type(), err)
            }
            FromSqlError::InvalidBlobSize { .. } => {
                Error::FromSqlConversionFailure(idx, value.data_type(), Box::new(err))
            }
            #[allow(unreachable_patterns)]
            err => Error::FromSqlConversionFailure(idx, value.data_type(), Box::new(err)),
        }
    }

    /// The raw value of a column, borrowed from the row.
    pub fn get_ref<I: RowIndex>(&self, idx: I) -> Result<ValueRef<'_>> {
        let idx = idx.idx(self.stmt)?;
        Ok(self.stmt.value_ref(idx))
    }

    /// Like [`Row::get_ref`], but panics on a bad index (as rusqlite's does).
    #[track_caller]
    pub fn get_ref_unwrap<I: RowIndex>(&self, idx: I) -> ValueRef<'_> {
        self.get_ref(idx).unwrap()
    }
}

impl<'stmt> AsRef<Statement<'stmt>> for Row<'stmt> {
    fn as_ref(&self) -> &Statement<'stmt> {
        self.stmt
    }
}

/// Prints like an ordered map `{"col": (Type, value)}`; blobs show only their length.
impl std::fmt::Debug for Row<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut map = f.debug_map();
        for c in 0..self.stmt.column_count() {
            map.key(&self.stmt.column_name_or_empty(c));
            let value = self.stmt.value_ref(c);
            let ty = value.data_type();
            match value {
                ValueRef::Null => map.value(&(ty, ())),
                ValueRef::Integer(i) => map.value(&(ty, i)),
                ValueRef::Real(r) => map.value(&(ty, r)),
                ValueRef::Text(s) => map.value(&(ty, String::from_utf8_lossy(s))),
                ValueRef::Blob(b) => map.value(&(ty, b.len())),
            };
        }
        map.finish()
    }
}

mod sealed {
    /// Only `usize` and `&str` are row indexes: another impl would break `row.get(0)`.
    pub trait Sealed {}
    impl Sealed for usize {}
    impl Sealed for &str {}
}

/// A column index (`usize`) or name (`&str`, case-insensitive). Sealed, and `Copy` as in
/// rusqlite 0.41+ (a superset for 0.34 code: both implementors are `Copy`).
pub trait RowIndex: sealed::Sealed + Copy {
    /// Returns the column index, or an error for a bad index or unknown name.
    fn idx(&self, stmt: &Statement<'_>) -> Result<usize>;
}

impl RowIndex for usize {
    #[inline]
    fn idx(&self, stmt: &Statement<'_>) -> Result<usize> {
        if *self >= stmt.column_count() {
            Err(Error::InvalidColumnIndex(*self))
        } else {
            Ok(*self)
        }
    }
}

impl RowIndex for &'_ str {
    #[inline]
    fn idx(&self, stmt: &Statement<'_>) -> Result<usize> {
        stmt.column_index(self)
    }
}

macro_rules! tuple_try_from_row {
    ($($field:ident),*) => {
        impl<'a, $($field,)*> TryFrom<&'a Row<'a>> for ($($field,)*) where $($field: FromSql,)* {
            type Error = crate::Error;

            /// Reads columns 0..n in order; extra columns are ignored.
            #[allow(unused_assignments, unused_variables, unused_mut)]
            fn try_from(row: &'a Row<'a>) -> Result<Self> {
                let mut index = 0;
                $(
                    #[allow(non_snake_case)]
                    let $field = row.get::<_, $field>(index)?;
                    index += 1;
                )*
                Ok(($($field,)*))
            }
        }
    }
}

macro_rules! tuples_try_from_row {
    () => {
        tuple_try_from_row!();
    };
    ($first:ident $(, $remaining:ident)*) => {
        tuple_try_from_row!($first $(, $remaining)*);
        tuples_try_from_row!($($remaining),*);
    };
}

tuples_try_from_row!(A, B, C, D, E, F, G, H, I, J, K, L, M, N, O, P);
