//! The `rarray()` table-valued function: binds a Rust list as a parameter and reads it as a
//! table, typically for `IN` lists (feature `array`, as in rusqlite).
//!
//! ```rust
//! # use dbcompat::{Connection, Result, types::Value};
//! # use std::rc::Rc;
//! # fn main() -> Result<()> {
//! let db = Connection::open_in_memory()?;
//! dbcompat::vtab::array::load_module(&db)?;
//! let ids: dbcompat::vtab::array::Array = Rc::new(vec![Value::from(1), Value::from(3)]);
//! let n: i64 = db.query_row(
//!     "WITH t(x) AS (VALUES (1), (2), (3)) SELECT count(*) FROM t WHERE x IN rarray(?1)",
//!     [&ids],
//!     |r| r.get(0),
//! )?;
//! assert_eq!(n, 2);
//! # Ok(())
//! # }
//! ```
//!
//! ## Backends
//! Local connections only: binding an [`Array`] on a remote connection, or `load_module`,
//! returns the local-only `SqliteFailure` (`ApiMisuse`).

use super::{
    eponymous_only_module, Context, IndexConstraintOp, IndexInfo, VTab, VTabConnection, VTabCursor,
    Values,
};
use crate::types::{ToSql, ToSqlOutput, Value};
use crate::{ffi, Connection, Result};
use std::ffi::{c_char, c_int, c_void};
use std::marker::PhantomData;
use std::rc::Rc;

/// The pointer type name the array is bound with (`sqlite3_bind_pointer`).
pub(crate) const ARRAY_TYPE: *const c_char = c"rarray".as_ptr();

/// Releases the reference a bound array holds (the engine's destructor for the pointer).
pub(crate) unsafe extern "C" fn free_array(p: *mut c_void) {
    Rc::decrement_strong_count(p.cast_const().cast::<Vec<Value>>());
}

/// A list of values to bind as a `rarray()` argument.
pub type Array = Rc<Vec<Value>>;

impl ToSql for Array {
    fn to_sql(&self) -> Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Array(self.clone()))
    }
}

/// Hands the engine a new strong reference to `array`, as a raw pointer it frees with
/// [`free_array`].
pub(crate) fn into_engine(array: &Array) -> *mut c_void {
    Rc::into_raw(Rc::clone(array)).cast_mut().cast()
}

/// The array bound to `value`, if it is one (a new strong reference).
///
/// # Safety
/// `value` must be a live engine value.
pub(crate) unsafe fn array_from_value(value: *mut ffi::sqlite3_value) -> Option<Array> {
    let p = ffi::sqlite3_value_pointer(value, ARRAY_TYPE)
        .cast_const()
        .cast::<Vec<Value>>();
    if p.is_null() {
        return None;
    }
    // SAFETY: only `into_engine` binds pointers of this type; the statement holds a reference.
    Rc::increment_strong_count(p);
    Some(Rc::from_raw(p))
}

/// Registers the `rarray` module on `conn`.
///
/// # Failure
/// On a remote connection, the local-only `SqliteFailure` (`ApiMisuse`).
pub fn load_module(conn: &Connection) -> Result<()> {
    conn.create_module("rarray", eponymous_only_module::<ArrayTab>(), None)
}

/// The hidden column the array pointer is passed through.
const POINTER_COLUMN: c_int = 1;

#[repr(C)]
struct ArrayTab {
    base: super::sqlite3_vtab,
}

unsafe impl<'vtab> VTab<'vtab> for ArrayTab {
    type Aux = ();
    type Cursor = ArrayCursor<'vtab>;

    fn connect(_: &mut VTabConnection, _: Option<&()>, _: &[&[u8]]) -> Result<(String, Self)> {
        let table = ArrayTab {
            base: Default::default(),
        };
        Ok(("CREATE TABLE x(value,pointer hidden)".to_owned(), table))
    }

    fn best_index(&self, info: &mut IndexInfo) -> Result<()> {
        let mut has_pointer = false;
        for (constraint, mut usage) in info.constraints_and_usages() {
            if constraint.is_usable()
                && constraint.operator() == IndexConstraintOp::SQLITE_INDEX_CONSTRAINT_EQ
                && constraint.column() == POINTER_COLUMN
            {
                has_pointer = true;
                usage.set_argv_index(1);
                usage.set_omit(true);
            }
        }
        if has_pointer {
            info.set_estimated_cost(1.0);
            info.set_estimated_rows(100);
            info.set_idx_num(1);
        } else {
            // Without the pointer the table is empty; make that plan unattractive.
            info.set_estimated_cost(2_147_483_647.0);
            info.set_estimated_rows(2_147_483_647);
            info.set_idx_num(0);
        }
        Ok(())
    }

    fn open(&'vtab mut self) -> Result<ArrayCursor<'vtab>> {
        Ok(ArrayCursor {
            base: Default::default(),
            row_id: 0,
            array: None,
            phantom: PhantomData,
        })
    }
}

#[repr(C)]
struct ArrayCursor<'vtab> {
    base: super::sqlite3_vtab_cursor,
    /// 1-based position in the array.
    row_id: i64,
    array: Option<Array>,
    phantom: PhantomData<&'vtab ArrayTab>,
}

impl ArrayCursor<'_> {
    fn len(&self) -> i64 {
        self.array.as_ref().map_or(0, |a| a.len() as i64)
    }
}

unsafe impl VTabCursor for ArrayCursor<'_> {
    fn filter(&mut self, idx_num: c_int, _: Option<&str>, args: &Values<'_>) -> Result<()> {
        self.array = if idx_num > 0 { args.get_array(0) } else { None };
        self.row_id = 1;
        Ok(())
    }

    fn next(&mut self) -> Result<()> {
        self.row_id += 1;
        Ok(())
    }

    fn eof(&self) -> bool {
        self.row_id > self.len()
    }

    fn column(&self, ctx: &mut Context, i: c_int) -> Result<()> {
        match (&self.array, i) {
            (Some(array), 0) => ctx.set_result(&array[(self.row_id - 1) as usize]),
            _ => Ok(()),
        }
    }

    fn rowid(&self) -> Result<i64> {
        Ok(self.row_id)
    }
}
