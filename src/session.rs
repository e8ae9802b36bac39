//! The session extension: record the changes made to tables as a changeset, and apply a
//! changeset to another database. rusqlite 0.34's `session` module (feature `session`, which
//! also compiles `SQLITE_ENABLE_SESSION` and `SQLITE_ENABLE_PREUPDATE_HOOK` into libSQL's
//! engine).
//!
//! ## Backends
//! Local connections only: `Session::new*`, `apply` and `apply_strm` on a remote connection
//! return the local-only `SqliteFailure` (`ApiMisuse`). Changesets themselves are plain bytes.
//!
//! **Differs from rusqlite:** a callback that panics, or a table name that is not UTF-8,
//! skips the table (filter) or aborts the apply (conflict handler) instead of panicking.

use crate::error::error_from_sqlite_code;
use crate::functions::value_ref_from_value;
use crate::hooks::Action;
use crate::types::ValueRef;
use crate::{ffi, Connection, DatabaseName, Error, Result};
use fallible_streaming_iterator::FallibleStreamingIterator;
use std::ffi::{c_char, c_int, c_uchar, c_void, CStr, CString};
use std::io::{Read, Write};
use std::marker::PhantomData;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;
use std::slice;

fn check(rc: c_int) -> Result<()> {
    if rc == ffi::SQLITE_OK {
        Ok(())
    } else {
        Err(error_from_sqlite_code(rc, None))
    }
}

type Filter = Box<dyn Fn(&str) -> bool>;

/// A session: records the changes to the attached tables of one database.
pub struct Session<'conn> {
    phantom: PhantomData<&'conn Connection>,
    s: *mut ffi::sqlite3_session,
    // Boxed twice over so the engine's pointer to it stays put when `filter` is replaced.
    filter: Option<Box<Filter>>,
}

