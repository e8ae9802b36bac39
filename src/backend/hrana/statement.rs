//! A statement on a remote connection: its SQL, bindings, and the cursor of its current run.
//! Preparing sends nothing; a row-returning statement streams its rows through a cursor, any
//! other runs in one request.

use super::cursor::Cursor;
use super::stream::{Call, Stream};
use crate::backend::server_values::{real_for_server, text_for_server};
use crate::backend::sql_text;
use crate::column::{ColumnOrigin, OwnedColumnOrigin};
use crate::error::error_with_generic_message;
use crate::types::ValueRef;
use crate::{ffi, Error, Result};
use libsql_hrana::proto::{Col, Value};
use std::cell::{Cell, OnceCell, RefCell};
use std::ffi::{c_int, CStr};
use std::sync::{Arc, Mutex};

/// A result column's name and declared type.
type Column = (String, Option<String>);

pub(crate) struct HranaStatement {
    stream: Arc<Stream>,
    sql: Arc<str>,
    blank: bool,
    /// The shadow schema prepared it: an error the server reports where SQLite prepares is
    /// then a re-prepare failure at a step (the schema changed), not a prepare error.
    checked: bool,
    returns_rows: bool,
    params: sql_text::Parameters,
    bindings: RefCell<Vec<Value>>,
    /// Column names and declared types: from the last run, or a describe when asked first.
    columns: RefCell<Option<Vec<Column>>>,
    cursor: RefCell<Option<Arc<Mutex<Cursor>>>>,
    current: RefCell<Vec<Value>>,
    /// Between the first row of a run and its end or reset (counted in `Stream::is_busy`).
    iterating: Cell<bool>,
    /// Where the result columns come from: asked of the shadow schema the first time.
    origins: OnceCell<Vec<OwnedColumnOrigin>>,
}

impl HranaStatement {
    pub(super) fn new(
        stream: Arc<Stream>,
        sql: &str,
        blank: bool,
        columns: Option<Vec<Column>>,
    ) -> HranaStatement {
        let params = sql_text::Parameters::of(sql);
        stream.statement_made();
        HranaStatement {
            stream,
            sql: Arc::from(sql),
            blank,
            checked: columns.is_some(),
            // The shadow's column count is SQLite's own answer; the SQL text is the fallback.
            returns_rows: match &columns {
                Some(cols) => !cols.is_empty(),
                None => !blank && sql_text::may_return_rows(sql),
            },
            bindings: RefCell::new(vec![Value::Null; params.count()]),
            params,
            columns: RefCell::new(columns),
            cursor: RefCell::new(None),
            current: RefCell::new(Vec::new()),
            iterating: Cell::new(false),
            origins: OnceCell::new(),
        }
    }

    pub(crate) fn is_null(&self) -> bool {
        self.blank
    }

