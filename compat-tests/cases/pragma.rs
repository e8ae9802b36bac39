//! The pragma helpers: pragma_query_value, pragma_query, pragma, pragma_update and
//! pragma_update_and_check, with schema names, value quoting and the exact misuse errors.
use crate::support::one;
use rusqlite::types::{Null, Type};
#[cfg(not(rusqlite_surface))]
use rusqlite::DatabaseName;
use rusqlite::{Connection, Error, ErrorCode};

fn misuse(msg: &str) -> Error {
    Error::SqliteFailure(
        rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_MISUSE),
        Some(msg.to_string()),
    )
}

#[cfg(not(rusqlite_surface))]
fn table_columns(
    db: &Connection,
    schema: Option<DatabaseName<'_>>,
    table: &str,
) -> rusqlite::Result<Vec<String>> {
    let mut cols = Vec::new();
    db.pragma(schema, "table_info", table, |r| {
        cols.push(r.get::<_, String>(1)?);
        Ok(())
    })?;
    Ok(cols)
}

/// The same helper for the newer surfaces, where a schema name is a `&str`.
#[cfg(rusqlite_surface)]
fn table_columns(
    db: &Connection,
    schema: Option<&str>,
    table: &str,
) -> rusqlite::Result<Vec<String>> {
    let mut cols = Vec::new();
    db.pragma(schema, "table_info", table, |r| {
        cols.push(r.get::<_, String>(1)?);
        Ok(())
    })?;
    Ok(cols)
}

/// The misuse message for a bad pragma name: `Invalid keyword` until 0.40.1 renamed it.
fn invalid(name: &str) -> String {
    let word = if crate::SURFACE == "0.34" {
        "keyword"
    } else {
        "pragma"
    };
    format!("Invalid {word} \"{name}\"")
}

