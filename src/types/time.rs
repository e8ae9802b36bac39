//! [`ToSql`] and [`FromSql`] for the `time` crate's [`OffsetDateTime`], [`PrimitiveDateTime`],
//! [`Date`] and [`Time`], stored as text.
//!
//! Reading accepts formats 2 to 10 of SQLite's
//! [time values](https://sqlite.org/lang_datefunc.html#time_values), like rusqlite 0.34:
//! `YYYY-MM-DD HH:MM[:SS[.SSS]]` with a space or `T` separator, `HH:MM[:SS[.SSS]]`, and for
//! `OffsetDateTime` an optional `Z` or `[+-]HH:MM` suffix (none means UTC). Seconds default to
//! zero. A time zone without a date, and the other forms on that page, are not supported.

use time::format_description::BorrowedFormatItem;
use time::macros::format_description;
use time::{Date, OffsetDateTime, PrimitiveDateTime, Time, UtcDateTime};

use crate::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use crate::{Error, Result};

type Format = &'static [BorrowedFormatItem<'static>];

// What `to_sql` writes. `[subsecond]` prints as few digits as the value needs (at least one).
const WRITE_OFFSET_DATE_TIME: Format = format_description!(
    version = 2,
    "[year]-[month]-[day] [hour]:[minute]:[second].[subsecond][offset_hour sign:mandatory]:[offset_minute]"
);
const WRITE_PRIMITIVE_DATE_TIME: Format = format_description!(
    version = 2,
    "[year]-[month]-[day] [hour]:[minute]:[second].[subsecond]"
);
const WRITE_TIME: Format = format_description!(version = 2, "[hour]:[minute]:[second].[subsecond]");

// What `column_result` accepts.
const DATE: Format = format_description!(version = 2, "[year]-[month]-[day]");
const READ_TIME: Format = format_description!(
    version = 2,
    "[hour]:[minute][optional [:[second][optional [.[subsecond]]]]]"
);
const READ_PRIMITIVE_DATE_TIME: Format = format_description!(
    version = 2,
    "[year]-[month]-[day][first [ ][T]][hour]:[minute][optional [:[second][optional [.[subsecond]]]]]"
);
const READ_UTC_DATE_TIME: Format = format_description!(
    version = 2,
    "[year]-[month]-[day][first [ ][T]][hour]:[minute][optional [:[second][optional [.[subsecond]]]]][optional [Z]]"
);
const READ_OFFSET_DATE_TIME: Format = format_description!(
    version = 2,
    "[year]-[month]-[day][first [ ][T]][hour]:[minute][optional [:[second][optional [.[subsecond]]]]][offset_hour sign:mandatory]:[offset_minute]"
);
/// The format older rusqlite versions wrote: `2013-10-07 08:23:12:987 -07:00`.
const READ_LEGACY_DATE_TIME: Format = format_description!(
    version = 2,
    "[year]-[month]-[day] [hour]:[minute]:[second]:[subsecond] [offset_hour sign:mandatory]:[offset_minute]"
);

fn format_error(e: time::error::Format) -> Error {
    Error::ToSqlConversionFailure(Box::new(e))
}

fn parse_error(e: time::error::Parse) -> FromSqlError {
    FromSqlError::Other(Box::new(e))
}

/// Stored as `"YYYY-MM-DD HH:MM:SS.S…[+-]HH:MM"`, keeping the value's own offset.
impl ToSql for OffsetDateTime {
    #[inline]
    fn to_sql(&self) -> Result<ToSqlOutput<'_>> {
        let s = self.format(WRITE_OFFSET_DATE_TIME).map_err(format_error)?;
        Ok(ToSqlOutput::from(s))
    }
}

