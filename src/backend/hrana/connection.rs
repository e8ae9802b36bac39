//! A remote connection: one Hrana stream, and what rusqlite asks of a connection.

use super::statement::HranaStatement;
use super::stream::{Call, Stream};
use crate::backend::remote::check_url;
use crate::backend::sql_text;
use crate::column::{ColumnRef, TableColumn};
use crate::error::Error;
use crate::{ffi, Result};
use libsql_hrana::proto::Value;
use std::ffi::{c_int, CStr};
use std::fmt;
use std::sync::Arc;

pub(crate) struct HranaConnection {
    stream: Arc<Stream>,
}

impl fmt::Debug for HranaConnection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RemoteConnection")
            .field("url", &self.stream.url)
            .field("token", &"<redacted>")
            .finish()
    }
}

impl HranaConnection {
    /// A connection to `url` with `token` (empty for none). Nothing is sent until the first
    /// statement.
    pub(crate) fn open(url: &str, token: &str) -> Result<HranaConnection> {
        let redacted = check_url(url)?;
        let (scheme, rest) = redacted.split_once("://").unwrap_or(("https", &redacted));
        let scheme = match scheme.to_ascii_lowercase().as_str() {
            "http" | "ws" => "http",
            _ => "https",
        };
        let base = format!("{scheme}://{rest}");
        Ok(HranaConnection {
            stream: Arc::new(Stream::new(&base, token, redacted)?),
        })
    }

    /// Applies `sqlite3_open_v2` flags to a connection just opened. The server's database
    /// always exists and is opened read-write, so of the access flags only
    /// `SQLITE_OPEN_READ_ONLY` changes anything: the session refuses writes (see
    /// `Stream::set_read_only`). An access mode SQLite rejects (neither or both of read-only
    /// and read-write, or create without read-write) is `SQLITE_MISUSE`, as locally.
    pub(crate) fn apply_open_flags(&self, flags: c_int) -> Result<()> {
        let access = flags
            & (ffi::SQLITE_OPEN_READONLY | ffi::SQLITE_OPEN_READWRITE | ffi::SQLITE_OPEN_CREATE);
        if access == ffi::SQLITE_OPEN_READONLY {
            self.stream.set_read_only();
        } else if access != ffi::SQLITE_OPEN_READWRITE
            && access != ffi::SQLITE_OPEN_READWRITE | ffi::SQLITE_OPEN_CREATE
        {
            return Err(crate::error::error_from_sqlite_code(
                ffi::SQLITE_MISUSE,
                Some(self.stream.url.clone()),
            ));
        }
        Ok(())
    }

    /// Checked against the shadow schema (see `shadow.rs`): no request unless the shadow has
    /// to be reloaded.
    pub(crate) fn prepare(&self, sql: &str) -> Result<(HranaStatement, usize)> {
        let (first, tail) = sql_text::split_first(sql);
        // SQLite's statement text ends at a NUL (`sql()` and `expanded_sql()` show no more).
        let first = first.split('\0').next().unwrap_or_default();
        let blank = sql_text::is_blank(first);
        if !blank {
            match sql_text::check_syntax(sql) {
                sql_text::Syntax::Valid => {}
                sql_text::Syntax::Invalid(e) => return Err(e),
                // No scratch engine in this process state: let the server judge the statement
                // now (one describe), so its errors still arrive at `prepare`, as in SQLite.
                sql_text::Syntax::Unchecked => {
                    self.stream.describe(first).map_err(|e| with_text(e, sql))?;
                }
            }
        }
        let columns = if blank {
            Some(Vec::new())
        } else {
            self.stream.prepare(first).map_err(|e| with_text(e, sql))?
        };
        let stmt = HranaStatement::new(Arc::clone(&self.stream), first, blank, columns);
        Ok((stmt, tail))
    }

    /// Runs every statement of `sql` in one request; the error names the statement that
    /// failed. SQL the engine's parser rejects is caught locally first, so the statements
    /// before it run and the error is rusqlite's exact `SqlInputError`.
    pub(crate) fn execute_batch(&self, sql: &str) -> Result<()> {
        let mut calls = Vec::new();
        let mut starts = Vec::new();
        let mut syntax_error = None;
        for (offset, first) in sql_text::statements(sql) {
            if let Some(e) = sql_text::syntax_error(&sql[offset..]) {
                syntax_error = Some(e);
                break;
            }
            calls.push(Call::new(first, false));
            starts.push(offset);
        }
        if !calls.is_empty() {
            self.stream.run(&calls).map_err(|e| match e {
                // As rusqlite's: the SQL of the error runs from the failed statement to the
                // end of the batch.
                Error::SqlInputError {
                    error,
                    msg,
                    sql: failed,
                    offset,
                } => {
                    let at = calls.iter().position(|c| *c.sql == *failed);
                    let sql = at.map_or(failed, |i| sql[starts[i]..].to_owned());
                    Error::SqlInputError {
                        error,
                        msg,
                        sql,
                        offset,
                    }
                }
                other => other,
            })?;
        }
        syntax_error.map_or(Ok(()), Err)
    }

