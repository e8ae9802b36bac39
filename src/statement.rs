//! `Statement`: a prepared statement with rusqlite's binding, execution and laziness rules.

use crate::backend::Stmt;
use crate::error::Error;
use crate::types::{ToSql, ToSqlOutput, ValueRef};
use crate::{ffi, AndThenRows, BindIndex, Connection, MappedRows, Params, Result, Row, Rows};
use std::ffi::c_int;
use std::fmt;

/// A prepared statement, borrowed from its [`Connection`].
pub struct Statement<'conn> {
    pub(crate) conn: &'conn Connection,
    pub(crate) stmt: Stmt,
}

impl Statement<'_> {
    /// Runs the statement with `params`; returns the number of rows changed.
    ///
    /// # Failure
    /// `Error::ExecuteReturnedResults` if it returns a row; `InvalidParameterCount` or
    /// `InvalidParameterName` for parameters that don't fit the statement.
    pub fn execute<P: Params>(&mut self, params: P) -> Result<usize> {
        params.__bind_in(self)?;
        self.execute_bound(cfg!(feature = "extra_check"))
    }

    /// Runs an INSERT and returns the new rowid.
    ///
    /// # Failure
    /// `Error::StatementChangedRows(n)` unless exactly one row changed.
    pub fn insert<P: Params>(&mut self, params: P) -> Result<i64> {
        let changed = self.execute(params)?;
        match changed {
            1 => Ok(self.conn.last_insert_rowid()),
            _ => Err(Error::StatementChangedRows(changed)),
        }
    }

    /// Binds `params` and returns the lazy row cursor. Nothing runs until the first
    /// `Rows::next`, so runtime errors surface there, as in rusqlite.
    pub fn query<P: Params>(&mut self, params: P) -> Result<Rows<'_>> {
        params.__bind_in(self)?;
        Ok(Rows::new(self))
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
    pub fn query_and_then<T, E, P, F>(&mut self, params: P, f: F) -> Result<AndThenRows<'_, F>>
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
    /// `Error::QueryReturnedNoRows` if there is none.
    pub fn query_row<T, P, F>(&mut self, params: P, f: F) -> Result<T>
    where
        P: Params,
        F: FnOnce(&Row<'_>) -> Result<T>,
    {
        let mut rows = self.query(params)?;
        rows.get_expected_row().and_then(f)
    }

    /// Finalizes now, returning the error the last step left, if any.
    pub fn finalize(mut self) -> Result<()> {
        self.stmt.finalize()
    }

    /// The 1-based index of the named parameter (`":a"`, `"@a"`, `"$a"`, prefix included), or
    /// `None` if there is no such parameter.
    pub fn parameter_index(&self, name: &str) -> Result<Option<usize>> {
        Ok(self.stmt.parameter_index(name))
    }

    /// The name of the parameter at a 1-based index, with its prefix; `None` for `?`.
    pub fn parameter_name(&self, index: usize) -> Option<&'_ str> {
        self.stmt.parameter_name(index)
    }

    /// The largest parameter index in the statement (so `?5` alone counts 5).
    pub fn parameter_count(&self) -> usize {
        self.stmt.parameter_count()
    }

    /// Binds one value at a 1-based index or a name, without any count check.
    ///
    /// # Failure
    /// `SqliteFailure` (`ParameterOutOfRange`) for a bad index, `InvalidParameterName` for a
    /// bad name.
    pub fn raw_bind_parameter<I: BindIndex, T: ToSql>(
        &mut self,
        one_based_index: I,
        param: T,
    ) -> Result<()> {
        let index = one_based_index.idx(self)?;
        self.bind_parameter(&param, index)
    }

    /// Runs the statement with the values bound so far.
    pub fn raw_execute(&mut self) -> Result<usize> {
        self.execute_bound(cfg!(feature = "extra_check"))
    }

    /// Returns the row cursor for the values bound so far.
    pub fn raw_query(&mut self) -> Rows<'_> {
        Rows::new(self)
    }

    /// The SQL with bound values substituted (local connections only; `None` remotely).
    pub fn expanded_sql(&self) -> Option<String> {
        self.stmt.expanded_sql()
    }

    /// A statement counter (local connections; 0 remotely).
    pub fn get_status(&self, status: StatementStatus) -> i32 {
        self.stmt.status(status as c_int, false)
    }

    /// Resets a statement counter and returns its old value.
    pub fn reset_status(&self, status: StatementStatus) -> i32 {
        self.stmt.status(status as c_int, true)
    }

    /// 1 for EXPLAIN, 2 for EXPLAIN QUERY PLAN, 0 otherwise.
    pub fn is_explain(&self) -> i32 {
        self.stmt.is_explain()
    }

    /// Whether the statement makes no direct changes to the database.
    pub fn readonly(&self) -> bool {
        self.stmt.readonly()
    }

    /// Sets every parameter back to NULL.
    pub fn clear_bindings(&mut self) {
        self.stmt.clear_bindings();
    }
}

