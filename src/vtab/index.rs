//! The query-planning side of a virtual table: [`IndexInfo`] as seen by
//! [`VTab::best_index`](super::VTab::best_index), its constraints and ORDER BY terms.

use super::newer::DistinctMode;
use crate::error::{engine_string, error_from_sqlite_code};
use crate::functions::value_ref_from_value;
use crate::types::ValueRef;
use crate::{ffi, Result};
use std::ffi::{c_int, c_uchar, CStr};
use std::slice;

/// The operator of a WHERE constraint on a virtual table column, with SQLite's codes.
#[derive(Debug, Eq, PartialEq)]
#[allow(non_camel_case_types, missing_docs)]
pub enum IndexConstraintOp {
    SQLITE_INDEX_CONSTRAINT_EQ,
    SQLITE_INDEX_CONSTRAINT_GT,
    SQLITE_INDEX_CONSTRAINT_LE,
    SQLITE_INDEX_CONSTRAINT_LT,
    SQLITE_INDEX_CONSTRAINT_GE,
    SQLITE_INDEX_CONSTRAINT_MATCH,
    SQLITE_INDEX_CONSTRAINT_LIKE,
    SQLITE_INDEX_CONSTRAINT_GLOB,
    SQLITE_INDEX_CONSTRAINT_REGEXP,
    SQLITE_INDEX_CONSTRAINT_NE,
    SQLITE_INDEX_CONSTRAINT_ISNOT,
    SQLITE_INDEX_CONSTRAINT_ISNOTNULL,
    SQLITE_INDEX_CONSTRAINT_ISNULL,
    SQLITE_INDEX_CONSTRAINT_IS,
    SQLITE_INDEX_CONSTRAINT_LIMIT,
    SQLITE_INDEX_CONSTRAINT_OFFSET,
    /// An overloaded function (code 150 and up).
    SQLITE_INDEX_CONSTRAINT_FUNCTION(u8),
}

impl From<u8> for IndexConstraintOp {
    fn from(code: u8) -> IndexConstraintOp {
        use IndexConstraintOp::*;
        match code {
            2 => SQLITE_INDEX_CONSTRAINT_EQ,
            4 => SQLITE_INDEX_CONSTRAINT_GT,
            8 => SQLITE_INDEX_CONSTRAINT_LE,
            16 => SQLITE_INDEX_CONSTRAINT_LT,
            32 => SQLITE_INDEX_CONSTRAINT_GE,
            64 => SQLITE_INDEX_CONSTRAINT_MATCH,
            65 => SQLITE_INDEX_CONSTRAINT_LIKE,
            66 => SQLITE_INDEX_CONSTRAINT_GLOB,
            67 => SQLITE_INDEX_CONSTRAINT_REGEXP,
            68 => SQLITE_INDEX_CONSTRAINT_NE,
            69 => SQLITE_INDEX_CONSTRAINT_ISNOT,
            70 => SQLITE_INDEX_CONSTRAINT_ISNOTNULL,
            71 => SQLITE_INDEX_CONSTRAINT_ISNULL,
            72 => SQLITE_INDEX_CONSTRAINT_IS,
            73 => SQLITE_INDEX_CONSTRAINT_LIMIT,
            74 => SQLITE_INDEX_CONSTRAINT_OFFSET,
            other => SQLITE_INDEX_CONSTRAINT_FUNCTION(other),
        }
    }
}

bitflags::bitflags! {
    /// `SQLITE_INDEX_SCAN_*` flags for [`IndexInfo::set_idx_flags`].
    #[repr(C)]
    #[derive(Copy, Clone, Debug)]
    pub struct IndexFlags: c_int {
        /// No flag.
        const NONE = 0;
        /// The scan visits at most one row.
        const SQLITE_INDEX_SCAN_UNIQUE = ffi::SQLITE_INDEX_SCAN_UNIQUE;
        /// Show idxNum in hex in EXPLAIN QUERY PLAN.
        const SQLITE_INDEX_SCAN_HEX = 0x0000_0002;
    }
}

/// The planner's question to [`VTab::best_index`](super::VTab::best_index) and the table's
/// answer (`sqlite3_index_info`).
#[derive(Debug)]
pub struct IndexInfo(pub(crate) *mut ffi::sqlite3_index_info);

