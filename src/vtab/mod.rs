//! Virtual tables written in Rust: rusqlite 0.34's `vtab` module (feature `vtab`).
//!
//! Implement [`VTab`] and [`VTabCursor`] (plus [`CreateVTab`] / [`UpdateVTab`] for tables
//! made with `CREATE VIRTUAL TABLE` and for writable ones), pick a module with
//! [`read_only_module`], [`update_module`] or [`eponymous_only_module`], register it with
//! [`Connection::create_module`], then use it from SQL. The built-in modules are
//! [`array`](mod@array) (`rarray()` for `IN` lists), [`series`] (`generate_series`) and [`csvtab`].
//!
//! ## Backends
//! Local connections only: the module runs inside the local libSQL engine. On a remote
//! connection `create_module` (and the modules' `load_module`) return `Error::SqliteFailure`
//! (`ApiMisuse`) saying the feature needs a local database.
//!
//! **Differs from rusqlite:** a panic inside a callback fails the SQL statement with the
//! message "unwinding panic" instead of aborting the process.

use crate::error::{engine_string, error_from_sqlite_code, to_sqlite_error};
use crate::functions::{value_ref_from_value, ArgValues};
use crate::types::{FromSql, FromSqlError, ToSql, ValueRef};
use crate::{ffi, Connection, Error, Result};
use std::borrow::Cow;
use std::ffi::{c_char, c_int, c_void, CStr, CString};
use std::marker::PhantomData;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::slice;

/// The base of every virtual table struct: put it first in a `#[repr(C)]` struct.
///
/// **Differs from rusqlite:** rusqlite re-exports `ffi::sqlite3_vtab` here. libSQL's bindings
/// do not implement `Default` for it, so this is dbcompat's own layout-identical struct with
/// `Default`: `sqlite3_vtab::default()` compiles as in rusqlite (`ffi::sqlite3_vtab` also
/// exists, without `Default`).
#[repr(C)]
#[derive(Debug, Copy, Clone)]
#[allow(non_camel_case_types, non_snake_case)]
pub struct sqlite3_vtab {
    /// The module (set by the engine).
    pub pModule: *const ffi::sqlite3_module,
    /// Used internally by the engine.
    pub nRef: c_int,
    /// An error message from `sqlite3_malloc`, for the engine to report and free.
    pub zErrMsg: *mut c_char,
}

impl Default for sqlite3_vtab {
    fn default() -> sqlite3_vtab {
        sqlite3_vtab {
            pModule: std::ptr::null(),
            nRef: 0,
            zErrMsg: std::ptr::null_mut(),
        }
    }
}

/// The base of every cursor struct: put it first in a `#[repr(C)]` struct. dbcompat's own
/// layout-identical copy of `ffi::sqlite3_vtab_cursor`, with `Default` (see [`sqlite3_vtab`]).
#[repr(C)]
#[derive(Debug, Copy, Clone)]
#[allow(non_camel_case_types, non_snake_case)]
pub struct sqlite3_vtab_cursor {
    /// The table the cursor is on (set by the engine).
    pub pVtab: *mut ffi::sqlite3_vtab,
}

impl Default for sqlite3_vtab_cursor {
    fn default() -> sqlite3_vtab_cursor {
        sqlite3_vtab_cursor {
            pVtab: std::ptr::null_mut(),
        }
    }
}

// The engine reads these through its own declarations: the layouts must match.
const _: () = {
    assert!(size_of::<sqlite3_vtab>() == size_of::<ffi::sqlite3_vtab>());
    assert!(align_of::<sqlite3_vtab>() == align_of::<ffi::sqlite3_vtab>());
    assert!(size_of::<sqlite3_vtab_cursor>() == size_of::<ffi::sqlite3_vtab_cursor>());
};

mod callbacks;
mod index;
pub(crate) mod newer;

pub use index::{
    IndexConstraint, IndexConstraintAndUsageIter, IndexConstraintIter, IndexConstraintOp,
    IndexConstraintUsage, IndexFlags, IndexInfo, OrderBy, OrderByIter,
};

