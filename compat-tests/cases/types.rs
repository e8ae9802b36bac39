//! The ToSql / FromSql conversion matrix, exercised through a real database: every std type
//! rusqlite 0.34 converts, the storage class SQLite ends up with (`typeof`), and the exact
//! error each mismatch produces from `Row::get`.
use crate::support::one;
use rusqlite::types::{FromSql, Null, ToSql, ToSqlOutput, Type, Value, ValueRef};
use rusqlite::{params, params_from_iter, Connection, Error};
use std::borrow::Cow;
use std::fmt::Debug;
use std::num::{
    NonZeroI16, NonZeroI32, NonZeroI64, NonZeroI8, NonZeroIsize, NonZeroU16, NonZeroU32,
    NonZeroU64, NonZeroU8, NonZeroUsize,
};
use std::rc::Rc;
use std::sync::Arc;

/// Binds `v` as `?1` and returns `(typeof(?1), ?1 read back as T)`.
fn bind_back<V: ToSql, T: FromSql>(db: &Connection, v: V) -> rusqlite::Result<(String, T)> {
    db.query_row("SELECT typeof(?1), ?1", [v], |r| Ok((r.get(0)?, r.get(1)?)))
}

/// Stores `v` in an untyped column, then returns `(typeof(x), x as T)` read from the table.
fn store_back<V: ToSql, T: FromSql>(db: &Connection, v: V) -> rusqlite::Result<(String, T)> {
    db.execute_batch("DROP TABLE IF EXISTS sb; CREATE TABLE sb(x)")?;
    db.execute("INSERT INTO sb(x) VALUES (?1)", [v])?;
    db.query_row("SELECT typeof(x), x FROM sb", [], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })
}

/// The error `SELECT`ing `sql` as a `T` produces (panics if it succeeds).
fn get_err<T: FromSql + Debug>(db: &Connection, sql: &str) -> Error {
    one::<T>(db, sql).expect_err(sql)
}

fn ict(idx: usize, name: &str, t: Type) -> Error {
    Error::InvalidColumnType(idx, name.to_string(), t)
}

