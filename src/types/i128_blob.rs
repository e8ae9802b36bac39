//! `i128` as a 16-byte BLOB (feature `i128_blob`, as in rusqlite): big-endian with the sign
//! bit flipped, so BLOB comparison orders the values numerically.

use super::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, Value, ValueRef};
use crate::Result;
use std::num::NonZeroI128;

const SIGN_BIT: i128 = 1 << 127;

impl From<i128> for Value {
    fn from(i: i128) -> Value {
        Value::Blob((i ^ SIGN_BIT).to_be_bytes().to_vec())
    }
}

impl From<i128> for ToSqlOutput<'_> {
    fn from(i: i128) -> Self {
        ToSqlOutput::Owned(Value::from(i))
    }
}

impl From<NonZeroI128> for ToSqlOutput<'_> {
    fn from(i: NonZeroI128) -> Self {
        ToSqlOutput::Owned(Value::from(i.get()))
    }
}

impl ToSql for i128 {
    fn to_sql(&self) -> Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(*self))
    }
}

impl ToSql for NonZeroI128 {
    fn to_sql(&self) -> Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(*self))
    }
}

/// A 16-byte BLOB; other sizes are `InvalidBlobSize`, other types `InvalidType`.
impl FromSql for i128 {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<i128> {
        <[u8; 16]>::column_result(value).map(|bytes| i128::from_be_bytes(bytes) ^ SIGN_BIT)
    }
}

/// As `i128`; zero is `OutOfRange(0)`.
impl FromSql for NonZeroI128 {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<NonZeroI128> {
        NonZeroI128::new(i128::column_result(value)?).ok_or(FromSqlError::OutOfRange(0))
    }
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn round_trips_and_orders_like_integers() {
        let values = [i128::MIN, -1, 0, 1, i128::MAX];
        let blobs: Vec<Value> = values.iter().map(|&i| Value::from(i)).collect();
        for (i, blob) in values.iter().zip(&blobs) {
            assert_eq!(i128::column_result(ValueRef::from(blob)), Ok(*i));
        }
        let bytes: Vec<&Vec<u8>> = blobs
            .iter()
            .map(|b| match b {
                Value::Blob(v) => v,
                other => panic!("{other:?}"),
            })
            .collect();
        assert!(bytes.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(
            i128::column_result(ValueRef::Blob(&[1, 2])),
            Err(FromSqlError::InvalidBlobSize {
                expected_size: 16,
                blob_size: 2
            })
        );
        assert_eq!(
            NonZeroI128::column_result(ValueRef::from(&Value::from(0i128))),
            Err(FromSqlError::OutOfRange(0))
        );
    }
}