#[cfg(feature = "array")]
pub mod array;
#[cfg(feature = "csvtab")]
pub mod csvtab;
#[cfg(feature = "series")]
pub mod series;

/// How a module may be used from SQL.
pub enum VTabKind {
    /// Only through `CREATE VIRTUAL TABLE`.
    Default,
    /// Through `CREATE VIRTUAL TABLE`, and directly by module name (create == connect).
    Eponymous,
    /// Only directly by module name; `CREATE VIRTUAL TABLE` is refused.
    EponymousOnly,
}

/// A virtual table module: the engine's method table for `T`, built by [`read_only_module`],
/// [`update_module`] or [`eponymous_only_module`].
#[repr(transparent)]
pub struct Module<'vtab, T: VTab<'vtab>> {
    base: ffi::sqlite3_module,
    phantom: PhantomData<&'vtab T>,
}

// SAFETY: the module is an immutable table of function pointers.
unsafe impl<'vtab, T: VTab<'vtab>> Send for Module<'vtab, T> {}
unsafe impl<'vtab, T: VTab<'vtab>> Sync for Module<'vtab, T> {}

/// The engine's `sqlite3_module` with every method absent (all-zero is valid for it).
const NO_METHODS: ffi::sqlite3_module = unsafe { std::mem::zeroed() };

type XCreate = unsafe extern "C" fn(
    *mut ffi::sqlite3,
    *mut c_void,
    c_int,
    *const *const c_char,
    *mut *mut ffi::sqlite3_vtab,
    *mut *mut c_char,
) -> c_int;
type XDestroy = unsafe extern "C" fn(*mut ffi::sqlite3_vtab) -> c_int;
type XUpdate = unsafe extern "C" fn(
    *mut ffi::sqlite3_vtab,
    c_int,
    *mut *mut ffi::sqlite3_value,
    *mut i64,
) -> c_int;

impl<'vtab, T: VTab<'vtab>> Module<'vtab, T> {
    /// The method table. `create` / `destroy` absent make the module eponymous-only; the
    /// same functions as connect / disconnect make it eponymous.
    const fn with(
        create: Option<XCreate>,
        destroy: Option<XDestroy>,
        update: Option<XUpdate>,
    ) -> Module<'vtab, T> {
        use callbacks::*;
        Module {
            base: ffi::sqlite3_module {
                iVersion: 2,
                xCreate: create,
                xConnect: Some(x_connect::<T>),
                xBestIndex: Some(x_best_index::<T>),
                xDisconnect: Some(x_disconnect::<T>),
                xDestroy: destroy,
                xOpen: Some(x_open::<T>),
                xClose: Some(x_close::<T::Cursor>),
                xFilter: Some(x_filter::<T::Cursor>),
                xNext: Some(x_next::<T::Cursor>),
                xEof: Some(x_eof::<T::Cursor>),
                xColumn: Some(x_column::<T::Cursor>),
                xRowid: Some(x_rowid::<T::Cursor>),
                xUpdate: update,
                ..NO_METHODS
            },
            phantom: PhantomData,
        }
    }

    /// The method table of a module usable only by its name (`SELECT … FROM name(…)`).
    pub(crate) const fn eponymous_only() -> Module<'vtab, T> {
        Module::with(None, None, None)
    }

    /// The method table of a read-only module of the kind `T::KIND` says.
    pub(crate) const fn read_only() -> Module<'vtab, T>
    where
        T: CreateVTab<'vtab>,
    {
        match T::KIND {
            VTabKind::EponymousOnly => Module::eponymous_only(),
            VTabKind::Eponymous => Module::with(
                Some(callbacks::x_connect::<T>),
                Some(callbacks::x_disconnect::<T>),
                None,
            ),
            VTabKind::Default => Module::with(
                Some(callbacks::x_create::<T>),
                Some(callbacks::x_destroy::<T>),
                None,
            ),
        }
    }

    /// The method table of a writable module of the kind `T::KIND` says.
    pub(crate) const fn update() -> Module<'vtab, T>
    where
        T: UpdateVTab<'vtab>,
    {
        let mut module = Module::read_only();
        module.base.xUpdate = Some(callbacks::x_update::<T>);
        module
    }

    /// [`Module::update`] with the transaction methods (0.36+'s `update_module_with_tx`).
    pub(crate) const fn update_with_tx() -> Module<'vtab, T>
    where
        T: TransactionVTab<'vtab>,
    {
        let mut module = Module::update();
        module.base.xBegin = Some(callbacks::x_begin::<T>);
        module.base.xSync = Some(callbacks::x_sync::<T>);
        module.base.xCommit = Some(callbacks::x_commit::<T>);
        module.base.xRollback = Some(callbacks::x_rollback::<T>);
        module
    }

    /// The same module without `xRowid` (for `WITHOUT ROWID` tables).
    pub(crate) const fn without_rowid(mut self) -> Module<'vtab, T> {
        self.base.xRowid = None;
        self
    }

    /// The same module without `xSync`.
    pub(crate) const fn without_sync(mut self) -> Module<'vtab, T> {
        self.base.xSync = None;
        self
    }
}

