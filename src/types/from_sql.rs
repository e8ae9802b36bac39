//! [`FromSql`]: turning a column value into a Rust value.

use super::{Value, ValueRef};
use std::borrow::Cow;
use std::error::Error;
use std::fmt;
use std::num::{
    NonZeroI16, NonZeroI32, NonZeroI64, NonZeroI8, NonZeroIsize, NonZeroU16, NonZeroU32,
    NonZeroU64, NonZeroU8, NonZeroUsize,
};
use std::rc::Rc;
use std::sync::Arc;

/// Why a [`FromSql`] conversion failed.
///
/// When it comes out of `Row::get`, the row code turns it into the column-indexed
/// [`Error`](crate::Error) variant (`InvalidColumnType`, `IntegralValueOutOfRange`,
/// `FromSqlConversionFailure`), exactly as rusqlite does.
#[derive(Debug)]
#[non_exhaustive]
pub enum FromSqlError {
    /// The value's SQLite type cannot be converted to the requested Rust type.
    InvalidType,

    /// The integer does not fit in the requested Rust type.
    OutOfRange(i64),

    /// The blob's length does not match the requested fixed-size type.
    InvalidBlobSize {
        /// The size the Rust type needs.
        expected_size: usize,
        /// The size of the blob SQLite returned.
        blob_size: usize,
    },

    /// Any other failure, for implementors of [`FromSql`] (invalid UTF-8, a parse error, …).
    Other(Box<dyn Error + Send + Sync + 'static>),
}

/// Compares kinds and payloads. `Other` is never equal to anything, itself included, because
/// boxed errors cannot be compared; this matches rusqlite.
impl PartialEq for FromSqlError {
    fn eq(&self, other: &FromSqlError) -> bool {
        match (self, other) {
            (FromSqlError::InvalidType, FromSqlError::InvalidType) => true,
            (FromSqlError::OutOfRange(a), FromSqlError::OutOfRange(b)) => a == b,
            (
                FromSqlError::InvalidBlobSize {
                    expected_size: e1,
                    blob_size: b1,
                },
                FromSqlError::InvalidBlobSize {
                    expected_size: e2,
                    blob_size: b2,
                },
            ) => e1 == e2 && b1 == b2,
            _ => false,
        }
    }
}

impl fmt::Display for FromSqlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FromSqlError::InvalidType => f.write_str("Invalid type"),
            FromSqlError::OutOfRange(value) => write!(f, "Value {value} out of range"),
            FromSqlError::InvalidBlobSize {
                expected_size,
                blob_size,
            } => write!(
                f,
                "Cannot read {expected_size} byte value out of {blob_size} byte blob"
            ),
            FromSqlError::Other(inner) => inner.fmt(f),
        }
    }
}

impl Error for FromSqlError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            FromSqlError::Other(inner) => Some(&**inner),
            _ => None,
        }
    }
}

/// The result of a [`FromSql`] conversion.
pub type FromSqlResult<T> = Result<T, FromSqlError>;

/// A type that can be built from an SQLite value.
///
/// Implemented for the same types, with the same rules, as rusqlite 0.34: see the
/// [module documentation](crate::types).
pub trait FromSql: Sized {
    /// Converts an SQLite value into `Self`.
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self>;
}

impl FromSql for i64 {
    #[inline]
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<i64> {
        value.as_i64()
    }
}

/// Integer types read from an `INTEGER` with a range check.
macro_rules! from_sql_int {
    ($($t:ty),* $(,)?) => {$(
        impl FromSql for $t {
            #[inline]
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<$t> {
                let i = value.as_i64()?;
                <$t>::try_from(i).map_err(|_| FromSqlError::OutOfRange(i))
            }
        }
    )*};
}

from_sql_int!(i8, i16, i32, isize, u8, u16, u32, u64, usize);

/// `NonZero` types: the plain type's rules, then zero is `OutOfRange(0)`.
macro_rules! from_sql_non_zero {
    ($($nz:ty => $t:ty),* $(,)?) => {$(
        impl FromSql for $nz {
            #[inline]
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<$nz> {
                <$nz>::new(<$t>::column_result(value)?).ok_or(FromSqlError::OutOfRange(0))
            }
        }
    )*};
}