impl Session<'_> {
    /// A session on the `main` database.
    pub fn new(db: &Connection) -> Result<Session<'_>> {
        Session::new_with_name(db, DatabaseName::Main)
    }

    /// A session on the database `name`.
    ///
    /// # Failure
    /// On a remote connection, the local-only `SqliteFailure` (`ApiMisuse`).
    pub fn new_with_name<'conn>(
        db: &'conn Connection,
        name: DatabaseName<'_>,
    ) -> Result<Session<'conn>> {
        let handle = db.backend().local_handle("Session")?;
        let name = name.as_cstring()?;
        let mut s = ptr::null_mut();
        // SAFETY: a live local handle; the session is deleted on drop, before `db` goes.
        check(unsafe { ffi::sqlite3session_create(handle, name.as_ptr(), &mut s) })?;
        Ok(Session {
            phantom: PhantomData,
            s,
            filter: None,
        })
    }

    /// Restricts recording to the tables for which `filter` returns true (`None`: all).
    pub fn table_filter<F>(&mut self, filter: Option<F>)
    where
        F: Fn(&str) -> bool + Send + 'static,
    {
        unsafe extern "C" fn call_filter(p: *mut c_void, table: *const c_char) -> c_int {
            let filter = &*p.cast::<Filter>();
            let keep = CStr::from_ptr(table)
                .to_str()
                .ok()
                .and_then(|name| catch_unwind(AssertUnwindSafe(|| filter(name))).ok());
            c_int::from(keep.unwrap_or(false))
        }
        match filter {
            Some(filter) => {
                let boxed: Box<Filter> = Box::new(Box::new(filter));
                let p = (&*boxed as *const Filter).cast_mut().cast();
                // SAFETY: `boxed` is kept in `self` until replaced or the session is deleted.
                unsafe { ffi::sqlite3session_table_filter(self.s, Some(call_filter), p) };
                self.filter = Some(boxed);
            }
            None => {
                unsafe { ffi::sqlite3session_table_filter(self.s, None, ptr::null_mut()) };
                self.filter = None;
            }
        }
    }

    /// Starts recording changes to `table` (`None`: every table).
    pub fn attach(&mut self, table: Option<&str>) -> Result<()> {
        let table = table.map(CString::new).transpose()?;
        self.attach_cstr(table.as_deref())
    }

    /// `attach` by a C string (also for the newer surfaces' `Name`s).
    pub(crate) fn attach_cstr(&mut self, table: Option<&CStr>) -> Result<()> {
        let p = table.map_or(ptr::null(), CStr::as_ptr);
        check(unsafe { ffi::sqlite3session_attach(self.s, p) })
    }

    /// The changes recorded so far, as a changeset.
    pub fn changeset(&mut self) -> Result<Changeset> {
        let mut n = 0;
        let mut cs = ptr::null_mut();
        check(unsafe { ffi::sqlite3session_changeset(self.s, &mut n, &mut cs) })?;
        Ok(Changeset { cs, n })
    }

    /// Writes the changeset to `output`.
    pub fn changeset_strm(&mut self, output: &mut dyn Write) -> Result<()> {
        let out = OutputRef::new(output);
        check(unsafe { ffi::sqlite3session_changeset_strm(self.s, Some(x_output), out.ptr()) })
    }

    /// The changes recorded so far, as a patchset (no original values).
    pub fn patchset(&mut self) -> Result<Changeset> {
        let mut n = 0;
        let mut ps = ptr::null_mut();
        check(unsafe { ffi::sqlite3session_patchset(self.s, &mut n, &mut ps) })?;
        Ok(Changeset { cs: ps, n })
    }

    /// Writes the patchset to `output`.
    pub fn patchset_strm(&mut self, output: &mut dyn Write) -> Result<()> {
        let out = OutputRef::new(output);
        check(unsafe { ffi::sqlite3session_patchset_strm(self.s, Some(x_output), out.ptr()) })
    }

    /// Records the differences between `table` in database `from` and in this session's
    /// database.
    ///
    /// # Failure
    /// `SqliteFailure` with the engine's message (e.g. incompatible tables).
    pub fn diff(&mut self, from: DatabaseName<'_>, table: &str) -> Result<()> {
        self.diff_cstr(&from.as_cstring()?, &CString::new(table)?)
    }

    /// `diff` by C strings (also for the newer surfaces' `Name`s).
    pub(crate) fn diff_cstr(&mut self, from: &CStr, table: &CStr) -> Result<()> {
        let mut errmsg: *mut c_char = ptr::null_mut();
        let rc =
            unsafe { ffi::sqlite3session_diff(self.s, from.as_ptr(), table.as_ptr(), &mut errmsg) };
        if rc == ffi::SQLITE_OK {
            return Ok(());
        }
        let message = if errmsg.is_null() {
            None
        } else {
            // SAFETY: a message from sqlite3_malloc, ours to free.
            let m = unsafe { CStr::from_ptr(errmsg) }
                .to_string_lossy()
                .into_owned();
            unsafe { ffi::sqlite3_free(errmsg.cast()) };
            Some(m)
        };
        Err(error_from_sqlite_code(rc, message))
    }

    /// Whether no change has been recorded.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        unsafe { ffi::sqlite3session_isempty(self.s) != 0 }
    }

    /// Whether the session records changes.
    #[must_use]
    pub fn is_enabled(&self) -> bool {
        unsafe { ffi::sqlite3session_enable(self.s, -1) != 0 }
    }

    /// Turns recording on or off.
    pub fn set_enabled(&mut self, enabled: bool) {
        unsafe { ffi::sqlite3session_enable(self.s, c_int::from(enabled)) };
    }

    /// Whether changes are recorded as indirect.
    #[must_use]
    pub fn is_indirect(&self) -> bool {
        unsafe { ffi::sqlite3session_indirect(self.s, -1) != 0 }
    }

    /// Marks the changes recorded from now on as indirect (or not).
    pub fn set_indirect(&mut self, indirect: bool) {
        unsafe { ffi::sqlite3session_indirect(self.s, c_int::from(indirect)) };
    }
}

impl Drop for Session<'_> {
    fn drop(&mut self) {
        if self.filter.is_some() {
            self.table_filter(None::<fn(&str) -> bool>);
        }
        unsafe { ffi::sqlite3session_delete(self.s) };
    }
}

/// Inverts a streamed changeset: inserts become deletes and the reverse, updates swap values.
pub fn invert_strm(input: &mut dyn Read, output: &mut dyn Write) -> Result<()> {
    let (input, out) = (InputRef::new(input), OutputRef::new(output));
    check(unsafe {
        ffi::sqlite3changeset_invert_strm(Some(x_input), input.ptr(), Some(x_output), out.ptr())
    })
}

