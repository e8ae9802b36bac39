//! Column metadata of a prepared statement.

use crate::{Error, Result, Statement};

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
