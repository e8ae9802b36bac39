//! The borrowed dynamic value, [`ValueRef`].

use super::{FromSqlError, FromSqlResult, Type, Value};

/// A borrowed SQLite value of any of the five
/// [storage classes](https://www.sqlite.org/datatype3.html).
///
/// The bytes of `Text` and `Blob` usually belong to the statement that produced the row. `Text`
/// holds raw bytes, not `&str`, because SQLite does not promise valid UTF-8; [`as_str`] checks.
/// See [`Value`] for the owned form.
///
/// [`as_str`]: ValueRef::as_str
#[derive(Copy, Clone, Debug, PartialEq)]
pub enum ValueRef<'a> {
    /// SQL `NULL`.
    Null,
    /// A signed 64-bit integer.
    Integer(i64),
    /// A 64-bit floating point number.
    Real(f64),
    /// Text, as the bytes SQLite holds (normally UTF-8).
    Text(&'a [u8]),
    /// A blob of bytes.
    Blob(&'a [u8]),
}

impl ValueRef<'_> {
    /// The SQLite storage class of this value.
    #[inline]
    #[must_use]
    pub fn data_type(&self) -> Type {
        match self {
            ValueRef::Null => Type::Null,
            ValueRef::Integer(_) => Type::Integer,
            ValueRef::Real(_) => Type::Real,
            ValueRef::Text(_) => Type::Text,
            ValueRef::Blob(_) => Type::Blob,
        }
    }
}

/// Checks that text bytes are UTF-8, reporting failure the way rusqlite does.
#[inline]
fn utf8(bytes: &[u8]) -> FromSqlResult<&str> {
    std::str::from_utf8(bytes).map_err(|e| FromSqlError::Other(Box::new(e)))
}

impl<'a> ValueRef<'a> {
    /// The integer of an `Integer` value.
    ///
    /// # Failure
    ///
    /// [`FromSqlError::InvalidType`] for any other variant (a `Real` is not truncated).
    #[inline]
    pub fn as_i64(&self) -> FromSqlResult<i64> {
        match *self {
            ValueRef::Integer(i) => Ok(i),
            _ => Err(FromSqlError::InvalidType),
        }
    }

    /// `None` for `Null`, the integer of an `Integer` value.
    ///
    /// # Failure
    ///
    /// [`FromSqlError::InvalidType`] for any other variant.
    #[inline]
    pub fn as_i64_or_null(&self) -> FromSqlResult<Option<i64>> {
        match *self {
            ValueRef::Null => Ok(None),
            ValueRef::Integer(i) => Ok(Some(i)),
            _ => Err(FromSqlError::InvalidType),
        }
    }

    /// The number of a `Real` value.
    ///
    /// # Failure
    ///
    /// [`FromSqlError::InvalidType`] for any other variant, `Integer` included (use
    /// `f64::column_result` to accept both).
    #[inline]
    pub fn as_f64(&self) -> FromSqlResult<f64> {
        match *self {
            ValueRef::Real(f) => Ok(f),
            _ => Err(FromSqlError::InvalidType),
        }
    }

    /// `None` for `Null`, the number of a `Real` value.
    ///
    /// # Failure
    ///
    /// [`FromSqlError::InvalidType`] for any other variant.
    #[inline]
    pub fn as_f64_or_null(&self) -> FromSqlResult<Option<f64>> {
        match *self {
            ValueRef::Null => Ok(None),
            ValueRef::Real(f) => Ok(Some(f)),
            _ => Err(FromSqlError::InvalidType),
        }
    }