    /// Where column `col` comes from, as the shadow schema prepares this statement's SQL.
    pub(crate) fn column_origin(&self, col: usize) -> ColumnOrigin<'_> {
        self.origins
            .get_or_init(|| self.stream.column_origins(&self.sql))
            .get(col)
            .map_or_else(ColumnOrigin::default, OwnedColumnOrigin::as_origin)
    }

    fn call(&self) -> Call {
        Call {
            sql: Arc::clone(&self.sql),
            args: self.bindings.borrow().clone(),
            want_rows: self.returns_rows,
        }
    }

    /// Keeps the columns of this run; a re-run with the same ones (the usual case) keeps them
    /// without copying their names again.
    fn note_columns(&self, cols: &[Col]) {
        let mut known = self.columns.borrow_mut();
        let same = known.as_ref().is_some_and(|known| {
            known.len() == cols.len()
                && known.iter().zip(cols).all(|((name, decltype), col)| {
                    *name == col.name.as_deref().unwrap_or_default() && *decltype == col.decltype
                })
        });
        if !same {
            *known = Some(
                cols.iter()
                    .map(|c| (c.name.clone().unwrap_or_default(), c.decltype.clone()))
                    .collect(),
            );
        }
    }

    /// Runs the statement on its first step; later steps hand out rows as they arrive.
    pub(crate) fn step(&self) -> Result<bool> {
        self.step_rows().map_err(|e| match e {
            // SQLite reports a failed re-prepare at a step as a plain failure.
            Error::SqlInputError { error, msg, .. } if self.checked => {
                Error::SqliteFailure(error, Some(msg))
            }
            other => other,
        })
    }

    fn step_rows(&self) -> Result<bool> {
        if self.blank {
            return Err(error_with_generic_message(ffi::SQLITE_MISUSE));
        }
        if !self.returns_rows {
            self.stream.start_statement()?;
            self.stream.run(&[self.call()])?;
            return Ok(false);
        }
        let cursor = self.cursor.borrow().clone();
        let cursor = match cursor {
            Some(c) => {
                if !sql_text::may_modify(&self.sql) {
                    // Rows not yet read are dropped; a write's effects can't be, so it goes on.
                    if let Err(e) = self.stream.check_interrupt() {
                        self.reset();
                        return Err(e);
                    }
                }
                c
            }
            None => {
                self.stream.start_statement()?;
                let c = self.stream.open_cursor(self.call())?;
                self.note_columns(c.lock().unwrap_or_else(|p| p.into_inner()).columns());
                *self.cursor.borrow_mut() = Some(Arc::clone(&c));
                c
            }
        };
        let next = cursor
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .next_row(&self.stream)
            .map_err(|e| self.stream.refine_key_violation(e));
        match next {
            Ok(Some(row)) => {
                *self.current.borrow_mut() = row;
                self.set_iterating(true);
                Ok(true)
            }
            other => {
                // Done (or failed): the next step runs the statement again, as SQLite does.
                *self.cursor.borrow_mut() = None;
                self.set_iterating(false);
                other.map(|_| false)
            }
        }
    }

    fn set_iterating(&self, now: bool) {
        if self.iterating.replace(now) != now {
            self.stream.note_iterating(now);
        }
    }

    pub(crate) fn reset(&self) -> c_int {
        self.set_iterating(false);
        if let Some(cursor) = self.cursor.borrow_mut().take() {
            let mut cursor = cursor.lock().unwrap_or_else(|p| p.into_inner());
            cursor.discard();
            if cursor.reads_counters() {
                // A write's counters follow its rows in the same reply; SQLite's reset ends
                // the write, so `changes()` right after tells its rows: read them now.
                let _ = cursor.drain(&self.stream);
            }
        }
        self.current.borrow_mut().clear();
        ffi::SQLITE_OK
    }

    /// The columns, described by the server when asked before the first run.
    fn columns(&self) -> &[Column] {
        if self.columns.borrow().is_none() {
            let described = if self.returns_rows {
                self.stream.describe(&self.sql).ok().map(|d| {
                    d.cols
                        .into_iter()
                        .map(|c| (c.name, c.decltype))
                        .collect::<Vec<_>>()
                })
            } else {
                Some(Vec::new())
            };
            match described {
                Some(cols) => *self.columns.borrow_mut() = Some(cols),
                None => return &[],
            }
        }
        // SAFETY: `columns` is only replaced by the first `step` of a run, which the public
        // API cannot call while a name borrowed from this statement is alive.
        let columns = unsafe { &*self.columns.as_ptr() };
        columns.as_deref().unwrap_or(&[])
    }

    pub(crate) fn column_count(&self) -> usize {
        self.columns().len()
    }

    pub(crate) fn column_name(&self, col: usize) -> Option<&str> {
        self.columns().get(col).map(|(n, _)| n.as_str())
    }

    pub(crate) fn column_decltype(&self, col: usize) -> Option<&str> {
        self.columns().get(col).and_then(|(_, d)| d.as_deref())
    }

    pub(crate) fn value_ref(&self, col: usize) -> ValueRef<'_> {
        // SAFETY: `current` is only replaced by `step`/`reset`, which the public API cannot
        // call while a `Row` (and so any `ValueRef` borrowed from it) is alive.
        let row = unsafe { &*self.current.as_ptr() };
        row.get(col).map_or(ValueRef::Null, value_ref_of)
    }

    pub(crate) fn parameter_count(&self) -> usize {
        self.params.count()
    }

    pub(crate) fn parameter_index(&self, name: &str) -> Option<usize> {
        self.params.index(name)
    }

    pub(crate) fn parameter_index_c(&self, name: &CStr) -> Option<usize> {
        self.params.index(name.to_str().ok()?)
    }

    pub(crate) fn parameter_name(&self, index: usize) -> Option<&str> {
        self.params.name(index)
    }

    pub(crate) fn bind_value(&self, index: usize, value: ValueRef<'_>) -> Result<()> {
        let i = self.params.slot(index)?;
        self.bindings.borrow_mut()[i] = match value {
            ValueRef::Null => Value::Null,
            ValueRef::Integer(value) => Value::Integer { value },
            ValueRef::Real(v) => match real_for_server(v)? {
                Some(value) => Value::Float { value },
                None => Value::Null,
            },
            ValueRef::Text(t) => Value::Text {
                value: Arc::from(text_for_server(t)?),
            },
            ValueRef::Blob(b) => Value::Blob {
                value: bytes::Bytes::copy_from_slice(b),
            },
        };
        Ok(())
    }

    pub(crate) fn bind_zeroblob(&self, index: usize, len: i32) -> Result<()> {
        let i = self.params.slot(index)?;
        self.bindings.borrow_mut()[i] = Value::Blob {
            value: bytes::Bytes::from(vec![0; len.max(0) as usize]),
        };
        Ok(())
    }

    pub(crate) fn clear_bindings(&self) {
        for v in self.bindings.borrow_mut().iter_mut() {
            *v = Value::Null;
        }
    }

    pub(crate) fn sql(&self) -> Option<&str> {
        (!self.blank).then_some(&*self.sql)
    }

    /// The SQL with the bound values written in, as the local engine renders it.
    pub(crate) fn expanded_sql(&self) -> Option<String> {
        if self.blank {
            return None;
        }
        let bindings = self.bindings.borrow();
        Some(sql_text::expand(&self.sql, |i| {
            let value = i.checked_sub(1).and_then(|i| bindings.get(i));
            sql_text::literal(value.map_or(ValueRef::Null, value_ref_of))
        }))
    }

    pub(crate) fn readonly(&self) -> bool {
        self.blank || self.stream.readonly(&self.sql)
    }

    pub(crate) fn is_explain(&self) -> i32 {
        sql_text::explain_kind(&self.sql)
    }

    pub(crate) fn status(&self, _op: c_int, _reset: bool) -> i32 {
        0
    }

    pub(crate) fn finalize(&mut self) -> Result<()> {
        self.reset();
        Ok(())
    }
}

impl Drop for HranaStatement {
    fn drop(&mut self) {
        self.reset();
        self.stream.statement_dropped();
    }
}

fn value_ref_of(value: &Value) -> ValueRef<'_> {
    match value {
        Value::Integer { value } => ValueRef::Integer(*value),
        Value::Float { value } => ValueRef::Real(*value),
        Value::Text { value } => ValueRef::Text(value.as_bytes()),
        Value::Blob { value } => ValueRef::Blob(value),
        Value::Null | Value::None => ValueRef::Null,
    }
}
