//! INTEGER unix seconds read as a point in time: rusqlite 0.39 made chrono's `DateTime<Utc>` /
//! `DateTime<Local>` and time's `OffsetDateTime` accept them; 0.34 refuses an INTEGER for those
//! types (`InvalidColumnType`). Compiled under every surface, each expectation per
//! `crate::SURFACE`.
use crate::support::one;
use chrono::{DateTime, Local, TimeZone, Utc};
use rusqlite::types::Type;
use rusqlite::Error;
use std::fmt::Debug;

/// 2016-02-23 23:56:04 UTC as unix seconds.
const SECS: i64 = 1_456_271_764;

fn reads_integers() -> bool {
    crate::SURFACE != "0.34"
}

/// 0.34's answer to an INTEGER read as a date-time type: `InvalidColumnType` at column 0.
fn assert_refused<T: Debug>(r: rusqlite::Result<T>) {
    match r {
        Err(Error::InvalidColumnType(0, _, Type::Integer)) => {}
        other => panic!("expected InvalidColumnType(0, _, Integer), got {other:?}"),
    }
}

cases! {
    fn chrono_date_time_from_unix_seconds() {
        let db = crate::open()?;
        let sql = format!("SELECT {SECS}");
        let expected = Utc.with_ymd_and_hms(2016, 2, 23, 23, 56, 4).unwrap();
        if reads_integers() {
            assert_eq!(one::<DateTime<Utc>>(&db, &sql)?, expected);
            assert_eq!(one::<DateTime<Local>>(&db, &sql)?, expected.with_timezone(&Local));
            let before_epoch = Utc.with_ymd_and_hms(1969, 12, 31, 23, 59, 59).unwrap();
            assert_eq!(one::<DateTime<Utc>>(&db, "SELECT -1")?, before_epoch);
            // Beyond chrono's range: the integer is out of range for the type.
            match one::<DateTime<Utc>>(&db, "SELECT 9223372036854775807") {
                Err(Error::IntegralValueOutOfRange(0, i64::MAX)) => {}
                other => panic!("expected IntegralValueOutOfRange(0, MAX), got {other:?}"),
            }
            // Text is still parsed as before.
            assert_eq!(one::<DateTime<Utc>>(&db, "SELECT '2016-02-23 23:56:04'")?, expected);
        } else {
            assert_refused(one::<DateTime<Utc>>(&db, &sql));
            assert_refused(one::<DateTime<Local>>(&db, &sql));
        }
        // Only the zoned types changed: a naive date-time still refuses an INTEGER.
        assert_refused(one::<chrono::NaiveDateTime>(&db, &sql));
        Ok(())
    }

    fn time_offset_date_time_from_unix_seconds() {
        let db = crate::open()?;
        let sql = format!("SELECT {SECS}");
        if reads_integers() {
            let expected = time::macros::datetime!(2016-02-23 23:56:04 UTC);
            assert_eq!(one::<time::OffsetDateTime>(&db, &sql)?, expected);
            let got = one::<time::OffsetDateTime>(&db, "SELECT 9223372036854775807");
            match got {
                Err(Error::FromSqlConversionFailure(0, Type::Integer, e)) => {
                    assert_eq!(e.to_string(), "timestamp was not in range");
                }
                other => panic!("expected FromSqlConversionFailure(0, Integer, _), got {other:?}"),
            }
        } else {
            assert_refused(one::<time::OffsetDateTime>(&db, &sql));
        }
        assert_refused(one::<time::PrimitiveDateTime>(&db, &sql));
        Ok(())
    }
}
