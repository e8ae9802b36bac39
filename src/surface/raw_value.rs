//! `surface_raw_value!`: rusqlite 0.42's `types::{Values, RawValue, ValueIter}`, the view of the
//! engine values a user function (its `Context` derefs to `Values`) or a virtual table call
//! receives. Expanded inside a surface's `types` module; reads go through the core's
//! `value_ref_from_value`, conversions through the surface's `functions::argument`.

macro_rules! surface_raw_value {
    () => {
        /// The argument values of a user function or virtual table call, as SQLite passes
        /// them (local connections only: remote ones run no Rust callbacks).
        /// 0.42+ `vtab::Values` is this type too.
        #[repr(transparent)]
        pub struct Values<'a> {
            /// The engine's values (read directly by `vtab`'s argument views).
            pub(crate) args: &'a [*mut $crate::ffi::sqlite3_value],
        }

        impl<'a> Values<'a> {
            /// The arguments slice `args` viewed as `Values`.
            pub(crate) fn from_args<'s>(
                args: &'s &'a [*mut $crate::ffi::sqlite3_value],
            ) -> &'s Values<'a> {
                // SAFETY: `Values` is `#[repr(transparent)]` over the slice reference.
                unsafe {
                    &*(args as *const &'a [*mut $crate::ffi::sqlite3_value]).cast::<Values<'a>>()
                }
            }

            /// As [`from_args`](Values::from_args), mutably (for `&mut ctx[i]`).
            pub(crate) fn from_args_mut<'s>(
                args: &'s mut &'a [*mut $crate::ffi::sqlite3_value],
            ) -> &'s mut Values<'a> {
                // SAFETY: as in `from_args`.
                unsafe {
                    &mut *(args as *mut &'a [*mut $crate::ffi::sqlite3_value]).cast::<Values<'a>>()
                }
            }

            /// The number of values.
            #[must_use]
            pub fn len(&self) -> usize {
                self.args.len()
            }

            /// The `T` value `idx` carries as a pointer of type `ptr_type` (feature
            /// `pointer`), or `None`.
            ///
            /// # Safety
            /// A pointer of type `ptr_type` must point to a `T` that outlives `'p`.
            ///
            /// # Panics
            /// If `idx >= self.len()`, as in rusqlite.
            #[cfg(feature = "pointer")]
            #[must_use]
            pub unsafe fn get_pointer<'p, T: 'static>(
                &self,
                idx: usize,
                ptr_type: &'static std::ffi::CStr,
            ) -> Option<&'p T> {
                // SAFETY: a live value; the caller vouches for the pointer's type.
                unsafe { $crate::surface::pointer::value_pointer(self.args[idx], ptr_type) }
            }

            /// Whether there is no value.
            #[must_use]
            pub fn is_empty(&self) -> bool {
                self.args.is_empty()
            }

            /// Value `idx` converted to `T`; a type mismatch is `InvalidParameterType(idx, _)`.
            ///
            /// # Panics
            /// If `idx >= self.len()`, as in rusqlite.
            pub fn get<T: FromSql>(&self, idx: usize) -> Result<T> {
                self[idx].get(idx)
            }

            /// The subtype of value `idx`.
            ///
            /// # Panics
            /// If `idx >= self.len()`, as in rusqlite.
            #[must_use]
            pub fn get_subtype(&self, idx: usize) -> std::ffi::c_uint {
                self[idx].subtype()
            }

            /// Iterates over the values as [`ValueRef`]s.
            #[must_use]
            pub fn iter(&self) -> ValueIter<'_> {
                ValueIter {
                    iter: $crate::functions::ArgValues::over(self.args),
                }
            }
        }

        impl std::ops::Index<usize> for Values<'_> {
            type Output = RawValue;

            fn index(&self, index: usize) -> &RawValue {
                // SAFETY: the engine's argument values live as long as the call, which
                // outlives this borrow.
                unsafe { RawValue::from_ptr(self.args[index]) }
            }
        }

        impl std::ops::IndexMut<usize> for Values<'_> {
            fn index_mut(&mut self, index: usize) -> &mut RawValue {
                // SAFETY: as in `index`; `&mut self` keeps this the only borrow through it.
                unsafe { RawValue::from_ptr(self.args[index]) }
            }
        }

        impl<'a> IntoIterator for &'a Values<'a> {
            type IntoIter = ValueIter<'a>;
            type Item = ValueRef<'a>;

            fn into_iter(self) -> ValueIter<'a> {
                self.iter()
            }
        }

        /// Iterator over [`Values`].
        pub struct ValueIter<'a> {
            iter: $crate::functions::ArgValues<'a>,
        }

        impl<'a> Iterator for ValueIter<'a> {
            type Item = ValueRef<'a>;

            fn next(&mut self) -> Option<ValueRef<'a>> {
                self.iter.next().map(ValueRef::from_core)
            }

            fn size_hint(&self) -> (usize, Option<usize>) {
                self.iter.size_hint()
            }
        }

        /// One engine value (a `sqlite3_value`), borrowed from [`Values`].
        #[repr(transparent)]
        pub struct RawValue {
            value: $crate::ffi::sqlite3_value,
            not_send: std::marker::PhantomData<*mut $crate::ffi::sqlite3_value>,
        }

        impl RawValue {
            /// The engine value at `ptr` (also for `vtab`'s `IN` list values).
            ///
            /// # Safety
            /// `ptr` must be a live value for `'v`, borrowed nowhere else mutably.
            pub(crate) unsafe fn from_ptr<'v>(
                ptr: *mut $crate::ffi::sqlite3_value,
            ) -> &'v mut RawValue {
                &mut *ptr.cast::<RawValue>()
            }

            fn as_ptr(&self) -> *mut $crate::ffi::sqlite3_value {
                std::ptr::from_ref(&self.value).cast_mut()
            }

            /// The `T` this value carries as a pointer of type `ptr_type` (feature `pointer`),
            /// or `None`.
            ///
            /// # Safety
            /// A pointer of type `ptr_type` must point to a `T` that outlives `'p`.
            #[cfg(feature = "pointer")]
            pub unsafe fn get_pointer<'p, T: 'static>(
                &self,
                ptr_type: &'static std::ffi::CStr,
            ) -> Option<&'p T> {
                // SAFETY: a live value; the caller vouches for the pointer's type.
                unsafe { $crate::surface::pointer::value_pointer(self.as_ptr(), ptr_type) }
            }

            /// The value's SQL type.
            #[must_use]
            pub fn data_type(&self) -> Type {
                // SAFETY: a live value.
                type_of(unsafe { $crate::ffi::sqlite3_value_type(self.as_ptr()) })
            }

            /// Applies numeric affinity to the value (text that looks like a number becomes
            /// one) and returns its type afterwards.
            pub fn numeric_type(&mut self) -> Type {
                // SAFETY: a live value, borrowed mutably.
                type_of(unsafe { $crate::ffi::sqlite3_value_numeric_type(self.as_ptr()) })
            }

            /// The value's subtype.
            #[must_use]
            pub fn subtype(&self) -> std::ffi::c_uint {
                // SAFETY: a live value.
                unsafe { $crate::ffi::sqlite3_value_subtype(self.as_ptr()) }
            }

            /// The value converted to `T`; `idx` only names it in the error.
            pub fn get<T: FromSql>(&self, idx: usize) -> Result<T> {
                super::functions::argument(idx, self.get_raw(), Error::InvalidParameterType)
            }

            /// The value as a borrowed [`ValueRef`].
            #[must_use]
            pub fn get_raw(&self) -> ValueRef<'_> {
                ValueRef::from(self)
            }
        }

        impl<'a> From<&'a RawValue> for ValueRef<'a> {
            fn from(value: &'a RawValue) -> ValueRef<'a> {
                // SAFETY: a live value for the borrow.
                ValueRef::from_core(unsafe {
                    $crate::functions::value_ref_from_value(value.as_ptr())
                })
            }
        }

        /// The [`Type`] of an engine type code.
        fn type_of(code: std::ffi::c_int) -> Type {
            match code {
                $crate::ffi::SQLITE_INTEGER => Type::Integer,
                $crate::ffi::SQLITE_FLOAT => Type::Real,
                $crate::ffi::SQLITE_TEXT => Type::Text,
                $crate::ffi::SQLITE_BLOB => Type::Blob,
                _ => Type::Null,
            }
        }
    };
}
