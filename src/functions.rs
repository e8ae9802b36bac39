//! User-defined SQL functions: scalar, aggregate and window functions written in Rust.
//!
//! The API is rusqlite 0.34's `functions` module (and its `window` additions). Functions are
//! registered on the local engine with `sqlite3_create_function_v2`, which owns the Rust
//! closure and drops it when the function is replaced, removed, or the connection closes.
//!
//! ## Backends
//! Local connections only: on a remote connection every registration returns
//! `Error::SqliteFailure` (`ApiMisuse`) saying the feature needs a local database.
//!
//! ## Errors and panics
//! An `Err` returned by a callback fails the SQL statement that called the function: a
//! `SqliteFailure` keeps its code and message, any other error becomes SQLite's "constraint
//! failed" code with the error's `Display` text as message. A panic inside a callback is caught
//! and fails the statement with the message "unwinding panic"; it never crosses into C.
//!
//! ## Example
//!
//! ```rust
//! use dbcompat::functions::FunctionFlags;
//! use dbcompat::{Connection, Result};
//!
//! fn main() -> Result<()> {
//!     let db = Connection::open_in_memory()?;
//!     db.create_scalar_function(
//!         "halve",
//!         1,
//!         FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
//!         |ctx| Ok(ctx.get::<f64>(0)? / 2.0),
//!     )?;
//!     let half: f64 = db.query_row("SELECT halve(6)", [], |r| r.get(0))?;
//!     assert_eq!(half, 3.0);
//!     Ok(())
//! }
//! ```

use crate::types::{FromSql, FromSqlError, ToSql, ToSqlOutput, ValueRef};
use crate::{ffi, Connection, Error, Result};
use std::any::Any;
use std::ffi::{c_char, c_int, c_uint, c_void, CString};
use std::marker::PhantomData;
use std::ops::Deref;
use std::panic::{catch_unwind, AssertUnwindSafe, RefUnwindSafe, UnwindSafe};
use std::ptr;
use std::slice;
use std::sync::Arc;

/// Reads an engine value as a borrowed [`ValueRef`], valid while the engine keeps the value.
///
/// # Safety
/// `value` must be a live `sqlite3_value` for the whole lifetime `'a`.
pub(crate) unsafe fn value_ref_from_value<'a>(value: *mut ffi::sqlite3_value) -> ValueRef<'a> {
    match ffi::sqlite3_value_type(value) {
        ffi::SQLITE_INTEGER => ValueRef::Integer(ffi::sqlite3_value_int64(value)),
        ffi::SQLITE_FLOAT => ValueRef::Real(ffi::sqlite3_value_double(value)),
        ffi::SQLITE_TEXT => {
            let p = ffi::sqlite3_value_text(value);
            let len = ffi::sqlite3_value_bytes(value);
            if p.is_null() || len <= 0 {
                ValueRef::Text(&[])
            } else {
                ValueRef::Text(slice::from_raw_parts(p.cast::<u8>(), len as usize))
            }
        }
        ffi::SQLITE_BLOB => {
            let p = ffi::sqlite3_value_blob(value);
            let len = ffi::sqlite3_value_bytes(value);
            if p.is_null() || len <= 0 {
                // A zero-length blob comes back as a null pointer.
                ValueRef::Blob(&[])
            } else {
                ValueRef::Blob(slice::from_raw_parts(p.cast::<u8>(), len as usize))
            }
        }
        _ => ValueRef::Null,
    }
}

/// The argument values of a running callback, in order, as [`ValueRef`]s: what `vtab`'s
/// `ValueIter` and the newer surfaces' `types::ValueIter` iterate.
pub(crate) struct ArgValues<'a> {
    iter: slice::Iter<'a, *mut ffi::sqlite3_value>,
}

impl<'a> ArgValues<'a> {
    /// Iterates over `args`, which must be the live values of the running callback (the engine
    /// keeps them for the whole call, which outlives `'a`).
    pub(crate) fn over(args: &'a [*mut ffi::sqlite3_value]) -> ArgValues<'a> {
        ArgValues { iter: args.iter() }
    }
}

impl<'a> Iterator for ArgValues<'a> {
    type Item = ValueRef<'a>;

    fn next(&mut self) -> Option<ValueRef<'a>> {
        // SAFETY: live values of the running callback (see `over`).
        self.iter
            .next()
            .map(|&v| unsafe { value_ref_from_value(v) })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.iter.size_hint()
    }
}

