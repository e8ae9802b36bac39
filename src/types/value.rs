//! The owned dynamic value, [`Value`].

use super::{Null, Type};

/// An owned SQLite value of any of the five
/// [storage classes](https://www.sqlite.org/datatype3.html).
///
/// The variant is normally chosen by SQLite, not by the caller. See
/// [`ValueRef`](crate::types::ValueRef) for the borrowed form.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// SQL `NULL`.
    Null,
    /// A signed 64-bit integer.
    Integer(i64),
    /// A 64-bit floating point number.
    Real(f64),
    /// A UTF-8 string.
    Text(String),
    /// A blob of bytes.
    Blob(Vec<u8>),
}

impl Value {
    /// The SQLite storage class of this value.
    #[inline]
    #[must_use]
    pub fn data_type(&self) -> Type {
        match self {
            Value::Null => Type::Null,
            Value::Integer(_) => Type::Integer,
            Value::Real(_) => Type::Real,
            Value::Text(_) => Type::Text,
            Value::Blob(_) => Type::Blob,
        }
    }
}

impl From<Null> for Value {
    #[inline]
    fn from(_: Null) -> Value {
        Value::Null
    }
}

impl From<bool> for Value {
    #[inline]
    fn from(b: bool) -> Value {
        Value::Integer(i64::from(b))
    }
}

impl From<isize> for Value {
    #[inline]
    fn from(i: isize) -> Value {
        // isize is at most 64 bits on every platform Rust supports, so this cast is lossless.
        Value::Integer(i as i64)
    }
}

/// `From` for the integer types that always fit in an `i64`.
macro_rules! value_from_lossless_int {
    ($($t:ty),* $(,)?) => {$(
        impl From<$t> for Value {
            #[inline]
            fn from(i: $t) -> Value {
                Value::Integer(i64::from(i))
            }
        }
    )*};
}

value_from_lossless_int!(i8, i16, i32, i64, u8, u16, u32);

impl From<f32> for Value {
    #[inline]
    fn from(f: f32) -> Value {
        Value::Real(f64::from(f))
    }
}

impl From<f64> for Value {
    #[inline]
    fn from(f: f64) -> Value {
        Value::Real(f)
    }
}

impl From<String> for Value {
    #[inline]
    fn from(s: String) -> Value {
        Value::Text(s)
    }
}

impl From<Vec<u8>> for Value {
    #[inline]
    fn from(v: Vec<u8>) -> Value {
        Value::Blob(v)
    }
}

impl<T> From<Option<T>> for Value
where
    T: Into<Value>,
{
    #[inline]
    fn from(v: Option<T>) -> Value {
        v.map_or(Value::Null, Into::into)
    }
}

#[cfg(test)]
mod test {
    use super::Value;
    use crate::types::{Null, Type};

    #[test]
    fn from_numbers() {
        assert_eq!(Value::from(true), Value::Integer(1));
        assert_eq!(Value::from(false), Value::Integer(0));
        assert_eq!(Value::from(-5i8), Value::Integer(-5));
        assert_eq!(Value::from(i16::MIN), Value::Integer(i64::from(i16::MIN)));
        assert_eq!(Value::from(i32::MAX), Value::Integer(i64::from(i32::MAX)));
        assert_eq!(Value::from(i64::MIN), Value::Integer(i64::MIN));
        assert_eq!(Value::from(-7isize), Value::Integer(-7));
        assert_eq!(Value::from(u8::MAX), Value::Integer(255));
        assert_eq!(Value::from(u16::MAX), Value::Integer(65_535));
        assert_eq!(Value::from(u32::MAX), Value::Integer(4_294_967_295));
        assert_eq!(Value::from(2f32), Value::Real(2.0));
        assert_eq!(Value::from(1.5f32), Value::Real(1.5));
        assert_eq!(Value::from(3.25f64), Value::Real(3.25));
    }

    #[test]
    fn from_text_blob_null() {
        assert_eq!(Value::from(String::from("hi")), Value::Text("hi".into()));
        assert_eq!(Value::from(vec![0u8, 1]), Value::Blob(vec![0, 1]));
        assert_eq!(Value::from(Null), Value::Null);
    }

    #[test]
    fn from_option() {
        assert_eq!(Value::from(Some(4i32)), Value::Integer(4));
        assert_eq!(Value::from(None::<i32>), Value::Null);
        assert_eq!(
            Value::from(Some(String::from("x"))),
            Value::Text("x".into())
        );
        assert_eq!(Value::from(Some(Some(1u8))), Value::Integer(1));
    }

    #[test]
    fn data_type() {
        assert_eq!(Value::Null.data_type(), Type::Null);
        assert_eq!(Value::Integer(0).data_type(), Type::Integer);
        assert_eq!(Value::Real(0.0).data_type(), Type::Real);
        assert_eq!(Value::Text(String::new()).data_type(), Type::Text);
        assert_eq!(Value::Blob(Vec::new()).data_type(), Type::Blob);
    }

    #[test]
    fn equality_and_clone() {
        let v = Value::Text("abc".into());
        assert_eq!(v.clone(), v);
        assert_ne!(Value::Integer(1), Value::Real(1.0));
        // Derived PartialEq on f64: NaN is not equal to itself, as in rusqlite.
        assert_ne!(Value::Real(f64::NAN), Value::Real(f64::NAN));
    }
}
