//! The prepared-statement cache: `prepare_cached`, `CachedStatement`, capacity and flushing.
use crate::support::one;
use rusqlite::{ffi, params, Error, ErrorCode};

cases! {
    fn prepare_cached_reused_many_times() {
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE t(x INTEGER)")?;
        for i in 0..20 {
            let mut st = db.prepare_cached("INSERT INTO t VALUES (?1)")?;
            assert_eq!(st.execute([i])?, 1);
        }
        for _ in 0..3 {
            let mut st = db.prepare_cached("SELECT count(*), sum(x) FROM t")?;
            let (c, s): (i64, i64) = st.query_row([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            assert_eq!((c, s), (20, 190));
        }
        Ok(())
    }

    fn cached_statement_derefs_to_statement() {
        let db = crate::open()?;
        let mut st = db.prepare_cached("SELECT :a AS first, ?2 AS second")?;
        assert_eq!(st.column_count(), 2);
        assert_eq!(st.column_names().into_iter().collect::<Vec<_>>(), vec!["first", "second"]);
        assert_eq!(st.parameter_count(), 2);
        assert_eq!(st.parameter_index(":a")?, Some(1));
        st.raw_bind_parameter(":a", 1)?;
        st.raw_bind_parameter(2, "two")?;
        assert_eq!(st.expanded_sql(), Some("SELECT 1 AS first, 'two' AS second".to_string()));
        let v: (i64, String) = st.query_row(params![3, "four"], |r| Ok((r.get(0)?, r.get(1)?)))?;
        assert_eq!(v, (3, "four".to_string()));
        assert!(st.readonly());
        Ok(())
    }

    fn bindings_are_cleared_when_returned_to_cache() {
        let db = crate::open()?;
        {
            let mut st = db.prepare_cached("SELECT ?1, ?2")?;
            st.raw_bind_parameter(1, 5)?;
            st.raw_bind_parameter(2, "x")?;
            let mut rows = st.raw_query();
            let row = rows.next()?.unwrap();
            assert_eq!((row.get::<_, i64>(0)?, row.get::<_, String>(1)?), (5, "x".to_string()));
        }
        let mut st = db.prepare_cached("SELECT ?1, ?2")?;
        assert_eq!(st.expanded_sql(), Some("SELECT NULL, NULL".to_string()));
        let mut rows = st.raw_query();
        let row = rows.next()?.unwrap();
        assert_eq!((row.get::<_, Option<i64>>(0)?, row.get::<_, Option<String>>(1)?), (None, None));
        Ok(())
    }

    fn zero_capacity_still_works() {
        let db = crate::open()?;
        db.set_prepared_statement_cache_capacity(0);
        for i in 0..3 {
            let mut st = db.prepare_cached("SELECT ?1 * 2")?;
            assert_eq!(st.query_row([i], |r| r.get::<_, i64>(0))?, i * 2);
        }
        db.set_prepared_statement_cache_capacity(8);
        let mut st = db.prepare_cached("SELECT ?1 * 2")?;
        assert_eq!(st.query_row([21], |r| r.get::<_, i64>(0))?, 42);
        Ok(())
    }

    fn flush_cache_then_prepare_again() {
        let db = crate::open()?;
        {
            let mut st = db.prepare_cached("SELECT 'cached'")?;
            assert_eq!(st.query_row([], |r| r.get::<_, String>(0))?, "cached");
        }
        db.flush_prepared_statement_cache();
        let mut st = db.prepare_cached("SELECT 'cached'")?;
        assert_eq!(st.query_row([], |r| r.get::<_, String>(0))?, "cached");
        drop(st);
        db.flush_prepared_statement_cache();
        db.flush_prepared_statement_cache();
        assert_eq!(one::<i64>(&db, "SELECT 1")?, 1);
        Ok(())
    }

    fn discard_drops_statement_for_good() {
        let db = crate::open()?;
        {
            let mut st = db.prepare_cached("SELECT 10")?;
            assert_eq!(st.query_row([], |r| r.get::<_, i64>(0))?, 10);
            st.discard();
        }
        let mut st = db.prepare_cached("SELECT 10")?;
        assert_eq!(st.query_row([], |r| r.get::<_, i64>(0))?, 10);
        Ok(())
    }

    fn cached_select_star_after_alter_table() {
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE foo(x INT); INSERT INTO foo VALUES (1)")?;
        let sql = "SELECT * FROM foo";
        {
            let mut st = db.prepare_cached(sql)?;
            let v: i64 = st.query_row([], |r| r.get(0))?;
            assert_eq!(v, 1);
        }
        db.execute_batch("ALTER TABLE foo ADD COLUMN y INT; UPDATE foo SET y = 2")?;
        {
            let mut st = db.prepare_cached(sql)?;
            let v: (i64, i64) = st.query_row([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            assert_eq!(v, (1, 2));
        }
        Ok(())
    }

    fn cached_statement_after_table_recreated() {
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE t(a TEXT); INSERT INTO t VALUES ('old')")?;
        {
            let mut st = db.prepare_cached("SELECT a FROM t")?;
            assert_eq!(st.query_row([], |r| r.get::<_, String>(0))?, "old");
        }
        db.execute_batch("DROP TABLE t; CREATE TABLE t(z, a TEXT); INSERT INTO t VALUES (0, 'new')")?;
        let mut st = db.prepare_cached("SELECT a FROM t")?;
        assert_eq!(st.query_row([], |r| r.get::<_, String>(0))?, "new");
        Ok(())
    }

    fn cached_statement_after_table_dropped_errors() {
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE t(a); INSERT INTO t VALUES (1)")?;
        {
            let mut st = db.prepare_cached("SELECT a FROM t")?;
            assert_eq!(st.query_row([], |r| r.get::<_, i64>(0))?, 1);
        }
        db.execute_batch("DROP TABLE t")?;
        let e = db
            .prepare_cached("SELECT a FROM t")
            .and_then(|mut st| st.query_row([], |r| r.get::<_, i64>(0)))
            .unwrap_err();
        assert_eq!(
            e,
            Error::SqliteFailure(ffi::Error { code: ErrorCode::Unknown, extended_code: 1 }, Some("no such table: t".to_string()))
        );
        Ok(())
    }

    fn whitespace_variants_of_the_same_sql() {
        let db = crate::open()?;
        let a: i64 = db.prepare_cached("SELECT 7")?.query_row([], |r| r.get(0))?;
        let b: i64 = db.prepare_cached("  SELECT 7  ")?.query_row([], |r| r.get(0))?;
        let c: i64 = db.prepare_cached("\nSELECT 7\t")?.query_row([], |r| r.get(0))?;
        let d: i64 = db.prepare_cached("SELECT 7; ")?.query_row([], |r| r.get(0))?;
        assert_eq!((a, b, c, d), (7, 7, 7, 7));
        let st = db.prepare_cached("  SELECT 7 AS seven  ")?;
        assert_eq!(st.column_names().into_iter().collect::<Vec<_>>(), vec!["seven"]);
        Ok(())
    }

    fn two_simultaneous_borrows_of_same_sql() {
        let db = crate::open()?;
        let sql = "SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3";
        let mut a = db.prepare_cached(sql)?;
        let mut b = db.prepare_cached(sql)?;
        let mut ra = a.query([])?;
        let mut rb = b.query([])?;
        assert_eq!(ra.next()?.unwrap().get::<_, i64>(0)?, 1);
        assert_eq!(ra.next()?.unwrap().get::<_, i64>(0)?, 2);
        assert_eq!(rb.next()?.unwrap().get::<_, i64>(0)?, 1);
        assert_eq!(ra.next()?.unwrap().get::<_, i64>(0)?, 3);
        assert_eq!(rb.next()?.unwrap().get::<_, i64>(0)?, 2);
        assert!(ra.next()?.is_none());
        assert_eq!(rb.next()?.unwrap().get::<_, i64>(0)?, 3);
        Ok(())
    }

    fn partially_read_cached_statement_restarts() {
        let db = crate::open()?;
        let sql = "SELECT 1 UNION ALL SELECT 2";
        {
            let mut st = db.prepare_cached(sql)?;
            let mut rows = st.query([])?;
            assert_eq!(rows.next()?.unwrap().get::<_, i64>(0)?, 1);
        }
        let mut st = db.prepare_cached(sql)?;
        let all: Vec<i64> = st.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
        assert_eq!(all, vec![1, 2]);
        Ok(())
    }

    fn more_distinct_statements_than_capacity() {
        let db = crate::open()?;
        db.set_prepared_statement_cache_capacity(4);
        for round in 0..3 {
            for i in 0..20 {
                let sql = format!("SELECT {i} + ?1");
                let mut st = db.prepare_cached(&sql)?;
                assert_eq!(st.query_row([round], |r| r.get::<_, i64>(0))?, i + round);
            }
        }
        Ok(())
    }

    fn invalid_sql_is_not_cached_and_errors_each_time() {
        let db = crate::open()?;
        for _ in 0..2 {
            let e = db.prepare_cached("SELEC 1").err().unwrap();
            assert!(matches!(&e, Error::SqlInputError { offset: 0, .. }), "{e:?}");
            assert_eq!(e.to_string(), "near \"SELEC\": syntax error in SELEC 1 at offset 0");
        }
        db.execute_batch("CREATE TABLE later(x)")?;
        let e = db.prepare_cached("SELECT y FROM later").err().unwrap();
        assert!(matches!(&e, Error::SqlInputError { .. }), "{e:?}");
        let mut st = db.prepare_cached("SELECT x FROM later")?;
        assert!(!st.exists([])?);
        Ok(())
    }

    #[differs("rusqlite 0.43 refuses empty SQL with Error::Empty at prepare time")]
    fn empty_cached_statement() {
        let db = crate::open()?;
        if crate::SURFACE == "0.43" {
            for sql in ["", "   "] {
                match db.prepare_cached(sql) {
                    Err(e) => assert_eq!(format!("{e:?}"), "Empty"),
                    Ok(_) => panic!("{sql:?} prepared"),
                }
            }
            return Ok(());
        }
        let mut st = db.prepare_cached("")?;
        assert_eq!(st.column_count(), 0);
        assert_eq!(
            st.execute([]).unwrap_err(),
            Error::SqliteFailure(
                ffi::Error { code: ErrorCode::ApiMisuse, extended_code: 21 },
                Some("bad parameter or other API misuse".to_string())
            )
        );
        drop(st);
        let st = db.prepare_cached("   ")?;
        assert_eq!(st.column_count(), 0);
        Ok(())
    }

    fn close_with_cached_statements() {
        let db = crate::open()?;
        db.prepare_cached("SELECT * FROM sqlite_master")?;
        db.prepare_cached("SELECT 1")?.query_row([], |r| r.get::<_, i64>(0))?;
        assert!(db.close().is_ok());
        Ok(())
    }

    fn cached_insert_returns_rowids() {
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)")?;
        let mut ids = Vec::new();
        for v in ["a", "b", "c"] {
            ids.push(db.prepare_cached("INSERT INTO t(v) VALUES (?1)")?.insert([v])?);
        }
        assert_eq!(ids, vec![1, 2, 3]);
        let e = db.prepare_cached("INSERT INTO t(v) SELECT v FROM t")?.insert([]).unwrap_err();
        assert_eq!(e, Error::StatementChangedRows(3));
        Ok(())
    }
}
