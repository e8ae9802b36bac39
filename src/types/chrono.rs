//! [`ToSql`] and [`FromSql`] for chrono's date and time types, stored as text in the
//! [time string](https://www.sqlite.org/lang_datefunc.html) formats rusqlite 0.34 uses.

use std::fmt::{Display, Write as _};

use chrono::{DateTime, FixedOffset, Local, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};

use crate::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use crate::{Error, Result};

/// Renders a chrono formatter into an owned text output.
///
/// chrono reports a formatting failure through `fmt::Error`, which `to_string` would turn into a
/// panic; here it becomes `ToSqlConversionFailure`. The fixed formats below cannot fail, so this
/// never happens in practice.
fn text(formatted: impl Display) -> Result<ToSqlOutput<'static>> {
    let mut s = String::new();
    write!(s, "{formatted}").map_err(|e| Error::ToSqlConversionFailure(Box::new(e)))?;
    Ok(ToSqlOutput::from(s))
}

fn parse_error(e: chrono::ParseError) -> FromSqlError {
    FromSqlError::Other(Box::new(e))
}

/// True when the date and time are separated by `T` (`YYYY-MM-DDTHH:MM…`) rather than a space.
fn has_t_separator(s: &str) -> bool {
    s.as_bytes().get(10) == Some(&b'T')
}

/// Stored as `"YYYY-MM-DD"`.
impl ToSql for NaiveDate {
    #[inline]
    fn to_sql(&self) -> Result<ToSqlOutput<'_>> {
        text(self.format("%F"))
    }
}

/// Reads `"YYYY-MM-DD"` text.
impl FromSql for NaiveDate {
    #[inline]
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let s = value.as_str()?;
        NaiveDate::parse_from_str(s, "%F").map_err(parse_error)
    }
}

/// Stored as `"HH:MM:SS"`, plus a fraction (`".SSS…"`) only when it is non-zero.
impl ToSql for NaiveTime {
    #[inline]
    fn to_sql(&self) -> Result<ToSqlOutput<'_>> {
        text(self.format("%T%.f"))
    }
}

/// Reads `"HH:MM"`, `"HH:MM:SS"` or `"HH:MM:SS.SSS…"` text.
impl FromSql for NaiveTime {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let s = value.as_str()?;
        let format = match s.len() {
            5 => "%H:%M",
            8 => "%T",
            _ => "%T%.f",
        };
        NaiveTime::parse_from_str(s, format).map_err(parse_error)
    }
}

/// Stored as `"YYYY-MM-DD HH:MM:SS"`, plus a non-zero fraction.
impl ToSql for NaiveDateTime {
    #[inline]
    fn to_sql(&self) -> Result<ToSqlOutput<'_>> {
        text(self.format("%F %T%.f"))
    }
}

/// Reads `"YYYY-MM-DD HH:MM:SS[.SSS…]"`, with a space or a `T` between date and time.
impl FromSql for NaiveDateTime {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let s = value.as_str()?;
        let format = if has_t_separator(s) {
            "%FT%T%.f"
        } else {
            "%F %T%.f"
        };
        NaiveDateTime::parse_from_str(s, format).map_err(parse_error)
    }
}

/// Stored as `"YYYY-MM-DD HH:MM:SS[.SSS…]+00:00"`.
impl ToSql for DateTime<Utc> {
    #[inline]
    fn to_sql(&self) -> Result<ToSqlOutput<'_>> {
        text(self.format("%F %T%.f%:z"))
    }
}

/// Converted to UTC first, then stored as `"YYYY-MM-DD HH:MM:SS[.SSS…]+00:00"`.
impl ToSql for DateTime<Local> {
    #[inline]
    fn to_sql(&self) -> Result<ToSqlOutput<'_>> {
        text(self.with_timezone(&Utc).format("%F %T%.f%:z"))
    }
}

/// Stored with its own offset: `"YYYY-MM-DD HH:MM:SS[.SSS…][+-]HH:MM"`.
impl ToSql for DateTime<FixedOffset> {
    #[inline]
    fn to_sql(&self) -> Result<ToSqlOutput<'_>> {
        text(self.format("%F %T%.f%:z"))
    }
}