/// Sets the error of a function call from `err`, the way rusqlite reports it: a
/// `SqliteFailure` keeps its extended code (and message, if any); anything else is
/// `SQLITE_CONSTRAINT_FUNCTION` with the error's text.
unsafe fn report_error(ctx: *mut ffi::sqlite3_context, err: &Error) {
    let (code, message) = match err {
        Error::SqliteFailure(e, msg) => (e.extended_code, msg.clone()),
        other => (ffi::SQLITE_CONSTRAINT_FUNCTION, Some(other.to_string())),
    };
    ffi::sqlite3_result_error_code(ctx, code);
    // A message with an interior NUL cannot be handed over; the code's own text stays.
    if let Some(Ok(msg)) = message.map(CString::new) {
        ffi::sqlite3_result_error(ctx, msg.as_ptr(), -1);
    }
}

/// Hands a Rust value to the engine as the function result.
pub(crate) unsafe fn set_result(
    ctx: *mut ffi::sqlite3_context,
    args: &[*mut ffi::sqlite3_value],
    out: &ToSqlOutput<'_>,
) {
    let value = match out {
        ToSqlOutput::Borrowed(v) => *v,
        ToSqlOutput::Owned(v) => ValueRef::from(v),
        ToSqlOutput::ZeroBlob(n) => return ffi::sqlite3_result_zeroblob(ctx, *n),
        // The argument's own value, so its subtype survives. An index out of range (a
        // hand-built `Arg`) is the engine's misuse, not a panic in the callback.
        ToSqlOutput::Arg(i) => {
            return match args.get(*i) {
                Some(&arg) => ffi::sqlite3_result_value(ctx, arg),
                None => ffi::sqlite3_result_error_code(ctx, ffi::SQLITE_MISUSE),
            }
        }
        #[cfg(feature = "array")]
        ToSqlOutput::Array(a) => {
            use crate::vtab::array::{free_array, into_engine, ARRAY_TYPE};
            return ffi::sqlite3_result_pointer(ctx, into_engine(a), ARRAY_TYPE, Some(free_array));
        }
        #[cfg(feature = "pointer")]
        ToSqlOutput::Pointer((p, type_name, free)) => {
            return ffi::sqlite3_result_pointer(ctx, p.cast_mut(), type_name.as_ptr(), *free);
        }
    };
    match value {
        ValueRef::Null => ffi::sqlite3_result_null(ctx),
        ValueRef::Integer(i) => ffi::sqlite3_result_int64(ctx, i),
        ValueRef::Real(r) => ffi::sqlite3_result_double(ctx, r),
        ValueRef::Text(s) => match c_int::try_from(s.len()) {
            Err(_) => ffi::sqlite3_result_error_toobig(ctx),
            Ok(0) => ffi::sqlite3_result_text(ctx, c"".as_ptr(), 0, ffi::SQLITE_STATIC()),
            Ok(n) => ffi::sqlite3_result_text(
                ctx,
                s.as_ptr().cast::<c_char>(),
                n,
                ffi::SQLITE_TRANSIENT(),
            ),
        },
        ValueRef::Blob(b) => match c_int::try_from(b.len()) {
            Err(_) => ffi::sqlite3_result_error_toobig(ctx),
            Ok(0) => ffi::sqlite3_result_zeroblob(ctx, 0),
            Ok(n) => ffi::sqlite3_result_blob(
                ctx,
                b.as_ptr().cast::<c_void>(),
                n,
                ffi::SQLITE_TRANSIENT(),
            ),
        },
    }
}

/// Sets the result (or the error) of a function call from what the Rust callback returned.
unsafe fn sql_result<T: SqlFnOutput>(
    ctx: *mut ffi::sqlite3_context,
    args: &[*mut ffi::sqlite3_value],
    r: Result<T>,
) {
    let t = match r {
        Ok(t) => t,
        Err(e) => return report_error(ctx, &e),
    };
    // Converting is user code too (a `ToSql` impl); keep a panic inside it on this side.
    let converted = catch_unwind(AssertUnwindSafe(|| match SqlFnOutput::to_sql(&t) {
        Ok((out, sub_type)) => {
            set_result(ctx, args, &out);
            if let Some(sub_type) = sub_type {
                ffi::sqlite3_result_subtype(ctx, sub_type);
            }
            None
        }
        Err(e) => Some(e),
    }));
    match converted {
        Ok(None) => {}
        Ok(Some(e)) => report_error(ctx, &e),
        Err(_) => report_error(ctx, &Error::UnwindingPanic),
    }
}

