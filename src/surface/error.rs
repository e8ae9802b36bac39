//! `surface_error!`: the `Error` enum of rusqlite 0.35 and later, with `Result` and
//! `OptionalExtension`. The variants every newer surface shares are written here once; the
//! per-version ones (0.40's `InvalidFunctionParameterType`/`InvalidFilterParameterType`,
//! 0.43's `InvalidParameterType` and `Empty`) arrive as parameters.
//!
//! Errors raised by the shared core come in through `Error::from_core`, which keeps every
//! field and only re-homes the variants whose shape changed (`Utf8Error` gained a column).

macro_rules! surface_error {
    (
        extra_variants { $($extra:tt)* }
        display |$f:ident| { $($display_pat:pat => $display:expr,)* }
        eq { $($eq_pat:pat => $eq:expr,)* }
        function_parameter_type: $function_param:path,
        filter_parameter_type: $filter_param:path,
    ) => {
        /// The error type, variant for variant as in this rusqlite version (feature-gated
        /// variants are always present, as the local engine always has the capabilities).
        #[derive(Debug)]
        #[non_exhaustive]
        pub enum Error {
            /// An error from an underlying SQLite call (or a libSQL server's mapped error code).
            SqliteFailure($crate::surface::ffi::Error, Option<String>),
            /// SQLite was compiled or configured for single-threaded use only.
            SqliteSingleThreadedMode,
            /// A `FromSql` conversion failed: column index, its SQL type, and the cause.
            FromSqlConversionFailure(
                usize,
                $crate::types::Type,
                Box<dyn std::error::Error + Send + Sync + 'static>,
            ),
            /// An integer column value did not fit the requested integer type.
            IntegralValueOutOfRange(usize, i64),
            /// Text was not valid UTF-8: the column (`usize::MAX` when unknown) and the cause.
            Utf8Error(usize, std::str::Utf8Error),
            /// A string given to the engine held an interior NUL.
            NulError(std::ffi::NulError),
            /// A parameter name was not found in the statement.
            InvalidParameterName(String),
            /// A path could not be turned into a C string.
            InvalidPath(std::path::PathBuf),
            /// `execute` was called on a statement that returned a row.
            ExecuteReturnedResults,
            /// `query_row` found no row.
            QueryReturnedNoRows,
            /// `query_one` found more than one row.
            QueryReturnedMoreThanOneRow,
            /// A column index was out of range.
            InvalidColumnIndex(usize),
            /// A column name was not found.
            InvalidColumnName(String),
            /// The column value's SQL type cannot be converted to the requested Rust type.
            InvalidColumnType(usize, String, $crate::types::Type),
            /// `insert` changed a number of rows other than one.
            StatementChangedRows(usize),
            $($extra)*
            /// An error returned by a user-defined function.
            UserFunctionError(Box<dyn std::error::Error + Send + Sync + 'static>),
            /// A `ToSql` conversion failed.
            ToSqlConversionFailure(Box<dyn std::error::Error + Send + Sync + 'static>),
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
                error: $crate::surface::ffi::Error,
                /// SQLite's message.
                msg: String,
                /// The SQL that failed.
                sql: String,
                /// Byte offset of the error in `sql`.
                offset: std::ffi::c_int,
            },
            /// An attached-database index was out of range.
            InvalidDatabaseIndex(usize),
        }

        /// A typedef of the result returned by many methods.
        pub type Result<T, E = Error> = std::result::Result<T, E>;

        /// The column index reported when a conversion error has no column.
        const UNKNOWN_COLUMN: usize = usize::MAX;

        impl Error {
            /// Re-homes an error raised by the shared core; every field is kept.
            #[cold]
            pub(crate) fn from_core(err: $crate::Error) -> Error {
                use $crate::Error as Core;
                match err {
                    Core::SqliteFailure(e, m) => Error::SqliteFailure(e.into(), m),
                    Core::SqliteSingleThreadedMode => Error::SqliteSingleThreadedMode,
                    Core::FromSqlConversionFailure(i, t, e) => {
                        Error::FromSqlConversionFailure(i, t, e)
                    }
                    Core::IntegralValueOutOfRange(i, v) => Error::IntegralValueOutOfRange(i, v),
                    Core::Utf8Error(e) => Error::Utf8Error(UNKNOWN_COLUMN, e),
                    Core::NulError(e) => Error::NulError(e),
                    Core::InvalidParameterName(n) => Error::InvalidParameterName(n),
                    Core::InvalidPath(p) => Error::InvalidPath(p),
                    Core::ExecuteReturnedResults => Error::ExecuteReturnedResults,
                    Core::QueryReturnedNoRows => Error::QueryReturnedNoRows,
                    Core::InvalidColumnIndex(i) => Error::InvalidColumnIndex(i),
                    Core::InvalidColumnName(n) => Error::InvalidColumnName(n),
                    Core::InvalidColumnType(i, n, t) => Error::InvalidColumnType(i, n, t),
                    Core::StatementChangedRows(n) => Error::StatementChangedRows(n),
                    Core::InvalidFunctionParameterType(i, t) => $function_param(i, t),
                    Core::InvalidFilterParameterType(i, t) => $filter_param(i, t),
                    Core::UserFunctionError(e) => Error::UserFunctionError(e),
                    Core::ToSqlConversionFailure(e) => Error::ToSqlConversionFailure(e),
                    Core::InvalidQuery => Error::InvalidQuery,
                    Core::ModuleError(m) => Error::ModuleError(m),
                    Core::UnwindingPanic => Error::UnwindingPanic,
                    Core::GetAuxWrongType => Error::GetAuxWrongType,
                    Core::MultipleStatement => Error::MultipleStatement,
                    Core::InvalidParameterCount(a, b) => Error::InvalidParameterCount(a, b),
                    Core::BlobSizeError => Error::BlobSizeError,
                    Core::SqlInputError { error, msg, sql, offset } => {
                        Error::SqlInputError { error: error.into(), msg, sql, offset }
                    }
                    Core::InvalidDatabaseIndex(i) => Error::InvalidDatabaseIndex(i),
                }
            }

            /// The underlying SQLite error, if this is `SqliteFailure`.
            #[inline]
            #[must_use]
            pub fn sqlite_error(&self) -> Option<&$crate::surface::ffi::Error> {
                match self {
                    Self::SqliteFailure(error, _) => Some(error),
                    _ => None,
                }
            }

            /// The underlying SQLite error code, if this is `SqliteFailure`.
            #[inline]
            #[must_use]
            pub fn sqlite_error_code(&self) -> Option<$crate::ffi::ErrorCode> {
                self.sqlite_error().map(|error| error.code)
            }

            /// The underlying SQLite extended error code, if this is `SqliteFailure`.
            #[inline]
            #[must_use]
            pub fn sqlite_extended_error_code(&self) -> Option<std::ffi::c_int> {
                self.sqlite_error().map(|error| error.extended_code)
            }
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
                    (Utf8Error(i1, e1), Utf8Error(i2, e2)) => i1 == i2 && e1 == e2,
                    (NulError(e1), NulError(e2)) => e1 == e2,
                    (InvalidParameterName(n1), InvalidParameterName(n2)) => n1 == n2,
                    (InvalidPath(p1), InvalidPath(p2)) => p1 == p2,
                    (ExecuteReturnedResults, ExecuteReturnedResults) => true,
                    (QueryReturnedNoRows, QueryReturnedNoRows) => true,
                    (QueryReturnedMoreThanOneRow, QueryReturnedMoreThanOneRow) => true,
                    (InvalidColumnIndex(i1), InvalidColumnIndex(i2)) => i1 == i2,
                    (InvalidColumnName(n1), InvalidColumnName(n2)) => n1 == n2,
                    (InvalidColumnType(i1, n1, t1), InvalidColumnType(i2, n2, t2)) => {
                        i1 == i2 && t1 == t2 && n1 == n2
                    }
                    (StatementChangedRows(n1), StatementChangedRows(n2)) => n1 == n2,
                    $($eq_pat => $eq,)*
                    (InvalidQuery, InvalidQuery) => true,
                    (ModuleError(s1), ModuleError(s2)) => s1 == s2,
                    (UnwindingPanic, UnwindingPanic) => true,
                    (GetAuxWrongType, GetAuxWrongType) => true,
                    (InvalidParameterCount(a1, b1), InvalidParameterCount(a2, b2)) => {
                        a1 == a2 && b1 == b2
                    }
                    (BlobSizeError, BlobSizeError) => true,
                    (
                        SqlInputError { error: e1, msg: m1, sql: s1, offset: o1 },
                        SqlInputError { error: e2, msg: m2, sql: s2, offset: o2 },
                    ) => e1 == e2 && m1 == m2 && s1 == s2 && o1 == o2,
                    (InvalidDatabaseIndex(i1), InvalidDatabaseIndex(i2)) => i1 == i2,
                    // As in rusqlite: boxed causes can't be compared, nor can `MultipleStatement`.
                    (..) => false,
                }
            }
        }

        impl Error {
            /// A user callback's error for the core, which reports it to the engine: a
            /// `SqliteFailure` keeps its code, anything else is carried with its own text.
            #[cold]
            pub(crate) fn into_callback_error(self) -> $crate::Error {
                match self {
                    Error::SqliteFailure(code, msg) => {
                        $crate::Error::SqliteFailure(code.into(), msg)
                    }
                    Error::UnwindingPanic => $crate::Error::UnwindingPanic,
                    other => $crate::Error::UserFunctionError(Box::new(other)),
                }
            }
        }

        impl From<std::str::Utf8Error> for Error {
            #[cold]
            fn from(err: std::str::Utf8Error) -> Error {
                Error::Utf8Error(UNKNOWN_COLUMN, err)
            }
        }

        #[cfg(feature = "csvtab")]
        impl From<csv::Error> for Error {
            /// `Error::ModuleError` with the CSV error's text, as in rusqlite.
            #[cold]
            fn from(err: csv::Error) -> Error {
                Error::from_core(err.into())
            }
        }

        impl From<std::ffi::NulError> for Error {
            #[cold]
            fn from(err: std::ffi::NulError) -> Error {
                Error::NulError(err)
            }
        }

        impl From<types::FromSqlError> for Error {
            #[cold]
            fn from(err: types::FromSqlError) -> Error {
                use $crate::types::Type;
                use types::FromSqlError;
                match err {
                    FromSqlError::OutOfRange(value) => {
                        Error::IntegralValueOutOfRange(UNKNOWN_COLUMN, value)
                    }
                    FromSqlError::Utf8Error(e) => Error::Utf8Error(UNKNOWN_COLUMN, e),
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

        impl std::fmt::Display for Error {
            fn fmt(&self, $f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self {
                    Error::SqliteFailure(err, None) => err.fmt($f),
                    Error::SqliteFailure(_, Some(msg)) => write!($f, "{msg}"),
                    Error::SqliteSingleThreadedMode => write!(
                        $f,
                        "SQLite was compiled or configured for single-threaded use only"
                    ),
                    Error::FromSqlConversionFailure(i, t, err) => {
                        if *i == UNKNOWN_COLUMN {
                            write!($f, "{err}")
                        } else {
                            write!($f, "Conversion error from type {t} at index: {i}, {err}")
                        }
                    }
                    Error::IntegralValueOutOfRange(col, val) => {
                        if *col == UNKNOWN_COLUMN {
                            write!($f, "Integer {val} out of range")
                        } else {
                            write!($f, "Integer {val} out of range at index {col}")
                        }
                    }
                    Error::Utf8Error(col, err) => {
                        if *col == UNKNOWN_COLUMN {
                            err.fmt($f)
                        } else {
                            write!($f, "{err} at index {col}")
                        }
                    }
                    Error::NulError(err) => err.fmt($f),
                    Error::InvalidParameterName(name) => {
                        write!($f, "Invalid parameter name: {name}")
                    }
                    Error::InvalidPath(p) => write!($f, "Invalid path: {}", p.to_string_lossy()),
                    Error::ExecuteReturnedResults => {
                        write!($f, "Execute returned results - did you mean to call query?")
                    }
                    Error::QueryReturnedNoRows => write!($f, "Query returned no rows"),
                    Error::QueryReturnedMoreThanOneRow => {
                        write!($f, "Query returned more than one row")
                    }
                    Error::InvalidColumnIndex(i) => write!($f, "Invalid column index: {i}"),
                    Error::InvalidColumnName(name) => write!($f, "Invalid column name: {name}"),
                    Error::InvalidColumnType(i, name, t) => {
                        write!($f, "Invalid column type {t} at index: {i}, name: {name}")
                    }
                    Error::InvalidParameterCount(given, expected) => write!(
                        $f,
                        "Wrong number of parameters passed to query. Got {given}, needed {expected}"
                    ),
                    Error::StatementChangedRows(i) => write!($f, "Query changed {i} rows"),
                    $($display_pat => $display,)*
                    Error::UserFunctionError(err) => err.fmt($f),
                    Error::ToSqlConversionFailure(err) => err.fmt($f),
                    Error::InvalidQuery => write!($f, "Query is not read-only"),
                    Error::ModuleError(desc) => write!($f, "{desc}"),
                    Error::UnwindingPanic => write!($f, "unwinding panic"),
                    Error::GetAuxWrongType => write!($f, "get_aux called with wrong type"),
                    Error::MultipleStatement => write!($f, "Multiple statements provided"),
                    Error::BlobSizeError => "Blob size is insufficient".fmt($f),
                    Error::SqlInputError { msg, sql, offset, .. } => {
                        write!($f, "{msg} in {sql} at offset {offset}")
                    }
                    Error::InvalidDatabaseIndex(i) => write!($f, "Invalid database index: {i}"),
                }
            }
        }

        impl std::error::Error for Error {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                match self {
                    Error::SqliteFailure(err, _) => Some(err),
                    Error::Utf8Error(_, err) => Some(err),
                    Error::NulError(err) => Some(err),
                    Error::FromSqlConversionFailure(_, _, err)
                    | Error::UserFunctionError(err)
                    | Error::ToSqlConversionFailure(err) => Some(&**err),
                    Error::SqlInputError { error, .. } => Some(error),
                    _ => None,
                }
            }
        }

        /// See the method [`OptionalExtension::optional`].
        pub trait OptionalExtension<T> {
            /// Turns `Err(QueryReturnedNoRows)` into `Ok(None)`; other errors pass through.
            fn optional(self) -> Result<Option<T>>;
        }

        impl<T> OptionalExtension<T> for Result<T> {
            fn optional(self) -> Result<Option<T>> {
                match self {
                    Ok(value) => Ok(Some(value)),
                    Err(Error::QueryReturnedNoRows) => Ok(None),
                    Err(e) => Err(e),
                }
            }
        }
    };
}
