//! Pure behaviour of the dynamic value types (Value, ValueRef, ToSqlOutput, Type, Null,
//! FromSqlError) without a database, plus a user enum with its own ToSql / FromSql impls
//! stored and read back.
use rusqlite::types::{
    FromSql, FromSqlError, FromSqlResult, Null, ToSql, ToSqlOutput, Type, Value, ValueRef,
};
use rusqlite::Error;
use std::num::{NonZeroI32, NonZeroU8};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Color {
    Red,
    Green,
}

#[derive(Debug)]
struct UnknownColor(String);

impl std::fmt::Display for UnknownColor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unknown color: {}", self.0)
    }
}
impl std::error::Error for UnknownColor {}

impl ToSql for Color {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Color::Red => "red".into(),
            Color::Green => ToSqlOutput::from("green".to_string()),
        })
    }
}

impl FromSql for Color {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        match value.as_str()? {
            "red" => Ok(Color::Red),
            "green" => Ok(Color::Green),
            other => Err(FromSqlError::Other(Box::new(UnknownColor(
                other.to_string(),
            )))),
        }
    }
}

/// A percentage stored as INTEGER 0..=100, rejecting others with OutOfRange.
#[derive(Debug, PartialEq)]
struct Percent(u8);

impl ToSql for Percent {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        if self.0 > 100 {
            return Err(Error::ToSqlConversionFailure(Box::new(UnknownColor(
                format!("{}%", self.0),
            ))));
        }
        Ok(ToSqlOutput::from(self.0))
    }
}

impl FromSql for Percent {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let i = value.as_i64()?;
        if (0..=100).contains(&i) {
            Ok(Percent(i as u8))
        } else {
            Err(FromSqlError::OutOfRange(i))
        }
    }
}

/// `a == b`, spelled as a call so comparing a value with itself is not linted.
fn same<T: PartialEq>(a: &T, b: &T) -> bool {
    a == b
}

