//! The engine-facing methods of a [`Module`](super::Module): each turns the raw call into a
//! call of the Rust trait method and its result into a result code (and error message).
//! Panics in user code are caught here; they never unwind into the engine.

use super::{
    declare, guarded, module_args, table_result, Context, CreateVTab, IndexInfo, TransactionVTab,
    UpdateVTab, VTab, VTabConnection, VTabCursor, Values,
};
use crate::functions::{args_of, value_ref_from_value};
use crate::{ffi, Error, Result};
use std::ffi::{c_char, c_int, c_void, CStr, CString};

use crate::ffi::{sqlite3_vtab, sqlite3_vtab_cursor};

/// The signature of [`VTab::connect`] and [`CreateVTab::create`].
type Constructor<T, A> = fn(&mut VTabConnection, Option<&A>, &[&[u8]]) -> Result<(String, T)>;

/// xCreate and xConnect: builds the instance with `make` and declares its table.
unsafe fn construct<'vtab, T: VTab<'vtab>>(
    make: Constructor<T, T::Aux>,
    db: *mut ffi::sqlite3,
    aux: *mut c_void,
    argc: c_int,
    argv: *const *const c_char,
    pp_vtab: *mut *mut sqlite3_vtab,
    err_msg: *mut *mut c_char,
) -> c_int {
    let mut conn = VTabConnection(db);
    let args = module_args(argc, argv);
    let made = guarded(|| make(&mut conn, aux.cast::<T::Aux>().as_ref(), &args));
    declare(db, made, pp_vtab, err_msg)
}

pub(super) unsafe extern "C" fn x_create<'vtab, T: CreateVTab<'vtab>>(
    db: *mut ffi::sqlite3,
    aux: *mut c_void,
    argc: c_int,
    argv: *const *const c_char,
    pp_vtab: *mut *mut sqlite3_vtab,
    err_msg: *mut *mut c_char,
) -> c_int {
    construct::<T>(T::create, db, aux, argc, argv, pp_vtab, err_msg)
}

pub(super) unsafe extern "C" fn x_connect<'vtab, T: VTab<'vtab>>(
    db: *mut ffi::sqlite3,
    aux: *mut c_void,
    argc: c_int,
    argv: *const *const c_char,
    pp_vtab: *mut *mut sqlite3_vtab,
    err_msg: *mut *mut c_char,
) -> c_int {
    construct::<T>(T::connect, db, aux, argc, argv, pp_vtab, err_msg)
}

pub(super) unsafe extern "C" fn x_best_index<'vtab, T: VTab<'vtab>>(
    vtab: *mut sqlite3_vtab,
    info: *mut ffi::sqlite3_index_info,
) -> c_int {
    let mut info = IndexInfo(info);
    let r = guarded(|| (*vtab.cast::<T>()).best_index(&mut info));
    table_result(vtab, r)
}

pub(super) unsafe extern "C" fn x_disconnect<'vtab, T: VTab<'vtab>>(
    vtab: *mut sqlite3_vtab,
) -> c_int {
    let boxed = Box::from_raw(vtab.cast::<T>());
    let _ = guarded(move || {
        drop(boxed);
        Ok(())
    });
    ffi::SQLITE_OK
}

pub(super) unsafe extern "C" fn x_destroy<'vtab, T: CreateVTab<'vtab>>(
    vtab: *mut sqlite3_vtab,
) -> c_int {
    match guarded(|| (*vtab.cast::<T>()).destroy()) {
        Ok(()) => x_disconnect::<T>(vtab),
        err => table_result(vtab, err),
    }
}

pub(super) unsafe extern "C" fn x_open<'vtab, T: VTab<'vtab> + 'vtab>(
    vtab: *mut sqlite3_vtab,
    pp_cursor: *mut *mut sqlite3_vtab_cursor,
) -> c_int {
    // The cursor borrows the table for 'vtab: the engine keeps the table alive until every
    // cursor on it is closed.
    let table: &'vtab mut T = &mut *vtab.cast::<T>();
    match guarded(|| table.open()) {
        Ok(cursor) => {
            *pp_cursor = Box::into_raw(Box::new(cursor)).cast();
            ffi::SQLITE_OK
        }
        err => table_result(vtab, err),
    }
}

pub(super) unsafe extern "C" fn x_close<C: VTabCursor>(cursor: *mut sqlite3_vtab_cursor) -> c_int {
    let boxed = Box::from_raw(cursor.cast::<C>());
    let _ = guarded(move || {
        drop(boxed);
        Ok(())
    });
    ffi::SQLITE_OK
}

/// The result code for `result`, with its message put on the cursor's table.
unsafe fn cursor_result<T>(cursor: *mut sqlite3_vtab_cursor, result: Result<T>) -> c_int {
    table_result((*cursor).pVtab, result)
}