/// The method tables, one set per implementation, as promoted constants so the functions
/// below can hand out `&'static` references.
struct Tables<'vtab, T>(PhantomData<&'vtab T>);

impl<'vtab, T: VTab<'vtab>> Tables<'vtab, T> {
    const EPONYMOUS_ONLY: Module<'vtab, T> = Module::eponymous_only();
}

impl<'vtab, T: CreateVTab<'vtab>> Tables<'vtab, T> {
    const READ_ONLY: Module<'vtab, T> = Module::read_only();
}

impl<'vtab, T: UpdateVTab<'vtab>> Tables<'vtab, T> {
    const UPDATE: Module<'vtab, T> = Module::update();
}

/// A writable virtual table module, of the kind `T::KIND` says.
#[must_use]
pub fn update_module<'vtab, T: UpdateVTab<'vtab>>() -> &'static Module<'vtab, T> {
    &Tables::<'vtab, T>::UPDATE
}

/// A read-only virtual table module, of the kind `T::KIND` says.
#[must_use]
pub fn read_only_module<'vtab, T: CreateVTab<'vtab>>() -> &'static Module<'vtab, T> {
    &Tables::<'vtab, T>::READ_ONLY
}

/// A read-only module usable only by its name (`SELECT … FROM name(…)`), never through
/// `CREATE VIRTUAL TABLE`.
#[must_use]
pub fn eponymous_only_module<'vtab, T: VTab<'vtab>>() -> &'static Module<'vtab, T> {
    &Tables::<'vtab, T>::EPONYMOUS_ONLY
}

/// Options for [`VTabConnection::config`] (`sqlite3_vtab_config`), with SQLite's values.
#[repr(i32)]
#[non_exhaustive]
#[derive(Debug, Clone, Copy, Eq, PartialEq)]
pub enum VTabConfig {
    /// `SQLITE_VTAB_CONSTRAINT_SUPPORT`
    ConstraintSupport = 1,
    /// `SQLITE_VTAB_INNOCUOUS`
    Innocuous = 2,
    /// `SQLITE_VTAB_DIRECTONLY`
    DirectOnly = 3,
    /// `SQLITE_VTAB_USES_ALL_SCHEMAS`
    UsesAllSchemas = 4,
}

/// The connection a table is being created or connected on, as given to
/// [`VTab::connect`] / [`CreateVTab::create`].
pub struct VTabConnection(pub(crate) *mut ffi::sqlite3);

impl VTabConnection {
    /// Sets an option of the virtual table being declared.
    pub fn config(&mut self, config: VTabConfig) -> Result<()> {
        // SAFETY: called from xCreate/xConnect with the engine's live handle.
        let rc = unsafe { ffi::sqlite3_vtab_config(self.0, config as c_int) };
        if rc == ffi::SQLITE_OK {
            Ok(())
        } else {
            Err(error_from_sqlite_code(rc, None))
        }
    }

