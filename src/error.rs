//! The error type: the same enum, variants, fields and `Display` text as rusqlite 0.34 built
//! with `bundled`, so code that matches on `rusqlite::Error` keeps matching.
//!
//! Every backend funnels its failures through [`error_from_sqlite_code`], so a libSQL server's
//! string codes and the local engine's result codes end up as the same `SqliteFailure` values.

use crate::ffi;
use crate::types::{FromSqlError, Type};
use std::error;
use std::ffi::c_int;
use std::fmt;
use std::path::PathBuf;
use std::str;

/// Enum listing possible errors from dbcompat, variant for variant the same as rusqlite's.
///
/// The feature-gated variants of rusqlite (`InvalidFunctionParameterType`, `UserFunctionError`,
/// `BlobSizeError`, …) are always present here, because the local engine always has those
/// capabilities.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// An error from an underlying SQLite call (or a libSQL server's mapped error code).
    SqliteFailure(ffi::Error, Option<String>),
    /// SQLite was compiled or configured for single-threaded use only.
    SqliteSingleThreadedMode,
    /// A `FromSql` conversion failed: column index, its SQL type, and the cause.
    FromSqlConversionFailure(usize, Type, Box<dyn error::Error + Send + Sync + 'static>),
    /// An integer column value did not fit the requested integer type.
    IntegralValueOutOfRange(usize, i64),
    /// Text was not valid UTF-8.
    Utf8Error(str::Utf8Error),
    /// A string given to the engine held an interior NUL.
    NulError(std::ffi::NulError),
    /// A parameter name was not found in the statement.
    InvalidParameterName(String),
    /// A path could not be turned into a C string.
    InvalidPath(PathBuf),
    /// `execute` was called on a statement that returned a row.
    ExecuteReturnedResults,
    /// `query_row` found no row.
    QueryReturnedNoRows,
    /// A column index was out of range.
    InvalidColumnIndex(usize),
    /// A column name was not found.
    InvalidColumnName(String),
    /// The column value's SQL type cannot be converted to the requested Rust type.
    InvalidColumnType(usize, String, Type),
    /// `insert` changed a number of rows other than one.
    StatementChangedRows(usize),
    /// A user function received an argument of the wrong type.
    InvalidFunctionParameterType(usize, Type),
    /// A virtual table filter received an argument of the wrong type.
    InvalidFilterParameterType(usize, Type),
    /// An error returned by a user-defined function.
    UserFunctionError(Box<dyn error::Error + Send + Sync + 'static>),
    /// A `ToSql` conversion failed.
    ToSqlConversionFailure(Box<dyn error::Error + Send + Sync + 'static>),
    /// The SQL is not a read-only query.
    InvalidQuery,
    /// A virtual table module error.
    ModuleError(String),
    /// A user callback panicked.
    UnwindingPanic,
    /// `get_aux` was called with the wrong type.
    GetAuxWrongType,
    /// More than one statement was given where one was expected.
    MultipleStatement,
    /// The number of bound parameters differs from the statement's: `(given, expected)`.
    InvalidParameterCount(usize, usize),
    /// A blob was too small for the operation.
    BlobSizeError,
    /// A syntax error that SQLite could place: the offset is into `sql`.
    SqlInputError {
        /// The SQLite error.
        error: ffi::Error,
        /// SQLite's message.
        msg: String,
        /// The SQL that failed.
        sql: String,
        /// Byte offset of the error in `sql`.
        offset: c_int,
    },
    /// An attached-database index was out of range.
    InvalidDatabaseIndex(usize),
}

impl PartialEq for Error {
    fn eq(&self, other: &Error) -> bool {
        use Error::*;
        match (self, other) {
            (SqliteFailure(e1, s1), SqliteFailure(e2, s2)) => e1 == e2 && s1 == s2,
            (SqliteSingleThreadedMode, SqliteSingleThreadedMode) => true,
            (IntegralValueOutOfRange(i1, n1), IntegralValueOutOfRange(i2, n2)) => {
                i1 == i2 && n1 == n2
            }
            (Utf8Error(e1), Utf8Error(e2)) => e1 == e2,
            (NulError(e1), NulError(e2)) => e1 == e2,
            (InvalidParameterName(n1), InvalidParameterName(n2)) => n1 == n2,
            (InvalidPath(p1), InvalidPath(p2)) => p1 == p2,
            (ExecuteReturnedResults, ExecuteReturnedResults) => true,
            (QueryReturnedNoRows, QueryReturnedNoRows) => true,
            (InvalidColumnIndex(i1), InvalidColumnIndex(i2)) => i1 == i2,
            (InvalidColumnName(n1), InvalidColumnName(n2)) => n1 == n2,
            (InvalidColumnType(i1, n1, t1), InvalidColumnType(i2, n2, t2)) => {
                i1 == i2 && t1 == t2 && n1 == n2
            }
            (StatementChangedRows(n1), StatementChangedRows(n2)) => n1 == n2,
            (InvalidFunctionParameterType(i1, t1), InvalidFunctionParameterType(i2, t2)) => {
                i1 == i2 && t1 == t2
            }
            (InvalidQuery, InvalidQuery) => true,
            (ModuleError(s1), ModuleError(s2)) => s1 == s2,
            (UnwindingPanic, UnwindingPanic) => true,
            (GetAuxWrongType, GetAuxWrongType) => true,
            (InvalidParameterCount(a1, b1), InvalidParameterCount(a2, b2)) => a1 == a2 && b1 == b2,
            (BlobSizeError, BlobSizeError) => true,
            (
                SqlInputError {
                    error: e1,
                    msg: m1,
                    sql: s1,
                    offset: o1,
                },
                SqlInputError {
                    error: e2,
                    msg: m2,
                    sql: s2,
                    offset: o2,
                },
            ) => e1 == e2 && m1 == m2 && s1 == s2 && o1 == o2,
            (InvalidDatabaseIndex(i1), InvalidDatabaseIndex(i2)) => i1 == i2,
            // As in rusqlite: boxed causes can't be compared, and `MultipleStatement`
            // and the filter type error are never equal either.
            (..) => false,
        }
    }
}

impl From<str::Utf8Error> for Error {
    #[cold]
    fn from(err: str::Utf8Error) -> Error {
        Error::Utf8Error(err)
    }
}

impl From<std::ffi::NulError> for Error {
    #[cold]
    fn from(err: std::ffi::NulError) -> Error {
        Error::NulError(err)
    }
}

/// The index rusqlite reports when a conversion error has no column (`?` inside a row closure).
const UNKNOWN_COLUMN: usize = usize::MAX;

impl From<FromSqlError> for Error {
    #[cold]
    fn from(err: FromSqlError) -> Error {
        match err {
            FromSqlError::OutOfRange(value) => {
                Error::IntegralValueOutOfRange(UNKNOWN_COLUMN, value)
            }
            FromSqlError::InvalidBlobSize { .. } => {
                Error::FromSqlConversionFailure(UNKNOWN_COLUMN, Type::Blob, Box::new(err))
            }
            FromSqlError::Other(source) => {
                Error::FromSqlConversionFailure(UNKNOWN_COLUMN, Type::Null, source)
            }
            _ => Error::FromSqlConversionFailure(UNKNOWN_COLUMN, Type::Null, Box::new(err)),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::SqliteFailure(err, None) => err.fmt(f),
            Error::SqliteFailure(_, Some(msg)) => write!(f, "{msg}"),
            Error::SqliteSingleThreadedMode => write!(
                f,
                "SQLite was compiled or configured for single-threaded use only"
            ),
            Error::FromSqlConversionFailure(i, t, err) => {
                if *i == UNKNOWN_COLUMN {
                    write!(f, "{err}")
                } else {
                    write!(f, "Conversion error from type {t} at index: {i}, {err}")
                }
            }
            Error::IntegralValueOutOfRange(col, val) => {
                if *col == UNKNOWN_COLUMN {
                    write!(f, "Integer {val} out of range")
                } else {
                    write!(f, "Integer {val} out of range at index {col}")
                }
            }
            Error::Utf8Error(err) => err.fmt(f),
            Error::NulError(err) => err.fmt(f),
            Error::InvalidParameterName(name) => write!(f, "Invalid parameter name: {name}"),
            Error::InvalidPath(p) => write!(f, "Invalid path: {}", p.to_string_lossy()),
            Error::ExecuteReturnedResults => {
                write!(f, "Execute returned results - did you mean to call query?")
            }
            Error::QueryReturnedNoRows => write!(f, "Query returned no rows"),
            Error::InvalidColumnIndex(i) => write!(f, "Invalid column index: {i}"),
            Error::InvalidColumnName(name) => write!(f, "Invalid column name: {name}"),
            Error::InvalidColumnType(i, name, t) => {
                write!(f, "Invalid column type {t} at index: {i}, name: {name}")
            }
            Error::InvalidParameterCount(given, expected) => write!(
                f,
                "Wrong number of parameters passed to query. Got {given}, needed {expected}"
            ),
            Error::StatementChangedRows(i) => write!(f, "Query changed {i} rows"),
            Error::InvalidFunctionParameterType(i, t) => {
                write!(f, "Invalid function parameter type {t} at index {i}")
            }
            Error::InvalidFilterParameterType(i, t) => {
                write!(f, "Invalid filter parameter type {t} at index {i}")
            }
            Error::UserFunctionError(err) => err.fmt(f),
            Error::ToSqlConversionFailure(err) => err.fmt(f),
            Error::InvalidQuery => write!(f, "Query is not read-only"),
            Error::ModuleError(desc) => write!(f, "{desc}"),
            Error::UnwindingPanic => write!(f, "unwinding panic"),
            Error::GetAuxWrongType => write!(f, "get_aux called with wrong type"),
            Error::MultipleStatement => write!(f, "Multiple statements provided"),
            Error::BlobSizeError => "Blob size is insufficient".fmt(f),
            Error::SqlInputError {
                msg, sql, offset, ..
            } => write!(f, "{msg} in {sql} at offset {offset}"),
            Error::InvalidDatabaseIndex(i) => write!(f, "Invalid database index: {i}"),
        }
    }
}

impl error::Error for Error {
    fn source(&self) -> Option<&(dyn error::Error + 'static)> {
        match self {
            Error::SqliteFailure(err, _) => Some(err),
            Error::Utf8Error(err) => Some(err),
            Error::NulError(err) => Some(err),
            Error::FromSqlConversionFailure(_, _, err)
            | Error::UserFunctionError(err)
            | Error::ToSqlConversionFailure(err) => Some(&**err),
            Error::SqlInputError { error, .. } => Some(error),
            _ => None,
        }
    }
}

impl Error {
    /// The underlying SQLite error, if this is `SqliteFailure`.
    #[inline]
    #[must_use]
    pub fn sqlite_error(&self) -> Option<&ffi::Error> {
        match self {
            Self::SqliteFailure(error, _) => Some(error),
            _ => None,
        }
    }

    /// The underlying SQLite error code, if this is `SqliteFailure`.
    #[inline]
    #[must_use]
    pub fn sqlite_error_code(&self) -> Option<ffi::ErrorCode> {
        self.sqlite_error().map(|error| error.code)
    }
}

/// Builds `SqliteFailure` from a (possibly extended) result code and an optional message.
#[cold]
pub(crate) fn error_from_sqlite_code(code: c_int, message: Option<String>) -> Error {
    Error::SqliteFailure(ffi::Error::new(code), message)
}

/// `SqliteFailure` with SQLite's generic description of `code` as its message, the way the
/// engine reports a failure that has no connection-specific message.
#[cold]
pub(crate) fn error_with_generic_message(code: c_int) -> Error {
    error_from_sqlite_code(code, Some(generic_message(code).to_owned()))
}

/// SQLite's own English text for a result code (`sqlite3_errstr`), for errors raised by
/// dbcompat itself where the engine would have produced the same code.
pub(crate) fn generic_message(code: c_int) -> &'static str {
    match code & 0xff {
        ffi::SQLITE_MISUSE => "bad parameter or other API misuse",
        ffi::SQLITE_RANGE => "column index out of range",
        ffi::SQLITE_READONLY => "attempt to write a readonly database",
        ffi::SQLITE_BUSY => "database is locked",
        ffi::SQLITE_INTERRUPT => "interrupted",
        ffi::SQLITE_CANTOPEN => "unable to open database file",
        ffi::SQLITE_CONSTRAINT => "constraint failed",
        ffi::SQLITE_NOMEM => "out of memory",
        ffi::SQLITE_IOERR => "disk I/O error",
        ffi::SQLITE_AUTH => "authorization denied",
        ffi::SQLITE_ABORT => "query aborted",
        _ => "SQL logic error",
    }
}

/// Copies `s` into memory from `sqlite3_malloc`, NUL-terminated, for the engine to own and
/// free (error messages of virtual tables and extension entry points, `idxStr`). Null when
/// the engine is out of memory. An interior NUL ends the engine's view of the text early.
pub(crate) fn engine_string(s: &str) -> *mut std::ffi::c_char {
    let len = s.len();
    // SAFETY: a fresh allocation of len + 1 bytes, fully written before it is returned.
    unsafe {
        let p = ffi::sqlite3_malloc64((len + 1) as u64).cast::<u8>();
        if !p.is_null() {
            std::ptr::copy_nonoverlapping(s.as_ptr(), p, len);
            *p.add(len) = 0;
        }
        p.cast()
    }
}

/// Reports a Rust error to the engine the way a C extension does: returns the result code and
/// stores a message from `sqlite3_malloc` in `*err_msg` (which the engine frees). A
/// `SqliteFailure` keeps its extended code (and its message, if any); any other error is
/// `SQLITE_ERROR` with the error's `Display` text. Same contract as rusqlite's.
///
/// # Safety
/// `err_msg` must be valid for writing a pointer.
pub unsafe fn to_sqlite_error(e: &Error, err_msg: *mut *mut std::ffi::c_char) -> c_int {
    match e {
        Error::SqliteFailure(err, msg) => {
            if let Some(msg) = msg {
                *err_msg = engine_string(msg);
            }
            err.extended_code
        }
        other => {
            *err_msg = engine_string(&other.to_string());
            ffi::SQLITE_ERROR
        }
    }
}
