//! [`ToSql`]: turning a Rust value into a parameter, and its output [`ToSqlOutput`].

use super::{Null, Value, ValueRef};
use crate::{Error, Result};
use std::borrow::Cow;
use std::num::{
    NonZeroI16, NonZeroI32, NonZeroI64, NonZeroI8, NonZeroIsize, NonZeroU16, NonZeroU32,
    NonZeroU64, NonZeroU8, NonZeroUsize, TryFromIntError,
};
use std::rc::Rc;
use std::sync::Arc;

/// What a [`ToSql`] implementation hands to the statement for binding.
///
/// **Differs from rusqlite:** `ZeroBlob` and `Arg` are always present (rusqlite gates them
/// behind the `blob` and `functions` features).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum ToSqlOutput<'a> {
    /// A value borrowed from the parameter; no copy is made before binding.
    Borrowed(ValueRef<'a>),

    /// A value built by the conversion.
    Owned(Value),

    /// A blob of this many zero bytes (`sqlite3_bind_zeroblob`).
    ZeroBlob(i32),

    /// Argument `n` of the scalar function being evaluated, returned unchanged (subtype
    /// included) as its result; binding it as a parameter is `SQLITE_MISUSE`, as in rusqlite.
    Arg(usize),

    /// A list for `rarray()` (feature `array`); binds on local connections only.
    #[cfg(feature = "array")]
    Array(crate::vtab::array::Array),

    /// The newer surfaces' `ToSqlOutput::Pointer` (feature `pointer`, rusqlite 0.39+): a
    /// pointer, its type name and the destructor SQLite calls when done with it, for SQLite's
    /// pointer-passing interface. Binds on local connections only.
    #[doc(hidden)]
    #[cfg(feature = "pointer")]
    Pointer(PointerParts),
}

/// What `ToSqlOutput::Pointer` holds, as in rusqlite: the pointer, its type name, and the
/// destructor SQLite calls when done with it.
#[cfg(feature = "pointer")]
pub(crate) type PointerParts = (
    *const std::ffi::c_void,
    &'static std::ffi::CStr,
    crate::ffi::sqlite3_destructor_type,
);

/// Anything that borrows as a [`ValueRef`] (`&str`, `&[u8]`, `&Value`) is a `Borrowed` output.
impl<'a, T: ?Sized> From<&'a T> for ToSqlOutput<'a>
where
    &'a T: Into<ValueRef<'a>>,
{
    #[inline]
    fn from(t: &'a T) -> ToSqlOutput<'a> {
        ToSqlOutput::Borrowed(t.into())
    }
}

/// `From` for the types that convert into an owned [`Value`]. A blanket impl over
/// `Into<Value>` would overlap the borrowed one above, so the list is spelled out, exactly as
/// in rusqlite (the set of impls matters for type inference).
macro_rules! output_from_value {
    ($($t:ty),* $(,)?) => {$(
        impl From<$t> for ToSqlOutput<'_> {
            #[inline]
            fn from(t: $t) -> Self {
                ToSqlOutput::Owned(Value::from(t))
            }
        }
    )*};
}

output_from_value!(
    String,
    Null,
    bool,
    i8,
    i16,
    i32,
    i64,
    isize,
    u8,
    u16,
    u32,
    f32,
    f64,
    Vec<u8>
);

/// `From` for the `NonZero` types whose plain value always fits in an `i64`.
macro_rules! output_from_non_zero {
    ($($t:ty),* $(,)?) => {$(
        impl From<$t> for ToSqlOutput<'_> {
            #[inline]
            fn from(t: $t) -> Self {
                ToSqlOutput::Owned(Value::from(t.get()))
            }
        }
    )*};
}

output_from_non_zero!(
    NonZeroI8,
    NonZeroI16,
    NonZeroI32,
    NonZeroI64,
    NonZeroIsize,
    NonZeroU8,
    NonZeroU16,
    NonZeroU32,
);