/// Reads the date-and-time forms in the module docs, plus rusqlite's legacy
/// `"YYYY-MM-DD HH:MM:SS:SSS [+-]HH:MM"`. Without an offset the value is taken as UTC.
///
/// **Differs from rusqlite:** text shorter than 8 bytes (or with a multi-byte character across
/// byte 8) is a parse error here; rusqlite panics on it.
impl FromSql for OffsetDateTime {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let s = value.as_str()?;
        if s.as_bytes().get(23) == Some(&b' ') {
            return OffsetDateTime::parse(s, READ_LEGACY_DATE_TIME).map_err(parse_error);
        }
        // A sign after the date part (skipping the date's own dashes) means an explicit offset.
        let after_date = s.get(8..).unwrap_or("");
        if after_date.contains(['+', '-']) {
            return OffsetDateTime::parse(s, READ_OFFSET_DATE_TIME).map_err(parse_error);
        }
        PrimitiveDateTime::parse(s, READ_UTC_DATE_TIME)
            .map(PrimitiveDateTime::assume_utc)
            .map_err(parse_error)
    }
}

/// INTEGER unix seconds as an `OffsetDateTime` in UTC, which rusqlite 0.39+ accept (the newer
/// surfaces read INTEGER columns through this; 0.34 refuses them with `InvalidType`). A time
/// outside `time`'s range is `Other` with its `ComponentRange` error, as in rusqlite.
pub(crate) fn offset_date_time_from_unix_seconds(secs: i64) -> FromSqlResult<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp(secs).map_err(|e| FromSqlError::Other(Box::new(e)))
}

/// Stored as `"YYYY-MM-DD"`.
impl ToSql for Date {
    #[inline]
    fn to_sql(&self) -> Result<ToSqlOutput<'_>> {
        let s = self.format(DATE).map_err(format_error)?;
        Ok(ToSqlOutput::from(s))
    }
}

/// Reads `"YYYY-MM-DD"`.
impl FromSql for Date {
    #[inline]
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let s = value.as_str()?;
        Date::parse(s, DATE).map_err(parse_error)
    }
}

/// Stored as `"HH:MM:SS.S…"` (the fraction always has at least one digit).
impl ToSql for Time {
    #[inline]
    fn to_sql(&self) -> Result<ToSqlOutput<'_>> {
        let s = self.format(WRITE_TIME).map_err(format_error)?;
        Ok(ToSqlOutput::from(s))
    }
}

/// Reads `"HH:MM"`, `"HH:MM:SS"` or `"HH:MM:SS.SSS…"`.
impl FromSql for Time {
    #[inline]
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let s = value.as_str()?;
        Time::parse(s, READ_TIME).map_err(parse_error)
    }
}

/// Stored as `"YYYY-MM-DD HH:MM:SS.S…"`.
impl ToSql for PrimitiveDateTime {
    #[inline]
    fn to_sql(&self) -> Result<ToSqlOutput<'_>> {
        let s = self
            .format(WRITE_PRIMITIVE_DATE_TIME)
            .map_err(format_error)?;
        Ok(ToSqlOutput::from(s))
    }
}

/// Reads `"YYYY-MM-DD HH:MM[:SS[.SSS…]]"`, with a space or `T` separator and no offset.
impl FromSql for PrimitiveDateTime {
    #[inline]
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let s = value.as_str()?;
        PrimitiveDateTime::parse(s, READ_PRIMITIVE_DATE_TIME).map_err(parse_error)
    }
}

/// How a newer surface stores a `time::UtcDateTime` (rusqlite 0.34 has no impl for it): 0.40
/// writes `"YYYY-MM-DD HH:MM:SS.S…"` and reads what `PrimitiveDateTime` reads; 0.42+
/// (`z_suffix`) writes a trailing `Z` and reads an optional one.
pub(crate) fn utc_date_time_to_text(value: &UtcDateTime, z_suffix: bool) -> Result<String> {
    let format = if z_suffix {
        READ_UTC_DATE_TIME
    } else {
        WRITE_PRIMITIVE_DATE_TIME
    };
    value.format(format).map_err(format_error)
}

/// Reads a `time::UtcDateTime` from TEXT as [`utc_date_time_to_text`] describes.
pub(crate) fn utc_date_time_from_sql(
    value: ValueRef<'_>,
    z_suffix: bool,
) -> FromSqlResult<UtcDateTime> {
    let format = if z_suffix {
        READ_UTC_DATE_TIME
    } else {
        READ_PRIMITIVE_DATE_TIME
    };
    UtcDateTime::parse(value.as_str()?, format).map_err(parse_error)
}