/// Reads a date and time with an offset (`Z`, `+HH`, `+HHMM` or `+HH:MM`; space or `T`
/// separator) and converts it to UTC. Text without an offset is read as a `NaiveDateTime` in UTC.
impl FromSql for DateTime<Utc> {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let s = value.as_str()?;
        let format = if has_t_separator(s) {
            "%FT%T%.f%#z"
        } else {
            "%F %T%.f%#z"
        };
        if let Ok(dt) = DateTime::parse_from_str(s, format) {
            return Ok(dt.with_timezone(&Utc));
        }
        NaiveDateTime::column_result(value).map(|naive| Utc.from_utc_datetime(&naive))
    }
}

/// INTEGER unix seconds as a `DateTime<Utc>`, which rusqlite 0.39+ accept for `DateTime<Utc>` and
/// `DateTime<Local>` (the newer surfaces read INTEGER columns through this; 0.34 refuses them
/// with `InvalidType`). A time chrono cannot represent is `OutOfRange`.
pub(crate) fn utc_from_unix_seconds(secs: i64) -> FromSqlResult<DateTime<Utc>> {
    DateTime::from_timestamp(secs, 0).ok_or(FromSqlError::OutOfRange(secs))
}

/// Read as `DateTime<Utc>`, then converted to the local time zone.
impl FromSql for DateTime<Local> {
    #[inline]
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let utc = DateTime::<Utc>::column_result(value)?;
        Ok(utc.with_timezone(&Local))
    }
}

/// Reads RFC 3339 text, or `"YYYY-MM-DD HH:MM:SS[.SSS…][+-]HH:MM"`. The offset is required.
impl FromSql for DateTime<FixedOffset> {
    #[inline]
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let s = value.as_str()?;
        DateTime::parse_from_rfc3339(s)
            .or_else(|_| DateTime::parse_from_str(s, "%F %T%.f%:z"))
            .map_err(parse_error)
    }
}

#[cfg(test)]
mod test {
    use crate::types::{FromSql, FromSqlError, ToSql, ToSqlOutput, Value, ValueRef};
    use chrono::{
        DateTime, Duration, FixedOffset, Local, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc,
    };

    /// What `to_sql` stores, as text.
    fn stored<T: ToSql>(t: &T) -> String {
        match t.to_sql().unwrap() {
            ToSqlOutput::Owned(Value::Text(s)) => s,
            other => panic!("expected owned text, got {other:?}"),
        }
    }

    fn read<T: FromSql>(s: &str) -> Result<T, FromSqlError> {
        T::column_result(ValueRef::Text(s.as_bytes()))
    }

    fn date() -> NaiveDate {
        NaiveDate::from_ymd_opt(2016, 2, 23).unwrap()
    }

    fn date_time(milli: u32) -> NaiveDateTime {
        date().and_time(NaiveTime::from_hms_milli_opt(23, 56, 4, milli).unwrap())
    }

    fn is_parse_error(e: &FromSqlError) -> bool {
        matches!(e, FromSqlError::Other(inner) if inner.is::<chrono::ParseError>())
    }

    #[test]
    fn naive_date() {
        assert_eq!(stored(&date()), "2016-02-23");
        assert_eq!(read::<NaiveDate>("2016-02-23"), Ok(date()));
        assert!(is_parse_error(
            &read::<NaiveDate>("2016/02/23").unwrap_err()
        ));
    }

    #[test]
    fn naive_time() {
        let t = NaiveTime::from_hms_opt(23, 56, 4).unwrap();
        assert_eq!(stored(&t), "23:56:04");
        assert_eq!(read::<NaiveTime>("23:56:04"), Ok(t));
        let t = NaiveTime::from_hms_micro_opt(1, 2, 3, 456).unwrap();
        assert_eq!(stored(&t), "01:02:03.000456");
        assert_eq!(read::<NaiveTime>("01:02:03.000456"), Ok(t));
        assert_eq!(
            read::<NaiveTime>("08:23"),
            Ok(NaiveTime::from_hms_opt(8, 23, 0).unwrap())
        );
        assert!(read::<NaiveTime>("8h23").is_err());
    }

    #[test]
    fn naive_date_time() {
        let dt = date_time(0);
        assert_eq!(stored(&dt), "2016-02-23 23:56:04");
        assert_eq!(read::<NaiveDateTime>("2016-02-23 23:56:04"), Ok(dt));
        assert_eq!(read::<NaiveDateTime>("2016-02-23T23:56:04"), Ok(dt));
        let dt = date_time(789);
        assert_eq!(stored(&dt), "2016-02-23 23:56:04.789");
        assert_eq!(read::<NaiveDateTime>("2016-02-23 23:56:04.789"), Ok(dt));
        assert_eq!(read::<NaiveDateTime>("2016-02-23T23:56:04.789"), Ok(dt));
        assert!(read::<NaiveDateTime>("2016-02-23").is_err());
    }