/// Re-borrows the output: `Owned` becomes `Borrowed` from it.
impl ToSql for ToSqlOutput<'_> {
    #[inline]
    fn to_sql(&self) -> Result<ToSqlOutput<'_>> {
        Ok(match self {
            ToSqlOutput::Borrowed(v) => ToSqlOutput::Borrowed(*v),
            ToSqlOutput::Owned(v) => ToSqlOutput::Borrowed(ValueRef::from(v)),
            ToSqlOutput::ZeroBlob(n) => ToSqlOutput::ZeroBlob(*n),
            ToSqlOutput::Arg(i) => ToSqlOutput::Arg(*i),
            #[cfg(feature = "array")]
            ToSqlOutput::Array(a) => ToSqlOutput::Array(a.clone()),
            // The same pointer again, as rusqlite copies it (a second bind frees it twice).
            #[cfg(feature = "pointer")]
            ToSqlOutput::Pointer(parts) => ToSqlOutput::Pointer(*parts),
        })
    }
}

/// A type that can be bound as an SQLite parameter.
///
/// Implemented for the same types as rusqlite 0.34 (see the [module documentation](crate::types)),
/// and deliberately not for `ValueRef`, `char` or `u128`, since extra impls change type inference
/// for callers. Wrap a `ValueRef` as `ToSqlOutput::Borrowed(v)` to bind it.
///
/// # Failure
///
/// Returns [`Error::ToSqlConversionFailure`] if the value cannot be represented.
pub trait ToSql {
    /// Converts the Rust value into an SQLite value.
    fn to_sql(&self) -> Result<ToSqlOutput<'_>>;
}

/// `ToSql` for the `Copy` types that have a `From` impl on [`ToSqlOutput`].
macro_rules! to_sql_by_copy {
    ($($t:ty),* $(,)?) => {$(
        impl ToSql for $t {
            #[inline]
            fn to_sql(&self) -> Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::from(*self))
            }
        }
    )*};
}

to_sql_by_copy!(Null, bool, i8, i16, i32, i64, isize, u8, u16, u32, f32, f64);
to_sql_by_copy!(
    NonZeroI8,
    NonZeroI16,
    NonZeroI32,
    NonZeroI64,
    NonZeroIsize,
    NonZeroU8,
    NonZeroU16,
    NonZeroU32,
);

/// Binds an unsigned value as an `INTEGER`, or fails if it is above `i64::MAX`.
///
/// The error is `Error::ToSqlConversionFailure` holding the `std::num::TryFromIntError`
/// ("out of range integral type conversion attempted"), as in rusqlite.
#[inline]
fn checked_integer<T>(plain: T) -> Result<ToSqlOutput<'static>>
where
    i64: TryFrom<T, Error = TryFromIntError>,
{
    let i = i64::try_from(plain).map_err(|e| Error::ToSqlConversionFailure(Box::new(e)))?;
    Ok(ToSqlOutput::Owned(Value::Integer(i)))
}

/// `ToSql` for the unsigned types that can exceed `i64::MAX`: `$plain` names the plain value.
macro_rules! to_sql_checked_unsigned {
    ($($t:ty => |$v:ident| $plain:expr),* $(,)?) => {$(
        impl ToSql for $t {
            #[inline]
            fn to_sql(&self) -> Result<ToSqlOutput<'_>> {
                let $v = *self;
                checked_integer($plain)
            }
        }
    )*};
}

to_sql_checked_unsigned!(
    u64 => |v| v,
    usize => |v| v,
    NonZeroU64 => |v| v.get(),
    NonZeroUsize => |v| v.get(),
);

impl<T: ToSql + ?Sized> ToSql for &T {
    #[inline]
    fn to_sql(&self) -> Result<ToSqlOutput<'_>> {
        (**self).to_sql()
    }
}

impl<T: ToSql + ?Sized> ToSql for Box<T> {
    #[inline]
    fn to_sql(&self) -> Result<ToSqlOutput<'_>> {
        (**self).to_sql()
    }
}