#[cfg(test)]
mod test {
    use crate::types::{FromSql, FromSqlError, ToSql, ToSqlOutput, Value, ValueRef};
    use time::macros::{date, datetime, time};
    use time::{Date, OffsetDateTime, PrimitiveDateTime, Time};

    fn stored<T: ToSql>(t: &T) -> String {
        match t.to_sql().unwrap() {
            ToSqlOutput::Owned(Value::Text(s)) => s,
            other => panic!("expected owned text, got {other:?}"),
        }
    }

    fn read<T: FromSql>(s: &str) -> Result<T, FromSqlError> {
        T::column_result(ValueRef::Text(s.as_bytes()))
    }

    #[test]
    fn offset_date_time_round_trip() {
        let at = |secs: i128, nanos: i128| {
            OffsetDateTime::from_unix_timestamp_nanos(1_000_000_000 * secs + nanos).unwrap()
        };
        for ts in [
            at(10_000, 0),
            at(10_000, 1000),
            at(1_500_391_124, 1_000_000),
            at(2_000_000_000, 2_000_000),
            at(3_000_000_000, 999_999_999),
            at(10_000_000_000, 0),
        ] {
            assert_eq!(read::<OffsetDateTime>(&stored(&ts)), Ok(ts));
        }
        let odt = datetime!(2013-10-07 8:23:19.5 +4);
        assert_eq!(stored(&odt), "2013-10-07 08:23:19.5+04:00");
        assert_eq!(
            stored(&datetime!(1970-01-01 0:00 UTC)),
            "1970-01-01 00:00:00.0+00:00"
        );
    }

    #[test]
    fn offset_date_time_parsing() {
        let cases = [
            (
                "2013-10-07T08:23:19.123456789Z",
                datetime!(2013-10-07 8:23:19.123456789 UTC),
            ),
            (
                "2013-10-07 08:23:19.123456789Z",
                datetime!(2013-10-07 8:23:19.123456789 UTC),
            ),
            ("2013-10-07 08:23", datetime!(2013-10-07 8:23 UTC)),
            ("2013-10-07 08:23Z", datetime!(2013-10-07 8:23 UTC)),
            ("2013-10-07 08:23+04:00", datetime!(2013-10-07 8:23 +4)),
            ("2013-10-07 08:23:19", datetime!(2013-10-07 8:23:19 UTC)),
            ("2013-10-07 08:23:19Z", datetime!(2013-10-07 8:23:19 UTC)),
            (
                "2013-10-07 08:23:19+04:00",
                datetime!(2013-10-07 8:23:19 +4),
            ),
            (
                "2013-10-07 08:23:19.123",
                datetime!(2013-10-07 8:23:19.123 UTC),
            ),
            (
                "2013-10-07 08:23:19.123Z",
                datetime!(2013-10-07 8:23:19.123 UTC),
            ),
            (
                "2013-10-07 08:23:19.123+04:00",
                datetime!(2013-10-07 8:23:19.123 +4),
            ),
            ("2013-10-07T08:23", datetime!(2013-10-07 8:23 UTC)),
            ("2013-10-07T08:23Z", datetime!(2013-10-07 8:23 UTC)),
            ("2013-10-07T08:23+04:00", datetime!(2013-10-07 8:23 +4)),
            ("2013-10-07T08:23:19", datetime!(2013-10-07 8:23:19 UTC)),
            ("2013-10-07T08:23:19Z", datetime!(2013-10-07 8:23:19 UTC)),
            (
                "2013-10-07T08:23:19+04:00",
                datetime!(2013-10-07 8:23:19 +4),
            ),
            (
                "2013-10-07T08:23:19.123",
                datetime!(2013-10-07 8:23:19.123 UTC),
            ),
            (
                "2013-10-07T08:23:19.123Z",
                datetime!(2013-10-07 8:23:19.123 UTC),
            ),
            (
                "2013-10-07T08:23:19.123+04:00",
                datetime!(2013-10-07 8:23:19.123 +4),
            ),
            (
                "2013-10-07T08:23:19.123-07:30",
                datetime!(2013-10-07 8:23:19.123 -7:30),
            ),
            // rusqlite's legacy format.
            (
                "2013-10-07 08:23:12:987 -07:00",
                datetime!(2013-10-07 8:23:12.987 -7),
            ),
        ];
        for (s, expected) in cases {
            let got = read::<OffsetDateTime>(s).unwrap_or_else(|e| panic!("{s}: {e}"));
            assert_eq!(got, expected, "{s}");
            assert_eq!(got.offset(), expected.offset(), "{s}");
        }
    }