/// The evaluation context of a user function call: its arguments and auxiliary data.
pub struct Context<'a> {
    ctx: *mut ffi::sqlite3_context,
    args: &'a [*mut ffi::sqlite3_value],
}

impl<'a> Context<'a> {
    /// The argument values as the engine passed them (the newer surfaces' `types::Values`).
    pub(crate) fn args(&self) -> &'a [*mut ffi::sqlite3_value] {
        self.args
    }
}

impl Context<'_> {
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

    /// The `idx`th argument converted to `T`.
    ///
    /// # Failure
    /// `Error::InvalidFunctionParameterType(idx, type)` when the SQL type cannot become a `T`,
    /// `IntegralValueOutOfRange(idx, value)` for an integer that does not fit, and
    /// `FromSqlConversionFailure` for other conversion errors.
    ///
    /// # Panics
    /// If `idx >= self.len()`, as in rusqlite. The panic is caught by the function wrapper
    /// and fails the statement with "unwinding panic".
    pub fn get<T: FromSql>(&self, idx: usize) -> Result<T> {
        let value = self.get_raw(idx);
        FromSql::column_result(value).map_err(|err| match err {
            FromSqlError::InvalidType => {
                Error::InvalidFunctionParameterType(idx, value.data_type())
            }
            FromSqlError::OutOfRange(i) => Error::IntegralValueOutOfRange(idx, i),
            FromSqlError::Other(err) => {
                Error::FromSqlConversionFailure(idx, value.data_type(), err)
            }
            err @ FromSqlError::InvalidBlobSize { .. } => {
                Error::FromSqlConversionFailure(idx, value.data_type(), Box::new(err))
            }
        })
    }

    /// The `idx`th argument as a borrowed [`ValueRef`].
    ///
    /// # Panics
    /// If `idx >= self.len()`, as in rusqlite (caught by the function wrapper).
    #[inline]
    #[must_use]
    pub fn get_raw(&self, idx: usize) -> ValueRef<'_> {
        // SAFETY: the argument values live for the duration of the call, which outlives `self`.
        unsafe { value_ref_from_value(self.args[idx]) }
    }

    /// The `idx`th argument, to return as the function result unchanged (subtype included).
    ///
    /// # Panics
    /// If `idx >= self.len()`, as in rusqlite (caught by the function wrapper).
    #[must_use]
    pub fn get_arg(&self, idx: usize) -> SqlFnArg {
        assert!(idx < self.len());
        SqlFnArg { idx }
    }

    /// The subtype of the `idx`th argument (`sqlite3_value_subtype`).
    ///
    /// # Panics
    /// If `idx >= self.len()`, as in rusqlite (caught by the function wrapper).
    pub fn get_subtype(&self, idx: usize) -> c_uint {
        // SAFETY: a live argument value.
        unsafe { ffi::sqlite3_value_subtype(self.args[idx]) }
    }

    /// Fetches the auxiliary data of argument `arg`, creating it with `func` when absent.
    ///
    /// # Failure
    /// `Error::GetAuxWrongType` when the stored data is not a `T`; an error from `func` comes
    /// back as `Error::UserFunctionError`.
    pub fn get_or_create_aux<T, E, F>(&self, arg: c_int, func: F) -> Result<Arc<T>>
    where
        T: Send + Sync + 'static,
        E: Into<Box<dyn std::error::Error + Send + Sync + 'static>>,
        F: FnOnce(ValueRef<'_>) -> Result<T, E>,
    {
        if let Some(v) = self.get_aux(arg)? {
            return Ok(v);
        }
        let value = self.get_raw(arg as usize);
        let made = func(value).map_err(|e| Error::UserFunctionError(e.into()))?;
        self.set_aux(arg, made)
    }

    /// Attaches auxiliary data to argument `arg` (`sqlite3_set_auxdata`); SQLite may keep it
    /// for later calls of the same statement while the argument stays constant.
    ///
    /// # Panics
    /// If `arg >= self.len()`, as in rusqlite (caught by the function wrapper).
    pub fn set_aux<T: Send + Sync + 'static>(&self, arg: c_int, value: T) -> Result<Arc<T>> {
        assert!(arg >= 0 && (arg as usize) < self.len());
        let shared: Arc<T> = Arc::new(value);
        let stored: AuxInner = shared.clone();
        let raw = Box::into_raw(Box::new(stored));
        // SAFETY: the engine owns `raw` from here and frees it with `drop_boxed::<AuxInner>`.
        unsafe {
            ffi::sqlite3_set_auxdata(
                self.ctx,
                arg,
                raw.cast::<c_void>(),
                Some(drop_boxed::<AuxInner>),
            );
        }
        Ok(shared)
    }

    /// The auxiliary data of argument `arg`: `Ok(None)` if there is none.
    ///
    /// # Failure
    /// `Error::GetAuxWrongType` when the stored data is not a `T`.
    pub fn get_aux<T: Send + Sync + 'static>(&self, arg: c_int) -> Result<Option<Arc<T>>> {
        assert!(arg >= 0 && (arg as usize) < self.len());
        // SAFETY: data set by `set_aux` is always a boxed `AuxInner`.
        let p = unsafe { ffi::sqlite3_get_auxdata(self.ctx, arg) as *const AuxInner };
        if p.is_null() {
            return Ok(None);
        }
        let inner: AuxInner = unsafe { (*p).clone() };
        inner
            .downcast::<T>()
            .map(Some)
            .map_err(|_| Error::GetAuxWrongType)
    }

    /// The connection that is running this function, as a non-owning [`ConnectionRef`].
    ///
    /// # Safety
    /// The connection must not be closed, and nothing that invalidates the running statement
    /// (such as dropping its table) may be done through it.
    pub unsafe fn get_connection(&self) -> Result<ConnectionRef<'_>> {
        let handle = ffi::sqlite3_context_db_handle(self.ctx);
        Ok(ConnectionRef {
            conn: Connection::from_handle(handle)?,
            phantom: PhantomData,
        })
    }
}