pub(super) unsafe extern "C" fn x_filter<C: VTabCursor>(
    cursor: *mut sqlite3_vtab_cursor,
    idx_num: c_int,
    idx_str: *const c_char,
    argc: c_int,
    argv: *mut *mut ffi::sqlite3_value,
) -> c_int {
    let idx_str = if idx_str.is_null() {
        None
    } else {
        match CStr::from_ptr(idx_str).to_str() {
            Ok(s) => Some(s),
            Err(e) => return cursor_result::<()>(cursor, Err(Error::Utf8Error(e))),
        }
    };
    let values = Values {
        args: args_of(argc, argv),
    };
    let r = guarded(|| (*cursor.cast::<C>()).filter(idx_num, idx_str, &values));
    cursor_result(cursor, r)
}

pub(super) unsafe extern "C" fn x_next<C: VTabCursor>(cursor: *mut sqlite3_vtab_cursor) -> c_int {
    let r = guarded(|| (*cursor.cast::<C>()).next());
    cursor_result(cursor, r)
}

pub(super) unsafe extern "C" fn x_eof<C: VTabCursor>(cursor: *mut sqlite3_vtab_cursor) -> c_int {
    // A panic reports end of data: the statement stops instead of looping on a broken cursor.
    guarded(|| Ok((*cursor.cast::<C>()).eof())).unwrap_or(true) as c_int
}

pub(super) unsafe extern "C" fn x_column<C: VTabCursor>(
    cursor: *mut sqlite3_vtab_cursor,
    ctx: *mut ffi::sqlite3_context,
    i: c_int,
) -> c_int {
    let mut context = Context(ctx);
    match guarded(|| (*cursor.cast::<C>()).column(&mut context, i)) {
        Ok(()) => ffi::SQLITE_OK,
        Err(err) => column_error(ctx, &err),
    }
}

/// Fails the column read with `err`, the way rusqlite reports it.
unsafe fn column_error(ctx: *mut ffi::sqlite3_context, err: &Error) -> c_int {
    let (code, msg) = match err {
        Error::SqliteFailure(e, msg) => (e.extended_code, msg.clone()),
        other => (ffi::SQLITE_ERROR, Some(other.to_string())),
    };
    match code {
        ffi::SQLITE_TOOBIG => ffi::sqlite3_result_error_toobig(ctx),
        ffi::SQLITE_NOMEM => ffi::sqlite3_result_error_nomem(ctx),
        _ => {
            ffi::sqlite3_result_error_code(ctx, code);
            if let Some(Ok(msg)) = msg.map(CString::new) {
                ffi::sqlite3_result_error(ctx, msg.as_ptr(), -1);
            }
        }
    }
    code
}

pub(super) unsafe extern "C" fn x_rowid<C: VTabCursor>(
    cursor: *mut sqlite3_vtab_cursor,
    p_rowid: *mut ffi::sqlite3_int64,
) -> c_int {
    let r = guarded(|| (*cursor.cast::<C>()).rowid()).map(|rowid| *p_rowid = rowid);
    cursor_result(cursor, r)
}

pub(super) unsafe extern "C" fn x_update<'vtab, T: UpdateVTab<'vtab>>(
    vtab: *mut sqlite3_vtab,
    argc: c_int,
    argv: *mut *mut ffi::sqlite3_value,
    p_rowid: *mut ffi::sqlite3_int64,
) -> c_int {
    let args = args_of(argc, argv);
    let table = &mut *vtab.cast::<T>();
    let r = guarded(|| match args {
        [] => Err(Error::ModuleError(
            "xUpdate called without arguments".into(),
        )),
        [rowid] => table.delete(value_ref_from_value(*rowid)),
        [old, ..] if ffi::sqlite3_value_type(*old) == ffi::SQLITE_NULL => {
            table.insert(&Values { args }).map(|rowid| *p_rowid = rowid)
        }
        _ => table.update(&Values { args }),
    });
    table_result(vtab, r)
}

/// xBegin, xSync, xCommit and xRollback: one transaction step of the table.
unsafe fn transaction_step<'vtab, T: TransactionVTab<'vtab>>(
    vtab: *mut sqlite3_vtab,
    step: fn(&mut T) -> Result<()>,
) -> c_int {
    let r = guarded(|| step(&mut *vtab.cast::<T>()));
    table_result(vtab, r)
}

pub(super) unsafe extern "C" fn x_begin<'vtab, T: TransactionVTab<'vtab>>(
    vtab: *mut sqlite3_vtab,
) -> c_int {
    transaction_step::<T>(vtab, T::begin)
}

pub(super) unsafe extern "C" fn x_sync<'vtab, T: TransactionVTab<'vtab>>(
    vtab: *mut sqlite3_vtab,
) -> c_int {
    transaction_step::<T>(vtab, T::sync)
}

pub(super) unsafe extern "C" fn x_commit<'vtab, T: TransactionVTab<'vtab>>(
    vtab: *mut sqlite3_vtab,
) -> c_int {
    transaction_step::<T>(vtab, T::commit)
}

pub(super) unsafe extern "C" fn x_rollback<'vtab, T: TransactionVTab<'vtab>>(
    vtab: *mut sqlite3_vtab,
) -> c_int {
    transaction_step::<T>(vtab, T::rollback)
}