/// Concatenates two streamed changesets into `output`.
pub fn concat_strm(
    input_a: &mut dyn Read,
    input_b: &mut dyn Read,
    output: &mut dyn Write,
) -> Result<()> {
    let (a, b, out) = (
        InputRef::new(input_a),
        InputRef::new(input_b),
        OutputRef::new(output),
    );
    check(unsafe {
        ffi::sqlite3changeset_concat_strm(
            Some(x_input),
            a.ptr(),
            Some(x_input),
            b.ptr(),
            Some(x_output),
            out.ptr(),
        )
    })
}

/// A changeset (or patchset) in memory from the engine.
pub struct Changeset {
    cs: *mut c_void,
    n: c_int,
}

impl Changeset {
    /// The inverse changeset.
    pub fn invert(&self) -> Result<Changeset> {
        let mut n = 0;
        let mut cs = ptr::null_mut();
        check(unsafe { ffi::sqlite3changeset_invert(self.n, self.cs, &mut n, &mut cs) })?;
        Ok(Changeset { cs, n })
    }

    /// Iterates over the changes.
    pub fn iter(&self) -> Result<ChangesetIter<'_>> {
        let mut it = ptr::null_mut();
        check(unsafe { ffi::sqlite3changeset_start(&mut it, self.n, self.cs) })?;
        Ok(ChangesetIter {
            phantom: PhantomData,
            it,
            item: None,
        })
    }

    /// `a` followed by `b`, as one changeset.
    pub fn concat(a: &Changeset, b: &Changeset) -> Result<Changeset> {
        let mut n = 0;
        let mut cs = ptr::null_mut();
        check(unsafe { ffi::sqlite3changeset_concat(a.n, a.cs, b.n, b.cs, &mut n, &mut cs) })?;
        Ok(Changeset { cs, n })
    }
}

impl Drop for Changeset {
    fn drop(&mut self) {
        unsafe { ffi::sqlite3_free(self.cs) };
    }
}

/// A cursor over the changes of a changeset, as a `FallibleStreamingIterator`.
pub struct ChangesetIter<'changeset> {
    phantom: PhantomData<&'changeset Changeset>,
    it: *mut ffi::sqlite3_changeset_iter,
    item: Option<ChangesetItem>,
}

impl ChangesetIter<'_> {
    /// Iterates over a streamed changeset.
    pub fn start_strm<'input>(input: &&'input mut dyn Read) -> Result<ChangesetIter<'input>> {
        let mut it = ptr::null_mut();
        // The engine reads through `input` while the iterator lives; `&&mut dyn Read` is the
        // thin pointer it is handed.
        let p = (input as *const &mut dyn Read).cast_mut().cast();
        check(unsafe { ffi::sqlite3changeset_start_strm(&mut it, Some(x_input), p) })?;
        Ok(ChangesetIter {
            phantom: PhantomData,
            it,
            item: None,
        })
    }
}

impl FallibleStreamingIterator for ChangesetIter<'_> {
    type Error = Error;
    type Item = ChangesetItem;

    fn advance(&mut self) -> Result<()> {
        match unsafe { ffi::sqlite3changeset_next(self.it) } {
            ffi::SQLITE_ROW => {
                self.item = Some(ChangesetItem { it: self.it });
                Ok(())
            }
            ffi::SQLITE_DONE => {
                self.item = None;
                Ok(())
            }
            rc => Err(error_from_sqlite_code(rc, None)),
        }
    }

    fn get(&self) -> Option<&ChangesetItem> {
        self.item.as_ref()
    }
}

impl Drop for ChangesetIter<'_> {
    fn drop(&mut self) {
        unsafe { ffi::sqlite3changeset_finalize(self.it) };
    }
}

/// What a change does: its table, column count, kind and whether it is indirect.
pub struct Operation<'item> {
    table_name: &'item str,
    number_of_columns: i32,
    code: Action,
    indirect: bool,
}

impl Operation<'_> {
    /// The table changed.
    pub fn table_name(&self) -> &str {
        self.table_name
    }

    /// The table's number of columns.
    pub fn number_of_columns(&self) -> i32 {
        self.number_of_columns
    }

    /// Insert, update or delete.
    pub fn code(&self) -> Action {
        self.code
    }

    /// Whether the change was indirect (made by a trigger or foreign key action, or marked).
    pub fn indirect(&self) -> bool {
        self.indirect
    }
}