/// The connection a function callback runs on ([`Context::get_connection`]): a [`Connection`]
/// that borrows the engine handle, so dropping it never closes the database. Functions only
/// run on local connections, so this is always a local one.
pub struct ConnectionRef<'ctx> {
    conn: Connection,
    phantom: PhantomData<&'ctx Context<'ctx>>,
}

impl ConnectionRef<'_> {
    /// The non-owning connection itself, for the newer surfaces' `ConnectionRef`.
    pub(crate) fn into_connection(self) -> Connection {
        self.conn
    }
}

impl Deref for ConnectionRef<'_> {
    type Target = Connection;

    #[inline]
    fn deref(&self) -> &Connection {
        &self.conn
    }
}

type AuxInner = Arc<dyn Any + Send + Sync + 'static>;

/// Frees a `Box<T>` that was handed to the engine as a raw pointer. A panic in `T`'s `Drop`
/// is swallowed: it must not unwind into the engine.
pub(crate) unsafe extern "C" fn drop_boxed<T>(p: *mut c_void) {
    if !p.is_null() {
        let boxed = Box::from_raw(p.cast::<T>());
        let _ = catch_unwind(AssertUnwindSafe(move || drop(boxed)));
    }
}

/// The subtype of a function result (`sqlite3_result_subtype`); `None` leaves it unset.
pub type SubType = Option<c_uint>;

/// What a user function may return: any [`ToSql`] value, or a `(value, SubType)` pair.
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

/// An argument of a scalar function, returned as its result (see [`Context::get_arg`]).
pub struct SqlFnArg {
    idx: usize,
}

impl ToSql for SqlFnArg {
    /// `ToSqlOutput::Arg`: as a function result, the argument itself.
    fn to_sql(&self) -> Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Arg(self.idx))
    }
}