impl IndexInfo {
    fn raw(&self) -> &ffi::sqlite3_index_info {
        // SAFETY: valid for the duration of the xBestIndex call that built `self`.
        unsafe { &*self.0 }
    }

    fn raw_mut(&mut self) -> &mut ffi::sqlite3_index_info {
        // SAFETY: as in `raw`; `&mut self` makes the access exclusive on the Rust side.
        unsafe { &mut *self.0 }
    }

    fn constraint_slice(&self) -> &[ffi::sqlite3_index_constraint] {
        let info = self.raw();
        // SAFETY: the engine provides `nConstraint` entries.
        unsafe { raw_slice(info.aConstraint, info.nConstraint) }
    }

    fn usage_slice(&mut self) -> &mut [ffi::sqlite3_index_constraint_usage] {
        let info = self.raw_mut();
        let n = info.nConstraint;
        if info.aConstraintUsage.is_null() || n <= 0 {
            return &mut [];
        }
        // SAFETY: one usage entry per constraint, writable by the table.
        unsafe { slice::from_raw_parts_mut(info.aConstraintUsage, n as usize) }
    }

    /// Each constraint with its usage entry, to read one and fill in the other.
    pub fn constraints_and_usages(&mut self) -> IndexConstraintAndUsageIter<'_> {
        let constraints: *const [ffi::sqlite3_index_constraint] = self.constraint_slice();
        // SAFETY: constraints and usages are distinct arrays; the constraints stay unchanged.
        let constraints = unsafe { &*constraints };
        IndexConstraintAndUsageIter {
            iter: constraints.iter().zip(self.usage_slice().iter_mut()),
        }
    }

    /// The WHERE constraints on the table's columns.
    #[must_use]
    pub fn constraints(&self) -> IndexConstraintIter<'_> {
        IndexConstraintIter {
            iter: self.constraint_slice().iter(),
        }
    }

    /// The ORDER BY terms.
    #[must_use]
    pub fn order_bys(&self) -> OrderByIter<'_> {
        let info = self.raw();
        // SAFETY: the engine provides `nOrderBy` entries.
        OrderByIter {
            iter: unsafe { raw_slice(info.aOrderBy, info.nOrderBy) }.iter(),
        }
    }

    /// The number of ORDER BY terms.
    #[must_use]
    pub fn num_of_order_by(&self) -> usize {
        self.raw().nOrderBy.max(0) as usize
    }

    /// The usage entry of constraint `constraint_idx`.
    ///
    /// # Panics
    /// If the index is out of range, as in rusqlite.
    pub fn constraint_usage(&mut self, constraint_idx: usize) -> IndexConstraintUsage<'_> {
        IndexConstraintUsage(&mut self.usage_slice()[constraint_idx])
    }

    /// The number identifying the chosen plan, passed to `filter`.
    pub fn set_idx_num(&mut self, idx_num: c_int) {
        self.raw_mut().idxNum = idx_num;
    }

    /// The string identifying the chosen plan, passed to `filter`.
    pub fn set_idx_str(&mut self, idx_str: &str) {
        let info = self.raw_mut();
        if info.needToFreeIdxStr != 0 && !info.idxStr.is_null() {
            // SAFETY: a string this method set earlier, from sqlite3_malloc.
            unsafe { ffi::sqlite3_free(info.idxStr.cast()) };
        }
        info.idxStr = engine_string(idx_str);
        info.needToFreeIdxStr = 1;
    }

    /// Whether the rows come out already in ORDER BY order.
    pub fn set_order_by_consumed(&mut self, order_by_consumed: bool) {
        self.raw_mut().orderByConsumed = c_int::from(order_by_consumed);
    }

    /// The estimated cost of the plan.
    pub fn set_estimated_cost(&mut self, estimated_cost: f64) {
        self.raw_mut().estimatedCost = estimated_cost;
    }

    /// The estimated number of rows of the plan.
    pub fn set_estimated_rows(&mut self, estimated_rows: i64) {
        self.raw_mut().estimatedRows = estimated_rows;
    }

    /// `SQLITE_INDEX_SCAN_*` flags of the plan.
    pub fn set_idx_flags(&mut self, flags: IndexFlags) {
        self.raw_mut().idxFlags = flags.bits();
    }

    /// The mask of columns the statement uses.
    #[must_use]
    pub fn col_used(&self) -> u64 {
        self.raw().colUsed
    }

    /// The collation of constraint `constraint_idx` (`sqlite3_vtab_collation`).
    ///
    /// # Failure
    /// `SqliteFailure` (`ApiMisuse`) when the index is out of range.
    pub fn collation(&self, constraint_idx: usize) -> Result<&str> {
        let idx = c_int::try_from(constraint_idx).unwrap_or(c_int::MAX);
        // SAFETY: called during xBestIndex, as the engine requires.
        let name = unsafe { ffi::sqlite3_vtab_collation(self.0, idx) };
        if name.is_null() {
            return Err(out_of_range(constraint_idx));
        }
        // SAFETY: a NUL-terminated name owned by the engine for this call.
        Ok(unsafe { CStr::from_ptr(name) }.to_str()?)
    }

    /// The string identifying the chosen plan, from a static C string (0.38+'s
    /// `set_idx_cstr`): no allocation, nothing for the engine to free.
    pub(crate) fn set_idx_cstr(&mut self, idx_str: &'static CStr) {
        let info = self.raw_mut();
        if info.needToFreeIdxStr != 0 && !info.idxStr.is_null() {
            // SAFETY: a string `set_idx_str` set earlier, from sqlite3_malloc.
            unsafe { ffi::sqlite3_free(info.idxStr.cast()) };
        }
        info.idxStr = idx_str.as_ptr().cast_mut();
        info.needToFreeIdxStr = 0;
    }

    /// How the query uses the rows (`sqlite3_vtab_distinct`).
    pub(crate) fn distinct(&self) -> DistinctMode {
        // SAFETY: called during xBestIndex, as the engine requires.
        DistinctMode::from_code(unsafe { ffi::sqlite3_vtab_distinct(self.0) })
    }

    /// The right-hand value of constraint `constraint_idx` when the planner knows it
    /// (`sqlite3_vtab_rhs_value`): `Ok(None)` when it does not.
    pub(crate) fn rhs_value(&self, constraint_idx: usize) -> Result<Option<ValueRef<'_>>> {
        let idx = checked_index(constraint_idx)?;
        let mut value: *mut ffi::sqlite3_value = std::ptr::null_mut();
        // SAFETY: called during xBestIndex; the engine checks the index itself.
        let rc = unsafe { ffi::sqlite3_vtab_rhs_value(self.0, idx, &mut value) };
        match rc {
            ffi::SQLITE_NOTFOUND => Ok(None),
            ffi::SQLITE_OK if !value.is_null() => {
                // SAFETY: a value owned by the engine for the duration of xBestIndex.
                Ok(Some(unsafe { value_ref_from_value(value) }))
            }
            _ => Err(error_from_sqlite_code(rc, None)),
        }
    }

    /// Whether constraint `constraint_idx` is an `IN` the table may take all at once
    /// (`sqlite3_vtab_in(_, _, -1)`).
    pub(crate) fn is_in_constraint(&self, constraint_idx: usize) -> Result<bool> {
        let idx = self.in_range(constraint_idx)?;
        // SAFETY: called during xBestIndex with an index in range.
        Ok(unsafe { ffi::sqlite3_vtab_in(self.0, idx, -1) } != 0)
    }

    /// Asks for the whole right-hand side of `IN` constraint `constraint_idx` in one
    /// xFilter argument (`filter_all`), or not; whether the engine agreed.
    pub(crate) fn set_in_constraint(
        &mut self,
        constraint_idx: usize,
        filter_all: bool,
    ) -> Result<bool> {
        let idx = self.in_range(constraint_idx)?;
        // SAFETY: as in `is_in_constraint`.
        Ok(unsafe { ffi::sqlite3_vtab_in(self.0, idx, c_int::from(filter_all)) } != 0)
    }

    /// `constraint_idx` as the engine's index, or `SqliteFailure` (`ApiMisuse`) when it is
    /// not a constraint of this call.
    fn in_range(&self, constraint_idx: usize) -> Result<c_int> {
        if constraint_idx < self.constraint_slice().len() {
            checked_index(constraint_idx)
        } else {
            Err(out_of_range(constraint_idx))
        }
    }
}