    #[test]
    fn offset_date_time_bad_text_is_an_error_not_a_panic() {
        for s in [
            "",
            "2013",
            "é-é-é-é",
            "2013-10-07",
            "2013-10-07 8h",
            "2013-10-07 08:23 +4",
        ] {
            match read::<OffsetDateTime>(s) {
                Err(FromSqlError::Other(e)) => assert!(e.is::<time::error::Parse>(), "{s}"),
                other => panic!("{s}: expected a parse error, got {other:?}"),
            }
        }
    }

    #[test]
    fn date() {
        let d = date!(2016 - 02 - 23);
        assert_eq!(stored(&d), "2016-02-23");
        assert_eq!(read::<Date>("2016-02-23"), Ok(d));
        assert_eq!(read::<Date>("2013-10-07"), Ok(date!(2013 - 10 - 07)));
        assert!(read::<Date>("2016-2-23").is_err());
    }

    #[test]
    fn time() {
        let t = time!(23:56:04.00001);
        assert_eq!(stored(&t), "23:56:04.00001");
        assert_eq!(read::<Time>("23:56:04.00001"), Ok(t));
        assert_eq!(stored(&time!(1:02:03)), "01:02:03.0");
        assert_eq!(read::<Time>("08:23"), Ok(time!(08:23)));
        assert_eq!(read::<Time>("08:23:19"), Ok(time!(08:23:19)));
        assert_eq!(read::<Time>("08:23:19.111"), Ok(time!(08:23:19.111)));
        assert!(read::<Time>("08").is_err());
    }

    #[test]
    fn primitive_date_time() {
        let dt = date!(2016 - 02 - 23).with_time(time!(23:56:04));
        assert_eq!(stored(&dt), "2016-02-23 23:56:04.0");
        assert_eq!(read::<PrimitiveDateTime>("2016-02-23 23:56:04.0"), Ok(dt));
        // SQLite's datetime() output.
        assert_eq!(read::<PrimitiveDateTime>("2016-02-23 23:56:04"), Ok(dt));
        let cases = [
            ("2013-10-07T08:23", datetime!(2013-10-07 8:23)),
            ("2013-10-07T08:23:19", datetime!(2013-10-07 8:23:19)),
            ("2013-10-07T08:23:19.111", datetime!(2013-10-07 8:23:19.111)),
            ("2013-10-07 08:23", datetime!(2013-10-07 8:23)),
            ("2013-10-07 08:23:19", datetime!(2013-10-07 8:23:19)),
            ("2013-10-07 08:23:19.111", datetime!(2013-10-07 8:23:19.111)),
        ];
        for (s, expected) in cases {
            assert_eq!(read::<PrimitiveDateTime>(s), Ok(expected), "{s}");
        }
        assert!(read::<PrimitiveDateTime>("2013-10-07 08:23Z").is_err());
    }

    #[test]
    fn sqlite_current_formats() {
        read::<Time>("12:34:56").unwrap();
        read::<Date>("2024-01-31").unwrap();
        read::<PrimitiveDateTime>("2024-01-31 12:34:56").unwrap();
        read::<OffsetDateTime>("2024-01-31 12:34:56").unwrap();
    }

    #[test]
    fn non_text_is_invalid_type() {
        for v in [
            ValueRef::Null,
            ValueRef::Integer(0),
            ValueRef::Blob(b"2016-02-23"),
        ] {
            assert_eq!(
                OffsetDateTime::column_result(v),
                Err(FromSqlError::InvalidType)
            );
            assert_eq!(
                PrimitiveDateTime::column_result(v),
                Err(FromSqlError::InvalidType)
            );
            assert_eq!(Date::column_result(v), Err(FromSqlError::InvalidType));
            assert_eq!(Time::column_result(v), Err(FromSqlError::InvalidType));
        }
    }
}
