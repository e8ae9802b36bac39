//! [`ToSql`] and [`FromSql`] for [`url::Url`], stored as text.

use url::Url;

use crate::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use crate::Result;

/// Binds the serialized URL as text (borrowed, no copy).
impl ToSql for Url {
    #[inline]
    fn to_sql(&self) -> Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.as_str()))
    }
}

/// Parses `TEXT` with `Url::parse`. Other types are `InvalidType`; invalid UTF-8 or an invalid
/// URL is `FromSqlError::Other` holding the `Utf8Error` or `url::ParseError`.
impl FromSql for Url {
    #[inline]
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let s = value.as_str()?;
        Url::parse(s).map_err(|e| FromSqlError::Other(Box::new(e)))
    }
}

#[cfg(test)]
mod test {
    use crate::types::{FromSql, FromSqlError, ToSql, ToSqlOutput, ValueRef};
    use url::{ParseError, Url};

    fn read(s: &str) -> Result<Url, FromSqlError> {
        Url::column_result(ValueRef::Text(s.as_bytes()))
    }

    #[test]
    fn to_sql_is_borrowed_text() {
        let url = Url::parse("http://www.example1.com/👌").unwrap();
        assert_eq!(
            url.to_sql().unwrap(),
            ToSqlOutput::Borrowed(ValueRef::Text(b"http://www.example1.com/%F0%9F%91%8C"))
        );
    }

    #[test]
    fn round_trip() {
        for s in ["http://www.example1.com", "http://www.example1.com/👌"] {
            let url = Url::parse(s).unwrap();
            let ToSqlOutput::Borrowed(v) = url.to_sql().unwrap() else {
                panic!("urls bind borrowed");
            };
            assert_eq!(Url::column_result(v), Ok(url));
        }
        // Text stored without percent-encoding still reads.
        assert_eq!(
            read("http://www.example2.com/👌"),
            Ok(Url::parse("http://www.example2.com/👌").unwrap())
        );
    }

    #[test]
    fn errors() {
        match read("illegal") {
            Err(FromSqlError::Other(e)) => {
                assert_eq!(
                    *e.downcast::<ParseError>().unwrap(),
                    ParseError::RelativeUrlWithoutBase
                );
            }
            other => panic!("expected a parse error, got {other:?}"),
        }
        match Url::column_result(ValueRef::Text(b"http://\xff")) {
            Err(FromSqlError::Other(e)) => assert!(e.is::<std::str::Utf8Error>()),
            other => panic!("expected a Utf8Error, got {other:?}"),
        }
        let blob = ValueRef::Blob(b"http://example.com");
        assert_eq!(Url::column_result(blob), Err(FromSqlError::InvalidType));
        assert_eq!(
            Url::column_result(ValueRef::Null),
            Err(FromSqlError::InvalidType)
        );
    }
}
