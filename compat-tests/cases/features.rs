//! The optional-feature conversions: chrono, serde_json, uuid, url and time. Each case asserts
//! the exact stored text (or blob) through `SELECT typeof(x), x` and what parses back.
use crate::support::one;
use chrono::{DateTime, FixedOffset, Local, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use rusqlite::types::{FromSql, FromSqlError, ToSql, ToSqlOutput, Type, Value};
use rusqlite::{Connection, Error};
use std::fmt::Debug;

/// Stores `v` in an untyped column and returns `(typeof(x), x)` as the raw dynamic value.
fn stored<V: ToSql>(db: &Connection, v: V) -> rusqlite::Result<(String, Value)> {
    db.execute_batch("DROP TABLE IF EXISTS f; CREATE TABLE f(x)")?;
    db.execute("INSERT INTO f VALUES (?1)", [v])?;
    db.query_row("SELECT typeof(x), x FROM f", [], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })
}

/// Reads back what `stored` wrote, as T.
fn read_back<T: FromSql>(db: &Connection) -> rusqlite::Result<T> {
    one(db, "SELECT x FROM f")
}

fn text(s: &str) -> (String, Value) {
    ("text".to_string(), Value::Text(s.to_string()))
}

/// Parses the SQL text literal `s` as T.
fn parse<T: FromSql>(db: &Connection, s: &str) -> rusqlite::Result<T> {
    db.query_row("SELECT ?1", [s], |r| r.get(0))
}

/// Asserts `r` is FromSqlConversionFailure(0, ty, inner) and returns inner's Display.
fn conversion_failure<T: Debug>(r: rusqlite::Result<T>, ty: Type) -> String {
    match r {
        Err(Error::FromSqlConversionFailure(0, t, inner)) if t == ty => inner.to_string(),
        other => panic!("expected FromSqlConversionFailure(0, {ty}, _), got {other:?}"),
    }
}

