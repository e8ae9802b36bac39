//! Rules rusqlite changed after 0.34, compiled under the newer surfaces only (0.40, 0.43), each
//! case stating its expectation per `crate::SURFACE` where the two differ.
use rusqlite::types::{FromSqlError, ToSqlOutput, Type, Value, ValueRef};
use rusqlite::{params, Error, OptionalExtension};

/// 0.43 returns `Error::Empty`, a variant 0.40 does not have; compare by its `Debug` name.
fn is_empty_error<T>(r: &rusqlite::Result<T>) -> bool {
    matches!(r, Err(e) if format!("{e:?}") == "Empty")
}

cases! {
    fn prepare_rejects_a_second_statement() {
        let db = crate::open()?;
        let err = db.prepare("SELECT 1; SELECT 2").unwrap_err();
        assert!(matches!(err, Error::MultipleStatement), "{err:?}");
        Ok(())
    }

    fn execute_runs_nothing_when_a_second_statement_follows() {
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE t(x)")?;
        let err = db
            .execute("INSERT INTO t VALUES (1); INSERT INTO t VALUES (2)", [])
            .unwrap_err();
        assert!(matches!(err, Error::MultipleStatement), "{err:?}");
        let n: i64 = db.query_row("SELECT count(*) FROM t", [], |r| r.get(0))?;
        assert_eq!(n, 0);
        Ok(())
    }

    fn query_row_rejects_a_second_statement() {
        let db = crate::open()?;
        let err = db
            .query_row("SELECT 1; SELECT 2", [], |r| r.get::<_, i64>(0))
            .unwrap_err();
        assert!(matches!(err, Error::MultipleStatement), "{err:?}");
        Ok(())
    }

    fn a_comment_or_whitespace_tail_is_fine() {
        let db = crate::open()?;
        db.execute("CREATE TABLE t(c); -- bim", [])?;
        db.execute("INSERT INTO t VALUES (1);   \n ", [])?;
        let n: i64 = db.query_row("SELECT count(*) FROM t; /* trailing */", [], |r| r.get(0))?;
        assert_eq!(n, 1);
        Ok(())
    }

    fn a_tail_that_does_not_parse_returns_its_own_error() {
        let db = crate::open()?;
        let err = db.prepare("SELECT 1; SELEC 2").unwrap_err();
        assert!(!matches!(err, Error::MultipleStatement), "{err:?}");
        assert!(err.to_string().contains("syntax error"), "{err}");
        Ok(())
    }

    fn prepare_cached_rejects_a_second_statement() {
        let db = crate::open()?;
        match db.prepare_cached("SELECT 1; SELECT 2") {
            Err(err) => assert!(matches!(err, Error::MultipleStatement), "{err:?}"),
            Ok(_) => panic!("a second statement was accepted"),
        }
        assert_eq!(db.prepare_cached("SELECT 1")?.query_row([], |r| r.get::<_, i64>(0))?, 1);
        Ok(())
    }

    #[differs("0.43 refuses empty or comment-only SQL with Error::Empty; 0.40 prepares it")]
    fn empty_sql() {
        let db = crate::open()?;
        for sql in ["", "   ", "-- only a comment", "/* x */"] {
            let prepared = db.prepare(sql);
            if crate::SURFACE == "0.43" {
                assert!(is_empty_error(&prepared), "{sql:?}");
            } else {
                assert!(prepared.is_ok(), "{sql:?}");
            }
        }
        // execute_batch accepts it in every version.
        db.execute_batch("")?;
        Ok(())
    }

    fn execute_batch_ignores_returned_rows() {
        let db = crate::open()?;
        db.execute_batch("SELECT 1; SELECT 2; PRAGMA user_version;")?;
        Ok(())
    }

    fn query_one_wants_exactly_one_row() {
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1), (2);")?;
        let one: i64 = db.query_one("SELECT x FROM t WHERE x = 1", [], |r| r.get(0))?;
        assert_eq!(one, 1);
        let none = db.query_one("SELECT x FROM t WHERE x = 9", [], |r| r.get::<_, i64>(0));
        assert_eq!(none, Err(Error::QueryReturnedNoRows));
        assert_eq!(none.optional(), Ok(None));
        let two = db.query_one("SELECT x FROM t", [], |r| r.get::<_, i64>(0));
        assert_eq!(two, Err(Error::QueryReturnedMoreThanOneRow));
        assert_eq!(two.unwrap_err().to_string(), "Query returned more than one row");
        let mut stmt = db.prepare("SELECT x FROM t WHERE x > ?1")?;
        assert_eq!(stmt.query_one([1], |r| r.get::<_, i64>(0))?, 2);
        Ok(())
    }

    #[local_only("a server sends TEXT as JSON strings, made valid UTF-8 on the server (invalid bytes become U+FFFD there), so invalid UTF-8 never reaches a remote client")]
    fn invalid_utf8_text_is_utf8_error_with_its_column() {
        let db = crate::open()?;
        let mut stmt = db.prepare("SELECT 1, CAST(x'ff' AS TEXT)")?;
        let mut rows = stmt.query([])?;
        let row = rows.next()?.expect("one row");
        let err = row.get::<_, String>(1).unwrap_err();
        assert!(matches!(err, Error::Utf8Error(1, _)), "{err:?}");
        assert!(err.to_string().ends_with(" at index 1"), "{err}");
        let err = row.get::<_, Value>(1).unwrap_err();
        assert!(matches!(err, Error::Utf8Error(1, _)), "{err:?}");
        // The bytes are still there.
        assert_eq!(row.get_ref(1)?.as_bytes()?, [0xff]);
        Ok(())
    }

    fn value_conversions_report_utf8_errors() {
        let bad = ValueRef::Text(b"\xff");
        assert!(matches!(bad.as_str(), Err(FromSqlError::Utf8Error(_))));
        assert!(matches!(Value::try_from(bad), Err(FromSqlError::Utf8Error(_))));
        assert_eq!(Value::try_from(ValueRef::Text(b"ok")), Ok(Value::Text("ok".into())));
        assert_eq!(Value::try_from(ValueRef::Integer(3)), Ok(Value::Integer(3)));
        let invalid = vec![0xff_u8];
        let err: Error = std::str::from_utf8(&invalid).unwrap_err().into();
        assert!(matches!(err, Error::Utf8Error(usize::MAX, _)), "{err:?}");
        assert!(matches!(FromSqlError::other(std::fmt::Error), FromSqlError::Other(_)));
        Ok(())
    }

    fn savepoint_names_are_quoted() {
        let mut db = crate::open()?;
        db.execute_batch("CREATE TABLE t(x)")?;
        {
            let mut sp = db.savepoint_with_name("a b \"c\"")?;
            sp.execute("INSERT INTO t VALUES (1)", [])?;
            {
                let inner = sp.savepoint_with_name("inner; DROP TABLE t")?;
                inner.execute("INSERT INTO t VALUES (2)", [])?;
            }
            sp.commit()?;
        }
        let n: i64 = db.query_row("SELECT count(*) FROM t", [], |r| r.get(0))?;
        assert_eq!(n, 1);
        Ok(())
    }

    fn pragma_schema_names_are_str() {
        let db = crate::open()?;
        db.pragma_update(None, "user_version", 7)?;
        let v: i32 = db.pragma_query_value(Some("main"), "user_version", |r| r.get(0))?;
        assert_eq!(v, 7);
        let v: i32 = db.pragma_update_and_check(Some("main"), "user_version", 8, |r| r.get(0))
            .or_else(|_| db.pragma_query_value(None, "user_version", |r| r.get(0)))?;
        assert_eq!(v, 8);
        Ok(())
    }

    fn names_are_str_or_cstr() {
        let db = crate::open()?;
        assert!(!db.is_readonly(rusqlite::MAIN_DB)?);
        assert!(!db.is_readonly("main")?);
        assert_eq!(db.transaction_state(Some("main"))?, rusqlite::TransactionState::None);
        assert_eq!(
            db.transaction_state(Some(rusqlite::MAIN_DB))?,
            rusqlite::TransactionState::None
        );
        Ok(())
    }

    fn a_name_taken_as_a_cstring_can_move_to_another_thread() {
        // tokio-rusqlite-new 0.14's pattern: `vfs.as_cstr()?.to_owned()` is a `CString`
        // (rusqlite's `as_cstr` result is not `Clone`), moved into a `'static` closure.
        fn owned<N: rusqlite::Name>(name: N) -> rusqlite::Result<std::ffi::CString> {
            Ok(name.as_cstr()?.to_owned())
        }
        assert_eq!(owned("main")?.as_c_str(), c"main");
        assert_eq!(owned(rusqlite::TEMP_DB)?.as_c_str(), c"temp");
        assert!(matches!(owned("a\0b"), Err(Error::NulError(_))));
        let vfs = owned("unix")?;
        let opened = std::thread::spawn(move || {
            let db = rusqlite::Connection::open_in_memory_with_flags_and_vfs(
                rusqlite::OpenFlags::default(),
                vfs.as_c_str(),
            )?;
            db.query_row("SELECT 6 * 7", [], |r| r.get::<_, i64>(0))
        })
        .join()
        .expect("the opening thread panicked")?;
        assert_eq!(opened, 42);
        let _db = crate::open()?;
        Ok(())
    }

    fn column_names_in_order() {
        let db = crate::open()?;
        let stmt = db.prepare("SELECT 1 AS a, 2 AS b")?;
        assert_eq!(stmt.column_names().len(), 2);
        let names: Vec<&str> = stmt.column_names().into_iter().collect();
        assert_eq!(names, ["a", "b"]);
        Ok(())
    }

    fn extended_error_codes() {
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE t(x UNIQUE); INSERT INTO t VALUES (1);")?;
        let err = db.execute("INSERT INTO t VALUES (1)", []).unwrap_err();
        assert_eq!(err.sqlite_error_code(), Some(rusqlite::ErrorCode::ConstraintViolation));
        assert_eq!(err.sqlite_extended_error_code(), Some(2067));
        assert_eq!(Error::QueryReturnedNoRows.sqlite_extended_error_code(), None);
        Ok(())
    }

    fn zeroblob_output_binds_zeros() {
        let db = crate::open()?;
        let len: i64 =
            db.query_row("SELECT length(?1)", [ToSqlOutput::ZeroBlob(4)], |r| r.get(0))?;
        assert_eq!(len, 4);
        let bytes: Vec<u8> = db.query_row("SELECT ?1", params![ToSqlOutput::ZeroBlob(2)], |r| r.get(0))?;
        assert_eq!(bytes, [0, 0]);
        Ok(())
    }

    /// `time::UtcDateTime` (rusqlite 0.37+): 0.40 stores it without a zone suffix and reads
    /// what `PrimitiveDateTime` reads; 0.42+ stores and accepts a trailing `Z`.
    fn time_utc_date_time_as_text() {
        let db = crate::open()?;
        let at = time::macros::utc_datetime!(2016-02-23 23:56:04.5);
        let stored: String = db.query_row("SELECT ?1", [at], |r| r.get(0))?;
        let with_z = crate::SURFACE != "0.40";
        assert_eq!(stored, if with_z { "2016-02-23 23:56:04.5Z" } else { "2016-02-23 23:56:04.5" });
        assert_eq!(crate::support::one::<time::UtcDateTime>(&db, &format!("SELECT '{stored}'"))?, at);
        let zulu = crate::support::one::<time::UtcDateTime>(&db, "SELECT '2016-02-23T23:56:04Z'");
        if with_z {
            assert_eq!(zulu?, time::macros::utc_datetime!(2016-02-23 23:56:04));
        } else {
            assert!(matches!(zulu, Err(Error::FromSqlConversionFailure(0, Type::Text, _))), "{zulu:?}");
        }
        let int = crate::support::one::<time::UtcDateTime>(&db, "SELECT 1456271764");
        assert!(matches!(int, Err(Error::InvalidColumnType(0, _, Type::Integer))), "{int:?}");
        Ok(())
    }

    /// `jiff::Timestamp` (rusqlite 0.39+): RFC 3339 text in UTC, and INTEGER unix seconds read
    /// back; the civil types as in 0.34.
    fn jiff_timestamp_and_civil_types() {
        let db = crate::open()?;
        let at: jiff::Timestamp = "2016-02-23T23:56:04.5Z".parse().expect("a timestamp");
        let stored: String = db.query_row("SELECT ?1", [at], |r| r.get(0))?;
        assert_eq!(stored, "2016-02-23T23:56:04.5Z");
        assert_eq!(crate::support::one::<jiff::Timestamp>(&db, &format!("SELECT '{stored}'"))?, at);
        let from_secs = crate::support::one::<jiff::Timestamp>(&db, "SELECT 1456271764")?;
        assert_eq!(from_secs, jiff::Timestamp::from_second(1_456_271_764).expect("in range"));
        let offset = crate::support::one::<jiff::Timestamp>(&db, "SELECT '2016-02-24T01:56:04+02:00'")?;
        assert_eq!(offset, from_secs);
        let huge = crate::support::one::<jiff::Timestamp>(&db, "SELECT 9223372036854775807");
        assert!(matches!(huge, Err(Error::FromSqlConversionFailure(0, Type::Integer, _))), "{huge:?}");
        let text = crate::support::one::<jiff::Timestamp>(&db, "SELECT 'yesterday'");
        assert!(matches!(text, Err(Error::FromSqlConversionFailure(0, Type::Text, _))), "{text:?}");
        let real = crate::support::one::<jiff::Timestamp>(&db, "SELECT 1.5");
        assert!(matches!(real, Err(Error::InvalidColumnType(0, _, Type::Real))), "{real:?}");
        let date = jiff::civil::date(2016, 2, 23);
        let back: jiff::civil::Date = db.query_row("SELECT ?1", [date], |r| r.get(0))?;
        assert_eq!(back, date);
        Ok(())
    }

    /// `Connection::from_handle` / `from_handle_owned` exist on the newer surfaces too.
    #[local_only("wraps the local engine's raw handle; a remote connection has none")]
    fn from_handle_wraps_the_same_database() {
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (7);")?;
        // SAFETY: `db` owns the handle and outlives `borrowed`.
        let borrowed = unsafe { rusqlite::Connection::from_handle(db.handle())? };
        let x: i64 = borrowed.query_row("SELECT x FROM t", [], |r| r.get(0))?;
        assert_eq!(x, 7);
        drop(borrowed);
        let n: i64 = db.query_row("SELECT count(*) FROM t", [], |r| r.get(0))?;
        assert_eq!(n, 1);
        // An owned handle: opened by a second connection whose handle is then taken over.
        let opener = rusqlite::Connection::open_in_memory()?;
        let handle = unsafe { opener.handle() };
        std::mem::forget(opener);
        // SAFETY: `opener` was forgotten, so nothing else closes `handle`.
        let owned = unsafe { rusqlite::Connection::from_handle_owned(handle)? };
        assert_eq!(owned.query_row("SELECT 6 * 7", [], |r| r.get::<_, i64>(0))?, 42);
        owned.close().map_err(|(_, e)| e)?;
        Ok(())
    }

    /// With `unlock_notify`, a read blocked by another shared-cache connection's write lock
    /// waits for the commit instead of failing with "database table is locked".
    #[local_only("shared-cache locks are between connections of one local engine")]
    fn unlock_notify_waits_for_a_shared_cache_writer() {
        use std::time::{Duration, Instant};
        let url = "file:dbcompat_surface_unlock_notify?mode=memory&cache=shared";
        let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE | rusqlite::OpenFlags::SQLITE_OPEN_URI;
        let reader = rusqlite::Connection::open_with_flags(url, flags)?;
        reader.execute_batch("CREATE TABLE foo(x)")?;
        let (locked_tx, locked_rx) = std::sync::mpsc::sync_channel(0);
        let writer = std::thread::spawn(move || -> rusqlite::Result<()> {
            let mut db = rusqlite::Connection::open_with_flags(url, flags)?;
            let tx = db.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            tx.execute_batch("INSERT INTO foo VALUES (42)")?;
            locked_tx.send(()).expect("the reader waits");
            std::thread::sleep(Duration::from_millis(200));
            tx.commit()
        });
        locked_rx.recv().expect("the writer holds the lock");
        let started = Instant::now();
        let x: i64 = reader.query_row("SELECT x FROM foo", [], |r| r.get(0))?;
        assert_eq!(x, 42);
        assert!(started.elapsed() >= Duration::from_millis(100), "returned before the commit");
        writer.join().expect("the writer thread panicked")?;
        Ok(())
    }
}