    /// The raw engine handle.
    ///
    /// # Safety
    /// The caller must not close it or keep it beyond the callback.
    pub unsafe fn handle(&mut self) -> *mut ffi::sqlite3 {
        self.0
    }
}

/// A virtual table instance.
///
/// # Safety
/// The implementing struct must be `#[repr(C)]` with a [`sqlite3_vtab`] as its first field:
/// the engine sees a pointer to that field.
pub unsafe trait VTab<'vtab>: Sized {
    /// Data given to [`Connection::create_module`] and passed to `connect` / `create`.
    type Aux;
    /// The cursor type.
    type Cursor: VTabCursor;

    /// Connects to an existing table: returns the `CREATE TABLE` statement declaring its
    /// columns and the instance. `args[0]` is the module name, `args[1]` the database name,
    /// `args[2]` the table name, then the arguments of `CREATE VIRTUAL TABLE … USING m(…)`.
    fn connect(
        db: &mut VTabConnection,
        aux: Option<&Self::Aux>,
        args: &[&[u8]],
    ) -> Result<(String, Self)>;

    /// Chooses how to run a query (which constraints to use, its cost).
    fn best_index(&self, info: &mut IndexInfo) -> Result<()>;

    /// Opens a cursor.
    fn open(&'vtab mut self) -> Result<Self::Cursor>;
}

/// A table that can be made with `CREATE VIRTUAL TABLE` (non eponymous-only).
pub trait CreateVTab<'vtab>: VTab<'vtab> {
    /// The kind of module.
    const KIND: VTabKind;

    /// Creates the table's backing state; by default the same as [`VTab::connect`].
    fn create(
        db: &mut VTabConnection,
        aux: Option<&Self::Aux>,
        args: &[&[u8]],
    ) -> Result<(String, Self)> {
        Self::connect(db, aux, args)
    }

    /// Called on `DROP TABLE`; by default does nothing.
    fn destroy(&self) -> Result<()> {
        Ok(())
    }
}