/// The callbacks of a user-defined aggregate function.
///
/// `A` is the per-group accumulator and `T` the final result type. Implementations should
/// keep no state of their own between groups: each group gets its own `A`.
pub trait Aggregate<A, T>
where
    A: RefUnwindSafe + UnwindSafe,
    T: SqlFnOutput,
{
    /// Creates the accumulator, just before the first `step` of a group (never for an empty
    /// group).
    fn init(&self, ctx: &mut Context<'_>) -> Result<A>;

    /// Adds one row of the group to the accumulator.
    fn step(&self, ctx: &mut Context<'_>, acc: &mut A) -> Result<()>;

    /// Computes the group's result, exactly once per group: `acc` is `None` when `step` never
    /// ran (no rows). The context has no arguments.
    fn finalize(&self, ctx: &mut Context<'_>, acc: Option<A>) -> Result<T>;
}

/// The extra callbacks of a user-defined aggregate window function
/// (rusqlite feature `window`; always available here).
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

bitflags::bitflags! {
    /// Function flags, with SQLite's values (see `sqlite3_create_function`).
    #[derive(Clone, Copy, Debug)]
    #[repr(C)]
    pub struct FunctionFlags: c_int {
        /// Arguments are preferred in UTF-8.
        const SQLITE_UTF8 = ffi::SQLITE_UTF8;
        /// Arguments are preferred in UTF-16 little-endian.
        const SQLITE_UTF16LE = ffi::SQLITE_UTF16LE;
        /// Arguments are preferred in UTF-16 big-endian.
        const SQLITE_UTF16BE = ffi::SQLITE_UTF16BE;
        /// Arguments are preferred in native-order UTF-16.
        const SQLITE_UTF16 = ffi::SQLITE_UTF16;
        /// The function always gives the same output for the same input.
        const SQLITE_DETERMINISTIC = ffi::SQLITE_DETERMINISTIC;
        /// The function may only be called from top-level SQL.
        const SQLITE_DIRECTONLY = 0x0000_0008_0000;
        /// The function may read argument subtypes.
        const SQLITE_SUBTYPE = 0x0000_0010_0000;
        /// The function cannot cause harm even if misused.
        const SQLITE_INNOCUOUS = 0x0000_0020_0000;
        /// The function may set a result subtype.
        const SQLITE_RESULT_SUBTYPE = 0x0000_0100_0000;
        /// An aggregate that orders the values of its first argument internally.
        const SQLITE_SELFORDER1 = 0x0000_0200_0000;
    }
}

impl Default for FunctionFlags {
    /// `SQLITE_UTF8`, as in rusqlite.
    #[inline]
    fn default() -> FunctionFlags {
        FunctionFlags::SQLITE_UTF8
    }
}

/// The argument array of a call as a slice.
#[inline]
pub(crate) unsafe fn args_of<'a>(
    argc: c_int,
    argv: *mut *mut ffi::sqlite3_value,
) -> &'a [*mut ffi::sqlite3_value] {
    if argv.is_null() || argc <= 0 {
        &[]
    } else {
        slice::from_raw_parts(argv, argc as usize)
    }
}

unsafe extern "C" fn call_scalar<F, T>(
    ctx: *mut ffi::sqlite3_context,
    argc: c_int,
    argv: *mut *mut ffi::sqlite3_value,
) where
    F: Fn(&Context<'_>) -> Result<T>,
    T: SqlFnOutput,
{
    let args = args_of(argc, argv);
    let f = ffi::sqlite3_user_data(ctx).cast::<F>();
    if f.is_null() {
        return report_error(ctx, &Error::UnwindingPanic);
    }
    let r = catch_unwind(AssertUnwindSafe(|| (*f)(&Context { ctx, args })));
    match r {
        Ok(r) => sql_result(ctx, args, r),
        Err(_) => report_error(ctx, &Error::UnwindingPanic),
    }
}

/// The group's accumulator slot: a pointer to a boxed `A`, null until `init` ran.
unsafe fn accumulator_slot<A>(ctx: *mut ffi::sqlite3_context, alloc: bool) -> *mut *mut A {
    let n = if alloc {
        size_of::<*mut A>() as c_int
    } else {
        0
    };
    ffi::sqlite3_aggregate_context(ctx, n).cast::<*mut A>()
}

unsafe extern "C" fn call_step<A, D, T>(
    ctx: *mut ffi::sqlite3_context,
    argc: c_int,
    argv: *mut *mut ffi::sqlite3_value,
) where
    A: RefUnwindSafe + UnwindSafe,
    D: Aggregate<A, T>,
    T: SqlFnOutput,
{
    let slot = accumulator_slot::<A>(ctx, true);
    if slot.is_null() {
        return ffi::sqlite3_result_error_nomem(ctx);
    }
    let aggr = ffi::sqlite3_user_data(ctx).cast::<D>();
    if aggr.is_null() {
        return report_error(ctx, &Error::UnwindingPanic);
    }
    let args = args_of(argc, argv);
    let r = catch_unwind(AssertUnwindSafe(|| {
        let mut c = Context { ctx, args };
        if (*slot).is_null() {
            let acc = (*aggr).init(&mut c)?;
            *slot = Box::into_raw(Box::new(acc));
        }
        (*aggr).step(&mut c, &mut **slot)
    }));
    match r {
        Ok(Ok(())) => {}
        Ok(Err(e)) => report_error(ctx, &e),
        Err(_) => report_error(ctx, &Error::UnwindingPanic),
    }
}

unsafe extern "C" fn call_inverse<A, W, T>(
    ctx: *mut ffi::sqlite3_context,
    argc: c_int,
    argv: *mut *mut ffi::sqlite3_value,
) where
    A: RefUnwindSafe + UnwindSafe,
    W: WindowAggregate<A, T>,
    T: SqlFnOutput,
{
    let slot = accumulator_slot::<A>(ctx, true);
    if slot.is_null() {
        return ffi::sqlite3_result_error_nomem(ctx);
    }
    let aggr = ffi::sqlite3_user_data(ctx).cast::<W>();
    if aggr.is_null() || (*slot).is_null() {
        // xInverse only follows xStep, so the accumulator exists; be defensive anyway.
        return report_error(ctx, &Error::UnwindingPanic);
    }
    let args = args_of(argc, argv);
    let r = catch_unwind(AssertUnwindSafe(|| {
        (*aggr).inverse(&mut Context { ctx, args }, &mut **slot)
    }));
    match r {
        Ok(Ok(())) => {}
        Ok(Err(e)) => report_error(ctx, &e),
        Err(_) => report_error(ctx, &Error::UnwindingPanic),
    }
}

unsafe extern "C" fn call_final<A, D, T>(ctx: *mut ffi::sqlite3_context)
where
    A: RefUnwindSafe + UnwindSafe,
    D: Aggregate<A, T>,
    T: SqlFnOutput,
{
    // N = 0: do not allocate a context just to find it empty.
    let slot = accumulator_slot::<A>(ctx, false);
    let acc: Option<A> = if slot.is_null() || (*slot).is_null() {
        None
    } else {
        let boxed = Box::from_raw(*slot);
        *slot = ptr::null_mut();
        Some(*boxed)
    };
    let aggr = ffi::sqlite3_user_data(ctx).cast::<D>();
    if aggr.is_null() {
        return report_error(ctx, &Error::UnwindingPanic);
    }
    let r = catch_unwind(AssertUnwindSafe(|| {
        (*aggr).finalize(&mut Context { ctx, args: &[] }, acc)
    }));
    match r {
        Ok(r) => sql_result(ctx, &[], r),
        Err(_) => report_error(ctx, &Error::UnwindingPanic),
    }
}

unsafe extern "C" fn call_value<A, W, T>(ctx: *mut ffi::sqlite3_context)
where
    A: RefUnwindSafe + UnwindSafe,
    W: WindowAggregate<A, T>,
    T: SqlFnOutput,
{
    let slot = accumulator_slot::<A>(ctx, false);
    let aggr = ffi::sqlite3_user_data(ctx).cast::<W>();
    if aggr.is_null() {
        return report_error(ctx, &Error::UnwindingPanic);
    }
    let r = catch_unwind(AssertUnwindSafe(|| {
        let acc = if slot.is_null() || (*slot).is_null() {
            None
        } else {
            Some(&mut **slot)
        };
        (*aggr).value(acc)
    }));
    match r {
        Ok(r) => sql_result(ctx, &[], r),
        Err(_) => report_error(ctx, &Error::UnwindingPanic),
    }
}

impl Connection {
    /// Registers (or replaces) a scalar SQL function `fn_name` taking `n_arg` arguments
    /// (`-1` for any number). It stays until removed or the connection closes.
    ///
    /// # Failure
    /// `Error::NulError` for a name with an interior NUL; the engine's error when it refuses
    /// the registration (bad `n_arg`, or statements running that use the old definition).
    /// Local connections only: remote returns `SqliteFailure(ApiMisuse, "… needs a local
    /// database …")`.
    pub fn create_scalar_function<F, T>(
        &self,
        fn_name: &str,
        n_arg: c_int,
        flags: FunctionFlags,
        x_func: F,
    ) -> Result<()>
    where
        F: Fn(&Context<'_>) -> Result<T> + Send + 'static,
        T: SqlFnOutput,
    {
        let db = self.backend().local_handle("create_scalar_function")?;
        let name = CString::new(fn_name)?;
        let boxed = Box::into_raw(Box::new(x_func));
        // SAFETY: the engine owns `boxed` from here; it calls `drop_boxed::<F>` when the
        // function goes away, or at once if the registration fails.
        let rc = unsafe {
            ffi::sqlite3_create_function_v2(
                db,
                name.as_ptr(),
                n_arg,
                flags.bits(),
                boxed.cast::<c_void>(),
                Some(call_scalar::<F, T>),
                None,
                None,
                Some(drop_boxed::<F>),
            )
        };
        self.function_result(rc)
    }

    /// Registers (or replaces) an aggregate SQL function implemented by `aggr`.
    ///
    /// # Failure
    /// As [`Connection::create_scalar_function`]; local connections only.
    pub fn create_aggregate_function<A, D, T>(
        &self,
        fn_name: &str,
        n_arg: c_int,
        flags: FunctionFlags,
        aggr: D,
    ) -> Result<()>
    where
        A: RefUnwindSafe + UnwindSafe,
        D: Aggregate<A, T> + 'static,
        T: SqlFnOutput,
    {
        let db = self.backend().local_handle("create_aggregate_function")?;
        let name = CString::new(fn_name)?;
        let boxed = Box::into_raw(Box::new(aggr));
        // SAFETY: as in `create_scalar_function`.
        let rc = unsafe {
            ffi::sqlite3_create_function_v2(
                db,
                name.as_ptr(),
                n_arg,
                flags.bits(),
                boxed.cast::<c_void>(),
                None,
                Some(call_step::<A, D, T>),
                Some(call_final::<A, D, T>),
                Some(drop_boxed::<D>),
            )
        };
        self.function_result(rc)
    }

    /// Registers (or replaces) an aggregate window function implemented by `aggr`
    /// (rusqlite feature `window`; always available here).
    ///
    /// # Failure
    /// As [`Connection::create_scalar_function`]; local connections only.
    pub fn create_window_function<A, W, T>(
        &self,
        fn_name: &str,
        n_arg: c_int,
        flags: FunctionFlags,
        aggr: W,
    ) -> Result<()>
    where
        A: RefUnwindSafe + UnwindSafe,
        W: WindowAggregate<A, T> + 'static,
        T: SqlFnOutput,
    {
        let db = self.backend().local_handle("create_window_function")?;
        let name = CString::new(fn_name)?;
        let boxed = Box::into_raw(Box::new(aggr));
        // SAFETY: as in `create_scalar_function` (`sqlite3_create_window_function` also calls
        // the destructor when it fails).
        let rc = unsafe {
            ffi::sqlite3_create_window_function(
                db,
                name.as_ptr(),
                n_arg,
                flags.bits(),
                boxed.cast::<c_void>(),
                Some(call_step::<A, W, T>),
                Some(call_final::<A, W, T>),
                Some(call_value::<A, W, T>),
                Some(call_inverse::<A, W, T>),
                Some(drop_boxed::<W>),
            )
        };
        self.function_result(rc)
    }

    /// Removes the user function `fn_name` with `n_arg` arguments (as registered).
    ///
    /// # Failure
    /// The engine's error (for example while a statement using it runs); local connections
    /// only.
    pub fn remove_function(&self, fn_name: &str, n_arg: c_int) -> Result<()> {
        let db = self.backend().local_handle("remove_function")?;
        let name = CString::new(fn_name)?;
        // SAFETY: registering "no callbacks" deletes the function.
        let rc = unsafe {
            ffi::sqlite3_create_function_v2(
                db,
                name.as_ptr(),
                n_arg,
                ffi::SQLITE_UTF8,
                ptr::null_mut(),
                None,
                None,
                None,
                None,
            )
        };
        self.function_result(rc)
    }

    fn function_result(&self, rc: c_int) -> Result<()> {
        if rc == ffi::SQLITE_OK {
            Ok(())
        } else {
            Err(self.backend().error(rc))
        }
    }
}