impl<'conn> Statement<'conn> {
    #[inline]
    pub(crate) fn new(conn: &'conn Connection, stmt: Stmt) -> Statement<'conn> {
        Statement { conn, stmt }
    }

    /// Binds an iterator of positional values, checking the count as rusqlite does: the count
    /// reported for a too-long list is `expected + 1`.
    pub(crate) fn bind_parameters<P>(&mut self, params: P) -> Result<()>
    where
        P: IntoIterator,
        P::Item: ToSql,
    {
        let expected = self.stmt.parameter_count();
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

    /// Binds `(name or index, value)` pairs; unmentioned parameters keep their values.
    pub(crate) fn bind_parameters_named<S: BindIndex, T: ToSql>(
        &mut self,
        params: &[(S, T)],
    ) -> Result<()> {
        for (name, value) in params {
            let index = name.idx(self)?;
            self.bind_parameter(value, index)?;
        }
        Ok(())
    }

    #[inline]
    pub(crate) fn ensure_parameter_count(&self, n: usize) -> Result<()> {
        let count = self.parameter_count();
        if count == n {
            Ok(())
        } else {
            Err(Error::InvalidParameterCount(n, count))
        }
    }

    /// Binds one value at a 1-based index.
    #[inline]
    pub(crate) fn bind_parameter<P: ToSql + ?Sized>(&self, param: &P, index: usize) -> Result<()> {
        let value = param.to_sql()?;
        let value = match value {
            ToSqlOutput::Borrowed(v) => v,
            ToSqlOutput::Owned(ref v) => ValueRef::from(v),
            ToSqlOutput::ZeroBlob(len) => return self.stmt.bind_zeroblob(index, len),
            #[cfg(feature = "array")]
            ToSqlOutput::Array(ref array) => return self.stmt.bind_array(index, array),
            #[cfg(feature = "pointer")]
            ToSqlOutput::Pointer(parts) => return self.stmt.bind_raw_pointer(index, parts),
            ToSqlOutput::Arg(_) => {
                return Err(crate::error::error_from_sqlite_code(
                    ffi::SQLITE_MISUSE,
                    Some(format!("Unsupported value \"{value:?}\"")),
                ))
            }
        };
        self.stmt.bind_value(index, value)
    }

    /// One step, then reset: the number of changes, or `ExecuteReturnedResults` for a row.
    /// With `extra_check` set (rusqlite 0.34 to 0.43 alike, each surface passing its own
    /// feature), a read-only statement with result columns is refused before it runs, even if
    /// it would return no row.
    #[inline]
    pub(crate) fn execute_bound(&mut self, extra_check: bool) -> Result<usize> {
        if extra_check && self.column_count() > 0 && self.readonly() {
            return Err(Error::ExecuteReturnedResults);
        }
        let stepped = self.stmt.step();
        self.stmt.reset();
        match stepped {
            Ok(false) => Ok(self.conn.changes() as usize),
            Ok(true) => Err(Error::ExecuteReturnedResults),
            Err(e) => Err(e),
        }
    }

    /// Steps once for the cursor.
    #[inline]
    pub(crate) fn step(&self) -> Result<bool> {
        self.stmt.step()
    }

    /// Resets after a run; bindings are kept.
    #[inline]
    pub(crate) fn reset(&self) {
        self.stmt.reset();
    }

    /// The current row's value of a column already checked to be in range.
    #[inline]
    pub(crate) fn value_ref(&self, col: usize) -> ValueRef<'_> {
        self.stmt.value_ref(col)
    }

    /// The engine's value of result column `col` (the newer surfaces' `Row::get_pointer`
    /// reads a pointer from it), or null; always null on a remote statement.
    #[cfg(feature = "pointer")]
    pub(crate) fn column_value(&self, col: usize) -> *mut ffi::sqlite3_value {
        self.stmt.column_value(col)
    }
}

impl fmt::Debug for Statement<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sql: Result<&str> = Ok(self.stmt.sql().unwrap_or(""));
        f.debug_struct("Statement")
            .field("conn", self.conn)
            .field("sql", &sql)
            .finish()
    }
}

/// Statement counters readable with [`Statement::get_status`], with SQLite's values.
#[repr(i32)]
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[non_exhaustive]
pub enum StatementStatus {
    /// Full table scan steps.
    FullscanStep = 1,
    /// Sort operations.
    Sort = 2,
    /// Rows inserted into automatic indexes.
    AutoIndex = 3,
    /// Virtual machine steps.
    VmStep = 4,
    /// Times the statement was re-prepared.
    RePrepare = 5,
    /// Times the statement ran.
    Run = 6,
    /// Bloom filter misses.
    FilterMiss = 7,
    /// Bloom filter hits.
    FilterHit = 8,
    /// Heap memory used by the statement.
    MemUsed = 99,
}

impl Statement<'_> {
    /// Whether the SQL held no statement at all (empty or comment only).
    pub(crate) fn is_empty_sql(&self) -> bool {
        self.stmt.is_null()
    }

    /// Hands the backend statement over (to the cache) without finalizing it.
    pub(crate) fn into_backend(self) -> Stmt {
        self.stmt
    }
}