from_sql_non_zero!(
    NonZeroI8 => i8,
    NonZeroI16 => i16,
    NonZeroI32 => i32,
    NonZeroI64 => i64,
    NonZeroIsize => isize,
    NonZeroU8 => u8,
    NonZeroU16 => u16,
    NonZeroU32 => u32,
    NonZeroU64 => u64,
    NonZeroUsize => usize,
);

impl FromSql for f32 {
    #[inline]
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<f32> {
        match value {
            ValueRef::Integer(i) => Ok(i as f32),
            ValueRef::Real(f) => Ok(f as f32),
            _ => Err(FromSqlError::InvalidType),
        }
    }
}

impl FromSql for f64 {
    #[inline]
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<f64> {
        match value {
            ValueRef::Integer(i) => Ok(i as f64),
            ValueRef::Real(f) => Ok(f),
            _ => Err(FromSqlError::InvalidType),
        }
    }
}

/// Any non-zero `INTEGER` is `true`. `REAL` and `TEXT` (even `'true'`) are `InvalidType`.
impl FromSql for bool {
    #[inline]
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<bool> {
        value.as_i64().map(|i| i != 0)
    }
}

impl FromSql for String {
    #[inline]
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<String> {
        value.as_str().map(str::to_owned)
    }
}

impl FromSql for Box<str> {
    #[inline]
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Box<str>> {
        value.as_str().map(Box::from)
    }
}

impl FromSql for Rc<str> {
    #[inline]
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Rc<str>> {
        value.as_str().map(Rc::from)
    }
}

impl FromSql for Arc<str> {
    #[inline]
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Arc<str>> {
        value.as_str().map(Arc::from)
    }
}

impl FromSql for Vec<u8> {
    #[inline]
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Vec<u8>> {
        value.as_blob().map(<[u8]>::to_vec)
    }
}

impl FromSql for Box<[u8]> {
    #[inline]
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Box<[u8]>> {
        value.as_blob().map(Box::from)
    }
}

impl FromSql for Rc<[u8]> {
    #[inline]
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Rc<[u8]>> {
        value.as_blob().map(Rc::from)
    }
}

impl FromSql for Arc<[u8]> {
    #[inline]
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Arc<[u8]>> {
        value.as_blob().map(Arc::from)
    }
}

/// A blob of exactly `N` bytes; any other length is [`FromSqlError::InvalidBlobSize`].
impl<const N: usize> FromSql for [u8; N] {
    #[inline]
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<[u8; N]> {
        let blob = value.as_blob()?;
        <[u8; N]>::try_from(blob).map_err(|_| FromSqlError::InvalidBlobSize {
            expected_size: N,
            blob_size: blob.len(),
        })
    }
}

/// `NULL` is `None`; anything else follows `T`'s rules.
impl<T: FromSql> FromSql for Option<T> {
    #[inline]
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Option<T>> {
        match value {
            ValueRef::Null => Ok(None),
            other => T::column_result(other).map(Some),
        }
    }
}

/// Always `Cow::Owned`, built with `T::Owned`'s rules.
impl<T> FromSql for Cow<'_, T>
where
    T: ToOwned + ?Sized,
    T::Owned: FromSql,
{
    #[inline]
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        T::Owned::column_result(value).map(Cow::Owned)
    }
}

/// Always succeeds.
///
/// **Differs from rusqlite:** text that is not valid UTF-8 is converted lossily (see
/// `From<ValueRef> for Value`) where rusqlite panics.
impl FromSql for Value {
    #[inline]
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Value> {
        Ok(Value::from(value))
    }
}

#[cfg(test)]
mod test {
    use super::{FromSql, FromSqlError, FromSqlResult};
    use crate::types::{Value, ValueRef};
    use std::borrow::Cow;
    use std::error::Error as _;
    use std::num::{NonZeroI32, NonZeroI64, NonZeroU64, NonZeroU8, NonZeroUsize};
    use std::rc::Rc;
    use std::sync::Arc;

    fn int<T: FromSql>(i: i64) -> FromSqlResult<T> {
        T::column_result(ValueRef::Integer(i))
    }

    fn check_range<T>(out_of_range: &[i64], in_range: &[i64])
    where
        T: FromSql + Into<i64> + std::fmt::Debug,
    {
        for &n in out_of_range {
            assert_eq!(
                int::<T>(n).unwrap_err(),
                FromSqlError::OutOfRange(n),
                "{n} as {}",
                std::any::type_name::<T>()
            );
        }
        for &n in in_range {
            assert_eq!(int::<T>(n).unwrap().into(), n);
        }
    }