cases! {
    fn signed_small_ints_round_trip_at_bounds() {
        let db = crate::open()?;
        assert_eq!(store_back::<_, i8>(&db, i8::MIN)?, ("integer".to_string(), i8::MIN));
        assert_eq!(store_back::<_, i8>(&db, i8::MAX)?, ("integer".to_string(), i8::MAX));
        assert_eq!(store_back::<_, i16>(&db, i16::MIN)?, ("integer".to_string(), i16::MIN));
        assert_eq!(store_back::<_, i16>(&db, i16::MAX)?, ("integer".to_string(), i16::MAX));
        assert_eq!(store_back::<_, i32>(&db, i32::MIN)?, ("integer".to_string(), i32::MIN));
        assert_eq!(store_back::<_, i32>(&db, i32::MAX)?, ("integer".to_string(), i32::MAX));
        Ok(())
    }

    fn i64_min_max_round_trip() {
        let db = crate::open()?;
        assert_eq!(store_back::<_, i64>(&db, i64::MIN)?, ("integer".to_string(), i64::MIN));
        assert_eq!(store_back::<_, i64>(&db, i64::MAX)?, ("integer".to_string(), i64::MAX));
        assert_eq!(one::<i64>(&db, "SELECT -9223372036854775808")?, i64::MIN);
        assert_eq!(one::<String>(&db, "SELECT CAST(9223372036854775807 AS TEXT)")?, "9223372036854775807");
        Ok(())
    }

    fn unsigned_small_ints_round_trip_at_bounds() {
        let db = crate::open()?;
        assert_eq!(store_back::<_, u8>(&db, u8::MAX)?, ("integer".to_string(), 255u8));
        assert_eq!(store_back::<_, u16>(&db, u16::MAX)?, ("integer".to_string(), 65535u16));
        assert_eq!(store_back::<_, u32>(&db, u32::MAX)?, ("integer".to_string(), 4_294_967_295u32));
        assert_eq!(one::<i64>(&db, "SELECT 4294967295")?, 4_294_967_295);
        Ok(())
    }

    fn isize_usize_u64_round_trip() {
        let db = crate::open()?;
        assert_eq!(store_back::<_, isize>(&db, -7isize)?, ("integer".to_string(), -7isize));
        assert_eq!(store_back::<_, usize>(&db, 42usize)?, ("integer".to_string(), 42usize));
        assert_eq!(store_back::<_, u64>(&db, i64::MAX as u64)?, ("integer".to_string(), i64::MAX as u64));
        assert_eq!(bind_back::<_, i64>(&db, i64::MAX as u64)?.1, i64::MAX);
        Ok(())
    }

    /// u64/usize above i64::MAX cannot be bound: ToSqlConversionFailure(TryFromIntError).
    fn u64_above_i64_max_is_a_to_sql_error() {
        let db = crate::open()?;
        let e = db.query_row("SELECT ?1", [u64::MAX], |r| r.get::<_, i64>(0)).unwrap_err();
        assert!(matches!(e, Error::ToSqlConversionFailure(_)), "{e:?}");
        assert_eq!(e.to_string(), "out of range integral type conversion attempted");
        let e = db.execute("SELECT ?1", [usize::MAX]).unwrap_err();
        assert!(matches!(e, Error::ToSqlConversionFailure(_)), "{e:?}");
        let e = db.query_row("SELECT ?1", [i64::MAX as u64 + 1], |r| r.get::<_, i64>(0)).unwrap_err();
        match &e {
            Error::ToSqlConversionFailure(inner) => {
                assert!(inner.downcast_ref::<std::num::TryFromIntError>().is_some(), "{inner:?}")
            }
            other => panic!("{other:?}"),
        }
        Ok(())
    }

    fn integer_out_of_range_for_narrow_types() {
        let db = crate::open()?;
        assert_eq!(get_err::<i8>(&db, "SELECT 128"), Error::IntegralValueOutOfRange(0, 128));
        assert_eq!(get_err::<i8>(&db, "SELECT -129"), Error::IntegralValueOutOfRange(0, -129));
        assert_eq!(get_err::<i16>(&db, "SELECT 32768"), Error::IntegralValueOutOfRange(0, 32768));
        assert_eq!(get_err::<i32>(&db, "SELECT 1099511627776"), Error::IntegralValueOutOfRange(0, 1_099_511_627_776));
        assert_eq!(get_err::<u8>(&db, "SELECT 256"), Error::IntegralValueOutOfRange(0, 256));
        assert_eq!(get_err::<u8>(&db, "SELECT -1"), Error::IntegralValueOutOfRange(0, -1));
        assert_eq!(get_err::<u16>(&db, "SELECT 65536"), Error::IntegralValueOutOfRange(0, 65536));
        assert_eq!(get_err::<u32>(&db, "SELECT -2"), Error::IntegralValueOutOfRange(0, -2));
        assert_eq!(get_err::<u64>(&db, "SELECT -1"), Error::IntegralValueOutOfRange(0, -1));
        assert_eq!(get_err::<usize>(&db, "SELECT -1"), Error::IntegralValueOutOfRange(0, -1));
        Ok(())
    }

    /// The index in IntegralValueOutOfRange is the column read, not 0.
    fn out_of_range_reports_the_column_index() {
        let db = crate::open()?;
        let e = db.query_row("SELECT 1, 2, 300", [], |r| r.get::<_, u8>(2)).unwrap_err();
        assert_eq!(e, Error::IntegralValueOutOfRange(2, 300));
        assert_eq!(e.to_string(), "Integer 300 out of range at index 2");
        let e = db.query_row("SELECT 300 AS big", [], |r| r.get::<_, i8>("big")).unwrap_err();
        assert_eq!(e, Error::IntegralValueOutOfRange(0, 300));
        Ok(())
    }

    fn floats_round_trip_as_real() {
        let db = crate::open()?;
        assert_eq!(store_back::<_, f64>(&db, 1.5f64)?, ("real".to_string(), 1.5));
        assert_eq!(store_back::<_, f32>(&db, 2.25f32)?, ("real".to_string(), 2.25f32));
        assert_eq!(store_back::<_, f64>(&db, 0.1f64 + 0.2)?.1.to_bits(), (0.1f64 + 0.2).to_bits());
        assert_eq!(store_back::<_, f64>(&db, f64::MAX)?.1, f64::MAX);
        assert_eq!(store_back::<_, f64>(&db, f64::MIN_POSITIVE)?.1, f64::MIN_POSITIVE);
        assert_eq!(store_back::<_, f64>(&db, -0.5f64)?.1, -0.5);
        // f32 widens exactly; 0.1f32 is not 0.1f64
        assert_eq!(bind_back::<_, f64>(&db, 0.1f32)?.1, 0.1f32 as f64);
        Ok(())
    }

    fn f64_nan_is_stored_as_null() {
        let db = crate::open()?;
        let (t, v): (String, Option<f64>) = store_back(&db, f64::NAN)?;
        assert_eq!((t.as_str(), v), ("null", None));
        let (t, v): (String, Value) = bind_back(&db, f32::NAN)?;
        assert_eq!((t.as_str(), v), ("null", Value::Null));
        Ok(())
    }

    #[local_only("Hrana carries REAL values as JSON numbers, which are finite: remotely, binding ±inf is refused with ToSqlConversionFailure and reading one is an error")]
    fn f64_infinities_round_trip() {
        let db = crate::open()?;
        let (t, v): (String, f64) = store_back(&db, f64::INFINITY)?;
        assert_eq!((t.as_str(), v), ("real", f64::INFINITY));
        let (t, v): (String, f64) = store_back(&db, f64::NEG_INFINITY)?;
        assert_eq!((t.as_str(), v), ("real", f64::NEG_INFINITY));
        Ok(())
    }

    fn integer_reads_as_float() {
        let db = crate::open()?;
        assert_eq!(one::<f64>(&db, "SELECT 3")?, 3.0);
        assert_eq!(one::<f32>(&db, "SELECT -4")?, -4.0f32);
        assert_eq!(one::<f64>(&db, "SELECT 9007199254740993")?, 9_007_199_254_740_992.0);
        assert_eq!(one::<Option<f64>>(&db, "SELECT 7")?, Some(7.0));
        Ok(())
    }

    /// REAL is never truncated into an integer, even when integral.
    fn real_refuses_every_integer_type() {
        let db = crate::open()?;
        assert_eq!(get_err::<i64>(&db, "SELECT 1.0"), ict(0, "1.0", Type::Real));
        assert_eq!(get_err::<i32>(&db, "SELECT 2.5"), ict(0, "2.5", Type::Real));
        assert_eq!(get_err::<u8>(&db, "SELECT 1.0"), ict(0, "1.0", Type::Real));
        assert_eq!(get_err::<bool>(&db, "SELECT 1.0"), ict(0, "1.0", Type::Real));
        assert_eq!(get_err::<NonZeroI32>(&db, "SELECT 1.0"), ict(0, "1.0", Type::Real));
        Ok(())
    }

    fn bool_round_trips_as_integer() {
        let db = crate::open()?;
        assert_eq!(store_back::<_, bool>(&db, true)?, ("integer".to_string(), true));
        assert_eq!(store_back::<_, bool>(&db, false)?, ("integer".to_string(), false));
        assert_eq!(store_back::<_, i64>(&db, true)?.1, 1);
        assert_eq!(store_back::<_, i64>(&db, false)?.1, 0);
        Ok(())
    }

    /// Any non-zero integer is true.
    fn bool_from_integers_is_nonzero_test() {
        let db = crate::open()?;
        assert!(one::<bool>(&db, "SELECT 2")?);
        assert!(one::<bool>(&db, "SELECT -1")?);
        assert!(one::<bool>(&db, "SELECT 9223372036854775807")?);
        assert!(!one::<bool>(&db, "SELECT 0")?);
        assert_eq!(one::<Option<bool>>(&db, "SELECT NULL")?, None);
        Ok(())
    }

    fn bool_from_text_blob_null_is_invalid_type() {
        let db = crate::open()?;
        assert_eq!(get_err::<bool>(&db, "SELECT 'true'"), ict(0, "'true'", Type::Text));
        assert_eq!(get_err::<bool>(&db, "SELECT '1'"), ict(0, "'1'", Type::Text));
        assert_eq!(get_err::<bool>(&db, "SELECT x'01'"), ict(0, "x'01'", Type::Blob));
        assert_eq!(get_err::<bool>(&db, "SELECT NULL"), ict(0, "NULL", Type::Null));
        Ok(())
    }

    fn string_like_types_round_trip_as_text() {
        let db = crate::open()?;
        assert_eq!(store_back::<_, String>(&db, "héllo".to_string())?, ("text".to_string(), "héllo".to_string()));
        assert_eq!(store_back::<_, String>(&db, "slice")?, ("text".to_string(), "slice".to_string()));
        let b: Box<str> = "boxed".into();
        assert_eq!(store_back::<_, Box<str>>(&db, b.clone())?, ("text".to_string(), b));
        let r: Rc<str> = "rc".into();
        assert_eq!(store_back::<_, Rc<str>>(&db, r.clone())?, ("text".to_string(), r));
        let a: Arc<str> = "arc".into();
        assert_eq!(store_back::<_, Arc<str>>(&db, a.clone())?, ("text".to_string(), a));
        let c: Cow<'_, str> = Cow::Borrowed("cow");
        assert_eq!(store_back::<_, Cow<'static, str>>(&db, c)?.1, Cow::<str>::Owned("cow".into()));
        let c: Cow<'_, str> = Cow::Owned("owned cow".into());
        assert_eq!(store_back::<_, String>(&db, c)?.1, "owned cow");
        Ok(())
    }

    fn empty_string_stays_text() {
        let db = crate::open()?;
        assert_eq!(store_back::<_, String>(&db, "")?, ("text".to_string(), String::new()));
        assert_eq!(bind_back::<_, Value>(&db, String::new())?, ("text".to_string(), Value::Text(String::new())));
        assert_eq!(one::<i64>(&db, "SELECT length('')")?, 0);
        Ok(())
    }

    /// Embedded NUL bytes and multi-byte UTF-8 survive binding and reading.
    fn text_with_nul_and_unicode_survives() {
        let db = crate::open()?;
        let s = "a\0b ✓ 日本 🦀";
        let (t, back): (String, String) = store_back(&db, s)?;
        assert_eq!(t, "text");
        assert_eq!(back, s);
        assert_eq!(back.len(), 19);
        let n: i64 = db.query_row("SELECT length(CAST(?1 AS BLOB))", [s], |r| r.get(0))?;
        assert_eq!(n, 19);
        Ok(())
    }

    fn blob_like_types_round_trip_as_blob() {
        let db = crate::open()?;
        let v = vec![1u8, 2, 3, 0, 255];
        assert_eq!(store_back::<_, Vec<u8>>(&db, v.clone())?, ("blob".to_string(), v.clone()));
        assert_eq!(store_back::<_, Vec<u8>>(&db, &v[..])?.1, v);
        assert_eq!(store_back::<_, [u8; 5]>(&db, [1u8, 2, 3, 0, 255])?.1, [1u8, 2, 3, 0, 255]);
        let bx: Box<[u8]> = v.clone().into_boxed_slice();
        assert_eq!(store_back::<_, Box<[u8]>>(&db, bx.clone())?.1, bx);
        assert_eq!(&*store_back::<_, Rc<[u8]>>(&db, v.clone())?.1, &v[..]);
        assert_eq!(&*store_back::<_, Arc<[u8]>>(&db, v.clone())?.1, &v[..]);
        assert_eq!(store_back::<_, Cow<'static, [u8]>>(&db, v.clone())?.1, Cow::<[u8]>::Owned(v.clone()));
        Ok(())
    }

    fn empty_blob_stays_blob() {
        let db = crate::open()?;
        let (t, v): (String, Vec<u8>) = store_back(&db, Vec::<u8>::new())?;
        assert_eq!((t.as_str(), v), ("blob", vec![]));
        let (t, v): (String, Value) = bind_back(&db, &[] as &[u8])?;
        assert_eq!((t.as_str(), v), ("blob", Value::Blob(vec![])));
        assert_eq!(one::<[u8; 0]>(&db, "SELECT x''")?, [0u8; 0]);
        Ok(())
    }

    fn one_mebibyte_blob_round_trips() {
        let db = crate::open()?;
        let big: Vec<u8> = (0..1024 * 1024).map(|i| (i % 251) as u8).collect();
        db.execute_batch("CREATE TABLE big(b BLOB)")?;
        db.execute("INSERT INTO big VALUES (?1)", [&big])?;
        let (len, back): (i64, Vec<u8>) = db.query_row("SELECT length(b), b FROM big", [], |r| Ok((r.get(0)?, r.get(1)?)))?;
        assert_eq!(len, 1_048_576);
        assert!(back == big, "1 MiB blob changed on the way");
        Ok(())
    }

    fn large_text_round_trips() {
        let db = crate::open()?;
        let s: String = "abcdefghij".repeat(50_000);
        let (t, back): (String, String) = store_back(&db, s.as_str())?;
        assert_eq!(t, "text");
        assert_eq!(back.len(), 500_000);
        assert!(back == s);
        Ok(())
    }

    fn option_some_and_none() {
        let db = crate::open()?;
        assert_eq!(store_back::<_, Option<i32>>(&db, Some(5))?, ("integer".to_string(), Some(5)));
        assert_eq!(store_back::<_, Option<i32>>(&db, None::<i32>)?, ("null".to_string(), None));
        assert_eq!(store_back::<_, Option<String>>(&db, Some("s"))?, ("text".to_string(), Some("s".to_string())));
        assert_eq!(store_back::<_, Option<Vec<u8>>>(&db, None::<Vec<u8>>)?, ("null".to_string(), None));
        assert_eq!(one::<Option<Option<i32>>>(&db, "SELECT NULL")?, None);
        Ok(())
    }

    /// Option<T> only handles NULL; other values follow T's rules.
    fn option_of_wrong_type_is_still_an_error() {
        let db = crate::open()?;
        assert_eq!(get_err::<Option<i32>>(&db, "SELECT 'x'"), ict(0, "'x'", Type::Text));
        assert_eq!(get_err::<Option<String>>(&db, "SELECT 5"), ict(0, "5", Type::Integer));
        assert_eq!(get_err::<Option<u8>>(&db, "SELECT 1000"), Error::IntegralValueOutOfRange(0, 1000));
        Ok(())
    }

    fn null_marker_binds_null() {
        let db = crate::open()?;
        assert_eq!(store_back::<_, Value>(&db, Null)?, ("null".to_string(), Value::Null));
        let n: i64 = db.query_row("SELECT ?1 IS NULL", [Null], |r| r.get(0))?;
        assert_eq!(n, 1);
        Ok(())
    }

    fn null_into_non_option_is_invalid_column_type() {
        let db = crate::open()?;
        assert_eq!(get_err::<i32>(&db, "SELECT NULL"), ict(0, "NULL", Type::Null));
        assert_eq!(get_err::<i64>(&db, "SELECT NULL"), ict(0, "NULL", Type::Null));
        assert_eq!(get_err::<f64>(&db, "SELECT NULL"), ict(0, "NULL", Type::Null));
        assert_eq!(get_err::<String>(&db, "SELECT NULL"), ict(0, "NULL", Type::Null));
        assert_eq!(get_err::<Vec<u8>>(&db, "SELECT NULL"), ict(0, "NULL", Type::Null));
        assert_eq!(get_err::<[u8; 2]>(&db, "SELECT NULL"), ict(0, "NULL", Type::Null));
        assert_eq!(get_err::<NonZeroU8>(&db, "SELECT NULL"), ict(0, "NULL", Type::Null));
        Ok(())
    }

    /// No coercion between storage classes: text digits are not integers, numbers are not text.
    fn text_number_blob_mismatches() {
        let db = crate::open()?;
        assert_eq!(get_err::<i64>(&db, "SELECT 'abc'"), ict(0, "'abc'", Type::Text));
        assert_eq!(get_err::<i64>(&db, "SELECT '12'"), ict(0, "'12'", Type::Text));
        assert_eq!(get_err::<f64>(&db, "SELECT '1.5'"), ict(0, "'1.5'", Type::Text));
        assert_eq!(get_err::<String>(&db, "SELECT 5"), ict(0, "5", Type::Integer));
        assert_eq!(get_err::<String>(&db, "SELECT 1.5"), ict(0, "1.5", Type::Real));
        assert_eq!(get_err::<Vec<u8>>(&db, "SELECT 'abc'"), ict(0, "'abc'", Type::Text));
        assert_eq!(get_err::<Vec<u8>>(&db, "SELECT 7"), ict(0, "7", Type::Integer));
        assert_eq!(get_err::<i64>(&db, "SELECT x'0102'"), ict(0, "x'0102'", Type::Blob));
        Ok(())
    }

    /// The name in InvalidColumnType is SQLite's column name: the alias or table column when present.
    fn invalid_column_type_uses_column_name() {
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE t(a INTEGER, b BLOB); INSERT INTO t VALUES (1, x'00')")?;
        assert_eq!(get_err::<String>(&db, "SELECT b FROM t"), ict(0, "b", Type::Blob));
        assert_eq!(get_err::<String>(&db, "SELECT a AS alias FROM t"), ict(0, "alias", Type::Integer));
        let e = db.query_row("SELECT a, b FROM t", [], |r| r.get::<_, i64>(1)).unwrap_err();
        assert_eq!(e, ict(1, "b", Type::Blob));
        let e = db.query_row("SELECT a, b FROM t", [], |r| r.get::<_, String>("B")).unwrap_err();
        assert_eq!(e, ict(1, "b", Type::Blob));
        assert_eq!(e.to_string(), "Invalid column type Blob at index: 1, name: b");
        Ok(())
    }

    /// `[u8; N]` needs exactly N bytes.
    fn fixed_size_array_wrong_length() {
        let db = crate::open()?;
        assert_eq!(one::<[u8; 3]>(&db, "SELECT x'010203'")?, [1, 2, 3]);
        let e = get_err::<[u8; 4]>(&db, "SELECT x'010203'");
        match &e {
            Error::FromSqlConversionFailure(0, Type::Blob, inner) => {
                let fe = inner.downcast_ref::<rusqlite::types::FromSqlError>().expect("FromSqlError inside");
                assert_eq!(*fe, rusqlite::types::FromSqlError::InvalidBlobSize { expected_size: 4, blob_size: 3 });
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(e.to_string(), "Conversion error from type Blob at index: 0, Cannot read 4 byte value out of 3 byte blob");
        assert_eq!(get_err::<[u8; 2]>(&db, "SELECT 'ab'"), ict(0, "'ab'", Type::Text));
        Ok(())
    }

    #[local_only("a server sends TEXT as JSON strings, made valid UTF-8 on the server (invalid bytes become U+FFFD there), so invalid UTF-8 never reaches a remote client")]
    #[only_0_34("pins 0.34's FromSqlConversionFailure for invalid UTF-8; 0.39+ give Utf8Error(column, _) (newer::invalid_utf8_text_is_utf8_error_with_its_column)")]
    fn invalid_utf8_text_is_a_conversion_failure() {
        let db = crate::open()?;
        let e = get_err::<String>(&db, "SELECT CAST(X'FF' AS TEXT)");
        match &e {
            Error::FromSqlConversionFailure(0, Type::Text, inner) => {
                assert!(inner.downcast_ref::<std::str::Utf8Error>().is_some(), "{inner:?}");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(e.to_string(), "Conversion error from type Text at index: 0, invalid utf-8 sequence of 1 bytes from index 0");
        // the raw bytes are still reachable through get_ref
        let bytes: Vec<u8> = db.query_row("SELECT CAST(X'FF' AS TEXT)", [], |r| Ok(r.get_ref(0)?.as_bytes()?.to_vec()))?;
        assert_eq!(bytes, vec![0xFF]);
        Ok(())
    }

    fn nonzero_types_round_trip() {
        let db = crate::open()?;
        let v = NonZeroI8::new(-128).unwrap();
        assert_eq!(store_back::<_, NonZeroI8>(&db, v)?, ("integer".to_string(), v));
        let v = NonZeroI16::new(300).unwrap();
        assert_eq!(store_back::<_, NonZeroI16>(&db, v)?.1, v);
        let v = NonZeroI32::new(-5).unwrap();
        assert_eq!(store_back::<_, NonZeroI32>(&db, v)?.1, v);
        let v = NonZeroI64::new(i64::MIN).unwrap();
        assert_eq!(store_back::<_, NonZeroI64>(&db, v)?.1, v);
        let v = NonZeroIsize::new(9).unwrap();
        assert_eq!(store_back::<_, NonZeroIsize>(&db, v)?.1, v);
        let v = NonZeroU8::new(255).unwrap();
        assert_eq!(store_back::<_, NonZeroU8>(&db, v)?.1, v);
        let v = NonZeroU16::new(65535).unwrap();
        assert_eq!(store_back::<_, NonZeroU16>(&db, v)?.1, v);
        let v = NonZeroU32::new(u32::MAX).unwrap();
        assert_eq!(store_back::<_, NonZeroU32>(&db, v)?.1, v);
        let v = NonZeroU64::new(i64::MAX as u64).unwrap();
        assert_eq!(store_back::<_, NonZeroU64>(&db, v)?.1, v);
        let v = NonZeroUsize::new(1).unwrap();
        assert_eq!(store_back::<_, NonZeroUsize>(&db, v)?.1, v);
        Ok(())
    }

    /// Zero is reported as IntegralValueOutOfRange(idx, 0); the inner type's range is checked first.
    fn nonzero_rejects_zero_and_out_of_range() {
        let db = crate::open()?;
        assert_eq!(get_err::<NonZeroI32>(&db, "SELECT 0"), Error::IntegralValueOutOfRange(0, 0));
        assert_eq!(get_err::<NonZeroU64>(&db, "SELECT 0"), Error::IntegralValueOutOfRange(0, 0));
        assert_eq!(get_err::<NonZeroI64>(&db, "SELECT 0"), Error::IntegralValueOutOfRange(0, 0));
        assert_eq!(get_err::<NonZeroU8>(&db, "SELECT -1"), Error::IntegralValueOutOfRange(0, -1));
        assert_eq!(get_err::<NonZeroI8>(&db, "SELECT 128"), Error::IntegralValueOutOfRange(0, 128));
        let e = db.query_row("SELECT 1, 0", [], |r| r.get::<_, NonZeroUsize>(1)).unwrap_err();
        assert_eq!(e, Error::IntegralValueOutOfRange(1, 0));
        assert_eq!(one::<Option<NonZeroI32>>(&db, "SELECT NULL")?, None);
        Ok(())
    }

    fn nonzero_u64_above_i64_max_is_a_to_sql_error() {
        let db = crate::open()?;
        let e = db.query_row("SELECT ?1", [NonZeroU64::new(u64::MAX).unwrap()], |r| r.get::<_, i64>(0)).unwrap_err();
        assert!(matches!(e, Error::ToSqlConversionFailure(_)), "{e:?}");
        let e = db.execute("SELECT ?1", [NonZeroUsize::new(usize::MAX).unwrap()]).unwrap_err();
        assert_eq!(e.to_string(), "out of range integral type conversion attempted");
        Ok(())
    }

    fn value_params_round_trip_every_variant() {
        let db = crate::open()?;
        let all = [
            (Value::Null, "null"),
            (Value::Integer(-3), "integer"),
            (Value::Real(0.25), "real"),
            (Value::Text("t".into()), "text"),
            (Value::Blob(vec![9, 8]), "blob"),
        ];
        for (v, ty) in all {
            assert_eq!(store_back::<_, Value>(&db, &v)?, (ty.to_string(), v.clone()));
        }
        Ok(())
    }

    fn value_reads_dynamic_types() {
        let db = crate::open()?;
        let row: (Value, Value, Value, Value, Value) = db.query_row("SELECT 1, 1.5, 'x', x'01', NULL", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?;
        assert_eq!(row, (Value::Integer(1), Value::Real(1.5), Value::Text("x".into()), Value::Blob(vec![1]), Value::Null));
        assert_eq!(row.0.data_type(), Type::Integer);
        assert_eq!(row.4.data_type(), Type::Null);
        Ok(())
    }

    /// Column affinity decides the storage class, and Value/typeof report what was stored.
    fn column_affinity_changes_storage_class() {
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE aff(i INTEGER, r REAL, t TEXT, b BLOB, n NUMERIC)")?;
        db.execute("INSERT INTO aff VALUES (?1, ?2, ?3, ?4, ?5)", params!["42", 3, 7, "keep", "1.0"])?;
        let got: (Value, Value, Value, Value, Value) = db.query_row("SELECT i, r, t, b, n FROM aff", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?;
        assert_eq!(got, (Value::Integer(42), Value::Real(3.0), Value::Text("7".into()), Value::Text("keep".into()), Value::Integer(1)));
        // the REAL column now refuses i64 even though 3 was bound
        let e = db.query_row("SELECT r FROM aff", [], |r| r.get::<_, i64>(0)).unwrap_err();
        assert_eq!(e, ict(0, "r", Type::Real));
        Ok(())
    }

    #[only_0_34("converts with `From<ValueRef> for Value`, which rusqlite 0.39 replaced by `TryFrom`")]
    fn get_ref_reports_data_types() {
        let db = crate::open()?;
        let types: Vec<Type> = db.query_row("SELECT 1, 1.5, 'x', x'01', NULL", [], |r| {
            (0..5).map(|i| r.get_ref(i).map(|v| v.data_type())).collect()
        })?;
        assert_eq!(types, vec![Type::Integer, Type::Real, Type::Text, Type::Blob, Type::Null]);
        let owned: Vec<Value> = db.query_row("SELECT 1, 1.5, 'x', x'01', NULL", [], |r| {
            (0..5).map(|i| r.get_ref(i).map(Value::from)).collect()
        })?;
        assert_eq!(owned[2], Value::Text("x".into()));
        db.query_row("SELECT 'abc', x'6162'", [], |r| {
            assert_eq!(r.get_ref(0)?, ValueRef::Text(b"abc"));
            assert_eq!(r.get_ref(1)?, ValueRef::Blob(b"ab"));
            assert_eq!(r.get_ref(0)?.as_str()?, "abc");
            assert_eq!(r.get_ref(1)?.as_blob()?, b"ab");
            assert_eq!(r.get_ref_unwrap(0).as_bytes()?, b"abc");
            Ok(())
        })?;
        Ok(())
    }

    /// `get_ref(..)?.as_*()?` inside a row closure converts FromSqlError into rusqlite::Error.
    fn get_ref_as_wrong_type_in_closure() {
        let db = crate::open()?;
        let e = db.query_row("SELECT 5", [], |r| Ok(r.get_ref(0)?.as_str()?.to_string())).unwrap_err();
        match &e {
            Error::FromSqlConversionFailure(idx, Type::Null, inner) => {
                assert_eq!(*idx, usize::MAX);
                assert_eq!(inner.to_string(), "Invalid type");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(e.to_string(), "Invalid type");
        let e = db.query_row("SELECT 'x'", [], |r| r.get_ref(3).map(|_| ())).unwrap_err();
        assert_eq!(e, Error::InvalidColumnIndex(3));
        Ok(())
    }

    fn box_dyn_to_sql_params() {
        let db = crate::open()?;
        let ps: Vec<Box<dyn ToSql>> = vec![Box::new(1i32), Box::new("two"), Box::new(3.5f64), Box::new(None::<i32>), Box::new(vec![4u8])];
        let got: (i64, String, f64, Option<i64>, Vec<u8>) =
            db.query_row("SELECT ?1, ?2, ?3, ?4, ?5", params_from_iter(ps.iter()), |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })?;
        assert_eq!(got, (1, "two".to_string(), 3.5, None, vec![4]));
        let dyns: Vec<&dyn ToSql> = vec![&7i64, &"x"];
        let got: String = db.query_row("SELECT ?1 || ?2", &dyns[..], |r| r.get(0))?;
        assert_eq!(got, "7x");
        Ok(())
    }

    fn rc_arc_box_wrappers_bind_inner_value() {
        let db = crate::open()?;
        assert_eq!(bind_back::<_, i64>(&db, Rc::new(5i32))?, ("integer".to_string(), 5));
        assert_eq!(bind_back::<_, String>(&db, Arc::new("arc".to_string()))?, ("text".to_string(), "arc".to_string()));
        assert_eq!(bind_back::<_, f64>(&db, Box::new(0.5f64))?, ("real".to_string(), 0.5));
        assert_eq!(bind_back::<_, Vec<u8>>(&db, Arc::new(vec![1u8]))?, ("blob".to_string(), vec![1]));
        assert_eq!(bind_back::<_, i64>(&db, &&&9i64)?.1, 9);
        Ok(())
    }

    fn to_sql_output_as_param() {
        let db = crate::open()?;
        assert_eq!(bind_back::<_, i64>(&db, ToSqlOutput::Borrowed(ValueRef::Integer(5)))?, ("integer".to_string(), 5));
        assert_eq!(bind_back::<_, String>(&db, ToSqlOutput::Owned(Value::Text("o".into())))?, ("text".to_string(), "o".to_string()));
        assert_eq!(bind_back::<_, Value>(&db, ToSqlOutput::Borrowed(ValueRef::Null))?, ("null".to_string(), Value::Null));
        assert_eq!(bind_back::<_, Vec<u8>>(&db, ToSqlOutput::from(&[7u8, 7][..]))?, ("blob".to_string(), vec![7, 7]));
        // a ValueRef cannot be bound directly, but wrapped as Borrowed it can
        let text = ValueRef::Text(b"via ref");
        assert_eq!(bind_back::<_, String>(&db, ToSqlOutput::Borrowed(text))?.1, "via ref");
        Ok(())
    }

    fn mixed_tuple_params_keep_their_types() {
        let db = crate::open()?;
        let got: (String, String, String, String, String) = db.query_row(
            "SELECT typeof(?1), typeof(?2), typeof(?3), typeof(?4), typeof(?5)",
            (1u8, 2.0f32, "s", b"b".to_vec(), Null),
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )?;
        assert_eq!(got, ("integer".into(), "real".into(), "text".into(), "blob".into(), "null".into()));
        Ok(())
    }

    fn cow_reads_are_owned() {
        let db = crate::open()?;
        let s: Cow<'_, str> = one(&db, "SELECT 'this is a string'")?;
        assert_eq!(s, Cow::<str>::Borrowed("this is a string"));
        assert!(matches!(s, Cow::Owned(_)));
        let b: Cow<'_, [u8]> = one(&db, "SELECT x'09ab20fdee87'")?;
        assert_eq!(&*b, &[0x09, 0xab, 0x20, 0xfd, 0xee, 0x87][..]);
        let f: Cow<'_, f32> = one(&db, "SELECT 24.5")?;
        assert_eq!(*f, 24.5f32);
        Ok(())
    }

    /// The error index of a conversion failure is the position asked for, also through names.
    fn string_from_wrong_column_by_name() {
        let db = crate::open()?;
        let e = db.query_row("SELECT 1 AS one, 2.5 AS two, NULL AS three", [], |r| r.get::<_, String>("three")).unwrap_err();
        assert_eq!(e, ict(2, "three", Type::Null));
        let e = db.query_row("SELECT 1 AS one, 2.5 AS two", [], |r| r.get::<_, i32>("two")).unwrap_err();
        assert_eq!(e, ict(1, "two", Type::Real));
        Ok(())
    }

    /// REAL values survive storage bit for bit, including ones a float parser rounds wrongly.
    fn reals_round_trip_bit_for_bit() {
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE r(id INTEGER PRIMARY KEY, x REAL)")?;
        let values = [
            3e-300,
            0.1 + 0.2,
            f64::MIN_POSITIVE,
            f64::MAX,
            5e-324,
            -2.2250738585072014e-308,
            1.0 / 3.0,
            123_456_789.012_345_68,
        ];
        for (i, v) in values.iter().enumerate() {
            db.execute("INSERT INTO r(id, x) VALUES (?1, ?2)", params![i as i64, v])?;
        }
        for (i, v) in values.iter().enumerate() {
            let back: f64 = db.query_row("SELECT x FROM r WHERE id = ?1", [i as i64], |r| r.get(0))?;
            assert_eq!(back.to_bits(), v.to_bits(), "{v:e} came back as {back:e}");
            let (_, bound): (String, f64) = bind_back(&db, *v)?;
            assert_eq!(bound.to_bits(), v.to_bits(), "{v:e} bound and read as {bound:e}");
        }
        Ok(())
    }
}