/// A writable table.
pub trait UpdateVTab<'vtab>: CreateVTab<'vtab> {
    /// Deletes the row with rowid `arg`.
    fn delete(&mut self, arg: ValueRef<'_>) -> Result<()>;
    /// Inserts a row: `args[1]` is the new rowid (or NULL), then the columns. Returns the
    /// rowid of the new row.
    fn insert(&mut self, args: &Values<'_>) -> Result<i64>;
    /// Updates a row: `args[0]` is the old rowid, `args[1]` the new one, then the columns.
    fn update(&mut self, args: &Values<'_>) -> Result<()>;
}

/// A writable table told of transactions (rusqlite 0.36+'s `TransactionVTab`; the 0.34
/// surface has no such trait, the newer surfaces' modules reach it through their adapters).
pub(crate) trait TransactionVTab<'vtab>: UpdateVTab<'vtab> {
    /// `xBegin`: a transaction starts.
    fn begin(&mut self) -> Result<()>;
    /// `xSync`: the first phase of a commit.
    fn sync(&mut self) -> Result<()>;
    /// `xCommit`: the transaction commits.
    fn commit(&mut self) -> Result<()>;
    /// `xRollback`: the transaction rolls back.
    fn rollback(&mut self) -> Result<()>;
}

/// A cursor over a virtual table.
///
/// # Safety
/// The implementing struct must be `#[repr(C)]` with a [`sqlite3_vtab_cursor`] as its first
/// field.
pub unsafe trait VTabCursor: Sized {
    /// Starts a search, with the plan [`VTab::best_index`] chose and its arguments.
    fn filter(&mut self, idx_num: c_int, idx_str: Option<&str>, args: &Values<'_>) -> Result<()>;
    /// Moves to the next row.
    fn next(&mut self) -> Result<()>;
    /// Whether the cursor is past the last row.
    fn eof(&self) -> bool;
    /// Sets the value of column `i` of the current row through `ctx`.
    fn column(&self, ctx: &mut Context, i: c_int) -> Result<()>;
    /// The rowid of the current row.
    fn rowid(&self) -> Result<i64>;
}

/// Where [`VTabCursor::column`] puts a column value.
pub struct Context(pub(crate) *mut ffi::sqlite3_context);

impl Context {
    /// Sets the column value.
    pub fn set_result<T: ToSql>(&mut self, value: &T) -> Result<()> {
        let out = value.to_sql()?;
        // SAFETY: a live context of an xColumn call.
        unsafe { crate::functions::set_result(self.0, &[], &out) };
        Ok(())
    }

    /// Whether the column is read for an UPDATE that does not change it
    /// (`sqlite3_vtab_nochange`): the newer surfaces' `Context::no_change`.
    pub(crate) fn no_change(&self) -> bool {
        // SAFETY: a live context of an xColumn call.
        unsafe { ffi::sqlite3_vtab_nochange(self.0) != 0 }
    }

    /// A non-owning connection on the engine handle running this xColumn call.
    ///
    /// # Safety
    /// The connection must not be closed nor outlive the call.
    pub(crate) unsafe fn connection(&self) -> Result<Connection> {
        Connection::from_handle(ffi::sqlite3_context_db_handle(self.0))
    }
}

/// The arguments of [`VTabCursor::filter`] and of the [`UpdateVTab`] methods.
pub struct Values<'a> {
    pub(crate) args: &'a [*mut ffi::sqlite3_value],
}

impl Values<'_> {
    /// How many values there are.
    #[must_use]
    pub fn len(&self) -> usize {
        self.args.len()
    }

    /// Whether there are none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.args.is_empty()
    }

    /// The `idx`th value converted to `T`.
    ///
    /// # Failure
    /// `Error::InvalidFilterParameterType(idx, type)` when the SQL type cannot become a `T`,
    /// `IntegralValueOutOfRange` and `FromSqlConversionFailure` as in rusqlite.
    ///
    /// # Panics
    /// If `idx >= self.len()`.
    pub fn get<T: FromSql>(&self, idx: usize) -> Result<T> {
        let value = self.value(idx);
        FromSql::column_result(value).map_err(|err| match err {
            FromSqlError::InvalidType => Error::InvalidFilterParameterType(idx, value.data_type()),
            FromSqlError::OutOfRange(i) => Error::IntegralValueOutOfRange(idx, i),
            FromSqlError::Other(err) => {
                Error::FromSqlConversionFailure(idx, value.data_type(), err)
            }
            err @ FromSqlError::InvalidBlobSize { .. } => {
                Error::FromSqlConversionFailure(idx, value.data_type(), Box::new(err))
            }
        })
    }

    /// The `idx`th value, unconverted.
    ///
    /// # Panics
    /// If `idx >= self.len()`.
    pub(crate) fn value(&self, idx: usize) -> ValueRef<'_> {
        // SAFETY: the values live for the duration of the callback that built `self`.
        unsafe { value_ref_from_value(self.args[idx]) }
    }

    /// Whether an UPDATE leaves column value `idx` unchanged (`sqlite3_value_nochange`).
    ///
    /// # Panics
    /// If `idx >= self.len()`.
    pub(crate) fn no_change(&self, idx: usize) -> bool {
        // SAFETY: a live value of the xUpdate call that built `self`.
        unsafe { ffi::sqlite3_value_nochange(self.args[idx]) != 0 }
    }

    /// The `idx`th value as an array bound with [`array::Array`], if it is one.
    #[cfg(feature = "array")]
    fn get_array(&self, idx: usize) -> Option<array::Array> {
        // SAFETY: the pointer, if any, was bound by `bind_array` and is an `Rc<Vec<Value>>`
        // kept alive by the statement; take a new strong reference to it.
        unsafe { array::array_from_value(self.args[idx]) }
    }

    /// Iterates over the values as [`ValueRef`]s.
    #[must_use]
    pub fn iter(&self) -> ValueIter<'_> {
        ValueIter::over(self.args)
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
    iter: ArgValues<'a>,
}

