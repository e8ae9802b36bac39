//! Pragma helpers: the pragma statement is built as SQL text (values are literals, not bound),
//! so it works the same on every backend.

use std::cell::OnceCell;
use std::collections::HashSet;

use crate::error::error_from_sqlite_code;
use crate::types::{ToSql, ToSqlOutput, ValueRef};
use crate::{ffi, Connection, DatabaseName, Result, Row};

/// `PRAGMA [schema.]name`, with the name checked to be a plain identifier.
pub(crate) fn pragma_head(
    schema_name: Option<DatabaseName<'_>>,
    pragma_name: &str,
) -> Result<String> {
    let mut sql = String::from("PRAGMA ");
    if let Some(schema) = schema_name {
        match schema {
            DatabaseName::Main => sql.push_str("main"),
            DatabaseName::Temp => sql.push_str("temp"),
            DatabaseName::Attached(s) => push_identifier(&mut sql, s),
            DatabaseName::C(s) => push_identifier(&mut sql, &s.to_string_lossy()),
        }
        sql.push('.');
    }
    if pragma_name.is_empty() || !is_identifier(pragma_name) {
        return Err(error_from_sqlite_code(
            ffi::SQLITE_MISUSE,
            Some(format!("Invalid keyword \"{pragma_name}\"")),
        ));
    }
    sql.push_str(pragma_name);
    Ok(sql)
}

/// The names in a connection's `pragma_pragma_list`, read on first use. rusqlite 0.41+ with
/// `extra_check` asks the list on every pragma call; reading it once per connection gives the
/// same answers, because the list is SQLite's table of built-in pragmas, fixed when the engine
/// is compiled (no API adds one at run time), and it spares a remote connection a round trip
/// per pragma call after the first.
#[derive(Default)]
pub(crate) struct PragmaNames(OnceCell<HashSet<String>>);

impl std::fmt::Debug for PragmaNames {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PragmaNames").finish_non_exhaustive()
    }
}

impl Connection {
    /// `pragma_head` under rusqlite 0.41+'s `extra_check`: the name must be in the engine's
    /// `pragma_pragma_list` (compared exactly, as rusqlite's `WHERE name = ?` does, so
    /// `USER_VERSION` is refused), else `SqliteFailure(SQLITE_MISUSE, "Invalid pragma \"x\"")`.
    /// The schema name is not checked, as in rusqlite. A remote connection reads the server's
    /// list (the table-valued function runs on the server): the pragma runs there too, and a
    /// server may be a different libSQL build than the local engine.
    pub(crate) fn listed_pragma_head(
        &self,
        schema_name: Option<DatabaseName<'_>>,
        pragma_name: &str,
    ) -> Result<String> {
        if self.pragma_names.0.get().is_none() {
            let mut stmt = self.prepare("SELECT name FROM pragma_pragma_list")?;
            let names = stmt.query_map([], |row| row.get(0))?;
            let _ = self.pragma_names.0.set(names.collect::<Result<_>>()?);
        }
        if !self
            .pragma_names
            .0
            .get()
            .is_some_and(|names| names.contains(pragma_name))
        {
            return Err(error_from_sqlite_code(
                ffi::SQLITE_MISUSE,
                Some(format!("Invalid pragma \"{pragma_name}\"")),
            ));
        }
        pragma_head(schema_name, pragma_name)
    }
}

/// Appends a pragma value as a literal: integers, reals and quoted text only.
pub(crate) fn push_value(sql: &mut String, value: &dyn ToSql) -> Result<()> {
    let output = value.to_sql()?;
    let value = match output {
        ToSqlOutput::Borrowed(v) => v,
        ToSqlOutput::Owned(ref v) => ValueRef::from(v),
        ref other => {
            return Err(error_from_sqlite_code(
                ffi::SQLITE_MISUSE,
                Some(format!("Unsupported value \"{other:?}\"")),
            ))
        }
    };
    match value {
        ValueRef::Integer(i) => sql.push_str(&i.to_string()),
        ValueRef::Real(r) => sql.push_str(&r.to_string()),
        ValueRef::Text(s) => push_quoted(sql, std::str::from_utf8(s)?, '\''),
        other => {
            return Err(error_from_sqlite_code(
                ffi::SQLITE_MISUSE,
                Some(format!("Unsupported value \"{other:?}\"")),
            ))
        }
    }
    Ok(())
}

