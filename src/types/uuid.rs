//! [`ToSql`] and [`FromSql`] for [`uuid::Uuid`], stored as a 16-byte big-endian blob.
//!
//! rusqlite keeps these impls in `value.rs`, `to_sql.rs` and `from_sql.rs`; they are gathered
//! here so each feature has one file. The impl set is the same.

use uuid::Uuid;

use crate::types::{FromSql, FromSqlResult, ToSql, ToSqlOutput, Value, ValueRef};
use crate::Result;

/// The UUID's 16 bytes as a `Blob`.
impl From<Uuid> for Value {
    #[inline]
    fn from(id: Uuid) -> Value {
        Value::Blob(id.as_bytes().to_vec())
    }
}

/// The UUID's 16 bytes as an owned `Blob`.
impl From<Uuid> for ToSqlOutput<'_> {
    #[inline]
    fn from(id: Uuid) -> Self {
        ToSqlOutput::Owned(Value::from(id))
    }
}

/// Binds the UUID as a 16-byte blob (not as text).
impl ToSql for Uuid {
    #[inline]
    fn to_sql(&self) -> Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(*self))
    }
}

/// Reads a blob of exactly 16 bytes. Text, even a hyphenated UUID string, is `InvalidType`; a
/// blob of another length is `InvalidBlobSize`.
impl FromSql for Uuid {
    #[inline]
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        <[u8; 16]>::column_result(value).map(Uuid::from_bytes)
    }
}

#[cfg(test)]
mod test {
    use crate::types::{FromSql, FromSqlError, ToSql, ToSqlOutput, Value, ValueRef};
    use uuid::Uuid;

    const TEXT: &str = "67e55044-10b1-426f-9247-bb680e5fe0c8";

    fn id() -> Uuid {
        Uuid::parse_str(TEXT).unwrap()
    }

    #[test]
    fn to_sql_is_a_big_endian_blob() {
        let expected = vec![
            0x67, 0xe5, 0x50, 0x44, 0x10, 0xb1, 0x42, 0x6f, 0x92, 0x47, 0xbb, 0x68, 0x0e, 0x5f,
            0xe0, 0xc8,
        ];
        assert_eq!(Value::from(id()), Value::Blob(expected.clone()));
        assert_eq!(
            ToSqlOutput::from(id()),
            ToSqlOutput::Owned(Value::Blob(expected.clone()))
        );
        assert_eq!(
            id().to_sql().unwrap(),
            ToSqlOutput::Owned(Value::Blob(expected))
        );
    }

    #[test]
    fn round_trip() {
        let id = id();
        let bytes = id.as_bytes();
        assert_eq!(Uuid::column_result(ValueRef::Blob(bytes)), Ok(id));
        let nil = Uuid::nil();
        assert_eq!(Uuid::column_result(ValueRef::Blob(&[0; 16])), Ok(nil));
    }

    #[test]
    fn only_16_byte_blobs() {
        assert_eq!(
            Uuid::column_result(ValueRef::Text(TEXT.as_bytes())),
            Err(FromSqlError::InvalidType)
        );
        assert_eq!(
            Uuid::column_result(ValueRef::Blob(&[1; 15])),
            Err(FromSqlError::InvalidBlobSize {
                expected_size: 16,
                blob_size: 15
            })
        );
        assert_eq!(
            Uuid::column_result(ValueRef::Null),
            Err(FromSqlError::InvalidType)
        );
        assert_eq!(
            Option::<Uuid>::column_result(ValueRef::Null),
            Ok(None::<Uuid>)
        );
    }
}