/// The current change of a [`ChangesetIter`] (or of a conflict).
pub struct ChangesetItem {
    it: *mut ffi::sqlite3_changeset_iter,
}

/// A value read from the iterator: `InvalidColumnIndex(col)` when the engine has none.
unsafe fn item_value<'a>(
    read: unsafe extern "C" fn(
        *mut ffi::sqlite3_changeset_iter,
        c_int,
        *mut *mut ffi::sqlite3_value,
    ) -> c_int,
    it: *mut ffi::sqlite3_changeset_iter,
    col: usize,
) -> Result<ValueRef<'a>> {
    let index = c_int::try_from(col).map_err(|_| Error::InvalidColumnIndex(col))?;
    let mut value = ptr::null_mut();
    check(read(it, index, &mut value))?;
    if value.is_null() {
        Err(Error::InvalidColumnIndex(col))
    } else {
        Ok(value_ref_from_value(value))
    }
}

impl ChangesetItem {
    /// The conflicting row's value of column `col` (in a conflict handler, for
    /// `SQLITE_CHANGESET_DATA` / `CONFLICT`).
    pub fn conflict(&self, col: usize) -> Result<ValueRef<'_>> {
        unsafe { item_value(ffi::sqlite3changeset_conflict, self.it, col) }
    }

    /// The number of foreign key violations (in a `SQLITE_CHANGESET_FOREIGN_KEY` conflict).
    pub fn fk_conflicts(&self) -> Result<i32> {
        let mut n = 0;
        check(unsafe { ffi::sqlite3changeset_fk_conflicts(self.it, &mut n) })?;
        Ok(n)
    }

    /// The new value of column `col` (inserts and updates; unchanged columns have none).
    pub fn new_value(&self, col: usize) -> Result<ValueRef<'_>> {
        unsafe { item_value(ffi::sqlite3changeset_new, self.it, col) }
    }

    /// The old value of column `col` (deletes and updates).
    pub fn old_value(&self, col: usize) -> Result<ValueRef<'_>> {
        unsafe { item_value(ffi::sqlite3changeset_old, self.it, col) }
    }

    /// The change's table, kind and flags.
    pub fn op(&self) -> Result<Operation<'_>> {
        let (mut table, mut columns, mut code, mut indirect) = (ptr::null(), 0, 0, 0);
        check(unsafe {
            ffi::sqlite3changeset_op(self.it, &mut table, &mut columns, &mut code, &mut indirect)
        })?;
        // SAFETY: a NUL-terminated name owned by the iterator's current change.
        let table_name = unsafe { CStr::from_ptr(table) }.to_str()?;
        Ok(Operation {
            table_name,
            number_of_columns: columns,
            code: Action::from(code),
            indirect: indirect != 0,
        })
    }

    /// One byte per column: 1 for primary key columns.
    pub fn pk(&self) -> Result<&[u8]> {
        let mut p: *mut c_uchar = ptr::null_mut();
        let mut n = 0;
        check(unsafe { ffi::sqlite3changeset_pk(self.it, &mut p, &mut n) })?;
        if p.is_null() || n <= 0 {
            return Ok(&[]);
        }
        // SAFETY: `n` flags owned by the iterator's current change.
        Ok(unsafe { slice::from_raw_parts(p, n as usize) })
    }
}

/// Combines changesets into one.
pub struct Changegroup {
    cg: *mut ffi::sqlite3_changegroup,
}

impl Changegroup {
    /// An empty group.
    pub fn new() -> Result<Changegroup> {
        let mut cg = ptr::null_mut();
        check(unsafe { ffi::sqlite3changegroup_new(&mut cg) })?;
        Ok(Changegroup { cg })
    }

    /// Adds a changeset.
    pub fn add(&mut self, cs: &Changeset) -> Result<()> {
        check(unsafe { ffi::sqlite3changegroup_add(self.cg, cs.n, cs.cs) })
    }

    /// Adds a streamed changeset.
    pub fn add_stream(&mut self, input: &mut dyn Read) -> Result<()> {
        let input = InputRef::new(input);
        check(unsafe { ffi::sqlite3changegroup_add_strm(self.cg, Some(x_input), input.ptr()) })
    }