    /// The string of a `Text` value.
    ///
    /// # Failure
    ///
    /// [`FromSqlError::InvalidType`] for any other variant, and
    /// [`FromSqlError::Other`] holding a [`std::str::Utf8Error`] if the text is not UTF-8.
    #[inline]
    pub fn as_str(&self) -> FromSqlResult<&'a str> {
        match *self {
            ValueRef::Text(t) => utf8(t),
            _ => Err(FromSqlError::InvalidType),
        }
    }

    /// `None` for `Null`, the string of a `Text` value.
    ///
    /// # Failure
    ///
    /// As [`as_str`](ValueRef::as_str).
    #[inline]
    pub fn as_str_or_null(&self) -> FromSqlResult<Option<&'a str>> {
        match *self {
            ValueRef::Null => Ok(None),
            ValueRef::Text(t) => utf8(t).map(Some),
            _ => Err(FromSqlError::InvalidType),
        }
    }

    /// The bytes of a `Blob` value.
    ///
    /// # Failure
    ///
    /// [`FromSqlError::InvalidType`] for any other variant, `Text` included.
    #[inline]
    pub fn as_blob(&self) -> FromSqlResult<&'a [u8]> {
        match *self {
            ValueRef::Blob(b) => Ok(b),
            _ => Err(FromSqlError::InvalidType),
        }
    }

    /// `None` for `Null`, the bytes of a `Blob` value.
    ///
    /// # Failure
    ///
    /// [`FromSqlError::InvalidType`] for any other variant.
    #[inline]
    pub fn as_blob_or_null(&self) -> FromSqlResult<Option<&'a [u8]>> {
        match *self {
            ValueRef::Null => Ok(None),
            ValueRef::Blob(b) => Ok(Some(b)),
            _ => Err(FromSqlError::InvalidType),
        }
    }

    /// The bytes of a `Text` or `Blob` value.
    ///
    /// # Failure
    ///
    /// [`FromSqlError::InvalidType`] for `Null`, `Integer` and `Real`.
    #[inline]
    pub fn as_bytes(&self) -> FromSqlResult<&'a [u8]> {
        match *self {
            ValueRef::Text(b) | ValueRef::Blob(b) => Ok(b),
            _ => Err(FromSqlError::InvalidType),
        }
    }

    /// `None` for `Null`, the bytes of a `Text` or `Blob` value.
    ///
    /// # Failure
    ///
    /// [`FromSqlError::InvalidType`] for `Integer` and `Real`.
    #[inline]
    pub fn as_bytes_or_null(&self) -> FromSqlResult<Option<&'a [u8]>> {
        match *self {
            ValueRef::Null => Ok(None),
            ValueRef::Text(b) | ValueRef::Blob(b) => Ok(Some(b)),
            _ => Err(FromSqlError::InvalidType),
        }
    }
}

/// Copies a borrowed value into an owned one.
///
/// **Differs from rusqlite:** rusqlite panics when `Text` is not valid UTF-8. dbcompat never
/// panics, so invalid sequences are replaced with U+FFFD (`String::from_utf8_lossy`). Use
/// [`ValueRef::as_str`] first if invalid text must be an error.
impl From<ValueRef<'_>> for Value {
    #[inline]
    fn from(borrowed: ValueRef<'_>) -> Value {
        match borrowed {
            ValueRef::Null => Value::Null,
            ValueRef::Integer(i) => Value::Integer(i),
            ValueRef::Real(f) => Value::Real(f),
            ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
            ValueRef::Blob(b) => Value::Blob(b.to_vec()),
        }
    }
}

impl<'a> From<&'a str> for ValueRef<'a> {
    #[inline]
    fn from(s: &'a str) -> ValueRef<'a> {
        ValueRef::Text(s.as_bytes())
    }
}

impl<'a> From<&'a [u8]> for ValueRef<'a> {
    #[inline]
    fn from(b: &'a [u8]) -> ValueRef<'a> {
        ValueRef::Blob(b)
    }
}

impl<'a> From<&'a Value> for ValueRef<'a> {
    #[inline]
    fn from(value: &'a Value) -> ValueRef<'a> {
        match value {
            Value::Null => ValueRef::Null,
            Value::Integer(i) => ValueRef::Integer(*i),
            Value::Real(f) => ValueRef::Real(*f),
            Value::Text(s) => ValueRef::Text(s.as_bytes()),
            Value::Blob(b) => ValueRef::Blob(b),
        }
    }
}

impl<'a, T> From<Option<T>> for ValueRef<'a>
where
    T: Into<ValueRef<'a>>,
{
    #[inline]
    fn from(v: Option<T>) -> ValueRef<'a> {
        v.map_or(ValueRef::Null, Into::into)
    }
}

#[cfg(test)]
mod test {
    use super::ValueRef;
    use crate::types::{FromSqlError, Type, Value};

    #[test]
    fn data_type() {
        assert_eq!(ValueRef::Null.data_type(), Type::Null);
        assert_eq!(ValueRef::Integer(1).data_type(), Type::Integer);
        assert_eq!(ValueRef::Real(1.0).data_type(), Type::Real);
        assert_eq!(ValueRef::Text(b"").data_type(), Type::Text);
        assert_eq!(ValueRef::Blob(b"").data_type(), Type::Blob);
    }

    #[test]
    fn integer_accessors() {
        assert_eq!(ValueRef::Integer(7).as_i64(), Ok(7));
        assert_eq!(ValueRef::Real(1.0).as_i64(), Err(FromSqlError::InvalidType));
        assert_eq!(ValueRef::Null.as_i64(), Err(FromSqlError::InvalidType));
        assert_eq!(ValueRef::Null.as_i64_or_null(), Ok(None));
        assert_eq!(ValueRef::Integer(7).as_i64_or_null(), Ok(Some(7)));
        assert!(ValueRef::Text(b"7").as_i64_or_null().is_err());
    }

    #[test]
    fn real_accessors() {
        assert_eq!(ValueRef::Real(1.5).as_f64(), Ok(1.5));
        assert_eq!(
            ValueRef::Integer(1).as_f64(),
            Err(FromSqlError::InvalidType)
        );
        assert_eq!(ValueRef::Null.as_f64_or_null(), Ok(None));
        assert_eq!(ValueRef::Real(1.5).as_f64_or_null(), Ok(Some(1.5)));
        assert!(ValueRef::Integer(1).as_f64_or_null().is_err());
    }