    #[test]
    fn integral_ranges() {
        check_range::<i8>(&[-129, 128], &[-128, 0, 1, 127]);
        check_range::<i16>(&[-32_769, 32_768], &[-32_768, -1, 0, 1, 32_767]);
        check_range::<i32>(
            &[-2_147_483_649, 2_147_483_648],
            &[-2_147_483_648, -1, 0, 1, 2_147_483_647],
        );
        check_range::<u8>(&[-2, -1, 256], &[0, 1, 255]);
        check_range::<u16>(&[-2, -1, 65_536], &[0, 1, 65_535]);
        check_range::<u32>(&[-2, -1, 4_294_967_296], &[0, 1, 4_294_967_295]);
        check_range::<i64>(&[], &[i64::MIN, 0, i64::MAX]);
    }

    #[test]
    fn wide_unsigned_ranges() {
        assert_eq!(int::<u64>(i64::MAX), Ok(i64::MAX as u64));
        assert_eq!(int::<u64>(-1), Err(FromSqlError::OutOfRange(-1)));
        assert_eq!(
            int::<u64>(i64::MIN),
            Err(FromSqlError::OutOfRange(i64::MIN))
        );
        assert_eq!(int::<usize>(100), Ok(100));
        assert_eq!(int::<usize>(-1), Err(FromSqlError::OutOfRange(-1)));
        assert_eq!(int::<isize>(-5), Ok(-5));
    }

    #[test]
    fn non_zero() {
        assert_eq!(int::<NonZeroI32>(0), Err(FromSqlError::OutOfRange(0)));
        assert_eq!(int::<NonZeroI32>(-3), Ok(NonZeroI32::new(-3).unwrap()));
        assert_eq!(
            int::<NonZeroI32>(2_147_483_648),
            Err(FromSqlError::OutOfRange(2_147_483_648))
        );
        assert_eq!(int::<NonZeroI64>(0), Err(FromSqlError::OutOfRange(0)));
        assert_eq!(int::<NonZeroI64>(i64::MIN), Ok(NonZeroI64::MIN));
        assert_eq!(int::<NonZeroU8>(256), Err(FromSqlError::OutOfRange(256)));
        assert_eq!(int::<NonZeroU8>(-1), Err(FromSqlError::OutOfRange(-1)));
        assert_eq!(int::<NonZeroU64>(0), Err(FromSqlError::OutOfRange(0)));
        assert_eq!(int::<NonZeroUsize>(7), Ok(NonZeroUsize::new(7).unwrap()));
        assert_eq!(
            NonZeroI32::column_result(ValueRef::Real(1.0)),
            Err(FromSqlError::InvalidType)
        );
    }

    #[test]
    fn integers_reject_other_types() {
        for v in [
            ValueRef::Null,
            ValueRef::Real(1.0),
            ValueRef::Text(b"1"),
            ValueRef::Blob(&[1]),
        ] {
            assert_eq!(i64::column_result(v), Err(FromSqlError::InvalidType));
            assert_eq!(i32::column_result(v), Err(FromSqlError::InvalidType));
            assert_eq!(u8::column_result(v), Err(FromSqlError::InvalidType));
        }
    }

    #[test]
    #[allow(clippy::float_cmp)]
    fn floats() {
        assert_eq!(f64::column_result(ValueRef::Integer(3)), Ok(3.0));
        assert_eq!(f64::column_result(ValueRef::Real(1.5)), Ok(1.5));
        assert_eq!(
            f64::column_result(ValueRef::Integer(i64::MAX)),
            Ok(i64::MAX as f64)
        );
        assert_eq!(f32::column_result(ValueRef::Integer(-2)), Ok(-2.0));
        assert_eq!(f32::column_result(ValueRef::Real(0.25)), Ok(0.25));
        assert_eq!(
            f32::column_result(ValueRef::Integer(i64::MIN)),
            Ok(i64::MIN as f32)
        );
        for v in [ValueRef::Null, ValueRef::Text(b"1.0"), ValueRef::Blob(b"")] {
            assert_eq!(f64::column_result(v), Err(FromSqlError::InvalidType));
            assert_eq!(f32::column_result(v), Err(FromSqlError::InvalidType));
        }
    }

