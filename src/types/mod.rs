//! Traits dealing with SQLite data types.
//!
//! SQLite has a [dynamic type system](https://www.sqlite.org/datatype3.html): every value is
//! `NULL`, `INTEGER` (`i64`), `REAL` (`f64`), `TEXT` or `BLOB`, whatever the column says. The
//! [`ToSql`] trait turns a Rust value into one of those, and [`FromSql`] turns one back. Both are
//! implemented for the types SQLite has direct support for:
//!
//! * strings (`String` and `&str`),
//! * blobs (`Vec<u8>` and `&[u8]`),
//! * numbers.
//!
//! Every Rust number is stored as an `INTEGER` or a `REAL`. Reading one back follows the same
//! rules as rusqlite 0.34:
//!
//! * `INTEGER` to an integer type: an
//!   [`Error::IntegralValueOutOfRange`](crate::Error::IntegralValueOutOfRange) error if the value
//!   does not fit.
//! * `REAL` to an integer type: always an
//!   [`Error::InvalidColumnType`](crate::Error::InvalidColumnType) error, never a truncation.
//! * `INTEGER` or `REAL` to a float: an `as` cast, which never fails.
//!
//! [`ToSql`] always succeeds, except for a `u64` or `usize` (or their `NonZero` forms) above
//! `i64::MAX`, which gives [`Error::ToSqlConversionFailure`](crate::Error::ToSqlConversionFailure).
//! SQLite ignores declared column types unless the table is
//! [STRICT](https://www.sqlite.org/stricttables.html), so an `i64` stored in a `REAL` column is
//! still an `INTEGER`.
//!
//! With the `chrono` or `time` features, date and time types are stored as text in the formats
//! SQLite's [date and time functions](https://www.sqlite.org/lang_datefunc.html) understand. For
//! another storage format, wrap the type in a newtype and implement both traits on it.
//!
//! [`ToSql`] and [`FromSql`] are also implemented for `Option<T>`, where `None` is SQL `NULL`.

pub use self::from_sql::{FromSql, FromSqlError, FromSqlResult};
#[cfg(feature = "pointer")]
pub(crate) use self::to_sql::PointerParts;
pub use self::to_sql::{ToSql, ToSqlOutput};
pub use self::value::Value;
pub use self::value_ref::ValueRef;

use std::fmt;

#[cfg(feature = "chrono")]
pub(crate) mod chrono;
mod from_sql;
#[cfg(feature = "i128_blob")]
mod i128_blob;
#[cfg(feature = "jiff")]
pub(crate) mod jiff;
#[cfg(feature = "serde_json")]
mod serde_json;
#[cfg(feature = "time")]
pub(crate) mod time;
mod to_sql;
#[cfg(feature = "url")]
mod url;
#[cfg(feature = "uuid")]
mod uuid;
mod value;
mod value_ref;

/// A unit value that binds a query parameter as SQL `NULL`.
///
/// ## Example
///
/// ```rust,no_run
/// # use dbcompat::{Connection, Result};
/// # use dbcompat::types::Null;
/// fn insert_null(conn: &Connection) -> Result<usize> {
///     conn.execute("INSERT INTO people (name) VALUES (?1)", [Null])
/// }
/// ```
#[derive(Copy, Clone)]
pub struct Null;

/// The five fundamental SQLite storage classes.
///
/// See [Fundamental Datatypes](https://sqlite.org/c3ref/c_blob.html).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Type {
    /// `NULL`
    Null,
    /// 64-bit signed integer
    Integer,
    /// 64-bit IEEE floating point number
    Real,
    /// String
    Text,
    /// BLOB
    Blob,
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self {
            Type::Null => "Null",
            Type::Integer => "Integer",
            Type::Real => "Real",
            Type::Text => "Text",
            Type::Blob => "Blob",
        };
        // `pad` so that width and alignment flags work, as they do for rusqlite's `Type`.
        f.pad(name)
    }
}

#[cfg(test)]
mod test {
    use super::{Null, ToSql, ToSqlOutput, Type, Value, ValueRef};

    #[test]
    fn type_display() {
        let names: Vec<String> = [
            Type::Null,
            Type::Integer,
            Type::Real,
            Type::Text,
            Type::Blob,
        ]
        .iter()
        .map(ToString::to_string)
        .collect();
        assert_eq!(names, ["Null", "Integer", "Real", "Text", "Blob"]);
    }

    #[test]
    fn type_display_honours_padding() {
        assert_eq!(format!("[{:>6}]", Type::Real), "[  Real]");
        assert_eq!(format!("[{:<5}]", Type::Null), "[Null ]");
    }

    #[test]
    fn type_is_copy_and_eq() {
        let t = Type::Text;
        let u = t;
        assert_eq!(t, u);
        assert_ne!(Type::Text, Type::Blob);
        assert_eq!(format!("{t:?}"), "Text");
    }

    #[test]
    fn null_binds_as_null() {
        let n = Null;
        let copy = n;
        assert_eq!(
            copy.to_sql().unwrap(),
            ToSqlOutput::Owned(Value::Null),
            "Null is an owned NULL"
        );
        assert_eq!(Value::from(n), Value::Null);
        assert_eq!(ValueRef::from(&Value::from(n)), ValueRef::Null);
    }
}
