//! [`ToSql`] and [`FromSql`] for [`serde_json::Value`].

use serde_json::{Number, Value};

use crate::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use crate::{Error, Result};

/// Binds a JSON value:
///
/// | JSON                          | SQLite                       |
/// |-------------------------------|------------------------------|
/// | `null`                        | `NULL`                       |
/// | number that fits an `i64`     | `INTEGER`                    |
/// | other number held as `f64`    | `REAL`                       |
/// | anything else                 | `TEXT` holding the JSON      |
///
/// So `true` is the text `'true'`, a string `"a"` is the text `'"a"'`, and a `u64` above
/// `i64::MAX` is its decimal text.
impl ToSql for Value {
    #[inline]
    fn to_sql(&self) -> Result<ToSqlOutput<'_>> {
        match self {
            Value::Null => Ok(ToSqlOutput::Borrowed(ValueRef::Null)),
            Value::Number(n) => {
                if let Some(i) = n.as_i64() {
                    Ok(ToSqlOutput::from(i))
                } else if let (true, Some(f)) = (n.is_f64(), n.as_f64()) {
                    Ok(ToSqlOutput::from(f))
                } else {
                    json_text(self)
                }
            }
            _ => json_text(self),
        }
    }
}

fn json_text(value: &Value) -> Result<ToSqlOutput<'static>> {
    serde_json::to_string(value)
        .map(ToSqlOutput::from)
        .map_err(|e| Error::ToSqlConversionFailure(Box::new(e)))
}

/// Reads a JSON value:
///
/// | SQLite                 | JSON                                              |
/// |------------------------|---------------------------------------------------|
/// | `NULL`                 | `Null`                                            |
/// | `INTEGER`              | `Number`                                          |
/// | finite `REAL`          | `Number` (an infinite one is `InvalidType`)       |
/// | `TEXT` or `BLOB`       | parsed as JSON; `'text'` without quotes fails     |
///
/// A parse failure is `FromSqlError::Other` holding the `serde_json::Error`.
impl FromSql for Value {
    #[inline]
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        match value {
            ValueRef::Null => Ok(Value::Null),
            ValueRef::Integer(i) => Ok(Value::Number(Number::from(i))),
            ValueRef::Real(f) => Number::from_f64(f)
                .map(Value::Number)
                .ok_or(FromSqlError::InvalidType),
            ValueRef::Text(bytes) | ValueRef::Blob(bytes) => {
                serde_json::from_slice(bytes).map_err(|e| FromSqlError::Other(Box::new(e)))
            }
        }
    }
}

#[cfg(test)]
mod test {
    use crate::types::{FromSql, FromSqlError, ToSql, ToSqlOutput, Value as SqlValue, ValueRef};
    use serde_json::{json, Number, Value};

    fn bound(v: &Value) -> ToSqlOutput<'_> {
        v.to_sql().unwrap()
    }

    fn text(s: &str) -> ToSqlOutput<'static> {
        ToSqlOutput::Owned(SqlValue::Text(s.to_owned()))
    }

    #[test]
    fn to_sql() {
        assert_eq!(bound(&Value::Null), ToSqlOutput::Borrowed(ValueRef::Null));
        assert_eq!(bound(&json!(1)), ToSqlOutput::Owned(SqlValue::Integer(1)));
        assert_eq!(bound(&json!(-7)), ToSqlOutput::Owned(SqlValue::Integer(-7)));
        assert_eq!(bound(&json!(0.1)), ToSqlOutput::Owned(SqlValue::Real(0.1)));
        assert_eq!(bound(&json!(true)), text("true"));
        assert_eq!(bound(&json!(false)), text("false"));
        assert_eq!(bound(&json!("text")), text("\"text\""));
        assert_eq!(bound(&json!([0, 1])), text("[0,1]"));
        assert_eq!(bound(&json!({"x": 1})), text("{\"x\":1}"));
        assert_eq!(bound(&json!(u64::MAX)), text("18446744073709551615"));
        assert_eq!(
            bound(&json!(i64::MAX as u64)),
            ToSqlOutput::Owned(SqlValue::Integer(i64::MAX))
        );
    }

    fn read(v: ValueRef<'_>) -> Result<Value, FromSqlError> {
        Value::column_result(v)
    }

    #[test]
    fn from_sql() {
        assert_eq!(read(ValueRef::Null), Ok(Value::Null));
        assert_eq!(read(ValueRef::Text(b"null")), Ok(Value::Null));
        assert_eq!(read(ValueRef::Text(b"true")), Ok(Value::Bool(true)));
        assert_eq!(
            read(ValueRef::Integer(1)),
            Ok(Value::Number(Number::from(1)))
        );
        assert_eq!(
            read(ValueRef::Real(0.1)),
            Ok(Value::Number(Number::from_f64(0.1).unwrap()))
        );
        assert_eq!(read(ValueRef::Text(b"\"text\"")), Ok(json!("text")));
        assert_eq!(read(ValueRef::Text(b"[0, 1]")), Ok(json!([0, 1])));
        let object = br#"{"foo": 13, "bar": "baz"}"#;
        assert_eq!(
            read(ValueRef::Text(object)),
            Ok(json!({"foo": 13, "bar": "baz"}))
        );
        assert_eq!(
            read(ValueRef::Blob(object)),
            Ok(json!({"foo": 13, "bar": "baz"}))
        );
    }

    #[test]
    fn from_sql_errors() {
        match read(ValueRef::Text(b"text")) {
            Err(FromSqlError::Other(e)) => assert!(e.is::<serde_json::Error>()),
            other => panic!("expected a JSON error, got {other:?}"),
        }
        assert!(read(ValueRef::Blob(b"\xff")).is_err());
        assert_eq!(
            read(ValueRef::Real(f64::INFINITY)),
            Err(FromSqlError::InvalidType)
        );
        assert_eq!(
            read(ValueRef::Real(f64::NAN)),
            Err(FromSqlError::InvalidType)
        );
    }

    #[test]
    fn round_trip_through_text() {
        let data = json!({"foo": 13, "bar": ["baz", null, 1.5]});
        let ToSqlOutput::Owned(SqlValue::Text(s)) = bound(&data) else {
            panic!("objects bind as text");
        };
        assert_eq!(read(ValueRef::Text(s.as_bytes())), Ok(data));
    }
}