    #[test]
    fn booleans() {
        assert_eq!(bool::column_result(ValueRef::Integer(0)), Ok(false));
        assert_eq!(bool::column_result(ValueRef::Integer(1)), Ok(true));
        assert_eq!(bool::column_result(ValueRef::Integer(2)), Ok(true));
        assert_eq!(bool::column_result(ValueRef::Integer(-1)), Ok(true));
        for v in [ValueRef::Null, ValueRef::Real(1.0), ValueRef::Text(b"true")] {
            assert_eq!(bool::column_result(v), Err(FromSqlError::InvalidType));
        }
    }

    #[test]
    fn strings() {
        let text = ValueRef::Text(b"hello");
        assert_eq!(String::column_result(text), Ok("hello".to_owned()));
        assert_eq!(Box::<str>::column_result(text), Ok(Box::from("hello")));
        assert_eq!(Rc::<str>::column_result(text), Ok(Rc::from("hello")));
        assert_eq!(Arc::<str>::column_result(text), Ok(Arc::from("hello")));
        assert_eq!(
            String::column_result(ValueRef::Text(b"")),
            Ok(String::new())
        );
        assert_eq!(
            String::column_result(ValueRef::Text(b"a\0b")),
            Ok("a\0b".to_owned())
        );
        for v in [
            ValueRef::Null,
            ValueRef::Integer(5),
            ValueRef::Real(1.0),
            ValueRef::Blob(b"hello"),
        ] {
            assert_eq!(String::column_result(v), Err(FromSqlError::InvalidType));
            assert_eq!(Arc::<str>::column_result(v), Err(FromSqlError::InvalidType));
        }
    }

    #[test]
    fn strings_check_utf8() {
        let bad = ValueRef::Text(b"\xff\xfe");
        let errors = [
            String::column_result(bad).unwrap_err(),
            Box::<str>::column_result(bad).unwrap_err(),
            Rc::<str>::column_result(bad).unwrap_err(),
            Arc::<str>::column_result(bad).unwrap_err(),
        ];
        for err in errors {
            match &err {
                FromSqlError::Other(inner) => assert!(inner.is::<std::str::Utf8Error>()),
                other => panic!("expected Other(Utf8Error), got {other:?}"),
            }
            assert!(err.source().unwrap().is::<std::str::Utf8Error>());
        }
    }

    #[test]
    fn blobs() {
        let blob = ValueRef::Blob(&[1, 2, 3]);
        assert_eq!(Vec::<u8>::column_result(blob), Ok(vec![1, 2, 3]));
        assert_eq!(
            Box::<[u8]>::column_result(blob),
            Ok(Box::from(&[1, 2, 3][..]))
        );
        assert_eq!(
            Rc::<[u8]>::column_result(blob),
            Ok(Rc::from(&[1, 2, 3][..]))
        );
        assert_eq!(
            Arc::<[u8]>::column_result(blob),
            Ok(Arc::from(&[1, 2, 3][..]))
        );
        assert_eq!(Vec::<u8>::column_result(ValueRef::Blob(&[])), Ok(vec![]));
        for v in [
            ValueRef::Null,
            ValueRef::Integer(1),
            ValueRef::Real(1.0),
            ValueRef::Text(b"abc"),
        ] {
            assert_eq!(Vec::<u8>::column_result(v), Err(FromSqlError::InvalidType));
            assert_eq!(Rc::<[u8]>::column_result(v), Err(FromSqlError::InvalidType));
        }
    }

    #[test]
    fn fixed_size_blobs() {
        assert_eq!(
            <[u8; 3]>::column_result(ValueRef::Blob(&[1, 2, 3])),
            Ok([1, 2, 3])
        );
        assert_eq!(<[u8; 0]>::column_result(ValueRef::Blob(&[])), Ok([]));
        assert_eq!(
            <[u8; 4]>::column_result(ValueRef::Blob(&[1, 2, 3])),
            Err(FromSqlError::InvalidBlobSize {
                expected_size: 4,
                blob_size: 3
            })
        );
        assert_eq!(
            <[u8; 2]>::column_result(ValueRef::Blob(&[1, 2, 3])),
            Err(FromSqlError::InvalidBlobSize {
                expected_size: 2,
                blob_size: 3
            })
        );
        assert_eq!(
            <[u8; 2]>::column_result(ValueRef::Text(b"ab")),
            Err(FromSqlError::InvalidType)
        );
    }