cases! {
    /// `ToSqlOutput::Arg` (a function argument passed through as its result) is not a value
    /// to bind: `SQLITE_MISUSE` naming it, before anything runs.
    fn to_sql_output_arg_is_not_a_parameter() {
        let db = crate::open()?;
        let arg = ToSqlOutput::Arg(0);
        assert_eq!(arg.to_sql()?, ToSqlOutput::Arg(0));
        match db.query_row("SELECT ?1", [&arg], |r| r.get::<_, i64>(0)) {
            Err(Error::SqliteFailure(e, Some(msg))) => {
                let expected = (rusqlite::ErrorCode::ApiMisuse, "Unsupported value \"Arg(0)\"");
                assert_eq!((e.code, msg.as_str()), expected);
            }
            other => panic!("expected SqliteFailure(SQLITE_MISUSE), got {other:?}"),
        }
        Ok(())
    }

    fn chrono_naive_date() {
        let db = crate::open()?;
        let d = NaiveDate::from_ymd_opt(2016, 2, 23).unwrap();
        assert_eq!(stored(&db, d)?, text("2016-02-23"));
        assert_eq!(read_back::<NaiveDate>(&db)?, d);
        assert_eq!(parse::<NaiveDate>(&db, "0001-01-01")?, NaiveDate::from_ymd_opt(1, 1, 1).unwrap());
        assert_eq!(d.to_sql()?, ToSqlOutput::Owned(Value::Text("2016-02-23".into())));
        Ok(())
    }

    /// NaiveTime uses "%T%.f": no fraction when zero, else 3, 6 or 9 digits.
    fn chrono_naive_time() {
        let db = crate::open()?;
        let t = NaiveTime::from_hms_opt(23, 56, 4).unwrap();
        assert_eq!(stored(&db, t)?, text("23:56:04"));
        assert_eq!(read_back::<NaiveTime>(&db)?, t);
        let t = NaiveTime::from_hms_milli_opt(1, 2, 3, 789).unwrap();
        assert_eq!(stored(&db, t)?, text("01:02:03.789"));
        assert_eq!(read_back::<NaiveTime>(&db)?, t);
        let t = NaiveTime::from_hms_micro_opt(1, 2, 3, 1).unwrap();
        assert_eq!(stored(&db, t)?, text("01:02:03.000001"));
        assert_eq!(read_back::<NaiveTime>(&db)?, t);
        let t = NaiveTime::from_hms_nano_opt(1, 2, 3, 5).unwrap();
        assert_eq!(stored(&db, t)?, text("01:02:03.000000005"));
        // "HH:MM" is accepted on the way back
        assert_eq!(parse::<NaiveTime>(&db, "08:23")?, NaiveTime::from_hms_opt(8, 23, 0).unwrap());
        Ok(())
    }

    fn chrono_naive_date_time() {
        let db = crate::open()?;
        let dt = NaiveDate::from_ymd_opt(2016, 2, 23).unwrap().and_hms_opt(23, 56, 4).unwrap();
        assert_eq!(stored(&db, dt)?, text("2016-02-23 23:56:04"));
        assert_eq!(read_back::<NaiveDateTime>(&db)?, dt);
        let dt2 = NaiveDate::from_ymd_opt(2016, 2, 23).unwrap().and_hms_micro_opt(23, 56, 4, 123_456).unwrap();
        assert_eq!(stored(&db, dt2)?, text("2016-02-23 23:56:04.123456"));
        assert_eq!(read_back::<NaiveDateTime>(&db)?, dt2);
        // the 'T' separator and SQLite's own datetime() output parse too
        assert_eq!(parse::<NaiveDateTime>(&db, "2016-02-23T23:56:04")?, dt);
        assert_eq!(parse::<NaiveDateTime>(&db, "2016-02-23T23:56:04.123456")?, dt2);
        assert_eq!(one::<NaiveDateTime>(&db, "SELECT datetime('2016-02-23 23:56:04.999')")?, dt);
        Ok(())
    }

    fn chrono_date_time_utc() {
        let db = crate::open()?;
        let ndt = NaiveDate::from_ymd_opt(2016, 2, 23).unwrap().and_hms_milli_opt(23, 56, 4, 789).unwrap();
        let utc = Utc.from_utc_datetime(&ndt);
        assert_eq!(stored(&db, utc)?, text("2016-02-23 23:56:04.789+00:00"));
        assert_eq!(read_back::<DateTime<Utc>>(&db)?, utc);
        assert_eq!(parse::<DateTime<Utc>>(&db, "2016-02-23 23:56:04.789")?, utc);
        assert_eq!(parse::<DateTime<Utc>>(&db, "2016-02-23T23:56:04.789Z")?, utc);
        assert_eq!(parse::<DateTime<Utc>>(&db, "2016-02-23T23:56:04.789+00")?, utc);
        // an offset is converted to UTC
        assert_eq!(parse::<DateTime<Utc>>(&db, "2016-02-24 01:56:04.789+02:00")?, utc);
        assert_eq!(parse::<DateTime<Utc>>(&db, "2016-02-23 23:56:04")?, utc - chrono::Duration::milliseconds(789));
        Ok(())
    }

    fn chrono_date_time_fixed_offset() {
        let db = crate::open()?;
        let t = DateTime::parse_from_rfc3339("2020-04-07T11:23:45+04:00").unwrap();
        assert_eq!(stored(&db, t)?, text("2020-04-07 11:23:45+04:00"));
        let back: DateTime<FixedOffset> = read_back(&db)?;
        assert_eq!(back, t);
        assert_eq!(back.offset(), t.offset());
        let back: DateTime<FixedOffset> = parse(&db, "2020-04-07T11:23:45.5-03:30")?;
        assert_eq!(back.offset().local_minus_utc(), -(3 * 3600 + 1800));
        assert_eq!(back.timestamp_subsec_millis(), 500);
        // no offset: neither RFC 3339 nor "%F %T%.f%:z" matches
        let msg = conversion_failure(parse::<DateTime<FixedOffset>>(&db, "2020-04-07 11:23:45"), Type::Text);
        assert_eq!(msg, "premature end of input");
        Ok(())
    }

    /// DateTime<Local> is written in UTC.
    fn chrono_date_time_local_is_stored_as_utc() {
        let db = crate::open()?;
        let utc = Utc.with_ymd_and_hms(2021, 6, 1, 12, 0, 0).unwrap();
        let local: DateTime<Local> = utc.with_timezone(&Local);
        assert_eq!(stored(&db, local)?, text("2021-06-01 12:00:00+00:00"));
        assert_eq!(read_back::<DateTime<Local>>(&db)?, local);
        Ok(())
    }

    fn chrono_parse_errors() {
        let db = crate::open()?;
        let msg = conversion_failure(parse::<NaiveDate>(&db, "not a date"), Type::Text);
        assert_eq!(msg, "input contains invalid characters");
        let msg = conversion_failure(parse::<NaiveDate>(&db, "2016-02-30"), Type::Text);
        assert_eq!(msg, "input is out of range");
        let e = one::<NaiveDate>(&db, "SELECT 20160223").unwrap_err();
        assert_eq!(e, Error::InvalidColumnType(0, "20160223".into(), Type::Integer));
        let e = one::<DateTime<Utc>>(&db, "SELECT NULL").unwrap_err();
        assert_eq!(e, Error::InvalidColumnType(0, "NULL".into(), Type::Null));
        assert_eq!(one::<Option<NaiveTime>>(&db, "SELECT NULL")?, None);
        Ok(())
    }

    fn chrono_reads_sqlite_clock_functions() {
        let db = crate::open()?;
        one::<NaiveTime>(&db, "SELECT CURRENT_TIME")?;
        one::<NaiveDate>(&db, "SELECT CURRENT_DATE")?;
        one::<NaiveDateTime>(&db, "SELECT CURRENT_TIMESTAMP")?;
        one::<DateTime<Utc>>(&db, "SELECT CURRENT_TIMESTAMP")?;
        let within: bool = db.query_row(
            "SELECT ?1 BETWEEN datetime('now', '-1 minute') AND datetime('now', '+1 minute')",
            [Utc::now().naive_utc()],
            |r| r.get(0),
        )?;
        assert!(within);
        Ok(())
    }

    /// Objects, arrays, strings and bools are written as JSON text; i64/f64 numbers as numbers; null as NULL.
    fn serde_json_value_storage() {
        let db = crate::open()?;
        let obj = serde_json::json!({"a": 13, "b": "baz"});
        assert_eq!(stored(&db, &obj)?, text(r#"{"a":13,"b":"baz"}"#));
        assert_eq!(read_back::<serde_json::Value>(&db)?, obj);
        assert_eq!(stored(&db, serde_json::json!([1, 2]))?, text("[1,2]"));
        assert_eq!(stored(&db, serde_json::json!("s"))?, text("\"s\""));
        assert_eq!(stored(&db, serde_json::json!(true))?, text("true"));
        assert_eq!(stored(&db, serde_json::json!(-7))?, ("integer".to_string(), Value::Integer(-7)));
        assert_eq!(stored(&db, serde_json::json!(0.5))?, ("real".to_string(), Value::Real(0.5)));
        assert_eq!(stored(&db, serde_json::json!(u64::MAX))?, text("18446744073709551615"));
        assert_eq!(stored(&db, serde_json::Value::Null)?, ("null".to_string(), Value::Null));
        Ok(())
    }

    fn serde_json_value_reading() {
        let db = crate::open()?;
        assert_eq!(one::<serde_json::Value>(&db, "SELECT 5")?, serde_json::json!(5));
        assert_eq!(one::<serde_json::Value>(&db, "SELECT 0.25")?, serde_json::json!(0.25));
        assert_eq!(one::<serde_json::Value>(&db, "SELECT NULL")?, serde_json::Value::Null);
        assert_eq!(one::<serde_json::Value>(&db, "SELECT 'null'")?, serde_json::Value::Null);
        assert_eq!(one::<serde_json::Value>(&db, "SELECT '[true, {\"k\": []}]'")?, serde_json::json!([true, {"k": []}]));
        assert_eq!(one::<serde_json::Value>(&db, "SELECT CAST('{\"x\":1}' AS BLOB)")?, serde_json::json!({"x": 1}));
        assert_eq!(one::<serde_json::Value>(&db, "SELECT json_object('n', 1)")?, serde_json::json!({"n": 1}));
        Ok(())
    }

    #[local_only("reads an infinite REAL: Hrana carries REAL values as JSON numbers, which are finite (the server sends null), so remotely that read is an error")]
    fn serde_json_value_errors() {
        let db = crate::open()?;
        let msg = conversion_failure(one::<serde_json::Value>(&db, "SELECT 'hello'"), Type::Text);
        assert_eq!(msg, "expected value at line 1 column 1");
        let msg = conversion_failure(one::<serde_json::Value>(&db, "SELECT x'7b'"), Type::Blob);
        assert_eq!(msg, "EOF while parsing an object at line 1 column 1");
        // an infinite REAL has no JSON number
        let e = one::<serde_json::Value>(&db, "SELECT 1e999").unwrap_err();
        assert_eq!(e, Error::InvalidColumnType(0, "1e999".into(), Type::Real));
        Ok(())
    }

    /// Uuid is a 16-byte big-endian BLOB, never text.
    fn uuid_round_trips_as_blob() {
        let db = crate::open()?;
        let id = uuid::Uuid::parse_str("936da01f-9abd-4d9d-80c7-02af85c822a8").unwrap();
        let (t, v) = stored(&db, id)?;
        assert_eq!(t, "blob");
        assert_eq!(v, Value::Blob(id.as_bytes().to_vec()));
        assert_eq!(one::<String>(&db, "SELECT hex(x) FROM f")?, "936DA01F9ABD4D9D80C702AF85C822A8");
        assert_eq!(read_back::<uuid::Uuid>(&db)?, id);
        assert_eq!(Value::from(id), Value::Blob(id.as_bytes().to_vec()));
        assert_eq!(ToSqlOutput::from(id), ToSqlOutput::Owned(Value::Blob(id.as_bytes().to_vec())));
        assert_eq!(one::<uuid::Uuid>(&db, "SELECT zeroblob(16)")?, uuid::Uuid::nil());
        Ok(())
    }

    fn uuid_wrong_size_or_type() {
        let db = crate::open()?;
        let e = one::<uuid::Uuid>(&db, "SELECT x'010203'").unwrap_err();
        match &e {
            Error::FromSqlConversionFailure(0, Type::Blob, inner) => {
                assert_eq!(inner.downcast_ref::<FromSqlError>(), Some(&FromSqlError::InvalidBlobSize { expected_size: 16, blob_size: 3 }));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(e.to_string(), "Conversion error from type Blob at index: 0, Cannot read 16 byte value out of 3 byte blob");
        let e = one::<uuid::Uuid>(&db, "SELECT '936da01f-9abd-4d9d-80c7-02af85c822a8'").unwrap_err();
        assert_eq!(e, Error::InvalidColumnType(0, "'936da01f-9abd-4d9d-80c7-02af85c822a8'".into(), Type::Text));
        assert_eq!(one::<Option<uuid::Uuid>>(&db, "SELECT NULL")?, None);
        Ok(())
    }

    fn url_round_trips_as_text() {
        let db = crate::open()?;
        let u = url::Url::parse("http://www.example1.com").unwrap();
        assert_eq!(stored(&db, &u)?, text("http://www.example1.com/"));
        assert_eq!(read_back::<url::Url>(&db)?, u);
        let u = url::Url::parse("https://example.com/a b?q=ü#frag").unwrap();
        assert_eq!(stored(&db, &u)?, text("https://example.com/a%20b?q=%C3%BC#frag"));
        assert_eq!(read_back::<url::Url>(&db)?, u);
        // text that was not written by Url still parses
        assert_eq!(parse::<url::Url>(&db, "http://www.example2.com/👌")?.as_str(), "http://www.example2.com/%F0%9F%91%8C");
        Ok(())
    }

    fn url_errors() {
        let db = crate::open()?;
        let msg = conversion_failure(parse::<url::Url>(&db, "illegal"), Type::Text);
        assert_eq!(msg, "relative URL without a base");
        match parse::<url::Url>(&db, "illegal") {
            Err(Error::FromSqlConversionFailure(_, _, inner)) => {
                assert_eq!(inner.downcast_ref::<url::ParseError>(), Some(&url::ParseError::RelativeUrlWithoutBase));
            }
            other => panic!("{other:?}"),
        }
        let e = one::<url::Url>(&db, "SELECT 7").unwrap_err();
        assert_eq!(e, Error::InvalidColumnType(0, "7".into(), Type::Integer));
        let e = one::<url::Url>(&db, "SELECT CAST('http://a/' AS BLOB)").unwrap_err();
        assert_eq!(e, Error::InvalidColumnType(0, "CAST('http://a/' AS BLOB)".into(), Type::Blob));
        Ok(())
    }

    /// OffsetDateTime: "Y-M-D H:M:S.subsec+HH:MM", subseconds with as few digits as needed (at least one).
    fn time_offset_date_time_storage() {
        let db = crate::open()?;
        let t = time::macros::datetime!(2013-10-07 08:23:19 UTC);
        assert_eq!(stored(&db, t)?, text("2013-10-07 08:23:19.0+00:00"));
        assert_eq!(read_back::<time::OffsetDateTime>(&db)?, t);
        let t = time::macros::datetime!(2013-10-07 08:23:19.123456789 +4);
        assert_eq!(stored(&db, t)?, text("2013-10-07 08:23:19.123456789+04:00"));
        assert_eq!(read_back::<time::OffsetDateTime>(&db)?, t);
        let t = time::macros::datetime!(2013-10-07 08:23:19.5 -7:30);
        assert_eq!(stored(&db, t)?, text("2013-10-07 08:23:19.5-07:30"));
        assert_eq!(read_back::<time::OffsetDateTime>(&db)?, t);
        Ok(())
    }

    /// Formats 2-7 of SQLite's time values, with or without Z/offset, plus the legacy form.
    fn time_offset_date_time_parsing() {
        let db = crate::open()?;
        use time::macros::datetime;
        let cases = [
            ("2013-10-07T08:23:19.123456789Z", datetime!(2013-10-07 8:23:19.123456789 UTC)),
            ("2013-10-07 08:23", datetime!(2013-10-07 8:23 UTC)),
            ("2013-10-07 08:23Z", datetime!(2013-10-07 8:23 UTC)),
            ("2013-10-07 08:23+04:00", datetime!(2013-10-07 8:23 +4)),
            ("2013-10-07 08:23:19", datetime!(2013-10-07 8:23:19 UTC)),
            ("2013-10-07T08:23:19.123", datetime!(2013-10-07 8:23:19.123 UTC)),
            ("2013-10-07T08:23:19+04:00", datetime!(2013-10-07 8:23:19 +4)),
            ("2013-10-07 08:23:12:987 -07:00", datetime!(2013-10-07 8:23:12.987 -7)),
        ];
        for (s, expected) in cases {
            assert_eq!(parse::<time::OffsetDateTime>(&db, s)?, expected, "{s}");
        }
        one::<time::OffsetDateTime>(&db, "SELECT CURRENT_TIMESTAMP")?;
        Ok(())
    }

    fn time_date_and_time() {
        let db = crate::open()?;
        let d = time::macros::date!(2016 - 02 - 23);
        assert_eq!(stored(&db, d)?, text("2016-02-23"));
        assert_eq!(read_back::<time::Date>(&db)?, d);
        let t = time::macros::time!(23:56:04.00001);
        assert_eq!(stored(&db, t)?, text("23:56:04.00001"));
        assert_eq!(read_back::<time::Time>(&db)?, t);
        let t = time::macros::time!(23:56:04);
        assert_eq!(stored(&db, t)?, text("23:56:04.0"));
        assert_eq!(read_back::<time::Time>(&db)?, t);
        assert_eq!(parse::<time::Time>(&db, "08:23")?, time::macros::time!(08:23));
        assert_eq!(parse::<time::Time>(&db, "08:23:19.111")?, time::macros::time!(08:23:19.111));
        Ok(())
    }

    fn time_primitive_date_time() {
        let db = crate::open()?;
        let dt = time::macros::datetime!(2016-02-23 23:56:04);
        assert_eq!(stored(&db, dt)?, text("2016-02-23 23:56:04.0"));
        assert_eq!(read_back::<time::PrimitiveDateTime>(&db)?, dt);
        assert_eq!(one::<time::PrimitiveDateTime>(&db, "SELECT datetime('2016-02-23 23:56:04')")?, dt);
        assert_eq!(parse::<time::PrimitiveDateTime>(&db, "2016-02-23T23:56")?, time::macros::datetime!(2016-02-23 23:56));
        assert_eq!(parse::<time::PrimitiveDateTime>(&db, "2016-02-23 23:56:04.25")?, time::macros::datetime!(2016-02-23 23:56:04.25));
        Ok(())
    }

    fn time_parse_errors() {
        let db = crate::open()?;
        let msg = conversion_failure(parse::<time::Date>(&db, "2016/02/23"), Type::Text);
        assert_eq!(msg, "a character literal was not valid");
        let msg = conversion_failure(parse::<time::Time>(&db, "25:00"), Type::Text);
        assert_eq!(msg, "the 'hour' component could not be parsed");
        let e = one::<time::Date>(&db, "SELECT 1").unwrap_err();
        assert_eq!(e, Error::InvalidColumnType(0, "1".into(), Type::Integer));
        Ok(())
    }
}