    pub(crate) fn changes(&self) -> u64 {
        self.stream.changes()
    }

    pub(crate) fn total_changes(&self) -> u64 {
        self.stream.total_changes()
    }

    pub(crate) fn last_insert_rowid(&self) -> i64 {
        self.stream.last_insert_rowid()
    }

    pub(crate) fn is_autocommit(&self) -> bool {
        self.stream.is_autocommit()
    }

    pub(crate) fn is_busy(&self) -> bool {
        self.stream.is_busy()
    }

    /// The session holds TEMP objects or ATTACHed databases.
    pub(crate) fn has_session_objects(&self) -> bool {
        self.stream.has_session_objects()
    }

    /// The session's connection-scoped settings if they changed since version `seen`.
    pub(crate) fn settings_since(&self, seen: u64) -> Option<(u64, Vec<String>)> {
        self.stream.settings_since(seen)
    }

    /// Session state on the server: sent with the next request, replayed on a new stream.
    pub(crate) fn busy_timeout(&self, ms: c_int) -> Result<()> {
        let ms = ms.max(0);
        self.stream
            .set_session_pragma("busy_timeout", format!("PRAGMA busy_timeout = {ms}"));
        Ok(())
    }

    /// The server URL (without token or query).
    pub(crate) fn path(&self) -> Option<&str> {
        Some(&self.stream.url)
    }

    /// `main` is writable unless the connection was opened read-only; `temp` is writable; an
    /// ATTACHed name is looked up on the server.
    pub(crate) fn is_readonly(&self, db_name: &CStr) -> Result<c_int> {
        let name = db_name.to_string_lossy();
        if name == "main" {
            return Ok(c_int::from(self.stream.is_read_only()));
        }
        if name == "temp" {
            return Ok(0);
        }
        let found = self.stream.query_value(
            "SELECT 0 FROM pragma_database_list WHERE name = ?1",
            vec![Value::Text {
                value: Arc::from(&*name),
            }],
        )?;
        Ok(if found.is_some() { 0 } else { -1 })
    }

    /// `main` and `temp`, then the server's ATTACHed databases.
    pub(crate) fn db_name(&self, index: usize) -> Result<String> {
        match index {
            0 => Ok("main".to_owned()),
            1 => Ok("temp".to_owned()),
            _ => match self.stream.query_value(
                "SELECT name FROM pragma_database_list WHERE seq = ?1",
                vec![Value::Integer {
                    value: index as i64,
                }],
            )? {
                Some(Value::Text { value }) => Ok(value.to_string()),
                _ => Err(Error::InvalidDatabaseIndex(index)),
            },
        }
    }

    pub(crate) fn is_interrupted(&self) -> bool {
        self.stream.is_interrupted()
    }

    /// See `Stream::forget_idle_interrupt`.
    pub(crate) fn forget_idle_interrupt(&self) {
        self.stream.forget_idle_interrupt();
    }

    pub(crate) fn interrupt_flag(&self) -> Arc<std::sync::atomic::AtomicBool> {
        self.stream.interrupt_flag()
    }

    pub(crate) fn release_memory(&self) -> Result<()> {
        Ok(())
    }

    pub(crate) fn cache_flush(&self) -> Result<()> {
        Ok(())
    }

    /// Answered by the shadow of the server schema: one request only when it must be
    /// (re)loaded.
    pub(crate) fn table_column_metadata(&self, at: ColumnRef<'_>) -> Result<TableColumn> {
        self.stream.table_column_metadata(at)
    }

    /// From the statements run and the server's autocommit flag.
    pub(crate) fn txn_state(&self, _db_name: Option<&CStr>) -> Result<c_int> {
        Ok(self.stream.txn_state())
    }

    /// Fails, leaving the session open, while statements of this connection exist.
    pub(crate) fn close(&mut self) -> Result<()> {
        self.check_closable()
    }

    /// `sqlite3_close`'s refusal while statements of this connection exist.
    pub(crate) fn check_closable(&self) -> Result<()> {
        self.stream.check_closable()
    }

    pub(crate) fn sync(&self) -> Result<usize> {
        Err(crate::error::error_from_sqlite_code(
            crate::ffi::SQLITE_MISUSE,
            Some(format!(
                "{} is not an embedded replica: nothing to sync",
                self.stream.url
            )),
        ))
    }
}

impl Drop for HranaConnection {
    fn drop(&mut self) {
        // Closing the stream rolls back an open transaction at once instead of at expiry.
        self.stream.close();
    }
}

/// As rusqlite's: the SQL of a prepare error is all the text given to `prepare` (the first
/// statement was judged alone; the offset is the same, as it starts the text).
fn with_text(e: Error, sql: &str) -> Error {
    match e {
        Error::SqlInputError {
            error, msg, offset, ..
        } => Error::SqlInputError {
            error,
            msg,
            sql: sql.to_owned(),
            offset,
        },
        other => other,
    }
}