impl<T: ToSql + ?Sized> ToSql for Rc<T> {
    #[inline]
    fn to_sql(&self) -> Result<ToSqlOutput<'_>> {
        (**self).to_sql()
    }
}

impl<T: ToSql + ?Sized> ToSql for Arc<T> {
    #[inline]
    fn to_sql(&self) -> Result<ToSqlOutput<'_>> {
        (**self).to_sql()
    }
}

impl<T: ToSql + ToOwned + ?Sized> ToSql for Cow<'_, T> {
    #[inline]
    fn to_sql(&self) -> Result<ToSqlOutput<'_>> {
        let borrowed: &T = self;
        borrowed.to_sql()
    }
}

impl ToSql for String {
    #[inline]
    fn to_sql(&self) -> Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.as_str()))
    }
}

impl ToSql for str {
    #[inline]
    fn to_sql(&self) -> Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self))
    }
}

impl ToSql for Vec<u8> {
    #[inline]
    fn to_sql(&self) -> Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.as_slice()))
    }
}

impl<const N: usize> ToSql for [u8; N] {
    #[inline]
    fn to_sql(&self) -> Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.as_slice()))
    }
}

impl ToSql for [u8] {
    #[inline]
    fn to_sql(&self) -> Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self))
    }
}

impl ToSql for Value {
    #[inline]
    fn to_sql(&self) -> Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self))
    }
}

/// `None` binds as `NULL`.
impl<T: ToSql> ToSql for Option<T> {
    #[inline]
    fn to_sql(&self) -> Result<ToSqlOutput<'_>> {
        match self {
            None => Ok(ToSqlOutput::from(Null)),
            Some(t) => t.to_sql(),
        }
    }
}

#[cfg(test)]
mod test {
    use super::{ToSql, ToSqlOutput};
    use crate::types::{Null, Value, ValueRef};
    use crate::Error;
    use std::borrow::Cow;
    use std::num::{
        NonZeroI16, NonZeroI32, NonZeroI64, NonZeroI8, NonZeroIsize, NonZeroU16, NonZeroU32,
        NonZeroU64, NonZeroU8, NonZeroUsize,
    };
    use std::rc::Rc;
    use std::sync::Arc;