impl<'a> ValueIter<'a> {
    /// Iterates over `args`, the values of the running callback (also for 0.40's `Values`).
    pub(crate) fn over(args: &'a [*mut ffi::sqlite3_value]) -> ValueIter<'a> {
        ValueIter {
            iter: ArgValues::over(args),
        }
    }
}

impl<'a> Iterator for ValueIter<'a> {
    type Item = ValueRef<'a>;

    fn next(&mut self) -> Option<ValueRef<'a>> {
        self.iter.next()
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.iter.size_hint()
    }
}

impl Connection {
    /// Registers a virtual table module under `module_name` (`sqlite3_create_module_v2`).
    /// `aux` is handed to every `connect` / `create` and dropped with the module.
    ///
    /// # Failure
    /// On a remote connection, the local-only `SqliteFailure` (`ApiMisuse`).
    pub fn create_module<'vtab, T: VTab<'vtab>>(
        &self,
        module_name: &str,
        module: &'static Module<'vtab, T>,
        aux: Option<T::Aux>,
    ) -> Result<()> {
        let db = self.backend().local_handle("create_module")?;
        let name = CString::new(module_name)?;
        let (data, free): (*mut c_void, Option<unsafe extern "C" fn(*mut c_void)>) = match aux {
            Some(aux) => (
                Box::into_raw(Box::new(aux)).cast(),
                Some(crate::functions::drop_boxed::<T::Aux>),
            ),
            None => (std::ptr::null_mut(), None),
        };
        // SAFETY: `module` is 'static; on failure the engine still calls `free` on `data`.
        let rc =
            unsafe { ffi::sqlite3_create_module_v2(db, name.as_ptr(), &module.base, data, free) };
        if rc == ffi::SQLITE_OK {
            Ok(())
        } else {
            Err(self.backend().error(rc))
        }
    }
}

/// Doubles the `"` in an identifier, for use inside a double-quoted SQL name.
#[must_use]
pub fn escape_double_quote(identifier: &str) -> Cow<'_, str> {
    if identifier.contains('"') {
        Cow::Owned(identifier.replace('"', "\"\""))
    } else {
        Cow::Borrowed(identifier)
    }
}

/// Removes one pair of matching outer quotes (`"…"` or `'…'`); inner doubled quotes are left
/// as they are, as in rusqlite.
#[must_use]
pub fn dequote(s: &str) -> &str {
    let bytes = s.as_bytes();
    match (bytes.first(), bytes.last()) {
        (Some(&q @ (b'"' | b'\'')), Some(&e)) if s.len() >= 2 && q == e => &s[1..s.len() - 1],
        _ => s,
    }
}

/// Reads a boolean module argument: `yes`/`on`/`true`/`1` or `no`/`off`/`false`/`0`
/// (case-insensitive words).
#[must_use]
pub fn parse_boolean(s: &str) -> Option<bool> {
    const TRUE: [&str; 3] = ["yes", "on", "true"];
    const FALSE: [&str; 3] = ["no", "off", "false"];
    if s == "1" || TRUE.iter().any(|w| s.eq_ignore_ascii_case(w)) {
        Some(true)
    } else if s == "0" || FALSE.iter().any(|w| s.eq_ignore_ascii_case(w)) {
        Some(false)
    } else {
        None
    }
}

/// Splits a `key=value` module argument into its trimmed key and dequoted value.
///
/// # Failure
/// `Error::Utf8Error` for non-UTF-8 bytes, `Error::ModuleError("illegal argument: '…'")`
/// without `=`.
pub fn parameter(c_slice: &[u8]) -> Result<(&str, &str)> {
    let arg = std::str::from_utf8(c_slice)?.trim();
    let mut parts = arg.split('=');
    match (parts.next(), parts.next()) {
        (Some(key), Some(value)) => Ok((key.trim(), dequote(value.trim()))),
        _ => Err(Error::ModuleError(format!("illegal argument: '{arg}'"))),
    }
}