cases! {
    #[only_0_34("uses `DatabaseName`, which rusqlite 0.36 replaced by the `Name` trait")]
    fn user_version_starts_at_zero() {
        let db = crate::open()?;
        let v: i32 = db.pragma_query_value(None, "user_version", |r| r.get(0))?;
        assert_eq!(v, 0);
        let v: i64 = db.pragma_query_value(Some(DatabaseName::Main), "user_version", |r| r.get(0))?;
        assert_eq!(v, 0);
        Ok(())
    }

    /// The bundled SQLite of libsqlite3-sys is built with SQLITE_DEFAULT_FOREIGN_KEYS=1.
    fn foreign_keys_are_on_at_open() {
        let db = crate::open()?;
        let on: bool = db.pragma_query_value(None, "foreign_keys", |r| r.get(0))?;
        assert!(on);
        assert_eq!(db.pragma_query_value(None, "foreign_keys", |r| r.get::<_, i64>(0))?, 1);
        Ok(())
    }

    /// rusqlite sets a 5 s busy timeout on every connection it opens.
    fn busy_timeout_is_5000_at_open() {
        let db = crate::open()?;
        let ms: i64 = db.pragma_query_value(None, "busy_timeout", |r| r.get(0))?;
        assert_eq!(ms, 5000);
        Ok(())
    }

    #[only_0_34("uses `DatabaseName`, which rusqlite 0.36 replaced by the `Name` trait")]
    fn pragma_update_user_version() {
        let db = crate::open()?;
        db.pragma_update(None, "user_version", 42)?;
        assert_eq!(db.pragma_query_value(None, "user_version", |r| r.get::<_, i64>(0))?, 42);
        assert_eq!(one::<i64>(&db, "SELECT user_version FROM pragma_user_version")?, 42);
        db.pragma_update(Some(DatabaseName::Main), "user_version", -1i64)?;
        assert_eq!(one::<i64>(&db, "PRAGMA user_version")?, -1);
        db.pragma_update(None, "user_version", 7u8)?;
        assert_eq!(one::<i64>(&db, "PRAGMA main.user_version")?, 7);
        Ok(())
    }

    /// Reals are written with Rust's f64 formatting (7.0 -> "7"); text is quoted.
    fn pragma_update_real_and_text_values() {
        let db = crate::open()?;
        db.pragma_update(None, "user_version", 7.0f64)?;
        assert_eq!(one::<i64>(&db, "PRAGMA user_version")?, 7);
        db.pragma_update(None, "user_version", "12")?;
        assert_eq!(one::<i64>(&db, "PRAGMA user_version")?, 12);
        db.pragma_update(None, "cache_size", -4000)?;
        assert_eq!(db.pragma_query_value(None, "cache_size", |r| r.get::<_, i64>(0))?, -4000);
        Ok(())
    }

    fn foreign_keys_on_is_enforced() {
        let db = crate::open()?;
        db.pragma_update(None, "foreign_keys", true)?;
        assert_eq!(db.pragma_query_value(None, "foreign_keys", |r| r.get::<_, i64>(0))?, 1);
        db.pragma_update(None, "foreign_keys", "OFF")?;
        assert_eq!(db.pragma_query_value(None, "foreign_keys", |r| r.get::<_, i64>(0))?, 0);
        db.pragma_update(None, "foreign_keys", "ON")?;
        db.execute_batch("CREATE TABLE p(id INTEGER PRIMARY KEY); CREATE TABLE c(p REFERENCES p(id))")?;
        let e = db.execute("INSERT INTO c VALUES (1)", []).unwrap_err();
        match &e {
            Error::SqliteFailure(err, Some(msg)) => {
                assert_eq!((err.code, err.extended_code), (ErrorCode::ConstraintViolation, 787));
                assert_eq!(msg, "FOREIGN KEY constraint failed");
            }
            other => panic!("{other:?}"),
        }
        Ok(())
    }

    #[local_only("asserts the in-memory journal mode; a remote database is a server-side file")]
    fn pragma_update_and_check_journal_mode_in_memory() {
        let db = crate::open()?;
        assert_eq!(db.pragma_query_value(None, "journal_mode", |r| r.get::<_, String>(0))?, "memory");
        let mode: String = db.pragma_update_and_check(None, "journal_mode", "memory", |r| r.get(0))?;
        assert_eq!(mode, "memory");
        let mode: String = db.pragma_update_and_check(None, "journal_mode", "OFF", |r| r.get(0))?;
        assert_eq!(mode, "off");
        // WAL is impossible in memory: SQLite reports the mode it kept
        let mode: String = db.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))?;
        assert_eq!(mode, "off");
        let param: &dyn rusqlite::ToSql = &"MEMORY";
        let mode: String = db.pragma_update_and_check(None, "journal_mode", param, |r| r.get(0))?;
        assert_eq!(mode, "memory");
        Ok(())
    }

    #[local_only("asserts a new file's journal mode (delete) and switches it; a libSQL server owns its database's journal mode (WAL)")]
    #[only_0_34("uses `DatabaseName`, which rusqlite 0.36 replaced by the `Name` trait")]
    fn journal_mode_wal_on_a_file() {
        let path = crate::support::temp_db_path("pragma-wal");
        let db = Connection::open(&path)?;
        assert_eq!(db.pragma_query_value(None, "journal_mode", |r| r.get::<_, String>(0))?, "delete");
        // pragma_update ignores the row journal_mode returns
        db.pragma_update(None, "journal_mode", "WAL")?;
        assert_eq!(db.pragma_query_value(None, "journal_mode", |r| r.get::<_, String>(0))?, "wal");
        let mode: String = db.pragma_update_and_check(Some(DatabaseName::Main), "journal_mode", "delete", |r| r.get(0))?;
        assert_eq!(mode, "delete");
        Ok(())
    }

    /// A pragma that returns no row makes pragma_update_and_check fail, but the update is applied.
    fn pragma_update_and_check_without_result_row() {
        let db = crate::open()?;
        let e = db.pragma_update_and_check(None, "user_version", 3, |r| r.get::<_, i64>(0)).unwrap_err();
        assert_eq!(e, Error::QueryReturnedNoRows);
        assert_eq!(one::<i64>(&db, "PRAGMA user_version")?, 3);
        Ok(())
    }

    fn pragma_query_collects_table_info_rows() {
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT 'x', score REAL)")?;
        let mut rows: Vec<(i64, String, String, bool, Option<String>, i64)> = Vec::new();
        db.pragma(None, "table_info", "t", |r| {
            rows.push((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?));
            Ok(())
        })?;
        assert_eq!(rows, vec![
            (0, "id".to_string(), "INTEGER".to_string(), false, None, 1),
            (1, "name".to_string(), "TEXT".to_string(), true, Some("'x'".to_string()), 0),
            (2, "score".to_string(), "REAL".to_string(), false, None, 0),
        ]);
        Ok(())
    }

    fn pragma_query_iterates_all_rows() {
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE a(x); CREATE INDEX a_x ON a(x); CREATE UNIQUE INDEX a_x2 ON a(x)")?;
        let mut names = Vec::new();
        db.pragma(None, "index_list", "a", |r| {
            names.push(r.get::<_, String>("name")?);
            Ok(())
        })?;
        names.sort();
        assert_eq!(names, vec!["a_x", "a_x2"]);
        let mut seen = 0;
        db.pragma_query(None, "user_version", |r| {
            assert_eq!(r.get::<_, i64>(0)?, 0);
            seen += 1;
            Ok(())
        })?;
        assert_eq!(seen, 1);
        Ok(())
    }

    #[only_0_34("uses `DatabaseName`, which rusqlite 0.36 replaced by the `Name` trait")]
    fn pragma_query_with_schema_main() {
        let db = crate::open()?;
        let mut v = -1i64;
        db.pragma_query(Some(DatabaseName::Main), "user_version", |r| {
            v = r.get(0)?;
            Ok(())
        })?;
        assert_eq!(v, 0);
        assert_eq!(table_columns(&db, None, "sqlite_master")?, vec!["type", "name", "tbl_name", "rootpage", "sql"]);
        Ok(())
    }

    #[only_0_34("uses `DatabaseName`, which rusqlite 0.36 replaced by the `Name` trait")]
    fn pragma_on_temp_schema() {
        let db = crate::open()?;
        db.execute_batch("CREATE TEMP TABLE tt(a, b); CREATE TABLE mt(c)")?;
        assert_eq!(table_columns(&db, Some(DatabaseName::Temp), "tt")?, vec!["a", "b"]);
        assert_eq!(table_columns(&db, Some(DatabaseName::Temp), "mt")?, Vec::<String>::new());
        assert_eq!(table_columns(&db, Some(DatabaseName::Main), "mt")?, vec!["c"]);
        assert_eq!(table_columns(&db, Some(rusqlite::TEMP_DB), "tt")?, vec!["a", "b"]);
        assert_eq!(table_columns(&db, Some(rusqlite::MAIN_DB), "tt")?, Vec::<String>::new());
        Ok(())
    }

    #[only_0_34("uses `DatabaseName`, which rusqlite 0.36 replaced by the `Name` trait")]
    fn pragma_on_attached_schema() {
        let db = crate::open()?;
        db.execute_batch("ATTACH DATABASE ':memory:' AS aux; ATTACH DATABASE ':memory:' AS \"my db\"")?;
        db.pragma_update(Some(DatabaseName::Attached("aux")), "user_version", 7)?;
        db.pragma_update(Some(DatabaseName::Attached("my db")), "user_version", 9)?;
        assert_eq!(db.pragma_query_value(Some(DatabaseName::Attached("aux")), "user_version", |r| r.get::<_, i64>(0))?, 7);
        assert_eq!(db.pragma_query_value(Some(DatabaseName::Attached("my db")), "user_version", |r| r.get::<_, i64>(0))?, 9);
        assert_eq!(db.pragma_query_value(None, "user_version", |r| r.get::<_, i64>(0))?, 0);
        db.execute_batch("CREATE TABLE aux.at(z)")?;
        assert_eq!(table_columns(&db, Some(DatabaseName::Attached("aux")), "at")?, vec!["z"]);
        let e = db.pragma_query_value(Some(DatabaseName::Attached("nope")), "user_version", |r| r.get::<_, i64>(0)).unwrap_err();
        // an unknown schema is a prepare error with an offset, hence SqlInputError
        assert_eq!(e, Error::SqlInputError {
            error: rusqlite::ffi::Error::new(1),
            msg: "unknown database nope".to_string(),
            sql: "PRAGMA nope.user_version".to_string(),
            offset: 7,
        });
        assert_eq!(e.sqlite_error_code(), None);
        Ok(())
    }

    /// Text values are single-quoted with '' escaping, so odd names pass through intact.
    fn text_value_quotes_are_escaped() {
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE \"we'ird\"(q1, \"q'2\")")?;
        assert_eq!(table_columns(&db, None, "we'ird")?, vec!["q1", "q'2"]);
        assert_eq!(table_columns(&db, None, "x'); DROP TABLE \"we'ird\"; --")?, Vec::<String>::new());
        assert_eq!(one::<i64>(&db, "SELECT count(*) FROM \"we'ird\"")?, 0);
        Ok(())
    }

    /// Pragma names must be identifiers; anything else is ApiMisuse before reaching SQLite.
    #[differs("the message says `Invalid pragma` from rusqlite 0.40.1 on, `Invalid keyword` before")]
    fn invalid_pragma_name_is_misuse() {
        let db = crate::open()?;
        let e = db.pragma_query_value(None, "user version", |r| r.get::<_, i64>(0)).unwrap_err();
        assert_eq!(e, misuse(&invalid("user version")));
        assert_eq!(e.to_string(), invalid("user version"));
        assert_eq!(e.sqlite_error().map(|x| (x.code, x.extended_code)), Some((ErrorCode::ApiMisuse, 21)));
        let e = db.pragma_update(None, "user_version; DROP TABLE x", 1).unwrap_err();
        assert_eq!(e, misuse(&invalid("user_version; DROP TABLE x")));
        let e = db.pragma_query(None, "", |_| Ok(())).unwrap_err();
        assert_eq!(e, misuse(&invalid("")));
        let e = db.pragma(None, "1table_info", "t", |_| Ok(())).unwrap_err();
        assert_eq!(e, misuse(&invalid("1table_info")));
        let e = db.pragma_update_and_check(None, "journal-mode", "wal", |r| r.get::<_, String>(0)).unwrap_err();
        assert_eq!(e, misuse(&invalid("journal-mode")));
        Ok(())
    }

    /// Identifier characters include `$`, digits after the first, and `_`.
    fn identifier_like_unknown_pragma_is_ignored() {
        let db = crate::open()?;
        db.pragma_update(None, "no_such_pragma", 1)?;
        db.pragma_update(None, "x$1", 1)?;
        let e = db.pragma_query_value(None, "no_such_pragma", |r| r.get::<_, i64>(0)).unwrap_err();
        assert_eq!(e, Error::QueryReturnedNoRows);
        let mut calls = 0;
        db.pragma_query(None, "no_such_pragma", |_| {
            calls += 1;
            Ok(())
        })?;
        assert_eq!(calls, 0);
        Ok(())
    }

    /// NULL and BLOB values cannot be written into pragma SQL.
    fn null_and_blob_values_are_unsupported() {
        let db = crate::open()?;
        let e = db.pragma_update(None, "user_version", Null).unwrap_err();
        assert_eq!(e, misuse("Unsupported value \"Null\""));
        let e = db.pragma_update(None, "user_version", None::<i32>).unwrap_err();
        assert_eq!(e, misuse("Unsupported value \"Null\""));
        let e = db.pragma_update(None, "user_version", vec![1u8, 2]).unwrap_err();
        assert_eq!(e, misuse("Unsupported value \"Blob([1, 2])\""));
        assert_eq!(e.to_string(), "Unsupported value \"Blob([1, 2])\"");
        let e = db.pragma(None, "table_info", Null, |_| Ok(())).unwrap_err();
        assert_eq!(e, misuse("Unsupported value \"Null\""));
        let e = db.pragma_update_and_check(None, "user_version", &[9u8][..], |r| r.get::<_, i64>(0)).unwrap_err();
        assert_eq!(e, misuse("Unsupported value \"Blob([9])\""));
        assert_eq!(one::<i64>(&db, "PRAGMA user_version")?, 0);
        Ok(())
    }

    /// Errors from the row closure stop the iteration and are returned as is.
    fn closure_errors_propagate() {
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE t(a, b, c)")?;
        let mut calls = 0;
        let e = db.pragma(None, "table_info", "t", |r| {
            calls += 1;
            let _: i64 = r.get(1)?; // the name column is TEXT
            Ok(())
        }).unwrap_err();
        assert_eq!(calls, 1);
        assert_eq!(e, Error::InvalidColumnType(1, "name".to_string(), Type::Text));
        let e = db.pragma_query_value(None, "user_version", |r| r.get::<_, String>(0)).unwrap_err();
        assert_eq!(e, Error::InvalidColumnType(0, "user_version".to_string(), Type::Integer));
        Ok(())
    }

    fn user_version_is_transactional() {
        let mut db = crate::open()?;
        {
            let tx = db.transaction()?;
            tx.pragma_update(None, "user_version", 5)?;
            assert_eq!(tx.pragma_query_value(None, "user_version", |r| r.get::<_, i64>(0))?, 5);
        }
        assert_eq!(db.pragma_query_value(None, "user_version", |r| r.get::<_, i64>(0))?, 0);
        let tx = db.transaction()?;
        tx.pragma_update(None, "user_version", 6)?;
        tx.commit()?;
        assert_eq!(db.pragma_query_value(None, "user_version", |r| r.get::<_, i64>(0))?, 6);
        Ok(())
    }

    fn pragma_functions_in_select() {
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE t(x, y)")?;
        let n: i64 = db.query_row("SELECT count(*) FROM pragma_table_info(?1)", ["t"], |r| r.get(0))?;
        assert_eq!(n, 2);
        let names: Vec<String> = db
            .prepare("SELECT name FROM pragma_table_info('t') ORDER BY cid")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        assert_eq!(names, vec!["x", "y"]);
        Ok(())
    }

    #[only_0_34("uses `DatabaseName`, which rusqlite 0.36 replaced by the `Name` trait")]
    fn database_name_is_copy_eq_debug() {
        let a = DatabaseName::Attached("aux");
        let b = a;
        assert_eq!(a, b);
        assert_ne!(DatabaseName::Main, DatabaseName::Temp);
        assert_eq!(rusqlite::MAIN_DB, DatabaseName::Main);
        assert_eq!(rusqlite::TEMP_DB, DatabaseName::Temp);
        assert_eq!(format!("{:?}", DatabaseName::Attached("aux")), "Attached(\"aux\")");
        assert_eq!(format!("{:?}", DatabaseName::Main), "Main");
        Ok(())
    }
}
