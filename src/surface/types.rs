//! `surface_types!`: the `types` module of rusqlite 0.35 and later. `ToSql`, `FromSql`,
//! `ToSqlOutput`, `FromSqlError` and `ValueRef` mention the surface's own `Error`, so each
//! surface declares them; `Value`, `Type` and `Null` are the core's. Every conversion for a
//! concrete type delegates to the core impl (one implementation for all surfaces) and only
//! re-homes the result, which is where 0.39's UTF-8 rule comes in: invalid text becomes
//! `FromSqlError::Utf8Error`.

macro_rules! surface_types {
    (
        zero_blob_len: $zero_blob:ty,
        utc_date_time_z_suffix: $utc_z:literal
        $(, types_extra { $($types_extra:tt)* })?
    ) => {
        /// Traits and types for going between SQLite values and Rust values.
        pub mod types {
            use super::{Error, Result};
            use std::borrow::Cow;
            use std::rc::Rc;
            use std::sync::Arc;

            pub use $crate::types::{Null, Type, Value};

            $($($types_extra)*)?

            /// Why a [`FromSql`] conversion failed.
            #[derive(Debug)]
            #[non_exhaustive]
            pub enum FromSqlError {
                /// The value's SQLite type cannot be converted to the requested Rust type.
                InvalidType,
                /// The integer does not fit in the requested Rust type.
                OutOfRange(i64),
                /// Text was not valid UTF-8.
                Utf8Error(std::str::Utf8Error),
                /// The blob's length does not match the requested fixed-size type.
                InvalidBlobSize {
                    /// The size the Rust type needs.
                    expected_size: usize,
                    /// The size of the blob SQLite returned.
                    blob_size: usize,
                },
                /// Any other failure, for implementors of [`FromSql`].
                Other(Box<dyn std::error::Error + Send + Sync + 'static>),
            }

            impl FromSqlError {
                /// Boxes any error as [`FromSqlError::Other`].
                pub fn other<E: std::error::Error + Send + Sync + 'static>(error: E) -> Self {
                    Self::Other(Box::new(error))
                }

                /// Re-homes a core conversion error; a boxed `Utf8Error` gets its own variant.
                pub(crate) fn from_core(err: $crate::types::FromSqlError) -> Self {
                    use $crate::types::FromSqlError as Core;
                    match err {
                        Core::InvalidType => Self::InvalidType,
                        Core::OutOfRange(i) => Self::OutOfRange(i),
                        Core::InvalidBlobSize { expected_size, blob_size } => {
                            Self::InvalidBlobSize { expected_size, blob_size }
                        }
                        Core::Other(source) => match source.downcast::<std::str::Utf8Error>() {
                            Ok(utf8) => Self::Utf8Error(*utf8),
                            Err(source) => Self::Other(source),
                        },
                        #[allow(unreachable_patterns)]
                        other => Self::Other(Box::new(other)),
                    }
                }
            }

            impl PartialEq for FromSqlError {
                fn eq(&self, other: &Self) -> bool {
                    match (self, other) {
                        (Self::InvalidType, Self::InvalidType) => true,
                        (Self::OutOfRange(n1), Self::OutOfRange(n2)) => n1 == n2,
                        (Self::Utf8Error(u1), Self::Utf8Error(u2)) => u1 == u2,
                        (
                            Self::InvalidBlobSize { expected_size: e1, blob_size: b1 },
                            Self::InvalidBlobSize { expected_size: e2, blob_size: b2 },
                        ) => e1 == e2 && b1 == b2,
                        (..) => false,
                    }
                }
            }

            impl std::fmt::Display for FromSqlError {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    match self {
                        Self::InvalidType => write!(f, "Invalid type"),
                        Self::OutOfRange(i) => write!(f, "Value {i} out of range"),
                        Self::Utf8Error(err) => err.fmt(f),
                        Self::InvalidBlobSize { expected_size, blob_size } => write!(
                            f,
                            "Cannot read {expected_size} byte value out of {blob_size} byte blob"
                        ),
                        Self::Other(err) => err.fmt(f),
                    }
                }
            }

            impl std::error::Error for FromSqlError {
                fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                    match self {
                        Self::Utf8Error(err) => Some(err),
                        Self::Other(err) => Some(&**err),
                        _ => None,
                    }
                }
            }

            impl From<std::str::Utf8Error> for FromSqlError {
                #[cold]
                fn from(err: std::str::Utf8Error) -> Self {
                    Self::Utf8Error(err)
                }
            }

            /// Result type for implementors of [`FromSql`].
            pub type FromSqlResult<T> = std::result::Result<T, FromSqlError>;

            /// A non-owning SQLite value, borrowed from a row or a parameter.
            #[derive(Copy, Clone, Debug, PartialEq)]
            pub enum ValueRef<'a> {
                /// NULL.
                Null,
                /// A 64-bit signed integer.
                Integer(i64),
                /// A 64-bit float.
                Real(f64),
                /// Text bytes, UTF-8 unless the database holds otherwise.
                Text(&'a [u8]),
                /// Blob bytes.
                Blob(&'a [u8]),
            }

            impl<'a> ValueRef<'a> {
                /// The SQLite type of this value.
                #[inline]
                #[must_use]
                pub fn data_type(&self) -> Type {
                    self.to_core().data_type()
                }

                pub(crate) fn from_core(value: $crate::types::ValueRef<'a>) -> Self {
                    use $crate::types::ValueRef as Core;
                    match value {
                        Core::Null => ValueRef::Null,
                        Core::Integer(i) => ValueRef::Integer(i),
                        Core::Real(r) => ValueRef::Real(r),
                        Core::Text(t) => ValueRef::Text(t),
                        Core::Blob(b) => ValueRef::Blob(b),
                    }
                }

                pub(crate) fn to_core(self) -> $crate::types::ValueRef<'a> {
                    use $crate::types::ValueRef as Core;
                    match self {
                        ValueRef::Null => Core::Null,
                        ValueRef::Integer(i) => Core::Integer(i),
                        ValueRef::Real(r) => Core::Real(r),
                        ValueRef::Text(t) => Core::Text(t),
                        ValueRef::Blob(b) => Core::Blob(b),
                    }
                }

                /// The integer of an `Integer` value, else `InvalidType`.
                #[inline]
                pub fn as_i64(&self) -> FromSqlResult<i64> {
                    self.to_core().as_i64().map_err(FromSqlError::from_core)
                }

                /// `None` for `Null`, the integer of an `Integer` value, else `InvalidType`.
                #[inline]
                pub fn as_i64_or_null(&self) -> FromSqlResult<Option<i64>> {
                    self.to_core().as_i64_or_null().map_err(FromSqlError::from_core)
                }

                /// The number of a `Real` value, else `InvalidType`.
                #[inline]
                pub fn as_f64(&self) -> FromSqlResult<f64> {
                    self.to_core().as_f64().map_err(FromSqlError::from_core)
                }

                /// `None` for `Null`, the number of a `Real` value, else `InvalidType`.
                #[inline]
                pub fn as_f64_or_null(&self) -> FromSqlResult<Option<f64>> {
                    self.to_core().as_f64_or_null().map_err(FromSqlError::from_core)
                }

                /// The string of a `Text` value; `Utf8Error` if it is not UTF-8.
                #[inline]
                pub fn as_str(&self) -> FromSqlResult<&'a str> {
                    self.to_core().as_str().map_err(FromSqlError::from_core)
                }

                /// `None` for `Null`, else as [`as_str`](ValueRef::as_str).
                #[inline]
                pub fn as_str_or_null(&self) -> FromSqlResult<Option<&'a str>> {
                    self.to_core().as_str_or_null().map_err(FromSqlError::from_core)
                }

                /// The bytes of a `Blob` value, else `InvalidType`.
                #[inline]
                pub fn as_blob(&self) -> FromSqlResult<&'a [u8]> {
                    self.to_core().as_blob().map_err(FromSqlError::from_core)
                }

                /// `None` for `Null`, the bytes of a `Blob` value, else `InvalidType`.
                #[inline]
                pub fn as_blob_or_null(&self) -> FromSqlResult<Option<&'a [u8]>> {
                    self.to_core().as_blob_or_null().map_err(FromSqlError::from_core)
                }

                /// The bytes of a `Text` or `Blob` value, else `InvalidType`.
                #[inline]
                pub fn as_bytes(&self) -> FromSqlResult<&'a [u8]> {
                    self.to_core().as_bytes().map_err(FromSqlError::from_core)
                }

                /// `None` for `Null`, the bytes of a `Text` or `Blob` value, else `InvalidType`.
                #[inline]
                pub fn as_bytes_or_null(&self) -> FromSqlResult<Option<&'a [u8]>> {
                    self.to_core().as_bytes_or_null().map_err(FromSqlError::from_core)
                }
            }

            /// Copies a borrowed value; invalid UTF-8 text is `FromSqlError::Utf8Error`
            /// (rusqlite 0.39+; there is no infallible `From` any more).
            impl TryFrom<ValueRef<'_>> for Value {
                type Error = FromSqlError;

                fn try_from(borrowed: ValueRef<'_>) -> FromSqlResult<Value> {
                    Ok(match borrowed {
                        ValueRef::Text(t) => Value::Text(std::str::from_utf8(t)?.to_owned()),
                        other => Value::from(other.to_core()),
                    })
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
                fn from(s: &'a [u8]) -> ValueRef<'a> {
                    ValueRef::Blob(s)
                }
            }

            impl<'a> From<&'a Value> for ValueRef<'a> {
                #[inline]
                fn from(value: &'a Value) -> ValueRef<'a> {
                    ValueRef::from_core(value.into())
                }
            }

            impl<'a, T> From<Option<T>> for ValueRef<'a>
            where
                T: Into<ValueRef<'a>>,
            {
                #[inline]
                fn from(s: Option<T>) -> ValueRef<'a> {
                    match s {
                        Some(x) => x.into(),
                        None => ValueRef::Null,
                    }
                }
            }

            /// What a [`ToSql`] value binds as.
            #[derive(Clone, Debug, PartialEq)]
            #[non_exhaustive]
            pub enum ToSqlOutput<'a> {
                /// A borrowed SQLite-representable value.
                Borrowed(ValueRef<'a>),
                /// An owned SQLite-representable value.
                Owned(Value),
                /// A blob of this many zero bytes.
                ZeroBlob($zero_blob),
                /// Argument `n` of the scalar function being evaluated, returned unchanged as
                /// its result; binding it as a parameter is `SQLITE_MISUSE`.
                Arg(usize),
                /// A `vtab::array::Array` bound for `rarray()` (rusqlite 0.39+ binds it through
                /// its `pointer` variant, which this surface does not have).
                #[doc(hidden)]
                #[cfg(feature = "array")]
                Array($crate::vtab::array::Array),
                /// SQLite's pointer-passing interface (feature `pointer`): the pointer, its type
                /// name and the destructor SQLite calls when done with it. Local connections
                /// only: binding it remotely runs the destructor and is the local-only error.
                #[cfg(feature = "pointer")]
                Pointer($crate::types::PointerParts),
            }

            #[cfg(feature = "pointer")]
            impl<'a> ToSqlOutput<'a> {
                /// Passes an `Rc` to SQLite as a pointer of type `ptr_type`; SQLite drops this
                /// strong reference when done. Leaks it if never bound, as in rusqlite.
                pub fn from_rc<T>(rc: Rc<T>, ptr_type: &'static std::ffi::CStr) -> ToSqlOutput<'a> {
                    unsafe extern "C" fn release<T>(p: *mut std::ffi::c_void) {
                        // SAFETY: `p` came from `Rc::into_raw::<T>` below.
                        unsafe { Rc::decrement_strong_count(p.cast::<T>()) }
                    }
                    ToSqlOutput::Pointer((Rc::into_raw(rc).cast(), ptr_type, Some(release::<T>)))
                }

                /// Passes `value`, boxed, to SQLite as a pointer of type `ptr_type`; SQLite
                /// drops it when done. Leaks it if never bound, as in rusqlite.
                pub fn new_boxed<T>(value: T, ptr_type: &'static std::ffi::CStr) -> ToSqlOutput<'a> {
                    unsafe extern "C" fn release<T>(p: *mut std::ffi::c_void) {
                        // SAFETY: `p` came from `Box::into_raw::<T>` below.
                        drop(unsafe { Box::from_raw(p.cast::<T>()) })
                    }
                    let boxed = Box::into_raw(Box::new(value));
                    ToSqlOutput::Pointer((boxed.cast_const().cast(), ptr_type, Some(release::<T>)))
                }
            }

            impl<'a> ToSqlOutput<'a> {
                pub(crate) fn from_core(out: $crate::types::ToSqlOutput<'a>) -> Self {
                    use $crate::types::ToSqlOutput as Core;
                    match out {
                        Core::Borrowed(v) => ToSqlOutput::Borrowed(ValueRef::from_core(v)),
                        Core::Owned(v) => ToSqlOutput::Owned(v),
                        Core::Arg(i) => ToSqlOutput::Arg(i),
                        // A negative length binds an empty blob in SQLite too.
                        Core::ZeroBlob(n) => {
                            ToSqlOutput::ZeroBlob(<$zero_blob>::try_from(n).unwrap_or_default())
                        }
                        #[cfg(feature = "array")]
                        Core::Array(a) => ToSqlOutput::Array(a),
                        #[cfg(feature = "pointer")]
                        Core::Pointer(parts) => ToSqlOutput::Pointer(parts),
                    }
                }

                /// The core's form, for binding; a zeroblob beyond `i32::MAX` is `TooBig`.
                pub(crate) fn into_core(self) -> Result<$crate::types::ToSqlOutput<'a>> {
                    use $crate::types::ToSqlOutput as Core;
                    Ok(match self {
                        ToSqlOutput::Borrowed(v) => Core::Borrowed(v.to_core()),
                        ToSqlOutput::Owned(v) => Core::Owned(v),
                        ToSqlOutput::Arg(i) => Core::Arg(i),
                        #[cfg(feature = "array")]
                        ToSqlOutput::Array(a) => Core::Array(a),
                        #[cfg(feature = "pointer")]
                        ToSqlOutput::Pointer(parts) => Core::Pointer(parts),
                        ToSqlOutput::ZeroBlob(n) => Core::ZeroBlob(i32::try_from(n).map_err(|_| {
                            // What SQLite reports for a zeroblob64 beyond its limit.
                            Error::SqliteFailure(
                                $crate::surface::ffi::Error::new($crate::ffi::SQLITE_TOOBIG),
                                Some("string or blob too big".to_owned()),
                            )
                        })?),
                    })
                }
            }

            impl<'a, T: ?Sized> From<&'a T> for ToSqlOutput<'a>
            where
                &'a T: Into<ValueRef<'a>>,
            {
                #[inline]
                fn from(t: &'a T) -> ToSqlOutput<'a> {
                    ToSqlOutput::Borrowed(t.into())
                }
            }

            output_from_value!(
                String, Null, bool, i8, i16, i32, i64, isize, u8, u16, u32, f32, f64, Vec<u8>
            );

            output_from_value!(
                std::num::NonZeroI8, std::num::NonZeroI16, std::num::NonZeroI32,
                std::num::NonZeroI64, std::num::NonZeroIsize, std::num::NonZeroU8,
                std::num::NonZeroU16, std::num::NonZeroU32
            );


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
                        #[cfg(feature = "pointer")]
                        ToSqlOutput::Pointer(parts) => ToSqlOutput::Pointer(*parts),
                    })
                }
            }

            /// A type that can be bound as an SQLite parameter.
            pub trait ToSql {
                /// Converts the Rust value into an SQLite value.
                fn to_sql(&self) -> Result<ToSqlOutput<'_>>;
            }

            /// A type that can be read from an SQLite value.
            pub trait FromSql: Sized {
                /// Converts an SQLite value into a Rust value.
                fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self>;
            }

            via_core!(
                Null, bool, i8, i16, i32, i64, isize, u8, u16, u32, f32, f64,
                std::num::NonZeroI8, std::num::NonZeroI16, std::num::NonZeroI32,
                std::num::NonZeroI64, std::num::NonZeroIsize, std::num::NonZeroU8,
                std::num::NonZeroU16, std::num::NonZeroU32, String, str, Vec<u8>, [u8];
                from_sql: i8, i16, i32, i64, isize, u8, u16, u32, f32, f64, bool,
                std::num::NonZeroI8, std::num::NonZeroI16, std::num::NonZeroI32,
                std::num::NonZeroI64, std::num::NonZeroIsize, std::num::NonZeroU8,
                std::num::NonZeroU16, std::num::NonZeroU32,
                String, Box<str>, Rc<str>, Arc<str>, Vec<u8>, Box<[u8]>, Rc<[u8]>, Arc<[u8]>
            );

            // `u64`/`usize` moved behind `fallible_uint` in rusqlite 0.38.
            #[cfg(feature = "fallible_uint")]
            via_core!(
                u64, usize, std::num::NonZeroU64, std::num::NonZeroUsize;
                from_sql: u64, usize, std::num::NonZeroU64, std::num::NonZeroUsize
            );
            // `i128` as a 16-byte BLOB, behind `i128_blob` as in rusqlite.
            #[cfg(feature = "i128_blob")]
            output_from_value!(i128, std::num::NonZeroI128);
            #[cfg(feature = "i128_blob")]
            via_core!(
                i128, std::num::NonZeroI128;
                from_sql: i128, std::num::NonZeroI128
            );
            #[cfg(feature = "chrono")]
            via_core!(
                chrono::NaiveDate, chrono::NaiveTime, chrono::NaiveDateTime,
                chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Local>,
                chrono::DateTime<chrono::FixedOffset>;
                from_sql: chrono::NaiveDate, chrono::NaiveTime, chrono::NaiveDateTime,
                chrono::DateTime<chrono::FixedOffset>
            );

            // rusqlite 0.39 also reads INTEGER unix seconds as `DateTime<Utc|Local>` and
            // `OffsetDateTime`; other values go to the core impl.
            #[cfg(feature = "chrono")]
            impl FromSql for chrono::DateTime<chrono::Utc> {
                fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                    match value {
                        ValueRef::Integer(secs) => {
                            $crate::types::chrono::utc_from_unix_seconds(secs)
                        }
                        other => <Self as $crate::types::FromSql>::column_result(other.to_core()),
                    }
                    .map_err(FromSqlError::from_core)
                }
            }

            #[cfg(feature = "chrono")]
            impl FromSql for chrono::DateTime<chrono::Local> {
                #[inline]
                fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                    let utc = chrono::DateTime::<chrono::Utc>::column_result(value)?;
                    Ok(utc.with_timezone(&chrono::Local))
                }
            }

            #[cfg(feature = "time")]
            impl FromSql for time::OffsetDateTime {
                fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                    match value {
                        ValueRef::Integer(secs) => {
                            $crate::types::time::offset_date_time_from_unix_seconds(secs)
                        }
                        other => <Self as $crate::types::FromSql>::column_result(other.to_core()),
                    }
                    .map_err(FromSqlError::from_core)
                }
            }
            #[cfg(feature = "time")]
            via_core!(
                time::OffsetDateTime, time::Date, time::Time, time::PrimitiveDateTime;
                from_sql: time::Date, time::Time, time::PrimitiveDateTime
            );
            // rusqlite 0.34 has no `UtcDateTime`; the newer lines differ in its `Z` suffix.
            #[cfg(feature = "time")]
            impl ToSql for time::UtcDateTime {
                #[inline]
                fn to_sql(&self) -> Result<ToSqlOutput<'_>> {
                    $crate::types::time::utc_date_time_to_text(self, $utc_z)
                        .map(ToSqlOutput::from)
                        .map_err(Error::from_core)
                }
            }
            #[cfg(feature = "time")]
            impl FromSql for time::UtcDateTime {
                #[inline]
                fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                    $crate::types::time::utc_date_time_from_sql(value.to_core(), $utc_z)
                        .map_err(FromSqlError::from_core)
                }
            }
            #[cfg(feature = "jiff")]
            via_core!(
                jiff::civil::Date, jiff::civil::Time, jiff::civil::DateTime;
                from_sql: jiff::civil::Date, jiff::civil::Time, jiff::civil::DateTime
            );
            // rusqlite 0.39+ also convert `jiff::Timestamp`, which 0.34 lacks.
            #[cfg(feature = "jiff")]
            impl ToSql for jiff::Timestamp {
                #[inline]
                fn to_sql(&self) -> Result<ToSqlOutput<'_>> {
                    Ok(ToSqlOutput::from($crate::types::jiff::timestamp_to_text(self)))
                }
            }
            #[cfg(feature = "jiff")]
            impl FromSql for jiff::Timestamp {
                #[inline]
                fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                    $crate::types::jiff::timestamp_from_sql(value.to_core())
                        .map_err(FromSqlError::from_core)
                }
            }
            #[cfg(feature = "uuid")]
            via_core!(uuid::Uuid; from_sql: uuid::Uuid);
            #[cfg(feature = "uuid")]
            output_from_value!(uuid::Uuid);
            #[cfg(feature = "url")]
            via_core!(url::Url; from_sql: url::Url);
            #[cfg(feature = "serde_json")]
            via_core!(serde_json::Value; from_sql: serde_json::Value);

            impl<const N: usize> ToSql for [u8; N] {
                #[inline]
                fn to_sql(&self) -> Result<ToSqlOutput<'_>> {
                    Ok(ToSqlOutput::from(&self[..]))
                }
            }

            impl<const N: usize> FromSql for [u8; N] {
                #[inline]
                fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                    <[u8; N] as $crate::types::FromSql>::column_result(value.to_core())
                        .map_err(FromSqlError::from_core)
                }
            }

            impl ToSql for Value {
                #[inline]
                fn to_sql(&self) -> Result<ToSqlOutput<'_>> {
                    Ok(ToSqlOutput::Borrowed(self.into()))
                }
            }

            impl FromSql for Value {
                #[inline]
                fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                    Value::try_from(value)
                }
            }

            impl<T: ToSql + ?Sized> ToSql for &T {
                #[inline]
                fn to_sql(&self) -> Result<ToSqlOutput<'_>> {
                    (*self).to_sql()
                }
            }

            impl<T: ToSql + ?Sized> ToSql for Box<T> {
                #[inline]
                fn to_sql(&self) -> Result<ToSqlOutput<'_>> {
                    self.as_ref().to_sql()
                }
            }

            impl<T: ToSql + ?Sized> ToSql for Rc<T> {
                #[inline]
                fn to_sql(&self) -> Result<ToSqlOutput<'_>> {
                    self.as_ref().to_sql()
                }
            }

            impl<T: ToSql + ?Sized> ToSql for Arc<T> {
                #[inline]
                fn to_sql(&self) -> Result<ToSqlOutput<'_>> {
                    self.as_ref().to_sql()
                }
            }

            impl<T: ToSql + ToOwned + ?Sized> ToSql for Cow<'_, T> {
                #[inline]
                fn to_sql(&self) -> Result<ToSqlOutput<'_>> {
                    self.as_ref().to_sql()
                }
            }

            impl<T: ToSql> ToSql for Option<T> {
                #[inline]
                fn to_sql(&self) -> Result<ToSqlOutput<'_>> {
                    match *self {
                        None => Ok(ToSqlOutput::from(Null)),
                        Some(ref t) => t.to_sql(),
                    }
                }
            }

            impl<T: FromSql> FromSql for Option<T> {
                #[inline]
                fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                    match value {
                        ValueRef::Null => Ok(None),
                        _ => FromSql::column_result(value).map(Some),
                    }
                }
            }

            impl<T> FromSql for Cow<'_, T>
            where
                T: ToOwned + ?Sized,
                T::Owned: FromSql,
            {
                #[inline]
                fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                    <T::Owned>::column_result(value).map(Cow::Owned)
                }
            }
        }
    };
}

/// `From<T> for ToSqlOutput`, through the core's `From` impl of the same type, for the exact
/// list rusqlite has (the set of impls matters for type inference).
macro_rules! output_from_value {
    ($($t:ty),* $(,)?) => {$(
        impl From<$t> for ToSqlOutput<'_> {
            #[inline]
            fn from(t: $t) -> Self {
                ToSqlOutput::from_core($crate::types::ToSqlOutput::from(t))
            }
        }
    )*};
}

/// `ToSql` (first list) and `FromSql` (second list) through the core impls.
macro_rules! via_core {
    ($($to:ty),* ; from_sql: $($from:ty),* $(,)?) => {
        $(
            impl ToSql for $to {
                #[inline]
                fn to_sql(&self) -> Result<ToSqlOutput<'_>> {
                    <$to as $crate::types::ToSql>::to_sql(self)
                        .map(ToSqlOutput::from_core)
                        .map_err(Error::from_core)
                }
            }
        )*
        $(
            impl FromSql for $from {
                #[inline]
                fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                    <$from as $crate::types::FromSql>::column_result(value.to_core())
                        .map_err(FromSqlError::from_core)
                }
            }
        )*
    };
}
