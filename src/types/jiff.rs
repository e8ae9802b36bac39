//! `jiff` civil types as TEXT (feature `jiff`), in the formats rusqlite 0.34 uses: jiff's own
//! `Display` / `FromStr` (`2016-02-23`, `23:56:04`, `2016-02-23T23:56:04`, with fractional
//! seconds when present).

use super::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use crate::Result;
use jiff::civil::{Date, DateTime, Time};
use std::str::FromStr;

/// Writes and reads the type through its ISO 8601 text form.
macro_rules! jiff_text {
    ($($t:ty),*) => {$(
        impl ToSql for $t {
            fn to_sql(&self) -> Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::from(self.to_string()))
            }
        }

        /// TEXT only; a parse error is `FromSqlError::Other` holding jiff's error.
        impl FromSql for $t {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<$t> {
                let s = value.as_str()?;
                <$t>::from_str(s).map_err(|e| FromSqlError::Other(Box::new(e)))
            }
        }
    )*};
}

jiff_text!(Date, Time, DateTime);

/// How the newer surfaces store a `jiff::Timestamp` (rusqlite 0.34 has no impl for it): its
/// RFC 3339 text in UTC, `"2016-02-23T23:56:04Z"`.
pub(crate) fn timestamp_to_text(value: &jiff::Timestamp) -> String {
    value.to_string()
}

/// Reads a `jiff::Timestamp` as rusqlite 0.39+ do: INTEGER unix seconds, or RFC 3339 TEXT. A
/// parse or range error is `FromSqlError::Other` holding jiff's error.
pub(crate) fn timestamp_from_sql(value: ValueRef<'_>) -> FromSqlResult<jiff::Timestamp> {
    let parsed = match value {
        ValueRef::Integer(secs) => jiff::Timestamp::from_second(secs),
        other => other.as_str()?.parse(),
    };
    parsed.map_err(|e| FromSqlError::Other(Box::new(e)))
}