    /// The combined changeset.
    pub fn output(&mut self) -> Result<Changeset> {
        let mut n = 0;
        let mut cs = ptr::null_mut();
        check(unsafe { ffi::sqlite3changegroup_output(self.cg, &mut n, &mut cs) })?;
        Ok(Changeset { cs, n })
    }

    /// Writes the combined changeset to `output`.
    pub fn output_strm(&mut self, output: &mut dyn Write) -> Result<()> {
        let out = OutputRef::new(output);
        check(unsafe { ffi::sqlite3changegroup_output_strm(self.cg, Some(x_output), out.ptr()) })
    }
}

impl Drop for Changegroup {
    fn drop(&mut self) {
        unsafe { ffi::sqlite3changegroup_delete(self.cg) };
    }
}

/// Why the conflict handler is called (`SQLITE_CHANGESET_*`).
#[allow(missing_docs, non_camel_case_types)]
#[repr(i32)]
#[derive(Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConflictType {
    UNKNOWN = -1,
    SQLITE_CHANGESET_DATA = ffi::SQLITE_CHANGESET_DATA,
    SQLITE_CHANGESET_NOTFOUND = ffi::SQLITE_CHANGESET_NOTFOUND,
    SQLITE_CHANGESET_CONFLICT = ffi::SQLITE_CHANGESET_CONFLICT,
    SQLITE_CHANGESET_CONSTRAINT = ffi::SQLITE_CHANGESET_CONSTRAINT,
    SQLITE_CHANGESET_FOREIGN_KEY = ffi::SQLITE_CHANGESET_FOREIGN_KEY,
}

impl From<i32> for ConflictType {
    fn from(code: i32) -> ConflictType {
        match code {
            ffi::SQLITE_CHANGESET_DATA => ConflictType::SQLITE_CHANGESET_DATA,
            ffi::SQLITE_CHANGESET_NOTFOUND => ConflictType::SQLITE_CHANGESET_NOTFOUND,
            ffi::SQLITE_CHANGESET_CONFLICT => ConflictType::SQLITE_CHANGESET_CONFLICT,
            ffi::SQLITE_CHANGESET_CONSTRAINT => ConflictType::SQLITE_CHANGESET_CONSTRAINT,
            ffi::SQLITE_CHANGESET_FOREIGN_KEY => ConflictType::SQLITE_CHANGESET_FOREIGN_KEY,
            _ => ConflictType::UNKNOWN,
        }
    }
}

/// What the conflict handler decides.
#[allow(missing_docs, non_camel_case_types)]
#[repr(i32)]
#[derive(Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConflictAction {
    SQLITE_CHANGESET_OMIT = ffi::SQLITE_CHANGESET_OMIT,
    SQLITE_CHANGESET_REPLACE = ffi::SQLITE_CHANGESET_REPLACE,
    SQLITE_CHANGESET_ABORT = ffi::SQLITE_CHANGESET_ABORT,
}

/// The filter and conflict handler of one `apply`, handed to the engine by pointer.
struct Handlers<F, C> {
    filter: Option<F>,
    conflict: C,
}

unsafe extern "C" fn call_filter<F, C>(p: *mut c_void, table: *const c_char) -> c_int
where
    F: Fn(&str) -> bool,
{
    let handlers = &*p.cast::<Handlers<F, C>>();
    let keep = match (&handlers.filter, CStr::from_ptr(table).to_str()) {
        (None, _) => Some(true),
        (Some(filter), Ok(name)) => catch_unwind(AssertUnwindSafe(|| filter(name))).ok(),
        (Some(_), Err(_)) => None,
    };
    c_int::from(keep.unwrap_or(false))
}

unsafe extern "C" fn call_conflict<F, C>(
    p: *mut c_void,
    conflict: c_int,
    it: *mut ffi::sqlite3_changeset_iter,
) -> c_int
where
    C: Fn(ConflictType, ChangesetItem) -> ConflictAction,
{
    let handlers = &*p.cast::<Handlers<F, C>>();
    let item = ChangesetItem { it };
    catch_unwind(AssertUnwindSafe(|| {
        (handlers.conflict)(ConflictType::from(conflict), item)
    }))
    .map_or(ffi::SQLITE_CHANGESET_ABORT, |action| action as c_int)
}

