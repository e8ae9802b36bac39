//! `surface_functions!`: the `functions` module of rusqlite 0.36 and later over the core's
//! (src/functions.rs). `Context`, `SqlFnOutput`, `SqlFnArg` and the aggregate traits mention the
//! surface's `Error`, `ValueRef` and `ToSql`, so each surface declares them; registration,
//! calling, panics and result handling are the core's. Per version: how a scalar function
//! receives its `Context` (`&` before 0.42, `&mut` since), the `Send` bounds 0.41 added to
//! aggregates, and the parameter-type error variant. Collations (`Name`d since 0.36) are
//! registered here too.

macro_rules! surface_functions {
    (
        scalar_context: [$($scalar_mut:tt)?],
        aggregate_bounds: [$($aggregate_bounds:tt)*],
        parameter_type: $parameter_type:path,
        context_extra { $($context_extra:tt)* }
    ) => {
        /// User-defined SQL functions: scalar, aggregate and window functions (local
        /// connections; a remote one returns the core's local-only `SqliteFailure`).
        pub mod functions {
            use super::types::{FromSql, FromSqlError, ToSql, ToSqlOutput, ValueRef};
            use super::{Error, Result};
            use std::ffi::{c_int, c_uint};
            use std::marker::PhantomData;
            use std::panic::{RefUnwindSafe, UnwindSafe};
            use std::sync::Arc;

            pub use $crate::functions::{FunctionFlags, SubType};

            /// The evaluation context of a user function call: its arguments and auxiliary
            /// data.
            pub struct Context<'a> {
                inner: &'a $crate::functions::Context<'a>,
                /// The arguments as SQLite passed them (0.42+ views them as `types::Values`).
                args: &'a [*mut $crate::ffi::sqlite3_value],
            }

            /// The connection a function runs on ([`Context::get_connection`]): dropping it
            /// never closes the database. Functions run on local connections only.
            pub struct ConnectionRef<'ctx> {
                conn: super::Connection,
                phantom: PhantomData<&'ctx Context<'ctx>>,
            }

            impl std::ops::Deref for ConnectionRef<'_> {
                type Target = super::Connection;

                #[inline]
                fn deref(&self) -> &super::Connection {
                    &self.conn
                }
            }

            impl<'a> Context<'a> {
                pub(crate) fn wrap(inner: &'a $crate::functions::Context<'a>) -> Self {
                    Context { inner, args: inner.args() }
                }

                /// The connection running this function, as a non-owning [`ConnectionRef`].
                ///
                /// # Safety
                /// The connection must not be closed, and nothing that invalidates the running
                /// statement (such as dropping its table) may be done through it.
                pub unsafe fn get_connection(&self) -> Result<ConnectionRef<'_>> {
                    let core = self.inner.get_connection().map_err(Error::from_core)?;
                    Ok(ConnectionRef {
                        conn: super::Connection::from_core(core.into_connection()),
                        phantom: PhantomData,
                    })
                }

                /// The number of arguments the function was called with.
                #[inline]
                #[must_use]
                pub fn len(&self) -> usize {
                    self.args.len()
                }

                /// Whether the function was called without arguments.
                #[inline]
                #[must_use]
                pub fn is_empty(&self) -> bool {
                    self.args.is_empty()
                }

                /// The `T` argument `idx` carries as a pointer of type `ptr_type` (feature
                /// `pointer`), or `None`.
                ///
                /// # Safety
                /// A pointer of type `ptr_type` must point to a live `T`.
                ///
                /// # Panics
                /// If `idx >= self.len()`, as in rusqlite.
                #[cfg(feature = "pointer")]
                pub unsafe fn get_pointer<T: 'static>(
                    &self,
                    idx: usize,
                    ptr_type: &'static std::ffi::CStr,
                ) -> Option<&T> {
                    // SAFETY: a live argument; the caller vouches for the pointer's type.
                    unsafe { $crate::surface::pointer::value_pointer(self.args[idx], ptr_type) }
                }

                /// The `idx`th argument converted to `T`; a type mismatch names the argument.
                ///
                /// # Panics
                /// If `idx >= self.len()`, as in rusqlite (caught by the function wrapper).
                pub fn get<T: FromSql>(&self, idx: usize) -> Result<T> {
                    argument(idx, self.get_raw(idx), $parameter_type)
                }

                /// The `idx`th argument as a borrowed [`ValueRef`].
                #[inline]
                #[must_use]
                pub fn get_raw(&self, idx: usize) -> ValueRef<'_> {
                    ValueRef::from_core(self.inner.get_raw(idx))
                }

                /// The `idx`th argument, to return as the function result unchanged (subtype
                /// included).
                #[must_use]
                pub fn get_arg(&self, idx: usize) -> SqlFnArg {
                    SqlFnArg { inner: self.inner.get_arg(idx) }
                }

                /// The subtype of the `idx`th argument.
                pub fn get_subtype(&self, idx: usize) -> c_uint {
                    self.inner.get_subtype(idx)
                }

                /// Fetches the auxiliary data of argument `arg`, creating it with `func` when
                /// absent.
                pub fn get_or_create_aux<T, E, F>(&self, arg: c_int, func: F) -> Result<Arc<T>>
                where
                    T: Send + Sync + 'static,
                    E: Into<Box<dyn std::error::Error + Send + Sync + 'static>>,
                    F: FnOnce(ValueRef<'_>) -> Result<T, E>,
                {
                    self.inner
                        .get_or_create_aux(arg, |value| func(ValueRef::from_core(value)))
                        .map_err(Error::from_core)
                }

                /// Attaches auxiliary data to argument `arg`.
                pub fn set_aux<T: Send + Sync + 'static>(&self, arg: c_int, value: T) -> Result<Arc<T>> {
                    self.inner.set_aux(arg, value).map_err(Error::from_core)
                }

                /// The auxiliary data of argument `arg`: `Ok(None)` if there is none.
                pub fn get_aux<T: Send + Sync + 'static>(&self, arg: c_int) -> Result<Option<Arc<T>>> {
                    self.inner.get_aux(arg).map_err(Error::from_core)
                }
            }

            /// Argument `idx`, `value`, of a user function or virtual table call converted to
            /// `T`. A type mismatch is `invalid_type(idx, type)`: which variant that is differs
            /// by version and caller (0.40's `InvalidFunctionParameterType` and
            /// `InvalidFilterParameterType`, 0.41+'s `InvalidParameterType`).
            pub(crate) fn argument<T: FromSql>(
                idx: usize,
                value: ValueRef<'_>,
                invalid_type: fn(usize, super::types::Type) -> Error,
            ) -> Result<T> {
                FromSql::column_result(value).map_err(|err| match err {
                    FromSqlError::InvalidType => invalid_type(idx, value.data_type()),
                    FromSqlError::OutOfRange(i) => Error::IntegralValueOutOfRange(idx, i),
                    FromSqlError::Utf8Error(e) => Error::Utf8Error(idx, e),
                    FromSqlError::Other(e) => {
                        Error::FromSqlConversionFailure(idx, value.data_type(), e)
                    }
                    err => Error::FromSqlConversionFailure(idx, value.data_type(), Box::new(err)),
                })
            }

            $($context_extra)*

            /// What a user function may return: any [`ToSql`] value, or a `(value, SubType)`
            /// pair.
            pub trait SqlFnOutput {
                /// The value for the engine and its optional subtype.
                fn to_sql(&self) -> Result<(ToSqlOutput<'_>, SubType)>;
            }

            impl<T: ToSql> SqlFnOutput for T {
                #[inline]
                fn to_sql(&self) -> Result<(ToSqlOutput<'_>, SubType)> {
                    ToSql::to_sql(self).map(|out| (out, None))
                }
            }

            impl<T: ToSql> SqlFnOutput for (T, SubType) {
                fn to_sql(&self) -> Result<(ToSqlOutput<'_>, SubType)> {
                    ToSql::to_sql(&self.0).map(|out| (out, self.1))
                }
            }

            /// An argument of a scalar function, returned as its result (see
            /// [`Context::get_arg`]).
            pub struct SqlFnArg {
                inner: $crate::functions::SqlFnArg,
            }

            impl ToSql for SqlFnArg {
                fn to_sql(&self) -> Result<ToSqlOutput<'_>> {
                    $crate::types::ToSql::to_sql(&self.inner)
                        .map(ToSqlOutput::from_core)
                        .map_err(Error::from_core)
                }
            }

            /// The callbacks of a user-defined aggregate function.
            pub trait Aggregate<A, T>
            where
                A: RefUnwindSafe + UnwindSafe,
                T: SqlFnOutput,
            {
                /// Creates the accumulator, just before the first `step` of a group.
                fn init(&self, ctx: &mut Context<'_>) -> Result<A>;

                /// Adds one row of the group to the accumulator.
                fn step(&self, ctx: &mut Context<'_>, acc: &mut A) -> Result<()>;

                /// Computes the group's result; `acc` is `None` when `step` never ran.
                fn finalize(&self, ctx: &mut Context<'_>, acc: Option<A>) -> Result<T>;
            }

            /// The extra callbacks of a user-defined aggregate window function.
            pub trait WindowAggregate<A, T>: Aggregate<A, T>
            where
                A: RefUnwindSafe + UnwindSafe,
                T: SqlFnOutput,
            {
                /// The current value of the aggregate, without consuming the accumulator.
                fn value(&self, acc: Option<&mut A>) -> Result<T>;

                /// Removes a row that left the window from the accumulator.
                fn inverse(&self, ctx: &mut Context<'_>, acc: &mut A) -> Result<()>;
            }

            /// A callback's error for the core, which reports it to the engine: a
            /// `SqliteFailure` keeps its code, anything else is carried with its own text.
            pub(crate) fn callback_error(err: Error) -> $crate::Error {
                err.into_callback_error()
            }

            /// A surface result as the core's function output.
            pub(crate) struct Output<T>(pub(crate) T);

            impl<T: SqlFnOutput> $crate::functions::SqlFnOutput for Output<T> {
                fn to_sql(
                    &self,
                ) -> $crate::Result<($crate::types::ToSqlOutput<'_>, SubType)> {
                    let (out, sub_type) = self.0.to_sql().map_err(callback_error)?;
                    Ok((out.into_core().map_err(callback_error)?, sub_type))
                }
            }

            pub(crate) fn output<T>(result: Result<T>) -> $crate::Result<Output<T>> {
                result.map(Output).map_err(callback_error)
            }

            /// A surface aggregate as the core's.
            pub(crate) struct Adapter<D, T>(pub(crate) D, pub(crate) PhantomData<fn() -> T>);

            impl<A, T, D> $crate::functions::Aggregate<A, Output<T>> for Adapter<D, T>
            where
                A: RefUnwindSafe + UnwindSafe,
                T: SqlFnOutput,
                D: Aggregate<A, T>,
            {
                fn init(&self, ctx: &mut $crate::functions::Context<'_>) -> $crate::Result<A> {
                    self.0.init(&mut Context::wrap(ctx)).map_err(callback_error)
                }

                fn step(
                    &self,
                    ctx: &mut $crate::functions::Context<'_>,
                    acc: &mut A,
                ) -> $crate::Result<()> {
                    self.0.step(&mut Context::wrap(ctx), acc).map_err(callback_error)
                }

                fn finalize(
                    &self,
                    ctx: &mut $crate::functions::Context<'_>,
                    acc: Option<A>,
                ) -> $crate::Result<Output<T>> {
                    output(self.0.finalize(&mut Context::wrap(ctx), acc))
                }
            }

            impl<A, T, W> $crate::functions::WindowAggregate<A, Output<T>> for Adapter<W, T>
            where
                A: RefUnwindSafe + UnwindSafe,
                T: SqlFnOutput,
                W: WindowAggregate<A, T>,
            {
                fn value(&self, acc: Option<&mut A>) -> $crate::Result<Output<T>> {
                    output(self.0.value(acc))
                }

                fn inverse(
                    &self,
                    ctx: &mut $crate::functions::Context<'_>,
                    acc: &mut A,
                ) -> $crate::Result<()> {
                    self.0.inverse(&mut Context::wrap(ctx), acc).map_err(callback_error)
                }
            }
        }

        impl Connection {
            /// Registers (or replaces) a scalar SQL function (local connections).
            pub fn create_scalar_function<F, N: Name, T>(
                &self,
                fn_name: N,
                n_arg: std::ffi::c_int,
                flags: functions::FunctionFlags,
                x_func: F,
            ) -> Result<()>
            where
                F: Fn(&$($scalar_mut)? functions::Context<'_>) -> Result<T> + Send + 'static,
                T: functions::SqlFnOutput,
            {
                let name = fn_name.as_cstr()?;
                self.inner
                    .create_scalar_function(name.to_str()?, n_arg, flags, move |ctx| {
                        #[allow(unused_mut)]
                        let mut ctx = functions::Context::wrap(ctx);
                        functions::output(x_func(&$($scalar_mut)? ctx))
                    })
                    .map_err(Error::from_core)
            }

            /// Registers (or replaces) an aggregate SQL function (local connections).
            pub fn create_aggregate_function<A, D, N: Name, T>(
                &self,
                fn_name: N,
                n_arg: std::ffi::c_int,
                flags: functions::FunctionFlags,
                aggr: D,
            ) -> Result<()>
            where
                A: std::panic::RefUnwindSafe + std::panic::UnwindSafe $($aggregate_bounds)*,
                D: functions::Aggregate<A, T> $($aggregate_bounds)* + 'static,
                T: functions::SqlFnOutput + 'static,
            {
                let name = fn_name.as_cstr()?;
                let aggr = functions::Adapter(aggr, std::marker::PhantomData);
                self.inner
                    .create_aggregate_function(name.to_str()?, n_arg, flags, aggr)
                    .map_err(Error::from_core)
            }

            /// Registers (or replaces) an aggregate window function (local connections).
            pub fn create_window_function<A, N: Name, W, T>(
                &self,
                fn_name: N,
                n_arg: std::ffi::c_int,
                flags: functions::FunctionFlags,
                aggr: W,
            ) -> Result<()>
            where
                A: std::panic::RefUnwindSafe + std::panic::UnwindSafe $($aggregate_bounds)*,
                W: functions::WindowAggregate<A, T> $($aggregate_bounds)* + 'static,
                T: functions::SqlFnOutput + 'static,
            {
                let name = fn_name.as_cstr()?;
                let aggr = functions::Adapter(aggr, std::marker::PhantomData);
                self.inner
                    .create_window_function(name.to_str()?, n_arg, flags, aggr)
                    .map_err(Error::from_core)
            }

            /// Registers (or replaces) the collation `collation_name` (local connections).
            pub fn create_collation<C, N: Name>(&self, collation_name: N, x_compare: C) -> Result<()>
            where
                C: Fn(&str, &str) -> std::cmp::Ordering + Send + 'static,
            {
                let name = collation_name.as_cstr()?;
                self.inner
                    .create_collation(name.to_str()?, x_compare)
                    .map_err(Error::from_core)
            }

            /// Removes the collation `collation_name` (local connections).
            pub fn remove_collation<N: Name>(&self, collation_name: N) -> Result<()> {
                let name = collation_name.as_cstr()?;
                self.inner.remove_collation(name.to_str()?).map_err(Error::from_core)
            }

            /// Removes the user function `fn_name` with `n_arg` arguments (local connections).
            pub fn remove_function<N: Name>(&self, fn_name: N, n_arg: std::ffi::c_int) -> Result<()> {
                let name = fn_name.as_cstr()?;
                self.inner
                    .remove_function(name.to_str()?, n_arg)
                    .map_err(Error::from_core)
            }
        }
    };
}
