//! rusqlite::Error: Display text of each variant, PartialEq, sqlite_error / sqlite_error_code,
//! From conversions, source(), ffi::Error / ErrorCode / result-code constants, and
//! OptionalExtension.
use crate::support::one;
use rusqlite::ffi;
use rusqlite::types::{FromSqlError, Type};
use rusqlite::{Error, ErrorCode, OptionalExtension};
use std::error::Error as StdError;
use std::path::PathBuf;

#[derive(Debug)]
struct Custom(&'static str);
impl std::fmt::Display for Custom {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "custom: {}", self.0)
    }
}
impl StdError for Custom {}

/// A result code's description in `ffi::Error`'s text: rusqlite 0.34's own table, or, from
/// 0.38 on, SQLite's `sqlite3_errstr`.
fn by_surface(v0_34: &'static str, newer: &'static str) -> &'static str {
    if crate::SURFACE == "0.34" {
        v0_34
    } else {
        newer
    }
}

fn failure(code: i32, msg: Option<&str>) -> Error {
    Error::SqliteFailure(ffi::Error::new(code), msg.map(str::to_string))
}

/// `(code, extended_code, message)` of a SqliteFailure, panicking on any other variant.
fn parts(e: &Error) -> (ErrorCode, i32, String) {
    match e {
        Error::SqliteFailure(err, msg) => {
            (err.code, err.extended_code, msg.clone().unwrap_or_default())
        }
        other => panic!("expected SqliteFailure, got {other:?}"),
    }
}

/// `a == b`, spelled as a call so comparing a value with itself is not linted.
fn same<T: PartialEq>(a: &T, b: &T) -> bool {
    a == b
}

fn assert_send_sync_static<T: Send + Sync + 'static>() {}