impl Connection {
    /// Applies a changeset to this database. `filter` picks the tables (`None`: all);
    /// `conflict` decides each conflict.
    ///
    /// # Failure
    /// `SqliteFailure` when applying fails or a handler aborts; on a remote connection the
    /// local-only `SqliteFailure` (`ApiMisuse`).
    pub fn apply<F, C>(&self, cs: &Changeset, filter: Option<F>, conflict: C) -> Result<()>
    where
        F: Fn(&str) -> bool + Send + 'static,
        C: Fn(ConflictType, ChangesetItem) -> ConflictAction + Send + 'static,
    {
        let db = self.backend().local_handle("apply")?;
        let x_filter = filter.as_ref().map(|_| call_filter::<F, C> as _);
        let mut handlers = Handlers { filter, conflict };
        let p = (&mut handlers as *mut Handlers<F, C>).cast();
        check(unsafe {
            ffi::sqlite3changeset_apply(db, cs.n, cs.cs, x_filter, Some(call_conflict::<F, C>), p)
        })
    }

    /// Applies a streamed changeset, like [`Connection::apply`].
    pub fn apply_strm<F, C>(
        &self,
        input: &mut dyn Read,
        filter: Option<F>,
        conflict: C,
    ) -> Result<()>
    where
        F: Fn(&str) -> bool + Send + 'static,
        C: Fn(ConflictType, ChangesetItem) -> ConflictAction + Send + 'static,
    {
        let db = self.backend().local_handle("apply_strm")?;
        let input = InputRef::new(input);
        let x_filter = filter.as_ref().map(|_| call_filter::<F, C> as _);
        let mut handlers = Handlers { filter, conflict };
        let p = (&mut handlers as *mut Handlers<F, C>).cast();
        check(unsafe {
            ffi::sqlite3changeset_apply_strm(
                db,
                Some(x_input),
                input.ptr(),
                x_filter,
                Some(call_conflict::<F, C>),
                p,
            )
        })
    }
}

/// A `&mut dyn Read` behind a thin pointer, for the engine's xInput callbacks.
struct InputRef<'a>(&'a mut dyn Read);

impl<'a> InputRef<'a> {
    fn new(input: &'a mut dyn Read) -> InputRef<'a> {
        InputRef(input)
    }

    fn ptr(&self) -> *mut c_void {
        (&self.0 as *const &mut dyn Read).cast_mut().cast()
    }
}

/// A `&mut dyn Write` behind a thin pointer, for the engine's xOutput callbacks.
struct OutputRef<'a>(&'a mut dyn Write);

impl<'a> OutputRef<'a> {
    fn new(output: &'a mut dyn Write) -> OutputRef<'a> {
        OutputRef(output)
    }

    fn ptr(&self) -> *mut c_void {
        (&self.0 as *const &mut dyn Write).cast_mut().cast()
    }
}

/// xInput: fills up to `*len` bytes from the reader; 0 bytes means end of input.
unsafe extern "C" fn x_input(p: *mut c_void, data: *mut c_void, len: *mut c_int) -> c_int {
    if p.is_null() || data.is_null() || len.is_null() || *len < 0 {
        return ffi::SQLITE_MISUSE;
    }
    let input = &mut *p.cast::<&mut dyn Read>();
    let buf = slice::from_raw_parts_mut(data.cast::<u8>(), *len as usize);
    match catch_unwind(AssertUnwindSafe(|| input.read(buf))) {
        Ok(Ok(n)) => {
            *len = n as c_int;
            ffi::SQLITE_OK
        }
        _ => ffi::SQLITE_IOERR_READ,
    }
}

/// xOutput: writes all `len` bytes to the writer.
unsafe extern "C" fn x_output(p: *mut c_void, data: *const c_void, len: c_int) -> c_int {
    if p.is_null() || (data.is_null() && len > 0) || len < 0 {
        return ffi::SQLITE_MISUSE;
    }
    let output = &mut *p.cast::<&mut dyn Write>();
    let bytes = if len == 0 {
        &[][..]
    } else {
        slice::from_raw_parts(data.cast::<u8>(), len as usize)
    };
    match catch_unwind(AssertUnwindSafe(|| output.write_all(bytes))) {
        Ok(Ok(())) => ffi::SQLITE_OK,
        _ => ffi::SQLITE_IOERR_WRITE,
    }
}