    #[test]
    fn str_accessors() {
        assert_eq!(ValueRef::Text(b"").as_str(), Ok(""));
        assert_eq!(ValueRef::Text(b"abc").as_str(), Ok("abc"));
        assert_eq!(
            ValueRef::Blob(b"abc").as_str(),
            Err(FromSqlError::InvalidType)
        );
        assert_eq!(ValueRef::Null.as_str(), Err(FromSqlError::InvalidType));
        assert_eq!(ValueRef::Null.as_str_or_null(), Ok(None));
        assert_eq!(ValueRef::Text(b"x").as_str_or_null(), Ok(Some("x")));
        assert!(ValueRef::Integer(1).as_str_or_null().is_err());
    }

    #[test]
    fn str_accessors_check_utf8() {
        for result in [
            ValueRef::Text(b"\xff").as_str().map(Some),
            ValueRef::Text(b"a\xc3").as_str_or_null(),
        ] {
            match result {
                Err(FromSqlError::Other(e)) => assert!(e.is::<std::str::Utf8Error>()),
                other => panic!("expected a Utf8Error, got {other:?}"),
            }
        }
    }

    #[test]
    fn blob_and_bytes_accessors() {
        assert_eq!(ValueRef::Blob(b"ab").as_blob(), Ok(&b"ab"[..]));
        assert_eq!(
            ValueRef::Text(b"ab").as_blob(),
            Err(FromSqlError::InvalidType)
        );
        assert_eq!(ValueRef::Null.as_blob_or_null(), Ok(None));
        assert_eq!(ValueRef::Blob(b"").as_blob_or_null(), Ok(Some(&b""[..])));
        assert!(ValueRef::Integer(1).as_blob_or_null().is_err());
        assert_eq!(ValueRef::Blob(b"ab").as_bytes(), Ok(&b"ab"[..]));
        assert_eq!(ValueRef::Text(b"ab").as_bytes(), Ok(&b"ab"[..]));
        assert_eq!(ValueRef::Null.as_bytes(), Err(FromSqlError::InvalidType));
        assert_eq!(ValueRef::Null.as_bytes_or_null(), Ok(None));
        assert_eq!(ValueRef::Text(b"t").as_bytes_or_null(), Ok(Some(&b"t"[..])));
        assert!(ValueRef::Real(0.0).as_bytes_or_null().is_err());
    }

    #[test]
    fn borrowed_lifetime_outlives_the_valueref() {
        let bytes = b"kept".to_vec();
        let s: &str = {
            let v = ValueRef::Text(&bytes);
            v.as_str().unwrap()
        };
        assert_eq!(s, "kept");
    }

    #[test]
    fn into_value() {
        assert_eq!(Value::from(ValueRef::Null), Value::Null);
        assert_eq!(Value::from(ValueRef::Integer(3)), Value::Integer(3));
        assert_eq!(Value::from(ValueRef::Real(0.5)), Value::Real(0.5));
        assert_eq!(Value::from(ValueRef::Text(b"hi")), Value::Text("hi".into()));
        assert_eq!(
            Value::from(ValueRef::Blob(&[1, 2])),
            Value::Blob(vec![1, 2])
        );
    }

    #[test]
    fn into_value_invalid_utf8_is_lossy_not_a_panic() {
        assert_eq!(
            Value::from(ValueRef::Text(b"a\xffb")),
            Value::Text("a\u{fffd}b".into())
        );
    }

    #[test]
    fn from_borrowed_sources() {
        assert_eq!(ValueRef::from("s"), ValueRef::Text(b"s"));
        assert_eq!(ValueRef::from(&b"\x00"[..]), ValueRef::Blob(b"\x00"));
        let values = [
            Value::Null,
            Value::Integer(-1),
            Value::Real(2.5),
            Value::Text("t".into()),
            Value::Blob(vec![9]),
        ];
        let refs: Vec<ValueRef<'_>> = values.iter().map(ValueRef::from).collect();
        assert_eq!(
            refs,
            [
                ValueRef::Null,
                ValueRef::Integer(-1),
                ValueRef::Real(2.5),
                ValueRef::Text(b"t"),
                ValueRef::Blob(&[9]),
            ]
        );
        for (v, r) in values.iter().zip(&refs) {
            assert_eq!(Value::from(*r), *v);
        }
    }

    #[test]
    fn from_option() {
        assert_eq!(ValueRef::from(Some("a")), ValueRef::Text(b"a"));
        assert_eq!(ValueRef::from(None::<&str>), ValueRef::Null);
        assert_eq!(ValueRef::from(Some(&b"b"[..])), ValueRef::Blob(b"b"));
    }
}