cases! {
    fn query_returned_no_rows() {
        let db = crate::open()?;
        let e = db.query_row("SELECT 1 WHERE 0", [], |r| r.get::<_, i64>(0)).unwrap_err();
        assert_eq!(e, Error::QueryReturnedNoRows);
        assert_eq!(e.to_string(), "Query returned no rows");
        assert_eq!(format!("{e:?}"), "QueryReturnedNoRows");
        assert!(e.source().is_none());
        Ok(())
    }

    fn execute_returned_results() {
        let db = crate::open()?;
        let e = db.execute("SELECT 1", []).unwrap_err();
        assert_eq!(e, Error::ExecuteReturnedResults);
        assert_eq!(e.to_string(), "Execute returned results - did you mean to call query?");
        Ok(())
    }

    fn invalid_column_index_and_name() {
        let db = crate::open()?;
        let e = db.query_row("SELECT 1 AS a", [], |r| r.get::<_, i64>(5)).unwrap_err();
        assert_eq!(e, Error::InvalidColumnIndex(5));
        assert_eq!(e.to_string(), "Invalid column index: 5");
        let e = db.query_row("SELECT 1 AS a", [], |r| r.get::<_, i64>("nope")).unwrap_err();
        assert_eq!(e, Error::InvalidColumnName("nope".into()));
        assert_eq!(e.to_string(), "Invalid column name: nope");
        assert!(e.source().is_none());
        Ok(())
    }

    fn invalid_column_type_display() {
        let e = Error::InvalidColumnType(2, "col".into(), Type::Real);
        assert_eq!(e.to_string(), "Invalid column type Real at index: 2, name: col");
        assert_eq!(format!("{e:?}"), "InvalidColumnType(2, \"col\", Real)");
        let db = crate::open()?;
        let e = db.query_row("SELECT 'abc'", [], |r| r.get::<_, i64>(0)).unwrap_err();
        assert_eq!(e.to_string(), "Invalid column type Text at index: 0, name: 'abc'");
        Ok(())
    }

    fn integral_value_out_of_range_display() {
        assert_eq!(Error::IntegralValueOutOfRange(3, -1).to_string(), "Integer -1 out of range at index 3");
        // the unknown-column index (usize::MAX) drops the suffix
        assert_eq!(Error::IntegralValueOutOfRange(usize::MAX, 5).to_string(), "Integer 5 out of range");
        Ok(())
    }

    fn invalid_parameter_name() {
        let db = crate::open()?;
        let e = db.query_row("SELECT :a", &[(":zz", &1)], |r| r.get::<_, i64>(0)).unwrap_err();
        assert_eq!(e, Error::InvalidParameterName(":zz".into()));
        assert_eq!(e.to_string(), "Invalid parameter name: :zz");
        Ok(())
    }

    fn invalid_parameter_count() {
        let db = crate::open()?;
        let e = db.execute("SELECT ?1", [1, 2]).unwrap_err();
        assert_eq!(e, Error::InvalidParameterCount(2, 1));
        assert_eq!(e.to_string(), "Wrong number of parameters passed to query. Got 2, needed 1");
        Ok(())
    }

    fn statement_changed_rows() {
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE u(x UNIQUE); INSERT INTO u VALUES (1)")?;
        let e = db.prepare("INSERT OR IGNORE INTO u VALUES (1)")?.insert([]).unwrap_err();
        assert_eq!(e, Error::StatementChangedRows(0));
        assert_eq!(e.to_string(), "Query changed 0 rows");
        assert_eq!(Error::StatementChangedRows(3).to_string(), "Query changed 3 rows");
        Ok(())
    }

    fn invalid_path_and_misc_constructed_variants() {
        assert_eq!(Error::InvalidPath(PathBuf::from("/x/y.db")).to_string(), "Invalid path: /x/y.db");
        assert_eq!(Error::InvalidPath("a".into()), Error::InvalidPath("a".into()));
        assert_eq!(Error::InvalidQuery.to_string(), "Query is not read-only");
        assert_eq!(Error::MultipleStatement.to_string(), "Multiple statements provided");
        assert_eq!(Error::UnwindingPanic.to_string(), "unwinding panic");
        assert_eq!(Error::SqliteSingleThreadedMode.to_string(), "SQLite was compiled or configured for single-threaded use only");
        assert_eq!(Error::InvalidDatabaseIndex(4).to_string(), "Invalid database index: 4");
        Ok(())
    }

    /// Some(message) displays just the message; None displays "Error code N: description".
    fn sqlite_failure_display() {
        assert_eq!(failure(ffi::SQLITE_BUSY, Some("database is locked")).to_string(), "database is locked");
        assert_eq!(failure(ffi::SQLITE_BUSY, None).to_string(), by_surface("Error code 5: The database file is locked", "Error code 5: database is locked"));
        assert_eq!(failure(ffi::SQLITE_CONSTRAINT_NOTNULL, None).to_string(), by_surface("Error code 1299: A NOT NULL constraint failed", "Error code 1299: constraint failed"));
        assert_eq!(failure(ffi::SQLITE_CONSTRAINT_UNIQUE, None).to_string(), by_surface("Error code 2067: A UNIQUE constraint failed", "Error code 2067: constraint failed"));
        assert_eq!(failure(ffi::SQLITE_ERROR, None).to_string(), by_surface("Error code 1: SQL error or missing database", "Error code 1: SQL logic error"));
        assert_eq!(
            format!("{:?}", failure(ffi::SQLITE_CONSTRAINT_UNIQUE, Some("m"))),
            "SqliteFailure(Error { code: ConstraintViolation, extended_code: 2067 }, Some(\"m\"))"
        );
        Ok(())
    }

    /// A syntax error at prepare time is SqlInputError (bundled / modern_sqlite), not SqliteFailure.
    fn sql_input_error_from_syntax_error() {
        let db = crate::open()?;
        let e = db.prepare("SELEC 1").unwrap_err();
        assert_eq!(e, Error::SqlInputError {
            error: ffi::Error { code: ErrorCode::Unknown, extended_code: 1 },
            msg: "near \"SELEC\": syntax error".into(),
            sql: "SELEC 1".into(),
            offset: 0,
        });
        assert_eq!(e.to_string(), "near \"SELEC\": syntax error in SELEC 1 at offset 0");
        assert_eq!(e.sqlite_error(), None);
        assert_eq!(e.sqlite_error_code(), None);
        let src = e.source().expect("SqlInputError has the ffi error as source");
        assert_eq!(src.to_string(), by_surface("Error code 1: SQL error or missing database", "Error code 1: SQL logic error"));
        let e = db.prepare("SELECT 1 2").unwrap_err();
        match e {
            Error::SqlInputError { msg, sql, offset, .. } => {
                assert_eq!((msg.as_str(), sql.as_str(), offset), ("near \"2\": syntax error", "SELECT 1 2", 9));
            }
            other => panic!("{other:?}"),
        }
        // "incomplete input" carries no offset, so it stays a SqliteFailure
        let e = db.prepare("SELECT 1 FROM").unwrap_err();
        assert_eq!(e, failure(1, Some("incomplete input")));
        Ok(())
    }

    /// An unknown table has no error offset, so it stays a plain SqliteFailure.
    fn no_such_table_is_sqlite_failure() {
        let db = crate::open()?;
        let e = db.prepare("SELECT * FROM nope").unwrap_err();
        assert_eq!(e, failure(1, Some("no such table: nope")));
        assert_eq!(e.to_string(), "no such table: nope");
        assert_eq!(e.sqlite_error_code(), Some(ErrorCode::Unknown));
        assert_eq!(e.sqlite_error().map(|x| x.extended_code), Some(ffi::SQLITE_ERROR));
        Ok(())
    }

    fn unique_violation_codes() {
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE u(x UNIQUE); INSERT INTO u VALUES (1)")?;
        let e = db.execute("INSERT INTO u VALUES (1)", []).unwrap_err();
        assert_eq!(parts(&e), (ErrorCode::ConstraintViolation, ffi::SQLITE_CONSTRAINT_UNIQUE, "UNIQUE constraint failed: u.x".into()));
        assert_eq!(e.sqlite_error_code(), Some(ErrorCode::ConstraintViolation));
        assert_eq!(e.sqlite_error(), Some(&ffi::Error { code: ErrorCode::ConstraintViolation, extended_code: 2067 }));
        // the match people write
        let is_unique = matches!(
            e,
            Error::SqliteFailure(ffi::Error { code: ErrorCode::ConstraintViolation, extended_code: ffi::SQLITE_CONSTRAINT_UNIQUE }, _)
        );
        assert!(is_unique);
        Ok(())
    }

    fn not_null_primary_key_check_foreign_key_codes() {
        let db = crate::open()?;
        db.execute_batch(
            "PRAGMA foreign_keys = ON;
             CREATE TABLE p(id INTEGER PRIMARY KEY, name TEXT NOT NULL, n INTEGER CONSTRAINT positive CHECK (n > 0));
             CREATE TABLE k(a TEXT PRIMARY KEY);
             CREATE TABLE c(pid REFERENCES p(id));
             INSERT INTO p VALUES (1, 'a', 1); INSERT INTO k VALUES ('x');",
        )?;
        let e = db.execute("INSERT INTO p VALUES (2, NULL, 1)", []).unwrap_err();
        assert_eq!(parts(&e), (ErrorCode::ConstraintViolation, ffi::SQLITE_CONSTRAINT_NOTNULL, "NOT NULL constraint failed: p.name".into()));
        let e = db.execute("INSERT INTO p VALUES (1, 'b', 1)", []).unwrap_err();
        assert_eq!(parts(&e), (ErrorCode::ConstraintViolation, ffi::SQLITE_CONSTRAINT_PRIMARYKEY, "UNIQUE constraint failed: p.id".into()));
        let e = db.execute("INSERT INTO k VALUES ('x')", []).unwrap_err();
        assert_eq!(parts(&e), (ErrorCode::ConstraintViolation, ffi::SQLITE_CONSTRAINT_PRIMARYKEY, "UNIQUE constraint failed: k.a".into()));
        let e = db.execute("INSERT INTO p VALUES (3, 'c', 0)", []).unwrap_err();
        assert_eq!(parts(&e), (ErrorCode::ConstraintViolation, ffi::SQLITE_CONSTRAINT_CHECK, "CHECK constraint failed: positive".into()));
        let e = db.execute("INSERT INTO c VALUES (99)", []).unwrap_err();
        assert_eq!(parts(&e), (ErrorCode::ConstraintViolation, ffi::SQLITE_CONSTRAINT_FOREIGNKEY, "FOREIGN KEY constraint failed".into()));
        Ok(())
    }

    /// A composite WITHOUT ROWID primary key, a UNIQUE index sharing one of its columns, and the
    /// hidden rowid: all worded "UNIQUE constraint failed", told apart only by the extended code.
    fn composite_key_and_rowid_violation_codes() {
        let db = crate::open()?;
        db.execute_batch(
            "CREATE TABLE w(a, b, c, PRIMARY KEY (b, a)) WITHOUT ROWID;
             CREATE UNIQUE INDEX w_ca ON w(c, a);
             CREATE TABLE r(x);
             INSERT INTO w VALUES (1, 2, 3); INSERT INTO r(rowid, x) VALUES (5, 'a');",
        )?;
        let e = db.execute("INSERT INTO w VALUES (1, 2, 4)", []).unwrap_err();
        assert_eq!(parts(&e), (ErrorCode::ConstraintViolation, ffi::SQLITE_CONSTRAINT_PRIMARYKEY, "UNIQUE constraint failed: w.b, w.a".into()));
        let e = db.execute("INSERT INTO w VALUES (1, 9, 3)", []).unwrap_err();
        assert_eq!(parts(&e), (ErrorCode::ConstraintViolation, ffi::SQLITE_CONSTRAINT_UNIQUE, "UNIQUE constraint failed: w.c, w.a".into()));
        let e = db.execute("INSERT INTO r(rowid, x) VALUES (5, 'b')", []).unwrap_err();
        assert_eq!(parts(&e), (ErrorCode::ConstraintViolation, ffi::SQLITE_CONSTRAINT_ROWID, "UNIQUE constraint failed: r.rowid".into()));
        let e = db.query_row("INSERT INTO r(rowid, x) VALUES (5, 'c') RETURNING x", [], |r| r.get::<_, String>(0)).unwrap_err();
        assert_eq!(parts(&e), (ErrorCode::ConstraintViolation, ffi::SQLITE_CONSTRAINT_ROWID, "UNIQUE constraint failed: r.rowid".into()));
        Ok(())
    }

    fn trigger_raise_and_datatype_errors() {
        let db = crate::open()?;
        db.execute_batch(
            "CREATE TABLE t(x);
             CREATE TRIGGER no_neg BEFORE INSERT ON t WHEN NEW.x < 0 BEGIN SELECT RAISE(ABORT, 'negative not allowed'); END;
             CREATE TABLE s(x INT) STRICT;
             CREATE TABLE r(id INTEGER PRIMARY KEY);",
        )?;
        let e = db.execute("INSERT INTO t VALUES (-1)", []).unwrap_err();
        assert_eq!(parts(&e), (ErrorCode::ConstraintViolation, ffi::SQLITE_CONSTRAINT_TRIGGER, "negative not allowed".into()));
        let e = db.execute("INSERT INTO s VALUES ('abc')", []).unwrap_err();
        assert_eq!(parts(&e), (ErrorCode::ConstraintViolation, 3091, "cannot store TEXT value in INT column s.x".into()));
        let e = db.execute("INSERT INTO r VALUES ('abc')", []).unwrap_err();
        assert_eq!(parts(&e), (ErrorCode::TypeMismatch, ffi::SQLITE_MISMATCH, "datatype mismatch".into()));
        Ok(())
    }

    fn query_only_write_is_readonly_error() {
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE t(x); PRAGMA query_only = 1")?;
        let e = db.execute("INSERT INTO t VALUES (1)", []).unwrap_err();
        assert_eq!(parts(&e), (ErrorCode::ReadOnly, ffi::SQLITE_READONLY, "attempt to write a readonly database".into()));
        Ok(())
    }

    fn to_sql_conversion_failure_display_and_source() {
        let e = Error::ToSqlConversionFailure(Box::new(Custom("x")));
        assert_eq!(e.to_string(), "custom: x");
        let src = e.source().expect("source");
        assert_eq!(src.to_string(), "custom: x");
        assert!(src.downcast_ref::<Custom>().is_some());
        Ok(())
    }

    fn from_sql_conversion_failure_display_and_source() {
        let e = Error::FromSqlConversionFailure(1, Type::Text, Box::new(Custom("y")));
        assert_eq!(e.to_string(), "Conversion error from type Text at index: 1, custom: y");
        assert!(e.source().and_then(|s| s.downcast_ref::<Custom>()).is_some());
        let e = Error::FromSqlConversionFailure(usize::MAX, Type::Blob, Box::new(Custom("z")));
        assert_eq!(e.to_string(), "custom: z");
        Ok(())
    }

    /// Errors with a boxed payload are never equal, even to themselves; so is MultipleStatement.
    fn partial_eq_semantics() {
        assert!(same(&Error::QueryReturnedNoRows, &Error::QueryReturnedNoRows));
        assert_ne!(Error::QueryReturnedNoRows, Error::ExecuteReturnedResults);
        assert_eq!(Error::InvalidColumnIndex(1), Error::InvalidColumnIndex(1));
        assert_ne!(Error::InvalidColumnIndex(1), Error::InvalidColumnIndex(2));
        assert_eq!(Error::InvalidParameterCount(1, 2), Error::InvalidParameterCount(1, 2));
        assert_ne!(Error::InvalidColumnType(0, "a".into(), Type::Null), Error::InvalidColumnType(0, "b".into(), Type::Null));
        assert_eq!(failure(5, Some("m")), failure(5, Some("m")));
        assert_ne!(failure(5, Some("m")), failure(5, None));
        assert_ne!(failure(5, None), failure(517, None));
        let a = Error::ToSqlConversionFailure(Box::new(Custom("a")));
        assert!(!same(&a, &a));
        let b = Error::FromSqlConversionFailure(0, Type::Null, Box::new(Custom("b")));
        assert!(!same(&b, &b));
        assert!(!same(&Error::MultipleStatement, &Error::MultipleStatement));
        assert!(same(&Error::InvalidQuery, &Error::InvalidQuery));
        assert!(same(&Error::UnwindingPanic, &Error::UnwindingPanic));
        Ok(())
    }

    fn sqlite_error_accessors_only_for_sqlite_failure() {
        let e = failure(ffi::SQLITE_BUSY_SNAPSHOT, Some("busy"));
        assert_eq!(e.sqlite_error(), Some(&ffi::Error { code: ErrorCode::DatabaseBusy, extended_code: 517 }));
        assert_eq!(e.sqlite_error_code(), Some(ErrorCode::DatabaseBusy));
        assert_eq!(Error::QueryReturnedNoRows.sqlite_error(), None);
        assert_eq!(Error::QueryReturnedNoRows.sqlite_error_code(), None);
        assert_eq!(Error::InvalidColumnIndex(0).sqlite_error_code(), None);
        let src = e.source().expect("SqliteFailure has the ffi error as source");
        assert_eq!(src.to_string(), by_surface("Error code 517: Cannot promote read transaction to write transaction because of writes by another connection", "Error code 517: database is locked"));
        Ok(())
    }

    fn ffi_error_new_maps_primary_codes() {
        let table = [
            (ffi::SQLITE_ERROR, ErrorCode::Unknown),
            (ffi::SQLITE_INTERNAL, ErrorCode::InternalMalfunction),
            (ffi::SQLITE_PERM, ErrorCode::PermissionDenied),
            (ffi::SQLITE_ABORT, ErrorCode::OperationAborted),
            (ffi::SQLITE_BUSY, ErrorCode::DatabaseBusy),
            (ffi::SQLITE_LOCKED, ErrorCode::DatabaseLocked),
            (ffi::SQLITE_NOMEM, ErrorCode::OutOfMemory),
            (ffi::SQLITE_READONLY, ErrorCode::ReadOnly),
            (ffi::SQLITE_INTERRUPT, ErrorCode::OperationInterrupted),
            (ffi::SQLITE_IOERR, ErrorCode::SystemIoFailure),
            (ffi::SQLITE_CORRUPT, ErrorCode::DatabaseCorrupt),
            (ffi::SQLITE_NOTFOUND, ErrorCode::NotFound),
            (ffi::SQLITE_FULL, ErrorCode::DiskFull),
            (ffi::SQLITE_CANTOPEN, ErrorCode::CannotOpen),
            (ffi::SQLITE_PROTOCOL, ErrorCode::FileLockingProtocolFailed),
            (ffi::SQLITE_SCHEMA, ErrorCode::SchemaChanged),
            (ffi::SQLITE_TOOBIG, ErrorCode::TooBig),
            (ffi::SQLITE_CONSTRAINT, ErrorCode::ConstraintViolation),
            (ffi::SQLITE_MISMATCH, ErrorCode::TypeMismatch),
            (ffi::SQLITE_MISUSE, ErrorCode::ApiMisuse),
            (ffi::SQLITE_NOLFS, ErrorCode::NoLargeFileSupport),
            (ffi::SQLITE_AUTH, ErrorCode::AuthorizationForStatementDenied),
            (ffi::SQLITE_RANGE, ErrorCode::ParameterOutOfRange),
            (ffi::SQLITE_NOTADB, ErrorCode::NotADatabase),
            (ffi::SQLITE_OK, ErrorCode::Unknown),
            (ffi::SQLITE_FORMAT, ErrorCode::Unknown),
            (ffi::SQLITE_ROW, ErrorCode::Unknown),
        ];
        for (code, expected) in table {
            let e = ffi::Error::new(code);
            assert_eq!((e.code, e.extended_code), (expected, code), "code {code}");
        }
        Ok(())
    }

    /// Extended codes keep their value in extended_code and map by their low byte.
    fn ffi_error_new_maps_extended_codes() {
        let table = [
            (ffi::SQLITE_BUSY_SNAPSHOT, ErrorCode::DatabaseBusy),
            (ffi::SQLITE_BUSY_RECOVERY, ErrorCode::DatabaseBusy),
            (ffi::SQLITE_LOCKED_SHAREDCACHE, ErrorCode::DatabaseLocked),
            (ffi::SQLITE_READONLY_DBMOVED, ErrorCode::ReadOnly),
            (ffi::SQLITE_IOERR_READ, ErrorCode::SystemIoFailure),
            (ffi::SQLITE_ABORT_ROLLBACK, ErrorCode::OperationAborted),
            (ffi::SQLITE_CONSTRAINT_UNIQUE, ErrorCode::ConstraintViolation),
            (ffi::SQLITE_CONSTRAINT_NOTNULL, ErrorCode::ConstraintViolation),
            (ffi::SQLITE_CONSTRAINT_PRIMARYKEY, ErrorCode::ConstraintViolation),
            (ffi::SQLITE_CONSTRAINT_FOREIGNKEY, ErrorCode::ConstraintViolation),
            (ffi::SQLITE_CANTOPEN_ISDIR, ErrorCode::CannotOpen),
            (ffi::SQLITE_CORRUPT_VTAB, ErrorCode::DatabaseCorrupt),
        ];
        for (code, expected) in table {
            let e = ffi::Error::new(code);
            assert_eq!(e, ffi::Error { code: expected, extended_code: code });
        }
        Ok(())
    }

    fn ffi_error_display_and_code_to_str() {
        assert_eq!(ffi::Error::new(ffi::SQLITE_LOCKED).to_string(), by_surface("Error code 6: A table in the database is locked", "Error code 6: database table is locked"));
        assert_eq!(ffi::Error::new(ffi::SQLITE_READONLY).to_string(), by_surface("Error code 8: Attempt to write a readonly database", "Error code 8: attempt to write a readonly database"));
        assert_eq!(ffi::Error::new(ffi::SQLITE_CONSTRAINT).to_string(), by_surface("Error code 19: Abort due to constraint violation", "Error code 19: constraint failed"));
        // sqlite3_errstr reads only the low byte: 9999 describes as 15 (SQLITE_PROTOCOL) from 0.38 on.
        assert_eq!(ffi::Error::new(9999).to_string(), by_surface("Error code 9999: Unknown error code", "Error code 9999: locking protocol"));
        assert_eq!(ffi::Error::new(200).to_string(), by_surface("Error code 200: Unknown error code", "Error code 200: unknown error"));
        assert_eq!(ffi::code_to_str(ffi::SQLITE_OK), by_surface("Successful result", "not an error"));
        assert_eq!(ffi::code_to_str(ffi::SQLITE_DONE), by_surface("sqlite3_step() has finished executing", "no more rows available"));
        assert_eq!(ffi::code_to_str(ffi::SQLITE_CONSTRAINT_FOREIGNKEY), by_surface("Foreign key constraint failed", "constraint failed"));
        assert_eq!(format!("{:?}", ffi::Error::new(ffi::SQLITE_MISUSE)), "Error { code: ApiMisuse, extended_code: 21 }");
        assert_eq!(format!("{:?}", ErrorCode::DatabaseBusy), "DatabaseBusy");
        let copy = ffi::Error::new(1);
        let again = copy;
        assert_eq!(copy, again);
        Ok(())
    }

    /// The integer result-code constants downstream code matches on.
    fn ffi_result_code_constants() {
        let primary = [
            (ffi::SQLITE_OK, 0), (ffi::SQLITE_ERROR, 1), (ffi::SQLITE_INTERNAL, 2), (ffi::SQLITE_PERM, 3),
            (ffi::SQLITE_ABORT, 4), (ffi::SQLITE_BUSY, 5), (ffi::SQLITE_LOCKED, 6), (ffi::SQLITE_NOMEM, 7),
            (ffi::SQLITE_READONLY, 8), (ffi::SQLITE_INTERRUPT, 9), (ffi::SQLITE_IOERR, 10), (ffi::SQLITE_CORRUPT, 11),
            (ffi::SQLITE_NOTFOUND, 12), (ffi::SQLITE_FULL, 13), (ffi::SQLITE_CANTOPEN, 14), (ffi::SQLITE_PROTOCOL, 15),
            (ffi::SQLITE_EMPTY, 16), (ffi::SQLITE_SCHEMA, 17), (ffi::SQLITE_TOOBIG, 18), (ffi::SQLITE_CONSTRAINT, 19),
            (ffi::SQLITE_MISMATCH, 20), (ffi::SQLITE_MISUSE, 21), (ffi::SQLITE_NOLFS, 22), (ffi::SQLITE_AUTH, 23),
            (ffi::SQLITE_FORMAT, 24), (ffi::SQLITE_RANGE, 25), (ffi::SQLITE_NOTADB, 26), (ffi::SQLITE_NOTICE, 27),
            (ffi::SQLITE_WARNING, 28), (ffi::SQLITE_ROW, 100), (ffi::SQLITE_DONE, 101),
        ];
        for (c, v) in primary {
            assert_eq!(c, v);
        }
        let extended = [
            (ffi::SQLITE_CONSTRAINT_CHECK, 275), (ffi::SQLITE_CONSTRAINT_FOREIGNKEY, 787),
            (ffi::SQLITE_CONSTRAINT_NOTNULL, 1299), (ffi::SQLITE_CONSTRAINT_PRIMARYKEY, 1555),
            (ffi::SQLITE_CONSTRAINT_TRIGGER, 1811), (ffi::SQLITE_CONSTRAINT_UNIQUE, 2067),
            (ffi::SQLITE_CONSTRAINT_ROWID, 2579), (ffi::SQLITE_BUSY_RECOVERY, 261), (ffi::SQLITE_BUSY_SNAPSHOT, 517),
            (ffi::SQLITE_BUSY_TIMEOUT, 773), (ffi::SQLITE_LOCKED_SHAREDCACHE, 262), (ffi::SQLITE_ABORT_ROLLBACK, 516),
            (ffi::SQLITE_READONLY_DBMOVED, 1032), (ffi::SQLITE_IOERR_READ, 266), (ffi::SQLITE_CANTOPEN_ISDIR, 526),
            (ffi::SQLITE_CONSTRAINT_DATATYPE, 3091),
        ];
        for (c, v) in extended {
            assert_eq!(c, v);
        }
        let x: std::os::raw::c_int = ffi::SQLITE_CONSTRAINT_UNIQUE;
        assert_eq!(x & 0xff, ffi::SQLITE_CONSTRAINT);
        Ok(())
    }

    fn error_code_is_reexported_at_root() {
        let a: rusqlite::ErrorCode = ffi::ErrorCode::ReadOnly;
        assert_eq!(a, ErrorCode::ReadOnly);
        assert_ne!(ErrorCode::DatabaseBusy, ErrorCode::DatabaseLocked);
        Ok(())
    }

    /// Error is Send + Sync + 'static, so it boxes into Box<dyn Error + Send + Sync> and downcasts back.
    fn error_boxes_into_send_sync_dyn_error() {
        assert_send_sync_static::<Error>();
        assert_send_sync_static::<FromSqlError>();
        fn fails() -> Result<i64, Box<dyn StdError + Send + Sync>> {
            let db = crate::open()?;
            Ok(db.query_row("SELECT 1 WHERE 0", [], |r| r.get(0))?)
        }
        let boxed = fails().unwrap_err();
        assert_eq!(boxed.to_string(), "Query returned no rows");
        assert_eq!(boxed.downcast_ref::<Error>(), Some(&Error::QueryReturnedNoRows));
        let moved = std::thread::spawn(move || boxed.to_string()).join().unwrap();
        assert_eq!(moved, "Query returned no rows");
        Ok(())
    }

    /// From<FromSqlError>: index usize::MAX, OutOfRange -> IntegralValueOutOfRange, others -> FromSqlConversionFailure.
    fn from_from_sql_error_conversions() {
        assert_eq!(Error::from(FromSqlError::OutOfRange(9)), Error::IntegralValueOutOfRange(usize::MAX, 9));
        match Error::from(FromSqlError::InvalidBlobSize { expected_size: 16, blob_size: 3 }) {
            Error::FromSqlConversionFailure(i, Type::Blob, inner) => {
                assert_eq!(i, usize::MAX);
                assert_eq!(inner.to_string(), "Cannot read 16 byte value out of 3 byte blob");
            }
            other => panic!("{other:?}"),
        }
        match Error::from(FromSqlError::InvalidType) {
            Error::FromSqlConversionFailure(i, Type::Null, inner) => {
                assert_eq!(i, usize::MAX);
                assert_eq!(inner.downcast_ref::<FromSqlError>(), Some(&FromSqlError::InvalidType));
            }
            other => panic!("{other:?}"),
        }
        let e = Error::from(FromSqlError::Other(Box::new(Custom("o"))));
        match &e {
            Error::FromSqlConversionFailure(i, Type::Null, inner) => {
                assert_eq!(*i, usize::MAX);
                assert!(inner.downcast_ref::<Custom>().is_some(), "Other's box is moved in, not re-wrapped");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(e.to_string(), "custom: o");
        Ok(())
    }

    #[only_0_34("matches the one-field `Utf8Error`, which rusqlite 0.39 gave a column index")]
    fn from_utf8_and_nul_errors() {
        let bytes = vec![b'a', 0xff];
        let utf8 = std::str::from_utf8(&bytes).unwrap_err();
        let e = Error::from(utf8);
        assert_eq!(e, Error::Utf8Error(utf8));
        assert_eq!(e.to_string(), "invalid utf-8 sequence of 1 bytes from index 1");
        assert!(e.source().is_some());
        let nul = std::ffi::CString::new("a\0b").unwrap_err();
        let e = Error::from(nul.clone());
        assert_eq!(e, Error::NulError(nul));
        assert_eq!(e.to_string(), "nul byte found in provided data at position: 1");
        Ok(())
    }

    fn optional_maps_only_no_rows() {
        let db = crate::open()?;
        let none: Option<i64> = db.query_row("SELECT 1 WHERE 0", [], |r| r.get(0)).optional()?;
        assert_eq!(none, None);
        let some: Option<i64> = db.query_row("SELECT 7", [], |r| r.get(0)).optional()?;
        assert_eq!(some, Some(7));
        let e = db.query_row("SELECT 'x'", [], |r| r.get::<_, i64>(0)).optional().unwrap_err();
        assert_eq!(e, Error::InvalidColumnType(0, "'x'".into(), Type::Text));
        let e = db.query_row("SELECT * FROM nope", [], |r| r.get::<_, i64>(0)).optional().unwrap_err();
        assert_eq!(e.to_string(), "no such table: nope");
        let constructed: rusqlite::Result<u8> = Err(Error::QueryReturnedNoRows);
        assert_eq!(constructed.optional(), Ok(None));
        let constructed: rusqlite::Result<u8> = Err(Error::ExecuteReturnedResults);
        assert_eq!(constructed.optional(), Err(Error::ExecuteReturnedResults));
        Ok(())
    }

    /// A closure error that is QueryReturnedNoRows is also turned into None by optional().
    fn optional_also_catches_no_rows_from_the_closure() {
        let db = crate::open()?;
        let got: Option<i64> = db.query_row("SELECT 1", [], |_| Err(Error::QueryReturnedNoRows)).optional()?;
        assert_eq!(got, None);
        let got = one::<i64>(&db, "SELECT 5").optional()?;
        assert_eq!(got, Some(5));
        Ok(())
    }

    /// A closure's own error comes back unchanged through query_row.
    fn closure_errors_pass_through_query_row() {
        let db = crate::open()?;
        let e = db.query_row("SELECT 1", [], |_| -> rusqlite::Result<i64> { Err(Error::InvalidQuery) }).unwrap_err();
        assert_eq!(e, Error::InvalidQuery);
        let e = db
            .query_row("SELECT 1", [], |_| -> rusqlite::Result<i64> { Err(Error::ToSqlConversionFailure(Box::new(Custom("c")))) })
            .unwrap_err();
        assert_eq!(e.to_string(), "custom: c");
        Ok(())
    }
}