    fn out<T: ToSql + ?Sized>(t: &T) -> ToSqlOutput<'_> {
        t.to_sql().unwrap()
    }

    fn owned_int(i: i64) -> ToSqlOutput<'static> {
        ToSqlOutput::Owned(Value::Integer(i))
    }

    #[test]
    fn output_reborrows() {
        assert_eq!(
            out(&ToSqlOutput::Borrowed(ValueRef::Null)),
            ToSqlOutput::Borrowed(ValueRef::Null)
        );
        assert_eq!(
            out(&ToSqlOutput::Owned(Value::Null)),
            ToSqlOutput::Borrowed(ValueRef::Null)
        );
        assert_eq!(
            out(&ToSqlOutput::Owned(Value::Text("t".into()))),
            ToSqlOutput::Borrowed(ValueRef::Text(b"t"))
        );
        assert_eq!(out(&ToSqlOutput::ZeroBlob(8)), ToSqlOutput::ZeroBlob(8));
    }

    #[test]
    fn integers_and_bools() {
        assert_eq!(out(&true), owned_int(1));
        assert_eq!(out(&false), owned_int(0));
        assert_eq!(out(&-8i8), owned_int(-8));
        assert_eq!(out(&i16::MIN), owned_int(i64::from(i16::MIN)));
        assert_eq!(out(&i32::MAX), owned_int(i64::from(i32::MAX)));
        assert_eq!(out(&i64::MIN), owned_int(i64::MIN));
        assert_eq!(out(&-3isize), owned_int(-3));
        assert_eq!(out(&u8::MAX), owned_int(255));
        assert_eq!(out(&u16::MAX), owned_int(65_535));
        assert_eq!(out(&u32::MAX), owned_int(4_294_967_295));
        assert_eq!(out(&Null), ToSqlOutput::Owned(Value::Null));
    }

    #[test]
    fn floats() {
        assert_eq!(out(&1.5f32), ToSqlOutput::Owned(Value::Real(1.5)));
        assert_eq!(out(&-0.25f64), ToSqlOutput::Owned(Value::Real(-0.25)));
    }

    #[test]
    fn non_zero() {
        assert_eq!(out(&NonZeroI8::new(-1).unwrap()), owned_int(-1));
        assert_eq!(out(&NonZeroI16::new(2).unwrap()), owned_int(2));
        assert_eq!(out(&NonZeroI32::new(3).unwrap()), owned_int(3));
        assert_eq!(out(&NonZeroI64::MIN), owned_int(i64::MIN));
        assert_eq!(out(&NonZeroIsize::new(5).unwrap()), owned_int(5));
        assert_eq!(out(&NonZeroU8::MAX), owned_int(255));
        assert_eq!(out(&NonZeroU16::new(7).unwrap()), owned_int(7));
        assert_eq!(out(&NonZeroU32::MAX), owned_int(i64::from(u32::MAX)));
        assert_eq!(out(&NonZeroU64::new(9).unwrap()), owned_int(9));
        assert_eq!(out(&NonZeroUsize::new(10).unwrap()), owned_int(10));
    }

    #[test]
    fn wide_unsigned_in_range() {
        assert_eq!(out(&(i64::MAX as u64)), owned_int(i64::MAX));
        assert_eq!(out(&0u64), owned_int(0));
        assert_eq!(out(&100usize), owned_int(100));
        let max = NonZeroU64::new(i64::MAX as u64).unwrap();
        assert_eq!(out(&max), owned_int(i64::MAX));
    }

    fn assert_conversion_failure(r: crate::Result<ToSqlOutput<'_>>) {
        match r {
            Err(Error::ToSqlConversionFailure(e)) => {
                assert!(e.is::<std::num::TryFromIntError>());
                assert_eq!(
                    e.to_string(),
                    "out of range integral type conversion attempted"
                );
            }
            other => panic!("expected ToSqlConversionFailure, got {other:?}"),
        }
    }

    #[test]
    fn wide_unsigned_out_of_range() {
        assert_conversion_failure(u64::MAX.to_sql());
        assert_conversion_failure((i64::MAX as u64 + 1).to_sql());
        assert_conversion_failure(NonZeroU64::MAX.to_sql());
        if usize::BITS == 64 {
            assert_conversion_failure(usize::MAX.to_sql());
            assert_conversion_failure(NonZeroUsize::MAX.to_sql());
        }
    }

    #[test]
    fn text_is_borrowed() {
        let s = String::from("hello");
        assert_eq!(out(&s), ToSqlOutput::Borrowed(ValueRef::Text(b"hello")));
        assert_eq!(out("hi"), ToSqlOutput::Borrowed(ValueRef::Text(b"hi")));
        assert_eq!(out(""), ToSqlOutput::Borrowed(ValueRef::Text(b"")));
        assert_eq!(out(&"a\0b"), ToSqlOutput::Borrowed(ValueRef::Text(b"a\0b")));
    }

    #[test]
    fn blobs_are_borrowed() {
        let v = vec![1u8, 2];
        assert_eq!(out(&v), ToSqlOutput::Borrowed(ValueRef::Blob(&[1, 2])));
        assert_eq!(
            out(&[3u8; 2]),
            ToSqlOutput::Borrowed(ValueRef::Blob(&[3, 3]))
        );
        assert_eq!(out(&[0u8; 0]), ToSqlOutput::Borrowed(ValueRef::Blob(&[])));
        assert_eq!(out(&v[..1]), ToSqlOutput::Borrowed(ValueRef::Blob(&[1])));
        let big = [0u8; 99];
        assert_eq!(out(&big), ToSqlOutput::Borrowed(ValueRef::Blob(&big)));
    }

    #[test]
    fn values_are_borrowed() {
        assert_eq!(
            out(&Value::Integer(4)),
            ToSqlOutput::Borrowed(ValueRef::Integer(4))
        );
        assert_eq!(
            out(&Value::Text("x".into())),
            ToSqlOutput::Borrowed(ValueRef::Text(b"x"))
        );
        assert_eq!(out(&Value::Null), ToSqlOutput::Borrowed(ValueRef::Null));
    }

    #[test]
    fn options() {
        assert_eq!(out(&None::<i32>), ToSqlOutput::Owned(Value::Null));
        assert_eq!(out(&Some(5i32)), owned_int(5));
        assert_eq!(out(&Some("s")), ToSqlOutput::Borrowed(ValueRef::Text(b"s")));
        assert_conversion_failure(Some(u64::MAX).to_sql());
    }

    #[test]
    fn smart_pointers_and_refs() {
        let text = ToSqlOutput::Borrowed(ValueRef::Text(b"Hello world!"));
        let source: Box<str> = "Hello world!".into();
        assert_eq!(out(&source), text);
        assert_eq!(out(&&&source), text);
        assert_eq!(out(&Rc::new(source.clone())), text);
        assert_eq!(out(&Arc::new(source.clone())), text);
        assert_eq!(out(&Rc::<str>::from(&*source)), text);
        assert_eq!(out(&Arc::<str>::from(&*source)), text);
        let dyn_box: Box<dyn ToSql> = Box::new("Hello world!");
        assert_eq!(out(&dyn_box), text);
        let dyn_rc: Rc<dyn ToSql> = Rc::new(source.clone());
        assert_eq!(out(&dyn_rc), text);
        let dyn_arc: Arc<dyn ToSql> = Arc::new(source);
        assert_eq!(out(&dyn_arc), text);
    }

    #[test]
    fn cows() {
        let borrowed: Cow<'_, str> = Cow::Borrowed("str");
        let owned: Cow<'_, str> = Cow::Owned(String::from("str"));
        let expected = ToSqlOutput::Borrowed(ValueRef::Text(b"str"));
        assert_eq!(out(&borrowed), expected);
        assert_eq!(out(&owned), expected);
        let bytes: Cow<'_, [u8]> = Cow::Owned(vec![1]);
        assert_eq!(out(&bytes), ToSqlOutput::Borrowed(ValueRef::Blob(&[1])));
    }

    #[test]
    fn usable_as_dyn_params() {
        let a = [0u8; 4];
        let s = String::from("x");
        let cow: Cow<'_, str> = Cow::Borrowed("c");
        let params: &[&dyn ToSql] = &[&1i32, &a, &s, &cow, &None::<f64>, &Null];
        assert_eq!(params.len(), 6);
        for p in params {
            p.to_sql().unwrap();
        }
    }

    #[test]
    fn output_from_impls() {
        assert_eq!(
            ToSqlOutput::from("a"),
            ToSqlOutput::Borrowed(ValueRef::Text(b"a"))
        );
        assert_eq!(
            ToSqlOutput::from(&b"b"[..]),
            ToSqlOutput::Borrowed(ValueRef::Blob(b"b"))
        );
        let v = Value::Real(1.0);
        assert_eq!(
            ToSqlOutput::from(&v),
            ToSqlOutput::Borrowed(ValueRef::Real(1.0))
        );
        assert_eq!(
            ToSqlOutput::from(String::from("o")),
            ToSqlOutput::Owned(Value::Text("o".into()))
        );
        assert_eq!(
            ToSqlOutput::from(vec![1u8]),
            ToSqlOutput::Owned(Value::Blob(vec![1]))
        );
        assert_eq!(ToSqlOutput::from(Null), ToSqlOutput::Owned(Value::Null));
        assert_eq!(ToSqlOutput::from(7u32), owned_int(7));
        assert_eq!(ToSqlOutput::from(7i64), owned_int(7));
        assert_eq!(ToSqlOutput::from(NonZeroU16::new(3).unwrap()), owned_int(3));
        assert_eq!(
            ToSqlOutput::from(2.0f32),
            ToSqlOutput::Owned(Value::Real(2.0))
        );
    }
}