pub(crate) fn push_identifier(sql: &mut String, s: &str) {
    if is_identifier(s) {
        sql.push_str(s);
    } else {
        push_quoted(sql, s, '"');
    }
}

/// Wraps `s` in `quote`, doubling any `quote` inside it.
fn push_quoted(sql: &mut String, s: &str, quote: char) {
    sql.push(quote);
    for ch in s.chars() {
        if ch == quote {
            sql.push(ch);
        }
        sql.push(ch);
    }
    sql.push(quote);
}

/// SQLite's bare identifier rule: a letter, `_` or non-ASCII first, then also digits and `$`.
fn is_identifier(s: &str) -> bool {
    s.char_indices().all(|(i, c)| {
        let start = c.is_ascii_alphabetic() || c == '_' || c > '\x7F';
        if i == 0 {
            start
        } else {
            start || c.is_ascii_digit() || c == '$'
        }
    })
}

impl Connection {
    /// Reads a pragma that returns one row: `PRAGMA [schema.]name`.
    pub fn pragma_query_value<T, F>(
        &self,
        schema_name: Option<DatabaseName<'_>>,
        pragma_name: &str,
        f: F,
    ) -> Result<T>
    where
        F: FnOnce(&Row<'_>) -> Result<T>,
    {
        let sql = pragma_head(schema_name, pragma_name)?;
        self.query_row(&sql, [], f)
    }

    /// Runs a pragma and calls `f` for every row it returns.
    pub fn pragma_query<F>(
        &self,
        schema_name: Option<DatabaseName<'_>>,
        pragma_name: &str,
        mut f: F,
    ) -> Result<()>
    where
        F: FnMut(&Row<'_>) -> Result<()>,
    {
        let sql = pragma_head(schema_name, pragma_name)?;
        let mut stmt = self.prepare(&sql)?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            f(row)?;
        }
        Ok(())
    }

    /// Runs `PRAGMA name(value)` (table-valued pragmas such as `table_info`) and calls `f` per row.
    pub fn pragma<F, V>(
        &self,
        schema_name: Option<DatabaseName<'_>>,
        pragma_name: &str,
        pragma_value: V,
        mut f: F,
    ) -> Result<()>
    where
        F: FnMut(&Row<'_>) -> Result<()>,
        V: ToSql,
    {
        let mut sql = pragma_head(schema_name, pragma_name)?;
        sql.push('(');
        push_value(&mut sql, &pragma_value)?;
        sql.push(')');
        let mut stmt = self.prepare(&sql)?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            f(row)?;
        }
        Ok(())
    }

    /// Sets a pragma: `PRAGMA [schema.]name=value`; any row it returns is ignored.
    pub fn pragma_update<V>(
        &self,
        schema_name: Option<DatabaseName<'_>>,
        pragma_name: &str,
        pragma_value: V,
    ) -> Result<()>
    where
        V: ToSql,
    {
        let mut sql = pragma_head(schema_name, pragma_name)?;
        sql.push('=');
        push_value(&mut sql, &pragma_value)?;
        self.execute_batch(&sql)
    }

    /// Sets a pragma and maps the row it returns with `f`.
    pub fn pragma_update_and_check<F, T, V>(
        &self,
        schema_name: Option<DatabaseName<'_>>,
        pragma_name: &str,
        pragma_value: V,
        f: F,
    ) -> Result<T>
    where
        F: FnOnce(&Row<'_>) -> Result<T>,
        V: ToSql,
    {
        let mut sql = pragma_head(schema_name, pragma_name)?;
        sql.push('=');
        push_value(&mut sql, &pragma_value)?;
        self.query_row(&sql, [], f)
    }
}
