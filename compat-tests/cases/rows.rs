//! `Rows`, `Row` and the iterator adapters (`map`, `mapped`, `and_then`), row access by index
//! and name, `get_ref`/`get_unwrap`, `Debug` of a row and `TryFrom<&Row>` for tuples.
use rusqlite::fallible_iterator::FallibleIterator;
use rusqlite::fallible_streaming_iterator::FallibleStreamingIterator;
use rusqlite::types::{Type, ValueRef};
use rusqlite::{Error, Row};
use std::convert::TryFrom;
use std::panic::{catch_unwind, AssertUnwindSafe};

const THREE: &str = "SELECT 1 AS n UNION ALL SELECT 2 UNION ALL SELECT 3";

cases! {
    fn exhausted_rows_keep_returning_none() {
        let db = crate::open()?;
        let mut st = db.prepare(THREE)?;
        let mut rows = st.query([])?;
        assert!(rows.as_ref().is_some());
        let mut n = 0;
        while rows.next()?.is_some() {
            n += 1;
        }
        assert_eq!(n, 3);
        assert!(rows.next()?.is_none());
        assert!(rows.next()?.is_none());
        assert!(rows.as_ref().is_none());
        Ok(())
    }

    fn empty_result_first_next_is_none() {
        let db = crate::open()?;
        let mut st = db.prepare("SELECT 1 WHERE 0")?;
        let mut rows = st.query([])?;
        assert!(rows.next()?.is_none());
        assert!(rows.next()?.is_none());
        Ok(())
    }

    fn rows_map_is_a_fallible_iterator() {
        let db = crate::open()?;
        let mut st = db.prepare(THREE)?;
        let v: Vec<i64> = st.query([])?.map(|r| r.get(0)).collect()?;
        assert_eq!(v, vec![1, 2, 3]);
        let mut it = st.query([])?.map(|r| r.get::<_, i64>(0));
        assert_eq!(it.next()?, Some(1));
        assert_eq!(it.next()?, Some(2));
        assert_eq!(it.next()?, Some(3));
        assert_eq!(it.next()?, None);
        drop(it);
        let n = st.query([])?.map(|r| r.get::<_, i64>(0)).filter(|v| Ok(*v != 2)).count()?;
        assert_eq!(n, 2);
        Ok(())
    }

    fn rows_map_error_stops_collect() {
        let db = crate::open()?;
        let mut st = db.prepare("SELECT 1 UNION ALL SELECT 'two' UNION ALL SELECT 3")?;
        let r: rusqlite::Result<Vec<i64>> = st.query([])?.map(|r| r.get(0)).collect();
        assert_eq!(r.unwrap_err(), Error::InvalidColumnType(0, "1".to_string(), Type::Text));
        Ok(())
    }

    fn rows_mapped_is_an_iterator() {
        let db = crate::open()?;
        let mut st = db.prepare(THREE)?;
        let v: Vec<i64> = st.query([])?.mapped(|r| r.get(0)).collect::<rusqlite::Result<_>>()?;
        assert_eq!(v, vec![1, 2, 3]);
        let last = st.query([])?.mapped(|r| r.get::<_, i64>(0)).last();
        assert_eq!(last, Some(Ok(3)));
        Ok(())
    }

    fn mapped_rows_continue_after_closure_error() {
        let db = crate::open()?;
        let mut st = db.prepare("SELECT 1 UNION ALL SELECT 'two' UNION ALL SELECT 3")?;
        let all: Vec<rusqlite::Result<i64>> = st.query_map([], |r| r.get(0))?.collect();
        assert_eq!(all.len(), 3);
        assert_eq!(all[0], Ok(1));
        assert_eq!(all[1], Err(Error::InvalidColumnType(0, "1".to_string(), Type::Text)));
        assert_eq!(all[2], Ok(3));
        Ok(())
    }

    fn rows_and_then_with_custom_error() {
        #[derive(Debug, PartialEq)]
        enum E {
            Db(String),
            Three,
        }
        impl From<Error> for E {
            fn from(e: Error) -> Self {
                E::Db(e.to_string())
            }
        }
        let db = crate::open()?;
        let mut st = db.prepare(THREE)?;
        let v: Vec<Result<i64, E>> = st
            .query([])?
            .and_then(|r| -> Result<i64, E> {
                let n: i64 = r.get(0)?;
                if n == 3 { Err(E::Three) } else { Ok(n * 100) }
            })
            .collect();
        assert_eq!(v, vec![Ok(100), Ok(200), Err(E::Three)]);
        let v: Vec<Result<String, E>> = st.query([])?.and_then(|r| r.get::<_, String>(0).map_err(E::from)).take(1).collect();
        assert_eq!(v, vec![Err(E::Db("Invalid column type Integer at index: 0, name: n".to_string()))]);
        Ok(())
    }

    fn rows_streaming_iterator_methods() {
        let db = crate::open()?;
        let mut st = db.prepare(THREE)?;
        assert_eq!(st.query([])?.count()?, 3);
        let mut rows = st.query([])?;
        rows.advance()?;
        assert_eq!(rows.get().unwrap().get::<_, i64>(0)?, 1);
        rows.advance()?;
        assert_eq!(rows.get().unwrap().get::<_, i64>(0)?, 2);
        Ok(())
    }

    fn row_get_by_index_and_name() {
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE t(id INTEGER, name TEXT, score REAL); INSERT INTO t VALUES (1, 'ann', 9.5)")?;
        db.query_row("SELECT id, name, score FROM t", [], |r| {
            assert_eq!(r.get::<_, i64>(0)?, 1);
            assert_eq!(r.get::<_, String>(1)?, "ann");
            assert_eq!(r.get::<_, f64>(2)?, 9.5);
            assert_eq!(r.get::<_, i64>("id")?, 1);
            assert_eq!(r.get::<_, String>("NAME")?, "ann");
            assert_eq!(r.get::<_, f64>("Score")?, 9.5);
            Ok(())
        })?;
        Ok(())
    }

    fn row_get_index_and_name_errors() {
        let db = crate::open()?;
        db.query_row("SELECT 1 AS a, 2 AS b", [], |r| {
            assert_eq!(r.get::<_, i64>(2).unwrap_err(), Error::InvalidColumnIndex(2));
            assert_eq!(r.get::<_, i64>(100).unwrap_err(), Error::InvalidColumnIndex(100));
            assert_eq!(r.get::<_, i64>("c").unwrap_err(), Error::InvalidColumnName("c".to_string()));
            assert_eq!(r.get_ref(2).unwrap_err(), Error::InvalidColumnIndex(2));
            assert_eq!(r.get_ref("zz").unwrap_err(), Error::InvalidColumnName("zz".to_string()));
            Ok(())
        })?;
        Ok(())
    }

    fn row_get_ref_value_refs() {
        let db = crate::open()?;
        db.query_row("SELECT NULL, 42, 1.5, 'txt', X'0102'", [], |r| {
            assert_eq!(r.get_ref(0)?, ValueRef::Null);
            assert_eq!(r.get_ref(1)?, ValueRef::Integer(42));
            assert_eq!(r.get_ref(2)?, ValueRef::Real(1.5));
            assert_eq!(r.get_ref(3)?, ValueRef::Text(b"txt"));
            assert_eq!(r.get_ref(4)?, ValueRef::Blob(&[1, 2]));
            assert_eq!(r.get_ref(3)?.data_type(), Type::Text);
            assert_eq!(r.get_ref(3)?.as_str().unwrap(), "txt");
            Ok(())
        })?;
        Ok(())
    }

    fn row_get_ref_by_name_inside_closure_with_question_mark() {
        let db = crate::open()?;
        let s: String = db.query_row("SELECT 'abc' AS word", [], |r| Ok(r.get_ref("word")?.as_str()?.to_uppercase()))?;
        assert_eq!(s, "ABC");
        let e = db.query_row("SELECT 5 AS word", [], |r| Ok(r.get_ref("word")?.as_str()?.to_string())).unwrap_err();
        assert!(matches!(e, Error::FromSqlConversionFailure(usize::MAX, Type::Null, _)), "{e:?}");
        Ok(())
    }

    fn row_get_unwrap_and_get_ref_unwrap() {
        let db = crate::open()?;
        db.query_row("SELECT 7 AS seven, 'x' AS ex", [], |r| {
            assert_eq!(r.get_unwrap::<_, i64>(0), 7);
            assert_eq!(r.get_unwrap::<_, String>("ex"), "x");
            assert_eq!(r.get_ref_unwrap(0), ValueRef::Integer(7));
            assert_eq!(r.get_ref_unwrap("ex"), ValueRef::Text(b"x"));
            Ok(())
        })?;
        Ok(())
    }

    fn row_get_unwrap_panics_on_error() {
        let db = crate::open()?;
        db.query_row("SELECT 'text'", [], |r| {
            assert!(catch_unwind(AssertUnwindSafe(|| r.get_unwrap::<_, i64>(0))).is_err());
            assert!(catch_unwind(AssertUnwindSafe(|| r.get_unwrap::<_, i64>(5))).is_err());
            assert!(catch_unwind(AssertUnwindSafe(|| r.get_ref_unwrap(5))).is_err());
            assert!(catch_unwind(AssertUnwindSafe(|| r.get_ref_unwrap("nope"))).is_err());
            Ok(())
        })?;
        Ok(())
    }

    fn row_as_ref_gives_the_statement() {
        let db = crate::open()?;
        let mut st = db.prepare("SELECT 'Lisa' AS name, 1 AS id")?;
        let mut rows = st.query([])?;
        assert_eq!(rows.as_ref().unwrap().column_count(), 2);
        let row = rows.next()?.unwrap();
        let stmt: &rusqlite::Statement<'_> = row.as_ref();
        assert_eq!(stmt.column_count(), 2);
        assert_eq!(stmt.column_names().into_iter().collect::<Vec<_>>(), vec!["name", "id"]);
        assert_eq!(stmt.column_name(1)?, "id");
        Ok(())
    }

    fn row_debug_format() {
        let db = crate::open()?;
        let mut st = db.prepare("SELECT 'Lisa' AS name, 1 AS id, 3.14 AS pi, X'53514C697465' AS blob, NULL AS void")?;
        let mut rows = st.query([])?;
        let row = rows.next()?.unwrap();
        assert_eq!(
            format!("{row:?}"),
            r#"{"name": (Text, "Lisa"), "id": (Integer, 1), "pi": (Real, 3.14), "blob": (Blob, 6), "void": (Null, ())}"#
        );
        Ok(())
    }

    fn row_debug_format_small() {
        let db = crate::open()?;
        let s = db.query_row("SELECT 1 AS a, 'x' AS b, NULL AS c", [], |r| Ok(format!("{r:?}")))?;
        assert_eq!(s, r#"{"a": (Integer, 1), "b": (Text, "x"), "c": (Null, ())}"#);
        let s = db.query_row("SELECT 2.0 AS r, '' AS e, X'' AS z", [], |r| Ok(format!("{r:?}")))?;
        assert_eq!(s, r#"{"r": (Real, 2.0), "e": (Text, ""), "z": (Blob, 0)}"#);
        Ok(())
    }

    fn try_from_row_tuples() {
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE t(a INTEGER, b INTEGER, c TEXT); INSERT INTO t VALUES (42, 47, 'z')")?;
        let one = db.query_row("SELECT a FROM t", [], |r| <(u32,)>::try_from(r))?;
        assert_eq!(one, (42,));
        let two = db.query_row("SELECT a, b FROM t", [], |r| <(u32, i64)>::try_from(r))?;
        assert_eq!(two, (42, 47));
        let three = db.query_row("SELECT * FROM t", [], |r| <(i64, i64, String)>::try_from(r))?;
        assert_eq!(three, (42, 47, "z".to_string()));
        // Extra columns are ignored.
        let first = db.query_row("SELECT * FROM t", [], |r| <(i64,)>::try_from(r))?;
        assert_eq!(first, (42,));
        Ok(())
    }

    fn try_from_row_tuple_errors() {
        let db = crate::open()?;
        let e = db.query_row("SELECT 1", [], |r| <(u32, u32)>::try_from(r)).unwrap_err();
        assert_eq!(e, Error::InvalidColumnIndex(1));
        let e = db.query_row("SELECT 1, 'x'", [], |r| <(u32, u32)>::try_from(r)).unwrap_err();
        assert_eq!(e, Error::InvalidColumnType(1, "'x'".to_string(), Type::Text));
        Ok(())
    }

    fn try_from_row_tuple_sixteen() {
        let db = crate::open()?;
        let sql = format!("SELECT {}", (0..16).map(|i| i.to_string()).collect::<Vec<_>>().join(", "));
        type Big = (u32, u32, u32, u32, u32, u32, u32, u32, u32, u32, u32, u32, u32, u32, u32, u32);
        let v: Big = db.query_row(&sql, [], |r| Big::try_from(r))?;
        assert_eq!((v.0, v.1, v.7, v.14, v.15), (0, 1, 7, 14, 15));
        Ok(())
    }

    fn query_map_with_try_from_function() {
        let db = crate::open()?;
        let mut st = db.prepare("SELECT 1, 'a' UNION ALL SELECT 2, 'b'")?;
        let v: Vec<(i64, String)> = st.query_map([], |r| <(i64, String)>::try_from(r))?.collect::<Result<_, _>>()?;
        assert_eq!(v, vec![(1, "a".to_string()), (2, "b".to_string())]);
        Ok(())
    }

    fn row_values_from_a_function_taking_row() {
        fn person(r: &Row<'_>) -> rusqlite::Result<(String, Option<i64>)> {
            Ok((r.get("name")?, r.get("age")?))
        }
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE p(name TEXT, age INTEGER); INSERT INTO p VALUES ('a', 30), ('b', NULL)")?;
        let mut st = db.prepare("SELECT name, age FROM p ORDER BY name")?;
        let v: Vec<_> = st.query_map([], person)?.collect::<Result<_, _>>()?;
        assert_eq!(v, vec![("a".to_string(), Some(30)), ("b".to_string(), None)]);
        Ok(())
    }

    fn duplicate_column_names_by_name_gets_first() {
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE a(id, v); CREATE TABLE b(id, v); INSERT INTO a VALUES (1, 'a'); INSERT INTO b VALUES (2, 'b')")?;
        let (v, first, second): (String, i64, i64) =
            db.query_row("SELECT a.v, a.id, b.id FROM a, b", [], |r| Ok((r.get("v")?, r.get("id")?, r.get(2)?)))?;
        assert_eq!((v.as_str(), first, second), ("a", 1, 2));
        Ok(())
    }

    fn values_stay_valid_across_whole_iteration() {
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE t(x TEXT)")?;
        for i in 0..50 {
            db.execute("INSERT INTO t VALUES (?1)", [format!("value-{i}")])?;
        }
        let mut st = db.prepare("SELECT x FROM t ORDER BY rowid")?;
        let mut rows = st.query([])?;
        let mut got = Vec::new();
        while let Some(r) = rows.next()? {
            got.push(r.get::<_, String>(0)?);
        }
        assert_eq!(got.len(), 50);
        assert_eq!(got[0], "value-0");
        assert_eq!(got[49], "value-49");
        Ok(())
    }
}