cases! {
    fn value_ref_as_i64() {
        assert_eq!(ValueRef::Integer(7).as_i64(), Ok(7));
        assert_eq!(ValueRef::Real(7.0).as_i64(), Err(FromSqlError::InvalidType));
        assert_eq!(ValueRef::Text(b"7").as_i64(), Err(FromSqlError::InvalidType));
        assert_eq!(ValueRef::Null.as_i64(), Err(FromSqlError::InvalidType));
        assert_eq!(ValueRef::Integer(7).as_i64_or_null(), Ok(Some(7)));
        assert_eq!(ValueRef::Null.as_i64_or_null(), Ok(None));
        assert_eq!(ValueRef::Blob(b"").as_i64_or_null(), Err(FromSqlError::InvalidType));
        Ok(())
    }

    /// as_f64 accepts only Real, not Integer (unlike FromSql for f64).
    fn value_ref_as_f64_is_real_only() {
        assert_eq!(ValueRef::Real(1.5).as_f64(), Ok(1.5));
        assert_eq!(ValueRef::Integer(1).as_f64(), Err(FromSqlError::InvalidType));
        assert_eq!(ValueRef::Null.as_f64(), Err(FromSqlError::InvalidType));
        assert_eq!(ValueRef::Real(1.5).as_f64_or_null(), Ok(Some(1.5)));
        assert_eq!(ValueRef::Null.as_f64_or_null(), Ok(None));
        assert_eq!(ValueRef::Integer(1).as_f64_or_null(), Err(FromSqlError::InvalidType));
        assert_eq!(f64::column_result(ValueRef::Integer(1)), Ok(1.0));
        Ok(())
    }

    fn value_ref_as_str() {
        assert_eq!(ValueRef::Text(b"hi").as_str(), Ok("hi"));
        assert_eq!(ValueRef::Blob(b"hi").as_str(), Err(FromSqlError::InvalidType));
        assert_eq!(ValueRef::Integer(1).as_str(), Err(FromSqlError::InvalidType));
        assert_eq!(ValueRef::Text(b"").as_str_or_null(), Ok(Some("")));
        assert_eq!(ValueRef::Null.as_str_or_null(), Ok(None));
        assert_eq!(ValueRef::Real(0.0).as_str_or_null(), Err(FromSqlError::InvalidType));
        Ok(())
    }

    /// Invalid UTF-8 in Text gives FromSqlError::Other wrapping a Utf8Error.
    #[only_0_34("pins 0.34's FromSqlError::Other for invalid UTF-8; 0.39+ have FromSqlError::Utf8Error (newer::value_conversions_report_utf8_errors)")]
    fn value_ref_as_str_invalid_utf8() {
        let e = ValueRef::Text(b"a\xffb").as_str().unwrap_err();
        match &e {
            FromSqlError::Other(inner) => assert!(inner.downcast_ref::<std::str::Utf8Error>().is_some()),
            other => panic!("{other:?}"),
        }
        assert_eq!(e.to_string(), "invalid utf-8 sequence of 1 bytes from index 1");
        // Other is never equal, not even to itself
        assert_ne!(e, ValueRef::Text(b"a\xffb").as_str().unwrap_err());
        assert!(matches!(ValueRef::Text(b"\xff").as_str_or_null(), Err(FromSqlError::Other(_))));
        Ok(())
    }

    fn value_ref_as_blob_and_bytes() {
        assert_eq!(ValueRef::Blob(b"\x01").as_blob(), Ok(&b"\x01"[..]));
        assert_eq!(ValueRef::Text(b"t").as_blob(), Err(FromSqlError::InvalidType));
        assert_eq!(ValueRef::Null.as_blob_or_null(), Ok(None));
        assert_eq!(ValueRef::Blob(b"").as_blob_or_null(), Ok(Some(&b""[..])));
        assert_eq!(ValueRef::Integer(0).as_blob_or_null(), Err(FromSqlError::InvalidType));
        assert_eq!(ValueRef::Text(b"t").as_bytes(), Ok(&b"t"[..]));
        assert_eq!(ValueRef::Blob(b"b").as_bytes(), Ok(&b"b"[..]));
        assert_eq!(ValueRef::Integer(1).as_bytes(), Err(FromSqlError::InvalidType));
        assert_eq!(ValueRef::Null.as_bytes(), Err(FromSqlError::InvalidType));
        assert_eq!(ValueRef::Null.as_bytes_or_null(), Ok(None));
        assert_eq!(ValueRef::Text(b"\xff").as_bytes_or_null(), Ok(Some(&b"\xff"[..])));
        assert_eq!(ValueRef::Real(1.0).as_bytes_or_null(), Err(FromSqlError::InvalidType));
        Ok(())
    }

    fn value_ref_data_type_and_from_impls() {
        assert_eq!(ValueRef::Null.data_type(), Type::Null);
        assert_eq!(ValueRef::Integer(0).data_type(), Type::Integer);
        assert_eq!(ValueRef::Real(0.0).data_type(), Type::Real);
        assert_eq!(ValueRef::Text(b"").data_type(), Type::Text);
        assert_eq!(ValueRef::Blob(b"").data_type(), Type::Blob);
        assert_eq!(ValueRef::from("s"), ValueRef::Text(b"s"));
        assert_eq!(ValueRef::from(&b"\x00"[..]), ValueRef::Blob(b"\x00"));
        assert_eq!(ValueRef::from(None::<&str>), ValueRef::Null);
        assert_eq!(ValueRef::from(Some("x")), ValueRef::Text(b"x"));
        let v = Value::Text("owned".into());
        assert_eq!(ValueRef::from(&v), ValueRef::Text(b"owned"));
        assert_eq!(ValueRef::from(&Value::Real(2.0)), ValueRef::Real(2.0));
        assert_eq!(ValueRef::from(&Value::Blob(vec![3])), ValueRef::Blob(&[3]));
        assert_eq!(ValueRef::from(&Value::Null), ValueRef::Null);
        Ok(())
    }

    fn value_from_impls() {
        assert_eq!(Value::from(Null), Value::Null);
        assert_eq!(Value::from(true), Value::Integer(1));
        assert_eq!(Value::from(false), Value::Integer(0));
        assert_eq!(Value::from(-1i8), Value::Integer(-1));
        assert_eq!(Value::from(2i16), Value::Integer(2));
        assert_eq!(Value::from(3i32), Value::Integer(3));
        assert_eq!(Value::from(i64::MIN), Value::Integer(i64::MIN));
        assert_eq!(Value::from(5isize), Value::Integer(5));
        assert_eq!(Value::from(255u8), Value::Integer(255));
        assert_eq!(Value::from(65535u16), Value::Integer(65535));
        assert_eq!(Value::from(u32::MAX), Value::Integer(4_294_967_295));
        assert_eq!(Value::from(2f32), Value::Real(2.0));
        assert_eq!(Value::from(0.1f32), Value::Real(0.1f32 as f64));
        assert_eq!(Value::from(3.5f64), Value::Real(3.5));
        assert_eq!(Value::from("s".to_string()), Value::Text("s".into()));
        assert_eq!(Value::from(vec![0u8]), Value::Blob(vec![0]));
        assert_eq!(Value::from(Some(4i32)), Value::Integer(4));
        assert_eq!(Value::from(None::<String>), Value::Null);
        Ok(())
    }

    #[only_0_34("converts with `From<ValueRef> for Value`, which rusqlite 0.39 replaced by `TryFrom`")]
    fn value_from_value_ref() {
        assert_eq!(Value::from(ValueRef::Null), Value::Null);
        assert_eq!(Value::from(ValueRef::Integer(9)), Value::Integer(9));
        assert_eq!(Value::from(ValueRef::Real(-1.0)), Value::Real(-1.0));
        assert_eq!(Value::from(ValueRef::Text(b"txt")), Value::Text("txt".into()));
        assert_eq!(Value::from(ValueRef::Blob(b"\x00\x01")), Value::Blob(vec![0, 1]));
        Ok(())
    }

    fn value_data_type_clone_and_eq() {
        assert_eq!(Value::Null.data_type(), Type::Null);
        assert_eq!(Value::Integer(0).data_type(), Type::Integer);
        assert_eq!(Value::Real(0.0).data_type(), Type::Real);
        assert_eq!(Value::Text(String::new()).data_type(), Type::Text);
        assert_eq!(Value::Blob(vec![]).data_type(), Type::Blob);
        let v = Value::Text("c".into());
        assert_eq!(v.clone(), v);
        assert_ne!(Value::Integer(1), Value::Real(1.0));
        assert_ne!(Value::Text("a".into()), Value::Blob(b"a".to_vec()));
        // derived float equality: NaN != NaN
        assert_ne!(Value::Real(f64::NAN), Value::Real(f64::NAN));
        Ok(())
    }

    fn value_and_value_ref_debug_format() {
        assert_eq!(format!("{:?}", Value::Integer(1)), "Integer(1)");
        assert_eq!(format!("{:?}", Value::Real(1.5)), "Real(1.5)");
        assert_eq!(format!("{:?}", Value::Text("x".into())), "Text(\"x\")");
        assert_eq!(format!("{:?}", Value::Blob(vec![1, 2])), "Blob([1, 2])");
        assert_eq!(format!("{:?}", Value::Null), "Null");
        // ValueRef::Text holds bytes, so Debug shows the byte list
        assert_eq!(format!("{:?}", ValueRef::Text(b"x")), "Text([120])");
        assert_eq!(format!("{:?}", ValueRef::Integer(-2)), "Integer(-2)");
        Ok(())
    }

    fn type_display_and_debug() {
        assert_eq!(Type::Null.to_string(), "Null");
        assert_eq!(Type::Integer.to_string(), "Integer");
        assert_eq!(Type::Real.to_string(), "Real");
        assert_eq!(Type::Text.to_string(), "Text");
        assert_eq!(Type::Blob.to_string(), "Blob");
        assert_eq!(format!("{:?}", Type::Blob), "Blob");
        // Display honours width/alignment (it uses Formatter::pad)
        assert_eq!(format!("[{:>8}]", Type::Text), "[    Text]");
        assert_eq!(format!("[{:<5}]", Type::Real), "[Real ]");
        let t = Type::Integer;
        let copy = t;
        assert_eq!(t, copy);
        assert_ne!(Type::Integer, Type::Real);
        Ok(())
    }

    fn to_sql_output_from_impls() {
        assert_eq!(ToSqlOutput::from("s"), ToSqlOutput::Borrowed(ValueRef::Text(b"s")));
        assert_eq!(ToSqlOutput::from(&b"b"[..]), ToSqlOutput::Borrowed(ValueRef::Blob(b"b")));
        let v = Value::Integer(3);
        assert_eq!(ToSqlOutput::from(&v), ToSqlOutput::Borrowed(ValueRef::Integer(3)));
        assert_eq!(ToSqlOutput::from("s".to_string()), ToSqlOutput::Owned(Value::Text("s".into())));
        assert_eq!(ToSqlOutput::from(Null), ToSqlOutput::Owned(Value::Null));
        assert_eq!(ToSqlOutput::from(true), ToSqlOutput::Owned(Value::Integer(1)));
        assert_eq!(ToSqlOutput::from(7i8), ToSqlOutput::Owned(Value::Integer(7)));
        assert_eq!(ToSqlOutput::from(7u32), ToSqlOutput::Owned(Value::Integer(7)));
        assert_eq!(ToSqlOutput::from(7i64), ToSqlOutput::Owned(Value::Integer(7)));
        assert_eq!(ToSqlOutput::from(7isize), ToSqlOutput::Owned(Value::Integer(7)));
        assert_eq!(ToSqlOutput::from(0.5f32), ToSqlOutput::Owned(Value::Real(0.5)));
        assert_eq!(ToSqlOutput::from(0.5f64), ToSqlOutput::Owned(Value::Real(0.5)));
        assert_eq!(ToSqlOutput::from(vec![1u8]), ToSqlOutput::Owned(Value::Blob(vec![1])));
        assert_eq!(ToSqlOutput::from(NonZeroI32::new(-4).unwrap()), ToSqlOutput::Owned(Value::Integer(-4)));
        assert_eq!(ToSqlOutput::from(NonZeroU8::new(4).unwrap()), ToSqlOutput::Owned(Value::Integer(4)));
        // Borrowed and Owned are different variants even for the same value
        assert_ne!(ToSqlOutput::Borrowed(ValueRef::Integer(1)), ToSqlOutput::Owned(Value::Integer(1)));
        Ok(())
    }

    /// What `to_sql()` returns for std types: strings and blobs borrow, numbers are owned.
    fn to_sql_of_std_types() {
        assert_eq!(5i32.to_sql()?, ToSqlOutput::Owned(Value::Integer(5)));
        assert_eq!(true.to_sql()?, ToSqlOutput::Owned(Value::Integer(1)));
        assert_eq!(2.5f64.to_sql()?, ToSqlOutput::Owned(Value::Real(2.5)));
        assert_eq!("x".to_sql()?, ToSqlOutput::Borrowed(ValueRef::Text(b"x")));
        assert_eq!("y".to_string().to_sql()?, ToSqlOutput::Borrowed(ValueRef::Text(b"y")));
        assert_eq!(vec![1u8].to_sql()?, ToSqlOutput::Borrowed(ValueRef::Blob(&[1])));
        assert_eq!([2u8, 3].to_sql()?, ToSqlOutput::Borrowed(ValueRef::Blob(&[2, 3])));
        assert_eq!(None::<i32>.to_sql()?, ToSqlOutput::Owned(Value::Null));
        assert_eq!(Some(8u16).to_sql()?, ToSqlOutput::Owned(Value::Integer(8)));
        assert_eq!(Null.to_sql()?, ToSqlOutput::Owned(Value::Null));
        assert_eq!(Value::Real(1.0).to_sql()?, ToSqlOutput::Borrowed(ValueRef::Real(1.0)));
        assert_eq!(0u64.to_sql()?, ToSqlOutput::Owned(Value::Integer(0)));
        assert_eq!((i64::MAX as usize).to_sql()?, ToSqlOutput::Owned(Value::Integer(i64::MAX)));
        Ok(())
    }

    /// ToSqlOutput::to_sql turns Owned into a Borrowed view of the same value.
    fn to_sql_output_to_sql_borrows() {
        assert_eq!(ToSqlOutput::Owned(Value::Null).to_sql()?, ToSqlOutput::Borrowed(ValueRef::Null));
        assert_eq!(ToSqlOutput::Borrowed(ValueRef::Null).to_sql()?, ToSqlOutput::Borrowed(ValueRef::Null));
        let o = ToSqlOutput::Owned(Value::Text("t".into()));
        assert_eq!(o.to_sql()?, ToSqlOutput::Borrowed(ValueRef::Text(b"t")));
        assert_eq!(o.clone(), o);
        Ok(())
    }

    fn u64_to_sql_out_of_range_error() {
        let e = u64::MAX.to_sql().unwrap_err();
        assert!(matches!(e, Error::ToSqlConversionFailure(_)), "{e:?}");
        assert_eq!(e.to_string(), "out of range integral type conversion attempted");
        assert!((i64::MAX as u64 + 1).to_sql().is_err());
        assert!(usize::MAX.to_sql().is_err());
        Ok(())
    }

    /// FromSql impls called directly on ValueRefs.
    fn from_sql_column_result_direct() {
        assert_eq!(i32::column_result(ValueRef::Integer(5)), Ok(5));
        assert_eq!(u8::column_result(ValueRef::Integer(300)), Err(FromSqlError::OutOfRange(300)));
        assert_eq!(i64::column_result(ValueRef::Real(1.0)), Err(FromSqlError::InvalidType));
        assert_eq!(NonZeroI32::column_result(ValueRef::Integer(0)), Err(FromSqlError::OutOfRange(0)));
        assert_eq!(bool::column_result(ValueRef::Integer(-5)), Ok(true));
        assert_eq!(String::column_result(ValueRef::Text(b"s")), Ok("s".to_string()));
        assert_eq!(Vec::<u8>::column_result(ValueRef::Blob(b"b")), Ok(b"b".to_vec()));
        assert_eq!(Vec::<u8>::column_result(ValueRef::Text(b"b")), Err(FromSqlError::InvalidType));
        assert_eq!(<[u8; 2]>::column_result(ValueRef::Blob(b"abc")), Err(FromSqlError::InvalidBlobSize { expected_size: 2, blob_size: 3 }));
        assert_eq!(Option::<i64>::column_result(ValueRef::Null), Ok(None));
        assert_eq!(Option::<i64>::column_result(ValueRef::Text(b"x")), Err(FromSqlError::InvalidType));
        assert_eq!(Value::column_result(ValueRef::Real(0.5)), Ok(Value::Real(0.5)));
        assert_eq!(f32::column_result(ValueRef::Integer(3)), Ok(3.0));
        Ok(())
    }

    fn from_sql_error_display() {
        assert_eq!(FromSqlError::InvalidType.to_string(), "Invalid type");
        assert_eq!(FromSqlError::OutOfRange(-3).to_string(), "Value -3 out of range");
        assert_eq!(
            FromSqlError::InvalidBlobSize { expected_size: 16, blob_size: 4 }.to_string(),
            "Cannot read 16 byte value out of 4 byte blob"
        );
        assert_eq!(FromSqlError::Other(Box::new(UnknownColor("x".into()))).to_string(), "unknown color: x");
        assert_eq!(format!("{:?}", FromSqlError::OutOfRange(1)), "OutOfRange(1)");
        assert_eq!(format!("{:?}", FromSqlError::InvalidType), "InvalidType");
        Ok(())
    }

    /// Equal payloads compare equal; Other never does.
    fn from_sql_error_partial_eq() {
        assert!(same(&FromSqlError::InvalidType, &FromSqlError::InvalidType));
        assert!(same(&FromSqlError::OutOfRange(1), &FromSqlError::OutOfRange(1)));
        assert_ne!(FromSqlError::OutOfRange(1), FromSqlError::OutOfRange(2));
        assert!(same(
            &FromSqlError::InvalidBlobSize { expected_size: 1, blob_size: 2 },
            &FromSqlError::InvalidBlobSize { expected_size: 1, blob_size: 2 }
        ));
        assert_ne!(
            FromSqlError::InvalidBlobSize { expected_size: 1, blob_size: 2 },
            FromSqlError::InvalidBlobSize { expected_size: 2, blob_size: 1 }
        );
        assert_ne!(FromSqlError::InvalidType, FromSqlError::OutOfRange(0));
        let a = FromSqlError::Other(Box::new(UnknownColor("a".into())));
        let b = FromSqlError::Other(Box::new(UnknownColor("a".into())));
        assert_ne!(a, b);
        assert!(!same(&a, &a));
        Ok(())
    }

    fn from_sql_error_source() {
        use std::error::Error as _;
        assert!(FromSqlError::InvalidType.source().is_none());
        assert!(FromSqlError::OutOfRange(1).source().is_none());
        let e = FromSqlError::Other(Box::new(UnknownColor("z".into())));
        let src = e.source().expect("Other has a source");
        assert_eq!(src.to_string(), "unknown color: z");
        assert!(src.downcast_ref::<UnknownColor>().is_some());
        Ok(())
    }

    fn user_enum_round_trips_as_text() {
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE c(v)")?;
        db.execute("INSERT INTO c VALUES (?1), (?2)", [Color::Red, Color::Green])?;
        let got: Vec<(String, Color)> = db
            .prepare("SELECT typeof(v), v FROM c ORDER BY rowid")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        assert_eq!(got, vec![("text".to_string(), Color::Red), ("text".to_string(), Color::Green)]);
        let raw: String = db.query_row("SELECT group_concat(v, ',') FROM c", [], |r| r.get(0))?;
        assert_eq!(raw, "red,green");
        assert_eq!(Color::Red.to_sql()?, ToSqlOutput::Borrowed(ValueRef::Text(b"red")));
        assert_eq!(Color::Green.to_sql()?, ToSqlOutput::Owned(Value::Text("green".into())));
        Ok(())
    }

    /// A FromSqlError::Other from a user impl surfaces as FromSqlConversionFailure(idx, actual type, inner).
    fn user_enum_unknown_text_is_conversion_failure() {
        let db = crate::open()?;
        let e = db.query_row("SELECT 1, 'purple'", [], |r| r.get::<_, Color>(1)).unwrap_err();
        match &e {
            Error::FromSqlConversionFailure(1, Type::Text, inner) => {
                assert_eq!(inner.downcast_ref::<UnknownColor>().map(|u| u.0.as_str()), Some("purple"));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(e.to_string(), "Conversion error from type Text at index: 1, unknown color: purple");
        use std::error::Error as _;
        assert_eq!(e.source().map(|s| s.to_string()).as_deref(), Some("unknown color: purple"));
        Ok(())
    }

    /// InvalidType from a user impl surfaces as InvalidColumnType with the column name.
    fn user_enum_wrong_storage_class_is_invalid_column_type() {
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE c(v); INSERT INTO c VALUES (3)")?;
        let e = db.query_row("SELECT v FROM c", [], |r| r.get::<_, Color>(0)).unwrap_err();
        assert_eq!(e, Error::InvalidColumnType(0, "v".into(), Type::Integer));
        let e = db.query_row("SELECT NULL AS v", [], |r| r.get::<_, Color>("v")).unwrap_err();
        assert_eq!(e, Error::InvalidColumnType(0, "v".into(), Type::Null));
        assert_eq!(db.query_row("SELECT NULL", [], |r| r.get::<_, Option<Color>>(0))?, None);
        assert_eq!(db.query_row("SELECT 'green'", [], |r| r.get::<_, Option<Color>>(0))?, Some(Color::Green));
        Ok(())
    }

    /// OutOfRange from a user impl becomes IntegralValueOutOfRange; a failing to_sql aborts the statement.
    fn user_newtype_range_checks_both_ways() {
        let db = crate::open()?;
        assert_eq!(db.query_row("SELECT ?1", [Percent(40)], |r| r.get::<_, Percent>(0))?, Percent(40));
        let e = db.query_row("SELECT 150", [], |r| r.get::<_, Percent>(0)).unwrap_err();
        assert_eq!(e, Error::IntegralValueOutOfRange(0, 150));
        db.execute_batch("CREATE TABLE p(x)")?;
        let e = db.execute("INSERT INTO p VALUES (?1)", [Percent(101)]).unwrap_err();
        assert!(matches!(e, Error::ToSqlConversionFailure(_)), "{e:?}");
        assert_eq!(e.to_string(), "unknown color: 101%");
        let n: i64 = db.query_row("SELECT count(*) FROM p", [], |r| r.get(0))?;
        assert_eq!(n, 0);
        Ok(())
    }

    /// Null is a unit marker with Copy + Clone; both bind as NULL.
    fn null_marker_is_copy() {
        let n = Null;
        let m = n;
        assert_eq!(n.to_sql()?, m.to_sql()?);
        assert_eq!(Value::from(m), Value::Null);
        Ok(())
    }
}