    #[test]
    fn date_time_utc() {
        let utc = Utc.from_utc_datetime(&date_time(789));
        assert_eq!(stored(&utc), "2016-02-23 23:56:04.789+00:00");
        assert_eq!(
            read::<DateTime<Utc>>("2016-02-23 23:56:04.789+00:00"),
            Ok(utc)
        );
        assert_eq!(read::<DateTime<Utc>>("2016-02-23T23:56:04.789Z"), Ok(utc));
        assert_eq!(
            read::<DateTime<Utc>>("2016-02-24T01:56:04.789+02:00"),
            Ok(utc)
        );
        // No offset: read as naive UTC.
        assert_eq!(read::<DateTime<Utc>>("2016-02-23 23:56:04.789"), Ok(utc));
        assert_eq!(
            read::<DateTime<Utc>>("2016-02-23 23:56:04"),
            Ok(utc - Duration::try_milliseconds(789).unwrap())
        );
    }

    #[test]
    fn lenient_timezones() {
        let epoch = Utc.timestamp_opt(0, 0).unwrap();
        for s in [
            "1970-01-01T00:00:00Z",
            "1970-01-01T00:00:00+00",
            "1970-01-01 00:00:00+0000",
            "1970-01-01 00:00:00+00:00",
            "1970-01-01T01:00:00+01",
        ] {
            assert_eq!(read::<DateTime<Utc>>(s), Ok(epoch), "{s}");
        }
        assert!(read::<DateTime<Utc>>("yesterday").is_err());
    }

    #[test]
    fn date_time_local() {
        let local = Local.from_local_datetime(&date_time(789)).single().unwrap();
        let s = stored(&local);
        assert!(s.ends_with("+00:00"), "{s}");
        assert_eq!(read::<DateTime<Local>>(&s), Ok(local));
    }

    #[test]
    fn date_time_fixed() {
        let time = DateTime::parse_from_rfc3339("2020-04-07T11:23:45+04:00").unwrap();
        let s = stored(&time);
        assert_eq!(s, "2020-04-07 11:23:45+04:00");
        let back = read::<DateTime<FixedOffset>>(&s).unwrap();
        assert_eq!(back, time);
        assert_eq!(back.offset(), time.offset());
        assert_eq!(
            read::<DateTime<FixedOffset>>("2020-04-07T11:23:45+04:00"),
            Ok(time)
        );
        // An offset is required.
        assert!(read::<DateTime<FixedOffset>>("2020-04-07 11:23:45").is_err());
    }

    #[test]
    fn sqlite_current_formats() {
        // CURRENT_TIME, CURRENT_DATE, CURRENT_TIMESTAMP.
        read::<NaiveTime>("12:34:56").unwrap();
        read::<NaiveDate>("2024-01-31").unwrap();
        read::<NaiveDateTime>("2024-01-31 12:34:56").unwrap();
        read::<DateTime<Utc>>("2024-01-31 12:34:56").unwrap();
    }

    #[test]
    fn non_text_is_invalid_type() {
        for v in [
            ValueRef::Null,
            ValueRef::Integer(0),
            ValueRef::Blob(b"2016-02-23"),
        ] {
            assert_eq!(NaiveDate::column_result(v), Err(FromSqlError::InvalidType));
            assert_eq!(NaiveTime::column_result(v), Err(FromSqlError::InvalidType));
            assert_eq!(
                NaiveDateTime::column_result(v),
                Err(FromSqlError::InvalidType)
            );
            assert_eq!(
                DateTime::<Utc>::column_result(v),
                Err(FromSqlError::InvalidType)
            );
            assert_eq!(
                DateTime::<Local>::column_result(v),
                Err(FromSqlError::InvalidType)
            );
            assert_eq!(
                DateTime::<FixedOffset>::column_result(v),
                Err(FromSqlError::InvalidType)
            );
        }
    }

    #[test]
    fn short_or_odd_text_is_an_error_not_a_panic() {
        for s in [
            "",
            "T",
            "2016-02-2",
            "2016-02-23T",
            "\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}",
        ] {
            assert!(read::<NaiveDateTime>(s).is_err());
            assert!(read::<DateTime<Utc>>(s).is_err());
            assert!(read::<DateTime<FixedOffset>>(s).is_err());
            assert!(read::<NaiveTime>(s).is_err());
        }
    }
}
