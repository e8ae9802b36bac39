//! Column metadata of a prepared statement.

use crate::{Error, Result, Statement};
use std::cell::RefCell;
use std::ffi::{CStr, CString};

/// Information about a result column: its name and declared type.
#[derive(Debug)]
pub struct Column<'stmt> {
    name: &'stmt str,
    decl_type: Option<&'stmt str>,
}

impl Column<'_> {
    /// The column's name.
    pub fn name(&self) -> &str {
        self.name
    }

    /// The declared type, or `None` for expressions (and always `None` on remote connections,
    /// which don't report declared types).
    pub fn decl_type(&self) -> Option<&str> {
        self.decl_type
    }
}

impl Statement<'_> {
    /// The names of all result columns, in order.
    pub fn column_names(&self) -> Vec<&str> {
        (0..self.column_count())
            .map(|i| self.column_name_or_empty(i))
            .collect()
    }

    /// The number of result columns (0 for statements that return no data).
    #[inline]
    pub fn column_count(&self) -> usize {
        self.stmt.column_count()
    }

    /// The name of the column at `col`.
    ///
    /// # Failure
    /// `Error::InvalidColumnIndex` when `col` is out of range.
    pub fn column_name(&self, col: usize) -> Result<&str> {
        self.stmt
            .column_name(col)
            .ok_or(Error::InvalidColumnIndex(col))
    }

    /// The index of the first column whose name matches, ignoring ASCII case.
    ///
    /// # Failure
    /// `Error::InvalidColumnName` when there is none.
    pub fn column_index(&self, name: &str) -> Result<usize> {
        let n = self.column_count();
        for i in 0..n {
            if let Some(col) = self.stmt.column_name(i) {
                if name.eq_ignore_ascii_case(col) {
                    return Ok(i);
                }
            }
        }
        Err(Error::InvalidColumnName(String::from(name)))
    }

    /// Name and declared type of every result column.
    pub fn columns(&self) -> Vec<Column<'_>> {
        (0..self.column_count())
            .map(|i| Column {
                name: self.column_name_or_empty(i),
                decl_type: self.stmt.column_decltype(i),
            })
            .collect()
    }

    /// The name of a column already known to be in range.
    pub(crate) fn column_name_or_empty(&self, col: usize) -> &str {
        self.stmt.column_name(col).unwrap_or("")
    }
}

/// What `sqlite3_table_column_metadata` is asked: `table`.`column` (only whether `table`
/// exists when `column` is `None`) in database `db` (in every database when `None`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct ColumnRef<'a> {
    pub(crate) db: Option<&'a CStr>,
    pub(crate) table: &'a CStr,
    pub(crate) column: Option<&'a CStr>,
}

/// What `sqlite3_table_column_metadata` tells of a table column: the newer surfaces'
/// `Connection::column_metadata`, answered by every backend (see `backend::Conn`).
#[derive(Debug, Default)]
pub(crate) struct TableColumn {
    pub(crate) decl_type: Option<CString>,
    pub(crate) collation: Option<CString>,
    pub(crate) not_null: bool,
    pub(crate) primary_key: bool,
    pub(crate) autoincrement: bool,
}

/// Where a result column comes from (`sqlite3_column_database_name`, `_table_name`,
/// `_origin_name`): each `None` for an expression.
#[derive(Clone, Copy, Debug, Default)]
#[cfg_attr(not(feature = "column_metadata"), allow(dead_code))]
pub(crate) struct ColumnOrigin<'a> {
    pub(crate) database: Option<&'a CStr>,
    pub(crate) table: Option<&'a CStr>,
    pub(crate) column: Option<&'a CStr>,
}

/// A [`ColumnOrigin`] that owns its names: what a remote statement learns from a schema copy.
#[cfg(feature = "remote")]
#[derive(Debug, Default)]
pub(crate) struct OwnedColumnOrigin {
    pub(crate) database: Option<CString>,
    pub(crate) table: Option<CString>,
    pub(crate) column: Option<CString>,
}

#[cfg(feature = "remote")]
impl OwnedColumnOrigin {
    pub(crate) fn of(origin: ColumnOrigin<'_>) -> OwnedColumnOrigin {
        OwnedColumnOrigin {
            database: origin.database.map(CStr::to_owned),
            table: origin.table.map(CStr::to_owned),
            column: origin.column.map(CStr::to_owned),
        }
    }

    pub(crate) fn as_origin(&self) -> ColumnOrigin<'_> {
        ColumnOrigin {
            database: self.database.as_deref(),
            table: self.table.as_deref(),
            column: self.column.as_deref(),
        }
    }
}

/// Names handed out by reference for as long as the connection lives (rusqlite 0.40's
/// `column_metadata` returns `&CStr`s that SQLite owns; a remote connection has no engine
/// memory to point into, and a local one's moves when the schema changes). Append-only, and
/// it holds only distinct names: declared types and collations, a schema's small vocabulary.
#[derive(Default)]
pub(crate) struct NameArena(RefCell<Vec<Box<CStr>>>);

impl NameArena {
    /// `name`, stored once, borrowed for the arena's life.
    pub(crate) fn intern(&self, name: &CStr) -> &CStr {
        let mut names = self.0.borrow_mut();
        let stored: *const CStr = match names.iter().find(|n| ***n == *name) {
            Some(existing) => &**existing,
            None => {
                names.push(name.into());
                &**names.last().expect("just pushed")
            }
        };
        // SAFETY: a box is never removed nor changed while the arena lives, and its heap
        // contents stay put when the `Vec` reallocates.
        unsafe { &*stored }
    }
}

impl std::fmt::Debug for NameArena {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NameArena").finish_non_exhaustive()
    }
}

impl crate::Connection {
    /// `sqlite3_table_column_metadata`, on whichever backend.
    pub(crate) fn table_column_metadata(&self, at: ColumnRef<'_>) -> Result<TableColumn> {
        self.backend().table_column_metadata(at)
    }

    /// `name` kept as long as this connection (see [`NameArena`]).
    pub(crate) fn intern_name(&self, name: &CStr) -> &CStr {
        self.names.intern(name)
    }
}

impl Statement<'_> {
    /// Where result column `col` comes from; all `None` for an expression or an index out of
    /// range. (The newer surfaces' `column_metadata` feature reads it.)
    #[cfg_attr(not(feature = "column_metadata"), allow(dead_code))]
    pub(crate) fn column_origin(&self, col: usize) -> ColumnOrigin<'_> {
        if col >= self.column_count() {
            return ColumnOrigin::default();
        }
        self.stmt.column_origin(col)
    }
}
