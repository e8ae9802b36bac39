//! Bad input: each case must produce one specific `Error`, never a panic.
use crate::support::{one, temp_db_path};
use rusqlite::types::Type;
use rusqlite::{ffi, Connection, Error, ErrorCode, OpenFlags};

fn sqlite_failure(code: ErrorCode, extended_code: i32, msg: &str) -> Error {
    Error::SqliteFailure(
        ffi::Error {
            code,
            extended_code,
        },
        Some(msg.to_string()),
    )
}

fn typed_table(db: &Connection) -> rusqlite::Result<()> {
    db.execute_batch(
        "CREATE TABLE t(i INTEGER, r REAL, s TEXT, b BLOB, n);
         INSERT INTO t VALUES (1, 1.5, 'abc', X'0102', NULL);",
    )
}

cases! {
    fn text_read_as_integer_is_invalid_column_type() {
        let db = crate::open()?;
        typed_table(&db)?;
        let e = one::<i64>(&db, "SELECT s FROM t").unwrap_err();
        assert_eq!(e, Error::InvalidColumnType(0, "s".to_string(), Type::Text));
        assert_eq!(e.to_string(), "Invalid column type Text at index: 0, name: s");
        Ok(())
    }

    fn real_read_as_integer_is_invalid_column_type() {
        let db = crate::open()?;
        typed_table(&db)?;
        assert_eq!(one::<i64>(&db, "SELECT r FROM t").unwrap_err(), Error::InvalidColumnType(0, "r".to_string(), Type::Real));
        assert_eq!(one::<i32>(&db, "SELECT 1.0").unwrap_err(), Error::InvalidColumnType(0, "1.0".to_string(), Type::Real));
        Ok(())
    }

    fn null_read_as_non_option_is_invalid_column_type() {
        let db = crate::open()?;
        typed_table(&db)?;
        db.query_row("SELECT i, n FROM t", [], |r| {
            assert_eq!(r.get::<_, i64>(1).unwrap_err(), Error::InvalidColumnType(1, "n".to_string(), Type::Null));
            assert_eq!(r.get::<_, String>("n").unwrap_err(), Error::InvalidColumnType(1, "n".to_string(), Type::Null));
            assert_eq!(r.get::<_, f64>(1).unwrap_err(), Error::InvalidColumnType(1, "n".to_string(), Type::Null));
            assert_eq!(r.get::<_, Vec<u8>>(1).unwrap_err(), Error::InvalidColumnType(1, "n".to_string(), Type::Null));
            assert_eq!(r.get::<_, Option<i64>>(1)?, None);
            Ok(())
        })?;
        Ok(())
    }

    fn blob_and_text_cross_reads_are_invalid_column_type() {
        let db = crate::open()?;
        typed_table(&db)?;
        assert_eq!(one::<String>(&db, "SELECT b FROM t").unwrap_err(), Error::InvalidColumnType(0, "b".to_string(), Type::Blob));
        assert_eq!(one::<Vec<u8>>(&db, "SELECT s FROM t").unwrap_err(), Error::InvalidColumnType(0, "s".to_string(), Type::Text));
        assert_eq!(one::<String>(&db, "SELECT i AS renamed FROM t").unwrap_err(), Error::InvalidColumnType(0, "renamed".to_string(), Type::Integer));
        assert_eq!(one::<String>(&db, "SELECT r FROM t").unwrap_err(), Error::InvalidColumnType(0, "r".to_string(), Type::Real));
        Ok(())
    }

    #[local_only("a server sends TEXT as JSON strings, made valid UTF-8 on the server (invalid bytes become U+FFFD there), so invalid UTF-8 never reaches a remote client")]
    #[only_0_34("pins 0.34's FromSqlConversionFailure for invalid UTF-8; 0.39+ give Utf8Error(column, _) (newer::invalid_utf8_text_is_utf8_error_with_its_column)")]
    fn invalid_utf8_text_read_as_string_is_conversion_failure() {
        let db = crate::open()?;
        let e = one::<String>(&db, "SELECT CAST(X'61FF62' AS TEXT)").unwrap_err();
        match &e {
            Error::FromSqlConversionFailure(0, Type::Text, inner) => {
                assert_eq!(inner.to_string(), "invalid utf-8 sequence of 1 bytes from index 1");
            }
            other => panic!("unexpected error: {other:?}"),
        }
        assert_eq!(
            e.to_string(),
            "Conversion error from type Text at index: 0, invalid utf-8 sequence of 1 bytes from index 1"
        );
        // The raw bytes are still reachable through get_ref.
        let bytes: Vec<u8> = db.query_row("SELECT CAST(X'61FF62' AS TEXT)", [], |r| Ok(r.get_ref(0)?.as_bytes()?.to_vec()))?;
        assert_eq!(bytes, vec![0x61, 0xff, 0x62]);
        Ok(())
    }

    fn text_with_embedded_nul_round_trips() {
        let db = crate::open()?;
        let s: String = db.query_row("SELECT ?1", ["a\0b"], |r| r.get(0))?;
        assert_eq!(s, "a\0b");
        assert_eq!(s.len(), 3);
        db.execute_batch("CREATE TABLE t(x TEXT)")?;
        db.execute("INSERT INTO t VALUES (?1)", ["nul\0inside\0"])?;
        assert_eq!(one::<String>(&db, "SELECT x FROM t")?, "nul\0inside\0");
        assert_eq!(one::<i64>(&db, "SELECT octet_length(x) FROM t")?, 11);
        Ok(())
    }

    fn sql_built_nul_in_text_reads_whole() {
        let db = crate::open()?;
        let s: String = one(&db, "SELECT 'a' || char(0) || 'b'")?;
        assert_eq!(s.len(), 3);
        assert_eq!(s, "a\0b");
        // SQLite's own length() stops at the NUL.
        assert_eq!(one::<i64>(&db, "SELECT length('a' || char(0) || 'b')")?, 1);
        Ok(())
    }

    fn unsigned_overflow_as_param_is_to_sql_conversion_failure() {
        let db = crate::open()?;
        let e = db.query_row("SELECT ?1", [u64::MAX], |r| r.get::<_, i64>(0)).unwrap_err();
        assert!(matches!(e, Error::ToSqlConversionFailure(_)), "{e:?}");
        assert_eq!(e.to_string(), "out of range integral type conversion attempted");
        let e = db.execute("SELECT ?1", [usize::MAX]).unwrap_err();
        assert!(matches!(e, Error::ToSqlConversionFailure(_)), "{e:?}");
        let e = db.execute("SELECT ?1", [i64::MAX as u64 + 1]).unwrap_err();
        assert!(matches!(e, Error::ToSqlConversionFailure(_)), "{e:?}");
        // The largest value that fits still works.
        assert_eq!(db.query_row("SELECT ?1", [i64::MAX as u64], |r| r.get::<_, i64>(0))?, i64::MAX);
        Ok(())
    }

    fn integer_out_of_range_on_read() {
        let db = crate::open()?;
        assert_eq!(one::<i32>(&db, "SELECT 1099511627776").unwrap_err(), Error::IntegralValueOutOfRange(0, 1_099_511_627_776));
        assert_eq!(one::<u8>(&db, "SELECT -1").unwrap_err(), Error::IntegralValueOutOfRange(0, -1));
        assert_eq!(one::<u8>(&db, "SELECT 256").unwrap_err(), Error::IntegralValueOutOfRange(0, 256));
        assert_eq!(one::<i8>(&db, "SELECT -129").unwrap_err(), Error::IntegralValueOutOfRange(0, -129));
        assert_eq!(one::<usize>(&db, "SELECT -1").unwrap_err(), Error::IntegralValueOutOfRange(0, -1));
        let e = db.query_row("SELECT 1, 70000", [], |r| r.get::<_, u16>(1)).unwrap_err();
        assert_eq!(e, Error::IntegralValueOutOfRange(1, 70000));
        assert_eq!(e.to_string(), "Integer 70000 out of range at index 1");
        Ok(())
    }

    #[only_0_34("pins 0.34's late ApiMisuse for empty SQL; 0.43 refuses it at prepare (newer::empty_sql)")]
    fn empty_sql_in_execute_is_api_misuse() {
        let db = crate::open()?;
        let misuse = sqlite_failure(ErrorCode::ApiMisuse, 21, "bad parameter or other API misuse");
        assert_eq!(db.execute("", []).unwrap_err(), misuse);
        assert_eq!(db.execute("   ", []).unwrap_err(), misuse);
        assert_eq!(db.execute(";", []).unwrap_err(), misuse);
        assert_eq!(db.execute("-- only a comment", []).unwrap_err(), misuse);
        assert_eq!(db.execute("/* block */", []).unwrap_err(), misuse);
        Ok(())
    }

    #[only_0_34("pins 0.34's late ApiMisuse for empty SQL; 0.43 refuses it at prepare (newer::empty_sql)")]
    fn empty_statement_has_no_columns_and_fails_on_step() {
        let db = crate::open()?;
        let misuse = sqlite_failure(ErrorCode::ApiMisuse, 21, "bad parameter or other API misuse");
        let mut st = db.prepare("")?;
        assert_eq!(st.column_count(), 0);
        assert_eq!(st.parameter_count(), 0);
        assert_eq!(st.parameter_index(":x")?, None);
        assert_eq!(st.execute([]).unwrap_err(), misuse);
        {
            let mut rows = st.query([])?;
            assert_eq!(rows.next().unwrap_err(), misuse);
        }
        assert_eq!(st.query_row([], |r| r.get::<_, i64>(0)).unwrap_err(), misuse);
        assert_eq!(db.prepare(";")?.column_count(), 0);
        assert_eq!(db.prepare("/* x */")?.column_count(), 0);
        Ok(())
    }

    #[only_0_34("pins 0.34's silently dropped second statement; 0.35+ refuse it (newer::execute_runs_nothing_when_a_second_statement_follows)")]
    fn several_statements_in_execute_only_first_runs() {
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE t(x)")?;
        assert_eq!(db.execute("INSERT INTO t VALUES (7); INSERT INTO t VALUES (8)", [])?, 1);
        assert_eq!(one::<i64>(&db, "SELECT count(*) FROM t")?, 1);
        assert_eq!(one::<i64>(&db, "SELECT x FROM t")?, 7);
        // A broken second statement is never even parsed.
        assert_eq!(db.execute("INSERT INTO t VALUES (9); THIS IS NOT SQL", [])?, 1);
        assert_eq!(one::<i64>(&db, "SELECT count(*) FROM t")?, 2);
        Ok(())
    }

    fn syntax_error_is_sql_input_error() {
        let db = crate::open()?;
        let e = db.prepare("SELEC 1").unwrap_err();
        assert_eq!(
            e,
            Error::SqlInputError {
                error: ffi::Error { code: ErrorCode::Unknown, extended_code: 1 },
                msg: "near \"SELEC\": syntax error".to_string(),
                sql: "SELEC 1".to_string(),
                offset: 0,
            }
        );
        assert_eq!(e.to_string(), "near \"SELEC\": syntax error in SELEC 1 at offset 0");
        assert_eq!(e.sqlite_error_code(), None);
        let e = db.execute("SELECT 1 FROM WHERE", []).unwrap_err();
        match e {
            Error::SqlInputError { msg, offset, sql, .. } => {
                assert_eq!(msg, "near \"WHERE\": syntax error");
                assert_eq!(offset, 14);
                assert_eq!(sql, "SELECT 1 FROM WHERE");
            }
            other => panic!("unexpected error: {other:?}"),
        }
        Ok(())
    }

    fn no_such_column_is_sql_input_error_with_offset() {
        let db = crate::open()?;
        let e = db.execute_batch("SELECT INVALID_FUNCTION;").unwrap_err();
        match e {
            Error::SqlInputError { error, msg, offset, .. } => {
                assert_eq!(error.code, ErrorCode::Unknown);
                assert_eq!(msg, "no such column: INVALID_FUNCTION");
                assert_eq!(offset, 7);
            }
            other => panic!("unexpected error: {other:?}"),
        }
        Ok(())
    }

    fn unknown_table_is_sqlite_failure() {
        let db = crate::open()?;
        let expected = sqlite_failure(ErrorCode::Unknown, 1, "no such table: nope");
        assert_eq!(db.prepare("SELECT * FROM nope").unwrap_err(), expected);
        assert_eq!(db.execute("INSERT INTO nope VALUES (1)", []).unwrap_err(), expected);
        assert_eq!(one::<i64>(&db, "SELECT count(*) FROM nope").unwrap_err(), expected);
        let e = db.prepare("SELECT * FROM nope").unwrap_err();
        assert_eq!(e.sqlite_error_code(), Some(ErrorCode::Unknown));
        assert_eq!(e.sqlite_error().map(|e| e.extended_code), Some(1));
        Ok(())
    }

    fn wrong_value_count_in_insert() {
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE t(x)")?;
        let e = db.execute("INSERT INTO t VALUES (1, 2)", []).unwrap_err();
        assert_eq!(e, sqlite_failure(ErrorCode::Unknown, 1, "table t has 1 columns but 2 values were supplied"));
        Ok(())
    }

    fn unknown_function_is_an_error() {
        let db = crate::open()?;
        let e = db.prepare("SELECT no_such_fn(1)").unwrap_err();
        match e {
            Error::SqlInputError { msg, offset, .. } => {
                assert_eq!(msg, "no such function: no_such_fn");
                assert_eq!(offset, 7);
            }
            other => panic!("unexpected error: {other:?}"),
        }
        Ok(())
    }

    fn runtime_error_from_sql_function() {
        let db = crate::open()?;
        let e = one::<i64>(&db, "SELECT abs(-9223372036854775807 - 1)").unwrap_err();
        assert_eq!(e, sqlite_failure(ErrorCode::Unknown, 1, "integer overflow"));
        let e = one::<String>(&db, "SELECT json('{')").unwrap_err();
        assert_eq!(e, sqlite_failure(ErrorCode::Unknown, 1, "malformed JSON"));
        Ok(())
    }

    #[local_only("a missing directory is a local file-system error; a server's database always exists")]
    fn open_in_missing_directory_cannot_open() {
        let dir = temp_db_path("nodir");
        let path = dir.join("sub").join("x.db");
        let e = Connection::open(&path).unwrap_err();
        assert_eq!(e, sqlite_failure(ErrorCode::CannotOpen, 14, &format!("unable to open database file: {}", path.display())));
        assert_eq!(e.sqlite_error_code(), Some(ErrorCode::CannotOpen));
        Ok(())
    }

    fn open_path_with_nul_is_nul_error() {
        let e = Connection::open("bad\0name.db").unwrap_err();
        assert!(matches!(e, Error::NulError(_)), "{e:?}");
        assert_eq!(e.to_string(), "nul byte found in provided data at position: 3");
        Ok(())
    }

    #[local_only("writes a non-database file in place of the database; a server's database file is out of the client's reach")]
    fn garbage_file_is_not_a_database() {
        let path = temp_db_path("garbage");
        std::fs::write(&path, vec![b'x'; 4096])?;
        let db = Connection::open(&path)?;
        let e = one::<i64>(&db, "SELECT count(*) FROM sqlite_master").unwrap_err();
        assert_eq!(e, sqlite_failure(ErrorCode::NotADatabase, 26, "file is not a database"));
        Ok(())
    }

    fn write_to_read_only_database_is_read_only() {
        let path = crate::database("robad")?;
        Connection::open(&path)?.execute_batch("CREATE TABLE t(x)")?;
        let db = Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        let ro = sqlite_failure(ErrorCode::ReadOnly, 8, "attempt to write a readonly database");
        assert_eq!(db.execute_batch("CREATE TABLE u(y)").unwrap_err(), ro);
        assert_eq!(db.execute("INSERT INTO t VALUES (1)", []).unwrap_err(), ro);
        assert_eq!(db.execute("DROP TABLE t", []).unwrap_err(), ro);
        assert_eq!(one::<i64>(&db, "SELECT count(*) FROM t")?, 0);
        Ok(())
    }

    fn unique_and_primary_key_violations() {
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE v(id INTEGER PRIMARY KEY, x UNIQUE); INSERT INTO v VALUES (1, 'a')")?;
        let e = db.execute("INSERT INTO v VALUES (2, 'a')", []).unwrap_err();
        assert_eq!(e, sqlite_failure(ErrorCode::ConstraintViolation, 2067, "UNIQUE constraint failed: v.x"));
        assert_eq!(e.to_string(), "UNIQUE constraint failed: v.x");
        let e = db.execute("INSERT INTO v VALUES (1, 'b')", []).unwrap_err();
        assert_eq!(e, sqlite_failure(ErrorCode::ConstraintViolation, 1555, "UNIQUE constraint failed: v.id"));
        assert_eq!(e.sqlite_error().map(|e| e.extended_code), Some(ffi::SQLITE_CONSTRAINT_PRIMARYKEY));
        Ok(())
    }

    fn not_null_and_check_violations() {
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE w(x NOT NULL, y CHECK (y > 0), z, CONSTRAINT zpos CHECK (z >= 0))")?;
        let e = db.execute("INSERT INTO w VALUES (NULL, 1, 1)", []).unwrap_err();
        assert_eq!(e, sqlite_failure(ErrorCode::ConstraintViolation, 1299, "NOT NULL constraint failed: w.x"));
        assert_eq!(e.sqlite_error().map(|e| e.extended_code), Some(ffi::SQLITE_CONSTRAINT_NOTNULL));
        let e = db.execute("INSERT INTO w VALUES (1, 0, 1)", []).unwrap_err();
        assert_eq!(e, sqlite_failure(ErrorCode::ConstraintViolation, 275, "CHECK constraint failed: y > 0"));
        let e = db.execute("INSERT INTO w VALUES (1, 1, -1)", []).unwrap_err();
        assert_eq!(e, sqlite_failure(ErrorCode::ConstraintViolation, 275, "CHECK constraint failed: zpos"));
        assert_eq!(one::<i64>(&db, "SELECT count(*) FROM w")?, 0);
        Ok(())
    }

    fn strict_table_type_violation() {
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE s(x INTEGER) STRICT")?;
        let e = db.execute("INSERT INTO s VALUES (?1)", ["not a number"]).unwrap_err();
        assert_eq!(e, sqlite_failure(ErrorCode::ConstraintViolation, 3091, "cannot store TEXT value in INTEGER column s.x"));
        assert_eq!(db.execute("INSERT INTO s VALUES (?1)", ["12"])?, 1);
        assert_eq!(one::<i64>(&db, "SELECT x FROM s")?, 12);
        Ok(())
    }

    fn trigger_raise_abort() {
        let db = crate::open()?;
        db.execute_batch(
            "CREATE TABLE t(x);
             CREATE TRIGGER no_neg BEFORE INSERT ON t WHEN NEW.x < 0 BEGIN SELECT RAISE(ABORT, 'negative not allowed'); END;",
        )?;
        let e = db.execute("INSERT INTO t VALUES (-1)", []).unwrap_err();
        assert_eq!(e, sqlite_failure(ErrorCode::ConstraintViolation, 1811, "negative not allowed"));
        assert_eq!(db.execute("INSERT INTO t VALUES (1)", [])?, 1);
        Ok(())
    }

    fn statement_prepared_before_drop_table_fails_on_step() {
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1)")?;
        let mut st = db.prepare("SELECT x FROM t")?;
        assert_eq!(st.query_row([], |r| r.get::<_, i64>(0))?, 1);
        db.execute_batch("DROP TABLE t")?;
        let e = st.query_row([], |r| r.get::<_, i64>(0)).unwrap_err();
        assert_eq!(e, sqlite_failure(ErrorCode::Unknown, 1, "no such table: t"));
        Ok(())
    }

    fn column_index_usize_max_is_invalid_column_index() {
        let db = crate::open()?;
        let e = db.query_row("SELECT 1", [], |r| r.get::<_, i64>(usize::MAX)).unwrap_err();
        assert_eq!(e, Error::InvalidColumnIndex(usize::MAX));
        Ok(())
    }
}
