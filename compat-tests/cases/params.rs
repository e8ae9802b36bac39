//! Parameter binding: every `Params` form, numbering and names, count and name errors.
// The `&[&T; N]` forms are the point of some cases, so keep the borrows clippy would drop.
#![allow(clippy::needless_borrows_for_generic_args)]
use crate::support::one;
use rusqlite::{named_params, params, params_from_iter, Error, ToSql};
use std::collections::BTreeSet;

fn s(db: &rusqlite::Connection, sql: &str, p: impl rusqlite::Params) -> rusqlite::Result<String> {
    db.query_row(sql, p, |r| r.get(0))
}

cases! {
    fn empty_array_unit_and_empty_macros_for_no_params() {
        let db = crate::open()?;
        assert_eq!(db.execute("CREATE TABLE t(x)", [])?, 0);
        assert_eq!(db.execute("INSERT INTO t VALUES (1)", ())?, 1);
        assert_eq!(db.execute("INSERT INTO t VALUES (2)", params![])?, 1);
        assert_eq!(db.execute("INSERT INTO t VALUES (3)", named_params! {})?, 1);
        assert_eq!(db.execute("INSERT INTO t VALUES (4)", params_from_iter(Vec::<i64>::new()))?, 1);
        assert_eq!(one::<i64>(&db, "SELECT sum(x) FROM t")?, 10);
        Ok(())
    }

    fn tuple_params_small() {
        let db = crate::open()?;
        assert_eq!(s(&db, "SELECT printf('[%s]', ?1)", ("abc",))?, "[abc]");
        assert_eq!(s(&db, "SELECT printf('%d %s', ?1, ?2)", (1, "x"))?, "1 x");
        assert_eq!(s(&db, "SELECT printf('%d %s %d', ?1, ?2, ?3)", (1i32, "abc", 2i64))?, "1 abc 2");
        let owned = String::from("own");
        assert_eq!(s(&db, "SELECT ?1 || ?2 || ?3", (&owned, "-", owned.clone()))?, "own-own");
        Ok(())
    }

    fn tuple_params_sixteen() {
        let db = crate::open()?;
        let big = (0, "a", 1, "b", 2, "c", 3, "d", 4, "e", 5, "f", 6, "g", 7, "h");
        let sql = "SELECT printf('%d %s | %d %s | %d %s | %d %s || %d %s | %d %s | %d %s | %d %s',
                   ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)";
        assert_eq!(s(&db, sql, big)?, "0 a | 1 b | 2 c | 3 d || 4 e | 5 f | 6 g | 7 h");
        Ok(())
    }

    fn tuple_params_with_mixed_value_types() {
        let db = crate::open()?;
        let blob = vec![0xdeu8, 0xad];
        let t: (String, String, String, String) = db.query_row(
            "SELECT typeof(?1), typeof(?2), typeof(?3), typeof(?4)",
            (1u8, 1.5f32, None::<String>, blob),
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )?;
        assert_eq!(t, ("integer".into(), "real".into(), "null".into(), "blob".into()));
        Ok(())
    }

    fn array_params() {
        let db = crate::open()?;
        assert_eq!(one_i(&db, "SELECT ?1 + ?2", [1, 2])?, 3);
        assert_eq!(s(&db, "SELECT ?1 || ?2", ["x", "y"])?, "xy");
        let owned = [String::from("p"), String::from("q")];
        assert_eq!(s(&db, "SELECT ?1 || ?2", &owned.each_ref())?, "pq");
        assert_eq!(s(&db, "SELECT ?1 || ?2", [&owned[1], &owned[0]])?, "qp");
        Ok(())
    }

    fn array_of_dyn_tosql() {
        let db = crate::open()?;
        let a = 1u8;
        let b = "one";
        let c = Some("two");
        let v: String = db.query_row(
            "SELECT ?1 || ?2 || ?3",
            [&a as &dyn ToSql, &b, &c],
            |r| r.get(0),
        )?;
        assert_eq!(v, "1onetwo");
        Ok(())
    }

    fn array_of_references_same_type() {
        let db = crate::open()?;
        let a = 40i64;
        let b = 2i64;
        assert_eq!(one_i(&db, "SELECT ?1 + ?2", &[&a, &b])?, 42);
        let x = String::from("s");
        assert_eq!(s(&db, "SELECT ?1 || ?1", &[&x])?, "ss");
        Ok(())
    }

    fn array_params_thirty_two() {
        let db = crate::open()?;
        let sql = format!("SELECT {}", (1..=32).map(|i| format!("?{i}")).collect::<Vec<_>>().join(" + "));
        let mut arr = [0i64; 32];
        for (i, v) in arr.iter_mut().enumerate() {
            *v = i as i64 + 1;
        }
        assert_eq!(one_i(&db, &sql, arr)?, 528);
        Ok(())
    }

    fn slice_of_dyn_tosql() {
        let db = crate::open()?;
        let name = String::from("n");
        let n = 5i32;
        let p: &[&dyn ToSql] = &[&name, &n];
        assert_eq!(s(&db, "SELECT ?1 || ?2", p)?, "n5");
        let v: Vec<&dyn ToSql> = vec![&n, &name, &n];
        assert_eq!(s(&db, "SELECT ?1 || ?2 || ?3", &v[..])?, "5n5");
        Ok(())
    }

    fn params_macro_forms() {
        let db = crate::open()?;
        let owned = String::from("o");
        assert_eq!(s(&db, "SELECT ?1 || ?2 || ?3", params![1, owned, 2.5])?, "1o2.5");
        assert_eq!(s(&db, "SELECT ?1", params!["trailing",])?, "trailing");
        // params! borrows, so the String is still usable.
        assert_eq!(owned, "o");
        Ok(())
    }

    fn named_params_macro() {
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE t(a, b)")?;
        db.execute("INSERT INTO t VALUES (:a, :b)", named_params! {":a": 1, ":b": "one"})?;
        db.execute("INSERT INTO t VALUES (:a, :b)", named_params! {":b": "two", ":a": 2,})?;
        let mut st = db.prepare("SELECT a || b FROM t ORDER BY a")?;
        let v: Vec<String> = st.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
        assert_eq!(v, vec!["1one", "2two"]);
        Ok(())
    }

    fn named_pairs_array_and_slice_forms() {
        let db = crate::open()?;
        assert_eq!(one_i(&db, "SELECT :a * 2", &[(":a", &21)])?, 42);
        assert_eq!(one_i(&db, "SELECT :a - :b", &[(":a", 10), (":b", 4)][..])?, 6);
        let v = vec![(":x", "vec")];
        assert_eq!(s(&db, "SELECT :x", v.as_slice())?, "vec");
        let dynp: &[(&str, &dyn ToSql)] = &[(":p", &1), (":q", &"q")];
        assert_eq!(s(&db, "SELECT :p || :q", dynp)?, "1q");
        Ok(())
    }

    fn named_pairs_with_numeric_and_cstr_index() {
        let db = crate::open()?;
        assert_eq!(s(&db, "SELECT ?1 || ?2", &[(2usize, &"b"), (1usize, &"a")])?, "ab");
        assert_eq!(s(&db, "SELECT :n", &[(c":n", &"cstr")])?, "cstr");
        Ok(())
    }

    fn named_prefixes_colon_at_dollar() {
        let db = crate::open()?;
        let v = s(&db, "SELECT :a || @b || $c", named_params! {":a": "1", "@b": "2", "$c": "3"})?;
        assert_eq!(v, "123");
        Ok(())
    }

    fn named_parameter_used_twice() {
        let db = crate::open()?;
        assert_eq!(one_i(&db, "SELECT :a + :a * 10", named_params! {":a": 3})?, 33);
        Ok(())
    }

    fn named_parameters_bound_positionally() {
        let db = crate::open()?;
        assert_eq!(one_i(&db, "SELECT :a", [9])?, 9);
        assert_eq!(s(&db, "SELECT :a || @b", ["x", "y"])?, "xy");
        Ok(())
    }

    fn unmentioned_named_parameters_are_null() {
        let db = crate::open()?;
        let v: (Option<i64>, Option<i64>) =
            db.query_row("SELECT :a, :b", named_params! {":b": 2}, |r| Ok((r.get(0)?, r.get(1)?)))?;
        assert_eq!(v, (None, Some(2)));
        Ok(())
    }

    fn repeated_name_in_pairs_last_wins() {
        let db = crate::open()?;
        assert_eq!(one_i(&db, "SELECT :a", &[(":a", 1), (":a", 2)][..])?, 2);
        Ok(())
    }

    fn numbered_parameters() {
        let db = crate::open()?;
        assert_eq!(s(&db, "SELECT ?2 || ?1", ["a", "b"])?, "ba");
        assert_eq!(s(&db, "SELECT ?1 || ?1 || ?2", ["x", "y"])?, "xxy");
        assert_eq!(one_i(&db, "SELECT ?3", [1, 2, 3])?, 3);
        // An anonymous ? after ?5 takes index 6.
        let st = db.prepare("SELECT ?5, ?")?;
        assert_eq!(st.parameter_count(), 6);
        Ok(())
    }

    fn anonymous_parameters_in_order() {
        let db = crate::open()?;
        assert_eq!(s(&db, "SELECT ? || ? || ?", ["1", "2", "3"])?, "123");
        Ok(())
    }

    fn params_from_iter_forms() {
        let db = crate::open()?;
        let data = vec![1, 2, 3];
        assert_eq!(one_i(&db, "SELECT ?1 + ?2 * ?3", params_from_iter(&data))?, 7);
        assert_eq!(one_i(&db, "SELECT ?1 + ?2 * ?3", params_from_iter(data.as_slice()))?, 7);
        assert_eq!(one_i(&db, "SELECT ?1 + ?2 * ?3", params_from_iter(data.iter()))?, 7);
        assert_eq!(one_i(&db, "SELECT ?1 + ?2 * ?3", params_from_iter(data.iter().map(|x| x * 10)))?, 610);
        assert_eq!(one_i(&db, "SELECT ?1 + ?2 * ?3", params_from_iter(data))?, 7);
        let set: BTreeSet<String> = ["two", "one", "three"].iter().map(|x| x.to_string()).collect();
        assert_eq!(s(&db, "SELECT ?1 || ',' || ?2 || ',' || ?3", params_from_iter(&set))?, "one,three,two");
        let arr = [0u8; 3];
        assert_eq!(one_i(&db, "SELECT ?1 + ?2 + ?3", params_from_iter(&arr))?, 0);
        Ok(())
    }

    fn params_from_iter_of_boxed_dyn_tosql() {
        let db = crate::open()?;
        let values: Vec<Box<dyn ToSql>> = vec![Box::new(7i64), Box::new("txt".to_string()), Box::new(None::<i32>)];
        let v: (i64, String, Option<i64>) =
            db.query_row("SELECT ?1, ?2, ?3", params_from_iter(values.iter()), |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        assert_eq!(v, (7, "txt".to_string(), None));
        Ok(())
    }

    fn params_from_iter_many_values() {
        let db = crate::open()?;
        let n = 500;
        let sql = format!("SELECT count(*), sum(column1) FROM (VALUES {})", vec!["(?)"; n].join(", "));
        let (c, total): (i64, i64) =
            db.query_row(&sql, params_from_iter(1..=n as i64), |r| Ok((r.get(0)?, r.get(1)?)))?;
        assert_eq!((c, total), (500, 125250));
        Ok(())
    }

    fn invalid_parameter_count_too_many_positional() {
        let db = crate::open()?;
        assert_eq!(db.execute("SELECT ?1", [1, 2]).unwrap_err(), Error::InvalidParameterCount(2, 1));
        assert_eq!(db.execute("SELECT ?1", [1, 2, 3, 4]).unwrap_err(), Error::InvalidParameterCount(2, 1));
        assert_eq!(db.execute("SELECT ?1", params![1, 2, 3]).unwrap_err(), Error::InvalidParameterCount(2, 1));
        assert_eq!(db.execute("SELECT 1", [1]).unwrap_err(), Error::InvalidParameterCount(1, 0));
        assert_eq!(
            db.execute("SELECT ?1, ?2", params_from_iter(vec![1, 2, 3, 4, 5])).unwrap_err(),
            Error::InvalidParameterCount(3, 2)
        );
        Ok(())
    }

    fn invalid_parameter_count_too_few_positional() {
        let db = crate::open()?;
        assert_eq!(db.execute("SELECT ?1, ?2", [1]).unwrap_err(), Error::InvalidParameterCount(1, 2));
        assert_eq!(db.execute("SELECT ?5", [1]).unwrap_err(), Error::InvalidParameterCount(1, 5));
        assert_eq!(db.execute("SELECT ?1, ?2", params_from_iter(Vec::<i32>::new())).unwrap_err(), Error::InvalidParameterCount(0, 2));
        assert_eq!(db.execute("SELECT ?1", params![]).unwrap_err(), Error::InvalidParameterCount(0, 1));
        Ok(())
    }

    fn invalid_parameter_count_empty_and_tuples() {
        let db = crate::open()?;
        assert_eq!(db.execute("SELECT ?1", []).unwrap_err(), Error::InvalidParameterCount(0, 1));
        assert_eq!(db.execute("SELECT ?1", ()).unwrap_err(), Error::InvalidParameterCount(0, 1));
        assert_eq!(db.execute("SELECT ?1", (1, 2)).unwrap_err(), Error::InvalidParameterCount(2, 1));
        assert_eq!(db.execute("SELECT ?1, ?2, ?3", (1, 2)).unwrap_err(), Error::InvalidParameterCount(2, 3));
        assert_eq!(db.execute("SELECT 1", (1,)).unwrap_err(), Error::InvalidParameterCount(1, 0));
        Ok(())
    }

    fn invalid_parameter_count_from_query_functions() {
        let db = crate::open()?;
        let mut st = db.prepare("SELECT ?1")?;
        assert_eq!(st.query([]).err().unwrap(), Error::InvalidParameterCount(0, 1));
        assert_eq!(st.query_map([1, 2], |r| r.get::<_, i64>(0)).err().unwrap(), Error::InvalidParameterCount(2, 1));
        assert_eq!(st.exists(()).unwrap_err(), Error::InvalidParameterCount(0, 1));
        assert_eq!(st.query_row([], |r| r.get::<_, i64>(0)).unwrap_err(), Error::InvalidParameterCount(0, 1));
        assert_eq!(db.query_row("SELECT ?1", [], |r| r.get::<_, i64>(0)).unwrap_err(), Error::InvalidParameterCount(0, 1));
        // The statement still works with the right count.
        assert_eq!(st.query_row([5], |r| r.get::<_, i64>(0))?, 5);
        Ok(())
    }

    fn invalid_parameter_name_errors() {
        let db = crate::open()?;
        assert_eq!(
            db.execute("SELECT :a", &[("a", &1)]).unwrap_err(),
            Error::InvalidParameterName("a".to_string())
        );
        assert_eq!(
            db.execute("SELECT :a", named_params! {":zz": 1}).unwrap_err(),
            Error::InvalidParameterName(":zz".to_string())
        );
        assert_eq!(
            db.execute("SELECT 1", named_params! {":a": 1}).unwrap_err(),
            Error::InvalidParameterName(":a".to_string())
        );
        assert_eq!(
            db.execute("SELECT @a", named_params! {":a": 1}).unwrap_err(),
            Error::InvalidParameterName(":a".to_string())
        );
        Ok(())
    }

    fn invalid_name_after_valid_pairs_keeps_earlier_bindings() {
        let db = crate::open()?;
        let mut st = db.prepare("SELECT :a, :b")?;
        let err = st.execute(named_params! {":a": 1, ":zz": 2}).unwrap_err();
        assert_eq!(err, Error::InvalidParameterName(":zz".to_string()));
        let mut rows = st.raw_query();
        let row = rows.next()?.unwrap();
        assert_eq!((row.get::<_, Option<i64>>(0)?, row.get::<_, Option<i64>>(1)?), (Some(1), None));
        Ok(())
    }

    fn named_params_do_not_check_count() {
        let db = crate::open()?;
        // No names at all is accepted for a statement with parameters.
        let v: Option<i64> = db.query_row("SELECT :a", named_params! {}, |r| r.get(0))?;
        assert_eq!(v, None);
        Ok(())
    }

    fn params_on_every_entry_point() {
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE t(x)")?;
        let mut ins = db.prepare("INSERT INTO t VALUES (?1)")?;
        assert_eq!(ins.insert([1])?, 1);
        assert_eq!(ins.execute((2,))?, 1);
        assert_eq!(ins.execute(params![3])?, 1);
        assert_eq!(ins.execute(named_params! {"?1": 4})?, 1);
        assert_eq!(ins.execute(params_from_iter([5]))?, 1);
        let mut q = db.prepare("SELECT x FROM t WHERE x > ?1 ORDER BY x")?;
        assert!(q.exists([4])?);
        assert_eq!(q.query_row((1,), |r| r.get::<_, i64>(0))?, 2);
        let v: Vec<i64> = q.query_and_then(params![2], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        assert_eq!(v, vec![3, 4, 5]);
        let mut rows = q.query(named_params! {})?;
        // No names bound: ?1 keeps the 2 bound by the previous run.
        assert_eq!(rows.next()?.unwrap().get::<_, i64>(0)?, 3);
        Ok(())
    }
}

fn one_i(db: &rusqlite::Connection, sql: &str, p: impl rusqlite::Params) -> rusqlite::Result<i64> {
    db.query_row(sql, p, |r| r.get(0))
}