    #[test]
    fn options() {
        assert_eq!(Option::<i32>::column_result(ValueRef::Null), Ok(None));
        assert_eq!(Option::<String>::column_result(ValueRef::Null), Ok(None));
        assert_eq!(
            Option::<i32>::column_result(ValueRef::Integer(4)),
            Ok(Some(4))
        );
        assert_eq!(
            Option::<i32>::column_result(ValueRef::Text(b"x")),
            Err(FromSqlError::InvalidType)
        );
        assert_eq!(
            Option::<u8>::column_result(ValueRef::Integer(300)),
            Err(FromSqlError::OutOfRange(300))
        );
    }

    #[test]
    fn cows() {
        assert_eq!(
            Cow::<str>::column_result(ValueRef::Text(b"abc")),
            Ok(Cow::Borrowed("abc"))
        );
        assert!(matches!(
            Cow::<str>::column_result(ValueRef::Text(b"abc")),
            Ok(Cow::Owned(_))
        ));
        assert_eq!(
            Cow::<[u8]>::column_result(ValueRef::Blob(&[9, 8])),
            Ok(Cow::Owned(vec![9, 8]))
        );
        assert_eq!(
            Cow::<f32>::column_result(ValueRef::Real(24.5)),
            Ok(Cow::Borrowed(&24.5))
        );
        assert_eq!(
            Cow::<str>::column_result(ValueRef::Null),
            Err(FromSqlError::InvalidType)
        );
    }

    #[test]
    fn values_always_succeed() {
        assert_eq!(Value::column_result(ValueRef::Null), Ok(Value::Null));
        assert_eq!(
            Value::column_result(ValueRef::Integer(1)),
            Ok(Value::Integer(1))
        );
        assert_eq!(
            Value::column_result(ValueRef::Real(1.5)),
            Ok(Value::Real(1.5))
        );
        assert_eq!(
            Value::column_result(ValueRef::Text(b"t")),
            Ok(Value::Text("t".into()))
        );
        assert_eq!(
            Value::column_result(ValueRef::Blob(&[1, 2])),
            Ok(Value::Blob(vec![1, 2]))
        );
        assert_eq!(
            Value::column_result(ValueRef::Text(b"\xff")),
            Ok(Value::Text("\u{fffd}".into()))
        );
    }

    #[test]
    fn error_equality() {
        use FromSqlError::*;
        assert_eq!(InvalidType, InvalidType);
        assert_eq!(OutOfRange(3), OutOfRange(3));
        assert_ne!(OutOfRange(3), OutOfRange(4));
        assert_ne!(InvalidType, OutOfRange(0));
        let size = |e, b| InvalidBlobSize {
            expected_size: e,
            blob_size: b,
        };
        assert_eq!(size(4, 3), size(4, 3));
        assert_ne!(size(4, 3), size(3, 4));
        let other = || Other(Box::new(std::fmt::Error));
        assert_ne!(other(), other());
        assert_ne!(other(), InvalidType);
    }

    #[test]
    fn error_display_and_source() {
        assert_eq!(FromSqlError::InvalidType.to_string(), "Invalid type");
        assert_eq!(
            FromSqlError::OutOfRange(-7).to_string(),
            "Value -7 out of range"
        );
        assert_eq!(
            FromSqlError::InvalidBlobSize {
                expected_size: 16,
                blob_size: 3
            }
            .to_string(),
            "Cannot read 16 byte value out of 3 byte blob"
        );
        let bytes = vec![0xff_u8];
        let utf8 = std::str::from_utf8(&bytes).unwrap_err();
        let other = FromSqlError::Other(Box::new(utf8));
        assert_eq!(other.to_string(), utf8.to_string());
        assert!(other.source().is_some());
        assert!(FromSqlError::InvalidType.source().is_none());
        assert!(FromSqlError::OutOfRange(1).source().is_none());
    }

    #[test]
    fn error_converts_into_crate_error() {
        let e: crate::Error = FromSqlError::OutOfRange(9).into();
        assert_eq!(e, crate::Error::IntegralValueOutOfRange(usize::MAX, 9));
        let e: crate::Error = FromSqlError::InvalidType.into();
        assert!(matches!(
            e,
            crate::Error::FromSqlConversionFailure(_, crate::types::Type::Null, _)
        ));
    }
}