/// `constraint_idx` as a `c_int`, or the out-of-range error.
fn checked_index(constraint_idx: usize) -> Result<c_int> {
    c_int::try_from(constraint_idx).map_err(|_| out_of_range(constraint_idx))
}

/// rusqlite's error for a constraint index out of range: `SQLITE_MISUSE` with the index.
fn out_of_range(constraint_idx: usize) -> crate::Error {
    error_from_sqlite_code(
        ffi::SQLITE_MISUSE,
        Some(format!("{constraint_idx} is out of range")),
    )
}

unsafe fn raw_slice<'a, T>(p: *const T, n: c_int) -> &'a [T] {
    if p.is_null() || n <= 0 {
        &[]
    } else {
        slice::from_raw_parts(p, n as usize)
    }
}

/// Iterator over constraints and their usage entries.
pub struct IndexConstraintAndUsageIter<'a> {
    iter: std::iter::Zip<
        slice::Iter<'a, ffi::sqlite3_index_constraint>,
        slice::IterMut<'a, ffi::sqlite3_index_constraint_usage>,
    >,
}

impl<'a> Iterator for IndexConstraintAndUsageIter<'a> {
    type Item = (IndexConstraint<'a>, IndexConstraintUsage<'a>);

    fn next(&mut self) -> Option<Self::Item> {
        self.iter
            .next()
            .map(|(c, u)| (IndexConstraint(c), IndexConstraintUsage(u)))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.iter.size_hint()
    }
}