/// rusqlite 0.40+'s `dequote` (the newer surfaces' `vtab::dequote`): also strips `` `…` `` and
/// `[…]`, and undoubles the inner quotes; a lone inner quote leaves them as they are.
pub(crate) fn dequote_unescaped(s: &str) -> Cow<'_, str> {
    let closing = match s.chars().next() {
        Some(q @ ('"' | '\'' | '`')) => q,
        Some('[') => ']',
        _ => return Cow::Borrowed(s),
    };
    // Quotes are ASCII: two bytes means two characters.
    if s.len() < 2 || !s.ends_with(closing) {
        return Cow::Borrowed(s);
    }
    let inner = &s[1..s.len() - 1];
    if closing == ']' || !inner.contains(closing) {
        return Cow::Borrowed(inner);
    }
    let mut undoubled = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == closing && chars.next() != Some(closing) {
            return Cow::Borrowed(inner);
        }
        undoubled.push(c);
    }
    Cow::Owned(undoubled)
}

/// rusqlite 0.40+'s `parameter`: splits at the first `=` and dequotes the value with
/// [`dequote_unescaped`].
pub(crate) fn split_parameter(c_slice: &[u8]) -> Result<(&str, Cow<'_, str>)> {
    let arg = std::str::from_utf8(c_slice)?.trim();
    match arg.split_once('=') {
        Some((key, value)) => Ok((key.trim(), dequote_unescaped(value.trim()))),
        None => Err(Error::ModuleError(format!("illegal argument: '{arg}'"))),
    }
}

/// Runs user code from a callback, turning a panic into `Error::UnwindingPanic`.
fn guarded<R>(f: impl FnOnce() -> Result<R>) -> Result<R> {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or(Err(Error::UnwindingPanic))
}

/// Stores `msg` as the table's error message (replacing any earlier one).
unsafe fn set_err_msg(vtab: *mut ffi::sqlite3_vtab, msg: &str) {
    if !(*vtab).zErrMsg.is_null() {
        ffi::sqlite3_free((*vtab).zErrMsg.cast());
    }
    (*vtab).zErrMsg = engine_string(msg);
}

/// The result code for `result`, with its message put on the table.
unsafe fn table_result<T>(vtab: *mut ffi::sqlite3_vtab, result: Result<T>) -> c_int {
    match result {
        Ok(_) => ffi::SQLITE_OK,
        Err(Error::SqliteFailure(err, msg)) => {
            if let Some(msg) = msg {
                set_err_msg(vtab, &msg);
            }
            err.extended_code
        }
        Err(err) => {
            set_err_msg(vtab, &err.to_string());
            ffi::SQLITE_ERROR
        }
    }
}

/// Declares the table `sql` describes and hands the boxed instance to the engine.
unsafe fn declare<T>(
    db: *mut ffi::sqlite3,
    made: Result<(String, T)>,
    pp_vtab: *mut *mut ffi::sqlite3_vtab,
    err_msg: *mut *mut c_char,
) -> c_int {
    let declared = made.and_then(|(sql, vtab)| {
        let sql = CString::new(sql)?;
        let rc = ffi::sqlite3_declare_vtab(db, sql.as_ptr());
        if rc == ffi::SQLITE_OK {
            Ok(vtab)
        } else {
            Err(error_from_sqlite_code(rc, None))
        }
    });
    match declared {
        Ok(vtab) => {
            *pp_vtab = Box::into_raw(Box::new(vtab)).cast();
            ffi::SQLITE_OK
        }
        Err(e) => to_sqlite_error(&e, err_msg),
    }
}

/// The module arguments as byte strings.
unsafe fn module_args<'a>(argc: c_int, argv: *const *const c_char) -> Vec<&'a [u8]> {
    if argv.is_null() || argc <= 0 {
        return Vec::new();
    }
    slice::from_raw_parts(argv, argc as usize)
        .iter()
        .map(|&a| CStr::from_ptr(a).to_bytes())
        .collect()
}