/// Iterator over constraints.
pub struct IndexConstraintIter<'a> {
    iter: slice::Iter<'a, ffi::sqlite3_index_constraint>,
}

impl<'a> Iterator for IndexConstraintIter<'a> {
    type Item = IndexConstraint<'a>;

    fn next(&mut self) -> Option<IndexConstraint<'a>> {
        self.iter.next().map(IndexConstraint)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.iter.size_hint()
    }
}

/// A WHERE constraint on a column: `column op ?`.
pub struct IndexConstraint<'a>(&'a ffi::sqlite3_index_constraint);

impl IndexConstraint<'_> {
    /// The constrained column (-1 for the rowid).
    #[must_use]
    pub fn column(&self) -> c_int {
        self.0.iColumn
    }

    /// The operator.
    #[must_use]
    pub fn operator(&self) -> IndexConstraintOp {
        IndexConstraintOp::from(self.0.op)
    }

    /// Whether the plan may use this constraint.
    #[must_use]
    pub fn is_usable(&self) -> bool {
        self.0.usable != 0
    }
}

/// How the plan uses a constraint.
pub struct IndexConstraintUsage<'a>(&'a mut ffi::sqlite3_index_constraint_usage);

impl IndexConstraintUsage<'_> {
    /// Passes the constraint's value to `filter` as argument `argv_index` (1-based; 0: not
    /// passed).
    pub fn set_argv_index(&mut self, argv_index: c_int) {
        self.0.argvIndex = argv_index;
    }

    /// Whether the engine may skip re-checking the constraint.
    pub fn set_omit(&mut self, omit: bool) {
        self.0.omit = c_uchar::from(omit);
    }
}

/// Iterator over ORDER BY terms.
pub struct OrderByIter<'a> {
    iter: slice::Iter<'a, ffi::sqlite3_index_orderby>,
}

impl<'a> Iterator for OrderByIter<'a> {
    type Item = OrderBy<'a>;

    fn next(&mut self) -> Option<OrderBy<'a>> {
        self.iter.next().map(OrderBy)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.iter.size_hint()
    }
}

/// An ORDER BY term.
pub struct OrderBy<'a>(&'a ffi::sqlite3_index_orderby);

impl OrderBy<'_> {
    /// The column.
    #[must_use]
    pub fn column(&self) -> c_int {
        self.0.iColumn
    }

    /// Whether the order is descending.
    #[must_use]
    pub fn is_order_by_desc(&self) -> bool {
        self.0.desc != 0
    }
}
